//! One long source line cut to a window around its labels, as rustc does: what the
//! labels point at stays, each cut part becomes `...`, and label offsets move with it.
//!
//! Widths are counted in columns, where a char takes its display width but at least one
//! column (so the count bounds both the terminal's columns and the number of chars) and
//! a tab takes a whole tab stop (codespan-reporting expands tabs).

use unicode_width::UnicodeWidthChar;

/// What stands in for each cut part of a line.
pub(super) const ELLIPSIS: &str = "...";

/// codespan-reporting's default tab width: a tab is printed as at most this many spaces.
const TAB_WIDTH: usize = 4;

fn char_columns(c: char) -> usize {
    match c {
        '\t' => TAB_WIDTH,
        c => c.width().unwrap_or(1).max(1),
    }
}

/// The columns `text` takes when printed.
pub(super) fn columns(text: &str) -> usize {
    text.chars().map(char_columns).sum()
}

/// The largest char boundary of `text` at or before `offset`, so that a span which
/// ends inside a char (a bug upstream) never makes a slice panic.
pub(super) fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A label's part on one line: bytes of the line, and the columns of the message
/// printed after its carets (0 when the message is elsewhere or empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Mark {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) message: usize,
}

/// Which edge of a label an offset is: a cut part maps to its `...`, whose start a
/// label's start takes and whose end a label's end takes, so the label covers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Edge {
    Start,
    End,
}

/// The shown part of a line: bytes `start..end` of a line of `len` bytes, with `...`
/// before them when `start > 0` and after them when `end < len`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Window {
    start: usize,
    end: usize,
    len: usize,
}

impl Window {
    /// The windows of the lines of one snippet (each without its line break, with
    /// the marks on it) in which every line and every mark's carets and message fit
    /// `budget` columns. All start at one column, so the cells of a table's rows stay
    /// aligned (rustc keeps one margin per file too), unless that column would cut a
    /// mark of some line out of sight: then each line gets its own. Each ends as far
    /// right as fits.
    pub(super) fn fit(lines: &[(&str, Vec<Mark>)], budget: usize) -> Vec<Self> {
        let grids: Vec<Grid> = lines.iter().map(|(line, _)| Grid::new(line)).collect();
        let snippet: Vec<(&Grid, &[Mark])> = grids
            .iter()
            .zip(lines)
            .map(|(grid, (_, marks))| (grid, marks.as_slice()))
            .collect();
        let shared = fit_snippet(&snippet, budget);
        let shown = shared
            .iter()
            .zip(&snippet)
            .all(|(window, (_, marks))| marks.iter().all(|mark| window.shows(mark)));
        if shown {
            return shared;
        }
        snippet
            .iter()
            .flat_map(|line| fit_snippet(std::slice::from_ref(line), budget))
            .collect()
    }

    /// Whether some of `mark` is in the window, not only in a cut part.
    fn shows(&self, mark: &Mark) -> bool {
        let after_start = if mark.start == mark.end {
            mark.start >= self.start
        } else {
            mark.end > self.start
        };
        after_start && (self.end == self.len || mark.start < self.end)
    }

    fn whole(len: usize) -> Self {
        Self {
            start: 0,
            end: len,
            len,
        }
    }

    /// The line as shown.
    pub(super) fn text(&self, line: &str) -> String {
        let mut out = String::with_capacity(self.end - self.start + 2 * ELLIPSIS.len());
        if self.start > 0 {
            out.push_str(ELLIPSIS);
        }
        out.push_str(line.get(self.start..self.end).unwrap_or_default());
        if self.end < self.len {
            out.push_str(ELLIPSIS);
        }
        out
    }

    /// Where offset `offset` of the line is in the shown line, in bytes.
    pub(super) fn place(&self, offset: usize, edge: Edge) -> usize {
        self.place_by(offset, edge, |offset| offset)
    }

    /// The line offset shown at byte `shown` of the shown line (a cut part: its edge).
    pub(super) fn source_offset(&self, shown: usize) -> usize {
        let prefix = self.prefix();
        let visible = self.end - self.start;
        if shown < prefix {
            self.start
        } else if shown <= prefix + visible {
            self.start + shown - prefix
        } else if shown <= prefix + visible + self.suffix() {
            self.end
        } else {
            self.len + (shown - prefix - visible - self.suffix())
        }
    }

    fn prefix(&self) -> usize {
        if self.start > 0 { ELLIPSIS.len() } else { 0 }
    }

    fn suffix(&self) -> usize {
        if self.end < self.len {
            ELLIPSIS.len()
        } else {
            0
        }
    }

    /// `place` in the unit `measure` gives (bytes, or columns): `...` is as many
    /// columns as bytes, so one rule serves both.
    fn place_by(&self, offset: usize, edge: Edge, measure: impl Fn(usize) -> usize) -> usize {
        let prefix = self.prefix();
        let visible = measure(self.end) - measure(self.start);
        let shown = prefix + visible + self.suffix();
        if offset < self.start {
            match edge {
                Edge::Start => 0,
                Edge::End => prefix,
            }
        } else if offset <= self.end {
            prefix + measure(offset) - measure(self.start)
        } else if offset <= self.len {
            match edge {
                Edge::Start => prefix + visible,
                Edge::End => shown,
            }
        } else {
            // Past the line's text: its line break, which is kept as it is.
            shown + (offset - self.len)
        }
    }

    /// Whether the shown line and each mark's caret line fit `budget` columns.
    fn fits(&self, grid: &Grid, marks: &[Mark], budget: usize) -> bool {
        let column = |offset, edge| self.place_by(offset, edge, |offset| grid.column(offset));
        let line = column(self.len, Edge::End);
        line <= budget
            && marks.iter().all(|mark| {
                let carets = column(mark.end, Edge::End).max(column(mark.start, Edge::Start) + 1);
                carets + message_columns(mark.message) <= budget
            })
    }
}

/// A message after carets is set off by one space.
fn message_columns(message: usize) -> usize {
    if message == 0 { 0 } else { message + 1 }
}

/// The char boundaries of a line with the column each starts at.
#[derive(Debug)]
struct Grid {
    /// `(byte, column)` of every char boundary, the line's end included.
    bounds: Vec<(usize, usize)>,
}

impl Grid {
    fn new(line: &str) -> Self {
        let mut column = 0;
        let mut bounds = Vec::with_capacity(line.len() + 1);
        for (byte, c) in line.char_indices() {
            bounds.push((byte, column));
            column += char_columns(c);
        }
        bounds.push((line.len(), column));
        Self { bounds }
    }

    /// The column of the char boundary at or before `offset`.
    fn column(&self, offset: usize) -> usize {
        let index = self
            .bounds
            .partition_point(|&(byte, _)| byte <= offset)
            .saturating_sub(1);
        self.bounds.get(index).map_or(0, |&(_, column)| column)
    }

    fn line_end(&self) -> usize {
        self.bounds.last().map_or(0, |&(byte, _)| byte)
    }

    /// The columns a mark's caret line takes, from the line's start.
    fn reach(&self, mark: &Mark) -> usize {
        let carets = self.column(mark.end).max(self.column(mark.start) + 1);
        carets + message_columns(mark.message)
    }

    /// The first char boundary at or after `column`, never past the line's first
    /// mark; at the line's start when cutting would save nothing.
    fn start_at(&self, column: usize, marks: &[Mark]) -> usize {
        let index = self.bounds.partition_point(|&(_, at)| at < column);
        let first_mark = marks.iter().map(|mark| mark.start).min();
        let start = self
            .bounds
            .get(index)
            .map_or(self.line_end(), |&(byte, _)| byte)
            .min(first_mark.unwrap_or(usize::MAX));
        if self.column(start) <= ELLIPSIS.len() {
            0
        } else {
            start
        }
    }

    /// Where a window from `start` ends: as far right as everything still fits, and
    /// at least one char past `start` (a message wider than the budget overflows).
    fn right_edge(&self, start: usize, marks: &[Mark], budget: usize) -> usize {
        let len = self.line_end();
        let fits = |end: usize| Window { start, end, len }.fits(self, marks, budget);
        let candidates = self.bounds.iter().rev().map(|&(byte, _)| byte);
        let mut shortest = len;
        for end in candidates.take_while(|&end| end > start) {
            if fits(end) {
                return end;
            }
            shortest = end;
        }
        shortest
    }

    /// The smallest column, at most `left`, from which the rest of the line fits.
    fn leftmost_column(&self, left: usize, marks: &[Mark], budget: usize) -> usize {
        let len = self.line_end();
        let fits = |start: usize| {
            Window {
                start,
                end: len,
                len,
            }
            .fits(self, marks, budget)
        };
        self.bounds
            .iter()
            .rev()
            .skip_while(|&&(_, column)| column > left)
            .take_while(|&&(byte, _)| fits(byte))
            .last()
            .map_or(left, |&(_, column)| column)
    }
}

/// The windows of a snippet's lines, all from one column.
fn fit_snippet(snippet: &[(&Grid, &[Mark])], budget: usize) -> Vec<Window> {
    let whole: Vec<Window> = snippet
        .iter()
        .map(|(grid, _)| Window::whole(grid.line_end()))
        .collect();
    if whole
        .iter()
        .zip(snippet)
        .all(|(window, (grid, marks))| window.fits(grid, marks, budget))
    {
        return whole;
    }
    let left = left_column(snippet, budget);
    let windows = cut(snippet, left, budget);
    if windows.iter().any(|window| window.end < window.len) {
        return windows;
    }
    // Every line ends whole: the columns centring kept for the right go left.
    let widest = snippet
        .iter()
        .map(|(grid, marks)| grid.leftmost_column(left, marks, budget))
        .max()
        .unwrap_or(left);
    cut(snippet, widest, budget)
}

/// The column every window of a snippet starts at: the lines' start when all the
/// marks print fits from there; else the marks and their messages centred, as rustc
/// centres a span; else (the marks are wider than the budget) the first mark.
fn left_column(snippet: &[(&Grid, &[Mark])], budget: usize) -> usize {
    let columns = snippet.iter().flat_map(|(grid, marks)| {
        marks
            .iter()
            .map(|mark| (grid.column(mark.start), grid.reach(mark)))
    });
    let Some((first, reach)) =
        columns.reduce(|(first, reach), (start, end)| (first.min(start), reach.max(end)))
    else {
        return 0;
    };
    if reach <= budget {
        return 0;
    }
    match budget.checked_sub(ELLIPSIS.len() + reach - first) {
        Some(slack) => first.saturating_sub(slack / 2),
        None => first,
    }
}

/// The snippet's lines cut from `left` (a column), each as far right as fits.
fn cut(snippet: &[(&Grid, &[Mark])], left: usize, budget: usize) -> Vec<Window> {
    snippet
        .iter()
        .map(|(grid, marks)| {
            let len = grid.line_end();
            let start = grid.start_at(left, marks);
            let end = grid.right_edge(start, marks, budget);
            Window { start, end, len }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The line as shown, and every mark's range in it.
    fn show(line: &str, marks: &[Mark], budget: usize) -> (String, Vec<String>) {
        let window = fit_one(line, marks, budget);
        let shown = window.text(line);
        let labelled = marks
            .iter()
            .map(|mark| {
                let range =
                    window.place(mark.start, Edge::Start)..window.place(mark.end, Edge::End);
                shown[range].to_owned()
            })
            .collect();
        (shown, labelled)
    }

    fn fit_one(line: &str, marks: &[Mark], budget: usize) -> Window {
        let windows = Window::fit(&[(line, marks.to_vec())], budget);
        windows
            .first()
            .copied()
            .unwrap_or(Window::whole(line.len()))
    }

    fn mark(line: &str, text: &str, message: usize) -> Mark {
        let start = line
            .find(text)
            .unwrap_or_else(|| panic!("{text} not in {line}"));
        Mark {
            start,
            end: start + text.len(),
            message,
        }
    }

    fn padded_row(cells: &[&str]) -> String {
        let cells: Vec<String> = cells.iter().map(|cell| format!(" {cell:<60} ")).collect();
        format!("|{}|", cells.join("|"))
    }

    #[test]
    fn a_line_that_fits_is_kept_whole() {
        let line = "| `id` | *str* | :heavy_check_mark: |";
        let (shown, labelled) = show(line, &[mark(line, "*str*", 20)], 80);
        assert_eq!(shown, line);
        assert_eq!(labelled, ["*str*"]);
    }

    #[test]
    fn a_label_in_the_middle_keeps_context_on_both_sides() {
        let line = padded_row(&["`id`", "*strr*", ":heavy_check_mark:", "N/A"]);
        let (shown, labelled) = show(&line, &[mark(&line, "*strr*", 30)], 80);
        assert!(
            shown.starts_with("...") && shown.ends_with("..."),
            "{shown}"
        );
        assert!(columns(&shown) <= 80, "{shown}");
        assert_eq!(labelled, ["*strr*"]);
        let before = shown.find("*strr*").unwrap_or_default();
        assert!(before > 10, "too little left context: {shown}");
    }

    #[test]
    fn a_label_at_the_start_cuts_only_the_end() {
        let line = padded_row(&["`id`", "*str*", ":heavy_check_mark:"]);
        let (shown, labelled) = show(&line, &[mark(&line, "`id`", 10)], 50);
        assert!(
            shown.starts_with("| `id`") && shown.ends_with("..."),
            "{shown}"
        );
        assert_eq!(columns(&shown), 50);
        assert_eq!(labelled, ["`id`"]);
    }

    #[test]
    fn a_label_at_the_end_cuts_only_the_start() {
        let line = padded_row(&["`id`", "*str*", "N/A"]);
        let end = line.len();
        let marks = [Mark {
            start: end - 1,
            end,
            message: 5,
        }];
        let (shown, labelled) = show(&line, &marks, 50);
        assert!(shown.starts_with("...") && shown.ends_with(" |"), "{shown}");
        // As much of the line as leaves room for the message.
        assert_eq!(columns(&shown), 50 - 6, "{shown}");
        assert_eq!(labelled, ["|"]);
    }

    #[test]
    fn a_label_longer_than_the_window_runs_into_the_cut() {
        let line = format!("| {} |", "x".repeat(300));
        let marks = [Mark {
            start: 0,
            end: line.len(),
            message: 16,
        }];
        let (shown, labelled) = show(&line, &marks, 60);
        assert!(
            shown.starts_with("| xxx") && shown.ends_with("x..."),
            "{shown}"
        );
        // The carets cover the `...`, and the message still fits after them.
        assert_eq!(labelled, [shown.as_str()]);
        assert_eq!(columns(&shown) + 1 + 16, 60);
    }

    #[test]
    fn multi_byte_text_is_cut_between_chars() {
        let line = format!(
            "| {} | `naïve` | {} |",
            "é".repeat(100),
            "日本語".repeat(40)
        );
        let (shown, labelled) = show(&line, &[mark(&line, "`naïve`", 12)], 40);
        assert!(columns(&shown) <= 40, "{shown}");
        assert!(shown.chars().count() <= 40, "{shown}");
        assert_eq!(labelled, ["`naïve`"]);
        assert!(shown.contains("é |") && shown.contains("| 日"), "{shown}");
    }

    #[test]
    fn wide_chars_count_twice() {
        assert_eq!(columns("日本"), 4);
        assert_eq!(columns("é\t"), 1 + TAB_WIDTH);
        assert_eq!(columns("✔\u{fe0f}"), 2);
    }

    #[test]
    fn the_rows_of_one_snippet_stay_aligned() {
        let first = padded_row(&["`id`", "*str*", ":heavy_check_mark:", "N/A"]);
        let second = padded_row(&["`name`", "*int*", ":heavy_check_mark:", "Again."]);
        let marks = vec![mark(&second, "*int*", 20)];
        let windows = Window::fit(&[(&first, Vec::new()), (&second, marks)], 80);
        let shown: Vec<String> = windows
            .iter()
            .zip([&first, &second])
            .map(|(window, line)| window.text(line))
            .collect();
        assert!(shown[1].starts_with("..."), "{shown:?}");
        assert_eq!(shown[0].find('|'), shown[1].find('|'), "{shown:?}");
        assert!(shown.iter().all(|line| columns(line) <= 80), "{shown:?}");
    }

    #[test]
    fn labels_too_far_apart_for_one_margin_each_get_their_own() {
        let heading = "# Title";
        let row = padded_row(&["`id`", "*str*", "Oui", "N/A"]);
        let lines = [
            (heading, vec![mark(heading, "# Title", 12)]),
            (row.as_str(), vec![mark(&row, "Oui", 50)]),
        ];
        let windows = Window::fit(&lines, 80);
        assert_eq!(windows[0].text(heading), heading);
        let shown = windows[1].text(&row);
        assert!(
            shown.starts_with("...") && shown.contains("| Oui"),
            "{shown}"
        );
    }

    #[test]
    fn an_empty_label_keeps_its_place() {
        let line = format!(
            "| `tags` {}| List[*str* {}|",
            " ".repeat(100),
            " ".repeat(100)
        );
        let at = line.find("List[*str*").unwrap_or_default() + "List[*str*".len();
        let marks = [
            mark(&line, "List[*str*", 0),
            Mark {
                start: at,
                end: at,
                message: 33,
            },
        ];
        let window = fit_one(&line, &marks, 80);
        let shown = window.text(&line);
        let place = window.place(at, Edge::Start);
        assert_eq!(window.place(at, Edge::End), place);
        assert!(shown[..place].ends_with("List[*str*"), "{shown}");
        assert_eq!(window.source_offset(place), at);
    }

    #[test]
    fn offsets_in_cut_parts_map_to_their_ellipsis() {
        let line = "a".repeat(200);
        let marks = [Mark {
            start: 100,
            end: 101,
            message: 0,
        }];
        let window = fit_one(&line, &marks, 40);
        let shown = window.text(&line);
        assert_eq!(window.place(0, Edge::Start), 0);
        assert_eq!(window.place(0, Edge::End), ELLIPSIS.len());
        assert_eq!(window.place(199, Edge::End), shown.len());
        assert_eq!(window.place(200, Edge::End), shown.len());
        assert_eq!(window.place(201, Edge::Start), shown.len() + 1);
        assert_eq!(window.source_offset(shown.len() + 1), 201);
    }

    #[test]
    fn a_tiny_budget_still_shows_something() {
        let line = "| `id` | *str* |";
        let window = fit_one(line, &[mark(line, "*str*", 50)], 0);
        assert!(!window.text(line).is_empty());
    }
}
