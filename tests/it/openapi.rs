//! The pages docusaurus-plugin-openapi-docs generates at build time (issue 14): `links`
//! checks references to them against the pages the specs of the tree generate, and `apply`
//! retargets those references when the rules rename a page (a rewritten `info.title` names
//! the API introduction page). On a cut-down fixture of the Harvester docs' OpenAPI docs
//! (`tests/fixtures/openapi/`), and on the whole corpus with the shipped rules (skipped with
//! a message when absent).

use std::fs;
use std::path::{Path, PathBuf};

use rebrand::rewrite::Engine;
use rebrand::site::links::{check_tree, Reason};
use rebrand::tree::{self, ApplyOptions};
use tempfile::TempDir;

use crate::common;

use crate::common::{copy_tree, rebrand};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openapi")
}

fn input() -> PathBuf {
    fixture().join("input")
}

const SIDEBAR: &str = "versioned_sidebars/version-v1.6-sidebars.json";
const UPLOAD_IMAGE: &str = "versioned_docs/version-v1.6/image/upload-image.md";

fn read(root: &Path, rel: &str) -> String {
    fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn links_finds_every_generated_page_of_the_untouched_fixture() {
    let out = rebrand().arg("links").arg(input()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert!(
        stderr.contains(
            "9 references to pages the OpenAPI docs plugin generates from the specs of the tree are found"
        ),
        "{stderr}"
    );
    let checked = check_tree(&input()).unwrap();
    assert_eq!((checked.generated, checked.broken.len()), (9, 0));
}

#[test]
fn links_fails_on_a_sidebar_naming_a_page_the_spec_no_longer_generates() {
    let tmp = TempDir::new().unwrap();
    let tree = tmp.path().join("tree");
    copy_tree(&input(), &tree);
    // The title changed by hand, as the shipped rules change it: the plugin now writes
    // `hypervisor-apis.info.mdx`, and the sidebar and two links still name `harvester-apis`.
    let spec = tree.join("api/v1.6-swagger.json");
    let text = fs::read_to_string(&spec).unwrap();
    fs::write(&spec, text.replace("\"Harvester APIs\"", "\"Hypervisor APIs\"")).unwrap();

    let out = rebrand().arg("links").arg(&tree).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let why = "no page `api/harvester-apis` is generated from `api/v1.6-swagger.json` into \
               `versioned_docs/version-v1.6/api`; its info page is `api/hypervisor-apis`";
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "{UPLOAD_IMAGE}:10: `../api/harvester-apis`: {why}\n\
             {UPLOAD_IMAGE}:10: `/v1.6/api/harvester-apis/`: {why}\n\
             {SIDEBAR}:21: `api/harvester-apis`: {why}\n"
        )
    );
    assert!(stderr.contains("3 broken: 3 missing generated pages"), "{stderr}");
    let checked = check_tree(&tree).unwrap();
    assert!(checked
        .broken
        .iter()
        .all(|b| b.reason == Reason::MissingGenerated));
    // The dev spec (docs/api) is untouched: its pages are still found.
    assert_eq!(checked.generated, 6);

    // An operation the spec does not have is broken too, with the closest one it has.
    let sidebar = tree.join(SIDEBAR);
    let text = fs::read_to_string(&sidebar).unwrap();
    fs::write(
        &sidebar,
        text.replace("api/list-namespaced-key-pair", "api/list-namespaced-key-pairs"),
    )
    .unwrap();
    let broken = check_tree(&tree).unwrap().broken;
    let pairs = broken
        .iter()
        .find(|b| b.target == "api/list-namespaced-key-pairs")
        .unwrap();
    assert_eq!(pairs.reason, Reason::MissingGenerated);
    assert!(
        pairs
            .why
            .ends_with("; did you mean `api/list-namespaced-key-pair`?"),
        "{}",
        pairs.why
    );
}

#[test]
fn links_sets_aside_what_no_spec_of_the_tree_tells() {
    let tmp = TempDir::new().unwrap();
    let tree = tmp.path().join("tree");
    copy_tree(&input(), &tree);
    fs::remove_file(tree.join("api/v1.6-swagger.json")).unwrap();
    let checked = check_tree(&tree).unwrap();
    let aside: Vec<&str> = checked
        .broken
        .iter()
        .filter(|b| b.reason == Reason::Generated)
        .map(|b| b.target.as_str())
        .collect();
    // The sidebar's four ids and the four links of v1.6's pages into its API folder.
    assert_eq!(aside.len(), 8, "{aside:?}");
    assert!(checked.broken.iter().all(|b| b.reason == Reason::Generated));
    // The link of the current version's page into the folder the dev spec generates.
    assert_eq!(checked.generated, 1);
}

#[test]
fn apply_retargets_references_to_the_renamed_info_page_byte_for_byte() {
    let tmp = TempDir::new().unwrap();
    let out_dir = tmp.path().join("branded");
    let redirects = tmp.path().join("redirects.json");
    let out = rebrand()
        .current_dir(fixture())
        .args(["apply", "--rules", "rules.toml", "input", "--out"])
        .arg(&out_dir)
        .arg("--redirects")
        .arg(&redirects)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("3 references rewritten"), "{stderr}");

    // The sidebar: the brand in its prose, and the introduction's id; nothing else.
    let upstream = read(&input(), SIDEBAR);
    let want = upstream
        .replace(
            "\"id\": \"api/harvester-apis\"",
            "\"id\": \"api/hypervisor-apis\"",
        )
        .replace("Harvester", "Hypervisor");
    assert_eq!(read(&out_dir, SIDEBAR), want);
    assert!(read(&out_dir, SIDEBAR).contains("\n            \"id\": \"api/hypervisor-apis\"\n"));
    // Links to the page, relative and absolute, keep their form.
    assert!(read(&out_dir, UPLOAD_IMAGE).ends_with(
        "The API is introduced in [Hypervisor APIs](../api/hypervisor-apis) and [the API page](/v1.6/api/hypervisor-apis/).\n"
    ));
    // Links to operation pages do not move.
    assert_eq!(
        read(&out_dir, "versioned_docs/version-v1.6/vm/create-vm.md"),
        read(&input(), "versioned_docs/version-v1.6/vm/create-vm.md")
    );
    // The spec itself: only its title.
    assert_eq!(
        read(&out_dir, "api/v1.6-swagger.json"),
        read(&input(), "api/v1.6-swagger.json").replace("\"Harvester APIs\"", "\"Hypervisor APIs\"")
    );
    // The page's URL moved: a redirect for each version.
    let json: serde_json::Value = serde_json::from_str(&fs::read_to_string(&redirects).unwrap()).unwrap();
    assert_eq!(
        json,
        serde_json::json!([
            {"from": "/v1.6/api/harvester-apis", "to": "/v1.6/api/hypervisor-apis"},
            {"from": "/v1.7/api/harvester-apis", "to": "/v1.7/api/hypervisor-apis"},
        ])
    );

    let links = rebrand().arg("links").arg(&out_dir).output().unwrap();
    assert_eq!(
        links.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&links.stdout),
        String::from_utf8_lossy(&links.stderr)
    );
    assert_eq!(check_tree(&out_dir).unwrap().generated, 9);
}

/// The whole corpus with the shipped rules (issue 14): Docusaurus refused the branded
/// edition because its versioned sidebars named `api/harvester-apis`, a page the branded
/// specs no longer generate.
#[test]
fn corpus_branded_sidebars_name_the_info_page_the_branded_specs_generate() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let path = common::shipped_rules();
    let rules = common::parse_rules(&path, &fs::read_to_string(&path).unwrap()).expect("rules load");
    let engine = Engine::new(rules).expect("rules compile");
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("branded");
    tree::apply(&engine, &corpus, &out, &ApplyOptions::default()).expect("the corpus brands");

    let mut sidebars = 0;
    for entry in fs::read_dir(corpus.join("versioned_sidebars")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let rel = format!("versioned_sidebars/{name}");
        let upstream = read(&corpus, &rel);
        if !upstream.contains("\"api/harvester-apis\"") {
            continue;
        }
        sidebars += 1;
        let branded = read(&out, &rel);
        // Line by line: the id line is the only one that changes but for the brand in prose.
        for (old, new) in upstream.lines().zip(branded.lines()) {
            if old.contains("\"api/harvester-apis\"") {
                assert_eq!(
                    new,
                    old.replace("api/harvester-apis", "api/hypervisor-apis"),
                    "{rel}"
                );
            } else if !old.contains("Harvester") {
                assert_eq!(new, old, "{rel}");
            }
        }
        assert_eq!(upstream.lines().count(), branded.lines().count(), "{rel}");
    }
    // v1.1 to v1.6 name the introduction page.
    assert_eq!(sidebars, 6);

    let checked = check_tree(&out).unwrap();
    let missing: Vec<String> = checked
        .broken
        .iter()
        .filter(|b| matches!(b.reason, Reason::MissingGenerated | Reason::Generated))
        .map(|b| b.to_string())
        .collect();
    assert_eq!(missing, Vec::<String>::new());
    assert_eq!(checked.generated, 571);
}
