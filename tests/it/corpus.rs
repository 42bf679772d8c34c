//! Corpus tests: the whole upstream Harvester docs (`../shared/corpus/harvester-docs`, or
//! `$REBRAND_CORPUS`) branded in memory with `rules/nqrust-hypervisor.toml`, then checked
//! with parsers of their own (pulldown-cmark events, serde_yaml, serde_json) rather than with
//! rebrand's scanner alone. Each test skips with a message when the corpus is absent.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use pulldown_cmark::{Event, Options, Parser, Tag};
use rebrand::rewrite::anchors::{heading_anchors, heading_text};
use rebrand::rewrite::{Cause, Engine};
use rebrand::rules::HeadingIds;
use rebrand::scan::{self, Context, FileKind};

use crate::common;

struct Branded {
    engine: Engine,
    files: Vec<File>,
}

struct File {
    path: String,
    kind: FileKind,
    old: String,
    new: String,
    /// Rules whose edits touched the file (indices).
    rules: HashSet<usize>,
}

fn branded() -> Option<&'static Branded> {
    static BRANDED: OnceLock<Option<Branded>> = OnceLock::new();
    BRANDED
        .get_or_init(|| {
            let dir = common::corpus_dir()?;
            // The product-name rules with the default anchors (`keep`): these tests check the
            // core guarantees file by file; tests/it/site.rs and the tree-level corpus tests
            // cover renames, retargeted links and moved anchors.
            let rules = common::load_rules(&common::shipped_brand_rules()).expect("rules load");
            let engine = Engine::new(rules).expect("rules compile");
            let mut files = Vec::new();
            for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
                let entry = entry.expect("corpus readable");
                if !entry.file_type().is_file() {
                    continue;
                }
                let path = entry
                    .path()
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                let Some(kind) = engine.rules().files.kind_of(&path) else {
                    continue;
                };
                let Ok(old) = std::fs::read_to_string(entry.path()) else {
                    continue;
                };
                let rewrite = engine.rewrite(kind, &old, &engine.active(&path));
                let rules = rewrite
                    .edits
                    .iter()
                    .filter_map(|e| match e.cause {
                        Cause::Substitution(i) => Some(i),
                        Cause::HeadingId | Cause::Reference => None,
                    })
                    .collect();
                let new = rewrite.apply(&old);
                files.push(File {
                    path,
                    kind,
                    old,
                    new,
                    rules,
                });
            }
            Some(Branded { engine, files })
        })
        .as_ref()
}

fn markdown(b: &Branded) -> impl Iterator<Item = &File> {
    b.files.iter().filter(|f| f.kind == FileKind::Markdown)
}

/// The body of a Markdown file, without its front matter, and the front matter.
fn split_front_matter(text: &str) -> (&str, Option<&str>) {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return (text, None);
    };
    let mut pos = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return (&rest[pos + line.len()..], Some(&rest[..pos]));
        }
        pos += line.len();
    }
    (text, None)
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What must stay byte-identical in a Markdown body, as pulldown-cmark itself reports it.
#[derive(Default, Debug, PartialEq)]
struct Protected {
    code_blocks: Vec<String>,
    inline_code: Vec<String>,
    destinations: Vec<String>,
    html_attributes: Vec<String>,
    heading_ids: Vec<String>,
}

fn protected(body: &str) -> Protected {
    let attr = regex::Regex::new(r#"\s[\w:-]+\s*=\s*("[^"]*"|'[^']*')"#).unwrap();
    let mut p = Protected::default();
    let mut in_code = false;
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                p.code_blocks.push(String::new());
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_code = false,
            Event::Text(t) if in_code => p.code_blocks.last_mut().unwrap().push_str(&t),
            Event::Code(c) => p.inline_code.push(c.to_string()),
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                p.destinations.push(dest_url.to_string())
            }
            Event::Start(Tag::Heading { id: Some(id), .. }) => p.heading_ids.push(id.to_string()),
            Event::Html(h) | Event::InlineHtml(h) => p
                .html_attributes
                .extend(attr.find_iter(&h).map(|m| m.as_str().to_string())),
            _ => {}
        }
    }
    p
}

/// The indices of the code blocks (CommonMark's reading) of upstream page `path` that
/// Docusaurus reads as text: those holding a line the Docusaurus-reading fixture lists for the
/// page (`tests/fixtures/docusaurus-reading/`).
fn docusaurus_text_blocks(path: &str, blocks: &[String]) -> HashSet<usize> {
    static PLACES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    let places = PLACES.get_or_init(|| {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/docusaurus-reading/harvester-8511089.tsv");
        std::fs::read_to_string(fixture)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                (f[3] == "text").then(|| (f[0].to_string(), f[4].to_string()))
            })
            .collect()
    });
    blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| {
            places
                .iter()
                .any(|(p, line)| p == path && b.lines().any(|l| l.trim() == line))
        })
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn corpus_protected_bytes_are_unchanged() {
    let Some(b) = branded() else { return };
    let opted_in: Vec<(String, String)> = b
        .engine
        .rules()
        .substitutions
        .iter()
        .filter(|s| s.contexts.contains(Context::InlineCode))
        .map(|s| (s.from.clone(), s.to.clone()))
        .collect();
    let url_rules: Vec<(String, String)> = b
        .engine
        .rules()
        .substitutions
        .iter()
        .filter(|s| s.contexts.contains(Context::Url))
        .map(|s| (s.from.clone(), s.to.clone()))
        .collect();
    let mut checked = 0;
    let mut ui_labels = 0;
    for f in markdown(b) {
        let (old, new) = (
            protected(split_front_matter(&f.old).0),
            protected(split_front_matter(&f.new).0),
        );
        // The code blocks CommonMark reads but Docusaurus reads as text (and so does
        // rebrand: tests/it/docusaurus_reading.rs) may change; every other stays byte for byte.
        let as_text = docusaurus_text_blocks(&f.path, &old.code_blocks);
        let keep = |blocks: &[String]| -> Vec<String> {
            blocks
                .iter()
                .enumerate()
                .filter(|(i, _)| !as_text.contains(i))
                .map(|(_, b)| b.clone())
                .collect()
        };
        assert_eq!(
            keep(&old.code_blocks),
            keep(&new.code_blocks),
            "code block changed in {}",
            f.path
        );
        // Only rules that opt into `url` may change a URL-valued destination or attribute.
        let urls_rebranded = |values: &[String]| -> Vec<String> {
            values
                .iter()
                .map(|v| {
                    url_rules
                        .iter()
                        .fold(v.clone(), |v, (from, to)| v.replace(from, to))
                })
                .collect()
        };
        assert_eq!(
            urls_rebranded(&old.destinations),
            new.destinations,
            "link destination changed in {}",
            f.path
        );
        assert_eq!(
            urls_rebranded(&old.html_attributes),
            new.html_attributes,
            "HTML attribute changed in {}",
            f.path
        );
        // Explicit ids upstream had are all still there; new ones are only added.
        let kept: Vec<&String> = new
            .heading_ids
            .iter()
            .filter(|id| old.heading_ids.contains(id))
            .collect();
        assert_eq!(
            kept.len(),
            old.heading_ids.len(),
            "explicit heading id lost in {}",
            f.path
        );
        // Inline code changes only where a rule opted into inline code, by that rule's text.
        assert_eq!(
            old.inline_code.len(),
            new.inline_code.len(),
            "inline code count changed in {}",
            f.path
        );
        for (o, n) in old.inline_code.iter().zip(&new.inline_code) {
            if o != n {
                let explained = opted_in
                    .iter()
                    .any(|(from, to)| o.replace(from.as_str(), to) == *n);
                assert!(explained, "inline code `{o}` became `{n}` in {}", f.path);
                ui_labels += 1;
            }
        }
        checked += 1;
    }
    eprintln!("{checked} Markdown files: code, destinations, attributes, ids intact; {ui_labels} UI labels in inline code rebranded");
    assert!(
        checked > 800,
        "expected the whole corpus, saw {checked} Markdown files"
    );
}

#[test]
fn corpus_front_matter_keys_and_json_structure_are_unchanged() {
    let Some(b) = branded() else { return };
    let mut front_matters = 0;
    for f in markdown(b) {
        let (Some(old), Some(new)) = (split_front_matter(&f.old).1, split_front_matter(&f.new).1) else {
            continue;
        };
        let Ok(old): Result<serde_yaml::Value, _> = serde_yaml::from_str(old) else {
            continue;
        };
        let new: serde_yaml::Value = serde_yaml::from_str(new)
            .unwrap_or_else(|e| panic!("front matter of {} no longer parses: {e}", f.path));
        let keys = |v: &serde_yaml::Value| -> Vec<String> {
            v.as_mapping()
                .map(|m| m.keys().map(|k| format!("{k:?}")).collect())
                .unwrap_or_default()
        };
        assert_eq!(keys(&old), keys(&new), "front matter keys changed in {}", f.path);
        front_matters += 1;
    }
    let mut json = 0;
    for f in b.files.iter().filter(|f| f.kind == FileKind::Json) {
        let Ok(old): Result<serde_json::Value, _> = serde_json::from_str(&f.old) else {
            continue;
        };
        let new: serde_json::Value =
            serde_json::from_str(&f.new).unwrap_or_else(|e| panic!("{} no longer parses: {e}", f.path));
        // The shipped rules name bare keys (any depth).
        let prose_keys = b.engine.rules().files.reading.json.patterns();
        assert_same_json_shape(&old, &new, prose_keys, &f.path);
        json += 1;
    }
    eprintln!("{front_matters} front matters parse with the same keys; {json} JSON files parse with the same keys and non-prose values");
    assert!(front_matters > 800 && json > 200);
}

/// Same keys everywhere; string values differ only under prose keys.
fn assert_same_json_shape(old: &serde_json::Value, new: &serde_json::Value, prose: &[String], path: &str) {
    use serde_json::Value;
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            assert_eq!(
                a.keys().collect::<Vec<_>>(),
                b.keys().collect::<Vec<_>>(),
                "JSON keys changed in {path}"
            );
            for (k, v) in a {
                if prose.contains(k) && matches!(v, Value::String(_) | Value::Array(_)) {
                    continue;
                }
                assert_same_json_shape(v, &b[k], prose, path);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "JSON array length changed in {path}");
            for (x, y) in a.iter().zip(b) {
                assert_same_json_shape(x, y, prose, path);
            }
        }
        _ => assert_eq!(old, new, "non-prose JSON value changed in {path}"),
    }
}

#[test]
fn corpus_block_structure_is_kept() {
    let Some(b) = branded() else { return };
    let blocks = |body: &str| -> Vec<String> {
        Parser::new_ext(body, options())
            .filter_map(|e| match e {
                Event::Start(tag) => match tag {
                    Tag::Paragraph
                    | Tag::Heading { .. }
                    | Tag::BlockQuote(_)
                    | Tag::CodeBlock(_)
                    | Tag::HtmlBlock
                    | Tag::List(_)
                    | Tag::Item
                    | Tag::Table(_)
                    | Tag::TableHead
                    | Tag::TableRow
                    | Tag::TableCell => Some(match tag {
                        Tag::Heading { level, .. } => format!("Heading({level:?})"),
                        other => format!("{:?}", std::mem::discriminant(&other)),
                    }),
                    _ => None,
                },
                _ => None,
            })
            .collect()
    };
    let mut n = 0;
    for f in markdown(b) {
        assert_eq!(
            blocks(split_front_matter(&f.old).0),
            blocks(split_front_matter(&f.new).0),
            "{}",
            f.path
        );
        n += 1;
    }
    eprintln!("{n} Markdown files keep their sequence of block kinds");
}

#[test]
fn corpus_has_no_capitalised_brand_left_in_prose() {
    let Some(b) = branded() else { return };
    let rules = b.engine.rules();
    let mut kept_by: BTreeMap<String, usize> = BTreeMap::new();
    let mut keeps_identity: HashSet<String> = HashSet::new();
    let mut left = Vec::new();
    let mut in_prose = 0;
    for f in &b.files {
        let scanned = scan::scan(f.kind, &f.new, &rules.files.reading);
        let covered: Vec<(std::ops::Range<usize>, &str)> = rules
            .exceptions
            .iter()
            .flat_map(|e| e.pattern.ranges(&f.new).into_iter().map(|r| (r, e.id.as_str())))
            .collect();
        // Exceptions that keep an upstream identity marker rather than the brand.
        for marker in &rules.identities {
            for m in marker.pattern.ranges(&f.new) {
                for (r, id) in &covered {
                    if r.start <= m.start && m.end <= r.end {
                        keeps_identity.insert(id.to_string());
                    }
                }
            }
        }
        for (at, _) in f.new.match_indices("Harvester") {
            let span = &scanned.spans[scan::span_at(&scanned.spans, at).unwrap()];
            // Prose, and code spans in prose: the brand rule acts in both.
            if !matches!(span.context, Context::Prose | Context::InlineCode) {
                continue;
            }
            in_prose += 1;
            match covered.iter().find(|(r, _)| r.start <= at && at < r.end) {
                Some((_, id)) => *kept_by.entry(id.to_string()).or_default() += 1,
                None => left.push(format!("{}: …{}…", f.path, context_of(&f.new, at))),
            }
        }
    }
    eprintln!("capitalised `Harvester` left in prose: {in_prose}, all kept by exceptions: {kept_by:?}");
    assert!(left.is_empty(), "{} leaks:\n{}", left.len(), left.join("\n"));
    for e in &rules.exceptions {
        assert!(
            kept_by.contains_key(&e.id) || keeps_identity.contains(&e.id),
            "exception `{}` keeps nothing in the corpus",
            e.id
        );
    }
}

fn context_of(text: &str, at: usize) -> String {
    let mut a = at.saturating_sub(40);
    let mut b = (at + 50).min(text.len());
    while !text.is_char_boundary(a) {
        a -= 1;
    }
    while !text.is_char_boundary(b) {
        b += 1;
    }
    text[a..b].replace('\n', " ")
}

#[test]
fn corpus_rewrite_is_idempotent() {
    let Some(b) = branded() else { return };
    for f in &b.files {
        let again = b.engine.rewrite(f.kind, &f.new, &b.engine.active(&f.path));
        assert!(
            again.is_empty(),
            "second run changes {}: {:?}",
            f.path,
            &again.edits[..again.edits.len().min(3)]
        );
    }
}

#[test]
fn corpus_no_stutter() {
    let Some(b) = branded() else { return };
    // Doubled brand words within running text (white space, emphasis, line breaks between),
    // not neighbouring items of a list such as front matter keywords.
    let stutter =
        regex::Regex::new(r"(?i)\b(hypervisor[ \t*_\n]+hypervisor|nqrust[ \t*_\n]+nqrust)\b").unwrap();
    for f in &b.files {
        let before = stutter.find_iter(&f.old).count();
        let after = stutter.find_iter(&f.new).count();
        assert_eq!(
            after,
            before,
            "stutter created in {}: {:?}",
            f.path,
            stutter.find(&f.new).map(|m| m.as_str())
        );
    }
}

/// Anchors a Markdown file offers: heading anchors (Docusaurus slugs or explicit ids) and
/// HTML `id`/`name` attributes.
fn anchors(kind: FileKind, text: &str, engine: &Engine) -> HashSet<String> {
    let scanned = scan::scan(kind, text, &engine.rules().files.reading);
    let mut set: HashSet<String> = heading_anchors(
        HeadingIds::GithubSlugger,
        scanned
            .headings
            .iter()
            .map(|h| (heading_text(h), h.explicit_id.as_deref())),
    )
    .into_iter()
    .collect();
    let html = regex::Regex::new(r#"<[^>]+\s(?:id|name)="([^"]+)""#).unwrap();
    set.extend(html.captures_iter(text).map(|c| c[1].to_string()));
    set
}

/// In-tree links with an anchor: (file, target file, anchor), for relative `.md` links and
/// same-page `#anchor` links.
fn anchor_links(f: &File, text: &str) -> Vec<(String, String)> {
    let body = split_front_matter(text).0;
    let dir = Path::new(&f.path).parent().unwrap_or(Path::new(""));
    let mut out = Vec::new();
    for event in Parser::new_ext(body, options()) {
        let Event::Start(Tag::Link { dest_url, .. }) = event else {
            continue;
        };
        let Some((file, anchor)) = dest_url.split_once('#') else {
            continue;
        };
        if anchor.is_empty() || file.contains("://") || file.starts_with('/') {
            continue;
        }
        let target = if file.is_empty() {
            f.path.clone()
        } else if file.ends_with(".md") || file.ends_with(".mdx") {
            normalize(&dir.join(file))
        } else {
            continue;
        };
        out.push((target, anchor.to_string()));
    }
    out
}

fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn corpus_anchor_links_still_resolve() {
    let Some(b) = branded() else { return };
    let old: HashMap<&str, HashSet<String>> = markdown(b)
        .map(|f| (f.path.as_str(), anchors(f.kind, &f.old, &b.engine)))
        .collect();
    let new: HashMap<&str, HashSet<String>> = markdown(b)
        .map(|f| (f.path.as_str(), anchors(f.kind, &f.new, &b.engine)))
        .collect();
    let mut without_ids: HashMap<&str, HashSet<String>> = HashMap::new();
    let (mut links, mut resolved, mut rescued) = (0, 0, 0);
    let mut broken = Vec::new();
    for f in markdown(b) {
        for (target, anchor) in anchor_links(f, &f.old) {
            links += 1;
            let Some(before) = old.get(target.as_str()) else {
                continue;
            };
            if !before.contains(&anchor) {
                continue;
            }
            resolved += 1;
            let target_file = b.files.iter().find(|t| t.path == target).unwrap();
            let plain = without_ids
                .entry(target_file.path.as_str())
                .or_insert_with(|| heading_anchors_without_ids(&target_file.new, b));
            if !plain.contains(&anchor) {
                rescued += 1;
            }
            if !new[target.as_str()].contains(&anchor) {
                broken.push(format!("{} -> {target}#{anchor}", f.path));
            }
        }
    }
    eprintln!(
        "{links} in-tree anchor links, {resolved} resolve upstream, {rescued} of them only through an added {{#id}}, {} broken",
        broken.len()
    );
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    assert!(
        rescued > 0,
        "the corpus has links into rebranded headings; none was counted"
    );
}

/// The anchors a branded file would offer if the added explicit ids were ignored.
fn heading_anchors_without_ids(text: &str, b: &Branded) -> HashSet<String> {
    let id = regex::Regex::new(r" \{#[^}]+\}").unwrap();
    anchors(FileKind::Markdown, &id.replace_all(text, ""), &b.engine)
}

#[test]
fn corpus_rules_touch_every_version_and_locale() {
    let Some(b) = branded() else { return };
    let changed_in = |prefix: &str| {
        b.files
            .iter()
            .filter(|f| f.path.starts_with(prefix) && f.old != f.new)
            .count()
    };
    for prefix in [
        "docs/",
        "versioned_docs/version-v0.3/",
        "versioned_docs/version-v1.6/",
        "i18n/zh/",
    ] {
        assert!(changed_in(prefix) > 10, "few files changed under {prefix}");
    }
    let used: HashSet<usize> = b.files.iter().flat_map(|f| f.rules.iter().copied()).collect();
    for (i, s) in b.engine.rules().substitutions.iter().enumerate() {
        assert!(
            used.contains(&i),
            "substitution `{}` matches nothing in the corpus",
            s.id
        );
    }
}
