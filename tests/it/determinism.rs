//! The output does not depend on the number of threads: `apply` of the example tree (and of
//! the corpus, when present) with one thread and with all threads writes the same bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

use crate::common;

fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn apply(input: &Path, out: &Path, threads: Option<usize>) {
    let mut cmd = Command::cargo_bin("rebrand").unwrap();
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n.to_string());
    } else {
        cmd.env_remove("RAYON_NUM_THREADS");
    }
    cmd.arg("apply")
        .arg("--rules")
        .arg(common::shipped_rules())
        .arg(input)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

fn same_with_one_and_all_threads(input: &Path) {
    let tmp = TempDir::new().unwrap();
    let (one, all) = (tmp.path().join("one"), tmp.path().join("all"));
    apply(input, &one, Some(1));
    apply(input, &all, None);
    let (a, b) = (tree(&one), tree(&all));
    assert!(a.len() > 5, "{} files", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(
            &b[path] == bytes,
            "{path} differs between 1 thread and all threads"
        );
    }
}

#[test]
fn example_output_is_the_same_with_one_thread_and_all() {
    same_with_one_and_all_threads(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/harvester-docs"));
}

#[test]
fn corpus_output_is_the_same_with_one_thread_and_all() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    same_with_one_and_all_threads(&corpus);
}
