//! The output side of a run: where the output may go, the staging directory, the marker,
//! and the swap that puts a finished tree in place.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{io_error, state, TreeError, STATE_DIR};

#[cfg(unix)]
pub(super) fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
pub(super) fn symlink(_target: &Path, link: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        format!("symbolic links are not supported here: {}", link.display()),
    ))
}

/// `out` made absolute without requiring it to exist, where the run will really write: its
/// deepest existing ancestor canonicalized (links resolved, as for the input), then the
/// rest as written, `..` taken lexically. The rest does not exist yet, so it holds no link,
/// and `create_dir_all` makes it as written: `link-to-input/new/../branded` is
/// `input/branded` when `new` is missing. A dangling link at the end is kept as a name (the
/// swap replaces the link, it does not follow it).
pub(super) fn absolute_output(out: &Path) -> Result<PathBuf, TreeError> {
    use std::path::Component;
    if out.exists() {
        return fs::canonicalize(out).map_err(io_error("cannot read", out));
    }
    let abs = std::path::absolute(out).map_err(io_error("cannot resolve", out))?;
    let parts: Vec<Component<'_>> = abs.components().collect();
    let mut existing = parts.len();
    while existing > 0 && !parts[..existing].iter().collect::<PathBuf>().exists() {
        existing -= 1;
    }
    let base: PathBuf = parts[..existing].iter().collect();
    let mut resolved = match existing {
        0 => PathBuf::new(),
        _ => fs::canonicalize(&base).map_err(io_error("cannot read", &base))?,
    };
    for part in &parts[existing..] {
        match part {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::Normal(name) => resolved.push(name),
            Component::CurDir => {}
            other => resolved.push(other.as_os_str()),
        }
    }
    Ok(resolved)
}

pub(super) fn check_overlap(
    input: &Path,
    out: &Path,
    out_given: &Path,
    input_given: &Path,
) -> Result<(), TreeError> {
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

pub use crate::walk::VCS_NAMES;

/// What an existing output holds besides what rebrand wrote there, as `occupants` finds
/// it: relative `/`-separated paths, sorted.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Occupants {
    /// Version-control folders (`.git`, `.hg`, `.svn`), at any depth: never deleted.
    pub version_control: Vec<String>,
    /// Files, links and other entries the lock does not name: rebrand did not write them.
    pub foreign: Vec<String>,
    /// Files the lock names whose bytes are no longer what rebrand wrote: hand edits.
    pub edited: Vec<String>,
    /// Whether `out` is a file (or a link, or anything but a folder), not a tree.
    pub not_a_folder: bool,
    /// How many files the lock names were found as rebrand wrote them.
    pub intact: usize,
}

impl Occupants {
    /// Whether the output holds nothing but rebrand's own files, each as it wrote them.
    pub fn is_empty(&self) -> bool {
        self.version_control.is_empty()
            && self.foreign.is_empty()
            && self.edited.is_empty()
            && !self.not_a_folder
    }
}

/// What the existing output `out` holds that rebrand did not write, or changed since it
/// wrote it: every entry of the tree is checked against the lock of the run that wrote it
/// (`.rebrand/lock.toml`, hashes of the files written): each file the lock names is hashed,
/// unless the stat index `stats` vouches for it (its size, times and inode as when rebrand
/// wrote or last hashed it, and not racy: see [`super::index`]). Its modification time alone
/// says nothing here: a sync rewrites the lock after the vendor's hand edits, which would
/// then look older than it. The state folder `.rebrand/` is rebrand's own; a link is rebrand's when
/// `own_link` says the run would write it there with that target (links are not locked).
/// A missing output or an empty folder holds nothing.
///
/// This walk is not [`crate::walk`]'s, on purpose: what a replacement would lose is
/// everything the output holds, so it leaves nothing out but rebrand's own state (a
/// `node_modules/` or a nested `.git` someone made in the output counts), and a name that
/// is not UTF-8 is one more file rebrand did not write.
///
/// # Errors
/// [`TreeError::Io`] for an entry that cannot be read.
pub(super) fn occupants(
    out: &Path,
    lock: Option<&state::Lock>,
    own_link: impl Fn(&str, &Path) -> bool,
    stats: &super::index::Index,
) -> Result<Occupants, TreeError> {
    let mut found = Occupants::default();
    match fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(io_error("cannot read", out)(e)),
        Ok(m) if !m.is_dir() => {
            found.not_a_folder = true;
            return Ok(found);
        }
        Ok(_) => {}
    }
    let mut walk = walkdir::WalkDir::new(out)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter();
    let mut hashed = Vec::new();
    while let Some(item) = walk.next() {
        let item = item.map_err(|e| {
            let path = e.path().unwrap_or(out).to_path_buf();
            let source = e
                .into_io_error()
                .unwrap_or_else(|| io::Error::other("walk failed"));
            TreeError::Io {
                action: "cannot read",
                path,
                source,
            }
        })?;
        let rel = item
            .path()
            .strip_prefix(out)
            .unwrap_or(item.path())
            .to_string_lossy()
            .replace(std::path::MAIN_SEPARATOR, "/");
        let name = item.file_name();
        if VCS_NAMES.iter().any(|v| name == *v) {
            found.version_control.push(rel);
            if item.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        if item.depth() == 1 && name == STATE_DIR && item.file_type().is_dir() {
            walk.skip_current_dir();
            continue;
        }
        let kind = item.file_type();
        if kind.is_dir() {
            continue;
        }
        if kind.is_symlink() {
            let target = fs::read_link(item.path()).map_err(io_error("cannot read", item.path()))?;
            if !own_link(&rel, &target) {
                found.foreign.push(rel);
            }
            continue;
        }
        match lock.and_then(|l| l.files.get(&rel)) {
            Some(locked) if kind.is_file() => hashed.push((rel, item.into_path(), locked)),
            _ => found.foreign.push(rel),
        }
    }
    let edited: Vec<Option<String>> = hashed
        .into_par_iter()
        .map(|(rel, path, locked)| -> Result<Option<String>, TreeError> {
            let hash = stats
                .hash(super::index::Side::Output, &rel, &path)
                .map_err(io_error("cannot read", &path))?;
            if hash == locked.output {
                Ok(None)
            } else {
                Ok(Some(rel))
            }
        })
        .collect::<Result<_, _>>()?;
    let checked = edited.len();
    found.edited = edited.into_iter().flatten().collect();
    found.intact = checked - found.edited.len();
    Ok(found)
}

/// The start of the names of `out`'s staging directories (`.branded.rebrand-staging-`),
/// beside it; the fallback swap puts the previous output at such a name plus `.previous`.
fn staging_prefix(out: &Path) -> String {
    format!(
        ".{}.rebrand-staging-",
        out.file_name().map_or("out".into(), |n| n.to_string_lossy())
    )
}

/// A new staging directory for `out` in `parent` (the folder `out` is in), locked for as long
/// as the returned lock is held (the lock is `None` where the system has no `flock`).
///
/// A run that is killed leaves its staging directory behind, or, killed after the swap, the
/// previous output under the staging name. Before making its own, this removes the ones of
/// `out` that no live run holds: each run locks its staging directory, and the check and the
/// making happen under a lock on `parent`, so a run never removes the directory of another
/// that is still going. A leftover `.previous` (the non-atomic fallback swap) is kept while
/// `out` is missing: it is then the only copy of the previous output.
///
/// # Errors
/// [`TreeError::Io`] when the staging directory cannot be made; failing to remove a leftover
/// is not an error (it stays for a later run).
pub(super) fn stage_beside(
    out: &Path,
    parent: &Path,
) -> Result<(tempfile::TempDir, Option<fs::File>), TreeError> {
    let prefix = staging_prefix(out);
    let folder_lock = lock(parent, true);
    if folder_lock.is_some() {
        remove_stale_staging(parent, &prefix, out);
    }
    let staging = tempfile::Builder::new()
        .prefix(&prefix)
        .tempdir_in(parent)
        .map_err(io_error("cannot create a staging directory in", parent))?;
    let own = lock(staging.path(), false);
    drop(folder_lock);
    Ok((staging, own))
}

/// Removes the staging directories of `out` in `parent` that no live run holds.
fn remove_stale_staging(parent: &Path, prefix: &str, out: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(prefix) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if name.ends_with(".previous") && fs::symlink_metadata(out).is_err() {
            continue;
        }
        let path = entry.path();
        // Held: a run is writing it. Taken: its run is gone (a lock dies with its process).
        if let Some(_stale) = lock(&path, false) {
            let _ = remove_previous(&path);
        }
    }
}

/// An exclusive `flock` on directory `dir`, waiting for it when `wait`, else `None` when
/// another holds it; `None` too when the directory cannot be opened or locked.
#[cfg(unix)]
fn lock(dir: &Path, wait: bool) -> Option<fs::File> {
    use rustix::fs::FlockOperation;
    let file = fs::File::open(dir).ok()?;
    let operation = if wait {
        FlockOperation::LockExclusive
    } else {
        FlockOperation::NonBlockingLockExclusive
    };
    rustix::fs::flock(&file, operation).ok()?;
    Some(file)
}

#[cfg(not(unix))]
fn lock(_dir: &Path, _wait: bool) -> Option<fs::File> {
    None
}

/// The nearest proper ancestor of output path `path` (`/`-separated) that is in `links`
/// (the output paths of symbolic links), or `path` itself when `itself` and it is one: a
/// file written there would be written through the link, wherever it points.
pub(super) fn link_on_the_way<'a>(path: &str, links: &'a HashSet<String>, itself: bool) -> Option<&'a str> {
    let mut at = path;
    if itself {
        if let Some(link) = links.get(at) {
            return Some(link);
        }
    }
    while let Some((parent, _)) = at.rsplit_once('/') {
        if let Some(link) = links.get(parent) {
            return Some(link);
        }
        at = parent;
    }
    None
}

/// Puts the staged tree at `out`: an atomic exchange where the system has one (Linux
/// `renameat2(RENAME_EXCHANGE)`), else two renames. Returns where the previous output went,
/// if there was one, for the caller to remove.
pub(super) fn swap_into_place(staging: tempfile::TempDir, out: &Path) -> Result<Option<PathBuf>, TreeError> {
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
pub(super) fn remove_previous(path: &Path) -> io::Result<()> {
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
