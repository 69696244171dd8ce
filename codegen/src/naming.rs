//! Rust names for spec names: the one documented rule each for types, modules and
//! fields, shared by the linter (collisions) and the emitter.

use heck::{ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};

/// Rust keywords, strict and reserved, in every edition this project targets.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The Rust type name of a model: its title where that is already a valid, non-keyword
/// identifier starting with a capital (`APIEndpoint` stays `APIEndpoint`); otherwise the
/// title in UpperCamelCase, prefixed with `Model` if it would start with a digit, and
/// suffixed with `_` if it is a keyword.
pub fn type_name(title: &str) -> String {
    if is_identifier(title)
        && !is_keyword(title)
        && title.starts_with(|c: char| c.is_ascii_uppercase())
    {
        return title.to_owned();
    }
    let mut name = title.to_upper_camel_case();
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "Model");
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// A PascalCase SDK name (Go, C#) as the camelCase JSON key it is assumed to stand for:
/// `ID` is `id`, `PostalCode` is `postalCode`, `MerchantAccountID` is `merchantAccountId`.
pub fn lower_camel(name: &str) -> String {
    name.to_lower_camel_case()
}

/// The module (and file) name of a model: its title in snake_case, suffixed with `_`
/// if it is a keyword.
pub fn module_name(title: &str) -> String {
    let mut name = title.to_snake_case();
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "model_");
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// The Rust field name of a documented field: snake_case (which drops the Python
/// reserved-word `_` suffix), as a raw identifier if it is a keyword (`r#type`), or
/// with `_` appended where Rust allows no raw form (`self_`).
pub fn field_name(documented: &str) -> String {
    let mut name = documented.to_snake_case();
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if is_keyword(&name) {
        name.insert_str(0, "r#");
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_keep_valid_titles() {
        assert_eq!(type_name("APIEndpoint"), "APIEndpoint");
        assert_eq!(type_name("And"), "And");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("chat-message"), "ChatMessage");
        assert_eq!(type_name("2fa"), "Model2fa");
    }

    #[test]
    fn field_names_are_snake_case_and_escape_keywords() {
        assert_eq!(field_name("from_"), "from");
        assert_eq!(field_name("use"), "r#use");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("sharingScope"), "sharing_scope");
        assert_eq!(field_name("$ref"), "r#ref");
    }

    #[test]
    fn module_names_are_snake_case() {
        assert_eq!(module_name("APIEndpoint"), "api_endpoint");
        assert_eq!(module_name("Type"), "type_");
    }
}
