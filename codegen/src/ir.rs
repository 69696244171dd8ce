//! The IR: a spec as plain data, with every fact tagged by where it came from.
//!
//! Built by [`crate::lower`], read by the linter, the emitter and the validator. It holds
//! no behaviour; its JSON form (`cargo xtask ir`) is stable and sorted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::diagnostic::Location;
pub use crate::dialect::{Dialect, LiteralValue};

/// A whole spec: every model, keyed by its name (its title; `folder/Title` for a title
/// declared in several folders).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Spec {
    pub dialect: Dialect,
    pub models: BTreeMap<String, Model>,
    /// Union documents that list no members (a title and prose only: Java with
    /// `generateUnionDocs: false`, Ruby): not models; their references are `Any`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub undocumented: BTreeMap<String, Undocumented>,
    /// The sources of a merged spec, the primary first (`--specs` given more than once);
    /// empty for a spec read from one source.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SpecOrigin>,
}

/// One source of a merged spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecOrigin {
    /// The folder as the user named it; the files of a source other than the primary
    /// are named with it as a prefix in every location.
    pub label: String,
    pub dialect: Dialect,
}

/// A union document that lists no members, and where it is referenced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Undocumented {
    pub location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Every Type cell that refers to it (typed as any JSON value there).
    pub references: Vec<Location>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The model's name in the spec: the document title exactly as written, or
    /// `folder/Title` when the title is declared in several folders.
    pub name: String,
    /// The title heading.
    pub location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// For a model declared inside another model's document (`BackoffStrategy` in
    /// `utils/retryconfig.md`), the title of that document's model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Whether the model is sent to the server or received from it; the docs never say,
    /// so only the overlay does. The drift audit uses it to decide which wire changes break.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// Example instances the docs give (TypeScript's `Example Usage` blocks and union
    /// member examples), as JSON with JSON keys.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    #[serde(flatten)]
    pub kind: ModelKind,
}

/// One example instance of a model, from the docs' code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    pub value: serde_json::Value,
    /// The code block it was read from.
    pub location: Location,
    /// While the spec is being read: why the code is no JSON value. Such examples are
    /// counted and dropped before the spec is complete, so a finished IR has none.
    #[serde(skip)]
    pub unreadable: Option<String>,
}

/// Which way a model travels (overlay `direction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Sent by the client: the server validates it with the new spec.
    Request,
    /// Sent by the server: clients built on the old spec read it.
    Response,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ModelKind {
    Object(Object),
    Enum(Enum),
    Union(Union),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Object {
    pub fields: Vec<Field>,
    /// Keys beyond the fields are allowed and kept (a `__pydantic_extra__` row).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_properties: Option<AdditionalProperties>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdditionalProperties {
    /// The type of each extra value.
    pub value: Type,
    pub location: Location,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// The SDK attribute name the docs show (`from_`).
    pub name: String,
    /// The JSON key (`from`).
    pub wire_name: Sourced<String>,
    /// The value type, with the outer presence wrappers taken off.
    #[serde(rename = "type")]
    pub ty: Type,
    pub required: Sourced<bool>,
    pub nullable: Sourced<bool>,
    /// The row of the presence table (README) that `required`, `nullable` and the type
    /// select; the emitter and the validator implement exactly this row.
    pub presence: Presence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Example values from the Example column, as text (`<br/>` read as line breaks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    /// The field's table row.
    pub location: Location,
}

/// How a field may appear on the wire: one row of the presence table in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Presence {
    /// Absent is an error, null is an error; always emitted.
    Required,
    /// Absent is an error, null is allowed; emitted as null or the value.
    RequiredNullable,
    /// Absent is allowed, null is tolerated and read as absent; omitted when absent.
    Optional,
    /// Absent, null and a value are all allowed and emitted exactly as they were.
    OptionalNullable,
    /// A required constant (`Literal[x]` or a one-value enum): absent means the
    /// constant, null is an error; always emitted. As the tag of a tagged union it is
    /// required on input instead (the tag selects the member).
    Defaulted,
}

/// A value with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
    /// In a merged spec, where another source than the primary wrote the value (its
    /// file, prefixed with that source's folder, and line); `None` when the value is the
    /// primary source's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Location>,
}

/// Where a fact of the IR came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Written in the docs.
    Doc,
    /// Derived from what the docs write by a known naming or format convention.
    Convention(Assumption),
    /// Not written anywhere: the documented default assumption.
    Default(Assumption),
    /// Supplied by `overlay.toml`.
    Overlay,
}

/// A fact the docs do not state, and which assumption stands in for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Assumption {
    /// The docs show SDK attribute names; the JSON key is assumed to be the same.
    WireNameIsSdkName,
    /// Python appends `_` to reserved words (`from_`); the JSON key drops it.
    ReservedWordSuffix,
    /// An optional `List`, `Dict` or `date` never shows nullability: null is allowed.
    OptionalContainerNullable,
    /// A required `List`, `Dict` or `date` never shows nullability: null is an error.
    RequiredContainerNotNull,
    /// `date` stands for dates and date-times alike: assumed a date-time.
    DateMeansDateTime,
    /// Sources whose SDKs case names differently (snake_case and camelCase) show one
    /// spelling: the JSON key is that spelling, since each SDK derives its names from the
    /// key by its own convention.
    NameAlikeAcrossSdks,
    /// A table-form enum does not say whether unknown values are allowed: assumed open.
    TableEnumOpen,
    /// A list-form enum without the open-enum sentence is closed.
    ListEnumClosed,
    /// The SDK marks its open enums (a `// Open enum` comment, `Unrecognized<string>`) or
    /// writes them as plain strings (C#, PHP); an enum doc without the mark is closed.
    UnmarkedEnumClosed,
    /// The dialect's Type cells never show nullability (TypeScript, C#), or show one
    /// marker for "absent or null" that optional fields always carry (Go pointers, PHP
    /// `?T`, Ruby `T.nilable`): an optional field is assumed to allow null.
    OptionalNullabilityNotShown,
    /// The dialect's Type cells never show nullability: a required field is assumed not
    /// to allow null.
    RequiredNullabilityNotShown,
    /// The docs show camelCase or PascalCase SDK names and never the JSON key: the key
    /// is assumed to be the name as the dialect's rule derives it.
    WireNameFromSdkCase,
    /// An any-value type (`Any`, `any`, `Object`, `mixed`, `T.untyped`) includes null in
    /// every SDK: a field of it accepts and keeps null.
    AnyIncludesNull,
    /// A union document lists no members (Java `generateUnionDocs: false`, Ruby): its
    /// references are typed as any JSON value.
    UndocumentedUnion,
    /// A table without a Required column (`utils/retryconfig.md`): fields are optional.
    RequiredNotDocumented,
    /// No discriminator is written: a field every member holds as a distinct constant.
    InferredUnionTag,
    /// The docs never say whether the SDK discriminates a tagged union: a value without
    /// the tag is matched by shape among the members whose tag field may be absent.
    UnionTagOptional,
    /// The docs never say whether a tagged union is open: a value with an unknown tag is
    /// kept whole, as unknown values of table enums are.
    TaggedUnionOpen,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Type {
    String,
    Integer,
    Float,
    Boolean,
    /// Any JSON value.
    Any,
    Bytes,
    Date {
        format: Sourced<DateFormat>,
    },
    List(Box<Type>),
    /// A JSON object with string keys.
    Map(Box<Type>),
    /// A null or the value, where nullability is written inside a container
    /// (`List[Nullable[M]]`); at the top of a field it is the field's presence instead.
    Nullable(Box<Type>),
    /// Exactly one constant.
    Literal(LiteralValue),
    /// A model, by title.
    Model(String),
    /// SDK-only, not JSON: a file upload (`Union[bytes, IO[bytes], io.BufferedReader]`).
    FileUpload,
    /// SDK-only, not JSON: a server-sent event stream of the item type.
    EventStream(Box<Type>),
    /// SDK-only, not JSON: an object of the SDK itself, such as the HTTP response of an
    /// operation response (`httpx.Response`, `HttpResponse<?>`) or a callback.
    SdkOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateFormat {
    Date,
    DateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enum {
    pub repr: EnumRepr,
    pub form: EnumForm,
    /// Whether values beyond the listed ones are accepted.
    pub open: Sourced<bool>,
    pub values: Vec<EnumValue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnumRepr {
    String,
    Integer,
}

/// How the docs wrote the enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EnumForm {
    /// `| Name | Value |` (Python SDK 1.x).
    Table,
    /// `` - `"value"` `` (Python SDK 2.x).
    List,
    /// Values written as code (TypeScript's `"a" | "b"`).
    Code,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnumValue {
    /// The SDK constant name, where the table form gives one (`SYSTEM`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub value: LiteralValue,
    pub location: Location,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Union {
    pub members: Vec<UnionMember>,
    /// The field whose constant value selects the member, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<Sourced<String>>,
    /// With a tag: whether every value must carry it. When not, a value without the tag
    /// (or with a null tag) is matched by shape among the members whose tag field may be
    /// absent, as the SDK does for the unions it does not discriminate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_required: Option<Sourced<bool>>,
    /// With a tag: whether a value with an unknown tag is kept (as the union's `Unknown`
    /// member) rather than rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<Sourced<bool>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnionMember {
    #[serde(rename = "type")]
    pub ty: Type,
    pub location: Location,
}
