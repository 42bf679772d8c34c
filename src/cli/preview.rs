//! `rebrand preview`: the review diff of a tree and its summary, or its report, and the
//! review page; nothing else written.

use std::io::{self, Write as _};
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use super::{
    require_dir, write_atomically, ColorArg, Error, ExitStatus, Format, FormatArg, Offers, RulesArg, Run,
};
use crate::audit::{self, Judge};
use crate::report::html::review_page;
use crate::report::{count, planned_diff, stat_lines, Summary};
use crate::tree::{self, TreeError};

/// The arguments of `rebrand preview`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    rules: RulesArg,
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
    #[command(flatten)]
    format: FormatArg<Args>,
    #[command(flatten)]
    color: ColorArg,
}

impl Offers for Args {
    const FORMATS: &'static [Format] = &[Format::Human, Format::Json, Format::Markdown];
}

impl Args {
    /// Prints the review diff (or `--stat`, or the report in `--format`) on standard output,
    /// the summary on standard error, and writes the `--html` page. Exit 0.
    ///
    /// # Errors
    /// The rules do not load, the input is no folder or cannot be read, a rule cannot be
    /// carried out, the page or standard output cannot be written.
    pub fn run(self) -> Result<ExitStatus, Error> {
        let started = Instant::now();
        let (format, color) = (self.format.format, self.color.color);
        let engine = self.rules.load()?;
        let input = &self.input;
        require_dir(input)?;
        let paint = color.stdout();
        let plan = tree::preview(&engine, input)?;
        // The review page and the machine and pull-request reports carry the audit.
        let findings = match (&self.html, format) {
            (None, Format::Human) => Vec::new(),
            // The input of a preview is an upstream tree.
            _ => audit::audit(&engine, input, Judge::Upstream, false)?.findings,
        };
        let mut stdout = io::stdout().lock();
        let run = Run {
            command: "preview",
            engine: &engine,
            input,
            output: None,
            plan: Some(&plan),
            findings: &findings,
        };
        if let Some(report) = run.render(format, started.elapsed())? {
            stdout.write_all(report.as_bytes())?;
        } else if self.stat {
            stdout.write_all(stat_lines(&plan).as_bytes())?;
        } else {
            let diffs: Vec<Result<Option<String>, TreeError>> = plan
                .files
                .par_iter()
                .map(|f| planned_diff(f, self.context, paint))
                .collect();
            for diff in diffs {
                if let Some(diff) = diff? {
                    stdout.write_all(diff.as_bytes())?;
                }
            }
        }
        stdout.flush()?;
        if format == Format::Human {
            let summary = Summary::of(&plan, engine.rules().substitutions.len());
            eprint!("{}", summary.render(&engine, started.elapsed(), color.stderr()));
        }
        if let Some(path) = &self.html {
            let page = review_page(&plan, engine.rules(), &findings, &input.display().to_string())?;
            write_atomically(path, page.as_bytes())?;
            eprintln!(
                "wrote the review page to {} ({})",
                path.display(),
                count(page.len(), "byte", "bytes")
            );
        }
        Ok(ExitStatus::Success)
    }
}
