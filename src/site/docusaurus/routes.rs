//! Doc ids, slugs and routes as `@docusaurus/plugin-content-docs` and
//! `plugin-content-pages` make them (`docs.ts`, `slug.ts`, `numberPrefix.ts`), and which files
//! are docs, pages, Markdown links and assets to Docusaurus.

use std::sync::OnceLock;

use regex::Regex;

use crate::site::url::resolve_relative_url;

/// The front matter keys that decide a doc's id and URL.
#[derive(Debug, Default)]
pub(super) struct FrontMatter {
    pub(super) id: Option<String>,
    pub(super) slug: Option<String>,
    pub(super) parse_number_prefixes: bool,
}

impl FrontMatter {
    /// Reads top-level `id:`, `slug:` and `parse_number_prefixes:` from the YAML front matter
    /// at the start of `text` (plain or quoted scalars; enough for these keys).
    pub(super) fn parse(text: &str) -> FrontMatter {
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
pub(super) fn front_matter(text: &str) -> Option<(&str, usize)> {
    crate::scan::front_matter_block(text).map(|(block, end)| (&text[block], end))
}

/// A plain or quoted YAML scalar, without quotes and a trailing comment.
pub(super) fn yaml_scalar(value: &str) -> String {
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
pub(super) fn doc_id_and_slug(rel: &str, fm: &FrontMatter) -> (String, String) {
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
pub(super) fn is_category_index(stem: &str, dir: &str) -> bool {
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
pub(super) fn page_slug(rel: &str) -> String {
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

pub(super) fn is_page_file(path: &str) -> bool {
    is_doc_file(path) || [".js", ".jsx", ".ts", ".tsx"].iter().any(|e| path.ends_with(e))
}

/// The docs and pages plugins' default `exclude`: `**/_*.{js,jsx,ts,tsx,md,mdx}`, `**/_*/**`,
/// `**/*.test.{js,jsx,ts,tsx}`, `**/__tests__/**`.
pub(super) fn is_included(rel: &str) -> bool {
    let file = rel.rsplit('/').next().unwrap_or(rel);
    !rel.split('/').any(|s| s.starts_with('_')) && !file.contains(".test.")
}

/// The `.md`/`.mdx` file a path names, if it is a Markdown file link: the path ends in the
/// extension, or has it just before a trailing `/` (Docusaurus 2's pattern stops at `.md`).
pub(super) fn markdown_file_path(path: &str) -> Option<&str> {
    let p = path.strip_suffix('/').unwrap_or(path);
    is_doc_file(p).then_some(p)
}

/// Whether the last segment of `path` has a file extension (with a letter, so `v1.5` has
/// none) other than `.md`/`.mdx`/`.html` (`transformLinks`: only such links are assets).
pub(super) fn has_asset_extension(path: &str) -> bool {
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

/// The key a route is matched by: without a trailing `/` (react-router's non-strict match).
pub(super) fn route_key(url: &str) -> &str {
    match url.trim_end_matches('/') {
        "" => "/",
        k => k,
    }
}
