//! The Python dialect: the grammar of Type cells, union member headings and enum values
//! as the Speakeasy Python SDK writes them.
//!
//! ```text
//! type    := link | name ( "[" args "]" )?
//! link    := LINK_OPEN type LINK_CLOSE          -- markdown link around a type
//! name    := str | int | float | bool | Any | bytes | date | datetime
//!          | Optional | Nullable | OptionalNullable | List | Dict | Literal | Union
//!          | IO | io.BufferedReader | eventstreaming.EventStream[Async]
//!          | models.NAME | NAME
//! ```
//!
//! Emphasis is decoration (`*str*`), so it is transparent; so are the `*` that
//! `utils/retryconfig.md` writes inside code spans (`` `*int*` ``).

use crate::diagnostic::Span;
use crate::document::Inline;

use super::{LiteralValue, Primitive, SdkType, SyntaxError, TypeExpr, Wrapper};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Open,
    Close,
    Comma,
    Str(String),
    Int(i64),
    LinkOpen(String),
    LinkClose,
    /// Something the grammar has no use for (HTML, a line break, a stray character).
    Other(String),
}

impl Token {
    fn describe(&self) -> String {
        match self {
            Token::Ident(name) => format!("`{name}`"),
            Token::Open => "`[`".to_owned(),
            Token::Close => "`]`".to_owned(),
            Token::Comma => "`,`".to_owned(),
            Token::Str(value) => format!("the string {value:?}"),
            Token::Int(value) => format!("the number {value}"),
            Token::LinkOpen(_) => "a link".to_owned(),
            Token::LinkClose => "the end of a link".to_owned(),
            Token::Other(text) => format!("`{text}`"),
        }
    }
}

#[derive(Debug, Default)]
struct Lexer {
    tokens: Vec<(Token, Span)>,
}

impl Lexer {
    /// Lexes a cell's inlines. Everything but links is lexed from its source text, so
    /// markdown that happens to parse inside a type (`Literal["__x__"]` reads as bold)
    /// keeps the characters that were written.
    fn inlines(&mut self, content: &[Inline], source: &str) {
        for inline in content {
            match inline {
                Inline::Link {
                    dest,
                    content,
                    span,
                } => {
                    let open = Span {
                        end: span.start,
                        ..*span
                    };
                    self.tokens.push((Token::LinkOpen(dest.clone()), open));
                    self.inlines(content, source);
                    let close = Span {
                        start: span.end,
                        ..*span
                    };
                    self.tokens.push((Token::LinkClose, close));
                }
                Inline::Emphasis { content, .. }
                | Inline::Strong { content, .. }
                | Inline::Strikethrough { content, .. }
                    if contains_link(content) =>
                {
                    self.inlines(content, source)
                }
                Inline::LineBreak { span } => {
                    self.tokens.push((Token::Other("<br/>".into()), *span))
                }
                Inline::Html { text, span } => {
                    self.tokens.push((Token::Other(text.clone()), *span))
                }
                other => {
                    let span = other.span();
                    match source.get(span.range()) {
                        Some(raw) => self.text(raw, span),
                        None => self.tokens.push((Token::Other("?".into()), span)),
                    }
                }
            }
        }
    }

    /// Lexes a run of text whose first byte is at `span.start`. Text decoded from
    /// escapes can be shorter than its source, so offsets are clamped to the span.
    fn text(&mut self, text: &str, span: Span) {
        let at = |start: usize, end: usize| Span {
            file: span.file,
            start: (span.start as usize + start).min(span.end as usize) as u32,
            end: (span.start as usize + end).min(span.end as usize) as u32,
        };
        let mut chars = text.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            let token = match c {
                // Emphasis and code delimiters and escapes are decoration around a type.
                c if c.is_whitespace() || matches!(c, '*' | '`' | '\\' | '\u{feff}') => continue,
                '[' => Token::Open,
                ']' => Token::Close,
                ',' => Token::Comma,
                '"' | '\'' => {
                    let mut value = String::new();
                    let mut closed = false;
                    let mut end = text.len();
                    while let Some((index, next)) = chars.next() {
                        if next == c {
                            closed = true;
                            end = index + 1;
                            break;
                        }
                        if next == '\\'
                            && let Some((_, escaped)) = chars.next()
                        {
                            value.push(escaped);
                            continue;
                        }
                        value.push(next);
                    }
                    if !closed {
                        self.tokens
                            .push((Token::Other(format!("{c}{value}")), at(start, end)));
                        continue;
                    }
                    self.tokens.push((Token::Str(value), at(start, end)));
                    continue;
                }
                c if c.is_ascii_digit() || c == '-' => {
                    let mut end = start + c.len_utf8();
                    while let Some(&(index, next)) = chars.peek() {
                        if !next.is_ascii_digit() {
                            break;
                        }
                        end = index + next.len_utf8();
                        chars.next();
                    }
                    let literal = &text[start..end];
                    let digits = literal.trim_start_matches('-');
                    // JSON has no leading zeros: `010` is not the integer 10.
                    let leading_zero = digits.len() > 1 && digits.starts_with('0');
                    let token = match literal.parse() {
                        Ok(value) if !leading_zero => Token::Int(value),
                        _ => Token::Other(literal.to_owned()),
                    };
                    self.tokens.push((token, at(start, end)));
                    continue;
                }
                c if c.is_alphanumeric() || c == '_' => {
                    let mut end = start + c.len_utf8();
                    while let Some(&(index, next)) = chars.peek() {
                        if !(next.is_alphanumeric() || next == '_' || next == '.') {
                            break;
                        }
                        end = index + next.len_utf8();
                        chars.next();
                    }
                    self.tokens
                        .push((Token::Ident(text[start..end].to_owned()), at(start, end)));
                    continue;
                }
                other => Token::Other(other.to_string()),
            };
            self.tokens.push((token, at(start, start + c.len_utf8())));
        }
    }
}

/// Deeper nesting than this is not a real type; refusing it keeps recursion bounded
/// whatever the input.
const MAX_DEPTH: usize = 64;

struct Parser {
    tokens: Vec<(Token, Span)>,
    position: usize,
    depth: usize,
    /// Where "nothing more" is reported: the end of the cell.
    end: Span,
}

impl Parser {
    fn new(tokens: Vec<(Token, Span)>, whole: Span) -> Self {
        Self {
            tokens,
            position: 0,
            depth: 0,
            end: Span {
                start: whole.end,
                ..whole
            },
        }
    }

    fn peek(&self) -> Option<&(Token, Span)> {
        self.tokens.get(self.position)
    }

    fn next(&mut self) -> Option<(Token, Span)> {
        let token = self.tokens.get(self.position).cloned();
        self.position += 1;
        token
    }

    fn error(&self, expected: impl Into<String>) -> SyntaxError {
        let (found, span) = match self.peek() {
            Some((token, span)) => (token.describe(), *span),
            None => ("the end of the type".to_owned(), self.end),
        };
        SyntaxError {
            span,
            expected: expected.into(),
            found,
        }
    }

    fn expect(&mut self, token: &Token, expected: &str) -> Result<Span, SyntaxError> {
        match self.peek() {
            Some((found, span)) if found == token => {
                let span = *span;
                self.position += 1;
                Ok(span)
            }
            _ => Err(self.error(expected)),
        }
    }

    fn finish(&self) -> Result<(), SyntaxError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("the end of the type")),
        }
    }

    fn parse_type(&mut self) -> Result<TypeExpr, SyntaxError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format!("a type nested at most {MAX_DEPTH} levels deep")));
        }
        self.depth += 1;
        let parsed = self.parse_type_inner();
        self.depth -= 1;
        parsed
    }

    fn parse_type_inner(&mut self) -> Result<TypeExpr, SyntaxError> {
        match self.peek().cloned() {
            Some((Token::LinkOpen(dest), open)) => {
                self.position += 1;
                let inner = self.parse_type()?;
                let close = self.expect(&Token::LinkClose, "the end of the link")?;
                Ok(TypeExpr::Link {
                    dest,
                    inner: Box::new(inner),
                    span: join(open, close),
                })
            }
            Some((Token::Ident(name), span)) => {
                self.position += 1;
                self.parse_named(&name, span)
            }
            _ => Err(self.error("a type")),
        }
    }

    /// One `[T]` argument list; returns the argument and the span of the closing bracket.
    fn parse_one_argument(&mut self, of: &str) -> Result<(TypeExpr, Span), SyntaxError> {
        self.expect(&Token::Open, &format!("`[` after `{of}`"))?;
        let argument = self.parse_type()?;
        let close = self.expect(&Token::Close, &format!("`]` to close `{of}[...]`"))?;
        Ok((argument, close))
    }

    fn parse_arguments(&mut self, of: &str) -> Result<(Vec<TypeExpr>, Span), SyntaxError> {
        self.expect(&Token::Open, &format!("`[` after `{of}`"))?;
        let mut arguments = vec![self.parse_type()?];
        loop {
            match self.next() {
                Some((Token::Comma, _)) => arguments.push(self.parse_type()?),
                Some((Token::Close, close)) => return Ok((arguments, close)),
                _ => {
                    self.position -= 1;
                    return Err(self.error(format!("`,` or `]` in `{of}[...]`")));
                }
            }
        }
    }

    fn parse_literal_values(&mut self) -> Result<(Vec<LiteralValue>, Span), SyntaxError> {
        self.expect(&Token::Open, "`[` after `Literal`")?;
        let mut values = Vec::new();
        loop {
            let value = match self.next() {
                Some((Token::Str(value), _)) => LiteralValue::String(value),
                Some((Token::Int(value), _)) => LiteralValue::Integer(value),
                Some((Token::Ident(name), _)) if name == "True" => LiteralValue::Boolean(true),
                Some((Token::Ident(name), _)) if name == "False" => LiteralValue::Boolean(false),
                _ => {
                    self.position -= 1;
                    return Err(
                        self.error("a string, integer, `True` or `False` in `Literal[...]`")
                    );
                }
            };
            values.push(value);
            match self.next() {
                Some((Token::Comma, _)) => {}
                Some((Token::Close, close)) => return Ok((values, close)),
                _ => {
                    self.position -= 1;
                    return Err(self.error("`,` or `]` in `Literal[...]`"));
                }
            }
        }
    }

    fn parse_named(&mut self, name: &str, start: Span) -> Result<TypeExpr, SyntaxError> {
        let primitive = |primitive| TypeExpr::Primitive {
            primitive,
            span: start,
        };
        let wrapper = match name {
            "str" => return Ok(primitive(Primitive::String)),
            "int" => return Ok(primitive(Primitive::Integer)),
            "float" => return Ok(primitive(Primitive::Float)),
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
            let (inner, close) = self.parse_one_argument(name)?;
            return Ok(TypeExpr::Wrapper {
                wrapper,
                inner: Box::new(inner),
                span: join(start, close),
            });
        }
        match name {
            "List" => {
                let (item, close) = self.parse_one_argument(name)?;
                Ok(TypeExpr::List {
                    item: Box::new(item),
                    span: join(start, close),
                })
            }
            "Dict" => {
                self.expect(&Token::Open, "`[` after `Dict`")?;
                match self.next() {
                    Some((Token::Ident(key), _)) if key == "str" => {}
                    _ => {
                        self.position -= 1;
                        return Err(
                            self.error("`str` as the key type of `Dict` (JSON keys are strings)")
                        );
                    }
                }
                self.expect(&Token::Comma, "`,` after the key type of `Dict`")?;
                let value = self.parse_type()?;
                let close = self.expect(&Token::Close, "`]` to close `Dict[...]`")?;
                Ok(TypeExpr::Map {
                    value: Box::new(value),
                    span: join(start, close),
                })
            }
            "Literal" => {
                let (values, close) = self.parse_literal_values()?;
                Ok(TypeExpr::Literal {
                    values,
                    span: join(start, close),
                })
            }
            "Union" => {
                let (members, close) = self.parse_arguments(name)?;
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
                let (argument, close) = self.parse_one_argument(name)?;
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
            _ => {
                let model = name.strip_prefix("models.").unwrap_or(name);
                let is_name = model
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                    && model.chars().all(|c| c.is_alphanumeric() || c == '_');
                if is_name {
                    Ok(TypeExpr::Model {
                        name: model.to_owned(),
                        span: start,
                    })
                } else {
                    Err(SyntaxError {
                        span: start,
                        expected:
                            "a type name (a primitive, a generic such as `List`, or `models.Name`)"
                                .into(),
                        found: format!("`{name}`"),
                    })
                }
            }
        }
    }
}

fn contains_link(content: &[Inline]) -> bool {
    content.iter().any(|inline| match inline {
        Inline::Link { .. } => true,
        Inline::Emphasis { content, .. }
        | Inline::Strong { content, .. }
        | Inline::Strikethrough { content, .. } => contains_link(content),
        _ => false,
    })
}

fn join(start: Span, end: Span) -> Span {
    Span {
        file: start.file,
        start: start.start,
        end: end.end.max(start.end),
    }
}

/// Parses a whole Type cell; `source` is the text of the file the cell is in.
pub fn parse_type_cell(
    content: &[Inline],
    cell: Span,
    source: &str,
) -> Result<TypeExpr, SyntaxError> {
    let mut lexer = Lexer::default();
    lexer.inlines(content, source);
    parse_tokens(lexer.tokens, cell)
}

/// Parses a type written as plain text (a union member heading's code span).
pub fn parse_type_text(text: &str, span: Span) -> Result<TypeExpr, SyntaxError> {
    let mut lexer = Lexer::default();
    lexer.text(text, span);
    parse_tokens(lexer.tokens, span)
}

fn parse_tokens(tokens: Vec<(Token, Span)>, whole: Span) -> Result<TypeExpr, SyntaxError> {
    let mut parser = Parser::new(tokens, whole);
    let parsed = parser.parse_type()?;
    parser.finish()?;
    Ok(parsed)
}

/// Parses a list-form enum value: `` `"user"` `` is a string, `` `100` `` an integer.
pub fn parse_enum_value(text: &str, span: Span) -> Result<LiteralValue, SyntaxError> {
    let mut lexer = Lexer::default();
    lexer.text(text, span);
    let error = |found: String| SyntaxError {
        span,
        expected: "a quoted string or an integer".into(),
        found,
    };
    match lexer.tokens.as_slice() {
        [(Token::Str(value), _)] => Ok(LiteralValue::String(value.clone())),
        [(Token::Int(value), _)] => Ok(LiteralValue::Integer(*value)),
        _ => Err(error(format!("`{}`", text.trim()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::FileId;

    fn parse(text: &str) -> Result<TypeExpr, SyntaxError> {
        let span = Span::new(FileId(0), 0, text.len());
        parse_type_text(text, span)
    }

    fn shape(expr: &TypeExpr) -> String {
        match expr {
            TypeExpr::Primitive { primitive, .. } => format!("{primitive:?}"),
            TypeExpr::Wrapper { wrapper, inner, .. } => format!("{wrapper:?}<{}>", shape(inner)),
            TypeExpr::List { item, .. } => format!("List<{}>", shape(item)),
            TypeExpr::Map { value, .. } => format!("Map<{}>", shape(value)),
            TypeExpr::Literal { values, .. } => format!("Literal{values:?}"),
            TypeExpr::Union { members, .. } => {
                format!(
                    "Union<{}>",
                    members.iter().map(shape).collect::<Vec<_>>().join(",")
                )
            }
            TypeExpr::Model { name, .. } => format!("Model({name})"),
            TypeExpr::Link { dest, inner, .. } => format!("Link({dest})<{}>", shape(inner)),
            TypeExpr::Sdk { sdk, arguments, .. } => {
                format!(
                    "{sdk:?}<{}>",
                    arguments.iter().map(shape).collect::<Vec<_>>().join(",")
                )
            }
        }
    }

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
            ("Dict[str, Nullable[models.M]]", "Map<Nullable<Model(M)>>"),
            ("List[List[models.M]]", "List<List<Model(M)>>"),
            ("`*int*`", "Integer"),
            (
                "Union[bytes, IO[bytes], io.BufferedReader]",
                "Union<Bytes,Io<Bytes>,BufferedReader<>>",
            ),
            (
                "Union[eventstreaming.EventStream[models.E], eventstreaming.EventStreamAsync[models.E]]",
                "Union<EventStream<Model(E)>,EventStreamAsync<Model(E)>>",
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
