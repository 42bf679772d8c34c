//! `rebrand sync` on small trees made in the test: every case of the three-way decision,
//! the state it leaves, adoption, the journal, and `rebrand check`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

use crate::common;

const RULES: &str = "[[substitution]]\nid = \"brand\"\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n";

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = root.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }
}

/// Every file under `root` but rebrand's state, path → text.
fn tree(root: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                e,
            )
        })
        .filter(|(p, _)| !p.starts_with(".rebrand/"))
        .map(|(p, e)| (p, fs::read_to_string(e.path()).unwrap()))
        .collect()
}

struct Setup {
    tmp: TempDir,
}

impl Setup {
    fn new() -> Setup {
        let s = Setup {
            tmp: TempDir::new().unwrap(),
        };
        fs::write(s.rules(), RULES).unwrap();
        write(
            &s.upstream(),
            &[
                ("docs/a.md", "# Harvester\n\nOne.\n\nTwo.\n\nThree.\n\nFour.\n"),
                ("docs/b.md", "Harvester b\n"),
                ("docs/c.md", "Harvester c\n"),
                ("docs/d.md", "Harvester d\n"),
                ("docs/e.md", "Harvester e line 1\nline 2\n"),
            ],
        );
        s
    }
    fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }
    fn rules(&self) -> PathBuf {
        self.path("rules.toml")
    }
    fn upstream(&self) -> PathBuf {
        self.path("upstream")
    }
    fn downstream(&self) -> PathBuf {
        self.path("downstream")
    }
    fn run(&self, args: &[&str]) -> (Option<i32>, String, String) {
        let out = Command::cargo_bin("rebrand")
            .unwrap()
            .args(args)
            .arg("--rules")
            .arg(self.rules())
            .arg("--upstream")
            .arg(self.upstream())
            .arg("--downstream")
            .arg(self.downstream())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }
    fn apply(&self) {
        Command::cargo_bin("rebrand")
            .unwrap()
            .args(["apply", "--upstream-rev", "v1", "--rules"])
            .arg(self.rules())
            .arg(self.upstream())
            .arg("--out")
            .arg(self.downstream())
            .assert()
            .success();
    }
}

#[test]
fn every_case_of_the_three_way_decision() {
    let s = Setup::new();
    s.apply();
    let d = s.downstream();
    // The vendor's hand edits.
    write(
        &d,
        &[
            (
                "docs/a.md",
                "# Hypervisor\n\nOne, by the vendor.\n\nTwo.\n\nThree.\n\nFour.\n",
            ),
            ("docs/e.md", "Hypervisor e line 1, vendor\nline 2\n"),
            ("docs/d.md", "Hypervisor d, vendor\n"),
            ("docs/vendor.md", "Our own page.\n"),
        ],
    );
    fs::remove_file(d.join("docs/c.md")).unwrap();
    // Upstream moves.
    let u = s.upstream();
    write(
        &u,
        &[
            (
                "docs/a.md",
                "# Harvester\n\nOne.\n\nTwo.\n\nThree.\n\nFour, changed upstream.\n",
            ),
            ("docs/b.md", "Harvester b, changed\n"),
            ("docs/c.md", "Harvester c, changed\n"),
            ("docs/e.md", "Harvester e line 1, upstream\nline 2\n"),
            ("docs/new.md", "New Harvester page\n"),
        ],
    );
    fs::remove_file(u.join("docs/d.md")).unwrap();

    let (status, stdout, stderr) = s.run(&["sync", "--upstream-rev", "v2"]);
    assert_eq!(status, Some(1), "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "merged     docs/a.md\n\
         updated    docs/b.md\n\
         kept deleted (changed upstream) docs/c.md\n\
         conflict (deleted upstream, edited here) docs/d.md\n\
         conflict   docs/e.md\n\
         added      docs/new.md\n"
    );
    let got = tree(&d);
    assert_eq!(
        got["docs/a.md"],
        "# Hypervisor\n\nOne, by the vendor.\n\nTwo.\n\nThree.\n\nFour, changed upstream.\n"
    );
    assert_eq!(got["docs/b.md"], "Hypervisor b, changed\n");
    assert!(!got.contains_key("docs/c.md"), "the vendor deleted it");
    assert_eq!(got["docs/d.md"], "Hypervisor d, vendor\n");
    assert!(
        got["docs/e.md"].starts_with("<<<<<<< ours\nHypervisor e line 1, vendor\n"),
        "{}",
        got["docs/e.md"]
    );
    assert!(got["docs/e.md"].contains("=======\nHypervisor e line 1, upstream\n>>>>>>> theirs\nline 2\n"));
    assert_eq!(got["docs/new.md"], "New Hypervisor page\n");
    assert_eq!(got["docs/vendor.md"], "Our own page.\n");
    let lock = fs::read_to_string(d.join(".rebrand/lock.toml")).unwrap();
    assert!(lock.contains("upstream = \"v2\"\n"), "{lock}");
    assert!(
        !lock.contains("docs/d.md"),
        "a file upstream deleted leaves the state"
    );

    // `check` sees the markers; resolved, a second sync is a no-op and check passes.
    let (status, stdout, _) = s.run(&["check"]);
    assert_eq!(status, Some(1));
    assert!(stdout.contains("docs/e.md: conflict markers remain"), "{stdout}");
    write(
        &d,
        &[("docs/e.md", "Hypervisor e line 1, vendor and upstream\nline 2\n")],
    );
    let before = tree(&d);
    let (status, stdout, _) = s.run(&["sync", "--upstream-rev", "v2"]);
    assert_eq!((status, stdout.as_str()), (Some(0), ""));
    assert_eq!(tree(&d), before);
    assert_eq!(s.run(&["check"]).0, Some(0));
}

#[test]
fn changed_rules_rebrand_and_keep_hand_edits() {
    let s = Setup::new();
    s.apply();
    let page = s.downstream().join("docs/a.md");
    let generated = fs::read_to_string(&page).unwrap();
    assert_eq!(
        generated,
        "# Hypervisor {#harvester}\n\nOne.\n\nTwo.\n\nThree.\n\nFour.\n"
    );
    fs::write(&page, generated.replace("One.", "One, by the vendor.")).unwrap();
    fs::write(s.rules(), RULES.replace("to = \"Hypervisor\"", "to = \"NQRust\"")).unwrap();
    let (status, stdout, stderr) = s.run(&["sync"]);
    assert_eq!(status, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.starts_with("merged     docs/a.md\nupdated    docs/b.md\n"),
        "{stdout}"
    );
    let got = tree(&s.downstream());
    assert_eq!(
        got["docs/a.md"],
        "# NQRust {#harvester}\n\nOne, by the vendor.\n\nTwo.\n\nThree.\n\nFour.\n"
    );
    assert_eq!(got["docs/b.md"], "NQRust b\n");
}

#[test]
fn a_tree_without_state_needs_adopt() {
    let s = Setup::new();
    let base = s.path("base");
    common::copy_tree(&s.upstream(), &base);
    // A hand-made edition of `base`: pages branded by hand (one as the rules would, one
    // with a line of the vendor's own, one its own way), one left as upstream, a vendor page.
    write(
        &s.downstream(),
        &[
            ("docs/a.md", "# Harvester\n\nOne.\n\nTwo.\n\nThree.\n\nFour.\n"),
            ("docs/b.md", "Hypervisor b\n"),
            ("docs/c.md", "Hypervisor c\nby hand\n"),
            ("docs/d.md", "NQRust d\n"),
            ("docs/e.md", "Hypervisor e line 1\nline 2\nby hand\n"),
            ("docs/vendor.md", "Our own page.\n"),
        ],
    );
    let d = s.downstream();
    let (status, _, stderr) = s.run(&["sync"]);
    assert_eq!(status, Some(2));
    assert!(
        stderr.contains("has no sync state") && stderr.contains("--adopt --base-upstream"),
        "{stderr}"
    );
    // Upstream moved since the edition was made.
    write(
        &s.upstream(),
        &[(
            "docs/a.md",
            "# Harvester\n\nOne.\n\nTwo.\n\nThree.\n\nFour, changed.\n",
        )],
    );
    let base = base.display().to_string();
    let (status, stdout, stderr) = s.run(&["sync", "--adopt", "--base-upstream", &base]);
    assert_eq!(status, Some(1), "{stdout}{stderr}");
    assert_eq!(
        stdout,
        "branded    docs/a.md\nconflict   docs/c.md\nconflict   docs/d.md\nmerged     docs/e.md\nvendor file kept docs/vendor.md\n",
        "{stderr}"
    );
    assert!(stderr.contains("4 files carried hand edits"), "{stderr}");
    let got = tree(&d);
    assert_eq!(
        got["docs/a.md"],
        "# Hypervisor {#harvester}\n\nOne.\n\nTwo.\n\nThree.\n\nFour, changed.\n"
    );
    assert_eq!(got["docs/b.md"], "Hypervisor b\n");
    // An edit next to the rules' own change is a conflict, as `git merge-file` makes it.
    assert_eq!(
        got["docs/c.md"],
        "<<<<<<< ours\nHypervisor c\nby hand\n=======\nHypervisor c\n>>>>>>> theirs\n"
    );
    assert_eq!(
        got["docs/d.md"],
        "<<<<<<< ours\nNQRust d\n=======\nHypervisor d\n>>>>>>> theirs\n"
    );
    assert_eq!(got["docs/e.md"], "Hypervisor e line 1\nline 2\nby hand\n");
    assert_eq!(got["docs/vendor.md"], "Our own page.\n");
    assert!(d.join(".rebrand/lock.toml").is_file());
    // Resolved, the next sync is an ordinary one with nothing to do.
    write(
        &d,
        &[
            ("docs/c.md", "Hypervisor c\nby hand\n"),
            ("docs/d.md", "NQRust d\n"),
        ],
    );
    let (status, stdout, stderr) = s.run(&["sync"]);
    assert_eq!((status, stdout.as_str()), (Some(0), ""), "{stderr}");
}

#[test]
fn a_sync_killed_after_its_commit_is_completed_by_the_next_run() {
    let s = Setup::new();
    s.apply();
    write(
        &s.upstream(),
        &[
            ("docs/b.md", "Harvester b, changed\n"),
            ("docs/new.md", "Harvester new\n"),
        ],
    );
    let before = tree(&s.downstream());
    // Count the steps of an uninterrupted run in a copy.
    for n in 1..=8 {
        let out = Command::cargo_bin("rebrand")
            .unwrap()
            .env("REBRAND_SYNC_ABORT_AFTER", n.to_string())
            .args(["sync", "--rules"])
            .arg(s.rules())
            .arg("--upstream")
            .arg(s.upstream())
            .arg("--downstream")
            .arg(s.downstream())
            .output()
            .unwrap();
        let killed = !out.status.success();
        let now = tree(&s.downstream());
        let journal = s.downstream().join(".rebrand/pending/journal.toml").is_file();
        // Killed before the commit: as before; after it: the journal is there to finish.
        assert!(
            !killed || now == before || journal,
            "step {n}: a half-written tree without a journal"
        );
        let (status, _, stderr) = s.run(&["sync"]);
        assert_eq!(status, Some(0), "{stderr}");
        let after = tree(&s.downstream());
        assert_eq!(after["docs/b.md"], "Hypervisor b, changed\n");
        assert_eq!(after["docs/new.md"], "Hypervisor new\n");
        assert!(!s.downstream().join(".rebrand/pending").exists());
        // Back to the start for the next kill point.
        fs::remove_dir_all(s.downstream()).unwrap();
        write(&s.upstream(), &[("docs/b.md", "Harvester b\n")]);
        fs::remove_file(s.upstream().join("docs/new.md")).unwrap();
        s.apply();
        write(
            &s.upstream(),
            &[
                ("docs/b.md", "Harvester b, changed\n"),
                ("docs/new.md", "Harvester new\n"),
            ],
        );
    }
}

/// A file a sync adds takes the upstream file's permissions, as `apply` gives them; a file it
/// updates keeps the downstream file's.
#[cfg(unix)]
#[test]
fn written_files_keep_their_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let s = Setup::new();
    s.apply();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    write(&s.upstream(), &[("build.sh", "#!/bin/sh\necho Harvester\n")]);
    fs::set_permissions(s.upstream().join("build.sh"), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(
        s.downstream().join("docs/b.md"),
        fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    write(&s.upstream(), &[("docs/b.md", "Harvester b, changed\n")]);
    let (status, stdout, stderr) = s.run(&["sync"]);
    assert_eq!(status, Some(0), "{stdout}{stderr}");
    assert_eq!(mode(&s.downstream().join("build.sh")), 0o755);
    assert_eq!(mode(&s.downstream().join("docs/b.md")), 0o600);
}

/// Counts of one agree with their noun and verb: the summary line on standard error, the
/// Markdown report, and `check`.
#[test]
fn counts_of_one_are_singular() {
    let s = Setup::new();
    s.apply();
    let d = s.downstream();
    // One hand edit that upstream's change overlaps: one conflict.
    write(&d, &[("docs/e.md", "Hypervisor e line 1, vendor\nline 2\n")]);
    write(
        &s.upstream(),
        &[("docs/e.md", "Harvester e line 1, upstream\nline 2\n")],
    );
    let (status, stdout, stderr) = s.run(&["sync", "--format", "markdown"]);
    assert_eq!(status, Some(1), "{stdout}{stderr}");
    assert!(
        stderr.starts_with(
            "sync: conflict 1; 1 file carried hand edits; audit of the synced tree: 0 errors; in "
        ),
        "{stderr}"
    );
    assert!(
        stdout.starts_with("**1 conflict needs a person**; the audit of the synced tree finds no error.\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\nconflict 1; 1 file carried hand edits.\n\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("#### `docs/e.md` (1 conflict region)\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("\n### Audit of the synced tree: 0 errors\n"),
        "{stdout}"
    );
    let (status, _, stderr) = s.run(&["check"]);
    assert_eq!((status, stderr.as_str()), (Some(1), "check: 1 problem\n"));
}

/// Adoption keeps a binary the vendor replaced (a logo) and reports it; a binary left as
/// upstream is the output's; the next sync leaves the vendor's logo alone.
#[test]
fn adoption_keeps_a_replaced_binary() {
    let s = Setup::new();
    let png = |tag: &[u8]| [b"\x89PNG\r\n\x1a\n\0\0".as_slice(), tag].concat();
    fs::create_dir_all(s.upstream().join("static")).unwrap();
    fs::write(s.upstream().join("static/logo.png"), png(b"upstream")).unwrap();
    fs::write(s.upstream().join("static/other.png"), png(b"other")).unwrap();
    let base = s.path("base");
    common::copy_tree(&s.upstream(), &base);
    common::copy_tree(&s.upstream(), &s.downstream());
    fs::write(s.downstream().join("static/logo.png"), png(b"vendor")).unwrap();
    let base = base.display().to_string();
    let (status, stdout, stderr) = s.run(&["sync", "--adopt", "--base-upstream", &base]);
    assert_eq!(status, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("vendor binary kept static/logo.png\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("other.png"), "{stdout}");
    let d = s.downstream();
    assert_eq!(fs::read(d.join("static/logo.png")).unwrap(), png(b"vendor"));
    assert_eq!(fs::read(d.join("static/other.png")).unwrap(), png(b"other"));
    let (status, stdout, stderr) = s.run(&["sync"]);
    assert_eq!((status, stdout.as_str()), (Some(0), ""), "{stderr}");
    assert_eq!(fs::read(d.join("static/logo.png")).unwrap(), png(b"vendor"));
}

/// A sync whose tree fails its audit (the old brand written back by hand in prose) exits 1
/// even with nothing to merge, and its report says so on its first line.
#[test]
fn a_sync_exits_1_when_the_synced_tree_fails_its_audit() {
    let s = Setup::new();
    s.apply();
    write(
        &s.downstream(),
        &[("docs/b.md", "Hypervisor b, and Harvester again\n")],
    );
    let report = s.path("report.md");
    let (status, stdout, stderr) = s.run(&["sync", "--report", report.to_str().unwrap()]);
    assert_eq!(status, Some(1), "{stdout}{stderr}");
    assert!(stderr.contains("audit of the synced tree: 1 error"), "{stderr}");
    assert!(stderr.contains("docs/b.md:1:"), "{stderr}");
    let first = fs::read_to_string(&report)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert_eq!(
        first,
        "**The synced tree fails its audit: 1 error** (listed below); no conflicts."
    );
    // Fixed by hand: the next sync passes.
    write(
        &s.downstream(),
        &[("docs/b.md", "Hypervisor b, and nothing else\n")],
    );
    let (status, _, stderr) = s.run(&["sync"]);
    assert_eq!(status, Some(0), "{stderr}");
}

/// The files of `root`'s `.rebrand/` folder under `folder`, path → bytes.
fn state_files(root: &Path, folder: &str) -> BTreeMap<String, Vec<u8>> {
    common::snapshot(&root.join(".rebrand").join(folder))
        .into_iter()
        .filter_map(|(rel, node)| match node {
            common::Node::File(bytes) => Some((rel, bytes)),
            _ => None,
        })
        .collect()
}

/// Two pages with the same generated text share one base text; a hand edit of one of them
/// still merges from it, and the other's unedited copy still updates.
#[test]
fn equal_texts_share_one_base_text_and_both_still_merge() {
    let s = Setup::new();
    let twin = "# Harvester\n\nOne.\n\nTwo.\n\nThree.\n\nFour.\n";
    write(&s.upstream(), &[("docs/twin.md", twin)]);
    s.apply();
    let d = s.downstream();
    let objects = state_files(&d, "objects");
    // a.md and twin.md are one text: five distinct texts for six files.
    assert_eq!(objects.len(), 5, "{:?}", objects.keys());
    let generated = fs::read(d.join("docs/a.md")).unwrap();
    assert_eq!(objects.values().filter(|b| **b == generated).count(), 1);
    assert!(!d.join(".rebrand/base").exists());

    write(
        &d,
        &[(
            "docs/a.md",
            "# Hypervisor\n\nOne, by the vendor.\n\nTwo.\n\nThree.\n\nFour.\n",
        )],
    );
    let moved = "# Harvester\n\nOne.\n\nTwo.\n\nThree.\n\nFour, changed upstream.\n";
    write(&s.upstream(), &[("docs/a.md", moved), ("docs/twin.md", moved)]);
    let (status, stdout, stderr) = s.run(&["sync"]);
    assert_eq!(status, Some(0), "{stdout}{stderr}");
    assert_eq!(stdout, "merged     docs/a.md\nupdated    docs/twin.md\n");
    let got = tree(&d);
    assert_eq!(
        got["docs/a.md"],
        "# Hypervisor\n\nOne, by the vendor.\n\nTwo.\n\nThree.\n\nFour, changed upstream.\n"
    );
    assert_eq!(
        got["docs/twin.md"],
        "# Hypervisor {#harvester}\n\nOne.\n\nTwo.\n\nThree.\n\nFour, changed upstream.\n"
    );
    // The old shared text is gone with both its files; the new one is there once.
    let objects = state_files(&d, "objects");
    assert_eq!(objects.len(), 5, "{:?}", objects.keys());
    assert!(!objects.values().any(|b| *b == generated));
}

/// A tree whose state rebrand 0.9.0 wrote (base texts by path, `.rebrand/base/`) syncs: a
/// hand edit merges from its base text there, and the state moves to base texts by hash.
#[test]
fn a_state_with_base_texts_by_path_merges_and_moves_to_objects() {
    let s = Setup::new();
    s.apply();
    let d = s.downstream();
    // The 0.9.0 layout: every text file's generated text at its path under `base/`.
    for (path, text) in tree(&d) {
        let base = d.join(".rebrand/base").join(&path);
        fs::create_dir_all(base.parent().unwrap()).unwrap();
        fs::write(base, text).unwrap();
    }
    fs::remove_dir_all(d.join(".rebrand/objects")).unwrap();
    write(
        &d,
        &[(
            "docs/a.md",
            "# Hypervisor\n\nOne, by the vendor.\n\nTwo.\n\nThree.\n\nFour.\n",
        )],
    );
    write(
        &s.upstream(),
        &[(
            "docs/a.md",
            "# Harvester\n\nOne.\n\nTwo.\n\nThree.\n\nFour, changed upstream.\n",
        )],
    );
    let (status, stdout, stderr) = s.run(&["sync"]);
    assert_eq!(
        (status, stdout.as_str()),
        (Some(0), "merged     docs/a.md\n"),
        "{stderr}"
    );
    assert_eq!(
        tree(&d)["docs/a.md"],
        "# Hypervisor\n\nOne, by the vendor.\n\nTwo.\n\nThree.\n\nFour, changed upstream.\n"
    );
    assert!(
        !d.join(".rebrand/base").exists(),
        "the base texts by path are gone"
    );
    let objects = state_files(&d, "objects");
    assert_eq!(objects.len(), 5, "{:?}", objects.keys());
    for (name, bytes) in &objects {
        assert_eq!(name.replace('/', ""), rebrand::tree::state::hash(bytes));
    }
    // Nothing moved since: the next sync has nothing to do.
    assert_eq!(s.run(&["sync"]).0, Some(0));
    assert_eq!(s.run(&["check"]).0, Some(0));
}

/// A base text that is lost, or that does not hash to what the lock says, vouches for
/// nothing: the hand-edited file is merged from an empty base, a conflict that shows both
/// sides, and the vendor's text is in it.
#[test]
fn a_lost_base_text_gives_a_conflict_that_keeps_the_hand_edit() {
    let s = Setup::new();
    s.apply();
    let d = s.downstream();
    for (_, bytes) in state_files(&d, "objects") {
        if bytes.starts_with(b"# Hypervisor") {
            let hash = rebrand::tree::state::hash(&bytes);
            fs::write(d.join(rebrand::tree::state::object_rel(&hash)), "tampered\n").unwrap();
        }
    }
    write(&d, &[("docs/a.md", "# Hypervisor\n\nOne, by the vendor.\n")]);
    write(
        &s.upstream(),
        &[("docs/a.md", "# Harvester\n\nOne, changed upstream.\n")],
    );
    let (status, stdout, _) = s.run(&["sync"]);
    assert_eq!((status, stdout.as_str()), (Some(1), "conflict   docs/a.md\n"));
    let merged = &tree(&d)["docs/a.md"];
    assert!(merged.contains("One, by the vendor."), "{merged}");
    assert!(merged.contains("One, changed upstream."), "{merged}");
}
