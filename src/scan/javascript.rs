//! JavaScript site configuration (`docusaurus.config.js`, `sidebars.js`): string literals
//! are prose, unless they are object keys, URLs or paths; all code and comments are
//! protected.

use super::json::string_end;
use super::{is_url, prose, Context, Span, SpanBuilder};

/// Scans a JavaScript file.
pub(super) fn scan(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut b = SpanBuilder::new(text.len());
    let mut pos = 0;
    // The last significant byte of code, to tell a regex literal from a division.
    let mut last = b'(';
    while pos < bytes.len() {
        let c = bytes[pos];
        if text[pos..].starts_with("//") {
            let end = text[pos..].find('\n').map_or(bytes.len(), |i| pos + i);
            b.region(pos..end, Context::Comment);
            pos = end;
        } else if text[pos..].starts_with("/*") {
            let end = text[pos + 2..]
                .find("*/")
                .map_or(bytes.len(), |i| pos + 2 + i + 2);
            b.region(pos..end, Context::Comment);
            pos = end;
        } else if c == b'/'
            && matches!(
                last,
                b'(' | b',' | b'=' | b':' | b'[' | b'!' | b'&' | b'|' | b'?' | b'{' | b'}' | b';'
            )
        {
            let end = regex_end(bytes, pos);
            b.region(pos..end, Context::JsCode);
            last = b'x';
            pos = end;
        } else if matches!(c, b'"' | b'\'' | b'`') {
            let Some(close) = string_end(bytes, pos) else {
                b.region(pos..bytes.len(), Context::JsCode);
                break;
            };
            string(&mut b, text, pos + 1, close);
            last = b'x';
            pos = close + 1;
        } else {
            if !c.is_ascii_whitespace() {
                last = c;
            }
            b.region(pos..pos + 1, Context::JsCode);
            pos += 1;
        }
    }
    b.finish()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(text: &str) -> Vec<(String, Context)> {
        scan(text)
            .into_iter()
            .filter(|s| !matches!(s.context, Context::JsCode | Context::Markup))
            .map(|s| (text[s.range].to_string(), s.context))
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
    fn regex_literals_are_code() {
        let got = classify("const re = /Harvester\\/x/g; const s = 'Harvester';");
        assert_eq!(got, vec![("Harvester".into(), Context::Prose)]);
    }
}
