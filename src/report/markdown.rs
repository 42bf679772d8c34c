//! The pull-request summary: a run told in GitHub-flavoured Markdown, short enough for a PR
//! body or a CI job summary however large the tree (every list is cut to its top entries).

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use super::{count, words, Summary};
use crate::audit::{Finding, FindingKind, Level};
use crate::rules::RuleSet;
use crate::tree::Plan;

/// Changed files listed before "and M more".
pub const TOP_FILES: usize = 10;
/// Examples shown for each kind and level of finding.
pub const TOP_FINDINGS: usize = 5;
/// Moved URLs and warned paths listed before "and M more".
pub const TOP_PATHS: usize = 20;
/// Longest finding text shown, in characters, before it is cut with `…`.
const MAX_TEXT: usize = 80;

/// A summary fit for a pull-request body: a title line, totals, a per-rule count table,
/// files changed (top N by substitutions, then "and M more"), findings grouped by kind and
/// level with counts and the top examples (path:line, the text), and the moved URLs if any.
/// GitHub-flavoured Markdown; escape `|` in table cells and backticks in code spans.
///
/// Without a `plan` (an audit of a branded tree) only the title and the findings are
/// given. `elapsed` is the run's wall-clock time.
pub fn pr_summary(
    command: &str,
    rules: &RuleSet,
    plan: Option<&Plan>,
    findings: &[Finding],
    elapsed: Duration,
) -> String {
    let mut out = String::new();
    let summary = plan.map(|p| (p, Summary::of(p, rules.substitutions.len())));
    let mut title = format!("## rebrand {command}");
    let mut parts = Vec::new();
    if let Some((_, s)) = &summary {
        parts.push(format!(
            "{} in {}",
            count(s.substitutions(), "substitution", "substitutions"),
            count(s.changed, "file", "files")
        ));
    }
    if !findings.is_empty() || summary.is_none() {
        parts.push(findings_phrase(findings));
    }
    let _ = write!(title, ": {}", parts.join(", "));
    let _ = writeln!(out, "{title}\n");

    if let Some((plan, s)) = &summary {
        totals(&mut out, rules, s, elapsed);
        rule_table(&mut out, rules, s);
        changed_files(&mut out, plan);
        warnings(&mut out, s);
    } else {
        let _ = writeln!(
            out,
            "Rule file {}; took {:.2} s.\n",
            code(&file_name(rules)),
            elapsed.as_secs_f64()
        );
    }
    findings_section(&mut out, command, findings);
    if let Some((plan, _)) = &summary {
        moved_urls(&mut out, plan);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn totals(out: &mut String, rules: &RuleSet, s: &Summary, elapsed: Duration) {
    let mut line = format!(
        "{}, {} scanned as text, {} changed, {}, {} kept",
        count(s.files, "file", "files"),
        s.scanned,
        s.changed,
        count(s.substitutions(), "substitution", "substitutions"),
        count(s.heading_ids, "heading id", "heading ids"),
    );
    let site: Vec<String> = s
        .site_counts()
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|&(n, one, many)| count(n, one, many))
        .collect();
    if !site.is_empty() {
        let _ = write!(line, "; {}", site.join(", "));
    }
    let _ = writeln!(
        out,
        "{line}. Rule file {}; took {:.2} s.\n",
        code(&file_name(rules)),
        elapsed.as_secs_f64()
    );
}

fn rule_table(out: &mut String, rules: &RuleSet, s: &Summary) {
    if rules.substitutions.is_empty() {
        return;
    }
    let _ = writeln!(out, "### Substitutions by rule\n");
    let _ = writeln!(out, "| rule | from | to | substitutions |\n|---|---|---|---:|");
    let mut order: Vec<usize> = (0..s.per_rule.len()).collect();
    order.sort_by_key(|&i| (Reverse(s.per_rule[i]), i));
    for i in order {
        let rule = &rules.substitutions[i];
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&code(&rule.id)),
            cell(&code(&rule.from)),
            cell(&code(&rule.to)),
            s.per_rule[i]
        );
    }
    out.push('\n');
}

fn changed_files(out: &mut String, plan: &Plan) {
    let mut changed: Vec<(&crate::tree::FileReport, usize, usize, usize)> = plan
        .files
        .iter()
        .map(|f| &f.report)
        .filter_map(|r| {
            r.outcome
                .edit_counts()
                .map(|(subs, ids, refs)| (r, subs, ids, refs))
        })
        .collect();
    if changed.is_empty() {
        return;
    }
    changed.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.out_path().cmp(b.0.out_path())));
    let _ = writeln!(out, "### Files changed\n");
    let _ = writeln!(
        out,
        "| file | substitutions | heading ids | references | also |\n|---|---:|---:|---:|---|"
    );
    for (r, subs, ids, refs) in changed.iter().take(TOP_FILES) {
        let mut also = Vec::new();
        if r.renamed_to.is_some() {
            also.push(format!("renamed from {}", code(&r.path)));
        }
        if r.patched {
            also.push("patched".to_string());
        }
        let _ = writeln!(
            out,
            "| {} | {subs} | {ids} | {refs} | {} |",
            cell(&code(r.out_path())),
            cell(&also.join("; "))
        );
    }
    more(out, changed.len(), TOP_FILES, "changed file", "changed files");
    out.push('\n');
}

fn warnings(out: &mut String, s: &Summary) {
    let groups = s.warnings();
    if groups.is_empty() {
        return;
    }
    let _ = writeln!(out, "### Warnings\n");
    for (paths, one, many) in groups {
        let _ = writeln!(out, "- {}:", count(paths.len(), one, many));
        for p in paths.iter().take(TOP_PATHS) {
            let _ = writeln!(out, "  - {}", code(p));
        }
        if paths.len() > TOP_PATHS {
            let _ = writeln!(out, "  - and {} more", paths.len() - TOP_PATHS);
        }
    }
    out.push('\n');
}

fn findings_section(out: &mut String, command: &str, findings: &[Finding]) {
    if findings.is_empty() {
        if command == "audit" {
            let _ = writeln!(out, "### Findings\n\nNo findings.\n");
        }
        return;
    }
    let mut groups: BTreeMap<(Reverse<Level>, FindingKind), Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        groups.entry((Reverse(f.level), f.kind)).or_default().push(f);
    }
    let _ = writeln!(out, "### Findings: {}\n", findings_phrase(findings));
    let _ = writeln!(out, "| kind | level | findings |\n|---|---|---:|");
    for ((Reverse(level), kind), group) in &groups {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            kind.json_name(),
            level.name(),
            group.len()
        );
    }
    out.push('\n');
    for ((Reverse(level), kind), group) in &mut groups {
        group.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        let _ = writeln!(
            out,
            "#### {} ({}): {}\n",
            kind.json_name(),
            level.name(),
            group.len()
        );
        for f in group.iter().take(TOP_FINDINGS) {
            let mut line = format!(
                "- {} {}",
                code(&format!("{}:{}", f.path, f.line)),
                code(&cut(&f.text))
            );
            let message = one_line(&f.message);
            if !message.is_empty() {
                let _ = write!(line, ": {message}");
            }
            // Messages often name their rule already.
            match &f.rule {
                Some(rule) if !message.contains(&format!("`{rule}`")) => {
                    let _ = write!(line, " (rule {})", code(rule));
                }
                _ => {}
            }
            let _ = writeln!(out, "{line}");
        }
        if group.len() > TOP_FINDINGS {
            let _ = writeln!(out, "- and {} more", group.len() - TOP_FINDINGS);
        }
        out.push('\n');
    }
}

fn moved_urls(out: &mut String, plan: &Plan) {
    if plan.redirects.is_empty() {
        return;
    }
    let _ = writeln!(out, "### Moved URLs: {}\n", plan.redirects.len());
    let _ = writeln!(out, "| from | to |\n|---|---|");
    for r in plan.redirects.iter().take(TOP_PATHS) {
        let _ = writeln!(out, "| {} | {} |", cell(&code(&r.from)), cell(&code(&r.to)));
    }
    more(out, plan.redirects.len(), TOP_PATHS, "moved URL", "moved URLs");
    out.push('\n');
}

/// "and M more …" (`one` or `many` of what the table lists) after a table cut at `shown` rows.
fn more(out: &mut String, total: usize, shown: usize, one: &str, many: &str) {
    if total > shown {
        let _ = writeln!(
            out,
            "\nand {} more {}",
            total - shown,
            words(total - shown, one, many)
        );
    }
}

/// "2 errors, 1 warning" (levels that have findings, most serious first), or "no findings".
fn findings_phrase(findings: &[Finding]) -> String {
    let mut by_level: BTreeMap<Reverse<Level>, usize> = BTreeMap::new();
    for f in findings {
        *by_level.entry(Reverse(f.level)).or_default() += 1;
    }
    if by_level.is_empty() {
        return "no findings".to_string();
    }
    by_level
        .into_iter()
        .map(|(Reverse(level), n)| match level {
            Level::Error => count(n, "error", "errors"),
            Level::Warning => count(n, "warning", "warnings"),
            Level::Info => format!("{n} info"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn file_name(rules: &RuleSet) -> String {
    rules.path.file_name().map_or_else(
        || rules.path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// `text` on one line: line breaks would end a list item or a table row.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` cut to [`MAX_TEXT`] characters.
fn cut(text: &str) -> String {
    match text.char_indices().nth(MAX_TEXT) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// A code span showing `text` as it is: the fence is one backtick longer than the longest
/// run of backticks inside, with a space of padding when the text starts or ends with one
/// (CommonMark strips one space from each side).
pub fn code(text: &str) -> String {
    let text = one_line(text);
    if text.is_empty() {
        return "` `".to_string();
    }
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad =
        if text.starts_with('`') || text.ends_with('`') || (text.starts_with(' ') && text.ends_with(' ')) {
            " "
        } else {
            ""
        };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A table cell: `|` escaped (GFM splits cells on it even inside code spans) and on one
/// line.
pub fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code("harvester"), "`harvester`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("a ``` b"), "````a ``` b````");
        assert_eq!(code(""), "` `");
        assert_eq!(code("two\nlines"), "`two lines`");
    }

    #[test]
    fn cells_escape_pipes() {
        assert_eq!(cell(&code("a|b")), "`a\\|b`");
        assert_eq!(cell("x\ny"), "x y");
    }

    #[test]
    fn long_text_is_cut() {
        let long = "é".repeat(100);
        let cut = cut(&long);
        assert_eq!(cut.chars().count(), MAX_TEXT + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(super::cut("short"), "short");
    }
}
