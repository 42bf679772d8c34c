//! The Docusaurus 3 example (`examples/docusaurus3-site`, real Harvester pages in a
//! `create-docusaurus` classic site pinned to Docusaurus 3.10) branded with its own rule file:
//! what rebrand writes for a Docusaurus 3 site that the real build then judges
//! (`scripts/oracles/docusaurus3.sh` builds both trees, broken links and anchors throwing).

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::common::{apply_command, rebrand};

fn site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/docusaurus3-site")
}

fn rules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/docusaurus3-site.rebrand.toml")
}

/// The example branded into `tmp/out`.
fn brand(tmp: &TempDir) -> PathBuf {
    let out = tmp.path().join("out");
    apply_command(&rules(), &site(), &out).assert().success();
    out
}

fn read(root: &Path, path: &str) -> String {
    fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every fenced code block of a page (from its opening fence to its closing one), in order.
fn fenced_blocks(page: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, Vec<&str>)> = None;
    for line in page.lines() {
        let trimmed = line.trim_start();
        match &mut open {
            None if trimmed.starts_with("```") => {
                let fence = trimmed.chars().take_while(|&c| c == '`').collect::<String>();
                open = Some((fence, vec![line]));
            }
            None => {}
            Some((fence, lines)) => {
                lines.push(line);
                if trimmed.starts_with(fence.as_str()) && trimmed.trim_end() == fence.as_str() {
                    blocks.push(lines.join("\n"));
                    open = None;
                }
            }
        }
    }
    blocks
}

/// The pages of the example, as the tree holds them.
const PAGES: [&str; 5] = [
    "docs/index.md",
    "docs/getting-started/glossary.md",
    "docs/install/usb-install.md",
    "docs/volume/create-volume.mdx",
    "docs/faq.md",
];

/// A rebranded heading keeps its anchor with the escaped pin MDX 3 compiles (` \{#id\}`), in
/// `.md` and `.mdx` pages alike (Docusaurus 3 reads both as MDX); the links to those anchors,
/// across pages and within one, are written as they were and still resolve.
#[test]
fn rebranded_headings_keep_their_anchors_with_escaped_pins() {
    let tmp = TempDir::new().unwrap();
    let out = brand(&tmp);
    let index = read(&out, "docs/index.md");
    assert!(
        index.contains("\n## Hypervisor Architecture \\{#harvester-architecture\\}\n"),
        "{index}"
    );
    let glossary = read(&out, "docs/getting-started/glossary.md");
    assert!(
        glossary.contains("[software stack](../index.md#harvester-architecture)"),
        "{glossary}"
    );
    assert!(
        glossary.contains("\n## **Hypervisor cluster** \\{#harvester-cluster\\} \n"),
        "{glossary}"
    );
    assert!(
        glossary.contains("\n## **NQRust Hypervisor** \\{#harvester-hypervisor\\} \n"),
        "{glossary}"
    );
    let usb = read(&out, "docs/install/usb-install.md");
    let id = "harvester-interactive-iso-hangs-with-the-usb-installation-method";
    assert!(
        usb.contains(&format!(
            "[Hypervisor interactive ISO hangs with the USB installation method](#{id})"
        )),
        "{usb}"
    );
    assert!(
        usb.contains(&format!(
            "### Hypervisor interactive ISO hangs with the USB installation method \\{{#{id}\\}}\n"
        )),
        "{usb}"
    );
    // No unescaped pin anywhere: MDX 3 would read `{#id}` as an expression and fail.
    for page in PAGES {
        let text = read(&out, page);
        assert!(!text.contains(" {#"), "{page}: {text}");
    }
}

/// `rebrand links` on the branded tree finds every link and anchor resolving, as upstream:
/// the cross-page `../index.md#harvester-architecture` and the in-page
/// `#harvester-interactive-…` point at the pinned headings.
#[test]
fn the_branded_tree_links_resolve_as_upstream() {
    let tmp = TempDir::new().unwrap();
    let out = brand(&tmp);
    let summary = |root: &Path| {
        let output = rebrand().arg("links").arg(root).output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stderr = String::from_utf8(output.stderr).unwrap();
        stderr
            .lines()
            .find(|l| l.starts_with("rebrand links:"))
            .unwrap_or_else(|| panic!("no summary in {stderr}"))
            .to_string()
    };
    let branded = summary(&out);
    assert!(branded.contains("2 #fragments checked, 0 broken"), "{branded}");
    assert_eq!(branded, summary(&site()));
}

/// JSX in a page: the `alt` prop is prose, the `src` and the element are kept; the `<head>`
/// element's canonical `href`, the Tabs' `value`/`label` and the iframe's `src` too.
#[test]
fn jsx_prose_props_are_branded_and_urls_kept() {
    let tmp = TempDir::new().unwrap();
    let out = brand(&tmp);
    let index = read(&out, "docs/index.md");
    assert!(
        index.contains("\n<img alt=\"Hypervisor architecture\" src=\"/img/v1.2/architecture.svg\" />\n"),
        "{index}"
    );
    assert!(
        index.contains("<link rel=\"canonical\" href=\"https://docs.harvesterhci.io/v1.6\"/>"),
        "{index}"
    );
    assert!(
        index.contains("src=\"https://www.youtube.com/embed/Ngsk7m6NYf4\""),
        "{index}"
    );
    let volume = read(&out, "docs/volume/create-volume.mdx");
    assert!(
        volume.contains("<TabItem value=\"terraform\" label=\"Terraform\">"),
        "{volume}"
    );
    assert!(
        volume.contains(
            "[Hypervisor Terraform Provider](https://registry.terraform.io/providers/harvester/harvester/latest)"
        ),
        "{volume}"
    );
}

/// Every fenced code block of every page is byte for byte upstream's, those naming the product
/// too (`harvester_volume`, `harvester.iso`, `rancher/harvester-upgrade`).
#[test]
fn code_blocks_are_untouched() {
    let tmp = TempDir::new().unwrap();
    let out = brand(&tmp);
    let mut naming = 0;
    for page in PAGES {
        let upstream = fenced_blocks(&read(&site(), page));
        let branded = fenced_blocks(&read(&out, page));
        assert_eq!(branded, upstream, "{page}");
        naming += upstream
            .iter()
            .filter(|b| b.to_lowercase().contains("harvester"))
            .count();
    }
    assert!(naming >= 3, "{naming} code blocks name the product");
    let volume = read(&out, "docs/volume/create-volume.mdx");
    assert!(
        volume.contains("```hcl\nresource \"harvester_volume\" \"empty-volume\" {\n"),
        "{volume}"
    );
}

/// The site configuration: the title, the navbar's title and logo alt,
/// the footer labels are branded; the URLs, the edit URL, the logo file and the options that
/// make the build strict are upstream's. `package.json` changes its description only, the
/// lock not at all (the branded tree installs what upstream's does).
#[test]
fn the_config_title_is_branded_and_the_rest_kept() {
    let tmp = TempDir::new().unwrap();
    let out = brand(&tmp);
    let upstream = read(&site(), "docusaurus.config.js");
    let branded = read(&out, "docusaurus.config.js");
    let changed: Vec<(&str, &str)> = upstream
        .lines()
        .zip(branded.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed.iter().map(|(_, b)| b.trim()).collect::<Vec<_>>(),
        [
            "title: 'Hypervisor',",
            "title: 'Hypervisor',",
            "alt: 'Hypervisor Logo',",
            "label: 'Hypervisor Overview',",
            "label: 'Hypervisor on GitHub',",
        ],
        "{changed:?}"
    );
    assert_eq!(upstream.lines().count(), branded.lines().count());
    for kept in [
        "url: 'https://docs.harvesterhci.io',",
        "editUrl: 'https://github.com/harvester/docs/edit/main/',",
        "src: 'img/logo_horizontal.svg',",
        "onBrokenAnchors: 'throw',",
        "onBrokenMarkdownLinks: 'throw',",
    ] {
        assert!(branded.contains(kept), "{kept}: {branded}");
    }
    let package = read(&out, "package.json");
    assert!(
        package.contains("\"description\": \"Hypervisor documentation pages built with Docusaurus 3"),
        "{package}"
    );
    assert_eq!(
        read(&out, "package-lock.json"),
        read(&site(), "package-lock.json")
    );
}

/// The rule file's own tests pass, read for the site (Docusaurus 3: MDX 3 pages, escaped pins).
#[test]
fn the_rule_file_passes_its_tests_for_the_site() {
    rebrand()
        .arg("test-rules")
        .arg("--site")
        .arg(site())
        .arg(rules())
        .assert()
        .success();
}
