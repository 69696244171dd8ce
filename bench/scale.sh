#!/usr/bin/env bash
# How `lint` and `codegen` grow with the spec: synthetic specs of 1k, 5k, 10k and 50k docs
# (copies of a real corpus's shapes, `bench/src/bin/synthetic.rs`), one run each of
# `lint`, `codegen` into an empty folder on the real disk and a no-op `codegen`, with
# wall time, time per doc and peak memory.
# Usage: bash bench/scale.sh [CORPUS_DIR] [SIZES...]   (default: mistral-python-2.5.1; 1000 5000 10000 50000)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpora/mistral-python-2.5.1}"
shift || true
sizes=("${@:-1000 5000 10000 50000}")
work="$(pwd)/target/bench-scale"
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet -p xtask -p bench
xtask=./target/release/xtask

measure() { # label docs command...
  local label="$1" docs="$2"
  shift 2
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
  read -r seconds kib < "$work/time"
  awk -v l="$label" -v d="$docs" -v s="$seconds" -v k="$kib" \
    'BEGIN { printf "| %s | %d | %.2f s | %.1f µs | %d MiB |\n", l, d, s, s * 1e6 / d, k / 1024 }'
}

echo "| command | docs | wall | per doc | peak memory |"
echo "|---|---|---|---|---|"
for size in ${sizes[*]}; do
  spec="$work/spec-$size"
  ./target/release/synthetic "$corpus" "$spec" "$size"
  size="$(ls "$spec/models" | wc -l)"
  measure lint "$size" "$xtask" lint --specs "$spec"
  measure "codegen (empty folder)" "$size" "$xtask" codegen --specs "$spec" --out "$work/crate-$size"
  measure "codegen (no-op)" "$size" "$xtask" codegen --specs "$spec" --out "$work/crate-$size"
  rm -rf "$spec" "$work/crate-$size"
done
