//! Example instances of models, once the spec is whole (merged, overlay applied): the
//! TypeScript example code the lowering read is keyed by the SDK's property names; here
//! the keys become JSON keys through the models' fields, a `null` an example gives a field
//! whose nullability the docs only assume becomes a written fact, and what is no JSON
//! value, names no field or contradicts its model is dropped and counted in one
//! `example-skipped` note with the reasons.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Code, Detail, Diagnostic, count};
use crate::ir::{Location, ModelKind, Source, Sourced, Spec, Type};
use crate::merge::names::field_key;

/// Maps every example's keys to JSON keys and drops what cannot be an instance of its
/// model; returns the note counting the dropped ones, if any.
pub fn settle(spec: &mut Spec) -> Option<Diagnostic> {
    let mut details = Vec::new();
    map_keys(spec, &mut details);
    let nulls = null_evidence(spec);
    if !nulls.is_empty() {
        take_nulls(spec, nulls);
        crate::lower::derive_presence(&mut spec.models);
    }
    fill_constants(spec);
    drop_contradicting(spec, &mut details);
    (!details.is_empty()).then(|| skipped_note(details))
}

/// Keys every example by JSON keys; an example that cannot be is dropped with the reason.
fn map_keys(spec: &mut Spec, details: &mut Vec<Detail>) {
    let names: Vec<String> = spec.models.keys().cloned().collect();
    for name in names {
        let Some(model) = spec.models.get_mut(&name) else {
            continue;
        };
        let examples = std::mem::take(&mut model.examples);
        let ty = Type::Model(name.clone());
        let mut kept = Vec::new();
        for mut example in examples {
            let outcome = match example.unreadable.take() {
                Some(reason) => Err(reason),
                None => to_json_keys(spec, &ty, &example.value, 0),
            };
            match outcome {
                Ok(value) => {
                    example.value = value;
                    kept.push(example);
                }
                Err(reason) => details.push(skipped(&example.location, &name, reason)),
            }
        }
        if let Some(model) = spec.models.get_mut(&name) {
            model.examples = kept;
        }
    }
}

fn skipped(location: &Location, model: &str, reason: String) -> Detail {
    Detail {
        location: location.clone(),
        model: model.to_owned(),
        field: None,
        note: reason,
    }
}

/// A field an example gives as `null` while the docs only assume it is not nullable
/// (TypeScript, C# and PHP never show null): by model and field, where the example is.
type NullEvidence = BTreeMap<(String, String), Location>;

fn null_evidence(spec: &Spec) -> NullEvidence {
    let mut found = NullEvidence::new();
    for model in spec.models.values() {
        for example in &model.examples {
            let ty = Type::Model(model.name.clone());
            find_nulls(spec, &ty, &example.value, &example.location, &mut found, 0);
        }
    }
    found
}

fn find_nulls(
    spec: &Spec,
    ty: &Type,
    value: &serde_json::Value,
    at: &Location,
    found: &mut NullEvidence,
    depth: usize,
) {
    use serde_json::Value;
    if depth > MAX_DEPTH {
        return;
    }
    match (ty, value) {
        (Type::Nullable(inner), _) => find_nulls(spec, inner, value, at, found, depth + 1),
        (Type::List(item), Value::Array(items)) => {
            for item_value in items {
                find_nulls(spec, item, item_value, at, found, depth + 1);
            }
        }
        (Type::Map(entry), Value::Object(entries)) => {
            for entry_value in entries.values() {
                find_nulls(spec, entry, entry_value, at, found, depth + 1);
            }
        }
        (Type::Model(name), Value::Object(entries)) => {
            let Some(model) = spec.models.get(name) else {
                return;
            };
            match &model.kind {
                ModelKind::Object(object) => {
                    for field in &object.fields {
                        let Some(entry) = entries.get(&field.wire_name.value) else {
                            continue;
                        };
                        let assumed_not_null = !field.nullable.value
                            && matches!(
                                field.nullable.source,
                                Source::Default(_) | Source::Convention(_)
                            );
                        if entry.is_null()
                            && assumed_not_null
                            && !matches!(field.ty, Type::Literal(_))
                        {
                            found
                                .entry((name.clone(), field.name.clone()))
                                .or_insert_with(|| at.clone());
                        }
                        find_nulls(spec, &field.ty, entry, at, found, depth + 1);
                    }
                }
                ModelKind::Union(union) => {
                    for member in union
                        .members
                        .iter()
                        .filter(|member| fits(spec, &member.ty, value))
                    {
                        find_nulls(spec, &member.ty, value, at, found, depth + 1);
                    }
                }
                ModelKind::Enum(_) => {}
            }
        }
        _ => {}
    }
}

/// Makes each field an example gives as `null` nullable: written in the docs' example.
fn take_nulls(spec: &mut Spec, nulls: NullEvidence) {
    for ((model, field_name), location) in nulls {
        let Some(ModelKind::Object(object)) =
            spec.models.get_mut(&model).map(|model| &mut model.kind)
        else {
            continue;
        };
        if let Some(field) = object
            .fields
            .iter_mut()
            .find(|field| field.name == field_name)
        {
            field.nullable = Sourced {
                value: true,
                source: Source::Doc,
                from: Some(location),
            };
        }
    }
}

/// Writes the constant of every required constant field an example leaves out: the SDKs
/// fill it in (TypeScript makes it optional in the type), so the instance the SDK sends
/// has it, and the generated types write it.
fn fill_constants(spec: &mut Spec) {
    let mut taken: Vec<(String, Vec<crate::ir::Example>)> = spec
        .models
        .iter_mut()
        .map(|(name, model)| (name.clone(), std::mem::take(&mut model.examples)))
        .collect();
    {
        let validator = crate::validate::Validator::new(spec);
        let filler = Filler {
            spec,
            validator: &validator,
        };
        for (name, examples) in &mut taken {
            let ty = Type::Model(name.clone());
            for example in examples {
                filler.fill(&ty, &mut example.value, 0);
            }
        }
    }
    for (name, examples) in taken {
        if let Some(model) = spec.models.get_mut(&name) {
            model.examples = examples;
        }
    }
}

/// What filling constants in an example needs: the spec, and the validator that tells
/// which member of a union an example is.
struct Filler<'a> {
    spec: &'a Spec,
    validator: &'a crate::validate::Validator<'a>,
}

impl Filler<'_> {
    fn fill(&self, ty: &Type, value: &mut serde_json::Value, depth: usize) {
        use serde_json::Value;
        if depth > MAX_DEPTH {
            return;
        }
        match (ty, value) {
            (Type::Nullable(inner), value) => self.fill(inner, value, depth + 1),
            (Type::List(item), Value::Array(items)) => {
                for item_value in items {
                    self.fill(item, item_value, depth + 1);
                }
            }
            (Type::Map(entry), Value::Object(entries)) => {
                for entry_value in entries.values_mut() {
                    self.fill(entry, entry_value, depth + 1);
                }
            }
            (Type::Model(name), value @ Value::Object(_)) => {
                let Some(model) = self.spec.models.get(name) else {
                    return;
                };
                match &model.kind {
                    ModelKind::Object(object) => self.fill_object(object, value, depth),
                    ModelKind::Union(union) => self.fill_member(union, value, depth),
                    ModelKind::Enum(_) => {}
                }
            }
            _ => {}
        }
    }

    fn fill_object(&self, object: &crate::ir::Object, value: &mut serde_json::Value, depth: usize) {
        let serde_json::Value::Object(entries) = value else {
            return;
        };
        for field in &object.fields {
            match entries.get_mut(&field.wire_name.value) {
                Some(entry) => self.fill(&field.ty, entry, depth + 1),
                None if field.presence == crate::ir::Presence::Defaulted => {
                    if let Some(constant) = constant_of(self.spec, &field.ty) {
                        entries.insert(field.wire_name.value.clone(), constant);
                    }
                }
                None => {}
            }
        }
    }

    /// Fills the value as the first member whose fields take its keys and that accepts it
    /// once filled; a value no member accepts is left as it is.
    fn fill_member(&self, union: &crate::ir::Union, value: &mut serde_json::Value, depth: usize) {
        for member in &union.members {
            let Type::Model(member_name) = &member.ty else {
                continue;
            };
            if !takes_keys(self.spec, &member.ty, value) {
                continue;
            }
            let mut filled = value.clone();
            self.fill(&member.ty, &mut filled, depth + 1);
            let valid = self
                .validator
                .validate(member_name, &filled)
                .is_ok_and(|findings| {
                    !findings
                        .iter()
                        .any(|finding| finding.level == crate::validate::Level::Error)
                });
            if valid {
                *value = filled;
                return;
            }
        }
    }
}

/// Whether `ty` is an object model whose fields name every key of `value`.
fn takes_keys(spec: &Spec, ty: &Type, value: &serde_json::Value) -> bool {
    let (Type::Model(name), serde_json::Value::Object(entries)) = (ty, value) else {
        return false;
    };
    match spec.models.get(name).map(|model| &model.kind) {
        Some(ModelKind::Object(object)) => entries.keys().all(|key| {
            object.additional_properties.is_some()
                || object
                    .fields
                    .iter()
                    .any(|field| field.wire_name.value == *key)
        }),
        _ => false,
    }
}

/// The one value a constant type allows (`Literal`, a one-value enum).
fn constant_of(spec: &Spec, ty: &Type) -> Option<serde_json::Value> {
    match ty {
        Type::Literal(literal) => serde_json::to_value(literal).ok(),
        Type::Model(name) => match spec.models.get(name).map(|model| &model.kind) {
            Some(ModelKind::Enum(enumeration)) => match enumeration.values.as_slice() {
                [only] => serde_json::to_value(&only.value).ok(),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// Drops the examples the validator rejects (the docs' example contradicts its model,
/// as `"1s"` for a date-time does), with the first error as the reason.
fn drop_contradicting(spec: &mut Spec, details: &mut Vec<Detail>) {
    let mut rejected: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    {
        let validator = crate::validate::Validator::new(spec);
        for model in spec.models.values() {
            for (index, example) in model.examples.iter().enumerate() {
                let Ok(findings) = validator.validate(&model.name, &example.value) else {
                    continue;
                };
                let Some(error) = findings
                    .iter()
                    .find(|finding| finding.level == crate::validate::Level::Error)
                else {
                    continue;
                };
                let pointer = crate::validate::display_pointer(&error.pointer);
                details.push(skipped(
                    &example.location,
                    &model.name,
                    format!(
                        "contradicts its model: at {pointer}, expected {}, found {}",
                        error.expected, error.found
                    ),
                ));
                rejected
                    .entry(model.name.clone())
                    .or_default()
                    .insert(index);
            }
        }
    }
    for (name, indexes) in rejected {
        if let Some(model) = spec.models.get_mut(&name) {
            let mut index = 0;
            model.examples.retain(|_| {
                let keep = !indexes.contains(&index);
                index += 1;
                keep
            });
        }
    }
}

fn skipped_note(details: Vec<Detail>) -> Diagnostic {
    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for detail in &details {
        *reasons.entry(reason_kind(&detail.note)).or_default() += 1;
    }
    let mut diagnostic = Diagnostic::new(
        Code::ExampleSkipped,
        format!(
            "{}: skipped",
            count(
                details.len(),
                "example of the docs' code is no JSON instance of its model",
                "examples of the docs' code are no JSON instances of their models"
            )
        ),
    );
    for (reason, n) in reasons {
        diagnostic = diagnostic.note(format!("{reason}: {n}"));
    }
    diagnostic.with_details(details)
}

/// The kind of a skip reason, for the counts (the details keep the whole reason).
fn reason_kind(reason: &str) -> &str {
    reason.split([':', '`']).next().unwrap_or(reason).trim()
}

/// Deep enough for any real example; deeper is a recursive model fed a cyclic guess.
const MAX_DEPTH: usize = 64;

/// `value`, an instance of `ty` keyed by SDK property names, keyed by JSON keys instead.
fn to_json_keys(
    spec: &Spec,
    ty: &Type,
    value: &serde_json::Value,
    depth: usize,
) -> Result<serde_json::Value, String> {
    use serde_json::Value;
    if depth > MAX_DEPTH {
        return Err("nested too deep".to_owned());
    }
    Ok(match (ty, value) {
        (_, Value::Null) => Value::Null,
        (Type::Nullable(inner), _) => to_json_keys(spec, inner, value, depth + 1)?,
        (Type::List(item), Value::Array(items)) => Value::Array(
            items
                .iter()
                .map(|item_value| to_json_keys(spec, item, item_value, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        (Type::Map(entry), Value::Object(entries)) => Value::Object(
            entries
                .iter()
                .map(|(key, entry_value)| {
                    Ok((
                        key.clone(),
                        to_json_keys(spec, entry, entry_value, depth + 1)?,
                    ))
                })
                .collect::<Result<_, String>>()?,
        ),
        (Type::Model(name), _) => model_keys(spec, name, value, depth)?,
        _ => value.clone(),
    })
}

fn model_keys(
    spec: &Spec,
    name: &str,
    value: &serde_json::Value,
    depth: usize,
) -> Result<serde_json::Value, String> {
    let Some(model) = spec.models.get(name) else {
        return Ok(value.clone());
    };
    match (&model.kind, value) {
        (ModelKind::Object(object), serde_json::Value::Object(entries)) => {
            let mut out = serde_json::Map::new();
            for (key, entry) in entries {
                let field = object
                    .fields
                    .iter()
                    .find(|field| field.name == *key || field.wire_name.value == *key)
                    .or_else(|| {
                        let wanted = field_key(key);
                        object
                            .fields
                            .iter()
                            .find(|field| field_key(&field.name) == wanted)
                    });
                match (field, &object.additional_properties) {
                    (Some(field), _) => {
                        let mapped = to_json_keys(spec, &field.ty, entry, depth + 1)?;
                        out.insert(field.wire_name.value.clone(), mapped);
                    }
                    (None, Some(extra)) => {
                        out.insert(
                            key.clone(),
                            to_json_keys(spec, &extra.value, entry, depth + 1)?,
                        );
                    }
                    (None, None) => {
                        return Err(format!("key matches no field: `{key}` of `{name}`"));
                    }
                }
            }
            Ok(serde_json::Value::Object(out))
        }
        (ModelKind::Union(union), _) => {
            // The member whose fields take every key; its keys are the instance's.
            let mut first_error = None;
            for member in union
                .members
                .iter()
                .filter(|member| fits(spec, &member.ty, value))
            {
                match to_json_keys(spec, &member.ty, value, depth + 1) {
                    Ok(mapped) => return Ok(mapped),
                    Err(error) => {
                        first_error.get_or_insert(error);
                    }
                }
            }
            Err(first_error.unwrap_or_else(|| format!("no member of `{name}` takes it")))
        }
        _ => Ok(value.clone()),
    }
}

/// Whether `value` has the JSON shape of `ty` at its top (members of a union are tried
/// only where they could hold it).
fn fits(spec: &Spec, ty: &Type, value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (ty, value) {
        (Type::Any, _) | (Type::Nullable(_), Value::Null) => true,
        (Type::Nullable(inner), _) => fits(spec, inner, value),
        (Type::String | Type::Bytes | Type::Date { .. }, Value::String(_)) => true,
        (Type::Integer, Value::Number(number)) => number.is_i64() || number.is_u64(),
        (Type::Float, Value::Number(_)) => true,
        (Type::Boolean, Value::Bool(_)) => true,
        (Type::Literal(literal), _) => {
            serde_json::to_value(literal).is_ok_and(|constant| constant == *value)
        }
        (Type::List(_), Value::Array(_)) | (Type::Map(_), Value::Object(_)) => true,
        (Type::Model(name), _) => match spec.models.get(name).map(|model| &model.kind) {
            Some(ModelKind::Object(_)) => value.is_object(),
            Some(ModelKind::Enum(_)) => value.is_string() || value.is_number(),
            Some(ModelKind::Union(_)) | None => true,
        },
        _ => false,
    }
}
