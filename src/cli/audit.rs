//! `rebrand audit`: a tree judged as a branded edition, or with `--upstream` as the tree a
//! rebrand is planned on.

use std::path::PathBuf;
use std::time::Instant;

use super::{print_run, require_dir, Error, ExitStatus, Format, FormatArg, Offers, RulesArg, Ui};
use crate::audit::{self, Judge, Level};
use crate::report::{Command, Run};

/// The arguments of `rebrand audit`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    rules: RulesArg,
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
    #[command(flatten)]
    format: FormatArg<Args>,
}

impl Offers for Args {
    const FORMATS: &'static [Format] = &[
        Format::Human,
        Format::Json,
        Format::Markdown,
        Format::Sarif,
        Format::Github,
    ];
}

impl Args {
    /// Prints the findings (and with `--mentions` every mention) or the report in
    /// `--format` on standard output. Exit 1 on an error, or with `--deny warnings` on a
    /// warning too; else 0.
    ///
    /// # Errors
    /// The rules do not load, the tree is no folder, a file of it cannot be read.
    pub fn run(self, ui: Ui) -> Result<ExitStatus, Error> {
        let started = Instant::now();
        let format = self.format.format;
        let engine = self.rules.load_for(&self.dir, ui)?;
        let dir = &self.dir;
        require_dir(dir)?;
        let judge = if self.upstream {
            Judge::Upstream
        } else {
            Judge::Branded
        };
        let audit = audit::audit(&engine, dir, judge, self.mentions)?;
        let run = Run {
            command: Command::Audit,
            engine: &engine,
            input: dir,
            output: None,
            plan: None,
            audit: Some(&audit),
            started,
        };
        print_run(format, ui.options(), &run)?;
        let failing = audit.count(Level::Error)
            + if self.deny.is_some() {
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
}
