#!/usr/bin/env bash
# Validation throughput, in one run:
#  1. the divan benchmark (codegen::validate vs the jsonschema crate on the exported schema
#     vs serde_json parsing to a Value);
#  2. in-process markmodel vs jsonschema on a workload of 20 mistral-python-2.5.1 models
#     (~50 MB of JSON Lines), rounds alternating, with the ratio;
#  3. whole process on that workload: one `xtask validate` run for all 20 models' files
#     (one spec load, from the spec cache), against one run per model file, in MB/s;
#  4. the spec load alone (a one-line file): from the cache, and with `--no-cache`;
#  5. whole-process `xtask validate` on each divan model's file.
# Usage: bash bench/validate.sh   (needs the corpora beside the workspace, and hyperfine)
# Env: RUNS (hyperfine runs, default 5), SKIP_DIVAN=1 to skip steps 1 and 5, BASE_XTASK=
# an older xtask binary to time beside this one (steps 3 and 4).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${SPEC_CORPORA:-../shared/corpora}/mistral-python-2.5.1"
target="${CARGO_TARGET_DIR:-target}"
runs="${RUNS:-5}"
xtask="$target/release/xtask"
models=(ChatCompletionRequest ChatCompletionResponse CompletionFineTuningJobDetails OCRResponse
  ConversationResponse AgentsCompletionRequest FIMCompletionRequest EmbeddingRequest
  EmbeddingResponse ModelList FileSchema ClassificationRequest ClassificationResponse
  ModerationResponse Agent ConversationRequest TranscriptionResponse ToolMessage UsageInfo
  AssistantMessage)

if [ "${SKIP_DIVAN:-0}" != 1 ]; then
  cargo bench -p bench --bench validate
fi
cargo build --release --quiet -p xtask
cargo build --release --quiet -p bench --example workload --example validate_ratio

many="$target/bench-validate-many"
rm -rf "$many"
# 20 models of 2.5 MiB each: ~52 MB.
"$target/release/examples/workload" "$corpus" "$many" 2.5 "${models[@]}"
files=("$many"/*.jsonl)
bytes=$(cat "${files[@]}" | wc -c)
echo "== workload: ${#files[@]} models, $((bytes / 1000000)) MB of JSON Lines"

echo "== in-process"
"$target/release/examples/validate_ratio" "$corpus" "${files[@]}"

head -n 1 "${files[0]}" > "$target/bench-validate-one.jsonl"
one_model="$(basename "${files[0]}" .jsonl)"

# One run for every model's files: `--model A a.jsonl --model B b.jsonl ...`.
one_run="$xtask validate --specs $corpus"
per_file="set -e;"
for file in "${files[@]}"; do
  model="$(basename "$file" .jsonl)"
  one_run+=" --model $model $file"
  per_file+=" $xtask validate --specs $corpus --model $model $file >/dev/null;"
done
# With BASE_XTASK (an older build), its one-run-per-file row and spec load join the same
# hyperfine runs, for ratios taken together.
base_rows=()
base_load=()
if [ -n "${BASE_XTASK:-}" ]; then
  base_per_file="${per_file//"$xtask "/"$BASE_XTASK "}"
  base_rows=(-n "base: one run per model file" "bash -c '$base_per_file'")
  base_load=(-n "base" "$BASE_XTASK validate --specs $corpus --model $one_model $target/bench-validate-one.jsonl")
fi
# MB/s from hyperfine's median, for each command of one hyperfine run.
rates() {
  tail -n +2 "$1" | while IFS=, read -r command _mean _stddev median _rest; do
    awk -v bytes="$bytes" -v median="$median" -v name="$command" \
      'BEGIN { printf "%-40s %7.1f ms  %6.0f MB/s\n", name, median * 1000, bytes / 1e6 / median }'
  done
}
echo "== whole process"
hyperfine --warmup 1 --runs "$runs" --export-csv "$target/bench-validate-whole.csv" \
  -n "one run for ${#files[@]} models" "$one_run" \
  -n "one run per model file" "bash -c '$per_file'" \
  "${base_rows[@]}"
rates "$target/bench-validate-whole.csv"

echo "== spec load (${corpus##*/}: one one-line instance)"
hyperfine -N --warmup 3 --runs $((runs * 4)) \
  -n "spec cache" "$xtask validate --specs $corpus --model $one_model $target/bench-validate-one.jsonl" \
  "${base_load[@]}" \
  -n "no cache" "$xtask validate --specs $corpus --no-cache --model $one_model $target/bench-validate-one.jsonl"

if [ "${SKIP_DIVAN:-0}" != 1 ]; then
  for file in "$target"/bench-validate-*.jsonl; do
    [ "$file" = "$target/bench-validate-one.jsonl" ] && continue
    [ "$file" = "$target/bench-validate.jsonl" ] && continue
    model="${file#"$target"/bench-validate-}"
    model="${model%.jsonl}"
    size=$(stat -c %s "$file")
    echo "== $model: $((size / 1024 / 1024)) MB"
    hyperfine --warmup 1 --runs "$runs" -N "$xtask validate --specs $corpus --model $model $file"
  done
fi
