//! The report of a sync, for a pull-request body (`sync --report FILE`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::markdown::code;
use super::{count, Summary};
use crate::audit::{Finding, Level};
use crate::rules::RuleSet;
use crate::sync::Synced;

/// Most paths listed per action before "and N more".
pub const TOP_PATHS: usize = 50;

/// Most conflict regions shown per file.
pub const TOP_HUNKS: usize = 3;

/// The Markdown report of `synced`: first the verdict (conflicts, and the audit's errors on
/// the synced tree), then the upstream label old → new and the counts by action, the
/// conflicts with their regions, the files by action, substitutions per rule in the new
/// generated tree, and the audit's findings (errors; for an adoption, the hand edition's
/// own defects too: near misses, stutters, front matter that does not parse).
pub fn markdown(synced: &Synced, rules: &RuleSet, findings: &[Finding]) -> String {
    let mut out = String::new();
    let errors: Vec<&Finding> = findings.iter().filter(|f| f.level == Level::Error).collect();
    let conflicts = count(synced.conflicts(), "conflict needs", "conflicts need");
    let failed = count(errors.len(), "error", "errors");
    let verdict = match (synced.conflicts(), errors.len()) {
        (0, 0) => "**Ready**: no conflicts, and the audit of the synced tree finds no error.".to_string(),
        (_, 0) => format!("**{conflicts} a person**; the audit of the synced tree finds no error."),
        (0, _) => format!("**The synced tree fails its audit: {failed}** (listed below); no conflicts."),
        _ => format!("**{conflicts} a person, and the synced tree fails its audit: {failed}.**"),
    };
    let _ = writeln!(out, "{verdict}\n");
    let label = |l: &Option<String>| l.as_deref().map_or("(unlabelled)".to_string(), code);
    let what = if synced.adopted {
        "adoption of a hand-made edition"
    } else {
        "sync"
    };
    let _ = writeln!(
        out,
        "## rebrand {what}: upstream {} → {}\n",
        label(&synced.labels.0),
        label(&synced.labels.1)
    );
    if synced.files.is_empty() {
        out.push_str("Nothing to do: the branded tree already has every upstream change.\n\n");
    } else {
        let counts: Vec<String> = synced
            .counts()
            .iter()
            .map(|(a, n)| format!("{} {n}", a.name()))
            .collect();
        let _ = writeln!(
            out,
            "{}; {} hand edits.\n",
            counts.join(", "),
            count(synced.hand_edited, "file carried", "files carried")
        );
    }
    if synced.conflicts() > 0 {
        let _ = writeln!(
            out,
            "Resolve the `<<<<<<<` markers (or the kept files), then run `rebrand check`.\n"
        );
        for (path, hunks) in &synced.conflict_hunks {
            let regions = count(hunks.len(), "conflict region", "conflict regions");
            let _ = writeln!(out, "#### {} ({regions})\n", code(path));
            for h in hunks.iter().take(TOP_HUNKS) {
                let _ = writeln!(out, "Line {}:\n\n```diff\n{}```\n", h.line, h.text);
            }
            if hunks.len() > TOP_HUNKS {
                let _ = writeln!(out, "and {} more regions\n", hunks.len() - TOP_HUNKS);
            }
        }
    }
    let mut by_action: BTreeMap<(bool, &str), Vec<String>> = BTreeMap::new();
    for f in &synced.files {
        by_action
            .entry((!f.action.is_conflict(), f.action.name()))
            .or_default()
            .push(match &f.moved_from {
                Some(from) => format!("{} (moved from {})", code(&f.path), code(from)),
                None => code(&f.path),
            });
    }
    for ((_, action), paths) in &by_action {
        let _ = writeln!(out, "### {} ({})\n", capitalise(action), paths.len());
        for p in paths.iter().take(TOP_PATHS) {
            let _ = writeln!(out, "- {p}");
        }
        if paths.len() > TOP_PATHS {
            let _ = writeln!(out, "- and {} more", paths.len() - TOP_PATHS);
        }
        out.push('\n');
    }
    let summary = Summary::of(&synced.plan, rules.substitutions.len());
    let _ = writeln!(out, "### Substitutions by rule in the generated tree\n");
    let _ = writeln!(out, "| rule | from | to | substitutions |\n|---|---|---|---:|");
    for (s, n) in rules.substitutions.iter().zip(&summary.per_rule) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {n} |",
            code(&s.id),
            code(&s.from),
            code(&s.to)
        );
    }
    let _ = writeln!(
        out,
        "\n### Audit of the synced tree: {}\n",
        count(errors.len(), "error", "errors")
    );
    for f in errors.iter().take(TOP_PATHS) {
        let _ = writeln!(out, "- {} {}", code(&format!("{}:{}", f.path, f.line)), f.message);
    }
    if synced.adopted {
        // The hand edition's own defects that are not errors: brand typos (near misses).
        let warnings: Vec<&Finding> = findings.iter().filter(|f| f.level == Level::Warning).collect();
        let _ = writeln!(out, "\n### Warnings of the adopted tree: {}\n", warnings.len());
        for f in warnings.iter().take(TOP_PATHS) {
            let _ = writeln!(out, "- {} {}", code(&format!("{}:{}", f.path, f.line)), f.message);
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}
