//! The `validate` command: which files are checked against which model, the spec loaded
//! once per run (through the spec cache), the instances checked on every core, and the
//! human, JSON and GitHub reports, each naming the model an instance was checked against.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use markmodel::parallel;
use markmodel::spec_cache::{self, Cached};
use markmodel::validate::{Finding, Level, Validator};

use crate::{
    ColorChoice, EXIT_FAILURE, EXIT_FINDINGS, STDIN_NAME, SpecArgs, ValidateFormat,
    print_spec_errors, read_input, spec_source, workspace_root,
};

/// One `--model` and the files after it.
#[derive(Debug)]
pub(crate) struct ModelFiles {
    model: String,
    files: Vec<PathBuf>,
}

/// Pairs each `--model` with its files: the values after it, and (with one `--model`,
/// as in `--model Job --strict jobs.jsonl`) the files given apart from it.
pub(crate) fn model_files(
    groups: &[Vec<String>],
    loose: Vec<PathBuf>,
) -> anyhow::Result<Vec<ModelFiles>> {
    let mut runs: Vec<ModelFiles> = groups
        .iter()
        .filter_map(|group| group.split_first())
        .map(|(model, files)| ModelFiles {
            model: model.clone(),
            files: files.iter().map(PathBuf::from).collect(),
        })
        .collect();
    match runs.as_mut_slice() {
        [only] => only.files.extend(loose),
        _ if !loose.is_empty() => anyhow::bail!(
            "with several `--model`s, name each model's files right after it: `--model A a.jsonl --model B b.jsonl`"
        ),
        _ => {}
    }
    if let Some(empty) = runs.iter().find(|run| run.files.is_empty()) {
        anyhow::bail!(
            "`--model {}` is followed by no files; name the JSON or JSON Lines files to check after it (`-` is standard input)",
            empty.model
        );
    }
    Ok(runs)
}

/// How `validate` reports.
#[derive(Debug)]
pub(crate) struct Options {
    pub(crate) strict: bool,
    pub(crate) format: ValidateFormat,
    /// Whether the spec is read through the spec cache.
    pub(crate) cache: bool,
    pub(crate) color: ColorChoice,
}

/// One input file, and the model it is checked against.
struct Input {
    name: String,
    /// Index into the run's resolved model names.
    model: usize,
    bytes: Vec<u8>,
}

/// One instance's findings; the file and model are its input's (no copy per instance).
struct Report {
    input: usize,
    line: usize,
    findings: Vec<Finding>,
}

pub(crate) fn run(
    spec: &SpecArgs,
    runs: &[ModelFiles],
    options: &Options,
    stdout: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let source = spec_source(spec);
    let cache = options.cache.then(cache_dir).flatten();
    let asked: Vec<&str> = runs.iter().map(|run| run.model.as_str()).collect();
    let cached = if spec.specs.len() > 1 {
        // Several sources merged: not cached (the cache keys one folder).
        let loaded = crate::load(spec, false)?;
        match loaded.spec {
            Some(merged) if !loaded.has_errors() => {
                Cached::Clean(spec_cache::select_loaded(merged, &asked))
            }
            _ => Cached::Errors(Box::new(loaded)),
        }
    } else {
        spec_cache::load(&source, spec.options(), cache.as_deref(), &asked)
            .with_context(|| format!("reading the spec at `{}`", source.root().display()))?
    };
    let selection = match cached {
        Cached::Clean(selection) => selection,
        Cached::Errors(loaded) => {
            print_spec_errors(
                &loaded,
                options.color,
                "error: the spec has errors; run `cargo xtask lint`",
            )?;
            return Ok(ExitCode::from(EXIT_FAILURE));
        }
    };
    let models = selection.models?;
    let files: Vec<(usize, &Path)> = runs
        .iter()
        .enumerate()
        .flat_map(|(model, run)| run.files.iter().map(move |file| (model, file.as_path())))
        .collect();
    let inputs = read_inputs(&files)?;
    let validator = Validator::new(&selection.spec);
    let reports = check_all(&validator, &models, &inputs)?;
    let outcome = Outcome {
        models: &models,
        inputs: &inputs,
        reports: &reports,
        strict: options.strict,
    };
    match options.format {
        ValidateFormat::Json => outcome.write_json(stdout)?,
        ValidateFormat::Github => stdout.write_all(outcome.annotations().as_bytes())?,
        ValidateFormat::Human => outcome.write_human(stdout)?,
    }
    Ok(if outcome.invalid() > 0 {
        ExitCode::from(EXIT_FINDINGS)
    } else {
        ExitCode::SUCCESS
    })
}

/// Where the spec cache lives: `MARKMODEL_CACHE_DIR` (empty: no cache); else
/// `markmodel/spec-cache` in Cargo's target folder (`CARGO_TARGET_DIR`, or `target` of
/// the workspace around the current folder); else in the user's cache folder. Never in
/// the spec folder.
fn cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("MARKMODEL_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| workspace_root().map(|root| root.join("target")));
    if let Some(target) = target {
        return Some(target.join("markmodel").join("spec-cache"));
    }
    let user = std::env::var_os("XDG_CACHE_HOME")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache")))?;
    Some(user.join("markmodel").join("spec-cache"))
}

/// Reads the inputs, in order, several files at once: reading copies every byte once, and
/// on more cores that copy overlaps.
fn read_inputs(files: &[(usize, &Path)]) -> anyhow::Result<Vec<Input>> {
    let per_thread = files
        .len()
        .div_ceil(parallel::threads_for(files.len()))
        .max(1);
    let parts: Vec<&[(usize, &Path)]> = files.chunks(per_thread).collect();
    let read = parallel::map_parts(&parts, |part| {
        part.iter()
            .map(|&(model, file)| {
                let (name, bytes) = read_input(file)?;
                Ok(Input { name, model, bytes })
            })
            .collect::<anyhow::Result<Vec<Input>>>()
    });
    let mut inputs = Vec::with_capacity(files.len());
    for part in read {
        inputs.extend(part?);
    }
    Ok(inputs)
}

/// One instance's text, or why the input stops being JSON there.
struct Text<'a> {
    input: usize,
    line: usize,
    text: Result<&'a [u8], String>,
}

/// Inputs smaller than this are checked on one thread: a thread costs more than it saves.
const BYTES_PER_THREAD: usize = 1 << 20;

/// Checks every instance of every input, in order, spreading contiguous runs of
/// instances over the cores (the reports come back in input order whatever the split).
fn check_all(
    validator: &Validator<'_>,
    models: &[String],
    inputs: &[Input],
) -> anyhow::Result<Vec<Report>> {
    let mut texts = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        markmodel::validate::each_text(&input.bytes, |line, text| {
            texts.push(Text {
                input: index,
                line,
                text,
            });
        });
    }
    let total: usize = inputs.iter().map(|input| input.bytes.len()).sum();
    let chunks = split_by_bytes(&texts, parallel::threads_for(total / BYTES_PER_THREAD));
    let checked = parallel::map_parts(&chunks, |chunk| {
        check_chunk(validator, models, inputs, chunk)
    });
    let mut reports = Vec::with_capacity(texts.len());
    for chunk in checked {
        reports.extend(chunk?);
    }
    Ok(reports)
}

/// `texts` cut into at most `parts` contiguous runs of about equal bytes.
fn split_by_bytes<'t, 'a>(texts: &'t [Text<'a>], parts: usize) -> Vec<&'t [Text<'a>]> {
    let size = |text: &Text<'_>| text.text.as_ref().map_or(1, |bytes| bytes.len().max(1));
    let total: usize = texts.iter().map(size).sum();
    let share = total.div_ceil(parts.max(1)).max(1);
    let mut out = Vec::with_capacity(parts);
    let (mut start, mut filled) = (0, 0);
    for (index, text) in texts.iter().enumerate() {
        filled += size(text);
        if filled >= share {
            out.push(&texts[start..=index]);
            (start, filled) = (index + 1, 0);
        }
    }
    if start < texts.len() {
        out.push(&texts[start..]);
    }
    out
}

fn check_chunk(
    validator: &Validator<'_>,
    models: &[String],
    inputs: &[Input],
    chunk: &[Text<'_>],
) -> Result<Vec<Report>, markmodel::validate::ValidateError> {
    let models = models
        .iter()
        .map(|model| validator.of(model))
        .collect::<Result<Vec<_>, _>>()?;
    let mut reports = Vec::with_capacity(chunk.len());
    for text in chunk {
        let model = &models[inputs[text.input].model];
        let findings = match &text.text {
            Ok(json) => match model.validate_json(json) {
                Ok(findings) => findings,
                Err(message) => not_json(message),
            },
            Err(message) => not_json(message.clone()),
        };
        reports.push(Report {
            input: text.input,
            line: text.line,
            findings,
        });
    }
    Ok(reports)
}

/// The finding of an instance that is not JSON.
fn not_json(message: String) -> Vec<Finding> {
    vec![Finding {
        level: Level::Error,
        pointer: String::new(),
        expected: "a JSON value".to_owned(),
        found: message,
        spec: None,
        members: Vec::new(),
    }]
}

/// What a run found, for its reports.
struct Outcome<'a> {
    models: &'a [String],
    inputs: &'a [Input],
    reports: &'a [Report],
    strict: bool,
}

#[derive(serde::Serialize)]
struct InstanceReport<'a> {
    file: &'a str,
    model: &'a str,
    line: usize,
    valid: bool,
    findings: &'a [Finding],
}

impl Outcome<'_> {
    fn is_invalid(&self, findings: &[Finding]) -> bool {
        findings.iter().any(|finding| {
            finding.level == Level::Error || (self.strict && finding.level == Level::Warning)
        })
    }

    fn invalid(&self) -> usize {
        self.reports
            .iter()
            .filter(|report| self.is_invalid(&report.findings))
            .count()
    }

    /// The file and model of a report.
    fn place(&self, report: &Report) -> (&str, &str) {
        let input = &self.inputs[report.input];
        (&input.name, &self.models[input.model])
    }

    fn write_json(&self, stdout: &mut impl Write) -> anyhow::Result<()> {
        let out: Vec<InstanceReport<'_>> = self
            .reports
            .iter()
            .map(|report| {
                let (file, model) = self.place(report);
                InstanceReport {
                    file,
                    model,
                    line: report.line,
                    valid: !self.is_invalid(&report.findings),
                    findings: &report.findings,
                }
            })
            .collect();
        serde_json::to_writer_pretty(&mut *stdout, &out)?;
        writeln!(stdout)?;
        Ok(())
    }

    fn write_human(&self, stdout: &mut impl Write) -> anyhow::Result<()> {
        for report in self.reports {
            if report.findings.is_empty() {
                continue;
            }
            let (file, model) = self.place(report);
            let verdict = if self.is_invalid(&report.findings) {
                "invalid"
            } else {
                "valid, with drift hints"
            };
            writeln!(stdout, "{file}:{}: {verdict} `{model}`", report.line)?;
            for finding in &report.findings {
                write_finding(stdout, finding, "  ")?;
            }
        }
        let mut names: Vec<&str> = Vec::new();
        for input in self.inputs {
            let name = self.models[input.model].as_str();
            if !names.contains(&name) {
                names.push(name);
            }
        }
        for name in &names {
            let tally = self.tally(|model| model == *name);
            writeln!(
                stdout,
                "validate: {} instances of `{name}`: {tally}",
                tally.instances
            )?;
        }
        if names.len() > 1 {
            let tally = self.tally(|_| true);
            writeln!(
                stdout,
                "validate: {} instances of {} models: {tally}",
                tally.instances,
                names.len()
            )?;
        }
        Ok(())
    }

    /// The counts of the instances whose model `keep` accepts.
    fn tally(&self, keep: impl Fn(&str) -> bool) -> Tally {
        let mut tally = Tally {
            instances: 0,
            invalid: 0,
            warnings: 0,
            strict: self.strict,
        };
        for report in self.reports {
            if !keep(self.place(report).1) {
                continue;
            }
            tally.instances += 1;
            tally.invalid += usize::from(self.is_invalid(&report.findings));
            tally.warnings += report
                .findings
                .iter()
                .filter(|finding| finding.level == Level::Warning)
                .count();
        }
        tally
    }

    /// One annotation per finding on its instance's line: an error for an error (and,
    /// with `--strict`, for a drift hint), a warning for a drift hint; a union's members
    /// follow in the message.
    fn annotations(&self) -> String {
        use markmodel::render::github::{self, Level as Annotation, Place};
        let mut out = String::new();
        for report in self.reports {
            let (file, model) = self.place(report);
            // Standard input is no file of the repository: its line goes into the message.
            let place = (file != STDIN_NAME).then(|| Place {
                file: file.to_owned(),
                line: Some(u32::try_from(report.line).unwrap_or(u32::MAX)),
            });
            for finding in &report.findings {
                let hint = finding.level == Level::Warning;
                let level = if hint && !self.strict {
                    Annotation::Warning
                } else {
                    Annotation::Error
                };
                let title = if hint {
                    format!("{model}: drift hint")
                } else {
                    format!("{model}: invalid")
                };
                let mut message = finding_text(finding);
                if place.is_none() {
                    message = format!("{file}:{}: {message}", report.line);
                }
                let mut members = Vec::new();
                for member in &finding.members {
                    members.push(format!("member `{}`:", member.member));
                    for inner in &member.findings {
                        finding_lines(inner, "  ", &mut members);
                    }
                }
                for member in members {
                    message.push('\n');
                    message.push_str(&member);
                }
                out.push_str(&github::annotation(level, place.as_ref(), &title, &message));
            }
        }
        out
    }
}

/// The counts of a summary line.
struct Tally {
    instances: usize,
    invalid: usize,
    warnings: usize,
    strict: bool,
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} valid, {} invalid, {} drift warnings{}",
            self.instances - self.invalid,
            self.invalid,
            self.warnings,
            if self.strict {
                " (strict: warnings are errors)"
            } else {
                ""
            }
        )
    }
}

fn write_finding(out: &mut impl Write, finding: &Finding, indent: &str) -> std::io::Result<()> {
    let mut lines = Vec::new();
    finding_lines(finding, indent, &mut lines);
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// A finding, then why each union member failed under it, indented.
fn finding_lines(finding: &Finding, indent: &str, out: &mut Vec<String>) {
    let level = match finding.level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    out.push(format!("{indent}{level} {}", finding_text(finding)));
    for member in &finding.members {
        out.push(format!("{indent}  member `{}`:", member.member));
        for inner in &member.findings {
            finding_lines(inner, &format!("{indent}    "), out);
        }
    }
}

/// `at /pointer: expected X (doc:line:column); found Y`.
fn finding_text(finding: &Finding) -> String {
    let at = finding
        .spec
        .as_ref()
        .map(|location| format!(" ({location})"))
        .unwrap_or_default();
    format!(
        "at {}: expected {}{at}; found {}",
        markmodel::validate::display_pointer(&finding.pointer),
        finding.expected,
        finding.found
    )
}
