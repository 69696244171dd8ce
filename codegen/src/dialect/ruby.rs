//! The Ruby dialect: the grammar of Type cells and union member headings as the Speakeasy
//! Ruby SDK writes them, in Sorbet notation.
//!
//! ```text
//! type     := link | nilable | any | array | hash | proc | name
//! link     := LINK_OPEN type LINK_CLOSE             -- markdown link around a type
//! nilable  := "T.nilable" "(" type ")"              -- Wrapper::Nilable
//! any      := "T.any" "(" type ( "," type )* ")"    -- an inline union
//! array    := "T::Array" ( "[" type "]" | "<" type ">" )
//! hash     := "T::Hash" ( "[" key "," type "]" | "<" key "," type ">" )
//! key      := Symbol | String                       -- JSON keys are strings either way
//! proc     := "T.proc" ( "." NAME | "(" ... ")" )*  -- a callback: SDK-only
//! name     := String | Integer | Float | BigDecimal | T::Boolean | Object | T.untyped
//!           | T.anything | Date | DateTime
//!           | Faraday::Response | Faraday::Request | IO | StringIO -- SDK-only
//!           | MODULE::Utils::EventStream ( "[" type "]" | "<" type ">" )?
//!           | MODULE::Utils::JsonLStream ( "[" type "]" | "<" type ">" )?
//!           | ( MODULE "::" )* NAME                 -- a model, by its class name
//! ```
//!
//! Every name may carry Ruby's leading `::` (`::String`, `::OpenApiSDK::Shared::X`):
//! current generators write it on core classes, older ones (and SDK prefixes) vary.
//! Emphasis is decoration (`*::String*`), so its `*` are dropped. The docs put the
//! brackets of a container outside a link in angle form (`T::Array<[Models::Shared::X](x.md)>`)
//! and inside link text in Sorbet's square form (`[T::Array[::String]](x.md)`); both
//! mean the same.
//!
//! Dates: the Sorbet types `::Date` and `::DateTime` are exact (the generator's type
//! mapping writes them for `date` and `date-time`), but the docs' own links to the Ruby
//! manual, `[Date](https://ruby-doc.org/...)` and `[DateTime](...)`, have been seen
//! swapped (a `date-time` parameter documented as `[Date]`, a `date` one as
//! `[DateTime]`), so the bare names are read as the ambiguous [`Primitive::Date`].

use crate::diagnostic::Span;
use crate::document::{Block, Heading};

use super::lex::{Cursor, Token, join, text_tokens};
use super::{Member, Primitive, SdkType, SyntaxError, TypeExpr, Wrapper};

/// Parses a Type cell or a member heading's type.
pub fn parse_type(cursor: Cursor) -> Result<TypeExpr, SyntaxError> {
    let mut cursor = cursor.without(|token| token.is_punct('*'));
    let parsed = type_expr(&mut cursor)?;
    cursor.finish()?;
    Ok(parsed)
}

/// A union member: its `###` heading names the type (`` ### `Models::Shared::X` ``,
/// `` ### `::String` ``); a heading that names nothing falls back to the model the
/// example code under it constructs (`Models::Shared::X.new(...)`).
pub fn union_member(
    heading: &Heading,
    body: &[Block],
    source: &str,
) -> Result<Member, SyntaxError> {
    let tokens = super::lex::cell_tokens(&heading.content, source);
    if !tokens.is_empty() {
        return parse_type(Cursor::new(tokens, heading.span)).map(Member::Type);
    }
    Ok(body
        .iter()
        .find_map(|block| match block {
            Block::Code(code) => constructed_model(&code.text, code_start(code, source)),
            _ => None,
        })
        .map_or(Member::Unshown, Member::Type))
}

/// Where the text of a code block starts in the file (after the opening fence).
fn code_start(code: &crate::document::CodeBlock, source: &str) -> Span {
    let offset = source
        .get(code.span.range())
        .and_then(|raw| raw.find(code.text.as_str()))
        .unwrap_or(0);
    let start = code.span.start as usize + offset;
    Span::new(code.span.file, start, start + code.text.len())
}

/// The first model built with `X.new` in example code: `Models::Shared::X.new(...)`.
fn constructed_model(text: &str, span: Span) -> Option<TypeExpr> {
    text_tokens(text, span)
        .into_iter()
        .find_map(|(token, span)| {
            let Token::Ident(name) = token else {
                return None;
            };
            let class = name.strip_suffix(".new")?;
            model(class, span).ok()
        })
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
            cursor.back();
            Err(cursor.error("a type"))
        }
        None => Err(cursor.error("a type")),
    })
}

/// The brackets around a generic's arguments: Sorbet's `[...]`, or the `<...>` the docs
/// write outside a link.
fn open_generic(cursor: &mut Cursor, of: &str) -> Result<char, SyntaxError> {
    if cursor.eat('[').is_some() {
        Ok(']')
    } else if cursor.eat('<').is_some() {
        Ok('>')
    } else {
        Err(cursor.error(format!("`[` or `<` after `{of}`")))
    }
}

fn close_generic(cursor: &mut Cursor, close: char, of: &str) -> Result<Span, SyntaxError> {
    let open = if close == ']' { '[' } else { '<' };
    cursor.expect(close, &format!("`{close}` to close `{of}{open}...{close}`"))
}

/// One generic argument: `T::Array[T]` or `T::Array<T>`.
fn generic_argument(cursor: &mut Cursor, of: &str) -> Result<(TypeExpr, Span), SyntaxError> {
    let close = open_generic(cursor, of)?;
    let argument = type_expr(cursor)?;
    let end = close_generic(cursor, close, of)?;
    Ok((argument, end))
}

/// The arguments of `T.nilable(...)` or `T.any(...)`; `many` allows more than one.
fn call_arguments(
    cursor: &mut Cursor,
    of: &str,
    many: bool,
) -> Result<(Vec<TypeExpr>, Span), SyntaxError> {
    cursor.expect('(', &format!("`(` after `{of}`"))?;
    let mut arguments = vec![type_expr(cursor)?];
    loop {
        if let Some(close) = cursor.eat(')') {
            return Ok((arguments, close));
        }
        if many && cursor.eat(',').is_some() {
            arguments.push(type_expr(cursor)?);
        } else if many {
            return Err(cursor.error(format!("`,` or `)` in `{of}(...)`")));
        } else {
            return Err(cursor.error(format!("`)` to close `{of}(...)`")));
        }
    }
}

/// The key of `T::Hash[K, V]`: the SDK writes `Symbol` (its hashes are keyed by symbols)
/// or `String`; on the JSON wire both are object keys.
fn hash_key(cursor: &mut Cursor) -> Result<(), SyntaxError> {
    let is_string_key = match cursor.peek() {
        Some(Token::Ident(name)) => matches!(core(name), "Symbol" | "String"),
        _ => false,
    };
    if !is_string_key {
        return Err(cursor
            .error("`Symbol` or `String` as the key type of `T::Hash` (JSON keys are strings)"));
    }
    cursor.next();
    Ok(())
}

/// A name without Ruby's leading `::` (top-level constant lookup).
fn core(name: &str) -> &str {
    name.strip_prefix("::").unwrap_or(name)
}

/// The SDK's own stream wrappers live in its `Utils` module:
/// `::Dub::Utils::EventStream`, `::Dub::Utils::JsonLStream`.
fn is_stream(name: &str) -> bool {
    let name = core(name);
    ["Utils::EventStream", "Utils::JsonLStream"]
        .iter()
        .any(|stream| name == *stream || name.ends_with(&format!("::{stream}")))
}

fn named(cursor: &mut Cursor, name: &str, start: Span) -> Result<TypeExpr, SyntaxError> {
    let primitive = |primitive| {
        Ok(TypeExpr::Primitive {
            primitive,
            span: start,
        })
    };
    let sdk = |sdk| {
        Ok(TypeExpr::Sdk {
            sdk,
            arguments: Vec::new(),
            span: start,
        })
    };
    match core(name) {
        // `string`, `bytes` (the SDK reads file contents into a string) and open enums.
        "String" => primitive(Primitive::String),
        // `integer`, `int32`, `int64` alike: Ruby integers have no size.
        "Integer" => primitive(Primitive::Integer),
        "Float" => primitive(Primitive::Float),
        "BigDecimal" => primitive(Primitive::Decimal),
        "T::Boolean" => primitive(Primitive::Boolean),
        // `any`: the generator writes `::Object`; hand-written Sorbet says `T.untyped`.
        "Object" | "T.untyped" | "T.anything" | "BasicObject" => primitive(Primitive::Any),
        "Date" if name.starts_with("::") => primitive(Primitive::CalendarDate),
        "DateTime" if name.starts_with("::") => primitive(Primitive::DateTime),
        // The docs' links to the Ruby manual, seen swapped (see the module comment).
        "Date" | "DateTime" => primitive(Primitive::Date),
        // The raw HTTP exchange of an operation response.
        "Faraday::Response" | "Faraday::Request" => sdk(SdkType::HttpResponse),
        "IO" | "StringIO" | "Tempfile" => sdk(SdkType::ByteStream),
        "T.nilable" => {
            let (mut inner, close) = call_arguments(cursor, "T.nilable", false)?;
            Ok(TypeExpr::Wrapper {
                wrapper: Wrapper::Nilable,
                inner: Box::new(inner.remove(0)),
                span: join(start, close),
            })
        }
        "T.any" => {
            let (members, close) = call_arguments(cursor, "T.any", true)?;
            Ok(TypeExpr::Union {
                members,
                span: join(start, close),
            })
        }
        "T::Array" => {
            let (item, close) = generic_argument(cursor, "T::Array")?;
            Ok(TypeExpr::List {
                item: Box::new(item),
                span: join(start, close),
            })
        }
        "T::Hash" => {
            let close = open_generic(cursor, "T::Hash")?;
            hash_key(cursor)?;
            cursor.expect(',', "`,` after the key type of `T::Hash`")?;
            let value = type_expr(cursor)?;
            let end = close_generic(cursor, close, "T::Hash")?;
            Ok(TypeExpr::Map {
                value: Box::new(value),
                span: join(start, end),
            })
        }
        proc if proc == "T.proc" || proc.starts_with("T.proc.") => {
            let end = skip_proc_chain(cursor)?;
            Ok(TypeExpr::Sdk {
                sdk: SdkType::Callable,
                arguments: Vec::new(),
                span: join(start, end.unwrap_or(start)),
            })
        }
        _ if is_stream(name) => {
            let (arguments, end) = match cursor.peek() {
                Some(token) if token.is_punct('[') || token.is_punct('<') => {
                    let (item, end) = generic_argument(cursor, core(name))?;
                    (vec![item], end)
                }
                _ => (Vec::new(), start),
            };
            Ok(TypeExpr::Sdk {
                sdk: SdkType::EventStream,
                arguments,
                span: join(start, end),
            })
        }
        _ => model(name, start),
    }
}

/// The rest of a `T.proc.params(x: A).returns(B)` signature: argument lists and
/// `.method` steps, whatever they hold (a callback never reaches the wire). Returns the
/// span of the last token taken.
fn skip_proc_chain(cursor: &mut Cursor) -> Result<Option<Span>, SyntaxError> {
    let mut end = None;
    loop {
        match cursor.peek() {
            Some(token) if token.is_punct('(') => end = Some(skip_parenthesised(cursor)?),
            // `.returns` after `)`: the lexer leaves the dot on its own.
            Some(Token::Other(dot)) if dot == "." => {
                cursor.next();
                match cursor.next() {
                    Some((Token::Ident(_), span)) => end = Some(span),
                    _ => {
                        cursor.back();
                        return Err(cursor.error("a method name after `.` in `T.proc`"));
                    }
                }
            }
            _ => return Ok(end),
        }
    }
}

/// Takes a balanced `( ... )`, returning the span of its `)`.
fn skip_parenthesised(cursor: &mut Cursor) -> Result<Span, SyntaxError> {
    cursor.expect('(', "`(`")?;
    let mut depth = 1usize;
    loop {
        match cursor.next() {
            Some((token, _)) if token.is_punct('(') => depth += 1,
            Some((token, span)) if token.is_punct(')') => {
                depth -= 1;
                if depth == 0 {
                    return Ok(span);
                }
            }
            Some(_) => {}
            None => return Err(cursor.error("`)` to close `T.proc(...)`")),
        }
    }
}

/// A model reference: the class name with its module path (`Models::Shared::LinkSchema`,
/// `Shared::X` from older generators, `::OpenApiSDK::Operations::X`), or a bare class
/// name. Ruby class and module names are constants: each part starts with a capital.
fn model(name: &str, span: Span) -> Result<TypeExpr, SyntaxError> {
    let path = core(name);
    let (namespace, title) = match path.rsplit_once("::") {
        Some((namespace, title)) => (Some(namespace.to_owned()), title),
        None => (None, path),
    };
    let is_constant = |part: &str| {
        part.chars().next().is_some_and(|c| c.is_ascii_uppercase())
            && part.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    if !path.is_empty() && path.split("::").all(is_constant) {
        Ok(TypeExpr::Model {
            name: title.to_owned(),
            namespace,
            span,
        })
    } else {
        Err(SyntaxError {
            span,
            expected: "a Sorbet type (`::String`, `T.nilable(...)`, `T::Array[...]`, ...) or a \
                       model class such as `Models::Shared::Name`"
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
        crate::dialect::testing::cell(Dialect::Ruby, markdown)
    }

    fn parse(text: &str) -> Result<TypeExpr, SyntaxError> {
        crate::dialect::testing::text(Dialect::Ruby, text)
    }

    use crate::diagnostic::FileId;

    #[test]
    fn parses_the_grammar() {
        let cases = [
            ("*::String*", "String"),
            ("*::Integer*", "Integer"),
            ("*::Float*", "Float"),
            ("*::BigDecimal*", "Decimal"),
            ("*T::Boolean*", "Boolean"),
            ("*::Object*", "Any"),
            ("T.untyped", "Any"),
            ("*String*", "String"),
            ("*T.nilable(::String)*", "Nilable<String>"),
            ("*T.nilable(T::Boolean)*", "Nilable<Boolean>"),
            ("T::Array<*::String*>", "List<String>"),
            ("T::Array[::String]", "List<String>"),
            ("T::Hash[Symbol, *::String*]", "Map<String>"),
            ("T::Hash[::String, ::Object]", "Map<Any>"),
            ("T::Hash<Symbol, T::Array[::Integer]>", "Map<List<Integer>>"),
            (
                "T.any(::String, T::Array[::String])",
                "Union<String,List<String>>",
            ),
            (
                "Models::Shared::LinkSchema",
                "Model(Models::Shared::LinkSchema)",
            ),
            (
                "::OpenApiSDK::Shared::Pet",
                "Model(OpenApiSDK::Shared::Pet)",
            ),
            (
                "Operations::GetPetRequest",
                "Model(Operations::GetPetRequest)",
            ),
            ("::Date", "CalendarDate"),
            ("::DateTime", "DateTime"),
            ("Date", "Date"),
            ("DateTime", "Date"),
            ("::Faraday::Response", "HttpResponse<>"),
            ("Faraday::Response", "HttpResponse<>"),
            ("::IO", "ByteStream<>"),
            ("::StringIO", "ByteStream<>"),
            (
                "::Bookshop::Utils::EventStream[Models::Shared::Chunk]",
                "EventStream<Model(Models::Shared::Chunk)>",
            ),
            ("::Bookshop::Utils::EventStream", "EventStream<>"),
            ("T.proc.returns(::String)", "Callable<>"),
            (
                "T.proc.params(a: ::Integer).returns(::String)",
                "Callable<>",
            ),
            (
                "T.nilable(T::Array[T::Hash[Symbol, T.nilable(::Float)]])",
                "Nilable<List<Map<Nilable<Float>>>>",
            ),
        ];
        for (text, expected) in cases {
            let parsed = parse(text).unwrap_or_else(|err| panic!("{text}: {err:?}"));
            assert_eq!(shape(&parsed), expected, "{text}");
        }
    }

    #[test]
    fn keeps_links_where_the_markdown_puts_them() {
        let cases = [
            (
                "[Models::Shared::Book](../../models/shared/book.md)",
                "Link(../../models/shared/book.md)<Model(Models::Shared::Book)>",
            ),
            (
                "[T.nilable(Models::Operations::Page)](../../models/operations/page.md)",
                "Link(../../models/operations/page.md)<Nilable<Model(Models::Operations::Page)>>",
            ),
            (
                "T::Array<[Models::Shared::Book](../../models/shared/book.md)>",
                "List<Link(../../models/shared/book.md)<Model(Models::Shared::Book)>>",
            ),
            (
                "[T.nilable(T.any(::String, T::Array[::String]))](../../models/operations/ids.md)",
                "Link(../../models/operations/ids.md)<Nilable<Union<String,List<String>>>>",
            ),
            (
                "T::Array<[T.any(Models::Shared::A, Models::Shared::B)](../../models/shared/u.md)>",
                "List<Link(../../models/shared/u.md)<Union<Model(Models::Shared::A),Model(Models::Shared::B)>>>",
            ),
            (
                "[Date](https://ruby-doc.org/stdlib-2.6.1/libdoc/date/rdoc/Date.html)",
                "Link(https://ruby-doc.org/stdlib-2.6.1/libdoc/date/rdoc/Date.html)<Date>",
            ),
            (
                "[Faraday::Response](https://www.rubydoc.info/gems/faraday/Faraday/Response)",
                "Link(https://www.rubydoc.info/gems/faraday/Faraday/Response)<HttpResponse<>>",
            ),
            ("T::Hash[Symbol, *::Object*]", "Map<Any>"),
        ];
        for (markdown, expected) in cases {
            let parsed = cell(markdown).unwrap_or_else(|err| panic!("{markdown}: {err:?}"));
            assert_eq!(shape(&parsed), expected, "{markdown}");
        }
    }

    #[test]
    fn rejects_what_is_not_the_grammar() {
        let cases = [
            ("T::Array[::String", "`]` to close `T::Array[...]`"),
            ("T::Array<::String", "`>` to close `T::Array<...>`"),
            ("T::Array", "`[` or `<` after `T::Array`"),
            ("T.nilable(::String", "`)` to close `T.nilable(...)`"),
            (
                "T.nilable(::String, ::Integer)",
                "`)` to close `T.nilable(...)`",
            ),
            ("T.any(::String ::Integer)", "`,` or `)` in `T.any(...)`"),
            (
                "T::Hash[::Integer, ::String]",
                "`Symbol` or `String` as the key type of `T::Hash` (JSON keys are strings)",
            ),
            (
                "T::Hash[Symbol ::String]",
                "`,` after the key type of `T::Hash`",
            ),
            ("::String ::String", "the end of the type"),
            ("", "a type"),
            ("T::Array[<::String>]", "a type"),
            ("T.proc(", "`)` to close `T.proc(...)`"),
            (
                &"T::Array[".repeat(10_000),
                "a type nested at most 64 levels deep",
            ),
        ];
        for (text, expected) in cases {
            let error = parse(text).expect_err(text);
            assert_eq!(error.expected, expected, "{text}");
        }
    }

    #[test]
    fn rejects_names_that_are_not_ruby_constants() {
        for text in [
            "string",
            "models.Book",
            "T.foo",
            "Models::shared::Book",
            "::",
        ] {
            let error = parse(text).expect_err(text);
            assert!(
                error.expected.starts_with("a Sorbet type"),
                "{text}: {error:?}"
            );
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "[",
            ")",
            "T.any()",
            "T::Hash[",
            "T.proc.",
            "<>",
            "\\",
            "T::Array<>",
        ] {
            let _ = parse(text);
        }
    }

    fn members(markdown: &str) -> Vec<Member> {
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
            let body_end = blocks[index + 1..]
                .iter()
                .position(|block| matches!(block, Block::Heading(_)))
                .map_or(blocks.len(), |offset| index + 1 + offset);
            let member = union_member(heading, &blocks[index + 1..body_end], markdown)
                .unwrap_or_else(|err| panic!("{err:?}"));
            found.push(member);
        }
        found
    }

    #[test]
    fn reads_union_members() {
        let markdown = "# Payment\n\n## Supported Types\n\n\
            ### `Models::Shared::Card`\n\n```ruby\nvalue = Models::Shared::Card.new()\n```\n\n\
            ### `T::Array[::String]`\n\n```ruby\nvalue = [\"a\"]\n```\n\n\
            ### \n\n```ruby\nvalue = Models::Shared::Voucher.new(code: \"x\")\n```\n\n\
            ### \n\n```ruby\nvalue = 3\n```\n";
        let shapes: Vec<String> = members(markdown)
            .iter()
            .map(|member| match member {
                Member::Type(ty) => shape(ty),
                Member::Unshown => "Unshown".to_owned(),
            })
            .collect();
        assert_eq!(
            shapes,
            [
                "Model(Models::Shared::Card)",
                "List<String>",
                "Model(Models::Shared::Voucher)",
                "Unshown"
            ]
        );
    }
}
