//! `rebrand init`: a commented starter rule file for a new product, learned from a tree.

use std::io::{self, Write as _};
use std::path::PathBuf;
use std::time::Instant;

use super::{require_dir, Error, ExitStatus, Ui};
use crate::report::count;

/// The arguments of `rebrand init`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The upstream product name, as the docs write it (`Longhorn`).
    #[arg(long, value_name = "NAME", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    from: String,
    /// The new product name (`NQRust Storage`).
    #[arg(long, value_name = "NEW_NAME", value_parser = clap::builder::NonEmptyStringValueParser::new())]
    to: String,
    /// The upstream tree to learn from.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
}

impl Args {
    /// Prints the starter rule file on standard output, its warnings and what was learned
    /// (not with `-q`) on standard error. Exit 0.
    ///
    /// # Errors
    /// The tree is no folder or cannot be read; a name is blank at either end; the starter
    /// rules do not load.
    pub fn run(self, ui: Ui) -> Result<ExitStatus, Error> {
        let started = Instant::now();
        let dir = &self.dir;
        require_dir(dir)?;
        let starter = crate::init::init(&self.from, &self.to, dir, &dir.display().to_string())?;
        let mut stdout = io::stdout().lock();
        stdout.write_all(starter.text.as_bytes())?;
        stdout.flush()?;
        for w in &starter.warnings {
            eprintln!("warning: {w}");
        }
        if ui.quiet() {
            return Ok(ExitStatus::Success);
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
}
