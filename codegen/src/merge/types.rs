//! One field's type as two sources write it, unified: what the other source states more
//! precisely is taken (a date's format, integer for TypeScript's `number`, a model where
//! the kept source has any value or a plain string, nullability inside a container), and
//! two types that state different things are a conflict.

use std::collections::BTreeMap;

use crate::ir::{DateFormat, Location, Model, ModelKind, Source, Sourced, Type};

use super::rank;

/// What the other source's type added to the kept one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Refinement {
    /// A date's format, written where the kept source assumed it.
    DateFormat,
    /// An integer where the kept source's dialect writes every number alike.
    Integer,
    /// A model or a constant where the kept source has any value or a plain string.
    Type,
    /// Null allowed inside a container, which the kept source's dialect cannot show.
    Nullability,
}

/// What unifying needs to know about the two sources.
pub(super) struct Unifier<'a> {
    /// The other source's model names, as the kept source names them.
    pub(super) names: &'a BTreeMap<String, String>,
    /// The kept source's models (to tell enums from objects).
    pub(super) models: &'a BTreeMap<String, Model>,
    /// Whether the kept source's dialect tells integers from other numbers.
    pub(super) kept_tells_integers: bool,
    pub(super) other_tells_integers: bool,
    /// The other source's field row, where what it refines was written.
    pub(super) at: &'a Location,
}

/// The two types state different things.
#[derive(Debug)]
pub(super) struct Differs;

impl Unifier<'_> {
    /// Unifies `other` into `kept`, returning what it refined.
    pub(super) fn unify(&self, kept: &mut Type, other: &Type) -> Result<Vec<Refinement>, Differs> {
        let mut refined = Vec::new();
        self.unify_into(kept, other, &mut refined)?;
        Ok(refined)
    }

    fn unify_into(
        &self,
        kept: &mut Type,
        other: &Type,
        refined: &mut Vec<Refinement>,
    ) -> Result<(), Differs> {
        let refines_plain = self.refines_plain(kept, other);
        match (&mut *kept, other) {
            (Type::Model(name), Type::Model(theirs)) => {
                match self.names.get(theirs) {
                    Some(mapped) if mapped == name => Ok(()),
                    // A model the kept source does not have cannot be compared by name.
                    None => Ok(()),
                    Some(_) => Err(Differs),
                }
            }
            (Type::Date { format }, Type::Date { format: theirs }) => {
                merge_date_format(format, theirs, self.at, refined)
            }
            (Type::List(item), Type::List(theirs)) | (Type::Map(item), Type::Map(theirs)) => {
                self.unify_into(item, theirs, refined)
            }
            (Type::Nullable(inner), Type::Nullable(theirs)) => {
                self.unify_into(inner, theirs, refined)
            }
            // The other dialect cannot show nullability inside a container.
            (Type::Nullable(inner), theirs) => self.unify_into(inner, theirs, refined),
            (_, Type::Nullable(theirs)) => {
                self.unify_into(kept, theirs, refined)?;
                let inner = std::mem::replace(kept, Type::Any);
                *kept = Type::Nullable(Box::new(inner));
                refined.push(Refinement::Nullability);
                Ok(())
            }
            (Type::Float, Type::Integer) if !self.kept_tells_integers => {
                *kept = Type::Integer;
                refined.push(Refinement::Integer);
                Ok(())
            }
            (Type::Integer, Type::Float) if !self.other_tells_integers => Ok(()),
            (Type::Any | Type::String, theirs) if refines_plain => {
                let Some(mapped) = self.mapped(theirs) else {
                    return Ok(());
                };
                *kept = mapped;
                refined.push(Refinement::Type);
                Ok(())
            }
            (_, Type::Any) => Ok(()),
            (Type::String, Type::Model(theirs)) | (Type::Literal(_), Type::Model(theirs))
                if self.names.get(theirs).is_none_or(|name| self.is_enum(name)) =>
            {
                Ok(())
            }
            (Type::Model(name), Type::String | Type::Literal(_)) if self.is_enum(name) => Ok(()),
            (Type::Literal(_), Type::String) | (Type::Bytes, Type::String) => Ok(()),
            (Type::FileUpload | Type::SdkOnly | Type::EventStream(_), _) => Ok(()),
            (kept, theirs) if *kept == *theirs => Ok(()),
            _ => Err(Differs),
        }
    }

    /// Whether `theirs` says more than the kept source's any value or plain string.
    fn refines_plain(&self, kept: &Type, theirs: &Type) -> bool {
        match (kept, theirs) {
            (Type::Any, Type::Any) => false,
            (Type::Any, _) => true,
            (Type::String, Type::Literal(_)) => true,
            (Type::String, Type::Model(name)) => {
                self.names.get(name).is_some_and(|name| self.is_enum(name))
            }
            _ => false,
        }
    }

    fn is_enum(&self, name: &str) -> bool {
        self.models
            .get(name)
            .is_some_and(|model| matches!(model.kind, ModelKind::Enum(_)))
    }

    /// The other source's type in the kept source's names; `None` when it names a model
    /// the kept source does not have.
    fn mapped(&self, ty: &Type) -> Option<Type> {
        Some(match ty {
            Type::Model(name) => Type::Model(self.names.get(name)?.clone()),
            Type::List(item) => Type::List(Box::new(self.mapped(item)?)),
            Type::Map(value) => Type::Map(Box::new(self.mapped(value)?)),
            Type::Nullable(inner) => Type::Nullable(Box::new(self.mapped(inner)?)),
            Type::EventStream(item) => Type::EventStream(Box::new(self.mapped(item)?)),
            other => other.clone(),
        })
    }
}

/// A date's format: the written one beats an assumed one; two written formats that
/// differ are different types.
fn merge_date_format(
    kept: &mut Sourced<DateFormat>,
    theirs: &Sourced<DateFormat>,
    at: &Location,
    refined: &mut Vec<Refinement>,
) -> Result<(), Differs> {
    if kept.source == Source::Overlay {
        return Ok(());
    }
    if rank(theirs.source) > rank(kept.source) {
        kept.value = theirs.value;
        kept.source = theirs.source;
        kept.from = Some(at.clone());
        refined.push(Refinement::DateFormat);
        return Ok(());
    }
    if theirs.source == Source::Doc && kept.source == Source::Doc && theirs.value != kept.value {
        return Err(Differs);
    }
    Ok(())
}
