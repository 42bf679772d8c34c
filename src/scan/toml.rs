//! TOML files (a Hugo site's `hugo.toml`) and TOML front matter (`+++`): the string values
//! the prose key paths choose are prose; keys, table headers, comments, numbers, booleans,
//! dates and every other value are protected.
//!
//! A value's key path ([`KeyPaths`]) is its table's header keys (TOML 1.0 section "Table"),
//! then its own dotted keys (section "Keys"), joined by `.`; an array or an array of tables
//! (section "Array of Tables") adds no segment, so `[[params.features]]` then
//! `text = """..."""` is `params.features.text`, and `[[menu.main]]` then `name = "Blog"` is
//! `menu.main.name`; an inline table's keys follow its key. Keys are never prose (they name
//! data, and no generator shows a TOML key as a title). A string that reads as a path, a URL
//! or an identifier is never prose, even under a prose path.
//!
//! Tokens and their byte spans come from `toml_parser`, the lexer and parser under the
//! `toml` crate. A string is located in the text when its source is its value (TOML 1.0
//! section "String"): a literal string (`'...'`, `'''...'''`), or a basic string (`"..."`,
//! `"""..."""`) without a `\` escape; a multi-line string's value starts after the newline
//! that follows its opening delimiter. A basic string with an escape stays protected, as in
//! YAML. A file that does not parse (toml's own reading: syntax, duplicate keys, a table
//! defined twice) is protected whole: Hugo cannot build it, and what comes before the error
//! may be pieces of a template (Hugo's archetypes write `title = "{{ replace .Name "-" " " }}"`,
//! whose first "string" ends at the second quote).

use std::ops::Range;

use toml_parser::decoder::{Encoding, ScalarKind};
use toml_parser::parser::{parse_document, Event, EventKind};
use toml_parser::Source;

use super::key_path::is_identifier;
use super::{is_url, prose, Context, KeyPaths, Span, SpanBuilder};

/// Scans a TOML file: spans tiling `text`.
pub(super) fn scan(text: &str, prose: &KeyPaths) -> Vec<Span> {
    let mut b = SpanBuilder::new(text.len());
    scan_into(&mut b, &mut Vec::new(), text, 0..text.len(), prose);
    b.finish()
}

/// One open array or inline table while walking the events.
enum Open {
    /// An array: its items' path is the array's own.
    Array(Vec<String>),
    /// An inline table: its keys follow its path.
    Table(Vec<String>),
}

/// Classifies the TOML document `text[range]` into `b` (the rest of `b` is the caller's):
/// keys and headers as [`Context::TomlKey`], comments as [`Context::Comment`], prose strings
/// through [`prose`], other values as [`Context::TomlValue`] (a whole-URL string as
/// [`Context::Url`]); quotes, `=`, brackets and blanks are left to the caller's default
/// (markup). Each key/value pair and each array item starts a block: its offset goes to
/// `breaks`.
pub(super) fn scan_into(
    b: &mut SpanBuilder,
    breaks: &mut Vec<usize>,
    text: &str,
    range: Range<usize>,
    prose_paths: &KeyPaths,
) {
    let doc = &text[range.clone()];
    let base = range.start;
    // toml's reading decides whether the document makes sense at all.
    if ::toml::de::DeTable::parse(doc).is_err() {
        b.protect(range, Context::Markup);
        return;
    }
    let source = Source::new(doc);
    let tokens = source.lex().into_vec();
    let mut events: Vec<Event> = Vec::new();
    parse_document(&tokens, &mut |e: Event| events.push(e), &mut ());

    // The current table's path (its header's keys), the keys read since the last pair or
    // header began, the path of the value that comes next, and the open arrays and inline
    // tables.
    let mut table: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    let mut value_path: Vec<String> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut pair_started = false;
    for event in &events {
        let span = event.span();
        let at = base + span.start()..base + span.end();
        let raw = source.get(event).expect("an event's span is in its source");
        match event.kind() {
            EventKind::StdTableOpen | EventKind::ArrayTableOpen => {
                keys.clear();
                breaks.push(at.start);
            }
            EventKind::StdTableClose | EventKind::ArrayTableClose => {
                table = std::mem::take(&mut keys);
            }
            EventKind::SimpleKey => {
                if !pair_started && open.is_empty() {
                    breaks.push(at.start);
                }
                pair_started = true;
                let mut key = String::new();
                raw.decode_key(&mut key, &mut ());
                keys.push(key);
                b.region(
                    inside_quotes(doc, span.start()..span.end(), event.encoding(), base),
                    Context::TomlKey,
                );
            }
            EventKind::KeyValSep => {
                value_path = match open.last() {
                    Some(Open::Table(path)) => path.clone(),
                    _ => table.clone(),
                };
                value_path.append(&mut keys);
            }
            EventKind::ArrayOpen | EventKind::InlineTableOpen => {
                let path = path_of_next(&open, &value_path);
                if matches!(open.last(), Some(Open::Array(_))) {
                    breaks.push(at.start);
                }
                open.push(if event.kind() == EventKind::ArrayOpen {
                    Open::Array(path)
                } else {
                    Open::Table(path)
                });
            }
            EventKind::ArrayClose | EventKind::InlineTableClose => {
                open.pop();
            }
            EventKind::Scalar => {
                if matches!(open.last(), Some(Open::Array(_))) {
                    breaks.push(at.start);
                }
                let path = path_of_next(&open, &value_path);
                let mut value = String::new();
                let kind = raw.decode_scalar(&mut value, &mut ());
                scalar(
                    b,
                    text,
                    at,
                    event.encoding(),
                    kind,
                    &value,
                    prose_paths.value_is_prose(&path),
                );
            }
            EventKind::Comment => b.region(at, Context::Comment),
            EventKind::Newline => {
                if open.is_empty() {
                    pair_started = false;
                }
            }
            EventKind::KeySep | EventKind::ValueSep | EventKind::Whitespace | EventKind::Error => {}
        }
    }
}

/// The path of the value that comes next: an array's items are at the array's path, a pair's
/// value at the path its keys made.
fn path_of_next(open: &[Open], value_path: &[String]) -> Vec<String> {
    match open.last() {
        Some(Open::Array(path)) => path.clone(),
        _ => value_path.to_vec(),
    }
}

/// The range of a key's or value's text without its delimiters (`"`, `'`, `"""`, `'''`).
fn inside_quotes(doc: &str, span: Range<usize>, encoding: Option<Encoding>, base: usize) -> Range<usize> {
    let n = match encoding {
        None => 0,
        Some(Encoding::BasicString | Encoding::LiteralString) => 1,
        Some(Encoding::MlBasicString | Encoding::MlLiteralString) => 3,
    };
    if span.len() < 2 * n || !doc.is_char_boundary(span.start + n) || !doc.is_char_boundary(span.end - n) {
        return base + span.start..base + span.end;
    }
    base + span.start + n..base + span.end - n
}

/// Classifies one scalar at `at` (in `text`): a string whose source is its value is prose
/// when `is_prose` says so and it reads as words, a whole URL is a URL, anything else a
/// value.
fn scalar(
    b: &mut SpanBuilder,
    text: &str,
    at: Range<usize>,
    encoding: Option<Encoding>,
    kind: ScalarKind,
    value: &str,
    is_prose: bool,
) {
    if !matches!(kind, ScalarKind::String) || encoding.is_none() {
        b.region(at, Context::TomlValue);
        return;
    }
    let inner = inside_quotes(text, at.start..at.end, encoding, 0);
    let located = located(text, inner.clone(), encoding, value);
    match located {
        Some(range) if is_url(value) => b.region(range, Context::Url),
        Some(range) if is_prose && !is_identifier(value) => prose(b, text, range),
        _ => b.region(inner, Context::TomlValue),
    }
}

/// The range of a string's value in `text`, given the range between its delimiters, when its
/// source is its value: no escape in a basic string, and a multi-line string's first newline
/// (part of the syntax, TOML 1.0) left out. `None` otherwise, and for an empty string.
fn located(text: &str, inner: Range<usize>, encoding: Option<Encoding>, value: &str) -> Option<Range<usize>> {
    let source = &text[inner.clone()];
    if matches!(encoding, Some(Encoding::BasicString | Encoding::MlBasicString)) && source.contains('\\') {
        return None;
    }
    let skip = match encoding {
        Some(Encoding::MlBasicString | Encoding::MlLiteralString) => {
            if source.starts_with("\r\n") {
                2
            } else {
                usize::from(source.starts_with('\n'))
            }
        }
        _ => 0,
    };
    let range = inner.start + skip..inner.end;
    (!value.is_empty() && text[range.clone()] == *value).then_some(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str, patterns: &[&str], context: Context) -> Vec<String> {
        let paths = KeyPaths::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>());
        let spans = scan(text, &paths);
        assert!(crate::scan::is_tiling(&spans, text.len()));
        spans
            .into_iter()
            .filter(|s| s.context == context)
            .map(|s| text[s.range].to_string())
            .collect()
    }

    /// Lines of the Longhorn website's `config.toml` (a Hugo site config).
    const LONGHORN: &str = r#"baseURL = "https://longhorn.io"
languageCode = "en-us"
title = "Longhorn"
enableRobotsTXT = true
disableKinds = ["taxonomy"]

[markup.goldmark.renderer]
  unsafe = true # Add this line to allow raw HTML

[params]
description = "Cloud native distributed block storage for Kubernetes"
versions = ["1.12.1", "1.12.0"]
locale = "en_US"

[[params.why]]
text = "Add persistent storage to [Kubernetes](https://kubernetes.io) in one click"
src = "/img/logos/kubernetes-icon-color.svg"

[[params.features]]
title = "Highly available persistent storage for Kubernetes"
text = """
Longhorn’s built-in incremental snapshot and backup features keep the volume data safe.

Scheduled backups of persistent storage volumes in Kubernetes clusters is simplified with Longhorn’s intuitive, free management UI.
"""

[params.social]
github = "https://github.com/longhorn/longhorn"
#twitter = "longhorn"

[[params.fonts]]
name = "Poppins"
sizes = [300, 400, 500, 700]

[[menu.main]]
name = "Knowledge Base"
url = "/kb"
weight = 1

[mediaTypes."text/netlify"]
delimiter = ""
"#;

    const HUGO: &[&str] = &[
        "title",
        "params.description",
        "params.**.title",
        "params.**.text",
        "menu.**.name",
    ];

    #[test]
    fn prose_paths_choose_titles_texts_and_menu_names() {
        assert_eq!(
            of(LONGHORN, HUGO, Context::Prose),
            [
                "Longhorn",
                "Cloud native distributed block storage for Kubernetes",
                "Add persistent storage to [Kubernetes](",
                ") in one click",
                "Highly available persistent storage for Kubernetes",
                "Longhorn’s built-in incremental snapshot and backup features keep the volume data safe.\n\nScheduled backups of persistent storage volumes in Kubernetes clusters is simplified with Longhorn’s intuitive, free management UI.\n",
                "Knowledge Base",
            ]
        );
    }

    #[test]
    fn keys_headers_comments_and_other_values_are_protected() {
        let keys = of(LONGHORN, HUGO, Context::TomlKey);
        for key in [
            "baseURL",
            "markup",
            "goldmark",
            "renderer",
            "unsafe",
            "params",
            "why",
            "text/netlify",
            "delimiter",
        ] {
            assert!(keys.iter().any(|k| k == key), "{key} in {keys:?}");
        }
        let values = of(LONGHORN, HUGO, Context::TomlValue);
        for value in [
            "en-us",
            "true",
            "taxonomy",
            "1.12.1",
            "en_US",
            "/img/logos/kubernetes-icon-color.svg",
            "Poppins",
            "300",
            "/kb",
            "1",
        ] {
            assert!(values.iter().any(|v| v == value), "{value} in {values:?}");
        }
        assert_eq!(
            of(LONGHORN, HUGO, Context::Url),
            [
                "https://longhorn.io",
                "https://kubernetes.io",
                "https://github.com/longhorn/longhorn"
            ]
        );
        assert_eq!(
            of(LONGHORN, HUGO, Context::Comment),
            ["# Add this line to allow raw HTML", "#twitter = \"longhorn\""]
        );
    }

    #[test]
    fn literal_strings_are_located_and_escapes_are_left_alone() {
        let text = "a = 'Longhorn docs'\nb = \"Longhorn \\\"x\\\"\"\nc = '''\nLonghorn raw\n'''\nd = \"\"\"\nLonghorn \\\n  folded\"\"\"\ne = \"\"\n";
        assert_eq!(
            of(text, &["*"], Context::Prose),
            ["Longhorn docs", "Longhorn raw\n"]
        );
        assert_eq!(
            of(text, &["*"], Context::TomlValue),
            ["Longhorn \\\"x\\\"", "\nLonghorn \\\n  folded"]
        );
    }

    #[test]
    fn inline_tables_and_dotted_keys_extend_the_path() {
        let text = "params.tagline = \"Easy to use\"\nmenu = { main = [{ name = \"Blog\", url = \"/blog\" }] }\n[languages.en]\ntitle = \"Longhorn\"\n";
        assert_eq!(
            of(
                text,
                &["params.tagline", "menu.**.name", "languages.*.title"],
                Context::Prose
            ),
            ["Easy to use", "Blog", "Longhorn"]
        );
    }

    #[test]
    fn a_file_that_does_not_parse_is_protected_whole() {
        let twice = "title = \"Longhorn\"\n[params]\ndescription = \"Longhorn storage\"\ntitle = \"Longhorn\"\ntitle = \"Longhorn again\"\n";
        let broken = "title = \"Longhorn\"\ntagline = \"Longhorn \n";
        // Longhorn's archetype `archetypes/blog.md`: a Hugo template.
        let template = "title = \"{{ replace .Name \"-\" \" \" | title }}\"\ndate = {{ dateFormat \"2006-01-02\" .Date }}\n";
        for text in [twice, broken, template] {
            let spans = scan(text, &KeyPaths::new(&["**".to_string()]));
            assert_eq!(spans.len(), 1, "{text}");
            assert_eq!(spans[0].context, Context::Markup);
        }
    }
}
