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
