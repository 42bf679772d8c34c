//! Rule-file diagnostics: `error:` prefix, `path:line:col`, the source line with a caret
//! under the spot, then a hint (the habit of `just` and `rustc`).

use std::fmt::{self, Write as _};
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::ansi::{BOLD, CYAN, RED, RESET, YELLOW};
use crate::finding::Level;

/// How bad a [`Diagnostic`] is, on the scale of findings: [`Level::Error`] refuses the rule
/// file (exit 2); [`Level::Warning`] lets it load and is printed on standard error;
/// `Info` is never given.
///
/// A diagnostic is not a [`crate::finding::Finding`]: it is about the rule file, not the tree,
/// it stops the run instead of being reported by it, and it prints as an error message with
/// its snippet (through the command line's one error type), never in a report.
pub type Severity = Level;

/// One problem in a rule file, located by line and column (both 1-based, columns counted in
/// characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Whether it refuses the rule file or only warns.
    pub severity: Severity,
    /// The rule file.
    pub path: PathBuf,
    /// 1-based line of the spot.
    pub line: usize,
    /// 1-based column (in characters) of the spot.
    pub column: usize,
    /// What is wrong, lowercase, values in backticks.
    pub message: String,
    /// The whole source line of the spot, for the snippet.
    pub source_line: String,
    /// How many characters the caret underline covers (at least 1). A `u32` keeps the
    /// diagnostic small enough to return in a `Result` (clippy's `result_large_err`).
    pub width: u32,
    /// A suggestion (`did you mean ...`), if any.
    pub hint: Option<String>,
}

/// The 1-based line, the 1-based column (in characters) and the text of the line (without
/// its line break) of byte `offset` of `text`.
pub fn locate(text: &str, offset: usize) -> (usize, usize, String) {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = text[..offset].matches('\n').count() + 1;
    let column = text[start..offset].chars().count() + 1;
    (line, column, text[start..end].trim_end_matches('\r').to_string())
}

impl Diagnostic {
    /// A diagnostic for the byte range `span` of `source` (the rule file's text).
    pub fn new(path: &Path, source: &str, span: Range<usize>, message: impl Into<String>) -> Self {
        let start = span.start.min(source.len());
        let line_end = source[start..].find('\n').map_or(source.len(), |i| start + i);
        let (line, column, source_line) = locate(source, start);
        let end = span.end.clamp(start, line_end);
        let width = u32::try_from(source[start..end].chars().count().max(1)).unwrap_or(u32::MAX);
        Diagnostic {
            severity: Level::Error,
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
            source_line,
            width,
            hint: None,
        }
    }

    /// The same diagnostic with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same diagnostic as a warning: printed as `warning:`, it does not refuse the file.
    pub fn as_warning(mut self) -> Self {
        self.severity = Level::Warning;
        self
    }

    /// The location and the source line with its caret, without the message line: `-->
    /// path:line:col`, the line, the caret, and the hint if any (no final line break).
    pub fn snippet(&self) -> String {
        let mut out = String::new();
        self.write_snippet(&mut out, Paint(false), "")
            .expect("writing to a String does not fail");
        out
    }

    /// The whole diagnostic, as [`Display`](fmt::Display) prints it (no final line break), in
    /// the colours of rustc's when `color`: the level in bold red or yellow, the message in
    /// bold, the gutter and arrow in cyan, the caret in the level's colour.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        let paint = Paint(color);
        let level = match self.severity {
            Level::Error => RED,
            _ => YELLOW,
        };
        let _ = writeln!(
            out,
            "{}{}",
            paint.on(&format!("{BOLD}{level}"), &format!("{}:", self.severity.name())),
            paint.on(BOLD, &format!(" {}", self.message))
        );
        let _ = self.write_snippet(&mut out, paint, level);
        out
    }

    fn write_snippet(&self, f: &mut impl fmt::Write, paint: Paint, level: &str) -> fmt::Result {
        let gutter = self.line.to_string().len();
        let pad = " ".repeat(gutter);
        let bar = paint.on(CYAN, "|");
        writeln!(
            f,
            "{pad}{} {}:{}:{}",
            paint.on(CYAN, "-->"),
            self.path.display(),
            self.line,
            self.column
        )?;
        writeln!(f, "{pad} {bar}")?;
        writeln!(
            f,
            "{} {bar} {}",
            paint.on(CYAN, &self.line.to_string()),
            self.source_line
        )?;
        let lead: String = self
            .source_line
            .chars()
            .take(self.column - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let caret = paint.on(&format!("{BOLD}{level}"), &"^".repeat(self.width as usize));
        write!(f, "{pad} {bar} {lead}{caret}")?;
        if let Some(hint) = &self.hint {
            write!(f, "\n{pad} {} {hint}", paint.on(CYAN, "= hint:"))?;
        }
        Ok(())
    }
}

/// Whether [`Diagnostic::render`] paints: `on` wraps a text in an ANSI style when it does.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn on(self, style: &str, text: &str) -> String {
        if self.0 {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// A rule file that could not be loaded: one or more [`Diagnostic`]s, or an I/O error. Its
/// message carries no `error:` prefix of its own except in each diagnostic's level line; the
/// command line adds it to a read error (`cli::Error`).
#[derive(Debug, thiserror::Error)]
pub enum RuleFileError {
    /// The file could not be read.
    #[error("cannot read rule file `{path}`: {source}")]
    Read {
        /// The rule file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file was read but is not a valid rule file; every problem found is listed.
    #[error("{}", display_all(.0))]
    Invalid(Vec<Diagnostic>),
}

fn display_all(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc() {
        let source = "[[substitution]]\nfrm = \"Harvester\"\n";
        let d = Diagnostic::new(Path::new("rules/x.toml"), source, 17..20, "unknown field `frm`")
            .with_hint("did you mean `from`?");
        assert_eq!((d.line, d.column), (2, 1));
        assert_eq!(
            d.to_string(),
            "error: unknown field `frm`\n --> rules/x.toml:2:1\n  |\n2 | frm = \"Harvester\"\n  | ^^^\n  = hint: did you mean `from`?"
        );
        // In colour: the same text with rustc's colours around its parts.
        let coloured = d.as_warning().render(true);
        assert_eq!(
            coloured,
            "\x1b[1m\x1b[33mwarning:\x1b[0m\x1b[1m unknown field `frm`\x1b[0m\n \x1b[36m-->\x1b[0m rules/x.toml:2:1\n  \
             \x1b[36m|\x1b[0m\n\x1b[36m2\x1b[0m \x1b[36m|\x1b[0m frm = \"Harvester\"\n  \x1b[36m|\x1b[0m \x1b[1m\x1b[33m^^^\x1b[0m\n  \
             \x1b[36m= hint:\x1b[0m did you mean `from`?"
        );
    }
}
