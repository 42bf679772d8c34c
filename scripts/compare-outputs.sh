#!/usr/bin/env bash
# Compares what two builds of rebrand write and print on a real tree: the proof that a change
# meant to leave behaviour alone (issue 16's reshaping) does. Each command runs with both
# binaries on the same input; outputs are compared byte for byte, with only the elapsed times
# of the summary lines and the tool version in `.rebrand/` blanked.
#
#   scripts/compare-outputs.sh BEFORE_BIN AFTER_BIN [TREE]
#       TREE  default ../shared/corpus/harvester-docs
#
# The runs: with the whole-site rules (rules/nqrust-hypervisor.toml) `apply`, `preview`,
# `audit --format json` (as upstream and as branded), `links` (upstream and branded) and
# `sync` of the upstream into a copy of the branded tree after a change upstream; with the
# brand rules (rules/nqrust-hypervisor/brand.toml) `apply` and `preview` of the tree and of
# 20 copies of it side by side. Prints one line per comparison and the wall and CPU seconds of
# each binary's `apply`; exits 1 if any comparison differs (its diff is printed), 2 on a usage
# error.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$#" -ge 2 ] || { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
before=$(realpath "$1")
after=$(realpath "$2")
tree=$(realpath "${3:-../shared/corpus/harvester-docs}")
for f in "$before" "$after"; do [ -x "$f" ] || { echo "error: \`$f\` is not an executable" >&2; exit 2; }; done
[ -d "$tree" ] || { echo "error: tree \`$tree\` not found" >&2; exit 2; }
site_rules=$PWD/rules/nqrust-hypervisor.toml
brand_rules=$PWD/rules/nqrust-hypervisor/brand.toml
# In memory where the machine has a tmpfs: 20 copies are 700 MB written and read.
shm=/dev/shm
[ -d "$shm" ] && [ -w "$shm" ] || shm=${TMPDIR:-/tmp}
work=$(mktemp -d "$shm/rebrand-compare.XXXXXX")
trap 'rm -rf "$work"' EXIT
differ=0

# Elapsed times and the tool version (with what hashes it) are the only bytes allowed to differ.
normalise() {
    # The rules' hash in the lock takes in the tool version.
    sed -E 's/in [0-9]+\.[0-9]+ s/in [elapsed] s/g; s/"[a-z_]*_ms": ?[0-9.]+/"_ms": 0/g;
        s/(tool_version|rebrand_version|rules_hash) = "[^"]*"/\1 = ""/;
        s/"(tool_version|rebrand_version|version)": ?"[0-9][^"]*\(git [^"]*"/"\1": ""/g'
}

# base_texts STATE: the base texts of a branded tree's state folder, kept by path
# (`base/`, rebrand 0.9.0) or by hash (`objects/`), as one list of their distinct contents'
# SHA-256, so that the two layouts compare by what they hold.
base_texts() {
    local state=$1
    local folders=()
    for f in base objects; do [ -d "$state/$f" ] && folders+=("$f"); done
    (cd "$state" && find "${folders[@]}" -type f -exec sha256sum {} + | cut -d' ' -f1 | sort -u) \
        >"$state/base-texts.sha256"
    rm -rf "$state/base" "$state/objects"
}

# run NAME CMD...: runs CMD with each binary (`BIN` in it stands for the binary, `OUT` for a
# fresh output folder of its own), and compares stdout, stderr, the exit status and OUT.
run() {
    local name=$1
    shift
    for side in before after; do
        local bin=$before
        [ "$side" = after ] && bin=$after
        local out="$work/$name.$side.out"
        rm -rf "$out"
        local args=()
        for a in "$@"; do
            a=${a//BIN/$bin}
            a=${a//OUT/$out}
            args+=("$a")
        done
        set +e
        "${args[@]}" >"$work/$name.$side.stdout" 2>"$work/$name.$side.stderr"
        echo "$?" >"$work/$name.$side.status"
        set -e
        for f in stdout stderr; do
            normalise <"$work/$name.$side.$f" | sed "s|$out|OUT|g" >"$work/$name.$side.$f.n"
        done
        if [ -f "$out/.rebrand/lock.toml" ]; then
            for f in lock.toml output.toml; do
                [ -f "$out/.rebrand/$f" ] && normalise <"$out/.rebrand/$f" >"$out/.rebrand/$f.n" && mv "$out/.rebrand/$f.n" "$out/.rebrand/$f"
            done
            base_texts "$out/.rebrand"
        fi
    done
    local same=1
    for f in stdout.n stderr.n status; do
        if ! cmp -s "$work/$name.before.$f" "$work/$name.after.$f"; then
            same=0
            diff -u "$work/$name.before.$f" "$work/$name.after.$f" | head -40 || true
        fi
    done
    if [ -e "$work/$name.before.out" ] || [ -e "$work/$name.after.out" ]; then
        if ! diff -r "$work/$name.before.out" "$work/$name.after.out" >"$work/$name.tree.diff" 2>&1; then
            same=0
            head -40 "$work/$name.tree.diff"
        fi
    fi
    if [ "$same" = 1 ]; then
        echo "same     $name (exit $(cat "$work/$name.after.status"))"
    else
        echo "DIFFERS  $name"
        differ=1
    fi
}

twenty="$work/twenty"
mkdir -p "$twenty"
for i in $(seq -w 1 20); do cp -r "$tree" "$twenty/copy-$i"; done

run apply-site BIN apply --rules "$site_rules" "$tree" --out OUT --color never
run preview-site BIN preview --rules "$site_rules" "$tree" --color never
run audit-upstream BIN audit --upstream --rules "$site_rules" "$tree" --format json
run links-upstream BIN links "$tree"
run apply-brand BIN apply --rules "$brand_rules" "$tree" --out OUT --color never
run preview-brand BIN preview --rules "$brand_rules" "$tree" --color never
run apply-brand-20 BIN apply --rules "$brand_rules" "$twenty" --out OUT --color never
run preview-brand-20 BIN preview --rules "$brand_rules" "$twenty" --color never --stat

# The branded tree as the audit, the link check and a sync see it (made by `before`).
branded="$work/branded"
"$before" apply --rules "$site_rules" "$tree" --out "$branded" --color never 2>/dev/null
run audit-branded BIN audit --rules "$site_rules" "$branded" --format json
run links-branded BIN links --rules "$site_rules" "$branded"
# Upstream moves (a page edited, a page added) and the vendor edited a page by hand: a sync
# into a copy of that branded tree, for each binary (OUT is the copy).
moved="$work/moved"
cp -r "$tree" "$moved"
page=$(cd "$moved" && find docs -name '*.md' | sort | head -1)
printf '\nHarvester adds a paragraph upstream.\n' >>"$moved/$page"
printf -- '---\ntitle: New\n---\n\nA new Harvester page.\n' >"$moved/docs/zz-new-page.md"
printf '\nA line of the vendor.\n' >>"$branded/$page"
run sync bash -c 'cp -r "$1" "$2" && "$3" sync --rules "$4" --upstream "$5" --downstream "$2" --format json' \
    _ "$branded" OUT BIN "$site_rules" "$moved"

# Wall and CPU seconds of `apply` of the tree with the whole-site rules, three runs each.
for side in before after; do
    bin=$before
    [ "$side" = after ] && bin=$after
    for i in 1 2 3; do
        rm -rf "$work/t"
        /usr/bin/time -f "$side apply: %e s wall, %U s user, %S s system" "$bin" apply --rules "$site_rules" "$tree" --out "$work/t" --color never 2>&1 >/dev/null | tail -1
    done
done
exit "$differ"
