//! The reader, the IR and the lint on every real doc of the corpora.

use std::collections::BTreeMap;
use std::path::Path;

use markmodel::diagnostic::{Code, Severity};
use markmodel::ir::{ModelKind, Spec};
use markmodel::render::{self, Format};
use markmodel::{FolderSource, Loaded};
use tests::{corpus, markdown_files};

fn lint(folder: &Path) -> Loaded {
    markmodel::lint(&FolderSource::new(folder))
        .unwrap_or_else(|err| panic!("{}: {err}", folder.display()))
}

fn python_spec(name: &str) -> Option<(Loaded, Spec)> {
    let folder = corpus(name)?;
    let loaded = lint(&folder);
    let rendered = render::render(&loaded.diagnostics, &loaded.files, Format::Human);
    assert!(!loaded.has_errors(), "{name} has lint errors:\n{rendered}");
    // The only warnings are Example cells that contradict their type: `created_at`
    // and `updated_at` (dates) of a few 2.5.1 models give durations (`1s`) as examples.
    let unexpected: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .filter(|d| {
            d.code != Code::ExampleTypeMismatch
                || !(d.message.contains("example `1s`")
                    || d.message.contains("example `1.000340012s`"))
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "{name} has unexpected lint warnings: {unexpected:#?}"
    );
    let spec = loaded
        .spec
        .clone()
        .unwrap_or_else(|| panic!("{name} produced no IR"));
    Some((loaded, spec))
}

/// (objects, enums, unions) among top-level models, and the sub-models.
fn kinds(spec: &Spec) -> ((usize, usize, usize), usize) {
    let mut counts = (0, 0, 0);
    let mut sub_models = 0;
    for model in spec.models.values() {
        if model.parent.is_some() {
            sub_models += 1;
            continue;
        }
        match model.kind {
            ModelKind::Object(_) => counts.0 += 1,
            ModelKind::Enum(_) => counts.1 += 1,
            ModelKind::Union(_) => counts.2 += 1,
        }
    }
    (counts, sub_models)
}

#[test]
fn python_1_7_0_reads_every_model() {
    let Some((loaded, spec)) = python_spec("mistral-python-1.7.0") else {
        return;
    };
    assert_eq!(loaded.documents, 215);
    assert_eq!(kinds(&spec), ((116, 49, 50), 1));
    assert!(spec.models["BackoffStrategy"].parent.as_deref() == Some("RetryConfig"));
}

#[test]
fn python_2_5_1_reads_every_model() {
    let Some((loaded, spec)) = python_spec("mistral-python-2.5.1") else {
        return;
    };
    assert_eq!(loaded.documents, 1051);
    assert_eq!(kinds(&spec), ((779, 110, 162), 1));
    assert!(spec.models["BackoffStrategy"].parent.as_deref() == Some("RetryConfig"));
}

/// Rows of Fields tables, counted from the raw text without the reader: a table whose
/// header's second column is `Type`, one row per line after the separator.
fn field_rows(text: &str) -> usize {
    let mut rows = 0;
    let mut in_fields_table = false;
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r');
        if !line.starts_with('|') {
            in_fields_table = false;
            continue;
        }
        let second = line.split('|').nth(2).map(str::trim);
        if second == Some("Type") {
            in_fields_table = true;
        } else if in_fields_table && !line.starts_with("| -") {
            rows += 1;
        }
    }
    rows
}

fn every_row_is_one_field(name: &str) {
    let Some(folder) = corpus(name) else { return };
    let loaded = lint(&folder);
    let spec = loaded
        .spec
        .unwrap_or_else(|| panic!("{name} produced no IR"));
    let mut per_file: BTreeMap<String, usize> = BTreeMap::new();
    for model in spec.models.values() {
        if let ModelKind::Object(object) = &model.kind {
            *per_file.entry(model.location.file.clone()).or_default() +=
                object.fields.len() + usize::from(object.additional_properties.is_some());
        }
    }
    let mut rows_total = 0;
    for path in markdown_files(&folder) {
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap_or_default()).into_owned();
        let relative = path
            .strip_prefix(&folder)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let rows = field_rows(&text);
        rows_total += rows;
        assert_eq!(
            per_file.get(&relative).copied().unwrap_or(0),
            rows,
            "{relative}: table rows and IR fields (+ additional-properties flag) differ"
        );
    }
    assert!(
        rows_total > 500,
        "{name}: only {rows_total} rows found; the row scan is broken"
    );
}

#[test]
fn python_1_7_0_every_row_is_one_field() {
    every_row_is_one_field("mistral-python-1.7.0");
}

#[test]
fn python_2_5_1_every_row_is_one_field() {
    every_row_is_one_field("mistral-python-2.5.1");
}

/// Lint summaries of each corpus: the notes (counts per kind of assumption).
#[test]
fn corpus_lint_summaries() {
    for name in [
        "mistral-python-1.7.0",
        "mistral-python-2.5.1",
        "mistral-ts-2.6.1",
    ] {
        let Some(folder) = corpus(name) else { return };
        let loaded = lint(&folder);
        let rendered = render::render(&loaded.diagnostics, &loaded.files, Format::Human);
        // Paths in snippets depend on where the corpora are; keep them spec-relative.
        let rendered = rendered.replace(&format!("{}/", folder.display()), "");
        insta::assert_snapshot!(format!("lint__{name}"), rendered);
    }
}

/// The IR of one model per construct, from the real docs.
#[test]
fn corpus_ir_per_construct() {
    let cases: &[(&str, &[&str])] = &[
        (
            "mistral-python-1.7.0",
            &[
                "CompletionDetailedJobOutStatus",  // table-form enum
                "AssistantMessageRole",            // one-value enum used as a tag
                "AgentsCompletionRequestMessages", // union tagged by one-value enums
                "AgentsCompletionRequestStop",     // union of primitives
                "OCRRequest",                      // object with every wrapper
                "File",                            // SDK-only file upload
                "RetryConfig",                     // backticked types, sub-model link
                "BackoffStrategy",                 // the sub-model
            ],
        ),
        (
            "mistral-python-2.5.1",
            &[
                "APIEndpoint",                     // open list-form enum
                "ConfidenceScoresGranularity",     // closed list-form enum
                "ScheduleOverlapPolicy",           // integer enum
                "AgentTool",                       // union tagged by Literal fields
                "Annotations",                     // __pydantic_extra__
                "TranscriptionStreamDone",         // object with every wrapper
                "SpeechV1AudioSpeechPostResponse", // SDK-only event stream member
                "FilterGroup",                     // reserved-word suffix (and_, or_)
                "Document",                        // deprecated fields
                "AgentsCompletionRequest",         // Example column
                "CompletionFineTuningJobDetails",  // the seed's successor
            ],
        ),
    ];
    for (name, models) in cases {
        let Some((_, spec)) = python_spec(name) else {
            return;
        };
        for model in *models {
            let ir = spec
                .models
                .get(*model)
                .unwrap_or_else(|| panic!("{name} has no model `{model}`"));
            let json =
                serde_json::to_string_pretty(ir).unwrap_or_else(|err| panic!("{model}: {err}"));
            insta::assert_snapshot!(format!("ir__{name}__{model}"), json);
        }
    }
}
