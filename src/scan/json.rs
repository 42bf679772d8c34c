//! JSON: string values under prose key paths (`label`, `description`, `message` anywhere)
//! are prose; keys and every other value are protected.
//!
//! A string's key path ([`KeyPaths`]) is the object keys from the root, as written between
//! their quotes, joined by `.`; an array adds no segment, so an item of `"message": [...]` is
//! at `message` and `{"sidebar": {"label": "..."}}` at `sidebar.label`. `json_prose_keys`
//! are read with [`KeyPaths::anywhere`]: a bare name (`label`) is the key at any depth
//! (`**.label`), as the names meant before key paths.
//!
//! A small tokenizer rather than serde_json, because rewriting needs each string's byte
//! offsets in the original text (RFC 8259 section 7 for the string grammar).

use super::{is_url, prose, Context, KeyPaths, Span, SpanBuilder};

/// Scans a JSON file. Text that is not valid JSON is classified as far as it goes; the rest
/// is markup.
pub(super) fn scan(text: &str, prose_paths: &KeyPaths) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut b = SpanBuilder::new(text.len());
    // The key path of the innermost open container, and per open container: is it an
    // object, and did it add a key to `path` (a container that is an object's value does).
    let mut path: Vec<String> = Vec::new();
    let mut stack: Vec<(bool, bool)> = Vec::new();
    let mut expect_key = false;
    // The key of the current object whose value comes next.
    let mut key: Option<String> = None;
    let mut pos = 0;
    while pos < bytes.len() {
        match bytes[pos] {
            c @ (b'{' | b'[') => {
                // An object's value without a key (invalid JSON) is at the object's path.
                let pushed = stack.last().is_some_and(|s| s.0) && key.is_some();
                if pushed {
                    path.extend(key.take());
                }
                stack.push((c == b'{', pushed));
                expect_key = c == b'{';
                key = None;
                pos += 1;
            }
            b'}' | b']' => {
                if stack.pop().is_some_and(|(_, pushed)| pushed) {
                    path.pop();
                }
                key = None;
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
                    key = Some(text[content].to_string());
                    expect_key = false;
                } else {
                    let is_prose = match (stack.last(), &key) {
                        // An object's value: at its key.
                        (Some((true, _)), Some(k)) if prose_paths.may_end_with(k) => {
                            path.push(k.clone());
                            let is_prose = prose_paths.value_is_prose_for(&path, &text[content.clone()]);
                            path.pop();
                            is_prose
                        }
                        (Some((true, _)), _) => false,
                        // An array's item, or the document: at the container's path.
                        _ => prose_paths.value_is_prose_for(&path, &text[content.clone()]),
                    };
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
        let keys = KeyPaths::anywhere(&["label", "message", "description"].map(String::from));
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

    /// `_category_.json` and a sidebar of the Harvester docs, cut down: a bare name is the key
    /// at any depth; a path names one place.
    #[test]
    fn key_paths_name_one_place_and_bare_names_any_depth() {
        let text = r#"{"label": "Harvester Basics", "link": {"type": "generated-index", "description": "Harvester basics"}, "customProps": {"label": "Harvester hidden"}}"#;
        let prose = |patterns: &[&str]| -> Vec<String> {
            let keys = KeyPaths::anywhere(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>());
            scan(text, &keys)
                .into_iter()
                .filter(|s| s.context == Context::Prose)
                .map(|s| text[s.range].to_string())
                .collect()
        };
        assert_eq!(
            prose(&["label", "description"]),
            ["Harvester Basics", "Harvester basics", "Harvester hidden"]
        );
        assert_eq!(prose(&["link.description"]), ["Harvester basics"]);
        assert_eq!(prose(&["*.label"]), ["Harvester hidden"]);
        assert_eq!(prose(&["**.label"]), ["Harvester Basics", "Harvester hidden"]);
    }
}
