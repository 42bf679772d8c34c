//! Review output: the unified diff of a changed file, `--stat` lines, the run summary, and
//! the one colour policy; the printers of every format behind one trait ([`Printer`]),
//! chosen in one place ([`Format::printer`]).

pub mod ci;
pub mod findings;
pub mod html;

pub mod json;
pub mod markdown;
mod printer;
pub mod sync;

pub use printer::{Command, Format, Listing, Options, PrintError, Printer, Run, SyncRun};

use std::fmt::{self, Write as _};
use std::fs;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use similar::udiff::UnifiedHunkHeader;
use similar::{ChangeTag, DiffOp, TextDiff};

use crate::ansi::{BOLD, CYAN, GREEN, RED, RESET, YELLOW};
use crate::rewrite::Engine;
use crate::tree::{as_text, Content, CopyReason, LinkTarget, Outcome, Plan, Planned, TreeError};

/// `n` and the words counted, agreeing in number: `count(1, "file", "files")` is `1 file`,
/// `count(0, "file", "files")` is `0 files`. `one` and `many` may carry a verb that agrees
/// with the count (`"file is"`, `"files are"`). Every count a person reads goes through it.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", words(n, one, many))
}

/// The words of [`count`] without the number, for a number printed apart (aligned).
pub fn words<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// When to colour output (`--color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal; `NO_COLOR` turns it off, `CLICOLOR_FORCE` or `FORCE_COLOR` on.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream that is (`is_terminal`) or is not a terminal, with the
    /// process's environment: see [`ColorChoice::decide`].
    pub fn enabled(self, is_terminal: bool) -> bool {
        self.decide(is_terminal, |name| std::env::var_os(name))
    }

    /// Whether to colour a stream, the variables read through `env`. The first that speaks
    /// decides: `--color always` or `never`; then `NO_COLOR` set and not empty
    /// (<https://no-color.org>) turns colour off; then `CLICOLOR_FORCE` or `FORCE_COLOR` set,
    /// not empty and not `0` turns it on, terminal or not; then colour on a terminal only.
    pub fn decide(self, is_terminal: bool, env: impl Fn(&str) -> Option<std::ffi::OsString>) -> bool {
        let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
        let forced = |name: &str| env(name).is_some_and(|v| !v.is_empty() && v != "0");
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if set("NO_COLOR") => false,
            ColorChoice::Auto if forced("CLICOLOR_FORCE") || forced("FORCE_COLOR") => true,
            ColorChoice::Auto => is_terminal,
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

/// How much a command tells on standard error besides its errors and warnings (`-q`, `-v`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    /// `-q`: errors and warnings only; no summary, no note (`wrote …`, `up to date`, hints).
    Quiet,
    /// The summaries and notes.
    #[default]
    Normal,
    /// `-v`: also what the summaries abbreviate (every audit error of a sync, the
    /// references `links` sets aside).
    Verbose,
}

/// Reverse video: the changed words within a changed line.
const REVERSE: &str = "\x1b[7m";
const NO_REVERSE: &str = "\x1b[27m";

/// The review diff of one file: a git-style unified diff from upstream (`a/`) to branded
/// (`b/`) text, paths relative to the tree, so that the printed diff applies with
/// `git apply` inside a copy of the input. Renames, new files and binary changes get git's
/// own headers (`rename from`, `new file mode`, `Binary files … differ`).
pub struct ReviewDiff<'a> {
    /// Upstream relative path, `/`-separated; `None` for a file the upstream tree lacks.
    pub old_path: Option<&'a str>,
    /// Output relative path, `/`-separated.
    pub new_path: &'a str,
    /// Upstream text (empty for a new file).
    pub old: &'a str,
    /// Branded text.
    pub new: &'a str,
    /// Whether either side is binary: the diff says they differ, without lines.
    pub binary: bool,
    /// Lines of context around each change.
    pub context: usize,
    /// Whether to colour it with ANSI escapes.
    pub color: bool,
}

impl fmt::Display for ReviewDiff<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let paint = |f: &mut fmt::Formatter<'_>, color: &str, text: &str| self.paint(f, color, text);
        let b = format!("b/{}", self.new_path);
        let a = match self.old_path {
            Some(old) => format!("a/{old}"),
            None => "/dev/null".to_string(),
        };
        let mut header = format!("diff --git a/{} {b}\n", self.old_path.unwrap_or(self.new_path));
        match self.old_path {
            None => header.push_str("new file mode 100644\n"),
            Some(old) if old != self.new_path => {
                let _ = write!(header, "rename from {old}\nrename to {}\n", self.new_path);
            }
            Some(_) => {}
        }
        if self.binary {
            let _ = writeln!(header, "Binary files {a} and {b} differ");
            return paint(f, BOLD, &header);
        }
        if self.old == self.new && self.old_path.is_some() {
            return paint(f, BOLD, &header);
        }
        let _ = write!(header, "--- {a}\n+++ {b}\n");
        paint(f, BOLD, &header)?;
        for (offset, old, new) in windows(self.old, self.new, self.context) {
            self.hunks(f, offset, old, new)?;
        }
        Ok(())
    }
}

impl ReviewDiff<'_> {
    /// Writes `text` in `color` when the diff is coloured.
    fn paint(&self, f: &mut fmt::Formatter<'_>, color: &str, text: &str) -> fmt::Result {
        if self.color {
            write!(f, "{color}{text}{RESET}")
        } else {
            f.write_str(text)
        }
    }

    /// Writes the hunks of the diff from `old` to `new`, two windows of the texts starting
    /// at line `offset` (0-based) of both.
    fn hunks(&self, f: &mut fmt::Formatter<'_>, offset: usize, old: &str, new: &str) -> fmt::Result {
        let diff = TextDiff::from_lines(old, new);
        for hunk in diff.unified_diff().context_radius(self.context).iter_hunks() {
            let ops: Vec<DiffOp> = hunk.ops().iter().map(|op| shifted(*op, offset)).collect();
            self.paint(f, CYAN, &format!("{}\n", UnifiedHunkHeader::new(&ops)))?;
            for op in hunk.ops() {
                // Inline changes mark the words that differ within a changed line (as
                // `git diff --word-diff=color` does); without colour the lines are as git
                // writes them, so the diff still applies.
                for change in diff.iter_inline_changes(op) {
                    let (sign, color) = match change.tag() {
                        ChangeTag::Delete => ("-", RED),
                        ChangeTag::Insert => ("+", GREEN),
                        ChangeTag::Equal => (" ", ""),
                    };
                    if !self.color || color.is_empty() {
                        f.write_str(sign)?;
                        for (_, value) in change.iter_strings_lossy() {
                            f.write_str(&value)?;
                        }
                    } else {
                        write!(f, "{color}{sign}")?;
                        for (emphasized, value) in change.iter_strings_lossy() {
                            if emphasized {
                                write!(f, "{REVERSE}{value}{NO_REVERSE}")?;
                            } else {
                                f.write_str(&value)?;
                            }
                        }
                        f.write_str(RESET)?;
                    }
                    if change.missing_newline() {
                        f.write_str("\n\\ No newline at end of file\n")?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The windows of `old` and `new` a review diff compares, as (first line, old window, new
/// window). When both have the same number of lines (rebrand replaces words; it never adds
/// or removes lines), line `i` of one can only be line `i` of the other, and each group of
/// changed lines (apart by at most `2 * context` lines, as one unified-diff hunk) is diffed
/// alone with its context: Myers' diff, which slows down as the square of a file whose
/// lines repeat, then never runs over more than a hunk. Otherwise the whole texts.
fn windows<'t>(old: &'t str, new: &'t str, context: usize) -> Vec<(usize, &'t str, &'t str)> {
    // Where lines start, as `similar` splits them: after `\n`, `\r\n` or a lone `\r`.
    let starts = |text: &str| -> Vec<usize> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &c) in bytes.iter().enumerate() {
            let ends = c == b'\n' || (c == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends && i + 1 < bytes.len() {
                starts.push(i + 1);
            }
        }
        if text.is_empty() {
            starts.clear();
        }
        starts.push(text.len());
        starts
    };
    let (a, b) = (starts(old), starts(new));
    if a.len() != b.len() {
        return vec![(0, old, new)];
    }
    let lines = a.len() - 1;
    let changed: Vec<usize> = (0..lines)
        .filter(|&i| old[a[i]..a[i + 1]] != new[b[i]..b[i + 1]])
        .collect();
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for i in changed {
        match groups.last_mut() {
            Some((_, last)) if i - *last - 1 <= 2 * context => *last = i,
            _ => groups.push((i, i)),
        }
    }
    groups
        .into_iter()
        .map(|(first, last)| {
            let (start, end) = (first.saturating_sub(context), (last + 1 + context).min(lines));
            (start, &old[a[start]..a[end]], &new[b[start]..b[end]])
        })
        .collect()
}

/// `op` with its line numbers moved down by `offset` on both sides.
fn shifted(op: DiffOp, offset: usize) -> DiffOp {
    match op {
        DiffOp::Equal {
            old_index,
            new_index,
            len,
        } => DiffOp::Equal {
            old_index: old_index + offset,
            new_index: new_index + offset,
            len,
        },
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => DiffOp::Delete {
            old_index: old_index + offset,
            old_len,
            new_index: new_index + offset,
        },
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => DiffOp::Insert {
            old_index: old_index + offset,
            new_index: new_index + offset,
            new_len,
        },
        DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } => DiffOp::Replace {
            old_index: old_index + offset,
            old_len,
            new_index: new_index + offset,
            new_len,
        },
    }
}

/// What the review of a planned file compares.
pub(crate) enum Sides {
    /// Upstream and branded text (the upstream is empty for a new file).
    Text {
        /// Upstream text.
        old: String,
        /// Branded text.
        new: String,
    },
    /// Either side is binary (or not UTF-8): they differ, no lines shown.
    Binary,
    /// A file only moved: no change to its content.
    Moved,
}

/// The change a planned file makes: its upstream path (`None` for an overlay file that
/// replaces nothing and a file a patch created) and the two sides of its diff; `None` when
/// the output is the upstream file unchanged at the same path. Overlay files and the
/// upstream files they replace are read here.
pub(crate) fn change(f: &Planned) -> Result<Option<(Option<&str>, Sides)>, TreeError> {
    let report = &f.report;
    let renamed = report.renamed_to.is_some();
    let read = |p: &PathBuf| {
        fs::read(p).map_err(|source| TreeError::Io {
            action: "cannot read",
            path: p.clone(),
            source,
        })
    };
    let old_path = match report.outcome {
        Outcome::Overlay { replaced: false, .. } | Outcome::Created => None,
        Outcome::Overlay { replaced: true, .. } => Some(report.out_path()),
        _ => Some(report.path.as_str()),
    };
    let new = match &f.content {
        Content::Text(new) => Some(new.clone()),
        Content::Copy(source) if matches!(report.outcome, Outcome::Overlay { .. }) => {
            as_text(&read(source)?).map(str::to_string)
        }
        _ if renamed => None,
        _ => return Ok(None),
    };
    let old = match (&f.old, &f.replaces) {
        _ if old_path.is_none() => Some(String::new()),
        (Some(text), _) => Some(text.clone()),
        (None, Some(p)) => as_text(&read(p)?).map(str::to_string),
        (None, None) => None,
    };
    let sides = match (old, new) {
        (None, None) if renamed => Sides::Moved,
        (Some(old), Some(new)) => Sides::Text { old, new },
        _ => Sides::Binary,
    };
    Ok(Some((old_path, sides)))
}

/// The review diff of one planned file, or `None` when the output is the upstream file
/// unchanged at the same path.
///
/// # Errors
/// An I/O error naming the overlay or upstream file that cannot be read.
pub fn planned_diff(f: &Planned, context: usize, color: bool) -> Result<Option<String>, TreeError> {
    let Some((old_path, sides)) = change(f)? else {
        return Ok(None);
    };
    let (old, new, binary) = match &sides {
        Sides::Text { old, new } => (old.as_str(), new.as_str(), false),
        Sides::Moved => ("", "", false),
        Sides::Binary => ("", "", true),
    };
    let diff = ReviewDiff {
        old_path,
        new_path: f.report.out_path(),
        old,
        new,
        binary,
        context,
        color,
    };
    Ok(Some(diff.to_string()))
}

/// Totals of a run, for the summary after the diff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files in the output (links included, directories not).
    pub files: usize,
    /// Files read as text.
    pub scanned: usize,
    /// Files the rewrite changed.
    pub changed: usize,
    /// Substitutions made, per rule index.
    pub per_rule: Vec<usize>,
    /// Explicit heading ids added.
    pub heading_ids: usize,
    /// Link targets, image paths and doc ids rewritten to follow renames, anchors and assets.
    pub references: usize,
    /// Files and links at a renamed path.
    pub renamed: usize,
    /// Overlay files laid over the tree.
    pub overlay: usize,
    /// Overlay files that replace no file of the tree and that no `[[asset]]` remap targets
    /// (paths): maybe a typo.
    pub overlay_new: Vec<String>,
    /// Files a vendor patch changed or created.
    pub patched: usize,
    /// Upstream files left out with their locale.
    pub dropped: usize,
    /// Files copied because they are not UTF-8 (paths).
    pub not_utf8: Vec<String>,
    /// Files copied because they look binary.
    pub binary: usize,
    /// Special files (FIFOs, sockets, devices) left out (paths).
    pub special: Vec<String>,
    /// Symbolic links that lead out of the input tree, left out (`path -> target`).
    pub links_outside: Vec<String>,
    /// Symbolic links that resolve to nothing, go round a loop, or point to a folder that
    /// holds them, recreated as they are (`path -> target (why)`).
    pub links_unresolved: Vec<String>,
    /// `[[patch]]` files found in place already and skipped (the tree is their result).
    pub patches_in_place: Vec<String>,
    /// Edits left out because they overlapped another edit of the same text
    /// (`path:line: what it would have done`).
    pub refused_edits: Vec<String>,
}

impl Summary {
    /// Adds up the files of `plan` for a rule set of `rules` substitutions.
    pub fn of(plan: &Plan, rules: usize) -> Summary {
        let mut s = Summary {
            files: plan.files.len(),
            per_rule: vec![0; rules],
            dropped: plan.dropped.len(),
            patches_in_place: plan.patches_in_place.clone(),
            ..Summary::default()
        };
        for r in plan.files.iter().map(|f| &f.report) {
            s.refused_edits
                .extend(r.refused.iter().map(|line| format!("{}:{line}", r.path)));
            s.renamed += usize::from(r.renamed_to.is_some());
            s.patched += usize::from(r.patched || r.outcome == Outcome::Created);
            match &r.outcome {
                Outcome::Rewritten {
                    substitutions,
                    heading_ids,
                    references,
                    ..
                } => {
                    s.scanned += 1;
                    s.changed += 1;
                    s.heading_ids += heading_ids;
                    s.references += references;
                    for (rule, n) in substitutions {
                        s.per_rule[*rule] += n;
                    }
                }
                Outcome::Unchanged(_) => s.scanned += 1,
                Outcome::Copied(CopyReason::NotUtf8) => s.not_utf8.push(r.path.clone()),
                Outcome::Copied(CopyReason::Binary) => s.binary += 1,
                Outcome::Special => s.special.push(r.path.clone()),
                Outcome::Overlay {
                    replaced,
                    asset_target,
                } => {
                    s.overlay += 1;
                    if !replaced && !asset_target {
                        s.overlay_new.push(r.path.clone());
                    }
                }
                Outcome::Symlink { target, leads } => {
                    let link = format!("{} -> {}", r.path, target.display());
                    match leads {
                        LinkTarget::Inside => {}
                        LinkTarget::Outside => s.links_outside.push(link),
                        LinkTarget::Dangling => s.links_unresolved.push(format!("{link} (dangling)")),
                        LinkTarget::Loop => s.links_unresolved.push(format!("{link} (a loop of links)")),
                        LinkTarget::Ancestor => s
                            .links_unresolved
                            .push(format!("{link} (a folder that holds it: a cycle)")),
                    }
                }
                Outcome::Copied(CopyReason::NotIncluded) | Outcome::Created => {}
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
            "{} {}, {} scanned as text, {} changed, {}, {} kept, in {:.2} s",
            bold("rebrand:"),
            count(self.files, "file", "files"),
            self.scanned,
            self.changed,
            count(self.substitutions(), "substitution", "substitutions"),
            count(self.heading_ids, "heading id", "heading ids"),
            elapsed.as_secs_f64()
        );
        let site: Vec<String> = self
            .site_counts()
            .iter()
            .filter(|(n, ..)| *n > 0)
            .map(|&(n, one, many)| count(n, one, many))
            .collect();
        if !site.is_empty() {
            let _ = writeln!(out, "  {}", site.join(", "));
        }
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
        out + &self.render_warnings(color)
    }

    /// The warnings of the summary alone, what `-q` leaves of it: the paths of each group
    /// of [`Summary::warnings`] under its `warning:` line.
    pub fn render_warnings(&self, color: bool) -> String {
        let mut out = String::new();
        let label = if color {
            format!("{BOLD}warning:{RESET}")
        } else {
            "warning:".to_string()
        };
        for (paths, one, many) in self.warnings() {
            let _ = writeln!(out, "{label} {}:", count(paths.len(), one, many));
            for p in paths {
                let _ = writeln!(out, "  {p}");
            }
        }
        out
    }

    /// The whole-site counts a summary lists when they are not 0: (count, the words for
    /// one, the words for many).
    pub fn site_counts(&self) -> [(usize, &'static str, &'static str); 5] {
        [
            (self.references, "reference rewritten", "references rewritten"),
            (self.renamed, "file renamed", "files renamed"),
            (self.overlay, "overlay file", "overlay files"),
            (self.patched, "file patched", "files patched"),
            (
                self.dropped,
                "file left out (`[files] omit`, dropped locales)",
                "files left out (`[files] omit`, dropped locales)",
            ),
        ]
    }

    /// The paths a summary warns about, in groups that are not empty: (paths, what is
    /// wrong with one, with many).
    pub fn warnings(&self) -> Vec<(&[String], &'static str, &'static str)> {
        let groups: [(&[String], &'static str, &'static str); 7] = [
            (
                &self.special,
                "special file (FIFO, socket, device) was not read or written",
                "special files (FIFOs, sockets, devices) were not read or written",
            ),
            (
                &self.not_utf8,
                "file is not valid UTF-8 and was left as it is",
                "files are not valid UTF-8 and were left as they are",
            ),
            (
                &self.links_outside,
                "symbolic link leads out of the input tree and was not written",
                "symbolic links lead out of the input tree and were not written",
            ),
            (
                &self.links_unresolved,
                "symbolic link does not resolve to a file or folder of the tree and was recreated as it is",
                "symbolic links do not resolve to a file or folder of the tree and were recreated as they are",
            ),
            (
                &self.overlay_new,
                "overlay file replaces no file of the tree (a typo in its path?)",
                "overlay files replace no file of the tree (a typo in their path?)",
            ),
            (
                &self.patches_in_place,
                "patch was in place already (the tree is its result) and was skipped",
                "patches were in place already (the tree is their result) and were skipped",
            ),
            (
                &self.refused_edits,
                "edit was left out: it overlapped another edit of its text (the first made stays), or would write `{`, `}` or `<` into MDX text (MDX reads them as code)",
                "edits were left out: each overlapped another edit of its text (the first made stays), or would write `{`, `}` or `<` into MDX text (MDX reads them as code)",
            ),
        ];
        groups
            .into_iter()
            .filter(|(paths, ..)| !paths.is_empty())
            .collect()
    }
}

/// `--stat`: one line per changed file with its substitution and heading-id counts.
pub fn stat_lines(plan: &Plan) -> String {
    let mut out = String::new();
    let changed: Vec<_> = plan
        .files
        .iter()
        .map(|f| &f.report)
        .filter_map(|r| {
            r.outcome
                .edit_counts()
                .map(|(subs, ids, _)| (r.out_path(), subs, ids))
        })
        .collect();
    let width = changed.iter().map(|c| c.0.len()).max().unwrap_or(0);
    for (path, subs, ids) in changed {
        // The count right-aligned, as git's --stat aligns its bars.
        let _ = write!(
            out,
            " {path:<width$} | {subs:>4} {}",
            words(subs, "substitution", "substitutions")
        );
        if ids > 0 {
            let _ = write!(out, ", {}", count(ids, "heading id", "heading ids"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_count_agrees_with_its_words() {
        assert_eq!(count(0, "file", "files"), "0 files");
        assert_eq!(count(1, "file is", "files are"), "1 file is");
        assert_eq!(count(2, "file is", "files are"), "2 files are");
        assert_eq!(words(1, "line", "lines"), "line");
    }

    /// The review diff of `old` → `new` without colour, and the same hunks as `similar`
    /// makes them over the whole texts at once.
    fn windowed_and_whole(old: &str, new: &str, context: usize) -> (String, String) {
        let review = ReviewDiff {
            old_path: Some("a.md"),
            new_path: "a.md",
            old,
            new,
            binary: false,
            context,
            color: false,
        }
        .to_string();
        let windowed = review
            .split_once("+++ b/a.md\n")
            .expect("a text diff")
            .1
            .to_string();
        let whole = TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(context)
            .to_string();
        (windowed, whole)
    }

    /// Diffing each group of changed lines alone (same line count) gives the hunks the
    /// whole-text diff gives: changes near and far apart, at both ends, a missing final
    /// newline, a page whose lines repeat (where the whole-text diff is slow); and with a
    /// line added, the whole texts are diffed.
    #[test]
    fn windows_give_the_hunks_of_the_whole_diff() {
        let page: String = (0..40)
            .map(|i| match i % 7 {
                0 => "Harvester runs VMs.\n".to_string(),
                3 => "\n".to_string(),
                _ => format!("Line {i} of the page.\n"),
            })
            .collect();
        let repeated = page.repeat(30);
        let cases = [
            (page.clone(), page.replace("Harvester", "Hypervisor")),
            (repeated.clone(), repeated.replace("Harvester", "Hypervisor")),
            (format!("{page}Harvester"), format!("{page}Hypervisor")),
            ("Harvester\nx\n".to_string(), "Hypervisor\nx\n".to_string()),
            (
                page.replace('\n', "\r"),
                page.replace('\n', "\r").replace("Harvester", "Hypervisor"),
            ),
            (
                page.replace('\n', "\r\n"),
                page.replace('\n', "\r\n").replace("Harvester", "Hypervisor"),
            ),
            (
                "a\rb\r\nHarvester\nc".to_string(),
                "a\rb\r\nHypervisor\nc".to_string(),
            ),
            (
                page.clone(),
                page.replacen("Line 5", "Line five", 1)
                    .replacen("Line 39", "Line 3 9", 1),
            ),
            (
                page.clone(),
                format!("{}Added line.\n", page.replace("Harvester", "Hypervisor")),
            ),
        ];
        for (old, new) in &cases {
            for context in [0, 1, 3, 10] {
                let (windowed, whole) = windowed_and_whole(old, new, context);
                assert_eq!(windowed, whole, "context {context}, old:\n{old}");
            }
        }
        // Six groups a page, 7 lines apart; a page's last joins the next page's first (5 apart).
        assert_eq!(windows(&cases[1].0, &cases[1].1, 2).len(), 30 * 5 + 1);
        assert_eq!(
            windows(&cases[1].0, &cases[1].1, 3).len(),
            1,
            "6 equal lines between changes join hunks"
        );
    }

    #[test]
    fn diff_direction_and_headers() {
        let d = ReviewDiff {
            old_path: Some("docs/a.md"),
            new_path: "docs/a.md",
            old: "x\nHarvester\ny\n",
            new: "x\nHypervisor\ny\n",
            binary: false,
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
            old_path: Some("a.md"),
            new_path: "a.md",
            old: "Harvester",
            new: "Hypervisor",
            binary: false,
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
        // (choice, terminal, environment, colour): the flag, then NO_COLOR, then the
        // variables that force colour, then the terminal.
        type Case = (ColorChoice, bool, &'static [(&'static str, &'static str)], bool);
        let cases: &[Case] = &[
            (ColorChoice::Always, false, &[("NO_COLOR", "1")], true),
            (ColorChoice::Never, true, &[("FORCE_COLOR", "1")], false),
            (ColorChoice::Auto, false, &[], false),
            (ColorChoice::Auto, true, &[], true),
            (ColorChoice::Auto, true, &[("NO_COLOR", "1")], false),
            (ColorChoice::Auto, true, &[("NO_COLOR", "")], true),
            (
                ColorChoice::Auto,
                false,
                &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")],
                false,
            ),
            (ColorChoice::Auto, false, &[("CLICOLOR_FORCE", "1")], true),
            (ColorChoice::Auto, false, &[("FORCE_COLOR", "true")], true),
            (ColorChoice::Auto, false, &[("FORCE_COLOR", "0")], false),
            (ColorChoice::Auto, true, &[("CLICOLOR_FORCE", "0")], true),
            (ColorChoice::Auto, false, &[("FORCE_COLOR", "")], false),
        ];
        for &(choice, terminal, env, expected) in cases {
            let lookup = |name: &str| {
                env.iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| std::ffi::OsString::from(v))
            };
            assert_eq!(
                choice.decide(terminal, lookup),
                expected,
                "{choice:?}, terminal {terminal}, {env:?}"
            );
        }
    }
}
