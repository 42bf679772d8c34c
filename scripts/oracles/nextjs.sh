#!/usr/bin/env bash
# The Next.js oracle on the examples examples/nextra-site/ (Nextra 2, the pages router) and
# examples/fumadocs-site/ (Fumadocs 15, the App Router) (issue 18): runs the self-tests of each
# rule file (examples/<site>.rebrand.toml, read for the site), brands the example with it,
# builds upstream and branded with the Next.js, Nextra and Fumadocs the example's
# package-lock.json pins (scripts/build-next.sh: `npm ci` into ~/.cache/rebrand-next/), each
# build failing on an MDX page that does not compile or a page that throws while pre-rendered,
# then compares the pre-rendered pages (scripts/compare-built-sites.py: heading ids, <pre>
# blocks byte-identical, pages missing, the visible brand, and (e) the links between pages and
# their #fragments), the build warnings line by line and the sources
# (scripts/compare-sources.py), as scripts/oracles/docusaurus3.sh does for Docusaurus 3.
#
# The ids: Fumadocs keeps a rebranded heading's id (rebrand pins it with ` [#id]`), so a lost
# id fails as for the other generators. Nextra's ids are github-slugger's slugs of the heading
# text and an MDX page holds no explicit id: a rebranded heading's anchor moves by design and
# rebrand retargets the links to it. There the lost ids are reported, not judged
# (--ids-may-move), and the links are: a link of the branded build whose page or #fragment
# does not resolve, and did with the same href upstream, fails.
#
# usage: scripts/oracles/nextjs.sh [options] OUTDIR
#   OUTDIR      where the branded trees, the built pages, the logs and the comparisons go
#               (OUTDIR/nextra-site/, OUTDIR/fumadocs-site/); created, their old content
#               replaced. Nothing is written into the examples.
# options:
#   --rebrand BIN   the rebrand binary (default: target/release/rebrand, else `rebrand`)
#   --only NAME     one example: nextra-site or fumadocs-site
#
# Exit status: 0 the rule files' tests pass, every build passed and the comparisons are clean;
# 1 otherwise; 2 usage error or an install failed.
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
        --only) only="${2:?--only needs a name}"; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "nextjs: unknown option \`$1\`" >&2; usage >&2; exit 2 ;;
        *) args+=("$1") ;;
    esac
    shift
done
if [ ${#args[@]} -ne 1 ]; then usage >&2; exit 2; fi
case "$only" in ""|nextra-site|fumadocs-site) ;; *) echo "nextjs: --only nextra-site or fumadocs-site" >&2; exit 2 ;; esac
oracle_setup nextjs "${args[0]}"
case "$out/" in "$repo/examples/"*) echo "nextjs: OUTDIR must not be inside examples/" >&2; exit 2 ;; esac

overall=0
summary=()
start=$(date +%s)
for name in nextra-site fumadocs-site; do
    [ -z "$only" ] || [ "$only" = "$name" ] || continue
    tree="$repo/examples/$name"
    rules="$repo/examples/$name.rebrand.toml"
    case "$name" in
        nextra-site) brand=Nextra; compare_flags=(--ids-may-move) ;;
        fumadocs-site) brand=Fumadocs; compare_flags=(--links) ;;
    esac
    echo "== $name: rebrand test-rules --site examples/$name ($rules)"
    if ! "$rebrand" test-rules --site "$tree" "$rules"; then
        overall=1
        summary+=("$name: the rule file's tests FAILED")
    fi
    oracle_one nextjs "$name" build-next.sh "$tree" "$rules" "$brand"
done
echo "== nextjs summary ($rebrand)"
printf '%s\n' "${summary[@]}"
echo "nextjs: results in $out, $(( $(date +%s) - start )) s"
exit "$overall"
