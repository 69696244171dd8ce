//! Diagnostics: the catalogue of every code the pipeline reports, spans into source
//! files, and the collection each phase fills before it stops at its boundary.

use std::fmt;

use serde::Serialize;

/// `1 cell`, `2 cells`: counts in messages read as English.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("{n} {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// Index of a file in [`SourceFiles`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Self {
            file,
            start: offset(start),
            end: offset(end.max(start)),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// Documents larger than 4 GiB are not model docs; clamp rather than wrap around.
fn offset(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// One file read from the spec, with its line index.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Spec-relative path with `/` separators (`models/agent.md`).
    pub relative: String,
    /// How the path is shown to the user.
    pub display: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(relative: String, display: String, text: String) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(index, _)| index + 1))
            .collect();
        Self {
            relative,
            display,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, byte: usize) -> (u32, u32) {
        let byte = byte.min(self.text.len());
        let line_index = self
            .line_starts
            .partition_point(|&start| start <= byte)
            .saturating_sub(1);
        let line_start = self.line_starts[line_index];
        let column = self
            .text
            .get(line_start..byte)
            .map_or(byte - line_start, |prefix| prefix.chars().count());
        (offset(line_index + 1), offset(column + 1))
    }

    pub fn line_starts(&self) -> &[usize] {
        &self.line_starts
    }
}

/// Every file the pipeline has read, addressed by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct SourceFiles {
    files: Vec<SourceFile>,
}

impl SourceFiles {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(offset(self.files.len() - 1))
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(index, file)| (FileId(offset(index)), file))
    }

    /// The span from a location to the end of its line, for pointing at IR facts.
    pub fn span_at(&self, location: &Location) -> Option<Span> {
        let (id, file) = self
            .iter()
            .find(|(_, file)| file.relative == location.file)?;
        let line_start = *file
            .line_starts
            .get(location.line.checked_sub(1)? as usize)?;
        let line = &file.text[line_start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let column = line
            .char_indices()
            .nth(location.column.saturating_sub(1) as usize)
            .map_or(line.len(), |(index, _)| index);
        // In a table row, point at the first cell (the field name), not the whole row.
        let rest = &line[column..];
        let end = match rest.strip_prefix('|').and_then(|cells| cells.find('|')) {
            Some(pipe) => column + 1 + pipe,
            None => line.trim_end().len().max(column),
        };
        let end = column + line[column..end].trim_end().len();
        Some(Span::new(id, line_start + column, line_start + end))
    }

    /// A span as a user-facing location.
    pub fn location(&self, span: Span) -> Location {
        let file = self.get(span.file);
        let (line, column) = file.line_column(span.start as usize);
        Location {
            file: file.relative.clone(),
            line,
            column,
        }
    }
}

/// A position in a spec file, as recorded in the IR and shown to users.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

impl Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl std::str::FromStr for Location {
    type Err = String;

    /// Reads the `file:line:column` form [`Location`] displays as; the file part may
    /// itself hold `:` (a `git:REV:path` source).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts = text.rsplitn(3, ':');
        let column = parts.next().and_then(|part| part.parse().ok());
        let line = parts.next().and_then(|part| part.parse().ok());
        match (parts.next(), line, column) {
            (Some(file), Some(line), Some(column)) if !file.is_empty() => Ok(Location {
                file: file.to_owned(),
                line,
                column,
            }),
            _ => Err(format!("`{text}` is not a `file:line:column` location")),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Location {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

macro_rules! catalogue {
    ($($variant:ident = $name:literal, $severity:ident, $summary:literal;)*) => {
        /// Every diagnostic the pipeline can report. The name is the stable code users
        /// see and filter on; the summary is the catalogue line in the README.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            pub fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)*
                }
            }
        }
    };
}

catalogue! {
    // Reading files.
    InvalidUtf8 = "invalid-utf8", Error, "a document is not valid UTF-8";
    MixedDialects = "mixed-dialects", Error, "the documents of one spec folder are written by different SDK dialects";
    // Document structure.
    MissingTitle = "missing-title", Error, "a document does not start with a `# Title` heading";
    UnknownDocumentKind = "unknown-document-kind", Error, "a document has none of `## Fields`, `## Values`, `## Supported Types`, or more than one";
    MissingTableHeader = "missing-table-header", Error, "a table is missing, or its header is not the expected one";
    MalformedTable = "malformed-table", Error, "a table row has the wrong number of cells, or a table is not a table";
    UnknownRequiredMarker = "unknown-required-marker", Error, "a Required cell is neither `:heavy_check_mark:` nor `:heavy_minus_sign:`";
    MalformedFieldName = "malformed-field-name", Error, "a Field cell is not a single backticked name";
    MalformedEnumValue = "malformed-enum-value", Error, "an enum value is neither a quoted string nor an integer";
    MalformedUnionMember = "malformed-union-member", Error, "a union member heading does not name one type, or a union lists no members";
    // Types and references.
    UnparsableType = "unparsable-type", Error, "a Type cell does not follow the dialect's type grammar";
    UnsupportedType = "unsupported-type", Error, "a type parses but has no meaning in the IR";
    UnresolvedReference = "unresolved-reference", Error, "a link or model name points at no model of the spec";
    EscapingLink = "escaping-link", Error, "a link leaves the spec root";
    LinkTitleMismatch = "link-title-mismatch", Error, "a link's text names a different model than the title of its target";
    // Uniqueness.
    DuplicateModel = "duplicate-model", Error, "two documents declare the same model title";
    DuplicateField = "duplicate-field", Error, "an object declares the same field twice";
    DuplicateEnumValue = "duplicate-enum-value", Error, "an enum lists the same value twice";
    RustNameCollision = "rust-name-collision", Error, "two model titles become the same Rust type or module name";
    FieldNameCollision = "field-name-collision", Error, "two fields of an object become the same Rust field name, or the same wire name";
    // Overlay.
    OverlaySyntax = "overlay-syntax", Error, "`overlay.toml` is not valid TOML or has an unknown key or value";
    ConfigInvalid = "config-invalid", Error, "`markmodel.toml` is not valid TOML, or has an unknown key or a value of the wrong kind";
    OverlayUnmatched = "overlay-unmatched", Warning, "an overlay entry names a model or field that does not exist, or a setting that does not apply to it";
    // Merging several sources.
    MergeConflict = "merge-conflict", Warning, "two sources of a merged spec write different things about one fact; the first source's is kept";
    MergeCoverage = "merge-coverage", Info, "the models and fields only one of two merged sources has";
    MergeContribution = "merge-contribution", Info, "the facts of a merged spec that only one source writes";
    // Content.
    ExampleTypeMismatch = "example-type-mismatch", Warning, "an Example cell contradicts its field's type";
    ExampleSkipped = "example-skipped", Info, "example code in the docs that cannot be read as a JSON instance of its model (not a JSON value, or a key that names no field): skipped, with the reason";
    NonModelDocument = "non-model-document", Info, "a document that describes no API model (SDK client options), skipped";
    UndocumentedUnion = "undocumented-union", Info, "union documents that list no members; their values are typed as any JSON value";
    UnreferencedModel = "unreferenced-model", Info, "a model is referenced by no other model";
    InformationLoss = "information-loss", Info, "a fact the docs do not state, and the assumption the IR records instead";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A secondary span with a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One site behind a summary diagnostic (per-field detail of the information-loss lines).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Detail {
    pub location: Location,
    pub model: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub note: String,
}

/// One problem or fact, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is; `None` for spec-wide summaries.
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub details: Vec<Detail>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: code.severity(),
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            notes: Vec::new(),
            details: Vec::new(),
        }
    }

    /// Points the diagnostic at `span`, with a short label shown under the snippet.
    pub fn at(mut self, span: Span, label: impl Into<String>) -> Self {
        self.primary = Some(Label {
            span,
            message: label.into(),
        });
        self
    }

    pub fn also(mut self, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            message: label.into(),
        });
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_details(mut self, details: Vec<Detail>) -> Self {
        self.details = details;
        self
    }
}

/// The diagnostics of a run, accumulated across phases.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Adds the diagnostic, if there is one.
    pub fn extend_one(&mut self, diagnostic: Option<Diagnostic>) {
        self.items.extend(diagnostic);
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items
            .iter()
            .filter(|item| item.severity == severity)
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Orders diagnostics by place (file, offset), then code, with spec-wide summaries
    /// last, so output does not depend on the order in which files were checked. The
    /// sort is stable: diagnostics at the same place keep the order they were found in.
    pub fn sort(&mut self) {
        self.items.sort_by_key(|d| {
            (
                d.primary.is_none(),
                d.primary.as_ref().map(|label| label.span),
                d.code,
            )
        });
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}
