//! Fingerprints: a hash of everything a generated file is made from, recorded in the
//! crate folder beside a hash of the file's bytes, so that a run regenerates only the
//! files whose inputs changed or whose bytes are no longer what was written.
//!
//! The record is a cache, never a source of truth: a missing, garbled or foreign record
//! only costs a full regeneration, and a file is reused only when its bytes on disk
//! still hash to what the record says was written for exactly these inputs.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use xxhash_rust::xxh3::Xxh3;

use crate::output::GENERATED_HEADER;

/// Where the record sits, relative to the crate folder.
pub const PATH: &str = "markmodel.fingerprints";

/// The generator itself: its release and a hash of its sources (see `build.rs`), so a
/// file is never reused across a change to the code that generated it.
pub const GENERATOR: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "+",
    env!("MARKMODEL_SOURCE_HASH")
);

/// A 128-bit hash (XXH3): collisions are not a practical concern at this size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint(pub u128);

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl Fingerprint {
    /// The fingerprint of a file's bytes.
    pub fn of_bytes(bytes: &[u8]) -> Self {
        Fingerprint(xxhash_rust::xxh3::xxh3_128(bytes))
    }

    fn parse(text: &str) -> Option<Self> {
        (text.len() == 32)
            .then(|| u128::from_str_radix(text, 16).ok())
            .flatten()
            .map(Fingerprint)
    }
}

/// Builds a [`Fingerprint`] from parts; every part is delimited, so `("ab", "c")` and
/// `("a", "bc")` differ.
#[derive(Clone)]
pub struct Hasher(Xxh3);

impl fmt::Debug for Hasher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Hasher")
    }
}

impl Default for Hasher {
    fn default() -> Self {
        Hasher(Xxh3::new())
    }
}

impl Hasher {
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.text_bytes(text.as_bytes())
    }

    pub fn text_bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    pub fn flag(&mut self, flag: bool) -> &mut Self {
        self.0.update(&[u8::from(flag)]);
        self
    }

    pub fn fingerprint(&mut self, fingerprint: Fingerprint) -> &mut Self {
        self.0.update(&fingerprint.0.to_le_bytes());
        self
    }

    pub fn finish(&self) -> Fingerprint {
        Fingerprint(self.0.digest128())
    }
}

/// What one generated file was made from, and what was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub inputs: Fingerprint,
    pub contents: Fingerprint,
}

/// The record: crate-relative path -> [`Entry`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub entries: BTreeMap<String, Entry>,
}

impl Record {
    /// The record in `crate_dir`; empty when there is none or it cannot be read (it is a
    /// cache: the worst a lost record does is make this run regenerate everything).
    pub fn read(crate_dir: &Path) -> Self {
        match std::fs::read_to_string(crate_dir.join(PATH)) {
            Ok(text) => Self::parse(&text),
            Err(_) => Record::default(),
        }
    }

    /// Parses a record; lines that are not `path inputs contents` are skipped, and a record
    /// without the header line is ignored whole.
    pub fn parse(text: &str) -> Self {
        let mut lines = text.lines();
        if lines.next() != Some(GENERATED_HEADER) {
            return Record::default();
        }
        let entries = lines
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| {
                let mut parts = line.split(' ');
                let (path, inputs, contents) = (parts.next()?, parts.next()?, parts.next()?);
                let entry = Entry {
                    inputs: Fingerprint::parse(inputs)?,
                    contents: Fingerprint::parse(contents)?,
                };
                parts.next().is_none().then(|| (path.to_owned(), entry))
            })
            .collect();
        Record { entries }
    }

    pub fn render(&self) -> String {
        let mut text = String::with_capacity(80 * (self.entries.len() + 4));
        text.push_str(GENERATED_HEADER);
        text.push_str(
            "\n# What each generated file was made from (a hash of its inputs and of the \
             generator) and a hash of its bytes:\n# a file whose inputs are unchanged and whose \
             bytes are intact is not generated again. A cache: safe to delete.\n",
        );
        for (path, entry) in &self.entries {
            text.push_str(&format!("{path} {} {}\n", entry.inputs, entry.contents));
        }
        text
    }

    /// The paths of `wanted` (path -> inputs now) whose file in `crate_dir` is the one
    /// this record says was written for exactly these inputs: its bytes hash to the
    /// recorded contents. A file that cannot be read is simply not intact.
    pub fn intact<'w>(
        &self,
        crate_dir: &Path,
        wanted: impl IntoIterator<Item = (&'w str, Fingerprint)>,
    ) -> BTreeMap<&'w str, Entry> {
        let wanted: Vec<(&str, Fingerprint)> = wanted.into_iter().collect();
        // Reading a thousand files is the cost of a no-op run: spread over every core.
        crate::emit::on_every_core(&wanted, |&(path, inputs)| {
            let entry = *self.entries.get(path)?;
            if entry.inputs != inputs {
                return None;
            }
            let bytes = std::fs::read(crate_dir.join(path)).ok()?;
            (Fingerprint::of_bytes(&bytes) == entry.contents).then_some((path, entry))
        })
        .into_iter()
        .flatten()
        .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(inputs: u128, contents: u128) -> Entry {
        Entry {
            inputs: Fingerprint(inputs),
            contents: Fingerprint(contents),
        }
    }

    #[test]
    fn a_record_reads_back_what_it_rendered() {
        let mut record = Record::default();
        record
            .entries
            .insert("src/lib.rs".to_owned(), entry(1, u128::MAX));
        record
            .entries
            .insert("src/models/a.rs".to_owned(), entry(2, 3));
        assert_eq!(Record::parse(&record.render()), record);
    }

    #[test]
    fn garbled_lines_and_foreign_files_are_ignored() {
        let text = format!(
            "{GENERATED_HEADER}\nsrc/a.rs 01 02\nsrc/b.rs {0} {0}\nsrc/c.rs {0} {0} extra\n",
            Fingerprint(7)
        );
        let record = Record::parse(&text);
        assert_eq!(
            record.entries.keys().collect::<Vec<_>>(),
            ["src/b.rs"],
            "short hashes and extra fields are skipped"
        );
        assert_eq!(Record::parse("src/b.rs 1 2\n"), Record::default());
    }

    #[test]
    fn a_file_is_intact_only_with_the_same_inputs_and_bytes() {
        let dir = std::env::temp_dir().join(format!("markmodel-fp-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).unwrap_or_else(|err| panic!("{err}"));
        std::fs::write(dir.join("src/a.rs"), "a").unwrap_or_else(|err| panic!("{err}"));
        std::fs::write(dir.join("src/b.rs"), "edited").unwrap_or_else(|err| panic!("{err}"));
        let mut record = Record::default();
        let hash_a = Fingerprint::of_bytes(b"a");
        record.entries.insert(
            "src/a.rs".to_owned(),
            Entry {
                inputs: Fingerprint(1),
                contents: hash_a,
            },
        );
        record.entries.insert(
            "src/b.rs".to_owned(),
            Entry {
                inputs: Fingerprint(1),
                contents: Fingerprint::of_bytes(b"b"),
            },
        );
        record.entries.insert(
            "src/c.rs".to_owned(),
            Entry {
                inputs: Fingerprint(1),
                contents: hash_a,
            },
        );
        let wanted = [
            ("src/a.rs", Fingerprint(1)),
            ("src/b.rs", Fingerprint(1)),
            ("src/c.rs", Fingerprint(1)),
        ];
        let intact = record.intact(&dir, wanted);
        assert_eq!(
            intact.keys().copied().collect::<Vec<_>>(),
            ["src/a.rs"],
            "b edited, c missing"
        );
        let changed = record.intact(&dir, [("src/a.rs", Fingerprint(2))]);
        assert!(
            changed.is_empty(),
            "new inputs are never served from the record"
        );
        std::fs::remove_dir_all(&dir).unwrap_or_else(|err| panic!("{err}"));
    }
}
