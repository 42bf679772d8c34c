//! Hugo as a generator: a site is a folder with a Hugo config (`hugo.toml`, or `config.toml`
//! beside a `content/` folder); its pages are the Markdown files of `content/`, served at
//! Hugo's default permalinks (`content/docs/a/b.md` at `/docs/a/b/`, a section's `_index.md`
//! and a leaf bundle's `index.md` at their folder's URL, paths lower-cased as
//! `disablePathToLower = false` does), and a link is read as the browser reads it on the built
//! page: relative to the page's URL (Hugo writes Markdown links as they are). Goldmark's
//! heading ids (`autoHeadingIDType = "github"`) are github-slugger's after the typographer
//! ([`HeadingIds::Goldmark`]), and Goldmark reads `{#id}` (`parser.attribute.title`, on by
//! default). Pages are read in Hugo's dialect ([`Dialect::Hugo`]: shortcode calls protected
//! but their prose parameters), and the templates of `layouts/` as HTML.
//!
//! The config is read best effort (`baseURL` only, by a regular expression); a page's front
//! matter `url`, `slug` and `aliases` are read; `uglyURLs`, permalinks settings, languages
//! and Hugo modules are not modelled. The page a `ref`/`relref` shortcode call names is a reference of its
//! own kind ([`ReferenceKind::PageRef`]), found as Hugo's page finder finds it.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use crate::rules::{Conventions, HeadingIds};
use crate::scan::{Dialect, FileKind};
use crate::site::links::ReferenceKind;
use crate::site::pages::Pages;
use crate::site::url::{browser_site_path, join_path, normalize, parent, path_below, split_link};
use crate::site::{Generator, Resolution, SiteModel};
use crate::walk::Skip;

/// The config files Hugo looks for at a site's root (`hugo.*` since 0.110, `config.*`
/// before), in its order.
pub const CONFIG_FILES: [&str; 8] = [
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
];

/// The prose of a Hugo site config (TOML or YAML alike), as key paths
/// ([`crate::scan::KeyPaths`]): the site's `title` and `copyright`, `params.description` and
/// `params.tagline` (the theme's home page), the `title` and `text` of any table under
/// `params` (`[[params.features]]`, `[[params.why]]`: home page cards, Markdown), the `name`
/// of a menu entry (`[[menu.main]]`, `menus` since Hugo 0.109) and a language's `title`
/// (Hugo's configuration reference, "All settings" and "Menus"). Not `params.**.name`: under
/// `params`, themes keep font and icon names there (`[[params.fonts]] name = "Poppins"`).
pub const CONFIG_PROSE_KEYS: &[&str] = &[
    "title",
    "copyright",
    "params.description",
    "params.tagline",
    "params.**.title",
    "params.**.text",
    "menu.**.name",
    "menus.**.name",
    "languages.*.title",
];

/// The folders a Hugo site holds that are not its source: `public/` (the built site) and
/// `resources/` (Hugo's generated assets) at the root, `node_modules/` anywhere.
pub const GENERATED_FOLDERS: [Skip; 3] = [
    Skip::root_folder("public"),
    Skip::root_folder("resources"),
    Skip::folder_anywhere("node_modules"),
];

/// Hugo as a [`Generator`]; its model is [`HugoSite`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Hugo;

impl Generator for Hugo {
    fn name(&self) -> &'static str {
        "Hugo"
    }

    /// A `hugo.*` config, or a `config.*` one with a `content/` folder beside it (a bare
    /// `config.toml` is too common a name to say Hugo alone).
    fn is_site(&self, root: &Path) -> bool {
        let file = |name: &str| root.join(name).is_file();
        CONFIG_FILES[..4].iter().any(|n| file(n))
            || (CONFIG_FILES[4..].iter().any(|n| file(n)) && root.join("content").is_dir())
    }

    fn generated_folders(&self) -> &'static [Skip] {
        &GENERATED_FOLDERS
    }

    /// No translations (languages are not modelled); the site config at the root read as YAML
    /// or TOML (`hugo.json` and `config.json` are JSON's by its own globs; a
    /// `config/_default/*.toml` file is not read: its root is the key its name says,
    /// `params.toml` holds `params`, which [`CONFIG_PROSE_KEYS`] would not find), its prose
    /// chosen by [`CONFIG_PROSE_KEYS`]; the templates of `layouts/` as HTML; Goldmark's
    /// heading ids pinned with `{#id}`; Hugo's Markdown (Goldmark, shortcodes).
    fn conventions(&self, _root: &Path) -> Conventions {
        Conventions {
            translations: None,
            default_globs: &[
                (
                    FileKind::Yaml,
                    &["hugo.yaml", "hugo.yml", "config.yaml", "config.yml"],
                ),
                (FileKind::Toml, &["hugo.toml", "config.toml"]),
                (FileKind::Html, &["layouts/**/*.html"]),
            ],
            heading_ids: Some(HeadingIds::Goldmark),
            dialect: Dialect::Hugo,
            yaml_prose_keys: CONFIG_PROSE_KEYS,
            toml_prose_keys: CONFIG_PROSE_KEYS,
            json_file_prose_keys: &[],
            shortcode_prose: crate::scan::DEFAULT_SHORTCODE_PROSE,
        }
    }

    /// The pages and the config.
    fn reads(&self, path: &str) -> bool {
        path.ends_with(".md") || CONFIG_FILES.contains(&path)
    }

    /// `static/`: served at the site's root.
    fn static_folder(&self) -> &'static str {
        "static"
    }

    fn model(&self, files: &BTreeMap<String, Option<String>>) -> Box<dyn SiteModel> {
        Box::new(HugoSite::from_files(files))
    }
}

/// A Hugo site as rebrand sees it: its pages and where each is served.
#[derive(Debug, Clone)]
pub struct HugoSite {
    /// `baseURL`, without a trailing `/`.
    base_url: Option<String>,
    /// The pages of `content/` and every file and folder of the tree.
    pages: Pages,
    /// The pages' `aliases` (front matter): route key → page.
    aliases: HashMap<String, String>,
    /// The content files by their path below `content/` without `.md`, lower-cased (what
    /// a `ref` names them by): `docs/install` → `content/docs/Install.md`.
    content: HashMap<String, String>,
    /// The content files by their file name, lower-cased, with and without `.md`: a `ref`
    /// with no `/` names the one page of that name.
    by_name: HashMap<String, Vec<String>>,
}

impl HugoSite {
    /// The model of in-memory files (relative path → text, `None` for a file not read): every
    /// `.md` file under `content/` a page, `baseURL` from the config's text.
    pub fn from_files(files: &BTreeMap<String, Option<String>>) -> HugoSite {
        static BASE_URL: OnceLock<Regex> = OnceLock::new();
        let base_url = BASE_URL.get_or_init(|| {
            Regex::new(r#"(?m)^\s*"?baseU[Rr][Ll]"?\s*[:=]\s*["']?([^"'\s#,]+)"#)
                .expect("baseURL pattern is valid")
        });
        let base_url = CONFIG_FILES
            .iter()
            .find_map(|name| files.get(*name).and_then(|t| t.as_deref()))
            .and_then(|text| base_url.captures(text))
            .map(|c| c[1].trim_end_matches('/').to_string());
        let meta: HashMap<&str, PageMeta> = files
            .iter()
            .filter(|(path, _)| path.starts_with("content/") && path.ends_with(".md"))
            .filter_map(|(path, text)| Some((path.as_str(), PageMeta::of(text.as_deref()?)?)))
            .collect();
        let pages = Pages::new(
            files,
            |path| {
                let rel = path.strip_prefix("content/").filter(|_| path.ends_with(".md"))?;
                let url = page_url(rel);
                Some(match meta.get(path) {
                    Some(m) => m.url_of(&url, rel),
                    None => url,
                })
            },
            route_key,
        );
        // Aliases: more URLs of a page (Hugo writes a redirect at each).
        let aliases = meta
            .iter()
            .flat_map(|(path, m)| {
                // A relative alias is relative to the page's URL.
                m.aliases.iter().filter_map(|alias| {
                    let alias = browser_site_path(&alias.to_lowercase(), pages.url_of(path))?;
                    Some((route_key(&alias).to_string(), path.to_string()))
                })
            })
            .collect();
        let mut content = HashMap::new();
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for path in files.keys() {
            let Some(rel) = path.strip_prefix("content/").and_then(|r| r.strip_suffix(".md")) else {
                continue;
            };
            content.insert(rel.to_lowercase(), path.clone());
            let name = rel.rsplit('/').next().unwrap_or(rel).to_lowercase();
            for key in [format!("{name}.md"), name] {
                by_name.entry(key).or_default().push(path.clone());
            }
        }
        HugoSite {
            base_url,
            pages,
            aliases,
            content,
            by_name,
        }
    }

    /// The page a `ref`/`relref` call's path names, as Hugo's page finder looks it up
    /// (`hugolib/pagecollections.go`, `getPage`; the `ref` shortcode's docs): without a
    /// leading `/` first relative to the calling page's folder, then from `content/`; the
    /// `.md` extension optional; a folder names its `_index.md` (a section) or `index.md` (a
    /// bundle); case ignored; and a path without `/` that finds nothing names the one page of
    /// that file name anywhere (two such pages: ambiguous, none).
    fn page_ref(&self, from: &str, path: &str) -> Result<String, String> {
        let path = path.trim_end_matches('/').to_lowercase();
        let path = path.strip_suffix(".md").unwrap_or(&path);
        let here = parent(from)
            .strip_prefix("content")
            .map(|d| d.trim_start_matches('/'));
        let mut bases = Vec::new();
        match (path.strip_prefix('/'), here) {
            (Some(absolute), _) => bases.push(absolute.to_string()),
            (None, Some(dir)) => {
                bases.extend(normalize(&join_path(&dir.to_lowercase(), path)));
                bases.push(path.to_string());
            }
            (None, None) => bases.push(path.to_string()),
        }
        let found = bases.iter().find_map(|base| {
            ["", "/_index", "/index"]
                .iter()
                .find_map(|end| self.content.get(&format!("{base}{end}")))
        });
        if let Some(page) = found {
            return Ok(page.clone());
        }
        match self.by_name.get(path).map(Vec::as_slice) {
            Some([page]) if !path.contains('/') => Ok(page.clone()),
            Some(pages) if !path.contains('/') => Err(format!(
                "`{path}` is ambiguous: {} pages have that name",
                pages.len()
            )),
            _ => Err(format!("no page of `content/` is `{path}`")),
        }
    }

    /// A site path (decoded, no `?`/`#`): the page (matched lower-cased, as Hugo writes its
    /// URLs), the page with that alias, or the file of `static/` served there.
    fn at_site_path(&self, path: &str) -> Option<String> {
        let lower = path.to_lowercase();
        self.pages
            .page_at(&lower)
            .or_else(|| self.aliases.get(route_key(&lower)).cloned())
            .or_else(|| self.pages.file_in("static", path))
    }
}

impl SiteModel for HugoSite {
    fn url_of(&self, path: &str) -> Option<String> {
        self.pages.url_of(path)
    }

    /// Links and images: external ones leave the site; `#x` is the page itself; a path
    /// starting with `/` is a site path; another is relative to the page's URL (as the
    /// browser reads it), else a file relative to the page's file (a bundle's image). Hugo
    /// has no doc ids or sidebar folders.
    fn resolve(&self, from: &str, kind: ReferenceKind, reference: &str) -> Resolution {
        if matches!(
            kind,
            ReferenceKind::DocId | ReferenceKind::SidebarDir | ReferenceKind::Xref | ReferenceKind::Include
        ) {
            return Resolution::Missing {
                why: format!("Hugo has no {}s", kind.name()),
            };
        }
        let (path, fragment) = match split_link(from, reference) {
            Ok(split) => split,
            Err(decided) => return decided,
        };
        if kind == ReferenceKind::PageRef {
            return match self.page_ref(from, &path) {
                Ok(page) => Resolution::File { path: page, fragment },
                Err(why) => Resolution::Missing { why },
            };
        }
        let found = |path: String| Resolution::File {
            path,
            fragment: fragment.clone(),
        };
        let site_path = browser_site_path(&path, self.url_of(from));
        if let Some(p) = site_path.as_deref().and_then(|p| self.at_site_path(p)) {
            return found(p);
        }
        if let Some(file) = self.pages.beside(from, &path) {
            return found(file);
        }
        Resolution::Missing {
            why: match site_path {
                Some(p) => format!("no page or static file is served at `{p}`"),
                None => format!("no file `{path}` relative to `{from}`"),
            },
        }
    }

    /// A path of `baseURL`: `https://longhorn.io/docs/` → `/docs/`.
    fn own_site_path<'u>(&self, url: &'u str) -> Option<&'u str> {
        path_below(url, self.base_url.as_deref()?)
    }
}

/// The URL path of the page at `rel` (inside `content/`), lower-cased: `a/b.md` is `/a/b/`,
/// `a/_index.md` and `a/index.md` are `/a/`.
fn page_url(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel).to_lowercase();
    let (dir, name) = match stem.rsplit_once('/') {
        Some((d, n)) => (d.to_string(), n.to_string()),
        None => (String::new(), stem.clone()),
    };
    let dir_url = if dir.is_empty() {
        "/".to_string()
    } else {
        format!("/{dir}/")
    };
    match name.as_str() {
        "_index" | "index" => dir_url,
        _ => format!("{dir_url}{name}/"),
    }
}

/// What a page's front matter says of its URL (Hugo's "Front matter" and "URL management"
/// docs): `url` (the whole path), `slug` (the last segment), `aliases` (more URLs, each a
/// redirect). Keys are matched case-insensitively, as Hugo reads front matter.
#[derive(Debug, Default)]
struct PageMeta {
    url: Option<String>,
    slug: Option<String>,
    aliases: Vec<String>,
}

impl PageMeta {
    /// The meta of a page's `text` (YAML `---` or TOML `+++` front matter), `None` when it
    /// says none of the three (or its front matter does not parse).
    fn of(text: &str) -> Option<PageMeta> {
        let fields: Vec<(String, FieldValue)> =
            if let Some((inner, _)) = crate::scan::front_matter_block(text) {
                let docs = yaml_rust2::YamlLoader::load_from_str(&text[inner]).ok()?;
                docs.first()?
                    .as_hash()?
                    .iter()
                    .filter_map(|(k, v)| Some((k.as_str()?.to_lowercase(), FieldValue::of_yaml(v))))
                    .collect()
            } else if let Some((inner, _)) = crate::scan::toml_front_matter_block(text) {
                let table: toml::Table = text[inner].parse().ok()?;
                table
                    .iter()
                    .map(|(k, v)| (k.to_lowercase(), FieldValue::of_toml(v)))
                    .collect()
            } else {
                return None;
            };
        let mut meta = PageMeta::default();
        for (key, value) in fields {
            match (key.as_str(), value) {
                ("url", FieldValue::One(v)) if !v.is_empty() => meta.url = Some(v),
                ("slug", FieldValue::One(v)) if !v.is_empty() => meta.slug = Some(v),
                ("aliases", FieldValue::One(v)) => meta.aliases.push(v),
                ("aliases", FieldValue::Many(v)) => meta.aliases.extend(v),
                _ => {}
            }
        }
        (meta.url.is_some() || meta.slug.is_some() || !meta.aliases.is_empty()).then_some(meta)
    }

    /// The URL of the page at `rel` (below `content/`) whose default URL is `default`: its
    /// `url` made absolute, else its `slug` in place of its last segment (not for a section's
    /// `_index.md`, which has no slug), else the default.
    fn url_of(&self, default: &str, rel: &str) -> String {
        if let Some(url) = &self.url {
            return format!("/{}", url.trim_start_matches('/'));
        }
        match &self.slug {
            Some(slug) if !rel.ends_with("_index.md") => {
                let parent = default
                    .trim_end_matches('/')
                    .rsplit_once('/')
                    .map_or("", |(p, _)| p);
                format!("{parent}/{slug}/")
            }
            _ => default.to_string(),
        }
    }
}

/// A front matter value as far as [`PageMeta`] reads it: a string, or a list of strings.
enum FieldValue {
    One(String),
    Many(Vec<String>),
    Other,
}

impl FieldValue {
    fn of_yaml(v: &yaml_rust2::Yaml) -> FieldValue {
        match v {
            yaml_rust2::Yaml::String(s) => FieldValue::One(s.clone()),
            yaml_rust2::Yaml::Array(items) => FieldValue::Many(
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect(),
            ),
            _ => FieldValue::Other,
        }
    }

    fn of_toml(v: &toml::Value) -> FieldValue {
        match v {
            toml::Value::String(s) => FieldValue::One(s.clone()),
            toml::Value::Array(items) => FieldValue::Many(
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect(),
            ),
            _ => FieldValue::Other,
        }
    }
}

/// The key a route is matched by: without a trailing `/`.
fn route_key(url: &str) -> &str {
    match url.trim_end_matches('/') {
        "" => "/",
        k => k,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> HugoSite {
        let files: BTreeMap<String, Option<String>> = [
            (
                "config.toml",
                Some("baseURL = \"https://longhorn.io\"\ntitle = \"Longhorn\"\n"),
            ),
            ("content/docs/_index.md", Some("# Docs\n")),
            (
                "content/docs/1.12.1/backup/set-backup-target.md",
                Some("# Target\n"),
            ),
            (
                "content/docs/1.12.1/backup/backup-and-restore/_index.md",
                Some("# B&R\n"),
            ),
            ("content/kb/Troubleshooting-X.md", Some("# X\n")),
            ("content/blog/post/index.md", Some("# Post\n")),
            ("content/blog/post/diagram.png", None),
            ("static/img/logo.svg", None),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_string(), t.map(str::to_string)))
        .collect();
        HugoSite::from_files(&files)
    }

    fn file(path: &str, fragment: Option<&str>) -> Resolution {
        Resolution::File {
            path: path.to_string(),
            fragment: fragment.map(str::to_string),
        }
    }

    #[test]
    fn pages_are_served_at_hugo_s_default_permalinks() {
        let s = site();
        assert_eq!(s.url_of("content/docs/_index.md").as_deref(), Some("/docs/"));
        assert_eq!(
            s.url_of("content/docs/1.12.1/backup/set-backup-target.md")
                .as_deref(),
            Some("/docs/1.12.1/backup/set-backup-target/")
        );
        assert_eq!(
            s.url_of("content/kb/Troubleshooting-X.md").as_deref(),
            Some("/kb/troubleshooting-x/")
        );
        assert_eq!(
            s.url_of("content/blog/post/index.md").as_deref(),
            Some("/blog/post/")
        );
        assert_eq!(s.url_of("README.md"), None);
    }

    #[test]
    fn links_are_read_relative_to_the_page_s_url() {
        let s = site();
        // Longhorn's page-relative links: one `../` climbs out of the page's own URL.
        let from = "content/docs/1.12.1/backup/set-backup-target.md";
        let link = |r: &str| s.resolve(from, ReferenceKind::Link, r);
        assert_eq!(
            link("../backup-and-restore#restore"),
            file(
                "content/docs/1.12.1/backup/backup-and-restore/_index.md",
                Some("restore")
            )
        );
        assert_eq!(link("/docs/"), file("content/docs/_index.md", None));
        assert_eq!(link("/img/logo.svg"), file("static/img/logo.svg", None));
        assert_eq!(
            link("/kb/Troubleshooting-X/"),
            file("content/kb/Troubleshooting-X.md", None)
        );
        assert!(matches!(link("../../missing/"), Resolution::Missing { .. }));
        assert_eq!(link("https://longhorn.io/docs/"), Resolution::External);
        assert_eq!(s.own_site_path("https://longhorn.io/docs/"), Some("/docs/"));
        // A bundle's own image, relative to its file.
        let post = "content/blog/post/index.md";
        assert_eq!(
            s.resolve(post, ReferenceKind::Link, "diagram.png"),
            file("content/blog/post/diagram.png", None)
        );
    }

    /// `ref`/`relref` paths as Hugo's page finder reads them: relative to the page's folder,
    /// then from `content/`, `.md` optional, a folder its section or bundle, case ignored,
    /// a bare file name the one page of that name.
    #[test]
    fn page_refs_are_found_as_hugo_finds_them() {
        let s = site();
        let from = "content/docs/1.12.1/backup/set-backup-target.md";
        let page_ref = |r: &str| s.resolve(from, ReferenceKind::PageRef, r);
        let target = "content/docs/1.12.1/backup/set-backup-target.md";
        assert_eq!(page_ref("set-backup-target.md"), file(target, None));
        assert_eq!(page_ref("set-backup-target#nfs"), file(target, Some("nfs")));
        assert_eq!(
            page_ref("backup-and-restore"),
            file("content/docs/1.12.1/backup/backup-and-restore/_index.md", None)
        );
        assert_eq!(page_ref("/docs"), file("content/docs/_index.md", None));
        assert_eq!(
            page_ref("kb/troubleshooting-x.md"),
            file("content/kb/Troubleshooting-X.md", None)
        );
        assert_eq!(
            page_ref("Troubleshooting-X.md"),
            file("content/kb/Troubleshooting-X.md", None)
        );
        assert_eq!(page_ref("/blog/post"), file("content/blog/post/index.md", None));
        assert!(matches!(
            page_ref("Longhorn-Guide.md"),
            Resolution::Missing { .. }
        ));
        assert!(matches!(page_ref("../../missing"), Resolution::Missing { .. }));
    }

    /// Front matter `url`, `slug` and `aliases` (YAML or TOML) move a page or give it more
    /// URLs, as Longhorn's `multidisk.md` has `aliases: [/spdk/features/node-disk-support.md]`.
    #[test]
    fn front_matter_url_slug_and_aliases_are_where_a_page_is_served() {
        let files: BTreeMap<String, Option<String>> = [
            ("hugo.toml", "baseURL = \"https://longhorn.io\"\n"),
            ("content/docs/a.md", "---\nurl: /elsewhere/a/\n---\n# A\n"),
            ("content/docs/b.md", "+++\nSlug = \"bee\"\n+++\n# B\n"),
            (
                "content/docs/multidisk.md",
                "---\ntitle: Multiple disks\naliases:\n- /docs/1.12.0/v2-data-engine/features/node-disk-support/\n- /spdk/features/node-disk-support.md\n---\n# M\n",
            ),
            ("content/docs/_index.md", "---\nslug: ignored\n---\n# Docs\n"),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_string(), Some(t.to_string())))
        .collect();
        let s = HugoSite::from_files(&files);
        assert_eq!(s.url_of("content/docs/a.md").as_deref(), Some("/elsewhere/a/"));
        assert_eq!(s.url_of("content/docs/b.md").as_deref(), Some("/docs/bee/"));
        assert_eq!(s.url_of("content/docs/_index.md").as_deref(), Some("/docs/"));
        let from = "content/docs/_index.md";
        let link = |r: &str| s.resolve(from, ReferenceKind::Link, r);
        assert_eq!(link("/elsewhere/a"), file("content/docs/a.md", None));
        assert_eq!(link("/docs/bee/"), file("content/docs/b.md", None));
        assert_eq!(
            link("/docs/1.12.0/v2-data-engine/features/node-disk-support/"),
            file("content/docs/multidisk.md", None)
        );
        assert_eq!(
            link("/spdk/features/node-disk-support.md"),
            file("content/docs/multidisk.md", None)
        );
        assert!(matches!(link("/docs/a/"), Resolution::Missing { .. }));
    }

    #[test]
    fn the_generator_needs_a_hugo_config_or_a_config_beside_content() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("config.toml"), "title = \"x\"\n").unwrap();
        assert!(!Hugo.is_site(tmp.path()));
        std::fs::create_dir(tmp.path().join("content")).unwrap();
        assert!(Hugo.is_site(tmp.path()));
        assert!(crate::site::detect(tmp.path()).is_some_and(|g| g.name() == "Hugo"));
        assert!(crate::site::walk_policy(tmp.path())
            .skips()
            .contains(&Skip::root_folder("public")));
    }

    /// The link check reads a Hugo page as Hugo does: a heading's id is Goldmark's (the
    /// typographer's dashes dropped), an indented block after a list is code (its link is
    /// none), a shortcode call is no text.
    #[test]
    fn the_link_check_reads_pages_in_hugo_s_dialect() {
        let files: BTreeMap<String, Option<String>> = [
            ("hugo.toml", "baseURL = \"https://longhorn.io\"\n"),
            (
                "content/docs/a.md",
                "## Longhorn -- the basics\n\nSee [the basics](#longhorn--the-basics) and \
                 [b](../b/).\n\n- item\n\n        [not a link](../missing/)\n\n\
                 {{< figure src=\"/img/missing.png\" >}}\n",
            ),
            ("content/docs/b.md", "# B\n"),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_string(), Some(t.to_string())))
        .collect();
        let checked = crate::site::links::check_files(&Hugo, Hugo.conventions(Path::new("")), &files);
        assert_eq!(checked.broken, []);
        assert_eq!(checked.fragments, 1);
    }

    /// The site config is read as its kind, with [`CONFIG_PROSE_KEYS`] for YAML as for TOML:
    /// a `hugo.yaml` shaped as Longhorn's `config.toml`.
    #[test]
    fn the_site_config_is_read_with_the_config_prose_key_paths() {
        let rules = crate::rules::RuleSet::parse_for(
            Path::new("t.toml"),
            "[[substitution]]\nfrom = \"Longhorn\"\nto = \"NQRust Storage\"\n",
            Hugo.conventions(Path::new("")),
        )
        .unwrap();
        assert_eq!(rules.files.kind_of("config.toml"), Some(FileKind::Toml));
        assert_eq!(rules.files.kind_of("hugo.yaml"), Some(FileKind::Yaml));
        assert_eq!(rules.files.kind_of("config/_default/params.toml"), None);
        let engine = crate::rewrite::Engine::new(rules).unwrap();
        let yaml = "title: Longhorn\nparams:\n  description: Longhorn block storage\n  features:\n    - title: Longhorn backups\n      icon: longhorn-icon\n  fonts:\n    - name: Longhorn Sans\nmenu:\n  main:\n    - name: Longhorn Blog\n      url: /blog/Longhorn\n";
        let out = engine
            .rewrite(FileKind::Yaml, yaml, &engine.all_active())
            .apply(yaml);
        assert_eq!(
            out,
            yaml.replace("title: Longhorn", "title: NQRust Storage")
                .replace("description: Longhorn", "description: NQRust Storage")
                .replace("Longhorn Blog", "NQRust Storage Blog")
        );
    }
}
