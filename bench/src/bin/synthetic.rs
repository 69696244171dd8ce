//! A synthetic spec of any size from a real Python-dialect one: copy `k` of every doc
//! is the doc with `K{k}` appended to its title, to every `models.Name` and to every
//! `../models/name.md` link, so each copy is a closed world of the same shapes.
//!
//! Usage: `cargo run --release -p bench --bin synthetic -- SOURCE_SPEC OUT_DIR DOCS`
//! (rounded up to whole copies, so every link resolves).

use std::path::{Path, PathBuf};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [source, out, docs] = args.as_slice() else {
        return Err("usage: synthetic SOURCE_SPEC OUT_DIR DOCS".to_owned());
    };
    let wanted: usize = docs
        .parse()
        .map_err(|_| format!("`{docs}` is not a count"))?;
    let models = Path::new(source).join("models");
    let mut originals: Vec<PathBuf> = std::fs::read_dir(&models)
        .map_err(|err| format!("{}: {err}", models.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    originals.sort();
    let texts: Vec<(String, String)> = originals
        .iter()
        .map(|path| {
            let stem = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let text = std::fs::read_to_string(path).unwrap_or_default();
            (stem, text)
        })
        .collect();
    let target = Path::new(out).join("models");
    std::fs::create_dir_all(&target).map_err(|err| format!("{}: {err}", target.display()))?;
    // Whole copies only, so every link resolves: at least `DOCS` docs.
    let docs = wanted.div_ceil(texts.len()).max(1) * texts.len();
    for index in 0..docs {
        let copy = index / texts.len() + 1;
        let (stem, text) = &texts[index % texts.len()];
        let (name, text) = if copy == 1 {
            (stem.clone(), text.clone())
        } else {
            (format!("{stem}k{copy}"), renamed(text, copy))
        };
        let path = target.join(format!("{name}.md"));
        std::fs::write(&path, text).map_err(|err| format!("{}: {err}", path.display()))?;
    }
    Ok(())
}

/// `text` with every model name and link of copy `copy`.
fn renamed(text: &str, copy: usize) -> String {
    let upper = format!("K{copy}");
    let lower = format!("k{copy}");
    let mut out = String::with_capacity(text.len() + 256);
    let mut lines = text.lines();
    if let Some(title) = lines.next() {
        out.push_str(title);
        out.push_str(&upper);
        out.push('\n');
    }
    for line in lines {
        let line = suffix_after(
            line,
            "models.",
            |c: char| c.is_ascii_alphanumeric() || c == '_',
            &upper,
        );
        let line = suffix_after(&line, "../models/", |c: char| c != '.', &lower);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// `line` with `suffix` after the run of `part` characters that follows each `marker`.
fn suffix_after(line: &str, marker: &str, part: impl Fn(char) -> bool, suffix: &str) -> String {
    let mut out = String::with_capacity(line.len() + 32);
    let mut rest = line;
    while let Some(at) = rest.find(marker) {
        let (before, after) = rest.split_at(at + marker.len());
        out.push_str(before);
        let end = after.find(|c: char| !part(c)).unwrap_or(after.len());
        out.push_str(&after[..end]);
        if end > 0 {
            out.push_str(suffix);
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}
