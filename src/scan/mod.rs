//! Span classification: one file's text in, [`Span`]s tiling it out, one module per file kind.
//!
//! Every scanner only reads; it never changes a byte. Substitutions later act on the spans
//! whose [`Context`] they allow, so the quality of the whole tool rests on these modules
//! telling prose from identifiers, URLs and code.

mod asciidoc;
mod html;
mod javascript;
mod json;
mod key_path;
mod kind;
mod markdown;
mod params;
mod shortcode;
mod span;
mod toml;
mod yaml;

use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use memchr::memmem::Finder;

use regex::Regex;

pub use asciidoc::{attribute_entries, attribute_settings, SectionIds};
pub use html::{JsxProps, DEFAULT_JSX_PROSE, JSX_FORM};
pub(crate) use javascript::braced_end;
pub use key_path::KeyPaths;
pub use kind::{FileKind, Headings, KindRow, KINDS};
pub(crate) use markdown::{body_start, front_matter_block, toml_front_matter_block};
pub use markdown::{typographer_dashes, OPTIONS as MARKDOWN_OPTIONS};
pub use params::NamedParams;
pub use shortcode::{
    page_references, ShortcodeParams, DEFAULT_PROSE as DEFAULT_SHORTCODE_PROSE, FORM as SHORTCODE_FORM,
};
pub use span::{is_tiling, span_at, Context, ContextGroup, ContextSet, Span, SpanBuilder};
pub use yaml::{yaml_values, YamlValue};

/// How a file's text is read besides its kind: the keys whose values are prose (the rule
/// file's `[files]` table) and the Markdown dialect (the tree's generator's).
#[derive(Debug, Clone)]
pub struct Reading {
    /// Front matter key paths whose values (or list items) are prose (see [`KeyPaths`]); a
    /// name (`title`) is the top-level key.
    pub front_matter: KeyPaths,
    /// JSON key paths whose string values (or arrays of strings) are prose, a bare name the
    /// key at any depth (see [`KeyPaths::anywhere`]).
    pub json: KeyPaths,
    /// YAML key paths whose values are prose (see [`KeyPaths`]).
    pub yaml: KeyPaths,
    /// TOML key paths whose string values are prose (see [`KeyPaths`]).
    pub toml: KeyPaths,
    /// The Markdown dialect: where it reads differently from CommonMark in a way that
    /// decides prose against code.
    pub dialect: Dialect,
    /// The shortcode parameters whose values are prose (read in the [`Dialect::Hugo`] only).
    pub shortcodes: ShortcodeParams,
    /// How an AsciiDoc file's sections get their ids before its own attribute entries say
    /// otherwise (the build's attributes, `[files] asciidoc_attributes`); `None`: `sectids`
    /// unset, no ids.
    pub section_ids: Option<SectionIds>,
    /// The attributes the rule file gives every AsciiDoc document (`[files]
    /// asciidoc_attributes`), (name, value) in order: with the build's
    /// ([`crate::site::Generator::build_attributes`]) before them, they make `section_ids`.
    pub asciidoc_attributes: Vec<(String, String)>,
    /// The AsciiDoc document attributes the tree defines (`:project_name: Keycloak`, from
    /// every file's entries, the first definition of a name kept; set for a tree by
    /// `tree::document_attributes`): a section title's `{project_name}` counts as
    /// its value in the title's id, before and after the rewrite.
    pub document_attributes: Vec<(String, String)>,
    /// The JSX/HTML props of a Markdown or MDX page's tags whose string values are prose
    /// (`title="…"`, `alt='…'`, and `title={"…"}`, an expression that is one string
    /// literal; any other expression prop, `title={…}`, stays protected).
    pub jsx: JsxProps,
    /// Whether a Markdown or MDX heading's text may end with a custom id ` [#id]` (Fumadocs'
    /// `remarkHeading`): then it is the heading's explicit id, protected and no part of its
    /// text. Off by default: elsewhere `[#id]` is text.
    pub bracket_heading_ids: bool,
}

impl Default for Reading {
    fn default() -> Self {
        Reading {
            front_matter: KeyPaths::new(&FRONT_MATTER_PROSE_KEYS.map(String::from)),
            json: KeyPaths::anywhere(&JSON_PROSE_KEYS.map(String::from)),
            yaml: KeyPaths::new(&[]),
            toml: KeyPaths::new(&[]),
            dialect: Dialect::default(),
            shortcodes: ShortcodeParams::new(&[]),
            section_ids: Some(SectionIds::default()),
            asciidoc_attributes: Vec::new(),
            document_attributes: Vec::new(),
            jsx: JsxProps::new(
                &DEFAULT_JSX_PROSE
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>(),
            ),
            bracket_heading_ids: false,
        }
    }
}

/// The default of `front_matter_prose_keys`: the front matter keys Docusaurus shows as text.
pub const FRONT_MATTER_PROSE_KEYS: [&str; 4] = ["title", "description", "sidebar_label", "keywords"];

/// The default of `json_prose_keys`: the keys Docusaurus's JSON files (`_category_.json`, the
/// i18n message files) hold text under, at any depth.
pub const JSON_PROSE_KEYS: [&str; 3] = ["label", "description", "message"];

/// A Markdown dialect, as far as it decides prose against code where CommonMark
/// (pulldown-cmark) would read otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// MDX 1 (remark-parse 8, Docusaurus 2): an indented line after a blank line continues
    /// the list item above and loses the item's indentation (see `markdown.rs`,
    /// `remark8_list_strip`). The reading of a tree whose generator says nothing else.
    #[default]
    Mdx1,
    /// Hugo's: CommonMark as Goldmark reads it (an indented block is code), a page may open
    /// with TOML front matter between `+++` lines (Hugo's "Front matter" formats), and
    /// shortcode calls (`{{< figure src="…" >}}`) are protected but for their prose
    /// parameters (see `shortcode.rs`).
    Hugo,
    /// Python-Markdown with the extensions MkDocs sites use (`admonition`, `pymdownx.details`,
    /// `pymdownx.tabbed`): the body of a `!!!`/`???` admonition or `===` tab is the lines
    /// indented 4 columns under it, Markdown, not an indented code block.
    PythonMarkdown,
    /// CommonMark as micromark reads it (remark-parse 9 and later): what Docusaurus 3 reads a
    /// `.md` page in when `markdown.format` is `detect`, its default (Docusaurus docs,
    /// "MDX and React": "Using the `.md` extension ... CommonMark"). An indented block is code.
    CommonMark,
    /// MDX 3 (`@mdx-js/mdx` 3, Docusaurus 3's `.mdx` pages; mdxjs.com "What is MDX", section
    /// "MDX syntax", and the micromark-extension-mdx* packages): no indented code (an
    /// indented line is text: `codeIndented` is turned off), no HTML comments, a `{…}` in
    /// text is a JavaScript expression (protected as [`Context::Mdx`], or
    /// [`Context::Comment`] when it holds only a comment `{/* … */}`), and tags are JSX. The
    /// dialect of the [`FileKind::Mdx`] kind, whatever the tree's.
    Mdx3,
}

/// A Markdown heading, as far as anchors are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// The heading's source range (ATX or setext).
    pub range: Range<usize>,
    /// Where an explicit id ` {#slug}` goes: just after the heading's last inline content.
    pub insert_at: usize,
    /// The explicit id (`{#id}`), if the heading has one.
    pub explicit_id: Option<String>,
    /// The heading's text as Docusaurus's slugger sees it (mdast `toString`): text and code
    /// span contents in order, each with its source range.
    pub parts: Vec<(Range<usize>, String)>,
    /// For an AsciiDoc section: how asciidoctor makes its id from `parts` (the `idprefix` and
    /// `idseparator` in effect there), and where `insert_at` is the start of its title line,
    /// before which a block anchor `[[id]]` pins it. `None` for a Markdown heading.
    pub section_ids: Option<SectionIds>,
}

/// What a scanner found in one file.
#[derive(Debug, Clone, Default)]
pub struct Scanned {
    /// Spans tiling the text exactly.
    pub spans: Vec<Span>,
    /// The headings of a Markdown file or the sections of an AsciiDoc file, in document order
    /// (empty for other kinds).
    pub headings: Vec<Heading>,
    /// Sorted offsets where a block of a Markdown file starts or ends (paragraphs, headings,
    /// list items, table cells, block quotes, the front matter and each of its keys and
    /// list items, an admonition's title line): two words with a break between them, or at
    /// either end of the gap between them, are in different blocks. Empty for other kinds.
    pub breaks: Vec<usize>,
}

/// Classifies every byte of `text` as a file of `kind`.
///
/// Never fails: text a scanner cannot make sense of (an unterminated string, a broken tag)
/// is classified as protected markup rather than prose.
pub fn scan(kind: FileKind, text: &str, keys: &Reading) -> Scanned {
    // A UTF-8 byte order mark is no part of the content (parsers and Docusaurus skip it):
    // scan what follows it and keep the mark itself as markup.
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        let bom = text.len() - rest.len();
        let mut inner = scan(kind, rest, keys);
        for s in &mut inner.spans {
            s.range = s.range.start + bom..s.range.end + bom;
        }
        for b in &mut inner.breaks {
            *b += bom;
        }
        for h in &mut inner.headings {
            h.range = h.range.start + bom..h.range.end + bom;
            h.insert_at += bom;
            for (r, _) in &mut h.parts {
                *r = r.start + bom..r.end + bom;
            }
        }
        inner.spans.insert(
            0,
            Span {
                range: 0..bom,
                context: Context::Markup,
            },
        );
        return inner;
    }
    (kind.row().scan)(text, keys)
}

/// Adds `range` as prose, with the bare URLs inside it protected as [`Context::Url`].
pub(crate) fn prose(b: &mut SpanBuilder, text: &str, range: Range<usize>) {
    static SCHEME: LazyLock<Finder> = LazyLock::new(|| Finder::new("://"));
    static WWW: LazyLock<Finder> = LazyLock::new(|| Finder::new("www."));
    let slice = &text[range.clone()];
    // Searchers built once: `str::contains` sets one up on every call, which costs more than
    // the search on the short texts of Markdown events.
    if SCHEME.find(slice.as_bytes()).is_some() || WWW.find(slice.as_bytes()).is_some() {
        for m in url_regex().find_iter(slice) {
            b.protect(range.start + m.start()..range.start + m.end(), Context::Url);
        }
    }
    b.region(range, Context::Prose);
}

/// Lays prose over `range`, a part of something protected (a shortcode call, a tag), the
/// bare URLs in it kept as [`Context::Url`]: it wins over the regions and protections
/// around it.
pub(crate) fn prose_over(b: &mut SpanBuilder, text: &str, range: Range<usize>) {
    let mut inner = SpanBuilder::new(text.len());
    prose(&mut inner, text, range.clone());
    for span in inner.finish() {
        let part = span.range.start.max(range.start)..span.range.end.min(range.end);
        if part.start < part.end && span.context != Context::Markup {
            b.protect(part, span.context);
        }
    }
}

/// Whether a whole string value is an absolute URL (`https://…`, `mailto:…`, `www.…`).
pub(crate) fn is_url(s: &str) -> bool {
    url_regex()
        .find(s)
        .is_some_and(|m| m.start() == 0 && m.end() == s.len())
}

/// Bare URLs as GFM's autolink extension sees them, roughly: a scheme or `www.`, then
/// anything up to white space, a quote, or a closing bracket.
fn url_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\bmailto:)[^\s<>"'`\)\]]*[^\s<>"'`\)\].,;:!?]"#)
            .expect("URL pattern is valid")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contexts(kind: FileKind, text: &str) -> Vec<(String, Context)> {
        scan(kind, text, &Reading::default())
            .spans
            .into_iter()
            .map(|s| (text[s.range].to_string(), s.context))
            .collect()
    }

    #[test]
    fn plain_text_protects_bare_urls() {
        let got = contexts(
            FileKind::Plain,
            "See https://docs.harvesterhci.io/v1.6. Harvester",
        );
        assert_eq!(
            got,
            vec![
                ("See ".into(), Context::Prose),
                ("https://docs.harvesterhci.io/v1.6".into(), Context::Url),
                (". Harvester".into(), Context::Prose),
            ]
        );
    }

    #[test]
    fn is_url_wants_the_whole_value() {
        assert!(is_url("https://docs.harvesterhci.io"));
        assert!(!is_url("see https://docs.harvesterhci.io"));
        assert!(!is_url("Harvester"));
    }
}
