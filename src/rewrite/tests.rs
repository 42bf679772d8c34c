use std::path::Path;

use super::*;

/// A site's conventions as Docusaurus has them: translations under `i18n/`, github-slugger's
/// heading ids pinned with `{#id}`.
const SITE: crate::rules::Conventions = crate::rules::Conventions {
    translations: Some("i18n"),
    default_globs: &[],
    heading_ids: Some(crate::rules::HeadingIds::GithubSlugger),
    dialect: crate::scan::Dialect::Mdx1,
    yaml_prose_keys: &[],
    shortcode_prose: &[],
    toml_prose_keys: &[],
    json_file_prose_keys: &[],
};

/// The engine of `toml`, read for a Docusaurus-like tree ([`SITE`]).
fn engine(toml: &str) -> Engine {
    Engine::new(RuleSet::parse_for(Path::new("t.toml"), toml, SITE).expect("valid rules"))
        .expect("idempotent rules")
}

const NQ: &str = r#"
[[substitution]]
from = "Harvester hypervisor"
to = "NQRust Hypervisor"
[[substitution]]
from = "Harvester"
to = "Hypervisor"
[[exception]]
literal = "Harvester Cloud Provider"
reason = "upstream component name"
"#;

fn md(e: &Engine, text: &str) -> String {
    e.rewrite(FileKind::Markdown, text, &e.all_active()).apply(text)
}

fn plain(e: &Engine, text: &str) -> String {
    e.rewrite(FileKind::Plain, text, &e.all_active()).apply(text)
}

#[test]
fn longest_match_wins_and_no_stutter() {
    let e = engine(NQ);
    assert_eq!(
        md(&e, "The Harvester hypervisor runs on a Harvester node.\n"),
        "The NQRust Hypervisor runs on a Hypervisor node.\n"
    );
}

#[test]
fn rule_order_does_not_matter() {
    let reversed = r#"
[[substitution]]
from = "Harvester"
to = "Hypervisor"
[[substitution]]
from = "Harvester hypervisor"
to = "NQRust Hypervisor"
"#;
    let text = "The Harvester hypervisor and Harvester.\n";
    assert_eq!(md(&engine(NQ), text), md(&engine(reversed), text));
}

#[test]
fn phrase_across_a_soft_line_break() {
    let e = engine(NQ);
    assert_eq!(
        md(&e, "Install the Harvester\nhypervisor now.\n"),
        "Install the NQRust\nHypervisor now.\n"
    );
}

#[test]
fn exceptions_cover_their_whole_span() {
    let e = engine(NQ);
    assert_eq!(
        md(&e, "Harvester Cloud Provider and Harvester.\n"),
        "Harvester Cloud Provider and Hypervisor.\n"
    );
}

#[test]
fn refused_long_match_falls_back_to_shorter() {
    // "Harvester Hypervisor" matches the phrase pattern case-insensitively, but the phrase
    // rule is exact, so "Harvester" alone must still be rewritten.
    let e = engine(NQ);
    assert_eq!(md(&e, "Harvester Hypervisor\n"), "Hypervisor Hypervisor\n");
}

#[test]
fn boundaries_and_protected_contexts() {
    let e = engine(NQ);
    let text =
        "Harvesters use `Harvester` and [Harvester](https://harvesterhci.io/Harvester) in harvesterhci.\n";
    assert_eq!(
        md(&e, text),
        "Harvesters use `Harvester` and [Hypervisor](https://harvesterhci.io/Harvester) in harvesterhci.\n"
    );
}

#[test]
fn preserve_case_and_opt_in_contexts() {
    let e = engine(
        r#"
[[substitution]]
from = "harvester"
to = "hypervisor"
case = "preserve"
[[substitution]]
from = "Harvester Installer"
to = "Hypervisor Installer"
contexts = ["prose", "inline_code"]
"#,
    );
    let text = "HARVESTER, Harvester, harvester; `Harvester Installer` but `harvester-system`.\n";
    assert_eq!(
        md(&e, text),
        "HYPERVISOR, Hypervisor, hypervisor; `Hypervisor Installer` but `harvester-system`.\n"
    );
}

#[test]
fn paths_limit_a_rule() {
    let e = engine("[[substitution]]\nfrom = \"Harvester\"\nto = \"超融合\"\npaths = [\"i18n/zh/**\"]\n");
    let zh = e.active("i18n/zh/docusaurus-plugin-content-docs/current/index.md");
    let en = e.active("docs/index.md");
    let text = "安装 Harvester。\n";
    assert_eq!(
        e.rewrite(FileKind::Markdown, text, &zh).apply(text),
        "安装 超融合。\n"
    );
    assert!(e.rewrite(FileKind::Markdown, text, &en).is_empty());
}

#[test]
fn heading_anchor_is_kept() {
    let e = engine(NQ);
    let text =
        "## Harvester Node Driver\n\nSee [above](#harvester-node-driver).\n\n## Harvester nodes {#nodes}\n";
    assert_eq!(
        md(&e, text),
        "## Hypervisor Node Driver {#harvester-node-driver}\n\nSee [above](#harvester-node-driver).\n\n## Hypervisor nodes {#nodes}\n"
    );
}

#[test]
fn a_chain_of_rules_is_refused_unless_an_exception_keeps_the_text() {
    let chain = "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n\
                 [[substitution]]\nfrom = \"Hypervisor\"\nto = \"NQRust Hypervisor\"\n";
    let err = Engine::new(RuleSet::parse(Path::new("t.toml"), chain).unwrap())
        .expect_err("not idempotent")
        .to_string();
    assert!(err.contains("not idempotent"), "{err}");
    assert!(err.contains("t.toml:1:1"), "{err}");
    // An exception acting on every file keeps the first rule's output; one limited to some
    // paths does not.
    let kept = format!("{chain}\n[[exception]]\nliteral = \"Hypervisor\"\nreason = \"the vendor's word\"\n");
    let e = engine(&kept);
    assert_eq!(
        plain(&e, "Harvester and Hypervisor."),
        "Hypervisor and Hypervisor."
    );
    let limited = format!("{kept}paths = [\"docs/**\"]\n");
    assert!(Engine::new(RuleSet::parse(Path::new("t.toml"), &limited).unwrap()).is_err());
}

/// "Vendor X" names: a `to` that holds its `from` rewrites the bare name and leaves the text
/// that reads as some rule's output already; a second run changes nothing.
#[test]
fn vendor_x_names_rewrite_the_bare_name_only_and_are_idempotent() {
    let e = engine(
        "[[substitution]]\nfrom = \"Fleet\"\nto = \"NQRust Fleet\"\n\n\
         [[substitution]]\nfrom = \"Rancher\"\nto = \"Rancher Prime\"\n",
    );
    let text = "Fleet deploys bundles. NQRust Fleet is ours. Rancher runs it; Rancher Prime too.";
    let once = plain(&e, text);
    assert_eq!(
        once,
        "NQRust Fleet deploys bundles. NQRust Fleet is ours. Rancher Prime runs it; Rancher Prime too."
    );
    assert_eq!(plain(&e, &once), once);
    // Across a line break, and in Markdown with the output split by markup it is not.
    assert_eq!(
        plain(&e, "Use NQRust\nFleet and Fleet."),
        "Use NQRust\nFleet and NQRust Fleet."
    );
    assert_eq!(md(&e, "**NQRust** Fleet\n"), "**NQRust** NQRust Fleet\n");
}

/// An output written after a letter (the `from` begins with `/`, which needs no boundary)
/// still reads as the output; found by the property tests.
#[test]
fn an_output_written_inside_a_word_is_guarded_too() {
    let e = engine(
        "[[substitution]]\nfrom = \"/harvester\"\nto = \"NQRust Hypervisor\"\n\n\
         [[substitution]]\nfrom = \"Hypervisor\"\nto = \"NQRust Hypervisor\"\n",
    );
    let once = plain(&e, "x/harvester and Hypervisor");
    assert_eq!(once, "xNQRust Hypervisor and NQRust Hypervisor");
    assert_eq!(plain(&e, &once), once);
}

#[test]
fn a_case_preserving_vendor_x_name_guards_every_case_form() {
    let e = engine("[[substitution]]\nfrom = \"rancher\"\nto = \"Rancher Prime\"\ncase = \"preserve\"\n");
    let once = plain(&e, "RANCHER, rancher and Rancher; rancher prime stays.");
    assert_eq!(
        once,
        "RANCHER PRIME, Rancher Prime and Rancher Prime; rancher prime stays."
    );
    assert_eq!(plain(&e, &once), once);
}

#[test]
fn crlf_bom_and_missing_newline_are_kept() {
    let e = engine(NQ);
    let text = "\u{feff}# Harvester\r\n\r\nHarvester text";
    assert_eq!(
        md(&e, text),
        "\u{feff}# Hypervisor {#harvester}\r\n\r\nHypervisor text"
    );
}

#[test]
fn emphasis_underscores_are_markup_not_word_characters() {
    let e = engine(NQ);
    assert_eq!(
        md(&e, "which is _not controlled by Harvester_.\n"),
        "which is _not controlled by Hypervisor_.\n"
    );
}

fn at(e: &Engine, kind: FileKind, path: &str, text: &str) -> String {
    e.rewrite(kind, text, &e.active(path)).apply(text)
}

#[test]
fn a_locale_rule_takes_the_place_of_the_general_one_in_its_locale() {
    let e = engine(
        r#"
[[substitution]]
from = "Harvester"
to = "Hypervisor"
[[substitution]]
from = "Harvester"
to = "NQRust 超融合"
locale = "zh"
"#,
    );
    let zh = "i18n/zh/docusaurus-plugin-content-docs/current/intro.md";
    assert_eq!(
        at(&e, FileKind::Markdown, zh, "安装 Harvester。\n"),
        "安装 NQRust 超融合。\n"
    );
    assert_eq!(
        at(&e, FileKind::Markdown, "docs/intro.md", "Install Harvester.\n"),
        "Install Hypervisor.\n"
    );
    // `i18n/zhx/` is another locale.
    assert_eq!(
        at(&e, FileKind::Markdown, "i18n/zhx/a.md", "Harvester\n"),
        "Hypervisor\n"
    );
}

#[test]
fn a_rule_with_paths_takes_the_place_of_one_without_where_it_applies() {
    let e = engine(
        r#"
[[substitution]]
from = "Harvester"
to = "Hypervisor"
[[substitution]]
from = "Harvester"
to = "NQRust Hypervisor"
paths = ["docusaurus.config.js"]
"#,
    );
    let config = "const config = {\n  title: \"Harvester\",\n};\n";
    assert_eq!(
        at(&e, FileKind::JavaScript, "docusaurus.config.js", config),
        "const config = {\n  title: \"NQRust Hypervisor\",\n};\n"
    );
    assert_eq!(
        at(&e, FileKind::JavaScript, "sidebars.js", config),
        config.replace("Harvester", "Hypervisor")
    );
}

#[test]
fn url_rules_act_on_url_valued_link_targets_and_attributes_only() {
    let e = engine(
        r#"
[[substitution]]
from = "https://docs.harvesterhci.io"
to = "https://docs.nqrhypervisorhci.io"
word_boundary = false
contexts = ["url"]
"#,
    );
    let text = "<link rel=\"canonical\" href=\"https://docs.harvesterhci.io/v1.3/glossary\"/>\n\n\
                See [the docs](https://docs.harvesterhci.io/v1.3/) or https://docs.harvesterhci.io.\n\n\
                `https://docs.harvesterhci.io`\n";
    assert_eq!(
        md(&e, text),
        "<link rel=\"canonical\" href=\"https://docs.nqrhypervisorhci.io/v1.3/glossary\"/>\n\n\
         See [the docs](https://docs.nqrhypervisorhci.io/v1.3/) or https://docs.nqrhypervisorhci.io.\n\n\
         `https://docs.harvesterhci.io`\n"
    );
}

/// Found by `tests/it/properties.rs`: a match across a heading's line break ("Harvester\n
/// hypervisor" in a setext heading) was applied to both lines when the new anchor was worked
/// out (a debug assertion fired; a release build doubled the replacement in the anchor).
#[test]
fn heading_match_across_a_line_break_counts_once_in_the_anchor() {
    let text = "The Harvester\nhypervisor\n---\n";
    let keep = engine(NQ);
    assert_eq!(
        md(&keep, text),
        "The NQRust\nHypervisor {#the-harvesterhypervisor}\n---\n"
    );
    let rename = engine(&format!("{NQ}\n[site]\nanchors = \"rename\"\n"));
    let rw = rename.rewrite(FileKind::Markdown, text, &rename.all_active());
    assert_eq!(
        rw.moved_anchors,
        vec![(
            "the-harvesterhypervisor".to_string(),
            "the-nqrusthypervisor".to_string()
        )]
    );
}

/// A case-preserving rule writes its `to` capitalised after a capitalised match
/// ("Harvester" -> "Hypervisor" from `to = "hypervisor"`), so that form must not be matched
/// again either: the rule set below made "Harvester runs." into "Hypervisor runs." and a
/// second run into "NQRust runs.".
#[test]
fn capitalised_form_of_a_preserving_to_is_checked_for_idempotence() {
    let rules = "[[substitution]]\nfrom = \"harvester\"\nto = \"hypervisor\"\ncase = \"preserve\"\n\n\
                 [[substitution]]\nfrom = \"Hypervisor\"\nto = \"NQRust\"\n";
    let err = Engine::new(RuleSet::parse(Path::new("t.toml"), rules).unwrap()).unwrap_err();
    assert!(err.to_string().contains("`Hypervisor`"), "{err}");
}

#[test]
fn windows_are_the_runs_of_spans_in_the_set() {
    let spans: Vec<Span> = [
        (0..4, Context::Prose),
        (4..6, Context::InlineCode),
        (6..9, Context::Code),
        (9..12, Context::Prose),
        (12..13, Context::Markup),
        (13..20, Context::Prose),
    ]
    .into_iter()
    .map(|(range, context)| Span { range, context })
    .collect();
    let set: ContextSet = [Context::Prose, Context::InlineCode].into_iter().collect();
    assert_eq!(
        windows(&spans, set).collect::<Vec<_>>(),
        vec![0..6, 9..12, 13..20]
    );
    assert_eq!(windows(&spans, ContextSet::default()).count(), 0);
}

/// The automaton reads only the spans some acting rule may rewrite: on every page of the
/// test fixtures (real corpus pages), with the shipped rules, that finds exactly the edits a
/// reading of the whole text finds.
#[test]
fn reading_only_wanted_spans_finds_what_reading_everything_finds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let e = Engine::new(RuleSet::load(&root.join("rules/nqrust-hypervisor.toml")).unwrap()).unwrap();
    let everything: ContextSet = Context::ALL.iter().copied().collect();
    let mut pages = 0;
    let mut edits = 0;
    for entry in walkdir::WalkDir::new(root.join("tests/fixtures")).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let (Some(kind), Ok(text)) = (
            e.rules().files.kind_of(&rel),
            std::fs::read_to_string(entry.path()),
        ) else {
            continue;
        };
        let active = e.active(&rel);
        assert_ne!(
            active.contexts, everything,
            "the shipped rules leave some contexts alone"
        );
        let spans = scan::scan(kind, &text, &e.rules().files.reading).spans;
        let windowed = e.edits(&text, &spans, &active);
        let whole = e.edits(
            &text,
            &spans,
            &Active {
                contexts: everything,
                ..active.clone()
            },
        );
        assert_eq!(windowed, whole, "{rel}");
        pages += 1;
        edits += whole.len();
    }
    assert!(pages > 30 && edits > 100, "{pages} pages, {edits} edits");
}

#[test]
fn a_context_group_acts_in_every_format_and_a_format_s_name_in_its_own() {
    let rules = |contexts: &str| {
        engine(&format!(
            "[[substitution]]\nfrom = \"harvester\"\nto = \"hypervisor\"\ncontexts = [{contexts}]\n"
        ))
    };
    let front_matter = "---\nharvester: harvester\n---\n\nharvester\n";
    let json = "{\"harvester\": \"harvester\"}\n";
    let both = |e: &Engine| {
        let j = e.rewrite(FileKind::Json, json, &e.all_active()).apply(json);
        (md(e, front_matter), j)
    };
    let keys = rules("\"key\"");
    assert_eq!(
        both(&keys),
        (
            "---\nhypervisor: harvester\n---\n\nharvester\n".to_string(),
            "{\"hypervisor\": \"harvester\"}\n".to_string()
        )
    );
    let values = rules("\"value\"");
    assert_eq!(
        both(&values),
        (
            "---\nharvester: hypervisor\n---\n\nharvester\n".to_string(),
            "{\"harvester\": \"hypervisor\"}\n".to_string()
        )
    );
    // Today's names keep their meaning: one format's keys.
    let json_keys = rules("\"json_key\"");
    assert_eq!(
        both(&json_keys),
        (
            front_matter.to_string(),
            "{\"hypervisor\": \"harvester\"}\n".to_string()
        )
    );
}

#[test]
fn heading_ids_follow_the_generator_s_slugger_and_pins() {
    let rules = "[[substitution]]\nfrom = \"KubeVirt\"\nto = \"NQRust Virt\"\n";
    let text = "### KubeVirt <= v1.4.0\n\nKubeVirt.\n";
    let read_for = |heading_ids| {
        let conventions = crate::rules::Conventions {
            heading_ids,
            ..crate::rules::Conventions::NONE
        };
        Engine::new(RuleSet::parse_for(Path::new("t.toml"), rules, conventions).unwrap()).unwrap()
    };
    use crate::rules::HeadingIds::{GithubSlugger, PythonMarkdown};
    // MkDocs with attr_list: the toc slug is pinned.
    let mkdocs = read_for(Some(PythonMarkdown { attr_list: true }));
    assert_eq!(
        md(&mkdocs, text),
        "### NQRust Virt <= v1.4.0 {#kubevirt-v140}\n\nNQRust Virt.\n"
    );
    // Docusaurus: github-slugger's.
    let docusaurus = read_for(Some(GithubSlugger));
    assert_eq!(
        md(&docusaurus, text),
        "### NQRust Virt <= v1.4.0 {#kubevirt--v140}\n\nNQRust Virt.\n"
    );
    // MkDocs without attr_list cannot read a pin: the anchor moves, for links to follow.
    let bare = read_for(Some(PythonMarkdown { attr_list: false }));
    let rewrite = bare.rewrite(FileKind::Markdown, text, &bare.all_active());
    assert_eq!(rewrite.apply(text), "### NQRust Virt <= v1.4.0\n\nNQRust Virt.\n");
    assert_eq!(
        rewrite.moved_anchors,
        [("kubevirt-v140".to_string(), "nqrust-virt-v140".to_string())]
    );
    // No generator, no anchors.
    let none = read_for(None);
    let rewrite = none.rewrite(FileKind::Markdown, text, &none.all_active());
    assert!(rewrite.moved_anchors.is_empty());
    assert_eq!(rewrite.apply(text), "### NQRust Virt <= v1.4.0\n\nNQRust Virt.\n");
    // Hugo: Goldmark's typographer dashes are dropped from the id (Hugo 0.154.5 builds
    // `## KubeVirt -- the basics` to `id="kubevirt--the-basics"`), both before and after.
    let hugo = Engine::new(
        RuleSet::parse_for(
            Path::new("t.toml"),
            rules,
            crate::rules::Conventions {
                heading_ids: Some(crate::rules::HeadingIds::Goldmark),
                dialect: crate::scan::Dialect::Hugo,
                ..crate::rules::Conventions::NONE
            },
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(
        md(&hugo, "## KubeVirt -- the basics\n"),
        "## NQRust Virt -- the basics {#kubevirt--the-basics}\n"
    );
    assert_eq!(
        md(&docusaurus, "## KubeVirt -- the basics\n"),
        "## NQRust Virt -- the basics {#kubevirt----the-basics}\n"
    );
}

/// AsciiDoc sections keep their ids with a block anchor `[[old]]` before the title, whatever
/// the tree's generator (none here), as asciidoctor derives them; a section with an id, and
/// code, stay as they are (lines of the Keycloak upgrading guide).
#[test]
fn asciidoc_sections_keep_their_ids_with_a_block_anchor() {
    let rules = "[[substitution]]\nfrom = \"Keycloak\"\nto = \"NQRust Identity\"\n";
    let e = Engine::new(RuleSet::parse(Path::new("t.toml"), rules).unwrap()).unwrap();
    let text = "[[intro]]\n== Upgrading Keycloak\n\n== Upgrading Keycloak\r\n\n== Keycloak\n\n\
                [source,bash]\n----\nKeycloak\n----\n";
    let out = e.rewrite(FileKind::Asciidoc, text, &e.all_active()).apply(text);
    assert_eq!(
        out,
        "[[intro]]\n== Upgrading NQRust Identity\n\n[[_upgrading_keycloak]]\r\n== Upgrading NQRust Identity\r\n\n\
         [[_keycloak]]\n== NQRust Identity\n\n[source,bash]\n----\nKeycloak\n----\n"
    );
}

/// The build's attributes (`[files] asciidoc_attributes`, the Keycloak guides' Maven build:
/// no prefix, `-`) decide the id a rebranded section keeps.
#[test]
fn asciidoc_section_ids_follow_the_build_s_attributes() {
    let rules = "[files]\nasciidoc_attributes = { idprefix = \"\", idseparator = \"-\" }\n\n\
                 [[substitution]]\nfrom = \"Keycloak\"\nto = \"NQRust Identity\"\n";
    let e = Engine::new(RuleSet::parse(Path::new("t.toml"), rules).unwrap()).unwrap();
    let text = "== Upgrading Keycloak\n";
    let out = e.rewrite(FileKind::Asciidoc, text, &e.all_active()).apply(text);
    assert_eq!(out, "[[upgrading-keycloak]]\n== Upgrading NQRust Identity\n");
}

/// Keycloak's titles write the product as `{project_name}`, an attribute entry of another
/// file (`topics/templates/document-attributes.adoc`): the rewritten value moves the id of
/// every such title, in files with no match of their own, and the old id is pinned.
#[test]
fn a_title_that_references_a_rewritten_attribute_keeps_its_id() {
    let rules = "[[substitution]]\nfrom = \"Keycloak\"\nto = \"NQRust Identity\"\n\n\
                 [files]\nasciidoc_attributes = { idprefix = \"\", idseparator = \"-\" }\n";
    let e = engine(rules);
    let text = "=== Securing WARs using the {project_name} SAML subsystem\n\nText.\n";
    let adoc = |e: &Engine| e.rewrite(FileKind::Asciidoc, text, &e.all_active()).apply(text);
    // Without the tree's attributes nothing in the file matches.
    assert_eq!(adoc(&e), text);
    let with = e.with_document_attributes(vec![
        ("project_name".into(), "Keycloak".into()),
        ("project_name".into(), "Red Hat build of Keycloak".into()),
    ]);
    assert_eq!(
        adoc(&with),
        format!("[[securing-wars-using-the-keycloak-saml-subsystem]]\n{text}")
    );
    // An attribute the rules leave alone moves nothing.
    let other = e.with_document_attributes(vec![("project_name".into(), "RH-SSO".into())]);
    assert_eq!(adoc(&other), text);
}

/// MDX 3 reads `{` and `<` in text as code (mdxjs.com, "MDX syntax"): a substitution that
/// would write one into an MDX page's prose is refused and reported; in a Markdown page, or
/// in an MDX page's code, it is made.
#[test]
fn a_substitution_never_writes_braces_or_tags_into_mdx_text() {
    let e = engine("[[substitution]]\nfrom = \"Keycloak\"\nto = \"Identity {NQ}\"\ncontexts = [\"prose\", \"inline_code\"]\n");
    let text = "Keycloak runs `Keycloak`.\n";
    let out = e.rewrite(FileKind::Mdx, text, &e.all_active());
    assert_eq!(out.apply(text), "Keycloak runs `Identity {NQ}`.\n");
    assert_eq!(out.refused.len(), 1);
    assert_eq!(out.refused[0].range, 0..8);
    assert_eq!(md(&e, text), "Identity {NQ} runs `Identity {NQ}`.\n");
}

/// In MDX 3 `{#id}` is an expression acorn cannot parse: a Docusaurus site's MDX page pins
/// an anchor with the escaped form every Docusaurus 3 reads; its Markdown pages keep `{#id}`.
#[test]
fn an_mdx_heading_is_pinned_with_the_escaped_id() {
    let e = engine("[[substitution]]\nfrom = \"Keycloak\"\nto = \"NQRust Identity\"\n");
    let text = "## Keycloak realms\n\n## Old \\{#old\\}\n\nKeycloak.\n";
    let out = e.rewrite(FileKind::Mdx, text, &e.all_active()).apply(text);
    assert_eq!(
        out,
        "## NQRust Identity realms \\{#keycloak-realms\\}\n\n## Old \\{#old\\}\n\nNQRust Identity.\n"
    );
    assert_eq!(
        md(&e, "## Keycloak realms\n"),
        "## NQRust Identity realms {#keycloak-realms}\n"
    );
}
