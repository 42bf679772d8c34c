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
//! The events and their byte offsets come from yaml-rust2's parser (YAML 1.2). A scalar is
//! located in the text when its source is its value: plain and quoted scalars on one line
//! without escapes; a folded or literal block scalar, or a scalar with escapes, is left
//! protected. A file that does not parse is protected from the error on.

use std::ops::Range;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

use super::key_path::is_identifier;
use super::{is_url, Context, KeyPaths, Span, SpanBuilder};

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

/// Scans a YAML file: spans tiling `text`.
pub(super) fn scan(text: &str, prose: &KeyPaths) -> Vec<Span> {
    let mut b = SpanBuilder::new(text.len());
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    while let Ok((event, mark)) = parser.next_token() {
        let at = mark.index();
        match event {
            Event::StreamEnd => break,
            Event::MappingStart(..) | Event::SequenceStart(..) => {
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
                let range = located(text, at, &value, style);
                let is_key = stack.last().is_some_and(|o| o.mapping && o.expect_key);
                if is_key {
                    let open = stack.last_mut().expect("a key is in a mapping");
                    let mut path = open.path.clone();
                    path.push(value.clone());
                    open.key = Some(value);
                    open.expect_key = false;
                    if let Some(range) = range {
                        let prose_key = prose.key_is_prose(&path) && !is_identifier(&text[range.clone()]);
                        b.region(
                            range,
                            if prose_key {
                                Context::Prose
                            } else {
                                Context::YamlKey
                            },
                        );
                    }
                } else {
                    let path = value_path(&mut stack);
                    if let Some(range) = range {
                        let source = &text[range.clone()];
                        let context = if is_url(source) {
                            Context::Url
                        } else if prose.value_is_prose(&path) && !is_identifier(source) {
                            Context::Prose
                        } else {
                            Context::YamlValue
                        };
                        b.region(range, context);
                    }
                }
            }
            _ => {}
        }
    }
    b.finish()
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
}
