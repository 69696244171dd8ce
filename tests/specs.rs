//! The project's own example spec (`specs/`): it lints clean, and its IR is reviewed
//! model by model.

use markmodel::FolderSource;
use markmodel::render::{self, Format};
use tests::workspace_root;

fn load_specs() -> markmodel::Loaded {
    let folder = workspace_root().join("specs");
    let loaded = markmodel::lint(&FolderSource::new(&folder)).unwrap_or_else(|err| panic!("{err}"));
    let rendered = render::render(&loaded.diagnostics, &loaded.files, Format::Human);
    assert!(!loaded.has_errors(), "specs/ has lint errors:\n{rendered}");
    assert_eq!(
        loaded
            .diagnostics
            .count(markmodel::diagnostic::Severity::Warning),
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
            pending.extend(markmodel::check::references(model));
        }
    }
    assert!(seen.len() > 10, "the seed reaches only {seen:?}");
}

/// Tagged and one-member unions, case by case (`fixtures/unions/`): every finding of
/// `validate`, errors and drift hints, in one reviewed snapshot.
#[test]
fn specs_union_cases_validate() {
    let spec = load_specs()
        .spec
        .unwrap_or_else(|| panic!("specs/ produced no IR"));
    let path = tests::tests_dir().join("fixtures/unions/cases.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{err}"));
    let validator = markmodel::validate::Validator::new(&spec);
    let mut out = String::new();
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let case: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|err| panic!("{line}: {err}"));
        let model = case["model"].as_str().unwrap_or_default();
        let findings = validator
            .validate(model, &case["json"])
            .unwrap_or_else(|err| panic!("{err}"));
        let errors = findings
            .iter()
            .filter(|finding| finding.level == markmodel::validate::Level::Error)
            .count();
        out.push_str(&format!(
            "## {} ({model}): {}\n{}\n",
            case["case"].as_str().unwrap_or_default(),
            if errors == 0 { "valid" } else { "invalid" },
            case["json"]
        ));
        for finding in &findings {
            out.push_str(&format!(
                "- {:?} at `{}`: expected {}, found {}\n",
                finding.level, finding.pointer, finding.expected, finding.found
            ));
        }
        out.push('\n');
    }
    insta::assert_snapshot!("validate__unions", out);
}
