//! The pipeline, as a library: read Speakeasy model docs from a [`SpecSource`], lower
//! them to the [IR](ir), check them, and render what was found. It never exits the
//! process and never prints; the `xtask` binary does both.
//!
//! Phases: [`source`] -> [`read`] (markdown to [`document`]) -> [`dialect`] detection ->
//! [`lower`] (with the [`overlay`]) -> [`check`] -> [`render`].
#![warn(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

pub mod check;
pub mod config;
pub mod diagnostic;
pub mod dialect;
pub mod diff;
pub mod document;
pub mod emit;
pub mod examples;
pub mod fingerprint;
pub mod freshness;
pub mod generator;
pub mod ir;
pub mod learn;
pub mod lower;
pub mod manifest;
pub mod merge;
pub mod naming;
pub mod output;
pub mod overlay;
pub mod parallel;
pub mod read;
pub mod render;
pub mod sample;
pub mod schema;
pub mod shape;
pub mod source;
pub mod spec_cache;
pub mod tags;
pub mod validate;

use diagnostic::{Code, Diagnostic, Diagnostics, FileId, SourceFile, SourceFiles, Span};
use dialect::Dialect;
use document::Document;
use ir::Spec;

pub use generator::Generator;
pub use source::{FolderSource, GitSource, SourceError, SpecSource};

/// Everything read from a spec: the files (for rendering), the IR, and the diagnostics
/// of every phase, sorted.
#[derive(Debug)]
pub struct Loaded {
    pub files: SourceFiles,
    /// The IR; `None` when the spec could not be lowered at all (an unsupported dialect).
    /// Models with errors are left out of it, so it is only complete when there are none.
    pub spec: Option<Spec>,
    pub diagnostics: Diagnostics,
    /// How many markdown documents were read.
    pub documents: usize,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }
}

/// How a spec is read, beyond its source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// The SDK dialect of the docs (`--dialect`); detected from the docs when `None`.
    pub dialect: Option<Dialect>,
}

/// Reads and lowers a spec. `Err` only when the source itself cannot be read; every
/// problem inside the spec is a diagnostic.
pub fn load(source: &dyn SpecSource) -> Result<Loaded, SourceError> {
    load_with(source, LoadOptions::default())
}

/// [`load`], with options.
pub fn load_with(source: &dyn SpecSource, options: LoadOptions) -> Result<Loaded, SourceError> {
    load_sources(&[Labelled::primary(source)], options)
}

/// A spec source, with the name its files are shown under when it is not the primary
/// source of a merged spec.
#[derive(Debug, Clone, Copy)]
pub struct Labelled<'a> {
    pub source: &'a dyn SpecSource,
    /// The folder as the user named it (`../sdk-ts/docs`), never an absolute path that
    /// differs between machines: it prefixes every location of a secondary source.
    pub label: &'a str,
}

impl<'a> Labelled<'a> {
    /// A source read alone or first: its locations are its own relative paths.
    pub fn primary(source: &'a dyn SpecSource) -> Self {
        Self { source, label: "" }
    }
}

/// Reads and lowers one spec, or several SDKs' docs of one API merged into one IR (see
/// [`merge`]): the first source is the primary. `options.dialect` applies to the primary;
/// every other source's dialect is detected. Only the primary's overlay is read.
pub fn load_sources(sources: &[Labelled<'_>], options: LoadOptions) -> Result<Loaded, SourceError> {
    let mut files = SourceFiles::default();
    let mut diagnostics = Diagnostics::default();
    let mut documents = 0;
    let mut lowered = Vec::new();
    for (index, labelled) in sources.iter().enumerate() {
        let primary = index == 0;
        let prefix = (!primary).then_some(labelled.label);
        let read = read_into(labelled.source, prefix, &mut files, &mut diagnostics)?;
        documents += read.len();
        let forced = if primary { options.dialect } else { None };
        let dialect = match detect_dialect(&read, &files, forced) {
            Ok(dialect) => dialect,
            Err(diagnostic) => {
                diagnostics.push(*diagnostic);
                lowered.push(None);
                continue;
            }
        };
        let overlay = if primary {
            read_overlay(labelled.source, &mut files, &mut diagnostics)?
        } else {
            None
        };
        let (spec, found) = lower::lower(&read, &files, overlay.as_ref(), dialect);
        diagnostics.extend(found);
        lowered.push(Some(spec));
    }
    let mut spec = lowered
        .into_iter()
        .collect::<Option<Vec<Spec>>>()
        .and_then(|specs| merge_lowered(specs, sources, &files, &mut diagnostics));
    if let Some(spec) = &mut spec {
        diagnostics.extend_one(examples::settle(spec));
    }
    diagnostics.sort();
    Ok(Loaded {
        files,
        spec,
        diagnostics,
        documents,
    })
}

/// The one spec of a single source, or the sources' specs merged; `None` for no source.
fn merge_lowered(
    specs: Vec<Spec>,
    sources: &[Labelled<'_>],
    files: &SourceFiles,
    diagnostics: &mut Diagnostics,
) -> Option<Spec> {
    let mut specs = specs.into_iter();
    let primary = specs.next()?;
    let secondaries: Vec<merge::Secondary> = specs
        .zip(sources.iter().skip(1))
        .map(|(spec, labelled)| merge::Secondary {
            label: labelled.label.to_owned(),
            spec,
        })
        .collect();
    if secondaries.is_empty() {
        return Some(primary);
    }
    let (merged, found) = merge::merge(primary, sources[0].label, &secondaries, files);
    diagnostics.extend(found);
    Some(merged)
}

/// The spec's overlay (its own `overlay.toml`, or the one the source stands in with).
fn read_overlay(
    source: &dyn SpecSource,
    files: &mut SourceFiles,
    diagnostics: &mut Diagnostics,
) -> Result<Option<overlay::Overlay>, SourceError> {
    let Some(bytes) = source.read(source::OVERLAY_PATH)? else {
        return Ok(None);
    };
    let display = source.display_path(source::OVERLAY_PATH);
    let file = add_file(source::OVERLAY_PATH, display, bytes, files, diagnostics);
    Ok(match overlay::parse(file, &files.get(file).text) {
        Ok(overlay) => Some(overlay),
        Err(diagnostic) => {
            diagnostics.push(*diagnostic);
            None
        }
    })
}

/// The read phase's output: every markdown document of a spec as a document model with
/// spans, the files they were read from, and what reading found wrong (invalid UTF-8).
#[derive(Debug)]
pub struct Read {
    pub files: SourceFiles,
    pub documents: Vec<document::Document>,
    pub diagnostics: Diagnostics,
}

/// Reads every markdown document of `source` (the first phase of [`load`]).
pub fn read_spec(source: &dyn SpecSource) -> Result<Read, SourceError> {
    let mut files = SourceFiles::default();
    let mut diagnostics = Diagnostics::default();
    let documents = read_into(source, None, &mut files, &mut diagnostics)?;
    Ok(Read {
        files,
        documents,
        diagnostics,
    })
}

/// Reads every markdown document of `source` into `files`; with a `prefix`, the files'
/// names (and so every location in them) start with `prefix/`, while the documents keep
/// their own relative paths for resolving links.
fn read_into(
    source: &dyn SpecSource,
    prefix: Option<&str>,
    files: &mut SourceFiles,
    diagnostics: &mut Diagnostics,
) -> Result<Vec<Document>, SourceError> {
    let mut documents = Vec::new();
    for relative in source.documents()? {
        let Some(bytes) = source.read(&relative)? else {
            continue;
        };
        let name = match prefix {
            Some(prefix) => format!("{}/{relative}", prefix.trim_end_matches('/')),
            None => relative.clone(),
        };
        let file = add_file(
            &name,
            source.display_path(&relative),
            bytes,
            files,
            diagnostics,
        );
        documents.push(read::read_document(file, &relative, &files.get(file).text));
    }
    Ok(documents)
}

/// Loads a spec and runs every check on it: the `lint` command.
pub fn lint(source: &dyn SpecSource) -> Result<Loaded, SourceError> {
    lint_with(source, LoadOptions::default())
}

/// [`lint`], with options.
pub fn lint_with(source: &dyn SpecSource, options: LoadOptions) -> Result<Loaded, SourceError> {
    lint_sources(&[Labelled::primary(source)], options)
}

/// [`lint`] of one spec or of several sources merged ([`load_sources`]).
pub fn lint_sources(sources: &[Labelled<'_>], options: LoadOptions) -> Result<Loaded, SourceError> {
    let mut loaded = load_sources(sources, options)?;
    if let Some(spec) = &loaded.spec {
        let found = check::check(spec, &loaded.files);
        loaded.diagnostics.extend(found);
        loaded.diagnostics.sort();
    }
    Ok(loaded)
}

/// Why `codegen` could not finish (problems in the spec are diagnostics instead).
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Models(#[from] ModelLookupError),
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
    #[error(transparent)]
    Output(#[from] output::OutputError),
}

/// The outcome of `codegen`.
#[derive(Debug)]
pub enum Generated {
    /// The spec has errors: nothing was generated, nothing written.
    SpecErrors(Loaded),
    /// The output crate was synced (or, in check mode, compared).
    Synced {
        loaded: Loaded,
        report: output::SyncReport,
        /// How the spec the code in `crate_dir` was generated from (its IR manifest)
        /// differs from the spec now: in check mode what the code lags behind, in write
        /// mode what this run changed.
        lag: Lag,
    },
}

/// What the committed code lags behind, in the terms of the drift audit.
#[derive(Debug)]
pub enum Lag {
    /// The changes from the spec the code was generated from to the spec now.
    Changes(diff::Diff),
    /// The crate has no readable IR manifest (it predates manifests, or was edited).
    Unknown(String),
}

/// Reads the spec and generates its Rust crate into `crate_dir` (`Mode::Write`), or
/// compares what it would generate with what is there (`Mode::Check`). Nothing is
/// written unless the whole spec lowers without errors.
pub fn generate(
    source: &dyn SpecSource,
    crate_dir: &std::path::Path,
    mode: output::Mode,
) -> Result<Generated, CodegenError> {
    generate_with(source, LoadOptions::default(), crate_dir, mode)
}

/// [`generate`], with options for reading the spec.
pub fn generate_with(
    source: &dyn SpecSource,
    options: LoadOptions,
    crate_dir: &std::path::Path,
    mode: output::Mode,
) -> Result<Generated, CodegenError> {
    let options = GenerateOptions {
        load: options,
        ..GenerateOptions::default()
    };
    generate_configured(source, &options, crate_dir, mode)
}

/// How a crate is generated: the spec's reading options, the models to generate, the
/// crate's name and version (for a `Cargo.toml` written when missing), and what the
/// emitter adds (`markmodel.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenerateOptions {
    pub load: LoadOptions,
    /// Root models: only they and what they reference are generated. `None`: every model.
    pub models: Option<Vec<String>>,
    /// The crate name; the crate folder's name when `None`.
    pub crate_name: Option<String>,
    pub crate_version: Option<String>,
    pub emit: emit::Options,
}

/// [`generate`], with every option.
pub fn generate_configured(
    source: &dyn SpecSource,
    options: &GenerateOptions,
    crate_dir: &std::path::Path,
    mode: output::Mode,
) -> Result<Generated, CodegenError> {
    generate_sources(&[Labelled::primary(source)], options, crate_dir, mode)
}

/// [`generate_configured`] from one spec or several sources merged ([`load_sources`]).
pub fn generate_sources(
    sources: &[Labelled<'_>],
    options: &GenerateOptions,
    crate_dir: &std::path::Path,
    mode: output::Mode,
) -> Result<Generated, CodegenError> {
    let loaded = lint_sources(sources, options.load)?;
    let spec = match &loaded.spec {
        Some(spec) if !loaded.has_errors() => spec,
        _ => return Ok(Generated::SpecErrors(loaded)),
    };
    let selected;
    let spec = match &options.models {
        Some(roots) => {
            selected = closure(spec, roots)?;
            &selected
        }
        None => spec,
    };
    let planned = emit::plan(spec, &options.emit)?;
    let record = fingerprint::Record::read(crate_dir);
    let intact = record.intact(crate_dir, planned.inputs());
    let skip: std::collections::BTreeSet<&str> = intact.keys().copied().collect();
    let files = emit::Planned::emit(&planned, &skip)?;
    let record = new_record(&planned, &intact, &files);
    let crate_name = options
        .crate_name
        .clone()
        .unwrap_or_else(|| folder_crate_name(crate_dir));
    let version = options.crate_version.as_deref().unwrap_or("0.1.0");
    // Read before syncing: in write mode, what the regeneration changes. An intact
    // manifest is the one on disk: nothing changed.
    let lag = if skip.contains(manifest::PATH) {
        Lag::Changes(diff::Diff::default())
    } else {
        let manifest_now = files
            .iter()
            .find(|file| file.path == manifest::PATH)
            .map(|file| file.contents.as_str());
        lag(crate_dir, spec, manifest_now)
    };
    let cargo_toml = emit::manifest_with(&crate_name, version);
    let outputs = output::Outputs {
        files: &files,
        intact: &skip,
        record: Some(&record),
    };
    let report = output::sync_outputs(crate_dir, &outputs, &cargo_toml, mode)?;
    Ok(Generated::Synced {
        loaded,
        report,
        lag,
    })
}

/// The fingerprint record after this run: every planned file, with the bytes it was kept
/// with or built with.
fn new_record(
    planned: &emit::Planned<'_>,
    intact: &std::collections::BTreeMap<&str, fingerprint::Entry>,
    built: &[output::OutputFile],
) -> String {
    let built: std::collections::BTreeMap<&str, &str> = built
        .iter()
        .map(|file| (file.path.as_str(), file.contents.as_str()))
        .collect();
    let mut record = fingerprint::Record::default();
    for (path, inputs) in planned.inputs() {
        let contents = match (intact.get(path), built.get(path)) {
            (Some(entry), _) => entry.contents,
            (None, Some(contents)) => fingerprint::Fingerprint::of_bytes(contents.as_bytes()),
            (None, None) => continue,
        };
        record
            .entries
            .insert(path.to_owned(), fingerprint::Entry { inputs, contents });
    }
    record.render()
}

/// A package name from the crate folder's name (`generated`).
fn folder_crate_name(crate_dir: &std::path::Path) -> String {
    crate_dir
        .file_name()
        .map_or_else(
            || "generated".to_owned(),
            |name| name.to_string_lossy().into_owned(),
        )
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The spec restricted to `roots` (exact names or unique titles) and every model they
/// reference, directly or not.
pub fn closure(spec: &Spec, roots: &[String]) -> Result<Spec, ModelLookupError> {
    let mut keep = std::collections::BTreeSet::new();
    let mut stack: Vec<String> = Vec::new();
    for root in roots {
        stack.push(find_model(spec, root)?.to_owned());
    }
    while let Some(name) = stack.pop() {
        if !keep.insert(name.clone()) {
            continue;
        }
        let Some(model) = spec.models.get(&name) else {
            continue;
        };
        stack.extend(check::references(model));
    }
    let mut selected = spec.clone();
    selected.models.retain(|name, _| keep.contains(name));
    Ok(selected)
}

/// Compares the IR manifest in `crate_dir` with `spec` (whose manifest is `manifest_now`:
/// when the bytes are the same, nothing changed and nothing needs parsing).
fn lag(crate_dir: &std::path::Path, spec: &Spec, manifest_now: Option<&str>) -> Lag {
    match output::read_generated(crate_dir, manifest::PATH) {
        Ok(Some(bytes)) if manifest_now.is_some_and(|now| now.as_bytes() == bytes) => {
            Lag::Changes(diff::Diff::default())
        }
        Ok(Some(bytes)) => match manifest::parse(&String::from_utf8_lossy(&bytes)) {
            Ok(committed) => Lag::Changes(diff::diff(&committed, spec)),
            Err(error) => Lag::Unknown(error.to_string()),
        },
        Ok(None) => Lag::Unknown(format!(
            "`{}` has no `{}`: it was generated before the IR manifest existed",
            crate_dir.display(),
            manifest::PATH
        )),
        Err(error) => Lag::Unknown(error.to_string()),
    }
}

/// Why a model name given on the command line names no model.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ModelLookupError {
    #[error("the spec has no model `{0}`")]
    Unknown(String),
    #[error("`{asked}` is the title of several models; name one of {}", .candidates.join(", "))]
    Ambiguous {
        asked: String,
        candidates: Vec<String>,
    },
}

/// The model `asked` names: its spec name (`operations/Click`), or its title alone
/// (`Click`) when only one model has that title.
pub fn find_model<'a>(spec: &'a Spec, asked: &str) -> Result<&'a str, ModelLookupError> {
    if let Some((name, _)) = spec.models.get_key_value(asked) {
        return Ok(name);
    }
    find_name(spec.models.keys().map(String::as_str), asked)
}

/// [`find_model`] over a list of spec names (sorted, as a spec's models are), for callers
/// that hold the names without the models (the spec cache).
pub fn find_name<'a>(
    names: impl Iterator<Item = &'a str> + Clone,
    asked: &str,
) -> Result<&'a str, ModelLookupError> {
    if let Some(name) = names.clone().find(|name| *name == asked) {
        return Ok(name);
    }
    let titled: Vec<&str> = names
        .filter(|name| {
            name.rsplit_once('/')
                .is_some_and(|(_, title)| title == asked)
        })
        .collect();
    match titled.as_slice() {
        [] => Err(ModelLookupError::Unknown(asked.to_owned())),
        [only] => Ok(only),
        several => Err(ModelLookupError::Ambiguous {
            asked: asked.to_owned(),
            candidates: several.iter().map(|name| format!("`{name}`")).collect(),
        }),
    }
}

/// The IR as JSON: stable (models sorted by title, fields in document order).
pub fn ir_json(spec: &Spec) -> String {
    // The IR is plain data with string keys; serializing it cannot fail.
    let mut text = serde_json::to_string_pretty(spec).unwrap_or_default();
    text.push('\n');
    text
}

/// Adds a file to `files`, decoding it as UTF-8; invalid bytes are replaced and
/// reported, so the rest of the spec is still checked.
fn add_file(
    relative: &str,
    display: String,
    bytes: Vec<u8>,
    files: &mut SourceFiles,
    diagnostics: &mut Diagnostics,
) -> FileId {
    let (text, invalid_at) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(error) => {
            let valid_up_to = error.utf8_error().valid_up_to();
            (
                String::from_utf8_lossy(error.as_bytes()).into_owned(),
                Some(valid_up_to),
            )
        }
    };
    let file = files.add(SourceFile::new(
        relative.to_owned(),
        display,
        bare_carriage_returns_as_spaces(text),
    ));
    if let Some(valid_up_to) = invalid_at {
        // The valid prefix decodes unchanged, so the offset still points at the
        // first replacement character.
        let text = &files.get(file).text;
        let end = text[valid_up_to..]
            .chars()
            .next()
            .map_or(valid_up_to, |c| valid_up_to + c.len_utf8());
        diagnostics.push(
            Diagnostic::new(
                Code::InvalidUtf8,
                format!("`{relative}` is not valid UTF-8"),
            )
            .at(
                Span::new(file, valid_up_to, end),
                format!("invalid bytes at byte {valid_up_to}"),
            )
            .note("the invalid bytes were read as U+FFFD to check the rest of the document"),
        );
    }
    file
}

/// Speakeasy copies carriage returns from descriptions into table cells
/// (`text \r<br/>\r<br/>more`); markdown would end the row there. A CR that does not
/// start a CRLF line ending is read as a space, which keeps every byte offset.
fn bare_carriage_returns_as_spaces(text: String) -> String {
    let bytes = text.as_bytes();
    let bare = |index: usize| bytes[index] == b'\r' && bytes.get(index + 1) != Some(&b'\n');
    if !(0..bytes.len()).any(bare) {
        return text;
    }
    let mut bytes = text.into_bytes();
    for index in 0..bytes.len() {
        if bytes[index] == b'\r' && bytes.get(index + 1) != Some(&b'\n') {
            bytes[index] = b' ';
        }
    }
    // Replacing an ASCII byte with another keeps the text valid UTF-8.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Decides the spec's dialect: `forced` when given (`--dialect`), else the one every
/// document's marks allow. Documents whose marks allow no common dialect are one error
/// naming a document of each side, not thousands of type errors.
fn detect_dialect(
    documents: &[Document],
    files: &SourceFiles,
    forced: Option<Dialect>,
) -> Result<Dialect, Box<Diagnostic>> {
    if let Some(dialect) = forced {
        return Ok(dialect);
    }
    let mut candidates = Dialect::ALL.to_vec();
    // The document that last narrowed the candidates, as the witness of a conflict.
    let mut witness: Option<(&Document, dialect::DialectEvidence)> = None;
    for document in documents {
        let text = &files.get(document.file).text;
        let Some(evidence) = dialect::detect(document, text) else {
            continue;
        };
        let narrowed: Vec<Dialect> = candidates
            .iter()
            .copied()
            .filter(|dialect| evidence.candidates.contains(dialect))
            .collect();
        if narrowed.is_empty() {
            return Err(Box::new(mixed_dialects(
                document,
                &evidence,
                witness.as_ref(),
            )));
        }
        if narrowed.len() < candidates.len() || witness.is_none() {
            witness = Some((document, evidence));
        }
        candidates = narrowed;
    }
    Ok(candidates.first().copied().unwrap_or(Dialect::Python))
}

fn mixed_dialects(
    document: &Document,
    evidence: &dialect::DialectEvidence,
    witness: Option<&(&Document, dialect::DialectEvidence)>,
) -> Diagnostic {
    let names = |candidates: &[Dialect]| {
        candidates
            .iter()
            .map(|dialect| dialect.name())
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let mut diagnostic = Diagnostic::new(
        Code::MixedDialects,
        format!(
            "the spec mixes SDK dialects: `{}` reads as {}",
            document.path,
            names(&evidence.candidates)
        ),
    )
    .at(evidence.span, evidence.what.clone());
    if let Some((other, other_evidence)) = witness {
        diagnostic = diagnostic.also(
            other_evidence.span,
            format!(
                "but `{}` reads as {}: {}",
                other.path,
                names(&other_evidence.candidates),
                other_evidence.what
            ),
        );
    }
    diagnostic.note(
        "one spec folder is one SDK's docs; give several SDKs' docs as separate spec folders, or force one with `--dialect NAME`",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example_spec() -> Spec {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs");
        load(&FolderSource::new(folder))
            .ok()
            .and_then(|loaded| loaded.spec)
            .unwrap_or_else(|| panic!("specs/ lowers"))
    }

    #[test]
    fn a_closure_keeps_the_roots_and_what_they_reference() {
        let spec = example_spec();
        let selected = closure(&spec, &["Loan".to_owned()]).unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<&str> = selected.models.keys().map(String::as_str).collect();
        assert!(
            names.contains(&"Loan") && names.contains(&"LoanStatus"),
            "{names:?}"
        );
        assert!(!names.contains(&"Catalog"), "{names:?}");
        assert!(names.len() < spec.models.len());
        assert_eq!(
            closure(&spec, &["Nope".to_owned()]).err(),
            Some(ModelLookupError::Unknown("Nope".to_owned()))
        );
    }

    #[test]
    fn extra_derives_and_attributes_reach_every_type() {
        let spec = example_spec();
        let options = emit::Options {
            derives: vec!["schemars::JsonSchema".to_owned()],
            attributes: vec!["#[doc(alias = \"api\")]".to_owned()],
            ..emit::Options::default()
        };
        let files = emit::emit_with(&spec, &options).unwrap_or_else(|e| panic!("{e}"));
        let loan = files
            .iter()
            .find(|file| file.path == "src/models/loan.rs")
            .unwrap_or_else(|| panic!("loan.rs"));
        // The derive list fits one line or is wrapped, as prettyplease decides.
        assert!(
            loan.contents.contains("schemars::JsonSchema)]")
                || loan.contents.contains("    schemars::JsonSchema,\n"),
            "{}",
            loan.contents
        );
        assert!(
            loan.contents.contains("#[doc(alias = \"api\")]"),
            "{}",
            loan.contents
        );
        let wrong = emit::Options {
            derives: vec!["not a path".to_owned()],
            ..emit::Options::default()
        };
        assert!(matches!(
            emit::emit_with(&spec, &wrong),
            Err(emit::EmitError::InvalidExtra(_))
        ));
    }
}
