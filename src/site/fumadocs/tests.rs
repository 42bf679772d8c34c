//! The Fumadocs site model and conventions, on a small tree shaped like the
//! `create-fumadocs-app` Next.js starter (`source.config.ts`, `content/docs/`, `meta.json`,
//! `app/layout.config.tsx`).

use super::*;
use crate::rules::RuleSet;
use crate::site::links::ReferenceKind;
use crate::site::Resolution;

/// A `meta.json` shaped as Fumadocs' own docs write theirs: a root folder with a title, a
/// description, and pages with a separator, the rest marker and a folder.
const META: &str = r#"{
  "title": "Fumadocs UI",
  "description": "The Fumadocs framework",
  "root": true,
  "pages": ["---Fumadocs UI---", "index", "fumadocs", "...", "components"]
}
"#;

fn site() -> Box<dyn SiteModel> {
    let files: BTreeMap<String, Option<String>> = [
        ("source.config.ts", None),
        ("content/docs/index.mdx", Some("# Hello World\n")),
        ("content/docs/ui/meta.json", Some(META)),
        ("content/docs/ui/index.mdx", Some("# Fumadocs UI\n")),
        ("content/docs/ui/components/callout.mdx", Some("# Callout\n")),
        ("content/docs/(guides)/setup.mdx", Some("# Setup\n")),
        ("public/banner.png", None),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t.map(str::to_string)))
    .collect();
    Fumadocs.model(&files)
}

fn file(path: &str, fragment: Option<&str>) -> Resolution {
    Resolution::File {
        path: path.to_string(),
        fragment: fragment.map(str::to_string),
    }
}

#[test]
fn pages_are_served_under_docs_at_their_slugs() {
    let s = site();
    assert_eq!(s.url_of("content/docs/index.mdx").as_deref(), Some("/docs"));
    assert_eq!(s.url_of("content/docs/ui/index.mdx").as_deref(), Some("/docs/ui"));
    assert_eq!(
        s.url_of("content/docs/ui/components/callout.mdx").as_deref(),
        Some("/docs/ui/components/callout")
    );
    assert_eq!(
        s.url_of("content/docs/(guides)/setup.mdx").as_deref(),
        Some("/docs/setup")
    );
    assert_eq!(s.url_of("content/docs/ui/meta.json"), None);
    assert_eq!(page_url("content/blog/post.mdx"), None);
}

#[test]
fn links_resolve_as_the_browser_reads_them() {
    let s = site();
    let from = "content/docs/ui/components/callout.mdx";
    let link = |r: &str| s.resolve(from, ReferenceKind::Link, r);
    assert_eq!(
        link("/docs/ui#install"),
        file("content/docs/ui/index.mdx", Some("install"))
    );
    // Relative to `/docs/ui/components/callout`.
    assert_eq!(link("../../setup"), file("content/docs/(guides)/setup.mdx", None));
    assert_eq!(link("/banner.png"), file("public/banner.png", None));
    assert!(matches!(link("/docs/ui/theme"), Resolution::Missing { .. }));
    assert_eq!(link("https://fumadocs.dev"), Resolution::External);
}

#[test]
fn the_generator_detects_its_site() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    assert!(!Fumadocs.is_site(root));
    std::fs::write(
        root.join("package.json"),
        "{\"dependencies\": {\"fumadocs-core\": \"15.0.0\", \"next\": \"15\"}}\n",
    )
    .unwrap();
    assert!(Fumadocs.is_site(root));
    assert!(crate::site::detect(root).is_some_and(|g| g.name() == "Fumadocs"));
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("source.config.ts"), "export default {}\n").unwrap();
    assert!(Fumadocs.is_site(other.path()));
    assert!(crate::site::walk_policy(root)
        .skips()
        .contains(&Skip::root_folder(".source")));
}

/// `meta.json`'s title, description and separators are prose; its page slugs (`fumadocs`
/// too, which a lower-case rule would match), `...` and other keys are kept; a JSON file
/// elsewhere reads as before.
#[test]
fn meta_title_and_description_are_prose_pages_kept() {
    let rules = "[[substitution]]\nfrom = \"Fumadocs\"\nto = \"NQRust Docs\"\n[[substitution]]\nfrom = \"fumadocs\"\nto = \"nqrust-docs\"\n";
    let set = RuleSet::parse_for(Path::new("r.toml"), rules, Fumadocs.conventions(Path::new("."))).unwrap();
    let engine = crate::rewrite::Engine::new(set).unwrap();
    let brand = |path: &str, text: &str| {
        let kind = engine.rules().files.kind_of(path).unwrap();
        engine.rewrite(kind, text, &engine.active(path)).apply(text)
    };
    assert_eq!(
        brand("content/docs/ui/meta.json", META),
        META.replace("\"Fumadocs UI\",\n", "\"NQRust Docs UI\",\n")
            .replace("\"---Fumadocs UI---\"", "\"---NQRust Docs UI---\"")
            .replace("\"The Fumadocs framework\"", "\"The NQRust Docs framework\"")
    );
    // Elsewhere, a top-level `title` is no prose (only `json_prose_keys`).
    let other = "{\"title\": \"Fumadocs\"}\n";
    assert_eq!(brand("data/title.json", other), other);
    assert_eq!(
        engine.rules().files.kind_of("app/layout.config.tsx"),
        Some(FileKind::JavaScript)
    );
    assert_eq!(
        engine.rules().files.kind_of("content/docs/index.mdx"),
        Some(FileKind::Mdx)
    );
}

/// A rebranded heading keeps its anchor with ` [#old-slug]` (MDX and Markdown pages alike);
/// a heading's own ` [#id]` is its id, kept and never branded; the link check reads it.
#[test]
fn heading_ids_are_pinned_with_brackets() {
    let rules = "[[substitution]]\nfrom = \"Fumadocs\"\nto = \"NQRust Docs\"\n";
    let set = RuleSet::parse_for(Path::new("r.toml"), rules, Fumadocs.conventions(Path::new("."))).unwrap();
    let engine = crate::rewrite::Engine::new(set).unwrap();
    let page = "## Fumadocs Core\n\n## Why Fumadocs [#why-fumadocs]\n\nFumadocs is fast.\n";
    let expected = "## NQRust Docs Core [#fumadocs-core]\n\n## Why NQRust Docs [#why-fumadocs]\n\nNQRust Docs is fast.\n";
    for kind in [FileKind::Mdx, FileKind::Markdown] {
        let out = engine.rewrite(kind, page, &engine.all_active());
        assert!(out.moved_anchors.is_empty(), "{kind:?}");
        let branded = out.apply(page);
        assert_eq!(branded, expected, "{kind:?}");
        // Branding the branded page again changes nothing.
        assert_eq!(
            engine
                .rewrite(kind, &branded, &engine.all_active())
                .apply(&branded),
            branded
        );
    }
    let ids = Some(HeadingIds::GithubSluggerBracketed);
    let anchors = crate::site::links::anchors(FileKind::Mdx, expected, ids, Dialect::CommonMark);
    assert!(
        anchors.contains("fumadocs-core") && anchors.contains("why-fumadocs"),
        "{anchors:?}"
    );
    assert!(!anchors.contains("nqrust-docs-core"), "{anchors:?}");
    // Without the generator, `[#id]` is text.
    let plain = crate::site::links::anchors(
        FileKind::Mdx,
        "## Why [#x]\n",
        Some(HeadingIds::GithubSlugger),
        Dialect::CommonMark,
    );
    assert!(plain.contains("why-x"), "{plain:?}");
}

/// A `meta.json`'s page items are references to the pages and folders beside it (or at a
/// relative path); `...`, `...folder`, `!page`, separators and links are none.
#[test]
fn meta_pages_are_references() {
    let s = site();
    let meta = r#"{"title": "UI", "pages": ["index", "---Setup---", "components", "...", "...extra", "!hidden", "[Vercel](https://vercel.com)", "../(guides)/setup"]}"#;
    let found: Vec<(String, Resolution)> = s
        .own_references("content/docs/ui/meta.json", FileKind::Json, meta)
        .into_iter()
        .map(|r| {
            let item = meta[r.range].to_string();
            let resolved = s.resolve("content/docs/ui/meta.json", r.kind, &item);
            (item, resolved)
        })
        .collect();
    assert_eq!(
        found,
        [
            ("index".to_string(), file("content/docs/ui/index.mdx", None)),
            ("components".to_string(), file("content/docs/ui/components", None)),
            (
                "../(guides)/setup".to_string(),
                file("content/docs/(guides)/setup.mdx", None)
            ),
        ]
    );
}
