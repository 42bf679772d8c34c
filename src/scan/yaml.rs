//! YAML files (`mkdocs.yml`, `.nav.yml`, a site's data files): the values, and keys, that
//! the prose key paths choose are prose; every other key and value, comments, anchors,
//! aliases and tags are protected.
//!
//! A key path names a node by the keys from the document's root, joined by `.`; a sequence
//! adds no segment (`nav.Welcome` is the key `Welcome` of an item of the `nav` list). The
//! prose key paths are globs over those paths: `*` matches one key, `**` any number
//! (`site_name`, `nav.**`, `extra.*.title`). A path that matches names its value as prose; a
//! key is prose itself when a pattern ending in `.**` takes it (the titles of a nav tree are
//! its keys: `nav: [{Welcome: index.md}]`). A value that reads as a path, a URL or an
//! identifier (no white space, and a `/`, `\`, `:`, `.`, `_`, `@` or `=` in it) is never
//! prose, even under a prose path: a nav entry's title is prose, its target file is not.
//!
//! The events and their offsets come from yaml-rust2's parser (YAML 1.2; its marks count
//! characters, turned into byte offsets here). A scalar is located in the text when its
//! source is its value: plain and quoted scalars on one line without escapes; a folded or
//! literal block scalar, a plain scalar over several lines, or a scalar with escapes, is left
//! protected. A file that does not parse is protected from the error on.
//!
//! A page's `---` front matter is read here too ([`FRONT_MATTER`]), with the rule file's
//! `front_matter_prose_keys` as key paths: a name (`title`) is a top-level key, as the line
//! classifier that read front matter before had it, and paths reach nested keys
//! (`menu.main.name`). A block indented as a whole (Hugo pages write `  title: ...` under
//! `---`) is a mapping all the same. Its contexts are `front_matter_key` and
//! `front_matter_value`, its comments `comment`, and a prose key's value is prose whole with
//! the bare URLs in it protected (Docusaurus output is byte for byte what the line
//! classifier made of the Harvester docs). What the line classifier read and this does not:
//! a multi-line or block scalar value, and a quoted one with escapes, stay protected.

use std::ops::Range;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

use super::key_path::is_identifier;
use super::{is_url, prose, Context, KeyPaths, Span, SpanBuilder};

/// One open collection while walking the events.
struct Open {
    /// A mapping (else a sequence).
    mapping: bool,
    /// For a mapping: whether the next scalar or collection is a key.
    expect_key: bool,
    /// The path of this collection's node.
    path: Vec<String>,
    /// For a mapping: the key whose value comes next.
    key: Option<String>,
}

/// How a YAML document is read: a file of its own or a page's front matter.
#[derive(Debug, Clone, Copy)]
pub(super) struct Flavor {
    /// The context of a key that is not prose.
    key: Context,
    /// The context of a value that is not prose.
    value: Context,
    /// A page's front matter: a prose value is prose whole, with the bare URLs in it
    /// protected, and any other value (a URL, a path) is a value, as the line classifier
    /// rebrand read front matter with before; comments are [`Context::Comment`]. A file: a
    /// value that reads as a URL is a URL, one that reads as a path or identifier is never
    /// prose, and comments are markup.
    front_matter: bool,
}

/// A YAML file (`mkdocs.yml`).
pub(super) const FILE: Flavor = Flavor {
    key: Context::YamlKey,
    value: Context::YamlValue,
    front_matter: false,
};

/// A page's `---` front matter.
pub(super) const FRONT_MATTER: Flavor = Flavor {
    key: Context::FrontMatterKey,
    value: Context::FrontMatterValue,
    front_matter: true,
};

/// Scans a YAML file: spans tiling `text`.
pub(super) fn scan(text: &str, prose: &KeyPaths) -> Vec<Span> {
    let mut b = SpanBuilder::new(text.len());
    scan_into(&mut b, &mut Vec::new(), text, 0..text.len(), prose, FILE);
    b.finish()
}

/// Classifies the YAML document `text[range]` into `b` (what it leaves is the caller's
/// default, markup), read as `flavor`. Each key and each sequence item starts a block: its
/// offset goes to `breaks`.
pub(super) fn scan_into(
    b: &mut SpanBuilder,
    breaks: &mut Vec<usize>,
    text: &str,
    range: Range<usize>,
    prose_paths: &KeyPaths,
    flavor: Flavor,
) {
    // The scalars located, for the comments of a front matter.
    let mut scalars: Vec<Range<usize>> = Vec::new();
    walk(text, range.clone(), |node| match node {
        Node::Item { at } => breaks.push(at),
        Node::Scalar {
            at,
            is_key,
            in_sequence,
            path,
            located,
        } => {
            if is_key || in_sequence {
                breaks.push(at);
            }
            let Some(located) = located else {
                return;
            };
            scalars.push(located.clone());
            let source = &text[located.clone()];
            if is_key {
                let prose_key = prose_paths.key_is_prose(path) && !is_identifier(source);
                b.region(located, if prose_key { Context::Prose } else { flavor.key });
                return;
            }
            let is_prose = prose_paths.value_is_prose(path);
            if flavor.front_matter {
                if is_prose {
                    prose(b, text, located);
                } else {
                    b.region(located, flavor.value);
                }
            } else if is_url(source) {
                b.region(located, Context::Url);
            } else if is_prose && !is_identifier(source) {
                b.region(located, Context::Prose);
            } else {
                b.region(located, flavor.value);
            }
        }
    });
    if flavor.front_matter {
        comments(b, text, range, &scalars);
    }
}

/// A scalar value of a YAML file located in its text (see [`yaml_values`]): its key path (keys from
/// the root, a sequence adding none) and the byte range of its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlValue {
    /// The keys from the document's root to the value (`["nav", "Welcome"]`).
    pub path: Vec<String>,
    /// The value's bytes in the text (inside its quotes).
    pub range: Range<usize>,
}

/// Every value of the YAML document `text` whose source is its value (a plain or quoted
/// scalar on one line without escapes; keys left out), in text order: what a site model
/// reads references from (MkDocs' nav targets in `mkdocs.yml` and `.nav.yml`). A text that
/// does not parse gives its values up to the error.
pub fn yaml_values(text: &str) -> Vec<YamlValue> {
    let mut values = Vec::new();
    walk(text, 0..text.len(), |node| {
        if let Node::Scalar {
            is_key: false,
            path,
            located: Some(range),
            ..
        } = node
        {
            values.push(YamlValue {
                path: path.to_vec(),
                range,
            });
        }
    });
    values
}

/// What [`walk`] meets, offsets into the whole text.
enum Node<'p> {
    /// A mapping or sequence that is an item of a sequence, starting at `at`.
    Item { at: usize },
    /// A scalar at `at`: a key or a value (of a mapping, or an item of a sequence), under the
    /// key path `path` (a key's path ends with the key), `located` where its source is its
    /// value.
    Scalar {
        at: usize,
        is_key: bool,
        in_sequence: bool,
        path: &'p [String],
        located: Option<Range<usize>>,
    },
}

/// Walks the YAML document `text[range]` with yaml-rust2's parser, calling `visit` for each
/// collection item and scalar, until the end or the first error.
fn walk(text: &str, range: Range<usize>, mut visit: impl FnMut(Node<'_>)) {
    let doc = &text[range.clone()];
    let offsets = ByteOffsets::new(doc);
    let mut parser = Parser::new_from_str(doc);
    let mut stack: Vec<Open> = Vec::new();
    while let Ok((event, mark)) = parser.next_token() {
        let Some(at) = offsets.of(mark.index()) else {
            break;
        };
        match event {
            Event::StreamEnd => break,
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if stack.last().is_some_and(|o| !o.mapping) {
                    visit(Node::Item { at: range.start + at });
                }
                let path = value_path(&mut stack);
                stack.push(Open {
                    mapping: matches!(event, Event::MappingStart(..)),
                    expect_key: true,
                    path,
                    key: None,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
            }
            // An alias (`*name`) takes a value's place (or a key's): the mapping turns.
            Event::Alias(_) => match stack.last_mut() {
                Some(open) if open.mapping && open.expect_key => open.expect_key = false,
                _ => {
                    value_path(&mut stack);
                }
            },
            Event::Scalar(value, style, ..) => {
                let located =
                    located(doc, at, &value, style).map(|r| range.start + r.start..range.start + r.end);
                let is_key = stack.last().is_some_and(|o| o.mapping && o.expect_key);
                let in_sequence = stack.last().is_some_and(|o| !o.mapping);
                let path = if is_key {
                    let open = stack.last_mut().expect("a key is in a mapping");
                    let mut path = open.path.clone();
                    path.push(value.clone());
                    open.key = Some(value);
                    open.expect_key = false;
                    path
                } else {
                    value_path(&mut stack)
                };
                visit(Node::Scalar {
                    at: range.start + at,
                    is_key,
                    in_sequence,
                    path: &path,
                    located,
                });
            }
            _ => {}
        }
    }
}

/// Marks the comments of `text[range]` as [`Context::Comment`]: a `#` at a line's start or
/// after a blank (YAML 1.2 section 6.6), outside the located `scalars`, to the line's end.
fn comments(b: &mut SpanBuilder, text: &str, range: Range<usize>, scalars: &[Range<usize>]) {
    let mut pos = range.start;
    for line in text[range].split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let hash = body.char_indices().find(|&(i, c)| {
            c == '#'
                && (i == 0 || body[..i].ends_with([' ', '\t']))
                && !scalars.iter().any(|s| s.contains(&(start + i)))
        });
        if let Some((i, _)) = hash {
            b.region(start + i..start + body.len(), Context::Comment);
        }
    }
}

/// yaml-rust2's marks count characters; the text is sliced by bytes.
struct ByteOffsets {
    /// The byte offset of each character, and the text's length last; empty for ASCII text.
    of_char: Vec<usize>,
    len: usize,
}

impl ByteOffsets {
    fn new(text: &str) -> ByteOffsets {
        let of_char = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).chain([text.len()]).collect()
        };
        ByteOffsets {
            of_char,
            len: text.len(),
        }
    }

    /// The byte offset of the character at `index`, if it is in the text.
    fn of(&self, index: usize) -> Option<usize> {
        if self.of_char.is_empty() {
            (index <= self.len).then_some(index)
        } else {
            self.of_char.get(index).copied()
        }
    }
}

/// The path of the value that comes next in the innermost collection (a mapping's value is
/// under its key; a sequence item under the sequence), and, in a mapping, the turn to a key
/// again.
fn value_path(stack: &mut [Open]) -> Vec<String> {
    let Some(open) = stack.last_mut() else {
        return Vec::new();
    };
    let mut path = open.path.clone();
    if open.mapping {
        path.extend(open.key.take());
        open.expect_key = true;
    }
    path
}

/// The byte range of a scalar's text in `text`, when its source at `at` is its value: a plain
/// scalar as written, or a quoted one without escapes, on one line. `None` otherwise (block
/// scalars, escapes, multi-line plain scalars, and an empty scalar).
fn located(text: &str, at: usize, value: &str, style: TScalarStyle) -> Option<Range<usize>> {
    if value.is_empty() || value.contains('\n') {
        return None;
    }
    let rest = text.get(at..)?;
    let (open, quote) = match style {
        TScalarStyle::Plain => (0, None),
        TScalarStyle::SingleQuoted => (1, Some('\'')),
        TScalarStyle::DoubleQuoted => (1, Some('"')),
        _ => return None,
    };
    if let Some(q) = quote {
        if !rest.starts_with(q) || value.contains(q) || (q == '"' && value.contains('\\')) {
            return None;
        }
    }
    let inner = rest.get(open..)?;
    if !inner.starts_with(value) {
        return None;
    }
    if let Some(q) = quote {
        if !inner[value.len()..].starts_with(q) {
            return None;
        }
    }
    Some(at + open..at + open + value.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str, patterns: &[&str], context: Context) -> Vec<String> {
        let paths = KeyPaths::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>());
        scan(text, &paths)
            .into_iter()
            .filter(|s| s.context == context)
            .map(|s| text[s.range].to_string())
            .collect()
    }

    /// `mkdocs.yml` of the KubeVirt user guide, cut down.
    const MKDOCS: &str = "site_name: KubeVirt user guide\nsite_url: https://kubevirt.io/user-guide\nrepo_name: kubevirt/user-guide\n\nnav:\n  - Welcome: index.md\n  - KubeVirt architecture: architecture.md\n  - Cluster Administration:\n      - KubeVirt installation: cluster_admin/installation.md\n  - contributing.md\n\ntheme:\n  name: material\n  logo: assets/KubeVirt_icon.png  # KubeVirt's logo\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n";

    #[test]
    fn prose_paths_choose_values_and_nav_titles_but_never_paths() {
        let prose = of(MKDOCS, &["site_name", "nav.**"], Context::Prose);
        assert_eq!(
            prose,
            [
                "KubeVirt user guide",
                "Welcome",
                "KubeVirt architecture",
                "Cluster Administration",
                "KubeVirt installation",
            ]
        );
        let values = of(MKDOCS, &["site_name", "nav.**"], Context::YamlValue);
        for protected in [
            "index.md",
            "architecture.md",
            "cluster_admin/installation.md",
            "contributing.md",
            "kubevirt/user-guide",
            "assets/KubeVirt_icon.png",
            "material",
        ] {
            assert!(values.iter().any(|v| v == protected), "{protected} in {values:?}");
        }
        assert_eq!(
            of(MKDOCS, &["site_name"], Context::Url),
            ["https://kubevirt.io/user-guide"]
        );
        let keys = of(MKDOCS, &["site_name", "nav.**"], Context::YamlKey);
        assert!(
            keys.iter().any(|k| k == "site_name") && keys.iter().any(|k| k == "nav"),
            "{keys:?}"
        );
        // The comment and the tag are neither prose nor a value.
        let spans = scan(MKDOCS, &KeyPaths::new(&["**".to_string()]));
        let comment = MKDOCS.find("# KubeVirt's logo").unwrap();
        let at = spans.iter().find(|s| s.range.contains(&comment)).unwrap();
        assert_eq!(at.context, Context::Markup);
    }

    #[test]
    fn quoted_scalars_are_located_inside_their_quotes_and_escapes_are_left_alone() {
        let text =
            "a: 'KubeVirt docs'\nb: \"KubeVirt guide\"\nc: \"KubeVirt \\\"x\\\"\"\nd: |\n  KubeVirt block\n";
        assert_eq!(
            of(text, &["*"], Context::Prose),
            ["KubeVirt docs", "KubeVirt guide"]
        );
    }

    #[test]
    fn a_file_that_does_not_parse_is_protected_from_the_error_on() {
        let text = "title: KubeVirt\nnav: [unclosed, KubeVirt\n";
        let spans = scan(text, &KeyPaths::new(&["title".to_string()]));
        assert!(crate::scan::is_tiling(&spans, text.len()));
        assert_eq!(of(text, &["title"], Context::Prose), ["KubeVirt"]);
    }

    #[test]
    fn an_alias_takes_a_value_s_place() {
        let text = "base: &name KubeVirt\nsite_name: *name\ntitle: KubeVirt docs\n";
        assert_eq!(of(text, &["title"], Context::Prose), ["KubeVirt docs"]);
        let keys = of(text, &["title"], Context::YamlKey);
        assert_eq!(keys, ["base", "site_name", "title"]);
    }

    /// The spans of a page's front matter body `text` read with `patterns`, in `context`.
    fn front_matter(text: &str, patterns: &[&str], context: Context) -> Vec<String> {
        let paths = KeyPaths::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>());
        let mut b = SpanBuilder::new(text.len());
        scan_into(&mut b, &mut Vec::new(), text, 0..text.len(), &paths, FRONT_MATTER);
        let spans = b.finish();
        assert!(crate::scan::is_tiling(&spans, text.len()));
        spans
            .into_iter()
            .filter(|s| s.context == context)
            .map(|s| text[s.range].to_string())
            .collect()
    }

    #[test]
    fn front_matter_comments_quotes_and_urls_stay_out_of_prose() {
        let text = "title: 'Harvester'\ndescription: Harvester docs at https://docs.harvesterhci.io # a comment\n# Harvester\nslug: /harvester\n";
        let keys = ["title", "description"];
        assert_eq!(
            front_matter(text, &keys, Context::Prose),
            ["Harvester", "Harvester docs at "]
        );
        assert_eq!(
            front_matter(text, &keys, Context::Url),
            ["https://docs.harvesterhci.io"]
        );
        assert_eq!(
            front_matter(text, &keys, Context::Comment),
            ["# a comment", "# Harvester"]
        );
        assert_eq!(
            front_matter(text, &keys, Context::FrontMatterValue),
            ["/harvester"]
        );
        assert_eq!(
            front_matter(text, &keys, Context::FrontMatterKey),
            ["title", "description", "slug"]
        );
    }

    /// A Longhorn KB page's front matter (`troubleshooting-none-standard-kubelet-dir.md`) with
    /// a Hugo menu entry: names are top-level keys as the line classifier had them, key paths
    /// reach nested keys, list items under a prose key are prose.
    #[test]
    fn front_matter_key_paths_reach_nested_keys() {
        let text = "title: \"Troubleshooting: None-standard Kubelet directory\"\nauthors:\n- \"Chin-Ya Huang\"\ndraft: false\ndate: 2021-06-18\ncategories:\n- \"csi\"\nmenu:\n  main:\n    name: Longhorn kubelet\n    title: nested, not the page's\n";
        assert_eq!(
            front_matter(text, &["title", "categories"], Context::Prose),
            ["Troubleshooting: None-standard Kubelet directory", "csi"]
        );
        assert_eq!(
            front_matter(text, &["title", "menu.*.name"], Context::Prose),
            [
                "Troubleshooting: None-standard Kubelet directory",
                "Longhorn kubelet"
            ]
        );
    }

    /// Longhorn's docs indent their whole front matter (`  title: Longhorn CSI on K3s`): a
    /// block mapping indented as a whole is the top level all the same (YAML 1.2 section
    /// 8.2.2).
    #[test]
    fn a_front_matter_indented_as_a_whole_has_its_top_level_there() {
        let text =
            "---\n  title: Longhorn CSI on K3s\n  weight: 2\n  menu:\n    title: Longhorn nested\n---\n";
        let spans = crate::scan::scan(
            crate::scan::FileKind::Markdown,
            text,
            &crate::scan::Reading::default(),
        )
        .spans;
        let prose: Vec<&str> = spans
            .iter()
            .filter(|s| s.context == Context::Prose)
            .map(|s| &text[s.range.clone()])
            .collect();
        assert_eq!(prose, ["Longhorn CSI on K3s"]);
    }

    /// yaml-rust2's marks count characters: a value after a translated title (Harvester's
    /// `i18n/zh` pages) is still found at its byte offset.
    #[test]
    fn values_after_non_ascii_text_are_located() {
        let text = "title: 升级 Harvester\nsidebar_label: 升级\ndescription: Harvester 文档\n";
        assert_eq!(
            front_matter(text, &["title", "description"], Context::Prose),
            ["升级 Harvester", "Harvester 文档"]
        );
        assert_eq!(of(text, &["description"], Context::Prose), ["Harvester 文档"]);
    }
}
