//! Corpus tests of `rebrand sync` on a real upstream move: the Harvester docs at `df5d277`
//! (the corpus with `upstream-df5d277-to-8511089.patch` applied in reverse) branded with the
//! shipped rules and hand-edited as a vendor would, then synced to `8511089` (the corpus
//! itself). Skip with a message when the corpus is absent.
//!
//! How the trees are made:
//! - `old`: a writable copy of the corpus in a scratch folder (under `/dev/shm` when there
//!   is one), then `git apply -R` of the upstream patch run inside the copy. `patch -R -p1`
//!   gives the same tree byte for byte; `git apply` is used because it checks every hunk
//!   before it writes anything and never applies with fuzz. The corpus holds text files
//!   only and the patch only adds and edits files, so there is nothing binary to carry.
//! - `new`: the corpus itself, read-only; nothing is ever written into it.
//! - Rules: the shipped rule file applies to both upstreams as it is (its `[[patch]]` on
//!   `docusaurus.config.js` applies to the older config too). A variant rule file (the
//!   changed-rules test) is written into a scratch copy of the whole rule bundle (the
//!   `.toml` and its `nqrust-hypervisor/` folder of overlay and patches), so its relative
//!   overlay and patch paths resolve exactly as the shipped ones do and nothing is written
//!   into `rules/`.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Instant, SystemTime};

use tempfile::TempDir;

use crate::common;

// ---------------------------------------------------------------------------------------
// Fixture: the two upstreams, the rules, scratch space
// ---------------------------------------------------------------------------------------

/// The label of the newer upstream, as sync is told it.
const NEW_REV: &str = "8511089";

struct Fixture {
    /// Scratch space of this test; every tree the test makes lives here.
    tmp: TempDir,
    /// The older upstream (`df5d277`), made from the corpus.
    old: PathBuf,
    /// The newer upstream (`8511089`): the corpus, read-only.
    new: PathBuf,
    /// The rule file (the shipped one unless a test writes a variant).
    rules: PathBuf,
}

impl Drop for Fixture {
    /// `apply` keeps the corpus's read-only modes (directories too): make the scratch
    /// space writable again so that it can be removed by a user who is not root.
    fn drop(&mut self) {
        make_writable(self.tmp.path());
    }
}

impl Fixture {
    fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }
}

/// A scratch folder under `/dev/shm` when it exists, else in the system's temp dir.
fn scratch() -> TempDir {
    let builder = {
        let mut b = tempfile::Builder::new();
        b.prefix("rebrand-sync-corpus-");
        b
    };
    let shm = Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = builder.tempdir_in(shm) {
            return dir;
        }
    }
    builder.tempdir().expect("a scratch folder")
}

/// The fixture, or `None` (after a message on stderr) when the corpus is absent.
fn fixture() -> Option<Fixture> {
    let new = common::corpus_dir()?;
    let patch = new
        .parent()
        .expect("the corpus has a parent folder")
        .join("upstream-df5d277-to-8511089.patch");
    assert!(
        patch.is_file(),
        "{} is missing next to the corpus",
        patch.display()
    );
    let tmp = scratch();
    let old = tmp.path().join("upstream-df5d277");
    copy_tree(&new, &old);
    // Inside the copy only: no repository above it may be found (ceiling), and no
    // repository of the environment (a hook's GIT_DIR) may be used.
    let out = Command::new("git")
        .args(["apply", "-R", "--whitespace=nowarn"])
        .arg(&patch)
        .current_dir(&old)
        .env("GIT_CEILING_DIRECTORIES", tmp.path())
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git apply -R {} failed: {}",
        patch.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(Fixture {
        tmp,
        old,
        new,
        rules: common::shipped_rules(),
    })
}

/// Copies the files of `src` into `dst`, writable (the corpus is read-only).
fn copy_tree(src: &Path, dst: &Path) {
    common::copy_tree(src, dst);
    make_writable(dst);
}

/// Makes every file and folder under `dir` writable by its owner (best effort).
fn make_writable(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            if entry.file_type().is_symlink() {
                continue;
            }
            if let Ok(meta) = entry.metadata() {
                let mut perm = meta.permissions();
                perm.set_mode(perm.mode() | 0o700);
                let _ = fs::set_permissions(entry.path(), perm);
            }
        }
    }
}

/// A copy of the shipped rule bundle (the rule file and its folder of overlay and
/// patches) in `dir`, with `edit` applied to the rule file's text; returns the rule file.
fn rule_bundle(dir: &Path, edit: impl FnOnce(&str) -> String) -> PathBuf {
    let shipped = common::shipped_rules();
    let folder = shipped.with_extension("");
    copy_tree(&folder, &dir.join(folder.file_name().unwrap()));
    let file = dir.join(shipped.file_name().unwrap());
    fs::write(&file, edit(&fs::read_to_string(&shipped).unwrap())).unwrap();
    file
}

// ---------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------

struct Run {
    output: Output,
}

impl Run {
    fn code(&self) -> Option<i32> {
        self.output.status.code()
    }
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
    /// Both streams, for messages and for searching the report.
    fn text(&self) -> String {
        format!("{}{}", self.stdout(), self.stderr())
    }
    /// What a failed assertion prints about the run.
    fn show(&self) -> String {
        format!(
            "status {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.output.status,
            tail(&self.stdout(), 60),
            tail(&self.stderr(), 60)
        )
    }
    /// The paths of the report lines whose first word is `action` (`added docs/x.md`).
    fn reported(&self, action: &str) -> BTreeSet<String> {
        self.text()
            .lines()
            .filter_map(|line| {
                let mut words = line.split_whitespace();
                let first = words.next()?.trim_end_matches(':');
                if !first.eq_ignore_ascii_case(action) {
                    return None;
                }
                words
                    .map(|w| w.trim_matches(|c| c == '`' || c == '\'' || c == '"' || c == ':'))
                    .find(|w| w.contains('/') || w.contains('.'))
                    .map(str::to_owned)
            })
            .collect()
    }
}

/// The last `n` lines of `s`.
fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    let skip = lines.len().saturating_sub(n);
    let mut out = String::new();
    if skip > 0 {
        out.push_str(&format!("[... {skip} lines ...]\n"));
    }
    out.push_str(&lines[skip..].join("\n"));
    out
}

fn rebrand<I, S>(args: I, env: &[(&str, String)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rebrand"));
    cmd.args(args)
        .env_remove("REBRAND_SYNC_ABORT_AFTER")
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1");
    for (key, value) in env {
        cmd.env(key, value);
    }
    Run {
        output: cmd.output().expect("the rebrand binary runs"),
    }
}

/// `rebrand apply` of `input` into `out`, which must succeed.
fn apply(rules: &Path, input: &Path, out: &Path) {
    let run = rebrand(
        [
            OsStr::new("apply"),
            OsStr::new("--rules"),
            rules.as_os_str(),
            input.as_os_str(),
            OsStr::new("--out"),
            out.as_os_str(),
        ],
        &[],
    );
    assert_eq!(run.code(), Some(0), "apply {}:\n{}", input.display(), run.show());
}

/// `rebrand sync` of `downstream` to `upstream` with `rules`, labelled `8511089`, with
/// `extra` arguments and environment.
fn sync_with(
    rules: &Path,
    upstream: &Path,
    downstream: &Path,
    extra: &[&OsStr],
    env: &[(&str, String)],
) -> Run {
    let mut args: Vec<&OsStr> = vec![
        OsStr::new("sync"),
        OsStr::new("--rules"),
        rules.as_os_str(),
        OsStr::new("--upstream"),
        upstream.as_os_str(),
        OsStr::new("--downstream"),
        downstream.as_os_str(),
        OsStr::new("--upstream-rev"),
        OsStr::new(NEW_REV),
    ];
    args.extend_from_slice(extra);
    rebrand(args, env)
}

/// `rebrand sync` of `downstream` to the newer upstream with the fixture's rules.
fn sync(fx: &Fixture, downstream: &Path) -> Run {
    sync_with(&fx.rules, &fx.new, downstream, &[], &[])
}

/// `rebrand check` of `downstream` against the newer upstream with the fixture's rules.
fn check(fx: &Fixture, downstream: &Path) -> Run {
    rebrand(
        [
            OsStr::new("check"),
            OsStr::new("--rules"),
            fx.rules.as_os_str(),
            OsStr::new("--upstream"),
            fx.new.as_os_str(),
            OsStr::new("--downstream"),
            downstream.as_os_str(),
        ],
        &[],
    )
}

// ---------------------------------------------------------------------------------------
// Snapshots of trees
// ---------------------------------------------------------------------------------------

/// Every file of a tree by its relative path (`/`-separated): its bytes (a link: its
/// target, marked).
type Snapshot = BTreeMap<String, Vec<u8>>;

fn snapshot(dir: &Path) -> Snapshot {
    let mut files = Snapshot::new();
    for (rel, entry) in common::entries(dir) {
        if entry.file_type().is_symlink() {
            let target = fs::read_link(entry.path()).unwrap();
            files.insert(rel, format!("-> {}", target.display()).into_bytes());
        } else if entry.file_type().is_file() {
            files.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// Modification times of every file of a tree, to tell "nothing written" from "the same
/// bytes written again".
fn mtimes(dir: &Path) -> BTreeMap<String, SystemTime> {
    common::entries(dir)
        .into_iter()
        .filter(|(_, e)| e.file_type().is_file())
        .map(|(rel, e)| (rel, e.metadata().unwrap().modified().unwrap()))
        .collect()
}

/// The site itself: the snapshot without `.rebrand/`.
fn content(s: &Snapshot) -> Snapshot {
    s.iter()
        .filter(|(p, _)| !p.starts_with(".rebrand/"))
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect()
}

/// The site and the sync state that defines it (`.rebrand/lock.toml`, `output.toml` and
/// `base/`), leaving out whatever else sync keeps in `.rebrand/` while it works (a
/// journal, pending files).
fn state_view(s: &Snapshot) -> Snapshot {
    s.iter()
        .filter(|(p, _)| {
            !p.starts_with(".rebrand/")
                || *p == ".rebrand/lock.toml"
                || *p == ".rebrand/output.toml"
                || p.starts_with(".rebrand/base/")
        })
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect()
}

/// How `actual` differs from `expected`, one line per file (the first differing line of
/// a changed text file), at most `limit` lines and a count of the rest.
fn tree_diff(expected: &Snapshot, actual: &Snapshot, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    let paths: BTreeSet<&String> = expected.keys().chain(actual.keys()).collect();
    for path in paths {
        let line = match (expected.get(path), actual.get(path)) {
            (Some(_), None) => format!("missing    {path}"),
            (None, Some(_)) => format!("unexpected {path}"),
            (Some(e), Some(a)) if e != a => format!("differs    {path}: {}", first_difference(e, a)),
            _ => continue,
        };
        out.push(line);
    }
    if out.len() > limit {
        let rest = out.len() - limit;
        out.truncate(limit);
        out.push(format!("... and {rest} more"));
    }
    out
}

fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let e = String::from_utf8_lossy(expected);
    let a = String::from_utf8_lossy(actual);
    let (mut el, mut al) = (e.lines(), a.lines());
    for n in 1.. {
        match (el.next(), al.next()) {
            (Some(x), Some(y)) if x == y => {}
            (None, None) => return "the same lines, different line endings".to_owned(),
            (x, y) => {
                return format!(
                    "line {n}: expected {:?}, got {:?}",
                    x.map(|s| clip(s, 160)),
                    y.map(|s| clip(s, 160))
                )
            }
        }
    }
    unreachable!()
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

fn assert_trees_equal(expected: &Snapshot, actual: &Snapshot, what: &str) {
    let diff = tree_diff(expected, actual, 40);
    assert!(diff.is_empty(), "{what}:\n{}", diff.join("\n"));
}

// ---------------------------------------------------------------------------------------
// The vendor's hand edits (on the branded tree, so on branded text)
// ---------------------------------------------------------------------------------------

/// A hand edit of one branded file; `apply` panics unless the edited text is there once.
struct Edit {
    path: &'static str,
    apply: fn(&str) -> String,
}

fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from:?} must occur once");
    text.replacen(from, to, 1)
}

/// (a) A paragraph of a page upstream changes elsewhere (its hunks are at old lines 272
/// and 589; this is line 48).
const HOST_PARAGRAPH: &str = "\nCordoned nodes are marked as unschedulable. Cordoning is useful when you want to prevent new workloads from being scheduled on a node. You can uncordon a node to make it schedulable again.\n";
const HOST_PARAGRAPH_VENDOR: &str = "\nA cordoned node accepts no new workloads; the ones it runs stay. Cordon a node from the NQRust Hypervisor console before servicing it, and uncordon it when it is back.\n";
fn edit_host(text: &str) -> String {
    replace_once(text, HOST_PARAGRAPH, HOST_PARAGRAPH_VENDOR)
}
const HOST: Edit = Edit {
    path: "docs/host/host.md",
    apply: edit_host,
};

/// (a) The first paragraph of a renamed page (upstream `harvester-configuration.md`)
/// whose hunks start at old line 54; this is line 21.
const CONFIGURATION_PARAGRAPH: &str = "\nHypervisor configuration file can be provided during manual or automatic installation to configure various settings. The following is a configuration example:\n";
const CONFIGURATION_PARAGRAPH_VENDOR: &str = "\nThe NQRust Hypervisor installer reads a configuration file, during a manual or an automatic installation. NQRust ships a validated starting point; the following example shows every section:\n";
fn edit_configuration(text: &str) -> String {
    replace_once(text, CONFIGURATION_PARAGRAPH, CONFIGURATION_PARAGRAPH_VENDOR)
}
const CONFIGURATION: Edit = Edit {
    path: "docs/install/hypervisor-configuration.md",
    apply: edit_configuration,
};

/// (d) The site config's colour mode, dark for the vendor (branded line 150); upstream's
/// hunks are the v1.4 version label (line 79) and a `scripts` table at the end, which the
/// rules' conditional patch removes.
const COLOR_MODE: &str = "      defaultMode: \"light\",\n";
const COLOR_MODE_VENDOR: &str = "      defaultMode: \"dark\",\n";
fn edit_config(text: &str) -> String {
    replace_once(text, COLOR_MODE, COLOR_MODE_VENDOR)
}
const CONFIG: Edit = Edit {
    path: "docusaurus.config.js",
    apply: edit_config,
};

/// (e) The one overlapping edit: upstream changes this very line (line 24 of the index,
/// "SUSE Linux Enterprise Micro 5.5" becomes "SUSE Linux Micro 6.1").
const INDEX_LINE_OLD: &str = "for SUSE Linux Enterprise Micro 5.5 is at the core of Hypervisor";
const INDEX_LINE_NEW: &str = "for SUSE Linux Micro 6.1 is at the core of Hypervisor";
const INDEX_LINE_VENDOR: &str =
    "for the NQRust OS (an immutable SUSE derivative) is at the core of NQRust Hypervisor";
fn edit_index_old(text: &str) -> String {
    replace_once(text, INDEX_LINE_OLD, INDEX_LINE_VENDOR)
}
/// The conflict resolved on the vendor's side, made from the newer branded index.
fn edit_index_new(text: &str) -> String {
    replace_once(text, INDEX_LINE_NEW, INDEX_LINE_VENDOR)
}
const INDEX: &str = "docs/index.md";
const INDEX_CONFLICT: Edit = Edit {
    path: INDEX,
    apply: edit_index_old,
};

/// (b) A page the vendor deleted (upstream changes it).
const DELETED_PAGE: &str = "versioned_docs/version-v1.4/image/upload-image.md";
/// (c) A page of the vendor's own.
const VENDOR_PAGE: &str = "docs/nqrust/support.md";
const VENDOR_PAGE_TEXT: &str =
    "---\ntitle: NQRust Support\n---\n\n# NQRust Support\n\nNQRust supports every NQRust Hypervisor release for three years.\n";

/// The edits that merge cleanly with upstream's change.
const CLEAN_EDITS: [Edit; 3] = [HOST, CONFIGURATION, CONFIG];

fn edit_file(dir: &Path, edit: &Edit) {
    let path = dir.join(edit.path);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    write(&path, &(edit.apply)(&text));
}

/// Writes a file, whatever mode the branded tree gave it.
fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).unwrap();
    }
    if path.exists() {
        make_writable(path);
    }
    fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Plants `edits`, and with `pages` the deleted page (b) and the vendor page (c).
fn hand_edit(dir: &Path, edits: &[&Edit], pages: bool) {
    for edit in edits {
        edit_file(dir, edit);
    }
    if pages {
        fs::remove_file(dir.join(DELETED_PAGE)).unwrap();
        write(&dir.join(VENDOR_PAGE), VENDOR_PAGE_TEXT);
    }
}

/// What the downstream's site must be after a sync: `fresh` (the newer upstream branded
/// from scratch) with the same `edits`, and with `pages`, the deleted page gone and the
/// vendor page there.
fn expected_site(fresh: &Snapshot, edits: &[&Edit], pages: bool) -> Snapshot {
    let mut site = content(fresh);
    for edit in edits {
        let text = String::from_utf8(site[edit.path].clone()).unwrap();
        site.insert(edit.path.to_owned(), (edit.apply)(&text).into_bytes());
    }
    if pages {
        assert!(
            site.remove(DELETED_PAGE).is_some(),
            "{DELETED_PAGE} is in the fresh output"
        );
        site.insert(VENDOR_PAGE.to_owned(), VENDOR_PAGE_TEXT.as_bytes().to_vec());
    }
    site
}

/// Asserts that `dir/.rebrand/lock.toml` records the upstream label `label` (a top-level
/// string of the lock).
fn assert_lock_names(dir: &Path, label: &str) {
    let text = read(dir, ".rebrand/lock.toml");
    let lock: toml::Table = toml::from_str(&text).expect("lock.toml is TOML");
    assert!(
        lock.values().any(|v| v.as_str() == Some(label)),
        "lock.toml does not name the upstream {label}: {:?}",
        lock.iter().filter(|(_, v)| !v.is_table()).collect::<Vec<_>>()
    );
}

fn read(dir: &Path, rel: &str) -> String {
    fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(rel).display()))
}

/// `old` branded into `name`, then hand-edited.
fn edited_downstream(fx: &Fixture, name: &str, edits: &[&Edit], pages: bool) -> PathBuf {
    let dir = fx.path(name);
    apply(&fx.rules, &fx.old, &dir);
    hand_edit(&dir, edits, pages);
    dir
}

/// The newer upstream branded from scratch into `name`.
fn fresh(fx: &Fixture, name: &str) -> (PathBuf, Snapshot) {
    let dir = fx.path(name);
    apply(&fx.rules, &fx.new, &dir);
    let snap = snapshot(&dir);
    (dir, snap)
}

/// Asserts that `run` changed nothing in `dir` (`before`, `times`: taken before the run):
/// no byte and no modification time, and reported no file.
fn assert_no_op(run: &Run, dir: &Path, before: &Snapshot, times: &BTreeMap<String, SystemTime>) {
    assert_untouched(run, dir, before, times, |_| true);
}

/// [`assert_no_op`] for the site alone: the sync state in `.rebrand/` may change (a sync
/// that records a new upstream label over the state `apply` wrote).
fn assert_site_untouched(run: &Run, dir: &Path, before: &Snapshot, times: &BTreeMap<String, SystemTime>) {
    assert_untouched(run, dir, before, times, |p| !p.starts_with(".rebrand/"));
}

fn assert_untouched(
    run: &Run,
    dir: &Path,
    before: &Snapshot,
    times: &BTreeMap<String, SystemTime>,
    scope: fn(&str) -> bool,
) {
    assert_eq!(run.code(), Some(0), "a sync with nothing to do:\n{}", run.show());
    let only = |s: &Snapshot| -> Snapshot {
        s.iter()
            .filter(|(p, _)| scope(p))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect()
    };
    assert_trees_equal(
        &only(before),
        &only(&snapshot(dir)),
        "a sync with nothing to do changed the downstream",
    );
    let rewritten: Vec<String> = mtimes(dir)
        .into_iter()
        .filter(|(p, t)| scope(p) && times.get(p).is_some_and(|old| old != t))
        .map(|(p, _)| p)
        .collect();
    assert!(
        rewritten.is_empty(),
        "a sync with nothing to do wrote {} files (same bytes): {:?}",
        rewritten.len(),
        &rewritten[..rewritten.len().min(20)]
    );
    for action in ["added", "updated", "merged", "conflict", "deleted", "kept"] {
        assert!(
            run.reported(action).is_empty(),
            "a sync with nothing to do reports {action} {:?}:\n{}",
            run.reported(action),
            run.show()
        );
    }
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[test]
fn sync_brings_upstream_changes_and_keeps_hand_edits() {
    let Some(fx) = fixture() else {
        return;
    };
    let down = edited_downstream(
        &fx,
        "downstream",
        &[&HOST, &CONFIGURATION, &CONFIG, &INDEX_CONFLICT],
        true,
    );
    let (_, fresh) = fresh(&fx, "fresh");

    let started = Instant::now();
    let run = sync(&fx, &down);
    eprintln!(
        "wall time: first full sync of the corpus (df5d277 -> {NEW_REV}, 161 upstream files changed): {:.2?}",
        started.elapsed()
    );
    assert_eq!(run.code(), Some(1), "one conflict: exit 1\n{}", run.show());
    assert_eq!(
        run.reported("conflict"),
        BTreeSet::from([INDEX.to_owned()]),
        "the conflicts listed\n{}",
        run.show()
    );
    assert!(
        run.reported("added")
            .contains("docs/advanced/addons/descheduler.md"),
        "a new upstream page is reported added\n{}",
        run.show()
    );

    // The conflict: markers around both sides, nothing else of the file differs from the
    // newer branded index.
    let index = read(&down, INDEX);
    let fresh_index = String::from_utf8(fresh[INDEX].clone()).unwrap();
    for marker in ["<<<<<<<", "=======", ">>>>>>>"] {
        assert!(
            index.lines().any(|l| l.starts_with(marker)),
            "no {marker} line in {INDEX}:\n{index}"
        );
    }
    assert!(
        index.contains(INDEX_LINE_VENDOR),
        "the vendor's side is in the conflict"
    );
    assert!(
        index.contains(INDEX_LINE_NEW),
        "upstream's side (branded) is in the conflict"
    );
    let start = index.find("\n<<<<<<<").unwrap() + 1;
    let end = index.rfind("\n>>>>>>>").unwrap() + 1;
    let end = end + index[end..].find('\n').map_or(index.len() - end, |n| n + 1);
    let (before, after) = (&index[..start], &index[end..]);
    assert!(
        fresh_index.starts_with(before)
            && fresh_index.ends_with(after)
            && before.len() + after.len() <= fresh_index.len(),
        "{INDEX} differs from the newer branded page outside the conflict:\n{index}"
    );

    // Everything else: the newer upstream branded, with the hand edits kept.
    let mut expected = expected_site(&fresh, &CLEAN_EDITS.iter().collect::<Vec<_>>(), true);
    let mut actual = content(&snapshot(&down));
    expected.remove(INDEX);
    actual.remove(INDEX);
    assert_trees_equal(
        &expected,
        &actual,
        "downstream after sync vs fresh apply + hand edits",
    );
    assert_lock_names(&down, NEW_REV);

    // Resolve on the vendor's side: the next sync has nothing to do.
    write(&down.join(INDEX), &edit_index_new(&fresh_index));
    let (before, times) = (snapshot(&down), mtimes(&down));
    let run = sync(&fx, &down);
    assert_no_op(&run, &down, &before, &times);
    let resolved = Edit {
        path: INDEX,
        apply: edit_index_new,
    };
    assert_trees_equal(
        &expected_site(&fresh, &[&HOST, &CONFIGURATION, &CONFIG, &resolved], true),
        &content(&snapshot(&down)),
        "the downstream once the conflict is resolved",
    );
}

#[test]
fn changed_rules_rebrand_affected_files_and_keep_hand_edits() {
    let Some(mut fx) = fixture() else {
        return;
    };
    let bundle = fx.path("rules");
    fx.rules = rule_bundle(&bundle, str::to_owned);
    let down = edited_downstream(&fx, "downstream", &CLEAN_EDITS.iter().collect::<Vec<_>>(), true);
    let run = sync(&fx, &down);
    assert_eq!(run.code(), Some(0), "the first sync:\n{}", run.show());
    let (_, fresh_before) = fresh(&fx, "fresh-before");

    // One more substitution, in the same rule file.
    fx.rules = rule_bundle(&bundle, |source| {
        format!(
            "{source}\n[[substitution]]\nid = \"storage\"\nfrom = \"Longhorn\"\nto = \"NQRust Depot\"\nnote = \"sync test: a rule added after the first sync (a name that stutters nowhere)\"\n"
        )
    });
    let (_, fresh_after) = fresh(&fx, "fresh-after");
    let affected: BTreeSet<String> = content(&fresh_after)
        .iter()
        .filter(|(p, b)| fresh_before.get(*p) != Some(*b))
        .map(|(p, _)| p.clone())
        .collect();
    assert!(
        affected.len() > 50,
        "the new rule affects {} files",
        affected.len()
    );
    assert!(
        affected.contains(HOST.path),
        "the new rule affects a hand-edited page"
    );

    let run = sync(&fx, &down);
    assert_eq!(
        run.code(),
        Some(0),
        "sync after the rules changed:\n{}",
        run.show()
    );
    let expected = expected_site(&fresh_after, &CLEAN_EDITS.iter().collect::<Vec<_>>(), true);
    assert_trees_equal(
        &expected,
        &content(&snapshot(&down)),
        "downstream after the rules changed",
    );
    let reported: BTreeSet<String> = ["updated", "merged"]
        .iter()
        .flat_map(|a| run.reported(a))
        .collect();
    let unreported: Vec<&String> = affected
        .difference(&reported)
        .filter(|p| *p != DELETED_PAGE)
        .collect();
    assert!(
        unreported.is_empty(),
        "files the new rule re-branded that the report does not list: {unreported:?}\n{}",
        run.show()
    );
    let host = read(&down, HOST.path);
    assert!(host.contains(HOST_PARAGRAPH_VENDOR) && host.contains("NQRust Depot"));

    let (before, times) = (snapshot(&down), mtimes(&down));
    let run = sync(&fx, &down);
    assert_no_op(&run, &down, &before, &times);
}

#[test]
fn incremental_sync_rewrites_only_the_changed_file() {
    let Some(mut fx) = fixture() else {
        return;
    };
    // Downstream: the newer upstream, applied (apply writes the sync state), hand-edited.
    let down = fx.path("downstream");
    apply(&fx.rules, &fx.new, &down);
    hand_edit(&down, &CLEAN_EDITS.iter().collect::<Vec<_>>(), true);
    let (before, times) = (snapshot(&down), mtimes(&down));
    let run = sync(&fx, &down);
    assert_site_untouched(&run, &down, &before, &times);
    // Upstream moves by one paragraph in one page.
    let next = fx.path("upstream-next");
    copy_tree(&fx.new, &next);
    let page = "docs/vm/create-vm.md";
    let text = read(&next, page);
    write(
        &next.join(page),
        &format!("{text}\nHarvester keeps the VM's disks when you stop it.\n"),
    );
    fx.new = next;

    let before = snapshot(&down);
    let started = Instant::now();
    let run = sync(&fx, &down);
    eprintln!(
        "wall time: incremental sync of the corpus (1 upstream file changed): {:.2?}",
        started.elapsed()
    );
    assert_eq!(run.code(), Some(0), "incremental sync:\n{}", run.show());
    let mut expected = content(&before);
    let branded = format!(
        "{}\nHypervisor keeps the VM's disks when you stop it.\n",
        String::from_utf8(expected[page].clone()).unwrap()
    );
    expected.insert(page.to_owned(), branded.into_bytes());
    assert_trees_equal(
        &expected,
        &content(&snapshot(&down)),
        "downstream after one upstream page changed",
    );
    assert_eq!(
        run.reported("updated"),
        BTreeSet::from([page.to_owned()]),
        "{}",
        run.show()
    );

    // Upstream deletes two pages: one the vendor never touched (deleted downstream), one
    // the vendor edited (kept, reported as a conflict).
    let edited = "docs/vm/cpu-memory-hotplug.md";
    let vendor_text = format!(
        "{}\nNQRust supports hotplug on every NQRust Hypervisor node.\n",
        read(&down, edited)
    );
    write(&down.join(edited), &vendor_text);
    let untouched = "docs/advanced/addons/descheduler.md";
    for gone in [edited, untouched] {
        fs::remove_file(fx.new.join(gone)).unwrap();
    }
    let run = sync(&fx, &down);
    assert_eq!(
        run.code(),
        Some(1),
        "upstream deleted a hand-edited page: a conflict\n{}",
        run.show()
    );
    assert_eq!(
        run.reported("deleted"),
        BTreeSet::from([untouched.to_owned()]),
        "{}",
        run.show()
    );
    assert_eq!(
        run.reported("conflict"),
        BTreeSet::from([edited.to_owned()]),
        "{}",
        run.show()
    );
    let (_, fresh) = fresh(&fx, "fresh-next");
    let mut expected = expected_site(&fresh, &CLEAN_EDITS.iter().collect::<Vec<_>>(), true);
    expected.insert(edited.to_owned(), vendor_text.into_bytes());
    assert_trees_equal(
        &expected,
        &content(&snapshot(&down)),
        "downstream after upstream deleted two pages",
    );
    let (before, times) = (snapshot(&down), mtimes(&down));
    let run = sync(&fx, &down);
    assert_no_op(&run, &down, &before, &times);
}

#[test]
fn killed_sync_leaves_before_or_after_and_rerun_completes() {
    let Some(fx) = fixture() else {
        return;
    };
    let edits: Vec<&Edit> = CLEAN_EDITS.iter().collect();
    let prepared = edited_downstream(&fx, "prepared", &edits, true);
    let before = snapshot(&prepared);

    let reference = fx.path("reference");
    copy_tree(&prepared, &reference);
    let run = sync(&fx, &reference);
    assert_eq!(run.code(), Some(0), "the uninterrupted sync:\n{}", run.show());
    let after = snapshot(&reference);
    let (before_view, after_view) = (state_view(&before), state_view(&after));

    // Where the sync's steps fall (`REBRAND_SYNC_ABORT_AFTER` counts staged files, then the
    // journal's commit, then the journal's steps): about one staged file per path the
    // uninterrupted sync wrote, then the commit, then the writes and deletions themselves.
    let writes = after_view
        .iter()
        .filter(|(p, b)| before_view.get(*p) != Some(*b))
        .count();
    let deletions = before_view
        .keys()
        .filter(|p| !after_view.contains_key(*p))
        .count();
    let commit = writes + 1;
    let mid_replay = commit + (writes + deletions) / 2;
    eprintln!("the uninterrupted sync writes {writes} files and deletes {deletions}");

    // 1, 50 and one in between from a fixed seed (xorshift): kills while files are staged,
    // which must leave the tree as it was (or, at worst, as the sync makes it).
    let mut seed: u64 = 0x5eed_2025_1128;
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    let between = 2 + (seed % 48) as usize;
    // Then kills after the journal's commit, which a rerun must roll forward: halfway
    // through the journal the tree is necessarily part before, part after; each file must
    // still be whole, either its before or its after.
    let kills = [(1, true), (between, true), (50, true), (mid_replay, false)];
    for (n, whole_tree) in kills {
        let down = fx.path(&format!("killed-after-{n}"));
        copy_tree(&prepared, &down);
        let run = sync_with(
            &fx.rules,
            &fx.new,
            &down,
            &[],
            &[("REBRAND_SYNC_ABORT_AFTER", n.to_string())],
        );
        assert!(
            !run.output.status.success(),
            "REBRAND_SYNC_ABORT_AFTER={n}: the sync did not die\n{}",
            run.show()
        );
        let view = state_view(&snapshot(&down));
        let as_before = view
            .iter()
            .filter(|(p, b)| before_view.get(*p) == Some(*b))
            .count();
        let as_after = view
            .iter()
            .filter(|(p, b)| after_view.get(*p) == Some(*b))
            .count();
        let state = if view == before_view {
            "as before"
        } else if view == after_view {
            "as after"
        } else {
            "part before, part after"
        };
        eprintln!(
            "REBRAND_SYNC_ABORT_AFTER={n} ({:?}): {state} ({as_before} files as before, {as_after} as after, of {})",
            run.output.status,
            view.len()
        );
        if whole_tree {
            assert!(
                view == before_view || view == after_view,
                "REBRAND_SYNC_ABORT_AFTER={n}: the downstream is neither before nor after the sync \
                 ({as_before} files as before, {as_after} as after, of {}):\nvs before:\n{}\nvs after:\n{}",
                view.len(),
                tree_diff(&before_view, &view, 15).join("\n"),
                tree_diff(&after_view, &view, 15).join("\n")
            );
        } else {
            let paths: BTreeSet<&String> = before_view
                .keys()
                .chain(after_view.keys())
                .chain(view.keys())
                .collect();
            let torn: Vec<&&String> = paths
                .iter()
                .filter(|p| view.get(**p) != before_view.get(**p) && view.get(**p) != after_view.get(**p))
                .collect();
            assert!(
                torn.is_empty(),
                "REBRAND_SYNC_ABORT_AFTER={n}: files that are neither before nor after the sync: {torn:?}"
            );
        }
        let rerun = sync(&fx, &down);
        assert_eq!(
            rerun.code(),
            Some(0),
            "rerun after REBRAND_SYNC_ABORT_AFTER={n}:\n{}",
            rerun.show()
        );
        assert_trees_equal(
            &after,
            &snapshot(&down),
            &format!("REBRAND_SYNC_ABORT_AFTER={n} then a rerun vs one uninterrupted sync"),
        );
    }
}

#[test]
fn check_reports_pending_changes() {
    let Some(fx) = fixture() else {
        return;
    };
    // A tree applied from the newer upstream is in sync.
    let (fresh_dir, fresh) = fresh(&fx, "fresh");
    let run = check(&fx, &fresh_dir);
    assert_eq!(run.code(), Some(0), "check of a fresh apply:\n{}", run.show());

    let down = edited_downstream(&fx, "downstream", &[&HOST, &INDEX_CONFLICT], false);
    let before = snapshot(&down);
    let run = check(&fx, &down);
    assert_eq!(run.code(), Some(1), "check before the sync:\n{}", run.show());
    assert_trees_equal(&before, &snapshot(&down), "check wrote into the downstream");

    let run = sync(&fx, &down);
    assert_eq!(run.code(), Some(1), "the sync with one conflict:\n{}", run.show());
    let run = check(&fx, &down);
    assert_eq!(
        run.code(),
        Some(1),
        "check with a conflict marker left:\n{}",
        run.show()
    );
    assert!(
        run.text().contains(INDEX),
        "check names the file with markers:\n{}",
        run.show()
    );

    let fresh_index = String::from_utf8(fresh[INDEX].clone()).unwrap();
    write(&down.join(INDEX), &edit_index_new(&fresh_index));
    let run = check(&fx, &down);
    assert_eq!(
        run.code(),
        Some(0),
        "check after the conflict is resolved:\n{}",
        run.show()
    );

    // A hand edit that brings the upstream brand back into prose.
    let host = read(&down, HOST.path);
    write(
        &down.join(HOST.path),
        &replace_once(
            &host,
            HOST_PARAGRAPH_VENDOR,
            "\nHarvester cordons a node for you before an upgrade.\n",
        ),
    );
    let run = check(&fx, &down);
    assert_eq!(run.code(), Some(1), "check with a prose leak:\n{}", run.show());
    assert!(
        run.text().contains(HOST.path),
        "check names the leak's file:\n{}",
        run.show()
    );
}
