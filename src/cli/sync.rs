//! `rebrand sync` and `rebrand check`: upstream changes brought into a branded tree, or
//! whether a sync would change anything.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{require_dir, write_atomically, Error, ExitStatus, Format, FormatArg, Offers, RulesArg, Ui};
use crate::audit::{self, Finding, FindingKind, Judge, Level};
use crate::report::{count, Listing, SyncRun};
use crate::rewrite::Engine;
use crate::sync::{self, SyncOptions};
use crate::tree::{self, TreeError};

/// The trees `sync` and `check` compare, and the rules.
#[derive(Debug, clap::Args)]
pub struct SyncTrees {
    #[command(flatten)]
    rules: RulesArg,
    /// The upstream tree now.
    #[arg(long, value_name = "UPSTREAM_DIR")]
    upstream: PathBuf,
    /// The branded tree (made by `apply` or `sync`, or adopted).
    #[arg(long, value_name = "BRANDED_DIR")]
    downstream: PathBuf,
}

impl SyncTrees {
    /// The engine of the rules, and the upstream and downstream folders.
    ///
    /// # Errors
    /// A rule file that cannot be loaded; a tree that is not a folder.
    fn load(self, ui: Ui) -> Result<(Engine, PathBuf, PathBuf), Error> {
        let engine = self.rules.load_for(&self.upstream, ui)?;
        require_dir(&self.upstream)?;
        require_dir(&self.downstream)?;
        Ok((engine, self.upstream, self.downstream))
    }
}

/// The arguments of `rebrand sync`.
#[derive(Debug, clap::Args)]
#[command(mut_arg("format", |arg| arg.help(
    "Report format on standard output: `human` (one line per file), `json` (one object, schema \
     in docs/report-schema.md) or `markdown` (the report `--report` writes). The summary line \
     goes to standard error in every format"
)))]
pub struct SyncArgs {
    #[command(flatten)]
    trees: SyncTrees,
    /// A label of the upstream (a commit), recorded in `.rebrand/lock.toml`.
    #[arg(long, value_name = "LABEL")]
    upstream_rev: Option<String>,
    /// The downstream has no sync state: treat it as hand edits on top of what
    /// `--base-upstream` generates.
    #[arg(long, requires = "base_upstream")]
    adopt: bool,
    /// The upstream the adopted downstream was made from.
    #[arg(long, value_name = "DIR", requires = "adopt")]
    base_upstream: Option<PathBuf>,
    /// Write a Markdown report for a pull-request body to FILE.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    #[command(flatten)]
    format: FormatArg<SyncArgs>,
}

impl Offers for SyncArgs {
    const FORMATS: &'static [Format] = &[Format::Human, Format::Json, Format::Markdown];
}

impl SyncArgs {
    /// Syncs the downstream with the upstream, then audits what it generated: prints one
    /// line per file acted on (or the report in `--format`) on standard output, the summary
    /// (not with `-q`) and the audit's errors (the first 10, every one with `-v`) on standard
    /// error, and writes `--report`. Exit 1 on a conflict or an audit error, else 0.
    ///
    /// # Errors
    /// The rules do not load, a tree is no folder or cannot be read, the downstream has no
    /// sync state (and no `--adopt`), the state or a file cannot be written.
    pub fn run(self, ui: Ui) -> Result<ExitStatus, Error> {
        let started = Instant::now();
        let format = self.format.format;
        let (engine, upstream, downstream) = self.trees.load(ui)?;
        let options = SyncOptions {
            upstream_label: self.upstream_rev,
            adopt: self.base_upstream,
            dry_run: false,
        };
        let synced = sync::sync(&engine, &upstream, &downstream, &options)?;
        // The synced tree is judged as `check` judges it.
        let findings = audit_generated(&engine, &downstream, &synced.plan)?.findings;
        let errors = findings.iter().filter(|f| f.level == Level::Error).count();
        let run = SyncRun {
            synced: &synced,
            rules: engine.rules(),
            findings: &findings,
            started,
        };
        crate::progress::clear();
        let mut stdout = io::stdout().lock();
        format.printer(ui.options()).sync(&run, &mut stdout)?;
        stdout.flush()?;
        if let Some(path) = &self.report {
            let mut report = Vec::new();
            Format::Markdown.printer(ui.options()).sync(&run, &mut report)?;
            write_atomically(path, &report)?;
        }
        if synced.resumed && !ui.quiet() {
            eprintln!("completed an interrupted sync first");
        }
        let counts: Vec<String> = synced
            .counts()
            .iter()
            .map(|(a, n)| format!("{} {n}", a.name()))
            .collect();
        // The summary line is the note `-q` silences; the errors under it stay.
        let summary = format!(
            "{}: {}; {} hand edits; audit of the synced tree: {}; in {:.2} s",
            if synced.adopted { "adopt" } else { "sync" },
            if counts.is_empty() {
                "nothing to do".to_string()
            } else {
                counts.join(", ")
            },
            count(synced.hand_edited, "file carried", "files carried"),
            count(errors, "error", "errors"),
            started.elapsed().as_secs_f64()
        );
        if !ui.quiet() {
            eprintln!("{summary}");
        }
        let shown = if ui.verbose() { errors } else { SHOWN_ERRORS };
        for f in findings.iter().filter(|f| f.level == Level::Error).take(shown) {
            eprintln!("  {f}");
        }
        if errors > shown {
            eprintln!("  … and {} more (-v lists every one)", errors - shown);
        }
        Ok(if synced.conflicts() > 0 || errors > 0 {
            ExitStatus::Findings
        } else {
            ExitStatus::Success
        })
    }
}

/// How many of the audit's errors a sync lists under its summary without `-v`.
const SHOWN_ERRORS: usize = 10;

/// The arguments of `rebrand check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    trees: SyncTrees,
    #[command(flatten)]
    format: FormatArg<CheckArgs>,
}

impl Offers for CheckArgs {
    const FORMATS: &'static [Format] = &[Format::Human, Format::Json, Format::Sarif, Format::Github];
}

impl CheckArgs {
    /// Prints each problem on standard output in `--format` (a file a sync would act on,
    /// conflict markers left, an audit error, an unfinished sync; one line each, a JSON
    /// findings report, a SARIF log or GitHub annotations, paths under the branded tree) and
    /// their count on standard error (not with `-q`).
    /// Exit 1 if there is any, else 0.
    ///
    /// # Errors
    /// The rules do not load, a tree is no folder or cannot be read, the downstream has no
    /// sync state.
    pub fn run(self, ui: Ui) -> Result<ExitStatus, Error> {
        let started = Instant::now();
        let (engine, upstream, downstream) = self.trees.load(ui)?;
        // Every problem is a finding, at error level: they fail the check.
        let problem = |kind, path: &str, message: &str| Finding::new(Level::Error, kind, path, message);
        let mut problems = Vec::new();
        if sync::journal::is_pending(&downstream) {
            problems.push(problem(
                FindingKind::InterruptedSync,
                "",
                "an interrupted sync is unfinished: run `rebrand sync` to complete it",
            ));
        }
        let options = SyncOptions {
            dry_run: true,
            ..SyncOptions::default()
        };
        let pending = sync::sync(&engine, &upstream, &downstream, &options)?;
        let changes: Vec<_> = pending
            .files
            .iter()
            .filter(|f| f.action != sync::Action::KeptVendorDeletion)
            .collect();
        for f in &changes {
            problems.push(problem(FindingKind::Unsynced, &f.path, f.action.name()));
        }
        for path in sync::conflict_markers(&downstream)? {
            problems.push(problem(
                FindingKind::ConflictMarkers,
                &path,
                "conflict markers remain",
            ));
        }
        let audit = audit_generated(&engine, &downstream, &pending.plan)?;
        problems.extend(audit.findings.into_iter().filter(|f| f.level == Level::Error));
        let counts = BTreeMap::from([("unsynced", changes.len()), ("problems", problems.len())]);
        let listing = Listing {
            command: "check",
            input: &downstream,
            findings: &problems,
            counts: &counts,
            started,
        };
        crate::progress::clear();
        let mut stdout = io::stdout().lock();
        self.format
            .format
            .printer(ui.options())
            .listing(&listing, &mut stdout)?;
        if !ui.quiet() {
            eprintln!("check: {}", count(problems.len(), "problem", "problems"));
        }
        Ok(if problems.is_empty() {
            ExitStatus::Success
        } else {
            ExitStatus::Findings
        })
    }
}

/// The audit of the branded tree `downstream` as `sync` and `check` judge it: judged as
/// branded, and only the files a sync generates (`plan`'s), not the vendor's own nor an
/// upstream checkout inside the tree.
///
/// # Errors
/// A file that cannot be read.
fn audit_generated(engine: &Engine, downstream: &Path, plan: &tree::Plan) -> Result<audit::Audit, TreeError> {
    let generated: HashSet<&str> = plan.files.iter().map(|f| f.report.out_path()).collect();
    audit::audit_only(engine, downstream, Judge::Branded, false, |p| {
        generated.contains(p)
    })
}
