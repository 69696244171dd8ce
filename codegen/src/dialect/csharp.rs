//! The C# dialect: the grammar of Type cells and union member headings as the Speakeasy
//! C# SDK writes them.
//!
//! ```text
//! type      := atom "?"?                       -- `?`: a nullable value (`string?`)
//! atom      := link | generic | name
//! link      := LINK_OPEN type LINK_CLOSE       -- markdown link around a type
//! generic   := "List" "<" type ">"
//!            | "Dictionary" "<" key "," type ">"
//!            | "EventStream" "<" type ">"     -- server-sent events, SDK-only
//! key       := "String" | "string"             -- JSON keys are strings
//! name      := string | long | int | BigInteger | double | float | decimal | bool
//!            | object | byte "[" "]"
//!            | DateTime | LocalDate | DateOnly
//!            | HttpResponseMessage | HttpRequestMessage | Stream   -- SDK-only
//!            | NAMESPACE "." NAME | NAME       -- `Models.Components.X`, or a bare `X`
//!
//! member    := NAME                             -- `### PaymentMethodCard`, `### MapOfAny`
//!            | type                             -- any other heading text
//!            | (empty) code "X.Create" NAME "(" -- the factory call under the heading
//! NAME      := "Str" | "Integer" | "Int32" | "Bigint" | "Number" | "Float32" | "Decimal"
//!            | "Boolean" | "Any" | "Date" | "DateTime" | "Bytes"
//!            | "MapOf" NAME | "ArrayOf" NAME | MODEL_TITLE
//! ```
//!
//! The generator writes primitives in italics (`*long*`), models as a link whose text is
//! the class name (qualified as `Models.Components.X` only when two classes share a
//! name), containers outside the link (`List<[X](...)>`, `Dictionary<String, *object*>`;
//! the `<` is sometimes escaped, which the lexer drops), and dates, HTTP responses as links
//! to the .NET or NodaTime documentation. Emphasis is decoration, so every `*` is dropped.
//! The C# tables show no optional or nullable marker: `?` is read where an SDK version
//! writes one, as [`Wrapper::Nullable`].
//!
//! Union members are named by the SDK's variant naming (`sanitizeUnionTypeName`, then
//! PascalCase): a member with a model type is the model's class name, a primitive is the
//! type's name (`Str`, `Integer`, `Boolean`, `Any`), a map or array prefixes its item's
//! variant name with `MapOf` / `ArrayOf`.

use crate::diagnostic::Span;
use crate::document::{Block, Heading};

use super::lex::{Cursor, MAX_DEPTH, Token, join, text_tokens};
use super::{Member, Primitive, SdkType, SyntaxError, TypeExpr, Wrapper};

/// Parses a Type cell (or a member heading written as a type).
pub fn parse_type(cursor: Cursor) -> Result<TypeExpr, SyntaxError> {
    // Emphasis is decoration (`*string*`), and C# has no pointer `*`.
    let mut cursor = cursor.without(|token| token.is_punct('*'));
    let parsed = type_expr(&mut cursor)?;
    cursor.finish()?;
    Ok(parsed)
}

/// A union member: `### PaymentMethodCard` names a model by title, `### Str`,
/// `### MapOfAny`, `### ArrayOfStr`... a primitive or container by the SDK's variant
/// naming; an empty heading is read from the factory call in the code under it
/// (`Union.CreatePaymentMethodCard(/* values here */);`).
pub fn union_member(
    heading: &Heading,
    body: &[Block],
    source: &str,
) -> Result<Member, SyntaxError> {
    let tokens: Vec<(Token, Span)> = super::lex::cell_tokens(&heading.content, source)
        .into_iter()
        .filter(|(token, _)| !token.is_punct('*'))
        .collect();
    match tokens.as_slice() {
        [] => match factory_variant(body, source) {
            Some((name, span)) => variant(&name, span).map(Member::Type),
            None => Ok(Member::Unshown),
        },
        [(Token::Ident(name), span)] => variant(name, *span).map(Member::Type),
        _ => parse_type(Cursor::new(tokens, heading.span)).map(Member::Type),
    }
}

fn type_expr(cursor: &mut Cursor) -> Result<TypeExpr, SyntaxError> {
    cursor.nested(|cursor| {
        let atom = atom(cursor)?;
        // `string?`: C#'s nullable marker, written by SDK versions that show it.
        match cursor.eat('?') {
            Some(mark) => {
                let span = join(atom.span(), mark);
                Ok(TypeExpr::Wrapper {
                    wrapper: Wrapper::Nullable,
                    inner: Box::new(atom),
                    span,
                })
            }
            None => Ok(atom),
        }
    })
}

fn atom(cursor: &mut Cursor) -> Result<TypeExpr, SyntaxError> {
    match cursor.next() {
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
            cursor.back();
            Err(cursor.error("a type"))
        }
        None => Err(cursor.error("a type")),
    }
}

/// `<T>` after a generic; returns the argument and the span of the closing `>`.
fn one_argument(cursor: &mut Cursor, of: &str) -> Result<(TypeExpr, Span), SyntaxError> {
    cursor.expect('<', &format!("`<` after `{of}`"))?;
    let argument = type_expr(cursor)?;
    let close = cursor.expect('>', &format!("`>` to close `{of}<...>`"))?;
    Ok((argument, close))
}

/// The SDK-only classes, never on the JSON wire.
fn sdk_type(name: &str) -> Option<SdkType> {
    match name {
        // Operation responses' raw response. `HttpRequestMessage` (hooks) has no variant
        // of its own; it is SDK-only in the same way.
        "HttpResponseMessage"
        | "System.Net.Http.HttpResponseMessage"
        | "HttpRequestMessage"
        | "System.Net.Http.HttpRequestMessage" => Some(SdkType::HttpResponse),
        // Binary request and response bodies.
        "Stream" | "System.IO.Stream" => Some(SdkType::ByteStream),
        _ => None,
    }
}

fn named(cursor: &mut Cursor, name: &str, start: Span) -> Result<TypeExpr, SyntaxError> {
    let primitive = |primitive| TypeExpr::Primitive {
        primitive,
        span: start,
    };
    // The generator's `sanitizeTypeName`: OpenAPI integer -> `long`, int32 -> `int`,
    // bigint -> `BigInteger`, number -> `double`, float32 -> `float`.
    let found = match name {
        "string" => Primitive::String,
        "long" => Primitive::Int64,
        "int" => Primitive::Int32,
        "BigInteger" | "System.Numerics.BigInteger" => Primitive::Integer,
        "double" => Primitive::Float64,
        "float" => Primitive::Float32,
        "decimal" => Primitive::Decimal,
        "bool" => Primitive::Boolean,
        "object" | "Object" => Primitive::Any,
        "DateTime" | "System.DateTime" => Primitive::DateTime,
        "LocalDate" | "NodaTime.LocalDate" | "DateOnly" | "System.DateOnly" => {
            Primitive::CalendarDate
        }
        "byte" => {
            cursor.expect('[', "`[]` after `byte` (`byte[]`)")?;
            let close = cursor.expect(']', "`]` to close `byte[]`")?;
            return Ok(TypeExpr::Primitive {
                primitive: Primitive::Bytes,
                span: join(start, close),
            });
        }
        "List" => {
            let (item, close) = one_argument(cursor, name)?;
            return Ok(TypeExpr::List {
                item: Box::new(item),
                span: join(start, close),
            });
        }
        "Dictionary" => return dictionary(cursor, start),
        "EventStream" => {
            let (item, close) = one_argument(cursor, name)?;
            return Ok(TypeExpr::Sdk {
                sdk: SdkType::EventStream,
                arguments: vec![item],
                span: join(start, close),
            });
        }
        _ => {
            if let Some(sdk) = sdk_type(name) {
                return Ok(TypeExpr::Sdk {
                    sdk,
                    arguments: Vec::new(),
                    span: start,
                });
            }
            return model(name, start);
        }
    };
    Ok(primitive(found))
}

/// `Dictionary<String, T>`: the docs write the key as `String` (the code as `string`).
fn dictionary(cursor: &mut Cursor, start: Span) -> Result<TypeExpr, SyntaxError> {
    cursor.expect('<', "`<` after `Dictionary`")?;
    if !cursor
        .peek()
        .is_some_and(|token| token.is_ident("String") || token.is_ident("string"))
    {
        return Err(
            cursor.error("`String` as the key type of `Dictionary` (JSON keys are strings)")
        );
    }
    cursor.next();
    cursor.expect(',', "`,` after the key type of `Dictionary`")?;
    let value = type_expr(cursor)?;
    let close = cursor.expect('>', "`>` to close `Dictionary<...>`")?;
    Ok(TypeExpr::Map {
        value: Box::new(value),
        span: join(start, close),
    })
}

/// A model reference: the class name, or the qualified `Models.Components.X` the SDK
/// writes when two classes share a name (`Gr4vy.Models.Components.X` with global usings).
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
            expected: "a type name (a primitive such as `string`, a generic such as `List`, or a class name)"
                .into(),
            found: format!("`{name}`"),
        })
    }
}

/// The type a union variant name stands for: the SDK names a variant by its model's class
/// name, or, for a type without a name, by the PascalCase of the OpenAPI type
/// (`str`, `integer`, `boolean`, `any`...), maps and arrays as `MapOf` / `ArrayOf` and
/// their item's variant name.
fn variant(name: &str, span: Span) -> Result<TypeExpr, SyntaxError> {
    let mut containers = Vec::new();
    let mut rest = name;
    loop {
        let (container, after) = if let Some(after) = rest.strip_prefix("MapOf") {
            (true, after)
        } else if let Some(after) = rest.strip_prefix("ArrayOf") {
            (false, after)
        } else {
            break;
        };
        // `MapOf` alone, or followed by a lower-case letter (`MapOffset`), is a title.
        if !after.chars().next().is_some_and(char::is_uppercase) {
            break;
        }
        if containers.len() >= MAX_DEPTH {
            return Err(SyntaxError {
                span,
                expected: format!("a type nested at most {MAX_DEPTH} levels deep"),
                found: format!("`{name}`"),
            });
        }
        containers.push(container);
        rest = after;
    }
    let primitive = match rest {
        "Str" => Some(Primitive::String),
        // OpenAPI `integer` is a C# `long`; `int32` an `int`.
        "Integer" => Some(Primitive::Int64),
        "Int32" => Some(Primitive::Int32),
        "Bigint" => Some(Primitive::Integer),
        "Number" => Some(Primitive::Float64),
        "Float32" => Some(Primitive::Float32),
        "Decimal" => Some(Primitive::Decimal),
        "Boolean" => Some(Primitive::Boolean),
        "Any" => Some(Primitive::Any),
        "Date" => Some(Primitive::CalendarDate),
        "DateTime" => Some(Primitive::DateTime),
        "Bytes" => Some(Primitive::Bytes),
        _ => None,
    };
    let mut ty = match primitive {
        Some(primitive) => TypeExpr::Primitive { primitive, span },
        None => model(rest, span)?,
    };
    for is_map in containers.into_iter().rev() {
        let inner = Box::new(ty);
        ty = if is_map {
            TypeExpr::Map { value: inner, span }
        } else {
            TypeExpr::List { item: inner, span }
        };
    }
    Ok(ty)
}

/// The variant name in the first factory call under a heading
/// (`Union.CreatePaymentMethodCard(...)` names `PaymentMethodCard`), with its span.
fn factory_variant(body: &[Block], source: &str) -> Option<(String, Span)> {
    body.iter().find_map(|block| {
        let Block::Code(code) = block else {
            return None;
        };
        let tokens = text_tokens(&code.text, code.span);
        tokens.windows(2).find_map(|pair| match pair {
            [(Token::Ident(call), _), (Token::Punct('('), _)] => {
                let method = call.rsplit('.').next()?;
                let name = method.strip_prefix("Create")?;
                if name.is_empty() {
                    return None;
                }
                Some((name.to_owned(), name_span(source, code.span, name)))
            }
            _ => None,
        })
    })
}

/// Where `name` is in the source of a code block (the code's own text does not carry
/// offsets into the file once the fence is stripped); the block's span when not found.
fn name_span(source: &str, block: Span, name: &str) -> Span {
    let found = source
        .get(block.range())
        .and_then(|text| text.find(&format!("Create{name}(")));
    match found {
        Some(offset) => {
            let start = block.start as usize + offset + "Create".len();
            Span::new(block.file, start, start + name.len())
        }
        None => block,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::dialect::testing::shape;

    fn cell(markdown: &str) -> Result<TypeExpr, SyntaxError> {
        crate::dialect::testing::cell(Dialect::CSharp, markdown)
    }

    fn parse(text: &str) -> Result<TypeExpr, SyntaxError> {
        crate::dialect::testing::text(Dialect::CSharp, text)
    }

    use crate::diagnostic::FileId;

    #[test]
    fn parses_type_cells() {
        let cases = [
            ("*string*", "String"),
            ("*long*", "Int64"),
            ("*int*", "Int32"),
            ("*BigInteger*", "Integer"),
            ("*double*", "Float64"),
            ("*float*", "Float32"),
            ("*decimal*", "Decimal"),
            ("*bool*", "Boolean"),
            ("*object*", "Any"),
            ("*byte[]*", "Bytes"),
            ("*string?*", "Nullable<String>"),
            ("*long?*", "Nullable<Int64>"),
            (
                "[Book](../../Models/Components/Book.md)",
                "Link(../../Models/Components/Book.md)<Model(Book)>",
            ),
            (
                "[Models.Components.Shelf](../../Models/Components/Shelf.md)",
                "Link(../../Models/Components/Shelf.md)<Model(Models.Components::Shelf)>",
            ),
            ("List<*string*>", "List<String>"),
            ("List\\<*string*>", "List<String>"),
            ("List<[Book](B.md)>", "List<Link(B.md)<Model(Book)>>"),
            ("Dictionary<String, *object*>", "Map<Any>"),
            ("Dictionary\\<String, *string*>", "Map<String>"),
            (
                "Dictionary<String, [Book](B.md)>",
                "Map<Link(B.md)<Model(Book)>>",
            ),
            ("List<Dictionary<String, *object*>>", "List<Map<Any>>"),
            (
                "Dictionary<String, Dictionary<String, *object*>>",
                "Map<Map<Any>>",
            ),
            ("List<List<*long*>>", "List<List<Int64>>"),
            (
                "[DateTime](https://learn.microsoft.com/en-us/dotnet/api/system.datetime?view=net-5.0)",
                "Link(https://learn.microsoft.com/en-us/dotnet/api/system.datetime?view=net-5.0)<DateTime>",
            ),
            (
                "[LocalDate](https://nodatime.org/3.1.x/api/NodaTime.LocalDate.html)",
                "Link(https://nodatime.org/3.1.x/api/NodaTime.LocalDate.html)<CalendarDate>",
            ),
            ("[DateOnly](https://x)", "Link(https://x)<CalendarDate>"),
            (
                "[HttpResponseMessage](https://x)",
                "Link(https://x)<HttpResponse<>>",
            ),
            ("*Stream*", "ByteStream<>"),
            (
                "*EventStream<Models.Components.Event>*",
                "EventStream<Model(Models.Components::Event)>",
            ),
            ("*EventStream<string>*", "EventStream<String>"),
        ];
        for (text, expected) in cases {
            let parsed = cell(text).unwrap_or_else(|err| panic!("{text}: {err:?}"));
            assert_eq!(shape(&parsed), expected, "{text}");
        }
    }

    #[test]
    fn rejects_what_is_not_the_grammar() {
        let cases = [
            ("List<string", "`>` to close `List<...>`"),
            ("List[string]", "`<` after `List`"),
            (
                "Dictionary<String string>",
                "`,` after the key type of `Dictionary`",
            ),
            (
                "Dictionary<long, string>",
                "`String` as the key type of `Dictionary` (JSON keys are strings)",
            ),
            (
                "Dictionary<String, string",
                "`>` to close `Dictionary<...>`",
            ),
            ("byte", "`[]` after `byte` (`byte[]`)"),
            ("byte[", "`]` to close `byte[]`"),
            ("string string", "the end of the type"),
            ("string | long", "the end of the type"),
            ("", "a type"),
            ("List<>", "a type"),
            ("<string>", "a type"),
            ("string??", "the end of the type"),
            (
                &"List<".repeat(10_000),
                "a type nested at most 64 levels deep",
            ),
        ];
        for (text, expected) in cases {
            let error = parse(text).expect_err(text);
            assert_eq!(error.expected, expected, "{text}");
        }
        let error = cell("[Book](B.md").expect_err("not a link");
        assert!(!error.expected.is_empty());
        let error = cell("[List<*string*](L.md)>").expect_err("link closes inside generic");
        assert_eq!(error.expected, "`>` to close `List<...>`");
    }

    #[test]
    fn errors_point_at_the_offending_token() {
        let error = parse("List<string]").expect_err("bad close");
        assert_eq!(error.span, Span::new(FileId(0), 11, 12));
        assert_eq!(error.found, "`]`");
        let error = parse("List<string").expect_err("unclosed");
        assert_eq!(error.found, "the end of the type");
    }

    fn member(markdown: &str) -> Result<Member, SyntaxError> {
        let document = crate::read::read_document(FileId(0), "m.md", markdown);
        let Some(Block::Heading(heading)) = document.blocks.first() else {
            panic!("no heading in {markdown:?}");
        };
        union_member(heading, &document.blocks[1..], markdown)
    }

    fn member_shape(markdown: &str) -> String {
        match member(markdown).unwrap_or_else(|err| panic!("{markdown}: {err:?}")) {
            Member::Type(ty) => shape(&ty),
            Member::Unshown => "Unshown".to_owned(),
        }
    }

    #[test]
    fn reads_union_members() {
        let code = |name: &str| {
            format!("### {name}\n\n```csharp\nU.Create{name}(/* values here */);\n```\n")
        };
        let cases = [
            ("PaperbackEdition", "Model(PaperbackEdition)"),
            ("Str", "String"),
            ("Integer", "Int64"),
            ("Int32", "Int32"),
            ("Bigint", "Integer"),
            ("Number", "Float64"),
            ("Float32", "Float32"),
            ("Decimal", "Decimal"),
            ("Boolean", "Boolean"),
            ("Any", "Any"),
            ("Date", "CalendarDate"),
            ("DateTime", "DateTime"),
            ("Bytes", "Bytes"),
            ("MapOfAny", "Map<Any>"),
            ("MapOfShelfTag", "Map<Model(ShelfTag)>"),
            ("ArrayOfStr", "List<String>"),
            ("ArrayOfMapOfAny", "List<Map<Any>>"),
            ("MapOfArrayOfBook", "Map<List<Model(Book)>>"),
            ("MapOffset", "Model(MapOffset)"),
            ("ArrayOf", "Model(ArrayOf)"),
            ("Models.Components.Book", "Model(Models.Components::Book)"),
        ];
        for (name, expected) in cases {
            assert_eq!(member_shape(&code(name)), expected, "{name}");
        }
        assert_eq!(member_shape("### `List<string>`\n"), "List<String>");
    }

    #[test]
    fn an_empty_heading_is_read_from_the_factory_call() {
        assert_eq!(
            member_shape("### \n\n```csharp\nShelfItem.CreateHardcover(/* values here */);\n```\n"),
            "Model(Hardcover)"
        );
        assert_eq!(
            member_shape("###\n\n```csharp\nShelfItem.CreateMapOfAny(/* values here */);\n```\n"),
            "Map<Any>"
        );
        let text = "###\n\n```csharp\nShelfItem.CreateHardcover(/* values here */);\n```\n";
        let Ok(Member::Type(TypeExpr::Model { span, .. })) = member(text) else {
            panic!("no model");
        };
        assert_eq!(&text[span.range()], "Hardcover");
        assert_eq!(member_shape("###\n\nNothing here.\n"), "Unshown");
        assert_eq!(member_shape("###\n"), "Unshown");
    }

    #[test]
    fn rejects_malformed_member_headings() {
        assert!(member("### List<string\n").is_err());
        assert!(member("### 1Book\n").is_err());
        let deep = format!("### {}Str\n", "MapOf".repeat(200));
        let error = member(&deep).expect_err("too deep");
        assert!(error.expected.contains("64 levels"), "{error:?}");
    }
}
