//! Corpus tests of the whole branded site: the shipped rules (overlay, asset remap, patch,
//! renames, `anchors = "rename"`, zh dropped) applied to the upstream Harvester docs
//! (`../shared/corpus/harvester-docs`, or `$REBRAND_CORPUS`), and the same rules with the
//! default anchors and no renames. Skip with a message when the corpus is absent.

use std::collections::BTreeMap;
use std::path::Path;

use rebrand::rewrite::Engine;
use rebrand::site::docusaurus::Site;
use rebrand::site::links::{check_tree, BrokenLink, Reason};
use rebrand::tree::{self, ApplyOptions};
use tempfile::TempDir;

use crate::common;

/// The shipped rules, less the tables named in `without` (resolved against the shipped
/// file, so its overlay and patch are found).
fn rules(without: &[&str]) -> Engine {
    let path = common::shipped_rules();
    let source = std::fs::read_to_string(&path).expect("shipped rules read");
    let rules = common::parse_rules(&path, &common::without_tables(&source, without)).expect("rules load");
    Engine::new(rules).expect("rules compile")
}

/// Broken references by reason, leaving out images: the corpus copy has no binary files,
/// so every upstream screenshot is "missing" on both sides.
fn by_reason(broken: &[BrokenLink]) -> BTreeMap<Reason, usize> {
    let mut counts = BTreeMap::new();
    for b in broken.iter().filter(|b| b.reason != Reason::MissingImage) {
        *counts.entry(b.reason).or_insert(0) += 1;
    }
    counts
}

/// Every broken reference of `branded` that is not one of `upstream`'s, comparing the
/// targets with the brand's names mapped (renamed files and moved anchors).
fn new_breakage(upstream: &[BrokenLink], branded: &[BrokenLink]) -> Vec<String> {
    let key = |b: &BrokenLink| {
        format!("{} {}", b.file, b.target)
            .replace("harvester", "hypervisor")
            .replace("Harvester", "Hypervisor")
    };
    let known: std::collections::HashSet<String> = upstream.iter().map(key).collect();
    branded
        .iter()
        .filter(|b| b.reason != Reason::MissingImage && !known.contains(&key(b)))
        .map(|b| b.to_string())
        .collect()
}

fn apply(engine: &Engine, corpus: &Path, tmp: &TempDir) -> std::path::PathBuf {
    let out = tmp.path().join("branded");
    tree::apply(engine, corpus, &out, &ApplyOptions::default()).expect("the corpus brands");
    out
}

#[test]
fn corpus_whole_site_carries_the_vendor_config_logo_and_no_upstream_url() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let tmp = TempDir::new().unwrap();
    let out = apply(&rules(&[]), &corpus, &tmp);

    let config = std::fs::read_to_string(out.join("docusaurus.config.js")).unwrap();
    for expected in [
        "  title: \"NQRust Hypervisor\",\n",
        "  url: \"https://docs.nqrhypervisorhci.io\",\n",
        "  organizationName: \"nqrhypervisor\",\n",
        "editUrl: \"https://github.com/nqrhypervisor/docs/edit/main/\",",
        "alt: \"NQRust Hypervisor Logo\",",
        "src: \"img/logo_horizontal.svg\",",
    ] {
        assert!(config.contains(expected), "missing {expected:?}");
    }
    for gone in [
        "algolia",
        "docsVersionDropdown",
        "localeDropdown",
        "type: 'search'",
    ] {
        assert!(!config.contains(gone), "{gone} is still in the config");
    }
    let overlay = common::shipped_rules()
        .with_extension("")
        .join("overlay/static/img");
    for file in [
        "logo_horizontal.svg",
        "favicon.ico",
        "brand/install/iso-install.png",
    ] {
        assert_eq!(
            std::fs::read(out.join("static/img").join(file)).unwrap(),
            std::fs::read(overlay.join(file)).unwrap(),
            "{file} is not the vendor's"
        );
    }
    // zh was the only translation: the emptied `i18n/` goes with it.
    assert!(!out.join("i18n").exists(), "the zh locale is dropped");

    // No file and no page URL of the branded site carries the upstream brand.
    let paths: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| {
            e.unwrap()
                .path()
                .strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let leaks: Vec<&String> = paths
        .iter()
        .filter(|p| p.to_lowercase().contains("harvester"))
        .collect();
    assert!(leaks.is_empty(), "{leaks:?}");
    let site = Site::load(&out).unwrap();
    let urls: Vec<String> = paths.iter().filter_map(|p| site.doc_url(p)).collect();
    assert!(urls.len() > 600, "only {} doc URLs", urls.len());
    let leaks: Vec<&String> = urls
        .iter()
        .filter(|u| u.to_lowercase().contains("harvester"))
        .collect();
    assert!(leaks.is_empty(), "{leaks:?}");
}

#[test]
fn corpus_renamed_site_breaks_no_link_upstream_did_not_break() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let tmp = TempDir::new().unwrap();
    let engine = rules(&[]);
    let out = apply(&engine, &corpus, &tmp);
    let upstream = check_tree(&corpus).unwrap().broken;
    let branded = check_tree(&out).unwrap().broken;
    assert_eq!(new_breakage(&upstream, &branded), Vec::<String>::new());
    // The upstream counts include the zh pages the vendor drops: two of its "missing file"
    // links are zh links to an untranslated page.
    let up = by_reason(&upstream);
    let ours = by_reason(&branded);
    eprintln!("broken links without images: upstream {up:?}, branded {ours:?}");
    for (reason, n) in &ours {
        assert!(
            up.get(reason).is_some_and(|u| n <= u),
            "{reason}: {n} branded vs {up:?}"
        );
    }
    assert_eq!(ours.get(&Reason::MissingAnchor), up.get(&Reason::MissingAnchor));
    // The remapped screenshot now resolves to the vendor's file.
    let images = |b: &[BrokenLink]| {
        b.iter()
            .filter(|b| {
                b.reason == Reason::MissingImage && b.target.contains("/img/v1.2/install/iso-install.png")
            })
            .count()
    };
    assert!(images(&upstream) > 0);
    assert_eq!(images(&branded), 0);
}

#[test]
fn corpus_default_anchors_and_no_renames_move_no_file_and_break_nothing_new() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let tmp = TempDir::new().unwrap();
    let engine = rules(&["[site]", "[[rename]]"]);
    let out = apply(&engine, &corpus, &tmp);
    // The files of each tree but those the rules leave out (the dropped locale, `[files]
    // omit`), the state and the overlay's images.
    let listing = |root: &Path| -> std::collections::BTreeSet<String> {
        walkdir::WalkDir::new(root)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                e.path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|p| {
                !engine.rules().leaves_out(p) && !p.starts_with(".rebrand") && !p.starts_with("static/img")
            })
            .collect()
    };
    let (upstream_files, branded_files) = (listing(&corpus), listing(&out));
    let moved: Vec<&String> = upstream_files.symmetric_difference(&branded_files).collect();
    assert!(moved.is_empty(), "files moved: {moved:?}");
    let upstream = check_tree(&corpus).unwrap().broken;
    let branded = check_tree(&out).unwrap().broken;
    assert_eq!(new_breakage(&upstream, &branded), Vec::<String>::new());
    let (up, ours) = (by_reason(&upstream), by_reason(&branded));
    eprintln!("broken links without images (keep): upstream {up:?}, branded {ours:?}");
    assert_eq!(ours.get(&Reason::MissingAnchor), up.get(&Reason::MissingAnchor));
}

/// The audit of the upstream corpus counts every brand mention once: the counts by context
/// add up to a plain case-insensitive search of the files the rules read; judged as branded,
/// the upstream corpus leaks each mention the rules rewrite; the branded corpus has no prose
/// leak and no stutter.
#[test]
fn corpus_audit_counts_every_mention_and_finds_the_branded_site_clean() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let engine = rules(&[]);
    let upstream = rebrand::audit::audit(&engine, &corpus, rebrand::audit::Judge::Upstream, false).unwrap();
    let plain: usize = tree::text_files(&engine, &corpus)
        .unwrap()
        .iter()
        .map(|f| f.text.to_ascii_lowercase().matches("harvester").count())
        .sum();
    eprintln!("upstream mentions by context: {:?} = {plain}", upstream.mentions);
    assert_eq!(upstream.total_mentions(), plain);
    assert_eq!(upstream.count(rebrand::audit::Level::Error), 0);
    let prose = upstream.mentions["prose"];
    assert!(prose.rewritten > 10_000, "{prose:?}");
    // Judged as branded (the default of `rebrand audit`), the upstream tree fails: every
    // mention the rules would rewrite is a leak, whatever markers the tree has or lacks.
    let misjudged = rebrand::audit::audit(&engine, &corpus, rebrand::audit::Judge::Branded, false).unwrap();
    let rewritable: usize = upstream.mentions.values().map(|c| c.rewritten).sum();
    let leaks = misjudged
        .findings
        .iter()
        .filter(|f| f.level == rebrand::audit::Level::Error && f.kind == rebrand::audit::FindingKind::Leak)
        .count();
    assert_eq!(leaks, rewritable);

    let tmp = TempDir::new().unwrap();
    let out = apply(&engine, &corpus, &tmp);
    let branded = rebrand::audit::audit(&engine, &out, rebrand::audit::Judge::Branded, false).unwrap();
    assert_eq!(branded.judge, rebrand::audit::Judge::Branded);
    let errors: Vec<String> = branded
        .findings
        .iter()
        .filter(|f| f.level == rebrand::audit::Level::Error)
        .map(|f| format!("{}:{}: {}", f.path, f.line, f.message))
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(branded.mentions.get("prose").map_or(0, |c| c.rewritten), 0);

    // Upstream identity: the upstream corpus shows every kind of marker the rules name (a
    // warning each, to plan); in the branded corpus each one left is kept by an exception,
    // with its reason.
    let identity = |audit: &rebrand::audit::Audit, level: rebrand::audit::Level| -> BTreeMap<String, usize> {
        let mut by_rule = BTreeMap::new();
        for f in audit
            .findings
            .iter()
            .filter(|f| f.kind == rebrand::audit::FindingKind::Identity && f.level == level)
        {
            *by_rule.entry(f.rule.clone().unwrap()).or_insert(0) += 1;
        }
        by_rule
    };
    let planned = identity(&upstream, rebrand::audit::Level::Warning);
    eprintln!("upstream identity markers: {planned:?}");
    for marker in &engine.rules().identities {
        assert!(
            planned.contains_key(&marker.id),
            "{} not found upstream: {planned:?}",
            marker.id
        );
    }
    assert!(identity(&branded, rebrand::audit::Level::Warning).is_empty());
    let kept = identity(&branded, rebrand::audit::Level::Info);
    eprintln!("branded identity markers kept by exceptions: {kept:?}");
    let exceptions: Vec<&str> = engine.rules().exceptions.iter().map(|e| e.id.as_str()).collect();
    assert!(kept.keys().all(|k| exceptions.contains(&k.as_str())), "{kept:?}");
    assert!(kept.contains_key("upstream-knowledge-base"), "{kept:?}");
}

/// Every file under `root` (not `.rebrand/`) by relative path, with its bytes' hash.
fn file_hashes(root: &Path) -> BTreeMap<String, blake3::Hash> {
    common::entries(root)
        .into_iter()
        .filter(|(p, e)| !p.starts_with(".rebrand") && e.file_type().is_file())
        .map(|(p, e)| (p, blake3::hash(&std::fs::read(e.path()).unwrap())))
        .collect()
}

/// The brand file runs on a tree of 20 copies of the corpus side by side (not one site: the
/// whole-site file would refuse it) and brands each copy as it brands one copy alone in a
/// tree (what only the site model does on the corpus as the tree's root, such as following
/// the OpenAPI page renamed by its spec's title, is not done in either).
#[test]
fn corpus_twenty_copies_brand_with_the_brand_file_as_one_copy_does() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    // 700 MB written and read: in memory where the machine has a tmpfs.
    let tmp = tempfile::Builder::new()
        .tempdir_in("/dev/shm")
        .or_else(|_| TempDir::new())
        .unwrap();
    let brand = common::shipped_brand_rules();
    let (solo, twenty) = (tmp.path().join("solo"), tmp.path().join("twenty"));
    common::copy_tree(&corpus, &solo.join("copy"));
    for i in 1..=20 {
        common::copy_tree(&corpus, &twenty.join(format!("copy-{i:02}")));
    }
    let (solo_out, twenty_out) = (tmp.path().join("solo-out"), tmp.path().join("twenty-out"));
    common::apply_command(&brand, &solo, &solo_out).assert().success();
    common::apply_command(&brand, &twenty, &twenty_out)
        .assert()
        .success();
    let expected = file_hashes(&solo_out.join("copy"));
    let upstream = file_hashes(&corpus);
    let branded = expected
        .iter()
        .filter(|(p, h)| upstream.get(*p) != Some(h))
        .count();
    assert!(branded > 600, "{branded} files branded");
    for i in 1..=20 {
        let copy = file_hashes(&twenty_out.join(format!("copy-{i:02}")));
        let differing: Vec<&String> = expected
            .keys()
            .chain(copy.keys())
            .filter(|p| expected.get(*p) != copy.get(*p))
            .take(10)
            .collect();
        assert!(
            differing.is_empty(),
            "copy {i} differs from one copy alone: {differing:?}"
        );
    }
}
