//! The CLI contract: exit codes, output formats and determinism of `cargo xtask`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(workspace())
        .output()
        .unwrap_or_else(|err| panic!("running xtask {args:?}: {err}"))
}

/// A throwaway spec folder holding `files`, removed when dropped.
struct TempSpec(PathBuf);

impl TempSpec {
    fn new(name: &str, files: &[(&str, &str)]) -> Self {
        let root = std::env::temp_dir().join(format!("xtask-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for (path, text) in files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap_or(&root))
                .unwrap_or_else(|err| panic!("{err}"));
            std::fs::write(&path, text).unwrap_or_else(|err| panic!("{err}"));
        }
        Self(root)
    }

    fn path(&self) -> &str {
        self.0.to_str().unwrap_or_default()
    }
}

impl Drop for TempSpec {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const BAD_DOC: &str = "# Broken\n\n## Fields\n\n| Field | Type | Required | Description |\n| --- | --- | --- | --- |\n| `a` | List[*str* | :heavy_check_mark: | N/A |\n";

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn lint_of_the_example_spec_exits_0() {
    let output = xtask(&["lint"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(
        text(&output.stdout).contains("0 errors"),
        "{}",
        text(&output.stdout)
    );
}

#[test]
fn lint_with_errors_exits_1_and_points_at_the_line() {
    let spec = TempSpec::new("bad", &[("models/broken.md", BAD_DOC)]);
    let output = xtask(&["lint", "--specs", spec.path()]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("error[unparsable-type]"), "{stdout}");
    assert!(stdout.contains("models/broken.md:7:"), "{stdout}");
}

#[test]
fn github_format_prints_annotations() {
    let spec = TempSpec::new("github", &[("models/broken.md", BAD_DOC)]);
    let output = xtask(&["lint", "--specs", spec.path(), "--format", "github"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(
        stdout
            .lines()
            .any(|line| line.starts_with("::error file=") && line.contains("line=7,")),
        "{stdout}"
    );
}

#[test]
fn json_format_is_one_json_document() {
    let spec = TempSpec::new("json", &[("models/broken.md", BAD_DOC)]);
    let output = xtask(&["lint", "--specs", spec.path(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(report["summary"]["errors"], 1);
    assert_eq!(report["diagnostics"][0]["location"]["line"], 7);
}

#[test]
fn missing_spec_folder_exits_2() {
    let output = xtask(&["lint", "--specs", "/nonexistent/spec/folder"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("cannot read spec folder"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(xtask(&["lint", "--format", "yaml"]).status.code(), Some(2));
    assert_eq!(xtask(&["no-such-command"]).status.code(), Some(2));
}

#[test]
fn ir_is_json_and_byte_for_byte_stable() {
    let first = xtask(&["ir"]);
    let second = xtask(&["ir"]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert_eq!(first.stdout, second.stdout);
    let ir: serde_json::Value =
        serde_json::from_slice(&first.stdout).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(ir["dialect"], "python");
    assert!(ir["models"]["CompletionDetailedJobOut"].is_object());
}

#[test]
fn ir_of_a_broken_spec_exits_1_with_diagnostics() {
    let spec = TempSpec::new("ir-bad", &[("models/broken.md", BAD_DOC)]);
    let output = xtask(&["ir", "--specs", spec.path()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert!(text(&output.stderr).contains("unparsable-type"));
}

#[test]
fn validate_exit_codes_follow_the_instances() {
    let spec = TempSpec::new(
        "validate",
        &[
            (
                "valid.jsonl",
                "{\"title\": \"Dune\"}\n{\"title\": \"Emma\", \"volume\": 2}\n",
            ),
            ("invalid.json", "{\"volume\": \"two\"}"),
            ("drift.json", "{\"title\": \"Dune\", \"surprise\": true}"),
            ("truncated.json", "{\"title\": "),
        ],
    );
    let file = |name: &str| format!("{}/{name}", spec.path());
    let run = |args: &[&str]| xtask(&[&["validate", "--model", "Series"], args].concat());
    assert_eq!(run(&[&file("valid.jsonl")]).status.code(), Some(0));
    let invalid = run(&[&file("invalid.json")]);
    assert_eq!(invalid.status.code(), Some(1));
    let stdout = text(&invalid.stdout);
    assert!(
        stdout.contains("error at /volume: expected an integer"),
        "{stdout}"
    );
    assert!(
        stdout.contains("error at /title: expected the required field `title`"),
        "{stdout}"
    );
    assert!(stdout.contains("models/series.md:"), "{stdout}");
    assert_eq!(run(&[&file("drift.json")]).status.code(), Some(0));
    assert_eq!(
        run(&["--strict", &file("drift.json")]).status.code(),
        Some(1)
    );
    assert_eq!(run(&[&file("truncated.json")]).status.code(), Some(1));
    let json = run(&["--format", "json", &file("invalid.json")]);
    let report: serde_json::Value =
        serde_json::from_slice(&json.stdout).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(report[0]["valid"], false);
    let pointers: Vec<&str> = report[0]["findings"]
        .as_array()
        .map(|findings| {
            findings
                .iter()
                .filter_map(|finding| finding["pointer"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(pointers.len(), 2, "{pointers:?}");
    assert!(
        pointers.contains(&"/title") && pointers.contains(&"/volume"),
        "{pointers:?}"
    );
    assert_eq!(
        xtask(&["validate", "--model", "NoSuchModel", &file("valid.jsonl")])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(run(&[&file("missing.json")]).status.code(), Some(2));
}

#[test]
fn schema_and_learn_print_what_they_promise() {
    let schema = xtask(&["schema", "--model", "CatalogEntry"]);
    assert_eq!(schema.status.code(), Some(0));
    let parsed: serde_json::Value =
        serde_json::from_slice(&schema.stdout).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(parsed["$ref"], "#/$defs/CatalogEntry");
    assert!(parsed["$defs"]["BookEntry"].is_object());
    let spec = TempSpec::new(
        "learn",
        &[("payload.json", "{\"title\": \"Dune\", \"volume\": null}")],
    );
    let learned = xtask(&[
        "learn",
        "--model",
        "Series",
        &format!("{}/payload.json", spec.path()),
    ]);
    assert_eq!(learned.status.code(), Some(0));
    let stdout = text(&learned.stdout);
    assert!(
        stdout.contains("[models.Series.fields.volume]\n# seen in 1 payload"),
        "{stdout}"
    );
    assert!(stdout.contains("nullable = true"), "{stdout}");
}
