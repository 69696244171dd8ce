//! The entry for build scripts: a builder over [`crate::generate_configured`] that also
//! says which files the build depends on.
//!
//! ```no_run
//! // build.rs of the crate that holds the generated models
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     markmodel::Generator::new()
//!         .specs("../docs/models")
//!         .out(".")
//!         .run()?
//!         .print_cargo_directives();
//!     Ok(())
//! }
//! ```

use std::path::PathBuf;

use crate::dialect::Dialect;
use crate::output::Mode;
use crate::render::{self, Format};
use crate::{CodegenError, FolderSource, GenerateOptions, Generated, SourceError, SpecSource};

/// Generates a crate from a spec folder; see the module docs.
#[derive(Debug, Clone)]
pub struct Generator {
    specs: PathBuf,
    overlay: Option<PathBuf>,
    out: PathBuf,
    options: GenerateOptions,
}

/// Why [`Generator::run`] wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum GeneratorError {
    /// The spec has errors, rendered as for a terminal.
    #[error("the spec in `{}` has errors:\n{rendered}", .specs.display())]
    Spec { specs: PathBuf, rendered: String },
    #[error(transparent)]
    Codegen(#[from] CodegenError),
    #[error(transparent)]
    Source(#[from] SourceError),
}

/// What a run did, and the files the generated code depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Generated files written (changed or new), crate-relative.
    pub written: Vec<String>,
    /// Every document read, the overlay, and the spec folder itself (a new document).
    pub rerun_if_changed: Vec<PathBuf>,
}

impl Outcome {
    /// The `cargo:rerun-if-changed=` lines, one per input.
    pub fn cargo_directives(&self) -> String {
        self.rerun_if_changed
            .iter()
            .map(|path| format!("cargo:rerun-if-changed={}\n", path.display()))
            .collect()
    }

    /// Prints [`Outcome::cargo_directives`] to standard output, where Cargo reads them
    /// from a build script.
    // A build script speaks to Cargo through its standard output: this is the one place
    // the library prints, and only when a build script asks it to.
    #[allow(clippy::print_stdout)]
    pub fn print_cargo_directives(&self) {
        print!("{}", self.cargo_directives());
    }
}

impl Default for Generator {
    fn default() -> Self {
        Self::new()
    }
}

impl Generator {
    /// `specs/` into `generated/`, every model, the dialect detected.
    pub fn new() -> Self {
        Generator {
            specs: PathBuf::from("specs"),
            overlay: None,
            out: PathBuf::from("generated"),
            options: GenerateOptions {
                emit: crate::emit::Options {
                    command: Some("cargo build".to_owned()),
                    ..crate::emit::Options::default()
                },
                ..GenerateOptions::default()
            },
        }
    }

    /// The spec folder.
    pub fn specs(mut self, folder: impl Into<PathBuf>) -> Self {
        self.specs = folder.into();
        self
    }

    /// An overlay file instead of the spec folder's `overlay.toml`.
    pub fn overlay(mut self, file: impl Into<PathBuf>) -> Self {
        self.overlay = Some(file.into());
        self
    }

    /// The generated crate's folder (its `Cargo.toml` is written only when missing).
    pub fn out(mut self, folder: impl Into<PathBuf>) -> Self {
        self.out = folder.into();
        self
    }

    /// The SDK dialect of the docs, instead of detecting it.
    pub fn dialect(mut self, dialect: Dialect) -> Self {
        self.options.load.dialect = Some(dialect);
        self
    }

    /// Generates only these models and what they reference.
    pub fn models<S: Into<String>>(mut self, roots: impl IntoIterator<Item = S>) -> Self {
        self.options.models = Some(roots.into_iter().map(Into::into).collect());
        self
    }

    /// Adds a derive to every generated type (`"schemars::JsonSchema"`).
    pub fn derive(mut self, path: impl Into<String>) -> Self {
        self.options.emit.derives.push(path.into());
        self
    }

    /// Adds an outer attribute to every generated type (`"#[cfg_attr(...)]"`).
    pub fn attribute(mut self, attribute: impl Into<String>) -> Self {
        self.options.emit.attributes.push(attribute.into());
        self
    }

    /// Generates (or refreshes) the crate. Nothing is written when the spec has errors.
    pub fn run(self) -> Result<Outcome, GeneratorError> {
        let mut source = FolderSource::new(&self.specs);
        if let Some(overlay) = &self.overlay {
            source = source.with_overlay(overlay);
        }
        let mut options = self.options.clone();
        options.emit.spec_label = Some(self.specs.display().to_string());
        let generated = crate::generate_configured(&source, &options, &self.out, Mode::Write)?;
        let report = match generated {
            Generated::SpecErrors(loaded) => {
                let rendered = render::render(&loaded.diagnostics, &loaded.files, Format::Human);
                return Err(GeneratorError::Spec {
                    specs: self.specs,
                    rendered,
                });
            }
            Generated::Synced { report, .. } => report,
        };
        let mut inputs: Vec<PathBuf> = source
            .documents()?
            .iter()
            .map(|document| self.specs.join(document))
            .collect();
        inputs.push(source.overlay_path());
        inputs.push(self.specs.clone());
        Ok(Outcome {
            written: report.written,
            rerun_if_changed: inputs,
        })
    }
}
