//! Incremental apply: an output that rebrand wrote from the same input, with the same rules,
//! overlay, patches and tool version, and that nobody changed since, is up to date, and
//! `apply` leaves it alone. The input files are checked by content hash (BLAKE3) against
//! the lock's input hashes. The output files are checked once, by `output::occupants`, which
//! `apply` runs first to refuse an output people changed: each is hashed against the lock's
//! output hash. A file the stat index vouches for (its size, times and inode unmoved since it
//! was hashed, and not racy: [`super::index`]) is taken at its recorded hash without being
//! read; `apply --verify` reads every one.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::index::{Index, Kind, Side, Stat, Whole};
use super::output::Occupants;
use super::state::{self, Lock};
use super::{io_error, walk_overlay, Entry, EntryKind, TreeError};
use crate::rewrite::Engine;
use crate::rules::RuleSet;
use crate::site::patch::{self, FileOp};
use crate::site::rename::PathMap;

/// Whether the output at `out` is what `apply` of the input with `engine`'s rules would
/// write: `entries` is the input's walk, `lock` the output's lock (`None` when it has none
/// or it does not parse), `found` what the output holds beside the files the lock names
/// (see [`super::output::occupants`], which has hashed each of those against the lock),
/// `label` the upstream label the run would record, `stats` the output's stat index.
///
/// # Errors
/// [`TreeError::Io`] when a file cannot be read.
pub(super) fn up_to_date(
    engine: &Engine,
    entries: &[Entry],
    lock: Option<&Lock>,
    out: &Path,
    found: &Occupants,
    label: Option<&str>,
    stats: &Index,
) -> Result<bool, TreeError> {
    let rules = engine.rules();
    let Some(lock) = lock else {
        return Ok(false);
    };
    // A missing overlay or patch file: not up to date; the run itself says what is wrong.
    let Ok(rules_hash) = state::rules_hash(rules) else {
        return Ok(false);
    };
    if lock.tool_version != crate::version::tool_version()
        || lock.rules_hash != rules_hash
        || label.is_some_and(|l| lock.upstream.as_deref() != Some(l))
    {
        return Ok(false);
    }
    // What the rules leave out is not written (see `leave_out`).
    let entries: Vec<&Entry> = entries.iter().filter(|e| !rules.leaves_out(&e.rel)).collect();
    let Ok(paths) = PathMap::new(rules, entries.iter().map(|e| e.rel.as_str())) else {
        return Ok(false);
    };
    let overlaid: HashSet<String> = match &rules.site.overlay {
        Some(o) => walk_overlay(&o.dir)?
            .into_iter()
            .filter(|e| e.kind == EntryKind::File)
            .map(|e| e.rel)
            .collect(),
        None => HashSet::new(),
    };
    // The rules hash covers the patches' text: what they delete is what they deleted then.
    let Some(deleted) = patch_deletions(rules) else {
        return Ok(false);
    };
    // Every input file that is neither overlaid nor deleted must be locked with its current
    // hash; the lock holds nothing else but overlay files and files a patch created (no
    // input hash).
    let inputs: Vec<&Entry> = entries
        .iter()
        .copied()
        .filter(|e| {
            let out = paths.get(&e.rel);
            e.kind == EntryKind::File && !overlaid.contains(out) && !deleted.contains(out)
        })
        .collect();
    let overlaid = overlaid.iter().filter(|p| !deleted.contains(p.as_str())).count();
    let created = lock.files.values().filter(|f| f.input.is_empty()).count();
    if lock.files.len() != inputs.len() + overlaid + created {
        return Ok(false);
    }
    // The output as written: nothing in it but the files the lock names, every one of them
    // there and unchanged (hashed before).
    if !found.is_empty() || found.intact != lock.files.len() {
        return Ok(false);
    }
    let inputs_match = inputs
        .par_iter()
        .map(|e| -> Result<bool, TreeError> {
            let Some(locked) = lock.files.get(paths.get(&e.rel)) else {
                return Ok(false);
            };
            let hash = stats
                .hash(Side::Input, &e.rel, &e.abs)
                .map_err(io_error("cannot read", &e.abs))?;
            Ok(locked.input == hash)
        })
        .collect::<Result<Vec<bool>, _>>();
    if !inputs_match?.into_iter().all(|ok| ok) {
        return Ok(false);
    }
    // Links are not in the lock: each must still be there with the same target.
    // (A link that leads out of the tree is not written.)
    for e in entries.iter().filter(|e| e.kind == EntryKind::Symlink) {
        let Some((target, leads)) = &e.link else { continue };
        if *leads == super::LinkTarget::Outside {
            continue;
        }
        if fs::read_link(out.join(paths.get(&e.rel))).ok().as_ref() != Some(target) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The stats of an upstream tree as a run found it, taken before any file is read, so that
/// a file that changes while the run reads it has moved from what the index records.
pub(super) struct InputStats {
    /// The tree's root folder.
    root: Option<Stat>,
    /// Each entry of its walk, in order (`None` where it cannot be read).
    entries: Vec<Option<Stat>>,
}

/// The [`InputStats`] of the upstream tree at `root`, walked as `entries`.
pub(super) fn input_stats(root: &Path, entries: &[Entry]) -> InputStats {
    InputStats {
        root: Stat::at(root),
        entries: entries.par_iter().map(|e| Stat::at(&e.abs)).collect(),
    }
}

/// Writes the stat index of the output at `out` (see [`super::index`]) after a run that left
/// it as `lock` says (written as it is, or found so):
/// - the upstream tree at `input`: its root and every entry of its walk `entries`, with the
///   stats taken before the run read them (`stats`, see [`input_stats`]), each file with
///   the input hash the lock records for the output it makes;
/// - the output: every file the lock names with its stat now and the lock's output hash,
///   every link the run writes, and the folders that hold them, up to the root.
///
/// When every stat was read, the index vouches for the run as a whole ([`Whole`]): a later
/// run whose trees have not moved is up to date without a walk. Best effort: the index is
/// a cache, and a run that cannot write it only loses what it would save next time.
pub(super) fn record_index(
    engine: &Engine,
    (entries, stats): (&[Entry], &InputStats),
    lock: &Lock,
    input: &Path,
    out: &Path,
) {
    // As the run placed them: what the rules leave out has no output (see `leave_out`).
    let rules = engine.rules();
    let placed = entries.iter().filter(|e| !rules.leaves_out(&e.rel));
    let Ok(paths) = PathMap::new(rules, placed.map(|e| e.rel.as_str())) else {
        return;
    };
    let mut index = Index::with_capacity(input, out, entries.len() + lock.files.len());
    let mut whole = stats.root.is_some();
    if let Some(root) = stats.root {
        index.record_entry(Side::Input, Kind::Dir, "", root, "");
    }
    let mut links = Vec::new();
    for (e, stat) in entries.iter().zip(&stats.entries) {
        let kind = match e.kind {
            EntryKind::Dir => Kind::Dir,
            EntryKind::File => Kind::File,
            EntryKind::Symlink => Kind::Link,
            // Its folder's stat vouches for its name; it is never read.
            EntryKind::Special => continue,
        };
        let Some(stat) = stat else {
            whole = false;
            continue;
        };
        // Recorded all the same: a change there is a change of the tree.
        if rules.leaves_out(&e.rel) {
            index.record_entry(Side::Input, kind, &e.rel, *stat, "");
            continue;
        }
        let out_rel = paths.get(&e.rel);
        let hash = match lock.files.get(out_rel) {
            Some(locked) if kind == Kind::File => locked.input.as_str(),
            _ => "",
        };
        if kind == Kind::Link
            && e.link
                .as_ref()
                .is_some_and(|(_, leads)| *leads != super::LinkTarget::Outside)
        {
            links.push(out_rel);
        }
        index.record_entry(Side::Input, kind, &e.rel, *stat, hash);
    }
    // The output: the locked files and the links, and every folder above them.
    let mut folders: BTreeSet<&str> = BTreeSet::from([""]);
    for rel in lock.files.keys().map(String::as_str).chain(links.iter().copied()) {
        let mut at = rel;
        while let Some((parent, _)) = at.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            at = parent;
        }
    }
    let wanted: Vec<(Kind, &str, &str)> = folders
        .into_iter()
        .map(|d| (Kind::Dir, d, ""))
        .chain(links.iter().map(|l| (Kind::Link, *l, "")))
        .chain(
            lock.files
                .iter()
                .map(|(rel, f)| (Kind::File, rel.as_str(), f.output.as_str())),
        )
        .collect();
    let stat = |rel: &str| match rel {
        "" => Stat::at(out),
        rel => Stat::at(&out.join(rel)),
    };
    let found: Vec<Option<Stat>> = wanted.par_iter().map(|(_, rel, _)| stat(rel)).collect();
    for ((kind, rel, hash), stat) in wanted.iter().zip(found) {
        match stat {
            Some(stat) => index.record_entry(Side::Output, *kind, rel, stat, hash),
            None => whole = false,
        }
    }
    // The lock's own rules hash is this run's: it wrote the lock, or found it up to date.
    if let (true, Some(lock_stat)) = (whole, Stat::at(&state::lock_path(out))) {
        index.vouch_for_whole(Whole {
            tool_version: crate::version::tool_version().to_string(),
            rules_hash: lock.rules_hash.clone(),
            upstream: lock.upstream.clone(),
            lock: lock_stat,
        });
    }
    let _ = index.save();
}

/// The output paths the `[[patch]]` files delete, or `None` when one cannot be read or
/// parsed (the run itself then says what is wrong).
fn patch_deletions(rules: &RuleSet) -> Option<HashSet<String>> {
    let mut deleted = HashSet::new();
    for rule in &rules.site.patches {
        let text = fs::read_to_string(&rule.file).ok()?;
        let parsed = patch::parse(&rule.file.display().to_string(), &text).ok()?;
        for f in parsed.files {
            match f.op {
                FileOp::Delete => deleted.insert(f.path),
                _ => deleted.remove(&f.path),
            };
        }
    }
    Some(deleted)
}
