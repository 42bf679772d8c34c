//! The Docusaurus site model, read from small trees as Docusaurus reads them.

use super::config::*;
use super::routes::*;
use super::versions::*;
use super::*;

/// The Harvester config, cut down to what the model reads.
const CONFIG: &str = r#"const config = {
  url: "https://docs.harvesterhci.io",
  baseUrl: "/",
  i18n: { defaultLocale: "en", locales: ["en"] },
  presets: [['classic', ({
  docs: {
    routeBasePath: '/',
    sidebarPath: require.resolve("./sidebars.js"),
    lastVersion: 'v1.6',
    versions: {
      current: { label: 'v1.7 (Dev)', path: 'v1.7' },
      "v1.6": { label: 'v1.6 (Latest)', path: 'v1.6' },
      "v1.5": { label: 'v1.5', path: 'v1.5', banner: `none` },
    }
  },
  })]],
  plugins: [["docusaurus-plugin-openapi-docs", { config: { api: {
  outputDir: "docs/api", // output directory for generated *.mdx and sidebar.js files
  versions: { "v1.6": { specPath: "api/v1.6-swagger.json", outputDir: "versioned_docs/version-v1.6/api", baseUrl: "/v1.6/api" } },
  } } }]],
};"#;

fn site(files: &[(&str, &str)]) -> Site {
    let mut map: BTreeMap<String, Option<String>> = files
        .iter()
        .map(|(p, t)| (p.to_string(), Some(t.to_string())))
        .collect();
    map.entry("docusaurus.config.js".into())
        .or_insert(Some(CONFIG.into()));
    map.entry("versions.json".into())
        .or_insert(Some(r#"["v1.6", "v1.5"]"#.into()));
    Site::from_files(&map)
}

fn file(path: &str, fragment: Option<&str>) -> Resolution {
    Resolution::File {
        path: path.into(),
        fragment: fragment.map(String::from),
    }
}

#[test]
fn config_is_read_best_effort() {
    let c = Config::parse(CONFIG);
    assert_eq!(c.base_url, "/");
    assert_eq!(c.url.as_deref(), Some("https://docs.harvesterhci.io"));
    assert_eq!(c.route_base_path, "");
    assert_eq!(c.last_version.as_deref(), Some("v1.6"));
    assert_eq!(c.version_paths["current"], "v1.7");
    assert_eq!(c.version_paths["v1.5"], "v1.5");
    assert_eq!(c.generated_dirs, ["docs/api", "versioned_docs/version-v1.6/api"]);
    let d = Config::parse("module.exports = { title: 'x' };");
    assert_eq!((d.base_url.as_str(), d.route_base_path.as_str()), ("/", "docs"));
}

#[test]
fn version_paths_default_without_config() {
    let names = ["2.0".to_string(), "1.0".to_string()];
    let v = versions(&Config::default(), &names);
    let paths: Vec<_> = v
        .iter()
        .map(|v| (v.name.as_str(), v.path.as_str(), v.dir.as_str()))
        .collect();
    assert_eq!(
        paths,
        [
            ("current", "next", "docs"),
            ("2.0", "", "versioned_docs/version-2.0"),
            ("1.0", "1.0", "versioned_docs/version-1.0")
        ]
    );
}

#[test]
fn versioned_doc_urls() {
    let s = site(&[
        (
            "versioned_docs/version-v1.5/install/harvester-configuration.md",
            "# Config\n",
        ),
        ("docs/install/harvester-configuration.md", "# Config\n"),
    ]);
    assert_eq!(
        s.doc_url("versioned_docs/version-v1.5/install/harvester-configuration.md")
            .as_deref(),
        Some("/v1.5/install/harvester-configuration")
    );
    assert_eq!(
        s.doc_url("docs/install/harvester-configuration.md").as_deref(),
        Some("/v1.7/install/harvester-configuration")
    );
    assert_eq!(
        s.doc_id("versioned_docs/version-v1.5/install/harvester-configuration.md"),
        Some("install/harvester-configuration")
    );
}

#[test]
fn front_matter_id_renames_the_last_segment() {
    // versioned_docs/version-v1.5/monitoring/harvester-monitoring.md
    let s = site(&[(
        "versioned_docs/version-v1.5/monitoring/harvester-monitoring.md",
        "---\nsidebar_position: 1\nsidebar_label: Monitoring\ntitle: \"Monitoring\"\nid: harvester-monitoring\n---\n",
    ), (
        // docs/networking/clusternetwork.md: `id: index` makes its URL `.../networking/index`
        "docs/networking/clusternetwork.md",
        "---\nid: index\nsidebar_position: 1\n---\n",
    )]);
    assert_eq!(
        s.doc_id("versioned_docs/version-v1.5/monitoring/harvester-monitoring.md"),
        Some("monitoring/harvester-monitoring")
    );
    assert_eq!(
        s.doc_id("docs/networking/clusternetwork.md"),
        Some("networking/index")
    );
    assert_eq!(
        s.doc_url("docs/networking/clusternetwork.md").as_deref(),
        Some("/v1.7/networking/index")
    );
}

#[test]
fn category_index_and_root_slug() {
    let s = site(&[
        // docs/host/host.md has `id: host-management` and is served at the folder URL.
        ("docs/host/host.md", "---\nid: host-management\n---\n"),
        (
            "docs/index.md",
            "---\nsidebar_position: 1\nslug: /\ntitle: \"Harvester Overview\"\n---\n",
        ),
        ("docs/install/index.md", "# Install\n"),
        ("docs/upgrade/README.md", "# Readme\n"),
        (
            "versioned_docs/version-v1.6/vm/index.mdx",
            "---\nslug: ./virtual-machines\n---\n",
        ),
    ]);
    assert_eq!(s.doc_url("docs/host/host.md").as_deref(), Some("/v1.7/host/"));
    assert_eq!(s.doc_id("docs/host/host.md"), Some("host/host-management"));
    assert_eq!(s.doc_url("docs/index.md").as_deref(), Some("/v1.7/"));
    assert_eq!(
        s.doc_url("docs/install/index.md").as_deref(),
        Some("/v1.7/install/")
    );
    assert_eq!(s.file_at_url("/v1.7/install"), Some("docs/install/index.md"));
    assert_eq!(
        s.doc_url("docs/upgrade/README.md").as_deref(),
        Some("/v1.7/upgrade/")
    );
    assert_eq!(
        s.doc_url("versioned_docs/version-v1.6/vm/index.mdx").as_deref(),
        Some("/v1.6/vm/virtual-machines")
    );
    assert_eq!(s.file_at_url("/v1.7/"), Some("docs/index.md"));
    assert_eq!(s.file_at_url("/v1.7"), Some("docs/index.md"));
}

#[test]
fn number_prefixes_are_stripped() {
    assert_eq!(strip_number_prefix("01-intro"), "intro");
    assert_eq!(strip_number_prefix("003 - doc"), "doc");
    assert_eq!(strip_number_prefix("2021-01-01-post"), "2021-01-01-post");
    assert_eq!(strip_number_prefix("1.2-notes"), "1.2-notes");
    assert_eq!(strip_number_prefix("v1-5-x-to-v1-6-x"), "v1-5-x-to-v1-6-x");
    let s = site(&[("docs/02-install/01-iso.md", "# ISO\n")]);
    assert_eq!(s.doc_id("docs/02-install/01-iso.md"), Some("install/iso"));
    assert_eq!(
        s.doc_url("docs/02-install/01-iso.md").as_deref(),
        Some("/v1.7/install/iso")
    );
}

#[test]
fn translations_and_pages() {
    let s = site(&[
        ("docs/index.md", "---\nslug: /\n---\n"),
        ("docs/airgap.md", "# Airgap\n"),
        (
            "i18n/zh/docusaurus-plugin-content-docs/current/index.md",
            "---\nslug: /\n---\n",
        ),
        ("src/pages/v1.0/dev/dev-mode.md", "# Dev\n"),
        ("src/pages/index.js", ""),
        ("src/pages/_hidden.md", ""),
    ]);
    assert_eq!(
        s.doc_url("i18n/zh/docusaurus-plugin-content-docs/current/index.md")
            .as_deref(),
        Some("/zh/v1.7/")
    );
    assert_eq!(
        s.doc_url("src/pages/v1.0/dev/dev-mode.md").as_deref(),
        Some("/v1.0/dev/dev-mode")
    );
    assert_eq!(s.doc_url("src/pages/index.js").as_deref(), Some("/"));
    assert_eq!(s.doc_url("src/pages/_hidden.md"), None);
    // Untranslated docs are served under the locale from the original file.
    assert_eq!(s.file_at_url("/zh/v1.7/airgap"), Some("docs/airgap.md"));
    assert_eq!(
        s.file_at_url("/zh/v1.7/"),
        Some("i18n/zh/docusaurus-plugin-content-docs/current/index.md")
    );
    // An absolute link in a translated doc stays in its locale.
    assert_eq!(
        s.resolve_link(
            "i18n/zh/docusaurus-plugin-content-docs/current/index.md",
            "/v1.7/airgap"
        ),
        file("docs/airgap.md", None)
    );
}

#[test]
fn markdown_file_links() {
    let s = site(&[
        ("versioned_docs/version-v1.5/install/iso-install.md", ""),
        (
            "versioned_docs/version-v1.5/install/harvester-configuration.md",
            "",
        ),
        ("versioned_docs/version-v1.5/airgap.md", ""),
        ("versioned_docs/version-v1.5/networking/ippool.md", ""),
    ]);
    let from = "versioned_docs/version-v1.5/install/iso-install.md";
    assert_eq!(
        s.resolve_link(from, "./harvester-configuration.md#installskipchecks"),
        file(
            "versioned_docs/version-v1.5/install/harvester-configuration.md",
            Some("installskipchecks")
        )
    );
    assert_eq!(
        s.resolve_link(from, "harvester-configuration.md"),
        file(
            "versioned_docs/version-v1.5/install/harvester-configuration.md",
            None
        )
    );
    // Bare paths try the content root first.
    assert_eq!(
        s.resolve_link(from, "networking/ippool.md"),
        file("versioned_docs/version-v1.5/networking/ippool.md", None)
    );
    assert_eq!(
        s.resolve_link(from, "/networking/ippool.md/#selection-policy"),
        file(
            "versioned_docs/version-v1.5/networking/ippool.md",
            Some("selection-policy")
        )
    );
    assert_eq!(
        s.resolve_link(
            from,
            "../airgap.md/#configure-an-http-proxy-in-harvester-settings"
        ),
        file(
            "versioned_docs/version-v1.5/airgap.md",
            Some("configure-an-http-proxy-in-harvester-settings")
        )
    );
    let missing = s.resolve_link(from, "./nowhere.md");
    assert!(
        matches!(&missing, Resolution::Missing { why } if why.contains("nowhere.md")),
        "{missing:?}"
    );
    // `./` never tries the content root.
    assert!(matches!(
        s.resolve_link(from, "./airgap.md"),
        Resolution::Missing { .. }
    ));
}

#[test]
fn url_links_resolve_against_the_page_url() {
    let s = site(&[
        (
            "versioned_docs/version-v1.5/install/index.md",
            "---\nid: index\n---\n",
        ),
        ("versioned_docs/version-v1.5/install/requirements.md", ""),
        (
            "versioned_docs/version-v1.5/install/harvester-configuration.md",
            "",
        ),
        ("versioned_docs/version-v1.5/vm/create-vm.md", ""),
        ("versioned_docs/version-v1.5/airgap.md", ""),
        ("static/img/v1.2/harvester-ui.png", ""),
    ]);
    let index = "versioned_docs/version-v1.5/install/index.md";
    let vm = "versioned_docs/version-v1.5/vm/create-vm.md";
    // A category index is served at `/v1.5/install/`: relative URLs stay in the folder.
    assert_eq!(
        s.resolve_link(index, "./requirements/#hardware-requirements"),
        file(
            "versioned_docs/version-v1.5/install/requirements.md",
            Some("hardware-requirements")
        )
    );
    assert_eq!(
        s.resolve_link(
            vm,
            "../install/harvester-configuration/#installharvesterstorage_classreplica_count"
        ),
        file(
            "versioned_docs/version-v1.5/install/harvester-configuration.md",
            Some("installharvesterstorage_classreplica_count")
        )
    );
    assert_eq!(
        s.resolve_link(vm, "/v1.5/airgap#harvester-ui-extension-with-rancher-integration"),
        file(
            "versioned_docs/version-v1.5/airgap.md",
            Some("harvester-ui-extension-with-rancher-integration")
        )
    );
    assert_eq!(s.resolve_link(vm, "#top"), file(vm, Some("top")));
    assert_eq!(
        s.resolve_link(vm, "/img/v1.2/harvester-ui.png"),
        file("static/img/v1.2/harvester-ui.png", None)
    );
    assert_eq!(
        s.resolve_link(vm, "https://harvesterhci.io/"),
        Resolution::External
    );
    assert_eq!(s.resolve_link(vm, "mailto:a@b.c"), Resolution::External);
    assert_eq!(
        s.resolve_link(vm, "pathname:///files/x.pdf"),
        Resolution::External
    );
    assert!(matches!(
        s.resolve_link(vm, "/v1.5/nowhere"),
        Resolution::Missing { .. }
    ));
}

#[test]
fn percent_encoding_and_queries() {
    let s = site(&[
        ("docs/install/iso install.md", ""),
        ("docs/vm/create-vm.md", ""),
        ("static/img/a b.png", ""),
    ]);
    let from = "docs/vm/create-vm.md";
    assert_eq!(
        s.resolve_link(from, "../install/iso%20install.md#%E5%AE%89%E8%A3%85"),
        file("docs/install/iso install.md", Some("安装"))
    );
    assert_eq!(
        s.resolve_link(from, "/img/a%20b.png?raw=1"),
        file("static/img/a b.png", None)
    );
    assert_eq!(
        s.resolve_link(from, "./create-vm?tab=1#x"),
        file("docs/vm/create-vm.md", Some("x"))
    );
}

#[test]
fn images_resolve_next_to_the_doc_or_under_static() {
    let s = site(&[
        ("docs/vm/create-vm.md", ""),
        ("docs/vm/assets/create-vm.png", ""),
        ("static/img/v1.2/vm/create-vm.png", ""),
    ]);
    let from = "docs/vm/create-vm.md";
    assert_eq!(
        s.resolve_link(from, "./assets/create-vm.png"),
        file("docs/vm/assets/create-vm.png", None)
    );
    assert_eq!(
        s.resolve_link(from, "assets/create-vm.png"),
        file("docs/vm/assets/create-vm.png", None)
    );
    assert_eq!(
        s.resolve_link(from, "/img/v1.2/vm/create-vm.png"),
        file("static/img/v1.2/vm/create-vm.png", None)
    );
    assert!(matches!(
        s.resolve_link(from, "/img/v1.2/vm/gone.png"),
        Resolution::Missing { .. }
    ));
}

#[test]
fn generated_api_docs() {
    let s = site(&[("versioned_docs/version-v1.6/vm/create-vm.md", "")]);
    let from = "versioned_docs/version-v1.6/vm/create-vm.md";
    assert_eq!(
        s.resolve_link(from, "/v1.6/api/create-namespaced-virtual-machine-image"),
        Resolution::Generated {
            dir: "versioned_docs/version-v1.6/api".into(),
            by: "docusaurus-plugin-openapi-docs",
        }
    );
    assert_eq!(
        s.resolve_link(from, "../api/create-namespaced-virtual-machine"),
        Resolution::Generated {
            dir: "versioned_docs/version-v1.6/api".into(),
            by: "docusaurus-plugin-openapi-docs",
        }
    );
    // v1.5 has no outputDir in this config: just missing.
    assert!(matches!(
        s.resolve_link(from, "/v1.5/api/x"),
        Resolution::Missing { .. }
    ));
    assert_eq!(
        s.resolve_sidebar_id(
            "versioned_sidebars/version-v1.6-sidebars.json",
            "api/harvester-apis"
        ),
        Resolution::Generated {
            dir: "versioned_docs/version-v1.6/api".into(),
            by: "docusaurus-plugin-openapi-docs",
        }
    );
}

#[test]
fn pages_generated_from_a_spec_of_the_tree_are_docs() {
    let spec = r#"{"openapi": "3.0.0", "info": {"title": "Harvester APIs"}, "paths": {"/vms": {
        "post": {"operationId": "createNamespacedVirtualMachine", "summary": "Create a Virtual Machine"}}}}"#;
    let s = site(&[
        ("versioned_docs/version-v1.6/vm/create-vm.md", ""),
        ("api/v1.6-swagger.json", spec),
    ]);
    let info = "versioned_docs/version-v1.6/api/harvester-apis.info.mdx";
    let create = "versioned_docs/version-v1.6/api/create-namespaced-virtual-machine.api.mdx";
    assert!(s.is_generated_page(info) && s.is_generated_page(create));
    assert_eq!(s.doc_id(info), Some("api/harvester-apis"));
    assert_eq!(
        s.doc_url(create).as_deref(),
        Some("/v1.6/api/create-namespaced-virtual-machine")
    );
    let from = "versioned_docs/version-v1.6/vm/create-vm.md";
    assert_eq!(
        s.resolve_link(from, "../api/create-namespaced-virtual-machine"),
        file(create, None)
    );
    let sidebar = "versioned_sidebars/version-v1.6-sidebars.json";
    assert_eq!(
        s.resolve_sidebar_id(sidebar, "api/harvester-apis"),
        file(info, None)
    );
    let Resolution::MissingGenerated { why } = s.resolve_sidebar_id(sidebar, "api/hypervisor-apis") else {
        panic!("not a missing generated page");
    };
    assert_eq!(
        why,
        "no page `api/hypervisor-apis` is generated from `api/v1.6-swagger.json` into \
         `versioned_docs/version-v1.6/api`; its info page is `api/harvester-apis`"
    );
    // A schema page: the plugin's options and version decide, so it is set aside.
    assert_eq!(
        s.resolve_link(from, "/v1.6/api/schemas/virtualmachine"),
        Resolution::Generated {
            dir: "versioned_docs/version-v1.6/api".into(),
            by: "docusaurus-plugin-openapi-docs",
        }
    );
}

#[test]
fn doc_ids_of_sidebars_and_categories() {
    let s = site(&[
        ("docs/install/harvester-configuration.md", ""),
        (
            "versioned_docs/version-v1.5/terraform/terraform.md",
            "---\nid: terraform-provider\n---\n",
        ),
        ("versioned_docs/version-v1.5/terraform/_category_.json", ""),
        (
            "versioned_docs/version-v1.5/install/harvester-configuration.md",
            "",
        ),
    ]);
    assert_eq!(
        s.resolve_doc_id("sidebars.js", "install/harvester-configuration")
            .as_deref(),
        Some("docs/install/harvester-configuration.md")
    );
    assert_eq!(
        s.resolve_doc_id(
            "versioned_sidebars/version-v1.5-sidebars.json",
            "install/harvester-configuration"
        )
        .as_deref(),
        Some("versioned_docs/version-v1.5/install/harvester-configuration.md")
    );
    // `_category_.json` `link.id` is local to its folder first, then global.
    let cat = "versioned_docs/version-v1.5/terraform/_category_.json";
    assert_eq!(
        s.resolve_doc_id(cat, "terraform-provider").as_deref(),
        Some("versioned_docs/version-v1.5/terraform/terraform.md")
    );
    assert_eq!(
        s.resolve_doc_id(cat, "terraform/terraform-provider").as_deref(),
        Some("versioned_docs/version-v1.5/terraform/terraform.md")
    );
    assert_eq!(s.resolve_doc_id("sidebars.js", "install/nowhere"), None);
}

#[test]
fn relative_url_resolution() {
    assert_eq!(
        resolve_relative_url("/v1.5/vm/create-vm", "../install/x"),
        "/v1.5/install/x"
    );
    assert_eq!(
        resolve_relative_url("/v1.5/install/", "./requirements/"),
        "/v1.5/install/requirements/"
    );
    assert_eq!(resolve_relative_url("/v1.5/install/", ".."), "/v1.5/");
    assert_eq!(resolve_relative_url("/", "../../x"), "/x");
    assert_eq!(join_url(&["/", "", "v1.7", "/install/"]), "/v1.7/install/");
    assert_eq!(join_url(&["/", "", "", "/"]), "/");
}

#[test]
fn own_site_urls() {
    let s = site(&[]);
    assert_eq!(
        s.own_site_path("https://docs.harvesterhci.io/v1.6/networking/deep-dive"),
        Some("/v1.6/networking/deep-dive")
    );
    assert_eq!(s.own_site_path("https://docs.harvesterhci.iox/a"), None);
}

/// The page format follows `@docusaurus/core`'s major version and, from 3 on, the config's
/// `markdown.format` (Docusaurus docs, "Markdown Features", "MDX vs. CommonMark": `mdx` by
/// default for every page).
#[test]
fn page_format_from_the_core_version_and_markdown_format() {
    let v2 = r#"{"dependencies": {"@docusaurus/core": "^2.4.0"}}"#;
    let v3 = r#"{"dependencies": {"@docusaurus/core": "3.5.2", "react": "^18"}}"#;
    assert_eq!(page_format_of(v2, ""), PageFormat::Mdx1);
    assert_eq!(page_format_of("{}", ""), PageFormat::Mdx1);
    assert_eq!(page_format_of(v3, CONFIG), PageFormat::Mdx3);
    let detect = "export default {\n  markdown: {\n    // format: 'md',\n    format: 'detect',\n    mermaid: true,\n  },\n};";
    assert_eq!(page_format_of(v3, detect), PageFormat::Detect);
    let md = "module.exports = { markdown: { mermaid: true, format: \"md\" } };";
    assert_eq!(page_format_of(v3, md), PageFormat::CommonMark);
    let tilde = r#"{"devDependencies": {"@docusaurus/core": "~3"}}"#;
    assert_eq!(page_format_of(tilde, md), PageFormat::CommonMark);
}
