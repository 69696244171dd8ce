//! The `markmodel` command line, for the `markmodel` binary and for any repository's
//! `cargo xtask`: parses arguments, calls the library, prints, and chooses the exit code.
//!
//! A repository's `xtask/src/main.rs` is one call:
//!
//! ```no_run
//! fn main() -> std::process::ExitCode {
//!     markmodel_cli::main_named("cargo xtask")
//! }
//! ```

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod config;
mod validate;

use anyhow::Context;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use markmodel::output::Mode;
use markmodel::render::{self, Format, RenderOptions};
use markmodel::{FolderSource, Generated, Loaded};

#[derive(Debug, Parser)]
#[command(
    name = "markmodel",
    version,
    about = "Read Speakeasy model docs, lint them, and generate Rust."
)]
struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    /// When they go to a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Also into pipes and files.
    Always,
    Never,
}

impl ColorChoice {
    /// Whether diagnostics written to `stream` are coloured.
    fn enabled(self, stream: &impl IsTerminal) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => {
                // https://no-color.org; a dumb terminal shows escapes as text.
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
                let dumb = std::env::var_os("TERM").is_some_and(|term| term == "dumb");
                stream.is_terminal() && !no_color && !dumb
            }
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the IR of a spec as JSON (stable, sorted).
    #[command(after_help = "Example:\n  markmodel ir --specs docs/models > ir.json")]
    Ir {
        #[command(flatten)]
        spec: SpecArgs,
    },
    /// Generate the Rust crate for a spec (or, with `--check`, verify it is up to date).
    #[command(
        after_help = "Example:\n  markmodel codegen --specs docs/models --out crates/api-models\n  markmodel codegen --check --format github   # in CI"
    )]
    Codegen {
        #[command(flatten)]
        spec: SpecArgs,
        /// The output crate folder (default: `out` in `markmodel.toml`, else `generated`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write nothing; exit 1 when the output is stale, with a diff.
        #[arg(long)]
        check: bool,
        /// How `--check` prints what is stale: the lag report and a file diff (human),
        /// one JSON document, or GitHub Actions workflow annotations.
        #[arg(long, value_enum, default_value_t = CheckFormat::Human, requires = "check")]
        format: CheckFormat,
    },
    /// Validate JSON or JSON Lines instances of models against the spec.
    #[command(
        after_help = "Each `--model` applies to the files after it, so one run (one spec load) checks \
                      the files of several models.\n\n\
                      Example:\n  markmodel validate --model ChatCompletionResponse responses.jsonl\n  \
                      markmodel validate --model Job jobs.jsonl more-jobs.jsonl --model Invoice invoices.jsonl\n  \
                      curl -s $URL | markmodel validate --model Job --strict -"
    )]
    Validate {
        #[command(flatten)]
        spec: SpecArgs,
        /// The model the files after it should be (its doc title), then those files;
        /// repeat for the files of other models.
        #[arg(
            long = "model",
            value_names = ["MODEL", "FILE"],
            num_args = 1..,
            required = true
        )]
        models: Vec<String>,
        /// The values of each `--model`, apart (filled in from the matches: clap's derive
        /// flattens them).
        #[arg(skip)]
        groups: Vec<Vec<String>>,
        /// Treat drift hints (unknown keys, undocumented enum values, tolerated nulls) as errors.
        #[arg(long)]
        strict: bool,
        #[arg(long, value_enum, default_value_t = ValidateFormat::Human)]
        format: ValidateFormat,
        /// Load the spec afresh instead of from the spec cache (see the README).
        #[arg(long)]
        no_cache: bool,
        /// More JSON or JSON Lines files of the model, when one `--model` is given;
        /// `-` reads standard input.
        files: Vec<PathBuf>,
    },
    /// Print the JSON Schema (2020-12) of a spec, or of one model and what it references.
    #[command(after_help = "Example:\n  markmodel schema --model Job > job.schema.json")]
    Schema {
        #[command(flatten)]
        spec: SpecArgs,
        /// Only this model (its doc title) and the models it references.
        #[arg(long)]
        model: Option<String>,
    },
    /// Propose overlay entries from real payloads: keys, nulls and absences the docs miss.
    #[command(
        after_help = "Example:\n  markmodel learn --model Job payloads.jsonl            # print the proposals\n  markmodel learn --model Job --write payloads.jsonl    # add them to overlay.toml"
    )]
    Learn {
        #[command(flatten)]
        spec: SpecArgs,
        /// The model the payloads are instances of (its doc title).
        #[arg(long)]
        model: String,
        /// Merge the proposals into the spec's `overlay.toml` (adding; an existing
        /// different value is kept and reported).
        #[arg(long)]
        write: bool,
        /// JSON or JSON Lines files; `-` reads standard input.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Compare two versions of a spec: what changed, and whom it breaks (wire, Rust API).
    #[command(
        after_help = "Example:\n  markmodel diff git:origin/main specs --fail-on wire,api --format github\n  markmodel diff old-docs/ new-docs/ --format json"
    )]
    Diff {
        /// The old spec: a folder, or `git:REV[:PATH]` (a folder of a git revision of the
        /// current repository, PATH from the repository root, `specs` by default).
        old: String,
        /// The new spec, in the same forms.
        new: String,
        #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
        format: DiffFormat,
        /// Exit 1 when a change of this class exists: `wire` (breaks a client on the
        /// wire), `api` (breaks code using the generated crate), `any` (any change).
        /// Repeat or separate with commas to gate on several.
        #[arg(long, value_enum, value_delimiter = ',')]
        fail_on: Vec<FailOn>,
    },
    /// Check a spec and report every problem with its place in the docs.
    #[command(
        after_help = "Example:\n  markmodel lint --specs docs/models\n  markmodel lint --format github   # annotations on the docs in a pull request"
    )]
    Lint {
        #[command(flatten)]
        spec: SpecArgs,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
    },
}

#[derive(Debug, clap::Args)]
struct SpecArgs {
    /// The spec folder: markdown model docs, and an optional `overlay.toml`.
    /// (Default: `specs` in `markmodel.toml`, else `specs`.) Given more than once, the
    /// docs of several SDKs of one API are merged into one IR: the first is the primary
    /// source (its models, names and overlay), the others add the facts it lacks.
    #[arg(long)]
    specs: Vec<PathBuf>,
    /// An overlay file to read instead of the spec folder's `overlay.toml` (for docs that
    /// are vendored or generated, and not edited by hand).
    #[arg(long)]
    overlay: Option<PathBuf>,
    /// The SDK dialect of the docs (python, typescript, go, java, csharp, php, ruby);
    /// detected from the docs when omitted.
    #[arg(long, value_parser = parse_dialect)]
    dialect: Option<markmodel::dialect::Dialect>,
    /// The spec folders as the user wrote them (`markmodel.toml`), for the generated
    /// crate's README and the locations of merged sources: never absolute paths that
    /// differ between machines. Empty: the flags' paths as given.
    #[arg(skip)]
    labels: Vec<String>,
}

fn parse_dialect(name: &str) -> Result<markmodel::dialect::Dialect, String> {
    markmodel::dialect::Dialect::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = markmodel::dialect::Dialect::ALL
            .iter()
            .map(|dialect| dialect.name())
            .collect();
        format!(
            "unknown dialect `{name}`; expected one of {}",
            names.join(", ")
        )
    })
}

impl SpecArgs {
    fn options(&self) -> markmodel::LoadOptions {
        markmodel::LoadOptions {
            dialect: self.dialect,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutputFormat {
    /// Messages with source snippets.
    Human,
    /// One JSON document, with per-site details.
    Json,
    /// GitHub Actions workflow annotations.
    Github,
}

impl From<OutputFormat> for Format {
    fn from(format: OutputFormat) -> Self {
        match format {
            OutputFormat::Human => Format::Human,
            OutputFormat::Json => Format::Json,
            OutputFormat::Github => Format::Github,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ValidateFormat {
    /// One line per finding.
    Human,
    /// One JSON document with every instance and finding.
    Json,
    /// GitHub Actions workflow annotations: one per finding, on the instance's line.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    /// A changelog: grouped by model, breaking changes first.
    Markdown,
    /// One JSON document, stable for tools.
    Json,
    /// GitHub Actions workflow annotations: one per breaking change, on its doc line.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    /// The models the code lags behind, then a unified diff of the files.
    Human,
    /// One JSON document: up to date or not, the stale files, the lagging changes.
    Json,
    /// GitHub Actions workflow annotations on the stale files and the lagging docs.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Wire,
    Api,
    Any,
}

impl From<FailOn> for markmodel::diff::Class {
    fn from(class: FailOn) -> Self {
        match class {
            FailOn::Wire => markmodel::diff::Class::Wire,
            FailOn::Api => markmodel::diff::Class::Api,
            FailOn::Any => markmodel::diff::Class::Any,
        }
    }
}

/// Exit codes: 0 clean (warnings allowed), 1 errors in the spec, 2 usage or I/O errors.
const EXIT_FINDINGS: u8 = 1;
const EXIT_FAILURE: u8 = 2;

/// Runs the command line as `markmodel`.
pub fn main() -> ExitCode {
    main_named("markmodel")
}

/// Runs the command line under another name in help and usage texts (`cargo xtask`).
pub fn main_named(name: &'static str) -> ExitCode {
    let matches = Cli::command().name(name).bin_name(name).get_matches();
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    if let Command::Validate { groups, .. } = &mut cli.command
        && let Some(occurrences) = matches
            .subcommand_matches("validate")
            .and_then(|validate| validate.get_occurrences::<String>("models"))
    {
        *groups = occurrences
            .map(|values| values.cloned().collect())
            .collect();
    }
    match run(cli, name) {
        Ok(code) => code,
        // A closed pipe (`cargo xtask lint | head`) is the reader's choice, not a failure.
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(EXIT_FAILURE)
        }
    }
}

/// Resolves a relative path against the workspace root when it does not exist from
/// the current directory, so the commands work from any subfolder.
fn workspace_path(path: &Path) -> PathBuf {
    if path.is_relative()
        && !path.exists()
        && let Some(root) = workspace_root()
    {
        let candidate = root.join(path);
        if candidate.exists() {
            return candidate;
        }
    }
    path.to_path_buf()
}

/// The nearest folder, from the current one up, holding a Cargo workspace manifest (a
/// `Cargo.toml` with `[workspace]`).
fn workspace_root() -> Option<PathBuf> {
    let current = std::env::current_dir().ok()?;
    current
        .ancestors()
        .find(|folder| {
            std::fs::read_to_string(folder.join("Cargo.toml"))
                .is_ok_and(|manifest| manifest.lines().any(|line| line.trim() == "[workspace]"))
        })
        .map(Path::to_path_buf)
}

/// The primary spec source (the first `--specs`). Resolves it against the workspace
/// root when it is relative and does not exist from the current directory, so `cargo
/// xtask lint` works from any subfolder.
fn spec_source(args: &SpecArgs) -> FolderSource {
    let folder = args
        .specs
        .first()
        .map_or(Path::new("specs"), PathBuf::as_path);
    let source = FolderSource::new(workspace_path(folder));
    match &args.overlay {
        Some(overlay) => source.with_overlay(overlay),
        None => source,
    }
}

/// Every `--specs` source after the primary, resolved as [`spec_source`] resolves it.
fn secondary_sources(args: &SpecArgs) -> Vec<FolderSource> {
    args.specs
        .iter()
        .skip(1)
        .map(|folder| FolderSource::new(workspace_path(folder)))
        .collect()
}

/// Each spec folder as the user named it: the primary's (for the README) first.
fn spec_labels(args: &SpecArgs) -> Vec<String> {
    if !args.labels.is_empty() {
        return args.labels.clone();
    }
    if args.specs.is_empty() {
        return vec!["specs".to_owned()];
    }
    args.specs
        .iter()
        .map(|folder| folder.display().to_string())
        .collect()
}

/// The primary and the secondary sources with their labels, as the library takes them.
fn labelled<'a>(
    primary: &'a FolderSource,
    secondaries: &'a [FolderSource],
    labels: &'a [String],
) -> Vec<markmodel::Labelled<'a>> {
    std::iter::once(primary as &dyn markmodel::SpecSource)
        .chain(
            secondaries
                .iter()
                .map(|source| source as &dyn markmodel::SpecSource),
        )
        .zip(labels)
        .map(|(source, label)| markmodel::Labelled { source, label })
        .collect()
}

/// An overlay named with `--overlay` must exist (a typo would silently drop every fact
/// it states), except where `learn --write` is about to create it.
fn check_overlay_exists(args: &SpecArgs) -> anyhow::Result<()> {
    match &args.overlay {
        Some(overlay) if !overlay.is_file() => {
            anyhow::bail!("the overlay file `{}` does not exist", overlay.display())
        }
        _ => Ok(()),
    }
}

/// Loads a spec for a command that needs it whole: with errors, prints them and returns
/// `None` (the caller exits 2: the spec, not the input, is wrong).
fn load_clean(args: &SpecArgs, color: ColorChoice) -> anyhow::Result<Option<Loaded>> {
    let loaded = load(args, false)?;
    if loaded.spec.is_some() && !loaded.has_errors() {
        return Ok(Some(loaded));
    }
    print_spec_errors(
        &loaded,
        color,
        "error: the spec has errors; run `cargo xtask lint`",
    )?;
    Ok(None)
}

/// Prints a spec's diagnostics to standard error, then what the command did about
/// them.
fn print_spec_errors(loaded: &Loaded, color: ColorChoice, outcome: &str) -> anyhow::Result<()> {
    let stderr = std::io::stderr();
    let options = RenderOptions {
        color: color.enabled(&stderr),
        ..RenderOptions::new(Format::Human)
    };
    let mut stderr = stderr.lock();
    stderr
        .write_all(render::render_with(&loaded.diagnostics, &loaded.files, &options).as_bytes())?;
    writeln!(stderr, "{outcome}")?;
    Ok(())
}

/// One line on what a regeneration changed for the crate's users, naming the models
/// whose Rust API broke (`cargo xtask diff` gives the whole report).
fn regeneration_summary(diff: &markmodel::diff::Diff) -> String {
    let mut broken: Vec<&str> = diff
        .changes
        .iter()
        .filter(|change| change.api_breaking)
        .map(|change| change.model.as_str())
        .collect();
    broken.dedup();
    let mut line = format!(
        "codegen: the spec changed since the last generation: {} changes, {} breaking on the wire, {} for Rust code",
        diff.changes.len(),
        diff.changes
            .iter()
            .filter(|change| change.wire_breaking)
            .count(),
        diff.changes
            .iter()
            .filter(|change| change.api_breaking)
            .count(),
    );
    if !broken.is_empty() {
        const SHOWN: usize = 8;
        let names: Vec<String> = broken
            .iter()
            .take(SHOWN)
            .map(|name| format!("`{name}`"))
            .collect();
        line.push_str(&format!("; Rust API changed in {}", names.join(", ")));
        if broken.len() > SHOWN {
            line.push_str(&format!(" and {} more models", broken.len() - SHOWN));
        }
    }
    line
}

/// The file diff without the IR manifest's part: its lines are whole models in JSON,
/// and the lag report above it says the same in words.
fn without_manifest_diff(diff: &str) -> String {
    let header = format!("--- a/{}\n", markmodel::manifest::PATH);
    let Some(start) = diff.find(&header) else {
        return diff.to_owned();
    };
    let rest = &diff[start + header.len()..];
    let end = rest
        .find("\n--- a/")
        .map_or(diff.len(), |next| start + header.len() + next + 1);
    format!("{}{}", &diff[..start], &diff[end..])
}

/// Loads the spec a `diff` argument names (a folder, or `git:REV[:PATH]`); with errors,
/// prints them and returns `None`.
fn load_argument(
    argument: &str,
    color: ColorChoice,
) -> anyhow::Result<Option<markmodel::ir::Spec>> {
    let source = spec_argument(argument)?;
    let loaded = markmodel::load(source.as_ref())
        .with_context(|| format!("reading the spec at `{argument}`"))?;
    match loaded.spec {
        Some(spec) if !loaded.diagnostics.has_errors() => Ok(Some(spec)),
        _ => {
            print_spec_errors(
                &loaded,
                color,
                &format!(
                    "error: the spec at `{argument}` has errors; run `cargo xtask lint` on it"
                ),
            )?;
            Ok(None)
        }
    }
}

/// The source a spec argument names: `git:REV[:PATH]`, or a folder.
fn spec_argument(argument: &str) -> anyhow::Result<Box<dyn markmodel::SpecSource>> {
    match markmodel::GitSource::parse_argument(argument)? {
        Some((revision, path)) => {
            let path = path.as_deref().unwrap_or(DEFAULT_GIT_SPEC_PATH);
            let source = markmodel::GitSource::open(std::env::current_dir()?, &revision, path)
                .with_context(|| format!("opening `{argument}`"))?;
            Ok(Box::new(source))
        }
        None => Ok(Box::new(spec_source(&SpecArgs {
            specs: vec![PathBuf::from(argument)],
            overlay: None,
            dialect: None,
            labels: Vec::new(),
        }))),
    }
}

/// Where a spec argument's docs are in the repository, as the user named them: the
/// folder, or the `PATH` of `git:REV[:PATH]`.
fn docs_root(argument: &str) -> anyhow::Result<String> {
    Ok(match markmodel::GitSource::parse_argument(argument)? {
        Some((_, path)) => path.unwrap_or_else(|| DEFAULT_GIT_SPEC_PATH.to_owned()),
        None => argument.to_owned(),
    })
}

/// The spec folder `git:REV` means when it names no path: the default `--specs`.
const DEFAULT_GIT_SPEC_PATH: &str = "specs";

fn load(args: &SpecArgs, lint: bool) -> anyhow::Result<Loaded> {
    let (source, secondaries, labels) = (
        spec_source(args),
        secondary_sources(args),
        spec_labels(args),
    );
    let sources = labelled(&source, &secondaries, &labels);
    let loaded = if lint {
        markmodel::lint_sources(&sources, args.options())
    } else {
        markmodel::load_sources(&sources, args.options())
    };
    loaded.with_context(|| format!("reading the spec at `{}`", labels.join("`, `")))
}

fn run(mut cli: Cli, name: &str) -> anyhow::Result<ExitCode> {
    let settings = config::discover()?;
    match &mut cli.command {
        Command::Diff { .. } => {}
        Command::Ir { spec }
        | Command::Codegen { spec, .. }
        | Command::Validate { spec, .. }
        | Command::Schema { spec, .. }
        | Command::Learn { spec, .. }
        | Command::Lint { spec, .. } => settings.fill(spec),
    }
    match &cli.command {
        Command::Learn { write: true, .. } | Command::Diff { .. } => {}
        Command::Ir { spec }
        | Command::Codegen { spec, .. }
        | Command::Validate { spec, .. }
        | Command::Schema { spec, .. }
        | Command::Learn { spec, .. }
        | Command::Lint { spec, .. } => check_overlay_exists(spec)?,
    }
    let color = cli.color;
    let mut stdout = std::io::stdout().lock();
    match cli.command {
        Command::Learn {
            spec,
            model,
            write,
            files,
        } => learn(&spec, &model, write, &files, color, &mut stdout),
        Command::Diff {
            old,
            new,
            format,
            fail_on,
        } => {
            let (Some(old_spec), Some(new_spec)) =
                (load_argument(&old, color)?, load_argument(&new, color)?)
            else {
                return Ok(ExitCode::from(EXIT_FAILURE));
            };
            let diff = markmodel::diff::diff(&old_spec, &new_spec);
            let report = match format {
                DiffFormat::Markdown => markmodel::diff::markdown(&diff, &old, &new),
                DiffFormat::Json => markmodel::diff::json(&diff, &old, &new),
                DiffFormat::Github => {
                    let classes: Vec<markmodel::diff::Class> =
                        fail_on.iter().map(|class| (*class).into()).collect();
                    let (old_root, new_root) = (docs_root(&old)?, docs_root(&new)?);
                    let roots = markmodel::diff::Roots {
                        old: &old_root,
                        new: &new_root,
                    };
                    markmodel::diff::github(&diff, &classes, roots)
                }
            };
            stdout.write_all(report.as_bytes())?;
            let failed = fail_on.iter().any(|class| diff.has((*class).into()));
            Ok(if failed {
                ExitCode::from(EXIT_FINDINGS)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Schema { spec, model } => {
            let Some(loaded) = load_clean(&spec, color)? else {
                return Ok(ExitCode::from(EXIT_FAILURE));
            };
            let ir = loaded
                .spec
                .as_ref()
                .expect("load_clean returns a lowered spec");
            let model = model
                .as_deref()
                .map(|model| markmodel::find_model(ir, model))
                .transpose()?;
            let schema = markmodel::schema::json_schema(ir, model)?;
            serde_json::to_writer_pretty(&mut stdout, &schema)?;
            writeln!(stdout)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate {
            spec,
            groups,
            strict,
            format,
            no_cache,
            files,
            ..
        } => {
            let runs = validate::model_files(&groups, files)?;
            let options = validate::Options {
                strict,
                format,
                cache: !no_cache,
                color,
            };
            validate::run(&spec, &runs, &options, &mut stdout)
        }
        Command::Codegen {
            spec,
            out,
            check,
            format,
        } => {
            let target = CodegenTarget {
                settings: &settings,
                out,
                command: format!("{name} codegen"),
                color,
            };
            codegen(&spec, &target, check, format, &mut stdout)
        }
        Command::Ir { spec } => {
            let loaded = load(&spec, false)?;
            match &loaded.spec {
                Some(ir) if !loaded.has_errors() => {
                    stdout.write_all(markmodel::ir_json(ir).as_bytes())?;
                    Ok(ExitCode::SUCCESS)
                }
                _ => {
                    print_spec_errors(
                        &loaded,
                        color,
                        "error: the spec has errors; run `cargo xtask lint` for all findings",
                    )?;
                    Ok(ExitCode::from(EXIT_FINDINGS))
                }
            }
        }
        Command::Lint { spec, format } => {
            let loaded = load(&spec, true)?;
            let options = RenderOptions {
                color: color.enabled(&stdout),
                ..RenderOptions::new(Format::from(format))
            };
            let format = options.format;
            stdout.write_all(
                render::render_with(&loaded.diagnostics, &loaded.files, &options).as_bytes(),
            )?;
            if format == Format::Human {
                writeln!(
                    stdout,
                    "lint: {} documents, {} models: {}",
                    loaded.documents,
                    loaded.spec.as_ref().map_or(0, |spec| spec.models.len()),
                    render::summary(&loaded.diagnostics)
                )?;
            }
            Ok(if loaded.has_errors() {
                ExitCode::from(EXIT_FINDINGS)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

/// The name standard input (`-`) is reported by.
const STDIN_NAME: &str = "<stdin>";

/// The bytes of one input (`-` is standard input), with the name to report it by.
fn read_input(file: &std::path::Path) -> anyhow::Result<(String, Vec<u8>)> {
    if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)
            .context("reading standard input")?;
        return Ok((STDIN_NAME.to_owned(), bytes));
    }
    let bytes = std::fs::read(file).with_context(|| format!("reading `{}`", file.display()))?;
    Ok((file.display().to_string(), bytes))
}

/// Reads every instance of every input, with its file name.
fn read_instances(
    files: &[PathBuf],
) -> anyhow::Result<Vec<(String, markmodel::validate::Instance)>> {
    let mut out = Vec::new();
    for file in files {
        let (name, bytes) = read_input(file)?;
        out.extend(
            markmodel::validate::instances(&bytes)
                .into_iter()
                .map(|instance| (name.clone(), instance)),
        );
    }
    Ok(out)
}

fn learn(
    spec: &SpecArgs,
    model: &str,
    write: bool,
    files: &[PathBuf],
    color: ColorChoice,
    stdout: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let source = spec_source(spec);
    let Some(loaded) = load_clean(spec, color)? else {
        return Ok(ExitCode::from(EXIT_FAILURE));
    };
    let ir = loaded
        .spec
        .as_ref()
        .expect("load_clean returns a lowered spec");
    let model = markmodel::find_model(ir, model)?;
    let mut payloads = Vec::new();
    for (file, instance) in read_instances(files)? {
        match instance.value {
            Ok(value) => payloads.push(value),
            Err(message) => anyhow::bail!("{file}:{}: {message}", instance.line),
        }
    }
    let markmodel::learn::Report {
        proposals,
        withheld,
    } = markmodel::learn::learn_report(ir, model, &payloads)?;
    for fact in &withheld {
        let proposal = &fact.proposal;
        let place = match &proposal.field {
            Some(field) => format!("models.{}.fields.{field}", proposal.model),
            None => format!("models.{}", proposal.model),
        };
        writeln!(
            stdout,
            "# withheld: [{place}] {}: {} payloads support it, {} contradict it",
            proposal.setting, proposal.support, fact.counter_examples
        )?;
    }
    if !write {
        stdout.write_all(markmodel::learn::to_overlay_toml(&proposals).as_bytes())?;
        writeln!(
            stdout,
            "# learn: {} proposals from {} payloads of `{model}`",
            proposals.len(),
            payloads.len()
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let path = source.overlay_path();
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => return Err(error).with_context(|| format!("reading `{}`", path.display())),
    };
    let merged = markmodel::learn::merge_into_overlay(&existing, &proposals)?;
    if merged.text != existing {
        let temporary = path.with_extension("toml.tmp");
        std::fs::write(&temporary, &merged.text)
            .with_context(|| format!("writing `{}`", temporary.display()))?;
        std::fs::rename(&temporary, &path)
            .with_context(|| format!("writing `{}`", path.display()))?;
    }
    writeln!(
        stdout,
        "learn: {} entries added to `{}`, {} already there, {} conflicts",
        merged.added,
        path.display(),
        merged.kept,
        merged.conflicts.len()
    )?;
    let mut stderr = std::io::stderr().lock();
    for conflict in &merged.conflicts {
        writeln!(stderr, "warning: kept the existing value: {conflict}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Where `codegen` writes, and how the generated crate names its regeneration command.
struct CodegenTarget<'a> {
    settings: &'a config::Settings,
    /// `--out`, when given.
    out: Option<PathBuf>,
    command: String,
    color: ColorChoice,
}

fn codegen(
    spec: &SpecArgs,
    target: &CodegenTarget<'_>,
    check: bool,
    format: CheckFormat,
    stdout: &mut impl Write,
) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let (source, secondaries, labels) = (
        spec_source(spec),
        secondary_sources(spec),
        spec_labels(spec),
    );
    let out = target.settings.out(target.out.clone());
    let out_label = target.settings.out_label(target.out.as_deref());
    let spec_label = labels[0].clone();
    let mode = if check { Mode::Check } else { Mode::Write };
    let options =
        target
            .settings
            .generate_options(spec.options(), spec_label.clone(), &target.command);
    let sources = labelled(&source, &secondaries, &labels);
    let generated =
        markmodel::generate_sources(&sources, &options, &out, mode).with_context(|| {
            format!(
                "generating `{}` from `{}`",
                out.display(),
                source.root().display()
            )
        })?;
    let (loaded, report, lag) = match generated {
        Generated::SpecErrors(loaded) => {
            print_spec_errors(
                &loaded,
                target.color,
                "error: the spec has errors; nothing was generated",
            )?;
            return Ok(ExitCode::from(EXIT_FINDINGS));
        }
        Generated::Synced {
            loaded,
            report,
            lag,
        } => (loaded, report, lag),
    };
    let models = loaded.spec.as_ref().map_or(0, |spec| spec.models.len());
    let elapsed = started.elapsed();
    if check {
        let Some(ir) = loaded.spec.as_ref() else {
            anyhow::bail!("codegen returned no spec for `{}`", source.root().display());
        };
        // Annotations and JSON name the folders as given: paths in the repository, where
        // the resolved ones may be absolute.
        let (crate_root, spec_root) = (out_label, spec_label);
        let outcome = markmodel::freshness::Check {
            report: &report,
            lag: &lag,
            spec: ir,
            crate_root: &crate_root,
            spec_root: &spec_root,
        };
        match format {
            CheckFormat::Human => {
                if report.is_fresh() {
                    writeln!(
                        stdout,
                        "codegen --check: `{}` is up to date ({models} models, {:.0?})",
                        out.display(),
                        elapsed
                    )?;
                } else {
                    write_check_report(stdout, &report, &lag, &out, source.root())?;
                }
            }
            CheckFormat::Json => stdout.write_all(outcome.json().as_bytes())?,
            CheckFormat::Github => stdout.write_all(outcome.github().as_bytes())?,
        }
        if report.is_fresh() {
            return Ok(ExitCode::SUCCESS);
        }
        write_stale_summary(&report, &out, source.root())?;
        return Ok(ExitCode::from(EXIT_FINDINGS));
    }
    writeln!(
        stdout,
        "codegen: {models} models read; {} files written, {} unchanged, {} removed in {:.0?}",
        report.written.len(),
        report.unchanged.len(),
        report.removed.len(),
        elapsed
    )?;
    if let markmodel::Lag::Changes(diff) = &lag
        && !diff.is_empty()
    {
        writeln!(stdout, "{}", regeneration_summary(diff))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The human `--check` report of a stale crate: the models and fields it lags behind
/// (or why that cannot be said), then the file diff.
fn write_check_report(
    stdout: &mut impl Write,
    report: &markmodel::output::SyncReport,
    lag: &markmodel::Lag,
    out: &Path,
    spec_root: &Path,
) -> anyhow::Result<()> {
    match lag {
        markmodel::Lag::Changes(diff) if !diff.is_empty() => {
            let committed = format!("{} (src/ir.manifest)", out.display());
            let spec = spec_root.display().to_string();
            stdout.write_all(markmodel::diff::markdown(diff, &committed, &spec).as_bytes())?;
            writeln!(stdout, "\n# File diff\n")?;
        }
        markmodel::Lag::Changes(_) => writeln!(
            stdout,
            "The spec has not changed since the code was generated; the files \
             differ from what markmodel writes (edited by hand, or written by \
             another version of markmodel).\n"
        )?,
        markmodel::Lag::Unknown(reason) => writeln!(
            stdout,
            "Cannot say which models the code lags behind: {reason}.\n"
        )?,
    }
    stdout.write_all(without_manifest_diff(&report.diff).as_bytes())?;
    Ok(())
}

/// What is stale, missing and extra, on standard error whatever the format.
fn write_stale_summary(
    report: &markmodel::output::SyncReport,
    out: &Path,
    spec_root: &Path,
) -> anyhow::Result<()> {
    let (missing, stale): (Vec<&String>, Vec<&String>) = report
        .written
        .iter()
        .partition(|path| report.created.contains(path));
    let list = |paths: &[&String]| {
        paths
            .iter()
            .map(|path| path.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut stderr = std::io::stderr().lock();
    writeln!(
        stderr,
        "error: `{}` is not up to date with `{}`",
        out.display(),
        spec_root.display()
    )?;
    if !stale.is_empty() {
        writeln!(stderr, "  stale: {}", list(&stale))?;
    }
    if !missing.is_empty() {
        writeln!(stderr, "  missing: {}", list(&missing))?;
    }
    if !report.removed.is_empty() {
        writeln!(stderr, "  extra: {}", report.removed.join(", "))?;
    }
    writeln!(stderr, "run `cargo xtask codegen` and commit the result")?;
    Ok(())
}
