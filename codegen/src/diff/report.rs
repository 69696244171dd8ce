//! Drift audit, reports: a changelog in markdown for people, stable JSON for tools, and
//! workflow annotations for GitHub Actions.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::ir::{Direction, Location};

use crate::render::github::{self, Level, Place};

use super::{Change, ChangeKind, Class, Diff, Effect, Rename};

/// The report as a changelog: a summary, then one section per model (models with a
/// breaking change first), breaking changes first, one line per change with the doc
/// file and line that show it.
pub fn markdown(diff: &Diff, old_label: &str, new_label: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Spec changes: `{old_label}` -> `{new_label}`\n");
    if let Some(across) = diff.across {
        let _ = writeln!(
            out,
            "Compared across SDK dialects ({} -> {}): models and fields are matched modulo \
             each SDK's naming and shown with `{old_label}`'s names; a fact only one side \
             writes is no difference, nor is a type each dialect shows as it can (TypeScript's \
             `number`, a date format one side assumes).\n",
            across.old, across.new
        );
    }
    if diff.changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    let summary = Summary::of(diff);
    let _ = writeln!(
        out,
        "{} in {}: {} on the wire, {} for Rust code. Models: {} added, {} removed, {} renamed.\n",
        count(summary.changes, "change"),
        count(summary.models, "model"),
        breaking(summary.wire_breaking),
        breaking(summary.api_breaking),
        summary.models_added,
        summary.models_removed,
        summary.models_renamed,
    );
    if summary.assumed > 0 {
        let _ = writeln!(
            out,
            "{} on facts the docs do not state (marked *(assumed)*; the overlay can state them).\n",
            if summary.assumed == 1 {
                "1 change rests".to_owned()
            } else {
                format!("{} changes rest", summary.assumed)
            },
        );
    }
    out.push_str(
        "**wire**: a payload valid before may now be rejected (narrows) or a payload valid now \
         was rejected before (widens); a request breaks on narrowing, a response on widening, \
         a model of unknown direction on both. **api**: code written against the old \
         generated crate stops compiling.\n",
    );

    let mut by_model: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for change in &diff.changes {
        by_model.entry(&change.model).or_default().push(change);
    }
    // A new model has nothing else to say: they are listed together, last.
    let (added, mut models): (Vec<_>, Vec<_>) = by_model.into_iter().partition(|(_, changes)| {
        changes
            .iter()
            .all(|change| change.kind == ChangeKind::ModelAdded)
    });
    models.sort_by_key(|(name, changes)| (!changes.iter().any(|c| c.is_breaking()), *name));
    for (name, changes) in models {
        let _ = write!(out, "\n## `{name}`");
        if let Some(first) = changes.iter().find(|change| {
            matches!(
                change.kind,
                ChangeKind::ModelAdded | ChangeKind::ModelRemoved | ChangeKind::ModelRenamed
            )
        }) {
            let _ = match first.kind {
                ChangeKind::ModelAdded => write!(out, " (added)"),
                ChangeKind::ModelRemoved => write!(out, " (removed)"),
                _ => write!(
                    out,
                    " (was `{}`)",
                    first.item.as_deref().unwrap_or_default()
                ),
            };
        }
        out.push_str("\n\n");
        for change in changes {
            out.push_str("- ");
            out.push_str(&badge(change));
            let _ = write!(out, " {}", change.kind.as_str());
            if let Some(item) = &change.item
                && change.kind != ChangeKind::ModelRenamed
            {
                let _ = write!(out, " `{item}`");
            }
            let _ = write!(out, ": {}", change.detail);
            let _ = writeln!(
                out,
                " ({})",
                places(change.old.as_ref(), change.new.as_ref())
            );
        }
    }
    if !added.is_empty() {
        let _ = writeln!(out, "\n## Added models\n");
        for (name, changes) in added {
            for change in changes {
                let _ = writeln!(
                    out,
                    "- compatible `{name}`: {} ({})",
                    change.detail,
                    places(change.old.as_ref(), change.new.as_ref())
                );
            }
        }
    }
    out
}

fn badge(change: &Change) -> String {
    verdict(change, true)
}

/// Which classes a change breaks (`breaking: wire (narrows), api`, `compatible`), and for
/// a wire effect that is fine in the model's direction, why; `strong` marks the
/// breaking part up in bold.
fn verdict(change: &Change, strong: bool) -> String {
    let wire = (change.wire != Effect::None).then(|| effect_text(change.wire));
    let mut parts = Vec::new();
    if change.wire_breaking {
        parts.push(format!("wire ({})", wire.unwrap_or_default()));
    }
    if change.api_breaking {
        parts.push("api".to_owned());
    }
    let mut verdict = match (parts.is_empty(), strong) {
        (true, _) => "compatible".to_owned(),
        (false, true) => format!("**breaking: {}**", parts.join(", ")),
        (false, false) => format!("breaking: {}", parts.join(", ")),
    };
    if let (Some(effect), false, Some(direction)) = (wire, change.wire_breaking, change.direction) {
        let _ = write!(
            verdict,
            " (wire {effect}: fine for a {})",
            direction_text(direction)
        );
    }
    verdict
}

fn places(old: Option<&Location>, new: Option<&Location>) -> String {
    let short = |location: &Location| format!("`{}:{}`", location.file, location.line);
    match (old, new) {
        (Some(old), Some(new)) if old.file == new.file && old.line == new.line => short(new),
        (Some(old), Some(new)) => format!("{}, old {}", short(new), short(old)),
        (Some(old), None) => format!("old {}", short(old)),
        (None, Some(new)) => short(new),
        (None, None) => "no location".to_owned(),
    }
}

fn effect_text(effect: Effect) -> &'static str {
    match effect {
        Effect::None => "none",
        Effect::Widens => "widens",
        Effect::Narrows => "narrows",
        Effect::Both => "narrows and widens",
    }
}

fn direction_text(direction: Direction) -> &'static str {
    match direction {
        Direction::Request => "request",
        Direction::Response => "response",
    }
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn breaking(n: usize) -> String {
    if n == 0 {
        "none breaking".to_owned()
    } else {
        format!("**{n} breaking**")
    }
}

#[derive(Debug, Serialize)]
struct Summary {
    changes: usize,
    models: usize,
    wire_breaking: usize,
    api_breaking: usize,
    models_added: usize,
    models_removed: usize,
    models_renamed: usize,
    assumed: usize,
}

impl Summary {
    fn of(diff: &Diff) -> Summary {
        let kind = |kind: ChangeKind| diff.changes.iter().filter(|c| c.kind == kind).count();
        let mut models: Vec<&str> = diff.changes.iter().map(|c| c.model.as_str()).collect();
        models.dedup();
        Summary {
            changes: diff.changes.len(),
            models: models.len(),
            wire_breaking: diff.changes.iter().filter(|c| c.wire_breaking).count(),
            api_breaking: diff.changes.iter().filter(|c| c.api_breaking).count(),
            models_added: kind(ChangeKind::ModelAdded),
            models_removed: kind(ChangeKind::ModelRemoved),
            models_renamed: kind(ChangeKind::ModelRenamed),
            assumed: diff.changes.iter().filter(|c| c.assumed).count(),
        }
    }
}

/// The report as JSON: stable field order, changes in the order of [`Diff::changes`].
pub fn json(diff: &Diff, old_label: &str, new_label: &str) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        old: &'a str,
        new: &'a str,
        summary: Summary,
        #[serde(skip_serializing_if = "Option::is_none")]
        across: Option<super::Across>,
        renames: &'a [Rename],
        changes: &'a [Change],
    }
    let report = Report {
        old: old_label,
        new: new_label,
        summary: Summary::of(diff),
        across: diff.across,
        renames: &diff.renames,
        changes: &diff.changes,
    };
    // Plain data with string keys; serializing it cannot fail.
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

/// Where each side's docs are, as the user named them: the folder argument (`specs`), or
/// the `PATH` of a `git:REV:PATH` source. A location's spec-relative file is joined to it,
/// so an annotation names a file of the repository.
#[derive(Debug, Clone, Copy)]
pub struct Roots<'a> {
    pub old: &'a str,
    pub new: &'a str,
}

/// The report as GitHub Actions annotations: one per breaking change, on its line in the
/// new docs (in the old ones when only they show it, as for a removed model), an error
/// when its class is in `fail_on` (the gate fails on it) and a warning otherwise; then
/// one notice that sums up, compatible changes included.
pub fn github(diff: &Diff, fail_on: &[Class], roots: Roots<'_>) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings) = (0, 0);
    for change in diff.changes.iter().filter(|change| change.is_breaking()) {
        let level = if fail_on.iter().any(|class| change.is(*class)) {
            errors += 1;
            Level::Error
        } else {
            warnings += 1;
            Level::Warning
        };
        let place = annotation_place(change, roots);
        let title = format!("{}: {}", change.model, change.kind.as_str());
        out.push_str(&github::annotation(
            level,
            place.as_ref(),
            &title,
            &change_summary(change, roots),
        ));
    }
    out.push_str(&github::annotation(
        Level::Notice,
        None,
        "",
        &github_summary(diff, errors, warnings),
    ));
    out
}

fn annotation_place(change: &Change, roots: Roots<'_>) -> Option<Place> {
    let (root, location) = match (&change.new, &change.old) {
        (Some(new), _) => (roots.new, new),
        (None, Some(old)) => (roots.old, old),
        (None, None) => return None,
    };
    Some(Place {
        file: github::join(root, &location.file),
        line: Some(location.line),
    })
}

/// What the change is and whom it breaks; the old place too when it is elsewhere.
pub(crate) fn change_summary(change: &Change, roots: Roots<'_>) -> String {
    let mut message = change.kind.as_str().to_owned();
    if let Some(item) = &change.item
        && change.kind != ChangeKind::ModelRenamed
    {
        let _ = write!(message, " `{item}`");
    }
    let _ = write!(message, ": {}; {}", change.detail, verdict(change, false));
    if let (Some(old), Some(new)) = (&change.old, &change.new)
        && (old.file != new.file || old.line != new.line)
    {
        let _ = write!(
            message,
            " (old: {}:{})",
            github::join(roots.old, &old.file),
            old.line
        );
    }
    message
}

fn github_summary(diff: &Diff, errors: usize, warnings: usize) -> String {
    if diff.changes.is_empty() {
        return "diff: no changes".to_owned();
    }
    let summary = Summary::of(diff);
    let annotated = errors + warnings;
    format!(
        "diff: {} in {}: {} breaking on the wire, {} for Rust code; {} annotated ({}, {}), {} compatible (`--format markdown` lists them)",
        count(summary.changes, "change"),
        count(summary.models, "model"),
        summary.wire_breaking,
        summary.api_breaking,
        count(annotated, "breaking change"),
        count(errors, "error"),
        count(warnings, "warning"),
        summary.changes - annotated,
    )
}
