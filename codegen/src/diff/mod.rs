//! The drift audit: what changed between two versions of a spec, and whom it breaks.
//!
//! Models are matched by title, then removed and added models by shape (`matching`);
//! each matched pair is compared field by field and value by value (`compare`), and
//! every change is classified for two kinds of user (`compat`): does a payload that was
//! valid become invalid or the reverse (the wire), and does code written against the old
//! generated crate stop compiling (the Rust API). `report` renders the result.

mod compare;
mod compat;
mod matching;
mod report;

use serde::Serialize;

use crate::dialect::Dialect;
use crate::ir::{Direction, Location, Spec};

pub use matching::{ANCHORED_RENAME_THRESHOLD, RENAME_THRESHOLD};
pub(crate) use report::change_summary;
pub use report::{Roots, github, json, markdown};

/// Everything that changed from one spec to another.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diff {
    /// Removed models matched to added ones by shape, in old-title order.
    pub renames: Vec<Rename>,
    /// Every change, sorted: by model (new title), breaking changes first, then by kind
    /// and item.
    pub changes: Vec<Change>,
    /// The two specs' dialects, when they differ: the new spec was then compared in the
    /// old one's names, and only facts both write ([`crate::merge::align`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub across: Option<Across>,
}

/// The dialects of two specs compared across SDKs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Across {
    pub old: Dialect,
    pub new: Dialect,
}

/// A model that changed its title.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rename {
    pub old: String,
    pub new: String,
    /// The shape similarity, in `[0, 1]`, with references compared modulo the renames
    /// found in the same pass.
    pub similarity: f64,
    /// Where the pair was found: the field or union both versions reference them from
    /// (`CompletionFineTuningJobDetails.status`), or `None` when matched on shape alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
}

/// One change, with where the docs show it and what it breaks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The model's title in the new spec (in the old one when it was removed).
    pub model: String,
    pub kind: ChangeKind,
    /// The field (SDK name), enum value, union member or old title the change is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// What it was and what it is, in the docs' notation.
    pub detail: String,
    /// Where the old spec shows it.
    pub old: Option<Location>,
    /// Where the new spec shows it.
    pub new: Option<Location>,
    /// Which way the model travels, when the overlay says (for the model or a model
    /// that references it).
    pub direction: Option<Direction>,
    /// How the set of valid payloads changed.
    pub wire: Effect,
    /// Whether that breaks a client, given the direction.
    pub wire_breaking: bool,
    /// Whether code written against the old generated crate stops compiling.
    pub api_breaking: bool,
    /// Whether a fact the change rests on is not written in the docs but assumed (a
    /// table enum's openness, an optional list's nullability, a JSON key, a date-time);
    /// the detail marks which side with `(assumed)`.
    pub assumed: bool,
}

impl Change {
    pub fn is_breaking(&self) -> bool {
        self.wire_breaking || self.api_breaking
    }

    /// Whether the change is of `class` (what a `--fail-on` gate fails on).
    pub fn is(&self, class: Class) -> bool {
        match class {
            Class::Wire => self.wire_breaking,
            Class::Api => self.api_breaking,
            Class::Any => true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    ModelRenamed,
    ModelRemoved,
    ModelAdded,
    ModelKindChanged,
    FieldRemoved,
    FieldAdded,
    FieldRenamed,
    FieldWireNameChanged,
    FieldRequiredChanged,
    FieldNullableChanged,
    FieldTypeChanged,
    FieldDeprecated,
    AdditionalPropertiesChanged,
    EnumReprChanged,
    EnumValueRemoved,
    EnumValueAdded,
    EnumOpenChanged,
    EnumVariantRenamed,
    UnionMemberRemoved,
    UnionMemberAdded,
    UnionTagChanged,
    UnionTagRequiredChanged,
    UnionOpenChanged,
    DerivesChanged,
}

impl ChangeKind {
    /// Every kind, in report order.
    pub const ALL: [ChangeKind; 24] = [
        ChangeKind::ModelRenamed,
        ChangeKind::ModelRemoved,
        ChangeKind::ModelAdded,
        ChangeKind::ModelKindChanged,
        ChangeKind::FieldRemoved,
        ChangeKind::FieldAdded,
        ChangeKind::FieldRenamed,
        ChangeKind::FieldWireNameChanged,
        ChangeKind::FieldRequiredChanged,
        ChangeKind::FieldNullableChanged,
        ChangeKind::FieldTypeChanged,
        ChangeKind::FieldDeprecated,
        ChangeKind::AdditionalPropertiesChanged,
        ChangeKind::EnumReprChanged,
        ChangeKind::EnumValueRemoved,
        ChangeKind::EnumValueAdded,
        ChangeKind::EnumOpenChanged,
        ChangeKind::EnumVariantRenamed,
        ChangeKind::UnionMemberRemoved,
        ChangeKind::UnionMemberAdded,
        ChangeKind::UnionTagChanged,
        ChangeKind::UnionTagRequiredChanged,
        ChangeKind::UnionOpenChanged,
        ChangeKind::DerivesChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::ModelRenamed => "model-renamed",
            ChangeKind::ModelRemoved => "model-removed",
            ChangeKind::ModelAdded => "model-added",
            ChangeKind::ModelKindChanged => "model-kind-changed",
            ChangeKind::FieldRemoved => "field-removed",
            ChangeKind::FieldAdded => "field-added",
            ChangeKind::FieldRenamed => "field-renamed",
            ChangeKind::FieldWireNameChanged => "field-wire-name-changed",
            ChangeKind::FieldRequiredChanged => "field-required-changed",
            ChangeKind::FieldNullableChanged => "field-nullable-changed",
            ChangeKind::FieldTypeChanged => "field-type-changed",
            ChangeKind::FieldDeprecated => "field-deprecated",
            ChangeKind::AdditionalPropertiesChanged => "additional-properties-changed",
            ChangeKind::EnumReprChanged => "enum-repr-changed",
            ChangeKind::EnumValueRemoved => "enum-value-removed",
            ChangeKind::EnumValueAdded => "enum-value-added",
            ChangeKind::EnumOpenChanged => "enum-open-changed",
            ChangeKind::EnumVariantRenamed => "enum-variant-renamed",
            ChangeKind::UnionMemberRemoved => "union-member-removed",
            ChangeKind::UnionMemberAdded => "union-member-added",
            ChangeKind::UnionTagChanged => "union-tag-changed",
            ChangeKind::UnionTagRequiredChanged => "union-tag-required-changed",
            ChangeKind::UnionOpenChanged => "union-open-changed",
            ChangeKind::DerivesChanged => "derives-changed",
        }
    }
}

/// How the set of payloads a model accepts changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// The same payloads are valid.
    #[default]
    None,
    /// Some payloads valid now were not before (a new value of a closed enum).
    Widens,
    /// Some payloads valid before are not now (a new required field).
    Narrows,
    /// Both (a type replaced by an unrelated one).
    Both,
}

impl Effect {
    pub fn from_flags(widens: bool, narrows: bool) -> Effect {
        match (widens, narrows) {
            (false, false) => Effect::None,
            (true, false) => Effect::Widens,
            (false, true) => Effect::Narrows,
            (true, true) => Effect::Both,
        }
    }

    pub fn widens(self) -> bool {
        matches!(self, Effect::Widens | Effect::Both)
    }

    pub fn narrows(self) -> bool {
        matches!(self, Effect::Narrows | Effect::Both)
    }

    pub fn union(self, other: Effect) -> Effect {
        Effect::from_flags(
            self.widens() || other.widens(),
            self.narrows() || other.narrows(),
        )
    }

    /// Whether this breaks a client, for a model travelling in `direction`: a request
    /// breaks when payloads that were valid are rejected, a response when payloads arrive
    /// that old clients reject, and a model of unknown direction on either.
    pub fn breaks(self, direction: Option<Direction>) -> bool {
        match direction {
            None => self != Effect::None,
            Some(Direction::Request) => self.narrows(),
            Some(Direction::Response) => self.widens(),
        }
    }
}

/// A class of change a CI gate can fail on (`--fail-on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A change that breaks a client on the wire.
    Wire,
    /// A change that breaks code written against the old generated crate.
    Api,
    /// Any change at all.
    Any,
}

impl Diff {
    /// Whether some change is of `class`.
    pub fn has(&self, class: Class) -> bool {
        self.changes.iter().any(|change| change.is(class))
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Compares two specs.
pub fn diff(old: &Spec, new: &Spec) -> Diff {
    // Two SDKs' docs of one API spell names by their own conventions and show different
    // facts: the new one is compared in the old one's terms.
    let (aligned, across) = if old.dialect == new.dialect {
        (None, None)
    } else {
        let across = Across {
            old: old.dialect,
            new: new.dialect,
        };
        (Some(crate::merge::align(old, new)), Some(across))
    };
    let new = aligned.as_ref().unwrap_or(new);
    let matching = matching::match_models(old, new);
    let mut changes = compare::changes(old, new, &matching);
    changes.sort_by(|a, b| {
        a.model
            .cmp(&b.model)
            .then(b.is_breaking().cmp(&a.is_breaking()))
            .then(a.kind.cmp(&b.kind))
            .then(a.item.cmp(&b.item))
            .then(a.detail.cmp(&b.detail))
    });
    Diff {
        renames: matching.renames,
        changes,
        across,
    }
}
