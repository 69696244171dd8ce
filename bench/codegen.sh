#!/usr/bin/env bash
# Whole-command timings of `codegen` against `lint` on a real corpus, in one hyperfine
# run so the ratios are paired: into an empty folder on the real disk (with `cp -r` of the
# same output as the disk's floor), a no-op run, `--check`, and a one-doc change (a
# description toggled between runs); then codegen's peak memory, and the debug build of
# the generated crate with its dependencies already built. Needs hyperfine (Debian:
# hyperfine; installed here when missing).
# Usage: bash bench/codegen.sh [CORPUS_DIR]   (default: ../shared/corpora/mistral-python-2.5.1)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpora/mistral-python-2.5.1}"
command -v hyperfine >/dev/null || apt-get install -y hyperfine
# On the real disk (the target folder), not on tmpfs.
work="$(pwd)/target/bench-codegen"
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet -p xtask
xtask=./target/release/xtask
cp -r "$corpus" "$work/spec"
"$xtask" codegen --specs "$work/spec" --out "$work/crate" >/dev/null
cp -r "$work/crate" "$work/unchanged"

# The one-doc change: one description toggled between two texts before each run.
doc="$(grep -l '| N/A' "$work/spec/models/"*.md | sed -n 1p)"
printf '%s\n' \
  "if grep -q 'N/A Toggled[.]' '$doc'; then sed -i 's|N/A Toggled[.]|N/A|' '$doc';" \
  "else sed -i '0,/| N\\/A/s//| N\\/A Toggled./' '$doc'; fi" > "$work/toggle.sh"

hyperfine --warmup 2 --runs 10 -N --export-markdown "$work/codegen.md" \
  --prepare "true" "$xtask lint --specs $work/spec" \
  --prepare "rm -rf $work/empty" "$xtask codegen --specs $work/spec --out $work/empty" \
  --prepare "rm -rf $work/copy" "cp -r $work/unchanged $work/copy" \
  --prepare "true" "$xtask codegen --specs $work/spec --out $work/unchanged" \
  --prepare "true" "$xtask codegen --specs $work/spec --out $work/unchanged --check" \
  --prepare "bash $work/toggle.sh" "$xtask codegen --specs $work/spec --out $work/crate"
cat "$work/codegen.md"

rm -rf "$work/empty"
/usr/bin/time -f 'codegen peak memory: %M KiB' "$xtask" codegen --specs "$work/spec" --out "$work/empty" >/dev/null

printf '\n[workspace]\n' >> "$work/unchanged/Cargo.toml"
export CARGO_TARGET_DIR="$work/target"
(cd "$work/unchanged" && cargo build --quiet)
(cd "$work/unchanged" && CARGO_INCREMENTAL=0 hyperfine --warmup 1 --runs 5 --prepare 'touch src/lib.rs' 'cargo build --quiet')
