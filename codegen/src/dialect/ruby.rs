//! The ruby dialect: the grammar of Type cells and union member headings as the Speakeasy
//! ruby SDK writes them.

use crate::document::{Block, Heading};

use super::lex::Cursor;
use super::{Member, SyntaxError, TypeExpr};

/// Parses a Type cell.
pub fn parse_type(cursor: Cursor) -> Result<TypeExpr, SyntaxError> {
    Err(cursor.error("a ruby type (this dialect's grammar is not written yet)"))
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
