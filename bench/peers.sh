#!/usr/bin/env bash
# The crate markmodel generates for a real API against the crates its peers generate for
# the same API, all in one run: debug build and `cargo check` of each (dependencies
# built, CARGO_INCREMENTAL=0, `touch src/lib.rs` before each run), rustc's peak memory for
# the build, typed decode throughput of a JSON Lines workload of sample instances, and
# the generators' own speed (each writing its output anew on the disk, with `lint`).
# The peers' input is the JSON Schema that `xtask schema` exports, so no outside file is
# needed. Peers: cargo-typify (with its builders, and `-B`), installed from crates.io into
# target/bench-tools (with ploidy and openapi-to-rust, timed as generators only, from the
# export wrapped as an OpenAPI document), and quicktype (`--src-lang schema --lang rust`, every `$defs` entry a
# top-level type), installed from npm into target/bench-tools/quicktype (skipped, with a
# message, where npm is missing). Needs hyperfine (installed with apt when missing).
#
# Usage: bash bench/peers.sh [CORPUS_DIR]   (default: ../shared/corpora/mistral-python-2.5.1)
# Env: RUNS (hyperfine runs per command, default 5), DECODE_MIB (workload per model, 8),
# BASELINE_XTASK (another build of xtask, e.g. of main: its crate is measured too, as `base`),
# ONLY_DECODE=1 (skip the build, check and memory measurements).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
corpus="${1:-${SPEC_CORPORA:-../shared/corpora}/mistral-python-2.5.1}"
corpus="$(cd "$corpus" && pwd)"
runs="${RUNS:-5}"
decode_mib="${DECODE_MIB:-8}"
target="${CARGO_TARGET_DIR:-$root/target}"
tools="$target/bench-tools"
work="$target/bench-peers"
typify_version=0.8.0
quicktype_version=26.0.0
# Timed as generators only (they read OpenAPI: the export wrapped as components).
ploidy_version=0.15.0
openapi_to_rust_version=0.23.0
# The models of the decode workload: objects, nested lists, unions, enums and maps.
models=(ChatCompletionRequest ChatCompletionResponse CompletionFineTuningJobDetails OCRResponse ConversationResponse)

if ! command -v hyperfine >/dev/null; then
  apt-get install -y hyperfine
fi
if [[ ! -x "$tools/bin/cargo-typify" ]]; then
  cargo install cargo-typify --version "$typify_version" --root "$tools" --locked
fi
for tool in "ploidy $ploidy_version" "openapi-to-rust $openapi_to_rust_version"; do
  read -r name version <<<"$tool"
  if [[ ! -x "$tools/bin/$name" ]]; then
    cargo install "$name" --version "$version" --root "$tools" --locked ||
      echo "$name did not install: it is left out"
  fi
done
quicktype="$tools/quicktype/node_modules/.bin/quicktype"
if [[ ! -x "$quicktype" ]]; then
  if command -v npm >/dev/null; then
    npm install --silent --prefix "$tools/quicktype" "quicktype@$quicktype_version" >/dev/null
  else
    echo "npm not found: quicktype is left out"
  fi
fi
cargo build --release --quiet -p xtask
cargo build --release --quiet -p bench --example workload
xtask="$target/release/xtask"

# One workspace for every crate, so they share one lockfile and one built set of deps.
rm -rf "$work/ws"
mkdir -p "$work/ws"
ws="$work/ws"
"$xtask" codegen --specs "$corpus" --out "$ws/ours" >/dev/null
"$xtask" schema --specs "$corpus" >"$work/schema.json"
# The same schemas as an OpenAPI 3.1 document (its schemas are JSON Schema 2020-12).
python3 - "$work/schema.json" "$work/openapi.json" <<'EOF'
import json, sys
schema = json.load(open(sys.argv[1]))
defs = json.dumps(schema["$defs"]).replace('"#/$defs/', '"#/components/schemas/')
json.dump({"openapi": "3.1.0", "info": {"title": "markmodel schema export", "version": "0.1.0"},
           "paths": {}, "components": {"schemas": json.loads(defs)}}, open(sys.argv[2], "w"))
EOF
peer_crate() { # name, then the peer's generator command writing to $ws/name/src/lib.rs
  local name="$1"
  shift
  mkdir -p "$ws/$name/src"
  cat >"$ws/$name/Cargo.toml" <<EOF
[package]
name = "$name"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
chrono = { version = "0.4.41", default-features = false, features = ["alloc", "serde"] }
serde = { version = "1.0.219", features = ["derive"] }
serde_json = "1.0.140"
EOF
  "$@" >/dev/null
}
peer_crate typify "$tools/bin/cargo-typify" typify "$work/schema.json" -o "$ws/typify/src/lib.rs"
peer_crate typify-nb "$tools/bin/cargo-typify" typify -B "$work/schema.json" -o "$ws/typify-nb/src/lib.rs"
crates=(ours typify typify-nb)
decoders=(ours typify)
if [[ -x "$quicktype" ]]; then
  # Plain serde derives (Serialize, Deserialize, Debug, Clone), public fields.
  peer_crate quicktype "$quicktype" --src-lang schema --lang rust --visibility public \
    --density dense -o "$ws/quicktype/src/lib.rs" "$work/schema.json#/\$defs/"
  crates+=(quicktype)
  decoders+=(quicktype)
fi
if [[ -n "${BASELINE_XTASK:-}" ]]; then
  "$BASELINE_XTASK" codegen --specs "$corpus" --out "$ws/base" >/dev/null
  crates=(base "${crates[@]}")
fi

# The decode binary: each model's workload read into each crate's types, in release.
[[ -n "${BASELINE_XTASK:-}" ]] && decoders=(base "${decoders[@]}")
rust_name() { # crate, model: the model's type name in that crate's code
  if [[ "$1" == typify* || "$1" == quicktype ]]; then # UpperCamelCase words (`OCRResponse` -> `OcrResponse`)
    python3 -c 'import re,sys; print(re.sub(r"([A-Z]+)([A-Z][a-z]|$)", lambda m: m[1].capitalize() + m[2], sys.argv[1]))' "$2"
  else
    echo "$2"
  fi
}
mkdir -p "$ws/decode/src"
{
  printf '[package]\nname = "decode"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n'
  printf '[dependencies]\nserde = "1.0.219"\nserde_json = "1.0.140"\n'
  for crate in "${decoders[@]}"; do printf '%s = { path = "../%s" }\n' "$crate" "$crate"; done
} >"$ws/decode/Cargo.toml"
{
  cat <<'EOF'
//! Typed decode throughput: every line of each workload file read into its model's type.
fn decode<T: serde::de::DeserializeOwned>(text: &str) -> usize {
    text.lines()
        .map(|line| serde_json::from_str::<T>(line).map_or(1, |_| 0))
        .sum()
}

fn run(name: &str, files: &[(&str, String)], read: impl Fn(&str, &str) -> usize) {
    // `DECODE_ONLY=ours` runs one decoder alone (to profile it).
    if std::env::var("DECODE_ONLY").is_ok_and(|only| only != name) {
        return;
    }
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
    let mut best = f64::MAX;
    let mut failed = 0;
    for _ in 0..5 {
        let start = std::time::Instant::now();
        failed = files.iter().map(|(model, text)| read(model, text)).sum::<usize>();
        best = best.min(start.elapsed().as_secs_f64());
    }
    let mb = bytes as f64 / 1e6;
    println!("{name}\t{:.0}\tMB/s\t({mb:.0} MB, best of 5, {failed} lines rejected)", mb / best);
}

fn main() {
    let dir = std::env::args().nth(1).expect("the workload folder");
    let files: Vec<(&str, String)> = MODELS
        .iter()
        .map(|model| {
            let path = format!("{dir}/{model}.jsonl");
            (*model, std::fs::read_to_string(&path).expect(&path))
        })
        .collect();
    run("serde_json::Value", &files, |_, text| decode::<serde_json::Value>(text));
EOF
  for crate in "${decoders[@]}"; do
    echo "    run(\"$crate\", &files, |model, text| match model {"
    for model in "${models[@]}"; do
      echo "        \"$model\" => decode::<$crate::$(rust_name "$crate" "$model")>(text),"
    done
    echo "        _ => unreachable!(),"
    echo "    });"
  done
  echo "}"
  printf 'const MODELS: &[&str] = &[%s];\n' "$(printf '"%s", ' "${models[@]}")"
} >"$ws/decode/src/main.rs"
printf '[workspace]\nresolver = "3"\nmembers = [%s"decode"]\n' "$(printf '"%s", ' "${crates[@]}")" >"$ws/Cargo.toml"

export CARGO_TARGET_DIR="$work/target" CARGO_INCREMENTAL=0
cd "$ws"
rm -f "$work/build.json" "$work/check.json" "$work/memory.txt"
if [[ -z "${ONLY_DECODE:-}" ]]; then
echo "== building dependencies and each crate once"
for crate in "${crates[@]}"; do
  cargo build --quiet -p "$crate" 2>/dev/null
  cargo check --quiet -p "$crate" 2>/dev/null
done

echo "== debug build and cargo check, $runs runs each"
build_cmds=() check_cmds=()
for crate in "${crates[@]}"; do
  build_cmds+=(--prepare "touch $crate/src/lib.rs" -n "build $crate" "cargo build --quiet -p $crate")
  check_cmds+=(--prepare "touch $crate/src/lib.rs" -n "check $crate" "cargo check --quiet -p $crate")
done
hyperfine --runs "$runs" --style basic --export-json "$work/build.json" "${build_cmds[@]}"
hyperfine --runs "$runs" --style basic --export-json "$work/check.json" "${check_cmds[@]}"

echo "== rustc peak memory (debug build)"
for crate in "${crates[@]}"; do
  touch "$crate/src/lib.rs"
  # The exact rustc command cargo runs (env prefix included), rerun under `time`.
  command="$(cargo build -v -p "$crate" 2>&1 | sed -n "s/^ *Running \`\(.*--crate-name ${crate//-/_} .*\)\`$/\1/p")"
  eval "/usr/bin/time -f %M -o '$work/mem-$crate' env $command" >/dev/null 2>&1
  echo "$crate $(($(cat "$work/mem-$crate") / 1024)) MiB" | tee -a "$work/memory.txt"
done
fi

echo "== typed decode ($decode_mib MiB of each of ${models[*]})"
"$target/release/examples/workload" "$corpus" "$work/workload" "$decode_mib" "${models[@]}"
cargo build --release --quiet -p decode 2>/dev/null
"$work/target/release/decode" "$work/workload" | tee "$work/decode.txt"

if [[ -z "${ONLY_DECODE:-}" ]]; then
# Last, long after `rm -rf` of the previous run's crates: on this disk, creating files
# right after deleting many is slow for every writer (see bench/codegen.sh).
echo "== generators: each writes the API's types anew on the disk, $runs runs each"
gen="$work/gen"
rm -rf "$gen"
mkdir -p "$gen/trash"
# Moves the output `$1` aside (into the trash, deleted with the work folder).
cat >"$gen/aside.sh" <<'ASIDE'
if [ -e "$(dirname "$0")/$1" ]; then mv "$(dirname "$0")/$1" "$(dirname "$0")/trash/$1-$(date +%s%N)"; fi
ASIDE
generate_cmds=(
  --prepare true -n "lint ours" "$xtask lint --specs $corpus"
  --prepare "bash $gen/aside.sh ours" -n "generate ours" "$xtask codegen --specs $corpus --out $gen/ours"
  --prepare "rm -f $gen/typify.rs" -n "generate typify"
  "$tools/bin/cargo-typify typify $work/schema.json -o $gen/typify.rs"
  --prepare "rm -f $gen/typify-nb.rs" -n "generate typify-nb"
  "$tools/bin/cargo-typify typify -B $work/schema.json -o $gen/typify-nb.rs"
)
if [[ -x "$tools/bin/ploidy" ]]; then # a crate of a file per type, like ours
  generate_cmds+=(--prepare "bash $gen/aside.sh ploidy" -n "generate ploidy"
    "$tools/bin/ploidy generate rust $work/openapi.json -o $gen/ploidy")
fi
if [[ -x "$tools/bin/openapi-to-rust" ]]; then
  generate_cmds+=(--prepare "rm -rf $gen/openapi-to-rust" -n "generate openapi-to-rust"
    "$tools/bin/openapi-to-rust generate $work/openapi.json --types-only --output-dir $gen/openapi-to-rust")
fi
if [[ -x "$quicktype" ]]; then
  generate_cmds+=(--prepare "rm -f $gen/quicktype.rs" -n "generate quicktype"
    "$quicktype --src-lang schema --lang rust --visibility public --density dense -o $gen/quicktype.rs $work/schema.json#/\$defs/")
fi
hyperfine -N --warmup 1 --runs "$runs" --style basic --export-json "$work/generate.json" "${generate_cmds[@]}"
fi

echo "== ratios (ours / peer; mean wall time, and user+sys CPU time; decode throughput)"
python3 - "$work" <<'EOF'
import json, os, sys
work = sys.argv[1]
decode = {}
for line in open(f"{work}/decode.txt"):
    name, speed = line.split("\t")[:2]
    decode[name] = float(speed)
for mine in ("base", "ours"):
    for peer, speed in decode.items():
        if mine in decode and peer not in ("base", "ours"):
            print(f"decode: {mine} {decode[mine]:.0f} MB/s, {peer} {speed:.0f} MB/s: "
                  f"{decode[mine] / speed:.2f}x")
if os.path.exists(f"{work}/generate.json"):
    results = {r["command"]: r for r in json.load(open(f"{work}/generate.json"))["results"]}
    ours = results.pop("generate ours")
    for name, result in results.items():
        print(f"generate: ours {ours['mean'] * 1e3:.0f} ms, {name} {result['mean'] * 1e3:.0f} ms: "
              f"{ours['mean'] / result['mean']:.2f}x wall")
for kind in ("build", "check"):
    if not os.path.exists(f"{work}/{kind}.json"):
        continue
    results = {r["command"].split()[-1]: r for r in json.load(open(f"{work}/{kind}.json"))["results"]}
    for mine in ("base", "ours"):
        if mine not in results:
            continue
        ours = results[mine]
        for peer, result in results.items():
            if peer in ("base", "ours"):
                continue
            wall = ours["mean"] / result["mean"]
            cpu = (ours["user"] + ours["system"]) / (result["user"] + result["system"])
            print(f"{kind}: {mine} {ours['mean']:.2f} s, {peer} {result['mean']:.2f} s: "
                  f"{wall:.2f}x wall, {cpu:.2f}x CPU")
EOF
