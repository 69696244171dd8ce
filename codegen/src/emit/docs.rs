//! Descriptions from the docs as rustdoc text: line breaks kept, and everything rustdoc
//! would misread made safe (raw HTML, brackets that look like intra-doc links, bare
//! URLs, indented or untagged code blocks that would become doctests).

/// The lines of a doc comment for `markdown` (a description cell or model prose).
pub(crate) fn doc_lines(markdown: &str) -> Vec<String> {
    let text = replace_line_breaks(markdown);
    let mut lines = Vec::new();
    let mut in_fence = false;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            // A fence opens or closes; untagged or Rust blocks would be compiled as
            // doctests, so every block is plain text.
            if in_fence {
                lines.push("```".to_owned());
            } else {
                let info = info.trim();
                lines.push(if info.is_empty() || info == "rust" {
                    "```text".to_owned()
                } else {
                    format!("```{info}")
                });
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            lines.push(line.to_owned());
        } else {
            // A line right after a list item would continue it lazily (rustdoc reads it
            // as part of the item; clippy flags it): a blank line ends the list first.
            if !trimmed.is_empty()
                && !is_list_item(trimmed)
                && line.len() == trimmed.len()
                && lines
                    .last()
                    .is_some_and(|last: &String| is_list_item(last.trim_start()))
            {
                lines.push(String::new());
            }
            // Four spaces would make an (untagged, so compiled) code block; up to three
            // keep list continuations attached to their item.
            let indent = (line.len() - trimmed.len()).min(3);
            lines.push(format!("{}{}", " ".repeat(indent), escape_inline(trimmed)));
        }
    }
    if in_fence {
        lines.push("```".to_owned());
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    while lines.first().is_some_and(String::is_empty) {
        lines.remove(0);
    }
    lines
}

/// A markdown list item: `- x`, `* x`, `+ x`, `1. x`, `1) x`.
fn is_list_item(line: &str) -> bool {
    if let Some(rest) = line.strip_prefix(['-', '*', '+']) {
        return rest.starts_with(' ');
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0
        && line[digits..]
            .strip_prefix(['.', ')'])
            .is_some_and(|rest| rest.starts_with(' '))
}

fn replace_line_breaks(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let end = after.find('>').map(|end| end + 1);
        let tag: String = end
            .map(|end| &after[..end])
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if matches!(tag.as_str(), "<br>" | "<br/>" | "</br>") {
            out.push('\n');
            rest = &after[end.unwrap_or(after.len())..];
        } else {
            out.push('<');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Escapes one line outside code spans: `<`/`>` unless an autolink, brackets unless a
/// markdown link `[text](url)`, and wraps bare URLs in `<...>`.
fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        match c {
            '`' => {
                // A code span runs to the next backtick; copy it untouched.
                match chars[index + 1..].iter().position(|&next| next == '`') {
                    Some(offset) => {
                        out.extend(&chars[index..=index + 1 + offset]);
                        index += offset + 2;
                    }
                    None => {
                        out.push_str("\\`");
                        index += 1;
                    }
                }
                continue;
            }
            '<' => {
                let rest: String = chars[index..].iter().collect();
                if let Some(end) = autolink_end(&rest) {
                    out.push_str(&rest[..end]);
                    index += rest[..end].chars().count();
                    continue;
                }
                // Only what could open an HTML tag is escaped; `a < b` reads as written.
                let opens_tag = chars.get(index + 1).is_some_and(|next| {
                    next.is_ascii_alphabetic() || matches!(next, '/' | '!' | '?')
                });
                out.push_str(if opens_tag { "&lt;" } else { "<" });
            }
            '[' => {
                let rest: String = chars[index..].iter().collect();
                if let Some(end) = markdown_link_end(&rest) {
                    out.push_str(&rest[..end]);
                    index += rest[..end].chars().count();
                    continue;
                }
                out.push_str("\\[");
            }
            ']' => out.push_str("\\]"),
            'h' if starts_url(&chars[index..]) => {
                let url_end = chars[index..]
                    .iter()
                    .position(|c| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '<'))
                    .map_or(chars.len(), |offset| index + offset);
                let mut end = url_end;
                while end > index && matches!(chars[end - 1], '.' | ',' | ';' | ':' | '!' | '?') {
                    end -= 1;
                }
                out.push('<');
                out.extend(&chars[index..end]);
                out.push('>');
                index = end;
                continue;
            }
            c => out.push(c),
        }
        index += 1;
    }
    out
}

fn starts_url(chars: &[char]) -> bool {
    let prefix: String = chars.iter().take(8).collect();
    prefix.starts_with("https://") || prefix.starts_with("http://")
}

/// `<https://...>`: the byte length of the autolink at the start of `text`.
fn autolink_end(text: &str) -> Option<usize> {
    let inner = text.strip_prefix('<')?;
    if !(inner.starts_with("https://") || inner.starts_with("http://")) {
        return None;
    }
    let end = inner.find('>')?;
    (!inner[..end].contains(char::is_whitespace)).then_some(end + 2)
}

/// `[text](destination)`: the byte length of the link at the start of `text`, when the
/// destination is a URL or a path (not a bare word rustdoc would resolve as an item).
fn markdown_link_end(text: &str) -> Option<usize> {
    let close = text.find("](")?;
    let label = &text[1..close];
    if label.contains(['[', ']']) {
        return None;
    }
    let dest_start = close + 2;
    let dest_len = text[dest_start..].find(')')?;
    let dest = &text[dest_start..dest_start + dest_len];
    let is_url = dest.contains("://")
        || dest.starts_with('/')
        || dest.starts_with('#')
        || dest.starts_with("mailto:");
    (is_url && !dest.contains(char::is_whitespace)).then_some(dest_start + dest_len + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn makes_descriptions_safe_for_rustdoc() {
        let cases = [
            ("A <b>bold</b> claim.", vec!["A &lt;b>bold&lt;/b> claim."]),
            ("one<br/>two", vec!["one", "two"]),
            (
                "See https://example.com/x.",
                vec!["See <https://example.com/x>."],
            ),
            (
                "See [docs](https://example.com) or [x].",
                vec!["See [docs](https://example.com) or \\[x\\]."],
            ),
            ("Use `a<b>` here", vec!["Use `a<b>` here"]),
            (
                "Values:\n\n    * one\n    * two",
                vec!["Values:", "", "   * one", "   * two"],
            ),
            ("- item,\n  continued", vec!["- item,", "  continued"]),
            (
                "Options:<br>- 'ALL': all.<br>- 'DAILY': by day.<br>Pick one.",
                vec![
                    "Options:",
                    "- 'ALL': all.",
                    "- 'DAILY': by day.",
                    "",
                    "Pick one.",
                ],
            ),
            ("```\nlet x = 1;\n```", vec!["```text", "let x = 1;", "```"]),
            ("Between [1, 10]", vec!["Between \\[1, 10\\]"]),
            (
                "Go to <https://example.com>",
                vec!["Go to <https://example.com>"],
            ),
            (
                "Relative [models](/models) link",
                vec!["Relative [models](/models) link"],
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(doc_lines(input), expected, "{input}");
        }
    }
}
