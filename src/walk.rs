//! The one walk of a tree: every command that lists an input (`apply`, `preview`, `audit`,
//! `sync`, `check`, `links`, `init`, the site model) lists it here, with the same [`Policy`],
//! so that they all see the same files.
//!
//! A walk never follows a symbolic link (it is listed as a link, with its target, for the
//! caller to judge), lists folders in a stable order (by file name at each level), leaves out
//! the folders its policy names, and refuses a name that is not UTF-8 (paths are kept as
//! UTF-8 text everywhere: globs, renames, reports, the lock). It sits at the bottom of the
//! pipeline and knows no generator: what a generator leaves out (Docusaurus's `node_modules`,
//! `build`, `.docusaurus`) is added to the policy by the caller, from `crate::site`.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// The version-control folders (or, for a git work tree made by `git worktree` or a
/// submodule, files): never documentation, so no walk lists them ([`Policy::new`]), and
/// `apply` never deletes an output that holds one, with or without `--force`.
pub const VCS_NAMES: [&str; 3] = [".git", ".hg", ".svn"];
/// The folder rebrand keeps its own files in, inside an output tree (see [`Policy::new`]).
pub const STATE_DIR: &str = ".rebrand";

/// Where in a tree a [`Skip`] holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Only directly in the walked folder (`build/`, but not `docs/build/`).
    Root,
    /// At any depth (`node_modules/` and `plugins/x/node_modules/`).
    Anywhere,
}

/// A name a walk leaves out: the entry is not listed and, a folder, not entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Skip {
    /// The entry's file name, compared exactly (case included).
    pub name: &'static str,
    /// Where it holds.
    pub scope: Scope,
    /// Whether only a folder of that name is left out (a file or a link named `build` is
    /// content), or any entry (a `.git` file is a worktree's or submodule's pointer).
    pub folders_only: bool,
}

impl Skip {
    /// A folder named `name` in the walked folder itself.
    pub const fn root_folder(name: &'static str) -> Skip {
        Skip {
            name,
            scope: Scope::Root,
            folders_only: true,
        }
    }

    /// A folder named `name` at any depth.
    pub const fn folder_anywhere(name: &'static str) -> Skip {
        Skip {
            name,
            scope: Scope::Anywhere,
            folders_only: true,
        }
    }

    /// Any entry (folder, file, link) named `name` in the walked folder itself.
    pub const fn root_entry(name: &'static str) -> Skip {
        Skip {
            name,
            scope: Scope::Root,
            folders_only: false,
        }
    }
}

/// What a walk leaves out. [`Policy::new`] is what every walk of rebrand leaves out; a
/// documentation generator adds its own folders with [`Policy::skipping`]
/// (`crate::site::walk_policy` decides which, from the tree).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    skip: Vec<Skip>,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy::new()
    }
}

impl Policy {
    /// The policy of every walk: in the walked folder itself, any entry named `.git`, `.hg`
    /// or `.svn` ([`VCS_NAMES`]: an upstream checkout's history is not documentation, and a
    /// branded repository's own must never be written), and a folder `.rebrand`
    /// ([`STATE_DIR`]: each output gets its own state; a stray file of that name is listed,
    /// and writing the state refuses it). Deeper, these names are ordinary content.
    pub fn new() -> Policy {
        let mut skip: Vec<Skip> = VCS_NAMES.iter().map(|&n| Skip::root_entry(n)).collect();
        skip.push(Skip::root_folder(STATE_DIR));
        Policy { skip }
    }

    /// This policy, also leaving out `more`.
    pub fn skipping(mut self, more: &[Skip]) -> Policy {
        self.skip.extend_from_slice(more);
        self
    }

    /// What it leaves out.
    pub fn skips(&self) -> &[Skip] {
        &self.skip
    }

    /// Whether an entry named `name`, `depth` levels down (1: directly in the walked folder),
    /// a folder when `is_dir` (a link to a folder is no folder), is left out. The walked
    /// folder itself (depth 0) never is, whatever its name.
    pub fn leaves_out(&self, name: &std::ffi::OsStr, depth: usize, is_dir: bool) -> bool {
        depth > 0
            && self.skip.iter().any(|s| {
                (s.scope == Scope::Anywhere || depth == 1) && (is_dir || !s.folders_only) && name == s.name
            })
    }
}

/// What an entry of a tree is, as the walk found it (links not followed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A folder (its entries follow it).
    Dir,
    /// A regular file.
    File,
    /// A symbolic link, with its target as the link holds it (not resolved, not followed).
    Symlink(PathBuf),
    /// A FIFO, socket or device: reading one could block or never end.
    Special,
}

/// An entry of a walked tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Its path relative to the walked folder, `/`-separated whatever the platform.
    pub rel: String,
    /// Its path: the walked folder joined with the relative path.
    pub path: PathBuf,
    /// What it is.
    pub kind: Kind,
}

/// Why an entry could not be listed.
#[derive(Debug)]
pub enum Error {
    /// A folder could not be listed, an entry's type or a link's target could not be read.
    Unreadable {
        /// The path concerned.
        path: PathBuf,
        /// The system's error.
        source: io::Error,
    },
    /// The name is not UTF-8: it could not be kept (a copy would be written under another
    /// name, and two such names could become one).
    NotUtf8 {
        /// The path, as the system has it.
        path: PathBuf,
    },
}

impl Error {
    /// What was being done, the path, and why, as a run's `Io` errors carry them: "cannot
    /// read" and the system's error, or "cannot keep the name of" and an `InvalidData` error
    /// that says the name is not UTF-8.
    pub fn into_parts(self) -> (&'static str, PathBuf, io::Error) {
        match self {
            Error::Unreadable { path, source } => ("cannot read", path, source),
            Error::NotUtf8 { path } => (
                "cannot keep the name of",
                path,
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    "it is not valid UTF-8 (rebrand keeps paths as UTF-8 text): rename it",
                ),
            ),
        }
    }

    /// The path concerned.
    pub fn path(&self) -> &Path {
        match self {
            Error::Unreadable { path, .. } | Error::NotUtf8 { path } => path,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Unreadable { path, source } => write!(f, "cannot read `{}`: {source}", path.display()),
            Error::NotUtf8 { path } => write!(
                f,
                "cannot keep the name of `{}`: it is not valid UTF-8 (rebrand keeps paths as UTF-8 text): rename it",
                path.display()
            ),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Unreadable { source, .. } => Some(source),
            Error::NotUtf8 { .. } => None,
        }
    }
}

/// Lists the tree at `root` (itself not listed; followed when it is a link), every folder's
/// entries after it, sorted by file name at each level, leaving out what `policy` names.
/// Links are listed with their targets and never followed.
///
/// # Errors
/// Every entry that could not be listed, in walk order ([`Error::Unreadable`] for a folder
/// that cannot be listed, or `root` itself; [`Error::NotUtf8`] for a name that is not
/// UTF-8); the walk goes on past each, so that one run names them all.
pub fn walk(root: &Path, policy: &Policy) -> Result<Vec<Entry>, Vec<Error>> {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let items = walkdir::WalkDir::new(root)
        .min_depth(1)
        .sort_by_file_name()
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| !policy.leaves_out(e.file_name(), e.depth(), e.file_type().is_dir()));
    for item in items {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                let source = e
                    .into_io_error()
                    .unwrap_or_else(|| io::Error::other("walk failed"));
                errors.push(Error::Unreadable { path, source });
                continue;
            }
        };
        let inside = item.path().strip_prefix(root).unwrap_or(item.path());
        let Some(inside_text) = inside.to_str() else {
            errors.push(Error::NotUtf8 {
                path: item.into_path(),
            });
            continue;
        };
        // walkdir joins names with the platform's separator and no other.
        let rel = if std::path::MAIN_SEPARATOR == '/' {
            inside_text.to_string()
        } else {
            inside_text.replace(std::path::MAIN_SEPARATOR, "/")
        };
        let ft = item.file_type();
        let kind = if ft.is_symlink() {
            match std::fs::read_link(item.path()) {
                Ok(target) => Kind::Symlink(target),
                Err(source) => {
                    errors.push(Error::Unreadable {
                        path: item.into_path(),
                        source,
                    });
                    continue;
                }
            }
        } else if ft.is_dir() {
            Kind::Dir
        } else if ft.is_file() {
            Kind::File
        } else {
            Kind::Special
        };
        entries.push(Entry {
            rel,
            path: item.into_path(),
            kind,
        });
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn put(root: &Path, rel: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "x").unwrap();
    }

    fn listed(root: &Path, policy: &Policy) -> Vec<String> {
        walk(root, policy).unwrap().into_iter().map(|e| e.rel).collect()
    }

    #[test]
    fn the_base_policy_leaves_out_version_control_and_state_at_the_root_only() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for rel in [
            ".git/HEAD",
            ".hg/store",
            ".svn/entries",
            ".rebrand/lock.toml",
            "docs/.git/HEAD",
            "docs/.rebrand/x",
            "docs/a.md",
        ] {
            put(root, rel);
        }
        assert_eq!(
            listed(root, &Policy::new()),
            [
                "docs",
                "docs/.git",
                "docs/.git/HEAD",
                "docs/.rebrand",
                "docs/.rebrand/x",
                "docs/a.md"
            ]
        );
    }

    #[test]
    fn a_git_file_is_left_out_and_a_state_file_is_listed() {
        let tmp = tempfile::tempdir().unwrap();
        put(tmp.path(), ".git");
        put(tmp.path(), ".rebrand");
        assert_eq!(listed(tmp.path(), &Policy::new()), [".rebrand"]);
    }

    #[test]
    fn added_skips_hold_where_they_say_and_for_folders_only() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for rel in [
            "build/index.html",
            "docs/build/a.md",
            "deps/x.js",
            "docs/deps/y.js",
            "docs/deps.md",
        ] {
            put(root, rel);
        }
        put(&root.join("src"), "build");
        let policy = Policy::new().skipping(&[Skip::root_folder("build"), Skip::folder_anywhere("deps")]);
        assert_eq!(
            listed(root, &policy),
            [
                "docs",
                "docs/build",
                "docs/build/a.md",
                "docs/deps.md",
                "src",
                "src/build"
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_are_listed_with_their_targets_and_never_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        put(root, "real/a.md");
        std::os::unix::fs::symlink("real", root.join("linked")).unwrap();
        std::os::unix::fs::symlink("/nowhere", root.join("build")).unwrap();
        let policy = Policy::new().skipping(&[Skip::root_folder("build")]);
        let entries = walk(root, &policy).unwrap();
        let kinds: Vec<(&str, &Kind)> = entries.iter().map(|e| (e.rel.as_str(), &e.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("build", &Kind::Symlink("/nowhere".into())),
                ("linked", &Kind::Symlink("real".into())),
                ("real", &Kind::Dir),
                ("real/a.md", &Kind::File),
            ]
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn every_name_that_is_not_utf8_is_an_error_naming_it() {
        use std::os::unix::ffi::OsStrExt;
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        put(root, "docs/a.md");
        for name in [&b"caf\xe8.md"[..], b"caf\xe9.md"] {
            fs::write(root.join("docs").join(std::ffi::OsStr::from_bytes(name)), "x").unwrap();
        }
        let errors = walk(root, &Policy::new()).unwrap_err();
        assert_eq!(errors.len(), 2);
        for e in &errors {
            assert!(matches!(e, Error::NotUtf8 { .. }));
            assert_eq!(
                e.to_string(),
                format!(
                    "cannot keep the name of `{}`: it is not valid UTF-8 (rebrand keeps paths as UTF-8 text): rename it",
                    e.path().display()
                )
            );
        }
        // The parts give the same message, as a run's `Io` error prints them.
        let shown = errors[0].to_string();
        let (action, path, source) = errors.into_iter().next().unwrap().into_parts();
        assert_eq!(format!("{action} `{}`: {source}", path.display()), shown);
    }

    #[test]
    fn the_walked_folder_is_walked_whatever_its_name() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("deps");
        put(&root, "a.md");
        let policy = Policy::new().skipping(&[Skip::folder_anywhere("deps")]);
        assert_eq!(listed(&root, &policy), ["a.md"]);
    }

    #[test]
    fn a_missing_root_is_an_error_naming_it() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("missing");
        let errors = walk(&root, &Policy::new()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path(), root);
        assert!(errors[0]
            .to_string()
            .starts_with(&format!("cannot read `{}`: ", root.display())));
    }
}
