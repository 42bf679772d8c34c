//! Trees: walking the upstream input, planning the branded output in memory (rewritten
//! files, renames, overlay, vendor patches), and writing it atomically (a staging directory
//! beside the target, swapped into place at the end).
//!
//! [`plan`] does all the deciding and reads nothing twice; [`preview`] is a plan shown as a
//! diff, [`apply`] is a plan written out (into the staging folder as it is made, when no rule
//! needs the whole tree read first, so that memory holds a few files at a time). Any error
//! stops the run before the output is touched.

mod incremental;
pub mod index;
mod output;
pub mod state;
mod symlinks;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use index::Index;

use crate::rewrite::{Active, Cause, Edit, Engine, FileRewrite};
use crate::rules::{AnchorMode, AssetRemap, Diagnostic, PatchRule, RuleSet};
use crate::scan::FileKind;
use crate::site::patch::{self, PatchError};
use crate::site::references::Retarget;
use crate::site::rename::PathMap;
use crate::site::{Generator, SiteModel};
use output::{
    absolute_output, check_overlap, link_on_the_way, occupants, remove_previous, stage_beside,
    swap_into_place, symlink,
};
pub use output::{Occupants, VCS_NAMES};
pub use symlinks::LinkTarget;

pub use crate::walk::STATE_DIR;
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
    /// The output exists and holds what rebrand did not write (files not in its lock,
    /// hand edits, version-control folders): replacing it would lose them.
    #[error("{}", occupied_message(.out, .occupants, *.forced))]
    OccupiedOutput {
        /// The output as given.
        out: PathBuf,
        /// What it holds besides rebrand's own files.
        occupants: Box<Occupants>,
        /// Whether `--force` was given (then only version-control folders refuse).
        forced: bool,
    },
    /// A rule of the rule file cannot be carried out (a missing overlay folder, an asset
    /// remap to nothing, a rename collision); the diagnostic points at the rule.
    #[error("{0}")]
    Rule(Box<Diagnostic>),
    /// A vendor patch does not apply.
    #[error("{0}")]
    Patch(#[from] PatchError),
    /// Several files failed; all are listed.
    #[error("{}", .0.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
    Many(Vec<TreeError>),
}

/// How many paths of each kind an [`TreeError::OccupiedOutput`] names.
const NAMED: usize = 5;

/// The message of [`TreeError::OccupiedOutput`]: what the output holds, by kind, the first
/// few paths of each with counts, and what to do instead. No `error:` prefix: the command
/// line adds it.
fn occupied_message(out: &Path, occupants: &Occupants, forced: bool) -> String {
    let mut text = format!("output `{}` ", out.display());
    if occupants.not_a_folder {
        text.push_str("exists and is not a folder: pass --force to replace it");
        return text;
    }
    text.push_str(if forced && !occupants.version_control.is_empty() {
        "holds version control, which rebrand never deletes, not even with --force:"
    } else {
        "holds what rebrand did not write; replacing it would lose:"
    });
    let kinds = [
        (
            "version-control folder",
            "version-control folders",
            &occupants.version_control,
        ),
        (
            "file rebrand did not write",
            "files rebrand did not write",
            &occupants.foreign,
        ),
        (
            "file edited since rebrand wrote it",
            "files edited since rebrand wrote them",
            &occupants.edited,
        ),
    ];
    for (one, many, paths) in kinds {
        if paths.is_empty() {
            continue;
        }
        let what = if paths.len() == 1 { one } else { many };
        let _ = std::fmt::Write::write_fmt(&mut text, format_args!("\n  {} {what}:", paths.len()));
        for p in paths.iter().take(NAMED) {
            let _ = std::fmt::Write::write_fmt(&mut text, format_args!(" `{p}`"));
        }
        if paths.len() > NAMED {
            text.push_str(" ...");
        }
    }
    text.push_str("\nhelp: `rebrand sync --upstream DIR --downstream DIR` brings upstream into a tree people edit, keeping their files and edits");
    if occupants.version_control.is_empty() {
        text.push_str("; `apply --force` replaces the folder and loses them");
    } else {
        text.push_str("; `apply` writes a whole new tree: give it an output outside the repository");
    }
    text
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
        /// Link targets, image paths and doc ids changed to follow renames, renamed anchors
        /// and asset remaps.
        references: usize,
    },
    /// Read as text, nothing to change.
    Unchanged(FileKind),
    /// Not read as text: copied byte for byte.
    Copied(CopyReason),
    /// A symbolic link, never followed: recreated with the same target, unless it leads
    /// out of the tree ([`LinkTarget::Outside`]: not written).
    Symlink {
        /// The target, as the link holds it.
        target: PathBuf,
        /// Where it leads.
        leads: LinkTarget,
    },
    /// Not a regular file, directory or link (a FIFO, socket or device): not read, not
    /// written, reported.
    Special,
    /// A file of the `[overlay]` folder; `replaced` tells whether the tree had a file at its
    /// path, `asset_target` whether an `[[asset]]` remap sends references to it (one that
    /// does neither may be a typo).
    Overlay {
        /// Whether it took the place of a file of the tree.
        replaced: bool,
        /// Whether an `[[asset]]` rule remaps an upstream file to its path: the vendor's
        /// file under its own name, meant to be new.
        asset_target: bool,
    },
    /// A file a vendor patch created.
    Created,
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

/// One file of a run.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// Its upstream path, relative and `/`-separated (for an overlay file, its path in the
    /// overlay folder; for a file a patch created, its output path).
    pub path: String,
    /// Its output path when a rename changed it.
    pub renamed_to: Option<String>,
    /// What happened to it.
    pub outcome: Outcome,
    /// Whether a vendor patch changed it after rewriting.
    pub patched: bool,
    /// The edits left out because they overlapped an edit made before them, each as
    /// `line: what it would have done` (see [`crate::rewrite::Edits::merge`]).
    pub refused: Vec<String>,
}

impl Outcome {
    /// For a rewritten file, its edit counts: substitutions (all rules together), heading
    /// ids added and references rewritten; `None` for any other outcome.
    pub fn edit_counts(&self) -> Option<(usize, usize, usize)> {
        match self {
            Outcome::Rewritten {
                substitutions,
                heading_ids,
                references,
                ..
            } => Some((
                substitutions.iter().map(|(_, n)| n).sum(),
                *heading_ids,
                *references,
            )),
            _ => None,
        }
    }
}

impl FileReport {
    fn new(path: &str, outcome: Outcome) -> FileReport {
        FileReport {
            path: path.to_string(),
            renamed_to: None,
            outcome,
            patched: false,
            refused: Vec::new(),
        }
    }

    /// Its path in the output tree.
    pub fn out_path(&self) -> &str {
        self.renamed_to.as_deref().unwrap_or(&self.path)
    }
}

/// Where the bytes of a planned output file come from.
#[derive(Debug, Clone)]
pub enum Content {
    /// New text (rewritten or patched).
    Text(String),
    /// The text of an unchanged input file, read already: `apply` writes it as it is rather
    /// than read the file again.
    Unchanged(String),
    /// The bytes of this file, as they are (an unchanged input file, an overlay file).
    Copy(PathBuf),
    /// A symbolic link with this target.
    Symlink(PathBuf),
    /// Nothing is written (a special file).
    Nothing,
    /// Already written into [`apply`]'s staged tree as the plan was made (when no rule needs
    /// the whole tree read first), with its lock entry.
    Staged(state::Locked),
}

/// One file of the output tree, decided but not written.
#[derive(Debug, Clone)]
pub struct Planned {
    /// What happened, for the summary.
    pub report: FileReport,
    /// The upstream text, when the file was read as text (for the review diff).
    pub old: Option<String>,
    /// The upstream file this one replaces, when it is not `old` (an overlay file's).
    pub replaces: Option<PathBuf>,
    /// The upstream or overlay file whose permissions the output keeps.
    pub source: Option<PathBuf>,
    /// The permissions of `source`, when they were taken as it was read.
    pub permissions: Option<fs::Permissions>,
    /// The hash of the upstream text, taken when it was read (for the lock).
    pub input_hash: Option<String>,
    /// What is written.
    pub content: Content,
}

/// The whole branded tree, decided in memory: what [`preview`] shows and [`apply`] writes.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Every output file, link and special file, sorted by output path.
    pub files: Vec<Planned>,
    /// Output folders with the upstream folder whose permissions they take.
    dirs: Vec<(String, Option<PathBuf>)>,
    /// Upstream paths left out: their locale is dropped (`[locales] drop`) or a `[files]
    /// omit` glob takes them.
    pub dropped: Vec<String>,
    /// The URLs renames move, sorted: what a redirect plugin needs.
    pub redirects: Vec<Redirect>,
    /// The staged tree files were written into as they were planned ([`Content::Staged`]).
    stage: Option<PathBuf>,
    /// `[[patch]]` files whose every diff was found in place already, and were skipped.
    pub patches_in_place: Vec<String>,
}

/// A page URL that a rename moved (site paths, Docusaurus permalinks).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Redirect {
    /// The upstream URL (`/v1.5/install/harvester-configuration`).
    pub from: String,
    /// The branded site's URL (`/v1.5/install/hypervisor-configuration`).
    pub to: String,
}

/// An entry of an input tree.
#[derive(Debug, Clone)]
struct Entry {
    rel: String,
    abs: PathBuf,
    kind: EntryKind,
    /// A link's target and where it leads (`None` for anything else).
    link: Option<(PathBuf, LinkTarget)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Dir,
    File,
    Symlink,
    /// FIFOs, sockets, devices: reading one could block or never end.
    Special,
}

/// Lists the tree at `root` as every command sees it ([`crate::walk`], with the policy
/// [`crate::site::walk_policy`] gives the tree: version control and `.rebrand` at the root,
/// the build folders of the generator whose site it is), without following links. Each
/// link's target is read and resolved inside the tree ([`LinkTarget`]). A name that is not
/// UTF-8 is an error: paths are kept as UTF-8 text (globs, renames, reports), so such a file
/// would be written under another name.
fn walk(root: &Path) -> Result<Vec<Entry>, TreeError> {
    walk_with(root, &crate::site::walk_policy(root))
}

/// Lists the `[overlay]` folder at `dir`: no site, so only what every walk leaves out is left
/// out ([`crate::walk::Policy::new`]: version control and `.rebrand` at its root).
fn walk_overlay(dir: &Path) -> Result<Vec<Entry>, TreeError> {
    walk_with(dir, &crate::walk::Policy::new())
}

/// [`walk`] with the given `policy`.
fn walk_with(root: &Path, policy: &crate::walk::Policy) -> Result<Vec<Entry>, TreeError> {
    let entries = crate::walk::walk(root, policy).map_err(|errors| {
        TreeError::Many(
            errors
                .into_iter()
                .map(|e| {
                    let (action, path, source) = e.into_parts();
                    TreeError::Io { action, path, source }
                })
                .collect(),
        )
    })?;
    Ok(entries
        .into_iter()
        .map(|e| {
            let (kind, link) = match e.kind {
                crate::walk::Kind::Dir => (EntryKind::Dir, None),
                crate::walk::Kind::File => (EntryKind::File, None),
                crate::walk::Kind::Special => (EntryKind::Special, None),
                crate::walk::Kind::Symlink(target) => {
                    let leads = symlinks::leads(root, Path::new(&e.rel), &target);
                    (EntryKind::Symlink, Some((target, leads)))
                }
            };
            Entry {
                rel: e.rel,
                abs: e.path,
                kind,
                link,
            }
        })
        .collect())
}

/// A file read as text, with the edits the rules make to it.
struct Read {
    kind: FileKind,
    text: String,
    /// [`state::hash`] of `text`.
    hash: String,
    rewrite: FileRewrite,
    /// The file's permissions, taken from the handle it was read through.
    permissions: fs::Permissions,
}

/// The rewrites one run made, by what decides a rewrite ([`Engine::rewrite`]): the file's
/// kind, the rules acting on its path ([`Engine::active`]) and its text, by [`state::hash`].
/// A text met again under the same rules is not scanned again: the versioned doc folders
/// of a Docusaurus site repeat most pages (a third of the Harvester docs' files, two fifths
/// of their bytes, repeat another file). It holds the edits, not the texts, of texts up to
/// [`Rewrites::LARGEST`] bytes, and at most [`Rewrites::CAPACITY`] of them: when full it
/// starts again, so that memory stays bounded
/// on a tree of any size while repeats close together in the walk (the same page in the
/// next version's folder) are still met.
#[derive(Default)]
struct Rewrites(std::sync::Mutex<HashMap<[u8; 32], FileRewrite>>);

impl Rewrites {
    /// How many rewrites are kept at most: a few megabytes of edits, and more than the
    /// files of one version of the Harvester docs (about 150) many times over.
    const CAPACITY: usize = 4096;
    /// The largest text kept, in bytes: pages and specs repeat (the Harvester docs' API
    /// specs are half a megabyte, one per version), a file of hundreds of megabytes does
    /// not, and its edits would be kept twice.
    const LARGEST: usize = 4 << 20;

    /// The rewrite of `text` (whose hash is `hash`, of kind `kind`) under `active`, made
    /// once per run for each distinct key while it is kept. Its spans are left out: nothing
    /// after the rewrite needs them, and they are as large as the text.
    fn of(&self, engine: &Engine, kind: FileKind, text: &str, hash: &str, active: &Active) -> FileRewrite {
        let make = || FileRewrite {
            spans: Vec::new(),
            ..engine.rewrite(kind, text, active)
        };
        if text.len() > Rewrites::LARGEST {
            return make();
        }
        let lock = || self.0.lock().unwrap_or_else(|e| e.into_inner());
        // The three parts of the key, hashed into one (no text is kept).
        struct Key(blake3::Hasher);
        impl std::hash::Hasher for Key {
            fn write(&mut self, bytes: &[u8]) {
                self.0.update(bytes);
            }
            fn finish(&self) -> u64 {
                unreachable!("the key is the whole BLAKE3 hash")
            }
        }
        let mut key = Key(blake3::Hasher::new());
        std::hash::Hash::hash(&(hash, kind, active), &mut key);
        let key = *key.0.finalize().as_bytes();
        if let Some(made) = lock().get(&key) {
            return made.clone();
        }
        let rewrite = make();
        let mut made = lock();
        if made.len() >= Rewrites::CAPACITY {
            made.clear();
        }
        made.insert(key, rewrite.clone());
        rewrite
    }
}

/// Whether `bytes` look binary: a NUL byte in the first [`SNIFF_BYTES`] (as git decides).
pub fn is_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(SNIFF_BYTES)].contains(&0)
}

/// `bytes` as text, or `None` when they look binary or are not UTF-8: what rebrand reads,
/// diffs and merges as text.
pub fn as_text(bytes: &[u8]) -> Option<&str> {
    if is_binary(bytes) {
        return None;
    }
    std::str::from_utf8(bytes).ok()
}

/// Reads one regular file as the rules say, with its permissions: `Ok(Err(reason))` when it
/// is not read as text.
fn read_text(
    engine: &Engine,
    entry: &Entry,
) -> Result<Result<(FileKind, String, fs::Permissions), CopyReason>, TreeError> {
    let Some(kind) = engine.rules().files.kind_of(&entry.rel) else {
        return Ok(Err(CopyReason::NotIncluded));
    };
    let (bytes, permissions) = read_with_permissions(&entry.abs)?;
    if is_binary(&bytes) {
        return Ok(Err(CopyReason::Binary));
    }
    Ok(String::from_utf8(bytes)
        .map(|text| (kind, text, permissions))
        .map_err(|_| CopyReason::NotUtf8))
}

/// The bytes and permissions of the file at `path`, both through one handle (one open, one
/// `statx`, as `fs::read` needs for its size hint anyway).
///
/// # Errors
/// [`TreeError::Io`] naming `path` when it cannot be opened or read.
fn read_with_permissions(path: &Path) -> Result<(Vec<u8>, fs::Permissions), TreeError> {
    let mut file = fs::File::open(path).map_err(io_error("cannot read", path))?;
    let metadata = file.metadata().map_err(io_error("cannot read", path))?;
    // One byte more than the size, so that the read that finds the end needs no new buffer.
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).map_or(0, |n| n.saturating_add(1)));
    io::Read::read_to_end(&mut file, &mut bytes).map_err(io_error("cannot read", path))?;
    Ok((bytes, metadata.permissions()))
}

/// Reads and rewrites one regular file (a text met before in this run as it was rewritten
/// then: see [`Rewrites`]): `Ok(Err(reason))` when it is not read as text.
fn read(engine: &Engine, entry: &Entry, rewrites: &Rewrites) -> Result<Result<Read, CopyReason>, TreeError> {
    Ok(read_text(engine, entry)?.map(|(kind, text, permissions)| {
        let hash = state::hash(text.as_bytes());
        let rewrite = rewrites.of(engine, kind, &text, &hash, &engine.active(&entry.rel));
        Read {
            kind,
            text,
            hash,
            rewrite,
            permissions,
        }
    }))
}

/// A file of an input tree as the rules place it in the output (see [`input_files`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// Relative `/`-separated path in the input.
    pub path: String,
    /// Its output path (after renames), or `None` when the rules leave it out (`[files]
    /// omit`, a dropped locale).
    pub out: Option<String>,
    /// Where it is.
    pub abs: PathBuf,
}

/// The regular files of the tree at `root`, each with the output path the rules give it
/// (as [`plan`] places it), in walk order; nothing is read but the folders.
///
/// # Errors
/// [`TreeError::Io`] naming every path that cannot be listed; [`TreeError::Rule`] for a
/// rename collision.
pub fn input_files(engine: &Engine, root: &Path) -> Result<Vec<InputFile>, TreeError> {
    let mut entries = walk(root)?;
    let all = entries.clone();
    let left_out: HashSet<String> = leave_out(&mut entries, engine.rules()).into_iter().collect();
    let paths = PathMap::new(engine.rules(), entries.iter().map(|e| e.rel.as_str()))
        .map_err(|d| TreeError::Rule(Box::new(d)))?;
    Ok(all
        .into_iter()
        .filter(|e| e.kind == EntryKind::File)
        .map(|e| InputFile {
            out: (!left_out.contains(&e.rel)).then(|| paths.get(&e.rel).to_string()),
            path: e.rel,
            abs: e.abs,
        })
        .collect())
}

/// The relative paths of every entry of the tree at `root` but its folders (files, links,
/// special files), in walk order, as every command walks the tree (version control,
/// `.rebrand` and the generator's build folders left out: [`crate::site::walk_policy`]).
///
/// # Errors
/// [`TreeError::Io`] naming every path that cannot be listed.
pub fn entry_paths(root: &Path) -> Result<Vec<String>, TreeError> {
    Ok(walk(root)?
        .into_iter()
        .filter(|e| e.kind != EntryKind::Dir)
        .map(|e| e.rel)
        .collect())
}

/// A file of a tree read as text.
#[derive(Debug, Clone)]
pub struct TextFile {
    /// Relative `/`-separated path.
    pub path: String,
    /// How the rules read it.
    pub kind: FileKind,
    /// Its text.
    pub text: String,
}

/// Every file of the tree at `root` that the rules read as text, in walk order, read in
/// parallel (what every walk of the tree leaves out, [`crate::site::walk_policy`], such as
/// `.git`, `.rebrand` and `node_modules`, and `[files] omit` paths, left out).
///
/// # Errors
/// [`TreeError::Io`] naming every path that cannot be read.
pub fn text_files(engine: &Engine, root: &Path) -> Result<Vec<TextFile>, TreeError> {
    Ok(text_and_other_files(engine, root, |_, _| None::<()>)?.0)
}

/// [`text_files`], and in the same walk, for every other regular file that is text all the
/// same (no NUL byte in its first [`SNIFF_BYTES`], valid UTF-8) and that `[files] exclude`
/// does not name, what `other` makes of its relative path and text (`None` leaves it out),
/// in walk order. The audit counts the brand in the files no glob reads this way, so that
/// it sees the very files `apply` copies unread.
///
/// # Errors
/// [`TreeError::Io`] naming every path that cannot be read.
pub fn text_and_other_files<T: Send>(
    engine: &Engine,
    root: &Path,
    other: impl Fn(&str, &str) -> Option<T> + Sync,
) -> Result<(Vec<TextFile>, Vec<T>), TreeError> {
    let entries = walk(root)?;
    let files = &engine.rules().files;
    let results: Vec<Result<Option<Result<TextFile, T>>, TreeError>> = entries
        .par_iter()
        .filter(|e| e.kind == EntryKind::File && !engine.rules().files.is_omitted(&e.rel))
        .map(|e| {
            if files.kind_of(&e.rel).is_none() {
                if files.excluded(&e.rel) {
                    return Ok(None);
                }
                return Ok(read_if_text(&e.abs)?
                    .and_then(|text| other(&e.rel, &text))
                    .map(Err));
            }
            Ok(read_text(engine, e)?.ok().map(|(kind, text, _)| {
                Ok(TextFile {
                    path: e.rel.clone(),
                    kind,
                    text,
                })
            }))
        })
        .collect();
    let mut text = Vec::new();
    let mut others = Vec::new();
    for r in collect(results)?.into_iter().flatten() {
        match r {
            Ok(t) => text.push(t),
            Err(o) => others.push(o),
        }
    }
    Ok((text, others))
}

/// The text of the file at `path`, or `None` when it looks binary (its first [`SNIFF_BYTES`]
/// are read first, so a large image or archive is not read whole) or is not UTF-8.
fn read_if_text(path: &Path) -> Result<Option<String>, TreeError> {
    let file = fs::File::open(path).map_err(io_error("cannot read", path))?;
    let mut bytes = Vec::new();
    let mut head = io::Read::take(&file, SNIFF_BYTES as u64);
    io::Read::read_to_end(&mut head, &mut bytes).map_err(io_error("cannot read", path))?;
    if is_binary(&bytes) {
        return Ok(None);
    }
    io::Read::read_to_end(&mut &file, &mut bytes).map_err(io_error("cannot read", path))?;
    Ok(String::from_utf8(bytes).ok())
}

/// Counts the edits of a file by cause.
/// The edits `refused` of `text`, each as `line: its cause, `old` -> `new``, shown on the
/// whole token around it (a reference edit changes only the bytes that differ: `arveste`
/// of `./harvester.md` is shown as `./harvester.md` -> `./hypervisor.md`).
fn refused_lines(text: &str, refused: &[Edit]) -> Vec<String> {
    let delimiter = |c: char| c.is_whitespace() || "()[]<>\"'`".contains(c);
    refused
        .iter()
        .map(|e| {
            let (line, _, _) = crate::rules::locate(text, e.range.start);
            let cause = match e.cause {
                // The rewriter refuses a substitution only where it would write `{`, `}`
                // or `<` into an MDX 3 page's text.
                Cause::Substitution(_) => "a substitution writing `{`, `}` or `<` into MDX text",
                Cause::HeadingId => "a heading id",
                Cause::Reference => "a reference",
            };
            let start = text[..e.range.start].rfind(delimiter).map_or(0, |i| i + 1);
            let end = text[e.range.end..]
                .find(delimiter)
                .map_or(text.len(), |i| e.range.end + i);
            let old = &text[start..end];
            let new = format!(
                "{}{}{}",
                &text[start..e.range.start],
                e.replacement,
                &text[e.range.end..end]
            );
            format!("{line}: {cause}, `{old}` -> `{new}`")
        })
        .collect()
}

fn rewritten_outcome(kind: FileKind, edits: &[Edit]) -> Outcome {
    let mut substitutions: Vec<(usize, usize)> = Vec::new();
    let (mut heading_ids, mut references) = (0, 0);
    for e in edits {
        match e.cause {
            Cause::Substitution(i) => match substitutions.iter_mut().find(|(r, _)| *r == i) {
                Some((_, n)) => *n += 1,
                None => substitutions.push((i, 1)),
            },
            Cause::HeadingId => heading_ids += 1,
            Cause::Reference => references += 1,
        }
    }
    substitutions.sort_unstable();
    Outcome::Rewritten {
        kind,
        substitutions,
        heading_ids,
        references,
    }
}

/// Decides the whole branded tree of `input` in memory: every file read once and
/// rewritten, renames, the overlay and the vendor patches applied. Writes nothing.
///
/// # Errors
/// [`TreeError::Io`] naming every path that could not be read; [`TreeError::Rule`] for a
/// rule that cannot be carried out (a rename collision, a missing overlay folder, an asset
/// remap to a file that exists nowhere); [`TreeError::Patch`] for a patch that does not
/// apply.
pub fn plan(engine: &Engine, input: &Path) -> Result<Plan, TreeError> {
    plan_into(engine, crate::site::generator(input), walk(input)?, true, None)
}

/// [`plan`] of the input's `entries` (its [`walk`]), keeping the upstream text of each
/// changed file for the review diff only when `keep_upstream` (`apply` does not need it,
/// and it is as large as the tree). With a `stage` folder (holding the input's folders
/// already), each file whose text no other file can change is written there as soon as it
/// is rewritten ([`Content::Staged`]), so that memory holds a few files at a time rather
/// than the tree. Renames, asset remaps, moved anchors and OpenAPI specs whose rewrite
/// renames a page the docs plugin generates retarget references across files: with any of
/// them, every file is read before any is written.
fn plan_into(
    engine: &Engine,
    generator: &dyn Generator,
    mut entries: Vec<Entry>,
    keep_upstream: bool,
    stage: Option<&Stage>,
) -> Result<Plan, TreeError> {
    // The AsciiDoc files' attribute entries, for the section ids of the titles that
    // reference them, and the build's attributes, for every section's id.
    let with_attributes;
    let engine = match document_attributes(engine, &entries)? {
        Some(attributes) => {
            let build = build_attributes(generator, &entries)?;
            let engine = match build.is_empty() {
                true => engine.clone(),
                false => engine.with_build_attributes(&build),
            };
            with_attributes = engine.with_document_attributes(attributes);
            &with_attributes
        }
        None => engine,
    };
    let site = &engine.rules().site;
    let dropped = leave_out(&mut entries, engine.rules());
    let paths = PathMap::new(engine.rules(), entries.iter().map(|e| e.rel.as_str()))
        .map_err(|d| TreeError::Rule(Box::new(d)))?;
    let dirs: Vec<(String, Option<PathBuf>)> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::Dir)
        .map(|e| (paths.get(&e.rel).to_string(), Some(e.abs.clone())))
        .collect();
    if let Some(stage) = stage {
        for (rel, _) in &dirs {
            let dir = stage.root.join(rel);
            fs::create_dir_all(&dir).map_err(io_error("cannot create", &dir))?;
        }
    }
    let generated = generated_pages(engine, generator, &entries)?;
    let files = entries.iter().filter(|e| e.kind == EntryKind::File).count();
    crate::progress::phase("branding", files);
    let rewrites = Rewrites::default();
    let whole_tree_first = !paths.is_empty()
        || !generated.renamed.is_empty()
        || !site.assets.is_empty()
        || site.anchors == AnchorMode::Rename
        || anchors_move(engine, &entries);
    let (planned, upstream_site) = match stage {
        Some(stage) if !whole_tree_first => {
            // One pass per file: read, rewrite, write; nothing of it stays but its lock entry.
            let planned: Vec<Result<Option<Planned>, TreeError>> = entries
                .par_iter()
                .map(|e| {
                    let read = match e.kind {
                        EntryKind::File => {
                            let read = read(engine, e, &rewrites)?;
                            crate::progress::advance();
                            Some(read)
                        }
                        _ => None,
                    };
                    planned_file(e, read, &paths, Keep::Output)?
                        .map(|f| f.staged(stage))
                        .transpose()
                })
                .collect();
            (planned, None)
        }
        _ => {
            let reads: Vec<Result<Option<Result<Read, CopyReason>>, TreeError>> = entries
                .par_iter()
                .map(|e| match e.kind {
                    EntryKind::File => {
                        let read = read(engine, e, &rewrites).map(Some);
                        crate::progress::advance();
                        read
                    }
                    _ => Ok(None),
                })
                .collect();
            let mut reads = collect(reads)?;
            let upstream_site = retarget(engine, generator, &entries, &paths, &generated, &mut reads)?;
            // Each file's new text is made on the thread that holds it; without
            // `keep_upstream` the upstream text goes as soon as its hash is taken.
            let planned = entries
                .par_iter()
                .zip(reads.into_par_iter())
                .map(|(e, read)| {
                    let keep = match keep_upstream {
                        true => Keep::Upstream,
                        false => Keep::Nothing,
                    };
                    planned_file(e, read, &paths, keep)
                })
                .collect();
            (planned, upstream_site)
        }
    };
    let files: Vec<Planned> = collect(planned)?.into_iter().flatten().collect();
    let mut plan = Plan {
        files,
        dirs,
        dropped,
        redirects: Vec::new(),
        stage: stage.map(|s| s.root.to_path_buf()),
        patches_in_place: Vec::new(),
    };
    plan.overlay(engine, generator)?;
    plan.check_assets(engine, generator)?;
    plan.patch(engine)?;
    plan.files
        .sort_by(|a, b| a.report.out_path().cmp(b.report.out_path()));
    if let (Some(upstream), false) = (upstream_site, paths.is_empty() && generated.renamed.is_empty()) {
        plan.redirects = plan.redirects(generator, upstream.as_ref(), &generated);
    }
    Ok(plan)
}

/// What [`planned_file`] keeps of a file's text beyond its new text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Nothing: an unchanged file is copied from upstream when written.
    Nothing,
    /// The upstream text of a changed file, for the review diff.
    Upstream,
    /// The text of an unchanged file, which is written next (apply's one pass): it is not
    /// read twice.
    Output,
}

/// The plan of one input entry (`None` for a folder), given what [`read`] made of it.
fn planned_file(
    e: &Entry,
    read: Option<Result<Read, CopyReason>>,
    paths: &PathMap,
    keep: Keep,
) -> Result<Option<Planned>, TreeError> {
    let out = paths.get(&e.rel);
    let renamed_to = (out != e.rel).then(|| out.to_string());
    let (mut input_hash, mut permissions) = (None, None);
    let refused = match &read {
        Some(Ok(r)) => refused_lines(&r.text, &r.rewrite.refused),
        _ => Vec::new(),
    };
    let (outcome, old, content) = match (e.kind, read) {
        (EntryKind::Dir, _) => return Ok(None),
        (EntryKind::Symlink, _) => {
            let (target, leads) = e.link.clone().expect("the walk reads every link");
            // Nothing from outside the input goes into the output, not even a link.
            let content = match leads {
                LinkTarget::Outside => Content::Nothing,
                _ => Content::Symlink(target.clone()),
            };
            (Outcome::Symlink { target, leads }, None, content)
        }
        (EntryKind::File, Some(Ok(r))) if r.rewrite.edits.is_empty() => match keep {
            Keep::Output => {
                (input_hash, permissions) = (Some(r.hash), Some(r.permissions));
                (Outcome::Unchanged(r.kind), None, Content::Unchanged(r.text))
            }
            _ => (Outcome::Unchanged(r.kind), None, Content::Copy(e.abs.clone())),
        },
        (EntryKind::File, Some(Ok(r))) => {
            let new = r.rewrite.apply(&r.text);
            input_hash = Some(r.hash);
            permissions = Some(r.permissions);
            let old = (keep == Keep::Upstream).then_some(r.text);
            (
                rewritten_outcome(r.kind, &r.rewrite.edits),
                old,
                Content::Text(new),
            )
        }
        (EntryKind::File, Some(Err(reason))) => (Outcome::Copied(reason), None, Content::Copy(e.abs.clone())),
        _ => (Outcome::Special, None, Content::Nothing),
    };
    let mut report = FileReport::new(&e.rel, outcome);
    report.renamed_to = renamed_to;
    report.refused = refused;
    Ok(Some(Planned {
        report,
        old,
        replaces: None,
        source: Some(e.abs.clone()),
        permissions,
        input_hash,
        content,
    }))
}

/// Leaves out of `entries` what the rules leave out of the output ([`RuleSet::leaves_out`]:
/// `[files] omit` globs and the `i18n/<locale>/` trees of dropped locales) and the folders
/// that held nothing else (`i18n/` when every locale goes); returns the files left out.
///
/// [`RuleSet::leaves_out`]: crate::rules::RuleSet::leaves_out
fn leave_out(entries: &mut Vec<Entry>, rules: &crate::rules::RuleSet) -> Vec<String> {
    let (gone, kept): (Vec<Entry>, Vec<Entry>) = std::mem::take(entries)
        .into_iter()
        .partition(|e| rules.leaves_out(&e.rel));
    if gone.is_empty() {
        *entries = kept;
        return Vec::new();
    }
    let dropped: Vec<String> = gone
        .into_iter()
        .filter(|e| e.kind != EntryKind::Dir)
        .map(|e| e.rel)
        .collect();
    let holds = |dir: &str, paths: &[&str]| {
        paths
            .iter()
            .any(|p| p.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/')))
    };
    let files: Vec<&str> = kept
        .iter()
        .filter(|e| e.kind != EntryKind::Dir)
        .map(|e| e.rel.as_str())
        .collect();
    let gone: Vec<&str> = dropped.iter().map(String::as_str).collect();
    let emptied: Vec<String> = kept
        .iter()
        .filter(|e| e.kind == EntryKind::Dir && holds(&e.rel, &gone) && !holds(&e.rel, &files))
        .map(|e| e.rel.clone())
        .collect();
    *entries = kept.into_iter().filter(|e| !emptied.contains(&e.rel)).collect();
    dropped
}

/// The files of a tree from which the generator's plugins write pages at build time, and
/// the pages their rewrite renames (see [`generated_pages`]).
#[derive(Debug, Default)]
struct GeneratedPages {
    /// The sources the generator's configuration names (Docusaurus: the OpenAPI specs
    /// docusaurus-plugin-openapi-docs generates pages from): texts the site model reads.
    specs: HashSet<String>,
    /// The file of each page generated from an upstream source → the file of the page
    /// generated from the branded source instead, where they differ
    /// (`versioned_docs/version-v1.6/api/harvester-apis.info.mdx` →
    /// `versioned_docs/version-v1.6/api/hypervisor-apis.info.mdx`): implicit renames.
    renamed: HashMap<String, String>,
}

/// The attribute entries of the tree's AsciiDoc files (`:project_name: Keycloak`), in path
/// order, the first definition of a name kept; `None` when the tree has no AsciiDoc file.
///
/// # Errors
/// [`TreeError::Io`] for an AsciiDoc file that cannot be read.
fn document_attributes(
    engine: &Engine,
    entries: &[Entry],
) -> Result<Option<Vec<(String, String)>>, TreeError> {
    let files = &engine.rules().files;
    let adoc: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::File && files.kind_of(&e.rel) == Some(FileKind::Asciidoc))
        .collect();
    if adoc.is_empty() {
        return Ok(None);
    }
    let found: Vec<Result<Vec<(String, String)>, TreeError>> = adoc
        .par_iter()
        .map(|e| Ok(read_if_text(&e.abs)?.map_or_else(Vec::new, |t| crate::scan::attribute_entries(&t))))
        .collect();
    let mut seen = HashSet::new();
    let mut attributes = Vec::new();
    for (name, value) in collect(found)?.into_iter().flatten() {
        if seen.insert(name.clone()) {
            attributes.push((name, value));
        }
    }
    Ok(Some(attributes))
}

/// The attributes the build of the tree `entries` passes to its AsciiDoc documents
/// ([`Generator::build_attributes`]).
///
/// # Errors
/// [`TreeError::Io`] for a build file that cannot be read.
fn build_attributes(
    generator: &dyn Generator,
    entries: &[Entry],
) -> Result<Vec<(String, String)>, TreeError> {
    through_reader(
        generator,
        &files_by_path(entries),
        "cannot read the build attributes of the site, generator",
        |read| generator.build_attributes(read),
    )
}

/// The files of the tree `entries` by relative path.
fn files_by_path(entries: &[Entry]) -> HashMap<&str, &Entry> {
    entries
        .iter()
        .filter(|e| e.kind == EntryKind::File)
        .map(|e| (e.rel.as_str(), e))
        .collect()
}

/// What `call` makes of the tree's `files` through a reader of them by relative path (the
/// text, `None` for a file absent or not text), as a generator reads its own files
/// ([`Generator::page_sources`], [`Generator::build_attributes`]). A read error is kept as
/// the planner's own, naming the path, and handed back after the call; an error of the
/// generator's own is `action` of the generator.
///
/// # Errors
/// [`TreeError::Io`]: the read error, or the generator's.
fn through_reader<T>(
    generator: &dyn Generator,
    files: &HashMap<&str, &Entry>,
    action: &'static str,
    call: impl FnOnce(&mut dyn FnMut(&str) -> io::Result<Option<String>>) -> io::Result<T>,
) -> Result<T, TreeError> {
    let mut failed: Option<TreeError> = None;
    let made = call(&mut |path| {
        let Some(entry) = files.get(path) else {
            return Ok(None);
        };
        read_if_text(&entry.abs).map_err(|e| {
            failed = Some(e);
            io::Error::other(path.to_string())
        })
    });
    match (made, failed) {
        (_, Some(e)) => Err(e),
        (Ok(made), None) => Ok(made),
        (Err(source), None) => Err(TreeError::Io {
            action,
            path: PathBuf::from(generator.name()),
            source,
        }),
    }
}

/// The page sources of the tree `entries` ([`Generator::page_sources`]) and the generated
/// pages the rules rename: each source read and rewritten as the plan will (the rules may
/// change the names pages are made from), its pages before and after paired. A page whose
/// file is in the tree (generated before) is not renamed: the plugin does not overwrite it.
///
/// # Errors
/// [`TreeError::Io`] for a configuration file or source that cannot be read.
fn generated_pages(
    engine: &Engine,
    generator: &dyn Generator,
    entries: &[Entry],
) -> Result<GeneratedPages, TreeError> {
    let files = files_by_path(entries);
    let sources = through_reader(
        generator,
        &files,
        "cannot read the page sources of the site, generator",
        |read| generator.page_sources(read),
    )?;
    let mut out = GeneratedPages {
        specs: sources.paths,
        renamed: HashMap::new(),
    };
    for renamer in &sources.renamers {
        let Some(entry) = files.get(renamer.source.as_str()) else {
            continue;
        };
        let Ok(r) = read(engine, entry, &Rewrites::default())? else {
            continue;
        };
        let branded = r.rewrite.apply(&r.text);
        for (old, new) in (renamer.renamed)(&r.text, &branded) {
            if !files.contains_key(old.as_str()) {
                out.renamed.insert(old, new);
            }
        }
    }
    Ok(out)
}

/// Whether a rebranded heading's anchor may move whatever `[site] anchors` says: the
/// generator makes anchors and its pages cannot pin one (Nextra's and Fumadocs' MDX 3, an
/// MkDocs site without `attr_list`), in the tree's Markdown, or in MDX 3 when the tree
/// (`entries`) has MDX 3 pages. Then the links into the tree follow the moved anchors, which
/// needs the whole tree read first.
fn anchors_move(engine: &Engine, entries: &[Entry]) -> bool {
    let conventions = &engine.rules().conventions;
    let Some(ids) = conventions.heading_ids else {
        return false;
    };
    let unpinned = |dialect| ids.pin(dialect, "").is_none();
    unpinned(conventions.dialect)
        || (unpinned(crate::scan::Dialect::Mdx3)
            && entries.iter().any(|e| {
                e.kind == EntryKind::File && engine.rules().files.kind_of(&e.rel) == Some(FileKind::Mdx)
            }))
}

/// Adds to each read file the edits that keep its references working (see
/// [`crate::site::references`]): after renames, moved anchors, asset remaps and renamed
/// generated pages. Returns the upstream site model when it was needed.
fn retarget(
    engine: &Engine,
    generator: &dyn Generator,
    entries: &[Entry],
    paths: &PathMap,
    generated: &GeneratedPages,
    reads: &mut [Option<Result<Read, CopyReason>>],
) -> Result<Option<Box<dyn SiteModel>>, TreeError> {
    let rules = engine.rules();
    let anchors: HashMap<String, HashMap<String, String>> = entries
        .iter()
        .zip(reads.iter())
        .filter_map(|(e, r)| match r {
            Some(Ok(r)) if !r.rewrite.moved_anchors.is_empty() => {
                Some((e.rel.clone(), r.rewrite.moved_anchors.iter().cloned().collect()))
            }
            _ => None,
        })
        .collect();
    if paths.is_empty() && anchors.is_empty() && rules.site.assets.is_empty() && generated.renamed.is_empty()
    {
        return Ok(None);
    }
    // The site model from the texts already read: every file of the tree counts as present.
    let texts: BTreeMap<String, Option<String>> = entries
        .iter()
        .zip(reads.iter())
        .filter(|(e, _)| e.kind != EntryKind::Dir)
        .map(|(e, r)| {
            let text = match r {
                Some(Ok(r)) if generator.reads(&e.rel) || generated.specs.contains(&e.rel) => {
                    Some(r.text.clone())
                }
                _ => None,
            };
            (e.rel.clone(), text)
        })
        .collect();
    let site = generator.model(&texts);
    let retarget = Retarget {
        site: site.as_ref(),
        dialect: rules.conventions.dialect,
        paths,
        renames: &rules.site.renames,
        anchors: &anchors,
        assets: &rules.site.assets,
        pages: &generated.renamed,
    };
    entries.par_iter().zip(reads.par_iter_mut()).for_each(|(e, r)| {
        if let Some(Ok(r)) = r {
            let references = retarget.edits(&e.rel, r.kind, &r.text);
            let refused = r.rewrite.edits.merge(references);
            r.rewrite.refused.extend(refused);
        }
    });
    Ok(Some(site))
}

impl Planned {
    /// Writes this file into the staged tree now (see [`write_planned`]), leaving
    /// its lock entry in its place: a link or a special file stays planned.
    ///
    /// # Errors
    /// [`TreeError::Io`] for a read or write failure.
    fn staged(mut self, stage: &Stage) -> Result<Planned, TreeError> {
        if let Content::Text(_) | Content::Unchanged(_) | Content::Copy(_) = self.content {
            if let Some((_, locked)) = write_planned(&self, stage)? {
                self.content = Content::Staged(locked);
            }
        }
        Ok(self)
    }

    /// The lock entry of this file, given its output `bytes`: their hash, and the hash of
    /// the upstream or overlay file it was made from (empty for a file a patch created).
    ///
    /// # Errors
    /// [`TreeError::Io`] when the upstream file cannot be read.
    pub fn locked(&self, bytes: &[u8]) -> Result<state::Locked, TreeError> {
        let output = match (&self.content, &self.input_hash) {
            // These bytes are the text as read (the same slice), hashed then.
            (Content::Unchanged(text), Some(hash)) if std::ptr::eq(text.as_bytes(), bytes) => hash.clone(),
            _ => state::hash(bytes),
        };
        let input = match (&self.source, &self.content, &self.input_hash) {
            (_, Content::Staged(locked), _) => return Ok(locked.clone()),
            (None, _, _) => String::new(),
            (Some(_), Content::Copy(_) | Content::Unchanged(_), _) => output.clone(),
            // A rewritten upstream file: hashed when it was read.
            (Some(_), _, Some(hash)) => hash.clone(),
            (Some(p), _, None) => state::hash_file(p).map_err(io_error("cannot read", p))?,
        };
        Ok(state::Locked { input, output })
    }

    /// The bytes this file has in the output (`None` for a link, a special file, or a file
    /// [`apply`] already wrote).
    ///
    /// # Errors
    /// [`TreeError::Io`] when the upstream or overlay file to copy cannot be read.
    pub fn bytes(&self) -> Result<Option<std::borrow::Cow<'_, [u8]>>, TreeError> {
        match &self.content {
            Content::Text(t) | Content::Unchanged(t) => Ok(Some(std::borrow::Cow::Borrowed(t.as_bytes()))),
            Content::Copy(p) => Ok(Some(std::borrow::Cow::Owned(
                fs::read(p).map_err(io_error("cannot read", p))?,
            ))),
            Content::Symlink(_) | Content::Nothing | Content::Staged(_) => Ok(None),
        }
    }
}

impl Plan {
    /// The output paths of the symbolic links of the plan (by outcome, whatever holds the
    /// link's content: a link a patch turned into text still counts, which only refuses more).
    fn links(&self) -> HashSet<String> {
        self.files
            .iter()
            .filter(|f| matches!(f.report.outcome, Outcome::Symlink { .. }))
            .map(|f| f.report.out_path().to_string())
            .collect()
    }

    /// Index of the planned file at output path `out`.
    fn index(&self) -> HashMap<String, usize> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.report.out_path().to_string(), i))
            .collect()
    }

    /// The URL of every renamed doc upstream and in the output, where they differ; the
    /// pages of the OpenAPI docs that the rules rename too.
    fn redirects(
        &self,
        generator: &dyn Generator,
        upstream: &dyn SiteModel,
        generated: &GeneratedPages,
    ) -> Vec<Redirect> {
        let texts: BTreeMap<String, Option<String>> = self
            .files
            .par_iter()
            .map(|f| {
                let path = f.report.out_path();
                let wanted = generator.reads(path) || generated.specs.contains(path);
                let text = match &f.content {
                    Content::Text(t) if wanted => Some(t.clone()),
                    Content::Copy(p) if wanted => fs::read_to_string(p).ok(),
                    _ => None,
                };
                (path.to_string(), text)
            })
            .collect();
        let branded = generator.model(&texts);
        let mut redirects: Vec<Redirect> = self
            .files
            .iter()
            .filter_map(|f| {
                let to_path = f.report.renamed_to.as_deref()?;
                let from = upstream.url_of(&f.report.path)?;
                let to = branded.url_of(to_path)?;
                (from != to).then_some(Redirect { from, to })
            })
            .collect();
        redirects.extend(generated.renamed.iter().filter_map(|(old, new)| {
            let (from, to) = (upstream.url_of(old)?, branded.url_of(new)?);
            (from != to).then_some(Redirect { from, to })
        }));
        redirects.sort();
        redirects
    }

    /// Lays the `[overlay]` folder over the plan.
    fn overlay(&mut self, engine: &Engine, generator: &dyn Generator) -> Result<(), TreeError> {
        let rules = engine.rules();
        let Some(overlay) = &rules.site.overlay else {
            return Ok(());
        };
        let rule_error =
            |message: String| TreeError::Rule(Box::new(rules.diagnostic(overlay.span.clone(), message)));
        match fs::metadata(&overlay.dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(rule_error(format!(
                    "overlay `{}` is not a folder",
                    overlay.dir.display()
                )))
            }
            Err(e) => {
                return Err(rule_error(format!(
                    "overlay `{}` cannot be read: {e}",
                    overlay.dir.display()
                )))
            }
        }
        let index = self.index();
        let links = self.links();
        let asset_targets = self.asset_targets(engine, generator);
        for e in walk_overlay(&overlay.dir)? {
            if let Some(link) = link_on_the_way(&e.rel, &links, e.kind == EntryKind::Dir) {
                let place = if link == e.rel {
                    format!("overlay folder `{link}` is")
                } else {
                    format!("overlay path `{}` lies under `{link}`,", e.rel)
                };
                return Err(rule_error(format!(
                    "{place} a symbolic link of the tree: writing it would follow the link, maybe outside the output"
                )));
            }
            match e.kind {
                EntryKind::Dir => {
                    self.dirs.push((e.rel.clone(), None));
                    continue;
                }
                EntryKind::File => {}
                _ => {
                    return Err(rule_error(format!(
                        "overlay file `{}` is not a regular file: links and special files could point outside the output",
                        e.rel
                    )))
                }
            }
            let replaced = index.get(&e.rel).copied();
            let planned = Planned {
                report: FileReport::new(
                    &e.rel,
                    Outcome::Overlay {
                        replaced: replaced.is_some(),
                        asset_target: asset_targets.contains(e.rel.as_str()),
                    },
                ),
                old: None,
                replaces: None,
                source: Some(e.abs.clone()),
                permissions: None,
                input_hash: None,
                content: Content::Copy(e.abs.clone()),
            };
            match replaced {
                Some(i) => {
                    let upstream = std::mem::replace(&mut self.files[i], planned);
                    self.files[i].replaces = match upstream.content {
                        Content::Copy(p) => Some(p),
                        _ => None,
                    };
                    self.files[i].old = upstream.old;
                }
                None => self.files.push(planned),
            }
        }
        Ok(())
    }

    /// The output paths (`static/...`) the `[[asset]]` remaps send references to: a literal
    /// remap's `to`, and a pattern's image of every file of the plan in the generator's
    /// static folder ([`Generator::static_folder`]: site path `/x` is served from
    /// `static/x`).
    fn asset_targets(&self, engine: &Engine, generator: &dyn Generator) -> HashSet<String> {
        let folder = generator.static_folder();
        let mut targets = HashSet::new();
        for asset in &engine.rules().site.assets {
            if asset.is_literal() {
                targets.insert(format!("{folder}{}", asset.to));
                continue;
            }
            let statics = self
                .files
                .iter()
                .filter_map(|f| f.report.out_path().strip_prefix(folder));
            targets.extend(
                statics
                    .filter_map(|p| asset.map(p))
                    .map(|t| format!("{folder}{t}")),
            );
        }
        targets
    }

    /// Refuses an `[[asset]]` remap whose vendor file is in neither the input nor the
    /// overlay (site path `/x` is served from `<static folder>/x`).
    fn check_assets(&self, engine: &Engine, generator: &dyn Generator) -> Result<(), TreeError> {
        let rules = engine.rules();
        let folder = generator.static_folder();
        let outputs: HashSet<&str> = self.files.iter().map(|f| f.report.out_path()).collect();
        let missing = |asset: &AssetRemap, target: &str, why: String| {
            TreeError::Rule(Box::new(
                rules
                    .diagnostic(
                        asset.span.clone(),
                        format!(
                            "asset `{}`: `{target}` exists neither in the input nor in the overlay{why}",
                            asset.id
                        ),
                    )
                    .with_hint(format!(
                        "add the vendor file to the overlay as `{folder}{target}`"
                    )),
            ))
        };
        let mut statics: Vec<&str> = outputs.iter().filter_map(|p| p.strip_prefix(folder)).collect();
        statics.sort_unstable();
        for asset in &rules.site.assets {
            if asset.is_literal() {
                if !outputs.contains(format!("{folder}{}", asset.to).as_str()) {
                    return Err(missing(asset, &asset.to, String::new()));
                }
                continue;
            }
            let missing_targets: Vec<(String, &str)> = statics
                .iter()
                .filter_map(|upstream| Some((asset.map(upstream)?, *upstream)))
                .filter(|(target, _)| !outputs.contains(format!("{folder}{target}").as_str()))
                .collect();
            if let Some((target, upstream)) = missing_targets.first() {
                let more = match missing_targets.len() {
                    1 => String::new(),
                    n => format!(", and {} more", n - 1),
                };
                return Err(missing(
                    asset,
                    target,
                    format!(" (remapped from `{upstream}`{more})"),
                ));
            }
        }
        Ok(())
    }

    /// Applies the `[[patch]]` files, in order, to the planned text.
    fn patch(&mut self, engine: &Engine) -> Result<(), TreeError> {
        for rule in &engine.rules().site.patches {
            let text = fs::read_to_string(&rule.file).map_err(|e| {
                TreeError::Rule(Box::new(engine.rules().diagnostic(
                    rule.span.clone(),
                    format!("patch `{}` cannot be read: {e}", rule.file.display()),
                )))
            })?;
            let parsed = patch::parse(&rule.file.display().to_string(), &text)?;
            let index = self.index();
            let mut read = |path: &str| -> Option<String> {
                let f = &self.files[*index.get(path)?];
                match (&f.content, &self.stage) {
                    (Content::Text(t), _) => Some(t.clone()),
                    (Content::Copy(p), _) => fs::read_to_string(p).ok(),
                    (Content::Staged(_), Some(stage)) => fs::read_to_string(stage.join(path)).ok(),
                    _ => None,
                }
            };
            // A patch of a part upstream added at some point: nothing to patch where no file
            // it patches holds that part (an older upstream).
            if let Some(needle) = &rule.if_present {
                let present = parsed
                    .files
                    .iter()
                    .any(|f| read(&f.path).is_some_and(|t| t.contains(needle.as_str())));
                if !present {
                    continue;
                }
            }
            let (changes, in_place) = parsed
                .apply_noting(&mut read)
                .map_err(|e| patch_refused(engine.rules(), rule, &e))?;
            if in_place {
                // The tree is this patch's result already (rules applied to their own output).
                self.patches_in_place.push(rule.file.display().to_string());
                continue;
            }
            let links = self.links();
            let mut removed = Vec::new();
            for (path, text) in changes {
                if let Some(link) = link_on_the_way(&path, &links, false) {
                    return Err(TreeError::Rule(Box::new(engine.rules().diagnostic(
                        rule.span.clone(),
                        format!(
                            "patch `{}` writes `{path}`, which lies under `{link}`, a symbolic link of the tree: writing it would follow the link, maybe outside the output",
                            rule.file.display()
                        ),
                    ))));
                }
                match (index.get(&path), text) {
                    (Some(&i), Some(text)) => {
                        let f = &mut self.files[i];
                        if f.old.is_none() {
                            // The review diff goes from the upstream file: the one an overlay
                            // file replaced, else the copied upstream file itself.
                            let upstream = match (&f.replaces, &f.content, &f.report.outcome) {
                                (Some(p), _, _) => Some(p),
                                (None, _, Outcome::Overlay { .. }) => None,
                                (None, Content::Copy(p), _) => Some(p),
                                _ => None,
                            };
                            f.old = upstream.and_then(|p| fs::read_to_string(p).ok());
                        }
                        f.content = Content::Text(text);
                        f.report.patched = true;
                    }
                    (Some(&i), None) => removed.push(i),
                    (None, Some(text)) => self.files.push(Planned {
                        report: FileReport::new(&path, Outcome::Created),
                        old: None,
                        replaces: None,
                        source: None,
                        permissions: None,
                        input_hash: None,
                        content: Content::Text(text),
                    }),
                    (None, None) => {}
                }
            }
            removed.sort_unstable();
            for i in removed.into_iter().rev() {
                let f = self.files.remove(i);
                // Its base text goes at the end, unless another file has the same
                // (`Stage::drop_unlocked_objects`).
                if let (Content::Staged(_), Some(stage)) = (&f.content, &self.stage) {
                    remove_if_present(&stage.join(f.report.out_path()))?;
                }
            }
        }
        Ok(())
    }
}

/// The error of `[[patch]]` table `rule` whose patch does not apply to the tree (`error`),
/// located at the table's `file` in the rule file that wrote it. A file the patch changes
/// that the tree lacks means the tree is not the whole site the table was written for: the
/// hint says so, and names the files the rule file extends (but the one that holds this
/// table), one of which may run without the site.
fn patch_refused(rules: &RuleSet, rule: &PatchRule, error: &PatchError) -> TreeError {
    let mut d = rules.diagnostic(rule.span.clone(), error.to_string());
    if let PatchError::Missing { .. } = error {
        let holder = &rules.sources.file_at(rule.span.start).path;
        let under: Vec<String> = rules
            .sources
            .files()
            .iter()
            .map(|f| &f.path)
            .filter(|p| **p != rules.path && *p != holder)
            .map(|p| format!("`{}`", p.display()))
            .collect();
        d = d.with_hint(match under.as_slice() {
            [] => "the site tables (`[overlay]`, `[[patch]]`, `[[asset]]`, `[[rename]]`, `[locales]`) are made for the whole site; on one folder, one page or several sites side by side, use a rule file without them (see `extends` in the README)".to_string(),
            [brand] => format!(
                "the site tables are made for the whole site; on one folder, one page or several sites side by side, use {brand}, which this rule file extends, without them"
            ),
            several => format!(
                "the site tables are made for the whole site; on one folder, one page or several sites side by side, use one of the files this rule file extends without them ({})",
                several.join(", ")
            ),
        });
    }
    TreeError::Rule(Box::new(d))
}

/// Decides the branded tree of `input` and reports what would change, writing nothing
/// (see [`plan`]).
///
/// # Errors
/// As [`plan`].
pub fn preview(engine: &Engine, input: &Path) -> Result<Plan, TreeError> {
    plan(engine, input)
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
    /// Replace an existing output that holds files rebrand did not write or hand edits (never
    /// one that holds a `.git`, `.hg` or `.svn` folder).
    pub force: bool,
    /// The upstream label recorded in the lock (`--upstream-rev`).
    pub upstream_label: Option<String>,
    /// Hash every file for the up-to-date check, trusting no stat of the index
    /// (`apply --verify`; see [`index`]).
    pub verify: bool,
}

/// Writes the branded tree of `input` to `out`.
///
/// Every file of the input appears in the output (unless the rules leave it out: `[files]
/// omit`, a dropped locale): rewritten,
/// or copied byte for byte (permissions kept), at its renamed path; then the overlay and
/// the patches. The tree is written into a staging directory beside `out` and swapped into
/// place at the end, so an interrupted run leaves the previous output as it was (and its
/// staging directory, which the next run removes once no live run holds it); the output
/// carries a marker (`.rebrand/output.toml`) that lets a later run replace it, and the sync
/// state (`.rebrand/lock.toml`, `.rebrand/objects/`). An output this run would write as it is
/// (same input, rules, overlay, patches and tool version, checked by content hash; nothing
/// changed in it since, see `incremental`) is left alone: [`Applied::up_to_date`].
///
/// # Errors
/// [`TreeError::Overlap`] for an output that is, is inside, or contains the input;
/// [`TreeError::OccupiedOutput`] for an output that holds files rebrand did not write,
/// hand edits (unless `force`) or version control (always); the errors of [`plan`]; [`TreeError::Io`] for any write failure, with nothing
/// written.
pub fn apply(
    engine: &Engine,
    input: &Path,
    out: &Path,
    options: &ApplyOptions,
) -> Result<Applied, TreeError> {
    let input_abs = fs::canonicalize(input).map_err(io_error("cannot read", input))?;
    let out_abs = absolute_output(out)?;
    check_overlap(&input_abs, &out_abs, out, input)?;
    let label = options.upstream_label.as_deref();
    let up_to_date = || Applied {
        plan: Plan::default(),
        warnings: Vec::new(),
        up_to_date: true,
    };
    let stats = match options.verify {
        true => Index::new(&input_abs, &out_abs),
        false => Index::load(&out_abs, &input_abs),
    };
    // Nothing moved in either tree since the run the index recorded: no walk, no lock, no
    // hash (see `index`).
    if let Ok(rules_hash) = state::rules_hash(engine.rules()) {
        if stats.unchanged(&rules_hash, label) {
            return Ok(up_to_date());
        }
    }
    // The input's walk and the previous run's lock, side by side.
    let (entries, lock) = rayon::join(|| walk(&input_abs), || state::Lock::load(&out_abs));
    let entries = entries?;
    // Before anything is read, for the index this run records.
    let input_stats = incremental::input_stats(&input_abs, &entries);
    // A lock that does not parse vouches for nothing: every file is then not rebrand's.
    let lock = lock.ok().flatten();
    let found = refuse_occupied(
        engine,
        &entries,
        lock.as_ref(),
        &out_abs,
        out,
        options.force,
        &stats,
    )?;
    if incremental::up_to_date(engine, &entries, lock.as_ref(), &out_abs, &found, label, &stats)? {
        // Refreshed when a file had to be read (racy, or not in the index), so that it is
        // trusted next time.
        if let (false, Some(lock)) = (stats.all_trusted(), &lock) {
            incremental::record_index(engine, (&entries, &input_stats), lock, &input_abs, &out_abs);
        }
        return Ok(up_to_date());
    }
    // The previous run's index and lock are not needed again: their memory goes before the
    // tree is written.
    drop((stats, lock, found));
    let parent = out_abs.parent().unwrap_or(Path::new("/"));
    // The folders this run creates above the output go again if it fails.
    let created: Vec<&Path> = parent.ancestors().take_while(|d| !d.exists()).collect();
    fs::create_dir_all(parent).map_err(io_error("cannot create", parent))?;
    let walked = entries.clone();
    let written = stage_and_swap(
        engine,
        crate::site::generator(&input_abs),
        entries,
        &out_abs,
        options,
    );
    match written {
        Ok((applied, lock)) => {
            incremental::record_index(engine, (&walked, &input_stats), &lock, &input_abs, &out_abs);
            Ok(applied)
        }
        Err(e) => {
            for dir in created {
                let _ = fs::remove_dir(dir);
            }
            Err(e)
        }
    }
}

/// Refuses an existing output that holds anything rebrand did not write or that was changed
/// since (see [`Occupants`]); with `force`, only one that holds version control. A link is
/// taken as rebrand's when an input link maps to its path with the same target. Returns what
/// the output holds, for the up-to-date check.
///
/// # Errors
/// [`TreeError::OccupiedOutput`]; [`TreeError::Io`] when the output cannot be read.
fn refuse_occupied(
    engine: &Engine,
    entries: &[Entry],
    lock: Option<&state::Lock>,
    out_abs: &Path,
    out: &Path,
    force: bool,
    stats: &Index,
) -> Result<Occupants, TreeError> {
    let links: HashMap<String, &Path> =
        match PathMap::new(engine.rules(), entries.iter().map(|e| e.rel.as_str())) {
            Ok(paths) => entries
                .iter()
                .filter_map(|e| Some((paths.get(&e.rel).to_string(), e.link.as_ref()?.0.as_path())))
                .collect(),
            // A rename collision: the plan names it; no link is taken as rebrand's meanwhile.
            Err(_) => HashMap::new(),
        };
    let found = occupants(
        out_abs,
        lock,
        |rel, target| links.get(rel) == Some(&target),
        stats,
    )?;
    let refused = if force {
        !found.version_control.is_empty()
    } else {
        !found.is_empty()
    };
    if refused {
        return Err(TreeError::OccupiedOutput {
            out: out.to_path_buf(),
            occupants: Box::new(found),
            forced: force,
        });
    }
    Ok(found)
}

/// Plans and writes the branded tree of the input's `entries` into a staging folder beside
/// `out`, then swaps it into place (see [`apply`]); the staging folder goes on any error.
/// Returns what it did and the lock it wrote.
fn stage_and_swap(
    engine: &Engine,
    generator: &dyn Generator,
    entries: Vec<Entry>,
    out_abs: &Path,
    options: &ApplyOptions,
) -> Result<(Applied, state::Lock), TreeError> {
    let parent = out_abs.parent().unwrap_or(Path::new("/"));
    // Locked until the run ends; leftovers of killed runs are removed first.
    let (staging, _staging_lock) = stage_beside(out_abs, parent)?;
    let stage = staging.path();
    let staged = Stage::new(stage);
    let plan = plan_into(engine, generator, entries, false, Some(&staged))?;
    // The input's folders are made; the overlay's (no upstream folder) are left.
    for (rel, _) in plan.dirs.iter().filter(|(_, upstream)| upstream.is_none()) {
        let dir = stage.join(rel);
        fs::create_dir_all(&dir).map_err(io_error("cannot create", &dir))?;
    }
    crate::progress::phase("writing", plan.files.len());
    let results: Vec<Result<Option<(String, state::Locked)>, TreeError>> = plan
        .files
        .par_iter()
        .map(|f| {
            let written = write_planned(f, &staged);
            crate::progress::advance();
            written
        })
        .collect();
    let locked = collect(results)?;
    // Directory permissions last, deepest first, so read-only directories can be filled.
    for (rel, upstream) in plan.dirs.iter().rev() {
        let Some(upstream) = upstream else { continue };
        let perms = fs::metadata(upstream)
            .map_err(io_error("cannot read", upstream))?
            .permissions();
        let dir = stage.join(rel);
        fs::set_permissions(&dir, perms).map_err(io_error("cannot set permissions of", &dir))?;
    }
    let state = stage.join(STATE_DIR);
    fs::create_dir_all(&state).map_err(io_error("cannot create", &state))?;
    let marker = state.join(MARKER);
    fs::write(&marker, state::marker_text(engine.rules())).map_err(io_error("cannot write", &marker))?;
    // What `rebrand sync` needs to bring later upstream changes into this tree (the base
    // texts were written with the files).
    let mut lock = state::Lock::new(engine.rules(), options.upstream_label.clone())
        .map_err(io_error("cannot read", &engine.rules().path))?;
    lock.files.extend(locked.into_iter().flatten());
    staged.drop_unlocked_objects(&lock)?;
    let lock_file = state::lock_path(stage);
    fs::write(&lock_file, lock.to_toml()).map_err(io_error("cannot write", &lock_file))?;
    let mut warnings = Vec::new();
    if let Some(previous) = swap_into_place(staging, out_abs)? {
        // The branded tree is in place: failing to clean up is worth a warning, not a failure.
        if let Err(e) = remove_previous(&previous) {
            warnings.push(format!(
                "the previous output is left at `{}`: cannot remove it: {e}",
                previous.display()
            ));
        }
    }
    let applied = Applied {
        plan,
        warnings,
        up_to_date: false,
    };
    Ok((applied, lock))
}

/// What [`apply`] did.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The plan that was written (empty when the output was up to date).
    pub plan: Plan,
    /// Problems that did not stop the run (the previous output could not be removed).
    pub warnings: Vec<String>,
    /// Whether the output already was what this run would write, and was left alone.
    pub up_to_date: bool,
}

/// The staging folder [`apply`] writes the branded tree into, the object folders made in it
/// so far (each made once, not checked again for every file) and the base texts written
/// (each distinct text once: see [`state`]).
struct Stage<'a> {
    root: &'a Path,
    object_dirs: std::sync::Mutex<HashSet<PathBuf>>,
    objects: std::sync::Mutex<HashSet<String>>,
}

impl<'a> Stage<'a> {
    fn new(root: &'a Path) -> Stage<'a> {
        Stage {
            root,
            object_dirs: Default::default(),
            objects: Default::default(),
        }
    }

    /// Writes `bytes`, whose [`state::hash`] is `hash`, as the base text of that hash, unless
    /// this run wrote it already.
    ///
    /// # Errors
    /// [`TreeError::Io`] when its folder or file cannot be written.
    fn object(&self, hash: &str, bytes: &[u8]) -> Result<(), TreeError> {
        fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
            m.lock().unwrap_or_else(|e| e.into_inner())
        }
        if !lock(&self.objects).insert(hash.to_string()) {
            return Ok(());
        }
        let path = self.root.join(state::object_rel(hash));
        if let Some(dir) = path.parent() {
            if !lock(&self.object_dirs).contains(dir) {
                fs::create_dir_all(dir).map_err(io_error("cannot create", dir))?;
                lock(&self.object_dirs).insert(dir.to_path_buf());
            }
        }
        fs::write(&path, bytes).map_err(io_error("cannot write", &path))
    }

    /// Removes the base texts this run wrote that no file of `lock` has (a file a patch
    /// deleted after it was staged).
    ///
    /// # Errors
    /// [`TreeError::Io`] when one cannot be removed.
    fn drop_unlocked_objects(&self, lock: &state::Lock) -> Result<(), TreeError> {
        let written = std::mem::take(&mut *self.objects.lock().unwrap_or_else(|e| e.into_inner()));
        let locked: HashSet<&str> = lock.files.values().map(|f| f.output.as_str()).collect();
        for hash in written.iter().filter(|h| !locked.contains(h.as_str())) {
            remove_if_present(&self.root.join(state::object_rel(hash)))?;
        }
        Ok(())
    }
}

/// Writes one planned file into the staged tree, keeping the permissions of its upstream or
/// overlay file, and, when it is text, its base text (`.rebrand/objects/`); returns its lock
/// entry. Each file is read once; the input's folders exist in the stage already.
fn write_planned(f: &Planned, stage: &Stage) -> Result<Option<(String, state::Locked)>, TreeError> {
    let path = f.report.out_path();
    let dest = stage.root.join(path);
    match f.report.outcome {
        Outcome::Created => {
            // Files a patch created may sit in folders the input did not have.
            if let Some(parent) = dest.parent() {
                fs::create_dir_all(parent).map_err(io_error("cannot create", parent))?;
            }
        }
        // It replaces a file staged already, which may be read-only.
        Outcome::Overlay { replaced: true, .. } => remove_if_present(&dest)?,
        _ if f.report.patched => remove_if_present(&dest)?,
        _ => {}
    }
    let (bytes, permissions): (std::borrow::Cow<'_, [u8]>, _) = match &f.content {
        Content::Staged(locked) => return Ok(Some((path.to_string(), locked.clone()))),
        Content::Symlink(target) => {
            symlink(target, &dest).map_err(io_error("cannot write", &dest))?;
            return Ok(None);
        }
        Content::Nothing => return Ok(None),
        Content::Text(text) | Content::Unchanged(text) => {
            let permissions = match (&f.permissions, &f.source) {
                (Some(permissions), _) => Some(permissions.clone()),
                (None, Some(source)) => Some(
                    fs::metadata(source)
                        .map_err(io_error("cannot read", source))?
                        .permissions(),
                ),
                (None, None) => None,
            };
            (text.as_bytes().into(), permissions)
        }
        Content::Copy(source) => {
            let (bytes, permissions) = read_with_permissions(source)?;
            (bytes.into(), Some(permissions))
        }
    };
    let mut file = fs::File::create(&dest).map_err(io_error("cannot write", &dest))?;
    io::Write::write_all(&mut file, &bytes).map_err(io_error("cannot write", &dest))?;
    if let Some(permissions) = permissions {
        file.set_permissions(permissions)
            .map_err(io_error("cannot set permissions of", &dest))?;
    }
    drop(file);
    let locked = f.locked(&bytes)?;
    // New text is UTF-8 already: only the binary test is left.
    let text = match f.content {
        Content::Text(_) | Content::Unchanged(_) => !is_binary(&bytes),
        _ => as_text(&bytes).is_some(),
    };
    if text {
        stage.object(&locked.output, &bytes)?;
    }
    Ok(Some((path.to_string(), locked)))
}

/// Removes the file at `path`, if there is one.
fn remove_if_present(path: &Path) -> Result<(), TreeError> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(io_error("cannot remove", path)(e)),
        _ => Ok(()),
    }
}
