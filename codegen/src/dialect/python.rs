//! The Python dialect: the grammar of Type cells, union member headings and enum values
//! as the Speakeasy Python SDK writes them.
//!
//! ```text
//! type    := link | name ( "[" args "]" )?
//! link    := LINK_OPEN type LINK_CLOSE          -- markdown link around a type
//! name    := str | int | float | Decimal | bool | Any | bytes | date | datetime
//!          | Optional | Nullable | OptionalNullable | List | Dict | Literal | Union
//!          | IO | io.BufferedReader | eventstreaming.EventStream[Async]
//!          | httpx.Response | requests.Response          -- SDK-only
//!          | MODULE.NAME | NAME     -- `models.`, `shared.`, `operations.`, `errors.`
//! ```
//!
//! Emphasis is decoration (`*str*`), so it is transparent; so are the `*` that
//! `utils/retryconfig.md` writes inside code spans (`` `*int*` ``).

use crate::diagnostic::Span;
use crate::document::{Block, Heading};

use super::lex::{Cursor, Token, join, text_tokens};
use super::{LiteralValue, Member, Primitive, SdkType, SyntaxError, TypeExpr, Wrapper};

/// Parses a Type cell or a member heading's type.
pub fn parse_type(cursor: Cursor) -> Result<TypeExpr, SyntaxError> {
    // Emphasis is decoration, and so are the `*` that `utils/retryconfig.md` writes
    // inside code spans (`` `*int*` ``).
    let mut cursor = cursor.without(|token| token.is_punct('*'));
    let parsed = type_expr(&mut cursor)?;
    cursor.finish()?;
    Ok(parsed)
}

/// A union member heading: `` ### `models.X` ``, `` ### `List[str]` ``, or (older
/// generators) the bare class name `### IAMRole`. An empty heading (older generators,
/// for `Any` members) leaves the type to the example under it:
/// `name: TYPE = /* values here */`.
pub fn union_member(
    heading: &Heading,
    body: &[Block],
    source: &str,
) -> Result<Member, SyntaxError> {
    let tokens = super::lex::cell_tokens(&heading.content, source);
    if !tokens.is_empty() {
        return parse_type(Cursor::new(tokens, heading.span)).map(Member::Type);
    }
    let Some((annotation, span)) = body.iter().find_map(|block| match block {
        Block::Code(code) => example_annotation(code.span, source),
        _ => None,
    }) else {
        return Ok(Member::Unshown);
    };
    super::Dialect::Python
        .type_text(annotation, span)
        .map(Member::Type)
}

/// The type annotation of a member's example, `value: TYPE = /* values here */`, and its
/// span, from the source of the code block at `block` (fence lines included).
fn example_annotation(block: Span, source: &str) -> Option<(&str, Span)> {
    let code = source.get(block.range())?;
    let mut offset = 0;
    for line in code.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        if line.trim_start().starts_with("```") {
            continue;
        }
        let Some(colon) = line.find(':') else {
            continue;
        };
        let rest = &line[colon + 1..];
        let annotation = rest
            .split_once('=')
            .map_or(rest, |(annotation, _)| annotation);
        let start = block.start as usize + line_start + colon + 1;
        return Some((
            annotation,
            Span::new(block.file, start, start + annotation.len()),
        ));
    }
    None
}

fn type_expr(cursor: &mut Cursor) -> Result<TypeExpr, SyntaxError> {
    cursor.nested(|cursor| match cursor.next() {
        Some((Token::LinkOpen(dest), open)) => {
            let inner = type_expr(cursor)?;
            let close = cursor.expect_link_close()?;
            Ok(TypeExpr::Link {
                dest,
                inner: Box::new(inner),
                span: join(open, close),
            })
        }
        Some((Token::Ident(name), span)) => named(cursor, &name, span),
        Some(_) => {
            let error = back(cursor);
            Err(error.error("a type"))
        }
        None => Err(cursor.error("a type")),
    })
}

/// Steps back over the token just taken, for an error that points at it.
fn back(cursor: &mut Cursor) -> &mut Cursor {
    cursor.back();
    cursor
}

/// One `[T]` argument list; returns the argument and the span of the closing bracket.
fn one_argument(cursor: &mut Cursor, of: &str) -> Result<(TypeExpr, Span), SyntaxError> {
    cursor.expect('[', &format!("`[` after `{of}`"))?;
    let argument = type_expr(cursor)?;
    let close = cursor.expect(']', &format!("`]` to close `{of}[...]`"))?;
    Ok((argument, close))
}

fn arguments(cursor: &mut Cursor, of: &str) -> Result<(Vec<TypeExpr>, Span), SyntaxError> {
    cursor.expect('[', &format!("`[` after `{of}`"))?;
    let mut arguments = vec![type_expr(cursor)?];
    loop {
        if cursor.eat(',').is_some() {
            arguments.push(type_expr(cursor)?);
        } else if let Some(close) = cursor.eat(']') {
            return Ok((arguments, close));
        } else {
            return Err(cursor.error(format!("`,` or `]` in `{of}[...]`")));
        }
    }
}

fn literal_values(cursor: &mut Cursor) -> Result<(Vec<LiteralValue>, Span), SyntaxError> {
    cursor.expect('[', "`[` after `Literal`")?;
    let mut values = Vec::new();
    loop {
        let value = match cursor.peek() {
            Some(Token::Str(value)) => LiteralValue::String(value.clone()),
            Some(Token::Int(value)) => LiteralValue::Integer(*value),
            Some(token) if token.is_ident("True") => LiteralValue::Boolean(true),
            Some(token) if token.is_ident("False") => LiteralValue::Boolean(false),
            _ => {
                return Err(cursor.error("a string, integer, `True` or `False` in `Literal[...]`"));
            }
        };
        cursor.next();
        values.push(value);
        if cursor.eat(',').is_some() {
            continue;
        }
        match cursor.eat(']') {
            Some(close) => return Ok((values, close)),
            None => return Err(cursor.error("`,` or `]` in `Literal[...]`")),
        }
    }
}

/// The HTTP response classes of the Python SDKs' operation responses.
const HTTP_RESPONSES: &[&str] = &[
    "httpx.Response",
    "requests.Response",
    "requests_http.Response",
];

fn named(cursor: &mut Cursor, name: &str, start: Span) -> Result<TypeExpr, SyntaxError> {
    let primitive = |primitive| TypeExpr::Primitive {
        primitive,
        span: start,
    };
    let wrapper = match name {
        "str" => return Ok(primitive(Primitive::String)),
        "int" => return Ok(primitive(Primitive::Integer)),
        "float" => return Ok(primitive(Primitive::Float)),
        "Decimal" | "decimal.Decimal" => return Ok(primitive(Primitive::Decimal)),
        "bool" => return Ok(primitive(Primitive::Boolean)),
        "Any" => return Ok(primitive(Primitive::Any)),
        "bytes" => return Ok(primitive(Primitive::Bytes)),
        "date" => return Ok(primitive(Primitive::Date)),
        "datetime" => return Ok(primitive(Primitive::DateTime)),
        "Optional" => Some(Wrapper::Optional),
        "Nullable" => Some(Wrapper::Nullable),
        "OptionalNullable" => Some(Wrapper::OptionalNullable),
        _ => None,
    };
    if let Some(wrapper) = wrapper {
        let (inner, close) = one_argument(cursor, name)?;
        return Ok(TypeExpr::Wrapper {
            wrapper,
            inner: Box::new(inner),
            span: join(start, close),
        });
    }
    if HTTP_RESPONSES.contains(&name) {
        return Ok(TypeExpr::Sdk {
            sdk: SdkType::HttpResponse,
            arguments: Vec::new(),
            span: start,
        });
    }
    match name {
        "List" => {
            let (item, close) = one_argument(cursor, name)?;
            Ok(TypeExpr::List {
                item: Box::new(item),
                span: join(start, close),
            })
        }
        "Dict" => {
            cursor.expect('[', "`[` after `Dict`")?;
            if !cursor.peek().is_some_and(|token| token.is_ident("str")) {
                return Err(cursor.error("`str` as the key type of `Dict` (JSON keys are strings)"));
            }
            cursor.next();
            cursor.expect(',', "`,` after the key type of `Dict`")?;
            let value = type_expr(cursor)?;
            let close = cursor.expect(']', "`]` to close `Dict[...]`")?;
            Ok(TypeExpr::Map {
                value: Box::new(value),
                span: join(start, close),
            })
        }
        "Literal" => {
            let (values, close) = literal_values(cursor)?;
            Ok(TypeExpr::Literal {
                values,
                span: join(start, close),
            })
        }
        "Union" => {
            let (members, close) = arguments(cursor, name)?;
            Ok(TypeExpr::Union {
                members,
                span: join(start, close),
            })
        }
        "IO" | "eventstreaming.EventStream" | "eventstreaming.EventStreamAsync" => {
            let sdk = match name {
                "IO" => SdkType::Io,
                "eventstreaming.EventStream" => SdkType::EventStream,
                _ => SdkType::EventStreamAsync,
            };
            let (argument, close) = one_argument(cursor, name)?;
            Ok(TypeExpr::Sdk {
                sdk,
                arguments: vec![argument],
                span: join(start, close),
            })
        }
        "io.BufferedReader" => Ok(TypeExpr::Sdk {
            sdk: SdkType::BufferedReader,
            arguments: Vec::new(),
            span: start,
        }),
        _ => model(name, start),
    }
}

/// A model reference: `models.X`, `shared.X`, `operations.X`, `errors.X` (any module
/// path), or a bare `X`.
fn model(name: &str, span: Span) -> Result<TypeExpr, SyntaxError> {
    let (namespace, title) = match name.rsplit_once('.') {
        Some((namespace, title)) => (Some(namespace.to_owned()), title),
        None => (None, name),
    };
    let is_name = title
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && title.chars().all(|c| c.is_alphanumeric() || c == '_');
    if is_name {
        Ok(TypeExpr::Model {
            name: title.to_owned(),
            namespace,
            span,
        })
    } else {
        Err(SyntaxError {
            span,
            expected: "a type name (a primitive, a generic such as `List`, or `models.Name`)"
                .into(),
            found: format!("`{name}`"),
        })
    }
}

/// Parses a list-form enum value: `` `"user"` `` is a string, `` `100` `` an integer.
pub fn parse_enum_value(text: &str, span: Span) -> Result<LiteralValue, SyntaxError> {
    let error = |found: String| SyntaxError {
        span,
        expected: "a quoted string or an integer".into(),
        found,
    };
    match text_tokens(text, span).as_slice() {
        [(Token::Str(value), _)] => Ok(LiteralValue::String(value.clone())),
        [(Token::Int(value), _)] => Ok(LiteralValue::Integer(*value)),
        _ => Err(error(format!("`{}`", text.trim()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::dialect::testing::shape;

    fn parse(text: &str) -> Result<TypeExpr, SyntaxError> {
        crate::dialect::testing::text(Dialect::Python, text)
    }

    use crate::diagnostic::FileId;

    #[test]
    fn parses_the_grammar() {
        let cases = [
            ("*str*", "String"),
            (
                "OptionalNullable[Literal[\"x\"]]",
                "OptionalNullable<Literal[String(\"x\")]>",
            ),
            ("Literal[True]", "Literal[Boolean(true)]"),
            ("Literal[1, 2]", "Literal[Integer(1), Integer(2)]"),
            (
                "Dict[str, Nullable[models.M]]",
                "Map<Nullable<Model(models::M)>>",
            ),
            ("List[List[models.M]]", "List<List<Model(models::M)>>"),
            ("`*int*`", "Integer"),
            (
                "Union[bytes, IO[bytes], io.BufferedReader]",
                "Union<Bytes,Io<Bytes>,BufferedReader<>>",
            ),
            (
                "Union[eventstreaming.EventStream[models.E], eventstreaming.EventStreamAsync[models.E]]",
                "Union<EventStream<Model(models::E)>,EventStreamAsync<Model(models::E)>>",
            ),
        ];
        for (text, expected) in cases {
            let parsed = parse(text).unwrap_or_else(|err| panic!("{text}: {err:?}"));
            assert_eq!(shape(&parsed), expected, "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_the_grammar() {
        let cases = [
            ("List[str", "`]` to close `List[...]`"),
            (
                "Dict[int, str]",
                "`str` as the key type of `Dict` (JSON keys are strings)",
            ),
            ("str str", "the end of the type"),
            ("", "a type"),
            (
                "Literal[x]",
                "a string, integer, `True` or `False` in `Literal[...]`",
            ),
            ("List[<T>]", "a type"),
            (
                &"List[".repeat(10_000),
                "a type nested at most 64 levels deep",
            ),
        ];
        for (text, expected) in cases {
            let error = parse(text).expect_err(text);
            assert_eq!(error.expected, expected, "{text}");
        }
    }

    #[test]
    fn enum_values_keep_quoted_numbers_as_strings() {
        let span = Span::new(FileId(0), 0, 3);
        assert_eq!(
            parse_enum_value("\"0\"", span),
            Ok(LiteralValue::String("0".into()))
        );
        assert_eq!(
            parse_enum_value("100", span),
            Ok(LiteralValue::Integer(100))
        );
        assert!(parse_enum_value("user", span).is_err());
        assert!(parse_enum_value("010", span).is_err());
    }
}
