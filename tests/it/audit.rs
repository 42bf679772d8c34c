//! `rebrand audit` and `rebrand explain` on a fixture with one of each finding planted
//! (`tests/fixtures/audit`): a prose leak, a stutter the rebrand creates across emphasis
//! markup, a dead rule and a near miss.

use std::path::{Path, PathBuf};

use rebrand::audit::{audit, FindingKind, Judge, Level};
use rebrand::rewrite::Engine;
use tempfile::TempDir;

use crate::common;

use crate::common::rebrand;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit")
}

fn engine(rules: &Path) -> Engine {
    Engine::new(common::load_rules(rules).unwrap()).unwrap()
}

/// (level, kind, path, line, column, text) of every finding above info, the tree judged as
/// `judge` says.
fn planted(
    dir: &Path,
    rules: &Path,
    judge: Judge,
) -> Vec<(Level, FindingKind, String, usize, usize, String)> {
    audit(&engine(rules), dir, judge, false)
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
        planted(&fixture().join("upstream"), &rules, Judge::Upstream),
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
        Judge::Upstream,
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
        .args(["audit", "--upstream", "--color", "never", "--rules"])
        .arg(&rules)
        .arg(fixture().join("upstream"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("error[stutter]: `Hypervisor** hypervisor`: the brand word is doubled once branded\n --> docs/install/index.md:7:52\n"), "{stdout}");
    assert!(
        stdout.contains("\naudit: 1 file (judged as upstream), 2 errors, 2 warnings, 2 info\n"),
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
        cmd.args(["audit", "--upstream", "--color", "never", "--rules"])
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
        planted(&out, &rules, Judge::Branded),
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

/// Without `--upstream` a tree is judged as branded whatever markers it has: the upstream
/// fixture (no `.rebrand/`) fails on every prose mention the rules would rewrite, and a
/// branded tree stripped of its marker, as a hand-made edition is, gets the same verdict as
/// with it.
#[test]
fn a_tree_is_judged_as_branded_unless_told_it_is_upstream() {
    let rules = fixture().join("rules.toml");
    let upstream = fixture().join("upstream");
    assert!(!upstream.join(".rebrand").exists());
    let out = rebrand()
        .args(["audit", "--color", "never", "--rules"])
        .arg(&rules)
        .arg(&upstream)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("error[leak]: `Harvester` is still here: rule `brand` rewrites it to `Hypervisor`"),
        "{stdout}"
    );
    assert!(stdout.contains("(judged as branded)"), "{stdout}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("audit it with `--upstream`"), "{stderr}");
    let leaks: Vec<(usize, String)> = audit(&engine(&rules), &upstream, Judge::Branded, false)
        .unwrap()
        .findings
        .into_iter()
        .filter(|f| f.level == Level::Error && f.kind == FindingKind::Leak)
        .map(|f| (f.line, f.text))
        .collect();
    // The title, the heading and both mentions of line 7 are what the rules rewrite: each is
    // a leak when the tree is said to be branded; the shouting line is one either way.
    assert_eq!(
        leaks,
        vec![
            (2, "Harvester".into()),
            (5, "Harvester".into()),
            (7, "Harvester hypervisor".into()),
            (7, "Harvester".into()),
            (11, "HARVESTER".into()),
        ]
    );

    let tmp = TempDir::new().unwrap();
    let branded = tmp.path().join("branded");
    rebrand()
        .args(["apply", "--rules"])
        .arg(&rules)
        .arg(&upstream)
        .arg("--out")
        .arg(&branded)
        .assert()
        .success();
    let marked = planted(&branded, &rules, Judge::Branded);
    std::fs::remove_dir_all(branded.join(".rebrand")).unwrap();
    assert_eq!(planted(&branded, &rules, Judge::Branded), marked);
}

/// Files that hold the brand but that no `[files]` glob reads are one warning, counted by
/// extension; binary files, `.rebrand/` state and files `exclude` names are not among them.
#[test]
fn unread_files_that_hold_the_brand_are_one_warning() {
    let tmp = TempDir::new().unwrap();
    let tree = tmp.path().join("tree");
    let write = |rel: &str, bytes: &[u8]| {
        let path = tree.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    };
    write("docs/index.md", b"# Hypervisor\n\nThe Hypervisor boots.\n");
    write(
        "docs/install.rst",
        b"= Install\n\nHarvester boots.\nThe Harvester hypervisor and HARVESTER.\n",
    );
    write("deploy/values.yml", b"image: rancher/harvester:v1.5\n");
    write("static/img/logo.png", b"\x89PNG\0\0Harvester");
    write(".rebrand/base/docs/old.rst", b"Harvester\n");
    write("docs/notes.txt", b"no brand here\n");
    let rules = tmp.path().join("rules.toml");
    let base = std::fs::read_to_string(fixture().join("rules.toml")).unwrap();
    std::fs::write(&rules, &base).unwrap();

    let a = audit(&engine(&rules), &tree, Judge::Branded, false).unwrap();
    let unread: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Unread)
        .collect();
    assert_eq!(unread.len(), 1, "{:?}", a.findings);
    let f = unread[0];
    assert_eq!(f.level, Level::Warning);
    // At the first mention of the file with the most.
    assert_eq!(
        (f.path.as_str(), f.line, f.column, f.text.as_str()),
        ("docs/install.rst", 3, 1, "Harvester")
    );
    assert_eq!(
        f.message,
        "not read: 2 files hold 4 brand mentions that no `[files]` glob reads as text, so no rule rewrites them (by extension: `.rst` 1 file with 3 mentions, `.yml` 1 file with 1 mention; most in `docs/install.rst` (3), `deploy/values.yml` (1)); add a glob to `[files]`, or `exclude` them"
    );
    assert_eq!(a.count(Level::Error), 0, "{:?}", a.findings);

    // A warning: it fails only when warnings are denied.
    let run = |deny: bool| {
        let mut cmd = rebrand();
        cmd.args(["audit", "--color", "never", "--rules"])
            .arg(&rules)
            .arg(&tree);
        if deny {
            cmd.args(["--deny", "warnings"]);
        }
        cmd.output().unwrap()
    };
    assert_eq!(run(false).status.code(), Some(0));
    let denied = run(true);
    assert_eq!(denied.status.code(), Some(1));
    let stdout = String::from_utf8(denied.stdout).unwrap();
    assert!(
        stdout.contains("warning[unread]: not read: 2 files hold 4 brand mentions")
            && stdout.contains(" --> docs/install.rst:3:1\n"),
        "{stdout}"
    );

    // Files the rule file leaves out on purpose are not unread.
    std::fs::write(&rules, format!("[files]\nexclude = [\"**/*.yml\"]\n{base}")).unwrap();
    let a = audit(&engine(&rules), &tree, Judge::Branded, false).unwrap();
    let f = a.findings.iter().find(|f| f.kind == FindingKind::Unread).unwrap();
    assert!(
        f.message.starts_with("not read: 1 file holds 3 brand mentions"),
        "{}",
        f.message
    );
}

/// A vendor's hand-made edition, without rebrand's marker: one page branded by hand with a
/// broken front matter, a typo of the new brand and a stutter, the other pages left as
/// upstream wrote them. Judged as branded, each defect is reported at its line, the pages
/// left upstream leak, and the audit fails.
#[test]
fn a_hand_made_edition_fails_on_each_defect_at_its_line() {
    let tmp = TempDir::new().unwrap();
    let tree = tmp.path().join("edition");
    common::hand_made_edition(&tree);
    let out = rebrand()
        .args(["audit", "--color", "never", "--rules"])
        .arg(common::shipped_rules())
        .arg(&tree)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let page = "docs/install/iso-install.md";
    for (label, line, column) in [
        ("error[front-matter]: the front matter does not parse as YAML: mapping values are not allowed in this context; Docusaurus cannot build this page", 5, 24),
        ("warning[near-miss]: `Hyypervisor` is close to `Hypervisor`, a brand word of rule `brand`: a typo of the new brand?", 19, 1),
        ("error[stutter]: `Hypervisor hypervisor`: the brand word is doubled", 21, 5),
    ] {
        assert!(
            stdout.contains(&format!(
                "{label}\n{}--> {page}:{line}:{column}\n",
                " ".repeat(line.to_string().len())
            )),
            "{label} at {line}:{column}:\n{stdout}"
        );
    }
    // The pages left as upstream wrote them leak: the glossary's first prose mention.
    assert!(
        stdout.contains("error[leak]: `Harvester` is still here: rule `brand` rewrites it to `Hypervisor`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("--> docs/getting-started/glossary.md:"),
        "{stdout}"
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

/// `[[identity]]` markers: each occurrence outside code is an error in a tree judged as
/// branded, a warning in one judged as upstream, info when an exception keeps it (named with
/// its reason); code keeps the upstream's identifiers; a file no glob reads counts too.
#[test]
fn upstream_identity_markers_are_findings_and_exceptions_keep_them_with_a_reason() {
    let tmp = TempDir::new().unwrap();
    let root = tmp.path().join("site");
    for (path, text) in [
        (
            "docs/a.md",
            "# A\n\nSee [the home](https://harvesterhci.io) and [a KB article](https://harvesterhci.io/kb/nic).\n\nThe group `harvesterhci.io/v1beta1` stays.\n",
        ),
        ("docusaurus.config.js", "module.exports = {\n  gtm: 'GTM-57KS2MW',\n};\n"),
        ("static/robots.txt", "Sitemap: https://docs.harvesterhci.io/sitemap.xml\n"),
    ] {
        std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
        std::fs::write(root.join(path), text).unwrap();
    }
    let rules = tmp.path().join("rules.toml");
    std::fs::write(
        &rules,
        r#"[[substitution]]
from = "Harvester"
to = "Hypervisor"

[[identity]]
id = "upstream-site"
regex = 'https?://([a-z0-9-]+\.)*harvesterhci\.io'
what = "the upstream's web site"

[[identity]]
id = "tag-manager"
literal = "GTM-57KS2MW"
what = "SUSE's Google Tag Manager container"

[[exception]]
id = "kb"
literal = "https://harvesterhci.io/kb"
reason = "articles the vendor has no copy of"
"#,
    )
    .unwrap();
    let engine = engine(&rules);
    let found = |judge: Judge| -> Vec<(Level, String, usize, String)> {
        audit(&engine, &root, judge, false)
            .unwrap()
            .findings
            .into_iter()
            .filter(|f| f.kind == FindingKind::Identity)
            .map(|f| (f.level, f.path, f.line, f.message))
            .collect()
    };
    let branded = found(Judge::Branded);
    assert_eq!(
        branded,
        vec![
            (
                Level::Error,
                "docs/a.md".to_string(),
                3,
                "`https://harvesterhci.io` is the upstream's web site (identity marker `upstream-site`) in link_target".to_string()
            ),
            (
                Level::Info,
                "docs/a.md".to_string(),
                3,
                "`https://harvesterhci.io` (the upstream's web site) kept by exception `kb`: articles the vendor has no copy of".to_string()
            ),
            (
                Level::Error,
                "docusaurus.config.js".to_string(),
                2,
                "`GTM-57KS2MW` is SUSE's Google Tag Manager container (identity marker `tag-manager`) in prose".to_string()
            ),
            (
                Level::Error,
                "static/robots.txt".to_string(),
                1,
                "`https://docs.harvesterhci.io` is the upstream's web site (identity marker `upstream-site`) in a file no glob reads".to_string()
            ),
        ]
    );
    let upstream = found(Judge::Upstream);
    assert_eq!(upstream.len(), 4);
    assert_eq!(upstream.iter().filter(|f| f.0 == Level::Warning).count(), 3);
    // The CLI: exit 1 on the branded judgement, the error at its place.
    let out = rebrand()
        .args(["audit", "--color", "never", "--rules"])
        .arg(&rules)
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("error[identity]: `GTM-57KS2MW` is SUSE's Google Tag Manager container"),
        "{stdout}"
    );
}
