//! The IR manifest: the IR a generated crate was made from, written into the crate, so
//! `codegen --check` can say which models and fields the committed code lags behind, in
//! the terms of the drift audit, and not only which files differ.
//!
//! The file (`src/ir.manifest`) is the generated-file header line, then one line of JSON
//! for the spec (`{"format":1,"dialect":"python"}`), then one line of JSON per model, sorted by
//! title: the model's IR without descriptions and examples, which no drift check reads
//! and which would make the file as large as the docs. One line per model keeps the
//! file's own git diff readable.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ir::{Dialect, Model, ModelKind, Spec};
use crate::output::{GENERATED_HEADER, OutputFile};

/// Where the manifest sits in the generated crate.
pub const PATH: &str = "src/ir.manifest";

/// Why a manifest could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("`{PATH}` does not start with the generated-file header")]
    MissingHeader,
    #[error("`{PATH}` has no spec line after its header")]
    MissingSpec,
    #[error("`{PATH}` is in manifest format {0}, and this codegen reads format {FORMAT}")]
    Format(u32),
    #[error("`{PATH}` line {line}: {message}")]
    Line { line: usize, message: String },
}

/// The manifest format this version writes and reads; another is reported, not guessed.
const FORMAT: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct SpecLine {
    format: u32,
    dialect: Dialect,
}

/// The manifest file for `spec`.
pub fn render(spec: &Spec) -> OutputFile {
    let mut text = String::with_capacity(spec.models.len() * 512);
    text.push_str(GENERATED_HEADER);
    text.push('\n');
    // Plain data with string keys; serializing it cannot fail.
    text.push_str(
        &serde_json::to_string(&SpecLine {
            format: FORMAT,
            dialect: spec.dialect,
        })
        .unwrap_or_default(),
    );
    text.push('\n');
    for model in spec.models.values() {
        text.push_str(&serde_json::to_string(&compact(model)).unwrap_or_default());
        text.push('\n');
    }
    OutputFile::new(PATH, text)
}

/// Reads a manifest back into the IR it records.
pub fn parse(text: &str) -> Result<Spec, ManifestError> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header == GENERATED_HEADER => {}
        _ => return Err(ManifestError::MissingHeader),
    }
    let (index, spec_line) = lines.next().ok_or(ManifestError::MissingSpec)?;
    let spec_line: SpecLine =
        serde_json::from_str(spec_line).map_err(|error| ManifestError::Line {
            line: index + 1,
            message: error.to_string(),
        })?;
    if spec_line.format != FORMAT {
        return Err(ManifestError::Format(spec_line.format));
    }
    let mut models = BTreeMap::new();
    for (index, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let model: Model = serde_json::from_str(line).map_err(|error| ManifestError::Line {
            line: index + 1,
            message: error.to_string(),
        })?;
        models.insert(model.name.clone(), model);
    }
    Ok(Spec {
        dialect: spec_line.dialect,
        models,
        // Not code: the manifest describes only what was generated.
        undocumented: BTreeMap::new(),
        sources: Vec::new(),
    })
}

fn compact(model: &Model) -> Model {
    let mut model = model.clone();
    model.description = None;
    if let ModelKind::Object(object) = &mut model.kind {
        for field in &mut object.fields {
            field.description = None;
            field.examples.clear();
        }
    }
    model
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FolderSource;

    fn specs() -> Spec {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
        let loaded = crate::load(&FolderSource::new(root)).expect("specs/ reads");
        loaded.spec.expect("specs/ lowers")
    }

    #[test]
    fn reads_back_what_it_writes_without_descriptions_and_examples() {
        let spec = specs();
        let file = render(&spec);
        assert_eq!(file.path, PATH);
        let read = parse(&file.contents).expect("the manifest parses");
        assert_eq!(read.models.len(), spec.models.len());
        for (name, model) in &spec.models {
            assert_eq!(&read.models[name], &compact(model), "{name}");
        }
        assert!(
            spec.models
                .values()
                .any(|model| model.description.is_some()),
            "the fixture has descriptions to strip"
        );
        // Rendering the read-back IR gives the same bytes: the manifest is stable.
        assert_eq!(render(&read).contents, file.contents);
    }

    #[test]
    fn rejects_a_file_that_is_not_a_manifest() {
        assert!(matches!(parse(""), Err(ManifestError::MissingHeader)));
        assert!(matches!(
            parse(&format!("{GENERATED_HEADER}\n")),
            Err(ManifestError::MissingSpec)
        ));
        let broken = format!(
            "{GENERATED_HEADER}\n{{\"format\":1,\"dialect\":\"python\"}}\n{{\"name\":1}}\n"
        );
        match parse(&broken) {
            Err(ManifestError::Line { line, .. }) => assert_eq!(line, 3),
            other => panic!("expected a line error, got {other:?}"),
        }
        let future = format!("{GENERATED_HEADER}\n{{\"format\":2,\"dialect\":\"python\"}}\n");
        assert!(matches!(parse(&future), Err(ManifestError::Format(2))));
    }
}
