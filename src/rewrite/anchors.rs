//! Heading anchors as the tree's generator makes them ([`HeadingIds`]), and the explicit ids
//! that keep them working.
//!
//! A generator gives a heading without an explicit id an anchor derived from its text:
//! Docusaurus with `github-slugger` (docusaurus-mdx-loader `remark/headings`: lower-case,
//! punctuation dropped, each space a `-`, repeats numbered `-1`, `-2` in document order),
//! Hugo with Goldmark's `github` ids (github-slugger's, after the typographer), MkDocs with
//! Python-Markdown's `toc` (`slugify`, repeats `_1`, `_2`). An explicit `{#id}`
//! is used as written and takes no part in the numbering. Rebranding a heading's text would
//! move its anchor and break every link to it, so the rewriter pins the old anchor with
//! `{#old}` where the site can read it; where it cannot (MkDocs without `attr_list`), the
//! anchors move and the links in the tree follow them, as with `[site] anchors = "rename"`.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;

use unicode_normalization::UnicodeNormalization;

use super::{apply_edits_within, Cause, Edit};
use crate::rules::HeadingIds;
use crate::scan::{Dialect, Heading, SectionIds};

/// The slug github-slugger makes of `text`, before de-duplication.
///
/// Letters, digits, marks, `-` and `_` are kept (lower-cased), each ASCII space becomes `-`,
/// everything else (punctuation, symbols, emoji, other white space) is dropped.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ' ' {
            out.push('-');
        } else if c.is_alphanumeric() || c == '-' || c == '_' || is_mark(c) {
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn is_mark(c: char) -> bool {
    // Combining diacritical marks and their supplements, the marks github-slugger keeps.
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// The slug Python-Markdown's `toc` extension makes of `text` before de-duplication
/// (`markdown.extensions.toc.slugify` with separator `-`, not `unicode`): NFKD, then only the
/// ASCII left; every character but word characters, white space and `-` dropped; trimmed and
/// lower-cased; each run of `-` and white space one `-`. `KubeVirt <= v1.4.0` is
/// `kubevirt-v140`.
pub fn toc_slug(text: &str) -> String {
    let kept: String = text
        .nfkd()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-') || is_python_space(*c))
        .collect();
    let mut out = String::with_capacity(kept.len());
    for c in kept.trim_matches(is_python_space).chars() {
        if c == '-' || is_python_space(c) {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// ASCII white space as Python's `\s` and `str.strip` see it in ASCII text.
fn is_python_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// A de-duplicating slugger of one page: github-slugger's (the second `foo` becomes
/// `foo-1`) or Python-Markdown `toc`'s (`foo_1`).
#[derive(Debug, Default)]
pub struct Slugger {
    /// `None`: github-slugger.
    toc: Option<HashSet<String>>,
    occurrences: HashMap<String, usize>,
}

impl Slugger {
    /// A slugger of `style`.
    pub fn new(style: HeadingIds) -> Slugger {
        Slugger {
            toc: matches!(style, HeadingIds::PythonMarkdown { .. }).then(HashSet::new),
            occurrences: HashMap::new(),
        }
    }

    /// The unique slug for `text` in this document so far.
    pub fn slug(&mut self, text: &str) -> String {
        if let Some(ids) = &mut self.toc {
            return toc_unique(toc_slug(text), ids);
        }
        let original = slug(text);
        let mut candidate = original.clone();
        while self.occurrences.contains_key(&candidate) {
            let n = self.occurrences.get_mut(&original).map_or(1, |n| {
                *n += 1;
                *n
            });
            candidate = format!("{original}-{n}");
        }
        self.occurrences.insert(candidate.clone(), 0);
        candidate
    }
}

/// `toc`'s `unique`: `id` if unused (and not empty), else `id_1`, `id_2`, ... (an id that
/// already ends in `_<n>` counts on from `n`); recorded as used.
fn toc_unique(mut id: String, ids: &mut HashSet<String>) -> String {
    while id.is_empty() || ids.contains(&id) {
        let numbered = id
            .rsplit_once('_')
            .filter(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|(stem, n)| Some((stem.to_string(), n.parse::<u64>().ok()?)));
        id = match numbered {
            Some((stem, n)) => format!("{stem}_{}", n + 1),
            None => format!("{id}_1"),
        };
    }
    ids.insert(id.clone());
    id
}

/// The id asciidoctor's `Section.generate_id` (asciidoctor 2, `section.rb`) makes of a
/// section title before de-duplication: `idprefix`, then the title lower-cased with every
/// character but word characters, spaces, `-` and `.` dropped (its
/// `InvalidSectionIdCharsRx`; the title's markup, tags and entities, is dropped the same way),
/// then each run of spaces, `.`, `-` and separators one `idseparator` (`tr_s`), none at the
/// end, none at the start when the prefix is empty; with an empty separator the spaces are
/// dropped. `Keycloak's JS Adapter` is `_keycloaks_js_adapter`, `Foo -- Bar` `_foobar`.
pub fn asciidoctor_id(title: &str, ids: &SectionIds) -> String {
    // The typographic replacements asciidoctor makes in a title ("Text > Replacements") are
    // entities, which the id drops whole: ` -- `, `a--b`, `...`, `(C)`, arrows.
    static REPLACED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^| )--(?: |$)|\.\.\.|\((?:C|R|TM)\)|->|=>|<-|<=|\b--\b").expect("valid")
    });
    let kept: String = REPLACED
        .replace_all(title, "")
        .to_lowercase()
        .chars()
        .filter(|&c| matches!(c, ' ' | '-' | '.') || is_word(c))
        .collect();
    let raw = format!("{}{kept}", ids.prefix);
    let Some(sep) = ids.separator.chars().next() else {
        return raw.replace(' ', "");
    };
    let mut out = String::with_capacity(raw.len());
    let mut last_translated = false;
    for c in raw.chars() {
        if matches!(c, ' ' | '.' | '-') || c == sep {
            if !last_translated {
                out.push(sep);
            }
            last_translated = true;
        } else {
            out.push(c);
            last_translated = false;
        }
    }
    if out.ends_with(sep) {
        out.pop();
    }
    if ids.prefix.is_empty() && out.starts_with(sep) {
        out.remove(0);
    }
    out
}

/// Ruby's `\p{Word}`: letters, marks, decimal numbers, connector punctuation.
fn is_word(c: char) -> bool {
    c.is_alphanumeric()
        || c == '_'
        || is_mark(c)
        || matches!(
            c,
            '\u{203F}' | '\u{2040}' | '\u{2054}' | '\u{FE33}' | '\u{FE34}' | '\u{FE4D}'
                ..='\u{FE4F}' | '\u{FF3F}'
        )
}

/// The ids asciidoctor gives `headings` (each one's title text and explicit id) in document
/// order: an explicit id as written, else [`asciidoctor_id`] numbered `<id><sep>2`, `3`, ...
/// when an id before it in the file took it (the document's catalog as parsing reaches the
/// section).
fn asciidoctor_anchors<'a>(
    headings: &[Heading],
    texts: impl IntoIterator<Item = (String, Option<&'a str>)>,
) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    let default = SectionIds::default();
    texts
        .into_iter()
        .zip(headings)
        .map(|((text, explicit), h)| {
            let id = match explicit {
                Some(id) => id.to_string(),
                None => {
                    let ids = h.section_ids.as_ref().unwrap_or(&default);
                    asciidoctor_unique_id(asciidoctor_id(&text, ids), ids, &taken)
                }
            };
            taken.insert(id.clone());
            id
        })
        .collect()
}

/// `id` (derived with `ids`) made unique in a document whose ids so far are `taken`, as
/// asciidoctor numbers a repeat (`Section.generate_id`): `<id><sep>2`, `3`, ... with the
/// `idseparator`'s first character (none when it is empty).
pub fn asciidoctor_unique_id(id: String, ids: &SectionIds, taken: &HashSet<String>) -> String {
    if !taken.contains(&id) {
        return id;
    }
    let sep = ids.separator.chars().next().map(String::from).unwrap_or_default();
    (2..)
        .map(|n| format!("{id}{sep}{n}"))
        .find(|c| !taken.contains(c))
        .expect("some number is free")
}

/// The anchors of `headings` as `style` makes them from `texts` and `explicit` ids.
fn anchors_of<'a>(
    style: HeadingIds,
    headings: &[Heading],
    texts: impl IntoIterator<Item = (String, Option<&'a str>)>,
) -> Vec<String> {
    match style {
        HeadingIds::Asciidoctor => asciidoctor_anchors(headings, texts),
        _ => heading_anchors(style, texts),
    }
}

/// The anchors of `headings` in document order, given each heading's text and explicit id,
/// as the generator's `style` makes them. For `toc` every explicit id of the page is taken
/// before any slug is made (its `run` collects the ids `attr_list` set first); github-slugger
/// does not count them.
pub fn heading_anchors<'a>(
    style: HeadingIds,
    headings: impl IntoIterator<Item = (String, Option<&'a str>)>,
) -> Vec<String> {
    let headings: Vec<(String, Option<&str>)> = headings.into_iter().collect();
    let mut slugger = Slugger::new(style);
    if let Some(ids) = &mut slugger.toc {
        ids.extend(headings.iter().filter_map(|(_, id)| id.map(str::to_string)));
    }
    headings
        .into_iter()
        .map(|(text, id)| match id {
            Some(id) => id.to_string(),
            None => slugger.slug(&text),
        })
        .collect()
}

/// The text of a heading as the slugger sees it.
pub fn heading_text(h: &Heading) -> String {
    h.parts.iter().map(|(_, t)| t.as_str()).collect()
}

/// Insertions of ` {#old-anchor}` for every heading whose anchor `edits` would change.
///
/// `edits` are the substitution edits of the file (sorted). A heading already carrying an
/// explicit id keeps it. Adding an id takes a heading out of the slugger's numbering, which
/// can move a later duplicate's number, so this repeats until no anchor moves.
///
/// `dialect` is the page's: the id is written as [`HeadingIds::pin`] writes it there (the
/// caller checks that it can be).
pub fn keep_heading_ids(
    style: HeadingIds,
    dialect: Dialect,
    text: &str,
    headings: &[Heading],
    edits: &[Edit],
) -> Vec<Edit> {
    let Some((old_texts, new_texts)) = changed_texts(style, text, headings, edits) else {
        return Vec::new();
    };
    let old = anchors_of(
        style,
        headings,
        old_texts
            .iter()
            .cloned()
            .zip(headings.iter().map(|h| h.explicit_id.as_deref())),
    );
    let mut pinned: Vec<Option<String>> = headings.iter().map(|h| h.explicit_id.clone()).collect();
    loop {
        let new = anchors_of(
            style,
            headings,
            new_texts.iter().cloned().zip(pinned.iter().map(|p| p.as_deref())),
        );
        let moved: Vec<usize> = (0..headings.len())
            .filter(|&i| new[i] != old[i] && pinned[i].is_none())
            .collect();
        if moved.is_empty() {
            break;
        }
        for i in moved {
            pinned[i] = Some(old[i].clone());
        }
    }
    headings
        .iter()
        .zip(pinned)
        .filter(|(h, _)| h.explicit_id.is_none())
        .filter_map(|(h, p)| {
            let id = p?;
            let replacement = match style {
                // A block anchor on its own line before the title (asciidoctor's "Attributes
                // > ID": `[[id]]`), with the title line's own line break.
                HeadingIds::Asciidoctor => {
                    let crlf = text[h.insert_at..]
                        .split('\n')
                        .next()
                        .is_some_and(|l| l.ends_with('\r'));
                    format!("[[{id}]]{}", if crlf { "\r\n" } else { "\n" })
                }
                _ => style.pin(dialect, &id)?,
            };
            Some(Edit {
                range: h.insert_at..h.insert_at,
                replacement,
                cause: Cause::HeadingId,
            })
        })
        .collect()
}

/// The anchors `edits` move, as `(old, new)` pairs in document order: what
/// `[site] anchors = "rename"` lets happen, and what links into the file must follow.
pub fn moved_anchors(
    style: HeadingIds,
    text: &str,
    headings: &[Heading],
    edits: &[Edit],
) -> Vec<(String, String)> {
    let ids = || headings.iter().map(|h| h.explicit_id.as_deref());
    let Some((old_texts, new_texts)) = changed_texts(style, text, headings, edits) else {
        return Vec::new();
    };
    let old = anchors_of(style, headings, old_texts.into_iter().zip(ids()));
    let new = anchors_of(style, headings, new_texts.into_iter().zip(ids()));
    old.into_iter().zip(new).filter(|(o, n)| o != n).collect()
}

/// The slugger texts of `headings` before and after `edits`, or `None` when `edits` change
/// none of them (then no anchor can move, and no slug needs making).
fn changed_texts(
    style: HeadingIds,
    text: &str,
    headings: &[Heading],
    edits: &[Edit],
) -> Option<(Vec<String>, Vec<String>)> {
    let old: Vec<String> = headings.iter().map(heading_text).collect();
    let new: Vec<String> = headings
        .iter()
        .map(|h| rewritten_text(style, text, h, edits))
        .collect();
    (new != old).then_some((old, new))
}

/// A heading's slugger text after `edits` (an edited part through Goldmark's typographer
/// for [`HeadingIds::Goldmark`], as the scan read the part before).
fn rewritten_text(style: HeadingIds, text: &str, h: &Heading, edits: &[Edit]) -> String {
    let mut out = String::new();
    for (range, decoded) in &h.parts {
        let first = edits.partition_point(|e| e.range.end <= range.start);
        let count = edits[first..]
            .iter()
            .take_while(|e| e.range.start < range.end)
            .count();
        match count {
            0 => out.push_str(decoded),
            _ => {
                let edited = apply_edits_within(text, range.clone(), &edits[first..first + count]);
                match style {
                    HeadingIds::Goldmark => out.push_str(&crate::scan::typographer_dashes(&edited)),
                    _ => out.push_str(&edited),
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Python-Markdown 3.11.3 `markdown.markdown(md, extensions=["toc", "attr_list"])` on
    /// these headings (one `##` each, the last `## Pinned {#foo_3}`) gives these ids.
    #[test]
    fn toc_slugs_like_python_markdown() {
        let texts = [
            "KubeVirt <= v1.4.0",
            "Hello World",
            "Café au lait",
            "--Foo--Bar",
            "日本語",
            "Foo",
            "Foo",
            "Foo_1",
            "a_b c-d",
            "What's new in KubeVirt?",
            "Tab\there",
            "x.y.z (v2)",
            "Pinned",
        ];
        let headings = texts
            .iter()
            .map(|t| (t.to_string(), (*t == "Pinned").then_some("foo_3")));
        assert_eq!(
            heading_anchors(HeadingIds::PythonMarkdown { attr_list: true }, headings),
            [
                "kubevirt-v140",
                "hello-world",
                "cafe-au-lait",
                "-foo-bar",
                "_1",
                "foo",
                "foo_1",
                "foo_2",
                "a_b-c-d",
                "whats-new-in-kubevirt",
                "tab-here",
                "xyz-v2",
                "foo_3",
            ]
        );
        // github-slugger reads the first one otherwise (the issue's `kubevirt--v140`).
        assert_eq!(slug("KubeVirt <= v1.4.0"), "kubevirt--v140");
    }

    /// Asciidoctor 2.0.18 (`asciidoctor -o - t.adoc`, Debian's package) gave these sections of
    /// one document these ids; the settings change as the document's attribute entries do.
    #[test]
    fn section_ids_like_asciidoctor() {
        let section = |title: &str, id: Option<&str>, ids: SectionIds| Heading {
            range: 0..0,
            insert_at: 0,
            explicit_id: id.map(str::to_string),
            parts: vec![(0..0, title.to_string())],
            section_ids: Some(ids),
        };
        let default = SectionIds::default;
        let dash = || SectionIds {
            prefix: String::new(),
            separator: "-".into(),
        };
        let none = || SectionIds {
            prefix: "id_".into(),
            separator: String::new(),
        };
        let headings = [
            section("Keycloak's JS Adapter", None, default()),
            section("Upgrading Keycloak", None, default()),
            section("Changes in KeycloakSession", None, default()),
            section("Foo -- Bar", None, default()),
            section("a.b-c_d e", None, default()),
            section("Keycloak", None, default()),
            section("Keycloak", None, default()),
            section("Café & naïve 日本語", None, default()),
            section("Wait... what?", None, default()),
            section("Pinned", Some("_keycloak_3"), default()),
            section("Keycloak", None, default()),
            section("Keycloak Two", None, dash()),
            section("Keycloak Two", None, dash()),
            section("Keycloak Three", None, none()),
        ];
        let texts = headings
            .iter()
            .map(|h| (heading_text(h), h.explicit_id.as_deref()));
        assert_eq!(
            anchors_of(HeadingIds::Asciidoctor, &headings, texts),
            [
                "_keycloaks_js_adapter",
                "_upgrading_keycloak",
                "_changes_in_keycloaksession",
                "_foobar",
                "_a_b_c_d_e",
                "_keycloak",
                "_keycloak_2",
                "_café_naïve_日本語",
                "_wait_what",
                "_keycloak_3",
                "_keycloak_4",
                "keycloak-two",
                "keycloak-two-2",
                "id_keycloakthree",
            ]
        );
    }

    #[test]
    fn slugs_like_github_slugger() {
        let cases = [
            ("Harvester Node Driver", "harvester-node-driver"),
            (
                "Harvester Baremetal Container Workload Support (Experimental)",
                "harvester-baremetal-container-workload-support-experimental",
            ),
            ("What's new in v1.2.0?", "whats-new-in-v120"),
            ("install.management_interface", "installmanagement_interface"),
            ("Foo & Bar", "foo--bar"),
            ("  Lead", "--lead"),
            ("安装 Harvester", "安装-harvester"),
            ("💿 ISO", "-iso"),
        ];
        for (text, want) in cases {
            assert_eq!(slug(text), want, "{text}");
        }
    }

    #[test]
    fn duplicates_are_numbered() {
        let mut s = Slugger::default();
        assert_eq!(s.slug("Example"), "example");
        assert_eq!(s.slug("Example"), "example-1");
        assert_eq!(s.slug("Example 1"), "example-1-1");
        assert_eq!(s.slug("Example"), "example-2");
    }

    /// Hugo 0.154.5 (Goldmark, `autoHeadingIDType = "github"`) built these headings of one
    /// page into these ids: a link's and an image's text count, inline HTML tags do not, code
    /// spans count as their content, the typographer's dashes are dropped but in code. The heading texts come from the Hugo reading of the
    /// page, as `apply` reads it.
    #[test]
    fn github_slugs_like_hugo_s_goldmark() {
        let page = "## See [Longhorn](https://longhorn.io) docs\n\
                    ## Use `kubectl` with **Longhorn**\n\
                    ## Longhorn <v1.4> & more\n\
                    ## Longhorn's \"quotes\" and ümlaut\n\
                    ## Repeat\n\
                    ## Repeat\n\
                    ## Install [Longhorn v1.2](../install) on K3s\n\
                    ## ![logo](/img/x.png) Longhorn image\n\
                    ## Longhorn_under_score -- dash\n\
                    ## A <span>html</span> heading\n\
                    ## Café & naïve 日本語\n\
                    ## Use `--flag` option\n\
                    ## A --- B\n\
                    ## A -- B\n\
                    ## a--b\n";
        let reading = crate::scan::Reading {
            dialect: crate::scan::Dialect::Hugo,
            ..crate::scan::Reading::default()
        };
        let scanned = crate::scan::scan(crate::scan::FileKind::Markdown, page, &reading);
        let headings = scanned.headings.iter().map(|h| (heading_text(h), None));
        assert_eq!(
            heading_anchors(HeadingIds::Goldmark, headings),
            [
                "see-longhorn-docs",
                "use-kubectl-with-longhorn",
                "longhorn-v14--more",
                "longhorns-quotes-and-ümlaut",
                "repeat",
                "repeat-1",
                "install-longhorn-v12-on-k3s",
                "logo-longhorn-image",
                "longhorn_under_score--dash",
                "a-html-heading",
                "café--naïve-日本語",
                "use---flag-option",
                "a--b",
                "a--b-1",
                "ab",
            ]
        );
    }
}
