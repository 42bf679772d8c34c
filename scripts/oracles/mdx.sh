#!/usr/bin/env bash
# The MDX 3 oracle: brands TREE with RULES, then compiles every `.mdx` page of TREE and of the
# branded tree with @mdx-js/mdx 3 (pinned in scripts/oracles/mdx/package.json, installed once
# by `npm install` into ~/.cache/rebrand-mdx/<hash of package.json>/) and reports the pages
# that compiled upstream and fail branded.
#
#   scripts/oracles/mdx.sh TREE RULES OUTDIR [--rebrand BIN]
#       TREE     the upstream tree (default example: examples/mdx-pages)
#       RULES    its rule file (examples/mdx-pages.rebrand.toml)
#       OUTDIR   where the branded tree (OUTDIR/branded) and the report (OUTDIR/mdx.json) go
#       BIN      the rebrand binary (default: `cargo run --quiet --`)
#
# Runs the rule file's [[test]] cases first, read for the site TREE is (`test-rules --site`).
# Exit 0 when no page broke, 1 when one did (or the tests failed), 2 on a usage or install
# error.
set -euo pipefail
cd "$(dirname "$0")/../.."
usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ "$#" -ge 3 ] || usage
tree=$(realpath "$1"); rules=$(realpath "$2"); out=$3; shift 3
rebrand=(cargo run --quiet --)
while [ "$#" -gt 0 ]; do
    case "$1" in
    --rebrand) [ "$#" -ge 2 ] || usage; rebrand=("$(realpath "$2")"); shift 2 ;;
    *) usage ;;
    esac
done
[ -d "$tree" ] || { echo "error: tree \`$tree\` not found" >&2; exit 2; }
command -v npm >/dev/null || { echo "error: node and npm are needed" >&2; exit 2; }

here=scripts/oracles/mdx
key=$(cat "$here/package.json" | sha256sum | cut -c1-16)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/rebrand-mdx/$key
if [ ! -f "$cache/.installed" ]; then
    mkdir -p "$cache"
    cp "$here/package.json" "$cache/package.json"
    [ -f "$here/package-lock.json" ] && cp "$here/package-lock.json" "$cache/package-lock.json"
    if [ -f "$cache/package-lock.json" ]; then
        (cd "$cache" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || { echo "error: npm ci failed" >&2; exit 2; }
    else
        (cd "$cache" && npm install --no-audit --no-fund --loglevel=error >/dev/null) || { echo "error: npm install failed" >&2; exit 2; }
    fi
    touch "$cache/.installed"
fi
cp "$here/compile.mjs" "$cache/compile.mjs"

mkdir -p "$out"
out=$(realpath "$out")
rm -rf "$out/branded"
start=$(date +%s.%N)
"${rebrand[@]}" test-rules --site "$tree" "$rules" >/dev/null || { echo "error: the rule file's tests fail" >&2; exit 1; }
"${rebrand[@]}" apply --rules "$rules" "$tree" --out "$out/branded" >"$out/apply.log" 2>&1
head -n 1 "$out/apply.log"
status=0
node "$cache/compile.mjs" "$tree" "$out/branded" || status=$?
node "$cache/compile.mjs" "$tree" "$out/branded" --json >"$out/mdx.json" || true
end=$(date +%s.%N)
printf 'mdx oracle: %.1f s\n' "$(echo "$end - $start" | bc)"
exit "$status"
