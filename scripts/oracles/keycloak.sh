#!/usr/bin/env bash
# The AsciiDoc oracle end to end on the real corpus (issue 18): brands the Keycloak guides
# (Keycloak -> NQRust Identity) with the small rule file beside this script, builds every
# guide upstream and branded with the real asciidoctor (scripts/build-asciidoc.sh), compares
# the built guides page by page (scripts/compare-built-sites.py: section ids kept, <pre> blocks
# byte-identical, visible brand outside code counted) and the build warnings line by line
# (asciidoctor's invalid cross references among them), and checks that `rebrand links` finds
# the same broken references in both trees.
#
# usage: scripts/oracles/keycloak.sh [options] OUTDIR
#   OUTDIR      where the branded tree, the built guides, the logs and the comparison go
#               (OUTDIR/keycloak/); created, its old content replaced
# options:
#   --rebrand BIN   the rebrand binary (default: target/release/rebrand, else `rebrand`)
#   --rules F       the rule file (default: scripts/oracles/keycloak-smoke.toml)
# The corpus is ${REBRAND_CORPUS:-<repo>/../shared/corpus}.
#
# Exit status: 0 both builds passed and the comparison is clean (upstream section ids kept,
# <pre> blocks identical, no page missing) with the same build warnings; 1 otherwise; 2 usage
# error, no corpus, or asciidoctor could not be installed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=lib.sh
. "$here/lib.sh"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

rebrand=""
rules="$here/keycloak-smoke.toml"
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --rebrand) rebrand="${2:?--rebrand needs a binary}"; shift ;;
        --rules) rules="${2:?--rules needs a file}"; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "keycloak: unknown option \`$1\`" >&2; usage >&2; exit 2 ;;
        *) args+=("$1") ;;
    esac
    shift
done
if [ ${#args[@]} -ne 1 ]; then usage >&2; exit 2; fi
corpus="${REBRAND_CORPUS:-$repo/../shared/corpus}"
oracle_setup keycloak "${args[0]}"

overall=0
summary=()
oracle_one keycloak keycloak build-asciidoc.sh "$corpus/keycloak-documentation" "$rules" Keycloak

# The link model (`rebrand links`: cross references, includes, images, links) on both trees:
# the branded tree must have the same broken references as upstream (line numbers left out:
# a kept section id adds a `[[id]]` line).
echo "== keycloak: rebrand links, upstream vs branded"
links_of() { "$rebrand" links "$1" 2>&1 | tee "$2" | grep -v '^rebrand links:' | sed -E 's/^([^:]+):[0-9]+: /\1: /' | sort; }
up_links=$(links_of "$corpus/keycloak-documentation" "$out/keycloak/links-upstream.txt" || true)
br_links=$(links_of "$out/keycloak/branded-tree" "$out/keycloak/links-branded.txt" || true)
tail -n 1 "$out/keycloak/links-upstream.txt"
if [ "$up_links" = "$br_links" ]; then
    summary+=("keycloak: links the same upstream and branded: $(tail -n 1 "$out/keycloak/links-branded.txt")")
else
    diff <(echo "$up_links") <(echo "$br_links") | head -n 20 || true
    summary+=("keycloak: links DIFFER between upstream and branded")
    overall=1
fi
echo "== keycloak summary ($rebrand)"
printf '%s\n' "${summary[@]}"
echo "keycloak: results in $out"
exit "$overall"
