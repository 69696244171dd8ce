//! The text pass of codegen (model files written as formatted text) against prettyplease
//! on the same items: byte for byte equal on every model file of every corpus and of
//! `specs/`, and used for most objects, enums and unions (so a pass that always gives up
//! fails too).

use std::path::Path;

use markmodel::FolderSource;
use markmodel::emit::TextPassCheck;
use tests::{corpus, workspace_root};

const CORPORA: [&str; 11] = [
    "airbyte-python-0.47.3",
    "dub-ruby-0.12.4",
    "gr4vy-csharp-2.8.62",
    "gr4vy-go-1.12.128",
    "gr4vy-java-2.18.13",
    "gr4vy-php-1.7.7",
    "gr4vy-python-2.3.12",
    "gr4vy-ts-2.4.10",
    "mistral-python-1.7.0",
    "mistral-python-2.5.1",
    "mistral-ts-2.6.1",
];

/// What the text pass wrote for the spec in `folder`, after asserting every file it wrote
/// equals its prettyplease form.
fn check(folder: &Path) -> TextPassCheck {
    let loaded = markmodel::load(&FolderSource::new(folder))
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()));
    let spec = loaded
        .spec
        .unwrap_or_else(|| panic!("{} does not lower", folder.display()));
    let options = markmodel::emit::Options::default();
    let planned = markmodel::emit::plan(&spec, &options).expect("plans");
    let check = planned.text_pass_check().expect("formats");
    if let Some((path, reference, text)) = check.differences.first() {
        let diff = similar::TextDiff::from_lines(reference, text)
            .unified_diff()
            .header("prettyplease", "text pass")
            .to_string();
        panic!(
            "{}: {} files differ; the first, {path}:\n{diff}",
            folder.display(),
            check.differences.len(),
        );
    }
    if std::env::var_os("SHOW_LEFT").is_some() {
        eprintln!("left to prettyplease: {:?}", check.left_to_prettyplease);
        eprintln!("struct left to prettyplease: {:?}", check.partly_as_text);
    }
    check
}

/// `part` is at least `percent`% of `whole`.
fn at_least(part: usize, whole: usize, percent: usize) -> bool {
    part * 100 >= whole * percent
}

#[test]
fn the_text_pass_prints_what_prettyplease_prints() {
    let mut folders = vec![workspace_root().join("specs")];
    folders.extend(CORPORA.iter().filter_map(|name| corpus(name)));
    for folder in folders {
        let check = check(&folder);
        let objects = check.written_as_text;
        let wholly = objects - check.partly_as_text.len();
        eprintln!(
            "{}: {objects} of {} object models as text, {wholly} wholly; {} of {} enums; \
             {} of {} unions",
            folder.display(),
            check.object_models,
            check.enums_as_text,
            check.enums,
            check.unions_as_text,
            check.unions,
        );
        for (kind, part, whole, percent) in [
            ("object models", objects, check.object_models, 80),
            ("enums", check.enums_as_text, check.enums, 75),
            ("unions", check.unions_as_text, check.unions, 75),
        ] {
            assert!(
                at_least(part, whole, percent),
                "{}: only {part} of {whole} {kind} went through the text pass",
                folder.display()
            );
        }
    }
}
