#!/usr/bin/env bash
# The Docusaurus 3 oracle on the example examples/docusaurus3-site/ (issue 18): runs the
# self-tests of its rule file (examples/docusaurus3-site.rebrand.toml, read for the site), brands
# the example with it, builds upstream and branded with the Docusaurus 3 the example's
# package-lock.json pins (scripts/build-docusaurus3.sh: `npm ci` into
# ~/.cache/rebrand-docusaurus3/), each build failing on a broken link, anchor, Markdown link or
# image (the site's own configuration), then compares the built sites page by page
# (scripts/compare-built-sites.py: heading ids kept, <pre> blocks byte-identical, pages missing,
# the visible brand), the build warnings line by line and the sources
# (scripts/compare-sources.py), as scripts/oracles/examples.sh does for MkDocs and Hugo.
#
# usage: scripts/oracles/docusaurus3.sh [options] OUTDIR
#   OUTDIR      where the branded tree, the built sites, the logs and the comparisons go
#               (OUTDIR/docusaurus3-site/); created, its old content replaced. Nothing is
#               written into the example.
# options:
#   --rebrand BIN   the rebrand binary (default: target/release/rebrand, else `rebrand`)
#
# Exit status: 0 the rule file's tests pass, both builds passed and the comparisons are clean
# (upstream heading ids kept, <pre> blocks identical, no page missing, the same build warnings,
# the sources' structure kept); 1 otherwise; 2 usage error or an install failed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

rebrand=""
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --rebrand) rebrand="${2:?--rebrand needs a binary}"; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "docusaurus3: unknown option \`$1\`" >&2; usage >&2; exit 2 ;;
        *) args+=("$1") ;;
    esac
    shift
done
if [ ${#args[@]} -ne 1 ]; then usage >&2; exit 2; fi
oracle_setup docusaurus3 "${args[0]}"
case "$out/" in "$repo/examples/"*) echo "docusaurus3: OUTDIR must not be inside examples/" >&2; exit 2 ;; esac

name=docusaurus3-site
tree="$repo/examples/$name"
rules="$repo/examples/$name.rebrand.toml"
overall=0
summary=()
start=$(date +%s)
echo "== $name: rebrand test-rules --site examples/$name ($rules)"
if ! "$rebrand" test-rules --site "$tree" "$rules"; then
    overall=1
    summary+=("$name: the rule file's tests FAILED")
fi
oracle_one docusaurus3 "$name" build-docusaurus3.sh "$tree" "$rules" Harvester
echo "== docusaurus3 summary ($rebrand)"
printf '%s\n' "${summary[@]}"
echo "docusaurus3: results in $out, $(( $(date +%s) - start )) s"
exit "$overall"
