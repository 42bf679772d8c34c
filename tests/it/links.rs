//! The link check and the Docusaurus site model, end to end: a small fixture tree of real
//! Harvester pages (`tests/fixtures/links/`, cut down) with known breakage, and the whole
//! upstream corpus (`../shared/corpus/harvester-docs`, or `$REBRAND_CORPUS`), which skips
//! with a message when absent.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rebrand::site::docusaurus::Site;
use rebrand::site::links::{check, check_tree, BrokenLink, Reason, ReferenceKind};
use rebrand::site::Resolution;

use crate::common;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links")
}

fn broken(file: &str, line: usize, target: &str, why: &str, reason: Reason) -> BrokenLink {
    BrokenLink {
        file: file.into(),
        line,
        target: target.into(),
        why: why.into(),
        reason,
    }
}

#[test]
fn fixture_broken_links_are_exactly_the_planted_ones() {
    let got = check(&fixture()).expect("fixture readable");
    let want = vec![
        broken(
            "docs/install/iso-install.md",
            10,
            "../upgrade/index.md",
            "no doc at `docs/upgrade/index.md`",
            Reason::MissingFile,
        ),
        broken(
            "versioned_docs/version-v1.5/advanced/settings.md",
            10,
            "../host/host.md#rotate-expiring-certificates",
            "no anchor `#rotate-expiring-certificates` in `versioned_docs/version-v1.5/host/host.md`",
            Reason::MissingAnchor,
        ),
        broken(
            "versioned_docs/version-v1.5/monitoring/harvester-monitoring.md",
            16,
            "/img/v1.2/monitoring/monitoring-dashboard.png",
            "no file `static/img/v1.2/monitoring/monitoring-dashboard.png`",
            Reason::MissingImage,
        ),
        broken(
            "versioned_docs/version-v1.5/troubleshooting/harvester.md",
            8,
            "/v1.5/api/create-namespaced-virtual-machine-image",
            "`versioned_docs/version-v1.5/api` is generated at build time (docusaurus-plugin-openapi-docs) and is not in the tree",
            Reason::Generated,
        ),
        broken(
            "versioned_sidebars/version-v1.5-sidebars.json",
            16,
            "api/harvester-apis",
            "`versioned_docs/version-v1.5/api` is generated at build time (docusaurus-plugin-openapi-docs) and is not in the tree",
            Reason::Generated,
        ),
    ];
    assert_eq!(got, want);
}

#[test]
fn fixture_counts_what_it_checked() {
    let checked = check_tree(&fixture()).expect("fixture readable");
    let counts: Vec<(ReferenceKind, usize)> = checked.references.into_iter().collect();
    assert_eq!(
        counts,
        [
            (ReferenceKind::Link, 13),
            (ReferenceKind::Image, 2),
            (ReferenceKind::DocId, 2),
            (ReferenceKind::SidebarDir, 2),
        ]
    );
    // The hyperconverged-infrastructure link and the canonical link.
    assert_eq!(checked.external, 2);
    assert_eq!(checked.fragments, 7);
}

#[test]
fn fixture_site_model() {
    let site = Site::load(&fixture()).expect("fixture readable");
    let url = |p: &str| site.doc_url(p);
    // `slug: /` is the version root; `id: index` replaces the file name in the URL.
    assert_eq!(url("docs/index.md").as_deref(), Some("/v1.7/"));
    assert_eq!(
        url("docs/install/iso-install.md").as_deref(),
        Some("/v1.7/install/index")
    );
    assert_eq!(
        url("versioned_docs/version-v1.5/monitoring/harvester-monitoring.md").as_deref(),
        Some("/v1.5/monitoring/harvester-monitoring")
    );
    // A file named like its folder is the category index, whatever its id.
    assert_eq!(
        url("versioned_docs/version-v1.5/host/host.md").as_deref(),
        Some("/v1.5/host/")
    );
    assert_eq!(
        site.doc_id("versioned_docs/version-v1.5/host/host.md"),
        Some("host/host-management")
    );
    assert_eq!(
        url("i18n/zh/docusaurus-plugin-content-docs/current/index.md").as_deref(),
        Some("/zh/v1.7/")
    );
    assert_eq!(
        site.file_at_url("/v1.5/advanced/index/"),
        Some("versioned_docs/version-v1.5/advanced/settings.md")
    );
    assert_eq!(
        site.resolve_doc_id(
            "versioned_docs/version-v1.5/terraform/_category_.json",
            "terraform-provider"
        )
        .as_deref(),
        Some("versioned_docs/version-v1.5/terraform/terraform-provider.md")
    );
    // The translated root falls back to the docs it translates for a bare `.md` path.
    assert_eq!(
        site.resolve_link(
            "i18n/zh/docusaurus-plugin-content-docs/current/index.md",
            "install/harvester-configuration.md#installskipchecks"
        ),
        Resolution::File {
            path: "docs/install/harvester-configuration.md".into(),
            fragment: Some("installskipchecks".into()),
        }
    );
}

/// The corpus copy leaves binary assets out (PNG, JPG, GIF…), so image references to them
/// cannot resolve there; upstream has the files.
fn is_left_out_binary(target: &str) -> bool {
    let path = target
        .split(['#', '?'])
        .next()
        .unwrap_or(target)
        .to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico"]
        .iter()
        .any(|e| path.ends_with(e))
}

#[test]
fn corpus_broken_links_are_the_known_ones() {
    let Some(dir) = common::corpus_dir() else { return };
    let checked = check_tree(&dir).expect("corpus readable");
    let mut by_reason: BTreeMap<Reason, usize> = BTreeMap::new();
    for b in &checked.broken {
        *by_reason.entry(b.reason).or_default() += 1;
    }
    eprintln!(
        "corpus: references {:?}, external {}, fragments checked {}, broken {}: {:?}",
        checked.references,
        checked.external,
        checked.fragments,
        checked.broken.len(),
        by_reason
    );
    // Every missing image is a binary asset the corpus copy leaves out.
    let images: Vec<&BrokenLink> = checked
        .broken
        .iter()
        .filter(|b| b.reason == Reason::MissingImage)
        .collect();
    assert!(
        images.iter().all(|b| is_left_out_binary(&b.target)),
        "{:#?}",
        images.iter().find(|b| !is_left_out_binary(&b.target))
    );
    // Every generated target is in the OpenAPI docs of a version that generates them.
    for b in checked.broken.iter().filter(|b| b.reason == Reason::Generated) {
        assert!(b.why.contains("/api` is generated"), "{b}");
    }
    // What is broken upstream itself: renamed headings, a doubled `#`, untranslated zh
    // targets behind `../`, and a Markdown link written `[etcd]((https://…))`.
    let real: Vec<String> = checked
        .broken
        .iter()
        .filter(|b| !matches!(b.reason, Reason::MissingImage | Reason::Generated))
        .map(|b| format!("{}:{} {} {}", b.file, b.line, b.reason, b.target))
        .collect();
    let want_real = [
        "docs/advanced/csidriver.md:172 missing anchor ../advanced/storageclass.md##containerized-data-importer-cdi-settings",
        "docs/advanced/settings.md:71 missing anchor ../host/host.md#rotate-expiring-certificates",
        "docs/upgrade/v1-1-2-to-v1-2-0.md:691 missing anchor ../troubleshooting/monitoring.md#the-state-of-the-rancher-monitoring-crd-managedchart-is-modified",
        "docs/vm/backup-restore.md:240 missing anchor #filesystem-freeze-error-in-a-rhel-9-virtual-machine",
        "i18n/zh/docusaurus-plugin-content-docs/current/rancher/node/node-driver.md:21 missing file ../../image/upload-image.md#通过本地文件上传镜像",
        "i18n/zh/docusaurus-plugin-content-docs/current/vm/create-windows-vm.md:59 missing file ../image/upload-image.md",
        "versioned_docs/version-v1.1/install/management-address.md:37 missing anchor #finding-which-node-the-vip-is-on",
        "versioned_docs/version-v1.1/networking/harvester-network.md:98 missing anchor ./harvester-network.md#how-to-use-vlan-network",
        "versioned_docs/version-v1.2/install/management-address.md:37 missing anchor #finding-which-node-the-vip-is-on",
        "versioned_docs/version-v1.2/install/requirements.md:30 missing url (https://support.scc.suse.com/s/kb/360045276411)",
        "versioned_docs/version-v1.2/install/requirements.md:30 missing url (https://support.scc.suse.com/s/kb/360045276411)",
        "versioned_docs/version-v1.2/networking/best-practice.md:170 missing anchor #pre-check",
        "versioned_docs/version-v1.2/networking/harvester-network.md:98 missing anchor ./harvester-network.md#how-to-use-vlan-network",
        "versioned_docs/version-v1.2/upgrade/v1-1-2-to-v1-2-0.md:691 missing anchor ../troubleshooting/monitoring.md#the-state-of-the-rancher-monitoring-crd-managedchart-is-modified",
        "versioned_docs/version-v1.3/networking/best-practice.md:170 missing anchor #pre-check",
        "versioned_docs/version-v1.3/networking/harvester-network.md:98 missing anchor ./harvester-network.md#how-to-use-vlan-network",
        "versioned_docs/version-v1.3/upgrade/v1-1-2-to-v1-2-0.md:691 missing anchor ../troubleshooting/monitoring.md#the-state-of-the-rancher-monitoring-crd-managedchart-is-modified",
        "versioned_docs/version-v1.4/advanced/settings.md:71 missing anchor ../host/host.md#rotate-expiring-certificates",
        "versioned_docs/version-v1.4/getting-started/deploy-ha-cluster.md:83 missing anchor ../networking/clusternetwork.md#how-to-create-a-new-cluster-network",
        "versioned_docs/version-v1.4/networking/best-practice.md:170 missing anchor #pre-check",
        "versioned_docs/version-v1.4/networking/best-practice.md:182 missing anchor ./clusternetwork.md#how-to-create-a-new-cluster-network",
        "versioned_docs/version-v1.4/networking/harvester-network.md:106 missing anchor ./harvester-network.md#how-to-use-vlan-network",
        "versioned_docs/version-v1.4/upgrade/v1-1-2-to-v1-2-0.md:76 missing anchor ./troubleshooting.md#start-over-an-upgrade",
        "versioned_docs/version-v1.4/upgrade/v1-1-2-to-v1-2-0.md:691 missing anchor ../troubleshooting/monitoring.md#the-state-of-the-rancher-monitoring-crd-managedchart-is-modified",
        "versioned_docs/version-v1.4/vm/backup-restore.md:246 missing anchor ./backup-restore.md#failed-to-freeze-filesystem-for-a-running-rhel9-guest-vm",
        "versioned_docs/version-v1.5/advanced/settings.md:71 missing anchor ../host/host.md#rotate-expiring-certificates",
        "versioned_docs/version-v1.5/upgrade/v1-1-2-to-v1-2-0.md:691 missing anchor ../troubleshooting/monitoring.md#the-state-of-the-rancher-monitoring-crd-managedchart-is-modified",
        "versioned_docs/version-v1.5/vm/backup-restore.md:217 missing anchor #filesystem-freeze-error-in-a-rhel-9-virtual-machine",
        "versioned_docs/version-v1.6/advanced/csidriver.md:172 missing anchor ../advanced/storageclass.md##containerized-data-importer-cdi-settings",
        "versioned_docs/version-v1.6/advanced/settings.md:71 missing anchor ../host/host.md#rotate-expiring-certificates",
        "versioned_docs/version-v1.6/upgrade/v1-1-2-to-v1-2-0.md:691 missing anchor ../troubleshooting/monitoring.md#the-state-of-the-rancher-monitoring-crd-managedchart-is-modified",
        "versioned_docs/version-v1.6/vm/backup-restore.md:240 missing anchor #filesystem-freeze-error-in-a-rhel-9-virtual-machine",
    ];
    assert_eq!(real, want_real);
    let want: BTreeMap<Reason, usize> = [
        (Reason::MissingFile, 2),
        (Reason::MissingUrl, 2),
        (Reason::MissingImage, 4004),
        (Reason::MissingAnchor, 28),
    ]
    .into_iter()
    .collect();
    assert_eq!(by_reason, want);
    // Every reference into the OpenAPI docs' generated folders (564 sidebar ids of
    // v1.1-v1.6 and 7 links) names a page the plugin generates from the corpus's specs:
    // none is set aside (`Reason::Generated`) any more.
    assert_eq!(checked.generated, 571);
    let counts: Vec<(ReferenceKind, usize)> = checked.references.into_iter().collect();
    assert_eq!(
        counts,
        [
            (ReferenceKind::Link, 7658),
            (ReferenceKind::Image, 4051),
            (ReferenceKind::DocId, 607),
            (ReferenceKind::SidebarDir, 9),
        ]
    );
    assert_eq!((checked.external, checked.fragments), (4334, 2190));
}

#[test]
fn corpus_every_doc_has_a_url_and_urls_are_unique_per_version() {
    let Some(dir) = common::corpus_dir() else { return };
    let site = Site::load(&dir).expect("corpus readable");
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut docs = 0;
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = entry.expect("corpus readable");
        let path = entry
            .path()
            .strip_prefix(&dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !(path.starts_with("docs/") || path.starts_with("versioned_docs/")) || !path.ends_with(".md") {
            continue;
        }
        let url = site.doc_url(&path).unwrap_or_else(|| panic!("{path} has no URL"));
        if let Some(other) = seen.insert(url.clone(), path.clone()) {
            panic!("{path} and {other} are both served at {url}");
        }
        assert_eq!(site.file_at_url(&url), Some(path.as_str()));
        docs += 1;
    }
    assert!(docs > 600, "{docs}");
}

/// `links --rules`: the paths the rules leave out of the output (`[files] omit`) are checked
/// as absent, so a page linking into one is broken in the branded site; without the rules
/// the same tree is whole.
#[test]
fn links_with_rules_check_left_out_paths_as_absent() {
    let tmp = tempfile::TempDir::new().unwrap();
    let root = tmp.path();
    for (path, text) in [
        ("docusaurus.config.js", "module.exports = {};\n"),
        (
            "docs/a.md",
            "# A\n\nSee [the workflow](/files/ci.yml) and [B](b.md).\n",
        ),
        ("docs/b.md", "# B\n"),
        ("static/files/ci.yml", "on: push\n"),
    ] {
        std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
        std::fs::write(root.join(path), text).unwrap();
    }
    let rules = root.join("rules.toml");
    std::fs::write(
        &rules,
        "[files]\nomit = [\"static/files/**\"]\n\n[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n",
    )
    .unwrap();
    let site = root.join("site");
    std::fs::create_dir(&site).unwrap();
    for entry in ["docusaurus.config.js", "docs", "static"] {
        std::fs::rename(root.join(entry), site.join(entry)).unwrap();
    }
    common::rebrand().arg("links").arg(&site).assert().success();
    let out = common::rebrand()
        .arg("links")
        .arg("--rules")
        .arg(&rules)
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("docs/a.md:3: `/files/ci.yml`"), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}
