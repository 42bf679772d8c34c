//! Fumadocs as a generator: a site is a folder with Fumadocs MDX's `source.config.ts`, or
//! whose `package.json` depends on `fumadocs-core` or `fumadocs-mdx`. Its pages are the
//! `.md`/`.mdx` files of `content/docs/`, served at `/docs/<slugs>` (Fumadocs docs, "Page
//! Slugs & Page Tree": `dir/page.mdx` is `['dir', 'page']`, `dir/index.mdx` is `['dir']`, a
//! folder group `(name)` adds no slug; the starter's `app/docs/[[...slug]]` route serves
//! them under `/docs`).
//!
//! A folder's `meta.json` ("Meta") gives its `title` and `description`, prose; of its `pages`
//! the separators (`---Separator---`, shown as text) are prose, the slugs, `...`,
//! `...folder`, `!page` and `[Text](url)` links kept; its page items are references, which
//! `links` checks and a `[[rename]]` retargets. The
//! layout config (`app/layout.config.tsx`, `lib/layout.shared.tsx`) reads as JavaScript.
//! Headings get github-slugger's ids (`remarkHeading`), and a custom id ` [#id]` at a
//! heading's end is its id ("Headings > Custom ID", on by default in Fumadocs MDX): a
//! rebranded heading keeps its anchor with ` [#old-slug]`. `source.config.ts` is not read (a
//! collection's `dir` other than `content/docs`, i18n, are not modelled).

use std::collections::BTreeMap;
use std::path::Path;

use crate::rules::{Conventions, HeadingIds};
use crate::scan::{Dialect, FileKind};
use crate::site::links::{structured, Reference, ReferenceKind};
use crate::site::nextjs::{depends_on, page_route, NextSite};
use crate::site::{Generator, SiteModel};
use crate::walk::Skip;

/// Fumadocs MDX's config file, at a site's root.
pub const CONFIG_FILE: &str = "source.config.ts";

/// The folder whose pages the starter serves at `/docs` (`defineDocs({ dir: 'content/docs' })`
/// in its `source.config.ts`).
pub const DOCS_FOLDER: &str = "content/docs";

/// The folders a Fumadocs app writes that are not its source: `.next/` (the build),
/// `.source/` (what Fumadocs MDX generates from `source.config.ts`) and `out/` at the root,
/// `node_modules/` anywhere.
pub const GENERATED_FOLDERS: [Skip; 4] = [
    Skip::root_folder(".next"),
    Skip::root_folder(".source"),
    Skip::root_folder("out"),
    Skip::folder_anywhere("node_modules"),
];

/// The prose of a `meta.json` (Fumadocs docs, "Page Slugs & Page Tree > Meta"), as JSON key
/// paths from its root: the folder's `title` and `description` (prose by `json_prose_keys`'
/// default already), and the items of `pages` that are separators (`---Separator---`, an
/// item surrounded with `---`), not the page slugs beside them.
pub const META_PROSE_KEYS: &[&str] = &["title", "description", "pages=---*---"];

/// Fumadocs as a [`Generator`]; its model is a [`NextSite`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Fumadocs;

impl Generator for Fumadocs {
    fn name(&self) -> &'static str {
        "Fumadocs"
    }

    /// A `source.config.ts`, or `fumadocs-core`/`fumadocs-mdx` among `package.json`'s
    /// dependencies.
    fn is_site(&self, root: &Path) -> bool {
        root.join(CONFIG_FILE).is_file()
            || std::fs::read_to_string(root.join("package.json"))
                .is_ok_and(|p| depends_on(&p, "fumadocs-core") || depends_on(&p, "fumadocs-mdx"))
    }

    fn generated_folders(&self) -> &'static [Skip] {
        &GENERATED_FOLDERS
    }

    /// No translations (Fumadocs' i18n is not modelled); `.mdx` pages read as MDX 3, `.md`
    /// as CommonMark; `meta.json` (and a locale's `meta.<locale>.json`) with
    /// [`META_PROSE_KEYS`]; the layout config as JavaScript; github-slugger's heading ids,
    /// pinned with ` [#id]`.
    fn conventions(&self, _root: &Path) -> Conventions {
        Conventions {
            translations: None,
            default_globs: &[
                (FileKind::Mdx, &["**/*.mdx"]),
                (
                    FileKind::JavaScript,
                    &[
                        "app/layout.config.tsx",
                        "src/app/layout.config.tsx",
                        "lib/layout.shared.tsx",
                        "src/lib/layout.shared.tsx",
                    ],
                ),
            ],
            heading_ids: Some(HeadingIds::GithubSluggerBracketed),
            dialect: Dialect::CommonMark,
            yaml_prose_keys: &[],
            shortcode_prose: &[],
            toml_prose_keys: &[],
            json_file_prose_keys: &[
                ("content/**/meta.json", META_PROSE_KEYS),
                ("content/**/meta.*.json", META_PROSE_KEYS),
            ],
        }
    }

    /// The pages and the `meta.json` files.
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
            "Fumadocs",
            meta_references,
        ))
    }
}

/// Whether `path` is a `meta.json`, or a locale's `meta.<locale>.json`.
fn is_meta_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == "meta.json" || (name.starts_with("meta.") && name.ends_with(".json"))
}

/// The references of a `meta.json` (or a locale's `meta.<locale>.json`): the items of its
/// `pages` that name a page or folder, by its name without the extension or a relative path
/// ("Meta > Pages", "Path"); not `...` (the rest), `...folder` (a folder's items), `!page`
/// (left out), `---Separator---` or a `[Text](url)` link. A `[[rename]]` of the page
/// retargets the item, and `links` checks it.
fn meta_references(path: &str, kind: FileKind, text: &str) -> Vec<Reference> {
    if !is_meta_file(path) || kind != FileKind::Json {
        return Vec::new();
    }
    structured(text, |text, frame, found| {
        if frame.is_object || frame.depth != 1 || frame.key.as_deref() != Some("pages") {
            return;
        }
        found.extend(
            frame
                .elements
                .iter()
                .filter(|r| {
                    let item = &text[(*r).clone()];
                    !item.is_empty()
                        && !item.starts_with(['!', '['])
                        && !item.starts_with("...")
                        && !item.starts_with("---")
                })
                .map(|r| (r.clone(), ReferenceKind::Link)),
        );
    })
}

/// The route Fumadocs serves the file at `path` at: a `.md`/`.mdx` file of [`DOCS_FOLDER`] at
/// `/docs/` and its slugs; `None` for another file.
pub fn page_url(path: &str) -> Option<String> {
    let stem = path.strip_suffix(".mdx").or_else(|| path.strip_suffix(".md"))?;
    let rel = stem.strip_prefix(DOCS_FOLDER)?.strip_prefix('/')?;
    Some(page_route("/docs", rel))
}

#[cfg(test)]
mod tests;
