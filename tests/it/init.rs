//! `rebrand init` on real pages (`tests/fixtures/init`: pages of the Harvester and KubeVirt
//! docs) and, when it is there, on the corpus: the starter it prints has the shape the
//! snapshots pin, loads, passes its own tests, and the upstream audit of the tree with it
//! finds no error.

use std::path::{Path, PathBuf};

use rebrand::audit::{audit, Judge, Level};
use rebrand::rewrite::Engine;
use rebrand::rules::{CaseMode, RuleSet};
use rebrand::selftest;

use crate::common;

use crate::common::{no_elapsed, rebrand};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/init")
}

/// `rebrand init --from FROM --to TO TREE`, run in the fixtures folder so that the tree is
/// named by its folder alone: (exit code, stdout, stderr).
fn init(tree: &str, from: &str, to: &str) -> (i32, String, String) {
    let out = rebrand()
        .current_dir(fixtures())
        .args(["init", "--from", from, "--to", to, tree])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Writes `starter` to a file and checks it as a user would: `test-rules` passes every
/// test, `audit --upstream` of `tree` with it exits 0 with no error. Returns the rules.
fn check(starter: &str, tree: &Path) -> RuleSet {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("starter.toml");
    std::fs::write(&file, starter).unwrap();
    let tests = rebrand().arg("test-rules").arg(&file).output().unwrap();
    let report = String::from_utf8(tests.stdout).unwrap();
    assert_eq!(tests.status.code(), Some(0), "{report}");
    assert!(report.trim_end().ends_with(" 0 failed"), "{report}");
    let audit = rebrand()
        .args(["audit", "--upstream", "--color", "never", "--rules"])
        .arg(&file)
        .arg(tree)
        .output()
        .unwrap();
    let findings = String::from_utf8(audit.stdout).unwrap();
    assert_eq!(audit.status.code(), Some(0), "{findings}");
    assert!(findings.contains(" 0 errors,"), "{findings}");
    common::load_rules(&file).unwrap()
}

/// (from, to, case) of every substitution, in file order.
fn substitutions(rules: &RuleSet) -> Vec<(String, String, CaseMode)> {
    rules
        .substitutions
        .iter()
        .map(|s| (s.from.clone(), s.to.clone(), s.case))
        .collect()
}

fn rule(from: &str, to: &str, case: CaseMode) -> (String, String, CaseMode) {
    (from.into(), to.into(), case)
}

#[test]
fn longhorn_on_harvester_pages_gets_stutters_and_articles() {
    let (code, stdout, stderr) = init("harvester", "Longhorn", "NQRust Storage");
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("longhorn_starter", stdout);
    insta::assert_snapshot!("longhorn_summary", no_elapsed(&stderr));
    let rules = check(&stdout, &fixtures().join("harvester"));
    assert_eq!(
        substitutions(&rules),
        vec![
            // Lower-case `longhorn` is only ever part of an identifier here
            // (`longhorn-system`): the name's rule is case-exact.
            rule("Longhorn", "NQRust Storage", CaseMode::Exact),
            // "NQRust Storage storage" would stutter: the phrase as the pages write it most
            // often, in any case ("Longhorn Storage" too).
            rule("Longhorn storage", "NQRust Storage", CaseMode::Preserve),
            rule("a Longhorn", "an NQRust Storage", CaseMode::Exact),
            rule("A Longhorn", "An NQRust Storage", CaseMode::Exact),
        ]
    );
    assert!(rules.exceptions.is_empty());
    let names: Vec<&str> = rules.tests.iter().map(|t| t.name.as_str()).collect();
    assert!(
        names.iter().any(|n| n.starts_with("no stutter"))
            && names.iter().any(|n| n.starts_with("the article"))
            && names
                .iter()
                .any(|n| n.starts_with("an identifier in lower case stays")),
        "{names:?}"
    );
    // Site tables would tie the file to one site.
    for table in [
        "[site]",
        "[overlay]",
        "[[asset]]",
        "[[patch]]",
        "[[rename]]",
        "[locales]",
    ] {
        assert!(!stdout.contains(&format!("\n{table}")), "{table}");
    }
}

#[test]
fn kubevirt_on_kubevirt_pages_gets_spellings_and_an_exception() {
    let (code, stdout, stderr) = init("kubevirt", "KubeVirt", "NQRust Virt");
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("kubevirt_starter", stdout);
    let rules = check(&stdout, &fixtures().join("kubevirt"));
    assert_eq!(
        substitutions(&rules),
        vec![
            rule("KubeVirt", "NQRust Virt", CaseMode::Exact),
            // "Kubevirt will verify that ...", and `KUBEVIRT_CENTOS_STREAM_VERSION`, which
            // the audit would otherwise count as the name left in prose.
            rule("Kubevirt", "NQRust Virt", CaseMode::Exact),
            rule("KUBEVIRT", "NQRUST VIRT", CaseMode::Exact),
            rule("a KubeVirt", "an NQRust Virt", CaseMode::Exact),
        ]
    );
    let kept: Vec<String> = rules.exceptions.iter().map(|e| e.id.clone()).collect();
    // "Bug fix: KubeVirt.spec.imagetag installation is working again" (release notes).
    assert_eq!(kept, vec!["KubeVirt.spec.imagetag"]);
}

#[test]
fn a_name_spelt_otherwise_than_the_prose_writes_it_is_warned_about() {
    let (code, stdout, stderr) = init("harvester", "LONGHORN", "NQRust Storage");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "warning: the prose of `harvester` never writes `LONGHORN` as given, only `Longhorn`, `longhorn`"
        ),
        "{stderr}"
    );
    // Still a file that works: the prose's spelling gets its own rule.
    let rules = check(&stdout, &fixtures().join("harvester"));
    assert!(substitutions(&rules).contains(&rule("Longhorn", "NQRust Storage", CaseMode::Exact)));
}

#[test]
fn a_name_nowhere_in_the_tree_still_gives_a_file_that_loads() {
    let (code, stdout, stderr) = init("harvester", "OpenEBS", "NQRust Object Store");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: `OpenEBS` occurs nowhere in the text of `harvester`"),
        "{stderr}"
    );
    let rules = check(&stdout, &fixtures().join("harvester"));
    assert_eq!(
        substitutions(&rules),
        vec![rule("OpenEBS", "NQRust Object Store", CaseMode::Exact)]
    );
    assert!(rules.tests.is_empty());
}

#[test]
fn usage_and_input_errors_exit_2_naming_what_is_wrong() {
    let (code, stdout, stderr) = init("harvester", "", "NQRust Storage");
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("--from"), "{stderr}");
    let (code, _, stderr) = init("harvester", " Longhorn", "NQRust Storage");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error: `--from` begins or ends with white space"),
        "{stderr}"
    );
    let (code, stdout, stderr) = init("no-such-tree", "Longhorn", "NQRust Storage");
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("error: cannot read input `no-such-tree`"),
        "{stderr}"
    );
    let (code, _, stderr) = init(
        "harvester/docs/image/upload-image.md",
        "Longhorn",
        "NQRust Storage",
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("is not a directory"), "{stderr}");
}

/// The corpus trees `init` is run on, when they are there: (tree, from, to).
fn corpus_runs() -> Vec<(PathBuf, &'static str, &'static str)> {
    let Some(harvester) = common::corpus_dir() else {
        return Vec::new();
    };
    let mut runs = vec![
        (harvester.clone(), "Longhorn", "NQRust Storage"),
        (harvester.clone(), "Harvester", "NQRust Hypervisor"),
    ];
    let kubevirt = harvester.with_file_name("kubevirt-user-guide");
    if kubevirt.is_dir() {
        runs.push((kubevirt, "KubeVirt", "NQRust Virt"));
    } else {
        eprintln!(
            "skipping the KubeVirt corpus run: {} not found",
            kubevirt.display()
        );
    }
    runs
}

#[test]
fn corpus_starters_load_pass_their_tests_and_audit_without_error() {
    for (tree, from, to) in corpus_runs() {
        let starter = rebrand::init::init(from, to, &tree, "corpus").unwrap();
        let rules = common::parse_rules(Path::new("starter.toml"), &starter.text).unwrap();
        let engine = Engine::new(rules).unwrap();
        let outcomes = selftest::run_all(&engine);
        assert!(outcomes.len() >= 3, "{from}: {} tests", outcomes.len());
        for o in outcomes {
            assert!(o.passed(), "{from}: test `{}` fails", o.name);
        }
        let found = audit(&engine, &tree, Judge::Upstream, false).unwrap();
        let errors: Vec<_> = found
            .findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .collect();
        assert!(errors.is_empty(), "{from}: {errors:#?}");
        assert_eq!(starter.audit.0, 0);
        if from == "Longhorn" {
            // The case: the stutters and the article it names.
            let subs = substitutions(engine.rules());
            assert!(subs.contains(&rule("Longhorn Storage", "NQRust Storage", CaseMode::Preserve)));
            assert!(subs.contains(&rule("a Longhorn", "an NQRust Storage", CaseMode::Exact)));
        }
    }
}
