//! Validation throughput on a JSON Lines workload of real models (mistral-python-2.5.1),
//! in one run: `markmodel::validate` (parse to a `Value`, then walk the IR), the
//! `jsonschema` crate on the exported schema, and plain `serde_json` parsing to a `Value`
//! as the floor both stand on. Run: `cargo bench -p bench --bench validate`.
//!
//! The workload holds instances of a few representative models, ~30 MB; it is also
//! written to `target/bench-validate-<Model>.jsonl` for whole-process timing of
//! `xtask validate` (`bash bench/validate.sh`).

use std::path::PathBuf;

use divan::counter::BytesCount;
use serde_json::Value;

/// Models chosen to exercise objects, nested lists, unions, enums and maps.
const MODELS: &[&str] = &[
    "ChatCompletionRequest",
    "ChatCompletionResponse",
    "CompletionFineTuningJobDetails",
    "OCRResponse",
    "ConversationResponse",
];

const TARGET_BYTES: usize = 30 * 1024 * 1024;

struct Workload {
    spec: markmodel::ir::Spec,
    /// (model, JSON Lines text of its instances)
    lines: Vec<(&'static str, String)>,
    bytes: usize,
}

fn corpus() -> PathBuf {
    std::env::var_os("SPEC_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpora"))
        })
        .join("mistral-python-2.5.1")
}

fn workload() -> &'static Workload {
    static WORKLOAD: std::sync::OnceLock<Workload> = std::sync::OnceLock::new();
    WORKLOAD.get_or_init(|| {
        let loaded =
            markmodel::lint(&markmodel::FolderSource::new(corpus())).expect("the corpus reads");
        let spec = loaded.spec.expect("the corpus lowers");
        let per_model = TARGET_BYTES / MODELS.len();
        let sampler = markmodel::sample::Sampler::new(&spec);
        let mut lines = Vec::new();
        let mut all = String::new();
        for &model in MODELS {
            assert!(spec.models.contains_key(model), "no model {model}");
            let mut text = String::new();
            let mut seed = 0;
            while text.len() < per_model {
                let instance = sampler.instance(model, seed).expect("an instance");
                text.push_str(&instance.to_string());
                text.push('\n');
                seed += 1;
            }
            all.push_str(&text);
            let path = format!(
                "{}/../target/bench-validate-{model}.jsonl",
                env!("CARGO_MANIFEST_DIR")
            );
            let _ = std::fs::write(path, &text);
            lines.push((model, text));
        }
        let path = PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../target/bench-validate.jsonl"
        ));
        let _ = std::fs::write(&path, &all);
        let bytes = all.len();
        Workload { spec, lines, bytes }
    })
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 5)]
fn serde_json_to_value(bencher: divan::Bencher) {
    let workload = workload();
    bencher.counter(BytesCount::new(workload.bytes)).bench(|| {
        let mut count = 0;
        for (_, text) in &workload.lines {
            for line in text.lines() {
                let value: Value = serde_json::from_str(line).expect("json");
                count += usize::from(value.is_object());
            }
        }
        count
    });
}

#[divan::bench(sample_count = 5)]
fn codegen_validate(bencher: divan::Bencher) {
    let workload = workload();
    let validator = markmodel::validate::Validator::new(&workload.spec);
    bencher.counter(BytesCount::new(workload.bytes)).bench(|| {
        let mut errors = 0;
        for (model, text) in &workload.lines {
            for line in text.lines() {
                let value: Value = serde_json::from_str(line).expect("json");
                let findings = validator.validate(model, &value).expect("model");
                errors += findings
                    .iter()
                    .filter(|finding| finding.level == markmodel::validate::Level::Error)
                    .count();
            }
        }
        assert_eq!(errors, 0, "the workload is valid");
        errors
    });
}

#[divan::bench(sample_count = 5)]
fn codegen_validate_while_parsing(bencher: divan::Bencher) {
    let workload = workload();
    let validator = markmodel::validate::Validator::new(&workload.spec);
    // One validator per model, as on the jsonschema side.
    let models: Vec<_> = workload
        .lines
        .iter()
        .map(|(model, _)| validator.of(model).expect("model"))
        .collect();
    bencher.counter(BytesCount::new(workload.bytes)).bench(|| {
        let mut errors = 0;
        for ((_, text), validator) in workload.lines.iter().zip(&models) {
            for line in text.lines() {
                let findings = validator.validate_str(line).expect("json");
                errors += findings
                    .iter()
                    .filter(|finding| finding.level == markmodel::validate::Level::Error)
                    .count();
            }
        }
        assert_eq!(errors, 0, "the workload is valid");
        errors
    });
}

#[divan::bench(sample_count = 5)]
fn jsonschema_crate(bencher: divan::Bencher) {
    let workload = workload();
    let validators: Vec<_> = workload
        .lines
        .iter()
        .map(|(model, _)| {
            let schema =
                markmodel::schema::json_schema(&workload.spec, Some(model)).expect("schema");
            jsonschema::validator_for(&schema).expect("a valid schema")
        })
        .collect();
    bencher.counter(BytesCount::new(workload.bytes)).bench(|| {
        let mut invalid = 0;
        for ((_, text), validator) in workload.lines.iter().zip(&validators) {
            for line in text.lines() {
                let value: Value = serde_json::from_str(line).expect("json");
                invalid += usize::from(!validator.is_valid(&value));
            }
        }
        assert_eq!(invalid, 0, "the workload is valid");
        invalid
    });
}
