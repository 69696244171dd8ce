#!/usr/bin/env bash
# Whole-command timings of `codegen` on a real corpus, and the debug build time of the
# crate it generates (its dependencies already built). Needs hyperfine (Debian: hyperfine).
# Usage: bash bench/codegen.sh [CORPUS_DIR]   (default: ../shared/corpora/mistral-python-2.5.1)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpora/mistral-python-2.5.1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet -p xtask
xtask=./target/release/xtask
"$xtask" codegen --specs "$corpus" --out "$work/crate" >/dev/null
printf '\n[workspace]\n' >> "$work/crate/Cargo.toml"

hyperfine --warmup 3 --runs 15 -N \
  "$xtask codegen --specs $corpus --out $work/crate" \
  "$xtask codegen --specs $corpus --out $work/crate --check" \
  "$xtask lint --specs $corpus"

export CARGO_TARGET_DIR="$work/target"
(cd "$work/crate" && cargo build --quiet)
(cd "$work/crate" && hyperfine --warmup 1 --runs 5 --prepare 'touch src/lib.rs' 'cargo build --quiet')
