//! `rebrand audit` and `rebrand explain` on a fixture with one of each finding planted
//! (`tests/fixtures/audit`): a prose leak, a stutter the rebrand creates across emphasis
//! markup, a dead rule and a near miss.

use std::path::{Path, PathBuf};

use rebrand::audit::{audit, FindingKind, Level};
use rebrand::rewrite::Engine;
use rebrand::rules::RuleSet;
use tempfile::TempDir;

mod common;

use common::rebrand;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit")
}

fn engine(rules: &Path) -> Engine {
    Engine::new(RuleSet::load(rules).unwrap()).unwrap()
}

/// (level, kind, path, line, column, text) of every finding above info.
fn planted(dir: &Path, rules: &Path) -> Vec<(Level, FindingKind, String, usize, usize, String)> {
    audit(&engine(rules), dir, false)
        .unwrap()
        .findings
        .into_iter()
        .filter(|f| f.level > Level::Info)
        .map(|f| {
            (
                f.level,
                f.kind,
                f.path.replace('\\', "/"),
                f.line,
                f.column,
                f.text,
            )
        })
        .collect()
}

#[test]
fn each_planted_finding_is_reported_once_where_it_is() {
    let rules = fixture().join("rules.toml");
    let page = "docs/install/index.md".to_string();
    let rule_file = rules.display().to_string();
    assert_eq!(
        planted(&fixture().join("upstream"), &rules),
        vec![
            // "The **Harvester** hypervisor": the rebrand makes it "**Hypervisor** hypervisor"
            // (the long rule cannot match across the markup); located in the branded line.
            (
                Level::Error,
                FindingKind::Stutter,
                page.clone(),
                7,
                52,
                "Hypervisor** hypervisor".into()
            ),
            (
                Level::Error,
                FindingKind::Leak,
                page.clone(),
                11,
                5,
                "HARVESTER".into()
            ),
            (
                Level::Warning,
                FindingKind::NearMiss,
                page,
                13,
                5,
                "Harvestor".into()
            ),
            (
                Level::Warning,
                FindingKind::DeadRule,
                rule_file,
                14,
                1,
                "ui-gui".into()
            ),
        ]
    );
}

#[test]
fn mentions_add_up_by_context_and_exceptions_are_named() {
    let a = audit(
        &engine(&fixture().join("rules.toml")),
        &fixture().join("upstream"),
        true,
    )
    .unwrap();
    let text = std::fs::read_to_string(fixture().join("upstream/docs/install/index.md")).unwrap();
    assert_eq!(
        a.total_mentions(),
        text.to_lowercase().matches("harvester").count()
    );
    assert_eq!(a.listed.len(), a.total_mentions());
    let kept = a
        .findings
        .iter()
        .find(|f| f.rule.as_deref() == Some("rancher-menu"))
        .expect("the exception's mention");
    assert_eq!((kept.level, kept.line, kept.column), (Level::Info, 9, 36));
}

#[test]
fn exit_status_follows_errors_and_deny_warnings() {
    let rules = fixture().join("rules.toml");
    let out = rebrand()
        .args(["audit", "--color", "never", "--rules"])
        .arg(&rules)
        .arg(fixture().join("upstream"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("error[stutter]: `Hypervisor** hypervisor`: the brand word is doubled once branded\n --> docs/install/index.md:7:52\n"), "{stdout}");
    assert!(
        stdout.contains("\naudit: 1 file (upstream tree), 2 errors, 2 warnings, 2 info\n"),
        "{stdout}"
    );

    // Without the planted errors (the stutter allowed, the shouting line gone), warnings
    // pass unless denied.
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("upstream/docs/install");
    std::fs::create_dir_all(&dir).unwrap();
    let page = std::fs::read_to_string(fixture().join("upstream/docs/install/index.md")).unwrap();
    std::fs::write(
        dir.join("index.md"),
        page.replace("THE HARVESTER INSTALLER CHECKS THE DISKS FIRST.\n", ""),
    )
    .unwrap();
    let relaxed = tmp.path().join("rules.toml");
    let source = std::fs::read_to_string(&rules).unwrap();
    std::fs::write(
        &relaxed,
        format!("{source}\n[audit]\nallow_stutters = [\"Hypervisor hypervisor\"]\n"),
    )
    .unwrap();
    let run = |deny: bool| {
        let mut cmd = rebrand();
        cmd.args(["audit", "--color", "never", "--rules"])
            .arg(&relaxed)
            .arg(tmp.path().join("upstream"));
        if deny {
            cmd.args(["--deny", "warnings"]);
        }
        cmd.output().unwrap().status.code()
    };
    assert_eq!(run(false), Some(0));
    assert_eq!(run(true), Some(1));
}

#[test]
fn a_branded_tree_is_audited_as_it_is() {
    let rules = fixture().join("rules.toml");
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("branded");
    rebrand()
        .args(["apply", "--rules"])
        .arg(&rules)
        .arg(fixture().join("upstream"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let page = "docs/install/index.md".to_string();
    assert_eq!(
        planted(&out, &rules),
        vec![
            // Now in the text itself; dead rules are not judged on branded trees.
            (
                Level::Error,
                FindingKind::Stutter,
                page.clone(),
                7,
                52,
                "Hypervisor** hypervisor".into()
            ),
            (
                Level::Error,
                FindingKind::Leak,
                page.clone(),
                11,
                5,
                "HARVESTER".into()
            ),
            (
                Level::Warning,
                FindingKind::NearMiss,
                page,
                13,
                5,
                "Harvestor".into()
            ),
        ]
    );
}

#[test]
fn explain_tells_why_each_mention_of_a_line_came_out_as_it_did() {
    let out = rebrand()
        .args(["explain", "--rules"])
        .arg(fixture().join("rules.toml"))
        .arg(format!(
            "{}:9",
            fixture().join("upstream/docs/install/index.md").display()
        ))
        .arg("--root")
        .arg(fixture().join("upstream"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("docs/install/index.md:9 (read as markdown)\nspans:\n"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "brand mentions:\n  9:36    `Harvester` in prose: kept by exception `rancher-menu`: Rancher's menu label.\n"
        ),
        "{stdout}"
    );
}

/// A file whose first prose span ends with a multi-byte character (`…`), and rules that
/// rewrite a word of it, in a fresh folder.
fn multi_byte_file() -> TempDir {
    let tmp = TempDir::new().unwrap();
    std::fs::write(tmp.path().join("a.md"), "KubeVirt text …\n\nnext\n").unwrap();
    std::fs::write(
        tmp.path().join("r.toml"),
        "[[substitution]]\nfrom = \"KubeVirt\"\nto = \"NQRust Virt\"\n",
    )
    .unwrap();
    tmp
}

fn explain_in(dir: &Path, target: &str) -> std::process::Output {
    rebrand()
        .current_dir(dir)
        .args(["explain", "--rules", "r.toml", "--root", ".", target])
        .output()
        .unwrap()
}

#[test]
fn explain_a_line_after_a_span_ending_in_a_multi_byte_character() {
    let tmp = multi_byte_file();
    let out = explain_in(tmp.path(), "a.md:3");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "a.md:3 (read as markdown)\nspans:\n  3:1     prose              \"next\"\nbrand mentions:\n  none\n"
    );
    let out = explain_in(tmp.path(), "a.md:1");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("`KubeVirt` in prose: rewritten by `KubeVirt` to `NQRust Virt`"),
        "{stdout}"
    );
}

#[test]
fn explain_a_line_outside_the_file_is_an_error() {
    let tmp = multi_byte_file();
    for line in [0, 4, 99999] {
        let out = explain_in(tmp.path(), &format!("a.md:{line}"));
        assert_eq!(out.status.code(), Some(2), "line {line}");
        assert!(out.stdout.is_empty(), "line {line}");
        assert_eq!(
            String::from_utf8(out.stderr).unwrap(),
            format!("error: line {line} is out of range: `a.md` has 3 lines\n")
        );
    }
    // The last line is in range.
    assert_eq!(explain_in(tmp.path(), "a.md:3").status.code(), Some(0));
}
