//! Where spec files come from: the one door through which the pipeline reads input.
//!
//! The pipeline never calls `std::fs` itself. It asks a [`SpecSource`] for the list of
//! markdown documents and for their bytes, by spec-relative path (`models/agent.md`,
//! always with `/` separators). Two implementations exist: [`FolderSource`] reads a
//! folder on disk, and [`GitSource`] reads a folder as it was at a git revision, straight
//! from the object database, without checking it out.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

mod git;

pub use git::GitSource;

/// The spec-relative path of the optional overlay file.
pub const OVERLAY_PATH: &str = "overlay.toml";

/// A failure to read the spec at all (as opposed to a problem inside a document).
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    // The I/O error is part of the message, not a `source`: callers print the chain, and
    // it would be shown twice.
    #[error("cannot read spec folder `{path}`: {error}")]
    Folder { path: PathBuf, error: io::Error },
    #[error("cannot read `{path}`: {error}")]
    File { path: PathBuf, error: io::Error },
    #[error("spec folder `{0}` holds no markdown documents")]
    Empty(PathBuf),
    /// The `git` program could not be started (usually: it is not installed).
    #[error("cannot run `git` (is it installed and on the PATH?): {error}")]
    GitUnavailable { error: io::Error },
    /// The directory given for a [`GitSource`] is not inside a git work tree.
    #[error("`{path}` is not inside a git repository: {detail}")]
    NotRepository { path: PathBuf, detail: String },
    /// The revision given for a [`GitSource`] does not name a commit.
    #[error("unknown git revision `{rev}`: {detail}")]
    UnknownRevision { rev: String, detail: String },
    /// The spec folder of a [`GitSource`] is missing at its revision, or is not a folder.
    #[error("`{path}` is not a folder at git revision `{rev}`")]
    NotGitFolder { rev: String, path: String },
    /// A `git:` argument with nothing between `git:` and the path.
    #[error("`{0}` names no git revision; write `git:REV` or `git:REV:PATH`")]
    EmptyRevision(String),
    /// Git failed (or answered something unexpected) while the spec was being read.
    #[error("git failed while {action}: {detail}")]
    Git { action: String, detail: String },
}

/// A set of spec files addressed by spec-relative paths.
pub trait SpecSource: fmt::Debug {
    /// Every markdown document of the spec, sorted, as spec-relative paths.
    fn documents(&self) -> Result<Vec<String>, SourceError>;

    /// The bytes of one file, or `None` when it does not exist.
    fn read(&self, relative: &str) -> Result<Option<Vec<u8>>, SourceError>;

    /// How a spec-relative path is shown to a user (in diagnostics).
    fn display_path(&self, relative: &str) -> String;

    /// Where a file lives on the local file system, so that a cache can trust its
    /// [`Stamp`] as Cargo trusts modification times; `None` where it lives elsewhere (a
    /// git revision).
    fn local_path(&self, _relative: &str) -> Option<PathBuf> {
        None
    }
}

/// A file's metadata: equal stamps are taken to mean equal bytes. Beside the size and the
/// modification time it holds, on Unix, the inode and the change time, which no tool can
/// set back (`touch -d` moves the modification time only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stamp {
    Missing,
    File {
        len: u64,
        modified_ns: u128,
        changed_ns: i128,
        inode: u64,
    },
}

impl fmt::Display for Stamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stamp::Missing => f.write_str("missing"),
            Stamp::File {
                len,
                modified_ns,
                changed_ns,
                inode,
            } => write!(f, "{len} {modified_ns} {changed_ns} {inode}"),
        }
    }
}

impl Stamp {
    /// The stamp of the file at `path`; `None` when its metadata cannot be read.
    pub fn of(path: &Path) -> Option<Stamp> {
        let metadata = match std::fs::metadata(path) {
            Ok(metadata) => metadata,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Some(Stamp::Missing),
            Err(_) => return None,
        };
        let modified_ns = metadata
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        #[cfg(unix)]
        let (changed_ns, inode) = {
            use std::os::unix::fs::MetadataExt;
            (
                i128::from(metadata.ctime()) * 1_000_000_000 + i128::from(metadata.ctime_nsec()),
                metadata.ino(),
            )
        };
        #[cfg(not(unix))]
        let (changed_ns, inode) = (0, 0);
        Some(Stamp::File {
            len: metadata.len(),
            modified_ns,
            changed_ns,
            inode,
        })
    }
}

/// A spec stored as a folder on disk.
#[derive(Debug, Clone)]
pub struct FolderSource {
    root: PathBuf,
    /// An overlay file that stands in for the folder's own `overlay.toml`.
    overlay: Option<PathBuf>,
}

impl FolderSource {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            overlay: None,
        }
    }

    /// Reads the overlay from `path` instead of the folder's `overlay.toml`, for docs that
    /// are vendored or generated and not edited by hand.
    pub fn with_overlay(mut self, path: impl Into<PathBuf>) -> Self {
        self.overlay = Some(path.into());
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where this source reads its overlay from (the file may not exist).
    pub fn overlay_path(&self) -> PathBuf {
        self.overlay
            .clone()
            .unwrap_or_else(|| self.root.join(OVERLAY_PATH))
    }

    fn path_of(&self, relative: &str) -> PathBuf {
        if relative == OVERLAY_PATH {
            self.overlay_path()
        } else {
            self.root.join(relative)
        }
    }

    fn walk(&self, dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), SourceError> {
        let entries = std::fs::read_dir(dir).map_err(|error| SourceError::Folder {
            path: dir.to_path_buf(),
            error,
        })?;
        for entry in entries {
            let entry = entry.map_err(|error| SourceError::Folder {
                path: dir.to_path_buf(),
                error,
            })?;
            let name = entry.file_name();
            // A name that is not UTF-8 cannot be a link target in a markdown doc.
            let Some(name) = name.to_str() else { continue };
            if name.starts_with('.') {
                continue;
            }
            let relative = if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}/{name}")
            };
            let file_type = entry.file_type().map_err(|error| SourceError::Folder {
                path: entry.path(),
                error,
            })?;
            if file_type.is_dir() {
                self.walk(&entry.path(), &relative, out)?;
            } else if name.ends_with(".md") && !is_folder_readme(&relative) {
                out.push(relative);
            }
        }
        Ok(())
    }
}

/// A `README.md` at the spec root describes the folder; it is not a model.
fn is_folder_readme(relative: &str) -> bool {
    relative.eq_ignore_ascii_case("README.md")
}

impl SpecSource for FolderSource {
    fn documents(&self) -> Result<Vec<String>, SourceError> {
        let mut out = Vec::new();
        self.walk(&self.root, "", &mut out)?;
        if out.is_empty() {
            return Err(SourceError::Empty(self.root.clone()));
        }
        out.sort();
        Ok(out)
    }

    fn read(&self, relative: &str) -> Result<Option<Vec<u8>>, SourceError> {
        let path = self.path_of(relative);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(SourceError::File { path, error }),
        }
    }

    fn display_path(&self, relative: &str) -> String {
        self.path_of(relative).display().to_string()
    }

    fn local_path(&self, relative: &str) -> Option<PathBuf> {
        Some(self.path_of(relative))
    }
}
