//! An object's documented keys, hashed once per [`super::Validator`], so a key read from
//! an instance finds its field with one probe instead of a comparison with every field.

use crate::ir::{Field, Object, Presence, Type};

/// The fields of one object by wire name: an open-addressing table of field indices.
#[derive(Debug, Clone, Default)]
pub(super) struct FieldIndex {
    /// The length is a power of two; a slot whose `position` is 0 is empty.
    slots: Vec<Slot>,
    /// Bit `i` for each field `i` that must be present (required, nullable or not), when
    /// the object [fits a bit set](FieldIndex::fits_a_bit_set).
    required: u64,
    /// At most 64 fields, and no wire name shared by two keyed fields (the value walker
    /// checks such a value twice, streaming once): what the fast pass can mirror.
    fits_a_bit_set: bool,
}

/// One field's wire name, as its [`Key`], and its index + 1.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: Key,
    position: u32,
}

/// A name's first sixteen bytes, zero-padded, and its length. Wire names are short: two
/// word comparisons settle most lookups without following a pointer to the name, and
/// only a longer name is compared in full.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Key {
    words: [u64; 2],
    len: u32,
}

const KEY_BYTES: usize = 16;

impl Key {
    pub(super) fn new(name: &str) -> Self {
        let bytes = name.as_bytes();
        let mut prefix = [0u8; KEY_BYTES];
        for (slot, byte) in prefix.iter_mut().zip(bytes) {
            *slot = *byte;
        }
        Self::from_prefix(&prefix, bytes.len(), KEY_BYTES)
    }

    /// The key of `text[start..end]`, read in place: sixteen bytes from `start` with
    /// those past `end` masked off, when `text` holds them (a key read from an instance
    /// is followed by its closing quote and more).
    pub(super) fn within(text: &[u8], start: usize, end: usize) -> Self {
        match (text.get(start..start + KEY_BYTES), text.get(start..end)) {
            (Some(window), Some(name)) => Self::from_prefix(window, name.len(), name.len()),
            (None, Some(name)) => {
                let mut prefix = [0u8; KEY_BYTES];
                for (slot, byte) in prefix.iter_mut().zip(name) {
                    *slot = *byte;
                }
                Self::from_prefix(&prefix, name.len(), KEY_BYTES)
            }
            _ => Self::default(),
        }
    }

    /// `prefix` holds at least sixteen bytes, of which the first `valid` belong to the
    /// name (bytes past them are masked off); `len` is the name's whole length.
    fn from_prefix(prefix: &[u8], len: usize, valid: usize) -> Self {
        let word = |at: usize| {
            let bytes: [u8; 8] = prefix
                .get(at..at + 8)
                .and_then(|bytes| bytes.try_into().ok())
                .unwrap_or_default();
            let kept = valid.saturating_sub(at).min(8);
            let mask = if kept == 8 {
                u64::MAX
            } else {
                (1u64 << (kept * 8)) - 1
            };
            u64::from_le_bytes(bytes) & mask
        };
        Key {
            words: [word(0), word(8)],
            // Wire names are short; a longer one is only ever compared in full.
            len: u32::try_from(len).unwrap_or(u32::MAX),
        }
    }

    /// Where a probe for this key starts, in a table of `mask + 1` slots.
    fn home(&self, mask: usize) -> usize {
        let [low, high] = self.words;
        let mixed =
            (low ^ high.rotate_left(29) ^ u64::from(self.len)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (mixed >> 32) as usize & mask
    }

    fn is_whole(&self) -> bool {
        self.len as usize <= KEY_BYTES
    }
}

impl FieldIndex {
    /// The fields a key can name: not SDK-only ones, which never appear in JSON. A wire
    /// name given twice names its first field, as a search in order would find.
    pub(super) fn new(object: &Object) -> Self {
        let keyed = object.fields.iter().filter(|field| is_keyed(field)).count();
        let size = (keyed * 2).next_power_of_two().max(4);
        let mut index = FieldIndex {
            slots: vec![Slot::default(); size],
            required: 0,
            fits_a_bit_set: object.fields.len() <= 64,
        };
        for (position, field) in object.fields.iter().enumerate() {
            if !is_keyed(field) {
                continue;
            }
            let name = field.wire_name.value.as_str();
            if index.find(&object.fields, name).is_some() {
                index.fits_a_bit_set = false;
                continue;
            }
            if must_be_present(field) && position < 64 {
                index.required |= 1 << position;
            }
            index.insert(name, position);
        }
        index
    }

    fn insert(&mut self, name: &str, position: usize) {
        let key = Key::new(name);
        let mask = self.slots.len() - 1;
        let mut slot = key.home(mask);
        while self.slots[slot].position != 0 {
            slot = (slot + 1) & mask;
        }
        self.slots[slot] = Slot {
            key,
            // Positions fit: an object's fields are counted in the tens.
            position: u32::try_from(position + 1).unwrap_or(u32::MAX),
        };
    }

    /// Whether the fields can be tracked by position in a `u64` (see the field).
    pub(super) fn fits_a_bit_set(&self) -> bool {
        self.fits_a_bit_set
    }

    /// The fields that must be present, as bits by position (see the field).
    pub(super) fn required(&self) -> u64 {
        self.required
    }

    /// The position in `fields` (the object's, as given to [`FieldIndex::new`]) of the
    /// field whose wire name is `key`.
    pub(super) fn find(&self, fields: &[Field], key: &str) -> Option<usize> {
        self.find_key(fields, Key::new(key), key)
    }

    /// [`FieldIndex::find`] with the name's [`Key`] already read.
    pub(super) fn find_key(&self, fields: &[Field], key: Key, name: &str) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut slot = key.home(mask);
        loop {
            let found = self.slots.get(slot)?;
            if found.position == 0 {
                return None;
            }
            let position = found.position as usize - 1;
            if found.key == key && (key.is_whole() || fields.get(position)?.wire_name.value == name)
            {
                return Some(position);
            }
            slot = (slot + 1) & mask;
        }
    }
}

fn must_be_present(field: &Field) -> bool {
    matches!(
        field.presence,
        Presence::Required | Presence::RequiredNullable
    )
}

/// Whether a key can name this field.
pub(super) fn is_keyed(field: &Field) -> bool {
    !matches!(field.ty, Type::FileUpload | Type::SdkOnly)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_keyed_field_and_nothing_else() {
        let spec = crate::load(&crate::FolderSource::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../specs"
        )))
        .ok()
        .and_then(|loaded| loaded.spec)
        .unwrap_or_else(|| panic!("specs/ lowers"));
        for model in spec.models.values() {
            let crate::ir::ModelKind::Object(object) = &model.kind else {
                continue;
            };
            let index = FieldIndex::new(object);
            for field in &object.fields {
                let key = field.wire_name.value.as_str();
                let expected = object
                    .fields
                    .iter()
                    .position(|field| field.wire_name.value == key && is_keyed(field));
                assert_eq!(index.find(&object.fields, key), expected, "{}", model.name);
                assert_eq!(index.find(&object.fields, &format!("{key}_")), None);
            }
            assert_eq!(index.find(&object.fields, ""), None);
        }
    }

    #[test]
    fn a_key_read_in_place_equals_the_key_of_its_name() {
        for name in [
            "",
            "a",
            "id",
            "messages",
            "response_format",
            "sixteen_bytes_16",
            "a_name_longer_than_sixteen",
        ] {
            let quoted = format!("{{\"{name}\": \"seventeen more bytes\"}}");
            let (start, end) = (2, 2 + name.len());
            assert_eq!(
                Key::within(quoted.as_bytes(), start, end),
                Key::new(name),
                "{name}"
            );
            // At the very end of the buffer, with no bytes after the name.
            assert_eq!(
                Key::within(name.as_bytes(), 0, name.len()),
                Key::new(name),
                "{name}"
            );
            assert_ne!(Key::new(name), Key::new(&format!("{name}_")), "{name}");
        }
    }
}
