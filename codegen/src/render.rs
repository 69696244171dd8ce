//! Rendering diagnostics: the one place that turns them into text for people (with
//! source snippets, by codespan-reporting), for tools (JSON) and for GitHub Actions
//! (workflow annotations).

use std::ops::Range;

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics, FileId, Label, Severity, SourceFiles, Span};

pub mod github;

/// An output format for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Human,
    Json,
    Github,
}

impl<'a> Files<'a> for SourceFiles {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).display)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        Ok(&self.get(id).text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .get(id)
            .line_starts()
            .partition_point(|&start| start <= byte_index)
            .saturating_sub(1))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        let file = self.get(id);
        let starts = file.line_starts();
        let start = *starts.get(line_index).ok_or(FilesError::LineTooLarge {
            given: line_index,
            max: starts.len().saturating_sub(1),
        })?;
        let end = starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(file.text.len());
        Ok(start..end)
    }
}

/// Renders every diagnostic, followed (in human format) by a summary line.
pub fn render(diagnostics: &Diagnostics, files: &SourceFiles, format: Format) -> String {
    match format {
        Format::Human => human(diagnostics, files),
        Format::Json => json(diagnostics, files),
        Format::Github => annotations(diagnostics, files),
    }
}

/// `2 errors, 1 warning, 3 notes`.
pub fn summary(diagnostics: &Diagnostics) -> String {
    let plural = |count: usize, word: &str| {
        if count == 1 {
            format!("{count} {word}")
        } else {
            format!("{count} {word}s")
        }
    };
    format!(
        "{}, {}, {}",
        plural(diagnostics.count(Severity::Error), "error"),
        plural(diagnostics.count(Severity::Warning), "warning"),
        plural(diagnostics.count(Severity::Info), "note")
    )
}

fn to_codespan(diagnostic: &Diagnostic) -> cs::Diagnostic<FileId> {
    let severity = match diagnostic.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Info => cs::Severity::Note,
    };
    let label = |style, label: &Label| {
        cs::Label::new(style, label.span.file, label.span.range()).with_message(&label.message)
    };
    let mut labels = Vec::new();
    if let Some(primary) = &diagnostic.primary {
        labels.push(label(cs::LabelStyle::Primary, primary));
    }
    labels.extend(
        diagnostic
            .secondary
            .iter()
            .map(|secondary| label(cs::LabelStyle::Secondary, secondary)),
    );
    let mut notes = diagnostic.notes.clone();
    if !diagnostic.details.is_empty() {
        notes.push(format!(
            "{}; `--format json` lists each one",
            crate::diagnostic::count(diagnostic.details.len(), "site", "sites")
        ));
    }
    cs::Diagnostic::new(severity)
        .with_code(diagnostic.code.name())
        .with_message(&diagnostic.message)
        .with_labels(labels)
        .with_notes(notes)
}

fn human(diagnostics: &Diagnostics, files: &SourceFiles) -> String {
    let config = term::Config::default();
    let mut out = String::new();
    for diagnostic in diagnostics.iter() {
        match term::emit_into_string(&config, files, &to_codespan(diagnostic)) {
            Ok(text) => out.push_str(&text),
            // A span that does not fit its file is a bug upstream; still say what it was.
            Err(_) => out.push_str(&format!(
                "{}[{}]: {}\n\n",
                severity_word(diagnostic.severity),
                diagnostic.code,
                diagnostic.message
            )),
        }
    }
    out
}

fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: JsonSummary,
}

#[derive(Debug, Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Debug, Serialize)]
struct JsonDiagnostic<'a> {
    severity: Severity,
    code: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<JsonSpan<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<JsonSpan<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    notes: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    details: Vec<JsonDetail<'a>>,
}

#[derive(Debug, Serialize)]
struct JsonSpan<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    label: &'a str,
}

#[derive(Debug, Serialize)]
struct JsonDetail<'a> {
    location: String,
    model: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    note: &'a str,
}

fn json_span<'a>(files: &'a SourceFiles, label: &'a Label) -> JsonSpan<'a> {
    let (line, column, end_line, end_column) = line_columns(files, label.span);
    JsonSpan {
        file: &files.get(label.span.file).display,
        line,
        column,
        end_line,
        end_column,
        label: &label.message,
    }
}

fn line_columns(files: &SourceFiles, span: Span) -> (u32, u32, u32, u32) {
    let file = files.get(span.file);
    let (line, column) = file.line_column(span.start as usize);
    let (end_line, end_column) = file.line_column(span.end as usize);
    (line, column, end_line, end_column)
}

/// A spec-relative location shown with the path the user gave.
fn display_location(files: &SourceFiles, location: &crate::diagnostic::Location) -> String {
    let display = files
        .iter()
        .find(|(_, file)| file.relative == location.file)
        .map_or(location.file.as_str(), |(_, file)| file.display.as_str());
    format!("{display}:{}:{}", location.line, location.column)
}

fn json(diagnostics: &Diagnostics, files: &SourceFiles) -> String {
    let report = JsonReport {
        diagnostics: diagnostics
            .iter()
            .map(|diagnostic| JsonDiagnostic {
                severity: diagnostic.severity,
                code: diagnostic.code.name(),
                message: &diagnostic.message,
                location: diagnostic
                    .primary
                    .as_ref()
                    .map(|label| json_span(files, label)),
                related: diagnostic
                    .secondary
                    .iter()
                    .map(|label| json_span(files, label))
                    .collect(),
                notes: &diagnostic.notes,
                details: diagnostic
                    .details
                    .iter()
                    .map(|detail| JsonDetail {
                        location: display_location(files, &detail.location),
                        model: &detail.model,
                        field: detail.field.as_deref(),
                        note: &detail.note,
                    })
                    .collect(),
            })
            .collect(),
        summary: JsonSummary {
            errors: diagnostics.count(Severity::Error),
            warnings: diagnostics.count(Severity::Warning),
            infos: diagnostics.count(Severity::Info),
        },
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

fn annotations(diagnostics: &Diagnostics, files: &SourceFiles) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics.iter() {
        let level = match diagnostic.severity {
            Severity::Error => github::Level::Error,
            Severity::Warning => github::Level::Warning,
            Severity::Info => github::Level::Notice,
        };
        let mut properties = Vec::new();
        if let Some(primary) = &diagnostic.primary {
            let (line, column, end_line, end_column) = line_columns(files, primary.span);
            properties.push(("file", files.get(primary.span.file).display.clone()));
            properties.push(("line", line.to_string()));
            properties.push(("col", column.to_string()));
            properties.push(("endLine", end_line.to_string()));
            properties.push(("endColumn", end_column.to_string()));
        }
        properties.push(("title", diagnostic.code.name().to_owned()));
        let mut message = diagnostic.message.clone();
        for note in &diagnostic.notes {
            message.push_str("\nnote: ");
            message.push_str(note);
        }
        out.push_str(&github::command(level.command(), &properties, &message));
    }
    out
}
