//! MkDocs as a generator: a site is a folder with `mkdocs.yml`; its pages are the `.md` files
//! of `docs_dir`, served where MkDocs serves them (`mkdocs/structure/files.py`:
//! `use_directory_urls` makes `a/b.md` the URL `a/b/`, an `index.md` or `README.md` its
//! folder's URL), and a relative link is read as MkDocs reads it
//! (`mkdocs/structure/pages.py`, `_RelativePathTreeprocessor`: relative to the page's file,
//! then as a URL relative to the page's URL). Heading anchors are Python-Markdown `toc`'s,
//! pinned with `{#id}` only where the site enables `attr_list`.
//!
//! `mkdocs.yml` is read best effort, as `docusaurus.config.js` is: a few top-level keys by
//! small regular expressions (its `!!python/name:` tags are Python objects no YAML reader here
//! can load), whatever they do not find keeping MkDocs's default. The navigation is read as
//! YAML for its references (the `nav` of `mkdocs.yml` and the redirects plugin's targets,
//! relative to `docs_dir`; the `nav` of the awesome-nav plugin's `.nav.yml` files, relative
//! to their folder), so `links` checks it and a `[[rename]]` retargets it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use crate::rules::{Conventions, HeadingIds};
use crate::scan::{Dialect, FileKind};
use crate::site::links::{yaml_references, Reference, ReferenceKind};
use crate::site::pages::Pages;
use crate::site::url::{join_path, normalize, parent, path_below, resolve_relative_url, split_link};
use crate::site::{Generator, Resolution, SiteModel};
use crate::walk::Skip;

/// The names of the config file that make a folder an MkDocs site (`mkdocs serve` looks for
/// `mkdocs.yml`, and `mkdocs.yaml` since 1.2).
pub const CONFIG_FILES: [&str; 2] = ["mkdocs.yml", "mkdocs.yaml"];

/// The name of the awesome-nav plugin's navigation files (`mkdocs-awesome-nav`: one per
/// folder, its `nav` naming the folder's pages and subfolders).
pub const NAV_FILE: &str = ".nav.yml";

/// The folder an MkDocs site builds into by default (`site_dir: site`), at the site's root:
/// the built pages, upstream's unbranded. Deeper, `site` is an ordinary name.
pub const GENERATED_FOLDERS: [Skip; 1] = [Skip::root_folder("site")];

/// MkDocs as a [`Generator`]; its model is [`MkdocsSite`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Mkdocs;

impl Generator for Mkdocs {
    fn name(&self) -> &'static str {
        "MkDocs"
    }

    fn is_site(&self, root: &Path) -> bool {
        CONFIG_FILES.iter().any(|name| root.join(name).is_file())
    }

    fn generated_folders(&self) -> &'static [Skip] {
        &GENERATED_FOLDERS
    }

    /// No translations (the i18n plugins are not modelled); `mkdocs.yml` and the
    /// awesome-nav `.nav.yml` files read as YAML, their site name, description, copyright,
    /// titles and nav titles prose; Python-Markdown `toc`'s heading ids, pinned with `{#id}`
    /// where `mkdocs.yml` enables `attr_list`; Python-Markdown's admonition and tab bodies.
    fn conventions(&self, root: &Path) -> Conventions {
        let config = CONFIG_FILES
            .iter()
            .find_map(|name| std::fs::read_to_string(root.join(name)).ok())
            .map(|text| Config::parse(&text))
            .unwrap_or_default();
        Conventions {
            translations: None,
            default_globs: &[(FileKind::Yaml, &["mkdocs.yml", "mkdocs.yaml", "**/.nav.yml"])],
            heading_ids: Some(HeadingIds::PythonMarkdown {
                attr_list: config.attr_list,
            }),
            dialect: Dialect::PythonMarkdown,
            yaml_prose_keys: &["site_name", "site_description", "copyright", "title", "nav.**"],
            shortcode_prose: &[],
            toml_prose_keys: &[],
            json_file_prose_keys: &[],
        }
    }

    /// The pages (`.md`) and the config.
    fn reads(&self, path: &str) -> bool {
        path.ends_with(".md") || CONFIG_FILES.contains(&path)
    }

    /// `docs/`: MkDocs copies every other file of `docs_dir` to the site as it is.
    fn static_folder(&self) -> &'static str {
        "docs"
    }

    fn model(&self, files: &BTreeMap<String, Option<String>>) -> Box<dyn SiteModel> {
        Box::new(MkdocsSite::from_files(files))
    }
}

/// What `mkdocs.yml` says, as far as small regular expressions can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Config {
    /// `docs_dir`, without slashes (`docs` by default).
    docs_dir: String,
    /// `use_directory_urls` (`true` by default).
    use_directory_urls: bool,
    /// `site_url`, without a trailing `/`.
    site_url: Option<String>,
    /// Whether `markdown_extensions` lists `attr_list`.
    attr_list: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            docs_dir: "docs".to_string(),
            use_directory_urls: true,
            site_url: None,
            attr_list: false,
        }
    }
}

impl Config {
    /// Reads `docs_dir`, `use_directory_urls` and `site_url` (top-level, plain or quoted
    /// scalars) and whether an `attr_list` item or key stands anywhere in the file after
    /// `markdown_extensions:`.
    fn parse(text: &str) -> Config {
        static KEY: OnceLock<Regex> = OnceLock::new();
        static ATTR_LIST: OnceLock<Regex> = OnceLock::new();
        let key = KEY.get_or_init(|| {
            Regex::new(r#"(?m)^(docs_dir|use_directory_urls|site_url)[ \t]*:[ \t]*["']?([^"'#\r\n]*?)["']?[ \t]*(?:#.*)?$"#)
                .expect("config key pattern is valid")
        });
        let attr_list = ATTR_LIST.get_or_init(|| {
            Regex::new(r"(?m)^[ \t]*(?:-[ \t]*)?attr_list[ \t]*:?[ \t]*(?:#.*)?$")
                .expect("attr_list pattern is valid")
        });
        let mut config = Config::default();
        for c in key.captures_iter(text) {
            let value = c[2].trim();
            match &c[1] {
                "docs_dir" if !value.is_empty() => {
                    config.docs_dir = value.trim_matches('/').trim_start_matches("./").to_string();
                }
                "use_directory_urls" => config.use_directory_urls = value != "false",
                "site_url" if !value.is_empty() => {
                    config.site_url = Some(value.trim_end_matches('/').to_string())
                }
                _ => {}
            }
        }
        config.attr_list = text
            .find("markdown_extensions:")
            .is_some_and(|at| attr_list.is_match(&text[at..]));
        config
    }
}

/// An MkDocs site as rebrand sees it: its pages and where each is served.
#[derive(Debug, Clone)]
pub struct MkdocsSite {
    config: Config,
    /// The pages of `docs_dir` and every file and folder of the tree.
    pages: Pages,
}

impl MkdocsSite {
    /// The model of in-memory files (relative path → text, `None` for a file not read): the
    /// config from `mkdocs.yml`'s text, every `.md` file under `docs_dir` a page.
    pub fn from_files(files: &BTreeMap<String, Option<String>>) -> MkdocsSite {
        let config = CONFIG_FILES
            .iter()
            .find_map(|name| files.get(*name).and_then(|t| t.as_deref()))
            .map(Config::parse)
            .unwrap_or_default();
        let prefix = format!("{}/", config.docs_dir);
        let pages = Pages::new(
            files,
            |path| {
                let rel = path.strip_prefix(&prefix).filter(|_| path.ends_with(".md"))?;
                Some(page_url(rel, config.use_directory_urls))
            },
            route_key,
        );
        MkdocsSite { config, pages }
    }

    /// A site path (`/a/b/`, decoded, no `?`/`#`): the page or the file of `docs_dir` served
    /// there.
    fn at_site_path(&self, path: &str) -> Option<String> {
        self.pages
            .page_at(path)
            .or_else(|| self.pages.file_in(&self.config.docs_dir, path))
    }
}

impl SiteModel for MkdocsSite {
    fn url_of(&self, path: &str) -> Option<String> {
        self.pages.url_of(path)
    }

    /// Links and images: external ones (a scheme, `//host`) leave the site; `#x` is the page
    /// itself; a path is first a file relative to the page's file (MkDocs validates and
    /// rewrites those), then a URL relative to the page's URL, and one starting with `/` a
    /// site path. MkDocs has no doc ids or autogenerated sidebar folders.
    fn resolve(&self, from: &str, kind: ReferenceKind, reference: &str) -> Resolution {
        if matches!(
            kind,
            ReferenceKind::DocId
                | ReferenceKind::SidebarDir
                | ReferenceKind::PageRef
                | ReferenceKind::Xref
                | ReferenceKind::Include
        ) {
            return Resolution::Missing {
                why: format!("MkDocs has no {}s", kind.name()),
            };
        }
        // The config's nav and redirects name pages relative to `docs_dir`.
        let in_docs;
        let base = if CONFIG_FILES.contains(&from) {
            in_docs = format!("{}/{from}", self.config.docs_dir);
            in_docs.as_str()
        } else {
            from
        };
        let (path, fragment) = match split_link(base, reference) {
            Ok(split) => split,
            Err(decided) => return decided,
        };
        let found = |path: String| Resolution::File {
            path,
            fragment: fragment.clone(),
        };
        if path.starts_with('/') {
            let site_path = self.own_site_path(&path).unwrap_or(&path);
            return match self.at_site_path(site_path) {
                Some(p) => found(p),
                None => Resolution::Missing {
                    why: format!(
                        "no page or file of `{}` is served at `{path}`",
                        self.config.docs_dir
                    ),
                },
            };
        }
        if let Some(file) = self.pages.beside(base, &path) {
            return found(file);
        }
        if let Some(page) = self
            .url_of(base)
            .and_then(|url| self.at_site_path(&resolve_relative_url(&url, &path)))
        {
            return found(page);
        }
        Resolution::Missing {
            why: match normalize(&join_path(parent(base), &path)) {
                Some(file) => format!("no file `{file}`, and no page is served at `{path}` from `{from}`"),
                None => format!("`{path}` leaves the tree"),
            },
        }
    }

    /// The navigation's targets: in `mkdocs.yml` the values under `nav` and the redirects
    /// plugin's `redirect_maps` targets (relative to `docs_dir`), in the awesome-nav plugin's
    /// `.nav.yml` files the values under `nav` (relative to the file's folder: a page, or a
    /// folder for a section). URLs are external links; glob patterns (`"*"`, `"*.md"`) name no
    /// one file and are left out.
    fn own_references(&self, path: &str, kind: FileKind, text: &str) -> Vec<Reference> {
        let config = CONFIG_FILES.contains(&path);
        let nav_file = path == NAV_FILE || path.ends_with(&format!("/{NAV_FILE}"));
        if kind != FileKind::Yaml || !(config || nav_file) {
            return Vec::new();
        }
        yaml_references(text, |keys, value| {
            let nav = keys.first().is_some_and(|k| k == "nav");
            let redirect =
                config && keys.len() == 4 && keys[..3] == ["plugins", "redirects", "redirect_maps"];
            let target = !value.contains(['*', '?', '[']) && value.contains(|c: char| c.is_alphanumeric());
            ((nav || redirect) && target).then_some(ReferenceKind::Link)
        })
    }

    /// A path of `site_url`'s origin: `https://kubevirt.io/user-guide/a/b/` → `/a/b/`.
    fn own_site_path<'u>(&self, url: &'u str) -> Option<&'u str> {
        let site = self.config.site_url.as_deref()?;
        let base = site.find("://").map_or(site, |i| {
            let rest = &site[i + 3..];
            rest.find('/').map_or("", |j| &rest[j..])
        });
        path_below(url, site).or_else(|| path_below(url, base).filter(|_| !base.is_empty()))
    }
}

/// The URL path of the page at `rel` (inside `docs_dir`): with directory URLs `a/b.md` is
/// `/a/b/` and `a/index.md` or `a/README.md` is `/a/`; without, `/a/b.html` and
/// `/a/index.html` (`mkdocs/structure/files.py`, `File._get_dest_path` and `url`).
fn page_url(rel: &str, directory_urls: bool) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let (dir, name) = match stem.rsplit_once('/') {
        Some((d, n)) => (d, n),
        None => ("", stem),
    };
    let index = name == "index" || name.eq_ignore_ascii_case("readme");
    let dir_url = if dir.is_empty() {
        "/".to_string()
    } else {
        format!("/{dir}/")
    };
    match (index, directory_urls) {
        (true, true) => dir_url,
        (true, false) => format!("{dir_url}index.html"),
        (false, true) => format!("{dir_url}{name}/"),
        (false, false) => format!("{dir_url}{name}.html"),
    }
}

/// The key a route is matched by: without a trailing `/` or `index.html`.
fn route_key(url: &str) -> &str {
    let url = url.strip_suffix("index.html").unwrap_or(url);
    match url.trim_end_matches('/') {
        "" => "/",
        k => k,
    }
}

#[cfg(test)]
mod tests;
