//! Emission: the IR as Rust source for the `generated` crate, one file per model plus
//! the module tree, the literal types and the runtime support, formatted by prettyplease.
//!
//! Generated code names std, serde and chrono items by absolute path and other models as
//! `crate::Name`, so no model name can shadow anything it uses.

mod docs;
mod inputs;
mod items;
mod plan;
mod readme;
mod text;

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::fingerprint::Fingerprint;
use crate::ir::{LiteralValue, Model, Spec};
use crate::output::{GENERATED_HEADER, OutputFile};

use plan::Plan;

/// The runtime support module, copied into every generated crate.
const SUPPORT: &str = include_str!("../../templates/support.rs");
/// The macros that declare literal types, copied into `literals.rs` when used.
const STRING_LITERAL: &str = include_str!("../../templates/string_literal.rs");
const BOOL_LITERAL: &str = include_str!("../../templates/bool_literal.rs");
const INTEGER_LITERAL: &str = include_str!("../../templates/integer_literal.rs");

#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    /// The emitter built tokens that are not a Rust file: a bug in the emitter.
    #[error("internal error: the code generated for `{path}` does not parse: {message}")]
    Unparsable { path: String, message: String },
    /// An extra derive or attribute of [`Options`] is not Rust.
    #[error("`{0}` is not a derive path or an outer attribute")]
    InvalidExtra(String),
}

/// What the generated crate says about itself, and what its types carry beyond the
/// spec (`markmodel.toml`, `[generate]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The spec as the user named it (`docs/models`), for the README and crate docs.
    pub spec_label: Option<String>,
    /// The command that regenerates the crate; `cargo xtask codegen` when `None`.
    pub command: Option<String>,
    /// Extra derives for every generated type (`schemars::JsonSchema`).
    pub derives: Vec<String>,
    /// Extra outer attributes for every generated type (`#[...]`).
    pub attributes: Vec<String>,
}

impl Options {
    fn command(&self) -> &str {
        self.command.as_deref().unwrap_or("cargo xtask codegen")
    }
}

/// Everything the generated crate's `src/` holds, sorted by path.
///
/// Model files are independent once the plan is made, so they are built and formatted on
/// every core; the output does not depend on how they were split.
pub fn emit(spec: &Spec) -> Result<Vec<OutputFile>, EmitError> {
    emit_with(spec, &Options::default())
}

/// [`emit`], with [`Options`].
pub fn emit_with(spec: &Spec, options: &Options) -> Result<Vec<OutputFile>, EmitError> {
    plan(spec, options)?.emit(&BTreeSet::new())
}

/// A file of the crate, planned but not built yet.
#[derive(Debug, Clone, Copy)]
enum Job<'a> {
    Model(&'a Model),
    Support,
    Readme,
    Lib,
    ModelsMod,
    Literals,
    Manifest,
}

/// The generated crate's files, planned: each one's path and the [`Fingerprint`] of
/// everything it is made from. [`Planned::emit`] builds them (or only some).
#[derive(Debug)]
pub struct Planned<'a> {
    plan: Plan<'a>,
    options: &'a Options,
    /// Sorted by path.
    files: Vec<(String, Fingerprint, Job<'a>)>,
}

/// Plans the crate of `spec`: every decision that depends on the whole spec, and the
/// inputs of every file.
pub fn plan<'a>(spec: &'a Spec, options: &'a Options) -> Result<Planned<'a>, EmitError> {
    let mut plan = Plan::new(spec);
    plan.extra = extras(options)?;
    let inputs = inputs::inputs(&plan, options);
    let mut files: Vec<(String, Fingerprint, Job<'a>)> = spec
        .models
        .values()
        .map(|model| {
            let module = &plan.module_names[model.name.as_str()];
            let path = format!("src/models/{module}.rs");
            (path, inputs.models[model.name.as_str()], Job::Model(model))
        })
        .collect();
    for (path, fingerprint, job) in [
        ("src/support.rs", inputs.generator, Job::Support),
        (crate::output::README, inputs.whole, Job::Readme),
        ("src/lib.rs", inputs.names, Job::Lib),
        ("src/models/mod.rs", inputs.names, Job::ModelsMod),
        ("src/literals.rs", inputs.whole, Job::Literals),
        (crate::manifest::PATH, inputs.whole, Job::Manifest),
    ] {
        files.push((path.to_owned(), fingerprint, job));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Planned {
        plan,
        options,
        files,
    })
}

impl Planned<'_> {
    /// Every planned file's path and the fingerprint of its inputs, sorted by path.
    pub fn inputs(&self) -> impl Iterator<Item = (&str, Fingerprint)> {
        self.files
            .iter()
            .map(|(path, fingerprint, _)| (path.as_str(), *fingerprint))
    }

    /// Builds every planned file whose path is not in `skip`, sorted by path. Files are
    /// independent once planned, so they are built and formatted on every core; the
    /// output does not depend on how they were split.
    pub fn emit(&self, skip: &BTreeSet<&str>) -> Result<Vec<OutputFile>, EmitError> {
        let jobs: Vec<Job<'_>> = self
            .files
            .iter()
            .filter(|(path, _, _)| !skip.contains(path.as_str()))
            .map(|(_, _, job)| *job)
            .collect();
        let workers = crate::parallel::threads_for(jobs.len().div_ceil(32));
        let worker_indices: Vec<usize> = (0..workers).collect();
        let built = crate::parallel::map_parts(&worker_indices, |&worker| {
            // Interleaved, so the few large files do not all land on one core.
            jobs.iter()
                .skip(worker)
                .step_by(workers)
                .map(|job| self.build(*job))
                .collect::<Result<Vec<_>, _>>()
        });
        let mut files = Vec::with_capacity(jobs.len());
        for chunk in built {
            files.extend(chunk?);
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Every model file written both ways: with the [text pass](text) where it applies,
    /// and all through prettyplease. For the test that holds them equal.
    #[doc(hidden)]
    pub fn text_pass_check(&self) -> Result<TextPassCheck, EmitError> {
        let mut check = TextPassCheck::default();
        for (path, _, job) in &self.files {
            let Job::Model(model) = job else { continue };
            let fast = items::model_file(&self.plan, model, items::Layout::Text);
            match &fast {
                items::ModelSource::Tokens(_) => {
                    if !matches!(model.kind, crate::ir::ModelKind::Enum(_)) {
                        check.left_to_prettyplease.push(path.clone());
                    }
                    continue;
                }
                items::ModelSource::Mixed { .. } => check.partly_as_text.push(path.clone()),
                items::ModelSource::Text(_) => match model.kind {
                    crate::ir::ModelKind::Enum(_) => check.enums_as_text += 1,
                    crate::ir::ModelKind::Union(_) => check.unions_as_text += 1,
                    crate::ir::ModelKind::Object(_) => {}
                },
            }
            if matches!(model.kind, crate::ir::ModelKind::Object(_)) {
                check.written_as_text += 1;
            }
            let fast = format_model(path, fast)?;
            let reference = format_model(
                path,
                items::model_file(&self.plan, model, items::Layout::Tokens),
            )?;
            if fast.contents != reference.contents {
                check
                    .differences
                    .push((path.clone(), reference.contents, fast.contents));
            }
        }
        for model in self.plan.spec.models.values() {
            match model.kind {
                crate::ir::ModelKind::Object(_) => check.object_models += 1,
                crate::ir::ModelKind::Enum(_) => check.enums += 1,
                crate::ir::ModelKind::Union(_) => check.unions += 1,
            }
        }
        Ok(check)
    }

    /// The tokens of every model file, unformatted: [`emit`]'s two halves apart, for the
    /// phase benchmark (building tokens, then parsing and printing them).
    pub fn model_tokens(&self) -> ModelTokens {
        let files = self
            .files
            .iter()
            .filter_map(|(path, _, job)| match job {
                Job::Model(model) => Some((
                    path.clone(),
                    items::model_file(&self.plan, model, items::Layout::Text),
                )),
                _ => None,
            })
            .collect();
        ModelTokens { files }
    }

    fn build(&self, job: Job<'_>) -> Result<OutputFile, EmitError> {
        let plan = &self.plan;
        match job {
            Job::Model(model) => model_output(plan, model),
            Job::Support => Ok(OutputFile {
                path: "src/support.rs".to_owned(),
                contents: format!("{GENERATED_HEADER}\n{SUPPORT}"),
            }),
            Job::Readme => Ok(readme::render(plan, self.options)),
            Job::Lib => Ok(text_file("src/lib.rs", &lib_rs(plan, self.options))),
            Job::ModelsMod => Ok(text_file("src/models/mod.rs", &models_mod(plan))),
            Job::Literals => literals_rs(plan),
            Job::Manifest => Ok(crate::manifest::render(plan.spec)),
        }
    }
}

/// `f` of every item, in order, computed on every core in contiguous chunks (the work is
/// small per item; one thread when there are few).
pub(crate) fn on_every_core<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(items.len().div_ceil(64))
        .max(1);
    if workers == 1 {
        return items.iter().map(f).collect();
    }
    let chunk = items.len().div_ceil(workers);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// What [`Planned::text_pass_check`] found.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct TextPassCheck {
    pub object_models: usize,
    /// Object model files whose serde impls the text pass wrote.
    pub written_as_text: usize,
    /// Of those, the files whose struct and `new` were left to prettyplease.
    pub partly_as_text: Vec<String>,
    /// Object and union model files the text pass left to prettyplease.
    pub left_to_prettyplease: Vec<String>,
    pub enums: usize,
    /// Enum model files the text pass wrote.
    pub enums_as_text: usize,
    pub unions: usize,
    /// Union model files the text pass wrote.
    pub unions_as_text: usize,
    /// (path, through prettyplease, with the text pass) where the two differ.
    pub differences: Vec<(String, String, String)>,
}

/// Model files as tokens, not yet formatted ([`Planned::model_tokens`]).
#[derive(Debug)]
pub struct ModelTokens {
    files: Vec<(String, items::ModelSource)>,
}

impl ModelTokens {
    /// Parses and prints every file, as [`emit`] does.
    pub fn format(self) -> Result<Vec<OutputFile>, EmitError> {
        self.files
            .into_iter()
            .map(|(path, source)| format_model(&path, source))
            .collect()
    }
}

fn model_output(plan: &Plan<'_>, model: &Model) -> Result<OutputFile, EmitError> {
    let module = &plan.module_names[model.name.as_str()];
    let path = format!("src/models/{module}.rs");
    format_model(&path, items::model_file(plan, model, items::Layout::Text))
}

/// A model's file: its tokens formatted, then the items written as text.
fn format_model(path: &str, source: items::ModelSource) -> Result<OutputFile, EmitError> {
    let printed = match source {
        items::ModelSource::Tokens(tokens) => unparse(path, tokens)?,
        items::ModelSource::Mixed { tokens, tail } => unparse(path, tokens)? + &tail,
        items::ModelSource::Text(text) => text,
    };
    Ok(OutputFile {
        path: path.to_owned(),
        contents: format!("{GENERATED_HEADER}\n{}", separate_items(&printed)),
    })
}

/// One Example cell of the spec, with the Rust type of its field's value in the
/// generated crate, so a test can deserialize the example into exactly that type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleCheck {
    pub model: String,
    /// The field whose Example cell it is; empty for an example of the whole model.
    pub field: String,
    /// The field's value type as Rust source (`Vec<crate::Author>`), for a module inside
    /// the generated crate.
    pub rust_type: String,
    pub example: String,
    pub location: crate::ir::Location,
}

/// Every Example cell of the spec, in model and field order, then every example instance
/// of a whole model (`field` empty; the JSON of [`crate::ir::Example`]).
pub fn example_checks(spec: &Spec) -> Vec<ExampleCheck> {
    let plan = Plan::new(spec);
    let mut checks = Vec::new();
    for model in spec.models.values() {
        for example in &model.examples {
            checks.push(ExampleCheck {
                model: model.name.clone(),
                field: String::new(),
                rust_type: items::value_type_source(
                    &plan,
                    &crate::ir::Type::Model(model.name.clone()),
                ),
                example: example.value.to_string(),
                location: example.location.clone(),
            });
        }
        let crate::ir::ModelKind::Object(object) = &model.kind else {
            continue;
        };
        for field in &object.fields {
            for example in &field.examples {
                checks.push(ExampleCheck {
                    model: model.name.clone(),
                    field: field.name.clone(),
                    rust_type: items::value_type_source(&plan, &field.ty),
                    example: example.clone(),
                    location: field.location.clone(),
                });
            }
        }
    }
    checks
}

/// What code written against the generated crate relies on for one model, beyond its
/// fields and types: the drift audit compares it between two versions of a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Surface {
    /// Derives `Eq` and `Hash`.
    pub eq_hash: bool,
    /// Implements `Default` (objects without required fields, one-value enums).
    pub default: bool,
    /// For an enum, each value's variant name, in value order.
    pub variants: Vec<String>,
}

/// The [`Surface`] of every model, by title.
pub fn surface(spec: &Spec) -> std::collections::BTreeMap<String, Surface> {
    let plan = Plan::new(spec);
    spec.models
        .values()
        .map(|model| {
            let (default, variants) = match &model.kind {
                crate::ir::ModelKind::Enum(enumeration) => (
                    enumeration.values.len() == 1,
                    items::value_variants(enumeration),
                ),
                _ => (plan.default.contains(model.name.as_str()), Vec::new()),
            };
            let surface = Surface {
                eq_hash: plan.eq_hash.contains(model.name.as_str()),
                default,
                variants,
            };
            (model.name.clone(), surface)
        })
        .collect()
}

/// The minimal manifest written when the output crate has none.
pub fn manifest(crate_name: &str) -> String {
    manifest_with(crate_name, "0.1.0")
}

/// [`manifest`], with the crate's version.
pub fn manifest_with(crate_name: &str, version: &str) -> String {
    format!(
        r#"# Written by `cargo xtask codegen` because this crate had no manifest; edit freely.
[package]
name = "{crate_name}"
version = "{version}"
edition = "2024"
publish = false

[dependencies]
chrono = {{ version = "0.4.41", default-features = false, features = ["alloc", "serde"] }}
serde = {{ version = "1.0.219", features = ["derive"] }}
serde_json = "1.0.140"
"#
    )
}

/// The extra derives and attributes of `options`, as tokens.
fn extras(options: &Options) -> Result<plan::Extras, EmitError> {
    let invalid = |text: &String| EmitError::InvalidExtra(text.clone());
    for text in &options.derives {
        syn::parse_str::<syn::Path>(text).map_err(|_| invalid(text))?;
    }
    for text in &options.attributes {
        crate::config::parse_attribute(text).ok_or_else(|| invalid(text))?;
    }
    Ok(plan::Extras {
        derives: options.derives.clone(),
        attributes: options.attributes.clone(),
    })
}

fn format_file(path: &str, tokens: TokenStream) -> Result<OutputFile, EmitError> {
    Ok(OutputFile {
        path: path.to_owned(),
        contents: format!(
            "{GENERATED_HEADER}\n{}",
            separate_items(&unparse(path, tokens)?)
        ),
    })
}

/// prettyplease's text of `tokens`, a whole file.
fn unparse(path: &str, tokens: TokenStream) -> Result<String, EmitError> {
    let file = syn::parse2::<syn::File>(tokens).map_err(|error| EmitError::Unparsable {
        path: path.to_owned(),
        message: error.to_string(),
    })?;
    Ok(prettyplease::unparse(&file))
}

/// Puts a blank line between top-level items, as a person would write them.
fn separate_items(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + source.len() / 20);
    let mut previous_closed_item = false;
    for line in source.lines() {
        let starts_item = !line.is_empty() && !line.starts_with([' ', '}', ')', ']']);
        if previous_closed_item && starts_item {
            out.push('\n');
        }
        previous_closed_item = line == "}" || (line.ends_with(';') && !line.starts_with(' '));
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// `lib.rs`, as prettyplease would print it (before blank lines go between items): the
/// crate doc, the three modules, then one re-export per model. A `use` of a plain path
/// is never broken, however long.
fn lib_rs(plan: &Plan<'_>, options: &Options) -> String {
    let mut out = String::with_capacity(4096 + plan.spec.models.len() * 96);
    let docs = readme::about(plan, options).into_iter().chain(
        [
            "",
            "Every model is reachable at the crate root under its doc title. Build a model with",
            "its `new` function, which takes the required fields; then set optional fields",
            "directly. Structs are `#[non_exhaustive]`, so a new optional field in the spec",
            "never breaks code that builds them; so are open enums and unions.",
        ]
        .map(str::to_owned),
    );
    for doc in docs {
        for line in doc.split('\n') {
            inner_doc_line(&mut out, line);
        }
    }
    out.push_str("pub mod literals;\npub mod models;\npub mod support;\n");
    for name in plan.spec.models.keys() {
        let module = &plan.module_names[name.as_str()];
        let ty = plan.type_name(name);
        // `ty` and `module` are identifiers already (`r#type` raw).
        for part in ["pub use models::", module, "::", ty, ";\n"] {
            out.push_str(part);
        }
    }
    out
}

/// `//! line`, trailing spaces trimmed as prettyplease trims a doc line.
fn inner_doc_line(out: &mut String, line: &str) {
    out.push_str("//!");
    if !line.is_empty() {
        out.push(' ');
        out.push_str(line.trim_end_matches(' '));
    }
    out.push('\n');
}

/// `models/mod.rs`: one module per model.
fn models_mod(plan: &Plan<'_>) -> String {
    let mut out = String::with_capacity(64 + plan.spec.models.len() * 48);
    inner_doc_line(&mut out, "One module per model document.");
    for name in plan.spec.models.keys() {
        for part in ["pub mod ", &plan.module_names[name.as_str()], ";\n"] {
            out.push_str(part);
        }
    }
    out
}

/// A file of printed source: the header, and blank lines between its items.
fn text_file(path: &str, printed: &str) -> OutputFile {
    OutputFile {
        path: path.to_owned(),
        contents: format!("{GENERATED_HEADER}\n{}", separate_items(printed)),
    }
}

/// `literals.rs`: the macros it uses (defined first: `macro_rules!` is textual), then
/// one invocation per constant.
fn literals_rs(plan: &Plan<'_>) -> Result<OutputFile, EmitError> {
    let mut used = Vec::new();
    let items: Vec<TokenStream> = plan
        .literals
        .iter()
        .map(|(value, name)| {
            let name = items::ident(name);
            let doc = format!(" The constant `{value}`.");
            let (mac, literal) = match value {
                LiteralValue::String(text) => ("string_literal", quote!(#text)),
                LiteralValue::Boolean(flag) => ("bool_literal", quote!(#flag)),
                LiteralValue::Integer(number) => ("integer_literal", {
                    let literal = proc_macro2::Literal::i64_unsuffixed(*number);
                    quote!(#literal)
                }),
            };
            if !used.contains(&mac) {
                used.push(mac);
            }
            let mac = items::ident(mac);
            quote! {
                #mac! {
                    #[doc = #doc]
                    #name = #literal
                }
            }
        })
        .collect();
    used.sort_unstable();
    let path = "src/literals.rs";
    let invocations = format_file(path, quote!(#(#items)*))?;
    let body = invocations
        .contents
        .strip_prefix(GENERATED_HEADER)
        .unwrap_or(&invocations.contents)
        .trim_start();
    let mut contents = format!(
        "{GENERATED_HEADER}\n//! Constant types: each has exactly one value on the wire (`Literal[...]` in the docs).\n"
    );
    for mac in &used {
        contents.push('\n');
        contents.push_str(match *mac {
            "string_literal" => STRING_LITERAL,
            "bool_literal" => BOOL_LITERAL,
            _ => INTEGER_LITERAL,
        });
    }
    if !body.is_empty() {
        contents.push('\n');
        contents.push_str(body);
    }
    Ok(OutputFile {
        path: path.to_owned(),
        contents,
    })
}
