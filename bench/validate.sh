#!/usr/bin/env bash
# Validation throughput, in one run: the divan benchmark (codegen::validate vs the
# jsonschema crate on the exported schema vs serde_json parsing to a Value), then
# whole-process `xtask validate` on each model's JSON Lines workload with hyperfine.
# Usage: bash bench/validate.sh   (needs the corpora beside the workspace, and hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${SPEC_CORPORA:-../shared/corpora}/mistral-python-2.5.1"
cargo bench -p bench --bench validate
cargo build --release --quiet -p xtask
for file in target/bench-validate-*.jsonl; do
  model="${file#target/bench-validate-}"
  model="${model%.jsonl}"
  size=$(stat -c %s "$file")
  echo "== $model: $((size / 1024 / 1024)) MB"
  hyperfine --warmup 1 --runs 5 -N "./target/release/xtask validate --specs $corpus --model $model $file"
done
