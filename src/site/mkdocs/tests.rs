//! The MkDocs site model, on a small tree shaped like the KubeVirt user guide.

use super::*;

/// `mkdocs.yml` as the KubeVirt user guide writes it, cut down (its `!!python/name:` tags
/// kept: the reading must not stumble on them).
const CONFIG: &str = "site_name: KubeVirt user guide\nsite_url: https://kubevirt.io/user-guide\ndocs_dir: docs\nsite_dir: site\n\nmarkdown_extensions:\n  - admonition\n  - toc:\n      permalink: true\n  - attr_list\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n";

fn site(config: &str) -> MkdocsSite {
    let files: BTreeMap<String, Option<String>> = [
        ("mkdocs.yml", Some(config)),
        ("docs/index.md", Some("# Welcome\n")),
        ("docs/architecture.md", Some("# Architecture\n")),
        ("docs/compute/index.md", Some("# Compute\n")),
        ("docs/compute/live_migration.md", Some("# Live migration\n")),
        ("docs/assets/KubeVirt_icon.png", None),
        ("README.md", Some("# The repository\n")),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t.map(str::to_string)))
    .collect();
    MkdocsSite::from_files(&files)
}

fn file(path: &str, fragment: Option<&str>) -> Resolution {
    Resolution::File {
        path: path.to_string(),
        fragment: fragment.map(str::to_string),
    }
}

#[test]
fn the_config_is_read_best_effort() {
    let config = Config::parse(CONFIG);
    assert_eq!(
        config,
        Config {
            docs_dir: "docs".into(),
            use_directory_urls: true,
            site_url: Some("https://kubevirt.io/user-guide".into()),
            attr_list: true,
        }
    );
    let other = Config::parse("docs_dir: 'src/'\nuse_directory_urls: false\nmarkdown_extensions:\n  - toc\n");
    assert_eq!(
        (other.docs_dir.as_str(), other.use_directory_urls, other.attr_list),
        ("src", false, false)
    );
    // `attr_list` elsewhere than in the extensions is not the extension.
    assert!(!Config::parse("nav:\n  - attr_list\n").attr_list);
}

#[test]
fn pages_are_served_at_directory_urls() {
    let s = site(CONFIG);
    assert_eq!(s.url_of("docs/index.md").as_deref(), Some("/"));
    assert_eq!(
        s.url_of("docs/architecture.md").as_deref(),
        Some("/architecture/")
    );
    assert_eq!(s.url_of("docs/compute/index.md").as_deref(), Some("/compute/"));
    assert_eq!(
        s.url_of("docs/compute/live_migration.md").as_deref(),
        Some("/compute/live_migration/")
    );
    // Outside docs_dir: no page.
    assert_eq!(s.url_of("README.md"), None);
    let flat = site(&CONFIG.replace("site_dir: site\n", "site_dir: site\nuse_directory_urls: false\n"));
    assert_eq!(
        flat.url_of("docs/architecture.md").as_deref(),
        Some("/architecture.html")
    );
    assert_eq!(
        flat.url_of("docs/compute/index.md").as_deref(),
        Some("/compute/index.html")
    );
}

#[test]
fn links_resolve_as_mkdocs_reads_them() {
    let s = site(CONFIG);
    let from = "docs/compute/live_migration.md";
    let link = |r: &str| s.resolve(from, ReferenceKind::Link, r);
    // A file relative to the page's file, with its fragment.
    assert_eq!(
        link("../architecture.md#components"),
        file("docs/architecture.md", Some("components"))
    );
    assert_eq!(link("index.md"), file("docs/compute/index.md", None));
    assert_eq!(
        link("../assets/KubeVirt_icon.png"),
        file("docs/assets/KubeVirt_icon.png", None)
    );
    // A URL relative to the page's URL (`/compute/live_migration/`).
    assert_eq!(link("../../architecture/"), file("docs/architecture.md", None));
    // A site path, and the site's own absolute URL.
    assert_eq!(link("/compute/"), file("docs/compute/index.md", None));
    assert_eq!(
        link("https://kubevirt.io/user-guide/architecture/"),
        Resolution::External
    );
    assert_eq!(
        s.own_site_path("https://kubevirt.io/user-guide/architecture/"),
        Some("/architecture/")
    );
    assert_eq!(link("#live-migration"), file(from, Some("live-migration")));
    assert!(matches!(link("../storage/disks.md"), Resolution::Missing { .. }));
    assert!(matches!(link("../../../../x.md"), Resolution::Missing { .. }));
    assert!(s.names_file("../storage/disks.md"));
    assert!(!s.names_file("../storage/"));
    assert!(matches!(
        s.resolve(from, ReferenceKind::DocId, "compute/index"),
        Resolution::Missing { .. }
    ));
}

#[test]
fn the_generator_detects_its_site_and_reads_attr_list_from_it() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(!Mkdocs.is_site(tmp.path()));
    let without = Mkdocs.conventions(tmp.path());
    assert_eq!(
        without.heading_ids,
        Some(HeadingIds::PythonMarkdown { attr_list: false })
    );
    std::fs::write(tmp.path().join("mkdocs.yml"), CONFIG).unwrap();
    assert!(Mkdocs.is_site(tmp.path()));
    assert_eq!(
        Mkdocs.conventions(tmp.path()).heading_ids,
        Some(HeadingIds::PythonMarkdown { attr_list: true })
    );
    assert!(crate::site::detect(tmp.path()).is_some_and(|g| g.name() == "MkDocs"));
    assert!(crate::site::walk_policy(tmp.path())
        .skips()
        .contains(&Skip::root_folder("site")));
}

/// The navigation's references: `mkdocs.yml`'s nav and redirect targets relative to
/// `docs_dir`, a `.nav.yml`'s relative to its folder (a section's folder too); glob patterns
/// and titles are none, a URL is external.
#[test]
fn the_nav_and_redirect_targets_are_references() {
    let config = format!(
        "{CONFIG}nav:\n  - Welcome: index.md\n  - Compute:\n      - compute/live_migration.md\n  - Blog: https://kubevirt.io/blog/\nplugins:\n  - redirects:\n      redirect_maps:\n         'old/arch.md': 'architecture.md'\n"
    );
    let s = site(&config);
    let targets = |path: &str, text: &str| -> Vec<(String, Resolution)> {
        s.own_references(path, FileKind::Yaml, text)
            .into_iter()
            .map(|r| {
                let target = text[r.range].to_string();
                let resolved = s.resolve(path, r.kind, &target);
                (target, resolved)
            })
            .collect()
    };
    assert_eq!(
        targets("mkdocs.yml", &config),
        [
            ("index.md".to_string(), file("docs/index.md", None)),
            (
                "compute/live_migration.md".to_string(),
                file("docs/compute/live_migration.md", None)
            ),
            ("https://kubevirt.io/blog/".to_string(), Resolution::External),
            ("architecture.md".to_string(), file("docs/architecture.md", None)),
        ]
    );
    let nav = "nav:\n  - Welcome: index.md\n  - Compute: compute\n  - \"*\"\nappend_unmatched: true\n";
    assert_eq!(
        targets("docs/.nav.yml", nav),
        [
            ("index.md".to_string(), file("docs/index.md", None)),
            ("compute".to_string(), file("docs/compute", None)),
        ]
    );
    // Another YAML file, or the config read as another kind, holds none.
    assert!(s.own_references("docs/data.yml", FileKind::Yaml, nav).is_empty());
    assert!(s
        .own_references("mkdocs.yml", FileKind::Plain, &config)
        .is_empty());
}
