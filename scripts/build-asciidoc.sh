#!/usr/bin/env bash
# Builds the AsciiDoc guides of a tree (upstream or branded) with the real asciidoctor: the real
# build is the judge of what rebrand writes for AsciiDoc (issue 18).
#
# usage: scripts/build-asciidoc.sh [options] TREE OUT
#   TREE    a tree of AsciiDoc guides: each folder at its top that holds the master document
#           (index.adoc) is a guide (the Keycloak documentation: securing_apps/, upgrading/, ...).
#           It is copied to a build folder first and never written to.
#   OUT     where the built guides go (OUT/<guide>/index.html): emptied first, so it must be
#           empty, absent or a built tree (an index.html at its top, which this script writes)
# options:
#   --master NAME   the master document of a guide (default: index.adoc)
#   --keep          keep the build folder (printed) instead of removing it
#   -- ARGS         more arguments for `asciidoctor` (e.g. -- -a project_buildType=archive)
#
# What it does:
# 1. Uses `asciidoctor` from PATH; when there is none, installs Debian's `asciidoctor` package
#    (`apt-get install -y asciidoctor`, as root only: it needs root; asciidoctor 2.0.18 on
#    Debian 12). Exits 2 when it cannot.
# 2. Copies TREE to a build folder ($TMPDIR), without .git/ and target/. A guide without
#    `topics/templates/` gets a link to the tree's `topics/templates/` (upstream keeps a
#    symbolic link there, which the text-only corpus leaves out; the guides include their
#    attribute files from it).
# 3. Runs `asciidoctor` on each guide's master document, into OUT/<guide>/, with the attributes
#    the Keycloak guides' Maven build sets (the asciidoctor-maven-plugin `<attributes>` of the
#    top pom.xml: `idprefix` empty, `idseparator` `-`, `sectanchors`, `toc=left`,
#    `icons=font`, `imagesdir=./`, `project_buildType=latest`), `--safe-mode unsafe` so that
#    includes may leave the guide's folder as Maven's build copy allows. Not done: the
#    per-topic header (edit links) that Keycloak's header-maven-plugin adds, and code
#    highlighting (coderay): both the same upstream and branded. `--verbose`, so that every
#    cross reference to an id the guide does not have is logged ("possible invalid
#    reference", asciidoctor's INFO level).
# 4. Writes OUT/index.html listing the guides, and prints the exit status, the time, the peak
#    memory (GNU time, when /usr/bin/time exists), the number of WARNING and ERROR lines and
#    of guides built. The whole log goes to OUT.log and its warning and error lines and
#    invalid references to OUT.warnings, beside OUT, the build copy's path in them written <tree>.
#
# Exit status: 0 every guide built; 1 a guide failed; 2 usage error or no asciidoctor.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=oracles/lib.sh
. "$here/oracles/lib.sh"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

keep=0
master=index.adoc
args=()
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) keep=1 ;;
        --master) master="${2:?--master needs a file name}"; shift ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "build-asciidoc: unknown option \`$1\`" >&2; usage >&2; exit 2 ;;
        *) args+=("$1") ;;
    esac
    shift
done
if [ ${#args[@]} -ne 2 ]; then
    usage >&2
    exit 2
fi
if [ ! -d "${args[0]}" ]; then echo "build-asciidoc: no folder \`${args[0]}\`" >&2; exit 2; fi
tree="$(cd "${args[0]}" && pwd)"
guides=()
for g in "$tree"/*/; do
    [ -f "$g$master" ] && guides+=("$(basename "$g")")
done
if [ ${#guides[@]} -eq 0 ]; then echo "build-asciidoc: \`$tree\` has no guide (no */$master)" >&2; exit 2; fi
prepare_out build-asciidoc "$tree" "${args[1]}"

# 1. asciidoctor.
if ! command -v asciidoctor >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "build-asciidoc: no asciidoctor, and installing Debian's package needs root" >&2
        exit 2
    fi
    echo "build-asciidoc: installing Debian's asciidoctor package (apt-get install -y asciidoctor)"
    { apt-get install -y asciidoctor || { apt-get update && apt-get install -y asciidoctor; }; } >&2 \
        || { echo "build-asciidoc: installing asciidoctor failed" >&2; exit 2; }
fi

# 2. The build copy.
work="$(mktemp -d "${TMPDIR:-/tmp}/rebrand-asciidoc-build.XXXXXX")"
cleanup() { if [ "$keep" -eq 0 ]; then rm -rf "$work"; else echo "build-asciidoc: build folder kept: $work"; fi; }
trap cleanup EXIT
site="$work/site"
mkdir -p "$site"
tar -C "$tree" --exclude=./.git --exclude=./target -cf - . | tar -C "$site" -xf -
chmod -R u+w "$site"
for g in "${guides[@]}"; do
    if [ -d "$site/topics/templates" ] && [ -d "$site/$g/topics" ] && [ ! -e "$site/$g/topics/templates" ]; then
        ln -s ../../topics/templates "$site/$g/topics/templates"
    fi
done

# 3. The builds.
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "build-asciidoc-time: %e s elapsed, %M KiB peak resident, exit %x")
start=$(date +%s)
status=0
: >"$log"
for g in "${guides[@]}"; do
    echo "build-asciidoc: guide $g" >>"$log"
    ${timer[@]+"${timer[@]}"} asciidoctor --safe-mode unsafe --verbose \
        -a idprefix= -a idseparator=- -a sectanchors -a toc=left -a icons=font -a imagesdir=./ \
        -a project_buildType=latest \
        ${extra[@]+"${extra[@]}"} -D "$out/$g" "$site/$g/$master" >>"$log" 2>&1 || status=1
done
elapsed=$(( $(date +%s) - start ))

# 4. The result.
{
    echo "<!DOCTYPE html><html><head><title>guides</title></head><body><ul>"
    for g in "${guides[@]}"; do echo "<li><a href=\"$g/${master%.adoc}.html\">$g</a></li>"; done
    echo "</ul></body></html>"
} >"$out/index.html"
# The build copy's path is written <tree>, so that two trees' warnings compare line by line.
grep -E '^asciidoctor: (WARNING|ERROR|FAILED|INFO: possible invalid reference)' "$log" | sed "s|$site|<tree>|g" >"$warnings" || true
nwarn=$(grep -c 'WARNING' "$warnings" || true)
nerr=$(grep -cE 'ERROR|FAILED' "$warnings" || true)
pages=$(find "$out" -mindepth 2 -name '*.html' -type f | wc -l)
total=$(grep -E '^build-asciidoc-time:' "$log" | awk '{s += $2; if ($5 > m) m = $5} END {printf "build-asciidoc-time: %.2f s elapsed in all, %d KiB peak resident\n", s, m}' || true)
sed -i '/^build-asciidoc-time:/d' "$log"
[ -n "$total" ] && echo "$total" >>"$log"
show_build build-asciidoc "$status" 'WARNING' "$nwarn" \
    "exit $status in ${elapsed} s; $nwarn warnings, $nerr errors; ${#guides[@]} guides, $pages HTML files"
