//! The command line: arguments (clap derive) to a validated job, the job run, an exit code.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::{Parser, Subcommand};

use rayon::prelude::*;

use crate::audit::{self, Judge, Level};
use crate::report::html::review_page;
use crate::report::sync as sync_report;
use crate::report::{count, findings, json, markdown, planned_diff, stat_lines, words, ColorChoice, Summary};
use crate::rewrite::Engine;
use crate::rules::RuleSet;
use crate::selftest;
use crate::site::links::{self, Reason};
use crate::sync::{self, SyncOptions};
use crate::tree::{self, ApplyOptions, TreeError};

/// The documented exit statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: the job ran (a preview with changes is a success).
    Success = 0,
    /// 1: findings, in modes that check: a failing `[[test]]` in `test-rules`, a broken
    /// link in `links`, an error (or with `--deny warnings` a warning) in `audit`.
    Findings = 1,
    /// 2: usage error, rule-file error, or an input/output error.
    Error = 2,
}

/// Turn an upstream documentation tree into a vendor-branded edition.
#[derive(Debug, Parser)]
#[command(name = "rebrand", version = crate::version::tool_version(), about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Dry run: print the review diff of INPUT_DIR and a summary; write nothing.
    Preview {
        /// The rule file (TOML).
        #[arg(long, value_name = "RULES.toml")]
        rules: PathBuf,
        /// The upstream tree.
        #[arg(value_name = "INPUT_DIR")]
        input: PathBuf,
        /// Print per-file counts instead of the diff.
        #[arg(long)]
        stat: bool,
        /// Also write a self-contained HTML review page (diffs with changed words marked, a
        /// file list, a filter by rule, the audit findings) to FILE.
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
        /// Lines of context around each change.
        #[arg(long, default_value_t = 3, value_name = "N")]
        context: usize,
        /// Report format: `human` (diagnostics and diffs for a terminal), `json` (one object
        /// per run, schema in docs/report-schema.md) or `markdown` (a pull-request summary).
        #[arg(long, value_enum, default_value_t = Format::Human, value_name = "FORMAT")]
        format: Format,
        /// When to colour the output.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
        color: ColorChoice,
    },
    /// Write the branded tree of INPUT_DIR to OUTPUT_DIR (staged, then swapped into place).
    Apply {
        /// The rule file (TOML).
        #[arg(long, value_name = "RULES.toml")]
        rules: PathBuf,
        /// The upstream tree.
        #[arg(value_name = "INPUT_DIR")]
        input: PathBuf,
        /// Where the branded tree goes.
        #[arg(long, value_name = "OUTPUT_DIR")]
        out: PathBuf,
        /// Replace an existing output that holds files rebrand did not write or hand edits (never
        /// one that holds a `.git`, `.hg` or `.svn` folder).
        #[arg(long)]
        force: bool,
        /// Also write the URLs renames moved as a JSON array of {"from", "to"} site paths,
        /// for the site's redirect plugin.
        #[arg(long, value_name = "FILE")]
        redirects: Option<PathBuf>,
        /// A label of the upstream (a commit), recorded in `.rebrand/lock.toml`.
        #[arg(long, value_name = "LABEL")]
        upstream_rev: Option<String>,
        /// Report format: `human` (diagnostics and diffs for a terminal), `json` (one object
        /// per run, schema in docs/report-schema.md) or `markdown` (a pull-request summary).
        #[arg(long, value_enum, default_value_t = Format::Human, value_name = "FORMAT")]
        format: Format,
        /// When to colour the summary.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
        color: ColorChoice,
    },
    /// Check every relative link, image reference, doc id and #anchor of a Docusaurus tree;
    /// list the broken ones (exit 1 if any).
    Links {
        /// The tree to check (upstream or branded).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// A rule file: the paths it leaves out of the output (`[files] omit`, dropped
        /// locales) are checked as absent.
        #[arg(long, value_name = "RULES.toml")]
        rules: Option<PathBuf>,
    },
    /// Audit a tree as a branded edition (any mention the rules would still rewrite is an
    /// error), or with --upstream as an upstream tree to plan: brand leaks, stutters, dead
    /// rules, near misses, unread files, broken front matter, and the mentions by context.
    Audit {
        /// The rule file (TOML).
        #[arg(long, value_name = "RULES.toml")]
        rules: PathBuf,
        /// The tree to audit.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// Judge DIR as an upstream tree, to plan a rebrand: the mentions the rules rewrite
        /// are fine, stutters are those the rules would create, and rules that match nothing
        /// are dead. Without it DIR is judged as branded, whatever markers it has.
        #[arg(long)]
        upstream: bool,
        /// Fail (exit 1) on warnings too, not only on errors.
        #[arg(long, value_name = "LEVEL", value_parser = ["warnings"])]
        deny: Option<String>,
        /// Also list every brand mention with what the rewrite does with it.
        #[arg(long)]
        mentions: bool,
        /// Report format: `human` (diagnostics and diffs for a terminal), `json` (one object
        /// per run, schema in docs/report-schema.md) or `markdown` (a pull-request summary).
        #[arg(long, value_enum, default_value_t = Format::Human, value_name = "FORMAT")]
        format: Format,
        /// When to colour the output.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
        color: ColorChoice,
    },
    /// Explain a file or one line of it: each span's context, and for each brand mention
    /// which rule rewrote it or which exception or check kept it.
    Explain {
        /// The rule file (TOML).
        #[arg(long, value_name = "RULES.toml")]
        rules: PathBuf,
        /// The file, optionally with a 1-based line: `docs/install/index.md:12`.
        #[arg(value_name = "FILE[:LINE]")]
        target: String,
        /// The tree the file belongs to (its path there decides the rules' `paths`); by
        /// default the nearest folder above it with a `docusaurus.config.js`.
        #[arg(long, value_name = "DIR")]
        root: Option<PathBuf>,
    },
    /// Bring upstream changes into a branded tree, branded, keeping the vendor's hand edits
    /// (three-way merge; overlapping edits get conflict markers and exit 1).
    Sync {
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
        /// Report format on standard output: `human` (one line per file), `json` (one
        /// object, schema in docs/report-schema.md) or `markdown` (the report `--report`
        /// writes). The summary line goes to standard error in every format.
        #[arg(long, value_enum, default_value_t = Format::Human, value_name = "FORMAT")]
        format: Format,
    },
    /// Exit 1 if a sync would change anything, if conflict markers remain, or if the audit
    /// finds a prose leak; 0 otherwise.
    Check {
        #[command(flatten)]
        trees: SyncTrees,
    },
    /// Print a commented starter rule file for a new product, learned from DIR: the
    /// substitution of the name with its case, the phrases that would stutter, articles,
    /// exceptions for identifiers in prose, and tests from real sentences.
    Init {
        /// The upstream product name, as the docs write it (`Longhorn`).
        #[arg(long, value_name = "NAME", value_parser = clap::builder::NonEmptyStringValueParser::new())]
        from: String,
        /// The new product name (`NQRust Storage`).
        #[arg(long, value_name = "NEW_NAME", value_parser = clap::builder::NonEmptyStringValueParser::new())]
        to: String,
        /// The upstream tree to learn from.
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// Run the rule file's own [[test]] cases.
    TestRules {
        /// The rule file (TOML).
        #[arg(value_name = "RULES.toml")]
        rules: PathBuf,
    },
}

/// Parses the command line, runs the job, and returns its exit status. Errors are printed
/// to standard error; a closed standard output (`| head`) ends the run quietly.
pub fn run() -> ExitStatus {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitStatus::Error
            } else {
                ExitStatus::Success
            };
        }
    };
    match dispatch(cli) {
        Ok(status) => status,
        Err(e) if is_broken_pipe(&e) => ExitStatus::Success,
        Err(e) => {
            // Our error types carry their cause in their own message; the chain would repeat it.
            let text = e.to_string();
            if text.starts_with("error:") {
                eprintln!("{text}");
            } else {
                eprintln!("error: {text}");
            }
            ExitStatus::Error
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// Loads and compiles the rule file; prints its warnings (an exception that can never meet
/// a substitution) on standard error, where they never mix with a report or a diff.
/// The trees `sync` and `check` compare, and the rules.
#[derive(Debug, clap::Args)]
pub struct SyncTrees {
    /// The rule file (TOML).
    #[arg(long, value_name = "RULES.toml")]
    rules: PathBuf,
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
    fn load(self) -> anyhow::Result<(Engine, PathBuf, PathBuf)> {
        let engine = load(&self.rules)?;
        require_dir(&self.upstream)?;
        require_dir(&self.downstream)?;
        Ok((engine, self.upstream, self.downstream))
    }
}

fn load(rules: &Path) -> anyhow::Result<Engine> {
    let rules = RuleSet::load(rules)?;
    for warning in &rules.warnings {
        eprintln!("{warning}\n");
    }
    Ok(Engine::new(rules)?)
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Preview {
            rules,
            input,
            stat,
            html,
            context,
            format,
            color,
        } => {
            let started = Instant::now();
            let engine = load(&rules)?;
            require_dir(&input)?;
            let paint = color.stdout();
            let plan = tree::preview(&engine, &input)?;
            // The review page and the machine and pull-request reports carry the audit.
            let findings = match (&html, format) {
                (None, Format::Human) => Vec::new(),
                // The input of a preview is an upstream tree.
                _ => audit::audit(&engine, &input, Judge::Upstream, false)?.findings,
            };
            let mut stdout = io::stdout().lock();
            match format {
                Format::Human if stat => stdout.write_all(stat_lines(&plan).as_bytes())?,
                Format::Human => {
                    let diffs: Vec<Result<Option<String>, TreeError>> = plan
                        .files
                        .par_iter()
                        .map(|f| planned_diff(f, context, paint))
                        .collect();
                    for diff in diffs {
                        if let Some(diff) = diff? {
                            stdout.write_all(diff.as_bytes())?;
                        }
                    }
                }
                _ => {
                    let run = Run::new("preview", &engine, &input, None, Some(&plan), &findings);
                    stdout.write_all(run.render(format, started.elapsed())?.as_bytes())?;
                }
            }
            stdout.flush()?;
            if format == Format::Human {
                let summary = Summary::of(&plan, engine.rules().substitutions.len());
                eprint!("{}", summary.render(&engine, started.elapsed(), color.stderr()));
            }
            if let Some(path) = html {
                let page = review_page(&plan, engine.rules(), &findings, &input.display().to_string())?;
                write_atomically(&path, page.as_bytes())?;
                eprintln!(
                    "wrote the review page to {} ({})",
                    path.display(),
                    count(page.len(), "byte", "bytes")
                );
            }
            Ok(ExitStatus::Success)
        }
        Command::Apply {
            rules,
            input,
            out,
            force,
            redirects,
            upstream_rev,
            format,
            color,
        } => {
            let started = Instant::now();
            let engine = load(&rules)?;
            require_dir(&input)?;
            let options = ApplyOptions {
                force,
                upstream_label: upstream_rev,
            };
            let applied = tree::apply(&engine, &input, &out, &options)?;
            if applied.up_to_date {
                eprintln!(
                    "rebrand: `{}` is up to date: same input, rules and tool version, checked by content hash; nothing written (in {:.2} s)",
                    out.display(),
                    started.elapsed().as_secs_f64()
                );
                return Ok(ExitStatus::Success);
            }
            let moved = &applied.plan.redirects;
            if format != Format::Human {
                let run = Run::new("apply", &engine, &input, Some(&out), Some(&applied.plan), &[]);
                print!("{}", run.render(format, started.elapsed())?);
            } else {
                let summary = Summary::of(&applied.plan, engine.rules().substitutions.len());
                eprint!("{}", summary.render(&engine, started.elapsed(), color.stderr()));
            }
            if !moved.is_empty() && format == Format::Human {
                eprintln!("{}:", count(moved.len(), "page URL moved", "page URLs moved"));
                for r in moved {
                    eprintln!("  {} -> {}", r.from, r.to);
                }
            }
            if let Some(path) = redirects {
                let json = serde_json::to_string_pretty(moved)? + "\n";
                write_atomically(&path, json.as_bytes())?;
                eprintln!(
                    "wrote {} to {}",
                    count(moved.len(), "redirect", "redirects"),
                    path.display()
                );
            }
            for warning in &applied.warnings {
                eprintln!("warning: {warning}");
            }
            eprintln!("wrote {}", out.display());
            Ok(ExitStatus::Success)
        }
        Command::Links { dir, rules } => {
            let rules = rules.map(|r| load(&r)).transpose()?;
            require_dir(&dir)?;
            // The error names the file that cannot be read.
            let checked = match &rules {
                Some(engine) => links::check_tree_keeping(&dir, |p| !engine.rules().leaves_out(p))?,
                None => links::check_tree(&dir)?,
            };
            let (generated, broken): (Vec<_>, Vec<_>) =
                checked.broken.iter().partition(|b| b.reason == Reason::Generated);
            let mut stdout = io::stdout().lock();
            for b in &broken {
                writeln!(stdout, "{b}")?;
            }
            stdout.flush()?;
            let found: usize = checked.references.values().sum();
            let mut by_reason: BTreeMap<Reason, usize> = BTreeMap::new();
            for b in &broken {
                *by_reason.entry(b.reason).or_default() += 1;
            }
            let reasons: Vec<String> = by_reason
                .iter()
                .map(|(r, &n)| count(n, r.name(), r.plural_name()))
                .collect();
            eprintln!(
                "rebrand links: {} ({} external, not checked), {} checked, {} broken{}",
                count(found, "reference", "references"),
                checked.external,
                count(checked.fragments, "#fragment", "#fragments"),
                broken.len(),
                if reasons.is_empty() {
                    String::new()
                } else {
                    format!(": {}", reasons.join(", "))
                }
            );
            if checked.generated > 0 {
                eprintln!(
                    "  {} to pages the OpenAPI docs plugin generates from the specs of the tree {} found",
                    count(checked.generated, "reference", "references"),
                    words(checked.generated, "is", "are")
                );
            }
            if !generated.is_empty() {
                eprintln!(
                    "  {} into folders a plugin generates at build time (OpenAPI docs) that no spec of the tree tells about {} set aside, not counted",
                    count(generated.len(), "reference", "references"),
                    words(generated.len(), "is", "are")
                );
            }
            Ok(if broken.is_empty() {
                ExitStatus::Success
            } else {
                ExitStatus::Findings
            })
        }
        Command::Audit {
            rules,
            dir,
            upstream,
            deny,
            mentions,
            format,
            color,
        } => {
            let started = Instant::now();
            let engine = load(&rules)?;
            require_dir(&dir)?;
            let judge = if upstream { Judge::Upstream } else { Judge::Branded };
            let audit = audit::audit(&engine, &dir, judge, mentions)?;
            let mut stdout = io::stdout().lock();
            if format != Format::Human {
                let run = Run::new("audit", &engine, &dir, None, None, &audit.findings);
                stdout.write_all(run.render(format, started.elapsed())?.as_bytes())?;
            }
            for m in audit.listed.iter().filter(|_| format == Format::Human) {
                writeln!(
                    stdout,
                    "{}:{}:{}: {} `{}`: {}",
                    m.path, m.line, m.column, m.context, m.text, m.verdict
                )?;
            }
            if format == Format::Human {
                stdout.write_all(findings::render(&audit, color.stdout()).as_bytes())?;
            }
            stdout.flush()?;
            let rewritable: usize = audit.mentions.values().map(|c| c.rewritten).sum();
            if judge == Judge::Branded && rewritable > 0 && format == Format::Human {
                eprintln!(
                    "hint: {rewritable} mentions the rules would rewrite: if `{}` is an upstream tree, audit it with `--upstream`",
                    dir.display()
                );
            }
            let failing = audit.count(Level::Error)
                + if deny.is_some() {
                    audit.count(Level::Warning)
                } else {
                    0
                };
            Ok(if failing == 0 {
                ExitStatus::Success
            } else {
                ExitStatus::Findings
            })
        }
        Command::Explain { rules, target, root } => {
            let engine = load(&rules)?;
            let (file, line) = split_line(&target);
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", file.display()))?;
            let root = match root {
                Some(root) => root,
                None => site_root(&file),
            };
            let abs = std::path::absolute(&file)?;
            let root_abs = std::path::absolute(&root)?;
            let rel = abs
                .strip_prefix(&root_abs)
                .map_err(|_| anyhow::anyhow!("`{}` is not inside `{}`", file.display(), root.display()))?;
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let kind = engine.rules().files.kind_of(&rel).ok_or_else(|| {
                anyhow::anyhow!(
                    "`{rel}` is not read as text by the rules' [files] globs: nothing is rewritten in it"
                )
            })?;
            if let Some(line) = line {
                // An empty answer would read as "nothing to explain on that line".
                let lines = audit::line_count(&text);
                if line == 0 || line > lines {
                    anyhow::bail!(
                        "line {line} is out of range: `{}` has {}",
                        file.display(),
                        count(lines, "line", "lines")
                    );
                }
            }
            print!("{}", audit::explain(&engine, &rel, kind, &text, line));
            Ok(ExitStatus::Success)
        }
        Command::Sync {
            trees,
            upstream_rev,
            adopt: _,
            base_upstream,
            report,
            format,
        } => {
            let started = Instant::now();
            let (engine, upstream, downstream) = trees.load()?;
            let options = SyncOptions {
                upstream_label: upstream_rev,
                adopt: base_upstream,
                dry_run: false,
            };
            let synced = sync::sync(&engine, &upstream, &downstream, &options)?;
            // The synced tree is judged as `check` judges it.
            let findings = audit_generated(&engine, &downstream, &synced.plan)?.findings;
            let errors = findings.iter().filter(|f| f.level == Level::Error).count();
            let pr_report = (report.is_some() || format == Format::Markdown)
                .then(|| sync_report::markdown(&synced, engine.rules(), &findings));
            let mut stdout = io::stdout().lock();
            match (format, &pr_report) {
                (Format::Json, _) => {
                    let json = json::sync_report(&synced, &findings, started.elapsed());
                    writeln!(stdout, "{}", serde_json::to_string_pretty(&json)?)?;
                }
                (Format::Markdown, Some(text)) => stdout.write_all(text.as_bytes())?,
                _ => {
                    for f in &synced.files {
                        match &f.moved_from {
                            Some(from) => {
                                writeln!(stdout, "{:<10} {} (moved from {from})", f.action.name(), f.path)?
                            }
                            None => writeln!(stdout, "{:<10} {}", f.action.name(), f.path)?,
                        }
                    }
                }
            }
            stdout.flush()?;
            if let (Some(path), Some(text)) = (report, &pr_report) {
                write_atomically(&path, text.as_bytes())?;
            }
            if synced.resumed {
                eprintln!("completed an interrupted sync first");
            }
            let counts: Vec<String> = synced
                .counts()
                .iter()
                .map(|(a, n)| format!("{} {n}", a.name()))
                .collect();
            eprintln!(
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
            for f in findings.iter().filter(|f| f.level == Level::Error).take(10) {
                eprintln!("  {}:{}:{}: {}", f.path, f.line, f.column, f.message);
            }
            Ok(if synced.conflicts() > 0 || errors > 0 {
                ExitStatus::Findings
            } else {
                ExitStatus::Success
            })
        }
        Command::Check { trees } => {
            let (engine, upstream, downstream) = trees.load()?;
            let mut problems = Vec::new();
            if sync::journal::is_pending(&downstream) {
                problems
                    .push("an interrupted sync is unfinished: run `rebrand sync` to complete it".to_string());
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
                problems.push(format!("a sync would act on {}: {}", f.path, f.action.name()));
            }
            for path in sync::conflict_markers(&downstream)? {
                problems.push(format!("{path}: conflict markers remain"));
            }
            let audit = audit_generated(&engine, &downstream, &pending.plan)?;
            for f in audit.findings.iter().filter(|f| f.level == Level::Error) {
                problems.push(format!("{}:{}:{}: {}", f.path, f.line, f.column, f.message));
            }
            let mut stdout = io::stdout().lock();
            for p in &problems {
                writeln!(stdout, "{p}")?;
            }
            eprintln!("check: {}", count(problems.len(), "problem", "problems"));
            Ok(if problems.is_empty() {
                ExitStatus::Success
            } else {
                ExitStatus::Findings
            })
        }
        Command::Init { from, to, dir } => {
            let started = Instant::now();
            require_dir(&dir)?;
            let starter = crate::init::init(&from, &to, &dir, &dir.display().to_string())?;
            let mut stdout = io::stdout().lock();
            stdout.write_all(starter.text.as_bytes())?;
            stdout.flush()?;
            for w in &starter.warnings {
                eprintln!("warning: {w}");
            }
            let (substitutions, exceptions, tests) = starter.counts;
            eprintln!(
                "init: {} read, {} in prose; wrote {}, {}, {}; upstream audit with it: {}, {}; in {:.2} s",
                count(starter.files, "file", "files"),
                count(starter.prose_mentions, "mention", "mentions"),
                count(substitutions, "substitution", "substitutions"),
                count(exceptions, "exception", "exceptions"),
                count(tests, "test", "tests"),
                count(starter.audit.0, "error", "errors"),
                count(starter.audit.1, "warning", "warnings"),
                started.elapsed().as_secs_f64()
            );
            Ok(ExitStatus::Success)
        }
        Command::TestRules { rules } => {
            let engine = load(&rules)?;
            let outcomes = selftest::run_all(&engine);
            let mut stdout = io::stdout().lock();
            let failed = outcomes.iter().filter(|o| !o.passed()).count();
            for o in &outcomes {
                if o.passed() {
                    writeln!(stdout, "ok    {} ({}:{})", o.name, o.file.display(), o.line)?;
                } else {
                    writeln!(stdout, "FAIL  {} ({}:{})", o.name, o.file.display(), o.line)?;
                    writeln!(stdout, "{}", o.render(engine.rules()))?;
                }
            }
            writeln!(stdout, "{} passed, {} failed", outcomes.len() - failed, failed)?;
            Ok(if failed == 0 {
                ExitStatus::Success
            } else {
                ExitStatus::Findings
            })
        }
    }
}

/// The audit of the branded tree `downstream` as `sync` and `check` judge it: judged as
/// branded, and only the files a sync generates (`plan`'s), not the vendor's own nor an
/// upstream checkout inside the tree.
///
/// # Errors
/// A file that cannot be read.
fn audit_generated(engine: &Engine, downstream: &Path, plan: &tree::Plan) -> Result<audit::Audit, TreeError> {
    let generated: std::collections::HashSet<&str> = plan.files.iter().map(|f| f.report.out_path()).collect();
    audit::audit_only(engine, downstream, Judge::Branded, false, |p| {
        generated.contains(p)
    })
}

/// Report formats of `preview`, `apply`, `audit` and `sync` (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Diffs and rustc-style diagnostics for a terminal.
    Human,
    /// One JSON object per run (docs/report-schema.md).
    Json,
    /// A summary fit for a pull-request body.
    Markdown,
}

/// What a run reports in the machine and pull-request formats.
struct Run<'a> {
    command: &'a str,
    engine: &'a Engine,
    input: &'a Path,
    output: Option<&'a Path>,
    plan: Option<&'a tree::Plan>,
    findings: &'a [audit::Finding],
}

impl<'a> Run<'a> {
    fn new(
        command: &'a str,
        engine: &'a Engine,
        input: &'a Path,
        output: Option<&'a Path>,
        plan: Option<&'a tree::Plan>,
        findings: &'a [audit::Finding],
    ) -> Self {
        Run {
            command,
            engine,
            input,
            output,
            plan,
            findings,
        }
    }

    /// The report in `format` (JSON or Markdown), ending with a newline.
    fn render(&self, format: Format, elapsed: std::time::Duration) -> anyhow::Result<String> {
        let rules = self.engine.rules();
        Ok(match format {
            Format::Json => {
                let report = json::run_report(
                    self.command,
                    rules,
                    self.input,
                    self.output,
                    self.plan,
                    self.findings,
                    elapsed,
                );
                serde_json::to_string_pretty(&report)? + "\n"
            }
            Format::Markdown | Format::Human => {
                markdown::pr_summary(self.command, rules, self.plan, self.findings, elapsed)
            }
        })
    }
}

/// `FILE:LINE` split into the file and the 1-based line, when the part after the last `:`
/// is a number and the whole text is not itself an existing file.
fn split_line(target: &str) -> (PathBuf, Option<usize>) {
    if let Some((file, line)) = target.rsplit_once(':') {
        if let Ok(line) = line.parse::<usize>() {
            if !Path::new(target).exists() {
                return (PathBuf::from(file), Some(line));
            }
        }
    }
    (PathBuf::from(target), None)
}

/// The nearest folder above `file` with a `docusaurus.config.js`, else the file's folder.
fn site_root(file: &Path) -> PathBuf {
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    abs.ancestors()
        .skip(1)
        .find(|d| d.join("docusaurus.config.js").is_file())
        .or_else(|| abs.parent())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into place.
/// The file gets the mode of the file it replaces, or, when there is none, the mode a plain
/// creation gets (0666 minus the umask, or the folder's default ACL).
///
/// # Errors
/// The temporary file cannot be created, written, given its mode or renamed: the message
/// names `path` and the system's error.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |e: &dyn std::fmt::Display| anyhow::anyhow!("cannot write `{}`: {e}", path.display());
    let replaced = std::fs::metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    // tempfile creates its files 0600. Asking for 0666 lets the kernel apply the umask (or
    // a default ACL) as it does for any new file, so the umask is never read: umask(2), the
    // portable way to read it, also sets it, for the whole process and all its threads.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir).map_err(|e| fail(&e))?;
    if let Some(permissions) = replaced {
        tmp.as_file().set_permissions(permissions).map_err(|e| fail(&e))?;
    }
    tmp.write_all(bytes).map_err(|e| fail(&e))?;
    tmp.persist(path).map_err(|e| fail(&e.error))?;
    Ok(())
}

fn require_dir(input: &Path) -> anyhow::Result<()> {
    match std::fs::metadata(input) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => anyhow::bail!("input `{}` is not a directory", input.display()),
        Err(e) => anyhow::bail!("cannot read input `{}`: {e}", input.display()),
    }
}
