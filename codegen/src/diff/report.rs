//! Drift audit, reports: a changelog in markdown for people, and stable JSON for tools.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::ir::{Direction, Location};

use super::{Change, ChangeKind, Diff, Effect, Rename};

/// The report as a changelog: a summary, then one section per model (models with a
/// breaking change first), breaking changes first, one line per change with the doc
/// file and line that show it.
pub fn markdown(diff: &Diff, old_label: &str, new_label: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Spec changes: `{old_label}` -> `{new_label}`\n");
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
    let wire = (change.wire != Effect::None).then(|| effect_text(change.wire));
    let mut parts = Vec::new();
    if change.wire_breaking {
        parts.push(format!("wire ({})", wire.unwrap_or_default()));
    }
    if change.api_breaking {
        parts.push("api".to_owned());
    }
    let mut badge = if parts.is_empty() {
        "compatible".to_owned()
    } else {
        format!("**breaking: {}**", parts.join(", "))
    };
    if let (Some(effect), false, Some(direction)) = (wire, change.wire_breaking, change.direction) {
        let _ = write!(
            badge,
            " (wire {effect}: fine for a {})",
            direction_text(direction)
        );
    }
    badge
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
        renames: &'a [Rename],
        changes: &'a [Change],
    }
    let report = Report {
        old: old_label,
        new: new_label,
        summary: Summary::of(diff),
        renames: &diff.renames,
        changes: &diff.changes,
    };
    // Plain data with string keys; serializing it cannot fail.
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
