//! Fingerprints the library's own sources, so a generated file is never reused across a
//! change to the code that generated it (`fingerprint::GENERATOR`).

use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = Vec::new();
    for dir in ["src", "templates"] {
        println!("cargo:rerun-if-changed={dir}");
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for path in &files {
        let relative = path.strip_prefix(&root).unwrap_or(path);
        hasher.update(relative.to_string_lossy().replace('\\', "/").as_bytes());
        hasher.update(b"\0");
        // Line endings are a checkout's, not the code's: one hash on every platform.
        let text = std::fs::read(path).expect("a source file reads");
        let text: Vec<u8> = text.into_iter().filter(|&byte| byte != b'\r').collect();
        hasher.update(&text);
        hasher.update(b"\0");
    }
    println!(
        "cargo:rustc-env=MARKMODEL_SOURCE_HASH={:032x}",
        hasher.digest128()
    );
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            files.push(path);
        }
    }
}
