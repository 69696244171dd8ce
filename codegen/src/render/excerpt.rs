//! One diagnostic's view of the files its labels point into, as codespan-reporting
//! reads files: the lines from its first label to its last, each line too wide for
//! the terminal cut to a [window](super::window) around what its labels point at,
//! and the labels' spans moved to match. Line numbers and the header's columns are
//! still the file's.

use std::ops::{Range, RangeInclusive};

use codespan_reporting::files::{Error as FilesError, Files};

use super::window::{self, Edge, Mark, Window};
use crate::diagnostic::{FileId, SourceFile, SourceFiles, Span};

/// The columns of ` │ ` between a line number and its line.
pub(super) const BORDER: usize = 3;

/// A label to show: where it points, and its message.
pub(super) type Labelled<'m> = (Span, &'m str);

#[derive(Debug)]
pub(super) struct Excerpt<'a> {
    files: &'a SourceFiles,
    parts: Vec<Part>,
    /// Each label's start in the excerpt and in its file: the header names the file's
    /// column even for a label that starts in a cut part.
    origins: Vec<(FileId, usize, usize)>,
}

/// The shown lines of one file.
#[derive(Debug)]
struct Part {
    file: FileId,
    /// The file's index of the first shown line.
    first_line: usize,
    text: String,
    lines: Vec<Line>,
}

#[derive(Debug)]
struct Line {
    /// Where the line starts in the part's text.
    at: usize,
    /// Where the line starts in the file.
    source: usize,
    window: Window,
}

/// A label's offsets in its file, clamped to it, with the indexes of their lines.
#[derive(Debug, Clone, Copy)]
struct Placed {
    start: usize,
    end: usize,
    start_line: usize,
    end_line: usize,
    message: usize,
}

/// The index of the line holding byte `byte` of `file`.
pub(super) fn line_of(file: &SourceFile, byte: usize) -> usize {
    file.line_starts()
        .partition_point(|&start| start <= byte)
        .saturating_sub(1)
}

/// The digits of the largest line number the labels show: codespan-reporting's
/// gutter is this wide, then ` │ `.
pub(super) fn line_digits(files: &SourceFiles, labels: &[Labelled<'_>]) -> usize {
    labels
        .iter()
        .map(|(span, _)| {
            let file = files.get(span.file);
            line_of(file, span.end as usize).max(line_of(file, span.start as usize)) + 1
        })
        .max()
        .map_or(0, |line| line.to_string().len())
}

impl<'a> Excerpt<'a> {
    /// The view of `labels` in which no shown line is wider than `width` columns,
    /// gutter included, whenever the labels' messages leave room for it.
    pub(super) fn new(files: &'a SourceFiles, labels: &[Labelled<'_>], width: usize) -> Self {
        let digits = line_digits(files, labels);
        let mut ids: Vec<FileId> = labels.iter().map(|(span, _)| span.file).collect();
        ids.sort_unstable();
        ids.dedup();
        let parts = ids
            .into_iter()
            .map(|id| Part::new(id, files.get(id), labels, width, digits))
            .collect();
        let mut excerpt = Self {
            files,
            parts,
            origins: Vec::new(),
        };
        excerpt.origins = labels
            .iter()
            .map(|(span, _)| {
                let start = span.start as usize;
                (
                    span.file,
                    excerpt.place(span.file, start, Edge::Start),
                    start,
                )
            })
            .collect();
        excerpt
    }

    /// Where `span` is in the excerpt.
    pub(super) fn range(&self, span: Span) -> Range<usize> {
        let start = self.place(span.file, span.start as usize, Edge::Start);
        let end = self.place(span.file, span.end as usize, Edge::End);
        start..end.max(start)
    }

    fn place(&self, id: FileId, offset: usize, edge: Edge) -> usize {
        let Ok(part) = self.part(id) else {
            return offset;
        };
        let file = self.files.get(id);
        let offset = window::floor_boundary(&file.text, offset);
        let index = line_of(file, offset);
        match index
            .checked_sub(part.first_line)
            .and_then(|shown| part.lines.get(shown))
        {
            Some(line) => line.at + line.window.place(offset - line.source, edge),
            None => part.text.len(),
        }
    }

    fn part(&self, id: FileId) -> Result<&Part, FilesError> {
        self.parts
            .iter()
            .find(|part| part.file == id)
            .ok_or(FilesError::FileMissing)
    }
}

impl Part {
    fn new(
        id: FileId,
        file: &SourceFile,
        labels: &[Labelled<'_>],
        width: usize,
        digits: usize,
    ) -> Self {
        let placed: Vec<Placed> = labels
            .iter()
            .filter(|(span, _)| span.file == id)
            .map(|(span, message)| place(file, *span, message))
            .collect();
        let first_line = placed.iter().map(|label| label.start_line).min();
        let last_line = placed.iter().map(|label| label.end_line).max();
        // A label over several lines adds a column of its own (`│ ╭`) to the gutter.
        let multi = placed
            .iter()
            .filter(|label| label.start_line != label.end_line)
            .count();
        let budget = width.saturating_sub(digits + BORDER + 2 * multi);
        let (text, lines) = match (first_line, last_line) {
            (Some(first), Some(last)) => shown_lines(file, first..=last, &placed, budget),
            _ => (String::new(), Vec::new()),
        };
        Self {
            file: id,
            first_line: first_line.unwrap_or(0),
            text,
            lines,
        }
    }
}

/// The lines `indexes` of `file`, each cut to its window, as one text.
fn shown_lines(
    file: &SourceFile,
    indexes: RangeInclusive<usize>,
    labels: &[Placed],
    budget: usize,
) -> (String, Vec<Line>) {
    let first = *indexes.start();
    let lines: Vec<(usize, &str)> = indexes.map(|index| source_line(file, index)).collect();
    let marked: Vec<(&str, Vec<Mark>)> = lines
        .iter()
        .zip(first..)
        .map(|(&(start, raw), index)| {
            let content = raw.trim_end_matches(['\n', '\r']);
            (content, marks(labels, index, start, content.len()))
        })
        .collect();
    let windows = Window::fit(&marked, budget);
    let mut text = String::new();
    let mut shown = Vec::with_capacity(lines.len());
    for ((&(start, raw), (content, _)), window) in lines.iter().zip(&marked).zip(windows) {
        shown.push(Line {
            at: text.len(),
            source: start,
            window,
        });
        text.push_str(&window.text(content));
        text.push_str(&raw[content.len()..]);
    }
    (text, shown)
}

/// Where line `index` starts in `file`, and its text with its line break.
fn source_line(file: &SourceFile, index: usize) -> (usize, &str) {
    let starts = file.line_starts();
    let start = starts.get(index).copied().unwrap_or(file.text.len());
    let end = starts.get(index + 1).copied().unwrap_or(file.text.len());
    (start, file.text.get(start..end).unwrap_or_default())
}

/// The parts of `labels` on line `index`, which starts at `start` and has `len`
/// bytes before its line break.
fn marks(labels: &[Placed], index: usize, start: usize, len: usize) -> Vec<Mark> {
    labels
        .iter()
        .filter(|label| (label.start_line..=label.end_line).contains(&index))
        .map(|label| Mark {
            start: label.start.saturating_sub(start).min(len),
            end: label.end.saturating_sub(start).min(len),
            // A label over several lines prints its message on its last line.
            message: if label.end_line == index {
                label.message
            } else {
                0
            },
        })
        .collect()
}

fn place(file: &SourceFile, span: Span, message: &str) -> Placed {
    let start = window::floor_boundary(&file.text, span.start as usize);
    let end = window::floor_boundary(&file.text, span.end as usize).max(start);
    Placed {
        start,
        end,
        start_line: line_of(file, start),
        end_line: line_of(file, end),
        message: window::columns(message),
    }
}

impl<'a> Files<'a> for Excerpt<'_> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.files.get(id).display)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.part(id)?.text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .part(id)?
            .lines
            .partition_point(|line| line.at <= byte_index)
            .saturating_sub(1))
    }

    fn line_number(&'a self, id: FileId, line_index: usize) -> Result<usize, FilesError> {
        Ok(self.part(id)?.first_line + line_index + 1)
    }

    fn column_number(
        &'a self,
        id: FileId,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let part = self.part(id)?;
        let origin = self
            .origins
            .iter()
            .find(|&&(file, at, _)| file == id && at == byte_index)
            .map(|&(_, _, source)| source);
        let source = match origin {
            Some(source) => source,
            None => {
                let line = part.lines.get(line_index).ok_or(FilesError::LineTooLarge {
                    given: line_index,
                    max: part.lines.len().saturating_sub(1),
                })?;
                line.source
                    + line
                        .window
                        .source_offset(byte_index.saturating_sub(line.at))
            }
        };
        Ok(self.files.get(id).line_column(source).1 as usize)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let part = self.part(id)?;
        let line = part.lines.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: part.lines.len().saturating_sub(1),
        })?;
        let end = part
            .lines
            .get(line_index + 1)
            .map_or(part.text.len(), |next| next.at);
        Ok(line.at..end)
    }
}
