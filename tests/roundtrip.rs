//! Round trips of the generated models (`generated/`, from `specs/`) through JSON.
//!
//! Every table row is one named case: a JSON text read into a model, and what must come
//! out — the same JSON, another JSON, or an error whose message says what went wrong.
//! A test runs all its rows, collects every failure, and fails once at the end with the
//! whole list, so one run shows every broken case.
//!
//! The contract is the "Presence and nullability" table of the README:
//!
//! | Type cell | absent | null | emitted |
//! |---|---|---|---|
//! | `T` required | error | error | always |
//! | `Nullable[T]` required | error | kept | null or the value |
//! | `Optional[T]` | allowed | read as absent | omitted when absent |
//! | `OptionalNullable[T]` | allowed | kept | exactly as it was |
//! | optional `List`/`Dict`/`date` | allowed | kept | exactly as it was |
//! | required `List`/`Dict`/`date` | error | error | always |
//! | `Literal[x]` required | means x | error | always x |
//! | `Literal[x]` as a union tag | error | error | always x |
//!
//! JSON values are compared as values: objects as key sets, numbers by value (`1.0`
//! equals `1`), and two strings that are both RFC 3339 date-times by instant and offset
//! (chrono may write `+00:00` for `Z`, or another number of fractional digits).

use std::fmt::Display;

use chrono::{DateTime, FixedOffset};
use generated as g;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

// ---------------------------------------------------------------------------------------
// JSON comparison
// ---------------------------------------------------------------------------------------

fn date_time(text: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(text).ok()
}

/// The first difference between two JSON values, with its JSON pointer, or `None`.
fn diff(path: &str, expected: &Value, actual: &Value) -> Option<String> {
    let here = || if path.is_empty() { "/" } else { path };
    match (expected, actual) {
        (Value::Number(left), Value::Number(right)) => {
            let same = match (integer(left), integer(right)) {
                (Some(left), Some(right)) => left == right,
                _ => left.as_f64() == right.as_f64(),
            };
            (!same).then(|| format!("at {}: expected {left}, got {right}", here()))
        }
        (Value::String(left), Value::String(right)) => {
            if left == right {
                return None;
            }
            match (date_time(left), date_time(right)) {
                (Some(l), Some(r)) if l == r && l.offset() == r.offset() => None,
                (Some(l), Some(r)) => Some(format!(
                    "at {}: expected the date-time {l} ({left:?}), got {r} ({right:?})",
                    here()
                )),
                _ => Some(format!("at {}: expected {left:?}, got {right:?}", here())),
            }
        }
        (Value::Array(left), Value::Array(right)) => {
            if left.len() != right.len() {
                return Some(format!(
                    "at {}: expected {} items, got {}: {actual}",
                    here(),
                    left.len(),
                    right.len()
                ));
            }
            left.iter()
                .zip(right)
                .enumerate()
                .find_map(|(index, (l, r))| diff(&format!("{path}/{index}"), l, r))
        }
        (Value::Object(left), Value::Object(right)) => {
            let missing: Vec<&String> = left.keys().filter(|k| !right.contains_key(*k)).collect();
            let extra: Vec<&String> = right.keys().filter(|k| !left.contains_key(*k)).collect();
            if !missing.is_empty() || !extra.is_empty() {
                return Some(format!(
                    "at {}: keys missing from the output {missing:?}, unexpected keys {extra:?}: {actual}",
                    here()
                ));
            }
            left.iter()
                .find_map(|(key, l)| diff(&format!("{path}/{key}"), l, &right[key]))
        }
        _ if expected == actual => None,
        _ => Some(format!("at {}: expected {expected}, got {actual}", here())),
    }
}

fn integer(number: &serde_json::Number) -> Option<i128> {
    number
        .as_i64()
        .map(i128::from)
        .or_else(|| number.as_u64().map(i128::from))
}

fn parse(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|err| panic!("test data is not JSON ({err}): {json}"))
}

// ---------------------------------------------------------------------------------------
// Reading and writing one model
// ---------------------------------------------------------------------------------------

/// What became of one JSON text read as a model.
#[derive(Debug)]
enum Outcome {
    /// Read, and written back as this value.
    Read(Value),
    /// Not read: the deserialization error.
    Rejected(String),
    /// Read, but writing it failed, or its own output could not be read back to the same.
    Broken(String),
}

/// The IR of `specs/`, and each generated type name's model title.
fn spec() -> &'static (
    markmodel::ir::Spec,
    std::collections::BTreeMap<String, String>,
) {
    static SPEC: std::sync::OnceLock<(
        markmodel::ir::Spec,
        std::collections::BTreeMap<String, String>,
    )> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| {
        let folder = tests::workspace_root().join("specs");
        let loaded = markmodel::lint(&markmodel::FolderSource::new(folder))
            .unwrap_or_else(|err| panic!("{err}"));
        let spec = loaded.spec.unwrap_or_else(|| panic!("specs/ has no IR"));
        let titles = spec
            .models
            .keys()
            .map(|title| (markmodel::naming::type_name(title), title.clone()))
            .collect();
        (spec, titles)
    })
}

/// `validate`'s verdict on `json` as the model behind `T`, when `T` is a model.
fn validate_verdict<T>(json: &str) -> Option<bool> {
    let (spec, titles) = spec();
    let type_name = std::any::type_name::<T>().rsplit("::").next()?;
    let title = titles.get(type_name)?;
    let value: Value = serde_json::from_str(json).ok()?;
    let findings = markmodel::validate::validate(spec, title, &value).ok()?;
    Some(
        !findings
            .iter()
            .any(|finding| finding.level == markmodel::validate::Level::Error),
    )
}

/// Reads `json` as `T`, writes it back, and checks that the output reads back to itself.
/// Every hand-written payload is also checked against `validate`, which must agree.
fn codec<T: DeserializeOwned + Serialize>(json: &str) -> Outcome {
    let read = serde_json::from_str::<T>(json);
    if let Some(valid) = validate_verdict::<T>(json)
        && valid != read.is_ok()
    {
        return Outcome::Broken(format!(
            "`validate` says valid={valid}, the generated type {}",
            match &read {
                Ok(_) => "reads it".to_owned(),
                Err(err) => format!("rejects it: {err}"),
            }
        ));
    }
    let model: T = match read {
        Ok(model) => model,
        Err(err) => return Outcome::Rejected(err.to_string()),
    };
    let text = match serde_json::to_string(&model) {
        Ok(text) => text,
        Err(err) => return Outcome::Broken(format!("serializing failed: {err}")),
    };
    let written = parse(&text);
    match serde_json::from_str::<T>(&text) {
        Err(err) => Outcome::Broken(format!("its own output {text} does not read back: {err}")),
        Ok(again) => match serde_json::to_value(&again) {
            Err(err) => Outcome::Broken(format!("serializing failed the second time: {err}")),
            Ok(twice) => match diff("", &written, &twice) {
                Some(difference) => Outcome::Broken(format!(
                    "not stable: {text} read back and written again differs {difference}"
                )),
                None => Outcome::Read(written),
            },
        },
    }
}

/// Reads `json` as `T`, writes it back, and checks the output equals the input as JSON.
fn roundtrip<T: DeserializeOwned + Serialize>(json: &str) -> Result<Value, String> {
    let input = parse(json);
    match codec::<T>(json) {
        Outcome::Read(output) => match diff("", &input, &output) {
            None => Ok(output),
            Some(difference) => Err(format!("round trip changed the JSON {difference}")),
        },
        Outcome::Rejected(err) => Err(format!("rejected: {err}")),
        Outcome::Broken(err) => Err(err),
    }
}

/// The error message for a JSON text that `T` must not accept.
fn rejects<T: DeserializeOwned + Serialize>(json: &str) -> Result<String, String> {
    parse(json);
    match codec::<T>(json) {
        Outcome::Rejected(err) => Ok(err),
        Outcome::Read(output) => Err(format!("accepted, and wrote back {output}")),
        Outcome::Broken(err) => Err(format!("accepted, then: {err}")),
    }
}

/// Reads `json` as `T` (for typed checks).
fn read<T: DeserializeOwned>(json: &str) -> Result<T, String> {
    parse(json);
    serde_json::from_str(json).map_err(|err| format!("rejected: {err}"))
}

/// Writes a model built in Rust and compares it with `expected`.
fn writes<T: Serialize>(model: &T, expected: &str) -> Result<(), String> {
    let written = serde_json::to_value(model).map_err(|err| format!("serializing: {err}"))?;
    match diff("", &parse(expected), &written) {
        None => Ok(()),
        Some(difference) => Err(format!("wrote {written}; {difference}")),
    }
}

/// A model under test, by name.
#[derive(Debug, Clone, Copy)]
struct Codec {
    model: &'static str,
    run: fn(&str) -> Outcome,
}

fn model<T: DeserializeOwned + Serialize>() -> Codec {
    let full = std::any::type_name::<T>();
    Codec {
        model: full.rsplit("::").next().unwrap_or(full),
        run: codec::<T>,
    }
}

// ---------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------

/// One change to a JSON value, at a JSON pointer (`/hyperparameters/learning_rate`).
#[derive(Debug, Clone, Copy)]
enum Edit {
    /// Sets the key (the last segment) to this JSON.
    Set(&'static str, &'static str),
    /// Removes the key.
    Remove(&'static str),
}

fn apply(value: &mut Value, edits: &[Edit]) -> Result<(), String> {
    for edit in edits {
        let (Edit::Set(pointer, _) | Edit::Remove(pointer)) = *edit;
        let (parent, key) = pointer
            .rsplit_once('/')
            .ok_or_else(|| format!("bad pointer {pointer:?}"))?;
        let object = value
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .ok_or_else(|| format!("no object at {parent:?} to edit"))?;
        match *edit {
            Edit::Set(_, json) => {
                object.insert(key.to_owned(), parse(json));
            }
            Edit::Remove(_) => {
                if object.remove(key).is_none() {
                    return Err(format!("test data has no {pointer:?} to remove"));
                }
            }
        }
    }
    Ok(())
}

/// What must come out of one case.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Written back exactly as read.
    Same,
    /// Written back as the input with these edits (`Remove` a key read as absent,
    /// `Set` a constant that was defaulted).
    Changed(&'static [Edit]),
    /// Written back as this JSON.
    Json(&'static str),
    /// Rejected, with an error message containing each of these.
    Rejects(&'static [&'static str]),
    /// Rejected by an untagged union, naming the union and, before any other member,
    /// the member that came closest.
    RejectsClosest {
        union: &'static str,
        closest: &'static str,
        others: &'static [&'static str],
    },
}

#[derive(Debug)]
struct Case {
    name: &'static str,
    codec: Codec,
    input: &'static str,
    edits: &'static [Edit],
    expect: Expect,
}

/// A case on a JSON text as written.
fn case(name: &'static str, codec: Codec, input: &'static str, expect: Expect) -> Case {
    Case {
        name,
        codec,
        input,
        edits: &[],
        expect,
    }
}

/// A case on a base JSON text with edits (a field removed, or set to null or a value).
fn edited(
    name: &'static str,
    codec: Codec,
    base: &'static str,
    edits: &'static [Edit],
    expect: Expect,
) -> Case {
    Case {
        name,
        codec,
        input: base,
        edits,
        expect,
    }
}

fn run_case(case: &Case) -> Result<(), String> {
    let mut input = parse(case.input);
    apply(&mut input, case.edits)?;
    let text = input.to_string();
    let outcome = (case.codec.run)(&text);
    let compare = |expected: &Value, output: &Value| match diff("", expected, output) {
        None => Ok(()),
        Some(difference) => Err(format!(
            "input {text}\n      expected {expected}\n      got      {output}\n      {difference}"
        )),
    };
    match (case.expect, outcome) {
        (_, Outcome::Broken(err)) => Err(format!("input {text}\n      {err}")),
        (Expect::Same, Outcome::Read(output)) => compare(&input, &output),
        (Expect::Changed(edits), Outcome::Read(output)) => {
            let mut expected = input.clone();
            apply(&mut expected, edits)?;
            compare(&expected, &output)
        }
        (Expect::Json(json), Outcome::Read(output)) => compare(&parse(json), &output),
        (Expect::Same | Expect::Changed(_) | Expect::Json(_), Outcome::Rejected(err)) => {
            Err(format!("input {text}\n      rejected: {err}"))
        }
        (Expect::Rejects(_) | Expect::RejectsClosest { .. }, Outcome::Read(output)) => Err(
            format!("input {text}\n      must be rejected, but was read and written as {output}"),
        ),
        (Expect::Rejects(needles), Outcome::Rejected(err)) => {
            let absent: Vec<&&str> = needles.iter().filter(|n| !err.contains(**n)).collect();
            if absent.is_empty() {
                Ok(())
            } else {
                Err(format!(
                    "input {text}\n      rejected, but the message does not mention {absent:?}: {err}"
                ))
            }
        }
        (
            Expect::RejectsClosest {
                union,
                closest,
                others,
            },
            Outcome::Rejected(err),
        ) => {
            let named = |name: &str| err.find(&format!("`{name}`"));
            let Some(at) = named(closest) else {
                return Err(format!(
                    "input {text}\n      the message does not name the closest member `{closest}`: {err}"
                ));
            };
            if named(union).is_none() {
                return Err(format!(
                    "input {text}\n      the message does not name the union `{union}`: {err}"
                ));
            }
            match others
                .iter()
                .find(|other| named(other).is_some_and(|o| o < at))
            {
                Some(other) => Err(format!(
                    "input {text}\n      the message puts `{other}` before the closest member `{closest}`: {err}"
                )),
                None => Ok(()),
            }
        }
    }
}

/// A named check on typed values: `Err` says what was wrong.
type Check = fn() -> Result<(), String>;

/// Collects the failures of one test and reports them all at once.
#[derive(Debug, Default)]
struct Report {
    ran: usize,
    failures: Vec<String>,
}

impl Report {
    fn table(&mut self, cases: &[Case]) {
        for case in cases {
            self.ran += 1;
            if let Err(err) = run_case(case) {
                self.failures.push(format!(
                    "[{}] {}:\n      {err}",
                    case.codec.model, case.name
                ));
            }
        }
    }

    fn checks(&mut self, checks: &[(&'static str, Check)]) {
        for (name, check) in checks {
            self.ran += 1;
            if let Err(err) = check() {
                self.failures.push(format!("{name}:\n      {err}"));
            }
        }
    }

    fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "{} of {} cases failed:\n\n  {}\n",
            self.failures.len(),
            self.ran,
            self.failures.join("\n\n  ")
        );
    }
}

fn ensure(condition: bool, message: impl Display) -> Result<(), String> {
    if condition {
        Ok(())
    } else {
        Err(message.to_string())
    }
}

fn at(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|err| panic!("bad test date {text}: {err}"))
}

// ---------------------------------------------------------------------------------------
// Test data
// ---------------------------------------------------------------------------------------

/// A `Book` with every required field and no optional one.
macro_rules! book {
    () => {
        r#"{"isbn":"9780441013593","title":"Dune","page_count":412,"average_rating":4.25,"in_print":true,"published_on":"1965-08-01T00:00:00Z","summary":"A desert planet and its spice.","weight_grams":null,"translator":null,"authors":[{"name":"Frank Herbert"}]}"#
    };
}

/// A `Loan` with every required field and no optional one.
macro_rules! loan {
    () => {
        r#"{"patron_id":"p-17","from":"2024-03-01T10:00:00Z","until":"2024-03-22T10:00:00Z","status":"active"}"#
    };
}

const BOOK: &str = book!();
const LOAN: &str = loan!();
const CATALOG: &str = r#"{"id":"cat-1","object":"catalog","name":"Main branch","books":[]}"#;
const CATALOG_INDEX: &str = r#"{"tags":["sf","classics"],"last_payload":{"op":"reindex"}}"#;
const SHELF_SLOT: &str = r#"{"position":3,"isbn":"9780441013593"}"#;
const IMPORT_JOB: &str = r#"{"id":"imp-1","object":"job","source_url":"https://example.org/marc.xml","created_at":"2024-01-02T03:04:05Z","completed":false}"#;
const NOTIFICATION: &str =
    r#"{"object":"message","text":"Due soon","sent_at":"2024-03-20T09:00:00Z"}"#;
const BOOK_ENTRY: &str = r#"{"type":"book","isbn":"9780441013593"}"#;
const PERIODICAL_ENTRY: &str = r#"{"type":"periodical","issn":"0036-8733"}"#;
const LOOKUP_HIT: &str = concat!(r#"{"found":true,"book":"#, book!(), "}");
const LOOKUP_MISS: &str = r#"{"found":false}"#;
const FIELD_CONDITION: &str = r#"{"field":"title","op":"eq","value":"Dune"}"#;
const SEARCH_REQUEST: &str = r#"{"query":"dune"}"#;
const PATRON_MESSAGE: &str = r#"{"content":"Do you have Dune?"}"#;
const PUBLISHER: &str = r#"{"name":"Chilton Books"}"#;
const AUTHOR: &str = r#"{"name":"Frank Herbert"}"#;
const JOB: &str = r#"{"id":"ft-1","auto_start":false,"model":"open-mistral-7b","status":"QUEUED","created_at":1716963433,"modified_at":1716963433,"training_files":["file-1"],"hyperparameters":{}}"#;

use Edit::{Remove, Set};
use Expect::{Changed, Json, Rejects, RejectsClosest, Same};

// ---------------------------------------------------------------------------------------
// 1. Presence and nullability
// ---------------------------------------------------------------------------------------

#[test]
fn presence_table() {
    let book = model::<g::Book>();
    let index = model::<g::CatalogIndex>();
    let loan = model::<g::Loan>();
    let slot = model::<g::ShelfSlot>();
    let job = model::<g::CompletionDetailedJobOut>();
    let catalog = model::<g::Catalog>();
    let import = model::<g::ImportJob>();
    let notification = model::<g::Notification>();
    let condition = model::<g::FieldCondition>();
    let search = model::<g::SearchRequest>();
    let publisher = model::<g::Publisher>();
    let author = model::<g::Author>();
    let entry = model::<g::BookEntry>();
    let periodical = model::<g::PeriodicalEntry>();
    let hit = model::<g::LookupHit>();
    let miss = model::<g::LookupMiss>();
    let results = model::<g::SearchResults>();
    let thread = model::<g::ReferenceDeskThread>();
    let retry = model::<g::RetryConfig>();
    let cover = model::<g::CoverUpload>();

    let mut report = Report::default();
    #[rustfmt::skip]
    let cases = [
        // The bases themselves.
        case("base Book", book, BOOK, Same),
        case("base CatalogIndex", index, CATALOG_INDEX, Same),
        case("base Loan", loan, LOAN, Same),
        case("base ShelfSlot", slot, SHELF_SLOT, Same),
        case("base CompletionDetailedJobOut", job, JOB, Same),
        case("base Catalog", catalog, CATALOG, Same),
        case("base ImportJob", import, IMPORT_JOB, Same),
        case("base Notification", notification, NOTIFICATION, Same),
        case("base FieldCondition", condition, FIELD_CONDITION, Same),
        // `T`, required: absent -> error, null -> error.
        // A model is a JSON object: serde's derive would read a struct from an array of its
        // fields too, and neither `validate` nor the SDK would.
        case("an object model as an array of its fields", author, r#"["Frank Herbert",null,null]"#, Rejects(&["sequence", "Author"])),
        case("a model with additional properties as an array", publisher, r#"["Ace",null]"#, Rejects(&["sequence"])),
        edited("required str absent", book, BOOK, &[Remove("/isbn")], Rejects(&["isbn"])),
        edited("required str null", book, BOOK, &[Set("/isbn", "null")], Rejects(&["null"])),
        edited("required int absent", book, BOOK, &[Remove("/page_count")], Rejects(&["page_count"])),
        edited("required int null", book, BOOK, &[Set("/page_count", "null")], Rejects(&["null"])),
        edited("required int given a string", book, BOOK, &[Set("/page_count", r#""412""#)], Rejects(&["412"])),
        edited("required float absent", book, BOOK, &[Remove("/average_rating")], Rejects(&["average_rating"])),
        edited("required float null", book, BOOK, &[Set("/average_rating", "null")], Rejects(&["null"])),
        edited("required float given an integer", book, BOOK, &[Set("/average_rating", "4")], Same),
        edited("required bool absent", book, BOOK, &[Remove("/in_print")], Rejects(&["in_print"])),
        edited("required bool null", book, BOOK, &[Set("/in_print", "null")], Rejects(&["null"])),
        edited("required model absent", job, JOB, &[Remove("/hyperparameters")], Rejects(&["hyperparameters"])),
        edited("required model null", job, JOB, &[Set("/hyperparameters", "null")], Rejects(&["null"])),
        edited("required enum absent", loan, LOAN, &[Remove("/status")], Rejects(&["status"])),
        edited("required enum null", loan, LOAN, &[Set("/status", "null")], Rejects(&["null"])),
        edited("required str in a list item absent", book, BOOK, &[Set("/authors", r#"[{"website":null}]"#)], Rejects(&["name"])),
        edited("required Any absent", condition, FIELD_CONDITION, &[Remove("/value")], Rejects(&["value"])),
        // `Any` includes null in every SDK: null is a value, kept as it was.
        edited("required Any null", condition, FIELD_CONDITION, &[Set("/value", "null")], Same),
        edited("required Any object", condition, FIELD_CONDITION, &[Set("/value", r#"{"in":["a",1,null]}"#)], Same),
        // `Nullable[T]`, required: absent -> error, null -> kept, value -> kept.
        edited("Nullable[str] absent", book, BOOK, &[Remove("/summary")], Rejects(&["summary"])),
        edited("Nullable[str] null", book, BOOK, &[Set("/summary", "null")], Same),
        edited("Nullable[float] absent", book, BOOK, &[Remove("/weight_grams")], Rejects(&["weight_grams"])),
        edited("Nullable[float] value", book, BOOK, &[Set("/weight_grams", "310.5")], Same),
        edited("Nullable[Author] absent", book, BOOK, &[Remove("/translator")], Rejects(&["translator"])),
        edited("Nullable[Author] value", book, BOOK, &[Set("/translator", r#"{"name":"Michel Demuth","website":null}"#)], Same),
        edited("Nullable[str] (ShelfSlot.isbn) absent", slot, SHELF_SLOT, &[Remove("/isbn")], Rejects(&["isbn"])),
        edited("Nullable[str] (ShelfSlot.isbn) null", slot, SHELF_SLOT, &[Set("/isbn", "null")], Same),
        edited("Nullable[Any] absent", index, CATALOG_INDEX, &[Remove("/last_payload")], Rejects(&["last_payload"])),
        edited("Nullable[Any] null", index, CATALOG_INDEX, &[Set("/last_payload", "null")], Same),
        edited("Nullable[Any] array", index, CATALOG_INDEX, &[Set("/last_payload", r#"[1,"two",null,2.5]"#)], Same),
        // `Optional[T]`: absent -> absent, null -> read as absent (written without the key), value -> kept.
        edited("Optional[int] value", book, BOOK, &[Set("/edition", "2")], Same),
        edited("Optional[int] null", book, BOOK, &[Set("/edition", "null")], Changed(&[Remove("/edition")])),
        edited("Optional[Publisher] value", book, BOOK, &[Set("/publisher", PUBLISHER)], Same),
        edited("Optional[Publisher] null", book, BOOK, &[Set("/publisher", "null")], Changed(&[Remove("/publisher")])),
        edited("Optional[Any] value", book, BOOK, &[Set("/custom_data", r#"{"shelfmark":"SF HER","tags":[1,null]}"#)], Same),
        edited("Optional[Any] null", book, BOOK, &[Set("/custom_data", "null")], Same),
        edited("Optional[LoanPeriodDays] null", book, BOOK, &[Set("/loan_period", "null")], Changed(&[Remove("/loan_period")])),
        edited("Optional[ShelfLevel] null", book, BOOK, &[Set("/shelf_level", "null")], Changed(&[Remove("/shelf_level")])),
        edited("Optional[ShelfLevel] value", book, BOOK, &[Set("/shelf_level", r#""2""#)], Same),
        edited("Optional[bool] null (Loan.override)", loan, LOAN, &[Set("/override", "null")], Changed(&[Remove("/override")])),
        edited("Optional[int] null (Loan.renewals)", loan, LOAN, &[Set("/renewals", "null")], Changed(&[Remove("/renewals")])),
        edited("Optional[bytes] null", index, CATALOG_INDEX, &[Set("/snapshot", "null")], Changed(&[Remove("/snapshot")])),
        edited("Optional[bytes] value", index, CATALOG_INDEX, &[Set("/snapshot", r#""H4sIAAAAAAAA""#)], Same),
        edited("Optional[Any] null (CatalogIndex.debug)", index, CATALOG_INDEX, &[Set("/debug", "null")], Same),
        edited("Optional[Any] false (CatalogIndex.debug)", index, CATALOG_INDEX, &[Set("/debug", "false")], Same),
        edited("Optional[one-value enum] null", job, JOB, &[Set("/object", "null")], Changed(&[Remove("/object")])),
        edited("Optional[one-value enum] value", job, JOB, &[Set("/object", r#""job""#)], Same),
        edited("Optional[float] null, nested", job, JOB, &[Set("/hyperparameters/learning_rate", "null")], Changed(&[Remove("/hyperparameters/learning_rate")])),
        edited("Optional[float] value, nested", job, JOB, &[Set("/hyperparameters/learning_rate", "0.0001")], Same),
        edited("Optional[str] null next to additional properties", publisher, PUBLISHER, &[Set("/country", "null")], Changed(&[Remove("/country")])),
        edited("Optional[int] null (SearchRequest.limit)", search, SEARCH_REQUEST, &[Set("/limit", "null")], Changed(&[Remove("/limit")])),
        edited("Optional[ExportFormat] null", search, SEARCH_REQUEST, &[Set("/format", "null")], Changed(&[Remove("/format")])),
        edited("Optional[FilterGroup] null", search, SEARCH_REQUEST, &[Set("/filter", "null")], Changed(&[Remove("/filter")])),
        edited("Optional[tagged union] null (Catalog.lookup)", catalog, CATALOG, &[Set("/lookup", "null")], Changed(&[Remove("/lookup")])),
        edited("Optional[tagged union] value (Catalog.lookup)", catalog, CATALOG, &[Set("/lookup", LOOKUP_MISS)], Same),
        edited("Optional[shape union] null (Catalog.search_response)", catalog, CATALOG, &[Set("/search_response", "null")], Changed(&[Remove("/search_response")])),
        edited("Optional[zero-field model] null (Catalog.ping)", catalog, CATALOG, &[Set("/ping", "null")], Changed(&[Remove("/ping")])),
        edited("Optional[zero-field model] value (Catalog.ping)", catalog, CATALOG, &[Set("/ping", "{}")], Same),
        edited("Optional[CatalogIndex] null", catalog, CATALOG, &[Set("/index", "null")], Changed(&[Remove("/index")])),
        edited("Optional[CoverUpload] null", catalog, CATALOG, &[Set("/cover_upload", "null")], Changed(&[Remove("/cover_upload")])),
        case("Optional without a Required column (RetryConfig): null read as absent", retry, r#"{"strategy":null,"backoff":null,"retry_connection_errors":null}"#, Json("{}")),
        case("Optional without a Required column (RetryConfig): values kept", retry, r#"{"strategy":"backoff","backoff":{"initial_interval":500,"max_interval":60000,"exponent":1.5,"max_elapsed_time":3600000},"retry_connection_errors":true}"#, Same),
        case("Optional without a Required column (BackoffStrategy): null read as absent", model::<g::BackoffStrategy>(), r#"{"exponent":null,"initial_interval":500}"#, Json(r#"{"initial_interval":500}"#)),
        // `OptionalNullable[T]`: absent, null and value each kept exactly.
        edited("OptionalNullable[str] null", book, BOOK, &[Set("/subtitle", "null")], Same),
        edited("OptionalNullable[str] value", book, BOOK, &[Set("/subtitle", r#""Book One""#)], Same),
        edited("OptionalNullable[bool] null", book, BOOK, &[Set("/signed", "null")], Same),
        edited("OptionalNullable[bool] false", book, BOOK, &[Set("/signed", "false")], Same),
        edited("OptionalNullable[Series] null", book, BOOK, &[Set("/series", "null")], Same),
        edited("OptionalNullable[Series] value", book, BOOK, &[Set("/series", r#"{"title":"Dune Chronicles","volume":1}"#)], Same),
        edited("OptionalNullable[str] null (Author.website)", author, AUTHOR, &[Set("/website", "null")], Same),
        edited("OptionalNullable[str] null (job.fine_tuned_model)", job, JOB, &[Set("/fine_tuned_model", "null")], Same),
        edited("OptionalNullable[int] value (job.trained_tokens)", job, JOB, &[Set("/trained_tokens", "1048576")], Same),
        edited("OptionalNullable[int] null (job.trained_tokens)", job, JOB, &[Set("/trained_tokens", "null")], Same),
        edited("OptionalNullable[JobMetadataOut] null", job, JOB, &[Set("/metadata", "null")], Same),
        edited("OptionalNullable[JobMetadataOut] value with nulls", job, JOB, &[Set("/metadata", r#"{"cost":1.5,"cost_currency":null,"train_tokens":null}"#)], Same),
        edited("OptionalNullable[float] null, nested", job, JOB, &[Set("/hyperparameters/weight_decay", "null")], Same),
        edited("OptionalNullable[str] null (Loan.ref)", loan, LOAN, &[Set("/ref", "null")], Same),
        edited("OptionalNullable[Literal] null", index, CATALOG_INDEX, &[Set("/source", "null")], Same),
        edited("OptionalNullable[Literal] value", index, CATALOG_INDEX, &[Set("/source", r#""marc""#)], Same),
        edited("OptionalNullable[Literal] wrong value", index, CATALOG_INDEX, &[Set("/source", r#""marcxml""#)], Rejects(&["marcxml"])),
        // Optional `List`/`Dict`/`date`: null and absent kept exactly.
        edited("optional List[Nullable[Copy]] null", book, BOOK, &[Set("/copies", "null")], Same),
        edited("optional List[Nullable[Copy]] with null items", book, BOOK, &[Set("/copies", r#"[null,{"copy_id":"c-1","use":"reference"},null]"#)], Same),
        edited("optional List[Nullable[Copy]] empty", book, BOOK, &[Set("/copies", "[]")], Same),
        edited("optional List[Nullable[Copy]] item missing its required field", book, BOOK, &[Set("/copies", r#"[{"use":"loan"}]"#)], Rejects(&["copy_id"])),
        edited("deprecated OptionalNullable[str] value kept", book, BOOK, &[Set("/copies", r#"[{"copy_id":"c-1","barcode":"31234000567890"},{"copy_id":"c-2","barcode":null}]"#)], Same),
        edited("required List[Author] with a null item", book, BOOK, &[Set("/authors", "[null]")], Rejects(&["null"])),
        edited("optional List[CatalogEntry] with a null item", catalog, CATALOG, &[Set("/entries", "[null]")], Rejects(&["CatalogEntry"])),
        edited("optional Dict[str, FieldValue] with a null value", book, BOOK, &[Set("/custom_fields", r#"{"a":null}"#)], Rejects(&["FieldValue"])),
        edited("required bytes null (CoverUpload.checksum)", cover, r#"{"file_name":"dune.jpg","checksum":"c2hhMjU2"}"#, &[Set("/checksum", "null")], Rejects(&["null"])),
        edited("required bytes absent (CoverUpload.checksum)", cover, r#"{"file_name":"dune.jpg","checksum":"c2hhMjU2"}"#, &[Remove("/checksum")], Rejects(&["checksum"])),
        edited("optional Dict[str, FieldValue] null", book, BOOK, &[Set("/custom_fields", "null")], Same),
        edited("optional Dict[str, FieldValue] value", book, BOOK, &[Set("/custom_fields", r#"{"genre":"sf","rating":5,"score":4.5,"signed":true}"#)], Same),
        edited("optional date null", book, BOOK, &[Set("/added_at", "null")], Same),
        edited("optional date value", book, BOOK, &[Set("/added_at", r#""2001-09-09T01:46:40Z""#)], Same),
        edited("optional date null (Author.born)", author, AUTHOR, &[Set("/born", "null")], Same),
        edited("optional date null (SearchRequest.published_after)", search, SEARCH_REQUEST, &[Set("/published_after", "null")], Same),
        edited("optional List[str] null (SearchRequest.sort)", search, SEARCH_REQUEST, &[Set("/sort", "null")], Same),
        edited("optional List[Author] null", index, CATALOG_INDEX, &[Set("/authors", "null")], Same),
        edited("optional Dict[str, Any] null", index, CATALOG_INDEX, &[Set("/metadata", "null")], Same),
        edited("optional Dict[str, Any] value with null values", index, CATALOG_INDEX, &[Set("/metadata", r#"{"k":{"nested":[1,2]},"gone":null}"#)], Same),
        edited("optional Dict[str, str] null", index, CATALOG_INDEX, &[Set("/labels", "null")], Same),
        edited("optional Dict[str, str] value", index, CATALOG_INDEX, &[Set("/labels", r#"{"sf":"Science fiction"}"#)], Same),
        edited("optional List[Dict[str, Any]] null", index, CATALOG_INDEX, &[Set("/raw_records", "null")], Same),
        edited("optional List[Dict[str, Any]] value", index, CATALOG_INDEX, &[Set("/raw_records", r#"[{"001":"ocm1"},{}]"#)], Same),
        edited("optional List[List[ShelfSlot]] null", index, CATALOG_INDEX, &[Set("/shelf_grid", "null")], Same),
        edited("optional List[List[ShelfSlot]] value", index, CATALOG_INDEX, &[Set("/shelf_grid", r#"[[{"position":1,"isbn":null},{"position":2,"isbn":"9780441013593"}],[]]"#)], Same),
        edited("optional List[Dict[str, Copy]] null", index, CATALOG_INDEX, &[Set("/copy_maps", "null")], Same),
        edited("optional List[Dict[str, Copy]] value", index, CATALOG_INDEX, &[Set("/copy_maps", r#"[{"B-1":{"copy_id":"c-1"}}]"#)], Same),
        edited("optional Dict[str, Dict[str, Any]] null", index, CATALOG_INDEX, &[Set("/facets", "null")], Same),
        edited("optional Dict[str, Dict[str, Any]] value", index, CATALOG_INDEX, &[Set("/facets", r#"{"lang":{"en":3,"fr":1}}"#)], Same),
        edited("optional Dict[str, Nullable[Loan]] null", index, CATALOG_INDEX, &[Set("/active_loans", "null")], Same),
        edited("optional Dict[str, Nullable[Loan]] with null values", index, CATALOG_INDEX, &[Set("/active_loans", concat!(r#"{"c-1":null,"c-2":"#, loan!(), "}"))], Same),
        edited("optional List[str] null (job.validation_files)", job, JOB, &[Set("/validation_files", "null")], Same),
        edited("optional List[str] value (job.validation_files)", job, JOB, &[Set("/validation_files", r#"["file-2"]"#)], Same),
        edited("optional List[union] null (job.integrations)", job, JOB, &[Set("/integrations", "null")], Same),
        edited("optional List[union] null (job.repositories)", job, JOB, &[Set("/repositories", "null")], Same),
        edited("optional List[EventOut] null", job, JOB, &[Set("/events", "null")], Same),
        edited("optional List[CheckpointOut] null", job, JOB, &[Set("/checkpoints", "null")], Same),
        edited("optional List[CatalogEntry] null", catalog, CATALOG, &[Set("/entries", "null")], Same),
        edited("optional List[CatalogEndpoint] null", catalog, CATALOG, &[Set("/endpoints", "null")], Same),
        edited("optional List[str] null (LookupMiss.suggestions)", miss, LOOKUP_MISS, &[Set("/suggestions", "null")], Same),
        // Required `List`/`Dict`/`date`: absent -> error, null -> error.
        edited("required List[Author] absent", book, BOOK, &[Remove("/authors")], Rejects(&["authors"])),
        edited("required List[Author] null", book, BOOK, &[Set("/authors", "null")], Rejects(&["null"])),
        edited("required List[str] absent", index, CATALOG_INDEX, &[Remove("/tags")], Rejects(&["tags"])),
        edited("required List[str] null", index, CATALOG_INDEX, &[Set("/tags", "null")], Rejects(&["null"])),
        edited("required List[str] null (job.training_files)", job, JOB, &[Set("/training_files", "null")], Rejects(&["null"])),
        edited("required List[Book] null (SearchResults.hits)", results, r#"{"total":0,"hits":[]}"#, &[Set("/hits", "null")], Rejects(&["null"])),
        edited("required List[union] null (ReferenceDeskThread.messages)", thread, r#"{"id":"t-1","messages":[]}"#, &[Set("/messages", "null")], Rejects(&["null"])),
        edited("required date absent", book, BOOK, &[Remove("/published_on")], Rejects(&["published_on"])),
        edited("required date null", book, BOOK, &[Set("/published_on", "null")], Rejects(&["null"])),
        edited("required date null (Loan.from)", loan, LOAN, &[Set("/from", "null")], Rejects(&["null"])),
        edited("required date absent (Loan.until)", loan, LOAN, &[Remove("/until")], Rejects(&["until"])),
        edited("required date null (ImportJob.created_at)", import, IMPORT_JOB, &[Set("/created_at", "null")], Rejects(&["null"])),
        // `Literal[x]`, required: absent -> x (written with the constant), null -> error, other -> error.
        edited("Literal[\"catalog\"] absent", catalog, CATALOG, &[Remove("/object")], Changed(&[Set("/object", r#""catalog""#)])),
        edited("Literal[\"catalog\"] null", catalog, CATALOG, &[Set("/object", "null")], Rejects(&["null"])),
        edited("Literal[\"catalog\"] wrong value", catalog, CATALOG, &[Set("/object", r#""library""#)], Rejects(&["library"])),
        edited("Literal[\"job\"] absent", import, IMPORT_JOB, &[Remove("/object")], Changed(&[Set("/object", r#""job""#)])),
        edited("Literal[\"job\"] null", import, IMPORT_JOB, &[Set("/object", "null")], Rejects(&["null"])),
        edited("Literal[\"job\"] wrong value", import, IMPORT_JOB, &[Set("/object", r#""task""#)], Rejects(&["task"])),
        edited("Literal[\"job\"] wrong type", import, IMPORT_JOB, &[Set("/object", "1")], Rejects(&["1"])),
        edited("Literal[\"book\"] absent (BookEntry alone)", entry, BOOK_ENTRY, &[Remove("/type")], Changed(&[Set("/type", r#""book""#)])),
        edited("Literal[\"book\"] wrong value (BookEntry alone)", entry, BOOK_ENTRY, &[Set("/type", r#""periodical""#)], Rejects(&["periodical"])),
        edited("Literal[\"periodical\"] absent (PeriodicalEntry alone)", periodical, PERIODICAL_ENTRY, &[Remove("/type")], Changed(&[Set("/type", r#""periodical""#)])),
        edited("Literal[True] absent (LookupHit alone)", hit, LOOKUP_HIT, &[Remove("/found")], Changed(&[Set("/found", "true")])),
        edited("Literal[True] wrong value", hit, LOOKUP_HIT, &[Set("/found", "false")], Rejects(&["false"])),
        edited("Literal[True] null", hit, LOOKUP_HIT, &[Set("/found", "null")], Rejects(&["null"])),
        edited("Literal[True] as a string", hit, LOOKUP_HIT, &[Set("/found", r#""true""#)], Rejects(&["true"])),
        edited("Literal[False] absent (LookupMiss alone)", miss, LOOKUP_MISS, &[Remove("/found")], Changed(&[Set("/found", "false")])),
        edited("Literal[False] wrong value", miss, LOOKUP_MISS, &[Set("/found", "true")], Rejects(&["true"])),
        // `Optional[Literal[x]]`: the Optional row, and the constant is still checked.
        edited("Optional[Literal] absent", notification, NOTIFICATION, &[Remove("/object")], Same),
        edited("Optional[Literal] null", notification, NOTIFICATION, &[Set("/object", "null")], Changed(&[Remove("/object")])),
        edited("Optional[Literal] wrong value", notification, NOTIFICATION, &[Set("/object", r#""note""#)], Rejects(&["note"])),
        edited("Optional[Literal[False]] value", import, IMPORT_JOB, &[Set("/dry_run", "false")], Same),
        edited("Optional[Literal[False]] null", import, IMPORT_JOB, &[Set("/dry_run", "null")], Changed(&[Remove("/dry_run")])),
        edited("Optional[Literal[False]] wrong value", import, IMPORT_JOB, &[Set("/dry_run", "true")], Rejects(&["true"])),
    ];
    report.table(&cases);

    // The three states of an `OptionalNullable` field, and `Optional` null, in Rust.
    report.checks(&[
        (
            "OptionalNullable absent/null/value are None/Some(None)/Some(Some)",
            || {
                let absent: g::Book = read(BOOK)?;
                ensure(
                    absent.subtitle.is_none(),
                    format!("absent: {:?}", absent.subtitle),
                )?;
                let mut value = parse(BOOK);
                apply(&mut value, &[Set("/subtitle", "null")])?;
                let null: g::Book = read(&value.to_string())?;
                ensure(
                    null.subtitle == Some(None),
                    format!("null: {:?}", null.subtitle),
                )?;
                apply(&mut value, &[Set("/subtitle", r#""Book One""#)])?;
                let text: g::Book = read(&value.to_string())?;
                ensure(
                    text.subtitle == Some(Some("Book One".to_owned())),
                    format!("value: {:?}", text.subtitle),
                )
            },
        ),
        ("Optional null is None", || {
            let mut value = parse(BOOK);
            apply(
                &mut value,
                &[Set("/edition", "null"), Set("/publisher", "null")],
            )?;
            let book: g::Book = read(&value.to_string())?;
            ensure(
                book.edition.is_none(),
                format!("edition {:?}", book.edition),
            )?;
            ensure(
                book.publisher.is_none(),
                format!("publisher {:?}", book.publisher),
            )
        }),
        ("Nullable null is None, value is Some", || {
            let book: g::Book = read(BOOK)?;
            ensure(
                book.weight_grams.is_none(),
                format!("weight_grams {:?}", book.weight_grams),
            )?;
            ensure(
                book.translator.is_none(),
                format!("translator {:?}", book.translator),
            )?;
            ensure(
                book.summary.as_deref() == Some("A desert planet and its spice."),
                format!("summary {:?}", book.summary),
            )
        }),
        (
            "Nullable[Any] null is Value::Null, JSON null inside a value is kept",
            || {
                let null: g::CatalogIndex = read(r#"{"tags":[],"last_payload":null}"#)?;
                ensure(
                    null.last_payload.is_null(),
                    format!("{:?}", null.last_payload),
                )?;
                let value: g::CatalogIndex = read(r#"{"tags":[],"last_payload":[null]}"#)?;
                ensure(
                    value.last_payload == serde_json::json!([null]),
                    format!("{:?}", value.last_payload),
                )
            },
        ),
        ("List[Nullable[Copy]] keeps null items in place", || {
            let mut value = parse(BOOK);
            apply(&mut value, &[Set("/copies", r#"[null,{"copy_id":"c-1"}]"#)])?;
            let book: g::Book = read(&value.to_string())?;
            let copies = book.copies.flatten().ok_or("copies lost")?;
            ensure(copies.len() == 2, format!("{copies:?}"))?;
            ensure(copies[0].is_none(), format!("{copies:?}"))?;
            ensure(
                copies[1].as_ref().map(|c| c.copy_id.as_str()) == Some("c-1"),
                format!("{copies:?}"),
            )
        }),
    ]);
    report.finish();
}

// ---------------------------------------------------------------------------------------
// 2. Enums
// ---------------------------------------------------------------------------------------

#[test]
fn enums() {
    let export = model::<g::ExportFormat>();
    let shelf = model::<g::ShelfLevel>();
    let operator = model::<g::FilterOperator>();
    let endpoint = model::<g::CatalogEndpoint>();
    let period = model::<g::LoanPeriodDays>();
    let loan_status = model::<g::LoanStatus>();
    let status = model::<g::CompletionDetailedJobOutStatus>();
    let job_type = model::<g::CompletionDetailedJobOutJobType>();
    let object = model::<g::CompletionDetailedJobOutObject>();
    let book = model::<g::Book>();
    let search = model::<g::SearchRequest>();

    let mut report = Report::default();
    #[rustfmt::skip]
    let cases = [
        // Closed (list form without "open enum"): known values kept, others rejected by value.
        case("closed: csv", export, r#""csv""#, Same),
        case("closed: json_object", export, r#""json_object""#, Same),
        case("closed: marc21", export, r#""marc21""#, Same),
        case("closed: unknown value rejected", export, r#""xml""#, Rejects(&["xml"])),
        case("closed: wrong case rejected", export, r#""CSV""#, Rejects(&["CSV"])),
        case("closed: integer rejected", export, "1", Rejects(&["1"])),
        case("closed: null rejected", export, "null", Rejects(&["null"])),
        case("closed numeric-looking strings: \"0\"", shelf, r#""0""#, Same),
        case("closed numeric-looking strings: \"3\"", shelf, r#""3""#, Same),
        case("closed numeric-looking strings: \"4\" rejected", shelf, r#""4""#, Rejects(&["4"])),
        case("closed numeric-looking strings: integer 1 rejected", shelf, "1", Rejects(&["1"])),
        edited("closed enum field: unknown value rejected in a model", search, SEARCH_REQUEST, &[Set("/format", r#""pdf""#)], Rejects(&["pdf"])),
        edited("closed enum field: known value kept in a model", search, SEARCH_REQUEST, &[Set("/format", r#""json_object""#)], Same),
        edited("closed enum field: ShelfLevel \"9\" rejected in a model", book, BOOK, &[Set("/shelf_level", r#""9""#)], Rejects(&["9"])),
        // Open (list form with "open enum"): unknown values kept and written back unchanged.
        case("open: eq", operator, r#""eq""#, Same),
        case("open: in", operator, r#""in""#, Same),
        case("open: unknown value kept", operator, r#""contains""#, Same),
        case("open: unknown value in other case kept", operator, r#""EQ""#, Same),
        case("open: empty string kept", operator, r#""""#, Same),
        case("open: integer still rejected", operator, "3", Rejects(&["3"])),
        case("open: null still rejected", operator, "null", Rejects(&["null"])),
        case("open path enum: known", endpoint, r#""/v1/books/search""#, Same),
        case("open path enum: unknown kept", endpoint, r#""/v2/authors""#, Same),
        // Integer enums: integers on the wire, open.
        case("integer enum: 7", period, "7", Same),
        case("integer enum: 28", period, "28", Same),
        case("integer enum: unknown 30 kept", period, "30", Same),
        case("integer enum: unknown negative kept", period, "-1", Same),
        case("integer enum: string rejected", period, r#""14""#, Rejects(&["14"])),
        case("integer enum: null rejected", period, "null", Rejects(&["null"])),
        edited("integer enum field: 14 stays an integer", book, BOOK, &[Set("/loan_period", "14")], Same),
        edited("integer enum field: unknown 45 kept", book, BOOK, &[Set("/loan_period", "45")], Same),
        // Table-form enums (1.7.0 style): open by the `table-enum-open` assumption.
        case("table enum: RUNNING", status, r#""RUNNING""#, Same),
        case("table enum: FAILED_VALIDATION", status, r#""FAILED_VALIDATION""#, Same),
        case("table enum: CANCELLATION_REQUESTED", status, r#""CANCELLATION_REQUESTED""#, Same),
        case("table enum: unknown PAUSED kept", status, r#""PAUSED""#, Same),
        case("table enum: lower case is another, unknown, value", status, r#""running""#, Same),
        case("table enum: integer rejected", status, "1", Rejects(&["1"])),
        case("table enum LoanStatus: lost", loan_status, r#""lost""#, Same),
        case("table enum LoanStatus: unknown kept", loan_status, r#""stolen""#, Same),
        case("one-value table enum: completion", job_type, r#""completion""#, Same),
        case("one-value table enum: unknown kept", job_type, r#""classifier""#, Same),
        case("one-value table enum: job", object, r#""job""#, Same),
        case("one-value table enum: unknown kept", object, r#""batch""#, Same),
        edited("table enum field: unknown status kept in the seed", model::<g::CompletionDetailedJobOut>(), JOB, &[Set("/status", r#""ARCHIVED""#)], Same),
    ];
    report.table(&cases);

    report.checks(&[
        ("closed enum error names the value", || {
            let err = rejects::<g::ExportFormat>(r#""xml""#)?;
            ensure(err.contains("\"xml\""), format!("message: {err}"))
        }),
        ("closed enum values: value() is the wire value", || {
            let format: g::ExportFormat = read(r#""json_object""#)?;
            ensure(format == g::ExportFormat::JsonObject, format!("{format:?}"))?;
            ensure(format.value() == "json_object", format.value().to_owned())?;
            let level: g::ShelfLevel = read(r#""0""#)?;
            ensure(
                level == g::ShelfLevel::V0 && level.value() == "0",
                format!("{level:?}"),
            )
        }),
        (
            "open enum: unknown string is Unknown(..) and value() returns it",
            || {
                let op: g::FilterOperator = read(r#""contains""#)?;
                ensure(
                    op == g::FilterOperator::Unknown("contains".to_owned()),
                    format!("{op:?}"),
                )?;
                ensure(op.value() == "contains", op.value().to_owned())?;
                let known: g::FilterOperator = read(r#""gt""#)?;
                ensure(known == g::FilterOperator::Gt, format!("{known:?}"))
            },
        ),
        (
            "open enum: Unknown(..) built in Rust writes its value",
            || {
                writes(
                    &g::CatalogEndpoint::Unknown("/v9/x".to_owned()),
                    r#""/v9/x""#,
                )?;
                writes(&g::CatalogEndpoint::V1LoansRenew, r#""/v1/loans/renew""#)
            },
        ),
        (
            "integer enum: known and unknown variants, value() is an integer",
            || {
                let known: g::LoanPeriodDays = read("14")?;
                ensure(known == g::LoanPeriodDays::V14, format!("{known:?}"))?;
                ensure(known.value() == 14, format!("{}", known.value()))?;
                let unknown: g::LoanPeriodDays = read("30")?;
                ensure(
                    unknown == g::LoanPeriodDays::Unknown(30),
                    format!("{unknown:?}"),
                )?;
                ensure(unknown.value() == 30, format!("{}", unknown.value()))?;
                let written =
                    serde_json::to_value(g::LoanPeriodDays::V21).map_err(|e| e.to_string())?;
                ensure(
                    written == serde_json::json!(21),
                    format!("V21 written as {written}"),
                )?;
                let written = serde_json::to_value(g::LoanPeriodDays::Unknown(9))
                    .map_err(|e| e.to_string())?;
                ensure(written.is_i64(), format!("Unknown(9) written as {written}"))
            },
        ),
        ("table enum: known and unknown variants", || {
            let running: g::CompletionDetailedJobOutStatus = read(r#""RUNNING""#)?;
            ensure(
                running == g::CompletionDetailedJobOutStatus::Running,
                format!("{running:?}"),
            )?;
            ensure(running.value() == "RUNNING", running.value().to_owned())?;
            let paused: g::CompletionDetailedJobOutStatus = read(r#""PAUSED""#)?;
            ensure(
                paused == g::CompletionDetailedJobOutStatus::Unknown("PAUSED".to_owned()),
                format!("{paused:?}"),
            )?;
            let lost: g::LoanStatus = read(r#""lost""#)?;
            ensure(lost == g::LoanStatus::Lost, format!("{lost:?}"))
        }),
    ]);
    report.finish();
}

// ---------------------------------------------------------------------------------------
// 3. Tagged unions
// ---------------------------------------------------------------------------------------

#[test]
fn tagged_unions() {
    let entry = model::<g::CatalogEntry>();
    let messages = model::<g::ReferenceDeskMessages>();
    let lookup = model::<g::LookupResult>();
    let integrations = model::<g::CompletionDetailedJobOutIntegrations>();
    let repositories = model::<g::CompletionDetailedJobOutRepositories>();
    let catalog = model::<g::Catalog>();
    let patron = model::<g::PatronMessage>();

    let mut report = Report::default();
    #[rustfmt::skip]
    let cases = [
        // CatalogEntry: tag `type`, the members' `Literal[...]`.
        case("Literal tag: book", entry, BOOK_ENTRY, Same),
        case("Literal tag: book with its nested Book", entry, concat!(r#"{"type":"book","isbn":"9780441013593","book":"#, book!(), "}"), Same),
        case("Literal tag: periodical", entry, r#"{"type":"periodical","issn":"0036-8733","issue":7}"#, Same),
        // No tag: the members' `Literal` may be absent, so the member is chosen by shape
        // (as the SDK's plain `Union` does), and written with its constant, as the SDK does.
        case("Literal tag: missing tag, book by shape", entry, r#"{"isbn":"9780441013593"}"#, Changed(&[Set("/type", r#""book""#)])),
        case("Literal tag: missing tag, periodical by shape", entry, r#"{"issn":"0036-8733"}"#, Changed(&[Set("/type", r#""periodical""#)])),
        case("Literal tag: missing tag, no member fits", entry, r#"{"title":"Dune"}"#, Rejects(&["CatalogEntry", "BookEntry", "isbn"])),
        case("Literal tag: null tag read as absent, then rejected by the constants", entry, r#"{"type":null,"isbn":"9780441013593"}"#, Rejects(&["CatalogEntry", "null"])),
        // An unknown tag: the union is open (assumed), so the value is kept whole.
        case("Literal tag: unknown tag kept and written back unchanged", entry, r#"{"type":"magazine","issn":"0036-8733"}"#, Same),
        case("Literal tag: member's required field missing", entry, r#"{"type":"book"}"#, Rejects(&["BookEntry", "isbn"])),
        case("Literal tag: fields of the other member do not select it", entry, r#"{"type":"book","issn":"0036-8733"}"#, Rejects(&["isbn"])),
        case("Literal tag: not an object", entry, r#""book""#, Rejects(&["CatalogEntry"])),
        edited("Literal tag: list in a model", catalog, CATALOG, &[Set("/entries", r#"[{"type":"book","isbn":"1"},{"type":"periodical","issn":"2"}]"#)], Same),
        edited("Literal tag: missing tag in a list in a model", catalog, CATALOG, &[Set("/entries", r#"[{"isbn":"1"}]"#)], Json(r#"{"books":[],"entries":[{"isbn":"1","type":"book"}],"id":"cat-1","name":"Main branch","object":"catalog"}"#)),
        // ReferenceDeskMessages: tag `role`, one-value enums, Optional in the members; the
        // overlay says `tag-required = true`.
        case("enum tag: librarian", messages, r#"{"role":"librarian","content":"Welcome!","desk":"2F"}"#, Same),
        case("enum tag: patron", messages, r#"{"role":"patron","content":"Do you have Dune?","card_number":null}"#, Same),
        case("enum tag: missing tag rejected although the members' role is optional", messages, PATRON_MESSAGE, Rejects(&["ReferenceDeskMessages", "role"])),
        case("enum tag: null tag rejected", messages, r#"{"role":null,"content":"x"}"#, Rejects(&["ReferenceDeskMessages", "role"])),
        case("enum tag: unknown tag kept (the union is open)", messages, r#"{"role":"bot","content":"beep"}"#, Same),
        case("enum tag: the member alone may leave its role out", patron, PATRON_MESSAGE, Same),
        edited("enum tag: the member alone reads a null role as absent", patron, PATRON_MESSAGE, &[Set("/role", "null")], Changed(&[Remove("/role")])),
        case("enum tag: thread of both members", model::<g::ReferenceDeskThread>(), r#"{"id":"t-1","messages":[{"role":"patron","content":"Hi"},{"role":"librarian","content":"Hello"}]}"#, Same),
        // LookupResult: boolean tag `found`; closed by the overlay (`open = false`).
        case("bool tag: true", lookup, LOOKUP_HIT, Same),
        case("bool tag: false", lookup, LOOKUP_MISS, Same),
        case("bool tag: false with suggestions", lookup, r#"{"found":false,"suggestions":["Dune Messiah"]}"#, Same),
        case("bool tag: missing tag, hit by shape", lookup, concat!(r#"{"book":"#, book!(), "}"), Changed(&[Set("/found", "true")])),
        case("bool tag: null tag rejected by the constants", lookup, r#"{"found":null}"#, Rejects(&["LookupResult", "null"])),
        case("bool tag: unknown tag rejected", lookup, r#"{"found":"maybe"}"#, Rejects(&["LookupResult", "maybe"])),
        case("bool tag: string \"true\" rejected", lookup, concat!(r#"{"found":"true","book":"#, book!(), "}"), Rejects(&["LookupResult"])),
        case("bool tag: member's required field missing", lookup, r#"{"found":true}"#, Rejects(&["LookupHit", "book"])),
        // Single-member 1.7.0 unions, tagged by optional one-value enums.
        case("single member: wandb", integrations, r#"{"type":"wandb","project":"ft","name":null,"run_name":"r1","url":"https://wandb.ai/x"}"#, Same),
        // A one-member union is an alias of its member (as in the SDKs): no tag needed, and
        // the member's own `type` field (an open enum in 1.x docs) reads what it reads.
        case("single member: no tag needed", integrations, r#"{"project":"ft"}"#, Same),
        case("single member: another type kept by the member's open enum", integrations, r#"{"type":"mlflow","project":"ft"}"#, Same),
        case("single member: github", repositories, r#"{"type":"github","name":"ft-data","owner":"mistral","commit_id":"0123abc","ref":null,"weight":1}"#, Same),
        case("single member: github without its tag", repositories, r#"{"name":"ft-data","owner":"mistral","commit_id":"0123abc"}"#, Same),
    ];
    report.table(&cases);

    report.checks(&[
        ("CatalogEntry picks the member of the tag", || {
            let book: g::CatalogEntry = read(BOOK_ENTRY)?;
            ensure(matches!(book, g::CatalogEntry::BookEntry(_)), format!("{book:?}"))?;
            let periodical: g::CatalogEntry = read(PERIODICAL_ENTRY)?;
            ensure(
                matches!(&periodical, g::CatalogEntry::PeriodicalEntry(p) if p.issn == "0036-8733"),
                format!("{periodical:?}"),
            )
        }),
        ("ReferenceDeskMessages picks the member of the tag", || {
            let librarian: g::ReferenceDeskMessages =
                read(r#"{"role":"librarian","content":"Welcome!"}"#)?;
            ensure(
                matches!(&librarian, g::ReferenceDeskMessages::LibrarianMessage(m) if m.content == "Welcome!"),
                format!("{librarian:?}"),
            )?;
            let patron: g::ReferenceDeskMessages = read(r#"{"role":"patron","content":"Hi"}"#)?;
            ensure(
                matches!(patron, g::ReferenceDeskMessages::PatronMessage(_)),
                format!("{patron:?}"),
            )
        }),
        ("LookupResult picks the member of the boolean tag", || {
            let hit: g::LookupResult = read(LOOKUP_HIT)?;
            ensure(
                matches!(&hit, g::LookupResult::LookupHit(h) if h.book.title == "Dune"),
                format!("{hit:?}"),
            )?;
            let miss: g::LookupResult = read(LOOKUP_MISS)?;
            ensure(matches!(miss, g::LookupResult::LookupMiss(_)), format!("{miss:?}"))
        }),
        ("unknown tag error of a closed union names the union, the tag and the value", || {
            let err = rejects::<g::LookupResult>(r#"{"found":"maybe"}"#)?;
            for needle in ["LookupResult", "found", "maybe", "true", "false"] {
                ensure(err.contains(needle), format!("no {needle:?} in: {err}"))?;
            }
            Ok(())
        }),
        ("an unknown tag of an open union is its Unknown member, kept whole", || {
            let text = r#"{"type":"magazine","issn":"0036-8733","pages":[1,2]}"#;
            let entry: g::CatalogEntry = read(text)?;
            ensure(
                matches!(&entry, g::CatalogEntry::Unknown(value) if *value == parse(text)),
                format!("{entry:?}"),
            )?;
            writes(&entry, text)
        }),
        ("a missing tag of a tag-required union names the union, the tag and the tags", || {
            let err = rejects::<g::ReferenceDeskMessages>(PATRON_MESSAGE)?;
            for needle in ["ReferenceDeskMessages", "role", "librarian", "patron", "missing"] {
                ensure(err.contains(needle), format!("no {needle:?} in: {err}"))?;
            }
            Ok(())
        }),
        ("tag written for a member built without its optional tag field (patron)", || {
            let message = g::ReferenceDeskMessages::PatronMessage(g::PatronMessage::new(
                "Do you have Dune?".to_owned(),
            ));
            writes(&message, r#"{"role":"patron","content":"Do you have Dune?"}"#)
        }),
        ("tag written for a member built without its optional tag field (librarian)", || {
            let message = g::ReferenceDeskMessages::LibrarianMessage(g::LibrarianMessage::new(
                "Welcome!".to_owned(),
            ));
            writes(&message, r#"{"role":"librarian","content":"Welcome!"}"#)
        }),
        ("a one-member union writes its member as it is (wandb)", || {
            let integration = g::CompletionDetailedJobOutIntegrations::WandbIntegrationOut(
                g::WandbIntegrationOut::new("ft".to_owned()),
            );
            writes(&integration, r#"{"project":"ft"}"#)
        }),
        ("a one-member union writes its member as it is (github)", || {
            let repository = g::CompletionDetailedJobOutRepositories::GithubRepositoryOut(
                g::GithubRepositoryOut::new("ft-data".to_owned(), "mistral".to_owned(), "0123abc".to_owned()),
            );
            writes(
                &repository,
                r#"{"name":"ft-data","owner":"mistral","commit_id":"0123abc"}"#,
            )
        }),
        ("tag written for Literal-tagged members built with new", || {
            writes(
                &g::CatalogEntry::BookEntry(g::BookEntry::new("9780441013593".to_owned())),
                BOOK_ENTRY,
            )?;
            writes(&g::LookupResult::LookupMiss(g::LookupMiss::new()), LOOKUP_MISS)
        }),
        ("a tagged union written inside a list reads back the same", || {
            let mut thread = g::ReferenceDeskThread::new("t-1".to_owned(), Vec::new());
            thread.messages.push(g::ReferenceDeskMessages::PatronMessage(g::PatronMessage::new(
                "Hi".to_owned(),
            )));
            let text = serde_json::to_string(&thread).map_err(|e| e.to_string())?;
            let again: g::ReferenceDeskThread = read(&text)?;
            ensure(
                matches!(&again.messages[..], [g::ReferenceDeskMessages::PatronMessage(m)] if m.content == "Hi"),
                format!("{text} read back as {again:?}"),
            )?;
            let rewritten = serde_json::to_value(&again).map_err(|e| e.to_string())?;
            match diff("", &parse(&text), &rewritten) {
                None => Ok(()),
                Some(difference) => Err(format!("{text} written again as {rewritten}: {difference}")),
            }
        }),
    ]);
    report.finish();
}

// ---------------------------------------------------------------------------------------
// 4. Unions dispatched on the shape of the JSON value
// ---------------------------------------------------------------------------------------

#[test]
fn shape_unions() {
    let value = model::<g::FieldValue>();
    let and = model::<g::And>();
    let or = model::<g::Or>();
    let response = model::<g::SearchBooksResponse>();

    let mut report = Report::default();
    #[rustfmt::skip]
    let cases = [
        case("str", value, r#""science fiction""#, Same),
        case("empty str", value, r#""""#, Same),
        case("int", value, "42", Same),
        case("negative int", value, "-7", Same),
        case("float", value, "4.5", Same),
        case("float with a zero fraction", value, "1.0", Same),
        case("float in exponent form", value, "1e3", Same),
        case("bool", value, "false", Same),
        case("datetime-looking string", value, r#""1965-08-01T00:00:00Z""#, Same),
        case("List[str]", value, r#"["sf","classic"]"#, Same),
        case("empty list", value, "[]", Same),
        case("Dict[str, Any]", value, r#"{"shelf":"B","row":3,"tags":null}"#, Same),
        case("empty object", value, "{}", Same),
        case("List[Author]", value, r#"[{"name":"Frank Herbert","born":"1920-10-08T00:00:00-07:00"},{"name":"Brian Herbert","website":null}]"#, Same),
        case("null matches no member", value, "null", Rejects(&["FieldValue"])),
        case("list of integers matches no member", value, "[1,2]", Rejects(&["FieldValue"])),
        case("list of mixed items matches no member", value, r#"["a",{"name":"b"}]"#, Rejects(&["FieldValue"])),
        case("list of authors with a bad author", value, r#"[{"name":"Frank Herbert","born":"yesterday"}]"#, Rejects(&["FieldValue"])),
        edited("FieldValue as a dict value in Book", model::<g::Book>(), BOOK, &[Set("/custom_fields", r#"{"a":"x","b":1,"c":1.5,"d":true,"e":["x"],"f":{"k":null},"g":[{"name":"A"}]}"#)], Same),
        edited("FieldValue null inside a Book dict rejected", model::<g::Book>(), BOOK, &[Set("/custom_fields", r#"{"a":null}"#)], Rejects(&["FieldValue"])),
        // And / Or: FilterGroup or FieldCondition, both objects.
        case("And: FilterGroup", and, r#"{"or":[]}"#, Same),
        case("And: FieldCondition", and, FIELD_CONDITION, Same),
        case("Or: FieldCondition with an unknown operator", or, r#"{"field":"year","op":"between","value":[1960,1970]}"#, Same),
        case("Or: FilterGroup with nulls", or, r#"{"and":null,"or":null}"#, Same),
        case("And: no member accepts a string", and, r#""title""#, Rejects(&["And"])),
        case("And: object closest to FieldCondition", and, r#"{"field":"title","op":"eq","or":3}"#, RejectsClosest { union: "And", closest: "FieldCondition", others: &["FilterGroup"] }),
        case("Or: object closest to FilterGroup", or, r#"{"and":5}"#, RejectsClosest { union: "Or", closest: "FilterGroup", others: &["FieldCondition"] }),
        // SearchBooksResponse: SearchResults, or an SDK-only event stream never read from JSON.
        case("SearchResults", response, concat!(r#"{"total":1,"hits":["#, book!(), r#"],"next_from":null}"#), Same),
        case("SearchResults without hits", response, r#"{"total":0,"hits":[]}"#, Same),
        case("an array of events is not read as the event stream", response, r#"[{"event":"hit","id":"1"}]"#, Rejects(&["SearchBooksResponse"])),
        case("a string matches no member", response, r#""data: {}""#, Rejects(&["SearchBooksResponse"])),
        case("object closest to SearchResults", response, r#"{"total":"many","hits":[]}"#, RejectsClosest { union: "SearchBooksResponse", closest: "SearchResults", others: &[] }),
    ];
    report.table(&cases);

    report.checks(&[
        ("FieldValue picks the member of the JSON shape", || {
            type Expected = fn(&g::FieldValue) -> bool;
            let cases: [(&str, Expected); 9] = [
                (r#""sf""#, |v| matches!(v, g::FieldValue::String(s) if s == "sf")),
                ("42", |v| matches!(v, g::FieldValue::Integer(42))),
                ("4.5", |v| matches!(v, g::FieldValue::Float(f) if *f == 4.5)),
                ("1.0", |v| matches!(v, g::FieldValue::Float(f) if *f == 1.0)),
                ("true", |v| matches!(v, g::FieldValue::Boolean(true))),
                (r#"["a"]"#, |v| matches!(v, g::FieldValue::ListOfString(l) if l == &["a"])),
                (r#"{"k":1}"#, |v| matches!(v, g::FieldValue::MapOfAny(m) if m.len() == 1)),
                (r#"[{"name":"A"}]"#, |v| {
                    matches!(v, g::FieldValue::ListOfAuthor(l) if l.len() == 1 && l[0].name == "A")
                }),
                (r#""1965-08-01T00:00:00Z""#, |v| {
                    matches!(v, g::FieldValue::String(_) | g::FieldValue::DateTime(_))
                }),
            ];
            for (json, expected) in cases {
                let read: g::FieldValue = read(json)?;
                ensure(expected(&read), format!("{json} read as {read:?}"))?;
            }
            Ok(())
        }),
        ("FieldValue members built in Rust write their JSON", || {
            writes(&g::FieldValue::Float(2.5), "2.5")?;
            writes(&g::FieldValue::Integer(3), "3")?;
            writes(
                &g::FieldValue::DateTime(at("2024-03-01T10:00:00+01:00")),
                r#""2024-03-01T10:00:00+01:00""#,
            )?;
            writes(
                &g::FieldValue::ListOfAuthor(vec![g::Author::new("A".to_owned())]),
                r#"[{"name":"A"}]"#,
            )
        }),
        ("FieldValue error for no matching shape names the union", || {
            let err = rejects::<g::FieldValue>("null")?;
            ensure(err.contains("FieldValue"), format!("message: {err}"))
        }),
        ("And: a FieldCondition is read as FieldCondition", || {
            let read: g::And = read(FIELD_CONDITION)?;
            ensure(
                matches!(&read, g::And::FieldCondition(c) if c.field == "title"),
                format!("{FIELD_CONDITION} read as {read:?}"),
            )
        }),
        ("And: a FilterGroup is read as FilterGroup", || {
            let read: g::And = read(r#"{"and":[]}"#)?;
            ensure(matches!(read, g::And::FilterGroup(_)), format!("read as {read:?}"))
        }),
        ("SearchBooksResponse: an object is SearchResults", || {
            let read: g::SearchBooksResponse = read(r#"{"total":0,"hits":[]}"#)?;
            ensure(
                matches!(&read, g::SearchBooksResponse::SearchResults(r) if r.total == 0),
                format!("{read:?}"),
            )
        }),
        ("SearchBooksResponse: the event stream member writes an array of its events", || {
            let stream = g::support::EventStream {
                events: vec![g::SearchEvent::new("hit".to_owned())],
            };
            writes(
                &g::SearchBooksResponse::EventStreamOfSearchEvent(stream),
                r#"[{"event":"hit"}]"#,
            )
        }),
    ]);
    report.finish();
}

// ---------------------------------------------------------------------------------------
// 5. Additional properties
// ---------------------------------------------------------------------------------------

#[test]
fn additional_properties() {
    let publisher = model::<g::Publisher>();
    let book = model::<g::Book>();

    let mut report = Report::default();
    #[rustfmt::skip]
    let cases = [
        case("documented fields only", publisher, r#"{"name":"Chilton Books","country":"US"}"#, Same),
        case("unknown keys kept", publisher, r#"{"name":"Chilton Books","country":"US","founded":1904,"imprints":["Chilton"],"meta":{"a":null},"rating":4.5,"active":false}"#, Same),
        case("unknown key with null kept as null", publisher, r#"{"name":"Chilton Books","defunct":null}"#, Same),
        case("unknown keys kept, documented Optional null dropped", publisher, r#"{"name":"Chilton Books","country":null,"founded":1904}"#, Json(r#"{"name":"Chilton Books","founded":1904}"#)),
        case("required field still required", publisher, r#"{"country":"US","founded":1904}"#, Rejects(&["name"])),
        case("documented field still typed", publisher, r#"{"name":"Chilton Books","country":7}"#, Rejects(&["7"])),
        edited("unknown keys kept inside a Book", book, BOOK, &[Set("/publisher", r#"{"name":"Chilton Books","founded":1904,"city":"Philadelphia"}"#)], Same),
    ];
    report.table(&cases);
    report.checks(&[
        (
            "unknown keys land in additional_properties, documented ones do not",
            || {
                let read: g::Publisher =
                    read(r#"{"name":"Chilton Books","country":"US","founded":1904,"city":null}"#)?;
                let keys: Vec<&str> = read
                    .additional_properties
                    .keys()
                    .map(String::as_str)
                    .collect();
                ensure(keys == ["city", "founded"], format!("{keys:?}"))?;
                ensure(
                    read.country.as_deref() == Some("US"),
                    format!("{:?}", read.country),
                )?;
                ensure(
                    read.additional_properties["founded"] == serde_json::json!(1904),
                    format!("{:?}", read.additional_properties),
                )
            },
        ),
        ("additional properties set in Rust are written", || {
            let mut publisher = g::Publisher::new("Ace".to_owned());
            publisher
                .additional_properties
                .insert("founded".to_owned(), serde_json::json!(1953));
            writes(&publisher, r#"{"name":"Ace","founded":1953}"#)
        }),
    ]);
    report.finish();
}

// ---------------------------------------------------------------------------------------
// 6. Recursion
// ---------------------------------------------------------------------------------------

#[test]
fn recursion() {
    let subject = model::<g::SubjectNode>();
    let group = model::<g::FilterGroup>();
    let catalog = model::<g::Catalog>();
    let search = model::<g::SearchRequest>();

    let deep = {
        let mut json = r#"{"label":"leaf","children":null}"#.to_owned();
        for level in 0..40 {
            json = format!(r#"{{"label":"level {level}","code":"L{level}","children":[{json}]}}"#);
        }
        json
    };
    let deep: &'static str = Box::leak(deep.into_boxed_str());

    let mut report = Report::default();
    #[rustfmt::skip]
    let cases = [
        case("SubjectNode: three levels", subject, r#"{"label":"Fiction","code":"800","children":[{"label":"Science fiction","children":[{"label":"Space opera","children":null},{"label":"Cyberpunk","children":[]}]},{"label":"Fantasy"}]}"#, Same),
        case("SubjectNode: forty levels", subject, deep, Same),
        case("SubjectNode: error deep inside", subject, r#"{"label":"a","children":[{"label":"b","children":[{"code":"x"}]}]}"#, Rejects(&["label"])),
        case("FilterGroup: nested groups only", group, r#"{"and":[{"or":[{"and":[]},{"or":null}]},{"and":null}],"or":[]}"#, Same),
        case("FilterGroup: groups and conditions", group, r#"{"and":[{"field":"year","op":"gt","value":1960},{"or":[{"field":"title","op":"eq","value":"Dune"},{"field":"lang","op":"in","value":["en","fr"]}]}]}"#, Same),
        edited("SearchRequest: filter tree", search, SEARCH_REQUEST, &[Set("/filter", r#"{"or":[{"and":[{"field":"rating","op":"gt","value":4}]}]}"#)], Same),
        case("Catalog <-> ImportJob: cycle two levels deep", catalog, r#"{"id":"cat-1","object":"catalog","name":"Main","books":[],"imports":[{"id":"imp-1","object":"job","source_url":"https://example.org/a.xml","created_at":"2024-01-02T03:04:05Z","completed":true,"records":12,"target":{"id":"cat-2","object":"catalog","name":"Annex","books":[],"imports":[{"id":"imp-2","object":"job","source_url":"https://example.org/b.xml","created_at":"2024-01-03T03:04:05+01:00","completed":false,"target":null}]}}]}"#, Same),
        case("Catalog <-> ImportJob: defaulted constants filled at every level", catalog, r#"{"id":"cat-1","name":"Main","books":[],"imports":[{"id":"imp-1","source_url":"u","created_at":"2024-01-02T03:04:05Z","completed":true,"target":{"id":"cat-2","name":"Annex","books":[]}}]}"#, Json(r#"{"id":"cat-1","object":"catalog","name":"Main","books":[],"imports":[{"id":"imp-1","object":"job","source_url":"u","created_at":"2024-01-02T03:04:05Z","completed":true,"target":{"id":"cat-2","object":"catalog","name":"Annex","books":[]}}]}"#)),
    ];
    report.table(&cases);
    report.checks(&[("SubjectNode: the tree is read as a tree", || {
        let node: g::SubjectNode =
            read(r#"{"label":"a","children":[{"label":"b","children":[{"label":"c"}]}]}"#)?;
        let b = &node
            .children
            .as_ref()
            .and_then(Option::as_ref)
            .ok_or("no children")?[0];
        let c = &b
            .children
            .as_ref()
            .and_then(Option::as_ref)
            .ok_or("no grandchildren")?[0];
        ensure(
            b.label == "b" && c.label == "c" && c.children.is_none(),
            format!("{node:?}"),
        )
    })]);
    report.finish();
}

// ---------------------------------------------------------------------------------------
// 7. Keyword and renamed fields
// ---------------------------------------------------------------------------------------

#[test]
fn keyword_fields() {
    let loan = model::<g::Loan>();
    let copy = model::<g::Copy>();
    let repository = model::<g::GithubRepositoryOut>();
    let search = model::<g::SearchRequest>();
    let entry = model::<g::BookEntry>();
    let group = model::<g::FilterGroup>();

    let mut report = Report::default();
    #[rustfmt::skip]
    let cases = [
        case("Loan: from, override, ref under their wire names", loan, r#"{"patron_id":"p-17","from":"2024-03-01T10:00:00Z","until":"2024-03-22T10:00:00Z","status":"overdue","override":true,"ref":"ILL-7","renewals":1}"#, Same),
        case("Loan: the SDK name from_ is not the wire name", loan, r#"{"patron_id":"p-17","from_":"2024-03-01T10:00:00Z","until":"2024-03-22T10:00:00Z","status":"active"}"#, Rejects(&["from"])),
        case("Copy: use", copy, r#"{"copy_id":"c-1","use":"reference","condition":"good","barcode":null,"loan":null}"#, Same),
        case("GithubRepositoryOut: type and ref", repository, r#"{"name":"ft-data","owner":"mistral","commit_id":"0123abc","type":"github","ref":"main","weight":0.5}"#, Same),
        case("SearchRequest: from", search, r#"{"query":"dune","from":20,"limit":10}"#, Same),
        case("BookEntry: type", entry, BOOK_ENTRY, Same),
        case("FilterGroup: and_ / or_ are and / or on the wire", group, r#"{"and":[],"or":[]}"#, Same),
        case("FilterGroup: and_ is not a wire name", group, r#"{"and_":[{"and":[]}]}"#, Json("{}")),
    ];
    report.table(&cases);
    report.checks(&[
        ("Loan: Rust fields from, r#override, r#ref", || {
            let loan: g::Loan = read(
                r#"{"patron_id":"p","from":"2024-03-01T10:00:00Z","until":"2024-03-22T10:00:00+02:00","status":"active","override":false,"ref":"ILL-7"}"#,
            )?;
            ensure(loan.from == at("2024-03-01T10:00:00Z"), format!("from {}", loan.from))?;
            ensure(loan.r#override == Some(false), format!("override {:?}", loan.r#override))?;
            ensure(
                loan.r#ref == Some(Some("ILL-7".to_owned())),
                format!("ref {:?}", loan.r#ref),
            )
        }),
        ("Loan: written with wire names", || {
            let mut loan = g::Loan::new(
                "p".to_owned(),
                at("2024-03-01T10:00:00Z"),
                at("2024-03-22T10:00:00Z"),
                g::LoanStatus::Returned,
            );
            loan.r#override = Some(true);
            loan.r#ref = Some(None);
            loan.renewals = Some(2);
            writes(
                &loan,
                r#"{"patron_id":"p","from":"2024-03-01T10:00:00Z","until":"2024-03-22T10:00:00Z","status":"returned","override":true,"ref":null,"renewals":2}"#,
            )
        }),
        ("GithubRepositoryOut: Rust fields r#type, r#ref", || {
            let mut repository =
                g::GithubRepositoryOut::new("n".to_owned(), "o".to_owned(), "c".to_owned());
            repository.r#type = Some(g::GithubRepositoryOutType::Github);
            repository.r#ref = Some(Some("main".to_owned()));
            writes(
                &repository,
                r#"{"name":"n","owner":"o","commit_id":"c","type":"github","ref":"main"}"#,
            )?;
            let read: g::GithubRepositoryOut =
                read(r#"{"name":"n","owner":"o","commit_id":"c","type":"gitlab"}"#)?;
            ensure(
                read.r#type == Some(g::GithubRepositoryOutType::Unknown("gitlab".to_owned())),
                format!("{:?}", read.r#type),
            )
        }),
        ("Copy: Rust field r#use", || {
            let mut copy = g::Copy::new("c-1".to_owned());
            copy.r#use = Some("reference".to_owned());
            writes(&copy, r#"{"copy_id":"c-1","use":"reference"}"#)?;
            let read: g::Copy = read(r#"{"copy_id":"c-1","use":"loan"}"#)?;
            ensure(read.r#use.as_deref() == Some("loan"), format!("{:?}", read.r#use))
        }),
        ("BookEntry / PeriodicalEntry: Rust field r#type holds the constant", || {
            let entry: g::BookEntry = read(BOOK_ENTRY)?;
            ensure(entry.r#type == g::literals::Book, format!("{:?}", entry.r#type))?;
            ensure(g::literals::Book::VALUE == "book", g::literals::Book::VALUE)?;
            let periodical: g::PeriodicalEntry = read(PERIODICAL_ENTRY)?;
            ensure(
                periodical.r#type == g::literals::Periodical,
                format!("{:?}", periodical.r#type),
            )
        }),
        ("SearchRequest: Rust field from", || {
            let read: g::SearchRequest = read(r#"{"query":"q","from":20}"#)?;
            ensure(read.from == Some(20), format!("{:?}", read.from))?;
            let mut request = g::SearchRequest::new("q".to_owned());
            request.from = Some(5);
            writes(&request, r#"{"query":"q","from":5}"#)
        }),
        ("FilterGroup: Rust fields and / or", || {
            let read: g::FilterGroup = read(r#"{"and":[{"or":[]}],"or":null}"#)?;
            ensure(
                read.and.as_ref().and_then(Option::as_ref).map(Vec::len) == Some(1),
                format!("and {:?}", read.and),
            )?;
            ensure(read.or == Some(None), format!("or {:?}", read.or))?;
            let mut group = g::FilterGroup::new();
            group.or = Some(Some(Vec::new()));
            writes(&group, r#"{"or":[]}"#)
        }),
    ]);
    report.finish();
}

// ---------------------------------------------------------------------------------------
// 8. Constructors and date-times
// ---------------------------------------------------------------------------------------

#[test]
fn constructors() {
    let mut report = Report::default();
    report.checks(&[
        ("Catalog::new: required fields and the constant", || {
            let catalog = g::Catalog::new("cat-1".to_owned(), "Main".to_owned(), Vec::new());
            writes(&catalog, r#"{"id":"cat-1","object":"catalog","name":"Main","books":[]}"#)
        }),
        ("ImportJob::new: required fields and the constant", || {
            let job = g::ImportJob::new(
                "imp-1".to_owned(),
                "https://example.org/a.xml".to_owned(),
                at("2024-01-02T03:04:05Z"),
                false,
            );
            writes(
                &job,
                r#"{"id":"imp-1","object":"job","source_url":"https://example.org/a.xml","created_at":"2024-01-02T03:04:05Z","completed":false}"#,
            )
        }),
        ("Book::new: required fields, Nullable ones written as null", || {
            let book = g::Book::new(
                "9780441013593".to_owned(),
                "Dune".to_owned(),
                412,
                4.25,
                true,
                at("1965-08-01T00:00:00Z"),
                None,
                None,
                None,
                vec![g::Author::new("Frank Herbert".to_owned())],
            );
            writes(
                &book,
                r#"{"isbn":"9780441013593","title":"Dune","page_count":412,"average_rating":4.25,"in_print":true,"published_on":"1965-08-01T00:00:00Z","summary":null,"weight_grams":null,"translator":null,"authors":[{"name":"Frank Herbert"}]}"#,
            )
        }),
        ("Book::new then optional fields: None absent, Some(None) null", || {
            let mut book = g::Book::new(
                "1".to_owned(),
                "T".to_owned(),
                1,
                1.0,
                false,
                at("2000-01-01T00:00:00Z"),
                Some("s".to_owned()),
                Some(100.0),
                Some(g::Author::new("X".to_owned())),
                Vec::new(),
            );
            book.subtitle = Some(None);
            book.edition = Some(3);
            book.copies = Some(Some(vec![None, Some(g::Copy::new("c".to_owned()))]));
            book.loan_period = Some(g::LoanPeriodDays::V7);
            writes(
                &book,
                r#"{"isbn":"1","title":"T","page_count":1,"average_rating":1.0,"in_print":false,"published_on":"2000-01-01T00:00:00Z","summary":"s","weight_grams":100.0,"translator":{"name":"X"},"authors":[],"subtitle":null,"edition":3,"copies":[null,{"copy_id":"c"}],"loan_period":7}"#,
            )
        }),
        ("BookEntry::new / PeriodicalEntry::new: the tag constant", || {
            writes(&g::BookEntry::new("1".to_owned()), r#"{"type":"book","isbn":"1"}"#)?;
            writes(
                &g::PeriodicalEntry::new("2".to_owned()),
                r#"{"type":"periodical","issn":"2"}"#,
            )
        }),
        ("LookupHit::new / LookupMiss::new: the boolean constant", || {
            let book: g::Book = read(BOOK)?;
            writes(&g::LookupHit::new(book), LOOKUP_HIT)?;
            writes(&g::LookupMiss::new(), r#"{"found":false}"#)
        }),
        ("CompletionDetailedJobOut::new: required fields only", || {
            let job = g::CompletionDetailedJobOut::new(
                "ft-1".to_owned(),
                false,
                "open-mistral-7b".to_owned(),
                g::CompletionDetailedJobOutStatus::Queued,
                1716963433,
                1716963433,
                vec!["file-1".to_owned()],
                g::CompletionTrainingParameters::new(),
            );
            writes(&job, JOB)
        }),
        ("ShelfSlot::new: Nullable required written as null", || {
            writes(&g::ShelfSlot::new(1, None), r#"{"position":1,"isbn":null}"#)
        }),
        ("Notification::new: Optional[Literal] left out", || {
            let notification =
                g::Notification::new("Due soon".to_owned(), at("2024-03-20T09:00:00Z"));
            writes(&notification, r#"{"text":"Due soon","sent_at":"2024-03-20T09:00:00Z"}"#)
        }),
        ("CatalogIndex::new: Nullable[Any] Value::Null written as null", || {
            writes(
                &g::CatalogIndex::new(vec!["sf".to_owned()], serde_json::Value::Null),
                r#"{"tags":["sf"],"last_payload":null}"#,
            )?;
            writes(
                &g::CatalogIndex::new(Vec::new(), serde_json::json!({"op":"x"})),
                r#"{"tags":[],"last_payload":{"op":"x"}}"#,
            )
        }),
        ("CoverUpload::new: the file upload is not JSON", || {
            let upload = g::CoverUpload::new(
                "dune.jpg".to_owned(),
                g::support::FileUpload {
                    file_name: Some("dune.jpg".to_owned()),
                    content: vec![0xff, 0xd8],
                },
                "c2hhMjU2".to_owned(),
            );
            writes(&upload, r#"{"file_name":"dune.jpg","checksum":"c2hhMjU2"}"#)
        }),
        ("models without required fields: new() writes {}", || {
            writes(&g::Acknowledgement::new(), "{}")?;
            writes(&g::FilterGroup::new(), "{}")?;
            writes(&g::CompletionTrainingParameters::new(), "{}")?;
            writes(&g::JobMetadataOut::new(), "{}")?;
            writes(&g::RetryConfig::new(), "{}")
        }),
    ]);

    let notification = model::<g::Notification>();
    let loan = model::<g::Loan>();
    #[rustfmt::skip]
    let cases = [
        case("CoverUpload read from JSON", model::<g::CoverUpload>(), r#"{"file_name":"dune.jpg","checksum":"c2hhMjU2","content_type":"image/jpeg"}"#, Same),
        case("Acknowledgement {}", model::<g::Acknowledgement>(), "{}", Same),
        edited("date-time with Z", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00Z""#)], Same),
        edited("date-time with +00:00", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00+00:00""#)], Same),
        edited("date-time with a positive offset", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00+05:30""#)], Same),
        edited("date-time with a negative offset", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00-07:00""#)], Same),
        edited("date-time with 1 fractional digit", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00.5Z""#)], Same),
        edited("date-time with 2 fractional digits", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00.25Z""#)], Same),
        edited("date-time with 3 fractional digits", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00.125Z""#)], Same),
        edited("date-time with 4 fractional digits", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00.1234+01:00""#)], Same),
        edited("date-time with 5 fractional digits", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00.12345Z""#)], Same),
        edited("date-time with 6 fractional digits", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00.123456Z""#)], Same),
        edited("date-time with 7 fractional digits", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00.1234567-03:00""#)], Same),
        edited("date-time with 8 fractional digits", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00.12345678Z""#)], Same),
        edited("date-time with 9 fractional digits", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00.123456789Z""#)], Same),
        edited("date-time with zero fraction", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00.000Z""#)], Same),
        edited("date-time, leap day", loan, LOAN, &[Set("/from", r#""2024-02-29T23:59:59.999999999+14:00""#)], Same),
        edited("date-time, not a date", notification, NOTIFICATION, &[Set("/sent_at", r#""yesterday""#)], Rejects(&[])),
        edited("date-time without an offset", notification, NOTIFICATION, &[Set("/sent_at", r#""2024-03-20T09:00:00""#)], Rejects(&[])),
        edited("date-time, a number", notification, NOTIFICATION, &[Set("/sent_at", "1710925200")], Rejects(&["1710925200"])),
    ];
    report.table(&cases);
    report.checks(&[("date-times keep their instant and offset", || {
        for text in [
            "2024-03-20T09:00:00Z",
            "2024-03-20T09:00:00.1+05:30",
            "2024-03-20T09:00:00.123456789-07:00",
            "2024-03-20T09:00:00.1234-00:30",
        ] {
            let json = format!(r#"{{"text":"t","sent_at":"{text}"}}"#);
            let read: g::Notification = read(&json)?;
            let expected = at(text);
            ensure(
                read.sent_at == expected && read.sent_at.offset() == expected.offset(),
                format!("{text} read as {}", read.sent_at),
            )?;
            let written = serde_json::to_value(&read).map_err(|e| e.to_string())?;
            let again = written["sent_at"]
                .as_str()
                .and_then(date_time)
                .ok_or("not written as a date-time")?;
            ensure(
                again == expected && again.offset() == expected.offset(),
                format!("{text} written as {}", written["sent_at"]),
            )?;
        }
        Ok(())
    })]);
    report.finish();
}

// ---------------------------------------------------------------------------------------
// 9. The seed
// ---------------------------------------------------------------------------------------

const SEED: &str = r#"{
  "id": "a5f1c9e2-7d3b-4b8e-9f10-2c6d8e4b1a37",
  "auto_start": true,
  "model": "open-mistral-7b",
  "status": "SUCCESS",
  "created_at": 1716963433,
  "modified_at": 1716970021,
  "training_files": ["2f0c3a9e-1b7d-4e62-8c55-9a3d7e1f0b24"],
  "hyperparameters": {
    "training_steps": 100,
    "learning_rate": 0.0001,
    "weight_decay": 0.1,
    "warmup_fraction": 0.05,
    "epochs": 1.0,
    "seq_len": 32768,
    "fim_ratio": null
  },
  "validation_files": ["7c1e2d3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f"],
  "object": "job",
  "fine_tuned_model": "ft:open-mistral-7b:a5f1c9e2:20240529:8d7e6f5a",
  "suffix": null,
  "integrations": [
    {"type": "wandb", "project": "library-ft", "name": null, "run_name": "run-42", "url": "https://wandb.ai/acme/library-ft/runs/run-42"}
  ],
  "trained_tokens": 3276800,
  "metadata": {
    "expected_duration_seconds": 1200,
    "cost": 4.1,
    "cost_currency": "EUR",
    "train_tokens_per_step": 32768,
    "train_tokens": 3276800,
    "data_tokens": 1638400,
    "estimated_start_time": null
  },
  "job_type": "completion",
  "repositories": [
    {"type": "github", "name": "library-data", "owner": "acme", "commit_id": "9fceb02d0ae598e95dc970b74767f19372d61af8", "ref": "main", "weight": 1.0}
  ],
  "events": [
    {"name": "status-updated", "created_at": 1716963433, "data": {"status": "QUEUED"}},
    {"name": "status-updated", "created_at": 1716963500, "data": {"status": "RUNNING"}},
    {"name": "status-updated", "created_at": 1716970021, "data": null}
  ],
  "checkpoints": [
    {"metrics": {"train_loss": 1.2345, "valid_loss": 1.3456, "valid_mean_token_accuracy": 0.71}, "step_number": 50, "created_at": 1716966000},
    {"metrics": {"train_loss": 0.9876, "valid_loss": null}, "step_number": 100, "created_at": 1716969000}
  ]
}"#;

#[test]
fn seed() {
    let job = model::<g::CompletionDetailedJobOut>();
    let mut report = Report::default();
    #[rustfmt::skip]
    let cases = [
        case("the full payload", job, SEED, Same),
        edited("the full payload, new status and integration-less", job, SEED, &[Set("/status", r#""VALIDATING""#), Set("/integrations", "[]"), Set("/repositories", "null")], Same),
        edited("an integration without its tag (a one-member union needs none)", job, SEED, &[Set("/integrations", r#"[{"project":"x"}]"#)], Same),
        edited("a checkpoint without metrics", job, SEED, &[Set("/checkpoints", r#"[{"step_number":1,"created_at":1}]"#)], Rejects(&["metrics"])),
    ];
    report.table(&cases);
    report.checks(&[
        ("roundtrip helper: the seed comes back equal", || roundtrip::<g::CompletionDetailedJobOut>(SEED).map(drop)),
        ("the seed is read into the right Rust values", || {
            let job: g::CompletionDetailedJobOut = read(SEED)?;
            ensure(job.status == g::CompletionDetailedJobOutStatus::Success, format!("{:?}", job.status))?;
            ensure(job.object == Some(g::CompletionDetailedJobOutObject::Job), format!("{:?}", job.object))?;
            ensure(job.suffix == Some(None), format!("suffix {:?}", job.suffix))?;
            ensure(job.trained_tokens == Some(Some(3276800)), format!("{:?}", job.trained_tokens))?;
            ensure(
                job.hyperparameters.learning_rate == Some(0.0001)
                    && job.hyperparameters.fim_ratio == Some(None)
                    && job.hyperparameters.epochs == Some(Some(1.0)),
                format!("{:?}", job.hyperparameters),
            )?;
            let integrations = job.integrations.flatten().ok_or("integrations lost")?;
            ensure(
                matches!(&integrations[..], [g::CompletionDetailedJobOutIntegrations::WandbIntegrationOut(w)] if w.project == "library-ft" && w.name == Some(None)),
                format!("{integrations:?}"),
            )?;
            let repositories = job.repositories.flatten().ok_or("repositories lost")?;
            ensure(
                matches!(&repositories[..], [g::CompletionDetailedJobOutRepositories::GithubRepositoryOut(r)] if r.r#ref == Some(Some("main".to_owned()))),
                format!("{repositories:?}"),
            )?;
            let events = job.events.flatten().ok_or("events lost")?;
            ensure(events.len() == 3 && events[2].data == Some(None), format!("{events:?}"))?;
            let checkpoints = job.checkpoints.flatten().ok_or("checkpoints lost")?;
            ensure(
                checkpoints[1].metrics.valid_loss == Some(None)
                    && checkpoints[1].metrics.valid_mean_token_accuracy.is_none(),
                format!("{:?}", checkpoints[1].metrics),
            )
        }),
        ("roundtrip helper: rejects reports the error", || {
            let err = rejects::<g::CompletionDetailedJobOut>(r#"{"id":"x"}"#)?;
            ensure(err.contains("auto_start"), format!("message: {err}"))
        }),
        ("roundtrip helper: a changed value is a failure", || {
            // `Optional` null is dropped, so the helper must report the difference.
            match roundtrip::<g::Series>(r#"{"title":"Dune","volume":null}"#) {
                Err(err) if err.contains("volume") => Ok(()),
                other => Err(format!("expected a difference on volume, got {other:?}")),
            }
        }),
    ]);
    report.finish();
}

/// The agreement hook in `codec` really reaches `validate` for generated models.
#[test]
fn hand_written_payloads_are_checked_by_validate_too() {
    assert_eq!(
        validate_verdict::<generated::Series>(r#"{"title": "Dune"}"#),
        Some(true)
    );
    assert_eq!(
        validate_verdict::<generated::Series>(r#"{"volume": 1}"#),
        Some(false)
    );
    assert_eq!(
        validate_verdict::<generated::CatalogEntry>(r#"{"type": "dvd"}"#),
        Some(true)
    );
    assert_eq!(
        validate_verdict::<generated::LookupResult>(r#"{"found": "maybe"}"#),
        Some(false)
    );
    assert_eq!(validate_verdict::<Vec<generated::Series>>("[]"), None);
}
