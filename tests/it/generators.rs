//! The MkDocs and Hugo examples (`examples/kubevirt-guide`, `examples/longhorn-site`) branded
//! with their own rule files: what each generator's reading keeps and what it follows. The
//! real builds of the same trees are `scripts/oracles/examples.sh`.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::common::{apply_command, rebrand};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

/// Brands `examples/NAME` with its rule file and `extra` rules appended; the output folder.
fn brand(tmp: &TempDir, name: &str, extra: &str) -> PathBuf {
    let rules = tmp.path().join("rules.toml");
    let own = fs::read_to_string(example(&format!("{name}.rebrand.toml"))).unwrap();
    fs::write(&rules, format!("{own}\n{extra}")).unwrap();
    let out = tmp.path().join("out");
    apply_command(&rules, &example(name), &out).assert().success();
    out
}

/// `rebrand links ROOT`'s summary line (on standard error).
fn links_summary(root: &Path) -> String {
    let output = rebrand().arg("links").arg(root).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    stderr
        .lines()
        .find(|l| l.starts_with("rebrand links:"))
        .unwrap_or_else(|| panic!("no summary in {stderr}"))
        .to_string()
}

/// A page and a folder renamed in a Hugo site: the page-URL-relative links to them (Hugo
/// serves `install-with-kubectl.md` at `…/install/install-with-kubectl/`, so
/// `../../accessing-the-ui/longhorn-ingress` is relative to that URL) follow, and the branded
/// site has the same broken links as upstream's (pages the example leaves out), no more.
#[test]
fn a_hugo_rename_is_followed_by_page_url_relative_links() {
    let tmp = TempDir::new().unwrap();
    let out = brand(
        &tmp,
        "longhorn-site",
        "[[rename]]\nfrom = \"longhorn-ingress.md\"\nto = \"storage-ingress.md\"\n\n\
         [[rename]]\nfrom = \"accessing-the-ui\"\nto = \"ui\"\n",
    );
    let docs = out.join("content/docs/1.12.1/deploy");
    assert!(docs.join("ui/storage-ingress.md").is_file());
    assert!(!docs.join("accessing-the-ui").exists());
    let page = fs::read_to_string(docs.join("install/install-with-kubectl.md")).unwrap();
    assert!(
        page.contains("[this section.](../../ui/storage-ingress)"),
        "{page}"
    );
    assert!(page.contains("[these steps.](../../ui)"), "{page}");
    assert!(!page.contains("accessing-the-ui"), "{page}");
    assert_eq!(links_summary(&out), links_summary(&example("longhorn-site")));
}

/// Shortcode calls are byte for byte upstream's, the templates' text is branded and their
/// actions are not, the indented front matter's title is branded.
#[test]
fn hugo_shortcodes_templates_and_front_matter() {
    let tmp = TempDir::new().unwrap();
    let out = brand(&tmp, "longhorn-site", "");
    let calls = |root: &Path| -> Vec<String> {
        let re = regex::Regex::new(r"(?s)\{\{[<%].*?[>%]\}\}").unwrap();
        let mut calls = Vec::new();
        for entry in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let text = fs::read_to_string(entry.path()).unwrap();
                calls.extend(re.find_iter(&text).map(|m| m.as_str().to_string()));
            }
        }
        calls
    };
    let upstream = calls(&example("longhorn-site"));
    assert!(upstream.len() >= 5, "{upstream:?}");
    assert_eq!(calls(&out), upstream);

    let footer = fs::read_to_string(out.join("layouts/partials/footer.html")).unwrap();
    assert!(
        footer.contains("Copyright &copy; {{ $yearString }} NQRust Storage a Series of LF Projects"),
        "{footer}"
    );
    let k3s = "content/docs/1.12.1/advanced-resources/os-distro-specific/csi-on-k3s.md";
    let page = fs::read_to_string(out.join(k3s)).unwrap();
    assert!(
        page.starts_with("---\n  title: NQRust Storage CSI on K3s\n"),
        "{page}"
    );
}

/// `mkdocs.yml` keeps every key and nav target, only its site name and description are
/// branded; a heading whose Python-Markdown `toc` id would move is pinned with that id.
#[test]
fn mkdocs_config_nav_and_toc_ids() {
    let tmp = TempDir::new().unwrap();
    let out = brand(&tmp, "kubevirt-guide", "");
    let upstream = fs::read_to_string(example("kubevirt-guide/mkdocs.yml")).unwrap();
    let branded = fs::read_to_string(out.join("mkdocs.yml")).unwrap();
    let changed: Vec<(&str, &str)> = upstream
        .lines()
        .zip(branded.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        changed.iter().map(|(_, b)| *b).collect::<Vec<_>>(),
        [
            "site_name: NQRust Virt user guide",
            "site_description: Documentation for NQRust Virt"
        ],
        "{changed:?}"
    );
    let page = fs::read_to_string(out.join("docs/user_workloads/instancetypes.md")).unwrap();
    assert!(
        page.contains("### NQRust Virt <= v1.4.0 {#kubevirt-v140}"),
        "{page}"
    );
}

/// Each example's rule file passes its own tests read for its site (`test-rules --site`);
/// the Hugo one's shortcode case fails when read for Docusaurus, where a call is text.
#[test]
fn the_example_rule_files_pass_their_tests_for_their_sites() {
    for name in ["kubevirt-guide", "longhorn-site", "nextra-site", "fumadocs-site"] {
        rebrand()
            .arg("test-rules")
            .arg("--site")
            .arg(example(name))
            .arg(example(&format!("{name}.rebrand.toml")))
            .assert()
            .success();
    }
    let output = rebrand()
        .arg("test-rules")
        .arg(example("longhorn-site.rebrand.toml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("FAIL  shortcode calls"), "{stdout}");
    assert!(stdout.ends_with("1 failed\n"), "{stdout}");
}

/// A page and a folder renamed in an MkDocs site: the navigation follows (the awesome-nav
/// `.nav.yml` entries, a folder's and a page's, and the redirects plugin's targets in
/// `mkdocs.yml`, relative to `docs_dir`), as the pages' links do; the branded site has the
/// same broken links as upstream's.
#[test]
fn an_mkdocs_rename_is_followed_by_the_nav_and_the_redirects() {
    let tmp = TempDir::new().unwrap();
    let out = brand(
        &tmp,
        "kubevirt-guide",
        "[[rename]]\nfrom = \"instancetypes.md\"\nto = \"instance-types.md\"\n\n\
         [[rename]]\nfrom = \"user_workloads\"\nto = \"workloads\"\n",
    );
    assert!(out.join("docs/workloads/instance-types.md").is_file());
    let nav = fs::read_to_string(out.join("docs/.nav.yml")).unwrap();
    assert!(
        nav.contains(": workloads\n") && !nav.contains("user_workloads"),
        "{nav}"
    );
    let section = fs::read_to_string(out.join("docs/workloads/.nav.yml")).unwrap();
    assert!(section.contains("- instance-types.md\n"), "{section}");
    let config = fs::read_to_string(out.join("mkdocs.yml")).unwrap();
    assert!(
        config.contains("'virtual_machines/instancetypes.md': 'workloads/instance-types.md'"),
        "{config}"
    );
    assert!(!config.contains(": 'user_workloads/"), "{config}");
    assert_eq!(links_summary(&out), links_summary(&example("kubevirt-guide")));
}

/// Hugo's `ref`/`relref` calls: `links` checks the page each names as Hugo's page finder
/// does (a missing one fails Hugo's build, `REF_NOT_FOUND`), and a rename retargets them,
/// by file name, relative or from `content/`; the rest of each call stays byte for byte.
#[test]
fn hugo_page_refs_are_checked_and_follow_a_rename() {
    let tmp = TempDir::new().unwrap();
    let site = tmp.path().join("site");
    crate::common::copy_tree(&example("longhorn-site"), &site);
    let page = "content/docs/1.12.1/deploy/accessing-the-ui/refs.md";
    fs::write(
        site.join(page),
        "---\ntitle: Refs\n---\n\nSee [the Ingress]({{< ref \"longhorn-ingress.md\" >}}), \
         [again]({{< relref \"/docs/1.12.1/deploy/accessing-the-ui/longhorn-ingress\" >}}) \
         and [its section]({{< ref path=\"longhorn-ingress#references\" >}}).\n\n\
         Not [here]({{< ref \"missing-page.md\" >}}).\n",
    )
    .unwrap();
    let output = rebrand().arg("links").arg(&site).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let refs: Vec<&str> = stdout.lines().filter(|l| l.starts_with(page)).collect();
    assert_eq!(
        refs,
        [format!("{page}:7: `missing-page.md`: no page of `content/` is `missing-page`").as_str()],
        "{stdout}"
    );
    let rules = tmp.path().join("rules.toml");
    fs::write(
        &rules,
        "[[substitution]]\nfrom = \"Longhorn\"\nto = \"NQRust Storage\"\n\n\
         [[rename]]\nfrom = \"longhorn-ingress.md\"\nto = \"storage-ingress.md\"\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    apply_command(&rules, &site, &out).assert().success();
    let text = fs::read_to_string(out.join(page)).unwrap();
    assert!(text.contains("{{< ref \"storage-ingress.md\" >}}"), "{text}");
    assert!(
        text.contains("{{< relref \"/docs/1.12.1/deploy/accessing-the-ui/storage-ingress\" >}}"),
        "{text}"
    );
    assert!(
        text.contains("{{< ref path=\"storage-ingress#references\" >}}"),
        "{text}"
    );
    assert!(text.contains("{{< ref \"missing-page.md\" >}}"), "{text}");
}

/// The Nextra example (a Nextra 2 site: `pages/`, `_meta.json`, `theme.config.tsx`) branded
/// with its rule file: the `_meta.json` titles are branded and their slug keys, types and
/// URLs kept; the theme config's strings branded and its URLs kept; a rebranded heading's
/// anchor moves (no id written into the MDX 3 page) and the link to it from another page
/// follows; the branded site has the links upstream's has.
#[test]
fn a_nextra_site_brands_its_meta_titles_and_keeps_its_slugs() {
    let tmp = TempDir::new().unwrap();
    let out = brand(&tmp, "nextra-site", "");
    let meta = fs::read_to_string(out.join("pages/_meta.json")).unwrap();
    assert!(
        meta.contains("\"built-ins\": \"NQRust Pages Built-ins\""),
        "{meta}"
    );
    assert!(
        meta.contains("\"title\": \"About NQRust Pages\",\n    \"type\": \"page\""),
        "{meta}"
    );
    assert!(meta.contains("\"index\": \"Introduction\""), "{meta}");
    let nested = fs::read_to_string(out.join("pages/built-ins/_meta.json")).unwrap();
    assert_eq!(
        nested,
        "{\n  \"callout\": \"NQRust Pages Callout\",\n  \"cards\": \"Cards\"\n}\n"
    );
    let theme = fs::read_to_string(out.join("theme.config.tsx")).unwrap();
    assert!(theme.contains("<span>NQRust Pages Docs</span>"), "{theme}");
    assert!(theme.contains("text: 'NQRust Pages Docs Template'"), "{theme}");
    assert!(
        theme.contains("'https://github.com/shuding/nextra-docs-template'"),
        "{theme}"
    );
    let package = fs::read_to_string(out.join("package.json")).unwrap();
    assert!(package.contains("\"nextra\": \"2.13.4\""), "{package}");
    let index = fs::read_to_string(out.join("pages/index.mdx")).unwrap();
    assert!(index.contains("## What is NQRust Pages?\n"), "{index}");
    let about = fs::read_to_string(out.join("pages/about.mdx")).unwrap();
    assert!(
        about.contains("[Why NQRust Pages](/#what-is-nqrust-pages)"),
        "{about}"
    );
    let cards = fs::read_to_string(out.join("pages/built-ins/cards.mdx")).unwrap();
    assert_eq!(
        cards,
        fs::read_to_string(example("nextra-site").join("pages/built-ins/cards.mdx")).unwrap(),
        "imports, JSX props and the code block are kept; the page has no brand in prose"
    );
    assert_eq!(links_summary(&out), links_summary(&example("nextra-site")));
}

/// The Fumadocs example (a create-fumadocs-app starter with real Fumadocs pages) branded with
/// its rule file: `meta.json` titles, descriptions and `pages` separators branded, the
/// page slugs kept; the layout config's title branded; a rebranded heading keeps its anchor with
/// ` [#old-slug]`; the branded site has the links upstream's has.
#[test]
fn a_fumadocs_site_brands_its_meta_titles_and_keeps_its_pages() {
    let tmp = TempDir::new().unwrap();
    let out = brand(&tmp, "fumadocs-site", "");
    let meta = fs::read_to_string(out.join("content/docs/ui/meta.json")).unwrap();
    assert_eq!(
        meta,
        "{\n  \"title\": \"NQRust Docs UI\",\n  \"description\": \"The NQRust Docs framework\",\n  \"root\": true,\n  \"pages\": [\"index\", \"...\", \"components\"]\n}\n"
    );
    let root_meta = fs::read_to_string(out.join("content/docs/meta.json")).unwrap();
    assert!(
        root_meta.contains("\"pages\": [\"index\", \"---NQRust Docs UI---\", \"ui\"]"),
        "{root_meta}"
    );
    let layout = fs::read_to_string(out.join("app/layout.config.tsx")).unwrap();
    assert!(layout.contains("title: 'NQRust Docs Starter'"), "{layout}");
    assert!(layout.contains("from 'fumadocs-ui/layouts/shared'"), "{layout}");
    let page = fs::read_to_string(out.join("content/docs/index.mdx")).unwrap();
    assert!(
        page.contains("<Card title=\"Learn more about NQRust Docs\" href=\"/docs/ui#introduction\" />"),
        "{page}"
    );
    assert!(
        page.contains("\n## About NQRust Docs [#about-fumadocs]\n"),
        "{page}"
    );
    assert_eq!(links_summary(&out), links_summary(&example("fumadocs-site")));
}

/// A page renamed in a Nextra site: its `_meta.json` key follows (the title kept under the
/// new slug), and so do the links to its URL; a folder renamed in a Fumadocs site: the
/// `meta.json` item naming it follows, and the links through it. Both branded sites have the
/// links upstream's has.
#[test]
fn meta_keys_and_items_follow_renames() {
    let tmp = TempDir::new().unwrap();
    let out = brand(
        &tmp,
        "nextra-site",
        "[[rename]]\nfrom = \"cards.mdx\"\nto = \"tiles.mdx\"\n",
    );
    assert!(out.join("pages/built-ins/tiles.mdx").is_file());
    let meta = fs::read_to_string(out.join("pages/built-ins/_meta.json")).unwrap();
    assert_eq!(
        meta,
        "{\n  \"callout\": \"NQRust Pages Callout\",\n  \"tiles\": \"Cards\"\n}\n"
    );
    let index = fs::read_to_string(out.join("pages/index.mdx")).unwrap();
    assert!(index.contains("[Cards](built-ins/tiles)"), "{index}");
    assert_eq!(links_summary(&out), links_summary(&example("nextra-site")));

    // The same in a `_meta.js`: a bare key whose new name is no identifier gets quotes.
    let tmp = TempDir::new().unwrap();
    let site = tmp.path().join("nextra-js");
    crate::common::copy_tree(&example("nextra-site"), &site);
    fs::remove_file(site.join("pages/built-ins/_meta.json")).unwrap();
    fs::write(
        site.join("pages/built-ins/_meta.js"),
        "export default {\n  callout: 'Callout',\n  cards: 'Cards'\n}\n",
    )
    .unwrap();
    let rules = tmp.path().join("rules.toml");
    fs::write(
        &rules,
        "[[rename]]\nfrom = \"cards.mdx\"\nto = \"card-grid.mdx\"\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    apply_command(&rules, &site, &out).assert().success();
    let meta = fs::read_to_string(out.join("pages/built-ins/_meta.js")).unwrap();
    assert_eq!(
        meta,
        "export default {\n  callout: 'Callout',\n  \"card-grid\": 'Cards'\n}\n"
    );
    assert_eq!(links_summary(&out), links_summary(&site));

    let tmp = TempDir::new().unwrap();
    let out = brand(
        &tmp,
        "fumadocs-site",
        "[[rename]]\nfrom = \"components\"\nto = \"widgets\"\n",
    );
    assert!(out.join("content/docs/ui/widgets/callout.mdx").is_file());
    let meta = fs::read_to_string(out.join("content/docs/ui/meta.json")).unwrap();
    assert!(
        meta.contains("\"pages\": [\"index\", \"...\", \"widgets\"]"),
        "{meta}"
    );
    let page = fs::read_to_string(out.join("content/docs/index.mdx")).unwrap();
    assert!(page.contains("](/docs/ui/widgets/callout#usage)"), "{page}");
    assert_eq!(links_summary(&out), links_summary(&example("fumadocs-site")));
}
