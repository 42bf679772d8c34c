//! The seeds the project started from (copied into `tests/fixtures/seeds/`): the upstream
//! glossary and the vendor's hand-branded edition of it. rebrand must produce the vendor's
//! target style, without the vendor's hand-made mistakes.

use std::path::Path;

use rebrand::rewrite::Engine;
use rebrand::scan::FileKind;

use crate::common;

/// `text` branded as the glossary page of the docs with the shipped product-name rules and
/// the default anchors (`keep`, which the vendor's hand edit did by hand for some headings).
fn brand_glossary(text: &str) -> String {
    let e = Engine::new(common::load_rules(&common::brand_and_site_config_rules()).unwrap()).unwrap();
    e.rewrite(
        FileKind::Markdown,
        text,
        &e.active("docs/getting-started/glossary.md"),
    )
    .apply(text)
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/seeds")
            .join(name),
    )
    .unwrap()
}

/// Seed 002 is the upstream v0.3 glossary as rendered text, seed 003 the vendor's branded
/// page as rendered text. Branded 002 equals 003 line for line except where the two pages
/// differ upstream (page chrome, RKE1, one sentence) and where the vendor's hand edit went
/// wrong ("Hypervisor hypervisor", a dropped "Driver that").
#[test]
fn branded_upstream_glossary_matches_the_vendor_edition_but_for_its_mistakes() {
    let upstream = fixture("glossary-v0.3-upstream.txt");
    let vendor = fixture("glossary-vendor-branded.txt");
    let ours = brand_glossary(&upstream);
    let differing: Vec<(usize, &str, &str)> = ours
        .lines()
        .zip(vendor.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (a, b))| (i + 1, a, b))
        .collect();
    assert_eq!(ours.lines().count(), vendor.lines().count());
    let lines: Vec<usize> = differing.iter().map(|d| d.0).collect();
    assert_eq!(lines, vec![2, 10, 22, 28, 42], "{differing:#?}");
    // Upstream differences between the two page versions:
    assert_eq!(
        (differing[0].1, differing[0].2),
        ("Version: v0.3", "Versi: Latest")
    );
    assert!(differing[1].1.contains("RKE1, RKE2") && !differing[1].2.contains("RKE1"));
    assert!(differing[3].1.starts_with(differing[3].2));
    // The vendor's mistakes, which rebrand does not repeat:
    assert!(differing[2]
        .1
        .contains("on which the NQRust Hypervisor is installed"));
    assert!(differing[2]
        .2
        .contains("on which the Hypervisor hypervisor is installed"));
    assert_eq!(differing[4].1.strip_prefix("Driver that "), Some(differing[4].2));
}

/// Seed 001 is the v1.7 glossary page as Markdown: branded, it reads like the vendor's
/// edition, keeps its link targets, and pins the anchors of the headings it renames.
#[test]
fn v1_7_glossary_page_reads_like_the_vendor_edition() {
    let upstream = fixture("glossary-v1.7-upstream.md");
    let ours = brand_glossary(&upstream);
    for expected in [
        "## **Hypervisor cluster** {#harvester-cluster}",
        "## **NQRust Hypervisor** {#harvester-hypervisor}",
        "## **Hypervisor ISO** {#harvester-iso}",
        "## **Hypervisor Node Driver** {#harvester-node-driver}",
        "Physical server on which the NQRust Hypervisor is installed.",
        "Group of integrated Kubernetes worker machines that run in virtual machines on top of a Hypervisor cluster.",
        "[directly to Hypervisor clusters](../rancher/rancher-integration.md#harvester-baremetal-container-workload-support-experimental)",
        // The canonical URL is the vendor's site (the `docs-url` rule opts into `url`).
        "<link rel=\"canonical\" href=\"https://docs.nqrhypervisorhci.io/v1.7/getting-started/glossary\"/>",
    ] {
        assert!(ours.contains(expected), "missing: {expected}\n---\n{ours}");
    }
    assert!(!ours.to_lowercase().contains("hypervisor hypervisor"));
    assert!(!ours.contains("Harvester cluster"));
    let targets = |t: &str| -> Vec<String> {
        regex::Regex::new(r"\]\(([^)]*)\)")
            .unwrap()
            .captures_iter(t)
            .map(|c| c[1].to_string())
            .collect()
    };
    // Relative targets stay byte for byte; absolute ones into the docs site move to the vendor's.
    let vendor_site = upstream.replace("https://docs.harvesterhci.io", "https://docs.nqrhypervisorhci.io");
    assert_eq!(targets(&vendor_site), targets(&ours));
}
