//! The stat index of an output: what each file rebrand hashed looked like on disk when it
//! did, so that an up-to-date check can take a file whose metadata has not moved as
//! unchanged without reading it, as git's index does ("racy git",
//! Documentation/technical/racy-git.txt in git's sources).
//!
//! The index holds, for every folder, file and link of the upstream tree (as the run walked
//! it) and of the output (the files the lock names, the links, the folders above them), the
//! size in bytes, the modification and status-change times in nanoseconds, the inode and
//! device numbers, and for a file the BLAKE3 hash the lock records for it. An entry is taken
//! as unchanged only when all five match what `stat` says now, and when it is not *racy*:
//! neither time is at or after the index's own write (the index file's modification time).
//! A file written in the same timestamp tick as the index could change again within that
//! tick without its times moving, so it is hashed. Anything else (no index, another upstream
//! tree, a field that differs, a file the index does not name) is hashed too, and `apply
//! --verify` hashes every file.
//!
//! After a run that left the output as its lock says, the index also vouches for the run as
//! a whole ([`Whole`]: tool version, rules hash, upstream label, the lock file's stat). A
//! folder's times move when an entry is added to it, removed or renamed, so when every
//! recorded entry of both trees is unmoved, nothing was added, removed or changed anywhere:
//! the next `apply` is up to date with one `stat` per entry, without a walk, a lock or a
//! hash ([`Index::unchanged`]). The input's stats are taken before the run reads a file, so
//! a file that changes while it is read is seen as changed. The one window left is git's: a
//! file of the output changed after rebrand wrote it, before the index is written, within
//! the same timestamp tick and to the same size. `apply --verify`, `sync` and `check` read
//! every file whatever the index says.
//!
//! The index describes one machine's files (inodes, times), so it lives outside the output,
//! in the user's cache folder ([`cache_dir`]), one file per output folder: the output stays
//! byte for byte what the rules make, and nothing of it reaches a repository; the index of an
//! output folder that is gone is removed when another is written. It is a
//! cache: a missing, unreadable or malformed index only costs the hashing it would have
//! saved, and deleting the folder is always safe.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

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

/// Removes from the cache folder `dir` the indexes of output folders that are gone (a
/// temporary output, a deleted checkout), which nothing would read again; best effort.
fn prune(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with("index-") {
            continue;
        }
        let Ok(file) = fs::File::open(entry.path()) else {
            continue;
        };
        let mut first = String::new();
        if io::BufRead::read_line(&mut io::BufReader::new(file), &mut first).is_err() {
            continue;
        }
        // `rebrand-index N\t<input>\t<output>`: an index of another version is left as
        // it is, and rewritten by the next run of its output.
        let output = first.trim_end_matches('\n').splitn(3, '\t').nth(2);
        if output.is_some_and(|out| !Path::new(out).exists()) {
            let _ = fs::remove_file(entry.path());
        }
    }
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
    /// The stat of the entry at `path`, a link itself rather than what it leads to; `None`
    /// when it cannot be read.
    pub fn at(path: &Path) -> Option<Stat> {
        fs::symlink_metadata(path).ok().map(|m| Stat::of(&m))
    }

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

/// The stats of the entries `names` of the folder at `dir`, in order (`None` for one that
/// cannot be read), links not followed. On Linux through one handle on the folder: each
/// `statx` is relative to it, so the kernel walks the folder's path once, not once per
/// name (that walk was most of an up-to-date check's system time).
#[cfg(target_os = "linux")]
fn stats_in(dir: &Path, names: &[&str]) -> Vec<Option<Stat>> {
    use rustix::fs::{open, statx, AtFlags, Mode, OFlags, StatxFlags};
    let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let Ok(folder) = open(dir, flags, Mode::empty()) else {
        return vec![None; names.len()];
    };
    let nanos = |t: rustix::fs::StatxTimestamp| match t.tv_sec {
        ..0 => 0,
        s => i128::from(s) * 1_000_000_000 + i128::from(t.tv_nsec),
    };
    names
        .iter()
        .map(|name| {
            let s = statx(&folder, *name, AtFlags::SYMLINK_NOFOLLOW, StatxFlags::BASIC_STATS).ok()?;
            Some(Stat {
                size: s.stx_size,
                mtime_ns: nanos(s.stx_mtime),
                ctime_ns: nanos(s.stx_ctime),
                ino: s.stx_ino,
                dev: rustix::fs::makedev(s.stx_dev_major, s.stx_dev_minor),
            })
        })
        .collect()
}

/// The stats of the entries `names` of the folder at `dir` (see the Linux version).
#[cfg(not(target_os = "linux"))]
fn stats_in(dir: &Path, names: &[&str]) -> Vec<Option<Stat>> {
    names.iter().map(|name| Stat::at(&dir.join(name))).collect()
}

/// What an entry of the index is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A folder: its stat moves when an entry is added to it, removed or renamed, so an
    /// unmoved folder holds the names it held.
    Dir,
    /// A regular file, with the hash it had.
    File,
    /// A symbolic link (its own stat: a link is replaced, never changed in place).
    Link,
}

impl Kind {
    fn letter(self) -> char {
        match self {
            Kind::Dir => 'd',
            Kind::File => 'f',
            Kind::Link => 'l',
        }
    }
}

/// Which side of the index a file is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// A file of the upstream tree.
    Input,
    /// A file of the output.
    Output,
}

/// What the index vouches for as a whole, beside each entry: the run that left the output
/// as its lock says, with every folder, file and link of both trees recorded. When all of
/// these and every entry's stat are unmoved, the output is up to date without a walk, a
/// lock or a hash ([`Index::unchanged`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Whole {
    /// [`crate::version::tool_version`] of the run.
    pub tool_version: String,
    /// [`state::rules_hash`] of its rules.
    pub rules_hash: String,
    /// The upstream label its lock records.
    pub upstream: Option<String>,
    /// The stat of the output's lock file (`.rebrand/lock.toml`) as the run left it.
    pub lock: Stat,
}

/// One line of the index: a file, folder or link of one side, its stat when it was
/// recorded, and for a file the hash it had then; `rel` and `hash` are byte ranges of
/// [`Index::text`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Line {
    side: Side,
    kind: Kind,
    stat: Stat,
    rel: (usize, usize),
    /// Where the entry's name starts in [`Index::text`], inside `rel` (past its last `/`).
    name: usize,
    hash: (usize, usize),
}

impl Line {
    /// A line for the entry whose path is at `rel` in `text`.
    fn new(
        text: &str,
        (side, kind, stat): (Side, Kind, Stat),
        rel: (usize, usize),
        hash: (usize, usize),
    ) -> Line {
        let name = memchr::memrchr(b'/', &text.as_bytes()[rel.0..rel.1]).map_or(rel.0, |i| rel.0 + i + 1);
        Line {
            side,
            kind,
            stat,
            rel,
            name,
            hash,
        }
    }
}

/// The stat index of an output (see the module's doc).
#[derive(Debug, Default)]
pub struct Index {
    /// The upstream tree the input entries are of (absolute).
    input_root: PathBuf,
    /// The output folder the output entries are of (absolute).
    output_root: PathBuf,
    /// What it vouches for as a whole, when it records both trees entire.
    whole: Option<Whole>,
    /// The paths and hashes the lines name, one after the other.
    text: String,
    lines: Vec<Line>,
    /// The lines of files by side and path, made when first asked ([`Index::hash`]).
    files: std::sync::OnceLock<HashMap<(Side, String), usize>>,
    /// The index file's own modification time, nanoseconds since the epoch: entries at or
    /// after it are racy.
    written_ns: i128,
    /// How many files [`Index::hash`] had to read: when none, the index on disk is already
    /// what a new one would say.
    misses: AtomicUsize,
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
        match Index::parse(text, Stat::of(&meta).mtime_ns) {
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

    /// [`Index::new`], with room for about `entries` entries.
    pub fn with_capacity(input_root: &Path, out: &Path, entries: usize) -> Index {
        let mut index = Index::new(input_root, out);
        index.lines.reserve(entries);
        // A path and, for most, a hash of 64 digits.
        index.text.reserve(entries * 100);
        index
    }

    /// Records that the file `rel` of `side` had `stat` when its hash was `hash`.
    pub fn record(&mut self, side: Side, rel: &str, stat: Stat, hash: &str) {
        self.record_entry(side, Kind::File, rel, stat, hash);
    }

    /// Records that the entry `rel` (`""`: the tree's root) of `side`, a `kind`, had
    /// `stat`, and `hash` for a file (`""` for a folder or a link).
    pub fn record_entry(&mut self, side: Side, kind: Kind, rel: &str, stat: Stat, hash: &str) {
        let mut push = |s: &str| {
            let start = self.text.len();
            self.text.push_str(s);
            (start, self.text.len())
        };
        let (hash, rel) = (push(hash), push(rel));
        self.lines
            .push(Line::new(&self.text, (side, kind, stat), rel, hash));
        self.files = std::sync::OnceLock::new();
    }

    /// Sets what the index vouches for as a whole: every entry of both trees is recorded.
    pub fn vouch_for_whole(&mut self, whole: Whole) {
        self.whole = Some(whole);
    }

    fn slice(&self, (start, end): (usize, usize)) -> &str {
        &self.text[start..end]
    }

    /// Whether the output is what the run the index recorded left, for the same upstream
    /// tree, without reading a file: the index vouches for both trees whole ([`Whole`]),
    /// was written by this tool version with rules whose hash is `rules_hash` and, when a
    /// `label` is given, that upstream label; the lock file and every folder, file and
    /// link of both trees have the stat recorded, none of them racy. A folder's stat moves
    /// with its names, so no tree is walked: a file added or removed anywhere moves its
    /// folder. Any doubt is `false`, and the caller checks by content.
    pub fn unchanged(&self, rules_hash: &str, label: Option<&str>) -> bool {
        let Some(whole) = &self.whole else {
            return false;
        };
        if whole.tool_version != crate::version::tool_version()
            || whole.rules_hash != rules_hash
            || label.is_some_and(|l| whole.upstream.as_deref() != Some(l))
        {
            return false;
        }
        let unmoved =
            |path: &Path, recorded: &Stat| Stat::at(path).is_some_and(|now| self.trusts(recorded, &now));
        if !unmoved(&state::lock_path(&self.output_root), &whole.lock) {
            return false;
        }
        // The lines come grouped by folder (`to_text`): one look-up of each folder's path.
        let groups: Vec<&[Line]> = self
            .lines
            .chunk_by(|a, b| a.side == b.side && self.parent(a) == self.parent(b))
            .collect();
        groups.par_iter().all(|group| {
            let root = match group[0].side {
                Side::Input => &self.input_root,
                Side::Output => &self.output_root,
            };
            let Some(parent) = self.parent(&group[0]) else {
                return group.iter().all(|line| unmoved(root, &line.stat));
            };
            let names: Vec<&str> = group.iter().map(|l| self.name(l)).collect();
            let now = stats_in(&root.join(parent), &names);
            group
                .iter()
                .zip(now)
                .all(|(line, now)| now.is_some_and(|now| self.trusts(&line.stat, &now)))
        })
    }

    /// The folder of a line's entry, relative to its tree's root (`""`: the root); `None`
    /// for the root itself.
    fn parent(&self, line: &Line) -> Option<&str> {
        match (line.rel.0 == line.rel.1, line.name == line.rel.0) {
            (true, _) => None,
            (false, true) => Some(""),
            (false, false) => Some(&self.text[line.rel.0..line.name - 1]),
        }
    }

    /// The name of a line's entry in its folder.
    fn name(&self, line: &Line) -> &str {
        &self.text[line.name..line.rel.1]
    }

    /// The hash of the file `rel` of `side` at `path`: the recorded one when its stat is
    /// the recorded stat and it is not racy, else read and hashed ([`state::hash_file`]).
    ///
    /// # Errors
    /// The I/O error of reading it.
    pub fn hash(&self, side: Side, rel: &str, path: &Path) -> io::Result<String> {
        let files = self.files.get_or_init(|| {
            self.lines
                .iter()
                .enumerate()
                .filter(|(_, l)| l.kind == Kind::File && l.hash.0 < l.hash.1)
                .map(|(i, l)| ((l.side, self.slice(l.rel).to_string()), i))
                .collect()
        });
        if let Some(line) = files.get(&(side, rel.to_string())).map(|&i| &self.lines[i]) {
            if let Ok(meta) = fs::metadata(path) {
                if self.trusts(&line.stat, &Stat::of(&meta)) {
                    return Ok(self.slice(line.hash).to_string());
                }
            }
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        state::hash_file(path)
    }

    /// Whether every file asked of [`Index::hash`] so far was taken at its recorded hash, the
    /// index was read from disk, and it vouches for both trees whole: then it needs no
    /// rewriting.
    pub fn all_trusted(&self) -> bool {
        self.written_ns > 0 && self.whole.is_some() && self.misses.load(Ordering::Relaxed) == 0
    }

    /// Whether an entry whose index line has `recorded` and whose stat is `now` is taken as
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
        // A name with a line break (or a root or label with a tab) cannot be a line: no
        // index, and none left from before, is the safe answer.
        let breaks = |s: &str| s.contains(['\n', '\t']);
        let unwritable = breaks(&self.input_root.to_string_lossy())
            || breaks(&self.output_root.to_string_lossy())
            || self
                .whole
                .as_ref()
                .is_some_and(|w| w.upstream.as_deref().is_some_and(breaks))
            || self.lines.iter().any(|l| self.slice(l.rel).contains('\n'));
        if unwritable {
            return match fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let mut file = io::BufWriter::new(fs::File::create(&tmp)?);
        self.write_to(&mut file)?;
        io::Write::flush(&mut file)?;
        drop(file);
        fs::rename(&tmp, &path)?;
        if let Some(dir) = path.parent() {
            prune(dir);
        }
        Ok(())
    }

    /// The index as written: a header line naming the upstream tree and the output folder;
    /// when it vouches for both trees whole, a line `whole` with the tool version, the rules
    /// hash, the lock's stat and the upstream label (`=label`, or `-`); then one line per
    /// entry, grouped by side and folder: side (`i` or `o`), kind (`d`, `f`, `l`), size,
    /// mtime, ctime, inode, device, hash (`-` for none) and path, separated by tabs.
    ///
    /// # Errors
    /// The I/O error of writing to `out`.
    fn write_to(&self, out: &mut impl io::Write) -> io::Result<()> {
        writeln!(
            out,
            "rebrand-index 2\t{}\t{}",
            self.input_root.display(),
            self.output_root.display()
        )?;
        let stat = |s: &Stat| format!("{}\t{}\t{}\t{}\t{}", s.size, s.mtime_ns, s.ctime_ns, s.ino, s.dev);
        if let Some(w) = &self.whole {
            let upstream = w.upstream.as_deref().map_or("-".to_string(), |u| format!("={u}"));
            let (tool, rules, lock) = (&w.tool_version, &w.rules_hash, stat(&w.lock));
            writeln!(out, "whole\t{tool}\t{rules}\t{lock}\t{upstream}")?;
        }
        // Grouped by side and folder, for `unchanged`.
        let mut lines: Vec<(bool, Option<&str>, &str, &Line)> = self
            .lines
            .iter()
            .map(|l| (l.side == Side::Output, self.parent(l), self.name(l), l))
            .collect();
        lines.sort_unstable_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
        for (_, _, _, line) in lines {
            let side = match line.side {
                Side::Input => 'i',
                Side::Output => 'o',
            };
            let hash = match self.slice(line.hash) {
                "" => "-",
                h => h,
            };
            let (kind, stat, rel) = (line.kind.letter(), stat(&line.stat), self.slice(line.rel));
            writeln!(out, "{side}\t{kind}\t{stat}\t{hash}\t{rel}")?;
        }
        Ok(())
    }

    /// [`Index::write_to`] as text.
    #[cfg(test)]
    fn to_text(&self) -> String {
        let mut out = Vec::new();
        self.write_to(&mut out).expect("writing to memory");
        String::from_utf8(out).expect("paths are UTF-8")
    }

    /// The index in `text`, written at `written_ns`; `None` for text `to_text` did not
    /// write (or another tree's paths: a tab or a line break in a root's name).
    fn parse(text: String, written_ns: i128) -> Option<Index> {
        fn stat<'a>(f: &mut impl Iterator<Item = &'a str>) -> Option<Stat> {
            Some(Stat {
                size: f.next()?.parse().ok()?,
                mtime_ns: f.next()?.parse().ok()?,
                ctime_ns: f.next()?.parse().ok()?,
                ino: f.next()?.parse().ok()?,
                dev: f.next()?.parse().ok()?,
            })
        }
        let mut lines = text.split_terminator('\n').peekable();
        let first = lines.next()?;
        let mut body = first.len() + 1;
        let (input, output) = first.strip_prefix("rebrand-index 2\t")?.split_once('\t')?;
        let mut index = Index {
            input_root: PathBuf::from(input),
            output_root: PathBuf::from(output),
            written_ns,
            ..Index::default()
        };
        if let Some(whole) = lines.next_if(|l| l.starts_with("whole\t")) {
            body += whole.len() + 1;
            let mut f = whole.splitn(10, '\t').skip(1);
            let (tool_version, rules_hash) = (f.next()?.to_string(), f.next()?.to_string());
            let lock = stat(&mut f)?;
            let upstream = match f.next()? {
                "-" => None,
                u => Some(u.strip_prefix('=')?.to_string()),
            };
            index.whole = Some(Whole {
                tool_version,
                rules_hash,
                upstream,
                lock,
            });
        }
        // The entry lines, parsed in pieces side by side; each line's path and hash stay
        // where they are in the text, which the index keeps.
        let body = body.min(text.len());
        let pieces = split_at_lines(&text, body, rayon::current_num_threads().max(1) * 2);
        let parsed: Vec<Option<Vec<Line>>> = pieces
            .par_iter()
            .map(|&(a, b)| parse_lines(&text, a, b))
            .collect();
        index.lines = parsed.into_iter().collect::<Option<Vec<_>>>()?.concat();
        index.text = text;
        Some(index)
    }
}

/// `text[from..]` cut into about `pieces` ranges that end at line ends.
fn split_at_lines(text: &str, from: usize, pieces: usize) -> Vec<(usize, usize)> {
    let mut ranges = Vec::with_capacity(pieces);
    let mut start = from;
    while start < text.len() {
        let end = (start + (text.len() - from) / pieces + 1).min(text.len());
        let end = match text[end..].find('\n') {
            Some(i) => end + i + 1,
            None => text.len(),
        };
        ranges.push((start, end));
        start = end;
    }
    ranges
}

/// The entry lines of `text[start..end]` (whole lines), their paths and hashes as ranges of
/// `text`; `None` when one is not a line `Index::to_text` writes.
fn parse_lines(text: &str, start: usize, end: usize) -> Option<Vec<Line>> {
    let number = |f: &str| -> Option<u64> { f.parse().ok() };
    let mut lines = Vec::new();
    let mut at = start;
    for line in text[start..end].split_terminator('\n') {
        let base = at;
        at += line.len() + 1;
        let mut f = line.splitn(9, '\t');
        let side = match f.next()? {
            "i" => Side::Input,
            "o" => Side::Output,
            _ => return None,
        };
        let kind = match f.next()? {
            "d" => Kind::Dir,
            "f" => Kind::File,
            "l" => Kind::Link,
            _ => return None,
        };
        let stat = Stat {
            size: number(f.next()?)?,
            mtime_ns: f.next()?.parse().ok()?,
            ctime_ns: f.next()?.parse().ok()?,
            ino: number(f.next()?)?,
            dev: number(f.next()?)?,
        };
        let hash = f.next()?;
        let rel = f.next()?;
        // Where a field sits in `text`: its offset in the line, past the line's start.
        let range = |field: &str| {
            let offset = field.as_ptr() as usize - line.as_ptr() as usize + base;
            (offset, offset + field.len())
        };
        let hash = match hash {
            "-" => (0, 0),
            h => range(h),
        };
        lines.push(Line::new(text, (side, kind, stat), range(rel), hash));
    }
    Some(lines)
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

    /// The folder-relative stats of an up-to-date check are the stats `std` gives (the
    /// index records those).
    #[test]
    fn a_stat_through_the_folder_is_the_stat_of_the_path() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("a.md"), "x").unwrap();
        fs::create_dir(tmp.path().join("sub")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("a.md", tmp.path().join("link")).unwrap();
        for name in ["a.md", "sub", "link"] {
            let path = tmp.path().join(name);
            let by_path = Stat::at(&path);
            assert_eq!(stats_in(tmp.path(), &[name]), [by_path], "{name}");
        }
        assert_eq!(stats_in(tmp.path(), &["missing"]), [None]);
        assert_eq!(stats_in(&tmp.path().join("missing"), &["a.md"]), [None]);
    }

    #[test]
    fn the_indexes_of_outputs_that_are_gone_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let (cache, kept) = (tmp.path().join("cache"), tmp.path().join("kept"));
        fs::create_dir_all(&cache).unwrap();
        fs::create_dir(&kept).unwrap();
        let write = |name: &str, out: &Path| {
            let text = format!("rebrand-index 2\t/up\t{}\n", out.display());
            fs::write(cache.join(name), text).unwrap();
        };
        write("index-kept", &kept);
        write("index-gone", &tmp.path().join("gone"));
        fs::write(cache.join("other"), "not an index\n").unwrap();
        prune(&cache);
        let mut left: Vec<String> = fs::read_dir(&cache)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        left.sort();
        assert_eq!(left, ["index-kept", "other"]);
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
        // In the order the index writes them: by side, then folder (the root first).
        index.record(Side::Input, "docs/a b.md", stat, "00ff");
        index.record_entry(Side::Output, Kind::Dir, "", stat, "");
        index.record(Side::Output, "docs/a b.md", stat, "11ee");
        let back = Index::parse(index.to_text(), 5).unwrap();
        assert_eq!(back.input_root, Path::new("/up/tree"));
        assert_eq!(back.output_root, Path::new("/out tree"));
        let entries = |i: &Index| -> Vec<(Side, Kind, Stat, String, String)> {
            let slice = |r| i.slice(r).to_string();
            i.lines
                .iter()
                .map(|l| (l.side, l.kind, l.stat, slice(l.hash), slice(l.rel)))
                .collect()
        };
        assert_eq!(entries(&back), entries(&index));
        assert_eq!(back.whole, None);
        for upstream in [None, Some("v1.4 =x".to_string())] {
            let whole = Whole {
                tool_version: "0.9.0 (git 1)".into(),
                rules_hash: "ab".into(),
                upstream,
                lock: stat,
            };
            index.vouch_for_whole(whole.clone());
            assert_eq!(Index::parse(index.to_text(), 5).unwrap().whole, Some(whole));
        }
        assert!(Index::parse("something else\n".into(), 5).is_none());
        assert!(Index::parse("rebrand-index 2\t/up\t/out\nx\t1\n".into(), 5).is_none());
        assert!(Index::parse("rebrand-index 1\t/up\t/out\n".into(), 5).is_none());
    }
}
