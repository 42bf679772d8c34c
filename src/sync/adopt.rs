//! Adoption of a hand-made edition (`sync --adopt --base-upstream DIR`): a tree a vendor
//! branded by hand from upstream `DIR`, with no sync state, is *upstream plus hand edits*.
//! The merge base of each file is therefore the upstream file the edition was made from,
//! not rebrand's output of it:
//!
//! | the vendor's file | result |
//! |---|---|
//! | equal to its base upstream file | rebrand's output (`branded`) |
//! | edited | `merge(base = upstream file, ours = vendor's, theirs = rebrand's output)`: identical changes on both sides merge cleanly (`merged`), the rest is a `conflict` with git-style markers |
//! | at the upstream path of a file the rules rename | merged as above and moved to the new path (no copy left at the old one) |
//! | of a path the rules leave out (`[files] omit`, a dropped locale) | removed if never edited, else kept and reported |
//! | a binary file the vendor replaced (a logo) | kept, reported |
//! | the vendor's own (no upstream file) | kept, reported |
//!
//! Afterwards the tree carries the state `apply` would have written (the lock and base texts
//! of rebrand's output) with the hand edits on top, so the next `sync` is an ordinary one.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use super::journal::{Journal, Op};
use super::{
    base_texts, generated, io_error, merge_staged, read_optional, Action, FileSync, Modes, SyncError,
    SyncOptions, Synced,
};
use crate::rewrite::Engine;
use crate::tree::{self, as_text, state, InputFile, STATE_DIR};

/// Adopts the hand-made edition `downstream`, made from `base_upstream`, bringing it to
/// `upstream` branded with `engine`'s rules (see the module's table).
///
/// # Errors
/// Errors of reading the trees or planning the output ([`SyncError::Tree`], naming the
/// path), and of writing ([`SyncError::Io`]), with nothing written before the journal's
/// commit.
pub(super) fn adopt(
    engine: &Engine,
    base_upstream: &Path,
    upstream: &Path,
    downstream: &Path,
    options: &SyncOptions,
    resumed: bool,
) -> Result<Synced, SyncError> {
    let plan = tree::plan(engine, upstream)?;
    let now = generated(&plan, engine, options.upstream_label.clone())?;
    let (base, vendor) = rayon::join(
        || tree::input_files(engine, base_upstream),
        || tree::entry_paths(downstream),
    );
    let base = base?;
    let vendor: BTreeSet<String> = vendor?.into_iter().collect();
    let base_by_out: HashMap<&str, &InputFile> =
        base.iter().filter_map(|f| Some((f.out.as_deref()?, f))).collect();
    let modes = Modes::of(&plan);
    let mut journal = Journal::new(downstream);
    let mut files = Vec::new();
    let mut hand_edited = 0;
    let mut conflict_hunks = BTreeMap::new();
    // The downstream paths this adoption has accounted for.
    let mut seen: HashSet<&str> = HashSet::new();
    for (path, new) in &now.texts {
        let base_file = base_by_out.get(path.as_str()).copied();
        // The vendor's file: at the output path, or still at the upstream path a rule renames.
        let moved_from = match base_file {
            Some(f) if !vendor.contains(path) && f.path != *path && vendor.contains(&f.path) => {
                Some(f.path.as_str())
            }
            _ => None,
        };
        let at = moved_from.unwrap_or(path);
        seen.insert(path);
        seen.insert(at);
        let current = if vendor.contains(at) {
            read_optional(&downstream.join(at))?
        } else {
            None
        };
        let base_bytes = match base_file {
            Some(f) => read_optional(&f.abs)?,
            None => None,
        };
        let target = downstream.join(path);
        let mode = || modes.get(path, &downstream.join(at));
        let action = match current {
            // The vendor deleted a file of the upstream it started from: it stays deleted.
            None if base_bytes.is_some() => Some(Action::KeptVendorDeletion),
            None => {
                journal.write_with(path, new, modes.get(path, &target));
                Some(Action::Added)
            }
            Some(current) => {
                let edited = base_bytes.as_deref() != Some(current.as_slice());
                hand_edited += usize::from(edited);
                if !edited || current == *new {
                    (moved_from.is_some() || current != *new).then(|| {
                        journal.write_with(path, new, mode());
                        if edited {
                            Action::Merged
                        } else {
                            Action::Branded
                        }
                    })
                } else if [
                    Some(current.as_slice()),
                    Some(new.as_slice()),
                    base_bytes.as_deref(),
                ]
                .into_iter()
                .flatten()
                .any(|b| as_text(b).is_none())
                {
                    // A logo the vendor replaced: theirs stays, whatever the rules make.
                    if moved_from.is_some() {
                        journal.write_with(path, &current, mode());
                    }
                    Some(Action::KeptVendorBinary)
                } else {
                    // The base is upstream's unbranded text: shown in the markers it would only
                    // add the old brand to what a person resolves.
                    let texts = (base_bytes.as_deref().unwrap_or_default(), &current[..], &new[..]);
                    Some(merge_staged(
                        &mut journal,
                        &mut conflict_hunks,
                        path,
                        texts,
                        false,
                        mode(),
                    ))
                }
            }
        };
        if let Some(from) = moved_from {
            journal.push(Op::Delete {
                path: from.to_string(),
            });
        }
        if let Some(action) = action {
            files.push(FileSync {
                path: path.clone(),
                action,
                moved_from: moved_from.map(str::to_string),
            });
        }
    }
    // What is left of the downstream: upstream files the rules leave out or move, files
    // upstream no longer has, and the vendor's own.
    let base_by_path: HashMap<&str, &InputFile> = base.iter().map(|f| (f.path.as_str(), f)).collect();
    for path in vendor.iter().filter(|p| !seen.contains(p.as_str())) {
        let Some(base_file) = base_by_path.get(path.as_str()) else {
            files.push(FileSync::new(path, Action::KeptVendorFile));
            continue;
        };
        let unedited = read_optional(&downstream.join(path))? == read_optional(&base_file.abs)?;
        let action = match (&base_file.out, unedited) {
            (None, true) => Action::LeftOut,
            (None, false) => Action::KeptLeftOut,
            // The vendor has the renamed file too: this is a stale upstream copy.
            (Some(out), true) if out != path => Action::Superseded,
            (Some(_), true) => Action::Deleted,
            (Some(_), false) => Action::KeptVendorFile,
        };
        if matches!(action, Action::LeftOut | Action::Superseded | Action::Deleted) {
            journal.push(Op::Delete { path: path.clone() });
        }
        files.push(FileSync::new(path, action));
    }
    // The state `apply` would have written: the lock and base texts of rebrand's output.
    let mut lock = now.lock;
    base_texts(
        &mut journal,
        downstream,
        &state::Lock::default(),
        &lock,
        &now.texts,
    );
    if lock.upstream.is_none() {
        lock.upstream = options.upstream_label.clone();
    }
    journal.write(&format!("{STATE_DIR}/{}", state::LOCK), lock.to_toml().as_bytes());
    journal.write(
        &format!("{STATE_DIR}/{}", tree::MARKER),
        state::marker_text(engine.rules()).as_bytes(),
    );
    files.sort_by(|a, b| a.path.cmp(&b.path));
    if !options.dry_run {
        journal
            .commit()
            .map_err(io_error("cannot write the adoption into", downstream))?;
    }
    Ok(Synced {
        files,
        hand_edited,
        labels: (None, lock.upstream),
        resumed,
        plan,
        adopted: true,
        conflict_hunks,
    })
}
