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

/// The Markdown report of `synced`: the upstream label old → new, the files by action
/// (conflicts first), substitutions per rule in the new generated tree, and the audit's
/// errors on the synced tree.
pub fn markdown(synced: &Synced, rules: &RuleSet, findings: &[Finding]) -> String {
    let mut out = String::new();
    let label = |l: &Option<String>| l.as_deref().map_or("(unlabelled)".to_string(), code);
    let _ = writeln!(
        out,
        "## rebrand sync: upstream {} → {}\n",
        label(&synced.labels.0),
        label(&synced.labels.1)
    );
    let mut by_action: BTreeMap<(bool, &str), Vec<&str>> = BTreeMap::new();
    for f in &synced.files {
        by_action
            .entry((!f.action.is_conflict(), f.action.name()))
            .or_default()
            .push(&f.path);
    }
    if synced.files.is_empty() {
        out.push_str("Nothing to do: the branded tree already has every upstream change.\n\n");
    } else {
        // The other actions are participles, the same for one and many ("2 merged"); the
        // conflicts are nouns.
        let counts: Vec<String> = by_action
            .iter()
            .map(|((_, a), p)| match a.strip_prefix("conflict") {
                Some(rest) => format!("{}{rest}", count(p.len(), "conflict", "conflicts")),
                None => format!("{} {a}", p.len()),
            })
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
            "**{} a person**: resolve the `<<<<<<<` markers (or the kept files), then run `rebrand check`.\n",
            count(synced.conflicts(), "conflict needs", "conflicts need")
        );
    }
    for ((_, action), paths) in &by_action {
        let _ = writeln!(out, "### {} ({})\n", capitalise(action), paths.len());
        for p in paths.iter().take(TOP_PATHS) {
            let _ = writeln!(out, "- {}", code(p));
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
    let errors: Vec<&Finding> = findings.iter().filter(|f| f.level == Level::Error).collect();
    let _ = writeln!(
        out,
        "\n### Audit of the synced tree: {}\n",
        count(errors.len(), "error", "errors")
    );
    for f in errors.iter().take(TOP_PATHS) {
        let _ = writeln!(out, "- {} {}", code(&format!("{}:{}", f.path, f.line)), f.message);
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}
