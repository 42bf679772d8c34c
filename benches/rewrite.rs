//! Criterion benchmarks of the rewriter alone (no I/O): span classification, and scanning +
//! rewriting with the NQRust rules and with a 200-substitution rule set, in bytes per second
//! over the Markdown files of the corpus (`../shared/corpus/harvester-docs` or
//! `$REBRAND_CORPUS`; the bundled example tree when the corpus is absent).

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rebrand::rewrite::Engine;
use rebrand::rules::RuleSet;
use rebrand::scan::{self, FileKind};

fn tree() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = std::env::var_os("REBRAND_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/corpus/harvester-docs"));
    if corpus.is_dir() {
        corpus
    } else {
        eprintln!(
            "corpus not found at {}: benchmarking the bundled example",
            corpus.display()
        );
        root.join("examples/harvester-docs")
    }
}

fn markdown_files(dir: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, std::fs::read_to_string(e.path()).ok()?))
        })
        .collect()
}

/// The shipped whole-site rule file's path: parsed at this path, it finds the brand file it
/// extends.
fn nqrust_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/nqrust-hypervisor.toml")
}

fn nqrust_rules() -> String {
    std::fs::read_to_string(nqrust_path()).unwrap()
}

/// The NQRust rules plus enough made-up product names to reach 200 substitutions.
fn rules_200() -> String {
    let mut rules = nqrust_rules();
    let base = RuleSet::parse(&nqrust_path(), &rules)
        .unwrap()
        .substitutions
        .len();
    // Keep the [[test]] tables out: they belong to the NQRust rules only.
    if let Some(at) = rules.find("[[test]]") {
        rules.truncate(at);
    }
    for i in base..200 {
        rules.push_str(&format!("\n[[substitution]]\nfrom = \"Upstreamproduct{i} Suite\"\nto = \"Vendorname{i} Suite\"\ncase = \"preserve\"\n"));
    }
    rules
}

fn bench(c: &mut Criterion) {
    let files = markdown_files(&tree());
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let mut group = c.benchmark_group("markdown");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);

    let nqrust = Engine::new(RuleSet::parse(&nqrust_path(), &nqrust_rules()).unwrap()).unwrap();
    let keys = &nqrust.rules().files.reading;
    // The floor under `scan`: pulldown-cmark's own parse, with the same options and offsets.
    group.bench_function("parse (pulldown-cmark alone)", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|(_, t)| {
                    pulldown_cmark::Parser::new_ext(t, scan::MARKDOWN_OPTIONS)
                        .into_offset_iter()
                        .count()
                })
                .sum::<usize>()
        })
    });
    // The floor under `edits-only`: the automaton alone over the whole text (no windows, no
    // checks), built from the rule file's `from`s with the options `Engine::new` uses.
    let automaton = aho_corasick::AhoCorasickBuilder::new()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .prefilter(false)
        .build(nqrust.rules().substitutions.iter().map(|s| &s.from))
        .unwrap();
    group.bench_function("automaton alone (aho-corasick DFA, whole text)", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|(_, t)| automaton.find_iter(t).count())
                .sum::<usize>()
        })
    });
    group.bench_function("scan", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|(_, t)| scan::scan(FileKind::Markdown, t, keys).spans.len())
                .sum::<usize>()
        })
    });
    for (name, engine) in [
        ("rewrite/nqrust", nqrust.clone()),
        (
            "rewrite/200-substitutions",
            Engine::new(RuleSet::parse(&nqrust_path(), &rules_200()).unwrap()).unwrap(),
        ),
    ] {
        let active: Vec<_> = files.iter().map(|(p, _)| engine.active(p)).collect();
        group.bench_function(name, |b| {
            b.iter(|| {
                files
                    .iter()
                    .zip(&active)
                    .map(|((_, t), a)| engine.rewrite(FileKind::Markdown, t, a).edits.len())
                    .sum::<usize>()
            })
        });
        // The rewriter alone: matching and checking over spans scanned beforehand.
        let spans: Vec<_> = files
            .iter()
            .map(|(_, t)| scan::scan(FileKind::Markdown, t, &engine.rules().files.reading).spans)
            .collect();
        group.bench_function(format!("{name}/edits-only"), |b| {
            b.iter(|| {
                files
                    .iter()
                    .zip(&spans)
                    .zip(&active)
                    .map(|(((_, t), s), a)| engine.edits(t, s, a).len())
                    .sum::<usize>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
