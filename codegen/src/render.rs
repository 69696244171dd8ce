//! Rendering diagnostics: the one place that turns them into text for people (with
//! source snippets, by codespan-reporting), for tools (JSON) and for GitHub Actions
//! (workflow annotations).
//!
//! Speakeasy pads table cells to the widest one, so a row can be hundreds of columns
//! wide; the human format fits a terminal by showing codespan-reporting an excerpt of
//! the files with such lines cut around their labels, and by wrapping messages and
//! notes. JSON and GitHub locations are the files' own.

use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::Error as FilesError;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use crate::diagnostic::{Diagnostic, Diagnostics, FileId, Label, Severity, SourceFiles, Span};

mod excerpt;
pub mod github;
mod window;
mod wrap;

use excerpt::{Excerpt, Labelled};

/// An output format for diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Human,
    Json,
    Github,
}

/// The width the human format fits when none is given, in columns.
pub const DEFAULT_WIDTH: usize = 120;

/// How diagnostics are rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RenderOptions {
    pub format: Format,
    /// The widest a line of the human format may be, in columns, gutter included:
    /// longer source lines are cut to a window around their labels (`...` stands for
    /// what is cut), and messages and notes are wrapped. Only what cannot be cut goes
    /// past it: a long file path, a label's message, a single word.
    pub width: usize,
    /// ANSI colours in the human format, for a terminal.
    pub color: bool,
}

impl RenderOptions {
    /// `format` at the default width, without colour.
    pub fn new(format: Format) -> Self {
        Self {
            format,
            width: DEFAULT_WIDTH,
            color: false,
        }
    }
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self::new(Format::Human)
    }
}

/// Renders every diagnostic in `format`, with the default options otherwise.
pub fn render(diagnostics: &Diagnostics, files: &SourceFiles, format: Format) -> String {
    render_with(diagnostics, files, &RenderOptions::new(format))
}

/// Renders every diagnostic.
pub fn render_with(
    diagnostics: &Diagnostics,
    files: &SourceFiles,
    options: &RenderOptions,
) -> String {
    match options.format {
        Format::Human => human(diagnostics, files, options),
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

/// Every label of a diagnostic, the primary first.
fn labels(diagnostic: &Diagnostic) -> Vec<(cs::LabelStyle, &Label)> {
    diagnostic
        .primary
        .iter()
        .map(|label| (cs::LabelStyle::Primary, label))
        .chain(
            diagnostic
                .secondary
                .iter()
                .map(|label| (cs::LabelStyle::Secondary, label)),
        )
        .collect()
}

fn to_codespan(
    diagnostic: &Diagnostic,
    excerpt: &Excerpt<'_>,
    labels: &[(cs::LabelStyle, &Label)],
    width: usize,
    note_indent: usize,
) -> cs::Diagnostic<FileId> {
    let severity = match diagnostic.severity {
        Severity::Error => cs::Severity::Error,
        Severity::Warning => cs::Severity::Warning,
        Severity::Info => cs::Severity::Note,
    };
    let labels = labels
        .iter()
        .map(|&(style, label)| {
            cs::Label::new(style, label.span.file, excerpt.range(label.span))
                .with_message(&label.message)
        })
        .collect();
    let mut notes = diagnostic.notes.clone();
    if !diagnostic.details.is_empty() {
        notes.push(format!(
            "{}; `--format json` lists each one",
            crate::diagnostic::count(diagnostic.details.len(), "site", "sites")
        ));
    }
    let budget = width.saturating_sub(note_indent);
    let notes = notes
        .iter()
        .map(|note| wrap::wrap(note, budget, budget).join("\n"))
        .collect();
    cs::Diagnostic::new(severity)
        .with_code(diagnostic.code.name())
        .with_message(header_message(diagnostic, width))
        .with_labels(labels)
        .with_notes(notes)
}

/// The message wrapped to the width, its later lines aligned under its first.
fn header_message(diagnostic: &Diagnostic, width: usize) -> String {
    let prefix = window::columns(&format!(
        "{}[{}]: ",
        severity_word(diagnostic.severity),
        diagnostic.code
    ));
    let budget = width.saturating_sub(prefix);
    let indent = format!("\n{}", " ".repeat(prefix));
    wrap::wrap(&diagnostic.message, budget, budget).join(&indent)
}

fn human(diagnostics: &Diagnostics, files: &SourceFiles, options: &RenderOptions) -> String {
    let config = term::Config::default();
    let mut out = String::new();
    for diagnostic in diagnostics.iter() {
        let labels = labels(diagnostic);
        let labelled: Vec<Labelled<'_>> = labels
            .iter()
            .map(|(_, label)| (label.span, label.message.as_str()))
            .collect();
        let excerpt = Excerpt::new(files, &labelled, options.width);
        // codespan-reporting writes notes after the gutter and `= `.
        let note_indent = excerpt::line_digits(files, &labelled) + 3;
        let rendered = to_codespan(diagnostic, &excerpt, &labels, options.width, note_indent);
        match emit(&config, &excerpt, &rendered, options.color) {
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

fn emit(
    config: &term::Config,
    excerpt: &Excerpt<'_>,
    diagnostic: &cs::Diagnostic<FileId>,
    color: bool,
) -> Result<String, FilesError> {
    if !color {
        return term::emit_into_string(config, excerpt, diagnostic);
    }
    let mut buffer = termcolor::Buffer::ansi();
    term::emit_to_write_style(&mut buffer, config, excerpt, diagnostic)?;
    // codespan-reporting writes the UTF-8 it is given, and ANSI escapes are ASCII.
    Ok(String::from_utf8_lossy(buffer.as_slice()).into_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    use crate::diagnostic::{Code, SourceFile};

    /// A padded table whose second row has a broken Required cell after multi-byte text.
    fn padded_file() -> (SourceFiles, Span) {
        let cell = |text: &str| format!(" {text:<50} ");
        let row = |cells: [&str; 4]| format!("|{}|\n", cells.map(cell).join("|"));
        let text = [
            "# Café\n\n## Fields\n\n".to_owned(),
            row(["Field", "Type", "Required", "Description"]),
            row(["---", "---", "---", "---"]),
            row(["`naïve_déjà_vu`", "*str*", "Oui ✔️", "Ünïcödé everywhere"]),
        ]
        .concat();
        let start = text.find("Oui").unwrap_or_default();
        let span = Span::new(FileId(0), start, start + "Oui ✔️".len());
        let mut files = SourceFiles::default();
        files.add(SourceFile::new(
            "models/cafe.md".to_owned(),
            "specs/models/cafe.md".to_owned(),
            text,
        ));
        (files, span)
    }

    fn one(span: Span) -> Diagnostics {
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(
            Diagnostic::new(
                Code::UnknownRequiredMarker,
                "unknown Required marker `Oui ✔️`",
            )
            .at(
                span,
                "expected `:heavy_check_mark:` or `:heavy_minus_sign:`",
            )
            .also(Span::new(FileId(0), 0, 7), "in this model"),
        );
        diagnostics
    }

    #[test]
    fn human_lines_fit_the_width_and_name_the_files_columns() {
        let (files, span) = padded_file();
        let options = RenderOptions {
            width: 80,
            ..RenderOptions::default()
        };
        let rendered = render_with(&one(span), &files, &options);
        for line in rendered.lines() {
            assert!(line.chars().count() <= 80, "{line:?} in\n{rendered}");
        }
        let (line, column) = files.get(FileId(0)).line_column(span.start as usize);
        assert!(
            rendered.contains(&format!("cafe.md:{line}:{column}")),
            "{rendered}"
        );
        let row = rendered
            .lines()
            .find(|line| line.contains("│ ...") && line.contains("Oui"))
            .unwrap_or_default();
        let carets = rendered
            .lines()
            .find(|line| line.contains('^'))
            .unwrap_or_default();
        // The carets sit under the cell's text, counted in chars as a terminal shows them.
        let under = |line: &str, text: &str| {
            let at = line.find(text).unwrap_or_default();
            line[..at].chars().count()
        };
        assert_eq!(under(row, "Oui"), under(carets, "^"), "{rendered}");
        assert!(
            row.starts_with("7 │ ...") && row.ends_with("..."),
            "{rendered}"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let (files, span) = padded_file();
        let plain = render(&one(span), &files, Format::Human);
        assert!(!plain.contains('\u{1b}'), "{plain}");
        let options = RenderOptions {
            color: true,
            ..RenderOptions::default()
        };
        let coloured = render_with(&one(span), &files, &options);
        assert!(coloured.contains("\u{1b}["), "{coloured}");
        assert_eq!(strip_ansi(&coloured), plain);
    }

    fn strip_ansi(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' {
                chars.by_ref().find(|&c| c == 'm');
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn a_tiny_width_does_not_panic() {
        let (files, span) = padded_file();
        for width in [0, 1, 5, 12] {
            let options = RenderOptions {
                width,
                ..RenderOptions::default()
            };
            assert!(render_with(&one(span), &files, &options).contains("marker"));
        }
    }
}
