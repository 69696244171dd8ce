//! Runtime support shared by the generated models: the generic helpers their serde
//! impls call (reading an object's keys, presence checks), constant (literal) types,
//! SDK-only types, and union dispatch with precise errors.
//!
//! Everything here refers to std and serde by absolute path, so no model name can
//! shadow what it uses.

use ::serde::de::Error as _;

/// One key of a JSON object, borrowed from the input where it can be (an escaped key, or
/// one read from an owned `serde_json::Value`, is copied).
#[derive(Debug)]
pub struct Key<'de>(::std::borrow::Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string (for keys kept in a model's additional properties).
    pub fn into_string(self) -> ::std::string::String {
        self.0.into_owned()
    }
}

impl<'de> ::serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: ::serde::Deserializer<'de>>(
        deserializer: D,
    ) -> ::std::result::Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> ::serde::de::Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_borrowed_str<E: ::serde::de::Error>(
        self,
        key: &'de str,
    ) -> ::std::result::Result<Key<'de>, E> {
        ::std::result::Result::Ok(Key(::std::borrow::Cow::Borrowed(key)))
    }

    fn visit_str<E: ::serde::de::Error>(self, key: &str) -> ::std::result::Result<Key<'de>, E> {
        ::std::result::Result::Ok(Key(::std::borrow::Cow::Owned(key.to_owned())))
    }

    fn visit_string<E: ::serde::de::Error>(
        self,
        key: ::std::string::String,
    ) -> ::std::result::Result<Key<'de>, E> {
        ::std::result::Result::Ok(Key(::std::borrow::Cow::Owned(key)))
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

/// Skips the value of a key the model does not know.
pub fn skip<'de, A>(map: &mut A) -> ::std::result::Result<(), A::Error>
where
    A: ::serde::de::MapAccess<'de>,
{
    map.next_value::<::serde::de::IgnoredAny>().map(|_| ())
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
    let found = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
    if found == expected {
        ::std::result::Result::Ok(())
    } else {
        ::std::result::Result::Err(D::Error::invalid_value(
            ::serde::de::Unexpected::Str(&found),
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

    /// The shape of one JSON value.
    pub fn of(value: &::serde_json::Value) -> Shape {
        match value {
            ::serde_json::Value::Null => Shape::NULL,
            ::serde_json::Value::Bool(_) => Shape::BOOL,
            ::serde_json::Value::Number(number) if number.is_i64() || number.is_u64() => {
                Shape::INTEGER
            }
            ::serde_json::Value::Number(_) => Shape(1 << 3),
            ::serde_json::Value::String(_) => Shape::STRING,
            ::serde_json::Value::Array(_) => Shape::ARRAY,
            ::serde_json::Value::Object(_) => Shape::OBJECT,
        }
    }

    /// Both shapes together.
    pub const fn or(self, other: Shape) -> Shape {
        Shape(self.0 | other.0)
    }

    /// Whether a value of shape `value` can be read as this shape.
    pub fn accepts(self, value: Shape) -> bool {
        self.0 & value.0 != 0
    }

    fn describe(self) -> ::std::string::String {
        let names = [
            (Shape::NULL, "null"),
            (Shape::BOOL, "a boolean"),
            (Shape::INTEGER, "an integer"),
            (Shape(1 << 3), "a number"),
            (Shape::STRING, "a string"),
            (Shape::ARRAY, "an array"),
            (Shape::OBJECT, "an object"),
        ];
        let found: ::std::vec::Vec<&str> = names
            .iter()
            .filter(|(shape, _)| self.0 & shape.0 == shape.0)
            .map(|(_, name)| *name)
            .collect();
        if self == Shape::ANY {
            "any value".into()
        } else {
            found.join(" or ")
        }
    }
}

/// Collects why each member of an untagged union did not match one value, to report
/// the member that came closest and why every member failed.
#[derive(Debug)]
struct Attempts<'a> {
    union: &'static str,
    value: &'a ::serde_json::Value,
    shape: Shape,
    expected: ::std::vec::Vec<(&'static str, Shape)>,
    failures: ::std::vec::Vec<(&'static str, usize, ::std::string::String)>,
}

impl<'a> Attempts<'a> {
    fn new(union: &'static str, value: &'a ::serde_json::Value) -> Self {
        Attempts {
            union,
            value,
            shape: Shape::of(value),
            expected: ::std::vec::Vec::new(),
            failures: ::std::vec::Vec::new(),
        }
    }

    /// Whether the member `name` of shape `shape` is worth trying on this value.
    fn fits(&mut self, name: &'static str, shape: Shape) -> bool {
        self.expected.push((name, shape));
        shape.accepts(self.shape)
    }

    /// How many of the value's keys a member with these wire names knows: among object
    /// members that all accept a value, the one that knows the most keys is chosen.
    fn known(&self, fields: &[&str]) -> usize {
        match self.value {
            ::serde_json::Value::Object(map) => {
                map.keys().filter(|key| fields.contains(&key.as_str())).count()
            }
            _ => 0,
        }
    }

    /// Records a member that was tried and failed. `fields` are the wire names of an
    /// object member: the more of the value's keys it knows, the closer it came.
    fn failed(&mut self, name: &'static str, fields: &[&str], error: ::serde_json::Error) {
        let known = self.known(fields);
        self.failures.push((name, known, error.to_string()));
    }

    /// The error for a value no member accepted.
    fn into_error<E: ::serde::de::Error>(self) -> E {
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

/// Reads one value as a member of a union chosen by shape (an untagged union, or a tagged
/// one whose value lacks its tag): members are tried in order, only those whose JSON
/// shape fits the value. A member that is no object is the answer as soon as it reads the
/// value; among object members that read it, the one that knows most of its keys wins,
/// the first on a tie. When none reads it, the error names the closest member and why
/// each failed.
#[derive(Debug)]
pub struct Dispatch<'a, T> {
    attempts: Attempts<'a>,
    /// The member read so far, with how many of the value's keys it knows.
    found: ::std::option::Option<(usize, T)>,
    /// Whether `found` is a member that is no object, and so the answer.
    settled: bool,
}

impl<'a, T> Dispatch<'a, T> {
    pub fn new(union: &'static str, value: &'a ::serde_json::Value) -> Self {
        Dispatch {
            attempts: Attempts::new(union, value),
            found: ::std::option::Option::None,
            settled: false,
        }
    }

    /// Tries the member `name`, of shape `shape` (`fields`: its wire names, for an
    /// object member), made a `T` by `variant`.
    pub fn member<M: ::serde::Deserialize<'a>>(
        &mut self,
        name: &'static str,
        shape: Shape,
        fields: &[&str],
        variant: fn(M) -> T,
    ) {
        if self.settled || !self.attempts.fits(name, shape) {
            return;
        }
        match M::deserialize(self.attempts.value) {
            ::std::result::Result::Ok(member) if shape.accepts(Shape::OBJECT) => {
                let known = self.attempts.known(fields);
                if self.found.as_ref().is_none_or(|(best, _)| known > *best) {
                    self.found = ::std::option::Option::Some((known, variant(member)));
                }
            }
            ::std::result::Result::Ok(member) => {
                self.found = ::std::option::Option::Some((0, variant(member)));
                self.settled = true;
            }
            ::std::result::Result::Err(error) => self.attempts.failed(name, fields, error),
        }
    }

    /// The member chosen, or the error for a value no member reads.
    pub fn finish<E: ::serde::de::Error>(self) -> ::std::result::Result<T, E> {
        match self.found {
            ::std::option::Option::Some((_, found)) => ::std::result::Result::Ok(found),
            ::std::option::Option::None => ::std::result::Result::Err(self.attempts.into_error()),
        }
    }
}

/// Reads a tagged union's value and its tag: `None` when the tag is absent or `null`
/// (the union then decides whether a member may be read without it).
pub fn take_tag<'de, D>(
    deserializer: D,
    union: &str,
    tag: &str,
) -> ::std::result::Result<
    (
        ::std::option::Option<::std::string::String>,
        ::serde_json::Value,
    ),
    D::Error,
>
where
    D: ::serde::Deserializer<'de>,
{
    let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
    let found = match &value {
        ::serde_json::Value::Object(map) => map.get(tag),
        other => {
            return ::std::result::Result::Err(D::Error::custom(::std::format!(
                "`{union}` expects an object with a `{tag}` field, found {}",
                Shape::of(other).describe()
            )));
        }
    };
    match found {
        ::std::option::Option::None | ::std::option::Option::Some(::serde_json::Value::Null) => {
            ::std::result::Result::Ok((::std::option::Option::None, value))
        }
        ::std::option::Option::Some(found) => match tag_key(found) {
            ::std::option::Option::Some(key) => {
                ::std::result::Result::Ok((::std::option::Option::Some(key), value))
            }
            ::std::option::Option::None => ::std::result::Result::Err(D::Error::custom(
                ::std::format!("the tag `{tag}` of `{union}` must be a string, boolean or integer"),
            )),
        },
    }
}

/// The error for a value of a union that requires its tag, without it.
pub fn missing_tag<E: ::serde::de::Error>(union: &str, tag: &str, expected: &[&str]) -> E {
    E::custom(::std::format!(
        "`{union}` needs its tag field `{tag}` (one of {expected:?}), which is missing"
    ))
}

/// A tag value as the text it is matched against (`"job"` -> `job`, `true` -> `true`).
fn tag_key(value: &::serde_json::Value) -> ::std::option::Option<::std::string::String> {
    match value {
        ::serde_json::Value::String(text) => ::std::option::Option::Some(text.clone()),
        ::serde_json::Value::Bool(flag) => ::std::option::Option::Some(flag.to_string()),
        ::serde_json::Value::Number(number) if number.is_i64() => {
            ::std::option::Option::Some(number.to_string())
        }
        _ => ::std::option::Option::None,
    }
}

/// The error for a tag value that names no member.
pub fn unknown_tag<E: ::serde::de::Error>(union: &str, tag: &str, found: &str, expected: &[&str]) -> E {
    E::custom(::std::format!(
        "`{union}` has no member with `{tag}` = {found:?}; expected one of {expected:?}"
    ))
}

/// Reads the selected member of a tagged union from the whole value.
pub fn member<T, E>(
    value: ::serde_json::Value,
    union: &str,
    member: &str,
) -> ::std::result::Result<T, E>
where
    T: ::serde::de::DeserializeOwned,
    E: ::serde::de::Error,
{
    <T as ::serde::Deserialize>::deserialize(value)
        .map_err(|error| E::custom(::std::format!("`{union}` member `{member}`: {error}")))
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
