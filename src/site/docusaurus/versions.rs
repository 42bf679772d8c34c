//! Versions, locales and content roots: where a Docusaurus site keeps its docs
//! (`docs/`, `versioned_docs/version-<v>/`, `i18n/<locale>/...`) and its pages (`src/pages`).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use regex::Regex;

use super::config::Config;

/// The name Docusaurus gives the version whose docs live in `docs/` (`CURRENT_VERSION_NAME`).
pub const CURRENT_VERSION: &str = "current";

#[derive(Debug, Clone)]
pub(super) struct Version {
    /// `current` or the name in `versions.json` (`v1.6`).
    pub(super) name: String,
    /// The URL segment(s) of the version, without slashes (`v1.6`, `next`, or ``).
    pub(super) path: String,
    /// The content root of the version in the default locale (`docs`, `versioned_docs/version-v1.6`).
    pub(super) dir: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RootKind {
    /// A docs content root of version `versions[i]`.
    Docs(usize),
    /// `src/pages` or its translation.
    Pages,
}

#[derive(Debug, Clone)]
pub(super) struct Root {
    /// The root folder, relative, without a trailing `/`.
    pub(super) dir: String,
    pub(super) kind: RootKind,
    /// `None` for the default locale.
    pub(super) locale: Option<String>,
}

/// The version names of `versions.json` (a JSON array of strings), in order.
pub(super) fn parse_versions_json(text: &str) -> Vec<String> {
    static NAME: OnceLock<Regex> = OnceLock::new();
    let name = NAME.get_or_init(|| Regex::new(r#""((?:[^"\\]|\\.)*)""#).expect("name pattern is valid"));
    name.captures_iter(text).map(|c| c[1].to_string()).collect()
}

/// Version names from `versioned_docs/version-<v>/` folders, newest first.
pub(super) fn discover_versions<'a>(paths: impl Iterator<Item = &'a String>) -> Vec<String> {
    let names: BTreeSet<String> = paths
        .filter_map(|p| p.strip_prefix("versioned_docs/version-"))
        .filter_map(|r| r.split_once('/').map(|(v, _)| v.to_string()))
        .collect();
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort_by_key(|n| std::cmp::Reverse(natural_key(n)));
    names
}

/// A key that orders `v1.10` after `v1.9`.
pub(super) fn natural_key(s: &str) -> Vec<(u64, String)> {
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
pub(super) fn versions(config: &Config, names: &[String]) -> Vec<Version> {
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
pub(super) fn locales<'a>(paths: impl Iterator<Item = &'a String>, default: &str) -> Vec<String> {
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
pub(super) fn roots(versions: &[Version], locales: &[String]) -> Vec<Root> {
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
