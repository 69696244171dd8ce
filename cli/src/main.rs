//! `markmodel`: the command-line tool (`cargo install --path cli`).

// Code generation allocates many small token trees on every core; mimalloc's per-thread
// heaps make that markedly cheaper than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    markmodel_cli::main()
}
