#!/usr/bin/env bash
# Whole-command timings of `codegen` against `lint` on a real corpus, in one hyperfine
# run so the ratios are paired: into an empty folder on the real disk (with `cp -r` of the
# same output as the disk's floor), a no-op run, `--check`, and a one-doc change (a
# description toggled between runs); then the same two writes right after `rm -rf` of
# the previous output; then codegen's peak memory, and the debug build of the generated
# crate with its dependencies already built. Needs hyperfine (Debian: hyperfine;
# installed here when missing).
#
# Why the empty folders are moved aside rather than removed between runs: this machine's
# disk is ext4 without a journal, where creating a file skips every inode of its block
# group freed in the last 60-300 s, one buffer lookup each (ext4's `recently_deleted`).
# Right after deleting thousands of files, each of the next thousand creations can pay
# for all of them: up to a second of kernel time, for `cp -r` as for us, depending on the
# block groups the allocator picks. The second hyperfine run shows that case; nothing is
# deleted before the first one ends.
# Usage: bash bench/codegen.sh [CORPUS_DIR]   (default: ../shared/corpora/mistral-python-2.5.1)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpora/mistral-python-2.5.1}"
command -v hyperfine >/dev/null || apt-get install -y hyperfine
# On the real disk (the target folder), not on tmpfs.
work="$(pwd)/target/bench-codegen"
# An earlier run's folder is moved out of the way now and deleted at the end.
old="$work.old.$$"
[ -e "$work" ] && mv "$work" "$old"
mkdir -p "$work/trash"
trap 'rm -rf "$work" "$old"' EXIT
# Moves `$1` into the trash under a new name: an empty place without freeing an inode.
cat > "$work/aside.sh" <<'ASIDE'
from="$(dirname "$0")/$1"
if [ -e "$from" ]; then mv "$from" "$(dirname "$0")/trash/$1-$(date +%s%N)"; fi
ASIDE

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
  --prepare "bash $work/aside.sh empty" "$xtask codegen --specs $work/spec --out $work/empty" \
  --prepare "bash $work/aside.sh copy" "cp -r $work/unchanged $work/copy" \
  --prepare "true" "$xtask codegen --specs $work/spec --out $work/unchanged" \
  --prepare "true" "$xtask codegen --specs $work/spec --out $work/unchanged --check" \
  --prepare "bash $work/toggle.sh" "$xtask codegen --specs $work/spec --out $work/crate"
cat "$work/codegen.md"

echo "Right after rm -rf of the previous output (see the top of this script):"
hyperfine --warmup 2 --runs 10 -N --export-markdown "$work/after-rm.md" \
  --prepare "rm -rf $work/empty" "$xtask codegen --specs $work/spec --out $work/empty" \
  --prepare "rm -rf $work/copy" "cp -r $work/unchanged $work/copy"
cat "$work/after-rm.md"

rm -rf "$work/empty"
/usr/bin/time -f 'codegen peak memory: %M KiB' "$xtask" codegen --specs "$work/spec" --out "$work/empty" >/dev/null

printf '\n[workspace]\n' >> "$work/unchanged/Cargo.toml"
export CARGO_TARGET_DIR="$work/target"
(cd "$work/unchanged" && cargo build --quiet)
(cd "$work/unchanged" && CARGO_INCREMENTAL=0 hyperfine --warmup 1 --runs 5 --prepare 'touch src/lib.rs' 'cargo build --quiet')
