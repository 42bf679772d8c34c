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
# shellcheck source=lib.sh
. "$here/lib.sh"
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
corpus="${REBRAND_CORPUS:-$repo/../shared/corpus}"
oracle_setup smoke "${args[0]}"

overall=0
summary=()
if [ -z "$only" ] || [ "$only" = kubevirt ]; then
    oracle_one smoke kubevirt build-mkdocs.sh "$corpus/kubevirt-user-guide" "$rules_kv" KubeVirt
fi
if [ -z "$only" ] || [ "$only" = longhorn ]; then
    oracle_one smoke longhorn build-hugo.sh "$corpus/longhorn-website" "$rules_lh" Longhorn
fi
echo "== smoke summary ($rebrand)"
printf '%s\n' "${summary[@]}"
echo "smoke: results in $out"
exit "$overall"
