//! Tagged unions as the generated code reads them: the tag's JSON key, each member's
//! constant, and whether a member may arrive without its tag. One definition shared by
//! the emitter, the validator, the sample generator and `learn`, so they cannot disagree.

use crate::ir::{Field, LiteralValue, Model, ModelKind, Object, Presence, Spec, Type, Union};

/// What the tag says about one member of a tagged union.
#[derive(Debug, Clone, Copy)]
pub struct MemberTag<'s> {
    /// The member's position in [`Union::members`].
    pub index: usize,
    pub model: &'s Model,
    pub object: &'s Object,
    /// The member's tag field.
    pub field: &'s Field,
    /// The constant the tag field holds.
    pub value: &'s LiteralValue,
}

impl MemberTag<'_> {
    /// The text a tag value is matched by (`"job"` -> `job`, `true` -> `true`).
    pub fn key(&self) -> String {
        literal_key(self.value)
    }

    /// Whether the member itself reads a value without its tag (the tag field is
    /// optional, or a constant that absence means).
    pub fn may_be_absent(&self) -> bool {
        !matches!(
            self.field.presence,
            Presence::Required | Presence::RequiredNullable
        )
    }

    /// Whether the member itself always writes its tag.
    pub fn always_written(&self) -> bool {
        matches!(
            self.field.presence,
            Presence::Defaulted | Presence::Required
        )
    }
}

/// The members a union's tag selects, in order; members it cannot select (not objects,
/// no constant tag field) are left out. Empty for an untagged union.
pub fn member_tags<'s>(spec: &'s Spec, union: &Union) -> Vec<MemberTag<'s>> {
    let Some(tag) = &union.tag else {
        return Vec::new();
    };
    union
        .members
        .iter()
        .enumerate()
        .filter_map(|(index, member)| {
            let Type::Model(name) = &member.ty else {
                return None;
            };
            let model = spec.models.get(name)?;
            let ModelKind::Object(object) = &model.kind else {
                return None;
            };
            let field = object.fields.iter().find(|field| field.name == tag.value)?;
            let value = constant(spec, &field.ty)?;
            Some(MemberTag {
                index,
                model,
                object,
                field,
                value,
            })
        })
        .collect()
}

/// The tag's JSON key: the wire name of the first member's tag field.
pub fn wire_tag<'s>(spec: &'s Spec, union: &'s Union) -> Option<&'s str> {
    let tag = union.tag.as_ref()?;
    Some(
        member_tags(spec, union)
            .first()
            .map_or(tag.value.as_str(), |member| {
                member.field.wire_name.value.as_str()
            }),
    )
}

/// Whether a value without the tag is read by shape among the members that may lack it.
pub fn falls_back_to_shape(union: &Union) -> bool {
    union.tag.is_some()
        && !union
            .tag_required
            .as_ref()
            .is_some_and(|required| required.value)
}

/// Whether an unknown tag value is kept rather than rejected.
pub fn is_open(union: &Union) -> bool {
    union.tag.is_some() && union.open.as_ref().is_some_and(|open| open.value)
}

/// The constant a tag field holds: a literal, or a one-value enum.
fn constant<'s>(spec: &'s Spec, ty: &'s Type) -> Option<&'s LiteralValue> {
    match ty {
        Type::Literal(value) => Some(value),
        Type::Model(name) => match spec.models.get(name).map(|model| &model.kind) {
            Some(ModelKind::Enum(enumeration)) if enumeration.values.len() == 1 => {
                enumeration.values.first().map(|value| &value.value)
            }
            _ => None,
        },
        _ => None,
    }
}

/// A tag constant as the text a tag value is matched by.
pub fn literal_key(value: &LiteralValue) -> String {
    match value {
        LiteralValue::String(text) => text.clone(),
        LiteralValue::Boolean(flag) => flag.to_string(),
        LiteralValue::Integer(number) => number.to_string(),
    }
}
