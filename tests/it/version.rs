//! The tool version names the build: `--version` carries the git commit the binary was
//! built from, and the lock and marker an `apply` writes carry the same version, so a
//! rebrand built from another commit does not take this output for up to date.

use std::fs;
use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

use crate::common::{apply_command, rebrand};

/// `git ARGS` in the crate's folder: its trimmed output, `None` when git cannot run or
/// the crate is not in a git work tree (a source tarball).
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// What `rebrand --version` prints after `rebrand `.
fn version() -> String {
    let out = rebrand().arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    stdout
        .strip_prefix("rebrand ")
        .and_then(|v| v.strip_suffix('\n'))
        .unwrap_or_else(|| panic!("`{stdout}` is not `rebrand VERSION`"))
        .to_string()
}

#[test]
fn the_version_names_the_commit_and_apply_records_it() {
    let Some(head) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        eprintln!("skipping: the sources are not in a git work tree");
        return;
    };
    let version = version();
    let crate_version = env!("CARGO_PKG_VERSION");
    assert!(
        version == format!("{crate_version} (git {head})")
            || version == format!("{crate_version} (git {head}-dirty)"),
        "`{version}` does not name commit {head}"
    );

    let tmp = TempDir::new().unwrap();
    let out = applied_page(&tmp);
    let recorded = format!("\ntool_version = \"{version}\"\n");
    let state = |name: &str| fs::read_to_string(Path::new(&out).join(".rebrand").join(name)).unwrap();
    assert!(state("lock.toml").contains(&recorded), "{}", state("lock.toml"));
    assert!(
        state("output.toml").contains(&recorded),
        "{}",
        state("output.toml")
    );
}

/// A lock written by another build (here: the bare crate version every build used to
/// write) does not make the output up to date: the next apply writes it again.
#[test]
fn an_output_of_another_build_is_not_up_to_date() {
    let tmp = TempDir::new().unwrap();
    let out = applied_page(&tmp);
    let (input, rules) = (tmp.path().join("input"), tmp.path().join("rules.toml"));
    let again = apply_command(&rules, &input, &out).output().unwrap();
    assert!(String::from_utf8_lossy(&again.stderr).contains("is up to date"));

    let lock_path = out.join(".rebrand/lock.toml");
    let lock = fs::read_to_string(&lock_path).unwrap();
    let older = lock.replace(
        &format!("tool_version = \"{}\"", version()),
        &format!("tool_version = \"{}\"", env!("CARGO_PKG_VERSION")),
    );
    assert_ne!(older, lock);
    fs::write(&lock_path, older).unwrap();
    let after = apply_command(&rules, &input, &out).output().unwrap();
    assert_eq!(after.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&after.stderr);
    assert!(!stderr.contains("is up to date"), "{stderr}");
    assert_eq!(fs::read_to_string(&lock_path).unwrap(), lock);
}

/// A one-page input (`input/a.md`) and a rule file (`rules.toml`) in `tmp`, applied to
/// `out`; returns the output folder.
fn applied_page(tmp: &TempDir) -> std::path::PathBuf {
    let input = tmp.path().join("input");
    fs::create_dir_all(&input).unwrap();
    fs::write(input.join("a.md"), "Harvester\n").unwrap();
    let rules = tmp.path().join("rules.toml");
    fs::write(
        &rules,
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    apply_command(&rules, &input, &out).assert().success();
    out
}
