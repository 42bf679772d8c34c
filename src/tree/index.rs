//! The stat index of an output: what each file rebrand hashed looked like on disk when it
//! did, so that an up-to-date check can take a file whose metadata has not moved as
//! unchanged without reading it, as git's index does ("racy git",
//! Documentation/technical/racy-git.txt in git's sources).
//!
//! The index holds, for every file the lock names (its input file in the upstream tree and
//! its output file), the size in bytes, the modification and status-change times in
//! nanoseconds, the inode and device numbers, and the BLAKE3 hash the lock records for it.
//! A file is taken at its recorded hash only when all five match what `stat` says now, and
//! when it is not *racy*: neither time is at or after the index's own write (the index
//! file's modification time). A file written in the same timestamp tick as the index could
//! change again within that tick without its times moving, so it is hashed. Anything else
//! (no index, another upstream tree, a field that differs, a file the index does not name)
//! is hashed too, and `apply --verify` hashes every file.
//!
//! The index describes one machine's files (inodes, times), so it lives outside the output,
//! in the user's cache folder ([`cache_dir`]), one file per output folder: the output stays
//! byte for byte what the rules make, and nothing of it reaches a repository. It is a
//! cache: a missing, unreadable or malformed index only costs the hashing it would have
//! saved, and deleting the folder is always safe.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::state;

/// The folder of the stat indexes: `$REBRAND_CACHE_DIR`, else `$XDG_CACHE_HOME/rebrand`,
/// else `~/.cache/rebrand` (`%LOCALAPPDATA%\rebrand` on Windows); `None` when none can be
/// told (then no index is read or written).
pub fn cache_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var("REBRAND_CACHE_DIR") {
        return Some(dir);
    }
    let base = var("XDG_CACHE_HOME")
        .or_else(|| var("HOME").map(|home| home.join(".cache")))
        .or_else(|| var("LOCALAPPDATA"))?;
    Some(base.join("rebrand"))
}

/// The index file of the output folder `out` (absolute): `index-<hash of the path>` in
/// [`cache_dir`].
fn index_path(out: &Path) -> Option<PathBuf> {
    let key = state::hash(out.as_os_str().as_encoded_bytes());
    Some(cache_dir()?.join(format!("index-{}", &key[..16])))
}

/// What `stat` says of a file, as the index compares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stat {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i128,
    /// Status-change time (`ctime`), nanoseconds since the Unix epoch; 0 where the platform
    /// has none.
    pub ctime_ns: i128,
    /// Inode number (0 where the platform has none).
    pub ino: u64,
    /// Device number (0 where the platform has none).
    pub dev: u64,
}

impl Stat {
    /// The stat of `meta`.
    pub fn of(meta: &fs::Metadata) -> Stat {
        let nanos = |t: io::Result<std::time::SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos() as i128)
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Stat {
                size: meta.len(),
                mtime_ns: nanos(meta.modified()),
                ctime_ns: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
                ino: meta.ino(),
                dev: meta.dev(),
            }
        }
        #[cfg(not(unix))]
        {
            Stat {
                size: meta.len(),
                mtime_ns: nanos(meta.modified()),
                ctime_ns: 0,
                ino: 0,
                dev: 0,
            }
        }
    }
}

/// One file of the index: its stat when it had `hash`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    stat: Stat,
    hash: String,
}

/// The stat index of an output (see the module's doc).
#[derive(Debug, Default)]
pub struct Index {
    /// The upstream tree the input entries are of (absolute).
    input_root: PathBuf,
    /// The output folder the output entries are of (absolute).
    output_root: PathBuf,
    /// Input files by relative path.
    inputs: HashMap<String, Entry>,
    /// Output files by relative path.
    outputs: HashMap<String, Entry>,
    /// The index file's own modification time, nanoseconds since the epoch: entries at or
    /// after it are racy.
    written_ns: i128,
    /// How many files [`Index::hash`] had to read: when none, the index on disk is already
    /// what a new one would say.
    misses: AtomicUsize,
}

/// Which side of the index a file is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// A file of the upstream tree.
    Input,
    /// A file of the output.
    Output,
}

impl Index {
    /// The index of the output folder `out` (absolute) for the upstream tree at
    /// `input_root` (absolute), or an empty one when there is none, it does not parse, or
    /// it was written for another pair of trees.
    pub fn load(out: &Path, input_root: &Path) -> Index {
        let Some(path) = index_path(out) else {
            return Index::new(input_root, out);
        };
        let (Ok(text), Ok(meta)) = (fs::read_to_string(&path), fs::metadata(&path)) else {
            return Index::new(input_root, out);
        };
        match Index::parse(&text, Stat::of(&meta).mtime_ns) {
            Some(index) if index.input_root == input_root && index.output_root == out => index,
            _ => Index::new(input_root, out),
        }
    }

    /// An index with nothing in it, for the upstream tree at `input_root` and the output
    /// folder `out` (both absolute), to record into.
    pub fn new(input_root: &Path, out: &Path) -> Index {
        Index {
            input_root: input_root.to_path_buf(),
            output_root: out.to_path_buf(),
            ..Index::default()
        }
    }

    /// Records that the file `rel` of `side` had `stat` when its hash was `hash`.
    pub fn record(&mut self, side: Side, rel: &str, stat: Stat, hash: &str) {
        let entry = Entry {
            stat,
            hash: hash.to_string(),
        };
        match side {
            Side::Input => self.inputs.insert(rel.to_string(), entry),
            Side::Output => self.outputs.insert(rel.to_string(), entry),
        };
    }

    /// The hash of the file `rel` of `side` at `path`: the recorded one when its stat is
    /// the recorded stat and it is not racy, else read and hashed ([`state::hash_file`]).
    ///
    /// # Errors
    /// The I/O error of reading it.
    pub fn hash(&self, side: Side, rel: &str, path: &Path) -> io::Result<String> {
        let entries = match side {
            Side::Input => &self.inputs,
            Side::Output => &self.outputs,
        };
        if let Some(entry) = entries.get(rel) {
            if let Ok(meta) = fs::metadata(path) {
                if self.trusts(&entry.stat, &Stat::of(&meta)) {
                    return Ok(entry.hash.clone());
                }
            }
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        state::hash_file(path)
    }

    /// Whether every file asked of [`Index::hash`] so far was taken at its recorded hash, and
    /// the index was read from disk: then it needs no rewriting.
    pub fn all_trusted(&self) -> bool {
        self.written_ns > 0 && self.misses.load(Ordering::Relaxed) == 0
    }

    /// Whether a file whose index entry has `recorded` and whose stat is `now` is taken as
    /// unchanged: every field equal, and neither time at or after the index's write.
    fn trusts(&self, recorded: &Stat, now: &Stat) -> bool {
        recorded == now && recorded.mtime_ns < self.written_ns && recorded.ctime_ns < self.written_ns
    }

    /// Writes the index into the cache folder ([`cache_dir`]), through a temporary file and
    /// a rename; nothing when there is no cache folder.
    ///
    /// # Errors
    /// The I/O error of writing it.
    pub fn save(&self) -> io::Result<()> {
        let Some(path) = index_path(&self.output_root) else {
            return Ok(());
        };
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        fs::write(&tmp, self.to_text())?;
        fs::rename(&tmp, &path)
    }

    /// The index as written: a header line naming the upstream tree and the output folder,
    /// then one line per file: side (`i` or `o`), size, mtime, ctime, inode, device, hash
    /// and path, separated by tabs.
    fn to_text(&self) -> String {
        let mut out = format!(
            "rebrand-index 1\t{}\t{}\n",
            self.input_root.display(),
            self.output_root.display()
        );
        for (side, entries) in [("i", &self.inputs), ("o", &self.outputs)] {
            let mut paths: Vec<&String> = entries.keys().collect();
            paths.sort_unstable();
            for rel in paths {
                let e = &entries[rel];
                let s = &e.stat;
                out.push_str(&format!(
                    "{side}\t{}\t{}\t{}\t{}\t{}\t{}\t{rel}\n",
                    s.size, s.mtime_ns, s.ctime_ns, s.ino, s.dev, e.hash
                ));
            }
        }
        out
    }

    /// The index in `text`, written at `written_ns`; `None` for text `to_text` did not
    /// write.
    fn parse(text: &str, written_ns: i128) -> Option<Index> {
        let mut lines = text.lines();
        let (input, output) = lines
            .next()?
            .strip_prefix("rebrand-index 1\t")?
            .split_once('\t')?;
        let mut index = Index {
            input_root: PathBuf::from(input),
            output_root: PathBuf::from(output),
            written_ns,
            ..Index::default()
        };
        for line in lines {
            let mut f = line.splitn(8, '\t');
            let side = match f.next()? {
                "i" => Side::Input,
                "o" => Side::Output,
                _ => return None,
            };
            let stat = Stat {
                size: f.next()?.parse().ok()?,
                mtime_ns: f.next()?.parse().ok()?,
                ctime_ns: f.next()?.parse().ok()?,
                ino: f.next()?.parse().ok()?,
                dev: f.next()?.parse().ok()?,
            };
            let hash = f.next()?;
            let rel = f.next()?;
            index.record(side, rel, stat, hash);
        }
        Some(index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_trusted_only_when_its_stat_is_the_same_and_older_than_the_index() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("a.md");
        fs::write(&file, "Harvester\n").unwrap();
        let stat = Stat::of(&fs::metadata(&file).unwrap());
        let mut index = Index::new(Path::new("/up"), Path::new("/out"));
        index.record(Side::Output, "a.md", stat, "recorded");
        // Written after the file: trusted, the recorded hash is taken without reading.
        index.written_ns = stat.mtime_ns.max(stat.ctime_ns) + 1;
        assert_eq!(index.hash(Side::Output, "a.md", &file).unwrap(), "recorded");
        // Racy: the index was written in the file's own tick, so the file is read.
        index.written_ns = stat.mtime_ns;
        assert_eq!(
            index.hash(Side::Output, "a.md", &file).unwrap(),
            state::hash(b"Harvester\n")
        );
        // Changed since: a different size (and ctime) is read and hashed.
        index.written_ns = i128::MAX;
        fs::write(&file, "Hypervisor\n").unwrap();
        assert_eq!(
            index.hash(Side::Output, "a.md", &file).unwrap(),
            state::hash(b"Hypervisor\n")
        );
        // The other side, or a path the index does not name, is read.
        assert_eq!(
            index.hash(Side::Input, "a.md", &file).unwrap(),
            state::hash(b"Hypervisor\n")
        );
    }

    #[test]
    fn the_index_reads_back_what_it_wrote_and_nothing_else() {
        let mut index = Index::new(Path::new("/up/tree"), Path::new("/out tree"));
        let stat = Stat {
            size: 3,
            mtime_ns: 1_700_000_000_123_456_789,
            ctime_ns: 1_700_000_000_223_456_789,
            ino: 42,
            dev: 7,
        };
        index.record(Side::Input, "docs/a b.md", stat, "00ff");
        index.record(Side::Output, "docs/a b.md", stat, "11ee");
        let back = Index::parse(&index.to_text(), 5).unwrap();
        assert_eq!(back.input_root, Path::new("/up/tree"));
        assert_eq!(back.output_root, Path::new("/out tree"));
        assert_eq!(back.inputs, index.inputs);
        assert_eq!(back.outputs, index.outputs);
        assert!(Index::parse("something else\n", 5).is_none());
        assert!(Index::parse("rebrand-index 1\t/up\t/out\nx\t1\n", 5).is_none());
    }
}
