//! Synthetic JSON payloads from the IR, for tests and benchmarks: per model, valid
//! instances and labelled mutations whose validity is exactly the README's presence table
//! (which the generated Rust implements), and seeded valid instances for bulk workloads.
//!
//! Payloads use wire names and leave SDK-only types out: file-upload fields are never in
//! JSON and an event-stream union member is never chosen. Everything is deterministic:
//! the only variation is a small mixing generator driven by the seed. A mutation is only
//! made where its validity is unambiguous (no "wrong type" for `Any`, no wrong shape that
//! some member of an untagged union accepts, ...). A model with no finite instance (a
//! cycle of required by-value fields) gets no samples and no instance.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::ir::{
    DateFormat, Enum, EnumRepr, LiteralValue, ModelKind, Object, Presence, Spec, Type, Union,
};
use crate::shape;
use crate::tags;

/// A payload and what the presence table says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The model title the payload is an instance (or a mutation) of.
    pub model: String,
    /// What the payload is, e.g. "missing required `id`".
    pub label: String,
    pub json: Value,
    /// Whether reading `json` as `model` succeeds.
    pub valid: bool,
}

/// Deterministic payloads for one model: a minimal valid instance (required fields only),
/// a full valid instance (every field, optional ones with values), valid variants (each
/// optional-nullable field null, open-enum unknown values, each union member, ...), and
/// invalid mutations, each labelled ("missing required `id`", "null in required
/// `status`", "wrong type in `created_at`", "unknown value in closed enum at `format`",
/// "missing tag `type`", ...). Empty when the spec has no such model, or the model has
/// no finite instance.
pub fn samples(spec: &Spec, model: &str) -> Vec<Sample> {
    Sampler::new(spec).samples(model)
}

/// A valid instance of a model, with `seed` varying strings, numbers, array lengths,
/// which optional fields are present and which union member is chosen, for bulk
/// workloads. `None` when the spec has no such model, or it has no finite instance.
pub fn instance(spec: &Spec, model: &str, seed: u64) -> Option<Value> {
    Sampler::new(spec).instance(model, seed)
}

/// [`samples`] and [`instance`] for many models of one spec: what they need from the
/// whole spec (which models have a finite instance) is computed once, in `new`.
#[derive(Debug, Clone)]
pub struct Sampler<'a> {
    spec: &'a Spec,
    heights: BTreeMap<String, usize>,
}

impl<'a> Sampler<'a> {
    pub fn new(spec: &'a Spec) -> Self {
        Sampler {
            spec,
            heights: heights(spec),
        }
    }

    /// See [`samples`].
    pub fn samples(&self, model: &str) -> Vec<Sample> {
        let Some(found) = self.spec.models.get(model) else {
            return Vec::new();
        };
        if !self.heights.contains_key(model) {
            return Vec::new();
        }
        let mut out = Samples {
            model,
            samples: Vec::new(),
        };
        let mut generator = Generator::new(self.spec, &self.heights, model, 0);
        match &found.kind {
            ModelKind::Object(object) => object_samples(&mut generator, &mut out, object),
            ModelKind::Enum(enumeration) => enum_samples(&mut out, enumeration),
            ModelKind::Union(union) => union_samples(&mut generator, &mut out, union),
        }
        out.samples
    }

    /// See [`instance`].
    pub fn instance(&self, model: &str, seed: u64) -> Option<Value> {
        Generator::new(self.spec, &self.heights, model, seed).model(model, Fill::Seeded, 0)
    }
}

/// Models deeper than this get their smallest instance (required fields only, `null`
/// where allowed, empty containers), which keeps recursive models finite.
const DEPTH_LIMIT: usize = 4;
/// How many values one payload may hold before everything further is the smallest
/// instance: bounds the size of payloads of wide models.
const BUDGET: usize = 400;
/// The most items a generated list or map holds.
const MAX_ITEMS: u64 = 3;
/// A key no model documents: valid as an unknown key (ignored or kept).
const EXTRA_KEY: &str = "__sample_extra__";
/// A value no enum lists and no tag selects.
const UNKNOWN: &str = "__sample_unknown__";

fn accepts_null(spec: &Spec, ty: &Type) -> bool {
    shape::of_type(spec, ty) & shape::NULL != 0
}

/// One value of each shape, for "wrong type" mutations.
fn shape_examples() -> [(&'static str, Value); 6] {
    [
        ("a string", Value::from("not of this type")),
        ("an integer", Value::from(12345)),
        ("a number", Value::from(1.5)),
        ("a boolean", Value::Bool(true)),
        ("an array", Value::Array(Vec::new())),
        ("an object", Value::Object(Map::new())),
    ]
}

/// A value no reading of `ty` accepts, where there is one beyond doubt.
fn wrong_value(spec: &Spec, ty: &Type) -> Option<Value> {
    match ty {
        Type::String | Type::Bytes | Type::Date { .. } => Some(Value::from(12345)),
        Type::Literal(LiteralValue::String(_)) => Some(Value::from(12345)),
        Type::Integer | Type::Float | Type::Literal(LiteralValue::Integer(_)) => {
            Some(Value::from("12"))
        }
        Type::Boolean | Type::Literal(LiteralValue::Boolean(_)) => Some(Value::from("yes")),
        Type::Any | Type::FileUpload | Type::SdkOnly | Type::EventStream(_) => None,
        Type::List(_) => Some(Value::from("not a list")),
        Type::Map(_) => Some(Value::from("not a map")),
        Type::Nullable(inner) => wrong_value(spec, inner),
        Type::Model(name) => match spec.models.get(name).map(|model| &model.kind) {
            // Not an array: serde reads a struct from an array of its fields too.
            Some(ModelKind::Object(_)) => Some(Value::from("not an object")),
            Some(ModelKind::Enum(enumeration)) => match enumeration.repr {
                EnumRepr::String => Some(Value::from(12345)),
                EnumRepr::Integer => Some(Value::from("7")),
            },
            Some(ModelKind::Union(union)) if union.tag.is_some() => {
                Some(Value::from("not an object"))
            }
            Some(ModelKind::Union(_)) => {
                let accepted = shape::of_type(spec, ty);
                shape_examples()
                    .into_iter()
                    .map(|(_, value)| value)
                    .find(|value| accepted & shape::of_value(value) == 0)
            }
            None => None,
        },
    }
}

fn literal_json(value: &LiteralValue) -> Value {
    match value {
        LiteralValue::String(text) => Value::from(text.as_str()),
        LiteralValue::Integer(number) => Value::from(*number),
        LiteralValue::Boolean(flag) => Value::Bool(*flag),
    }
}

/// A value of the same JSON type as `value` that differs from it.
fn other_literal(value: &LiteralValue) -> Value {
    match value {
        LiteralValue::String(_) => Value::from(UNKNOWN),
        LiteralValue::Integer(number) => Value::from(number.wrapping_add(1)),
        LiteralValue::Boolean(flag) => Value::Bool(!flag),
    }
}

/// A value an enum does not list, of its wire type.
fn unknown_enum_value(enumeration: &Enum) -> Value {
    match enumeration.repr {
        EnumRepr::String => Value::from(UNKNOWN),
        EnumRepr::Integer => {
            let largest = enumeration
                .values
                .iter()
                .filter_map(|value| match value.value {
                    LiteralValue::Integer(number) => Some(number),
                    _ => None,
                })
                .max()
                .unwrap_or(0);
            Value::from(largest.saturating_add(1000))
        }
    }
}

/// The constant a tagged union's member holds in its tag field, as the generated Rust
/// reads it (a `Literal`, or a one-value enum); `None` for a member it never selects.
fn tag_constant<'a>(spec: &'a Spec, member: &Type, tag: &str) -> Option<&'a LiteralValue> {
    let Type::Model(name) = member else {
        return None;
    };
    let Some(ModelKind::Object(object)) = spec.models.get(name).map(|model| &model.kind) else {
        return None;
    };
    let field = object.fields.iter().find(|field| field.name == tag)?;
    match &field.ty {
        Type::Literal(value) => Some(value),
        Type::Model(enumeration) => match spec.models.get(enumeration).map(|model| &model.kind) {
            Some(ModelKind::Enum(enumeration)) if enumeration.values.len() == 1 => {
                enumeration.values.first().map(|value| &value.value)
            }
            _ => None,
        },
        _ => None,
    }
}

/// The JSON key of a tagged union's tag: the wire name of the tag field of its first
/// member, as the generated Rust reads it.
fn wire_tag(spec: &Spec, union: &Union, tag: &str) -> String {
    union
        .members
        .first()
        .and_then(|member| match &member.ty {
            Type::Model(name) => match spec.models.get(name).map(|model| &model.kind) {
                Some(ModelKind::Object(object)) => {
                    object.fields.iter().find(|field| field.name == tag)
                }
                _ => None,
            },
            _ => None,
        })
        .map_or_else(|| tag.to_owned(), |field| field.wire_name.value.clone())
}

/// Whether a valid value of a tagged union stays valid with its tag taken away, set to
/// an unknown constant, or set to null (README, "union with a tag").
struct TagVerdicts {
    missing: bool,
    unknown: bool,
    null: bool,
}

impl TagVerdicts {
    fn of(spec: &Spec, union: &Union, value: &Value) -> TagVerdicts {
        let member = tags::wire_tag(spec, union)
            .and_then(|wire| value.get(wire))
            .and_then(|found| {
                tags::member_tags(spec, union)
                    .into_iter()
                    .find(|member| literal_json(member.value) == *found)
            });
        let fallback = tags::falls_back_to_shape(union);
        let may_lack = member.is_some_and(|member| fallback && member.may_be_absent());
        let tolerates_null = member.is_some_and(|member| {
            fallback
                && matches!(
                    member.field.presence,
                    Presence::Optional | Presence::OptionalNullable
                )
        });
        TagVerdicts {
            missing: may_lack,
            unknown: tags::is_open(union),
            null: tolerates_null,
        }
    }
}

/// Whether a union member can be read from JSON at all.
fn member_readable(spec: &Spec, union: &Union, member: &Type) -> bool {
    match &union.tag {
        Some(tag) => tag_constant(spec, member, &tag.value).is_some(),
        None => shape::of_type(spec, member) != 0,
    }
}

/// The height of a type's smallest instance: how many models deep it must go. `None`
/// when it has none (a model in a cycle of required by-value fields, an SDK-only type).
fn type_height(ty: &Type, heights: &BTreeMap<String, usize>) -> Option<usize> {
    match ty {
        Type::Model(name) => heights.get(name).copied(),
        Type::FileUpload | Type::SdkOnly | Type::EventStream(_) => None,
        _ => Some(0),
    }
}

/// For every model with a finite instance, the height of its smallest one. Computed as
/// a fixpoint from "none": a cycle of required by-value fields never gets a height, and
/// following the lowest member of each union strictly descends, so the smallest
/// instance always terminates.
fn heights(spec: &Spec) -> BTreeMap<String, usize> {
    let mut heights: BTreeMap<String, usize> = BTreeMap::new();
    loop {
        let mut changed = false;
        for (name, model) in &spec.models {
            let height = match &model.kind {
                ModelKind::Object(object) => object
                    .fields
                    .iter()
                    .filter(|field| field.presence == Presence::Required)
                    .filter(|field| !matches!(field.ty, Type::FileUpload | Type::SdkOnly))
                    .try_fold(0, |highest: usize, field| {
                        type_height(&field.ty, &heights).map(|height| highest.max(height))
                    })
                    .map(|highest| highest + 1),
                ModelKind::Enum(enumeration) => {
                    (!enumeration.values.is_empty() || enumeration.open.value).then_some(0)
                }
                ModelKind::Union(union) => union
                    .members
                    .iter()
                    .filter(|member| member_readable(spec, union, &member.ty))
                    .filter_map(|member| type_height(&member.ty, &heights))
                    .min()
                    .map(|lowest| lowest + 1),
            };
            if let Some(height) = height
                && heights.get(name).is_none_or(|known| height < *known)
            {
                heights.insert(name.clone(), height);
                changed = true;
            }
        }
        if !changed {
            return heights;
        }
    }
}

/// How much of a model to fill in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// Required fields only, empty containers, the first enum value, the lowest member.
    Minimal,
    /// Optional fields, nulls, lengths, values and members chosen by the seed.
    Seeded,
    /// Every field with a value, non-empty containers; what it holds is `Seeded`.
    Full,
}

impl Fill {
    fn nested(self) -> Fill {
        match self {
            Fill::Full => Fill::Seeded,
            other => other,
        }
    }
}

/// Date-time spellings: a fixed number of fractional digits and a fixed offset.
#[derive(Debug, Clone, Copy)]
struct DateStyle {
    digits: u32,
    /// Minutes east of UTC; `None` writes `Z`.
    offset: Option<i32>,
}

struct Generator<'a> {
    spec: &'a Spec,
    heights: &'a BTreeMap<String, usize>,
    state: u64,
    budget: usize,
    smallest: BTreeMap<String, Value>,
}

impl<'a> Generator<'a> {
    fn new(spec: &'a Spec, heights: &'a BTreeMap<String, usize>, model: &str, seed: u64) -> Self {
        // FNV-1a of the title, so models with one seed still differ.
        let hash = model.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
        Generator {
            spec,
            heights,
            state: seed ^ hash,
            budget: BUDGET,
            smallest: BTreeMap::new(),
        }
    }

    /// SplitMix64.
    fn next(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 { 0 } else { self.next() % bound }
    }

    fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }

    fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    fn exhausted(&self, depth: usize) -> bool {
        depth >= DEPTH_LIMIT || self.budget == 0
    }

    fn string(&mut self) -> Value {
        const WORDS: [&str; 10] = [
            "alpha",
            "Beta gamma",
            "delta-42",
            "épsilon ünïcode",
            "quote \" and \\ backslash",
            "tab\tand\nnewline",
            "emoji 📚",
            "",
            "/v1/path?x=1&y=2",
            "0",
        ];
        let word = WORDS[self.index(WORDS.len())];
        let number = self.below(10_000);
        Value::from(if self.chance(3) {
            word.to_owned()
        } else {
            format!("{word}{number}")
        })
    }

    fn integer(&mut self) -> Value {
        match self.below(8) {
            0 => Value::from(0),
            1 => Value::from(-(self.below(1_000) as i64) - 1),
            2 => Value::from(i64::MAX - self.below(10) as i64),
            _ => Value::from(self.below(100_000) as i64),
        }
    }

    fn float(&mut self) -> Value {
        let whole = self.below(2_000_000) as i64 - 1_000_000;
        if self.chance(4) {
            // An integer on the wire is a valid float.
            Value::from(whole)
        } else {
            Value::from(whole as f64 / 64.0 + 0.25)
        }
    }

    fn any(&mut self) -> Value {
        match self.below(5) {
            0 => {
                let mut map = Map::new();
                map.insert("note".to_owned(), self.string());
                map.insert("count".to_owned(), self.integer());
                Value::Object(map)
            }
            1 => self.float(),
            2 => self.string(),
            3 => Value::Array(vec![self.integer(), self.string()]),
            _ => Value::Bool(self.chance(2)),
        }
    }

    fn date_style(&mut self) -> DateStyle {
        let offset = match self.below(3) {
            0 => None,
            1 => Some(i32::try_from(self.below(14 * 4)).unwrap_or(0) * 15),
            _ => Some(-i32::try_from(self.below(12 * 4)).unwrap_or(0) * 15),
        };
        DateStyle {
            digits: u32::try_from(self.below(10)).unwrap_or(0),
            offset,
        }
    }

    fn date(&mut self, format: DateFormat, style: Option<DateStyle>) -> Value {
        let year = 1990 + self.below(45);
        let month = 1 + self.below(12);
        let day = 1 + self.below(28);
        if format == DateFormat::Date {
            return Value::from(format!("{year:04}-{month:02}-{day:02}"));
        }
        let style = match style {
            Some(style) => style,
            None => self.date_style(),
        };
        let (hour, minute, second) = (self.below(24), self.below(60), self.below(60));
        let mut text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}");
        if style.digits > 0 {
            let fraction = self.below(10_u64.pow(style.digits));
            text.push_str(&format!(
                ".{fraction:0width$}",
                width = style.digits as usize
            ));
        }
        match style.offset {
            None => text.push('Z'),
            Some(minutes) => {
                let sign = if minutes < 0 { '-' } else { '+' };
                let minutes = minutes.unsigned_abs();
                text.push_str(&format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60));
            }
        }
        Value::from(text)
    }

    /// How many items a list or map gets.
    fn count(&mut self, fill: Fill) -> u64 {
        match fill {
            Fill::Minimal => 0,
            Fill::Seeded => self.below(MAX_ITEMS + 1),
            Fill::Full => 1 + self.below(MAX_ITEMS),
        }
    }

    /// A value of `ty`; `None` only for a type with no finite JSON instance.
    fn value(&mut self, ty: &Type, fill: Fill, depth: usize) -> Option<Value> {
        self.budget = self.budget.saturating_sub(1);
        let fill = if self.exhausted(depth) {
            Fill::Minimal
        } else {
            fill
        };
        Some(match ty {
            Type::String => self.string(),
            Type::Integer => self.integer(),
            Type::Float => self.float(),
            Type::Boolean => Value::Bool(self.chance(2)),
            Type::Any => self.any(),
            Type::Bytes => Value::from("c2FtcGxlIGJ5dGVz"),
            Type::Date { format } => self.date(format.value, None),
            Type::List(item) => {
                let mut items = Vec::new();
                if type_height(item, self.heights).is_some() {
                    for _ in 0..self.count(fill) {
                        items.push(self.value(item, fill.nested(), depth)?);
                    }
                }
                Value::Array(items)
            }
            Type::Map(item) => {
                let mut map = Map::new();
                if type_height(item, self.heights).is_some() {
                    for index in 0..self.count(fill) {
                        let key = format!("key{index}-{}", self.below(100));
                        map.insert(key, self.value(item, fill.nested(), depth)?);
                    }
                }
                Value::Object(map)
            }
            Type::Nullable(inner) => {
                let null = match fill {
                    Fill::Minimal => true,
                    Fill::Seeded => self.chance(4),
                    Fill::Full => false,
                };
                if null || type_height(inner, self.heights).is_none() {
                    Value::Null
                } else {
                    self.value(inner, fill, depth)?
                }
            }
            Type::Literal(value) => literal_json(value),
            Type::Model(name) => self.model(name, fill.nested(), depth + 1)?,
            Type::FileUpload | Type::SdkOnly | Type::EventStream(_) => return None,
        })
    }

    /// An instance of the model `name`, `depth` models deep.
    fn model(&mut self, name: &str, fill: Fill, depth: usize) -> Option<Value> {
        self.heights.get(name)?;
        if self.exhausted(depth) {
            return self.smallest_model(name);
        }
        self.budget = self.budget.saturating_sub(1);
        let spec = self.spec;
        match &spec.models.get(name)?.kind {
            ModelKind::Object(object) => self.object(object, fill, depth),
            ModelKind::Enum(enumeration) => Some(self.enumeration(enumeration, fill)),
            ModelKind::Union(union) => {
                let member = self.pick(union, fill)?;
                self.member(union, member, fill, depth)
            }
        }
    }

    fn object(&mut self, object: &Object, fill: Fill, depth: usize) -> Option<Value> {
        let mut map = Map::new();
        for field in &object.fields {
            if matches!(field.ty, Type::FileUpload | Type::SdkOnly) {
                continue;
            }
            let finite = type_height(&field.ty, self.heights).is_some();
            let value = match (field.presence, fill) {
                (Presence::Required, _) => Some(self.value(&field.ty, fill, depth)?),
                (Presence::RequiredNullable, Fill::Seeded) if self.chance(4) => Some(Value::Null),
                (Presence::RequiredNullable, _) => Some(if finite {
                    self.value(&field.ty, fill, depth)?
                } else {
                    Value::Null
                }),
                (_, Fill::Minimal) => None,
                (_, Fill::Seeded) if self.chance(2) => None,
                (Presence::OptionalNullable, Fill::Seeded) if self.chance(4) => Some(Value::Null),
                (Presence::OptionalNullable, _) if !finite => Some(Value::Null),
                (_, _) if !finite => None,
                (_, _) => Some(self.value(&field.ty, fill, depth)?),
            };
            if let Some(value) = value {
                map.insert(field.wire_name.value.clone(), value);
            }
        }
        if let Some(extra) = &object.additional_properties {
            let add = match fill {
                Fill::Minimal => false,
                Fill::Seeded => self.chance(3),
                Fill::Full => true,
            };
            if add && let Some(value) = self.value(&extra.value, fill.nested(), depth) {
                map.insert(EXTRA_KEY.to_owned(), value);
            }
        }
        Some(Value::Object(map))
    }

    fn enumeration(&mut self, enumeration: &Enum, fill: Fill) -> Value {
        let chosen = match fill {
            Fill::Minimal => enumeration.values.first(),
            _ => enumeration.values.get(self.index(enumeration.values.len())),
        };
        match chosen {
            Some(value) => literal_json(&value.value),
            None => unknown_enum_value(enumeration),
        }
    }

    /// The members the generated Rust can read, with a finite instance.
    fn members(&self, union: &Union) -> Vec<usize> {
        union
            .members
            .iter()
            .enumerate()
            .filter(|(_, member)| member_readable(self.spec, union, &member.ty))
            .filter(|(_, member)| type_height(&member.ty, self.heights).is_some())
            .map(|(index, _)| index)
            .collect()
    }

    /// The member with the smallest instance (the first on a tie).
    fn lowest_member(&self, union: &Union) -> Option<usize> {
        self.members(union).into_iter().min_by_key(|index| {
            union
                .members
                .get(*index)
                .and_then(|member| type_height(&member.ty, self.heights))
                .unwrap_or(usize::MAX)
        })
    }

    fn pick(&mut self, union: &Union, fill: Fill) -> Option<usize> {
        match fill {
            Fill::Minimal => self.lowest_member(union),
            _ => {
                let members = self.members(union);
                let index = self.index(members.len());
                members.get(index).copied()
            }
        }
    }

    /// An instance of the union's member `index`, with its tag when the union has one.
    fn member(&mut self, union: &Union, index: usize, fill: Fill, depth: usize) -> Option<Value> {
        let member = &union.members.get(index)?.ty;
        let mut value = match member {
            // The member is the payload itself: `Full` reaches its fields.
            Type::Model(name) => self.model(name, fill, depth + 1)?,
            other => self.value(other, fill, depth)?,
        };
        if let Some(tag) = &union.tag {
            let constant = tag_constant(self.spec, member, &tag.value)?;
            if let Value::Object(map) = &mut value {
                map.insert(
                    wire_tag(self.spec, union, &tag.value),
                    literal_json(constant),
                );
            }
        }
        Some(value)
    }

    /// The smallest instance of a model: required fields only, `null` where allowed,
    /// empty containers, the lowest union member. Terminates because each step goes to a
    /// model of lower height.
    fn smallest_model(&mut self, name: &str) -> Option<Value> {
        if let Some(value) = self.smallest.get(name) {
            return Some(value.clone());
        }
        self.heights.get(name)?;
        let spec = self.spec;
        let value = match &spec.models.get(name)?.kind {
            ModelKind::Object(object) => {
                let mut map = Map::new();
                for field in &object.fields {
                    let value = match field.presence {
                        _ if matches!(field.ty, Type::FileUpload | Type::SdkOnly) => continue,
                        Presence::Required => self.smallest_value(&field.ty)?,
                        Presence::RequiredNullable => Value::Null,
                        _ => continue,
                    };
                    map.insert(field.wire_name.value.clone(), value);
                }
                Value::Object(map)
            }
            ModelKind::Enum(enumeration) => match enumeration.values.first() {
                Some(value) => literal_json(&value.value),
                None => unknown_enum_value(enumeration),
            },
            ModelKind::Union(union) => {
                let index = self.lowest_member(union)?;
                let member = &union.members.get(index)?.ty;
                let mut value = self.smallest_value(member)?;
                if let (Some(tag), Value::Object(map)) = (&union.tag, &mut value) {
                    let constant = tag_constant(self.spec, member, &tag.value)?;
                    map.insert(
                        wire_tag(self.spec, union, &tag.value),
                        literal_json(constant),
                    );
                }
                value
            }
        };
        self.smallest.insert(name.to_owned(), value.clone());
        Some(value)
    }

    fn smallest_value(&mut self, ty: &Type) -> Option<Value> {
        Some(match ty {
            Type::String | Type::Bytes => Value::from("s"),
            Type::Integer => Value::from(0),
            Type::Float => Value::from(0.5),
            Type::Boolean => Value::Bool(false),
            Type::Any => Value::Object(Map::new()),
            Type::Date { format } => Value::from(match format.value {
                DateFormat::Date => "2000-01-01",
                DateFormat::DateTime => "2000-01-01T00:00:00Z",
            }),
            Type::List(_) => Value::Array(Vec::new()),
            Type::Map(_) => Value::Object(Map::new()),
            Type::Nullable(_) => Value::Null,
            Type::Literal(value) => literal_json(value),
            Type::Model(name) => self.smallest_model(name)?,
            Type::FileUpload | Type::SdkOnly | Type::EventStream(_) => return None,
        })
    }
}

struct Samples<'a> {
    model: &'a str,
    samples: Vec<Sample>,
}

impl Samples<'_> {
    fn push(&mut self, label: impl Into<String>, json: Value, valid: bool) {
        self.samples.push(Sample {
            model: self.model.to_owned(),
            label: label.into(),
            json,
            valid,
        });
    }
}

/// `base` (an object) with `key` set to `value`.
fn with(base: &Value, key: &str, value: Value) -> Value {
    let mut changed = base.clone();
    if let Value::Object(map) = &mut changed {
        map.insert(key.to_owned(), value);
    }
    changed
}

/// `base` (an object) without `key`.
fn without(base: &Value, key: &str) -> Value {
    let mut changed = base.clone();
    if let Value::Object(map) = &mut changed {
        map.remove(key);
    }
    changed
}

/// Valid date-time spellings: `Z`, offsets, and 0 to 9 fractional digits.
const DATE_STYLES: [(&str, DateStyle); 5] = [
    (
        "UTC `Z`, no fraction",
        DateStyle {
            digits: 0,
            offset: None,
        },
    ),
    (
        "positive offset, 3 fractional digits",
        DateStyle {
            digits: 3,
            offset: Some(330),
        },
    ),
    (
        "negative offset, 1 fractional digit",
        DateStyle {
            digits: 1,
            offset: Some(-480),
        },
    ),
    (
        "`Z`, 6 fractional digits",
        DateStyle {
            digits: 6,
            offset: None,
        },
    ),
    (
        "zero offset, 9 fractional digits",
        DateStyle {
            digits: 9,
            offset: Some(0),
        },
    ),
];

fn object_samples(generator: &mut Generator<'_>, out: &mut Samples<'_>, object: &Object) {
    let spec = generator.spec;
    let (Some(minimal), Some(full)) = (
        generator.model(out.model, Fill::Minimal, 0),
        generator.model(out.model, Fill::Full, 0),
    ) else {
        return;
    };
    out.push("minimal instance", minimal, true);
    out.push("full instance", full.clone(), true);
    let must_be_present = object.fields.iter().any(|field| {
        !matches!(field.ty, Type::FileUpload | Type::SdkOnly)
            && matches!(
                field.presence,
                Presence::Required | Presence::RequiredNullable
            )
    });
    out.push("empty object", Value::Object(Map::new()), !must_be_present);
    out.push("null instead of an object", Value::Null, false);
    out.push(
        "wrong type: a string instead of an object",
        Value::from("not an object"),
        false,
    );
    match &object.additional_properties {
        None => out.push(
            format!("unknown key `{EXTRA_KEY}`"),
            with(&full, EXTRA_KEY, Value::from("extra")),
            true,
        ),
        Some(extra) => {
            if let Some(value) = generator.value(&extra.value, Fill::Seeded, 0) {
                out.push(
                    format!("additional property `{EXTRA_KEY}`"),
                    with(&full, EXTRA_KEY, value),
                    true,
                );
            }
            if let Some(wrong) = wrong_value(spec, &extra.value) {
                out.push(
                    format!("wrong type in additional property `{EXTRA_KEY}`"),
                    with(&full, EXTRA_KEY, wrong),
                    false,
                );
            }
        }
    }
    for field in &object.fields {
        if matches!(field.ty, Type::FileUpload | Type::SdkOnly) {
            continue;
        }
        let wire = field.wire_name.value.as_str();
        let ty = &field.ty;
        let nullable_type = accepts_null(spec, ty);
        match field.presence {
            Presence::Required => {
                out.push(
                    format!("missing required `{wire}`"),
                    without(&full, wire),
                    false,
                );
                // A required `Any` rejects null; another type that reads null (an
                // untagged union with an `Any` member) is not worth a guess.
                if matches!(ty, Type::Any) || !nullable_type {
                    out.push(
                        format!("null in required `{wire}`"),
                        with(&full, wire, Value::Null),
                        false,
                    );
                }
            }
            Presence::RequiredNullable => {
                out.push(
                    format!("missing required-nullable `{wire}`"),
                    without(&full, wire),
                    false,
                );
                out.push(
                    format!("null in required-nullable `{wire}`"),
                    with(&full, wire, Value::Null),
                    true,
                );
            }
            Presence::Optional => {
                out.push(
                    format!("absent optional `{wire}`"),
                    without(&full, wire),
                    true,
                );
                out.push(
                    format!("null in optional `{wire}` (read as absent)"),
                    with(&full, wire, Value::Null),
                    true,
                );
            }
            Presence::OptionalNullable => {
                out.push(
                    format!("absent optional-nullable `{wire}`"),
                    without(&full, wire),
                    true,
                );
                out.push(
                    format!("null in optional-nullable `{wire}`"),
                    with(&full, wire, Value::Null),
                    true,
                );
            }
            Presence::Defaulted => {
                out.push(
                    format!("absent defaulted `{wire}`"),
                    without(&full, wire),
                    true,
                );
                if !nullable_type {
                    out.push(
                        format!("null in defaulted `{wire}`"),
                        with(&full, wire, Value::Null),
                        false,
                    );
                }
            }
        }
        if let Some(wrong) = wrong_value(spec, ty) {
            out.push(
                format!("wrong type in `{wire}`"),
                with(&full, wire, wrong),
                false,
            );
        }
        type_samples(generator, out, &full, field.presence, wire, ty);
    }
}

/// Variants and mutations of one field that depend on its type.
fn type_samples(
    generator: &mut Generator<'_>,
    out: &mut Samples<'_>,
    full: &Value,
    presence: Presence,
    wire: &str,
    ty: &Type,
) {
    let spec = generator.spec;
    match ty {
        Type::Literal(value) => {
            let label = if presence == Presence::Defaulted {
                format!("different value in defaulted `{wire}`")
            } else {
                format!("different constant in `{wire}`")
            };
            out.push(label, with(full, wire, other_literal(value)), false);
        }
        Type::Integer => out.push(
            format!("fraction in integer `{wire}`"),
            with(full, wire, Value::from(2.5)),
            false,
        ),
        Type::Float => {
            out.push(
                format!("integer in float `{wire}`"),
                with(full, wire, Value::from(3)),
                true,
            );
            out.push(
                format!("fraction in float `{wire}`"),
                with(full, wire, Value::from(-0.125)),
                true,
            );
        }
        Type::Date { format } => {
            out.push(
                format!("malformed date in `{wire}`"),
                with(full, wire, Value::from("not-a-date")),
                false,
            );
            if format.value == DateFormat::DateTime {
                for (label, style) in DATE_STYLES {
                    let value = generator.date(DateFormat::DateTime, Some(style));
                    out.push(
                        format!("date-time in `{wire}` with {label}"),
                        with(full, wire, value),
                        true,
                    );
                }
            } else {
                let value = generator.date(DateFormat::Date, None);
                out.push(
                    format!("calendar date in `{wire}`"),
                    with(full, wire, value),
                    true,
                );
            }
        }
        Type::List(item) => {
            out.push(
                format!("empty list in `{wire}`"),
                with(full, wire, Value::Array(Vec::new())),
                true,
            );
            out.push(
                format!("null item in `{wire}`"),
                with(full, wire, Value::Array(vec![Value::Null])),
                accepts_null(spec, item),
            );
            if let Some(wrong) = wrong_value(spec, item) {
                out.push(
                    format!("wrong item type in `{wire}`"),
                    with(full, wire, Value::Array(vec![wrong])),
                    false,
                );
            }
        }
        Type::Map(item) => {
            out.push(
                format!("empty map in `{wire}`"),
                with(full, wire, Value::Object(Map::new())),
                true,
            );
            let one = |value: Value| Value::Object(Map::from_iter([("key".to_owned(), value)]));
            out.push(
                format!("null value in map `{wire}`"),
                with(full, wire, one(Value::Null)),
                accepts_null(spec, item),
            );
            if let Some(wrong) = wrong_value(spec, item) {
                out.push(
                    format!("wrong value type in map `{wire}`"),
                    with(full, wire, one(wrong)),
                    false,
                );
            }
        }
        Type::Model(name) => match spec.models.get(name).map(|model| &model.kind) {
            Some(ModelKind::Enum(enumeration)) => {
                let unknown = unknown_enum_value(enumeration);
                if !enumeration.open.value {
                    out.push(
                        format!("unknown value in closed enum at `{wire}`"),
                        with(full, wire, unknown),
                        false,
                    );
                } else if presence != Presence::Defaulted {
                    // An open one-value enum as a required constant: the enum keeps any
                    // value, the constant means one; not worth a guess.
                    out.push(
                        format!("unknown value in open enum at `{wire}`"),
                        with(full, wire, unknown),
                        true,
                    );
                }
                if enumeration.repr == EnumRepr::Integer {
                    out.push(
                        format!("fraction in integer enum at `{wire}`"),
                        with(full, wire, Value::from(7.5)),
                        false,
                    );
                }
            }
            Some(ModelKind::Object(nested)) => {
                // One level down: the nested object misses a required field.
                let first = nested.fields.iter().find(|field| {
                    !matches!(field.ty, Type::FileUpload | Type::SdkOnly)
                        && field.presence == Presence::Required
                });
                if let (Some(first), Some(value)) = (first, full.get(wire)) {
                    let key = first.wire_name.value.as_str();
                    out.push(
                        format!("missing required `{wire}.{key}`"),
                        with(full, wire, without(value, key)),
                        false,
                    );
                }
            }
            Some(ModelKind::Union(union)) => {
                for index in generator.members(union) {
                    let Some(member) = union.members.get(index) else {
                        continue;
                    };
                    if let Some(value) = generator.member(union, index, Fill::Seeded, 1) {
                        out.push(
                            format!(
                                "member `{}` in `{wire}`",
                                crate::dialect::notation(&member.ty)
                            ),
                            with(full, wire, value),
                            true,
                        );
                    }
                }
                if let (Some(tag), Some(value)) = (&union.tag, full.get(wire)) {
                    let key = wire_tag(spec, union, &tag.value);
                    let verdicts = TagVerdicts::of(spec, union, value);
                    out.push(
                        format!("missing tag `{key}` in `{wire}`"),
                        with(full, wire, without(value, &key)),
                        verdicts.missing,
                    );
                    out.push(
                        format!("unknown tag `{key}` in `{wire}`"),
                        with(full, wire, with(value, &key, Value::from(UNKNOWN))),
                        verdicts.unknown,
                    );
                }
            }
            None => {}
        },
        _ => {}
    }
}

fn enum_samples(out: &mut Samples<'_>, enumeration: &Enum) {
    for value in &enumeration.values {
        out.push(
            format!("value {}", value.value),
            literal_json(&value.value),
            true,
        );
    }
    let unknown = unknown_enum_value(enumeration);
    if enumeration.open.value {
        out.push("unknown value in open enum", unknown, true);
    } else {
        out.push("unknown value in closed enum", unknown, false);
    }
    match enumeration.repr {
        EnumRepr::String => out.push(
            "wrong type: a number for a string enum",
            Value::from(12345),
            false,
        ),
        EnumRepr::Integer => {
            out.push(
                "wrong type: a string for an integer enum",
                Value::from("7"),
                false,
            );
            out.push(
                "wrong type: a fraction for an integer enum",
                Value::from(7.5),
                false,
            );
        }
    }
    out.push("null instead of an enum value", Value::Null, false);
}

fn union_samples(generator: &mut Generator<'_>, out: &mut Samples<'_>, union: &Union) {
    let spec = generator.spec;
    let members = generator.members(union);
    let mut first = None;
    for &index in &members {
        let Some(member) = union.members.get(index) else {
            continue;
        };
        let described = crate::dialect::notation(&member.ty);
        if let Some(value) = generator.member(union, index, Fill::Full, 0) {
            first.get_or_insert_with(|| value.clone());
            out.push(format!("member `{described}`"), value, true);
        }
        if let Some(value) = generator.member(union, index, Fill::Minimal, 0) {
            out.push(format!("minimal member `{described}`"), value, true);
        }
    }
    match &union.tag {
        Some(tag) => {
            let key = wire_tag(spec, union, &tag.value);
            out.push("null instead of an object", Value::Null, false);
            out.push(
                "wrong type: a string instead of an object",
                Value::from("not an object"),
                false,
            );
            let Some(base) = first else {
                return;
            };
            let verdicts = TagVerdicts::of(spec, union, &base);
            out.push(
                format!("missing tag `{key}`"),
                without(&base, &key),
                verdicts.missing,
            );
            out.push(
                format!("unknown tag `{key}`"),
                with(&base, &key, Value::from(UNKNOWN)),
                verdicts.unknown,
            );
            out.push(
                format!("null tag `{key}`"),
                with(&base, &key, Value::Null),
                verdicts.null,
            );
        }
        None => {
            let accepted = union
                .members
                .iter()
                .fold(0, |all, member| all | shape::of_type(spec, &member.ty));
            if accepted & shape::NULL == 0 {
                out.push("null matches no member", Value::Null, false);
            }
            for (shape, value) in shape_examples() {
                if accepted & shape::of_value(&value) == 0 {
                    out.push(
                        format!("wrong type: {shape} matches no member"),
                        value,
                        false,
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn spec() -> Spec {
        let loaded = crate::lint(&crate::FolderSource::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../specs"
        )))
        .expect("specs/ reads");
        loaded.spec.expect("specs/ lowers")
    }

    fn find<'a>(samples: &'a [Sample], label: &str) -> &'a Sample {
        samples
            .iter()
            .find(|sample| sample.label == label)
            .unwrap_or_else(|| {
                let labels: Vec<&str> = samples.iter().map(|s| s.label.as_str()).collect();
                panic!("no sample {label:?} among {labels:#?}")
            })
    }

    fn keys(value: &Value) -> BTreeSet<String> {
        value
            .as_object()
            .map(|map| map.keys().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn every_model_gets_samples_and_an_instance() {
        let spec = spec();
        for name in spec.models.keys() {
            let found = samples(&spec, name);
            assert!(!found.is_empty(), "{name} has no samples");
            assert!(found.iter().any(|s| s.valid), "{name} has no valid sample");
            assert!(found.iter().all(|s| &s.model == name));
            assert!(instance(&spec, name, 7).is_some(), "{name} has no instance");
            assert_eq!(found, samples(&spec, name), "{name} is not deterministic");
            let sampler = Sampler::new(&spec);
            assert_eq!(found, sampler.samples(name));
            assert_eq!(instance(&spec, name, 7), sampler.instance(name, 7));
        }
        assert!(samples(&spec, "NoSuchModel").is_empty());
        assert!(instance(&spec, "NoSuchModel", 0).is_none());
    }

    #[test]
    fn minimal_book_has_exactly_the_required_keys() {
        let spec = spec();
        let Some(ModelKind::Object(book)) = spec.models.get("Book").map(|m| &m.kind) else {
            panic!("Book is an object");
        };
        let required: BTreeSet<String> = book
            .fields
            .iter()
            .filter(|f| matches!(f.presence, Presence::Required | Presence::RequiredNullable))
            .map(|f| f.wire_name.value.clone())
            .collect();
        let found = samples(&spec, "Book");
        assert_eq!(keys(&find(&found, "minimal instance").json), required);
        let full = keys(&find(&found, "full instance").json);
        let every: BTreeSet<String> = book
            .fields
            .iter()
            .map(|f| f.wire_name.value.clone())
            .collect();
        assert_eq!(full, every, "the full Book has every field");
        let full = &find(&found, "full instance").json;
        assert!(full["subtitle"].is_string(), "optional fields have values");
    }

    #[test]
    fn loan_mutations() {
        let spec = spec();
        let found = samples(&spec, "Loan");
        let expect = [
            ("minimal instance", true),
            ("full instance", true),
            ("missing required `patron_id`", false),
            ("null in required `status`", false),
            ("wrong type in `from`", false),
            ("malformed date in `until`", false),
            ("unknown value in open enum at `status`", true),
            ("null in optional-nullable `ref`", true),
            ("absent optional-nullable `ref`", true),
            ("null in optional `renewals` (read as absent)", true),
            ("fraction in integer `renewals`", false),
            ("date-time in `from` with UTC `Z`, no fraction", true),
            (
                "date-time in `from` with zero offset, 9 fractional digits",
                true,
            ),
            ("unknown key `__sample_extra__`", true),
            ("empty object", false),
        ];
        for (label, valid) in expect {
            assert_eq!(find(&found, label).valid, valid, "{label}");
        }
        // Wire names: `from_` is `from` on the wire.
        let full = &find(&found, "full instance").json;
        assert!(full.get("from").is_some() && full.get("from_").is_none());
        assert!(!found.iter().any(|s| s.label.contains("from_")));
        let date = find(
            &found,
            "date-time in `from` with zero offset, 9 fractional digits",
        );
        let text = date.json["from"].as_str().expect("a string");
        assert!(
            text.ends_with("+00:00") && text.len() == "2000-01-01T00:00:00.123456789+00:00".len()
        );
    }

    #[test]
    fn tag_mutations_follow_the_union_rules() {
        let spec = spec();
        let found = samples(&spec, "CatalogEntry");
        let book = find(&found, "member `BookEntry`");
        assert!(book.valid);
        assert_eq!(book.json["type"], "book");
        let periodical = find(&found, "minimal member `PeriodicalEntry`");
        assert!(periodical.valid);
        assert_eq!(periodical.json["type"], "periodical");
        // `BookEntry.type` is a `Literal` the wire may omit: read by shape without it; a
        // null is read as absent, then rejected by the constant; the union is open.
        assert!(find(&found, "missing tag `type`").valid);
        assert!(find(&found, "unknown tag `type`").valid);
        assert!(!find(&found, "null tag `type`").valid);
        assert!(!find(&found, "wrong type: a string instead of an object").valid);
        // As a field: each member, and the tag mutations one level down (`LookupResult`
        // is closed by the overlay).
        let catalog = samples(&spec, "Catalog");
        assert!(find(&catalog, "null in optional-nullable `entries`").valid);
        assert!(find(&catalog, "member `LookupMiss` in `lookup`").valid);
        assert!(find(&catalog, "missing tag `found` in `lookup`").valid);
        assert!(!find(&catalog, "unknown tag `found` in `lookup`").valid);
        // A one-value enum tags `ReferenceDeskMessages`.
        let messages = samples(&spec, "ReferenceDeskMessages");
        assert_eq!(
            find(&messages, "minimal member `PatronMessage`").json["role"],
            "patron"
        );
        // The overlay says `tag-required = true`; the union is open.
        assert!(!find(&messages, "missing tag `role`").valid);
        assert!(find(&messages, "unknown tag `role`").valid);
    }

    #[test]
    fn export_format_is_closed() {
        let spec = spec();
        let found = samples(&spec, "ExportFormat");
        assert!(find(&found, "value \"json_object\"").valid);
        assert!(!find(&found, "unknown value in closed enum").valid);
        assert!(!find(&found, "wrong type: a number for a string enum").valid);
        assert!(!find(&found, "null instead of an enum value").valid);
        let search = samples(&spec, "SearchRequest");
        assert!(!find(&search, "unknown value in closed enum at `format`").valid);
        let days = samples(&spec, "LoanPeriodDays");
        assert_eq!(find(&days, "value 14").json, Value::from(14));
        assert!(find(&days, "unknown value in open enum").valid);
        assert!(find(&days, "unknown value in open enum").json.is_i64());
        assert!(!find(&days, "wrong type: a string for an integer enum").valid);
    }

    #[test]
    fn field_value_members_and_shapes() {
        let spec = spec();
        let found = samples(&spec, "FieldValue");
        for member in [
            "str",
            "int",
            "float",
            "bool",
            "datetime",
            "List[str]",
            "Dict[str, Any]",
            "List[Author]",
        ] {
            assert!(
                find(&found, &format!("member `{member}`")).valid,
                "{member}"
            );
        }
        // Every shape but null has a member: null is the only wrong type.
        let invalid: Vec<&str> = found
            .iter()
            .filter(|s| !s.valid)
            .map(|s| s.label.as_str())
            .collect();
        assert_eq!(invalid, ["null matches no member"]);
        // As a map value in `Book.custom_fields`, nothing is a wrong type but null.
        let book = samples(&spec, "Book");
        assert!(!find(&book, "null value in map `custom_fields`").valid);
        assert!(
            !book
                .iter()
                .any(|s| s.label == "wrong value type in map `custom_fields`")
        );
        // `And` is objects only: other shapes are wrong.
        let and = samples(&spec, "And");
        assert!(!find(&and, "wrong type: a string matches no member").valid);
        assert!(
            !and.iter()
                .any(|s| s.label == "wrong type: an object matches no member")
        );
    }

    #[test]
    fn presence_rows() {
        let spec = spec();
        let book = samples(&spec, "Book");
        assert!(find(&book, "null in required-nullable `translator`").valid);
        assert!(!find(&book, "missing required-nullable `translator`").valid);
        assert!(find(&book, "integer in float `average_rating`").valid);
        assert!(find(&book, "null item in `copies`").valid);
        assert!(!find(&book, "null item in `authors`").valid);
        assert!(!find(&book, "missing required `publisher.name`").valid);
        let job = samples(&spec, "ImportJob");
        assert!(find(&job, "absent defaulted `object`").valid);
        assert!(!find(&job, "null in defaulted `object`").valid);
        assert!(!find(&job, "different value in defaulted `object`").valid);
        assert!(!find(&job, "different constant in `dry_run`").valid);
        let condition = samples(&spec, "FieldCondition");
        // `Any` includes null: a required `Any` field is required-nullable.
        assert!(find(&condition, "null in required-nullable `value`").valid);
        assert!(!condition.iter().any(|s| s.label == "wrong type in `value`"));
        let index = samples(&spec, "CatalogIndex");
        assert!(find(&index, "null in required-nullable `last_payload`").valid);
        assert!(find(&index, "null value in map `active_loans`").valid);
        let publisher = samples(&spec, "Publisher");
        assert!(find(&publisher, "additional property `__sample_extra__`").valid);
        // File uploads are never on the wire.
        let upload = samples(&spec, "CoverUpload");
        assert!(upload.iter().all(|s| s.json.get("file").is_none()));
        assert!(!keys(&find(&upload, "full instance").json).contains("file"));
    }

    #[test]
    fn instances_vary_with_the_seed_only() {
        let spec = spec();
        for name in ["Book", "Catalog", "FieldValue", "CompletionDetailedJobOut"] {
            let first = instance(&spec, name, 1).expect("an instance");
            assert_eq!(Some(&first), instance(&spec, name, 1).as_ref(), "{name}");
            let others: BTreeSet<String> = (2..10)
                .filter_map(|seed| instance(&spec, name, seed))
                .map(|value| value.to_string())
                .collect();
            assert!(others.len() > 1, "{name} does not vary with the seed");
        }
        assert_ne!(instance(&spec, "Book", 1), instance(&spec, "Book", 2));
        // The event-stream member is never chosen.
        for seed in 0..20 {
            let response = instance(&spec, "SearchBooksResponse", seed).expect("an instance");
            assert!(response.get("total").is_some(), "{response}");
        }
    }

    #[test]
    fn recursion_is_finite_and_cycles_of_required_fields_have_no_instance() {
        let spec = spec();
        for seed in 0..50 {
            let node = instance(&spec, "SubjectNode", seed).expect("an instance");
            assert!(depth(&node) < 40, "{node}");
        }
        // A required by-value cycle: `A.b: B`, `B.a: A`.
        let mut cyclic = spec.clone();
        let Some(ModelKind::Object(template)) = spec.models.get("Series").map(|m| &m.kind) else {
            panic!("Series is an object");
        };
        let Some(series) = spec.models.get("Series") else {
            panic!("Series");
        };
        for (name, other) in [("CycleA", "CycleB"), ("CycleB", "CycleA")] {
            let mut model = series.clone();
            model.name = name.to_owned();
            let mut object = template.clone();
            if let Some(field) = object.fields.first_mut() {
                field.ty = Type::Model(other.to_owned());
                field.presence = Presence::Required;
            }
            model.kind = ModelKind::Object(object);
            cyclic.models.insert(name.to_owned(), model);
        }
        assert!(samples(&cyclic, "CycleA").is_empty());
        assert!(instance(&cyclic, "CycleA", 0).is_none());
        assert!(!samples(&cyclic, "Book").is_empty());
    }

    #[test]
    fn calendar_dates_where_the_format_says_date() {
        let mut spec = spec();
        let Some(ModelKind::Object(loan)) = spec.models.get_mut("Loan").map(|m| &mut m.kind) else {
            panic!("Loan is an object");
        };
        for field in &mut loan.fields {
            if let Type::Date { format } = &mut field.ty {
                format.value = DateFormat::Date;
            }
        }
        let found = samples(&spec, "Loan");
        let date = &find(&found, "calendar date in `until`").json["until"];
        let text = date.as_str().expect("a string");
        assert!(
            text.len() == 10
                && text.chars().enumerate().all(|(i, c)| {
                    if i == 4 || i == 7 {
                        c == '-'
                    } else {
                        c.is_ascii_digit()
                    }
                }),
            "{text}"
        );
        assert!(!found.iter().any(|s| s.label.starts_with("date-time in")));
        for seed in 0..20 {
            let loan = instance(&spec, "Loan", seed).expect("an instance");
            assert_eq!(loan["from"].as_str().map(str::len), Some(10), "{loan}");
        }
    }

    fn depth(value: &Value) -> usize {
        match value {
            Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
            Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
            _ => 0,
        }
    }

    #[test]
    fn real_corpora_terminate() {
        let corpora = std::env::var_os("SPEC_CORPORA").map_or_else(
            || {
                std::path::PathBuf::from(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../../shared/corpora"
                ))
            },
            std::path::PathBuf::from,
        );
        let folder = corpora.join("mistral-python-2.5.1");
        if !folder.join("models").is_dir() {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "corpus not found at {}; under CI a missing corpus is a failure",
                folder.display()
            );
            return;
        }
        let loaded = crate::lint(&crate::FolderSource::new(&folder)).expect("the corpus reads");
        let spec = loaded.spec.expect("the corpus lowers");
        let sampler = Sampler::new(&spec);
        let mut sampled = 0;
        for name in spec.models.keys() {
            let found = sampler.samples(name);
            if !found.is_empty() {
                sampled += 1;
                assert!(found.iter().any(|s| s.valid), "{name}");
            }
            for seed in 0..3 {
                assert_eq!(
                    sampler.instance(name, seed).is_some(),
                    !found.is_empty(),
                    "{name}"
                );
            }
        }
        assert!(sampled >= 700, "only {sampled} models have samples");
    }
}
