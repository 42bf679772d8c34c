//! Trees: walking the upstream input, rewriting each file once, and writing the branded
//! output atomically (a staging directory beside the target, swapped into place at the end).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::rewrite::{Cause, Engine, FileRewrite};
use crate::scan::FileKind;

/// The folder rebrand keeps its own files in, inside an output tree.
pub const STATE_DIR: &str = ".rebrand";
/// The marker file that says "rebrand wrote this tree" (inside [`STATE_DIR`]).
pub const MARKER: &str = "output.toml";
/// How many leading bytes are sniffed for a NUL byte to call a file binary (as git does).
pub const SNIFF_BYTES: usize = 8000;

/// An error that stops a run before anything is written.
#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    /// A file or directory could not be read or written.
    #[error("{action} `{}`: {source}", path.display())]
    Io {
        /// What was being done ("cannot read", "cannot write", ...).
        action: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
    /// The output directory is the input, inside it, or contains it.
    #[error("output `{}` {relation} input `{}`: choose an output outside the input tree", out.display(), input.display())]
    Overlap {
        /// The requested output.
        out: PathBuf,
        /// The input.
        input: PathBuf,
        /// "is the", "is inside the", "contains the".
        relation: &'static str,
    },
    /// The output exists, is not empty and was not written by rebrand.
    #[error("output `{}` exists, is not empty and was not written by rebrand (no `{STATE_DIR}/{MARKER}`): pass --force to replace it", .0.display())]
    ForeignOutput(PathBuf),
    /// Several files failed; all are listed.
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Many(Vec<TreeError>),
}

fn io_error<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> TreeError + 'a {
    move |source| TreeError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// What happened to one file of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Read as text of this kind; `substitutions` per rule index, `heading_ids` added.
    Rewritten {
        /// How the file was read.
        kind: FileKind,
        /// (substitution index, count) for every substitution that acted, by index.
        substitutions: Vec<(usize, usize)>,
        /// Explicit heading ids added to keep anchors.
        heading_ids: usize,
    },
    /// Read as text, nothing to change.
    Unchanged(FileKind),
    /// Not read as text: copied byte for byte.
    Copied(CopyReason),
    /// A symbolic link, recreated with the same target.
    Symlink,
    /// Not a regular file, directory or link (a FIFO, socket or device): not read, not
    /// written, reported.
    Special,
}

/// Why a file was copied as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyReason {
    /// No `[files]` glob takes it.
    NotIncluded,
    /// It has a NUL byte in its first [`SNIFF_BYTES`] bytes.
    Binary,
    /// It is not valid UTF-8 (reported: a text file the rules could not act on).
    NotUtf8,
}

/// One file of a run, by its `/`-separated path relative to the tree root.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// Relative path with `/` separators.
    pub path: String,
    /// What happened to it.
    pub outcome: Outcome,
    /// The review diff (only when asked for and the file changed).
    pub diff: Option<String>,
}

/// An entry of an input tree.
#[derive(Debug, Clone)]
struct Entry {
    rel: String,
    abs: PathBuf,
    kind: EntryKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Dir,
    File,
    Symlink,
    /// FIFOs, sockets, devices: reading one could block or never end.
    Special,
}

/// The outcome of an entry that is not read: a link or a special file.
fn not_read(kind: EntryKind) -> Outcome {
    match kind {
        EntryKind::Symlink => Outcome::Symlink,
        _ => Outcome::Special,
    }
}

/// Lists `root` in a stable order (by file name at each level), without following links.
fn walk(root: &Path) -> Result<Vec<Entry>, TreeError> {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for item in walkdir::WalkDir::new(root)
        .min_depth(1)
        .sort_by_file_name()
        .follow_links(false)
    {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                let source = e
                    .into_io_error()
                    .unwrap_or_else(|| io::Error::other("walk failed"));
                errors.push(TreeError::Io {
                    action: "cannot read",
                    path,
                    source,
                });
                continue;
            }
        };
        let rel = relative(root, item.path());
        let ft = item.file_type();
        let kind = if ft.is_symlink() {
            EntryKind::Symlink
        } else if ft.is_dir() {
            EntryKind::Dir
        } else if ft.is_file() {
            EntryKind::File
        } else {
            EntryKind::Special
        };
        entries.push(Entry {
            rel,
            abs: item.into_path(),
            kind,
        });
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(TreeError::Many(errors))
    }
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Renders the review diff of a changed file: `(relative path, old text, new text)`.
pub type RenderDiff<'a> = &'a (dyn Fn(&str, &str, &str) -> String + Sync);

/// A file read and rewritten in memory.
struct Processed {
    report: FileReport,
    /// The new text when the file changed.
    new_text: Option<String>,
}

/// Reads and rewrites one file; `diff` renders the review diff of a changed file.
fn process(engine: &Engine, entry: &Entry, diff: Option<RenderDiff<'_>>) -> Result<Processed, TreeError> {
    let copied = |reason| Processed {
        report: FileReport {
            path: entry.rel.clone(),
            outcome: Outcome::Copied(reason),
            diff: None,
        },
        new_text: None,
    };
    let Some(kind) = engine.rules().files.kind_of(&entry.rel) else {
        return Ok(copied(CopyReason::NotIncluded));
    };
    let bytes = fs::read(&entry.abs).map_err(io_error("cannot read", &entry.abs))?;
    if bytes[..bytes.len().min(SNIFF_BYTES)].contains(&0) {
        return Ok(copied(CopyReason::Binary));
    }
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok(copied(CopyReason::NotUtf8));
    };
    let rewrite = engine.rewrite(kind, text, &engine.active(&entry.rel));
    if rewrite.is_empty() {
        return Ok(Processed {
            report: FileReport {
                path: entry.rel.clone(),
                outcome: Outcome::Unchanged(kind),
                diff: None,
            },
            new_text: None,
        });
    }
    let new_text = rewrite.apply(text);
    let outcome = rewritten_outcome(kind, &rewrite);
    let diff = diff.map(|render| render(&entry.rel, text, &new_text));
    Ok(Processed {
        report: FileReport {
            path: entry.rel.clone(),
            outcome,
            diff,
        },
        new_text: Some(new_text),
    })
}

fn rewritten_outcome(kind: FileKind, rewrite: &FileRewrite) -> Outcome {
    let mut substitutions: Vec<(usize, usize)> = Vec::new();
    let mut heading_ids = 0;
    for e in &rewrite.edits {
        match e.cause {
            Cause::Substitution(i) => match substitutions.iter_mut().find(|(r, _)| *r == i) {
                Some((_, n)) => *n += 1,
                None => substitutions.push((i, 1)),
            },
            Cause::HeadingId => heading_ids += 1,
        }
    }
    substitutions.sort_unstable();
    Outcome::Rewritten {
        kind,
        substitutions,
        heading_ids,
    }
}

/// Rewrites every file of `input` in memory and reports what would change, writing nothing.
/// `diff(path, old, new)` renders the review diff of each changed file.
///
/// # Errors
/// [`TreeError`] naming every path that could not be read.
pub fn preview(
    engine: &Engine,
    input: &Path,
    diff: &(dyn Fn(&str, &str, &str) -> String + Sync),
) -> Result<Vec<FileReport>, TreeError> {
    let entries = walk(input)?;
    let results: Vec<Result<FileReport, TreeError>> = entries
        .par_iter()
        .filter(|e| e.kind != EntryKind::Dir)
        .map(|e| match e.kind {
            EntryKind::File => process(engine, e, Some(diff)).map(|p| p.report),
            _ => Ok(FileReport {
                path: e.rel.clone(),
                outcome: not_read(e.kind),
                diff: None,
            }),
        })
        .collect();
    collect(results)
}

fn collect<T>(results: Vec<Result<T, TreeError>>) -> Result<Vec<T>, TreeError> {
    let mut ok = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(v) => ok.push(v),
            Err(e) => errors.push(e),
        }
    }
    match errors.len() {
        0 => Ok(ok),
        1 => Err(errors.remove(0)),
        _ => Err(TreeError::Many(errors)),
    }
}

/// Options of [`apply`].
#[derive(Debug, Clone, Default)]
pub struct ApplyOptions {
    /// Replace an existing non-empty output that rebrand did not write.
    pub force: bool,
}

/// Writes the branded tree of `input` to `out`.
///
/// Every file of the input appears in the output: rewritten, or copied byte for byte
/// (permissions kept). The tree is written into a staging directory beside `out` and
/// swapped into place at the end, so an interrupted run leaves the previous output as it
/// was; the output carries a marker (`.rebrand/output.toml`) that lets a later run replace it.
///
/// # Errors
/// [`TreeError::Overlap`] for an output that is, is inside, or contains the input;
/// [`TreeError::ForeignOutput`] for a non-empty output without the marker (unless
/// `force`); [`TreeError::Io`] for any read or write failure, with nothing written.
pub fn apply(
    engine: &Engine,
    input: &Path,
    out: &Path,
    options: &ApplyOptions,
) -> Result<Applied, TreeError> {
    let input_abs = fs::canonicalize(input).map_err(io_error("cannot read", input))?;
    let out_abs = absolute_output(out)?;
    check_overlap(&input_abs, &out_abs, out, input)?;
    if !options.force && is_foreign(&out_abs)? {
        return Err(TreeError::ForeignOutput(out.to_path_buf()));
    }
    let parent = out_abs.parent().unwrap_or(Path::new("/"));
    fs::create_dir_all(parent).map_err(io_error("cannot create", parent))?;
    let stage_prefix = format!(
        ".{}.rebrand-staging-",
        out_abs.file_name().map_or("out".into(), |n| n.to_string_lossy())
    );
    let staging = tempfile::Builder::new()
        .prefix(&stage_prefix)
        .tempdir_in(parent)
        .map_err(io_error("cannot create a staging directory in", parent))?;
    let stage = staging.path();

    let entries = walk(&input_abs)?;
    for e in entries.iter().filter(|e| e.kind == EntryKind::Dir) {
        let dir = stage.join(&e.rel);
        fs::create_dir_all(&dir).map_err(io_error("cannot create", &dir))?;
    }
    let results: Vec<Result<FileReport, TreeError>> = entries
        .par_iter()
        .filter(|e| e.kind != EntryKind::Dir)
        .map(|e| write_entry(engine, e, &stage.join(&e.rel)))
        .collect();
    let reports = collect(results)?;
    // Directory permissions last, deepest first, so read-only directories can be filled.
    for e in entries.iter().rev().filter(|e| e.kind == EntryKind::Dir) {
        let perms = fs::metadata(&e.abs)
            .map_err(io_error("cannot read", &e.abs))?
            .permissions();
        let dir = stage.join(&e.rel);
        fs::set_permissions(&dir, perms).map_err(io_error("cannot set permissions of", &dir))?;
    }
    let state = stage.join(STATE_DIR);
    fs::create_dir_all(&state).map_err(io_error("cannot create", &state))?;
    let marker = state.join(MARKER);
    let marker_text = format!(
        "# Written by rebrand; a later `rebrand apply` may replace this tree.\ntool_version = \"{}\"\nrules = \"{}\"\n",
        env!("CARGO_PKG_VERSION"),
        engine.rules().path.display().to_string().replace('\\', "/").replace('"', "\\\"")
    );
    fs::write(&marker, marker_text).map_err(io_error("cannot write", &marker))?;
    let mut warnings = Vec::new();
    if let Some(previous) = swap_into_place(staging, &out_abs)? {
        // The branded tree is in place: failing to clean up is worth a warning, not a failure.
        if let Err(e) = remove_previous(&previous) {
            warnings.push(format!(
                "the previous output is left at `{}`: cannot remove it: {e}",
                previous.display()
            ));
        }
    }
    Ok(Applied {
        files: reports,
        warnings,
    })
}

/// What [`apply`] did.
#[derive(Debug, Clone)]
pub struct Applied {
    /// One report per file, link or special file of the input, in walk order.
    pub files: Vec<FileReport>,
    /// Problems that did not stop the run (the previous output could not be removed).
    pub warnings: Vec<String>,
}

fn write_entry(engine: &Engine, entry: &Entry, dest: &Path) -> Result<FileReport, TreeError> {
    match entry.kind {
        EntryKind::Symlink => {
            let target = fs::read_link(&entry.abs).map_err(io_error("cannot read", &entry.abs))?;
            symlink(&target, dest).map_err(io_error("cannot write", dest))?;
        }
        // Directories are made before the files and never reach here.
        EntryKind::File | EntryKind::Dir => return write_file(engine, entry, dest),
        EntryKind::Special => {}
    }
    Ok(FileReport {
        path: entry.rel.clone(),
        outcome: not_read(entry.kind),
        diff: None,
    })
}

/// Writes a regular file: rewritten, or copied as it is.
fn write_file(engine: &Engine, entry: &Entry, dest: &Path) -> Result<FileReport, TreeError> {
    let processed = process(engine, entry, None)?;
    match &processed.new_text {
        Some(text) => {
            fs::write(dest, text).map_err(io_error("cannot write", dest))?;
            let perms = fs::metadata(&entry.abs)
                .map_err(io_error("cannot read", &entry.abs))?
                .permissions();
            fs::set_permissions(dest, perms).map_err(io_error("cannot set permissions of", dest))?;
        }
        None => {
            fs::copy(&entry.abs, dest).map_err(io_error("cannot copy to", dest))?;
        }
    }
    Ok(processed.report)
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(_target: &Path, link: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        format!("symbolic links are not supported here: {}", link.display()),
    ))
}

/// `out` made absolute without requiring it to exist (its parent is canonicalized when it
/// exists, so links in the parent path are resolved as for the input).
fn absolute_output(out: &Path) -> Result<PathBuf, TreeError> {
    if out.exists() {
        return fs::canonicalize(out).map_err(io_error("cannot read", out));
    }
    let abs = std::path::absolute(out).map_err(io_error("cannot resolve", out))?;
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) if parent.exists() => Ok(fs::canonicalize(parent)
            .map_err(io_error("cannot read", parent))?
            .join(name)),
        _ => Ok(abs),
    }
}

fn check_overlap(input: &Path, out: &Path, out_given: &Path, input_given: &Path) -> Result<(), TreeError> {
    let relation = if out == input {
        "is the"
    } else if out.starts_with(input) {
        "is inside the"
    } else if input.starts_with(out) {
        "contains the"
    } else {
        return Ok(());
    };
    Err(TreeError::Overlap {
        out: out_given.to_path_buf(),
        input: input_given.to_path_buf(),
        relation,
    })
}

/// Whether `out` is a non-empty directory (or a file) that rebrand did not write.
fn is_foreign(out: &Path) -> Result<bool, TreeError> {
    match fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(TreeError::Io {
            action: "cannot read",
            path: out.to_path_buf(),
            source: e,
        }),
        Ok(m) if !m.is_dir() => Ok(true),
        Ok(_) => {
            let empty = fs::read_dir(out)
                .map_err(io_error("cannot read", out))?
                .next()
                .is_none();
            Ok(!empty && !out.join(STATE_DIR).join(MARKER).is_file())
        }
    }
}

/// Puts the staged tree at `out`: an atomic exchange where the system has one (Linux
/// `renameat2(RENAME_EXCHANGE)`), else two renames. Returns where the previous output went,
/// if there was one, for the caller to remove.
fn swap_into_place(staging: tempfile::TempDir, out: &Path) -> Result<Option<PathBuf>, TreeError> {
    let stage = staging.keep();
    if fs::symlink_metadata(out).is_err() {
        fs::rename(&stage, out).map_err(io_error("cannot move the staged tree to", out))?;
        return Ok(None);
    }
    #[cfg(target_os = "linux")]
    {
        let flags = rustix::fs::RenameFlags::EXCHANGE;
        if rustix::fs::renameat_with(rustix::fs::CWD, &stage, rustix::fs::CWD, out, flags).is_ok() {
            // `stage` now holds the previous output.
            return Ok(Some(stage));
        }
    }
    let mut old = stage.clone().into_os_string();
    old.push(".previous");
    let old = PathBuf::from(old);
    fs::rename(out, &old).map_err(io_error("cannot move aside", out))?;
    fs::rename(&stage, out).map_err(io_error("cannot move the staged tree to", out))?;
    Ok(Some(old))
}

/// `perms` with the owner's read, write and search bits set.
#[cfg(unix)]
fn owner_writable(perms: fs::Permissions) -> fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    fs::Permissions::from_mode(perms.mode() | 0o700)
}

#[cfg(not(unix))]
fn owner_writable(mut perms: fs::Permissions) -> fs::Permissions {
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    perms
}

/// Removes a previous output (a tree, or a file `--force` replaced). Read-only directories
/// in it, copied from a read-only input, are made writable first.
fn remove_previous(path: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(path)?;
    if !meta.is_dir() {
        return fs::remove_file(path);
    }
    match fs::remove_dir_all(path) {
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            for entry in walkdir::WalkDir::new(path).into_iter().filter_map(Result::ok) {
                if entry.file_type().is_dir() {
                    fs::set_permissions(entry.path(), owner_writable(entry.metadata()?.permissions()))?;
                }
            }
            fs::remove_dir_all(path)
        }
        other => other,
    }
}
