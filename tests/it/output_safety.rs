//! Output safety, end to end: where `apply` may write and what a failed or killed run
//! leaves behind.
//!
//! - An output reached through a symbolic link that leads into the input is refused.
//! - Every path a rule file names (overlay folder, patch file, patch target, rename, asset)
//!   that would escape, by `..`, an absolute path or a symbolic link, is refused with exit 2
//!   and a message naming the rule, and nothing is written.
//! - A run killed with SIGKILL at several points leaves the output as the previous one or
//!   the complete new one, never a mix; what it leaves beside the output (its staging
//!   folder) is removed by the next run.
//! - A full disk or a read-only output folder stops the run with exit 2, the path and the
//!   system's error, and the previous output intact. These need `mount` (a tmpfs); where the
//!   machine does not allow it they say so on standard error and skip.
//!
//! tests/it/cli.rs covers an output equal to, inside or containing the input, a foreign output
//! without `--force`, a run failing while it writes, and replacing a read-only tree;
//! tests/it/site.rs covers a patch target with `..`, an asset path with `..`, a rename that
//! leaves its folder and an overlay holding a link.

#![cfg(unix)]

use std::fs;
use std::io::Write as _;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Instant;

use tempfile::TempDir;

use crate::common;

use crate::common::{apply_command, copy_tree, rebrand, snapshot, staging_leftovers};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// The cut-down Docusaurus site of tests/it/site.rs.
fn site_input() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/input")
}

/// The bundled example tree.
fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/harvester-docs")
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `rebrand apply --rules RULES INPUT --out OUT [extra]` run in `cwd`.
fn apply(cwd: &Path, rules: &Path, input: &Path, out: &Path, extra: &[&str]) -> Output {
    apply_command(rules, input, out)
        .current_dir(cwd)
        .args(extra)
        .output()
        .unwrap()
}

fn apply_ok(cwd: &Path, rules: &Path, input: &Path, out: &Path) {
    let run = apply(cwd, rules, input, out, &[]);
    assert_eq!(run.status.code(), Some(0), "apply failed: {}", stderr_of(&run));
}

/// Writes a file, making its folders.
fn write(path: &Path, text: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Says on standard error, past the test harness's capture, why a test is skipped.
fn skip(why: &str) {
    let _ = writeln!(std::io::stderr(), "skipping: {why}");
}

// ---------------------------------------------------------------------------------------
// An output reached through a symbolic link
// ---------------------------------------------------------------------------------------

#[test]
fn output_through_a_symlink_into_the_input_is_refused() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("upstream");
    copy_tree(&site_input(), &input);
    let before = snapshot(&input);
    let rules = common::shipped_brand_rules();
    symlink("upstream", tmp.path().join("to-input")).unwrap();
    symlink("upstream/static", tmp.path().join("to-static")).unwrap();
    for (out, relation) in [
        ("to-input", "is the input"),
        ("to-static", "is inside the input"),
        ("to-input/branded", "is inside the input"),
        // Folders that do not exist yet, below the link.
        ("to-input/new/branded", "is inside the input"),
        ("to-input/new/../../upstream", "is the input"),
        ("to-static/../new/..", "is the input"),
    ] {
        for extra in [&[][..], &["--force"][..]] {
            let run = apply(tmp.path(), &rules, Path::new("upstream"), Path::new(out), extra);
            assert_eq!(run.status.code(), Some(2), "{out} {extra:?}: {}", stderr_of(&run));
            assert_eq!(
                stderr_of(&run),
                format!(
                    "error: output `{out}` {relation} `upstream`: choose an output outside the input tree\n"
                )
            );
        }
    }
    // A dangling link into the input: refused as not rebrand's; with --force the link is
    // replaced by the branded tree and nothing is written where it pointed.
    symlink("upstream/new", tmp.path().join("dangling")).unwrap();
    let run = apply(
        tmp.path(),
        &rules,
        Path::new("upstream"),
        Path::new("dangling"),
        &[],
    );
    assert_eq!(run.status.code(), Some(2), "{}", stderr_of(&run));
    assert!(
        stderr_of(&run).contains("pass --force to replace it"),
        "{}",
        stderr_of(&run)
    );
    let run = apply(
        tmp.path(),
        &rules,
        Path::new("upstream"),
        Path::new("dangling"),
        &["--force"],
    );
    assert_eq!(run.status.code(), Some(0), "{}", stderr_of(&run));
    let dangling = fs::symlink_metadata(tmp.path().join("dangling")).unwrap();
    assert!(dangling.is_dir(), "the link was not replaced by the tree");
    assert_eq!(snapshot(&input), before, "the input was written");
    assert_eq!(staging_leftovers(tmp.path()), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------
// Paths from the rule file
// ---------------------------------------------------------------------------------------

/// A temporary site: `input/` (the fixture, plus `static/vendor`, a link to `outside/`),
/// `outside/` (a folder outside everything, holding `logo.svg`) and `rules/`.
struct Escape {
    tmp: TempDir,
}

impl Escape {
    fn new() -> Escape {
        let tmp = TempDir::new().unwrap();
        copy_tree(&site_input(), &tmp.path().join("input"));
        write(&tmp.path().join("outside/logo.svg"), "<svg/>\n");
        symlink(tmp.path().join("outside"), tmp.path().join("input/static/vendor")).unwrap();
        write(&tmp.path().join("input/static/old/logo.svg"), "<svg>old</svg>\n");
        fs::create_dir_all(tmp.path().join("rules")).unwrap();
        Escape { tmp }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    /// Writes `rules/<name>.toml`: the brand substitution and `tables`.
    fn rules(&self, name: &str, tables: &str) -> String {
        let rel = format!("rules/{name}.toml");
        write(
            &self.path(&rel),
            format!(
                "[[substitution]]\nid = \"brand\"\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n{tables}"
            ),
        );
        rel
    }

    /// Runs `preview` and `apply` (to a fresh output) with rule file `rules`; both must exit 2
    /// with the same message and write nothing, `outside/` must stay as it was; returns the
    /// message.
    fn refused(&self, rules: &str) -> String {
        let outside = snapshot(&self.path("outside"));
        let preview = rebrand()
            .current_dir(self.tmp.path())
            .args(["preview", "--color", "never", "--rules", rules, "input"])
            .output()
            .unwrap();
        assert_eq!(
            preview.status.code(),
            Some(2),
            "preview {rules}: {}",
            stderr_of(&preview)
        );
        assert!(preview.stdout.is_empty());
        let run = apply(
            self.tmp.path(),
            Path::new(rules),
            Path::new("input"),
            Path::new("branded"),
            &[],
        );
        assert_eq!(run.status.code(), Some(2), "apply {rules}: {}", stderr_of(&run));
        assert_eq!(
            stderr_of(&run),
            stderr_of(&preview),
            "{rules}: apply and preview differ"
        );
        assert!(
            fs::symlink_metadata(self.path("branded")).is_err(),
            "{rules}: output made"
        );
        assert_eq!(staging_leftovers(self.tmp.path()), Vec::<String>::new());
        assert_eq!(snapshot(&self.path("outside")), outside, "{rules}: wrote outside");
        stderr_of(&preview)
    }
}

/// Asserts that `message` is an error naming `names`, located in rule file `rules` at `line`.
fn names_the_rule(message: &str, rules: &str, line: usize, names: &[&str]) {
    assert!(message.starts_with("error: "), "{message}");
    assert!(
        message.contains(&format!("--> {rules}:{line}:")),
        "not at {rules}:{line}: {message}"
    );
    for name in names {
        assert!(message.contains(name), "{name} not named: {message}");
    }
}

#[test]
fn overlay_folder_that_escapes_is_refused() {
    let e = Escape::new();
    write(&e.path("rules/brand/overlay/static/img/logo.svg"), "<svg/>\n");
    // `..` and an absolute path, refused when the rules load.
    let dotdot = e.rules("dotdot", "[overlay]\ndir = \"../outside\"\n");
    let message = e.refused(&dotdot);
    names_the_rule(&message, &dotdot, 7, &["overlay `dir` = `../outside`", "`..`"]);
    let absolute = e.rules(
        "absolute",
        &format!("[overlay]\ndir = \"{}\"\n", e.path("outside").display()),
    );
    let message = e.refused(&absolute);
    names_the_rule(&message, &absolute, 7, &["overlay `dir`", "is absolute"]);
    // A folder of the rule file's that is a link to elsewhere.
    symlink(e.path("outside"), e.path("rules/linked")).unwrap();
    let linked = e.rules("linked", "[overlay]\ndir = \"linked\"\n");
    let message = e.refused(&linked);
    names_the_rule(
        &message,
        &linked,
        7,
        &[
            "overlay `dir` = `linked`",
            "leads outside the rule file's folder through a symbolic link",
        ],
    );
    // An overlay file where the tree has a link: writing it would follow the link.
    write(
        &e.path("rules/brand/overlay/static/vendor/logo.svg"),
        "<svg>vendor</svg>\n",
    );
    let through = e.rules("through", "[overlay]\ndir = \"brand/overlay\"\n");
    let message = e.refused(&through);
    names_the_rule(
        &message,
        &through,
        7,
        &["overlay folder `static/vendor` is a symbolic link of the tree"],
    );
    // The same overlay without the link's file is fine.
    fs::remove_dir_all(e.path("rules/brand/overlay/static/vendor")).unwrap();
    apply_ok(
        e.tmp.path(),
        Path::new(&through),
        Path::new("input"),
        &e.path("branded"),
    );
    assert!(e.path("branded/static/img/logo.svg").is_file());
}

#[test]
fn patch_file_and_target_that_escape_are_refused() {
    let e = Escape::new();
    let creates = |path: &str| format!("--- /dev/null\n+++ {path}\n@@ -0,0 +1 @@\n+module.exports = {{}};\n");
    write(&e.path("outside/p.diff"), creates("b/new.js"));
    let dotdot = e.rules("dotdot", "[[patch]]\nfile = \"../outside/p.diff\"\n");
    let message = e.refused(&dotdot);
    names_the_rule(
        &message,
        &dotdot,
        7,
        &["patch `file` = `../outside/p.diff`", "`..`"],
    );
    let absolute = e.rules(
        "absolute",
        &format!("[[patch]]\nfile = \"{}\"\n", e.path("outside/p.diff").display()),
    );
    let message = e.refused(&absolute);
    names_the_rule(&message, &absolute, 7, &["patch `file`", "is absolute"]);
    symlink(e.path("outside/p.diff"), e.path("rules/p.diff")).unwrap();
    let linked = e.rules("linked", "[[patch]]\nfile = \"p.diff\"\n");
    let message = e.refused(&linked);
    names_the_rule(
        &message,
        &linked,
        7,
        &["patch `file` = `p.diff`", "symbolic link"],
    );
    // Targets: an absolute path (`..` is tests/it/site.rs), and a path under a link of the tree.
    write(
        &e.path("rules/brand/absolute.diff"),
        creates(&e.path("outside/evil.js").display().to_string()),
    );
    let target = e.rules("target", "[[patch]]\nfile = \"brand/absolute.diff\"\n");
    let message = e.refused(&target);
    assert_eq!(
        message,
        format!(
            "error: patch `rules/brand/absolute.diff`, line 1: `{}` escapes the output root\n",
            e.path("outside/evil.js").display()
        )
    );
    write(
        &e.path("rules/brand/vendor.diff"),
        creates("b/static/vendor/evil.js"),
    );
    let vendor = e.rules("vendor", "[[patch]]\nfile = \"brand/vendor.diff\"\n");
    let message = e.refused(&vendor);
    names_the_rule(
        &message,
        &vendor,
        7,
        &[
            "patch `rules/brand/vendor.diff` writes `static/vendor/evil.js`",
            "under `static/vendor`, a symbolic link of the tree",
        ],
    );
    assert!(!e.path("outside/evil.js").exists());
}

#[test]
fn rename_that_escapes_is_refused() {
    let e = Escape::new();
    // `to` with `..` or absolute is tests/it/site.rs; `from` is checked the same way.
    let dotdot = e.rules("dotdot", "[[rename]]\nfrom = \"../old\"\nto = \"new\"\n");
    let message = e.refused(&dotdot);
    names_the_rule(&message, &dotdot, 7, &["rename `from` = `../old`", "`..`"]);
    // Renaming a folder onto the name of a link would put its files through the link.
    let onto_link = e.rules("onto-link", "[[rename]]\nfrom = \"old\"\nto = \"vendor\"\n");
    let message = e.refused(&onto_link);
    names_the_rule(
        &message,
        &onto_link,
        6,
        &["rename `old` -> `vendor` makes `static/vendor` and `static/old` both `static/vendor`"],
    );
}

#[test]
fn asset_that_escapes_is_refused() {
    let e = Escape::new();
    // `to` with `..` is tests/it/site.rs.
    let dotdot = e.rules(
        "dotdot",
        "[[asset]]\nid = \"logo\"\nfrom = \"/img/../../../etc/passwd\"\nto = \"/img/logo.svg\"\n",
    );
    let message = e.refused(&dotdot);
    names_the_rule(
        &message,
        &dotdot,
        8,
        &["asset `from` = `/img/../../../etc/passwd`", "`..`"],
    );
    let absolute = e.rules(
        "absolute",
        "[[asset]]\nid = \"logo\"\nfrom = \"/img/logo_horizontal.svg\"\nto = \"//etc/passwd\"\n",
    );
    let message = e.refused(&absolute);
    names_the_rule(
        &message,
        &absolute,
        9,
        &["asset `to` = `//etc/passwd`", "is absolute"],
    );
    // A vendor file reached through a link of the tree is not in the tree.
    let linked = e.rules(
        "linked",
        "[[asset]]\nid = \"logo\"\nfrom = \"/img/logo_horizontal.svg\"\nto = \"/vendor/logo.svg\"\n",
    );
    let message = e.refused(&linked);
    names_the_rule(
        &message,
        &linked,
        6,
        &["asset `logo`: `/vendor/logo.svg` exists neither in the input nor in the overlay"],
    );
}

// ---------------------------------------------------------------------------------------
// Killed runs
// ---------------------------------------------------------------------------------------

/// Copies of the example tree, big enough that a debug build takes a while to apply.
fn big_tree(root: &Path, copies: usize, extra: &str) {
    for i in 0..copies {
        copy_tree(&example(), &root.join(format!("copy-{i:03}")));
    }
    if !extra.is_empty() {
        for entry in walkdir::WalkDir::new(root) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|x| x == "md") {
                let mut text = fs::read_to_string(entry.path()).unwrap();
                text.push_str(extra);
                fs::write(entry.path(), text).unwrap();
            }
        }
    }
}

/// Kills `apply` with SIGKILL at five points across its run: each time the output must be
/// the previous tree or the complete new one. A killed run leaves its staging folder (or,
/// killed after the swap, the previous tree under the staging name) beside the output; the
/// next run removes it.
#[test]
fn killed_apply_leaves_the_previous_or_the_new_output() {
    let tmp = TempDir::new().unwrap();
    let (old_input, new_input) = (tmp.path().join("old"), tmp.path().join("new"));
    big_tree(&old_input, 30, "");
    big_tree(&new_input, 30, "\nA new line about Harvester.\n");
    let rules = common::shipped_brand_rules();
    let site = tmp.path().join("site");
    fs::create_dir(&site).unwrap();
    let out = site.join("branded");

    // The two trees the output may be, and how long a whole run takes.
    apply_ok(tmp.path(), &rules, &old_input, &out);
    let old = snapshot(&out);
    let expected = tmp.path().join("expected");
    let started = Instant::now();
    apply_ok(tmp.path(), &rules, &new_input, &expected);
    let duration = started.elapsed();
    let new = snapshot(&expected);
    // The same paths but for the base texts, which are named by their content.
    let paths = |nodes: &std::collections::BTreeMap<String, common::Node>| -> Vec<String> {
        let objects = ".rebrand/objects";
        nodes
            .keys()
            .filter(|p| !p.starts_with(objects))
            .cloned()
            .collect()
    };
    assert!(
        old.len() > 600 && paths(&new) == paths(&old),
        "{} nodes",
        old.len()
    );
    assert_ne!(old, new);

    let mut outcomes = Vec::new();
    let mut leftovers_seen = Vec::new();
    for fraction in [0.1, 0.3, 0.5, 0.7, 0.9] {
        if snapshot(&out) != old {
            apply_ok(tmp.path(), &rules, &old_input, &out);
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_rebrand"))
            .current_dir(tmp.path())
            .arg("apply")
            .arg("--rules")
            .arg(&rules)
            .arg(&new_input)
            .arg("--out")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(duration.mul_f64(fraction));
        // SIGKILL; an error means the run ended first.
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = snapshot(&out);
        let outcome = if now == old {
            "previous"
        } else if now == new {
            "new"
        } else {
            let mixed: Vec<_> = now
                .iter()
                .filter(|(k, v)| old.get(*k) != Some(v))
                .take(5)
                .collect();
            panic!("killed at {fraction} ({status}): the output is a mix, e.g. {mixed:?}");
        };
        outcomes.push((fraction, outcome, status.code()));
        for name in staging_leftovers(&site) {
            assert!(name.starts_with(".branded.rebrand-staging-"), "{name}");
            leftovers_seen.push(name);
        }
        let names: Vec<_> = fs::read_dir(&site)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            names.iter().any(|n| n == "branded"),
            "no output after a kill: {names:?}"
        );
    }
    let _ = writeln!(
        std::io::stderr(),
        "killed apply (a run takes {duration:?}): {outcomes:?}; leftovers: {leftovers_seen:?}"
    );

    // The next complete run removes what killed runs left.
    if snapshot(&out) == new {
        apply_ok(tmp.path(), &rules, &old_input, &out);
    }
    apply_ok(tmp.path(), &rules, &new_input, &out);
    assert_eq!(snapshot(&out), new);
    assert_eq!(staging_leftovers(&site), Vec::<String>::new());
}

/// Staging folders of runs that are gone are removed by the next run; one that a live run
/// holds (its lock) is not, nor are another output's.
#[test]
fn next_apply_removes_only_dead_runs_staging() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("upstream");
    copy_tree(&example(), &input);
    let rules = common::shipped_brand_rules();
    let out = tmp.path().join("branded");
    apply_ok(tmp.path(), &rules, &input, &out);
    let dead = tmp.path().join(".branded.rebrand-staging-dead01");
    write(&dead.join("docs/index.md"), "half written\n");
    let live = tmp.path().join(".branded.rebrand-staging-live01");
    write(&live.join("docs/index.md"), "being written\n");
    let other = tmp.path().join(".website.rebrand-staging-dead02");
    write(&other.join("docs/index.md"), "another output's\n");
    let held = fs::File::open(&live).unwrap();
    rustix::fs::flock(&held, rustix::fs::FlockOperation::LockExclusive).unwrap();

    write(&input.join("docs/new.md"), "# New Harvester page\n");
    apply_ok(tmp.path(), &rules, &input, &out);
    assert!(!dead.exists(), "a dead run's staging folder is left");
    assert!(
        live.join("docs/index.md").is_file(),
        "a live run's staging folder was removed"
    );
    assert!(other.exists(), "another output's staging folder was removed");
    assert!(out.join("docs/new.md").is_file());
    drop(held);
    write(&input.join("docs/newer.md"), "# Newer\n");
    apply_ok(tmp.path(), &rules, &input, &out);
    assert!(!live.exists(), "a released staging folder is left");
    assert!(other.exists());
}

// ---------------------------------------------------------------------------------------
// Full disk, read-only output
// ---------------------------------------------------------------------------------------

/// A tmpfs mounted for a test, unmounted when dropped (also when the test fails).
struct Mount {
    at: PathBuf,
}

impl Mount {
    /// Mounts a tmpfs of `size` (`mount -o size=`) at `at`, or says why not and returns
    /// `None` (not root, no `mount`, a container without the capability).
    fn tmpfs(at: &Path, size: &str) -> Option<Mount> {
        fs::create_dir_all(at).unwrap();
        let run = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output();
        match run {
            Ok(o) if o.status.success() => Some(Mount { at: at.to_path_buf() }),
            Ok(o) => {
                skip(&format!(
                    "cannot mount a tmpfs: {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                ));
                None
            }
            Err(e) => {
                skip(&format!("cannot run `mount`: {e}"));
                None
            }
        }
    }

    /// Remounts it read-only.
    fn read_only(&self) -> bool {
        Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.at)
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let unmounted = Command::new("umount")
            .arg(&self.at)
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            // Busy: detach it now, the kernel frees it when the last user goes.
            let _ = Command::new("umount").arg("-l").arg(&self.at).status();
        }
    }
}

#[test]
fn full_disk_stops_the_run_and_keeps_the_previous_output() {
    let tmp = TempDir::new().unwrap();
    let Some(disk) = Mount::tmpfs(&tmp.path().join("disk"), "1m") else {
        return;
    };
    let input = tmp.path().join("upstream");
    copy_tree(&example(), &input);
    let rules = common::shipped_brand_rules();
    let out = disk.at.join("branded");
    apply_ok(tmp.path(), &rules, &input, &out);
    let before = snapshot(&out);
    // More than the disk holds, and the page changes too.
    write(&input.join("static/video.bin"), vec![0x5a; 1536 * 1024]);
    write(&input.join("docs/new.md"), "# New Harvester page\n");

    let run = apply(tmp.path(), &rules, &input, &out, &[]);
    let stderr = stderr_of(&run);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(run.stdout.is_empty());
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: cannot write `{}/", disk.at.display())),
        "the message does not name the path: {stderr}"
    );
    assert_eq!(snapshot(&out), before, "the previous output was changed");
    assert_eq!(staging_leftovers(&disk.at), Vec::<String>::new());
}

/// A read-only output folder: a tmpfs remounted read-only; where mounting is not allowed,
/// a folder without write permission, with rebrand run as `nobody` when the tests run as
/// root (root ignores permission bits).
#[test]
fn read_only_output_folder_stops_the_run_and_keeps_the_previous_output() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let tmp = TempDir::new().unwrap();
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let input = tmp.path().join("upstream");
    copy_tree(&example(), &input);
    let rules = common::shipped_brand_rules();
    let folder = tmp.path().join("ro");
    let mount = Mount::tmpfs(&folder, "4m");
    let out = folder.join("branded");
    apply_ok(tmp.path(), &rules, &input, &out);
    let before = snapshot(&out);
    let as_root = fs::metadata(tmp.path()).unwrap().uid() == 0;
    let (run_as_nobody, reason) = match &mount {
        Some(m) if m.read_only() => (false, "Read-only file system (os error 30)"),
        Some(_) => {
            skip("cannot remount the tmpfs read-only");
            return;
        }
        None => {
            fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).unwrap();
            let setpriv = Command::new("setpriv").arg("--version").output();
            if as_root && !setpriv.is_ok_and(|o| o.status.success()) {
                fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
                skip("no tmpfs and no `setpriv` to run rebrand as a user permission bits apply to");
                return;
            }
            (as_root, "Permission denied (os error 13)")
        }
    };
    write(&input.join("docs/new.md"), "# New Harvester page\n");

    let run = |extra: &[&str]| {
        let mut cmd = if run_as_nobody {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_rebrand"));
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_rebrand"))
        };
        cmd.current_dir(tmp.path())
            .arg("apply")
            .arg("--rules")
            .arg(&rules)
            .arg(&input)
            .arg("--out")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let first = run(&[]);
    // `--force` changes nothing about it.
    let forced = run(&["--force"]);
    let _ = fs::set_permissions(&folder, fs::Permissions::from_mode(0o755));
    for result in [first, forced] {
        let stderr = stderr_of(&result);
        assert_eq!(result.status.code(), Some(2), "{stderr}");
        let expected = format!(
            "error: cannot create a staging directory in `{}`: {reason}",
            folder.display()
        );
        assert!(stderr.starts_with(&expected), "{stderr}");
        assert_eq!(snapshot(&out), before, "the previous output was changed");
    }
    drop(mount);
}

// ---------------------------------------------------------------------------------------
// A branded repository: apply never removes what it did not write
// ---------------------------------------------------------------------------------------

/// `git ARGS` in `dir`, which must succeed; its standard output.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", stderr_of(&out));
    String::from_utf8(out.stdout).unwrap()
}

/// The layout examples/ci/README.md recommends: the branded tree at the root of a git
/// repository with `rules/` inside, a vendor page added and a hand edit, all committed.
/// `apply --out` into it, with and without `--force`, refuses (exit 2), names what it would
/// lose, and leaves every byte and the repository's HEAD as they were.
#[test]
fn apply_into_a_branded_git_repository_loses_nothing() {
    let tmp = TempDir::new().unwrap();
    let repo = tmp.path().join("branded");
    apply_ok(tmp.path(), &common::shipped_rules(), &example(), &repo);
    git(&repo, &["init", "-q"]);
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("rules"),
        &repo.join("rules"),
    );
    write(
        &repo.join("docs/vendor-support.md"),
        "# Support\n\nCall NQRust.\n",
    );
    let edited = repo.join("docs/install/iso-install.md");
    let mut text = fs::read_to_string(&edited).unwrap();
    text.push_str("\nA line the vendor wrote by hand.\n");
    fs::write(&edited, text).unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "branded edition"]);
    let head = git(&repo, &["rev-parse", "HEAD"]);
    let before = snapshot(&repo);
    for extra in [&[][..], &["--force"][..]] {
        let run = apply(
            tmp.path(),
            &common::shipped_rules(),
            &example(),
            Path::new("branded"),
            extra,
        );
        let stderr = stderr_of(&run);
        assert_eq!(run.status.code(), Some(2), "{extra:?}: {stderr}");
        for named in [
            "1 version-control folder: `.git`",
            "files rebrand did not write: `docs/vendor-support.md` `rules/nqrust-hypervisor/",
            "1 file edited since rebrand wrote it: `docs/install/iso-install.md`",
            "rebrand sync",
        ] {
            assert!(stderr.contains(named), "{extra:?}: `{named}` not in\n{stderr}");
        }
        assert_eq!(snapshot(&repo), before, "{extra:?}: the repository changed");
        assert_eq!(git(&repo, &["rev-parse", "HEAD"]), head);
        assert_eq!(git(&repo, &["status", "--porcelain"]), "", "{extra:?}");
        assert_eq!(staging_leftovers(tmp.path()), Vec::<String>::new());
    }
}

/// An earlier output with one file rebrand did not write (and one it wrote, edited since):
/// refused and named without `--force`; replaced with it (the documented override), and a
/// tree holding only rebrand's own files as written is replaced without it.
#[test]
fn an_earlier_output_with_a_file_rebrand_did_not_write_is_refused() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let rules = common::shipped_brand_rules();
    apply_ok(tmp.path(), &rules, &site_input(), &out);
    // A newer input: the output is not up to date, so the run would replace it.
    let input = tmp.path().join("upstream");
    copy_tree(&site_input(), &input);
    write(&input.join("docs/new.md"), "# New Harvester page\n");
    apply_ok(tmp.path(), &rules, &input, &out);
    write(&out.join("notes/mine.txt"), "my notes\n");
    let before = snapshot(&out);
    let run = apply(tmp.path(), &rules, &input, &out, &[]);
    assert_eq!(run.status.code(), Some(2), "{}", stderr_of(&run));
    assert!(
        stderr_of(&run).contains("1 file rebrand did not write: `notes/mine.txt`"),
        "{}",
        stderr_of(&run)
    );
    assert!(stderr_of(&run).contains("`apply --force` replaces the folder"));
    assert_eq!(snapshot(&out), before);
    fs::remove_file(out.join("notes/mine.txt")).unwrap();
    write(&input.join("docs/new.md"), "# Newer Harvester page\n");
    let run = apply(tmp.path(), &rules, &input, &out, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr_of(&run));
    assert!(fs::read_to_string(out.join("docs/new.md"))
        .unwrap()
        .starts_with("# Newer Hypervisor page"));
    assert_eq!(staging_leftovers(tmp.path()), Vec::<String>::new());
}
