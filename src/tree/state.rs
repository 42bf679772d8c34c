//! The sync state a branded tree carries in `.rebrand/`: the lock and the base texts.
//!
//! ```text
//! .rebrand/
//!   output.toml      marker: rebrand wrote this tree (apply may replace it)
//!   lock.toml        tool version, rules hash, upstream label, one line per generated file
//!   objects/ab/cd…   the generated text of every text file at the last sync, once per
//!                    distinct text, named by its hash (the lock's `output`): the common
//!                    ancestor of the three-way merge of a hand-edited file
//!   base/<path>      the same, by path, as rebrand 0.9.0 wrote it: read when an object is
//!                    missing; the next sync removes it
//!   pending/         only while a sync writes: staged files and the journal
//! ```
//!
//! `lock.toml` holds one line per file (`"docs/a.md" = { input = "…", output = "…" }`), so
//! its git diff names exactly the files a sync changed. The base texts are stored as git
//! stores blobs: by content, so the same page in eight versioned doc folders is one object
//! (a third of the Harvester docs' files repeat another), and an object equals the unedited
//! files byte for byte, so git stores it once.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml_writer::{ToTomlKey, TomlKeyBuilder};

use super::{MARKER, STATE_DIR};
use crate::rules::RuleSet;

/// The lock file's name, inside [`STATE_DIR`].
pub const LOCK: &str = "lock.toml";
/// The folder of base texts by path (rebrand 0.9.0), inside [`STATE_DIR`].
pub const BASE: &str = "base";
/// The folder of base texts by hash, inside [`STATE_DIR`].
pub const OBJECTS: &str = "objects";
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
    /// The rebrand that wrote it: [`crate::version::tool_version`], the build included.
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
            tool_version: crate::version::tool_version().to_string(),
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
            // Always a basic string (TOML 1.0, "Keys"): `toml::Value`'s choice for a value
            // may be a multi-line string, which a key cannot be (a path with both quotes).
            let _ = writeln!(
                out,
                "{} = {{ input = {}, output = {} }}",
                TomlKeyBuilder::new(path).as_basic().to_toml_key(),
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
        Lock::parse(&text)
            .map(Some)
            .map_err(|e| io::Error::other(format!("`{}` does not parse: {}", path.display(), e.message())))
    }

    /// Reads a lock's text (TOML). The `[files]` lines as [`Lock::to_toml`] writes them are
    /// read directly; a lock with any other line there (edited by hand, or a path that
    /// needs escapes) goes through the TOML parser, which costs ≈75 ms for the 22,440 files
    /// of the 20x bench tree.
    ///
    /// # Errors
    /// The TOML parser's error, for text that is not a lock.
    pub fn parse(text: &str) -> Result<Lock, toml::de::Error> {
        match Lock::parse_as_written(text) {
            Some(lock) => Ok(lock),
            None => toml::from_str(text),
        }
    }

    /// The lock in `text` if its `[files]` table holds only lines of the form `to_toml`
    /// writes with a plain path (`"docs/a.md" = { input = "…", output = "…" }`, no escape or
    /// control character, hashes in hexadecimal digits) and nothing else; otherwise `None`.
    fn parse_as_written(text: &str) -> Option<Lock> {
        const TABLE: &str = "\n[files]\n";
        let at = text.find(TABLE)?;
        let mut lock: Lock = toml::from_str(&text[..=at]).ok()?;
        if !lock.files.is_empty() {
            return None;
        }
        let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
        for line in text[at + TABLE.len()..].lines() {
            let (path, rest) = line.strip_prefix('"')?.split_once("\" = { input = \"")?;
            let (input, rest) = rest.split_once("\", output = \"")?;
            let output = rest.strip_suffix("\" }")?;
            let plain = !path.contains(['\\', '"']) && !path.contains(char::is_control);
            if !plain || !hex(input) || !hex(output) {
                return None;
            }
            let locked = Locked {
                input: input.to_string(),
                output: output.to_string(),
            };
            // A path twice is an error in TOML: the parser says so.
            if lock.files.insert(path.to_string(), locked).is_some() {
                return None;
            }
        }
        Some(lock)
    }
}

/// `root/.rebrand/lock.toml`.
pub fn lock_path(root: &Path) -> PathBuf {
    root.join(STATE_DIR).join(LOCK)
}

/// `root/.rebrand/base/<path>`: where rebrand 0.9.0 kept the base text of `path`.
pub fn base_path(root: &Path, path: &str) -> PathBuf {
    root.join(STATE_DIR).join(BASE).join(path)
}

/// `.rebrand/objects/<first two digits>/<the other 62>`, relative to the tree's root: where
/// the base text whose [`hash`] is `hash` is kept (two-digit folders, as git's loose objects,
/// so that no folder holds more than a few hundred of them).
pub fn object_rel(hash: &str) -> String {
    let (folder, rest) = hash.split_at(2.min(hash.len()));
    format!("{STATE_DIR}/{OBJECTS}/{folder}/{rest}")
}

/// The base text of output path `path` of the branded tree at `root`, which the lock says
/// hashes to `hash`: the object of that hash, else the base text by path that rebrand 0.9.0
/// kept; `None` when neither is there with that hash (a lost or hand-changed state file
/// vouches for nothing).
///
/// # Errors
/// An I/O error other than a missing file.
pub fn read_base(root: &Path, path: &str, hash: &str) -> io::Result<Option<Vec<u8>>> {
    for candidate in [root.join(object_rel(hash)), base_path(root, path)] {
        match fs::read(&candidate) {
            Ok(bytes) if self::hash(&bytes) == hash => return Ok(Some(bytes)),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// The marker text of a branded tree.
pub fn marker_text(rules: &RuleSet) -> String {
    format!(
        "# Written by rebrand; a later `rebrand apply` may replace this tree.\ntool_version = \"{}\"\nrules = \"{}\"\n",
        crate::version::tool_version(),
        rules.path.display().to_string().replace('\\', "/").replace('"', "\\\"")
    )
}

/// The marker's name, for callers that write it (`.rebrand/output.toml`).
pub fn marker_path(root: &Path) -> PathBuf {
    root.join(STATE_DIR).join(MARKER)
}

/// A hash of everything that decides the output besides the upstream: the tool version
/// ([`crate::version::tool_version`]), the rule file's text, the conventions of the generator it was read for,
/// and the bytes of every overlay and patch file.
///
/// # Errors
/// An I/O error naming an overlay or patch file that cannot be read.
pub fn rules_hash(rules: &RuleSet) -> io::Result<String> {
    let mut h = blake3::Hasher::new();
    h.update(crate::version::tool_version().as_bytes());
    h.update(b"\0");
    h.update(rules.sources.text().as_bytes());
    // The same rule file reads a tree of another generator otherwise (translations, kinds).
    h.update(b"\0");
    h.update(format!("{:?}", rules.conventions).as_bytes());
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
        // The files the overlay lays over the output, as the plan walks it.
        let entries = crate::walk::walk(&overlay.dir, &crate::walk::Policy::new()).map_err(|errors| {
            let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
            io::Error::other(messages.join("\n"))
        })?;
        for e in entries.iter().filter(|e| e.kind == crate::walk::Kind::File) {
            named(&mut h, &e.rel, &e.path)?;
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
        assert_eq!(Lock::parse(&text).unwrap(), lock);
        // A path with both quotes: `toml::Value` would write it as a multi-line string,
        // which TOML refuses as a key (found by the property test below).
        let mut both = lock.clone();
        both.files
            .insert("it's \"x\".md".into(), lock.files["docs/a \"b\".md"].clone());
        assert_eq!(Lock::parse(&both.to_toml()).unwrap(), both);
        assert!(
            text.ends_with("[files]\n\"docs/a \\\"b\\\".md\" = { input = \"11\", output = \"22\" }\n"),
            "{text}"
        );
        assert_eq!(toml::from_str::<Lock>(&text).unwrap(), lock);
    }

    proptest::proptest! {
        /// Whatever the paths and hashes, reading a written lock gives the lock back, and
        /// wherever the direct reading of `[files]` lines takes a text, it agrees with the
        /// TOML parser.
        #[test]
        fn a_written_lock_reads_back_as_the_toml_parser_reads_it(
            files in proptest::collection::btree_map(
                "[a-zA-Z0-9 ./_\"'\\\\\t\u{1}é-]{1,12}",
                ("[0-9a-f]{0,4}", "[0-9a-fA-F]{1,4}"),
                0..6,
            ),
            upstream in proptest::option::of("[a-z0-9\"]{1,6}"),
        ) {
            let lock = Lock {
                tool_version: "0.1.0".into(),
                rules_hash: "ab".into(),
                upstream,
                files: files
                    .into_iter()
                    .map(|(path, (input, output))| (path, Locked { input, output }))
                    .collect(),
            };
            let text = lock.to_toml();
            let parsed = toml::from_str::<Lock>(&text).unwrap();
            proptest::prop_assert_eq!(&parsed, &lock);
            if let Some(direct) = Lock::parse_as_written(&text) {
                proptest::prop_assert_eq!(direct, parsed);
            }
            proptest::prop_assert_eq!(Lock::parse(&text).unwrap(), lock);
        }
    }

    #[test]
    fn a_lock_the_direct_reading_refuses_goes_to_the_toml_parser() {
        let head = "tool_version = \"0.1.0\"\nrules_hash = \"ab\"\n\n[files]\n";
        let line = "\"a.md\" = { input = \"11\", output = \"22\" }\n";
        // As written: read directly.
        assert!(Lock::parse_as_written(&format!("{head}{line}")).is_some());
        // A comment, a path twice, an escape: the TOML parser decides.
        let commented = format!("{head}# edited\n{line}");
        assert!(Lock::parse_as_written(&commented).is_none());
        assert_eq!(Lock::parse(&commented).unwrap().files.len(), 1);
        assert!(Lock::parse(&format!("{head}{line}{line}")).is_err());
        let escaped = format!("{head}\"a\\u0041.md\" = {{ input = \"11\", output = \"22\" }}\n");
        assert!(Lock::parse_as_written(&escaped).is_none());
        assert!(Lock::parse(&escaped).unwrap().files.contains_key("aA.md"));
    }
}
