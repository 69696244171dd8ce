//! Adopting markmodel in another repository, exactly as README's "Use it in your
//! repository" says: a fresh workspace whose xtask is one call of the CLI library, with
//! a `markmodel.toml`; a crate whose build script runs `Generator`; and the installed
//! `markmodel` binary, from any folder.
//!
//! The workspaces live under `target/adopt/` (a real disk, shared build folder), outside
//! this workspace's members.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tests::{copy_dir, corpus, workspace_root};

fn adopt_dir() -> PathBuf {
    workspace_root().join("target/adopt")
}

/// One target folder for every workspace made here: their dependencies build once.
fn shared_target() -> PathBuf {
    adopt_dir().join("target")
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|err| panic!("{}: {err}", parent.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
}

/// A fresh folder for one workspace, with this repository's lock file, so the
/// dependencies resolve to the versions already built and tested here.
fn fresh_workspace(name: &str) -> PathBuf {
    let dir = adopt_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|err| panic!("{err}"));
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock"))
        .unwrap_or_else(|err| panic!("{err}"));
    dir
}

fn cargo(dir: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", shared_target())
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap_or_else(|err| panic!("cargo {args:?}: {err}"))
}

fn succeeds(output: &Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{what} failed ({:?}):\n{stdout}\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// A path dependency on one of this repository's crates, as a TOML string.
fn path_of(folder: &str) -> String {
    workspace_root()
        .join(folder)
        .display()
        .to_string()
        .replace('\\', "/")
}

#[test]
fn an_xtask_of_one_call_and_a_config_file() {
    let dir = fresh_workspace("xtask-workspace");
    write(
        &dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"xtask\"]\n",
    );
    write(
        &dir.join(".cargo/config.toml"),
        "[alias]\nxtask = \"run --quiet --package xtask --\"\n",
    );
    write(
        &dir.join("xtask/Cargo.toml"),
        &format!(
            "[package]\nname = \"xtask\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nmarkmodel-cli = {{ path = {:?} }}\n",
            path_of("cli")
        ),
    );
    write(
        &dir.join("xtask/src/main.rs"),
        "fn main() -> std::process::ExitCode {\n    markmodel_cli::main_named(\"cargo xtask\")\n}\n",
    );
    copy_dir(&workspace_root().join("specs"), &dir.join("docs/api"));
    write(
        &dir.join("markmodel.toml"),
        "specs = \"docs/api\"\nout = \"crates/api-models\"\n\n[crate]\nname = \"api-models\"\nversion = \"0.2.0\"\n\n\
         [generate]\nmodels = [\"Catalog\"]\nattributes = ['#[doc(alias = \"api\")]']\n",
    );

    let generated = succeeds(&cargo(&dir, &["xtask", "codegen"]), "cargo xtask codegen");
    assert!(generated.contains("written"), "{generated}");
    let crate_dir = dir.join("crates/api-models");
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap_or_default();
    assert!(
        manifest.contains("name = \"api-models\"\nversion = \"0.2.0\""),
        "{manifest}"
    );
    let readme = std::fs::read_to_string(crate_dir.join("README.md")).unwrap_or_default();
    assert!(readme.contains("in `docs/api`"), "{readme}");
    assert!(readme.contains("`cargo xtask codegen`"), "{readme}");
    // Only `Catalog` and what it references: the seed's models are not reached from it.
    assert!(readme.contains("| Catalog | object |"), "{readme}");
    assert!(!readme.contains("CompletionDetailedJobOut"), "{readme}");
    let lib = std::fs::read_to_string(crate_dir.join("src/models/catalog.rs")).unwrap_or_default();
    assert!(lib.contains("#[doc(alias = \"api\")]"), "{lib}");

    // Step 4 of the README: the new crate joins the workspace.
    write(
        &dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"xtask\", \"crates/api-models\"]\n",
    );
    succeeds(
        &cargo(&dir, &["build", "--quiet", "-p", "api-models"]),
        "cargo build",
    );
    let check = succeeds(
        &cargo(&dir, &["xtask", "codegen", "--check"]),
        "codegen --check",
    );
    assert!(check.contains("up to date"), "{check}");

    // A flag overrides the file; an unknown key in the file is an error at its line.
    let elsewhere = dir.join("target-models");
    let out = elsewhere.display().to_string();
    succeeds(
        &cargo(&dir, &["xtask", "codegen", "--out", &out]),
        "codegen --out",
    );
    assert!(elsewhere.join("src/lib.rs").is_file());
    write(
        &dir.join("markmodel.toml"),
        "specs = \"docs/api\"\noutt = \"x\"\n",
    );
    let invalid = cargo(&dir, &["xtask", "lint"]);
    assert_eq!(invalid.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&invalid.stderr);
    assert!(stderr.contains("markmodel.toml:2:1"), "{stderr}");
    assert!(stderr.contains("unknown field `outt`"), "{stderr}");
}

#[test]
fn a_build_script_generates_the_models_crate() {
    let dir = fresh_workspace("build-script-workspace");
    write(
        &dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"api-models\"]\n",
    );
    copy_dir(&workspace_root().join("specs"), &dir.join("docs"));
    write(
        &dir.join("api-models/Cargo.toml"),
        &format!(
            "[package]\nname = \"api-models\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [lib]\npath = \"src/lib.rs\"\n\n\
             [dependencies]\n\
             chrono = {{ version = \"0.4.41\", default-features = false, features = [\"alloc\", \"serde\"] }}\n\
             serde = {{ version = \"1.0.219\", features = [\"derive\"] }}\nserde_json = \"1.0.140\"\n\n\
             [build-dependencies]\nmarkmodel = {{ path = {:?} }}\n",
            path_of("codegen")
        ),
    );
    // `cargo new --lib` leaves a `src/lib.rs`; the first build replaces it.
    write(
        &dir.join("api-models/src/lib.rs"),
        "// Replaced by the build script.\n",
    );
    write(
        &dir.join("api-models/build.rs"),
        "fn main() -> Result<(), Box<dyn std::error::Error>> {\n    \
         markmodel::Generator::new()\n        .specs(\"../docs\")\n        .out(\".\")\n        \
         .run()?\n        .print_cargo_directives();\n    Ok(())\n}\n",
    );
    succeeds(&cargo(&dir, &["build", "--quiet"]), "cargo build");
    let crate_dir = dir.join("api-models");
    assert!(crate_dir.join("src/models/catalog.rs").is_file());
    let readme = std::fs::read_to_string(crate_dir.join("README.md")).unwrap_or_default();
    assert!(readme.contains("`cargo build`"), "{readme}");
    // The build script names every doc it read: an edited doc reruns it.
    let doc = dir.join("docs/models/catalog.md");
    let text = std::fs::read_to_string(&doc).unwrap_or_default();
    write(
        &doc,
        &text.replace("Top-level view of a library catalog.", "The whole catalog."),
    );
    succeeds(
        &cargo(&dir, &["build", "--quiet"]),
        "cargo build after an edit",
    );
    let model =
        std::fs::read_to_string(crate_dir.join("src/models/catalog.rs")).unwrap_or_default();
    assert!(model.contains("The whole catalog."), "{model}");
    let outcome = markmodel::Generator::new()
        .specs(dir.join("docs"))
        .out(&crate_dir)
        .run()
        .unwrap_or_else(|err| panic!("{err}"));
    let directives = outcome.cargo_directives();
    assert!(
        directives.contains("cargo:rerun-if-changed=")
            && directives.contains("models/catalog.md\n")
            && directives.contains("overlay.toml\n"),
        "{directives}"
    );
}

#[test]
fn the_installed_binary_works_from_any_folder() {
    let Some(corpus) = corpus("mistral-python-2.5.1") else {
        return;
    };
    let dir = fresh_workspace("install");
    let root = dir.join("root");
    let target = shared_target().display().to_string();
    let install = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["install", "--quiet", "--debug", "--locked", "--path"])
        .arg(workspace_root().join("cli"))
        .arg("--root")
        .arg(&root)
        .args(["--target-dir", &target])
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap_or_else(|err| panic!("cargo install: {err}"));
    succeeds(&install, "cargo install --path cli");
    let binary = root
        .join("bin")
        .join(format!("markmodel{}", std::env::consts::EXE_SUFFIX));
    assert!(binary.is_file(), "{}", binary.display());

    // From a folder that is no Cargo workspace at all.
    let elsewhere = dir.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap_or_else(|err| panic!("{err}"));
    let run = |args: &[&str]| {
        Command::new(&binary)
            .args(args)
            .current_dir(&elsewhere)
            .output()
            .unwrap_or_else(|err| panic!("markmodel {args:?}: {err}"))
    };
    let corpus = corpus.display().to_string();
    let version = succeeds(&run(&["--version"]), "--version");
    assert!(version.starts_with("markmodel "), "{version}");
    succeeds(&run(&["lint", "--specs", &corpus]), "lint");
    let out = elsewhere.join("models").display().to_string();
    let generated = succeeds(
        &run(&["codegen", "--specs", &corpus, "--out", &out]),
        "codegen",
    );
    assert!(generated.contains("models read"), "{generated}");
    assert!(elsewhere.join("models/src/lib.rs").is_file());
    let check = succeeds(
        &run(&["codegen", "--specs", &corpus, "--out", &out, "--check"]),
        "codegen --check",
    );
    assert!(check.contains("up to date"), "{check}");
    let diff = succeeds(&run(&["diff", &corpus, &corpus]), "diff");
    assert!(diff.contains("No changes."), "{diff}");
    let instance = elsewhere.join("usage.json");
    write(
        &instance,
        "{\"prompt_tokens\": 1, \"completion_tokens\": 2, \"total_tokens\": 3}",
    );
    let validated = run(&[
        "validate",
        "--specs",
        &corpus,
        "--model",
        "UsageInfo",
        &instance.display().to_string(),
    ]);
    succeeds(&validated, "validate");
}
