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
//! from the OpenAPI specs of the tree ([`super::openapi`]) are docs of the model too, served
//! where Docusaurus will serve them, though no file of the tree holds them. This module does
//! no I/O except in [`Site::load`].

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io;
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use super::openapi::{self, Page, PageKind, PluginSpec};
use crate::walk::{self, Skip};

/// The name Docusaurus gives the version whose docs live in `docs/` (`CURRENT_VERSION_NAME`).
pub const CURRENT_VERSION: &str = "current";

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

/// What `docusaurus.config.js` says, as far as small regular expressions can tell.
#[derive(Debug, Clone)]
struct Config {
    /// `baseUrl`, with leading and trailing `/` (`/` by default).
    base_url: String,
    /// The site's own origin (`url`), without a trailing `/`.
    url: Option<String>,
    /// The docs plugin's `routeBasePath` without slashes (`docs` by default, `` for `/`).
    route_base_path: String,
    /// The docs plugin's `lastVersion`.
    last_version: Option<String>,
    /// The docs plugin's `versions.<name>.path`.
    version_paths: HashMap<String, String>,
    /// `i18n.defaultLocale`.
    default_locale: Option<String>,
    /// Folders a plugin fills at build time (docusaurus-plugin-openapi-docs `outputDir`).
    generated_dirs: Vec<String>,
    /// The specs docusaurus-plugin-openapi-docs generates those folders from.
    openapi: Vec<PluginSpec>,
}

#[derive(Debug, Clone)]
struct Version {
    /// `current` or the name in `versions.json` (`v1.6`).
    name: String,
    /// The URL segment(s) of the version, without slashes (`v1.6`, `next`, or ``).
    path: String,
    /// The content root of the version in the default locale (`docs`, `versioned_docs/version-v1.6`).
    dir: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RootKind {
    /// A docs content root of version `versions[i]`.
    Docs(usize),
    /// `src/pages` or its translation.
    Pages,
}

#[derive(Debug, Clone)]
struct Root {
    /// The root folder, relative, without a trailing `/`.
    dir: String,
    kind: RootKind,
    /// `None` for the default locale.
    locale: Option<String>,
}

#[derive(Debug, Clone)]
struct Doc {
    root: usize,
    /// The doc id (`install/harvester-configuration`); `None` for pages.
    id: Option<String>,
    /// The permalink (`/v1.5/install/harvester-configuration`, `/v1.5/install/` for an index).
    url: String,
}

/// Where a reference points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// A file of the tree, and the decoded fragment after `#` if the reference has one
    /// (`Some("")` for a bare `#`).
    File {
        /// The target's relative `/`-separated path.
        path: String,
        /// The percent-decoded fragment.
        fragment: Option<String>,
    },
    /// Another site or scheme: `http(s)://`, `mailto:`, `pathname://`, `//host/…`.
    External,
    /// A doc in a folder a plugin generates at build time (docusaurus-plugin-openapi-docs
    /// `outputDir`) that the tree cannot tell about: no spec of the tree generates the
    /// folder (or it is not read: a URL, YAML), or the doc would be in a subfolder (the
    /// plugin's schema pages). Legitimately missing from a source checkout.
    Generated {
        /// The generated folder, relative (`versioned_docs/version-v1.6/api`).
        dir: String,
    },
    /// A doc in a folder the plugin generates from a spec of the tree, which that spec does
    /// not generate: the plugin will write no such page.
    MissingGenerated {
        /// The spec, the id looked for and the page the spec generates instead.
        why: String,
    },
    /// Nothing in the tree answers.
    Missing {
        /// What was looked for, for a person to read.
        why: String,
    },
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
        let specs = match std::fs::read_to_string(root.join("docusaurus.config.js")) {
            Ok(config) => openapi_spec_paths(&config),
            Err(e) if e.kind() == io::ErrorKind::NotFound => HashSet::new(),
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!("cannot read `docusaurus.config.js`: {e}"),
                ))
            }
        };
        Ok(Site::from_files(&read_tree(root, |p| {
            is_doc_file(p) || matches!(p, "docusaurus.config.js" | "versions.json") || specs.contains(p)
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

        let mut dirs = HashSet::new();
        for path in files.keys() {
            let mut p = path.as_str();
            while let Some(i) = p.rfind('/') {
                p = &p[..i];
                if !dirs.insert(p.to_string()) {
                    break;
                }
            }
        }
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
        let origin = self.config.url.as_deref()?;
        let rest = url.strip_prefix(origin)?;
        match rest {
            "" => Some("/"),
            r if r.starts_with(['/', '?', '#']) => Some(r),
            _ => None,
        }
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
        let reference = reference.trim();
        if is_external(reference) {
            return Resolution::External;
        }
        let (path_part, fragment) = match reference.split_once('#') {
            Some((p, f)) => (p, Some(percent_decode(f))),
            None => (reference, None),
        };
        let raw_path = path_part.split_once('?').map_or(path_part, |(p, _)| p);
        let found = |path: String| Resolution::File {
            path,
            fragment: fragment.clone(),
        };
        if raw_path.is_empty() {
            if reference.is_empty() {
                return Resolution::Missing {
                    why: "empty link".to_string(),
                };
            }
            return found(from.to_string());
        }
        let path = percent_decode(raw_path);
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

    /// The doc a sidebar or category doc id names: `id` (`install/harvester-configuration`)
    /// used in file `from`, or `None`. See [`Site::resolve_sidebar_id`].
    pub fn resolve_doc_id(&self, from: &str, id: &str) -> Option<String> {
        match self.resolve_sidebar_id(from, id) {
            Resolution::File { path, .. } => Some(path),
            _ => None,
        }
    }

    /// Where a doc id used in file `from` points, with the reason when it points nowhere.
    ///
    /// The version comes from the file: `sidebars.js` names docs of the current version,
    /// `versioned_sidebars/version-<v>-sidebars.json` docs of version `<v>`. In a
    /// `_category_.json` under a docs root, `link.id` is first a doc of that folder by its
    /// last id segment, then a doc id of the whole version (`sidebars/generator.ts`,
    /// `getCategoryLinkedDocId`). A translated root falls back to the docs it translates.
    pub fn resolve_sidebar_id(&self, from: &str, id: &str) -> Resolution {
        let Some((roots, folder)) = self.id_scope(from) else {
            return Resolution::Missing {
                why: format!("`{from}` is not a sidebar or category file of a docs version"),
            };
        };
        if let Some(folder) = &folder {
            let local = self.docs.iter().find(|(p, d)| {
                roots.first() == Some(&d.root)
                    && parent(p) == folder
                    && d.id.as_deref().is_some_and(|i| i.rsplit('/').next() == Some(id))
            });
            if let Some((p, _)) = local {
                return Resolution::File {
                    path: p.clone(),
                    fragment: None,
                };
            }
        }
        for root in &roots {
            if let Some(p) = self.ids.get(&(*root, id.to_string())) {
                return Resolution::File {
                    path: p.clone(),
                    fragment: None,
                };
            }
        }
        let root = &self.roots[roots[0]];
        let would_be = format!("{}/{id}", root.dir);
        if let Some(missing) = self.not_generated(&would_be) {
            return missing;
        }
        Resolution::Missing {
            why: format!("no doc with id `{id}` in `{}`", root.dir),
        }
    }

    /// The folder an autogenerated sidebar item's `dirName` (`.`, `install`) names, in the
    /// version whose sidebar `from` is (`sidebars/generator.ts`: relative to the docs root).
    pub fn resolve_sidebar_dir(&self, from: &str, dir: &str) -> Resolution {
        let Some((roots, _)) = self.id_scope(from) else {
            return Resolution::Missing {
                why: format!("`{from}` is not a sidebar file of a docs version"),
            };
        };
        let root = &self.roots[roots[0]].dir;
        match normalize(&join_path(root, dir)) {
            Some(p) if self.dirs.contains(&p) => Resolution::File {
                path: p,
                fragment: None,
            },
            Some(p) => Resolution::Missing {
                why: format!("no folder `{p}`"),
            },
            None => Resolution::Missing {
                why: format!("`{dir}` leaves the docs root"),
            },
        }
    }

    /// The docs roots (own first, then the one it translates) and, for a category file, its
    /// folder, in which doc ids used in `from` are looked up.
    fn id_scope(&self, from: &str) -> Option<(Vec<usize>, Option<String>)> {
        let version_dir = |name: &str| {
            let v = self.versions.iter().position(|v| v.name == name)?;
            self.roots
                .iter()
                .position(|r| r.kind == RootKind::Docs(v) && r.locale.is_none())
        };
        if matches!(from, "sidebars.js" | "sidebars.json" | "sidebars.ts") {
            return Some((vec![version_dir(CURRENT_VERSION)?], None));
        }
        if let Some(name) = from
            .strip_prefix("versioned_sidebars/version-")
            .and_then(|r| r.strip_suffix("-sidebars.json"))
        {
            return Some((vec![version_dir(name)?], None));
        }
        let (root, _) = self.root_of(from)?;
        let RootKind::Docs(v) = self.roots[root].kind else {
            return None;
        };
        let mut roots = vec![root];
        if self.roots[root].locale.is_some() {
            roots.extend(
                self.roots
                    .iter()
                    .position(|r| r.kind == RootKind::Docs(v) && r.locale.is_none()),
            );
        }
        Some((roots, Some(parent(from).to_string())))
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
            return Some(Resolution::Generated { dir });
        };
        let Some(pages) = &generated.pages else {
            return Some(Resolution::Generated { dir });
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

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: "/".to_string(),
            url: None,
            route_base_path: "docs".to_string(),
            last_version: None,
            version_paths: HashMap::new(),
            default_locale: None,
            generated_dirs: Vec::new(),
            openapi: Vec::new(),
        }
    }
}

impl Config {
    /// Reads the options rebrand needs from `docusaurus.config.js`, best effort: the first
    /// `baseUrl`, `url`, `routeBasePath`, `lastVersion` and `defaultLocale` string values, the
    /// `path` of each entry of the docs plugin's `versions` object, and every `outputDir`.
    /// Whatever is not found keeps Docusaurus's default.
    fn parse(text: &str) -> Config {
        static FIELD: OnceLock<Regex> = OnceLock::new();
        let field = FIELD.get_or_init(|| {
            Regex::new(r#"(?m)(?:^|[\s,{])(baseUrl|url|routeBasePath|lastVersion|defaultLocale|outputDir)\s*:\s*(?:"([^"]*)"|'([^']*)'|`([^`$]*)`)"#)
                .expect("config field pattern is valid")
        });
        let code = strip_js_comments(text);
        let mut config = Config::default();
        let mut seen = HashSet::new();
        for c in field.captures_iter(&code) {
            let key = c.get(1).map_or("", |m| m.as_str());
            let value = c
                .get(2)
                .or(c.get(3))
                .or(c.get(4))
                .map_or("", |m| m.as_str())
                .to_string();
            if key == "outputDir" {
                config
                    .generated_dirs
                    .push(value.trim_matches('/').trim_start_matches("./").to_string());
                continue;
            }
            if !seen.insert(key) {
                continue;
            }
            match key {
                "baseUrl" => config.base_url = join_url(&["/", &value, "/"]),
                "url" => config.url = Some(value.trim_end_matches('/').to_string()),
                "routeBasePath" => config.route_base_path = value.trim_matches('/').to_string(),
                "lastVersion" => config.last_version = Some(value),
                "defaultLocale" => config.default_locale = Some(value),
                _ => {}
            }
        }
        config.version_paths = version_paths(&code);
        config.openapi = openapi::plugin_specs(&code);
        config
    }
}

/// The OpenAPI specs of the tree that docusaurus-plugin-openapi-docs generates pages from,
/// as `docusaurus.config.js` (`config`) names them: the texts [`Site::from_files`] needs
/// besides the docs.
pub fn openapi_spec_paths(config: &str) -> HashSet<String> {
    openapi::plugin_specs(&strip_js_comments(config))
        .into_iter()
        .filter(PluginSpec::is_readable)
        .map(|s| s.spec_path)
        .collect()
}

/// The `path` of each entry of the first `versions: { … }` object that has any: the docs
/// plugin's per-version options (`versions: { current: { path: 'v1.7' }, "v1.6": { … } }`).
fn version_paths(code: &str) -> HashMap<String, String> {
    static OBJECT: OnceLock<Regex> = OnceLock::new();
    static ENTRY: OnceLock<Regex> = OnceLock::new();
    static PATH: OnceLock<Regex> = OnceLock::new();
    let object =
        OBJECT.get_or_init(|| Regex::new(r"\bversions\s*:\s*\{").expect("versions pattern is valid"));
    let entry = ENTRY.get_or_init(|| {
        Regex::new(r#"(?:"([^"]+)"|'([^']+)'|([A-Za-z_$][\w$]*))\s*:\s*\{"#).expect("entry pattern is valid")
    });
    let path = PATH.get_or_init(|| {
        Regex::new(r#"(?:^|[\s,{])path\s*:\s*(?:"([^"]*)"|'([^']*)'|`([^`$]*)`)"#)
            .expect("path pattern is valid")
    });
    for m in object.find_iter(code) {
        let Some(body) = braced(code, m.end() - 1) else {
            continue;
        };
        let mut paths = HashMap::new();
        let mut pos = 0;
        while let Some(c) = entry.captures_at(body, pos) {
            let whole = c.get(0).expect("group 0 always matches");
            let name = c.get(1).or(c.get(2)).or(c.get(3)).map_or("", |m| m.as_str());
            let Some(inner) = braced(body, whole.end() - 1) else {
                break;
            };
            if let Some(p) = path.captures(inner) {
                let value = p.get(1).or(p.get(2)).or(p.get(3)).map_or("", |m| m.as_str());
                paths.insert(name.to_string(), value.trim_matches('/').to_string());
            }
            pos = whole.end() + inner.len();
        }
        if !paths.is_empty() {
            return paths;
        }
    }
    HashMap::new()
}

/// The text inside the braces opening at `open` (a `{`), strings and nesting respected.
fn braced(text: &str, open: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = open;
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) => {
                if c == b'\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                b'"' | b'\'' | b'`' => quote = Some(c),
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(&text[open + 1..i]);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// `text` with `//` and `/* */` comments blanked (outside strings), offsets kept.
fn strip_js_comments(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) => {
                if c == b'\\' {
                    i += 1;
                } else if c == q || (c == b'\n' && q != b'`') {
                    quote = None;
                }
            }
            None => {
                if c == b'/' && bytes.get(i + 1) == Some(&b'/') {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        out[i] = b' ';
                        i += 1;
                    }
                    continue;
                }
                if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
                    while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                        if bytes[i] != b'\n' {
                            out[i] = b' ';
                        }
                        i += 1;
                    }
                    for b in out.iter_mut().take((i + 2).min(bytes.len())).skip(i) {
                        *b = b' ';
                    }
                    i += 2;
                    continue;
                }
                if matches!(c, b'"' | b'\'' | b'`') {
                    quote = Some(c);
                }
            }
        }
        i += 1;
    }
    // Only ASCII bytes were blanked, and only whole comments, so this stays UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The version names of `versions.json` (a JSON array of strings), in order.
fn parse_versions_json(text: &str) -> Vec<String> {
    static NAME: OnceLock<Regex> = OnceLock::new();
    let name = NAME.get_or_init(|| Regex::new(r#""((?:[^"\\]|\\.)*)""#).expect("name pattern is valid"));
    name.captures_iter(text).map(|c| c[1].to_string()).collect()
}

/// Version names from `versioned_docs/version-<v>/` folders, newest first.
fn discover_versions<'a>(paths: impl Iterator<Item = &'a String>) -> Vec<String> {
    let names: BTreeSet<String> = paths
        .filter_map(|p| p.strip_prefix("versioned_docs/version-"))
        .filter_map(|r| r.split_once('/').map(|(v, _)| v.to_string()))
        .collect();
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort_by_key(|n| std::cmp::Reverse(natural_key(n)));
    names
}

/// A key that orders `v1.10` after `v1.9`.
fn natural_key(s: &str) -> Vec<(u64, String)> {
    static PART: OnceLock<Regex> = OnceLock::new();
    let part = PART.get_or_init(|| Regex::new(r"(\d+)|(\D+)").expect("part pattern is valid"));
    part.captures_iter(s)
        .map(|c| match c.get(1) {
            Some(n) => (n.as_str().parse().unwrap_or(u64::MAX), String::new()),
            None => (0, c[2].to_string()),
        })
        .collect()
}

/// The versions, current first, with their URL paths (`versions.ts`, `getVersionPathPart`:
/// the last version has no path segment, the current one is `next`, the others their name,
/// unless the config's `versions.<name>.path` says otherwise).
fn versions(config: &Config, names: &[String]) -> Vec<Version> {
    let last = config
        .last_version
        .clone()
        .or_else(|| names.first().cloned())
        .unwrap_or_else(|| CURRENT_VERSION.to_string());
    std::iter::once(CURRENT_VERSION.to_string())
        .chain(names.iter().cloned())
        .map(|name| {
            let default = if name == last {
                String::new()
            } else if name == CURRENT_VERSION {
                "next".to_string()
            } else {
                name.clone()
            };
            Version {
                path: config.version_paths.get(&name).cloned().unwrap_or(default),
                dir: if name == CURRENT_VERSION {
                    "docs".to_string()
                } else {
                    format!("versioned_docs/version-{name}")
                },
                name,
            }
        })
        .collect()
}

/// Locales with translations in the tree (`i18n/<locale>/`), the default one excluded.
fn locales<'a>(paths: impl Iterator<Item = &'a String>, default: &str) -> Vec<String> {
    let set: BTreeSet<&str> = paths
        .filter_map(|p| p.strip_prefix("i18n/"))
        .filter_map(|r| {
            let (loc, rest) = r.split_once('/')?;
            (rest.starts_with("docusaurus-plugin-content-docs/")
                || rest.starts_with("docusaurus-plugin-content-pages/"))
            .then_some(loc)
        })
        .filter(|l| *l != default)
        .collect();
    set.into_iter().map(String::from).collect()
}

/// The content roots: per version `docs/` or `versioned_docs/version-<v>/`, `src/pages`, and
/// their translations `i18n/<locale>/docusaurus-plugin-content-docs/{current,version-<v>}/`
/// and `i18n/<locale>/docusaurus-plugin-content-pages/` (`getDocsDirPathLocalized`).
fn roots(versions: &[Version], locales: &[String]) -> Vec<Root> {
    let mut roots = Vec::new();
    for locale in locales {
        for (i, v) in versions.iter().enumerate() {
            let folder = if v.name == CURRENT_VERSION {
                CURRENT_VERSION.to_string()
            } else {
                format!("version-{}", v.name)
            };
            roots.push(Root {
                dir: format!("i18n/{locale}/docusaurus-plugin-content-docs/{folder}"),
                kind: RootKind::Docs(i),
                locale: Some(locale.clone()),
            });
        }
        roots.push(Root {
            dir: format!("i18n/{locale}/docusaurus-plugin-content-pages"),
            kind: RootKind::Pages,
            locale: Some(locale.clone()),
        });
    }
    for (i, v) in versions.iter().enumerate() {
        roots.push(Root {
            dir: v.dir.clone(),
            kind: RootKind::Docs(i),
            locale: None,
        });
    }
    roots.push(Root {
        dir: "src/pages".to_string(),
        kind: RootKind::Pages,
        locale: None,
    });
    roots
}

/// The front matter keys that decide a doc's id and URL.
#[derive(Debug, Default)]
struct FrontMatter {
    id: Option<String>,
    slug: Option<String>,
    parse_number_prefixes: bool,
}

impl FrontMatter {
    /// Reads top-level `id:`, `slug:` and `parse_number_prefixes:` from the YAML front matter
    /// at the start of `text` (plain or quoted scalars; enough for these keys).
    fn parse(text: &str) -> FrontMatter {
        let mut fm = FrontMatter {
            parse_number_prefixes: true,
            ..FrontMatter::default()
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let Some((block, _)) = front_matter(text) else {
            return fm;
        };
        for line in block.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let value = yaml_scalar(value);
            match key {
                "id" => fm.id = Some(value),
                "slug" => fm.slug = Some(value),
                "parse_number_prefixes" => fm.parse_number_prefixes = value != "false",
                _ => {}
            }
        }
        fm
    }
}

/// The YAML front matter at the very start of `text` (see
/// [`crate::scan::front_matter_block`]): the text between the `---` fences, and the offset
/// just after the closing fence's line.
pub(crate) fn front_matter(text: &str) -> Option<(&str, usize)> {
    crate::scan::front_matter_block(text).map(|(block, end)| (&text[block], end))
}

/// A plain or quoted YAML scalar, without quotes and a trailing comment.
fn yaml_scalar(value: &str) -> String {
    let v = value.trim();
    if let Some(inner) = v.strip_prefix('"').and_then(|r| r.rfind('"').map(|i| &r[..i])) {
        return inner.replace("\\\"", "\"");
    }
    if let Some(inner) = v.strip_prefix('\'').and_then(|r| r.rfind('\'').map(|i| &r[..i])) {
        return inner.replace("''", "'");
    }
    match v.find(" #") {
        Some(i) => v[..i].trim_end().to_string(),
        None => v.to_string(),
    }
}

/// The doc id and slug of the doc at `rel` (path inside its docs root), as `docs.ts`
/// (`doProcessDocMetadata`) and `slug.ts` (`getSlug`) compute them:
/// - id = folder (number prefixes stripped) + `/` + (front matter `id` or the file name
///   without extension and number prefix);
/// - slug = a front matter `slug` starting with `/` as is; else the folder URL for a category
///   index (`index`, `readme`, or a file named like its folder, any case) without a `slug`;
///   else the `slug` or the base id resolved against the folder URL.
fn doc_id_and_slug(rel: &str, fm: &FrontMatter) -> (String, String) {
    let (dir, file) = match rel.rfind('/') {
        Some(i) => (&rel[..i], &rel[i + 1..]),
        None => ("", rel),
    };
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let strip = |s: &str| {
        if fm.parse_number_prefixes {
            strip_number_prefix(s).to_string()
        } else {
            s.to_string()
        }
    };
    let base_id = fm.id.clone().unwrap_or_else(|| strip(stem));
    let dir_stripped: Vec<String> = dir.split('/').filter(|s| !s.is_empty()).map(strip).collect();
    let dir_stripped = dir_stripped.join("/");
    let id = if dir_stripped.is_empty() {
        base_id.clone()
    } else {
        format!("{dir_stripped}/{base_id}")
    };
    let dir_slug = if dir.is_empty() {
        "/".to_string()
    } else {
        format!("/{dir_stripped}/")
    };
    let slug = match &fm.slug {
        Some(s) if s.starts_with('/') => s.clone(),
        None if is_category_index(stem, dir) => dir_slug,
        other => resolve_relative_url(&dir_slug, other.as_deref().unwrap_or(&base_id)),
    };
    (id, slug)
}

/// `docs.ts` `isCategoryIndex`: the file name (unstripped, any case) is `index`, `readme`, or
/// the name of the folder holding it.
fn is_category_index(stem: &str, dir: &str) -> bool {
    let stem = stem.to_lowercase();
    let folder = dir.rsplit('/').next().unwrap_or("").to_lowercase();
    stem == "index" || stem == "readme" || (!folder.is_empty() && stem == folder)
}

/// `numberPrefix.ts` `DefaultNumberPrefixParser`: `01-intro` → `intro`, `003 - doc` → `doc`;
/// date-like (`2021-01-…`) and version-like (`1.2-…`) names are kept.
pub fn strip_number_prefix(name: &str) -> &str {
    static IGNORED: OnceLock<Regex> = OnceLock::new();
    static PREFIX: OnceLock<Regex> = OnceLock::new();
    let ignored = IGNORED.get_or_init(|| {
        Regex::new(r"^(?:(?:\d{2}|\d{4})[-_.]\d{2}(?:[-_.](?:\d{2}|\d{4}))?|\d+[-_.]\d+)")
            .expect("ignored prefix pattern is valid")
    });
    let prefix = PREFIX.get_or_init(|| Regex::new(r"^\d+\s*[-_.]+\s*").expect("prefix pattern is valid"));
    if ignored.is_match(name) {
        return name;
    }
    match prefix.find(name) {
        Some(m) => &name[m.end()..],
        None => name,
    }
}

/// The route of a page file (`plugin-content-pages`: the path without extension, `index`
/// naming its folder).
fn page_slug(rel: &str) -> String {
    let stem = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
    match stem.strip_suffix("index") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{stem}"),
    }
}

/// Whether `path` is an `.md`/`.mdx` file.
pub fn is_doc_file(path: &str) -> bool {
    path.ends_with(".md") || path.ends_with(".mdx")
}

fn is_page_file(path: &str) -> bool {
    is_doc_file(path) || [".js", ".jsx", ".ts", ".tsx"].iter().any(|e| path.ends_with(e))
}

/// The docs and pages plugins' default `exclude`: `**/_*.{js,jsx,ts,tsx,md,mdx}`, `**/_*/**`,
/// `**/*.test.{js,jsx,ts,tsx}`, `**/__tests__/**`.
fn is_included(rel: &str) -> bool {
    let file = rel.rsplit('/').next().unwrap_or(rel);
    !rel.split('/').any(|s| s.starts_with('_')) && !file.contains(".test.")
}

/// Whether a reference leaves the site: a URL scheme (`https:`, `mailto:`, `pathname:`) or a
/// protocol-relative `//host`.
fn is_external(reference: &str) -> bool {
    static SCHEME: OnceLock<Regex> = OnceLock::new();
    let scheme =
        SCHEME.get_or_init(|| Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*:").expect("scheme pattern is valid"));
    reference.starts_with("//") || scheme.is_match(reference)
}

/// The `.md`/`.mdx` file a path names, if it is a Markdown file link: the path ends in the
/// extension, or has it just before a trailing `/` (Docusaurus 2's pattern stops at `.md`).
fn markdown_file_path(path: &str) -> Option<&str> {
    let p = path.strip_suffix('/').unwrap_or(path);
    is_doc_file(p).then_some(p)
}

/// Whether the last segment of `path` has a file extension (with a letter, so `v1.5` has
/// none) other than `.md`/`.mdx`/`.html` (`transformLinks`: only such links are assets).
pub(crate) fn has_asset_extension(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or(path);
    match last.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && !ext.is_empty()
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && ext.chars().any(|c| c.is_ascii_alphabetic())
                && !matches!(ext, "md" | "mdx" | "html")
        }
        None => false,
    }
}

/// The folder part of a relative path (`` for a top-level file).
fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

fn join_path(dir: &str, rel: &str) -> String {
    if dir.is_empty() {
        rel.to_string()
    } else {
        format!("{dir}/{rel}")
    }
}

/// Resolves `.` and `..` segments of a relative path; `None` if it climbs out of the tree.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Joins URL pieces with single slashes (`normalizeUrl`), keeping a trailing `/` of the last
/// piece and a leading `/`.
fn join_url(pieces: &[&str]) -> String {
    let mut out = String::from("/");
    for piece in pieces {
        for seg in piece.split('/').filter(|s| !s.is_empty()) {
            if !out.ends_with('/') {
                out.push('/');
            }
            out.push_str(seg);
        }
    }
    if pieces.last().is_some_and(|p| p.ends_with('/')) && !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// Resolves a relative URL path against a base URL path as a browser does (RFC 3986 section
/// 5.2: merge with the base's folder, then remove dot segments).
pub fn resolve_relative_url(base: &str, rel: &str) -> String {
    if rel.starts_with('/') {
        return remove_dot_segments(rel);
    }
    if rel.is_empty() {
        return base.to_string();
    }
    let folder = &base[..base.rfind('/').map_or(0, |i| i + 1)];
    remove_dot_segments(&format!("{folder}{rel}"))
}

fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = path.split('/').collect();
    for (i, seg) in segs.iter().enumerate() {
        let last = i + 1 == segs.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

/// The key a route is matched by: without a trailing `/` (react-router's non-strict match).
fn route_key(url: &str) -> &str {
    match url.trim_end_matches('/') {
        "" => "/",
        k => k,
    }
}

/// Percent-decodes `s` (`decodeURIComponent`); invalid escapes and invalid UTF-8 are kept.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The names of the config file Docusaurus looks for at a site's root, in its order
/// (`@docusaurus/core`, `server/config.ts`): the file that makes a folder a Docusaurus site.
pub const CONFIG_FILES: [&str; 6] = [
    "docusaurus.config.ts",
    "docusaurus.config.mts",
    "docusaurus.config.cts",
    "docusaurus.config.js",
    "docusaurus.config.mjs",
    "docusaurus.config.cjs",
];

/// The folders a Docusaurus site holds that are not its source, which no walk of a site
/// lists (see [`crate::site::walk_policy`]):
/// - `node_modules/`, anywhere: what npm installs, never documentation (beside the site's
///   `package.json`, or a local plugin's); rewriting a dependency's code would break it;
/// - `.docusaurus/`, anywhere: the files Docusaurus generates for a build
///   (`generatedFilesDir`); no folder of content has the name;
/// - `build/`, at the site's root only: the built site (`outDir`), the upstream's pages
///   unbranded. Deeper, `build` is an ordinary name for content (`docs/build/`, a page
///   about building), read like any other folder.
///
/// A file or a link of those names is content, as is any of them in a tree that is not a
/// Docusaurus site.
pub const GENERATED_FOLDERS: [Skip; 3] = [
    Skip::folder_anywhere("node_modules"),
    Skip::folder_anywhere(".docusaurus"),
    Skip::root_folder("build"),
];

/// Whether the folder at `root` is a Docusaurus site: it holds one of [`CONFIG_FILES`] (a
/// file, or a link to one).
pub fn is_site(root: &Path) -> bool {
    CONFIG_FILES.iter().any(|name| root.join(name).is_file())
}

/// Reads the tree at `root` as every command walks it ([`crate::site::walk_policy`]): every
/// entry's relative path but its folders' (files, links, special files), with its text when
/// it is a regular file, `wanted(path)` and UTF-8 (the texts are read in parallel).
///
/// # Errors
/// An I/O error naming every entry that could not be listed (a folder that cannot be read,
/// a name that is not UTF-8), or else the first file in walk order that `wanted` takes and
/// that cannot be read.
pub(crate) fn read_tree(
    root: &Path,
    wanted: impl Fn(&str) -> bool + Sync,
) -> io::Result<BTreeMap<String, Option<String>>> {
    use rayon::prelude::*;
    let entries = walk::walk(root, &super::walk_policy(root)).map_err(|errors| {
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        io::Error::other(messages.join("\n"))
    })?;
    let read: Vec<io::Result<(String, Option<String>)>> = entries
        .into_par_iter()
        .filter(|e| e.kind != walk::Kind::Dir)
        .map(|e| {
            if e.kind != walk::Kind::File || !wanted(&e.rel) {
                return Ok((e.rel, None));
            }
            match std::fs::read(&e.path) {
                Ok(bytes) => Ok((e.rel, String::from_utf8(bytes).ok())),
                Err(err) => Err(io::Error::new(
                    err.kind(),
                    format!("cannot read `{}`: {err}", e.path.display()),
                )),
            }
        })
        .collect();
    read.into_iter().collect()
}

#[cfg(test)]
mod tests {
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
                dir: "versioned_docs/version-v1.6/api".into()
            }
        );
        assert_eq!(
            s.resolve_link(from, "../api/create-namespaced-virtual-machine"),
            Resolution::Generated {
                dir: "versioned_docs/version-v1.6/api".into()
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
                dir: "versioned_docs/version-v1.6/api".into()
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
        let Resolution::MissingGenerated { why } = s.resolve_sidebar_id(sidebar, "api/hypervisor-apis")
        else {
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
                dir: "versioned_docs/version-v1.6/api".into()
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
}
