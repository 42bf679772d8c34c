//! What `docusaurus.config.js` says, read with small regular expressions (a JavaScript file
//! cannot be evaluated here: whatever they do not find keeps Docusaurus's default), and the
//! files that make a folder a Docusaurus site.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use super::openapi::{self, PluginSpec};
use crate::site::url::join_url;
use crate::walk::Skip;

/// The config file the model reads (of [`CONFIG_FILES`], the one the Harvester docs have:
/// a TypeScript or ES module config is not read, and the model keeps Docusaurus's defaults).
pub(super) const CONFIG: &str = "docusaurus.config.js";

/// What `docusaurus.config.js` says, as far as small regular expressions can tell.
#[derive(Debug, Clone)]
pub(super) struct Config {
    /// `baseUrl`, with leading and trailing `/` (`/` by default).
    pub(super) base_url: String,
    /// The site's own origin (`url`), without a trailing `/`.
    pub(super) url: Option<String>,
    /// The docs plugin's `routeBasePath` without slashes (`docs` by default, `` for `/`).
    pub(super) route_base_path: String,
    /// The docs plugin's `lastVersion`.
    pub(super) last_version: Option<String>,
    /// The docs plugin's `versions.<name>.path`.
    pub(super) version_paths: HashMap<String, String>,
    /// `i18n.defaultLocale`.
    pub(super) default_locale: Option<String>,
    /// Folders a plugin fills at build time (docusaurus-plugin-openapi-docs `outputDir`).
    pub(super) generated_dirs: Vec<String>,
    /// The specs docusaurus-plugin-openapi-docs generates those folders from.
    pub(super) openapi: Vec<PluginSpec>,
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
    pub(super) fn parse(text: &str) -> Config {
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
/// as `docusaurus.config.js` (`config`) names them: the texts [`super::Site::from_files`] needs
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
pub(super) fn version_paths(code: &str) -> HashMap<String, String> {
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

/// The text inside the braces opening at `open` (a `{`), strings, comments and nesting
/// respected ([`crate::scan::braced_end`]).
pub(super) fn braced(text: &str, open: usize) -> Option<&str> {
    crate::scan::braced_end(text.as_bytes(), open).map(|end| &text[open + 1..end - 1])
}

/// `text` with `//` and `/* */` comments blanked (outside strings), offsets kept.
pub(super) fn strip_js_comments(text: &str) -> String {
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

/// How a Docusaurus site's pages are read: its major version and, from Docusaurus 3 on, its
/// `markdown.format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PageFormat {
    /// Docusaurus 2 (or an unknown version): MDX 1 for every page.
    Mdx1,
    /// Docusaurus 3, `markdown.format: 'mdx'` (its default: "By default, Docusaurus v3 uses
    /// the MDX format for all files (including .md files)", docs "Markdown Features", "MDX
    /// vs. CommonMark"): MDX 3 for `.md` and `.mdx`.
    Mdx3,
    /// Docusaurus 3, `markdown.format: 'detect'`: MDX 3 for `.mdx`, CommonMark for `.md`.
    Detect,
    /// Docusaurus 3, `markdown.format: 'md'`: CommonMark for every page.
    CommonMark,
}

/// The page format of the site at `root`: the major version of `@docusaurus/core` its
/// `package.json` depends on (the first number of the range: `^3.5.2`, `~3`, `3.x`), and for
/// 3 and later the `format` of the `markdown` object of its config (one of [`CONFIG_FILES`],
/// read with a regular expression: whatever it does not find is the default, `mdx`). No
/// `package.json`, or no number in the range: Docusaurus 2, as rebrand always read sites.
pub(super) fn page_format(root: &Path) -> PageFormat {
    let Ok(package) = std::fs::read_to_string(root.join("package.json")) else {
        return PageFormat::Mdx1;
    };
    let config = CONFIG_FILES
        .iter()
        .find_map(|name| std::fs::read_to_string(root.join(name)).ok())
        .unwrap_or_default();
    page_format_of(&package, &config)
}

/// [`page_format`] of the texts of `package.json` and the config.
pub(super) fn page_format_of(package: &str, config: &str) -> PageFormat {
    static CORE: OnceLock<Regex> = OnceLock::new();
    static FORMAT: OnceLock<Regex> = OnceLock::new();
    let core = CORE.get_or_init(|| {
        Regex::new(r#""@docusaurus/core"\s*:\s*"[^"0-9]*([0-9]+)"#).expect("core version pattern is valid")
    });
    let major: u32 = core
        .captures(package)
        .and_then(|c| c[1].parse().ok())
        .unwrap_or(2);
    if major < 3 {
        return PageFormat::Mdx1;
    }
    let config = strip_js_comments(config);
    let format = FORMAT
        .get_or_init(|| Regex::new(r#"\bmarkdown\s*:\s*\{"#).expect("markdown object pattern is valid"));
    let value = format
        .find(&config)
        .and_then(|m| braced(&config, m.end() - 1))
        .and_then(|inner| {
            let re = Regex::new(r#"(?:^|[\s,{])format\s*:\s*['"](\w+)['"]"#).ok()?;
            re.captures(inner).map(|c| c[1].to_string())
        });
    match value.as_deref() {
        Some("detect") => PageFormat::Detect,
        Some("md") => PageFormat::CommonMark,
        _ => PageFormat::Mdx3,
    }
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
