//! Merging several SDKs' docs of one API into one IR: the fixture API in three dialects
//! (`fixtures/merge/`: every merge rule and every conflict kind, IR and diagnostics as
//! snapshots), and the real corpora merged as the issue names them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use markmodel::diagnostic::{Code, Severity};
use markmodel::ir::{DateFormat, ModelKind, Source, Type};
use markmodel::render::{self, Format};
use markmodel::{FolderSource, Labelled, LoadOptions, Loaded};
use tests::{corpus, tests_dir};

/// Lints the folders merged, each labelled with its name, the first the primary.
fn merged(folders: &[(PathBuf, &str)]) -> Loaded {
    let sources: Vec<FolderSource> = folders
        .iter()
        .map(|(folder, _)| FolderSource::new(folder))
        .collect();
    let labelled: Vec<Labelled<'_>> = sources
        .iter()
        .zip(folders)
        .map(|(source, (_, label))| Labelled { source, label })
        .collect();
    markmodel::lint_sources(&labelled, LoadOptions::default()).unwrap_or_else(|err| panic!("{err}"))
}

fn fixture(dialect: &str) -> (PathBuf, &str) {
    (tests_dir().join("fixtures/merge").join(dialect), dialect)
}

fn fixture_merged() -> Loaded {
    merged(&[fixture("python"), fixture("typescript"), fixture("go")])
}

/// The diagnostics of one code, by message.
fn messages(loaded: &Loaded, code: Code) -> Vec<String> {
    loaded
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == code)
        .map(|diagnostic| diagnostic.message.clone())
        .collect()
}

fn field<'a>(loaded: &'a Loaded, model: &str, name: &str) -> &'a markmodel::ir::Field {
    let spec = loaded.spec.as_ref().expect("the merged spec lowers");
    let ModelKind::Object(object) = &spec.models[model].kind else {
        panic!("{model} is not an object");
    };
    object
        .fields
        .iter()
        .find(|field| field.name == name)
        .unwrap_or_else(|| panic!("{model}.{name} is missing"))
}

#[test]
fn each_fixture_source_lints_clean_alone() {
    for dialect in ["python", "typescript", "go"] {
        let (folder, _) = fixture(dialect);
        let loaded =
            markmodel::lint(&FolderSource::new(&folder)).unwrap_or_else(|err| panic!("{err}"));
        assert_eq!(loaded.diagnostics.count(Severity::Error), 0, "{dialect}");
        assert_eq!(loaded.diagnostics.count(Severity::Warning), 0, "{dialect}");
        let spec = loaded.spec.expect("lowered");
        assert!(spec.sources.is_empty(), "a single source lists no sources");
        let json = markmodel::ir_json(&spec);
        assert!(
            !json.contains("\"from\""),
            "{dialect}: a single source's facts have no `from`"
        );
    }
}

#[test]
fn facts_come_from_the_source_that_writes_them() {
    let loaded = fixture_merged();
    assert_eq!(loaded.diagnostics.count(Severity::Error), 0);
    // A written date-time (TypeScript `Date`) beats Python's assumed `date`.
    let published = field(&loaded, "Book", "published_at");
    let Type::Date { format } = &published.ty else {
        panic!("published_at is a date");
    };
    assert_eq!(format.value, DateFormat::DateTime);
    assert_eq!(format.source, Source::Doc);
    let from = format.from.as_ref().expect("taken from another source");
    assert!(
        from.file
            .starts_with("typescript/models/components/book.md"),
        "{from}"
    );
    // Go's `*time.Time` on a required field writes that null is allowed, which Python's
    // `date` cannot show.
    assert!(published.nullable.value);
    assert_eq!(published.nullable.source, Source::Doc);
    assert!(
        published
            .nullable
            .from
            .as_ref()
            .is_some_and(|from| from.file.starts_with("go/"))
    );
    // TypeScript marks `Genre` open; the Python list form without the sentence only
    // assumes it closed.
    let spec = loaded.spec.as_ref().expect("lowered");
    let ModelKind::Enum(genre) = &spec.models["Genre"].kind else {
        panic!("Genre is an enum");
    };
    assert!(genre.open.value);
    assert_eq!(genre.open.source, Source::Doc);
    // The overlay settles `subtitle` (TypeScript says required): kept, no conflict.
    let subtitle = field(&loaded, "Book", "subtitle");
    assert!(!subtitle.required.value);
    assert_eq!(subtitle.required.source, Source::Overlay);
    // Names two SDKs with different case rules show alike are the JSON key; others stay
    // the primary's assumption.
    let title = field(&loaded, "Book", "title");
    assert!(matches!(title.wire_name.source, Source::Convention(_)));
    let page_count = field(&loaded, "Book", "page_count");
    assert!(matches!(page_count.wire_name.source, Source::Default(_)));
    assert_eq!(page_count.wire_name.value, "page_count");
    // TypeScript's `number` says nothing against Python's `int`; Go's pointer on an
    // optional field says nothing about null.
    assert_eq!(page_count.ty, Type::Integer);
    assert_eq!(spec.sources.len(), 3);
}

/// Models titled differently meet where the same field of matched models refers to them
/// (`Book.publisher`: Python's `Publisher`, the others' `BookPublisher`); each dialect's
/// row of keys beyond the fields (`__pydantic_extra__`, `additionalProperties`,
/// `AdditionalProperties`) is the object's extra keys in all three, never a field.
#[test]
fn models_meet_where_they_are_used_and_extra_keys_are_no_field() {
    let loaded = fixture_merged();
    let spec = loaded.spec.as_ref().expect("lowered");
    assert!(
        !spec.models.contains_key("BookPublisher"),
        "`BookPublisher` was not matched to `Publisher`"
    );
    let ModelKind::Object(publisher) = &spec.models["Publisher"].kind else {
        panic!("Publisher is an object");
    };
    let names: Vec<&str> = publisher.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["name"]);
    assert!(publisher.additional_properties.is_some());
    assert_eq!(
        field(&loaded, "Book", "publisher").ty,
        Type::Model("Publisher".into())
    );
    for dialect in ["typescript", "go"] {
        let (folder, _) = fixture(dialect);
        let alone = markmodel::lint(&FolderSource::new(&folder))
            .unwrap_or_else(|err| panic!("{err}"))
            .spec
            .expect("lowered");
        let ModelKind::Object(theirs) = &alone.models["BookPublisher"].kind else {
            panic!("{dialect}: BookPublisher is an object");
        };
        assert_eq!(
            theirs.fields.len(),
            1,
            "{dialect}: the extras row read as a field"
        );
        assert!(theirs.additional_properties.is_some(), "{dialect}");
    }
    // Every model but `StockNote` (Python only) and `Extra`, `Review` (TypeScript only).
    let coverage = messages(&loaded, Code::MergeCoverage);
    assert_eq!(coverage.len(), 2, "{coverage:#?}");
    for message in &coverage {
        assert!(
            message.contains(": 7 models matched; 1 only in `python`"),
            "{message}"
        );
    }
}

#[test]
fn every_conflict_kind_is_reported_once_with_both_sides() {
    let loaded = fixture_merged();
    let conflicts = messages(&loaded, Code::MergeConflict);
    let expected = [
        "`Book.title`: required in `python`; optional in `typescript`",
        "`Book.blurb`: not nullable in `python`; nullable in `go`",
        "`Book.isbn`: `int` in `python`; `str` in `typescript`",
        "`Genre`: the values listed in `python`; adds \"cookery\" in `typescript`",
        "`Shelf`: a union in `python`; an object in `go`",
    ];
    for message in expected {
        assert!(
            conflicts.iter().any(|found| found == message),
            "missing {message:?} in {conflicts:#?}"
        );
    }
    assert_eq!(conflicts.len(), expected.len(), "{conflicts:#?}");
    for diagnostic in loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MergeConflict)
    {
        assert!(
            diagnostic.primary.is_some(),
            "{}: no kept side",
            diagnostic.message
        );
        assert!(
            !diagnostic.secondary.is_empty(),
            "{}: no other side",
            diagnostic.message
        );
    }
}

#[test]
fn merge_fixture_snapshots() {
    let loaded = fixture_merged();
    let ir = markmodel::ir_json(loaded.spec.as_ref().expect("lowered"));
    insta::assert_snapshot!("fixture_ir", ir);
    let rendered = render::render(&loaded.diagnostics, &loaded.files, Format::Human);
    let rendered = rendered.replace(&format!("{}/", tests_dir().display()), "");
    insta::assert_snapshot!("fixture_diagnostics", rendered);
}

/// The merge notes and conflicts of a real merge, without their per-site details.
fn merge_summary(loaded: &Loaded) -> String {
    let mut lines = Vec::new();
    for diagnostic in loaded.diagnostics.iter() {
        if !matches!(
            diagnostic.code,
            Code::MergeConflict | Code::MergeCoverage | Code::MergeContribution
        ) {
            continue;
        }
        lines.push(format!("{}: {}", diagnostic.code, diagnostic.message));
        for note in &diagnostic.notes {
            lines.push(format!("    = {note}"));
        }
    }
    lines.join("\n")
}

fn corpus_merge(names: &[&'static str]) -> Option<Loaded> {
    let folders: Vec<(PathBuf, &str)> = names
        .iter()
        .map(|name| corpus(name).map(|folder| (folder, *name)))
        .collect::<Option<_>>()?;
    Some(merged(&folders))
}

#[test]
fn gr4vy_six_sdks_merge_without_errors() {
    let Some(loaded) = corpus_merge(&[
        "gr4vy-python-2.3.12",
        "gr4vy-ts-2.4.10",
        "gr4vy-go-1.12.128",
        "gr4vy-java-2.18.13",
        "gr4vy-csharp-2.8.62",
        "gr4vy-php-1.7.7",
    ]) else {
        return;
    };
    assert_eq!(loaded.diagnostics.count(Severity::Error), 0);
    assert_eq!(
        messages(&loaded, Code::MergeCoverage).len(),
        5,
        "one note per pair"
    );
    assert_eq!(
        messages(&loaded, Code::MergeContribution).len(),
        6,
        "one note per source"
    );
    insta::assert_snapshot!("gr4vy", merge_summary(&loaded));
}

#[test]
fn mistral_python_and_typescript_merge_without_errors() {
    let Some(loaded) = corpus_merge(&["mistral-python-2.5.1", "mistral-ts-2.6.1"]) else {
        return;
    };
    assert_eq!(loaded.diagnostics.count(Severity::Error), 0);
    insta::assert_snapshot!("mistral", merge_summary(&loaded));
}

/// Details name every site in the sources' own files, under their labels.
#[test]
fn coverage_details_point_into_each_source() {
    let loaded = fixture_merged();
    let coverage: Vec<&markmodel::diagnostic::Diagnostic> = loaded
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code == Code::MergeCoverage)
        .collect();
    let mut by_note: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for detail in coverage.iter().flat_map(|diagnostic| &diagnostic.details) {
        by_note
            .entry(detail.note.clone())
            .or_default()
            .push(format!("{} {}", detail.location.file, detail.model));
    }
    let only_ts = &by_note["only in `typescript`"];
    assert!(
        only_ts
            .iter()
            .any(|site| site == "typescript/models/components/review.md Review"),
        "{only_ts:?}"
    );
    let only_py = &by_note["only in `python`"];
    assert!(
        only_py
            .iter()
            .any(|site| site == "models/stocknote.md StockNote"),
        "{only_py:?}"
    );
}

/// Every example the docs' TypeScript code gives, checked against its model by the
/// validator: (examples, the errors of each invalid one).
fn invalid_examples(spec: &markmodel::ir::Spec) -> (usize, Vec<String>) {
    let validator = markmodel::validate::Validator::new(spec);
    let mut checked = 0;
    let mut invalid = Vec::new();
    for model in spec.models.values() {
        for example in &model.examples {
            checked += 1;
            let findings = validator
                .validate(&model.name, &example.value)
                .unwrap_or_else(|err| panic!("{err}"));
            let errors: Vec<String> = findings
                .iter()
                .filter(|finding| finding.level == markmodel::validate::Level::Error)
                .map(|finding| {
                    format!(
                        "{} {}: expected {}, found {}",
                        example.location, finding.pointer, finding.expected, finding.found
                    )
                })
                .collect();
            if !errors.is_empty() {
                invalid.push(errors.join("; "));
            }
        }
    }
    (checked, invalid)
}

#[test]
fn typescript_examples_validate_against_their_models() {
    for names in [
        &["mistral-ts-2.6.1"][..],
        &["gr4vy-ts-2.4.10"][..],
        &["mistral-python-2.5.1", "mistral-ts-2.6.1"][..],
        &[
            "gr4vy-python-2.3.12",
            "gr4vy-ts-2.4.10",
            "gr4vy-go-1.12.128",
            "gr4vy-java-2.18.13",
            "gr4vy-csharp-2.8.62",
            "gr4vy-php-1.7.7",
        ][..],
    ] {
        let Some(loaded) = corpus_merge(names) else {
            return;
        };
        let spec = loaded.spec.as_ref().expect("lowered");
        let (checked, invalid) = invalid_examples(spec);
        eprintln!("{names:?}: {checked} examples, {} invalid", invalid.len());
        assert!(checked > 600, "{names:?}: only {checked} examples");
        assert!(invalid.is_empty(), "{names:?}:\n{}", invalid.join("\n"));
    }
}
