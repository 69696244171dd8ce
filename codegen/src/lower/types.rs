//! Lowering, type pass: a parsed type ([`TypeExpr`]) into an IR [`Type`], resolving links
//! and model names, and splitting off the wrappers that are a field's presence.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Span};
use crate::dialect::{LiteralValue, Primitive, SdkType, TypeExpr, Wrapper};
use crate::ir::{Assumption, DateFormat, Source, Sourced, Type};

/// Every name a reference can point at. Models are named by their key: the title, or
/// `folder/Title` for a title declared in several folders.
#[derive(Debug, Default)]
pub(crate) struct Names {
    /// Model key -> where it is declared.
    pub keys: BTreeMap<String, Span>,
    /// Title -> (folder, key) of each model with that title.
    pub by_title: BTreeMap<String, Vec<(String, String)>>,
    /// Keys of union documents that list no members.
    pub undocumented: BTreeSet<String>,
    /// Spec-relative document path -> the key of its top-level model.
    pub documents: BTreeMap<String, String>,
    /// (document path, anchor) -> the key of a model declared in that document.
    pub anchors: BTreeMap<(String, String), String>,
}

/// Resolves references in the types of one document.
#[derive(Debug)]
pub(crate) struct Resolver<'a> {
    pub names: &'a Names,
    /// The spec-relative path of the document being lowered.
    pub document: &'a str,
    pub diagnostics: &'a mut Diagnostics,
    /// References to undocumented unions met so far (key, where), typed `Any` unless a
    /// reference writes the members out.
    pub undocumented_references: &'a mut Vec<(String, Span)>,
    /// Members of undocumented unions as references write them inline (Ruby's
    /// `[T.any(A, B)](a_or_b.md)`), with where.
    pub inline_members: &'a mut BTreeMap<String, Vec<(Type, Span)>>,
}

/// A link destination, once looked at.
enum Target {
    /// A model of the spec, by title.
    Model(String),
    /// A page outside the spec (the Python docs' `date` link).
    External,
    /// Already reported.
    Broken,
}

impl Resolver<'_> {
    /// Lowers a field's type: returns the top-level wrapper (the field's written
    /// presence) and the value type, or `None` when a problem was reported.
    pub(super) fn field_type(&mut self, expr: &TypeExpr) -> Option<(Option<Wrapper>, Type)> {
        let (wrapper, inner, link) = peel(expr, None);
        // A link around a primitive documents it (a date type's page): no model to find.
        let target = link
            .filter(|_| !is_primitive(inner))
            .map(|(dest, span)| self.target(dest, span));
        let ty = self.lower(inner, target.as_ref())?;
        Some((wrapper, ty))
    }

    /// Lowers a type where wrappers have no presence meaning (union members, map values).
    pub(super) fn value_type(&mut self, expr: &TypeExpr) -> Option<Type> {
        self.lower(expr, None)
    }

    fn target(&mut self, dest: &str, span: Span) -> Target {
        if dest.contains("://") || dest.starts_with("mailto:") {
            return Target::External;
        }
        let (path, anchor) = match dest.split_once('#') {
            Some((path, anchor)) => (path, Some(anchor)),
            None => (dest, None),
        };
        let document = if path.is_empty() {
            Some(self.document.to_owned())
        } else {
            match join_relative(self.document, path) {
                Some(document) => Some(document),
                None => {
                    self.diagnostics.push(
                        Diagnostic::new(Code::EscapingLink, "a link leaves the spec root")
                            .at(span, "links must stay inside the spec folder")
                            .note(format!("the destination, unescaped, is `{dest}`"))
                            .note("links are resolved relative to the document; the spec root is the folder given by `--specs`"),
                    );
                    return Target::Broken;
                }
            }
        };
        let document = document.unwrap_or_default();
        let found = match anchor {
            Some(anchor) if !anchor.is_empty() => self
                .names
                .anchors
                .get(&(document.clone(), anchor.to_ascii_lowercase()))
                .cloned(),
            _ => self.names.documents.get(&document).cloned(),
        };
        match found {
            Some(title) => Target::Model(title),
            None => {
                let what = match anchor {
                    Some(anchor) if !anchor.is_empty() => {
                        format!("no model with anchor `#{anchor}` in `{document}`")
                    }
                    _ => format!("no model document `{document}` in the spec"),
                };
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::UnresolvedReference,
                        format!("the link `{dest}` points at {what}"),
                    )
                    .at(span, "unresolved link"),
                );
                Target::Broken
            }
        }
    }

    fn lower(&mut self, expr: &TypeExpr, link: Option<&Target>) -> Option<Type> {
        Some(match expr {
            TypeExpr::Primitive { primitive, span } => {
                if let Some(Target::Model(title)) = link {
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::LinkTitleMismatch,
                            format!("the link text is a primitive type, but the link points at the model `{title}`"),
                        )
                        .at(*span, format!("expected `models.{title}`")),
                    );
                    return None;
                }
                self.primitive(*primitive)
            }
            TypeExpr::Wrapper {
                wrapper,
                inner,
                span,
            } => {
                let inner = self.lower(inner, link)?;
                match wrapper {
                    // Inside a container, a nilable value can only be missing as null.
                    Wrapper::Nullable | Wrapper::OptionalNullable | Wrapper::Nilable => {
                        Type::Nullable(Box::new(inner))
                    }
                    Wrapper::Optional => {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::UnsupportedType,
                                "`Optional[...]` only has a meaning for a whole field",
                            )
                            .at(*span, "only a field can be absent")
                            .note("use `Nullable[...]` for a value that may be null"),
                        );
                        return None;
                    }
                }
            }
            TypeExpr::List { item, .. } => Type::List(Box::new(self.lower(item, link)?)),
            TypeExpr::Map { value, .. } => Type::Map(Box::new(self.lower(value, link)?)),
            TypeExpr::Literal { values, span } => match values.as_slice() {
                [value] => Type::Literal(value.clone()),
                _ => {
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::UnsupportedType,
                            "a `Literal[...]` with several values is not supported",
                        )
                        .at(*span, "expected exactly one value")
                        .note("write the values as an enum model instead"),
                    );
                    return None;
                }
            },
            // A union written out inside a link to its document is that union model.
            TypeExpr::Union { members, span } if matches!(link, Some(Target::Model(_))) => {
                let Some(Target::Model(key)) = link else {
                    return None;
                };
                if self.names.undocumented.contains(key) && !self.inline_members.contains_key(key) {
                    let lowered: Option<Vec<(Type, Span)>> = members
                        .iter()
                        .map(|member| Some((self.lower(member, None)?, member.span())))
                        .collect();
                    self.inline_members.insert(key.clone(), lowered?);
                }
                return self.model(key, *span);
            }
            TypeExpr::Union { members, span } => return self.union(members, *span, link),
            TypeExpr::Model {
                name,
                namespace,
                span,
            } => {
                return match link {
                    Some(Target::Model(key)) => {
                        let title = key
                            .rsplit_once('/')
                            .map_or(key.as_str(), |(_, title)| title);
                        if title != name {
                            self.diagnostics.push(
                                Diagnostic::new(
                                    Code::LinkTitleMismatch,
                                    format!("the link text names `{name}` but its target's title is `{title}`"),
                                )
                                .at(*span, format!("the target is `{title}`")),
                            );
                        }
                        self.model(key, *span)
                    }
                    Some(Target::Broken) => None,
                    Some(Target::External) => {
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::UnresolvedReference,
                                format!("`{name}` links outside the spec"),
                            )
                            .at(*span, "expected a link to a model document"),
                        );
                        None
                    }
                    None => self.named_model(name, namespace.as_deref(), *span),
                };
            }
            // A link around a primitive (a date type's reference page, which may lie
            // outside the spec: `[RFCDate](../../types/rfcdate.md)`) documents it; it
            // names no model.
            TypeExpr::Link { inner, .. } if is_primitive(inner) => {
                return self.lower(inner, None);
            }
            TypeExpr::Link { dest, inner, span } => {
                if link.is_some() {
                    self.diagnostics.push(
                        Diagnostic::new(Code::UnparsableType, "a link inside a link")
                            .at(*span, "nested link"),
                    );
                    return None;
                }
                let target = self.target(dest, *span);
                return self.lower(inner, Some(&target));
            }
            TypeExpr::Sdk {
                sdk,
                arguments,
                span,
            } => match sdk {
                SdkType::Io | SdkType::BufferedReader | SdkType::ByteStream => Type::FileUpload,
                SdkType::HttpResponse | SdkType::Callable => Type::SdkOnly,
                SdkType::EventStream | SdkType::EventStreamAsync => {
                    let [item] = arguments.as_slice() else {
                        return self.unsupported(*span, "an event stream has one item type");
                    };
                    Type::EventStream(Box::new(self.lower(item, link)?))
                }
            },
        })
    }

    fn primitive(&self, primitive: Primitive) -> Type {
        match primitive {
            Primitive::String => Type::String,
            Primitive::Integer | Primitive::Int32 | Primitive::Int64 => Type::Integer,
            Primitive::Float | Primitive::Float32 | Primitive::Float64 | Primitive::Decimal => {
                Type::Float
            }
            Primitive::Boolean => Type::Boolean,
            Primitive::Any => Type::Any,
            Primitive::Bytes => Type::Bytes,
            Primitive::Date => Type::Date {
                format: Sourced {
                    value: DateFormat::DateTime,
                    source: Source::Default(Assumption::DateMeansDateTime),
                    from: None,
                },
            },
            Primitive::DateTime => Type::Date {
                format: Sourced {
                    value: DateFormat::DateTime,
                    source: Source::Doc,
                    from: None,
                },
            },
            Primitive::CalendarDate => Type::Date {
                format: Sourced {
                    value: DateFormat::Date,
                    source: Source::Doc,
                    from: None,
                },
            },
        }
    }

    /// A model by key.
    /// (An undocumented union stays a reference here; lowering types it once every
    /// document is read, as a union of the members a reference wrote, or as any value.)
    fn model(&mut self, key: &str, span: Span) -> Option<Type> {
        if self.names.undocumented.contains(key) {
            self.undocumented_references.push((key.to_owned(), span));
            return Some(Type::Model(key.to_owned()));
        }
        self.names
            .keys
            .contains_key(key)
            .then(|| Type::Model(key.to_owned()))
    }

    /// A model named without a link: by title; where the title is declared in several
    /// folders, the one the SDK namespace names (`operations.X`, `Models::Shared::X`),
    /// else the one in the referring document's folder.
    fn named_model(&mut self, title: &str, namespace: Option<&str>, span: Span) -> Option<Type> {
        let declared = self.names.by_title.get(title).map(Vec::as_slice);
        let key = match declared {
            None | Some([]) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::UnresolvedReference,
                        format!("no model is titled `{title}`"),
                    )
                    .at(span, "unresolved name")
                    .note("unlinked names are resolved by document title"),
                );
                return None;
            }
            Some([(_, key)]) => key.clone(),
            Some(several) => {
                let folder = super::model_folder(self.document);
                let by_namespace = namespace.and_then(|namespace| {
                    let last = namespace
                        .rsplit(['.', ':', '\\'])
                        .next()
                        .unwrap_or(namespace);
                    several.iter().find(|(candidate, _)| {
                        candidate
                            .rsplit('/')
                            .next()
                            .is_some_and(|part| part.eq_ignore_ascii_case(last))
                    })
                });
                let chosen = by_namespace.or_else(|| several.iter().find(|(f, _)| f == folder));
                match chosen {
                    Some((_, key)) => key.clone(),
                    None => {
                        let keys: Vec<String> =
                            several.iter().map(|(_, key)| format!("`{key}`")).collect();
                        self.diagnostics.push(
                            Diagnostic::new(
                                Code::UnresolvedReference,
                                format!("`{title}` names several models: {}", keys.join(", ")),
                            )
                            .at(span, "ambiguous name")
                            .note(
                                "link the type to its document, or qualify it with its SDK module",
                            ),
                        );
                        return None;
                    }
                }
            }
        };
        self.model(&key, span)
    }

    /// Unions written inside a type are the SDK's own: a file upload
    /// (`Union[bytes, IO[bytes], io.BufferedReader]`) or a sync/async event stream pair.
    fn union(&mut self, members: &[TypeExpr], span: Span, link: Option<&Target>) -> Option<Type> {
        let lowered: Vec<Type> = members
            .iter()
            .map(|member| self.lower(member, link))
            .collect::<Option<_>>()?;
        if lowered
            .iter()
            .all(|member| matches!(member, Type::Bytes | Type::FileUpload))
            && lowered.contains(&Type::FileUpload)
        {
            return Some(Type::FileUpload);
        }
        // A union one of whose members is any value is any value (PHP `bool|mixed`).
        if lowered.contains(&Type::Any) {
            return Some(Type::Any);
        }
        // TypeScript's upload body: `File | Blob | components.FileT`, the SDK's file
        // objects beside the model the wire carries.
        let models: Vec<&Type> = lowered
            .iter()
            .filter(|member| !matches!(member, Type::Bytes | Type::FileUpload))
            .collect();
        if let [model @ Type::Model(_)] = models.as_slice()
            && lowered.contains(&Type::FileUpload)
        {
            return Some((*model).clone());
        }
        if let Some(Type::EventStream(first)) = lowered.first()
            && lowered
                .iter()
                .all(|member| matches!(member, Type::EventStream(item) if item == first))
        {
            return Some(Type::EventStream(first.clone()));
        }
        self.unsupported(
            span,
            "an inline `Union[...]` that is neither a file upload nor an event stream",
        )
    }

    fn unsupported(&mut self, span: Span, what: &str) -> Option<Type> {
        self.diagnostics.push(
            Diagnostic::new(Code::UnsupportedType, format!("{what} is not supported"))
                .at(span, "here")
                .note("model it as a union document (`## Supported Types`) instead"),
        );
        None
    }
}

/// A primitive, under any presence wrappers.
fn is_primitive(expr: &TypeExpr) -> bool {
    match expr {
        TypeExpr::Primitive { .. } => true,
        TypeExpr::Wrapper { inner, .. } => is_primitive(inner),
        _ => false,
    }
}

/// Takes the presence wrappers off the top of a field type, looking through a link whose
/// text holds the wrapper (`[Optional[models.X]](x.md)`). Returns the combined wrapper,
/// the inner type, and the link (destination, span) it was found inside, if any.
fn peel<'a>(
    expr: &'a TypeExpr,
    link: Option<(&'a str, Span)>,
) -> (Option<Wrapper>, &'a TypeExpr, Option<(&'a str, Span)>) {
    match expr {
        TypeExpr::Link { dest, inner, span } if link.is_none() => {
            let (wrapper, peeled, found) = peel(inner, Some((dest, *span)));
            if wrapper.is_none() {
                return (None, expr, None);
            }
            (wrapper, peeled, found)
        }
        TypeExpr::Wrapper { wrapper, inner, .. } => {
            let (nested, peeled, found) = peel(inner, link);
            (Some(combine(*wrapper, nested)), peeled, found)
        }
        _ => (None, expr, link),
    }
}

/// `Optional[Nullable[T]]` and the like mean `OptionalNullable[T]`.
fn combine(outer: Wrapper, inner: Option<Wrapper>) -> Wrapper {
    let Some(inner) = inner else { return outer };
    let optional = matches!(outer, Wrapper::Optional | Wrapper::OptionalNullable)
        || matches!(inner, Wrapper::Optional | Wrapper::OptionalNullable);
    let nullable = matches!(outer, Wrapper::Nullable | Wrapper::OptionalNullable)
        || matches!(inner, Wrapper::Nullable | Wrapper::OptionalNullable);
    match (optional, nullable) {
        (true, true) => Wrapper::OptionalNullable,
        (true, false) => Wrapper::Optional,
        _ => Wrapper::Nullable,
    }
}

/// Resolves `relative` against the folder of `document` (both spec-relative, `/`
/// separated). `None` when the result would leave the spec root.
pub(crate) fn join_relative(document: &str, relative: &str) -> Option<String> {
    if relative.starts_with('/') || relative.contains('\\') {
        return None;
    }
    let mut parts: Vec<&str> = document.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// A constant a field can hold, for tag detection and presence.
pub(crate) fn constant_of(
    ty: &Type,
    one_value_enums: &BTreeMap<String, LiteralValue>,
) -> Option<LiteralValue> {
    match ty {
        Type::Literal(value) => Some(value.clone()),
        Type::Model(name) => one_value_enums.get(name).cloned(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_stay_inside_the_root() {
        assert_eq!(
            join_relative("models/a.md", "../models/b.md").as_deref(),
            Some("models/b.md")
        );
        assert_eq!(
            join_relative("models/components/a.md", "../../models/components/b.md").as_deref(),
            Some("models/components/b.md")
        );
        assert_eq!(join_relative("models/a.md", "../../b.md"), None);
        assert_eq!(join_relative("models/a.md", "/etc/passwd"), None);
    }
}
