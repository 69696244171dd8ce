#!/usr/bin/env bash
# Whole-command timings of the drift audit on the real history (mistral-python-1.7.0 ->
# 2.5.1), with `lint` of both specs as the cost of reading them, and the same diff with
# both sides read from git revisions. Needs hyperfine (Debian: hyperfine) and git.
# Usage: bash bench/diff.sh [CORPORA_DIR]   (default: ../shared/corpora)
set -euo pipefail
cd "$(dirname "$0")/.."
corpora="$(cd "${1:-../shared/corpora}" && pwd)"
old="$corpora/mistral-python-1.7.0"
new="$corpora/mistral-python-2.5.1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet -p xtask
xtask="$(pwd)/target/release/xtask"

# A repository holding both versions as two commits of one folder.
git_() { git -C "$work/repo" -c user.name=bench -c user.email=bench@localhost -c commit.gpgsign=false "$@"; }
mkdir -p "$work/repo"
git_ init -q
cp -r "$old" "$work/repo/spec" && git_ add -A && git_ commit -qm old
rm -rf "$work/repo/spec" && cp -r "$new" "$work/repo/spec" && git_ add -A && git_ commit -qm new

hyperfine --warmup 3 --runs 15 -N \
  "$xtask lint --specs $old" \
  "$xtask lint --specs $new" \
  "$xtask diff $old $new" \
  "$xtask diff $old $new --format json"

cd "$work/repo"
hyperfine --warmup 3 --runs 15 -N \
  "$xtask diff $old $new" \
  "$xtask diff git:HEAD~1:spec git:HEAD:spec"
