//! Emission, inputs pass: the [`Fingerprint`] of everything each generated file is made
//! from, so an unchanged file need not be built again.
//!
//! A model's file reads its own IR and, through the plan, facts about the models it
//! reaches (their names, shapes and tags, whether they derive `Eq` or are boxed in a
//! cycle, the names of the constants they use). So its fingerprint covers its whole
//! closure: every reachable model's IR and plan facts. That over-approximates (a new
//! description in a referenced model re-emits the referrer, whose bytes then do not
//! change), and it cannot miss what the emitter reads, however the emitter changes,
//! as long as it only looks at models a file references.

use std::collections::{BTreeMap, BTreeSet};

use super::plan::{Plan, model_literals};
use super::{Options, on_every_core};
use crate::fingerprint::{Fingerprint, GENERATOR, Hasher};
use crate::ir::{LiteralValue, Model};

/// Fingerprints of the model files (by title) and of the crate-level files.
#[derive(Debug)]
pub(super) struct Inputs<'a> {
    pub models: BTreeMap<&'a str, Fingerprint>,
    /// Files that list every model by name (`lib.rs`, `models/mod.rs`).
    pub names: Fingerprint,
    /// Files that read every model (`README.md`, the IR manifest, `literals.rs`).
    pub whole: Fingerprint,
    /// Files that depend on nothing but the generator (`support.rs`).
    pub generator: Fingerprint,
}

pub(super) fn inputs<'a>(plan: &Plan<'a>, options: &Options) -> Inputs<'a> {
    let spec = plan.spec;
    let mut base = Hasher::default();
    base.text(GENERATOR);
    let generator = base.finish();
    base.text(spec.dialect.name());
    options_into(options, &mut base);

    let models: Vec<(&'a String, &'a Model)> = spec.models.iter().collect();
    let own: BTreeMap<&str, Fingerprint> = on_every_core(&models, |(name, model)| {
        (name.as_str(), own_inputs(plan, model))
    })
    .into_iter()
    .collect();
    let edges: BTreeMap<&str, Vec<&str>> = spec
        .models
        .iter()
        .map(|(name, model)| {
            let referenced = crate::check::references(model)
                .iter()
                .filter_map(|referenced| spec.models.get_key_value(referenced))
                .map(|(key, _)| key.as_str())
                .collect();
            (name.as_str(), referenced)
        })
        .collect();
    let models = on_every_core(&models, |(name, _)| {
        let mut hasher = base.clone();
        for reached in closure(&edges, name) {
            hasher.text(reached).fingerprint(own[reached]);
        }
        (name.as_str(), hasher.finish())
    })
    .into_iter()
    .collect();

    let mut names = base.clone();
    for name in spec.models.keys() {
        names.text(name);
    }
    let mut whole = base;
    for (name, fingerprint) in &own {
        whole.text(name).fingerprint(*fingerprint);
    }
    Inputs {
        models,
        names: names.finish(),
        whole: whole.finish(),
        generator,
    }
}

fn options_into(options: &Options, hasher: &mut Hasher) {
    hasher.text(options.spec_label.as_deref().unwrap_or(""));
    hasher.flag(options.spec_label.is_some());
    hasher.text(options.command());
    for derive in &options.derives {
        hasher.text("derive").text(derive);
    }
    for attribute in &options.attributes {
        hasher.text("attribute").text(attribute);
    }
}

/// One model's IR and the plan's facts about it, without what it references.
fn own_inputs(plan: &Plan<'_>, model: &Model) -> Fingerprint {
    let mut hasher = Hasher::default();
    // The IR is plain data: serializing it cannot fail. Hashed whole: the serializer's
    // many small writes would each cost a hasher update.
    let ir = serde_json::to_vec(model).unwrap_or_default();
    hasher.text_bytes(&ir);
    let name = model.name.as_str();
    hasher
        .text(plan.type_name(name))
        .flag(plan.eq_hash.contains(name))
        .flag(plan.default.contains(name));
    for (_, to) in plan
        .boxed
        .range((name, "")..)
        .take_while(|(from, _)| *from == name)
    {
        hasher.text("boxed").text(to);
    }
    let mut literals: BTreeSet<LiteralValue> = BTreeSet::new();
    model_literals(model, &mut literals);
    for literal in &literals {
        let value = serde_json::to_vec(literal).unwrap_or_default();
        hasher
            .text("literal")
            .text(plan.literal_name(literal))
            .text_bytes(&value);
    }
    hasher.finish()
}

/// `name` and every model it reaches, sorted.
fn closure<'a>(edges: &BTreeMap<&'a str, Vec<&'a str>>, name: &'a str) -> BTreeSet<&'a str> {
    let mut reached = BTreeSet::from([name]);
    let mut pending = vec![name];
    while let Some(current) = pending.pop() {
        for &referenced in edges.get(current).into_iter().flatten() {
            if reached.insert(referenced) {
                pending.push(referenced);
            }
        }
    }
    reached
}
