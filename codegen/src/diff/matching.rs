//! Drift audit, matching: which old model is which new one. Same titles of the same kind
//! match; among the rest, a removed and an added model are a rename when their shapes are
//! similar enough, references compared modulo the renames found so far. A title whose
//! kind changed matches itself last, when no rename took either side.
//!
//! Renames are found in rounds, until a round finds none:
//! 1. anchored: where two matched models reference (through the same field, or as union
//!    members) an unmatched old and an unmatched new model, that pair is a rename when its
//!    similarity is at least [`ANCHORED_RENAME_THRESHOLD`], best pairs first;
//! 2. otherwise on shape alone: pairs that are each other's single best candidate, with a
//!    similarity of at least [`RENAME_THRESHOLD`]; objects first (their shapes say the
//!    most), then unions, then enums. A tie is never broken by guessing: the pair waits
//!    for an anchor, or stays a removal and an addition.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Enum, Field, ModelKind, Object, Spec, Type, Union};

use super::Rename;
use super::compat::{Pair, same_kind};

/// The similarity above which two models are a rename on shape alone.
pub const RENAME_THRESHOLD: f64 = 0.7;

/// The similarity above which two models referenced from the same place of a matched
/// pair are a rename.
pub const ANCHORED_RENAME_THRESHOLD: f64 = 0.5;

/// Which model is which, and the renames among them.
#[derive(Debug)]
pub(super) struct Matching<'a> {
    pub pair: Pair<'a>,
    pub renames: Vec<Rename>,
}

pub(super) fn match_models<'a>(old: &'a Spec, new: &'a Spec) -> Matching<'a> {
    let mut pair = Pair::new(old, new);
    // A title that now names another kind of model may have moved with its shape
    // (1.7.0's union `Document` is 2.5.1's `DocumentUnion`, and `Document` is a new
    // object): such titles only match each other if no rename claims either side.
    let mut kind_changed = Vec::new();
    for name in old.models.keys() {
        if new.models.contains_key(name) {
            if same_kind(old, name, new, name) {
                pair.link(name, name);
            } else {
                kind_changed.push(name.clone());
            }
        }
    }
    let mut renames = Vec::new();
    loop {
        if accept_anchored(&mut pair, &mut renames) {
            continue;
        }
        if !accept_by_shape(&mut pair, &mut renames) {
            break;
        }
    }
    for name in kind_changed {
        if !pair.is_matched_old(&name) && !pair.is_matched_new(&name) {
            pair.link(&name, &name);
        }
    }
    // Reported: the similarity modulo every rename of the pass, not only those found
    // before the pair was accepted.
    for rename in &mut renames {
        rename.similarity = round(similarity(&pair, &rename.old, &rename.new));
    }
    renames.sort_by(|a, b| a.old.cmp(&b.old));
    Matching { pair, renames }
}

fn accept_anchored(pair: &mut Pair<'_>, renames: &mut Vec<Rename>) -> bool {
    let mut candidates: Vec<(f64, String, String, String)> = anchors(pair)
        .into_iter()
        .filter_map(|((old, new), place)| {
            let score = similarity(pair, &old, &new);
            (score >= ANCHORED_RENAME_THRESHOLD).then_some((score, old, new, place))
        })
        .collect();
    candidates.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| (&a.1, &a.2).cmp(&(&b.1, &b.2)))
    });
    let mut accepted = false;
    for (score, old, new, place) in candidates {
        if pair.is_matched_old(&old) || pair.is_matched_new(&new) {
            continue;
        }
        pair.link(&old, &new);
        renames.push(Rename {
            old,
            new,
            similarity: round(score),
            anchor: Some(place),
        });
        accepted = true;
    }
    accepted
}

fn accept_by_shape(pair: &mut Pair<'_>, renames: &mut Vec<Rename>) -> bool {
    for kind in [Kind::Object, Kind::Union, Kind::Enum] {
        let removed: Vec<&str> = unmatched(pair.old, kind, |name| pair.is_matched_old(name));
        let added: Vec<&str> = unmatched(pair.new, kind, |name| pair.is_matched_new(name));
        if removed.is_empty() || added.is_empty() {
            continue;
        }
        let scores: Vec<Vec<f64>> = removed
            .iter()
            .map(|old| added.iter().map(|new| similarity(pair, old, new)).collect())
            .collect();
        let mut found = Vec::new();
        for (row, old) in removed.iter().enumerate() {
            let Some(column) = single_best(scores[row].iter().copied()) else {
                continue;
            };
            let score = scores[row][column];
            let column_best = single_best(scores.iter().map(|row| row[column]));
            if score >= RENAME_THRESHOLD && column_best == Some(row) {
                found.push((old.to_string(), added[column].to_owned(), score));
            }
        }
        if found.is_empty() {
            continue;
        }
        for (old, new, score) in found {
            pair.link(&old, &new);
            renames.push(Rename {
                old,
                new,
                similarity: round(score),
                anchor: None,
            });
        }
        return true;
    }
    false
}

/// The index of the strictly greatest score, if one is.
fn single_best(scores: impl Iterator<Item = f64>) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    let mut tied = false;
    for (index, score) in scores.enumerate() {
        match best {
            Some((_, top)) if score == top => tied = true,
            Some((_, top)) if score < top => {}
            _ => {
                best = Some((index, score));
                tied = false;
            }
        }
    }
    best.filter(|_| !tied).map(|(index, _)| index)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    Union,
    Enum,
}

fn kind_of(kind: &ModelKind) -> Kind {
    match kind {
        ModelKind::Object(_) => Kind::Object,
        ModelKind::Union(_) => Kind::Union,
        ModelKind::Enum(_) => Kind::Enum,
    }
}

fn unmatched(spec: &Spec, kind: Kind, matched: impl Fn(&str) -> bool) -> Vec<&str> {
    spec.models
        .values()
        .filter(|model| kind_of(&model.kind) == kind && !matched(&model.name))
        .map(|model| model.name.as_str())
        .collect()
}

/// Similarities are reported to two decimals; rounding also keeps reports stable.
fn round(score: f64) -> f64 {
    (score * 100.0).round() / 100.0
}

/// Unmatched (old, new) pairs referenced from the same place of a matched pair, with
/// that place, in a stable order.
fn anchors(pair: &Pair<'_>) -> BTreeMap<(String, String), String> {
    let mut found = BTreeMap::new();
    for (old_name, new_name) in &pair.forward {
        let (Some(old), Some(new)) = (pair.old.models.get(old_name), pair.new.models.get(new_name))
        else {
            continue;
        };
        match (&old.kind, &new.kind) {
            (ModelKind::Object(old), ModelKind::Object(new)) => {
                for (old_field, new_field) in aligned_fields(&old.fields, &new.fields) {
                    let place = format!("{new_name}.{}", new_field.name);
                    parallel(pair, &old_field.ty, &new_field.ty, &place, &mut found);
                }
            }
            (ModelKind::Union(old), ModelKind::Union(new)) => {
                for old_member in &old.members {
                    for new_member in &new.members {
                        parallel(pair, &old_member.ty, &new_member.ty, new_name, &mut found);
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Walks two types in step and records each unmatched model pair they reach.
fn parallel(
    pair: &Pair<'_>,
    old: &Type,
    new: &Type,
    place: &str,
    found: &mut BTreeMap<(String, String), String>,
) {
    match (old, new) {
        (Type::Model(old), Type::Model(new))
            if !pair.is_matched_old(old)
                && !pair.is_matched_new(new)
                && same_kind(pair.old, old, pair.new, new) =>
        {
            found
                .entry((old.clone(), new.clone()))
                .or_insert_with(|| place.to_owned());
        }
        (Type::List(old), Type::List(new))
        | (Type::Map(old), Type::Map(new))
        | (Type::Nullable(old), Type::Nullable(new)) => parallel(pair, old, new, place, found),
        (Type::Nullable(old), new) => parallel(pair, old, new, place, found),
        (old, Type::Nullable(new)) => parallel(pair, old, new, place, found),
        _ => {}
    }
}

/// Fields of two versions of an object that are the same field: same SDK name, else
/// same wire name.
pub(super) fn aligned_fields<'f>(
    old: &'f [Field],
    new: &'f [Field],
) -> Vec<(&'f Field, &'f Field)> {
    let mut pairs = Vec::new();
    let mut used_new = BTreeSet::new();
    let mut used_old = BTreeSet::new();
    for (i, old_field) in old.iter().enumerate() {
        if let Some(j) = new.iter().position(|field| field.name == old_field.name) {
            pairs.push((i, j));
            used_old.insert(i);
            used_new.insert(j);
        }
    }
    for (i, old_field) in old.iter().enumerate() {
        if used_old.contains(&i) {
            continue;
        }
        if let Some(j) = new.iter().enumerate().position(|(j, field)| {
            !used_new.contains(&j) && field.wire_name.value == old_field.wire_name.value
        }) {
            pairs.push((i, j));
            used_new.insert(j);
        }
    }
    pairs.sort_unstable();
    pairs.into_iter().map(|(i, j)| (&old[i], &new[j])).collect()
}

/// How alike an old and a new model are, in `[0, 1]`; `0` for different kinds.
pub(super) fn similarity(pair: &Pair<'_>, old: &str, new: &str) -> f64 {
    let (Some(old), Some(new)) = (pair.old.models.get(old), pair.new.models.get(new)) else {
        return 0.0;
    };
    match (&old.kind, &new.kind) {
        (ModelKind::Object(old), ModelKind::Object(new)) => object_similarity(pair, old, new),
        (ModelKind::Enum(old), ModelKind::Enum(new)) => enum_similarity(old, new),
        (ModelKind::Union(old), ModelKind::Union(new)) => union_similarity(pair, old, new),
        _ => 0.0,
    }
}

/// Fields by wire name: each shared key scores 1 when its type is the same, 0.75 when it
/// references models that may yet turn out to be renames, 0.5 otherwise, less 0.25 when
/// its presence differs; the sum is divided by the number of distinct keys.
fn object_similarity(pair: &Pair<'_>, old: &Object, new: &Object) -> f64 {
    let keys: BTreeSet<&str> = old
        .fields
        .iter()
        .chain(&new.fields)
        .map(|field| field.wire_name.value.as_str())
        .collect();
    if keys.is_empty() {
        return 1.0;
    }
    let new_by_key: BTreeMap<&str, &Field> = new
        .fields
        .iter()
        .map(|field| (field.wire_name.value.as_str(), field))
        .collect();
    let mut total = 0.0;
    for old_field in &old.fields {
        let Some(new_field) = new_by_key.get(old_field.wire_name.value.as_str()) else {
            continue;
        };
        let mut weight = if pair.wire_equal(&old_field.ty, &new_field.ty) {
            1.0
        } else if pair.maybe_equal(&old_field.ty, &new_field.ty) {
            0.75
        } else {
            0.5
        };
        if old_field.presence != new_field.presence {
            weight -= 0.25;
        }
        total += weight;
    }
    total / keys.len() as f64
}

/// The Jaccard index of the value sets; `0` when one enum is of strings and the other
/// of integers.
fn enum_similarity(old: &Enum, new: &Enum) -> f64 {
    if old.repr != new.repr {
        return 0.0;
    }
    let old_values: BTreeSet<_> = old.values.iter().map(|value| &value.value).collect();
    let new_values: BTreeSet<_> = new.values.iter().map(|value| &value.value).collect();
    let all = old_values.union(&new_values).count();
    if all == 0 {
        return 1.0;
    }
    old_values.intersection(&new_values).count() as f64 / all as f64
}

/// Members paired one to one: 1 for the same type, 0.5 for references to models that
/// may yet turn out to be renames; divided by the number of distinct members.
fn union_similarity(pair: &Pair<'_>, old: &Union, new: &Union) -> f64 {
    let mut free: Vec<bool> = vec![true; new.members.len()];
    let mut total = 0.0;
    let mut paired = 0usize;
    let mut unpaired_old = Vec::new();
    for old_member in &old.members {
        match new
            .members
            .iter()
            .enumerate()
            .position(|(j, member)| free[j] && pair.wire_equal(&old_member.ty, &member.ty))
        {
            Some(j) => {
                free[j] = false;
                total += 1.0;
                paired += 1;
            }
            None => unpaired_old.push(old_member),
        }
    }
    for old_member in unpaired_old {
        if let Some(j) = new
            .members
            .iter()
            .enumerate()
            .position(|(j, member)| free[j] && pair.maybe_equal(&old_member.ty, &member.ty))
        {
            free[j] = false;
            total += 0.5;
            paired += 1;
        }
    }
    let all = old.members.len() + new.members.len() - paired;
    if all == 0 {
        return 1.0;
    }
    total / all as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{
        Dialect, EnumForm, EnumRepr, EnumValue, LiteralValue, Location, Model, Source, Sourced,
    };

    fn enumeration(name: &str, values: &[&str]) -> Model {
        let at = Location {
            file: "models/test.md".to_owned(),
            line: 1,
            column: 1,
        };
        Model {
            name: name.to_owned(),
            location: at.clone(),
            description: None,
            parent: None,
            direction: None,
            examples: Vec::new(),
            kind: ModelKind::Enum(Enum {
                repr: EnumRepr::String,
                form: EnumForm::List,
                open: Sourced {
                    value: false,
                    source: Source::Doc,
                    from: None,
                },
                values: values
                    .iter()
                    .map(|value| EnumValue {
                        name: None,
                        value: LiteralValue::String((*value).to_owned()),
                        location: at.clone(),
                    })
                    .collect(),
            }),
        }
    }

    fn spec(models: Vec<Model>) -> Spec {
        Spec {
            dialect: Dialect::Python,
            undocumented: Default::default(),
            models: models.into_iter().map(|m| (m.name.clone(), m)).collect(),
            sources: Vec::new(),
        }
    }

    fn renames(old: &Spec, new: &Spec) -> Vec<(String, String)> {
        match_models(old, new)
            .renames
            .into_iter()
            .map(|rename| (rename.old, rename.new))
            .collect()
    }

    #[test]
    fn a_single_best_candidate_above_the_threshold_is_a_rename() {
        let old = spec(vec![enumeration(
            "Colour",
            &["red", "green", "blue", "black"],
        )]);
        let new = spec(vec![
            enumeration("Color", &["red", "green", "blue", "black", "white"]),
            enumeration("Size", &["s", "m", "l"]),
        ]);
        assert_eq!(
            renames(&old, &new),
            [("Colour".to_owned(), "Color".to_owned())]
        );
    }

    #[test]
    fn a_tie_is_never_guessed() {
        let old = spec(vec![enumeration("Status", &["on", "off"])]);
        let new = spec(vec![
            enumeration("LightStatus", &["on", "off"]),
            enumeration("PowerStatus", &["on", "off"]),
        ]);
        assert!(renames(&old, &new).is_empty());
    }

    #[test]
    fn below_the_threshold_is_a_removal_and_an_addition() {
        let old = spec(vec![enumeration("Status", &["a", "b", "c"])]);
        let new = spec(vec![enumeration("State", &["a", "x", "y"])]);
        assert!(similarity(&Pair::new(&old, &new), "Status", "State") < RENAME_THRESHOLD);
        assert!(renames(&old, &new).is_empty());
    }
}
