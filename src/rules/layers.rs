//! Composition: a rule file laid over the rule files it `extends`.
//!
//! ```toml
//! # rules/nqrust-hypervisor.toml: the whole site, on top of the product's brand rules
//! extends = ["nqrust-hypervisor/brand.toml"]
//! ```
//!
//! The files are read depth first: each file's `extends`, in the order listed (and what
//! they extend, before them), then the file itself; a file reached a second time (two
//! products extending one vendor file) is read once, at its first place. Each later file
//! takes precedence over the earlier ones, as [`RawRuleFile::laid_under`] says: arrays of
//! tables add up; a key of a table (`[files] omit`, `[site] anchors`) replaces the earlier
//! value whole; a `[[substitution]]` with the same `from` as an earlier file's takes its
//! place (see `Validator::duplicates`).
//!
//! The files' texts are kept end to end in one [`Sources`] text, and each file is parsed
//! at its own offset of it, so that every span of the rule set is a byte range of that
//! text and every diagnostic, made at any time, names the file and line the table was
//! written in.

use std::ops::Range;
use std::path::{Path, PathBuf};

use super::diagnostic::{locate, Diagnostic};
use super::model::{self, RawRuleFile};

/// Most rule files one rule set may be read from: a guard against runaway `extends`
/// chains, far above the three layers (vendor, product, site) a portfolio needs.
const MAX_FILES: usize = 64;

/// The texts of the rule files a rule set was read from, end to end (each followed by a
/// line break of its own, so that an offset at a file's very end is still that file's).
#[derive(Debug, Clone, Default)]
pub struct Sources {
    text: String,
    files: Vec<SourceFile>,
}

/// One rule file of a [`Sources`].
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path it was read from (as written in the `extends` that named it, joined to the
    /// folder of the file that did; the entry file as given).
    pub path: PathBuf,
    /// Its bytes in [`Sources::text`].
    pub range: Range<usize>,
}

impl Sources {
    /// Every file's text, end to end: spans of a rule set are byte ranges of it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The files, in the order they were read (the entry file first).
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The file that holds byte `offset` of [`Sources::text`] (the last one, for an offset
    /// past the end).
    ///
    /// # Panics
    /// When no file was read.
    pub fn file_at(&self, offset: usize) -> &SourceFile {
        let i = self.files.partition_point(|f| f.range.start <= offset);
        &self.files[i.saturating_sub(1)]
    }

    /// A diagnostic for the byte range `span` of [`Sources::text`], located in the file that
    /// holds its start.
    pub fn diagnostic(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let file = self.file_at(span.start);
        let base = file.range.start;
        let start = span.start.clamp(base, file.range.end);
        let end = span.end.clamp(start, file.range.end);
        Diagnostic::new(
            &file.path,
            &self.text[file.range.clone()],
            start - base..end - base,
            message,
        )
    }

    /// The file, the 1-based line and column and the text of the line of byte `offset`.
    pub fn locate(&self, offset: usize) -> (&Path, usize, usize, String) {
        let file = self.file_at(offset);
        let at = offset.clamp(file.range.start, file.range.end) - file.range.start;
        let (line, column, text) = locate(&self.text[file.range.clone()], at);
        (&file.path, line, column, text)
    }

    /// Adds the text of the file at `path` and reads it into the raw model, its spans
    /// offsets of [`Sources::text`]; the errors found are pushed to `errors`.
    fn add(&mut self, path: &Path, text: &str, errors: &mut Vec<Diagnostic>) -> RawRuleFile {
        let start = self.text.len();
        self.text.push_str(text);
        self.files.push(SourceFile {
            path: path.to_path_buf(),
            range: start..start + text.len(),
        });
        self.text.push('\n');
        // Parsed after as many spaces as the text before it has bytes, the file's spans are
        // its offsets in the whole text (TOML ignores leading whitespace).
        let padded = format!("{}{text}", " ".repeat(start));
        let (raw, found) = model::read(&padded);
        errors.extend(found.into_iter().map(|(span, message)| {
            let mut d = self.diagnostic(span, message.clone());
            if let Some(hint) = model::did_you_mean(&message).or_else(|| model::shape_hint(&message)) {
                d = d.with_hint(hint);
            }
            d
        }));
        raw
    }
}

/// Reads rule-file text `source` (read from `path`) and every rule file it extends: the
/// texts, and the raw model of the whole, each later file laid over the earlier ones.
///
/// Errors of every file are reported at once: TOML and model errors, and `extends` values
/// that cannot be read, lead back to a file already being read (a cycle), or make more
/// than [`MAX_FILES`] files; each points at the `extends` value that named the file.
pub(super) fn read(path: &Path, source: &str) -> (Sources, RawRuleFile, Vec<Diagnostic>) {
    let mut reading = Reading::default();
    let raw = reading.file(path, source, &mut Vec::new());
    // File by file, in the order read; in a file, in its order.
    let files = &reading.sources.files;
    let order = |d: &Diagnostic| (files.iter().position(|f| f.path == d.path), d.line, d.column);
    reading.errors.sort_by_key(order);
    (reading.sources, raw, reading.errors)
}

#[derive(Default)]
struct Reading {
    sources: Sources,
    errors: Vec<Diagnostic>,
    /// The canonical paths of the files read so far.
    seen: Vec<PathBuf>,
}

impl Reading {
    /// The raw model of the file at `path` with text `source`, laid over what it extends;
    /// `chain` holds the canonical paths of the files that extend it, nearest last.
    fn file(&mut self, path: &Path, source: &str, chain: &mut Vec<PathBuf>) -> RawRuleFile {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.seen.push(canonical.clone());
        chain.push(canonical);
        let mut raw = self.sources.add(path, source, &mut self.errors);
        let folder = path.parent().unwrap_or(Path::new(""));
        let mut under = RawRuleFile::default();
        for value in std::mem::take(&mut raw.extends) {
            let target = folder.join(value.get_ref());
            let real = std::fs::canonicalize(&target).unwrap_or_else(|_| target.clone());
            if let Some(at) = chain.iter().position(|c| *c == real) {
                let cycle: Vec<String> = chain[at..]
                    .iter()
                    .chain([&real])
                    .map(|p| {
                        format!(
                            "`{}`",
                            p.file_name().map_or(p.as_os_str(), |n| n).to_string_lossy()
                        )
                    })
                    .collect();
                let d = self
                    .sources
                    .diagnostic(
                        value.span(),
                        format!("`extends` makes a cycle: {}", cycle.join(" extends ")),
                    )
                    .with_hint("a rule file cannot extend itself, directly or through others");
                self.errors.push(d);
                continue;
            }
            if self.seen.contains(&real) {
                // Already laid under the whole at its first place.
                continue;
            }
            if self.sources.files.len() >= MAX_FILES {
                let d = self.sources.diagnostic(
                    value.span(),
                    format!("`extends` reads more than {MAX_FILES} rule files"),
                );
                self.errors.push(d);
                continue;
            }
            match std::fs::read_to_string(&target) {
                Ok(text) => {
                    let extended = self.file(&target, &text, chain);
                    under = under.laid_under(extended);
                }
                Err(e) => {
                    let d = self
                        .sources
                        .diagnostic(
                            value.span(),
                            format!("cannot read the extended rule file `{}`: {e}", target.display()),
                        )
                        .with_hint(
                            "`extends` paths are relative to the folder of the rule file that names them",
                        );
                    self.errors.push(d);
                }
            }
        }
        chain.pop();
        under.laid_under(raw)
    }
}
