//! What the user wrote: the serde model of a rule file, strict about unknown keys.

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

/// How a substitution treats letter case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CaseMode {
    /// Match `from` exactly, byte for byte; write `to` as written.
    #[default]
    Exact,
    /// Match `from` ignoring ASCII case and carry the match's case over to `to`:
    /// `Harvester` → `Hypervisor`, `HARVESTER` → `HYPERVISOR`, `harvester` → `hypervisor`.
    Preserve,
}

/// A rebrand rule file: which product names change in an upstream documentation tree, what
/// never changes, and how the whole site is branded. Unknown keys are errors.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "rebrand rule file")]
pub(super) struct RawRuleFile {
    /// The rule files this one is laid over, relative to its folder: one path or a list of
    /// paths. They are read first, in the order listed (a file reached twice is read once),
    /// and this file takes precedence: its arrays of tables follow theirs, each key it sets
    /// in `[files]`, `[site]`, `[locales]` or `[audit]` replaces their value whole, its
    /// `[overlay]` replaces theirs, and its `[[substitution]]` with the same `from` as one of
    /// theirs takes that one's place.
    // Read by `read` itself, not by serde: a string or an array of strings, each with its span.
    #[serde(default)]
    #[schemars(schema_with = "super::schema::extends")]
    pub extends: Vec<Spanned<String>>,
    /// `[files]`: which files of the tree are read as text, and how each kind is read.
    #[schemars(with = "Option<RawFiles>")]
    pub files: Option<Spanned<RawFiles>>,
    /// `[[substitution]]`: the product names to rewrite, and where. All substitutions run in
    /// one pass, the longest match first, so their order never matters.
    #[serde(default)]
    #[schemars(with = "Vec<RawSubstitution>")]
    pub substitution: Vec<Spanned<RawSubstitution>>,
    /// `[[exception]]`: text that is never rewritten wherever it appears (no substitution can
    /// match inside or across it), each with the reason why.
    #[serde(default)]
    #[schemars(with = "Vec<RawException>")]
    pub exception: Vec<Spanned<RawException>>,
    /// `[[identity]]`: the upstream's identity outside its product name (hosts, analytics and
    /// tag ids, copyright holders), which `rebrand audit` reports wherever it is left.
    #[serde(default)]
    #[schemars(with = "Vec<RawIdentity>")]
    pub identity: Vec<Spanned<RawIdentity>>,
    /// `[[test]]`: test cases of the rules, run by `rebrand test-rules`: what the rules must
    /// make of a text.
    #[serde(default)]
    #[schemars(with = "Vec<RawTest>")]
    pub test: Vec<Spanned<RawTest>>,
    /// `[site]`: settings of the whole site (heading anchors).
    pub site: Option<super::site::RawSite>,
    /// `[overlay]`: a folder of the vendor's files (logo, favicon, screenshots, CSS) copied
    /// over the output after rewriting, at the same relative paths.
    pub overlay: Option<super::site::RawOverlay>,
    /// `[[asset]]`: references to an upstream image or file rewritten to a vendor one,
    /// wherever pages, HTML and JavaScript make them.
    #[serde(default)]
    #[schemars(with = "Vec<super::site::RawAsset>")]
    pub asset: Vec<Spanned<super::site::RawAsset>>,
    /// `[[patch]]`: unified diffs applied to the rewritten tree, in file order: structural
    /// edits no substitution can express.
    #[serde(default)]
    #[schemars(with = "Vec<super::site::RawPatch>")]
    pub patch: Vec<Spanned<super::site::RawPatch>>,
    /// `[[rename]]`: file and folder names changed in the output; every in-tree reference
    /// follows (links, URLs, sidebar and doc ids, image paths).
    #[serde(default)]
    #[schemars(with = "Vec<super::site::RawRename>")]
    pub rename: Vec<Spanned<super::site::RawRename>>,
    /// `[locales]`: the site's translations (Docusaurus `i18n/<locale>/` trees).
    pub locales: Option<super::site::RawLocales>,
    /// `[audit]`: settings of `rebrand audit`.
    pub audit: Option<RawAudit>,
}

/// `[audit]`: what `rebrand audit` accepts.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAudit {
    /// Doubled brand words that are meant (`"Hypervisor hypervisor"`): not reported as
    /// stutters. Compared ignoring case and the markup between the words, so the example
    /// also allows `**Hypervisor** hypervisor`. Default: none.
    pub allow_stutters: Option<Vec<String>>,
}

/// `[files]`: which files of the tree are read as text, and how. Globs match paths relative
/// to the tree, with `/`: `*` does not cross a `/`, `**` does. A file `include` takes and
/// `exclude` does not is read as the first kind whose globs take it (Markdown, JSON,
/// JavaScript, YAML, TOML, plain text); every other file is copied byte for byte. Each key set replaces
/// its default whole.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFiles {
    /// Globs of the files that may be read as text (when a kind below also takes them).
    /// Default: `["**"]`, every file.
    #[schemars(with = "Option<Vec<String>>")]
    pub include: Option<Vec<Spanned<String>>>,
    /// Globs of the files never read as text, even when `include` takes them: they are
    /// copied unchanged. Default: `[]`.
    #[schemars(with = "Option<Vec<String>>")]
    pub exclude: Option<Vec<Spanned<String>>>,
    /// Globs of the upstream paths left out of the output entirely: not rewritten, not
    /// copied, not audited; a sync removes them from the branded tree unless they were edited
    /// there. Default: `[]`.
    #[schemars(with = "Option<Vec<String>>")]
    pub omit: Option<Vec<Spanned<String>>>,
    /// The globs of each file kind set (`markdown = [...]`, `json`, `javascript`, `plain`:
    /// one key per row of [`crate::scan::KINDS`]), read by [`read`] itself.
    #[serde(skip)]
    #[schemars(skip)]
    pub kinds: Vec<(crate::scan::FileKind, Vec<Spanned<String>>)>,
    /// Front matter key paths whose values (or list items) are prose; the values of other
    /// keys are kept. Read as `yaml_prose_keys` reads its paths, in `---` YAML front matter
    /// and in `+++` TOML front matter (Hugo): a name (`title`) is a top-level key, a path
    /// reaches nested keys (`menu.main.name`, `params.*`). Default: `["title", "description",
    /// "sidebar_label", "keywords"]`.
    #[schemars(with = "Option<Vec<String>>")]
    pub front_matter_prose_keys: Option<Vec<Spanned<String>>>,
    /// JSON key paths whose string values (or arrays of strings) are prose; the values of
    /// other keys are kept. Read as `yaml_prose_keys` reads its paths (object keys joined by
    /// `.`, an array adds none: `link.description`, `*.label`), except that a bare name is the
    /// key at any depth: `label` means `**.label`, as it always has. Default: `["label",
    /// "description", "message"]`.
    #[schemars(with = "Option<Vec<String>>")]
    pub json_prose_keys: Option<Vec<Spanned<String>>>,
    /// YAML key paths whose values are prose (`site_name`, `nav.**`, `extra.*.title`: keys
    /// joined by `.`, `*` one key, `**` any number; a pattern ending in `.**` makes the keys
    /// under it prose too); values that read as paths, URLs or identifiers are kept. Default:
    /// the documentation generator's (MkDocs: `site_name`, `site_description`, `copyright`,
    /// `title`, `nav.**`), else none.
    #[schemars(with = "Option<Vec<String>>")]
    pub yaml_prose_keys: Option<Vec<Spanned<String>>>,
    /// Hugo shortcode parameters whose values are prose, as `shortcode.parameter` globs
    /// (`figure.caption`, `*.title`; a positional parameter by its index from 0:
    /// `notice.1`); every other argument of a call (`ref`'s page, a `figure`'s `src`) is kept.
    /// Default: the documentation generator's (Hugo: `figure.alt`, `figure.title`,
    /// `figure.caption`, `figure.attr`, `details.summary`, `youtube.title`, `vimeo.title`),
    /// else none.
    #[schemars(with = "Option<Vec<String>>")]
    pub shortcode_prose_params: Option<Vec<Spanned<String>>>,
    /// The props of JSX components and HTML elements in Markdown and MDX pages whose string
    /// values (`title="…"`, `alt='…'`) are prose, as `Component.prop` globs (`Card.description`,
    /// `*.title`, `img.alt`; names as written, case counts); every other value is kept (`href`,
    /// `src`, `id`, `className`, `to`, `value`), and so is every prop given as an expression
    /// (`title={…}`) but one string literal (`title={"…"}`, read as its string). The list
    /// replaces the default; write the default's entries to extend it.
    /// Default: `["*.title", "*.description", "*.alt", "*.label", "*.aria-label",
    /// "*.placeholder"]`.
    #[schemars(with = "Option<Vec<String>>")]
    pub jsx_prose_props: Option<Vec<Spanned<String>>>,
    /// TOML key paths whose string values are prose (`title`, `params.**.text`,
    /// `menu.**.name`: keys joined by `.`, `*` one key, `**` any number; a table header's keys
    /// begin the path of its pairs, an array or an array of tables adds no segment, so
    /// `[[params.features]] text = "..."` is `params.features.text`); keys, and values that
    /// read as paths, URLs or identifiers, are kept. Default: the documentation generator's
    /// (Hugo: `title`, `copyright`, `params.description`, `params.tagline`,
    /// `params.**.title`, `params.**.text`, `menu.**.name`, `menus.**.name`,
    /// `languages.*.title`), else none.
    #[schemars(with = "Option<Vec<String>>")]
    pub toml_prose_keys: Option<Vec<Spanned<String>>>,
    /// The attributes the AsciiDoc build sets for every document (asciidoctor's `-a
    /// name=value`, the asciidoctor Maven plugin's `<attributes>`), read as if each AsciiDoc
    /// file began with them: `idprefix`, `idseparator` and `sectids` (`"sectids!" = ""`
    /// unsets it) decide the section ids a rebranded title keeps. The Keycloak guides' build
    /// sets `{ idprefix = "", idseparator = "-" }`. Default: none (asciidoctor's `_` and
    /// `_`).
    pub asciidoc_attributes: Option<std::collections::BTreeMap<String, String>>,
}

/// `[[substitution]]`: one product-name substitution.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSubstitution {
    /// The name reports give the rule. Default: its `from`.
    pub id: Option<String>,
    /// The text to find: not empty, and no other rule's `from` unless one of the two has
    /// `paths` or a `locale`. A `from` of several words also matches across a line break.
    #[schemars(with = "String", length(min = 1))]
    pub from: Spanned<String>,
    /// The text to put in its place.
    #[schemars(with = "String")]
    pub to: Spanned<String>,
    /// How letter case is matched and written. Default: `"exact"`.
    pub case: Option<CaseMode>,
    /// Whether the match must stand as a whole word: `Harvester's` and `Harvester-based`
    /// match, `Harvesters` and `harvesterhci` do not. Default: `true`.
    pub word_boundary: Option<bool>,
    /// The contexts the substitution acts in (`prose`, `inline_code`, `url`, ...: where a
    /// piece of text stands in its file), or groups of them (`key`, `value`: every format's
    /// keys or values). Default: `["prose"]`.
    #[schemars(with = "Option<Vec<super::schema::ContextsEntry>>")]
    pub contexts: Option<Vec<Spanned<String>>>,
    /// Globs of the relative paths the rule is limited to (`["docusaurus.config.js"]`); where
    /// it applies, it takes the place of a rule without `paths` that has the same `from`.
    /// Default: every file.
    #[schemars(with = "Option<Vec<String>>")]
    pub paths: Option<Vec<Spanned<String>>>,
    /// A locale (`"zh"`): the rule acts only in the `i18n/<locale>/` tree, and there takes
    /// the place of a rule without a locale that has the same `from`. Default: every file.
    #[schemars(with = "Option<String>")]
    pub locale: Option<Spanned<String>>,
    /// Free text for the people who read the rule file; reports do not show it.
    pub note: Option<String>,
}

/// `[[identity]]`: an upstream identity marker, given as exactly one of `literal` and
/// `regex`. In a tree judged as branded, an occurrence is an error, unless an
/// `[[exception]]` covers it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = [{"required": ["literal"]}, {"required": ["regex"]}]))]
pub(super) struct RawIdentity {
    /// The name reports give the marker. Default: its pattern.
    pub id: Option<String>,
    /// The exact text to look for (case-sensitive). Exactly one of `literal` and `regex`.
    #[schemars(with = "Option<String>", length(min = 1))]
    pub literal: Option<Spanned<String>>,
    /// A regular expression to look for, in Rust `regex` syntax
    /// (https://docs.rs/regex/#syntax: no look-around). Exactly one of `literal` and `regex`.
    #[schemars(with = "Option<String>")]
    pub regex: Option<Spanned<String>>,
    /// What the marker is, for the finding's message (`"SUSE's Google Tag Manager
    /// container"`).
    pub what: String,
    /// Globs of the relative paths it is looked for in. Default: every file.
    #[schemars(with = "Option<Vec<String>>")]
    pub paths: Option<Vec<Spanned<String>>>,
    /// The contexts an occurrence counts in. Default: every context but `code` and
    /// `inline_code`, where commands and identifiers keep the upstream's names. Groups
    /// (`key`, `value`) name every format's keys or values.
    #[schemars(with = "Option<Vec<super::schema::ContextsEntry>>")]
    pub contexts: Option<Vec<Spanned<String>>>,
}

/// `[[exception]]`: text that is never rewritten wherever it appears, given as exactly one
/// of `literal` and `regex`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = [{"required": ["literal"]}, {"required": ["regex"]}]))]
pub(super) struct RawException {
    /// The name reports give the exception. Default: its pattern.
    pub id: Option<String>,
    /// The exact text to keep (case-sensitive). Exactly one of `literal` and `regex`.
    #[schemars(with = "Option<String>", length(min = 1))]
    pub literal: Option<Spanned<String>>,
    /// A regular expression of the text to keep, in Rust `regex` syntax
    /// (https://docs.rs/regex/#syntax: no look-around). It must not match the empty string,
    /// and compiled it must stay under 1 MiB. Exactly one of `literal` and `regex`.
    #[schemars(with = "Option<String>")]
    pub regex: Option<Spanned<String>>,
    /// Why the text stays as upstream wrote it; the audit shows it with what the exception
    /// keeps.
    pub reason: String,
    /// Globs of the relative paths the exception is limited to. Default: every file.
    #[schemars(with = "Option<Vec<String>>")]
    pub paths: Option<Vec<Spanned<String>>>,
}

/// `[[test]]`: a test case of the rules: what they must make of `input`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTest {
    /// The name the test is reported by. Default: `test N`, N its place among the tests.
    pub name: Option<String>,
    /// The text to rewrite.
    pub input: String,
    /// What the rules must make of `input`.
    #[schemars(with = "String")]
    pub expect: Spanned<String>,
    /// The context `input` is read as, one span of it (as plain text). Default: `prose`.
    /// Not used when `path` is set.
    #[schemars(with = "Option<super::schema::ContextName>")]
    pub context: Option<Spanned<String>>,
    /// Read `input` as a whole file at this relative path instead, its kind as `[files]`
    /// says (`docs/intro.md` as Markdown).
    pub path: Option<String>,
}

/// One error of [`read`]: its span in the text read and its message ([`with_key`]).
pub(super) type ReadError = (std::ops::Range<usize>, String);

/// Reads a rule file's text into the raw model, table by table, so that one run reports
/// every table's error (an unknown key in two tables gives two errors), not only the first
/// the parser meets. A TOML syntax error stops at once (nothing after it can be trusted).
///
/// Returns what could be read (a table with an error is left at its default) and every
/// error found, in file order.
pub(super) fn read(source: &str) -> (RawRuleFile, Vec<ReadError>) {
    use serde::de::IntoDeserializer;
    use toml::de::{DeTable, DeValue};
    // The message names the key from the top of the file: the table's name, then the key
    // inside it that the error gives, if any.
    let located = |table: Option<&str>, mut e: toml::de::Error| {
        e.set_input(Some(source));
        let message = with_key(&e);
        let message = match (table, message.rsplit_once(", for key `")) {
            (Some(t), Some((head, key))) => format!("{head}, for key `{t}.{key}"),
            (Some(t), None) if message.starts_with("invalid ") => format!("{message}, for key `{t}`"),
            _ => message,
        };
        (e.span().unwrap_or(0..0), message)
    };
    let table = match DeTable::parse(source) {
        Ok(table) => table,
        Err(e) => return (RawRuleFile::default(), vec![located(None, e)]),
    };
    type Found = Vec<toml::de::Error>;
    fn one<'i, T: Deserialize<'i>>(value: Spanned<DeValue<'i>>, errors: &mut Found) -> Option<T> {
        T::deserialize(value.into_deserializer())
            .map_err(|e| errors.push(e))
            .ok()
    }
    fn many<'i, T: Deserialize<'i>>(value: Spanned<DeValue<'i>>, errors: &mut Found) -> Vec<T> {
        let (span, value) = (value.span(), value.into_inner());
        match value {
            DeValue::Array(items) => items.into_iter().filter_map(|item| one(item, errors)).collect(),
            other => one::<Vec<T>>(Spanned::new(span, other), errors).unwrap_or_default(),
        }
    }
    let mut raw = RawRuleFile::default();
    let mut unknown = Vec::new();
    let mut located_errors = Vec::new();
    for (key, value) in table.into_inner() {
        let (key_span, key) = (key.span(), key.into_inner());
        let mut errors = Vec::new();
        match key.as_ref() {
            "extends" => match extends(value) {
                Ok(paths) => raw.extends = paths,
                Err(e) => located_errors.push(e),
            },
            "files" => raw.files = files(value, &mut errors, &mut located_errors),
            "substitution" => raw.substitution = many(value, &mut errors),
            "exception" => raw.exception = many(value, &mut errors),
            "identity" => raw.identity = many(value, &mut errors),
            "test" => raw.test = many(value, &mut errors),
            "site" => raw.site = one(value, &mut errors),
            "overlay" => raw.overlay = one(value, &mut errors),
            "asset" => raw.asset = many(value, &mut errors),
            "patch" => raw.patch = many(value, &mut errors),
            "rename" => raw.rename = many(value, &mut errors),
            "locales" => raw.locales = one(value, &mut errors),
            "audit" => raw.audit = one(value, &mut errors),
            other => unknown.push((key_span, other.to_string())),
        }
        located_errors.extend(errors.into_iter().map(|e| located(Some(key.as_ref()), e)));
    }
    let mut errors = located_errors;
    let names = TABLES
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ");
    errors.extend(
        unknown
            .into_iter()
            .map(|(span, key)| (span, format!("unknown field `{key}`, expected one of {names}"))),
    );
    errors.sort_by_key(|(span, _)| span.start);
    (raw, errors)
}

/// The `[files]` table: the keys of the file kinds (one per row of [`crate::scan::KINDS`])
/// read here, each as a list of globs, their errors pushed to `located` with their key; the
/// other keys by [`RawFiles`]'s strict model, its errors pushed to `errors`, but for an
/// unknown key, whose message then names the kinds' keys too.
fn files(
    value: Spanned<toml::de::DeValue<'_>>,
    errors: &mut Vec<toml::de::Error>,
    located: &mut Vec<ReadError>,
) -> Option<Spanned<RawFiles>> {
    use serde::de::IntoDeserializer;
    use toml::de::DeValue;
    let span = value.span();
    let DeValue::Table(table) = value.into_inner() else {
        located.push((span, "invalid type for key `files`: expected a table".into()));
        return None;
    };
    let mut rest = toml::de::DeTable::new();
    let mut kinds = Vec::new();
    for (key, value) in table {
        let Some(kind) = crate::scan::FileKind::from_name(key.get_ref()) else {
            rest.insert(key, value);
            continue;
        };
        let at = value.span();
        match Vec::<Spanned<String>>::deserialize(value.into_deserializer()) {
            Ok(globs) => kinds.push((kind, globs)),
            Err(e) => located.push((
                e.span().unwrap_or(at),
                format!("{}, for key `files.{}`", e.message().trim_end(), kind.name()),
            )),
        }
    }
    match RawFiles::deserialize(Spanned::new(span.clone(), DeValue::Table(rest)).into_deserializer()) {
        Ok(mut files) => {
            files.kinds = kinds;
            Some(Spanned::new(span, files))
        }
        Err(e) if e.message().starts_with("unknown field") => {
            let kinds: Vec<String> = crate::scan::KINDS
                .iter()
                .map(|r| format!("`{}`", r.name))
                .collect();
            located.push((
                e.span().unwrap_or(span),
                format!("{}, {}", e.message().trim_end(), kinds.join(", ")),
            ));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// The value of `extends`: one path or an array of paths, each with its span.
fn extends(value: Spanned<toml::de::DeValue<'_>>) -> Result<Vec<Spanned<String>>, ReadError> {
    use toml::de::DeValue;
    let wrong = |span| {
        (
            span,
            "invalid type for key `extends`: expected a path or an array of paths (strings)".to_string(),
        )
    };
    let (span, value) = (value.span(), value.into_inner());
    let items = match value {
        DeValue::String(s) => return Ok(vec![Spanned::new(span, s.into_owned())]),
        DeValue::Array(items) => items,
        _ => return Err(wrong(span)),
    };
    items
        .into_iter()
        .map(|item| {
            let span = item.span();
            match item.into_inner() {
                DeValue::String(s) => Ok(Spanned::new(span, s.into_owned())),
                _ => Err(wrong(span)),
            }
        })
        .collect()
}

impl RawRuleFile {
    /// This file with `later` laid over it (`later` extends it, directly or not): the
    /// entries of arrays of tables follow this file's; in a table (`[files]`, `[site]`,
    /// `[overlay]`, `[locales]`, `[audit]`), each key `later` sets replaces this file's value
    /// whole, lists included. `extends` is left empty: it has been followed.
    pub(super) fn laid_under(mut self, later: RawRuleFile) -> RawRuleFile {
        self.files = match (self.files, later.files) {
            (Some(base), Some(top)) => {
                let span = top.span();
                Some(Spanned::new(span, base.into_inner().laid_under(top.into_inner())))
            }
            (base, top) => top.or(base),
        };
        self.substitution.extend(later.substitution);
        self.exception.extend(later.exception);
        self.identity.extend(later.identity);
        self.test.extend(later.test);
        self.site = match (self.site, later.site) {
            (Some(base), Some(top)) => Some(super::site::RawSite {
                anchors: top.anchors.or(base.anchors),
            }),
            (base, top) => top.or(base),
        };
        self.overlay = later.overlay.or(self.overlay);
        self.asset.extend(later.asset);
        self.patch.extend(later.patch);
        self.rename.extend(later.rename);
        self.locales = match (self.locales, later.locales) {
            (Some(base), Some(top)) => Some(super::site::RawLocales {
                drop: top.drop.or(base.drop),
            }),
            (base, top) => top.or(base),
        };
        self.audit = match (self.audit, later.audit) {
            (Some(base), Some(top)) => Some(RawAudit {
                allow_stutters: top.allow_stutters.or(base.allow_stutters),
            }),
            (base, top) => top.or(base),
        };
        self.extends = Vec::new();
        self
    }
}

impl RawFiles {
    /// This `[files]` with the keys `later` sets replacing its values.
    fn laid_under(self, later: RawFiles) -> RawFiles {
        RawFiles {
            include: later.include.or(self.include),
            exclude: later.exclude.or(self.exclude),
            omit: later.omit.or(self.omit),
            kinds: {
                let mut kinds = later.kinds;
                let set: Vec<_> = kinds.iter().map(|(k, _)| *k).collect();
                kinds.extend(self.kinds.into_iter().filter(|(k, _)| !set.contains(k)));
                kinds
            },
            front_matter_prose_keys: later.front_matter_prose_keys.or(self.front_matter_prose_keys),
            json_prose_keys: later.json_prose_keys.or(self.json_prose_keys),
            yaml_prose_keys: later.yaml_prose_keys.or(self.yaml_prose_keys),
            shortcode_prose_params: later.shortcode_prose_params.or(self.shortcode_prose_params),
            jsx_prose_props: later.jsx_prose_props.or(self.jsx_prose_props),
            toml_prose_keys: later.toml_prose_keys.or(self.toml_prose_keys),
            asciidoc_attributes: later.asciidoc_attributes.or(self.asciidoc_attributes),
        }
    }
}

/// The top-level keys, tables and arrays of tables of a rule file, as `read` takes them.
const TABLES: [&str; 13] = [
    "extends",
    "files",
    "substitution",
    "exception",
    "identity",
    "test",
    "site",
    "overlay",
    "asset",
    "patch",
    "rename",
    "locales",
    "audit",
];

/// A hint for the common wrong shapes of a rule file: a table written with single brackets
/// where an array of tables is meant (`[substitution]`), a list written as one string
/// (`contexts = "prose"`).
pub(super) fn shape_hint(message: &str) -> Option<String> {
    if message.starts_with("invalid type: map, expected a sequence") {
        return Some(
            "this table is an array of tables: write its header with double brackets (`[[substitution]]`, `[[exception]]`, ...), one per entry".into(),
        );
    }
    let rest = message.strip_prefix("invalid type: string \"")?;
    let (value, expected) = rest.split_once('"')?;
    expected
        .starts_with(", expected a sequence")
        .then(|| format!("this key takes a list: write `[\"{value}\"]`"))
}

/// The message of a TOML or serde error, with the key it is about when the message does not
/// name it: `invalid type: string "yes", expected a boolean, for key `word_boundary``.
pub(super) fn with_key(error: &toml::de::Error) -> String {
    let message = error.message().trim_end().to_string();
    if ![
        "invalid type",
        "invalid value",
        "invalid length",
        "unknown variant",
    ]
    .iter()
    .any(|p| message.starts_with(p))
    {
        return message;
    }
    // The error's keys are printed only when it has no input to show.
    let mut bare = error.clone();
    bare.set_input(None);
    let text = bare.to_string();
    let key = text
        .lines()
        .filter_map(|l| l.strip_prefix("in `")?.strip_suffix('`'))
        .next_back();
    match key {
        Some(key) => format!("{message}, for key `{key}`"),
        None => message,
    }
}

/// A "did you mean" hint for serde's `unknown field `x`, expected one of `a`, `b`` message.
pub(super) fn did_you_mean(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let best = closest(field, &names)?;
    Some(format!("did you mean `{best}`?"))
}

/// The candidate closest to `word`, if any is close enough to be a likely typo.
pub(super) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}
