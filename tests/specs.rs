//! The project's own example spec (`specs/`): it lints clean, and its IR is reviewed
//! model by model.

use codegen::FolderSource;
use codegen::render::{self, Format};
use tests::workspace_root;

fn load_specs() -> codegen::Loaded {
    let folder = workspace_root().join("specs");
    let loaded = codegen::lint(&FolderSource::new(&folder)).unwrap_or_else(|err| panic!("{err}"));
    let rendered = render::render(&loaded.diagnostics, &loaded.files, Format::Human);
    assert!(!loaded.has_errors(), "specs/ has lint errors:\n{rendered}");
    assert_eq!(
        loaded
            .diagnostics
            .count(codegen::diagnostic::Severity::Warning),
        0,
        "specs/ has lint warnings:\n{rendered}"
    );
    loaded
}

#[test]
fn specs_lint_summary() {
    let loaded = load_specs();
    let folder = workspace_root().join("specs");
    let rendered = render::render(&loaded.diagnostics, &loaded.files, Format::Json);
    let rendered = rendered.replace(&format!("{}/", folder.display()), "specs/");
    insta::assert_snapshot!("lint__specs", rendered);
}

#[test]
fn specs_ir_per_model() {
    let loaded = load_specs();
    let spec = loaded
        .spec
        .unwrap_or_else(|| panic!("specs/ produced no IR"));
    assert!(
        spec.models.len() >= 50,
        "specs/ lost models: {}",
        spec.models.len()
    );
    for (name, model) in &spec.models {
        let json =
            serde_json::to_string_pretty(model).unwrap_or_else(|err| panic!("{name}: {err}"));
        insta::assert_snapshot!(format!("ir__specs__{name}"), json);
    }
}

/// The seed and every model it reaches resolve inside `specs/`.
#[test]
fn seed_has_no_dangling_reference() {
    let loaded = load_specs();
    let spec = loaded
        .spec
        .unwrap_or_else(|| panic!("specs/ produced no IR"));
    let mut pending = vec!["CompletionDetailedJobOut".to_owned()];
    let mut seen = std::collections::BTreeSet::new();
    while let Some(name) = pending.pop() {
        let model = spec
            .models
            .get(&name)
            .unwrap_or_else(|| panic!("`{name}` is referenced but not in specs/"));
        if seen.insert(name) {
            pending.extend(codegen::check::references(model));
        }
    }
    assert!(seen.len() > 10, "the seed reaches only {seen:?}");
}
