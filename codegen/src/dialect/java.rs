//! The Java dialect: the grammar of Type cells and union member headings as the Speakeasy
//! Java SDK writes them.
//!
//! ```text
//! type      := primary ( "[" "]" )*             -- `byte[]` is bytes, `T[]` a list
//! primary   := link | name ( "<" args ">" )?
//! link      := LINK_OPEN type LINK_CLOSE        -- markdown link around a type
//! args      := arg ( "," arg )*
//! arg       := type | "?" ( ( "extends" | "super" ) type )?
//! name      := String | int | Integer | long | Long | short | Short | float | Float
//!            | double | Double | boolean | Boolean | BigDecimal | BigInteger | Object
//!            | OffsetDateTime | LocalDate | byte            -- `java.lang.` etc. allowed
//!            | Optional<T> | JsonNullable<T> | List<T> | Map<String, T>
//!            | HttpResponse<?> | InputStream | EventStream<T>   -- SDK-only
//!            | Name | a.b.Name                 -- a model class, by title
//! ```
//!
//! The docs backslash-escape angle brackets (`List\<Map\\<String, *Object*>>`); the lexer
//! has dropped the escapes. Older generators wrote them unescaped, so a one-argument
//! `<Pet>` that markdown read as an HTML tag is read back as type arguments.
//!
//! Presence: `JsonNullable<T>` is the SDK's "absent, null or a value" holder and is
//! [`Wrapper::Nullable`]; the Required column says whether it may also be absent.
//! `Optional<T>` is [`Wrapper::Nilable`], not [`Wrapper::Optional`]: the SDK writes it
//! both on optional fields that are never null and on required fields that may be null
//! (`Nullable[str]` with `:heavy_check_mark:` in the Python docs of the same API is
//! `Optional<String>` with `:heavy_check_mark:` here), so only the Required column tells
//! which. Lists, maps and dates are never wrapped.

use crate::diagnostic::Span;
use crate::document::{Block, Heading};

use super::lex::{Cursor, Token, join, text_tokens};
use super::{Member, Primitive, SdkType, SyntaxError, TypeExpr, Wrapper};

/// Parses a Type cell or a member heading's type.
pub fn parse_type(cursor: Cursor) -> Result<TypeExpr, SyntaxError> {
    // Emphasis is decoration; a `*` left inside a code span means nothing in Java either.
    let mut cursor = cursor.without(|token| token.is_punct('*'));
    let parsed = type_expr(&mut cursor)?;
    cursor.finish()?;
    Ok(parsed)
}

/// A union member: its heading names the type (`` ### `Cat` ``, `### Cat`,
/// `` ### `List<String>` ``); under an empty heading, the example code may still show it
/// (`Pet.of(Cat.builder()...)`, `Pet.of("...")`).
pub fn union_member(
    heading: &Heading,
    body: &[Block],
    source: &str,
) -> Result<Member, SyntaxError> {
    let tokens = super::lex::cell_tokens(&heading.content, source);
    if tokens.is_empty() {
        let shown = body.iter().find_map(|block| match block {
            Block::Code(code) => member_from_code(&code.text, code.span),
            _ => None,
        });
        return Ok(shown.map_or(Member::Unshown, Member::Type));
    }
    parse_type(Cursor::new(tokens, heading.span)).map(Member::Type)
}

/// The member type an example such as `Pet.of(Cat.builder()...build())` constructs: a
/// model built with its builder, or a string or boolean literal. Anything else (a
/// placeholder comment, a number whose Java type the literal does not fix) shows nothing.
fn member_from_code(text: &str, span: Span) -> Option<TypeExpr> {
    let tokens = text_tokens(text, span);
    let open = tokens.windows(2).position(|pair| {
        matches!(&pair[0].0, Token::Ident(name) if name.ends_with(".of")) && pair[1].0.is_punct('(')
    })?;
    let (argument, at) = tokens.get(open + 2)?;
    let primitive = |primitive| TypeExpr::Primitive {
        primitive,
        span: *at,
    };
    match argument {
        Token::Str(_) => Some(primitive(Primitive::String)),
        Token::Ident(name) if name == "true" || name == "false" => {
            Some(primitive(Primitive::Boolean))
        }
        Token::Ident(name) => {
            let class = name.strip_suffix(".builder")?;
            model(class, *at).ok()
        }
        _ => None,
    }
}

fn type_expr(cursor: &mut Cursor) -> Result<TypeExpr, SyntaxError> {
    cursor.nested(|cursor| {
        let mut parsed = primary(cursor)?;
        // `byte[]`; a Java array of anything else is a list (the SDK writes `List<T>`,
        // but an array reads the same on the wire).
        while cursor.peek().is_some_and(|token| token.is_punct('['))
            && cursor
                .peek_second()
                .is_some_and(|token| token.is_punct(']'))
        {
            let (Some(_), Some((_, close))) = (cursor.next(), cursor.next()) else {
                break;
            };
            let span = join(parsed.span(), close);
            parsed = match parsed {
                TypeExpr::Model { ref name, .. } if name == "byte" => TypeExpr::Primitive {
                    primitive: Primitive::Bytes,
                    span,
                },
                item => TypeExpr::List {
                    item: Box::new(item),
                    span,
                },
            };
        }
        if let TypeExpr::Model { name, span, .. } = &parsed
            && name == "byte"
        {
            return Err(SyntaxError {
                span: *span,
                expected: "`[]` after `byte` (a single byte is not a JSON type)".into(),
                found: "`byte`".into(),
            });
        }
        Ok(parsed)
    })
}

fn primary(cursor: &mut Cursor) -> Result<TypeExpr, SyntaxError> {
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

/// The packages of the JDK and of `JsonNullable` whose classes the docs may spell in full.
const PACKAGES: &[&str] = &[
    "java.lang.",
    "java.util.",
    "java.time.",
    "java.math.",
    "java.io.",
    "java.net.http.",
    "org.openapitools.jackson.nullable.",
];

fn named(cursor: &mut Cursor, name: &str, start: Span) -> Result<TypeExpr, SyntaxError> {
    let simple = PACKAGES
        .iter()
        .find_map(|package| name.strip_prefix(package))
        .unwrap_or(name);
    let primitive = |primitive| {
        Ok(TypeExpr::Primitive {
            primitive,
            span: start,
        })
    };
    let sdk = |sdk, arguments, span| {
        Ok(TypeExpr::Sdk {
            sdk,
            arguments,
            span,
        })
    };
    match simple {
        "String" => primitive(Primitive::String),
        // Speakeasy maps `int32` to `int`/`Integer` and `int64` (and plain `integer`) to
        // `long`/`Long`; `short` never comes from it but fits in 32 bits.
        "int" | "Integer" | "short" | "Short" => primitive(Primitive::Int32),
        "long" | "Long" => primitive(Primitive::Int64),
        "float" | "Float" => primitive(Primitive::Float32),
        "double" | "Double" => primitive(Primitive::Float64),
        "boolean" | "Boolean" => primitive(Primitive::Boolean),
        "BigDecimal" => primitive(Primitive::Decimal),
        // An integer of any size (`bigint`, or `format: bigint` strings).
        "BigInteger" => primitive(Primitive::Integer),
        "Object" => primitive(Primitive::Any),
        "OffsetDateTime" => primitive(Primitive::DateTime),
        "LocalDate" => primitive(Primitive::CalendarDate),
        // Only meaningful as `byte[]`, which `type_expr` completes.
        "byte" => Ok(TypeExpr::Model {
            name: "byte".into(),
            namespace: None,
            span: start,
        }),
        "Optional" | "JsonNullable" => {
            let (inner, close) = one_argument(cursor, simple)?;
            let wrapper = if simple == "Optional" {
                Wrapper::Nilable
            } else {
                Wrapper::Nullable
            };
            Ok(TypeExpr::Wrapper {
                wrapper,
                inner: Box::new(inner),
                span: join(start, close),
            })
        }
        "List" => {
            let (item, close) = one_argument(cursor, simple)?;
            Ok(TypeExpr::List {
                item: Box::new(item),
                span: join(start, close),
            })
        }
        "Map" => map(cursor, start),
        // The raw response of an operation: its body type argument (`?`, `InputStream`,
        // `byte[]`) is the SDK's, not the API's, so it is read and dropped.
        "HttpResponse" => {
            let end = match type_arguments(cursor, simple)? {
                Some((_, close)) => close,
                None => start,
            };
            sdk(SdkType::HttpResponse, Vec::new(), join(start, end))
        }
        "InputStream" => sdk(SdkType::ByteStream, Vec::new(), start),
        "EventStream" => {
            let (item, close) = one_argument(cursor, simple)?;
            sdk(SdkType::EventStream, vec![item], join(start, close))
        }
        _ => model(name, start),
    }
}

/// `Map<String, T>`: JSON object keys are strings, so any other key type is an error.
fn map(cursor: &mut Cursor, start: Span) -> Result<TypeExpr, SyntaxError> {
    let Some((arguments, close)) = type_arguments(cursor, "Map")? else {
        return Err(cursor.error("`<` after `Map`"));
    };
    let mut arguments = arguments.into_iter();
    let (key, value) = match (arguments.next(), arguments.next(), arguments.next()) {
        (Some(key), Some(value), None) => (key, value),
        _ => {
            return Err(SyntaxError {
                span: join(start, close),
                expected: "a key and a value type in `Map<...>`".into(),
                found: "another number of type arguments".into(),
            });
        }
    };
    let key_span = key.as_ref().map_or(start, TypeExpr::span);
    if !matches!(
        key,
        Some(TypeExpr::Primitive {
            primitive: Primitive::String,
            ..
        })
    ) {
        return Err(SyntaxError {
            span: key_span,
            expected: "`String` as the key type of `Map` (JSON keys are strings)".into(),
            found: "another key type".into(),
        });
    }
    let Some(value) = value else {
        return Err(SyntaxError {
            span: close,
            expected: "a value type in `Map<String, ...>`".into(),
            found: "`?`".into(),
        });
    };
    Ok(TypeExpr::Map {
        value: Box::new(value),
        span: join(start, close),
    })
}

/// The one type argument of `of<T>`, and the span of the closing `>`.
fn one_argument(cursor: &mut Cursor, of: &str) -> Result<(TypeExpr, Span), SyntaxError> {
    let Some((arguments, close)) = type_arguments(cursor, of)? else {
        return Err(cursor.error(format!("`<` after `{of}`")));
    };
    match <[_; 1]>::try_from(arguments) {
        Ok([Some(argument)]) => Ok((argument, close)),
        Ok([None]) => Err(SyntaxError {
            span: close,
            expected: format!("a type argument in `{of}<...>`"),
            found: "`?`".into(),
        }),
        Err(_) => Err(SyntaxError {
            span: close,
            expected: format!("one type argument in `{of}<...>`"),
            found: "several".into(),
        }),
    }
}

/// Type arguments (`None` for a bare `?`) and the span of the closing `>`.
type Arguments = (Vec<Option<TypeExpr>>, Span);

/// Type arguments `<A, B>` if they follow, with the span of the `>`; a bare wildcard `?`
/// is `None`. A one-argument list that markdown took for an HTML tag (`<Pet>`, from
/// generators that did not escape `<`) is lexed again from its text.
fn type_arguments(cursor: &mut Cursor, of: &str) -> Result<Option<Arguments>, SyntaxError> {
    if let Some(Token::Other(html)) = cursor.peek()
        && html.starts_with('<')
        && html.ends_with('>')
    {
        let html = html.clone();
        let Some((_, span)) = cursor.next() else {
            return Err(cursor.error(format!("`<` after `{of}`")));
        };
        let mut tag = Cursor::new(text_tokens(&html, span), span);
        let parsed = type_arguments(&mut tag, of)?;
        tag.finish()?;
        return Ok(parsed);
    }
    if cursor.eat('<').is_none() {
        return Ok(None);
    }
    let mut arguments = vec![argument(cursor)?];
    loop {
        if cursor.eat(',').is_some() {
            arguments.push(argument(cursor)?);
        } else if let Some(close) = cursor.eat('>') {
            return Ok(Some((arguments, close)));
        } else if arguments.len() == 1 {
            return Err(cursor.error(format!("`>` to close `{of}<...>`")));
        } else {
            return Err(cursor.error(format!("`,` or `>` in `{of}<...>`")));
        }
    }
}

/// One type argument: a type, `? extends T` / `? super T` (read as `T`), or `?`.
fn argument(cursor: &mut Cursor) -> Result<Option<TypeExpr>, SyntaxError> {
    if cursor.eat('?').is_none() {
        return type_expr(cursor).map(Some);
    }
    if cursor
        .peek()
        .is_some_and(|token| token.is_ident("extends") || token.is_ident("super"))
    {
        cursor.next();
        return type_expr(cursor).map(Some);
    }
    Ok(None)
}

/// A model class by title: `Pet`, or a qualified `com.example.models.components.Pet`
/// (namespace `com.example.models.components`). Java classes are capitalised, so a bare
/// lower-case word (`string`, `str`, `int64`) is another dialect's primitive, not a model.
fn model(name: &str, span: Span) -> Result<TypeExpr, SyntaxError> {
    let (namespace, title) = match name.rsplit_once('.') {
        Some((namespace, title)) => (Some(namespace.to_owned()), title),
        None => (None, name),
    };
    let is_class = title
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c == '_' || c == '$')
        && title
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        && namespace.as_deref().is_none_or(|namespace| {
            namespace.split('.').all(|part| {
                !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_')
            })
        });
    if is_class {
        Ok(TypeExpr::Model {
            name: title.to_owned(),
            namespace,
            span,
        })
    } else {
        Err(SyntaxError {
            span,
            expected: "a Java type (a primitive such as `long`, a generic such as `List`, or a \
                       class name such as `Pet`)"
                .into(),
            found: format!("`{name}`"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::dialect::testing::shape;

    fn cell(markdown: &str) -> Result<TypeExpr, SyntaxError> {
        crate::dialect::testing::cell(Dialect::Java, markdown)
    }

    fn parse(text: &str) -> Result<TypeExpr, SyntaxError> {
        crate::dialect::testing::text(Dialect::Java, text)
    }

    use crate::diagnostic::FileId;

    #[test]
    fn parses_the_grammar() {
        let cases = [
            ("String", "String"),
            ("int", "Int32"),
            ("Integer", "Int32"),
            ("long", "Int64"),
            ("Long", "Int64"),
            ("float", "Float32"),
            ("double", "Float64"),
            ("Double", "Float64"),
            ("boolean", "Boolean"),
            ("BigDecimal", "Decimal"),
            ("java.math.BigInteger", "Integer"),
            ("Object", "Any"),
            ("byte[]", "Bytes"),
            ("OffsetDateTime", "DateTime"),
            ("LocalDate", "CalendarDate"),
            ("Optional<String>", "Nilable<String>"),
            ("JsonNullable<Long>", "Nullable<Int64>"),
            ("Optional<byte[]>", "Nilable<Bytes>"),
            ("Optional<? extends Pet>", "Nilable<Model(Pet)>"),
            ("List<String>", "List<String>"),
            ("List<Map<String, Object>>", "List<Map<Any>>"),
            ("Map<String, Map<String, Object>>", "Map<Map<Any>>"),
            ("Map<java.lang.String, Boolean>", "Map<Boolean>"),
            ("String[]", "List<String>"),
            ("Pet", "Model(Pet)"),
            (
                "com.example.models.components.Pet",
                "Model(com.example.models.components::Pet)",
            ),
            ("HttpResponse<?>", "HttpResponse<>"),
            ("HttpResponse<InputStream>", "HttpResponse<>"),
            ("HttpResponse", "HttpResponse<>"),
            ("InputStream", "ByteStream<>"),
            ("EventStream<ChatEvent>", "EventStream<Model(ChatEvent)>"),
        ];
        for (text, expected) in cases {
            let parsed = parse(text).unwrap_or_else(|err| panic!("{text}: {err:?}"));
            assert_eq!(shape(&parsed), expected, "{text}");
        }
    }

    #[test]
    fn reads_markdown_cells() {
        let cases = [
            ("*String*", "String"),
            ("*JsonNullable\\<String>*", "Nullable<String>"),
            ("*Optional\\<Boolean>*", "Nilable<Boolean>"),
            (
                "[Optional\\<Shelf>](../../models/components/Shelf.md)",
                "Link(../../models/components/Shelf.md)<Nilable<Model(Shelf)>>",
            ),
            (
                "[JsonNullable\\<Genre>](../../models/components/Genre.md)",
                "Link(../../models/components/Genre.md)<Nullable<Model(Genre)>>",
            ),
            (
                "List\\<[Book](../../models/components/Book.md)>",
                "List<Link(../../models/components/Book.md)<Model(Book)>>",
            ),
            ("List\\<*String*>", "List<String>"),
            ("Map\\<String, *Object*>", "Map<Any>"),
            ("List\\<Map\\\\<String, *Object*>>", "List<Map<Any>>"),
            (
                "Map\\<String, [Shelf](../../models/components/Shelf.md)>",
                "Map<Link(../../models/components/Shelf.md)<Model(Shelf)>>",
            ),
            (
                "[OffsetDateTime](https://docs.oracle.com/javase/8/docs/api/java/time/OffsetDateTime.html)",
                "Link(https://docs.oracle.com/javase/8/docs/api/java/time/OffsetDateTime.html)<DateTime>",
            ),
            (
                "[HttpResponse\\<?>](https://docs.oracle.com/en/java/javase/11/docs/api/java.net.http/java/net/http/HttpResponse.html)",
                "Link(https://docs.oracle.com/en/java/javase/11/docs/api/java.net.http/java/net/http/HttpResponse.html)<HttpResponse<>>",
            ),
            ("*Optional\\<byte[]>*", "Nilable<Bytes>"),
            // Unescaped, as older generators wrote them: `<Shelf>` is an HTML tag.
            (
                "[Optional<Shelf>](../../models/components/Shelf.md)",
                "Link(../../models/components/Shelf.md)<Nilable<Model(Shelf)>>",
            ),
            ("Optional<String>", "Nilable<String>"),
        ];
        for (markdown, expected) in cases {
            let parsed = cell(markdown).unwrap_or_else(|err| panic!("{markdown}: {err:?}"));
            assert_eq!(shape(&parsed), expected, "{markdown}");
        }
    }

    #[test]
    fn rejects_what_is_not_the_grammar() {
        let cases = [
            ("List<String", "`>` to close `List<...>`"),
            ("Map<String, Object", "`,` or `>` in `Map<...>`"),
            (
                "Map<Long, String>",
                "`String` as the key type of `Map` (JSON keys are strings)",
            ),
            ("Map<String>", "a key and a value type in `Map<...>`"),
            ("List<String, Long>", "one type argument in `List<...>`"),
            ("Optional<?>", "a type argument in `Optional<...>`"),
            ("Optional", "`<` after `Optional`"),
            ("String String", "the end of the type"),
            ("", "a type"),
            ("List<>", "a type"),
            (
                "byte",
                "`[]` after `byte` (a single byte is not a JSON type)",
            ),
            (
                "str",
                "a Java type (a primitive such as `long`, a generic such as `List`, or a class name such as `Pet`)",
            ),
            (
                "T::Array",
                "a Java type (a primitive such as `long`, a generic such as `List`, or a class name such as `Pet`)",
            ),
            (
                &"List<".repeat(10_000),
                "a type nested at most 64 levels deep",
            ),
        ];
        for (text, expected) in cases {
            let error = parse(text).expect_err(text);
            assert_eq!(error.expected, expected, "{text}");
        }
        let error = cell("[Optional\\<Shelf>](shelf.md").expect_err("unclosed link text");
        assert!(!error.expected.is_empty());
        let error = cell("[Shelf Book](shelf.md)").expect_err("two names in a link");
        assert_eq!(error.expected, "the end of the link");
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "<",
            ">",
            "[]",
            "[",
            "]",
            "?",
            "Map<",
            "Map<String,",
            "HttpResponse<",
            "a.b.",
            "List<?",
            "Optional<? extends>",
            "byte[",
            "``",
            "\"x\"",
            "1",
        ] {
            let _ = parse(text);
            let _ = cell(text);
        }
    }

    fn members(markdown: &str) -> Vec<Member> {
        let document = crate::read::read_document(FileId(0), "m.md", markdown);
        let blocks = &document.blocks;
        let mut found = Vec::new();
        for (index, block) in blocks.iter().enumerate() {
            if let Block::Heading(heading) = block
                && heading.level == 3
            {
                let end = blocks[index + 1..]
                    .iter()
                    .position(|block| matches!(block, Block::Heading(_)))
                    .map_or(blocks.len(), |offset| index + 1 + offset);
                found.push(
                    union_member(heading, &blocks[index + 1..end], markdown)
                        .unwrap_or_else(|err| panic!("{err:?}")),
                );
            }
        }
        found
    }

    #[test]
    fn union_members_from_headings_and_code() {
        let markdown = "# ShelfItem\n\n## Supported Types\n\n### `Book`\n\n```java\nShelfItem.of(Book.builder()\n    .title(\"Dune\")\n    .build());\n```\n\n### Magazine\n\n```java\nShelfItem.of(Magazine.builder().build());\n```\n\n### `List<String>`\n\n```java\nShelfItem.of(List.of(\"a\"));\n```\n\n### \n\n```java\nShelfItem.of(Pamphlet.builder().build());\n```\n\n### \n\n```java\nShelfItem.of(\"note\");\n```\n\n### \n\n```java\nShelfItem.of(/* values here */);\n```\n";
        let shapes: Vec<String> = members(markdown)
            .iter()
            .map(|member| match member {
                Member::Type(ty) => shape(ty),
                Member::Unshown => "Unshown".into(),
            })
            .collect();
        assert_eq!(
            shapes,
            [
                "Model(Book)",
                "Model(Magazine)",
                "List<String>",
                "Model(Pamphlet)",
                "String",
                "Unshown"
            ]
        );
    }
}
