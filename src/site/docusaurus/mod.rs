//! The Docusaurus site model: content roots, doc ids, URLs, and link resolution.
//!
//! [`Site`] answers the two questions a rename or a link check asks of a Docusaurus tree:
//! *where is this file served* ([`Site::doc_url`]) and *what does this reference point at*
//! ([`Site::resolve_link`], [`Site::resolve_doc_id`]). It models Docusaurus 2 (the Harvester
//! docs use `@docusaurus/core` 2.4) from the sources of `@docusaurus/plugin-content-docs`
//! (`docs.ts`, `slug.ts`, `numberPrefix.ts`, `versions.ts`, `sidebars/generator.ts`),
//! `@docusaurus/utils` (`markdownLinks.ts`) and `@docusaurus/mdx-loader`
//! (`remark/transformImage`, `remark/transformLinks`); each function cites the part it follows.
//!
//! The model is read from the tree alone: `versions.json`, every doc's front matter `id:` and
//! `slug:`, and a best-effort reading of `docusaurus.config.js` with small regular expressions
//! (a JavaScript file cannot be evaluated here: whatever the expressions do not find falls back
//! to Docusaurus's defaults). The pages docusaurus-plugin-openapi-docs generates at build time
//! from the OpenAPI specs of the tree ([`openapi`]) are docs of the model too, served
//! where Docusaurus will serve them, though no file of the tree holds them. This module does
//! no I/O except in [`Site::load`].

mod config;
pub mod openapi;
mod routes;
mod sidebars;
#[cfg(test)]
mod tests;
mod versions;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io;
use std::path::Path;

use crate::rules::{Conventions, HeadingIds};
use crate::scan::{Dialect, FileKind};
use crate::site::links::{Reference, ReferenceKind};
use crate::site::url::*;
use crate::site::{read_in, read_tree, Generator, PageRenamer, PageSources, Resolution, SiteModel};
use crate::walk::Skip;
pub use config::{openapi_spec_paths, CONFIG_FILES, GENERATED_FOLDERS};
use config::{Config, PageFormat};
use openapi::{Page, PageKind, PluginSpec};
use routes::*;
pub use routes::{is_doc_file, strip_number_prefix};
pub use versions::CURRENT_VERSION;
use versions::{discover_versions, locales, parse_versions_json, roots, versions, Root, RootKind, Version};

/// Docusaurus 2 as a [`Generator`]: a site is a folder with one of [`CONFIG_FILES`]; its
/// model is [`Site`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Docusaurus;

impl Generator for Docusaurus {
    fn name(&self) -> &'static str {
        "Docusaurus"
    }

    fn is_site(&self, root: &Path) -> bool {
        config::is_site(root)
    }

    fn generated_folders(&self) -> &'static [Skip] {
        &GENERATED_FOLDERS
    }

    /// Translations under `i18n/<locale>/` (`@docusaurus/core`'s `i18n` folder); the config
    /// and the sidebars file at the root read as JavaScript; github-slugger's heading ids,
    /// pinned with `{#id}`. Pages are read as the site's Docusaurus reads them
    /// (`config::page_format`): Docusaurus 2's in MDX 1 ([`Dialect::Mdx1`]); Docusaurus
    /// 3's in MDX 3 ([`FileKind::Mdx`]: `.mdx`, and `.md` unless `markdown.format` is
    /// `detect` or `md`) or CommonMark ([`Dialect::CommonMark`]: the other pages).
    fn conventions(&self, root: &Path) -> Conventions {
        const JAVASCRIPT: (FileKind, &[&str]) = (FileKind::JavaScript, &[config::CONFIG, "sidebars.js"]);
        let (default_globs, dialect): (&'static [(FileKind, &'static [&'static str])], Dialect) =
            match config::page_format(root) {
                PageFormat::Mdx1 => (&[JAVASCRIPT], Dialect::Mdx1),
                PageFormat::Mdx3 => (
                    &[JAVASCRIPT, (FileKind::Mdx, &["**/*.md", "**/*.mdx"])],
                    Dialect::CommonMark,
                ),
                PageFormat::Detect => (&[JAVASCRIPT, (FileKind::Mdx, &["**/*.mdx"])], Dialect::CommonMark),
                PageFormat::CommonMark => (&[JAVASCRIPT], Dialect::CommonMark),
            };
        Conventions {
            translations: Some("i18n"),
            default_globs,
            heading_ids: Some(HeadingIds::GithubSlugger),
            dialect,
            yaml_prose_keys: &[],
            shortcode_prose: &[],
            toml_prose_keys: &[],
            json_file_prose_keys: &[],
        }
    }

    /// Docs and pages (`.md`/`.mdx`), `docusaurus.config.js` and `versions.json`.
    fn reads(&self, path: &str) -> bool {
        is_doc_file(path) || matches!(path, config::CONFIG | "versions.json")
    }

    /// `static/` (the default `staticDirs: ['static']`).
    fn static_folder(&self) -> &'static str {
        "static"
    }

    fn model(&self, files: &BTreeMap<String, Option<String>>) -> Box<dyn SiteModel> {
        Box::new(Site::from_files(files))
    }

    /// The OpenAPI specs `docusaurus.config.js` gives docusaurus-plugin-openapi-docs
    /// ([`openapi_spec_paths`]); those the plugin reads as this model does
    /// ([`PluginSpec::is_readable`]) rename their pages when a rewrite changes the names
    /// pages are made from (`info.title`, operation ids: [`openapi::renamed_pages`]).
    fn page_sources(
        &self,
        read: &mut dyn FnMut(&str) -> io::Result<Option<String>>,
    ) -> io::Result<PageSources> {
        let Some(config) = read(config::CONFIG)? else {
            return Ok(PageSources::default());
        };
        let renamers = openapi::plugin_specs(&config)
            .into_iter()
            .filter(PluginSpec::is_readable)
            .map(|spec| PageRenamer {
                source: spec.spec_path.clone(),
                renamed: Box::new(move |upstream, branded| {
                    openapi::renamed_pages(upstream, branded, spec.tag_pages)
                        .into_iter()
                        .map(|(old, new)| (old.file(&spec.output_dir), new.file(&spec.output_dir)))
                        .collect()
                }),
            })
            .collect();
        Ok(PageSources {
            paths: openapi_spec_paths(&config),
            renamers,
        })
    }
}

impl SiteModel for Site {
    fn url_of(&self, path: &str) -> Option<String> {
        self.doc_url(path)
    }

    /// Links and images as [`Site::resolve_link`], doc ids as [`Site::resolve_sidebar_id`],
    /// autogenerated sidebar folders as [`Site::resolve_sidebar_dir`]; Hugo's page refs and
    /// AsciiDoc's xrefs and includes are none of its.
    fn resolve(&self, from: &str, kind: ReferenceKind, reference: &str) -> Resolution {
        match kind {
            ReferenceKind::DocId => self.resolve_sidebar_id(from, reference),
            ReferenceKind::SidebarDir => self.resolve_sidebar_dir(from, reference),
            ReferenceKind::Link | ReferenceKind::Image => self.resolve_link(from, reference),
            ReferenceKind::PageRef | ReferenceKind::Xref | ReferenceKind::Include => Resolution::Missing {
                why: format!("Docusaurus has no {}s", kind.name()),
            },
        }
    }

    fn own_site_path<'u>(&self, url: &'u str) -> Option<&'u str> {
        Site::own_site_path(self, url)
    }

    fn is_generated_page(&self, path: &str) -> bool {
        Site::is_generated_page(self, path)
    }

    /// A `.md`/`.mdx` path, an `@site/` path, or a path with a file extension
    /// (other than `.md`, `.mdx` and `.html`, with a letter: `transformLinks`).
    fn names_file(&self, reference: &str) -> bool {
        let path = reference.split(['#', '?']).next().unwrap_or(reference);
        let path = path.strip_suffix('/').unwrap_or(path);
        path.starts_with("@site/") || is_doc_file(path) || has_asset_extension(path)
    }

    /// Sidebars (doc ids, `href`s, autogenerated `dirName`s), `_category_.json` (`link.id`)
    /// and `docusaurus.config.js` (navbar and footer `to`/`href`).
    fn own_references(&self, path: &str, kind: FileKind, text: &str) -> Vec<Reference> {
        sidebars::references(path, kind, text)
    }
}

/// A Docusaurus site as rebrand sees it: its content roots and the URL of every doc and page.
///
/// Build it with [`Site::load`] (from a directory) or [`Site::from_files`] (from texts already
/// in memory); both give the same model for the same files.
#[derive(Debug, Clone)]
pub struct Site {
    config: Config,
    /// Versions, the current one first, then `versions.json` order.
    versions: Vec<Version>,
    /// The locale of unprefixed URLs (`i18n.defaultLocale`, `en` by default).
    default_locale: String,
    /// Docs and pages roots, deepest first so that a prefix search finds the right one.
    roots: Vec<Root>,
    /// Every served doc and page, by path.
    docs: BTreeMap<String, Doc>,
    /// Doc ids per docs root: (root index, id) → path.
    ids: HashMap<(usize, String), String>,
    /// Route path (without a trailing `/`, except `/` itself) → the file served there.
    routes: HashMap<String, String>,
    /// Every file of the tree.
    files: HashSet<String>,
    /// Every directory holding a file of the tree.
    dirs: HashSet<String>,
    /// The folders docusaurus-plugin-openapi-docs generates from a spec of the tree.
    openapi: Vec<GeneratedDir>,
    /// The pages it generates there, by the file it writes each to (not in the tree): index
    /// into `openapi`.
    generated_pages: HashMap<String, usize>,
}

/// A folder docusaurus-plugin-openapi-docs fills from one spec.
#[derive(Debug, Clone)]
struct GeneratedDir {
    spec: PluginSpec,
    /// The pages it generates there, `None` when they cannot be known from the tree (the spec
    /// is absent, a URL, YAML, or not readable as the plugin reads it).
    pages: Option<Vec<Page>>,
}

#[derive(Debug, Clone)]
struct Doc {
    root: usize,
    /// The doc id (`install/harvester-configuration`); `None` for pages.
    id: Option<String>,
    /// The permalink (`/v1.5/install/harvester-configuration`, `/v1.5/install/` for an index).
    url: String,
}

impl Site {
    /// Builds the model from the tree at `root`: reads `docusaurus.config.js` if present,
    /// `versions.json`, and the front matter `id:` / `slug:` of every `.md`/`.mdx` file.
    ///
    /// The tree is walked as every command walks it ([`crate::site::walk_policy`]: no `.git`,
    /// `.hg`, `.svn` or `.rebrand` at the root, no [`GENERATED_FOLDERS`] in a site). A file
    /// that cannot be read, or a name that is not UTF-8, is an error naming its path; a file
    /// that is not UTF-8 only counts as present.
    pub fn load(root: &Path) -> io::Result<Site> {
        let sources = Docusaurus.page_sources(&mut read_in(root))?;
        Ok(Site::from_files(&read_tree(root, |p| {
            Docusaurus.reads(p) || sources.paths.contains(p)
        })?))
    }

    /// Builds the model from in-memory files: relative `/`-separated path → text (`None` for
    /// a file present but not read as text). Only `docusaurus.config.js`, `versions.json`,
    /// `.md`/`.mdx` texts and the OpenAPI specs the config names ([`openapi_spec_paths`]) are
    /// read; every path counts for existence (static files, images). A spec given without its
    /// text generates pages the model cannot know ([`Resolution::Generated`]).
    pub fn from_files(files: &BTreeMap<String, Option<String>>) -> Site {
        let text = |p: &str| files.get(p).and_then(|t| t.as_deref());
        let config = text("docusaurus.config.js")
            .map(Config::parse)
            .unwrap_or_default();
        let names = match text("versions.json") {
            Some(t) => parse_versions_json(t),
            // Docusaurus needs versions.json; without it the versioned_docs folders of a
            // cut-down tree are still taken as versions, newest first.
            None => discover_versions(files.keys()),
        };
        let versions = versions(&config, &names);
        let default_locale = config.default_locale.clone().unwrap_or_else(|| "en".to_string());
        let locales = locales(files.keys(), &default_locale);
        let roots = roots(&versions, &locales);

        let dirs = folders(files.keys());
        let mut site = Site {
            config,
            versions,
            default_locale,
            roots,
            docs: BTreeMap::new(),
            ids: HashMap::new(),
            routes: HashMap::new(),
            files: files.keys().cloned().collect(),
            dirs,
            openapi: Vec::new(),
            generated_pages: HashMap::new(),
        };
        for (path, content) in files {
            let Some((root, rel)) = site.root_of(path) else {
                continue;
            };
            let doc = match site.roots[root].kind {
                RootKind::Docs(v) if is_doc_file(rel) && is_included(rel) => {
                    let fm = FrontMatter::parse(content.as_deref().unwrap_or(""));
                    let (id, slug) = doc_id_and_slug(rel, &fm);
                    let url = site.url_in(root, v, &slug);
                    Doc {
                        root,
                        id: Some(id),
                        url,
                    }
                }
                RootKind::Pages if is_page_file(rel) && is_included(rel) => {
                    let prefix = site.locale_prefix(site.roots[root].locale.as_deref());
                    Doc {
                        root,
                        id: None,
                        url: join_url(&[&site.config.base_url, &prefix, &page_slug(rel)]),
                    }
                }
                _ => continue,
            };
            if let Some(id) = &doc.id {
                site.ids.entry((root, id.clone())).or_insert_with(|| path.clone());
            }
            site.docs.insert(path.clone(), doc);
        }
        site.add_generated_pages(files);
        site.routes = site.route_table();
        site
    }

    /// Adds the pages docusaurus-plugin-openapi-docs generates from the specs in `files` as
    /// docs: each at the file the plugin writes it to, with the front matter `id:` it writes
    /// (`openapi`'s module docs). A page whose file is in the tree (generated before) is that
    /// file; a doc id the tree already has keeps its doc.
    fn add_generated_pages(&mut self, files: &BTreeMap<String, Option<String>>) {
        for spec in self.config.openapi.clone() {
            let pages = files
                .get(&spec.spec_path)
                .and_then(|t| t.as_deref())
                .filter(|_| spec.is_readable())
                .and_then(|text| openapi::pages(text, spec.tag_pages));
            let index = self.openapi.len();
            for page in pages.iter().flatten() {
                let path = page.file(&spec.output_dir);
                if files.contains_key(&path) {
                    continue;
                }
                let Some((root, rel)) = self.root_of(&path) else {
                    continue;
                };
                let RootKind::Docs(v) = self.roots[root].kind else {
                    continue;
                };
                let fm = FrontMatter::parse(&format!("---\nid: {}\n---\n", page.id));
                let (id, slug) = doc_id_and_slug(rel, &fm);
                let url = self.url_in(root, v, &slug);
                self.ids.entry((root, id.clone())).or_insert_with(|| path.clone());
                self.docs.entry(path.clone()).or_insert(Doc {
                    root,
                    id: Some(id),
                    url,
                });
                self.generated_pages.insert(path, index);
            }
            self.openapi.push(GeneratedDir { spec, pages });
        }
    }

    /// Whether `path` is a page docusaurus-plugin-openapi-docs generates from a spec of the
    /// tree (`versioned_docs/version-v1.6/api/harvester-apis.info.mdx`), which the tree does
    /// not hold.
    pub fn is_generated_page(&self, path: &str) -> bool {
        self.generated_pages.contains_key(path)
    }

    /// The URL path a doc or page is served at, or `None` for a file that is neither.
    ///
    /// `path` is the relative path of an `.md`/`.mdx` file under a docs content root (or of a
    /// page under `src/pages`): `versioned_docs/version-v1.5/install/harvester-configuration.md`
    /// → `/v1.5/install/harvester-configuration`. Category index docs end in `/`
    /// (`/v1.5/install/`), as their permalink does in Docusaurus; translated docs are under
    /// `/<locale>`.
    pub fn doc_url(&self, path: &str) -> Option<String> {
        self.docs.get(path).map(|d| d.url.clone())
    }

    /// The doc id of a doc (`install/harvester-configuration`), as sidebars name it.
    pub fn doc_id(&self, path: &str) -> Option<&str> {
        self.docs.get(path).and_then(|d| d.id.as_deref())
    }

    /// Whether `path` is a doc or a page the site serves.
    pub fn is_doc(&self, path: &str) -> bool {
        self.docs.contains_key(path)
    }

    /// The file served at site path `url` (`/v1.5/install/`, trailing `/` optional), if a doc
    /// or page is served there. `url` must be percent-decoded and carry no `?` or `#`.
    pub fn file_at_url(&self, url: &str) -> Option<&str> {
        self.routes.get(route_key(url)).map(String::as_str)
    }

    /// The site path of an absolute URL on the site's own origin (`url` in the config):
    /// `https://docs.harvesterhci.io/v1.6/airgap` → `/v1.6/airgap`, for canonical links.
    pub fn own_site_path<'u>(&self, url: &'u str) -> Option<&'u str> {
        path_below(url, self.config.url.as_deref()?)
    }

    /// Where a link or image reference `reference`, written in file `from`, points.
    ///
    /// As Docusaurus resolves it:
    /// - `http(s)://`, `mailto:`, `pathname://` and other schemes, and `//host`, are
    ///   [`Resolution::External`];
    /// - `#x` alone is `from` itself;
    /// - a path ending in `.md`/`.mdx` is a file path (`markdownLinks.ts`): `./` and `../`
    ///   relative to `from`; `/x.md` relative to the content root of `from` or the site;
    ///   anything else tried against the content root, the site, then the folder of `from`.
    ///   The first candidate that is a doc wins. (Docusaurus 2's link pattern stops at the
    ///   `.md`, so `airgap.md/#x` is the file `airgap.md` too.)
    /// - `@site/x` is the file `x` of the site;
    /// - another path with a file extension is tried as an asset first (`transformImage`,
    ///   `transformLinks`): relative to the folder of `from`, or under `static/` when it starts
    ///   with `/`;
    /// - anything else is a URL: relative ones resolve against the permalink of `from` as a
    ///   browser does (`../install/x` from `/v1.5/vm/create-vm` is `/v1.5/install/x`), and
    ///   the site path is looked up among doc and page routes (a trailing `/` is accepted),
    ///   then as a file under `static/`. A file that has no URL (a README outside the docs)
    ///   resolves relative URLs against its folder.
    ///
    /// Paths and fragments are percent-decoded; `?query` is ignored. A page
    /// docusaurus-plugin-openapi-docs generates from a spec of the tree is a doc like the
    /// others (its path is the file the plugin writes, which the tree does not hold); another
    /// site path into a folder it generates is [`Resolution::MissingGenerated`] when a spec of
    /// the tree tells that folder's pages, [`Resolution::Generated`] otherwise.
    pub fn resolve_link(&self, from: &str, reference: &str) -> Resolution {
        let (path, fragment) = match split_link(from, reference) {
            Ok(split) => split,
            Err(decided) => return decided,
        };
        let found = |path: String| Resolution::File {
            path,
            fragment: fragment.clone(),
        };
        if let Some(site_file) = path.strip_prefix("@site/") {
            return match normalize(site_file).filter(|p| self.files.contains(p)) {
                Some(p) => found(p),
                None => Resolution::Missing {
                    why: format!("no file `{site_file}` in the site"),
                },
            };
        }
        if let Some(md) = markdown_file_path(&path) {
            return match self.markdown_file(from, md) {
                Ok(p) => found(p),
                Err(why) => Resolution::Missing { why },
            };
        }
        if has_asset_extension(&path) {
            let candidate = self.asset_candidate(from, &path);
            if let Some(p) = candidate.as_ref().filter(|p| self.files.contains(*p)) {
                return found(p.clone());
            }
            // Not an asset Docusaurus bundles: the browser may still find it as a URL.
            return match self.resolve_url_path(from, &path, fragment) {
                Resolution::Missing { .. } => Resolution::Missing {
                    why: match candidate {
                        Some(c) => format!("no file `{c}`"),
                        None => format!("`{path}` leaves the tree"),
                    },
                },
                other => other,
            };
        }
        self.resolve_url_path(from, &path, fragment)
    }

    /// A `.md`/`.mdx` file path `md` (decoded) written in `from`, resolved as
    /// `markdownLinks.ts` (`replaceMarkdownLinks`) does: the first candidate that is a doc.
    fn markdown_file(&self, from: &str, md: &str) -> Result<String, String> {
        let from_dir = parent(from);
        let Some((root, _)) = self
            .root_of(from)
            .filter(|(r, _)| self.roots[*r].kind != RootKind::Pages)
        else {
            // Outside the docs, Docusaurus leaves `.md` links alone; read them as file paths.
            return normalize(&join_path(from_dir, md))
                .filter(|p| self.files.contains(p))
                .ok_or_else(|| format!("no file `{md}` relative to `{from}`"));
        };
        let mut candidates = Vec::new();
        if !md.starts_with("./") && !md.starts_with("../") {
            let rel = md.trim_start_matches('/');
            candidates.push(join_path(&self.roots[root].dir, rel));
            if let RootKind::Docs(v) = self.roots[root].kind {
                if self.roots[root].locale.is_some() {
                    candidates.push(join_path(&self.versions[v].dir, rel));
                }
            }
            candidates.push(rel.to_string());
        }
        if !md.starts_with('/') {
            candidates.push(join_path(from_dir, md));
        }
        let candidates: Vec<String> = candidates.iter().filter_map(|c| normalize(c)).collect();
        if let Some(doc) = candidates.iter().find(|c| self.docs.contains_key(*c)) {
            return Ok(doc.clone());
        }
        match candidates.iter().find(|c| self.files.contains(*c)) {
            Some(file) => Err(format!("`{file}` exists but is not a doc Docusaurus serves")),
            None => Err(format!("no doc at {}", quoted_list(&candidates))),
        }
    }

    /// An asset path (decoded) written in `from`: relative to its folder, or under `static/`
    /// when it starts with `/` (`transformImage`'s `getImageAbsolutePath`, default
    /// `staticDirs: ['static']`).
    fn asset_candidate(&self, from: &str, path: &str) -> Option<String> {
        normalize(&match path.strip_prefix('/') {
            Some(abs) => join_path("static", abs),
            None => join_path(parent(from), path),
        })
    }

    /// A URL path (decoded, no `?`/`#`) written in `from`: the doc, page or static file it
    /// names.
    fn resolve_url_path(&self, from: &str, path: &str, fragment: Option<String>) -> Resolution {
        let found = |path: String| Resolution::File {
            path,
            fragment: fragment.clone(),
        };
        let locale = self.root_of(from).and_then(|(r, _)| self.roots[r].locale.clone());
        let site_path = if path.starts_with('/') {
            // Docusaurus's <Link> prefixes absolute paths with the (localized) baseUrl.
            self.with_base(path, locale.as_deref())
        } else if let Some(base) = self.doc_url(from) {
            resolve_relative_url(&base, path)
        } else {
            // A file the site does not serve: read the link as GitHub would, relative to it.
            let joined = join_path(parent(from), path);
            let joined = joined.trim_end_matches('/');
            return match normalize(joined) {
                Some(p) if self.files.contains(&p) || self.dirs.contains(&p) => found(p),
                Some(p) => match [".md", ".mdx"]
                    .iter()
                    .map(|ext| format!("{p}{ext}"))
                    .find(|c| self.files.contains(c))
                {
                    Some(c) => found(c),
                    None => Resolution::Missing {
                        why: format!(
                            "no file `{p}` (`{from}` is not served, so the link is read as a file path)"
                        ),
                    },
                },
                None => Resolution::Missing {
                    why: format!("`{path}` leaves the tree"),
                },
            };
        };
        if let Some(file) = self.file_at_url(&site_path) {
            return found(file.to_string());
        }
        let unprefixed = self.strip_base(&site_path);
        if let Some(p) = normalize(&join_path("static", unprefixed.trim_start_matches('/'))) {
            if self.files.contains(&p) {
                return found(p);
            }
        }
        if let Some(missing) = self
            .generated_path_of_url(&site_path)
            .and_then(|p| self.not_generated(&p))
        {
            return missing;
        }
        Resolution::Missing {
            why: format!("no doc, page or static file is served at `{site_path}`"),
        }
    }

    /// `path` with the base URL (and locale) the site serves it under.
    fn with_base(&self, path: &str, locale: Option<&str>) -> String {
        let prefix = self.locale_prefix(locale);
        let base = join_url(&[&self.config.base_url, &prefix]);
        if base != "/" && (path == base || path.starts_with(&format!("{base}/"))) {
            path.to_string()
        } else {
            join_url(&[&base, path])
        }
    }

    /// `url` without the base URL and a locale prefix.
    fn strip_base<'u>(&self, url: &'u str) -> &'u str {
        let base = self.config.base_url.trim_end_matches('/');
        let rest = url.strip_prefix(base).unwrap_or(url);
        for r in &self.roots {
            if let Some(loc) = &r.locale {
                if let Some(after) = rest.strip_prefix('/').and_then(|x| x.strip_prefix(loc.as_str())) {
                    if after.is_empty() || after.starts_with('/') {
                        return after;
                    }
                }
            }
        }
        rest
    }

    /// The generated folder a would-be file path falls in, if any.
    fn generated_dir(&self, path: &str) -> Option<String> {
        self.config
            .generated_dirs
            .iter()
            .find(|d| path.starts_with(&format!("{d}/")))
            .cloned()
    }

    /// What a doc path (`versioned_docs/version-v1.6/api/harvester-apis`, no extension) that
    /// no doc answers is, when it falls in a generated folder: [`Resolution::MissingGenerated`]
    /// when a spec of the tree tells the folder's pages, naming the spec and its info page
    /// (and the closest page, when another is close), else [`Resolution::Generated`].
    fn not_generated(&self, would_be: &str) -> Option<Resolution> {
        let dir = self.generated_dir(would_be)?;
        let generated = self.openapi.iter().find(|g| g.spec.output_dir == dir);
        let inside = &would_be[dir.len() + 1..];
        let (Some(generated), false) = (generated, inside.contains('/')) else {
            return Some(Resolution::Generated {
                dir,
                by: openapi::PLUGIN,
            });
        };
        let Some(pages) = &generated.pages else {
            return Some(Resolution::Generated {
                dir,
                by: openapi::PLUGIN,
            });
        };
        // Pages are named by their doc ids, as sidebars name them.
        let doc_id = |path: &str| {
            self.root_of(path)
                .map_or_else(|| path.to_string(), |(_, rel)| rel.to_string())
        };
        let page_id = |page: &Page| {
            let file = page.file(&dir);
            self.doc_id(&file).map_or_else(|| doc_id(&file), str::to_string)
        };
        let wanted = doc_id(would_be);
        let mut why = format!(
            "no page `{wanted}` is generated from `{}` into `{dir}`",
            generated.spec.spec_path
        );
        if let Some(info) = pages.iter().find(|p| p.kind == PageKind::Info) {
            why.push_str(&format!("; its info page is `{}`", page_id(info)));
        }
        let closest = pages
            .iter()
            .filter(|p| p.kind != PageKind::Info)
            .map(|p| (strsim::normalized_levenshtein(inside, &p.id), p))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, page)) = closest.filter(|(score, _)| *score >= 0.7) {
            why.push_str(&format!("; did you mean `{}`?", page_id(page)));
        }
        Some(Resolution::MissingGenerated { why })
    }

    /// The doc path a site path would have in a generated folder: the path mapped back into
    /// its version's docs root (`/v1.6/api/x` → `versioned_docs/version-v1.6/api/x`).
    fn generated_path_of_url(&self, site_path: &str) -> Option<String> {
        let rest = self.strip_base(site_path);
        let rest = rest.trim_start_matches('/');
        let rest = match self.config.route_base_path.as_str() {
            "" => rest,
            base => rest.strip_prefix(base)?.trim_start_matches('/'),
        };
        // The longest version path that prefixes the URL, `` (the last version) last.
        let mut versions: Vec<&Version> = self.versions.iter().collect();
        versions.sort_by_key(|v| std::cmp::Reverse(v.path.len()));
        for v in versions {
            let inside = match v.path.as_str() {
                "" => Some(rest),
                p => rest
                    .strip_prefix(p)
                    .filter(|r| r.is_empty() || r.starts_with('/'))
                    .map(|r| r.trim_start_matches('/')),
            };
            if let Some(inside) = inside {
                let path = join_path(&v.dir, inside.trim_end_matches('/'));
                return self.generated_dir(&path).map(|_| path);
            }
        }
        None
    }

    /// The content root holding `path` (index into `roots`) and the path inside it.
    fn root_of<'p>(&self, path: &'p str) -> Option<(usize, &'p str)> {
        self.roots.iter().enumerate().find_map(|(i, r)| {
            path.strip_prefix(r.dir.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
                .map(|rest| (i, rest))
        })
    }

    /// `/<locale>` for a non-default locale, else ``.
    fn locale_prefix(&self, locale: Option<&str>) -> String {
        match locale {
            Some(l) if l != self.default_locale => format!("/{l}"),
            _ => String::new(),
        }
    }

    /// The permalink of a doc of root `root` (version `v`) with slug `slug`
    /// (`docs.ts`: `normalizeUrl([versionMetadata.versionPath, docSlug])`, where the version
    /// path is `baseUrl` + locale + `routeBasePath` + version `path`).
    fn url_in(&self, root: usize, v: usize, slug: &str) -> String {
        let prefix = self.locale_prefix(self.roots[root].locale.as_deref());
        join_url(&[
            &self.config.base_url,
            &prefix,
            &self.config.route_base_path,
            &self.versions[v].path,
            slug,
        ])
    }

    /// Route key → file, per locale: a translated doc or page is served where the original
    /// would be under `/<locale>`, and an untranslated one is served from the original file
    /// there too (Docusaurus reads a localized file when it exists, the original otherwise).
    fn route_table(&self) -> HashMap<String, String> {
        let mut routes = HashMap::new();
        // Original docs and pages first.
        for (path, doc) in &self.docs {
            if self.roots[doc.root].locale.is_none() {
                routes
                    .entry(route_key(&doc.url).to_string())
                    .or_insert_with(|| path.clone());
            }
        }
        let locales: BTreeSet<&str> = self.roots.iter().filter_map(|r| r.locale.as_deref()).collect();
        for locale in locales {
            // Translations take their own URL (their own front matter).
            for (path, doc) in &self.docs {
                if self.roots[doc.root].locale.as_deref() == Some(locale) {
                    routes
                        .entry(route_key(&doc.url).to_string())
                        .or_insert_with(|| path.clone());
                }
            }
            // Untranslated originals are served under the locale prefix.
            let prefix = self.locale_prefix(Some(locale));
            if prefix.is_empty() {
                continue;
            }
            for (path, doc) in &self.docs {
                let root = &self.roots[doc.root];
                if root.locale.is_some() {
                    continue;
                }
                let translated = self.roots.iter().any(|r| {
                    r.locale.as_deref() == Some(locale)
                        && r.kind == root.kind
                        && self
                            .docs
                            .contains_key(&join_path(&r.dir, &path[root.dir.len() + 1..]))
                });
                if translated {
                    continue;
                }
                let rest = self.strip_base(&doc.url);
                let url = join_url(&[&self.config.base_url, &prefix, rest]);
                routes
                    .entry(route_key(&url).to_string())
                    .or_insert_with(|| path.clone());
            }
        }
        routes
    }
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
