//! Hugo shortcode calls in a page's Markdown: `{{< name params >}}`, `{{% name params %}}`,
//! their closing calls `{{< /name >}}` and comments `{{</* … */>}}`.
//!
//! Hugo expands a call before Goldmark reads the page, so a call is no Markdown: its name and
//! parameters are arguments of a template (`{{< ref "Longhorn-Guide.md" >}}` names a page,
//! `{{< figure src="/img/Longhorn-UI.png" >}}` a file) and a changed argument breaks the build
//! (`REF_NOT_FOUND`) or the page. So every call is protected ([`Context::Shortcode`]), except
//! the parameter values a [`ShortcodeParams`] names as prose (a `figure`'s `caption`, `alt` and
//! `title`): the text inside their quotes is prose. The content between a call and its closing
//! call stays Markdown as Hugo renders it (`{{% %}}`) or passes it to the template (`{{< >}}`,
//! which templates render with `markdownify`), except `highlight`'s, which is code.
//!
//! The call syntax is Hugo's page lexer (`parser/pageparser/pagelexer_shortcode.go`): the
//! delimiters, an optional `/` (closing), the name (letters, digits, `_`, `-`, `.`, `/`), then
//! either positional or named (`key=value`) parameters, each a `"quoted"` string (with `\"`
//! escapes), a `` `raw` `` string or a bare word; `/>}}` closes a self-closing call.

use std::ops::Range;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use super::{prose_over, Context, NamedParams, SpanBuilder};

/// The shortcode parameters whose values are prose, as `shortcode.parameter` globs (see
/// [`NamedParams`]): `figure.caption`, `*.title`, `details.summary`, positional `notice.1`.
pub type ShortcodeParams = NamedParams;

/// How a shortcode parameter pattern is written, for the rule file's errors.
pub const FORM: &str = "shortcode.parameter";

/// Hugo's built-in shortcodes' prose parameters, and the common ones of themes (the
/// `figure`'s alt text, title and caption; a `details` summary; a video's title).
pub const DEFAULT_PROSE: &[&str] = &[
    "figure.alt",
    "figure.title",
    "figure.caption",
    "figure.attr",
    "details.summary",
    "youtube.title",
    "vimeo.title",
];

/// One shortcode call found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Call {
    /// From `{{` to `}}`.
    range: Range<usize>,
    /// The shortcode's name (`figure`), empty for a comment.
    name: String,
    /// A closing call (`{{< /highlight >}}`).
    closing: bool,
    /// The ranges of the values of the parameters chosen (the prose ones, for the scan):
    /// inside the quotes.
    chosen: Vec<Range<usize>>,
}

/// Classifies the shortcode calls in `range` of `text`, a page's Markdown body: each call is
/// protected but for its prose parameter values, and a `highlight` call's content is code.
/// Calls that start inside one of `code` (code blocks and code spans, sorted) are left to the
/// code: Hugo expands them there too, and they stay code. Each call's ends and each prose
/// value's ends go to `breaks`.
pub(super) fn scan(
    b: &mut SpanBuilder,
    breaks: &mut Vec<usize>,
    text: &str,
    range: Range<usize>,
    code: &[Range<usize>],
    params: &ShortcodeParams,
) {
    static OPEN: LazyLock<Finder> = LazyLock::new(|| Finder::new("{{"));
    let in_code = |at: usize| {
        let i = code.partition_point(|c| c.end <= at);
        code.get(i).is_some_and(|c| c.start <= at)
    };
    let mut highlight: Option<usize> = None;
    let mut pos = range.start;
    while let Some(found) = OPEN.find(&text.as_bytes()[pos..range.end]) {
        let start = pos + found;
        let Some(call) = call_at(text, start, range.end, params) else {
            pos = start + 2;
            continue;
        };
        pos = call.range.end;
        if in_code(start) {
            continue;
        }
        breaks.extend([call.range.start, call.range.end]);
        let mut at = call.range.start;
        for value in &call.chosen {
            b.protect(at..value.start, Context::Shortcode);
            prose_over(b, text, value.clone());
            breaks.extend([value.start, value.end]);
            at = value.end;
        }
        b.protect(at..call.range.end, Context::Shortcode);
        match (call.name.as_str(), call.closing, highlight) {
            ("highlight", false, _) => highlight = Some(call.range.end),
            ("highlight", true, Some(content)) => {
                b.protect(content..call.range.start, Context::Code);
                highlight = None;
            }
            _ => {}
        }
    }
}

/// The pages the `ref` and `relref` calls of `text[range]` (a Hugo page's body) name: the byte
/// range of each call's path argument (its first positional parameter, or `path=`), inside
/// its quotes, in text order. Calls in code count: Hugo expands them there too. A path
/// written with escapes is left out (its text is not its value).
pub fn page_references(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    static OPEN: LazyLock<Finder> = LazyLock::new(|| Finder::new("{{"));
    static PATH: LazyLock<ShortcodeParams> =
        LazyLock::new(|| ShortcodeParams::new(&["{ref,relref}.0", "{ref,relref}.path"].map(String::from)));
    let mut found = Vec::new();
    let mut pos = range.start;
    while let Some(at) = OPEN.find(&text.as_bytes()[pos..range.end]) {
        let start = pos + at;
        match call_at(text, start, range.end, &PATH) {
            Some(call) => {
                pos = call.range.end;
                found.extend(call.chosen);
            }
            None => pos = start + 2,
        }
    }
    found
}

/// The call that starts at `start` (on `{{`), if the text there is one, ending before `end`.
fn call_at(text: &str, start: usize, end: usize, params: &ShortcodeParams) -> Option<Call> {
    let bytes = &text.as_bytes()[..end];
    let delim = *bytes.get(start + 2)?;
    let close: &[u8] = match delim {
        b'<' => b">}}",
        b'%' => b"%}}",
        _ => return None,
    };
    let mut i = skip_space(bytes, start + 3);
    // A comment, `{{</* figure src="x" */>}}`: Hugo writes the call out as text.
    if bytes[i..].starts_with(b"/*") {
        let stop = Finder::new(b"*/").find(&bytes[i..])? + i + 2;
        let stop = skip_space(bytes, stop);
        return bytes[stop..].starts_with(close).then(|| Call {
            range: start..stop + close.len(),
            name: String::new(),
            closing: false,
            chosen: Vec::new(),
        });
    }
    let closing = bytes.get(i) == Some(&b'/');
    if closing {
        i = skip_space(bytes, i + 1);
    }
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || b"_-./".contains(&bytes[i])) {
        i += 1;
    }
    if i == name_start {
        return None;
    }
    let name = text[name_start..i].trim_end_matches('/').to_string();
    let mut chosen = Vec::new();
    let mut position = 0usize;
    loop {
        i = skip_space(bytes, i);
        if bytes[i..].starts_with(close) {
            return Some(Call {
                range: start..i + close.len(),
                name,
                closing,
                chosen,
            });
        }
        // A self-closing call: `{{< x />}}`.
        if bytes[i..].starts_with(b"/") && bytes[i + 1..].starts_with(close) {
            i += 1;
            continue;
        }
        if i >= bytes.len() || bytes[i..].starts_with(b"}}") || bytes[i..].starts_with(b"{{") {
            return None;
        }
        // A named parameter's key, up to `=`.
        let word_end = word_end(bytes, i, close);
        let (param, value_start) = if bytes.get(word_end) == Some(&b'=') && !matches!(bytes[i], b'"' | b'`') {
            (text[i..word_end].to_string(), word_end + 1)
        } else {
            position += 1;
            ((position - 1).to_string(), i)
        };
        let (value, next) = value_at(bytes, value_start, close)?;
        if let Some(value) = value.filter(|_| params.contains(&name, &param)) {
            chosen.push(value);
        }
        i = next;
    }
}

/// The byte after the white space from `i`.
fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// The end of a bare word from `i`: white space, `=`, or the closing delimiter.
fn word_end(bytes: &[u8], mut i: usize, close: &[u8]) -> usize {
    while i < bytes.len()
        && !bytes[i].is_ascii_whitespace()
        && bytes[i] != b'='
        && !bytes[i..].starts_with(close)
        && !(bytes[i] == b'/' && bytes[i + 1..].starts_with(close))
    {
        i += 1;
    }
    i
}

/// A parameter value from `i`: where its text is its value (inside the quotes of a quoted
/// string without escapes, a raw string, a bare word), if it is, and where the value ends.
/// `None` when the value is never closed (no call).
fn value_at(bytes: &[u8], i: usize, close: &[u8]) -> Option<(Option<Range<usize>>, usize)> {
    match bytes.get(i)? {
        b'"' => {
            let mut j = i + 1;
            let mut escaped = false;
            while j < bytes.len() && bytes[j] != b'"' {
                if bytes[j] == b'\\' {
                    escaped = true;
                    j += 1;
                }
                j += 1;
            }
            (j < bytes.len()).then(|| ((!escaped).then_some(i + 1..j), j + 1))
        }
        b'`' => {
            let j = i + 1 + bytes[i + 1..].iter().position(|&c| c == b'`')?;
            Some((Some(i + 1..j), j + 1))
        }
        _ => {
            let j = word_end(bytes, i, close);
            Some(((j > i).then_some(i..j), j))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(text: &str, patterns: &[&str]) -> Vec<Call> {
        let params = ShortcodeParams::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>());
        let mut out = Vec::new();
        let mut pos = 0;
        while let Some(found) = text[pos..].find("{{") {
            match call_at(text, pos + found, text.len(), &params) {
                Some(call) => {
                    pos = call.range.end;
                    out.push(call);
                }
                None => pos += found + 2,
            }
        }
        out
    }

    fn prose_of(text: &str, patterns: &[&str]) -> Vec<String> {
        calls(text, patterns)
            .iter()
            .flat_map(|c| c.chosen.iter().map(|r| text[r.clone()].to_string()))
            .collect()
    }

    #[test]
    fn a_figure_s_caption_and_alt_are_prose_its_src_is_not() {
        let text =
            r#"{{< figure src="/img/Longhorn-UI.png" alt="The Longhorn UI" caption="Longhorn volumes" >}}"#;
        assert_eq!(
            prose_of(text, DEFAULT_PROSE),
            ["The Longhorn UI", "Longhorn volumes"]
        );
        let call = &calls(text, DEFAULT_PROSE)[0];
        assert_eq!(call.range, 0..text.len());
        assert_eq!(call.name, "figure");
    }

    #[test]
    fn ref_arguments_and_unknown_shortcodes_are_never_prose() {
        let text = r#"See [the guide]({{< ref "Longhorn-Guide.md" >}}) and {{< relref "docs/Longhorn" >}}, {{< current-version >}} {{% notice note "Longhorn" %}}"#;
        let found = calls(text, DEFAULT_PROSE);
        assert_eq!(
            found.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
            ["ref", "relref", "current-version", "notice"]
        );
        assert!(found.iter().all(|c| c.chosen.is_empty()));
    }

    #[test]
    fn positional_and_glob_patterns_choose_parameters() {
        let text = r#"{{% notice note "About Longhorn" %}} {{< tab name="Longhorn UI" id=longhorn >}}"#;
        assert_eq!(
            prose_of(text, &["notice.1", "*.name"]),
            ["About Longhorn", "Longhorn UI"]
        );
    }

    #[test]
    fn closing_comment_escaped_and_multi_line_calls() {
        let text = "{{< /highlight >}} {{</* figure caption=\"Longhorn\" */>}} {{< figure\n  src=\"a.png\"\n  caption=\"Longhorn \\\"UI\\\"\"\n  title=`Longhorn raw` />}}";
        let found = calls(text, DEFAULT_PROSE);
        assert_eq!(found.len(), 3);
        assert!(found[0].closing && found[0].name == "highlight");
        assert!(found[1].name.is_empty() && found[1].chosen.is_empty());
        // A caption with escapes is kept as it is; the raw title is prose.
        assert_eq!(prose_of(text, DEFAULT_PROSE), ["Longhorn raw"]);
        assert!(text[found[2].range.clone()].ends_with("/>}}"));
    }

    #[test]
    fn text_that_is_no_call_is_left_alone() {
        assert!(calls("{{ .Title }} {{<}} {{< x", DEFAULT_PROSE).is_empty());
        assert!(calls(r#"{{< figure caption="never closed >}}"#, DEFAULT_PROSE).is_empty());
    }

    #[test]
    fn a_pattern_without_a_parameter_is_refused() {
        assert!(ShortcodeParams::check("figure", FORM).is_err());
        assert!(ShortcodeParams::check("figure.{caption", FORM).is_err());
        assert!(ShortcodeParams::check("docs/note.title", FORM).is_ok());
    }
}
