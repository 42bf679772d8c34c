//! Markdown and MDX (Docusaurus flavour) via pulldown-cmark source offsets.
//!
//! pulldown-cmark reports a byte range for every event (`into_offset_iter`), so prose is
//! located in the original text and nothing is ever re-rendered. On top of CommonMark + GFM
//! tables this module knows the Docusaurus habits met in the Harvester docs: YAML front
//! matter, `:::note Title` admonitions, explicit heading ids `{#id}`, JSX/HTML tags and MDX
//! `import`/`export` lines.

use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use memchr::memmem::Finder;
use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::html::HtmlScanner;
use super::{
    prose, shortcode, span_at, toml, yaml, Context, Dialect, Heading, Reading, Scanned, Span, SpanBuilder,
};

/// The pulldown-cmark extensions Docusaurus's Markdown has and the scan reads: GFM tables,
/// strikethrough and task lists, and `{#id}` heading attributes (Docusaurus heading ids).
pub const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Scans a Markdown/MDX file in the tree's dialect (`keys.dialect`).
pub(super) fn scan(text: &str, keys: &Reading) -> Scanned {
    scan_in(text, keys, keys.dialect)
}

/// Scans an MDX 3 file ([`Dialect::Mdx3`]), whatever the tree's dialect.
pub(super) fn scan_mdx(text: &str, keys: &Reading) -> Scanned {
    scan_in(text, keys, Dialect::Mdx3)
}

/// Scans a Markdown/MDX file read in `dialect`.
fn scan_in(text: &str, keys: &Reading, dialect: Dialect) -> Scanned {
    let mut b = SpanBuilder::new(text.len());
    let mut html = HtmlScanner::with_props(&keys.jsx);
    let mut headings = Vec::new();
    let mut heading: Option<Heading> = None;
    // Link and image nesting: (link type, start of the element, end of its last child).
    let mut links: Vec<(LinkType, usize, usize)> = Vec::new();
    let mut in_code_block = false;
    let mut breaks = Vec::new();
    // Code blocks and code spans, in order: Hugo's shortcode calls inside them stay code.
    let mut code_ranges = Vec::new();

    // Front matter only counts at the very start (Docusaurus); pulldown-cmark's own metadata
    // blocks would also take a `---` rule followed by text and another `---` mid-document.
    let body_start = match front_matter_block(text) {
        Some((inner, end)) => {
            b.region(0..inner.start, Context::Markup);
            yaml::scan_into(
                &mut b,
                &mut breaks,
                text,
                inner,
                &keys.front_matter,
                yaml::FRONT_MATTER,
            );
            breaks.push(end);
            end
        }
        None => match toml_front_matter_block(text).filter(|_| dialect == Dialect::Hugo) {
            // Hugo's TOML front matter: read as a TOML file, its key paths the front
            // matter's.
            Some((inner, end)) => {
                b.region(0..inner.start, Context::Markup);
                toml::scan_into(&mut b, &mut breaks, text, inner.clone(), &keys.front_matter);
                b.region(inner.end..end, Context::Markup);
                breaks.push(end);
                end
            }
            None => 0,
        },
    };

    for (event, range) in Parser::new_ext(&text[body_start..], OPTIONS).into_offset_iter() {
        let range = range.start + body_start..range.end + body_start;
        if let Some(link) = links.last_mut() {
            let own = matches!(
                event,
                Event::Start(Tag::Link { .. } | Tag::Image { .. }) | Event::End(TagEnd::Link | TagEnd::Image)
            );
            if !own {
                link.2 = link.2.max(range.end);
            }
        }
        // The heading's own start event carries the heading's range; its end event too;
        // its children end
        // where the inline content ends.
        if let Some(h) = heading.as_mut().filter(|h| h.range != range) {
            h.insert_at = h.insert_at.max(range.end);
        }
        if let Event::Start(tag) = &event {
            if is_block(tag) {
                breaks.extend([range.start, range.end]);
            }
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code_block = true;
                let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
                let strip = match (&kind, dialect) {
                    (CodeBlockKind::Fenced(_), _) => None,
                    (CodeBlockKind::Indented, Dialect::Mdx1) => remark8_list_strip(text, line_start),
                    (CodeBlockKind::Indented, Dialect::PythonMarkdown) => {
                        container_body_strip(text, line_start)
                    }
                    (CodeBlockKind::Indented, Dialect::Hugo | Dialect::CommonMark) => None,
                    // MDX has no indented code: the lines are text, their indentation none
                    // of it.
                    (CodeBlockKind::Indented, Dialect::Mdx3) => Some(usize::MAX),
                };
                match (kind, strip) {
                    // The dialect reads it as text (a list item's, an admonition's body):
                    // scan it as such.
                    (CodeBlockKind::Indented, Some(strip)) => scan_dedented(
                        &mut b,
                        &mut breaks,
                        text,
                        line_start..range.end,
                        strip,
                        keys,
                        dialect,
                    ),
                    // The fence lines and info string count as code too.
                    _ => {
                        code_ranges.push(range.clone());
                        b.region(range, Context::Code);
                    }
                }
            }
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Paragraph) => protect_paragraph_syntax(&mut b, &mut breaks, text, range),
            Event::Start(Tag::Heading { id, .. }) => {
                heading = Some(Heading {
                    range: range.clone(),
                    insert_at: range.start,
                    explicit_id: id.map(|id| id.to_string()),
                    parts: Vec::new(),
                    section_ids: None,
                });
                if let Some(h) = &heading {
                    protect_heading_id(&mut b, text, &h.range);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(mut h) = heading.take() {
                    if dialect == Dialect::Mdx3 {
                        mdx_heading_id(&mut b, text, &mut h);
                    }
                    if keys.bracket_heading_ids && h.explicit_id.is_none() {
                        bracket_heading_id(&mut b, text, &mut h);
                    }
                    headings.push(h);
                }
            }
            Event::Start(Tag::Link { link_type, .. } | Tag::Image { link_type, .. }) => {
                links.push((link_type, range.start, range.start));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some((link_type, start, children_end)) = links.pop() {
                    link_destination(&mut b, text, link_type, start.max(children_end), range.end);
                }
                if let Some(outer) = links.last_mut() {
                    outer.2 = outer.2.max(range.end);
                }
            }
            Event::Text(decoded) => {
                if in_code_block {
                    // Covered by the code block region.
                } else {
                    let autolink = links
                        .last()
                        .is_some_and(|l| matches!(l.0, LinkType::Autolink | LinkType::Email));
                    if autolink {
                        b.region(range.clone(), Context::Url);
                    } else {
                        prose(&mut b, text, range.clone());
                    }
                    if let Some(h) = &mut heading {
                        let decoded = match dialect {
                            Dialect::Hugo => typographer_dashes(&decoded).into_owned(),
                            _ => decoded.to_string(),
                        };
                        h.parts.push((range.clone(), decoded));
                    }
                }
            }
            Event::Code(code) => {
                let inner = code_span_content(text, range.clone());
                code_ranges.push(range.clone());
                b.region(inner.clone(), Context::InlineCode);
                if let Some(h) = &mut heading {
                    h.parts.push((inner, code.to_string()));
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => html.scan(&mut b, text, range),
            Event::SoftBreak => b.region(range, Context::Prose),
            _ => {}
        }
    }
    match dialect {
        Dialect::Hugo => shortcode::scan(
            &mut b,
            &mut breaks,
            text,
            body_start..text.len(),
            &code_ranges,
            &keys.shortcodes,
        ),
        Dialect::PythonMarkdown => protect_python_markdown_syntax(&mut b, text, body_start, &code_ranges),
        Dialect::Mdx1 | Dialect::CommonMark | Dialect::Mdx3 => {}
    }
    for h in &mut headings {
        h.insert_at = content_end(text, h);
    }
    // Nested blocks report their ranges outer first, so ends come out of order.
    breaks.sort_unstable();
    breaks.dedup();
    let mut spans = b.finish();
    if dialect == Dialect::Mdx3 {
        spans = mdx_expressions(text, body_start, spans, &mut breaks, &keys.jsx);
        breaks.sort_unstable();
        breaks.dedup();
    }
    Scanned {
        spans,
        headings,
        breaks,
    }
}

/// Lays MDX 3's expressions and the JSX tags CommonMark reads as text over `spans` (the
/// tiling of `text`).
///
/// A `{` in text (a span of prose or markup: not in code, a tag, a link's destination, and
/// not escaped `\{`) opens a JavaScript expression that runs to its matching `}`
/// (micromark-extension-mdx-expression counts braces the same way, then hands the inside to
/// acorn), strings and comments skipped. An expression is [`Context::Mdx`], or
/// [`Context::Comment`] when it holds only a comment (`{/* … */}`, MDX's comment syntax);
/// one never closed runs to the end of the text (MDX refuses the page; nothing of it is
/// prose). A `<` in text followed by a letter, `/` or `>` opens a JSX tag (MDX has no other
/// reading of it) that runs to its `>`, strings and expressions skipped: CommonMark takes a
/// tag with an expression prop (`<Callout title={x}>`) for text; it is classified as the
/// tags pulldown-cmark hands over are, `props`' string values prose. Each expression's and
/// tag's ends go to `breaks`.
fn mdx_expressions(
    text: &str,
    body_start: usize,
    spans: Vec<Span>,
    breaks: &mut Vec<usize>,
    props: &super::JsxProps,
) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut tags = SpanBuilder::new(text.len());
    let mut any_tag = false;
    let mut pos = body_start;
    while let Some(at) = memchr::memchr2(b'{', b'<', &bytes[pos..]) {
        let start = pos + at;
        pos = start + 1;
        let in_text = span_at(&spans, start)
            .is_some_and(|i| matches!(spans[i].context, Context::Prose | Context::Markup));
        let backslashes = bytes[..start].iter().rev().take_while(|&&c| c == b'\\').count();
        if !in_text || backslashes % 2 == 1 {
            continue;
        }
        if bytes[start] == b'<' {
            if !super::html::is_tag_start(bytes, start + 1) {
                continue;
            }
            let end = jsx_tag_end(bytes, start).unwrap_or(bytes.len());
            HtmlScanner::with_props(props).scan(&mut tags, text, start..end);
            any_tag = true;
            breaks.extend([start, end]);
            pos = end;
            continue;
        }
        let end = super::javascript::braced_end(bytes, start).unwrap_or(bytes.len());
        let inner = text[start + 1..end.saturating_sub(1).max(start + 1)].trim();
        let comment_only = inner.starts_with("/*")
            && inner.ends_with("*/")
            && inner[2..].find("*/") == Some(inner.len() - 4);
        found.push((
            start..end,
            if comment_only {
                Context::Comment
            } else {
                Context::Mdx
            },
        ));
        breaks.extend([start, end]);
        pos = end;
    }
    if found.is_empty() && !any_tag {
        return spans;
    }
    let mut over = SpanBuilder::new(text.len());
    for span in spans {
        over.region(span.range, span.context);
    }
    if any_tag {
        for span in tags.finish() {
            if span.context != Context::Markup {
                over.protect(span.range, span.context);
            }
        }
    }
    for (range, context) in found {
        over.protect(range, context);
    }
    over.finish()
}

/// The offset after the `>` that closes the JSX tag opening at `open` (a `<`), quoted values
/// and `{…}` expressions skipped; `None` when it is never closed.
fn jsx_tag_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return Some(i + 1),
            q @ (b'"' | b'\'') => {
                i += 1 + memchr::memchr(q, &bytes[i + 1..])?;
            }
            b'{' => {
                i = super::javascript::braced_end(bytes, i)?;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// How many columns of indentation Docusaurus 2 removes from the line at `line_start` when
/// it reads that line as part of a list item, if that leaves an indented code block's first
/// line indented less than 4 columns (so that Docusaurus reads it as text, not code).
///
/// Docusaurus 2 parses Markdown with MDX 1, whose parser (remark-parse 8) is not CommonMark
/// in lists: after a blank line, any indented line continues the list item above (CommonMark
/// requires the item's content column), and the item's text is de-indented by the smallest
/// indentation of its lines, at most the bullet's width (`normalListItem` and
/// `removeIndentation` in remark-parse 8's `tokenize/list.js`: the width of `1. ` counts 4
/// for numbers below 10). So in
///
/// ```text
/// 1. Generate the data.
///
///   :::note
///
///     The script depends on `kubectl`.
/// ```
///
/// CommonMark (and pulldown-cmark) ends the list at `  :::note` and reads the last line as an
/// indented code block, while Docusaurus keeps both in the item, removes 2 columns, and shows
/// an admonition with the sentence as text (the Harvester docs' `rancher/cloud-provider.md`).
/// Only items whose bullet starts at column 0 are followed; lines with tabs in their
/// indentation are left to CommonMark's reading. `scripts/docusaurus-reading/reading.js` lists
/// every place of a tree where Docusaurus's own parser and CommonMark's differ.
fn remark8_list_strip(text: &str, line_start: usize) -> Option<usize> {
    let indent = |line: &str| -> Option<usize> {
        let spaces = line.bytes().take_while(|&c| c == b' ').count();
        (line.as_bytes().get(spaces) != Some(&b'\t')).then_some(spaces)
    };
    let blank = |line: &str| line.trim().is_empty();
    let first = text[line_start..].split('\n').next().unwrap_or("");
    let block_indent = indent(first)?;
    // Up from the block, over blank and indented lines, to the item's bullet at column 0.
    let mut bullet = None;
    let mut end = line_start;
    while end > 0 {
        let start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = text[start..end - 1].trim_end_matches('\r');
        end = start;
        if blank(line) {
            continue;
        }
        match indent(line)? {
            0 => {
                bullet = Some((start, bullet_width(line)?));
                break;
            }
            _ => continue,
        }
    }
    let (bullet_start, width) = bullet?;
    // The item: down from its bullet until a line at column 0 after a blank line.
    let mut least = usize::MAX;
    let mut after_blank = false;
    for line in text[bullet_start..].split('\n').skip(1) {
        if blank(line) {
            after_blank = true;
            continue;
        }
        let columns = indent(line)?;
        if columns == 0 && (after_blank || bullet_width(line).is_some()) {
            break;
        }
        least = least.min(columns);
        after_blank = false;
    }
    let strip = least.min(width);
    (block_indent.saturating_sub(strip) < 4).then_some(strip)
}

/// How many columns of indentation Python-Markdown removes from the indented code block at
/// `line_start` when it is the body of a block above it: an admonition (`!!! note`, with
/// `pymdownx.details` `??? note` and `???+ note`) or a content tab (`pymdownx.tabbed`
/// `=== "Tab"`), whose body is the lines indented 4 columns more than its opening line
/// (`markdown/extensions/admonition.py`: `self.tab_length`). Up from the block over blank
/// lines and the body's own lines (indented at least as much), the first line indented less
/// must open such a block. `None` when it does not (a real code block), or when tabs indent
/// the lines.
fn container_body_strip(text: &str, line_start: usize) -> Option<usize> {
    static OPENER: OnceLock<Regex> = OnceLock::new();
    let opener = OPENER.get_or_init(|| {
        Regex::new(r#"^(?:(?:!!!|\?\?\?\+?)[ \t]+[\w-]+|===\+?[ \t]+")"#)
            .expect("block opener pattern is valid")
    });
    let indent = |line: &str| -> Option<usize> {
        let spaces = line.bytes().take_while(|&c| c == b' ').count();
        (line.as_bytes().get(spaces) != Some(&b'\t')).then_some(spaces)
    };
    let first = text[line_start..].split('\n').next().unwrap_or("");
    let block_indent = indent(first)?;
    let mut end = line_start;
    while end > 0 {
        let start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = text[start..end - 1].trim_end_matches('\r');
        end = start;
        if line.trim().is_empty() {
            continue;
        }
        let columns = indent(line)?;
        if columns >= block_indent {
            continue;
        }
        let strip = columns + 4;
        return (opener.is_match(&line[columns..]) && block_indent >= strip).then_some(strip);
    }
    None
}

/// The width remark-parse 8 gives a list item's bullet at the start of `line` (`- ` is 2,
/// `1. ` is 4: a number below 10 whose bullet has an odd width gets one more column), or
/// `None` when the line does not start with a bullet.
fn bullet_width(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let digits = bytes.iter().take_while(|c| c.is_ascii_digit()).count();
    let marker = match (digits, bytes.get(digits)) {
        (0, Some(b'*' | b'+' | b'-')) => 1,
        (1..=9, Some(b'.' | b')')) => digits + 1,
        _ => return None,
    };
    let spaces = bytes[marker..].iter().take_while(|&&c| c == b' ').count();
    let after = match spaces {
        0 if marker == line.trim_end().len() => 0,
        0 => return None,
        1..=4 => spaces,
        _ => 1,
    };
    let small_number = digits > 0 && line[..digits].parse::<u32>().is_ok_and(|n| n < 10);
    let odd = (marker + after) % 2 == 1;
    Some(marker + after + usize::from(small_number && odd))
}

/// Scans the lines of `range` (whole lines of `text`) as Markdown with `strip` columns of
/// indentation removed from each, as Docusaurus reads them (see [`remark8_list_strip`]), and
/// adds the spans and block breaks found, at their places in `text`. The removed blanks join
/// the span that follows them.
fn scan_dedented(
    b: &mut SpanBuilder,
    breaks: &mut Vec<usize>,
    text: &str,
    range: Range<usize>,
    strip: usize,
    keys: &Reading,
    dialect: Dialect,
) {
    let mut dedented = String::with_capacity(range.len());
    // (start of the line in `dedented`, bytes removed up to and including that line)
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut removed = 0;
    for line in text[range.clone()].split_inclusive('\n') {
        let cut = line.bytes().take(strip).take_while(|&c| c == b' ').count();
        removed += cut;
        lines.push((dedented.len(), removed));
        dedented.push_str(&line[cut..]);
    }
    let at = |offset: usize| -> usize {
        let line = lines
            .partition_point(|&(start, _)| start <= offset)
            .saturating_sub(1);
        range.start + offset + lines.get(line).map_or(0, |&(_, r)| r)
    };
    let inner = scan_in(&dedented, keys, dialect);
    for span in inner.spans {
        b.region(at(span.range.start)..at(span.range.end), span.context);
    }
    breaks.extend(inner.breaks.into_iter().map(at));
}

/// Whether `tag` is a block (paragraph, heading, list item, table cell, ...): words on either
/// side of its start or end are in different blocks. Emphasis, links and images are inline.
fn is_block(tag: &Tag) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// The YAML front matter at the very start of `text` (Docusaurus reads it only there): the
/// range between the `---` fences, and the offset just after the closing fence's line.
pub(crate) fn front_matter_block(text: &str) -> Option<(Range<usize>, usize)> {
    let first = text.split_inclusive('\n').next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let mut pos = first.len();
    for line in text[pos..].split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            return Some((first.len()..pos, pos + line.len()));
        }
        pos += line.len();
    }
    None
}

/// The TOML front matter at the very start of `text` (Hugo's `+++` fences, "Front matter"
/// in Hugo's documentation): the range between the fences, and the offset just after the
/// closing fence's line.
pub(crate) fn toml_front_matter_block(text: &str) -> Option<(Range<usize>, usize)> {
    let first = text.split_inclusive('\n').next()?;
    if first.trim_end() != "+++" {
        return None;
    }
    let mut pos = first.len();
    for line in text[pos..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((first.len()..pos, pos + line.len()));
        }
        pos += line.len();
    }
    None
}

/// The end of a heading's inline content: after its last child, before a closing `#`
/// sequence, trailing blanks and the line ending (CommonMark spec 4.2).
fn content_end(text: &str, h: &Heading) -> usize {
    let mut end = h.insert_at.min(h.range.end);
    if end <= h.range.start {
        end = h.range.end;
    }
    let bytes = text.as_bytes();
    while end > h.range.start && matches!(bytes[end - 1], b'\n' | b'\r' | b' ' | b'\t') {
        end -= 1;
    }
    end
}

/// The content of a code span, without its backtick strings (CommonMark spec 6.1).
fn code_span_content(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text.as_bytes()[range.clone()];
    let ticks = slice.iter().take_while(|&&c| c == b'`').count();
    let closing = slice.iter().rev().take_while(|&&c| c == b'`').count();
    if ticks == 0 || ticks + closing > slice.len() {
        return range;
    }
    range.start + ticks..range.end - closing
}

/// Marks the destination (and title) of an inline link or image as [`Context::LinkTarget`].
///
/// `after` is the end of the link text; the destination is what stands between the next
/// `](` and the closing `)`.
fn link_destination(b: &mut SpanBuilder, text: &str, kind: LinkType, after: usize, end: usize) {
    if !matches!(kind, LinkType::Inline) || after >= end {
        return;
    }
    if let Some(open) = text[after..end].find("](") {
        let start = after + open + 2;
        let stop = if text[..end].ends_with(')') { end - 1 } else { end };
        b.protect(start..stop, Context::LinkTarget);
    }
}

/// Protects what CommonMark reads as paragraph text but Docusaurus does not: admonition
/// fences (`:::note`, `:::info important`'s keyword) and MDX `import`/`export` statements.
/// The end of a fence's line is a block break: Docusaurus shows the title (`:::note Title`)
/// apart from the body that follows.
fn protect_paragraph_syntax(b: &mut SpanBuilder, breaks: &mut Vec<usize>, text: &str, range: Range<usize>) {
    static FENCE: OnceLock<Regex> = OnceLock::new();
    static COLONS: LazyLock<Finder> = LazyLock::new(|| Finder::new(":::"));
    let slice = &text[range.clone()];
    if slice.starts_with("import ") || slice.starts_with("export ") {
        b.protect(range, Context::Mdx);
        return;
    }
    if COLONS.find(slice.as_bytes()).is_none() {
        return;
    }
    let fence = FENCE
        .get_or_init(|| Regex::new(r"(?m)^[ \t>]*(:::+[A-Za-z_-]*)").expect("admonition pattern is valid"));
    for c in fence.captures_iter(slice) {
        let m = c.get(1).expect("group 1 always takes part");
        b.protect(range.start + m.start()..range.start + m.end(), Context::Markup);
        let line_end = slice[m.end()..].find('\n').map_or(slice.len(), |n| m.end() + n);
        breaks.push(range.start + line_end);
    }
}

/// What Goldmark's typographer makes of a heading's text (`---` an em dash, `--` an en dash,
/// left to right), as Hugo's heading ids see it; the scan applies it to a Hugo heading's
/// text, and the anchors' rewriter to a rewritten heading's.
pub fn typographer_dashes(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("--") {
        text.replace("---", "\u{2014}").replace("--", "\u{2013}").into()
    } else {
        text.into()
    }
}

/// Where a page's body starts in `dialect`: after its `---` YAML front matter, or in Hugo's
/// after its `+++` TOML front matter; 0 without one.
pub(crate) fn body_start(text: &str, dialect: Dialect) -> usize {
    front_matter_block(text)
        .or_else(|| toml_front_matter_block(text).filter(|_| dialect == Dialect::Hugo))
        .map_or(0, |(_, end)| end)
}

/// Protects what MkDocs sites write in a page's text that Python-Markdown and its plugins
/// take away before the page is read: snippet lines (`--8<-- "includes/abbreviations.md"`,
/// pymdownx.snippets: the marker and the path) and Jinja expressions and statements
/// (`{{ config.site_name }}`, `{% include "x.md" %}`: the macros plugin renders the
/// page as a template first). Those inside code blocks or code spans (`code`, sorted) are left
/// to the code.
fn protect_python_markdown_syntax(b: &mut SpanBuilder, text: &str, body_start: usize, code: &[Range<usize>]) {
    static SYNTAX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?m)^[ \t]*-{2,}8<-{2,}[ \t]*(?:"[^"\n]*"|'[^'\n]*'|[^ \t\n]*)|\{\{.*?\}\}|\{%.*?%\}"#)
            .expect("snippet and Jinja pattern is valid")
    });
    let body = &text[body_start..];
    if !body.contains("--8<--") && !body.contains("{{") && !body.contains("{%") {
        return;
    }
    for m in SYNTAX.find_iter(body) {
        let range = body_start + m.start()..body_start + m.end();
        let i = code.partition_point(|c| c.end <= range.start);
        if code.get(i).is_some_and(|c| c.start <= range.start) {
            continue;
        }
        let context = if m.as_str().trim_start().starts_with('-') {
            Context::LinkTarget
        } else {
            Context::Template
        };
        b.protect(range, context);
    }
}

/// Reads the explicit ids an MDX 3 heading of a Docusaurus 3 site may end with besides
/// `{#id}` (which pulldown-cmark reads): the escaped `\{#id\}` (what Docusaurus's
/// `escapeMarkdownHeadingIds` makes of `{#id}` before MDX reads it, so its heading plugin
/// reads the id in the text) and the comment `{/* #id */}` (Docusaurus 3.10's
/// `remark/headings`: the first word of a comment-only expression that starts with `#`).
/// The id is protected as [`Context::HeadingId`] and left out of the heading's text.
fn mdx_heading_id(b: &mut SpanBuilder, text: &str, h: &mut Heading) {
    static ID: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[ \t]*(\\\{#([^{}\\\s]+)\\\}|\{/\*\s*#([^\s*]+)[^*]*\*/\})[ \t]*#*[ \t]*$")
            .expect("MDX heading id pattern is valid")
    });
    trailing_heading_id(b, text, h, &ID);
}

/// Reads the custom id ` [#id]` a heading of a Fumadocs page may end with (its
/// `remarkHeading`: "Headings > Custom ID", `# heading [#slug]`), as [`mdx_heading_id`] reads
/// the MDX forms.
fn bracket_heading_id(b: &mut SpanBuilder, text: &str, h: &mut Heading) {
    static ID: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"[ \t]+(\[#([^\[\]\s]+)\])[ \t]*#*[ \t]*$").expect("bracket heading id pattern is valid")
    });
    trailing_heading_id(b, text, h, &ID);
}

/// Reads an explicit id at the end of heading `h`'s line as `id` matches it (group 1 the
/// id's whole form, the first group after it that takes part the id): the id is protected
/// as [`Context::HeadingId`] and left out of the heading's text.
fn trailing_heading_id(b: &mut SpanBuilder, text: &str, h: &mut Heading, id: &Regex) {
    let line = &text[h.range.clone()];
    let line = line.split('\n').next().unwrap_or(line).trim_end_matches('\r');
    let Some(c) = id.captures(line) else {
        return;
    };
    let whole = c.get(0).expect("group 0 always takes part");
    let form = c.get(1).expect("group 1 always takes part");
    let id = c
        .iter()
        .skip(2)
        .flatten()
        .next()
        .expect("one form matched")
        .as_str();
    let cut = h.range.start + whole.start();
    h.explicit_id = Some(id.to_string());
    b.protect(
        h.range.start + form.start()..h.range.start + form.end(),
        Context::HeadingId,
    );
    h.parts.retain(|(r, _)| r.start < cut);
    if let Some((r, decoded)) = h.parts.last_mut() {
        if r.end > cut {
            *decoded = text[r.start..cut].to_string();
            r.end = cut;
        }
        *decoded = decoded.trim_end().to_string();
    }
    h.insert_at = h.insert_at.min(cut);
}

/// Protects an explicit heading id `{#id}` at the end of a heading line.
fn protect_heading_id(b: &mut SpanBuilder, text: &str, range: &Range<usize>) {
    let slice = &text[range.clone()];
    let line_end = slice.find('\n').unwrap_or(slice.len());
    if let Some(open) = slice[..line_end].rfind("{#") {
        if let Some(close) = slice[open..line_end].find('}') {
            b.protect(
                range.start + open..range.start + open + close + 1,
                Context::HeadingId,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{scan as scan_any, FileKind};
    use super::*;

    fn classify(text: &str) -> Vec<(String, Context)> {
        scan_any(FileKind::Markdown, text, &Reading::default())
            .spans
            .into_iter()
            .filter(|s| s.context != Context::Markup)
            .map(|s| (text[s.range].to_string(), s.context))
            .collect()
    }

    fn of(text: &str, context: Context) -> Vec<String> {
        classify(text)
            .into_iter()
            .filter(|(_, c)| *c == context)
            .map(|(s, _)| s)
            .collect()
    }

    #[test]
    fn link_text_is_prose_and_destination_is_protected() {
        let text = "See [Harvester configuration](./harvester-configuration.md#oslabels) now.\n";
        assert_eq!(
            of(text, Context::Prose),
            vec!["See ", "Harvester configuration", " now."]
        );
        assert_eq!(
            of(text, Context::LinkTarget),
            vec!["./harvester-configuration.md#oslabels"]
        );
    }

    #[test]
    fn image_alt_is_prose_and_src_protected() {
        let text = "![Harvester UI](/img/v1.2/harvester-ui.png \"Harvester\")\n";
        assert_eq!(of(text, Context::Prose), vec!["Harvester UI"]);
        assert_eq!(
            of(text, Context::LinkTarget),
            vec!["/img/v1.2/harvester-ui.png \"Harvester\""]
        );
    }

    #[test]
    fn code_is_protected() {
        let text = "Run `harvester-system` now:\n\n```bash\nkubectl -n harvester-system get pods\n```\n";
        assert_eq!(of(text, Context::InlineCode), vec!["harvester-system"]);
        assert_eq!(
            of(text, Context::Code),
            vec!["```bash\nkubectl -n harvester-system get pods\n```"]
        );
    }

    #[test]
    fn admonition_keyword_is_markup_and_title_prose() {
        let text = ":::note Harvester\nHarvester text.\n:::\n";
        let prose = of(text, Context::Prose).concat();
        assert!(prose.contains(" Harvester\nHarvester text."), "{prose:?}");
        assert!(!prose.contains("note"));
    }

    #[test]
    fn front_matter_keys_and_prose_values() {
        let text = "---\nid: harvester-intro\ntitle: \"Harvester overview\"\nkeywords:\n  - Harvester\n  - harvester\n---\n# Title\n";
        let got = classify(text);
        assert!(got.contains(&("id".into(), Context::FrontMatterKey)));
        assert!(got.contains(&("harvester-intro".into(), Context::FrontMatterValue)));
        assert!(got.contains(&("Harvester overview".into(), Context::Prose)));
        assert!(got.contains(&("Harvester".into(), Context::Prose)));
    }

    #[test]
    fn html_attributes_are_protected_and_text_between_tags_is_prose() {
        let text = "<head>\n  <link rel=\"canonical\" href=\"https://docs.harvesterhci.io/v1.6/\"/>\n</head>\n\n<p>Harvester rocks</p>\n";
        assert_eq!(
            of(text, Context::HtmlAttribute),
            vec!["canonical", "https://docs.harvesterhci.io/v1.6/"]
        );
        assert!(of(text, Context::Prose).concat().contains("Harvester rocks"));
    }

    #[test]
    fn explicit_heading_id_is_protected_and_recorded() {
        let text = "## Harvester nodes {#harvester-nodes}\n";
        let scanned = scan_any(FileKind::Markdown, text, &Reading::default());
        assert_eq!(scanned.headings.len(), 1);
        assert_eq!(
            scanned.headings[0].explicit_id.as_deref(),
            Some("harvester-nodes")
        );
        assert_eq!(of(text, Context::HeadingId), vec!["{#harvester-nodes}"]);
    }

    #[test]
    fn heading_insert_point_is_after_the_content() {
        let text = "## **Harvester cluster** \n\nText\n";
        let scanned = scan_any(FileKind::Markdown, text, &Reading::default());
        let h = &scanned.headings[0];
        assert_eq!(&text[..h.insert_at], "## **Harvester cluster**");
        let parts: Vec<_> = h.parts.iter().map(|p| p.1.as_str()).collect();
        assert_eq!(parts, vec!["Harvester cluster"]);
    }

    #[test]
    fn autolinks_and_bare_urls_are_urls() {
        let text = "Go to <https://harvesterhci.io> or https://github.com/harvester/harvester.\n";
        assert_eq!(
            of(text, Context::Url),
            vec![
                "https://harvesterhci.io",
                "https://github.com/harvester/harvester"
            ]
        );
    }

    #[test]
    fn a_rule_pair_mid_document_is_no_front_matter() {
        let text = "# Title\n\n---\n\nHarvester text: here\n\n---\n";
        assert_eq!(of(text, Context::Prose), vec!["Title", "Harvester text: here"]);
    }

    #[test]
    fn mdx_imports_are_protected() {
        let text = "import Tabs from '@theme/Tabs';\n\nHarvester\n";
        assert_eq!(of(text, Context::Mdx), vec!["import Tabs from '@theme/Tabs';\n"]);
    }

    /// The spans of `text` read in Python-Markdown's dialect, Markup left out.
    fn python_markdown(text: &str, context: Context) -> Vec<String> {
        let reading = Reading {
            dialect: Dialect::PythonMarkdown,
            ..Reading::default()
        };
        read(text, &reading, context)
            .into_iter()
            .map(|s| s.trim().to_string())
            .collect()
    }

    /// The texts of the spans of `context` in `text` read with `reading`.
    fn read(text: &str, reading: &Reading, context: Context) -> Vec<String> {
        scan_any(FileKind::Markdown, text, reading)
            .spans
            .into_iter()
            .filter(|s| s.context == context)
            .map(|s| text[s.range].to_string())
            .collect()
    }

    /// KubeVirt's `!!! warning` with a second paragraph after a blank line, a `???` block and
    /// a `=== "Tab"` body: Python-Markdown reads the 4-column bodies as Markdown.
    #[test]
    fn python_markdown_admonition_and_tab_bodies_are_prose() {
        let text = "!!! warning \"KubeVirt\"\n    KubeVirt first.\n\n    KubeVirt second.\n\n        kubectl get kubevirt\n\n??? note\n\n    KubeVirt folded.\n\n=== \"Tab\"\n\n    KubeVirt tab.\n\n    ```\n    virtctl start\n    ```\n\nText.\n\n    real code\n";
        let prose = python_markdown(text, Context::Prose);
        for sentence in ["KubeVirt second.", "KubeVirt folded.", "KubeVirt tab."] {
            assert!(prose.iter().any(|p| p == sentence), "{sentence} in {prose:?}");
        }
        let code = python_markdown(text, Context::Code);
        assert!(code.iter().any(|c| c == "kubectl get kubevirt"), "{code:?}");
        assert!(code.iter().any(|c| c.contains("virtctl start")), "{code:?}");
        assert!(code.iter().any(|c| c == "real code"), "{code:?}");
        assert!(!code.iter().any(|c| c.contains("KubeVirt second")), "{code:?}");
        // MDX 1 reads the second paragraph as CommonMark does: code.
        assert!(of(text, Context::Code)
            .iter()
            .any(|c| c.contains("KubeVirt second.")));
    }

    /// MkDocs pages: a snippet line's path and Jinja expressions are kept, the prose around
    /// them is read; in a code block they stay code.
    #[test]
    fn python_markdown_snippets_and_jinja_are_protected() {
        let text = "KubeVirt {{ config.extra.KubeVirt_version }} is {% if x %}new{% endif %}.\n\n--8<-- \"includes/KubeVirt-abbreviations.md\"\n\n```\n{{ KubeVirt }}\n```\n";
        assert_eq!(
            python_markdown(text, Context::Template),
            ["{{ config.extra.KubeVirt_version }}", "{% if x %}", "{% endif %}"]
        );
        assert_eq!(
            python_markdown(text, Context::LinkTarget),
            ["--8<-- \"includes/KubeVirt-abbreviations.md\""]
        );
        assert_eq!(
            python_markdown(text, Context::Prose),
            ["KubeVirt", "is", "new", "."]
        );
        assert_eq!(python_markdown(text, Context::Code), ["```\n{{ KubeVirt }}\n```"]);
    }

    /// The spans of `text` read as MDX 3, trimmed, Markup left out.
    fn mdx3(text: &str, context: Context) -> Vec<String> {
        scan_any(FileKind::Mdx, text, &Reading::default())
            .spans
            .into_iter()
            .filter(|s| s.context == context)
            .map(|s| text[s.range].trim().to_string())
            .collect()
    }

    /// MDX 3 (mdxjs.com, "What is MDX", "MDX syntax"): an indented line is text, a `{…}` is
    /// an expression (a comment-only one a comment), braces inside strings and comments do
    /// not close it, an escaped `\{` is text, and `import`/`export` stay protected.
    #[test]
    fn mdx3_has_no_indented_code_and_protects_expressions() {
        let text = "import {Callout} from 'nextra/components';\n\nKeycloak {props.name} and {/* Keycloak note */} text.\n\n    Keycloak indented.\n\nKeycloak {\"}\" + `{`} tail \\{not an expression\\} Keycloak.\n\n```\n{Keycloak}\n```\n";
        let prose = mdx3(text, Context::Prose);
        assert!(prose.iter().any(|p| p == "Keycloak indented."), "{prose:?}");
        assert!(prose.iter().any(|p| p == "{not an expression"), "{prose:?}");
        assert_eq!(
            mdx3(text, Context::Mdx),
            [
                "import {Callout} from 'nextra/components';",
                "{props.name}",
                "{\"}\" + `{`}"
            ]
        );
        assert_eq!(mdx3(text, Context::Comment), ["{/* Keycloak note */}"]);
        assert_eq!(mdx3(text, Context::Code), ["```\n{Keycloak}\n```"]);
        // The MDX 1 reading of the same text: the indented line is code.
        assert!(of(text, Context::Code)
            .iter()
            .any(|c| c.contains("Keycloak indented.")));
    }

    /// The heading ids an MDX 3 page of a Docusaurus 3 site can hold (Docusaurus docs,
    /// "Headings and Table of contents", "Heading IDs"; `escapeMarkdownHeadingIds` in
    /// `@docusaurus/utils`; the comment syntax of `remark/headings` in 3.10): each is the
    /// heading's explicit id, protected, and no part of its text.
    #[test]
    fn mdx3_heading_ids_in_their_three_forms() {
        for (text, id) in [
            ("## Keycloak realms {#realms}\n", "{#realms}"),
            ("## Keycloak realms \\{#realms\\}\n", "\\{#realms\\}"),
            ("## Keycloak realms {/* #realms */}\n", "{/* #realms */}"),
        ] {
            let scanned = scan_any(FileKind::Mdx, text, &Reading::default());
            let h = &scanned.headings[0];
            assert_eq!(h.explicit_id.as_deref(), Some("realms"), "{text}");
            let parts: String = h.parts.iter().map(|p| p.1.as_str()).collect();
            assert_eq!(parts.trim_end(), "Keycloak realms", "{text}");
            assert_eq!(mdx3(text, Context::HeadingId), [id], "{text}");
        }
    }

    /// JSX props: the default prose props' string values are prose (`title`, `description`,
    /// `alt`, `label`), and so is an expression prop that is one string literal
    /// (`title={"Keycloak"}`); every other value (`href`, `src`, `value`, `type`) and every
    /// other expression is kept; in MDX 3 and in MDX 1 alike, for JSX and HTML tags.
    #[test]
    fn jsx_prose_props_are_prose_and_other_values_kept() {
        let text = "<Card title=\"Keycloak admin\" description='The Keycloak console' href=\"/keycloak/admin\" />\n\n<Callout title={\"Keycloak\"} type=\"keycloak\">Keycloak text</Callout>\n\n<TabItem value=\"keycloak\"\n  label=\"Keycloak ISO\">\n\n<img src=\"/img/keycloak.png\" alt=\"Keycloak logo\" />\n";
        // CommonMark reads a tag with an expression prop as text; MDX 1's reading keeps that
        // (no Harvester page has one), MDX 3's reads the tag.
        let mdx1_text = text.replace(
            "<Callout title={\"Keycloak\"} type=\"keycloak\">",
            "<Callout type=\"keycloak\">",
        );
        for (kind, text) in [(FileKind::Mdx, text), (FileKind::Markdown, mdx1_text.as_str())] {
            let spans = scan_any(kind, text, &Reading::default()).spans;
            let of = |context: Context| -> Vec<&str> {
                spans
                    .iter()
                    .filter(|s| s.context == context)
                    .map(|s| text[s.range.clone()].trim())
                    .filter(|s| !s.is_empty())
                    .collect()
            };
            // An expression prop that is one string literal is read as its string.
            let literal: &[&str] = match kind {
                FileKind::Mdx => &["Keycloak"],
                _ => &[],
            };
            let expected: Vec<&str> = ["Keycloak admin", "The Keycloak console"]
                .into_iter()
                .chain(literal.iter().copied())
                .chain(["Keycloak text", "Keycloak ISO", "Keycloak logo"])
                .collect();
            assert_eq!(of(Context::Prose), expected, "{kind:?}");
            assert_eq!(
                of(Context::HtmlAttribute),
                ["/keycloak/admin", "keycloak", "keycloak", "/img/keycloak.png"],
                "{kind:?}"
            );
        }
        // A rule file's list replaces the default.
        let reading = Reading {
            jsx: super::super::JsxProps::new(&["Card.description".to_string()]),
            ..Reading::default()
        };
        let prose: Vec<String> = scan_any(FileKind::Mdx, text, &reading)
            .spans
            .into_iter()
            .filter(|s| s.context == Context::Prose)
            .map(|s| text[s.range].trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        assert_eq!(prose, ["The Keycloak console", "Keycloak text"]);
    }

    /// The spans of `text` read in Hugo's dialect with Hugo's shortcode prose parameters.
    fn hugo(text: &str, context: Context) -> Vec<String> {
        let reading = Reading {
            dialect: Dialect::Hugo,
            shortcodes: super::super::ShortcodeParams::new(
                &super::super::DEFAULT_SHORTCODE_PROSE
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>(),
            ),
            ..Reading::default()
        };
        read(text, &reading, context)
    }

    /// The issue's calls (Longhorn pages): a `ref`'s page and a `figure`'s `src` are kept, its
    /// caption is prose; a call in a code block stays code; `highlight`'s content is code.
    #[test]
    fn hugo_shortcode_calls_are_protected_but_their_prose_parameters() {
        let text = "See [the guide]({{< ref \"Longhorn-Guide.md\" >}}).\n\n{{< figure src=\"/img/Longhorn-UI.png\" caption=\"The Longhorn UI\" >}}\n\n```\nkubectl apply -f https://x/v{{< current-version >}}/longhorn.yaml\n```\n\n{{< highlight bash >}}\nhelm install longhorn Longhorn\n{{< /highlight >}}\n\nLonghorn {{% notice note %}}Longhorn text{{% /notice %}}\n";
        assert_eq!(
            hugo(text, Context::Shortcode),
            [
                "{{< ref \"Longhorn-Guide.md\" >}}",
                "{{< figure src=\"/img/Longhorn-UI.png\" caption=\"",
                "\" >}}",
                "{{< highlight bash >}}",
                "{{< /highlight >}}",
                "{{% notice note %}}",
                "{{% /notice %}}",
            ]
        );
        let prose = hugo(text, Context::Prose);
        assert!(prose.iter().any(|p| p == "The Longhorn UI"), "{prose:?}");
        assert!(prose.iter().any(|p| p == "Longhorn text"), "{prose:?}");
        assert!(
            !prose
                .iter()
                .any(|p| p.contains("Longhorn-Guide") || p.contains("helm")),
            "{prose:?}"
        );
        let code = hugo(text, Context::Code);
        assert!(
            code.iter().any(|c| c.contains("{{< current-version >}}")),
            "{code:?}"
        );
        assert!(
            code.iter().any(|c| c == "\nhelm install longhorn Longhorn\n"),
            "{code:?}"
        );
        // Without Hugo's dialect, the call's arguments read as text.
        assert!(of(text, Context::Prose)
            .iter()
            .any(|p| p.contains("Longhorn-Guide")));
    }

    /// The front matter of Longhorn's KB page `backup-store-lock-conflict-error-message.md`
    /// as `hugo convert toTOML` writes it, with a menu entry: Hugo reads `+++` front matter
    /// as TOML, and the front matter's key paths choose its prose.
    const HUGO_TOML_PAGE: &str = "+++\ntitle = \"Backup store lock conflict error message\"\nauthors = [\"Pratik Jagrut\"]\ndraft = false\ndate = 2025-07-15\nversions = [\"All\"]\ncategories = [\"Backup\"]\n# Longhorn 1.9\n[menu.main]\n  name = \"Longhorn backups\"\n  weight = 2\n+++\n\nLonghorn's backup store.\n";

    /// The spans of `text` read in Hugo's dialect with the front matter key paths `front_matter`.
    fn hugo_page(text: &str, front_matter: &[&str], context: Context) -> Vec<String> {
        let reading = Reading {
            dialect: Dialect::Hugo,
            front_matter: crate::scan::KeyPaths::new(
                &front_matter.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            ),
            ..Reading::default()
        };
        read(text, &reading, context)
    }

    #[test]
    fn toml_front_matter_is_read_as_toml_with_the_front_matter_s_key_paths() {
        let keys = ["title", "description", "menu.*.name"];
        assert_eq!(
            hugo_page(HUGO_TOML_PAGE, &keys, Context::Prose),
            [
                "Backup store lock conflict error message",
                "Longhorn backups",
                "Longhorn's backup store."
            ]
        );
        let toml_keys = hugo_page(HUGO_TOML_PAGE, &keys, Context::TomlKey);
        assert_eq!(
            toml_keys,
            [
                "title",
                "authors",
                "draft",
                "date",
                "versions",
                "categories",
                "menu",
                "main",
                "name",
                "weight"
            ]
        );
        let values = hugo_page(HUGO_TOML_PAGE, &keys, Context::TomlValue);
        assert_eq!(
            values,
            ["Pratik Jagrut", "false", "2025-07-15", "All", "Backup", "2"]
        );
        assert_eq!(
            hugo_page(HUGO_TOML_PAGE, &keys, Context::Comment),
            ["# Longhorn 1.9"]
        );
        // Default keys: a name is the top-level key only.
        assert_eq!(
            hugo_page(HUGO_TOML_PAGE, &["title", "name"], Context::Prose),
            [
                "Backup store lock conflict error message",
                "Longhorn's backup store."
            ]
        );
    }

    /// Longhorn's archetype `archetypes/docs.md`: a Hugo template, no TOML, so its front
    /// matter is protected from where TOML stops making sense; and outside Hugo's dialect
    /// `+++` opens no front matter.
    #[test]
    fn a_template_front_matter_is_protected_and_other_dialects_read_no_toml() {
        let text = "+++\ntitle = \"{{ replace .Name \"-\" \" \" | title }}\"\n+++\n\nLonghorn text.\n";
        assert_eq!(hugo_page(text, &["title"], Context::Prose), ["Longhorn text."]);
        let mdx = of(HUGO_TOML_PAGE, Context::Prose);
        assert!(mdx[0].starts_with("+++\ntitle = \"Backup store"), "{mdx:?}");
    }
}
