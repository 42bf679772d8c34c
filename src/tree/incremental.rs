//! Incremental apply: an output that rebrand wrote from the same input, with the same rules,
//! overlay, patches and tool version, and that nobody changed since, is up to date, and
//! `apply` leaves it alone. Everything is checked by content hash (BLAKE3), nothing by
//! modification time: the input files against the lock's input hashes, the output files
//! against its output hashes.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::state::{self, Lock};
use super::{drop_locales, io_error, walk, EntryKind, TreeError};
use crate::rewrite::Engine;
use crate::site::rename::PathMap;

/// Whether the output at `out` is what `apply` of `input` with `engine`'s rules would write
/// (`label`: the upstream label the run would record).
///
/// # Errors
/// [`TreeError::Io`] when a file cannot be read.
pub(super) fn up_to_date(
    engine: &Engine,
    input: &Path,
    out: &Path,
    label: Option<&str>,
) -> Result<bool, TreeError> {
    let rules = engine.rules();
    let Ok(Some(lock)) = Lock::load(out) else {
        return Ok(false);
    };
    // A missing overlay or patch file: not up to date; the run itself says what is wrong.
    let Ok(rules_hash) = state::rules_hash(rules) else {
        return Ok(false);
    };
    if lock.tool_version != env!("CARGO_PKG_VERSION")
        || lock.rules_hash != rules_hash
        || label.is_some_and(|l| lock.upstream.as_deref() != Some(l))
    {
        return Ok(false);
    }
    let mut entries = walk(input)?;
    drop_locales(&mut entries, &rules.site.drop_locales);
    let Ok(paths) = PathMap::new(rules, entries.iter().map(|e| e.rel.as_str())) else {
        return Ok(false);
    };
    let overlaid: HashSet<String> = match &rules.site.overlay {
        Some(o) => walk(&o.dir)?
            .into_iter()
            .filter(|e| e.kind == EntryKind::File)
            .map(|e| e.rel)
            .collect(),
        None => HashSet::new(),
    };
    // Every input file that is not overlaid must be locked with its current hash; the lock
    // holds nothing else but overlay files and files a patch created (no input hash).
    let inputs: Vec<_> = entries
        .iter()
        .filter(|e| e.kind == EntryKind::File && !overlaid.contains(paths.get(&e.rel)))
        .collect();
    let created = lock.files.values().filter(|f| f.input.is_empty()).count();
    if lock.files.len() != inputs.len() + overlaid.len() + created {
        return Ok(false);
    }
    let inputs_match = inputs.par_iter().map(|e| -> Result<bool, TreeError> {
        let Some(locked) = lock.files.get(paths.get(&e.rel)) else {
            return Ok(false);
        };
        Ok(locked.input == state::hash(&fs::read(&e.abs).map_err(io_error("cannot read", &e.abs))?))
    });
    if !inputs_match
        .collect::<Result<Vec<bool>, _>>()?
        .into_iter()
        .all(|ok| ok)
    {
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
    // The output as written: every locked file unchanged, and no other regular file (the
    // walk leaves `.rebrand/` out).
    let written = walk(out)?.iter().filter(|e| e.kind == EntryKind::File).count();
    if written != lock.files.len() {
        return Ok(false);
    }
    let outputs_match = lock.files.par_iter().map(|(path, locked)| -> bool {
        fs::read(out.join(path)).is_ok_and(|bytes| state::hash(&bytes) == locked.output)
    });
    Ok(outputs_match.all(|ok| ok))
}
