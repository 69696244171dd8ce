//! Test helpers every dialect's grammar tests share: a Type cell read as the markdown
//! reader sees it, a type from plain text, and a compact printing of the syntax tree.

use crate::diagnostic::{FileId, Span};
use crate::document::Block;

use super::lex::{Cursor, cell_tokens};
use super::{Dialect, SyntaxError, TypeExpr};

/// Parses `markdown` as the Type cell of a one-row table in `dialect`: links, emphasis
/// and escapes as a real doc has them.
pub(crate) fn cell(dialect: Dialect, markdown: &str) -> Result<TypeExpr, SyntaxError> {
    let row = format!("| Type |\n| ---- |\n| {markdown} |\n");
    let document = crate::read::read_document(FileId(0), "m.md", &row);
    let Some(Block::Table(table)) = document.blocks.first() else {
        panic!("no table in {row:?}");
    };
    let cell = &table.rows[0].cells[0];
    dialect.parse_tokens(Cursor::new(cell_tokens(&cell.content, &row), cell.span))
}

/// Parses `text` as plain text (no markdown) in `dialect`.
pub(crate) fn text(dialect: Dialect, text: &str) -> Result<TypeExpr, SyntaxError> {
    dialect.type_text(text, Span::new(FileId(0), 0, text.len()))
}

/// The tree in one line: `Map<Nullable<Model(models::M)>>`.
pub(crate) fn shape(expr: &TypeExpr) -> String {
    let list = |items: &[TypeExpr]| items.iter().map(shape).collect::<Vec<_>>().join(",");
    match expr {
        TypeExpr::Primitive { primitive, .. } => format!("{primitive:?}"),
        TypeExpr::Wrapper { wrapper, inner, .. } => format!("{wrapper:?}<{}>", shape(inner)),
        TypeExpr::List { item, .. } => format!("List<{}>", shape(item)),
        TypeExpr::Map { value, .. } => format!("Map<{}>", shape(value)),
        TypeExpr::Literal { values, .. } => format!("Literal{values:?}"),
        TypeExpr::Union { members, .. } => format!("Union<{}>", list(members)),
        TypeExpr::Model {
            name, namespace, ..
        } => match namespace {
            Some(namespace) => format!("Model({namespace}::{name})"),
            None => format!("Model({name})"),
        },
        TypeExpr::Link { dest, inner, .. } => format!("Link({dest})<{}>", shape(inner)),
        TypeExpr::Sdk { sdk, arguments, .. } => format!("{sdk:?}<{}>", list(arguments)),
    }
}
