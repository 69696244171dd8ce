//! Emission, planning pass: every decision that depends on the whole spec, made once
//! before any code is written (Rust names, boxed edges, derivable traits, literal types).

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;

use crate::ir::{LiteralValue, ModelKind, Presence, Spec, Type};
use crate::naming;

#[derive(Debug)]
pub(crate) struct Plan<'a> {
    pub spec: &'a Spec,
    /// Model title -> Rust type name.
    pub type_names: BTreeMap<&'a str, String>,
    /// Model title -> module (and file) name.
    pub module_names: BTreeMap<&'a str, String>,
    /// Every constant used as a type, and the name of its type in `literals.rs`.
    pub literals: BTreeMap<LiteralValue, String>,
    /// Models whose every part allows `Eq` and `Hash`.
    pub eq_hash: BTreeSet<&'a str>,
    /// Objects whose every field has a default (absent, or a constant).
    pub default: BTreeSet<&'a str>,
    /// (from, to): direct references that close a cycle, and so are boxed.
    pub boxed: BTreeSet<(&'a str, &'a str)>,
    /// What every generated type carries beyond what the spec asks for.
    pub extra: Extras,
}

/// Extra derives and outer attributes for every generated type (`[generate]`), checked
/// to be Rust; kept as text, since tokens cannot be shared by the emitting threads.
#[derive(Debug, Default)]
pub(crate) struct Extras {
    pub derives: Vec<String>,
    pub attributes: Vec<String>,
}

impl<'a> Plan<'a> {
    pub(crate) fn new(spec: &'a Spec) -> Self {
        let type_names = spec
            .models
            .keys()
            .map(|name| (name.as_str(), naming::type_name(name)))
            .collect();
        let module_names = spec
            .models
            .keys()
            .map(|name| (name.as_str(), naming::module_name(name)))
            .collect();
        let mut plan = Plan {
            spec,
            type_names,
            module_names,
            literals: literal_names(spec),
            eq_hash: BTreeSet::new(),
            default: BTreeSet::new(),
            boxed: cycle_edges(spec),
            extra: Extras::default(),
        };
        plan.eq_hash = eq_hash_models(spec);
        plan.default = default_models(spec);
        plan
    }

    pub(crate) fn type_name<'s>(&'s self, model: &'s str) -> &'s str {
        self.type_names.get(model).map_or(model, String::as_str)
    }

    pub(crate) fn literal_name(&self, value: &LiteralValue) -> &str {
        self.literals.get(value).map_or("Unknown", String::as_str)
    }
}

/// Names for literal types: the value in UpperCamelCase (`"job"` -> `Job`, `true` ->
/// `True`, `1` -> `Int1`), made unique in sorted order with a numeric suffix.
fn literal_names(spec: &Spec) -> BTreeMap<LiteralValue, String> {
    let mut values = BTreeSet::new();
    for model in spec.models.values() {
        model_literals(model, &mut values);
    }
    let mut taken = BTreeSet::new();
    values
        .into_iter()
        .map(|value| {
            let base = match &value {
                LiteralValue::String(text) => {
                    let name = identifier_words(text);
                    if name.is_empty() {
                        "Empty".to_owned()
                    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
                        format!("Lit{name}")
                    } else {
                        name
                    }
                }
                LiteralValue::Boolean(true) => "True".to_owned(),
                LiteralValue::Boolean(false) => "False".to_owned(),
                LiteralValue::Integer(number) if *number < 0 => {
                    format!("IntMinus{}", number.unsigned_abs())
                }
                LiteralValue::Integer(number) => format!("Int{number}"),
            };
            let name = unique(&base, &mut taken);
            (value, name)
        })
        .collect()
}

/// The constants `model` uses as types.
pub(super) fn model_literals(model: &crate::ir::Model, values: &mut BTreeSet<LiteralValue>) {
    match &model.kind {
        ModelKind::Object(object) => {
            for field in &object.fields {
                collect_literals(&field.ty, values);
            }
            if let Some(extra) = &object.additional_properties {
                collect_literals(&extra.value, values);
            }
        }
        ModelKind::Union(union) => {
            for member in &union.members {
                collect_literals(&member.ty, values);
            }
        }
        ModelKind::Enum(_) => {}
    }
}

fn collect_literals(ty: &Type, out: &mut BTreeSet<LiteralValue>) {
    match ty {
        Type::Literal(value) => {
            out.insert(value.clone());
        }
        Type::List(inner) | Type::Map(inner) | Type::Nullable(inner) | Type::EventStream(inner) => {
            collect_literals(inner, out)
        }
        _ => {}
    }
}

/// Text as an UpperCamelCase identifier made of its ASCII letters and digits.
pub(crate) fn identifier_words(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = spaced.to_upper_camel_case();
    name.retain(|c| c.is_ascii_alphanumeric());
    name
}

/// `base`, or `base2`, `base3`... whichever is not taken yet; records the choice.
pub(crate) fn unique(base: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name = base.to_owned();
    let mut counter = 2;
    while naming::is_keyword(&name) || !taken.insert(name.clone()) {
        name = format!("{base}{counter}");
        counter += 1;
    }
    name
}

/// Models referenced by value (not through a `Vec` or a map) from a model.
fn direct_references(ty: &Type, out: &mut Vec<String>) {
    match ty {
        Type::Model(name) => out.push(name.clone()),
        Type::Nullable(inner) => direct_references(inner, out),
        _ => {}
    }
}

fn direct_edges(spec: &Spec) -> BTreeMap<&str, Vec<String>> {
    spec.models
        .iter()
        .map(|(name, model)| {
            let mut out = Vec::new();
            match &model.kind {
                ModelKind::Object(object) => {
                    for field in &object.fields {
                        direct_references(&field.ty, &mut out);
                    }
                }
                ModelKind::Union(union) => {
                    for member in &union.members {
                        direct_references(&member.ty, &mut out);
                    }
                }
                ModelKind::Enum(_) => {}
            }
            (name.as_str(), out)
        })
        .collect()
}

/// Direct references inside a strongly connected component of the by-value reference
/// graph: exactly the edges that need a `Box` for the types to have a size.
fn cycle_edges(spec: &Spec) -> BTreeSet<(&str, &str)> {
    let edges = direct_edges(spec);
    let component = strongly_connected(&edges);
    let mut boxed = BTreeSet::new();
    for (from, targets) in &edges {
        for to in targets {
            if let Some((to, _)) = spec.models.get_key_value(to)
                && component.get(from) == component.get(to.as_str())
            {
                boxed.insert((*from, to.as_str()));
            }
        }
    }
    boxed
}

/// Tarjan's algorithm, iteratively: component index per node.
fn strongly_connected<'a>(edges: &BTreeMap<&'a str, Vec<String>>) -> BTreeMap<&'a str, usize> {
    #[derive(Default)]
    struct State<'a> {
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        on_stack: BTreeSet<&'a str>,
        stack: Vec<&'a str>,
        component: BTreeMap<&'a str, usize>,
        next: usize,
        components: usize,
    }
    let mut state = State::default();
    let key = |name: &str| edges.get_key_value(name).map(|(key, _)| *key);
    for &root in edges.keys() {
        if state.index.contains_key(root) {
            continue;
        }
        // Each frame: node and the position of the next edge to visit.
        let mut frames: Vec<(&str, usize)> = vec![(root, 0)];
        state.index.insert(root, state.next);
        state.low.insert(root, state.next);
        state.next += 1;
        state.stack.push(root);
        state.on_stack.insert(root);
        while let Some(&mut (node, ref mut position)) = frames.last_mut() {
            let targets = &edges[node];
            if let Some(target) = targets.get(*position) {
                *position += 1;
                let Some(target) = key(target) else { continue };
                if !state.index.contains_key(target) {
                    state.index.insert(target, state.next);
                    state.low.insert(target, state.next);
                    state.next += 1;
                    state.stack.push(target);
                    state.on_stack.insert(target);
                    frames.push((target, 0));
                } else if state.on_stack.contains(target) {
                    let low = state.low[node].min(state.index[target]);
                    state.low.insert(node, low);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                let low = state.low[parent].min(state.low[node]);
                state.low.insert(parent, low);
            }
            if state.low[node] == state.index[node] {
                while let Some(member) = state.stack.pop() {
                    state.on_stack.remove(member);
                    state.component.insert(member, state.components);
                    if member == node {
                        break;
                    }
                }
                state.components += 1;
            }
        }
    }
    state.component
}

fn type_allows_eq(ty: &Type, models: &BTreeSet<&str>) -> bool {
    match ty {
        Type::Float | Type::Any => false,
        Type::String
        | Type::Integer
        | Type::Boolean
        | Type::Bytes
        | Type::Date { .. }
        | Type::Literal(_)
        | Type::FileUpload
        | Type::SdkOnly => true,
        Type::List(inner) | Type::Map(inner) | Type::Nullable(inner) | Type::EventStream(inner) => {
            type_allows_eq(inner, models)
        }
        Type::Model(name) => models.contains(name.as_str()),
    }
}

/// Models that can derive `Eq` and `Hash`: the greatest fixpoint, so recursive models
/// qualify when nothing in their cycle rules it out.
fn eq_hash_models(spec: &Spec) -> BTreeSet<&str> {
    let mut set: BTreeSet<&str> = spec.models.keys().map(String::as_str).collect();
    loop {
        let next: BTreeSet<&str> = spec
            .models
            .iter()
            .filter(|(_, model)| match &model.kind {
                ModelKind::Object(object) => {
                    object
                        .fields
                        .iter()
                        .all(|field| type_allows_eq(&field.ty, &set))
                        && object
                            .additional_properties
                            .as_ref()
                            .is_none_or(|extra| type_allows_eq(&extra.value, &set))
                }
                ModelKind::Enum(_) => true,
                // An open union keeps unknown members as a `serde_json::Value`.
                ModelKind::Union(union) => {
                    !crate::tags::is_open(union)
                        && union
                            .members
                            .iter()
                            .all(|member| type_allows_eq(&member.ty, &set))
                }
            })
            .map(|(name, _)| name.as_str())
            .collect();
        if next == set {
            return set;
        }
        set = next;
    }
}

/// Objects with no required field: each field is absent by default, or a constant. The
/// SDK's own objects (an HTTP response) are no field of the generated struct.
fn default_models(spec: &Spec) -> BTreeSet<&str> {
    spec.models
        .iter()
        .filter(|(_, model)| match &model.kind {
            ModelKind::Object(object) => object.fields.iter().all(|field| {
                field.ty == Type::SdkOnly
                    || match field.presence {
                        Presence::Optional | Presence::OptionalNullable | Presence::Defaulted => {
                            true
                        }
                        Presence::Required | Presence::RequiredNullable => false,
                    }
            }),
            _ => false,
        })
        .map(|(name, _)| name.as_str())
        .collect()
}
