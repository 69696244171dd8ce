//! An object's documented keys, hashed once per [`super::Validator`], so a key read from
//! an instance finds its field with one probe instead of a comparison with every field.

use crate::ir::{Field, Object, Presence, Type};

/// The fields of one object by wire name: an open-addressing table of field indices.
#[derive(Debug, Clone, Default)]
pub(super) struct FieldIndex {
    /// (hash of the wire name, field index + 1) per slot; index 0 is an empty slot. The
    /// length is a power of two.
    slots: Vec<(u32, u32)>,
    /// Bit `i` for each field `i` that must be present (required, nullable or not), when
    /// the object [fits a bit set](FieldIndex::fits_a_bit_set).
    required: u64,
    /// At most 64 fields, and no wire name shared by two keyed fields (the value walker
    /// checks such a value twice, streaming once): what the fast pass can mirror.
    fits_a_bit_set: bool,
}

impl FieldIndex {
    /// The fields a key can name: not SDK-only ones, which never appear in JSON. A wire
    /// name given twice names its first field, as a search in order would find.
    pub(super) fn new(object: &Object) -> Self {
        let keyed = object.fields.iter().filter(|field| is_keyed(field)).count();
        let size = (keyed * 2).next_power_of_two().max(4);
        let mut index = FieldIndex {
            slots: vec![(0, 0); size],
            required: 0,
            fits_a_bit_set: object.fields.len() <= 64,
        };
        let mask = size - 1;
        for (position, field) in object.fields.iter().enumerate() {
            if !is_keyed(field) {
                continue;
            }
            let name = field.wire_name.value.as_str();
            let hash = hash(name);
            let mut slot = hash as usize & mask;
            loop {
                match index.slots[slot] {
                    (_, 0) => {
                        if must_be_present(field) && position < 64 {
                            index.required |= 1 << position;
                        }
                        // Positions fit: an object's fields are counted in the tens.
                        let position = u32::try_from(position + 1).unwrap_or(u32::MAX);
                        index.slots[slot] = (hash, position);
                        break;
                    }
                    (_, taken) if object.fields[taken as usize - 1].wire_name.value == name => {
                        index.fits_a_bit_set = false;
                        break;
                    }
                    _ => slot = (slot + 1) & mask,
                }
            }
        }
        index
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
        let mask = self.slots.len().checked_sub(1)?;
        let hash = hash(key);
        let mut slot = hash as usize & mask;
        loop {
            let (slot_hash, taken) = *self.slots.get(slot)?;
            if taken == 0 {
                return None;
            }
            let position = taken as usize - 1;
            if slot_hash == hash && fields.get(position)?.wire_name.value == key {
                return Some(position);
            }
            slot = (slot + 1) & mask;
        }
    }
}

/// A quick hash of a key, eight bytes at a time: wire names are short, and the table
/// compares the whole name after a hash matches.
fn hash(key: &str) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ key.len() as u64;
    for chunk in key.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        hash = (hash ^ u64::from_le_bytes(word)).wrapping_mul(0x0000_0100_0000_01b3 | (1 << 63));
    }
    (hash ^ (hash >> 29)) as u32
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
}
