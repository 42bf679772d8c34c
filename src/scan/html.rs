//! Raw HTML and JSX inside Markdown: tags and attributes are protected, the text between
//! tags is prose (except inside `<code>`, `<pre>`, `<script>` and `<style>`).
//!
//! pulldown-cmark hands HTML over in pieces (one event per line of an HTML block, one per
//! inline tag), so the scanner keeps its state between calls.
//!
//! A whole HTML file ([`scan_file`]) is one piece: a site's templates (Hugo's `layouts/`, a
//! MkDocs theme's overrides), whose template actions are protected.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{prose, prose_over, Context, NamedParams, Span, SpanBuilder};

/// Scans an HTML file that may be a template: Go template actions (`{{ .Title }}`,
/// `{{- partial "footer.html" . -}}`, `{{/* a comment */}}`, Hugo's `layouts/`) and Jinja's
/// expressions, statements and comments (`{{ config.site_name }}`, `{% block %}`, `{# #}`,
/// MkDocs themes) are [`Context::Template`]; tags and attribute values are protected as in
/// Markdown's HTML, and the text between tags is prose (code in `<pre>`, `<code>`,
/// `<script>`, `<style>`).
///
/// The actions are read first and blanked for the HTML reading, so a quote inside one
/// (`<a href="{{ "docs" | relURL }}">`) or a `<` (`{{ if lt 1 2 }}`) does not unbalance a
/// tag.
pub(super) fn scan_file(text: &str) -> Vec<Span> {
    static ACTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?s)\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}").expect("template action pattern is valid")
    });
    let actions: Vec<Range<usize>> = ACTION.find_iter(text).map(|m| m.range()).collect();
    let mut b = SpanBuilder::new(text.len());
    if actions.is_empty() {
        HtmlScanner::default().scan(&mut b, text, 0..text.len());
    } else {
        // Each action's bytes blanked (its ends are ASCII, so the text stays UTF-8 and every
        // other offset is the same); line breaks kept.
        let mut blanked = text.as_bytes().to_vec();
        for a in &actions {
            for c in &mut blanked[a.clone()] {
                if *c != b'\n' {
                    *c = b' ';
                }
            }
        }
        let blanked = String::from_utf8(blanked).expect("blanking whole actions keeps UTF-8");
        HtmlScanner::default().scan(&mut b, &blanked, 0..text.len());
        // The actions over the HTML reading, an attribute value's included.
        let mut over = SpanBuilder::new(text.len());
        for span in b.finish() {
            over.region(span.range, span.context);
        }
        for a in actions {
            over.protect(a, Context::Template);
        }
        return over.finish();
    }
    b.finish()
}

/// The JSX/HTML props whose string values are prose, as `Component.prop` globs (see
/// [`NamedParams`]): `Card.description`, `*.title`, `img.alt` (the component is what stands
/// before the last `.`: `Tabs.Item.label` is the `label` of `Tabs.Item`). Names are matched
/// as written (JSX is case-sensitive; HTML tags are lower case by habit).
pub type JsxProps = NamedParams;

/// How a prop pattern is written, for the rule file's errors.
pub const JSX_FORM: &str = "Component.prop";

/// The default of `jsx_prose_props`: the props whose string values people read, on any
/// component or element: a title, a description, an image's alternative text, a label (a
/// tab's, a button's), an accessible name, a field's placeholder. Identifiers and places
/// (`href`, `src`, `id`, `className`, `to`, `value`, `type`) are not.
pub const DEFAULT_JSX_PROSE: &[&str] = &[
    "*.title",
    "*.description",
    "*.alt",
    "*.label",
    "*.aria-label",
    "*.placeholder",
];

/// Elements whose content is code, not prose.
const RAW_ELEMENTS: [&str; 4] = ["code", "pre", "script", "style"];

/// HTML/JSX classifier state carried from one HTML event to the next within a file.
#[derive(Debug, Default)]
pub(super) struct HtmlScanner<'p> {
    /// The props whose string values are prose (none: every value is protected).
    props: Option<&'p JsxProps>,
    /// Inside a raw element: the element's name; text is code until its closing tag.
    raw: Option<&'static str>,
    /// Inside an unterminated comment.
    in_comment: bool,
    /// Inside a tag that spans several events (a JSX tag over several lines).
    in_tag: Option<TagState>,
}

#[derive(Debug, Clone, Copy)]
struct TagState {
    quote: Option<u8>,
    braces: usize,
    /// The tag's name, as a range of the text.
    name: (usize, usize),
}

impl<'p> HtmlScanner<'p> {
    /// A scanner that reads the string values of `props` as prose.
    pub(super) fn with_props(props: &'p JsxProps) -> HtmlScanner<'p> {
        HtmlScanner {
            props: Some(props),
            ..HtmlScanner::default()
        }
    }

    /// Classifies the HTML piece `range` of `text`.
    pub(super) fn scan(&mut self, b: &mut SpanBuilder, text: &str, range: Range<usize>) {
        let bytes = text.as_bytes();
        let mut pos = range.start;
        let end = range.end;
        while pos < end {
            if self.in_comment {
                let stop = text[pos..end].find("-->").map_or(end, |i| pos + i + 3);
                self.in_comment = stop == end && !text[pos..end].ends_with("-->");
                b.region(pos..stop, Context::Comment);
                pos = stop;
            } else if let Some(state) = self.in_tag {
                pos = self.tag_body(b, text, pos, end, state);
            } else if text[pos..end].starts_with("<!--") {
                self.in_comment = true;
            } else if bytes[pos] == b'<' && is_tag_start(bytes, pos + 1) {
                let name_end = (pos + 1..end)
                    .find(|&i| {
                        !(bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'/' | b'.' | b'-' | b'_'))
                    })
                    .unwrap_or(end);
                let name = text[pos + 1..name_end]
                    .trim_start_matches('/')
                    .to_ascii_lowercase();
                let closing = bytes[pos + 1] == b'/';
                if let Some(raw) = RAW_ELEMENTS.iter().find(|r| **r == name) {
                    self.raw = if closing { None } else { Some(raw) };
                }
                b.region(pos..name_end, Context::Html);
                pos = self.tag_body(
                    b,
                    text,
                    name_end,
                    end,
                    TagState {
                        quote: None,
                        braces: 0,
                        name: (pos + 1, name_end),
                    },
                );
            } else {
                // Text up to the next tag or comment.
                let stop = (pos + 1..end)
                    .find(|&i| {
                        bytes[i] == b'<' && (is_tag_start(bytes, i + 1) || text[i..].starts_with("<!--"))
                    })
                    .unwrap_or(end);
                match self.raw {
                    Some(_) => b.region(pos..stop, Context::Code),
                    None => prose(b, text, pos..stop),
                }
                pos = stop;
            }
        }
    }

    /// Classifies the string value `value` (inside its quotes) of an attribute of the tag
    /// named `tag`: prose when the scanner's props hold the attribute (its name is the word
    /// before the `=` before the quote, or before the `={` of an expression prop that is one
    /// string literal), else [`Context::HtmlAttribute`].
    fn value(&self, b: &mut SpanBuilder, text: &str, tag: (usize, usize), value: Range<usize>) {
        let name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.');
        let prop = self.props.and_then(|props| {
            // `title="…"`, or the string literal of an expression prop: `title={"…"}`.
            let before = text[..value.start - 1].trim_end();
            let before = before.strip_suffix('{').map_or(before, str::trim_end);
            let before = before.strip_suffix('=')?.trim_end();
            let attr = &before[before.trim_end_matches(name_char).len()..];
            let tag = text[tag.0..tag.1].trim_start_matches('/');
            (!attr.is_empty() && props.contains(tag, attr)).then_some(())
        });
        match prop {
            Some(()) => prose_over(b, text, value),
            None => b.protect(value, Context::HtmlAttribute),
        }
    }

    /// Classifies a tag's attributes from `start` up to and including its `>`; returns the
    /// offset after it, or `end` with the state kept when the tag goes on in a later event.
    fn tag_body(
        &mut self,
        b: &mut SpanBuilder,
        text: &str,
        start: usize,
        end: usize,
        mut st: TagState,
    ) -> usize {
        let bytes = text.as_bytes();
        // A value begun in an earlier event (over several lines) is kept whole.
        let carried = st.quote.map(|_| start);
        let mut value_start = carried;
        // The end of an expression prop read as its string literal (`title={"…"}`).
        let mut skip_to = start;
        for (pos, &c) in bytes.iter().enumerate().take(end).skip(start) {
            if pos < skip_to {
                continue;
            }
            match st.quote {
                Some(q) => {
                    if c == q {
                        match value_start.take() {
                            Some(v) if Some(v) == carried => b.protect(v..pos, Context::HtmlAttribute),
                            Some(v) => self.value(b, text, st.name, v..pos),
                            None => {}
                        }
                        st.quote = None;
                    }
                }
                None => match c {
                    b'"' | b'\'' if st.braces == 0 => {
                        st.quote = Some(c);
                        value_start = Some(pos + 1);
                    }
                    b'{' if st.braces == 0 && self.props.is_some() => {
                        match literal_expression(text, pos, end) {
                            Some((value, close)) => {
                                self.value(b, text, st.name, value);
                                skip_to = close + 1;
                            }
                            None => st.braces += 1,
                        }
                    }
                    b'{' => st.braces += 1,
                    b'}' => st.braces = st.braces.saturating_sub(1),
                    b'>' if st.braces == 0 => {
                        b.region(start..pos + 1, Context::Html);
                        self.in_tag = None;
                        return pos + 1;
                    }
                    _ => {}
                },
            }
        }
        if let Some(v) = value_start {
            // A value over several events: kept whole, as a value cut in two cannot be read.
            b.protect(v..end, Context::HtmlAttribute);
        }
        b.region(start..end, Context::Html);
        self.in_tag = Some(st);
        end
    }
}

/// The expression prop value opening with `{` at `open` when it is one string literal
/// without escapes (`{"Fumadocs Core"}`, `{ 'x' }`), ending before `end`: the literal's
/// content and the offset of the closing `}`.
fn literal_expression(text: &str, open: usize, end: usize) -> Option<(Range<usize>, usize)> {
    let rest = &text[open + 1..end];
    let lead = rest.len() - rest.trim_start().len();
    let quote = rest[lead..].chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let content_start = open + 1 + lead + 1;
    let len = text[content_start..end].find([quote, '\\', '\n'])?;
    let close_quote = content_start + len;
    if text.as_bytes()[close_quote] != quote as u8 {
        return None;
    }
    let after = &text[close_quote + 1..end];
    let gap = after.len() - after.trim_start().len();
    after[gap..]
        .starts_with('}')
        .then_some((content_start..close_quote, close_quote + 1 + gap))
}

/// Whether the byte at `i` can follow `<` in a tag: a letter, `/` + letter, or `>` (a JSX
/// fragment).
pub(super) fn is_tag_start(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        Some(c) if c.is_ascii_alphabetic() || *c == b'>' => true,
        Some(b'/') => bytes
            .get(i + 1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'>'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(pieces: &[&str]) -> Vec<(String, Context)> {
        let text: String = pieces.concat();
        let mut b = SpanBuilder::new(text.len());
        let mut scanner = HtmlScanner::default();
        let mut pos = 0;
        for p in pieces {
            scanner.scan(&mut b, &text, pos..pos + p.len());
            pos += p.len();
        }
        b.finish()
            .into_iter()
            .map(|s| (text[s.range].to_string(), s.context))
            .collect()
    }

    #[test]
    fn jsx_tag_over_two_events() {
        let got = classify(&["<TabItem value=\"iso\"\n", "  label=\"Harvester ISO\">\n"]);
        assert!(
            got.contains(&("Harvester ISO".into(), Context::HtmlAttribute)),
            "{got:?}"
        );
        assert!(
            !got.iter()
                .any(|(s, c)| *c == Context::Prose && !s.trim().is_empty()),
            "{got:?}"
        );
    }

    #[test]
    fn code_elements_are_code() {
        let got = classify(&["<pre>harvester-system</pre> Harvester"]);
        assert!(
            got.contains(&("harvester-system".into(), Context::Code)),
            "{got:?}"
        );
        assert!(got.contains(&(" Harvester".into(), Context::Prose)), "{got:?}");
    }

    #[test]
    fn comments_are_comments() {
        let got = classify(&["<!-- Harvester -->"]);
        assert_eq!(got, vec![("<!-- Harvester -->".into(), Context::Comment)]);
    }

    /// Lines of Longhorn's `layouts/partials/footer.html` and `layouts/docs/single.html`
    /// shapes: the text is prose, the actions and tags are not, a quote inside an action
    /// leaves the tag whole.
    #[test]
    fn a_go_template_s_actions_are_protected_and_its_text_is_prose() {
        let text = "<title>{{ .Title }} | Longhorn</title>\n<a href=\"{{ \"docs\" | relURL }}\" title=\"Longhorn docs\">Longhorn {{- if .Draft }} draft{{ end -}}</a>\n{{/* Longhorn comment */}}\n<script>var longhorn = \"{{ .Site.Title }}\";</script>\n";
        let spans = scan_file(text);
        let of = |context: Context| -> Vec<&str> {
            spans
                .iter()
                .filter(|s| s.context == context)
                .map(|s| text[s.range.clone()].trim())
                .filter(|s| !s.is_empty())
                .collect()
        };
        assert_eq!(of(Context::Prose), ["| Longhorn", "Longhorn", "draft"]);
        assert_eq!(
            of(Context::Template),
            [
                "{{ .Title }}",
                "{{ \"docs\" | relURL }}",
                "{{- if .Draft }}",
                "{{ end -}}",
                "{{/* Longhorn comment */}}",
                "{{ .Site.Title }}"
            ]
        );
        assert!(of(Context::HtmlAttribute).contains(&"Longhorn docs"));
        assert!(of(Context::Code).iter().any(|c| c.contains("var longhorn")));
    }

    /// `title={"…"}` is a string as much as `title="…"`; any other expression is not one.
    #[test]
    fn an_expression_prop_that_is_one_string_literal() {
        fn lit(t: &str) -> Option<(&str, usize)> {
            literal_expression(t, 0, t.len()).map(|(r, close)| (&t[r], close))
        }
        assert_eq!(lit("{\"Fumadocs Core\"} x"), Some(("Fumadocs Core", 16)));
        assert_eq!(lit("{ 'Nextra' }"), Some(("Nextra", 11)));
        for not_one in ["{\"a\" + b}", "{\"a\\\"b\"}", "{x}", "{\"a\"", "{`a`}"] {
            assert_eq!(lit(not_one), None, "{not_one}");
        }
    }
}
