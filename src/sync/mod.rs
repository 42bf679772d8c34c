//! Upstream sync: brings what upstream changed into a branded tree, branded, and keeps the
//! vendor's hand edits.
//!
//! For every output path there are three texts: *before* (what the last sync generated,
//! kept in `.rebrand/objects/` by its hash), *now* (what the current upstream and rules generate) and
//! *downstream* (what the vendor has). An unedited file (downstream = before) takes the new
//! text; a hand-edited one is merged three-way (diffy) and keeps both sides' changes, or
//! gets git-style conflict markers where they overlap. Files the vendor added or deleted stay
//! as the vendor has them. The state lives in the branded tree (see [`crate::tree::state`]).
//!
//! Writing goes through a journal (see [`journal`]): everything is staged under
//! `.rebrand/pending/`, the journal is committed with one rename, then the staged files are
//! moved into place. A sync killed before the commit leaves the tree as it was; one killed
//! after it is completed by the next `sync` or `check`.

mod adopt;
pub mod journal;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::rewrite::Engine;
use crate::tree::state::{self, Lock};
use crate::tree::{self, as_text, Plan, TreeError, STATE_DIR};
use journal::{Journal, Op};

/// An error that stops a sync before anything is written.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The downstream has no `.rebrand/lock.toml` and no `--adopt` was given.
    #[error("`{}` has no sync state (`.rebrand/lock.toml`): it was not made by `rebrand apply` or `rebrand sync`. To sync a hand-made edition, pass `--adopt --base-upstream DIR` with the upstream it was made from", .0.display())]
    NoState(PathBuf),
    /// Reading the trees or planning the output failed.
    #[error(transparent)]
    Tree(#[from] TreeError),
    /// Reading or writing the state failed.
    #[error("{action} `{}`: {source}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// The path concerned.
        path: PathBuf,
        /// The I/O error.
        source: io::Error,
    },
}

fn io_error<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> SyncError + 'a {
    move |source| SyncError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Options of [`sync`].
#[derive(Debug, Clone, Default)]
pub struct SyncOptions {
    /// The upstream label to record (`--upstream-rev`).
    pub upstream_label: Option<String>,
    /// `--adopt --base-upstream DIR`: the downstream has no state; it was made by hand from
    /// this upstream.
    pub adopt: Option<PathBuf>,
    /// Decide and report, write nothing (`rebrand check`).
    pub dry_run: bool,
}

/// What a sync does to one output path.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A new upstream file, written branded.
    Added,
    /// Adoption: a file the vendor left as upstream, now rebrand's output.
    Branded,
    /// An unedited file, replaced by the new generated text.
    Updated,
    /// A hand-edited file that upstream or the rules changed: merged without conflict.
    Merged,
    /// A hand-edited file whose edits overlap the new text: written with conflict markers.
    Conflict,
    /// A hand-edited file upstream deleted: kept as the vendor has it, reported.
    KeptDeletedUpstream,
    /// A file the vendor deleted that upstream changed: stays deleted, reported.
    KeptVendorDeletion,
    /// An unedited file upstream deleted: deleted.
    Deleted,
    /// Adoption: a file of the vendor's own (no upstream file at its path): kept.
    KeptVendorFile,
    /// Adoption: a binary file the vendor replaced (a logo): kept.
    KeptVendorBinary,
    /// Adoption: an unedited upstream file the rules leave out (`[files] omit`, a dropped
    /// locale): removed.
    LeftOut,
    /// Adoption: an upstream file the rules leave out, edited here: kept.
    KeptLeftOut,
    /// Adoption: an unedited upstream file at a path a rule renames, beside the vendor's
    /// file at the new path: removed.
    Superseded,
}

impl Action {
    /// Whether the action needs a person: the sync exits 1.
    pub fn is_conflict(&self) -> bool {
        matches!(self, Action::Conflict | Action::KeptDeletedUpstream)
    }

    /// The word the report uses.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Added => "added",
            Action::Updated => "updated",
            Action::Merged => "merged",
            Action::Conflict => "conflict",
            Action::KeptDeletedUpstream => "conflict (deleted upstream, edited here)",
            Action::KeptVendorDeletion => "kept deleted (changed upstream)",
            Action::Deleted => "deleted",
            Action::Branded => "branded",
            Action::KeptVendorFile => "vendor file kept",
            Action::KeptVendorBinary => "vendor binary kept",
            Action::LeftOut => "left out (removed)",
            Action::KeptLeftOut => "left out by the rules, edited here (kept)",
            Action::Superseded => "removed (renamed by the rules)",
        }
    }
}

/// One output path a sync acts on or reports.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileSync {
    /// The output path.
    pub path: String,
    /// What happens to it.
    pub action: Action,
    /// The path the vendor's file was at, when it moves to follow a rename (adoption).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<String>,
}

impl FileSync {
    /// `action` on `path`, not moved.
    pub fn new(path: &str, action: Action) -> FileSync {
        FileSync {
            path: path.to_string(),
            action,
            moved_from: None,
        }
    }
}

/// A region of a merged file where the two sides' changes overlap, as the conflict markers
/// show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConflictHunk {
    /// 1-based line of its `<<<<<<<` marker in the merged file.
    pub line: usize,
    /// Its lines, markers included.
    pub text: String,
}

/// The conflict regions of `merged` (the text [`merge`] gives), in order.
fn hunks_of(merged: &[u8]) -> Vec<ConflictHunk> {
    let text = String::from_utf8_lossy(merged);
    let mut hunks = Vec::new();
    let mut open: Option<ConflictHunk> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if line.starts_with("<<<<<<< ") {
            open = Some(ConflictHunk {
                line: i + 1,
                text: String::new(),
            });
        }
        if let Some(hunk) = open.as_mut() {
            hunk.text.push_str(line);
        }
        if line.starts_with(">>>>>>> ") {
            hunks.extend(open.take());
        }
    }
    hunks
}

/// The permissions a file a sync writes gets: those of the file it replaces, else those of
/// the upstream (or overlay) file it is made from, as `apply` keeps them.
struct Modes<'a> {
    sources: BTreeMap<&'a str, &'a Path>,
}

impl<'a> Modes<'a> {
    fn of(plan: &'a Plan) -> Modes<'a> {
        Modes {
            sources: plan
                .files
                .iter()
                .filter_map(|f| Some((f.report.out_path(), f.source.as_deref()?)))
                .collect(),
        }
    }

    /// The permissions for output path `path`, whose file in the tree is (or was) `target`.
    fn get(&self, path: &str, target: &Path) -> Option<fs::Permissions> {
        fs::metadata(target)
            .or_else(|_| fs::metadata(self.sources.get(path).ok_or(io::ErrorKind::NotFound)?))
            .ok()
            .map(|m| m.permissions())
    }
}

/// What a sync did (or, dry, would do).
#[derive(Debug, Clone, Default)]
pub struct Synced {
    /// Every path acted on or reported, sorted.
    pub files: Vec<FileSync>,
    /// Files of the downstream that carried hand edits (differ from the generated text they
    /// were made from).
    pub hand_edited: usize,
    /// The upstream label before and after.
    pub labels: (Option<String>, Option<String>),
    /// Whether an interrupted sync was completed first.
    pub resumed: bool,
    /// The plan of the new generated tree.
    pub plan: Plan,
    /// Whether this was the adoption of a hand-made edition (`--adopt`).
    pub adopted: bool,
    /// The conflict regions of each conflicted file, by output path.
    pub conflict_hunks: BTreeMap<String, Vec<ConflictHunk>>,
}

impl Synced {
    /// Paths needing a person (conflicts).
    pub fn conflicts(&self) -> usize {
        self.files.iter().filter(|f| f.action.is_conflict()).count()
    }

    /// How many paths each action took, in the order of [`Action`]'s variants (conflicts
    /// after the rest); actions no path took are left out.
    pub fn counts(&self) -> Vec<(Action, usize)> {
        let mut counts: BTreeMap<(bool, usize), (Action, usize)> = BTreeMap::new();
        for f in &self.files {
            let key = (f.action.is_conflict(), f.action.clone() as usize);
            counts.entry(key).or_insert((f.action.clone(), 0)).1 += 1;
        }
        counts.into_values().collect()
    }
}

/// Reads `path`, `None` when it does not exist.
fn read_optional(path: &Path) -> Result<Option<Vec<u8>>, SyncError> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error("cannot read", path)(e)),
        Ok(m) if m.is_dir() => Ok(None),
        Ok(_) => fs::read(path).map(Some).map_err(io_error("cannot read", path)),
    }
}

/// The generated texts and hashes of a plan, by output path.
struct Generated {
    lock: Lock,
    texts: BTreeMap<String, Vec<u8>>,
}

fn generated(plan: &Plan, engine: &Engine, label: Option<String>) -> Result<Generated, SyncError> {
    // Each file read once: its bytes and its lock entry together.
    type Entry = Option<(String, state::Locked, Vec<u8>)>;
    let results: Vec<Result<Entry, TreeError>> = plan
        .files
        .par_iter()
        .map(|f| {
            let Some(bytes) = f.bytes()? else { return Ok(None) };
            let locked = f.locked(&bytes)?;
            Ok(Some((
                f.report.out_path().to_string(),
                locked,
                bytes.into_owned(),
            )))
        })
        .collect();
    let mut lock = Lock::new(engine.rules(), label).map_err(io_error("cannot read", &engine.rules().path))?;
    let mut texts = BTreeMap::new();
    for r in results {
        if let Some((path, locked, bytes)) = r? {
            lock.files.insert(path.clone(), locked);
            texts.insert(path, bytes);
        }
    }
    Ok(Generated { lock, texts })
}

/// Brings `upstream`, branded with `engine`'s rules, into the branded tree `downstream`.
///
/// # Errors
/// [`SyncError::NoState`] for a downstream without state and without `adopt`; errors of
/// reading the trees, planning the output or writing, with nothing written (a failure
/// after the journal's commit is completed by the next run).
pub fn sync(
    engine: &Engine,
    upstream: &Path,
    downstream: &Path,
    options: &SyncOptions,
) -> Result<Synced, SyncError> {
    let resumed = if options.dry_run {
        false
    } else {
        journal::recover(downstream)
            .map_err(io_error("cannot complete the interrupted sync in", downstream))?
    };
    if let Some(base_upstream) = &options.adopt {
        return adopt::adopt(engine, base_upstream, upstream, downstream, options, resumed);
    }
    // Before: the lock and base texts of the last sync.
    let before_lock = Lock::load(downstream)
        .map_err(io_error("cannot read the sync state of", downstream))?
        .ok_or_else(|| SyncError::NoState(downstream.to_path_buf()))?;
    let plan = tree::plan(engine, upstream)?;
    let now = generated(
        &plan,
        engine,
        options.upstream_label.clone().or(before_lock.upstream.clone()),
    )?;
    let paths: BTreeSet<&String> = before_lock.files.keys().chain(now.lock.files.keys()).collect();

    let modes = Modes::of(&plan);
    let mode = |path: &str, target: &Path| modes.get(path, target);
    let mut conflict_hunks = BTreeMap::new();
    let mut journal = Journal::new(downstream);
    let mut files = Vec::new();
    let mut hand_edited = 0;
    for path in paths {
        let before = before_lock.files.get(path);
        let new = now.texts.get(path.as_str());
        let target = downstream.join(path);
        let current = read_optional(&target)?;
        let current_hash = current.as_deref().map(state::hash);
        let edited = match (before, &current_hash) {
            (Some(b), Some(c)) => &b.output != c,
            _ => false,
        };
        hand_edited += usize::from(edited);
        let mut act = |action: Action| files.push(FileSync::new(path, action));
        match (before, new, current) {
            // Upstream deleted it.
            (Some(_), None, None) => {}
            (Some(_), None, Some(_)) if !edited => {
                journal.push(Op::Delete { path: path.clone() });
                act(Action::Deleted);
            }
            (Some(_), None, Some(_)) => act(Action::KeptDeletedUpstream),
            // New upstream.
            (None, Some(new), None) => {
                journal.write_with(path, new, mode(path, &target));
                act(Action::Added);
            }
            (None, Some(new), Some(current)) if &current == new => {}
            (None, Some(new), Some(current)) => {
                // A vendor file where upstream now has one: merged from an empty base.
                let texts = (&b""[..], &current[..], &new[..]);
                let permissions = mode(path, &target);
                act(merge_staged(
                    &mut journal,
                    &mut conflict_hunks,
                    path,
                    texts,
                    true,
                    permissions,
                ));
            }
            (Some(b), Some(new), None) => {
                if b.output != state::hash(new) {
                    act(Action::KeptVendorDeletion);
                }
            }
            (Some(b), Some(new), Some(current)) => {
                let new_hash = state::hash(new);
                if current_hash.as_deref() == Some(new_hash.as_str()) {
                    // Already what upstream generates now.
                } else if !edited {
                    journal.write_with(path, new, mode(path, &target));
                    act(Action::Updated);
                } else if b.output == new_hash {
                    // Upstream and rules did not move: the hand edit stays.
                } else {
                    // No base text (the state lost it): merged from an empty base, which
                    // shows both sides as a conflict; nothing of the vendor's is lost.
                    let base = state::read_base(downstream, path, &b.output)
                        .map_err(io_error("cannot read the base text of", &target))?
                        .unwrap_or_default();
                    let texts = (&base[..], &current[..], &new[..]);
                    let permissions = mode(path, &target);
                    act(merge_staged(
                        &mut journal,
                        &mut conflict_hunks,
                        path,
                        texts,
                        true,
                        permissions,
                    ));
                }
            }
            (None, None, _) => unreachable!("the path comes from one of the two locks"),
        }
    }
    // The new state: base texts and the lock.
    // A path upstream no longer generates leaves the state: a hand-edited one kept here is
    // a vendor file from now on, which the next sync leaves alone.
    let new_lock = now.lock;
    base_texts(&mut journal, downstream, &before_lock, &new_lock, &now.texts);
    let mut new_lock = new_lock;
    if new_lock.upstream.is_none() {
        new_lock.upstream = before_lock.upstream.clone();
    }
    if new_lock != before_lock {
        journal.write(
            &format!("{STATE_DIR}/{}", state::LOCK),
            new_lock.to_toml().as_bytes(),
        );
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if !options.dry_run && !journal.is_empty() {
        journal
            .commit()
            .map_err(io_error("cannot write the sync into", downstream))?;
        // Folders of base texts the journal emptied (it removes files only).
        for folder in [state::BASE, state::OBJECTS] {
            remove_empty_folders(&downstream.join(STATE_DIR).join(folder));
        }
    }
    Ok(Synced {
        files,
        hand_edited,
        labels: (before_lock.upstream, new_lock.upstream),
        resumed,
        plan,
        adopted: false,
        conflict_hunks,
    })
}

/// Removes the empty folders in and at `dir`, deepest first; best effort (a folder that
/// holds anything stays, and nothing else is touched).
fn remove_empty_folders(dir: &Path) {
    let folders = walkdir::WalkDir::new(dir)
        .contents_first(true)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir());
    for folder in folders {
        let _ = fs::remove_dir(folder.path());
    }
}

/// Stages in `journal` the base texts of the new state of `downstream`: the object of every
/// text of `texts` (the new generated bytes by output path, locked in `new`) that the tree
/// does not hold yet, and the removal of the objects only the `before` lock had, and of the
/// base texts by path rebrand 0.9.0 kept (`.rebrand/base/`), which objects replace.
fn base_texts(
    journal: &mut Journal,
    downstream: &Path,
    before: &Lock,
    new: &Lock,
    texts: &BTreeMap<String, Vec<u8>>,
) {
    let kept: BTreeSet<&str> = texts
        .iter()
        .filter(|(_, bytes)| as_text(bytes).is_some())
        .map(|(path, _)| new.files[path].output.as_str())
        .collect();
    let mut staged = BTreeSet::new();
    for (path, bytes) in texts {
        let hash = new.files[path].output.as_str();
        if kept.contains(hash) && staged.insert(hash) {
            let rel = state::object_rel(hash);
            if !downstream.join(&rel).is_file() {
                journal.write(&rel, bytes);
            }
        }
    }
    let gone: BTreeSet<&str> = before
        .files
        .values()
        .map(|f| f.output.as_str())
        .filter(|h| !kept.contains(h))
        .collect();
    for hash in gone {
        journal.push(Op::Delete {
            path: state::object_rel(hash),
        });
    }
    // Only a tree rebrand 0.9.0 wrote has the folder: no look-up per file otherwise.
    if downstream.join(STATE_DIR).join(state::BASE).is_dir() {
        for path in before.files.keys() {
            if state::base_path(downstream, path).is_file() {
                journal.push(Op::Delete {
                    path: format!("{STATE_DIR}/{}/{path}", state::BASE),
                });
            }
        }
    }
}

/// The three-way merge of `texts` (base, ours, theirs: see [`merge`]) staged in `journal` at
/// `path` with permissions `mode`, its conflict regions (if any) recorded in `hunks`; the
/// action it is: [`Action::Conflict`] or [`Action::Merged`].
fn merge_staged(
    journal: &mut Journal,
    hunks: &mut BTreeMap<String, Vec<ConflictHunk>>,
    path: &str,
    (base, ours, theirs): (&[u8], &[u8], &[u8]),
    with_base: bool,
    mode: Option<fs::Permissions>,
) -> Action {
    let (merged, conflict) = merge(base, ours, theirs, with_base);
    journal.write_with(path, &merged, mode);
    if conflict {
        hunks.insert(path.to_string(), hunks_of(&merged));
        Action::Conflict
    } else {
        Action::Merged
    }
}

/// The three-way merge of `ours` (the vendor's) and `theirs` (the new generated text) from
/// `base`: the merged bytes and whether they hold conflict markers. `with_base` shows the
/// base's lines in each conflict (diff3 style, `|||||||`); without it, only the two sides
/// (git's default style). Binary files cannot be merged: the vendor's stays, as a conflict.
fn merge(base: &[u8], ours: &[u8], theirs: &[u8], with_base: bool) -> (Vec<u8>, bool) {
    let mut options = diffy::MergeOptions::new();
    if !with_base {
        options.set_conflict_style(diffy::ConflictStyle::Merge);
    }
    match (as_text(base), as_text(ours), as_text(theirs)) {
        (Some(base), Some(ours), Some(theirs)) => match options.merge(base, ours, theirs) {
            Ok(merged) => (merged.into_bytes(), false),
            Err(conflicted) => (conflicted.into_bytes(), true),
        },
        _ => (ours.to_vec(), true),
    }
}

/// Output paths of the lock whose downstream file still holds conflict markers.
///
/// # Errors
/// An I/O error naming the file that cannot be read.
pub fn conflict_markers(downstream: &Path) -> Result<Vec<String>, SyncError> {
    let Some(lock) = Lock::load(downstream).map_err(io_error("cannot read the sync state of", downstream))?
    else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for path in lock.files.keys() {
        if let Some(bytes) = read_optional(&downstream.join(path))? {
            if let Some(t) = as_text(&bytes) {
                let marked = t.lines().any(|l| l.starts_with("<<<<<<< "))
                    && t.lines().any(|l| l == "=======")
                    && t.lines().any(|l| l.starts_with(">>>>>>> "));
                if marked {
                    out.push(path.clone());
                }
            }
        }
    }
    Ok(out)
}
