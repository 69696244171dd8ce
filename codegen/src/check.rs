//! Checks on a lowered spec: names that collide once turned into Rust, models nothing
//! references, and a summary of every assumption the IR had to make.

use std::collections::BTreeMap;

use crate::diagnostic::{
    Code, Detail, Diagnostic, Diagnostics, Location, SourceFiles, Span, count,
};
use serde_json::Value;

use crate::ir::{
    Assumption, DateFormat, EnumRepr, Field, LiteralValue, Model, ModelKind, Source, Spec, Type,
};
use crate::naming;

/// Runs every check on `spec`.
pub fn check(spec: &Spec, files: &SourceFiles) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    rust_name_collisions(spec, files, &mut diagnostics);
    field_collisions(spec, files, &mut diagnostics);
    example_mismatches(spec, files, &mut diagnostics);
    unreferenced_models(spec, &mut diagnostics);
    undocumented_unions(spec, &mut diagnostics);
    information_loss(spec, &mut diagnostics);
    diagnostics
}

/// One note for the union documents that list no members, each with its references.
fn undocumented_unions(spec: &Spec, diagnostics: &mut Diagnostics) {
    if spec.undocumented.is_empty() {
        return;
    }
    let details: Vec<Detail> = spec
        .undocumented
        .iter()
        .map(|(name, undocumented)| Detail {
            location: undocumented.location.clone(),
            model: name.clone(),
            field: None,
            note: format!(
                "no members listed; {} typed as any JSON value",
                count(undocumented.references.len(), "reference", "references")
            ),
        })
        .collect();
    diagnostics.push(
        Diagnostic::new(
            Code::UndocumentedUnion,
            format!(
                "{} list no members (a title and prose only): not generated, and every reference to them is typed as any JSON value",
                count(details.len(), "union document", "union documents")
            ),
        )
        .note("docs of another SDK of the same API may list the members")
        .with_details(details),
    );
}

fn span(files: &SourceFiles, location: &Location) -> Option<Span> {
    files.span_at(location)
}

fn with_location(
    diagnostic: Diagnostic,
    files: &SourceFiles,
    location: &Location,
    label: &str,
) -> Diagnostic {
    match span(files, location) {
        Some(span) => diagnostic.at(span, label),
        None => diagnostic.note(format!("at {location}")),
    }
}

fn with_secondary(
    diagnostic: Diagnostic,
    files: &SourceFiles,
    location: &Location,
    label: &str,
) -> Diagnostic {
    match span(files, location) {
        Some(span) => diagnostic.also(span, label),
        None => diagnostic.note(format!("{label}: {location}")),
    }
}

fn rust_name_collisions(spec: &Spec, files: &SourceFiles, diagnostics: &mut Diagnostics) {
    for (what, rule) in [
        ("type", naming::type_name as fn(&str) -> String),
        ("module", naming::module_name),
    ] {
        let mut seen: BTreeMap<String, &Model> = BTreeMap::new();
        for model in spec.models.values() {
            let name = rule(&model.name);
            if let Some(first) = seen.get(&name) {
                let diagnostic = Diagnostic::new(
                    Code::RustNameCollision,
                    format!(
                        "`{}` and `{}` both become the Rust {what} name `{name}`",
                        first.name, model.name
                    ),
                );
                let diagnostic = with_location(diagnostic, files, &model.location, "this model");
                let diagnostic =
                    with_secondary(diagnostic, files, &first.location, "collides with this one");
                diagnostics.push(diagnostic.note("rename one of the documents' titles"));
            } else {
                seen.insert(name, model);
            }
        }
    }
}

fn field_collisions(spec: &Spec, files: &SourceFiles, diagnostics: &mut Diagnostics) {
    for model in spec.models.values() {
        let ModelKind::Object(object) = &model.kind else {
            continue;
        };
        for (what, rule) in [
            (
                "Rust field name",
                (|field: &Field| naming::field_name(&field.name)) as fn(&Field) -> String,
            ),
            ("wire name", |field: &Field| field.wire_name.value.clone()),
        ] {
            let mut seen: BTreeMap<String, &Field> = BTreeMap::new();
            for field in &object.fields {
                let name = rule(field);
                if let Some(first) = seen.get(&name) {
                    let diagnostic = Diagnostic::new(
                        Code::FieldNameCollision,
                        format!(
                            "the fields `{}` and `{}` of `{}` both have the {what} `{name}`",
                            first.name, field.name, model.name
                        ),
                    );
                    let diagnostic =
                        with_location(diagnostic, files, &field.location, "this field");
                    let diagnostic = with_secondary(
                        diagnostic,
                        files,
                        &first.location,
                        "collides with this one",
                    );
                    diagnostics.push(diagnostic);
                } else {
                    seen.insert(name, field);
                }
            }
        }
    }
}

fn referenced_names(ty: &Type, out: &mut Vec<String>) {
    match ty {
        Type::Model(name) => out.push(name.clone()),
        Type::List(inner) | Type::Map(inner) | Type::Nullable(inner) | Type::EventStream(inner) => {
            referenced_names(inner, out)
        }
        Type::String
        | Type::Integer
        | Type::Float
        | Type::Boolean
        | Type::Any
        | Type::Bytes
        | Type::Date { .. }
        | Type::Literal(_)
        | Type::FileUpload
        | Type::SdkOnly => {}
    }
}

/// The models each model refers to, in declaration order.
pub fn references(model: &Model) -> Vec<String> {
    let mut out = Vec::new();
    match &model.kind {
        ModelKind::Object(object) => {
            for field in &object.fields {
                referenced_names(&field.ty, &mut out);
            }
            if let Some(extra) = &object.additional_properties {
                referenced_names(&extra.value, &mut out);
            }
        }
        ModelKind::Enum(_) => {}
        ModelKind::Union(union) => {
            for member in &union.members {
                referenced_names(&member.ty, &mut out);
            }
        }
    }
    out
}

fn unreferenced_models(spec: &Spec, diagnostics: &mut Diagnostics) {
    let mut referenced = std::collections::BTreeSet::new();
    for model in spec.models.values() {
        for name in references(model) {
            if name != model.name {
                referenced.insert(name);
            }
        }
    }
    let details: Vec<Detail> = spec
        .models
        .values()
        .filter(|model| !referenced.contains(&model.name))
        .map(|model| Detail {
            location: model.location.clone(),
            model: model.name.clone(),
            field: None,
            note: "no other model refers to it (an entry point such as a request or response, or unused)"
                .to_owned(),
        })
        .collect();
    if details.is_empty() {
        return;
    }
    diagnostics.push(
        Diagnostic::new(
            Code::UnreferencedModel,
            format!(
                "{} of {} referenced by no other model (entry points or unused)",
                details.len(),
                count(spec.models.len(), "model is", "models are")
            ),
        )
        .with_details(details),
    );
}

/// One summary line per kind of assumption, with every site as a detail.
fn information_loss(spec: &Spec, diagnostics: &mut Diagnostics) {
    let mut sites: BTreeMap<Assumption, Vec<Detail>> = BTreeMap::new();
    let mut record = |source: Source, location: &Location, model: &str, field: Option<&str>| {
        if let Source::Default(assumption) | Source::Convention(assumption) = source {
            sites.entry(assumption).or_default().push(Detail {
                location: location.clone(),
                model: model.to_owned(),
                field: field.map(str::to_owned),
                note: assumption_note(assumption).to_owned(),
            });
        }
    };
    for model in spec.models.values() {
        match &model.kind {
            ModelKind::Object(object) => {
                for field in &object.fields {
                    let name = Some(field.name.as_str());
                    record(field.wire_name.source, &field.location, &model.name, name);
                    record(field.required.source, &field.location, &model.name, name);
                    record(field.nullable.source, &field.location, &model.name, name);
                    let mut dates = Vec::new();
                    date_sources(&field.ty, &mut dates);
                    for source in dates {
                        record(source, &field.location, &model.name, name);
                    }
                }
            }
            ModelKind::Enum(enumeration) => {
                record(enumeration.open.source, &model.location, &model.name, None)
            }
            ModelKind::Union(union) => {
                if let Some(tag) = &union.tag {
                    record(tag.source, &model.location, &model.name, Some(&tag.value));
                }
                for setting in [&union.tag_required, &union.open].into_iter().flatten() {
                    record(setting.source, &model.location, &model.name, None);
                }
                for member in &union.members {
                    let mut dates = Vec::new();
                    date_sources(&member.ty, &mut dates);
                    for source in dates {
                        record(source, &member.location, &model.name, None);
                    }
                }
            }
        }
    }
    for (name, undocumented) in &spec.undocumented {
        for location in &undocumented.references {
            record(
                Source::Default(Assumption::UndocumentedUnion),
                location,
                name,
                None,
            );
        }
    }
    for (assumption, details) in sites {
        diagnostics.push(
            Diagnostic::new(
                Code::InformationLoss,
                assumption_summary(assumption, details.len()),
            )
            .note(format!(
                "to state the fact instead: {}",
                overlay_hint(assumption)
            ))
            .with_details(details),
        );
    }
}

fn date_sources(ty: &Type, out: &mut Vec<Source>) {
    match ty {
        Type::Date { format } => out.push(format.source),
        Type::List(inner) | Type::Map(inner) | Type::Nullable(inner) | Type::EventStream(inner) => {
            date_sources(inner, out)
        }
        _ => {}
    }
}

fn assumption_note(assumption: Assumption) -> &'static str {
    match assumption {
        Assumption::WireNameIsSdkName => "JSON key assumed equal to the SDK attribute name",
        Assumption::NameAlikeAcrossSdks => {
            "JSON key: the spelling SDKs with different case conventions both show"
        }
        Assumption::ReservedWordSuffix => "JSON key is the SDK name without the reserved-word `_`",
        Assumption::OptionalContainerNullable => "optional List/Dict/date: null assumed allowed",
        Assumption::RequiredContainerNotNull => "required List/Dict/date: null assumed an error",
        Assumption::DateMeansDateTime => "`date` assumed to be a date-time",
        Assumption::TableEnumOpen => "table-form enum assumed open",
        Assumption::ListEnumClosed => {
            "list-form enum without the open-enum sentence read as closed"
        }
        Assumption::RequiredNotDocumented => "no Required column: field assumed optional",
        Assumption::InferredUnionTag => "union tag inferred from constant member fields",
        Assumption::UnmarkedEnumClosed => "enum without the SDK's open-enum mark read as closed",
        Assumption::OptionalNullabilityNotShown => {
            "optional field: the dialect does not show nullability; null assumed allowed"
        }
        Assumption::RequiredNullabilityNotShown => {
            "required field: the dialect does not show nullability; null assumed an error"
        }
        Assumption::WireNameFromSdkCase => "JSON key assumed to be the SDK name in camelCase",
        Assumption::UndocumentedUnion => {
            "references a union whose document lists no members: any JSON value"
        }
        Assumption::AnyIncludesNull => "an any-value field: null is one of its values",
        Assumption::UnionTagOptional => "tagged union: a value without the tag is matched by shape",
        Assumption::TaggedUnionOpen => "tagged union assumed open: unknown tags are kept",
    }
}

fn assumption_summary(assumption: Assumption, n: usize) -> String {
    let fields = count(n, "field", "fields");
    match assumption {
        Assumption::WireNameIsSdkName => format!(
            "{fields}: the docs show SDK attribute names, not JSON keys; each JSON key is assumed to be the documented name"
        ),
        Assumption::ReservedWordSuffix => format!(
            "{fields}: a Python reserved-word `_` suffix (`from_`) is dropped from the JSON key"
        ),
        Assumption::OptionalContainerNullable => format!(
            "{}: the docs cannot show nullability; null is assumed allowed",
            count(
                n,
                "optional List/Dict/date field",
                "optional List/Dict/date fields"
            )
        ),
        Assumption::RequiredContainerNotNull => format!(
            "{}: the docs cannot show nullability; null is assumed an error",
            count(
                n,
                "required List/Dict/date field",
                "required List/Dict/date fields"
            )
        ),
        Assumption::DateMeansDateTime => format!(
            "{}: the docs use `date` for dates and date-times; a date-time is assumed",
            count(n, "`date` type", "`date` types")
        ),
        Assumption::TableEnumOpen => format!(
            "{}: the docs do not say whether unknown values are allowed; assumed open",
            count(n, "table-form enum", "table-form enums")
        ),
        Assumption::ListEnumClosed => format!(
            "{} without the open-enum sentence: read as closed",
            count(n, "list-form enum", "list-form enums")
        ),
        Assumption::RequiredNotDocumented => {
            format!("{fields} in tables without a Required column: assumed optional")
        }
        Assumption::InferredUnionTag => format!(
            "{}: no discriminator is written; tagged by the field every member holds as a distinct constant",
            count(n, "union", "unions")
        ),
        Assumption::UnmarkedEnumClosed => format!(
            "{} without the SDK's open-enum mark: read as closed",
            count(n, "enum", "enums")
        ),
        Assumption::OptionalNullabilityNotShown => format!(
            "{}: the dialect does not show whether null is allowed; assumed allowed",
            count(n, "optional field", "optional fields")
        ),
        Assumption::RequiredNullabilityNotShown => format!(
            "{}: the dialect does not show whether null is allowed; assumed an error",
            count(n, "required field", "required fields")
        ),
        Assumption::NameAlikeAcrossSdks => format!(
            "{fields}: merged sources whose SDKs case names differently show one spelling; each JSON key is assumed to be that spelling"
        ),
        Assumption::WireNameFromSdkCase => format!(
            "{fields}: the docs show PascalCase SDK names, not JSON keys; each JSON key is assumed to be the name in camelCase"
        ),
        Assumption::UndocumentedUnion => format!(
            "{}: the union's document lists no members, so its values are typed as any JSON value",
            count(n, "reference", "references")
        ),
        Assumption::AnyIncludesNull => format!(
            "{}: the SDKs' any-value type includes null, so null is accepted and kept",
            count(n, "any-value field", "any-value fields")
        ),
        Assumption::UnionTagOptional => format!(
            "{}: the docs do not say whether the SDK requires the tag; a value without it is matched by shape among the members whose tag field may be absent",
            count(n, "tagged union", "tagged unions")
        ),
        Assumption::TaggedUnionOpen => format!(
            "{}: the docs do not say whether unknown tags are allowed; assumed open (kept whole as `Unknown`)",
            count(n, "tagged union", "tagged unions")
        ),
    }
}

fn overlay_hint(assumption: Assumption) -> &'static str {
    match assumption {
        Assumption::WireNameIsSdkName
        | Assumption::ReservedWordSuffix
        | Assumption::NameAlikeAcrossSdks
        | Assumption::WireNameFromSdkCase => {
            "`wire = \"...\"` under `[models.X.fields.name]` in overlay.toml"
        }
        Assumption::OptionalContainerNullable
        | Assumption::RequiredContainerNotNull
        | Assumption::OptionalNullabilityNotShown
        | Assumption::RequiredNullabilityNotShown
        | Assumption::AnyIncludesNull => {
            "`nullable = true|false` under `[models.X.fields.name]` in overlay.toml"
        }
        Assumption::DateMeansDateTime => {
            "`format = \"date\"|\"date-time\"` under `[models.X.fields.name]` in overlay.toml"
        }
        Assumption::TableEnumOpen
        | Assumption::ListEnumClosed
        | Assumption::UnmarkedEnumClosed
        | Assumption::TaggedUnionOpen => "`open = true|false` under `[models.X]` in overlay.toml",
        Assumption::UnionTagOptional => "`tag-required = true` under `[models.X]` in overlay.toml",
        Assumption::RequiredNotDocumented => {
            "`required = true` under `[models.X.fields.name]` in overlay.toml"
        }
        Assumption::InferredUnionTag => "`tag = \"field\"` under `[models.X]` in overlay.toml",
        Assumption::UndocumentedUnion => {
            "nothing yet: docs of another SDK of the API that list the members"
        }
    }
}

/// Example cells are real instances: one that contradicts its field's type is either a
/// doc error or a sign the type is wrong, so it is worth a warning.
fn example_mismatches(spec: &Spec, files: &SourceFiles, diagnostics: &mut Diagnostics) {
    for model in spec.models.values() {
        let ModelKind::Object(object) = &model.kind else {
            continue;
        };
        for field in &object.fields {
            for example in &field.examples {
                // An Example cell holds JSON, or else a bare string.
                let value = serde_json::from_str(example)
                    .unwrap_or_else(|_| Value::String(example.clone()));
                let fits = match (&field.ty, &value) {
                    // The text itself is a valid string even when it also parses as JSON.
                    (Type::String | Type::Bytes, _) => Ok(()),
                    _ => example_fits(spec, &field.ty, &value),
                };
                if let Err(expected) = fits {
                    let diagnostic = Diagnostic::new(
                        Code::ExampleTypeMismatch,
                        format!(
                            "the example `{}` of `{}.{}` is not {expected}",
                            shorten(example),
                            model.name,
                            field.name
                        ),
                    );
                    diagnostics.push(with_location(diagnostic, files, &field.location, "in this row").note(
                        "examples are read as JSON, or else as a string; fix the example or the type",
                    ));
                }
            }
        }
    }
}

fn shorten(text: &str) -> String {
    let one_line = text.replace('\n', " ");
    match one_line.char_indices().nth(60) {
        Some((index, _)) => format!("{}...", &one_line[..index]),
        None => one_line,
    }
}

/// Whether a JSON value can be an instance of `ty`; `Err` says what was expected.
/// Models are checked one level deep: their kind of JSON value, and enum values.
fn example_fits(spec: &Spec, ty: &Type, value: &Value) -> Result<(), String> {
    let expect = |ok: bool, what: &str| if ok { Ok(()) } else { Err(what.to_owned()) };
    match ty {
        Type::String | Type::Bytes => expect(value.is_string(), "a string"),
        Type::Integer => expect(value.is_i64() || value.is_u64(), "an integer"),
        Type::Float => expect(value.is_number(), "a number"),
        Type::Boolean => expect(value.is_boolean(), "a boolean"),
        Type::Any | Type::FileUpload | Type::SdkOnly | Type::EventStream(_) => Ok(()),
        Type::Date { format } => match value {
            Value::String(text) if is_date_like(text, format.value) => Ok(()),
            _ => Err(match format.value {
                DateFormat::Date => "a date (`YYYY-MM-DD`)".to_owned(),
                DateFormat::DateTime => "a date-time (RFC 3339)".to_owned(),
            }),
        },
        Type::List(item) => match value {
            Value::Array(items) => items
                .iter()
                .try_for_each(|item_value| example_fits(spec, item, item_value)),
            _ => Err("a JSON array".to_owned()),
        },
        Type::Map(item) => match value {
            Value::Object(entries) => entries
                .values()
                .try_for_each(|entry| example_fits(spec, item, entry)),
            _ => Err("a JSON object".to_owned()),
        },
        Type::Nullable(inner) => match value {
            Value::Null => Ok(()),
            _ => example_fits(spec, inner, value),
        },
        Type::Literal(literal) => {
            let matches = match literal {
                LiteralValue::String(expected) => value.as_str() == Some(expected.as_str()),
                LiteralValue::Integer(expected) => value.as_i64() == Some(*expected),
                LiteralValue::Boolean(expected) => value.as_bool() == Some(*expected),
            };
            expect(matches, &format!("the constant {literal}"))
        }
        Type::Model(name) => match spec.models.get(name).map(|model| &model.kind) {
            None => Ok(()),
            Some(ModelKind::Object(_)) => expect(value.is_object(), &format!("a `{name}` object")),
            Some(ModelKind::Enum(enumeration)) => {
                let known = enumeration
                    .values
                    .iter()
                    .any(|known| match (&known.value, value) {
                        (LiteralValue::String(known), Value::String(found)) => known == found,
                        (LiteralValue::Integer(known), found) => found.as_i64() == Some(*known),
                        _ => false,
                    });
                let right_kind = match enumeration.repr {
                    EnumRepr::String => value.is_string(),
                    EnumRepr::Integer => value.is_i64(),
                };
                expect(
                    known || (enumeration.open.value && right_kind),
                    &format!("a value of the enum `{name}`"),
                )
            }
            Some(ModelKind::Union(union)) => {
                let any = union
                    .members
                    .iter()
                    .any(|member| example_fits(spec, &member.ty, value).is_ok());
                expect(any, &format!("an instance of any member of `{name}`"))
            }
        },
    }
}

/// `YYYY-MM-DD`, and for date-times `THH:MM[:SS[.fraction]]` with `Z` or an offset.
fn is_date_like(text: &str, format: DateFormat) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|part| part.iter().all(u8::is_ascii_digit))
    };
    let date = bytes.len() >= 10
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10);
    if !date {
        return false;
    }
    if bytes.len() == 10 {
        // A bare date is not a date-time: chrono, which the generated code uses, rejects it.
        return format == DateFormat::Date;
    }
    if format == DateFormat::Date || !matches!(bytes[10], b'T' | b't' | b' ') {
        return false;
    }
    let time = &text[11..];
    let zone_at = time.find(['Z', 'z', '+', '-']).unwrap_or(time.len());
    let (clock, zone) = time.split_at(zone_at);
    let clock_ok = {
        let (whole, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
        let parts: Vec<&str> = whole.split(':').collect();
        (2..=3).contains(&parts.len())
            && parts
                .iter()
                .all(|part| part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit()))
            && !fraction.is_empty()
            && fraction.bytes().all(|b| b.is_ascii_digit())
    };
    let zone_ok = zone.is_empty()
        || zone.eq_ignore_ascii_case("z")
        || (zone.len() == 6
            && zone.as_bytes()[3] == b':'
            && zone[1..3]
                .bytes()
                .chain(zone[4..].bytes())
                .all(|b| b.is_ascii_digit()));
    clock_ok && zone_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_dates_and_date_times() {
        assert!(is_date_like("2024-01-31", DateFormat::Date));
        assert!(!is_date_like("2024-01-31", DateFormat::DateTime));
        for text in [
            "2024-01-31T10:20:30Z",
            "2024-01-31T10:20:30.123456789+02:00",
            "2024-01-31 10:20",
        ] {
            assert!(is_date_like(text, DateFormat::DateTime), "{text}");
        }
        for text in ["1s", "2024-01-31T", "2024-1-31", "2024-01-31T10:20:30+2"] {
            assert!(!is_date_like(text, DateFormat::DateTime), "{text}");
        }
        assert!(!is_date_like("2024-01-31T10:20:30Z", DateFormat::Date));
    }
}
