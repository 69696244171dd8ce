//! Dialect detection: which SDK wrote a document, from the marks each dialect leaves
//! (the language of its example code, the spelling of primitives and wrappers in its
//! Type cells), and which one wrote a whole spec.
//!
//! A mark can be shared (`*string*` is TypeScript, C# and PHP; `*int*` is Python, Java
//! and PHP), so each mark names the set of dialects that write it, a document's
//! candidates are the intersection of its marks' sets, and a spec's the intersection of
//! its documents'. An empty intersection is mixed evidence.

use crate::diagnostic::Span;
use crate::document::{Block, Document};

use super::Dialect;
use Dialect::{CSharp, Go, Java, Php, Python, Ruby, TypeScript};

/// The marks that decided a document's dialects: the first mark seen, and every
/// dialect the document's marks all allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialectEvidence {
    /// Dialects every mark of the document allows, in [`Dialect::ALL`] order.
    pub candidates: Vec<Dialect>,
    /// The most telling mark: the one allowing the fewest dialects.
    pub span: Span,
    pub what: String,
}

/// How a mark is found in a Type cell's source text (padding trimmed).
#[derive(Debug, Clone, Copy)]
enum Find {
    /// The whole cell.
    Is(&'static str),
    Starts(&'static str),
    Contains(&'static str),
    /// A generic's name where it starts a name (not `optionalnullable.OptionalNullable[`,
    /// Go's own wrapper).
    Generic(&'static str),
    /// A type in a code span that is not emphasis inside it (Go's `` `*string` ``, not
    /// the `` `*int*` `` of Python's retry docs).
    GoCode,
}

/// Type-cell marks and the dialects that write them.
const CELL_MARKS: &[(Find, &[Dialect])] = &[
    // Python
    (Find::Is("*str*"), &[Python]),
    (Find::Is("*float*"), &[Python, Java, CSharp, Php]),
    (Find::Is("*Any*"), &[Python]),
    (Find::Generic("Optional["), &[Python]),
    (Find::Generic("OptionalNullable["), &[Python]),
    (Find::Generic("Nullable["), &[Python]),
    (Find::Generic("List["), &[Python]),
    (Find::Generic("Dict[str"), &[Python]),
    (Find::Generic("Literal["), &[Python]),
    (Find::Contains("models."), &[Python]),
    (Find::Is("*int*"), &[Python, Java, CSharp, Php]),
    (Find::Is("*bool*"), &[Python, CSharp, Php]),
    (Find::Contains("shared."), &[Python, TypeScript]),
    (Find::Contains("operations."), &[Python, TypeScript, Go]),
    (Find::Contains("errors."), &[Python, TypeScript]),
    // TypeScript
    (Find::Is("*number*"), &[TypeScript]),
    (Find::Is("*any*"), &[TypeScript]),
    (Find::Contains("Record<"), &[TypeScript]),
    (Find::Contains("components."), &[TypeScript, Go]),
    (Find::Is("*boolean*"), &[TypeScript, Java]),
    (Find::Is("*string*"), &[TypeScript, CSharp, Php]),
    (Find::Contains("*[]"), &[TypeScript]),
    (Find::Contains(")[]"), &[TypeScript]),
    // Go
    (Find::GoCode, &[Go]),
    (Find::Starts("[]"), &[Go]),
    (Find::Starts("map[string]"), &[Go]),
    (Find::Starts("[*"), &[Go]),
    (Find::Contains("time.Time"), &[Go]),
    (Find::Contains("apierrors."), &[Go]),
    // Java
    (Find::Contains("\\<"), &[Java]),
    (Find::Is("*String*"), &[Java]),
    (Find::Is("*Long*"), &[Java]),
    (Find::Is("*Integer*"), &[Java]),
    (Find::Is("*Boolean*"), &[Java]),
    (Find::Is("*Object*"), &[Java]),
    (Find::Contains("JsonNullable"), &[Java]),
    (Find::Contains("OffsetDateTime"), &[Java]),
    (Find::Is("*long*"), &[Java, CSharp]),
    (Find::Is("*double*"), &[Java, CSharp]),
    // C#
    (Find::Is("*object*"), &[CSharp]),
    (Find::Contains("Dictionary<"), &[CSharp]),
    (Find::Starts("List<"), &[CSharp]),
    (Find::Contains("Models.Components."), &[CSharp]),
    (Find::Contains("HttpResponseMessage"), &[CSharp]),
    // PHP
    (Find::Starts("*?"), &[Php]),
    (Find::Starts("[?"), &[Php]),
    (Find::Starts("array<"), &[Php]),
    (Find::Is("*mixed*"), &[Php]),
    (Find::Contains("[\\"), &[Php]),
    // Ruby
    (Find::Contains("T.nilable("), &[Ruby]),
    (Find::Contains("T::"), &[Ruby]),
    (Find::Contains("T.any("), &[Ruby]),
    (Find::Contains("*::"), &[Ruby]),
    (Find::Contains("Models::"), &[Ruby]),
];

/// The dialect of a fenced code block's language, where it is an SDK language.
fn code_language(info: &str) -> Option<Dialect> {
    Some(match info.split_whitespace().next()? {
        "python" | "py" => Python,
        "typescript" | "ts" => TypeScript,
        "go" => Go,
        "java" => Java,
        "csharp" | "cs" | "c#" => CSharp,
        "php" => Php,
        "ruby" | "rb" => Ruby,
        _ => return None,
    })
}

/// The dialects a document's marks allow; `None` when it shows no mark at all.
pub fn detect(document: &Document, source: &str) -> Option<DialectEvidence> {
    let mut candidates: Vec<Dialect> = Dialect::ALL.to_vec();
    let mut best: Option<(usize, Span, String)> = None;
    let mut seen = false;
    let mut mark = |allowed: &[Dialect], span: Span, what: String| {
        seen = true;
        candidates.retain(|dialect| allowed.contains(dialect));
        if best
            .as_ref()
            .is_none_or(|(count, _, _)| allowed.len() < *count)
        {
            best = Some((allowed.len(), span, what));
        }
    };
    for block in &document.blocks {
        match block {
            Block::Code(code) => {
                if let Some(dialect) = code.info.as_deref().and_then(code_language) {
                    mark(
                        &[dialect],
                        code.span,
                        format!("a `{}` code block", dialect.name()),
                    );
                }
            }
            Block::Table(table) => {
                let type_column = table.header.cells.iter().position(|cell| {
                    crate::document::plain_text(&cell.content)
                        .trim()
                        .eq_ignore_ascii_case("type")
                });
                let Some(column) = type_column else { continue };
                for row in &table.rows {
                    let Some(cell) = row.cells.get(column) else {
                        continue;
                    };
                    let text = source.get(cell.span.range()).unwrap_or_default().trim();
                    for (find, allowed) in CELL_MARKS {
                        let found = match find {
                            Find::Is(mark) => text == *mark,
                            Find::Starts(mark) => text.starts_with(mark),
                            Find::Contains(mark) => text.contains(mark),
                            Find::Generic(mark) => text.match_indices(mark).any(|(at, _)| {
                                !text[..at].ends_with(|c: char| {
                                    c.is_alphanumeric() || c == '.' || c == '_'
                                })
                            }),
                            Find::GoCode => {
                                text.len() > 2
                                    && text.starts_with('`')
                                    && text.ends_with('`')
                                    && !text.ends_with("*`")
                            }
                        };
                        if found {
                            mark(allowed, cell.span, format!("`{text}` in a Type cell"));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let (_, span, what) = best?;
    seen.then_some(DialectEvidence {
        candidates,
        span,
        what: shorten(what),
    })
}

/// Keeps a mark's description readable when the cell is long.
fn shorten(what: String) -> String {
    const LIMIT: usize = 80;
    if what.chars().count() <= LIMIT {
        return what;
    }
    let cut: String = what.chars().take(LIMIT).collect();
    format!("{cut}...`")
}
