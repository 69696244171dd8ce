//! The official SDK's verdicts (`../shared/sdk-truth/mistral-python-1.7.0`): what
//! `mistralai` 1.7.0 accepts and rejects, scored against `validate` and the generated
//! types, from the docs alone and after `learn` on half of the accepted instances.
//!
//! Every miss must be one the docs cannot know; each kind is counted and the counts are
//! the test's expectations (`DOCS_ONLY`, `AFTER_LEARNING`), so a change in either
//! direction fails here and is reviewed.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use markmodel::emit;
use markmodel::ir::{ModelKind, Spec};
use markmodel::output::Mode;
use markmodel::validate::{Level, Validator};
use markmodel::{FolderSource, Generated};
use serde_json::Value;
use tests::{copy_dir, corpus, workspace_root};

const CORPUS: &str = "mistral-python-1.7.0";

/// One instance the SDK accepted (`dump`: what it writes back) or rejected (`reason`).
#[derive(Debug, Clone)]
struct Record {
    doc: String,
    /// Its line in the doc's file, from 0: the learning split is by parity.
    index: usize,
    instance: Value,
    dump: Option<Value>,
    reason: Option<String>,
}

/// The SDK truth folder, beside the corpora; like [`corpus`], missing is a skip, or a
/// failure under CI.
fn truth_dir() -> Option<PathBuf> {
    let folder = workspace_root().join("../shared/sdk-truth").join(CORPUS);
    if folder.join("fields.tsv").is_file() {
        return Some(folder);
    }
    let message = format!("SDK truth not found at {}", folder.display());
    let ci = std::env::var("CI").is_ok_and(|value| value == "true" || value == "1");
    assert!(!ci, "{message}; under CI it is a failure");
    eprintln!("skipping: {message}");
    None
}

fn records(truth: &Path, kind: &str) -> Vec<Record> {
    let folder = truth.join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|err| panic!("{}: {err}", folder.display()))
        .map(|entry| entry.unwrap_or_else(|err| panic!("{err}")).path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let doc = file
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&file).unwrap_or_else(|err| panic!("{err}"));
        for (index, line) in text.lines().filter(|line| !line.is_empty()).enumerate() {
            let record: Value = serde_json::from_str(line)
                .unwrap_or_else(|err| panic!("{}:{}: {err}", file.display(), index + 1));
            let tags: Vec<String> = record["tags"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|tag| tag.as_str().map(str::to_owned))
                .collect();
            // A null accepted only through an SDK bug (the truth's README): not a verdict.
            if tags.iter().any(|tag| tag == "quirk_null") {
                continue;
            }
            out.push(Record {
                doc: doc.clone(),
                index,
                instance: record["instance"].clone(),
                dump: record.get("dump").cloned(),
                reason: record["reason"].as_str().map(str::to_owned),
            });
        }
    }
    out
}

fn load(folder: &Path) -> Spec {
    let loaded = markmodel::load(&FolderSource::new(folder)).unwrap_or_else(|err| panic!("{err}"));
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded
        .spec
        .unwrap_or_else(|| panic!("{} lowers", folder.display()))
}

/// `validate`'s verdict, and the first error's pointer and expectation (the cause).
fn verdict(validator: &Validator<'_>, model: &str, instance: &Value) -> Result<(), String> {
    let findings = validator
        .validate(model, instance)
        .unwrap_or_else(|err| panic!("{model}: {err}"));
    match findings
        .iter()
        .find(|finding| finding.level == Level::Error)
    {
        None => Ok(()),
        Some(finding) => Err(format!(
            "{}: expected {}, found {}",
            finding.pointer, finding.expected, finding.found
        )),
    }
}

/// A round trip is faithful when each value comes back as it was read, or as the SDK
/// writes it (defaults added, tolerated nulls dropped, date-times normalised), field by
/// field. `dump` is `None` where the SDK's output is not known (it has another shape),
/// `Some(None)` where the SDK writes no such key.
fn faithful(written: Option<&Value>, read: Option<&Value>, dump: Option<Option<&Value>>) -> bool {
    if written == read || dump == Some(written) {
        return true;
    }
    let dump = dump.flatten();
    match (written, read) {
        (Some(Value::Object(written)), Some(Value::Object(read))) => {
            let dump = dump.and_then(Value::as_object);
            written.keys().chain(read.keys()).all(|key| {
                faithful(
                    written.get(key),
                    read.get(key),
                    dump.map(|dump| dump.get(key)),
                )
            })
        }
        (Some(Value::Array(written)), Some(Value::Array(read))) if written.len() == read.len() => {
            let dump = dump.and_then(Value::as_array);
            written
                .iter()
                .zip(read)
                .enumerate()
                .all(|(index, (w, r))| faithful(Some(w), Some(r), dump.map(|dump| dump.get(index))))
        }
        // An integral float the SDK writes as `2.0`, read as `2`.
        (Some(Value::Number(written)), Some(Value::Number(read))) => {
            written.as_f64() == read.as_f64()
        }
        // One instant in one offset, written with other fraction digits (`.5` as `.500`),
        // as the SDK normalises it too.
        (Some(Value::String(written)), Some(Value::String(read))) => {
            let instant = |text: &str| chrono::DateTime::parse_from_rfc3339(text).ok();
            instant(written).is_some_and(|written| {
                instant(read)
                    .is_some_and(|read| written == read && written.offset() == read.offset())
            })
        }
        _ => false,
    }
}

/// What the generated types made of each case: `Ok(written)` or `Err(error)`.
type TypeVerdicts = Vec<Result<Value, String>>;

/// Generates the crate of `specs` under `target/corpus-crates/<name>` with an example
/// that reads every case into its model's type and writes it back; runs it.
fn type_verdicts(specs: &Path, spec: &Spec, name: &str, cases: &[(String, Value)]) -> TypeVerdicts {
    let target = workspace_root().join("target/corpus-crates");
    let crate_dir = target.join(name);
    let _ = std::fs::remove_dir_all(&crate_dir);
    std::fs::create_dir_all(crate_dir.join("examples")).unwrap_or_else(|err| panic!("{err}"));
    let manifest = format!("{}\n[workspace]\n", emit::manifest(name));
    std::fs::write(crate_dir.join("Cargo.toml"), manifest).unwrap_or_else(|err| panic!("{err}"));
    let generated = markmodel::generate(&FolderSource::new(specs), &crate_dir, Mode::Write)
        .unwrap_or_else(|err| panic!("{err}"));
    assert!(
        matches!(generated, Generated::Synced { .. }),
        "{name} has errors"
    );

    let mut arms = String::new();
    for title in spec.models.keys() {
        let ty = markmodel::naming::type_name(title);
        let _ = writeln!(
            arms,
            "        {title:?} => round_trip::<{name}::{ty}>(json),"
        );
    }
    let example = format!(
        r#"//! Reads each case (`{{"model", "json"}}` per line of the file named by the first
//! argument) into its model's type and prints what it writes back, or the error.

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> serde_json::Value {{
    match serde_json::from_str::<T>(json) {{
        Ok(value) => match serde_json::to_value(&value) {{
            Ok(written) => serde_json::json!({{ "written": written }}),
            Err(error) => serde_json::json!({{ "error": format!("does not serialize: {{error}}") }}),
        }},
        Err(error) => serde_json::json!({{ "error": error.to_string() }}),
    }}
}}

fn main() {{
    let path = std::env::args().nth(1).expect("a cases file");
    let text = std::fs::read_to_string(path).expect("the cases file");
    for line in text.lines() {{
        let case: serde_json::Value = serde_json::from_str(line).expect("a case");
        let json = case["json"].as_str().expect("json");
        let verdict = match case["model"].as_str().expect("model") {{
{arms}            other => panic!("no model {{other}}"),
        }};
        println!("{{verdict}}");
    }}
}}
"#
    );
    std::fs::write(crate_dir.join("examples/truth.rs"), example)
        .unwrap_or_else(|err| panic!("{err}"));
    let mut lines = String::new();
    for (model, json) in cases {
        let case = serde_json::json!({ "model": model, "json": json.to_string() });
        let _ = writeln!(lines, "{case}");
    }
    let cases_file = crate_dir.join("cases.jsonl");
    std::fs::write(&cases_file, lines).unwrap_or_else(|err| panic!("{err}"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["run", "--quiet", "--example", "truth", "--"])
        .arg(&cases_file)
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", target.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap_or_else(|err| panic!("cargo run: {err}"));
    assert!(
        output.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let verdicts: TypeVerdicts = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let verdict: Value = serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}"));
            match verdict.get("written") {
                Some(written) => Ok(written.clone()),
                None => Err(verdict["error"].as_str().unwrap_or_default().to_owned()),
            }
        })
        .collect();
    assert_eq!(verdicts.len(), cases.len(), "{name}: one verdict per case");
    verdicts
}

/// The figures of one scoring, and every miss by kind.
#[derive(Debug, Default)]
struct Score {
    valid: usize,
    accepted: usize,
    round_tripped: usize,
    invalid: usize,
    rejected: usize,
    /// Kind of miss -> how many, and one example each (every one with `TRUTH_ALL=1`).
    misses: BTreeMap<String, (usize, String)>,
}

impl Score {
    fn miss(&mut self, kind: String, example: String) {
        if std::env::var_os("TRUTH_ALL").is_some() {
            println!("{kind}: {example}");
        }
        let entry = self.misses.entry(kind).or_insert((0, example));
        entry.0 += 1;
    }

    fn counts(&self) -> Vec<(String, usize)> {
        self.misses
            .iter()
            .map(|(kind, (count, _))| (kind.clone(), *count))
            .collect()
    }

    fn table(&self) -> String {
        let percent = |part: usize, whole: usize| 100.0 * part as f64 / whole.max(1) as f64;
        let mut out = format!(
            "accept valid {}/{} ({:.1}%), round-trip accepted {}/{} ({:.1}%), reject invalid {}/{} ({:.1}%)\n",
            self.accepted,
            self.valid,
            percent(self.accepted, self.valid),
            self.round_tripped,
            self.accepted,
            percent(self.round_tripped, self.accepted),
            self.rejected,
            self.invalid,
            percent(self.rejected, self.invalid),
        );
        for (kind, (count, example)) in &self.misses {
            let _ = writeln!(out, "  {count:>4} {kind}\n       e.g. {example}");
        }
        out
    }
}

/// Why an accepted instance was missed, named by the fact the docs do not show (from
/// the truth's per-field table), or `unexplained`.
fn valid_miss_kind(facts: &Facts, model: &str, error: &str) -> String {
    let (pointer, rest) = error.split_once(": expected ").unwrap_or(("", error));
    let field = pointer.rsplit('/').next().unwrap_or_default();
    if rest.contains("the required field") {
        let missing = rest.split('`').nth(1).unwrap_or_default();
        let _ = model;
        if facts.renamed.iter().any(|(_, attr)| attr == missing) {
            return "valid: JSON key the docs do not show".to_owned();
        }
    }
    if rest.ends_with("found null") && facts.nullable_container(field) {
        return "valid: required list, map or date that is nullable".to_owned();
    }
    format!("valid, unexplained: {rest}")
}

/// Why a rejected instance was accepted: the assumption it rests on, found by stating
/// the opposite of each assumption in turn (the specs of [`Strict`]) until the instance
/// is rejected.
fn invalid_miss_kind(strict: &Strict, model: &str, record: &Record) -> String {
    let reason = record.reason.as_deref().unwrap_or("no reason");
    let rejected = |spec: &Spec| verdict(&Validator::new(spec), model, &record.instance).is_err();
    let kind = if rejected(&strict.closed_enums) {
        "an enum assumed open (`table-enum-open`)"
    } else if rejected(&strict.closed_unions) {
        "a tagged union assumed open (`tagged-union-open`)"
    } else if rejected(&strict.required_tags) {
        "no tag, where the docs do not say the SDK discriminates (`union-tag-optional`)"
    } else {
        return format!("invalid, unexplained ({reason})");
    };
    format!("invalid, accepted by {kind}")
}

/// The spec with assumptions replaced by their opposite, cumulatively: enums assumed
/// open closed; then tagged unions assumed open closed; then tags assumed optional
/// required.
struct Strict {
    closed_enums: Spec,
    closed_unions: Spec,
    required_tags: Spec,
}

impl Strict {
    fn of(spec: &Spec) -> Strict {
        use markmodel::ir::{Assumption, Source};
        let assumed = |source: Source, assumption| source == Source::Default(assumption);
        let mut closed_enums = spec.clone();
        for model in closed_enums.models.values_mut() {
            if let ModelKind::Enum(enumeration) = &mut model.kind
                && assumed(enumeration.open.source, Assumption::TableEnumOpen)
            {
                enumeration.open.value = false;
            }
        }
        let mut closed_unions = closed_enums.clone();
        for model in closed_unions.models.values_mut() {
            if let ModelKind::Union(union) = &mut model.kind
                && let Some(open) = &mut union.open
                && assumed(open.source, Assumption::TaggedUnionOpen)
            {
                open.value = false;
            }
        }
        let mut required_tags = closed_unions.clone();
        for model in required_tags.models.values_mut() {
            if let ModelKind::Union(union) = &mut model.kind
                && let Some(required) = &mut union.tag_required
                && assumed(required.source, Assumption::UnionTagOptional)
            {
                required.value = true;
            }
        }
        Strict {
            closed_enums,
            closed_unions,
            required_tags,
        }
    }
}

/// Facts from the truth's `fields.tsv` that explain misses.
#[derive(Debug, Default)]
struct Facts {
    /// (model, documented name) whose JSON key differs.
    renamed: std::collections::BTreeSet<(String, String)>,
    /// JSON keys of nullable lists, maps and date-times.
    nullable_containers: std::collections::BTreeSet<String>,
    /// Every field: (model, JSON key) -> (documented name, required, nullable).
    fields: BTreeMap<(String, String), (String, bool, bool)>,
    /// Unions the SDK discriminates (members tagged with pydantic's `Tag`, which only a
    /// `Discriminator` reads), from `mapping.json`.
    discriminated: std::collections::BTreeSet<String>,
}

impl Facts {
    fn read(truth: &Path) -> Facts {
        let text = std::fs::read_to_string(truth.join("fields.tsv"))
            .unwrap_or_else(|err| panic!("fields.tsv: {err}"));
        let mut facts = Facts::default();
        for line in text.lines().skip(1) {
            let columns: Vec<&str> = line.split('\t').collect();
            let [model, wire, attr, required, nullable, summary, ..] = columns[..] else {
                continue;
            };
            if wire != attr {
                facts.renamed.insert((model.to_owned(), attr.to_owned()));
            }
            let container = summary.starts_with("array")
                || summary.starts_with("object")
                || summary.contains("date");
            if nullable == "true" && container {
                facts.nullable_containers.insert(wire.to_owned());
            }
            facts.fields.insert(
                (model.to_owned(), wire.to_owned()),
                (attr.to_owned(), required == "true", nullable == "true"),
            );
        }
        let mapping = std::fs::read_to_string(truth.join("mapping.json"))
            .unwrap_or_else(|err| panic!("mapping.json: {err}"));
        let mapping: Value = serde_json::from_str(&mapping).unwrap_or_else(|err| panic!("{err}"));
        for (doc, entry) in mapping["models"].as_object().into_iter().flatten() {
            if entry["python"]
                .as_str()
                .is_some_and(|python| python.contains("Tag(tag="))
            {
                facts.discriminated.insert(doc.clone());
            }
        }
        facts
    }

    fn nullable_container(&self, key: &str) -> bool {
        self.nullable_containers.contains(key)
    }
}

/// Scores `validate` and the generated types of `specs` on the records.
fn score(specs: &Path, name: &str, valid: &[&Record], invalid: &[&Record], facts: &Facts) -> Score {
    let spec = load(specs);
    let validator = Validator::new(&spec);
    let model_of = |record: &Record| {
        markmodel::find_model(&spec, &record.doc)
            .unwrap_or_else(|err| panic!("{}: {err}", record.doc))
            .to_owned()
    };
    let cases: Vec<(String, Value)> = valid
        .iter()
        .chain(invalid)
        .map(|record| (model_of(record), record.instance.clone()))
        .collect();
    let types = type_verdicts(specs, &spec, name, &cases);
    let strict = Strict::of(&spec);
    let mut score = Score::default();
    for ((record, (model, _)), by_type) in valid.iter().chain(invalid).zip(&cases).zip(&types) {
        let by_validate = verdict(&validator, model, &record.instance);
        let example = format!("{} #{}: {}", record.doc, record.index + 1, record.instance);
        // `validate` and the generated types agree on every instance.
        assert_eq!(
            by_validate.is_ok(),
            by_type.is_ok(),
            "{name}: validate says {by_validate:?}, the type says {by_type:?}: {example}"
        );
        match (&record.dump, by_type) {
            (Some(dump), Ok(written)) => {
                score.valid += 1;
                score.accepted += 1;
                if faithful(Some(written), Some(&record.instance), Some(Some(dump))) {
                    score.round_tripped += 1;
                } else {
                    score.miss(
                        "valid: not written back as read nor as the SDK writes it".to_owned(),
                        format!("{example} -> {written}"),
                    );
                }
            }
            (Some(_), Err(_)) => {
                score.valid += 1;
                let error = by_validate.err().unwrap_or_default();
                score.miss(
                    valid_miss_kind(facts, model, &error),
                    format!("{example}: {error}"),
                );
            }
            (None, Err(_)) => {
                score.invalid += 1;
                score.rejected += 1;
            }
            (None, Ok(_)) => {
                score.invalid += 1;
                score.miss(invalid_miss_kind(&strict, model, record), example);
            }
        }
    }
    score
}

/// Misses from the docs alone, by kind: only facts the docs do not show.
const DOCS_ONLY: &[(&str, usize)] = &[
    (
        "invalid, accepted by a tagged union assumed open (`tagged-union-open`)",
        17,
    ),
    (
        "invalid, accepted by an enum assumed open (`table-enum-open`)",
        143,
    ),
    (
        "invalid, accepted by no tag, where the docs do not say the SDK discriminates (`union-tag-optional`)",
        33,
    ),
    ("valid: JSON key the docs do not show", 227),
];

/// Misses after `learn --write` on the even-numbered accepted instances of each doc,
/// scoring the odd-numbered ones: only the documented leniency of open enums and unions.
const AFTER_LEARNING: &[(&str, usize)] = &[
    (
        "invalid, accepted by a tagged union assumed open (`tagged-union-open`)",
        17,
    ),
    (
        "invalid, accepted by an enum assumed open (`table-enum-open`)",
        145,
    ),
];

fn expected(counts: &[(&str, usize)]) -> Vec<(String, usize)> {
    counts
        .iter()
        .map(|(kind, count)| ((*kind).to_owned(), *count))
        .collect()
}

#[test]
fn the_sdk_verdicts_from_the_docs_alone() {
    let (Some(truth), Some(specs)) = (truth_dir(), corpus(CORPUS)) else {
        return;
    };
    let facts = Facts::read(&truth);
    let valid = records(&truth, "valid");
    let invalid = records(&truth, "invalid");
    let valid: Vec<&Record> = valid.iter().collect();
    let invalid: Vec<&Record> = invalid.iter().collect();
    let score = score(&specs, "truth_docs", &valid, &invalid, &facts);
    println!("docs only: {}", score.table());
    assert_eq!(score.counts(), expected(DOCS_ONLY), "{}", score.table());
}

#[test]
fn the_sdk_verdicts_after_learning_from_half() {
    let (Some(truth), Some(corpus_dir)) = (truth_dir(), corpus(CORPUS)) else {
        return;
    };
    let facts = Facts::read(&truth);
    let valid = records(&truth, "valid");
    let invalid = records(&truth, "invalid");
    let specs = workspace_root().join("target/truth-learned/specs");
    let _ = std::fs::remove_dir_all(&specs);
    copy_dir(&corpus_dir, &specs);
    let spec = load(&specs);

    let mut by_doc: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for record in valid.iter().filter(|record| record.index % 2 == 0) {
        by_doc
            .entry(&record.doc)
            .or_default()
            .push(record.instance.clone());
    }
    let mut proposals = Vec::new();
    for (doc, payloads) in &by_doc {
        let model = markmodel::find_model(&spec, doc).unwrap_or_else(|err| panic!("{err}"));
        proposals.extend(
            markmodel::learn::learn(&spec, model, payloads).unwrap_or_else(|err| panic!("{err}")),
        );
    }
    let wrong = wrong_proposals(&spec, &facts, &proposals);
    assert!(
        wrong.is_empty(),
        "learn proposed what the SDK contradicts:\n{}",
        wrong.join("\n")
    );
    let merged =
        markmodel::learn::merge_into_overlay("", &proposals).unwrap_or_else(|err| panic!("{err}"));
    assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
    std::fs::write(specs.join("overlay.toml"), &merged.text).unwrap_or_else(|err| panic!("{err}"));
    println!("learned {} entries:\n{}", merged.added, merged.text);

    let odd: Vec<&Record> = valid
        .iter()
        .filter(|record| record.index % 2 == 1)
        .collect();
    let invalid: Vec<&Record> = invalid.iter().collect();
    let score = score(&specs, "truth_learned", &odd, &invalid, &facts);
    println!("after learning: {}", score.table());
    assert_eq!(
        score.counts(),
        expected(AFTER_LEARNING),
        "{}",
        score.table()
    );
}

/// Every proposal checked against the SDK's field table: a `wire`, `required` or
/// `nullable` the table contradicts is wrong.
fn wrong_proposals(
    spec: &Spec,
    facts: &Facts,
    proposals: &[markmodel::learn::Proposal],
) -> Vec<String> {
    use markmodel::learn::Setting;
    let mut wrong = Vec::new();
    for proposal in proposals {
        if proposal.setting == Setting::TagRequired(true)
            && !facts.discriminated.contains(&proposal.model)
        {
            wrong.push(format!(
                "{}: {} (the SDK does not discriminate it)",
                proposal.model, proposal.setting
            ));
        }
        let Some(field_name) = &proposal.field else {
            continue;
        };
        let Some(ModelKind::Object(object)) = spec.models.get(&proposal.model).map(|m| &m.kind)
        else {
            continue;
        };
        let Some(field) = object.fields.iter().find(|field| &field.name == field_name) else {
            continue;
        };
        let wire = match &proposal.setting {
            Setting::Wire(wire) => wire.clone(),
            _ => field.wire_name.value.clone(),
        };
        let truth = facts
            .fields
            .iter()
            .find(|((model, _), (attr, _, _))| model == &proposal.model && attr == field_name)
            .map(|((_, key), (_, required, nullable))| (key.clone(), *required, *nullable));
        let Some((key, required, nullable)) = truth else {
            wrong.push(format!("{proposal:?}: the SDK has no such field"));
            continue;
        };
        let right = match &proposal.setting {
            Setting::Wire(_) => wire == key,
            Setting::Required(value) => *value == required,
            Setting::Nullable(value) => *value == nullable,
            Setting::Open(_) | Setting::TagRequired(_) => true,
        };
        if !right {
            wrong.push(format!(
                "{}.{field_name}: {} (the SDK: key `{key}`, required {required}, nullable {nullable})",
                proposal.model, proposal.setting
            ));
        }
    }
    wrong
}
