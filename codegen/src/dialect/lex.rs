//! The lexing every dialect shares: a Type cell's inlines (links, emphasis, code spans,
//! backslash escapes) into one token stream, and a small recursive-descent cursor over it.
//! Each dialect's grammar (`python.rs`, `typescript.rs`, ...) only decides what the tokens
//! mean.
//!
//! Markdown is looked through, not interpreted: emphasis, strong and strikethrough
//! delimiters and code-span backticks are decoration around a type, so the text inside
//! them is lexed from its source (markdown that happens to parse inside a type, such as
//! `Literal["__x__"]`, keeps the characters that were written). Links become
//! [`Token::LinkOpen`] / [`Token::LinkClose`] around their text, since a link's
//! destination names the document of the model in its text. A backslash before ASCII
//! punctuation is an escape and dropped (`\<`, `\|`, and Java's doubled `\\<`); before a
//! letter it is part of a name (PHP's `\DateTime`).

use crate::diagnostic::Span;
use crate::document::Inline;

use super::SyntaxError;

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// A name: letters, digits, `_`, `$`, and the separators `.`, `::` and (PHP) `\`
    /// between or before its parts (`models.X`, `::String`, `T::Array`, `\Psr\Http`).
    Ident(String),
    /// One of `[ ] < > ( ) { } , | ? * & = :` (`:` only when not part of `::`).
    Punct(char),
    /// A quoted string (`"x"` or `'x'`), unescaped.
    Str(String),
    /// An integer without leading zeros.
    Int(i64),
    /// A number with a fraction or exponent (`1.5`).
    Float(f64),
    /// The start of a link; the destination as written.
    LinkOpen(String),
    LinkClose,
    /// Something no grammar has a use for (HTML, a line break, a stray character).
    Other(String),
}

impl Token {
    /// How the token reads in a message ("expected X, found `Y`").
    pub fn describe(&self) -> String {
        match self {
            Token::Ident(name) => format!("`{name}`"),
            Token::Punct(c) => format!("`{c}`"),
            Token::Str(value) => format!("the string {value:?}"),
            Token::Int(value) => format!("the number {value}"),
            Token::Float(value) => format!("the number {value}"),
            Token::LinkOpen(_) => "a link".to_owned(),
            Token::LinkClose => "the end of a link".to_owned(),
            Token::Other(text) => format!("`{text}`"),
        }
    }

    pub fn is_punct(&self, c: char) -> bool {
        matches!(self, Token::Punct(p) if *p == c)
    }

    pub fn is_ident(&self, name: &str) -> bool {
        matches!(self, Token::Ident(ident) if ident == name)
    }
}

/// The tokens of a Type cell's inlines; `source` is the whole file's text.
pub fn cell_tokens(content: &[Inline], source: &str) -> Vec<(Token, Span)> {
    let mut lexer = Lexer::default();
    lexer.inlines(content, source);
    lexer.tokens
}

/// The tokens of a type written as plain text whose first byte is at `span.start` (a
/// union member heading's code span, a code block).
pub fn text_tokens(text: &str, span: Span) -> Vec<(Token, Span)> {
    let mut lexer = Lexer::default();
    lexer.text(text, span);
    lexer.tokens
}

#[derive(Debug, Default)]
struct Lexer {
    tokens: Vec<(Token, Span)>,
}

impl Lexer {
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
                Inline::Emphasis { span, .. }
                | Inline::Strong { span, .. }
                | Inline::Strikethrough { span, .. } => self.delimited(*span, source, "*_~"),
                Inline::Code { span, .. } => self.delimited(*span, source, "`"),
                Inline::Text { span, .. } => self.source(*span, source),
            }
        }
    }

    /// Lexes the source of an inline without the runs of `delimiters` at its two ends.
    fn delimited(&mut self, span: Span, source: &str, delimiters: &str) {
        let Some(raw) = source.get(span.range()) else {
            self.tokens.push((Token::Other("?".into()), span));
            return;
        };
        let is_delimiter = |c: char| delimiters.contains(c);
        let opening = raw.len() - raw.trim_start_matches(is_delimiter).len();
        let closing = raw.len() - raw.trim_end_matches(is_delimiter).len();
        // A run of only delimiters (``` `*` ```) has nothing inside.
        if opening + closing >= raw.len() {
            return;
        }
        let inner = &raw[opening..raw.len() - closing];
        let start = span.start as usize + opening;
        self.text(inner, Span::new(span.file, start, start + inner.len()));
    }

    fn source(&mut self, span: Span, source: &str) {
        match source.get(span.range()) {
            Some(raw) => self.text(raw, span),
            None => self.tokens.push((Token::Other("?".into()), span)),
        }
    }

    /// Lexes a run of text whose first byte is at `span.start`. Offsets are clamped to
    /// the span, so a span shorter than its text never points outside it.
    fn text(&mut self, text: &str, span: Span) {
        let at = |start: usize, end: usize| Span {
            file: span.file,
            start: (span.start as usize + start).min(span.end as usize) as u32,
            end: (span.start as usize + end).min(span.end as usize) as u32,
        };
        let bytes = text.as_bytes();
        let mut index = 0;
        while index < text.len() {
            let Some(c) = text[index..].chars().next() else {
                break;
            };
            let start = index;
            let (token, end) = match c {
                // Backticks left in plain text are code-span decoration.
                c if c.is_whitespace() || c == '\u{feff}' || c == '`' => {
                    index += c.len_utf8();
                    continue;
                }
                '\\' => {
                    let next = text[index + 1..].chars().next();
                    match next {
                        // PHP namespaces: `\DateTime`, `\Psr\Http\...`.
                        Some(n) if n.is_alphabetic() || n == '_' => {
                            let end = ident_end(text, index);
                            (Token::Ident(text[index..end].to_owned()), end)
                        }
                        // An escape (or a doubled one): the punctuation is lexed next.
                        _ => {
                            index += 1;
                            continue;
                        }
                    }
                }
                '"' | '\'' => {
                    let (value, end, closed) = quoted(text, index, c);
                    if closed {
                        (Token::Str(value), end)
                    } else {
                        (Token::Other(format!("{c}{value}")), end)
                    }
                }
                c if c.is_ascii_digit()
                    || (c == '-' && bytes.get(index + 1).is_some_and(u8::is_ascii_digit)) =>
                {
                    number(text, index)
                }
                ':' if bytes.get(index + 1) == Some(&b':') => {
                    let end = ident_end(text, index);
                    (Token::Ident(text[index..end].to_owned()), end)
                }
                c if c.is_alphabetic() || c == '_' || c == '$' => {
                    let end = ident_end(text, index);
                    (Token::Ident(text[index..end].to_owned()), end)
                }
                '[' | ']' | '<' | '>' | '(' | ')' | '{' | '}' | ',' | '|' | '?' | '*' | '&'
                | '=' | ':' => (Token::Punct(c), index + 1),
                other => (Token::Other(other.to_string()), index + other.len_utf8()),
            };
            self.tokens.push((token, at(start, end)));
            index = end.max(start + 1);
        }
    }
}

/// The end of a name starting at `start`: word characters, with `.`, `::` and `\`
/// joining parts when a word character follows them.
fn ident_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80;
    let mut end = start;
    loop {
        match bytes.get(end) {
            Some(&b) if is_word(b) => end += 1,
            Some(b'.') | Some(b'\\') if bytes.get(end + 1).is_some_and(|&n| is_word(n)) => end += 1,
            Some(b':')
                if bytes.get(end + 1) == Some(&b':')
                    && bytes.get(end + 2).is_some_and(|&n| is_word(n)) =>
            {
                end += 2
            }
            _ => break,
        }
    }
    // Never end inside a multi-byte character.
    while !text.is_char_boundary(end) {
        end += 1;
    }
    end.max(start + 1)
}

/// A quoted string starting at `start`: its value, the end, and whether it was closed.
fn quoted(text: &str, start: usize, quote: char) -> (String, usize, bool) {
    let mut value = String::new();
    let mut chars = text[start + 1..].char_indices();
    while let Some((offset, next)) = chars.next() {
        if next == quote {
            return (value, start + 1 + offset + 1, true);
        }
        if next == '\\'
            && let Some((_, escaped)) = chars.next()
        {
            value.push(escaped);
            continue;
        }
        value.push(next);
    }
    (value, text.len(), false)
}

/// A number starting at `start` (which is a digit or `-` before one).
fn number(text: &str, start: usize) -> (Token, usize) {
    let bytes = text.as_bytes();
    let mut end = start + 1;
    while bytes.get(end).is_some_and(u8::is_ascii_digit) {
        end += 1;
    }
    let mut fractional = false;
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        fractional = true;
        end += 1;
        while bytes.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
    }
    let literal = &text[start..end];
    let digits = literal.trim_start_matches('-');
    // JSON has no leading zeros: `010` is not the integer 10.
    let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    let token = match (fractional, leading_zero) {
        (_, true) => Token::Other(literal.to_owned()),
        (false, false) => literal
            .parse()
            .map_or_else(|_| Token::Other(literal.to_owned()), Token::Int),
        (true, false) => literal
            .parse()
            .map_or_else(|_| Token::Other(literal.to_owned()), Token::Float),
    };
    (token, end)
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

/// Deeper nesting than this is not a real type; refusing it keeps recursion bounded
/// whatever the input.
pub const MAX_DEPTH: usize = 64;

/// A cursor over tokens for a dialect's recursive-descent grammar.
#[derive(Debug)]
pub struct Cursor {
    tokens: Vec<(Token, Span)>,
    position: usize,
    depth: usize,
    /// Where "nothing more" is reported: the end of the cell.
    end: Span,
}

impl Cursor {
    /// A cursor over `tokens`, which were lexed from `whole` (a cell or a heading).
    pub fn new(tokens: Vec<(Token, Span)>, whole: Span) -> Self {
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

    /// Drops every token `skip` matches (decoration a dialect ignores).
    pub fn without(mut self, skip: impl Fn(&Token) -> bool) -> Self {
        self.tokens.retain(|(token, _)| !skip(token));
        self
    }

    pub fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.position).map(|(token, _)| token)
    }

    /// The token after the next one.
    pub fn peek_second(&self) -> Option<&Token> {
        self.tokens.get(self.position + 1).map(|(token, _)| token)
    }

    /// The span of the next token, or of the end when there is none.
    pub fn span(&self) -> Span {
        self.tokens
            .get(self.position)
            .map_or(self.end, |(_, span)| *span)
    }

    /// Steps back over the token [`Cursor::next`] took.
    pub fn back(&mut self) {
        self.position = self.position.saturating_sub(1);
    }

    pub fn at_end(&self) -> bool {
        self.position >= self.tokens.len()
    }

    /// A syntax error at the next token.
    pub fn error(&self, expected: impl Into<String>) -> SyntaxError {
        let (found, span) = match self.tokens.get(self.position) {
            Some((token, span)) => (token.describe(), *span),
            None => ("the end of the type".to_owned(), self.end),
        };
        SyntaxError {
            span,
            expected: expected.into(),
            found,
        }
    }

    /// Takes the next token if it is the punctuation `c`.
    pub fn eat(&mut self, c: char) -> Option<Span> {
        match self.tokens.get(self.position) {
            Some((token, span)) if token.is_punct(c) => {
                let span = *span;
                self.position += 1;
                Some(span)
            }
            _ => None,
        }
    }

    /// Takes the punctuation `c`, or fails saying what was expected.
    pub fn expect(&mut self, c: char, expected: &str) -> Result<Span, SyntaxError> {
        self.eat(c).ok_or_else(|| self.error(expected))
    }

    /// Takes the end of a link, or fails.
    pub fn expect_link_close(&mut self) -> Result<Span, SyntaxError> {
        match self.tokens.get(self.position) {
            Some((Token::LinkClose, span)) => {
                let span = *span;
                self.position += 1;
                Ok(span)
            }
            _ => Err(self.error("the end of the link")),
        }
    }

    /// Fails unless every token was used.
    pub fn finish(&self) -> Result<(), SyntaxError> {
        if self.at_end() {
            Ok(())
        } else {
            Err(self.error("the end of the type"))
        }
    }

    /// Runs `parse` one level deeper, failing past [`MAX_DEPTH`].
    pub fn nested<T>(
        &mut self,
        parse: impl FnOnce(&mut Self) -> Result<T, SyntaxError>,
    ) -> Result<T, SyntaxError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format!("a type nested at most {MAX_DEPTH} levels deep")));
        }
        self.depth += 1;
        let parsed = parse(self);
        self.depth -= 1;
        parsed
    }
}

/// The tokens from the cursor on, each taken as it is read.
impl Iterator for Cursor {
    type Item = (Token, Span);

    fn next(&mut self) -> Option<(Token, Span)> {
        let token = self.tokens.get(self.position).cloned();
        if token.is_some() {
            self.position += 1;
        }
        token
    }
}

/// The span from the start of `start` to the end of `end`.
pub fn join(start: Span, end: Span) -> Span {
    Span {
        file: start.file,
        start: start.start,
        end: end.end.max(start.end),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::FileId;

    fn lex(text: &str) -> Vec<Token> {
        text_tokens(text, Span::new(FileId(0), 0, text.len()))
            .into_iter()
            .map(|(token, _)| token)
            .collect()
    }

    fn cell(markdown: &str) -> Vec<Token> {
        let row = format!("| A |\n| - |\n| {markdown} |\n");
        let document = crate::read::read_document(FileId(0), "m.md", &row);
        let Some(crate::document::Block::Table(table)) = document.blocks.first() else {
            panic!("no table in {row:?}");
        };
        cell_tokens(&table.rows[0].cells[0].content, &row)
            .into_iter()
            .map(|(token, _)| token)
            .collect()
    }

    fn ident(name: &str) -> Token {
        Token::Ident(name.to_owned())
    }

    #[test]
    fn names_keep_their_separators() {
        assert_eq!(
            lex("models.X ::String T::Array \\Psr\\Http\\Message"),
            [
                ident("models.X"),
                ident("::String"),
                ident("T::Array"),
                ident("\\Psr\\Http\\Message")
            ]
        );
        assert_eq!(
            lex("a.b."),
            [ident("a.b"), Token::Other(".".into())],
            "a trailing dot is not part of the name"
        );
    }

    #[test]
    fn escapes_are_dropped_before_punctuation() {
        assert_eq!(
            lex("List\\<Map\\\\<String, Object>>"),
            [
                ident("List"),
                Token::Punct('<'),
                ident("Map"),
                Token::Punct('<'),
                ident("String"),
                Token::Punct(','),
                ident("Object"),
                Token::Punct('>'),
                Token::Punct('>'),
            ]
        );
        assert_eq!(lex("A\\|B"), [ident("A"), Token::Punct('|'), ident("B")]);
    }

    #[test]
    fn literals() {
        assert_eq!(
            lex("\"a\\\"b\" 'c' 10 -3 1.5 010"),
            [
                Token::Str("a\"b".into()),
                Token::Str("c".into()),
                Token::Int(10),
                Token::Int(-3),
                Token::Float(1.5),
                Token::Other("010".into()),
            ]
        );
    }

    #[test]
    fn markdown_is_looked_through() {
        assert_eq!(
            cell("*string*[]"),
            [ident("string"), Token::Punct('['), Token::Punct(']')]
        );
        assert_eq!(cell("`*int64`"), [Token::Punct('*'), ident("int64")]);
        assert_eq!(
            cell("*Literal[\"__x__\"]*"),
            [
                ident("Literal"),
                Token::Punct('['),
                Token::Str("__x__".into()),
                Token::Punct(']')
            ]
        );
        assert_eq!(
            cell("List\\<[X](x.md)>"),
            [
                ident("List"),
                Token::Punct('<'),
                Token::LinkOpen("x.md".into()),
                ident("X"),
                Token::LinkClose,
                Token::Punct('>'),
            ]
        );
        assert_eq!(
            cell("[A\\|B](./u.md)"),
            [
                Token::LinkOpen("./u.md".into()),
                ident("A"),
                Token::Punct('|'),
                ident("B"),
                Token::LinkClose,
            ]
        );
    }

    #[test]
    fn the_cursor_bounds_depth() {
        let text = "[".repeat(100);
        let mut cursor = Cursor::new(
            text_tokens(&text, Span::new(FileId(0), 0, text.len())),
            Span::new(FileId(0), 0, text.len()),
        );
        fn open(cursor: &mut Cursor) -> Result<(), SyntaxError> {
            cursor.expect('[', "`[`")?;
            cursor.nested(open)
        }
        let error = open(&mut cursor).expect_err("too deep");
        assert!(error.expected.contains("64 levels"), "{error:?}");
    }
}
