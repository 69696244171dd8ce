//! The typescript dialect: the grammar of Type cells and union member headings as the Speakeasy
//! typescript SDK writes them.

use crate::document::{Block, Heading};

use super::lex::Cursor;
use super::{Member, SyntaxError, TypeExpr};

/// Parses a Type cell.
pub fn parse_type(cursor: Cursor) -> Result<TypeExpr, SyntaxError> {
    Err(cursor.error("a typescript type (this dialect's grammar is not written yet)"))
}

/// Reads a union member heading and the code under it.
pub fn union_member(
    heading: &Heading,
    _body: &[Block],
    source: &str,
) -> Result<Member, SyntaxError> {
    let tokens = super::lex::cell_tokens(&heading.content, source);
    parse_type(Cursor::new(tokens, heading.span)).map(Member::Type)
}

/// Reads enum values written as a TypeScript union in a code block.
pub fn enum_code(code: &crate::document::CodeBlock) -> Result<super::CodeEnum, SyntaxError> {
    let cursor = Cursor::new(Vec::new(), code.span);
    Err(cursor.error("a TypeScript union of values (not written yet)"))
}
