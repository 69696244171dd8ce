//! TypeScript example code (`let value: T = {...};`, `const value: T = ...;`) as JSON: the
//! literal after `=`, read by the `json5` crate (unquoted keys, trailing commas, single
//! quotes, comments) once the two constructs JSON5 lacks are rewritten: `new Date("...")`
//! becomes its string, `BigInt(...)` its number. Keys stay the SDK's property names; the
//! lowering maps them to JSON keys.

/// What one code block says about an example value.
#[derive(Debug, Clone, PartialEq)]
pub enum ExampleCode {
    /// The block assigns no value (`// No examples available for this model`), or is not
    /// an example at all (an enum's `## Values` union).
    NoExample,
    /// The value, as JSON with the SDK's property names as keys.
    Value(serde_json::Value),
    /// A value that cannot be JSON, and why.
    Unreadable(String),
}

/// Reads the value a TypeScript example block assigns.
pub fn typescript_example(code: &str) -> ExampleCode {
    let Some(literal) = assigned_literal(code) else {
        return ExampleCode::NoExample;
    };
    match rewrite(literal) {
        Ok(json5) => match json5::from_str::<serde_json::Value>(&json5) {
            Ok(value) => ExampleCode::Value(value),
            Err(error) => ExampleCode::Unreadable(format!(
                "not a JSON value: {}",
                first_line(&error.to_string())
            )),
        },
        Err(reason) => ExampleCode::Unreadable(format!("not a JSON value: {reason}")),
    }
}

/// The text after `let value... =` or `const value... =`, without the statement's `;` and
/// the comments after it.
fn assigned_literal(code: &str) -> Option<&str> {
    let start = code.lines().find_map(|line| {
        let trimmed = line.trim_start();
        (trimmed.starts_with("let value") || trimmed.starts_with("const value"))
            .then(|| line.as_ptr() as usize - code.as_ptr() as usize)
    })?;
    let declaration = &code[start..];
    let equals = declaration.find('=')?;
    let mut rest = &declaration[equals + 1..];
    // Comments after the statement (`// Open enum: ...`) are not part of the value.
    while let Some(last) = rest.trim_end().lines().last() {
        if !last.trim_start().starts_with("//") {
            break;
        }
        let cut = rest.trim_end().len() - last.len();
        rest = &rest[..cut];
    }
    let literal = rest.trim().strip_suffix(';').unwrap_or(rest.trim()).trim();
    (!literal.is_empty()).then_some(literal)
}

/// The literal with `new Date("...")` as its string and `BigInt(...)` as its number;
/// `Err` for other constructors and template strings.
fn rewrite(literal: &str) -> Result<String, String> {
    let mut out = String::with_capacity(literal.len());
    let mut rest = literal;
    while let Some(c) = rest.chars().next() {
        if c == '"' || c == '\'' {
            let end = string_end(rest).ok_or("an unterminated string")?;
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if c == '`' {
            return Err("a template string".to_owned());
        } else if let Some(after) = rest.strip_prefix("new Date(") {
            let (argument, tail) =
                call_argument(after).ok_or("a `new Date(...)` without one string")?;
            if !argument.starts_with(['"', '\'']) {
                return Err("a `new Date(...)` of something other than a string".to_owned());
            }
            out.push_str(argument);
            rest = tail;
        } else if let Some(after) = rest.strip_prefix("BigInt(") {
            let (argument, tail) =
                call_argument(after).ok_or("a `BigInt(...)` without one value")?;
            let digits = argument.trim_matches(['"', '\'']);
            if digits.is_empty()
                || !digits
                    .trim_start_matches('-')
                    .chars()
                    .all(|c| c.is_ascii_digit())
            {
                return Err(format!("`BigInt({argument})` is not an integer"));
            }
            out.push_str(digits);
            rest = tail;
        } else if let Some(constructor) = rest.strip_prefix("new ") {
            let name: String = constructor
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
                .collect();
            return Err(format!("`new {name}(...)`"));
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    Ok(out)
}

/// The byte length of the string literal `text` starts with, quotes included.
fn string_end(text: &str) -> Option<usize> {
    let quote = text.chars().next()?;
    let mut escaped = false;
    for (index, c) in text.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            c if c == quote => return Some(index + c.len_utf8()),
            _ => {}
        }
    }
    None
}

/// One call argument (a string literal or a bare token) and the text after `)`.
fn call_argument(text: &str) -> Option<(&str, &str)> {
    let trimmed = text.trim_start();
    let end = if trimmed.starts_with(['"', '\'']) {
        string_end(trimmed)?
    } else {
        trimmed.find(')')?
    };
    let (argument, tail) = trimmed.split_at(end);
    let tail = tail.trim_start().strip_prefix(')')?;
    Some((argument.trim(), tail))
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(code: &str) -> serde_json::Value {
        match typescript_example(code) {
            ExampleCode::Value(value) => value,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn objects_with_unquoted_keys_trailing_commas_and_dates() {
        let code = "import { Book } from \"@shop/sdk/models/components\";\n\nlet value: Book = {\n  id: \"bk_1\",\n  publishedAt: new Date(\"2024-03-01T09:00:00Z\"),\n  pages: 312,\n  price: BigInt(\"9007199254740993\"),\n  tags: [\"a\", 'b',],\n  \"odd key\": null,\n  url: \"https://example.com/a;b\",\n};\n";
        assert_eq!(
            value(code),
            json!({"id": "bk_1", "publishedAt": "2024-03-01T09:00:00Z", "pages": 312,
                   "price": 9_007_199_254_740_993_u64, "tags": ["a", "b"], "odd key": null,
                   "url": "https://example.com/a;b"})
        );
    }

    #[test]
    fn scalars_and_trailing_comments() {
        let code = "let value: Genre = \"mystery\";\n\n// Open enum: unrecognized values are captured as Unrecognized<string>\n";
        assert_eq!(value(code), json!("mystery"));
        assert_eq!(value("const value: number = 2;"), json!(2));
        assert_eq!(
            value("const value: string[] = [\n  \"a\",\n];"),
            json!(["a"])
        );
    }

    #[test]
    fn blocks_without_a_value_are_not_examples() {
        let none = "import { X } from \"x\";\n\n// No examples available for this model\n";
        assert_eq!(typescript_example(none), ExampleCode::NoExample);
        assert_eq!(
            typescript_example("\"a\" | \"b\" | Unrecognized<string>"),
            ExampleCode::NoExample
        );
    }

    #[test]
    fn what_json_cannot_hold_is_a_reason() {
        let reason = |code: &str| match typescript_example(code) {
            ExampleCode::Unreadable(reason) => reason,
            other => panic!("{other:?}"),
        };
        assert!(
            reason("let value: F = { content: new Blob([\"x\"]) };").contains("`new Blob(...)`")
        );
        assert!(reason("let value: F = `a${b}`;").contains("template"));
        assert!(reason("let value: F = { a: someVariable };").starts_with("not a JSON value"));
        assert!(reason("let value: F = { a: BigInt(x) };").contains("not an integer"));
        assert!(reason("let value: F = \"open").contains("unterminated"));
    }
}
