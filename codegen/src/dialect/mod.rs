//! SDK dialects: how one SDK language writes types, enum values and union members, and
//! how a spec's dialect is recognised. The grammar of each dialect lives in its own
//! module and produces the dialect-neutral [`TypeExpr`] syntax tree.

pub mod csharp;
pub mod detect;
pub mod go;
pub mod java;
pub mod lex;
pub mod literal;
pub mod php;
pub mod python;
pub mod ruby;
#[cfg(test)]
pub(crate) mod testing;
pub mod typescript;

use std::fmt;

use serde::Serialize;

use crate::diagnostic::Span;
use crate::document::{Block, CodeBlock, Heading, Inline};

pub use detect::{DialectEvidence, detect};

/// The SDK language whose doc dialect a spec is written in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Python,
    TypeScript,
    Go,
    Java,
    CSharp,
    Php,
    Ruby,
}

impl Dialect {
    /// Every dialect, in the order detection prefers them when evidence is ambiguous.
    pub const ALL: [Dialect; 7] = [
        Dialect::Python,
        Dialect::TypeScript,
        Dialect::Go,
        Dialect::Java,
        Dialect::CSharp,
        Dialect::Php,
        Dialect::Ruby,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Dialect::Python => "python",
            Dialect::TypeScript => "typescript",
            Dialect::Go => "go",
            Dialect::Java => "java",
            Dialect::CSharp => "csharp",
            Dialect::Php => "php",
            Dialect::Ruby => "ruby",
        }
    }

    /// The dialect called `name` (as `--dialect` takes it).
    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL
            .into_iter()
            .find(|dialect| dialect.name() == name.to_ascii_lowercase())
    }

    /// Parses a whole Type cell; `source` is the text of the file the cell is in.
    pub fn type_cell(
        self,
        content: &[Inline],
        cell: Span,
        source: &str,
    ) -> Result<TypeExpr, SyntaxError> {
        let tokens = lex::cell_tokens(content, source);
        self.parse_tokens(lex::Cursor::new(tokens, cell))
    }

    /// Parses a type written as plain text whose first byte is at `span.start` (a code
    /// span's text, an annotation in example code).
    pub fn type_text(self, text: &str, span: Span) -> Result<TypeExpr, SyntaxError> {
        self.parse_tokens(lex::Cursor::new(lex::text_tokens(text, span), span))
    }

    /// Parses the tokens of a type in this dialect's grammar.
    pub(crate) fn parse_tokens(self, cursor: lex::Cursor) -> Result<TypeExpr, SyntaxError> {
        match self {
            Dialect::Python => python::parse_type(cursor),
            Dialect::TypeScript => typescript::parse_type(cursor),
            Dialect::Go => go::parse_type(cursor),
            Dialect::Java => java::parse_type(cursor),
            Dialect::CSharp => csharp::parse_type(cursor),
            Dialect::Php => php::parse_type(cursor),
            Dialect::Ruby => ruby::parse_type(cursor),
        }
    }

    /// Reads one member of a `## Supported Types` section: its `###` heading and the
    /// blocks under it up to the next heading (some dialects name the member's type only
    /// in the example code below an empty or SDK-named heading).
    pub fn union_member(
        self,
        heading: &Heading,
        body: &[Block],
        source: &str,
    ) -> Result<Member, SyntaxError> {
        match self {
            Dialect::Python => python::union_member(heading, body, source),
            Dialect::TypeScript => typescript::union_member(heading, body, source),
            Dialect::Go => go::union_member(heading, body, source),
            Dialect::Java => java::union_member(heading, body, source),
            Dialect::CSharp => csharp::union_member(heading, body, source),
            Dialect::Php => php::union_member(heading, body, source),
            Dialect::Ruby => ruby::union_member(heading, body, source),
        }
    }

    /// Enum values written as code under `## Values` (TypeScript's `"a" | "b" |
    /// Unrecognized<string>`); `None` when this dialect does not write them so.
    pub fn enum_code(self, code: &CodeBlock) -> Option<Result<CodeEnum, SyntaxError>> {
        match self {
            Dialect::TypeScript => Some(typescript::enum_code(code)),
            _ => None,
        }
    }

    /// How the SDK writes JSON keys' counterparts, the attribute names the docs show.
    pub fn naming(self) -> SdkNaming {
        match self {
            Dialect::Python | Dialect::Ruby => SdkNaming::SnakeCase,
            Dialect::TypeScript | Dialect::Java | Dialect::Php => SdkNaming::CamelCase,
            Dialect::Go | Dialect::CSharp => SdkNaming::PascalCase,
        }
    }

    /// The Field names under which an SDK shows the keys beyond a model's fields (the
    /// object's additional properties), when the row's type is a map: pydantic's
    /// `__pydantic_extra__`, the dataclass SDKs' `additional_properties`, TypeScript's,
    /// Java's and PHP's `additionalProperties`, Go's and C#'s `AdditionalProperties`.
    pub fn extras_rows(self) -> &'static [&'static str] {
        match self {
            Dialect::Python => &["__pydantic_extra__", "additional_properties"],
            Dialect::Ruby => &["additional_properties"],
            Dialect::TypeScript | Dialect::Java | Dialect::Php => &["additionalProperties"],
            Dialect::Go | Dialect::CSharp => &["AdditionalProperties"],
        }
    }

    /// What a dialect's Type cells can show about null and absence.
    pub fn presence_notation(self) -> PresenceNotation {
        match self {
            Dialect::Python | Dialect::Java => PresenceNotation::Explicit,
            Dialect::Go | Dialect::Ruby => PresenceNotation::Nilable,
            // PHP writes `?T` on optional fields only: a required nullable field reads
            // like a required one.
            Dialect::TypeScript | Dialect::CSharp | Dialect::Php => PresenceNotation::None,
        }
    }

    /// What an enum that carries no open-enum mark is, and why: the SDKs that mark their
    /// open enums (the Python 2.x sentence, the `// Open enum` comments of TypeScript, Go
    /// and Java) leave the closed ones unmarked; C# and PHP write open enums as plain
    /// strings, so an enum doc of theirs is closed; table-form Python 1.x and Ruby enums
    /// say nothing either way.
    pub fn unmarked_enum(self, form: crate::ir::EnumForm) -> UnmarkedEnum {
        use crate::ir::EnumForm;
        match (self, form) {
            (Dialect::Python, EnumForm::List) => UnmarkedEnum::ClosedListForm,
            (Dialect::Python | Dialect::Ruby, _) => UnmarkedEnum::AssumedOpen,
            _ => UnmarkedEnum::Closed,
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The case convention of the SDK attribute names a dialect's docs show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdkNaming {
    SnakeCase,
    CamelCase,
    PascalCase,
}

/// What the type notation of a dialect can say about presence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresenceNotation {
    /// Optional and nullable are told apart (Python's `Optional`, `Nullable`,
    /// `OptionalNullable`; Java's `JsonNullable<T>` for optional-nullable, `Optional<T>`
    /// for optional, and for required-nullable), except on containers and dates.
    Explicit,
    /// One marker for "may have no value" ([`Wrapper::Nilable`]: Go pointers, Ruby
    /// `T.nilable`): on a required field it means null is allowed; on an optional field it
    /// is always written, so it says nothing about null; containers never carry it.
    Nilable,
    /// Nothing on required fields: C# and TypeScript tables write optional and nullable
    /// types like required ones, and PHP's `?T` marks optional fields only.
    None,
}

/// What an enum without an open-enum mark is taken to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnmarkedEnum {
    /// Closed: this SDK marks its open enums (or writes them as strings).
    Closed,
    /// Closed: a Python 2.x list-form enum without "This is an open enum".
    ClosedListForm,
    /// Open, by assumption: the form never says (table-form Python 1.x, Ruby).
    AssumedOpen,
}

/// One `###` member of a union document.
#[derive(Debug, Clone, PartialEq)]
pub enum Member {
    /// The member's type.
    Type(TypeExpr),
    /// The heading and the code under it name no type (an empty Go heading with no
    /// constructor call): reported as a malformed member.
    Unshown,
}

/// Enum values written as code.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeEnum {
    pub values: Vec<(LiteralValue, Span)>,
    /// The code admits values beyond the listed ones (`Unrecognized<string>`).
    pub open: bool,
}

/// Whether the document marks an enum as open: Python 2.x writes "This is an open enum."
/// above the values; the TypeScript, Go and Java SDKs put an `// Open enum: ...` comment
/// in the example code.
pub fn marks_open_enum(blocks: &[Block]) -> Option<Span> {
    blocks.iter().find_map(|block| match block {
        Block::Paragraph(paragraph)
            if crate::document::plain_text(&paragraph.content)
                .trim_start()
                .starts_with("This is an open enum") =>
        {
            Some(paragraph.span)
        }
        Block::Code(code)
            if code.text.lines().any(|line| {
                let line = line.trim_start();
                let comment = line
                    .strip_prefix("//")
                    .or_else(|| line.strip_prefix('#'))
                    .unwrap_or_default();
                comment.trim_start().starts_with("Open enum")
            }) =>
        {
            Some(code.span)
        }
        _ => None,
    })
}

/// A type as written in the docs, before names are resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeExpr {
    Primitive {
        primitive: Primitive,
        span: Span,
    },
    Wrapper {
        wrapper: Wrapper,
        inner: Box<TypeExpr>,
        span: Span,
    },
    List {
        item: Box<TypeExpr>,
        span: Span,
    },
    /// `Dict[str, T]`: keys are always strings on the JSON wire.
    Map {
        value: Box<TypeExpr>,
        span: Span,
    },
    Literal {
        values: Vec<LiteralValue>,
        span: Span,
    },
    Union {
        members: Vec<TypeExpr>,
        span: Span,
    },
    /// A model named in the text (`models.X`, `components.X`, `Models::Shared::X`, or a
    /// bare `X` inside link text): `name` is the title, `namespace` the SDK module path in
    /// front of it (`models`, `components`, `Models::Shared`), which may tell apart two
    /// models of the same title in different folders.
    Model {
        name: String,
        namespace: Option<String>,
        span: Span,
    },
    /// A markdown link around a type: the destination names the document of the models
    /// inside the link text.
    Link {
        dest: String,
        inner: Box<TypeExpr>,
        span: Span,
    },
    /// A type that only exists in the SDK, not on the JSON wire.
    Sdk {
        sdk: SdkType,
        arguments: Vec<TypeExpr>,
        span: Span,
    },
}

impl TypeExpr {
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Primitive { span, .. }
            | TypeExpr::Wrapper { span, .. }
            | TypeExpr::List { span, .. }
            | TypeExpr::Map { span, .. }
            | TypeExpr::Literal { span, .. }
            | TypeExpr::Union { span, .. }
            | TypeExpr::Model { span, .. }
            | TypeExpr::Link { span, .. }
            | TypeExpr::Sdk { span, .. } => *span,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Primitive {
    String,
    /// An integer of unstated size (Python `int`, Ruby `::Integer`, PHP `int`).
    Integer,
    /// A 32-bit integer (Java `int`/`Integer`, Go `int32`, C# `int`).
    Int32,
    /// A 64-bit integer (Java `long`/`Long`, Go `int64`, C# `long`).
    Int64,
    /// A number of unstated size (Python `float`, TypeScript `number`, Ruby `::Float`).
    Float,
    /// A 32-bit float (Java `float`, Go `float32`, C# `float`).
    Float32,
    /// A 64-bit float (Java `double`, Go `float64`, C# `double`).
    Float64,
    /// An arbitrary-precision decimal (Python `Decimal`, Java `BigDecimal`, C# `decimal`).
    Decimal,
    Boolean,
    /// Any JSON value (`Any`, `any`, `Object`, `object`, `mixed`, `T.untyped`).
    Any,
    Bytes,
    /// Python's `date` link: used for dates and date-times alike.
    Date,
    /// A calendar date, written as such (Java/C# `LocalDate`, Go `types.Date`,
    /// TypeScript `RFCDate`).
    CalendarDate,
    /// A date-time, written as such (Python `datetime`, Java `OffsetDateTime`, Go
    /// `time.Time`, TypeScript `Date`, C# `DateTime`, PHP `\DateTime`).
    DateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wrapper {
    /// May be absent, not null (Python `Optional[T]`, Java `Optional<T>`).
    Optional,
    /// May be null (Python `Nullable[T]`, Java `JsonNullable<T>`).
    Nullable,
    /// May be absent or null (Python `OptionalNullable[T]`).
    OptionalNullable,
    /// May have no value, absent or null unsaid (Go `*T`, PHP `?T`, Ruby `T.nilable(T)`):
    /// the field's Required cell decides (see [`PresenceNotation::Nilable`]).
    Nilable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SdkType {
    /// `IO[bytes]`: a file-like object.
    Io,
    /// `io.BufferedReader`.
    BufferedReader,
    /// `eventstreaming.EventStream[T]`.
    EventStream,
    /// `eventstreaming.EventStreamAsync[T]`.
    EventStreamAsync,
    /// The HTTP response object of an operation response (`httpx.Response`,
    /// `requests.Response`, `HttpResponse<?>`, `HttpResponseMessage`,
    /// `\Psr\Http\Message\ResponseInterface`, `*http.Response`, `Faraday::Response`).
    HttpResponse,
    /// A byte stream or file handle of the SDK (`ReadableStream<Uint8Array>`, `Blob`,
    /// `InputStream`, `Stream`, `io.Reader`): a file upload.
    ByteStream,
    /// A function value (a callback of the SDK), never on the wire.
    Callable,
}

/// The value of a `Literal[...]` or of an enum member.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum LiteralValue {
    String(String),
    Integer(i64),
    Boolean(bool),
}

/// A type spelled as the docs spell it, models by title (`List[Event]`,
/// `Dict[str, Any]`, `Literal["job"]`; `date` or `datetime` by format), for messages and
/// reports.
pub fn notation(ty: &crate::ir::Type) -> String {
    use crate::ir::{DateFormat, Type};
    match ty {
        Type::String => "str".to_owned(),
        Type::Integer => "int".to_owned(),
        Type::Float => "float".to_owned(),
        Type::Boolean => "bool".to_owned(),
        Type::Any => "Any".to_owned(),
        Type::Bytes => "bytes".to_owned(),
        Type::Date { format } => match format.value {
            DateFormat::Date => "date".to_owned(),
            DateFormat::DateTime => "datetime".to_owned(),
        },
        Type::List(item) => format!("List[{}]", notation(item)),
        Type::Map(value) => format!("Dict[str, {}]", notation(value)),
        Type::Nullable(inner) => format!("Nullable[{}]", notation(inner)),
        Type::Literal(value) => format!("Literal[{value}]"),
        Type::Model(name) => name.clone(),
        Type::FileUpload => "FileUpload".to_owned(),
        Type::SdkOnly => "SdkOnly".to_owned(),
        Type::EventStream(item) => format!("EventStream[{}]", notation(item)),
    }
}

impl fmt::Display for LiteralValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LiteralValue::String(value) => write!(f, "{value:?}"),
            LiteralValue::Integer(value) => write!(f, "{value}"),
            LiteralValue::Boolean(value) => write!(f, "{value}"),
        }
    }
}

/// A place where the text stops following the grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub expected: String,
    pub found: String,
}
