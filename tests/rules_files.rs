//! Every shipped rule file loads, compiles and passes its own `[[test]]` cases, and every
//! bundled example tree brands cleanly and idempotently with it.

use std::path::{Path, PathBuf};

use rebrand::rewrite::Engine;
use rebrand::rules::RuleSet;
use rebrand::selftest;

fn rule_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_rule_file_passes_its_own_tests() {
    let files = rule_files();
    assert!(!files.is_empty(), "rules/ has no rule file");
    for path in files {
        let engine = Engine::new(RuleSet::load(&path).unwrap_or_else(|e| panic!("{e}"))).unwrap();
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
    let engine = Engine::new(RuleSet::load(&rule_files()[0]).unwrap()).unwrap();
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
