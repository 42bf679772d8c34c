#!/usr/bin/env bash
# The MkDocs and Hugo oracles end to end on the real corpus (issue 17): brands the KubeVirt user
# guide (KubeVirt -> NQRust Virt) and the Longhorn website (Longhorn -> NQRust Storage) with the
# small rule files beside this script, builds upstream and branded with the real generators
# (scripts/build-mkdocs.sh, scripts/build-hugo.sh), compares the built sites page by page
# (scripts/compare-built-sites.py) and the build warnings line by line. The numbers it prints
# are the baseline table of scripts/oracles/README.md.
#
# usage: scripts/oracles/smoke.sh [options] OUTDIR
#   OUTDIR      where the branded trees, the built sites, the logs and the comparisons go
#               (OUTDIR/kubevirt/, OUTDIR/longhorn/); created, its old content replaced
# options:
#   --rebrand BIN       the rebrand binary (default: target/release/rebrand, else `rebrand`)
#   --rules-kubevirt F  the KubeVirt rule file (default: scripts/oracles/kubevirt-smoke.toml)
#   --rules-longhorn F  the Longhorn rule file (default: scripts/oracles/longhorn-smoke.toml)
#   --only NAME         kubevirt or longhorn
# The corpus is ${REBRAND_CORPUS:-<repo>/../shared/corpus}.
#
# Exit status: 0 every build passed and every comparison is clean (upstream heading ids kept,
# <pre> blocks identical, no page missing) with the same build warnings; 1 otherwise (the
# baseline of today's rebrand is 1: see the README); 2 usage error or an install failed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

rebrand=""
rules_kv="$here/kubevirt-smoke.toml"
rules_lh="$here/longhorn-smoke.toml"
only=""
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --rebrand) rebrand="${2:?--rebrand needs a binary}"; shift ;;
        --rules-kubevirt) rules_kv="${2:?--rules-kubevirt needs a file}"; shift ;;
        --rules-longhorn) rules_lh="${2:?--rules-longhorn needs a file}"; shift ;;
        --only) only="${2:?--only needs kubevirt or longhorn}"; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "smoke: unknown option \`$1\`" >&2; usage >&2; exit 2 ;;
        *) args+=("$1") ;;
    esac
    shift
done
if [ ${#args[@]} -ne 1 ]; then usage >&2; exit 2; fi
case "$only" in ""|kubevirt|longhorn) ;; *) echo "smoke: --only must be kubevirt or longhorn" >&2; exit 2 ;; esac
if [ -z "$rebrand" ]; then
    if [ -x "$repo/target/release/rebrand" ]; then rebrand="$repo/target/release/rebrand"
    else rebrand="$(command -v rebrand || true)"; fi
fi
if [ -z "$rebrand" ] || [ ! -x "$rebrand" ]; then
    echo "smoke: no rebrand binary (build it, or --rebrand BIN)" >&2; exit 2
fi
corpus="${REBRAND_CORPUS:-$repo/../shared/corpus}"
mkdir -p "${args[0]}"
out="$(cd "${args[0]}" && pwd)"

overall=0
summary=()
# build BUILDER TREE SITE: runs a build script, its output kept in SITE.out; prints its summary
# lines, and all of its output when it fails. Exits 2 on an install or usage error.
build() {
    local code=0
    "$repo/scripts/$1" "$2" "$3" >"$3.out" 2>&1 || code=$?
    if [ "$code" -eq 0 ]; then
        grep -E '^build-' "$3.out" || true
    else
        cat "$3.out"
    fi
    [ "$code" -eq 2 ] && { echo "smoke: $1 failed to install or was misused" >&2; exit 2; }
    return "$code"
}

# one NAME BUILDER TREE RULES BRAND
one() {
    local name="$1" builder="$2" tree="$3" rules="$4" brand="$5"
    local dir="$out/$name" status=0 up_s br_s
    if [ ! -d "$tree" ]; then echo "smoke: no tree \`$tree\`" >&2; exit 2; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    echo "== $name: rebrand apply ($rules)"
    "$rebrand" apply --rules "$rules" "$tree" --out "$dir/branded-tree" >"$dir/apply.log" 2>&1 \
        || { echo "smoke: rebrand apply failed (log: $dir/apply.log)"; tail -n 20 "$dir/apply.log"; overall=1; summary+=("$name: rebrand apply failed"); return; }
    grep -E '^rebrand:' "$dir/apply.log" || true
    echo "== $name: upstream build"
    local t0=$(date +%s)
    build "$builder" "$tree" "$dir/upstream-site" || status=1
    up_s=$(( $(date +%s) - t0 ))
    echo "== $name: branded build"
    t0=$(date +%s)
    local br_ok=1
    build "$builder" "$dir/branded-tree" "$dir/branded-site" || { br_ok=0; status=1; }
    br_s=$(( $(date +%s) - t0 ))
    echo "== $name: build warnings, upstream vs branded"
    local warn_diff
    warn_diff=$(diff <(sed -E 's/ +$//' "$dir/upstream-site.warnings" | sort) \
                     <(sed -E 's/ +$//' "$dir/branded-site.warnings" | sort) | grep -c '^[<>]' || true)
    if [ "$warn_diff" -gt 0 ]; then
        diff <(sort "$dir/upstream-site.warnings") <(sort "$dir/branded-site.warnings") | grep '^[<>]' | head -n 20 || true
        status=1
    fi
    echo "smoke: $warn_diff warning lines differ between upstream and branded"
    if [ "$br_ok" -eq 1 ]; then
        echo "== $name: compare the built sites"
        python3 "$repo/scripts/compare-built-sites.py" "$dir/upstream-site" "$dir/branded-site" --brand "$brand" \
            | tee "$dir/compare.txt" || { [ "${PIPESTATUS[0]}" -eq 2 ] && exit 2; status=1; }
        python3 "$repo/scripts/compare-built-sites.py" "$dir/upstream-site" "$dir/branded-site" --brand "$brand" \
            --json >"$dir/compare.json" || true
        summary+=("$name: builds ${up_s} s / ${br_s} s; $(tail -n 1 "$dir/compare.txt" | sed 's/^compare-built-sites: //'); warning lines differing $warn_diff")
    else
        summary+=("$name: the branded build FAILED (log: $dir/branded-site.log)")
    fi
    [ "$status" -eq 0 ] || overall=1
}

if [ -z "$only" ] || [ "$only" = kubevirt ]; then
    one kubevirt build-mkdocs.sh "$corpus/kubevirt-user-guide" "$rules_kv" KubeVirt
fi
if [ -z "$only" ] || [ "$only" = longhorn ]; then
    one longhorn build-hugo.sh "$corpus/longhorn-website" "$rules_lh" Longhorn
fi
echo "== smoke summary ($rebrand)"
printf '%s\n' "${summary[@]}"
echo "smoke: results in $out"
exit "$overall"
