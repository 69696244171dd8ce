//! Messages and notes broken into lines that fit the terminal: codespan-reporting
//! prints each as one line, and a summary's message can run past the width.

use std::ops::Range;

use super::window::columns;

/// `text` broken at spaces into lines of at most `first` columns for the first line
/// and `rest` for the others. Line breaks in `text` are kept, a code span is never
/// broken, and a word wider than its line gets a line of its own.
pub(super) fn wrap(text: &str, first: usize, rest: usize) -> Vec<&str> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line: Option<(Range<usize>, usize)> = None;
        for word in words(paragraph) {
            let word_columns = columns(&paragraph[word.clone()]);
            let budget = if lines.is_empty() { first } else { rest };
            line = match line {
                Some((current, used)) if used + 1 + word_columns <= budget => {
                    Some((current.start..word.end, used + 1 + word_columns))
                }
                Some((current, _)) => {
                    lines.push(&paragraph[current]);
                    Some((word, word_columns))
                }
                None => Some((word, word_columns)),
            };
        }
        if let Some((current, _)) = line {
            lines.push(&paragraph[current]);
        }
    }
    lines
}

/// The words of a line: what single spaces outside code spans separate. Spaces and
/// backticks are ASCII, so every range is on char boundaries.
fn words(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    let mut start = 0;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b' ' => {
                words.push(start..index);
                start = index + 1;
                index += 1;
            }
            b'`' => {
                let run = backticks(bytes, index);
                // A run that nothing closes is plain text, as in CommonMark.
                index = closing(bytes, index + run, run).unwrap_or(index + run);
            }
            _ => index += 1,
        }
    }
    words.push(start..text.len());
    words
}

fn backticks(bytes: &[u8], from: usize) -> usize {
    bytes.get(from..).map_or(0, |rest| {
        rest.iter().take_while(|&&byte| byte == b'`').count()
    })
}

/// The end of the first run of exactly `run` backticks from `from`: the end of the
/// code span a run of `run` opened.
fn closing(bytes: &[u8], from: usize, run: usize) -> Option<usize> {
    let mut index = from;
    while let Some(&byte) = bytes.get(index) {
        if byte == b'`' {
            let length = backticks(bytes, index);
            if length == run {
                return Some(index + length);
            }
            index += length;
        } else {
            index += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_one_line() {
        assert_eq!(wrap("a short message", 40, 40), ["a short message"]);
        assert_eq!(wrap("", 40, 40), [""]);
    }

    #[test]
    fn breaks_at_the_last_space_that_fits() {
        assert_eq!(
            wrap("one two three four five", 9, 14),
            ["one two", "three four", "five"]
        );
    }

    #[test]
    fn code_spans_stay_whole() {
        assert_eq!(
            wrap("force one with `--dialect NAME` here", 20, 20),
            ["force one with", "`--dialect NAME`", "here"]
        );
        assert_eq!(wrap("a `` x ` y `` b", 5, 5), ["a", "`` x ` y ``", "b"]);
        // An unclosed backtick does not glue the rest of the text together.
        assert_eq!(
            wrap("found ` alone here", 8, 8),
            ["found `", "alone", "here"]
        );
    }

    #[test]
    fn a_long_word_gets_its_own_line() {
        assert_eq!(
            wrap("see models/a/very/long/path.md now", 10, 10),
            ["see", "models/a/very/long/path.md", "now"]
        );
    }

    #[test]
    fn line_breaks_are_kept_and_widths_are_columns() {
        assert_eq!(wrap("ab\ncd ef", 10, 4), ["ab", "cd", "ef"]);
        assert_eq!(wrap("日本 語", 5, 5), ["日本", "語"]);
    }
}
