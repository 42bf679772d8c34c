//! JSON: string values under prose keys (`label`, `description`, `message`) are prose; keys
//! and every other value are protected.
//!
//! A small tokenizer rather than serde_json, because rewriting needs each string's byte
//! offsets in the original text (RFC 8259 section 7 for the string grammar).

use super::{is_url, prose, Context, Span, SpanBuilder};

/// Scans a JSON file. Text that is not valid JSON is classified as far as it goes; the rest
/// is markup.
pub(super) fn scan(text: &str, prose_keys: &[String]) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut b = SpanBuilder::new(text.len());
    // Per open container: is it an object, and the key whose value it is (for arrays: the
    // key of the array itself).
    let mut stack: Vec<(bool, Option<(usize, usize)>)> = Vec::new();
    let mut expect_key = false;
    let mut key: Option<(usize, usize)> = None;
    let mut pos = 0;
    while pos < bytes.len() {
        match bytes[pos] {
            b'{' => {
                stack.push((true, key));
                expect_key = true;
                pos += 1;
            }
            b'[' => {
                stack.push((false, key));
                expect_key = false;
                pos += 1;
            }
            b'}' | b']' => {
                stack.pop();
                key = stack.last().and_then(|s| s.1);
                expect_key = false;
                pos += 1;
            }
            b',' => {
                expect_key = stack.last().is_some_and(|s| s.0);
                pos += 1;
            }
            b'"' => {
                let Some(close) = string_end(bytes, pos) else {
                    break;
                };
                let content = pos + 1..close;
                if expect_key {
                    b.region(content.clone(), Context::JsonKey);
                    key = Some((content.start, content.end));
                    expect_key = false;
                } else {
                    let in_object = stack.last().is_some_and(|s| s.0);
                    let owner = if in_object {
                        key
                    } else {
                        stack.last().and_then(|s| s.1)
                    };
                    let is_prose = owner.is_some_and(|(s, e)| prose_keys.iter().any(|k| k == &text[s..e]));
                    if is_url(&text[content.clone()]) {
                        b.region(content, Context::Url);
                    } else if is_prose {
                        prose(&mut b, text, content);
                    } else {
                        b.region(content, Context::JsonValue);
                    }
                }
                pos = close + 1;
            }
            _ => pos += 1,
        }
    }
    b.finish()
}

/// The offset of the quote closing the string that opens at `open`, if it is closed.
pub(super) fn string_end(bytes: &[u8], open: usize) -> Option<usize> {
    let quote = bytes[open];
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            c if c == quote => return Some(i),
            b'\n' if quote != b'`' => return None,
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(text: &str) -> Vec<(String, Context)> {
        let keys = [
            "label".to_string(),
            "message".to_string(),
            "description".to_string(),
        ];
        scan(text, &keys)
            .into_iter()
            .filter(|s| s.context != Context::Markup)
            .map(|s| (text[s.range].to_string(), s.context))
            .collect()
    }

    #[test]
    fn prose_keys_only() {
        let got = classify(
            r#"{"label": "Harvester \"ISO\"", "link": {"type": "doc", "id": "harvester"}, "x": ["Harvester"]}"#,
        );
        assert_eq!(
            got,
            vec![
                ("label".into(), Context::JsonKey),
                (r#"Harvester \"ISO\""#.into(), Context::Prose),
                ("link".into(), Context::JsonKey),
                ("type".into(), Context::JsonKey),
                ("doc".into(), Context::JsonValue),
                ("id".into(), Context::JsonKey),
                ("harvester".into(), Context::JsonValue),
                ("x".into(), Context::JsonKey),
                ("Harvester".into(), Context::JsonValue),
            ]
        );
    }

    #[test]
    fn arrays_under_prose_keys_are_prose_and_urls_are_urls() {
        let got = classify(r#"{"message": ["Harvester", "https://harvesterhci.io"]}"#);
        assert!(got.contains(&("Harvester".into(), Context::Prose)));
        assert!(got.contains(&("https://harvesterhci.io".into(), Context::Url)));
    }

    #[test]
    fn unterminated_string_stops_quietly() {
        let got = classify(r#"{"label": "Harvester"#);
        assert_eq!(got, vec![("label".into(), Context::JsonKey)]);
    }
}
