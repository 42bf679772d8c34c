#!/usr/bin/env bash
# Builds a Docusaurus 3 site (upstream or branded) with the Docusaurus its own lock file pins:
# the real build is the judge of what rebrand writes for a Docusaurus 3 site (issue 18).
#
# usage: scripts/build-docusaurus3.sh [options] TREE OUT
#   TREE    a Docusaurus 3 site: a docusaurus.config.* and a package.json with its
#           package-lock.json at its root (examples/docusaurus3-site). It is copied to a build
#           folder first and never written to.
#   OUT     where the built site goes: emptied first, so it must be empty, absent or a built
#           site (an index.html at its top)
# options:
#   --keep      keep the build folder (printed) instead of removing it
#
# What it does:
# 1. `npm ci` of TREE's package-lock.json (with its package.json) into
#    ${REBRAND_DOCUSAURUS3_CACHE:-$HOME/.cache/rebrand-docusaurus3}/<hash of the lock>/, once
#    per lock, under a lock file. The key is the lock alone: it pins every package, and
#    `npm ci` fails when package.json's dependencies disagree with it, so the branded tree
#    (whose package.json `description` is prose, branded) installs nothing anew. npm's own
#    download cache is ~/.npm (or $npm_config_cache).
# 2. Copies TREE to a build folder ($TMPDIR), without node_modules/, build/ and .docusaurus/;
#    the copy's node_modules/ holds a symbolic link to each installed package, so that the
#    caches Docusaurus and its bundler write (node_modules/.cache) stay in the build folder
#    and one build never reads another's.
# 3. Runs `docusaurus build --out-dir OUT` in the copy, as the site's `npm run build` does.
#    The site's own configuration decides what fails the build (the example: onBrokenLinks,
#    onBrokenAnchors, markdown.hooks.onBrokenMarkdownLinks and onBrokenMarkdownImages all
#    `throw`); nothing is stubbed or edited.
# 4. Prints the exit status, the time, the peak memory (GNU time, when /usr/bin/time exists),
#    the number of [WARNING] and [ERROR] lines and of HTML pages written. The whole log goes to
#    OUT.log and its [WARNING]/[ERROR] lines to OUT.warnings, beside OUT, the build copy's path
#    in them written <tree>.
#
# Exit status: 0 the site built; 1 the build failed; 2 usage error or the install failed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=oracles/lib.sh
. "$here/oracles/lib.sh"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

npm_site_args build-docusaurus3 'docusaurus.config.*' "$@"

# 1. The dependencies, once per lock.
npm_deps build-docusaurus3 "$tree" "${REBRAND_DOCUSAURUS3_CACHE:-$HOME/.cache/rebrand-docusaurus3}"

# 2. The build copy.
npm_build_copy build-docusaurus3 build .docusaurus

# 3. The build.
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "build-docusaurus3-time: %e s elapsed, %M KiB peak resident, exit %x")
start=$(date +%s)
status=0
(
    cd "$site" || exit 1
    ${timer[@]+"${timer[@]}"} "$site/node_modules/.bin/docusaurus" build --out-dir "$out"
) >"$log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))

# 4. The result.
# The build copy's path is written <tree>, so that two trees' warnings compare line by line.
grep -E '^\[(WARNING|ERROR)\]' "$log" | sed "s|$site|<tree>|g" >"$warnings" || true
nwarn=$(grep -c '^\[WARNING\]' "$warnings" || true)
nerr=$(grep -c '^\[ERROR\]' "$warnings" || true)
pages=$(find "$out" -name '*.html' -type f | wc -l)
if [ "$status" -ne 0 ]; then
    # What Docusaurus says failed (broken links and anchors are listed under an Error, not an
    # [ERROR] line), before show_build's end of the log.
    echo "== what failed:"
    grep -E 'Error:|Broken (link|anchor)|-> linking to|couldn.t be resolved|not found' "$log" | head -n 30 || true
fi
show_build build-docusaurus3 "$status" '^\[WARNING\]' "$nwarn" \
    "exit $status in ${elapsed} s; $nwarn warnings, $nerr errors; $pages HTML pages"
