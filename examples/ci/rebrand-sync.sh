#!/usr/bin/env bash
# Bring upstream documentation changes into the branded tree with `rebrand sync`, then commit the
# result on a branch: the job of rebrand-sync.yml, for CI systems other than GitHub Actions (and
# for running it by hand). See README.md beside this file.
#
# Usage: rebrand-sync.sh [--upstream DIR] [--downstream DIR] [--rules FILE] [--rebrand BIN]
#                        [--upstream-rev LABEL] [--report FILE] [--branch NAME] [--no-commit]
#
# Every option has an environment variable; an option given on the command line wins.
#   --upstream      REBRAND_UPSTREAM      upstream docs checkout            (default: upstream)
#   --downstream    REBRAND_DOWNSTREAM    branded tree, inside a git work tree  (default: .)
#   --rules         REBRAND_RULES         rule file          (default: rules/nqrust-hypervisor.toml)
#   --rebrand       REBRAND_BIN           the rebrand binary                (default: rebrand)
#   --upstream-rev  REBRAND_UPSTREAM_REV  label of the upstream revision
#                                         (default: `git rev-parse --short HEAD` of the upstream)
#   --report        REBRAND_REPORT        Markdown report   (default: a new temporary file)
#   --branch        REBRAND_BRANCH        branch to commit on      (default: rebrand/upstream-sync)
#   --no-commit     REBRAND_NO_COMMIT=1   sync only: leave the changes uncommitted
# Relative paths are taken from the current directory.
#
# Exit status: rebrand sync's own. 0: synced, or nothing to do. 1: conflicts; the files carry
# git-style conflict markers and are committed all the same, so that people resolve them on the
# branch (as the workflow opens its pull request). 2: usage or input error; nothing is committed.
set -euo pipefail

prog="${0##*/}"

# The comment at the top of this file, from its second line.
usage() {
    awk 'NR > 1 && /^set -euo/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
}

die() {
    echo "$prog: error: $*" >&2
    exit 2
}

upstream="${REBRAND_UPSTREAM:-upstream}"
downstream="${REBRAND_DOWNSTREAM:-.}"
rules="${REBRAND_RULES:-rules/nqrust-hypervisor.toml}"
rebrand="${REBRAND_BIN:-rebrand}"
upstream_rev="${REBRAND_UPSTREAM_REV:-}"
report="${REBRAND_REPORT:-}"
branch="${REBRAND_BRANCH:-rebrand/upstream-sync}"
no_commit="${REBRAND_NO_COMMIT:-}"
# Only "1" (or "true"/"yes") turns committing off; "0" or empty leaves it on.
case "$no_commit" in
    1 | true | yes) no_commit=1 ;;
    *) no_commit= ;;
esac

while [ "$#" -gt 0 ]; do
    case "$1" in
        --upstream | --downstream | --rules | --rebrand | --upstream-rev | --report | --branch)
            [ "$#" -ge 2 ] || die "\`$1\` needs a value"
            case "$1" in
                --upstream) upstream="$2" ;;
                --downstream) downstream="$2" ;;
                --rules) rules="$2" ;;
                --rebrand) rebrand="$2" ;;
                --upstream-rev) upstream_rev="$2" ;;
                --report) report="$2" ;;
                --branch) branch="$2" ;;
            esac
            shift 2
            ;;
        --no-commit)
            no_commit=1
            shift
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            die "unexpected argument \`$1\` (see \`$prog --help\`)"
            ;;
    esac
done

[ -d "$upstream" ] || die "upstream folder \`$upstream\` not found"
[ -d "$downstream" ] || die "downstream folder \`$downstream\` not found"
[ -f "$rules" ] || die "rule file \`$rules\` not found"
command -v "$rebrand" >/dev/null 2>&1 || die "rebrand binary \`$rebrand\` not found (set REBRAND_BIN)"

if [ -z "$report" ]; then
    report="$(mktemp -d "${TMPDIR:-/tmp}/rebrand-sync.XXXXXX")/sync-report.md"
fi
mkdir -p "$(dirname "$report")"

# A label for the upstream revision, for the lock file and the report: the commit, when the
# upstream is a git checkout.
if [ -z "$upstream_rev" ]; then
    upstream_rev="$(git -C "$upstream" rev-parse --short HEAD 2>/dev/null || true)"
fi

# The physical absolute path of a folder.
abs_dir() {
    (cd "$1" && pwd -P)
}

down_abs="$(abs_dir "$downstream")"
up_abs="$(abs_dir "$upstream")"
report_abs="$(abs_dir "$(dirname "$report")")/$(basename "$report")"

# The path of $1 (absolute) relative to the downstream if it lies inside it, else nothing.
inside_downstream() {
    case "$1" in
        "$down_abs"/*) printf '%s\n' "${1#"$down_abs"/}" ;;
    esac
}

# Paths the commit must leave out, as git pathspecs relative to the downstream: the upstream
# checkout and the report when they sit inside the branded tree (as in the GitHub workflow,
# where the upstream is checked out in the repository's work tree).
excludes=()
for path in "$up_abs" "$report_abs"; do
    rel="$(inside_downstream "$path")"
    if [ -n "$rel" ]; then
        excludes+=(":(exclude)$rel")
    fi
done

if [ -z "$no_commit" ]; then
    command -v git >/dev/null 2>&1 || die "git not found (set REBRAND_NO_COMMIT=1 to sync without committing)"
    git -C "$downstream" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
        die "downstream \`$downstream\` is not in a git work tree (set REBRAND_NO_COMMIT=1 to sync without committing)"
    # The commit must hold what sync did and nothing else: refuse a tree with changes of its own.
    dirty="$(git -C "$downstream" status --porcelain -- . ${excludes[@]+"${excludes[@]}"})"
    if [ -n "$dirty" ]; then
        printf '%s\n' "$dirty" >&2
        die "downstream \`$downstream\` has uncommitted changes: commit or stash them first (or set REBRAND_NO_COMMIT=1)"
    fi
fi

# rebrand skips the upstream's `.git/` and audits only the files it generates, so an upstream
# checkout may sit anywhere, inside the downstream included (it is left out of the commit).
sync_upstream="$upstream"

# A report left by an earlier run must not pass for this one's.
rm -f "$report"

# Run sync and keep its status: conflicts (1) are committed too, errors (2) stop here.
sync_args=(sync --rules "$rules" --upstream "$sync_upstream" --downstream "$downstream" --report "$report")
if [ -n "$upstream_rev" ]; then
    sync_args+=(--upstream-rev "$upstream_rev")
fi
echo "+ $rebrand ${sync_args[*]}" >&2
status=0
"$rebrand" "${sync_args[@]}" || status=$?

if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
    echo "$prog: rebrand sync failed (exit $status); nothing committed" >&2
    exit "$status"
fi

if [ -f "$report" ]; then
    echo "$prog: sync report: $report" >&2
else
    echo "$prog: warning: rebrand sync wrote no report at \`$report\`" >&2
fi

if [ -n "$no_commit" ]; then
    echo "$prog: REBRAND_NO_COMMIT is set: changes left uncommitted in \`$downstream\`" >&2
    exit "$status"
fi

# Commit everything sync changed under the downstream, its state folder (.rebrand/) included.
git -C "$downstream" add -A -- . ${excludes[@]+"${excludes[@]}"}
if git -C "$downstream" diff --cached --quiet -- .; then
    echo "$prog: nothing to commit: the branded tree is up to date" >&2
    exit "$status"
fi

title="Sync upstream docs${upstream_rev:+ to $upstream_rev}"
if [ "$status" -eq 1 ]; then
    body="rebrand sync found conflicts: the files listed in the report carry conflict markers; resolve them on this branch before merging."
else
    body="rebrand sync merged the upstream changes into the branded tree, keeping the vendor's edits."
fi
# -B: the branch starts again from the current commit, like the workflow's pull-request branch.
git -C "$downstream" checkout -q -B "$branch"
git -C "$downstream" commit -q -m "$title" -m "$body"
echo "$prog: committed $(git -C "$downstream" rev-parse --short HEAD) on branch \`$branch\` ($title)" >&2

exit "$status"
