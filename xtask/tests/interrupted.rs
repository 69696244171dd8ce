//! A `codegen` run killed at any moment leaves every file old or new, never torn (and a
//! fresh crate's `src/` absent or whole), and the next run finishes the job: the crate
//! ends exactly as an uninterrupted run makes it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn corpus(name: &str) -> Option<PathBuf> {
    let corpora = std::env::var_os("SPEC_CORPORA").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpora"),
        PathBuf::from,
    );
    let path = corpora.join(name);
    if path.is_dir() {
        return Some(path);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "corpus {} is missing under CI",
        path.display()
    );
    eprintln!("skipped: corpus {} is missing", path.display());
    None
}

fn codegen(spec: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command
        .args(["codegen", "--specs"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    command
}

fn run(spec: &Path, out: &Path) {
    let status = codegen(spec, out)
        .status()
        .unwrap_or_else(|err| panic!("{err}"));
    assert!(status.success(), "codegen of {} failed", spec.display());
}

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn visit(dir: &Path, relative: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let child = format!("{relative}{name}");
            if entry.path().is_dir() {
                visit(&entry.path(), &format!("{child}/"), out);
            } else if let Ok(bytes) = std::fs::read(entry.path()) {
                out.insert(child, bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    visit(dir, "", &mut out);
    out
}

/// A staged file or folder a killed run left (or a file inside such a folder).
fn is_leftover(path: &str) -> bool {
    path.split('/')
        .any(|name| name.starts_with('.') && name.contains(".tmp-"))
}

#[test]
fn a_killed_run_leaves_old_or_new_files_and_the_next_run_finishes() {
    let (Some(old_spec), Some(new_spec)) = (
        corpus("mistral-python-1.7.0"),
        corpus("mistral-python-2.5.1"),
    ) else {
        return;
    };
    let root = std::env::temp_dir().join(format!("xtask-interrupted-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    // One folder name, so the `Cargo.toml` each writes names the same package.
    let (old_dir, new_dir, work) = (
        root.join("old/models"),
        root.join("new/models"),
        root.join("work/models"),
    );
    run(&old_spec, &old_dir);
    let started = Instant::now();
    run(&new_spec, &new_dir);
    let full_run = started.elapsed();
    let (old, new) = (tree(&old_dir), tree(&new_dir));

    let mut states = BTreeMap::<&str, usize>::new();
    for step in 0..10u32 {
        run(&old_spec, &work);
        // From a third of a run to its end: the writes come last.
        let delay = full_run.mul_f64(0.35 + 0.07 * f64::from(step));
        let mut child = codegen(&new_spec, &work)
            .spawn()
            .unwrap_or_else(|err| panic!("{err}"));
        if step % 2 == 0 {
            std::thread::sleep(delay);
        } else {
            // Renames come in path order, `README.md` first: kill right after it, midway.
            let readme = work.join("README.md");
            while child.try_wait().ok().flatten().is_none()
                && std::fs::read(&readme).ok().as_ref() != new.get("README.md")
            {
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
        }
        let _ = child.kill();
        let _ = child.wait();

        let mut seen_old = false;
        let mut seen_new = false;
        for (path, bytes) in tree(&work) {
            if is_leftover(&path) {
                continue; // a staged file never renamed: not a module, removed next run
            }
            let is_old = old.get(&path) == Some(&bytes);
            let is_new = new.get(&path) == Some(&bytes);
            assert!(
                is_old || is_new,
                "killed after {delay:?}: `{path}` is neither the old nor the new file"
            );
            seen_old |= is_old && !is_new;
            seen_new |= is_new && !is_old;
        }
        let state = match (seen_old, seen_new) {
            (true, true) => "midway",
            (false, true) => "finished",
            _ => "untouched",
        };
        *states.entry(state).or_default() += 1;
    }
    // Into a folder that does not exist yet: `src/` is written beside its place and
    // renamed in whole, so a killed run leaves it absent or complete.
    for step in 0..4u32 {
        let _ = std::fs::remove_dir_all(&work);
        let delay = full_run.mul_f64(0.4 + 0.18 * f64::from(step));
        let mut child = codegen(&new_spec, &work)
            .spawn()
            .unwrap_or_else(|err| panic!("{err}"));
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let files = tree(&work);
        for (path, bytes) in &files {
            if is_leftover(path) {
                continue;
            }
            assert!(
                new.get(path) == Some(bytes),
                "killed a fresh run after {delay:?}: `{path}` is not the new file"
            );
        }
        let sources = files.keys().filter(|path| path.starts_with("src/")).count();
        let expected = new.keys().filter(|path| path.starts_with("src/")).count();
        assert!(
            sources == 0 || sources == expected,
            "killed a fresh run after {delay:?}: {sources} of {expected} files in src/"
        );
        let state = if sources == 0 {
            "fresh, no src"
        } else {
            "fresh, finished"
        };
        *states.entry(state).or_default() += 1;
    }
    eprintln!("killed runs by what they left: {states:?}");

    run(&new_spec, &work);
    let finished = tree(&work);
    let extra: Vec<&String> = finished
        .keys()
        .filter(|path| !new.contains_key(*path))
        .collect();
    let missing: Vec<&String> = new
        .keys()
        .filter(|path| !finished.contains_key(*path))
        .collect();
    assert!(
        extra.is_empty() && missing.is_empty(),
        "the next run removes leftovers and ends with the same files: extra {extra:?}, missing {missing:?}"
    );
    assert!(
        finished == new,
        "the next run ends byte for byte as an uninterrupted run"
    );
    let _ = std::fs::remove_dir_all(&root);
}
