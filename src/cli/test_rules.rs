//! `rebrand test-rules`: a rule file's own `[[test]]` cases.

use std::collections::BTreeMap;
use std::io::{self, Write as _};
use std::path::PathBuf;
use std::time::Instant;

use super::{load, require_dir, Error, ExitStatus, Format, FormatArg, Offers, Ui};
use crate::finding::{Finding, FindingKind, Level};
use crate::report::Listing;
use crate::rewrite::Engine;
use crate::selftest::{self, TestOutcome};

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
    #[command(flatten)]
    format: FormatArg<Args>,
}

impl Offers for Args {
    const FORMATS: &'static [Format] = &[Format::Human, Format::Json, Format::Sarif, Format::Github];
}

impl Args {
    /// Runs every `[[test]]` of the rule file (and of the files it extends), printing one
    /// line per test and a diff for each failure; in a machine `--format`, each failure as
    /// a finding at its `expect` value (a JSON findings report, a SARIF log, GitHub
    /// annotations) and the counts on standard error. Exit 1 if any fails, else 0.
    ///
    /// # Errors
    /// The rules do not load; `--site` is no folder; standard output cannot be written.
    pub fn run(self, ui: Ui) -> Result<ExitStatus, Error> {
        let started = Instant::now();
        if let Some(site) = &self.site {
            require_dir(site)?;
        }
        let engine = load(&self.rules, self.site.as_deref(), ui)?;
        let outcomes = selftest::run_all(&engine);
        let mut stdout = io::stdout().lock();
        let failed = outcomes.iter().filter(|o| !o.passed()).count();
        let status = if failed == 0 {
            ExitStatus::Success
        } else {
            ExitStatus::Findings
        };
        let format = self.format.format;
        if format != Format::Human {
            let findings: Vec<Finding> = outcomes
                .iter()
                .filter(|o| !o.passed())
                .map(|o| failure(&engine, o))
                .collect();
            let counts = BTreeMap::from([
                ("tests", outcomes.len()),
                ("passed", outcomes.len() - failed),
                ("failed", failed),
            ]);
            let listing = Listing {
                command: "test-rules",
                input: &self.rules,
                findings: &findings,
                counts: &counts,
                started,
            };
            format.printer(ui.options()).listing(&listing, &mut stdout)?;
            eprintln!("{} passed, {} failed", outcomes.len() - failed, failed);
            return Ok(status);
        }
        for o in &outcomes {
            if o.passed() {
                writeln!(stdout, "ok    {} ({}:{})", o.name, o.file.display(), o.line)?;
            } else {
                writeln!(stdout, "FAIL  {} ({}:{})", o.name, o.file.display(), o.line)?;
                writeln!(stdout, "{}", o.render(engine.rules()))?;
            }
        }
        writeln!(stdout, "{} passed, {} failed", outcomes.len() - failed, failed)?;
        Ok(status)
    }
}

/// A failing test as a finding: at its `expect` value in the rule file that holds it (path
/// as the rule set names it, line and column), the expected text and what the rules wrote.
fn failure(engine: &Engine, outcome: &TestOutcome) -> Finding {
    let at = engine
        .rules()
        .diagnostic(outcome.expect_span.clone(), String::new());
    Finding {
        line: at.line,
        column: at.column,
        text: outcome.expect.clone(),
        line_text: at.source_line,
        ..Finding::new(
            Level::Error,
            FindingKind::TestFailure,
            at.path.display().to_string(),
            format!(
                "test `{}` fails: expected {:?}, the rules write {:?}",
                outcome.name, outcome.expect, outcome.actual
            ),
        )
    }
}
