//! `cargo xtask codegen`: `generated/` is fresh, the generated code is reviewed as
//! snapshots, and every real corpus generates a crate that builds without warnings and
//! round-trips every Example cell.

use std::path::{Path, PathBuf};
use std::process::Command;

use markmodel::emit::{self, ExampleCheck};
use markmodel::output::Mode;
use markmodel::{FolderSource, Generated};
use tests::{copy_dir, corpus, workspace_root};

#[test]
fn generated_is_fresh() {
    let root = workspace_root();
    let source = FolderSource::new(root.join("specs"));
    // As `cargo xtask codegen` generates it: the spec named as the default flag is.
    let options = markmodel::GenerateOptions {
        emit: markmodel::emit::Options {
            spec_label: Some("specs".to_owned()),
            command: Some("cargo xtask codegen".to_owned()),
            ..markmodel::emit::Options::default()
        },
        ..markmodel::GenerateOptions::default()
    };
    let generated =
        markmodel::generate_configured(&source, &options, &root.join("generated"), Mode::Check)
            .unwrap_or_else(|err| panic!("{err}"));
    let Generated::Synced { report, .. } = generated else {
        panic!("specs/ has errors; run `cargo xtask lint`");
    };
    assert!(
        report.is_fresh(),
        "generated/ is stale: run `cargo xtask codegen` and commit.\n{}",
        report.diff
    );
}

fn spec_of(folder: &Path) -> markmodel::ir::Spec {
    let loaded = markmodel::lint(&FolderSource::new(folder)).unwrap_or_else(|err| panic!("{err}"));
    assert!(!loaded.has_errors(), "{} has lint errors", folder.display());
    loaded
        .spec
        .unwrap_or_else(|| panic!("{} produced no IR", folder.display()))
}

/// One snapshot per generated file of `specs/`.
#[test]
fn specs_generated_code() {
    let spec = spec_of(&workspace_root().join("specs"));
    let files = emit::emit(&spec).unwrap_or_else(|err| panic!("{err}"));
    // The runtime support is a copied template, and the IR manifest is the IR, which
    // tests/specs.rs snapshots model by model.
    let skipped = ["src/support.rs", markmodel::manifest::PATH];
    for file in files
        .iter()
        .filter(|file| !skipped.contains(&file.path.as_str()))
    {
        let name = file
            .path
            .trim_start_matches("src/")
            .trim_end_matches(".rs")
            .replace('/', "__");
        insta::assert_snapshot!(format!("specs__{name}"), file.contents);
    }
}

/// The generated code of one model per construct, from the real docs.
#[test]
fn corpus_generated_code_per_construct() {
    let cases: &[(&str, &[&str])] = &[
        (
            "mistral-python-1.7.0",
            &[
                "CompletionDetailedJobOutStatus",  // table-form enum (assumed open)
                "AgentsCompletionRequestMessages", // union tagged by one-value enums
                "AgentsCompletionRequestStop",     // union dispatched on JSON shape
                "File",                            // SDK-only file upload
                "RetryConfig",                     // sub-model link
            ],
        ),
        (
            "mistral-python-2.5.1",
            &[
                "APIEndpoint",                     // open enum, values like "/v1/chat/completions"
                "ConfidenceScoresGranularity",     // closed enum
                "HTTPStatus",                      // open integer enum
                "AgentTool",                       // union tagged by Literal fields
                "Annotations",                     // additional properties
                "TranscriptionStreamDone",         // every presence row
                "SpeechV1AudioSpeechPostResponse", // SDK-only event stream member
                "FilterGroup",                     // keyword fields, recursion
                "Document",                        // deprecated fields
                "AgentsCompletionRequest",         // Example column
            ],
        ),
    ];
    for (name, models) in cases {
        let Some(folder) = corpus(name) else { return };
        let spec = spec_of(&folder);
        let files = emit::emit(&spec).unwrap_or_else(|err| panic!("{err}"));
        for model in *models {
            assert!(
                spec.models.contains_key(*model),
                "{name} has no model `{model}`"
            );
            let module = markmodel::naming::module_name(model);
            let path = format!("src/models/{module}.rs");
            let file = files
                .iter()
                .find(|file| file.path == path)
                .unwrap_or_else(|| panic!("no {path}"));
            insta::assert_snapshot!(format!("{name}__{model}"), file.contents);
        }
    }
}

/// Examples left out of the round-trip, each with why: a substring that identifies it.
const EXCLUDED_EXAMPLES: &[(&str, &str)] = &[
    (
        "1s",
        "a duration given as the example of a `date` field (created_at/updated_at of Prompt, \
         PromptVersion, Skill, SkillVersion in 2.5.1); also an example-type-mismatch lint warning",
    ),
    (
        "1.000340012s",
        "the second example of those fields, also a duration",
    ),
    (
        "\"json_schema\": {",
        "the example sends the key `schema`, while the docs name the field `schema_definition` \
         (the SDK attribute name, which the docs show instead of the JSON key): an overlay fact \
         (`[models.JSONSchema.fields.schema_definition] wire = \"schema\"`), 7 examples in 2.5.1",
    ),
];

/// Example cells of the merged Gr4vy spec that contradict their field's type in the
/// primary (Python) docs, by model and field; each is also an `example-type-mismatch`
/// warning or a `merge-conflict`.
const EXCLUDED_CELLS: &[(&str, &str, &str)] = &[
    (
        "AirlinePassenger",
        "date_of_birth",
        "a date, where the Python docs say datetime (merge-conflict: four other SDKs say date; the primary wins)",
    ),
    ("Recipient", "date_of_birth", "the same"),
    ("DigitalWallet", "domain_names", "one item of a list"),
    (
        "PaymentServiceDefinition",
        "supported_countries",
        "items of a list, one cell each",
    ),
    (
        "ListTransactionsRequest",
        "metadata",
        "a list of maps for a query parameter",
    ),
    (
        "PaymentLink",
        "cart_items",
        "items missing the required `unit_amount`",
    ),
    // gr4vy-ts-2.4.10 alone: the same cells, and cells whose objects show the API's
    // snake_case keys where the TypeScript docs alone assume camelCase ones (merged with
    // the Python docs, the keys are right).
    ("DigitalWallet", "domainNames", "one item of a list"),
    (
        "PaymentServiceDefinition",
        "supportedCountries",
        "items of a list, one cell each",
    ),
    (
        "PaymentLink",
        "cartItems",
        "items missing the required `unitAmount`",
    ),
    ("DlocalPIXSubscriptionOptions", "amount", "snake_case keys"),
    ("DlocalUPIWalletOptions", "recurringInfo", "snake_case keys"),
    ("PaypalOptions", "shipping", "snake_case keys"),
    ("Refund", "creator", "snake_case keys"),
    ("ThreeDSecureScenarioOutcome", "result", "snake_case keys"),
];

/// Item-level `allow`s the emitter may write; each is justified where it is emitted.
const ALLOWED_LINTS: &[&str] = &[
    "#[allow(clippy::enum_variant_names)]",
    "#[allow(clippy::large_enum_variant)]",
    "#[allow(clippy::too_many_arguments)]",
    "#[allow(deprecated)]",
];

/// Every constant field of the spec (JSON key, the constant as JSON): the SDKs write such a
/// field even where an instance leaves it out (pydantic dumps the default of an optional
/// `Literal`), so a round trip may add it.
fn constant_fields(spec: &markmodel::ir::Spec) -> Vec<(String, String)> {
    let mut constants = std::collections::BTreeSet::new();
    for model in spec.models.values() {
        let markmodel::ir::ModelKind::Object(object) = &model.kind else {
            continue;
        };
        for field in &object.fields {
            if let markmodel::ir::Type::Literal(value) = &field.ty {
                let json = serde_json::to_string(value).unwrap_or_default();
                constants.insert((field.wire_name.value.clone(), json));
            }
        }
    }
    constants.into_iter().collect()
}

fn example_harness(checks: &[ExampleCheck], constants: &[(String, String)]) -> String {
    let constants: String = constants
        .iter()
        .map(|(key, json)| format!("({key:?}, {json:?}), "))
        .collect();
    let mut calls = String::new();
    for check in checks {
        let name = if check.field.is_empty() {
            format!("{} ({})", check.model, check.location)
        } else {
            format!("{}.{} ({})", check.model, check.field, check.location)
        };
        calls.push_str(&format!(
            "    check::<{}>({name:?}, {:?}, &mut failures);\n",
            check.rust_type, check.example
        ));
    }
    format!(
        r#"//! Every Example cell of the spec: read as JSON, or else as a string, into its
//! field's type, and written back equal (numbers by value, date-times as instants, and
//! constant fields the SDKs write added).

use serde_json::Value;

/// Constant fields (JSON key, constant as JSON) a round trip may add.
const CONSTANTS: &[(&str, &str)] = &[{constants}];

fn same(a: &Value, b: &Value) -> bool {{
    match (a, b) {{
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) => {{
            x == y
                || matches!(
                    (chrono::DateTime::parse_from_rfc3339(x), chrono::DateTime::parse_from_rfc3339(y)),
                    (Ok(x), Ok(y)) if x == y
                )
        }}
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Value::Object(x), Value::Object(y)) => {{
            x.iter().all(|(key, x)| y.get(key).is_some_and(|y| same(x, y)))
                && y.iter().all(|(key, y)| {{
                    x.contains_key(key)
                        || CONSTANTS.contains(&(key.as_str(), y.to_string().as_str()))
                }})
        }}
        _ => a == b,
    }}
}}

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(name: &str, text: &str, failures: &mut Vec<String>) {{
    let mut candidates = Vec::new();
    if let Ok(value) = serde_json::from_str::<Value>(text) {{
        candidates.push(value);
    }}
    candidates.push(Value::String(text.to_owned()));
    let mut errors = Vec::new();
    for value in candidates {{
        match serde_json::from_value::<T>(value.clone()) {{
            Ok(parsed) => {{
                let back = serde_json::to_value(&parsed).expect("serializes");
                if !same(&value, &back) {{
                    failures.push(format!("{{name}}: {{value}} came back as {{back}}"));
                }}
                return;
            }}
            Err(error) => errors.push(error.to_string()),
        }}
    }}
    failures.push(format!("{{name}}: {{text:?}} does not deserialize: {{}}", errors.join("; ")));
}}

#[test]
fn examples_round_trip() {{
    let mut failures: Vec<String> = Vec::new();
{calls}    assert!(failures.is_empty(), "{{}} of {count} examples fail:\n{{}}", failures.len(), failures.join("\n"));
}}
"#,
        count = checks.len(),
        constants = constants,
    )
}

fn cargo(dir: &Path, target: &Path, args: &[&str], env: &[(&str, &str)]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command
        .output()
        .unwrap_or_else(|err| panic!("cargo {args:?}: {err}"));
    assert!(
        output.status.success(),
        "`cargo {}` failed in {}:\n{}\n{}",
        args.join(" "),
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn generate_corpus_crate(name: &str) -> Option<(PathBuf, PathBuf, usize)> {
    let folder = corpus(name)?;
    Some(generate_crate(&folder, name))
}

/// Generates the crate of the spec in `folder` under `target/corpus-crates/<name>`, with
/// a test module that round-trips every Example cell. Returns the crate folder, the
/// shared target folder, and the number of examples checked.
fn generate_crate(folder: &Path, name: &str) -> (PathBuf, PathBuf, usize) {
    generate_merged_crate(&[(folder, name)], name)
}

/// [`generate_crate`] of several SDKs' docs of one API merged (the first primary), each
/// labelled with its name.
fn generate_merged_crate(sources: &[(&Path, &str)], name: &str) -> (PathBuf, PathBuf, usize) {
    let folders: Vec<FolderSource> = sources
        .iter()
        .map(|(folder, _)| FolderSource::new(folder))
        .collect();
    let labelled: Vec<markmodel::Labelled<'_>> = folders
        .iter()
        .zip(sources)
        .map(|(source, (_, label))| markmodel::Labelled { source, label })
        .collect();
    let loaded = markmodel::lint_sources(&labelled, markmodel::LoadOptions::default())
        .unwrap_or_else(|err| panic!("{err}"));
    let spec = match loaded.spec {
        Some(spec) if !loaded.diagnostics.has_errors() => spec,
        _ => panic!("{name} has errors"),
    };
    let target = workspace_root().join("target/corpus-crates");
    let crate_dir = target.join(name.replace('.', "_"));
    let _ = std::fs::remove_dir_all(&crate_dir);
    std::fs::create_dir_all(&crate_dir).unwrap_or_else(|err| panic!("{err}"));
    // Its own workspace: the crate sits under this workspace's folder but is not a member.
    let manifest = format!("{}\n[workspace]\n", emit::manifest(&name.replace('.', "_")));
    std::fs::write(crate_dir.join("Cargo.toml"), manifest).unwrap_or_else(|err| panic!("{err}"));
    let options = markmodel::GenerateOptions::default();
    let generated = markmodel::generate_sources(&labelled, &options, &crate_dir, Mode::Write)
        .unwrap_or_else(|err| panic!("{err}"));
    assert!(
        matches!(generated, Generated::Synced { .. }),
        "{name} has errors"
    );

    let mut allows = Vec::new();
    for entry in walk(&crate_dir.join("src")) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        assert!(
            !text.contains("#![allow"),
            "{}: a crate- or module-level allow",
            entry.display()
        );
        for line in text
            .lines()
            .map(str::trim)
            .filter(|line| line.starts_with("#[allow"))
        {
            allows.push(line.to_owned());
        }
    }
    for allow in &allows {
        assert!(
            ALLOWED_LINTS.contains(&allow.as_str()),
            "unexpected `{allow}`: justify it in the emitter and list it here"
        );
    }

    let checks: Vec<ExampleCheck> = emit::example_checks(&spec)
        .into_iter()
        .filter(|check| {
            !EXCLUDED_CELLS
                .iter()
                .any(|(model, field, _)| check.model == *model && check.field == *field)
        })
        .filter(|check| {
            !EXCLUDED_EXAMPLES.iter().any(|(marker, _)| {
                check.example == *marker || (marker.len() > 3 && check.example.contains(marker))
            })
        })
        .collect();
    let harness = example_harness(&checks, &constant_fields(&spec));
    std::fs::write(crate_dir.join("src/example_checks.rs"), harness)
        .unwrap_or_else(|err| panic!("{err}"));
    let lib = crate_dir.join("src/lib.rs");
    let mut lib_text = std::fs::read_to_string(&lib).unwrap_or_default();
    if !checks.is_empty() {
        lib_text.push_str("\n#[cfg(test)]\nmod example_checks;\n");
    }
    lib_text.push_str("\n#[cfg(test)]\nmod agreement;\n");
    let (harness, cases) = agreement_harness(&spec);
    std::fs::write(crate_dir.join("src/agreement.rs"), harness)
        .unwrap_or_else(|err| panic!("{err}"));
    std::fs::write(crate_dir.join("agreement.jsonl"), cases).unwrap_or_else(|err| panic!("{err}"));
    std::fs::write(&lib, lib_text).unwrap_or_else(|err| panic!("{err}"));
    (crate_dir, target.join("target"), checks.len())
}

/// `validate` and the generated types must agree on every payload: the samples the
/// IR gives for every model (valid instances, and mutations of them: a missing required
/// field, a wrong type, a null where none is allowed, an unknown value of a closed enum,
/// a wrong or missing tag). Each case carries `validate`'s verdict; the generated crate's
/// test deserializes the payload into the model's type and compares.
fn agreement_harness(spec: &markmodel::ir::Spec) -> (String, String) {
    let mut arms = String::new();
    let mut cases = String::new();
    let mut counted = std::collections::BTreeMap::<&str, usize>::new();
    let mut disagreements = Vec::new();
    let validator = markmodel::validate::Validator::new(spec);
    for (title, model) in &spec.models {
        let ty = markmodel::naming::type_name(title);
        arms.push_str(&format!(
            "        {title:?} => serde_json::from_str::<crate::{ty}>(json).map(drop).map_err(|e| e.to_string()),\n"
        ));
        for sample in markmodel::sample::samples(spec, title) {
            let findings = validator
                .validate(title, &sample.json)
                .unwrap_or_else(|err| panic!("{err}"));
            let valid = !findings
                .iter()
                .any(|f| f.level == markmodel::validate::Level::Error);
            if valid != sample.valid {
                disagreements.push(format!(
                    "{title} / {}: the sample says valid={}, validate says {valid}: {findings:?}",
                    sample.label, sample.valid
                ));
            }
            let line = serde_json::json!({
                "model": title,
                "label": sample.label,
                "json": sample.json.to_string(),
                "valid": valid,
            });
            cases.push_str(&line.to_string());
            cases.push('\n');
            *counted
                .entry(match model.kind {
                    markmodel::ir::ModelKind::Object(_) => "object",
                    markmodel::ir::ModelKind::Enum(_) => "enum",
                    markmodel::ir::ModelKind::Union(_) => "union",
                })
                .or_default() += 1;
        }
    }
    // Every Example cell, read as JSON and as a string, in a minimal valid instance of
    // its model: real values, whatever their verdict, must get the same one from both.
    let mut examples = 0;
    for check in emit::example_checks(spec) {
        let Some(base) = markmodel::sample::samples(spec, &check.model)
            .into_iter()
            .find(|sample| sample.valid && sample.json.is_object())
        else {
            continue;
        };
        let Some(markmodel::ir::ModelKind::Object(object)) =
            spec.models.get(&check.model).map(|m| &m.kind)
        else {
            continue;
        };
        let Some(field) = object.fields.iter().find(|field| field.name == check.field) else {
            continue;
        };
        let mut readings = vec![serde_json::Value::String(check.example.clone())];
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(&check.example) {
            readings.insert(0, json);
        }
        for reading in readings {
            let mut instance = base.json.clone();
            if let Some(map) = instance.as_object_mut() {
                map.insert(field.wire_name.value.clone(), reading);
            }
            let findings = validator
                .validate(&check.model, &instance)
                .unwrap_or_else(|err| panic!("{err}"));
            let valid = !findings
                .iter()
                .any(|f| f.level == markmodel::validate::Level::Error);
            let line = serde_json::json!({
                "model": check.model,
                "label": format!("example of `{}` ({})", check.field, check.location),
                "json": instance.to_string(),
                "valid": valid,
            });
            cases.push_str(&line.to_string());
            cases.push('\n');
            examples += 1;
        }
    }
    assert!(
        examples > 0 || emit::example_checks(spec).is_empty(),
        "no example case was built"
    );
    assert!(
        disagreements.is_empty(),
        "sample verdicts disagree with validate:\n{}",
        disagreements.join("\n")
    );
    assert!(
        counted.len() == 3 || spec.models.len() < 20,
        "samples do not cover every kind: {counted:?}"
    );
    let harness = format!(
        r#"//! `validate` and the generated types agree on every sample payload.

fn deserialize(model: &str, json: &str) -> Result<(), String> {{
    match model {{
{arms}        other => panic!("no model {{other}}"),
    }}
}}

#[test]
fn validate_agrees_with_the_generated_types() {{
    let mut failures: Vec<String> = Vec::new();
    let mut count = 0;
    for line in include_str!("../agreement.jsonl").lines() {{
        let case: serde_json::Value = serde_json::from_str(line).expect("a case");
        let model = case["model"].as_str().expect("model");
        let json = case["json"].as_str().expect("json");
        let valid = case["valid"].as_bool().expect("valid");
        let result = deserialize(model, json);
        if result.is_ok() != valid {{
            failures.push(format!("{{model}} / {{}}: validate says valid={{valid}}, the type says {{result:?}}: {{json}}", case["label"]));
        }}
        count += 1;
    }}
    assert!(count > 0);
    assert!(failures.is_empty(), "{{}} of {{count}} disagree:\n{{}}", failures.len(), failures.join("\n"));
}}
"#
    );
    (harness, cases)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn corpus_crate_builds_and_round_trips(name: &str, minimum_examples: usize) {
    let Some((crate_dir, target, examples)) = generate_corpus_crate(name) else {
        return;
    };
    assert!(
        examples >= minimum_examples,
        "{name}: only {examples} examples"
    );
    build_without_warnings(&crate_dir, &target);
}

/// Builds, lints, tests and documents a generated crate, every warning an error.
fn build_without_warnings(crate_dir: &Path, target: &Path) {
    let deny = [("RUSTFLAGS", "-D warnings")];
    cargo(
        crate_dir,
        target,
        &["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"],
        &deny,
    );
    cargo(crate_dir, target, &["test", "--quiet"], &deny);
    cargo(
        crate_dir,
        target,
        &["doc", "--no-deps", "--quiet"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    );
}

#[test]
fn python_1_7_0_crate_builds_and_round_trips() {
    corpus_crate_builds_and_round_trips("mistral-python-1.7.0", 60);
}

#[test]
fn python_2_5_1_crate_builds_and_round_trips() {
    corpus_crate_builds_and_round_trips("mistral-python-2.5.1", 80);
}

/// Models named like std and serde items (`Option`, `Result`, `String`, `Box`, `Ok`,
/// `Serialize`...), with keyword fields and cycles, still generate a crate that builds.
#[test]
fn specs_crate_agrees_with_validate() {
    let (crate_dir, target, _) = generate_crate(&workspace_root().join("specs"), "specs");
    build_without_warnings(&crate_dir, &target);
}

#[test]
fn std_names_never_break_the_build() {
    let folder = tests::tests_dir().join("fixtures/good/std-names");
    let (crate_dir, target, _) = generate_crate(&folder, "std-names");
    build_without_warnings(&crate_dir, &target);
}

/// Strict verdicts of `validate` on every payload: (invalid, warnings).
fn strict_verdicts(specs: &Path, payloads: &[serde_json::Value]) -> (usize, usize) {
    let spec = spec_of(specs);
    let mut invalid = 0;
    let mut warnings = 0;
    for payload in payloads {
        let findings = markmodel::validate::validate(&spec, "BatchJob", payload)
            .unwrap_or_else(|err| panic!("{err}"));
        invalid += usize::from(!findings.is_empty());
        warnings += findings
            .iter()
            .filter(|finding| finding.level == markmodel::validate::Level::Warning)
            .count();
    }
    (invalid, warnings)
}

/// Generates the crate and a test that round-trips every payload through `BatchJob`:
/// all must come back equal when `lossless`, and at least one must not otherwise.
fn payload_round_trip(specs: &Path, name: &str, payloads: &str, lossless: bool) {
    let (crate_dir, target, _) = generate_crate(specs, name);
    let harness = format!(
        r#"//! The learn fixture's payloads through the generated `BatchJob`.

#[test]
fn payloads_round_trip() {{
    let mut lost = Vec::new();
    for line in {payloads:?}.lines() {{
        let value: serde_json::Value = serde_json::from_str(line).expect("json");
        match serde_json::from_value::<crate::BatchJob>(value.clone()) {{
            Ok(job) => {{
                let back = serde_json::to_value(&job).expect("serializes");
                if back != value {{
                    lost.push(format!("{{value}} came back as {{back}}"));
                }}
            }}
            Err(error) => lost.push(format!("{{value}}: {{error}}")),
        }}
    }}
    if {lossless} {{
        assert!(lost.is_empty(), "{{}}", lost.join("\n"));
    }} else {{
        assert!(!lost.is_empty(), "every payload round-trips already");
    }}
}}
"#
    );
    std::fs::write(crate_dir.join("src/payloads.rs"), harness)
        .unwrap_or_else(|err| panic!("{err}"));
    let lib = crate_dir.join("src/lib.rs");
    let mut lib_text = std::fs::read_to_string(&lib).unwrap_or_default();
    lib_text.push_str("#[cfg(test)]\nmod payloads;\n");
    std::fs::write(&lib, lib_text).unwrap_or_else(|err| panic!("{err}"));
    build_without_warnings(&crate_dir, &target);
}

/// `learn` end to end, on payloads whose keys and nulls differ from the docs: before,
/// `validate --strict` fails and the generated types lose data; `learn --write` adds the
/// overlay entries; after, both pass and every payload round-trips.
#[test]
fn learn_makes_payloads_validate_and_round_trip() {
    let fixture = tests::tests_dir().join("fixtures/learn");
    let specs = workspace_root().join("target/learn-e2e/specs");
    let _ = std::fs::remove_dir_all(&specs);
    copy_dir(&fixture.join("specs"), &specs);
    let text = std::fs::read_to_string(fixture.join("payloads.jsonl"))
        .unwrap_or_else(|err| panic!("{err}"));
    let payloads: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}")))
        .collect();

    let (invalid, warnings) = strict_verdicts(&specs, &payloads);
    assert_eq!(
        (invalid, warnings),
        (6, 6),
        "before learning: strict findings"
    );
    payload_round_trip(&specs, "learn-before", &text, false);

    let proposals = markmodel::learn::learn(&spec_of(&specs), "BatchJob", &payloads)
        .unwrap_or_else(|err| panic!("{err}"));
    let merged =
        markmodel::learn::merge_into_overlay("", &proposals).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        (merged.added, merged.conflicts.len()),
        (4, 0),
        "{}",
        merged.text
    );
    std::fs::write(specs.join("overlay.toml"), &merged.text).unwrap_or_else(|err| panic!("{err}"));
    let again = markmodel::learn::merge_into_overlay(&merged.text, &proposals)
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        (again.added, again.kept, again.text == merged.text),
        (0, 4, true),
        "learning twice changes nothing"
    );

    assert_eq!(
        strict_verdicts(&specs, &payloads),
        (0, 0),
        "after learning: strict findings"
    );
    payload_round_trip(&specs, "learn-after", &text, true);
}

/// Generates the crate of `folder` under `target/corpus-crates/<name>` and lints it with
/// clippy, every warning an error (a check build: the Python corpora above also build,
/// test and document theirs).
fn clippy_clean_crate(folder: &Path, name: &str) {
    let target = workspace_root().join("target/corpus-crates");
    let crate_dir = target.join(name.replace('.', "_"));
    let _ = std::fs::remove_dir_all(&crate_dir);
    std::fs::create_dir_all(&crate_dir).unwrap_or_else(|err| panic!("{err}"));
    let manifest = format!("{}\n[workspace]\n", emit::manifest(&name.replace('.', "_")));
    std::fs::write(crate_dir.join("Cargo.toml"), manifest).unwrap_or_else(|err| panic!("{err}"));
    let generated = markmodel::generate(&FolderSource::new(folder), &crate_dir, Mode::Write)
        .unwrap_or_else(|err| panic!("{err}"));
    assert!(
        matches!(generated, Generated::Synced { .. }),
        "{name} has errors"
    );
    cargo(
        &crate_dir,
        &target.join("target"),
        &["clippy", "--quiet", "--", "-D", "warnings"],
        &[("RUSTFLAGS", "-D warnings")],
    );
}

/// The Gr4vy docs of six SDKs merged, and Mistral's Python and TypeScript docs merged,
/// generate crates that build, lint and document without a warning, and whose tests
/// round-trip every example: the Example cells and the TypeScript example instances.
#[test]
fn merged_corpus_crates_build_and_round_trip() {
    for (name, sources) in [
        (
            "merged-gr4vy",
            &[
                "gr4vy-python-2.3.12",
                "gr4vy-ts-2.4.10",
                "gr4vy-go-1.12.128",
                "gr4vy-java-2.18.13",
                "gr4vy-csharp-2.8.62",
                "gr4vy-php-1.7.7",
            ][..],
        ),
        (
            "merged-mistral",
            &["mistral-python-2.5.1", "mistral-ts-2.6.1"][..],
        ),
    ] {
        let Some(folders) = sources
            .iter()
            .map(|name| corpus(name))
            .collect::<Option<Vec<_>>>()
        else {
            return;
        };
        let labelled: Vec<(&Path, &str)> = folders
            .iter()
            .map(PathBuf::as_path)
            .zip(sources.iter().copied())
            .collect();
        let (crate_dir, target, examples) = generate_merged_crate(&labelled, name);
        assert!(examples > 600, "{name}: only {examples} examples");
        build_without_warnings(&crate_dir, &target);
    }
}

/// Both TypeScript corpora alone: every example instance their code gives round-trips.
#[test]
fn typescript_corpus_crates_build_and_round_trip() {
    corpus_crate_builds_and_round_trips("mistral-ts-2.6.1", 1200);
    corpus_crate_builds_and_round_trips("gr4vy-ts-2.4.10", 650);
}

/// The corpora of every other dialect and generator generation generate crates that
/// pass clippy with every warning denied.
#[test]
fn every_dialect_corpus_crate_is_clippy_clean() {
    for name in [
        "gr4vy-python-2.3.12",
        "airbyte-python-0.47.3",
        "gr4vy-go-1.12.128",
        "gr4vy-java-2.18.13",
        "gr4vy-csharp-2.8.62",
        "gr4vy-php-1.7.7",
        "dub-ruby-0.12.4",
    ] {
        let Some(folder) = corpus(name) else { return };
        clippy_clean_crate(&folder, name);
    }
}

/// Each dialect's fixture spec builds, tests and documents cleanly.
#[test]
fn dialect_fixture_crates_build() {
    for dialect in markmodel::dialect::Dialect::ALL {
        let folder = tests::tests_dir()
            .join("fixtures/dialects")
            .join(dialect.name());
        let (crate_dir, target, _) = generate_crate(&folder, &format!("dialect-{dialect}"));
        build_without_warnings(&crate_dir, &target);
    }
}
