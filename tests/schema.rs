//! JSON Schema export: the schemas of a few models of `specs/` are reviewed as snapshots,
//! and the whole schema of each Python corpus is produced with every `$ref` resolving.

use std::collections::BTreeSet;
use std::path::Path;

use markmodel::FolderSource;
use markmodel::ir::Spec;
use markmodel::schema::{self, DIALECT};
use serde_json::Value;
use tests::{corpus, workspace_root};

/// The IR of a spec folder, which must lint without errors.
fn spec_of(folder: &Path) -> Spec {
    let loaded = markmodel::lint(&FolderSource::new(folder))
        .unwrap_or_else(|err| panic!("{}: {err}", folder.display()));
    assert!(!loaded.has_errors(), "{} has lint errors", folder.display());
    loaded
        .spec
        .unwrap_or_else(|| panic!("{} produced no IR", folder.display()))
}

/// Every `$ref` in a schema.
fn references(schema: &Value, out: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                if let ("$ref", Value::String(target)) = (key.as_str(), value) {
                    out.insert(target.clone());
                } else {
                    references(value, out);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                references(item, out);
            }
        }
        _ => {}
    }
}

/// Asserts the document is 2020-12 and that every `$ref` in it names a `$defs` entry;
/// returns the `$defs` keys.
fn assert_self_contained(what: &str, document: &Value) -> BTreeSet<String> {
    assert_eq!(document["$schema"], Value::from(DIALECT), "{what}");
    let defs: BTreeSet<String> = document["$defs"]
        .as_object()
        .unwrap_or_else(|| panic!("{what}: no `$defs` object"))
        .keys()
        .cloned()
        .collect();
    let resolvable: BTreeSet<String> = defs
        .iter()
        .map(|title| schema::reference_uri(title))
        .collect();
    let mut targets = BTreeSet::new();
    references(document, &mut targets);
    let dangling: Vec<&String> = targets.difference(&resolvable).collect();
    assert!(
        dangling.is_empty(),
        "{what}: references that resolve to no `$defs` key: {dangling:?}"
    );
    defs
}

#[test]
fn specs_model_schemas() {
    let spec = spec_of(&workspace_root().join("specs"));
    for model in [
        "Book",
        "CatalogEntry",
        "FieldValue",
        "Publisher",
        "LoanPeriodDays",
        "ExportFormat",
    ] {
        let document =
            schema::json_schema(&spec, Some(model)).unwrap_or_else(|err| panic!("{model}: {err}"));
        let defs = assert_self_contained(model, &document);
        assert!(defs.contains(model), "{model} is not in its own `$defs`");
        let pretty =
            serde_json::to_string_pretty(&document).unwrap_or_else(|err| panic!("{model}: {err}"));
        insta::assert_snapshot!(format!("specs__{model}"), pretty);
    }
}

#[test]
fn specs_whole_schema_has_every_model() {
    let spec = spec_of(&workspace_root().join("specs"));
    let document = schema::json_schema(&spec, None).unwrap_or_else(|err| panic!("{err}"));
    assert!(
        document.get("$ref").is_none(),
        "the whole spec has no root model"
    );
    let defs = assert_self_contained("specs/", &document);
    let titles: BTreeSet<String> = spec.models.keys().cloned().collect();
    assert_eq!(defs, titles);
}

#[test]
fn unknown_model_is_an_error() {
    let spec = spec_of(&workspace_root().join("specs"));
    let error = schema::json_schema(&spec, Some("Boook")).expect_err("no model is titled Boook");
    assert!(
        matches!(&error, schema::SchemaError::UnknownModel { name, similar }
            if name == "Boook" && similar.first().is_some_and(|first| first == "Book")),
        "{error:?}"
    );
    assert!(error.to_string().contains("`Book`"), "{error}");
}

fn corpus_schema(name: &str) {
    let Some(folder) = corpus(name) else { return };
    let spec = spec_of(&folder);
    let document = schema::json_schema(&spec, None).unwrap_or_else(|err| panic!("{name}: {err}"));
    let defs = assert_self_contained(name, &document);
    assert_eq!(defs.len(), spec.models.len(), "{name}: models left out");
    // A serialized schema reads back as the same value: no non-finite numbers, no loss.
    let text = serde_json::to_string(&document).unwrap_or_else(|err| panic!("{name}: {err}"));
    let back: Value = serde_json::from_str(&text).unwrap_or_else(|err| panic!("{name}: {err}"));
    assert_eq!(back, document, "{name}: the schema does not round-trip");
}

#[test]
fn python_1_7_0_whole_schema() {
    corpus_schema("mistral-python-1.7.0");
}

#[test]
fn python_2_5_1_whole_schema() {
    corpus_schema("mistral-python-2.5.1");
}

/// The exported schema, checked by an independent validator (the `jsonschema` crate,
/// formats asserted), agrees with `validate` on every sample payload of every model.
fn schema_agrees_with_validate(folder: &std::path::Path) -> usize {
    let loaded = markmodel::lint(&markmodel::FolderSource::new(folder))
        .unwrap_or_else(|err| panic!("{err}"));
    let spec = loaded.spec.unwrap_or_else(|| panic!("no IR"));
    let validator = markmodel::validate::Validator::new(&spec);
    let mut disagreements = Vec::new();
    let mut cases = 0;
    for title in spec.models.keys() {
        let schema = markmodel::schema::json_schema(&spec, Some(title))
            .unwrap_or_else(|err| panic!("{title}: {err}"));
        let checker = jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .unwrap_or_else(|err| panic!("{title}: the schema does not compile: {err}"));
        for sample in markmodel::sample::samples(&spec, title) {
            let findings = validator
                .validate(title, &sample.json)
                .unwrap_or_else(|err| panic!("{err}"));
            let valid = !findings
                .iter()
                .any(|finding| finding.level == markmodel::validate::Level::Error);
            // Validating while parsing reports the same findings (in key order).
            let text = sample.json.to_string();
            let streamed = validator
                .validate_json(title, text.as_bytes())
                .unwrap_or_else(|err| panic!("{err}"))
                .unwrap_or_else(|err| panic!("{title}: {err}"));
            let key = |findings: &[markmodel::validate::Finding]| {
                let mut keys: Vec<String> = findings
                    .iter()
                    .map(|finding| {
                        format!(
                            "{:?} {} {} {}",
                            finding.level, finding.pointer, finding.expected, finding.found
                        )
                    })
                    .collect();
                keys.sort();
                keys
            };
            if key(&streamed) != key(&findings) {
                disagreements.push(format!(
                    "{title} / {}: streaming found {:?}, the value walk {:?}",
                    sample.label,
                    key(&streamed),
                    key(&findings)
                ));
            }
            if checker.is_valid(&sample.json) != valid {
                disagreements.push(format!(
                    "{title} / {}: validate says {valid}: {}",
                    sample.label, sample.json
                ));
            }
            cases += 1;
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {cases} disagree:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    cases
}

#[test]
fn exported_schema_agrees_with_validate_on_specs() {
    let cases = schema_agrees_with_validate(&tests::workspace_root().join("specs"));
    assert!(cases > 1000, "{cases}");
}

#[test]
fn exported_schema_agrees_with_validate_on_the_corpora() {
    for name in ["mistral-python-1.7.0", "mistral-python-2.5.1"] {
        let Some(folder) = tests::corpus(name) else {
            return;
        };
        let cases = schema_agrees_with_validate(&folder);
        assert!(cases > 3000, "{name}: {cases}");
    }
}
