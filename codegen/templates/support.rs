//! Runtime support shared by the generated models: the generic helpers their serde
//! impls call (reading an object's keys, presence checks), constant (literal) types,
//! SDK-only types, and union dispatch (by tag or by shape, buffering only what a
//! decision needs) with precise errors.
//!
//! Everything here refers to std and serde by absolute path, so no model name can
//! shadow what it uses.

use ::serde::de::Error as _;

/// A string read from the input (an object's key, an enum's value), borrowed from it
/// where it can be: an escaped string, or one read from an owned `serde_json::Value`, is
/// copied.
#[derive(Debug)]
pub struct Text<'de>(::std::borrow::Cow<'de, str>);

impl<'de> Text<'de> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text as an owned string (for keys kept in a model's additional properties, and
    /// values an open enum does not list).
    pub fn into_string(self) -> ::std::string::String {
        self.0.into_owned()
    }

    fn into_content(self) -> Content<'de> {
        match self.0 {
            ::std::borrow::Cow::Borrowed(text) => Content::Str(text),
            ::std::borrow::Cow::Owned(text) => Content::String(text),
        }
    }
}

impl<'de> ::serde::Deserialize<'de> for Text<'de> {
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> ::serde::de::Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_borrowed_str<E: ::serde::de::Error>(
        self,
        text: &'de str,
    ) -> ::std::result::Result<Text<'de>, E> {
        ::std::result::Result::Ok(Text(::std::borrow::Cow::Borrowed(text)))
    }

    fn visit_str<E: ::serde::de::Error>(self, text: &str) -> ::std::result::Result<Text<'de>, E> {
        ::std::result::Result::Ok(Text(::std::borrow::Cow::Owned(text.to_owned())))
    }

    fn visit_string<E: ::serde::de::Error>(
        self,
        text: ::std::string::String,
    ) -> ::std::result::Result<Text<'de>, E> {
        ::std::result::Result::Ok(Text(::std::borrow::Cow::Owned(text)))
    }
}

/// A model read from the entries of one JSON object. Its `Deserialize` is
/// [`read_object`]; the model's own code is a `match` on the keys, each value read with
/// [`field`], and the checks of what was absent.
pub trait FromObject<'de>: ::std::marker::Sized {
    /// What a type error says was expected (`struct Book`).
    const EXPECTING: &'static str;

    /// Reads the model from the object's entries.
    fn from_object<A: ::serde::de::MapAccess<'de>>(map: A) -> ::std::result::Result<Self, A::Error>;
}

/// Reads a model from a JSON object, and only from an object: serde's derive would also
/// read a struct from an array of its fields, which no JSON API means.
pub fn read_object<'de, D, T>(deserializer: D) -> ::std::result::Result<T, D::Error>
where
    D: ::serde::Deserializer<'de>,
    T: FromObject<'de>,
{
    deserializer.deserialize_map(ObjectVisitor(::std::marker::PhantomData))
}

struct ObjectVisitor<T>(::std::marker::PhantomData<T>);

impl<'de, T: FromObject<'de>> ::serde::de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        formatter.write_str(T::EXPECTING)
    }

    fn visit_map<A: ::serde::de::MapAccess<'de>>(
        self,
        map: A,
    ) -> ::std::result::Result<T, A::Error> {
        T::from_object(map)
    }
}

/// Reads the value of the field `name` into its slot; a second occurrence of the key is
/// an error, as with serde's derive.
pub fn field<'de, A, T>(
    map: &mut A,
    slot: &mut ::std::option::Option<T>,
    name: &'static str,
) -> ::std::result::Result<(), A::Error>
where
    A: ::serde::de::MapAccess<'de>,
    T: ::serde::Deserialize<'de>,
{
    if slot.is_some() {
        return ::std::result::Result::Err(A::Error::duplicate_field(name));
    }
    *slot = ::std::option::Option::Some(map.next_value()?);
    ::std::result::Result::Ok(())
}

/// [`field`] for a required `Any` field the overlay says is never null: any JSON value but
/// `null`.
pub fn non_null_field<'de, A>(
    map: &mut A,
    slot: &mut ::std::option::Option<::serde_json::Value>,
    name: &'static str,
) -> ::std::result::Result<(), A::Error>
where
    A: ::serde::de::MapAccess<'de>,
{
    field(map, slot, name)?;
    if slot.as_ref().is_some_and(::serde_json::Value::is_null) {
        return ::std::result::Result::Err(A::Error::invalid_type(
            ::serde::de::Unexpected::Unit,
            &"a value (null is not allowed here)",
        ));
    }
    ::std::result::Result::Ok(())
}

/// Skips the value of a key the model does not know, and counts it as dropped (see
/// [`dropped_keys`]).
pub fn skip<'de, A>(map: &mut A) -> ::std::result::Result<(), A::Error>
where
    A: ::serde::de::MapAccess<'de>,
{
    DROPPED_KEYS.with(|dropped| dropped.set(dropped.get() + 1));
    map.next_value::<::serde::de::IgnoredAny>().map(|_| ())
}

/// Writes an optional field only when it holds something (`None` is absent on the wire;
/// `Some(None)` is `null`).
pub fn field_if_some<S, T>(
    object: &mut S,
    key: &'static str,
    value: &::std::option::Option<T>,
) -> ::std::result::Result<(), S::Error>
where
    S: ::serde::ser::SerializeStruct,
    T: ::serde::Serialize,
{
    match value {
        ::std::option::Option::Some(_) => object.serialize_field(key, value),
        ::std::option::Option::None => ::std::result::Result::Ok(()),
    }
}

/// [`field_if_some`], for a struct written as a map (one that keeps unknown keys).
pub fn entry_if_some<S, T>(
    object: &mut S,
    key: &'static str,
    value: &::std::option::Option<T>,
) -> ::std::result::Result<(), S::Error>
where
    S: ::serde::ser::SerializeMap,
    T: ::serde::Serialize,
{
    match value {
        ::std::option::Option::Some(_) => object.serialize_entry(key, value),
        ::std::option::Option::None => ::std::result::Result::Ok(()),
    }
}

/// Reads the value of a key that no field has into the additional-properties map.
pub fn extra_entry<'de, A, V>(
    map: &mut A,
    extra: &mut ::std::collections::BTreeMap<::std::string::String, V>,
    key: Text<'de>,
) -> ::std::result::Result<(), A::Error>
where
    A: ::serde::de::MapAccess<'de>,
    V: ::serde::Deserialize<'de>,
{
    let value = map.next_value()?;
    extra.insert(key.into_string(), value);
    ::std::result::Result::Ok(())
}

::std::thread_local! {
    /// Keys skipped on this thread so far, at every depth: a union read by shape prefers
    /// the member that drops the fewest. Only skipping touches it, so reading a value with
    /// no unknown keys pays nothing.
    static DROPPED_KEYS: ::std::cell::Cell<usize> = const { ::std::cell::Cell::new(0) };
}

/// How many keys no model knew were skipped on this thread so far (at any depth). The
/// difference across one read is what that read dropped.
pub fn dropped_keys() -> usize {
    DROPPED_KEYS.with(::std::cell::Cell::get)
}

fn set_dropped_keys(count: usize) {
    DROPPED_KEYS.with(|dropped| dropped.set(count));
}

/// The value of a required field, or the error that names it.
pub fn required<T, E: ::serde::de::Error>(
    slot: ::std::option::Option<T>,
    name: &'static str,
) -> ::std::result::Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// Accepts exactly one string.
pub fn expect_str<'de, D>(deserializer: D, expected: &str) -> ::std::result::Result<(), D::Error>
where
    D: ::serde::Deserializer<'de>,
{
    let found = <Text<'de> as ::serde::Deserialize>::deserialize(deserializer)?;
    if found.as_str() == expected {
        ::std::result::Result::Ok(())
    } else {
        ::std::result::Result::Err(D::Error::invalid_value(
            ::serde::de::Unexpected::Str(found.as_str()),
            &::std::format!("the constant {expected:?}").as_str(),
        ))
    }
}

/// Accepts exactly one boolean.
pub fn expect_bool<'de, D>(deserializer: D, expected: bool) -> ::std::result::Result<(), D::Error>
where
    D: ::serde::Deserializer<'de>,
{
    let found = <bool as ::serde::Deserialize>::deserialize(deserializer)?;
    if found == expected {
        ::std::result::Result::Ok(())
    } else {
        ::std::result::Result::Err(D::Error::invalid_value(
            ::serde::de::Unexpected::Bool(found),
            &::std::format!("the constant {expected}").as_str(),
        ))
    }
}

/// Accepts exactly one integer.
pub fn expect_i64<'de, D>(deserializer: D, expected: i64) -> ::std::result::Result<(), D::Error>
where
    D: ::serde::Deserializer<'de>,
{
    let found = <i64 as ::serde::Deserialize>::deserialize(deserializer)?;
    if found == expected {
        ::std::result::Result::Ok(())
    } else {
        ::std::result::Result::Err(D::Error::invalid_value(
            ::serde::de::Unexpected::Signed(found),
            &::std::format!("the constant {expected}").as_str(),
        ))
    }
}

/// SDK-only: a file upload (`Union[bytes, IO[bytes], io.BufferedReader]` in the docs).
/// It is sent as multipart form data, never as JSON, so fields of this type are left
/// out of JSON (de)serialization.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FileUpload {
    /// The file name sent with the upload, if any.
    pub file_name: ::std::option::Option<::std::string::String>,
    /// The file's bytes.
    pub content: ::std::vec::Vec<u8>,
}

/// SDK-only: a stream of server-sent events, each an `T`. It is not a JSON body; a
/// union member of this type is never chosen when reading JSON, and is written as a
/// JSON array of its events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct EventStream<T> {
    /// The events received so far.
    pub events: ::std::vec::Vec<T>,
}

impl<T: ::serde::Serialize> ::serde::Serialize for EventStream<T> {
    fn serialize<S: ::serde::Serializer>(
        &self,
        serializer: S,
    ) -> ::std::result::Result<S::Ok, S::Error> {
        self.events.serialize(serializer)
    }
}

/// The kinds of JSON value a union member can be read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shape(u8);

impl Shape {
    pub const NULL: Shape = Shape(1);
    pub const BOOL: Shape = Shape(1 << 1);
    pub const INTEGER: Shape = Shape(1 << 2);
    /// Any number, integers included (`float` accepts `1`).
    pub const NUMBER: Shape = Shape(1 << 2 | 1 << 3);
    pub const STRING: Shape = Shape(1 << 4);
    pub const ARRAY: Shape = Shape(1 << 5);
    pub const OBJECT: Shape = Shape(1 << 6);
    pub const ANY: Shape = Shape(0x7f);
    /// A number that is no integer.
    const FRACTION: Shape = Shape(1 << 3);

    /// Both shapes together.
    pub const fn or(self, other: Shape) -> Shape {
        Shape(self.0 | other.0)
    }

    /// Whether a value of shape `value` can be read as this shape.
    pub fn accepts(self, value: Shape) -> bool {
        self.0 & value.0 != 0
    }

    fn describe(self) -> ::std::string::String {
        if self == Shape::ANY {
            return "any value".into();
        }
        let names = [
            (Shape::NULL, "null"),
            (Shape::BOOL, "a boolean"),
            (Shape::INTEGER, "an integer"),
            (Shape::FRACTION, "a number"),
            (Shape::STRING, "a string"),
            (Shape::ARRAY, "an array"),
            (Shape::OBJECT, "an object"),
        ];
        let found: ::std::vec::Vec<&str> = names
            .iter()
            .filter(|(shape, _)| self.0 & shape.0 == shape.0)
            .map(|(_, name)| *name)
            .collect();
        found.join(" or ")
    }
}

/// A value held in memory while a union finds the member that reads it, its strings
/// borrowed from the input where they can be (serde's derive buffers untagged and
/// internally tagged enums the same way, in a private type). Only what a decision needs
/// is buffered: a value one member alone can read is streamed into it.
#[derive(Debug, Clone)]
enum Content<'de> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(&'de str),
    String(::std::string::String),
    Seq(::std::vec::Vec<Content<'de>>),
    Map(::std::vec::Vec<(Content<'de>, Content<'de>)>),
}

impl Content<'_> {
    fn shape(&self) -> Shape {
        match self {
            Content::Null => Shape::NULL,
            Content::Bool(_) => Shape::BOOL,
            Content::U64(_) | Content::I64(_) => Shape::INTEGER,
            Content::F64(_) => Shape::FRACTION,
            Content::Str(_) | Content::String(_) => Shape::STRING,
            Content::Seq(_) => Shape::ARRAY,
            Content::Map(_) => Shape::OBJECT,
        }
    }

    fn as_str(&self) -> ::std::option::Option<&str> {
        match self {
            Content::Str(text) => ::std::option::Option::Some(text),
            Content::String(text) => ::std::option::Option::Some(text),
            _ => ::std::option::Option::None,
        }
    }
}

impl<'de> ::serde::Deserialize<'de> for Content<'de> {
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(ContentVisitor)
    }
}

struct ContentVisitor;

impl<'de> ::serde::de::Visitor<'de> for ContentVisitor {
    type Value = Content<'de>;

    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        formatter.write_str("any value")
    }

    fn visit_bool<E>(self, value: bool) -> ::std::result::Result<Content<'de>, E> {
        ::std::result::Result::Ok(Content::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> ::std::result::Result<Content<'de>, E> {
        ::std::result::Result::Ok(Content::I64(value))
    }

    fn visit_u64<E>(self, value: u64) -> ::std::result::Result<Content<'de>, E> {
        ::std::result::Result::Ok(Content::U64(value))
    }

    fn visit_f64<E>(self, value: f64) -> ::std::result::Result<Content<'de>, E> {
        ::std::result::Result::Ok(Content::F64(value))
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> ::std::result::Result<Content<'de>, E> {
        ::std::result::Result::Ok(Content::Str(value))
    }

    fn visit_str<E>(self, value: &str) -> ::std::result::Result<Content<'de>, E> {
        ::std::result::Result::Ok(Content::String(value.to_owned()))
    }

    fn visit_string<E>(
        self,
        value: ::std::string::String,
    ) -> ::std::result::Result<Content<'de>, E> {
        ::std::result::Result::Ok(Content::String(value))
    }

    fn visit_unit<E>(self) -> ::std::result::Result<Content<'de>, E> {
        ::std::result::Result::Ok(Content::Null)
    }

    fn visit_none<E>(self) -> ::std::result::Result<Content<'de>, E> {
        ::std::result::Result::Ok(Content::Null)
    }

    fn visit_some<D: ::serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> ::std::result::Result<Content<'de>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: ::serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> ::std::result::Result<Content<'de>, A::Error> {
        let mut items = ::std::vec::Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let ::std::option::Option::Some(item) = seq.next_element()? {
            items.push(item);
        }
        ::std::result::Result::Ok(Content::Seq(items))
    }

    fn visit_map<A: ::serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> ::std::result::Result<Content<'de>, A::Error> {
        let mut entries = ::std::vec::Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let ::std::option::Option::Some(entry) = map.next_entry()? {
            entries.push(entry);
        }
        ::std::result::Result::Ok(Content::Map(entries))
    }
}

/// Reads a buffered value as what a member asks for.
struct ContentDeserializer<'de, E> {
    content: Content<'de>,
    error: ::std::marker::PhantomData<E>,
}

impl<'de, E: ::serde::de::Error> ::serde::de::IntoDeserializer<'de, E> for Content<'de> {
    type Deserializer = ContentDeserializer<'de, E>;

    fn into_deserializer(self) -> ContentDeserializer<'de, E> {
        ContentDeserializer {
            content: self,
            error: ::std::marker::PhantomData,
        }
    }
}

impl<'de, E: ::serde::de::Error> ::serde::Deserializer<'de> for ContentDeserializer<'de, E> {
    type Error = E;

    fn deserialize_any<V: ::serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::std::result::Result<V::Value, E> {
        match self.content {
            Content::Null => visitor.visit_unit(),
            Content::Bool(value) => visitor.visit_bool(value),
            Content::U64(value) => visitor.visit_u64(value),
            Content::I64(value) => visitor.visit_i64(value),
            Content::F64(value) => visitor.visit_f64(value),
            Content::Str(value) => visitor.visit_borrowed_str(value),
            Content::String(value) => visitor.visit_string(value),
            Content::Seq(items) => {
                let mut seq = ::serde::de::value::SeqDeserializer::new(items.into_iter());
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                ::std::result::Result::Ok(value)
            }
            Content::Map(entries) => {
                let mut map = ::serde::de::value::MapDeserializer::new(entries.into_iter());
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                ::std::result::Result::Ok(value)
            }
        }
    }

    fn deserialize_option<V: ::serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::std::result::Result<V::Value, E> {
        match self.content {
            Content::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: ::serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> ::std::result::Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    ::serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// A JSON object still being read, handed whole to the one member that can read it.
struct MapValue<A>(A);

impl<'de, A: ::serde::de::MapAccess<'de>> ::serde::Deserializer<'de> for MapValue<A> {
    type Error = A::Error;

    fn deserialize_any<V: ::serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::std::result::Result<V::Value, A::Error> {
        visitor.visit_map(self.0)
    }

    // A nullable member (`Option<Model>`) reads a present object as `Some`.
    fn deserialize_option<V: ::serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::std::result::Result<V::Value, A::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: ::serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> ::std::result::Result<V::Value, A::Error> {
        visitor.visit_newtype_struct(self)
    }

    ::serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// A JSON array still being read, handed whole to the one member that can read it.
struct SeqValue<A>(A);

impl<'de, A: ::serde::de::SeqAccess<'de>> ::serde::Deserializer<'de> for SeqValue<A> {
    type Error = A::Error;

    fn deserialize_any<V: ::serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::std::result::Result<V::Value, A::Error> {
        visitor.visit_seq(self.0)
    }

    fn deserialize_option<V: ::serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> ::std::result::Result<V::Value, A::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: ::serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> ::std::result::Result<V::Value, A::Error> {
        visitor.visit_newtype_struct(self)
    }

    ::serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// A union read by the shape of its value: every member of an untagged union, or the
/// members of a tagged one that may come without their tag. Its `Deserialize` is
/// [`read_untagged`].
pub trait Untagged: ::std::marker::Sized {
    /// The union's name, for errors.
    const NAME: &'static str;

    /// Hands each member, in the order they are tried, to `members`.
    fn members<M: Members<Self>>(members: &mut M);
}

/// What visits the members of an [`Untagged`] union: counting those that fit a value,
/// reading a streamed value into the one that fits, or trying a buffered value on each.
pub trait Members<T> {
    /// The member `name`, of shape `shape` (`fields`: its wire names, for an object
    /// member), made a `T` by `variant`.
    fn member<M: ::serde::de::DeserializeOwned>(
        &mut self,
        name: &'static str,
        shape: Shape,
        fields: &'static [&'static str],
        variant: fn(M) -> T,
    );
}

/// Counts the members that fit one shape of value.
struct Survey {
    shape: Shape,
    count: usize,
}

impl<T> Members<T> for Survey {
    fn member<M>(&mut self, _: &'static str, shape: Shape, _: &'static [&'static str], _: fn(M) -> T) {
        if shape.accepts(self.shape) {
            self.count += 1;
        }
    }
}

fn candidates<T: Untagged>(shape: Shape) -> usize {
    let mut survey = Survey { shape, count: 0 };
    T::members(&mut survey);
    survey.count
}

/// Reads a live value (an object or array) into the only member that fits its shape.
struct Stream<D, T, E> {
    value: ::std::option::Option<D>,
    shape: Shape,
    union: &'static str,
    read: ::std::option::Option<::std::result::Result<T, E>>,
}

impl<'de, D: ::serde::Deserializer<'de>, T> Members<T> for Stream<D, T, D::Error> {
    fn member<M: ::serde::de::DeserializeOwned>(
        &mut self,
        name: &'static str,
        shape: Shape,
        _: &'static [&'static str],
        variant: fn(M) -> T,
    ) {
        if !shape.accepts(self.shape) {
            return;
        }
        if let ::std::option::Option::Some(value) = self.value.take() {
            let union = self.union;
            self.read = ::std::option::Option::Some(M::deserialize(value).map(variant).map_err(
                |error| {
                    D::Error::custom(::std::format!(
                        "no member of `{union}` matched; closest was `{name}`: {error}"
                    ))
                },
            ));
        }
    }
}

fn stream<'de, D: ::serde::Deserializer<'de>, T: Untagged>(
    value: D,
    shape: Shape,
) -> ::std::result::Result<T, D::Error> {
    let mut stream = Stream {
        value: ::std::option::Option::Some(value),
        shape,
        union: T::NAME,
        read: ::std::option::Option::None,
    };
    T::members(&mut stream);
    stream.read.unwrap_or_else(|| {
        ::std::result::Result::Err(D::Error::custom(::std::format!(
            "no member of `{}` accepts {}",
            T::NAME,
            shape.describe()
        )))
    })
}

/// Reads an [`Untagged`] union: a value only one member can have the shape of is read
/// straight into it; any other is buffered and tried on each member that fits (see
/// `Dispatch`).
pub fn read_untagged<'de, D, T>(deserializer: D) -> ::std::result::Result<T, D::Error>
where
    D: ::serde::Deserializer<'de>,
    T: Untagged,
{
    deserializer.deserialize_any(UntaggedVisitor(::std::marker::PhantomData))
}

struct UntaggedVisitor<T>(::std::marker::PhantomData<T>);

impl<'de, T: Untagged> ::serde::de::Visitor<'de> for UntaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(formatter, "a value of `{}`", T::NAME)
    }

    fn visit_bool<E: ::serde::de::Error>(self, value: bool) -> ::std::result::Result<T, E> {
        dispatch(Content::Bool(value))
    }

    fn visit_i64<E: ::serde::de::Error>(self, value: i64) -> ::std::result::Result<T, E> {
        dispatch(Content::I64(value))
    }

    fn visit_u64<E: ::serde::de::Error>(self, value: u64) -> ::std::result::Result<T, E> {
        dispatch(Content::U64(value))
    }

    fn visit_f64<E: ::serde::de::Error>(self, value: f64) -> ::std::result::Result<T, E> {
        dispatch(Content::F64(value))
    }

    fn visit_borrowed_str<E: ::serde::de::Error>(
        self,
        value: &'de str,
    ) -> ::std::result::Result<T, E> {
        dispatch(Content::Str(value))
    }

    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<T, E> {
        dispatch(Content::String(value.to_owned()))
    }

    fn visit_string<E: ::serde::de::Error>(
        self,
        value: ::std::string::String,
    ) -> ::std::result::Result<T, E> {
        dispatch(Content::String(value))
    }

    fn visit_unit<E: ::serde::de::Error>(self) -> ::std::result::Result<T, E> {
        dispatch(Content::Null)
    }

    fn visit_none<E: ::serde::de::Error>(self) -> ::std::result::Result<T, E> {
        dispatch(Content::Null)
    }

    fn visit_some<D: ::serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> ::std::result::Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: ::serde::de::SeqAccess<'de>>(
        self,
        seq: A,
    ) -> ::std::result::Result<T, A::Error> {
        if candidates::<T>(Shape::ARRAY) == 1 {
            return stream(SeqValue(seq), Shape::ARRAY);
        }
        dispatch(::serde::de::Visitor::visit_seq(ContentVisitor, seq)?)
    }

    fn visit_map<A: ::serde::de::MapAccess<'de>>(
        self,
        map: A,
    ) -> ::std::result::Result<T, A::Error> {
        if candidates::<T>(Shape::OBJECT) == 1 {
            return stream(MapValue(map), Shape::OBJECT);
        }
        dispatch(::serde::de::Visitor::visit_map(ContentVisitor, map)?)
    }
}

/// Tries a buffered value on the members of `T` (see `Dispatch`).
fn dispatch<T: Untagged, E: ::serde::de::Error>(
    content: Content<'_>,
) -> ::std::result::Result<T, E> {
    let remaining = candidates::<T>(content.shape());
    let mut dispatch = Dispatch {
        union: T::NAME,
        shape: content.shape(),
        content: ::std::option::Option::Some(content),
        remaining,
        expected: ::std::vec::Vec::new(),
        failures: ::std::vec::Vec::new(),
        found: ::std::option::Option::None,
        settled: false,
        dropped_before: dropped_keys(),
    };
    T::members(&mut dispatch);
    dispatch.finish()
}

/// How well a member read a value: the keys it dropped, at any depth, then how many of
/// the value's own keys it knows.
#[derive(Clone, Copy)]
struct Fit {
    dropped: usize,
    known: usize,
}

impl Fit {
    /// Fewer dropped keys first (a member that keeps the whole value beats one that
    /// loses a nested key), then more known keys.
    fn beats(self, other: Fit) -> bool {
        self.dropped < other.dropped || (self.dropped == other.dropped && self.known > other.known)
    }
}

/// Reads one buffered value as a member of a union chosen by shape: members are tried in
/// order, only those whose JSON shape fits the value. A member that is no object is the
/// answer as soon as it reads the value; among object members that read it, the one that
/// drops the fewest keys (at any depth) wins, then the one that knows most of its keys,
/// then the first. When none reads it, the error names the closest member and why each
/// failed.
struct Dispatch<'de, T> {
    union: &'static str,
    shape: Shape,
    /// The value; the last member that fits takes it, the others read a copy.
    content: ::std::option::Option<Content<'de>>,
    /// How many members that fit the value are still to be tried.
    remaining: usize,
    expected: ::std::vec::Vec<(&'static str, Shape)>,
    failures: ::std::vec::Vec<(&'static str, usize, ::std::string::String)>,
    /// The member read so far, with its fit.
    found: ::std::option::Option<(Fit, T)>,
    /// Whether `found` is a member that is no object, and so the answer.
    settled: bool,
    /// The thread's dropped-key count before the union was read: each member's attempt
    /// starts from it, and the chosen member's drops are added to it at the end.
    dropped_before: usize,
}

impl<T> Members<T> for Dispatch<'_, T> {
    fn member<M: ::serde::de::DeserializeOwned>(
        &mut self,
        name: &'static str,
        shape: Shape,
        fields: &'static [&'static str],
        variant: fn(M) -> T,
    ) {
        if self.settled {
            return;
        }
        self.expected.push((name, shape));
        if !shape.accepts(self.shape) {
            return;
        }
        self.remaining = self.remaining.saturating_sub(1);
        let known = self.known(fields);
        let content = if self.remaining == 0 {
            self.content.take()
        } else {
            self.content.clone()
        };
        let ::std::option::Option::Some(content) = content else {
            return;
        };
        // serde_json's errors name JSON types (`null`, not `unit value`).
        let deserializer =
            ::serde::de::IntoDeserializer::<::serde_json::Error>::into_deserializer(content);
        let read = M::deserialize(deserializer);
        let fit = Fit {
            dropped: dropped_keys().saturating_sub(self.dropped_before),
            known,
        };
        set_dropped_keys(self.dropped_before);
        match read {
            ::std::result::Result::Ok(member) if shape.accepts(Shape::OBJECT) => {
                if self.found.as_ref().is_none_or(|(best, _)| fit.beats(*best)) {
                    self.found = ::std::option::Option::Some((fit, variant(member)));
                }
            }
            ::std::result::Result::Ok(member) => {
                self.found = ::std::option::Option::Some((fit, variant(member)));
                self.settled = true;
            }
            ::std::result::Result::Err(error) => {
                self.failures.push((name, known, error.to_string()));
            }
        }
    }
}

impl<T> Dispatch<'_, T> {
    /// How many of the value's keys a member with these wire names knows: among object
    /// members that all accept a value, the one that knows the most keys is chosen.
    fn known(&self, fields: &[&str]) -> usize {
        match &self.content {
            ::std::option::Option::Some(Content::Map(entries)) => entries
                .iter()
                .filter(|(key, _)| key.as_str().is_some_and(|key| fields.contains(&key)))
                .count(),
            _ => 0,
        }
    }

    /// The member chosen, or the error for a value no member reads.
    fn finish<E: ::serde::de::Error>(self) -> ::std::result::Result<T, E> {
        match self.found {
            ::std::option::Option::Some((fit, found)) => {
                set_dropped_keys(self.dropped_before + fit.dropped);
                ::std::result::Result::Ok(found)
            }
            ::std::option::Option::None => ::std::result::Result::Err(self.error()),
        }
    }

    /// The error for a value no member accepted.
    fn error<E: ::serde::de::Error>(&self) -> E {
        if self.failures.is_empty() {
            let expected: ::std::vec::Vec<::std::string::String> = self
                .expected
                .iter()
                .map(|(name, shape)| ::std::format!("{} ({name})", shape.describe()))
                .collect();
            return E::custom(::std::format!(
                "no member of `{}` accepts {}: expected {}",
                self.union,
                self.shape.describe(),
                expected.join(", ")
            ));
        }
        let closest = self
            .failures
            .iter()
            .enumerate()
            .max_by_key(|(index, (_, known, _))| (*known, ::std::cmp::Reverse(*index)))
            .map_or(0, |(index, _)| index);
        let mut message = ::std::format!(
            "no member of `{}` matched; closest was `{}`: {}",
            self.union,
            self.failures[closest].0,
            self.failures[closest].2
        );
        for (index, (name, _, error)) in self.failures.iter().enumerate() {
            if index != closest {
                message.push_str(&::std::format!("; `{name}`: {error}"));
            }
        }
        E::custom(message)
    }
}

/// A union whose members are told apart by the value of one field, its tag. Its
/// `Deserialize` is [`read_tagged`]; the union's own code is a `match` on the tag.
pub trait Tagged: ::std::marker::Sized {
    /// The union's name, for errors.
    const NAME: &'static str;
    /// The wire name of the tag field.
    const TAG: &'static str;

    /// Reads the member `tag` selects (`None`: the tag is absent or null) from the object.
    fn read<'de, A: ::serde::de::MapAccess<'de>>(
        tag: ::std::option::Option<&str>,
        rest: Rest<'de, A>,
    ) -> ::std::result::Result<Self, A::Error>;
}

/// Reads a tagged union: the object's entries before its tag are buffered, the tag
/// selects the member, which then reads the buffered entries and the rest of the object
/// as it streams. Only an object without its tag is buffered whole.
pub fn read_tagged<'de, D, T>(deserializer: D) -> ::std::result::Result<T, D::Error>
where
    D: ::serde::Deserializer<'de>,
    T: Tagged,
{
    deserializer.deserialize_map(TaggedVisitor(::std::marker::PhantomData))
}

struct TaggedVisitor<T>(::std::marker::PhantomData<T>);

impl<'de, T: Tagged> ::serde::de::Visitor<'de> for TaggedVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(formatter, "an object with a `{}` field (`{}`)", T::TAG, T::NAME)
    }

    fn visit_map<A: ::serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> ::std::result::Result<T, A::Error> {
        let mut buffered = ::std::vec::Vec::new();
        while let ::std::option::Option::Some(key) = map.next_key::<Text<'de>>()? {
            let is_tag = key.as_str() == T::TAG;
            let value: Content<'de> = map.next_value()?;
            let tag = if is_tag { tag_text(&value) } else { ::std::option::Option::None };
            buffered.push((key.into_content(), value));
            match tag {
                ::std::option::Option::Some(::std::result::Result::Ok(tag)) => {
                    let rest = Rest { union: T::NAME, buffered, map };
                    return T::read(::std::option::Option::Some(&tag), rest);
                }
                ::std::option::Option::Some(::std::result::Result::Err(())) => {
                    return ::std::result::Result::Err(A::Error::custom(::std::format!(
                        "the tag `{}` of `{}` must be a string, boolean or integer",
                        T::TAG,
                        T::NAME
                    )));
                }
                ::std::option::Option::None => {}
            }
        }
        T::read(::std::option::Option::None, Rest { union: T::NAME, buffered, map })
    }
}

/// A tag value as the text it is matched against (`"job"` -> `job`, `true` -> `true`):
/// `None` for null (read as an absent tag), `Err` for a value no tag can be.
fn tag_text<'de>(
    value: &Content<'de>,
) -> ::std::option::Option<::std::result::Result<::std::borrow::Cow<'de, str>, ()>> {
    let text = match value {
        Content::Null => return ::std::option::Option::None,
        Content::Str(text) => ::std::borrow::Cow::Borrowed(*text),
        Content::String(text) => ::std::borrow::Cow::Owned(text.clone()),
        Content::Bool(flag) => ::std::borrow::Cow::Owned(flag.to_string()),
        Content::I64(number) => ::std::borrow::Cow::Owned(number.to_string()),
        Content::U64(number) if i64::try_from(*number).is_ok() => {
            ::std::borrow::Cow::Owned(number.to_string())
        }
        _ => return ::std::option::Option::Some(::std::result::Result::Err(())),
    };
    ::std::option::Option::Some(::std::result::Result::Ok(text))
}

/// The object of a tagged union once its tag is read: the entries buffered so far (the
/// tag's included) and the rest of the object, not yet read.
#[derive(Debug)]
pub struct Rest<'de, A> {
    union: &'static str,
    buffered: ::std::vec::Vec<(Content<'de>, Content<'de>)>,
    map: A,
}

impl<'de, A: ::serde::de::MapAccess<'de>> Rest<'de, A> {
    fn entries(self) -> Entries<'de, A> {
        Entries {
            buffered: self.buffered.into_iter(),
            pending: ::std::option::Option::None,
            map: self.map,
        }
    }

    /// Reads the whole object as the member `name`, made a `T` by `variant`.
    pub fn member<M: ::serde::de::DeserializeOwned, T>(
        self,
        name: &str,
        variant: fn(M) -> T,
    ) -> ::std::result::Result<T, A::Error> {
        let union = self.union;
        M::deserialize(MapValue(self.entries()))
            .map(variant)
            .map_err(|error| A::Error::custom(::std::format!("`{union}` member `{name}`: {error}")))
    }

    /// Keeps the whole object as it was sent (a member this version does not list).
    pub fn unknown<T>(
        self,
        variant: fn(::serde_json::Value) -> T,
    ) -> ::std::result::Result<T, A::Error> {
        <::serde_json::Value as ::serde::Deserialize>::deserialize(MapValue(self.entries()))
            .map(variant)
    }

    /// Reads an object without its tag by shape, as one of the members that may lack it.
    pub fn untagged<T: Untagged>(mut self) -> ::std::result::Result<T, A::Error> {
        while let ::std::option::Option::Some(entry) = self.map.next_entry()? {
            self.buffered.push(entry);
        }
        dispatch(Content::Map(self.buffered))
    }
}

/// The entries of a tagged union's object: the buffered ones, then the rest as it streams.
struct Entries<'de, A> {
    buffered: ::std::vec::IntoIter<(Content<'de>, Content<'de>)>,
    /// The value of the buffered key just read.
    pending: ::std::option::Option<Content<'de>>,
    map: A,
}

impl<'de, A: ::serde::de::MapAccess<'de>> ::serde::de::MapAccess<'de> for Entries<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: ::serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> ::std::result::Result<::std::option::Option<K::Value>, A::Error> {
        match self.buffered.next() {
            ::std::option::Option::Some((key, value)) => {
                self.pending = ::std::option::Option::Some(value);
                seed.deserialize(::serde::de::IntoDeserializer::into_deserializer(key))
                    .map(::std::option::Option::Some)
            }
            ::std::option::Option::None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: ::serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> ::std::result::Result<V::Value, A::Error> {
        match self.pending.take() {
            ::std::option::Option::Some(value) => {
                seed.deserialize(::serde::de::IntoDeserializer::into_deserializer(value))
            }
            ::std::option::Option::None => self.map.next_value_seed(seed),
        }
    }
}

/// The error for a value of a union that requires its tag, without it.
pub fn missing_tag<E: ::serde::de::Error>(union: &str, tag: &str, expected: &[&str]) -> E {
    E::custom(::std::format!(
        "`{union}` needs its tag field `{tag}` (one of {expected:?}), which is missing"
    ))
}

/// The error for a tag value that names no member.
pub fn unknown_tag<E: ::serde::de::Error>(union: &str, tag: &str, found: &str, expected: &[&str]) -> E {
    E::custom(::std::format!(
        "`{union}` has no member with `{tag}` = {found:?}; expected one of {expected:?}"
    ))
}

/// Writes a member of a tagged union with its tag, also where the member itself may
/// leave the tag out.
pub fn serialize_with_tag<T, S>(
    member: &T,
    tag: &str,
    value: ::serde_json::Value,
    serializer: S,
) -> ::std::result::Result<S::Ok, S::Error>
where
    T: ::serde::Serialize,
    S: ::serde::Serializer,
{
    use ::serde::ser::Error as _;
    let mut written = ::serde_json::to_value(member).map_err(S::Error::custom)?;
    if let ::serde_json::Value::Object(map) = &mut written {
        map.entry(tag).or_insert(value);
    }
    ::serde::Serialize::serialize(&written, serializer)
}
