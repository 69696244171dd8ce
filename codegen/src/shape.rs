//! JSON shapes: which kinds of JSON value (null, boolean, integer, number, string,
//! array, object) a type of the IR accepts. One definition shared by the emitter (union
//! dispatch), the validator and the sample generator, so they cannot disagree.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::ir::{EnumRepr, LiteralValue, ModelKind, Spec, Type};

pub const NULL: u8 = 1;
pub const BOOL: u8 = 1 << 1;
pub const INTEGER: u8 = 1 << 2;
/// A number with a fraction or exponent (not an integer).
pub const FRACTION: u8 = 1 << 3;
/// Any number: a float accepts integers.
pub const NUMBER: u8 = INTEGER | FRACTION;
pub const STRING: u8 = 1 << 4;
pub const ARRAY: u8 = 1 << 5;
pub const OBJECT: u8 = 1 << 6;
pub const ANY: u8 = 0x7f;

/// The shapes a value of `ty` can have; `0` for SDK-only types, which are never JSON.
pub fn of_type(spec: &Spec, ty: &Type) -> u8 {
    of_type_inner(spec, ty, &mut BTreeSet::new())
}

fn of_type_inner(spec: &Spec, ty: &Type, seen: &mut BTreeSet<String>) -> u8 {
    match ty {
        Type::String | Type::Bytes | Type::Date { .. } => STRING,
        Type::Integer => INTEGER,
        Type::Float => NUMBER,
        Type::Boolean => BOOL,
        Type::Any => ANY,
        Type::List(_) => ARRAY,
        Type::Map(_) => OBJECT,
        Type::Nullable(inner) => NULL | of_type_inner(spec, inner, seen),
        Type::Literal(LiteralValue::String(_)) => STRING,
        Type::Literal(LiteralValue::Integer(_)) => INTEGER,
        Type::Literal(LiteralValue::Boolean(_)) => BOOL,
        Type::FileUpload | Type::SdkOnly | Type::EventStream(_) => 0,
        Type::Model(name) => match spec.models.get(name).map(|model| &model.kind) {
            Some(ModelKind::Object(_)) => OBJECT,
            Some(ModelKind::Enum(enumeration)) => match enumeration.repr {
                EnumRepr::String => STRING,
                EnumRepr::Integer => INTEGER,
            },
            // A union nested in itself adds nothing new.
            Some(ModelKind::Union(union)) => {
                if !seen.insert(name.clone()) {
                    return 0;
                }
                union
                    .members
                    .iter()
                    .fold(0, |all, member| all | of_type_inner(spec, &member.ty, seen))
            }
            None => 0,
        },
    }
}

/// The shape of one JSON value.
pub fn of_value(value: &Value) -> u8 {
    match value {
        Value::Null => NULL,
        Value::Bool(_) => BOOL,
        Value::Number(number) if number.is_i64() || number.is_u64() => INTEGER,
        Value::Number(_) => FRACTION,
        Value::String(_) => STRING,
        Value::Array(_) => ARRAY,
        Value::Object(_) => OBJECT,
    }
}

/// `a string or null`, for messages.
pub fn describe(shape: u8) -> String {
    if shape == ANY {
        return "any value".to_owned();
    }
    let names = [
        (NULL, "null"),
        (BOOL, "a boolean"),
        (INTEGER, "an integer"),
        (FRACTION, "a number"),
        (STRING, "a string"),
        (ARRAY, "an array"),
        (OBJECT, "an object"),
    ];
    names
        .iter()
        .filter(|(bit, _)| shape & bit == *bit)
        .map(|(_, name)| *name)
        .collect::<Vec<_>>()
        .join(" or ")
}
