#!/usr/bin/env bash
# Builds a Next.js documentation site (Nextra, Fumadocs; upstream or branded) with the Next.js
# its own lock file pins: the real build is the judge of what rebrand writes for a Nextra or a
# Fumadocs site (issue 18).
#
# usage: scripts/build-next.sh [options] TREE OUT
#   TREE    a Next.js site: a next.config.* and a package.json with its package-lock.json at
#           its root (examples/nextra-site, examples/fumadocs-site). It is copied to a build
#           folder first and never written to.
#   OUT     where the pre-rendered pages go: emptied first, so it must be empty, absent or a
#           built site (an index.html at its top)
# options:
#   --keep      keep the build folder (printed) instead of removing it
#
# What it does:
# 1. `npm ci` of TREE's package-lock.json into
#    ${REBRAND_NEXT_CACHE:-$HOME/.cache/rebrand-next}/<hash of the lock>/, once per lock, under
#    a lock file, with TREE's package.json less its `scripts` (a site's `postinstall`, such as
#    Fumadocs' `fumadocs-mdx`, works on the site's sources, which the cache has not: it runs in
#    step 3). The key is the lock alone: it pins every package, and `npm ci` fails when
#    package.json's dependencies disagree with it, so the branded tree installs nothing anew.
#    npm's own download cache is ~/.npm (or $npm_config_cache).
# 2. Copies TREE to a build folder ($TMPDIR), without node_modules/, .next/, out/ and .source/;
#    the copy's node_modules/ holds a symbolic link to each installed package.
# 3. Runs the site's `postinstall` script when its package.json has one (`npm run postinstall`,
#    as `npm ci` in the site would), then `next build` with telemetry off
#    (NEXT_TELEMETRY_DISABLED=1). The site's own configuration decides what fails the build: an
#    MDX page that does not compile fails the bundler, a page that throws while it is
#    pre-rendered (a component the MDX names and nobody provides) fails "Error occurred
#    prerendering page"; nothing is stubbed or edited.
# 4. Collects the pre-rendered HTML of every page into OUT: the export (`out/`) when the site
#    sets `output: 'export'`, else `.next/server/pages/**/*.html` (the pages router) and
#    `.next/server/app/**/*.html` (the App Router), at their paths there (`about.html`,
#    `docs/ui.html`, `index.html`), so that scripts/compare-built-sites.py pairs the pages.
# 5. Prints the exit status, the time, the peak memory (GNU time, when /usr/bin/time exists),
#    the number of warning lines (Next's `⚠` lines) and of HTML pages. The whole log goes to
#    OUT.log and its warning lines to OUT.warnings, beside OUT, the build copy's path in them
#    written <tree>.
#
# Exit status: 0 the site built; 1 the build failed; 2 usage error or the install failed.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=oracles/lib.sh
. "$here/oracles/lib.sh"
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

npm_site_args build-next 'next.config.*' "$@"

# 1. The dependencies, once per lock.
npm_deps build-next "$tree" "${REBRAND_NEXT_CACHE:-$HOME/.cache/rebrand-next}" --no-scripts

# 2. The build copy.
npm_build_copy build-next .next out .source

# 3. The build.
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -f "build-next-time: %e s elapsed, %M KiB peak resident, exit %x")
start=$(date +%s)
status=0
(
    cd "$site" || exit 1
    export NEXT_TELEMETRY_DISABLED=1
    if python3 -c 'import json, sys; sys.exit(0 if "postinstall" in json.load(open("package.json")).get("scripts", {}) else 1)'; then
        npm run --silent postinstall || exit 1
    fi
    ${timer[@]+"${timer[@]}"} "$site/node_modules/.bin/next" build
) >"$log" 2>&1 || status=$?
elapsed=$(( $(date +%s) - start ))

# 4. The pages.
if [ "$status" -eq 0 ]; then
    if [ -d "$site/out" ]; then
        cp -R "$site/out/." "$out/"
    else
        for server in "$site/.next/server/pages" "$site/.next/server/app"; do
            [ -d "$server" ] || continue
            (cd "$server" && find . -name '*.html' -type f -print0 | tar --null -T - -cf -) | tar -C "$out" -xf -
        done
    fi
fi

# 5. The result.
# The build copy's path is written <tree>, so that two trees' warnings compare line by line.
grep -E '⚠|^warn ' "$log" | sed "s|$site|<tree>|g" >"$warnings" || true
nwarn=$(wc -l <"$warnings")
pages=$(find "$out" -name '*.html' -type f | wc -l)
if [ "$status" -ne 0 ]; then
    echo "== what failed:"
    grep -E 'Error|error|Failed|failed' "$log" | head -n 30 || true
fi
show_build build-next "$status" '.' "$nwarn" \
    "exit $status in ${elapsed} s; $nwarn warning lines; $pages HTML pages"
