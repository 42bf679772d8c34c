//! Spans: the classification of every byte of a file into one [`Context`].

use std::fmt;
use std::ops::Range;

/// Declares [`Context`] from one table: each context's doc comment, variant, rule-file name
/// and, for the contexts of a key/value format, its [`ContextGroup`]. Adding a context (a new
/// format's keys and values) is one line here; [`Context::ALL`], [`Context::name`] and the
/// groups follow.
macro_rules! contexts {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal $(in $group:ident)? ;)*) => {
        /// Where a piece of text stands in its file, which decides whether a substitution may
        /// act on it.
        ///
        /// Only [`Context::Prose`] is rewritten by default; a substitution opts into the others
        /// by name (`contexts = ["prose", "inline_code"]`), or into a [`ContextGroup`] of them
        /// (`contexts = ["value"]`). The names are the `snake_case` forms below.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Context {
            $( $(#[$doc])* $variant, )*
        }

        impl Context {
            /// Every context, in declaration order.
            pub const ALL: &'static [Context] = &[$(Context::$variant),*];

            /// The name used in rule files and reports, e.g. `"link_target"`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Context::$variant => $name,)*
                }
            }

            /// The group of a key or value context of a structured format (`json_key` is a
            /// [`ContextGroup::Key`]); `None` for the others.
            pub fn group(self) -> Option<ContextGroup> {
                match self {
                    $(Context::$variant => contexts!(@group $($group)?),)*
                }
            }
        }
    };
    (@group) => { None };
    (@group $group:ident) => { Some(ContextGroup::$group) };
}

contexts! {
    /// Running text people read: paragraphs, headings, list items, table cells, link text,
    /// image alt text, admonition titles, prose front matter values, JSON prose values,
    /// JS string literals.
    Prose = "prose";
    /// The content of a Markdown code span (`` `harvester-system` ``), without the backticks.
    InlineCode = "inline_code";
    /// Fenced or indented code blocks (CommonMark spec sections 4.4 and 4.5).
    Code = "code";
    /// An absolute URL: an autolink, a bare URL in prose, a URL-valued string.
    Url = "url";
    /// A link or image destination (`](../install/harvester-configuration.md#anchor)`),
    /// a reference link definition's destination, a path-like JS string.
    LinkTarget = "link_target";
    /// Raw HTML or JSX markup: tag names, attribute names, comments.
    Html = "html";
    /// The value of an HTML or JSX attribute (`label="..."`, `href="..."`).
    HtmlAttribute = "html_attribute";
    /// A YAML front matter key (`sidebar_label:`).
    FrontMatterKey = "front_matter_key" in Key;
    /// A YAML front matter value that is not prose (slugs, ids, numbers).
    FrontMatterValue = "front_matter_value" in Value;
    /// An explicit heading id `{#harvester-node-driver}` (Docusaurus explicit heading ids).
    HeadingId = "heading_id";
    /// MDX ESM lines: `import` and `export` statements.
    Mdx = "mdx";
    /// A JSON object key.
    JsonKey = "json_key" in Key;
    /// A JSON string value under a key that is not a prose key.
    JsonValue = "json_value" in Value;
    /// A YAML mapping key (`site_name:`), but a nav title under a prose key path.
    YamlKey = "yaml_key" in Key;
    /// A YAML scalar value that is not prose (not under a prose key path, or a path, URL or
    /// identifier).
    YamlValue = "yaml_value" in Value;
    /// A TOML key, in a pair or a table header (`[params.social]`), without its quotes.
    TomlKey = "toml_key" in Key;
    /// A TOML value that is not prose: a number, boolean, date, or a string not under a prose
    /// key path (or a path, URL or identifier, or a basic string with escapes).
    TomlValue = "toml_value" in Value;
    /// JavaScript that is not a string literal: identifiers, keywords, punctuation.
    JsCode = "js_code";
    /// A comment in JavaScript, YAML or TOML.
    Comment = "comment";
    /// Markup syntax that is none of the above: emphasis markers, list bullets, table pipes,
    /// admonition fences (`:::note`), blank lines.
    Markup = "markup";
    /// A Hugo shortcode call (`{{< ref "install.md" >}}`, `{{< figure src="…" >}}`) but the
    /// values of its prose parameters.
    Shortcode = "shortcode";
    /// A template expression in a page or a template: Jinja's `{{ … }}` and `{% … %}` (MkDocs
    /// macros), Go templates' actions `{{ … }}` (Hugo layouts).
    Template = "template";
    /// An AsciiDoc attribute reference (`{project_name}`): asciidoctor puts the attribute's
    /// value there.
    AttributeRef = "attribute_ref";
    /// The name of an AsciiDoc attribute entry (`:project_name:`).
    AttributeName = "attribute_name" in Key;
    /// An AsciiDoc attribute entry's value that is not prose: a path, URL or identifier
    /// (`:project_versionMvn: 999.0.0-SNAPSHOT`).
    AttributeValue = "attribute_value" in Value;
    /// An AsciiDoc preprocessor directive line: `ifdef::`, `ifndef::`, `ifeval::`, `endif::`,
    /// `include::` (an include's target is a `link_target`).
    Directive = "directive";
}

/// The generic contexts of structured data, whatever the format: a rule file names a group
/// where it means every format's keys or values (`contexts = ["value"]` is `front_matter_value`,
/// `json_value` and `yaml_value`, and the keys and values of each format added later); the
/// format-specific names stay, for a rule that means one format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContextGroup {
    /// `key`: a key of a mapping (a front matter key, a JSON object key, a YAML key).
    Key,
    /// `value`: a value that is not prose (under a key that is not a prose key).
    Value,
}

impl ContextGroup {
    /// Every group.
    pub const ALL: [ContextGroup; 2] = [ContextGroup::Key, ContextGroup::Value];

    /// The name rule files write (`key`, `value`).
    pub fn name(self) -> &'static str {
        match self {
            ContextGroup::Key => "key",
            ContextGroup::Value => "value",
        }
    }

    /// The contexts of the group, in declaration order.
    pub fn contexts(self) -> ContextSet {
        Context::ALL
            .iter()
            .copied()
            .filter(|c| c.group() == Some(self))
            .collect()
    }
}

impl Context {
    /// Parses a rule-file context name; `None` for an unknown name.
    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.iter().copied().find(|c| c.name() == name)
    }
}

impl ContextSet {
    /// The contexts a rule file's `contexts` entry names: one context by its name, or every
    /// context of a [`ContextGroup`] by the group's name; `None` for an unknown name.
    pub fn from_name(name: &str) -> Option<ContextSet> {
        match ContextGroup::ALL.iter().find(|g| g.name() == name) {
            Some(group) => Some(group.contexts()),
            None => Context::from_name(name).map(|c| std::iter::once(c).collect()),
        }
    }

    /// Every name [`ContextSet::from_name`] takes: the contexts, then the groups.
    pub fn names() -> Vec<&'static str> {
        let contexts = Context::ALL.iter().map(|c| c.name());
        contexts
            .chain(ContextGroup::ALL.iter().map(|g| g.name()))
            .collect()
    }

    /// Adds every context of `other` to the set.
    pub fn extend(&mut self, other: ContextSet) {
        self.0 |= other.0;
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of [`Context`]s, as a bit set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ContextSet(u32);

impl ContextSet {
    /// The set holding only [`Context::Prose`]: the default for a substitution.
    pub const PROSE: ContextSet = ContextSet(1 << Context::Prose as u8);

    /// Adds `context` to the set.
    pub fn insert(&mut self, context: Context) {
        self.0 |= 1 << context as u8;
    }

    /// Whether `context` is in the set.
    pub fn contains(self, context: Context) -> bool {
        self.0 & (1 << context as u8) != 0
    }

    /// The contexts in the set, in declaration order.
    pub fn iter(self) -> impl Iterator<Item = Context> {
        Context::ALL.iter().copied().filter(move |c| self.contains(*c))
    }
}

impl FromIterator<Context> for ContextSet {
    fn from_iter<I: IntoIterator<Item = Context>>(iter: I) -> Self {
        let mut set = ContextSet::default();
        for c in iter {
            set.insert(c);
        }
        set
    }
}

/// A byte range of a file's text and its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Byte offsets into the file's text; always on `char` boundaries.
    pub range: Range<usize>,
    /// What the bytes are.
    pub context: Context,
}

/// Builds a tiling of `0..len` from classified regions.
///
/// Regions are added in two layers: `region` for the leaves a parser reports (text events and
/// the like, which do not overlap one another) and `protect` for overrides that win over any
/// region they overlap (an admonition fence inside a paragraph, a bare URL inside prose). Bytes
/// no region covers become `Markup`. [`SpanBuilder::finish`] merges neighbours of one context.
#[derive(Debug, Default)]
pub struct SpanBuilder {
    len: usize,
    regions: Vec<Span>,
    overrides: Vec<Span>,
}

impl SpanBuilder {
    /// A builder for a text of `len` bytes.
    pub fn new(len: usize) -> Self {
        SpanBuilder {
            len,
            regions: Vec::new(),
            overrides: Vec::new(),
        }
    }

    /// Classifies `range` as `context` (empty ranges are ignored).
    pub fn region(&mut self, range: Range<usize>, context: Context) {
        if range.start < range.end {
            self.regions.push(Span { range, context });
        }
    }

    /// Classifies `range` as `context`, overriding regions added with [`SpanBuilder::region`].
    pub fn protect(&mut self, range: Range<usize>, context: Context) {
        let range = range.start..range.end.min(self.len);
        if range.start < range.end {
            self.overrides.push(Span { range, context });
        }
    }

    /// The spans, sorted, tiling `0..len` exactly, neighbours of one context merged.
    pub fn finish(mut self) -> Vec<Span> {
        let base = tile(&mut self.regions, self.len);
        let spans = if self.overrides.is_empty() {
            base
        } else {
            overlay(base, &mut self.overrides)
        };
        debug_assert!(is_tiling(&spans, self.len), "spans must tile the text");
        spans
    }
}

/// Sorts `regions` and fills the gaps with `Markup`; where two regions overlap, the earlier
/// start wins the overlapping bytes.
fn tile(regions: &mut [Span], len: usize) -> Vec<Span> {
    regions.sort_by_key(|s| (s.range.start, s.range.end));
    let mut out: Vec<Span> = Vec::with_capacity(regions.len() * 2 + 1);
    let mut pos = 0;
    for r in regions.iter() {
        let start = r.range.start.max(pos);
        let end = r.range.end.min(len);
        if start >= end {
            continue;
        }
        if start > pos {
            push_merged(&mut out, pos..start, Context::Markup);
        }
        push_merged(&mut out, start..end, r.context);
        pos = end;
    }
    if pos < len {
        push_merged(&mut out, pos..len, Context::Markup);
    }
    out
}

/// Lays `overrides` over the tiling `base`.
fn overlay(base: Vec<Span>, overrides: &mut [Span]) -> Vec<Span> {
    overrides.sort_by_key(|s| (s.range.start, s.range.end));
    let mut out = Vec::with_capacity(base.len() + overrides.len() * 2);
    let mut ov = overrides.iter().peekable();
    // `covered` is the end of the override region laid so far.
    let mut covered = 0;
    for span in base {
        let mut pos = span.range.start.max(covered);
        while pos < span.range.end {
            // Skip overrides that end before `pos`.
            while ov.peek().is_some_and(|o| o.range.end <= pos) {
                ov.next();
            }
            match ov.peek() {
                Some(o) if o.range.start < span.range.end => {
                    if o.range.start > pos {
                        push_merged(&mut out, pos..o.range.start, span.context);
                    }
                    let start = o.range.start.max(pos);
                    push_merged(&mut out, start..o.range.end, o.context);
                    covered = o.range.end;
                    pos = o.range.end;
                    ov.next();
                }
                _ => {
                    push_merged(&mut out, pos..span.range.end, span.context);
                    pos = span.range.end;
                }
            }
        }
    }
    out
}

fn push_merged(out: &mut Vec<Span>, range: Range<usize>, context: Context) {
    if let Some(last) = out.last_mut() {
        if last.context == context && last.range.end == range.start {
            last.range.end = range.end;
            return;
        }
    }
    out.push(Span { range, context });
}

/// Whether `spans` tile `0..len` exactly: sorted, contiguous, non-empty.
pub fn is_tiling(spans: &[Span], len: usize) -> bool {
    let mut pos = 0;
    for s in spans {
        if s.range.start != pos || s.range.end <= s.range.start {
            return false;
        }
        pos = s.range.end;
    }
    pos == len
}

/// The index of the span holding byte `offset` (`spans` must tile the text).
pub fn span_at(spans: &[Span], offset: usize) -> Option<usize> {
    let i = spans.partition_point(|s| s.range.end <= offset);
    (i < spans.len() && spans[i].range.start <= offset).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_become_markup_and_neighbours_merge() {
        let mut b = SpanBuilder::new(10);
        b.region(2..4, Context::Prose);
        b.region(4..6, Context::Prose);
        b.region(8..9, Context::Code);
        let spans = b.finish();
        assert_eq!(
            spans,
            vec![
                Span {
                    range: 0..2,
                    context: Context::Markup
                },
                Span {
                    range: 2..6,
                    context: Context::Prose
                },
                Span {
                    range: 6..8,
                    context: Context::Markup
                },
                Span {
                    range: 8..9,
                    context: Context::Code
                },
                Span {
                    range: 9..10,
                    context: Context::Markup
                },
            ]
        );
    }

    #[test]
    fn overrides_split_the_spans_they_cross() {
        let mut b = SpanBuilder::new(10);
        b.region(0..10, Context::Prose);
        b.protect(3..5, Context::Url);
        b.protect(7..12, Context::Markup);
        let spans = b.finish();
        assert!(is_tiling(&spans, 10));
        let kinds: Vec<_> = spans.iter().map(|s| (s.range.clone(), s.context)).collect();
        assert_eq!(
            kinds,
            vec![
                (0..3, Context::Prose),
                (3..5, Context::Url),
                (5..7, Context::Prose),
                (7..10, Context::Markup)
            ]
        );
    }

    #[test]
    fn span_at_finds_the_holder() {
        let mut b = SpanBuilder::new(6);
        b.region(2..4, Context::Prose);
        let spans = b.finish();
        assert_eq!(span_at(&spans, 0), Some(0));
        assert_eq!(span_at(&spans, 3), Some(1));
        assert_eq!(span_at(&spans, 5), Some(2));
        assert_eq!(span_at(&spans, 6), None);
    }

    #[test]
    fn context_names_round_trip() {
        for &c in Context::ALL {
            assert_eq!(Context::from_name(c.name()), Some(c));
            assert_eq!(
                ContextSet::from_name(c.name()),
                Some(std::iter::once(c).collect())
            );
        }
    }

    #[test]
    fn groups_name_every_format_s_keys_and_values() {
        let names = |set: ContextSet| set.iter().map(Context::name).collect::<Vec<_>>();
        assert_eq!(
            names(ContextSet::from_name("key").unwrap()),
            [
                "front_matter_key",
                "json_key",
                "yaml_key",
                "toml_key",
                "attribute_name"
            ]
        );
        assert_eq!(
            names(ContextSet::from_name("value").unwrap()),
            [
                "front_matter_value",
                "json_value",
                "yaml_value",
                "toml_value",
                "attribute_value"
            ]
        );
        assert_eq!(ContextSet::from_name("keys"), None);
        assert_eq!(ContextSet::names().len(), Context::ALL.len() + 2);
    }
}
