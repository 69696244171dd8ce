//! In-process validation throughput of `markmodel::validate` (while parsing) and of the
//! `jsonschema` crate on the exported schema, in one process, rounds alternating, and
//! their ratio: the figure `bash bench/validate.sh` prints. Run:
//! `cargo run --release -p bench --example validate_ratio -- CORPUS FILE.jsonl...`
//! (each file named `<Model>.jsonl`, as `--example workload` writes them).

use std::path::PathBuf;
use std::time::{Duration, Instant};

// As the command line does: see `cli/src/main.rs`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ROUNDS: usize = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: validate_ratio CORPUS FILE.jsonl...";
    let corpus = PathBuf::from(args.next().ok_or(usage)?);
    let loaded = markmodel::load(&markmodel::FolderSource::new(corpus))?;
    let spec = loaded.spec.ok_or("the corpus does not lower")?;
    let mut workload = Vec::new();
    for file in args {
        let path = PathBuf::from(&file);
        let model = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .ok_or("a file named <Model>.jsonl")?
            .to_owned();
        workload.push((model, std::fs::read_to_string(&path)?));
    }
    let bytes: usize = workload.iter().map(|(_, text)| text.len()).sum();
    let validator = markmodel::validate::Validator::new(&spec);
    // One validator per model, as on the jsonschema side.
    let ours = workload
        .iter()
        .map(|(model, _)| validator.of(model))
        .collect::<Result<Vec<_>, _>>()?;
    let theirs = workload
        .iter()
        .map(|(model, _)| {
            let schema = markmodel::schema::json_schema(&spec, Some(model))?;
            jsonschema::validator_for(&schema).map_err(|error| error.to_string().into())
        })
        .collect::<Result<Vec<_>, Box<dyn std::error::Error>>>()?;
    let (mut ours_times, mut theirs_times) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        ours_times.push(timed(|| {
            for ((_, text), validator) in workload.iter().zip(&ours) {
                for line in text.lines() {
                    let findings = validator.validate_str(line);
                    assert!(matches!(findings, Ok(found) if found.iter().all(|finding| finding.level != markmodel::validate::Level::Error)));
                }
            }
        }));
        theirs_times.push(timed(|| {
            for ((_, text), validator) in workload.iter().zip(&theirs) {
                for line in text.lines() {
                    let value: serde_json::Value = serde_json::from_str(line).expect("JSON");
                    assert!(validator.is_valid(&value));
                }
            }
        }));
    }
    let rate = |times: &mut Vec<Duration>| {
        times.sort();
        bytes as f64 / 1e6 / times[times.len() / 2].as_secs_f64()
    };
    let (ours_rate, theirs_rate) = (rate(&mut ours_times), rate(&mut theirs_times));
    println!(
        "in-process, {} MB of {} models, medians of {ROUNDS}: markmodel {ours_rate:.0} MB/s, jsonschema {theirs_rate:.0} MB/s: {:.2}x",
        bytes / 1_000_000,
        workload.len(),
        ours_rate / theirs_rate
    );
    Ok(())
}

fn timed(run: impl FnOnce()) -> Duration {
    let started = Instant::now();
    run();
    started.elapsed()
}
