//! Mangled input never panics, and every diagnostic points inside its file.

use markmodel::diagnostic::Span;
use tests::{MemorySource, corpus, markdown_files, workspace_root};

/// Real documents to mangle: all of `specs/`, and every 25th document of a corpus.
fn samples() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let specs = workspace_root().join("specs");
    let mut folders = vec![(specs, 1)];
    if let Some(folder) = corpus("mistral-python-2.5.1") {
        folders.push((folder, 25));
    }
    for (folder, step) in folders {
        for path in markdown_files(&folder).into_iter().step_by(step) {
            let bytes =
                std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
            let relative = path
                .strip_prefix(&folder)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((relative, bytes));
        }
    }
    out
}

/// Cuts, swaps of structural characters, and invalid bytes.
fn mutations(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let step = (bytes.len() / 12).max(1);
    for cut in (0..bytes.len()).step_by(step) {
        out.push(bytes[..cut].to_vec());
        let mut removed = bytes.to_vec();
        removed.remove(cut);
        out.push(removed);
    }
    for (from, to) in [
        (b'|', b' '),
        (b'[', b']'),
        (b']', b'['),
        (b'`', b'*'),
        (b'\n', b'|'),
        (b'#', b'`'),
    ] {
        if let Some(at) = bytes.iter().rposition(|&b| b == from) {
            let mut swapped = bytes.to_vec();
            swapped[at] = to;
            out.push(swapped);
        }
    }
    let mut invalid = bytes.to_vec();
    invalid.insert(bytes.len() / 2, 0xFF);
    out.push(invalid);
    out
}

fn assert_spans_in_bounds(loaded: &markmodel::Loaded, what: &str) {
    let in_bounds = |span: Span| {
        let file = loaded.files.get(span.file);
        span.start <= span.end && span.end as usize <= file.text.len()
    };
    for diagnostic in loaded.diagnostics.iter() {
        for label in diagnostic.primary.iter().chain(&diagnostic.secondary) {
            assert!(
                in_bounds(label.span),
                "{what}: {diagnostic:?} points outside its file"
            );
        }
    }
}

#[test]
fn mangled_documents_never_panic() {
    let samples = samples();
    assert!(
        samples.len() > 50,
        "only {} sample documents",
        samples.len()
    );
    let mut runs = 0;
    for (relative, bytes) in &samples {
        for mutated in mutations(bytes) {
            let source = MemorySource::default().with(relative, mutated);
            let loaded = markmodel::lint(&source).unwrap_or_else(|err| panic!("{relative}: {err}"));
            assert_spans_in_bounds(&loaded, relative);
            // Rendering walks every span again, through codespan-reporting.
            let _ = markmodel::render::render(
                &loaded.diagnostics,
                &loaded.files,
                markmodel::render::Format::Human,
            );
            runs += 1;
        }
    }
    assert!(runs > 1000, "only {runs} mutated documents");
}

#[test]
fn arbitrary_bytes_never_panic() {
    let inputs: [&[u8]; 6] = [
        b"",
        b"\xff\xfe\x00",
        b"# \n",
        b"# T\n\n## Fields\n\n|",
        b"# T\n\n## Supported Types\n\n### `",
        b"# T\n\n## Values\n\n- `\"",
    ];
    for input in inputs {
        let source = MemorySource::default().with("models/x.md", input);
        let loaded = markmodel::lint(&source).unwrap_or_else(|err| panic!("{input:?}: {err}"));
        assert!(loaded.has_errors(), "{input:?} should be reported");
        assert_spans_in_bounds(&loaded, &format!("{input:?}"));
    }
}
