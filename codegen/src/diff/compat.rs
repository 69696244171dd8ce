//! Drift audit, compatibility: when two types are the same modulo renames, whether one
//! accepts every value the other does, and how presence rows differ on the wire and in
//! the Rust types the emitter writes for them.

use std::collections::BTreeMap;

use crate::ir::{EnumRepr, LiteralValue, ModelKind, Presence, Spec, Type};

/// How deep subsumption follows unions and nested types before it gives up (and says
/// "not comparable", which is the conservative answer).
const MAX_DEPTH: usize = 16;

/// The two specs and which old model is which new one (same title, or renamed).
#[derive(Debug)]
pub(super) struct Pair<'a> {
    pub old: &'a Spec,
    pub new: &'a Spec,
    /// Old title -> new title, for every matched model.
    pub forward: BTreeMap<String, String>,
    /// New title -> old title.
    pub backward: BTreeMap<String, String>,
}

/// Which spec a type belongs to, so model references are looked up in the right one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Old,
    New,
}

impl Side {
    fn other(self) -> Side {
        match self {
            Side::Old => Side::New,
            Side::New => Side::Old,
        }
    }
}

impl<'a> Pair<'a> {
    pub(super) fn new(old: &'a Spec, new: &'a Spec) -> Self {
        Pair {
            old,
            new,
            forward: BTreeMap::new(),
            backward: BTreeMap::new(),
        }
    }

    pub(super) fn link(&mut self, old: &str, new: &str) {
        self.forward.insert(old.to_owned(), new.to_owned());
        self.backward.insert(new.to_owned(), old.to_owned());
    }

    pub(super) fn is_matched_old(&self, old: &str) -> bool {
        self.forward.contains_key(old)
    }

    pub(super) fn is_matched_new(&self, new: &str) -> bool {
        self.backward.contains_key(new)
    }

    fn spec(&self, side: Side) -> &'a Spec {
        match side {
            Side::Old => self.old,
            Side::New => self.new,
        }
    }

    /// Whether `old_ty` and `new_ty` are the same JSON type, models compared modulo the
    /// matching and a one-value enum taken as equal to its `Literal`.
    pub(super) fn wire_equal(&self, old_ty: &Type, new_ty: &Type) -> bool {
        self.equal(old_ty, new_ty, true)
    }

    /// Whether the generated Rust types are the same modulo renames (a one-value enum and
    /// a literal are different Rust types).
    pub(super) fn api_equal(&self, old_ty: &Type, new_ty: &Type) -> bool {
        self.equal(old_ty, new_ty, false)
    }

    fn equal(&self, old_ty: &Type, new_ty: &Type, constants_equal: bool) -> bool {
        match (old_ty, new_ty) {
            (Type::Model(old), Type::Model(new)) => self.forward.get(old) == Some(new),
            (Type::Model(old), Type::Literal(value)) if constants_equal => {
                one_value(self.old, old) == Some(value)
            }
            (Type::Literal(value), Type::Model(new)) if constants_equal => {
                one_value(self.new, new) == Some(value)
            }
            (Type::List(old), Type::List(new))
            | (Type::Map(old), Type::Map(new))
            | (Type::Nullable(old), Type::Nullable(new))
            | (Type::EventStream(old), Type::EventStream(new)) => {
                self.equal(old, new, constants_equal)
            }
            (Type::Date { format: old }, Type::Date { format: new }) => old.value == new.value,
            _ => old_ty == new_ty,
        }
    }

    /// Whether a field of `old_ty` and one of `new_ty` might be the same once renames are
    /// known: both reference (through the same containers) models not matched yet, of the
    /// same kind.
    pub(super) fn maybe_equal(&self, old_ty: &Type, new_ty: &Type) -> bool {
        match (old_ty, new_ty) {
            (Type::Model(old), Type::Model(new)) => {
                !self.is_matched_old(old)
                    && !self.is_matched_new(new)
                    && same_kind(self.old, old, self.new, new)
            }
            (Type::List(old), Type::List(new))
            | (Type::Map(old), Type::Map(new))
            | (Type::Nullable(old), Type::Nullable(new)) => self.maybe_equal(old, new),
            _ => false,
        }
    }

    /// How the values a type accepts changed from `old_ty` to `new_ty`.
    pub(super) fn type_effect(&self, old_ty: &Type, new_ty: &Type) -> super::Effect {
        let old_within_new = self.within(old_ty, Side::Old, new_ty, 0);
        let new_within_old = self.within(new_ty, Side::New, old_ty, 0);
        super::Effect::from_flags(!new_within_old, !old_within_new)
    }

    /// Whether every value `old_ty` (of the old spec) accepts, `new_ty` (of the new) accepts.
    pub(super) fn old_within_new(&self, old_ty: &Type, new_ty: &Type) -> bool {
        self.within(old_ty, Side::Old, new_ty, 0)
    }

    /// Whether every value `new_ty` (of the new spec) accepts, `old_ty` (of the old) accepts.
    pub(super) fn new_within_old(&self, new_ty: &Type, old_ty: &Type) -> bool {
        self.within(new_ty, Side::New, old_ty, 0)
    }

    /// Whether every JSON value `a` (of spec `side`) accepts is accepted by `b` (of the
    /// other spec). Unsure answers are `false`: a change is then reported both ways.
    fn within(&self, a: &Type, side: Side, b: &Type, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let (a_spec, b_spec) = (self.spec(side), self.spec(side.other()));
        let same_model = |a_name: &str, b_name: &str| match side {
            Side::Old => self.forward.get(a_name).is_some_and(|n| n == b_name),
            Side::New => self.backward.get(a_name).is_some_and(|o| o == b_name),
        };
        match (a, b) {
            (_, Type::Any) => true,
            (Type::Nullable(a), Type::Nullable(b)) => self.within(a, side, b, depth + 1),
            (Type::Nullable(_), _) => false,
            (a, Type::Nullable(b)) => self.within(a, side, b, depth + 1),
            // A matched model's own changes are reported on the model itself.
            (Type::Model(a_name), Type::Model(b_name)) if same_model(a_name, b_name) => true,
            (Type::Model(a_name), b) => match a_spec.models.get(a_name).map(|m| &m.kind) {
                Some(ModelKind::Union(union)) => union
                    .members
                    .iter()
                    .all(|member| self.within(&member.ty, side, b, depth + 1)),
                Some(ModelKind::Enum(enumeration)) if !enumeration.open.value => {
                    let all_values = enumeration.values.iter().all(|value| {
                        self.within(&Type::Literal(value.value.clone()), side, b, depth + 1)
                    });
                    all_values || self.within_union(a, side, b, b_spec, depth)
                }
                Some(ModelKind::Enum(enumeration)) => {
                    let repr = repr_type(enumeration.repr);
                    match b {
                        Type::Model(b_name) => {
                            matches!(
                                b_spec.models.get(b_name).map(|m| &m.kind),
                                Some(ModelKind::Enum(other))
                                    if other.open.value && other.repr == enumeration.repr
                            ) || self.within_union(a, side, b, b_spec, depth)
                        }
                        b => self.within(&repr, side, b, depth + 1),
                    }
                }
                _ => self.within_union(a, side, b, b_spec, depth),
            },
            (a, Type::Model(b_name)) => match b_spec.models.get(b_name).map(|m| &m.kind) {
                Some(ModelKind::Enum(enumeration)) => match a {
                    Type::Literal(value) => {
                        literal_repr(value) == Some(enumeration.repr)
                            && (enumeration.open.value
                                || enumeration.values.iter().any(|v| &v.value == value))
                    }
                    Type::String | Type::Integer => {
                        enumeration.open.value && Some(enumeration.repr) == scalar_repr(a)
                    }
                    _ => false,
                },
                Some(ModelKind::Union(_)) => self.within_union(a, side, b, b_spec, depth),
                _ => false,
            },
            (Type::Literal(value), b) => match b {
                Type::Literal(other) => value == other,
                Type::String => matches!(value, LiteralValue::String(_)),
                Type::Integer | Type::Float => matches!(value, LiteralValue::Integer(_)),
                Type::Boolean => matches!(value, LiteralValue::Boolean(_)),
                _ => false,
            },
            (Type::Integer, Type::Float) => true,
            (Type::Date { .. } | Type::Bytes, Type::String) => true,
            (Type::Date { format: a }, Type::Date { format: b }) => a.value == b.value,
            (Type::List(a), Type::List(b)) | (Type::Map(a), Type::Map(b)) => {
                self.within(a, side, b, depth + 1)
            }
            (Type::EventStream(a), Type::EventStream(b)) => self.within(a, side, b, depth + 1),
            (a, b) => a == b,
        }
    }

    /// Whether `a` fits one member of the union `b` (when `b` is a union at all).
    fn within_union(&self, a: &Type, side: Side, b: &Type, b_spec: &Spec, depth: usize) -> bool {
        let Type::Model(b_name) = b else {
            return false;
        };
        let Some(ModelKind::Union(union)) = b_spec.models.get(b_name).map(|m| &m.kind) else {
            return false;
        };
        union
            .members
            .iter()
            .any(|member| self.within(a, side, &member.ty, depth + 1))
    }
}

fn repr_type(repr: EnumRepr) -> Type {
    match repr {
        EnumRepr::String => Type::String,
        EnumRepr::Integer => Type::Integer,
    }
}

fn scalar_repr(ty: &Type) -> Option<EnumRepr> {
    match ty {
        Type::String => Some(EnumRepr::String),
        Type::Integer => Some(EnumRepr::Integer),
        _ => None,
    }
}

fn literal_repr(value: &LiteralValue) -> Option<EnumRepr> {
    match value {
        LiteralValue::String(_) => Some(EnumRepr::String),
        LiteralValue::Integer(_) => Some(EnumRepr::Integer),
        LiteralValue::Boolean(_) => None,
    }
}

/// The value of a one-value enum: a constant on the wire.
pub(super) fn one_value<'s>(spec: &'s Spec, model: &str) -> Option<&'s LiteralValue> {
    match spec.models.get(model).map(|model| &model.kind) {
        Some(ModelKind::Enum(enumeration)) if enumeration.values.len() == 1 => {
            enumeration.values.first().map(|value| &value.value)
        }
        _ => None,
    }
}

pub(super) fn same_kind(old: &Spec, old_name: &str, new: &Spec, new_name: &str) -> bool {
    match (old.models.get(old_name), new.models.get(new_name)) {
        (Some(a), Some(b)) => std::mem::discriminant(&a.kind) == std::mem::discriminant(&b.kind),
        _ => false,
    }
}

/// Whether a presence row accepts an absent key and a null, as the validator and the
/// generated code read it.
pub(super) fn accepts(presence: Presence) -> (bool, bool) {
    match presence {
        Presence::Required => (false, false),
        Presence::RequiredNullable => (false, true),
        // A null where the docs do not say nullable is tolerated and read as absent.
        Presence::Optional | Presence::OptionalNullable => (true, true),
        Presence::Defaulted => (true, false),
    }
}

/// How many `Option`s the generated field wraps its value type in.
pub(super) fn option_depth(presence: Presence) -> u8 {
    match presence {
        Presence::Required | Presence::Defaulted => 0,
        Presence::RequiredNullable | Presence::Optional => 1,
        Presence::OptionalNullable => 2,
    }
}

/// Whether the generated constructor `new(..)` takes the field.
pub(super) fn is_constructor_parameter(presence: Presence) -> bool {
    matches!(presence, Presence::Required | Presence::RequiredNullable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Effect::{self, Both, Narrows, None as Same, Widens};
    use crate::ir::{
        Dialect, Enum, EnumForm, EnumValue, Location, Model, Source, Sourced, Union, UnionMember,
    };

    fn at() -> Location {
        Location {
            file: "models/test.md".to_owned(),
            line: 1,
            column: 1,
        }
    }

    fn model(name: &str, kind: ModelKind) -> Model {
        Model {
            name: name.to_owned(),
            location: at(),
            description: None,
            parent: None,
            direction: None,
            examples: Vec::new(),
            kind,
        }
    }

    fn enumeration(name: &str, values: &[&str], open: bool) -> Model {
        let values = values
            .iter()
            .map(|value| EnumValue {
                name: None,
                value: LiteralValue::String((*value).to_owned()),
                location: at(),
            })
            .collect();
        model(
            name,
            ModelKind::Enum(Enum {
                repr: EnumRepr::String,
                form: EnumForm::List,
                open: Sourced {
                    value: open,
                    source: Source::Doc,
                    from: None,
                },
                values,
            }),
        )
    }

    fn union(name: &str, members: Vec<Type>) -> Model {
        let members = members
            .into_iter()
            .map(|ty| UnionMember { ty, location: at() })
            .collect();
        model(
            name,
            ModelKind::Union(Union {
                members,
                ..Union::default()
            }),
        )
    }

    fn spec(models: Vec<Model>) -> Spec {
        Spec {
            dialect: Dialect::Python,
            undocumented: Default::default(),
            models: models.into_iter().map(|m| (m.name.clone(), m)).collect(),
            sources: Vec::new(),
        }
    }

    fn string(value: &str) -> Type {
        Type::Literal(LiteralValue::String(value.to_owned()))
    }

    fn list(ty: Type) -> Type {
        Type::List(Box::new(ty))
    }

    fn nullable(ty: Type) -> Type {
        Type::Nullable(Box::new(ty))
    }

    fn named(name: &str) -> Type {
        Type::Model(name.to_owned())
    }

    /// Both specs hold the same fixtures, with `Old*` renamed `New*` in the new one.
    fn pair<'a>(old: &'a Spec, new: &'a Spec) -> Pair<'a> {
        let mut pair = Pair::new(old, new);
        for name in old.models.keys() {
            let renamed = name.replacen("Old", "New", 1);
            if new.models.contains_key(&renamed) {
                pair.link(name, &renamed);
            }
        }
        pair
    }

    fn fixtures(prefix: &str) -> Spec {
        spec(vec![
            enumeration(&format!("{prefix}Status"), &["a", "b"], false),
            enumeration("OpenJob", &["job"], true),
            enumeration("ClosedJob", &["job"], false),
            enumeration("OpenAb", &["a", "b"], true),
            union("IntOrStr", vec![Type::Integer, Type::String]),
        ])
    }

    #[test]
    fn type_effects_follow_what_each_type_accepts() {
        let (old, new) = (fixtures("Old"), fixtures("New"));
        let pair = pair(&old, &new);
        let cases: Vec<(Type, Type, Effect)> = vec![
            (Type::Integer, Type::Float, Widens),
            (Type::Float, Type::Integer, Narrows),
            (Type::String, Type::Any, Widens),
            (Type::Any, Type::String, Narrows),
            (Type::String, Type::Integer, Both),
            (Type::String, nullable(Type::String), Widens),
            (nullable(Type::String), Type::String, Narrows),
            (list(Type::Integer), list(Type::Float), Widens),
            (list(Type::String), Type::Map(Box::new(Type::String)), Both),
            // A renamed model is the same model; its own changes are reported on it.
            (named("OldStatus"), named("NewStatus"), Same),
            // A closed one-value enum is its literal; an open one accepts more.
            (named("ClosedJob"), string("job"), Same),
            (named("OpenJob"), string("job"), Narrows),
            (string("job"), named("OpenJob"), Widens),
            (string("a"), named("OpenAb"), Widens),
            (string("c"), named("OldStatus"), Both),
            (Type::String, named("OpenAb"), Same),
            (Type::Integer, named("IntOrStr"), Widens),
            (named("IntOrStr"), Type::String, Narrows),
            (string("x"), Type::String, Widens),
        ];
        for (old_ty, new_ty, expected) in cases {
            assert_eq!(
                pair.type_effect(&old_ty, &new_ty),
                expected,
                "{old_ty:?} -> {new_ty:?}"
            );
        }
    }

    #[test]
    fn equality_is_modulo_renames_and_constants_only_on_the_wire() {
        let (old, new) = (fixtures("Old"), fixtures("New"));
        let pair = pair(&old, &new);
        assert!(pair.wire_equal(&list(named("OldStatus")), &list(named("NewStatus"))));
        assert!(pair.api_equal(&list(named("OldStatus")), &list(named("NewStatus"))));
        assert!(pair.wire_equal(&named("OpenJob"), &string("job")));
        assert!(!pair.api_equal(&named("OpenJob"), &string("job")));
        assert!(!pair.wire_equal(&named("OpenJob"), &string("other")));
        assert!(!pair.wire_equal(&named("OldStatus"), &named("OpenAb")));
    }

    #[test]
    fn presence_rows_on_the_wire_and_in_rust() {
        assert_eq!(accepts(Presence::Required), (false, false));
        assert_eq!(accepts(Presence::Defaulted), (true, false));
        // Optional tolerates null (read as absent): nullability is a Rust change only.
        assert_eq!(
            accepts(Presence::Optional),
            accepts(Presence::OptionalNullable)
        );
        assert_ne!(
            option_depth(Presence::Optional),
            option_depth(Presence::OptionalNullable)
        );
        assert!(is_constructor_parameter(Presence::RequiredNullable));
        assert!(!is_constructor_parameter(Presence::Defaulted));
    }
}
