//! Validation: a JSON instance against a model of the IR, with the semantics of the
//! presence table exactly as the generated Rust implements them, reporting every
//! problem with its JSON pointer, what the spec expected, what was found, and where the
//! spec says so.
//!
//! Drift hints (unknown keys, values outside an open enum's known set, nulls tolerated
//! where the docs do not say nullable) are warnings: valid, but a sign the docs lag.

mod fast;
mod keys;
mod scan;
mod stream;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;
use serde::de::IgnoredAny;
use serde_json::Value;

use crate::ir::{
    DateFormat, EnumRepr, Field, LiteralValue, Location, Model, ModelKind, Object, Presence, Spec,
    Type, Union,
};
use crate::shape;
use crate::tags;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

/// One problem (or drift hint) in an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub level: Level,
    /// RFC 6901 pointer into the instance (`""` is the whole instance).
    pub pointer: String,
    pub expected: String,
    pub found: String,
    /// The doc row (or title) that states the expectation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<Location>,
    /// For a union that matched no member: why each member failed, closest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberFailure>,
}

/// Why one union member did not accept a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberFailure {
    pub member: String,
    pub findings: Vec<Finding>,
}

#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error("the spec has no model `{0}`")]
    UnknownModel(String),
}

/// Validates one instance of `model`. Errors and warnings, in document order. For many
/// instances, build a [`Validator`] once instead.
pub fn validate(spec: &Spec, model: &str, instance: &Value) -> Result<Vec<Finding>, ValidateError> {
    Validator::new(spec).validate(model, instance)
}

/// A spec prepared for validation: each union's member table computed once.
#[derive(Debug)]
pub struct Validator<'s> {
    spec: &'s Spec,
    /// Keyed by the union model's address (see [`Validator::references`]).
    tagged: AddressMap<TagTable<'s>>,
    /// The JSON shapes each member of each union accepts, keyed by the union's address.
    shapes: AddressMap<Vec<u8>>,
    /// Every model reference of the spec, resolved once: keyed by the address of the
    /// name inside the IR, so the walk hashes an integer, not long similar titles.
    references: AddressMap<&'s Model>,
    /// Each object's fields by wire name, keyed by the object's address.
    fields: AddressMap<keys::FieldIndex>,
}

/// One model's [`Validator`] ([`Validator::of`]): what [`Validator::validate_json`] does,
/// without finding the model by name for every instance.
#[derive(Debug, Clone, Copy)]
pub struct ModelValidator<'v, 's> {
    tables: &'v Validator<'s>,
    model: &'s Model,
}

impl ModelValidator<'_, '_> {
    /// As [`Validator::validate_json`]: the findings, or the inner `Err` when the text is
    /// not JSON.
    pub fn validate_json(&self, json: &[u8]) -> Result<Vec<Finding>, String> {
        match std::str::from_utf8(json) {
            Ok(text) => self.validate_str(text),
            // serde_json words the error.
            Err(_) => self.tables.stream(self.model, json),
        }
    }

    /// [`ModelValidator::validate_json`] of a text already known to be UTF-8.
    pub fn validate_str(&self, json: &str) -> Result<Vec<Finding>, String> {
        // Most instances are clean: a walk over the bytes says so without serde_json.
        if fast::is_clean(self.tables, self.model, json) {
            return Ok(Vec::new());
        }
        self.tables.stream(self.model, json.as_bytes())
    }
}

/// A map keyed by the address of something inside the IR (which does not move while a
/// [`Validator`] borrows it).
type AddressMap<V> = HashMap<usize, V, BuildHasherDefault<AddressHasher>>;

/// Hashes an address with one multiplication: addresses are distinct, so SipHash's
/// protection against chosen keys buys nothing here and costs a lot per lookup.
#[derive(Debug, Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_usize(&mut self, value: usize) {
        self.0 = (value as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// The key of a model in the [`Validator`]'s tables.
fn address<T>(item: &T) -> usize {
    std::ptr::from_ref(item) as usize
}

#[derive(Debug)]
struct TagTable<'s> {
    wire_tag: &'s str,
    /// Each member with the text its tag value is matched by.
    members: Vec<(&'s Model, &'s Object, String)>,
    /// The members (indices into the union's) read by shape when the tag is absent.
    fallback: Vec<usize>,
    /// Whether an unknown tag keeps the value (as the generated `Unknown` member).
    open: bool,
    /// Whether every member's tag field has the wire name `wire_tag`, so a second tag key
    /// in an instance is a field seen twice while the member streams.
    uniform: bool,
}

impl<'s> Validator<'s> {
    pub fn new(spec: &'s Spec) -> Self {
        let mut tagged = AddressMap::default();
        let mut shapes = AddressMap::default();
        for model in spec.models.values() {
            let ModelKind::Union(union) = &model.kind else {
                continue;
            };
            if let Some(wire_tag) = tags::wire_tag(spec, union) {
                let members = tags::member_tags(spec, union);
                let uniform = members
                    .iter()
                    .all(|member| member.field.wire_name.value == wire_tag);
                let fallback = if tags::falls_back_to_shape(union) {
                    members
                        .iter()
                        .filter(|member| member.may_be_absent())
                        .map(|member| member.index)
                        .collect()
                } else {
                    Vec::new()
                };
                let members = members
                    .iter()
                    .map(|member| (member.model, member.object, member.key()))
                    .collect();
                let table = TagTable {
                    wire_tag,
                    members,
                    fallback,
                    open: tags::is_open(union),
                    uniform,
                };
                tagged.insert(address(model), table);
            }
            let member_shapes = union
                .members
                .iter()
                .map(|member| shape::of_type(spec, &member.ty))
                .collect();
            shapes.insert(address(model), member_shapes);
        }
        let mut references = AddressMap::default();
        let mut fields = AddressMap::default();
        for model in spec.models.values() {
            if let ModelKind::Object(object) = &model.kind {
                fields.insert(address(object), keys::FieldIndex::new(object));
            }
            let mut record = |ty: &'s Type| collect_references(spec, ty, &mut references);
            match &model.kind {
                ModelKind::Object(object) => {
                    for field in &object.fields {
                        record(&field.ty);
                    }
                    if let Some(extra) = &object.additional_properties {
                        record(&extra.value);
                    }
                }
                ModelKind::Union(union) => {
                    for member in &union.members {
                        record(&member.ty);
                    }
                }
                ModelKind::Enum(_) => {}
            }
        }
        Validator {
            spec,
            tagged,
            shapes,
            references,
            fields,
        }
    }

    /// The model a reference names: by the reference's address when it is one of the
    /// spec's (always, for the spec this validator was built from), else by name.
    fn resolve(&self, name: &'s String) -> Option<&'s Model> {
        self.references
            .get(&(name.as_ptr() as usize))
            .copied()
            .or_else(|| self.spec.models.get(name))
    }

    /// The fields of `object` by wire name (built on the spot for an object of another
    /// spec).
    fn field_index(&self, object: &Object) -> std::borrow::Cow<'_, keys::FieldIndex> {
        match self.fields.get(&address(object)) {
            Some(index) => std::borrow::Cow::Borrowed(index),
            None => std::borrow::Cow::Owned(keys::FieldIndex::new(object)),
        }
    }

    /// The tag table of a tagged union.
    fn tag_table(&self, union: &Model) -> Option<&TagTable<'s>> {
        self.tagged.get(&address(union))
    }

    /// The JSON shapes each member of a union accepts (empty for any other model).
    fn member_shapes(&self, union: &Model) -> &[u8] {
        self.shapes
            .get(&address(union))
            .map_or(&[][..], Vec::as_slice)
    }

    /// Validates the JSON text of one instance of `model` while parsing it, without
    /// building a `Value` (only union subtrees are buffered). The same findings as
    /// [`Validator::validate`] on the parsed value; the inner `Err` when the text is not
    /// JSON.
    pub fn validate_json(
        &self,
        model: &str,
        json: &[u8],
    ) -> Result<Result<Vec<Finding>, String>, ValidateError> {
        Ok(self.of(model)?.validate_json(json))
    }

    /// The validator of one model, found once for many instances of it.
    pub fn of(&self, model: &str) -> Result<ModelValidator<'_, 's>, ValidateError> {
        Ok(ModelValidator {
            tables: self,
            model: self.model(model)?,
        })
    }

    /// [`Validator::validate_json`] without its fast first pass: the streaming passes
    /// alone, which word every finding. For tests comparing the two.
    #[doc(hidden)]
    pub fn validate_json_streaming(
        &self,
        model: &str,
        json: &[u8],
    ) -> Result<Result<Vec<Finding>, String>, ValidateError> {
        let found = self.model(model)?;
        Ok(self.stream(found, json))
    }

    /// The fast first pass of [`Validator::validate_json`] alone: `true` when it finds
    /// the instance certainly clean (valid JSON, no finding of any level); `false` when
    /// it is not sure. For tests and measurements.
    #[doc(hidden)]
    pub fn is_certainly_clean(&self, model: &str, json: &[u8]) -> Result<bool, ValidateError> {
        let found = self.model(model)?;
        Ok(std::str::from_utf8(json).is_ok_and(|text| fast::is_clean(self, found, text)))
    }

    fn model(&self, model: &str) -> Result<&'s Model, ValidateError> {
        self.spec
            .models
            .get(model)
            .ok_or_else(|| ValidateError::UnknownModel(model.to_owned()))
    }

    /// The streaming passes: quick, then exact where the quick one gives up.
    fn stream(&self, found: &'s Model, json: &[u8]) -> Result<Vec<Finding>, String> {
        let mut walker = Walker {
            spec: self.spec,
            tables: self,
            findings: Vec::new(),
            quick: false,
            shallow: false,
            known: 0,
        };
        match stream::validate_json(&mut walker, found, json) {
            Ok(()) => Ok(walker.findings),
            Err(error) => Err(format!("not JSON: {error}")),
        }
    }

    /// Validates one instance of `model`. Errors and warnings, in document order.
    pub fn validate(&self, model: &str, instance: &Value) -> Result<Vec<Finding>, ValidateError> {
        let found = self
            .spec
            .models
            .get(model)
            .ok_or_else(|| ValidateError::UnknownModel(model.to_owned()))?;
        let mut walker = Walker {
            spec: self.spec,
            tables: self,
            findings: Vec::new(),
            quick: false,
            shallow: false,
            known: 0,
        };
        walker.model(found, instance, &mut Pointer::default(), None);
        Ok(walker.findings)
    }
}

/// A short description of a JSON value, for "found ...".
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        Value::String(text) => {
            let mut shown: String = text.chars().take(60).collect();
            if shown.len() < text.len() {
                shown.push_str("...");
            }
            format!("{shown:?}")
        }
        Value::Array(items) => format!("an array of {}", items.len()),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// Where the walk is in the instance: segments borrowed from the spec and the instance,
/// rendered as an RFC 6901 pointer only when something is reported.
#[derive(Debug, Clone, Default)]
struct Pointer<'a> {
    segments: Vec<Segment<'a>>,
}

#[derive(Debug, Clone)]
enum Segment<'a> {
    Key(&'a str),
    /// A key read while parsing, which lives no longer than its map entry.
    Owned(String),
    Index(usize),
}

impl<'a> Pointer<'a> {
    fn push_key(&mut self, key: &'a str) {
        self.segments.push(Segment::Key(key));
    }

    fn push_index(&mut self, index: usize) {
        self.segments.push(Segment::Index(index));
    }

    fn pop(&mut self) {
        self.segments.pop();
    }

    /// How many arrays and objects enclose the place.
    fn depth(&self) -> usize {
        self.segments.len()
    }

    fn push_owned(&mut self, key: String) {
        self.segments.push(Segment::Owned(key));
    }

    /// `~` and `/` in a key are escaped (RFC 6901).
    fn render(&self) -> String {
        let mut out = String::new();
        for segment in &self.segments {
            let key = match segment {
                Segment::Index(index) => {
                    out.push('/');
                    out.push_str(&index.to_string());
                    continue;
                }
                Segment::Key(key) => *key,
                Segment::Owned(key) => key.as_str(),
            };
            out.push('/');
            for c in key.chars() {
                match c {
                    '~' => out.push_str("~0"),
                    '/' => out.push_str("~1"),
                    c => out.push(c),
                }
            }
        }
        out
    }
}

struct Walker<'a> {
    spec: &'a Spec,
    tables: &'a Validator<'a>,
    findings: Vec<Finding>,
    /// Streaming's quick pass, which chooses a union's member without building its
    /// value and gives up (for the exact pass) on anything it cannot decide alone.
    quick: bool,
    /// Whether the quick pass is inside a union's text already scanned whole, and
    /// known to nest less deeply than serde_json allows.
    shallow: bool,
    /// How many documented keys the object streamed last held (the quick pass compares
    /// union members by it, as [`known_keys`] does).
    known: usize,
}

impl<'a> Walker<'a> {
    fn report(
        &mut self,
        level: Level,
        pointer: &Pointer<'_>,
        expected: String,
        found: String,
        spec: Option<&Location>,
    ) {
        self.findings.push(Finding {
            level,
            pointer: pointer.render(),
            expected,
            found,
            spec: spec.cloned(),
            members: Vec::new(),
        });
    }

    fn error(
        &mut self,
        pointer: &Pointer<'_>,
        expected: impl Into<String>,
        value: &Value,
        spec: Option<&Location>,
    ) {
        self.report(
            Level::Error,
            pointer,
            expected.into(),
            describe(value),
            spec,
        );
    }

    /// Validates `value` as `ty`; `at` is the doc row to cite.
    fn value<'v>(
        &mut self,
        ty: &'a Type,
        value: &'v Value,
        pointer: &mut Pointer<'v>,
        at: Option<&'a Location>,
    ) where
        'a: 'v,
    {
        match ty {
            Type::String | Type::Bytes => {
                if !value.is_string() {
                    self.error(pointer, "a string", value, at);
                }
            }
            Type::Integer => {
                if !value.is_i64() {
                    self.error(pointer, "an integer (64-bit)", value, at);
                }
            }
            Type::Float => {
                if !value.is_number() {
                    self.error(pointer, "a number", value, at);
                }
            }
            Type::Boolean => {
                if !value.is_boolean() {
                    self.error(pointer, "a boolean", value, at);
                }
            }
            Type::Any => {}
            Type::Date { format } => {
                let ok = value.as_str().is_some_and(|text| match format.value {
                    DateFormat::DateTime => text
                        .parse::<chrono::DateTime<chrono::FixedOffset>>()
                        .is_ok(),
                    DateFormat::Date => text.parse::<chrono::NaiveDate>().is_ok(),
                });
                if !ok {
                    let expected = match format.value {
                        DateFormat::DateTime => "an RFC 3339 date-time",
                        DateFormat::Date => "a date (YYYY-MM-DD)",
                    };
                    self.error(pointer, expected, value, at);
                }
            }
            Type::List(item) => match value {
                Value::Array(items) => {
                    for (index, element) in items.iter().enumerate() {
                        pointer.push_index(index);
                        self.value(item, element, pointer, at);
                        pointer.pop();
                    }
                }
                _ => self.error(pointer, "an array", value, at),
            },
            Type::Map(item) => match value {
                Value::Object(entries) => {
                    for (key, entry) in entries {
                        pointer.push_key(key);
                        self.value(item, entry, pointer, at);
                        pointer.pop();
                    }
                }
                _ => self.error(pointer, "an object", value, at),
            },
            Type::Nullable(inner) => {
                if !value.is_null() {
                    self.value(inner, value, pointer, at);
                }
            }
            Type::Literal(literal) => {
                if !literal_matches(literal, value) {
                    self.error(pointer, format!("the constant {literal}"), value, at);
                }
            }
            Type::Model(name) => match self.tables.resolve(name) {
                Some(model) => self.model(model, value, pointer, at),
                None => self.error(
                    pointer,
                    format!("`{name}` (missing from the spec)"),
                    value,
                    at,
                ),
            },
            Type::FileUpload | Type::SdkOnly | Type::EventStream(_) => {
                self.error(
                    pointer,
                    "nothing: an SDK-only type is never JSON",
                    value,
                    at,
                );
            }
        }
    }

    fn model<'v>(
        &mut self,
        model: &'a Model,
        value: &'v Value,
        pointer: &mut Pointer<'v>,
        at: Option<&'a Location>,
    ) where
        'a: 'v,
    {
        match &model.kind {
            ModelKind::Object(object) => self.object(model, object, value, pointer),
            ModelKind::Enum(enumeration) => {
                let right_kind = match enumeration.repr {
                    EnumRepr::String => value.is_string(),
                    EnumRepr::Integer => value.is_i64(),
                };
                let known = enumeration
                    .values
                    .iter()
                    .any(|known| literal_matches(&known.value, value));
                let listed = || {
                    let values: Vec<String> = enumeration
                        .values
                        .iter()
                        .map(|v| v.value.to_string())
                        .collect();
                    format!("one of {} (`{}`)", values.join(", "), model.name)
                };
                let at = at.or(Some(&model.location));
                if !right_kind {
                    let kind = match enumeration.repr {
                        EnumRepr::String => "a string",
                        EnumRepr::Integer => "an integer",
                    };
                    self.error(pointer, format!("{kind}: {}", listed()), value, at);
                } else if !known {
                    let level = if enumeration.open.value {
                        Level::Warning
                    } else {
                        Level::Error
                    };
                    let expected = if enumeration.open.value {
                        format!(
                            "{} (open: other values are accepted, but this one is not documented)",
                            listed()
                        )
                    } else {
                        listed()
                    };
                    self.report(level, pointer, expected, describe(value), at);
                }
            }
            ModelKind::Union(union) => self.union(model, union, value, pointer),
        }
    }

    fn object<'v>(
        &mut self,
        model: &'a Model,
        object: &'a Object,
        value: &'v Value,
        pointer: &mut Pointer<'v>,
    ) where
        'a: 'v,
    {
        let Value::Object(entries) = value else {
            self.error(
                pointer,
                format!("an object (`{}`)", model.name),
                value,
                Some(&model.location),
            );
            return;
        };
        let mut documented = 0;
        for field in &object.fields {
            if matches!(field.ty, Type::FileUpload | Type::SdkOnly) {
                continue;
            }
            pointer.push_key(&field.wire_name.value);
            match entries.get(&field.wire_name.value) {
                None => self.absent(field, pointer),
                Some(Value::Null) => {
                    documented += 1;
                    self.null(field, pointer);
                }
                Some(present) => {
                    documented += 1;
                    self.value(&field.ty, present, pointer, Some(&field.location));
                }
            }
            pointer.pop();
        }
        if documented == entries.len() {
            return; // every key is a documented field
        }
        for (key, entry) in entries {
            if object.fields.iter().any(|field| {
                &field.wire_name.value == key
                    && !matches!(field.ty, Type::FileUpload | Type::SdkOnly)
            }) {
                continue;
            }
            pointer.push_key(key);
            match &object.additional_properties {
                Some(extra) => self.value(&extra.value, entry, pointer, Some(&extra.location)),
                None => self.report(
                    Level::Warning,
                    pointer,
                    format!(
                        "only the documented keys of `{}` (this one is dropped when read)",
                        model.name
                    ),
                    format!("the key `{key}`"),
                    Some(&model.location),
                ),
            }
            pointer.pop();
        }
    }

    fn absent(&mut self, field: &Field, pointer: &Pointer<'_>) {
        if matches!(
            field.presence,
            Presence::Required | Presence::RequiredNullable
        ) {
            self.report(
                Level::Error,
                pointer,
                format!("the required field `{}`", field.wire_name.value),
                "nothing (the key is missing)".to_owned(),
                Some(&field.location),
            );
        }
    }

    fn null(&mut self, field: &Field, pointer: &Pointer<'_>) {
        let at = Some(&field.location);
        match field.presence {
            Presence::RequiredNullable | Presence::OptionalNullable => {}
            Presence::Optional => self.report(
                Level::Warning,
                pointer,
                format!(
                    "`{}` absent or a value (null is read as absent; the docs do not say nullable)",
                    field.wire_name.value
                ),
                "null".to_owned(),
                at,
            ),
            Presence::Required | Presence::Defaulted => self.report(
                Level::Error,
                pointer,
                format!(
                    "a value for `{}` (the docs do not say nullable)",
                    field.wire_name.value
                ),
                "null".to_owned(),
                at,
            ),
        }
    }

    fn union<'v>(
        &mut self,
        model: &'a Model,
        union: &'a Union,
        value: &'v Value,
        pointer: &mut Pointer<'v>,
    ) where
        'a: 'v,
    {
        match &union.tag {
            Some(_) => self.tagged(model, union, value, pointer),
            None => {
                let every_member: Vec<usize> = (0..union.members.len()).collect();
                self.by_shape(model, union, &every_member, value, pointer)
            }
        }
    }

    fn tagged<'v>(
        &mut self,
        model: &'a Model,
        union: &'a Union,
        value: &'v Value,
        pointer: &mut Pointer<'v>,
    ) where
        'a: 'v,
    {
        let Some(table) = self.tables.tag_table(model) else {
            return;
        };
        let members = &table.members;
        let wire_tag = table.wire_tag;
        let keys: Vec<&str> = members.iter().map(|(_, _, key)| key.as_str()).collect();
        let Value::Object(entries) = value else {
            self.error(
                pointer,
                format!("an object with a `{wire_tag}` field (`{}`)", model.name),
                value,
                Some(&model.location),
            );
            return;
        };
        let found_tag = entries.get(wire_tag).filter(|tag| !tag.is_null());
        let Some(found_tag) = found_tag else {
            if !table.fallback.is_empty() {
                let fallback = table.fallback.clone();
                self.by_shape(model, union, &fallback, value, pointer);
                return;
            }
            let found = if entries.contains_key(wire_tag) {
                "a null tag"
            } else {
                "no tag"
            };
            self.report(
                Level::Error,
                pointer,
                format!(
                    "the tag `{wire_tag}` (one of {}), which selects the member of `{}`",
                    quoted(&keys),
                    model.name
                ),
                found.to_owned(),
                Some(&model.location),
            );
            return;
        };
        let Some(key) = value_tag_key(found_tag) else {
            self.error(
                pointer,
                format!("a string, boolean or integer tag `{wire_tag}`"),
                found_tag,
                Some(&model.location),
            );
            return;
        };
        match members.iter().find(|(_, _, member_key)| *member_key == key) {
            Some((member_model, object, _)) => self.object(member_model, object, value, pointer),
            None => {
                let (level, expected) = if table.open {
                    (
                        Level::Warning,
                        format!(
                            "one of {} (the members of `{}`; open: kept whole as its `Unknown` member, but not documented)",
                            quoted(&keys),
                            model.name
                        ),
                    )
                } else {
                    (
                        Level::Error,
                        format!("one of {} (the members of `{}`)", quoted(&keys), model.name),
                    )
                };
                pointer.push_key(wire_tag);
                self.report(
                    level,
                    pointer,
                    expected,
                    describe(found_tag),
                    Some(&model.location),
                );
                pointer.pop();
            }
        }
    }

    /// Mirrors the generated code: only the members at `indices` whose JSON shape fits
    /// are tried; among object members that accept, the one that knows most keys is
    /// chosen.
    fn by_shape<'v>(
        &mut self,
        model: &'a Model,
        union: &'a Union,
        indices: &[usize],
        value: &'v Value,
        pointer: &Pointer<'v>,
    ) where
        'a: 'v,
    {
        let shape = shape::of_value(value);
        let mut failures: Vec<(String, usize, Vec<Finding>)> = Vec::new();
        let mut best: Option<(usize, Vec<Finding>)> = None;
        let member_shapes = self.tables.member_shapes(model);
        let tried = indices
            .iter()
            .filter_map(|&index| Some((union.members.get(index)?, *member_shapes.get(index)?)));
        for (member, member_shape) in tried {
            if member_shape & shape == 0 {
                continue;
            }
            let mark = self.findings.len();
            let mut inner = pointer.clone();
            self.value(&member.ty, value, &mut inner, Some(&member.location));
            let failed = self.findings[mark..]
                .iter()
                .any(|finding| finding.level == Level::Error);
            let known = known_keys(self.spec, &member.ty, value);
            if failed {
                let found: Vec<Finding> = self.findings.drain(mark..).collect();
                failures.push((crate::dialect::notation(&member.ty), known, found));
                continue;
            }
            if member_shape & (shape::OBJECT | shape::ANY) == 0 || !value.is_object() {
                return;
            }
            let found: Vec<Finding> = self.findings.drain(mark..).collect();
            if best
                .as_ref()
                .is_none_or(|(best_known, _)| known > *best_known)
            {
                best = Some((known, found));
            }
        }
        let expected_shapes: Vec<String> = union
            .members
            .iter()
            .zip(member_shapes)
            .enumerate()
            .filter(|(index, (_, shape))| **shape != 0 && indices.contains(index))
            .map(|(_, (member, shape))| {
                format!(
                    "{} ({})",
                    shape::describe(*shape),
                    crate::dialect::notation(&member.ty)
                )
            })
            .collect();
        if let Some((_, found)) = best {
            self.findings.extend(found);
            return;
        }
        if failures.is_empty() {
            self.report(
                Level::Error,
                pointer,
                format!("one of: {} (`{}`)", expected_shapes.join(", "), model.name),
                describe(value),
                Some(&model.location),
            );
            return;
        }
        // The member that knew most of the object's keys came closest; the first on a tie.
        let closest = failures
            .iter()
            .enumerate()
            .max_by_key(|(index, (_, known, _))| (*known, std::cmp::Reverse(*index)))
            .map_or(0, |(index, _)| index);
        let mut members: Vec<MemberFailure> = failures
            .iter()
            .map(|(name, _, findings)| MemberFailure {
                member: name.clone(),
                findings: findings.clone(),
            })
            .collect();
        let first = members.remove(closest);
        let why = first
            .findings
            .iter()
            .find(|finding| finding.level == Level::Error)
            .map(|finding| {
                format!(
                    "at {}: expected {}, found {}",
                    display_pointer(&finding.pointer),
                    finding.expected,
                    finding.found
                )
            })
            .unwrap_or_default();
        members.insert(0, first.clone());
        self.findings.push(Finding {
            level: Level::Error,
            pointer: pointer.render(),
            expected: format!(
                "a member of `{}`; closest was `{}` ({why})",
                model.name, first.member
            ),
            found: describe(value),
            spec: Some(model.location.clone()),
            members,
        });
    }
}

fn collect_references<'s>(spec: &'s Spec, ty: &'s Type, out: &mut AddressMap<&'s Model>) {
    match ty {
        Type::Model(name) => {
            if let Some(model) = spec.models.get(name) {
                out.insert(name.as_ptr() as usize, model);
            }
        }
        Type::List(inner) | Type::Map(inner) | Type::Nullable(inner) | Type::EventStream(inner) => {
            collect_references(spec, inner, out)
        }
        _ => {}
    }
}

/// One instance read from an input: its 1-based line, and the value or why it is not JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub line: usize,
    pub value: Result<Value, String>,
}

/// Reads a JSON document or JSON Lines, handing each instance to `visit` as it is read
/// (so a large input is never held as values all at once). In JSON Lines (more than one line, the first of
/// which is a whole value) a bad line is one bad instance and reading goes on; otherwise
/// values are read one after the other until the end or the first syntax error.
pub fn each_instance(bytes: &[u8], mut visit: impl FnMut(Instance)) {
    each_text(bytes, |line, text| {
        visit(Instance {
            line,
            value: text.and_then(|text| {
                serde_json::from_slice::<Value>(text).map_err(|error| format!("not JSON: {error}"))
            }),
        });
    });
}

/// Like [`each_instance`], but hands over each instance's JSON text (for
/// [`Validator::validate_json`]), or why the input stops being JSON there.
pub fn each_text<'b>(bytes: &'b [u8], mut visit: impl FnMut(usize, Result<&'b [u8], String>)) {
    // (1-based line number, line) of every non-blank line.
    let mut lines: Vec<(usize, &[u8])> = Vec::new();
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for (index, end) in ends.enumerate() {
        let line = &bytes[start..end];
        start = end + 1;
        if line.iter().any(|b| !b.is_ascii_whitespace()) {
            lines.push((index + 1, line));
        }
    }
    let json_lines = lines.len() > 1 && serde_json::from_slice::<IgnoredAny>(lines[0].1).is_ok();
    if json_lines {
        for (line, text) in lines {
            visit(line, Ok(text));
        }
        return;
    }
    // Lines are counted incrementally: values come in order.
    let mut counted_to = 0;
    let mut line = 1;
    let mut line_of = |offset: usize| {
        let offset = offset.min(bytes.len());
        line += bytes[counted_to..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted_to = offset;
        line
    };
    let mut any = false;
    let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<IgnoredAny>();
    loop {
        let start = stream.byte_offset();
        let skipped = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
        match stream.next() {
            None => break,
            Some(Ok(IgnoredAny)) => {
                any = true;
                let end = stream.byte_offset();
                visit(line_of(start + skipped), Ok(&bytes[start + skipped..end]));
            }
            Some(Err(error)) => {
                any = true;
                visit(error.line().max(1), Err(format!("not JSON: {error}")));
                break;
            }
        }
    }
    if !any {
        visit(1, Err("not JSON: the input is empty".to_owned()));
    }
}

/// Every instance of a JSON document or JSON Lines input; see [`each_instance`].
pub fn instances(bytes: &[u8]) -> Vec<Instance> {
    let mut out = Vec::new();
    each_instance(bytes, |instance| out.push(instance));
    out
}

/// `""` is shown as `/` (the whole instance).
pub fn display_pointer(pointer: &str) -> &str {
    if pointer.is_empty() { "/" } else { pointer }
}

fn quoted(keys: &[&str]) -> String {
    keys.iter()
        .map(|key| format!("{key:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn literal_matches(literal: &LiteralValue, value: &Value) -> bool {
    match literal {
        LiteralValue::String(expected) => value.as_str() == Some(expected.as_str()),
        LiteralValue::Integer(expected) => value.as_i64() == Some(*expected),
        LiteralValue::Boolean(expected) => value.as_bool() == Some(*expected),
    }
}

/// The text a tag is matched by, as `support::read_tagged` computes it.
fn value_tag_key(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Number(number) if number.is_i64() => Some(number.to_string()),
        _ => None,
    }
}

/// How many of an object's keys an object member knows (its fields' wire names).
fn known_keys(spec: &Spec, ty: &Type, value: &Value) -> usize {
    let (Type::Model(name), Value::Object(entries)) = (ty, value) else {
        return 0;
    };
    let Some(ModelKind::Object(object)) = spec.models.get(name).map(|model| &model.kind) else {
        return 0;
    };
    entries
        .keys()
        .filter(|key| {
            object.fields.iter().any(|field| {
                &field.wire_name.value == *key
                    && !matches!(field.ty, Type::FileUpload | Type::SdkOnly)
            })
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FolderSource;

    fn spec() -> Spec {
        let loaded = crate::lint(&FolderSource::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../specs"
        )))
        .unwrap_or_else(|err| panic!("{err}"));
        loaded.spec.unwrap_or_else(|| panic!("specs/ has no IR"))
    }

    fn errors(model: &str, json: &str) -> Vec<String> {
        let value: Value = serde_json::from_str(json).unwrap_or_else(|err| panic!("{json}: {err}"));
        validate(&spec(), model, &value)
            .unwrap_or_else(|err| panic!("{err}"))
            .into_iter()
            .filter(|finding| finding.level == Level::Error)
            .map(|finding| {
                format!(
                    "{}: expected {}, found {}",
                    display_pointer(&finding.pointer),
                    finding.expected,
                    finding.found
                )
            })
            .collect()
    }

    #[test]
    fn reports_every_error_with_its_pointer() {
        let found = errors("ShelfSlot", r#"{"position": "3"}"#);
        assert_eq!(
            found,
            [
                "/position: expected an integer (64-bit), found \"3\"",
                "/isbn: expected the required field `isbn`, found nothing (the key is missing)",
            ]
        );
    }

    fn warnings(model: &str, json: &str) -> Vec<String> {
        let value: Value = serde_json::from_str(json).unwrap_or_else(|err| panic!("{json}: {err}"));
        validate(&spec(), model, &value)
            .unwrap_or_else(|err| panic!("{err}"))
            .into_iter()
            .filter(|finding| finding.level == Level::Warning)
            .map(|finding| {
                format!(
                    "{}: {}",
                    display_pointer(&finding.pointer),
                    finding.expected
                )
            })
            .collect()
    }

    #[test]
    fn a_present_tag_selects_the_member() {
        assert!(errors("CatalogEntry", r#"{"type": "book", "isbn": "x"}"#).is_empty());
        let wrong = errors("CatalogEntry", r#"{"type": "periodical", "isbn": "x"}"#);
        assert!(wrong[0].contains("`issn`"), "{wrong:?}");
    }

    #[test]
    fn an_absent_or_null_tag_falls_back_to_shape() {
        // `BookEntry.type` is a defaulted constant: the member reads a value without it.
        assert!(errors("CatalogEntry", r#"{"isbn": "x"}"#).is_empty());
        assert!(errors("CatalogEntry", r#"{"issn": "x"}"#).is_empty());
        let neither = errors("CatalogEntry", r#"{"title": "x"}"#);
        assert!(
            neither[0].contains("a member of `CatalogEntry`"),
            "{neither:?}"
        );
        // A null tag is read as absent; the members' constants then reject the null.
        let null = errors("CatalogEntry", r#"{"type": null, "isbn": "x"}"#);
        assert!(null[0].contains("closest was `BookEntry`"), "{null:?}");
    }

    #[test]
    fn tag_required_by_the_overlay() {
        let missing = errors("ReferenceDeskMessages", r#"{"content": "hi"}"#);
        assert!(missing[0].contains("the tag `role`"), "{missing:?}");
        assert!(missing[0].ends_with("found no tag"), "{missing:?}");
    }

    #[test]
    fn unknown_tags_of_open_unions_are_kept_with_a_warning() {
        let dvd = r#"{"type": "dvd", "isbn": "x"}"#;
        assert!(errors("CatalogEntry", dvd).is_empty());
        let hint = warnings("CatalogEntry", dvd);
        assert!(
            hint[0].starts_with(
                "/type: one of \"book\", \"periodical\" (the members of `CatalogEntry`; open"
            ),
            "{hint:?}"
        );
    }

    #[test]
    fn unknown_tags_of_closed_unions_are_errors() {
        let unknown = errors("LookupResult", r#"{"found": "maybe", "book": {}}"#);
        assert_eq!(
            unknown,
            [
                "/found: expected one of \"true\", \"false\" (the members of `LookupResult`), found \"maybe\""
            ]
        );
        let wrong = errors(
            "ReferenceDeskMessages",
            r#"{"role": "robot", "content": "x"}"#,
        );
        assert!(wrong.is_empty(), "open by default: {wrong:?}");
    }

    #[test]
    fn untagged_unions_name_the_closest_member() {
        let found = errors("And", r#"{"field": "title", "op": "eq", "and": 5}"#);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("closest was `FieldCondition`"),
            "{found:?}"
        );
        assert!(errors("And", r#"{"field": "title", "op": "eq", "value": 1}"#).is_empty());
    }

    #[test]
    fn reads_json_and_json_lines() {
        let lines = instances(b"{\"a\": 1}\n\n{\"a\": \n[1, 2]\n");
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].line, 1);
        assert!(lines[1].value.is_err());
        assert_eq!(lines[2].line, 4);
        let document = instances(b"{\n  \"a\": 1\n}\n");
        assert_eq!(document.len(), 1);
        assert!(document[0].value.is_ok());
        let truncated = instances(b"{\n  \"a\": ");
        assert!(truncated[0].value.is_err());
        let deep = "[".repeat(10_000);
        assert!(instances(deep.as_bytes())[0].value.is_err());
        assert!(instances(b"\xff\xfe")[0].value.is_err());
        assert!(instances(b"")[0].value.is_err());
    }

    /// The quick pass reports exactly what the exact pass does, in the same order, on
    /// every sample of the spec (valid ones, which it takes alone, and mutated ones,
    /// which it hands over union by union), and on text that is not JSON.
    fn quick_pass_agrees(spec: &Spec) -> usize {
        let validator = Validator::new(spec);
        let exact = |model: &str, text: &[u8]| {
            let mut walker = Walker {
                spec,
                tables: &validator,
                findings: Vec::new(),
                quick: false,
                shallow: false,
                known: 0,
            };
            let found = &spec.models[model];
            stream::exactly(&mut walker, found, text)
                .map(|()| walker.findings)
                .map_err(|error| format!("not JSON: {error}"))
        };
        let mut cases = 0;
        for title in spec.models.keys() {
            for sample in crate::sample::samples(spec, title) {
                let text = sample.json.to_string();
                let mut texts = vec![text.clone(), format!("{text} x")];
                texts.push(text.replacen(':', ": [", 1));
                texts.push(format!("{}{text}{}", "[".repeat(130), "]".repeat(130)));
                for text in texts {
                    let quick = validator
                        .validate_json(title, text.as_bytes())
                        .unwrap_or_else(|err| panic!("{err}"));
                    assert_eq!(quick, exact(title, text.as_bytes()), "{title}: {text}");
                    cases += 1;
                }
            }
        }
        cases
    }

    #[test]
    fn the_quick_pass_agrees_with_the_exact_pass() {
        assert!(quick_pass_agrees(&spec()) > 1000);
        let corpora = std::env::var_os("SPEC_CORPORA").map_or_else(
            || {
                std::path::PathBuf::from(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../../shared/corpora"
                ))
            },
            std::path::PathBuf::from,
        );
        let corpus = corpora.join("mistral-python-2.5.1");
        if !corpus.is_dir() {
            // The corpora are beside the workspace; the tests crate says when they skip.
            return;
        }
        let loaded = crate::lint(&FolderSource::new(corpus)).unwrap_or_else(|err| panic!("{err}"));
        let spec = loaded
            .spec
            .unwrap_or_else(|| panic!("the corpus has no IR"));
        assert!(quick_pass_agrees(&spec) > 10_000);
    }

    #[test]
    fn drift_hints_are_warnings() {
        let value: Value =
            serde_json::from_str(r#"{"title": "x", "surprise": 1}"#).unwrap_or_default();
        let findings = validate(&spec(), "Series", &value).unwrap_or_default();
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].level, Level::Warning);
        assert_eq!(findings[0].pointer, "/surprise");
    }
}
