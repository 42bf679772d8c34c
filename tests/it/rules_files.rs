//! Every shipped rule file loads, compiles and passes its own `[[test]]` cases, every
//! bundled example tree brands cleanly and idempotently with it, and the README's rule-file
//! example does what it says.

use std::path::{Path, PathBuf};

use crate::common;
use rebrand::rewrite::Engine;
use rebrand::selftest;

/// Every `*.toml` under `rules/`, at any depth (the brand files the site files extend).
fn rule_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect()
}

#[test]
fn every_rule_file_passes_its_own_tests() {
    let files = rule_files();
    assert!(!files.is_empty(), "rules/ has no rule file");
    for path in files {
        let engine = Engine::new(common::load_rules(&path).unwrap_or_else(|e| panic!("{e}"))).unwrap();
        let outcomes = selftest::run_all(&engine);
        assert!(!outcomes.is_empty(), "{} has no [[test]]", path.display());
        for o in outcomes {
            assert!(
                o.passed(),
                "{}:{} `{}`\nexpected: {:?}\nactual:   {:?}",
                path.display(),
                o.line,
                o.name,
                o.expect,
                o.actual
            );
        }
    }
}

#[test]
fn every_example_tree_brands_idempotently() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/nqrust-hypervisor.toml");
    let engine = Engine::new(common::load_rules(&shipped).unwrap()).unwrap();
    let mut changed = 0;
    for entry in walkdir::WalkDir::new(&examples).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&examples)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // Paths inside a tree: drop the tree's own folder name (`harvester-docs/`).
        let Some((_, in_tree)) = rel.split_once('/') else {
            continue;
        };
        let Some(kind) = engine.rules().files.kind_of(in_tree) else {
            continue;
        };
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let active = engine.active(in_tree);
        let branded = engine.rewrite(kind, &text, &active).apply(&text);
        changed += usize::from(branded != text);
        assert!(
            engine.rewrite(kind, &branded, &active).is_empty(),
            "{rel}: second run changes it"
        );
    }
    assert!(changed >= 6, "only {changed} example files change");
}

/// The README's rule-file example (the first TOML block of "The rule file") loads and its
/// tests pass.
#[test]
fn the_readme_rule_file_example_loads_and_its_tests_pass() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let section = &readme[readme
        .find("\n## The rule file\n")
        .expect("the README has the section")..];
    let start = section
        .find("```toml\n")
        .expect("the section opens with an example")
        + "```toml\n".len();
    let example = &section[start..start + section[start..].find("```").unwrap()];
    let rules = common::parse_rules(Path::new("README.md"), example).unwrap_or_else(|e| panic!("{e}"));
    assert!(rules.substitutions.len() >= 2 && !rules.exceptions.is_empty());
    let engine = Engine::new(rules).unwrap();
    let outcomes = selftest::run_all(&engine);
    assert!(!outcomes.is_empty());
    for o in outcomes {
        assert!(
            o.passed(),
            "{}: expected {:?}, got {:?}",
            o.name,
            o.expect,
            o.actual
        );
    }
}
