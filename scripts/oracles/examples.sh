#!/usr/bin/env bash
# The MkDocs and Hugo oracles on the two small real sites in examples/ (issue 17): runs the
# self-tests of each example's rule file, brands the example with it, builds upstream and
# branded with the real generators (scripts/build-mkdocs.sh, scripts/build-hugo.sh), compares
# the built sites page by page (scripts/compare-built-sites.py) and the build warnings line by
# line. The examples are in the repository, so unlike smoke.sh it needs no corpus.
#   kubevirt-guide  examples/kubevirt-guide/ (MkDocs, Material), examples/kubevirt-guide.rebrand.toml
#   longhorn-site   examples/longhorn-site/ (Hugo, Bulma), examples/longhorn-site.rebrand.toml
#
# usage: scripts/oracles/examples.sh [options] OUTDIR
#   OUTDIR      where the branded trees, the built sites, the logs and the comparisons go
#               (OUTDIR/kubevirt-guide/, OUTDIR/longhorn-site/); created, its old content
#               replaced. Nothing is written into the examples.
# options:
#   --rebrand BIN   the rebrand binary (default: target/release/rebrand, else `rebrand`)
#   --only NAME     kubevirt-guide or longhorn-site
#
# Exit status: 0 every rule file's tests pass, every build passed and every comparison is
# clean (upstream heading ids kept, <pre> blocks identical, no page missing) with the same
# build warnings upstream and branded; 1 otherwise; 2 usage error or an install failed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

rebrand=""
only=""
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --rebrand) rebrand="${2:?--rebrand needs a binary}"; shift ;;
        --only) only="${2:?--only needs kubevirt-guide or longhorn-site}"; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "examples: unknown option \`$1\`" >&2; usage >&2; exit 2 ;;
        *) args+=("$1") ;;
    esac
    shift
done
if [ ${#args[@]} -ne 1 ]; then usage >&2; exit 2; fi
case "$only" in ""|kubevirt-guide|longhorn-site) ;;
    *) echo "examples: --only must be kubevirt-guide or longhorn-site" >&2; exit 2 ;; esac
oracle_setup examples "${args[0]}"
case "$out/" in "$repo/examples/"*) echo "examples: OUTDIR must not be inside examples/" >&2; exit 2 ;; esac

overall=0
summary=()
# example NAME BUILDER BRAND: the rule file's self-tests, then the oracle on examples/NAME.
example() {
    local name=$1 builder=$2 brand=$3
    local rules="$repo/examples/$name.rebrand.toml"
    echo "== $name: rebrand test-rules --site examples/$name ($rules)"
    if ! "$rebrand" test-rules --site "$repo/examples/$name" "$rules"; then
        overall=1
        summary+=("$name: the rule file's tests FAILED")
    fi
    oracle_one examples "$name" "$builder" "$repo/examples/$name" "$rules" "$brand"
}

if [ -z "$only" ] || [ "$only" = kubevirt-guide ]; then
    example kubevirt-guide build-mkdocs.sh KubeVirt
fi
if [ -z "$only" ] || [ "$only" = longhorn-site ]; then
    example longhorn-site build-hugo.sh Longhorn
fi
echo "== examples summary ($rebrand)"
printf '%s\n' "${summary[@]}"
echo "examples: results in $out"
exit "$overall"
