//! AsciiDoc as asciidoctor reads it: one file's lines in, spans out, with the section titles
//! recorded as [`Heading`]s whose ids asciidoctor derives from their text.
//!
//! No Rust AsciiDoc parser reports source byte offsets for every inline element and reads
//! both branches of a conditional, so this is a line-based block scanner with inline regular
//! expressions, after asciidoctor's documented syntax (docs.asciidoctor.org, "AsciiDoc
//! Language"; the patterns of asciidoctor's `rx.rb`):
//! - delimited blocks ("Blocks > Delimited blocks"): listing `----`, literal `....`,
//!   passthrough `++++` and fenced ` ``` ` blocks are [`Context::Code`], comment blocks `////`
//!   [`Context::Comment`]; example `====`, sidebar `****`, quote `____`, open `--` blocks and
//!   tables `|===` hold AsciiDoc read as usual (a table's cell separators and specs are markup);
//! - a block attribute line (`[source,java]`, `[NOTE]`, `[#id]`) is markup, its id
//!   [`Context::HeadingId`]; a `source`, `listing`, `literal`, `pass` or `stem` style makes the
//!   paragraph (or open block) under it code, `comment` a comment; block anchors `[[id]]`
//!   and `[[id,reftext]]` ("Attributes > ID") give the next section its id;
//! - a literal paragraph ("Verbatim > Literal blocks": its first line indented) is code;
//! - attribute entries `:name: value` ("Attributes > Attribute entries"): the name
//!   [`Context::AttributeName`], the value prose unless it is a path, URL or identifier
//!   ([`Context::AttributeValue`]); `:idprefix:`, `:idseparator:` and `:sectids!:` set how the
//!   sections after them get their ids ([`SectionIds`]);
//! - preprocessor directives (`ifdef::`, `ifndef::`, `ifeval::`, `endif::`, `include::`) are
//!   [`Context::Directive`] lines and the lines between a conditional's ends are read as any
//!   other (both branches: the build may take either); an `include::` target is a link target;
//! - comment lines `//`, block titles `.Title` (prose), admonition labels `NOTE:` (markup),
//!   list markers, section titles `== Title` (prose);
//! - inline ("Text > Monospace", "Macros", "Attributes > Reference attributes",
//!   "Pass through"): backtick monospace is [`Context::InlineCode`], `+…+`, `++…++`, `+++…+++`
//!   and `pass:[…]` code, `{name}` references [`Context::AttributeRef`], the targets of
//!   `link:`, `xref:`, `image:`, `mailto:`, bare URLs and `<<id,label>>` link targets or URLs,
//!   their labels (and an image's alt text) prose; inline anchors `[[id]]` and `anchor:id[]`
//!   are ids.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::key_path::is_identifier;
use super::{is_url, prose, Context, Heading, Reading, Scanned, SpanBuilder};

/// How asciidoctor makes a section's id from its title ("Sections > Autogenerate section
/// IDs"): the `idprefix` (default `_`) and the `idseparator` (default `_`, empty for none) in
/// effect at the section, as the attribute entries of its file set them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionIds {
    /// `idprefix`: put before every generated id.
    pub prefix: String,
    /// `idseparator`: what spaces, `.` and `-` become; only its first character counts.
    pub separator: String,
}

impl SectionIds {
    /// The settings that `attributes` (name, value) make of asciidoctor's defaults, in
    /// order: `idprefix`, `idseparator`, and `sectids` (unset by `sectids!` or `!sectids`,
    /// as `-a sectids!` does); `None` when `sectids` ends unset.
    pub fn from_attributes<'a>(
        attributes: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Option<SectionIds> {
        SectionIds::after(Some(SectionIds::default()), attributes)
    }

    /// The settings `start` makes after `attributes` (name, value), in order, as
    /// [`SectionIds::from_attributes`] reads them (`start` `None`: `sectids` unset): the
    /// settings where a document includes a file, carried on by the file's own entries.
    pub fn after<'a>(
        start: Option<SectionIds>,
        attributes: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Option<SectionIds> {
        let mut ids = start;
        for (name, value) in attributes {
            set(&mut ids, name.trim_matches('!'), value, name.contains('!'));
        }
        ids
    }
}

/// Applies the attribute `name` (set to `value`, or unset) to the section id settings `ids`.
fn set(ids: &mut Option<SectionIds>, name: &str, value: &str, unset: bool) {
    match (name, unset) {
        ("sectids", true) => *ids = None,
        ("sectids", false) => *ids = Some(ids.take().unwrap_or_default()),
        ("idprefix", _) => {
            if let Some(ids) = ids {
                ids.prefix = if unset { "_".into() } else { value.into() };
            }
        }
        ("idseparator", _) => {
            if let Some(ids) = ids {
                ids.separator = if unset { "_".into() } else { value.into() };
            }
        }
        _ => {}
    }
}

impl Default for SectionIds {
    /// Asciidoctor's defaults: prefix `_`, separator `_`.
    fn default() -> Self {
        SectionIds {
            prefix: "_".into(),
            separator: "_".into(),
        }
    }
}

/// What a delimited block holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    /// Lines of one context (listing, literal, passthrough, comment), up to the closing line.
    Verbatim(Context),
    /// AsciiDoc blocks (example, sidebar, quote, open).
    Compound,
    /// A table: AsciiDoc cells between separators.
    Table,
}

/// What the paragraph being read is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Paragraph {
    Prose,
    Verbatim(Context),
}

struct Scanner<'t> {
    text: &'t str,
    b: SpanBuilder,
    headings: Vec<Heading>,
    breaks: Vec<usize>,
    /// Open delimited blocks: their delimiter line and what they hold.
    open: Vec<(&'t str, Holds)>,
    paragraph: Option<Paragraph>,
    /// The style of the last block attribute line, for the next block.
    style: Option<Context>,
    /// An explicit id for the next section.
    id: Option<String>,
    /// The section id settings; `None` while `sectids` is unset.
    ids: Option<SectionIds>,
    /// An attribute entry's value continued on the next line (it ended with ` \`).
    continued_value: bool,
    /// A backtick monospace span opened on an earlier line of the paragraph and not closed
    /// yet: asciidoctor's inline passes read a paragraph whole, so `` `Change Set …-`` on
    /// one line and ``…::keycloak failed.` `` on the next is one span.
    open_code: bool,
}

/// Scans an AsciiDoc file.
pub(super) fn scan(text: &str, reading: &Reading) -> Scanned {
    let mut s = Scanner {
        text,
        b: SpanBuilder::new(text.len()),
        headings: Vec::new(),
        breaks: Vec::new(),
        open: Vec::new(),
        paragraph: None,
        style: None,
        id: None,
        ids: reading.section_ids.clone(),
        continued_value: false,
        open_code: false,
    };
    let mut at = 0;
    for raw in text.split_inclusive('\n') {
        let content = raw.trim_end_matches(['\n', '\r']);
        s.line(at, content, at + raw.len());
        at += raw.len();
    }
    let Scanner {
        b,
        headings,
        mut breaks,
        ..
    } = s;
    breaks.sort_unstable();
    breaks.dedup();
    Scanned {
        spans: b.finish(),
        headings,
        breaks,
    }
}

/// The attribute entries of an AsciiDoc file (`:project_name: Keycloak`), as (name, value)
/// in text order: what a tree's documents define for the `{project_name}` references of
/// every file that includes them ("Attributes > Attribute entries"). Unset entries
/// (`:name!:`) and entries with no value are left out; a value continued on the next line
/// (` \`) gives its first line only.
pub fn attribute_entries(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| ATTRIBUTE_ENTRY.captures(line.trim_end_matches('\r')))
        .filter(|m| m[1].is_empty() && m[3].is_empty())
        .filter_map(|m| {
            let value = m.get(4)?.as_str().trim_end_matches(" \\");
            (!value.is_empty()).then(|| (m[2].to_string(), value.to_string()))
        })
        .collect()
}

/// Every attribute entry of an AsciiDoc file as the settings it makes, in text order: (name,
/// value) for `:name: value` and `:name:` (an empty value), (`name!`, ``) for `:name!:` and
/// `:!name:`. What [`SectionIds::from_attributes`] reads from a build's or an editor's
/// attribute file (`.asciidoctorconfig`, whose `:idprefix:` sets an empty prefix). Lines that
/// only look like entries inside a listing block are taken too: such files hold none.
pub fn attribute_settings(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| ATTRIBUTE_ENTRY.captures(line.trim_end_matches('\r')))
        .map(|m| {
            let unset = !m[1].is_empty() || !m[3].is_empty();
            let value = m.get(4).map_or("", |v| v.as_str().trim_end_matches(" \\"));
            match unset {
                true => (format!("{}!", &m[2]), String::new()),
                false => (m[2].to_string(), value.to_string()),
            }
        })
        .collect()
}

static ATTRIBUTE_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^:(!?)([A-Za-z0-9_][A-Za-z0-9_-]*)(!?):(?:[ \t]+(.*?))?[ \t]*$").expect("valid")
});
static BLOCK_ANCHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\[\[([\p{Alphabetic}_:][\w:.-]*)(?:,\s*(.+?))?\]\][ \t]*$").expect("valid")
});
static BLOCK_ATTRIBUTES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[([^\[\]].*)?\][ \t]*$").expect("valid"));
static DIRECTIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\\?(?:ifdef|ifndef|ifeval|endif)::[^\[]*\[.*\][ \t]*$").expect("valid"));
static BLOCK_MACRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(include|image|video|audio|toc|[a-z][a-z0-9_-]*)::([^\s\[]*)\[(.*)\][ \t]*$")
        .expect("valid")
});
static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^[ \t]*(?:\*{1,5}|-|\.{1,5}|\d+\.|[a-zA-Z]\.|[ivxIVX]+\)|<\d+>|<\.>)[ \t]+(?:\[[ x*]\][ \t]+)?",
    )
    .expect("valid")
});
static DESCRIPTION_TERM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[ \t]*([^ \t].*?)(:{2,4}|;;)(?:[ \t]+|$)").expect("valid"));
static ADMONITION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:NOTE|TIP|IMPORTANT|WARNING|CAUTION):[ \t]+").expect("valid"));
static CELL_SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[ \t])((?:\d+\*)?(?:\d*(?:\.\d+)?\+)?(?:[<^>]?(?:\.[<^>])?)?[adehlmsv]?\|)")
        .expect("valid")
});

impl<'t> Scanner<'t> {
    /// One line, `line` without its line break, which ends at `next` (the next line's start).
    fn line(&mut self, start: usize, line: &'t str, next: usize) {
        let end = start + line.len();
        let whole = start..end;
        // Monospace runs on only inside the paragraph that opened it.
        if self.paragraph != Some(Paragraph::Prose) {
            self.open_code = false;
        }
        // Inside a verbatim block: everything up to its own delimiter line, line breaks too.
        if let Some(&(delim, Holds::Verbatim(context))) = self.open.last() {
            if closes(line, delim) {
                self.open.pop();
                self.b.region(whole, Context::Markup);
                self.breaks.push(end);
            } else {
                self.b.region(start..next, context);
            }
            return;
        }
        if self.continued_value {
            self.attribute_value(start, line);
            return;
        }
        if line.trim().is_empty() {
            self.paragraph = None;
            self.open_code = false;
            self.breaks.extend([start, end]);
            return;
        }
        // Preprocessor directives and comment lines, wherever they stand: they leave the
        // paragraph around them as it is.
        if line.starts_with("//") && !line.starts_with("///") {
            self.b.region(whole, Context::Comment);
            return;
        }
        if DIRECTIVE.is_match(line) {
            self.b.region(whole, Context::Directive);
            self.breaks.extend([start, end]);
            return;
        }
        if let Some(m) = BLOCK_MACRO.captures(line).filter(|m| &m[1] == "include") {
            let target = m.get(2).expect("group 2");
            self.b.region(start..start + target.start(), Context::Directive);
            self.b
                .region(start + target.start()..start + target.end(), Context::LinkTarget);
            self.b.region(start + target.end()..end, Context::Directive);
            self.breaks.extend([start, end]);
            self.paragraph = None;
            return;
        }
        if let Some(holds) = delimiter(line) {
            self.delimiter(start, line, holds);
            return;
        }
        // A verbatim paragraph (literal, or styled as code) runs to its blank line.
        if let Some(Paragraph::Verbatim(context)) = self.paragraph {
            self.b.region(start..next, context);
            return;
        }
        if self.paragraph == Some(Paragraph::Prose) {
            // A paragraph ends at a block attribute line (asciidoctor's `StartOfBlockProc`);
            // a list item or its continuation `+` ends a list item's text.
            if BLOCK_ATTRIBUTES.is_match(line) || BLOCK_ANCHOR.is_match(line) {
                self.paragraph = None;
            } else {
                if !self.list_line(start, line) {
                    self.text_line(start, line);
                }
                return;
            }
        }
        self.block_start(start, line, next);
    }

    /// A line that opens or closes a delimited block.
    fn delimiter(&mut self, start: usize, line: &'t str, holds: Holds) {
        let end = start + line.len();
        self.b.region(start..end, Context::Markup);
        self.breaks.extend([start, end]);
        self.paragraph = None;
        if let Some(i) = self.open.iter().rposition(|&(delim, _)| closes(line, delim)) {
            self.open.truncate(i);
            return;
        }
        self.id = None;
        let style = self.style.take();
        let holds = match (holds, style) {
            // An open block styled as code, a passthrough or a comment holds that.
            (Holds::Compound, Some(context)) if line.trim_end() == "--" => Holds::Verbatim(context),
            (holds, _) => holds,
        };
        self.open.push((line.trim_end(), holds));
    }

    /// A line where a block may start: no paragraph is open.
    fn block_start(&mut self, start: usize, line: &'t str, next: usize) {
        let end = start + line.len();
        self.breaks.push(start);
        if let Some(m) = ATTRIBUTE_ENTRY.captures(line) {
            self.attribute_entry(start, line, &m);
            return;
        }
        if let Some(m) = BLOCK_ANCHOR.captures(line) {
            let id = m.get(1).expect("group 1");
            self.b.region(start..start + id.start(), Context::Markup);
            self.b
                .region(start + id.start()..start + id.end(), Context::HeadingId);
            if let Some(reftext) = m.get(2) {
                self.inline(start + reftext.start()..start + reftext.end(), None);
            }
            self.id = Some(id.as_str().to_string());
            return;
        }
        if line.starts_with('[') && BLOCK_ATTRIBUTES.is_match(line) {
            self.block_attributes(start, line);
            return;
        }
        if let Some(level) = section_level(line) {
            self.section(start, line, level);
            return;
        }
        if line.starts_with('.') && line[1..].starts_with(|c: char| !c.is_whitespace() && c != '.') {
            // A block title.
            self.b.region(start..start + 1, Context::Markup);
            self.inline(start + 1..end, None);
            return;
        }
        if let Some(m) = BLOCK_MACRO.captures(line) {
            self.block_macro(start, line, &m);
            return;
        }
        if matches!(line.trim_end(), "'''" | "---" | "***" | "<<<" | "+") {
            self.b.region(start..end, Context::Markup);
            return;
        }
        // Any other block takes the style and the id of the lines above it.
        let style = self.style.take();
        self.id = None;
        if self.list_line(start, line) {
            return;
        }
        if let Some(context) = style {
            self.paragraph = Some(Paragraph::Verbatim(context));
            self.b.region(start..next, context);
            return;
        }
        if line.starts_with([' ', '\t']) {
            // A literal paragraph.
            self.paragraph = Some(Paragraph::Verbatim(Context::Code));
            self.b.region(start..next, Context::Code);
            return;
        }
        self.paragraph = Some(Paragraph::Prose);
        if let Some(m) = ADMONITION.find(line) {
            self.b.region(start..start + m.end(), Context::Markup);
            self.text_line(start + m.end(), &line[m.end()..]);
            return;
        }
        if let Some(m) = DESCRIPTION_TERM.captures(line).filter(|m| !m[1].contains("://")) {
            let term = m.get(1).expect("group 1");
            let marker = m.get(2).expect("group 2");
            self.b.region(start..start + term.start(), Context::Markup);
            self.inline(start + term.start()..start + term.end(), None);
            self.b
                .region(start + marker.start()..start + m[0].len(), Context::Markup);
            self.breaks.push(start + marker.end());
            self.text_line(start + m[0].len(), &line[m[0].len()..]);
            return;
        }
        self.text_line(start, line);
    }

    /// A list item (its marker markup, its text prose) or a list continuation `+`; `false`
    /// when `line` is neither.
    fn list_line(&mut self, start: usize, line: &str) -> bool {
        if line.trim_end() == "+" {
            self.b.region(start..start + line.len(), Context::Markup);
            self.breaks.push(start);
            self.paragraph = None;
            return true;
        }
        let Some(m) = LIST_ITEM.find(line) else {
            return false;
        };
        self.b.region(start..start + m.end(), Context::Markup);
        self.breaks.extend([start, start + m.end()]);
        self.paragraph = Some(Paragraph::Prose);
        self.text_line(start + m.end(), &line[m.end()..]);
        true
    }

    /// Prose text, or a table row's cells.
    fn text_line(&mut self, start: usize, line: &str) {
        if !self.open.iter().any(|&(_, h)| h == Holds::Table) {
            let end = start + line.len();
            let mut from = start;
            if self.open_code {
                // The monospace an earlier line opened runs to this line's first backtick.
                let Some(close) = line.find('`') else {
                    self.b.region(start..end, Context::InlineCode);
                    return;
                };
                self.b.region(start..start + close, Context::InlineCode);
                self.b.region(start + close..start + close + 1, Context::Markup);
                from = start + close + 1;
                self.open_code = false;
            }
            match unclosed_backtick(&self.text[from..end]) {
                Some(open) => {
                    let open = from + open;
                    self.inline(from..open, None);
                    self.b.region(open..open + 1, Context::Markup);
                    self.b.region(open + 1..end, Context::InlineCode);
                    self.open_code = true;
                }
                None => self.inline(from..end, None),
            }
            return;
        }
        let mut at = 0;
        for m in CELL_SEPARATOR.captures_iter(line) {
            let sep = m.get(1).expect("group 1");
            self.inline(start + at..start + sep.start(), None);
            self.b
                .region(start + sep.start()..start + sep.end(), Context::Markup);
            self.breaks.extend([start + sep.start(), start + sep.end()]);
            at = sep.end();
        }
        self.inline(start + at..start + line.len(), None);
    }

    fn attribute_entry(&mut self, start: usize, line: &str, m: &regex::Captures) {
        let name = m.get(2).expect("group 2");
        let unset = !m[1].is_empty() || !m[3].is_empty();
        self.b.region(start..start + name.start(), Context::Markup);
        self.b
            .region(start + name.start()..start + name.end(), Context::AttributeName);
        let value = m.get(4).map_or("", |v| v.as_str());
        set(&mut self.ids, name.as_str(), value, unset);
        match m.get(4) {
            Some(v) => self.attribute_value(start + v.start(), &line[v.start()..]),
            None => self
                .b
                .region(start + name.end()..start + line.len(), Context::Markup),
        }
    }

    /// An attribute entry's value (or a continuation line of it): prose unless a path, URL
    /// or identifier; a trailing ` \` continues it on the next line.
    fn attribute_value(&mut self, start: usize, value: &str) {
        let (body, continued) = match value.trim_end().strip_suffix(" \\") {
            Some(body) => (body.strip_suffix(" +").unwrap_or(body), true),
            None => (value.trim_end(), false),
        };
        self.continued_value = continued;
        let lead = body.len() - body.trim_start().len();
        let range = start + lead..start + body.len();
        let word = body.trim();
        if is_identifier(word) || is_url(word) {
            self.b.region(range, Context::AttributeValue);
        } else if !word.is_empty() {
            self.inline(range, None);
        }
        self.breaks.extend([start, start + value.len()]);
    }

    /// A block attribute line: markup, its id (`#id`, `id=…`) an id; its style kept for the
    /// next block.
    fn block_attributes(&mut self, start: usize, line: &str) {
        let end = start + line.len();
        self.b.region(start..end, Context::Markup);
        let inner = &line[1..line.trim_end().len() - 1];
        let first = inner.split(',').next().unwrap_or("").trim();
        let style = first.split(['#', '.', '%']).next().unwrap_or("");
        self.style = match style {
            "source" | "listing" | "literal" | "pass" | "stem" | "latexmath" | "asciimath" => {
                Some(Context::Code)
            }
            "comment" => Some(Context::Comment),
            _ if first.is_empty() && inner.starts_with(',') => Some(Context::Code),
            _ => self.style.take(),
        };
        static ID: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r#"(?:^[^,=#]*#([^,.%#"\s]+)|(?:^|,)\s*id\s*=\s*"?([^",\s]+))"#).expect("valid")
        });
        if let Some(c) = ID.captures(inner) {
            let id = c.get(1).or(c.get(2)).expect("one group matched");
            self.b
                .protect(start + 1 + id.start()..start + 1 + id.end(), Context::HeadingId);
            self.id = Some(id.as_str().to_string());
        }
    }

    /// A section title `== Title`: markup, its text prose, recorded as a heading.
    fn section(&mut self, start: usize, line: &str, level: usize) {
        let end = start + line.len();
        let body = line[level..].trim();
        let lead = line[level..].len() - line[level..].trim_start().len();
        let mut title = start + level + lead..start + level + lead + body.len();
        // A closing run of the same `=`s (symmetric titles).
        let closing = format!(" {}", &line[..level]);
        if let Some(t) = body.strip_suffix(closing.as_str()) {
            title.end = title.start + t.trim_end().len();
        }
        self.b.region(start..title.start, Context::Markup);
        self.b.region(title.end..end, Context::Markup);
        self.breaks.extend([start, title.start, title.end, end]);
        let mut parts = Vec::new();
        self.inline(title.clone(), Some(&mut parts));
        self.style = None;
        let explicit_id = self.id.take();
        if self.open.is_empty() {
            if let Some(ids) = &self.ids {
                self.headings.push(Heading {
                    range: start..end,
                    insert_at: start,
                    explicit_id,
                    parts,
                    section_ids: Some(ids.clone()),
                });
            }
        }
    }

    /// A block macro `image::path[alt]`, `toc::[]`: the target a link target, an image's alt
    /// text prose, the rest markup.
    fn block_macro(&mut self, start: usize, line: &str, m: &regex::Captures) {
        let end = start + line.len();
        let target = m.get(2).expect("group 2");
        let attrs = m.get(3).expect("group 3");
        self.b.region(start..start + target.start(), Context::Markup);
        self.b
            .region(start + target.start()..start + target.end(), Context::LinkTarget);
        let alt = match &m[1] {
            "image" => first_positional(attrs.as_str()),
            _ => 0..0,
        };
        let alt = start + attrs.start() + alt.start..start + attrs.start() + alt.end;
        self.b.region(start + target.end()..alt.start, Context::Markup);
        self.inline(alt.clone(), None);
        self.b.region(alt.end..end, Context::Markup);
        self.style = None;
        self.id = None;
    }

    /// Inline text: monospace, passthroughs, attribute references, macros, cross references
    /// and inline anchors protected, the rest prose (bare URLs protected). With `parts`, the
    /// pieces of visible text (prose, labels, monospace) go there too: a section title's text
    /// as its id is made from.
    fn inline(&mut self, range: Range<usize>, mut parts: Option<&mut Vec<(Range<usize>, String)>>) {
        let text = self.text;
        let mut pieces = Vec::new();
        inline_pieces(text, range, &mut pieces);
        for (r, context) in pieces {
            if context == Context::Prose {
                prose(&mut self.b, text, r.clone());
            } else {
                self.b.region(r.clone(), context);
            }
            if let Some(parts) = parts.as_deref_mut() {
                if matches!(
                    context,
                    Context::Prose | Context::InlineCode | Context::AttributeRef
                ) {
                    parts.push((r.clone(), text[r].to_string()));
                }
            }
        }
    }
}

/// The offset of a backtick in `line` that opens monospace the line does not close: an odd
/// number of backticks, the last one at a word's start (after white space or punctuation,
/// before a character that is not white space).
fn unclosed_backtick(line: &str) -> Option<usize> {
    if line.matches('`').count() % 2 == 0 {
        return None;
    }
    let at = line.rfind('`')?;
    let before = line[..at].chars().next_back();
    let after = line[at + 1..].chars().next();
    (before.is_none_or(|c| !c.is_alphanumeric()) && after.is_some_and(|c| !c.is_whitespace())).then_some(at)
}

/// What a delimiter line opens (`----`, `====`, `|===`), if it is one.
fn delimiter(line: &str) -> Option<Holds> {
    let line = line.trim_end();
    if line == "--" {
        return Some(Holds::Compound);
    }
    if line.starts_with("```") {
        return Some(Holds::Verbatim(Context::Code));
    }
    let bytes = line.as_bytes();
    if bytes.len() >= 4 && matches!(&line[1..], "===") && matches!(bytes[0], b'|' | b',' | b':' | b'!') {
        return Some(Holds::Table);
    }
    if bytes.len() < 4 || !bytes.iter().all(|&b| b == bytes[0]) {
        return None;
    }
    match bytes[0] {
        b'-' | b'.' | b'+' => Some(Holds::Verbatim(Context::Code)),
        b'/' => Some(Holds::Verbatim(Context::Comment)),
        b'=' | b'*' | b'_' => Some(Holds::Compound),
        _ => None,
    }
}

/// Whether `line` closes the block opened by `delim` (the same line; a fence closes with
/// ` ``` ` whatever its language).
fn closes(line: &str, delim: &str) -> bool {
    let line = line.trim_end();
    line == delim || (delim.starts_with("```") && line == "```")
}

/// The level (`=` count) of a section title line `== Title` (Markdown's `##` too).
fn section_level(line: &str) -> Option<usize> {
    let marker = line.as_bytes().first().filter(|&&b| b == b'=' || b == b'#')?;
    let level = line.bytes().take_while(|b| b == marker).count();
    let rest = &line[level..];
    (level <= 6 && rest.starts_with([' ', '\t']) && !rest.trim().is_empty()).then_some(level)
}

/// The first positional attribute of an attribute list (`alt text, 200, 100`), unless it is a
/// named one (`width=200`); its range in `attrs`, without quotes.
fn first_positional(attrs: &str) -> Range<usize> {
    let first = attrs.split(',').next().unwrap_or("");
    if first.contains('=') {
        return 0..0;
    }
    let lead = first.len() - first.trim_start().len();
    let body = first.trim();
    match body.strip_prefix('"').and_then(|b| b.strip_suffix('"')) {
        Some(inner) => lead + 1..lead + 1 + inner.len(),
        None => lead..lead + body.len(),
    }
}

static INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
          (?P<code2>``[^`\s](?:[^`]|`[^`])*?``)
        | (?P<code1>`[^`\s](?:[^`]*?[^`\s])?`)
        | (?P<pass3>\+\+\+.+?\+\+\+)
        | (?P<pass2>\+\+[^+].*?\+\+)
        | (?P<pass1>\+[^+\s](?:[^+]*?[^+\s])?\+)
        | (?P<passm>\bpass:[a-z,]*\[[^\]]*\])
        | (?P<attr>\{[A-Za-z0-9_][A-Za-z0-9_-]*\})
        | (?P<xref><<[^<>\s,][^<>]*>>)
        | (?P<anchor>\[\[[\p{Alphabetic}_:][\w:.-]*(?:,[^\]]*)?\]\])
        | (?P<macro>\b(?:link|xref|mailto|image|footnote|footnoteref|kbd|btn|menu|anchor|icon|indexterm2?|stem|latexmath|asciimath|video|audio):(?:[^\s\[:][^\s\[]*)?\[)
        | (?P<url>\b(?:https?|ftp|irc|file)://[^\s\[\]<>"]+\[)
        "#,
    )
    .expect("inline pattern is valid")
});

/// The pieces tiling `range` of `text`, in order, each with its context.
fn inline_pieces(text: &str, range: Range<usize>, out: &mut Vec<(Range<usize>, Context)>) {
    let push = |out: &mut Vec<(Range<usize>, Context)>, r: Range<usize>, c: Context| {
        if r.start < r.end {
            out.push((r, c));
        }
    };
    let slice = &text[..range.end];
    let mut gap = range.start;
    let mut pos = range.start;
    while let Some(c) = INLINE.captures_at(slice, pos) {
        let m = c.get(0).expect("group 0");
        let (s, e) = (m.start(), m.end());
        let boundary_ok = |s: usize, e: usize| {
            let before = text[..s].chars().next_back();
            let after = text[e..].chars().next();
            before.is_none_or(|ch| !ch.is_alphanumeric()) && after.is_none_or(|ch| !ch.is_alphanumeric())
        };
        let mut pieces: Vec<(Range<usize>, Context)> = Vec::new();
        let mut end = e;
        if c.name("code2").is_some() {
            pieces = vec![
                (s..s + 2, Context::Markup),
                (s + 2..e - 2, Context::InlineCode),
                (e - 2..e, Context::Markup),
            ];
        } else if c.name("code1").is_some() {
            if !boundary_ok(s, e) {
                pos = s + 1;
                continue;
            }
            pieces = vec![
                (s..s + 1, Context::Markup),
                (s + 1..e - 1, Context::InlineCode),
                (e - 1..e, Context::Markup),
            ];
        } else if c.name("pass1").is_some() && !boundary_ok(s, e) {
            pos = s + 1;
            continue;
        } else if c
            .name("pass3")
            .or(c.name("pass2"))
            .or(c.name("pass1"))
            .or(c.name("passm"))
            .is_some()
        {
            pieces = vec![(s..e, Context::Code)];
        } else if c.name("attr").is_some() {
            pieces = vec![(s..e, Context::AttributeRef)];
        } else if c.name("xref").is_some() {
            let inner = s + 2..e - 2;
            pieces.push((s..s + 2, Context::Markup));
            match text[inner.clone()].find(',') {
                Some(comma) => {
                    let comma = inner.start + comma;
                    pieces.push((inner.start..comma, Context::LinkTarget));
                    pieces.push((comma..comma + 1, Context::Markup));
                    inline_pieces(text, comma + 1..inner.end, &mut pieces);
                }
                None => pieces.push((inner, Context::LinkTarget)),
            }
            pieces.push((e - 2..e, Context::Markup));
        } else if c.name("anchor").is_some() {
            let inner = &text[s + 2..e - 2];
            let id_end = s + 2 + inner.find(',').unwrap_or(inner.len());
            pieces = vec![
                (s..s + 2, Context::Markup),
                (s + 2..id_end, Context::HeadingId),
                (id_end..e, Context::Markup),
            ];
        } else {
            // A macro or a URL with its attribute list: `name:target[…]`.
            let Some(close) = closing_bracket(text, e, range.end) else {
                pos = s + 1;
                continue;
            };
            end = close + 1;
            let m_text = &text[s..e];
            let (name, target) = match c.name("url") {
                Some(_) => ("url", s..e - 1),
                None => {
                    let colon = m_text.find(':').expect("a macro has its colon");
                    (&m_text[..colon], s + colon + 1..e - 1)
                }
            };
            pieces.push((s..target.start, Context::Markup));
            let target_context = if is_url(&text[target.clone()]) {
                Context::Url
            } else {
                Context::LinkTarget
            };
            let attrs = e..close;
            match name {
                "url" | "link" | "xref" | "mailto" => {
                    pieces.push((target, target_context));
                    pieces.push((e - 1..e, Context::Markup));
                    let label = label_of(&text[attrs.clone()]);
                    pieces.push((attrs.start..attrs.start + label.start, Context::Markup));
                    inline_pieces(
                        text,
                        attrs.start + label.start..attrs.start + label.end,
                        &mut pieces,
                    );
                    pieces.push((attrs.start + label.end..attrs.end, Context::Markup));
                }
                "image" | "icon" | "video" | "audio" => {
                    pieces.push((target, Context::LinkTarget));
                    pieces.push((e - 1..e, Context::Markup));
                    let alt = if name == "image" {
                        first_positional(&text[attrs.clone()])
                    } else {
                        0..0
                    };
                    pieces.push((attrs.start..attrs.start + alt.start, Context::Markup));
                    inline_pieces(text, attrs.start + alt.start..attrs.start + alt.end, &mut pieces);
                    pieces.push((attrs.start + alt.end..attrs.end, Context::Markup));
                }
                "footnote" | "btn" | "menu" => {
                    pieces.push((target, Context::Markup));
                    pieces.push((e - 1..e, Context::Markup));
                    inline_pieces(text, attrs, &mut pieces);
                }
                "anchor" => {
                    pieces.push((target, Context::HeadingId));
                    pieces.push((e - 1..close, Context::Markup));
                }
                "kbd" => {
                    pieces.push((target, Context::Markup));
                    pieces.push((e - 1..e, Context::Markup));
                    pieces.push((attrs, Context::InlineCode));
                }
                "stem" | "latexmath" | "asciimath" => {
                    pieces.push((target, Context::Markup));
                    pieces.push((e - 1..e, Context::Markup));
                    pieces.push((attrs, Context::Code));
                }
                _ => pieces.push((target.start..close, Context::Markup)),
            }
            pieces.push((close..close + 1, Context::Markup));
        }
        push(out, gap..s, Context::Prose);
        for (r, context) in pieces {
            push(out, r, context);
        }
        gap = end;
        pos = end;
    }
    push(out, gap..range.end, Context::Prose);
}

/// The offset of the `]` closing an attribute list that starts at `from` (a `\]` does not
/// close it), before `end`.
fn closing_bracket(text: &str, from: usize, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    (from..end).find(|&i| bytes[i] == b']' && (i == from || bytes[i - 1] != b'\\'))
}

/// The link text of a link macro's attribute list (`Keycloak Downloads, window="_blank"`):
/// what comes before the first named attribute, without quotes.
fn label_of(attrs: &str) -> Range<usize> {
    static NAMED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#",\s*[A-Za-z][\w-]*=|^\s*[A-Za-z][\w-]*=""#).expect("valid"));
    let end = NAMED.find(attrs).map_or(attrs.len(), |m| m.start());
    let body = &attrs[..end];
    let lead = body.len() - body.trim_start().len();
    let trimmed = body.trim();
    match trimmed.strip_prefix('"').and_then(|b| b.strip_suffix('"')) {
        Some(inner) => lead + 1..lead + 1 + inner.len(),
        None => lead..lead + trimmed.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contexts(text: &str) -> Vec<(String, Context)> {
        scan(text, &Reading::default())
            .spans
            .into_iter()
            .map(|s| (text[s.range].to_string(), s.context))
            .collect()
    }

    fn of(text: &str, context: Context) -> Vec<String> {
        contexts(text)
            .into_iter()
            .filter(|(_, c)| *c == context)
            .map(|(t, _)| t)
            .collect()
    }

    // The lines below are the Keycloak guides' (keycloak-documentation `fe6cfdc8`).

    #[test]
    fn listing_and_source_blocks_are_code() {
        let text = "The following example shows how to initialize the JavaScript adapter:\n\n\
                    [source,javascript]\n----\nconst keycloak = new Keycloak('http://localhost:8080/myapp/keycloak.json');\n----\n\n\
                    Keycloak after.\n";
        assert_eq!(
            of(text, Context::Code),
            ["const keycloak = new Keycloak('http://localhost:8080/myapp/keycloak.json');\n"]
        );
        assert_eq!(
            of(text, Context::Prose),
            [
                "The following example shows how to initialize the JavaScript adapter:",
                "Keycloak after."
            ]
        );
    }

    #[test]
    fn a_source_paragraph_and_a_literal_paragraph_are_code() {
        let text = "[source,bash]\nbin/kc.sh start --hostname Keycloak\n\nText.\n\n  $ Keycloak indented\nmore\n\nKeycloak.\n\
                    [source,javascript]\n    const keycloak = new Keycloak({ scope: 'offline_access' });\n";
        assert_eq!(
            of(text, Context::Code),
            [
                "bin/kc.sh start --hostname Keycloak\n",
                "  $ Keycloak indented\nmore\n",
                "    const keycloak = new Keycloak({ scope: 'offline_access' });\n"
            ]
        );
        assert_eq!(of(text, Context::Prose), ["Text.", "Keycloak."]);
    }

    #[test]
    fn monospace_and_attribute_references_are_protected() {
        let text = "Alternatively, the library can be retrieved directly from the {project_name} server at `{kc_js_path}/keycloak.js` and is also distributed as a ZIP archive.\n";
        assert_eq!(of(text, Context::AttributeRef), ["{project_name}"]);
        assert_eq!(of(text, Context::InlineCode), ["{kc_js_path}/keycloak.js"]);
        assert_eq!(
            of(text, Context::Prose),
            [
                "Alternatively, the library can be retrieved directly from the ",
                " server at ",
                " and is also distributed as a ZIP archive."
            ]
        );
    }

    #[test]
    fn macro_targets_are_kept_and_labels_are_prose() {
        let text = "Download it from link:https://www.keycloak.org/downloads[Keycloak Downloads] or \
                    https://github.com/keycloak/keycloak[the Keycloak repository, window=\"_blank\"].\n\
                    See xref:topics/oidc/javascript-adapter.adoc#_javascript_adapter[the Keycloak adapter] and <<_javascript_adapter,Keycloak JS>>.\n\n\
                    image::images/keycloak-login.png[Keycloak login page]\n";
        assert_eq!(
            of(text, Context::Url),
            [
                "https://www.keycloak.org/downloads",
                "https://github.com/keycloak/keycloak"
            ]
        );
        assert_eq!(
            of(text, Context::LinkTarget),
            [
                "topics/oidc/javascript-adapter.adoc#_javascript_adapter",
                "_javascript_adapter",
                "images/keycloak-login.png"
            ]
        );
        let prose = of(text, Context::Prose).join("|");
        for label in [
            "Keycloak Downloads",
            "the Keycloak repository",
            "the Keycloak adapter",
            "Keycloak JS",
            "Keycloak login page",
        ] {
            assert!(prose.contains(label), "{label} in {prose}");
        }
        assert!(!prose.contains("window"), "{prose}");
    }

    #[test]
    fn anchors_and_ids_are_ids_and_give_the_section_its_id() {
        let text = "[[_javascript_adapter]]\n=== JavaScript adapter\n\n[id=\"keycloak-migration\"]\n=== Migrating Keycloak to RH-SSO\n\n=== Keycloak plain\n";
        let scanned = scan(text, &Reading::default());
        let ids: Vec<_> = scanned.headings.iter().map(|h| h.explicit_id.clone()).collect();
        assert_eq!(
            ids,
            [
                Some("_javascript_adapter".into()),
                Some("keycloak-migration".into()),
                None
            ]
        );
        assert_eq!(
            of(text, Context::HeadingId),
            ["_javascript_adapter", "keycloak-migration"]
        );
        let h = &scanned.headings[1];
        assert_eq!(
            &text[h.insert_at..h.range.end],
            "=== Migrating Keycloak to RH-SSO"
        );
        assert_eq!(h.parts.len(), 1);
        assert_eq!(h.parts[0].1, "Migrating Keycloak to RH-SSO");
    }

    #[test]
    fn attribute_entries_name_protected_value_prose_unless_identifier() {
        let text = ":project_name: Keycloak\n:project_versionMvn: 999.0.0-SNAPSHOT\n:quickstartRepo_link: https://github.com/keycloak/keycloak-quickstarts\n\
                    :adapterguide_link: {project_doc_base_url}/securing_apps/\n:project_openshift_product_name: Keycloak for OpenShift\n:api-management!:\n";
        assert_eq!(
            of(text, Context::AttributeName),
            [
                "project_name",
                "project_versionMvn",
                "quickstartRepo_link",
                "adapterguide_link",
                "project_openshift_product_name",
                "api-management"
            ]
        );
        assert_eq!(of(text, Context::Prose), ["Keycloak", "Keycloak for OpenShift"]);
        assert_eq!(
            of(text, Context::AttributeValue),
            [
                "999.0.0-SNAPSHOT",
                "https://github.com/keycloak/keycloak-quickstarts",
                "{project_doc_base_url}/securing_apps/"
            ]
        );
    }

    #[test]
    fn comments_and_conditionals() {
        let text = "// Keycloak comment\nifeval::[{project_community}==true]\ninclude::topics/oidc/java/tomcat-adapter.adoc[]\nKeycloak community.\nendif::[]\n\
                    ifdef::standalone[]\nKeycloak standalone.\nendif::[]\n////\nKeycloak hidden\n////\n";
        assert_eq!(
            of(text, Context::Comment),
            ["// Keycloak comment", "Keycloak hidden\n"]
        );
        assert_eq!(
            of(text, Context::LinkTarget),
            ["topics/oidc/java/tomcat-adapter.adoc"]
        );
        assert_eq!(
            of(text, Context::Prose),
            ["Keycloak community.", "Keycloak standalone."]
        );
        assert_eq!(
            of(text, Context::Directive),
            [
                "ifeval::[{project_community}==true]",
                "include::",
                "[]",
                "endif::[]",
                "ifdef::standalone[]",
                "endif::[]"
            ]
        );
    }

    #[test]
    fn titles_admonitions_lists_and_tables() {
        let text = ".Keycloak settings\n[NOTE]\n====\nKeycloak note.\n====\n\nWARNING: Keycloak warning.\n\n* Keycloak item\n+\nmore Keycloak\n\n\
                    [cols=\"2,3\"]\n|===\n|Keycloak cell |a `keycloak` b\n2+|Keycloak span\n|===\n";
        let prose = of(text, Context::Prose);
        assert_eq!(
            prose,
            [
                "Keycloak settings",
                "Keycloak note.",
                "Keycloak warning.",
                "Keycloak item",
                "more Keycloak",
                "Keycloak cell ",
                "a ",
                " b",
                "Keycloak span"
            ]
        );
        assert_eq!(of(text, Context::InlineCode), ["keycloak"]);
    }

    #[test]
    fn section_ids_follow_the_file_s_settings() {
        let text = ":idprefix: id_\n:idseparator: -\n== Keycloak One\n:sectids!:\n== Keycloak Two\n";
        let scanned = scan(text, &Reading::default());
        assert_eq!(scanned.headings.len(), 1);
        assert_eq!(
            scanned.headings[0].section_ids,
            Some(SectionIds {
                prefix: "id_".into(),
                separator: "-".into()
            })
        );
    }

    #[test]
    fn the_build_s_attributes_come_first() {
        let reading = Reading {
            section_ids: SectionIds::from_attributes([("idprefix", ""), ("idseparator", "-")]),
            ..Reading::default()
        };
        let scanned = scan("== Upgrading Keycloak\n", &reading);
        assert_eq!(
            scanned.headings[0].section_ids,
            Some(SectionIds {
                prefix: String::new(),
                separator: "-".into()
            })
        );
        assert_eq!(SectionIds::from_attributes([("sectids!", "")]), None);
    }

    #[test]
    fn passthroughs_are_code() {
        let text =
            "Use pass:[<b>Keycloak</b>] and +Keycloak+ here, but C++ stays.\n++++\n<p>Keycloak</p>\n++++\n";
        assert_eq!(
            of(text, Context::Code),
            ["pass:[<b>Keycloak</b>]", "+Keycloak+", "<p>Keycloak</p>\n"]
        );
    }

    /// Keycloak's `upgrading/topics/keycloak/changes.adoc`: a monospace span over two lines of
    /// one paragraph is code on both; a backtick that is no monospace's start opens nothing.
    #[test]
    fn monospace_runs_over_the_lines_of_its_paragraph() {
        let text = "The error in the upgrade contains the message `Change Set META-INF/jpa-changelog-9.0.1.xml::9.0.1-\nKEYCLOAK-12579-add-not-null-constraint::keycloak failed.` Keycloak then stops.\n\nA stray tick` here, Keycloak.\n";
        assert_eq!(
            of(text, Context::InlineCode),
            [
                "Change Set META-INF/jpa-changelog-9.0.1.xml::9.0.1-",
                "KEYCLOAK-12579-add-not-null-constraint::keycloak failed."
            ]
        );
        let prose = of(text, Context::Prose).concat();
        assert!(prose.contains("Keycloak then stops."), "{prose}");
        assert!(prose.contains("A stray tick` here, Keycloak."), "{prose}");
    }
}
