//! Every SDK dialect on its real corpus: detection, a clean lint, every document read as
//! exactly the models its sections declare (counted from the raw text, not by the
//! reader), and the six Gr4vy dialects compared model by model.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use markmodel::diagnostic::{Code, Severity};
use markmodel::dialect::Dialect;
use markmodel::ir::{ModelKind, Spec};
use markmodel::render::{self, Format};
use markmodel::{FolderSource, LoadOptions, Loaded};
use tests::{corpus, markdown_files, tests_dir};

/// Every corpus, its dialect, and its number of documents.
const CORPORA: &[(&str, Dialect, usize)] = &[
    ("mistral-python-1.7.0", Dialect::Python, 215),
    ("mistral-python-2.5.1", Dialect::Python, 1051),
    ("gr4vy-python-2.3.12", Dialect::Python, 649),
    ("airbyte-python-0.47.3", Dialect::Python, 1850),
    ("mistral-ts-2.6.1", Dialect::TypeScript, 1012),
    ("gr4vy-ts-2.4.10", Dialect::TypeScript, 659),
    ("gr4vy-go-1.12.128", Dialect::Go, 643),
    ("gr4vy-java-2.18.13", Dialect::Java, 660),
    ("gr4vy-csharp-2.8.62", Dialect::CSharp, 456),
    ("gr4vy-php-1.7.7", Dialect::Php, 571),
    ("dub-ruby-0.12.4", Dialect::Ruby, 420),
];

fn lint(folder: &Path, options: LoadOptions) -> Loaded {
    markmodel::lint_with(&FolderSource::new(folder), options)
        .unwrap_or_else(|err| panic!("{}: {err}", folder.display()))
}

/// What a document's raw text says it declares, without the reader: `## Fields`,
/// `## Values` and `## Supported Types` sections, `## Name` sections with a `### Fields`
/// table (sub-models), a title with no section at all (a union that lists no members),
/// and documents with sections but no table (not models). Fenced code is skipped.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Declared {
    objects: usize,
    enums: usize,
    unions: usize,
    undocumented: usize,
}

fn declared(text: &str) -> Declared {
    let mut declared = Declared::default();
    let mut in_code = false;
    let mut sections = 0;
    let mut tables = 0;
    let mut pending_sub_model = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if line.starts_with('|') {
            tables += 1;
        }
        if let Some(section) = line.strip_prefix("## ") {
            sections += 1;
            pending_sub_model = false;
            match section.trim() {
                "Fields" => declared.objects += 1,
                "Values" => declared.enums += 1,
                "Supported Types" => declared.unions += 1,
                "Example Usage" | "Union Discrimination" => {}
                _ => pending_sub_model = true,
            }
        } else if pending_sub_model && line.trim() == "### Fields" {
            declared.objects += 1;
            pending_sub_model = false;
        }
    }
    // A title and prose only; a document with sections but neither a model section nor
    // a table (Go's `operations/option.md`, SDK client options) declares nothing.
    if sections == 0 && tables == 0 {
        declared.undocumented = 1;
    }
    declared
}

fn read_in(spec: &Spec) -> BTreeMap<String, Declared> {
    let mut per_file: BTreeMap<String, Declared> = BTreeMap::new();
    for model in spec.models.values() {
        let entry = per_file.entry(model.location.file.clone()).or_default();
        match model.kind {
            ModelKind::Object(_) => entry.objects += 1,
            ModelKind::Enum(_) => entry.enums += 1,
            ModelKind::Union(_) => entry.unions += 1,
        }
    }
    for undocumented in spec.undocumented.values() {
        per_file
            .entry(undocumented.location.file.clone())
            .or_default()
            .undocumented += 1;
    }
    per_file
}

fn clean_spec(name: &str, dialect: Dialect, documents: usize) -> Option<(Loaded, Spec)> {
    let folder = corpus(name)?;
    let loaded = lint(&folder, LoadOptions::default());
    let rendered = render::render(&loaded.diagnostics, &loaded.files, Format::Human);
    assert!(!loaded.has_errors(), "{name} has lint errors:\n{rendered}");
    let unexpected: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning && d.code != Code::ExampleTypeMismatch)
        .collect();
    assert!(
        unexpected.is_empty(),
        "{name}: warnings other than doc examples: {unexpected:#?}"
    );
    let spec = loaded.spec.clone()?;
    assert_eq!(spec.dialect, dialect, "{name}: detected dialect");
    assert_eq!(loaded.documents, documents, "{name}: documents read");
    Some((loaded, spec))
}

/// Lints clean, detects its dialect, and reads every document as the models it declares.
#[test]
fn every_corpus_reads_as_its_sections_declare() {
    for &(name, dialect, documents) in CORPORA {
        let Some((_, spec)) = clean_spec(name, dialect, documents) else {
            return;
        };
        let Some(folder) = corpus(name) else { return };
        let read = read_in(&spec);
        let mut total = Declared::default();
        for path in markdown_files(&folder) {
            let relative = path
                .strip_prefix(&folder)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if relative == "README.md" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let expected = declared(&text);
            total.objects += expected.objects;
            total.enums += expected.enums;
            total.unions += expected.unions;
            total.undocumented += expected.undocumented;
            let mut got = read.get(&relative).copied().unwrap_or_default();
            // A union document that lists no members is a union when a reference writes
            // its members inline (Ruby's `T.any(...)`).
            if expected.undocumented == 1 && got.unions == 1 && got.undocumented == 0 {
                got.unions = 0;
                got.undocumented = 1;
            }
            assert_eq!(
                got, expected,
                "{name}: {relative}: the models read differ from the sections written"
            );
        }
        assert!(
            total.objects + total.enums + total.unions > 100,
            "{name}: the raw count found only {total:?}"
        );
    }
}

/// Per corpus: documents, models by kind, and assumptions by kind (reviewed figures).
#[test]
fn corpus_summaries() {
    let mut out = String::new();
    for &(name, dialect, documents) in CORPORA {
        let Some((loaded, spec)) = clean_spec(name, dialect, documents) else {
            return;
        };
        let mut kinds = [0usize; 3];
        for model in spec.models.values() {
            kinds[match model.kind {
                ModelKind::Object(_) => 0,
                ModelKind::Enum(_) => 1,
                ModelKind::Union(_) => 2,
            }] += 1;
        }
        out.push_str(&format!(
            "## {name} ({dialect}): {documents} documents; {} objects, {} enums, {} unions, {} undocumented unions\n",
            kinds[0],
            kinds[1],
            kinds[2],
            spec.undocumented.len()
        ));
        for diagnostic in loaded.diagnostics.iter() {
            if diagnostic.severity != Severity::Error {
                out.push_str(&format!("- {}: {}\n", diagnostic.code, diagnostic.message));
            }
        }
        out.push('\n');
    }
    insta::assert_snapshot!("corpus_summaries", out);
}

#[test]
fn a_folder_of_two_dialects_is_one_error_naming_both() {
    let folder = tests_dir().join("fixtures/bad/mixed-dialects");
    let loaded = lint(&folder, LoadOptions::default());
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].code, Code::MixedDialects);
    let rendered = render::render(&loaded.diagnostics, &loaded.files, Format::Human);
    assert!(
        rendered.contains("loanoffer.md") && rendered.contains("components/loan"),
        "{rendered}"
    );
}

#[test]
fn dialect_flag_overrides_detection() {
    let Some(folder) = corpus("gr4vy-python-2.3.12") else {
        return;
    };
    let forced = lint(
        &folder,
        LoadOptions {
            dialect: Some(Dialect::Ruby),
        },
    );
    assert_eq!(
        forced.spec.as_ref().map(|spec| spec.dialect),
        Some(Dialect::Ruby)
    );
    assert!(
        forced
            .diagnostics
            .iter()
            .any(|d| d.code == Code::UnparsableType),
        "Python docs read as Ruby do not parse"
    );
}

/// The six Gr4vy SDKs describe one API: the same models (by title, modulo folder and
/// case), each with the same kind and field count, and the same enum values where a
/// dialect documents them. Differences that are doc facts are listed and asserted.
#[test]
fn gr4vy_six_dialects_describe_one_api() {
    let names = [
        "gr4vy-python-2.3.12",
        "gr4vy-ts-2.4.10",
        "gr4vy-go-1.12.128",
        "gr4vy-java-2.18.13",
        "gr4vy-csharp-2.8.62",
        "gr4vy-php-1.7.7",
    ];
    let mut specs = Vec::new();
    for name in names {
        let Some(folder) = corpus(name) else { return };
        let loaded = lint(&folder, LoadOptions::default());
        specs.push((name, loaded.spec.unwrap_or_else(|| panic!("{name}: no IR"))));
    }
    let key = |name: &str| name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    let python = &specs[0].1;
    let mut report = String::new();
    for (name, spec) in &specs[1..] {
        let theirs: BTreeMap<String, &markmodel::ir::Model> = spec
            .models
            .values()
            .map(|model| (key(&model.name), model))
            .collect();
        let ours: BTreeMap<String, &markmodel::ir::Model> = python
            .models
            .values()
            .map(|model| (key(&model.name), model))
            .collect();
        let undocumented: BTreeSet<String> = spec.undocumented.keys().map(|k| key(k)).collect();
        let mut only_python = Vec::new();
        let mut only_theirs = Vec::new();
        let mut kind_differs = Vec::new();
        let mut fields_differ = Vec::new();
        let mut values_differ = Vec::new();
        for (title, model) in &ours {
            let Some(other) = theirs.get(title) else {
                if !undocumented.contains(title) {
                    only_python.push(title.clone());
                }
                continue;
            };
            match (&model.kind, &other.kind) {
                (ModelKind::Object(a), ModelKind::Object(b)) => {
                    if a.fields.len() != b.fields.len() {
                        fields_differ.push(format!(
                            "{title} {}/{}",
                            a.fields.len(),
                            b.fields.len()
                        ));
                    }
                }
                (ModelKind::Enum(a), ModelKind::Enum(b)) => {
                    let left: BTreeSet<_> = a.values.iter().map(|v| &v.value).collect();
                    let right: BTreeSet<_> = b.values.iter().map(|v| &v.value).collect();
                    if left != right {
                        values_differ.push(title.clone());
                    }
                }
                (ModelKind::Union(_), ModelKind::Union(_)) => {}
                _ => kind_differs.push(title.clone()),
            }
        }
        for title in theirs.keys() {
            if !ours.contains_key(title) {
                only_theirs.push(title.clone());
            }
        }
        report.push_str(&format!(
            "## python vs {name}\nonly in python ({}): {}\nonly in {name} ({}): {}\nkind differs ({}): {}\nfield count differs ({}): {}\nenum values differ ({}): {}\n\n",
            only_python.len(),
            summary(&only_python),
            only_theirs.len(),
            summary(&only_theirs),
            kind_differs.len(),
            summary(&kind_differs),
            fields_differ.len(),
            summary(&fields_differ),
            values_differ.len(),
            summary(&values_differ),
        ));
    }
    insta::assert_snapshot!("gr4vy_six_dialects", report);
}

fn summary(items: &[String]) -> String {
    const SHOWN: usize = 12;
    let mut text = items
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(", ... ({} more)", items.len() - SHOWN));
    }
    text
}

/// The README's presence-per-dialect table is the reader's behaviour: each row's Type
/// cell, lowered in its dialect with its Required mark, gives the row's presence, and its
/// nullability is written or assumed as the row says.
#[test]
fn readme_presence_per_dialect_is_what_the_reader_does() {
    let readme = std::fs::read_to_string(tests::workspace_root().join("README.md"))
        .unwrap_or_else(|err| panic!("README.md: {err}"));
    let header = "| Dialect | Type cell | Required | Read as | Nullability |";
    let start = readme
        .find(header)
        .unwrap_or_else(|| panic!("README.md has no `{header}` table"));
    let rows: Vec<&str> = readme[start..]
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .collect();
    let mut dialects_seen = BTreeSet::new();
    for (index, row) in rows.iter().enumerate() {
        let cells: Vec<&str> = row.trim_matches('|').split(" | ").map(str::trim).collect();
        let [dialect, cell, required, read_as, nullability] = cells.as_slice() else {
            panic!("malformed row {row}");
        };
        let dialect = Dialect::from_name(dialect).unwrap_or_else(|| panic!("{row}: dialect"));
        dialects_seen.insert(dialect);
        // The cell is written in a code span: one or two backticks around it.
        let ticks = if cell.starts_with("``") { 2 } else { 1 };
        let cell = cell[ticks..cell.len() - ticks].trim();
        let mark = match *required {
            "yes" => ":heavy_check_mark:",
            "no" => ":heavy_minus_sign:",
            other => panic!("{row}: Required `{other}`"),
        };
        let doc = format!(
            "# Probe\n\n## Fields\n\n| Field | Type | Required | Description |\n| ----- | ---- | -------- | ----------- |\n| `probe` | {cell} | {mark} | N/A |\n"
        );
        let dir = std::env::temp_dir().join(format!(
            "presence-{}-{}",
            std::process::id(),
            dialects_seen.len() * 100 + index
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("models")).unwrap_or_else(|err| panic!("{err}"));
        std::fs::write(dir.join("models/probe.md"), doc).unwrap_or_else(|err| panic!("{err}"));
        let loaded = lint(
            &dir,
            LoadOptions {
                dialect: Some(dialect),
            },
        );
        let _ = std::fs::remove_dir_all(&dir);
        let rendered = render::render(&loaded.diagnostics, &loaded.files, Format::Human);
        assert!(!loaded.has_errors(), "{row}:\n{rendered}");
        let spec = loaded.spec.unwrap_or_else(|| panic!("{row}: no IR"));
        let Some(ModelKind::Object(object)) = spec.models.get("Probe").map(|model| &model.kind)
        else {
            panic!("{row}: no object Probe");
        };
        let field = &object.fields[0];
        let presence = serde_json::to_value(field.presence).unwrap_or_default();
        assert_eq!(
            presence.as_str(),
            Some(read_as.trim_matches('`')),
            "{row}: presence"
        );
        let written = field.nullable.source == markmodel::ir::Source::Doc;
        assert_eq!(
            if written { "written" } else { "assumed" },
            *nullability,
            "{row}: nullability source {:?}",
            field.nullable.source
        );
    }
    assert_eq!(
        dialects_seen.len(),
        Dialect::ALL.len(),
        "the table must cover every dialect"
    );
}

/// The fixture spec of each dialect (`tests/fixtures/dialects/<dialect>`, made-up docs in
/// the SDK's own layout): detected as its dialect, lints without errors or warnings, and
/// its IR and generated code are reviewed snapshots (one fixture, one snapshot each).
#[test]
fn dialect_fixtures() {
    for dialect in Dialect::ALL {
        let folder = tests_dir().join("fixtures/dialects").join(dialect.name());
        let loaded = lint(&folder, LoadOptions::default());
        let rendered = render::render(&loaded.diagnostics, &loaded.files, Format::Human);
        assert!(
            loaded.diagnostics.count(Severity::Warning) == 0 && !loaded.has_errors(),
            "{dialect} fixture:\n{rendered}"
        );
        let spec = loaded
            .spec
            .unwrap_or_else(|| panic!("{dialect} fixture: no IR"));
        assert_eq!(spec.dialect, dialect, "{dialect} fixture: detected dialect");
        assert!(spec.models.len() >= 5, "{dialect} fixture lost models");
        insta::assert_snapshot!(format!("dialect__{dialect}__ir"), markmodel::ir_json(&spec));
        let files = markmodel::emit::emit(&spec).unwrap_or_else(|err| panic!("{err}"));
        let mut code = String::new();
        for file in files
            .iter()
            .filter(|file| file.path.starts_with("src/models/") || file.path == "src/lib.rs")
        {
            code.push_str(&format!("// ---- {} ----\n{}\n", file.path, file.contents));
        }
        insta::assert_snapshot!(format!("dialect__{dialect}__code"), code);
    }
}

/// `[spec] json-names` states the API's key convention for every field; a field's own
/// `wire` still wins.
#[test]
fn overlay_json_names_state_every_key() {
    let folder = tests_dir().join("fixtures/dialects/go");
    let overlay = std::env::temp_dir().join(format!("json-names-{}.toml", std::process::id()));
    let mut text = String::from("[spec]\njson-names = \"snake_case\"\n");
    let loaded = lint(&folder, LoadOptions::default());
    let spec = loaded.spec.unwrap_or_else(|| panic!("go fixture: no IR"));
    let (chosen, field) = spec
        .models
        .values()
        .find_map(|model| match &model.kind {
            ModelKind::Object(object) => object
                .fields
                .iter()
                .find(|field| field.name.chars().filter(char::is_ascii_uppercase).count() > 1)
                .map(|field| (model.name.clone(), field.name.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("the go fixture has no multi-word field"));
    text.push_str(&format!(
        "[models.\"{chosen}\".fields.{field}]\nwire = \"given\"\n"
    ));
    std::fs::write(&overlay, text).unwrap_or_else(|err| panic!("{err}"));
    let loaded = markmodel::lint(&FolderSource::new(&folder).with_overlay(&overlay))
        .unwrap_or_else(|err| panic!("{err}"));
    let _ = std::fs::remove_file(&overlay);
    let rendered = render::render(&loaded.diagnostics, &loaded.files, Format::Human);
    assert!(!loaded.has_errors(), "{rendered}");
    let spec = loaded.spec.unwrap_or_else(|| panic!("no IR"));
    let mut checked = 0;
    for model in spec.models.values() {
        let ModelKind::Object(object) = &model.kind else {
            continue;
        };
        for item in &object.fields {
            assert_eq!(item.wire_name.source, markmodel::ir::Source::Overlay);
            if model.name == chosen && item.name == field {
                assert_eq!(item.wire_name.value, "given");
            } else {
                let snake = item.wire_name.value.clone();
                assert!(
                    snake
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                    "{}.{}: `{snake}` is not snake_case",
                    model.name,
                    item.name
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} fields");
}

/// `validate`, `schema`, `diff` and `learn` on every corpus: every model's samples get
/// the verdict they were made for, the schema has one definition per model, a spec has no
/// change against itself and one removal against itself less a model, and learning from
/// valid samples proposes nothing the IR does not already state wrongly.
#[test]
fn every_command_works_on_every_corpus() {
    for &(name, _, _) in CORPORA {
        let Some(folder) = corpus(name) else { return };
        let loaded = lint(&folder, LoadOptions::default());
        let spec = loaded.spec.unwrap_or_else(|| panic!("{name}: no IR"));

        let schema = markmodel::schema::json_schema(&spec, None)
            .unwrap_or_else(|err| panic!("{name}: schema: {err}"));
        let definitions = schema["$defs"].as_object().map_or(0, serde_json::Map::len);
        assert_eq!(
            definitions,
            spec.models.len(),
            "{name}: one schema definition per model"
        );

        let validator = markmodel::validate::Validator::new(&spec);
        let mut checked = 0;
        let mut valid_payloads = Vec::new();
        for model in spec.models.keys().step_by(7) {
            for sample in markmodel::sample::samples(&spec, model) {
                let findings = validator
                    .validate(model, &sample.json)
                    .unwrap_or_else(|err| panic!("{name}: {err}"));
                let valid = !findings
                    .iter()
                    .any(|finding| finding.level == markmodel::validate::Level::Error);
                assert_eq!(
                    valid, sample.valid,
                    "{name}: {model}: {}: {findings:?}",
                    sample.label
                );
                if sample.valid && valid_payloads.len() < 3 {
                    valid_payloads.push((model.clone(), sample.json.clone()));
                }
                checked += 1;
            }
        }
        assert!(checked > 50, "{name}: only {checked} samples");

        assert!(
            markmodel::diff::diff(&spec, &spec).changes.is_empty(),
            "{name}: changes against itself"
        );
        let mut fewer = spec.clone();
        let removed = fewer.models.keys().next().cloned().unwrap_or_default();
        fewer.models.remove(&removed);
        let diff = markmodel::diff::diff(&spec, &fewer);
        assert!(
            diff.changes.iter().any(|change| change.model == removed),
            "{name}: removing `{removed}` is not reported"
        );

        for (model, payload) in valid_payloads {
            let proposals = markmodel::learn::learn(&spec, &model, &[payload])
                .unwrap_or_else(|err| panic!("{name}: learn: {err}"));
            assert!(
                proposals.is_empty(),
                "{name}: {model}: learned from a valid sample: {proposals:?}"
            );
        }
    }
}
