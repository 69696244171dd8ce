//! What `codegen --check` found, for tools: the stale, missing and extra files of the
//! generated crate and the models it lags behind, as JSON or as GitHub Actions
//! annotations (the human report stays with the command line).

use serde::Serialize;

use crate::Lag;
use crate::diff::{self, Change, Roots};
use crate::ir::{Location, Spec};
use crate::output::SyncReport;
use crate::render::github::{self, Level, Place};

/// One `codegen --check` result, with the folders as the user named them (`generated`,
/// `specs`), which every reported path is joined to.
#[derive(Debug, Clone, Copy)]
pub struct Check<'a> {
    pub report: &'a SyncReport,
    pub lag: &'a Lag,
    /// The spec now, for where each lagging model's doc is.
    pub spec: &'a Spec,
    pub crate_root: &'a str,
    pub spec_root: &'a str,
}

/// Why a generated file is not as `codegen` would write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileState {
    /// It exists with other content.
    Stale,
    /// `codegen` would create it.
    Missing,
    /// No model generates it any more; `codegen` would remove it.
    Extra,
}

/// A file of the generated crate that is out of date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleFile {
    /// The crate folder as the user named it, joined with the file's path in it.
    pub path: String,
    pub state: FileState,
    /// The first line that differs, in the file as it is (none for a missing file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

impl Check<'_> {
    /// Whether the crate is as `codegen` would write it.
    pub fn is_up_to_date(&self) -> bool {
        self.report.is_fresh()
    }

    /// Every out-of-date file, in path order.
    pub fn stale_files(&self) -> Vec<StaleFile> {
        let written = self.report.written.iter().map(|path| {
            let state = if self.report.created.contains(path) {
                FileState::Missing
            } else {
                FileState::Stale
            };
            (path, state)
        });
        let removed = self
            .report
            .removed
            .iter()
            .map(|path| (path, FileState::Extra));
        let mut files: Vec<StaleFile> = written
            .chain(removed)
            .map(|(path, state)| StaleFile {
                path: github::join(self.crate_root, path),
                state,
                line: self.report.first_difference.get(path).copied(),
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }

    fn lagging(&self) -> &[Change] {
        match self.lag {
            Lag::Changes(diff) => &diff.changes,
            Lag::Unknown(_) => &[],
        }
    }

    /// `{"up_to_date", "crate", "spec", "stale_files", "lagging", "lag_unknown"}`:
    /// `lagging` holds the changes from the spec the code was generated from to the spec
    /// now, as `diff --format json` writes them; `lag_unknown` says why there are none
    /// to tell when the crate has no readable IR manifest (otherwise `null`).
    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Report<'a> {
            up_to_date: bool,
            #[serde(rename = "crate")]
            crate_root: &'a str,
            spec: &'a str,
            stale_files: Vec<StaleFile>,
            lagging: &'a [Change],
            lag_unknown: Option<&'a str>,
        }
        let report = Report {
            up_to_date: self.is_up_to_date(),
            crate_root: self.crate_root,
            spec: self.spec_root,
            stale_files: self.stale_files(),
            lagging: self.lagging(),
            lag_unknown: match self.lag {
                Lag::Unknown(reason) => Some(reason),
                Lag::Changes(_) => None,
            },
        };
        // Plain data with string keys; serializing it cannot fail.
        let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
        text.push('\n');
        text
    }

    /// One error per out-of-date file, on its first differing line; one error per model
    /// the code lags behind, on its doc's title line, listing the changes; a notice when
    /// the crate is up to date or the lag cannot be told.
    pub fn github(&self) -> String {
        if self.is_up_to_date() {
            let message = format!(
                "codegen --check: `{}` is up to date with `{}`",
                self.crate_root, self.spec_root
            );
            return github::annotation(Level::Notice, None, "", &message);
        }
        let mut out: String = self
            .stale_files()
            .iter()
            .map(|file| self.file_annotation(file))
            .collect();
        match self.lag {
            Lag::Changes(diff) if diff.is_empty() => out.push_str(&github::annotation(
                Level::Notice,
                None,
                "",
                "the spec has not changed since the code was generated; the files differ \
                 from what markmodel writes (edited by hand, or written by another version)",
            )),
            Lag::Changes(diff) => {
                for changes in diff.changes.chunk_by(|a, b| a.model == b.model) {
                    out.push_str(&self.lag_annotation(changes));
                }
            }
            Lag::Unknown(reason) => out.push_str(&github::annotation(
                Level::Notice,
                None,
                "",
                &format!("cannot say which models the code lags behind: {reason}"),
            )),
        }
        out
    }

    fn file_annotation(&self, file: &StaleFile) -> String {
        let (title, message) = match file.state {
            FileState::Stale => (
                "stale generated file",
                format!(
                    "not what codegen generates from `{}` now: regenerate it and commit the result",
                    self.spec_root
                ),
            ),
            FileState::Missing => (
                "missing generated file",
                format!(
                    "codegen generates it from `{}`: regenerate and commit the result",
                    self.spec_root
                ),
            ),
            FileState::Extra => (
                "extra generated file",
                format!(
                    "no model of `{}` generates it: regenerating removes it",
                    self.spec_root
                ),
            ),
        };
        let place = Place {
            file: file.path.clone(),
            line: file.line,
        };
        github::annotation(Level::Error, Some(&place), title, &message)
    }

    /// One model's changes (a non-empty run of the same model), on its doc.
    fn lag_annotation(&self, changes: &[Change]) -> String {
        let Some(first) = changes.first() else {
            return String::new();
        };
        let location: Option<&Location> = self
            .spec
            .models
            .get(&first.model)
            .map(|model| &model.location)
            .or_else(|| {
                changes
                    .iter()
                    .find_map(|c| c.new.as_ref().or(c.old.as_ref()))
            });
        let place = location.map(|location| Place {
            file: github::join(self.spec_root, &location.file),
            line: Some(location.line),
        });
        let breaking = changes.iter().filter(|c| c.is_breaking()).count();
        let mut message = format!(
            "`{}` was generated before {} to `{}` ({breaking} breaking):",
            self.crate_root,
            if changes.len() == 1 {
                "1 change".to_owned()
            } else {
                format!("{} changes", changes.len())
            },
            first.model,
        );
        // The manifest was written from the same spec folder: both sides are under it.
        let roots = Roots {
            old: self.spec_root,
            new: self.spec_root,
        };
        for change in changes {
            message.push('\n');
            message.push_str(&diff::change_summary(change, roots));
        }
        let title = format!("{}: generated code lags behind", first.model);
        github::annotation(Level::Error, place.as_ref(), &title, &message)
    }
}
