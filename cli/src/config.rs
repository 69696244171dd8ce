//! `markmodel.toml`: found from the current folder up; its values are the defaults of
//! the flags, which override them. Its paths are relative to its own folder.

use std::io::Write;
use std::path::{Path, PathBuf};

use markmodel::config::{self, Config, ConfigError};
use markmodel::render::{self, Format};

use crate::SpecArgs;

/// The configuration in effect: the file's (when there is one) or the defaults.
#[derive(Debug, Default)]
pub(crate) struct Settings {
    /// The folder holding `markmodel.toml`; `None` without one.
    root: Option<PathBuf>,
    config: Config,
}

/// Finds and reads the nearest `markmodel.toml`. An invalid one is reported (with its
/// file and line) and is an error: a typo must not silently change what is generated.
pub(crate) fn discover() -> anyhow::Result<Settings> {
    let current = std::env::current_dir()?;
    let Some(root) = current
        .ancestors()
        .find(|folder| folder.join(config::FILE_NAME).is_file())
    else {
        return Ok(Settings::default());
    };
    let path = root.join(config::FILE_NAME);
    match config::read(&path) {
        Ok(config) => Ok(Settings {
            root: Some(root.to_path_buf()),
            config,
        }),
        Err(error) => match *error {
            ConfigError::Invalid {
                diagnostics, files, ..
            } => {
                let rendered = render::render(&diagnostics, &files, Format::Human);
                std::io::stderr().lock().write_all(rendered.as_bytes())?;
                anyhow::bail!("`{}` is invalid", path.display())
            }
            other => Err(other.into()),
        },
    }
}

impl Settings {
    fn resolve(&self, path: &Path) -> PathBuf {
        match &self.root {
            Some(root) if path.is_relative() => root.join(path),
            _ => path.to_path_buf(),
        }
    }

    /// Fills what the flags left unsaid: the spec folder, the overlay, the dialect.
    pub(crate) fn fill(&self, spec: &mut SpecArgs) {
        if spec.specs.is_empty() {
            spec.labels = self
                .config
                .specs
                .iter()
                .map(|path| path.display().to_string())
                .collect();
            spec.specs = self
                .config
                .specs
                .iter()
                .map(|path| self.resolve(path))
                .collect();
            // An overlay in the file belongs to the file's spec folder.
            if spec.overlay.is_none() {
                spec.overlay = self
                    .config
                    .overlay
                    .as_deref()
                    .map(|path| self.resolve(path));
            }
        }
        if spec.dialect.is_none() {
            spec.dialect = self.config.dialect;
        }
    }

    /// The generated crate's folder: the flag's, the file's, or `generated`.
    pub(crate) fn out(&self, flag: Option<PathBuf>) -> PathBuf {
        match (flag, &self.config.out) {
            (Some(flag), _) => crate::workspace_path(&flag),
            (None, Some(out)) => self.resolve(out),
            (None, None) => crate::workspace_path(Path::new("generated")),
        }
    }

    /// The generated crate's folder as the user wrote it (for annotations and reports).
    pub(crate) fn out_label(&self, flag: Option<&Path>) -> String {
        flag.or(self.config.out.as_deref())
            .unwrap_or(Path::new("generated"))
            .display()
            .to_string()
    }

    /// How the crate is generated: the file's `[crate]` and `[generate]`.
    pub(crate) fn generate_options(
        &self,
        load: markmodel::LoadOptions,
        spec_label: String,
        command: &str,
    ) -> markmodel::GenerateOptions {
        let generate = &self.config.generate;
        markmodel::GenerateOptions {
            load,
            models: generate.models.clone(),
            crate_name: self.config.crate_name.clone(),
            crate_version: self.config.crate_version.clone(),
            emit: markmodel::emit::Options {
                spec_label: Some(spec_label),
                command: Some(command.to_owned()),
                derives: generate.derives.clone(),
                attributes: generate.attributes.clone(),
            },
        }
    }
}
