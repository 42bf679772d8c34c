//! Review output: the unified diff of a changed file, `--stat` lines, the run summary, and
//! the one colour policy.

use std::fmt::{self, Write as _};
use std::io::IsTerminal;
use std::time::Duration;

use similar::{ChangeTag, TextDiff};

use crate::rewrite::Engine;
use crate::tree::{CopyReason, FileReport, Outcome};

/// When to colour output (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when the stream is a terminal and `NO_COLOR` is unset or empty.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (`is_terminal`) or is not a terminal.
    /// `NO_COLOR` (<https://no-color.org>) turns `auto` off.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    /// Whether to colour standard output.
    pub fn stdout(self) -> bool {
        self.enabled(std::io::stdout().is_terminal())
    }

    /// Whether to colour standard error.
    pub fn stderr(self) -> bool {
        self.enabled(std::io::stderr().is_terminal())
    }
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// The review diff of one file: a git-style unified diff from upstream (`a/`) to branded
/// (`b/`) text, paths relative to the tree, so that the printed diff applies with
/// `git apply` inside a copy of the input.
pub struct ReviewDiff<'a> {
    /// Relative path, `/`-separated.
    pub path: &'a str,
    /// Upstream text.
    pub old: &'a str,
    /// Branded text.
    pub new: &'a str,
    /// Lines of context around each change.
    pub context: usize,
    /// Whether to colour it with ANSI escapes.
    pub color: bool,
}

impl fmt::Display for ReviewDiff<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let diff = TextDiff::from_lines(self.old, self.new);
        let (a, b) = (format!("a/{}", self.path), format!("b/{}", self.path));
        let paint = |f: &mut fmt::Formatter<'_>, color: &str, text: &str| {
            if self.color {
                write!(f, "{color}{text}{RESET}")
            } else {
                f.write_str(text)
            }
        };
        paint(f, BOLD, &format!("diff --git {a} {b}\n--- {a}\n+++ {b}\n"))?;
        for hunk in diff.unified_diff().context_radius(self.context).iter_hunks() {
            paint(f, CYAN, &format!("{}\n", hunk.header()))?;
            for change in hunk.iter_changes() {
                let (sign, color) = match change.tag() {
                    ChangeTag::Delete => ("-", RED),
                    ChangeTag::Insert => ("+", GREEN),
                    ChangeTag::Equal => (" ", ""),
                };
                let value = change.value();
                let line = format!("{sign}{value}");
                if color.is_empty() {
                    f.write_str(&line)?
                } else {
                    paint(f, color, &line)?
                }
                if change.missing_newline() {
                    f.write_str("\n\\ No newline at end of file\n")?;
                }
            }
        }
        Ok(())
    }
}

/// Totals of a run, for the summary after the diff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files walked (links included, directories not).
    pub files: usize,
    /// Files read as text.
    pub scanned: usize,
    /// Files the rewrite changed.
    pub changed: usize,
    /// Substitutions made, per rule index.
    pub per_rule: Vec<usize>,
    /// Explicit heading ids added.
    pub heading_ids: usize,
    /// Files copied because they are not UTF-8 (paths).
    pub not_utf8: Vec<String>,
    /// Files copied because they look binary.
    pub binary: usize,
    /// Special files (FIFOs, sockets, devices) left out (paths).
    pub special: Vec<String>,
}

impl Summary {
    /// Adds up `reports` for a rule set of `rules` substitutions.
    pub fn of(reports: &[FileReport], rules: usize) -> Summary {
        let mut s = Summary {
            files: reports.len(),
            per_rule: vec![0; rules],
            ..Summary::default()
        };
        for r in reports {
            match &r.outcome {
                Outcome::Rewritten {
                    substitutions,
                    heading_ids,
                    ..
                } => {
                    s.scanned += 1;
                    s.changed += 1;
                    s.heading_ids += heading_ids;
                    for (rule, n) in substitutions {
                        s.per_rule[*rule] += n;
                    }
                }
                Outcome::Unchanged(_) => s.scanned += 1,
                Outcome::Copied(CopyReason::NotUtf8) => s.not_utf8.push(r.path.clone()),
                Outcome::Copied(CopyReason::Binary) => s.binary += 1,
                Outcome::Special => s.special.push(r.path.clone()),
                Outcome::Copied(CopyReason::NotIncluded) | Outcome::Symlink => {}
            }
        }
        s
    }

    /// The total number of substitutions.
    pub fn substitutions(&self) -> usize {
        self.per_rule.iter().sum()
    }

    /// The summary as printed after the diff: totals, then substitutions per rule (most
    /// first, then rule order), then files that could not be read as text.
    pub fn render(&self, engine: &Engine, elapsed: Duration, color: bool) -> String {
        let mut out = String::new();
        let bold = |s: &str| {
            if color {
                format!("{BOLD}{s}{RESET}")
            } else {
                s.to_string()
            }
        };
        let _ = writeln!(
            out,
            "{} {} files, {} scanned as text, {} changed, {} substitutions, {} heading ids kept, in {:.2} s",
            bold("rebrand:"),
            self.files,
            self.scanned,
            self.changed,
            self.substitutions(),
            self.heading_ids,
            elapsed.as_secs_f64()
        );
        let mut order: Vec<usize> = (0..self.per_rule.len()).collect();
        order.sort_by_key(|&i| (std::cmp::Reverse(self.per_rule[i]), i));
        let width = self.per_rule.iter().max().map_or(1, |n| n.to_string().len());
        for i in order {
            let s = &engine.rules().substitutions[i];
            let _ = writeln!(
                out,
                "  {:>width$}  {} -> {}  [{}]",
                self.per_rule[i], s.from, s.to, s.id
            );
        }
        let warnings = [
            (
                &self.special,
                "special files (FIFOs, sockets, devices) were not read or written",
            ),
            (
                &self.not_utf8,
                "files are not valid UTF-8 and were left as they are",
            ),
        ];
        for (paths, what) in warnings.into_iter().filter(|(paths, _)| !paths.is_empty()) {
            let _ = writeln!(out, "{} {} {what}:", bold("warning:"), paths.len());
            for p in paths {
                let _ = writeln!(out, "  {p}");
            }
        }
        out
    }
}

/// `--stat`: one line per changed file with its substitution and heading-id counts.
pub fn stat_lines(reports: &[FileReport]) -> String {
    let mut out = String::new();
    let changed: Vec<_> = reports
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Rewritten {
                substitutions,
                heading_ids,
                ..
            } => Some((
                r.path.as_str(),
                substitutions.iter().map(|(_, n)| n).sum::<usize>(),
                *heading_ids,
            )),
            _ => None,
        })
        .collect();
    let width = changed.iter().map(|c| c.0.len()).max().unwrap_or(0);
    for (path, subs, ids) in changed {
        let _ = write!(out, " {path:<width$} | {subs:>4} substitutions");
        if ids > 0 {
            let _ = write!(out, ", {ids} heading ids");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_direction_and_headers() {
        let d = ReviewDiff {
            path: "docs/a.md",
            old: "x\nHarvester\ny\n",
            new: "x\nHypervisor\ny\n",
            context: 3,
            color: false,
        };
        assert_eq!(
            d.to_string(),
            "diff --git a/docs/a.md b/docs/a.md\n--- a/docs/a.md\n+++ b/docs/a.md\n@@ -1,3 +1,3 @@\n x\n-Harvester\n+Hypervisor\n y\n"
        );
    }

    #[test]
    fn missing_final_newline_is_marked() {
        let d = ReviewDiff {
            path: "a.md",
            old: "Harvester",
            new: "Hypervisor",
            context: 3,
            color: false,
        };
        assert_eq!(
            d.to_string(),
            "diff --git a/a.md b/a.md\n--- a/a.md\n+++ b/a.md\n@@ -1 +1 @@\n-Harvester\n\\ No newline at end of file\n+Hypervisor\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn color_policy() {
        assert!(ColorChoice::Always.enabled(false));
        assert!(!ColorChoice::Never.enabled(true));
        assert!(!ColorChoice::Auto.enabled(false));
    }
}
