//! The write-ahead journal of a sync, in `.rebrand/pending/`: every new file is staged
//! there first; `journal.toml` is then written under a temporary name and renamed into
//! place (the commit); then each staged file is renamed onto its target and each deletion
//! done; then the folder goes. A sync killed before the commit leaves the tree as it was
//! (the next run removes the stale folder); one killed after it is completed by
//! [`recover`], which replays the journal (every step can be repeated).
//!
//! For tests, the environment variable `REBRAND_SYNC_ABORT_AFTER=N` aborts the process
//! after N staged files or journal steps, as a kill would.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::tree::state::PENDING;
use crate::tree::STATE_DIR;

const JOURNAL: &str = "journal.toml";

/// One step of a journal, on a path relative to the tree root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase")]
pub enum Op {
    /// Move the staged file `staged` (a name in the pending folder) onto `path`.
    Write {
        /// Target, relative to the tree root.
        path: String,
        /// The staged file's name.
        staged: String,
    },
    /// Remove `path` if it exists.
    Delete {
        /// Target, relative to the tree root.
        path: String,
    },
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Steps {
    #[serde(default)]
    step: Vec<Op>,
}

/// A journal being built for the tree at `root`.
#[derive(Debug)]
pub struct Journal {
    root: PathBuf,
    ops: Vec<Op>,
    staged: Vec<(String, Vec<u8>, Option<fs::Permissions>)>,
}

/// Steps taken so far by this process, for the test hook.
static STEPS: AtomicUsize = AtomicUsize::new(0);

/// Counts a step and aborts the process when `REBRAND_SYNC_ABORT_AFTER` says so.
fn step() {
    let n = STEPS.fetch_add(1, Ordering::SeqCst) + 1;
    if std::env::var("REBRAND_SYNC_ABORT_AFTER")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        == Some(n)
    {
        eprintln!("rebrand: REBRAND_SYNC_ABORT_AFTER={n}: aborting");
        std::process::abort();
    }
}

fn pending(root: &Path) -> PathBuf {
    root.join(STATE_DIR).join(PENDING)
}

impl Journal {
    /// An empty journal for the tree at `root`.
    pub fn new(root: &Path) -> Journal {
        Journal {
            root: root.to_path_buf(),
            ops: Vec::new(),
            staged: Vec::new(),
        }
    }

    /// Whether nothing is to be done.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Adds a step.
    pub fn push(&mut self, op: Op) {
        self.ops.push(op);
    }

    /// Adds the writing of `bytes` at `path` (with the default permissions).
    pub fn write(&mut self, path: &str, bytes: &[u8]) {
        self.write_with(path, bytes, None);
    }

    /// Adds the writing of `bytes` at `path` with permissions `mode` (those of the file it
    /// replaces, or of the upstream file it is made from).
    pub fn write_with(&mut self, path: &str, bytes: &[u8], mode: Option<fs::Permissions>) {
        let staged = format!("{:06}", self.staged.len());
        self.staged.push((staged.clone(), bytes.to_vec(), mode));
        self.ops.push(Op::Write {
            path: path.to_string(),
            staged,
        });
    }

    /// Stages every file, commits the journal, and carries it out.
    ///
    /// # Errors
    /// An I/O error; before the commit nothing of the tree has changed.
    pub fn commit(self) -> io::Result<()> {
        let dir = pending(&self.root);
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir_all(&dir)?;
        for (name, bytes, mode) in &self.staged {
            let file = dir.join(name);
            fs::write(&file, bytes)?;
            if let Some(mode) = mode {
                fs::set_permissions(&file, mode.clone())?;
            }
            step();
        }
        let text = toml::to_string(&Steps { step: self.ops }).map_err(io::Error::other)?;
        let tmp = dir.join(format!("{JOURNAL}.tmp"));
        fs::write(&tmp, text)?;
        fs::File::open(&tmp)?.sync_all()?;
        fs::rename(&tmp, dir.join(JOURNAL))?;
        step();
        replay(&self.root)
    }
}

/// Whether the tree at `root` has a committed journal a killed sync left unfinished.
pub fn is_pending(root: &Path) -> bool {
    pending(root).join(JOURNAL).is_file()
}

/// Carries out the committed journal of the tree at `root`, if there is one; removes a
/// stale pending folder without one. Returns whether a journal was replayed.
///
/// # Errors
/// An I/O error naming nothing more than the step's target.
pub fn recover(root: &Path) -> io::Result<bool> {
    let dir = pending(root);
    if dir.join(JOURNAL).is_file() {
        replay(root)?;
        return Ok(true);
    }
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    Ok(false)
}

fn replay(root: &Path) -> io::Result<()> {
    let dir = pending(root);
    let text = fs::read_to_string(dir.join(JOURNAL))?;
    let steps: Steps = toml::from_str(&text).map_err(io::Error::other)?;
    for op in &steps.step {
        match op {
            Op::Write { path, staged } => {
                let from = dir.join(staged);
                let to = root.join(path);
                // Already moved by an earlier, interrupted replay.
                if from.exists() {
                    if let Some(parent) = to.parent() {
                        fs::create_dir_all(parent)?;
                    }
                    fs::rename(&from, &to)?;
                }
            }
            Op::Delete { path } => match fs::remove_file(root.join(path)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            },
        }
        step();
    }
    fs::remove_dir_all(&dir)
}
