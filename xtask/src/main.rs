//! `cargo xtask`: the project's commands. A thin CLI over the `codegen` library: it
//! parses arguments, calls the library, prints, and chooses the exit code.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use codegen::render::{self, Format};
use codegen::{FolderSource, Loaded};

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
