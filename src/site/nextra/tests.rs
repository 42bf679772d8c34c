//! The Nextra site model and conventions, on small trees shaped like Nextra's starters (the
//! `nextra-docs-template` of Nextra 2/3: `pages/`, `_meta.json`, `theme.config.tsx`; Nextra
//! 4's docs: `app/**/page.mdx`, `content/`).

use super::*;
use crate::rules::RuleSet;
use crate::site::links::ReferenceKind;
use crate::site::Resolution;

/// `pages/_meta.json` as the nextra-docs-template writes it.
const META: &str = r#"{
  "index": "Introduction",
  "another": "Another Page",
  "advanced": "Advanced (A Folder)",
  "about": {
    "title": "About",
    "type": "page"
  },
  "contact": {
    "title": "Contact ↗",
    "type": "page",
    "href": "https://twitter.com/shuding_",
    "newWindow": true
  }
}
"#;

fn site() -> Box<dyn SiteModel> {
    let files: BTreeMap<String, Option<String>> = [
        ("package.json", None),
        ("next.config.js", None),
        ("theme.config.tsx", None),
        ("pages/_meta.json", Some(META)),
        ("pages/_app.mdx", Some("")),
        ("pages/index.mdx", Some("# Introduction\n")),
        ("pages/another.mdx", Some("# Another Page\n")),
        ("pages/advanced.mdx", Some("# Advanced\n")),
        ("pages/advanced/satori.mdx", Some("# Satori\n")),
        ("app/docs/built-ins/callout/page.mdx", Some("# Callout\n")),
        ("app/page.mdx", Some("# Home\n")),
        ("public/og.png", None),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t.map(str::to_string)))
    .collect();
    Nextra.model(&files)
}

fn file(path: &str, fragment: Option<&str>) -> Resolution {
    Resolution::File {
        path: path.to_string(),
        fragment: fragment.map(str::to_string),
    }
}

#[test]
fn pages_are_served_at_their_path_without_the_extension() {
    let s = site();
    assert_eq!(s.url_of("pages/index.mdx").as_deref(), Some("/"));
    assert_eq!(s.url_of("pages/another.mdx").as_deref(), Some("/another"));
    assert_eq!(
        s.url_of("pages/advanced/satori.mdx").as_deref(),
        Some("/advanced/satori")
    );
    assert_eq!(s.url_of("pages/_app.mdx"), None);
    assert_eq!(s.url_of("pages/_meta.json"), None);
    assert_eq!(
        s.url_of("app/docs/built-ins/callout/page.mdx").as_deref(),
        Some("/docs/built-ins/callout")
    );
    assert_eq!(page_url("content/docs/index.mdx").as_deref(), Some("/docs"));
    assert_eq!(
        page_url("src/content/(guides)/setup.md").as_deref(),
        Some("/setup")
    );
    assert_eq!(page_url("app/docs/layout.mdx"), None);
    assert_eq!(page_url("README.md"), None);
}

#[test]
fn links_resolve_as_the_browser_reads_them() {
    let s = site();
    let from = "pages/advanced/satori.mdx";
    let link = |r: &str| s.resolve(from, ReferenceKind::Link, r);
    // Relative to the page's URL `/advanced/satori`: `another` is `/advanced/another`.
    assert_eq!(link("../another#setup"), file("pages/another.mdx", Some("setup")));
    assert!(matches!(link("another"), Resolution::Missing { .. }));
    assert_eq!(link("/advanced"), file("pages/advanced.mdx", None));
    assert_eq!(link("/og.png"), file("public/og.png", None));
    assert_eq!(
        link("/docs/built-ins/callout"),
        file("app/docs/built-ins/callout/page.mdx", None)
    );
    assert_eq!(link("#satori"), file(from, Some("satori")));
    assert_eq!(link("https://nextra.site"), Resolution::External);
    assert!(matches!(
        s.resolve(from, ReferenceKind::DocId, "advanced"),
        Resolution::Missing { .. }
    ));
}

#[test]
fn the_generator_detects_its_site() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    assert!(!Nextra.is_site(root));
    std::fs::write(root.join("next.config.mjs"), "export default {}\n").unwrap();
    std::fs::write(
        root.join("package.json"),
        "{\"dependencies\": {\"next\": \"15\"}}\n",
    )
    .unwrap();
    assert!(!Nextra.is_site(root), "a Next.js app without nextra");
    std::fs::write(
        root.join("package.json"),
        "{\"dependencies\": {\"next\": \"15\", \"nextra\": \"^4.2.17\"}}\n",
    )
    .unwrap();
    assert!(Nextra.is_site(root));
    assert!(crate::site::detect(root).is_some_and(|g| g.name() == "Nextra"));
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("theme.config.tsx"), "export default {}\n").unwrap();
    assert!(Nextra.is_site(other.path()));
    assert!(crate::site::walk_policy(root)
        .skips()
        .contains(&Skip::root_folder(".next")));
}

/// With Nextra's conventions, `_meta.json`'s titles are prose and its slugs, keys, types and
/// URLs are not; another JSON file reads as before; `.mdx` pages are MDX 3, `_meta.ts` and
/// the theme config JavaScript.
#[test]
fn meta_titles_are_prose_and_slugs_are_kept() {
    let rules = "[[substitution]]\nfrom = \"Nextra\"\nto = \"NQRust Pages\"\n[[substitution]]\nfrom = \"Another\"\nto = \"One More\"\n";
    let set = RuleSet::parse_for(Path::new("r.toml"), rules, Nextra.conventions(Path::new("."))).unwrap();
    let engine = crate::rewrite::Engine::new(set).unwrap();
    let brand = |path: &str, text: &str| {
        let kind = engine.rules().files.kind_of(path).unwrap();
        engine.rewrite(kind, text, &engine.active(path)).apply(text)
    };
    let meta = "{\n  \"index\": \"Nextra Introduction\",\n  \"another\": \"Another Page\",\n  \"Another\": {\"title\": \"Another Nextra page\", \"type\": \"page\", \"display\": \"Another\"}\n}\n";
    assert_eq!(
        brand("pages/_meta.json", meta),
        "{\n  \"index\": \"NQRust Pages Introduction\",\n  \"another\": \"One More Page\",\n  \"Another\": {\"title\": \"One More NQRust Pages page\", \"type\": \"page\", \"display\": \"Another\"}\n}\n"
    );
    // Another JSON file: only `json_prose_keys` (no top-level values).
    let package = "{\n  \"name\": \"Another\",\n  \"description\": \"Nextra docs template\"\n}\n";
    assert_eq!(
        brand("package.json", package),
        "{\n  \"name\": \"Another\",\n  \"description\": \"NQRust Pages docs template\"\n}\n"
    );
    let meta_ts = "import type { MetaRecord } from 'nextra'\n\nconst meta: MetaRecord = {\n  index: 'Nextra Introduction',\n  'another-page': 'Another Page'\n}\n\nexport default meta\n";
    assert_eq!(
        engine.rules().files.kind_of("app/docs/_meta.ts"),
        Some(FileKind::JavaScript)
    );
    assert!(brand("app/docs/_meta.ts", meta_ts)
        .contains("index: 'NQRust Pages Introduction',\n  'another-page': 'One More Page'"));
    assert_eq!(
        engine.rules().files.kind_of("theme.config.tsx"),
        Some(FileKind::JavaScript)
    );
    assert_eq!(
        engine.rules().files.kind_of("pages/index.mdx"),
        Some(FileKind::Mdx)
    );
}

/// A rebranded heading's anchor moves (no `{#id}` or `\{#id\}` written into an MDX 3 page).
#[test]
fn heading_ids_are_never_pinned() {
    let rules = "[[substitution]]\nfrom = \"Nextra\"\nto = \"NQRust Pages\"\n";
    let set = RuleSet::parse_for(Path::new("r.toml"), rules, Nextra.conventions(Path::new("."))).unwrap();
    let engine = crate::rewrite::Engine::new(set).unwrap();
    let page = "## Why Nextra\n\nNextra is fast.\n";
    let out = engine.rewrite(FileKind::Mdx, page, &engine.all_active());
    assert_eq!(out.apply(page), "## Why NQRust Pages\n\nNQRust Pages is fast.\n");
    assert_eq!(
        out.moved_anchors,
        [("why-nextra".to_string(), "why-nqrust-pages".to_string())]
    );
}

/// The page slugs of `_meta.json` (and of a `_meta.ts`) are references: each resolves to
/// the page or folder beside the file; links (`href`), separators, `*` and menus name none.
#[test]
fn meta_keys_are_references_to_the_pages_beside() {
    let s = site();
    let refs = |path: &str, kind: FileKind, text: &str| -> Vec<(String, Resolution)> {
        s.own_references(path, kind, text)
            .into_iter()
            .map(|r| {
                let key = text[r.range].to_string();
                let resolved = s.resolve(path, r.kind, &key);
                (key, resolved)
            })
            .collect()
    };
    let meta = META.replace(
        "\"about\"",
        "\"---\": {\"type\": \"separator\", \"title\": \"More\"},\n  \"*\": {\"display\": \"hidden\"},\n  \"about\"",
    );
    let found = refs("pages/_meta.json", FileKind::Json, &meta);
    let keys: Vec<&str> = found.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["index", "another", "advanced", "about"]);
    assert_eq!(found[0].1, file("pages/index.mdx", None));
    assert_eq!(found[1].1, file("pages/another.mdx", None));
    // A folder and a page of that name: the folder (its sidebar entry).
    assert_eq!(found[2].1, file("pages/advanced", None));
    assert!(
        matches!(found[3].1, Resolution::Missing { .. }),
        "no about page here"
    );
    let meta_ts = "import type { MetaRecord } from 'nextra'\n\nexport default {\n  index: 'Introduction',\n  'built-ins': { title: 'Built-ins' },\n  github: { title: 'GitHub', href: 'https://github.com/shuding/nextra' }\n} satisfies MetaRecord\n";
    let found = refs("app/docs/_meta.ts", FileKind::JavaScript, meta_ts);
    let keys: Vec<&str> = found.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["index", "built-ins"]);
    assert!(s
        .own_references("pages/other.json", FileKind::Json, META)
        .is_empty());
}
