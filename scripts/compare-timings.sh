#!/usr/bin/env bash
# Times `rebrand apply` of two builds on the same tree, runs interleaved (before, after,
# before, ...) so that a shared machine's drift hits both alike, and prints the medians of
# wall, user and system seconds with the after/before ratio. For a change meant to keep
# behaviour and speed (scripts/compare-outputs.sh checks the output).
#
#   scripts/compare-timings.sh BEFORE_BIN AFTER_BIN [TREE] [COPIES] [RUNS]
#       TREE    default ../shared/corpus/harvester-docs
#       COPIES  default 20: the tree copied side by side that many times, on tmpfs (1: the
#               tree itself)
#       RUNS    default 15 per build, after one warm-up run each
#
# The brand rules (rules/nqrust-hypervisor/brand.toml: copies side by side are not one site),
# or RULES=FILE (the whole-site rules on one copy: RULES=rules/nqrust-hypervisor.toml ... 1).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: $0 BEFORE_BIN AFTER_BIN [TREE] [COPIES] [RUNS]" >&2; exit 2; }
before=$(realpath "$1")
after=$(realpath "$2")
tree=${3:-../shared/corpus/harvester-docs}
copies=${4:-20}
runs=${5:-15}
[ -d "$tree" ] || { echo "error: tree \`$tree\` not found" >&2; exit 2; }
rules=$(realpath "${RULES:-rules/nqrust-hypervisor/brand.toml}")
work=$(mktemp -d /dev/shm/rebrand-timings.XXXXXX)
trap 'rm -rf "$work"' EXIT
# One copy is the tree itself (a site at the root, as the whole-site rules want it).
if [ "$copies" = 1 ]; then
    cp -r "$tree" "$work/tree"
else
    mkdir "$work/tree"
    for i in $(seq 1 "$copies"); do cp -r "$tree" "$work/tree/c$i"; done
fi

# One run: wall, user and system seconds on a line of the build's file.
run() {
    rm -rf "$work/out"
    /usr/bin/time -f "%e %U %S" -o "$work/one" "$1" apply --rules "$rules" "$work/tree" --out "$work/out" >/dev/null 2>&1
    cat "$work/one" >> "$2"
}
run "$before" /dev/null
run "$after" /dev/null
for _ in $(seq 1 "$runs"); do
    run "$before" "$work/before"
    run "$after" "$work/after"
done
python3 - "$work/before" "$work/after" "$copies" "$runs" <<'PY'
import statistics, sys
def medians(path):
    rows = [list(map(float, l.split())) for l in open(path) if l.strip()]
    return [statistics.median(c) for c in zip(*rows)]
b, a = medians(sys.argv[1]), medians(sys.argv[2])
print(f"{sys.argv[3]} copies, {sys.argv[4]} interleaved runs each, medians (s):")
print(f"{'':8}{'wall':>8}{'user':>8}{'sys':>8}{'cpu':>8}")
for name, m in (("before", b), ("after", a)):
    print(f"{name:8}{m[0]:8.3f}{m[1]:8.3f}{m[2]:8.3f}{m[1] + m[2]:8.3f}")
ratio = lambda x, y: f"{y / x:8.3f}" if x else f"{'-':>8}"
print(f"{'after/before':8}{ratio(b[0], a[0])}{ratio(b[1], a[1])}{ratio(b[2], a[2])}{ratio(b[1] + b[2], a[1] + a[2])}")
PY
