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

use super::keys::FieldIndex;
use super::scan::{self, Tag};
use super::{Level, Pointer, Walker, describe};
use crate::ir::{DateFormat, Field, LiteralValue, Location, Model, ModelKind, Object, Type, Union};
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
            Type::Boolean => self.scalar(deserializer, || "a boolean".to_owned(), Expect::Boolean),
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
                union_quickly(
                    self.walker,
                    self.model,
                    union,
                    raw.get(),
                    self.pointer,
                    self.at,
                )
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
        let index = self.walker.tables.field_index(self.object);
        while let Some(key) = map.next_key_seed(KeySeed {
            index: &index,
            fields,
        })? {
            match key {
                Key::Field(index) => {
                    let field = &fields[index];
                    if self.walker.quick && seen.contains(index) {
                        // A value read twice is one value for the value walker: a union
                        // tag given twice, say, picks its member by the last.
                        return Err(de::Error::custom("the quick pass gives up"));
                    }
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
        self.walker.known = seen.count();
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

    fn count(&self) -> usize {
        match self {
            Seen64::Bits(bits) => bits.count_ones() as usize,
            Seen64::Many(flags) => flags.iter().filter(|flag| **flag).count(),
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
    index: &'a FieldIndex,
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
            .index
            .find(self.fields, key)
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
        let quick = parse_with(text, |deserializer| instance(walker, model, deserializer));
        walker.quick = false;
        if quick.is_ok() {
            return Ok(());
        }
        walker.findings.clear();
    }
    exactly(walker, model, json)
}

/// The exact pass alone: every union subtree buffered as a `Value`.
pub(super) fn exactly<'a>(
    walker: &mut Walker<'a>,
    model: &'a Model,
    json: &[u8],
) -> Result<(), serde_json::Error> {
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
    let Some(shape) = text.as_bytes().first().and_then(|&first| shape_of(first)) else {
        // A number: its shape depends on its digits, and it costs nothing to build.
        return buffered(walker, model, text, pointer, at);
    };
    let table = walker.tables.tag_table(model);
    let tag = match table {
        // Inside text already scanned, a tag read up to its first appearance will do.
        Some(table) if walker.shallow && table.uniform => scan::first_tag(text, table.wire_tag),
        Some(table) if walker.shallow => scan::scan(text, Some(table.wire_tag)).tag,
        None if walker.shallow => Tag::Absent,
        _ => {
            let scanned = scan::scan(text, table.map(|table| table.wire_tag));
            if pointer.depth() + scanned.depth >= SERDE_JSON_DEPTH_LIMIT {
                return Err(GiveUp);
            }
            scanned.tag
        }
    };
    let was_shallow = std::mem::replace(&mut walker.shallow, true);
    let streamed = stream_member(walker, model, union, table, tag, shape, text, pointer);
    walker.shallow = was_shallow;
    if !streamed? {
        return buffered(walker, model, text, pointer, at);
    }
    Ok(())
}

/// Streams the member the tag or shape chooses over a union's text. `Ok(false)` when
/// the value walker must decide (no member chosen, or the member reported something).
#[allow(clippy::too_many_arguments)]
fn stream_member<'a: 'v, 'v>(
    walker: &mut Walker<'a>,
    model: &'a Model,
    union: &'a Union,
    table: Option<&'a super::TagTable<'a>>,
    tag: Tag<'_>,
    shape: u8,
    text: &str,
    pointer: &mut Pointer<'v>,
) -> Result<bool, GiveUp> {
    let mark = walker.findings.len();
    match table {
        Some(table) => {
            let member = match tag {
                Tag::Text(key) if shape == shape::OBJECT => table
                    .members
                    .iter()
                    .find(|(_, _, member_key)| member_key == key),
                Tag::Absent if shape == shape::OBJECT && !table.fallback.is_empty() => {
                    // No tag: the members that may lack it are read by shape.
                    let fallback = Some(table.fallback.as_slice());
                    let chosen =
                        by_shape_quickly(walker, model, union, fallback, shape, text, pointer)?;
                    return Ok(chosen && walker.findings.len() == mark);
                }
                _ => None,
            };
            let Some((member, object, _)) = member else {
                return Ok(false);
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
            .map_err(|_| GiveUp)?;
        }
        None => {
            if !by_shape_quickly(walker, model, union, None, shape, text, pointer)? {
                return Ok(false);
            }
        }
    }
    if walker.findings.len() == mark {
        return Ok(true);
    }
    // The member reported something: the value walker says what, as the exact pass would.
    walker.findings.truncate(mark);
    Ok(false)
}

/// The shape of a JSON value from its first byte; `None` for a number.
fn shape_of(first: u8) -> Option<u8> {
    Some(match first {
        b'{' => shape::OBJECT,
        b'[' => shape::ARRAY,
        b'"' => shape::STRING,
        b't' | b'f' => shape::BOOL,
        b'n' => shape::NULL,
        _ => return None,
    })
}

/// A union's value by shape, as the value walker chooses among the members at
/// `indices` (all when `None`) whose shape fits: for anything but an object, the first
/// member that accepts the value; for an object, the accepting member that knows most of
/// its keys (the first on a tie). `Ok(false)` when the value walker must decide.
fn by_shape_quickly<'a: 'v, 'v>(
    walker: &mut Walker<'a>,
    model: &'a Model,
    union: &'a Union,
    indices: Option<&[usize]>,
    shape: u8,
    text: &str,
    pointer: &mut Pointer<'v>,
) -> Result<bool, GiveUp> {
    let shapes = walker.tables.member_shapes(model);
    let fitting = || {
        union
            .members
            .iter()
            .zip(shapes)
            .enumerate()
            .filter(|(index, (_, member_shape))| {
                **member_shape & shape != 0 && indices.is_none_or(|only| only.contains(index))
            })
            .map(|(_, (member, _))| member)
    };
    if shape == shape::OBJECT && fitting().count() != 1 {
        return objects_by_keys(walker, fitting(), text, pointer);
    }
    for member in fitting() {
        let mark = walker.findings.len();
        stream_type(walker, member, text, pointer)?;
        let found = &walker.findings[mark..];
        if found.is_empty() {
            return Ok(true);
        }
        let rejected = found.iter().any(|finding| finding.level == Level::Error);
        walker.findings.truncate(mark);
        if !rejected {
            // Accepted with drift hints: the value walker words them.
            return Ok(false);
        }
    }
    Ok(false)
}

/// An object that several members fit: each streams; among those that accept it, the one
/// that knows most of its keys wins (the first on a tie). Only object models are
/// compared by keys here; `Ok(false)` for anything else, or when the winner reported
/// something.
fn objects_by_keys<'a: 'v, 'v>(
    walker: &mut Walker<'a>,
    members: impl Iterator<Item = &'a crate::ir::UnionMember>,
    text: &str,
    pointer: &mut Pointer<'v>,
) -> Result<bool, GiveUp> {
    // (keys known, whether it reported anything) of the best accepting member so far.
    let mut best: Option<(usize, bool)> = None;
    for member in members {
        let is_object = matches!(&member.ty, Type::Model(name)
            if matches!(walker.tables.resolve(name).map(|model| &model.kind), Some(ModelKind::Object(_))));
        if !is_object {
            return Ok(false);
        }
        let mark = walker.findings.len();
        stream_type(walker, member, text, pointer)?;
        let found = &walker.findings[mark..];
        let rejected = found.iter().any(|finding| finding.level == Level::Error);
        let reported = !found.is_empty();
        walker.findings.truncate(mark);
        if !rejected && best.is_none_or(|(known, _)| walker.known > known) {
            best = Some((walker.known, reported));
        }
    }
    Ok(best.is_some_and(|(_, reported)| !reported))
}

/// Streams one member's type over a union's text.
fn stream_type<'a: 'v, 'v>(
    walker: &mut Walker<'a>,
    member: &'a crate::ir::UnionMember,
    text: &str,
    pointer: &mut Pointer<'v>,
) -> Result<(), GiveUp> {
    parse_with(text, |deserializer| {
        TypeSeed {
            walker: &mut *walker,
            ty: &member.ty,
            pointer: &mut *pointer,
            at: Some(&member.location),
        }
        .deserialize(deserializer)
    })
    .map_err(|_| GiveUp)
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
