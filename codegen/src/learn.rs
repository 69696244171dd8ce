//! Learning from real payloads: what the markdown hides, proposed as overlay entries.
//!
//! The docs show SDK attribute names, never say whether a table-form enum is closed,
//! and cannot show nullability on containers (README, "What the docs do not say"). Real
//! JSON instances of a model reveal those facts. [`learn`] walks each payload as an
//! instance of a model (and of every model nested in it) and proposes the overlay
//! settings that would make the IR agree with what was seen; [`to_overlay_toml`] writes
//! them as `overlay.toml` text, and [`merge_into_overlay`] adds them to an existing
//! overlay without ever overwriting a value someone already wrote.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use heck::ToLowerCamelCase;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::ir::{EnumRepr, LiteralValue, Model, ModelKind, Object, Presence, Spec, Type, Union};
use crate::tags;

/// One overlay entry the payloads support.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Proposal {
    /// The model title (`[models.<title>]`).
    pub model: String,
    /// The field name as documented (`[models.<title>.fields.<field>]`); `None` for a
    /// setting of the model itself (`open`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub setting: Setting,
    /// How many payloads support it.
    pub support: usize,
    /// An RFC 6901 pointer, inside the first payload that supports it, where it was seen
    /// (`""` is the payload itself).
    pub example_pointer: String,
}

/// One overlay setting, with the value proposed for it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Setting {
    /// `wire = "..."`: the JSON key of a field.
    Wire(String),
    /// `nullable = ...`: whether null is allowed on the wire.
    Nullable(bool),
    /// `required = ...`: whether the field must be present.
    Required(bool),
    /// `open = ...`: whether an enum accepts values beyond the listed ones, or a tagged
    /// union tags beyond its members'.
    Open(bool),
    /// `tag-required = ...`: whether a tagged union's values always carry the tag.
    TagRequired(bool),
}

impl Setting {
    /// The overlay key that holds this setting.
    pub fn key(&self) -> &'static str {
        match self {
            Setting::Wire(_) => "wire",
            Setting::Nullable(_) => "nullable",
            Setting::Required(_) => "required",
            Setting::Open(_) => "open",
            Setting::TagRequired(_) => "tag-required",
        }
    }

    /// Whether the setting belongs to a field (`wire`, `nullable`, `required`) rather
    /// than to a model (`open`, `tag-required`).
    pub fn is_field_setting(&self) -> bool {
        !matches!(self, Setting::Open(_) | Setting::TagRequired(_))
    }

    fn toml_value(&self) -> toml_edit::Value {
        match self {
            Setting::Wire(wire) => wire.as_str().into(),
            Setting::Nullable(value)
            | Setting::Required(value)
            | Setting::Open(value)
            | Setting::TagRequired(value) => (*value).into(),
        }
    }
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.key(), shown(&self.toml_value()))
    }
}

/// The outcome of [`merge_into_overlay`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The overlay text: the existing text, unchanged except for the added entries.
    pub text: String,
    /// Entries that were missing and are now written.
    pub added: usize,
    /// Entries the overlay already held with the proposed value.
    pub kept: usize,
    /// Entries the overlay holds with a different value, left unchanged: one
    /// human-readable line each.
    pub conflicts: Vec<String>,
}

/// Why learning or merging could not be done.
#[derive(Debug, thiserror::Error)]
pub enum LearnError {
    #[error("the spec has no model `{0}`")]
    UnknownModel(String),
    #[error("the existing overlay is not valid TOML: {0}")]
    OverlaySyntax(#[from] toml_edit::TomlError),
    #[error("the existing overlay holds `{0}` as something other than a table")]
    OverlayShape(String),
    #[error("no overlay entry can hold the proposal `{0}`")]
    InvalidProposal(String),
    #[error("the merged overlay would not be valid TOML: {0}")]
    Unwritable(String),
}

/// Walks each payload as an instance of `model` (and of the models nested in it: a
/// payload of A teaches about the models inside it, through fields, lists, maps and
/// union members) and proposes:
///
/// - `wire`: a key that matches no field's wire name but matches a documented field
///   under the naming conventions (camelCase of the snake name, trailing underscore
///   removed or added, a `$` or `_` prefix, case-insensitive equality), while that
///   field's wire key is absent in that object. A key that fits several fields is
///   ambiguous and proposes nothing; when payloads show several keys for one field, the
///   best supported is proposed.
/// - `nullable = true`: a null in a field whose presence does not allow it (`required`,
///   `optional`, `defaulted`).
/// - `open = true`: a value outside a closed enum's values (table-form or list-form).
/// - `required = false`: a field documented required (`required`, `required-nullable`)
///   absent from some payload.
///
/// A union's member is picked by its tag when it has one (a tag value no member holds
/// is a member the docs lack: that value teaches nothing), else the object member that
/// knows most of the keys, else by the JSON shape (a value a member accepts as it is
/// before a closed enum it would break). Proposals the IR already states are never
/// made. The output is sorted by model, field and setting.
pub fn learn(spec: &Spec, model: &str, payloads: &[Value]) -> Result<Vec<Proposal>, LearnError> {
    learn_report(spec, model, payloads).map(|report| report.proposals)
}

/// What [`learn_report`] found: the proposals, and what it would have proposed but for
/// counter-examples.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub proposals: Vec<Proposal>,
    pub withheld: Vec<Withheld>,
}

/// A fact some payloads support and others contradict: never proposed, but reported
/// with its counts (a key seen beside the field it would stand for; a union value
/// without the tag that every other value carried).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Withheld {
    pub proposal: Proposal,
    pub counter_examples: usize,
}

/// [`learn`], with the facts withheld for their counter-examples.
pub fn learn_report(spec: &Spec, model: &str, payloads: &[Value]) -> Result<Report, LearnError> {
    if !spec.models.contains_key(model) {
        return Err(LearnError::UnknownModel(model.to_owned()));
    }
    // A key found for a field hides what its value teaches until the field is read by
    // it: walk again with the keys learned so far, until no new key is found.
    let mut learned: Learned = BTreeMap::new();
    let mut keys: Vec<Proposal> = Vec::new();
    let mut proposals = Vec::new();
    let mut withheld = Vec::new();
    for _ in 0..MAX_ROUNDS {
        (proposals, withheld) = walk_all(spec, model, payloads, &learned);
        let mut new_keys = false;
        proposals.retain(|proposal| {
            let (Setting::Wire(key), Some(field)) = (&proposal.setting, &proposal.field) else {
                return true;
            };
            let entry = (proposal.model.clone(), field.clone());
            if let std::collections::btree_map::Entry::Vacant(slot) = learned.entry(entry) {
                slot.insert(key.clone());
                keys.push(proposal.clone());
                new_keys = true;
            }
            false
        });
        if !new_keys {
            break;
        }
    }
    proposals.extend(keys);
    proposals
        .sort_by(|a, b| (&a.model, &a.field, &a.setting).cmp(&(&b.model, &b.field, &b.setting)));
    Ok(Report {
        proposals,
        withheld,
    })
}

/// JSON keys learned for fields in earlier walks: (model, field) -> key.
type Learned = BTreeMap<(String, String), String>;

/// How many payloads, every one with the tag, make `tag-required = true` a proposal.
const TAG_EVIDENCE: usize = 3;

/// How many times [`learn`] walks the payloads at most (each walk may find keys that
/// reveal more of the payload).
const MAX_ROUNDS: usize = 4;

fn walk_all(
    spec: &Spec,
    model: &str,
    payloads: &[Value],
    learned: &Learned,
) -> (Vec<Proposal>, Vec<Withheld>) {
    let root = Type::Model(model.to_owned());
    let mut learner = Learner {
        spec,
        constants: one_value_enums(spec),
        found: BTreeMap::new(),
        absences: BTreeMap::new(),
        present_with: BTreeMap::new(),
        withheld: Vec::new(),
        learned,
        tag_evidence: BTreeMap::new(),
        payload: 0,
    };
    for (index, payload) in payloads.iter().enumerate() {
        learner.payload = index;
        learner.walk_type(payload, &root, "", 0);
    }
    learner.proposals()
}

/// The proposals as overlay TOML text (the format of README, "The overlay"), each entry
/// preceded by a comment saying how many payloads support it and where one was seen.
/// Proposals no overlay entry can hold (`open` on a field, a field setting without a
/// field) are left out, and of two proposals for one entry only the first is written.
pub fn to_overlay_toml(proposals: &[Proposal]) -> String {
    let mut document = toml_edit::DocumentMut::new();
    for proposal in proposals {
        let Ok(place) = Place::of(proposal) else {
            continue;
        };
        // A fresh document holds nothing but tables made here, so this only fails for
        // a second proposal of the same entry, which is skipped.
        let _ = merge_one(&mut document, proposal, &place);
    }
    document.to_string()
}

/// Merges proposals into existing overlay text: a missing entry is added (with the same
/// comment as [`to_overlay_toml`]), an existing equal value is kept, and an existing
/// different value is never overwritten but reported as a conflict. Everything else in
/// the text (comments, order, formatting) is preserved.
pub fn merge_into_overlay(existing: &str, proposals: &[Proposal]) -> Result<Merged, LearnError> {
    let mut document: toml_edit::DocumentMut = existing.parse()?;
    let mut merged = Merged {
        text: String::new(),
        added: 0,
        kept: 0,
        conflicts: Vec::new(),
    };
    for proposal in proposals {
        let place = Place::of(proposal)?;
        match merge_one(&mut document, proposal, &place)? {
            Outcome::Added => merged.added += 1,
            Outcome::Kept => merged.kept += 1,
            Outcome::Conflict(existing) => merged.conflicts.push(format!(
                "{}: the overlay says {existing}, the payloads suggest {} ({}); left unchanged",
                place.display(),
                shown(&proposal.setting.toml_value()),
                seen_in(proposal),
            )),
        }
    }
    let text = document.to_string();
    if let Err(error) = text.parse::<toml_edit::DocumentMut>() {
        return Err(LearnError::Unwritable(error.to_string()));
    }
    merged.text = text;
    Ok(merged)
}

type Found = BTreeMap<(String, Option<String>, Setting), Seen>;

struct Seen {
    payloads: BTreeSet<usize>,
    pointer: String,
}

/// A documented-required field seen absent: in which objects, and the keys no field
/// reads that those objects held (one of them may be the field under another key).
struct Absence {
    payloads: BTreeSet<usize>,
    objects: usize,
    pointer: String,
    /// Unknown key -> (objects without the field that hold it, whether every value of it
    /// fits the field's type, where it was first seen).
    keys: BTreeMap<String, (usize, bool, String)>,
}

struct Learner<'s> {
    spec: &'s Spec,
    constants: BTreeMap<&'s str, &'s LiteralValue>,
    found: Found,
    /// (model, field) -> where it was missing.
    absences: BTreeMap<(String, String), Absence>,
    /// (model, field, unknown key) seen together: the key is not the field's.
    present_with: BTreeMap<(String, String, String), usize>,
    /// Facts the payloads suggest and also contradict.
    withheld: Vec<Withheld>,
    /// Keys learned in earlier walks, read as their fields' keys.
    learned: &'s Learned,
    /// Tagged unions that may read a value without its tag: the payloads whose values
    /// carried it, and how many values did not (each a counter-example).
    tag_evidence: BTreeMap<String, (BTreeSet<usize>, usize, String)>,
    /// The index of the payload being walked.
    payload: usize,
}

impl<'s> Learner<'s> {
    fn record(&mut self, model: &str, field: Option<&str>, setting: Setting, pointer: &str) {
        self.found
            .entry((model.to_owned(), field.map(str::to_owned), setting))
            .or_insert_with(|| Seen {
                payloads: BTreeSet::new(),
                pointer: pointer.to_owned(),
            })
            .payloads
            .insert(self.payload);
    }

    /// `hops` counts union-to-member steps on the same value, so unions whose members
    /// lead back to themselves stop.
    fn walk_type(&mut self, value: &Value, ty: &Type, pointer: &str, hops: usize) {
        match ty {
            Type::Model(name) => {
                if let Some(model) = self.spec.models.get(name) {
                    self.walk_model(value, model, pointer, hops);
                }
            }
            Type::List(item) => {
                if let Value::Array(items) = value {
                    for (index, element) in items.iter().enumerate() {
                        let at = child_pointer(pointer, &index.to_string());
                        self.walk_type(element, item, &at, 0);
                    }
                }
            }
            Type::Map(item) => {
                if let Value::Object(map) = value {
                    for (key, element) in map {
                        self.walk_type(element, item, &child_pointer(pointer, key), 0);
                    }
                }
            }
            Type::Nullable(inner) if !value.is_null() => {
                self.walk_type(value, inner, pointer, hops);
            }
            _ => {}
        }
    }

    fn walk_model(&mut self, value: &Value, model: &'s Model, pointer: &str, hops: usize) {
        match &model.kind {
            ModelKind::Object(object) => {
                if let Value::Object(map) = value {
                    self.walk_object(model, object, map, pointer);
                }
            }
            ModelKind::Enum(enumeration) => {
                let known = |literal: &LiteralValue| literal_matches(literal, value);
                let fits_repr = match enumeration.repr {
                    EnumRepr::String => value.is_string(),
                    EnumRepr::Integer => value.is_i64() || value.is_u64(),
                };
                if !enumeration.open.value
                    && fits_repr
                    && !enumeration.values.iter().any(|v| known(&v.value))
                {
                    self.record(&model.name, None, Setting::Open(true), pointer);
                }
            }
            ModelKind::Union(union) => {
                if !tags::is_open(union) && self.has_unknown_tag(union, value) {
                    self.record(&model.name, None, Setting::Open(true), pointer);
                    return;
                }
                self.weigh_tag(model, union, value, pointer);
                if hops <= self.spec.models.len()
                    && let Some(member) = self.pick_member(union, value)
                {
                    self.walk_type(value, member, pointer, hops + 1);
                }
            }
        }
    }

    fn walk_object(
        &mut self,
        model: &'s Model,
        object: &'s Object,
        map: &Map<String, Value>,
        pointer: &str,
    ) {
        let wire_names: BTreeSet<&str> = object
            .fields
            .iter()
            .map(|field| field.wire_name.value.as_str())
            .collect();
        // Keys no field reads, matched to the one field they can stand for: first the
        // keys learned in earlier walks, then by the naming conventions.
        let mut aliases: BTreeMap<usize, &str> = BTreeMap::new();
        for (index, field) in object.fields.iter().enumerate() {
            if let Some(key) = self.learned.get(&(model.name.clone(), field.name.clone()))
                && !map.contains_key(&field.wire_name.value)
                && let Some((key, _)) = map.get_key_value(key)
            {
                aliases.insert(index, key);
            }
        }
        for key in map.keys() {
            if wire_names.contains(key.as_str()) || aliases.values().any(|used| used == key) {
                continue;
            }
            let mut candidates = object.fields.iter().enumerate().filter(|(_, field)| {
                !map.contains_key(&field.wire_name.value)
                    && !matches!(field.ty, Type::FileUpload | Type::SdkOnly)
                    && conventional_key(key, &field.name)
            });
            if let (Some((index, field)), None) = (candidates.next(), candidates.next())
                && !aliases.contains_key(&index)
            {
                aliases.insert(index, key);
                self.record(
                    &model.name,
                    Some(&field.name),
                    Setting::Wire(key.clone()),
                    &child_pointer(pointer, key),
                );
            }
        }
        let unknown: Vec<(&String, &Value)> = map
            .iter()
            .filter(|(key, _)| {
                !wire_names.contains(key.as_str()) && !aliases.values().any(|used| used == key)
            })
            .collect();
        for (index, field) in object.fields.iter().enumerate() {
            if matches!(field.ty, Type::FileUpload | Type::SdkOnly) {
                continue; // SDK-only, never on the wire
            }
            let key = if map.contains_key(&field.wire_name.value) {
                Some(field.wire_name.value.as_str())
            } else {
                aliases.get(&index).copied()
            };
            let required = matches!(
                field.presence,
                Presence::Required | Presence::RequiredNullable
            );
            let Some((key, value)) = key.and_then(|key| Some((key, map.get(key)?))) else {
                if required {
                    self.absent(model, field, &unknown, pointer);
                }
                continue;
            };
            if required {
                for (other, _) in &unknown {
                    *self
                        .present_with
                        .entry((model.name.clone(), field.name.clone(), (*other).clone()))
                        .or_default() += 1;
                }
            }
            let at = child_pointer(pointer, key);
            if value.is_null() {
                // An optional field already tolerates null (the SDKs read it as absent
                // and never send it): only a null where it is an error teaches.
                if matches!(field.presence, Presence::Required | Presence::Defaulted) {
                    self.record(&model.name, Some(&field.name), Setting::Nullable(true), &at);
                }
                continue;
            }
            self.walk_type(value, &field.ty, &at, 0);
        }
        if let Some(extra) = &object.additional_properties {
            let used: BTreeSet<&str> = aliases.values().copied().collect();
            for (key, value) in map {
                if !wire_names.contains(key.as_str()) && !used.contains(key.as_str()) {
                    self.walk_type(value, &extra.value, &child_pointer(pointer, key), 0);
                }
            }
        }
    }

    /// Records a required field missing from one object, with the object's unknown keys.
    fn absent(
        &mut self,
        model: &Model,
        field: &crate::ir::Field,
        unknown: &[(&String, &Value)],
        pointer: &str,
    ) {
        let fits: Vec<bool> = unknown
            .iter()
            .map(|(_, value)| self.fits(&field.ty, value))
            .collect();
        let absence = self
            .absences
            .entry((model.name.clone(), field.name.clone()))
            .or_insert_with(|| Absence {
                payloads: BTreeSet::new(),
                objects: 0,
                pointer: pointer.to_owned(),
                keys: BTreeMap::new(),
            });
        absence.payloads.insert(self.payload);
        absence.objects += 1;
        for ((key, _), fits) in unknown.iter().zip(fits) {
            let entry = absence
                .keys
                .entry((*key).clone())
                .or_insert_with(|| (0, true, child_pointer(pointer, key)));
            entry.0 += 1;
            entry.1 &= fits;
        }
    }

    /// Whether a value has a JSON shape a field of `ty` reads (and, for scalars, is one
    /// of its values).
    fn fits(&self, ty: &Type, value: &Value) -> bool {
        if value.is_null() {
            return false;
        }
        let shapes = crate::shape::of_type(self.spec, ty);
        shapes & crate::shape::of_value(value) != 0
            && (value.is_object()
                || value.is_array()
                || !self.is_scalar(ty)
                || self.accepts(ty, value))
    }

    fn is_scalar(&self, ty: &Type) -> bool {
        match strip_nullable(ty) {
            Type::Model(name) => matches!(
                self.spec.models.get(name).map(|model| &model.kind),
                Some(ModelKind::Enum(_))
            ),
            Type::List(_) | Type::Map(_) | Type::Any => false,
            _ => true,
        }
    }

    fn object_of(&self, ty: &Type) -> Option<&'s Object> {
        match ty {
            Type::Model(name) => match &self.spec.models.get(name)?.kind {
                ModelKind::Object(object) => Some(object),
                _ => None,
            },
            Type::Nullable(inner) => self.object_of(inner),
            _ => None,
        }
    }

    fn model_of(&self, ty: &Type) -> Option<&'s Model> {
        match ty {
            Type::Model(name) => self.spec.models.get(name),
            Type::Nullable(inner) => self.model_of(inner),
            _ => None,
        }
    }

    fn constant_of(&self, ty: &'s Type) -> Option<&'s LiteralValue> {
        match ty {
            Type::Literal(value) => Some(value),
            Type::Model(name) => self.constants.get(name.as_str()).copied(),
            _ => None,
        }
    }

    fn pick_member(&self, union: &'s Union, value: &Value) -> Option<&'s Type> {
        let members = || union.members.iter().map(|member| &member.ty);
        if let (Some(tag), Value::Object(map)) = (&union.tag, value) {
            // Each member's tag: the JSON key and the constant it must hold.
            let tags: Vec<(&'s Type, &'s str, &'s LiteralValue)> = members()
                .filter_map(|ty| {
                    let object = self.object_of(ty)?;
                    let field = object.fields.iter().find(|f| f.name == tag.value)?;
                    Some((
                        ty,
                        field.wire_name.value.as_str(),
                        self.constant_of(&field.ty)?,
                    ))
                })
                .collect();
            if let Some((ty, _, _)) = tags.iter().find(|(_, key, constant)| {
                map.get(*key)
                    .is_some_and(|found| literal_matches(constant, found))
            }) {
                return Some(ty);
            }
            if let Some(found) = tags.iter().find_map(|(_, key, _)| map.get(*key))
                && !found.is_null()
            {
                // A tag no member holds: a member the docs do not list yet, nothing
                // to learn about the others (`walk_model` proposes `open` for it).
                return None;
            }
            // No tag key at all: it may be misnamed; the keys decide.
        }
        match value {
            Value::Null => None,
            Value::Object(map) => {
                // The member that knows most of the keys, when it is the only one: a
                // payload two members fit equally teaches nothing about either.
                let mut best: Option<(usize, &Type)> = None;
                let mut tied = false;
                let mut objects = 0;
                for ty in members() {
                    let Some(object) = self.object_of(ty) else {
                        continue;
                    };
                    objects += 1;
                    let known = map
                        .keys()
                        .filter(|key| object.fields.iter().any(|f| &f.wire_name.value == *key))
                        .count();
                    match best {
                        Some((most, _)) if known == most => tied = true,
                        Some((most, _)) if known < most => {}
                        _ => {
                            best = Some((known, ty));
                            tied = false;
                        }
                    }
                }
                match best {
                    Some((_, ty)) if objects == 1 => return Some(ty),
                    Some((known, ty)) if known > 0 && !tied => return Some(ty),
                    Some((known, _)) if known > 0 => return None,
                    _ => {}
                }
                members()
                    .find(|ty| matches!(strip_nullable(ty), Type::Map(_) | Type::Any))
                    .or_else(|| members().find(|ty| self.is_union(ty)))
            }
            _ => members()
                .find(|ty| self.accepts(ty, value))
                .or_else(|| members().find(|ty| self.shape_fits(ty, value))),
        }
    }

    /// Counts a value of a tagged union that may be read without its tag for or against
    /// `tag-required = true`.
    fn weigh_tag(&mut self, model: &Model, union: &Union, value: &Value, pointer: &str) {
        let (Some(wire), Value::Object(map)) = (tags::wire_tag(self.spec, union), value) else {
            return;
        };
        let may_lack_it = tags::falls_back_to_shape(union)
            && tags::member_tags(self.spec, union)
                .iter()
                .any(tags::MemberTag::may_be_absent);
        if !may_lack_it {
            return;
        }
        let evidence = self
            .tag_evidence
            .entry(model.name.clone())
            .or_insert_with(|| (BTreeSet::new(), 0, pointer.to_owned()));
        match map.get(wire) {
            Some(found) if !found.is_null() => {
                evidence.0.insert(self.payload);
            }
            _ => evidence.1 += 1,
        }
    }

    /// Whether a value of a tagged union holds a tag (not null) no member has.
    fn has_unknown_tag(&self, union: &Union, value: &Value) -> bool {
        let (Some(wire), Value::Object(map)) = (tags::wire_tag(self.spec, union), value) else {
            return false;
        };
        map.get(wire).is_some_and(|found| {
            !found.is_null()
                && !tags::member_tags(self.spec, union)
                    .iter()
                    .any(|member| literal_matches(member.value, found))
        })
    }

    fn is_union(&self, ty: &Type) -> bool {
        self.model_of(ty)
            .is_some_and(|model| matches!(model.kind, ModelKind::Union(_)))
    }

    /// Whether a member takes a scalar or array value as it is.
    fn accepts(&self, ty: &Type, value: &Value) -> bool {
        match (ty, value) {
            (Type::Nullable(inner), _) => self.accepts(inner, value),
            (Type::Any, _) => true,
            (Type::Literal(literal), _) => literal_matches(literal, value),
            (Type::String | Type::Bytes | Type::Date { .. }, Value::String(_)) => true,
            (Type::Integer, Value::Number(number)) => number.is_i64() || number.is_u64(),
            (Type::Float, Value::Number(_)) => true,
            (Type::Boolean, Value::Bool(_)) => true,
            (Type::List(_), Value::Array(_)) => true,
            (Type::Model(name), _) => match self.spec.models.get(name).map(|m| &m.kind) {
                Some(ModelKind::Enum(enumeration)) => {
                    let fits_repr = match enumeration.repr {
                        EnumRepr::String => value.is_string(),
                        EnumRepr::Integer => value.is_i64() || value.is_u64(),
                    };
                    fits_repr
                        && (enumeration.open.value
                            || enumeration
                                .values
                                .iter()
                                .any(|known| literal_matches(&known.value, value)))
                }
                _ => false,
            },
            _ => false,
        }
    }

    /// Whether a member has the value's JSON shape without taking the value itself: a
    /// closed enum it is not listed in, or a union that may hold it.
    fn shape_fits(&self, ty: &Type, value: &Value) -> bool {
        match self.model_of(ty).map(|model| &model.kind) {
            Some(ModelKind::Enum(enumeration)) => match enumeration.repr {
                EnumRepr::String => value.is_string(),
                EnumRepr::Integer => value.is_i64() || value.is_u64(),
            },
            Some(ModelKind::Union(_)) => true,
            _ => false,
        }
    }

    /// Turns each absence of a required field into a proposal: the one unknown key that
    /// every object without the field holds, that no object with the field holds, and
    /// whose values fit the field (`wire`: the field is there, under another name); else,
    /// when no unknown key can be the field, `required = false`; when several can,
    /// nothing (the payloads do not say which).
    fn resolve_absences(&mut self) {
        let absences = std::mem::take(&mut self.absences);
        for ((model, field), absence) in absences {
            let mut candidates: Vec<(&String, &String)> = Vec::new();
            for (key, (count, fits, pointer)) in &absence.keys {
                if *count != absence.objects || !*fits {
                    continue;
                }
                match self
                    .present_with
                    .get(&(model.clone(), field.clone(), key.clone()))
                {
                    None => candidates.push((key, pointer)),
                    Some(&against) => self.withheld.push(Withheld {
                        proposal: Proposal {
                            model: model.clone(),
                            field: Some(field.clone()),
                            setting: Setting::Wire(key.clone()),
                            support: absence.payloads.len(),
                            example_pointer: pointer.clone(),
                        },
                        counter_examples: against,
                    }),
                }
            }
            let (setting, pointer) = match candidates.as_slice() {
                [] => (Setting::Required(false), absence.pointer.clone()),
                [(key, pointer)] => (Setting::Wire((*key).clone()), (*pointer).clone()),
                _ => continue,
            };
            let seen = self
                .found
                .entry((model.clone(), Some(field.clone()), setting))
                .or_insert_with(|| Seen {
                    payloads: BTreeSet::new(),
                    pointer,
                });
            seen.payloads.extend(absence.payloads);
        }
    }

    /// One proposal per entry: of several keys seen for one field, the best supported
    /// (then the first in order).
    fn proposals(mut self) -> (Vec<Proposal>, Vec<Withheld>) {
        self.resolve_absences();
        // Every value carried the tag, in enough payloads to tell a discriminated union
        // from chance: the SDK most likely requires it.
        for (union, (payloads, untagged, pointer)) in std::mem::take(&mut self.tag_evidence) {
            if payloads.len() < TAG_EVIDENCE {
                continue;
            }
            if untagged == 0 {
                self.found.insert(
                    (union, None, Setting::TagRequired(true)),
                    Seen { payloads, pointer },
                );
            } else {
                self.withheld.push(Withheld {
                    proposal: Proposal {
                        model: union,
                        field: None,
                        setting: Setting::TagRequired(true),
                        support: payloads.len(),
                        example_pointer: pointer,
                    },
                    counter_examples: untagged,
                });
            }
        }
        let mut best: BTreeMap<(String, Option<String>, &'static str), Proposal> = BTreeMap::new();
        for ((model, field, setting), seen) in self.found {
            let proposal = Proposal {
                model,
                field,
                support: seen.payloads.len(),
                example_pointer: seen.pointer,
                setting,
            };
            let key = (
                proposal.model.clone(),
                proposal.field.clone(),
                proposal.setting.key(),
            );
            match best.get(&key) {
                Some(kept) if kept.support >= proposal.support => {}
                _ => {
                    best.insert(key, proposal);
                }
            }
        }
        let mut proposals: Vec<Proposal> = best.into_values().collect();
        proposals.sort_by(|a, b| {
            (&a.model, &a.field, &a.setting).cmp(&(&b.model, &b.field, &b.setting))
        });
        self.withheld.sort_by(|a, b| a.proposal.cmp(&b.proposal));
        (proposals, self.withheld)
    }
}

/// The constant of every enum with exactly one value (such an enum is a constant, and
/// may tag a union as a `Literal` does).
fn one_value_enums(spec: &Spec) -> BTreeMap<&str, &LiteralValue> {
    spec.models
        .values()
        .filter_map(|model| match &model.kind {
            ModelKind::Enum(enumeration) => match enumeration.values.as_slice() {
                [only] => Some((model.name.as_str(), &only.value)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn strip_nullable(ty: &Type) -> &Type {
    match ty {
        Type::Nullable(inner) => strip_nullable(inner),
        _ => ty,
    }
}

fn literal_matches(literal: &LiteralValue, value: &Value) -> bool {
    match (literal, value) {
        (LiteralValue::String(expected), Value::String(found)) => expected == found,
        (LiteralValue::Integer(expected), Value::Number(found)) => {
            found.as_i64() == Some(*expected)
        }
        (LiteralValue::Boolean(expected), Value::Bool(found)) => expected == found,
        _ => false,
    }
}

/// Whether a JSON key is the documented field name under one of the naming
/// conventions: camelCase, the trailing `_` removed or added, a `$` or `_` prefix, and
/// case-insensitive equality with any of those.
fn conventional_key(key: &str, name: &str) -> bool {
    let stem = name.strip_suffix('_').unwrap_or(name);
    let bases = [
        name.to_owned(),
        stem.to_owned(),
        format!("{name}_"),
        name.to_lower_camel_case(),
    ];
    let key = key.to_lowercase();
    bases.iter().any(|base| {
        let base = base.to_lowercase();
        !base.is_empty()
            && (key == base
                || key.strip_prefix('$') == Some(base.as_str())
                || key.strip_prefix('_') == Some(base.as_str()))
    })
}

/// `pointer` extended by one reference token (RFC 6901: `~` as `~0`, `/` as `~1`).
fn child_pointer(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", token.replace('~', "~0").replace('/', "~1"))
}

/// Where a proposal goes in the overlay.
struct Place {
    model: String,
    field: Option<String>,
    key: &'static str,
}

impl Place {
    fn of(proposal: &Proposal) -> Result<Self, LearnError> {
        if proposal.setting.is_field_setting() != proposal.field.is_some() {
            let field = proposal
                .field
                .as_deref()
                .map_or(String::new(), |field| format!(" on the field `{field}`"));
            return Err(LearnError::InvalidProposal(format!(
                "{} for the model `{}`{field}",
                proposal.setting, proposal.model
            )));
        }
        Ok(Self {
            model: proposal.model.clone(),
            field: proposal.field.clone(),
            key: proposal.setting.key(),
        })
    }

    /// The table path: `models.<model>` or `models.<model>.fields.<field>`.
    fn path(&self) -> Vec<&str> {
        let mut path = vec!["models", self.model.as_str()];
        if let Some(field) = &self.field {
            path.extend(["fields", field.as_str()]);
        }
        path
    }

    /// The dotted TOML key of the setting, quoted where needed.
    fn display(&self) -> String {
        let mut keys: Vec<String> = self
            .path()
            .into_iter()
            .map(|key| toml_edit::Key::new(key).display_repr().into_owned())
            .collect();
        keys.push(self.key.to_owned());
        keys.join(".")
    }
}

enum Outcome {
    Added,
    Kept,
    /// The existing value, as TOML.
    Conflict(String),
}

fn merge_one(
    document: &mut toml_edit::DocumentMut,
    proposal: &Proposal,
    place: &Place,
) -> Result<Outcome, LearnError> {
    let mut item = document.as_item_mut();
    let mut trail: Vec<&str> = Vec::new();
    for key in place.path() {
        trail.push(key);
        item = child_table(item, key).ok_or_else(|| LearnError::OverlayShape(trail.join(".")))?;
    }
    let inline = item.is_inline_table();
    let table = item
        .as_table_like_mut()
        .ok_or_else(|| LearnError::OverlayShape(trail.join(".")))?;
    let wanted = proposal.setting.toml_value();
    if let Some(existing) = table.get(place.key) {
        let equal = match (existing.as_value(), &wanted) {
            (Some(toml_edit::Value::String(found)), toml_edit::Value::String(wanted)) => {
                found.value() == wanted.value()
            }
            (Some(toml_edit::Value::Boolean(found)), toml_edit::Value::Boolean(wanted)) => {
                found.value() == wanted.value()
            }
            _ => false,
        };
        return Ok(if equal {
            Outcome::Kept
        } else {
            let shown = match existing.as_value() {
                Some(value) => shown(value),
                None => "a table".to_owned(),
            };
            Outcome::Conflict(shown)
        });
    }
    table.insert(place.key, toml_edit::Item::Value(wanted));
    // Comments inside an inline table need TOML 1.1; leave those without one.
    if !inline && let Some(mut key) = table.key_mut(place.key) {
        key.leaf_decor_mut()
            .set_prefix(format!("# {}\n", seen_in(proposal)));
    }
    Ok(Outcome::Added)
}

/// The table under `key` in `item`, created (implicit, so it adds no header of its own)
/// when missing; `None` when `item` is not a table or `key` holds something else.
fn child_table<'d>(item: &'d mut toml_edit::Item, key: &str) -> Option<&'d mut toml_edit::Item> {
    let inline = item.is_inline_table();
    let table = item.as_table_like_mut()?;
    if !table.contains_key(key) {
        let child = if inline {
            toml_edit::Item::Value(toml_edit::Value::InlineTable(toml_edit::InlineTable::new()))
        } else {
            let mut child = toml_edit::Table::new();
            child.set_implicit(true);
            child.set_dotted(table.is_dotted());
            toml_edit::Item::Table(child)
        };
        table.insert(key, child);
    }
    let child = table.get_mut(key)?;
    child.is_table_like().then_some(child)
}

/// A TOML value as written, without the whitespace or comment around it.
fn shown(value: &toml_edit::Value) -> String {
    let mut value = value.clone();
    value.decor_mut().clear();
    value.to_string()
}

/// `seen in N payloads, e.g. at /pointer`, safe inside a one-line comment.
fn seen_in(proposal: &Proposal) -> String {
    let payloads = if proposal.support == 1 {
        "payload"
    } else {
        "payloads"
    };
    let at = if proposal.example_pointer.is_empty() {
        "\"\" (the payload itself)".to_owned()
    } else {
        proposal
            .example_pointer
            .chars()
            .flat_map(|c| {
                if c.is_control() {
                    c.escape_unicode().collect::<Vec<_>>()
                } else {
                    vec![c]
                }
            })
            .collect()
    };
    format!("seen in {} {payloads}, e.g. at {at}", proposal.support)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use serde_json::json;

    use super::*;
    use crate::ir::{Source, Sourced};

    /// A spec written into a fresh folder under the system temp folder, removed when
    /// dropped.
    struct TempSpec(PathBuf);

    impl TempSpec {
        fn new(docs: &[(&str, String)], overlay: Option<&str>) -> Self {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let count = COUNTER.fetch_add(1, Ordering::Relaxed);
            let root = std::env::temp_dir()
                .join(format!("codegen-learn-test-{}-{count}", std::process::id()));
            let _ = std::fs::remove_dir_all(&root);
            std::fs::create_dir_all(root.join("models")).expect("create the temp spec");
            for (title, text) in docs {
                let path = root
                    .join("models")
                    .join(format!("{}.md", title.to_lowercase()));
                std::fs::write(path, text).expect("write a doc");
            }
            let spec = Self(root);
            if let Some(overlay) = overlay {
                spec.set_overlay(overlay);
            }
            spec
        }

        fn set_overlay(&self, text: &str) {
            std::fs::write(self.0.join("overlay.toml"), text).expect("write the overlay");
        }

        fn load(&self) -> Spec {
            let loaded = crate::lint(&crate::FolderSource::new(&self.0)).expect("read the spec");
            let errors: Vec<_> = loaded
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::diagnostic::Severity::Error)
                .map(|d| d.message.clone())
                .collect();
            assert!(errors.is_empty(), "the test spec has errors: {errors:?}");
            let warnings: Vec<_> = loaded
                .diagnostics
                .iter()
                .filter(|d| d.code == crate::diagnostic::Code::OverlayUnmatched)
                .map(|d| d.message.clone())
                .collect();
            assert!(
                warnings.is_empty(),
                "unmatched overlay entries: {warnings:?}"
            );
            loaded.spec.expect("a python spec")
        }
    }

    impl Drop for TempSpec {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn object_doc(title: &str, rows: &[(&str, &str, bool)]) -> String {
        let mut text = format!(
            "# {title}\n\n\n## Fields\n\n| Field | Type | Required | Description |\n| ----- | ---- | -------- | ----------- |\n"
        );
        for (name, ty, required) in rows {
            let marker = if *required {
                ":heavy_check_mark:"
            } else {
                ":heavy_minus_sign:"
            };
            text.push_str(&format!("| `{name}` | {ty} | {marker} | N/A |\n"));
        }
        text
    }

    fn list_enum_doc(title: &str, values: &[&str], open: bool) -> String {
        let mut text = format!("# {title}\n\n\n## Values\n\n");
        if open {
            text.push_str(
                "This is an open enum. Unrecognized values will not fail type checks.\n\n",
            );
        }
        for value in values {
            text.push_str(&format!("- `\"{value}\"`\n"));
        }
        text
    }

    fn table_enum_doc(title: &str, values: &[&str]) -> String {
        let mut text = format!("# {title}\n\n\n## Values\n\n| Name | Value |\n| ---- | ----- |\n");
        for value in values {
            text.push_str(&format!("| `{}` | {value} |\n", value.to_uppercase()));
        }
        text
    }

    fn union_doc(title: &str, members: &[&str]) -> String {
        let mut text = format!("# {title}\n\n\n## Supported Types\n\n");
        for member in members {
            text.push_str(&format!(
                "### `models.{member}`\n\n```python\nvalue: models.{member} = /* values here */\n```\n\n"
            ));
        }
        text
    }

    fn link(wrapper: &str, title: &str) -> String {
        let file = title.to_lowercase();
        match wrapper {
            "" => format!("[models.{title}](../models/{file}.md)"),
            "List" => format!("List[[models.{title}](../models/{file}.md)]"),
            "Dict" => format!("Dict[str, [models.{title}](../models/{file}.md)]"),
            _ => format!("[{wrapper}[models.{title}]](../models/{file}.md)"),
        }
    }

    /// A job with a nested error list, an error map, enums of every openness, a tagged
    /// union of events and an untagged union of outputs.
    fn job_spec(overlay: Option<&str>) -> TempSpec {
        let job = object_doc(
            "Job",
            &[
                ("id", "*str*", true),
                ("created_at", "*int*", true),
                ("from_", "*Optional[str]*", false),
                ("ref", "*Optional[str]*", false),
                ("suffix", "*Optional[str]*", false),
                ("note", "*OptionalNullable[str]*", false),
                ("retries", "*Nullable[int]*", true),
                ("object", "*Literal[\"job\"]*", true),
                ("status", &link("", "JobStatus"), true),
                ("stage", &link("Optional", "Stage"), false),
                ("phase", &link("Optional", "Phase"), false),
                ("kind", &link("Optional", "Kind"), false),
                ("errors", &link("List", "JobError"), true),
                ("errors_by_file", &link("Dict", "JobError"), false),
                ("events", &link("List", "Event"), false),
                ("output", &link("Optional", "Output"), false),
            ],
        );
        let docs = vec![
            ("Job", job),
            (
                "JobError",
                object_doc(
                    "JobError",
                    &[
                        ("message", "*str*", true),
                        ("error_code", "*Optional[int]*", false),
                    ],
                ),
            ),
            (
                "JobStatus",
                table_enum_doc("JobStatus", &["queued", "running", "done"]),
            ),
            ("Kind", table_enum_doc("Kind", &["training", "batch"])),
            (
                "Stage",
                list_enum_doc("Stage", &["validate", "train"], false),
            ),
            ("Phase", list_enum_doc("Phase", &["warmup", "steady"], true)),
            ("Event", union_doc("Event", &["Started", "Finished"])),
            (
                "Started",
                object_doc(
                    "Started",
                    &[
                        ("type", "*Literal[\"started\"]*", true),
                        ("at_time", "*int*", true),
                    ],
                ),
            ),
            (
                "Finished",
                object_doc(
                    "Finished",
                    &[
                        ("type", "*Literal[\"finished\"]*", true),
                        ("at_time", "*int*", true),
                        ("exit_code", "*Optional[int]*", false),
                    ],
                ),
            ),
            ("Output", union_doc("Output", &["FileOutput", "TextOutput"])),
            (
                "FileOutput",
                object_doc(
                    "FileOutput",
                    &[
                        ("file_id", "*str*", true),
                        ("size_bytes", "*Optional[int]*", false),
                    ],
                ),
            ),
            (
                "TextOutput",
                object_doc(
                    "TextOutput",
                    &[
                        ("text", "*str*", true),
                        ("line_count", "*Optional[int]*", false),
                    ],
                ),
            ),
        ];
        TempSpec::new(&docs, overlay)
    }

    /// A payload with every documented key, as the docs name them.
    fn job(extra: Value) -> Value {
        let mut payload = json!({
            "id": "job-1",
            "created_at": 1,
            "retries": 0,
            "object": "job",
            "status": "queued",
            "errors": [],
        });
        if let (Value::Object(payload), Value::Object(extra)) = (&mut payload, extra) {
            for (key, value) in extra {
                if value == json!("<absent>") {
                    payload.remove(&key);
                } else {
                    payload.insert(key, value);
                }
            }
        }
        payload
    }

    fn proposal(
        model: &str,
        field: Option<&str>,
        setting: Setting,
        support: usize,
        at: &str,
    ) -> Proposal {
        Proposal {
            model: model.to_owned(),
            field: field.map(str::to_owned),
            setting,
            support,
            example_pointer: at.to_owned(),
        }
    }

    #[test]
    fn documented_payloads_propose_nothing() {
        let spec = job_spec(None).load();
        let payloads = [
            job(json!({})),
            job(json!({"note": null, "retries": null, "from": "a", "ref": "b", "status": "new"})),
        ];
        assert_eq!(learn(&spec, "Job", &payloads).expect("learn"), vec![]);
    }

    #[test]
    fn unknown_models_are_an_error() {
        let spec = job_spec(None).load();
        let error = learn(&spec, "Nope", &[]).expect_err("no such model");
        assert!(matches!(error, LearnError::UnknownModel(ref name) if name == "Nope"));
        assert_eq!(error.to_string(), "the spec has no model `Nope`");
    }

    #[test]
    fn a_camel_case_key_proposes_a_wire_name_with_its_support() {
        let spec = job_spec(None).load();
        let payloads = [
            job(json!({"created_at": "<absent>", "createdAt": 1})),
            job(json!({"created_at": "<absent>", "createdAt": 2})),
            job(json!({})),
            // Both keys: the documented one is read, the other is an unknown key.
            job(json!({"createdAt": 3})),
        ];
        assert_eq!(
            learn(&spec, "Job", &payloads).expect("learn"),
            vec![proposal(
                "Job",
                Some("created_at"),
                Setting::Wire("createdAt".into()),
                2,
                "/createdAt"
            )]
        );
    }

    #[test]
    fn reserved_word_and_dollar_keys_propose_wire_names() {
        let spec = job_spec(None).load();
        // `from_` is read as `from` by convention; this server writes `from_`.
        let payloads = [job(
            json!({"from_": "a", "$ref": "#/x", "_suffix": "s", "ID": "x", "id": "<absent>"}),
        )];
        let found = learn(&spec, "Job", &payloads).expect("learn");
        let wires: Vec<(Option<&str>, &Setting)> = found
            .iter()
            .map(|p| (p.field.as_deref(), &p.setting))
            .collect();
        assert_eq!(
            wires,
            vec![
                (Some("from_"), &Setting::Wire("from_".into())),
                (Some("id"), &Setting::Wire("ID".into())),
                (Some("ref"), &Setting::Wire("$ref".into())),
                (Some("suffix"), &Setting::Wire("_suffix".into())),
            ]
        );
    }

    #[test]
    fn a_key_that_fits_two_fields_proposes_nothing() {
        let docs = vec![(
            "Pair",
            object_doc(
                "Pair",
                &[
                    ("file_id", "*Optional[str]*", false),
                    ("fileid", "*Optional[str]*", false),
                ],
            ),
        )];
        let temp = TempSpec::new(&docs, None);
        let spec = temp.load();
        // `FileId` is the camelCase of one and the other in another case.
        let found = learn(&spec, "Pair", &[json!({"FileId": "x"})]).expect("learn");
        assert_eq!(found, vec![]);
        // With one of them present, the key can only stand for the other.
        let found = learn(&spec, "Pair", &[json!({"FileId": "x", "fileid": "y"})]).expect("learn");
        assert_eq!(
            found,
            vec![proposal(
                "Pair",
                Some("file_id"),
                Setting::Wire("FileId".into()),
                1,
                "/FileId"
            )]
        );
    }

    #[test]
    fn nulls_in_fields_that_do_not_allow_them_propose_nullable() {
        let spec = job_spec(None).load();
        let payloads = [
            job(json!({"suffix": null, "id": null, "object": null})),
            // Nullable and optional-nullable fields allow null, and an optional one
            // tolerates it (the SDKs read it as absent and never send it): nothing to
            // learn.
            job(json!({"suffix": null, "note": null, "retries": null})),
        ];
        assert_eq!(
            learn(&spec, "Job", &payloads).expect("learn"),
            vec![
                proposal("Job", Some("id"), Setting::Nullable(true), 1, "/id"),
                proposal("Job", Some("object"), Setting::Nullable(true), 1, "/object"),
            ]
        );
    }

    #[test]
    fn unknown_values_open_closed_enums_only() {
        let overlay = "[models.Kind]\nopen = false\n";
        let spec = job_spec(Some(overlay)).load();
        let payloads = [job(json!({
            "status": "paused",   // table form, open by default
            "phase": "cooldown",  // list form, open by its sentence
            "stage": "evaluate",  // list form, closed
            "kind": "eval",       // table form, closed by the overlay
        }))];
        assert_eq!(
            learn(&spec, "Job", &payloads).expect("learn"),
            vec![
                proposal("Kind", None, Setting::Open(true), 1, "/kind"),
                proposal("Stage", None, Setting::Open(true), 1, "/stage"),
            ]
        );
        // A listed value, or a value of another JSON type, says nothing about openness.
        let payloads = [job(json!({"stage": "train", "kind": 3}))];
        assert_eq!(learn(&spec, "Job", &payloads).expect("learn"), vec![]);
    }

    #[test]
    fn a_missing_required_field_proposes_required_false() {
        let spec = job_spec(None).load();
        let payloads = [
            job(json!({})),
            job(json!({"retries": "<absent>"})),
            job(json!({"retries": "<absent>", "errors": "<absent>"})),
            // A required constant may be absent (the wire defaults it).
            job(json!({"object": "<absent>"})),
        ];
        assert_eq!(
            learn(&spec, "Job", &payloads).expect("learn"),
            vec![
                proposal("Job", Some("errors"), Setting::Required(false), 1, ""),
                proposal("Job", Some("retries"), Setting::Required(false), 2, ""),
            ]
        );
    }

    #[test]
    fn nested_models_are_learned_through_lists_maps_and_unions() {
        let spec = job_spec(None).load();
        let payloads = [
            job(json!({
                "errors": [
                    {"message": "a", "errorCode": 1},
                    {"message": "b", "error_code": null},
                ],
                "errors_by_file": {"a/b.jsonl": {"message": null}},
                "events": [
                    {"type": "started", "at_time": 1},
                    // The tag picks `Finished`, although both know `at_time`.
                    {"type": "finished", "atTime": 2, "exitCode": 0},
                ],
                // No tag: the member that knows most keys.
                "output": {"text": "done", "lineCount": 3},
            })),
            job(json!({
                "errors": [{"errorCode": 2}],
                "events": [{"type": "started"}],
                "output": {"file_id": "f", "sizeBytes": 1},
            })),
        ];
        assert_eq!(
            learn(&spec, "Job", &payloads).expect("learn"),
            vec![
                proposal(
                    "FileOutput",
                    Some("size_bytes"),
                    Setting::Wire("sizeBytes".into()),
                    1,
                    "/output/sizeBytes"
                ),
                proposal(
                    "Finished",
                    Some("at_time"),
                    Setting::Wire("atTime".into()),
                    1,
                    "/events/1/atTime"
                ),
                proposal(
                    "Finished",
                    Some("exit_code"),
                    Setting::Wire("exitCode".into()),
                    1,
                    "/events/1/exitCode"
                ),
                proposal(
                    "JobError",
                    Some("error_code"),
                    Setting::Wire("errorCode".into()),
                    2,
                    "/errors/0/errorCode"
                ),
                proposal(
                    "JobError",
                    Some("message"),
                    Setting::Nullable(true),
                    1,
                    "/errors_by_file/a~1b.jsonl/message"
                ),
                proposal(
                    "JobError",
                    Some("message"),
                    Setting::Required(false),
                    1,
                    "/errors/0"
                ),
                proposal(
                    "Started",
                    Some("at_time"),
                    Setting::Required(false),
                    1,
                    "/events/0"
                ),
                proposal(
                    "TextOutput",
                    Some("line_count"),
                    Setting::Wire("lineCount".into()),
                    1,
                    "/output/lineCount"
                ),
            ]
        );
    }

    #[test]
    fn tagged_unions_skip_unknown_tags_and_fall_back_on_keys_without_one() {
        let spec = job_spec(None).load();
        let payloads = [job(json!({
            "events": [
                // A member the docs do not list yet: nothing about the others.
                {"type": "paused", "reason": "quota"},
                // No tag key: the member that knows most keys, whose tag is misnamed.
                {"Type": "finished", "at_time": 3, "exit_code": 1},
            ],
        }))];
        assert_eq!(
            learn(&spec, "Job", &payloads).expect("learn"),
            vec![proposal(
                "Finished",
                Some("type"),
                Setting::Wire("Type".into()),
                1,
                "/events/1/Type"
            )]
        );
    }

    #[test]
    fn a_key_present_exactly_when_a_required_field_is_missing_is_its_key() {
        let spec = job_spec(None).load();
        let renamed = [
            job(json!({"created_at": "<absent>", "creation_time": 5})),
            job(json!({"created_at": "<absent>", "creation_time": 6, "extra": true})),
        ];
        assert_eq!(
            learn(&spec, "Job", &renamed).expect("learn"),
            vec![proposal(
                "Job",
                Some("created_at"),
                Setting::Wire("creation_time".into()),
                2,
                "/creation_time"
            )]
        );
        // Seen beside the field, the key is something else: the field is just absent.
        let mut contradicted = renamed.to_vec();
        contradicted.push(job(json!({"creation_time": 7})));
        let report = learn_report(&spec, "Job", &contradicted).expect("learn");
        assert_eq!(
            report.proposals,
            vec![proposal(
                "Job",
                Some("created_at"),
                Setting::Required(false),
                2,
                ""
            )]
        );
        // ...and the key it could have been is reported, with its counter-example.
        assert_eq!(
            report.withheld,
            vec![Withheld {
                proposal: proposal(
                    "Job",
                    Some("created_at"),
                    Setting::Wire("creation_time".into()),
                    2,
                    "/creation_time"
                ),
                counter_examples: 1,
            }]
        );
        // A key whose values the field cannot hold is not the field either.
        let unfit = [job(
            json!({"created_at": "<absent>", "creation_time": "soon"}),
        )];
        assert_eq!(
            learn(&spec, "Job", &unfit).expect("learn"),
            vec![proposal(
                "Job",
                Some("created_at"),
                Setting::Required(false),
                1,
                ""
            )]
        );
        // Two keys that could both be it: the payloads do not say which; nothing.
        let ambiguous = [job(json!({"created_at": "<absent>", "a": 1, "b": 2}))];
        assert_eq!(learn(&spec, "Job", &ambiguous).expect("learn"), vec![]);
    }

    #[test]
    fn a_learned_key_reveals_what_its_value_holds() {
        let spec = job_spec(None).load();
        // `failures` is `errors` under another key; inside, a null `message`.
        let payloads = [job(
            json!({"errors": "<absent>", "failures": [{"message": null}]}),
        )];
        assert_eq!(
            learn(&spec, "Job", &payloads).expect("learn"),
            vec![
                proposal(
                    "Job",
                    Some("errors"),
                    Setting::Wire("failures".into()),
                    1,
                    "/failures"
                ),
                proposal(
                    "JobError",
                    Some("message"),
                    Setting::Nullable(true),
                    1,
                    "/failures/0/message"
                ),
            ]
        );
    }

    #[test]
    fn a_payload_two_members_fit_equally_teaches_nothing() {
        let spec = job_spec(None).load();
        let tie = [job(
            json!({"output": {"file_id": "f", "text": "t", "sizeBytes": 3}}),
        )];
        assert_eq!(learn(&spec, "Job", &tie).expect("learn"), vec![]);
        let clear = [job(json!({"output": {"file_id": "f", "sizeBytes": 3}}))];
        assert_eq!(
            learn(&spec, "Job", &clear).expect("learn"),
            vec![proposal(
                "FileOutput",
                Some("size_bytes"),
                Setting::Wire("sizeBytes".into()),
                1,
                "/output/sizeBytes"
            )]
        );
    }

    #[test]
    fn tagged_unions_learn_open_and_tag_required() {
        // Closed by the overlay, an unknown tag proposes opening it.
        let spec = job_spec(Some("[models.Event]\nopen = false\n")).load();
        let paused = [job(json!({"events": [{"type": "paused"}]}))];
        assert_eq!(
            learn(&spec, "Job", &paused).expect("learn"),
            vec![proposal("Event", None, Setting::Open(true), 1, "/events/0")]
        );
        // Three payloads, every value tagged although the members' `Literal` may be
        // absent: evidence that the SDK discriminates.
        let spec = job_spec(None).load();
        let tagged = |n: i64| job(json!({"events": [{"type": "started", "at_time": n}]}));
        let payloads = [tagged(1), tagged(2), tagged(3)];
        assert_eq!(
            learn(&spec, "Job", &payloads).expect("learn"),
            vec![proposal(
                "Event",
                None,
                Setting::TagRequired(true),
                3,
                "/events/0"
            )]
        );
        // Two are not enough, and one value without its tag is a counter-example.
        assert_eq!(learn(&spec, "Job", &payloads[..2]).expect("learn"), vec![]);
        let mut untagged = payloads.to_vec();
        untagged.push(job(json!({"events": [{"at_time": 4}]})));
        let report = learn_report(&spec, "Job", &untagged).expect("learn");
        assert_eq!(report.proposals, vec![]);
        assert_eq!(
            report.withheld,
            vec![Withheld {
                proposal: proposal("Event", None, Setting::TagRequired(true), 3, "/events/0"),
                counter_examples: 1,
            }]
        );
    }

    #[test]
    fn union_members_of_scalars_prefer_a_member_that_takes_the_value() {
        let docs = vec![
            (
                "Holder",
                object_doc("Holder", &[("value", &link("", "Choice"), true)]),
            ),
            ("Choice", {
                let mut text = union_doc("Choice", &["Color"]);
                text.push_str("### `str`\n\n```python\nvalue: str = /* values here */\n```\n\n");
                text
            }),
            ("Color", list_enum_doc("Color", &["red", "blue"], false)),
            ("Size", list_enum_doc("Size", &["s", "m"], false)),
            (
                "Sized",
                object_doc("Sized", &[("size", &link("", "SizeChoice"), true)]),
            ),
            ("SizeChoice", {
                let mut text = union_doc("SizeChoice", &["Size"]);
                text.push_str("### `int`\n\n```python\nvalue: int = /* values here */\n```\n\n");
                text
            }),
        ];
        let temp = TempSpec::new(&docs, None);
        let spec = temp.load();
        // `str` takes "green" as it is: the closed enum is not blamed.
        let found = learn(&spec, "Holder", &[json!({"value": "green"})]).expect("learn");
        assert_eq!(found, vec![]);
        // Only the closed enum has the string shape: it is.
        let found =
            learn(&spec, "Sized", &[json!({"size": "xl"}), json!({"size": 3})]).expect("learn");
        assert_eq!(
            found,
            vec![proposal("Size", None, Setting::Open(true), 1, "/size")]
        );
    }

    #[test]
    fn the_example_spec_teaches_through_tagged_unions_and_maps() {
        let loaded = crate::lint(&crate::FolderSource::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../specs"
        )))
        .expect("read the example spec");
        let spec = loaded.spec.expect("the example spec lowers");
        let payload = json!({
            "id": "c1",
            "object": "catalog",
            "name": "Main",
            "entries": [
                {"type": "book", "isbn": "978-0"},
                {"type": "periodical", "ISSN": "1234-5678", "issue": null},
            ],
            "search": {"query": "dune", "format": "yaml", "minRating": 3.5},
            "index": {
                "tags": [],
                "last_payload": null,
                "active_loans": {
                    "c-1": null,
                    "c-2": {"patronId": "p", "from_": "2024-01-01T00:00:00Z", "until": "2024-02-01T00:00:00Z", "status": "active", "$ref": "L-9"},
                },
            },
        });
        let found = learn(&spec, "Catalog", &[payload]).expect("learn");
        let summary: Vec<String> = found
            .iter()
            .map(|p| {
                format!(
                    "{}.{} {} @{}",
                    p.model,
                    p.field.as_deref().unwrap_or("-"),
                    p.setting,
                    p.example_pointer
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                "Catalog.books required = false @",
                "ExportFormat.- open = true @/search/format",
                "Loan.from_ wire = \"from_\" @/index/active_loans/c-2/from_",
                "Loan.patron_id wire = \"patronId\" @/index/active_loans/c-2/patronId",
                "Loan.ref wire = \"$ref\" @/index/active_loans/c-2/$ref",
                "PeriodicalEntry.issn wire = \"ISSN\" @/entries/1/ISSN",
                "SearchRequest.min_rating wire = \"minRating\" @/search/minRating",
            ]
        );
    }

    #[test]
    fn proposals_become_commented_overlay_toml() {
        let proposals = vec![
            proposal(
                "Job",
                Some("created_at"),
                Setting::Wire("createdAt".into()),
                2,
                "/createdAt",
            ),
            proposal(
                "Job",
                Some("created_at"),
                Setting::Nullable(true),
                1,
                "/created_at",
            ),
            proposal("Job", Some("errors"), Setting::Required(false), 1, ""),
            proposal("Job Status", None, Setting::Open(true), 3, "/status"),
            proposal("Odd", Some("a.b"), Setting::Wire("a\nb".into()), 1, "/a\nb"),
            // No overlay entry holds these: left out.
            proposal("Job", None, Setting::Wire("x".into()), 1, ""),
            proposal("Job", Some("id"), Setting::Open(true), 1, ""),
        ];
        let text = to_overlay_toml(&proposals);
        assert_eq!(
            text,
            r#"[models.Job.fields.created_at]
# seen in 2 payloads, e.g. at /createdAt
wire = "createdAt"
# seen in 1 payload, e.g. at /created_at
nullable = true

[models.Job.fields.errors]
# seen in 1 payload, e.g. at "" (the payload itself)
required = false

[models."Job Status"]
# seen in 3 payloads, e.g. at /status
open = true

[models.Odd.fields."a.b"]
# seen in 1 payload, e.g. at /a\u{a}b
wire = """
a
b"""
"#
        );
        let overlay = crate::overlay::parse(crate::diagnostic::FileId(0), &text).expect("parses");
        assert_eq!(
            overlay.models["Job Status"].open.as_ref().map(|s| s.value),
            Some(true)
        );
        assert_eq!(
            overlay.models["Odd"].fields["a.b"]
                .wire
                .as_ref()
                .map(|s| s.value.as_str()),
            Some("a\nb")
        );
        assert_eq!(to_overlay_toml(&[]), "");
    }

    const EXISTING: &str = r#"# Facts the docs leave out, checked against the staging server.

[models.Kind]
open = false # the server rejects other kinds

[models.Job.fields.created_at]
wire = "createdAt"   # confirmed
"#;

    #[test]
    fn merging_adds_keeps_and_reports_conflicts() {
        let proposals = vec![
            proposal(
                "Job",
                Some("created_at"),
                Setting::Wire("createdAt".into()),
                2,
                "/createdAt",
            ),
            proposal(
                "Job",
                Some("created_at"),
                Setting::Nullable(true),
                1,
                "/createdAt",
            ),
            proposal("Job", Some("suffix"), Setting::Nullable(true), 1, "/suffix"),
            proposal("Kind", None, Setting::Open(true), 1, "/kind"),
            proposal("Stage", None, Setting::Open(true), 4, "/stage"),
        ];
        let merged = merge_into_overlay(EXISTING, &proposals).expect("merge");
        assert_eq!(merged.added, 3);
        assert_eq!(merged.kept, 1);
        assert_eq!(
            merged.conflicts,
            vec![
                "models.Kind.open: the overlay says false, the payloads suggest true (seen in 1 payload, e.g. at /kind); left unchanged"
            ]
        );
        assert_eq!(
            merged.text,
            r#"# Facts the docs leave out, checked against the staging server.

[models.Kind]
open = false # the server rejects other kinds

[models.Job.fields.created_at]
wire = "createdAt"   # confirmed
# seen in 1 payload, e.g. at /createdAt
nullable = true

[models.Job.fields.suffix]
# seen in 1 payload, e.g. at /suffix
nullable = true

[models.Stage]
# seen in 4 payloads, e.g. at /stage
open = true
"#
        );
        // Merging again changes nothing: everything is there.
        let again = merge_into_overlay(&merged.text, &proposals).expect("merge again");
        assert_eq!((again.added, again.kept, again.conflicts.len()), (0, 4, 1));
        assert_eq!(again.text, merged.text);
    }

    #[test]
    fn merging_follows_inline_and_dotted_tables() {
        let existing =
            "models.Job.fields.id = { wire = \"ID\" }\n\n[models.Kind]\nfields.x.required = true\n";
        let proposals = vec![
            proposal("Job", Some("id"), Setting::Nullable(true), 1, "/ID"),
            proposal("Job", Some("id"), Setting::Wire("Id".into()), 1, "/Id"),
            proposal("Kind", Some("x"), Setting::Wire("X".into()), 1, "/X"),
        ];
        let merged = merge_into_overlay(existing, &proposals).expect("merge");
        assert_eq!((merged.added, merged.kept), (2, 0));
        assert_eq!(merged.conflicts.len(), 1, "{:?}", merged.conflicts);
        let overlay = crate::overlay::parse(crate::diagnostic::FileId(0), &merged.text)
            .unwrap_or_else(|error| panic!("{}: {}", error.message, merged.text));
        let id = &overlay.models["Job"].fields["id"];
        assert_eq!(id.wire.as_ref().map(|s| s.value.as_str()), Some("ID"));
        assert_eq!(id.nullable.as_ref().map(|s| s.value), Some(true));
        let x = &overlay.models["Kind"].fields["x"];
        assert_eq!(x.wire.as_ref().map(|s| s.value.as_str()), Some("X"));
        assert_eq!(x.required.as_ref().map(|s| s.value), Some(true));
    }

    #[test]
    fn merging_rejects_what_it_cannot_hold() {
        let proposals = [proposal(
            "Job",
            Some("id"),
            Setting::Nullable(true),
            1,
            "/id",
        )];
        assert!(matches!(
            merge_into_overlay("models = [", &proposals),
            Err(LearnError::OverlaySyntax(_))
        ));
        assert!(matches!(
            merge_into_overlay("models = 3\n", &proposals),
            Err(LearnError::OverlayShape(ref path)) if path == "models"
        ));
        assert!(matches!(
            merge_into_overlay("[models.Job]\nfields = \"none\"\n", &proposals),
            Err(LearnError::OverlayShape(ref path)) if path == "models.Job.fields"
        ));
        let wrong = [proposal("Job", None, Setting::Nullable(true), 1, "")];
        let error = merge_into_overlay("", &wrong).expect_err("a field setting needs a field");
        assert_eq!(
            error.to_string(),
            "no overlay entry can hold the proposal `nullable = true for the model `Job``"
        );
    }

    #[test]
    fn the_merged_overlay_changes_the_ir_when_lowered() {
        let temp = job_spec(Some(EXISTING));
        let spec = temp.load();
        let payloads = [
            job(
                json!({"created_at": "<absent>", "createdAt": 5, "from_": "a", "suffix": null, "stage": "evaluate", "kind": "eval"}),
            ),
            job(
                json!({"created_at": "<absent>", "createdAt": 6, "retries": "<absent>", "errors": [{"message": "m", "errorCode": 7}]}),
            ),
        ];
        let proposals = learn(&spec, "Job", &payloads).expect("learn");
        // `created_at` already reads `createdAt` through the overlay: nothing to propose.
        assert!(
            proposals
                .iter()
                .all(|p| p.field.as_deref() != Some("created_at"))
        );
        let merged = merge_into_overlay(EXISTING, &proposals).expect("merge");
        assert_eq!(
            merged.conflicts.len(),
            1,
            "Kind is closed by hand: {:?}",
            merged.conflicts
        );
        assert!(
            merged.text.starts_with(EXISTING.trim_end()),
            "{}",
            merged.text
        );
        crate::overlay::parse(crate::diagnostic::FileId(0), &merged.text)
            .unwrap_or_else(|error| panic!("{}: {}", error.message, merged.text));

        temp.set_overlay(&merged.text);
        let relowered = temp.load();
        let field = |model: &str, name: &str| match &relowered.models[model].kind {
            ModelKind::Object(object) => object
                .fields
                .iter()
                .find(|field| field.name == name)
                .cloned()
                .expect("the field"),
            _ => panic!("{model} is not an object"),
        };
        fn overlay<T>(value: T) -> Sourced<T> {
            Sourced {
                value,
                source: Source::Overlay,
                from: None,
            }
        }
        assert_eq!(field("Job", "from_").wire_name, overlay("from_".to_owned()));
        // A null in an optional field is tolerated: it teaches nothing.
        assert_eq!(field("Job", "suffix").presence, Presence::Optional);
        assert_eq!(field("Job", "retries").required, overlay(false));
        assert_eq!(field("Job", "retries").presence, Presence::OptionalNullable);
        assert_eq!(
            field("JobError", "error_code").wire_name,
            overlay("errorCode".to_owned())
        );
        let open = |model: &str| match &relowered.models[model].kind {
            ModelKind::Enum(enumeration) => enumeration.open.clone(),
            _ => panic!("{model} is not an enum"),
        };
        assert_eq!(open("Stage"), overlay(true));
        assert_eq!(
            open("Kind"),
            overlay(false),
            "the conflict left the hand-written value"
        );
        // What was learned is now stated: learning again proposes only the conflict.
        assert_eq!(
            learn(&relowered, "Job", &payloads).expect("learn"),
            vec![proposal("Kind", None, Setting::Open(true), 1, "/kind")]
        );
    }
}
