//! Corpus test of adopting a hand-made edition (`sync --adopt --base-upstream`), made the
//! way the vendor made theirs: from upstream `8511089` (the corpus), about 25 pages
//! branded by hand (most as the rules would, one with a brand typo in a sentence of the
//! vendor's own, one with a stutter, one with a broken front matter), `docusaurus.config.js`
//! given the vendor's own title and logo, a page under a name the rules rename edited at its
//! upstream path, one translated page edited, a line fixed on an otherwise upstream page,
//! vendor pages and a vendor logo added, and every other file left exactly as upstream.
//! Skips with a message when the corpus is absent.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

use crate::common;

fn rebrand(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rebrand"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("REBRAND_SYNC_ABORT_AFTER")
        .output()
        .expect("the rebrand binary runs")
}

fn show(out: &Output) -> String {
    format!(
        "status {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        out.status.code(),
        tail(&String::from_utf8_lossy(&out.stdout), 60),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn tail(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Every regular file of `root` but rebrand's state, path → bytes.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.depth() != 1 || e.file_name() != ".rebrand")
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

fn text(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// `text` with the first `from` replaced by `to`, which must be there.
fn replace_once(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "`{from}` is not in the text");
    text.replacen(from, to, 1)
}

/// The text with each conflict region replaced by its second side (rebrand's output), as a
/// person resolving in favour of the rules would.
fn take_theirs(text: &str) -> String {
    let mut out = String::new();
    let mut side = 0; // 0 outside, 1 ours, 2 theirs
    for line in text.split_inclusive('\n') {
        match () {
            _ if line.starts_with("<<<<<<< ") => side = 1,
            _ if line == "=======\n" && side == 1 => side = 2,
            _ if line.starts_with(">>>>>>> ") => side = 0,
            _ if side != 1 => out.push_str(line),
            _ => {}
        }
    }
    out
}

/// The hand edition: what was written where, by kind of edit.
struct Edition {
    /// Output path → the vendor's text, for every hand-edited text file.
    edited: BTreeMap<String, String>,
    /// The upstream path of each edited file, where it differs from its output path.
    upstream_path: BTreeMap<String, String>,
    /// Output paths the vendor branded differently from the rules on the same lines.
    disagreements: BTreeSet<String>,
    /// Vendor files (no upstream file).
    vendor: Vec<&'static str>,
}

const TYPO: &str = "Hyypervisor keeps this page up to date for NQRust customers.";
const STUTTER_PAGE: &str = "docs/getting-started/glossary.md";
const BROKEN_FRONT_MATTER_PAGE: &str = "docs/install/install-binaries-mode.md";
const RENAMED_FROM: &str = "docs/install/harvester-configuration.md";
const RENAMED_TO: &str = "docs/install/hypervisor-configuration.md";
const LOGO: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR vendor logo";

/// Makes the hand edition in `edition` (a writable copy of `upstream`), with `fresh` the
/// rules' output of `upstream` (what "branded as the rules would" means).
fn make_edition(upstream: &Path, fresh: &Path, edition: &Path) -> Edition {
    common::copy_tree(upstream, edition);
    let mut ed = Edition {
        edited: BTreeMap::new(),
        upstream_path: BTreeMap::new(),
        disagreements: BTreeSet::new(),
        vendor: vec![
            "docs/vendor/support.md",
            "docs/vendor/pricing.md",
            "static/img/nqrust-logo.png",
        ],
    };
    let special = [STUTTER_PAGE, BROKEN_FRONT_MATTER_PAGE, RENAMED_FROM];
    // Pages branded exactly as the rules brand them, and one with a sentence of the
    // vendor's own carrying a brand typo.
    let mut branded: Vec<String> = files(upstream)
        .into_iter()
        .filter(|(p, b)| {
            p.starts_with("docs/")
                && p.ends_with(".md")
                && !special.contains(&p.as_str())
                && String::from_utf8_lossy(b).contains("Harvester")
                && fresh.join(p).is_file()
        })
        .map(|(p, _)| p)
        .take(20)
        .collect();
    assert_eq!(branded.len(), 20);
    let typo_page = branded.pop().unwrap();
    for page in &branded {
        ed.edited.insert(page.clone(), text(fresh, page));
    }
    ed.edited.insert(
        typo_page.clone(),
        format!("{}\n{TYPO}\n", text(fresh, &typo_page)),
    );
    // A stutter where the rules write "NQRust Hypervisor".
    let glossary = text(fresh, STUTTER_PAGE);
    let at = glossary
        .find("NQRust Hypervisor")
        .expect("the glossary names NQRust Hypervisor");
    let line_start = glossary[..at].rfind('\n').map_or(0, |i| i + 1);
    assert!(!glossary[line_start..at].contains('#'), "not a heading line");
    ed.edited.insert(
        STUTTER_PAGE.into(),
        replace_once(&glossary, "NQRust Hypervisor", "Hypervisor hypervisor"),
    );
    ed.disagreements.insert(STUTTER_PAGE.into());
    // A front matter broken by hand: an unclosed quote on the title line.
    let iso = text(fresh, BROKEN_FRONT_MATTER_PAGE);
    let title = iso
        .lines()
        .find(|l| l.starts_with("title:"))
        .expect("a title")
        .to_string();
    ed.edited.insert(
        BROKEN_FRONT_MATTER_PAGE.into(),
        replace_once(&iso, &title, "title: \"Hypervisor: install the binaries"),
    );
    ed.disagreements.insert(BROKEN_FRONT_MATTER_PAGE.into());
    // The site configuration: the vendor's own title and logo, on upstream's text.
    let config = text(upstream, "docusaurus.config.js");
    let config = replace_once(&config, "title: \"Harvester\",", "title: \"NQRust HyperVisor\",");
    let config = replace_once(
        &config,
        "src: \"img/logo_horizontal.svg\",",
        "src: \"img/nqrust-logo.png\",",
    );
    ed.edited.insert("docusaurus.config.js".into(), config);
    ed.disagreements.insert("docusaurus.config.js".into());
    // A page the rules rename, branded and extended by hand at its upstream path.
    ed.edited.insert(
        RENAMED_TO.into(),
        format!(
            "{}\nAsk NQRust support before you change these settings.\n",
            text(fresh, RENAMED_TO)
        ),
    );
    ed.upstream_path.insert(RENAMED_TO.into(), RENAMED_FROM.into());
    // A line fixed on a page otherwise left as upstream (a line with no brand in it).
    let fixed_page = "docs/upgrade/automatic.md";
    let page = text(upstream, fixed_page);
    let line = page
        .lines()
        .rev()
        .find(|l| {
            l.len() > 20
                && !l.to_lowercase().contains("harvester")
                && !l.starts_with(['#', '`', '|', '<', '-', '!'])
        })
        .expect("a plain line")
        .to_string();
    ed.edited.insert(
        fixed_page.into(),
        replace_once(&page, &line, &format!("{line} (checked by NQRust support)")),
    );
    for (out, vendor_text) in &ed.edited {
        let at = ed.upstream_path.get(out).unwrap_or(out);
        write(edition, at, vendor_text);
    }
    write(
        edition,
        "docs/vendor/support.md",
        "# Support\n\nCall NQRust support.\n",
    );
    write(
        edition,
        "docs/vendor/pricing.md",
        "# Pricing\n\nAsk NQRust sales.\n",
    );
    write(edition, "static/img/nqrust-logo.png", LOGO);
    // A translated page edited by hand: the rules drop the locale, the edit stays.
    let zh = files(upstream)
        .into_keys()
        .find(|p| p.starts_with("i18n/zh/") && p.ends_with(".md"))
        .expect("a translated page");
    let zh_text = format!("{}\n供应商的说明。\n", text(upstream, &zh));
    write(edition, &zh, zh_text);
    ed
}

#[test]
fn adopting_a_hand_made_edition_keeps_every_hand_edit_and_brands_the_rest() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let tmp = TempDir::new().unwrap();
    let rules = common::shipped_rules();
    let fresh = tmp.path().join("fresh");
    let edition = tmp.path().join("edition");
    let run = rebrand(&[
        "apply".as_ref(),
        "--rules".as_ref(),
        rules.as_os_str(),
        corpus.as_os_str(),
        "--out".as_ref(),
        fresh.as_os_str(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", show(&run));
    let ed = make_edition(&corpus, &fresh, &edition);
    let upstream_files = files(&corpus);
    let before = files(&edition);

    // Before adoption the audit gates the edition without any flag: every page left as
    // upstream leaks, each leak at its line; the pages branded as the rules would leak
    // nothing. `apply`'s output of the same upstream passes.
    let audit = |tree: &Path| {
        rebrand(&[
            "audit".as_ref(),
            "--rules".as_ref(),
            rules.as_os_str(),
            tree.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ])
    };
    let run = audit(&edition);
    assert_eq!(run.status.code(), Some(1), "{}", show(&run));
    let audited: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let leaks: Vec<&serde_json::Value> = audited["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "leak" && f["level"] == "error")
        .collect();
    assert!(leaks.len() > 5000, "{} leaks", leaks.len());
    eprintln!(
        "audit of the edition before adoption: {} leak errors",
        leaks.len()
    );
    for leak in &leaks {
        let path = leak["path"].as_str().unwrap();
        let line = leak["line"].as_u64().unwrap() as usize;
        let on_line = text(&edition, path)
            .lines()
            .nth(line - 1)
            .unwrap_or("")
            .to_string();
        assert!(
            on_line.contains(leak["text"].as_str().unwrap()),
            "{path}:{line}: `{}` is not on that line",
            leak["text"]
        );
        let hand_branded = ed.edited.get(path).is_some_and(|t| *t == text(&fresh, path));
        assert!(
            !hand_branded,
            "{path}:{line}: a page branded as the rules would leaks"
        );
    }
    let run = audit(&fresh);
    assert_eq!(run.status.code(), Some(0), "{}", show(&run));

    let sync = |extra: &[&std::ffi::OsStr]| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "sync".as_ref(),
            "--rules".as_ref(),
            rules.as_os_str(),
            "--upstream".as_ref(),
            corpus.as_os_str(),
            "--downstream".as_ref(),
            edition.as_os_str(),
            "--upstream-rev".as_ref(),
            "8511089".as_ref(),
        ];
        args.extend_from_slice(extra);
        rebrand(&args)
    };
    let report_md = tmp.path().join("adoption.md");
    let run = sync(&[
        "--adopt".as_ref(),
        "--base-upstream".as_ref(),
        corpus.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--report".as_ref(),
        report_md.as_os_str(),
    ]);
    assert_eq!(run.status.code(), Some(1), "conflicts exit 1:\n{}", show(&run));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).expect("a JSON report");
    let after = files(&edition);

    // Every file left as upstream is now exactly rebrand's output.
    let fresh_files = files(&fresh);
    let edited_out: BTreeSet<&str> = ed.edited.keys().map(String::as_str).collect();
    let mut branded = 0;
    for (path, bytes) in &fresh_files {
        if edited_out.contains(path.as_str()) {
            continue;
        }
        assert!(
            after.get(path) == Some(bytes),
            "{path}: left as upstream, but not rebrand's output after adoption"
        );
        branded += 1;
    }
    assert!(branded > 800, "{branded} files compared");

    // Every hand-edited line survives, merged or inside conflict markers.
    for (out, vendor_text) in &ed.edited {
        let at = ed.upstream_path.get(out).unwrap_or(out);
        let base = String::from_utf8_lossy(&upstream_files[at.as_str()]).into_owned();
        let base_lines: BTreeSet<&str> = base.lines().collect();
        let result = text(&edition, out);
        for line in vendor_text.lines().filter(|l| !base_lines.contains(l)) {
            assert!(
                result.lines().any(|l| l == line),
                "{out}: the hand-edited line `{line}` is lost"
            );
        }
    }
    // The renamed page moved, carrying its edit; nothing is left at the old path.
    assert!(
        !edition.join(RENAMED_FROM).exists(),
        "a stale copy at the upstream path"
    );
    let moved: Vec<&serde_json::Value> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["moved_from"] == RENAMED_FROM)
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!(moved[0]["path"], RENAMED_TO);

    // Every disagreement is a listed conflict, and only those carry markers.
    let conflicts: BTreeSet<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["action"] == "conflict")
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(conflicts, ed.disagreements, "{}", show(&run));
    let marked: BTreeSet<String> = after
        .iter()
        .filter(|(_, b)| {
            String::from_utf8_lossy(b)
                .lines()
                .any(|l| l.starts_with("<<<<<<< "))
        })
        .map(|(p, _)| p.clone())
        .collect();
    assert_eq!(marked, ed.disagreements);
    for path in &ed.disagreements {
        assert!(
            !report["conflict_hunks"][path].as_array().unwrap().is_empty(),
            "{path}: no conflict region listed"
        );
    }

    // Vendor files stay byte for byte and are reported; the dropped locale's unedited files
    // are removed, the edited one is kept and reported.
    for v in &ed.vendor {
        assert_eq!(after.get(*v), before.get(*v), "{v}");
        assert!(report["files"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["path"] == *v && f["action"] == "kept_vendor_file"));
    }
    let zh_left: Vec<&String> = after.keys().filter(|p| p.starts_with("i18n/zh/")).collect();
    assert_eq!(zh_left.len(), 1, "{zh_left:?}");
    assert!(
        !after.keys().any(|p| p.starts_with(".github/")),
        "upstream's CI files are left out"
    );

    // The hand edition's own defects are findings: the stutter and the brand typo.
    let findings = report["findings"].as_array().unwrap();
    let found = |kind: &str, path: &str, text: &str| {
        findings.iter().any(|f| {
            f["kind"] == kind && f["path"] == path && f["text"].as_str().unwrap_or("").contains(text)
        })
    };
    assert!(
        found("stutter", STUTTER_PAGE, "Hypervisor hypervisor"),
        "{findings:#?}"
    );
    let typo_page = ed.edited.iter().find(|(_, t)| t.contains(TYPO)).unwrap().0;
    assert!(found("near_miss", typo_page, "Hyypervisor"), "{findings:#?}");
    assert!(
        found("front_matter", BROKEN_FRONT_MATTER_PAGE, ""),
        "{findings:#?}"
    );
    // The pull-request report leads with the verdict and the counts, then the conflicts
    // with their regions (shown with `--nocapture`).
    let md = fs::read_to_string(&report_md).unwrap();
    assert!(md.starts_with("**3 conflicts need a person"), "{md}");
    for path in &ed.disagreements {
        assert!(md.contains(&format!("#### `{path}`")), "{path} not in the report");
    }
    eprintln!("adoption counts: {}\n{}", report["counts"], tail(&md, 400));

    // Resolved in favour of the rules, the next sync is an ordinary one with nothing to do.
    for path in &ed.disagreements {
        let resolved = take_theirs(&text(&edition, path));
        write(&edition, path, resolved);
    }
    let run = sync(&[]);
    assert_eq!(run.status.code(), Some(0), "{}", show(&run));
    assert_eq!(String::from_utf8_lossy(&run.stdout), "", "{}", show(&run));
    let resolved = files(&edition);
    let run = sync(&[]);
    assert_eq!(run.status.code(), Some(0), "{}", show(&run));
    assert_eq!(files(&edition), resolved);
}
