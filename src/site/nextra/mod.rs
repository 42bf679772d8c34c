//! Nextra as a generator: a site is a Next.js app (`next.config.*`) that depends on `nextra`
//! (its `package.json`), or one with Nextra 2/3's `theme.config.jsx|tsx`. Its pages are
//! served where Next.js serves them (Nextra docs, "File Conventions"): the `.md`/`.mdx` files
//! of `pages/` (Nextra 2/3) and of `content/` (Nextra 4, `contentDirBasePath` `/`) at their
//! path without the extension, an `index` at its folder's route, and Nextra 4's
//! `app/**/page.mdx` at its folder's route (route groups `(name)` add no segment).
//!
//! The `_meta` files give the sidebar's titles (Nextra docs, "`_meta.js` File"): in
//! `_meta.json` the string value of each page slug and the `title` of an object entry are
//! prose, keys never; `_meta.js`/`_meta.ts` and `theme.config.jsx|tsx` read as JavaScript
//! (string literals prose, object keys kept); a `_meta` file's page keys are references to
//! the pages beside it, so `links` checks them and a `[[rename]]` retargets them. Headings
//! get github-slugger's ids (Nextra's
//! `remarkHeadings`) and an MDX 3 page holds no explicit id rebrand can write (`{#id}` is an
//! expression there): a rebranded heading's anchor moves and the links of the tree follow
//! it. `next.config.*` is not read (`basePath`, `contentDirBasePath`, i18n are not
//! modelled).

use std::collections::BTreeMap;
use std::path::Path;

use crate::rules::{Conventions, HeadingIds};
use crate::scan::{Dialect, FileKind};
use crate::site::links::{structured, Reference, ReferenceKind};
use crate::site::nextjs::{depends_on, page_route, NextSite};
use crate::site::{Generator, SiteModel};
use crate::walk::Skip;

/// The Next.js config files, one of which a Nextra site has at its root.
pub const NEXT_CONFIG_FILES: [&str; 4] = [
    "next.config.js",
    "next.config.mjs",
    "next.config.ts",
    "next.config.cjs",
];

/// Nextra 2/3's theme config, which only a Nextra site has.
pub const THEME_CONFIG_FILES: [&str; 2] = ["theme.config.jsx", "theme.config.tsx"];

/// The folders a Next.js app writes that are not its source: `.next/` (the build) and
/// `out/` (`next export`) at the root, `node_modules/` anywhere.
pub const GENERATED_FOLDERS: [Skip; 3] = [
    Skip::root_folder(".next"),
    Skip::root_folder("out"),
    Skip::folder_anywhere("node_modules"),
];

/// The prose of a `_meta.json` (Nextra docs, "`_meta.js` File"), as JSON key paths from its
/// root: the title a page slug maps to (`"configuration": "Configuring Keycloak"`), and
/// the `title` of an entry given as an object (`{"type": "page", "title": "About"}`,
/// separators included).
pub const META_PROSE_KEYS: &[&str] = &["*", "*.title"];

/// The folders whose `.md`/`.mdx` files are pages served at their own path (Nextra 2/3's
/// `pages`, Nextra 4's `content`), each also under `src/`.
const PAGE_FOLDERS: [&str; 4] = ["pages", "content", "src/pages", "src/content"];

/// The folders whose `page.md`/`page.mdx` files are pages served at their folder's route
/// (Nextra 4's app router).
const APP_FOLDERS: [&str; 2] = ["app", "src/app"];

/// Nextra as a [`Generator`]; its model is a [`NextSite`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Nextra;

impl Generator for Nextra {
    fn name(&self) -> &'static str {
        "Nextra"
    }

    /// A `next.config.*` with `nextra` among `package.json`'s dependencies, or a
    /// `theme.config.jsx|tsx`.
    fn is_site(&self, root: &Path) -> bool {
        let file = |name: &str| root.join(name).is_file();
        THEME_CONFIG_FILES.iter().any(|n| file(n))
            || (NEXT_CONFIG_FILES.iter().any(|n| file(n))
                && std::fs::read_to_string(root.join("package.json")).is_ok_and(|p| depends_on(&p, "nextra")))
    }

    fn generated_folders(&self) -> &'static [Skip] {
        &GENERATED_FOLDERS
    }

    /// No translations (Nextra's i18n is not modelled); the `.mdx` pages read as MDX 3, `.md`
    /// as CommonMark; the `_meta` files and the theme config as JavaScript, `_meta.json` as
    /// JSON with [`META_PROSE_KEYS`]; github-slugger's heading ids, never pinned.
    fn conventions(&self, _root: &Path) -> Conventions {
        Conventions {
            translations: None,
            default_globs: &[
                (FileKind::Mdx, &["**/*.mdx"]),
                (
                    FileKind::JavaScript,
                    &[
                        "**/_meta.js",
                        "**/_meta.jsx",
                        "**/_meta.ts",
                        "**/_meta.tsx",
                        "theme.config.jsx",
                        "theme.config.tsx",
                    ],
                ),
            ],
            heading_ids: Some(HeadingIds::GithubSluggerUnpinned),
            dialect: Dialect::CommonMark,
            yaml_prose_keys: &[],
            shortcode_prose: &[],
            toml_prose_keys: &[],
            json_file_prose_keys: &[("**/_meta.json", META_PROSE_KEYS)],
        }
    }

    /// The pages and the `_meta` files.
    fn reads(&self, path: &str) -> bool {
        path.ends_with(".md") || path.ends_with(".mdx") || is_meta_file(path)
    }

    /// `public/`: served at the site's root.
    fn static_folder(&self) -> &'static str {
        "public"
    }

    fn model(&self, files: &BTreeMap<String, Option<String>>) -> Box<dyn SiteModel> {
        Box::new(NextSite::new(
            files,
            page_url,
            "public",
            "Nextra",
            meta_references,
        ))
    }
}

/// The references of a `_meta` file (`_meta.json`, or `_meta.js`/`_meta.ts` read as
/// JavaScript): each top-level key that names a page or folder beside the file, its title a
/// string or an object without `href` whose `type` is no `separator` or `menu` (Nextra docs,
/// "`_meta.js` File"); a key that does not start with a letter or digit (`*`, `---`) names
/// none. A `[[rename]]` of the page retargets the key, and `links` checks it.
fn meta_references(path: &str, kind: FileKind, text: &str) -> Vec<Reference> {
    if !is_meta_file(path) || !matches!(kind, FileKind::Json | FileKind::JavaScript) {
        return Vec::new();
    }
    let names_page = |key: &str| key.chars().next().is_some_and(char::is_alphanumeric);
    structured(text, |text, frame, found| {
        if !frame.is_object {
            return;
        }
        match frame.depth {
            0 => found.extend(
                frame
                    .fields
                    .iter()
                    .zip(&frame.field_keys)
                    .filter(|((key, _), _)| names_page(key))
                    .map(|(_, range)| (range.clone(), ReferenceKind::Link)),
            ),
            1 => {
                let field = |name: &str| {
                    frame
                        .fields
                        .iter()
                        .find(|(k, _)| k == name)
                        .map(|(_, r)| &text[r.clone()])
                };
                let page = field("href").is_none() && !matches!(field("type"), Some("separator" | "menu"));
                if let (Some(key), Some(range), true) = (&frame.key, &frame.key_range, page) {
                    if names_page(key) {
                        found.push((range.clone(), ReferenceKind::Link));
                    }
                }
            }
            _ => {}
        }
    })
}

/// Whether `path` is a `_meta` file (`_meta.json`, `_meta.js`, `_meta.ts`, ...).
fn is_meta_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_prefix("_meta.")
        .is_some_and(|ext| ["json", "js", "jsx", "ts", "tsx"].contains(&ext))
}

/// The route Nextra serves the file at `path` at: a `.md`/`.mdx` file of a page folder at its
/// path without the extension (a name starting with `_` is no page: `_app.mdx`), a
/// `page.md`/`page.mdx` of an app folder at its folder's route; `None` for another file.
pub fn page_url(path: &str) -> Option<String> {
    let stem = path.strip_suffix(".mdx").or_else(|| path.strip_suffix(".md"))?;
    for folder in PAGE_FOLDERS {
        if let Some(rel) = stem.strip_prefix(folder).and_then(|r| r.strip_prefix('/')) {
            let name = rel.rsplit('/').next().unwrap_or(rel);
            return (!name.starts_with('_')).then(|| page_route("", rel));
        }
    }
    for folder in APP_FOLDERS {
        if let Some(rel) = stem.strip_prefix(folder).and_then(|r| r.strip_prefix('/')) {
            let dir = match rel.strip_suffix("page") {
                Some(dir) if dir.is_empty() || dir.ends_with('/') => dir,
                _ => return None,
            };
            return Some(page_route("", dir));
        }
    }
    None
}

#[cfg(test)]
mod tests;
