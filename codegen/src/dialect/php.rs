//! The PHP dialect: the grammar of Type cells and union member headings as the Speakeasy
//! PHP SDK writes them.
//!
//! ```text
//! type     := single ( "|" single )*           -- a PHP union; a `null` member is `?`
//! single   := "?" single                        -- nullable: Wrapper::Nilable
//!           | LINK_OPEN type LINK_CLOSE         -- markdown link around a type
//!           | "array" ( "<" type ">"            -- a list
//!                     | "<" "string" "," type ">" )?  -- a map; bare `array`: any
//!           | name
//! name     := string | int | integer | float | double | bool | boolean | mixed | object
//!           | true | false | callable | \Closure
//!           | \DateTime | \DateTimeImmutable | \DateTimeInterface   -- date or date-time
//!           | \Brick\DateTime\LocalDate                            -- date
//!           | \Brick\Math\BigDecimal | \Brick\Math\BigInteger
//!           | \Psr\Http\Message\ResponseInterface                  -- SDK-only
//!           | \Psr\Http\Message\StreamInterface                    -- byte stream
//!           | ( \? NAMESPACE \ )* NAME        -- a model: `X`, `Gr4vy\X`, `\Sdk\Models\Shared\X`
//! ```
//!
//! Emphasis is decoration (`*?string*`), so it is transparent. The `|` of a union is
//! escaped in a table cell (`[A\|B\|null](./U.md)`); the shared lexer drops the escape.
//! PHP writes nullability only as `?T` or `|null` and never marks absence, so both
//! become [`Wrapper::Nilable`] and the Required column decides what they mean.
//!
//! Union members are `` ### `Gr4vy\X` `` headings with a php block under them whose
//! docblock (`@var array<string, mixed>`) states the type; a heading that only says
//! `array` (PHP's native type hint) is read from that docblock instead.

use crate::diagnostic::Span;
use crate::document::{Block, CodeBlock, Heading};

use super::lex::{Cursor, Token, join};
use super::{LiteralValue, Member, Primitive, SdkType, SyntaxError, TypeExpr, Wrapper};

/// Parses a Type cell or a member heading's type.
pub fn parse_type(cursor: Cursor) -> Result<TypeExpr, SyntaxError> {
    // `*` is never PHP syntax here: it is emphasis the lexer left in code spans.
    let mut cursor = cursor.without(|token| token.is_punct('*'));
    let parsed = type_expr(&mut cursor)?;
    cursor.finish()?;
    Ok(parsed)
}

/// A union member: `` ### `Gr4vy\PaymentMethodCard` ``, `` ### `int` ``, or
/// `` ### `array` `` whose docblock below (`@var array<string, mixed>`) says which array.
pub fn union_member(
    heading: &Heading,
    body: &[Block],
    source: &str,
) -> Result<Member, SyntaxError> {
    let tokens = super::lex::cell_tokens(&heading.content, source);
    let names_array = matches!(tokens.as_slice(), [(token, _)] if token.is_ident("array"));
    let docblock = || body.iter().find_map(|block| docblock_type(block, source));
    if tokens.is_empty() || names_array {
        if let Some((text, span)) = docblock() {
            return super::Dialect::Php.type_text(text, span).map(Member::Type);
        }
        if tokens.is_empty() {
            return Ok(Member::Unshown);
        }
    }
    parse_type(Cursor::new(tokens, heading.span)).map(Member::Type)
}

/// The type of the first `@var` docblock line in a code block, with its span in `source`.
fn docblock_type<'a>(block: &Block, source: &'a str) -> Option<(&'a str, Span)> {
    let Block::Code(CodeBlock { span, .. }) = block else {
        return None;
    };
    let code = source.get(span.range())?;
    let at = code.find("@var")? + "@var".len();
    let line = &code[at..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    // The type ends where the variable name or the comment's end starts
    // (`@var int $value`, `/** @var int */`).
    let end = [line.find(" $"), line.find("*/")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(line.len());
    let text = line[..end].trim_end();
    let trimmed = text.trim_start();
    let start = span.start as usize + at + (text.len() - trimmed.len());
    Some((trimmed, Span::new(span.file, start, start + trimmed.len())))
}

/// `single ( "|" single )*`: one type, or a union of several; `null` members say the
/// value may be null (`A|B|null` is `?(A|B)`).
fn type_expr(cursor: &mut Cursor) -> Result<TypeExpr, SyntaxError> {
    cursor.nested(|cursor| {
        let start = cursor.span();
        let mut members = Vec::new();
        let mut null = false;
        let mut end;
        loop {
            if cursor.peek().is_some_and(|token| token.is_ident("null")) {
                end = cursor.span();
                cursor.next();
                null = true;
            } else {
                let member = single(cursor)?;
                end = member.span();
                members.push(member);
            }
            if cursor.eat('|').is_none() {
                break;
            }
        }
        let span = join(start, end);
        let inner = match members.len() {
            0 => {
                return Err(SyntaxError {
                    span,
                    expected: "a type besides `null`".into(),
                    found: "`null`".into(),
                });
            }
            1 => members.swap_remove(0),
            _ => TypeExpr::Union { members, span },
        };
        Ok(if null { nilable(inner, span) } else { inner })
    })
}

/// `?T` once, however often it is said (`?A|null`).
fn nilable(inner: TypeExpr, span: Span) -> TypeExpr {
    match inner {
        TypeExpr::Wrapper {
            wrapper: Wrapper::Nilable,
            ..
        } => inner,
        inner => TypeExpr::Wrapper {
            wrapper: Wrapper::Nilable,
            inner: Box::new(inner),
            span,
        },
    }
}

fn single(cursor: &mut Cursor) -> Result<TypeExpr, SyntaxError> {
    cursor.nested(|cursor| match cursor.next() {
        Some((Token::Punct('?'), question)) => {
            let inner = single(cursor)?;
            let span = join(question, inner.span());
            Ok(nilable(inner, span))
        }
        Some((Token::LinkOpen(dest), open)) => {
            let inner = type_expr(cursor)?;
            let close = cursor.expect_link_close()?;
            Ok(TypeExpr::Link {
                dest,
                inner: Box::new(inner),
                span: join(open, close),
            })
        }
        Some((Token::Ident(name), span)) if name == "array" => array(cursor, span),
        Some((Token::Ident(name), span)) => named(&name, span),
        Some(_) => {
            cursor.back();
            Err(cursor.error("a PHP type"))
        }
        None => Err(cursor.error("a PHP type")),
    })
}

/// `array<T>` (a list), `array<string, T>` (a map), or a bare `array`: PHP's native type
/// hint, which holds a JSON array or object alike, so any value.
fn array(cursor: &mut Cursor, start: Span) -> Result<TypeExpr, SyntaxError> {
    if cursor.eat('<').is_none() {
        return Ok(TypeExpr::Primitive {
            primitive: Primitive::Any,
            span: start,
        });
    }
    // `array<string, T>`: only a key type is followed by `,`.
    let keyed = cursor
        .peek_second()
        .is_some_and(|token| token.is_punct(','));
    if keyed {
        if !cursor.peek().is_some_and(|token| token.is_ident("string")) {
            return Err(
                cursor.error("`string` as the key type of `array<K, V>` (JSON keys are strings)")
            );
        }
        cursor.next();
        cursor.next();
    }
    let inner = type_expr(cursor)?;
    let close = cursor.expect('>', "`>` to close `array<...>`")?;
    let span = join(start, close);
    let inner = Box::new(inner);
    Ok(if keyed {
        TypeExpr::Map { value: inner, span }
    } else {
        TypeExpr::List { item: inner, span }
    })
}

/// The classes of the PHP standard library and the SDK's dependencies that the
/// generator writes, compared without the leading `\`.
fn class(name: &str, span: Span) -> Option<TypeExpr> {
    let primitive = |primitive| Some(TypeExpr::Primitive { primitive, span });
    let sdk = |sdk| {
        Some(TypeExpr::Sdk {
            sdk,
            arguments: Vec::new(),
            span,
        })
    };
    match name {
        // The generator writes `\DateTime` for `format: date` too (a date of birth whose
        // Java doc says `LocalDate`), so it does not tell a date from a date-time.
        "DateTime" | "DateTimeImmutable" | "DateTimeInterface" => primitive(Primitive::Date),
        "Brick\\DateTime\\LocalDate" => primitive(Primitive::CalendarDate),
        "Brick\\Math\\BigDecimal" => primitive(Primitive::Decimal),
        // Arbitrary precision: no size to state.
        "Brick\\Math\\BigInteger" => primitive(Primitive::Integer),
        "Psr\\Http\\Message\\ResponseInterface" => sdk(SdkType::HttpResponse),
        "Psr\\Http\\Message\\StreamInterface" => sdk(SdkType::ByteStream),
        "Closure" => sdk(SdkType::Callable),
        _ => None,
    }
}

fn named(name: &str, span: Span) -> Result<TypeExpr, SyntaxError> {
    let primitive = |primitive| Ok(TypeExpr::Primitive { primitive, span });
    let literal = |value| {
        Ok(TypeExpr::Literal {
            values: vec![LiteralValue::Boolean(value)],
            span,
        })
    };
    // PHP's own type names (the generator writes them in lower case; `integer`, `double`
    // and `boolean` are the docblock spellings).
    match name {
        "string" => return primitive(Primitive::String),
        "int" | "integer" => return primitive(Primitive::Integer),
        "float" | "double" => return primitive(Primitive::Float),
        "bool" | "boolean" => return primitive(Primitive::Boolean),
        "mixed" | "object" => return primitive(Primitive::Any),
        "true" => return literal(true),
        "false" => return literal(false),
        "callable" => {
            return Ok(TypeExpr::Sdk {
                sdk: SdkType::Callable,
                arguments: Vec::new(),
                span,
            });
        }
        _ => {}
    }
    // A leading `\` makes a name fully qualified; the built-in `\DateTime` is only
    // recognised so, since an unqualified `DateTime` may be a model of the API.
    let qualified = name.strip_prefix('\\');
    let bare = qualified.unwrap_or(name);
    if (qualified.is_some() || bare.contains('\\'))
        && let Some(known) = class(bare, span)
    {
        return Ok(known);
    }
    model(name, bare, span)
}

/// A model reference: `X`, `Gr4vy\X`, `\Sdk\Models\Shared\X`. Speakeasy names PHP classes
/// in PascalCase, so a lower-case name is a PHP type this grammar does not know.
fn model(written: &str, bare: &str, span: Span) -> Result<TypeExpr, SyntaxError> {
    let (namespace, title) = match bare.rsplit_once('\\') {
        Some((namespace, title)) => (Some(namespace), title),
        None => (None, bare),
    };
    let is_segment = |segment: &str| {
        segment
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && segment.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    let is_class = is_segment(title)
        && !title.starts_with(|c: char| c.is_lowercase())
        && namespace.is_none_or(|namespace| namespace.split('\\').all(is_segment));
    if is_class {
        Ok(TypeExpr::Model {
            name: title.to_owned(),
            namespace: namespace.map(str::to_owned),
            span,
        })
    } else {
        Err(SyntaxError {
            span,
            expected: "a PHP type (`string`, `int`, `float`, `bool`, `mixed`, `array<...>`, \
                       `\\DateTime`) or a class name such as `Namespace\\Model`"
                .into(),
            found: format!("`{written}`"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Dialect;
    use crate::dialect::testing::shape;

    fn cell(markdown: &str) -> Result<TypeExpr, SyntaxError> {
        crate::dialect::testing::cell(Dialect::Php, markdown)
    }

    fn parse(text: &str) -> Result<TypeExpr, SyntaxError> {
        crate::dialect::testing::text(Dialect::Php, text)
    }

    use crate::diagnostic::FileId;

    #[test]
    fn parses_the_grammar() {
        let cases = [
            ("*string*", "String"),
            ("*?string*", "Nilable<String>"),
            ("*int*", "Integer"),
            ("*?int*", "Nilable<Integer>"),
            ("*bool*", "Boolean"),
            ("*?bool*", "Nilable<Boolean>"),
            ("*float*", "Float"),
            ("*?float*", "Nilable<Float>"),
            ("*mixed*", "Any"),
            (
                "[?Shelf](./Shelf.md)",
                "Link(./Shelf.md)<Nilable<Model(Shelf)>>",
            ),
            ("[Shelf](../Shelf.md)", "Link(../Shelf.md)<Model(Shelf)>"),
            (
                "array<[Book](./Book.md)>",
                "List<Link(./Book.md)<Model(Book)>>",
            ),
            ("array<*string*>", "List<String>"),
            ("array<string, *mixed*>", "Map<Any>"),
            (
                "array<string, [Book](./Book.md)>",
                "Map<Link(./Book.md)<Model(Book)>>",
            ),
            ("array<array<string, *mixed*>>", "List<Map<Any>>"),
            ("array<string, array<string, *mixed*>>", "Map<Map<Any>>"),
            (
                "[\\DateTime](https://www.php.net/manual/en/class.datetime.php)",
                "Link(https://www.php.net/manual/en/class.datetime.php)<Date>",
            ),
            ("[?\\DateTime](https://x)", "Link(https://x)<Nilable<Date>>"),
            ("*\\Brick\\DateTime\\LocalDate*", "CalendarDate"),
            ("*\\Brick\\Math\\BigDecimal*", "Decimal"),
            ("array<*\\Brick\\Math\\BigInteger*>", "List<Integer>"),
            (
                "[\\Psr\\Http\\Message\\ResponseInterface](https://www.php-fig.org/psr/psr-7/)",
                "Link(https://www.php-fig.org/psr/psr-7/)<HttpResponse<>>",
            ),
            (
                "*?\\Psr\\Http\\Message\\StreamInterface*",
                "Nilable<ByteStream<>>",
            ),
            (
                "[Paperback\\|Hardcover](./Format.md)",
                "Link(./Format.md)<Union<Model(Paperback),Model(Hardcover)>>",
            ),
            (
                "[Paperback\\|Hardcover\\|null](./Format.md)",
                "Link(./Format.md)<Nilable<Union<Model(Paperback),Model(Hardcover)>>>",
            ),
            (
                "[Book\\|null](./B.md)",
                "Link(./B.md)<Nilable<Model(Book)>>",
            ),
            (
                "array<[string\\|int](./Isbn.md)>",
                "List<Link(./Isbn.md)<Union<String,Integer>>>",
            ),
            (
                "array<string, [bool\\|array](./Flag.md)>",
                "Map<Link(./Flag.md)<Union<Boolean,Any>>>",
            ),
            (
                "[\\Shop\\Models\\Shared\\Genre](../../Models/Shared/Genre.md)",
                "Link(../../Models/Shared/Genre.md)<Model(Shop\\Models\\Shared::Genre)>",
            ),
            ("*DateTime*", "Model(DateTime)"),
        ];
        for (text, expected) in cases {
            let parsed = cell(text).unwrap_or_else(|err| panic!("{text}: {err:?}"));
            assert_eq!(shape(&parsed), expected, "{text}");
        }
    }

    #[test]
    fn parses_docblock_types() {
        let cases = [
            ("\\Gr4vy\\Book", "Model(Gr4vy::Book)"),
            ("Shared\\Book", "Model(Shared::Book)"),
            ("array<Shared\\Book>", "List<Model(Shared::Book)>"),
            ("array<string, bool|mixed>", "Map<Union<Boolean,Any>>"),
            ("?Book|null", "Nilable<Model(Book)>"),
            ("true", "Literal[Boolean(true)]"),
            ("callable", "Callable<>"),
            (
                "integer|double|boolean|object",
                "Union<Integer,Float,Boolean,Any>",
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
            ("array<string", "`>` to close `array<...>`"),
            ("array<string, int", "`>` to close `array<...>`"),
            (
                "array<int, string>",
                "`string` as the key type of `array<K, V>` (JSON keys are strings)",
            ),
            ("string string", "the end of the type"),
            ("", "a PHP type"),
            ("?", "a PHP type"),
            ("string|", "a PHP type"),
            ("null", "a type besides `null`"),
            ("array<>", "a PHP type"),
            ("List[str]", "the end of the type"),
            (
                &"array<".repeat(10_000),
                "a type nested at most 64 levels deep",
            ),
            (&"?".repeat(10_000), "a type nested at most 64 levels deep"),
        ];
        for (text, expected) in cases {
            let error = parse(text).expect_err(text);
            assert_eq!(error.expected, expected, "{text}");
        }
        for unknown in ["str", "models.Book", "number", "Gr4vy\\book"] {
            let error = parse(unknown).expect_err(unknown);
            assert!(
                error.expected.starts_with("a PHP type ("),
                "{unknown}: {error:?}"
            );
            assert_eq!(error.found, format!("`{unknown}`"));
        }
        // Not a markdown link: the bracket is text.
        let error = cell("[Book](./Book.md").expect_err("no link");
        assert_eq!(
            (error.expected.as_str(), error.found.as_str()),
            ("a PHP type", "`[`")
        );
        let error = cell("[Book array](./Book.md)").expect_err("two types");
        assert_eq!(error.expected, "the end of the link");
    }

    /// The members of the first `## Supported Types` section of `text`.
    fn members(text: &str) -> Vec<Result<String, String>> {
        let document = crate::read::read_document(FileId(0), "u.md", text);
        let blocks = &document.blocks;
        let mut result = Vec::new();
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
            let member = union_member(heading, &blocks[index + 1..end], text);
            result.push(match member {
                Ok(Member::Type(ty)) => Ok(shape(&ty)),
                Ok(Member::Unshown) => Ok("Unshown".into()),
                Err(error) => Err(error.expected),
            });
        }
        result
    }

    #[test]
    fn reads_union_members() {
        let text = "# Format\n\n## Supported Types\n\n\
            ### `Shop\\Paperback`\n\n```php\n/**\n* @var \\Shop\\Paperback\n*/\nShop\\Paperback $value = /* values here */\n```\n\n\
            ### `int`\n\n```php\n/**\n* @var int\n*/\nint $value = /* values here */\n```\n\n\
            ### `array`\n\n```php\n/**\n* @var array<string, mixed>\n*/\narray $value = /* values here */\n```\n\n\
            ### `array`\n\n```php\n/** @var array<Shop\\Paperback> $value */\n```\n\n\
            ### `array`\n\nNo code.\n\n\
            ### `array<string, mixed>`\n\n\
            ###\n\n```php\n/**\n* @var bool\n*/\n```\n\n\
            ###\n\nNothing.\n\n\
            ### `str`\n";
        assert_eq!(
            members(text),
            [
                Ok("Model(Shop::Paperback)".to_owned()),
                Ok("Integer".to_owned()),
                Ok("Map<Any>".to_owned()),
                Ok("List<Model(Shop::Paperback)>".to_owned()),
                Ok("Any".to_owned()),
                Ok("Map<Any>".to_owned()),
                Ok("Boolean".to_owned()),
                Ok("Unshown".to_owned()),
                Err(
                    "a PHP type (`string`, `int`, `float`, `bool`, `mixed`, `array<...>`, \
                     `\\DateTime`) or a class name such as `Namespace\\Model`"
                        .to_owned()
                ),
            ]
        );
    }

    #[test]
    fn docblock_spans_point_into_the_source() {
        let text = "# U\n\n## Supported Types\n\n### `array`\n\n```php\n/**\n* @var array<string, str>\n*/\n```\n";
        let document = crate::read::read_document(FileId(0), "u.md", text);
        let Some(Block::Heading(heading)) = document.blocks.get(2) else {
            panic!("{:?}", document.blocks);
        };
        let error = union_member(heading, &document.blocks[3..], text).expect_err("str");
        assert_eq!(&text[error.span.range()], "str");
    }
}
