//! The drift audit (`cargo xtask diff`): one fixture pair per change kind, each with
//! snapshots of both report formats and the classification it must get; the real history
//! `mistral-python-1.7.0` -> `mistral-python-2.5.1`; and `codegen --check` naming what the
//! committed code lags behind.

use std::collections::BTreeSet;
use std::path::Path;

use markmodel::diff::{self, Change, ChangeKind, Diff, Effect};
use markmodel::ir::Spec;
use markmodel::{FolderSource, Lag};
use tests::{corpus, tests_dir};

fn spec_of(root: &Path) -> Spec {
    let loaded = markmodel::load(&FolderSource::new(root))
        .unwrap_or_else(|err| panic!("{}: {err}", root.display()));
    assert!(
        !loaded.has_errors(),
        "{}: {:?}",
        root.display(),
        loaded.diagnostics
    );
    loaded
        .spec
        .unwrap_or_else(|| panic!("{} lowers", root.display()))
}

fn diff_of(old: &Path, new: &Path) -> Diff {
    diff::diff(&spec_of(old), &spec_of(new))
}

/// One change a fixture pair must report: kind, model, item, and its classification.
#[derive(Debug)]
struct Expected {
    kind: &'static str,
    model: &'static str,
    item: Option<&'static str>,
    wire: Effect,
    wire_breaking: bool,
    api_breaking: bool,
}

const fn change(
    kind: &'static str,
    model: &'static str,
    item: Option<&'static str>,
    wire: Effect,
    wire_breaking: bool,
    api_breaking: bool,
) -> Expected {
    Expected {
        kind,
        model,
        item,
        wire,
        wire_breaking,
        api_breaking,
    }
}

use Effect::{Both, Narrows, None as Same, Widens};

/// Every fixture pair and every change it must report, no more (each README says why).
fn expectations() -> Vec<(&'static str, Vec<Expected>)> {
    vec![
        (
            "additional-properties-added",
            vec![change(
                "additional-properties-changed",
                "Publisher",
                None,
                Same,
                false,
                false,
            )],
        ),
        (
            "additional-properties-retyped",
            vec![change(
                "additional-properties-changed",
                "Publisher",
                None,
                Narrows,
                true,
                true,
            )],
        ),
        (
            "enum-variant-renamed",
            vec![change(
                "enum-variant-renamed",
                "LoanStatus",
                Some("\"lost\""),
                Same,
                false,
                true,
            )],
        ),
        (
            "additional-properties-removed",
            vec![change(
                "additional-properties-changed",
                "Publisher",
                None,
                Same,
                false,
                true,
            )],
        ),
        (
            "derives-lost",
            vec![
                change("derives-changed", "Item", None, Same, false, true),
                change("field-added", "Item", Some("weight"), Same, false, false),
            ],
        ),
        (
            "direction-request",
            vec![
                // A request: the server validates; accepting more is fine, rejecting what
                // was valid is not.
                change(
                    "enum-value-added",
                    "Priority",
                    Some("\"urgent\""),
                    Widens,
                    false,
                    true,
                ),
                change(
                    "field-required-changed",
                    "Ticket",
                    Some("note"),
                    Narrows,
                    true,
                    true,
                ),
            ],
        ),
        (
            "direction-response",
            vec![
                change(
                    "enum-value-added",
                    "Priority",
                    Some("\"urgent\""),
                    Widens,
                    true,
                    true,
                ),
                change(
                    "field-required-changed",
                    "Ticket",
                    Some("note"),
                    Narrows,
                    false,
                    true,
                ),
            ],
        ),
        (
            "enum-closed",
            vec![change(
                "enum-open-changed",
                "ExportFormat",
                None,
                Narrows,
                true,
                true,
            )],
        ),
        (
            "enum-opened",
            vec![change(
                "enum-open-changed",
                "ExportFormat",
                None,
                Widens,
                true,
                true,
            )],
        ),
        (
            "enum-repr-changed",
            vec![change(
                "enum-repr-changed",
                "LoanPeriod",
                None,
                Both,
                true,
                true,
            )],
        ),
        (
            "enum-value-added-closed",
            vec![change(
                "enum-value-added",
                "ExportFormat",
                Some("\"xml\""),
                Widens,
                true,
                true,
            )],
        ),
        (
            "enum-value-added-open",
            vec![change(
                "enum-value-added",
                "CatalogEndpoint",
                Some("\"/v1/loans/renew\""),
                Same,
                false,
                false,
            )],
        ),
        (
            "enum-value-removed",
            vec![change(
                "enum-value-removed",
                "ExportFormat",
                Some("\"xml\""),
                Narrows,
                true,
                true,
            )],
        ),
        (
            "field-added-constant",
            vec![change(
                "field-added",
                "Member",
                Some("object"),
                Same,
                false,
                false,
            )],
        ),
        (
            "field-added-optional",
            vec![change(
                "field-added",
                "Member",
                Some("email"),
                Same,
                false,
                false,
            )],
        ),
        (
            "field-added-required",
            vec![change(
                "field-added",
                "Member",
                Some("email"),
                Narrows,
                true,
                true,
            )],
        ),
        (
            "field-date-format-changed",
            vec![change(
                "field-type-changed",
                "Event",
                Some("starts_on"),
                Both,
                true,
                true,
            )],
        ),
        (
            "field-deprecated",
            vec![change(
                "field-deprecated",
                "Card",
                Some("barcode"),
                Same,
                false,
                false,
            )],
        ),
        (
            "field-nullable-added",
            vec![change(
                "field-nullable-changed",
                "Member",
                Some("nickname"),
                Widens,
                true,
                true,
            )],
        ),
        (
            "field-nullable-removed",
            vec![
                change(
                    "field-nullable-changed",
                    "Member",
                    Some("age"),
                    Same,
                    false,
                    true,
                ),
                change(
                    "field-nullable-changed",
                    "Member",
                    Some("nickname"),
                    Narrows,
                    true,
                    true,
                ),
            ],
        ),
        (
            "field-optional-to-required",
            vec![change(
                "field-required-changed",
                "Member",
                Some("email"),
                Narrows,
                true,
                true,
            )],
        ),
        (
            "field-removed-optional",
            vec![change(
                "field-removed",
                "Member",
                Some("email"),
                Same,
                false,
                true,
            )],
        ),
        (
            "field-removed-required",
            vec![change(
                "field-removed",
                "Member",
                Some("name"),
                Widens,
                true,
                true,
            )],
        ),
        (
            "field-renamed",
            vec![change(
                "field-renamed",
                "Event",
                Some("begin_date"),
                Same,
                false,
                true,
            )],
        ),
        (
            "field-required-to-optional",
            vec![change(
                "field-required-changed",
                "Member",
                Some("email"),
                Widens,
                true,
                true,
            )],
        ),
        (
            "field-type-incompatible",
            vec![
                change(
                    "field-type-changed",
                    "Reading",
                    Some("code"),
                    Both,
                    true,
                    true,
                ),
                change(
                    "field-type-changed",
                    "Reading",
                    Some("tags"),
                    Both,
                    true,
                    true,
                ),
            ],
        ),
        (
            "field-type-model-changed",
            vec![change(
                "field-type-changed",
                "Order",
                Some("party"),
                Both,
                true,
                true,
            )],
        ),
        (
            "field-type-narrowed",
            vec![
                change("derives-changed", "Reading", None, Same, false, false),
                change(
                    "field-nullable-changed",
                    "Reading",
                    Some("payload"),
                    Narrows,
                    true,
                    true,
                ),
                change(
                    "field-type-changed",
                    "Reading",
                    Some("payload"),
                    Narrows,
                    true,
                    true,
                ),
                change(
                    "field-type-changed",
                    "Reading",
                    Some("score"),
                    Narrows,
                    true,
                    true,
                ),
            ],
        ),
        (
            "field-type-widened",
            vec![
                change("derives-changed", "Reading", None, Same, false, true),
                change(
                    "field-nullable-changed",
                    "Reading",
                    Some("payload"),
                    Widens,
                    true,
                    true,
                ),
                change(
                    "field-type-changed",
                    "Reading",
                    Some("payload"),
                    Widens,
                    true,
                    true,
                ),
                change(
                    "field-type-changed",
                    "Reading",
                    Some("score"),
                    Widens,
                    true,
                    true,
                ),
            ],
        ),
        (
            "field-wire-name-changed",
            vec![change(
                "field-wire-name-changed",
                "Event",
                Some("start_date"),
                Both,
                true,
                false,
            )],
        ),
        (
            "many-changes",
            vec![
                change(
                    "enum-value-removed",
                    "AccountStatus",
                    Some("\"closed\""),
                    Narrows,
                    true,
                    true,
                ),
                change(
                    "field-added",
                    "Account",
                    Some("currency"),
                    Narrows,
                    true,
                    true,
                ),
                change(
                    "field-added",
                    "Account",
                    Some("nickname"),
                    Same,
                    false,
                    false,
                ),
                change(
                    "field-removed",
                    "Account",
                    Some("legacy_code"),
                    Same,
                    false,
                    true,
                ),
                change(
                    "field-type-changed",
                    "Account",
                    Some("balance"),
                    Both,
                    true,
                    true,
                ),
            ],
        ),
        (
            "model-added",
            vec![
                change(
                    "field-added",
                    "Library",
                    Some("address"),
                    Same,
                    false,
                    false,
                ),
                change("model-added", "Address", None, Same, false, false),
            ],
        ),
        (
            "model-kind-changed",
            vec![change(
                "model-kind-changed",
                "Location",
                None,
                Both,
                true,
                true,
            )],
        ),
        (
            "model-removed",
            vec![
                change(
                    "field-removed",
                    "Library",
                    Some("address"),
                    Same,
                    false,
                    true,
                ),
                change("model-removed", "Address", None, Same, false, true),
            ],
        ),
        (
            "model-title-reused",
            vec![
                change(
                    "field-added",
                    "Message",
                    Some("details"),
                    Same,
                    false,
                    false,
                ),
                change("model-added", "Payload", None, Same, false, false),
                change(
                    "model-renamed",
                    "PayloadUnion",
                    Some("Payload"),
                    Same,
                    false,
                    true,
                ),
            ],
        ),
        (
            "model-renamed",
            vec![change(
                "model-renamed",
                "PostalAddress",
                Some("Address"),
                Same,
                false,
                true,
            )],
        ),
        (
            "model-renamed-cascade",
            vec![
                change(
                    "field-added",
                    "JobDetails",
                    Some("other"),
                    Same,
                    false,
                    false,
                ),
                // The old one-value enum was a table enum, assumed open: other values were
                // valid before the literal.
                change(
                    "field-type-changed",
                    "JobDetails",
                    Some("object"),
                    Narrows,
                    true,
                    true,
                ),
                change("model-added", "OtherJob", None, Same, false, false),
                change("model-added", "OtherJobStatus", None, Same, false, false),
                change("model-removed", "JobOutObject", None, Same, false, true),
                change(
                    "model-renamed",
                    "JobDetails",
                    Some("JobOut"),
                    Same,
                    false,
                    true,
                ),
                change(
                    "model-renamed",
                    "JobDetailsIntegration",
                    Some("JobOutIntegrations"),
                    Same,
                    false,
                    true,
                ),
                change(
                    "model-renamed",
                    "JobDetailsStatus",
                    Some("JobOutStatus"),
                    Same,
                    false,
                    true,
                ),
                change(
                    "model-renamed",
                    "WandbIntegration",
                    Some("WandbIntegrationOut"),
                    Same,
                    false,
                    true,
                ),
            ],
        ),
        ("no-changes", vec![]),
        (
            "union-member-added",
            vec![change(
                "union-member-added",
                "SettingValue",
                Some("bool"),
                Widens,
                true,
                true,
            )],
        ),
        (
            "union-member-added-open",
            vec![
                change(
                    "union-member-added",
                    "FeedItem",
                    Some("PodcastItem"),
                    Same,
                    false,
                    false,
                ),
                change("model-added", "PodcastItem", None, Same, false, false),
            ],
        ),
        (
            "union-closed",
            vec![
                change("union-open-changed", "FeedItem", None, Narrows, true, true),
                // Without the `Unknown(Value)` member, both derive `Eq` and `Hash`.
                change("derives-changed", "FeedItem", None, Same, false, false),
                change("derives-changed", "Feed", None, Same, false, false),
            ],
        ),
        (
            "union-request",
            vec![
                change("union-open-changed", "FeedItem", None, Narrows, true, true),
                change("derives-changed", "FeedItem", None, Same, false, false),
                change("derives-changed", "Feed", None, Same, false, false),
            ],
        ),
        (
            "union-tag-required",
            vec![change(
                "union-tag-required-changed",
                "FeedItem",
                None,
                Narrows,
                true,
                false,
            )],
        ),
        (
            "union-member-removed",
            vec![change(
                "union-member-removed",
                "SettingValue",
                Some("bool"),
                Narrows,
                true,
                true,
            )],
        ),
        (
            "union-tag-changed",
            vec![
                change(
                    "field-added",
                    "ArticleItem",
                    Some("kind"),
                    Same,
                    false,
                    false,
                ),
                change("field-added", "VideoItem", Some("kind"), Same, false, false),
                change(
                    "field-removed",
                    "ArticleItem",
                    Some("type"),
                    Same,
                    false,
                    true,
                ),
                change(
                    "field-removed",
                    "VideoItem",
                    Some("type"),
                    Same,
                    false,
                    true,
                ),
                change("union-tag-changed", "FeedItem", None, Both, true, false),
            ],
        ),
    ]
}

#[test]
fn every_change_kind_has_a_fixture_pair() {
    let covered: BTreeSet<&str> = expectations()
        .iter()
        .flat_map(|(_, changes)| changes.iter().map(|change| change.kind))
        .collect();
    for kind in diff::ChangeKind::ALL {
        assert!(
            covered.contains(kind.as_str()),
            "no fixture pair reports {kind:?}"
        );
    }
    // `as_str` is the name the JSON report uses.
    for kind in diff::ChangeKind::ALL {
        assert_eq!(
            serde_json::to_value(kind).ok(),
            Some(serde_json::Value::from(kind.as_str()))
        );
    }
}

fn matches(change: &Change, expected: &Expected) -> bool {
    change.kind.as_str() == expected.kind
        && change.model == expected.model
        && change.item.as_deref() == expected.item
}

#[test]
fn every_fixture_pair_reports_exactly_its_changes_classified() {
    let root = tests_dir().join("fixtures/diff");
    let folders: BTreeSet<String> = std::fs::read_dir(&root)
        .unwrap_or_else(|err| panic!("{}: {err}", root.display()))
        .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .unwrap_or_else(|err| panic!("{err}"));
    let expectations = expectations();
    let named: BTreeSet<String> = expectations
        .iter()
        .map(|(case, _)| (*case).to_owned())
        .collect();
    assert_eq!(
        folders, named,
        "every fixture pair has expectations, and only those"
    );

    for (case, expected) in expectations {
        let folder = root.join(case);
        let diff = diff_of(&folder.join("old"), &folder.join("new"));
        let mut shown = Vec::new();
        for change in &diff.changes {
            shown.push(format!(
                "{} {} {:?}: {:?} wire_breaking={} api_breaking={}",
                change.kind.as_str(),
                change.model,
                change.item,
                change.wire,
                change.wire_breaking,
                change.api_breaking
            ));
        }
        assert_eq!(
            diff.changes.len(),
            expected.len(),
            "{case}: reported\n{}",
            shown.join("\n")
        );
        for want in &expected {
            let Some(found) = diff.changes.iter().find(|change| matches(change, want)) else {
                panic!("{case}: no {want:?} among\n{}", shown.join("\n"));
            };
            assert_eq!(
                (found.wire, found.wire_breaking, found.api_breaking),
                (want.wire, want.wire_breaking, want.api_breaking),
                "{case}: {want:?}"
            );
            assert!(
                found.old.is_some() || found.new.is_some(),
                "{case}: {want:?} has a doc location"
            );
        }
        insta::assert_snapshot!(
            format!("{case}__markdown"),
            diff::markdown(&diff, "old", "new")
        );
        insta::assert_snapshot!(format!("{case}__json"), diff::json(&diff, "old", "new"));
    }
}

/// Changes that rest on what the docs do not state say so, and only those.
#[test]
fn changes_resting_on_assumptions_are_marked() {
    let root = tests_dir().join("fixtures/diff");
    let cases = [
        // `date` is assumed to be a date-time until the overlay says `date`.
        ("field-date-format-changed", true),
        // A table enum's openness is assumed.
        ("model-renamed-cascade", true),
        // Written in the docs on both sides.
        ("field-optional-to-required", false),
        ("enum-value-added-closed", false),
    ];
    for (case, assumed) in cases {
        let diff = diff_of(&root.join(case).join("old"), &root.join(case).join("new"));
        assert_eq!(
            diff.changes.iter().any(|change| change.assumed),
            assumed,
            "{case}: {:?}",
            diff.changes
        );
        let markdown = diff::markdown(&diff, "old", "new");
        assert_eq!(
            markdown.contains("(assumed)"),
            assumed,
            "{case}: {markdown}"
        );
    }
}

#[test]
fn diffing_a_spec_with_itself_reports_nothing() {
    let Some(corpus) = corpus("mistral-python-2.5.1") else {
        return;
    };
    let spec = spec_of(&corpus);
    let diff = diff::diff(&spec, &spec);
    assert!(diff.is_empty(), "{:?}", diff.changes.first());
    assert!(diff.renames.is_empty());
}

fn real_diff() -> Option<Diff> {
    let old = corpus("mistral-python-1.7.0")?;
    let new = corpus("mistral-python-2.5.1")?;
    Some(diff_of(&old, &new))
}

#[test]
fn real_history_report() {
    let Some(diff) = real_diff() else {
        return;
    };
    insta::assert_snapshot!(
        "mistral-python-1.7.0__mistral-python-2.5.1",
        diff::markdown(&diff, "mistral-python-1.7.0", "mistral-python-2.5.1")
    );
}

/// `CompletionDetailedJobOut` became `CompletionFineTuningJobDetails`, and so did the
/// models it references; the one-value enum `object` pointed to became a literal.
#[test]
fn real_history_renames_the_seed_and_what_it_references() {
    let Some(diff) = real_diff() else {
        return;
    };
    let renamed = |old: &str| {
        diff.renames
            .iter()
            .find(|rename| rename.old == old)
            .map(|rename| rename.new.as_str())
    };
    let cascade = [
        ("CompletionDetailedJobOut", "CompletionFineTuningJobDetails"),
        (
            "CompletionDetailedJobOutStatus",
            "CompletionFineTuningJobDetailsStatus",
        ),
        (
            "CompletionDetailedJobOutIntegrations",
            "CompletionFineTuningJobDetailsIntegration",
        ),
        (
            "CompletionDetailedJobOutRepositories",
            "CompletionFineTuningJobDetailsRepository",
        ),
        ("JobMetadataOut", "JobMetadata"),
        ("EventOut", "Event"),
        ("CheckpointOut", "Checkpoint"),
        ("MetricOut", "Metric"),
        ("GithubRepositoryOut", "GithubRepository"),
        ("WandbIntegrationOut", "WandbIntegrationResult"),
        // The same history one level over, which a shape-only match would confuse with
        // the seed's (their statuses have the same values).
        ("CompletionJobOut", "CompletionFineTuningJob"),
        (
            "ClassifierDetailedJobOutStatus",
            "ClassifierFineTuningJobDetailsStatus",
        ),
    ];
    for (old, new) in cascade {
        assert_eq!(renamed(old), Some(new), "{old}");
    }
    let seed = diff
        .renames
        .iter()
        .find(|rename| rename.old == "CompletionDetailedJobOut")
        .expect("the seed is renamed");
    assert!(seed.similarity >= diff::RENAME_THRESHOLD, "{seed:?}");

    // `object`: a one-value enum before, `Literal["job"]` now; the enum is gone.
    let removed_object = diff.changes.iter().any(|change| {
        change.kind.as_str() == "model-removed" && change.model == "CompletionDetailedJobOutObject"
    });
    assert!(removed_object);
    assert_eq!(renamed("CompletionDetailedJobOutObject"), None);
    let object = diff
        .changes
        .iter()
        .find(|change| {
            change.model == "CompletionFineTuningJobDetails"
                && change.kind.as_str() == "field-type-changed"
                && change.item.as_deref() == Some("object")
        })
        .expect("`object` changed type");
    assert!(
        object.detail.contains("Literal[\"job\"]"),
        "{}",
        object.detail
    );
    assert!(object.api_breaking);
    // 1.7.0's table enums never say whether they are open: the narrowing is assumed.
    assert!(
        object.assumed && object.detail.contains("open (assumed)"),
        "{object:?}"
    );
    // No other field of the seed changed type: references compare modulo the renames.
    let retyped: Vec<&str> = diff
        .changes
        .iter()
        .filter(|change| {
            change.model == "CompletionFineTuningJobDetails"
                && change.kind.as_str() == "field-type-changed"
        })
        .filter_map(|change| change.item.as_deref())
        .collect();
    assert_eq!(retyped, ["job_type", "object"]);
}

/// Twenty-eight real changes of thirteen kinds, found by reading the two corpora by hand
/// (tests/fixtures/diff-real/real-changes.tsv), each with the files and lines that show it.
#[test]
fn real_history_changes_found_by_hand() {
    let Some(diff) = real_diff() else {
        return;
    };
    let table = std::fs::read_to_string(tests_dir().join("fixtures/diff-real/real-changes.tsv"))
        .unwrap_or_else(|err| panic!("{err}"));
    let short = |location: Option<&markmodel::ir::Location>| {
        location.map_or_else(|| "-".to_owned(), |l| format!("{}:{}", l.file, l.line))
    };
    let mut kinds = BTreeSet::new();
    let mut rows = 0;
    for line in table.lines().skip(1) {
        let columns: Vec<&str> = line.split('\t').collect();
        let [kind, model, item, old, new, note] = columns[..] else {
            panic!("malformed row: {line}");
        };
        let item = (item != "-").then_some(item);
        let found = diff.changes.iter().find(|change| {
            change.kind.as_str() == kind
                && change.model == model
                && (item.is_none() || change.item.as_deref().map(|i| i.trim_matches('"')) == item)
                && short(change.old.as_ref()) == old
                && short(change.new.as_ref()) == new
        });
        let nearby: Vec<String> = diff
            .changes
            .iter()
            .filter(|change| change.model == model)
            .map(|change| {
                format!(
                    "{} {:?} {} {}",
                    change.kind.as_str(),
                    change.item,
                    short(change.old.as_ref()),
                    short(change.new.as_ref())
                )
            })
            .collect();
        assert!(
            found.is_some(),
            "{kind} {model} {item:?} ({note}) at {old} / {new}; reported for {model}:\n{}",
            nearby.join("\n")
        );
        kinds.insert(kind);
        rows += 1;
    }
    assert!(rows >= 21, "{rows} rows");
    assert!(kinds.len() >= 10, "{kinds:?}");
}

/// `codegen --check` on a crate generated from an older spec names the models and
/// fields that changed since, and nothing else.
#[test]
fn codegen_check_names_what_the_committed_code_lags_behind() {
    let pair = tests_dir().join("fixtures/diff/many-changes");
    let crate_dir = std::env::temp_dir().join(format!("diff-lag-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&crate_dir);
    let generate = |spec: &Path, mode| {
        markmodel::generate(&FolderSource::new(spec), &crate_dir, mode)
            .unwrap_or_else(|err| panic!("{err}"))
    };
    generate(&pair.join("old"), markmodel::output::Mode::Write);
    let lag = match generate(&pair.join("new"), markmodel::output::Mode::Check) {
        markmodel::Generated::Synced { report, lag, .. } => {
            assert!(!report.is_fresh());
            lag
        }
        markmodel::Generated::SpecErrors(loaded) => panic!("{:?}", loaded.diagnostics),
    };
    let Lag::Changes(lag) = lag else {
        panic!("expected changes, got {lag:?}");
    };
    assert_eq!(lag, diff_of(&pair.join("old"), &pair.join("new")));
    let named: BTreeSet<(&str, Option<&str>)> = lag
        .changes
        .iter()
        .map(|change| (change.model.as_str(), change.item.as_deref()))
        .collect();
    assert!(named.contains(&("Account", Some("balance"))), "{named:?}");
    assert!(named.contains(&("Account", Some("currency"))), "{named:?}");
    assert!(
        named.contains(&("AccountStatus", Some("\"closed\""))),
        "{named:?}"
    );

    // Regenerated, the crate no longer lags.
    generate(&pair.join("new"), markmodel::output::Mode::Write);
    match generate(&pair.join("new"), markmodel::output::Mode::Check) {
        markmodel::Generated::Synced { report, lag, .. } => {
            assert!(report.is_fresh());
            assert!(matches!(lag, Lag::Changes(diff) if diff.is_empty()));
        }
        markmodel::Generated::SpecErrors(loaded) => panic!("{:?}", loaded.diagnostics),
    }
    let _ = std::fs::remove_dir_all(&crate_dir);
}

/// Renames as (old, new) pairs, and the models only one side has.
fn shape_of(
    diff: &Diff,
) -> (
    BTreeSet<(String, String)>,
    BTreeSet<String>,
    BTreeSet<String>,
) {
    let renames = diff
        .renames
        .iter()
        .map(|rename| (rename.old.clone(), rename.new.clone()))
        .collect();
    let of_kind = |kind: &str| {
        diff.changes
            .iter()
            .filter(|change| change.kind.as_str() == kind)
            .map(|change| change.model.clone())
            .collect()
    };
    (renames, of_kind("model-added"), of_kind("model-removed"))
}

/// Swapping OLD and NEW reverses the matching: the same renames the other way, and the
/// added models are the removed ones.
fn assert_symmetric(a: &Spec, b: &Spec, what: &str) {
    let (renames, added, removed) = shape_of(&diff::diff(a, b));
    let (back_renames, back_added, back_removed) = shape_of(&diff::diff(b, a));
    let reversed: BTreeSet<(String, String)> = back_renames
        .into_iter()
        .map(|(old, new)| (new, old))
        .collect();
    assert_eq!(renames, reversed, "{what}: renames");
    assert_eq!(added, back_removed, "{what}: added");
    assert_eq!(removed, back_added, "{what}: removed");
}

/// Every spec of every fixture pair against every other (about 5,800 diffs): nothing
/// panics, a spec against itself has no change, every change has a doc location, both
/// reports render, and the matching is symmetric.
#[test]
fn every_fixture_spec_against_every_other() {
    let root = tests_dir().join("fixtures/diff");
    let mut specs = Vec::new();
    for (case, _) in expectations() {
        for side in ["old", "new"] {
            specs.push((
                format!("{case}/{side}"),
                spec_of(&root.join(case).join(side)),
            ));
        }
    }
    for (a_name, a) in &specs {
        for (b_name, b) in &specs {
            let diff = diff::diff(a, b);
            if a_name == b_name {
                assert!(
                    diff.is_empty(),
                    "{a_name} against itself: {:?}",
                    diff.changes
                );
            }
            for change in &diff.changes {
                assert!(change.old.is_some() || change.new.is_some(), "{change:?}");
            }
            let json: serde_json::Value = serde_json::from_str(&diff::json(&diff, a_name, b_name))
                .unwrap_or_else(|err| panic!("{a_name} -> {b_name}: {err}"));
            assert_eq!(
                json["changes"].as_array().map(Vec::len),
                Some(diff.changes.len())
            );
            assert!(diff::markdown(&diff, a_name, b_name).starts_with("# Spec changes"));
            if a_name < b_name {
                assert_symmetric(a, b, &format!("{a_name} <-> {b_name}"));
            }
        }
    }
}

#[test]
fn real_history_matching_is_symmetric() {
    let (Some(old), Some(new)) = (
        corpus("mistral-python-1.7.0"),
        corpus("mistral-python-2.5.1"),
    ) else {
        return;
    };
    assert_symmetric(&spec_of(&old), &spec_of(&new), "1.7.0 <-> 2.5.1");
}

/// `text` with every `models.Name` reference spelled `models.NameVx`, and a first-line
/// title `# Name` spelled `# NameVx`.
fn rename_everything(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 10);
    let mut rest = text;
    if let Some(title) = rest.strip_prefix("# ") {
        let end = title.find('\n').unwrap_or(title.len());
        out.push_str("# ");
        out.push_str(title[..end].trim_end());
        out.push_str("Vx");
        rest = &title[end..];
    }
    while let Some(at) = rest.find("models.") {
        let (before, after) = rest.split_at(at + "models.".len());
        out.push_str(before);
        let name_len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        out.push_str(&after[..name_len]);
        if name_len > 0 {
            out.push_str("Vx");
        }
        rest = &after[name_len..];
    }
    out.push_str(rest);
    out
}

/// Every title of 2.5.1 renamed at once: each rename found is the right one, and a model
/// left unmatched is one whose shape ties with another's and that nothing anchors.
#[test]
fn every_title_renamed_at_once_is_found_and_never_wrong() {
    let Some(corpus) = corpus("mistral-python-2.5.1") else {
        return;
    };
    let renamed = std::env::temp_dir().join(format!("diff-renamed-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&renamed);
    for path in tests::markdown_files(&corpus) {
        let relative = path
            .strip_prefix(&corpus)
            .unwrap_or_else(|err| panic!("{err}"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{err}"));
        let target = renamed.join(relative);
        std::fs::create_dir_all(target.parent().unwrap_or(&renamed))
            .unwrap_or_else(|err| panic!("{err}"));
        std::fs::write(&target, rename_everything(&text)).unwrap_or_else(|err| panic!("{err}"));
    }
    let old = spec_of(&corpus);
    let new = spec_of(&renamed);
    let _ = std::fs::remove_dir_all(&renamed);
    let diff = diff::diff(&old, &new);
    let wrong: Vec<String> = diff
        .renames
        .iter()
        .filter(|rename| rename.new != format!("{}Vx", rename.old))
        .map(|rename| format!("{} -> {}", rename.old, rename.new))
        .collect();
    assert!(wrong.is_empty(), "wrong renames: {wrong:?}");
    let retitled = old.models.len() - 1; // `BackoffStrategy` is titled below line 1.
    assert!(
        diff.renames.len() * 10 >= retitled * 8,
        "{} of {retitled} renames found",
        diff.renames.len()
    );
    // Nothing else changed: only renames, and the models no rename could pair.
    for change in &diff.changes {
        assert!(
            matches!(
                change.kind.as_str(),
                "model-renamed" | "model-added" | "model-removed" | "field-type-changed"
            ),
            "{change:?}"
        );
    }
}

/// The IR manifest `codegen` writes reads back, on the real corpora, into an IR with no
/// change against the spec, and writes the same bytes again.
#[test]
fn ir_manifest_round_trips_on_the_corpora() {
    for name in ["mistral-python-1.7.0", "mistral-python-2.5.1"] {
        let Some(corpus) = corpus(name) else {
            return;
        };
        let spec = spec_of(&corpus);
        let written = markmodel::manifest::render(&spec);
        let read = markmodel::manifest::parse(&written.contents)
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(read.models.len(), spec.models.len(), "{name}");
        let drift = diff::diff(&read, &spec);
        assert!(drift.is_empty(), "{name}: {:?}", drift.changes.first());
        assert_eq!(
            markmodel::manifest::render(&read).contents,
            written.contents,
            "{name}"
        );
    }
}

/// `--format github` on every fixture pair: one annotation per breaking change, in
/// report order, at its new doc line (the old one when only the old docs show it) under
/// the folder each side was named by, an error exactly when a `--fail-on` class holds it;
/// then one summary notice.
#[test]
fn github_annotations_follow_the_breaking_changes_of_every_fixture_pair() {
    let roots = diff::Roots {
        old: "docs/old",
        new: "docs/new",
    };
    for (case, _) in expectations() {
        let folder = tests_dir().join("fixtures/diff").join(case);
        let diff = diff_of(&folder.join("old"), &folder.join("new"));
        let text = diff::github(&diff, &[diff::Class::Wire], roots);
        let lines: Vec<&str> = text.lines().collect();
        let breaking: Vec<&Change> = diff.changes.iter().filter(|c| c.is_breaking()).collect();
        assert_eq!(lines.len(), breaking.len() + 1, "{case}:\n{text}");
        for (line, change) in lines.iter().zip(&breaking) {
            let level = if change.wire_breaking {
                "error"
            } else {
                "warning"
            };
            let (root, location) = match (&change.new, &change.old) {
                (Some(new), _) => (roots.new, new),
                (None, Some(old)) => (roots.old, old),
                (None, None) => panic!("{case}: {change:?} has no location"),
            };
            let start = format!(
                "::{level} file={root}/{},line={},title={}%3A {}::",
                location.file,
                location.line,
                change.model,
                change.kind.as_str()
            );
            assert!(line.starts_with(&start), "{case}: {line}\nwanted {start}");
        }
        assert!(
            lines
                .last()
                .is_some_and(|line| line.starts_with("::notice::diff: ")),
            "{case}:\n{text}"
        );
    }
}

#[test]
fn github_annotations_of_a_removed_model_and_a_directed_one() {
    let roots = diff::Roots {
        old: "old",
        new: "new",
    };
    let mut shown = String::new();
    for case in ["model-removed", "direction-response", "no-changes"] {
        let folder = tests_dir().join("fixtures/diff").join(case);
        let diff = diff_of(&folder.join("old"), &folder.join("new"));
        shown.push_str(&format!("# {case}\n"));
        shown.push_str(&diff::github(&diff, &[diff::Class::Api], roots));
    }
    insta::assert_snapshot!("github", shown);
}

/// Two SDK dialects' docs of one API: the fixture sources of the merge tests, whose
/// written differences are known (tests/merge.rs), compared the way `diff` does when the
/// dialects differ.
#[test]
fn diff_across_dialects_reports_written_facts_not_spelling() {
    let root = tests_dir().join("fixtures/merge");
    for other in ["typescript", "go"] {
        let diff = diff_of(&root.join("python"), &root.join(other));
        assert!(diff.across.is_some(), "{other}: compared as one dialect");
        insta::assert_snapshot!(
            format!("across__python__{other}"),
            diff::markdown(&diff, "python", other)
        );
    }
}

/// Changes that only restate one fact in two spellings: a type shown the same on both
/// sides, a union member removed and added back, a map of keys beyond the fields that one
/// dialect shows as a field.
fn spelling_changes(diff: &Diff) -> Vec<String> {
    let members = |kind: ChangeKind| -> BTreeSet<(&str, &str)> {
        diff.changes
            .iter()
            .filter(|change| change.kind == kind)
            .map(|change| (change.model.as_str(), change.item.as_deref().unwrap_or("")))
            .collect()
    };
    let readded = members(ChangeKind::UnionMemberRemoved)
        .intersection(&members(ChangeKind::UnionMemberAdded))
        .map(|(model, member)| format!("{model}: member {member} removed and added"))
        .collect::<Vec<_>>();
    let restated = diff.changes.iter().filter_map(|change| {
        let same_type = change.kind == ChangeKind::FieldTypeChanged
            && change
                .detail
                .split_once(" -> ")
                .is_some_and(|(old, new)| old == new);
        (same_type || change.kind == ChangeKind::AdditionalPropertiesChanged)
            .then(|| format!("{} {:?}: {}", change.model, change.item, change.detail))
    });
    readded.into_iter().chain(restated).collect()
}

/// The Python docs of Gr4vy against its five other SDKs' docs, and Mistral's Python docs
/// against its TypeScript docs (released weeks apart): no change is a mere respelling,
/// and the count of each kind is pinned in a snapshot (reviewed by hand: what is left is
/// release drift, facts two docs write differently, and models one SDK documents alone).
#[test]
fn diff_across_the_sdks_of_one_api() {
    let pairs = [
        ("gr4vy-python-2.3.12", "gr4vy-ts-2.4.10"),
        ("gr4vy-python-2.3.12", "gr4vy-go-1.12.128"),
        ("gr4vy-python-2.3.12", "gr4vy-java-2.18.13"),
        ("gr4vy-python-2.3.12", "gr4vy-csharp-2.8.62"),
        ("gr4vy-python-2.3.12", "gr4vy-php-1.7.7"),
        ("mistral-python-2.5.1", "mistral-ts-2.6.1"),
    ];
    let mut table = String::new();
    for (old, new) in pairs {
        let (Some(old_root), Some(new_root)) = (corpus(old), corpus(new)) else {
            return;
        };
        let diff = diff_of(&old_root, &new_root);
        assert!(
            diff.across.is_some(),
            "{old} -> {new}: compared as one dialect"
        );
        let spelling = spelling_changes(&diff);
        assert!(spelling.is_empty(), "{old} -> {new}: {spelling:#?}");
        let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
        for change in &diff.changes {
            *kinds.entry(change.kind.as_str()).or_default() += 1;
        }
        table.push_str(&format!("{old} -> {new}: {} changes\n", diff.changes.len()));
        for (kind, count) in kinds {
            table.push_str(&format!("    {kind}: {count}\n"));
        }
    }
    insta::assert_snapshot!("across__corpora", table);
}
