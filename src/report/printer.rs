//! The printers: what a run found, told in one format. One model of a run ([`Run`], and
//! [`SyncRun`] for a sync), one trait ([`Printer`]) with one implementation per format
//! (human, JSON, Markdown, HTML), chosen in one place: [`Format::printer`] (as typos'
//! `Format::reporter()`). The commands build the model and call the printer; they print
//! nothing of their own in any format.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use super::{
    ci, count, findings, html, json, markdown, planned_diff, stat_lines, ColorChoice, Summary, Verbosity,
};
use crate::audit::{Audit, Judge};
use crate::finding::Finding;
use crate::rewrite::Engine;
use crate::rules::RuleSet;
use crate::sync::Synced;
use crate::tree::{Plan, TreeError};

/// The report formats rebrand knows (`--format`, and the `--html` page); each command offers
/// the ones it prints, and clap refuses the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Diffs and rustc-style diagnostics for a terminal.
    Human,
    /// One JSON object per run (docs/report-schema.md).
    Json,
    /// A summary fit for a pull-request body.
    Markdown,
    /// A SARIF 2.1.0 log (GitHub code scanning, any SARIF viewer): errors and warnings.
    Sarif,
    /// GitHub Actions workflow commands, one annotation per error or warning.
    Github,
    /// The self-contained review page of a preview (`preview --html FILE`), never a
    /// `--format`.
    #[value(skip)]
    Html,
}

impl Format {
    /// The printer of the format, the one place a format is turned into code: `options`
    /// say how a person's terminal wants it (colour, context lines, `--stat`); the machine
    /// formats ignore them.
    pub fn printer(self, options: Options) -> Box<dyn Printer> {
        match self {
            Format::Human => Box::new(Human(options)),
            Format::Json => Box::new(Json),
            Format::Markdown => Box::new(Markdown),
            Format::Sarif => Box::new(Sarif),
            Format::Github => Box::new(Github),
            Format::Html => Box::new(Html),
        }
    }
}

/// How the human printer prints.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// When to colour, decided per stream.
    pub color: ColorChoice,
    /// Lines of context around each change of the review diff.
    pub context: usize,
    /// `--stat`: per-file counts instead of the diff.
    pub stat: bool,
    /// How much the summary on standard error tells (`-q`: its warnings only).
    pub verbosity: Verbosity,
}

/// The command a [`Run`] is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// A dry run: the planned tree and, for the machine formats and the page, its audit.
    Preview,
    /// The branded tree written.
    Apply,
    /// A tree judged: its findings, no plan.
    Audit,
}

impl Command {
    /// The subcommand's name, as reports give it: `"preview"`, `"apply"`, `"audit"`.
    pub fn name(self) -> &'static str {
        match self {
            Command::Preview => "preview",
            Command::Apply => "apply",
            Command::Audit => "audit",
        }
    }
}

/// One run of `preview`, `apply` or `audit`: what every printer reads.
#[derive(Clone, Copy)]
pub struct Run<'a> {
    /// The command.
    pub command: Command,
    /// The compiled rules the run used.
    pub engine: &'a Engine,
    /// The tree the run read, as given on the command line.
    pub input: &'a Path,
    /// The tree `apply` wrote; `None` for a run that writes nothing.
    pub output: Option<&'a Path>,
    /// The planned tree; `None` for an audit.
    pub plan: Option<&'a Plan>,
    /// The audit of the tree, when the run made one (`audit`; `preview` for the machine
    /// formats and the page).
    pub audit: Option<&'a Audit>,
    /// When the run started: printers that tell the time take it when they print.
    pub started: Instant,
}

impl<'a> Run<'a> {
    /// The audit's findings, none without an audit.
    pub fn findings(&self) -> &'a [Finding] {
        self.audit.map_or(&[], |a| &a.findings)
    }
}

/// One `sync`: what its printers read.
#[derive(Clone, Copy)]
pub struct SyncRun<'a> {
    /// What the sync did.
    pub synced: &'a Synced,
    /// The rules it generated with.
    pub rules: &'a RuleSet,
    /// The audit of the generated files of the synced tree.
    pub findings: &'a [Finding],
    /// When the run started.
    pub started: Instant,
}

/// The findings of one `links`, `check` or `test-rules`: what every printer reads.
#[derive(Clone, Copy)]
pub struct Listing<'a> {
    /// The subcommand: `"links"`, `"check"` or `"test-rules"`.
    pub command: &'static str,
    /// What it read, as given on the command line: the tree (`links`; `check`: the branded
    /// tree), or the rule file (`test-rules`). A finding's path is relative to a tree.
    pub input: &'a Path,
    /// The findings, in the order the command gives them.
    pub findings: &'a [Finding],
    /// The command's own totals (`links`: references checked, external, `#fragments`;
    /// `test-rules`: tests, passed, failed; `check`: problems), by name.
    pub counts: &'a BTreeMap<&'static str, usize>,
    /// When the run started.
    pub started: Instant,
}

/// Why a report could not be printed.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// A file the report shows (an overlay, an upstream file) cannot be read.
    #[error(transparent)]
    Tree(#[from] TreeError),
    /// A JSON report does not serialise.
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// The report cannot be written (a closed standard output among others).
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// A format: how a run, a sync and a list of findings are told in it. Every method writes
/// the whole of its report (ending with a line break) or nothing.
pub trait Printer {
    /// Writes the report of `run` to `out` (standard output, or the file of the page).
    ///
    /// # Errors
    /// A file the report shows cannot be read; the report does not serialise; `out` cannot
    /// be written.
    fn run(&self, run: &Run<'_>, out: &mut dyn Write) -> Result<(), PrintError>;

    /// What a person reads on standard error after the report of `run` (the summary, a
    /// hint): empty in every format but the human one, whose standard output stays a pure
    /// diff or list.
    fn summary(&self, run: &Run<'_>) -> String {
        let _ = run;
        String::new()
    }

    /// Writes the report of a sync to `out`; a format without one (the page) writes
    /// nothing, and no command offers it.
    ///
    /// # Errors
    /// As [`Printer::run`].
    fn sync(&self, run: &SyncRun<'_>, out: &mut dyn Write) -> Result<(), PrintError> {
        let _ = (run, out);
        Ok(())
    }

    /// Writes the findings of `listing` (of `links`, `check` or `test-rules`) to `out`: in
    /// the human format (and any format without its own) one line each, the one-line form
    /// of [`Finding`].
    ///
    /// # Errors
    /// The report does not serialise; `out` cannot be written.
    fn listing(&self, listing: &Listing<'_>, out: &mut dyn Write) -> Result<(), PrintError> {
        for f in listing.findings {
            writeln!(out, "{f}")?;
        }
        Ok(())
    }
}

/// For a terminal: the review diff (or `--stat`), the audit as rustc prints diagnostics, one
/// line per synced file; the summaries on standard error.
struct Human(Options);

impl Printer for Human {
    fn run(&self, run: &Run<'_>, out: &mut dyn Write) -> Result<(), PrintError> {
        let Options {
            color, context, stat, ..
        } = self.0;
        match (run.command, run.plan, run.audit) {
            (Command::Preview, Some(plan), _) if stat => out.write_all(stat_lines(plan).as_bytes())?,
            (Command::Preview, Some(plan), _) => {
                let paint = color.stdout();
                let diffs: Vec<Result<Option<String>, TreeError>> = plan
                    .files
                    .par_iter()
                    .map(|f| planned_diff(f, context, paint))
                    .collect();
                for diff in diffs {
                    if let Some(diff) = diff? {
                        out.write_all(diff.as_bytes())?;
                    }
                }
            }
            (Command::Audit, _, Some(audit)) => {
                for m in &audit.listed {
                    writeln!(
                        out,
                        "{}:{}:{}: {} `{}`: {}",
                        m.path, m.line, m.column, m.context, m.text, m.verdict
                    )?;
                }
                out.write_all(findings::render(audit, color.stdout()).as_bytes())?;
            }
            // `apply` tells its run on standard error only.
            _ => {}
        }
        Ok(())
    }

    fn summary(&self, run: &Run<'_>) -> String {
        let elapsed = run.started.elapsed();
        let color = self.0.color.stderr();
        let rules = run.engine.rules();
        if self.0.verbosity == Verbosity::Quiet {
            return run.plan.map_or_else(String::new, |plan| {
                Summary::of(plan, rules.substitutions.len()).render_warnings(color)
            });
        }
        let mut text = match run.plan {
            Some(plan) => Summary::of(plan, rules.substitutions.len()).render(run.engine, elapsed, color),
            None => String::new(),
        };
        match (run.command, run.plan, run.audit) {
            (Command::Apply, Some(plan), _) if !plan.redirects.is_empty() => {
                let moved = &plan.redirects;
                text += &format!("{}:\n", count(moved.len(), "page URL moved", "page URLs moved"));
                for r in moved {
                    text += &format!("  {} -> {}\n", r.from, r.to);
                }
            }
            (Command::Audit, _, Some(audit)) if audit.judge == Judge::Branded => {
                let rewritable: usize = audit.mentions.values().map(|c| c.rewritten).sum();
                if rewritable > 0 {
                    text += &format!(
                        "hint: {rewritable} mentions the rules would rewrite: if `{}` is an upstream tree, audit it with `--upstream`\n",
                        run.input.display()
                    );
                }
            }
            _ => {}
        }
        text
    }

    fn sync(&self, run: &SyncRun<'_>, out: &mut dyn Write) -> Result<(), PrintError> {
        for f in &run.synced.files {
            match &f.moved_from {
                Some(from) => writeln!(out, "{:<10} {} (moved from {from})", f.action.name(), f.path)?,
                None => writeln!(out, "{:<10} {}", f.action.name(), f.path)?,
            }
        }
        Ok(())
    }
}

/// One JSON object per run, in the versioned shape of docs/report-schema.md.
struct Json;

impl Printer for Json {
    fn run(&self, run: &Run<'_>, out: &mut dyn Write) -> Result<(), PrintError> {
        let report = json::RunReport::of(run);
        out.write_all((serde_json::to_string_pretty(&report)? + "\n").as_bytes())?;
        Ok(())
    }

    fn sync(&self, run: &SyncRun<'_>, out: &mut dyn Write) -> Result<(), PrintError> {
        let report = json::sync_report(run.synced, run.findings, run.started.elapsed());
        out.write_all((serde_json::to_string_pretty(&report)? + "\n").as_bytes())?;
        Ok(())
    }

    fn listing(&self, listing: &Listing<'_>, out: &mut dyn Write) -> Result<(), PrintError> {
        let report = json::ListingReport::of(listing);
        out.write_all((serde_json::to_string_pretty(&report)? + "\n").as_bytes())?;
        Ok(())
    }
}

/// The findings a CI system shows: errors and warnings (the audit's infos, the brand kept in
/// code, are many and deliberate).
fn for_ci(findings: &[Finding]) -> Vec<Finding> {
    findings
        .iter()
        .filter(|f| f.level > crate::finding::Level::Info)
        .cloned()
        .collect()
}

/// A SARIF 2.1.0 log ([`ci::sarif_log`]).
struct Sarif;

impl Printer for Sarif {
    fn run(&self, run: &Run<'_>, out: &mut dyn Write) -> Result<(), PrintError> {
        let log = ci::sarif_log(&for_ci(run.findings()), run.input);
        out.write_all((serde_json::to_string_pretty(&log)? + "\n").as_bytes())?;
        Ok(())
    }

    fn listing(&self, listing: &Listing<'_>, out: &mut dyn Write) -> Result<(), PrintError> {
        let log = ci::sarif_log(&for_ci(listing.findings), listing.input);
        out.write_all((serde_json::to_string_pretty(&log)? + "\n").as_bytes())?;
        Ok(())
    }
}

/// GitHub Actions workflow commands ([`ci::github_annotations`]).
struct Github;

impl Printer for Github {
    fn run(&self, run: &Run<'_>, out: &mut dyn Write) -> Result<(), PrintError> {
        out.write_all(ci::github_annotations(&for_ci(run.findings()), run.input).as_bytes())?;
        Ok(())
    }

    fn listing(&self, listing: &Listing<'_>, out: &mut dyn Write) -> Result<(), PrintError> {
        let annotations = ci::github_annotations(&for_ci(listing.findings), listing.input);
        out.write_all(annotations.as_bytes())?;
        Ok(())
    }
}

/// A summary for a pull-request body.
struct Markdown;

impl Printer for Markdown {
    fn run(&self, run: &Run<'_>, out: &mut dyn Write) -> Result<(), PrintError> {
        let text = markdown::pr_summary(
            run.command.name(),
            run.engine.rules(),
            run.plan,
            run.findings(),
            run.started.elapsed(),
        );
        out.write_all(text.as_bytes())?;
        Ok(())
    }

    fn sync(&self, run: &SyncRun<'_>, out: &mut dyn Write) -> Result<(), PrintError> {
        out.write_all(super::sync::markdown(run.synced, run.rules, run.findings).as_bytes())?;
        Ok(())
    }
}

/// The review page of a preview; a run without a plan has none.
struct Html;

impl Printer for Html {
    fn run(&self, run: &Run<'_>, out: &mut dyn Write) -> Result<(), PrintError> {
        if let Some(plan) = run.plan {
            let title = run.input.display().to_string();
            let page = html::review_page(plan, run.engine.rules(), run.findings(), &title)?;
            out.write_all(page.as_bytes())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{FindingKind, Level};

    #[test]
    fn every_format_has_a_printer_and_findings_print_one_per_line() {
        let found = [
            Finding::new(
                Level::Error,
                FindingKind::ConflictMarkers,
                "a.md",
                "conflict markers remain",
            ),
            Finding::new(Level::Error, FindingKind::Unsynced, "b.md", "updated"),
        ];
        let counts = BTreeMap::new();
        let listing = Listing {
            command: "check",
            input: Path::new("site"),
            findings: &found,
            counts: &counts,
            started: Instant::now(),
        };
        let print = |format: Format| {
            let mut out = Vec::new();
            format
                .printer(Options::default())
                .listing(&listing, &mut out)
                .unwrap();
            String::from_utf8(out).unwrap()
        };
        // The formats without a form of their own print one line per finding.
        for format in [Format::Human, Format::Markdown, Format::Html] {
            assert_eq!(
                print(format),
                "a.md: conflict markers remain\na sync would act on b.md: updated\n"
            );
        }
        let json: serde_json::Value = serde_json::from_str(&print(Format::Json)).unwrap();
        assert_eq!(json["findings"][1]["kind"], "unsynced");
        let sarif: serde_json::Value = serde_json::from_str(&print(Format::Sarif)).unwrap();
        assert_eq!(
            sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "site/a.md"
        );
        assert!(print(Format::Github).starts_with("::error file=site/a.md,title=rebrand conflict-markers::"));
    }

    #[test]
    fn the_page_is_no_form_of_a_sync_nor_of_a_run_without_a_plan() {
        let synced = Synced::default();
        let rules = RuleSet::parse(Path::new("r.toml"), "").unwrap();
        let run = SyncRun {
            synced: &synced,
            rules: &rules,
            findings: &[],
            started: Instant::now(),
        };
        let mut out = Vec::new();
        Format::Html
            .printer(Options::default())
            .sync(&run, &mut out)
            .unwrap();
        assert!(out.is_empty());
        let engine = Engine::new(rules).unwrap();
        let audit = Audit::default();
        let run = Run {
            command: Command::Audit,
            engine: &engine,
            input: Path::new("t"),
            output: None,
            plan: None,
            audit: Some(&audit),
            started: Instant::now(),
        };
        Format::Html
            .printer(Options::default())
            .run(&run, &mut out)
            .unwrap();
        assert!(out.is_empty());
        // The human audit tells its judgement and counts.
        Format::Human
            .printer(Options::default())
            .run(&run, &mut out)
            .unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .contains("audit: 0 files (judged as branded)"));
    }
}
