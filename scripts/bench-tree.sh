#!/usr/bin/env bash
# Whole-tree timing of `rebrand apply` against copying the same tree, with hyperfine, on
# tmpfs (/dev/shm) so that file-creation costs of the disk do not drown the differences.
#
#   scripts/bench-tree.sh [TREE]     (default: ../shared/corpus/harvester-docs)
#
# Prints hyperfine's table: mean, min/max, user and system CPU time, and the ratio to `cp -r`.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=${1:-../shared/corpus/harvester-docs}
[ -d "$tree" ] || { echo "error: tree \`$tree\` not found" >&2; exit 2; }
if ! command -v hyperfine >/dev/null; then
  echo "installing hyperfine (Debian package)" >&2
  (apt-get update -qq && apt-get install -y -qq hyperfine) >/dev/null
fi
cargo build --release --quiet
work=$(mktemp -d /dev/shm/rebrand-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$tree" "$work/input"
bin=$PWD/target/release/rebrand
rules=$PWD/rules/nqrust-hypervisor.toml
echo "tree: $tree ($(du -sh "$work/input" | cut -f1), $(find "$work/input" -type f | wc -l) files), $(nproc) cores"
hyperfine --warmup 2 --runs 10 --export-markdown "$work/results.md" \
  --prepare "rm -rf $work/cp $work/out" \
  -n "cp -r" "cp -r $work/input $work/cp" \
  -n "rebrand apply" "$bin apply --rules $rules $work/input --out $work/out --color never 2>/dev/null" \
  -n "rebrand preview" "$bin preview --rules $rules $work/input --color never >/dev/null 2>&1"
cat "$work/results.md"
