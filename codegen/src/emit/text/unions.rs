//! Emission, text pass: a union model's file (its enum, serde impls, and the `Tagged`
//! and `Untagged` impls that read it) as prettyplease prints it.

use super::{INDENT, Lines, PRELUDE, TypeText};

/// A union member's variant as text.
pub(in crate::emit) struct MemberText {
    pub variant: String,
    /// Its doc line, as the doc attribute holds it (` Generated from ...`).
    pub doc: String,
    pub ty: TypeText,
}

/// A match arm as text.
pub(in crate::emit) struct Arm {
    pub pattern: String,
    pub body: Body,
}

/// A match arm's body.
pub(in crate::emit) enum Body {
    /// `head(args...)`: a call, of a function or a method (`rest.member`).
    Call { head: String, args: Vec<String> },
    /// Any other expression: kept on the arm's line, else left to prettyplease.
    Whole(String),
}

impl Body {
    pub(in crate::emit) fn call<S: Into<String>>(
        head: &str,
        args: impl IntoIterator<Item = S>,
    ) -> Self {
        Body::Call {
            head: head.to_owned(),
            args: args.into_iter().map(Into::into).collect(),
        }
    }
}

/// A member the union's `Untagged` impl tries by shape, as text.
pub(in crate::emit) struct ShapeMember {
    /// The member's name, a string literal.
    pub name: String,
    /// The `Shape` expression.
    pub shape: String,
    /// The keys it is matched against: `crate::X::FIELDS` or `&[]`.
    pub fields: String,
    pub variant: String,
}

/// What a union's file is made of, as text.
pub(in crate::emit) struct UnionText<'a> {
    pub module_doc: &'a str,
    pub docs: &'a [String],
    pub derives: &'a [&'a str],
    pub name: &'a str,
    /// The model's title, a string literal.
    pub title: &'a str,
    pub members: &'a [MemberText],
    /// An open union's variant of unlisted members, with its doc line.
    pub unknown: Option<(&'a str, &'a str)>,
    pub serialize_arms: &'a [Arm],
    /// The tag (a string literal) and the arms of `Tagged::read`, for a tagged union.
    pub tagged: Option<(&'a str, &'a [Arm])>,
    /// The members `Untagged::members` lists, when it is written.
    pub by_shape: Option<&'a [ShapeMember]>,
}

impl UnionText<'_> {
    /// The module doc, the enum and its impls, as prettyplease prints them.
    pub(in crate::emit) fn render(&self) -> Option<String> {
        if PRELUDE.contains(&self.name) {
            return None;
        }
        let mut lines = Lines {
            out: String::with_capacity(1024 + self.members.len() * 400),
        };
        self.enumeration(&mut lines)?;
        self.serialize(&mut lines)?;
        self.deserialize(&mut lines)?;
        if let Some((tag, arms)) = self.tagged {
            self.tagged_read(&mut lines, tag, arms)?;
        }
        if let Some(members) = self.by_shape {
            self.untagged_members(&mut lines, members)?;
        }
        Some(lines.out)
    }

    fn enumeration(&self, lines: &mut Lines) -> Option<()> {
        lines.doc(0, "//!", self.module_doc)?;
        lines.docs(0, self.docs)?;
        lines.line(0, &format!("#[derive({})]", self.derives.join(", ")))?;
        if self.unknown.is_some() {
            lines.line(0, "#[non_exhaustive]")?;
        }
        lines.line(0, "#[allow(clippy::enum_variant_names)]")?;
        lines.line(0, "#[allow(clippy::large_enum_variant)]")?;
        lines.line(0, &format!("pub enum {} {{", self.name))?;
        for member in self.members {
            lines.doc(INDENT, "///", &member.doc)?;
            let whole = format!("{}({}),", member.variant, member.ty.flat());
            if super::fits(INDENT, whole.len()) {
                lines.line(INDENT, &whole)?;
            } else {
                // The type alone on its line, as a call's one argument.
                lines.line(INDENT, &format!("{}(", member.variant))?;
                lines.ty(2 * INDENT, "", &member.ty, "", ",")?;
                lines.line(INDENT, "),")?;
            }
        }
        if let Some((unknown, doc)) = self.unknown {
            lines.doc(INDENT, "///", doc)?;
            lines.line(INDENT, &format!("{unknown}(serde_json::Value),"))?;
        }
        lines.line(0, "}")
    }

    fn serialize(&self, lines: &mut Lines) -> Option<()> {
        lines.impl_header("impl serde::Serialize", self.name)?;
        lines.line(
            INDENT,
            "fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {",
        )?;
        lines.line(2 * INDENT, "match self {")?;
        for arm in self.serialize_arms {
            union_arm(lines, 3 * INDENT, arm)?;
        }
        close(lines, &[2 * INDENT, INDENT, 0])
    }

    fn deserialize(&self, lines: &mut Lines) -> Option<()> {
        lines.impl_header("impl<'de> serde::Deserialize<'de>", self.name)?;
        // Too long for one line whatever the union: prettyplease breaks the parameters.
        lines.line(INDENT, "fn deserialize<D: serde::Deserializer<'de>>(")?;
        lines.line(2 * INDENT, "deserializer: D,")?;
        lines.line(INDENT, ") -> Result<Self, D::Error> {")?;
        let read = if self.tagged.is_some() {
            "crate::support::read_tagged(deserializer)"
        } else {
            "crate::support::read_untagged(deserializer)"
        };
        lines.line(2 * INDENT, read)?;
        close(lines, &[INDENT, 0])
    }

    fn tagged_read(&self, lines: &mut Lines, tag: &str, arms: &[Arm]) -> Option<()> {
        lines.impl_header("impl crate::support::Tagged", self.name)?;
        lines.line(
            INDENT,
            &format!("const NAME: &'static str = {};", self.title),
        )?;
        lines.line(INDENT, &format!("const TAG: &'static str = {tag};"))?;
        for (indent, text) in [
            (INDENT, "fn read<'de, A: serde::de::MapAccess<'de>>("),
            (2 * INDENT, "tag: Option<&str>,"),
            (2 * INDENT, "rest: crate::support::Rest<'de, A>,"),
            (INDENT, ") -> Result<Self, A::Error> {"),
            (2 * INDENT, "match tag {"),
        ] {
            lines.line(indent, text)?;
        }
        for arm in arms {
            union_arm(lines, 3 * INDENT, arm)?;
        }
        close(lines, &[2 * INDENT, INDENT, 0])
    }

    fn untagged_members(&self, lines: &mut Lines, members: &[ShapeMember]) -> Option<()> {
        lines.impl_header("impl crate::support::Untagged", self.name)?;
        lines.line(
            INDENT,
            &format!("const NAME: &'static str = {};", self.title),
        )?;
        lines.line(
            INDENT,
            "fn members<M: crate::support::Members<Self>>(members: &mut M) {",
        )?;
        for member in members {
            let variant = format!("Self::{}", member.variant);
            lines.method_call(
                2 * INDENT,
                "",
                "members",
                "member",
                &[&member.name, &member.shape, &member.fields, &variant],
                ";",
            )?;
        }
        close(lines, &[INDENT, 0])
    }
}

/// `pattern => body,` when it fits (the comma not counted), else the body in braces, a
/// call's arguments one per line (a method call too: in an arm prettyplease breaks its
/// arguments, not before its dot).
fn union_arm(lines: &mut Lines, indent: usize, arm: &Arm) -> Option<()> {
    match &arm.body {
        Body::Call { head, args } => {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            lines.arm(indent, &arm.pattern, head, &args)
        }
        Body::Whole(body) => {
            let whole = format!("{} => {body}", arm.pattern);
            super::fits(indent, whole.len()).then_some(())?;
            lines.line_then(indent, &whole, ",")
        }
    }
}

/// Closing braces, one a line at each indent.
fn close(lines: &mut Lines, indents: &[usize]) -> Option<()> {
    for &indent in indents {
        lines.line(indent, "}")?;
    }
    Some(())
}
