//! `cargo xtask`: this repository's commands, the `markmodel` CLI under another name.

fn main() -> std::process::ExitCode {
    markmodel_cli::main_named("cargo xtask")
}
