//! The Go dialect: the grammar of Type cells and union members as the Speakeasy Go SDK
//! writes them.
//!
//! ```text
//! type     := "*" type                      -- a pointer: Nilable (see `intrinsic`)
//!           | "[" "]" type                  -- a slice; `[]byte` is bytes
//!           | "map" "[" "string" "]" type   -- JSON keys are strings
//!           | "interface" "{" "}"           -- any (older generators)
//!           | link
//!           | generic "[" type "]"
//!           | name
//! link     := LINK_OPEN type LINK_CLOSE     -- markdown link around a type
//! generic  := optionalnullable.OptionalNullable | nullable.Nullable
//!           | stream.EventStream                               -- SDK-only
//! name     := string | bool | int | int8 | int16 | int32 | int64 | uint... | float32
//!           | float64 | any | byte | time.Time | types.Date | big.Int | decimal.Big
//!           | json.RawMessage
//!           | http.Response | http.Request | io.Reader | io.ReadCloser | os.File
//!                                                              -- SDK-only
//!           | PACKAGE.Name | Name         -- `components.`, `operations.`, `apierrors.`
//! intrinsic := "*" ( big.Int | decimal.Big | http.Response | http.Request | os.File
//!                  | stream.EventStream "[" type "]" )
//! ```
//!
//! The SDK writes a type in code spans with the brackets of composites outside them
//! (`` []`string` ``, `` map[string]`any` ``), or outside a link
//! (`[][components.X](...)`), or, in older generators, in emphasis (`**string*`, which
//! markdown reads as `*` and an emphasised `string`). The lexer makes all of these one
//! token stream, so `*` here is always Go's pointer, never decoration.
//!
//! A pointer is the SDK's one "may have no value" marker ([`Wrapper::Nilable`]), except
//! where the Go type is a pointer whatever the field's presence (`*big.Int`,
//! `*decimal.Big`, `*http.Response`, `*stream.EventStream[T]`): there the `*` says
//! nothing and is dropped.
//!
//! Union members are `### Name` headings (a model by title) or, for primitive, slice and
//! map members, empty `### ` headings whose type is only in the constructor call of the
//! code under them: `components.CreateLocStr(string{/* values here */})`.

use crate::diagnostic::Span;
use crate::document::{Block, CodeBlock, Heading};

use super::lex::{Cursor, Token, join, text_tokens};
use super::{Member, Primitive, SdkType, SyntaxError, TypeExpr, Wrapper};

/// Parses a Type cell or a member heading's type.
pub fn parse_type(mut cursor: Cursor) -> Result<TypeExpr, SyntaxError> {
    let parsed = type_expr(&mut cursor)?;
    cursor.finish()?;
    Ok(parsed)
}

/// A union member: the model a `### Name` heading names, or, under an empty heading,
/// the type of the constructor call's argument in the code below it.
pub fn union_member(
    heading: &Heading,
    body: &[Block],
    source: &str,
) -> Result<Member, SyntaxError> {
    let tokens = super::lex::cell_tokens(&heading.content, source);
    let from_code = constructor_argument(body, source);
    if tokens.is_empty() {
        return match from_code {
            Some(argument) => argument.map(Member::Type),
            None => Ok(Member::Unshown),
        };
    }
    let mut ty = parse_type(Cursor::new(tokens, heading.span))?;
    // The heading names the model by title only; the code says its package
    // (`components.Transaction` under an `operations` union), which may tell apart two
    // models of the same title.
    if let (
        TypeExpr::Model {
            name, namespace, ..
        },
        Some(Ok(TypeExpr::Model {
            name: code_name,
            namespace: code_namespace @ Some(_),
            ..
        })),
    ) = (&mut ty, from_code)
        && namespace.is_none()
        && *name == code_name
    {
        *namespace = code_namespace;
    }
    Ok(Member::Type(ty))
}

/// The argument type of the first `...CreateX(T{...})` call in the code blocks of a
/// member; `None` when there is no such call.
fn constructor_argument(body: &[Block], source: &str) -> Option<Result<TypeExpr, SyntaxError>> {
    body.iter().find_map(|block| match block {
        Block::Code(code) => code_argument(code, source),
        _ => None,
    })
}

fn code_argument(code: &CodeBlock, source: &str) -> Option<Result<TypeExpr, SyntaxError>> {
    let span = code_text_span(code, source);
    let tokens = text_tokens(&code.text, span);
    let call = tokens.windows(2).position(|pair| {
        matches!(&pair[0].0, Token::Ident(name) if is_constructor(name)) && pair[1].0.is_punct('(')
    })?;
    let mut cursor = Cursor::new(tokens[call + 2..].to_vec(), span);
    Some(type_expr(&mut cursor).and_then(|ty| {
        cursor.expect('{', "`{` after the member type in the constructor call")?;
        Ok(ty)
    }))
}

/// `components.CreateLocStr`, `operations.CreateBodyX`, `CreateLocInteger`.
fn is_constructor(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    last.strip_prefix("Create")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// Where a code block's text starts in the source, so its tokens point at the code; the
/// whole block when the text cannot be found as written (an indented block).
fn code_text_span(code: &CodeBlock, source: &str) -> Span {
    let found = source
        .get(code.span.range())
        .and_then(|block| block.find(code.text.as_str()));
    match found {
        Some(offset) if !code.text.is_empty() => {
            let start = code.span.start as usize + offset;
            Span::new(code.span.file, start, start + code.text.len())
        }
        _ => code.span,
    }
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
        Some((Token::Punct('*'), star)) => pointer(cursor, star),
        Some((Token::Punct('['), open)) => {
            cursor.expect(']', "`]` after `[` (a slice is `[]T`)")?;
            slice(cursor, open)
        }
        Some((Token::Ident(name), span)) => named(cursor, &name, span),
        Some(_) => {
            cursor.back();
            Err(cursor.error("a Go type"))
        }
        None => Err(cursor.error("a Go type")),
    })
}

/// Go types that are pointers whatever the field's presence: their `*` is not a marker.
const INTRINSIC_POINTERS: &[&str] = &[
    "big.Int",
    "decimal.Big",
    "http.Response",
    "http.Request",
    "os.File",
    "stream.EventStream",
];

/// `*T`: a nilable `T`, or a type whose Go form is always a pointer.
fn pointer(cursor: &mut Cursor, star: Span) -> Result<TypeExpr, SyntaxError> {
    let intrinsic = matches!(cursor.peek(), Some(Token::Ident(name)) if INTRINSIC_POINTERS.contains(&name.as_str()));
    let inner = type_expr(cursor)?;
    let span = join(star, inner.span());
    if intrinsic {
        return Ok(with_span(inner, span));
    }
    Ok(TypeExpr::Wrapper {
        wrapper: Wrapper::Nilable,
        inner: Box::new(inner),
        span,
    })
}

/// `[]T` after its `[]`: a list, or bytes for `[]byte`.
fn slice(cursor: &mut Cursor, open: Span) -> Result<TypeExpr, SyntaxError> {
    if let Some(Token::Ident(name)) = cursor.peek()
        && (name == "byte" || name == "uint8")
    {
        let (_, end) = cursor.next().unwrap_or((Token::LinkClose, open));
        return Ok(TypeExpr::Primitive {
            primitive: Primitive::Bytes,
            span: join(open, end),
        });
    }
    let item = type_expr(cursor)?;
    let span = join(open, item.span());
    Ok(TypeExpr::List {
        item: Box::new(item),
        span,
    })
}

/// `map[string]T` after `map`.
fn map(cursor: &mut Cursor, start: Span) -> Result<TypeExpr, SyntaxError> {
    cursor.expect('[', "`[` after `map`")?;
    if !cursor.peek().is_some_and(|token| token.is_ident("string")) {
        return Err(cursor.error("`string` as the key type of `map` (JSON keys are strings)"));
    }
    cursor.next();
    cursor.expect(']', "`]` to close the key type of `map[string]`")?;
    let value = type_expr(cursor)?;
    let span = join(start, value.span());
    Ok(TypeExpr::Map {
        value: Box::new(value),
        span,
    })
}

/// One `[T]` type argument; returns it and the span of the closing bracket.
fn type_argument(cursor: &mut Cursor, of: &str) -> Result<(TypeExpr, Span), SyntaxError> {
    cursor.expect('[', &format!("`[` after `{of}`"))?;
    let argument = type_expr(cursor)?;
    let close = cursor.expect(']', &format!("`]` to close `{of}[...]`"))?;
    Ok((argument, close))
}

fn primitive_named(name: &str) -> Option<Primitive> {
    Some(match name {
        "string" => Primitive::String,
        "bool" => Primitive::Boolean,
        // `int` is the platform word; the generator writes `int64` for an integer of
        // unstated format, `int` only when asked to, so its size says nothing.
        "int" | "uint" | "int8" | "int16" | "uint8" | "uint16" | "uint32" | "uint64"
        | "big.Int" => Primitive::Integer,
        "int32" => Primitive::Int32,
        "int64" => Primitive::Int64,
        "float32" => Primitive::Float32,
        "float64" => Primitive::Float64,
        "decimal.Big" => Primitive::Decimal,
        "any" | "json.RawMessage" => Primitive::Any,
        "byte" => Primitive::Integer,
        "time.Time" => Primitive::DateTime,
        "types.Date" => Primitive::CalendarDate,
        _ => return None,
    })
}

/// The SDK-only types without type arguments.
fn sdk_named(name: &str) -> Option<SdkType> {
    Some(match name {
        // The raw HTTP exchange of an operation response (`HTTPMetadata`).
        "http.Response" | "http.Request" => SdkType::HttpResponse,
        "io.Reader" | "io.ReadCloser" | "os.File" => SdkType::ByteStream,
        _ => return None,
    })
}

fn named(cursor: &mut Cursor, name: &str, start: Span) -> Result<TypeExpr, SyntaxError> {
    if let Some(primitive) = primitive_named(name) {
        return Ok(TypeExpr::Primitive {
            primitive,
            span: start,
        });
    }
    if let Some(sdk) = sdk_named(name) {
        return Ok(TypeExpr::Sdk {
            sdk,
            arguments: Vec::new(),
            span: start,
        });
    }
    let wrapper = match name {
        "optionalnullable.OptionalNullable" => Some(Wrapper::OptionalNullable),
        "nullable.Nullable" => Some(Wrapper::Nullable),
        _ => None,
    };
    if let Some(wrapper) = wrapper {
        let (inner, close) = type_argument(cursor, name)?;
        return Ok(TypeExpr::Wrapper {
            wrapper,
            inner: Box::new(inner),
            span: join(start, close),
        });
    }
    match name {
        "map" => map(cursor, start),
        "interface" => {
            cursor.expect('{', "`{` after `interface` (`interface{}`)")?;
            let close = cursor.expect('}', "`}` to close `interface{}`")?;
            Ok(TypeExpr::Primitive {
                primitive: Primitive::Any,
                span: join(start, close),
            })
        }
        "stream.EventStream" => {
            let (item, close) = type_argument(cursor, name)?;
            Ok(TypeExpr::Sdk {
                sdk: SdkType::EventStream,
                arguments: vec![item],
                span: join(start, close),
            })
        }
        _ => model(name, start),
    }
}

/// A model reference: `components.X`, `operations.X`, `apierrors.X` (any package path),
/// or a bare `X` (in link text and headings). Go models are exported types, so the name
/// starts with an upper-case letter; a lower-case name is a Go type this grammar does
/// not know.
fn model(name: &str, span: Span) -> Result<TypeExpr, SyntaxError> {
    let (namespace, title) = match name.rsplit_once('.') {
        Some((namespace, title)) => (Some(namespace.to_owned()), title),
        None => (None, name),
    };
    let is_name = title.chars().next().is_some_and(|c| c.is_uppercase())
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
            expected: "a Go type (a primitive such as `string` or `int64`, `[]T`, \
                       `map[string]T`, `*T`, or `components.Name`)"
                .into(),
            found: format!("`{name}`"),
        })
    }
}

/// The same type with a wider span (a `*` that is part of the Go type).
fn with_span(expr: TypeExpr, wide: Span) -> TypeExpr {
    match expr {
        TypeExpr::Primitive { primitive, .. } => TypeExpr::Primitive {
            primitive,
            span: wide,
        },
        TypeExpr::Sdk { sdk, arguments, .. } => TypeExpr::Sdk {
            sdk,
            arguments,
            span: wide,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::dialect::testing::shape;

    fn cell(markdown: &str) -> Result<TypeExpr, SyntaxError> {
        crate::dialect::testing::cell(Dialect::Go, markdown)
    }

    fn parse(text: &str) -> Result<TypeExpr, SyntaxError> {
        crate::dialect::testing::text(Dialect::Go, text)
    }

    use crate::diagnostic::FileId;

    #[test]
    fn parses_the_grammar() {
        let cases = [
            ("string", "String"),
            ("*string", "Nilable<String>"),
            ("int", "Integer"),
            ("int32", "Int32"),
            ("*int64", "Nilable<Int64>"),
            ("float32", "Float32"),
            ("*float64", "Nilable<Float64>"),
            ("bool", "Boolean"),
            ("any", "Any"),
            ("interface{}", "Any"),
            ("[]byte", "Bytes"),
            ("[]string", "List<String>"),
            ("[]*string", "List<Nilable<String>>"),
            ("[][]int64", "List<List<Int64>>"),
            ("map[string]any", "Map<Any>"),
            ("[]map[string]any", "List<Map<Any>>"),
            ("map[string]map[string]any", "Map<Map<Any>>"),
            ("time.Time", "DateTime"),
            ("*time.Time", "Nilable<DateTime>"),
            ("*types.Date", "Nilable<CalendarDate>"),
            ("*big.Int", "Integer"),
            ("*decimal.Big", "Decimal"),
            ("components.CardScheme", "Model(components::CardScheme)"),
            ("*operations.Body", "Nilable<Model(operations::Body)>"),
            ("Transaction", "Model(Transaction)"),
            (
                "optionalnullable.OptionalNullable[string]",
                "OptionalNullable<String>",
            ),
            (
                "nullable.Nullable[components.X]",
                "Nullable<Model(components::X)>",
            ),
            ("*http.Response", "HttpResponse<>"),
            ("*http.Request", "HttpResponse<>"),
            ("io.Reader", "ByteStream<>"),
            ("io.ReadCloser", "ByteStream<>"),
            (
                "*stream.EventStream[components.Chunk]",
                "EventStream<Model(components::Chunk)>",
            ),
        ];
        for (text, expected) in cases {
            let parsed = parse(text).unwrap_or_else(|err| panic!("{text}: {err:?}"));
            assert_eq!(shape(&parsed), expected, "{text}");
        }
    }

    /// The forms as the markdown writes them: code spans, brackets outside links,
    /// older generators' emphasis.
    #[test]
    fn reads_cells_as_markdown_splits_them() {
        let cases = [
            ("`*string`", "Nilable<String>"),
            ("[]`string`", "List<String>"),
            ("map[string]`any`", "Map<Any>"),
            ("[]map[string]`any`", "List<Map<Any>>"),
            ("map[string]`*string`", "Map<Nilable<String>>"),
            (
                "[*components.X](../../models/components/x.md)",
                "Link(../../models/components/x.md)<Nilable<Model(components::X)>>",
            ),
            (
                "[][components.X](../../models/components/x.md)",
                "List<Link(../../models/components/x.md)<Model(components::X)>>",
            ),
            (
                "map[string][*components.X](x.md)",
                "Map<Link(x.md)<Nilable<Model(components::X)>>>",
            ),
            (
                "map[string][components.X](x.md)",
                "Map<Link(x.md)<Model(components::X)>>",
            ),
            (
                "[time.Time](https://pkg.go.dev/time#Time)",
                "Link(https://pkg.go.dev/time#Time)<DateTime>",
            ),
            (
                "[*time.Time](https://pkg.go.dev/time#Time)",
                "Link(https://pkg.go.dev/time#Time)<Nilable<DateTime>>",
            ),
            (
                "[*types.Date](../../types/date.md)",
                "Link(../../types/date.md)<Nilable<CalendarDate>>",
            ),
            (
                "[*big.Int](https://pkg.go.dev/math/big#Int)",
                "Link(https://pkg.go.dev/math/big#Int)<Integer>",
            ),
            (
                "[*http.Response](https://pkg.go.dev/net/http#Response)",
                "Link(https://pkg.go.dev/net/http#Response)<HttpResponse<>>",
            ),
            (
                "optionalnullable.OptionalNullable[`string`]",
                "OptionalNullable<String>",
            ),
            ("*string*", "String"),
            ("**string*", "Nilable<String>"),
            ("[]*string*", "List<String>"),
            ("map[string][]*string*", "Map<List<String>>"),
            (
                "**stream.EventStream[components.Event]*",
                "EventStream<Model(components::Event)>",
            ),
        ];
        for (markdown, expected) in cases {
            let parsed = cell(markdown).unwrap_or_else(|err| panic!("{markdown}: {err:?}"));
            assert_eq!(shape(&parsed), expected, "{markdown}");
        }
    }

    #[test]
    fn rejects_what_is_not_the_grammar() {
        let cases = [
            ("", "a Go type"),
            ("[]", "a Go type"),
            ("[3]string", "`]` after `[` (a slice is `[]T`)"),
            (
                "map[int64]string",
                "`string` as the key type of `map` (JSON keys are strings)",
            ),
            ("map[string", "`]` to close the key type of `map[string]`"),
            (
                "optionalnullable.OptionalNullable[string",
                "`]` to close `optionalnullable.OptionalNullable[...]`",
            ),
            ("stream.EventStream", "`[` after `stream.EventStream`"),
            ("interface{", "`}` to close `interface{}`"),
            ("string string", "the end of the type"),
            ("*", "a Go type"),
            ("|", "a Go type"),
            (&"[]".repeat(10_000), "a type nested at most 64 levels deep"),
            (&"*".repeat(10_000), "a type nested at most 64 levels deep"),
        ];
        for (text, expected) in cases {
            let error = parse(text).expect_err(text);
            assert_eq!(error.expected, expected, "{text}");
        }
        let unknown = parse("uint128").expect_err("unknown");
        assert_eq!(unknown.found, "`uint128`");
        assert!(unknown.expected.starts_with("a Go type ("), "{unknown:?}");
        assert!(parse("components.lower").is_err());
        assert!(cell("[[components.X](x.md)").is_err());
    }

    fn members(markdown: &str) -> Vec<Result<Member, SyntaxError>> {
        let document = crate::read::read_document(FileId(0), "m.md", markdown);
        let blocks = &document.blocks;
        let mut found = Vec::new();
        for (index, block) in blocks.iter().enumerate() {
            let Block::Heading(heading) = block else {
                continue;
            };
            if heading.level != 3 {
                continue;
            }
            let end = blocks[index + 1..]
                .iter()
                .position(|block| matches!(block, Block::Heading(_)))
                .map_or(blocks.len(), |offset| index + 1 + offset);
            found.push(union_member(heading, &blocks[index + 1..end], markdown));
        }
        found
    }

    fn member_shape(member: &Result<Member, SyntaxError>) -> String {
        match member {
            Ok(Member::Type(ty)) => shape(ty),
            Ok(Member::Unshown) => "Unshown".into(),
            Err(error) => format!("Err({})", error.expected),
        }
    }

    #[test]
    fn union_members_from_headings_and_constructor_calls() {
        let doc = "# Shelf\n\n## Supported Types\n\n### Novel\n\n```go\n\
            shelf := operations.CreateShelfNovel(components.Novel{/* values here */})\n```\n\n\
            ### \n\n```go\nshelf := components.CreateShelfStr(string{/* values here */})\n```\n\n\
            ### \n\n```go\nshelf := components.CreateShelfInteger(int64{/* values here */})\n```\n\n\
            ### \n\n```go\nshelf := components.CreateShelfMapOfAny(map[string]any{/* values here */})\n```\n\n\
            ### \n\n```go\nshelf := components.CreateShelfMapOfX(map[string]components.X{/* values here */})\n```\n\n\
            ### \n\n```go\nshelf := components.CreateShelfArrayOfStr([]string{/* values here */})\n```\n\n\
            ### \n\n```go\nshelf := components.CreateShelfAny(any{/* values here */})\n```\n\n\
            ### \n\nNothing to see.\n\n\
            ### \n\n```go\nshelf := components.CreateShelfOdd(uint128{/* values here */})\n```\n\n\
            ## Union Discrimination\n\n```go\nswitch shelf.Type {\n}\n```\n";
        let shapes: Vec<String> = members(doc).iter().map(member_shape).collect();
        assert_eq!(
            shapes,
            [
                "Model(components::Novel)",
                "String",
                "Int64",
                "Map<Any>",
                "Map<Model(components::X)>",
                "List<String>",
                "Any",
                "Unshown",
                "Err(a Go type (a primitive such as `string` or `int64`, `[]T`, `map[string]T`, `*T`, or `components.Name`))",
            ]
        );
    }

    #[test]
    fn member_types_from_code_point_at_the_code() {
        let doc = "# U\n\n## Supported Types\n\n### \n\n```go\nu := components.CreateUBoolean(bool{})\n```\n";
        let found = members(doc);
        let [Ok(Member::Type(ty))] = found.as_slice() else {
            panic!("expected one typed member: {found:?}");
        };
        let span = ty.span();
        assert_eq!(&doc[span.range()], "bool");
    }
}
