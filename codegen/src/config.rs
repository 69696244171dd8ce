//! The workspace configuration, `markmodel.toml` at a repository's root: where the docs
//! are, where the generated crate goes, and how it is generated. Parsed into plain data
//! with the span of every value; an unknown key is an error at its line.
//!
//! ```toml
//! specs = "docs/models"          # the spec folder (default "specs"); a list merges
//!                                # several SDKs' docs of one API, the primary first
//! overlay = "docs/overlay.toml"  # default: overlay.toml in the spec folder
//! out = "crates/api-models"      # the generated crate folder (default "generated")
//! dialect = "typescript"         # default: detected from the docs
//!
//! [crate]                        # the generated crate's Cargo.toml, written when missing
//! name = "api-models"
//! version = "0.3.0"
//!
//! [generate]
//! models = ["Catalog"]           # these models and what they reference (default: all)
//! derives = ["schemars::JsonSchema"]    # added to every generated type
//! attributes = ["#[cfg_attr(docsrs, doc(cfg(all())))]"]
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, FileId, SourceFile, SourceFiles, Span};
use crate::dialect::Dialect;

/// The file name looked for at the workspace root.
pub const FILE_NAME: &str = "markmodel.toml";

/// A parsed `markmodel.toml`. Paths are as written (relative to the file's folder).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The spec folders: one, or several SDKs' docs of one API to merge (the primary
    /// first). Empty when the file does not say.
    pub specs: Vec<PathBuf>,
    pub overlay: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub dialect: Option<Dialect>,
    pub crate_name: Option<String>,
    pub crate_version: Option<String>,
    pub generate: Generate,
}

/// `[generate]`: what is generated, and with which extra attributes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Generate {
    /// Root models: only they and the models they reference are generated. `None`: all.
    pub models: Option<Vec<String>>,
    /// Extra derives for every generated type (`schemars::JsonSchema`).
    pub derives: Vec<String>,
    /// Extra outer attributes for every generated type, as written (`#[...]`).
    pub attributes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDe {
    specs: Option<toml::Spanned<toml::Value>>,
    overlay: Option<String>,
    out: Option<String>,
    dialect: Option<toml::Spanned<String>>,
    #[serde(rename = "crate")]
    krate: Option<CrateDe>,
    generate: Option<GenerateDe>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrateDe {
    name: Option<toml::Spanned<String>>,
    version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GenerateDe {
    models: Option<toml::Spanned<toml::Value>>,
    #[serde(default)]
    derives: Vec<toml::Spanned<String>>,
    #[serde(default)]
    attributes: Vec<toml::Spanned<String>>,
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("reading `{}`: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The diagnostic, with the file it points into (render it with [`crate::render`]).
    #[error("`{}` is not a valid configuration", .path.display())]
    Invalid {
        path: PathBuf,
        diagnostics: Diagnostics,
        files: SourceFiles,
    },
}

/// Reads and parses the configuration file at `path`.
pub fn read(path: &Path) -> Result<Config, Box<ConfigError>> {
    let text = std::fs::read_to_string(path).map_err(|source| {
        Box::new(ConfigError::Read {
            path: path.to_owned(),
            source,
        })
    })?;
    let mut files = SourceFiles::default();
    let display = path.display().to_string();
    let file = files.add(SourceFile::new(FILE_NAME.to_owned(), display, text));
    parse(file, &files.get(file).text).map_err(|diagnostic| {
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(*diagnostic);
        Box::new(ConfigError::Invalid {
            path: path.to_owned(),
            diagnostics,
            files,
        })
    })
}

/// Parses the configuration text; every problem is one diagnostic at its value.
pub fn parse(file: FileId, text: &str) -> Result<Config, Box<Diagnostic>> {
    let span = |range: std::ops::Range<usize>| Span::new(file, range.start, range.end);
    let parsed: FileDe = toml::from_str(text).map_err(|error| {
        let at = error.span().map_or(Span::new(file, 0, 0), &span);
        Box::new(
            Diagnostic::new(Code::ConfigInvalid, error.message().to_owned())
                .at(at, "here")
                .note(format!(
                    "see \"Use it in your repository\" in README.md for `{FILE_NAME}`"
                )),
        )
    })?;
    let invalid = |range: std::ops::Range<usize>, message: String, label: &str| {
        Box::new(Diagnostic::new(Code::ConfigInvalid, message).at(span(range), label))
    };
    let specs = match &parsed.specs {
        None => Vec::new(),
        Some(specs) => spec_folders(specs.get_ref()).ok_or_else(|| {
            invalid(
                specs.span(),
                format!("`specs = {}`", specs.get_ref()),
                "expected a folder, or a list of folders (the primary first)",
            )
        })?,
    };
    let dialect = match parsed.dialect {
        None => None,
        Some(name) => Some(Dialect::from_name(name.get_ref()).ok_or_else(|| {
            let names: Vec<&str> = Dialect::ALL.iter().map(|dialect| dialect.name()).collect();
            invalid(
                name.span(),
                format!("unknown dialect `{}`", name.get_ref()),
                &format!("expected one of {}", names.join(", ")),
            )
        })?),
    };
    let (crate_name, crate_version) = match parsed.krate {
        None => (None, None),
        Some(krate) => {
            if let Some(name) = &krate.name
                && !is_package_name(name.get_ref())
            {
                return Err(invalid(
                    name.span(),
                    format!("`{}` is not a Cargo package name", name.get_ref()),
                    "expected letters, digits, `-` and `_`, starting with a letter",
                ));
            }
            (krate.name.map(toml::Spanned::into_inner), krate.version)
        }
    };
    let mut generate = Generate::default();
    if let Some(section) = parsed.generate {
        generate.models = match section.models {
            None => None,
            Some(models) => {
                let roots = match models.get_ref() {
                    toml::Value::String(all) if all == "all" => Some(None),
                    toml::Value::Array(names) => names
                        .iter()
                        .map(|name| name.as_str().map(str::to_owned))
                        .collect::<Option<Vec<String>>>()
                        .map(Some),
                    _ => None,
                };
                match roots {
                    Some(roots) => roots,
                    None => {
                        return Err(invalid(
                            models.span(),
                            format!("`models = {}`", models.get_ref()),
                            "expected \"all\" or a list of model names",
                        ));
                    }
                }
            }
        };
        for derive in &section.derives {
            if syn::parse_str::<syn::Path>(derive.get_ref()).is_err() {
                return Err(invalid(
                    derive.span(),
                    format!("`{}` is not a path to a derive", derive.get_ref()),
                    "expected a path such as `schemars::JsonSchema`",
                ));
            }
        }
        for attribute in &section.attributes {
            if parse_attribute(attribute.get_ref()).is_none() {
                return Err(invalid(
                    attribute.span(),
                    format!("`{}` is not an outer attribute", attribute.get_ref()),
                    "expected `#[...]`",
                ));
            }
        }
        generate.derives = section
            .derives
            .into_iter()
            .map(toml::Spanned::into_inner)
            .collect();
        generate.attributes = section
            .attributes
            .into_iter()
            .map(toml::Spanned::into_inner)
            .collect();
    }
    Ok(Config {
        specs,
        overlay: parsed.overlay.map(PathBuf::from),
        out: parsed.out.map(PathBuf::from),
        dialect,
        crate_name,
        crate_version,
        generate,
    })
}

/// `specs = "a"` or `specs = ["a", "b"]`; `None` for any other value or an empty list.
fn spec_folders(value: &toml::Value) -> Option<Vec<PathBuf>> {
    let folders: Vec<PathBuf> = match value {
        toml::Value::String(folder) => vec![PathBuf::from(folder)],
        toml::Value::Array(folders) => folders
            .iter()
            .map(|folder| folder.as_str().map(PathBuf::from))
            .collect::<Option<_>>()?,
        _ => return None,
    };
    (!folders.is_empty()).then_some(folders)
}

/// One outer attribute (`#[serde(rename_all = "camelCase")]`) as tokens, if it is one.
pub(crate) fn parse_attribute(text: &str) -> Option<Vec<syn::Attribute>> {
    let parsed = syn::parse_str::<syn::ItemStruct>(&format!("{text} struct S;")).ok()?;
    let outer = parsed
        .attrs
        .iter()
        .all(|attribute| matches!(attribute.style, syn::AttrStyle::Outer));
    (parsed.attrs.len() == 1 && outer).then_some(parsed.attrs)
}

fn is_package_name(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Config {
        parse(FileId(0), text).unwrap_or_else(|error| panic!("{}", error.message))
    }

    fn error(text: &str) -> String {
        match parse(FileId(0), text) {
            Ok(config) => panic!("accepted: {config:?}"),
            Err(error) => error.message.clone(),
        }
    }

    #[test]
    fn every_key() {
        let config = parsed(
            r#"
specs = "docs/models"
overlay = "docs/overlay.toml"
out = "crates/models"
dialect = "typescript"

[crate]
name = "api-models"
version = "0.3.0"

[generate]
models = ["Catalog", "Loan"]
derives = ["schemars::JsonSchema"]
attributes = ['#[serde(deny_unknown_fields)]']
"#,
        );
        assert_eq!(config.specs, vec![PathBuf::from("docs/models")]);
        assert_eq!(config.dialect, Some(Dialect::TypeScript));
        assert_eq!(config.crate_name.as_deref(), Some("api-models"));
        assert_eq!(config.crate_version.as_deref(), Some("0.3.0"));
        assert_eq!(
            config.generate.models,
            Some(vec!["Catalog".to_owned(), "Loan".to_owned()])
        );
        assert_eq!(config.generate.derives, ["schemars::JsonSchema"]);
        assert_eq!(
            parsed("[generate]\nmodels = \"all\"\n").generate.models,
            None
        );
        assert_eq!(parsed(""), Config::default());
    }

    #[test]
    fn several_spec_folders_are_merged_in_order() {
        let config = parsed("specs = [\"docs/python\", \"docs/typescript\"]\n");
        assert_eq!(
            config.specs,
            vec![
                PathBuf::from("docs/python"),
                PathBuf::from("docs/typescript")
            ]
        );
        assert_eq!(error("specs = []\n"), "`specs = []`");
        assert_eq!(error("specs = 3\n"), "`specs = 3`");
        assert_eq!(error("specs = [\"a\", 1]\n"), "`specs = [\"a\", 1]`");
    }

    #[test]
    fn mistakes_are_errors_at_their_value() {
        assert!(error("spec = \"docs\"\n").contains("unknown field `spec`"));
        assert!(error("[crate]\nnmae = \"x\"\n").contains("unknown field `nmae`"));
        assert_eq!(error("dialect = \"cobol\"\n"), "unknown dialect `cobol`");
        assert_eq!(
            error("[crate]\nname = \"1x\"\n"),
            "`1x` is not a Cargo package name"
        );
        assert_eq!(
            error("[generate]\nderives = [\"not a path\"]\n"),
            "`not a path` is not a path to a derive"
        );
        assert_eq!(
            error("[generate]\nattributes = [\"derive(Eq)\"]\n"),
            "`derive(Eq)` is not an outer attribute"
        );
        assert_eq!(
            error("[generate]\nmodels = \"some\"\n"),
            "`models = \"some\"`"
        );
    }
}
