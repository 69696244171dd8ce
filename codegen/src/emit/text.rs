//! Emission, text pass: a model's file (an object's module doc, struct, `FIELDS`, `new`
//! and serde impls; a string enum's; a union's, in [`unions`]) written out as formatted
//! source directly, byte for byte what prettyplease prints for its tokens, for a
//! fraction of the work (building, parsing and printing tokens was most of codegen's
//! time).
//!
//! It mimics only prettyplease's layout for the few forms these items have: a line kept
//! whole when it fits the margin, a call's arguments one per line, generic arguments
//! broken one per line, an impl header broken before `for`, a match arm's body in
//! braces, a `+` chain filled line by line, a struct literal kept on one line up to
//! prettyplease's width. Anything else (a prelude name the model shadows, extra derives
//! or attributes from the options, a method call that would break, a name too long for
//! any line) gives `None`, and the tokens are formatted instead. `tests/text_pass.rs`
//! holds the two paths equal on every corpus.

use std::fmt::Write as _;

use proc_macro2::{Delimiter, Literal, TokenStream, TokenTree};

use super::items::{Access, WireField};

pub(super) mod unions;

/// prettyplease's margin: a line holds at most this many columns.
const MARGIN: usize = 89;
/// prettyplease's widest struct literal kept on one line (`Self { a, b }`, the closing
/// brace aside).
const STRUCT_LITERAL_WIDTH: usize = 34;
const INDENT: usize = 4;
const REQUIRED: &str = "crate::support::required";

/// The prelude names whose full path a model of that name makes the tokens spell out.
const PRELUDE: [&str; 10] = [
    "Option", "Some", "None", "String", "Vec", "Box", "Default", "Result", "Ok", "Err",
];

/// What the serde impls of one object are made of, as text.
pub(super) struct ObjectText<'a> {
    pub name: &'a str,
    pub fields: &'a [WireField],
    pub extra: Option<String>,
    /// The locals of `from_object`, renamed where a field takes `map` or `key`.
    pub map: String,
    pub key: String,
    pub allow_deprecated: bool,
}

/// A struct field as text.
pub(super) struct FieldText<'a> {
    pub docs: &'a [String],
    pub deprecated: bool,
    pub ident: String,
    pub ty: TypeText,
    /// What `new` sets it to; `None` when it is a parameter of `new`.
    pub init: Option<&'static str>,
}

/// What the struct of an object model and its inherent impl are made of, as text.
pub(super) struct StructText<'a> {
    /// The `//!` line's text.
    pub module_doc: &'a str,
    pub docs: &'a [String],
    pub derives: &'a [&'a str],
    pub allow_deprecated: bool,
    pub name: &'a str,
    pub fields: &'a [FieldText<'a>],
    pub wire_names: &'a [String],
    pub new_doc: &'a str,
}

/// A type as text: a path (or `()`) and its generic arguments, which prettyplease
/// breaks one a line when the type does not fit.
pub(super) struct TypeText {
    head: String,
    args: Vec<TypeText>,
}

impl TypeText {
    /// The type of `tokens`; `None` for any token a field's type never holds.
    pub(super) fn of(tokens: &TokenStream) -> Option<TypeText> {
        let mut tokens = tokens.clone().into_iter().peekable();
        let ty = Self::parse(&mut tokens)?;
        tokens.next().is_none().then_some(ty)
    }

    fn parse(
        tokens: &mut std::iter::Peekable<proc_macro2::token_stream::IntoIter>,
    ) -> Option<Self> {
        let mut head = String::new();
        while let Some(token) = tokens.peek() {
            match token {
                TokenTree::Ident(ident) => {
                    if head.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                        return None;
                    }
                    write!(head, "{ident}").ok()?;
                }
                TokenTree::Punct(punct) if punct.as_char() == ':' => head.push(':'),
                TokenTree::Punct(punct) if punct.as_char() == '<' => {
                    tokens.next();
                    let mut args = Vec::new();
                    loop {
                        args.push(Self::parse(tokens)?);
                        match tokens.next() {
                            Some(TokenTree::Punct(punct)) if punct.as_char() == ',' => {}
                            Some(TokenTree::Punct(punct)) if punct.as_char() == '>' => break,
                            _ => return None,
                        }
                    }
                    return Some(TypeText { head, args });
                }
                TokenTree::Punct(punct) if matches!(punct.as_char(), ',' | '>') => break,
                TokenTree::Group(group)
                    if group.delimiter() == Delimiter::Parenthesis && group.stream().is_empty() =>
                {
                    head.push_str("()");
                }
                _ => return None,
            }
            tokens.next();
        }
        (!head.is_empty()).then_some(TypeText {
            head,
            args: Vec::new(),
        })
    }

    /// On one line.
    fn flat(&self) -> String {
        let mut out = self.head.clone();
        self.write_args(&mut out);
        out
    }

    fn write_args(&self, out: &mut String) {
        if let Some((first, rest)) = self.args.split_first() {
            out.push('<');
            out.push_str(&first.flat());
            for arg in rest {
                out.push_str(", ");
                out.push_str(&arg.flat());
            }
            out.push('>');
        }
    }
}

/// Source text, a line at a time; `None` from any line this pass cannot lay out.
struct Lines {
    out: String,
}

impl Lines {
    fn line(&mut self, indent: usize, text: &str) -> Option<()> {
        fits(indent, text.len()).then(|| {
            self.out.extend(std::iter::repeat_n(' ', indent));
            self.out.push_str(text);
            self.out.push('\n');
        })
    }

    /// `prefix ty` then `counted` (and `uncounted`, as in [`Lines::call_then`]): on one
    /// line when it fits, else the generic arguments one a line, each laid out alike.
    fn ty(
        &mut self,
        indent: usize,
        prefix: &str,
        ty: &TypeText,
        counted: &str,
        uncounted: &str,
    ) -> Option<()> {
        let whole = format!("{prefix}{}{counted}", ty.flat());
        if fits(indent, whole.len()) {
            return self.line(indent, &format!("{whole}{uncounted}"));
        }
        if ty.args.is_empty() {
            return None;
        }
        self.line(indent, &format!("{prefix}{}<", ty.head))?;
        for (at, arg) in ty.args.iter().enumerate() {
            // The last comma is written at a break not taken.
            let (counted, uncounted) = if at + 1 == ty.args.len() {
                ("", ",")
            } else {
                (",", "")
            };
            self.ty(indent + INDENT, "", arg, counted, uncounted)?;
        }
        self.line(indent, &format!(">{counted}{uncounted}"))
    }

    /// `text` then `uncounted`, which prettyplease writes after the last break it
    /// measures (an arm's comma) and so does not count towards the fit.
    fn line_then(&mut self, indent: usize, text: &str, uncounted: &str) -> Option<()> {
        self.line(indent, text)?;
        self.out.pop();
        self.out.push_str(uncounted);
        self.out.push('\n');
        Some(())
    }

    /// A line that may run past the margin, as prettyplease lets a line with no break.
    fn overlong_line(&mut self, indent: usize, text: &str) {
        self.out.extend(std::iter::repeat_n(' ', indent));
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// `head for name {`: on one line when it fits, else broken before `for`.
    fn impl_header(&mut self, head: &str, name: &str) -> Option<()> {
        let whole = format!("{head} for {name} {{");
        if fits(0, whole.len()) {
            return self.line(0, &whole);
        }
        self.line(0, head)?;
        self.line(0, &format!("for {name} {{"))
    }

    /// A doc comment line (`marker` is `///` or `//!`) of the doc attribute `text`, as
    /// prettyplease writes one: trailing spaces trimmed, never broken.
    fn doc(&mut self, indent: usize, marker: &str, text: &str) -> Option<()> {
        if text.contains('\n') {
            return None;
        }
        self.out.extend(std::iter::repeat_n(' ', indent));
        self.out.push_str(marker);
        self.out.push_str(text.trim_end_matches(' '));
        self.out.push('\n');
        Some(())
    }

    /// Doc comment lines from doc lines, each written ` line` as the tokens hold it.
    fn docs(&mut self, indent: usize, docs: &[String]) -> Option<()> {
        for line in docs {
            if line.is_empty() {
                self.doc(indent, "///", "")?;
            } else {
                self.doc(indent, "///", &format!(" {line}"))?;
            }
        }
        Some(())
    }

    /// `head(args...)` then `suffix`: on one line when it fits, else the arguments one
    /// per line (prettyplease's consistent break of a call).
    fn call(&mut self, indent: usize, head: &str, args: &[&str], suffix: &str) -> Option<()> {
        self.call_then(indent, head, args, suffix, "")
    }

    /// [`Lines::call`], then `uncounted`: text prettyplease writes at a break it does not
    /// take (the trailing comma of a last field), which does not count towards the fit.
    fn call_then(
        &mut self,
        indent: usize,
        head: &str,
        args: &[&str],
        suffix: &str,
        uncounted: &str,
    ) -> Option<()> {
        let whole = format!("{head}({}){suffix}", args.join(", "));
        if fits(indent, whole.len()) {
            self.line(indent, &whole)?;
            self.out.pop();
            self.out.push_str(uncounted);
            self.out.push('\n');
            return Some(());
        }
        self.line(indent, &format!("{head}("))?;
        for arg in args {
            self.line(indent + INDENT, &format!("{arg},"))?;
        }
        self.line(indent, &format!("){suffix}{uncounted}"))
    }

    /// `prefix receiver.method(args...)` then `suffix`: on one line when it fits, else
    /// broken before the dot, then (if still too long) the arguments one per line.
    fn method_call(
        &mut self,
        indent: usize,
        prefix: &str,
        receiver: &str,
        method: &str,
        args: &[&str],
        suffix: &str,
    ) -> Option<()> {
        let whole = format!("{prefix}{receiver}.{method}({}){suffix}", args.join(", "));
        if fits(indent, whole.len()) {
            return self.line(indent, &whole);
        }
        self.line(indent, &format!("{prefix}{receiver}"))?;
        self.call(indent + INDENT, &format!(".{method}"), args, suffix)
    }

    /// A match arm whose body is a call: `pat => call,` when it fits (the comma is not
    /// counted, as prettyplease does not), else the body in braces.
    fn arm(&mut self, indent: usize, pattern: &str, head: &str, args: &[&str]) -> Option<()> {
        let body = format!("{head}({})", args.join(", "));
        let whole = format!("{pattern} => {body}");
        if fits(indent, whole.len()) {
            self.out.extend(std::iter::repeat_n(' ', indent));
            self.out.push_str(&whole);
            self.out.push_str(",\n");
            return Some(());
        }
        self.line(indent, &format!("{pattern} => {{"))?;
        self.call(indent + INDENT, head, args, "")?;
        self.line(indent, "}")
    }
}

fn fits(indent: usize, len: usize) -> bool {
    indent + len <= MARGIN
}

fn string_literal(text: &str) -> String {
    Literal::string(text).to_string()
}

/// What a string enum's file is made of, as text.
pub(super) struct EnumText<'a> {
    pub module_doc: &'a str,
    pub docs: &'a [String],
    pub derives: &'a [&'a str],
    pub name: &'a str,
    pub variants: &'a [String],
    /// Each variant's doc line (the value, quoted as in the docs).
    pub value_docs: &'a [String],
    /// Each variant's value on the wire.
    pub values: &'a [&'a str],
    /// The variant of unlisted values, in an open enum.
    pub unknown: Option<&'a str>,
    /// What a closed enum's error says it expected.
    pub expected: &'a str,
}

impl EnumText<'_> {
    /// The module doc, the enum, `value`, `Default` (of a one-value enum) and the serde
    /// impls, as prettyplease prints them.
    pub(super) fn render(&self) -> Option<String> {
        if PRELUDE.contains(&self.name) || self.values.len() != self.variants.len() {
            return None;
        }
        let mut lines = Lines {
            out: String::with_capacity(1024 + self.values.len() * 160),
        };
        let name = self.name;
        let literals: Vec<String> = self
            .values
            .iter()
            .map(|value| string_literal(value))
            .collect();
        lines.doc(0, "//!", self.module_doc)?;
        lines.docs(0, self.docs)?;
        lines.line(0, &format!("#[derive({})]", self.derives.join(", ")))?;
        if self.unknown.is_some() {
            lines.line(0, "#[non_exhaustive]")?;
        }
        lines.line(0, &format!("pub enum {name} {{"))?;
        for (variant, doc) in self.variants.iter().zip(self.value_docs) {
            lines.docs(INDENT, std::slice::from_ref(doc))?;
            lines.line(INDENT, &format!("{variant},"))?;
        }
        if let Some(unknown) = self.unknown {
            lines.docs(
                INDENT,
                &[
                    "A value this version of the spec does not list, kept as it was sent."
                        .to_owned(),
                ],
            )?;
            lines.line(INDENT, &format!("{unknown}(String),"))?;
        }
        lines.line(0, "}")?;

        lines.line(0, &format!("impl {name} {{"))?;
        let value_doc = if self.unknown.is_some() {
            "The value on the wire, known or not."
        } else {
            "The value on the wire."
        };
        lines.docs(INDENT, &[value_doc.to_owned()])?;
        lines.line(INDENT, "pub fn value(&self) -> &str {")?;
        lines.line(2 * INDENT, "match self {")?;
        for (variant, literal) in self.variants.iter().zip(&literals) {
            lines.line(3 * INDENT, &format!("Self::{variant} => {literal},"))?;
        }
        if let Some(unknown) = self.unknown {
            lines.line(3 * INDENT, &format!("Self::{unknown}(value) => value,"))?;
        }
        for close in [2 * INDENT, INDENT, 0] {
            lines.line(close, "}")?;
        }

        if let [only] = self.variants {
            lines.docs(0, &["The only documented value.".to_owned()])?;
            lines.line(0, &format!("impl Default for {name} {{"))?;
            lines.line(INDENT, "fn default() -> Self {")?;
            lines.line(2 * INDENT, &format!("Self::{only}"))?;
            lines.line(INDENT, "}")?;
            lines.line(0, "}")?;
        }

        lines.impl_header("impl serde::Serialize", name)?;
        lines.line(
            INDENT,
            "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {",
        )?;
        lines.line(2 * INDENT, "serializer.serialize_str(self.value())")?;
        lines.line(INDENT, "}")?;
        lines.line(0, "}")?;
        self.deserialize(&mut lines, &literals)?;
        Some(lines.out)
    }

    fn deserialize(&self, lines: &mut Lines, literals: &[String]) -> Option<()> {
        lines.impl_header("impl<'de> serde::Deserialize<'de>", self.name)?;
        // The layout prettyplease gives these lines, whatever the enum: each is a few
        // columns too long to stay whole.
        for (indent, text) in [
            (INDENT, "fn deserialize<D: serde::Deserializer<'de>>("),
            (2 * INDENT, "deserializer: D,"),
            (INDENT, ") -> Result<Self, D::Error> {"),
            (2 * INDENT, "let value = <crate::support::Text<"),
            (3 * INDENT, "'de,"),
            (
                2 * INDENT,
                "> as serde::Deserialize>::deserialize(deserializer)?;",
            ),
            (2 * INDENT, "Ok("),
            (3 * INDENT, "match value.as_str() {"),
        ] {
            lines.line(indent, text)?;
        }
        let arms = 4 * INDENT;
        for (variant, literal) in self.variants.iter().zip(literals) {
            lines.line(arms, &format!("{literal} => Self::{variant},"))?;
        }
        match self.unknown {
            Some(unknown) => {
                lines.line(arms, &format!("_ => Self::{unknown}(value.into_string()),"))?;
            }
            None => {
                let expected = string_literal(self.expected);
                lines.line(arms, "_ => {")?;
                lines.line(arms + INDENT, "return Err(")?;
                lines.line(
                    arms + 2 * INDENT,
                    "<D::Error as serde::de::Error>::invalid_value(",
                )?;
                lines.line(
                    arms + 3 * INDENT,
                    "serde::de::Unexpected::Str(value.as_str()),",
                )?;
                // A string is never broken: a long one runs past the margin.
                lines.overlong_line(arms + 3 * INDENT, &format!("&{expected},"));
                lines.line(arms + 2 * INDENT, "),")?;
                lines.line(arms + INDENT, ");")?;
                lines.line(arms, "}")?;
            }
        }
        for (indent, text) in [
            (3 * INDENT, "},"),
            (2 * INDENT, ")"),
            (INDENT, "}"),
            (0, "}"),
        ] {
            lines.line(indent, text)?;
        }
        Some(())
    }
}

impl StructText<'_> {
    /// The module doc, the struct and its `FIELDS` and `new`, as prettyplease prints them.
    pub(super) fn render(&self) -> Option<String> {
        if PRELUDE.contains(&self.name) {
            return None;
        }
        let mut lines = Lines {
            out: String::with_capacity(512 + self.fields.len() * 320),
        };
        lines.doc(0, "//!", self.module_doc)?;
        lines.docs(0, self.docs)?;
        lines.line(0, &format!("#[derive({})]", self.derives.join(", ")))?;
        lines.line(0, "#[non_exhaustive]")?;
        self.allow_deprecated(&mut lines)?;
        if self.fields.is_empty() {
            lines.line(0, &format!("pub struct {} {{}}", self.name))?;
        } else {
            lines.line(0, &format!("pub struct {} {{", self.name))?;
            for field in self.fields {
                lines.docs(INDENT, field.docs)?;
                if field.deprecated {
                    lines.line(INDENT, "#[deprecated]")?;
                }
                lines.ty(
                    INDENT,
                    &format!("pub {}: ", field.ident),
                    &field.ty,
                    ",",
                    "",
                )?;
            }
            lines.line(0, "}")?;
        }
        self.allow_deprecated(&mut lines)?;
        lines.line(0, &format!("impl {} {{", self.name))?;
        lines.docs(
            INDENT,
            &["The JSON keys of the documented fields.".to_owned()],
        )?;
        self.field_names(&mut lines)?;
        lines.doc(INDENT, "///", &format!(" {}", self.new_doc))?;
        self.constructor(&mut lines)?;
        lines.line(0, "}")?;
        Some(lines.out)
    }

    fn allow_deprecated(&self, lines: &mut Lines) -> Option<()> {
        if self.allow_deprecated {
            lines.line(0, "#[allow(deprecated)]")?;
        }
        Some(())
    }

    /// `FIELDS`: on one line when it fits, else a name a line (strings are not filled).
    fn field_names(&self, lines: &mut Lines) -> Option<()> {
        let head = "pub const FIELDS: &'static [&'static str] = &[";
        let names: Vec<String> = self
            .wire_names
            .iter()
            .map(|name| string_literal(name))
            .collect();
        let whole = format!("{head}{}];", names.join(", "));
        if fits(INDENT, whole.len()) {
            return lines.line(INDENT, &whole);
        }
        lines.line(INDENT, head)?;
        for name in &names {
            lines.line(2 * INDENT, &format!("{name},"))?;
        }
        lines.line(INDENT, "];")
    }

    /// `new`: its parameters on one line or one a line, then the struct literal.
    fn constructor(&self, lines: &mut Lines) -> Option<()> {
        let params: Vec<&FieldText> = self
            .fields
            .iter()
            .filter(|field| field.init.is_none())
            .collect();
        // `new` takes exactly the required fields, however many the spec has.
        if params.len() > 7 {
            lines.line(INDENT, "#[allow(clippy::too_many_arguments)]")?;
        }
        let flat: Vec<String> = params
            .iter()
            .map(|field| format!("{}: {}", field.ident, field.ty.flat()))
            .collect();
        let whole = format!("pub fn new({}) -> Self {{", flat.join(", "));
        if fits(INDENT, whole.len()) {
            lines.line(INDENT, &whole)?;
        } else {
            lines.line(INDENT, "pub fn new(")?;
            for (at, field) in params.iter().enumerate() {
                let (counted, uncounted) = if at + 1 == params.len() {
                    ("", ",")
                } else {
                    (",", "")
                };
                let prefix = format!("{}: ", field.ident);
                lines.ty(2 * INDENT, &prefix, &field.ty, counted, uncounted)?;
            }
            lines.line(INDENT, ") -> Self {")?;
        }
        let inits: Vec<String> = self
            .fields
            .iter()
            .map(|field| match field.init {
                None => field.ident.clone(),
                Some(value) => format!("{}: {value}", field.ident),
            })
            .collect();
        let body = 2 * INDENT;
        let literal = if inits.is_empty() {
            "Self {}".to_owned()
        } else {
            format!("Self {{ {} }}", inits.join(", "))
        };
        if literal.len() - 1 <= STRUCT_LITERAL_WIDTH {
            lines.line(body, &literal)?;
        } else {
            lines.line(body, "Self {")?;
            for init in &inits {
                lines.line(body + INDENT, &format!("{init},"))?;
            }
            lines.line(body, "}")?;
        }
        lines.line(INDENT, "}")
    }
}

impl ObjectText<'_> {
    /// The `Serialize`, `Deserialize` and `FromObject` impls, as prettyplease prints them
    /// (before blank lines are put between items).
    pub(super) fn render(&self) -> Option<String> {
        if PRELUDE.contains(&self.name) {
            return None;
        }
        let mut lines = Lines {
            out: String::with_capacity(256 + self.fields.len() * 240),
        };
        self.serialize(&mut lines)?;
        self.deserialize(&mut lines)?;
        self.read_impl(&mut lines)?;
        Some(lines.out)
    }

    fn written(&self) -> impl Iterator<Item = &WireField> {
        self.fields
            .iter()
            .filter(|field| field.access != Access::Skipped)
    }

    fn serialize(&self, lines: &mut Lines) -> Option<()> {
        if self.allow_deprecated {
            lines.line(0, "#[allow(deprecated)]")?;
        }
        lines.impl_header("impl serde::Serialize", self.name)?;
        lines.line(
            INDENT,
            "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {",
        )?;
        let body = 2 * INDENT;
        match &self.extra {
            Some(extra) => {
                lines.line(body, "use serde::ser::SerializeMap as _;")?;
                lines.line(body, "let mut object = serializer.serialize_map(None)?;")?;
                self.entries(lines, true)?;
                lines.line(body, &format!("for (key, value) in &self.{extra} {{"))?;
                lines.line(body + INDENT, "object.serialize_entry(key, value)?;")?;
                lines.line(body, "}")?;
            }
            None if self.written().next().is_none() => {
                lines.line(body, "use serde::ser::SerializeStruct as _;")?;
                let name = string_literal(self.name);
                // A longer chain of calls is left to prettyplease.
                lines.line(
                    body,
                    &format!("serializer.serialize_struct({name}, 0)?.end()"),
                )?;
                lines.line(INDENT, "}")?;
                return lines.line(0, "}");
            }
            None => {
                lines.line(body, "use serde::ser::SerializeStruct as _;")?;
                self.length(lines)?;
                let name = string_literal(self.name);
                lines.method_call(
                    body,
                    "let mut object = ",
                    "serializer",
                    "serialize_struct",
                    &[&name, "len"],
                    "?;",
                )?;
                self.entries(lines, false)?;
            }
        }
        lines.line(body, "object.end()")?;
        lines.line(INDENT, "}")?;
        lines.line(0, "}")
    }

    /// `let len = 2 + usize::from(..) + ...;`, filled as prettyplease fills a `+` chain:
    /// each `+ term` goes on the line if it fits (the last with its `;`), else on a new
    /// line one indent deeper.
    fn length(&self, lines: &mut Lines) -> Option<()> {
        let always = self
            .written()
            .filter(|field| !field.access.written_when_some())
            .count();
        let mut terms: Vec<String> = Vec::new();
        if always > 0 {
            terms.push(always.to_string());
        }
        terms.extend(
            self.written()
                .filter(|field| field.access.written_when_some())
                .map(|field| format!("usize::from(self.{}.is_some())", field.ident)),
        );
        let body = 2 * INDENT;
        let mut terms = terms.iter();
        let mut current = format!("let len = {}", terms.next()?);
        let mut indent = body;
        let mut rest = terms.peekable();
        while let Some(term) = rest.next() {
            let last = rest.peek().is_none();
            let segment = format!("+ {term}{}", if last { ";" } else { "" });
            if fits(indent, current.len() + 1 + segment.len()) {
                current.push(' ');
                current.push_str(&segment);
            } else {
                lines.line(indent, &current)?;
                indent = body + INDENT;
                current = segment;
            }
        }
        if !current.ends_with(';') {
            current.push(';');
        }
        lines.line(indent, &current)
    }

    fn entries(&self, lines: &mut Lines, map: bool) -> Option<()> {
        let body = 2 * INDENT;
        for field in self.written() {
            let wire = string_literal(&field.wire);
            let value = format!("&self.{}", field.ident);
            if field.access.written_when_some() {
                let helper = if map {
                    "crate::support::entry_if_some"
                } else {
                    "crate::support::field_if_some"
                };
                lines.call(body, helper, &["&mut object", &wire, &value], "?;")?;
            } else {
                let method = if map {
                    "serialize_entry"
                } else {
                    "serialize_field"
                };
                lines.method_call(body, "", "object", method, &[&wire, &value], "?;")?;
            }
        }
        Some(())
    }

    fn deserialize(&self, lines: &mut Lines) -> Option<()> {
        lines.impl_header("impl<'de> serde::Deserialize<'de>", self.name)?;
        // Two columns past the margin on one line, whatever the model.
        lines.line(INDENT, "fn deserialize<D: serde::Deserializer<'de>>(")?;
        lines.line(2 * INDENT, "deserializer: D,")?;
        lines.line(INDENT, ") -> Result<Self, D::Error> {")?;
        lines.line(2 * INDENT, "crate::support::read_object(deserializer)")?;
        lines.line(INDENT, "}")?;
        lines.line(0, "}")
    }

    fn read_impl(&self, lines: &mut Lines) -> Option<()> {
        let (map, key) = (&self.map, &self.key);
        if self.allow_deprecated {
            lines.line(0, "#[allow(deprecated)]")?;
        }
        lines.impl_header("impl<'de> crate::support::FromObject<'de>", self.name)?;
        let expecting = string_literal(&format!("struct {}", self.name));
        // A string is never broken: a long one runs past the margin.
        lines.overlong_line(
            INDENT,
            &format!("const EXPECTING: &'static str = {expecting};"),
        );
        lines.line(
            INDENT,
            &format!(
                "fn from_object<A: serde::de::MapAccess<'de>>(mut {map}: A) -> Result<Self, A::Error> {{"
            ),
        )?;
        let body = 2 * INDENT;
        for field in self.written() {
            lines.line(body, &format!("let mut {} = None;", field.ident))?;
        }
        if let Some(extra) = &self.extra {
            lines.line(
                body,
                &format!("let mut {extra} = std::collections::BTreeMap::new();"),
            )?;
        }
        if self.written().next().is_none() {
            self.read_loop_without_keys(lines)?;
            self.construct(lines)?;
            lines.line(INDENT, "}")?;
            return lines.line(0, "}");
        }
        lines.line(
            body,
            &format!("while let Some({key}) = {map}.next_key::<crate::support::Text<'de>>()? {{"),
        )?;
        let arms = body + 2 * INDENT;
        lines.line(body + INDENT, &format!("match {key}.as_str() {{"))?;
        let map_arg = format!("&mut {map}");
        for field in self.written() {
            let wire = string_literal(&field.wire);
            let slot = format!("&mut {}", field.ident);
            let helper = if field.access == Access::NonNull {
                "crate::support::non_null_field"
            } else {
                "crate::support::field"
            };
            lines.arm(arms, &wire, helper, &[&map_arg, &slot, &wire])?;
        }
        match &self.extra {
            Some(extra) => {
                let extra = format!("&mut {extra}");
                lines.arm(
                    arms,
                    "_",
                    "crate::support::extra_entry",
                    &[&map_arg, &extra, key],
                )?;
            }
            None => lines.arm(arms, "_", "crate::support::skip", &[&map_arg])?,
        }
        lines.line(body + INDENT, "}?;")?;
        lines.line(body, "}")?;
        self.construct(lines)?;
        lines.line(INDENT, "}")?;
        lines.line(0, "}")
    }

    /// The read loop of an object without documented keys: every entry skipped or kept.
    fn read_loop_without_keys(&self, lines: &mut Lines) -> Option<()> {
        let (map, key) = (&self.map, &self.key);
        let body = 2 * INDENT;
        let map_arg = format!("&mut {map}");
        match &self.extra {
            Some(extra) => {
                lines.line(
                    body,
                    &format!(
                        "while let Some({key}) = {map}.next_key::<crate::support::Text<'de>>()? {{"
                    ),
                )?;
                let extra = format!("&mut {extra}");
                lines.call(
                    body + INDENT,
                    "crate::support::extra_entry",
                    &[&map_arg, &extra, key],
                    "?;",
                )?;
            }
            None => {
                lines.line(
                    body,
                    &format!("while {map}.next_key::<serde::de::IgnoredAny>()?.is_some() {{"),
                )?;
                lines.call(body + INDENT, "crate::support::skip", &[&map_arg], "?;")?;
            }
        }
        lines.line(body, "}")
    }

    /// `Ok(Self { .. })`: on one line when the literal is narrow enough, else a field a
    /// line.
    fn construct(&self, lines: &mut Lines) -> Option<()> {
        let mut inits: Vec<String> = self
            .fields
            .iter()
            .map(|field| {
                let ident = &field.ident;
                match field.access {
                    Access::Required | Access::NonNull => format!(
                        "{ident}: {REQUIRED}({ident}, {})?",
                        string_literal(&field.wire)
                    ),
                    Access::RequiredOption | Access::Optional => {
                        format!("{ident}: {ident}.flatten()")
                    }
                    Access::Present => ident.to_string(),
                    Access::Defaulted => format!("{ident}: {ident}.unwrap_or_default()"),
                    Access::Skipped => format!("{ident}: Default::default()"),
                }
            })
            .collect();
        inits.extend(self.extra.clone());
        let body = 2 * INDENT;
        let literal = if inits.is_empty() {
            "Self {}".to_owned()
        } else {
            format!("Self {{ {} }}", inits.join(", "))
        };
        if literal.len() - 1 <= STRUCT_LITERAL_WIDTH {
            return lines.line(body, &format!("Ok({literal})"));
        }
        lines.line(body, "Ok(Self {")?;
        for (at, (init, field)) in inits.iter().zip(self.fields).enumerate() {
            // The last comma is written at a break not taken.
            let last = at + 1 == inits.len();
            let (counted, uncounted) = if last { ("", ",") } else { (",", "") };
            match field.access {
                Access::Required | Access::NonNull => {
                    let ident = field.ident.to_string();
                    let wire = string_literal(&field.wire);
                    lines.call_then(
                        body + INDENT,
                        &format!("{ident}: {REQUIRED}"),
                        &[&ident, &wire],
                        &format!("?{counted}"),
                        uncounted,
                    )?;
                }
                // A field whose value would break otherwise is left to prettyplease.
                _ => lines.line(body + INDENT, &format!("{init},"))?,
            }
        }
        if let Some(extra) = &self.extra {
            lines.line(body + INDENT, &format!("{extra},"))?;
        }
        lines.line(body, "})")
    }
}
