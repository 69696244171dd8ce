//! The spec cache: a lowered, error-free IR stored under a cache folder and keyed by a
//! fingerprint of every byte it was made from, so `validate` pays for reading and
//! lowering a spec once, not on every run.
//!
//! A run lists the spec's files and asks the file system for their stamps (size, times,
//! inode); when those are the ones the entry was made from, no spec file is read at all.
//! Otherwise it reads every file (their bytes are the key), and on a match skips parsing
//! and lowering. Either way it deserializes only the models asked for and those they
//! reference. The
//! cache is never a source of truth: a missing, stale, foreign or garbled entry is
//! ignored silently and rebuilt; entries are written whole or not at all (a temporary
//! file renamed into place). Specs with errors are never stored: their diagnostics come
//! from a full load, exactly as without the cache.
//!
//! An entry is one file, named by the spec's place (so specs do not evict each other):
//!
//! ```text
//! markmodel-spec-cache 2 <key> <stamps key, or -> <checksum> <index length>\n
//! <index: JSON of the dialect, the undocumented unions, and per model its name, the
//!  byte range of its JSON in the body, and the models it references>
//! <body: every model's JSON, one after another>
//! ```

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::fingerprint::{Fingerprint, GENERATOR, Hasher};
use crate::ir::{Dialect, Model, Spec, Undocumented};
use crate::source::{OVERLAY_PATH, SourceError, SpecSource, Stamp};
use crate::{LoadOptions, Loaded, ModelLookupError};

/// The first word of an entry, with the layout's version.
const MAGIC: &str = "markmodel-spec-cache 2";

/// What a cached load found.
#[derive(Debug)]
pub enum Cached {
    /// The spec lowered without errors: the models asked for and all they reference.
    Clean(Selection),
    /// The spec has errors (or could not be lowered): the whole load, for its
    /// diagnostics, exactly as [`crate::load_with`] returns it.
    Errors(Box<Loaded>),
}

/// The part of a clean spec a command asked for.
#[derive(Debug)]
pub struct Selection {
    /// The spec restricted to the asked models and every model they reference, directly
    /// or not (the whole spec's dialect and undocumented unions). Empty when a name
    /// names no model.
    pub spec: Spec,
    /// The spec name of each asked model, in the order asked; or why one names none.
    pub models: Result<Vec<String>, ModelLookupError>,
    /// Whether it came from the cache (for tests and benchmarks: the results are the same
    /// either way).
    pub hit: bool,
}

/// Loads the models `asked` (spec names or unique titles) of `source` and what they
/// reference, through the cache in `cache_dir` (none: no cache, the same answer).
pub fn load(
    source: &dyn SpecSource,
    options: LoadOptions,
    cache_dir: Option<&Path>,
    asked: &[&str],
) -> Result<Cached, SourceError> {
    let documents = source.documents()?;
    let entry = cache_dir.map(|dir| dir.join(entry_name(source, options)));
    let stored = entry.as_deref().and_then(|path| std::fs::read(path).ok());
    // Taken before any file is read: a file changed after this is read new and stamped
    // old, so the next run reads it again rather than trusting a stale entry.
    let stamps = stamps_key(source, &documents, options);
    if let (Some(stamps), Some(bytes)) = (stamps, &stored)
        && let Some(selection) =
            Stored::parse(bytes, Key::Stamps(stamps)).and_then(|stored| stored.select(asked))
    {
        return Ok(Cached::Clean(selection));
    }
    let prefetched = Prefetched::read(source, documents)?;
    let key = prefetched.key(options);
    if let Some(bytes) = &stored
        && let Some(selection) =
            Stored::parse(bytes, Key::Content(key)).and_then(|stored| stored.select(asked))
    {
        // The same bytes under new stamps (a checkout, a `touch`): stamp the entry anew.
        if let (Some(path), Some(stamps)) = (&entry, stamps) {
            let _ = write_atomically(path, &restamp(bytes, stamps));
        }
        return Ok(Cached::Clean(selection));
    }
    let loaded = crate::load_with(&prefetched, options)?;
    let spec = match loaded.spec {
        Some(spec) if !loaded.diagnostics.has_errors() => spec,
        _ => return Ok(Cached::Errors(Box::new(loaded))),
    };
    if let Some(path) = &entry {
        // A cache that cannot be written only costs the next run a full load.
        let _ = write_atomically(path, &encode(&spec, key, stamps));
    }
    Ok(Cached::Clean(select_owned(spec, asked)))
}

/// The entry's file name: a hash of where the spec is read from, so two specs keep two
/// entries; what the spec holds is in the key inside.
fn entry_name(source: &dyn SpecSource, options: LoadOptions) -> String {
    let mut hasher = Hasher::default();
    hasher
        .text(MAGIC)
        .text(&source.display_path(OVERLAY_PATH))
        .text(options.dialect.map_or("", |dialect| dialect.name()));
    if let Ok(current) = std::env::current_dir() {
        hasher.text(&current.display().to_string());
    }
    format!("spec-{}.ir", hasher.finish())
}

/// A source whose files were all read once, up front: hashed for the key, then handed
/// to the pipeline on a miss (so the IR stored is made of exactly the bytes hashed).
#[derive(Debug)]
struct Prefetched<'a> {
    inner: &'a dyn SpecSource,
    documents: Vec<String>,
    /// Spec-relative path -> bytes (`None`: the file does not exist); taken on read.
    files: RefCell<HashMap<String, Option<Vec<u8>>>>,
    key_parts: Vec<(String, Option<Fingerprint>)>,
}

/// The key of the stamps of every file the IR is made from (as [`Prefetched::key`] names
/// them), or `None` when the source cannot stamp one of them.
fn stamps_key(
    source: &dyn SpecSource,
    documents: &[String],
    options: LoadOptions,
) -> Option<Fingerprint> {
    let files: Vec<&str> = documents
        .iter()
        .map(String::as_str)
        .chain([OVERLAY_PATH])
        .collect();
    let stamps = stamp_all(source, &files)?;
    let mut hasher = Hasher::default();
    hasher
        .text(MAGIC)
        .text(GENERATOR)
        .text(options.dialect.map_or("", |dialect| dialect.name()));
    for (relative, stamp) in files.iter().zip(stamps) {
        hasher
            .text(relative)
            .text(&source.display_path(relative))
            .text(&stamp.to_string());
    }
    Some(hasher.finish())
}

/// Every file's stamp, in order, asked on every core: one `stat` per file is most of a
/// cached run. `None` when a file has no local path or no readable metadata.
fn stamp_all(source: &dyn SpecSource, files: &[&str]) -> Option<Vec<Stamp>> {
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|relative| source.local_path(relative))
        .collect::<Option<_>>()?;
    let per_thread = paths
        .len()
        .div_ceil(crate::parallel::threads_for(paths.len()))
        .max(1);
    let parts: Vec<&[PathBuf]> = paths.chunks(per_thread).collect();
    let stamped = crate::parallel::map_parts(&parts, |part| {
        part.iter()
            .map(|path| Stamp::of(path))
            .collect::<Option<Vec<Stamp>>>()
    });
    let mut out = Vec::with_capacity(paths.len());
    for part in stamped {
        out.extend(part?);
    }
    Some(out)
}

/// Which key an entry is looked up by.
#[derive(Debug, Clone, Copy)]
enum Key {
    /// Every file's bytes.
    Content(Fingerprint),
    /// Every file's stamp.
    Stamps(Fingerprint),
}

impl<'a> Prefetched<'a> {
    fn read(inner: &'a dyn SpecSource, documents: Vec<String>) -> Result<Self, SourceError> {
        let mut files = HashMap::with_capacity(documents.len() + 1);
        let mut key_parts = Vec::with_capacity(documents.len() + 1);
        for relative in documents.iter().map(String::as_str).chain([OVERLAY_PATH]) {
            let bytes = inner.read(relative)?;
            let fingerprint = bytes.as_deref().map(Fingerprint::of_bytes);
            key_parts.push((relative.to_owned(), fingerprint));
            files.insert(relative.to_owned(), bytes);
        }
        Ok(Self {
            inner,
            documents,
            files: RefCell::new(files),
            key_parts,
        })
    }

    /// Everything the IR is made from: the generator, the options, each file's path,
    /// where it is shown from, and its bytes.
    fn key(&self, options: LoadOptions) -> Fingerprint {
        let mut hasher = Hasher::default();
        hasher
            .text(MAGIC)
            .text(GENERATOR)
            .text(options.dialect.map_or("", |dialect| dialect.name()));
        for (relative, fingerprint) in &self.key_parts {
            hasher
                .text(relative)
                .text(&self.inner.display_path(relative));
            match fingerprint {
                Some(fingerprint) => hasher.flag(true).fingerprint(*fingerprint),
                None => hasher.flag(false),
            };
        }
        hasher.finish()
    }
}

impl SpecSource for Prefetched<'_> {
    fn documents(&self) -> Result<Vec<String>, SourceError> {
        Ok(self.documents.clone())
    }

    fn read(&self, relative: &str) -> Result<Option<Vec<u8>>, SourceError> {
        match self.files.borrow_mut().remove(relative) {
            Some(bytes) => Ok(bytes),
            None => self.inner.read(relative),
        }
    }

    fn display_path(&self, relative: &str) -> String {
        self.inner.display_path(relative)
    }
}

/// What an entry says besides the models' own JSON.
#[derive(Debug, Serialize, Deserialize)]
struct Index {
    dialect: Dialect,
    undocumented: BTreeMap<String, Undocumented>,
    /// In the spec's order (sorted by name).
    models: Vec<IndexEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
struct IndexEntry {
    name: String,
    /// The model's JSON: `body[start..start + len]`.
    start: usize,
    len: usize,
    /// Positions in `models` of the models it references.
    references: Vec<u32>,
}

/// The bytes of an entry for `spec`.
fn encode(spec: &Spec, key: Fingerprint, stamps: Option<Fingerprint>) -> Vec<u8> {
    let position: HashMap<&str, u32> = spec
        .models
        .keys()
        .enumerate()
        .map(|(index, name)| (name.as_str(), u32::try_from(index).unwrap_or(u32::MAX)))
        .collect();
    let mut body = Vec::new();
    let mut models = Vec::with_capacity(spec.models.len());
    for (name, model) in &spec.models {
        let start = body.len();
        // The IR is plain data with string keys; serializing it cannot fail.
        let _ = serde_json::to_writer(&mut body, model);
        let mut references: Vec<u32> = crate::check::references(model)
            .iter()
            .filter_map(|referenced| position.get(referenced.as_str()).copied())
            .collect();
        references.sort_unstable();
        references.dedup();
        models.push(IndexEntry {
            name: name.clone(),
            start,
            len: body.len() - start,
            references,
        });
    }
    let index = Index {
        dialect: spec.dialect,
        undocumented: spec.undocumented.clone(),
        models,
    };
    let index = serde_json::to_vec(&index).unwrap_or_default();
    let mut rest = index.clone();
    rest.extend_from_slice(&body);
    let mut out = header(key, stamps, &rest, index.len()).into_bytes();
    out.extend_from_slice(&rest);
    out
}

fn header(key: Fingerprint, stamps: Option<Fingerprint>, rest: &[u8], index_len: usize) -> String {
    let stamps = stamps.map_or_else(|| "-".to_owned(), |stamps| stamps.to_string());
    format!(
        "{MAGIC} {key} {stamps} {} {index_len}\n",
        Fingerprint::of_bytes(rest)
    )
}

/// A whole entry (checked by [`Stored::parse`] already) under new stamps.
fn restamp(bytes: &[u8], stamps: Fingerprint) -> Vec<u8> {
    let newline = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let rest = bytes.get(newline + 1..).unwrap_or_default();
    let fields: Vec<&str> = std::str::from_utf8(&bytes[..newline])
        .unwrap_or_default()
        .split(' ')
        .collect();
    let key = fields.get(2).copied().unwrap_or_default();
    let index_len = fields.last().copied().unwrap_or_default();
    let checksum = Fingerprint::of_bytes(rest);
    let mut out = format!("{MAGIC} {key} {stamps} {checksum} {index_len}\n").into_bytes();
    out.extend_from_slice(rest);
    out
}

/// An entry read back: its index, and the body to deserialize models from.
#[derive(Debug)]
struct Stored<'a> {
    index: Index,
    body: &'a [u8],
}

impl<'a> Stored<'a> {
    /// The entry in `bytes` when it is whole and made for `key`; `None` otherwise.
    fn parse(bytes: &'a [u8], key: Key) -> Option<Self> {
        let newline = bytes.iter().position(|&b| b == b'\n')?;
        let header = std::str::from_utf8(&bytes[..newline]).ok()?;
        let rest = &bytes[newline + 1..];
        let fields = header.strip_prefix(MAGIC)?.strip_prefix(' ')?;
        let mut fields = fields.split(' ');
        let (content, stamps, checksum, index_len) = (
            fields.next()?,
            fields.next()?,
            fields.next()?,
            fields.next()?,
        );
        let matches = match key {
            Key::Content(key) => content == key.to_string(),
            Key::Stamps(key) => stamps == key.to_string(),
        };
        if fields.next().is_some()
            || !matches
            || checksum != Fingerprint::of_bytes(rest).to_string()
        {
            return None;
        }
        let index_len: usize = index_len.parse().ok()?;
        let (index, body) = (rest.get(..index_len)?, rest.get(index_len..)?);
        let index: Index = serde_json::from_slice(index).ok()?;
        Some(Self { index, body })
    }

    /// The asked models and their closure, deserialized; `None` when the entry does not
    /// hold what its index says (then the caller loads the spec afresh).
    fn select(&self, asked: &[&str]) -> Option<Selection> {
        let names = self.index.models.iter().map(|entry| entry.name.as_str());
        let models: Result<Vec<String>, ModelLookupError> = asked
            .iter()
            .map(|asked| crate::find_name(names.clone(), asked).map(str::to_owned))
            .collect();
        let mut spec = Spec {
            dialect: self.index.dialect,
            models: BTreeMap::new(),
            undocumented: self.index.undocumented.clone(),
            // Merged specs are never cached (`select_loaded` serves them).
            sources: Vec::new(),
        };
        let Ok(roots) = &models else {
            return Some(Selection {
                spec,
                models,
                hit: true,
            });
        };
        let mut stack: Vec<usize> = roots
            .iter()
            .filter_map(|root| {
                self.index
                    .models
                    .binary_search_by(|entry| entry.name.as_str().cmp(root))
                    .ok()
            })
            .collect();
        let mut seen = BTreeSet::new();
        while let Some(position) = stack.pop() {
            if !seen.insert(position) {
                continue;
            }
            let entry = self.index.models.get(position)?;
            let json = self
                .body
                .get(entry.start..entry.start.checked_add(entry.len)?)?;
            let model: Model = serde_json::from_slice(json).ok()?;
            spec.models.insert(entry.name.clone(), model);
            stack.extend(entry.references.iter().map(|&index| index as usize));
        }
        Some(Selection {
            spec,
            models,
            hit: true,
        })
    }
}

/// The asked models of a spec loaded without the cache (several sources merged, say),
/// and what they reference: what [`load`] answers, for a spec it does not cache.
pub fn select_loaded(spec: Spec, asked: &[&str]) -> Selection {
    select_owned(spec, asked)
}

/// [`Stored::select`] on a spec just lowered: the same models, without a round trip.
fn select_owned(mut spec: Spec, asked: &[&str]) -> Selection {
    let models: Result<Vec<String>, ModelLookupError> = asked
        .iter()
        .map(|asked| crate::find_model(&spec, asked).map(str::to_owned))
        .collect();
    let keep: BTreeSet<String> = match &models {
        Ok(roots) => closure_names(&spec, roots),
        Err(_) => BTreeSet::new(),
    };
    spec.models.retain(|name, _| keep.contains(name));
    Selection {
        spec,
        models,
        hit: false,
    }
}

/// The names of `roots` and of every model they reference, directly or not.
fn closure_names(spec: &Spec, roots: &[String]) -> BTreeSet<String> {
    let mut keep = BTreeSet::new();
    let mut stack: Vec<String> = roots.to_vec();
    while let Some(name) = stack.pop() {
        let Some(model) = spec.models.get(&name) else {
            continue;
        };
        if keep.insert(name) {
            stack.extend(crate::check::references(model));
        }
    }
    keep
}

/// Writes `bytes` to `path` whole or not at all: into a temporary file beside it, then
/// renamed over it (a reader sees the old entry or the new one, never half of one).
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let temporary = temporary_path(path);
    let written =
        std::fs::write(&temporary, bytes).and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// A temporary name no other process writing the same entry uses at the same time.
fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::FolderSource;

    /// A copy of the repository's `specs/` and an empty cache folder, under the system
    /// temp folder, removed when dropped.
    struct Scratch {
        root: PathBuf,
    }

    impl Scratch {
        fn new() -> Self {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let count = COUNTER.fetch_add(1, Ordering::Relaxed);
            let root = std::env::temp_dir().join(format!(
                "markmodel-spec-cache-{}-{count}",
                std::process::id()
            ));
            let _ = std::fs::remove_dir_all(&root);
            copy_folder(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs"),
                &root.join("specs"),
            );
            Self { root }
        }

        fn specs(&self) -> PathBuf {
            self.root.join("specs")
        }

        fn cache(&self) -> PathBuf {
            self.root.join("cache")
        }

        fn load(&self, asked: &[&str]) -> Cached {
            let source = FolderSource::new(self.specs());
            load(&source, LoadOptions::default(), Some(&self.cache()), asked)
                .expect("the spec reads")
        }

        fn entry(&self) -> PathBuf {
            let entries: Vec<PathBuf> = std::fs::read_dir(self.cache())
                .expect("the cache folder exists")
                .map(|entry| entry.expect("an entry").path())
                .collect();
            assert_eq!(
                entries.len(),
                1,
                "one entry, no temporary left: {entries:?}"
            );
            entries[0].clone()
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.root);
        }
    }

    fn copy_folder(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("create a folder");
        for entry in std::fs::read_dir(from).expect("read the fixture") {
            let entry = entry.expect("an entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("a type").is_dir() {
                copy_folder(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).expect("copy a file");
            }
        }
    }

    fn clean(cached: Cached) -> Selection {
        match cached {
            Cached::Clean(selection) => selection,
            Cached::Errors(loaded) => panic!("unexpected errors: {:?}", loaded.diagnostics),
        }
    }

    /// The models `asked` and their closure, straight from the pipeline.
    fn expected(scratch: &Scratch, asked: &[&str]) -> Spec {
        let loaded = crate::load(&FolderSource::new(scratch.specs())).expect("the spec reads");
        let spec = loaded.spec.expect("the spec lowers");
        let roots: Vec<String> = asked.iter().map(|name| (*name).to_owned()).collect();
        crate::closure(&spec, &roots).expect("the models exist")
    }

    const ASKED: &[&str] = &["Catalog", "BookEntry"];

    #[test]
    fn a_hit_gives_what_a_fresh_load_gives() {
        let scratch = Scratch::new();
        let first = clean(scratch.load(ASKED));
        assert!(!first.hit);
        let second = clean(scratch.load(ASKED));
        assert!(second.hit, "the second load reads the cache");
        let expected = expected(&scratch, ASKED);
        assert_eq!(first.spec, expected);
        assert_eq!(second.spec, expected);
        assert_eq!(first.models, second.models);
        assert_eq!(
            second.models,
            Ok(vec!["Catalog".to_owned(), "BookEntry".to_owned()])
        );
        // Another selection from the same entry.
        let other = clean(scratch.load(&["Author"]));
        assert!(other.hit);
        assert_eq!(other.spec, expected_closure(&scratch, "Author"));
    }

    fn expected_closure(scratch: &Scratch, asked: &str) -> Spec {
        expected(scratch, &[asked])
    }

    #[test]
    fn an_unknown_name_is_reported_the_same_from_the_cache() {
        let scratch = Scratch::new();
        let fresh = clean(scratch.load(&["NoSuchModel"]));
        let cached = clean(scratch.load(&["NoSuchModel"]));
        assert!(cached.hit);
        assert_eq!(
            fresh.models,
            Err(ModelLookupError::Unknown("NoSuchModel".to_owned()))
        );
        assert_eq!(fresh.models, cached.models);
    }

    /// A folder that counts the files read from it, and may have no stamps (as a git
    /// revision has none).
    #[derive(Debug)]
    struct Counting {
        folder: FolderSource,
        stamps: bool,
        reads: AtomicUsize,
    }

    impl Counting {
        fn new(scratch: &Scratch, stamps: bool) -> Self {
            Self {
                folder: FolderSource::new(scratch.specs()),
                stamps,
                reads: AtomicUsize::new(0),
            }
        }

        /// Loads through the cache: whether it was a hit, and how many files were read.
        fn load(&self, scratch: &Scratch) -> (bool, usize) {
            self.reads.store(0, Ordering::Relaxed);
            let cached = load(self, LoadOptions::default(), Some(&scratch.cache()), ASKED)
                .expect("the spec reads");
            (clean(cached).hit, self.reads.load(Ordering::Relaxed))
        }
    }

    impl SpecSource for Counting {
        fn documents(&self) -> Result<Vec<String>, SourceError> {
            self.folder.documents()
        }

        fn read(&self, relative: &str) -> Result<Option<Vec<u8>>, SourceError> {
            self.reads.fetch_add(1, Ordering::Relaxed);
            self.folder.read(relative)
        }

        fn display_path(&self, relative: &str) -> String {
            self.folder.display_path(relative)
        }

        fn local_path(&self, relative: &str) -> Option<PathBuf> {
            self.stamps
                .then(|| self.folder.local_path(relative))
                .flatten()
        }
    }

    #[test]
    fn unchanged_stamps_hit_without_reading_a_spec_file() {
        let scratch = Scratch::new();
        let source = Counting::new(&scratch, true);
        let (hit, reads) = source.load(&scratch);
        assert!(!hit && reads > 0);
        assert_eq!(source.load(&scratch), (true, 0));
    }

    #[test]
    fn the_same_bytes_under_new_stamps_hit_and_are_stamped_anew() {
        let scratch = Scratch::new();
        let source = Counting::new(&scratch, true);
        source.load(&scratch);
        let doc = scratch.specs().join("models/catalog.md");
        let bytes = std::fs::read(&doc).expect("read the doc");
        // Written anew: the same bytes, another change time (and modification time).
        std::fs::remove_file(&doc).expect("remove the doc");
        std::fs::write(&doc, &bytes).expect("write the doc");
        let (hit, reads) = source.load(&scratch);
        assert!(hit, "the same bytes are a hit");
        assert!(reads > 0, "new stamps: the files are read");
        assert_eq!(
            source.load(&scratch),
            (true, 0),
            "and the entry has the new stamps"
        );
    }

    #[test]
    fn a_source_without_stamps_is_keyed_by_its_bytes() {
        let scratch = Scratch::new();
        let source = Counting::new(&scratch, false);
        source.load(&scratch);
        let (hit, reads) = source.load(&scratch);
        assert!(hit);
        assert!(reads > 0);
    }

    #[test]
    fn an_edited_doc_invalidates_the_entry() {
        let scratch = Scratch::new();
        clean(scratch.load(ASKED));
        let doc = scratch.specs().join("models/catalog.md");
        let text = std::fs::read_to_string(&doc).expect("read the doc");
        std::fs::write(&doc, text.replacen("# Catalog", "# Catalog\n\nEdited.", 1))
            .expect("edit the doc");
        let edited = clean(scratch.load(ASKED));
        assert!(!edited.hit, "an edit is a miss");
        assert_eq!(edited.spec, expected(&scratch, ASKED));
        assert!(clean(scratch.load(ASKED)).hit, "and the new entry is used");
    }

    #[test]
    fn garbage_in_the_entry_is_ignored_and_replaced() {
        let scratch = Scratch::new();
        clean(scratch.load(ASKED));
        let entry = scratch.entry();
        let mut bytes = std::fs::read(&entry).expect("read the entry");
        // A flipped byte in the body, then a truncation, then no header at all.
        let last = bytes.len() - 2;
        bytes[last] ^= 0x20;
        for garbage in [
            bytes.clone(),
            bytes[..bytes.len() / 2].to_vec(),
            b"\0junk".to_vec(),
        ] {
            std::fs::write(&entry, garbage).expect("spoil the entry");
            let reloaded = clean(scratch.load(ASKED));
            assert!(!reloaded.hit);
            assert_eq!(reloaded.spec, expected(&scratch, ASKED));
            assert!(clean(scratch.load(ASKED)).hit, "the entry was rebuilt");
        }
        scratch.entry();
    }

    #[test]
    fn a_spec_with_errors_is_loaded_whole_and_never_stored() {
        let scratch = Scratch::new();
        let doc = scratch.specs().join("models/catalog.md");
        let text = std::fs::read_to_string(&doc).expect("read the doc");
        std::fs::write(&doc, text.replacen("*str*", "*List[str*", 1)).expect("break the doc");
        let direct = crate::load(&FolderSource::new(scratch.specs())).expect("the spec reads");
        assert!(direct.has_errors(), "the edit breaks the doc");
        for _ in 0..2 {
            match scratch.load(ASKED) {
                Cached::Errors(loaded) => {
                    assert_eq!(
                        format!("{:?}", loaded.diagnostics),
                        format!("{:?}", direct.diagnostics)
                    );
                }
                Cached::Clean(_) => panic!("a spec with errors loads as clean"),
            }
        }
        assert!(!scratch.cache().exists(), "nothing was stored");
    }
}
