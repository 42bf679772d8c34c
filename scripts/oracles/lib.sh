# Shared by scripts/build-mkdocs.sh and scripts/build-hugo.sh (sourced, not run): the output
# folder's checks and the cached venv of pinned PyPI packages.

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
