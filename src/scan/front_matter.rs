//! YAML front matter, line by line: keys are protected, values of prose keys are prose.
//!
//! Docusaurus front matter is flat YAML (`title: …`, `keywords:` with `- item` lines), so a
//! line classifier is enough and never reformats anything: rewritten values stay where they
//! were, with their quotes.

use std::ops::Range;

use super::{prose, Context, KeyPaths, SpanBuilder};

/// Classifies the front matter body `range` of `text` (without the `---` fences). Each key
/// and each list item starts a new block: its offset goes to `breaks`.
pub(super) fn scan(
    b: &mut SpanBuilder,
    breaks: &mut Vec<usize>,
    text: &str,
    range: Range<usize>,
    prose_keys: &KeyPaths,
) {
    // The top level is the least indented key: a block indented as a whole (Hugo pages write
    // `  title: ...` under `---`) is a mapping all the same (YAML 1.2 section 8.2.2).
    let top = text[range.clone()]
        .lines()
        .map(|l| (l.len() - l.trim_start().len(), l.trim_start()))
        .filter(|(_, t)| !t.is_empty() && !t.starts_with('#'))
        .map(|(indent, _)| indent)
        .min()
        .unwrap_or(0);
    // The top-level key the current line belongs to, and whether its values are prose.
    let mut value_is_prose = false;
    let mut pos = range.start;
    for line in text[range.clone()].split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start().len();
        let trimmed = &body[indent..];
        let at = |offset: usize| start + indent + offset;
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.starts_with('#') {
            b.region(at(0)..at(trimmed.len()), Context::Comment);
            continue;
        }
        if let Some(item) = trimmed.strip_prefix("- ") {
            breaks.push(at(0));
            value(b, text, at(2)..at(2 + item.len()), value_is_prose);
            continue;
        }
        match key_colon(trimmed) {
            Some(colon) => {
                breaks.push(at(0));
                if indent == top {
                    let key = trimmed[..colon].trim_matches(['"', '\'']);
                    value_is_prose = prose_keys.value_is_prose(&[key.to_string()]);
                }
                b.region(at(0)..at(colon), Context::FrontMatterKey);
                let rest = &trimmed[colon + 1..];
                let lead = rest.len() - rest.trim_start().len();
                let value_start = colon + 1 + lead;
                let v = &trimmed[value_start..];
                // A block scalar indicator (`|`, `>-`) is syntax; its lines follow.
                if !v.starts_with(['|', '>']) {
                    value(
                        b,
                        text,
                        at(value_start)..at(trimmed.len()),
                        value_is_prose && indent == top,
                    );
                }
            }
            // A continuation line of a multi-line or block scalar value.
            None => value(b, text, at(0)..at(trimmed.len()), value_is_prose),
        }
    }
}

/// Classifies one scalar value, leaving its quotes and a trailing comment out of the prose.
fn value(b: &mut SpanBuilder, text: &str, range: Range<usize>, is_prose: bool) {
    let v = &text[range.clone()];
    let (start, end) = if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        (range.start + 1, range.end - 1)
    } else if let Some(hash) = v.find(" #") {
        b.region(range.start + hash + 1..range.end, Context::Comment);
        (range.start, range.start + v[..hash].trim_end().len())
    } else {
        (range.start, range.end)
    };
    if is_prose {
        prose(b, text, start..end);
    } else {
        b.region(start..end, Context::FrontMatterValue);
    }
}

/// The offset of the `:` that ends a mapping key on this line, if the line is `key: value`.
fn key_colon(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut quote = None;
    for (i, &c) in bytes.iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if i == 0 => quote = Some(c),
            (None, b':') if bytes.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\t') => return Some(i),
            (None, b' ') if i == 0 => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_colon_finds_mapping_keys_only() {
        assert_eq!(key_colon("title: Harvester"), Some(5));
        assert_eq!(key_colon("title:"), Some(5));
        assert_eq!(key_colon("\"a: b\": c"), Some(6));
        assert_eq!(key_colon("https://example.com"), None);
        assert_eq!(key_colon("plain words"), None);
    }

    #[test]
    fn comments_and_quotes_stay_out_of_prose() {
        let text = "title: 'Harvester'\ndescription: Harvester docs # a comment\nslug: /harvester\n";
        let mut b = SpanBuilder::new(text.len());
        scan(
            &mut b,
            &mut Vec::new(),
            text,
            0..text.len(),
            &KeyPaths::new(&["title".into(), "description".into()]),
        );
        let spans = b.finish();
        let prose: Vec<_> = spans
            .iter()
            .filter(|s| s.context == Context::Prose)
            .map(|s| &text[s.range.clone()])
            .collect();
        assert_eq!(prose, vec!["Harvester", "Harvester docs"]);
        assert!(spans
            .iter()
            .any(|s| s.context == Context::FrontMatterValue && &text[s.range.clone()] == "/harvester"));
    }

    /// Longhorn's docs indent their whole front matter (`  title: Longhorn CSI on K3s`): the
    /// least indented keys are the top level.
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
}
