//! The first pass of [`super::Validator::validate_json`]: a byte-level walk over the JSON
//! text, driven by the validator's tables, that only decides whether an instance is
//! certainly clean (valid JSON as serde_json reads it, and no finding of any level).
//!
//! It never reports anything. Whatever it cannot vouch for (a finding, a syntax doubt,
//! an escape where the content matters, a duplicate key, deep nesting, a number near a
//! limit) makes it give up, and the streaming passes of `stream` run as before and word
//! the findings; so it only has to be sound, never complete. The clean path allocates
//! nothing.
//!
//! Inside a union a second answer matters: a member that certainly draws an error is
//! [`Stop::Rejected`], so the next member is tried, as the value walker does.

use super::keys::{FieldIndex, Key};
use super::{TagTable, Validator, address};
use crate::ir::{
    DateFormat, Enum, EnumRepr, Field, LiteralValue, Model, ModelKind, Object, Presence, Type,
    Union, UnionMember,
};
use crate::shape;

/// Whether `json` is certainly a clean instance of `model`: the exact passes would
/// report no finding and accept the text as JSON.
/// Being a `str`, every slice of it between ASCII delimiters is one too.
pub(super) fn is_clean<'s>(tables: &Validator<'s>, model: &'s Model, json: &str) -> bool {
    let mut walk = FastWalk {
        tables,
        text: json,
        bytes: json.as_bytes(),
        at: 0,
        depth: 0,
        tolerated_null: false,
    };
    walk.skip_whitespace();
    if walk.model(model).is_err() {
        return false;
    }
    walk.skip_whitespace();
    walk.at == json.len()
}

/// Why the walk left a value before its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The walk cannot vouch for the value: the exact passes decide.
    Unsure,
    /// The value certainly draws an error as this type (if the text is JSON at all): a
    /// union goes on to its next member. Claimed only where the value walker reports an
    /// error whatever follows; an instance is only ever called clean after a whole walk
    /// without a stop, so a rejection on text that is no JSON cannot make it clean.
    Rejected,
}

type Walked = Result<(), Stop>;

/// Nesting beyond this is left to the exact passes: serde_json refuses 128 levels, and
/// the margin keeps the fast pass clear of that edge.
const DEPTH_LIMIT: usize = 100;

/// A string's content (between its quotes) as offsets into the text.
#[derive(Debug, Clone, Copy)]
struct Quoted {
    start: usize,
    end: usize,
    /// Whether it has an escape (valid ones only: anything else stops the walk).
    escaped: bool,
}

/// A JSON number as serde_json reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Number {
    /// An integer token that is an `i64`.
    Integer(i64),
    /// An integer token above `i64::MAX` that is a `u64`: an integer's shape, but no
    /// integer (64-bit) for the value walker.
    Unsigned,
    /// A fraction or exponent, `-0`, or a negative integer below `i64::MIN`: an `f64`
    /// for serde_json.
    Fraction,
}

/// An object model that was read whole and has no error.
#[derive(Debug, Clone, Copy)]
struct ObjectRead {
    /// How many of its documented keys it holds (what a union compares members by).
    known: u32,
    /// Whether it draws a warning.
    warned: bool,
}

/// What a tagged union's object says under its tag key.
#[derive(Debug, Clone, Copy)]
enum TagSays<'t> {
    Absent,
    /// The text a tag value is matched by: a plain string, or `true` / `false`.
    Key(&'t str),
}

struct FastWalk<'v, 's> {
    tables: &'v Validator<'s>,
    text: &'v str,
    bytes: &'v [u8],
    /// The next byte to read.
    at: usize,
    /// How many arrays and objects enclose `at`.
    depth: usize,
    /// Set with the [`Stop::Unsure`] of a null read as absent (a warning only), so the
    /// object walk can go on past it.
    tolerated_null: bool,
}

impl<'v, 's> FastWalk<'v, 's> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// Reads exactly `word` (`true`, `false`, `null`).
    fn word(&mut self, word: &[u8]) -> Walked {
        if self.bytes.get(self.at..self.at + word.len()) != Some(word) {
            return Err(Stop::Unsure);
        }
        self.at += word.len();
        Ok(())
    }

    fn slice(&self, quoted: Quoted) -> Result<&'v str, Stop> {
        self.text.get(quoted.start..quoted.end).ok_or(Stop::Unsure)
    }

    /// Validates the value at `at` as `ty`, leaving `at` after it.
    fn value(&mut self, ty: &'s Type) -> Walked {
        match ty {
            Type::String | Type::Bytes => self.string().map(drop),
            Type::Integer => match self.number()? {
                Number::Integer(_) => Ok(()),
                Number::Unsigned | Number::Fraction => Err(Stop::Rejected),
            },
            Type::Float => self.number().map(drop),
            Type::Boolean => self.boolean().map(drop),
            Type::Any => self.any(),
            Type::Date { format } => self.date(format.value),
            Type::List(item) => self.list(item),
            Type::Map(item) => self.map(item),
            Type::Nullable(inner) => match self.peek() {
                Some(b'n') => self.word(b"null"),
                _ => self.value(inner),
            },
            Type::Literal(literal) => self.literal(literal),
            Type::Model(name) => match self.tables.resolve(name) {
                Some(model) => self.model(model),
                None => Err(Stop::Unsure),
            },
            // The value walker rejects any value of these.
            Type::FileUpload | Type::SdkOnly | Type::EventStream(_) => Err(Stop::Rejected),
        }
    }

    fn model(&mut self, model: &'s Model) -> Walked {
        match &model.kind {
            ModelKind::Object(object) => self.object(object),
            ModelKind::Enum(enumeration) => self.enumeration(enumeration),
            ModelKind::Union(union) => self.union(model, union),
        }
    }

    // Scalars.

    /// A string of any content; a value of another kind is rejected.
    fn string(&mut self) -> Result<Quoted, Stop> {
        if self.peek() != Some(b'"') {
            return Err(Stop::Rejected);
        }
        self.quoted()
    }

    /// A string whose content is compared: escapes are left to the exact passes, which
    /// compare the decoded text.
    fn plain_string(&mut self) -> Result<&'v str, Stop> {
        let quoted = self.string()?;
        if quoted.escaped {
            return Err(Stop::Unsure);
        }
        self.slice(quoted)
    }

    /// Reads the string whose opening quote is at `at`: the syntax serde_json accepts,
    /// found eight bytes at a time.
    fn quoted(&mut self) -> Result<Quoted, Stop> {
        let start = self.at + 1;
        let mut at = start;
        let mut escaped = false;
        loop {
            at = next_special(self.bytes, at).ok_or(Stop::Unsure)?;
            match self.bytes.get(at) {
                Some(b'"') => {
                    self.at = at + 1;
                    return Ok(Quoted {
                        start,
                        end: at,
                        escaped,
                    });
                }
                Some(b'\\') => {
                    escaped = true;
                    at = escape_end(self.bytes, at).ok_or(Stop::Unsure)?;
                }
                // A control character, which serde_json refuses inside a string.
                _ => return Err(Stop::Unsure),
            }
        }
    }

    /// A number, as serde_json classifies it; a value of another kind is rejected, and
    /// a number that might overflow is left to the exact passes.
    fn number(&mut self) -> Result<Number, Stop> {
        let negative = match self.peek() {
            Some(b'-') => true,
            Some(b'0'..=b'9') => false,
            _ => return Err(Stop::Rejected),
        };
        let bytes = self.bytes;
        let digits_start = self.at + usize::from(negative);
        let (magnitude, mut at) = integer_part(bytes, digits_start)?;
        let mut integral = true;
        if bytes.get(at) == Some(&b'.') {
            integral = false;
            at = digits_after(bytes, at + 1).ok_or(Stop::Unsure)?;
        }
        if let Some(b'e' | b'E') = bytes.get(at) {
            integral = false;
            at += 1;
            if let Some(b'+' | b'-') = bytes.get(at) {
                at += 1;
            }
            let from = at;
            at = digits_after(bytes, at).ok_or(Stop::Unsure)?;
            // Two exponent digits keep a mantissa of at most 20 digits far from the
            // edges of f64.
            if at - from > 2 {
                return Err(Stop::Unsure);
            }
        }
        self.at = at;
        Ok(if integral {
            integer(negative, magnitude)
        } else {
            Number::Fraction
        })
    }

    fn boolean(&mut self) -> Result<bool, Stop> {
        match self.peek() {
            Some(b't') => self.word(b"true").map(|()| true),
            Some(b'f') => self.word(b"false").map(|()| false),
            _ => Err(Stop::Rejected),
        }
    }

    /// The same check as the value walker's, on the raw text.
    fn date(&mut self, format: DateFormat) -> Walked {
        let text = self.plain_string()?;
        let parsed = match format {
            DateFormat::DateTime => text
                .parse::<chrono::DateTime<chrono::FixedOffset>>()
                .is_ok(),
            DateFormat::Date => text.parse::<chrono::NaiveDate>().is_ok(),
        };
        if parsed { Ok(()) } else { Err(Stop::Rejected) }
    }

    fn literal(&mut self, literal: &LiteralValue) -> Walked {
        let matches = match literal {
            LiteralValue::String(expected) => self.plain_string()? == expected,
            LiteralValue::Integer(expected) => self.number()? == Number::Integer(*expected),
            LiteralValue::Boolean(expected) => self.boolean()? == *expected,
        };
        if matches { Ok(()) } else { Err(Stop::Rejected) }
    }

    /// Any JSON value: its syntax alone.
    fn any(&mut self) -> Walked {
        match self.peek() {
            Some(b'{') => self.entries(|walk, _| walk.any()),
            Some(b'[') => self.items(Self::any),
            Some(b'"') => self.quoted().map(drop),
            Some(b't') => self.word(b"true"),
            Some(b'f') => self.word(b"false"),
            Some(b'n') => self.word(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            _ => Err(Stop::Unsure),
        }
    }

    // Containers.

    fn enter(&mut self) -> Walked {
        self.at += 1;
        self.depth += 1;
        if self.depth > DEPTH_LIMIT {
            return Err(Stop::Unsure);
        }
        self.skip_whitespace();
        Ok(())
    }

    /// After a value inside a container: `Ok(true)` after a comma (another value
    /// follows), `Ok(false)` after the closing byte.
    fn next_in(&mut self, close: u8) -> Result<bool, Stop> {
        self.skip_whitespace();
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                self.skip_whitespace();
                Ok(true)
            }
            Some(byte) if byte == close => {
                self.at += 1;
                self.depth -= 1;
                Ok(false)
            }
            _ => Err(Stop::Unsure),
        }
    }

    /// The array at `at`, each item read by `item`.
    fn items(&mut self, mut item: impl FnMut(&mut Self) -> Walked) -> Walked {
        self.enter()?;
        if self.peek() == Some(b']') {
            self.at += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            item(self)?;
            if !self.next_in(b']')? {
                return Ok(());
            }
        }
    }

    /// The object at `at`, each value read by `entry` (given its key, `at` on the value).
    fn entries(&mut self, mut entry: impl FnMut(&mut Self, Quoted) -> Walked) -> Walked {
        self.enter()?;
        if self.peek() == Some(b'}') {
            self.at += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            if self.peek() != Some(b'"') {
                return Err(Stop::Unsure);
            }
            let key = self.quoted()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(Stop::Unsure);
            }
            self.at += 1;
            self.skip_whitespace();
            entry(self, key)?;
            if !self.next_in(b'}')? {
                return Ok(());
            }
        }
    }

    fn list(&mut self, item: &'s Type) -> Walked {
        if self.peek() != Some(b'[') {
            return Err(Stop::Rejected);
        }
        self.items(|walk| walk.value(item))
    }

    /// A map's keys are any strings, and a key given twice is harmless: every value is
    /// checked, and the exact passes keep one of them.
    fn map(&mut self, item: &'s Type) -> Walked {
        if self.peek() != Some(b'{') {
            return Err(Stop::Rejected);
        }
        self.entries(|walk, _| walk.value(item))
    }

    // Models.

    /// An object model, clean.
    fn object(&mut self, object: &'s Object) -> Walked {
        match self.object_read(object)? {
            ObjectRead { warned: false, .. } => Ok(()),
            ObjectRead { warned: true, .. } => Err(Stop::Unsure),
        }
    }

    /// An object model read to its end. A warning (an undocumented key, a tolerated
    /// null) does not stop the walk: a missing required field after it still makes the
    /// object [`Stop::Rejected`], and a union compares members that accept with warnings.
    fn object_read(&mut self, object: &'s Object) -> Result<ObjectRead, Stop> {
        if self.peek() != Some(b'{') {
            return Err(Stop::Rejected);
        }
        let Some(index) = self.known_fields(object) else {
            return Err(Stop::Unsure);
        };
        let mut seen: u64 = 0;
        let mut warned = false;
        self.entries(|walk, key| {
            if key.escaped {
                return Err(Stop::Unsure);
            }
            let name = walk.slice(key)?;
            let read = Key::within(walk.bytes, key.start, key.end);
            let Some(position) = index.find_key(&object.fields, read, name) else {
                return match &object.additional_properties {
                    Some(extra) => walk.value(&extra.value),
                    None => {
                        warned = true;
                        walk.any()
                    }
                };
            };
            let bit = 1u64 << position;
            if seen & bit != 0 {
                // The exact passes see a value given twice differently (each of them
                // streaming, the last in a union).
                return Err(Stop::Unsure);
            }
            seen |= bit;
            match walk.field(object.fields.get(position).ok_or(Stop::Unsure)?) {
                Err(Stop::Unsure) if walk.tolerated_null => {
                    walk.tolerated_null = false;
                    warned = true;
                    Ok(())
                }
                walked => walked,
            }
        })?;
        if seen & index.required() != index.required() {
            return Err(Stop::Rejected);
        }
        Ok(ObjectRead {
            known: seen.count_ones(),
            warned,
        })
    }

    /// The object's field index, when the fast pass can track its fields by position.
    fn known_fields(&self, object: &Object) -> Option<&'v FieldIndex> {
        let tables: &'v Validator<'s> = self.tables;
        tables
            .fields
            .get(&address(object))
            .filter(|index| index.fits_a_bit_set())
    }

    /// A field's value: null is judged by the field's presence, as the value walker does.
    fn field(&mut self, field: &'s Field) -> Walked {
        if self.peek() != Some(b'n') {
            return self.value(&field.ty);
        }
        self.word(b"null")?;
        match field.presence {
            Presence::RequiredNullable | Presence::OptionalNullable => Ok(()),
            // Tolerated with a warning.
            Presence::Optional => {
                self.tolerated_null = true;
                Err(Stop::Unsure)
            }
            Presence::Required | Presence::Defaulted => Err(Stop::Rejected),
        }
    }

    fn enumeration(&mut self, enumeration: &Enum) -> Walked {
        let known = match enumeration.repr {
            EnumRepr::String => {
                let text = self.plain_string()?;
                enumeration.values.iter().any(
                    |known| matches!(&known.value, LiteralValue::String(value) if value == text),
                )
            }
            EnumRepr::Integer => match self.number()? {
                Number::Integer(number) => enumeration
                    .values
                    .iter()
                    .any(|known| known.value == LiteralValue::Integer(number)),
                Number::Unsigned | Number::Fraction => return Err(Stop::Rejected),
            },
        };
        match (known, enumeration.open.value) {
            (true, _) => Ok(()),
            // An undocumented value of an open enum is a warning.
            (false, true) => Err(Stop::Unsure),
            (false, false) => Err(Stop::Rejected),
        }
    }

    // Unions, chosen as the value walker chooses.

    fn union(&mut self, model: &'s Model, union: &'s Union) -> Walked {
        match &union.tag {
            Some(_) => self.tagged(model, union),
            None => self.by_shape(model, union, None),
        }
    }

    fn tagged(&mut self, model: &'s Model, union: &'s Union) -> Walked {
        let tables: &'v Validator<'s> = self.tables;
        let Some(table) = tables.tag_table(model) else {
            return Err(Stop::Unsure);
        };
        if self.peek() != Some(b'{') {
            return Err(Stop::Rejected);
        }
        match self.find_tag(table)? {
            TagSays::Absent if table.fallback.is_empty() => Err(Stop::Rejected),
            TagSays::Absent => self.by_shape(model, union, Some(&table.fallback)),
            TagSays::Key(key) => {
                let member = table
                    .members
                    .iter()
                    .find(|(_, _, member_key)| member_key == key);
                match member {
                    Some((_, object, _)) => self.object(object),
                    // Kept as the `Unknown` member, with a warning.
                    None if table.open => Err(Stop::Unsure),
                    None => Err(Stop::Rejected),
                }
            }
        }
    }

    /// Finds the tag among the keys of the object at `at`, without moving: a scan that
    /// trusts the syntax, which the member's walk then checks. When every member names
    /// its tag `wire_tag`, the first appearance will do (a second one is a field given
    /// twice to the member's walk); otherwise the whole object is read for a second.
    fn find_tag(&self, table: &TagTable<'_>) -> Result<TagSays<'v>, Stop> {
        let bytes = self.bytes;
        let wire_tag = table.wire_tag.as_bytes();
        let mut found = TagSays::Absent;
        let mut seen_once = false;
        let (mut at, mut depth, mut key_next) = (self.at + 1, 1usize, true);
        loop {
            match *bytes.get(at).ok_or(Stop::Unsure)? {
                b'"' => {
                    let end = string_close(bytes, at + 1).ok_or(Stop::Unsure)?;
                    if depth == 1 && key_next {
                        key_next = false;
                        let key = bytes.get(at + 1..end).ok_or(Stop::Unsure)?;
                        if memchr::memchr(b'\\', key).is_some() {
                            // An escaped key may spell the tag.
                            return Err(Stop::Unsure);
                        }
                        if key == wire_tag {
                            if seen_once {
                                return Err(Stop::Unsure);
                            }
                            seen_once = true;
                            found = self.tag_value(end + 1)?;
                            if table.uniform {
                                return Ok(found);
                            }
                        }
                    }
                    at = end;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(found);
                    }
                }
                b',' => key_next = depth == 1,
                _ => {}
            }
            at += 1;
        }
    }

    /// The tag value after its key's closing quote at `from - 1`.
    fn tag_value(&self, from: usize) -> Result<TagSays<'v>, Stop> {
        let bytes = self.bytes;
        let mut at = from;
        while let Some(b' ' | b'\n' | b'\t' | b'\r' | b':') = bytes.get(at) {
            at += 1;
        }
        match bytes.get(at) {
            Some(b'"') => {
                let end = string_close(bytes, at + 1).ok_or(Stop::Unsure)?;
                let text = self.text.get(at + 1..end).ok_or(Stop::Unsure)?;
                if text.contains('\\') {
                    return Err(Stop::Unsure);
                }
                Ok(TagSays::Key(text))
            }
            Some(b't') if bytes.get(at..at + 4) == Some(b"true") => Ok(TagSays::Key("true")),
            Some(b'f') if bytes.get(at..at + 5) == Some(b"false") => Ok(TagSays::Key("false")),
            // No string, boolean or integer: the value walker's error.
            Some(b'{' | b'[') => Err(Stop::Rejected),
            // A null tag reads as absent, an integer as its digits: left to the exact passes.
            _ => Err(Stop::Unsure),
        }
    }

    /// The members at `only` (all when `None`) whose shape fits the value are tried in
    /// order: the first that accepts a non-object wins; for an object every member is
    /// walked, since the value walker picks the one that knows most keys.
    fn by_shape(&mut self, model: &Model, union: &'s Union, only: Option<&[usize]>) -> Walked {
        let shape = self.shape_here()?;
        let tables: &'v Validator<'s> = self.tables;
        let fitting = union
            .members
            .iter()
            .zip(tables.member_shapes(model))
            .enumerate()
            .filter(|(index, (_, member_shape))| {
                *member_shape & shape != 0 && only.is_none_or(|only| only.contains(index))
            })
            .map(|(_, (member, _))| member);
        if shape == shape::OBJECT {
            return self.every_member_decides(fitting);
        }
        let start = (self.at, self.depth);
        for member in fitting {
            match self.value(&member.ty) {
                Err(Stop::Rejected) => (self.at, self.depth) = start,
                walked => return walked,
            }
        }
        // No member accepts: the union's own error.
        Err(Stop::Rejected)
    }

    /// An object several members may take. The value walker picks, among the members
    /// that accept it, the one that knows most of its keys (the first on a tie): clean
    /// when every member is decided and that one accepts it without a warning.
    fn every_member_decides(&mut self, members: impl Iterator<Item = &'s UnionMember>) -> Walked {
        let start = (self.at, self.depth);
        // (keys known, warned, where the value ends) of the best accepting member.
        let mut best: Option<(u32, bool, (usize, usize))> = None;
        for member in members {
            (self.at, self.depth) = start;
            let read = match self.object_member(&member.ty) {
                Some(object) => self.object_read(object),
                None => self.value(&member.ty).map(|()| ObjectRead {
                    known: 0,
                    warned: false,
                }),
            };
            match read {
                Ok(read) => {
                    if best.is_none_or(|(known, _, _)| read.known > known) {
                        best = Some((read.known, read.warned, (self.at, self.depth)));
                    }
                }
                Err(Stop::Rejected) => {}
                Err(Stop::Unsure) => return Err(Stop::Unsure),
            }
        }
        match best {
            Some((_, false, end)) => {
                (self.at, self.depth) = end;
                Ok(())
            }
            Some((_, true, _)) => Err(Stop::Unsure),
            None => Err(Stop::Rejected),
        }
    }

    /// The object a member names directly (the only members whose keys the value walker
    /// counts).
    fn object_member(&self, ty: &'s Type) -> Option<&'s Object> {
        let Type::Model(name) = ty else {
            return None;
        };
        match &self.tables.spec.models.get(name)?.kind {
            ModelKind::Object(object) => Some(object),
            _ => None,
        }
    }

    /// The JSON shape of the value at `at`, as `shape::of_value` gives it.
    fn shape_here(&mut self) -> Result<u8, Stop> {
        Ok(match self.peek() {
            Some(b'{') => shape::OBJECT,
            Some(b'[') => shape::ARRAY,
            Some(b'"') => shape::STRING,
            Some(b't' | b'f') => shape::BOOL,
            Some(b'n') => shape::NULL,
            Some(b'-' | b'0'..=b'9') => {
                let start = self.at;
                let number = self.number()?;
                self.at = start;
                match number {
                    Number::Integer(_) | Number::Unsigned => shape::INTEGER,
                    Number::Fraction => shape::FRACTION,
                }
            }
            _ => return Err(Stop::Unsure),
        })
    }
}

/// The integer part of a number from `from` (after any sign): its value and end. One
/// that overflows a `u64` (an `f64` for serde_json, which may be out of range) is left
/// to the exact passes, as is a leading zero followed by a digit (a syntax error).
fn integer_part(bytes: &[u8], from: usize) -> Result<(u64, usize), Stop> {
    match bytes.get(from) {
        Some(b'0') if matches!(bytes.get(from + 1), Some(b'0'..=b'9')) => Err(Stop::Unsure),
        Some(b'0') => Ok((0, from + 1)),
        Some(b'1'..=b'9') => {
            let mut value: u64 = 0;
            let mut at = from;
            while let Some(&digit @ b'0'..=b'9') = bytes.get(at) {
                value = value
                    .checked_mul(10)
                    .and_then(|tens| tens.checked_add(u64::from(digit - b'0')))
                    .ok_or(Stop::Unsure)?;
                at += 1;
            }
            Ok((value, at))
        }
        _ => Err(Stop::Unsure),
    }
}

/// An integer token as serde_json reads it: a negative one as `i64` when it fits and is
/// not `-0`, else as `f64`; a positive one as `u64`.
fn integer(negative: bool, magnitude: u64) -> Number {
    if !negative {
        return i64::try_from(magnitude).map_or(Number::Unsigned, Number::Integer);
    }
    if magnitude == 0 {
        return Number::Fraction;
    }
    match 0i64.checked_sub_unsigned(magnitude) {
        Some(value) => Number::Integer(value),
        None => Number::Fraction,
    }
}

/// The end of one or more digits from `from`; `None` when there is none.
fn digits_after(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(b'0'..=b'9') = bytes.get(at) {
        at += 1;
    }
    (at > from).then_some(at)
}

/// The end of the escape whose backslash is at `at`: the escapes serde_json accepts,
/// less `\u` surrogates (which must pair up; the exact passes judge them).
fn escape_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at + 1)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(at + 2),
        b'u' => {
            let hex = std::str::from_utf8(bytes.get(at + 2..at + 6)?).ok()?;
            if !hex.bytes().all(|byte| byte.is_ascii_hexdigit()) {
                return None;
            }
            let unit = u16::from_str_radix(hex, 16).ok()?;
            (!(0xD800..0xE000).contains(&unit)).then_some(at + 6)
        }
        _ => None,
    }
}

/// The closing quote of the string whose content starts at `from`, skipping escapes
/// without checking them.
fn string_close(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        at += memchr::memchr2(b'"', b'\\', bytes.get(at..)?)?;
        match bytes.get(at)? {
            b'"' => return Some(at),
            _ => at += 2,
        }
    }
}

const LANES: u64 = 0x0101_0101_0101_0101;

/// The first `"`, `\` or control character from `from`.
fn next_special(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().ok()?);
        let found = special_lanes(word);
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let tail = bytes.get(at..)?;
    tail.iter()
        .position(|&byte| byte == b'"' || byte == b'\\' || byte < 0x20)
        .map(|offset| at + offset)
}

/// The high bit of each byte of `word` that is `"`, `\` or below 0x20. A borrow can
/// mark bytes above a true match, never below it: the lowest mark is exact.
fn special_lanes(word: u64) -> u64 {
    let zero_lanes = |x: u64| x.wrapping_sub(LANES) & !x;
    let quotes = zero_lanes(word ^ (LANES * u64::from(b'"')));
    let backslashes = zero_lanes(word ^ (LANES * u64::from(b'\\')));
    let controls = word.wrapping_sub(LANES * 0x20) & !word;
    (quotes | backslashes | controls) & (LANES * 0x80)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> crate::ir::Spec {
        crate::load(&crate::FolderSource::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../specs"
        )))
        .ok()
        .and_then(|loaded| loaded.spec)
        .unwrap_or_else(|| panic!("specs/ lowers"))
    }

    /// The fast verdict on each case, checked against the streaming passes: clean only
    /// when they find nothing, and `expected` (whether the fast pass decides it) as
    /// written, so a pass that gives up on everything fails here too.
    #[test]
    fn decides_edge_cases_soundly() {
        let spec = spec();
        let validator = Validator::new(&spec);
        let cases: &[(&str, &str, bool)] = &[
            ("ShelfSlot", r#"{"isbn": "x", "position": 3}"#, true),
            ("ShelfSlot", " {\"isbn\":\"x\",\"position\":3}\n", true),
            (
                "ShelfSlot",
                r#"{"isbn": "a\n\u00e9\/b", "position": 3}"#,
                true,
            ),
            (
                "ShelfSlot",
                r#"{"isbn": "x", "position": 9223372036854775807}"#,
                true,
            ),
            (
                "ShelfSlot",
                r#"{"isbn": "x", "position": -9223372036854775808}"#,
                true,
            ),
            (
                "ShelfSlot",
                r#"{"isbn": "x", "position": 9223372036854775808}"#,
                false,
            ),
            ("ShelfSlot", r#"{"isbn": "x", "position": 3.0}"#, false),
            ("ShelfSlot", r#"{"isbn": "x", "position": 3e0}"#, false),
            ("ShelfSlot", r#"{"isbn": "x", "position": -0}"#, false),
            ("ShelfSlot", r#"{"isbn": "x", "position": 03}"#, false),
            ("ShelfSlot", r#"{"isbn": "x", "position": "3"}"#, false),
            ("ShelfSlot", r#"{"isbn": "x"}"#, false),
            ("ShelfSlot", r#"{"isbn": "x", "position": 3} x"#, false),
            ("ShelfSlot", r#"{"isbn": "x", "position": 3,}"#, false),
            (
                "ShelfSlot",
                r#"{"isbn": "x", "isbn": "y", "position": 3}"#,
                false,
            ),
            ("ShelfSlot", r#"{"isbn": "\ud800", "position": 3}"#, false),
            ("ShelfSlot", r#"{"isbn": "\x", "position": 3}"#, false),
            ("ShelfSlot", "{\"isbn\": \"\u{1}\", \"position\": 3}", false),
            (
                "ShelfSlot",
                r#"{"isbn": "x", "position": 3, "extra": 1}"#,
                false,
            ),
            ("ShelfSlot", r#"{"is\u0062n": "x", "position": 3}"#, false),
            ("Series", r#"{"title": "x"}"#, true),
            ("Series", r#"{"title": "x", "surprise": 1}"#, false),
            ("CatalogEntry", r#"{"type": "book", "isbn": "x"}"#, true),
            ("CatalogEntry", r#"{"isbn": "x", "type": "book"}"#, true),
            ("CatalogEntry", r#"{"isbn": "x"}"#, true),
            ("CatalogEntry", r#"{"type": "dvd", "isbn": "x"}"#, false),
            ("CatalogEntry", r#"{"type": null, "isbn": "x"}"#, false),
            (
                "CatalogEntry",
                r#"{"type": "book", "type": "book", "isbn": "x"}"#,
                false,
            ),
            (
                "CatalogEntry",
                r#"{"typ\u0065": "book", "isbn": "x"}"#,
                false,
            ),
            (
                "CatalogEntry",
                r#"{"type": "periodical", "isbn": "x"}"#,
                false,
            ),
            ("LookupResult", r#"{"found": "maybe", "book": {}}"#, false),
            ("And", r#"{"field": "title", "op": "eq", "value": 1}"#, true),
            ("And", r#"{"field": "title", "op": "eq", "and": 5}"#, false),
        ];
        let mut decided = 0;
        for &(model, text, expected) in cases {
            let fast = validator
                .is_certainly_clean(model, text.as_bytes())
                .unwrap_or_else(|err| panic!("{err}"));
            let streamed = validator
                .validate_json_streaming(model, text.as_bytes())
                .unwrap_or_else(|err| panic!("{err}"));
            if fast {
                assert_eq!(streamed, Ok(Vec::new()), "{model}: {text}");
            }
            assert_eq!(fast, expected, "{model}: {text} ({streamed:?})");
            decided += usize::from(fast);
        }
        assert!(decided >= 8);
        // Nesting near serde_json's limit is left to the exact passes.
        let deep = format!("{}{}", "[".repeat(101), "]".repeat(101));
        let text = format!(r#"{{"title": "x", "custom": {deep}}}"#);
        assert!(
            !validator
                .is_certainly_clean("Series", text.as_bytes())
                .unwrap_or(true)
        );
        assert!(
            !validator
                .is_certainly_clean("ShelfSlot", b"\xff")
                .unwrap_or(true)
        );
    }

    #[test]
    fn finds_the_first_special_byte() {
        let find = |text: &[u8]| next_special(text, 0);
        assert_eq!(find(b"abc\"def"), Some(3));
        assert_eq!(find(b"abcdefghij\\kl\""), Some(10));
        assert_eq!(find(b"abcdefgh\x1fijk\""), Some(8));
        assert_eq!(find("ééééé\"".as_bytes()), Some(10));
        assert_eq!(find(b"\x7f\x80\xff abcdefgh"), None);
        assert_eq!(find(b""), None);
        for position in 0..20 {
            for special in [b'"', b'\\', 0, 0x1f] {
                let mut text = vec![b'a'; 24];
                text[position] = special;
                assert_eq!(find(&text), Some(position), "{special} at {position}");
            }
        }
    }

    #[test]
    fn escapes_as_serde_json_reads_them() {
        for (escape, ends) in [
            (&br#"\n"#[..], Some(2)),
            (br#"\/"#, Some(2)),
            (br#"\u00e9"#, Some(6)),
            (br#"\u00E9"#, Some(6)),
            (br#"\x"#, None),
            (br#"\u12"#, None),
            (br#"\u+123"#, None),
            (br#"\ud83d\ude00"#, None),
            (br#"\udc00"#, None),
            (br"\", None),
        ] {
            assert_eq!(
                escape_end(escape, 0),
                ends,
                "{}",
                String::from_utf8_lossy(escape)
            );
        }
    }
}
