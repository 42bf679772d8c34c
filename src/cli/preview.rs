//! `rebrand preview`: the review diff of a tree and its summary, or its report, and the
//! review page; nothing else written.

use std::path::PathBuf;
use std::time::Instant;

use super::{
    print_run, require_dir, write_atomically, Error, ExitStatus, Format, FormatArg, Offers, RulesArg, Ui,
};
use crate::audit::{self, Judge};
use crate::report::{count, Command, Options, Run};
use crate::tree;

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
    pub fn run(self, ui: Ui) -> Result<ExitStatus, Error> {
        let started = Instant::now();
        let format = self.format.format;
        let engine = self.rules.load_for(&self.input, ui)?;
        let input = &self.input;
        require_dir(input)?;
        let plan = tree::preview(&engine, input)?;
        // The review page and the machine and pull-request reports carry the audit.
        let audit = match (&self.html, format) {
            (None, Format::Human) => None,
            // The input of a preview is an upstream tree.
            _ => Some(audit::audit(&engine, input, Judge::Upstream, false)?),
        };
        let run = Run {
            command: Command::Preview,
            engine: &engine,
            input,
            output: None,
            plan: Some(&plan),
            audit: audit.as_ref(),
            started,
        };
        print_run(
            format,
            Options {
                context: self.context,
                stat: self.stat,
                ..ui.options()
            },
            &run,
        )?;
        if let Some(path) = &self.html {
            let mut page = Vec::new();
            Format::Html.printer(Options::default()).run(&run, &mut page)?;
            write_atomically(path, &page)?;
            if !ui.quiet() {
                eprintln!(
                    "wrote the review page to {} ({})",
                    path.display(),
                    count(page.len(), "byte", "bytes")
                );
            }
        }
        Ok(ExitStatus::Success)
    }
}
