#!/usr/bin/env bash
# Per corpus (every dialect): documents and models, `lint` and `codegen` times (release,
# whole process; codegen into an empty folder on the real disk), the generated crate's
# lines, and its `cargo check` time with dependencies built. Needs hyperfine (Debian).
# Usage: bash bench/corpora.sh [CORPORA_DIR]   (default: ../shared/corpora)
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="${1:-../shared/corpora}"
# On the project's own disk, not tmpfs: file creation there is what users pay.
work="$(mktemp -d -p "$PWD/target")"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet -p xtask
xtask=./target/release/xtask
export CARGO_TARGET_DIR="$work/target" CARGO_INCREMENTAL=0

printf '| corpus | dialect | documents | models | lint (ms) | codegen (ms) | generated lines | cargo check (s) |\n'
printf '|---|---|---|---|---|---|---|---|\n'
for dir in "$corpora"/*/; do
  name="$(basename "$dir")"
  summary="$("$xtask" lint --specs "$dir" 2>/dev/null | tail -1)"
  documents="$(sed -E 's/lint: ([0-9]+) documents.*/\1/' <<<"$summary")"
  models="$(sed -E 's/.* ([0-9]+) models.*/\1/' <<<"$summary")"
  dialect="$("$xtask" ir --specs "$dir" | sed -n 's/^  "dialect": "\(.*\)",$/\1/p')"
  hyperfine --warmup 2 --runs 10 -N --export-json "$work/lint.json" \
    "$xtask lint --specs $dir" >/dev/null
  hyperfine --warmup 1 --runs 10 --prepare "rm -rf $work/crate" --export-json "$work/codegen.json" \
    "$xtask codegen --specs $dir --out $work/crate" >/dev/null
  lint_ms="$(python3 -c "import json;print(round(json.load(open('$work/lint.json'))['results'][0]['median']*1000,1))")"
  codegen_ms="$(python3 -c "import json;print(round(json.load(open('$work/codegen.json'))['results'][0]['median']*1000,1))")"
  lines="$(cat "$work"/crate/src/*.rs "$work"/crate/src/models/*.rs | wc -l)"
  printf '\n[workspace]\n' >> "$work/crate/Cargo.toml"
  (cd "$work/crate" && cargo check --quiet 2>/dev/null || true)
  touch "$work/crate/src/lib.rs"
  start="$(date +%s.%N)"
  (cd "$work/crate" && cargo check --quiet)
  check_s="$(python3 -c "print(round($(date +%s.%N) - $start, 1))")"
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' \
    "$name" "$dialect" "$documents" "$models" "$lint_ms" "$codegen_ms" "$lines" "$check_s"
done
