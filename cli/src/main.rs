//! `markmodel`: the command-line tool (`cargo install --path cli`).

fn main() -> std::process::ExitCode {
    markmodel_cli::main()
}
