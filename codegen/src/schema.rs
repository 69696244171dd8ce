//! JSON Schema 2020-12 from the IR: the whole spec, or one model and every model it
//! references, with the semantics of the presence table (README) and of the generated Rust.
//!
//! Every model is one entry of `$defs`, keyed by its title; models refer to each other with
//! `$ref`. Objects allow unknown keys (they are drift hints, not errors) unless the model
//! keeps them typed (`__pydantic_extra__`); properties are keyed by their JSON (wire) names.
//! SDK-only types (file uploads, event streams) are never JSON: fields of those types are
//! left out, as are union members, and anywhere else they are a schema that matches nothing.
//! Descriptions are kept as written (markdown).

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::ir::{
    DateFormat, Enum, EnumRepr, Field, LiteralValue, Model, ModelKind, Object, Presence, Spec,
    Type, Union,
};
use crate::tags;

/// The `$schema` of every document [`json_schema`] returns.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The note added to the description of an open enum.
const OPEN_ENUM_NOTE: &str = "Open enum: values other than the listed ones are accepted; the listed ones are the known values.";

/// Why a schema could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    /// No model has this title; `similar` holds a few titles close to it.
    #[error("no model is titled `{name}`{}", similar_hint(similar))]
    UnknownModel { name: String, similar: Vec<String> },
    /// A model refers to a title that is not in the spec (a spec with errors leaves the
    /// models it could not read out of the IR).
    #[error("`{model}` refers to `{target}`, which is not a model of the spec")]
    UnresolvedReference { model: String, target: String },
    /// A member of a tagged union does not hold the tag field as a constant.
    #[error(
        "`{member}`, a member of the tagged union `{union}`, does not hold its tag `{tag}` as a constant"
    )]
    MemberWithoutTag {
        union: String,
        member: String,
        tag: String,
    },
}

fn similar_hint(similar: &[String]) -> String {
    if similar.is_empty() {
        return String::new();
    }
    let names: Vec<String> = similar.iter().map(|name| format!("`{name}`")).collect();
    format!("; similar titles: {}", names.join(", "))
}

/// The whole spec, or one model and what it references, as a JSON Schema 2020-12 document.
///
/// With `None`, `$defs` holds every model by title. With `Some(title)`, the root is a
/// `$ref` to that model and `$defs` holds it and every model it references, transitively.
pub fn json_schema(spec: &Spec, model: Option<&str>) -> Result<Value, SchemaError> {
    let mut defs = Map::new();
    let root = match model {
        None => {
            for model in spec.models.values() {
                let (schema, _) = model_schema(spec, model)?;
                defs.insert(model.name.clone(), schema);
            }
            None
        }
        Some(name) => {
            if !spec.models.contains_key(name) {
                return Err(SchemaError::UnknownModel {
                    name: name.to_owned(),
                    similar: similar_titles(spec, name),
                });
            }
            let mut pending = vec![name.to_owned()];
            while let Some(title) = pending.pop() {
                if defs.contains_key(&title) {
                    continue;
                }
                // Every title pushed was checked against the spec by `model_schema`.
                let Some(model) = spec.models.get(&title) else {
                    continue;
                };
                let (schema, references) = model_schema(spec, model)?;
                pending.extend(references);
                defs.insert(title, schema);
            }
            Some(reference_uri(name))
        }
    };
    let mut document = Map::new();
    document.insert("$schema".to_owned(), Value::from(DIALECT));
    if let Some(root) = root {
        document.insert("$ref".to_owned(), Value::from(root));
    }
    document.insert("$defs".to_owned(), Value::Object(defs));
    Ok(Value::Object(document))
}

/// The `$ref` of a model: a JSON pointer into `$defs`, as a URI fragment.
pub fn reference_uri(title: &str) -> String {
    let mut uri = String::from("#/$defs/");
    for byte in title.bytes() {
        match byte {
            b'~' => uri.push_str("~0"),
            b'/' => uri.push_str("~1"),
            // RFC 3986 `pchar` (unreserved, sub-delims, `:` and `@`), less `~` above.
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
            | b':'
            | b'@' => uri.push(char::from(byte)),
            other => uri.push_str(&format!("%{other:02X}")),
        }
    }
    uri
}

/// One model's schema, and the titles it references.
fn model_schema(spec: &Spec, model: &Model) -> Result<(Value, BTreeSet<String>), SchemaError> {
    let mut builder = Builder {
        spec,
        references: BTreeSet::new(),
    };
    let schema = match &model.kind {
        ModelKind::Object(object) => builder.object(model, object),
        ModelKind::Enum(enumeration) => enum_schema(model, enumeration),
        ModelKind::Union(union) => builder.union(model, union)?,
    };
    if let Some(target) = builder
        .references
        .iter()
        .find(|target| !spec.models.contains_key(*target))
    {
        return Err(SchemaError::UnresolvedReference {
            model: model.name.clone(),
            target: target.clone(),
        });
    }
    Ok((schema, builder.references))
}

/// Builds the schema of one model, recording the models it refers to.
struct Builder<'a> {
    spec: &'a Spec,
    references: BTreeSet<String>,
}

impl Builder<'_> {
    fn reference(&mut self, title: &str) -> Value {
        self.references.insert(title.to_owned());
        json!({ "$ref": reference_uri(title) })
    }

    fn object(&mut self, model: &Model, object: &Object) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for field in &object.fields {
            if is_sdk_only(&field.ty) {
                continue;
            }
            let wire = &field.wire_name.value;
            properties.insert(wire.clone(), self.field(field));
            if matches!(
                field.presence,
                Presence::Required | Presence::RequiredNullable
            ) {
                required.push(Value::from(wire.as_str()));
            }
        }
        let additional = match &object.additional_properties {
            Some(additional) => self.ty(&additional.value),
            None => Value::Bool(true),
        };
        let mut schema = Map::new();
        schema.insert("type".to_owned(), Value::from("object"));
        if let Some(description) = &model.description {
            schema.insert("description".to_owned(), Value::from(description.as_str()));
        }
        schema.insert("properties".to_owned(), Value::Object(properties));
        if !required.is_empty() {
            schema.insert("required".to_owned(), Value::Array(required));
        }
        schema.insert("additionalProperties".to_owned(), additional);
        Value::Object(schema)
    }

    /// A field's schema: its type, with the row of the presence table applied.
    fn field(&mut self, field: &Field) -> Value {
        let value = self.ty(&field.ty);
        let schema = match field.presence {
            Presence::Required if field.ty == Type::Any => json!({ "not": { "type": "null" } }),
            Presence::Required | Presence::Defaulted => value,
            Presence::RequiredNullable | Presence::Optional | Presence::OptionalNullable => {
                or_null(value)
            }
        };
        let mut schema = into_object(schema);
        if let Some(description) = &field.description {
            schema.insert("description".to_owned(), Value::from(description.as_str()));
        }
        if field.deprecated {
            schema.insert("deprecated".to_owned(), Value::Bool(true));
        }
        if field.presence == Presence::Defaulted
            && let Some(constant) = constant_of(self.spec, &field.ty)
        {
            // Absent means the constant.
            schema.insert("default".to_owned(), literal(constant));
        }
        if !field.examples.is_empty() {
            let examples = field
                .examples
                .iter()
                .map(|text| {
                    serde_json::from_str(text).unwrap_or_else(|_| Value::from(text.as_str()))
                })
                .collect();
            schema.insert("examples".to_owned(), Value::Array(examples));
        }
        Value::Object(schema)
    }

    fn ty(&mut self, ty: &Type) -> Value {
        match ty {
            Type::String | Type::Bytes => json!({ "type": "string" }),
            Type::Integer => json!({ "type": "integer" }),
            Type::Float => json!({ "type": "number" }),
            Type::Boolean => json!({ "type": "boolean" }),
            Type::Any => json!({}),
            Type::Date { format } => {
                let format = match format.value {
                    DateFormat::Date => "date",
                    DateFormat::DateTime => "date-time",
                };
                json!({ "type": "string", "format": format })
            }
            Type::List(item) => json!({ "type": "array", "items": self.ty(item) }),
            Type::Map(value) => json!({ "type": "object", "additionalProperties": self.ty(value) }),
            Type::Nullable(inner) => or_null(self.ty(inner)),
            Type::Literal(value) => json!({ "const": literal(value) }),
            Type::Model(title) => self.reference(title),
            Type::FileUpload => nothing("a file upload: SDK-only, never in JSON"),
            Type::SdkOnly => nothing("an object of the SDK itself, never in JSON"),
            Type::EventStream(_) => nothing("a server-sent event stream: SDK-only, never in JSON"),
        }
    }

    fn union(&mut self, model: &Model, union: &Union) -> Result<Value, SchemaError> {
        let members: Vec<&Type> = union
            .members
            .iter()
            .map(|member| &member.ty)
            .filter(|ty| !is_sdk_only(ty))
            .collect();
        let mut schema = if members.is_empty() {
            into_object(nothing(
                "every member of this union is SDK-only, never in JSON",
            ))
        } else if let Some(tag) = &union.tag {
            let mut variants = Vec::new();
            let fallback = tags::falls_back_to_shape(union);
            for member in members {
                variants.push(self.tagged_member(model, member, &tag.value, fallback)?);
            }
            if tags::is_open(union) {
                variants.push(unknown_member(self.spec, union));
            }
            // Without the tag, several members may accept one value (the generated code
            // takes the one that knows most keys): `anyOf`, not `oneOf`.
            let combinator = if fallback { "anyOf" } else { "oneOf" };
            let mut schema = Map::new();
            schema.insert(combinator.to_owned(), Value::Array(variants));
            schema
        } else {
            let variants = members.into_iter().map(|member| self.ty(member)).collect();
            let mut schema = Map::new();
            schema.insert("anyOf".to_owned(), Value::Array(variants));
            schema
        };
        if let Some(description) = &model.description {
            schema.insert("description".to_owned(), Value::from(description.as_str()));
        }
        Ok(Value::Object(schema))
    }

    /// A member of a tagged union: the member's schema, with its tag equal to the member's
    /// constant, and required unless the union reads the member without it (`fallback`
    /// and a tag field that may be absent).
    fn tagged_member(
        &mut self,
        union: &Model,
        member: &Type,
        tag: &str,
        fallback: bool,
    ) -> Result<Value, SchemaError> {
        let without_tag = || SchemaError::MemberWithoutTag {
            union: union.name.clone(),
            member: member_name(member),
            tag: tag.to_owned(),
        };
        let Type::Model(title) = member else {
            return Err(without_tag());
        };
        let Some(target) = self.spec.models.get(title) else {
            return Err(SchemaError::UnresolvedReference {
                model: union.name.clone(),
                target: title.clone(),
            });
        };
        let ModelKind::Object(object) = &target.kind else {
            return Err(without_tag());
        };
        let Some(field) = object.fields.iter().find(|field| field.name == tag) else {
            return Err(without_tag());
        };
        let Some(constant) = constant_of(self.spec, &field.ty) else {
            return Err(without_tag());
        };
        let wire = field.wire_name.value.as_str();
        let reference = self.reference(title);
        let may_be_absent = !matches!(
            field.presence,
            Presence::Required | Presence::RequiredNullable
        );
        let tag_schema = if fallback && may_be_absent {
            // An optional tag field tolerates null, which the union reads as no tag.
            let tolerates_null = matches!(
                field.presence,
                Presence::Optional | Presence::OptionalNullable
            );
            let value = if tolerates_null {
                json!({ "enum": [literal(constant), null] })
            } else {
                json!({ "const": literal(constant) })
            };
            json!({ "properties": { wire: value } })
        } else {
            json!({
                "required": [wire],
                "properties": { wire: { "const": literal(constant) } },
            })
        };
        Ok(json!({ "allOf": [reference, tag_schema] }))
    }
}

/// The `Unknown` member of an open tagged union: any object whose tag is none of the
/// members' constants.
fn unknown_member(spec: &Spec, union: &Union) -> Value {
    let wire = tags::wire_tag(spec, union).unwrap_or_default();
    let known: Vec<Value> = tags::member_tags(spec, union)
        .iter()
        .map(|member| literal(member.value))
        .collect();
    json!({
        "type": "object",
        "required": [wire],
        "properties": {
            wire: { "type": ["string", "integer", "boolean"], "not": { "enum": known } },
        },
        "description": "A member this version of the spec does not list (open union).",
    })
}

fn enum_schema(model: &Model, enumeration: &Enum) -> Value {
    let values: Vec<Value> = enumeration
        .values
        .iter()
        .map(|value| literal(&value.value))
        .collect();
    let repr = match enumeration.repr {
        EnumRepr::String => "string",
        EnumRepr::Integer => "integer",
    };
    let mut schema = Map::new();
    schema.insert("type".to_owned(), Value::from(repr));
    if enumeration.open.value {
        let description = match &model.description {
            Some(description) => format!("{description}\n\n{OPEN_ENUM_NOTE}"),
            None => OPEN_ENUM_NOTE.to_owned(),
        };
        schema.insert("description".to_owned(), Value::from(description));
        if !values.is_empty() {
            schema.insert("examples".to_owned(), Value::Array(values));
        }
    } else {
        if let Some(description) = &model.description {
            schema.insert("description".to_owned(), Value::from(description.as_str()));
        }
        schema.insert("enum".to_owned(), Value::Array(values));
    }
    Value::Object(schema)
}

/// The type or null. Simple schemas (one `type` and keywords that only apply to that
/// type) gain `"null"` in `type`; others are wrapped in `anyOf`.
fn or_null(schema: Value) -> Value {
    const TYPE_ONLY: [&str; 4] = ["type", "format", "items", "additionalProperties"];
    let null = || json!({ "type": "null" });
    match schema {
        Value::Bool(true) => Value::Bool(true),
        Value::Object(map) if map.is_empty() => Value::Object(map),
        Value::Object(mut map)
            if map.get("type").is_some_and(Value::is_string)
                && map.keys().all(|key| TYPE_ONLY.contains(&key.as_str())) =>
        {
            if let Some(ty) = map.remove("type") {
                map.insert(
                    "type".to_owned(),
                    Value::Array(vec![ty, Value::from("null")]),
                );
            }
            Value::Object(map)
        }
        Value::Object(map)
            if map
                .get("type")
                .and_then(Value::as_array)
                .is_some_and(|types| types.contains(&Value::from("null")))
                || map
                    .get("anyOf")
                    .and_then(Value::as_array)
                    .is_some_and(|members| members.contains(&null())) =>
        {
            Value::Object(map)
        }
        other => json!({ "anyOf": [other, { "type": "null" }] }),
    }
}

/// A schema that matches nothing, saying why.
fn nothing(why: &str) -> Value {
    json!({ "not": {}, "$comment": why })
}

fn into_object(schema: Value) -> Map<String, Value> {
    match schema {
        Value::Object(map) => map,
        Value::Bool(false) => {
            let mut map = Map::new();
            map.insert("not".to_owned(), json!({}));
            map
        }
        _ => Map::new(),
    }
}

fn is_sdk_only(ty: &Type) -> bool {
    matches!(ty, Type::FileUpload | Type::SdkOnly | Type::EventStream(_))
}

fn literal(value: &LiteralValue) -> Value {
    match value {
        LiteralValue::String(text) => Value::from(text.as_str()),
        LiteralValue::Integer(number) => Value::from(*number),
        LiteralValue::Boolean(flag) => Value::Bool(*flag),
    }
}

/// The constant a field of this type holds: a literal, or the value of a one-value enum.
fn constant_of<'s>(spec: &'s Spec, ty: &'s Type) -> Option<&'s LiteralValue> {
    match ty {
        Type::Literal(value) => Some(value),
        Type::Model(title) => match spec.models.get(title).map(|model| &model.kind) {
            Some(ModelKind::Enum(enumeration)) => match enumeration.values.as_slice() {
                [only] => Some(&only.value),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

fn member_name(ty: &Type) -> String {
    match ty {
        Type::Model(title) => title.clone(),
        // The IR's serialized form names the other shapes (`"string"`, `{"list": ...}`).
        other => serde_json::to_string(other).unwrap_or_else(|_| "a member".to_owned()),
    }
}

/// Up to five titles close to `name`: by edit distance (ignoring case), or containing it.
fn similar_titles(spec: &Spec, name: &str) -> Vec<String> {
    let wanted = name.to_lowercase();
    let limit = (wanted.chars().count() / 3).max(2);
    let mut scored: BTreeSet<(usize, &str)> = BTreeSet::new();
    for title in spec.models.keys() {
        let lower = title.to_lowercase();
        let distance = edit_distance(&wanted, &lower);
        let contains = wanted.chars().count() >= 3 && lower.contains(&wanted);
        if distance <= limit || contains {
            scored.insert((distance, title.as_str()));
        }
    }
    scored
        .into_iter()
        .take(5)
        .map(|(_, title)| title.to_owned())
        .collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::ir::{
        AdditionalProperties, Dialect, EnumForm, EnumValue, Location, Source, Sourced, UnionMember,
    };

    fn at() -> Location {
        Location {
            file: "models/test.md".to_owned(),
            line: 1,
            column: 1,
        }
    }

    fn doc<T>(value: T) -> Sourced<T> {
        Sourced {
            value,
            source: Source::Doc,
            from: None,
        }
    }

    fn field(name: &str, ty: Type, presence: Presence) -> Field {
        let (required, nullable) = match presence {
            Presence::Required | Presence::Defaulted => (true, false),
            Presence::RequiredNullable => (true, true),
            Presence::Optional => (false, false),
            Presence::OptionalNullable => (false, true),
        };
        Field {
            name: name.to_owned(),
            wire_name: doc(name.to_owned()),
            ty,
            required: doc(required),
            nullable: doc(nullable),
            presence,
            description: None,
            examples: Vec::new(),
            deprecated: false,
            location: at(),
        }
    }

    fn model(name: &str, kind: ModelKind) -> Model {
        Model {
            name: name.to_owned(),
            location: at(),
            description: None,
            parent: None,
            direction: None,
            examples: Vec::new(),
            kind,
        }
    }

    fn object(name: &str, fields: Vec<Field>) -> Model {
        model(
            name,
            ModelKind::Object(Object {
                fields,
                additional_properties: None,
            }),
        )
    }

    fn enumeration(name: &str, values: &[LiteralValue], open: bool) -> Model {
        let repr = match values.first() {
            Some(LiteralValue::Integer(_)) => EnumRepr::Integer,
            _ => EnumRepr::String,
        };
        model(
            name,
            ModelKind::Enum(Enum {
                repr,
                form: EnumForm::List,
                open: doc(open),
                values: values
                    .iter()
                    .map(|value| EnumValue {
                        name: None,
                        value: value.clone(),
                        location: at(),
                    })
                    .collect(),
            }),
        )
    }

    fn union(name: &str, members: Vec<Type>, tag: Option<&str>) -> Model {
        model(
            name,
            ModelKind::Union(Union {
                members: members
                    .into_iter()
                    .map(|ty| UnionMember { ty, location: at() })
                    .collect(),
                tag: tag.map(|tag| doc(tag.to_owned())),
                ..Union::default()
            }),
        )
    }

    fn spec(models: Vec<Model>) -> Spec {
        Spec {
            dialect: Dialect::Python,
            undocumented: Default::default(),
            models: models
                .into_iter()
                .map(|model| (model.name.clone(), model))
                .collect(),
            sources: Vec::new(),
        }
    }

    fn text(value: &str) -> LiteralValue {
        LiteralValue::String(value.to_owned())
    }

    fn model_ref(title: &str) -> Type {
        Type::Model(title.to_owned())
    }

    /// The schema of one model, from the whole-spec document.
    fn def(spec: &Spec, title: &str) -> Value {
        let document = json_schema(spec, None).expect("the spec has a schema");
        document["$defs"][title].clone()
    }

    /// Every `$ref` in a schema.
    fn refs(schema: &Value, out: &mut BTreeSet<String>) {
        match schema {
            Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("$ref", Value::String(target)) => {
                            out.insert(target.clone());
                        }
                        _ => refs(value, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| refs(item, out)),
            _ => {}
        }
    }

    fn parsed() -> Spec {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        let loaded = crate::lint(&crate::FolderSource::new(&folder)).expect("specs/ is readable");
        assert!(!loaded.has_errors(), "specs/ has lint errors");
        loaded.spec.expect("specs/ lowers to an IR")
    }

    #[test]
    fn presence_rows() {
        let mut described = field("old", Type::Integer, Presence::Optional);
        described.description = Some("Use `new`.<br/>**Deprecated**".to_owned());
        described.deprecated = true;
        described.examples = vec!["42".to_owned(), "1s".to_owned(), "[1, 2]".to_owned()];
        let mut renamed = field("from_", Type::String, Presence::RequiredNullable);
        renamed.wire_name = doc("from".to_owned());
        let spec = spec(vec![object(
            "Row",
            vec![
                field("a", Type::String, Presence::Required),
                field("b", Type::Any, Presence::Required),
                renamed,
                field("d", model_ref("Row"), Presence::RequiredNullable),
                field("e", Type::Any, Presence::Optional),
                field("f", Type::Boolean, Presence::OptionalNullable),
                field("g", Type::Literal(text("job")), Presence::Defaulted),
                described,
            ],
        )]);
        assert_eq!(
            def(&spec, "Row"),
            json!({
                "type": "object",
                "properties": {
                    "a": { "type": "string" },
                    "b": { "not": { "type": "null" } },
                    "from": { "type": ["string", "null"] },
                    "d": { "anyOf": [{ "$ref": "#/$defs/Row" }, { "type": "null" }] },
                    "e": {},
                    "f": { "type": ["boolean", "null"] },
                    "g": { "const": "job", "default": "job" },
                    "old": {
                        "type": ["integer", "null"],
                        "description": "Use `new`.<br/>**Deprecated**",
                        "deprecated": true,
                        "examples": [42, "1s", [1, 2]],
                    },
                },
                "required": ["a", "b", "from", "d"],
                "additionalProperties": true,
            })
        );
    }

    #[test]
    fn types() {
        let date = |format| Type::Date {
            format: doc(format),
        };
        let spec = spec(vec![object(
            "Types",
            vec![
                field("int", Type::Integer, Presence::Required),
                field("float", Type::Float, Presence::Required),
                field("bytes", Type::Bytes, Presence::Required),
                field("at", date(DateFormat::DateTime), Presence::Required),
                field("on", date(DateFormat::Date), Presence::OptionalNullable),
                field(
                    "list",
                    Type::List(Box::new(Type::Nullable(Box::new(model_ref("Types"))))),
                    Presence::Required,
                ),
                field("map", Type::Map(Box::new(Type::Any)), Presence::Required),
                field(
                    "flag",
                    Type::Literal(LiteralValue::Boolean(false)),
                    Presence::Optional,
                ),
                field(
                    "one",
                    Type::Literal(LiteralValue::Integer(1)),
                    Presence::Required,
                ),
            ],
        )]);
        let properties = def(&spec, "Types")["properties"].clone();
        assert_eq!(
            properties,
            json!({
                "int": { "type": "integer" },
                "float": { "type": "number" },
                "bytes": { "type": "string" },
                "at": { "type": "string", "format": "date-time" },
                "on": { "type": ["string", "null"], "format": "date" },
                "list": {
                    "type": "array",
                    "items": { "anyOf": [{ "$ref": "#/$defs/Types" }, { "type": "null" }] },
                },
                "map": { "type": "object", "additionalProperties": {} },
                "flag": { "anyOf": [{ "const": false }, { "type": "null" }] },
                "one": { "const": 1 },
            })
        );
    }

    #[test]
    fn additional_properties_are_typed_when_kept() {
        let mut publisher = object("Publisher", vec![]);
        publisher.description = Some("Keeps other keys.".to_owned());
        if let ModelKind::Object(object) = &mut publisher.kind {
            object.additional_properties = Some(AdditionalProperties {
                value: Type::Integer,
                location: at(),
            });
        }
        let spec = spec(vec![publisher]);
        assert_eq!(
            def(&spec, "Publisher"),
            json!({
                "type": "object",
                "description": "Keeps other keys.",
                "properties": {},
                "additionalProperties": { "type": "integer" },
            })
        );
    }

    #[test]
    fn sdk_only_types_are_left_out() {
        let spec = spec(vec![
            object(
                "Upload",
                vec![
                    field("file", Type::FileUpload, Presence::Required),
                    field("name", Type::String, Presence::Required),
                    field(
                        "later",
                        Type::List(Box::new(Type::FileUpload)),
                        Presence::Optional,
                    ),
                ],
            ),
            object("Event", vec![]),
            union(
                "Response",
                vec![
                    model_ref("Upload"),
                    Type::EventStream(Box::new(model_ref("Event"))),
                ],
                None,
            ),
            union(
                "Stream",
                vec![Type::EventStream(Box::new(model_ref("Event")))],
                None,
            ),
        ]);
        let upload = def(&spec, "Upload");
        assert_eq!(upload["required"], json!(["name"]));
        assert!(upload["properties"].get("file").is_none(), "{upload}");
        assert_eq!(
            upload["properties"]["later"]["type"],
            json!(["array", "null"])
        );
        assert_eq!(upload["properties"]["later"]["items"]["not"], json!({}));
        assert_eq!(
            def(&spec, "Response"),
            json!({ "anyOf": [{ "$ref": "#/$defs/Upload" }] })
        );
        let stream = def(&spec, "Stream");
        assert_eq!(stream["not"], json!({}));
        assert!(stream["$comment"].is_string(), "{stream}");
        // The event stream's item is never referenced, so it is not part of the closure.
        let closure = json_schema(&spec, Some("Response")).expect("Response has a schema");
        let defs: Vec<&String> = closure["$defs"]
            .as_object()
            .expect("$defs is an object")
            .keys()
            .collect();
        assert_eq!(defs, ["Response", "Upload"]);
    }

    #[test]
    fn enums() {
        let mut open = enumeration(
            "Days",
            &[LiteralValue::Integer(7), LiteralValue::Integer(14)],
            true,
        );
        open.description = Some("Loan lengths.".to_owned());
        let spec = spec(vec![
            enumeration("Format", &[text("csv"), text("json")], false),
            open,
            enumeration("Bare", &[text("x")], true),
        ]);
        assert_eq!(
            def(&spec, "Format"),
            json!({ "type": "string", "enum": ["csv", "json"] })
        );
        assert_eq!(
            def(&spec, "Days"),
            json!({
                "type": "integer",
                "examples": [7, 14],
                "description": format!("Loan lengths.\n\n{OPEN_ENUM_NOTE}"),
            })
        );
        assert_eq!(def(&spec, "Bare")["description"], json!(OPEN_ENUM_NOTE));
    }

    #[test]
    fn tagged_unions_require_the_tag_when_the_overlay_says_so() {
        let mut strict = union("AOrB", vec![model_ref("A"), model_ref("B")], Some("type_"));
        if let ModelKind::Union(union) = &mut strict.kind {
            union.tag_required = Some(doc(true));
        }
        let mut kind = field("type_", Type::Literal(text("a")), Presence::Optional);
        kind.wire_name = doc("type".to_owned());
        let mut role = field("type_", model_ref("RoleB"), Presence::Defaulted);
        role.wire_name = doc("type".to_owned());
        let spec = spec(vec![
            object(
                "A",
                vec![kind, field("x", Type::Integer, Presence::Required)],
            ),
            object(
                "B",
                vec![field("y", Type::String, Presence::Optional), role],
            ),
            enumeration("RoleB", &[text("b")], true),
            strict,
        ]);
        assert_eq!(
            def(&spec, "AOrB"),
            json!({
                "oneOf": [
                    {
                        "allOf": [
                            { "$ref": "#/$defs/A" },
                            { "required": ["type"], "properties": { "type": { "const": "a" } } },
                        ],
                    },
                    {
                        "allOf": [
                            { "$ref": "#/$defs/B" },
                            { "required": ["type"], "properties": { "type": { "const": "b" } } },
                        ],
                    },
                ],
            })
        );
        // In the member itself the tag stays as the presence table says.
        let b = def(&spec, "B");
        assert_eq!(b["required"], Value::Null);
        assert_eq!(
            b["properties"]["type"],
            json!({ "$ref": "#/$defs/RoleB", "default": "b" })
        );
        let closure = json_schema(&spec, Some("AOrB")).expect("AOrB has a schema");
        assert_eq!(closure["$ref"], json!("#/$defs/AOrB"));
        let defs: Vec<&String> = closure["$defs"]
            .as_object()
            .expect("$defs is an object")
            .keys()
            .collect();
        assert_eq!(defs, ["A", "AOrB", "B", "RoleB"]);
    }

    #[test]
    fn open_tagged_unions_without_required_tags() {
        let tagged = |name: &str, value: &str, presence| {
            let mut tag = field("type", Type::Literal(text(value)), presence);
            tag.wire_name = doc("type".to_owned());
            object(name, vec![tag])
        };
        let mut open = union("AOrB", vec![model_ref("A"), model_ref("B")], Some("type"));
        if let ModelKind::Union(union) = &mut open.kind {
            union.open = Some(doc(true));
        }
        let spec = spec(vec![
            tagged("A", "a", Presence::Defaulted),
            tagged("B", "b", Presence::Required),
            open,
        ]);
        assert_eq!(
            def(&spec, "AOrB"),
            json!({
                "anyOf": [
                    {
                        "allOf": [
                            { "$ref": "#/$defs/A" },
                            { "properties": { "type": { "const": "a" } } },
                        ],
                    },
                    {
                        "allOf": [
                            { "$ref": "#/$defs/B" },
                            { "required": ["type"], "properties": { "type": { "const": "b" } } },
                        ],
                    },
                    {
                        "type": "object",
                        "required": ["type"],
                        "properties": {
                            "type": {
                                "type": ["string", "integer", "boolean"],
                                "not": { "enum": ["a", "b"] },
                            },
                        },
                        "description": "A member this version of the spec does not list (open union).",
                    },
                ],
            })
        );
    }

    #[test]
    fn a_tagged_member_without_its_tag_is_an_error() {
        let spec = spec(vec![
            object("A", vec![field("type", Type::String, Presence::Required)]),
            union("U", vec![model_ref("A")], Some("type")),
        ]);
        assert_eq!(
            json_schema(&spec, None),
            Err(SchemaError::MemberWithoutTag {
                union: "U".to_owned(),
                member: "A".to_owned(),
                tag: "type".to_owned(),
            })
        );
    }

    #[test]
    fn untagged_unions_are_any_of() {
        let mut described = union(
            "Value",
            vec![
                Type::String,
                Type::List(Box::new(Type::Integer)),
                model_ref("Obj"),
            ],
            None,
        );
        described.description = Some("A value.".to_owned());
        let spec = spec(vec![described, object("Obj", vec![])]);
        assert_eq!(
            def(&spec, "Value"),
            json!({
                "description": "A value.",
                "anyOf": [
                    { "type": "string" },
                    { "type": "array", "items": { "type": "integer" } },
                    { "$ref": "#/$defs/Obj" },
                ],
            })
        );
    }

    #[test]
    fn one_model_and_its_closure() {
        let spec = spec(vec![
            object(
                "Node",
                vec![
                    field(
                        "children",
                        Type::List(Box::new(model_ref("Node"))),
                        Presence::Optional,
                    ),
                    field("leaf", model_ref("Leaf"), Presence::Required),
                ],
            ),
            object(
                "Leaf",
                vec![field("kind", model_ref("Kind"), Presence::Required)],
            ),
            enumeration("Kind", &[text("a"), text("b")], false),
            object("Unrelated", vec![]),
        ]);
        let document = json_schema(&spec, Some("Node")).expect("Node has a schema");
        assert_eq!(document["$schema"], json!(DIALECT));
        assert_eq!(document["$ref"], json!("#/$defs/Node"));
        let defs: Vec<&String> = document["$defs"]
            .as_object()
            .expect("$defs is an object")
            .keys()
            .collect();
        assert_eq!(defs, ["Kind", "Leaf", "Node"]);
        let whole = json_schema(&spec, None).expect("the spec has a schema");
        assert!(whole.get("$ref").is_none());
        assert_eq!(whole["$defs"].as_object().map(Map::len), Some(4));
        assert_eq!(document["$defs"]["Leaf"], whole["$defs"]["Leaf"]);
    }

    #[test]
    fn unknown_models_name_close_titles() {
        let spec = spec(vec![
            object("Book", vec![]),
            object("BookEntry", vec![]),
            object("Books", vec![]),
            object("Publisher", vec![]),
        ]);
        let error = json_schema(&spec, Some("book")).expect_err("no model is titled `book`");
        assert_eq!(
            error,
            SchemaError::UnknownModel {
                name: "book".to_owned(),
                similar: vec![
                    "Book".to_owned(),
                    "Books".to_owned(),
                    "BookEntry".to_owned()
                ],
            }
        );
        assert_eq!(
            error.to_string(),
            "no model is titled `book`; similar titles: `Book`, `Books`, `BookEntry`"
        );
        let error = json_schema(&spec, Some("Zzzzzzzz")).expect_err("no such model");
        assert_eq!(error.to_string(), "no model is titled `Zzzzzzzz`");
    }

    #[test]
    fn dangling_references_are_errors() {
        let spec = spec(vec![object(
            "A",
            vec![field(
                "b",
                Type::Map(Box::new(model_ref("Gone"))),
                Presence::Required,
            )],
        )]);
        let expected = SchemaError::UnresolvedReference {
            model: "A".to_owned(),
            target: "Gone".to_owned(),
        };
        assert_eq!(json_schema(&spec, None), Err(expected.clone()));
        assert_eq!(json_schema(&spec, Some("A")), Err(expected));
    }

    #[test]
    fn references_are_escaped_pointers() {
        assert_eq!(reference_uri("Book"), "#/$defs/Book");
        assert_eq!(reference_uri("a/b~c d%"), "#/$defs/a~1b~0c%20d%25");
        assert_eq!(reference_uri("é"), "#/$defs/%C3%A9");
    }

    #[test]
    fn nullable_is_idempotent() {
        let once = or_null(json!({ "type": "string" }));
        assert_eq!(or_null(once.clone()), once);
        let once = or_null(json!({ "$ref": "#/$defs/A" }));
        assert_eq!(or_null(once.clone()), once);
        assert_eq!(or_null(json!({})), json!({}));
        assert_eq!(
            or_null(json!({ "type": "string", "enum": ["a"] })),
            json!({ "anyOf": [{ "type": "string", "enum": ["a"] }, { "type": "null" }] })
        );
    }

    #[test]
    fn the_example_spec() {
        let spec = parsed();
        let whole = json_schema(&spec, None).expect("specs/ has a schema");
        let defs = whole["$defs"].as_object().expect("$defs is an object");
        let titles: Vec<&String> = spec.models.keys().collect();
        assert_eq!(defs.keys().collect::<Vec<_>>(), titles);
        let mut targets = BTreeSet::new();
        refs(&whole, &mut targets);
        for target in &targets {
            let title = target.strip_prefix("#/$defs/").expect("a local reference");
            assert!(defs.contains_key(title), "{target} does not resolve");
        }

        // Book: wire names, the presence table, and a closure without unrelated models.
        let book = json_schema(&spec, Some("Book")).expect("Book has a schema");
        let book_defs = book["$defs"].as_object().expect("$defs is an object");
        for title in ["Author", "Book", "Copy", "FieldValue", "Loan", "Publisher"] {
            assert!(
                book_defs.contains_key(title),
                "{title} missing from Book's closure"
            );
        }
        assert!(!book_defs.contains_key("Catalog"));
        assert_eq!(book_defs["Book"], defs["Book"]);
        let required = &defs["Book"]["required"];
        assert_eq!(required[0], json!("isbn"));
        assert!(
            required
                .as_array()
                .is_some_and(|all| all.contains(&json!("summary")))
        );
        assert!(
            !required
                .as_array()
                .is_some_and(|all| all.contains(&json!("subtitle")))
        );

        // Wire names: `from_` is `from` on the wire.
        assert!(defs["Loan"]["properties"].get("from").is_some());
        assert!(defs["Loan"]["properties"].get("from_").is_none());

        // The tagged unions and their constant tags: `CatalogEntry` is open and reads a
        // value without the tag by shape; the overlay closes `LookupResult` and makes
        // `ReferenceDeskMessages` require its tag.
        let entry = &defs["CatalogEntry"]["anyOf"];
        assert_eq!(
            entry[0]["allOf"][1],
            json!({ "properties": { "type": { "const": "book" } } })
        );
        assert_eq!(
            entry[2]["properties"]["type"]["not"],
            json!({ "enum": ["book", "periodical"] })
        );
        let lookup = &defs["LookupResult"]["anyOf"];
        assert_eq!(
            lookup[1]["allOf"][1]["properties"]["found"],
            json!({ "const": false })
        );
        assert_eq!(lookup.as_array().map(Vec::len), Some(2));
        let messages = &defs["ReferenceDeskMessages"]["oneOf"];
        assert_eq!(messages[0]["allOf"][1]["required"], json!(["role"]));

        // The file upload is not a property; the event stream is not a member.
        assert!(defs["CoverUpload"]["properties"].get("file").is_none());
        assert_eq!(
            defs["SearchBooksResponse"],
            json!({ "anyOf": [{ "$ref": "#/$defs/SearchResults" }] })
        );
        let response = json_schema(&spec, Some("SearchBooksResponse")).expect("a schema");
        assert!(response["$defs"].get("SearchEvent").is_none());
    }

    #[test]
    fn every_model_of_the_example_spec_stands_alone() {
        let spec = parsed();
        let mut sizes = BTreeMap::new();
        for title in spec.models.keys() {
            let document = json_schema(&spec, Some(title)).expect("every model has a schema");
            let defs = document["$defs"].as_object().expect("$defs is an object");
            let mut targets = BTreeSet::new();
            refs(&document, &mut targets);
            for target in targets {
                let name = target.strip_prefix("#/$defs/").expect("a local reference");
                assert!(
                    defs.contains_key(name),
                    "{title}: {target} does not resolve"
                );
            }
            sizes.insert(title.as_str(), defs.len());
        }
        assert_eq!(sizes.get("ExportFormat"), Some(&1));
        assert!(
            sizes.get("Catalog").is_some_and(|size| *size > 20),
            "{sizes:?}"
        );
    }
}
