//! Validation while parsing: the IR drives serde_json's parser through `DeserializeSeed`s,
//! so an instance is never built as a `Value`. Findings are the same as
//! [`super::Validator::validate`]'s.
//!
//! A union's member is chosen by its tag or shape, which can come last. The quick pass
//! (valid UTF-8 input) takes the union's text, finds the tag or the one member whose
//! shape fits with a byte scan, and streams that member over the text; only when that
//! member reports something, or nothing can be chosen, is the subtree built as a `Value`
//! for the value walker, whose findings (closest member and all) are the reference. Anything
//! the quick pass cannot reproduce exactly (a syntax error, nesting near serde_json's
//! limit, a number a `Value` cannot hold) makes it give up, and the exact pass runs:
//! it buffers every union subtree as a `Value` while parsing, as the value walker sees it.

use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::scan::{self, Tag};
use super::{Level, Pointer, Walker, describe};
use crate::ir::{
    DateFormat, Field, LiteralValue, Location, Model, ModelKind, Object, Type, Union,
};
use crate::shape;

/// What a streamed scalar or container was, for "found ...".
fn found_kind(kind: &Seen) -> String {
    match kind {
        Seen::Value(value) => describe(value),
        Seen::Array(length) => format!("an array of {length}"),
        Seen::Object => "an object".to_owned(),
    }
}

/// A value seen while streaming where a different kind was expected: scalars are kept
/// (small), containers are skipped and only counted.
enum Seen {
    Value(Value),
    Array(usize),
    Object,
}

/// Reads any JSON value, keeping scalars and skipping containers.
struct Observe;

impl<'de> Visitor<'de> for Observe {
    type Value = Seen;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Seen, E> {
        Ok(Seen::Value(Value::Bool(value)))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Seen, E> {
        Ok(Seen::Value(Value::from(value)))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Seen, E> {
        Ok(Seen::Value(Value::from(value)))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Seen, E> {
        Ok(Seen::Value(Value::from(value)))
    }

    fn visit_str<E>(self, value: &str) -> Result<Seen, E> {
        Ok(Seen::Value(Value::String(value.to_owned())))
    }

    fn visit_unit<E>(self) -> Result<Seen, E> {
        Ok(Seen::Value(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Seen, E> {
        Ok(Seen::Value(Value::Null))
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Seen, D::Error> {
        deserializer.deserialize_any(Observe)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Seen, A::Error> {
        let mut length = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            length += 1;
        }
        Ok(Seen::Array(length))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Seen, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Seen::Object)
    }
}

/// What a scalar must be; checked as it is read, allocating only to describe a mismatch.
#[derive(Clone, Copy)]
enum Expect<'a> {
    String,
    Integer,
    Number,
    Boolean,
    Date(DateFormat),
    Literal(&'a LiteralValue),
    Nothing,
}

impl Expect<'_> {
    fn check_str(self, text: &str) -> bool {
        match self {
            Expect::String => true,
            Expect::Date(DateFormat::DateTime) => text
                .parse::<chrono::DateTime<chrono::FixedOffset>>()
                .is_ok(),
            Expect::Date(DateFormat::Date) => text.parse::<chrono::NaiveDate>().is_ok(),
            Expect::Literal(LiteralValue::String(expected)) => expected == text,
            _ => false,
        }
    }
}

/// Reads one value and says whether it is what `Expect` wants; `Err` describes what it was.
struct Check<'a>(Expect<'a>);

impl<'de> Visitor<'de> for Check<'_> {
    type Value = Result<(), Seen>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
        let ok = match self.0 {
            Expect::Boolean => true,
            Expect::Literal(LiteralValue::Boolean(expected)) => *expected == value,
            _ => false,
        };
        Ok(if ok {
            Ok(())
        } else {
            Err(Seen::Value(Value::Bool(value)))
        })
    }

    fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
        let ok = match self.0 {
            Expect::Integer | Expect::Number => true,
            Expect::Literal(LiteralValue::Integer(expected)) => *expected == value,
            _ => false,
        };
        Ok(if ok {
            Ok(())
        } else {
            Err(Seen::Value(Value::from(value)))
        })
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        match i64::try_from(value) {
            Ok(small) => self.visit_i64(small),
            Err(_) => Ok(if matches!(self.0, Expect::Number) {
                Ok(())
            } else {
                Err(Seen::Value(Value::from(value)))
            }),
        }
    }

    fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
        Ok(if matches!(self.0, Expect::Number) {
            Ok(())
        } else {
            Err(Seen::Value(Value::from(value)))
        })
    }

    fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
        Ok(if self.0.check_str(value) {
            Ok(())
        } else {
            Err(Seen::Value(Value::String(value.to_owned())))
        })
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Err(Seen::Value(Value::Null)))
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Err(Seen::Value(Value::Null)))
    }

    fn visit_some<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Observe.visit_seq(seq).map(Err)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Observe.visit_map(map).map(Err)
    }
}

/// Validates one value of a type.
pub(super) struct TypeSeed<'w, 'a, 'v> {
    pub walker: &'w mut Walker<'a>,
    pub ty: &'a Type,
    pub pointer: &'w mut Pointer<'v>,
    pub at: Option<&'a Location>,
}

impl<'a: 'v, 'v> TypeSeed<'_, 'a, 'v> {
    /// A scalar checked as it is read; what was expected is only written out for a
    /// finding.
    fn scalar<'de, D: de::Deserializer<'de>>(
        self,
        deserializer: D,
        expected: impl FnOnce() -> String,
        expect: Expect<'_>,
    ) -> Result<(), D::Error> {
        if let Err(seen) = deserializer.deserialize_any(Check(expect))? {
            self.walker.report(
                Level::Error,
                self.pointer,
                expected(),
                found_kind(&seen),
                self.at,
            );
        }
        Ok(())
    }
}

impl<'de, 'a: 'v, 'v> DeserializeSeed<'de> for TypeSeed<'_, 'a, 'v> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.ty {
            Type::String | Type::Bytes => {
                self.scalar(deserializer, || "a string".to_owned(), Expect::String)
            }
            Type::Integer => self.scalar(
                deserializer,
                || "an integer (64-bit)".to_owned(),
                Expect::Integer,
            ),
            Type::Float => self.scalar(deserializer, || "a number".to_owned(), Expect::Number),
            Type::Boolean => {
                self.scalar(deserializer, || "a boolean".to_owned(), Expect::Boolean)
            }
            Type::Any => deserializer.deserialize_ignored_any(IgnoredAny).map(drop),
            Type::Date { format } => {
                let expected = match format.value {
                    DateFormat::DateTime => "an RFC 3339 date-time",
                    DateFormat::Date => "a date (YYYY-MM-DD)",
                };
                self.scalar(
                    deserializer,
                    || expected.to_owned(),
                    Expect::Date(format.value),
                )
            }
            Type::Literal(literal) => self.scalar(
                deserializer,
                || format!("the constant {literal}"),
                Expect::Literal(literal),
            ),
            Type::Nullable(inner) => deserializer.deserialize_option(NullableVisitor {
                seed: TypeSeed {
                    walker: self.walker,
                    ty: inner,
                    pointer: self.pointer,
                    at: self.at,
                },
            }),
            Type::List(item) => deserializer.deserialize_any(ListVisitor { seed: self, item }),
            Type::Map(item) => deserializer.deserialize_any(MapVisitor { seed: self, item }),
            Type::FileUpload | Type::SdkOnly | Type::EventStream(_) => self.scalar(
                deserializer,
                || "nothing: an SDK-only type is never JSON".to_owned(),
                Expect::Nothing,
            ),
            Type::Model(name) => {
                let Some(model) = self.walker.tables.resolve(name) else {
                    return self.scalar(
                        deserializer,
                        || format!("`{name}` (missing from the spec)"),
                        Expect::Nothing,
                    );
                };
                ModelSeed {
                    walker: self.walker,
                    model,
                    pointer: self.pointer,
                    at: self.at,
                }
                .deserialize(deserializer)
            }
        }
    }
}

struct NullableVisitor<'w, 'a, 'v> {
    seed: TypeSeed<'w, 'a, 'v>,
}

impl<'de, 'a: 'v, 'v> Visitor<'de> for NullableVisitor<'_, 'a, 'v> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("null or a value")
    }

    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        self.seed.deserialize(deserializer)
    }
}

/// Containers seen where a scalar was expected end up here.
fn mismatch<'a: 'v, 'v>(seed: TypeSeed<'_, 'a, 'v>, expected: &str, seen: &Seen) {
    seed.walker.report(
        Level::Error,
        seed.pointer,
        expected.to_owned(),
        found_kind(seen),
        seed.at,
    );
}

macro_rules! forward_scalars_as_mismatch {
    ($expected:expr) => {
        fn visit_bool<E>(self, value: bool) -> Result<(), E> {
            mismatch(self.seed, $expected, &Seen::Value(Value::Bool(value)));
            Ok(())
        }

        fn visit_i64<E>(self, value: i64) -> Result<(), E> {
            mismatch(self.seed, $expected, &Seen::Value(Value::from(value)));
            Ok(())
        }

        fn visit_u64<E>(self, value: u64) -> Result<(), E> {
            mismatch(self.seed, $expected, &Seen::Value(Value::from(value)));
            Ok(())
        }

        fn visit_f64<E>(self, value: f64) -> Result<(), E> {
            mismatch(self.seed, $expected, &Seen::Value(Value::from(value)));
            Ok(())
        }

        fn visit_str<E>(self, value: &str) -> Result<(), E> {
            mismatch(
                self.seed,
                $expected,
                &Seen::Value(Value::String(value.to_owned())),
            );
            Ok(())
        }

        fn visit_unit<E>(self) -> Result<(), E> {
            mismatch(self.seed, $expected, &Seen::Value(Value::Null));
            Ok(())
        }
    };
}

struct ListVisitor<'w, 'a, 'v> {
    seed: TypeSeed<'w, 'a, 'v>,
    item: &'a Type,
}

impl<'de, 'a: 'v, 'v> Visitor<'de> for ListVisitor<'_, 'a, 'v> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an array")
    }

    forward_scalars_as_mismatch!("an array");

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        loop {
            self.seed.pointer.push_index(index);
            let item = TypeSeed {
                walker: &mut *self.seed.walker,
                ty: self.item,
                pointer: &mut *self.seed.pointer,
                at: self.seed.at,
            };
            let more = seq.next_element_seed(item)?;
            self.seed.pointer.pop();
            if more.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        mismatch(self.seed, "an array", &Seen::Object);
        Ok(())
    }
}

struct MapVisitor<'w, 'a, 'v> {
    seed: TypeSeed<'w, 'a, 'v>,
    item: &'a Type,
}

impl<'de, 'a: 'v, 'v> Visitor<'de> for MapVisitor<'_, 'a, 'v> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object")
    }

    forward_scalars_as_mismatch!("an object");

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut length = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            length += 1;
        }
        mismatch(self.seed, "an object", &Seen::Array(length));
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            self.seed.pointer.push_owned(key);
            map.next_value_seed(TypeSeed {
                walker: &mut *self.seed.walker,
                ty: self.item,
                pointer: &mut *self.seed.pointer,
                at: self.seed.at,
            })?;
            self.seed.pointer.pop();
        }
        Ok(())
    }
}

/// Validates one value of a model: objects and enums stream, unions are buffered.
struct ModelSeed<'w, 'a, 'v> {
    walker: &'w mut Walker<'a>,
    model: &'a Model,
    pointer: &'w mut Pointer<'v>,
    at: Option<&'a Location>,
}

impl<'de, 'a: 'v, 'v> DeserializeSeed<'de> for ModelSeed<'_, 'a, 'v> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match &self.model.kind {
            ModelKind::Object(object) => deserializer.deserialize_any(ObjectVisitor {
                walker: self.walker,
                model: self.model,
                object,
                pointer: self.pointer,
            }),
            ModelKind::Enum(enumeration) => {
                // Known values are checked as they are read; anything else is handed to
                // the value walker, so the findings are the same.
                let Err(seen) = deserializer.deserialize_any(EnumCheck(enumeration))? else {
                    return Ok(());
                };
                let value = match seen {
                    Seen::Value(value) => value,
                    Seen::Array(length) => Value::Array(vec![Value::Null; length]),
                    Seen::Object => Value::Object(serde_json::Map::new()),
                };
                walk_buffered(self.walker, self.model, &value, self.pointer, self.at);
                Ok(())
            }
            ModelKind::Union(union) if self.walker.quick => {
                let raw = <&RawValue as serde::Deserialize>::deserialize(deserializer)?;
                union_quickly(self.walker, self.model, union, raw.get(), self.pointer, self.at)
                    .map_err(|GiveUp| de::Error::custom("the quick pass gives up"))
            }
            ModelKind::Union(_) => {
                // Members are chosen by content (a tag can come last): read the value
                // whole.
                let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
                walk_buffered(self.walker, self.model, &value, self.pointer, self.at);
                Ok(())
            }
        }
    }
}

/// Runs the value walker on a buffered subtree, under the streaming pointer.
fn walk_buffered<'a: 'p, 'p>(
    walker: &mut Walker<'a>,
    model: &'a Model,
    value: &Value,
    pointer: &Pointer<'p>,
    at: Option<&'a Location>,
) {
    // The streaming pointer's segments outlive the buffered value: a copy serves as is.
    let mut local = pointer.clone();
    walker.model(model, value, &mut local, at);
}

/// Accepts the documented values of an enum; anything else is returned to be reported.
struct EnumCheck<'a>(&'a crate::ir::Enum);

impl EnumCheck<'_> {
    fn known(&self, value: &LiteralValue) -> bool {
        self.0.values.iter().any(|known| &known.value == value)
    }
}

impl<'de> Visitor<'de> for EnumCheck<'_> {
    type Value = Result<(), Seen>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an enum value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Err(Seen::Value(Value::Bool(value))))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Self::Value, E> {
        let known = self.0.repr == crate::ir::EnumRepr::Integer
            && self.known(&LiteralValue::Integer(value));
        Ok(if known {
            Ok(())
        } else {
            Err(Seen::Value(Value::from(value)))
        })
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        match i64::try_from(value) {
            Ok(small) => self.visit_i64(small),
            Err(_) => Ok(Err(Seen::Value(Value::from(value)))),
        }
    }

    fn visit_f64<E>(self, value: f64) -> Result<Self::Value, E> {
        Ok(Err(Seen::Value(Value::from(value))))
    }

    fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
        let known =
            self.0.repr == crate::ir::EnumRepr::String
                && self.0.values.iter().any(
                    |known| matches!(&known.value, LiteralValue::String(text) if text == value),
                );
        Ok(if known {
            Ok(())
        } else {
            Err(Seen::Value(Value::String(value.to_owned())))
        })
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Err(Seen::Value(Value::Null)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Observe.visit_seq(seq).map(Err)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Observe.visit_map(map).map(Err)
    }
}

struct ObjectVisitor<'w, 'a, 'v> {
    walker: &'w mut Walker<'a>,
    model: &'a Model,
    object: &'a Object,
    pointer: &'w mut Pointer<'v>,
}

impl<'a: 'v, 'v> ObjectVisitor<'_, 'a, 'v> {
    fn not_an_object(self, seen: &Seen) {
        self.walker.report(
            Level::Error,
            self.pointer,
            format!("an object (`{}`)", self.model.name),
            found_kind(seen),
            Some(&self.model.location),
        );
    }
}

impl<'de, 'a: 'v, 'v> Visitor<'de> for ObjectVisitor<'_, 'a, 'v> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object")
    }

    fn visit_bool<E>(self, value: bool) -> Result<(), E> {
        self.not_an_object(&Seen::Value(Value::Bool(value)));
        Ok(())
    }

    fn visit_i64<E>(self, value: i64) -> Result<(), E> {
        self.not_an_object(&Seen::Value(Value::from(value)));
        Ok(())
    }

    fn visit_u64<E>(self, value: u64) -> Result<(), E> {
        self.not_an_object(&Seen::Value(Value::from(value)));
        Ok(())
    }

    fn visit_f64<E>(self, value: f64) -> Result<(), E> {
        self.not_an_object(&Seen::Value(Value::from(value)));
        Ok(())
    }

    fn visit_str<E>(self, value: &str) -> Result<(), E> {
        self.not_an_object(&Seen::Value(Value::String(value.to_owned())));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.not_an_object(&Seen::Value(Value::Null));
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut length = 0;
        while seq.next_element::<IgnoredAny>()?.is_some() {
            length += 1;
        }
        self.not_an_object(&Seen::Array(length));
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let fields = &self.object.fields;
        let mut seen = Seen64::new(fields.len());
        while let Some(key) = map.next_key_seed(KeySeed { fields })? {
            match key {
                Key::Field(index) => {
                    let field = &fields[index];
                    seen.insert(index);
                    self.pointer.push_key(&field.wire_name.value);
                    map.next_value_seed(FieldSeed {
                        walker: &mut *self.walker,
                        field,
                        pointer: &mut *self.pointer,
                    })?;
                    self.pointer.pop();
                }
                Key::Other(key) => {
                    let shown = format!("the key `{key}`");
                    self.pointer.push_owned(key);
                    match &self.object.additional_properties {
                        Some(extra) => map.next_value_seed(TypeSeed {
                            walker: &mut *self.walker,
                            ty: &extra.value,
                            pointer: &mut *self.pointer,
                            at: Some(&extra.location),
                        })?,
                        None => {
                            map.next_value::<IgnoredAny>()?;
                            self.walker.report(
                                Level::Warning,
                                self.pointer,
                                format!(
                                    "only the documented keys of `{}` (this one is dropped when read)",
                                    self.model.name
                                ),
                                shown,
                                Some(&self.model.location),
                            );
                        }
                    }
                    self.pointer.pop();
                }
            }
        }
        for (index, field) in fields.iter().enumerate() {
            if !seen.contains(index) && !matches!(field.ty, Type::FileUpload | Type::SdkOnly) {
                self.pointer.push_key(&field.wire_name.value);
                self.walker.absent(field, self.pointer);
                self.pointer.pop();
            }
        }
        Ok(())
    }
}

/// Which fields of an object were present: a bit set, on the heap only for objects
/// with more than 64 fields.
enum Seen64 {
    Bits(u64),
    Many(Vec<bool>),
}

impl Seen64 {
    fn new(fields: usize) -> Self {
        if fields <= 64 {
            Seen64::Bits(0)
        } else {
            Seen64::Many(vec![false; fields])
        }
    }

    fn insert(&mut self, index: usize) {
        match self {
            Seen64::Bits(bits) => *bits |= 1 << index,
            Seen64::Many(flags) => flags[index] = true,
        }
    }

    fn contains(&self, index: usize) -> bool {
        match self {
            Seen64::Bits(bits) => bits & (1 << index) != 0,
            Seen64::Many(flags) => flags[index],
        }
    }
}

enum Key {
    Field(usize),
    Other(String),
}

/// Reads a key and finds its field without allocating (unless it is unknown).
struct KeySeed<'a> {
    fields: &'a [Field],
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a key")
    }

    fn visit_str<E>(self, key: &str) -> Result<Key, E> {
        Ok(self
            .fields
            .iter()
            .position(|field| {
                field.wire_name.value == key
                    && !matches!(field.ty, Type::FileUpload | Type::SdkOnly)
            })
            .map_or_else(|| Key::Other(key.to_owned()), Key::Field))
    }
}

/// A field's value: null first (its presence decides), then its type.
struct FieldSeed<'w, 'a, 'v> {
    walker: &'w mut Walker<'a>,
    field: &'a Field,
    pointer: &'w mut Pointer<'v>,
}

impl<'de, 'a: 'v, 'v> DeserializeSeed<'de> for FieldSeed<'_, 'a, 'v> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, 'a: 'v, 'v> Visitor<'de> for FieldSeed<'_, 'a, 'v> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field value")
    }

    fn visit_none<E>(self) -> Result<(), E> {
        self.walker.null(self.field, self.pointer);
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.walker.null(self.field, self.pointer);
        Ok(())
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        TypeSeed {
            walker: self.walker,
            ty: &self.field.ty,
            pointer: self.pointer,
            at: Some(&self.field.location),
        }
        .deserialize(deserializer)
    }
}

/// Validates the JSON text of one instance of `model` while parsing it. `Err` when the
/// text is not JSON.
pub(super) fn validate_json<'a>(
    walker: &mut Walker<'a>,
    model: &'a Model,
    json: &[u8],
) -> Result<(), serde_json::Error> {
    // Text checked as UTF-8 once is not checked again string by string.
    if let Ok(text) = std::str::from_utf8(json) {
        walker.quick = true;
        let quick = parse_with(text, |deserializer| {
            instance(walker, model, deserializer)
        });
        walker.quick = false;
        if quick.is_ok() {
            return Ok(());
        }
        walker.findings.clear();
    }
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    instance(walker, model, &mut deserializer)?;
    deserializer.end()
}

/// One instance, from the top.
fn instance<'de, 'a, D: de::Deserializer<'de>>(
    walker: &mut Walker<'a>,
    model: &'a Model,
    deserializer: D,
) -> Result<(), D::Error> {
    let mut pointer = Pointer::default();
    ModelSeed {
        walker,
        model,
        pointer: &mut pointer,
        at: None,
    }
    .deserialize(deserializer)
}

/// Parses `text` whole with `read`: `Err` for trailing characters too.
fn parse_with<'de>(
    text: &'de str,
    read: impl FnOnce(
        &mut serde_json::Deserializer<serde_json::de::StrRead<'de>>,
    ) -> Result<(), serde_json::Error>,
) -> Result<(), serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    read(&mut deserializer)?;
    deserializer.end()
}

/// The quick pass cannot reproduce the exact findings here: run the exact pass.
struct GiveUp;

/// serde_json refuses an array or object nested this deep (counting from the instance's
/// top), so the quick pass must not accept one.
const SERDE_JSON_DEPTH_LIMIT: usize = 128;

/// A union's value in the quick pass, from its text: the member is chosen without
/// building the value, and streamed; see the module docs.
fn union_quickly<'a: 'v, 'v>(
    walker: &mut Walker<'a>,
    model: &'a Model,
    union: &'a Union,
    text: &str,
    pointer: &mut Pointer<'v>,
    at: Option<&'a Location>,
) -> Result<(), GiveUp> {
    let Some(&first) = text.as_bytes().first() else {
        return Err(GiveUp);
    };
    if first != b'{' && first != b'[' {
        // A scalar costs nothing to build.
        return buffered(walker, model, text, pointer, at);
    }
    let table = walker.tables.tag_table(model);
    let scanned = scan::scan(text, table.map(|table| table.wire_tag));
    if pointer.depth() + scanned.depth >= SERDE_JSON_DEPTH_LIMIT {
        return Err(GiveUp);
    }
    let mark = walker.findings.len();
    let streamed = match (table, first) {
        (Some(table), b'{') => {
            let Tag::Text(key) = scanned.tag else {
                return buffered(walker, model, text, pointer, at);
            };
            let Some((member, object, _)) =
                table.members.iter().find(|(_, _, member_key)| member_key == key)
            else {
                return buffered(walker, model, text, pointer, at);
            };
            parse_with(text, |deserializer| {
                de::Deserializer::deserialize_any(
                    deserializer,
                    ObjectVisitor {
                        walker: &mut *walker,
                        model: member,
                        object,
                        pointer: &mut *pointer,
                    },
                )
            })
        }
        (Some(_), _) => return buffered(walker, model, text, pointer, at),
        (None, _) => {
            let Some(member) = only_member_by_shape(walker, model, union, first) else {
                return buffered(walker, model, text, pointer, at);
            };
            parse_with(text, |deserializer| {
                TypeSeed {
                    walker: &mut *walker,
                    ty: &member.ty,
                    pointer: &mut *pointer,
                    at: Some(&member.location),
                }
                .deserialize(deserializer)
            })
        }
    };
    if streamed.is_err() {
        return Err(GiveUp);
    }
    if walker.findings.len() == mark {
        return Ok(());
    }
    // The member reported something: the value walker says what, as the exact pass would.
    walker.findings.truncate(mark);
    buffered(walker, model, text, pointer, at)
}

/// The one member of an untagged union whose shape fits a container starting with
/// `first`, if exactly one does.
fn only_member_by_shape<'a>(
    walker: &Walker<'a>,
    model: &'a Model,
    union: &'a Union,
    first: u8,
) -> Option<&'a crate::ir::UnionMember> {
    let shape = if first == b'{' {
        shape::OBJECT
    } else {
        shape::ARRAY
    };
    let shapes = walker.tables.member_shapes(model);
    let mut fitting = union
        .members
        .iter()
        .zip(shapes)
        .filter(|(_, member_shape)| **member_shape & shape != 0);
    let (member, _) = fitting.next()?;
    fitting.next().is_none().then_some(member)
}

/// Builds a union's value from its text and hands it to the value walker.
fn buffered<'a: 'v, 'v>(
    walker: &mut Walker<'a>,
    model: &'a Model,
    text: &str,
    pointer: &Pointer<'v>,
    at: Option<&'a Location>,
) -> Result<(), GiveUp> {
    let value: Value = serde_json::from_str(text).map_err(|_| GiveUp)?;
    walk_buffered(walker, model, &value, pointer, at);
    Ok(())
}
