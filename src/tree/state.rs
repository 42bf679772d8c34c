//! The sync state a branded tree carries in `.rebrand/`: the lock and the base texts.
//!
//! ```text
//! .rebrand/
//!   output.toml      marker: rebrand wrote this tree (apply may replace it)
//!   lock.toml        tool version, rules hash, upstream label, one line per generated file
//!   base/<path>      the generated text of every text file at the last sync: the common
//!                    ancestor of the three-way merge of a hand-edited file
//!   pending/         only while a sync writes: staged files and the journal
//! ```
//!
//! `lock.toml` holds one line per file (`"docs/a.md" = { input = "…", output = "…" }`), so
//! its git diff names exactly the files a sync changed. The base texts equal the unedited
//! files byte for byte, so git stores them once.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{MARKER, STATE_DIR};
use crate::rules::RuleSet;

/// The lock file's name, inside [`STATE_DIR`].
pub const LOCK: &str = "lock.toml";
/// The folder of base texts, inside [`STATE_DIR`].
pub const BASE: &str = "base";
/// The folder of a sync in progress, inside [`STATE_DIR`].
pub const PENDING: &str = "pending";

/// A BLAKE3 hash of `bytes`, as 64 hexadecimal digits.
pub fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// [`hash`] of the file at `path`, read in 64 KiB pieces (no buffer as large as the file).
///
/// # Errors
/// The I/O error of opening or reading it.
pub fn hash_file(path: &Path) -> io::Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update_reader(fs::File::open(path)?)?;
    Ok(hasher.finalize().to_hex().to_string())
}

/// What the last sync (or apply) generated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Lock {
    /// The rebrand version that wrote it.
    pub tool_version: String,
    /// [`rules_hash`] of the rules used.
    pub rules_hash: String,
    /// The upstream label (`--upstream-rev`), if one was given.
    #[serde(default)]
    pub upstream: Option<String>,
    /// Per generated output path.
    #[serde(default)]
    pub files: BTreeMap<String, Locked>,
}

/// One generated file of a [`Lock`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Locked {
    /// Hash of the upstream input (or overlay) file it was made from; empty for a file a
    /// patch created.
    pub input: String,
    /// Hash of the generated output.
    pub output: String,
}

impl Lock {
    /// An empty lock for this tool version, `rules` and `upstream` label.
    ///
    /// # Errors
    /// An I/O error naming an overlay or patch file that cannot be read.
    pub fn new(rules: &RuleSet, upstream: Option<String>) -> io::Result<Lock> {
        Ok(Lock {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            rules_hash: rules_hash(rules)?,
            upstream,
            files: BTreeMap::new(),
        })
    }

    /// The lock as written: the header, then one line per file, sorted.
    pub fn to_toml(&self) -> String {
        let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut out = String::from(
            "# Written by rebrand: what the last sync or apply generated. Do not edit; see README.md.\n",
        );
        let _ = writeln!(out, "tool_version = {}", quote(&self.tool_version));
        let _ = writeln!(out, "rules_hash = {}", quote(&self.rules_hash));
        if let Some(upstream) = &self.upstream {
            let _ = writeln!(out, "upstream = {}", quote(upstream));
        }
        out.push_str("\n[files]\n");
        for (path, f) in &self.files {
            let _ = writeln!(
                out,
                "{} = {{ input = {}, output = {} }}",
                quote(path),
                quote(&f.input),
                quote(&f.output)
            );
        }
        out
    }

    /// Reads the lock of the branded tree at `root`, if it has one.
    ///
    /// # Errors
    /// An I/O error, or a lock that does not parse (with the path).
    pub fn load(root: &Path) -> io::Result<Option<Lock>> {
        let path = lock_path(root);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        toml::from_str(&text)
            .map(Some)
            .map_err(|e| io::Error::other(format!("`{}` does not parse: {}", path.display(), e.message())))
    }
}

/// `root/.rebrand/lock.toml`.
pub fn lock_path(root: &Path) -> PathBuf {
    root.join(STATE_DIR).join(LOCK)
}

/// `root/.rebrand/base/<path>`.
pub fn base_path(root: &Path, path: &str) -> PathBuf {
    root.join(STATE_DIR).join(BASE).join(path)
}

/// The marker text of a branded tree.
pub fn marker_text(rules: &RuleSet) -> String {
    format!(
        "# Written by rebrand; a later `rebrand apply` may replace this tree.\ntool_version = \"{}\"\nrules = \"{}\"\n",
        env!("CARGO_PKG_VERSION"),
        rules.path.display().to_string().replace('\\', "/").replace('"', "\\\"")
    )
}

/// The marker's name, for callers that write it (`.rebrand/output.toml`).
pub fn marker_path(root: &Path) -> PathBuf {
    root.join(STATE_DIR).join(MARKER)
}

/// A hash of everything that decides the output besides the upstream: the tool version,
/// the rule file's text, and the bytes of every overlay and patch file.
///
/// # Errors
/// An I/O error naming an overlay or patch file that cannot be read.
pub fn rules_hash(rules: &RuleSet) -> io::Result<String> {
    let mut h = blake3::Hasher::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(b"\0");
    h.update(rules.source.as_bytes());
    let named = |h: &mut blake3::Hasher, name: &str, path: &Path| -> io::Result<()> {
        let bytes = fs::read(path)
            .map_err(|e| io::Error::new(e.kind(), format!("cannot read `{}`: {e}", path.display())))?;
        h.update(b"\0");
        h.update(name.as_bytes());
        h.update(b"\0");
        h.update(&bytes);
        Ok(())
    };
    if let Some(overlay) = &rules.site.overlay {
        for e in walkdir::WalkDir::new(&overlay.dir).sort_by_file_name() {
            let e = e.map_err(io::Error::other)?;
            if e.file_type().is_file() {
                let name = e
                    .path()
                    .strip_prefix(&overlay.dir)
                    .unwrap_or(e.path())
                    .to_string_lossy()
                    .into_owned();
                named(&mut h, &name, e.path())?;
            }
        }
    }
    for p in &rules.site.patches {
        named(&mut h, &p.file.display().to_string(), &p.file)?;
    }
    Ok(h.finalize().to_hex().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_is_one_line_per_file_and_reads_back() {
        let mut lock = Lock {
            tool_version: "0.1.0".into(),
            rules_hash: "ab".into(),
            upstream: Some("8511089".into()),
            files: BTreeMap::new(),
        };
        lock.files.insert(
            "docs/a \"b\".md".into(),
            Locked {
                input: "11".into(),
                output: "22".into(),
            },
        );
        let text = lock.to_toml();
        assert!(
            text.ends_with("[files]\n'docs/a \"b\".md' = { input = \"11\", output = \"22\" }\n"),
            "{text}"
        );
        assert_eq!(toml::from_str::<Lock>(&text).unwrap(), lock);
    }
}
