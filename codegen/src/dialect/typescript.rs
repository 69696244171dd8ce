//! The TypeScript dialect: the grammar of Type cells, union member headings and enum values
//! as the Speakeasy TypeScript SDK writes them.
//!
//! ```text
//! type     := "|"? member ( "|" member )*       -- an inline union (`\|` in a cell)
//! member   := primary ( "[" "]" )*              -- `T[]`, `T[][]`
//! primary  := LINK_OPEN type LINK_CLOSE         -- markdown link around a type
//!           | "(" type ")"                      -- `(A | B)[]`
//!           | "{" "[" NAME ":" "string" "]" ":" type "}"   -- index signature (headings)
//!           | STRING | INT | "true" | "false"   -- a constant (`*"card"*`, `*true*`, `*1*`)
//!           | name ( "<" type ( "," type )* ">" )?
//! name     := string | number | boolean | bigint | BigInt | any | unknown | object
//!           | Date | RFCDate | Decimal | Uint8Array | ArrayBuffer
//!           | Record<string, T> | Array<T>
//!           | ReadableStream<T> | Blob | File | EventStream<T>
//!           | Response | Request | AxiosResponse           -- SDK-only
//!           | MODULE.NAME | NAME          -- `components.`, `operations.`, `errors.`
//!           | null | undefined            -- union members only: presence, not a member
//!
//! enum     := "|"? value ( "|" value )*         -- the code under `## Values`
//! value    := STRING | INT | "true" | "false" | Unrecognized "<" ( string | number ) ">"
//! ```
//!
//! The SDK never shows presence in a type: optional and nullable fields read like required
//! ones (so no wrapper comes out of a cell unless `null` or `undefined` is written in a
//! union). Emphasis is decoration (`*string*`, `*components.X*[]`), so it is transparent.
//! Model references are linked (`[components.X](../../models/components/x.md)`) or, for
//! fields typed by a union model, italic and unlinked (`*components.X*`).

use crate::diagnostic::Span;
use crate::document::{Block, CodeBlock, Heading};

use super::lex::{Cursor, MAX_DEPTH, Token, cell_tokens, join, text_tokens};
use super::{CodeEnum, LiteralValue, Member, Primitive, SdkType, SyntaxError, TypeExpr, Wrapper};

/// Parses a Type cell or a member heading's type.
pub fn parse_type(cursor: Cursor) -> Result<TypeExpr, SyntaxError> {
    // Emphasis is decoration; a `*` left inside a code span means nothing in TypeScript.
    let mut cursor = cursor.without(|token| token.is_punct('*'));
    let parsed = type_expr(&mut cursor)?;
    cursor.finish()?;
    Ok(parsed)
}

/// A union member heading: `` ### `components.X` ``, `` ### `string[]` ``,
/// `` ### `{ [k: string]: any }` ``, `` ### `EventStream<operations.X>` ``. A heading
/// that names nothing falls back to the example under it (`const value: T = ...;`).
pub fn union_member(
    heading: &Heading,
    body: &[Block],
    source: &str,
) -> Result<Member, SyntaxError> {
    let tokens = cell_tokens(&heading.content, source);
    if !tokens.is_empty() {
        return parse_type(Cursor::new(tokens, heading.span)).map(Member::Type);
    }
    match example_type(body, source) {
        Some((text, span)) => super::Dialect::TypeScript
            .type_text(text, span)
            .map(Member::Type),
        None => Ok(Member::Unshown),
    }
}

/// The annotation of the first `const value: T = ...` example under a member, with its
/// span in the file.
fn example_type<'a>(body: &'a [Block], source: &str) -> Option<(&'a str, Span)> {
    body.iter().find_map(|block| {
        let Block::Code(code) = block else {
            return None;
        };
        let text = code.text.as_str();
        let start = text.find("value:")? + "value:".len();
        let end = start + text[start..].find('=')?;
        let base = code_text_start(code, Some(source));
        let span = Span::new(code.span.file, base + start, base + end);
        Some((&text[start..end], span))
    })
}

/// Where the text of a code block starts in its file. With the source at hand the text
/// is looked up inside the block; without it the opening fence is taken to be three
/// characters, the info string as written and a newline, which is how the SDK writes
/// every block.
fn code_text_start(code: &CodeBlock, source: Option<&str>) -> usize {
    let start = code.span.start as usize;
    let found = source
        .and_then(|source| source.get(code.span.range()))
        .filter(|_| !code.text.is_empty())
        .and_then(|block| block.find(code.text.as_str()));
    match (found, &code.info) {
        (Some(offset), _) => start + offset,
        (None, Some(info)) => (start + 3 + info.len() + 1).min(code.span.end as usize),
        (None, None) => start,
    }
}

/// Reads the `## Values` code of an enum: `"a" | "b" | Unrecognized<string>`, or integers
/// (`1 | 2 | Unrecognized<number>`). `Unrecognized<...>` makes the enum open.
pub fn enum_code(code: &CodeBlock) -> Result<CodeEnum, SyntaxError> {
    let start = code_text_start(code, None);
    let span = Span::new(
        code.span.file,
        start,
        (start + code.text.len()).min(code.span.end as usize),
    );
    let mut cursor = Cursor::new(text_tokens(&code.text, span), span);
    let mut values = Vec::new();
    let mut open = false;
    cursor.eat('|');
    loop {
        match cursor.next() {
            Some((Token::Str(value), span)) => values.push((LiteralValue::String(value), span)),
            Some((Token::Int(value), span)) => values.push((LiteralValue::Integer(value), span)),
            Some((Token::Ident(name), span)) if name == "true" || name == "false" => {
                values.push((LiteralValue::Boolean(name == "true"), span))
            }
            Some((Token::Ident(name), _)) if name == "Unrecognized" => {
                cursor.expect('<', "`<` after `Unrecognized`")?;
                if !cursor
                    .peek()
                    .is_some_and(|token| token.is_ident("string") || token.is_ident("number"))
                {
                    return Err(cursor.error("`string` or `number` in `Unrecognized<...>`"));
                }
                cursor.next();
                cursor.expect('>', "`>` to close `Unrecognized<...>`")?;
                open = true;
            }
            Some(_) => {
                cursor.back();
                return Err(cursor.error(
                    "an enum value (a quoted string, an integer or `Unrecognized<string>`)",
                ));
            }
            None => {
                return Err(cursor.error(
                    "an enum value (a quoted string, an integer or `Unrecognized<string>`)",
                ));
            }
        }
        if cursor.eat('|').is_none() {
            break;
        }
    }
    // A statement may end with `;`.
    if cursor
        .peek()
        .is_some_and(|token| *token == Token::Other(";".into()))
    {
        cursor.next();
    }
    if !cursor.at_end() {
        return Err(cursor.error("`|` or the end of the values"));
    }
    Ok(CodeEnum { values, open })
}

fn type_expr(cursor: &mut Cursor) -> Result<TypeExpr, SyntaxError> {
    cursor.nested(|cursor| {
        let first = cursor.span();
        // TypeScript allows a leading `|` before the first member.
        cursor.eat('|');
        let mut members = Vec::new();
        let (mut null, mut undefined) = (false, false);
        let mut last;
        loop {
            // `null` and `undefined` say whether a value may be missing; they are not
            // members of the union.
            let absent = match cursor.peek() {
                Some(token) if token.is_ident("null") => Some(&mut null),
                Some(token) if token.is_ident("undefined") => Some(&mut undefined),
                _ => None,
            };
            match absent {
                Some(flag) => {
                    *flag = true;
                    last = cursor.span();
                    cursor.next();
                }
                None => {
                    let parsed = member(cursor)?;
                    last = parsed.span();
                    members.push(parsed);
                }
            }
            if cursor.eat('|').is_none() {
                break;
            }
        }
        let span = join(first, last);
        let inner = match members.len() {
            0 => {
                cursor.back();
                return Err(cursor.error("a type besides `null` and `undefined`"));
            }
            1 => members.remove(0),
            _ => TypeExpr::Union {
                span: join(members[0].span(), members[members.len() - 1].span()),
                members,
            },
        };
        let wrapper = match (null, undefined) {
            (true, true) => Wrapper::OptionalNullable,
            (true, false) => Wrapper::Nullable,
            (false, true) => Wrapper::Optional,
            (false, false) => return Ok(inner),
        };
        Ok(TypeExpr::Wrapper {
            wrapper,
            inner: Box::new(inner),
            span,
        })
    })
}

/// A primary type with its `[]` suffixes: each pair makes a list of what precedes it.
/// The suffixes are counted like nesting, so no tree comes out deeper than the cursor's
/// bound (later passes recurse over it).
fn member(cursor: &mut Cursor) -> Result<TypeExpr, SyntaxError> {
    let mut parsed = primary(cursor)?;
    let mut suffixes = 0;
    while cursor.peek().is_some_and(|token| token.is_punct('[')) {
        suffixes += 1;
        if suffixes > MAX_DEPTH {
            return Err(cursor.error(format!("a type nested at most {MAX_DEPTH} levels deep")));
        }
        cursor.next();
        let close = cursor.expect(']', "`]` after `[` (a list is written `T[]`)")?;
        parsed = TypeExpr::List {
            span: join(parsed.span(), close),
            item: Box::new(parsed),
        };
    }
    Ok(parsed)
}

fn primary(cursor: &mut Cursor) -> Result<TypeExpr, SyntaxError> {
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
        Some((Token::Punct('('), _)) => {
            let inner = type_expr(cursor)?;
            cursor.expect(')', "`)` to close `(...)`")?;
            Ok(inner)
        }
        Some((Token::Punct('{'), open)) => index_signature(cursor, open),
        Some((Token::Str(value), span)) => Ok(literal(LiteralValue::String(value), span)),
        Some((Token::Int(value), span)) => Ok(literal(LiteralValue::Integer(value), span)),
        Some((Token::Ident(name), span)) => named(cursor, &name, span),
        Some(_) => {
            cursor.back();
            Err(cursor.error("a type"))
        }
        None => Err(cursor.error("a type")),
    })
}

fn literal(value: LiteralValue, span: Span) -> TypeExpr {
    TypeExpr::Literal {
        values: vec![value],
        span,
    }
}

/// `{ [k: string]: T }`: how member headings and examples write a map.
fn index_signature(cursor: &mut Cursor, open: Span) -> Result<TypeExpr, SyntaxError> {
    cursor.expect('[', "`[` to start the index signature `{ [k: string]: T }`")?;
    if !matches!(cursor.peek(), Some(Token::Ident(_))) {
        return Err(cursor.error("a key name in `{ [k: string]: T }`"));
    }
    cursor.next();
    cursor.expect(':', "`:` after the key name in `{ [k: string]: T }`")?;
    if !cursor.peek().is_some_and(|token| token.is_ident("string")) {
        return Err(cursor.error("`string` as the key type (JSON keys are strings)"));
    }
    cursor.next();
    cursor.expect(']', "`]` after the key type in `{ [k: string]: T }`")?;
    cursor.expect(':', "`:` before the value type in `{ [k: string]: T }`")?;
    let value = type_expr(cursor)?;
    // TypeScript allows a separator after the last member.
    if cursor
        .peek()
        .is_some_and(|token| *token == Token::Other(";".into()))
    {
        cursor.next();
    }
    let close = cursor.expect('}', "`}` to close `{ [k: string]: T }`")?;
    Ok(TypeExpr::Map {
        value: Box::new(value),
        span: join(open, close),
    })
}

/// `<T, ...>` after a generic's name; returns the arguments and the closing `>`.
fn type_arguments(cursor: &mut Cursor, of: &str) -> Result<(Vec<TypeExpr>, Span), SyntaxError> {
    cursor.expect('<', &format!("`<` after `{of}`"))?;
    let mut arguments = vec![type_expr(cursor)?];
    loop {
        if cursor.eat(',').is_some() {
            arguments.push(type_expr(cursor)?);
        } else if let Some(close) = cursor.eat('>') {
            return Ok((arguments, close));
        } else {
            return Err(cursor.error(format!("`,` or `>` to close `{of}<...>`")));
        }
    }
}

/// One `<T>` argument of a generic.
fn one_argument(cursor: &mut Cursor, of: &str) -> Result<(TypeExpr, Span), SyntaxError> {
    cursor.expect('<', &format!("`<` after `{of}`"))?;
    let argument = type_expr(cursor)?;
    let close = cursor.expect('>', &format!("`>` to close `{of}<...>`"))?;
    Ok((argument, close))
}

/// The SDK's HTTP objects: `Response` (fetch, the `rawResponse` of operation responses and
/// `HTTPMetadata.response`), `Request` (`HTTPMetadata.request`) and the older axios-based
/// generator's `AxiosResponse`.
const HTTP_OBJECTS: &[&str] = &["Response", "Request", "AxiosResponse"];

/// Byte sources of file uploads and binary responses.
const BYTE_STREAMS: &[&str] = &["Blob", "File", "ReadableStream", "NodeJS.ReadableStream"];

fn named(cursor: &mut Cursor, name: &str, start: Span) -> Result<TypeExpr, SyntaxError> {
    let primitive = |primitive| TypeExpr::Primitive {
        primitive,
        span: start,
    };
    let sdk = |sdk, arguments, span| TypeExpr::Sdk {
        sdk,
        arguments,
        span,
    };
    let generic = cursor.peek().is_some_and(|token| token.is_punct('<'));
    match name {
        "string" => return Ok(primitive(Primitive::String)),
        // The SDK writes every JSON number as `number`, integer or not.
        "number" => return Ok(primitive(Primitive::Float)),
        // `format: int64` / `bigint` with the SDK's BigInt option: an integer of any size.
        "bigint" | "BigInt" => return Ok(primitive(Primitive::Integer)),
        "boolean" => return Ok(primitive(Primitive::Boolean)),
        "any" | "unknown" | "object" => return Ok(primitive(Primitive::Any)),
        "Date" => return Ok(primitive(Primitive::DateTime)),
        "RFCDate" => return Ok(primitive(Primitive::CalendarDate)),
        "Decimal" => return Ok(primitive(Primitive::Decimal)),
        "Uint8Array" | "ArrayBuffer" => return Ok(primitive(Primitive::Bytes)),
        "true" => return Ok(literal(LiteralValue::Boolean(true), start)),
        "false" => return Ok(literal(LiteralValue::Boolean(false), start)),
        _ => {}
    }
    if HTTP_OBJECTS.contains(&name) {
        return Ok(sdk(SdkType::HttpResponse, Vec::new(), start));
    }
    if BYTE_STREAMS.contains(&name) {
        if !generic {
            return Ok(sdk(SdkType::ByteStream, Vec::new(), start));
        }
        let (arguments, close) = type_arguments(cursor, name)?;
        return Ok(sdk(SdkType::ByteStream, arguments, join(start, close)));
    }
    match name {
        "Record" => {
            cursor.expect('<', "`<` after `Record`")?;
            if !cursor.peek().is_some_and(|token| token.is_ident("string")) {
                return Err(
                    cursor.error("`string` as the key type of `Record` (JSON keys are strings)")
                );
            }
            cursor.next();
            cursor.expect(',', "`,` after the key type of `Record`")?;
            let value = type_expr(cursor)?;
            let close = cursor.expect('>', "`>` to close `Record<...>`")?;
            Ok(TypeExpr::Map {
                value: Box::new(value),
                span: join(start, close),
            })
        }
        "Array" => {
            let (item, close) = one_argument(cursor, name)?;
            Ok(TypeExpr::List {
                item: Box::new(item),
                span: join(start, close),
            })
        }
        "EventStream" => {
            let (item, close) = one_argument(cursor, name)?;
            Ok(sdk(SdkType::EventStream, vec![item], join(start, close)))
        }
        _ if generic => Err(cursor.error(format!(
            "no type arguments after `{name}` (generics are `Record`, `Array`, `ReadableStream` and `EventStream`)"
        ))),
        _ => model(name, start),
    }
}

/// A model reference: `components.X`, `operations.X`, `errors.X` (any module path), or a
/// bare `X` (link text). Its title starts with a capital, as the SDK's type names do; a
/// lower-case bare name is a primitive this grammar does not know.
fn model(name: &str, span: Span) -> Result<TypeExpr, SyntaxError> {
    let (namespace, title) = match name.rsplit_once('.') {
        Some((namespace, title)) => (Some(namespace.to_owned()), title),
        None => (None, name),
    };
    let is_name = title
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
        && title
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '$')
        && (namespace.is_some() || !title.starts_with(|c: char| c.is_lowercase()));
    if is_name {
        Ok(TypeExpr::Model {
            name: title.to_owned(),
            namespace,
            span,
        })
    } else {
        Err(SyntaxError {
            span,
            expected: "a TypeScript type (`string`, `number`, `boolean`, `any`, `T[]`, \
                       `Record<string, T>`, a constant, or `components.Name`)"
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
        crate::dialect::testing::cell(Dialect::TypeScript, markdown)
    }

    fn parse(text: &str) -> Result<TypeExpr, SyntaxError> {
        crate::dialect::testing::text(Dialect::TypeScript, text)
    }

    use crate::diagnostic::FileId;
    use crate::document::Document;

    #[test]
    fn parses_type_cells() {
        let cases = [
            ("*string*", "String"),
            ("*number*", "Float"),
            ("*boolean*", "Boolean"),
            ("*any*", "Any"),
            ("*bigint*", "Integer"),
            ("*string*[]", "List<String>"),
            ("*number*[][]", "List<List<Float>>"),
            ("Record<string, *any*>", "Map<Any>"),
            ("Record<string, *any*>[]", "List<Map<Any>>"),
            ("Record<string, Record<string, *any*>>", "Map<Map<Any>>"),
            (
                "Record<string, [components.X](../../models/components/x.md)>",
                "Map<Link(../../models/components/x.md)<Model(components::X)>>",
            ),
            (
                "[components.CardScheme](../../models/components/cardscheme.md)",
                "Link(../../models/components/cardscheme.md)<Model(components::CardScheme)>",
            ),
            (
                "[components.X](x.md)[]",
                "List<Link(x.md)<Model(components::X)>>",
            ),
            (
                "[components.X](x.md)[][]",
                "List<List<Link(x.md)<Model(components::X)>>>",
            ),
            ("*components.Inputs*", "Model(components::Inputs)"),
            ("*components.Entries*[]", "List<Model(components::Entries)>"),
            (
                "*components.Entries*[][]",
                "List<List<Model(components::Entries)>>",
            ),
            ("operations.SortBy", "Model(operations::SortBy)"),
            ("errors.ApiError", "Model(errors::ApiError)"),
            (
                "[Date](https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Date)",
                "Link(https://developer.mozilla.org/en-US/docs/Web/JavaScript/Reference/Global_Objects/Date)<DateTime>",
            ),
            (
                "[RFCDate](../../types/rfcdate.md)",
                "Link(../../types/rfcdate.md)<CalendarDate>",
            ),
            ("*\"card\"*", "Literal[String(\"card\")]"),
            ("*true*", "Literal[Boolean(true)]"),
            ("*false*", "Literal[Boolean(false)]"),
            ("*1*", "Literal[Integer(1)]"),
            ("*ReadableStream<Uint8Array>*", "ByteStream<Bytes>"),
            ("*Uint8Array*", "Bytes"),
            (
                "[File](https://developer.mozilla.org/en-US/docs/Web/API/File) \\| [Blob](https://developer.mozilla.org/en-US/docs/Web/API/Blob) \\| [components.FileT](f.md)",
                "Union<Link(https://developer.mozilla.org/en-US/docs/Web/API/File)<ByteStream<>>,\
                 Link(https://developer.mozilla.org/en-US/docs/Web/API/Blob)<ByteStream<>>,\
                 Link(f.md)<Model(components::FileT)>>",
            ),
            (
                "[Response](https://developer.mozilla.org/en-US/docs/Web/API/Response)",
                "Link(https://developer.mozilla.org/en-US/docs/Web/API/Response)<HttpResponse<>>",
            ),
            (
                "[AxiosResponse](https://axios-http.com/docs/res_schema)",
                "Link(https://axios-http.com/docs/res_schema)<HttpResponse<>>",
            ),
            ("*string* \\| *number*", "Union<String,Float>"),
            (
                "[components.A \\| components.B](u.md)",
                "Link(u.md)<Union<Model(components::A),Model(components::B)>>",
            ),
            ("*string* \\| *null*", "Nullable<String>"),
            ("*string* \\| *undefined*", "Optional<String>"),
            ("*Decimal*", "Decimal"),
            ("Array<*string*>", "List<String>"),
        ];
        for (text, expected) in cases {
            let parsed = cell(text).unwrap_or_else(|err| panic!("{text}: {err:?}"));
            let expected = expected.replace(' ', "");
            assert_eq!(shape(&parsed).replace(' ', ""), expected, "{text}");
        }
    }

    #[test]
    fn parses_heading_and_example_types() {
        let cases = [
            ("`components.X`", "Model(components::X)"),
            ("`components.X[]`", "List<Model(components::X)>"),
            ("`components.X[][]`", "List<List<Model(components::X)>>"),
            ("`{ [k: string]: any }`", "Map<Any>"),
            ("`{ [k: string]: any }[]`", "List<Map<Any>>"),
            (
                "`{ [k: string]: components.X }`",
                "Map<Model(components::X)>",
            ),
            ("`Date`", "DateTime"),
            (
                "`EventStream<operations.SpeechStreamEvents>`",
                "EventStream<Model(operations::SpeechStreamEvents)>",
            ),
            ("`(string | number)[]`", "List<Union<String,Float>>"),
            (
                "`| \"a\" | \"b\"`",
                "Union<Literal[String(\"a\")],Literal[String(\"b\")]>",
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
            ("Record<string, *any*", "`>` to close `Record<...>`"),
            (
                "Record<number, *any*>",
                "`string` as the key type of `Record` (JSON keys are strings)",
            ),
            (
                "{ [k: number]: any }",
                "`string` as the key type (JSON keys are strings)",
            ),
            ("{ [k: string]: any", "`}` to close `{ [k: string]: T }`"),
            ("string[", "`]` after `[` (a list is written `T[]`)"),
            ("(string", "`)` to close `(...)`"),
            ("EventStream<string", "`>` to close `EventStream<...>`"),
            ("string string", "the end of the type"),
            ("", "a type"),
            ("string |", "a type"),
            ("null", "a type besides `null` and `undefined`"),
            ("<string>", "a type"),
            (
                "str",
                "a TypeScript type (`string`, `number`, `boolean`, `any`, `T[]`, \
                 `Record<string, T>`, a constant, or `components.Name`)",
            ),
            (
                "Foo<string>",
                "no type arguments after `Foo` (generics are `Record`, `Array`, `ReadableStream` and `EventStream`)",
            ),
            ("1.5", "a type"),
            (
                &"Array<".repeat(10_000),
                "a type nested at most 64 levels deep",
            ),
            (&"(".repeat(10_000), "a type nested at most 64 levels deep"),
            (&"[]".repeat(10_000), "a type"),
        ];
        for (text, expected) in cases {
            let error = parse(text).expect_err(text);
            assert_eq!(error.expected, expected, "{text}");
        }
        // Markdown: an unclosed link and a link left open by a stray token.
        let error = cell("[components.X](x.md) *string*").expect_err("two types");
        assert_eq!(error.expected, "the end of the type");
    }

    #[test]
    fn list_suffixes_are_bounded_like_nesting() {
        let text = format!("string{}", "[]".repeat(MAX_DEPTH));
        let mut parsed = parse(&text).expect("a deep list");
        let mut depth = 0;
        while let TypeExpr::List { item, .. } = parsed {
            parsed = *item;
            depth += 1;
        }
        assert_eq!(depth, MAX_DEPTH);
        let text = format!("string{}", "[]".repeat(10_000));
        let error = parse(&text).expect_err("too deep");
        assert_eq!(error.expected, "a type nested at most 64 levels deep");
    }

    fn document(text: &str) -> Document {
        crate::read::read_document(FileId(0), "m.md", text)
    }

    /// The `###` member headings of a union document, each with the blocks under it.
    fn members(text: &str) -> Vec<Result<Member, SyntaxError>> {
        let document = document(text);
        let mut members = Vec::new();
        for (index, block) in document.blocks.iter().enumerate() {
            let Block::Heading(heading) = block else {
                continue;
            };
            if heading.level != 3 {
                continue;
            }
            let body: Vec<Block> = document.blocks[index + 1..]
                .iter()
                .take_while(|block| !matches!(block, Block::Heading(_)))
                .cloned()
                .collect();
            members.push(union_member(heading, &body, text));
        }
        members
    }

    #[test]
    fn reads_union_members() {
        let text = "# Shelf\n\n## Supported Types\n\n### `components.Book`\n\n```typescript\nconst value: components.Book = {\n  title: \"x\",\n};\n```\n\n### `string`\n\n```typescript\nconst value: string = \"x\";\n```\n\n### `{ [k: string]: any }`\n\n```typescript\nconst value: { [k: string]: any } = {};\n```\n\n### `EventStream<operations.BookEvents>`\n\n";
        let shapes: Vec<String> = members(text)
            .into_iter()
            .map(|member| match member {
                Ok(Member::Type(ty)) => shape(&ty),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            shapes,
            [
                "Model(components::Book)",
                "String",
                "Map<Any>",
                "EventStream<Model(operations::BookEvents)>"
            ]
        );
    }

    #[test]
    fn an_empty_heading_falls_back_to_the_example() {
        let text = "# Shelf\n\n## Supported Types\n\n### \n\n```typescript\nconst value: components.Book[] = [];\n```\n\n### \n\nNothing here.\n";
        let members = members(text);
        let Ok(Member::Type(ty)) = &members[0] else {
            panic!("{members:?}");
        };
        assert_eq!(shape(ty), "List<Model(components::Book)>");
        // The span points at the annotation in the file.
        let TypeExpr::List { item, .. } = ty else {
            panic!()
        };
        assert_eq!(&text[item.span().range()], "components.Book");
        assert_eq!(members[1], Ok(Member::Unshown));
    }

    fn values_code(text: &str) -> CodeBlock {
        let document = document(text);
        document
            .blocks
            .into_iter()
            .find_map(|block| match block {
                Block::Code(code) => Some(code),
                _ => None,
            })
            .expect("a code block")
    }

    #[test]
    fn reads_enum_code_with_spans() {
        let text = "# Genre\n\n## Values\n\n```typescript\n\"fiction\" | \"non-fiction\" | Unrecognized<string>\n```";
        let code_enum = enum_code(&values_code(text)).expect("values");
        assert!(code_enum.open);
        let values: Vec<(LiteralValue, &str)> = code_enum
            .values
            .iter()
            .map(|(value, span)| (value.clone(), &text[span.range()]))
            .collect();
        assert_eq!(
            values,
            [
                (LiteralValue::String("fiction".into()), "\"fiction\""),
                (
                    LiteralValue::String("non-fiction".into()),
                    "\"non-fiction\""
                ),
            ]
        );

        let closed = enum_code(&values_code(
            "## Values\n\n```typescript\n1 | 2 | -3\n```\n",
        ))
        .expect("integers");
        assert!(!closed.open);
        assert_eq!(
            closed
                .values
                .iter()
                .map(|(value, _)| value.clone())
                .collect::<Vec<_>>(),
            [
                LiteralValue::Integer(1),
                LiteralValue::Integer(2),
                LiteralValue::Integer(-3)
            ]
        );
        let open = enum_code(&values_code(
            "```typescript\n| 10\n| 20\n| Unrecognized<number>;\n```\n",
        ))
        .expect("a multi-line union");
        assert!(open.open);
        assert_eq!(open.values.len(), 2);
    }

    #[test]
    fn rejects_malformed_enum_code() {
        let cases = [
            (
                "```typescript\n\"a\" | b\n```",
                "an enum value (a quoted string, an integer or `Unrecognized<string>`)",
            ),
            (
                "```typescript\n\"a\" \"b\"\n```",
                "`|` or the end of the values",
            ),
            (
                "```typescript\n\"a\" | Unrecognized<boolean>\n```",
                "`string` or `number` in `Unrecognized<...>`",
            ),
            (
                "```typescript\n\"a\" | Unrecognized<string\n```",
                "`>` to close `Unrecognized<...>`",
            ),
            (
                "```typescript\n```",
                "an enum value (a quoted string, an integer or `Unrecognized<string>`)",
            ),
            (
                "```typescript\n1.5\n```",
                "an enum value (a quoted string, an integer or `Unrecognized<string>`)",
            ),
        ];
        for (text, expected) in cases {
            let error = enum_code(&values_code(text)).expect_err(text);
            assert_eq!(error.expected, expected, "{text}");
        }
        // The error points at the offending token.
        let text = "```typescript\n\"a\" | b\n```";
        let error = enum_code(&values_code(text)).expect_err("b");
        assert_eq!(&text[error.span.range()], "b");
    }
}
