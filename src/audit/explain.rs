//! `rebrand explain`: why each word of a file or line came out as it did: the spans the
//! scanner found with their contexts, and for every brand mention whether it was rewritten
//! and by which rule, or kept and by which exception or check.

use std::fmt::Write as _;

use super::{locate, verdict};
use crate::rewrite::Engine;
use crate::scan::{scan, FileKind};

/// The explanation of `text`, the file at relative path `path` read as `kind`, as the
/// human format prints it ([`Explanation::render`]): every span (on `line` only, when given;
/// 1-based) with its context and text, then every brand mention with its verdict. A `line`
/// outside the text explains nothing: the caller checks it against [`line_count`].
pub fn explain(engine: &Engine, path: &str, kind: FileKind, text: &str, line: Option<usize>) -> String {
    explanation(engine, path, kind, text, line).render()
}

/// What `explain` says of a file (or one line of it): what every format prints.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Explanation {
    /// The file, relative to its tree, `/`-separated.
    pub path: String,
    /// The 1-based line explained; `None` for the whole file.
    pub line: Option<usize>,
    /// The file kind it is read as (`markdown`, `asciidoc`, ...).
    pub kind: &'static str,
    /// Every span shown, in text order (blank-line spans left out).
    pub spans: Vec<ExplainedSpan>,
    /// Every brand mention shown, in text order.
    pub mentions: Vec<ExplainedMention>,
}

/// One span of an [`Explanation`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExplainedSpan {
    /// 1-based line of its first byte.
    pub line: usize,
    /// 1-based column (in characters) of its first byte.
    pub column: usize,
    /// Its context's name (`prose`, `inline_code`, ...).
    pub context: &'static str,
    /// Its whole text.
    pub text: String,
}

/// One brand mention of an [`Explanation`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExplainedMention {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The mention as written.
    pub text: String,
    /// The context of the span it is in.
    pub context: &'static str,
    /// What the rules do with it: the rule that rewrote it, or the exception or check that
    /// kept it ([`verdict`]).
    pub verdict: String,
}

/// The [`Explanation`] of `text` (see [`explain`]).
pub fn explanation(
    engine: &Engine,
    path: &str,
    kind: FileKind,
    text: &str,
    line: Option<usize>,
) -> Explanation {
    let active = engine.active(path);
    let scanned = scan(kind, text, &engine.reading(&active));
    let edits = engine.edits(text, &scanned.spans, &active);
    let mentions = engine.mentions(text, &scanned.spans, &active, &edits);
    let on_line = |offset: usize| line.is_none_or(|l| locate(text, offset).0 == l);
    let mut spans = Vec::new();
    for span in &scanned.spans {
        // A span shows on a line when any of its bytes is on it.
        let shown = match line {
            None => true,
            Some(l) => {
                let (first, _, _) = locate(text, span.range.start);
                // The last character's first byte: `end - 1` can fall inside a multi-byte
                // character (`…`), where a `str` cannot be sliced.
                let last_char = text[span.range.clone()]
                    .char_indices()
                    .next_back()
                    .map_or(span.range.start, |(i, _)| span.range.start + i);
                let (last, _, _) = locate(text, last_char);
                first <= l && l <= last
            }
        };
        let blank_lines =
            text[span.range.clone()].trim().is_empty() && text[span.range.clone()].contains('\n');
        if !shown || span.range.is_empty() || blank_lines {
            continue;
        }
        let (l, c, _) = locate(text, span.range.start);
        spans.push(ExplainedSpan {
            line: l,
            column: c,
            context: span.context.name(),
            text: text[span.range.clone()].to_string(),
        });
    }
    let mentions = mentions
        .iter()
        .filter(|m| on_line(m.range.start))
        .map(|m| {
            let (l, c, _) = locate(text, m.range.start);
            ExplainedMention {
                line: l,
                column: c,
                text: text[m.range.clone()].to_string(),
                context: m.context.name(),
                verdict: verdict(engine, m),
            }
        })
        .collect();
    Explanation {
        path: path.to_string(),
        line,
        kind: kind.name(),
        spans,
        mentions,
    }
}

impl Explanation {
    /// The explanation for a terminal: the file and how it is read, the spans (each one's
    /// text cut at 60 characters), the brand mentions (`none` when there are none).
    pub fn render(&self) -> String {
        let mut out = String::new();
        let place = self.line.map_or(String::new(), |l| format!(":{l}"));
        let _ = writeln!(out, "{}{place} (read as {})", self.path, self.kind);
        let _ = writeln!(out, "spans:");
        for span in &self.spans {
            let shown_text: String = span.text.chars().take(60).collect();
            let more = if span.text.chars().count() > 60 { "…" } else { "" };
            let _ = writeln!(
                out,
                "  {}:{:<5} {:<18} {:?}{more}",
                span.line, span.column, span.context, shown_text
            );
        }
        let _ = writeln!(out, "brand mentions:");
        for m in &self.mentions {
            let _ = writeln!(
                out,
                "  {}:{:<5} `{}` in {}: {}",
                m.line, m.column, m.text, m.context, m.verdict
            );
        }
        if self.mentions.is_empty() {
            let _ = writeln!(out, "  none");
        }
        out
    }
}

/// How many lines `text` has, as an editor numbers them: a final line break ends the last
/// line, it does not start another; an empty text has none.
pub fn line_count(text: &str) -> usize {
    text.lines().count()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::rules::RuleSet;

    #[test]
    fn a_line_is_explained_span_by_span_and_mention_by_mention() {
        let rules = RuleSet::parse(
            Path::new("t.toml"),
            "[[substitution]]\nid = \"brand\"\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n",
        )
        .unwrap();
        let engine = Engine::new(rules).unwrap();
        let text = "# Title\n\nInstall Harvester in `harvester-system`.\n";
        let got = explain(&engine, "docs/a.md", FileKind::Markdown, text, Some(3));
        assert_eq!(
            got,
            "docs/a.md:3 (read as markdown)\nspans:\n\
             \x20 3:1     prose              \"Install Harvester in \"\n\
             \x20 3:22    markup             \"`\"\n\
             \x20 3:23    inline_code        \"harvester-system\"\n\
             \x20 3:39    markup             \"`\"\n\
             \x20 3:40    prose              \".\"\n\
             brand mentions:\n\
             \x20 3:9     `Harvester` in prose: rewritten by `brand` to `Hypervisor`\n\
             \x20 3:23    `harvester` in inline_code: kept: the case differs and rule `brand` is case-exact\n"
        );
    }

    #[test]
    fn a_span_ending_inside_a_multi_byte_character_is_shown_on_its_lines() {
        let rules = RuleSet::parse(
            Path::new("t.toml"),
            "[[substitution]]\nfrom = \"KubeVirt\"\nto = \"NQRust Virt\"\n",
        )
        .unwrap();
        let engine = Engine::new(rules).unwrap();
        // The prose span of line 1 ends with `…`, three bytes.
        let text = "KubeVirt text …\n\nnext\n";
        let got = explain(&engine, "a.md", FileKind::Markdown, text, Some(3));
        assert_eq!(
            got,
            "a.md:3 (read as markdown)\nspans:\n\
             \x20 3:1     prose              \"next\"\n\
             brand mentions:\n\
             \x20 none\n"
        );
        let got = explain(&engine, "a.md", FileKind::Markdown, text, Some(1));
        assert!(got.contains("`KubeVirt` in prose: rewritten by"), "{got}");
        assert_eq!(line_count(text), 3);
        assert_eq!(line_count(""), 0);
        assert_eq!(line_count("no line break"), 1);
    }
}
