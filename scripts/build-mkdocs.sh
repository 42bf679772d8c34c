#!/usr/bin/env bash
# Builds an MkDocs tree (upstream or branded) with the real MkDocs and the site's plugins: the
# real build is the judge of what rebrand writes for an MkDocs site (issue 17).
#
# usage: scripts/build-mkdocs.sh [options] TREE OUT
#   TREE    an MkDocs site: mkdocs.yml at its root. It is copied to a build folder first and
#           never written to.
#   OUT     where the built site goes: emptied first, so it must be empty, absent or a built
#           site (an index.html at its top)
# options:
#   --strict    `mkdocs build --strict` (warnings fail the build)
#   --keep      keep the build folder (printed) instead of removing it
#
# What it does:
# 1. Installs MkDocs, mkdocs-material, mkdocs-awesome-nav, mkdocs-redirects and
#    pymdown-extensions at the versions pinned in scripts/oracles/mkdocs-requirements.txt
#    (every package pinned, dependencies too) from PyPI into a venv under
#    ${REBRAND_MKDOCS_CACHE:-$HOME/.cache/rebrand-mkdocs}/<hash of the requirements and the
#    Python version>/, once. Python: $PYTHON, else python3.
# 2. Copies TREE to a build folder ($TMPDIR), without site/ and .git/.
# 3. Runs `mkdocs build --clean -f COPY/mkdocs.yml -d OUT` there. The corpus has no binary
#    assets (images, fonts, favicon): MkDocs does not fail on a missing image or logo, it
#    writes the reference as it is and says so in an INFO or WARNING line, the same for the
#    upstream and the branded tree, so nothing is stubbed.
# 4. Prints the exit status, the time, the peak memory (GNU time, when /usr/bin/time exists),
#    the number of WARNING and ERROR lines, of link notes (MkDocs reports a link to a missing
#    anchor or an unrecognised relative link as INFO "Doc file ..." lines) and of HTML pages
#    written. The whole log goes to OUT.log; its WARNING/ERROR lines and link notes to
#    OUT.warnings, beside OUT, the build copy's path in them written <tree>.
#
# Exit status: 0 the site built; 1 the build failed; 2 usage error or the install failed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=oracles/lib.sh
. "$here/oracles/lib.sh"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

strict=()
keep=0
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --strict) strict=(--strict) ;;
        --keep) keep=1 ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "build-mkdocs: unknown option \`$1\`" >&2; usage >&2; exit 2 ;;
        *) args+=("$1") ;;
    esac
    shift
done
if [ ${#args[@]} -ne 2 ]; then
    usage >&2
    exit 2
fi
if [ ! -d "${args[0]}" ] || [ ! -f "${args[0]}/mkdocs.yml" ]; then
    echo "build-mkdocs: \`${args[0]}\` has no mkdocs.yml" >&2
    exit 2
fi
tree="$(cd "${args[0]}" && pwd)"
prepare_out build-mkdocs "$tree" "${args[1]}"

# 1. The venv, once per requirements file and Python.
cache_root="${REBRAND_MKDOCS_CACHE:-$HOME/.cache/rebrand-mkdocs}"
install_venv build-mkdocs "$here/oracles/mkdocs-requirements.txt" "$cache_root" ""

# 2. The build copy.
work="$(mktemp -d "${TMPDIR:-/tmp}/rebrand-mkdocs-build.XXXXXX")"
cleanup() { if [ "$keep" -eq 0 ]; then rm -rf "$work"; else echo "build-mkdocs: build folder kept: $work"; fi; }
trap cleanup EXIT
site="$work/site"
mkdir -p "$site"
tar -C "$tree" --exclude=./site --exclude=./.git -cf - . | tar -C "$site" -xf -

# 3. The build.
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "build-mkdocs-time: %e s elapsed, %M KiB peak resident, exit %x")
start=$(date +%s)
status=0
(
    cd "$site" || exit 1
    ${timer[@]+"${timer[@]}"} "$venv/bin/mkdocs" build --clean ${strict[@]+"${strict[@]}"} -f mkdocs.yml -d "$out"
) >"$log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))

# 4. The result.
# The build copy's path is written <tree>, so that two trees' warnings compare line by line.
# MkDocs reports a link to a missing anchor at INFO level (validation.anchors): those lines
# ("INFO - Doc file ...") are kept too, so a heading id the branded tree loses shows.
grep -E '^(WARNING|ERROR|CRITICAL)\b|^INFO +- +Doc file ' "$log" | sed "s|$site|<tree>|g" >"$warnings" || true
nwarn=$(grep -c '^WARNING' "$warnings" || true)
nerr=$(grep -cE '^(ERROR|CRITICAL)' "$warnings" || true)
ninfo=$(grep -c '^INFO' "$warnings" || true)
pages=$(find "$out" -name '*.html' -type f | wc -l)
show_build build-mkdocs "$status" '^WARNING' "$nwarn" \
    "exit $status in ${elapsed} s; $nwarn warnings, $nerr errors, $ninfo link notes (INFO); $pages HTML pages"
