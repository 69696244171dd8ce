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
fn specs_given_twice_are_merged() {
    let (python, typescript) = (
        "tests/fixtures/merge/python",
        "tests/fixtures/merge/typescript",
    );
    let output = xtask(&["ir", "--specs", python, "--specs", typescript]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let ir: serde_json::Value =
        serde_json::from_slice(&output.stdout).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(ir["sources"][0]["label"], python);
    assert_eq!(ir["sources"][1]["dialect"], "typescript");
    let genre_open = &ir["models"]["Genre"]["open"];
    assert_eq!(genre_open["source"], "doc");
    assert_eq!(
        genre_open["from"],
        format!("{typescript}/models/components/genre.md:1:1")
    );
    let lint = xtask(&["lint", "--specs", python, "--specs", typescript]);
    assert_eq!(lint.status.code(), Some(0), "{}", text(&lint.stdout));
    let report = text(&lint.stdout);
    assert!(report.contains("warning[merge-conflict]"), "{report}");
    assert!(
        report.contains(&format!("{typescript}/models/components/book.md")),
        "{report}"
    );
    // `validate` reads the merged spec: the TypeScript `Date` makes `published_at` a
    // date-time, so a calendar date is an error there.
    let instances = TempSpec::new(
        "merged-validate",
        &[(
            "books.jsonl",
            "{\"book_id\": \"b\", \"title\": \"t\", \"page_count\": 1, \"published_at\": \"2024-03-01T09:00:00Z\", \"blurb\": \"x\"}\n{\"book_id\": \"b\", \"title\": \"t\", \"page_count\": 1, \"published_at\": \"2024-03-01\", \"blurb\": \"x\"}\n",
        )],
    );
    let file = format!("{}/books.jsonl", instances.path());
    let validate = xtask(&[
        "validate", "--specs", python, "--specs", typescript, "--model", "Book", &file,
    ]);
    let report = text(&validate.stdout);
    assert_eq!(validate.status.code(), Some(1), "{report}");
    assert!(report.contains("1 valid, 1 invalid"), "{report}");
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

/// `xtask validate` with the spec cache in `cache` (`""`: none).
fn xtask_cached(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(workspace())
        .env("MARKMODEL_CACHE_DIR", cache)
        .output()
        .unwrap_or_else(|err| panic!("running xtask {args:?}: {err}"))
}

#[test]
fn validate_checks_the_files_of_several_models_in_one_run() {
    let dir = TempSpec::new(
        "validate-models",
        &[
            (
                "series.jsonl",
                "{\"title\": \"Dune\"}\n{\"volume\": \"two\"}\n",
            ),
            ("more-series.json", "{\"title\": \"Emma\"}"),
            ("catalog.json", "{\"id\": 1}"),
        ],
    );
    let file = |name: &str| format!("{}/{name}", dir.path());
    let (series, more, catalog) = (
        file("series.jsonl"),
        file("more-series.json"),
        file("catalog.json"),
    );
    let cache = Path::new(dir.path()).join("cache");
    let args = |format: &str| -> Vec<String> {
        [
            "validate", "--format", format, "--model", "Series", &series, &more, "--model",
            "Catalog", &catalog,
        ]
        .map(str::to_owned)
        .to_vec()
    };
    let run = |cache: &Path, format: &str| {
        let args = args(format);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        xtask_cached(cache, &args)
    };
    let human = run(&cache, "human");
    assert_eq!(human.status.code(), Some(1), "{}", text(&human.stderr));
    let stdout = text(&human.stdout);
    assert!(
        stdout.contains(&format!("{series}:2: invalid `Series`")),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{catalog}:1: invalid `Catalog`")),
        "{stdout}"
    );
    assert!(
        stdout.contains("validate: 3 instances of `Series`: 2 valid, 1 invalid"),
        "{stdout}"
    );
    assert!(
        stdout.contains("validate: 1 instances of `Catalog`: 0 valid, 1 invalid"),
        "{stdout}"
    );
    assert!(
        stdout.contains("validate: 4 instances of 2 models: 2 valid, 2 invalid"),
        "{stdout}"
    );
    let json = run(&cache, "json");
    let report: serde_json::Value =
        serde_json::from_slice(&json.stdout).unwrap_or_else(|err| panic!("{err}"));
    let models: Vec<(&str, &str)> = report
        .as_array()
        .map(|instances| {
            instances
                .iter()
                .filter_map(|instance| {
                    Some((instance["file"].as_str()?, instance["model"].as_str()?))
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        models,
        [
            (series.as_str(), "Series"),
            (series.as_str(), "Series"),
            (more.as_str(), "Series"),
            (catalog.as_str(), "Catalog")
        ]
    );
    let github = text(&run(&cache, "github").stdout);
    assert!(github.contains("title=Catalog%3A invalid"), "{github}");
    assert!(github.contains("title=Series%3A invalid"), "{github}");

    // The cache filled by the first run gives the same reports as no cache at all.
    assert!(cache.is_dir(), "the spec cache was written");
    for format in ["human", "json", "github"] {
        let cached = run(&cache, format);
        let fresh = run(Path::new(""), format);
        assert_eq!(text(&cached.stdout), text(&fresh.stdout), "{format}");
        assert_eq!(cached.status.code(), fresh.status.code(), "{format}");
    }

    // Files before any model, or a model without files, are usage errors.
    let no_files = xtask(&[
        "validate", "--model", "Series", "--model", "Catalog", &catalog,
    ]);
    assert_eq!(no_files.status.code(), Some(2));
    assert!(text(&no_files.stderr).contains("`--model Series` is followed by no files"));
    let loose = xtask(&[
        "validate", "--model", "Series", &series, "--model", "Catalog", &catalog, "--", &more,
    ]);
    assert_eq!(loose.status.code(), Some(2), "{}", text(&loose.stderr));
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

/// The workflow of README's "Use it in your repository" is valid YAML, is the one the
/// README shows, and runs only commands and flags the CLI has (with the values it takes).
#[test]
fn the_ready_workflow_runs_real_commands() {
    let root = workspace();
    let workflow = std::fs::read_to_string(root.join("tests/fixtures/workflow/models.yml"))
        .unwrap_or_else(|err| panic!("{err}"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap_or_default();
    assert!(
        readme.contains(&format!("```yaml\n{workflow}```")),
        "README shows another workflow"
    );
    let documents = yaml_rust2::YamlLoader::load_from_str(&workflow)
        .unwrap_or_else(|err| panic!("the workflow is not YAML: {err}"));
    let steps = documents[0]["jobs"]["models"]["steps"]
        .as_vec()
        .unwrap_or_else(|| panic!("no steps"));
    let commands: Vec<&str> = steps
        .iter()
        .filter_map(|step| step["run"].as_str())
        .collect();
    assert_eq!(commands.len(), 3, "{commands:?}");
    for command in commands {
        let words: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(&words[..2], ["cargo", "xtask"], "{command}");
        let help = text(&xtask(&[words[2], "--help"]).stdout);
        for (index, word) in words.iter().enumerate().skip(3) {
            if word.starts_with("--") {
                assert!(help.contains(word), "`{command}`: no `{word}` in:\n{help}");
                let value = words.get(index + 1).filter(|next| !next.starts_with("--"));
                if let Some(values) = value.filter(|_| *word == "--format" || *word == "--fail-on")
                {
                    for value in values.split(',') {
                        assert!(
                            help.contains(value),
                            "`{command}`: `{word} {value}`:\n{help}"
                        );
                    }
                }
            }
        }
    }
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true" || value == "1")
}

/// The spec argument for one real corpus: `../shared/corpora/NAME` from the workspace (as
/// a user would write it), or under `$SPEC_CORPORA`. `None` (with a message) when it is
/// missing; under `CI=true` a missing corpus fails the test instead of skipping it.
fn corpus(name: &str) -> Option<String> {
    let argument = match std::env::var_os("SPEC_CORPORA") {
        Some(corpora) => PathBuf::from(corpora).join(name),
        None => Path::new("../shared/corpora").join(name),
    };
    if workspace().join(&argument).join("models").is_dir() {
        return Some(argument.to_string_lossy().into_owned());
    }
    let message = format!(
        "corpus `{name}` not found at {} (set SPEC_CORPORA to the folder holding the corpora)",
        argument.display()
    );
    assert!(
        !in_ci(),
        "{message}; under CI a missing corpus is a failure"
    );
    eprintln!("skipping: {message}");
    None
}

/// One GitHub Actions workflow command, read back.
#[derive(Debug)]
struct Annotation {
    level: String,
    /// `file`, `line` and `title`, unescaped; empty for a line without properties.
    file: Option<String>,
    line: Option<u32>,
    title: Option<String>,
    message: String,
}

/// Reads `^::(error|warning|notice)( file=F,line=N(,title=T)?)?::M$`, where F and T
/// hold no raw `:`, `,`, CR or LF and M no raw CR or LF, and every `%` starts one of
/// the escapes GitHub reads (`%25`, `%0D`, `%0A`, and in properties `%3A`, `%2C`).
fn parse_annotation(line: &str) -> Result<Annotation, String> {
    let rest = line.strip_prefix("::").ok_or("no leading `::`")?;
    let (level, rest) = ["error", "warning", "notice"]
        .iter()
        .find_map(|level| rest.strip_prefix(level).map(|rest| (*level, rest)))
        .ok_or("unknown command")?;
    // Properties never hold a raw `:`, so the first `::` ends them.
    let end = rest.find("::").ok_or("no `::` before the message")?;
    let (properties, message) = (&rest[..end], &rest[end + 2..]);
    if message.is_empty() {
        return Err("empty message".to_owned());
    }
    let message = unescape(message, false)?;
    let mut annotation = Annotation {
        level: level.to_owned(),
        file: None,
        line: None,
        title: None,
        message,
    };
    if properties.is_empty() {
        return Ok(annotation);
    }
    let properties = properties
        .strip_prefix(' ')
        .ok_or("no space before the properties")?;
    let mut pairs = properties.split(',');
    let mut next = |key: &str| -> Result<Option<String>, String> {
        match pairs.next() {
            None => Ok(None),
            Some(pair) => {
                let value = pair
                    .strip_prefix(key)
                    .and_then(|pair| pair.strip_prefix('='))
                    .ok_or_else(|| format!("`{pair}` where `{key}=` belongs"))?;
                unescape(value, true).map(Some)
            }
        }
    };
    annotation.file = Some(next("file")?.ok_or("no file")?);
    let line = next("line")?.ok_or("no line after the file")?;
    annotation.line = Some(line.parse().map_err(|_| format!("line `{line}`"))?);
    annotation.title = next("title")?;
    if pairs.next().is_some() {
        return Err("properties beyond file, line and title".to_owned());
    }
    Ok(annotation)
}

fn unescape(text: &str, property: bool) -> Result<String, String> {
    if text.contains(['\r', '\n']) || (property && text.contains([':', ','])) {
        return Err(format!("`{text}` holds an unescaped character"));
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(percent) = rest.find('%') {
        out.push_str(&rest[..percent]);
        let code = rest.get(percent + 1..percent + 3).unwrap_or_default();
        out.push(match code {
            "25" => '%',
            "0D" => '\r',
            "0A" => '\n',
            "3A" if property => ':',
            "2C" if property => ',',
            _ => return Err(format!("`%{code}` in `{text}` is no escape")),
        });
        rest = &rest[percent + 3..];
    }
    out.push_str(rest);
    Ok(out)
}

#[test]
fn annotation_parser_rejects_what_github_would_misread() {
    let good = parse_annotation("::error file=a%2Cb.md,line=3,title=T%3A x::50%25%0Aoff")
        .unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(good.file.as_deref(), Some("a,b.md"));
    assert_eq!(good.title.as_deref(), Some("T: x"));
    assert_eq!(good.message, "50%\noff");
    assert!(parse_annotation("::notice::summary").is_ok());
    for bad in [
        "::error file=a:b.md,line=3::m",
        "::error file=a.md::m",
        "::error file=a.md,line=x::m",
        "::error title=t,file=a.md,line=3::m",
        "::error file=a.md,line=3::50% off",
        "::error file=a.md,line=3::",
        "::debug::m",
    ] {
        assert!(parse_annotation(bad).is_err(), "{bad}");
    }
}

/// The real history: every line is an annotation, one per breaking change and in the
/// order of `--format json`, at its new doc line (old for a change only the old docs
/// show), an error exactly when the change is of a `--fail-on` class.
#[test]
fn diff_github_annotates_every_breaking_change_of_the_real_history() {
    let (Some(old), Some(new)) = (
        corpus("mistral-python-1.7.0"),
        corpus("mistral-python-2.5.1"),
    ) else {
        return;
    };
    let json = xtask(&["diff", &old, &new, "--format", "json"]);
    let report: serde_json::Value =
        serde_json::from_slice(&json.stdout).unwrap_or_else(|err| panic!("{err}"));
    let breaking: Vec<&serde_json::Value> = report["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("no changes"))
        .iter()
        .filter(|change| change["wire_breaking"] == true || change["api_breaking"] == true)
        .collect();
    assert!(breaking.len() > 100, "{}", breaking.len());

    for (gate, class) in [("api", "api_breaking"), ("wire", "wire_breaking")] {
        let output = xtask(&["diff", &old, &new, "--format", "github", "--fail-on", gate]);
        assert_eq!(output.status.code(), Some(1), "--fail-on {gate}");
        let stdout = text(&output.stdout);
        let annotations: Vec<Annotation> = stdout
            .lines()
            .map(|line| parse_annotation(line).unwrap_or_else(|err| panic!("{err}: {line}")))
            .collect();
        let (changes, notices): (Vec<&Annotation>, Vec<&Annotation>) = annotations
            .iter()
            .partition(|annotation| annotation.level != "notice");
        assert_eq!(changes.len(), breaking.len(), "--fail-on {gate}");
        assert_eq!(notices.len(), 1, "one summary notice");
        for (annotation, change) in changes.iter().zip(&breaking) {
            let expected = if change[class] == true {
                "error"
            } else {
                "warning"
            };
            assert_eq!(annotation.level, expected, "{change}");
            let (root, location) = match change["new"].as_str() {
                Some(new_location) => (&new, new_location),
                None => (&old, change["old"].as_str().unwrap_or_default()),
            };
            let mut parts = location.rsplitn(3, ':');
            let (_, line, file) = (parts.next(), parts.next(), parts.next());
            assert_eq!(
                annotation.file.as_deref(),
                file.map(|file| format!("{root}/{file}")).as_deref(),
                "{change}"
            );
            assert_eq!(
                annotation.line.map(|line| line.to_string()).as_deref(),
                line,
                "{change}"
            );
            let model = change["model"].as_str().unwrap_or_default();
            assert!(
                annotation
                    .title
                    .as_deref()
                    .is_some_and(|title| title.starts_with(model)),
                "{change}"
            );
        }
    }
    // Without a gate nothing is an error, and the exit code stays 0.
    let output = xtask(&["diff", &old, &new, "--format", "github"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(!text(&output.stdout).contains("::error"));
}

#[test]
fn diff_github_of_a_small_change_names_the_docs_as_given() {
    let case = "tests/fixtures/diff/many-changes";
    let (old, new) = (format!("{case}/old"), format!("{case}/new"));
    let output = xtask(&[
        "diff",
        &old,
        &new,
        "--format",
        "github",
        "--fail-on",
        "wire",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stdout),
        format!(
            "::warning file={old}/models/account.md,line=10,title=Account%3A field-removed::field-removed `legacy_code`: removed: optional `str`; breaking: api\n\
             ::error file={new}/models/account.md,line=12,title=Account%3A field-added::field-added `currency`: added: required `str`; breaking: wire (narrows), api\n\
             ::error file={new}/models/account.md,line=10,title=Account%3A field-type-changed::field-type-changed `balance`: `int` -> `str`; breaking: wire (narrows and widens), api (old: {old}/models/account.md:11)\n\
             ::error file={old}/models/accountstatus.md,line=15,title=AccountStatus%3A enum-value-removed::enum-value-removed `\"closed\"`: value `\"closed\"` removed; breaking: wire (narrows), api\n\
             ::notice::diff: 5 changes in 2 models: 3 breaking on the wire, 4 for Rust code; 4 breaking changes annotated (3 errors, 1 warning), 1 compatible (`--format markdown` lists them)\n"
        )
    );
}

/// A `git:REV:PATH` side names its files by `PATH` in the repository.
#[test]
fn diff_github_of_git_revisions_names_paths_in_the_repository() {
    let case = workspace().join("tests/fixtures/diff/field-added-required");
    let repo = TempRepo::new("diff-github");
    repo.commit_spec(&case.join("old"), "old");
    repo.commit_spec(&case.join("new"), "new");
    let output = xtask_in(
        &repo.0,
        &[
            "diff",
            "git:HEAD~1:spec",
            "git:HEAD:./spec/",
            "--format",
            "github",
            "--fail-on",
            "api",
        ],
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(
            "::error file=spec/models/member.md,line=10,title=Member%3A field-added::"
        ),
        "{stdout}"
    );
}

/// A spec (`specs/`) and payloads in a folder of their own, run from that folder so the
/// payload paths are relative, as a workflow gives them.
fn validate_github(args: &[&str], payloads: &[(&str, &str)]) -> (Option<i32>, String) {
    let dir = TempSpec::new("validate-github", payloads);
    let specs = workspace().join("specs").to_string_lossy().into_owned();
    let mut all = vec!["validate", "--specs", &specs, "--format", "github"];
    all.extend(args);
    let output = xtask_in(&dir.0, &all);
    (output.status.code(), text(&output.stdout))
}

#[test]
fn validate_github_annotates_each_finding_on_its_instance_line() {
    let payloads = [(
        "payloads/series,mixed.jsonl",
        "{\"title\": \"Dune\"}\n{\"volume\": \"two\"}\n{\"title\": \"Dune\", \"surprise\": true}\n",
    )];
    let file = "payloads/series%2Cmixed.jsonl";
    let invalid = format!(
        "::error file={file},line=2,title=Series%3A invalid::at /volume: expected an integer (64-bit) (models/series.md:9:1); found \"two\"\n\
         ::error file={file},line=2,title=Series%3A invalid::at /title: expected the required field `title` (models/series.md:8:1); found nothing (the key is missing)\n"
    );
    let hint = |level: &str| {
        format!(
            "::{level} file={file},line=3,title=Series%3A drift hint::at /surprise: expected only the documented keys of `Series` (this one is dropped when read) (models/series.md:1:1); found the key `surprise`\n"
        )
    };
    let (code, stdout) = validate_github(
        &["--model", "Series", "payloads/series,mixed.jsonl"],
        &payloads,
    );
    assert_eq!(code, Some(1));
    assert_eq!(stdout, format!("{invalid}{}", hint("warning")));
    // Under `--strict` a drift hint fails the run, so it is an error.
    let (code, stdout) = validate_github(
        &[
            "--model",
            "Series",
            "--strict",
            "payloads/series,mixed.jsonl",
        ],
        &payloads,
    );
    assert_eq!(code, Some(1));
    assert_eq!(stdout, format!("{invalid}{}", hint("error")));
    let (code, stdout) = validate_github(
        &["--model", "Series", "ok.json"],
        &[("ok.json", "{\"title\": \"Dune\"}")],
    );
    assert_eq!((code, stdout.as_str()), (Some(0), ""));
}

#[test]
fn validate_github_lists_the_members_of_a_union_in_the_message() {
    let (code, stdout) = validate_github(
        &["--model", "CatalogEntry", "entry.json"],
        &[("entry.json", "{\"type\": null}")],
    );
    assert_eq!(code, Some(1));
    let annotation = parse_annotation(stdout.trim_end()).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        (annotation.file.as_deref(), annotation.line),
        (Some("entry.json"), Some(1))
    );
    let lines: Vec<&str> = annotation.message.lines().collect();
    assert!(
        lines[0].starts_with("at /: expected a member of `CatalogEntry`"),
        "{lines:?}"
    );
    assert!(lines.contains(&"member `BookEntry`:"), "{lines:?}");
    assert!(lines.contains(&"member `PeriodicalEntry`:"), "{lines:?}");
}

/// A crate generated from `old` into a temporary folder, as `--out` names it.
fn generated_crate(name: &str, specs: &str) -> (TempSpec, String) {
    let dir = TempSpec::new(name, &[]);
    let out = dir.path().to_owned();
    let written = xtask(&["codegen", "--specs", specs, "--out", &out]);
    assert_eq!(written.status.code(), Some(0), "{}", text(&written.stderr));
    (dir, out)
}

#[test]
fn codegen_check_github_annotates_stale_missing_and_extra_files() {
    let specs = "tests/fixtures/diff/field-added-required/old";
    let (dir, out) = generated_crate("check-github-files", specs);
    let lib = dir.0.join("src/lib.rs");
    let original = std::fs::read_to_string(&lib).unwrap_or_else(|err| panic!("{err}"));
    let edited: Vec<&str> = original
        .lines()
        .enumerate()
        .map(|(index, line)| if index == 1 { "// edited" } else { line })
        .collect();
    std::fs::write(&lib, edited.join("\n") + "\n").unwrap_or_else(|err| panic!("{err}"));
    std::fs::remove_file(dir.0.join("src/literals.rs")).unwrap_or_else(|err| panic!("{err}"));
    std::fs::write(
        dir.0.join("src/models/extra.rs"),
        "// @generated by `cargo xtask codegen`: do not edit by hand.\npub struct Extra;\n",
    )
    .unwrap_or_else(|err| panic!("{err}"));

    let check = xtask(&[
        "codegen", "--specs", specs, "--out", &out, "--check", "--format", "github",
    ]);
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(
        text(&check.stdout),
        format!(
            "::error file={out}/src/lib.rs,line=2,title=stale generated file::not what codegen generates from `{specs}` now: regenerate it and commit the result\n\
             ::error file={out}/src/literals.rs,title=missing generated file::codegen generates it from `{specs}`: regenerate and commit the result\n\
             ::error file={out}/src/models/extra.rs,line=1,title=extra generated file::no model of `{specs}` generates it: regenerating removes it\n\
             ::notice::the spec has not changed since the code was generated; the files differ from what markmodel writes (edited by hand, or written by another version)\n"
        )
    );
    let json = xtask(&[
        "codegen", "--specs", specs, "--out", &out, "--check", "--format", "json",
    ]);
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value =
        serde_json::from_slice(&json.stdout).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        report,
        serde_json::json!({
            "up_to_date": false,
            "crate": out,
            "spec": specs,
            "stale_files": [
                {"path": format!("{out}/src/lib.rs"), "state": "stale", "line": 2},
                {"path": format!("{out}/src/literals.rs"), "state": "missing"},
                {"path": format!("{out}/src/models/extra.rs"), "state": "extra", "line": 1},
            ],
            "lagging": [],
            "lag_unknown": null,
        })
    );

    let written = xtask(&["codegen", "--specs", specs, "--out", &out]);
    assert_eq!(written.status.code(), Some(0));
    let fresh = xtask(&[
        "codegen", "--specs", specs, "--out", &out, "--check", "--format", "github",
    ]);
    assert_eq!(fresh.status.code(), Some(0));
    assert_eq!(
        text(&fresh.stdout),
        format!("::notice::codegen --check: `{out}` is up to date with `{specs}`\n")
    );
    let fresh = xtask(&[
        "codegen", "--specs", specs, "--out", &out, "--check", "--format", "json",
    ]);
    let report: serde_json::Value =
        serde_json::from_slice(&fresh.stdout).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(report["up_to_date"], true);
    assert_eq!(report["stale_files"], serde_json::json!([]));
}

#[test]
fn codegen_check_github_annotates_the_docs_the_code_lags_behind() {
    let case = "tests/fixtures/diff/field-added-required";
    let new = format!("{case}/new");
    let (_dir, out) = generated_crate("check-github-lag", &format!("{case}/old"));
    let check = xtask(&[
        "codegen", "--specs", &new, "--out", &out, "--check", "--format", "github",
    ]);
    assert_eq!(check.status.code(), Some(1));
    let stdout = text(&check.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let stale: Vec<&str> = lines
        .iter()
        .filter_map(|line| line.strip_prefix(&format!("::error file={out}/")))
        .filter_map(|rest| rest.split_once(",line="))
        .map(|(file, _)| file)
        .collect();
    // The README and the crate docs name the spec folder, which is another one here.
    assert_eq!(
        stale,
        [
            "README.md",
            "src/ir.manifest",
            "src/lib.rs",
            "src/models/member.rs"
        ],
        "{stdout}"
    );
    assert_eq!(
        lines.last().copied(),
        Some(
            format!(
                "::error file={new}/models/member.md,line=1,title=Member%3A generated code lags behind::`{out}` was generated before 1 change to `Member` (1 breaking):%0Afield-added `email`: added: required `str`; breaking: wire (narrows), api"
            )
            .as_str()
        ),
        "{stdout}"
    );
    let json = xtask(&[
        "codegen", "--specs", &new, "--out", &out, "--check", "--format", "json",
    ]);
    let report: serde_json::Value =
        serde_json::from_slice(&json.stdout).unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(report["lagging"][0]["kind"], "field-added");
    assert_eq!(report["lagging"][0]["new"], "models/member.md:10:1");
    // Without `--check` there is nothing to format.
    let usage = xtask(&[
        "codegen", "--specs", &new, "--out", &out, "--format", "json",
    ]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn every_command_has_a_help_text_with_an_example_and_a_version() {
    for command in [
        "ir", "codegen", "validate", "schema", "learn", "diff", "lint",
    ] {
        let help = text(&xtask(&[command, "--help"]).stdout);
        assert!(
            help.contains("Example:\n  markmodel "),
            "{command}:\n{help}"
        );
    }
    let version = text(&xtask(&["--version"]).stdout);
    assert_eq!(
        version,
        format!("cargo xtask {}\n", env!("CARGO_PKG_VERSION"))
    );
}
