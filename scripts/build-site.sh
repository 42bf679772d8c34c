#!/usr/bin/env bash
# Builds a Docusaurus tree (upstream or branded) with the site's own Docusaurus: the real
# build is the test of what rebrand writes (issue 14).
#
# usage: scripts/build-site.sh [options] TREE [OUT]
#   TREE    a Docusaurus site: docusaurus.config.js and package.json at its root. It is
#           copied to a build folder first and never written to.
#   OUT     where the built site goes (default: a new temporary folder, printed)
# options:
#   --strict                 onBrokenLinks and onBrokenMarkdownLinks set to `throw`
#   --on-broken-links MODE   throw | warn | log | ignore for both (default: the site's own, `warn`)
#   --versions LIST          docs versions to build, comma-separated (default `current,v1.6`,
#                            to fit a 2-core machine), or `all`
#   --lock FILE              a package-lock.json for TREE's package.json: `npm ci` installs
#                            exactly it. Default: examples/site/package-lock.json when TREE's
#                            package.json is the bundled example's byte for byte (the corpus's
#                            and rebrand's output of it are), else `npm install` of the versions
#                            published before ${REBRAND_SITE_NPM_BEFORE:-2025-11-28} (the
#                            upstream commit's date; webpack 5.113 and later break Docusaurus
#                            2.4), whose lock is kept in the cache
#   --stub-pages FILE        tree-relative page paths (one a line, `#` comments) to create as
#                            placeholder pages in the build copy when absent: for a cut-down
#                            tree (examples/site/stub-pages.txt for the bundled example)
#   --keep                   keep the build folder (printed) instead of removing it
#
# What it does:
# 1. Copies TREE to a build folder ($TMPDIR), without node_modules, build/ and .docusaurus/.
# 2. Installs the dependencies of TREE's package.json from the npm registry, once per
#    package.json (and lock), into ${REBRAND_SITE_CACHE:-$HOME/.cache/rebrand-site}/<hash>/
#    (`npm ci --legacy-peer-deps` with a lock, else `npm install --legacy-peer-deps --before`; upstream
#    uses yarn, which does not enforce peer dependencies, and @docusaurus/core 2.4 names
#    react 16/17 as its peer while the site asks for react 18; PUPPETEER_SKIP_DOWNLOAD: the
#    PDF tool's browser download is not needed to build). npm's own download cache is ~/.npm.
#    The build folder's node_modules holds a symbolic link to each installed package, so the
#    caches Docusaurus and webpack write (node_modules/.cache) stay in the build folder.
# 3. scripts/build-site-prepare.js edits the build copy: the configuration is wrapped (not
#    edited as text) to set the docs plugin's onlyIncludeVersions, the broken-link options
#    and the OpenAPI plugin's versions; 1x1 placeholder images for every image path a page
#    references that the tree lacks (the corpus has no binary assets); --stub-pages.
# 4. Runs, as upstream's `make` script does: docusaurus gen-api-docs all, docusaurus
#    gen-api-docs:version api:all (when the site has the OpenAPI plugin), docusaurus build
#    (NODE_OPTIONS=--max-old-space-size=7168, as upstream's package.json sets).
# 5. Prints the build's exit status, time and peak memory (GNU time's maximum resident set
#    of the largest process, when /usr/bin/time exists), the broken-link reports Docusaurus
#    printed, and where the site and the full log are. The log stays in OUT's parent folder as
#    OUT.log.
#
# Exit status: 0 the site built; 1 the build (or the API docs generation) failed; 2 usage
# error or the dependencies could not be installed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

strict_mode=""
versions="current,v1.6"
lock=""
stubs=""
keep=0
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --strict) strict_mode=throw ;;
        --on-broken-links) strict_mode="${2:?--on-broken-links needs a mode}"; shift ;;
        --versions) versions="${2:?--versions needs a list}"; shift ;;
        --lock) lock="${2:?--lock needs a file}"; shift ;;
        --stub-pages) stubs="${2:?--stub-pages needs a file}"; shift ;;
        --keep) keep=1 ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "build-site: unknown option \`$1\`" >&2; usage >&2; exit 2 ;;
        *) args+=("$1") ;;
    esac
    shift
done
if [ ${#args[@]} -lt 1 ] || [ ${#args[@]} -gt 2 ]; then
    usage >&2
    exit 2
fi
case "${strict_mode:-site}" in site|throw|warn|log|ignore) ;; *)
    echo "build-site: --on-broken-links must be throw, warn, log or ignore" >&2; exit 2 ;;
esac
tree="$(cd "${args[0]}" && pwd)"
for f in docusaurus.config.js package.json; do
    if [ ! -f "$tree/$f" ]; then
        echo "build-site: \`$tree\` has no $f" >&2
        exit 2
    fi
done
for f in "$lock" "$stubs"; do
    if [ -n "$f" ] && [ ! -f "$f" ]; then echo "build-site: no file \`$f\`" >&2; exit 2; fi
done
repo="$(cd "$here/.." && pwd)"
if [ -z "$lock" ] && cmp -s "$tree/package.json" "$repo/examples/harvester-docs/package.json"; then
    lock="$repo/examples/site/package-lock.json"
fi
[ -n "$lock" ] && lock="$(cd "$(dirname "$lock")" && pwd)/$(basename "$lock")"
[ -n "$stubs" ] && stubs="$(cd "$(dirname "$stubs")" && pwd)/$(basename "$stubs")"
if [ ${#args[@]} -eq 2 ]; then
    mkdir -p "${args[1]}"
    out="$(cd "${args[1]}" && pwd)"
else
    out="$(mktemp -d "${TMPDIR:-/tmp}/rebrand-site-out.XXXXXX")"
fi
case "$out/" in "$tree/"*) echo "build-site: OUT must not be inside TREE" >&2; exit 2 ;; esac

work="$(mktemp -d "${TMPDIR:-/tmp}/rebrand-site-build.XXXXXX")"
cleanup() { if [ "$keep" -eq 0 ]; then rm -rf "$work"; else echo "build-site: build folder kept: $work"; fi; }
trap cleanup EXIT
site="$work/site"
log="$out.log"

# 1. The build copy.
mkdir -p "$site"
tar -C "$tree" --exclude=./node_modules --exclude=./build --exclude=./.docusaurus -cf - . | tar -C "$site" -xf -

# 2. The dependencies, once per package.json (and lock).
cache_root="${REBRAND_SITE_CACHE:-$HOME/.cache/rebrand-site}"
mkdir -p "$cache_root"
key="$( { cat "$tree/package.json"; if [ -n "$lock" ]; then cat "$lock"; else echo "before ${REBRAND_SITE_NPM_BEFORE:-2025-11-28}"; fi; } | sha256sum | cut -c1-16)"
deps="$cache_root/$key"
export PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1
(
    flock 9
    if [ ! -f "$deps/.complete" ]; then
        rm -rf "$deps.partial"
        mkdir -p "$deps.partial"
        cp "$tree/package.json" "$deps.partial/"
        start=$(date +%s)
        if [ -n "$lock" ]; then
            cp "$lock" "$deps.partial/package-lock.json"
            echo "build-site: npm ci into $deps (first run for this package.json and lock)"
            (cd "$deps.partial" && npm ci --legacy-peer-deps --no-audit --no-fund) >&2 || exit 2
        else
            before="${REBRAND_SITE_NPM_BEFORE:-2025-11-28}"
            echo "build-site: npm install (versions published before $before) into $deps (first run for this package.json)"
            (cd "$deps.partial" && npm install --legacy-peer-deps --no-audit --no-fund --before="$before") >&2 || exit 2
        fi
        touch "$deps.partial/.complete"
        rm -rf "$deps"
        mv "$deps.partial" "$deps"
        echo "build-site: dependencies installed in $(( $(date +%s) - start )) s"
    fi
) 9>"$cache_root/.lock" || { echo "build-site: installing the dependencies failed" >&2; exit 2; }
mkdir -p "$site/node_modules"
for entry in "$deps/node_modules/"* "$deps/node_modules/".bin; do
    [ -e "$entry" ] && ln -s "$entry" "$site/node_modules/$(basename "$entry")"
done

# 3. The build copy's edits.
node "$here/build-site-prepare.js" "$site" "$versions" "${strict_mode:-site}" "${strict_mode:-site}" ${stubs:+"$stubs"}

# 4. Generate the API docs, then build.
export NODE_OPTIONS="--max-old-space-size=7168"
docusaurus="$site/node_modules/.bin/docusaurus"
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "build-site-time: %e s elapsed, %M KiB peak resident (largest process), exit %x")
start=$(date +%s)
status=0
(
    # `set -e` does not act in a subshell whose status is tested: each step exits by hand.
    cd "$site" || exit 1
    if grep -q "docusaurus-plugin-openapi-docs" docusaurus.config.upstream.js; then
        echo "== docusaurus gen-api-docs all"
        "$docusaurus" gen-api-docs all || exit 1
        echo "== docusaurus gen-api-docs:version api:all"
        "$docusaurus" gen-api-docs:version api:all || exit 1
    fi
    echo "== docusaurus build"
    ${timer[@]+"${timer[@]}"} "$docusaurus" build --out-dir "$out"
) >"$log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))

# 5. The result.
echo "== broken links and markdown links Docusaurus reported"
grep -E 'Docusaurus found broken links|^- On source page path|^ *-> linking to|markdown link couldn.t be resolved' "$log" || true
reports=$(grep -c -- '-> linking to' "$log" || true)
pages=$(grep -c -- '- On source page path' "$log" || true)
mdlinks=$(grep -c "markdown link couldn't be resolved" "$log" || true)
grep -E '^build-site-time:' "$log" || true
if [ "$status" -ne 0 ]; then
    if grep -q '^\[ERROR\]' "$log"; then
        echo "== the build failed; its errors (the whole log: $log):"
        grep -A 6 '^\[ERROR\]\|^Error:' "$log" | grep -v '^build-site-time:' | head -n 60
    else
        echo "== the build failed; the end of its log:"
        grep -v '^build-site-time:' "$log" | tail -n 40
    fi
fi
echo "build-site: exit $status in ${elapsed} s (API generation and build); broken links: $reports on $pages pages; unresolved markdown links: $mdlinks"
echo "build-site: site: $out"
echo "build-site: log:  $log"
[ "$status" -eq 0 ] || exit 1
