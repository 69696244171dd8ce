//! SDK dialects: how one SDK language writes types, enum values and union members, and
//! how a spec's dialect is recognised. The grammar of each dialect lives in its own
//! module and produces the dialect-neutral [`TypeExpr`] syntax tree.

pub mod python;

use std::fmt;

use serde::Serialize;

use crate::diagnostic::Span;
use crate::document::{Block, Document, Inline};

/// The SDK language whose doc dialect a spec is written in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Python,
    TypeScript,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Python => "python",
            Dialect::TypeScript => "typescript",
        }
    }

    pub fn is_supported(self) -> bool {
        matches!(self, Dialect::Python)
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The first thing in a document that shows which dialect wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DialectEvidence {
    pub dialect: Dialect,
    pub span: Span,
    pub what: &'static str,
}

/// Looks for the marks each dialect leaves: the language of example code blocks, and
/// the spelling of primitive types and model references in Type cells.
pub fn detect(document: &Document) -> Option<DialectEvidence> {
    for block in &document.blocks {
        match block {
            Block::Code(code) => match code.info.as_deref() {
                Some("typescript" | "ts") => {
                    return Some(DialectEvidence {
                        dialect: Dialect::TypeScript,
                        span: code.span,
                        what: "a `typescript` code block",
                    });
                }
                Some("python") => {
                    return Some(DialectEvidence {
                        dialect: Dialect::Python,
                        span: code.span,
                        what: "a `python` code block",
                    });
                }
                _ => {}
            },
            Block::Table(table) => {
                for row in &table.rows {
                    if let Some(cell) = row.cells.get(1)
                        && let Some(evidence) = type_cell_evidence(&cell.content)
                    {
                        return Some(evidence);
                    }
                }
            }
            _ => {}
        }
    }
    None
}

fn type_cell_evidence(content: &[Inline]) -> Option<DialectEvidence> {
    for inline in content {
        let (text, span) = match inline {
            Inline::Emphasis { content, span } => match content.as_slice() {
                [Inline::Text { text, .. }] => (text.as_str(), *span),
                _ => continue,
            },
            Inline::Link { content, span, .. } => match content.first() {
                Some(Inline::Text { text, .. }) => (text.as_str(), *span),
                _ => continue,
            },
            _ => continue,
        };
        let typescript = ["string", "number", "boolean"].contains(&text)
            || text.starts_with("components.")
            || text.starts_with("operations.");
        let python = ["str", "int", "float", "bool"].contains(&text)
            || text.starts_with("models.")
            || text.starts_with("Optional[")
            || text.starts_with("OptionalNullable[");
        if typescript {
            return Some(DialectEvidence {
                dialect: Dialect::TypeScript,
                span,
                what: "a TypeScript type in a Type cell",
            });
        }
        if python {
            return Some(DialectEvidence {
                dialect: Dialect::Python,
                span,
                what: "a Python type in a Type cell",
            });
        }
    }
    None
}

/// A type as written in the docs, before names are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    Primitive {
        primitive: Primitive,
        span: Span,
    },
    Wrapper {
        wrapper: Wrapper,
        inner: Box<TypeExpr>,
        span: Span,
    },
    List {
        item: Box<TypeExpr>,
        span: Span,
    },
    /// `Dict[str, T]`: keys are always strings on the JSON wire.
    Map {
        value: Box<TypeExpr>,
        span: Span,
    },
    Literal {
        values: Vec<LiteralValue>,
        span: Span,
    },
    Union {
        members: Vec<TypeExpr>,
        span: Span,
    },
    /// A model named in the text (`models.X`, or a bare `X` inside link text).
    Model {
        name: String,
        span: Span,
    },
    /// A markdown link around a type: the destination names the document of the models
    /// inside the link text.
    Link {
        dest: String,
        inner: Box<TypeExpr>,
        span: Span,
    },
    /// A type that only exists in the SDK, not on the JSON wire.
    Sdk {
        sdk: SdkType,
        arguments: Vec<TypeExpr>,
        span: Span,
    },
}

impl TypeExpr {
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Primitive { span, .. }
            | TypeExpr::Wrapper { span, .. }
            | TypeExpr::List { span, .. }
            | TypeExpr::Map { span, .. }
            | TypeExpr::Literal { span, .. }
            | TypeExpr::Union { span, .. }
            | TypeExpr::Model { span, .. }
            | TypeExpr::Link { span, .. }
            | TypeExpr::Sdk { span, .. } => *span,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Primitive {
    String,
    Integer,
    Float,
    Boolean,
    Any,
    Bytes,
    /// Python's `date` link: used for dates and date-times alike.
    Date,
    /// `datetime`, as union members spell it.
    DateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wrapper {
    Optional,
    Nullable,
    OptionalNullable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SdkType {
    /// `IO[bytes]`: a file-like object.
    Io,
    /// `io.BufferedReader`.
    BufferedReader,
    /// `eventstreaming.EventStream[T]`.
    EventStream,
    /// `eventstreaming.EventStreamAsync[T]`.
    EventStreamAsync,
}

/// The value of a `Literal[...]` or of an enum member.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum LiteralValue {
    String(String),
    Integer(i64),
    Boolean(bool),
}

/// A type spelled as the docs spell it, models by title (`List[Event]`,
/// `Dict[str, Any]`, `Literal["job"]`; `date` or `datetime` by format), for messages and
/// reports.
pub fn notation(ty: &crate::ir::Type) -> String {
    use crate::ir::{DateFormat, Type};
    match ty {
        Type::String => "str".to_owned(),
        Type::Integer => "int".to_owned(),
        Type::Float => "float".to_owned(),
        Type::Boolean => "bool".to_owned(),
        Type::Any => "Any".to_owned(),
        Type::Bytes => "bytes".to_owned(),
        Type::Date { format } => match format.value {
            DateFormat::Date => "date".to_owned(),
            DateFormat::DateTime => "datetime".to_owned(),
        },
        Type::List(item) => format!("List[{}]", notation(item)),
        Type::Map(value) => format!("Dict[str, {}]", notation(value)),
        Type::Nullable(inner) => format!("Nullable[{}]", notation(inner)),
        Type::Literal(value) => format!("Literal[{value}]"),
        Type::Model(name) => name.clone(),
        Type::FileUpload => "FileUpload".to_owned(),
        Type::EventStream(item) => format!("EventStream[{}]", notation(item)),
    }
}

impl fmt::Display for LiteralValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiteralValue::String(value) => write!(f, "{value:?}"),
            LiteralValue::Integer(value) => write!(f, "{value}"),
            LiteralValue::Boolean(value) => write!(f, "{value}"),
        }
    }
}

/// A place where the text stops following the grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub expected: String,
    pub found: String,
}
