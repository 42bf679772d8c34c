//! `rebrand explain`: what the rules do with each span and brand mention of one file.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use super::{Error, ExitStatus, Format, FormatArg, Offers, RulesArg, Ui};
use crate::audit;
use crate::report::count;

/// The arguments of `rebrand explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    rules: RulesArg,
    /// The file, optionally with a 1-based line: `docs/install/index.md:12`.
    #[arg(value_name = "FILE[:LINE]")]
    target: String,
    /// The tree the file belongs to (its path there decides the rules' `paths`); by
    /// default the nearest folder above it with a `docusaurus.config.js`.
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    #[command(flatten)]
    format: FormatArg<Args>,
}

impl Offers for Args {
    const FORMATS: &'static [Format] = &[Format::Human, Format::Json];
}

impl Args {
    /// Prints the explanation of the file, or of its line, on standard output (in
    /// `--format json` the explain report of docs/report-schema.md). Exit 0.
    ///
    /// # Errors
    /// The rules do not load; [`Error::Input`]: the file cannot be read, is not inside the
    /// root, is not read as text by the rules' `[files]` globs, or has no such line.
    pub fn run(self, ui: Ui) -> Result<ExitStatus, Error> {
        let (file, line) = split_line(&self.target);
        let root = match &self.root {
            Some(root) => root.clone(),
            None => crate::site::site_root(&file),
        };
        let engine = self.rules.load_for(&root, ui)?;
        let text = std::fs::read_to_string(&file)
            .map_err(|e| Error::Input(format!("cannot read `{}`: {e}", file.display())))?;
        let absolute = |p: &Path| std::path::absolute(p).map_err(|e| Error::Input(e.to_string()));
        let abs = absolute(&file)?;
        let root_abs = absolute(&root)?;
        let rel = abs
            .strip_prefix(&root_abs)
            .map_err(|_| Error::Input(format!("`{}` is not inside `{}`", file.display(), root.display())))?;
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let kind = engine.rules().files.kind_of(&rel).ok_or_else(|| {
            Error::Input(format!(
                "`{rel}` is not read as text by the rules' [files] globs: nothing is rewritten in it"
            ))
        })?;
        if let Some(line) = line {
            // An empty answer would read as "nothing to explain on that line".
            let lines = audit::line_count(&text);
            if line == 0 || line > lines {
                return Err(Error::Input(format!(
                    "line {line} is out of range: `{}` has {}",
                    file.display(),
                    count(lines, "line", "lines")
                )));
            }
        }
        let explanation = audit::explanation(&engine, &rel, kind, &text, line);
        let out = match self.format.format {
            Format::Json => {
                let report = crate::report::json::ExplainReport::of(&explanation);
                serde_json::to_string_pretty(&report).map_err(Error::Json)? + "\n"
            }
            _ => explanation.render(),
        };
        let mut stdout = io::stdout().lock();
        stdout.write_all(out.as_bytes())?;
        stdout.flush()?;
        Ok(ExitStatus::Success)
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
