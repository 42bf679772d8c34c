# Shared by scripts/build-*.sh (sourced, not run): the output folder's checks, the cached
# venv of pinned PyPI packages, the npm sites' arguments, install and build copy, and the end
# of a build's output.
# Shared by scripts/oracles/smoke.sh and scripts/oracles/examples.sh: one tree through the
# oracle (brand it, build upstream and branded, compare the built sites and the warnings).

# prepare_out NAME TREE OUT: checks that OUT (created when absent) and TREE do not hold each
# other and that OUT is empty or a built site (an index.html at its top), then empties it.
# Sets `out` (absolute), `log` (OUT.log) and `warnings` (OUT.warnings). Exits 2 on a problem.
prepare_out() {
    local name=$1 tree=$2
    mkdir -p "$3"
    out="$(cd "$3" && pwd)"
    case "$out/" in "$tree/"*) echo "$name: OUT must not be inside TREE" >&2; exit 2 ;; esac
    case "$tree/" in "$out/"*) echo "$name: TREE must not be inside OUT" >&2; exit 2 ;; esac
    if [ -n "$(ls -A "$out")" ] && [ ! -f "$out/index.html" ]; then
        echo "$name: OUT \`$out\` is not empty and holds no built site (no index.html): not emptied" >&2
        exit 2
    fi
    find "$out" -mindepth 1 -delete
    log="$out.log"
    warnings="$out.warnings"
}

# install_venv NAME REQS CACHE_ROOT PREFIX [CHECK...]: a venv under CACHE_ROOT named PREFIX and
# a hash of REQS and the Python version ($PYTHON, else python3), made once (under a lock, marked
# complete only when `pip install -r REQS` and the command CHECK, run in the venv's bin/, pass).
# Sets `venv`. Exits 2 when the install fails.
install_venv() {
    local name=$1 reqs=$2 cache_root=$3 prefix=$4
    shift 4
    local python="${PYTHON:-python3}"
    mkdir -p "$cache_root"
    local key
    key="$( { cat "$reqs"; "$python" --version 2>&1; } | sha256sum | cut -c1-16)"
    venv="$cache_root/$prefix$key"
    (
        flock 9
        if [ ! -f "$venv/.complete" ]; then
            rm -rf "$venv"
            start=$(date +%s)
            echo "$name: installing the $(grep -c '^[A-Za-z]' "$reqs") packages pinned in ${reqs##*/} into $venv (first run)"
            "$python" -m venv "$venv" >&2 || exit 2
            "$venv/bin/pip" install --disable-pip-version-check --no-input -q -r "$reqs" >&2 || exit 2
            if [ $# -gt 0 ]; then "$venv/bin/$1" "${@:2}" >&2 || exit 2; fi
            touch "$venv/.complete"
            echo "$name: installed in $(( $(date +%s) - start )) s"
        fi
    ) 9>"$cache_root/.lock" || { echo "$name: installing from $reqs failed" >&2; exit 2; }
}

# show_build NAME STATUS PATTERN NWARN COUNTS: what a build script prints at its end, from
# `log`, `warnings` and `out` (prepare_out): the timer's line (NAME-time: ...), then the end
# of the log when the build failed (STATUS not 0) or else the first 10 of the NWARN warnings
# (the lines of `warnings` that PATTERN, a grep pattern, takes), then "NAME: COUNTS" and the
# paths of the site, the log and the warnings. Exits 1 when the build failed.
show_build() {
    local name=$1 status=$2 pattern=$3 nwarn=$4 counts=$5
    grep -E "^$name-time:" "$log" || true
    if [ "$status" -ne 0 ]; then
        echo "== the build failed; the end of its log:"
        grep -v "^$name-time:" "$log" | tail -n 40
    elif [ "$nwarn" -gt 0 ]; then
        echo "== warnings (first 10 of $nwarn; all in $warnings):"
        grep -m 10 "$pattern" "$warnings" || true
    fi
    echo "$name: $counts"
    echo "$name: site:     $out"
    echo "$name: log:      $log"
    echo "$name: warnings: $warnings"
    [ "$status" -eq 0 ] || exit 1
}

# oracle_build PREFIX BUILDER TREE SITE: runs scripts/BUILDER (build-mkdocs.sh or
# build-hugo.sh) on TREE into SITE, its output kept in SITE.out; prints its summary lines, and
# all of its output when it fails. Needs `repo` (the repository's root). Returns the build's
# status; exits 2 when the build script could not install or was misused.
oracle_build() {
    local prefix=$1 builder=$2 tree=$3 site=$4 code=0
    "$repo/scripts/$builder" "$tree" "$site" >"$site.out" 2>&1 || code=$?
    if [ "$code" -eq 0 ]; then
        grep -E '^build-' "$site.out" || true
    else
        cat "$site.out"
    fi
    [ "$code" -eq 2 ] && { echo "$prefix: $builder failed to install or was misused" >&2; exit 2; }
    return "$code"
}

# check_python: the venv of scripts/oracles/check-requirements.txt (PyYAML, for
# scripts/compare-sources.py) under ~/.cache/rebrand-check/ (or $REBRAND_CHECK_CACHE), made
# once. Sets `check_venv`. Exits 2 when it cannot be installed.
check_python() {
    local venv
    install_venv compare-sources "$repo/scripts/oracles/check-requirements.txt" \
        "${REBRAND_CHECK_CACHE:-$HOME/.cache/rebrand-check}" check- python -c "import yaml"
    check_venv=$venv
}

# oracle_one PREFIX NAME BUILDER TREE RULES BRAND: one tree through the oracle, into
# `$out/NAME/`: `rebrand apply --rules RULES TREE` (branded-tree/, apply.log), the upstream and
# the branded build with scripts/BUILDER (upstream-site/, branded-site/, their .log, .warnings
# and .out), the warning lines compared (sorted, trailing blanks dropped),
# scripts/compare-built-sites.py with the brand word BRAND and the options in the array
# `compare_flags`, when set (compare.txt, compare.json), and
# scripts/compare-sources.py on TREE and the branded tree (sources.txt). Needs
# `repo`, `rebrand` (the binary) and `out` (absolute); sets `overall=1` when a step fails (the
# apply, a build, a warning line that differs, a comparison) and adds a line to the array
# `summary`. Exits 2 when TREE is missing, a build script could not install or the comparison
# could not run.
oracle_one() {
    local prefix=$1 name=$2 builder=$3 tree=$4 rules=$5 brand=$6
    local dir="$out/$name" status=0 up_s br_s t0 br_ok=1 warn_diff
    if [ ! -d "$tree" ]; then echo "$prefix: no tree \`$tree\`" >&2; exit 2; fi
    rm -rf "$dir"
    mkdir -p "$dir"
    echo "== $name: rebrand apply ($rules)"
    "$rebrand" apply --rules "$rules" "$tree" --out "$dir/branded-tree" >"$dir/apply.log" 2>&1 || {
        echo "$prefix: rebrand apply failed (log: $dir/apply.log)"
        tail -n 20 "$dir/apply.log"
        overall=1
        summary+=("$name: rebrand apply failed")
        return 0
    }
    grep -E '^rebrand:' "$dir/apply.log" || true
    echo "== $name: upstream build"
    t0=$(date +%s)
    oracle_build "$prefix" "$builder" "$tree" "$dir/upstream-site" || status=1
    up_s=$(( $(date +%s) - t0 ))
    echo "== $name: branded build"
    t0=$(date +%s)
    oracle_build "$prefix" "$builder" "$dir/branded-tree" "$dir/branded-site" || { br_ok=0; status=1; }
    br_s=$(( $(date +%s) - t0 ))
    echo "== $name: build warnings, upstream vs branded"
    warn_diff=$(diff <(sed -E 's/ +$//' "$dir/upstream-site.warnings" | sort) \
                     <(sed -E 's/ +$//' "$dir/branded-site.warnings" | sort) | grep -c '^[<>]' || true)
    if [ "$warn_diff" -gt 0 ]; then
        diff <(sort "$dir/upstream-site.warnings") <(sort "$dir/branded-site.warnings") | grep '^[<>]' | head -n 20 || true
        status=1
    fi
    echo "$prefix: $warn_diff warning lines differ between upstream and branded"
    if [ "$br_ok" -eq 1 ]; then
        echo "== $name: compare the built sites"
        python3 "$repo/scripts/compare-built-sites.py" "$dir/upstream-site" "$dir/branded-site" --brand "$brand" \
            ${compare_flags[@]+"${compare_flags[@]}"} \
            | tee "$dir/compare.txt" || { [ "${PIPESTATUS[0]}" -eq 2 ] && exit 2; status=1; }
        python3 "$repo/scripts/compare-built-sites.py" "$dir/upstream-site" "$dir/branded-site" --brand "$brand" \
            ${compare_flags[@]+"${compare_flags[@]}"} --json >"$dir/compare.json" || true
        echo "== $name: compare the sources (structured files, front matter, shortcode calls)"
        check_python
        "$check_venv/bin/python" "$repo/scripts/compare-sources.py" "$tree" "$dir/branded-tree" \
            | tee "$dir/sources.txt" || { [ "${PIPESTATUS[0]}" -eq 2 ] && exit 2; status=1; }
        summary+=("$name: builds ${up_s} s / ${br_s} s; $(tail -n 1 "$dir/compare.txt" | sed 's/^compare-built-sites: //'); warning lines differing $warn_diff; sources $(tail -n 1 "$dir/sources.txt" | sed 's/^compare-sources: //')")
    else
        summary+=("$name: the branded build FAILED (log: $dir/branded-site.log)")
    fi
    [ "$status" -eq 0 ] || overall=1
}

# npm_deps NAME TREE CACHE_ROOT [--no-scripts]: installs the packages TREE's package-lock.json
# pins, once per lock: `npm ci` into CACHE_ROOT/<first 16 hex digits of the lock's sha256>,
# under a lock file so that parallel builds share one install, marked complete only when it
# succeeded. Sets `deps` to that folder. With --no-scripts the cached package.json has its
# `scripts` removed (a site's own postinstall runs in its build copy, not in the cache).
# Exits 2 when npm ci fails. NAME prefixes the messages.
npm_deps() {
    local name=$1 tree=$2 cache_root=$3 no_scripts=${4:-} key
    mkdir -p "$cache_root"
    key="$(sha256sum <"$tree/package-lock.json" | cut -c1-16)"
    deps="$cache_root/$key"
    (
        flock 9
        if [ ! -f "$deps/.complete" ]; then
            rm -rf "$deps"
            mkdir -p "$deps"
            if [ "$no_scripts" = --no-scripts ]; then
                python3 -c 'import json, sys
p = json.load(open(sys.argv[1]))
p.pop("scripts", None)
json.dump(p, open(sys.argv[2], "w"), indent=2)' "$tree/package.json" "$deps/package.json" || exit 2
            else
                cp "$tree/package.json" "$deps/"
            fi
            cp "$tree/package-lock.json" "$deps/"
            local start
            start=$(date +%s)
            echo "$name: npm ci into $deps (first run for this lock)"
            (cd "$deps" && npm ci --no-audit --no-fund --loglevel=error) >&2 || exit 2
            touch "$deps/.complete"
            echo "$name: installed in $(( $(date +%s) - start )) s"
        fi
    ) 9>"$cache_root/.lock" || { echo "$name: npm ci failed" >&2; exit 2; }
}

# npm_site_args NAME CONFIG "$@": the arguments of a build script of an npm site
# (`[--keep] TREE OUT`), read and checked: TREE must hold CONFIG (a glob: `next.config.*`),
# package.json and package-lock.json, and npm must be there. Sets `keep` (1 with --keep),
# `tree` (absolute) and, through prepare_out, `out`, `log` and `warnings`. Prints the caller's
# `usage` for -h; exits 2 on a bad argument.
npm_site_args() {
    local name=$1 config=$2 f
    shift 2
    local args=()
    keep=0
    while [ $# -gt 0 ]; do
        case "$1" in
            --keep) keep=1 ;;
            -h|--help) usage; exit 0 ;;
            -*) echo "$name: unknown option \`$1\`" >&2; usage >&2; exit 2 ;;
            *) args+=("$1") ;;
        esac
        shift
    done
    if [ ${#args[@]} -ne 2 ]; then
        usage >&2
        exit 2
    fi
    if [ ! -d "${args[0]}" ]; then echo "$name: no folder \`${args[0]}\`" >&2; exit 2; fi
    tree="$(cd "${args[0]}" && pwd)"
    # shellcheck disable=SC2086 # CONFIG is a glob
    if ! ls "$tree"/$config >/dev/null 2>&1; then
        echo "$name: \`$tree\` has no $config" >&2; exit 2
    fi
    for f in package.json package-lock.json; do
        if [ ! -f "$tree/$f" ]; then echo "$name: \`$tree\` has no $f" >&2; exit 2; fi
    done
    command -v npm >/dev/null 2>&1 || { echo "$name: node and npm are needed" >&2; exit 2; }
    prepare_out "$name" "$tree" "${args[1]}"
}

# npm_build_copy NAME EXCLUDE...: the build copy of `tree` in a temporary folder, removed on
# exit unless `keep` is 1: the tree but the EXCLUDE entries at its top (node_modules, the
# generator's build output), with the cached install of npm_deps linked in. Sets `work` and
# `site` (the copy).
npm_build_copy() {
    local name=$1 x
    shift
    local excludes=(--exclude=./node_modules)
    for x in "$@"; do excludes+=("--exclude=./$x"); done
    work="$(mktemp -d "${TMPDIR:-/tmp}/rebrand-${name#build-}-build.XXXXXX")"
    # shellcheck disable=SC2064 # the name and folder are fixed now
    trap "if [ \"\$keep\" -eq 0 ]; then rm -rf '$work'; else echo '$name: build folder kept: $work'; fi" EXIT
    site="$work/site"
    mkdir -p "$site"
    tar -C "$tree" "${excludes[@]}" -cf - . | tar -C "$site" -xf -
    link_node_modules "$site"
}

# link_node_modules SITE: SITE/node_modules made of links to the entries of $deps/node_modules
# (npm_deps), so that a build copy uses the cached install without copying it.
link_node_modules() {
    local site=$1 entry
    mkdir -p "$site/node_modules"
    for entry in "$deps/node_modules/"* "$deps/node_modules/".bin; do
        [ -e "$entry" ] && ln -s "$entry" "$site/node_modules/$(basename "$entry")"
    done
    return 0
}

# oracle_setup NAME OUTDIR: what the oracle scripts share once their options are read: the
# rebrand binary (`rebrand` as given, else target/release/rebrand, else `rebrand` on PATH;
# exit 2 without one) and `out`, OUTDIR made absolute (created). Needs `repo`.
oracle_setup() {
    local name=$1
    if [ -z "$rebrand" ]; then
        if [ -x "$repo/target/release/rebrand" ]; then rebrand="$repo/target/release/rebrand"
        else rebrand="$(command -v rebrand || true)"; fi
    fi
    if [ -z "$rebrand" ] || [ ! -x "$rebrand" ]; then
        echo "$name: no rebrand binary (build it, or --rebrand BIN)" >&2; exit 2
    fi
    mkdir -p "$2"
    out="$(cd "$2" && pwd)"
}

