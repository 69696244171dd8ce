//! One quick pass over the text of a JSON value that the parser has already accepted:
//! how deeply it nests, and what its top-level object says under a union's tag key.
//! It lets a union's member be chosen without building the value (see `stream`).

/// What [`scan`] learned about a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Scan<'t> {
    /// The deepest nesting of arrays and objects (`0` for a scalar, `1` for `{}`).
    pub depth: usize,
    pub tag: Tag<'t>,
}

/// The tag key in a top-level object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag<'t> {
    /// No key is the tag (or no tag key was asked for, or the value is no object).
    Absent,
    /// The key appears once; its value, as a string without escapes.
    Text(&'t str),
    /// Anything the quick pass does not decide: a key or a value with escapes, a value
    /// that is no plain string, the key twice. The caller builds the value instead.
    Unclear,
}

/// Scans `text`, which must be one JSON value that parsed (so strings close and
/// brackets balance). `tag` is the key to look for in a top-level object.
pub(super) fn scan<'t>(text: &'t str, tag: Option<&str>) -> Scan<'t> {
    scan_until(text, tag, false)
}

/// The tag of a top-level object alone, read up to its first appearance: for text whose
/// depth is known, when a second tag key would be caught later (as a field seen twice).
pub(super) fn first_tag<'t>(text: &'t str, tag: &str) -> Tag<'t> {
    scan_until(text, Some(tag), true).tag
}

fn scan_until<'t>(text: &'t str, tag: Option<&str>, stop_at_tag: bool) -> Scan<'t> {
    let bytes = text.as_bytes();
    let top_object = bytes.first() == Some(&b'{');
    let mut found = Tag::Absent;
    let (mut depth, mut deepest) = (0usize, 0usize);
    // Inside the top-level object, a string right after `{` or `,` is a key.
    let mut key_next = false;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => {
                let end = string_end(bytes, at + 1);
                if key_next && depth == 1 && top_object {
                    key_next = false;
                    if let Some(tag) = tag {
                        found = key_tag(text, at + 1, end, tag, found);
                        if stop_at_tag && found != Tag::Absent {
                            break;
                        }
                    }
                }
                at = end + 1;
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                deepest = deepest.max(depth);
                key_next = depth == 1;
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b',' => key_next = depth == 1,
            _ => {}
        }
        at += 1;
    }
    Scan {
        depth: deepest,
        tag: found,
    }
}

/// What a key at `start..end` (inside its quotes) says about the tag, given what was
/// found before it.
fn key_tag<'t>(text: &'t str, start: usize, end: usize, tag: &str, before: Tag<'t>) -> Tag<'t> {
    let key = &text.as_bytes()[start..end];
    if key.contains(&b'\\') {
        // An escaped key may spell the tag.
        return Tag::Unclear;
    }
    if key != tag.as_bytes() {
        return before;
    }
    if before != Tag::Absent {
        return Tag::Unclear;
    }
    string_value(text, end + 1).map_or(Tag::Unclear, Tag::Text)
}

/// The plain string value after the key ending at `from` (its `"`), if it is one.
fn string_value(text: &str, from: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut at = from + 1;
    while bytes
        .get(at)
        .is_some_and(|b| b.is_ascii_whitespace() || *b == b':')
    {
        at += 1;
    }
    if bytes.get(at) != Some(&b'"') {
        return None;
    }
    let end = string_end(bytes, at + 1);
    let inner = text.get(at + 1..end)?;
    (!inner.contains('\\')).then_some(inner)
}

/// The index of the `"` that closes the string whose content starts at `from`.
fn string_end(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'"' => return at,
            b'\\' => at += 2,
            _ => at += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_depth() {
        assert_eq!(scan("1", None).depth, 0);
        assert_eq!(scan("\"[{\"", None).depth, 0);
        assert_eq!(scan("{}", None).depth, 1);
        assert_eq!(scan(r#"[{"a": [1, "]]\"["]}, []]"#, None).depth, 3);
    }

    #[test]
    fn finds_the_tag_at_the_top_level_only() {
        let tag = |text: &'static str| scan(text, Some("type")).tag;
        assert_eq!(tag(r#"{"a": 1, "type" : "text"}"#), Tag::Text("text"));
        assert_eq!(tag(r#"{"a": {"type": "x"}}"#), Tag::Absent);
        assert_eq!(tag(r#"{"a": "type", "b": ["type"]}"#), Tag::Absent);
        assert_eq!(tag(r#"{"type": "a", "type": "b"}"#), Tag::Unclear);
        assert_eq!(tag(r#"{"typ\u0065": "a"}"#), Tag::Unclear);
        assert_eq!(tag(r#"{"type": "a\"b"}"#), Tag::Unclear);
        assert_eq!(tag(r#"{"type": null}"#), Tag::Unclear);
        assert_eq!(tag(r#"[{"type": "a"}]"#), Tag::Absent);
        assert_eq!(scan(r#"{"type": "a"}"#, None).tag, Tag::Absent);
        assert_eq!(
            first_tag(r#"{"type": "a", "type": "b"}"#, "type"),
            Tag::Text("a")
        );
    }
}
