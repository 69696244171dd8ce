//! Conflicts between merged sources, gathered per fact: one `merge-conflict` names the
//! kept statement and every source that writes something else.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic, SourceFiles};
use crate::ir::Location;

/// One source's statement of a fact: which source, what it says, where.
pub(super) struct Statement {
    pub(super) source: usize,
    /// What the source says, as a message fragment (`optional`, `` `date` ``).
    pub(super) text: String,
    pub(super) location: Location,
}

/// The conflicts found so far, by subject (`Model.field`) and fact.
#[derive(Default)]
pub(super) struct Conflicts {
    pending: BTreeMap<(String, &'static str), Pending>,
}

struct Pending {
    kept: Statement,
    others: Vec<Statement>,
    /// The overlay setting that takes another source's value, when there is one.
    settle: Option<String>,
}

impl Conflicts {
    /// Records that `other` writes something else than the kept statement.
    pub(super) fn add(
        &mut self,
        subject: String,
        fact: &'static str,
        kept: Statement,
        other: Statement,
        settle: Option<String>,
    ) {
        self.pending
            .entry((subject, fact))
            .or_insert_with(|| Pending {
                kept,
                others: Vec::new(),
                settle,
            })
            .others
            .push(other);
    }

    /// One diagnostic per conflicting fact, pointing at the kept statement and at each
    /// other one.
    pub(super) fn into_diagnostics(self, labels: &[&str], files: &SourceFiles) -> Vec<Diagnostic> {
        self.pending
            .into_iter()
            .map(|((subject, _), pending)| pending.diagnostic(&subject, labels, files))
            .collect()
    }
}

impl Pending {
    fn diagnostic(&self, subject: &str, labels: &[&str], files: &SourceFiles) -> Diagnostic {
        // Sources that say the same thing are named together.
        let mut by_text: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for other in &self.others {
            by_text
                .entry(other.text.as_str())
                .or_default()
                .push(labels[other.source]);
        }
        let others: Vec<String> = by_text
            .iter()
            .map(|(text, sources)| format!("{text} in `{}`", sources.join("`, `")))
            .collect();
        let message = format!(
            "`{subject}`: {} in `{}`; {}",
            self.kept.text,
            labels[self.kept.source],
            others.join("; ")
        );
        let mut diagnostic = Diagnostic::new(Code::MergeConflict, message);
        if let Some(span) = files.span_at(&self.kept.location) {
            diagnostic = diagnostic.at(span, format!("kept: {}", self.kept.text));
        }
        for other in &self.others {
            if let Some(span) = files.span_at(&other.location) {
                diagnostic =
                    diagnostic.also(span, format!("`{}`: {}", labels[other.source], other.text));
            }
        }
        diagnostic.note(match &self.settle {
            Some(setting) => format!(
                "the first source that writes it is kept; the overlay settles it: {setting}"
            ),
            None => "the first source that writes it is kept".to_owned(),
        })
    }
}
