//! Property tests over generated documents and rule sets: protected spans come out
//! byte-identical, a second rewrite changes nothing, a tree's output does not depend on the
//! number of threads, and no input makes classify + rewrite panic.
//!
//! Documents are assembled from the pieces the Harvester docs are made of (front matter,
//! headings with and without `{#id}`, fenced code, links, reference definitions, URLs,
//! images, HTML and JSX, MDX imports, admonitions, lists, tables), with words drawn from the
//! brand in every case shape and from ordinary prose. Rule sets are generated as TOML text.
//! Each document also carries the pieces the shipped rules must leave as they are (or
//! rewrite to a known URL), known from how it was built rather than from the scanner.
//!
//! The case counts keep this crate to a few seconds in the debug build; `PROPTEST_CASES=N`
//! runs N cases of every property instead.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{FileFailurePersistence, TestRunner};
use rebrand::rewrite::{Cause, Edit, Engine, FileRewrite};
use rebrand::scan::{self, is_tiling, span_at, Context, FileKind};

use crate::common;

// ---------------------------------------------------------------------------------------------
// Words and pieces

/// The brand in every shape the docs (and their near misses) have it.
const BRAND_WORDS: &[&str] = &[
    "Harvester",
    "harvester",
    "HARVESTER",
    "Harvester's",
    "Harvester-based",
    "Harvesters",
    "HarvesterOS",
    "harvester-system",
    "harvesterhci.io",
    "harvesterhci.io/v1beta1",
    "Hyypervisor",
    "Hypervisor",
    "hypervisor",
    "Harvester hypervisor",
    "Harvester Hypervisor",
    "HARVESTER HYPERVISOR",
    "harvester hypervisor",
    "Harvester GUI",
    "Harvester Installer",
    "Setting up Harvester",
    "Harvester集群",
    "安装 Harvester。",
    "NQRust",
    "Rancher",
    "Longhorn",
    "Virtualization Management > Harvester Clusters",
    "extension named **Harvester**",
    "Harvester Cloud Provider",
];

const PLAIN_WORDS: &[&str] = &[
    "the",
    "install",
    "cluster",
    "node",
    "a",
    "VM",
    "with",
    "and",
    "Kubernetes",
    "storage",
    "of",
    "is",
    "(",
    ")",
    ",",
    ".",
    ":",
    "—",
    "café",
    "集群",
    "v1.6",
    "100%",
    "e.g.",
];

/// Inline code contents the shipped rules must not touch (no vendor UI label among them).
const CODE_WORDS: &[&str] = &[
    "harvester-system",
    "kubectl -n harvester-system get pods",
    // A Rancher label the shipped rules keep by an exception; the product name alone in a
    // code span (`Harvester`) is rewritten, as prose writes it that way.
    "Harvester(Out-of-tree)",
    "harvesterhci.io/v1beta1",
    "HARVESTER_ENV=1",
    "harvester hypervisor",
];

/// Link targets: relative paths, site paths, images, absolute URLs (two of them the shipped
/// `url` rules rewrite).
const TARGETS: &[&str] = &[
    "../install/harvester-configuration.md",
    "./harvester.md",
    "/docs/harvester/overview",
    "/img/v1.2/harvester-ui.png",
    "harvester-network.md",
    "https://harvesterhci.io/",
    "https://github.com/harvester/harvester/issues/1234",
    "https://docs.harvesterhci.io/v1.3/install/",
    "https://github.com/harvester/docs/blob/main/README.md",
];

const ANCHORS: &[&str] = &[
    "",
    "#harvester-node",
    "#Harvester",
    "#install-harvester-binaries-only",
];

/// Bare and angle URLs (never followed by punctuation the URL would end on).
const URLS: &[&str] = &[
    "https://harvesterhci.io",
    "https://github.com/harvester/harvester/releases",
    "https://docs.harvesterhci.io/v1.6/faq",
    "https://www.suse.com/c/?s=harvester",
    "http://harvester.local:8080/v1",
];

const HEADING_IDS: &[&str] = &["harvester-node", "harvester", "install-harvester", "Harvester-UI"];

/// Fenced code, with and without info strings, ``` and ~~~.
const FENCES: &[(&str, &str)] = &[
    ("```", ""),
    ("```", "bash"),
    ("~~~", ""),
    ("~~~", "yaml"),
    ("````", "sh"),
];

const CODE_LINES: &[&str] = &[
    "# Harvester",
    "kubectl -n harvester-system get pods",
    "apiVersion: harvesterhci.io/v1beta1",
    "echo \"Harvester hypervisor\"",
    "curl https://docs.harvesterhci.io/v1.6",
    "Harvester GUI",
];

/// The shipped `url` rules, applied to a URL-bearing piece: what the output must hold.
fn shipped_url(piece: &str) -> String {
    piece
        .replace("https://docs.harvesterhci.io", "https://docs.nqrhypervisorhci.io")
        .replace(
            "https://github.com/harvester/docs",
            "https://github.com/nqrhypervisor/docs",
        )
}

/// A piece of a document: its text, and the pieces of it the shipped rules must keep, each
/// as the output must show it.
#[derive(Debug, Clone, Default)]
struct Frag {
    text: String,
    kept: Vec<String>,
}

impl Frag {
    fn prose(text: String) -> Frag {
        Frag {
            text,
            kept: Vec::new(),
        }
    }

    fn kept(text: String, kept: String) -> Frag {
        Frag {
            text,
            kept: vec![kept],
        }
    }

    fn join(parts: Vec<Frag>, sep: &str) -> Frag {
        let mut out = Frag::default();
        for (i, p) in parts.into_iter().enumerate() {
            if i > 0 {
                out.text.push_str(sep);
            }
            out.text.push_str(&p.text);
            out.kept.extend(p.kept);
        }
        out
    }
}

fn word() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        prop::sample::select(BRAND_WORDS),
        prop::sample::select(PLAIN_WORDS),
    ]
}

/// A few words on one line.
fn words(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..=max).prop_map(|w| w.join(" "))
}

fn inline() -> BoxedStrategy<Frag> {
    prop_oneof![
        6 => words(4).prop_map(Frag::prose),
        1 => words(3).prop_map(|w| Frag::prose(format!("**{w}**"))),
        1 => words(2).prop_map(|w| Frag::prose(format!("_{w}_"))),
        2 => prop::sample::select(CODE_WORDS).prop_map(|c| Frag::kept(format!("`{c}`"), format!("`{c}`"))),
        // A vendor UI label in inline code: the shipped rules rewrite it.
        1 => Just(Frag::prose("`Harvester GUI`".into())),
        2 => (words(3), prop::sample::select(TARGETS), prop::sample::select(ANCHORS)).prop_map(|(w, t, a)| {
            let dest = format!("]({t}{a})");
            Frag::kept(format!("[{w}{dest}"), shipped_url(&dest))
        }),
        1 => words(2).prop_map(|w| Frag::prose(format!("[{w}][harvester-ref]"))),
        1 => prop::sample::select(URLS).prop_map(|u| Frag::kept(format!("<{u}>"), shipped_url(&format!("<{u}>")))),
        1 => prop::sample::select(URLS).prop_map(|u| Frag::kept(u.to_string(), shipped_url(u))),
        1 => (words(2), prop::sample::select(TARGETS)).prop_map(|(w, t)| {
            // With a title the target is no whole URL, which the `url` rules leave alone
            // today; whether they should is open, so only a target they would not change
            // is pinned.
            let dest = format!("]({t} \"Harvester\")");
            let mut image = Frag::prose(format!("![{w}{dest}"));
            if shipped_url(&dest) == dest {
                image.kept.push(dest);
            }
            image
        }),
        1 => words(2).prop_map(|w| Frag::prose(format!("<kbd>{w}</kbd>"))),
        1 => (prop::sample::select(URLS), words(2)).prop_map(|(u, w)| {
            let attr = format!("href=\"{u}\"");
            Frag::kept(format!("<a {attr}>{w}</a>"), shipped_url(&attr))
        }),
        1 => words(2).prop_map(|w| {
            let attr = "className=\"harvester-link\"".to_string();
            Frag::kept(format!("<span {attr}>{w}</span>"), attr)
        }),
    ]
    .boxed()
}

/// Inline content on one line.
fn line() -> impl Strategy<Value = Frag> {
    prop::collection::vec(inline(), 1..=4).prop_map(|parts| Frag::join(parts, " "))
}

/// A paragraph of one to three lines (soft line breaks between them).
fn paragraph() -> impl Strategy<Value = Frag> {
    prop::collection::vec(line(), 1..=3).prop_map(|lines| Frag::join(lines, "\n"))
}

fn heading() -> impl Strategy<Value = Frag> {
    (
        1..=4usize,
        words(4),
        prop::option::of(prop::sample::select(HEADING_IDS)),
    )
        .prop_map(|(level, w, id)| {
            let hashes = "#".repeat(level);
            match id {
                Some(id) => {
                    let id = format!("{{#{id}}}");
                    Frag::kept(format!("{hashes} {w} {id}"), id)
                }
                None => Frag::prose(format!("{hashes} {w}")),
            }
        })
}

fn code_block() -> impl Strategy<Value = Frag> {
    (
        prop::sample::select(FENCES),
        prop::collection::vec(prop::sample::select(CODE_LINES), 0..=3),
    )
        .prop_map(|((fence, info), lines)| {
            let mut block = format!("{fence}{info}\n");
            for l in lines {
                block.push_str(l);
                block.push('\n');
            }
            block.push_str(fence);
            Frag::kept(block.clone(), block)
        })
}

fn list() -> impl Strategy<Value = Frag> {
    (any::<bool>(), prop::collection::vec(line(), 1..=3)).prop_map(|(ordered, items)| {
        let items = items
            .into_iter()
            .enumerate()
            .map(|(i, mut item)| {
                item.text = if ordered {
                    format!("{}. {}", i + 1, item.text)
                } else {
                    format!("- {}", item.text)
                };
                item
            })
            .collect();
        Frag::join(items, "\n")
    })
}

fn table() -> impl Strategy<Value = Frag> {
    prop::collection::vec((line(), line()), 1..=3).prop_map(|rows| {
        let mut parts = vec![Frag::prose("| Name | Description |\n|---|---|".into())];
        for (a, b) in rows {
            let mut row = Frag::join(vec![a, b], " | ");
            row.text = format!("| {} |", row.text);
            parts.push(row);
        }
        Frag::join(parts, "\n")
    })
}

fn admonition() -> impl Strategy<Value = Frag> {
    (
        prop::sample::select(&["note", "caution", "info", "tip", "warning"][..]),
        prop::option::of(words(3)),
        paragraph(),
    )
        .prop_map(|(kind, title, body)| {
            let open = match title {
                Some(t) => format!(":::{kind} {t}"),
                None => format!(":::{kind}"),
            };
            Frag::join(vec![Frag::prose(open), body, Frag::prose(":::".into())], "\n\n")
        })
}

fn jsx_block() -> impl Strategy<Value = Frag> {
    (words(2), paragraph()).prop_map(|(label, body)| {
        // `value` and `className` are no prose props (`jsx_prose_props`): kept whatever they hold.
        let attrs = format!("value=\"harvester\" className=\"{label}\"");
        Frag::join(
            vec![
                Frag::kept(format!("<Tabs>\n<TabItem {attrs} default>"), attrs),
                body,
                Frag::prose("</TabItem>\n</Tabs>".into()),
            ],
            "\n\n",
        )
    })
}

fn block() -> BoxedStrategy<Frag> {
    prop_oneof![
        6 => paragraph(),
        3 => heading(),
        3 => code_block(),
        2 => list(),
        1 => table(),
        2 => admonition(),
        1 => jsx_block(),
        1 => Just(Frag::kept(
            "[harvester-ref]: https://github.com/harvester/harvester \"Harvester repository\"".into(),
            "[harvester-ref]: https://github.com/harvester/harvester \"Harvester repository\"".into(),
        )),
        1 => Just(Frag::kept(
            "import HarvesterLogo from '@site/static/img/harvester.svg';".into(),
            "import HarvesterLogo from '@site/static/img/harvester.svg';".into(),
        )),
        1 => words(3).prop_map(|w| Frag::kept(
            format!("<div class=\"harvester-banner\">\n\n{w}\n\n</div>"),
            "<div class=\"harvester-banner\">".into(),
        )),
        1 => words(3).prop_map(|w| Frag::kept(format!("<!-- {w} -->"), format!("<!-- {w} -->"))),
    ]
    .boxed()
}

fn front_matter() -> impl Strategy<Value = Frag> {
    (
        words(4),
        words(3),
        any::<bool>(),
        prop::collection::vec(word(), 0..=3),
    )
        .prop_map(|(title, description, quoted, keywords)| {
            let mut parts = vec![
                Frag::prose("---".into()),
                Frag::kept("id: harvester-overview".into(), "id: harvester-overview".into()),
                Frag::kept(
                    "slug: /harvester/overview".into(),
                    "slug: /harvester/overview".into(),
                ),
                Frag::prose(if quoted {
                    format!("title: \"{title}\"")
                } else {
                    format!("title: {}", title.replace(':', ""))
                }),
                Frag::prose(format!("description: {}", description.replace(':', ""))),
            ];
            if !keywords.is_empty() {
                parts.push(Frag::prose("keywords:".into()));
                parts.extend(
                    keywords
                        .iter()
                        .map(|k| Frag::prose(format!("  - {}", k.replace(':', "")))),
                );
            }
            parts.push(Frag::prose("---".into()));
            Frag::join(parts, "\n")
        })
}

/// A Markdown/MDX document, with the pieces the shipped rules must keep.
fn markdown() -> impl Strategy<Value = Frag> {
    (
        prop::option::of(front_matter()),
        prop::collection::vec(block(), 1..=8),
        prop::sample::select(&["\n", "", "\n\n"][..]),
    )
        .prop_map(|(front, blocks, end)| {
            let mut doc = Frag::join(blocks, "\n\n");
            if let Some(front) = front {
                doc = Frag::join(vec![front, doc], "\n\n");
            }
            doc.text.push_str(end);
            doc
        })
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// A Docusaurus JSON file (`_category_.json`, a sidebar, a swagger fragment).
fn json() -> impl Strategy<Value = Frag> {
    (
        words(3),
        words(4),
        prop::collection::vec(words(2), 0..=3),
        prop::sample::select(URLS),
    )
        .prop_map(|(label, description, items, url)| {
            let id = "\"id\": \"harvester-overview\"".to_string();
            let href = format!("\"href\": \"{url}\"");
            let items: Vec<String> = items.iter().map(|i| json_string(i)).collect();
            let text = format!(
                "{{\n  \"label\": {},\n  \"description\": {},\n  {id},\n  \"link\": {{ \"type\": \"doc\", {id} }},\n  {href},\n  \"items\": [{}],\n  \"position\": 10\n}}\n",
                json_string(&label),
                json_string(&description),
                items.join(", "),
            );
            Frag {
                text,
                kept: vec![id, shipped_url(&href)],
            }
        })
}

/// A piece of site JavaScript (the config, a sidebar, a swizzled component).
fn javascript() -> impl Strategy<Value = Frag> {
    let statement = prop_oneof![
        words(3).prop_map(|w| Frag::prose(format!("const title = \"{w}\";"))),
        words(3).prop_map(|w| Frag::prose(format!("const label = '{}';", w.replace('\'', "")))),
        words(3).prop_map(|w| Frag::kept(format!("// {w}"), format!("// {w}"))),
        words(3).prop_map(|w| Frag::kept(format!("/* {w} */"), format!("/* {w} */"))),
        prop::sample::select(URLS).prop_map(|u| {
            let s = format!("url: \"{u}\",");
            Frag::kept(
                format!("module.exports = {{ {s} to: \"/docs/harvester\" }};"),
                shipped_url(&s),
            )
        }),
        Just(Frag::kept(
            "const re = /harvester/g; const harvester = require(\"./harvester.js\");".into(),
            "const re = /harvester/g; const harvester = require(\"./harvester.js\");".into(),
        )),
        words(3).prop_map(|w| Frag::prose(format!("const t = `{w} ${{version}}`;"))),
        words(2).prop_map(|w| Frag::kept(
            format!("return <div className=\"harvester\">{w}</div>;"),
            "className=\"harvester\"".into(),
        )),
    ];
    prop::collection::vec(statement, 1..=6).prop_map(|s| {
        let mut f = Frag::join(s, "\n");
        f.text.push('\n');
        f
    })
}

/// Markdown-shaped soup: the characters and strings the scanners key on, in any order.
fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(
                &[
                    "Harvester",
                    "harvester",
                    "HARVESTER",
                    "Harvester hypervisor",
                    "Harvester\nhypervisor",
                    "```",
                    "~~~",
                    ":::",
                    "---\n",
                    "{#",
                    "}",
                    "](",
                    "[",
                    "]",
                    "(",
                    ")",
                    "<",
                    ">",
                    "</",
                    "\"",
                    "'",
                    "`",
                    "*",
                    "_",
                    "#",
                    " ",
                    "\n",
                    "\r\n",
                    "\t",
                    "https://",
                    "docs.harvesterhci.io",
                    "www.",
                    "import ",
                    "export ",
                    "<!--",
                    "-->",
                    "{",
                    "\\",
                    "|",
                    "- ",
                    "1. ",
                    "\u{feff}",
                    "集群",
                    "é",
                    ":",
                    "/",
                    "=",
                    "${",
                    "//",
                    "/*",
                    "*/",
                ][..]
            )
            .prop_map(str::to_string),
            "[ -~]{1,3}",
        ],
        0..60,
    )
    .prop_map(|parts| parts.concat())
}

// ---------------------------------------------------------------------------------------------
// Rule sets

/// `from`s, brand-like; some of them collide (`Harvester`, `harvester`), which the loader
/// refuses under `case = "preserve"`.
const FROMS: &[&str] = &[
    "Harvester",
    "Harvester hypervisor",
    "harvester",
    "Harvester GUI",
    "Rancher",
    "harvesterhci.io",
    "https://docs.harvesterhci.io",
    "/harvester",
    "Harvester集群",
    "Hyypervisor",
    "Hypervisor",
    "Harvester Cloud Provider",
];

const TOS: &[&str] = &[
    "Hypervisor",
    "NQRust Hypervisor",
    "nqrhypervisor",
    "NQRust",
    "Hyper-V",
    "HV",
    "超融合",
    "",
    "hypervisor",
    "Harvester",
];

const URL_TOS: &[&str] = &["https://docs.nqrhypervisorhci.io", "https://nqrust.example/docs"];

/// Contexts of text, not of syntax: a rule that rewrites JS code, HTML tag names or
/// Markdown markup can change how the file reads (`/harvester/` to `//` opens a comment), so
/// no idempotence is promised there.
const CONTEXTS: &[&str] = &[
    "",
    "contexts = [\"prose\"]\n",
    "contexts = [\"prose\", \"inline_code\"]\n",
    "contexts = [\"url\"]\n",
    "contexts = [\"prose\", \"url\"]\n",
    "contexts = [\"prose\", \"code\"]\n",
    "contexts = [\"link_target\"]\n",
    "contexts = [\"html_attribute\", \"prose\"]\n",
    "contexts = [\"front_matter_value\", \"prose\"]\n",
    "contexts = [\"json_value\", \"comment\"]\n",
    "contexts = [\"comment\", \"prose\"]\n",
];

const EXCEPTIONS: &[&str] = &[
    "literal = \"Harvester Cloud Provider\"",
    "literal = \"harvester-system\"",
    "literal = \"Harvester's\"",
    "literal = \"HARVESTER HYPERVISOR\"",
    "regex = 'Virtualization Management > Harvester Clusters?'",
    "regex = 'extension named \\*\\*Harvester\\*\\*'",
    "regex = '\\bHarvester (GUI|Installer)\\b'",
];

/// A `[[substitution]]` table for `from`. A rule acting on URLs, link targets or attribute
/// values gets a `to` without white space (a space in a link destination unmakes the link,
/// which then reads as prose), and a URL's `from` a URL's `to` (a bare URL whose scheme is
/// rewritten away is no URL any more, and its rest reads as prose; for the same reason no
/// `url` rule has a `from` that can match across `://`).
fn substitution(from: &'static str) -> impl Strategy<Value = String> {
    (
        prop::sample::select(&["", "case = \"exact\"\n", "case = \"preserve\"\n"][..]),
        prop::sample::select(&["", "word_boundary = true\n", "word_boundary = false\n"][..]),
        prop::sample::select(CONTEXTS),
    )
        .prop_flat_map(move |(case, boundary, mut contexts)| {
            if from.starts_with('/') && contexts.contains("\"url\"") {
                // `/harvester` in `https://harvester…` would eat a slash of the scheme.
                contexts = "";
            }
            let in_targets = ["url", "link_target", "html_attribute"]
                .iter()
                .any(|c| contexts.contains(&format!("\"{c}\"")));
            let tos: Vec<&'static str> = if from.contains("://") {
                URL_TOS.to_vec()
            } else {
                TOS.iter()
                    .copied()
                    .filter(|t| !in_targets || !t.contains(' '))
                    .collect()
            };
            (prop::sample::select(tos), Just((case, boundary, contexts)))
        })
        .prop_map(move |(to, (case, boundary, contexts))| {
            format!("[[substitution]]\nfrom = {from:?}\nto = {to:?}\n{case}{boundary}{contexts}\n")
        })
}

/// A rule file: one to four substitutions, up to two exceptions.
fn rule_file() -> impl Strategy<Value = String> {
    (
        prop::sample::subsequence(FROMS, 1..=4),
        prop::collection::vec(prop::sample::select(EXCEPTIONS), 0..=2),
    )
        .prop_flat_map(|(froms, exceptions)| {
            let subs: Vec<_> = froms.into_iter().map(substitution).collect();
            (subs, Just(exceptions))
        })
        .prop_map(|(subs, exceptions)| {
            let mut toml = subs.concat();
            for e in exceptions {
                toml.push_str(&format!("[[exception]]\n{e}\nreason = \"generated\"\n\n"));
            }
            toml
        })
}

/// A rule file whose `from`s and `to`s share a handful of words, so that one rule's output
/// is often another's input: what the load-time idempotence check must see. Many are
/// refused, as they should be.
fn tight_rule_file() -> impl Strategy<Value = String> {
    const WORDS: &[&str] = &["Harvester", "harvester", "Hypervisor", "hypervisor", "NQRust"];
    prop::sample::subsequence(WORDS, 2..=3)
        .prop_flat_map(|froms| {
            let n = froms.len();
            (
                Just(froms),
                prop::collection::vec(
                    (
                        prop::sample::select(WORDS),
                        prop::sample::select(&["exact", "preserve"][..]),
                        any::<bool>(),
                    ),
                    n,
                ),
            )
        })
        .prop_map(|(froms, rest)| {
            froms
                .iter()
                .zip(rest)
                .map(|(from, (to, case, boundary))| {
                    format!(
                        "[[substitution]]\nfrom = {from:?}\nto = {to:?}\ncase = {case:?}\nword_boundary = {boundary}\n\n"
                    )
                })
                .collect()
        })
}

/// "Vendor X" rule sets: two to four product names, each rewritten to a name that holds it
/// (`NQRust Fleet`, `Rancher Prime`, `Acme Longhorn Edition`), in either case mode, with or
/// without word boundaries; and a text of those names, their outputs and other words, in
/// every case shape, on one line or across line breaks.
fn vendor_x() -> impl Strategy<Value = (String, String)> {
    const NAMES: &[&str] = &["Fleet", "Rancher", "Longhorn", "Harvester"];
    const AROUND: &[(&str, &str)] = &[
        ("NQRust ", ""),
        ("", " Prime"),
        ("Acme ", " Edition"),
        ("NQRust ", " Fleet"),
    ];
    let rules = prop::sample::subsequence(NAMES, 2..=4).prop_flat_map(|names| {
        let n = names.len();
        (
            Just(names),
            prop::collection::vec(
                (
                    prop::sample::select(AROUND),
                    prop::sample::select(&["exact", "preserve"][..]),
                    any::<bool>(),
                ),
                n,
            ),
        )
    });
    rules.prop_flat_map(|(names, rest)| {
        let mut toml = String::new();
        let mut words: Vec<String> = vec!["bundles".into(), "and".into(), "the".into(), ".".into(), "\n".into()];
        for (name, ((before, after), case, boundary)) in names.iter().zip(rest) {
            let to = format!("{before}{name}{after}");
            toml.push_str(&format!(
                "[[substitution]]\nfrom = {name:?}\nto = {to:?}\ncase = {case:?}\nword_boundary = {boundary}\n\n"
            ));
            for w in [name.to_string(), to.clone(), to.replace(' ', "\n"), to.to_uppercase(), name.to_lowercase()] {
                words.push(w);
            }
            words.push(format!("{name}s"));
        }
        let text = prop::collection::vec(prop::sample::select(words), 1..24).prop_map(|w| w.join(" "));
        (Just(toml), text)
    })
}

/// The engine for a generated rule file, or `None` when the loader refuses it.
fn load(toml: &str) -> Option<Engine> {
    let rules = common::parse_rules(Path::new("generated.toml"), toml).ok()?;
    Engine::new(rules).ok()
}

fn shipped() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let path = common::shipped_rules();
        let source = std::fs::read_to_string(&path).expect("the shipped rules read");
        Engine::new(common::parse_rules(&path, &source).expect("the shipped rules load")).expect("idempotent")
    })
}

/// Proptest's defaults with `cases` cases, unless `PROPTEST_CASES` says otherwise. Failures
/// are kept beside this file (`properties.proptest-regressions`): proptest's default puts them
/// in a `proptest-regressions/` folder beside the folder of the nearest `main.rs`, which for
/// this module of `tests/it/main.rs` would be `tests/proptest-regressions/properties.txt`.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config
}

// ---------------------------------------------------------------------------------------------
// The checks

const KINDS: [FileKind; 4] = [
    FileKind::Markdown,
    FileKind::Json,
    FileKind::JavaScript,
    FileKind::Plain,
];

fn rewrite(engine: &Engine, kind: FileKind, text: &str) -> FileRewrite {
    engine.rewrite(kind, text, &engine.all_active())
}

/// Whether `url` is a whole absolute URL, as the rewriter's `url` rules judge link targets
/// and attribute values.
fn is_whole_url(value: &str) -> bool {
    let v = value.trim();
    (v.contains("://") || v.starts_with("www.") || v.starts_with("mailto:"))
        && !v.contains(char::is_whitespace)
}

/// The spans tile the text and split no character; the edits are sorted, disjoint, on character boundaries; each
/// substitution edit lies inside one span whose context its rule allows (a `url` rule also
/// acts on a link target or attribute that is a whole URL); a heading-id insertion stands in
/// prose or markup; every other span (the protected ones) comes out byte for byte, found in
/// the output by shifting it past the edits before it.
fn check_protected(engine: &Engine, kind: FileKind, text: &str, out: &str) -> Result<(), TestCaseError> {
    let spans = scan::scan(kind, text, &engine.rules().files.reading).spans;
    prop_assert!(
        is_tiling(&spans, text.len()),
        "spans do not tile the text: {spans:?}"
    );
    for s in &spans {
        prop_assert!(
            text.is_char_boundary(s.range.start),
            "span {s:?} splits a character"
        );
    }
    let edits = rewrite(engine, kind, text).edits;
    let mut end = 0;
    for e in &edits {
        prop_assert!(e.range.start >= end, "edits overlap or are unsorted: {edits:?}");
        prop_assert!(text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end));
        end = e.range.end;
        let span = &spans[span_at(&spans, e.range.start.min(text.len().saturating_sub(1))).unwrap()];
        match e.cause {
            Cause::Substitution(i) => {
                let rule = &engine.rules().substitutions[i];
                prop_assert!(
                    span.range.end >= e.range.end,
                    "edit {e:?} crosses out of span {span:?}"
                );
                let url_valued = rule.contexts.contains(Context::Url)
                    && matches!(span.context, Context::LinkTarget | Context::HtmlAttribute)
                    && is_whole_url(&text[span.range.clone()]);
                prop_assert!(
                    rule.contexts.contains(span.context) || url_valued,
                    "rule `{}` edited {} text {:?} at {:?}",
                    rule.id,
                    span.context,
                    &text[span.range.clone()],
                    e.range
                );
            }
            Cause::HeadingId => prop_assert!(e.range.is_empty(), "a heading id replaced text: {e:?}"),
            Cause::Reference => prop_assert!(false, "a file rewrite made a reference edit: {e:?}"),
        }
    }
    let opted = |c: Context| {
        engine
            .rules()
            .substitutions
            .iter()
            .any(|s| s.contexts.contains(c))
    };
    for s in &spans {
        let c = s.context;
        let rewritable = c == Context::Prose
            || opted(c)
            || (opted(Context::Url) && matches!(c, Context::LinkTarget | Context::HtmlAttribute));
        if rewritable {
            continue;
        }
        let mut shift: isize = 0;
        for e in &edits {
            if e.range.is_empty() {
                let inside = s.range.start < e.range.start && e.range.start < s.range.end;
                prop_assert!(
                    !inside || c == Context::Markup,
                    "insertion {e:?} inside {c} span {:?}",
                    &text[s.range.clone()]
                );
                if inside {
                    shift = isize::MIN;
                    break;
                }
            } else {
                prop_assert!(
                    e.range.end <= s.range.start || e.range.start >= s.range.end,
                    "edit {e:?} touches {c} span {:?}",
                    &text[s.range.clone()]
                );
            }
            if e.range.end <= s.range.start {
                shift += e.replacement.len() as isize - e.range.len() as isize;
            }
        }
        if shift == isize::MIN {
            continue;
        }
        let start = (s.range.start as isize + shift) as usize;
        prop_assert_eq!(
            out.get(start..start + s.range.len()),
            Some(&text[s.range.clone()]),
            "{} span moved or changed",
            c
        );
    }
    Ok(())
}

/// Where the edits' replacements stand in the output.
fn replaced_ranges(edits: &[Edit]) -> Vec<Range<usize>> {
    let mut shift = 0isize;
    edits
        .iter()
        .map(|e| {
            let start = (e.range.start as isize + shift) as usize;
            shift += e.replacement.len() as isize - e.range.len() as isize;
            start..start + e.replacement.len()
        })
        .collect()
}

/// Whether a second-run edit at `range` of the output joins a first-run replacement with
/// the text next to it, or stands right beside one: the known gap of the load-time
/// idempotence check, which looks at each `to` alone and not at what it makes with its
/// neighbours (it can complete another rule's `from`, or give a neighbouring word the
/// boundary it lacked; see `composition_across_a_replacement_is_rewritten_again`). An edit
/// inside a replacement, or away from every replacement, is no such join.
fn joins_a_replacement(range: &Range<usize>, replaced: &[Range<usize>]) -> bool {
    replaced.iter().any(|r| {
        let touches = range.start <= r.end && r.start <= range.end;
        touches && (range.start < r.start || range.end > r.end)
    })
}

/// Rewriting the output again changes nothing (but for the known gap above, and the heading
/// ids that pin the anchors such a join moves).
fn check_idempotent(engine: &Engine, kind: FileKind, first: &[Edit], out: &str) -> Result<(), TestCaseError> {
    let replaced = replaced_ranges(first);
    let (joins, again): (Vec<Edit>, Vec<Edit>) = rewrite(engine, kind, out)
        .edits
        .into_iter()
        .partition(|e| joins_a_replacement(&e.range, &replaced));
    let again: Vec<Edit> = again
        .into_iter()
        .filter(|e| joins.is_empty() || e.cause != rebrand::rewrite::Cause::HeadingId)
        .collect();
    prop_assert!(
        again.is_empty(),
        "a second rewrite changes {:?}",
        again
            .iter()
            .map(|e| (&out[e.range.clone()], &e.replacement))
            .collect::<Vec<_>>()
    );
    Ok(())
}

/// Every piece the shipped rules must keep is in the output, as expected.
fn check_kept(doc: &Frag, out: &str) -> Result<(), TestCaseError> {
    for piece in &doc.kept {
        prop_assert!(
            out.contains(piece.as_str()),
            "{piece:?} is not in the output:\n{out}"
        );
    }
    Ok(())
}

fn all(engine: &Engine, kind: FileKind, text: &str) -> Result<String, TestCaseError> {
    let first = rewrite(engine, kind, text);
    let out = first.apply(text);
    check_protected(engine, kind, text, &out)?;
    check_idempotent(engine, kind, &first.edits, &out)?;
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The properties

proptest! {
    #![proptest_config(config(256))]

    /// The shipped rules on generated Markdown: the pieces that must stay (code, inline code,
    /// link targets, explicit anchors, front matter ids and slugs, HTML attributes, MDX,
    /// reference definitions) come out as they went in (URLs rewritten only by the `url`
    /// rules), every protected span is byte-identical, and a second run changes nothing.
    #[test]
    fn shipped_rules_keep_protected_markdown(doc in markdown()) {
        let out = all(shipped(), FileKind::Markdown, &doc.text)?;
        check_kept(&doc, &out)?;
    }

    /// The same for the site's JSON and JavaScript.
    #[test]
    fn shipped_rules_keep_protected_json_and_js(json in json(), js in javascript()) {
        let out = all(shipped(), FileKind::Json, &json.text)?;
        check_kept(&json, &out)?;
        let out = all(shipped(), FileKind::JavaScript, &js.text)?;
        check_kept(&js, &out)?;
    }

    /// Generated rule sets on generated documents of every kind: protected spans stay
    /// byte-identical and the rewrite is idempotent.
    #[test]
    fn generated_rules_keep_protected_spans_and_are_idempotent(
        toml in rule_file(),
        md in markdown(),
        json in json(),
        js in javascript(),
    ) {
        let engine = load(&toml);
        prop_assume!(engine.is_some(), "the loader refuses this rule set");
        let engine = engine.unwrap();
        all(&engine, FileKind::Markdown, &md.text)?;
        all(&engine, FileKind::Json, &json.text)?;
        all(&engine, FileKind::JavaScript, &js.text)?;
        all(&engine, FileKind::Plain, &md.text)?;
    }

    /// A rule set the loader takes rewrites each rule's own `from`, in every case shape,
    /// once and for all: the shapes a case-preserving rule writes (`hypervisor` capitalised
    /// after `Harvester`) must not be matched again.
    #[test]
    fn generated_rules_are_idempotent_on_their_own_froms(toml in tight_rule_file()) {
        // Refused is a fine answer: the check is there to refuse what is not idempotent.
        let Some(engine) = load(&toml) else {
            return Ok(());
        };
        let mut text = String::new();
        for s in &engine.rules().substitutions {
            let mut chars = s.from.chars();
            let capitalised: String = chars
                .next()
                .map(|c| c.to_uppercase().chain(chars.as_str().to_lowercase().chars()).collect())
                .unwrap_or_default();
            for shape in [s.from.clone(), s.from.to_uppercase(), s.from.to_lowercase(), capitalised] {
                text.push_str(&format!("{shape} and "));
            }
        }
        all(&engine, FileKind::Plain, &text)?;
        all(&engine, FileKind::Markdown, &text)?;
    }

    /// "Vendor X" names (a `to` that holds its `from`) always load, and their rewrite is
    /// idempotent outright: a second run makes no edit at all; text that reads as a rule's
    /// output is left as it is.
    #[test]
    fn vendor_x_names_load_and_are_idempotent((toml, text) in vendor_x()) {
        let engine = load(&toml);
        prop_assert!(engine.is_some(), "refused:\n{toml}");
        let engine = engine.unwrap();
        for kind in [FileKind::Plain, FileKind::Markdown] {
            let once = rewrite(&engine, kind, &text).apply(&text);
            let again = rewrite(&engine, kind, &once);
            prop_assert!(
                again.edits.is_empty(),
                "a second run changes {:?}\nin {once:?}",
                again.edits.iter().map(|e| (&once[e.range.clone()], &e.replacement)).collect::<Vec<_>>()
            );
            let outputs: Vec<String> = engine.rules().substitutions.iter().map(|s| s.to.clone()).collect();
            let only_outputs = outputs.join(" and ");
            prop_assert_eq!(rewrite(&engine, kind, &only_outputs).apply(&only_outputs), only_outputs.clone());
        }
    }

    /// Markdown-shaped soup and arbitrary strings, read as every kind, with the shipped and
    /// generated rules: no panic, and the same invariants.
    #[test]
    fn soup_never_panics(text in soup(), toml in rule_file()) {
        for kind in KINDS {
            all(shipped(), kind, &text)?;
            if let Some(engine) = load(&toml) {
                all(&engine, kind, &text)?;
            }
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(text in any::<String>()) {
        for kind in KINDS {
            all(shipped(), kind, &text)?;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Thread-count independence

/// A small generated tree: a few pages, a category file and a sidebar.
fn tree() -> impl Strategy<Value = Vec<(String, String)>> {
    (prop::collection::vec(markdown(), 1..=4), json(), javascript()).prop_map(|(pages, json, js)| {
        let mut files: Vec<(String, String)> = pages
            .into_iter()
            .enumerate()
            .map(|(i, p)| (format!("docs/section-{}/page-{i}.md", i % 2), p.text))
            .collect();
        files.push(("docs/_category_.json".into(), json.text));
        files.push(("sidebars.js".into(), js.text));
        files
    })
}

/// Output path → what is written there (text, or the input file it is copied from).
fn planned(engine: &Engine, input: &Path, threads: usize) -> BTreeMap<String, String> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    let plan = pool
        .install(|| rebrand::tree::plan(engine, input))
        .expect("the tree plans");
    plan.files
        .iter()
        .map(|f| {
            (
                f.report.out_path().to_string(),
                format!("{:?} {:?}", f.report, f.content),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(config(16))]

    /// The tree's plan (every output path, outcome and text) is the same with one thread and
    /// with four.
    #[test]
    fn tree_output_does_not_depend_on_thread_count(files in tree(), toml in rule_file()) {
        let engine = load(&toml);
        prop_assume!(engine.is_some(), "the loader refuses this rule set");
        let engine = engine.unwrap();
        let dir = tempfile::TempDir::new().unwrap();
        for (path, text) in &files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let one = planned(&engine, dir.path(), 1);
        let four = planned(&engine, dir.path(), 4);
        prop_assert_eq!(one.len(), files.len());
        prop_assert_eq!(one, four);
    }
}

// ---------------------------------------------------------------------------------------------
// The generators themselves

/// Most generated rule sets load: the properties above would otherwise test little.
#[test]
fn most_generated_rule_sets_load() {
    let mut runner = TestRunner::deterministic();
    let strategy = rule_file();
    let n = 400;
    let refused = (0..n)
        .filter(|_| load(&strategy.new_tree(&mut runner).unwrap().current()).is_none())
        .count();
    eprintln!("{refused} of {n} generated rule sets are refused by the loader");
    assert!(
        refused * 4 < n,
        "{refused} of {n} generated rule sets are refused"
    );
}

/// The generated documents give the rules work: the shipped rules change most of them.
#[test]
fn generated_documents_exercise_the_rules() {
    let mut runner = TestRunner::deterministic();
    let strategy = markdown();
    let n = 100;
    let changed = (0..n)
        .filter(|_| {
            let doc = strategy.new_tree(&mut runner).unwrap().current();
            !rewrite(shipped(), FileKind::Markdown, &doc.text).is_empty()
        })
        .count();
    assert!(changed * 2 > n, "only {changed} of {n} documents change");
}

// ---------------------------------------------------------------------------------------------
// Regressions: what the properties and the fuzzer found

/// The spans of `text` read as `kind` tile it and split no character, and the shipped rules
/// rewrite it without a panic.
fn scans_cleanly(kind: FileKind, text: &str) {
    let spans = scan::scan(kind, text, &shipped().rules().files.reading).spans;
    assert!(is_tiling(&spans, text.len()), "{spans:?}");
    for s in &spans {
        assert!(
            text.is_char_boundary(s.range.start),
            "{s:?} splits a character of {text:?}"
        );
    }
    rewrite(shipped(), kind, text).apply(text);
}

/// The minimized inputs of the failures the properties found, through every kind. The
/// bugs, each with its own test beside the fix: non-ASCII JavaScript code panicked and an
/// unclosed JSX attribute split a character (`scan::javascript`,
/// `non_ascii_characters_are_stepped_over_whole`); a match across a heading's line break
/// was applied twice to the heading's anchor text (`rewrite::apply_edits_within`,
/// `heading_match_across_a_line_break_counts_once_in_the_anchor`).
#[test]
fn minimized_failures_scan_and_rewrite_cleanly() {
    let found = [
        "𐞀",
        "x = <a title=\"é",
        ":::Harvester\nhypervisor<!--\n---\n",
        "The Harvester\nhypervisor\n---\n",
    ];
    for text in found {
        for kind in KINDS {
            scans_cleanly(kind, text);
        }
    }
}

/// Known gap, left open: the load-time idempotence check looks at each `to` alone, so a
/// replacement that makes something new with the text beside it is rewritten again by a
/// second run. The properties let exactly this shape pass (`joins_a_replacement`); this test
/// pins both forms found, so that a fix shows here.
#[test]
fn composition_across_a_replacement_is_rewritten_again() {
    // The shipped rules: `brand` makes `Harvester's` into `Hypervisor's`, and the
    // case-preserving `hypervisor` rule then reads `HARVESTER Hypervisor` as "Harvester
    // hypervisor".
    let text = "HARVESTER Harvester's\n";
    let once = rewrite(shipped(), FileKind::Markdown, text).apply(text);
    assert_eq!(once, "HARVESTER Hypervisor's\n");
    let twice = rewrite(shipped(), FileKind::Markdown, &once).apply(&once);
    assert_eq!(
        twice, "NQRust Hypervisor's\n",
        "fixed? then tighten joins_a_replacement"
    );

    // A rule without word boundaries whose `to` begins with a CJK character gives the word
    // before it the boundary it lacked.
    let engine = load(
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"超融合\"\nword_boundary = false\n\n\
         [[substitution]]\nfrom = \"harvester\"\nto = \"HV\"\n",
    )
    .unwrap();
    let text = "harvesterHarvester hypervisor";
    let once = rewrite(&engine, FileKind::Plain, text).apply(text);
    assert_eq!(once, "harvester超融合 hypervisor");
    let twice = rewrite(&engine, FileKind::Plain, &once).apply(&once);
    assert_eq!(
        twice, "HV超融合 hypervisor",
        "fixed? then tighten joins_a_replacement"
    );
}
