//! The generated crate's `README.md`, and the "about" paragraph its crate docs share:
//! which spec, which release of markmodel, how to regenerate, and a table of models.

use crate::ir::ModelKind;
use crate::output::{MARKDOWN_HEADER, OutputFile, README};

use super::Options;
use super::plan::Plan;

/// The lines saying what the crate is and how to regenerate it (markdown, no header).
pub(super) fn about(plan: &Plan<'_>, options: &Options) -> Vec<String> {
    let spec = options
        .spec_label
        .as_deref()
        .map_or_else(String::new, |label| format!(" in `{label}`"));
    vec![
        format!(
            "Rust models of an API, generated from its Speakeasy model docs{spec} ({} dialect, {} models) by markmodel {}.",
            plan.spec.dialect.name(),
            plan.spec.models.len(),
            env!("CARGO_PKG_VERSION"),
        ),
        String::new(),
        format!(
            "Regenerate with `{}` after the docs change; `{} --check` fails when this crate is stale. Do not edit the generated files by hand: state missing facts in the spec's `overlay.toml` instead.",
            options.command(),
            options.command()
        ),
    ]
}

pub(super) fn render(plan: &Plan<'_>, options: &Options) -> OutputFile {
    let mut text = format!("{MARKDOWN_HEADER}\n\n# Generated models\n\n");
    for line in about(plan, options) {
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str("\n## Models\n\n| Model | Kind | Rust type | Doc |\n|---|---|---|---|\n");
    for model in plan.spec.models.values() {
        let kind = match &model.kind {
            ModelKind::Object(_) => "object",
            ModelKind::Enum(_) => "enum",
            ModelKind::Union(_) => "union",
        };
        text.push_str(&format!(
            "| {} | {kind} | `{}` | `{}` |\n",
            model.name.replace('|', "\\|"),
            plan.type_name(&model.name),
            model.location
        ));
    }
    OutputFile::new(README, text)
}
