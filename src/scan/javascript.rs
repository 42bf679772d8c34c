//! JavaScript site configuration and theme components (`docusaurus.config.js`,
//! `sidebars.js`, swizzled React components): string literals and JSX text are prose,
//! unless they are object keys, URLs or paths; all other code and comments are protected.

use super::json::string_end;
use super::{is_url, prose, Context, Span, SpanBuilder};

/// JSX elements nested deeper than this (each level recurses) are not scanned: the rest of
/// the file is kept as code. Real components nest a few dozen levels; a hostile file nesting
/// tens of thousands would overflow the stack of the thread scanning it.
const MAX_ELEMENT_DEPTH: usize = 256;

/// Scans a JavaScript (JSX) file.
pub(super) fn scan(text: &str) -> Vec<Span> {
    let mut b = SpanBuilder::new(text.len());
    let mut s = Scanner {
        text,
        bytes: text.as_bytes(),
        b: &mut b,
        depth: 0,
    };
    s.code(0, false);
    b.finish()
}

struct Scanner<'a, 'b> {
    text: &'a str,
    bytes: &'a [u8],
    b: &'b mut SpanBuilder,
    /// JSX elements open around the scanning point.
    depth: usize,
}

impl Scanner<'_, '_> {
    /// Scans code from `pos`; with `in_braces`, stops after the `}` that closes the
    /// expression it is in (a JSX `{...}`), and returns the offset after it.
    fn code(&mut self, mut pos: usize, in_braces: bool) -> usize {
        let (text, bytes) = (self.text, self.bytes);
        // The last significant byte of code, to tell a regex literal or a JSX element from
        // a division or a comparison.
        let mut last = b'(';
        let mut depth = 0usize;
        while pos < bytes.len() {
            let c = bytes[pos];
            if text[pos..].starts_with("//") {
                let end = text[pos..].find('\n').map_or(bytes.len(), |i| pos + i);
                self.b.region(pos..end, Context::Comment);
                pos = end;
            } else if text[pos..].starts_with("/*") {
                let end = text[pos + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |i| pos + 2 + i + 2);
                self.b.region(pos..end, Context::Comment);
                pos = end;
            } else if c == b'/' && expects_operand(last) {
                let end = regex_end(bytes, pos);
                self.b.region(pos..end, Context::JsCode);
                last = b'x';
                pos = end;
            } else if c == b'<'
                && (expects_operand(last) || text[..pos].trim_end().ends_with("return"))
                && starts_tag(bytes, pos + 1)
            {
                pos = self.element(pos);
                last = b'x';
            } else if matches!(c, b'"' | b'\'' | b'`') {
                let Some(close) = string_end(bytes, pos) else {
                    self.b.region(pos..bytes.len(), Context::JsCode);
                    return bytes.len();
                };
                string(self.b, text, pos + 1, close);
                last = b'x';
                pos = close + 1;
            } else {
                // A whole character: the next turn slices the text at `pos`.
                let len = text[pos..].chars().next().map_or(1, char::len_utf8);
                self.b.region(pos..pos + len, Context::JsCode);
                pos += len;
                match c {
                    b'{' => depth += 1,
                    b'}' if depth == 0 && in_braces => return pos,
                    b'}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                if !c.is_ascii_whitespace() {
                    last = c;
                }
            }
        }
        pos
    }

    /// Scans a JSX element opening at `start` (`<`), children included; returns the offset
    /// after its closing tag (or after a self-closing tag). Past [`MAX_ELEMENT_DEPTH`], the
    /// rest of the file is code.
    fn element(&mut self, start: usize) -> usize {
        if self.depth >= MAX_ELEMENT_DEPTH {
            self.b.region(start..self.bytes.len(), Context::JsCode);
            return self.bytes.len();
        }
        self.depth += 1;
        let end = self.element_within(start);
        self.depth -= 1;
        end
    }

    /// [`Scanner::element`] below the depth check.
    fn element_within(&mut self, start: usize) -> usize {
        let (end, self_closing) = self.tag(start);
        if self_closing {
            return end;
        }
        let mut pos = end;
        while pos < self.bytes.len() {
            match self.bytes[pos] {
                b'<' if self.bytes.get(pos + 1) == Some(&b'/') => return self.tag(pos).0,
                b'<' if starts_tag(self.bytes, pos + 1) => pos = self.element(pos),
                b'{' => {
                    self.b.region(pos..pos + 1, Context::JsCode);
                    pos = self.code(pos + 1, true);
                }
                _ => {
                    let stop = (pos + 1..self.bytes.len())
                        .find(|&i| matches!(self.bytes[i], b'<' | b'{'))
                        .unwrap_or(self.bytes.len());
                    prose(self.b, self.text, pos..stop);
                    pos = stop;
                }
            }
        }
        pos
    }

    /// Scans one tag from `start` (`<`) to its `>`: the tag is markup, quoted attribute
    /// values are [`Context::HtmlAttribute`], `{...}` attribute values are code. Returns the
    /// offset after `>` and whether the tag closes itself (`/>`) or is a closing tag.
    fn tag(&mut self, start: usize) -> (usize, bool) {
        let closing = self.bytes.get(start + 1) == Some(&b'/');
        let mut pos = start + 1;
        while pos < self.bytes.len() {
            match self.bytes[pos] {
                b'>' => {
                    self.b.region(pos..pos + 1, Context::Html);
                    let self_closing = closing || self.bytes[pos - 1] == b'/';
                    return (pos + 1, self_closing);
                }
                q @ (b'"' | b'\'') => {
                    let (close, after) = match string_end(self.bytes, pos) {
                        Some(close) => (close, close + 1),
                        // Unclosed: the value runs to the end of the text, and its last
                        // character, whole (spans never split a character), stands for the
                        // closing quote.
                        None => {
                            let last = self.text.char_indices().next_back().map_or(0, |(i, _)| i);
                            (last, self.bytes.len())
                        }
                    };
                    self.b.region(pos..pos + 1, Context::Html);
                    self.b.region(pos + 1..close, Context::HtmlAttribute);
                    self.b.region(close..after, Context::Html);
                    debug_assert!(self.bytes[close] == q || after == self.bytes.len());
                    pos = after;
                }
                b'{' => {
                    self.b.region(pos..pos + 1, Context::JsCode);
                    pos = self.code(pos + 1, true);
                }
                _ => {
                    self.b.region(pos..pos + 1, Context::Html);
                    pos += 1;
                }
            }
        }
        self.b.region(start..start + 1, Context::Html);
        (self.bytes.len(), true)
    }
}

/// Whether code ending in `last` expects an operand next (so `/` opens a regex literal and
/// `<` a JSX element).
fn expects_operand(last: u8) -> bool {
    matches!(
        last,
        b'(' | b',' | b'=' | b':' | b'[' | b'!' | b'&' | b'|' | b'?' | b'{' | b'}' | b';' | b'>'
    )
}

/// Whether a JSX tag can start at `i` (after `<`): a letter or `>` (a fragment).
fn starts_tag(bytes: &[u8], i: usize) -> bool {
    bytes
        .get(i)
        .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'>')
}

/// Classifies the content `start..end` of a string literal.
fn string(b: &mut SpanBuilder, text: &str, start: usize, end: usize) {
    let value = &text[start..end];
    let after = text[end + 1..].trim_start();
    let is_key = after.starts_with(':') && !after.starts_with("::");
    let context = if is_key || value.contains("${") {
        Context::JsCode
    } else if is_url(value) {
        Context::Url
    } else if !value.is_empty() && !value.contains(char::is_whitespace) && value.contains(['/', '.', '@']) {
        Context::LinkTarget
    } else {
        Context::Prose
    };
    if context == Context::Prose {
        prose(b, text, start..end);
    } else {
        b.region(start..end, context);
    }
}

/// The end of a regex literal opening at `open`: after the closing `/` and its flags.
fn regex_end(bytes: &[u8], open: usize) -> usize {
    let mut i = open + 1;
    let mut class = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => class = true,
            b']' => class = false,
            b'/' if !class => {
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                return i;
            }
            b'\n' => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The offset after the `}` that closes the `{` at `open`, JavaScript strings (`'…'`, `"…"`,
/// `` `…` `` with their escapes) and comments (`// …`, `/* … */`) skipped; `None` when it is
/// never closed. MDX 3's `{…}` expressions and Docusaurus's config objects are read with it.
pub(crate) fn braced_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(text: &str) -> Vec<(String, Context)> {
        scan(text)
            .into_iter()
            .filter(|s| !matches!(s.context, Context::JsCode | Context::Markup | Context::Html))
            .map(|s| (text[s.range].to_string(), s.context))
            .filter(|(t, _)| !t.trim().is_empty())
            .collect()
    }

    #[test]
    fn config_strings() {
        let text = r#"const config = {
  title: "Harvester",
  url: "https://docs.harvesterhci.io",
  organizationName: "harvester", // the GitHub org
  sidebarPath: require.resolve("./sidebars.js"),
  "v1.6": { label: 'v1.6 (Latest)' },
  alt: `Harvester Logo`,
};"#;
        assert_eq!(
            classify(text),
            vec![
                ("Harvester".into(), Context::Prose),
                ("https://docs.harvesterhci.io".into(), Context::Url),
                ("harvester".into(), Context::Prose),
                ("// the GitHub org".into(), Context::Comment),
                ("./sidebars.js".into(), Context::LinkTarget),
                ("v1.6 (Latest)".into(), Context::Prose),
                ("Harvester Logo".into(), Context::Prose),
            ]
        );
    }

    #[test]
    fn jsx_text_is_prose_and_attributes_are_not() {
        let text = r#"function B({siteTitle}) {
  return (
    <Translate id="theme.docs.Harvester" values={{ siteTitle: <b>Harvester</b>, url: <a href={url}>SUSE</a> }}>
      {'This is {siteTitle} docs.'}
    </Translate>
  );
}"#;
        assert_eq!(
            classify(text),
            vec![
                ("theme.docs.Harvester".into(), Context::HtmlAttribute),
                ("Harvester".into(), Context::Prose),
                ("SUSE".into(), Context::Prose),
                ("This is {siteTitle} docs.".into(), Context::Prose),
            ]
        );
    }

    #[test]
    fn comparisons_are_not_jsx() {
        let got = classify("if (a < b && c > d) { x = 'Harvester'; }");
        assert_eq!(got, vec![("Harvester".into(), Context::Prose)]);
    }

    /// Nesting past the limit neither recurses further nor loses a byte: the spans still
    /// tile the file, prose stays prose up to the limit, and the rest is code. Run on a
    /// thread with a small stack, as rayon's workers have, at a depth that overflowed it.
    #[test]
    fn deeply_nested_jsx_is_code_past_the_limit() {
        let depth = 50_000;
        let text = format!(
            "const a = <p>Harvester</p>;\nconst x = {}Harvester{};\n",
            "<a>{".repeat(depth),
            "}</a>".repeat(depth)
        );
        let spans = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn({
                let text = text.clone();
                move || scan(&text)
            })
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert!(super::super::is_tiling(&spans, text.len()));
        let prose: Vec<&str> = spans
            .iter()
            .filter(|s| s.context == Context::Prose)
            .map(|s| &text[s.range.clone()])
            .collect();
        assert_eq!(
            prose,
            vec!["Harvester"],
            "the first element is scanned, the deep one is code"
        );
        let last = spans.last().unwrap();
        assert_eq!(last.context, Context::JsCode);
        let cut = text.find("<a>{").unwrap() + "<a>{".len() * MAX_ELEMENT_DEPTH;
        assert!(last.range.start <= cut, "{:?}", last.range);
    }

    #[test]
    fn regex_literals_are_code() {
        let got = classify("const re = /Harvester\\/x/g; const s = 'Harvester';");
        assert_eq!(got, vec![("Harvester".into(), Context::Prose)]);
    }

    /// Found by `tests/it/properties.rs`: code was stepped through a byte at a time and the text
    /// sliced at the next byte, so a non-ASCII character outside a string panicked; an
    /// unclosed attribute's last byte stood for its closing quote even inside a character.
    #[test]
    fn non_ascii_characters_are_stepped_over_whole() {
        for text in [
            "𐞀",
            "const café = \"Harvester\";",
            "x = <a title=\"é",
            "return <a title='集群",
        ] {
            let spans = scan(text);
            assert!(super::super::is_tiling(&spans, text.len()), "{text}: {spans:?}");
            assert!(
                spans.iter().all(|s| text.is_char_boundary(s.range.start)),
                "{text}: {spans:?}"
            );
        }
        assert_eq!(
            classify("const café = \"Harvester\";"),
            vec![("Harvester".into(), Context::Prose)]
        );
    }
}
