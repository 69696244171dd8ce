//! The overlay: `overlay.toml` at the spec root, which supplies the facts the markdown
//! lacks (wire names, nullability, presence, date formats, enum openness, union tags).
//!
//! ```toml
//! [spec]
//! json-names = "snake_case" # how the API names JSON keys ("camelCase", "as-documented")
//!
//! [models.Sharing]
//! open = true            # enums and tagged unions: accept unknown values
//! tag = "type"           # unions: the field that selects the member
//! tag-required = true    # tagged unions: a value without the tag is an error
//! direction = "response" # sent by the server ("request": sent by the client)
//!
//! [models.Sharing.fields.sharing_scope]
//! wire = "sharingScope"  # the JSON key
//! nullable = true
//! required = false
//! format = "date-time"   # or "date", for `date` fields
//! ```
//!
//! This module only parses the file into spanned plain data; lowering applies it.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic, FileId, Span};
use crate::ir::{DateFormat, Direction};

/// A parsed overlay, each setting with the span of its value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overlay {
    /// `[spec] json-names`: the API's JSON key convention, for every field whose key the
    /// overlay does not give.
    pub json_names: Option<Setting<JsonNames>>,
    pub models: BTreeMap<String, ModelOverlay>,
}

/// How an API names its JSON keys (`[spec] json-names`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum JsonNames {
    /// `merchant_account_id`.
    #[serde(rename = "snake_case")]
    SnakeCase,
    /// `merchantAccountId`.
    #[serde(rename = "camelCase")]
    CamelCase,
    /// Exactly the documented SDK name (less Python's reserved-word `_`).
    #[serde(rename = "as-documented")]
    AsDocumented,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelOverlay {
    /// The `[models.X]` key.
    pub span: Span,
    pub open: Option<Setting<bool>>,
    pub tag: Option<Setting<String>>,
    pub tag_required: Option<Setting<bool>>,
    pub direction: Option<Setting<Direction>>,
    pub fields: BTreeMap<String, FieldOverlay>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldOverlay {
    pub span: Span,
    pub wire: Option<Setting<String>>,
    pub nullable: Option<Setting<bool>>,
    pub required: Option<Setting<bool>>,
    pub format: Option<Setting<DateFormat>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDe {
    spec: Option<SpecDe>,
    #[serde(default)]
    models: BTreeMap<toml::Spanned<String>, ModelDe>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SpecDe {
    json_names: Option<toml::Spanned<JsonNames>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ModelDe {
    open: Option<toml::Spanned<bool>>,
    tag: Option<toml::Spanned<String>>,
    tag_required: Option<toml::Spanned<bool>>,
    direction: Option<toml::Spanned<Direction>>,
    #[serde(default)]
    fields: BTreeMap<toml::Spanned<String>, FieldDe>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldDe {
    wire: Option<toml::Spanned<String>>,
    nullable: Option<toml::Spanned<bool>>,
    required: Option<toml::Spanned<bool>>,
    format: Option<toml::Spanned<FormatDe>>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum FormatDe {
    Date,
    DateTime,
}

/// Parses the overlay file's text. A syntax error or an unknown key is one diagnostic.
pub fn parse(file: FileId, text: &str) -> Result<Overlay, Box<Diagnostic>> {
    let parsed: FileDe = toml::from_str(text).map_err(|error| {
        let span = error.span().map_or(Span::new(file, 0, 0), |range| {
            Span::new(file, range.start, range.end)
        });
        Box::new(
            Diagnostic::new(Code::OverlaySyntax, error.message().to_owned())
                .at(span, "here")
                .note("see the overlay format in README.md"),
        )
    })?;
    let span = |spanned_range: std::ops::Range<usize>| {
        Span::new(file, spanned_range.start, spanned_range.end)
    };
    let setting = |value: &toml::Spanned<bool>| Setting {
        value: *value.get_ref(),
        span: span(value.span()),
    };
    let text_setting = |value: &toml::Spanned<String>| Setting {
        value: value.get_ref().clone(),
        span: span(value.span()),
    };
    let models = parsed
        .models
        .iter()
        .map(|(name, model)| {
            let fields = model
                .fields
                .iter()
                .map(|(field, entry)| {
                    let overlay = FieldOverlay {
                        span: span(field.span()),
                        wire: entry.wire.as_ref().map(text_setting),
                        nullable: entry.nullable.as_ref().map(setting),
                        required: entry.required.as_ref().map(setting),
                        format: entry.format.as_ref().map(|format| Setting {
                            value: match format.get_ref() {
                                FormatDe::Date => DateFormat::Date,
                                FormatDe::DateTime => DateFormat::DateTime,
                            },
                            span: span(format.span()),
                        }),
                    };
                    (field.get_ref().clone(), overlay)
                })
                .collect();
            let overlay = ModelOverlay {
                span: span(name.span()),
                open: model.open.as_ref().map(setting),
                tag: model.tag.as_ref().map(text_setting),
                tag_required: model.tag_required.as_ref().map(setting),
                direction: model.direction.as_ref().map(|direction| Setting {
                    value: *direction.get_ref(),
                    span: span(direction.span()),
                }),
                fields,
            };
            (name.get_ref().clone(), overlay)
        })
        .collect();
    let json_names = parsed
        .spec
        .and_then(|spec| spec.json_names)
        .map(|names| Setting {
            value: *names.get_ref(),
            span: span(names.span()),
        });
    Ok(Overlay { json_names, models })
}
