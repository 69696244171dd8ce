//! Bad inputs: one fixture folder per diagnostic code under `fixtures/bad/`, each
//! rendered as a snapshot.

use std::path::{Path, PathBuf};

use markmodel::FolderSource;
use markmodel::diagnostic::Code;
use markmodel::render::{self, Format};
use tests::{tests_dir, workspace_root};

fn fixtures() -> Vec<PathBuf> {
    let root = tests_dir().join("fixtures/bad");
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|err| panic!("{}: {err}", root.display()))
        .map(|entry| entry.unwrap_or_else(|err| panic!("{err}")).path())
        .filter(|path| path.is_dir())
        .collect();
    folders.sort();
    folders
}

fn render_fixture(folder: &Path, format: Format) -> (markmodel::Loaded, String) {
    let loaded = load_fixture(folder);
    let rendered = render::render(&loaded.diagnostics, &loaded.files, format);
    // Snippet headers show the path given; make it independent of the checkout.
    let rendered = rendered.replace(&format!("{}/", tests_dir().display()), "");
    (loaded, rendered)
}

/// The fixture's spec, linted; or, for a workspace configuration (read by the command
/// line, not by `lint`), what reading it reports.
fn load_fixture(folder: &Path) -> markmodel::Loaded {
    if let Ok(list) = std::fs::read_to_string(folder.join("sources")) {
        return lint_merged(folder, &list);
    }
    let config = folder.join(markmodel::config::FILE_NAME);
    if !config.is_file() {
        return markmodel::lint(&FolderSource::new(folder))
            .unwrap_or_else(|err| panic!("{}: {err}", folder.display()));
    }
    match markmodel::config::read(&config).map_err(|error| *error) {
        Err(markmodel::config::ConfigError::Invalid {
            diagnostics, files, ..
        }) => markmodel::Loaded {
            files,
            spec: None,
            diagnostics,
            documents: 0,
        },
        other => panic!("{}: {other:?}", config.display()),
    }
}

/// The spec folders a `sources` file lists (one per line, the primary first), merged
/// and linted; each is labelled with its folder name.
fn lint_merged(folder: &Path, list: &str) -> markmodel::Loaded {
    let names: Vec<&str> = list
        .lines()
        .filter(|line| !line.trim().is_empty())
        .collect();
    let sources: Vec<FolderSource> = names
        .iter()
        .map(|name| FolderSource::new(folder.join(name)))
        .collect();
    let labelled: Vec<markmodel::Labelled<'_>> = sources
        .iter()
        .zip(&names)
        .map(|(source, label)| markmodel::Labelled { source, label })
        .collect();
    markmodel::lint_sources(&labelled, markmodel::LoadOptions::default())
        .unwrap_or_else(|err| panic!("{}: {err}", folder.display()))
}

fn fixture_name(folder: &Path) -> String {
    folder
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn every_code_has_a_fixture() {
    let names: Vec<String> = fixtures()
        .iter()
        .map(|folder| fixture_name(folder))
        .collect();
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|code| code.name())
        .filter(|code| !names.iter().any(|name| name == code))
        .collect();
    assert!(missing.is_empty(), "no fixture folder for {missing:?}");
}

#[test]
fn each_fixture_reports_its_code() {
    let mut failures = Vec::new();
    for folder in fixtures() {
        let name = fixture_name(&folder);
        let Some(code) = Code::ALL.iter().copied().find(|code| code.name() == name) else {
            failures.push(format!("{name}: not a diagnostic code"));
            continue;
        };
        let (loaded, rendered) = render_fixture(&folder, Format::Human);
        if !loaded
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.code == code)
        {
            failures.push(format!("{name}: not reported; got:\n{rendered}"));
        }
        assert!(
            rendered.contains(&format!("[{name}]")),
            "{name}: rendered output lacks the code:\n{rendered}"
        );
        insta::assert_snapshot!(format!("bad__{name}"), rendered);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The machine formats, on one fixture with several problems.
#[test]
fn json_and_github_formats() {
    let folder = tests_dir().join("fixtures/bad/malformed-table");
    let (_, json) = render_fixture(&folder, Format::Json);
    let parsed: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|err| panic!("{err}:\n{json}"));
    assert!(
        parsed["summary"]["errors"]
            .as_u64()
            .is_some_and(|errors| errors > 0)
    );
    insta::assert_snapshot!("format__json", json);
    let (_, github) = render_fixture(&folder, Format::Github);
    assert!(github.lines().any(|line| line.starts_with("::error file=")));
    insta::assert_snapshot!("format__github", github);
}

/// Human diagnostics fit a terminal: Speakeasy pads every cell of the seed doc's table
/// to 130 columns, and the snippet of a broken Type cell shows the cell, not the row.
#[test]
fn a_padded_table_row_is_cut_to_the_width() {
    let folder = tests_dir().join("fixtures/wide");
    let loaded = markmodel::lint(&FolderSource::new(&folder))
        .unwrap_or_else(|err| panic!("{}: {err}", folder.display()));
    // The copy links to models it does not have; only the broken cell matters here.
    let mut broken = markmodel::diagnostic::Diagnostics::default();
    for diagnostic in loaded.diagnostics.iter() {
        if diagnostic.code == Code::UnparsableType {
            broken.push(diagnostic.clone());
        }
    }
    assert_eq!(broken.len(), 1, "{:?}", loaded.diagnostics);
    let rendered = render::render(&broken, &loaded.files, Format::Human)
        .replace(&format!("{}/", tests_dir().display()), "");
    assert_fits(&rendered, "fixtures/wide");
    assert!(
        rendered.contains(":14:146"),
        "the file's own column:\n{rendered}"
    );
    insta::assert_snapshot!("wide__padded_row", rendered);
}

/// Every line of every bad fixture's human output fits the default width.
#[test]
fn every_human_line_fits_the_default_width() {
    for folder in fixtures() {
        let (_, rendered) = render_fixture(&folder, Format::Human);
        assert_fits(&rendered, &fixture_name(&folder));
    }
}

fn assert_fits(rendered: &str, name: &str) {
    let wide: Vec<&str> = rendered
        .lines()
        .filter(|line| line.chars().count() > render::DEFAULT_WIDTH)
        .collect();
    assert!(
        wide.is_empty(),
        "{name}: lines wider than {} chars:\n{}",
        render::DEFAULT_WIDTH,
        wide.join("\n")
    );
}

/// The README's catalogue names every code, so users can look each one up.
#[test]
fn readme_lists_every_code() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap_or_default();
    for code in Code::ALL {
        assert!(
            readme.contains(&format!("| `{}` |", code.name())),
            "README.md does not list `{code}`"
        );
    }
}
