//! Emission, item pass: the Rust items of one model (struct, enum or union, with their
//! serde implementations), from the IR and the [plan](super::plan).

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens as _, quote};

use super::docs::doc_lines;
use super::plan::{Extras, Plan, identifier_words, unique};
use crate::ir::{
    DateFormat, Enum, EnumRepr, Field, LiteralValue, Model, ModelKind, Object, Presence, Type,
    Union, UnionMember,
};
use crate::naming;
use crate::shape;
use crate::tags;

/// An identifier from a name the [naming](crate::naming) rules produced: `r#type` is a
/// raw identifier.
pub(super) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// How a model's file names std items: the prelude names (`Option`, `String`...) as
/// written by hand, unless the model itself has that name, which would shadow them.
struct Paths {
    option: TokenStream,
    some: TokenStream,
    none: TokenStream,
    string: TokenStream,
    vec: TokenStream,
    boxed: TokenStream,
    default: TokenStream,
    result: TokenStream,
    ok: TokenStream,
    err: TokenStream,
}

impl Paths {
    fn new(own: &str) -> Self {
        // Built for every type a field names: the full paths only when needed.
        let name = |short: &str, full: fn() -> TokenStream| {
            if own == short {
                full()
            } else {
                ident(short).into_token_stream()
            }
        };
        Paths {
            option: name("Option", || quote!(::std::option::Option)),
            some: name("Some", || quote!(::std::option::Option::Some)),
            none: name("None", || quote!(::std::option::Option::None)),
            string: name("String", || quote!(::std::string::String)),
            vec: name("Vec", || quote!(::std::vec::Vec)),
            boxed: name("Box", || quote!(::std::boxed::Box)),
            default: name("Default", || quote!(::std::default::Default)),
            result: name("Result", || quote!(::std::result::Result)),
            ok: name("Ok", || quote!(::std::result::Result::Ok)),
            err: name("Err", || quote!(::std::result::Result::Err)),
        }
    }
}

fn doc_attrs(lines: &[String]) -> TokenStream {
    let lines = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// The file of one model, as tokens for prettyplease or as text the [text pass](super::text)
/// wrote.
#[derive(Debug)]
pub(super) enum ModelSource {
    Tokens(TokenStream),
    /// Tokens, then the serde impls as text.
    Mixed {
        tokens: TokenStream,
        tail: String,
    },
    /// The whole file as text.
    Text(String),
}

/// Whether the items the [text pass](super::text) can write are written as text or left
/// as tokens (the reference it is checked against).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layout {
    Text,
    Tokens,
}

/// The file of one model.
pub(super) fn model_file(plan: &Plan<'_>, model: &Model, layout: Layout) -> ModelSource {
    let item = match &model.kind {
        ModelKind::Object(object) => return object_items(plan, model, object, layout),
        ModelKind::Enum(enumeration) => {
            if layout == Layout::Text
                && let Some(text) = enum_text(plan, model, enumeration)
            {
                return ModelSource::Text(text);
            }
            enum_items(plan, model, enumeration)
        }
        ModelKind::Union(union) => {
            if layout == Layout::Text
                && let Some(text) = union_text(plan, model, union)
            {
                return ModelSource::Text(text);
            }
            union_items(plan, model, union)
        }
    };
    ModelSource::Tokens(with_module_doc(model, item))
}

/// The `//!` line of a model's module.
fn module_doc(model: &Model) -> String {
    format!(" `{}`, from `{}`.", model.name, model.location.file)
}

fn with_module_doc(model: &Model, items: TokenStream) -> TokenStream {
    let module_doc = module_doc(model);
    quote! {
        #![doc = #module_doc]
        #items
    }
}

/// A model's doc lines: its description, then where it was generated from.
fn model_doc_lines(model: &Model) -> Vec<String> {
    let mut lines = model
        .description
        .as_deref()
        .map(doc_lines)
        .unwrap_or_default();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!("Generated from `{}`.", model.location));
    lines
}

fn model_docs(model: &Model) -> TokenStream {
    doc_attrs(&model_doc_lines(model))
}

/// The Rust type of a value of `ty` held by `from`. `direct` is false inside a `Vec` or
/// a map, which already give a reference a size.
fn rust_type(plan: &Plan<'_>, from: &str, ty: &Type, direct: bool) -> TokenStream {
    let Paths {
        option,
        string,
        vec,
        boxed,
        ..
    } = Paths::new(plan.type_name(from));
    match ty {
        Type::String | Type::Bytes => quote!(#string),
        Type::Integer => quote!(i64),
        Type::Float => quote!(f64),
        Type::Boolean => quote!(bool),
        Type::Any => quote!(serde_json::Value),
        Type::Date { format } => match format.value {
            DateFormat::DateTime => quote!(chrono::DateTime<chrono::FixedOffset>),
            DateFormat::Date => quote!(chrono::NaiveDate),
        },
        Type::List(item) => {
            let item = rust_type(plan, from, item, false);
            quote!(#vec<#item>)
        }
        Type::Map(value) => {
            let value = rust_type(plan, from, value, false);
            quote!(std::collections::BTreeMap<#string, #value>)
        }
        Type::Nullable(inner) => {
            let inner = rust_type(plan, from, inner, direct);
            quote!(#option<#inner>)
        }
        Type::Literal(value) => {
            let name = ident(plan.literal_name(value));
            quote!(crate::literals::#name)
        }
        Type::Model(name) => {
            let ty = ident(plan.type_name(name));
            if direct && plan.boxed.contains(&(from, name.as_str())) {
                quote!(#boxed<crate::#ty>)
            } else {
                quote!(crate::#ty)
            }
        }
        Type::FileUpload => quote!(crate::support::FileUpload),
        // Fields of SDK objects are left out of the struct; nested ones are nothing.
        Type::SdkOnly => quote!(()),
        Type::EventStream(item) => {
            let item = rust_type(plan, from, item, false);
            quote!(crate::support::EventStream<#item>)
        }
    }
}

/// The Rust type of a value of `ty` (unboxed, with std paths in full), as source text.
pub(super) fn value_type_source(plan: &Plan<'_>, ty: &Type) -> String {
    rust_type(plan, "", ty, false).to_string()
}

fn derives(plan: &Plan<'_>, model: &str, extra: &[TokenStream]) -> TokenStream {
    let eq = plan.eq_hash.contains(model).then(|| quote!(Eq, Hash,));
    let Extras {
        derives,
        attributes,
    } = &plan.extra;
    // Checked when the plan was made (`emit::extras`).
    let tokens = |texts: &[String]| -> Vec<TokenStream> {
        texts.iter().filter_map(|text| text.parse().ok()).collect()
    };
    let (derives, attributes) = (tokens(derives), tokens(attributes));
    quote! {
        #[derive(Debug, Clone, PartialEq, #eq #(#extra,)* #(#derives,)*)]
        #(#attributes)*
    }
}

fn example_lines(examples: &[String]) -> Vec<String> {
    let mut lines = Vec::new();
    for example in examples {
        lines.push(String::new());
        // Structured examples are shown indented, whatever their layout in the docs.
        let pretty = serde_json::from_str::<serde_json::Value>(example)
            .ok()
            .filter(|value| value.is_object() || value.is_array())
            .and_then(|value| serde_json::to_string_pretty(&value).ok());
        let example = pretty.as_deref().unwrap_or(example);
        if example.contains('\n') || example.contains('`') {
            lines.push("Example:".to_owned());
            lines.push("```json".to_owned());
            lines.extend(example.lines().map(str::to_owned));
            lines.push("```".to_owned());
        } else {
            lines.push(format!("Example: `{example}`"));
        }
    }
    lines
}

/// One field of a generated struct, as both layouts write it.
struct StructField {
    docs: Vec<String>,
    deprecated: bool,
    ident: Ident,
    ty: TokenStream,
    init: Init,
}

/// What `new` sets a field to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Init {
    /// Its parameter: a required field.
    Parameter,
    /// `None`.
    Absent,
    /// `Default::default()`: a constant.
    Default,
    /// An empty map: the additional properties.
    EmptyMap,
}

/// The struct of an object model and its inherent impl, before either layout writes them.
struct ObjectHead {
    name: Ident,
    docs: Vec<String>,
    derive_default: bool,
    fields: Vec<StructField>,
    wire_names: Vec<String>,
    allow_deprecated: bool,
    new_doc: String,
}

fn object_items(plan: &Plan<'_>, model: &Model, object: &Object, layout: Layout) -> ModelSource {
    let mut taken: BTreeSet<String> = object
        .fields
        .iter()
        .map(|field| naming::field_name(&field.name))
        .collect();
    let mut fields = Vec::new();
    let mut wire_names = Vec::new();
    let mut wire = Vec::new();
    // The SDK's own objects (an operation's HTTP response) have no place in a JSON model.
    for field in object
        .fields
        .iter()
        .filter(|field| field.ty != Type::SdkOnly)
    {
        let field_ident = ident(&naming::field_name(&field.name));
        let (ty, access) = field_type(plan, &model.name, field);
        let mut docs = field
            .description
            .as_deref()
            .map(doc_lines)
            .unwrap_or_default();
        if access == Access::Skipped {
            if !docs.is_empty() {
                docs.push(String::new());
            }
            docs.push(
                "SDK-only: a file upload, sent as multipart form data, not as JSON.".to_owned(),
            );
        } else {
            wire_names.push(field.wire_name.value.clone());
        }
        docs.extend(example_lines(&field.examples));
        let init = match field.presence {
            Presence::Required | Presence::RequiredNullable => Init::Parameter,
            Presence::Optional | Presence::OptionalNullable => Init::Absent,
            Presence::Defaulted => Init::Default,
        };
        fields.push(StructField {
            docs,
            deprecated: field.deprecated,
            ident: field_ident.clone(),
            ty,
            init,
        });
        wire.push(WireField {
            ident: field_ident,
            wire: field.wire_name.value.clone(),
            access,
        });
    }
    let extra = object.additional_properties.as_ref().map(|extra| {
        let field_ident = ident(&unique("additional_properties", &mut taken));
        let Paths { string, .. } = Paths::new(plan.type_name(&model.name));
        let value = rust_type(plan, &model.name, &extra.value, false);
        fields.push(StructField {
            docs: vec!["Keys beyond the documented fields, kept as they were sent.".to_owned()],
            deprecated: false,
            ident: field_ident.clone(),
            ty: quote!(std::collections::BTreeMap<#string, #value>),
            init: Init::EmptyMap,
        });
        field_ident
    });
    // `new` and the serde impls touch every field, deprecated ones included; the
    // deprecation is for users of the field, not for the generated code itself.
    let allow_deprecated = object.fields.iter().any(|field| field.deprecated);
    let head = ObjectHead {
        name: ident(plan.type_name(&model.name)),
        docs: model_doc_lines(model),
        derive_default: plan.default.contains(model.name.as_str()),
        fields,
        wire_names,
        allow_deprecated,
        new_doc: format!(
            "A `{}` from its required fields; every other field is absent or its constant.",
            model.name
        ),
    };
    let codec = ObjectCodec {
        paths: Paths::new(plan.type_name(&model.name)),
        name: &head.name,
        fields: &wire,
        extra: extra.as_ref(),
        taken,
        allow_deprecated: allow_deprecated.then(|| quote!(#[allow(deprecated)])),
    };
    let tail = (layout == Layout::Text).then(|| codec.text()).flatten();
    let Some(tail) = tail else {
        let (serialize, deserialize) = (codec.serialize(), codec.deserialize());
        let head = head.tokens(plan, &model.name);
        return ModelSource::Tokens(with_module_doc(
            model,
            quote! {
                #head
                #serialize
                #deserialize
            },
        ));
    };
    match head.text(plan, model) {
        Some(mut text) => {
            text.push_str(&tail);
            ModelSource::Text(text)
        }
        None => ModelSource::Mixed {
            tokens: with_module_doc(model, head.tokens(plan, &model.name)),
            tail,
        },
    }
}

impl ObjectHead {
    fn tokens(&self, plan: &Plan<'_>, model: &str) -> TokenStream {
        let Paths { none, default, .. } = Paths::new(plan.type_name(model));
        let name = &self.name;
        let docs = doc_attrs(&self.docs);
        let derive = derives(
            plan,
            model,
            &self
                .derive_default
                .then(|| quote!(Default))
                .into_iter()
                .collect::<Vec<_>>(),
        );
        let fields = self.fields.iter().map(|field| {
            let (docs, ident, ty) = (doc_attrs(&field.docs), &field.ident, &field.ty);
            let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
            quote! {
                #docs
                #deprecated
                pub #ident: #ty,
            }
        });
        let params: Vec<TokenStream> = self
            .fields
            .iter()
            .filter(|field| field.init == Init::Parameter)
            .map(|StructField { ident, ty, .. }| quote!(#ident: #ty))
            .collect();
        let inits = self.fields.iter().map(|field| {
            let ident = &field.ident;
            match field.init {
                Init::Parameter => quote!(#ident,),
                Init::Absent => quote!(#ident: #none,),
                Init::Default => quote!(#ident: #default::default(),),
                Init::EmptyMap => quote!(#ident: std::collections::BTreeMap::new(),),
            }
        });
        let allow_deprecated = self.allow_deprecated.then(|| quote!(#[allow(deprecated)]));
        // `new` takes exactly the required fields, however many the spec has.
        let allow_arguments =
            (params.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        let wire_names = &self.wire_names;
        let new_doc = format!(" {}", self.new_doc);
        quote! {
            #docs
            #derive
            #[non_exhaustive]
            #allow_deprecated
            pub struct #name {
                #(#fields)*
            }

            #allow_deprecated
            impl #name {
                /// The JSON keys of the documented fields.
                pub const FIELDS: &'static [&'static str] = &[#(#wire_names),*];

                #[doc = #new_doc]
                #allow_arguments
                pub fn new(#(#params),*) -> Self {
                    Self {
                        #(#inits)*
                    }
                }
            }
        }
    }

    /// The module doc, the struct and its inherent impl as formatted text, where the
    /// [text pass](super::text) can write them.
    fn text(&self, plan: &Plan<'_>, model: &Model) -> Option<String> {
        if !plan.extra.derives.is_empty() || !plan.extra.attributes.is_empty() {
            return None;
        }
        let mut derives = vec!["Debug", "Clone", "PartialEq"];
        if plan.eq_hash.contains(model.name.as_str()) {
            derives.extend(["Eq", "Hash"]);
        }
        if self.derive_default {
            derives.push("Default");
        }
        let fields = self
            .fields
            .iter()
            .map(|field| {
                Some(super::text::FieldText {
                    docs: &field.docs,
                    deprecated: field.deprecated,
                    ident: field.ident.to_string(),
                    ty: super::text::TypeText::of(&field.ty)?,
                    init: match field.init {
                        Init::Parameter => None,
                        Init::Absent => Some("None"),
                        Init::Default => Some("Default::default()"),
                        Init::EmptyMap => Some("std::collections::BTreeMap::new()"),
                    },
                })
            })
            .collect::<Option<Vec<_>>>()?;
        super::text::StructText {
            module_doc: &module_doc(model),
            docs: &self.docs,
            derives: &derives,
            allow_deprecated: self.allow_deprecated,
            name: &self.name.to_string(),
            fields: &fields,
            wire_names: &self.wire_names,
            new_doc: &self.new_doc,
        }
        .render()
    }
}

/// How one field is read and written: its row of the presence table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Access {
    /// Absent is an error (`support::required`); always written.
    Required,
    /// A required field whose Rust type is an `Option`: absent is `None`, as serde reads
    /// a missing `Option`; always written.
    RequiredOption,
    /// A required `Any` the overlay says is never null; always written.
    NonNull,
    /// `Option<T>`, null read as absent; written when present.
    Optional,
    /// `Option<Option<T>>` (or `Option<Value>`): absent, null and a value all kept;
    /// written when present.
    Present,
    /// A constant: absent means its default; always written.
    Defaulted,
    /// A file upload: not JSON, so neither read nor written.
    Skipped,
}

impl Access {
    /// Whether the field is written only when it holds something.
    pub(super) fn written_when_some(self) -> bool {
        matches!(self, Access::Optional | Access::Present)
    }
}

/// One field as the serde impls see it.
pub(super) struct WireField {
    pub ident: Ident,
    pub wire: String,
    pub access: Access,
}

/// The hand-written serde impls of one struct. They do what serde's derive would, in a
/// fraction of the code the compiler has to check: per model only a `match` on keys and
/// calls into the generic helpers of `support`.
struct ObjectCodec<'a> {
    paths: Paths,
    name: &'a Ident,
    fields: &'a [WireField],
    /// The additional-properties map, if the model keeps unknown keys.
    extra: Option<&'a Ident>,
    /// The struct's field names, which the impls' own locals must not shadow.
    taken: BTreeSet<String>,
    /// `#[allow(deprecated)]` when a field is deprecated, on each impl.
    allow_deprecated: Option<TokenStream>,
}

impl ObjectCodec<'_> {
    /// The `from_object` locals: `map` and `key`, unless a field is named so.
    fn locals(&self) -> (String, String) {
        let mut taken = self.taken.clone();
        let map = unique("map", &mut taken);
        let key = unique("key", &mut taken);
        (map, key)
    }

    /// The serde impls as formatted text, where the text pass can write them.
    fn text(&self) -> Option<String> {
        let (map, key) = self.locals();
        super::text::ObjectText {
            name: &self.name.to_string(),
            fields: self.fields,
            extra: self.extra.map(ToString::to_string),
            map,
            key,
            allow_deprecated: self.allow_deprecated.is_some(),
        }
        .render()
    }

    fn serialize(&self) -> TokenStream {
        let Paths { result, .. } = &self.paths;
        let name = self.name;
        let written: Vec<&WireField> = self
            .fields
            .iter()
            .filter(|field| field.access != Access::Skipped)
            .collect();
        let entries = written.iter().map(|field| {
            let (ident, wire) = (&field.ident, &field.wire);
            match (self.extra.is_some(), field.access.written_when_some()) {
                (true, true) => {
                    quote!(crate::support::entry_if_some(&mut object, #wire, &self.#ident)?;)
                }
                (true, false) => quote!(object.serialize_entry(#wire, &self.#ident)?;),
                (false, true) => {
                    quote!(crate::support::field_if_some(&mut object, #wire, &self.#ident)?;)
                }
                (false, false) => quote!(object.serialize_field(#wire, &self.#ident)?;),
            }
        });
        let body = match self.extra {
            // serde's `flatten` writes a map of unknown length, the extra keys last.
            Some(extra) => quote! {
                use serde::ser::SerializeMap as _;
                let mut object = serializer.serialize_map(None)?;
                #(#entries)*
                for (key, value) in &self.#extra {
                    object.serialize_entry(key, value)?;
                }
                object.end()
            },
            None if written.is_empty() => {
                let type_name = name.to_string();
                quote! {
                    use serde::ser::SerializeStruct as _;
                    serializer.serialize_struct(#type_name, 0)?.end()
                }
            }
            None => {
                let always = written
                    .iter()
                    .filter(|field| !field.access.written_when_some())
                    .count();
                let some = written
                    .iter()
                    .filter(|field| field.access.written_when_some())
                    .map(|field| {
                        let ident = &field.ident;
                        quote!(usize::from(self.#ident.is_some()))
                    });
                let always = (always > 0).then(|| Literal::usize_unsuffixed(always));
                let terms = always.into_iter().map(|count| quote!(#count)).chain(some);
                let type_name = name.to_string();
                quote! {
                    use serde::ser::SerializeStruct as _;
                    let len = #(#terms)+*;
                    let mut object = serializer.serialize_struct(#type_name, len)?;
                    #(#entries)*
                    object.end()
                }
            }
        };
        let allow = &self.allow_deprecated;
        quote! {
            #allow
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                    #body
                }
            }
        }
    }

    fn deserialize(&self) -> TokenStream {
        let Paths {
            result,
            ok,
            none,
            some,
            default,
            ..
        } = &self.paths;
        let name = self.name;
        let (map, key) = self.locals();
        let (map, key) = (ident(&map), ident(&key));
        let read: Vec<&WireField> = self
            .fields
            .iter()
            .filter(|field| field.access != Access::Skipped)
            .collect();
        let slots = read.iter().map(|field| {
            let ident = &field.ident;
            quote!(let mut #ident = #none;)
        });
        let extra_slot = self
            .extra
            .map(|extra| quote!(let mut #extra = std::collections::BTreeMap::new();));
        let arms: Vec<TokenStream> = read
            .iter()
            .map(|field| {
                let (ident, wire) = (&field.ident, &field.wire);
                let helper = if field.access == Access::NonNull {
                    quote!(crate::support::non_null_field)
                } else {
                    quote!(crate::support::field)
                };
                quote!(#wire => #helper(&mut #map, &mut #ident, #wire),)
            })
            .collect();
        // Every arm is a call that returns the same `Result`, and one `?` follows the
        // `match`: one error path per struct instead of one per field, which is most of
        // what the compiler checks in these impls.
        let other = match self.extra {
            Some(extra) => quote!(crate::support::extra_entry(&mut #map, &mut #extra, #key)),
            None => quote!(crate::support::skip(&mut #map)),
        };
        let read_loop = if arms.is_empty() && self.extra.is_none() {
            quote! {
                while #map.next_key::<serde::de::IgnoredAny>()?.is_some() {
                    #other?;
                }
            }
        } else if arms.is_empty() {
            quote! {
                while let #some(#key) = #map.next_key::<crate::support::Text<'de>>()? {
                    #other?;
                }
            }
        } else {
            quote! {
                while let #some(#key) = #map.next_key::<crate::support::Text<'de>>()? {
                    match #key.as_str() {
                        #(#arms)*
                        _ => #other,
                    }?;
                }
            }
        };
        let inits = self.fields.iter().map(|field| {
            let (ident, wire) = (&field.ident, &field.wire);
            match field.access {
                Access::Required | Access::NonNull => {
                    quote!(#ident: crate::support::required(#ident, #wire)?,)
                }
                Access::RequiredOption | Access::Optional => quote!(#ident: #ident.flatten(),),
                Access::Present => quote!(#ident,),
                Access::Defaulted => quote!(#ident: #ident.unwrap_or_default(),),
                Access::Skipped => quote!(#ident: #default::default(),),
            }
        });
        let extra_init = self.extra.map(|extra| quote!(#extra,));
        let expecting = format!("struct {name}");
        let allow = &self.allow_deprecated;
        quote! {
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                    crate::support::read_object(deserializer)
                }
            }

            #allow
            impl<'de> crate::support::FromObject<'de> for #name {
                const EXPECTING: &'static str = #expecting;

                fn from_object<A: serde::de::MapAccess<'de>>(mut #map: A) -> #result<Self, A::Error> {
                    #(#slots)*
                    #extra_slot
                    #read_loop
                    #ok(Self {
                        #(#inits)*
                        #extra_init
                    })
                }
            }
        }
    }
}

/// A field's Rust type and how it is read and written: one row of the presence table.
fn field_type(plan: &Plan<'_>, model: &str, field: &Field) -> (TokenStream, Access) {
    let Paths { option, .. } = Paths::new(plan.type_name(model));
    let value = rust_type(plan, model, &field.ty, true);
    if matches!(field.ty, Type::FileUpload) {
        let ty = match field.presence {
            Presence::Required | Presence::Defaulted => value,
            _ => quote!(#option<#value>),
        };
        return (ty, Access::Skipped);
    }
    let any = matches!(field.ty, Type::Any);
    match field.presence {
        // `Any` includes null: a `serde_json::Value` holds it, so the field needs no
        // `Option` layer for it (present is `Value`, absent is `None`).
        Presence::RequiredNullable if any => (value, Access::Required),
        Presence::OptionalNullable if any => (quote!(#option<#value>), Access::Present),
        // Only where the overlay says `nullable = false`.
        Presence::Required if any => (value, Access::NonNull),
        Presence::Required if matches!(field.ty, Type::Nullable(_)) => {
            (value, Access::RequiredOption)
        }
        Presence::Required => (value, Access::Required),
        Presence::RequiredNullable => (quote!(#option<#value>), Access::Required),
        Presence::Optional => (quote!(#option<#value>), Access::Optional),
        Presence::OptionalNullable => (quote!(#option<#option<#value>>), Access::Present),
        Presence::Defaulted => (value, Access::Defaulted),
    }
}

/// Variant names for enum values: the table's constant name where there is one, else the
/// value, in UpperCamelCase; `V`-prefixed where that would start with a digit.
pub(crate) fn value_variants(enumeration: &Enum) -> Vec<String> {
    let mut taken = BTreeSet::new();
    enumeration
        .values
        .iter()
        .map(|value| {
            let source = match (&value.name, &value.value) {
                (Some(name), _) => name.clone(),
                (None, LiteralValue::String(text)) => text.clone(),
                (None, other) => other.to_string(),
            };
            let mut base = identifier_words(&source);
            if base.is_empty() {
                base = "Empty".to_owned();
            }
            if base.starts_with(|c: char| c.is_ascii_digit()) {
                base.insert(0, 'V');
            }
            unique(&base, &mut taken)
        })
        .collect()
}

/// The file of a string enum as text, where the [text pass](super::text) can write it.
fn enum_text(plan: &Plan<'_>, model: &Model, enumeration: &Enum) -> Option<String> {
    if enumeration.repr == EnumRepr::Integer
        || !plan.extra.derives.is_empty()
        || !plan.extra.attributes.is_empty()
    {
        return None;
    }
    let variants = value_variants(enumeration);
    let mut taken: BTreeSet<String> = variants.iter().cloned().collect();
    let unknown = unique("Unknown", &mut taken);
    let values = enumeration
        .values
        .iter()
        .map(|value| match &value.value {
            LiteralValue::String(text) => Some(text.as_str()),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    let open = enumeration.open.value;
    let mut derives = vec!["Debug", "Clone", "PartialEq"];
    if plan.eq_hash.contains(model.name.as_str()) {
        derives.extend(["Eq", "Hash"]);
    }
    if !open {
        derives.push("Copy");
    }
    let value_docs: Vec<String> = enumeration
        .values
        .iter()
        .map(|value| format!("`{}`", value.value))
        .collect();
    super::text::EnumText {
        module_doc: &module_doc(model),
        docs: &model_doc_lines(model),
        derives: &derives,
        name: plan.type_name(&model.name),
        variants: &variants,
        value_docs: &value_docs,
        values: &values,
        unknown: open.then_some(unknown.as_str()),
        expected: &expected_values(enumeration),
    }
    .render()
}

/// What a closed enum's deserializer says it expected: `one of "a", "b"`.
fn expected_values(enumeration: &Enum) -> String {
    let values: Vec<String> = enumeration
        .values
        .iter()
        .map(|value| value.value.to_string())
        .collect();
    format!("one of {}", values.join(", "))
}

fn enum_items(plan: &Plan<'_>, model: &Model, enumeration: &Enum) -> TokenStream {
    let Paths {
        string,
        default,
        result,
        ok,
        err,
        ..
    } = Paths::new(plan.type_name(&model.name));
    let name = ident(plan.type_name(&model.name));
    let docs = model_docs(model);
    let variant_names = value_variants(enumeration);
    let mut taken: BTreeSet<String> = variant_names.iter().cloned().collect();
    let variants: Vec<Ident> = variant_names.iter().map(|variant| ident(variant)).collect();
    let open = enumeration.open.value;
    let unknown = ident(&unique("Unknown", &mut taken));
    let integer = enumeration.repr == EnumRepr::Integer;
    let wire_values: Vec<TokenStream> = enumeration
        .values
        .iter()
        .map(|value| match &value.value {
            LiteralValue::String(text) => quote!(#text),
            LiteralValue::Integer(number) => {
                let literal = Literal::i64_unsuffixed(*number);
                quote!(#literal)
            }
            LiteralValue::Boolean(flag) => quote!(#flag),
        })
        .collect();
    let value_docs: Vec<String> = enumeration
        .values
        .iter()
        .map(|value| format!(" `{}`", value.value))
        .collect();
    let default = (enumeration.values.len() == 1).then(|| {
        let only = &variants[0];
        quote! {
            /// The only documented value.
            impl #default for #name {
                fn default() -> Self {
                    Self::#only
                }
            }
        }
    });
    let unknown_variant = open.then(|| {
        let ty = if integer {
            quote!(i64)
        } else {
            quote!(#string)
        };
        quote! {
            /// A value this version of the spec does not list, kept as it was sent.
            #unknown(#ty),
        }
    });
    let copy = (!open || integer).then(|| quote!(Copy));
    let derive = derives(plan, &model.name, &copy.into_iter().collect::<Vec<_>>());
    let unknown_arm = open.then(|| {
        if integer {
            quote!(Self::#unknown(value) => *value,)
        } else {
            quote!(Self::#unknown(value) => value,)
        }
    });
    let serialize_call = if integer {
        quote!(serializer.serialize_i64(self.value()))
    } else {
        quote!(serializer.serialize_str(self.value()))
    };
    let read = if integer {
        quote!(let value = <i64 as serde::Deserialize>::deserialize(deserializer)?;)
    } else {
        // Borrowed from the input where it can be: a known value allocates nothing.
        quote!(let value = <crate::support::Text<'de> as serde::Deserialize>::deserialize(deserializer)?;)
    };
    let matched = if integer {
        quote!(value)
    } else {
        quote!(value.as_str())
    };
    let fallback = if open && integer {
        quote!(_ => Self::#unknown(value),)
    } else if open {
        quote!(_ => Self::#unknown(value.into_string()),)
    } else {
        let expected = expected_values(enumeration);
        let unexpected = if integer {
            quote!(serde::de::Unexpected::Signed(value))
        } else {
            quote!(serde::de::Unexpected::Str(value.as_str()))
        };
        quote! {
            _ => {
                return #err(<D::Error as serde::de::Error>::invalid_value(
                    #unexpected,
                    &#expected,
                ))
            }
        }
    };
    let value_doc = if open {
        " The value on the wire, known or not."
    } else {
        " The value on the wire."
    };
    let value_fn_ret = if integer { quote!(i64) } else { quote!(&str) };
    // Values added to an open enum arrive as `Unknown` until the spec lists them; adding
    // a variant then must not break a user's exhaustive `match`.
    let non_exhaustive = open.then(|| quote!(#[non_exhaustive]));
    quote! {
        #docs
        #derive
        #non_exhaustive
        pub enum #name {
            #(
                #[doc = #value_docs]
                #variants,
            )*
            #unknown_variant
        }

        impl #name {
            #[doc = #value_doc]
            pub fn value(&self) -> #value_fn_ret {
                match self {
                    #(Self::#variants => #wire_values,)*
                    #unknown_arm
                }
            }
        }

        #default

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                #serialize_call
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                #read
                #ok(match #matched {
                    #(#wire_values => Self::#variants,)*
                    #fallback
                })
            }
        }
    }
}

/// The variant name a union member gets: the model's type name, or the shape of a
/// primitive member (`String`, `ListOfString`...).
fn member_variant(plan: &Plan<'_>, ty: &Type) -> String {
    match ty {
        Type::String => "String".to_owned(),
        Type::Integer => "Integer".to_owned(),
        Type::Float => "Float".to_owned(),
        Type::Boolean => "Boolean".to_owned(),
        Type::Any => "Any".to_owned(),
        Type::Bytes => "Bytes".to_owned(),
        Type::Date { format } => match format.value {
            DateFormat::DateTime => "DateTime".to_owned(),
            DateFormat::Date => "Date".to_owned(),
        },
        Type::List(item) => format!("ListOf{}", member_variant(plan, item)),
        Type::Map(value) => format!("MapOf{}", member_variant(plan, value)),
        Type::Nullable(inner) => format!("Nullable{}", member_variant(plan, inner)),
        Type::Literal(value) => plan.literal_name(value).to_owned(),
        Type::Model(name) => plan.type_name(name).to_owned(),
        Type::FileUpload => "FileUpload".to_owned(),
        Type::SdkOnly => "SdkOnly".to_owned(),
        Type::EventStream(item) => format!("EventStreamOf{}", member_variant(plan, item)),
    }
}

/// The names of the `support::Shape` constants a value of `ty` can have; empty for
/// SDK-only types.
fn shapes(plan: &Plan<'_>, ty: &Type) -> BTreeSet<&'static str> {
    let bits = shape::of_type(plan.spec, ty);
    if bits == shape::ANY {
        return BTreeSet::from(["ANY"]);
    }
    let mut names = BTreeSet::new();
    for (bit, name) in [
        (shape::NULL, "NULL"),
        (shape::BOOL, "BOOL"),
        (shape::STRING, "STRING"),
        (shape::ARRAY, "ARRAY"),
        (shape::OBJECT, "OBJECT"),
    ] {
        if bits & bit != 0 {
            names.insert(name);
        }
    }
    if bits & shape::NUMBER == shape::NUMBER {
        names.insert("NUMBER");
    } else if bits & shape::INTEGER != 0 {
        names.insert("INTEGER");
    }
    names
}

/// The variant names of a union's members, and of its `Unknown` member when it is open.
fn union_variants(plan: &Plan<'_>, union: &Union) -> (Vec<String>, Option<String>) {
    let mut taken = BTreeSet::new();
    let variants = union
        .members
        .iter()
        .map(|member| unique(&member_variant(plan, &member.ty), &mut taken))
        .collect();
    let unknown = tags::is_open(union).then(|| unique("Unknown", &mut taken));
    (variants, unknown)
}

/// A union member's doc line, as its doc attribute holds it.
fn member_doc(member: &UnionMember) -> String {
    match &member.ty {
        Type::EventStream(_) => {
            " SDK-only: a stream of server-sent events, never read from JSON.".to_owned()
        }
        _ => format!(" Generated from `{}`.", member.location),
    }
}

/// The doc line of an open union's `Unknown` member.
fn unknown_doc(plan: &Plan<'_>, union: &Union) -> String {
    format!(
        " A member this version of the spec does not list (an unknown `{}`), kept as it was sent.",
        tags::wire_tag(plan.spec, union).unwrap_or_default()
    )
}

/// The `FIELDS` a union member is matched against: an object model's, else none.
fn member_fields(plan: &Plan<'_>, ty: &Type) -> Option<Ident> {
    match ty {
        Type::Model(name)
            if matches!(
                plan.spec.models.get(name).map(|model| &model.kind),
                Some(ModelKind::Object(_))
            ) =>
        {
            Some(ident(plan.type_name(name)))
        }
        _ => None,
    }
}

fn union_items(plan: &Plan<'_>, model: &Model, union: &Union) -> TokenStream {
    let Paths { result, .. } = Paths::new(plan.type_name(&model.name));
    let name = ident(plan.type_name(&model.name));
    let docs = model_docs(model);
    let (variant_names, unknown) = union_variants(plan, union);
    let variants: Vec<Ident> = variant_names.iter().map(|name| ident(name)).collect();
    let types: Vec<TokenStream> = union
        .members
        .iter()
        .map(|member| rust_type(plan, &model.name, &member.ty, true))
        .collect();
    let member_docs: Vec<TokenStream> = union
        .members
        .iter()
        .map(|member| {
            let line = member_doc(member);
            quote!(#[doc = #line])
        })
        .collect();
    let open = unknown.is_some();
    let unknown = unknown.map(|unknown| ident(&unknown));
    let derive = derives(plan, &model.name, &[]);
    let (serialize, deserialize, reader) = match tags::wire_tag(plan.spec, union) {
        Some(wire_tag) => {
            let dispatch = TaggedDispatch {
                plan,
                model,
                union,
                variants: &variants,
                wire_tag,
                unknown: unknown.as_ref(),
            };
            let (deserialize, reader) = dispatch.deserialize();
            (dispatch.serialize(), deserialize, reader)
        }
        None => untagged_impls(plan, model, union, &variants),
    };
    let unknown_variant = unknown.as_ref().map(|unknown| {
        let doc = unknown_doc(plan, union);
        quote! {
            #[doc = #doc]
            #unknown(serde_json::Value),
        }
    });
    // New members of an open union arrive as `Unknown` until the spec lists them; adding
    // a variant then must not break a user's exhaustive `match`.
    let non_exhaustive = open.then(|| quote!(#[non_exhaustive]));
    // Variants are named after the member models, which often share a suffix
    // (`AssistantMessage`, `ToolMessage`); the names are the contract, not a smell.
    let allow_names = quote!(#[allow(clippy::enum_variant_names)]);
    // Members are different wire shapes of one value; boxing the large ones would make
    // every match on the union clumsier for no gain in a data model.
    let allow_size = quote!(#[allow(clippy::large_enum_variant)]);
    quote! {
        #docs
        #derive
        #non_exhaustive
        #allow_names
        #allow_size
        pub enum #name {
            #(
                #member_docs
                #variants(#types),
            )*
            #unknown_variant
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> #result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #result<Self, D::Error> {
                #deserialize
            }
        }

        #reader
    }
}

/// The file of a union as text, where the [text pass](super::text) can write it.
fn union_text(plan: &Plan<'_>, model: &Model, union: &Union) -> Option<String> {
    use super::text::unions::{Arm, Body, MemberText, ShapeMember, UnionText};
    if !plan.extra.derives.is_empty() || !plan.extra.attributes.is_empty() {
        return None;
    }
    let (variants, unknown) = union_variants(plan, union);
    let wire_tag = tags::wire_tag(plan.spec, union);
    let members = union
        .members
        .iter()
        .zip(&variants)
        .map(|(member, variant)| {
            Some(MemberText {
                variant: ident(variant).to_string(),
                doc: member_doc(member),
                ty: super::text::TypeText::of(&rust_type(plan, &model.name, &member.ty, true))?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let serialize = |variant: &str, binding: &str| Arm {
        pattern: format!("Self::{variant}({binding})"),
        body: Body::call("serde::Serialize::serialize", [binding, "serializer"]),
    };
    let title = Literal::string(&model.name).to_string();
    let (serialize_arms, tagged, shaped) = match wire_tag {
        None if unknown.is_some() => return None,
        None => (
            variants
                .iter()
                .map(|variant| serialize(variant, "member"))
                .collect(),
            None,
            (0..union.members.len()).collect(),
        ),
        Some(wire_tag) => {
            let tag = Literal::string(wire_tag).to_string();
            let members = tags::member_tags(plan.spec, union);
            let mut arms: Vec<Arm> = members
                .iter()
                .map(|member| {
                    let variant = &variants[member.index];
                    if member.always_written() {
                        serialize(variant, "member")
                    } else {
                        Arm {
                            pattern: format!("Self::{variant}(member)"),
                            body: Body::call(
                                "crate::support::serialize_with_tag",
                                ["member", &tag, &tag_json_text(member.value), "serializer"],
                            ),
                        }
                    }
                })
                .collect();
            arms.extend(unknown.iter().map(|unknown| serialize(unknown, "value")));
            let keys: Vec<String> = members
                .iter()
                .map(|member| Literal::string(&member.key()).to_string())
                .collect();
            let mut read_arms: Vec<Arm> = members
                .iter()
                .zip(&keys)
                .map(|(member, key)| {
                    let name = member_variant(plan, &union.members[member.index].ty);
                    Arm {
                        pattern: format!("Some({key})"),
                        body: Body::call(
                            "rest.member",
                            [
                                Literal::string(&name).to_string(),
                                format!("Self::{}", variants[member.index]),
                            ],
                        ),
                    }
                })
                .collect();
            let keys = keys.join(", ");
            read_arms.push(match &unknown {
                Some(unknown) => Arm {
                    pattern: "Some(_)".to_owned(),
                    body: Body::call("rest.unknown", [format!("Self::{unknown}")]),
                },
                None => Arm {
                    pattern: "Some(other)".to_owned(),
                    body: Body::Whole(format!(
                        "Err(crate::support::unknown_tag({title}, {tag}, other, &[{keys}]))"
                    )),
                },
            });
            let untagged: Vec<usize> = members
                .iter()
                .filter(|member| member.may_be_absent())
                .map(|member| member.index)
                .collect();
            let shaped = if tags::falls_back_to_shape(union) {
                untagged
            } else {
                Vec::new()
            };
            read_arms.push(if shaped.is_empty() {
                Arm {
                    pattern: "None".to_owned(),
                    body: Body::Whole(format!(
                        "Err(crate::support::missing_tag({title}, {tag}, &[{keys}]))"
                    )),
                }
            } else {
                Arm {
                    pattern: "None".to_owned(),
                    body: Body::call("rest.untagged", [] as [String; 0]),
                }
            });
            (arms, Some((tag, read_arms)), shaped)
        }
    };
    let shape_members: Vec<ShapeMember> = shaped
        .iter()
        .filter_map(|&index| {
            let member = &union.members[index];
            let member_shapes = shapes(plan, &member.ty);
            (!member_shapes.is_empty()).then(|| ShapeMember {
                name: Literal::string(&member_variant(plan, &member.ty)).to_string(),
                shape: shape_text(&member_shapes),
                fields: member_fields(plan, &member.ty)
                    .map_or_else(|| "&[]".to_owned(), |ty| format!("crate::{ty}::FIELDS")),
                variant: variants[index].clone(),
            })
        })
        .collect();
    // A union whose members are all SDK-only has an empty `members`, left to prettyplease.
    if !shaped.is_empty() && shape_members.is_empty() {
        return None;
    }
    let mut derives = vec!["Debug", "Clone", "PartialEq"];
    if plan.eq_hash.contains(model.name.as_str()) {
        derives.extend(["Eq", "Hash"]);
    }
    let unknown_doc = unknown_doc(plan, union);
    UnionText {
        module_doc: &module_doc(model),
        docs: &model_doc_lines(model),
        derives: &derives,
        name: plan.type_name(&model.name),
        title: &title,
        members: &members,
        unknown: unknown
            .as_deref()
            .map(|unknown| (unknown, unknown_doc.as_str())),
        serialize_arms: &serialize_arms,
        tagged: tagged
            .as_ref()
            .map(|(tag, arms)| (tag.as_str(), arms.as_slice())),
        by_shape: (!shape_members.is_empty()).then_some(shape_members.as_slice()),
    }
    .render()
}

/// `crate::support::Shape::A.or(crate::support::Shape::B)...`
fn shape_text(shapes: &BTreeSet<&str>) -> String {
    let mut text = String::new();
    for shape in shapes {
        if text.is_empty() {
            text = format!("crate::support::Shape::{shape}");
        } else {
            text = format!("{text}.or(crate::support::Shape::{shape})");
        }
    }
    text
}

/// [`tag_json`] as the text prettyplease prints for it.
fn tag_json_text(value: &LiteralValue) -> String {
    match value {
        LiteralValue::String(text) => {
            format!("serde_json::Value::from({})", Literal::string(text))
        }
        LiteralValue::Boolean(flag) => format!("serde_json::Value::Bool({flag})"),
        LiteralValue::Integer(number) => {
            format!(
                "serde_json::Value::from({})",
                Literal::i64_suffixed(*number)
            )
        }
    }
}

/// A tag constant as JSON.
fn tag_json(value: &LiteralValue) -> TokenStream {
    match value {
        LiteralValue::String(text) => quote!(serde_json::Value::from(#text)),
        LiteralValue::Boolean(flag) => quote!(serde_json::Value::Bool(#flag)),
        LiteralValue::Integer(number) => quote!(serde_json::Value::from(#number)),
    }
}

/// The (de)serialization of a tagged union: a present tag selects the member; an
/// unknown one is `Unknown` (open unions) or an error; an absent or null one falls back
/// to shape dispatch among the members that may lack it, unless the tag is required.
struct TaggedDispatch<'p, 'a> {
    plan: &'p Plan<'a>,
    model: &'p Model,
    union: &'p Union,
    variants: &'p [Ident],
    wire_tag: &'p str,
    unknown: Option<&'p Ident>,
}

impl TaggedDispatch<'_, '_> {
    fn serialize(&self) -> TokenStream {
        let wire_tag = self.wire_tag;
        let arms = tags::member_tags(self.plan.spec, self.union)
            .into_iter()
            .map(|member| {
                let variant = &self.variants[member.index];
                if member.always_written() {
                    quote!(Self::#variant(member) => serde::Serialize::serialize(member, serializer),)
                } else {
                    // The SDK writes the constant even where the member may leave it out.
                    let json = tag_json(member.value);
                    quote!(Self::#variant(member) => crate::support::serialize_with_tag(member, #wire_tag, #json, serializer),)
                }
            });
        let unknown = self.unknown.map(
            |unknown| quote!(Self::#unknown(value) => serde::Serialize::serialize(value, serializer),),
        );
        quote! {
            match self {
                #(#arms)*
                #unknown
            }
        }
    }

    /// The body of `deserialize`, and the union's `support::Tagged` impl (with its
    /// `support::Untagged` one when members may come without the tag): the tag selects
    /// the member, which reads the object as it streams.
    fn deserialize(&self) -> (TokenStream, TokenStream) {
        let Paths {
            option,
            result,
            err,
            some,
            none,
            ..
        } = Paths::new(self.plan.type_name(&self.model.name));
        let name = ident(self.plan.type_name(&self.model.name));
        let title = &self.model.name;
        let wire_tag = self.wire_tag;
        let members = tags::member_tags(self.plan.spec, self.union);
        let keys: Vec<String> = members.iter().map(tags::MemberTag::key).collect();
        let arms = members.iter().zip(&keys).map(|(member, key)| {
            let variant = &self.variants[member.index];
            let member_name = member_variant(self.plan, &self.union.members[member.index].ty);
            quote!(#some(#key) => rest.member(#member_name, Self::#variant),)
        });
        let unknown_arm = match self.unknown {
            Some(unknown) => quote!(#some(_) => rest.unknown(Self::#unknown),),
            None => quote! {
                #some(other) => #err(crate::support::unknown_tag(#title, #wire_tag, other, &[#(#keys),*])),
            },
        };
        let untagged: Vec<usize> = members
            .iter()
            .filter(|member| member.may_be_absent())
            .map(|member| member.index)
            .collect();
        let by_shape = (tags::falls_back_to_shape(self.union) && !untagged.is_empty())
            .then(|| untagged_reader(self.plan, self.model, self.union, self.variants, &untagged));
        let absent_arm = if by_shape.is_some() {
            quote!(#none => rest.untagged(),)
        } else {
            quote!(#none => #err(crate::support::missing_tag(#title, #wire_tag, &[#(#keys),*])),)
        };
        let reader = quote! {
            impl crate::support::Tagged for #name {
                const NAME: &'static str = #title;
                const TAG: &'static str = #wire_tag;

                fn read<'de, A: serde::de::MapAccess<'de>>(
                    tag: #option<&str>,
                    rest: crate::support::Rest<'de, A>,
                ) -> #result<Self, A::Error> {
                    match tag {
                        #(#arms)*
                        #unknown_arm
                        #absent_arm
                    }
                }
            }

            #by_shape
        };
        (quote!(crate::support::read_tagged(deserializer)), reader)
    }
}

fn untagged_impls(
    plan: &Plan<'_>,
    model: &Model,
    union: &Union,
    variants: &[Ident],
) -> (TokenStream, TokenStream, TokenStream) {
    let serialize_arms = variants.iter().map(|variant| quote!(Self::#variant(member) => serde::Serialize::serialize(member, serializer),));
    let serialize = quote! {
        match self {
            #(#serialize_arms)*
        }
    };
    let every_member: Vec<usize> = (0..union.members.len()).collect();
    let reader = untagged_reader(plan, model, union, variants, &every_member);
    (
        serialize,
        quote!(crate::support::read_untagged(deserializer)),
        reader,
    )
}

/// The union's `support::Untagged` impl: the members at `indices`, in order, each with
/// its JSON shape (only members whose shape fits a value are tried; among object members
/// that accept it, the one that drops the fewest keys at any depth, then knows most of
/// its keys, wins).
fn untagged_reader(
    plan: &Plan<'_>,
    model: &Model,
    union: &Union,
    variants: &[Ident],
    indices: &[usize],
) -> TokenStream {
    let title = &model.name;
    let name = ident(plan.type_name(&model.name));
    let mut members = Vec::new();
    for &index in indices {
        let (member, variant) = (&union.members[index], &variants[index]);
        let member_shapes = shapes(plan, &member.ty);
        if member_shapes.is_empty() {
            continue; // SDK-only: never read from JSON.
        }
        let mut shape_iter = member_shapes.iter().map(|shape| ident(shape));
        let first = shape_iter.next();
        let shape =
            quote!(crate::support::Shape::#first #(.or(crate::support::Shape::#shape_iter))*);
        let member_name = member_variant(plan, &member.ty);
        let fields = match member_fields(plan, &member.ty) {
            Some(model_ty) => quote!(crate::#model_ty::FIELDS),
            None => quote!(&[]),
        };
        members.push(quote! {
            members.member(#member_name, #shape, #fields, Self::#variant);
        });
    }
    // A union of SDK-only members has nothing to visit.
    let param = if members.is_empty() {
        quote!(_members)
    } else {
        quote!(members)
    };
    quote! {
        impl crate::support::Untagged for #name {
            const NAME: &'static str = #title;

            fn members<M: crate::support::Members<Self>>(#param: &mut M) {
                #(#members)*
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The corpora tag unions by strings only; booleans and integers (negative too) must
    /// print alike both ways.
    #[test]
    fn tag_constants_as_text_are_what_prettyplease_prints() {
        for value in [
            LiteralValue::String("card \"x\"".to_owned()),
            LiteralValue::Boolean(true),
            LiteralValue::Boolean(false),
            LiteralValue::Integer(7),
            LiteralValue::Integer(-12),
        ] {
            let json = tag_json(&value);
            let file = syn::parse2(quote!(const TAG: serde_json::Value = #json;))
                .expect("a constant item");
            let printed = prettyplease::unparse(&file);
            assert_eq!(
                printed,
                format!(
                    "const TAG: serde_json::Value = {};\n",
                    tag_json_text(&value)
                ),
                "{value:?}"
            );
        }
    }
}
