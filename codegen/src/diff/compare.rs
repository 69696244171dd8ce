//! Drift audit, comparison: the changes between matched models (and the models only one
//! side has), each classified for the wire and the Rust API.

use std::collections::{BTreeMap, BTreeSet};

use crate::dialect::notation;
use crate::emit::{Surface, surface};
use crate::ir::{
    AdditionalProperties, Direction, Enum, EnumRepr, Field, Location, Model, ModelKind, Object,
    Presence, Source, Sourced, Spec, Type, Union,
};
use crate::tags;

use super::compat::{Pair, accepts, is_constructor_parameter, option_depth};
use super::matching::{Matching, aligned_fields};
use super::{Change, ChangeKind, Effect};

pub(super) fn changes(old: &Spec, new: &Spec, matching: &Matching<'_>) -> Vec<Change> {
    let mut audit = Audit {
        pair: &matching.pair,
        old_directions: directions(old),
        new_directions: directions(new),
        old_surface: surface(old),
        new_surface: surface(new),
        changes: Vec::new(),
    };
    for model in old.models.values() {
        if !matching.pair.is_matched_old(&model.name) {
            audit.push(
                Subject::Old(model),
                ChangeKind::ModelRemoved,
                None,
                format!("{} removed", kind_name(&model.kind)),
                (Some(&model.location), None),
                Effect::None,
                true,
            );
        }
    }
    for model in new.models.values() {
        if !matching.pair.is_matched_new(&model.name) {
            audit.push(
                Subject::New(model),
                ChangeKind::ModelAdded,
                None,
                format!("{} added", kind_name(&model.kind)),
                (None, Some(&model.location)),
                Effect::None,
                false,
            );
        }
    }
    for rename in &matching.renames {
        let (Some(old_model), Some(new_model)) =
            (old.models.get(&rename.old), new.models.get(&rename.new))
        else {
            continue;
        };
        let found = rename
            .anchor
            .as_ref()
            .map_or_else(|| "on shape".to_owned(), |place| format!("at `{place}`"));
        audit.push(
            Subject::Both(old_model, new_model),
            ChangeKind::ModelRenamed,
            Some(rename.old.clone()),
            format!(
                "renamed from `{}` (similarity {:.2}, found {found})",
                rename.old, rename.similarity
            ),
            (Some(&old_model.location), Some(&new_model.location)),
            Effect::None,
            true,
        );
    }
    for (old_name, new_name) in &matching.pair.forward {
        if let (Some(old_model), Some(new_model)) =
            (old.models.get(old_name), new.models.get(new_name))
        {
            audit.model(old_model, new_model);
        }
    }
    audit.changes
}

/// The model a change is reported under.
#[derive(Debug, Clone, Copy)]
enum Subject<'a> {
    Old(&'a Model),
    New(&'a Model),
    Both(&'a Model, &'a Model),
}

#[derive(Debug)]
struct Audit<'a> {
    pair: &'a Pair<'a>,
    old_directions: BTreeMap<String, Direction>,
    new_directions: BTreeMap<String, Direction>,
    old_surface: BTreeMap<String, Surface>,
    new_surface: BTreeMap<String, Surface>,
    changes: Vec<Change>,
}

type Locations<'l> = (Option<&'l Location>, Option<&'l Location>);

impl Audit<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        subject: Subject<'_>,
        kind: ChangeKind,
        item: Option<String>,
        detail: String,
        (old, new): Locations<'_>,
        wire: Effect,
        api_breaking: bool,
    ) {
        let (model, direction) = match subject {
            Subject::Old(model) => (&model.name, self.old_directions.get(&model.name)),
            Subject::New(model) => (&model.name, self.new_directions.get(&model.name)),
            Subject::Both(old, new) => (
                &new.name,
                self.new_directions
                    .get(&new.name)
                    .or_else(|| self.old_directions.get(&old.name)),
            ),
        };
        let direction = direction.copied();
        self.changes.push(Change {
            model: model.clone(),
            kind,
            item,
            detail,
            old: old.cloned(),
            new: new.cloned(),
            direction,
            wire,
            wire_breaking: wire.breaks(direction),
            api_breaking,
            assumed: false,
        });
    }

    /// Marks the change just pushed as resting on an assumption.
    fn assumed(&mut self, assumed: bool) {
        if let Some(change) = self.changes.last_mut() {
            change.assumed |= assumed;
        }
    }

    fn model(&mut self, old: &Model, new: &Model) {
        let subject = Subject::Both(old, new);
        let at = (Some(&old.location), Some(&new.location));
        match (&old.kind, &new.kind) {
            (ModelKind::Object(a), ModelKind::Object(b)) => self.object(subject, a, b),
            (ModelKind::Enum(a), ModelKind::Enum(b)) => self.enumeration((old, new), a, b),
            (ModelKind::Union(a), ModelKind::Union(b)) => self.union((old, new), a, b),
            (a, b) => {
                self.push(
                    subject,
                    ChangeKind::ModelKindChanged,
                    None,
                    format!("{} -> {}", kind_name(a), kind_name(b)),
                    at,
                    Effect::Both,
                    true,
                );
                return;
            }
        }
        self.derives(subject, old, new, at);
    }

    fn derives(&mut self, subject: Subject<'_>, old: &Model, new: &Model, at: Locations<'_>) {
        let (Some(before), Some(after)) = (
            self.old_surface.get(&old.name),
            self.new_surface.get(&new.name),
        ) else {
            return;
        };
        let traits = |surface: &Surface| {
            let mut traits = BTreeSet::new();
            if surface.eq_hash {
                traits.extend(["Eq", "Hash"]);
            }
            if surface.default {
                traits.insert("Default");
            }
            traits
        };
        let (before, after) = (traits(before), traits(after));
        let lost: Vec<_> = before
            .difference(&after)
            .map(|name| format!("`{name}`"))
            .collect();
        let gained: Vec<_> = after
            .difference(&before)
            .map(|name| format!("`{name}`"))
            .collect();
        if !lost.is_empty() {
            let detail = format!("no longer implements {}", lost.join(", "));
            self.push(
                subject,
                ChangeKind::DerivesChanged,
                None,
                detail,
                at,
                Effect::None,
                true,
            );
        }
        if !gained.is_empty() {
            let detail = format!("now implements {}", gained.join(", "));
            self.push(
                subject,
                ChangeKind::DerivesChanged,
                None,
                detail,
                at,
                Effect::None,
                false,
            );
        }
    }

    fn object(&mut self, subject: Subject<'_>, old: &Object, new: &Object) {
        let aligned = aligned_fields(&old.fields, &new.fields);
        // Field names are unique within a model (a duplicate is a lint error).
        let kept_old: BTreeSet<&str> = aligned.iter().map(|(a, _)| a.name.as_str()).collect();
        let kept_new: BTreeSet<&str> = aligned.iter().map(|(_, b)| b.name.as_str()).collect();
        for field in &old.fields {
            if kept_old.contains(field.name.as_str()) {
                continue;
            }
            let (absent_ok, _) = accepts(field.presence);
            self.push(
                subject,
                ChangeKind::FieldRemoved,
                Some(field.name.clone()),
                format!("removed: {}", field_text(field)),
                (Some(&field.location), None),
                Effect::from_flags(!absent_ok, false),
                true,
            );
        }
        for field in &new.fields {
            if kept_new.contains(field.name.as_str()) {
                continue;
            }
            let (absent_ok, _) = accepts(field.presence);
            self.push(
                subject,
                ChangeKind::FieldAdded,
                Some(field.name.clone()),
                format!("added: {}", field_text(field)),
                (None, Some(&field.location)),
                Effect::from_flags(false, !absent_ok),
                is_constructor_parameter(field.presence),
            );
        }
        for (old_field, new_field) in aligned {
            self.field(subject, old_field, new_field);
        }
        self.additional_properties(
            subject,
            old.additional_properties.as_ref(),
            new.additional_properties.as_ref(),
        );
    }

    fn field(&mut self, subject: Subject<'_>, old: &Field, new: &Field) {
        let at = (Some(&old.location), Some(&new.location));
        let item = Some(new.name.clone());
        if old.name != new.name {
            self.push(
                subject,
                ChangeKind::FieldRenamed,
                item.clone(),
                format!(
                    "SDK name `{}` -> `{}` (JSON key `{}` unchanged)",
                    old.name, new.name, new.wire_name.value
                ),
                at,
                Effect::None,
                true,
            );
        }
        if old.wire_name.value != new.wire_name.value {
            self.push(
                subject,
                ChangeKind::FieldWireNameChanged,
                item.clone(),
                format!(
                    "JSON key {} -> {}",
                    marked(&format!("`{}`", old.wire_name.value), &old.wire_name),
                    marked(&format!("`{}`", new.wire_name.value), &new.wire_name),
                ),
                at,
                Effect::Both,
                false,
            );
            self.assumed(is_assumed(&old.wire_name) || is_assumed(&new.wire_name));
        }

        // Presence: what absent and null mean on the wire, and the `Option`s and
        // constructor parameter of the generated field.
        let (old_absent, old_null) = accepts(old.presence);
        let (new_absent, new_null) = accepts(new.presence);
        let absent = Effect::from_flags(!old_absent && new_absent, old_absent && !new_absent);
        let null = Effect::from_flags(!old_null && new_null, old_null && !new_null);
        let reshaped = option_depth(old.presence) != option_depth(new.presence)
            || is_constructor_parameter(old.presence) != is_constructor_parameter(new.presence);
        let required_changed = old.required.value != new.required.value;
        let nullable_changed = old.nullable.value != new.nullable.value;
        let mut leftover = (
            absent.union(null),
            reshaped && !required_changed && !nullable_changed,
        );
        if required_changed {
            let effect = if nullable_changed {
                absent
            } else {
                absent.union(null)
            };
            self.push(
                subject,
                ChangeKind::FieldRequiredChanged,
                item.clone(),
                format!(
                    "{} -> {}",
                    marked(presence_text(old.presence), &old.required),
                    marked(presence_text(new.presence), &new.required)
                ),
                at,
                effect,
                reshaped,
            );
            self.assumed(is_assumed(&old.required) || is_assumed(&new.required));
            leftover = (Effect::None, false);
        }
        if nullable_changed {
            let effect = if required_changed {
                null
            } else {
                absent.union(null)
            };
            self.push(
                subject,
                ChangeKind::FieldNullableChanged,
                item.clone(),
                format!(
                    "{} -> {}",
                    marked(nullable_text(old.nullable.value), &old.nullable),
                    marked(nullable_text(new.nullable.value), &new.nullable)
                ),
                at,
                effect,
                reshaped,
            );
            self.assumed(is_assumed(&old.nullable) || is_assumed(&new.nullable));
            leftover = (Effect::None, false);
        }
        let wire_equal = self.pair.wire_equal(&old.ty, &new.ty);
        let api_equal = self.pair.api_equal(&old.ty, &new.ty);
        if !api_equal || leftover.0 != Effect::None || leftover.1 {
            // Even a one-value enum that became its `Literal` can narrow: when the enum
            // was open, other values were valid.
            let effect = if api_equal {
                Effect::None
            } else {
                self.pair.type_effect(&old.ty, &new.ty)
            };
            let detail = if api_equal {
                format!(
                    "{} -> {}",
                    presence_text(old.presence),
                    presence_text(new.presence)
                )
            } else if wire_equal && effect == Effect::None {
                format!(
                    "`{}` -> `{}` (the same on the wire, another Rust type)",
                    notation(&old.ty),
                    notation(&new.ty)
                )
            } else if wire_equal {
                format!(
                    "`{}` -> `{}` (the same constant, but the enum was {}: other values were valid)",
                    notation(&old.ty),
                    notation(&new.ty),
                    if type_assumed(self.pair.old, &old.ty) {
                        "open (assumed)"
                    } else {
                        "open"
                    }
                )
            } else {
                format!(
                    "`{}` -> `{}`{}",
                    notation(&old.ty),
                    notation(&new.ty),
                    if type_assumed(self.pair.old, &old.ty) || type_assumed(self.pair.new, &new.ty)
                    {
                        " (a date-time or an enum's openness assumed)"
                    } else {
                        ""
                    }
                )
            };
            self.push(
                subject,
                ChangeKind::FieldTypeChanged,
                item.clone(),
                detail,
                at,
                effect.union(leftover.0),
                !api_equal || leftover.1,
            );
            self.assumed(
                effect != Effect::None
                    && (type_assumed(self.pair.old, &old.ty)
                        || type_assumed(self.pair.new, &new.ty)),
            );
        }
        if !old.deprecated && new.deprecated {
            self.push(
                subject,
                ChangeKind::FieldDeprecated,
                item,
                "now deprecated".to_owned(),
                at,
                Effect::None,
                false,
            );
        }
    }

    fn additional_properties(
        &mut self,
        subject: Subject<'_>,
        old: Option<&AdditionalProperties>,
        new: Option<&AdditionalProperties>,
    ) {
        let (effect, api_breaking) = match (old, new) {
            (None, None) => return,
            // Keys beyond the fields were tolerated with any value; now they are typed.
            (None, Some(new)) => (Effect::from_flags(false, new.value != Type::Any), false),
            (Some(old), None) => (Effect::from_flags(old.value != Type::Any, false), true),
            (Some(old), Some(new)) => {
                if self.pair.api_equal(&old.value, &new.value) {
                    return;
                }
                let effect = if self.pair.wire_equal(&old.value, &new.value) {
                    Effect::None
                } else {
                    self.pair.type_effect(&old.value, &new.value)
                };
                (effect, true)
            }
        };
        let text = |extra: Option<&AdditionalProperties>| {
            extra.map_or_else(
                || "dropped".to_owned(),
                |extra| format!("kept as `{}`", notation(&extra.value)),
            )
        };
        self.push(
            subject,
            ChangeKind::AdditionalPropertiesChanged,
            None,
            format!("keys beyond the fields: {} -> {}", text(old), text(new)),
            (
                old.map(|extra| &extra.location),
                new.map(|extra| &extra.location),
            ),
            effect,
            api_breaking,
        );
    }

    fn enumeration(&mut self, (old_model, new_model): (&Model, &Model), old: &Enum, new: &Enum) {
        let subject = Subject::Both(old_model, new_model);
        let at = (Some(&old_model.location), Some(&new_model.location));
        if old.repr != new.repr {
            self.push(
                subject,
                ChangeKind::EnumReprChanged,
                None,
                format!(
                    "{} values -> {} values",
                    repr_text(old.repr),
                    repr_text(new.repr)
                ),
                at,
                Effect::Both,
                true,
            );
            return;
        }
        for value in &old.values {
            if !new.values.iter().any(|other| other.value == value.value) {
                self.push(
                    subject,
                    ChangeKind::EnumValueRemoved,
                    Some(value.value.to_string()),
                    format!("value `{}` removed", value.value),
                    (Some(&value.location), None),
                    Effect::from_flags(false, !new.open.value),
                    true,
                );
                self.assumed(is_assumed(&new.open));
            }
        }
        for value in &new.values {
            if !old.values.iter().any(|other| other.value == value.value) {
                self.push(
                    subject,
                    ChangeKind::EnumValueAdded,
                    Some(value.value.to_string()),
                    format!(
                        "value `{}` added{}",
                        value.value,
                        if old.open.value {
                            ""
                        } else {
                            " (the enum was closed)"
                        }
                    ),
                    (None, Some(&value.location)),
                    Effect::from_flags(!old.open.value, false),
                    // An open enum is `#[non_exhaustive]`: a new variant breaks no `match`.
                    !(old.open.value && new.open.value),
                );
                self.assumed(is_assumed(&old.open));
            }
        }
        if old.open.value != new.open.value {
            self.push(
                subject,
                ChangeKind::EnumOpenChanged,
                None,
                format!(
                    "{} -> {}",
                    marked(open_text(old.open.value), &old.open),
                    marked(open_text(new.open.value), &new.open)
                ),
                at,
                Effect::from_flags(new.open.value, old.open.value),
                true,
            );
            self.assumed(is_assumed(&old.open) || is_assumed(&new.open));
        }
        let old_variants = self.old_surface.get(&old_model.name).map(|s| &s.variants);
        let new_variants = self.new_surface.get(&new_model.name).map(|s| &s.variants);
        if let (Some(old_variants), Some(new_variants)) = (old_variants, new_variants) {
            let mut renamed = Vec::new();
            for (value, old_variant) in old.values.iter().zip(old_variants) {
                let Some(index) = new
                    .values
                    .iter()
                    .position(|other| other.value == value.value)
                else {
                    continue;
                };
                let (Some(new_variant), Some(new_value)) =
                    (new_variants.get(index), new.values.get(index))
                else {
                    continue;
                };
                if old_variant != new_variant {
                    renamed.push((value, new_value, old_variant.clone(), new_variant.clone()));
                }
            }
            for (old_value, new_value, old_variant, new_variant) in renamed {
                self.push(
                    subject,
                    ChangeKind::EnumVariantRenamed,
                    Some(new_value.value.to_string()),
                    format!("Rust variant `{old_variant}` -> `{new_variant}`"),
                    (Some(&old_value.location), Some(&new_value.location)),
                    Effect::None,
                    true,
                );
            }
        }
    }

    fn union(&mut self, (old_model, new_model): (&Model, &Model), old: &Union, new: &Union) {
        let subject = Subject::Both(old_model, new_model);
        let mut free: Vec<bool> = vec![true; new.members.len()];
        let mut removed = Vec::new();
        for old_member in &old.members {
            match new
                .members
                .iter()
                .enumerate()
                .position(|(j, member)| free[j] && self.pair.wire_equal(&old_member.ty, &member.ty))
            {
                Some(j) => free[j] = false,
                None => removed.push(old_member),
            }
        }
        // A member's values may still fit another member (`int` removed beside `float`).
        let new_union = Type::Model(new_model.name.clone());
        let old_union = Type::Model(old_model.name.clone());
        // An open tagged union keeps a value of any other tag (as `Unknown`).
        let (old_open, new_open) = (tags::is_open(old), tags::is_open(new));
        for member in removed {
            let still_valid = new_open || self.pair.old_within_new(&member.ty, &new_union);
            self.push(
                subject,
                ChangeKind::UnionMemberRemoved,
                Some(notation(&member.ty)),
                format!("member `{}` removed", notation(&member.ty)),
                (Some(&member.location), None),
                Effect::from_flags(false, !still_valid),
                true,
            );
        }
        for (member, free) in new.members.iter().zip(free) {
            if free {
                let valid_before = old_open || self.pair.new_within_old(&member.ty, &old_union);
                self.push(
                    subject,
                    ChangeKind::UnionMemberAdded,
                    Some(notation(&member.ty)),
                    format!("member `{}` added", notation(&member.ty)),
                    (None, Some(&member.location)),
                    Effect::from_flags(!valid_before, false),
                    // An open union is `#[non_exhaustive]`: a new variant breaks no `match`.
                    !(old_open && new_open),
                );
                if old_open {
                    self.assumed(union_assumed(&old.open));
                }
            }
        }
        let tag = |union: &Union| union.tag.as_ref().map(|tag| tag.value.clone());
        if tag(old) != tag(new) {
            let text = |tag: Option<String>| {
                tag.map_or_else(|| "no tag".to_owned(), |tag| format!("tag `{tag}`"))
            };
            self.push(
                subject,
                ChangeKind::UnionTagChanged,
                None,
                format!("{} -> {}", text(tag(old)), text(tag(new))),
                (Some(&old_model.location), Some(&new_model.location)),
                Effect::Both,
                false,
            );
        }
        self.union_settings((old_model, new_model), old, new);
    }

    /// `tag-required` and `open` of tagged unions (an untagged union is neither).
    fn union_settings(
        &mut self,
        (old_model, new_model): (&Model, &Model),
        old: &Union,
        new: &Union,
    ) {
        let subject = Subject::Both(old_model, new_model);
        let at = (Some(&old_model.location), Some(&new_model.location));
        let strict = |union: &Union| union.tag.is_some() && !tags::falls_back_to_shape(union);
        if old.tag.is_some() && new.tag.is_some() && strict(old) != strict(new) {
            let text = |union: &Union| {
                let text = if strict(union) {
                    "tag required"
                } else {
                    "tag optional"
                };
                union
                    .tag_required
                    .as_ref()
                    .map_or_else(|| text.to_owned(), |setting| marked(text, setting))
            };
            self.push(
                subject,
                ChangeKind::UnionTagRequiredChanged,
                None,
                format!("{} -> {}", text(old), text(new)),
                at,
                Effect::from_flags(strict(old), strict(new)),
                false,
            );
            self.assumed(union_assumed(&old.tag_required) || union_assumed(&new.tag_required));
        }
        let (old_open, new_open) = (tags::is_open(old), tags::is_open(new));
        if old_open != new_open {
            let text = |open: bool, setting: &Option<Sourced<bool>>| match setting {
                Some(setting) => marked(open_text(open), setting),
                None => "untagged (closed)".to_owned(),
            };
            self.push(
                subject,
                ChangeKind::UnionOpenChanged,
                None,
                format!(
                    "{} -> {}",
                    text(old_open, &old.open),
                    text(new_open, &new.open)
                ),
                at,
                Effect::from_flags(new_open, old_open),
                // The `Unknown` variant and `#[non_exhaustive]` come or go.
                true,
            );
            self.assumed(union_assumed(&old.open) || union_assumed(&new.open));
        }
    }
}

fn union_assumed(setting: &Option<Sourced<bool>>) -> bool {
    setting.as_ref().is_some_and(is_assumed)
}

/// Each model's direction: its own (overlay), or the one every directed model that
/// references it, directly or not, travels in. Models reached both ways, or not at
/// all, have none.
fn directions(spec: &Spec) -> BTreeMap<String, Direction> {
    let mut reached: BTreeMap<String, BTreeSet<Direction>> = BTreeMap::new();
    for model in spec.models.values() {
        let Some(direction) = model.direction else {
            continue;
        };
        let mut stack = vec![model.name.as_str()];
        let mut seen = BTreeSet::new();
        while let Some(name) = stack.pop() {
            if !seen.insert(name) {
                continue;
            }
            let Some(current) = spec.models.get(name) else {
                continue;
            };
            if current.direction.is_some_and(|own| own != direction) && name != model.name {
                // A model marked the other way keeps its own direction.
                continue;
            }
            reached
                .entry(name.to_owned())
                .or_default()
                .insert(direction);
            for_each_reference(&current.kind, &mut |target| stack.push(target));
        }
    }
    reached
        .into_iter()
        .filter_map(|(name, set)| {
            let own = spec.models.get(&name).and_then(|model| model.direction);
            let direction = own.or_else(|| {
                if set.len() == 1 {
                    set.first().copied()
                } else {
                    None
                }
            });
            direction.map(|direction| (name, direction))
        })
        .collect()
}

fn for_each_reference<'s>(kind: &'s ModelKind, visit: &mut impl FnMut(&'s str)) {
    fn walk<'s>(ty: &'s Type, visit: &mut impl FnMut(&'s str)) {
        match ty {
            Type::Model(name) => visit(name),
            Type::List(inner)
            | Type::Map(inner)
            | Type::Nullable(inner)
            | Type::EventStream(inner) => {
                walk(inner, visit);
            }
            _ => {}
        }
    }
    match kind {
        ModelKind::Object(object) => {
            for field in &object.fields {
                walk(&field.ty, visit);
            }
            if let Some(extra) = &object.additional_properties {
                walk(&extra.value, visit);
            }
        }
        ModelKind::Union(union) => {
            for member in &union.members {
                walk(&member.ty, visit);
            }
        }
        ModelKind::Enum(_) => {}
    }
}

/// Whether a fact is not written in the docs but the documented default assumption.
fn is_assumed<T>(fact: &Sourced<T>) -> bool {
    matches!(fact.source, Source::Default(_))
}

/// `text`, marked `(assumed)` when the fact behind it is.
fn marked<T>(text: &str, fact: &Sourced<T>) -> String {
    if is_assumed(fact) {
        format!("{text} (assumed)")
    } else {
        text.to_owned()
    }
}

/// Whether a type rests on an assumption: a `date` taken as a date-time, or a
/// reference to an enum whose openness is assumed.
fn type_assumed(spec: &Spec, ty: &Type) -> bool {
    match ty {
        Type::Date { format } => is_assumed(format),
        Type::List(inner) | Type::Map(inner) | Type::Nullable(inner) => type_assumed(spec, inner),
        Type::Model(name) => matches!(
            spec.models.get(name).map(|model| &model.kind),
            Some(ModelKind::Enum(enumeration)) if is_assumed(&enumeration.open)
        ),
        _ => false,
    }
}

fn field_text(field: &Field) -> String {
    format!(
        "{} `{}`",
        presence_text(field.presence),
        notation(&field.ty)
    )
}

fn presence_text(presence: Presence) -> &'static str {
    match presence {
        Presence::Required => "required",
        Presence::RequiredNullable => "required, nullable",
        Presence::Optional => "optional",
        Presence::OptionalNullable => "optional, nullable",
        Presence::Defaulted => "constant",
    }
}

fn nullable_text(nullable: bool) -> &'static str {
    if nullable { "nullable" } else { "not nullable" }
}

fn open_text(open: bool) -> &'static str {
    if open { "open" } else { "closed" }
}

fn repr_text(repr: EnumRepr) -> &'static str {
    match repr {
        EnumRepr::String => "string",
        EnumRepr::Integer => "integer",
    }
}

fn kind_name(kind: &ModelKind) -> &'static str {
    match kind {
        ModelKind::Object(_) => "object",
        ModelKind::Enum(_) => "enum",
        ModelKind::Union(_) => "union",
    }
}
