//! One source's IR re-spelled in another's terms, for comparing the docs of two SDK
//! dialects (`diff`): models, fields and enum variants take the reference's names, and
//! every fact the two do not both write is the reference's, so that what still differs
//! is a difference in written facts, not in spelling or in what a dialect can show.

use std::collections::BTreeMap;

use crate::ir::{Enum, Field, Model, ModelKind, Object, Source, Sourced, Spec, Type, Union};

use super::names;
use super::types::Unifier;
use super::{fields_by_key, match_models, rank, tells_integers};

/// `other` in `reference`'s names, with the facts only one of them writes taken from
/// `reference`. Models and fields that only `other` has stay, under its names.
pub fn align(reference: &Spec, other: &Spec) -> Spec {
    // Theirs -> ours, as the unifier and the renaming want it.
    let names: BTreeMap<String, String> = match_models(reference, other)
        .into_iter()
        .map(|(ours, theirs)| (theirs, ours))
        .collect();
    // Their types are renamed first, so that a type taken from the reference (already
    // in its names) is never renamed again: a title both sources use may name different
    // models (`Context`). The unifier then compares names as they are.
    let identity: BTreeMap<String, String> = names
        .values()
        .map(|ours| (ours.clone(), ours.clone()))
        .collect();
    let aligner = Aligner {
        reference,
        names: &identity,
        other_tells_integers: tells_integers(other.dialect),
    };
    let mut models = BTreeMap::new();
    for (name, model) in &other.models {
        let mut model = model.clone();
        rename_model_references(&mut model, &names);
        if let Some(ours) = names.get(name) {
            model.name.clone_from(ours);
            if let Some(reference_model) = reference.models.get(ours) {
                aligner.model(&mut model, reference_model);
            }
        }
        models.insert(model.name.clone(), model);
    }
    adopt_referenced(reference, &mut models);
    crate::lower::derive_presence(&mut models);
    Spec {
        dialect: other.dialect,
        models,
        undocumented: other.undocumented.clone(),
        sources: other.sources.clone(),
    }
}

struct Aligner<'a> {
    reference: &'a Spec,
    /// The matched model names (the other source's types are renamed already), each
    /// mapped to itself, as the unifier wants them.
    names: &'a BTreeMap<String, String>,
    other_tells_integers: bool,
}

impl Aligner<'_> {
    fn model(&self, model: &mut Model, reference: &Model) {
        // What the reader of a diff compares is the facts; prose and the overlay's
        // direction are the reference's.
        model.description.clone_from(&reference.description);
        model.direction = reference.direction;
        match (&mut model.kind, &reference.kind) {
            (ModelKind::Object(object), ModelKind::Object(ours)) => self.object(object, ours),
            (ModelKind::Enum(enumeration), ModelKind::Enum(ours)) => enum_(enumeration, ours),
            (ModelKind::Union(union), ModelKind::Union(ours)) => self.union(union, ours),
            // A different kind is a difference the diff reports as it is.
            _ => {}
        }
    }

    fn object(&self, object: &mut Object, reference: &Object) {
        let ours = fields_by_key(reference);
        for field in &mut object.fields {
            if let Some(reference_field) = ours.get(&names::field_key(&field.name)) {
                self.field(field, reference_field);
            }
        }
        if let (Some(theirs), Some(ours)) = (
            &mut object.additional_properties,
            &reference.additional_properties,
        ) {
            self.ty(&mut theirs.value, &ours.value, &ours.location);
        }
    }

    fn field(&self, field: &mut Field, reference: &Field) {
        field.name.clone_from(&reference.name);
        field.description.clone_from(&reference.description);
        field.examples.clone_from(&reference.examples);
        settle(&mut field.wire_name, &reference.wire_name);
        settle(&mut field.nullable, &reference.nullable);
        // Python writes a constant optional (its default fills it in), the other SDKs
        // required: for a constant the two say the same.
        let constant =
            matches!(field.ty, Type::Literal(_)) || matches!(reference.ty, Type::Literal(_));
        if constant {
            field.required = reference.required.clone();
        } else {
            settle(&mut field.required, &reference.required);
        }
        self.ty(&mut field.ty, &reference.ty, &reference.location);
    }

    /// The reference's type where the two do not contradict each other (one only says
    /// less, or says it the way its dialect can); the other's, renamed, where they do.
    fn ty(&self, ty: &mut Type, reference: &Type, at: &crate::ir::Location) {
        let unifier = Unifier {
            names: self.names,
            models: &self.reference.models,
            kept_tells_integers: tells_integers(self.reference.dialect),
            other_tells_integers: self.other_tells_integers,
            at,
        };
        if unifier.unify(&mut reference.clone(), ty).is_ok() {
            *ty = reference.clone();
        }
    }

    /// Whether two types say the same modulo what a dialect can show.
    fn agree(&self, reference: &Type, theirs: &Type, at: &crate::ir::Location) -> bool {
        let mut aligned = theirs.clone();
        self.ty(&mut aligned, reference, at);
        aligned == *reference
    }
}

impl Aligner<'_> {
    /// Tag facts as for fields; each member takes the type of the first reference member
    /// it does not contradict (TypeScript's `number` member is Python's `int`).
    fn union(&self, union: &mut Union, reference: &Union) {
        for (theirs, ours) in [
            (&mut union.tag_required, &reference.tag_required),
            (&mut union.open, &reference.open),
        ] {
            settle_optional(theirs, ours);
        }
        settle_optional(&mut union.tag, &reference.tag);
        let mut taken = vec![false; reference.members.len()];
        for member in &mut union.members {
            let found = reference.members.iter().enumerate().find(|(index, ours)| {
                !taken[*index] && self.agree(&ours.ty, &member.ty, &ours.location)
            });
            if let Some((index, ours)) = found {
                taken[index] = true;
                member.ty = ours.ty.clone();
            }
        }
    }
}

fn enum_(enumeration: &mut Enum, reference: &Enum) {
    enumeration.form = reference.form;
    settle(&mut enumeration.open, &reference.open);
    for value in &mut enumeration.values {
        if let Some(ours) = reference
            .values
            .iter()
            .find(|ours| ours.value == value.value)
        {
            value.name.clone_from(&ours.name);
        }
    }
}

/// Takes the reference's statement of a fact unless both sources write it.
fn settle<T: Clone>(theirs: &mut Sourced<T>, reference: &Sourced<T>) {
    if !(written(theirs.source) && written(reference.source)) {
        *theirs = reference.clone();
    }
}

fn settle_optional<T: Clone>(theirs: &mut Option<Sourced<T>>, reference: &Option<Sourced<T>>) {
    match (theirs.as_mut(), reference) {
        (Some(theirs), Some(reference)) => settle(theirs, reference),
        // Whether a union is tagged at all is inferred from its members in every
        // dialect: one side lacking it is no written difference.
        (None, Some(_)) | (Some(_), None) => theirs.clone_from(reference),
        (None, None) => {}
    }
}

fn written(source: Source) -> bool {
    rank(source) >= rank(Source::Doc)
}

/// Copies in the reference's models that types taken from it name and the other source
/// has no doc of (C# and PHP show an open enum as `string` and write no doc for it):
/// what only the reference writes is no difference.
fn adopt_referenced(reference: &Spec, models: &mut BTreeMap<String, Model>) {
    let mut wanted: Vec<String> = models.values().flat_map(crate::check::references).collect();
    while let Some(name) = wanted.pop() {
        if models.contains_key(&name) {
            continue;
        }
        if let Some(model) = reference.models.get(&name) {
            wanted.extend(crate::check::references(model));
            models.insert(name, model.clone());
        }
    }
}

fn rename_model_references(model: &mut Model, names: &BTreeMap<String, String>) {
    if let Some(parent) = &mut model.parent
        && let Some(ours) = names.get(parent)
    {
        parent.clone_from(ours);
    }
    match &mut model.kind {
        ModelKind::Object(object) => {
            for field in &mut object.fields {
                rename_references(&mut field.ty, names);
            }
            if let Some(extra) = &mut object.additional_properties {
                rename_references(&mut extra.value, names);
            }
        }
        ModelKind::Union(union) => {
            for member in &mut union.members {
                rename_references(&mut member.ty, names);
            }
        }
        ModelKind::Enum(_) => {}
    }
}

fn rename_references(ty: &mut Type, names: &BTreeMap<String, String>) {
    match ty {
        Type::Model(name) => {
            if let Some(ours) = names.get(name) {
                name.clone_from(ours);
            }
        }
        Type::List(inner) | Type::Map(inner) | Type::Nullable(inner) | Type::EventStream(inner) => {
            rename_references(inner, names);
        }
        _ => {}
    }
}
