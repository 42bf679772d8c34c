#!/usr/bin/env bash
# Runs one rebrand command for the GitHub Action (action.yml) and hands its findings to GitHub:
# as annotations on the pull request (`--format github`), or as a SARIF file for code scanning
# (`--format sarif`, uploaded by the Action's next step).
#
# Environment (the Action maps its inputs onto it):
#   REBRAND_COMMAND     audit | check | links | test-rules | sync            (default: audit)
#   REBRAND_RULES       the rule file (audit, check, sync, test-rules; links: optional)
#   REBRAND_TREE        the tree audit and links read                      (default: .)
#   REBRAND_UPSTREAM    the upstream tree (check, sync)
#   REBRAND_DOWNSTREAM  the branded tree (check, sync)                     (default: .)
#   REBRAND_FORMAT      github | sarif (sync: its JSON report goes to the log; ignored)
#                                                                          (default: github)
#   REBRAND_SARIF_FILE  where the SARIF log goes                           (default: rebrand.sarif)
#   REBRAND_ARGS        more arguments, split on spaces (`--deny warnings`, `--upstream-rev v1.6`)
#   REBRAND_FAIL_ON_FINDINGS  true | false: whether findings (exit 1) fail the step
#                                                                          (default: true)
#   REBRAND_BIN         the rebrand binary                                 (default: rebrand)
#   GITHUB_OUTPUT       where `exit-code` and `sarif-file` are written (default: none)
#
# Exit status: rebrand's own (0 clean, 1 findings, 2 usage or input error), except that 1 is 0
# when REBRAND_FAIL_ON_FINDINGS is false. A usage or input error always fails.
set -euo pipefail

die() { echo "rebrand-action: $*" >&2; exit 2; }

command="${REBRAND_COMMAND:-audit}"
rules="${REBRAND_RULES:-}"
tree="${REBRAND_TREE:-.}"
upstream="${REBRAND_UPSTREAM:-}"
downstream="${REBRAND_DOWNSTREAM:-.}"
format="${REBRAND_FORMAT:-github}"
sarif_file="${REBRAND_SARIF_FILE:-rebrand.sarif}"
fail="${REBRAND_FAIL_ON_FINDINGS:-true}"
bin="${REBRAND_BIN:-rebrand}"
read -r -a extra <<<"${REBRAND_ARGS:-}"

case "$format" in github | sarif) ;; *) die "format must be github or sarif, not \`$format\`" ;; esac
case "$fail" in true | false) ;; *) die "fail-on-findings must be true or false, not \`$fail\`" ;; esac
need() { [ -n "$2" ] || die "\`$command\` needs the \`$1\` input"; }

args=("$command")
case "$command" in
    audit)
        need rules "$rules"
        args+=(--rules "$rules" "$tree") ;;
    links)
        args+=("$tree")
        [ -n "$rules" ] && args+=(--rules "$rules") ;;
    test-rules)
        need rules "$rules"
        args+=("$rules") ;;
    check | sync)
        need rules "$rules"
        need upstream "$upstream"
        args+=(--rules "$rules" --upstream "$upstream" --downstream "$downstream") ;;
    *) die "command must be audit, check, links, test-rules or sync, not \`$command\`" ;;
esac
if [ "$command" = sync ]; then
    args+=(--format json)
else
    args+=(--format "$format")
fi
args+=(${extra[@]+"${extra[@]}"})

status=0
echo "rebrand-action: $bin ${args[*]}" >&2
if [ "$format" = sarif ] && [ "$command" != sync ]; then
    "$bin" "${args[@]}" >"$sarif_file" || status=$?
else
    "$bin" "${args[@]}" || status=$?
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "exit-code=$status" >>"$GITHUB_OUTPUT"
    if [ "$format" = sarif ] && [ "$command" != sync ]; then echo "sarif-file=$sarif_file" >>"$GITHUB_OUTPUT"; fi
fi
if [ "$status" -eq 1 ] && [ "$fail" = false ]; then
    echo "rebrand-action: findings reported (exit 1); not failing the step (fail-on-findings: false)" >&2
    exit 0
fi
exit "$status"
