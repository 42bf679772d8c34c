//! `rebrand test-rules`: a rule file's own `[[test]]` cases.

use std::io::{self, Write as _};
use std::path::PathBuf;

use super::{load, require_dir, Error, ExitStatus, Ui};
use crate::selftest;

/// The arguments of `rebrand test-rules`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The rule file (TOML).
    #[arg(value_name = "RULES.toml")]
    rules: PathBuf,
    /// Run the tests as the rule file reads the site at DIR: with its generator's conventions
    /// (MkDocs' `toc` ids and pins, Hugo's shortcodes and Goldmark ids, the files each
    /// generator reads). Default: as for a Docusaurus site.
    #[arg(long, value_name = "DIR")]
    site: Option<PathBuf>,
}

impl Args {
    /// Runs every `[[test]]` of the rule file (and of the files it extends), printing one
    /// line per test and a diff for each failure. Exit 1 if any fails, else 0.
    ///
    /// # Errors
    /// The rules do not load; `--site` is no folder; standard output cannot be written.
    pub fn run(self, ui: Ui) -> Result<ExitStatus, Error> {
        if let Some(site) = &self.site {
            require_dir(site)?;
        }
        let engine = load(&self.rules, self.site.as_deref(), ui)?;
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
