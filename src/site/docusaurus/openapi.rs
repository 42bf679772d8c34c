//! The pages docusaurus-plugin-openapi-docs generates from an OpenAPI spec: their ids, and
//! so their files, doc ids and URLs, derived as the plugin derives them.
//!
//! The plugin (`docusaurus-plugin-openapi-docs` 2.x, as the Harvester docs pin it with
//! `^2.1.2`) writes one page per spec into the spec's `outputDir` at build time
//! (`docusaurus gen-api-docs`), so none of them is in a source tree. Its
//! `src/openapi/openapi.ts`, `createItems`, names them (identical in 2.1.3 and 2.2.4):
//!
//! - the info page: `kebabCase(info.title.replace(" ", "-").toLowerCase())` — the first
//!   space made a `-`, the title lower-cased, then lodash's `kebabCase`, so `Harvester APIs`
//!   is `harvester-apis` (lodash alone would say `harvester-ap-is`);
//! - an operation page (every method of every path, then of `x-webhooks`):
//!   `kebabCase(operationId)`, or `kebabCase(summary)` without one;
//! - with `sidebarOptions.categoryLinkSource: "tag"`, a tag page for each global tag that an
//!   operation uses: `kebabCase(tag.name)`.
//!
//! Each is written as `<outputDir>/<id>.info.mdx` (`.api.mdx`, `.tag.mdx`) with front
//! matter `id: <id>` (`src/index.ts`), so its doc id is the output folder inside its docs
//! root and the id (`api/harvester-apis`). Schema pages (`showSchemas`, or in 2.2 any schema
//! with `x-tags`) go to `<outputDir>/schemas/` and are not modelled: whether they exist
//! depends on the plugin's minor version.

use std::collections::HashMap;

use serde_json::Value;

use crate::site::links::{tokens, Token};

/// The plugin's npm package name, as messages name it.
pub const PLUGIN: &str = "docusaurus-plugin-openapi-docs";

/// What a generated page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// The spec's introduction, named after `info.title`.
    Info,
    /// One operation, named after its `operationId` (or summary).
    Api,
    /// One tag, named after its name (only with `categoryLinkSource: "tag"`).
    Tag,
}

impl PageKind {
    /// The file name suffix the plugin writes the page with (`info`, `api`, `tag`).
    pub fn suffix(self) -> &'static str {
        match self {
            PageKind::Info => "info",
            PageKind::Api => "api",
            PageKind::Tag => "tag",
        }
    }
}

/// One page the plugin generates from a spec.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Page {
    /// What the page is.
    pub kind: PageKind,
    /// Its id, the front matter `id:` and file stem (`harvester-apis`).
    pub id: String,
}

impl Page {
    /// The file the plugin writes the page to in `output_dir`
    /// (`versioned_docs/version-v1.6/api/harvester-apis.info.mdx`).
    pub fn file(&self, output_dir: &str) -> String {
        format!("{output_dir}/{}.{}.mdx", self.id, self.kind.suffix())
    }
}

/// One spec the plugin's configuration names, with the folder it generates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginSpec {
    /// `specPath`, relative to the site (`api/v1.6-swagger.json`).
    pub spec_path: String,
    /// `outputDir`, relative, without a trailing `/` (`versioned_docs/version-v1.6/api`).
    pub output_dir: String,
    /// Whether tag pages are generated (`sidebarOptions.categoryLinkSource: "tag"`).
    pub tag_pages: bool,
}

impl PluginSpec {
    /// Whether the pages of this spec can be known from the tree: a local JSON file (a
    /// URL, a folder of specs and YAML are not read).
    pub fn is_readable(&self) -> bool {
        !self.spec_path.contains("://") && self.spec_path.ends_with(".json")
    }
}

/// The specs docusaurus-plugin-openapi-docs is configured with in `docusaurus.config.js`
/// (`text`): every object literal with both a `specPath` and an `outputDir` string, the
/// plugin's entries under `config` and their `versions`. A version entry takes
/// `sidebarOptions` from the entry it is under unless it has its own, as the plugin's
/// `gen-api-docs:version` spreads the parent's options under the version's. Values that
/// are not plain strings (template literals with `${}`, expressions) are not read.
pub fn plugin_specs(text: &str) -> Vec<PluginSpec> {
    /// An open object or array; the fields are its own string and word values.
    struct Frame {
        is_object: bool,
        key: Option<String>,
        fields: HashMap<String, String>,
        /// `categoryLinkSource` of a closed `sidebarOptions` child.
        link_source: Option<Option<String>>,
        /// Index in `found` of the first spec opened inside this object.
        first: usize,
    }
    // Specs found, each with its own `sidebarOptions` when it had some.
    let mut found: Vec<(PluginSpec, Option<Option<String>>)> = Vec::new();
    let toks = tokens(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut pending_key: Option<String> = None;
    for (i, tok) in toks.iter().enumerate() {
        let next_is_colon = matches!(toks.get(i + 1), Some(Token::Punct(b':')));
        match tok {
            Token::Punct(b'{') | Token::Punct(b'[') => stack.push(Frame {
                is_object: *tok == Token::Punct(b'{'),
                key: pending_key.take(),
                fields: HashMap::new(),
                link_source: None,
                first: found.len(),
            }),
            Token::Punct(b'}') | Token::Punct(b']') => {
                pending_key = None;
                let Some(frame) = stack.pop() else { continue };
                if !frame.is_object {
                    continue;
                }
                if frame.key.as_deref() == Some("sidebarOptions") {
                    if let Some(parent) = stack.last_mut() {
                        parent.link_source = Some(frame.fields.get("categoryLinkSource").cloned());
                    }
                    continue;
                }
                let (Some(spec), Some(out)) = (frame.fields.get("specPath"), frame.fields.get("outputDir"))
                else {
                    continue;
                };
                // The entries under this one (its versions) take its sidebar options.
                for (_, own) in &mut found[frame.first..] {
                    if own.is_none() {
                        own.clone_from(&frame.link_source);
                    }
                }
                found.push((
                    PluginSpec {
                        spec_path: spec.trim_start_matches("./").to_string(),
                        output_dir: out.trim_start_matches("./").trim_end_matches('/').to_string(),
                        tag_pages: false,
                    },
                    frame.link_source,
                ));
            }
            Token::Punct(b',') => pending_key = None,
            Token::Str(r) | Token::Word(r) if next_is_colon && stack.last().is_some_and(|f| f.is_object) => {
                pending_key = Some(text[r.clone()].to_string());
            }
            Token::Str(r) | Token::Word(r) => {
                let value = &text[r.clone()];
                let plain = !matches!(tok, Token::Str(_)) || !value.contains("${");
                if let (Some(frame), Some(key)) = (stack.last_mut(), pending_key.take()) {
                    if frame.is_object && plain {
                        frame.fields.insert(key, value.to_string());
                    }
                }
            }
            Token::Punct(_) => {}
        }
    }
    found
        .into_iter()
        .map(|(mut spec, link_source)| {
            spec.tag_pages = link_source.flatten().as_deref() == Some("tag");
            spec
        })
        .collect()
}

/// The pages the plugin generates from the spec `text` (JSON, OpenAPI 3 or Swagger 2: the
/// plugin converts the latter with `swagger2openapi`, which keeps titles, operation ids,
/// summaries and tags), in the plugin's order: the info page, operations, webhooks, tags.
/// `None` when they cannot be known: the text is not JSON, `info.title` is not a string
/// (the plugin fails on it), or a path item is a `$ref` (its operations are elsewhere).
pub fn pages(text: &str, tag_pages: bool) -> Option<Vec<Page>> {
    let spec: Value = serde_json::from_str(text).ok()?;
    let title = spec.get("info")?.get("title")?.as_str()?;
    let mut pages = vec![Page {
        kind: PageKind::Info,
        id: info_page_id(title),
    }];
    let mut operation_tags: Vec<&str> = Vec::new();
    for group in ["paths", "x-webhooks"] {
        let Some(paths) = spec.get(group).and_then(Value::as_object) else {
            continue;
        };
        for item in paths.values() {
            let item = item.as_object()?;
            if item.contains_key("$ref") {
                return None;
            }
            // `const { $ref, description, parameters, servers, summary, ...rest } = pathObject`:
            // every other key is taken as a method.
            for (key, operation) in item {
                if matches!(key.as_str(), "description" | "parameters" | "servers" | "summary") {
                    continue;
                }
                let Some(operation) = operation.as_object() else {
                    continue;
                };
                let text_of = |k: &str| operation.get(k).and_then(Value::as_str).unwrap_or("");
                let id = match text_of("operationId") {
                    "" => kebab_case(text_of("summary")),
                    operation_id => kebab_case(operation_id),
                };
                pages.push(Page {
                    kind: PageKind::Api,
                    id,
                });
                if let Some(tags) = operation.get("tags").and_then(Value::as_array) {
                    operation_tags.extend(tags.iter().filter_map(Value::as_str));
                }
            }
        }
    }
    if tag_pages {
        for tag in spec.get("tags").and_then(Value::as_array).into_iter().flatten() {
            let Some(name) = tag.get("name").and_then(Value::as_str) else {
                continue;
            };
            if operation_tags.contains(&name) {
                pages.push(Page {
                    kind: PageKind::Tag,
                    id: kebab_case(name),
                });
            }
        }
    }
    Some(pages)
}

/// The page renames a rewrite of a spec makes: the pages of `upstream` and of `branded`
/// (the same spec through the rules) paired in order, each pair whose id changed, as
/// `(old page, new page)`. Empty when either cannot be read or they do not pair (the
/// rules changed the spec's structure, which prose rules never do).
pub fn renamed_pages(upstream: &str, branded: &str, tag_pages: bool) -> Vec<(Page, Page)> {
    let (Some(old), Some(new)) = (pages(upstream, tag_pages), pages(branded, tag_pages)) else {
        return Vec::new();
    };
    if old.len() != new.len() || old.iter().zip(&new).any(|(o, n)| o.kind != n.kind) {
        return Vec::new();
    }
    old.into_iter().zip(new).filter(|(o, n)| o.id != n.id).collect()
}

/// The id of the info page of a spec titled `title`: `createItems`'
/// `kebabCase(title.replace(" ", "-").toLowerCase())` (JavaScript's `replace` with a string
/// pattern replaces the first match only).
pub fn info_page_id(title: &str) -> String {
    kebab_case(&title.replacen(' ', "-", 1).to_lowercase())
}

/// lodash 4.17's `kebabCase`: the words of `s`, lower-cased, joined with `-`
/// (`listNamespacedPersistentVolumeClaim` → `list-namespaced-persistent-volume-claim`,
/// `Harvester APIs` → `harvester-ap-is`, `Pet Store 3.0` → `pet-store-3-0`).
///
/// As lodash does (`createCompounder`): Latin-1 and Latin Extended-A letters are deburred
/// (`é` → `e`, `Æ` → `Ae`) and combining marks dropped, apostrophes removed, then the
/// string is split into words by `words`: runs of ASCII letters and digits when it holds
/// nothing else and no case change (`asciiWords`), else `unicodeWords`' pattern, which
/// breaks at case changes (`fooBar`, `XMLHttp`), between letters and digits, at
/// punctuation and spaces, and keeps ordinals (`4th`) and emoji sequences whole.
pub fn kebab_case(s: &str) -> String {
    let mut text: Vec<char> = Vec::with_capacity(s.len());
    for c in s.chars() {
        match deburred(c) {
            Some(d) => text.extend(d.chars()),
            None if is_combining_mark(c) => {}
            None => text.push(c),
        }
    }
    text.retain(|c| !matches!(c, '\'' | '\u{2019}'));
    let words = if has_unicode_word(&text) {
        unicode_words(&text)
    } else {
        ascii_words(&text)
    };
    words
        .iter()
        .map(|w| w.iter().collect::<String>().to_lowercase())
        .collect::<Vec<_>>()
        .join("-")
}

/// lodash's `deburredLetters` (`_deburrLetter.js`), U+00C0 to U+017F; `""` where lodash
/// maps nothing (× and ÷).
const DEBURRED: [&str; 192] = [
    "A", "A", "A", "A", "A", "A", "Ae", "C", "E", "E", "E", "E", "I", "I", "I", "I", "D", "N", "O", "O", "O",
    "O", "O", "", "O", "U", "U", "U", "U", "Y", "Th", "ss", "a", "a", "a", "a", "a", "a", "ae", "c", "e",
    "e", "e", "e", "i", "i", "i", "i", "d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y",
    "th", "y", "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d", "D", "d", "E",
    "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g", "G", "g", "G", "g", "H", "h", "H", "h",
    "I", "i", "I", "i", "I", "i", "I", "i", "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L",
    "l", "L", "l", "L", "l", "L", "l", "N", "n", "N", "n", "N", "n", "'n", "N", "n", "O", "o", "O", "o", "O",
    "o", "Oe", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s", "S", "s", "T", "t", "T",
    "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u", "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z",
    "z", "Z", "z", "Z", "z", "s",
];

/// What lodash's `deburr` makes of a Latin-1 Supplement or Latin Extended-A letter.
fn deburred(c: char) -> Option<&'static str> {
    let i = (c as usize).checked_sub(0xC0)?;
    DEBURRED.get(i).copied().filter(|d| !d.is_empty())
}

/// lodash's `reComboMark`: combining diacritical marks, half marks and marks for symbols.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{fe20}'..='\u{fe2f}' | '\u{20d0}'..='\u{20ff}')
}

/// lodash's `reHasUnicodeWord`: `/[a-z][A-Z]|[A-Z]{2}[a-z]|[0-9][a-zA-Z]|[a-zA-Z][0-9]|[^a-zA-Z0-9 ]/`.
fn has_unicode_word(s: &[char]) -> bool {
    let (lower, upper) = (|c: char| c.is_ascii_lowercase(), |c: char| c.is_ascii_uppercase());
    let (alpha, digit) = (|c: char| c.is_ascii_alphabetic(), |c: char| c.is_ascii_digit());
    s.iter().any(|&c| !(c.is_ascii_alphanumeric() || c == ' '))
        || s.windows(2).any(|w| {
            (lower(w[0]) && upper(w[1])) || (digit(w[0]) && alpha(w[1])) || (alpha(w[0]) && digit(w[1]))
        })
        || s.windows(3).any(|w| upper(w[0]) && upper(w[1]) && lower(w[2]))
}

/// lodash's `asciiWords`: runs of characters outside ASCII punctuation, controls and space.
fn ascii_words(s: &[char]) -> Vec<&[char]> {
    s.split(|c| c.is_ascii() && !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

// The character classes of lodash's `reUnicodeWord` (`_unicodeWords.js`). JavaScript sees
// an astral character as two surrogates, which are in none of the classes below but the
// emoji pattern's.

/// `rsLowerRange`: `a-z\xdf-\xf6\xf8-\xff`.
fn lower(c: char) -> bool {
    matches!(c, 'a'..='z' | '\u{df}'..='\u{f6}' | '\u{f8}'..='\u{ff}')
}

/// `rsUpperRange`: `A-Z\xc0-\xd6\xd8-\xde`.
fn upper(c: char) -> bool {
    matches!(c, 'A'..='Z' | '\u{c0}'..='\u{d6}' | '\u{d8}'..='\u{de}')
}

/// `rsBreakRange`: math operators, ASCII and Latin-1 non-letters, general punctuation and
/// spaces.
fn is_break(c: char) -> bool {
    matches!(c,
        '\u{ac}' | '\u{b1}' | '\u{d7}' | '\u{f7}'
        | '\u{0}'..='\u{2f}' | '\u{3a}'..='\u{40}' | '\u{5b}'..='\u{60}' | '\u{7b}'..='\u{bf}'
        | '\u{2000}'..='\u{206f}'
        | '\u{feff}' | '\u{1680}' | '\u{180e}' | '\u{3000}')
}

/// `rsDingbatRange`: `\u2700-\u27bf`.
fn dingbat(c: char) -> bool {
    matches!(c, '\u{2700}'..='\u{27bf}')
}

fn astral(c: char) -> bool {
    c as u32 > 0xFFFF
}

/// `rsMisc`: a BMP character in none of the other classes (CJK, Cyrillic, ...).
fn misc(c: char) -> bool {
    !(astral(c) || is_break(c) || c.is_ascii_digit() || c == '+' || dingbat(c) || lower(c) || upper(c))
}

/// A regional indicator (`\ud83c[\udde6-\uddff]`).
fn regional(c: char) -> bool {
    matches!(c, '\u{1f1e6}'..='\u{1f1ff}')
}

/// lodash's `unicodeWords`: the matches of `reUnicodeWord`, searched left to right.
fn unicode_words(s: &[char]) -> Vec<&[char]> {
    let mut words = Vec::new();
    let mut at = 0;
    while at < s.len() {
        match unicode_word_at(s, at) {
            Some(end) => {
                words.push(&s[at..end]);
                at = end;
            }
            None => at += 1,
        }
    }
    words
}

/// The end of the match of `reUnicodeWord` at `p`: its alternatives in order, each with the
/// backtracking the regular expression does (apostrophes are gone, so the optional
/// contractions never match).
fn unicode_word_at(s: &[char], p: usize) -> Option<usize> {
    let at = |i: usize, f: fn(char) -> bool| s.get(i).is_some_and(|&c| f(c));
    let run = |from: usize, f: fn(char) -> bool| (from..s.len()).find(|&i| !f(s[i])).unwrap_or(s.len());
    let misc_lower: fn(char) -> bool = |c| lower(c) || misc(c);
    let misc_upper: fn(char) -> bool = |c| upper(c) || misc(c);
    let after_upper = p + usize::from(at(p, upper));
    // rsUpper? rsLower+ (?=rsBreak|rsUpper|$)
    let end = run(after_upper, lower);
    if end > after_upper && (end == s.len() || at(end, is_break) || at(end, upper)) {
        return Some(end);
    }
    // rsMiscUpper+ (?=rsBreak|rsUpper rsMiscLower|$), the longest run that the lookahead allows
    let end = run(p, misc_upper);
    if let Some(e) = (p + 1..=end)
        .rev()
        .find(|&e| e == s.len() || at(e, is_break) || (at(e, upper) && at(e + 1, misc_lower)))
    {
        return Some(e);
    }
    // rsUpper? rsMiscLower+
    let end = run(after_upper, misc_lower);
    if end > after_upper {
        return Some(end);
    }
    // rsUpper+
    let end = run(p, upper);
    if end > p {
        return Some(end);
    }
    // rsOrdUpper, rsOrdLower
    if let Some(end) = ordinal(s, p, ["1ST", "2ND", "3RD"], "TH", |c| {
        c.is_ascii_lowercase() || c == '_'
    }) {
        return Some(end);
    }
    if let Some(end) = ordinal(s, p, ["1st", "2nd", "3rd"], "th", |c| {
        c.is_ascii_uppercase() || c == '_'
    }) {
        return Some(end);
    }
    // rsDigits
    let end = run(p, |c| c.is_ascii_digit());
    if end > p {
        return Some(end);
    }
    emoji(s, p)
}

/// `\d*(?:1st|2nd|3rd|(?![123])\dth)(?=\b|[A-Z_])` (or its upper-case twin) at `p`: the
/// digit run shortened until an ordinal ending follows that the lookahead accepts.
fn ordinal(s: &[char], p: usize, endings: [&str; 3], th: &str, next: fn(char) -> bool) -> Option<usize> {
    let starts = |i: usize, w: &str| {
        let w: Vec<char> = w.chars().collect();
        s.get(i..i + w.len()) == Some(&w[..])
    };
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    // After the ordinal's last letter (a word character): `\b` is a non-word character or
    // the end.
    let accepts = |e: usize| s.get(e).is_none_or(|&c| !word(c) || next(c));
    let digits = (p..s.len()).find(|&i| !s[i].is_ascii_digit()).unwrap_or(s.len());
    (p..=digits).rev().find_map(|n| {
        let ends = endings.iter().any(|w| starts(n, w))
            || (s.get(n).is_some_and(|c| matches!(c, '0' | '4'..='9')) && starts(n + 1, th));
        (ends && accepts(n + 3)).then_some(n + 3)
    })
}

/// `rsEmoji` at `p`: a dingbat, a pair of regional indicators or an astral character, then
/// an optional variation selector and modifier, and any zero-width-joined sequence.
fn emoji(s: &[char], p: usize) -> Option<usize> {
    let at = |i: usize, f: fn(char) -> bool| s.get(i).is_some_and(|&c| f(c));
    let mut j = if at(p, dingbat) {
        p + 1
    } else if at(p, regional) && at(p + 1, regional) {
        p + 2
    } else if at(p, astral) {
        p + 1
    } else {
        return None;
    };
    let variation: fn(char) -> bool = |c| matches!(c, '\u{fe0e}' | '\u{fe0f}');
    let modifier: fn(char) -> bool = |c| is_combining_mark(c) || matches!(c, '\u{1f3fb}'..='\u{1f3ff}');
    let tail = |mut j: usize| {
        j += usize::from(at(j, variation));
        j + usize::from(at(j, modifier))
    };
    j = tail(j);
    while at(j, |c| c == '\u{200d}') && j + 1 < s.len() {
        let k = j + 1;
        j = tail(if at(k, regional) && at(k + 1, regional) {
            k + 2
        } else {
            k + 1
        });
    }
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Outputs of lodash 4.17.21 (`require('lodash').kebabCase`), run with node 20.
    #[test]
    fn kebab_case_matches_lodash() {
        let cases = [
            ("Harvester APIs", "harvester-ap-is"),
            (
                "listNamespacedPersistentVolumeClaim",
                "list-namespaced-persistent-volume-claim",
            ),
            (
                "List Namespaced Persistent Volume Claims",
                "list-namespaced-persistent-volume-claims",
            ),
            ("NQRust Hypervisor APIs", "nq-rust-hypervisor-ap-is"),
            ("HTTPServer", "http-server"),
            ("XMLHttpRequest", "xml-http-request"),
            ("fooBar2Baz", "foo-bar-2-baz"),
            ("v1beta1", "v-1-beta-1"),
            ("v1.6 API", "v-1-6-api"),
            ("K8s APIs", "k-8-s-ap-is"),
            ("a_b c-d", "a-b-c-d"),
            ("__FOO_BAR__", "foo-bar"),
            ("foo--bar", "foo-bar"),
            ("Pet Store 3.0", "pet-store-3-0"),
            ("iOS 4th Gen", "i-os-4th-gen"),
            ("4th 11th 21st 2ND fooBAR", "4th-11-th-21st-2nd-foo-bar"),
            ("Ünïcödé Títle", "unicode-title"),
            ("café API", "cafe-api"),
            ("it's", "its"),
            ("😀 a👍🏽b 🇫🇷x ✂y", "😀-a-👍🏽-b-🇫🇷-x-✂-y"),
            ("", ""),
        ];
        for (input, want) in cases {
            assert_eq!(kebab_case(input), want, "kebabCase({input:?})");
        }
    }

    /// `createItems`' info page id; the corpus's sidebars name `api/harvester-apis`.
    #[test]
    fn info_page_ids_as_the_plugin_makes_them() {
        let cases = [
            ("Harvester APIs", "harvester-apis"),
            ("Hypervisor APIs", "hypervisor-apis"),
            ("NQRust Hypervisor APIs", "nqrust-hypervisor-apis"),
            ("My  API  Docs", "my-api-docs"),
            ("Pet Store 3.0", "pet-store-3-0"),
            ("iOS 4th Gen", "ios-4th-gen"),
        ];
        for (title, want) in cases {
            assert_eq!(info_page_id(title), want, "info page of {title:?}");
        }
    }

    #[test]
    fn pages_of_a_spec_in_the_plugins_order() {
        let spec = r#"{"swagger": "2.0", "info": {"title": "Harvester APIs"},
          "tags": [{"name": "SSH Keys"}, {"name": "Unused"}],
          "paths": {"/v1/keypairs": {"parameters": [], "get": {"operationId": "listKeyPairForAllNamespaces", "tags": ["SSH Keys"]},
                                     "post": {"summary": "Create a Key Pair"}}}}"#;
        let ids = |tags| -> Vec<(PageKind, String)> {
            pages(spec, tags)
                .unwrap()
                .into_iter()
                .map(|p| (p.kind, p.id))
                .collect()
        };
        assert_eq!(
            ids(false),
            [
                (PageKind::Info, "harvester-apis".into()),
                (PageKind::Api, "list-key-pair-for-all-namespaces".into()),
                (PageKind::Api, "create-a-key-pair".into()),
            ]
        );
        assert_eq!(ids(true).last(), Some(&(PageKind::Tag, "ssh-keys".into())));
        assert_eq!(ids(true).len(), 4);
        assert!(pages("{\"info\": {}}", false).is_none());
        assert!(pages(
            r#"{"info": {"title": "x"}, "paths": {"/a": {"$ref": "other.json"}}}"#,
            false
        )
        .is_none());
        let branded = spec.replace("Harvester APIs", "Hypervisor APIs");
        let renamed = renamed_pages(spec, &branded, true);
        assert_eq!(renamed.len(), 1);
        assert_eq!(renamed[0].0.file("docs/api"), "docs/api/harvester-apis.info.mdx");
        assert_eq!(renamed[0].1.file("docs/api"), "docs/api/hypervisor-apis.info.mdx");
    }

    #[test]
    fn plugin_specs_from_the_config() {
        // The Harvester docs' docusaurus.config.js, cut down.
        let config = r#"plugins: [
    require.resolve('docusaurus-plugin-image-zoom'),
    [
      "docusaurus-plugin-openapi-docs",
      {
        id: "api",
        config: {
          api: { // "api" is considered the <id> that you will reference in the CLI
            specPath: "api/dev-swagger.json", // path or URL to the OpenAPI spec
            outputDir: "docs/api", // output directory for generated *.mdx and sidebar.js files
            sidebarOptions: {
              groupPathsBy: "tag",
              categoryLinkSource: "tag",
            },
            versions: {
              "v1.6": {
                specPath: "api/v1.6-swagger.json",
                outputDir: "versioned_docs/version-v1.6/api/", // No trailing slash
              },
              "v1.5": { specPath: './api/v1.5.json', outputDir: "x", sidebarOptions: { groupPathsBy: "tag" } },
            },
          },
        },
      },
    ],
  ],"#;
        let spec = |s: &str, o: &str, t| PluginSpec {
            spec_path: s.into(),
            output_dir: o.into(),
            tag_pages: t,
        };
        assert_eq!(
            plugin_specs(config),
            [
                spec("api/v1.6-swagger.json", "versioned_docs/version-v1.6/api", true),
                spec("api/v1.5.json", "x", false),
                spec("api/dev-swagger.json", "docs/api", true),
            ]
        );
    }
}
