//! The file kinds, as data: one row per kind, with its name, its default `[files]` globs,
//! its scanner and what it offers (headings whose anchors follow rebranded text). Everything
//! else (the rule file's `[files]` keys, its JSON Schema, the link checker's defaults, the
//! scan) reads this table, so a new kind is a variant and a row here and a scanner module
//! (the way `typos` keeps its file types as data).

use super::{
    asciidoc, html, javascript, json, markdown, prose, toml, yaml, Dialect, Reading, Scanned, SpanBuilder,
};

/// How a file is read, decided by the rule file's `[files]` globs; its row in [`KINDS`]
/// says the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// CommonMark + GFM tables with Docusaurus/MDX extensions: front matter, admonitions,
    /// JSX, heading ids; read in the tree's [`Dialect`].
    Markdown,
    /// MDX 3 (`@mdx-js/mdx` 3): Markdown read in [`Dialect::Mdx3`] whatever the tree's
    /// (Docusaurus 3's `.mdx` pages: its generator gives the globs).
    Mdx,
    /// JSON: string values under prose keys are prose.
    Json,
    /// JavaScript: string literals are prose unless URL- or path-like.
    JavaScript,
    /// YAML: the values (and nav titles) under prose key paths are prose.
    Yaml,
    /// HTML and HTML templates: the text between tags is prose, template actions protected.
    Html,
    /// TOML: the string values under prose key paths are prose.
    Toml,
    /// AsciiDoc (asciidoctor): paragraphs, titles, list items, cells and macro labels prose;
    /// listing, literal, source and passthrough blocks, monospace, attribute references,
    /// macro targets and ids protected.
    Asciidoc,
    /// Plain text: all prose, bare URLs protected.
    Plain,
    /// A toy kind of the unit tests (`tests::TOY`): the proof that a kind is a variant, a row
    /// and a scanner, and nothing else.
    #[cfg(test)]
    Toy,
}

/// One file kind: what the rest of the tool knows of it.
pub struct KindRow {
    /// The kind.
    pub kind: FileKind,
    /// Its name: the `[files]` key of its globs, and what reports print.
    pub name: &'static str,
    /// What the `[files]` key means, for the rule file's JSON Schema.
    pub doc: &'static str,
    /// Its default `[files]` globs (paths relative to the tree, `/`-separated; `*` does not
    /// cross a `/`).
    pub globs: &'static [&'static str],
    /// Its scanner: the text of one file (without a byte order mark) and the prose keys in,
    /// the spans tiling it out.
    pub scan: fn(&str, &Reading) -> Scanned,
    /// Whether its files have headings with anchors (a rebranded heading pins or moves its
    /// anchor, links' `#fragment`s point at them), and who derives them.
    pub headings: Headings,
}

/// Where the headings of a kind's files get their anchors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Headings {
    /// The kind has no headings with anchors.
    None,
    /// The tree's generator derives them (Markdown: Docusaurus, Hugo, MkDocs each their own
    /// way; none without a generator).
    Generator,
    /// Asciidoctor derives a section's id ("Sections > Autogenerate section IDs"), whatever
    /// builds the tree: the [`super::SectionIds`] of each heading say how.
    Asciidoctor,
}

/// The kinds, in the order their globs are tried: a file is read as the first kind whose
/// globs take it.
pub static KINDS: &[KindRow] = ROWS;

#[cfg(not(test))]
const ROWS: &[KindRow] = &[MDX, MARKDOWN, JSON, JAVASCRIPT, YAML, TOML, HTML, ASCIIDOC, PLAIN];
#[cfg(test)]
const ROWS: &[KindRow] = &[
    MDX,
    MARKDOWN,
    JSON,
    JAVASCRIPT,
    YAML,
    TOML,
    HTML,
    ASCIIDOC,
    PLAIN,
    tests::TOY,
];

const MDX: KindRow = KindRow {
    kind: FileKind::Mdx,
    name: "mdx",
    doc: "Globs of the files read as MDX 3 (mdxjs.com): no indented code; `{…}` expressions, \
          JSX and `import`/`export` kept; tried before `markdown`. A Docusaurus 3 site adds \
          `**/*.mdx`, and `**/*.md` unless its `markdown.format` is `detect` or `md`.",
    globs: &[],
    scan: markdown::scan_mdx,
    headings: Headings::Generator,
};

const MARKDOWN: KindRow = KindRow {
    kind: FileKind::Markdown,
    name: "markdown",
    doc: "Globs of the files read as Markdown or MDX.",
    globs: &["**/*.md", "**/*.mdx"],
    scan: markdown::scan,
    headings: Headings::Generator,
};

const JSON: KindRow = KindRow {
    kind: FileKind::Json,
    name: "json",
    doc: "Globs of the files read as JSON: the string values of `json_prose_keys` are prose.",
    globs: &["**/*.json"],
    scan: |text, keys| Scanned {
        spans: json::scan(text, &keys.json),
        ..Scanned::default()
    },
    headings: Headings::None,
};

const JAVASCRIPT: KindRow = KindRow {
    kind: FileKind::JavaScript,
    name: "javascript",
    doc: "Globs of the files read as JavaScript: string literals are prose.",
    globs: &[],
    scan: |text, _| Scanned {
        spans: javascript::scan(text),
        ..Scanned::default()
    },
    headings: Headings::None,
};

const YAML: KindRow = KindRow {
    kind: FileKind::Yaml,
    name: "yaml",
    doc: "Globs of the files read as YAML: the values under `yaml_prose_keys` are prose.",
    globs: &[],
    scan: |text, reading| Scanned {
        spans: yaml::scan(text, &reading.yaml),
        ..Scanned::default()
    },
    headings: Headings::None,
};

const HTML: KindRow = KindRow {
    kind: FileKind::Html,
    name: "html",
    doc: "Globs of the files read as HTML or HTML templates (Go templates, Jinja): the text \
          between tags is prose; tags, attribute values and template actions are kept.",
    globs: &[],
    scan: |text, _| Scanned {
        spans: html::scan_file(text),
        ..Scanned::default()
    },
    headings: Headings::None,
};

const TOML: KindRow = KindRow {
    kind: FileKind::Toml,
    name: "toml",
    doc: "Globs of the files read as TOML: the string values under `toml_prose_keys` are prose.",
    globs: &[],
    scan: |text, reading| Scanned {
        spans: toml::scan(text, &reading.toml),
        ..Scanned::default()
    },
    headings: Headings::None,
};

const ASCIIDOC: KindRow = KindRow {
    kind: FileKind::Asciidoc,
    name: "asciidoc",
    doc: "Globs of the files read as AsciiDoc (asciidoctor): prose but for blocks of code, \
          monospace, attribute references, macro targets, ids and directives.",
    globs: &["**/*.adoc", "**/*.asciidoc"],
    scan: asciidoc::scan,
    headings: Headings::Asciidoctor,
};

const PLAIN: KindRow = KindRow {
    kind: FileKind::Plain,
    name: "plain",
    doc: "Globs of the files read as plain text: all prose, bare URLs protected.",
    globs: &[],
    scan: |text, _| {
        let mut b = SpanBuilder::new(text.len());
        prose(&mut b, text, 0..text.len());
        Scanned {
            spans: b.finish(),
            ..Scanned::default()
        }
    },
    headings: Headings::None,
};

impl FileKind {
    /// Its row of [`KINDS`].
    pub fn row(self) -> &'static KindRow {
        KINDS
            .iter()
            .find(|r| r.kind == self)
            .expect("every kind has its row in KINDS")
    }

    /// The name used in reports and as the `[files]` key (`"markdown"`, `"json"`,
    /// `"javascript"`, `"yaml"`, `"toml"`, `"html"`, `"asciidoc"`, `"plain"`).
    pub fn name(self) -> &'static str {
        self.row().name
    }

    /// The Markdown dialect a file of this kind is read in, in a tree whose pages are read in
    /// `tree`: `tree` for [`FileKind::Markdown`], [`Dialect::Mdx3`] for [`FileKind::Mdx`],
    /// `None` for the kinds that are no Markdown.
    pub fn dialect(self, tree: Dialect) -> Option<Dialect> {
        match self {
            FileKind::Markdown => Some(tree),
            FileKind::Mdx => Some(Dialect::Mdx3),
            _ => None,
        }
    }

    /// The kind named `name` (a `[files]` key), if any.
    pub fn from_name(name: &str) -> Option<FileKind> {
        KINDS.iter().find(|r| r.name == name).map(|r| r.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rewrite::Engine;
    use crate::rules::RuleSet;
    use crate::scan::{Context, SpanBuilder};

    /// A toy kind, only in the unit tests: lines that begin with `> ` are prose, the rest is
    /// kept. It is a variant of [`FileKind`], this row and its scanner, and nothing else: the
    /// rule file takes its `[files] toy` key, the schema lists it, the rewrite reads it.
    pub(super) const TOY: KindRow = KindRow {
        kind: FileKind::Toy,
        name: "toy",
        doc: "Globs of the files read as the toy kind: lines that begin with `> ` are prose.",
        globs: &["**/*.toy"],
        scan: |text, _| {
            let mut b = SpanBuilder::new(text.len());
            let mut at = 0;
            for line in text.split_inclusive('\n') {
                if let Some(rest) = line.strip_prefix("> ") {
                    b.region(at + 2..at + 2 + rest.trim_end().len(), Context::Prose);
                }
                at += line.len();
            }
            Scanned {
                spans: b.finish(),
                ..Scanned::default()
            }
        },
        headings: Headings::None,
    };

    #[test]
    fn a_kind_is_a_variant_a_row_and_a_scanner() {
        let rules = RuleSet::parse(
            std::path::Path::new("t.toml"),
            "[files]\ntoy = [\"notes/*.toy\"]\n\n[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n",
        )
        .unwrap();
        assert_eq!(rules.files.kind_of("notes/a.toy"), Some(FileKind::Toy));
        assert_eq!(
            rules.files.kind_of("a.toy"),
            None,
            "the rule file's globs replace the default"
        );
        let engine = Engine::new(rules).unwrap();
        let text = "Harvester stays here.\n> Harvester is prose here.\n";
        let out = engine
            .rewrite(FileKind::Toy, text, &engine.all_active())
            .apply(text);
        assert_eq!(out, "Harvester stays here.\n> Hypervisor is prose here.\n");
        let schema = crate::rules::json_schema();
        assert!(schema
            .pointer("/properties/files/properties/toy/description")
            .is_some());
        let refused = RuleSet::parse(std::path::Path::new("t.toml"), "[files]\ntoi = []\n").unwrap_err();
        assert!(refused.to_string().contains("did you mean `toy`?"), "{refused}");
    }

    #[test]
    fn every_kind_has_one_row_and_names_are_unique() {
        for row in KINDS {
            assert_eq!(row.kind.row().name, row.name);
            assert_eq!(FileKind::from_name(row.name), Some(row.kind));
        }
    }
}
