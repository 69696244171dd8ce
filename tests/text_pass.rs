//! The text pass of codegen (serde impls of objects written as formatted text) against
//! prettyplease on the same items: byte for byte equal on every model file of every
//! corpus and of `specs/`, and used for most object models (so a pass that always gives
//! up fails too).

use std::path::Path;

use markmodel::FolderSource;
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

/// (object models, written as text, written wholly as text, enums, enums as text), after asserting every such file equals its
/// prettyplease form.
fn check(folder: &Path) -> (usize, usize, usize, usize, usize) {
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
            "{}: {} of {} files differ; the first, {path}:\n{diff}",
            folder.display(),
            check.differences.len(),
            check.written_as_text
        );
    }
    if std::env::var_os("SHOW_LEFT").is_some() {
        eprintln!("left to prettyplease: {:?}", check.left_to_prettyplease);
        eprintln!("struct left to prettyplease: {:?}", check.partly_as_text);
    }
    let whole = check.written_as_text - check.partly_as_text.len();
    (
        check.object_models,
        check.written_as_text,
        whole,
        check.enums,
        check.enums_as_text,
    )
}

#[test]
fn the_text_pass_prints_what_prettyplease_prints() {
    let mut folders = vec![workspace_root().join("specs")];
    folders.extend(CORPORA.iter().filter_map(|name| corpus(name)));
    for folder in folders {
        let (objects, text, whole, enums, enums_text) = check(&folder);
        eprintln!(
            "{}: {text} of {objects} object models as text, {whole} wholly; \
             {enums_text} of {enums} enums",
            folder.display()
        );
        assert!(
            enums_text * 4 >= enums * 3,
            "{}: only {enums_text} of {enums} enums went through the text pass",
            folder.display()
        );
        assert!(
            text * 10 >= objects * 8,
            "{}: only {text} of {objects} object models went through the text pass",
            folder.display()
        );
    }
}
