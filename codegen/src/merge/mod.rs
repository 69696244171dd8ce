//! Merging the IRs that several SDKs' docs of one API give into one that knows more than
//! any of them: each fact taken from the source that writes it, a `merge-conflict` where
//! two sources write different things, and what only one source has counted.
//!
//! The first source is the primary: its models and fields are the merged spec's, with its
//! names; the others contribute facts about them. Models are matched by title modulo
//! folder and case, fields by name modulo each SDK's case convention
//! ([`names`]), enum values by value, union members by matched model. A fact written in
//! a source ([`Source::Doc`]) beats one assumed in another; the overlay (read with the
//! primary) beats both and settles conflicts; two written facts that disagree keep the
//! primary's (or the earlier source's) and are reported.

mod align;
mod conflicts;
pub mod names;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Code, Detail, Diagnostic, Diagnostics, SourceFiles, count};
use crate::dialect::{Dialect, SdkNaming};
use crate::ir::{
    Assumption, Enum, Field, Location, Model, ModelKind, Object, Source, Sourced, Spec, SpecOrigin,
    Type, Union,
};

pub use align::align;
use conflicts::{Conflicts, Statement};
use types::{Refinement, Unifier};

/// A source other than the primary, lowered on its own.
#[derive(Debug)]
pub struct Secondary {
    /// The folder as the user named it (the prefix of its files' locations).
    pub label: String,
    pub spec: Spec,
}

/// How much a source's fact counts: the overlay's most, a written one more than one
/// derived by convention, an assumption least.
fn rank(source: Source) -> u8 {
    match source {
        Source::Overlay => 3,
        Source::Doc => 2,
        Source::Convention(_) => 1,
        Source::Default(_) => 0,
    }
}

/// A kind of fact, for the counts of what each source contributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fact {
    Required,
    Nullability,
    JsonKey,
    DateFormat,
    Integer,
    Type,
    Openness,
    UnionTag,
    Examples,
    Description,
    Kind,
    Values,
    Members,
}

impl Fact {
    fn name(self) -> &'static str {
        match self {
            Fact::Required => "required",
            Fact::Nullability => "nullability",
            Fact::JsonKey => "JSON keys",
            Fact::DateFormat => "date formats",
            Fact::Integer => "integers (a `number` elsewhere)",
            Fact::Type => "types (any value or a string elsewhere)",
            Fact::Openness => "enum openness",
            Fact::UnionTag => "union tags",
            Fact::Examples => "examples",
            Fact::Description => "descriptions",
            Fact::Kind => "kind",
            Fact::Values => "enum values",
            Fact::Members => "union members",
        }
    }
}

/// Merges `secondaries` into `primary`. `files` holds every source's files (a secondary's
/// under its label), for pointing diagnostics at both sides of a conflict.
pub fn merge(
    mut primary: Spec,
    primary_label: &str,
    secondaries: &[Secondary],
    files: &SourceFiles,
) -> (Spec, Diagnostics) {
    let mut merger = Merger {
        labels: std::iter::once(primary_label)
            .chain(secondaries.iter().map(|source| source.label.as_str()))
            .collect(),
        diagnostics: Diagnostics::default(),
        stated: BTreeMap::new(),
        alike_names: BTreeMap::new(),
        conflicts: Conflicts::default(),
        taken: BTreeMap::new(),
    };
    merger.record_primary(&primary);
    for (index, secondary) in secondaries.iter().enumerate() {
        merger.merge_source(&mut primary, index + 1, &secondary.spec);
    }
    merger.settle_alike_names(&mut primary);
    crate::lower::derive_presence(&mut primary.models);
    primary.sources = std::iter::once(SpecOrigin {
        label: primary_label.to_owned(),
        dialect: primary.dialect,
    })
    .chain(secondaries.iter().map(|source| SpecOrigin {
        label: source.label.clone(),
        dialect: source.spec.dialect,
    }))
    .collect();
    merger.report_contributions();
    let labels = merger.labels.clone();
    for diagnostic in std::mem::take(&mut merger.conflicts).into_diagnostics(&labels, files) {
        merger.diagnostics.push(diagnostic);
    }
    (primary, merger.diagnostics)
}

/// One fact of the merged spec: a model, its field (if any), and the kind.
type FactKey = (String, Option<String>, Fact);

struct Merger<'a> {
    /// Every source's label, the primary first.
    labels: Vec<&'a str>,
    diagnostics: Diagnostics,
    /// For each fact, the sources (by index) that write it, and where the first did.
    stated: BTreeMap<FactKey, (BTreeSet<usize>, Location)>,
    /// For each field (model, field name), the name each source shows and its SDK's case
    /// convention.
    alike_names: BTreeMap<(String, String), Vec<(String, SdkNaming)>>,
    conflicts: Conflicts,
    /// How many facts of each kind were taken from each source (by index).
    taken: BTreeMap<(usize, Fact), usize>,
}

/// The field a fact belongs to, for [`Merger::field_fact`].
struct FieldFact<'a> {
    /// `Model.field`, as the primary names them.
    subject: &'a str,
    /// The primary's table row.
    row: &'a Location,
    /// The other source's statement.
    holder: &'a Holder<'a>,
}

/// Who holds a fact being compared: a source's index, the fact's location.
struct Holder<'a> {
    source: usize,
    location: &'a Location,
}

impl Merger<'_> {
    fn state(&mut self, model: &str, field: Option<&str>, fact: Fact, holder: &Holder<'_>) {
        self.stated
            .entry((model.to_owned(), field.map(str::to_owned), fact))
            .or_insert_with(|| (BTreeSet::new(), holder.location.clone()))
            .0
            .insert(holder.source);
    }

    /// Records which facts the primary writes itself.
    fn record_primary(&mut self, primary: &Spec) {
        for model in primary.models.values() {
            let holder = Holder {
                source: 0,
                location: &model.location,
            };
            match &model.kind {
                ModelKind::Object(object) => {
                    for field in &object.fields {
                        let holder = Holder {
                            source: 0,
                            location: &field.location,
                        };
                        self.record_field(&model.name, &field.name, field, &holder);
                    }
                }
                ModelKind::Enum(enumeration) => {
                    if enumeration.open.source == Source::Doc {
                        self.state(&model.name, None, Fact::Openness, &holder);
                    }
                }
                ModelKind::Union(union) => {
                    if union
                        .tag
                        .as_ref()
                        .is_some_and(|tag| tag.source == Source::Doc)
                    {
                        self.state(&model.name, None, Fact::UnionTag, &holder);
                    }
                }
            }
        }
    }

    /// Records the facts one source writes about one field (`field`, the primary's name
    /// for it).
    fn record_field(&mut self, model: &str, field_name: &str, field: &Field, holder: &Holder<'_>) {
        let name = Some(field_name);
        if field.required.source == Source::Doc {
            self.state(model, name, Fact::Required, holder);
        }
        if field.nullable.source == Source::Doc {
            self.state(model, name, Fact::Nullability, holder);
        }
        if field.wire_name.source == Source::Doc {
            self.state(model, name, Fact::JsonKey, holder);
        }
        if written_date_format(&field.ty) {
            self.state(model, name, Fact::DateFormat, holder);
        }
        if !field.examples.is_empty() {
            self.state(model, name, Fact::Examples, holder);
        }
    }

    fn merge_source(&mut self, primary: &mut Spec, index: usize, other: &Spec) {
        let matched = match_models(primary, other);
        let names: BTreeMap<String, String> = matched
            .iter()
            .map(|(ours, theirs)| (theirs.clone(), ours.clone()))
            .collect();
        self.report_coverage(primary, index, other, &matched);
        let snapshot = primary.models.clone();
        for (ours, theirs) in &matched {
            let (Some(model), Some(their_model)) =
                (primary.models.get_mut(ours), other.models.get(theirs))
            else {
                continue;
            };
            let context = Context {
                index,
                names: &names,
                models: &snapshot,
                kept_dialect: primary.dialect,
                other_dialect: other.dialect,
            };
            self.merge_model(model, their_model, &context);
        }
    }

    fn merge_model(&mut self, model: &mut Model, theirs: &Model, context: &Context<'_>) {
        if model.description.is_none() && theirs.description.is_some() {
            model.description.clone_from(&theirs.description);
        }
        // Examples are keyed by each SDK's names until the whole spec maps them.
        model.examples.extend(theirs.examples.iter().cloned());
        let holder = Holder {
            source: context.index,
            location: &theirs.location,
        };
        match (&mut model.kind, &theirs.kind) {
            (ModelKind::Object(object), ModelKind::Object(their_object)) => {
                self.merge_object(&model.name, object, their_object, context);
            }
            (ModelKind::Enum(enumeration), ModelKind::Enum(their_enum)) => {
                let location = model.location.clone();
                self.merge_enum(&model.name, &location, enumeration, their_enum, &holder);
            }
            (ModelKind::Union(union), ModelKind::Union(their_union)) => {
                let location = model.location.clone();
                self.merge_union(&model.name, &location, union, their_union, &holder, context);
            }
            (kind, their_kind) => {
                let kept = (kind_name(kind).to_owned(), &model.location);
                let other = (kind_name(their_kind).to_owned(), &holder);
                self.model_conflict(&model.name, Fact::Kind, kept, other);
            }
        }
    }

    fn merge_object(
        &mut self,
        model: &str,
        object: &mut Object,
        theirs: &Object,
        context: &Context<'_>,
    ) {
        let their_fields = fields_by_key(theirs);
        for field in &mut object.fields {
            let Some(their_field) = their_fields.get(&names::field_key(&field.name)) else {
                continue;
            };
            self.merge_field(model, field, their_field, context);
        }
    }

    fn merge_field(
        &mut self,
        model: &str,
        field: &mut Field,
        theirs: &Field,
        context: &Context<'_>,
    ) {
        let holder = Holder {
            source: context.index,
            location: &theirs.location,
        };
        self.record_field(model, &field.name, theirs, &holder);
        self.alike_names
            .entry((model.to_owned(), field.name.clone()))
            .or_insert_with(|| vec![(field.name.clone(), context.kept_dialect.naming())])
            .push((theirs.name.clone(), context.other_dialect.naming()));
        let name = field.name.clone();
        let subject = format!("{model}.{name}");
        let row = field.location.clone();
        let settle =
            |setting: String| format!("`{setting}` under `[models.{model}.fields.{name}]`");
        // Python writes a constant as optional (its default fills it in), the other SDKs
        // as required: for a constant the two say the same.
        let constant =
            matches!(field.ty, Type::Literal(_)) || matches!(theirs.ty, Type::Literal(_));
        let facts = FieldFact {
            subject: &subject,
            row: &row,
            holder: &holder,
        };
        if !constant {
            self.field_fact(
                &facts,
                Fact::Required,
                &mut field.required,
                &theirs.required,
                |required| required_word(*required).to_owned(),
                settle(format!("required = {}", theirs.required.value)),
            );
        }
        self.field_fact(
            &facts,
            Fact::Nullability,
            &mut field.nullable,
            &theirs.nullable,
            |nullable| nullable_word(*nullable).to_owned(),
            settle(format!("nullable = {}", theirs.nullable.value)),
        );
        self.field_fact(
            &facts,
            Fact::JsonKey,
            &mut field.wire_name,
            &theirs.wire_name,
            |key| format!("JSON key `{key}`"),
            settle(format!("wire = {:?}", theirs.wire_name.value)),
        );
        self.merge_field_type(model, field, theirs, &holder, context);
        if field.examples.is_empty() && !theirs.examples.is_empty() {
            field.examples.clone_from(&theirs.examples);
        }
        if field.description.is_none() && theirs.description.is_some() {
            field.description.clone_from(&theirs.description);
            self.state(model, Some(&name), Fact::Description, &holder);
        }
    }

    fn merge_field_type(
        &mut self,
        model: &str,
        field: &mut Field,
        theirs: &Field,
        holder: &Holder<'_>,
        context: &Context<'_>,
    ) {
        let unifier = Unifier {
            names: context.names,
            models: context.models,
            kept_tells_integers: tells_integers(context.kept_dialect),
            other_tells_integers: tells_integers(context.other_dialect),
            at: &theirs.location,
        };
        let before = field.ty.clone();
        match unifier.unify(&mut field.ty, &theirs.ty) {
            Ok(refined) => {
                for refinement in refined {
                    let fact = match refinement {
                        Refinement::DateFormat => Fact::DateFormat,
                        Refinement::Integer => Fact::Integer,
                        Refinement::Type => Fact::Type,
                        Refinement::Nullability => Fact::Nullability,
                    };
                    self.state(model, Some(&field.name), fact, holder);
                    *self.taken.entry((holder.source, fact)).or_default() += 1;
                }
            }
            Err(types::Differs) => {
                field.ty = before;
                let subject = format!("{model}.{}", field.name);
                let kept = (
                    format!("`{}`", crate::dialect::notation(&field.ty)),
                    &field.location,
                );
                let other = (
                    format!("`{}`", crate::dialect::notation(&theirs.ty)),
                    holder,
                );
                self.model_conflict(&subject, Fact::Type, kept, other);
            }
        }
    }

    fn merge_enum(
        &mut self,
        model: &str,
        location: &Location,
        enumeration: &mut Enum,
        theirs: &Enum,
        holder: &Holder<'_>,
    ) {
        if theirs.open.source == Source::Doc {
            self.state(model, None, Fact::Openness, holder);
        }
        let verdict = pick(&mut enumeration.open, &theirs.open, holder.location);
        if verdict == Verdict::Taken {
            *self
                .taken
                .entry((holder.source, Fact::Openness))
                .or_default() += 1;
        }
        if verdict == Verdict::Conflict {
            let kept = (open_word(enumeration.open.value).to_owned(), location);
            let other = (open_word(theirs.open.value).to_owned(), holder);
            self.model_conflict(model, Fact::Openness, kept, other);
        }
        let ours: BTreeSet<String> = enumeration
            .values
            .iter()
            .map(|value| value.value.to_string())
            .collect();
        let their_values: BTreeSet<String> = theirs
            .values
            .iter()
            .map(|value| value.value.to_string())
            .collect();
        if ours != their_values {
            let kept = ("the values listed".to_owned(), location);
            let other = (difference_text(&their_values, &ours), holder);
            self.model_conflict(model, Fact::Values, kept, other);
        }
    }

    fn merge_union(
        &mut self,
        model: &str,
        location: &Location,
        union: &mut Union,
        theirs: &Union,
        holder: &Holder<'_>,
        context: &Context<'_>,
    ) {
        if let (Some(tag), Some(their_tag)) = (&mut union.tag, &theirs.tag) {
            if their_tag.source == Source::Doc {
                self.state(model, None, Fact::UnionTag, holder);
            }
            if pick(tag, their_tag, holder.location) == Verdict::Conflict {
                let kept = (format!("tagged by `{}`", tag.value), location);
                let other = (format!("tagged by `{}`", their_tag.value), holder);
                self.model_conflict(model, Fact::UnionTag, kept, other);
            }
        }
        for (ours, their) in [
            (&mut union.tag_required, &theirs.tag_required),
            (&mut union.open, &theirs.open),
        ] {
            if let (Some(ours), Some(their)) = (ours, their) {
                pick(ours, their, holder.location);
            }
        }
        // Dialects write primitive members differently (`str` and `string` are one
        // member): model members are compared, by the primary's names.
        let model_members = |members: &[crate::ir::UnionMember],
                             names: Option<&BTreeMap<String, String>>| {
            members
                .iter()
                .filter_map(|member| match &member.ty {
                    Type::Model(name) => Some(
                        names
                            .and_then(|names| names.get(name))
                            .unwrap_or(name)
                            .clone(),
                    ),
                    _ => None,
                })
                .collect::<BTreeSet<String>>()
        };
        let ours = model_members(&union.members, None);
        let their_members = model_members(&theirs.members, Some(context.names));
        if ours != their_members {
            let kept = ("the members listed".to_owned(), location);
            let other = (difference_text(&their_members, &ours), holder);
            self.model_conflict(model, Fact::Members, kept, other);
        }
    }

    /// Merges one sourced fact of a field, counting what it takes and gathering a
    /// conflict.
    fn field_fact<T: Clone + PartialEq>(
        &mut self,
        facts: &FieldFact<'_>,
        fact: Fact,
        kept: &mut Sourced<T>,
        theirs: &Sourced<T>,
        text: impl Fn(&T) -> String,
        settle: String,
    ) {
        match pick(kept, theirs, facts.holder.location) {
            Verdict::Kept => {}
            Verdict::Taken => *self.taken.entry((facts.holder.source, fact)).or_default() += 1,
            Verdict::Conflict => {
                let kept_statement = Statement {
                    source: self.source_of(kept),
                    text: text(&kept.value),
                    location: kept.from.clone().unwrap_or_else(|| facts.row.clone()),
                };
                let other = Statement {
                    source: facts.holder.source,
                    text: text(&theirs.value),
                    location: facts.holder.location.clone(),
                };
                self.conflicts.add(
                    facts.subject.to_owned(),
                    fact.name(),
                    kept_statement,
                    other,
                    Some(settle),
                );
            }
        }
    }

    /// The index of the source a kept fact came from.
    fn source_of<T>(&self, fact: &Sourced<T>) -> usize {
        let Some(location) = &fact.from else {
            return 0;
        };
        self.labels
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, label)| location.file.starts_with(&format!("{label}/")))
            .map_or(0, |(index, _)| index)
    }

    /// Gathers a conflict of a model-level fact, kept from the primary.
    fn model_conflict(
        &mut self,
        subject: &str,
        fact: Fact,
        kept: (String, &Location),
        other: (String, &Holder<'_>),
    ) {
        let kept = Statement {
            source: 0,
            text: kept.0,
            location: kept.1.clone(),
        };
        let other = Statement {
            source: other.1.source,
            text: other.0,
            location: other.1.location.clone(),
        };
        self.conflicts
            .add(subject.to_owned(), fact.name(), kept, other, None);
    }

    /// Per pair (primary, secondary): the models only one of them has, and the fields
    /// of matched objects only one has.
    fn report_coverage(
        &mut self,
        primary: &Spec,
        index: usize,
        other: &Spec,
        matched: &BTreeMap<String, String>,
    ) {
        let theirs: BTreeSet<&String> = matched.values().collect();
        let mut details = Vec::new();
        let only_ours: Vec<&Model> = primary
            .models
            .values()
            .filter(|model| !matched.contains_key(&model.name))
            .collect();
        let only_theirs: Vec<&Model> = other
            .models
            .values()
            .filter(|model| !theirs.contains(&model.name))
            .collect();
        for (model, label) in only_ours
            .iter()
            .map(|model| (model, self.labels[0]))
            .chain(only_theirs.iter().map(|model| (model, self.labels[index])))
        {
            details.push(Detail {
                location: model.location.clone(),
                model: model.name.clone(),
                field: None,
                note: format!("only in `{label}`"),
            });
        }
        let mut fields = 0;
        for (ours, their_name) in matched {
            let (Some(ModelKind::Object(object)), Some(ModelKind::Object(their_object))) = (
                primary.models.get(ours).map(|model| &model.kind),
                other.models.get(their_name).map(|model| &model.kind),
            ) else {
                continue;
            };
            let keys = |object: &Object| -> BTreeSet<String> {
                object
                    .fields
                    .iter()
                    .filter(|field| field.ty != Type::SdkOnly)
                    .map(|field| names::field_key(&field.name))
                    .collect()
            };
            let (our_keys, their_keys) = (keys(object), keys(their_object));
            for (object, keys, other_keys, label) in [
                (object, &our_keys, &their_keys, self.labels[0]),
                (their_object, &their_keys, &our_keys, self.labels[index]),
            ] {
                for field in &object.fields {
                    let key = names::field_key(&field.name);
                    if keys.contains(&key) && !other_keys.contains(&key) {
                        fields += 1;
                        details.push(Detail {
                            location: field.location.clone(),
                            model: ours.clone(),
                            field: Some(field.name.clone()),
                            note: format!("field only in `{label}`"),
                        });
                    }
                }
            }
        }
        details.sort();
        let message = format!(
            "`{}` and `{}`: {} matched; {} only in `{}`, {} only in `{}`; {} of matched objects in one of them only",
            self.labels[0],
            self.labels[index],
            count(matched.len(), "model", "models"),
            only_ours.len(),
            self.labels[0],
            only_theirs.len(),
            self.labels[index],
            count(fields, "field", "fields"),
        );
        self.diagnostics.push(
            Diagnostic::new(Code::MergeCoverage, message)
                .note("the primary source's models and fields make the merged spec; the others add facts about them (the JSON details list each)")
                .with_details(details),
        );
    }

    /// Where sources whose SDKs case names differently show one spelling, the JSON key is
    /// that spelling (every SDK derives its names from the key by its own convention).
    fn settle_alike_names(&self, primary: &mut Spec) {
        for model in primary.models.values_mut() {
            let ModelKind::Object(object) = &mut model.kind else {
                continue;
            };
            for field in &mut object.fields {
                if rank(field.wire_name.source) >= rank(Source::Doc) {
                    continue;
                }
                let Some(shown) = self
                    .alike_names
                    .get(&(model.name.clone(), field.name.clone()))
                else {
                    continue;
                };
                if let Some(name) = alike_name(shown) {
                    field.wire_name = Sourced {
                        value: name,
                        source: Source::Convention(Assumption::NameAlikeAcrossSdks),
                        from: None,
                    };
                }
            }
        }
    }

    /// One information diagnostic per source: the facts it alone writes, by kind.
    fn report_contributions(&mut self) {
        let mut by_source: BTreeMap<usize, BTreeMap<Fact, Vec<Detail>>> = BTreeMap::new();
        for ((model, field, fact), (sources, location)) in &self.stated {
            if let [only] = sources.iter().copied().collect::<Vec<_>>().as_slice() {
                by_source
                    .entry(*only)
                    .or_default()
                    .entry(*fact)
                    .or_default()
                    .push(Detail {
                        location: location.clone(),
                        model: model.clone(),
                        field: field.clone(),
                        note: format!("{} written only here", fact.name()),
                    });
            }
        }
        for (index, label) in self.labels.iter().enumerate() {
            let facts = by_source.remove(&index).unwrap_or_default();
            let total: usize = facts.values().map(Vec::len).sum();
            let taken: Vec<(Fact, usize)> = self
                .taken
                .iter()
                .filter(|((source, _), _)| *source == index)
                .map(|((_, fact), count)| (*fact, *count))
                .collect();
            let taken_total: usize = taken.iter().map(|(_, count)| count).sum();
            let mut message = format!(
                "`{label}` alone writes {} of the merged spec",
                count(total, "fact", "facts")
            );
            if index > 0 {
                message.push_str(&format!(
                    "; {} taken from it where the sources before it assumed",
                    count(taken_total, "fact was", "facts were")
                ));
            }
            let mut diagnostic = Diagnostic::new(Code::MergeContribution, message);
            let written: Vec<String> = facts
                .iter()
                .map(|(fact, details)| format!("{} {}", fact.name(), details.len()))
                .collect();
            if !written.is_empty() {
                diagnostic = diagnostic.note(format!("written only here: {}", written.join(", ")));
            }
            if !taken.is_empty() {
                let taken: Vec<String> = taken
                    .iter()
                    .map(|(fact, count)| format!("{} {count}", fact.name()))
                    .collect();
                diagnostic = diagnostic.note(format!("taken from here: {}", taken.join(", ")));
            }
            let details = facts.into_values().flatten().collect();
            self.diagnostics.push(diagnostic.with_details(details));
        }
    }
}

/// The two sources of one model merge.
struct Context<'a> {
    index: usize,
    /// The other source's model names, as the primary names them.
    names: &'a BTreeMap<String, String>,
    /// The primary's models before this source's facts.
    models: &'a BTreeMap<String, Model>,
    kept_dialect: Dialect,
    other_dialect: Dialect,
}

/// What [`pick`] did with two sources' statements of one fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Kept,
    Taken,
    Conflict,
}

/// Keeps the better-sourced of two statements of one fact in `kept`: the other's when
/// it ranks higher (written where `kept` assumed), `kept` otherwise; two written values
/// that differ are a conflict (the kept one stays), unless the overlay settled it.
fn pick<T: Clone + PartialEq>(
    kept: &mut Sourced<T>,
    theirs: &Sourced<T>,
    at: &Location,
) -> Verdict {
    if kept.source == Source::Overlay {
        return Verdict::Kept;
    }
    if rank(theirs.source) > rank(kept.source) {
        kept.value = theirs.value.clone();
        kept.source = theirs.source;
        kept.from = Some(at.clone());
        return Verdict::Taken;
    }
    if kept.source == Source::Doc && theirs.source == Source::Doc && kept.value != theirs.value {
        return Verdict::Conflict;
    }
    Verdict::Kept
}

/// Matches the other source's models to the primary's: by title, then by where they are
/// used. A title both give to models of different kinds (the union `Context` of one, the
/// object `Context` of the other) may name two models: where they are used decides
/// first, and the title only what that leaves.
fn match_models(primary: &Spec, other: &Spec) -> BTreeMap<String, String> {
    let (mut matched, doubtful): (BTreeMap<String, String>, BTreeMap<String, String>) =
        match_by_title(primary, other)
            .into_iter()
            .partition(|(ours, theirs)| {
                match (primary.models.get(ours), other.models.get(theirs)) {
                    (Some(ours), Some(theirs)) => {
                        std::mem::discriminant(&ours.kind) == std::mem::discriminant(&theirs.kind)
                    }
                    _ => false,
                }
            });
    match_by_reference(primary, other, &mut matched);
    let taken: BTreeSet<String> = matched.values().cloned().collect();
    for (ours, theirs) in doubtful {
        if !matched.contains_key(&ours) && !taken.contains(&theirs) {
            matched.insert(ours, theirs);
        }
    }
    match_by_reference(primary, other, &mut matched);
    matched
}

/// Matches models by name, then by title key where exactly one model of each side has
/// it.
fn match_by_title(primary: &Spec, other: &Spec) -> BTreeMap<String, String> {
    let mut matched = BTreeMap::new();
    let mut keys: BTreeMap<String, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
    for name in primary.models.keys() {
        if other.models.contains_key(name) {
            matched.insert(name.clone(), name.clone());
        } else {
            keys.entry(names::model_key(name)).or_default().0.push(name);
        }
    }
    for name in other.models.keys() {
        if !primary.models.contains_key(name) {
            keys.entry(names::model_key(name)).or_default().1.push(name);
        }
    }
    let mut unmatched: BTreeMap<String, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
    for (key, (ours, theirs)) in &keys {
        match (ours.as_slice(), theirs.as_slice()) {
            ([ours], [theirs]) => {
                matched.insert((*ours).to_owned(), (*theirs).to_owned());
            }
            (ours, theirs) => {
                let entry = unmatched.entry(key.clone()).or_default();
                entry.0.extend(ours);
                entry.1.extend(theirs);
            }
        }
    }
    // TypeScript SDKs append `T` to a model whose title is a JavaScript global
    // (`FunctionT`, `FileT`): what is left unmatched meets again without it.
    let mut renamed: BTreeMap<String, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
    for (key, (ours, theirs)) in unmatched {
        let (ours_key, theirs_key) = (
            global_suffix_off(&key, primary.dialect),
            global_suffix_off(&key, other.dialect),
        );
        renamed.entry(ours_key).or_default().0.extend(ours);
        renamed.entry(theirs_key).or_default().1.extend(theirs);
    }
    for (ours, theirs) in renamed.values() {
        if let ([ours], [theirs]) = (ours.as_slice(), theirs.as_slice()) {
            matched.insert((*ours).to_owned(), (*theirs).to_owned());
        }
    }
    matched
}

/// Matches models the sources title differently (Python's
/// `AgentsAPIV1AgentsGetAgentVersion` is TypeScript's `operations.AgentVersion`) by where
/// they are used: two unmatched models that the same field of two matched objects refers
/// to are one. Repeats until nothing new is matched, so models nested in them meet too;
/// a model two fields would match to different ones stays unmatched.
fn match_by_reference(primary: &Spec, other: &Spec, matched: &mut BTreeMap<String, String>) {
    loop {
        let theirs_matched: BTreeSet<&str> = matched.values().map(String::as_str).collect();
        let mut proposed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut claimed: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (ours, theirs) in matched.iter() {
            let (Some(ours), Some(theirs)) = (primary.models.get(ours), other.models.get(theirs))
            else {
                continue;
            };
            for (a, b) in referred_pairs(ours, theirs) {
                if !matched.contains_key(a)
                    && !theirs_matched.contains(b)
                    && primary.models.contains_key(a)
                    && other.models.contains_key(b)
                {
                    proposed
                        .entry(a.to_owned())
                        .or_default()
                        .insert(b.to_owned());
                    claimed
                        .entry(b.to_owned())
                        .or_default()
                        .insert(a.to_owned());
                }
            }
        }
        let found: Vec<(String, String)> = proposed
            .into_iter()
            .filter_map(|(ours, theirs)| {
                let [theirs] = <[String; 1]>::try_from(Vec::from_iter(theirs)).ok()?;
                let unique = claimed.get(&theirs).is_some_and(|claims| claims.len() == 1);
                unique.then_some((ours, theirs))
            })
            .collect();
        if found.is_empty() {
            return;
        }
        matched.extend(found);
    }
}

/// The models two matched models refer to in the same place: the same field of two
/// objects, or the same member of two unions of as many members (both SDKs list a
/// union's members in the API's order).
fn referred_pairs<'a>(ours: &'a Model, theirs: &'a Model) -> Vec<(&'a str, &'a str)> {
    match (&ours.kind, &theirs.kind) {
        (ModelKind::Object(ours), ModelKind::Object(theirs)) => {
            let their_fields = fields_by_key(theirs);
            ours.fields
                .iter()
                .filter_map(|field| {
                    let their_field = their_fields.get(&names::field_key(&field.name))?;
                    Some((named_model(&field.ty)?, named_model(&their_field.ty)?))
                })
                .collect()
        }
        (ModelKind::Union(ours), ModelKind::Union(theirs))
            if ours.members.len() == theirs.members.len() =>
        {
            ours.members
                .iter()
                .zip(&theirs.members)
                .filter_map(|(a, b)| Some((named_model(&a.ty)?, named_model(&b.ty)?)))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// The model a type names, through lists, maps and nullability.
fn named_model(ty: &Type) -> Option<&str> {
    match ty {
        Type::Model(name) => Some(name),
        Type::List(inner) | Type::Map(inner) | Type::Nullable(inner) => named_model(inner),
        _ => None,
    }
}

/// A model key without the `t` a TypeScript SDK appends to titles that are JavaScript
/// globals; other dialects' keys as they are.
fn global_suffix_off(key: &str, dialect: Dialect) -> String {
    match key.strip_suffix('t') {
        Some(base) if dialect == Dialect::TypeScript && JS_GLOBALS.contains(&base) => {
            base.to_owned()
        }
        _ => key.to_owned(),
    }
}

/// Titles (as keys) a TypeScript SDK renames with a `T` suffix, as they would shadow a
/// global of the language.
const JS_GLOBALS: &[&str] = &[
    "array", "blob", "boolean", "date", "error", "event", "file", "function", "map", "number",
    "object", "promise", "record", "request", "response", "set", "string", "symbol", "url",
];

/// An object's fields by [`names::field_key`], for matching them across sources.
fn fields_by_key(object: &Object) -> BTreeMap<String, &Field> {
    object
        .fields
        .iter()
        .map(|field| (names::field_key(&field.name), field))
        .collect()
}

/// The spelling two sources with different case conventions both show, if any.
fn alike_name(shown: &[(String, SdkNaming)]) -> Option<String> {
    shown
        .iter()
        .enumerate()
        .find_map(|(index, (name, naming))| {
            let name = name.strip_suffix('_').unwrap_or(name);
            shown[index + 1..]
                .iter()
                .any(|(other, other_naming)| other == name && other_naming != naming)
                .then(|| name.to_owned())
        })
}

/// Whether a date in the type has a written format.
fn written_date_format(ty: &Type) -> bool {
    match ty {
        Type::Date { format } => format.source == Source::Doc,
        Type::List(inner) | Type::Map(inner) | Type::Nullable(inner) => written_date_format(inner),
        _ => false,
    }
}

/// Whether a dialect's types tell integers from other numbers (TypeScript writes both as
/// `number`).
fn tells_integers(dialect: Dialect) -> bool {
    dialect != Dialect::TypeScript
}

/// What `theirs` adds to and lacks of `ours`, as a message fragment.
fn difference_text(theirs: &BTreeSet<String>, ours: &BTreeSet<String>) -> String {
    let list = |values: Vec<&str>| values.join(", ");
    let added: Vec<&str> = theirs.difference(ours).map(String::as_str).collect();
    let lacking: Vec<&str> = ours.difference(theirs).map(String::as_str).collect();
    match (added.is_empty(), lacking.is_empty()) {
        (false, false) => format!("adds {} and lacks {}", list(added), list(lacking)),
        (false, true) => format!("adds {}", list(added)),
        (true, _) => format!("lacks {}", list(lacking)),
    }
}

fn kind_name(kind: &ModelKind) -> &'static str {
    match kind {
        ModelKind::Object(_) => "an object",
        ModelKind::Enum(_) => "an enum",
        ModelKind::Union(_) => "a union",
    }
}

fn required_word(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}

fn nullable_word(nullable: bool) -> &'static str {
    if nullable { "nullable" } else { "not nullable" }
}

fn open_word(open: bool) -> &'static str {
    if open { "open" } else { "closed" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typescript_global_suffix_is_taken_off_only_for_javascript_globals() {
        assert_eq!(
            global_suffix_off("functiont", Dialect::TypeScript),
            "function"
        );
        assert_eq!(global_suffix_off("filet", Dialect::TypeScript), "file");
        // A title that only ends in `t` stays, and so does every other dialect's.
        assert_eq!(
            global_suffix_off("paymentt", Dialect::TypeScript),
            "paymentt"
        );
        assert_eq!(global_suffix_off("account", Dialect::TypeScript), "account");
        assert_eq!(global_suffix_off("functiont", Dialect::Python), "functiont");
    }
}
