//! rebrand reads Markdown as Docusaurus does where that decides prose against code.
//!
//! `tests/fixtures/docusaurus-reading/harvester-8511089.tsv` lists every place of the
//! upstream Harvester docs where Docusaurus 2.4's own parser (MDX 1 with its admonitions,
//! run by `scripts/docusaurus-reading/reading.js`) and CommonMark's reading of code differ.
//! For each, the test shows which reading rebrand took and requires Docusaurus's. The corpus
//! test skips with a message when the corpus is absent; the snippet test always runs.

use std::path::Path;

use rebrand::scan::{scan, span_at, Context, FileKind, Reading};

use crate::common;

/// The context rebrand gives the first byte of `needle` on 1-based line `line` of `text`.
fn context_at(text: &str, line: usize, needle: &str) -> Context {
    let start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
    let line_text = text[start..].split('\n').next().unwrap();
    let at = start
        + line_text
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not on line {line}"));
    let spans = scan(FileKind::Markdown, text, &Reading::default()).spans;
    spans[span_at(&spans, at).unwrap()].context
}

/// The real shape, from `rancher/cloud-provider.md`: a `:::note` after a list item, its
/// body indented 4 spaces. CommonMark ends the list and reads the body as indented code;
/// Docusaurus keeps it in the item and shows the sentence as text. A top-level admonition
/// whose body is indented 4 spaces is code for both, and stays code.
#[test]
fn an_admonition_body_indented_in_a_list_item_is_text_as_docusaurus_reads_it() {
    let text = "1. Generate the data with `generate_addon.sh`.\n\n  ```bash\n    curl -sfL https://example.com/x.sh | bash\n  ```\n\n  :::note\n\n    The script depends on `kubectl` when operating the Harvester cluster.\n\n  :::\n\nPara.\n\n:::note\n\n    Harvester in code\n\n:::\n";
    assert_eq!(context_at(text, 9, "The script"), Context::Prose);
    assert_eq!(context_at(text, 9, "Harvester"), Context::Prose);
    assert_eq!(context_at(text, 9, "kubectl"), Context::InlineCode);
    assert_eq!(context_at(text, 4, "curl"), Context::Code);
    assert_eq!(context_at(text, 17, "Harvester"), Context::Code);
}

#[test]
fn every_place_docusaurus_and_commonmark_read_differently_is_read_as_docusaurus_does() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let places = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docusaurus-reading/harvester-8511089.tsv"),
    )
    .unwrap();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for place in places.lines().filter(|l| !l.starts_with('#')) {
        let [path, line, commonmark, docusaurus, needle]: [&str; 5] =
            place.split('\t').collect::<Vec<_>>().try_into().unwrap();
        let text = std::fs::read_to_string(corpus.join(path)).unwrap();
        let context = context_at(
            &text,
            line.parse().unwrap(),
            needle.split_whitespace().next().unwrap(),
        );
        let rebrand = if context == Context::Code { "code" } else { "text" };
        eprintln!(
            "{path}:{line}: CommonMark {commonmark}, Docusaurus {docusaurus}, rebrand {rebrand} ({})",
            context.name()
        );
        if rebrand != docusaurus {
            wrong.push(place.to_string());
        }
        checked += 1;
    }
    assert!(checked >= 39, "{checked} places");
    assert_eq!(
        wrong,
        Vec::<String>::new(),
        "rebrand reads these as CommonMark does, not as Docusaurus"
    );
}
