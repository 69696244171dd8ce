//! GitHub Actions workflow commands: the one place annotations are spelled and escaped,
//! for every command that offers `--format github`.

use std::fmt::Write as _;

/// The severity of an annotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Error,
    Warning,
    Notice,
}

impl Level {
    pub fn command(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Notice => "notice",
        }
    }
}

/// Where an annotation points: a file as the user names it, and a 1-based line when the
/// file has one to show (a missing file has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: Option<u32>,
}

/// One annotation: `::error file=F,line=N,title=T::message`, one line, every value
/// escaped.
pub fn annotation(level: Level, place: Option<&Place>, title: &str, message: &str) -> String {
    let mut properties: Vec<(&str, String)> = Vec::new();
    if let Some(place) = place {
        properties.push(("file", place.file.clone()));
        if let Some(line) = place.line {
            properties.push(("line", line.to_string()));
        }
    }
    // The runner reads a title only with a file; without one it goes into the message.
    let message = if place.is_none() && !title.is_empty() {
        format!("{title}: {message}")
    } else {
        if !title.is_empty() {
            properties.push(("title", title.to_owned()));
        }
        message.to_owned()
    };
    command(level.command(), &properties, &message)
}

/// A workflow command line with any properties; the caller orders them.
pub fn command(name: &str, properties: &[(&str, String)], message: &str) -> String {
    let mut line = format!("::{name}");
    for (index, (key, value)) in properties.iter().enumerate() {
        let separator = if index == 0 { ' ' } else { ',' };
        let _ = write!(line, "{separator}{key}={}", escape(value, true));
    }
    let _ = writeln!(line, "::{}", escape(message, false));
    line
}

/// Escapes workflow-command data (`%`, CR, LF) and, in properties, also `:` and `,`.
pub fn escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

/// A spec-relative (or crate-relative) path under the folder the user named, with `/`
/// separators and without `.` or empty segments: `specs` and `models/a.md` give
/// `specs/models/a.md`, an empty root (a `git:REV:` source) gives `models/a.md`.
pub fn join(root: &str, relative: &str) -> String {
    let absolute = root.starts_with('/');
    let joined = root
        .split(['/', '\\'])
        .chain(relative.split('/'))
        .filter(|segment| !segment.is_empty() && *segment != ".")
        .collect::<Vec<_>>()
        .join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_commands() {
        assert_eq!(escape("a:b,c%\n", true), "a%3Ab%2Cc%25%0A");
        assert_eq!(escape("a:b,c%\r\n", false), "a:b,c%25%0D%0A");
    }

    #[test]
    fn spells_annotations() {
        let place = Place {
            file: "specs/a,b.md".to_owned(),
            line: Some(3),
        };
        assert_eq!(
            annotation(Level::Error, Some(&place), "x: y", "50% off\nnow"),
            "::error file=specs/a%2Cb.md,line=3,title=x%3A y::50%25 off%0Anow\n"
        );
        assert_eq!(
            annotation(Level::Notice, None, "", "done"),
            "::notice::done\n"
        );
        assert_eq!(
            annotation(Level::Warning, None, "t", "m"),
            "::warning::t: m\n"
        );
    }

    #[test]
    fn joins_the_root_the_user_named() {
        assert_eq!(join("specs", "models/a.md"), "specs/models/a.md");
        assert_eq!(join("./specs/", "models/a.md"), "specs/models/a.md");
        assert_eq!(join("", "models/a.md"), "models/a.md");
        assert_eq!(join("/tmp/x", "a.md"), "/tmp/x/a.md");
    }
}
