//! The fast first pass of `Validator::validate_json` against the streaming passes it
//! stands in front of: on every instance the other tests use (the SDK truth, the
//! corpora's examples, the fixtures, sample instances) and on systematic mutations of
//! each, the fast pass may call an instance clean only when the streaming passes find
//! nothing and read the text as JSON; `validate_json` must return what they return; and
//! the fast pass must call most clean instances clean, or it is no fast path.

use std::path::Path;

use markmodel::ir::Spec;
use markmodel::validate::Validator;
use serde_json::Value;
use tests::{corpus, tests_dir, workspace_root};

/// What one run of the differential saw.
#[derive(Debug, Default)]
struct Tally {
    cases: usize,
    /// Cases the streaming passes find clean.
    clean: usize,
    /// Of those, the ones the fast pass calls clean.
    clean_and_fast: usize,
    /// Unmutated instances the streaming passes find clean, and the fast pass's share.
    originals_clean: usize,
    originals_fast: usize,
    failures: Vec<String>,
}

impl Tally {
    /// One text: the fast pass's verdict must be sound, and `validate_json` the same as
    /// the streaming passes.
    fn check(&mut self, validator: &Validator<'_>, model: &str, text: &[u8], original: bool) {
        let fast = validator
            .is_certainly_clean(model, text)
            .unwrap_or_else(|err| panic!("{err}"));
        let streamed = validator
            .validate_json_streaming(model, text)
            .unwrap_or_else(|err| panic!("{err}"));
        let whole = validator
            .validate_json(model, text)
            .unwrap_or_else(|err| panic!("{err}"));
        let clean = matches!(&streamed, Ok(findings) if findings.is_empty());
        self.cases += 1;
        if clean {
            self.clean += 1;
            self.clean_and_fast += usize::from(fast);
            if original {
                self.originals_clean += 1;
                self.originals_fast += usize::from(fast);
                if !fast && std::env::var_os("SHOW_UNSURE").is_some() {
                    eprintln!("UNSURE {model}: {}", String::from_utf8_lossy(text));
                }
            }
        }
        let shown = || {
            String::from_utf8_lossy(text)
                .chars()
                .take(400)
                .collect::<String>()
        };
        if fast && !clean {
            self.failures.push(format!(
                "{model}: the fast pass says clean, the streaming passes {streamed:?}: {}",
                shown()
            ));
        } else if whole != streamed {
            self.failures.push(format!(
                "{model}: validate_json {whole:?}, the streaming passes {streamed:?}: {}",
                shown()
            ));
        }
    }

    /// An instance and its mutations; `seed` rotates which mutations each place gets.
    fn instance(&mut self, validator: &Validator<'_>, model: &str, value: &Value, seed: usize) {
        self.check(validator, model, value.to_string().as_bytes(), true);
        for text in mutations(value, seed) {
            self.check(validator, model, &text, false);
        }
    }

    fn assert_sound(&self, what: &str) {
        assert!(
            self.failures.is_empty(),
            "{what}: {} of {} cases:\n{}",
            self.failures.len(),
            self.cases,
            self.failures
                .iter()
                .take(20)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }

    /// The share of clean unmutated instances the fast pass decides alone.
    fn fast_share(&self) -> f64 {
        self.originals_fast as f64 / self.originals_clean.max(1) as f64
    }

    fn report(&self, what: &str) {
        eprintln!(
            "{what}: {} cases, {} clean ({} decided fast); clean originals decided fast: {}/{} ({:.1}%)",
            self.cases,
            self.clean,
            self.clean_and_fast,
            self.originals_fast,
            self.originals_clean,
            100.0 * self.fast_share()
        );
    }
}

/// One step of a path into a value.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every place in `value` (the whole first), in document order.
fn places(value: &Value, path: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, Value)>) {
    out.push((path.clone(), value.clone()));
    match value {
        Value::Object(entries) => {
            for (key, entry) in entries {
                path.push(Step::Key(key.clone()));
                places(entry, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(Step::Index(index));
                places(item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |node, step| match step {
        Step::Key(key) => node.get_mut(key.as_str()),
        Step::Index(index) => node.get_mut(*index),
    })
}

/// The text of `value` with the place at `path` written as `raw` (any bytes).
fn with_raw(value: &Value, path: &[Step], raw: &[u8]) -> Option<Vec<u8>> {
    const MARK: &str = "\u{1}mark\u{1}";
    let mut marked = value.clone();
    *at_mut(&mut marked, path)? = Value::String(MARK.to_owned());
    let text = marked.to_string();
    let mark = serde_json::to_string(MARK).ok()?;
    let at = text.find(&mark)?;
    let mut out = text.as_bytes()[..at].to_vec();
    out.extend_from_slice(raw);
    out.extend_from_slice(&text.as_bytes()[at + mark.len()..]);
    Some(out)
}

/// The text of `value` with the place at `path` replaced by `replacement`.
fn with_value(value: &Value, path: &[Step], replacement: Value) -> Option<Vec<u8>> {
    let mut changed = value.clone();
    *at_mut(&mut changed, path)? = replacement;
    Some(changed.to_string().into_bytes())
}

/// The text of `value` without the key at `path`.
fn without(value: &Value, path: &[Step]) -> Option<Vec<u8>> {
    let (Step::Key(key), parent) = path.split_last()? else {
        return None;
    };
    let mut changed = value.clone();
    at_mut(&mut changed, parent)?.as_object_mut()?.remove(key)?;
    Some(changed.to_string().into_bytes())
}

/// An object's text with its first entry given twice (the second time with `again`).
fn duplicated_first_key(entries: &serde_json::Map<String, Value>, again: &Value) -> Vec<u8> {
    let mut out = String::from("{");
    if let Some((key, first)) = entries.iter().next() {
        let key = serde_json::to_string(key).unwrap_or_default();
        out.push_str(&format!("{key}:{first},{key}:{again}"));
        for (key, entry) in entries.iter().skip(1) {
            let key = serde_json::to_string(key).unwrap_or_default();
            out.push_str(&format!(",{key}:{entry}"));
        }
    }
    out.push('}');
    out.into_bytes()
}

/// Replacements for any place: wrong kinds, null, numbers near serde_json's edges.
const ANY_PLACE: &[&str] = &[
    "null",
    "0",
    "1.5",
    "-0",
    "\"x\"",
    "\"zz-undocumented\"",
    "true",
    "[]",
    "{}",
    "1.0",
    "1e2",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "18446744073709551616",
    "1e400",
    "01",
    "1.",
    "-",
    ".5",
    "+1",
    "1e",
    "nul",
    "[1,]",
    "{\"a\":1,}",
    "\"2024-01-01T00:00:00Z\"",
    "\"2024-01-01\"",
    "\"2024-13-01\"",
];

/// What goes right after a string's opening quote.
const STRING_INSERTS: &[&[u8]] = &[
    br"\n",
    br"\u00e9",
    br"\/",
    br"\x",
    br"\ud800",
    br"\ud83d\ude00",
    br"\u12",
    b"\x01",
    b"\xff",
    b"\xc3",
    br#"\""#,
];

/// Mutations of one instance: a few per place (rotated by `seed`, so all of them are
/// used across instances) and some of the whole text.
fn mutations(value: &Value, seed: usize) -> Vec<Vec<u8>> {
    let mut all = Vec::new();
    places(value, &mut Vec::new(), &mut all);
    // A dozen places, spread over the instance, bound the run on large instances.
    let stride = all.len().div_ceil(12).max(1);
    let mut out = Vec::new();
    for (number, (path, node)) in all.iter().enumerate().skip(seed % stride).step_by(stride) {
        let turn = seed + number;
        out.extend(without(value, path));
        for offset in 0..3 {
            let raw = ANY_PLACE[(turn * 3 + offset) % ANY_PLACE.len()];
            out.extend(with_raw(value, path, raw.as_bytes()));
        }
        out.extend(with_raw(value, path, &deep(turn)));
        match node {
            Value::Object(entries) => {
                let mut extended = entries.clone();
                extended.insert("zz_undocumented_key".to_owned(), Value::from(1));
                out.extend(with_value(value, path, Value::Object(extended)));
                if let Some((_, first)) = entries.iter().next() {
                    out.extend(with_raw(value, path, &duplicated_first_key(entries, first)));
                    out.extend(with_raw(
                        value,
                        path,
                        &duplicated_first_key(entries, &Value::Null),
                    ));
                }
            }
            Value::String(text) => {
                let insert = STRING_INSERTS[turn % STRING_INSERTS.len()];
                let quoted = serde_json::to_string(text).unwrap_or_default();
                let mut raw = b"\"".to_vec();
                raw.extend_from_slice(insert);
                raw.extend_from_slice(&quoted.as_bytes()[1..]);
                out.extend(with_raw(value, path, &raw));
                out.extend(with_value(value, path, Value::String(format!("{text}~zz"))));
            }
            Value::Array(items) if !items.is_empty() => {
                let mut longer = items.clone();
                longer.push(items[0].clone());
                out.extend(with_value(value, path, Value::Array(longer)));
            }
            _ => {}
        }
    }
    let text = value.to_string().into_bytes();
    for cut in [
        1,
        text.len() / 3,
        text.len() / 2,
        text.len().saturating_sub(1),
    ] {
        out.push(text[..cut.min(text.len())].to_vec());
    }
    for (before, after) in [
        ("", " x"),
        ("", "\n"),
        (" \t\r\n", " "),
        ("\u{feff}", ""),
        ("", ","),
        ("", "}"),
    ] {
        out.push([before.as_bytes(), &text, after.as_bytes()].concat());
    }
    out.push(
        serde_json::to_string_pretty(value)
            .unwrap_or_default()
            .into_bytes(),
    );
    out
}

/// Arrays nested around the serde_json limit (128) and the fast pass's own (100).
fn deep(turn: usize) -> Vec<u8> {
    let levels = [5, 99, 100, 101, 127, 128, 130][turn % 7];
    [b"[".repeat(levels), b"]".repeat(levels)].concat()
}

fn load(folder: &Path) -> Spec {
    let loaded = markmodel::load(&markmodel::FolderSource::new(folder))
        .unwrap_or_else(|err| panic!("{err}"));
    loaded
        .spec
        .unwrap_or_else(|| panic!("{} lowers", folder.display()))
}

/// The generated samples of every model and the instances of the workload (`Sampler`,
/// as `bench/examples/workload.rs` writes them), with their mutations.
fn samples_and_workload(spec: &Spec, workload_seeds: u64) -> (Tally, Tally) {
    let validator = Validator::new(spec);
    let mut samples = Tally::default();
    for (index, title) in spec.models.keys().enumerate() {
        for (number, sample) in markmodel::sample::samples(spec, title).iter().enumerate() {
            samples.instance(&validator, title, &sample.json, index + number);
        }
    }
    let sampler = markmodel::sample::Sampler::new(spec);
    let mut workload = Tally::default();
    for title in spec.models.keys() {
        for seed in 0..workload_seeds {
            if let Some(instance) = sampler.instance(title, seed) {
                let text = instance.to_string();
                workload.check(&validator, title, text.as_bytes(), true);
            }
        }
    }
    (samples, workload)
}

#[test]
fn fast_pass_is_sound_on_specs_samples() {
    let spec = load(&workspace_root().join("specs"));
    let (samples, workload) = samples_and_workload(&spec, 20);
    samples.report("specs/ samples");
    workload.report("specs/ sampler instances");
    samples.assert_sound("specs/ samples");
    workload.assert_sound("specs/ sampler instances");
    assert!(samples.cases > 5_000, "{}", samples.cases);
    assert!(samples.fast_share() > 0.95, "{}", samples.fast_share());
    assert!(workload.fast_share() > 0.98, "{}", workload.fast_share());
}

/// The union cases and the learning payloads of `fixtures/`.
#[test]
fn fast_pass_is_sound_on_fixtures() {
    let specs = load(&workspace_root().join("specs"));
    let learn = load(&tests_dir().join("fixtures/learn/specs"));
    let mut tally = Tally::default();
    let cases = std::fs::read_to_string(tests_dir().join("fixtures/unions/cases.jsonl"))
        .unwrap_or_else(|err| panic!("{err}"));
    let validator = Validator::new(&specs);
    for (seed, line) in cases
        .lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
    {
        let case: Value = serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}"));
        let model = case["model"].as_str().unwrap_or_default();
        tally.instance(&validator, model, &case["json"], seed);
    }
    let payloads = std::fs::read_to_string(tests_dir().join("fixtures/learn/payloads.jsonl"))
        .unwrap_or_else(|err| panic!("{err}"));
    let validator = Validator::new(&learn);
    for (seed, line) in payloads
        .lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
    {
        let payload: Value = serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}"));
        tally.instance(&validator, "BatchJob", &payload, seed);
    }
    tally.report("fixtures");
    tally.assert_sound("fixtures");
    assert!(tally.cases > 500, "{}", tally.cases);
    assert!(tally.originals_fast > 0, "{tally:?}");
}

/// `mistral-python-2.5.1`, the corpus of the benchmark's workload: the samples, the docs'
/// examples, and the workload's instances, most of which must be decided fast.
#[test]
fn fast_pass_is_sound_on_the_benchmark_corpus() {
    let Some(folder) = corpus("mistral-python-2.5.1") else {
        return;
    };
    let spec = load(&folder);
    let (samples, workload) = samples_and_workload(&spec, 5);
    samples.report("mistral-python-2.5.1 samples");
    workload.report("mistral-python-2.5.1 sampler instances");
    samples.assert_sound("mistral-python-2.5.1 samples");
    workload.assert_sound("mistral-python-2.5.1 sampler instances");
    assert!(workload.fast_share() > 0.98, "{}", workload.fast_share());
    assert!(samples.fast_share() > 0.95, "{}", samples.fast_share());
}

/// Every corpus's documented examples (Example Usage blocks, union member examples).
#[test]
fn fast_pass_is_sound_on_corpus_examples() {
    let names = [
        "mistral-python-2.5.1",
        "mistral-ts-2.6.1",
        "gr4vy-ts-2.4.10",
        "dub-ruby-0.12.4",
        "airbyte-python-0.47.3",
    ];
    let mut tally = Tally::default();
    for name in names {
        let Some(folder) = corpus(name) else {
            return;
        };
        let spec = load(&folder);
        let validator = Validator::new(&spec);
        for (index, model) in spec.models.values().enumerate() {
            for (number, example) in model.examples.iter().enumerate() {
                tally.instance(&validator, &model.name, &example.value, index + number);
            }
        }
    }
    tally.report("corpus examples");
    tally.assert_sound("corpus examples");
    assert!(tally.cases > 1_000, "{}", tally.cases);
}

/// The official SDK's accepted and rejected instances (`../shared/sdk-truth`).
#[test]
fn fast_pass_is_sound_on_the_sdk_truth() {
    let folder = workspace_root().join("../shared/sdk-truth/mistral-python-1.7.0");
    if !folder.join("fields.tsv").is_file() {
        let message = format!("SDK truth not found at {}", folder.display());
        let ci = std::env::var("CI").is_ok_and(|value| value == "true" || value == "1");
        assert!(!ci, "{message}; under CI it is a failure");
        eprintln!("skipping: {message}");
        return;
    }
    let Some(corpus_folder) = corpus("mistral-python-1.7.0") else {
        return;
    };
    let spec = load(&corpus_folder);
    let validator = Validator::new(&spec);
    let mut tally = Tally::default();
    let mut seed = 0;
    for kind in ["valid", "invalid"] {
        let mut files: Vec<_> = std::fs::read_dir(folder.join(kind))
            .unwrap_or_else(|err| panic!("{err}"))
            .map(|entry| entry.unwrap_or_else(|err| panic!("{err}")).path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
            .collect();
        files.sort();
        for file in files {
            let model = file
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !spec.models.contains_key(&model) {
                continue;
            }
            let text = std::fs::read_to_string(&file).unwrap_or_else(|err| panic!("{err}"));
            for line in text.lines().filter(|line| !line.trim().is_empty()) {
                let record: Value =
                    serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}"));
                tally.instance(&validator, &model, &record["instance"], seed);
                seed += 1;
            }
        }
    }
    tally.report("SDK truth");
    tally.assert_sound("SDK truth");
    assert!(tally.cases > 10_000, "{}", tally.cases);
    assert!(tally.fast_share() > 0.95, "{}", tally.fast_share());
}
