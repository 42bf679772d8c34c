//! The starter rule file as text: every value written by `toml_writer` (quotes and escapes
//! as TOML wants them), with the comments a new user reads around them.

use std::fmt::Write as _;

use toml_writer::ToTomlValue;

use super::{Draft, Rule, RuleKind, MAX_LISTED};
use crate::audit::{Audit, Level};
use crate::report::count;
use crate::rules::CaseMode;

/// Width comments are wrapped to.
const WIDTH: usize = 92;

/// `text` as comment lines of at most [`WIDTH`] characters (a longer word stands alone);
/// an empty `text` is a lone `#`.
fn comment(out: &mut String, text: &str) {
    let mut line = String::from("#");
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        if line.len() > 1 && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(&line);
            out.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
}

/// A section heading: a blank line, a ruled title.
fn heading(out: &mut String, title: &str) {
    let rule = "-".repeat(WIDTH.saturating_sub(title.chars().count() + 6));
    let _ = write!(out, "\n# -- {title} {rule}\n");
}

/// `key = value`, the value a TOML string.
fn key(out: &mut String, key: &str, value: &str) {
    let _ = writeln!(out, "{key} = {}", value.to_toml_value());
}

fn substitution(out: &mut String, rule: &Rule) {
    for line in &rule.comment {
        comment(out, line);
    }
    out.push_str("[[substitution]]\n");
    key(out, "id", &rule.id);
    key(out, "from", &rule.from);
    key(out, "to", &rule.to);
    key(
        out,
        "case",
        match rule.case {
            CaseMode::Exact => "exact",
            CaseMode::Preserve => "preserve",
        },
    );
}

/// `items` as "`a` 3, `b` 2".
fn listed(items: &[(String, usize)]) -> String {
    items
        .iter()
        .map(|(item, n)| format!("`{item}` {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The lines of the header that sum up `audit`: the counts, then each error and warning
/// kind with what it found, most frequent first.
pub(super) fn audit_summary(audit: &Audit) -> Vec<String> {
    let mut lines = vec![format!(
        "The upstream audit of the tree with this file (`rebrand audit --upstream`): {}, {}.",
        count(audit.count(Level::Error), "error", "errors"),
        count(audit.count(Level::Warning), "warning", "warnings")
    )];
    for level in [Level::Error, Level::Warning] {
        let mut kinds: Vec<_> = audit
            .findings
            .iter()
            .filter(|f| f.level == level)
            .map(|f| f.kind)
            .collect();
        kinds.dedup();
        kinds.sort();
        kinds.dedup();
        for kind in kinds {
            let of_kind: Vec<_> = audit
                .findings
                .iter()
                .filter(|f| f.level == level && f.kind == kind)
                .collect();
            let name = serde_json::to_value(kind)
                .ok()
                .and_then(|v| v.as_str().map(|s| s.replace('_', "-")))
                .unwrap_or_default();
            let label = if level == Level::Error { "error" } else { "warning" };
            let what = if of_kind.len() == 1 && of_kind[0].text.len() > 40
                || kind == crate::audit::FindingKind::Unread
            {
                of_kind[0].message.clone()
            } else {
                listed(&super::ranked(
                    of_kind.iter().map(|f| f.text.replace('\n', " ")),
                    MAX_LISTED,
                ))
            };
            let why = match kind {
                crate::audit::FindingKind::NearMiss => " (words close to the name that no rule rewrites: leave an identifier, add a rule for a spelling of the product)",
                crate::audit::FindingKind::Stutter => " (doubled words no rule reaches: see the stutter section)",
                _ => "",
            };
            lines.push(format!("- {label}[{name}] {}: {what}{why}", of_kind.len()));
        }
    }
    lines
}

/// The whole file.
pub(super) fn render(d: &Draft) -> String {
    let mut out = String::new();
    let (from, to) = (&d.from, &d.to);
    comment(
        &mut out,
        &format!(
            "Starter rules: `{from}` -> `{to}`, learned by `rebrand init` from `{}` ({} files read as text).",
            d.tree, d.files
        ),
    );
    comment(&mut out, "");
    comment(
        &mut out,
        "A brand file: it renames the product and knows nothing of a site (no [overlay], [[patch]] or [[rename]]), so it runs on any tree, on one folder of it or on one page. A site profile can extend it with `extends`.",
    );
    comment(&mut out, "");
    comment(
        &mut out,
        "Read each section: keep what is right, change what is not (each rule says what it was learned from). Then run its tests, audit the tree with it as upstream (what the rules would leave or double) and read the review diff:",
    );
    for command in [
        "rebrand test-rules FILE".to_string(),
        format!("rebrand audit --upstream --rules FILE {}", d.tree),
        format!("rebrand preview --rules FILE {}", d.tree),
    ] {
        let _ = writeln!(out, "#   {command}");
    }
    comment(&mut out, "");
    if d.by_context.is_empty() {
        comment(&mut out, &format!("The tree's text never mentions `{from}`."));
    } else {
        comment(
            &mut out,
            &format!(
                "Mentions of `{from}` in the tree (ASCII case ignored), by context: {}. Only prose is rewritten (the default `contexts`): code, inline code, URLs and link targets keep the upstream name, as commands, identifiers and addresses must.",
                d.by_context
                    .iter()
                    .map(|(c, n)| format!("{c} {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    if let Some(audit) = &d.audit {
        comment(&mut out, "");
        for line in audit {
            comment(&mut out, line);
        }
        if audit.iter().any(|l| l.contains("[unread]")) {
            comment(
                &mut out,
                "Files no glob reads are copied as they are. If some are pages (reStructuredText, ...), read them as plain text, all prose but bare URLs, with a [files] table: `plain = [\"**/*.rst\"]`; leave scripts, templates and build files unread.",
            );
        }
    }

    heading(&mut out, "The product name");
    for line in &d.case_note {
        comment(&mut out, line);
    }
    substitution(&mut out, &d.rules[0]);

    let of = |kind| d.rules.iter().filter(move |r: &&Rule| r.kind == kind);
    if of(RuleKind::Variant).next().is_some() {
        heading(&mut out, "Other spellings in prose");
        comment(
            &mut out,
            &format!(
                "The rule above matches `{from}` as written; the prose also spells the name as below. Each gets the new name in its case. Delete a rule whose spelling is not the product."
            ),
        );
        for rule in of(RuleKind::Variant) {
            out.push('\n');
            substitution(&mut out, rule);
        }
    }

    heading(&mut out, "Phrases that would stutter");
    if of(RuleKind::Stutter).next().is_some() {
        comment(
            &mut out,
            &format!(
                "Where the prose writes `{from}` next to a word of `{to}`, the name's rule alone would double it (\"{to} {}\"). These phrases become the new name alone; the longest match wins, so they take the place of the name's rule there, also across a line break.",
                to.split_whitespace().last().unwrap_or("").to_lowercase()
            ),
        );
        for rule in of(RuleKind::Stutter) {
            out.push('\n');
            substitution(&mut out, rule);
        }
    } else {
        comment(
            &mut out,
            &format!("None: nowhere in the prose would `{from}` -> `{to}` double a word."),
        );
    }
    if !d.unreachable_stutters.is_empty() {
        comment(&mut out, "");
        comment(
            &mut out,
            &format!(
                "No rule can reach a doubled word with emphasis or code markup between (`**{from}** {}`): a substitution matches within one span of text. Found: {}. Reword those places, or list a meant one in `[audit] allow_stutters`.",
                to.split_whitespace().last().unwrap_or("").to_lowercase(),
                listed(&d.unreachable_stutters)
            ),
        );
    }

    if let Some(note) = &d.article_note {
        heading(&mut out, "Articles");
        comment(&mut out, note);
        for rule in of(RuleKind::Article) {
            out.push('\n');
            substitution(&mut out, rule);
        }
    }

    heading(&mut out, "Exceptions");
    comment(
        &mut out,
        "The scanner keeps code, inline code, URLs and link targets as they are: they need no exception. An exception is text that must never change wherever it stands.",
    );
    if d.keeps.is_empty() {
        comment(
            &mut out,
            &format!(
                "None is needed: no identifier that the rules above would rewrite is written in the tree's prose{}.",
                if d.rules[0].case == CaseMode::Exact {
                    format!(
                        " (one in lower case, `{}-...`, never matches a case-exact rule)",
                        from.to_lowercase()
                    )
                } else {
                    String::new()
                }
            ),
        );
    } else {
        comment(
            &mut out,
            "These are identifiers written in prose, not in code, that the rules above would rewrite.",
        );
        for keep in &d.keeps {
            out.push('\n');
            comment(
                &mut out,
                &format!(
                    "`{}` {} in prose, first at {}.",
                    keep.literal,
                    super::times(keep.count),
                    keep.first
                ),
            );
            out.push_str("[[exception]]\n");
            key(&mut out, "literal", &keep.literal);
            key(
                &mut out,
                "reason",
                "An identifier written in prose: it stays as the software spells it.",
            );
        }
    }

    if !d.compounds.is_empty() || d.lower_left.is_some() {
        heading(&mut out, "To review");
    }
    if !d.compounds.is_empty() {
        comment(
            &mut out,
            &format!(
                "Names in prose that begin with the product's, rewritten with it (`{} ...` -> `{to} ...`): {}. If one is an upstream component the vendor does not rename, or a label readers must find as it is on a screen, keep it with an exception:",
                from,
                listed(&d.compounds)
            ),
        );
        if let Some((name, _)) = d.compounds.first() {
            out.push_str("#   [[exception]]\n");
            let _ = writeln!(out, "#   literal = {}", name.to_toml_value());
            out.push_str("#   reason = \"The upstream component's name, as its own UI shows it.\"\n");
        }
    }
    if let Some(super::LowerLeft {
        count: n,
        first,
        phrases,
    }) = &d.lower_left
    {
        if !d.compounds.is_empty() {
            comment(&mut out, "");
        }
        let lower = from.to_lowercase();
        let often = if phrases.is_empty() {
            String::new()
        } else {
            format!(" (most often {})", listed(phrases))
        };
        comment(
            &mut out,
            &format!(
                "Lower-case `{lower}` stands in prose as a word, not in an identifier, {}{often}, first at {first}. The rules leave it: the name's rule is case-exact, as the identifiers in lower case need. Where one is the product, add a rule for its phrase:",
                super::times(*n)
            ),
        );
        let (phrase, rest) = match phrases.first() {
            Some((p, _)) => (p.clone(), p.split_once(' ').map_or("", |(_, r)| r).to_string()),
            None => (format!("{lower} cluster"), "cluster".to_string()),
        };
        out.push_str("#   [[substitution]]\n");
        let _ = writeln!(out, "#   from = {}", phrase.to_toml_value());
        let _ = writeln!(out, "#   to = {}", format!("{to} {rest}").to_toml_value());
    }

    heading(&mut out, "Tests");
    if d.tests.is_empty() {
        comment(
            &mut out,
            "The tree has no sentence with the name that a test could quote. Add [[test]] cases with `input` and `expect`.",
        );
    } else {
        comment(
            &mut out,
            "Real sentences of the tree. Each `expect` is what the rules of this file make of its sentence, computed by `rebrand init` running them: read each one, and where it is wrong, fix the rules (then the expect). `rebrand test-rules FILE` runs them.",
        );
    }
    for t in &d.tests {
        out.push('\n');
        comment(&mut out, &t.place);
        out.push_str("[[test]]\n");
        key(&mut out, "name", &t.name);
        key(&mut out, "input", &t.input);
        key(&mut out, "expect", &t.expect);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_wrap_at_the_width() {
        let mut out = String::new();
        comment(&mut out, &"word ".repeat(40));
        assert!(out
            .lines()
            .all(|l| l.starts_with("# ") && l.chars().count() <= WIDTH));
        assert_eq!(out.lines().count(), 3);
        let mut out = String::new();
        comment(&mut out, "");
        assert_eq!(out, "#\n");
    }

    #[test]
    fn values_are_toml_strings() {
        let mut out = String::new();
        key(&mut out, "input", "He said \"Longhorn\" and 'Longhorn'.");
        let parsed: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(
            parsed["input"].as_str(),
            Some("He said \"Longhorn\" and 'Longhorn'.")
        );
    }
}
