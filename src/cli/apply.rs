//! `rebrand apply`: the branded tree written whole, staged and swapped into place.

use std::path::PathBuf;
use std::time::Instant;

use super::{
    print_run, require_dir, write_atomically, Error, ExitStatus, Format, FormatArg, Offers, RulesArg, Ui,
};
use crate::report::{count, Command, Run};
use crate::tree::{self, ApplyOptions};

/// The arguments of `rebrand apply`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    rules: RulesArg,
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
    /// Hash every input and output file to decide whether the output is up to date, as if
    /// there were no stat index (`.rebrand/index`, which lets a file whose size, times and
    /// inode have not moved count as unchanged without reading it).
    #[arg(long)]
    verify: bool,
    /// Also write the URLs renames moved as a JSON array of {"from", "to"} site paths,
    /// for the site's redirect plugin.
    #[arg(long, value_name = "FILE")]
    redirects: Option<PathBuf>,
    /// A label of the upstream (a commit), recorded in `.rebrand/lock.toml`.
    #[arg(long, value_name = "LABEL")]
    upstream_rev: Option<String>,
    #[command(flatten)]
    format: FormatArg<Args>,
}

impl Offers for Args {
    const FORMATS: &'static [Format] = &[Format::Human, Format::Json, Format::Markdown];
}

impl Args {
    /// Writes the branded tree to `--out` (nothing when it is up to date), and `--redirects`;
    /// prints the summary and the moved URLs on standard error (its warnings only with `-q`),
    /// or the report in `--format` on standard output. Exit 0.
    ///
    /// # Errors
    /// The rules do not load, the input is no folder or cannot be read, the output is refused
    /// (inside the input, or holding what rebrand did not write) or cannot be written, a rule
    /// cannot be carried out.
    pub fn run(self, ui: Ui) -> Result<ExitStatus, Error> {
        let started = Instant::now();
        let format = self.format.format;
        let engine = self.rules.load_for(&self.input, ui)?;
        require_dir(&self.input)?;
        let options = ApplyOptions {
            force: self.force,
            upstream_label: self.upstream_rev,
            verify: self.verify,
        };
        let out = &self.out;
        let applied = tree::apply(&engine, &self.input, out, &options)?;
        if applied.up_to_date {
            crate::progress::clear();
            if ui.quiet() {
                return Ok(ExitStatus::Success);
            }
            eprintln!(
                "rebrand: `{}` is up to date: same input, rules and tool version, checked by content hash or unchanged stat; nothing written (in {:.2} s)",
                out.display(),
                started.elapsed().as_secs_f64()
            );
            return Ok(ExitStatus::Success);
        }
        let moved = &applied.plan.redirects;
        let run = Run {
            command: Command::Apply,
            engine: &engine,
            input: &self.input,
            output: Some(out),
            plan: Some(&applied.plan),
            audit: None,
            started,
        };
        print_run(format, ui.options(), &run)?;
        if let Some(path) = &self.redirects {
            let json = serde_json::to_string_pretty(moved)? + "\n";
            write_atomically(path, json.as_bytes())?;
            if !ui.quiet() {
                eprintln!(
                    "wrote {} to {}",
                    count(moved.len(), "redirect", "redirects"),
                    path.display()
                );
            }
        }
        for warning in &applied.warnings {
            eprintln!("warning: {warning}");
        }
        if !ui.quiet() {
            eprintln!("wrote {}", out.display());
        }
        Ok(ExitStatus::Success)
    }
}
