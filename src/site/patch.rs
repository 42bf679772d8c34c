//! Vendor patches: unified diffs applied to the rewritten tree.
//!
//! A `[[patch]]` file holds one or more file diffs as `git diff` or `diff -u` write them. [`parse`]
//! splits it into [`FilePatch`]es and checks every hunk and target path up front;
//! [`PatchFile::apply`] applies them in order to in-memory text, strictly: a hunk applies only
//! where its context and removed lines are found as they are (at any offset, never with fuzz),
//! and the first hunk that does not apply fails the whole patch with its number, `@@` header and
//! line in the patch file. This module does no I/O.

use std::collections::HashSet;
use std::fmt;

use diffy::{Line, Patch};

/// What applying a patch makes: (path, new text, or `None` for a deleted file), in the order
/// the patch first touches each path.
pub type Changes = Vec<(String, Option<String>)>;

/// A parsed patch file: its per-file diffs in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchFile {
    /// The patch file's name as errors show it (the path given to [`parse`]).
    pub name: String,
    /// The file diffs, in the order the patch file lists them.
    pub files: Vec<FilePatch>,
}

/// The diff of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePatch {
    /// Target path relative to the tree root, `/`-separated, with git's `a/` / `b/` prefixes
    /// stripped.
    pub path: String,
    /// Whether the diff modifies, creates or deletes the file.
    pub op: FileOp,
    /// 1-based line in the patch file where this file's diff starts (its `diff --git` line, or
    /// its `---` line when there is none).
    pub line: usize,
    /// This file's diff (headers and hunks), exactly as in the patch file, for diffy.
    text: String,
    /// Where each hunk is, in order.
    hunks: Vec<HunkInfo>,
}

/// Where one hunk of a [`FilePatch`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
struct HunkInfo {
    /// 1-based line of its `@@` header in the patch file.
    line: usize,
    /// Byte offset of its `@@` header in [`FilePatch::text`].
    offset: usize,
    /// The header up to its closing `@@` (`@@ -120,9 +120,0 @@`), without the function context.
    header: String,
}

/// What a [`FilePatch`] does to its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOp {
    /// The file exists and is changed.
    Modify,
    /// The file does not exist and is created (`--- /dev/null`).
    Create,
    /// The file exists and is deleted (`+++ /dev/null`): the hunks must remove all of it.
    Delete,
}

/// Why a hunk does not apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HunkFailure {
    /// A line the hunk removes or keeps is nowhere in the file (shown without its line ending).
    Missing(String),
    /// A line the hunk removes or keeps is in the file only with another line ending (CRLF
    /// against LF, or with against without a final newline).
    LineEnding(String),
    /// Every line is in the file, but not as one block (or only where an earlier hunk of the
    /// same diff already changed the file).
    NotTogether,
}

impl fmt::Display for HunkFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lead = "the lines it removes or keeps are not in the file";
        match self {
            HunkFailure::Missing(line) => write!(f, "{lead}: no line reads `{line}`"),
            HunkFailure::LineEnding(line) => write!(
                f,
                "{lead} with these line endings: `{line}` is there with a different one (CRLF, LF or no final newline)"
            ),
            HunkFailure::NotTogether => write!(f, "{lead} as one block"),
        }
    }
}

/// A patch file that cannot be read or does not apply. Every variant names the patch file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatchError {
    /// The text has no `--- ` / `+++ ` header pair and no `diff --git` line.
    #[error("patch `{patch}`: no file diff found (expected `--- a/PATH` / `+++ b/PATH` headers)")]
    NoFileDiff {
        /// The patch file.
        patch: String,
    },
    /// diffy could not parse a file diff, or a header cannot be read.
    #[error("patch `{patch}`, line {line}: malformed {part}: {message}")]
    Malformed {
        /// The patch file.
        patch: String,
        /// 1-based line in the patch file of the problem (the file diff's first line when the
        /// parser does not say).
        line: usize,
        /// `hunk` or `file header`.
        part: &'static str,
        /// What is wrong (diffy's message without its byte offset).
        message: String,
    },
    /// A kind of file diff that only applies to what a text tree cannot hold.
    #[error("patch `{patch}`, line {line}: `{path}`: {what}")]
    Unsupported {
        /// The patch file.
        patch: String,
        /// 1-based line in the patch file of the header that says so.
        line: usize,
        /// The target path.
        path: String,
        /// What is not supported, as a sentence.
        what: &'static str,
    },
    /// A target path is absolute or has a `..` component.
    #[error("patch `{patch}`, line {line}: `{path}` escapes the output root")]
    Escapes {
        /// The patch file.
        patch: String,
        /// 1-based line where the file diff starts.
        line: usize,
        /// The path as the patch gives it (git prefixes stripped).
        path: String,
    },
    /// A target path is empty (or only `.` components).
    #[error("patch `{patch}`, line {line}: empty target path")]
    EmptyPath {
        /// The patch file.
        patch: String,
        /// 1-based line where the file diff starts.
        line: usize,
    },
    /// The diff modifies or deletes a file the tree does not have.
    #[error("patch `{patch}`: `{path}` does not exist in the tree")]
    Missing {
        /// The patch file.
        patch: String,
        /// The target path.
        path: String,
    },
    /// The diff creates a file the tree already has.
    #[error("patch `{patch}`: `{path}` already exists in the tree (the patch creates it)")]
    Exists {
        /// The patch file.
        patch: String,
        /// The target path.
        path: String,
    },
    /// A hunk's context and removed lines are not found in the file.
    #[error(
        "patch `{patch}`: `{path}` hunk #{number} (`{header}`, patch line {line}) does not apply: {reason}"
    )]
    HunkFailed {
        /// The patch file.
        patch: String,
        /// The target path.
        path: String,
        /// 1-based number of the hunk within its file diff.
        number: usize,
        /// Its header up to the closing `@@`.
        header: String,
        /// 1-based line of the header in the patch file.
        line: usize,
        /// Why it does not apply.
        reason: HunkFailure,
    },
    /// A deletion diff leaves lines in the file.
    #[error("patch `{patch}`: `{path}` is not deleted: the file has lines the patch does not remove")]
    NotEmptied {
        /// The patch file.
        patch: String,
        /// The target path.
        path: String,
    },
}

/// Parses the patch file `name` (used in errors only) whose text is `text`.
///
/// The text is split into file diffs on `diff --git` lines and `--- ` / `+++ ` header pairs;
/// anything before the first (a commit message, `index` lines) is ignored. Each file diff's
/// hunks are parsed by diffy, and its target path is taken from the `+++` header (the `---` one
/// for a deletion), with a trailing tab and timestamp dropped, `a/` / `b/` stripped when both
/// headers carry them, and `.` components dropped.
///
/// Errors: [`PatchError::NoFileDiff`] when there is no file diff; [`PatchError::Malformed`] when
/// a hunk or header does not parse; [`PatchError::Escapes`] / [`PatchError::EmptyPath`] for a
/// target path that is absolute, has a `..` component or is empty;
/// [`PatchError::Unsupported`] for renames, copies, binary diffs, symbolic links and diffs with
/// no hunks that neither create nor delete a file (mode changes).
pub fn parse(name: &str, text: &str) -> Result<PatchFile, PatchError> {
    let sections = split(text);
    if sections.is_empty() {
        return Err(PatchError::NoFileDiff {
            patch: name.to_string(),
        });
    }
    let files = sections
        .into_iter()
        .map(|section| file_patch(name, section))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PatchFile {
        name: name.to_string(),
        files,
    })
}

impl PatchFile {
    /// Applies every file diff in order. `read(path)` returns the current text of a file of the
    /// tree (None when the tree has no such file); it is called at most once per path.
    ///
    /// Returns the new contents, one entry per path in the order the patch first touches it:
    /// (path, Some(text)) for modified and created files, (path, None) for deleted ones. A patch
    /// touching the same file twice sees its own earlier result, and the entry holds the last.
    ///
    /// Errors, for the first file diff that fails: [`PatchError::Missing`] (modify or delete of a
    /// file that does not exist), [`PatchError::Exists`] (create of one that does),
    /// [`PatchError::HunkFailed`] (a hunk whose context or removed lines are not in the file),
    /// [`PatchError::NotEmptied`] (a deletion that leaves lines).
    pub fn apply(
        &self,
        read: &mut dyn FnMut(&str) -> Option<String>,
    ) -> Result<Vec<(String, Option<String>)>, PatchError> {
        Ok(self.apply_noting(read)?.0)
    }

    /// [`PatchFile::apply`], and whether every file diff was found already in place: a file
    /// that reads as this diff's result (its reverse applies, and applying the diff again gives
    /// the file back) is left as it is rather than refused, so rules applied to their own
    /// output change nothing. A diff partly in place still fails, as any diff that does not
    /// apply.
    ///
    /// # Errors
    /// As [`PatchFile::apply`].
    pub fn apply_noting(
        &self,
        read: &mut dyn FnMut(&str) -> Option<String>,
    ) -> Result<(Changes, bool), PatchError> {
        let mut in_place = !self.files.is_empty();
        let mut out: Vec<(String, Option<String>)> = Vec::new();
        for file in &self.files {
            let slot = match out.iter().position(|(path, _)| *path == file.path) {
                Some(i) => i,
                None => {
                    let current = read(&file.path);
                    out.push((file.path.clone(), current));
                    out.len() - 1
                }
            };
            let current = out[slot].1.take();
            let (new, applied_before) = file.apply_to(&self.name, current)?;
            out[slot].1 = new;
            in_place &= applied_before;
        }
        Ok((out, in_place))
    }
}

impl FilePatch {
    /// Applies this diff to `current` (the file's text, None when it does not exist) and
    /// returns the new text (None when the file is deleted), and whether the diff was found in
    /// place already (a modified file that is this diff's result: left as it is).
    fn apply_to(
        &self,
        patch_name: &str,
        current: Option<String>,
    ) -> Result<(Option<String>, bool), PatchError> {
        let missing = || PatchError::Missing {
            patch: patch_name.to_string(),
            path: self.path.clone(),
        };
        let base = match (self.op, current) {
            (FileOp::Create, Some(_)) => {
                return Err(PatchError::Exists {
                    patch: patch_name.to_string(),
                    path: self.path.clone(),
                })
            }
            (FileOp::Create, None) => String::new(),
            (_, None) => return Err(missing()),
            (_, Some(text)) => text,
        };
        let patch = self.diffy(patch_name, &self.text)?;
        let new = match diffy::apply(&base, &patch) {
            Ok(new) => new,
            Err(e) => {
                // The diff's result already: its reverse applies, and the diff gives it back.
                let in_place = self.op == FileOp::Modify
                    && diffy::apply(&base, &patch.reverse())
                        .is_ok_and(|before| diffy::apply(&before, &patch).is_ok_and(|again| again == base));
                if in_place {
                    return Ok((Some(base), true));
                }
                return Err(self.hunk_failed(patch_name, &base, &e));
            }
        };
        match self.op {
            FileOp::Delete if !new.is_empty() => Err(PatchError::NotEmptied {
                patch: patch_name.to_string(),
                path: self.path.clone(),
            }),
            FileOp::Delete => Ok((None, false)),
            FileOp::Modify | FileOp::Create => Ok((Some(new), false)),
        }
    }

    /// diffy's parse of `text` (this diff, or a prefix of it), which [`parse`] already checked.
    fn diffy<'a>(&self, patch_name: &str, text: &'a str) -> Result<Patch<'a, str>, PatchError> {
        Patch::from_str(text).map_err(|e| malformed(patch_name, self.line, text, &e))
    }

    /// The error for diffy's failure to apply hunk `#n` (1-based, from its message) to `base`.
    fn hunk_failed(&self, patch_name: &str, base: &str, error: &diffy::ApplyError) -> PatchError {
        // diffy's `ApplyError` only displays the number: "error applying hunk #N".
        let number = error
            .to_string()
            .rsplit('#')
            .next()
            .and_then(|n| n.trim().parse::<usize>().ok())
            .filter(|&n| n >= 1)
            .unwrap_or(1);
        let info = self.hunks.get(number - 1);
        let reason = info
            .and_then(|info| self.diagnose(patch_name, base, number, info).ok())
            .unwrap_or(HunkFailure::NotTogether);
        PatchError::HunkFailed {
            patch: patch_name.to_string(),
            path: self.path.clone(),
            number,
            header: info.map_or_else(|| "@@ ? @@".to_string(), |h| h.header.clone()),
            line: info.map_or(self.line, |h| h.line),
            reason,
        }
    }

    /// Why hunk `number` does not apply: it is compared with the file as the earlier hunks of
    /// this diff left it (they applied, so applying them again cannot fail).
    fn diagnose(
        &self,
        patch_name: &str,
        base: &str,
        number: usize,
        info: &HunkInfo,
    ) -> Result<HunkFailure, PatchError> {
        let before = self.diffy(patch_name, &self.text[..info.offset])?;
        let image = diffy::apply(base, &before).unwrap_or_else(|_| base.to_string());
        let patch = self.diffy(patch_name, &self.text)?;
        let Some(hunk) = patch.hunks().get(number - 1) else {
            return Ok(HunkFailure::NotTogether);
        };
        let exact: HashSet<&str> = image.split_inclusive('\n').collect();
        let loose: HashSet<&str> = image.split_inclusive('\n').map(strip_eol).collect();
        for line in hunk.lines() {
            let (Line::Context(l) | Line::Delete(l)) = line else {
                continue;
            };
            if !exact.contains(l) {
                let shown = strip_eol(l).to_string();
                return Ok(if loose.contains(strip_eol(l)) {
                    HunkFailure::LineEnding(shown)
                } else {
                    HunkFailure::Missing(shown)
                });
            }
        }
        Ok(HunkFailure::NotTogether)
    }
}

/// `line` without its `\n` or `\r\n`.
fn strip_eol(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// One file diff as the splitter found it.
struct Section<'a> {
    /// 1-based line where it starts.
    line: usize,
    /// Its lines, with their line endings.
    text: String,
    /// What follows `diff --git ` on its first line, when it has one.
    git: Option<&'a str>,
    /// git's extended header lines (`new file mode`, `rename from`...) with their line numbers.
    git_headers: Vec<(usize, &'a str)>,
    /// Whether its `---` / `+++` pair was seen.
    has_headers: bool,
    hunks: Vec<HunkInfo>,
}

impl<'a> Section<'a> {
    fn new(line: usize, git: Option<&'a str>) -> Self {
        Section {
            line,
            text: String::new(),
            git,
            git_headers: Vec::new(),
            has_headers: false,
            hunks: Vec::new(),
        }
    }

    /// Whether a `---` / `+++` pair now belongs to this `diff --git` section (git writes its
    /// extended headers between the two).
    fn awaits_headers(&self) -> bool {
        self.git.is_some() && !self.has_headers && self.hunks.is_empty()
    }
}

/// Splits `text` into file diffs. Hunk bodies are consumed by the counts of their `@@` header,
/// as git does, so a removed line `-- x` followed by an added `++ y` is not taken for headers.
/// Text that is not a hunk after a file diff stays in it (diffy ignores trailing text and
/// rejects a hunk hidden behind it).
fn split(text: &str) -> Vec<Section<'_>> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut sections: Vec<Section<'_>> = Vec::new();
    // Old and new lines still expected in the current hunk body.
    let mut body = (0usize, 0usize);
    let mut i = 0;
    while i < lines.len() {
        let raw = lines[i];
        let number = i + 1;
        let content = strip_eol(raw);
        if body != (0, 0) {
            if let Some(section) = sections.last_mut() {
                let counted = match content.as_bytes().first() {
                    None | Some(b' ') => {
                        body = (body.0.saturating_sub(1), body.1.saturating_sub(1));
                        true
                    }
                    Some(b'-') => {
                        body.0 = body.0.saturating_sub(1);
                        true
                    }
                    Some(b'+') => {
                        body.1 = body.1.saturating_sub(1);
                        true
                    }
                    Some(b'\\') => true,
                    _ => false,
                };
                if counted {
                    section.text.push_str(raw);
                    i += 1;
                    continue;
                }
            }
            body = (0, 0);
        }
        if let Some(rest) = content.strip_prefix("diff --git ") {
            let mut section = Section::new(number, Some(rest));
            section.text.push_str(raw);
            sections.push(section);
            i += 1;
            continue;
        }
        if content.starts_with("--- ") && lines.get(i + 1).is_some_and(|next| next.starts_with("+++ ")) {
            if !sections.last().is_some_and(Section::awaits_headers) {
                sections.push(Section::new(number, None));
            }
            let section = sections.last_mut().expect("a section was just ensured");
            section.has_headers = true;
            section.text.push_str(raw);
            section.text.push_str(lines[i + 1]);
            i += 2;
            continue;
        }
        let Some(section) = sections.last_mut() else {
            // Before the first file diff: a commit message, a diffstat.
            i += 1;
            continue;
        };
        if content.starts_with("@@ ") {
            let (header, counts) = hunk_header(content);
            section.hunks.push(HunkInfo {
                line: number,
                offset: section.text.len(),
                header,
            });
            body = counts.unwrap_or((0, 0));
        } else if section.awaits_headers() {
            section.git_headers.push((number, content));
        }
        section.text.push_str(raw);
        i += 1;
    }
    sections
}

/// A hunk header's text up to its closing `@@`, and its old and new line counts when they read.
fn hunk_header(line: &str) -> (String, Option<(usize, usize)>) {
    let header = match line[3..].find(" @@") {
        Some(end) => &line[..3 + end + 3],
        None => line,
    };
    let count = |range: &str| match range.split_once(',') {
        Some((_, len)) => len.parse::<usize>().ok(),
        None => range.parse::<usize>().ok().map(|_| 1),
    };
    let counts = header
        .strip_prefix("@@ -")
        .and_then(|h| h.strip_suffix(" @@"))
        .and_then(|h| h.split_once(" +"))
        .and_then(|(old, new)| Some((count(old)?, count(new)?)));
    (header.to_string(), counts)
}

/// A [`PatchError::Malformed`] for diffy's parse error in `text`, a file diff starting at `line`.
fn malformed(patch: &str, line: usize, text: &str, error: &diffy::ParsePatchError) -> PatchError {
    // diffy displays "error parsing patch at byte N: KIND" (or without the offset); its span is
    // not public, so the offset is read back from the message to locate the line.
    let message = error.to_string();
    let (offset, kind) = match message.strip_prefix("error parsing patch at byte ") {
        Some(rest) => match rest.split_once(": ") {
            Some((n, kind)) => (n.parse::<usize>().ok(), kind.to_string()),
            None => (None, message.clone()),
        },
        None => (
            None,
            message
                .strip_prefix("error parsing patch: ")
                .unwrap_or(&message)
                .to_string(),
        ),
    };
    let at = offset.filter(|&o| o <= text.len() && text.is_char_boundary(o));
    let bad_line = at.map(|o| text[o..].lines().next().unwrap_or(""));
    let header_problem = kind.contains("filename")
        || kind.contains("'---'")
        || kind.contains("'+++'")
        || bad_line.is_some_and(|l| l.starts_with("--- ") || l.starts_with("+++ "));
    PatchError::Malformed {
        patch: patch.to_string(),
        line: line + at.map_or(0, |o| text[..o].matches('\n').count()),
        part: if header_problem { "file header" } else { "hunk" },
        message: kind,
    }
}

/// Builds one [`FilePatch`] from a section: parses it with diffy, finds its operation and path.
fn file_patch(name: &str, section: Section<'_>) -> Result<FilePatch, PatchError> {
    let header_error = |message: String| PatchError::Malformed {
        patch: name.to_string(),
        line: section.line,
        part: "file header",
        message,
    };
    let patch =
        Patch::from_str(&section.text).map_err(|e| malformed(name, section.line, &section.text, &e))?;
    let git_prefixed = section.git.map(|g| g.starts_with("a/") && g.contains(" b/"));
    let has_git_header = |prefix: &str| section.git_headers.iter().any(|(_, h)| h.starts_with(prefix));
    let (op, path) = match (patch.original(), patch.modified()) {
        (Some("/dev/null"), Some("/dev/null")) => {
            return Err(header_error("both `---` and `+++` are `/dev/null`".to_string()))
        }
        (Some("/dev/null"), Some(new)) => {
            let strip = git_prefixed.unwrap_or_else(|| new.starts_with("b/"));
            (FileOp::Create, strip_prefix(new, "b/", strip))
        }
        (Some(old), Some("/dev/null")) => {
            let strip = git_prefixed.unwrap_or_else(|| old.starts_with("a/"));
            (FileOp::Delete, strip_prefix(old, "a/", strip))
        }
        (Some(old), Some(new)) => {
            let strip = old.starts_with("a/") && new.starts_with("b/");
            (FileOp::Modify, strip_prefix(new, "b/", strip))
        }
        _ => {
            // A `diff --git` section with no `---` / `+++`: an empty file created or deleted,
            // a binary diff, a mode change or a pure rename.
            let git = section.git.unwrap_or_default();
            let path = git_line_path(git)
                .ok_or_else(|| header_error(format!("cannot read the paths of `diff --git {git}`")))?;
            let op = if has_git_header("new file mode") {
                FileOp::Create
            } else if has_git_header("deleted file mode") {
                FileOp::Delete
            } else {
                FileOp::Modify
            };
            (op, path)
        }
    };
    let path = target_path(name, section.line, path)?;

    let unsupported = |line: usize, what: &'static str| PatchError::Unsupported {
        patch: name.to_string(),
        line,
        path: path.clone(),
        what,
    };
    for &(line, header) in &section.git_headers {
        let what = if ["rename from", "rename to", "copy from", "copy to"]
            .iter()
            .any(|p| header.starts_with(p))
        {
            "renames and copies are not supported (write a deletion and a creation)"
        } else if header.starts_with("Binary files ") || header.starts_with("GIT binary patch") {
            "binary diffs are not supported"
        } else if (header.contains("mode ") || header.starts_with("index "))
            && (header.ends_with(" 120000") || header.ends_with(" 160000"))
        {
            "symbolic links and submodules are not supported"
        } else {
            continue;
        };
        return Err(unsupported(line, what));
    }
    if patch.hunks().is_empty() && op == FileOp::Modify {
        return Err(unsupported(
            section.line,
            "a diff without hunks changes nothing a text tree holds (mode changes are not supported)",
        ));
    }
    debug_assert_eq!(
        patch.hunks().len(),
        section.hunks.len(),
        "the splitter and diffy agree on hunks"
    );
    Ok(FilePatch {
        path,
        op,
        line: section.line,
        text: section.text,
        hunks: section.hunks,
    })
}

/// `path` without `prefix` when `strip` says so.
fn strip_prefix<'a>(path: &'a str, prefix: &str, strip: bool) -> &'a str {
    if strip {
        path.strip_prefix(prefix).unwrap_or(path)
    } else {
        path
    }
}

/// The path of a `diff --git a/P b/P` line (or `P P` with `--no-prefix`): both halves must name
/// the same file, as they do for everything but renames and copies.
fn git_line_path(rest: &str) -> Option<&str> {
    if rest.len() % 2 == 0 {
        return None;
    }
    let half = rest.len() / 2;
    if !rest.is_char_boundary(half) || rest.as_bytes()[half] != b' ' {
        return None;
    }
    let (old, new) = (&rest[..half], &rest[half + 1..]);
    match (old.strip_prefix("a/"), new.strip_prefix("b/")) {
        (Some(o), Some(n)) if o == n => Some(n),
        _ if old == new => Some(new),
        _ => None,
    }
}

/// Whether `path` starts like a Windows absolute path (`C:`), which would escape the root there.
fn has_drive_letter(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() >= 2
        && b[0].is_ascii_alphabetic()
        && b[1] == b':'
        && matches!(b.get(2), None | Some(b'/' | b'\\'))
}

/// Checks and normalises a target path: refuses absolute paths, drive letters and `..`
/// components (with `\` taken as a separator too), drops `.` and empty components.
fn target_path(patch: &str, line: usize, path: &str) -> Result<String, PatchError> {
    let escapes = path.starts_with('/')
        || path.starts_with('\\')
        || has_drive_letter(path)
        || path.split(['/', '\\']).any(|c| c == "..");
    if escapes {
        return Err(PatchError::Escapes {
            patch: patch.to_string(),
            line,
            path: path.to_string(),
        });
    }
    let parts: Vec<&str> = path.split('/').filter(|c| !c.is_empty() && *c != ".").collect();
    if parts.is_empty() {
        return Err(PatchError::EmptyPath {
            patch: patch.to_string(),
            line,
        });
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// Lines 113-160 of the Harvester docs' `docusaurus.config.js`.
    const CONFIG: &str = r#"        googleTagManager: {
          containerId: 'GTM-57KS2MW',
        },
      }),
    ],
  ],
  themeConfig: {
    zoom: {},
    algolia: {
      appId: 'U7QCSJFCWR',
      apiKey: '954c1b1327687e818ef6930a5e8f8770',
      indexName: 'harvester',
      contextualSearch: true,
      searchParameters: {},
      // Optional: path for search page that enabled by default (`false` to disable it)
      searchPagePath: 'search',
    },
    docs: {
      sidebar: {
        hideable: true,
      },
    },
    navbar: {
      logo: {
        alt: "Harvester Logo",
        src: "img/logo_horizontal.svg",
      },
      items: [
        {
          type: 'docsVersionDropdown',
          position: 'left',
          dropdownActiveClassDisabled: true,
        },
        {
          type: 'docSidebar',
          label: 'API',
          position: 'left',
          sidebarId: 'api',
        },
        {
          type: "localeDropdown",
          position: "left",
        },
        {
          type: 'search',
          position: 'left',
        },
        {
"#;

    const ALGOLIA: &str = r#"    algolia: {
      appId: 'U7QCSJFCWR',
      apiKey: '954c1b1327687e818ef6930a5e8f8770',
      indexName: 'harvester',
      contextualSearch: true,
      searchParameters: {},
      // Optional: path for search page that enabled by default (`false` to disable it)
      searchPagePath: 'search',
    },
"#;

    const DROPDOWN: &str = r#"        {
          type: 'docsVersionDropdown',
          position: 'left',
          dropdownActiveClassDisabled: true,
        },
"#;

    /// The two hunks `git diff` writes for removing [`ALGOLIA`] and [`DROPDOWN`] from [`CONFIG`].
    const CONFIG_HUNKS: &str = r#"@@ -6,15 +6,6 @@
   ],
   themeConfig: {
     zoom: {},
-    algolia: {
-      appId: 'U7QCSJFCWR',
-      apiKey: '954c1b1327687e818ef6930a5e8f8770',
-      indexName: 'harvester',
-      contextualSearch: true,
-      searchParameters: {},
-      // Optional: path for search page that enabled by default (`false` to disable it)
-      searchPagePath: 'search',
-    },
     docs: {
       sidebar: {
         hideable: true,
@@ -26,11 +17,6 @@
         src: "img/logo_horizontal.svg",
       },
       items: [
-        {
-          type: 'docsVersionDropdown',
-          position: 'left',
-          dropdownActiveClassDisabled: true,
-        },
         {
           type: 'docSidebar',
           label: 'API',
"#;

    /// `git format-patch` output: mail headers, diffstat, `diff --git`, `index`, the signature.
    fn format_patch() -> String {
        let head = "From d9d5a32a5f82f962f5f219db4ef8799f544aee50 Mon Sep 17 00:00:00 2001\n\
            From: Vendor <vendor@example.com>\n\
            Date: Sun, 22 Nov 2026 16:53:01 +0000\n\
            Subject: [PATCH] Drop Algolia search and the version dropdown\n\
            \n\
            ---\n \
            docusaurus.config.js | 14 --------------\n \
            1 file changed, 14 deletions(-)\n\
            \n\
            diff --git a/docusaurus.config.js b/docusaurus.config.js\n\
            index a19412c..ec1140e 100644\n\
            --- a/docusaurus.config.js\n\
            +++ b/docusaurus.config.js\n";
        format!("{head}{CONFIG_HUNKS}-- \n2.47.3\n")
    }

    fn branded() -> String {
        CONFIG.replace(ALGOLIA, "").replace(DROPDOWN, "")
    }

    type Applied = Result<Vec<(String, Option<String>)>, PatchError>;

    /// Applies `patch` to a tree held in a map; returns the result and the paths read.
    fn apply_to(patch: &PatchFile, tree: &[(&str, &str)]) -> (Applied, Vec<String>) {
        let tree: BTreeMap<&str, &str> = tree.iter().copied().collect();
        let mut reads = Vec::new();
        let result = patch.apply(&mut |path| {
            reads.push(path.to_string());
            tree.get(path).map(|t| t.to_string())
        });
        (result, reads)
    }

    fn one(path: &str, text: &str) -> Vec<(String, Option<String>)> {
        vec![(path.to_string(), Some(text.to_string()))]
    }

    #[test]
    fn git_format_patch_removes_the_algolia_block_and_the_version_dropdown() {
        let patch = parse("rules/x/patches/config.diff", &format_patch()).unwrap();
        assert_eq!(patch.name, "rules/x/patches/config.diff");
        assert_eq!(patch.files.len(), 1);
        let file = &patch.files[0];
        assert_eq!(
            (file.path.as_str(), file.op, file.line),
            ("docusaurus.config.js", FileOp::Modify, 10)
        );
        assert_eq!(
            file.hunks
                .iter()
                .map(|h| (h.line, h.header.as_str()))
                .collect::<Vec<_>>(),
            [(14, "@@ -6,15 +6,6 @@"), (30, "@@ -26,11 +17,6 @@")]
        );
        let (result, reads) = apply_to(&patch, &[("docusaurus.config.js", CONFIG)]);
        let expected = branded();
        assert!(!expected.contains("algolia") && !expected.contains("docsVersionDropdown"));
        assert_eq!(expected.lines().count(), 48 - 14);
        assert_eq!(result.unwrap(), one("docusaurus.config.js", &expected));
        assert_eq!(reads, ["docusaurus.config.js"]);
    }

    #[test]
    fn diff_u_headers_with_timestamps_name_the_new_file() {
        let text = format!(
            "--- docusaurus.config.js.orig\t2026-11-22 16:51:32.612051843 +0000\n\
             +++ docusaurus.config.js\t2026-11-22 16:51:31.430406416 +0000\n{CONFIG_HUNKS}"
        );
        let patch = parse("p.diff", &text).unwrap();
        assert_eq!(patch.files[0].path, "docusaurus.config.js");
        assert_eq!(patch.files[0].line, 1);
        assert_eq!(patch.files[0].hunks[0].line, 3);
        let (result, _) = apply_to(&patch, &[("docusaurus.config.js", CONFIG)]);
        assert_eq!(result.unwrap(), one("docusaurus.config.js", &branded()));
    }

    #[test]
    fn hunks_apply_at_an_offset_when_the_file_moved() {
        let moved = format!("// vendor header\n// two\n// three\n{CONFIG}");
        let patch = parse("p.diff", &format_patch()).unwrap();
        let (result, _) = apply_to(&patch, &[("docusaurus.config.js", &moved)]);
        assert_eq!(
            result.unwrap(),
            one(
                "docusaurus.config.js",
                &format!("// vendor header\n// two\n// three\n{}", branded())
            )
        );
        // Lines removed above the first hunk shift it the other way.
        let shorter = CONFIG.split_once('\n').unwrap().1;
        let (result, _) = apply_to(&patch, &[("docusaurus.config.js", shorter)]);
        assert_eq!(
            result.unwrap(),
            one("docusaurus.config.js", branded().split_once('\n').unwrap().1)
        );
    }

    #[test]
    fn a_stale_first_hunk_names_its_number_header_and_line() {
        let patch = parse("rules/x/patches/config.diff", &format_patch()).unwrap();
        let rewritten = CONFIG.replace("indexName: 'harvester'", "indexName: 'hypervisor'");
        let (result, _) = apply_to(&patch, &[("docusaurus.config.js", &rewritten)]);
        let error = result.unwrap_err();
        assert_eq!(
            error,
            PatchError::HunkFailed {
                patch: "rules/x/patches/config.diff".into(),
                path: "docusaurus.config.js".into(),
                number: 1,
                header: "@@ -6,15 +6,6 @@".into(),
                line: 14,
                reason: HunkFailure::Missing("      indexName: 'harvester',".into()),
            }
        );
        assert_eq!(
            error.to_string(),
            "patch `rules/x/patches/config.diff`: `docusaurus.config.js` hunk #1 (`@@ -6,15 +6,6 @@`, \
             patch line 14) does not apply: the lines it removes or keeps are not in the file: \
             no line reads `      indexName: 'harvester',`"
        );
        // No fuzz: a changed outer context line is enough to refuse the hunk (GNU patch would
        // apply it with fuzz 1).
        let rewritten = CONFIG.replace("    zoom: {},", "    zoom: { background: '#fff' },");
        let (result, _) = apply_to(&patch, &[("docusaurus.config.js", &rewritten)]);
        assert!(matches!(
            result.unwrap_err(),
            PatchError::HunkFailed { number: 1, line: 14, reason: HunkFailure::Missing(l), .. }
                if l == "    zoom: {},"
        ),);
    }

    #[test]
    fn a_stale_second_hunk_is_reported_after_the_first_applied() {
        let patch = parse("p.diff", &format_patch()).unwrap();
        // Every line is still there, but the block's order changed.
        let reordered = CONFIG.replace(
            "          position: 'left',\n          dropdownActiveClassDisabled: true,\n",
            "          dropdownActiveClassDisabled: true,\n          position: 'left',\n",
        );
        let (result, _) = apply_to(&patch, &[("docusaurus.config.js", &reordered)]);
        let error = result.unwrap_err();
        assert_eq!(
            error,
            PatchError::HunkFailed {
                patch: "p.diff".into(),
                path: "docusaurus.config.js".into(),
                number: 2,
                header: "@@ -26,11 +17,6 @@".into(),
                line: 30,
                reason: HunkFailure::NotTogether,
            }
        );
        assert!(error.to_string().ends_with(
            "hunk #2 (`@@ -26,11 +17,6 @@`, patch line 30) does not apply: \
             the lines it removes or keeps are not in the file as one block"
        ));
    }

    #[test]
    fn a_git_diff_of_several_files_creates_modifies_and_deletes_in_order() {
        let text = "diff --git a/crlf.txt b/crlf.txt\n\
            index b4ec4d1..c6d393e 100644\n\
            --- a/crlf.txt\n\
            +++ b/crlf.txt\n\
            @@ -1,3 +1,3 @@\n alpha\r\n-beta\r\n+BETA\r\n gamma\r\n\
            diff --git a/new.md b/new.md\n\
            new file mode 100644\n\
            index 0000000..2b09421\n\
            --- /dev/null\n\
            +++ b/new.md\n\
            @@ -0,0 +1,3 @@\n+# New page\n+\n+Hello.\n\
            diff --git a/nonl.txt b/nonl.txt\n\
            index 4c00b39..f5439c0 100644\n\
            --- a/nonl.txt\n\
            +++ b/nonl.txt\n\
            @@ -1,2 +1,2 @@\n line one\n-line two\n\\ No newline at end of file\n+line 2\n\\ No newline at end of file\n\
            diff --git a/old.md b/old.md\n\
            deleted file mode 100644\n\
            index c97461f..0000000\n\
            --- a/old.md\n\
            +++ /dev/null\n\
            @@ -1 +0,0 @@\n-old page\n";
        let patch = parse("p.diff", text).unwrap();
        assert_eq!(
            patch
                .files
                .iter()
                .map(|f| (f.path.as_str(), f.op, f.line))
                .collect::<Vec<_>>(),
            [
                ("crlf.txt", FileOp::Modify, 1),
                ("new.md", FileOp::Create, 10),
                ("nonl.txt", FileOp::Modify, 19),
                ("old.md", FileOp::Delete, 29),
            ]
        );
        let tree = [
            ("crlf.txt", "alpha\r\nbeta\r\ngamma\r\n"),
            ("nonl.txt", "line one\nline two"),
            ("old.md", "old page\n"),
        ];
        let (result, reads) = apply_to(&patch, &tree);
        assert_eq!(
            result.unwrap(),
            [
                (
                    "crlf.txt".to_string(),
                    Some("alpha\r\nBETA\r\ngamma\r\n".to_string())
                ),
                ("new.md".to_string(), Some("# New page\n\nHello.\n".to_string())),
                ("nonl.txt".to_string(), Some("line one\nline 2".to_string())),
                ("old.md".to_string(), None),
            ]
        );
        assert_eq!(reads, ["crlf.txt", "new.md", "nonl.txt", "old.md"]);
    }

    #[test]
    fn diff_u_files_follow_each_other() {
        let text = "--- a.md\t2026-01-01 00:00:00.000000000 +0000\n\
            +++ a.md\t2026-01-02 00:00:00.000000000 +0000\n\
            @@ -1 +1 @@\n-Harvester\n+Hypervisor\n\
            --- docs/b.md\t2026-01-01 00:00:00.000000000 +0000\n\
            +++ docs/b.md\t2026-01-02 00:00:00.000000000 +0000\n\
            @@ -1,2 +1 @@\n one\n-two\n";
        let patch = parse("p.diff", text).unwrap();
        assert_eq!(
            patch
                .files
                .iter()
                .map(|f| (f.path.as_str(), f.line))
                .collect::<Vec<_>>(),
            [("a.md", 1), ("docs/b.md", 6)]
        );
        let (result, _) = apply_to(&patch, &[("a.md", "Harvester\n"), ("docs/b.md", "one\ntwo\n")]);
        assert_eq!(
            result.unwrap(),
            [
                ("a.md".to_string(), Some("Hypervisor\n".to_string())),
                ("docs/b.md".to_string(), Some("one\n".to_string())),
            ]
        );
    }

    #[test]
    fn a_file_touched_twice_sees_its_earlier_result() {
        let text = "--- a/x.md\n+++ b/x.md\n@@ -1 +1 @@\n-one\n+two\n\
            --- a/x.md\n+++ b/x.md\n@@ -1 +1,2 @@\n two\n+three\n\
            --- a/x.md\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-two\n-three\n\
            --- /dev/null\n+++ b/x.md\n@@ -0,0 +1 @@\n+four\n";
        let patch = parse("p.diff", text).unwrap();
        let (result, reads) = apply_to(&patch, &[("x.md", "one\n")]);
        assert_eq!(result.unwrap(), one("x.md", "four\n"));
        assert_eq!(reads, ["x.md"]);
    }

    #[test]
    fn creating_needs_a_missing_file_and_modifying_an_existing_one() {
        let create = parse("c.diff", "--- /dev/null\n+++ b/new.md\n@@ -0,0 +1 @@\n+hi\n").unwrap();
        let (result, _) = apply_to(&create, &[("new.md", "already\n")]);
        let error = result.unwrap_err();
        assert_eq!(
            error,
            PatchError::Exists {
                patch: "c.diff".into(),
                path: "new.md".into()
            }
        );
        assert_eq!(
            error.to_string(),
            "patch `c.diff`: `new.md` already exists in the tree (the patch creates it)"
        );

        let modify = parse("m.diff", &format_patch()).unwrap();
        let (result, _) = apply_to(&modify, &[]);
        let error = result.unwrap_err();
        assert_eq!(
            error.to_string(),
            "patch `m.diff`: `docusaurus.config.js` does not exist in the tree"
        );

        let delete = parse("d.diff", "--- a/old.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-old\n").unwrap();
        let (result, _) = apply_to(&delete, &[]);
        assert!(matches!(result.unwrap_err(), PatchError::Missing { path, .. } if path == "old.md"));
    }

    #[test]
    fn a_deletion_must_remove_every_line() {
        let delete = parse("d.diff", "--- a/old.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-old\n").unwrap();
        let (result, _) = apply_to(&delete, &[("old.md", "old\nmore\n")]);
        let error = result.unwrap_err();
        assert_eq!(
            error.to_string(),
            "patch `d.diff`: `old.md` is not deleted: the file has lines the patch does not remove"
        );
    }

    #[test]
    fn git_creates_and_deletes_empty_files_without_hunks() {
        let text = "diff --git a/docs/.gitkeep b/docs/.gitkeep\n\
            new file mode 100644\n\
            index 0000000..e69de29\n\
            diff --git a/empty.md b/empty.md\n\
            deleted file mode 100644\n\
            index e69de29..0000000\n";
        let patch = parse("p.diff", text).unwrap();
        assert_eq!(
            patch
                .files
                .iter()
                .map(|f| (f.path.as_str(), f.op, f.line))
                .collect::<Vec<_>>(),
            [
                ("docs/.gitkeep", FileOp::Create, 1),
                ("empty.md", FileOp::Delete, 4)
            ]
        );
        let (result, _) = apply_to(&patch, &[("empty.md", "")]);
        assert_eq!(
            result.unwrap(),
            [
                ("docs/.gitkeep".to_string(), Some(String::new())),
                ("empty.md".to_string(), None)
            ]
        );
    }

    #[test]
    fn target_paths_that_escape_the_root_are_refused() {
        let cases = [
            (
                "--- a/x\n+++ b/../etc/passwd\n@@ -1 +1 @@\n-a\n+b\n",
                "../etc/passwd",
            ),
            ("--- ../x\n+++ ../x\n@@ -1 +1 @@\n-a\n+b\n", "../x"),
            ("--- /etc/x\n+++ /etc/x\n@@ -1 +1 @@\n-a\n+b\n", "/etc/x"),
            (
                "--- /dev/null\n+++ b/docs/../../x\n@@ -0,0 +1 @@\n+a\n",
                "docs/../../x",
            ),
            ("--- a/C:/x\n+++ b/C:/x\n@@ -1 +1 @@\n-a\n+b\n", "C:/x"),
        ];
        for (text, path) in cases {
            let text = format!("Subject: vendor\n\n{text}");
            assert_eq!(
                parse("p.diff", &text).unwrap_err(),
                PatchError::Escapes {
                    patch: "p.diff".into(),
                    line: 3,
                    path: path.into()
                },
                "{text}"
            );
        }
        let error = parse("p.diff", "--- a/x\n+++ b/../etc/passwd\n@@ -1 +1 @@\n-a\n+b\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "patch `p.diff`, line 1: `../etc/passwd` escapes the output root"
        );
        let error = parse("p.diff", "--- a/.\n+++ b/.\n@@ -1 +1 @@\n-a\n+b\n").unwrap_err();
        assert_eq!(error.to_string(), "patch `p.diff`, line 1: empty target path");
    }

    #[test]
    fn prefixes_are_stripped_only_when_both_headers_have_them() {
        let path = |text: &str| parse("p.diff", text).unwrap().files[0].path.clone();
        assert_eq!(
            path("--- a/b/x.md\n+++ b/b/x.md\n@@ -1 +1 @@\n-a\n+b\n"),
            "b/x.md"
        );
        assert_eq!(path("--- a/x.md\n+++ x.md\n@@ -1 +1 @@\n-a\n+b\n"), "x.md");
        assert_eq!(path("--- x.md\n+++ b/x.md\n@@ -1 +1 @@\n-a\n+b\n"), "b/x.md");
        assert_eq!(
            path("--- ./x.md\n+++ ./docs//x.md\n@@ -1 +1 @@\n-a\n+b\n"),
            "docs/x.md"
        );
        // `git diff --no-prefix`: the `diff --git` line decides for a creation.
        assert_eq!(
            path("diff --git b/x.md b/x.md\nnew file mode 100644\n--- /dev/null\n+++ b/x.md\n@@ -0,0 +1 @@\n+a\n"),
            "b/x.md"
        );
    }

    #[test]
    fn no_file_diff_is_an_error() {
        for text in ["", "Subject: nothing\n\njust prose\n", "@@ -1 +1 @@\n-a\n+b\n"] {
            let error = parse("p.diff", text).unwrap_err();
            assert_eq!(
                error.to_string(),
                "patch `p.diff`: no file diff found (expected `--- a/PATH` / `+++ b/PATH` headers)"
            );
        }
    }

    #[test]
    fn a_malformed_hunk_is_located_in_the_patch_file() {
        // The header promises three old lines, the body has two.
        let text = "preamble\n--- a/x.md\n+++ b/x.md\n@@ -1,3 +1,2 @@\n one\n-two\n+2\n";
        let error = parse("p.diff", text).unwrap_err();
        assert_eq!(
            error,
            PatchError::Malformed {
                patch: "p.diff".into(),
                line: 4,
                part: "hunk",
                message: "hunk header does not match hunk".into(),
            }
        );
        assert_eq!(
            error.to_string(),
            "patch `p.diff`, line 4: malformed hunk: hunk header does not match hunk"
        );
        let error = parse(
            "p.diff",
            "--- a/x.md\n+++ b/x.md\n@@ -1 +1 @@\n-a\n+b\njunk\n@@ -5 +5 @@\n-c\n+d\n",
        )
        .unwrap_err();
        assert!(
            matches!(&error, PatchError::Malformed { line: 7, part: "hunk", message, .. } if message.contains("orphaned hunk header")),
            "{error:?}"
        );
    }

    #[test]
    fn removed_and_added_lines_that_look_like_headers_stay_in_their_hunk() {
        let text = "--- a/x.sql\n+++ b/x.sql\n@@ -1,2 +1,2 @@\n--- a/comment\n+++ b/comment\n keep\n";
        let patch = parse("p.diff", text).unwrap();
        assert_eq!(patch.files.len(), 1);
        let (result, _) = apply_to(&patch, &[("x.sql", "-- a/comment\nkeep\n")]);
        assert_eq!(result.unwrap(), one("x.sql", "++ b/comment\nkeep\n"));
    }

    #[test]
    fn the_final_newline_is_added_removed_or_kept_as_the_patch_says() {
        let add = "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n one\n-two\n\\ No newline at end of file\n+two\n";
        let remove = "--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n one\n-two\n+two\n\\ No newline at end of file\n";
        let keep =
            "--- a/x\n+++ b/x\n@@ -1,2 +1,3 @@\n one\n+one and a half\n two\n\\ No newline at end of file\n";
        let run = |patch: &str, text: &str| apply_to(&parse("p.diff", patch).unwrap(), &[("x", text)]).0;
        assert_eq!(run(add, "one\ntwo").unwrap(), one("x", "one\ntwo\n"));
        assert_eq!(run(remove, "one\ntwo\n").unwrap(), one("x", "one\ntwo"));
        assert_eq!(
            run(keep, "one\ntwo").unwrap(),
            one("x", "one\none and a half\ntwo")
        );
        // A file that already is the patch's result is left as it is (in place).
        assert_eq!(run(add, "one\ntwo\n").unwrap(), one("x", "one\ntwo\n"));
        // A patch written for a file without a final newline does not apply to one with it.
        let error = run(keep, "one\ntwo\n").unwrap_err();
        assert!(
            matches!(&error, PatchError::HunkFailed { reason: HunkFailure::LineEnding(l), .. } if l == "two"),
            "{error:?}"
        );
    }

    #[test]
    fn crlf_files_take_crlf_patches_only() {
        let crlf_patch = "--- a/x.md\n+++ b/x.md\n@@ -1,2 +1,2 @@\n one\r\n-two\r\n+2\r\n";
        let lf_patch = "--- a/x.md\n+++ b/x.md\n@@ -1,2 +1,2 @@\n one\n-two\n+2\n";
        let run = |patch: &str, text: &str| apply_to(&parse("p.diff", patch).unwrap(), &[("x.md", text)]).0;
        assert_eq!(
            run(crlf_patch, "one\r\ntwo\r\n").unwrap(),
            one("x.md", "one\r\n2\r\n")
        );
        // A patch file saved with CRLF throughout applies to a CRLF file too.
        let all_crlf = crlf_patch.replace("\r\n", "\n").replace('\n', "\r\n");
        assert_eq!(
            run(&all_crlf, "one\r\ntwo\r\n").unwrap(),
            one("x.md", "one\r\n2\r\n")
        );
        let error = run(lf_patch, "one\r\ntwo\r\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "patch `p.diff`: `x.md` hunk #1 (`@@ -1,2 +1,2 @@`, patch line 3) does not apply: the lines it \
             removes or keeps are not in the file with these line endings: `one` is there with a different \
             one (CRLF, LF or no final newline)"
        );
    }

    #[test]
    fn renames_binary_diffs_links_and_mode_changes_are_refused() {
        let cases = [
            (
                "diff --git a/old.md b/new.md\nsimilarity index 90%\nrename from old.md\nrename to new.md\n\
                 --- a/old.md\n+++ b/new.md\n@@ -1 +1 @@\n-a\n+b\n",
                3,
                "new.md",
                "renames and copies are not supported (write a deletion and a creation)",
            ),
            (
                "diff --git a/logo.png b/logo.png\nindex 1111111..2222222 100644\n\
                 Binary files a/logo.png and b/logo.png differ\n",
                3,
                "logo.png",
                "binary diffs are not supported",
            ),
            (
                "diff --git a/link b/link\nnew file mode 120000\nindex 0000000..1111111\n\
                 --- /dev/null\n+++ b/link\n@@ -0,0 +1 @@\n+target\n\\ No newline at end of file\n",
                2,
                "link",
                "symbolic links and submodules are not supported",
            ),
            (
                "diff --git a/run.sh b/run.sh\nold mode 100644\nnew mode 100755\n",
                1,
                "run.sh",
                "a diff without hunks changes nothing a text tree holds (mode changes are not supported)",
            ),
        ];
        for (text, line, path, what) in cases {
            assert_eq!(
                parse("p.diff", text).unwrap_err(),
                PatchError::Unsupported {
                    patch: "p.diff".into(),
                    line,
                    path: path.into(),
                    what
                },
                "{text}"
            );
        }
    }

    #[test]
    fn a_hunk_header_keeps_up_to_its_closing_at_signs() {
        assert_eq!(
            hunk_header("@@ -120,9 +120,0 @@ module.exports = {"),
            ("@@ -120,9 +120,0 @@".to_string(), Some((9, 0)))
        );
        assert_eq!(
            hunk_header("@@ -1 +1 @@"),
            ("@@ -1 +1 @@".to_string(), Some((1, 1)))
        );
        assert_eq!(hunk_header("@@ -x +1 @@"), ("@@ -x +1 @@".to_string(), None));
        assert_eq!(hunk_header("@@ -1 +1"), ("@@ -1 +1".to_string(), None));
    }
}
