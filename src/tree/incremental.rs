//! Incremental apply: an output that rebrand wrote from the same input, with the same rules,
//! overlay, patches and tool version, and that nobody changed since, is up to date, and
//! `apply` leaves it alone. The input files are checked by content hash (BLAKE3) against
//! the lock's input hashes. The output files are checked once, by `output::occupants`, which
//! `apply` runs first to refuse an output people changed: each is hashed against the lock's
//! output hash. A file the stat index vouches for (its size, times and inode unmoved since it
//! was hashed, and not racy: [`super::index`]) is taken at its recorded hash without being
//! read; `apply --verify` reads every one.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::index::{Index, Side, Stat};
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
    lock: Option<Lock>,
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

/// Writes the stat index of the output at `out` (see [`super::index`]) after a run that left
/// it as its lock says: every file the lock names, with its stat now and the lock's output
/// hash, and every input file (of the upstream tree at `input`, walked as `entries`) that
/// one of them was made from, with the lock's input hash. Best effort: the index is a cache,
/// and a run that cannot write it only loses what it would save next time.
pub(super) fn record_index(engine: &Engine, entries: &[Entry], input: &Path, out: &Path) {
    let Ok(Some(lock)) = state::Lock::load(out) else {
        return;
    };
    let Ok(paths) = PathMap::new(engine.rules(), entries.iter().map(|e| e.rel.as_str())) else {
        return;
    };
    let stat = |path: &Path| {
        fs::metadata(path)
            .ok()
            .filter(fs::Metadata::is_file)
            .map(|m| Stat::of(&m))
    };
    let inputs: Vec<(&str, Stat, &str)> = entries
        .par_iter()
        .filter(|e| e.kind == EntryKind::File)
        .filter_map(|e| {
            let locked = lock.files.get(paths.get(&e.rel))?;
            (!locked.input.is_empty()).then_some(())?;
            Some((e.rel.as_str(), stat(&e.abs)?, locked.input.as_str()))
        })
        .collect();
    let outputs: Vec<(&str, Stat, &str)> = lock
        .files
        .par_iter()
        .filter_map(|(rel, locked)| Some((rel.as_str(), stat(&out.join(rel))?, locked.output.as_str())))
        .collect();
    let mut index = Index::new(input, out);
    for (rel, stat, hash) in inputs {
        index.record(Side::Input, rel, stat, hash);
    }
    for (rel, stat, hash) in outputs {
        index.record(Side::Output, rel, stat, hash);
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
