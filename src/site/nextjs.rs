//! The site model the Next.js documentation generators share (Nextra, Fumadocs): pages
//! served at routes made from their paths, without a trailing `/` (Next.js's default
//! `trailingSlash: false`), a folder's static files served at the site's root, and a link
//! read as the browser reads it on the built page (Next.js's `<Link>` takes the `href` as it
//! is): a site path, or relative to the page's URL; else a file relative to the page's file.
//! Each generator says which files are pages and at which route.

use std::collections::BTreeMap;

use super::links::{Reference, ReferenceKind};
use super::pages::Pages;
use super::url::{browser_site_path, join_path, normalize, parent, split_link};
use super::{Resolution, SiteModel};
use crate::scan::FileKind;

/// A Next.js documentation site as rebrand sees it: its pages and where each is served.
#[derive(Debug, Clone)]
pub struct NextSite {
    /// The generator's name, for the reasons a reference is missing.
    generator: &'static str,
    /// The folder served at the site's root (Next.js: `public/`).
    static_folder: &'static str,
    /// The pages and every file and folder of the tree.
    pages: Pages,
    /// The references in the generator's own files ([`SiteModel::own_references`]).
    own_references: fn(&str, FileKind, &str) -> Vec<Reference>,
}

impl NextSite {
    /// The model of in-memory files (relative path → text, `None` for a file not read):
    /// `url_of(path)` is the route a file is served at (`None` for a file that is no page),
    /// `static_folder` the folder served at the site's root, `generator` the generator's name,
    /// `own_references` the references of its navigation files (a path, the kind it is read
    /// as and its text in; the references out).
    pub(crate) fn new(
        files: &BTreeMap<String, Option<String>>,
        url_of: impl Fn(&str) -> Option<String>,
        static_folder: &'static str,
        generator: &'static str,
        own_references: fn(&str, FileKind, &str) -> Vec<Reference>,
    ) -> NextSite {
        NextSite {
            generator,
            static_folder,
            pages: Pages::new(files, url_of, route_key),
            own_references,
        }
    }

    /// A site path (decoded, no `?`/`#`): the page served there, or the static file.
    fn at_site_path(&self, path: &str) -> Option<String> {
        self.pages
            .page_at(path)
            .or_else(|| self.pages.file_in(self.static_folder, path))
    }
}

impl SiteModel for NextSite {
    fn url_of(&self, path: &str) -> Option<String> {
        self.pages.url_of(path)
    }

    /// Links and images: external ones leave the site; `#x` is the page itself; a path
    /// starting with `/` is a site path (a page, or a file of the static folder); another is
    /// relative to the page's URL (`/docs/a` + `b` is `/docs/b`), else a file relative to
    /// the page's file (an image beside it). Next.js sites have no doc ids, sidebar folders
    /// or page refs.
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
                why: format!("{} has no {}s", self.generator, kind.name()),
            };
        }
        let (path, fragment) = match split_link(from, reference) {
            Ok(split) => split,
            Err(decided) => return decided,
        };
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
        // A navigation file (`_meta.json`, `meta.json`) names a page by its file's name
        // without the extension.
        if site_path.is_none() {
            let page = PAGE_EXTENSIONS
                .iter()
                .find_map(|ext| self.pages.beside(from, &format!("{path}.{ext}")));
            if let Some(file) = page {
                return found(file);
            }
        }
        Resolution::Missing {
            why: match (site_path, normalize(&join_path(parent(from), &path))) {
                (Some(p), _) => format!("no page or file of `{}` is served at `{p}`", self.static_folder),
                (None, Some(file)) => format!("no file `{file}`"),
                (None, None) => format!("`{path}` leaves the tree"),
            },
        }
    }

    /// The generator's navigation files' references (its `own_references`).
    fn own_references(&self, path: &str, kind: FileKind, text: &str) -> Vec<Reference> {
        (self.own_references)(path, kind, text)
    }

    /// Not modelled: a Next.js site's own origin is in no file rebrand reads.
    fn own_site_path<'u>(&self, _url: &'u str) -> Option<&'u str> {
        None
    }
}

/// The extensions of the files a navigation file can name by their name alone: Markdown and
/// MDX pages, and the React pages of Next.js's `pages/` router.
const PAGE_EXTENSIONS: [&str; 6] = ["mdx", "md", "tsx", "jsx", "ts", "js"];

/// The route of a page at `stem` (its path below the folder routes start from, without the
/// extension), below `base` (`""` or `/docs`): `a/b` is `/a/b`, an `index` its folder's
/// route, a route group's folder (`(guides)`, Next.js "Route Groups") no segment.
pub(crate) fn page_route(base: &str, stem: &str) -> String {
    let segments: Vec<&str> = stem
        .split('/')
        .filter(|s| !s.is_empty() && !is_route_group(s))
        .collect();
    let segments = match segments.split_last() {
        Some((&"index", rest)) => rest,
        _ => &segments[..],
    };
    let route = format!("{base}/{}", segments.join("/"));
    match route.trim_end_matches('/') {
        "" => "/".to_string(),
        r => r.to_string(),
    }
}

/// Whether a folder name is a route group's (`(guides)`), which adds no segment.
fn is_route_group(name: &str) -> bool {
    name.starts_with('(') && name.ends_with(')')
}

/// The key a route is matched by: without a trailing `/`.
fn route_key(url: &str) -> &str {
    match url.trim_end_matches('/') {
        "" => "/",
        k => k,
    }
}

/// Whether the `package.json` text `package` names `dependency` as a dependency (its name
/// as a quoted key; best effort, as the configs are read).
pub(crate) fn depends_on(package: &str, dependency: &str) -> bool {
    let quoted = format!("\"{dependency}\"");
    package
        .match_indices(&quoted)
        .any(|(at, _)| package[at + quoted.len()..].trim_start().starts_with(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_drop_the_index_and_route_groups() {
        assert_eq!(page_route("", "index"), "/");
        assert_eq!(page_route("", "guide/index"), "/guide");
        assert_eq!(page_route("", "guide/setup"), "/guide/setup");
        assert_eq!(page_route("/docs", "index"), "/docs");
        assert_eq!(page_route("/docs", "(guides)/setup"), "/docs/setup");
        assert_eq!(page_route("", ""), "/");
    }

    #[test]
    fn a_dependency_is_a_quoted_key() {
        let package = "{\n  \"dependencies\": {\n    \"nextra\": \"^4.2.17\",\n    \"next\": \"15\"\n  }\n}";
        assert!(depends_on(package, "nextra"));
        assert!(depends_on(package, "next"));
        assert!(!depends_on(package, "nextra-theme-docs"));
        assert!(!depends_on("{\"name\": \"nextra\"}", "nextra"));
    }
}
