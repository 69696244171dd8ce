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
