//! Shared helpers for the end-to-end tests: where the workspace, the fixtures and the
//! real corpora are, and how a test skips (or, under CI, fails) without the corpora.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR"));
    tests
        .parent()
        .map_or_else(|| tests.to_path_buf(), Path::to_path_buf)
}

/// This crate's folder (`tests/`), where fixtures and snapshots live.
pub fn tests_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| value == "true" || value == "1")
}

/// The folder of one real corpus (`mistral-python-2.5.1`), from `$SPEC_CORPORA` or
/// `../shared/corpora` beside the workspace root. `None` (with a message) when it is
/// missing; under `CI=true` a missing corpus fails the test instead of skipping it.
pub fn corpus(name: &str) -> Option<PathBuf> {
    let corpora = std::env::var_os("SPEC_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("../shared/corpora"));
    let folder = corpora.join(name);
    // The C# SDK keeps its docs under `Models/`.
    if folder.join("models").is_dir() || folder.join("Models").is_dir() {
        return Some(folder);
    }
    let message = format!(
        "corpus `{name}` not found at {} (set SPEC_CORPORA to the folder holding the corpora)",
        folder.display()
    );
    assert!(
        !in_ci(),
        "{message}; under CI a missing corpus is a failure"
    );
    eprintln!("skipping: {message}");
    None
}

/// The spec-relative paths of every markdown document under `root`, sorted.
pub fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries =
            std::fs::read_dir(&dir).unwrap_or_else(|err| panic!("{}: {err}", dir.display()));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
                .path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// A spec held in memory, for tests that make many small specs.
#[derive(Debug, Default, Clone)]
pub struct MemorySource {
    pub files: std::collections::BTreeMap<String, Vec<u8>>,
}

impl MemorySource {
    pub fn with(mut self, relative: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.files.insert(relative.to_owned(), bytes.into());
        self
    }
}

impl markmodel::SpecSource for MemorySource {
    fn documents(&self) -> Result<Vec<String>, markmodel::SourceError> {
        Ok(self
            .files
            .keys()
            .filter(|path| path.ends_with(".md"))
            .cloned()
            .collect())
    }

    fn read(&self, relative: &str) -> Result<Option<Vec<u8>>, markmodel::SourceError> {
        Ok(self.files.get(relative).cloned())
    }

    fn display_path(&self, relative: &str) -> String {
        relative.to_owned()
    }
}

/// Copies a folder tree (a spec, a fixture) to `to`, creating it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|err| panic!("{}: {err}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|err| panic!("{err}")) {
        let path = entry.unwrap_or_else(|err| panic!("{err}")).path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap_or_else(|err| panic!("{err}"));
        }
    }
}
