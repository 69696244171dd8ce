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

/// Colour only where asked for or on a terminal: captured output (a pipe) is plain.
#[test]
fn color_follows_the_flag_and_the_terminal() {
    const ESCAPE: char = '\u{1b}';
    let spec = TempSpec::new("color", &[("models/broken.md", BAD_DOC)]);
    let plain = xtask(&["lint", "--specs", spec.path()]);
    assert!(
        !text(&plain.stdout).contains(ESCAPE),
        "{}",
        text(&plain.stdout)
    );
    let always = xtask(&["lint", "--specs", spec.path(), "--color", "always"]);
    assert_eq!(always.status.code(), Some(1));
    assert!(
        text(&always.stdout).contains(ESCAPE),
        "{}",
        text(&always.stdout)
    );
    let never = xtask(&["--color", "never", "lint", "--specs", spec.path()]);
    assert!(!text(&never.stdout).contains(ESCAPE));
    // Spec errors on standard error follow the flag in every command.
    let ir = xtask(&["ir", "--specs", spec.path(), "--color", "always"]);
    assert_eq!(ir.status.code(), Some(1));
    assert!(text(&ir.stderr).contains(ESCAPE), "{}", text(&ir.stderr));
    let diff = xtask(&["diff", spec.path(), spec.path(), "--color", "always"]);
    assert_eq!(diff.status.code(), Some(2));
    assert!(
        text(&diff.stderr).contains(ESCAPE),
        "{}",
        text(&diff.stderr)
    );
    assert_eq!(
        xtask(&["lint", "--color", "sometimes"]).status.code(),
        Some(2)
    );
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
        &[("payload.json", "{\"title\": null, \"volume\": null}")],
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
        stdout.contains("[models.Series.fields.title]\n# seen in 1 payload"),
        "{stdout}"
    );
    assert!(stdout.contains("nullable = true"), "{stdout}");
    // A null in an optional field is tolerated: nothing to learn about `volume`.
    assert!(!stdout.contains("Series.fields.volume"), "{stdout}");
}

fn xtask_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|err| panic!("running xtask {args:?}: {err}"))
}

fn diff_fixture(case: &str, side: &str) -> String {
    workspace()
        .join("tests/fixtures/diff")
        .join(case)
        .join(side)
        .to_string_lossy()
        .into_owned()
}

#[test]
fn diff_fails_on_the_classes_asked_for() {
    // A required field added: breaks the wire (narrows) and the constructor.
    let (old, new) = (
        diff_fixture("field-added-required", "old"),
        diff_fixture("field-added-required", "new"),
    );
    assert_eq!(xtask(&["diff", &old, &new]).status.code(), Some(0));
    for gate in ["wire", "api", "any", "wire,api"] {
        let output = xtask(&["diff", &old, &new, "--fail-on", gate]);
        assert_eq!(output.status.code(), Some(1), "--fail-on {gate}");
    }
    // A JSON key rename breaks the wire only; an optional field added breaks nothing.
    let (old, new) = (
        diff_fixture("field-wire-name-changed", "old"),
        diff_fixture("field-wire-name-changed", "new"),
    );
    assert_eq!(
        xtask(&["diff", &old, &new, "--fail-on", "api"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        xtask(&["diff", &old, &new, "--fail-on", "wire"])
            .status
            .code(),
        Some(1)
    );
    let (old, new) = (
        diff_fixture("field-added-optional", "old"),
        diff_fixture("field-added-optional", "new"),
    );
    assert_eq!(
        xtask(&["diff", &old, &new, "--fail-on", "wire", "--fail-on", "api"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        xtask(&["diff", &old, &new, "--fail-on", "any"])
            .status
            .code(),
        Some(1)
    );
    let same = diff_fixture("no-changes", "old");
    assert_eq!(
        xtask(&["diff", &same, &same, "--fail-on", "any"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn diff_prints_markdown_or_stable_json() {
    let (old, new) = (
        diff_fixture("many-changes", "old"),
        diff_fixture("many-changes", "new"),
    );
    let markdown = xtask(&["diff", &old, &new]);
    assert_eq!(markdown.status.code(), Some(0));
    let markdown = text(&markdown.stdout);
    assert!(markdown.starts_with("# Spec changes: "), "{markdown}");
    assert!(markdown.contains("## `Account`"), "{markdown}");
    let first = xtask(&["diff", &old, &new, "--format", "json"]);
    let second = xtask(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(first.stdout, second.stdout);
    let json: serde_json::Value =
        serde_json::from_slice(&first.stdout).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(json["summary"]["changes"], 5);
    assert_eq!(json["changes"][0]["model"], "Account");
}

#[test]
fn diff_of_a_broken_or_missing_spec_exits_2() {
    let spec = TempSpec::new("diff-bad", &[("models/broken.md", BAD_DOC)]);
    let good = diff_fixture("no-changes", "old");
    let output = xtask(&["diff", &good, spec.path()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("unparsable-type"),
        "{}",
        text(&output.stderr)
    );
    let output = xtask(&["diff", &good, "/nonexistent/spec/folder"]);
    assert_eq!(output.status.code(), Some(2));
    let output = xtask(&["diff", "git:", &good]);
    assert_eq!(output.status.code(), Some(2));
}

/// A temporary git repository, removed when dropped; git runs without user config.
struct TempRepo(PathBuf);

impl TempRepo {
    fn new(name: &str) -> Self {
        let root = std::env::temp_dir().join(format!("xtask-git-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap_or_else(|err| panic!("{err}"));
        let repo = Self(root);
        repo.git(&["init", "-q"]);
        repo
    }

    fn git(&self, args: &[&str]) {
        let output = Command::new("git")
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .current_dir(&self.0)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap_or_else(|err| panic!("git {args:?}: {err} (is git installed?)"));
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            text(&output.stderr)
        );
    }

    /// Replaces `spec/` with a copy of `from` and commits it.
    fn commit_spec(&self, from: &Path, message: &str) {
        let spec = self.0.join("spec");
        let _ = std::fs::remove_dir_all(&spec);
        copy_dir(from, &spec);
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }
}

impl Drop for TempRepo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|err| panic!("{err}"));
    for entry in std::fs::read_dir(from).unwrap_or_else(|err| panic!("{err}")) {
        let entry = entry.unwrap_or_else(|err| panic!("{err}"));
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|err| panic!("{err}"));
        }
    }
}

#[test]
fn diff_reads_specs_from_git_revisions() {
    let case = workspace().join("tests/fixtures/diff/model-renamed-cascade");
    let repo = TempRepo::new("diff");
    repo.commit_spec(&case.join("old"), "old");
    repo.commit_spec(&case.join("new"), "new");
    // The working tree can hold anything: git sources never read it.
    std::fs::remove_dir_all(repo.0.join("spec")).unwrap_or_else(|err| panic!("{err}"));

    let from_git = xtask_in(
        &repo.0,
        &[
            "diff",
            "git:HEAD~1:spec",
            "git:HEAD:spec",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        from_git.status.code(),
        Some(0),
        "{}",
        text(&from_git.stderr)
    );
    let from_folders = xtask(&[
        "diff",
        &case.join("old").to_string_lossy(),
        &case.join("new").to_string_lossy(),
        "--format",
        "json",
    ]);
    let mut git_report: serde_json::Value =
        serde_json::from_slice(&from_git.stdout).unwrap_or_else(|err| panic!("{err}"));
    let mut folder_report: serde_json::Value =
        serde_json::from_slice(&from_folders.stdout).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(git_report["old"], "git:HEAD~1:spec");
    for report in [&mut git_report, &mut folder_report] {
        report["old"] = serde_json::Value::Null;
        report["new"] = serde_json::Value::Null;
    }
    assert_eq!(
        git_report, folder_report,
        "the same report from git as from folders"
    );
    assert_eq!(git_report["renames"][0]["old"], "JobOut");

    // A revision against a folder, the gate, and a revision that does not exist.
    let output = xtask_in(
        &repo.0,
        &[
            "diff",
            "git:HEAD~1:spec",
            &case.join("new").to_string_lossy(),
            "--fail-on",
            "api",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    let output = xtask_in(&repo.0, &["diff", "git:no-such-rev:spec", "git:HEAD:spec"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("no-such-rev"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn codegen_check_names_the_models_and_fields_the_code_lags_behind() {
    let case = workspace().join("tests/fixtures/diff/many-changes");
    let out = std::env::temp_dir().join(format!("xtask-lag-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let out_arg = out.to_string_lossy().into_owned();
    let old = case.join("old").to_string_lossy().into_owned();
    let new = case.join("new").to_string_lossy().into_owned();
    let written = xtask(&["codegen", "--specs", &old, "--out", &out_arg]);
    assert_eq!(written.status.code(), Some(0), "{}", text(&written.stderr));

    let check = xtask(&["codegen", "--specs", &new, "--out", &out_arg, "--check"]);
    assert_eq!(check.status.code(), Some(1));
    let stdout = text(&check.stdout);
    let report_end = stdout
        .find("# File diff")
        .unwrap_or_else(|| panic!("{stdout}"));
    let (report, files) = stdout.split_at(report_end);
    for named in [
        "## `Account`",
        "field-added `currency`",
        "field-type-changed `balance`",
        "field-removed `legacy_code`",
        "## `AccountStatus`",
        "enum-value-removed `\"closed\"`",
    ] {
        assert!(report.contains(named), "{named} in\n{report}");
    }
    assert!(files.contains("+++ b/src/models/account.rs"), "{files}");
    assert!(
        !files.contains("ir.manifest"),
        "the manifest's JSON lines stay out of the diff"
    );

    // Regenerating says what changed for the crate's users, once.
    let regenerated = xtask(&["codegen", "--specs", &new, "--out", &out_arg]);
    assert_eq!(
        regenerated.status.code(),
        Some(0),
        "{}",
        text(&regenerated.stderr)
    );
    let summary = text(&regenerated.stdout);
    assert!(
        summary.contains("the spec changed since the last generation: 5 changes"),
        "{summary}"
    );
    assert!(
        summary.contains("Rust API changed in `Account`, `AccountStatus`"),
        "{summary}"
    );
    let again = xtask(&["codegen", "--specs", &new, "--out", &out_arg]);
    assert!(
        !text(&again.stdout).contains("changed since"),
        "{}",
        text(&again.stdout)
    );
    let written = xtask(&["codegen", "--specs", &old, "--out", &out_arg]);
    assert_eq!(written.status.code(), Some(0));

    // A crate without a manifest still gets its file diff, and says why it names nothing.
    std::fs::remove_file(out.join("src/ir.manifest")).unwrap_or_else(|err| panic!("{err}"));
    let check = xtask(&["codegen", "--specs", &new, "--out", &out_arg, "--check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        text(&check.stdout).contains("Cannot say which models"),
        "{}",
        text(&check.stdout)
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// Vendored docs stay untouched: `--overlay` reads (and `learn --write` writes) an overlay
/// kept outside the spec folder, and diagnostics point into that file.
#[test]
fn an_overlay_outside_the_spec_folder_stands_in_for_the_folders_own() {
    let specs = workspace().join("tests/fixtures/learn/specs");
    let specs_arg = specs.to_string_lossy().into_owned();
    let payloads = workspace().join("tests/fixtures/learn/payloads.jsonl");
    let payloads_arg = payloads.to_string_lossy().into_owned();
    let dir = TempSpec::new("external-overlay", &[]);
    std::fs::create_dir_all(&dir.0).unwrap_or_else(|err| panic!("{err}"));
    let overlay = dir.0.join("batch-overlay.toml");
    let overlay_arg = overlay.to_string_lossy().into_owned();

    // A missing `--overlay` is an error, not a silently empty overlay...
    let output = xtask(&["lint", "--specs", &specs_arg, "--overlay", &overlay_arg]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("does not exist"),
        "{}",
        text(&output.stderr)
    );

    // ...except for `learn --write`, which creates it there.
    let output = xtask(&[
        "learn",
        "--specs",
        &specs_arg,
        "--overlay",
        &overlay_arg,
        "--model",
        "BatchJob",
        "--write",
        &payloads_arg,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let learned = std::fs::read_to_string(&overlay).unwrap_or_else(|err| panic!("{err}"));
    assert!(learned.contains("wire = \"inputFiles\""), "{learned}");
    assert!(
        !specs.join("overlay.toml").exists(),
        "the spec folder is not written"
    );

    // The overlay's facts reach the IR, and strict validation passes only with it.
    let ir = xtask(&["ir", "--specs", &specs_arg, "--overlay", &overlay_arg]);
    assert_eq!(ir.status.code(), Some(0), "{}", text(&ir.stderr));
    assert!(text(&ir.stdout).contains("\"inputFiles\""));
    let strict = |with_overlay: bool| {
        let mut args = vec![
            "validate", "--specs", &specs_arg, "--model", "BatchJob", "--strict",
        ];
        if with_overlay {
            args.extend(["--overlay", &overlay_arg]);
        }
        args.push(&payloads_arg);
        xtask(&args).status.code()
    };
    assert_eq!(strict(false), Some(1));
    assert_eq!(strict(true), Some(0));

    // A diagnostic about the overlay names the overlay's own path.
    let mut unmatched = learned.clone();
    unmatched.push_str("\n[models.NoSuchModel]\nopen = true\n");
    std::fs::write(&overlay, unmatched).unwrap_or_else(|err| panic!("{err}"));
    let lint = xtask(&["lint", "--specs", &specs_arg, "--overlay", &overlay_arg]);
    assert_eq!(
        lint.status.code(),
        Some(0),
        "warnings only: {}",
        text(&lint.stdout)
    );
    let report = text(&lint.stdout);
    assert!(report.contains("overlay-unmatched"), "{report}");
    assert!(report.contains("batch-overlay.toml"), "{report}");
}

/// `--dialect` overrides detection, names the dialects it knows, and a folder mixing two
/// dialects exits 1 with one error.
#[test]
fn dialect_flag_and_mixed_folders() {
    let go = xtask(&[
        "lint",
        "--specs",
        "tests/fixtures/dialects/go",
        "--dialect",
        "go",
    ]);
    assert_eq!(go.status.code(), Some(0), "{}", text(&go.stdout));
    let forced = xtask(&[
        "lint",
        "--specs",
        "tests/fixtures/dialects/go",
        "--dialect",
        "ruby",
    ]);
    assert_eq!(
        forced.status.code(),
        Some(1),
        "Go docs read as Ruby do not parse"
    );
    assert!(text(&forced.stdout).contains("unparsable-type"));
    let unknown = xtask(&["lint", "--dialect", "cobol"]);
    assert_eq!(unknown.status.code(), Some(2));
    let message = text(&unknown.stderr);
    assert!(
        message.contains("unknown dialect `cobol`") && message.contains("csharp"),
        "{message}"
    );
    let mixed = xtask(&["lint", "--specs", "tests/fixtures/bad/mixed-dialects"]);
    assert_eq!(mixed.status.code(), Some(1));
    let out = text(&mixed.stdout);
    assert_eq!(out.matches("error[").count(), 1, "{out}");
    assert!(out.contains("error[mixed-dialects]"), "{out}");
}
