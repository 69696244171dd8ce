//! Where `codegen`'s time goes, phase by phase, on a real corpus (mistral-python-2.5.1,
//! 1,051 docs): read (files and markdown into document models), dialect (every Type cell
//! through the type grammar, alone), lower (to the IR; includes the dialect's work),
//! check, plan (names, derives, fingerprints), emit (tokens of every model file), format
//! (parse and print them), and write (sync into an empty folder on the real disk, and a
//! no-op sync). Run: `cargo bench -p bench --bench phases`.
//!
//! Each phase is timed on its own, its input prepared outside the timing; all run on one
//! thread here, where `codegen` spreads emit and format over every core.

use std::path::PathBuf;

use markmodel::document::{Block, Document};
use markmodel::ir::Dialect;
use markmodel::output::{Mode, OutputFile};
use markmodel::{FolderSource, Read};

// As the command line does: see `cli/src/main.rs`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus() -> PathBuf {
    std::env::var_os("SPEC_CORPORA")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpora"))
        })
        .join("mistral-python-2.5.1")
}

/// Scratch folders on the real disk (the target folder), not on tmpfs.
fn scratch(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/bench-phases"
    ))
    .join(name)
}

struct Loaded {
    read: Read,
    spec: markmodel::ir::Spec,
    files: Vec<OutputFile>,
}

fn loaded() -> &'static Loaded {
    static LOADED: std::sync::OnceLock<Loaded> = std::sync::OnceLock::new();
    LOADED.get_or_init(|| {
        let source = FolderSource::new(corpus());
        let read = markmodel::read_spec(&source).expect("the corpus reads");
        let loaded = markmodel::load(&source).expect("the corpus reads");
        let spec = loaded.spec.expect("the corpus lowers");
        let files = markmodel::emit::emit(&spec).expect("the corpus emits");
        Loaded { read, spec, files }
    })
}

fn main() {
    // Loaded before any timing, so no phase's first sample pays for it.
    let _ = loaded();
    divan::main();
}

#[divan::bench(sample_count = 10)]
fn read() -> Read {
    markmodel::read_spec(&FolderSource::new(corpus())).expect("the corpus reads")
}

/// Every Type cell of every table, parsed by the Python grammar.
#[divan::bench(sample_count = 10)]
fn dialect() -> usize {
    let read = &loaded().read;
    read.documents
        .iter()
        .map(|document| type_cells(document, read))
        .sum()
}

fn type_cells(document: &Document, read: &Read) -> usize {
    let text = &read.files.get(document.file).text;
    let mut parsed = 0;
    for block in &document.blocks {
        let Block::Table(table) = block else {
            continue;
        };
        let column = table.header.cells.iter().position(|cell| {
            text[cell.span.start as usize..cell.span.end as usize].trim() == "Type"
        });
        let Some(column) = column else {
            continue;
        };
        for row in &table.rows {
            if let Some(cell) = row.cells.get(column) {
                parsed += usize::from(
                    Dialect::Python
                        .type_cell(&cell.content, cell.span, text)
                        .is_ok(),
                );
            }
        }
    }
    parsed
}

#[divan::bench(sample_count = 10)]
fn lower() -> markmodel::ir::Spec {
    let read = &loaded().read;
    markmodel::lower::lower(&read.documents, &read.files, None, Dialect::Python).0
}

#[divan::bench(sample_count = 10)]
fn check() -> usize {
    let loaded = loaded();
    markmodel::check::check(&loaded.spec, &loaded.read.files)
        .iter()
        .count()
}

/// Names, derives, boxed edges, and the fingerprint of every file's inputs.
#[divan::bench(sample_count = 10)]
fn plan() -> usize {
    let options = markmodel::emit::Options::default();
    let planned = markmodel::emit::plan(&loaded().spec, &options).expect("plans");
    planned.inputs().count()
}

#[divan::bench(sample_count = 10)]
fn emit(bencher: divan::Bencher) {
    let options = markmodel::emit::Options::default();
    let planned = markmodel::emit::plan(&loaded().spec, &options).expect("plans");
    bencher.bench_local(|| planned.model_tokens());
}

#[divan::bench(sample_count = 10)]
fn format(bencher: divan::Bencher) {
    let options = markmodel::emit::Options::default();
    let planned = markmodel::emit::plan(&loaded().spec, &options).expect("plans");
    bencher
        .with_inputs(|| planned.model_tokens())
        .bench_local_values(|tokens| tokens.format().expect("formats"));
}

/// Every file into an empty folder on the disk, as a first `codegen` does.
#[divan::bench(sample_count = 10)]
fn write_into_empty_folder(bencher: divan::Bencher) {
    let files = &loaded().files;
    let mut run = 0;
    bencher
        .with_inputs(|| {
            run += 1;
            let dir = scratch(&format!("empty-{run}"));
            let _ = std::fs::remove_dir_all(&dir);
            Scratch(dir)
        })
        .bench_local_values(|dir| {
            markmodel::output::sync(&dir.0, files, "", Mode::Write).expect("writes");
            dir
        });
}

/// A sync that finds every file as wanted: it reads and compares them all.
#[divan::bench(sample_count = 10)]
fn write_nothing_changed(bencher: divan::Bencher) {
    let files = &loaded().files;
    let dir = Scratch(scratch("unchanged"));
    markmodel::output::sync(&dir.0, files, "", Mode::Write).expect("writes");
    bencher.bench_local(|| markmodel::output::sync(&dir.0, files, "", Mode::Write));
}

/// A folder removed when dropped (outside the timing).
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
