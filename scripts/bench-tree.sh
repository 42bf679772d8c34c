#!/usr/bin/env bash
# Whole-tree timings of `rebrand apply` against the floor (reading and copying every byte) and
# against the literal replacers people use for this job (GNU sed, fastmod, sd), with
# hyperfine, on tmpfs (/dev/shm) so that the disk's file-creation costs do not drown the
# differences. Every tool runs in the same hyperfine run, so shared-machine noise hits all.
#
#   scripts/bench-tree.sh [TREE] [COPIES]
#       TREE    default ../shared/corpus/harvester-docs
#       COPIES  default "1 20 20d": the tree itself, a tree of 20 copies of it, and 20
#               *distinct* copies (`20d`: each Markdown file of copy N ends with a line
#               naming N, so that no text repeats across copies and one run cannot reuse
#               one copy's rewrite for another; the repeats inside the tree, its versioned
#               doc folders, stay as upstream has them)
#
# sed, fastmod and sd get the same literal substitutions as the rule file (from → to, in
# the order that keeps longer `from`s first); they know nothing of code, URLs, links or
# anchors, so they do less than rebrand and break what rebrand keeps. hyperfine comes from
# the distribution's packages and fastmod and sd from crates.io when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=${1:-../shared/corpus/harvester-docs}
copies=${2:-"1 20 20d"}
[ -d "$tree" ] || { echo "error: tree \`$tree\` not found" >&2; exit 2; }
if ! command -v hyperfine >/dev/null; then
  echo "installing hyperfine (Debian package)" >&2
  (apt-get update -qq && apt-get install -y -qq hyperfine) >/dev/null
fi
for tool in fastmod sd; do
  if ! command -v "$tool" >/dev/null; then
    echo "installing $tool (crates.io)" >&2
    cargo install --quiet --locked "$tool"
  fi
done
cargo build --release --quiet
bin=$PWD/target/release/rebrand
# The whole-site rules for the one site; the brand rules they extend (the product-name rules,
# no overlay, patch, renames or locales: 20 copies side by side are not one site) for the
# comparison with the literal replacers.
rules=$PWD/rules/nqrust-hypervisor.toml
brand=$PWD/rules/nqrust-hypervisor/brand.toml
work=$(mktemp -d /dev/shm/rebrand-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# The brand file's substitutions as literal pairs, longest `from` first, tab-separated.
python3 - "$brand" > "$work/pairs.tsv" <<'PY'
import sys, tomllib
rules = tomllib.load(open(sys.argv[1], "rb"))
subs = sorted(rules.get("substitution", []), key=lambda s: -len(s["from"]))
for s in subs:
    print(f"{s['from']}\t{s['to']}")
PY
# The same as one sed script (literal: regex characters escaped).
python3 - "$work/pairs.tsv" > "$work/subs.sed" <<'PY'
import re, sys
for line in open(sys.argv[1]):
    f, t = line.rstrip("\n").split("\t")
    esc = lambda s: re.sub(r'([\\/.*\[\]^$&])', r'\\\1', s)
    print(f"s/{esc(f)}/{esc(t)}/g")
PY
cat > "$work/fastmod.sh" <<'SH'
#!/usr/bin/env bash
while IFS=$'\t' read -r from to; do
  fastmod --accept-all --hidden --fixed-strings "$from" "$to" "$1" >/dev/null
done < "$2"
SH
cat > "$work/sd.sh" <<'SH'
#!/usr/bin/env bash
while IFS=$'\t' read -r from to; do
  find "$1" -type f -print0 | xargs -0 -P "$(nproc)" -n 64 sd --fixed-strings "$from" "$to"
done < "$2"
SH
chmod +x "$work/fastmod.sh" "$work/sd.sh"
cores=$(nproc)

for n in $copies; do
  input="$work/input-$n"
  mkdir -p "$input"
  if [ "$n" = 1 ]; then
    cp -r "$tree/." "$input"
    runs=10
  else
    for i in $(seq 1 "${n%d}"); do cp -r "$tree" "$input/copy-$i"; done
    if [ "${n%d}" != "$n" ]; then
      for i in $(seq 1 "${n%d}"); do
        find "$input/copy-$i" -name '*.md' -exec sh -c 'for f; do printf "\nCopy %s of this page.\n" "$0" >>"$f"; done' "$i" {} +
      done
    fi
    runs=3
  fi
  chmod -R u+w "$input"
  echo
  echo "== $n x: $(du -sh "$input" | cut -f1), $(find "$input" -type f | wc -l) files, $cores cores, $(wc -l < "$work/pairs.tsv") substitutions"
  scratch="$work/scratch"
  hyperfine --warmup 1 --runs "$runs" --export-json "$work/results-$n.json" \
    -n "cat (read every byte)" --prepare "true" "find $input -type f -print0 | xargs -0 cat > /dev/null" \
    -n "cp -r" --prepare "rm -rf $scratch" "cp -r $input $scratch" \
    -n "GNU sed (xargs -P $cores)" --prepare "rm -rf $scratch && cp -r $input $scratch" \
      "find $scratch -type f -print0 | xargs -0 -P $cores -n 64 sed -i -f $work/subs.sed" \
    -n "fastmod" --prepare "rm -rf $scratch && cp -r $input $scratch" "$work/fastmod.sh $scratch $work/pairs.tsv" \
    -n "sd (xargs -P $cores)" --prepare "rm -rf $scratch && cp -r $input $scratch" "$work/sd.sh $scratch $work/pairs.tsv" \
    -n "rebrand apply" --prepare "rm -rf $scratch" "$bin apply --rules $brand $input --out $scratch --color never 2>/dev/null" \
    -n "rebrand apply (up to date)" --prepare "true" "$bin apply --rules $brand $input --out $work/kept --color never 2>/dev/null" \
    >/dev/null
  if [ "$n" = 1 ]; then
    # The whole site as shipped (overlay, patch, renames, retargeted links) on the one site.
    hyperfine --warmup 1 --runs "$runs" --export-json "$work/site.json" \
      -n "cp -r" --prepare "rm -rf $scratch" "cp -r $input $scratch" \
      -n "rebrand apply (whole-site rules)" --prepare "rm -rf $scratch" \
        "$bin apply --rules $rules $input --out $scratch --color never 2>/dev/null" >/dev/null
  fi
  # Medians, CPU time and the ratio to `cp -r`.
  python3 - "$work/results-$n.json" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
cp = next(r for r in results if r["command"] == "cp -r")
cp_median = statistics.median(cp["times"])
apply = next(r for r in results if r["command"] == "rebrand apply")
apply_median = statistics.median(apply["times"])
print(f"{'tool':<30} {'median s':>9} {'user s':>8} {'system s':>9} {'CPU s':>7} {'x cp -r':>8}")
for r in results:
    median = statistics.median(r["times"])
    cpu = r["user"] + r["system"]
    print(f"{r['command']:<30} {median:>9.3f} {r['user']:>8.3f} {r['system']:>9.3f} {cpu:>7.3f} {median / cp_median:>8.2f}")
utd = next(r for r in results if r["command"] == "rebrand apply (up to date)")
print(f"up to date / first run: {statistics.median(utd['times']) / apply_median:.1%} of the wall time")
PY
  if [ "$n" = 1 ]; then
    python3 - "$work/site.json" <<'PY'
import json, statistics, sys
cp, site = json.load(open(sys.argv[1]))["results"]
m = statistics.median(site["times"])
cpu = site["user"] + site["system"]
print(f"{site['command']:<30} {m:>9.3f} {site['user']:>8.3f} {site['system']:>9.3f} {cpu:>7.3f} {m / statistics.median(cp['times']):>8.2f}")
PY
  fi
  # Peak memory of one run.
  rm -rf "$scratch"
  /usr/bin/time -f "rebrand apply: peak memory %M KiB" "$bin" apply --rules "$brand" "$input" --out "$scratch" --color never 2>&1 >/dev/null | tail -1
  rm -rf "$input" "$scratch" "$work/kept"
done
