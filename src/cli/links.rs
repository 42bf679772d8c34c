//! `rebrand links`: the broken links, image references, doc ids and anchors of a tree.

use std::collections::BTreeMap;
use std::io::{self, Write as _};
use std::path::PathBuf;

use std::time::Instant;

use super::{load, require_dir, Error, ExitStatus, Format, FormatArg, Offers, Ui};
use crate::finding::Finding;
use crate::report::{count, words, Listing};
use crate::site::links::{self, Reason};

/// The arguments of `rebrand links`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The tree to check (upstream or branded).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// A rule file: the paths it leaves out of the output (`[files] omit`, dropped
    /// locales) are checked as absent.
    #[arg(long, value_name = "RULES.toml")]
    rules: Option<PathBuf>,
    #[command(flatten)]
    format: FormatArg<Args>,
}

impl Offers for Args {
    const FORMATS: &'static [Format] = &[Format::Human, Format::Json, Format::Sarif, Format::Github];
}

impl Args {
    /// Prints the broken references on standard output in `--format` (one line each, a JSON
    /// findings report, a SARIF log or GitHub annotations), the counts on standard error (not
    /// with `-q`; with `-v` also each reference set aside). Exit 1 if any is broken, else 0.
    ///
    /// # Errors
    /// The rules do not load, the tree is no folder or no site of a generator rebrand knows
    /// ([`crate::site::detect`]), a file of it cannot be read.
    pub fn run(self, ui: Ui) -> Result<ExitStatus, Error> {
        let started = Instant::now();
        let rules = self
            .rules
            .as_deref()
            .map(|r| load(r, Some(&self.dir), ui))
            .transpose()?;
        let dir = &self.dir;
        require_dir(dir)?;
        // A link resolves as the site's generator serves its pages; without one, any reading
        // would report by rules the tree is not built with.
        if crate::site::detect(dir).is_none() {
            let names: Vec<&str> = crate::site::GENERATORS.iter().map(|g| g.name()).collect();
            let (last, others) = names.split_last().expect("rebrand knows a generator");
            let known = format!("{} or {last}", others.join(", "));
            return Err(Error::Input(format!(
                "`{}` is no site rebrand can model: no {known} configuration at its root, and links \
                 resolve as the site's generator serves its pages, so none is checked\n  \
                 = hint: run `rebrand links` on the site's root folder",
                dir.display(),
            )));
        }
        // The error names the file that cannot be read.
        let checked = match &rules {
            Some(engine) => links::check_tree_keeping(dir, |p| !engine.rules().leaves_out(p)),
            None => links::check_tree(dir),
        }
        .map_err(Error::Read)?;
        let (generated, broken): (Vec<_>, Vec<_>) =
            checked.broken.iter().partition(|b| b.reason == Reason::Generated);
        let found: Vec<Finding> = broken.iter().map(|b| Finding::from(*b)).collect();
        let references: usize = checked.references.values().sum();
        let counts = BTreeMap::from([
            ("references", references),
            ("external", checked.external),
            ("fragments", checked.fragments),
            ("generated_pages", checked.generated),
            ("set_aside", generated.len()),
            ("broken", broken.len()),
        ]);
        let listing = Listing {
            command: "links",
            input: dir,
            findings: &found,
            counts: &counts,
            started,
        };
        let mut stdout = io::stdout().lock();
        self.format
            .format
            .printer(ui.options())
            .listing(&listing, &mut stdout)?;
        stdout.flush()?;
        if ui.quiet() {
            return Ok(status(&broken));
        }
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
            count(references, "reference", "references"),
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
                "  {} into folders a plugin generates at build time (OpenAPI docs) that no spec of the tree tells about {} set aside, not counted{}",
                count(generated.len(), "reference", "references"),
                words(generated.len(), "is", "are"),
                if ui.verbose() { ":" } else { " (-v lists them)" }
            );
            if ui.verbose() {
                for b in &generated {
                    eprintln!("    {}", Finding::from(*b));
                }
            }
        }
        Ok(status(&broken))
    }
}

/// Exit 1 when any reference is broken, else 0.
fn status<T>(broken: &[T]) -> ExitStatus {
    if broken.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Findings
    }
}
