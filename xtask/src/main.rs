//! `cargo xtask`: the project's commands. A thin CLI over the `codegen` library: it
//! parses arguments, calls the library, prints, and chooses the exit code.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use codegen::output::Mode;
use codegen::render::{self, Format};
use codegen::{FolderSource, Generated, Loaded};

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    about = "Read Speakeasy model docs, lint them, and generate Rust."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the IR of a spec as JSON (stable, sorted).
    Ir {
        #[command(flatten)]
        spec: SpecArgs,
    },
    /// Generate the Rust crate for a spec (or, with `--check`, verify it is up to date).
    Codegen {
        #[command(flatten)]
        spec: SpecArgs,
        /// The output crate folder.
        #[arg(long, default_value = "generated")]
        out: PathBuf,
        /// Write nothing; exit 1 when the output is stale, with a diff.
        #[arg(long)]
        check: bool,
    },
    /// Check a spec and report every problem with its place in the docs.
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
    #[arg(long, default_value = "specs")]
    specs: PathBuf,
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

/// Exit codes: 0 clean (warnings allowed), 1 errors in the spec, 2 usage or I/O errors.
const EXIT_FINDINGS: u8 = 1;
const EXIT_FAILURE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
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
fn workspace_path(path: &std::path::Path) -> PathBuf {
    if path.is_relative() && !path.exists() {
        let candidate = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(path);
        if candidate.exists() {
            return candidate;
        }
    }
    path.to_path_buf()
}

/// Resolves `--specs` against the workspace root when it is relative and does not
/// exist from the current directory, so `cargo xtask lint` works from any subfolder.
fn spec_source(args: &SpecArgs) -> FolderSource {
    if args.specs.is_relative() && !args.specs.exists() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let candidate = root.join(&args.specs);
        if candidate.exists() {
            return FolderSource::new(candidate);
        }
    }
    FolderSource::new(args.specs.clone())
}

fn load(args: &SpecArgs, lint: bool) -> anyhow::Result<Loaded> {
    let source = spec_source(args);
    let loaded = if lint {
        codegen::lint(&source)
    } else {
        codegen::load(&source)
    };
    loaded.with_context(|| format!("reading the spec at `{}`", source.root().display()))
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    match cli.command {
        Command::Codegen { spec, out, check } => {
            let started = std::time::Instant::now();
            let source = spec_source(&spec);
            let out = workspace_path(&out);
            let mode = if check { Mode::Check } else { Mode::Write };
            let generated = codegen::generate(&source, &out, mode).with_context(|| {
                format!(
                    "generating `{}` from `{}`",
                    out.display(),
                    source.root().display()
                )
            })?;
            let (loaded, report) = match generated {
                Generated::SpecErrors(loaded) => {
                    let mut stderr = std::io::stderr().lock();
                    stderr.write_all(
                        render::render(&loaded.diagnostics, &loaded.files, Format::Human)
                            .as_bytes(),
                    )?;
                    writeln!(stderr, "error: the spec has errors; nothing was generated")?;
                    return Ok(ExitCode::from(EXIT_FINDINGS));
                }
                Generated::Synced { loaded, report } => (loaded, report),
            };
            let models = loaded.spec.as_ref().map_or(0, |spec| spec.models.len());
            let elapsed = started.elapsed();
            if check {
                if report.is_fresh() {
                    writeln!(
                        stdout,
                        "codegen --check: `{}` is up to date ({models} models, {:.0?})",
                        out.display(),
                        elapsed
                    )?;
                    return Ok(ExitCode::SUCCESS);
                }
                let missing: Vec<&String> = report
                    .written
                    .iter()
                    .filter(|path| !out.join(path).exists())
                    .collect();
                let stale: Vec<&String> = report
                    .written
                    .iter()
                    .filter(|path| out.join(path).exists())
                    .collect();
                stdout.write_all(report.diff.as_bytes())?;
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
                    source.root().display()
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
            Ok(ExitCode::SUCCESS)
        }
        Command::Ir { spec } => {
            let loaded = load(&spec, false)?;
            match &loaded.spec {
                Some(ir) if !loaded.has_errors() => {
                    stdout.write_all(codegen::ir_json(ir).as_bytes())?;
                    Ok(ExitCode::SUCCESS)
                }
                _ => {
                    let mut stderr = std::io::stderr().lock();
                    stderr.write_all(
                        render::render(&loaded.diagnostics, &loaded.files, Format::Human)
                            .as_bytes(),
                    )?;
                    writeln!(
                        stderr,
                        "error: the spec has errors; run `cargo xtask lint` for all findings"
                    )?;
                    Ok(ExitCode::from(EXIT_FINDINGS))
                }
            }
        }
        Command::Lint { spec, format } => {
            let loaded = load(&spec, true)?;
            let format = Format::from(format);
            stdout
                .write_all(render::render(&loaded.diagnostics, &loaded.files, format).as_bytes())?;
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
