//! Incremental apply: an output that is already what `apply` would write is left alone;
//! any change to the input, the rules or the output itself makes `apply` write again.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::common;

use crate::common::apply_command;

fn apply(rules: &Path, input: &Path, out: &Path) -> String {
    apply_with(rules, input, out, &[])
}

fn apply_with(rules: &Path, input: &Path, out: &Path, extra: &[&str]) -> String {
    let out = apply_command(rules, input, out).args(extra).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stderr).unwrap()
}

/// `apply` with `extra` arguments and its stat indexes in the folder `cache`.
fn apply_cached(
    rules: &Path,
    input: &Path,
    out: &Path,
    cache: &Path,
    extra: &[&str],
) -> std::process::Output {
    apply_command(rules, input, out)
        .env("REBRAND_CACHE_DIR", cache)
        .args(extra)
        .output()
        .unwrap()
}

/// `apply` refuses: the output holds a hand edit (named), which stays.
fn refused_edit(rules: &Path, input: &Path, out: &Path, edited: &str) {
    let before = fs::read(out.join(edited)).unwrap();
    let run = apply_command(rules, input, out).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("edited since rebrand wrote it: `{edited}`")),
        "{stderr}"
    );
    assert_eq!(fs::read(out.join(edited)).unwrap(), before);
}

/// A temporary folder with an input tree of `files` (relative path, text) and a rule file
/// replacing `Harvester` with `Hypervisor`; returns it with the input, output and rules paths.
fn setup(files: &[(&str, &str)]) -> (TempDir, PathBuf, PathBuf, PathBuf) {
    let tmp = TempDir::new().unwrap();
    let (input, out, rules) = (
        tmp.path().join("in"),
        tmp.path().join("out"),
        tmp.path().join("rules.toml"),
    );
    for (path, text) in files {
        let path = input.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    fs::write(
        &rules,
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n",
    )
    .unwrap();
    (tmp, input, out, rules)
}

#[test]
fn an_up_to_date_output_is_left_alone_and_any_change_writes_again() {
    let (_tmp, input, out, rules) = setup(&[
        ("docs/a.md", "Install Harvester.\n"),
        ("docs/b.md", "Harvester b.\n"),
    ]);
    let up_to_date = |stderr: &str| stderr.contains("is up to date");

    assert!(!up_to_date(&apply(&rules, &input, &out)));
    let written = fs::metadata(out.join("docs/a.md")).unwrap().modified().unwrap();
    assert!(up_to_date(&apply(&rules, &input, &out)));
    assert_eq!(
        fs::metadata(out.join("docs/a.md")).unwrap().modified().unwrap(),
        written
    );

    // The output edited by hand: apply refuses to lose the edit; with --force it restores.
    fs::write(out.join("docs/a.md"), "edited\n").unwrap();
    refused_edit(&rules, &input, &out, "docs/a.md");
    assert!(!up_to_date(&apply_with(&rules, &input, &out, &["--force"])));
    assert_eq!(
        fs::read_to_string(out.join("docs/a.md")).unwrap(),
        "Install Hypervisor.\n"
    );
    assert!(up_to_date(&apply(&rules, &input, &out)));

    // An input file changed, added, removed.
    fs::write(input.join("docs/a.md"), "Install Harvester now.\n").unwrap();
    assert!(!up_to_date(&apply(&rules, &input, &out)));
    fs::write(input.join("docs/c.md"), "c\n").unwrap();
    assert!(!up_to_date(&apply(&rules, &input, &out)));
    fs::remove_file(input.join("docs/b.md")).unwrap();
    assert!(!up_to_date(&apply(&rules, &input, &out)));
    assert!(!out.join("docs/b.md").exists());
    assert!(up_to_date(&apply(&rules, &input, &out)));

    // The rules changed.
    fs::write(
        &rules,
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"NQRust\"\n",
    )
    .unwrap();
    assert!(!up_to_date(&apply(&rules, &input, &out)));
    assert_eq!(
        fs::read_to_string(out.join("docs/a.md")).unwrap(),
        "Install NQRust now.\n"
    );
}

/// Input and output are always hashed, never judged by modification time: a same-size edit
/// is found whether its time is after the lock's or set back before it (a sync rewrites the
/// lock after the vendor's hand edits, so an older time proves nothing).
#[test]
fn output_files_are_hashed_whatever_their_modification_time() {
    let (_tmp, input, out, rules) = setup(&[("docs/a.md", "Install Harvester.\n")]);
    let up_to_date = |stderr: &str| stderr.contains("is up to date");
    let set_modified = |path: &Path, time: std::time::SystemTime| {
        fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(time)
            .unwrap();
    };
    let second = std::time::Duration::from_secs(1);
    apply(&rules, &input, &out);
    let a = out.join("docs/a.md");
    let locked_at = fs::metadata(out.join(".rebrand/lock.toml"))
        .unwrap()
        .modified()
        .unwrap();

    // Same size, modified after the lock: hashed, found (apply refuses to lose it), restored
    // with --force.
    fs::write(&a, "Install Hypervisxr.\n").unwrap();
    set_modified(&a, locked_at + second);
    refused_edit(&rules, &input, &out, "docs/a.md");
    assert!(!up_to_date(&apply_with(&rules, &input, &out, &["--force"])));
    assert_eq!(fs::read_to_string(&a).unwrap(), "Install Hypervisor.\n");

    // Same size, its time set back before the lock: found all the same.
    let locked_at = fs::metadata(out.join(".rebrand/lock.toml"))
        .unwrap()
        .modified()
        .unwrap();
    fs::write(&a, "Install Hypervisxr.\n").unwrap();
    set_modified(&a, locked_at - second);
    refused_edit(&rules, &input, &out, "docs/a.md");
    assert!(!up_to_date(&apply_with(&rules, &input, &out, &["--force"])));
    assert!(up_to_date(&apply(&rules, &input, &out)));

    // An input edit with its time set back is still found: inputs are hashed.
    fs::write(input.join("docs/a.md"), "Install Harvestxr.\n").unwrap();
    set_modified(&input.join("docs/a.md"), locked_at - 10 * second);
    assert!(!up_to_date(&apply(&rules, &input, &out)));
    assert_eq!(fs::read_to_string(&a).unwrap(), "Install Harvestxr.\n");
}

/// A hand edit made before a sync is older than the lock the sync rewrites: the next apply
/// still finds it, names it and refuses (it was taken as written by its time before).
#[test]
fn a_hand_edit_older_than_a_synced_lock_is_still_found() {
    let (_tmp, input, out, rules) = setup(&[
        ("docs/a.md", "Install Harvester.\n"),
        ("docs/b.md", "Harvester b.\n"),
    ]);
    apply(&rules, &input, &out);
    fs::write(out.join("docs/a.md"), "Install Hypervisor, by hand.\n").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(input.join("docs/b.md"), "Harvester b, changed.\n").unwrap();
    let synced = common::rebrand()
        .args(["sync", "--rules"])
        .arg(&rules)
        .arg("--upstream")
        .arg(&input)
        .arg("--downstream")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        synced.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&synced.stderr)
    );
    refused_edit(&rules, &input, &out, "docs/a.md");
}

/// A file whose name holds both quote kinds (legal on every Unix file system): its lock line
/// must read back, or no later run could find the output up to date (and sync could not
/// read the state at all).
#[cfg(unix)]
#[test]
fn a_file_name_with_both_quotes_is_locked_and_read_back() {
    let (_tmp, input, out, rules) = setup(&[("docs/it's \"quoted\".md", "Harvester.\n")]);
    assert!(!apply(&rules, &input, &out).contains("is up to date"));
    assert!(apply(&rules, &input, &out).contains("is up to date"));
}

/// The stat index (`rebrand::tree::index`, issue 20): a file edited by hand right after
/// `apply`, to the same size and with its modification time set back to what apply left,
/// still differs in its change time, so the next `apply` finds the edit and refuses, and
/// `sync` keeps it as a hand edit. The index is really used: an entry whose stat matches is
/// taken at its recorded hash without reading the file (an entry made wrong makes `apply`
/// see an edit that is not there), which `--verify` reads anyway.
#[test]
fn the_stat_index_finds_an_edit_made_right_after_apply_and_is_what_apply_trusts() {
    let (tmp, input, out, rules) = setup(&[
        ("docs/a.md", "Install Harvester.\n"),
        ("docs/b.md", "Harvester b\n"),
    ]);
    let cache = tmp.path().join("cache");
    let run = |extra: &[&str]| apply_cached(&rules, &input, &out, &cache, extra);
    let stderr = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).to_string();
    assert!(run(&[]).status.success());
    let indexes: Vec<PathBuf> = fs::read_dir(&cache).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(indexes.len(), 1, "one index for the one output");
    let second = run(&[]);
    assert!(stderr(&second).contains("is up to date"), "{}", stderr(&second));

    // Edited right away: same size, the modification time put back.
    let a = out.join("docs/a.md");
    let modified = fs::metadata(&a).unwrap().modified().unwrap();
    fs::write(&a, "Install Hypervisxr.\n").unwrap();
    fs::File::options()
        .write(true)
        .open(&a)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    let refused = run(&[]);
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    assert!(
        stderr(&refused).contains("edited since rebrand wrote it: `docs/a.md`"),
        "{}",
        stderr(&refused)
    );
    let sync = common::rebrand()
        .env("REBRAND_CACHE_DIR", &cache)
        .args(["sync", "--rules"])
        .arg(&rules)
        .arg("--upstream")
        .arg(&input)
        .arg("--downstream")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(sync.status.code(), Some(0), "{}", stderr(&sync));
    assert_eq!(
        fs::read_to_string(&a).unwrap(),
        "Install Hypervisxr.\n",
        "sync keeps the hand edit"
    );

    // Back to what apply writes; then an index entry made wrong for b.md, whose stat has not
    // moved. While the index vouches for both trees whole, apply reads no file at all (not
    // even b.md's hash); without that, it takes the entry's word for b.md's hash (and sees
    // an edit), and --verify reads the file.
    assert!(run(&["--force"]).status.success());
    assert!(stderr(&run(&[])).contains("is up to date"));
    let index = &indexes[0];
    let text = fs::read_to_string(index).unwrap();
    let b_hash = text
        .lines()
        .find(|l| l.starts_with("o\tf\t") && l.ends_with("\tdocs/b.md"))
        .and_then(|l| l.split('\t').nth(7))
        .unwrap()
        .to_string();
    let wrong = text.replace(
        &format!("{b_hash}\tdocs/b.md"),
        &format!("{}\tdocs/b.md", "0".repeat(64)),
    );
    let written = fs::metadata(index).unwrap().modified().unwrap();
    let put_back = |text: &str| {
        fs::write(index, text).unwrap();
        fs::File::options()
            .write(true)
            .open(index)
            .unwrap()
            .set_modified(written)
            .unwrap();
    };
    put_back(&wrong);
    let unread = run(&[]);
    assert!(stderr(&unread).contains("is up to date"), "{}", stderr(&unread));
    let not_whole: String = wrong
        .lines()
        .filter(|l| !l.starts_with("whole\t"))
        .map(|l| format!("{l}\n"))
        .collect();
    put_back(&not_whole);
    let trusted = run(&[]);
    assert_eq!(
        trusted.status.code(),
        Some(2),
        "the index was not used: {}",
        stderr(&trusted)
    );
    assert!(stderr(&trusted).contains("`docs/b.md`"), "{}", stderr(&trusted));
    let verified = run(&["--verify"]);
    assert!(
        stderr(&verified).contains("is up to date"),
        "{}",
        stderr(&verified)
    );
}

/// The index's word on a whole run holds only while nothing moved: a file added to an
/// input folder, one removed, a foreign file in an output folder, or the rules changed,
/// each is seen on the next run (an edit of an output file: the test above).
#[test]
fn a_whole_index_sees_any_entry_added_removed_or_changed() {
    let (tmp, input, out, rules) = setup(&[
        ("docs/a.md", "Install Harvester.\n"),
        ("docs/deep/b.md", "Harvester b\n"),
    ]);
    let cache = tmp.path().join("cache");
    let run = |extra: &[&str]| {
        let o = apply_cached(&rules, &input, &out, &cache, extra);
        (o.status.code(), String::from_utf8_lossy(&o.stderr).to_string())
    };
    let up_to_date =
        |(code, stderr): (Option<i32>, String)| code == Some(0) && stderr.contains("is up to date");
    assert!(!up_to_date(run(&[])));
    assert!(up_to_date(run(&[])));
    // An input file added deep down: written again, with it.
    fs::write(input.join("docs/deep/c.md"), "Harvester c\n").unwrap();
    assert!(!up_to_date(run(&[])));
    assert_eq!(
        fs::read_to_string(out.join("docs/deep/c.md")).unwrap(),
        "Hypervisor c\n"
    );
    assert!(up_to_date(run(&[])));
    // Removed: written again, without it.
    fs::remove_file(input.join("docs/deep/c.md")).unwrap();
    assert!(!up_to_date(run(&[])));
    assert!(!out.join("docs/deep/c.md").exists());
    assert!(up_to_date(run(&[])));
    // A foreign file in an output folder: refused.
    fs::write(out.join("docs/deep/notes.txt"), "mine\n").unwrap();
    let (code, stderr) = run(&[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("docs/deep/notes.txt"), "{stderr}");
    fs::remove_file(out.join("docs/deep/notes.txt")).unwrap();
    assert!(up_to_date(run(&[])));
    // The rules changed: written again.
    fs::write(
        &rules,
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"NQRust\"\n",
    )
    .unwrap();
    assert!(!up_to_date(run(&[])));
    assert_eq!(
        fs::read_to_string(out.join("docs/a.md")).unwrap(),
        "Install NQRust.\n"
    );
}

/// One run rewrites a text once and reuses the rewrite where the same text comes again (the
/// versioned doc folders of a site), but only under the same rules and file kind: the same
/// bytes outside the folders a rule is scoped to, or in a file of another kind, come out
/// as those rules say.
#[test]
fn the_same_text_twice_is_rewritten_as_its_path_and_kind_say() {
    let page = "# Harvester\n\nHarvester runs `harvester` on Harvester nodes.\n";
    let (_tmp, input, out, rules) = setup(&[
        ("docs/a.md", page),
        ("versioned_docs/v1/a.md", page),
        ("legacy/a.md", page),
        ("data/a.json", "{\"id\": \"Harvester\"}\n"),
        ("data/b.json", "{\"id\": \"Harvester\"}\n"),
        ("data/a.md", "{\"id\": \"Harvester\"}\n"),
    ]);
    fs::write(
        &rules,
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\npaths = [\"docs/**\", \"versioned_docs/**\", \"data/**\"]\n",
    )
    .unwrap();
    apply(&rules, &input, &out);
    let read = |p: &str| fs::read_to_string(out.join(p)).unwrap();
    let branded = "# Hypervisor {#harvester}\n\nHypervisor runs `harvester` on Hypervisor nodes.\n";
    assert_eq!(read("docs/a.md"), branded);
    assert_eq!(read("versioned_docs/v1/a.md"), branded);
    assert_eq!(read("legacy/a.md"), page, "no rule acts there");
    // A JSON file of no generator's format has no prose; the same bytes as Markdown are a
    // paragraph.
    assert_eq!(read("data/a.json"), "{\"id\": \"Harvester\"}\n");
    assert_eq!(read("data/b.json"), "{\"id\": \"Harvester\"}\n");
    assert_eq!(read("data/a.md"), "{\"id\": \"Hypervisor\"}\n");
}
