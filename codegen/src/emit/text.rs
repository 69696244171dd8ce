//! Emission, text pass: the serde impls of an object model written out as formatted
//! source directly, byte for byte what prettyplease prints for their tokens, for a
//! fraction of the work (building, parsing and printing tokens is most of codegen's
//! time, and these impls are most of the tokens).
//!
//! It mimics only prettyplease's layout for the few statement forms these impls have:
//! a line kept whole when it fits the margin, a call's arguments one per line, a match
//! arm's body in braces, a `+` chain filled line by line, a struct literal kept on one
//! line up to prettyplease's width. Anything else (a prelude name the model shadows, a
//! method call that would break, a name too long for any line) gives `None`, and the
//! tokens are formatted instead. `tests/text_pass.rs` holds the two paths equal on every
//! corpus.

use proc_macro2::Literal;

use super::items::{Access, WireField};

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
        lines.line(0, &format!("impl serde::Serialize for {} {{", self.name))?;
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
        lines.line(
            0,
            &format!("impl<'de> serde::Deserialize<'de> for {} {{", self.name),
        )?;
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
        lines.line(
            0,
            &format!(
                "impl<'de> crate::support::FromObject<'de> for {} {{",
                self.name
            ),
        )?;
        let expecting = string_literal(&format!("struct {}", self.name));
        lines.line(
            INDENT,
            &format!("const EXPECTING: &'static str = {expecting};"),
        )?;
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
