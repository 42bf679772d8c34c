//! Records the git commit the binary is built from, so that its tool version (lock, marker,
//! reports, `--version`) changes with every commit and not only with the crate version:
//! a newer rebrand must not take an older one's output for up to date.
//!
//! Sets `REBRAND_GIT_COMMIT` to the commit's 12-hex-digit short hash, with `-dirty` when
//! tracked files differ from it, or to the empty string when the sources are not in a git
//! work tree (a source tarball) or git is not installed: `src/version.rs` then identifies
//! the build by a hash of the binary itself.

use std::path::Path;
use std::process::Command;

fn main() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let commit = commit(dir).unwrap_or_default();
    println!("cargo:rustc-env=REBRAND_GIT_COMMIT={commit}");
    // The sources the binary is built from: a change makes the work tree dirty (or clean
    // again). Naming any file turns off cargo's default of rerunning on every file of the
    // package, so they are all named here.
    for path in ["build.rs", "Cargo.toml", "Cargo.lock", "src"] {
        println!("cargo:rerun-if-changed={path}");
    }
    // What moves the commit: HEAD (a checkout), the branch it names (a commit), the packed
    // refs, and the index (a `git add` or `git commit` that changes what is dirty). In a
    // worktree they live in different folders, which `git rev-parse --git-path` knows.
    if !commit.is_empty() {
        let mut paths = vec!["HEAD".to_string(), "index".into(), "packed-refs".into()];
        if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
            paths.push(branch);
        }
        for p in paths {
            if let Some(path) = git(dir, &["rev-parse", "--git-path", &p]) {
                let path = Path::new(dir).join(path);
                // A path that does not exist would rerun the script on every build.
                if path.exists() {
                    println!("cargo:rerun-if-changed={}", path.display());
                }
            }
        }
    }
}

/// The short commit of the work tree holding `dir`, `-dirty` appended when a tracked file
/// differs from it; `None` when `dir` is not in a git work tree that tracks this crate, or
/// git cannot run.
fn commit(dir: &str) -> Option<String> {
    // The crate's manifest must be tracked: a tarball unpacked inside some other
    // repository must not take that repository's commit.
    git(dir, &["ls-files", "--error-unmatch", "Cargo.toml"])?;
    let hash = git(dir, &["rev-parse", "--short=12", "HEAD"])?;
    // `--no-optional-locks`: `git status` would otherwise refresh the index it is watched
    // through, and every build would rerun the script.
    let status = git(
        dir,
        &[
            "--no-optional-locks",
            "status",
            "--porcelain",
            "--untracked-files=no",
        ],
    )?;
    Some(if status.is_empty() {
        hash
    } else {
        format!("{hash}-dirty")
    })
}

/// The trimmed standard output of `git ARGS` run in `dir`, `None` when it fails.
fn git(dir: &str, args: &[&str]) -> Option<String> {
    let out = Command::new("git").current_dir(dir).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
