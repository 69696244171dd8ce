//! Lowering: documents into the IR. Passes in order: read each document's structure,
//! index every name, resolve types, apply the overlay, then derive presence and union
//! tags. Every problem is collected; a model with an error is left out of the IR.

mod examples;
mod structure;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, SourceFiles, Span};
use crate::dialect::{Dialect, LiteralValue, PresenceNotation, SdkNaming, UnmarkedEnum, Wrapper};
use crate::document::Document;
use crate::ir::{
    AdditionalProperties, Assumption, DateFormat, Enum, EnumRepr, EnumValue, Field, Model,
    ModelKind, Object, Presence, Source, Sourced, Spec, Type, Undocumented, Union, UnionMember,
};
use crate::overlay::{FieldOverlay, JsonNames, ModelOverlay, Overlay};

use structure::{RawKind, RawModel};
use types::{Names, Resolver};

/// Lowers read documents (each with its text) into a spec.
pub fn lower(
    documents: &[Document],
    files: &SourceFiles,
    overlay: Option<&Overlay>,
    dialect: Dialect,
) -> (Spec, Diagnostics) {
    let mut diagnostics = Diagnostics::default();
    let raw: Vec<(&Document, Vec<RawModel>)> = documents
        .iter()
        .map(|document| {
            let text = &files.get(document.file).text;
            (
                document,
                structure::read_models(document, text, dialect, &mut diagnostics),
            )
        })
        .collect();
    let names = index_names(&raw, &mut diagnostics);

    let mut models = BTreeMap::new();
    let mut undocumented: BTreeMap<String, Undocumented> = BTreeMap::new();
    let mut references = Vec::new();
    let mut inline_members = BTreeMap::new();
    for (document, raw_models) in &raw {
        let folder = model_folder(&document.path);
        for raw_model in raw_models {
            let ambiguous = names
                .by_title
                .get(&raw_model.title)
                .is_some_and(|declared| declared.len() > 1);
            let key = model_key(&raw_model.title, folder, ambiguous);
            if names.keys.get(&key) != Some(&raw_model.title_span) || !raw_model.complete {
                continue; // a duplicate title or an incomplete model, already reported
            }
            if names.undocumented.contains(&key) {
                undocumented.insert(
                    key,
                    Undocumented {
                        location: files.location(raw_model.title_span),
                        description: raw_model.description.clone(),
                        references: Vec::new(),
                    },
                );
                continue;
            }
            let mut resolver = Resolver {
                names: &names,
                document: &document.path,
                diagnostics: &mut diagnostics,
                undocumented_references: &mut references,
                inline_members: &mut inline_members,
            };
            if let Some(model) = lower_model(raw_model, key, dialect, &mut resolver, files) {
                models.insert(model.name.clone(), model);
            }
        }
    }
    type_undocumented_unions(
        &mut models,
        &mut undocumented,
        inline_members,
        references,
        files,
    );
    if let Some(overlay) = overlay {
        if let Some(names) = &overlay.json_names {
            apply_json_names(&mut models, dialect, names.value);
        }
        apply_overlay(&mut models, overlay, &mut diagnostics);
    }
    derive_presence(&mut models);
    derive_union_tags(&mut models, overlay, &mut diagnostics);
    (
        Spec {
            dialect,
            models,
            undocumented,
            sources: Vec::new(),
        },
        diagnostics,
    )
}

/// The folder of a document that qualifies a model's name: its directory below the
/// spec's `models/` (or `Models/`) folder (`models/operations/click.md` is `operations`),
/// empty for documents directly in it.
fn model_folder(path: &str) -> &str {
    let directory = path.rsplit_once('/').map_or("", |(directory, _)| directory);
    match directory.split_once('/') {
        Some((first, rest)) if first.eq_ignore_ascii_case("models") => rest,
        None if directory.eq_ignore_ascii_case("models") => "",
        _ => directory,
    }
}

/// The IR name of a model: its title, or, when the title is declared in several folders,
/// `folder/Title` (the naming rule in the README).
fn model_key(title: &str, folder: &str, ambiguous: bool) -> String {
    if ambiguous && !folder.is_empty() {
        format!("{folder}/{title}")
    } else {
        title.to_owned()
    }
}

/// Undocumented unions once every document is read: one whose members a reference wrote
/// inline becomes a union of them (Ruby docs write `T.any(...)` in every reference and
/// nothing in the union's own document); the references to the others are any JSON value.
fn type_undocumented_unions(
    models: &mut BTreeMap<String, Model>,
    undocumented: &mut BTreeMap<String, Undocumented>,
    inline_members: BTreeMap<String, Vec<(Type, Span)>>,
    references: Vec<(String, Span)>,
    files: &SourceFiles,
) {
    for (key, members) in inline_members {
        let Some(entry) = undocumented.remove(&key) else {
            continue;
        };
        let members = members
            .into_iter()
            .map(|(ty, span)| UnionMember {
                ty,
                location: files.location(span),
            })
            .collect();
        models.insert(
            key.clone(),
            Model {
                name: key,
                location: entry.location,
                description: entry.description,
                parent: None,
                direction: None,
                examples: Vec::new(),
                kind: ModelKind::Union(Union {
                    members,
                    ..Union::default()
                }),
            },
        );
    }
    for (key, span) in references {
        if let Some(entry) = undocumented.get_mut(&key) {
            entry.references.push(files.location(span));
        }
    }
    let opaque: BTreeSet<String> = undocumented.keys().cloned().collect();
    if opaque.is_empty() {
        return;
    }
    for model in models.values_mut() {
        match &mut model.kind {
            ModelKind::Object(object) => {
                for field in &mut object.fields {
                    any_for_opaque(&mut field.ty, &opaque);
                }
                if let Some(extra) = &mut object.additional_properties {
                    any_for_opaque(&mut extra.value, &opaque);
                }
            }
            ModelKind::Union(union) => {
                for member in &mut union.members {
                    any_for_opaque(&mut member.ty, &opaque);
                }
            }
            ModelKind::Enum(_) => {}
        }
    }
}

/// Replaces references to the `opaque` models with any JSON value.
fn any_for_opaque(ty: &mut Type, opaque: &BTreeSet<String>) {
    match ty {
        Type::Model(name) if opaque.contains(name) => *ty = Type::Any,
        Type::List(inner) | Type::Map(inner) | Type::Nullable(inner) | Type::EventStream(inner) => {
            any_for_opaque(inner, opaque)
        }
        _ => {}
    }
}

fn index_names(raw: &[(&Document, Vec<RawModel>)], diagnostics: &mut Diagnostics) -> Names {
    let mut folders: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (document, models) in raw {
        for model in models {
            folders
                .entry(model.title.as_str())
                .or_default()
                .insert(model_folder(&document.path));
        }
    }
    let mut names = Names::default();
    for (document, models) in raw {
        let folder = model_folder(&document.path);
        for (index, model) in models.iter().enumerate() {
            let ambiguous = folders
                .get(model.title.as_str())
                .is_some_and(|f| f.len() > 1);
            let key = model_key(&model.title, folder, ambiguous);
            // A duplicate still has its anchor, so a same-file link to it is not also
            // reported as unresolved.
            names
                .anchors
                .insert((document.path.clone(), model.anchor.clone()), key.clone());
            if let Some(first) = names.keys.get(&key) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateModel,
                        format!("the model `{}` is declared twice", model.title),
                    )
                    .at(model.title_span, "declared again here")
                    .also(*first, "first declared here")
                    .note("titles may repeat only in different folders"),
                );
                continue;
            }
            names.keys.insert(key.clone(), model.title_span);
            names
                .by_title
                .entry(model.title.clone())
                .or_default()
                .push((folder.to_owned(), key.clone()));
            if matches!(model.kind, Some(RawKind::Undocumented)) {
                names.undocumented.insert(key.clone());
            }
            if index == 0 && model.parent.is_none() {
                names.documents.insert(document.path.clone(), key);
            }
        }
    }
    names
}

fn lower_model(
    raw: &RawModel,
    key: String,
    dialect: Dialect,
    resolver: &mut Resolver<'_>,
    files: &SourceFiles,
) -> Option<Model> {
    let errors_before = resolver
        .diagnostics
        .count(crate::diagnostic::Severity::Error);
    let kind = match raw.kind.as_ref()? {
        RawKind::Undocumented => return None,
        RawKind::Object(object) => {
            let mut fields = Vec::new();
            let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
            for field in &object.fields {
                if let Some(first) = seen.get(field.name.as_str()) {
                    resolver.diagnostics.push(
                        Diagnostic::new(
                            Code::DuplicateField,
                            format!("the field `{}` is declared twice", field.name),
                        )
                        .at(field.name_span, "declared again here")
                        .also(*first, "first declared here"),
                    );
                    continue;
                }
                seen.insert(&field.name, field.name_span);
                let Some((wrapper, ty)) = resolver.field_type(&field.ty) else {
                    continue;
                };
                let required = match field.required {
                    Some(required) => Sourced {
                        value: required,
                        source: Source::Doc,
                        from: None,
                    },
                    None => Sourced {
                        value: false,
                        source: Source::Default(Assumption::RequiredNotDocumented),
                        from: None,
                    },
                };
                let nullable = written_nullability(dialect, wrapper, &ty, required.value);
                fields.push(Field {
                    wire_name: wire_name(dialect, &field.name),
                    name: field.name.clone(),
                    ty,
                    required,
                    nullable,
                    // Derived once every model is known (a one-value enum is a constant).
                    presence: Presence::Required,
                    description: field.description.clone(),
                    examples: field.examples.clone(),
                    deprecated: field.deprecated,
                    location: files.location(field.row_span),
                });
            }
            let additional_properties = match &object.extra {
                None => None,
                Some((expr, row)) => match resolver.field_type(expr) {
                    Some((_, Type::Map(value))) => Some(AdditionalProperties {
                        value: *value,
                        location: files.location(*row),
                    }),
                    Some(_) => {
                        resolver.diagnostics.push(
                            Diagnostic::new(
                                Code::UnsupportedType,
                                "a `__pydantic_extra__` row must have a `Dict[str, T]` type",
                            )
                            .at(expr.span(), "expected `Dict[str, ...]`"),
                        );
                        None
                    }
                    None => None,
                },
            };
            ModelKind::Object(Object {
                fields,
                additional_properties,
            })
        }
        RawKind::Enum(raw_enum) => {
            let mut values: Vec<EnumValue> = Vec::new();
            let mut seen: BTreeMap<&LiteralValue, Span> = BTreeMap::new();
            for value in &raw_enum.values {
                if let Some(first) = seen.get(&value.value) {
                    resolver.diagnostics.push(
                        Diagnostic::new(
                            Code::DuplicateEnumValue,
                            format!("the value {} is listed twice", value.value),
                        )
                        .at(value.span, "listed again here")
                        .also(*first, "first listed here"),
                    );
                    continue;
                }
                seen.insert(&value.value, value.span);
                values.push(EnumValue {
                    name: value.name.clone(),
                    value: value.value.clone(),
                    location: files.location(value.span),
                });
            }
            let integers = values
                .iter()
                .filter(|value| matches!(value.value, LiteralValue::Integer(_)))
                .count();
            let repr = if integers == 0 {
                EnumRepr::String
            } else if integers == values.len() {
                EnumRepr::Integer
            } else {
                resolver.diagnostics.push(
                    Diagnostic::new(
                        Code::MalformedEnumValue,
                        "an enum mixes string and integer values",
                    )
                    .at(raw.title_span, "in this enum")
                    .note("quoted values are strings, bare numbers are integers"),
                );
                return None;
            };
            let open = if raw_enum.open_sentence {
                Sourced {
                    value: true,
                    source: Source::Doc,
                    from: None,
                }
            } else {
                match dialect.unmarked_enum(raw_enum.form) {
                    UnmarkedEnum::AssumedOpen => Sourced {
                        value: true,
                        source: Source::Default(Assumption::TableEnumOpen),
                        from: None,
                    },
                    UnmarkedEnum::ClosedListForm => Sourced {
                        value: false,
                        source: Source::Convention(Assumption::ListEnumClosed),
                        from: None,
                    },
                    UnmarkedEnum::Closed => Sourced {
                        value: false,
                        source: Source::Convention(Assumption::UnmarkedEnumClosed),
                        from: None,
                    },
                }
            };
            ModelKind::Enum(Enum {
                repr,
                form: raw_enum.form,
                open,
                values,
            })
        }
        RawKind::Union(members) => {
            let members = members
                .iter()
                .filter_map(|member| {
                    Some(UnionMember {
                        ty: resolver.value_type(&member.ty)?,
                        location: files.location(member.span),
                    })
                })
                .collect();
            ModelKind::Union(Union {
                members,
                ..Union::default()
            })
        }
    };
    if resolver
        .diagnostics
        .count(crate::diagnostic::Severity::Error)
        > errors_before
    {
        return None;
    }
    Some(Model {
        name: key,
        location: files.location(raw.title_span),
        description: raw.description.clone(),
        parent: raw.parent.clone(),
        direction: None,
        examples: examples::read(raw, files),
        kind,
    })
}

/// Nullability as the docs write it, or the documented assumption where they cannot.
fn written_nullability(
    dialect: Dialect,
    wrapper: Option<Wrapper>,
    ty: &Type,
    required: bool,
) -> Sourced<bool> {
    let doc = |value| Sourced {
        value,
        source: Source::Doc,
        from: None,
    };
    let assumed = |value, assumption| Sourced {
        value,
        source: Source::Default(assumption),
        from: None,
    };
    // Lists, maps and dates never carry a presence marker in Python, Java, Go or Ruby.
    let unmarked = |ty: &Type| match dialect.presence_notation() {
        PresenceNotation::Explicit => {
            matches!(ty, Type::List(_) | Type::Map(_) | Type::Date { .. })
        }
        PresenceNotation::Nilable => matches!(ty, Type::List(_) | Type::Map(_) | Type::Any),
        PresenceNotation::None => false,
    };
    match (dialect.presence_notation(), wrapper) {
        (_, Some(Wrapper::Nullable | Wrapper::OptionalNullable)) => doc(true),
        // Every SDK's any-value type includes null, whatever wraps it.
        _ if *ty == Type::Any => Sourced {
            value: true,
            source: Source::Convention(Assumption::AnyIncludesNull),
            from: None,
        },
        (_, Some(Wrapper::Optional)) => doc(false),
        // A nilable required field can only be missing by being null.
        (_, Some(Wrapper::Nilable)) if required => doc(true),
        (PresenceNotation::Explicit, Some(Wrapper::Nilable)) => doc(false),
        (PresenceNotation::Nilable | PresenceNotation::None, _) if !required => {
            assumed(true, Assumption::OptionalNullabilityNotShown)
        }
        (PresenceNotation::None, _) => assumed(false, Assumption::RequiredNullabilityNotShown),
        _ if unmarked(ty) => {
            if required {
                assumed(false, Assumption::RequiredContainerNotNull)
            } else {
                assumed(true, Assumption::OptionalContainerNullable)
            }
        }
        _ => doc(false),
    }
}

/// Python reserved words the SDK suffixes with `_` (`from_`); the JSON key has none.
const PYTHON_RESERVED: &[&str] = &[
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "False",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "None",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "True",
    "try",
    "while",
    "with",
    "yield",
    "format",
    "id",
    "type",
    "input",
    "object",
    "property",
    "list",
    "dict",
    "set",
    "str",
    "int",
    "float",
    "bool",
    "bytes",
    "hash",
    "filter",
    "map",
    "range",
    "min",
    "max",
    "sum",
    "json",
    "schema",
    "copy",
    "validate",
    "construct",
    "fields",
];

fn wire_name(dialect: Dialect, name: &str) -> Sourced<String> {
    match dialect.naming() {
        SdkNaming::SnakeCase | SdkNaming::CamelCase => {}
        // Exported Go and C# names are never JSON keys as written: `ID`, `PostalCode`.
        SdkNaming::PascalCase => {
            return Sourced {
                value: crate::naming::lower_camel(name),
                source: Source::Default(Assumption::WireNameFromSdkCase),
                from: None,
            };
        }
    }
    if dialect == Dialect::Python
        && let Some(stem) = name.strip_suffix('_')
        && !stem.ends_with('_')
        && PYTHON_RESERVED.contains(&stem)
    {
        return Sourced {
            value: stem.to_owned(),
            source: Source::Convention(Assumption::ReservedWordSuffix),
            from: None,
        };
    }
    Sourced {
        value: name.to_owned(),
        source: Source::Default(Assumption::WireNameIsSdkName),
        from: None,
    }
}

/// `[spec] json-names`: every field's JSON key by the API's convention, stated by the
/// overlay (field entries with `wire` still win: they are applied after).
fn apply_json_names(models: &mut BTreeMap<String, Model>, dialect: Dialect, names: JsonNames) {
    use heck::{ToLowerCamelCase, ToSnakeCase};
    for model in models.values_mut() {
        let ModelKind::Object(object) = &mut model.kind else {
            continue;
        };
        for field in &mut object.fields {
            let documented = match wire_name(Dialect::Python, &field.name).source {
                // Python's reserved-word `_` is never part of the key.
                Source::Convention(Assumption::ReservedWordSuffix)
                    if dialect == Dialect::Python =>
                {
                    field.name.trim_end_matches('_').to_owned()
                }
                _ => field.name.clone(),
            };
            let value = match names {
                JsonNames::AsDocumented => documented,
                JsonNames::SnakeCase => documented.to_snake_case(),
                JsonNames::CamelCase => documented.to_lower_camel_case(),
            };
            field.wire_name = Sourced {
                value,
                source: Source::Overlay,
                from: None,
            };
        }
    }
}

fn unmatched(span: Span, message: String) -> Diagnostic {
    Diagnostic::new(Code::OverlayUnmatched, message).at(span, "this entry has no effect")
}

fn apply_overlay(
    models: &mut BTreeMap<String, Model>,
    overlay: &Overlay,
    diagnostics: &mut Diagnostics,
) {
    for (name, entry) in &overlay.models {
        let Some(model) = models.get_mut(name) else {
            diagnostics.push(unmatched(
                entry.span,
                format!("the overlay names `{name}`, which is not a model of the spec"),
            ));
            continue;
        };
        apply_model_overlay(model, entry, diagnostics);
    }
}

fn apply_model_overlay(model: &mut Model, entry: &ModelOverlay, diagnostics: &mut Diagnostics) {
    let kind = match &model.kind {
        ModelKind::Object(_) => "an object",
        ModelKind::Enum(_) => "an enum",
        ModelKind::Union(_) => "a union",
    };
    match (&mut model.kind, &entry.open) {
        (ModelKind::Enum(enumeration), Some(open)) => {
            enumeration.open = Sourced {
                value: open.value,
                source: Source::Overlay,
                from: None,
            };
        }
        // A union's openness depends on its tag, known only later (`derive_union_tags`).
        (ModelKind::Union(_), _) => {}
        (_, Some(open)) => diagnostics.push(unmatched(
            open.span,
            format!(
                "`open` applies to enums and tagged unions, and `{}` is {kind}",
                model.name
            ),
        )),
        _ => {}
    }
    if let Some(direction) = &entry.direction {
        model.direction = Some(direction.value);
    }
    if !matches!(model.kind, ModelKind::Union(_)) {
        let union_settings = [
            ("tag", entry.tag.as_ref().map(|tag| tag.span)),
            (
                "tag-required",
                entry.tag_required.as_ref().map(|tag| tag.span),
            ),
        ];
        for (key, span) in union_settings {
            if let Some(span) = span {
                diagnostics.push(unmatched(
                    span,
                    format!("`{key}` applies to unions, and `{}` is {kind}", model.name),
                ));
            }
        }
    }
    if entry.fields.is_empty() {
        return;
    }
    let ModelKind::Object(object) = &mut model.kind else {
        diagnostics.push(unmatched(
            entry.span,
            format!("`{}` is {kind}, it has no fields", model.name),
        ));
        return;
    };
    for (name, field_entry) in &entry.fields {
        let Some(field) = object.fields.iter_mut().find(|field| &field.name == name) else {
            diagnostics.push(unmatched(
                field_entry.span,
                format!(
                    "`{}` has no field `{name}` (fields are named as the docs write them)",
                    model.name
                ),
            ));
            continue;
        };
        apply_field_overlay(field, field_entry, diagnostics);
    }
}

fn apply_field_overlay(field: &mut Field, entry: &FieldOverlay, diagnostics: &mut Diagnostics) {
    if let Some(wire) = &entry.wire {
        field.wire_name = Sourced {
            value: wire.value.clone(),
            source: Source::Overlay,
            from: None,
        };
    }
    if let Some(nullable) = &entry.nullable {
        field.nullable = Sourced {
            value: nullable.value,
            source: Source::Overlay,
            from: None,
        };
    }
    if let Some(required) = &entry.required {
        field.required = Sourced {
            value: required.value,
            source: Source::Overlay,
            from: None,
        };
    }
    if let Some(format) = &entry.format
        && !set_date_format(&mut field.ty, format.value)
    {
        diagnostics.push(unmatched(
            format.span,
            format!(
                "`format` applies to `date` fields, and `{}` holds no date",
                field.name
            ),
        ));
    }
}

fn set_date_format(ty: &mut Type, value: DateFormat) -> bool {
    match ty {
        Type::Date { format } => {
            *format = Sourced {
                value,
                source: Source::Overlay,
                from: None,
            };
            true
        }
        Type::List(inner) | Type::Map(inner) | Type::Nullable(inner) => {
            set_date_format(inner, value)
        }
        _ => false,
    }
}

/// The value of every enum with exactly one value: such an enum is a constant.
fn one_value_enums(models: &BTreeMap<String, Model>) -> BTreeMap<String, LiteralValue> {
    models
        .values()
        .filter_map(|model| match &model.kind {
            ModelKind::Enum(enumeration) => match enumeration.values.as_slice() {
                [only] => Some((model.name.clone(), only.value.clone())),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Sets every field's presence row from its required and nullable facts and its type.
pub(crate) fn derive_presence(models: &mut BTreeMap<String, Model>) {
    let constants = one_value_enums(models);
    for model in models.values_mut() {
        let ModelKind::Object(object) = &mut model.kind else {
            continue;
        };
        for field in &mut object.fields {
            let constant = types::constant_of(&field.ty, &constants).is_some();
            field.presence = match (field.required.value, field.nullable.value) {
                (true, false) if constant => Presence::Defaulted,
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
        }
    }
}

/// Finds each union's tag: the overlay's, or a field that every member (all objects)
/// holds as a constant, with distinct values.
fn derive_union_tags(
    models: &mut BTreeMap<String, Model>,
    overlay: Option<&Overlay>,
    diagnostics: &mut Diagnostics,
) {
    let constants = one_value_enums(models);
    let mut tags = BTreeMap::new();
    for model in models.values() {
        let ModelKind::Union(union) = &model.kind else {
            continue;
        };
        let members: Option<Vec<&Object>> = union
            .members
            .iter()
            .map(|member| match &member.ty {
                Type::Model(name) => match models.get(name).map(|model| &model.kind) {
                    Some(ModelKind::Object(object)) => Some(object),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        let wanted = overlay
            .and_then(|overlay| overlay.models.get(&model.name))
            .and_then(|entry| entry.tag.as_ref());
        let Some(members) = members else {
            if let Some(tag) = wanted {
                diagnostics.push(unmatched(
                    tag.span,
                    format!(
                        "`{}` has members that are not objects, so no field can tag it",
                        model.name
                    ),
                ));
            }
            continue;
        };
        let is_tag = |name: &str| {
            let mut values = BTreeSet::new();
            members.iter().all(|object| {
                object
                    .fields
                    .iter()
                    .find(|field| field.name == name)
                    .and_then(|field| types::constant_of(&field.ty, &constants))
                    .is_some_and(|value| values.insert(value))
            })
        };
        let tag = match wanted {
            Some(tag) if is_tag(&tag.value) => Some(Sourced {
                value: tag.value.clone(),
                source: Source::Overlay,
                from: None,
            }),
            Some(tag) => {
                diagnostics.push(unmatched(
                    tag.span,
                    format!(
                        "`{}` is not a field that every member of `{}` holds as a distinct constant",
                        tag.value, model.name
                    ),
                ));
                None
            }
            // A one-member union is a plain alias of its member in the SDKs: nothing to
            // select, so no tag is required.
            None if members.len() < 2 => None,
            None => members.first().and_then(|first| {
                first
                    .fields
                    .iter()
                    .find(|field| is_tag(&field.name))
                    .map(|field| Sourced {
                        value: field.name.clone(),
                        source: Source::Convention(Assumption::InferredUnionTag),
                        from: None,
                    })
            }),
        };
        let entry = overlay.and_then(|overlay| overlay.models.get(&model.name));
        match tag {
            Some(tag) => {
                tags.insert(model.name.clone(), (tag, tag_settings(entry)));
            }
            None => {
                for (key, setting) in [
                    ("open", entry.and_then(|entry| entry.open.as_ref())),
                    (
                        "tag-required",
                        entry.and_then(|entry| entry.tag_required.as_ref()),
                    ),
                ] {
                    if let Some(setting) = setting {
                        diagnostics.push(unmatched(
                            setting.span,
                            format!(
                                "`{key}` applies to tagged unions, and `{}` has no tag (set `tag`)",
                                model.name
                            ),
                        ));
                    }
                }
            }
        }
    }
    for (name, (tag, (tag_required, open))) in tags {
        if let Some(Model {
            kind: ModelKind::Union(union),
            ..
        }) = models.get_mut(&name)
        {
            union.tag = Some(tag);
            union.tag_required = Some(tag_required);
            union.open = Some(open);
        }
    }
}

/// A tagged union's `tag-required` and `open`: the overlay's, or the assumptions.
fn tag_settings(entry: Option<&ModelOverlay>) -> (Sourced<bool>, Sourced<bool>) {
    let setting = |setting: Option<&crate::overlay::Setting<bool>>, default, assumption| {
        setting.map_or(
            Sourced {
                value: default,
                source: Source::Default(assumption),
                from: None,
            },
            |setting| Sourced {
                value: setting.value,
                source: Source::Overlay,
                from: None,
            },
        )
    };
    (
        setting(
            entry.and_then(|entry| entry.tag_required.as_ref()),
            false,
            Assumption::UnionTagOptional,
        ),
        open_setting(entry),
    )
}

/// A tagged union is open unless the overlay closes it, or says the union is sent by the
/// client (`direction = "request"`): a client never receives a member it does not know.
fn open_setting(entry: Option<&ModelOverlay>) -> Sourced<bool> {
    let overlay = |value| Sourced {
        value,
        source: Source::Overlay,
        from: None,
    };
    match entry {
        Some(ModelOverlay {
            open: Some(open), ..
        }) => overlay(open.value),
        Some(ModelOverlay {
            direction: Some(direction),
            ..
        }) if direction.value == crate::ir::Direction::Request => overlay(false),
        _ => Sourced {
            value: true,
            source: Source::Default(Assumption::TaggedUnionOpen),
            from: None,
        },
    }
}
