//! Classify + rewrite arbitrary text with the shipped rules and assert the invariants: the
//! spans tile the text and split no character; the edits are sorted, disjoint and on
//! character boundaries; every substitution edit lies inside one span whose context its
//! rule allows; and a second rewrite of the output changes nothing, but for the known gap of
//! a second-run match that joins a first-run replacement with the text next to it (see
//! `composition_across_a_replacement_is_rewritten_again` in `tests/it/properties.rs`).
//!
//! The first byte picks the file kind; the rest is the text (inputs that are not UTF-8 are
//! skipped).

#![no_main]

use std::ops::Range;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rebrand::rewrite::{Cause, Engine};
use rebrand::rules::RuleSet;
use rebrand::scan::{self, is_tiling, span_at, Context, FileKind};

const KINDS: [FileKind; 4] = [
    FileKind::Markdown,
    FileKind::Json,
    FileKind::JavaScript,
    FileKind::Plain,
];

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        // The brand rules: the product's substitutions and exceptions, no site tables.
        let source = include_str!("../../rules/nqrust-hypervisor/brand.toml");
        let rules = RuleSet::parse(std::path::Path::new("brand.toml"), source)
            .expect("the shipped rules load");
        Engine::new(rules).expect("the shipped rules are idempotent")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let kind = KINDS[usize::from(first) % KINDS.len()];
    let engine = engine();
    let keys = &engine.rules().files.reading;

    let spans = scan::scan(kind, text, keys).spans;
    assert!(is_tiling(&spans, text.len()), "spans do not tile the text");
    assert!(
        spans.iter().all(|s| text.is_char_boundary(s.range.start)),
        "a span splits a character"
    );

    let rewrite = engine.rewrite(kind, text, &engine.all_active());
    let mut end = 0;
    let mut shift = 0isize;
    let mut replaced: Vec<Range<usize>> = Vec::new();
    for e in &rewrite.edits {
        assert!(e.range.start >= end, "edits overlap or are unsorted");
        assert!(text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end));
        end = e.range.end;
        let at = (e.range.start as isize + shift) as usize;
        replaced.push(at..at + e.replacement.len());
        shift += e.replacement.len() as isize - e.range.len() as isize;
        if let Cause::Substitution(i) = e.cause {
            let rule = &engine.rules().substitutions[i];
            let span = &spans[span_at(&spans, e.range.start).expect("an edit starts inside the text")];
            assert!(span.range.end >= e.range.end, "an edit crosses spans");
            let url_valued = rule.contexts.contains(Context::Url)
                && matches!(span.context, Context::LinkTarget | Context::HtmlAttribute);
            assert!(
                rule.contexts.contains(span.context) || url_valued,
                "rule `{}` edited {} text",
                rule.id,
                span.context
            );
        }
    }
    let out = rewrite.apply(text);
    let joins = |r: &Range<usize>| {
        replaced
            .iter()
            .any(|p| r.start <= p.end && p.start <= r.end && (r.start < p.start || r.end > p.end))
    };
    let again = engine.rewrite(kind, &out, &engine.all_active());
    assert!(
        again.edits.iter().all(|e| joins(&e.range)),
        "a second rewrite changed the output"
    );
});
