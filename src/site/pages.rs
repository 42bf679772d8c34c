//! The page table of a generator that serves the files of one folder at URLs made from their
//! paths (MkDocs's `docs_dir`, Hugo's `content/`): which file is served at which URL, and
//! which files and folders the tree has. Each generator says how a path becomes a URL and
//! how a URL is matched; the table is the same.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::url::{folders, join_path, normalize, parent};

/// Pages by path and by URL, with every file and folder of the tree.
#[derive(Debug, Clone)]
pub(crate) struct Pages {
    /// Page path (`docs/a/b.md`) → its URL path (`/a/b/`).
    urls: BTreeMap<String, String>,
    /// Route key of a URL path (`route_key`) → the page served there (the first in path
    /// order where two would be).
    routes: HashMap<String, String>,
    /// How a URL path is matched (without a trailing `/`, say).
    route_key: fn(&str) -> &str,
    /// Every file of the tree.
    files: HashSet<String>,
    /// Every folder holding a file of the tree.
    dirs: HashSet<String>,
}

impl Pages {
    /// The table of in-memory files (relative path → text, `None` for a file not read):
    /// `url_of(path)` is the URL path a file is served at, `None` for a file that is no page;
    /// URLs are matched by `route_key`.
    pub(crate) fn new(
        files: &BTreeMap<String, Option<String>>,
        url_of: impl Fn(&str) -> Option<String>,
        route_key: fn(&str) -> &str,
    ) -> Pages {
        let mut urls = BTreeMap::new();
        let mut routes = HashMap::new();
        for path in files.keys() {
            let Some(url) = url_of(path) else {
                continue;
            };
            routes
                .entry(route_key(&url).to_string())
                .or_insert_with(|| path.clone());
            urls.insert(path.clone(), url);
        }
        Pages {
            urls,
            routes,
            route_key,
            files: files.keys().cloned().collect(),
            dirs: folders(files.keys()),
        }
    }

    /// The URL path the page at `path` is served at.
    pub(crate) fn url_of(&self, path: &str) -> Option<String> {
        self.urls.get(path).cloned()
    }

    /// The page served at URL path `url` (decoded, no `?`/`#`).
    pub(crate) fn page_at(&self, url: &str) -> Option<String> {
        self.routes.get((self.route_key)(url)).cloned()
    }

    /// The file of `folder` served as it is at site path `path` (`/img/logo.svg` is
    /// `static/img/logo.svg`), if the tree has it.
    pub(crate) fn file_in(&self, folder: &str, path: &str) -> Option<String> {
        let file = normalize(&join_path(folder, path.trim_start_matches('/')))?;
        self.files.contains(&file).then_some(file)
    }

    /// The file or folder `path` (decoded) names relative to the file `from`, if the tree has
    /// it.
    pub(crate) fn beside(&self, from: &str, path: &str) -> Option<String> {
        normalize(&join_path(parent(from), path.trim_end_matches('/')))
            .filter(|f| self.files.contains(f) || self.dirs.contains(f))
    }
}
