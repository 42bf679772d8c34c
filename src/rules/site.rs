//! The whole-site part of a rule file: anchors, overlay, asset remaps, vendor patches,
//! renames and locales. Paths in it are checked when the file is loaded: nothing a rule file
//! says may place a file outside the output root.
//!
//! ```toml
//! [site]
//! anchors = "rename"                      # or "keep" (the default)
//!
//! [overlay]
//! dir = "nqrust-hypervisor/overlay"       # relative to the rule file
//!
//! [[asset]]
//! from = "/img/v1.2/install/iso-install.png"
//! to = "/img/brand/install/iso-install.png"
//!
//! [[patch]]
//! file = "nqrust-hypervisor/patches/config.diff"
//!
//! [[rename]]
//! from = "harvester-configuration.md"
//! to = "hypervisor-configuration.md"
//!
//! [locales]
//! drop = ["zh"]
//! ```

use std::ops::Range;
use std::path::{Path, PathBuf};

use regex::Regex;
use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use super::Validator;
use crate::scan::{Dialect, FileKind};

/// What happens to a heading's anchor when its text is rebranded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AnchorMode {
    /// Pin the old anchor with an explicit `{#old-slug}` id, so every link keeps working,
    /// also links from outside the site.
    #[default]
    Keep,
    /// Let the anchor follow the new heading text, and rewrite every in-tree `#fragment`
    /// that pointed at the old one.
    Rename,
}

/// The validated whole-site settings of a rule file.
#[derive(Debug, Clone, Default)]
pub struct SiteRules {
    /// `[site] anchors`.
    pub anchors: AnchorMode,
    /// `[overlay]`: files copied over the output after rewriting.
    pub overlay: Option<Overlay>,
    /// `[[asset]]` remaps, in file order.
    pub assets: Vec<AssetRemap>,
    /// `[[patch]]` files, applied in file order.
    pub patches: Vec<PatchRule>,
    /// `[[rename]]` rules for file and folder names.
    pub renames: Vec<Rename>,
    /// `[locales] drop`: locales whose `i18n/<locale>/` tree is left out of the output.
    pub drop_locales: Vec<String>,
}

/// `[overlay]`: a folder whose files are copied over the output tree, at the same relative
/// paths, after rewriting (the vendor's logo, favicon, screenshots, CSS).
#[derive(Debug, Clone)]
pub struct Overlay {
    /// The folder, resolved against the rule file's folder.
    pub dir: PathBuf,
    /// Byte range of `dir` in the rule file.
    pub span: Range<usize>,
}

/// `[[asset]]`: references to an upstream image or file rewritten to a vendor one.
///
/// Both sides are site paths as pages write them (`/img/...`, served from `static/`). A `*`
/// in `from` stands for any text within one path segment and `**` for any run of segments;
/// `to` must hold the same wildcards in the same order, and each takes what its
/// counterpart matched.
#[derive(Debug, Clone)]
pub struct AssetRemap {
    /// The rule's id (its `id`, else its `from`).
    pub id: String,
    /// The upstream site path or pattern.
    pub from: String,
    /// The vendor site path or pattern.
    pub to: String,
    /// `from` compiled, anchored, one capture group per wildcard.
    pub pattern: Regex,
    /// Byte range of the `[[asset]]` table in the rule file.
    pub span: Range<usize>,
}

impl AssetRemap {
    /// The vendor site path for upstream site path `path` (leading `/` included), or `None`
    /// when the remap does not cover it.
    pub fn map(&self, path: &str) -> Option<String> {
        let caps = self.pattern.captures(path)?;
        let mut out = String::with_capacity(self.to.len());
        let mut group = 1;
        let mut rest = self.to.as_str();
        while let Some(i) = rest.find('*') {
            out.push_str(&rest[..i]);
            let star = if rest[i..].starts_with("**") { 2 } else { 1 };
            out.push_str(caps.get(group).map_or("", |m| m.as_str()));
            group += 1;
            rest = &rest[i + star..];
        }
        out.push_str(rest);
        Some(out)
    }

    /// Whether `from` is a single path rather than a pattern.
    pub fn is_literal(&self) -> bool {
        !self.from.contains('*')
    }
}

/// `[[patch]]`: a unified diff applied to the rewritten tree.
#[derive(Debug, Clone)]
pub struct PatchRule {
    /// The patch file, resolved against the rule file's folder.
    pub file: PathBuf,
    /// Byte range of `file` in the rule file.
    pub span: Range<usize>,
    /// `if_present`: the patch applies only when a file it patches holds this text (a part
    /// of the site upstream added at some point: an older upstream has nothing to patch, and
    /// the patch is skipped there); `None` for a patch that must always apply.
    pub if_present: Option<String>,
}

/// `[[rename]]`: every file or folder named `from` is named `to` in the output.
#[derive(Debug, Clone)]
pub struct Rename {
    /// The upstream name (one path segment).
    pub from: String,
    /// The vendor name (one path segment).
    pub to: String,
    /// Byte range of the `[[rename]]` table in the rule file.
    pub span: Range<usize>,
}

/// `[site]`: settings of the whole site.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSite {
    /// What happens to a heading's anchor when the rules change the heading's text.
    /// Default: `"keep"`.
    pub anchors: Option<AnchorMode>,
}

/// `[overlay]`: a folder of the vendor's files laid over the output after rewriting.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOverlay {
    /// The folder, relative to the rule file and inside its folder (no `..`, no absolute
    /// path, no symbolic link leading out). Its files replace or add to the output's at the
    /// same relative paths (`static/img/logo_horizontal.svg`).
    #[schemars(with = "String")]
    pub dir: Spanned<String>,
}

/// `[[asset]]`: references to an upstream image or file rewritten to a vendor one, in
/// Markdown and MDX links and images, HTML `src` and `href`, and JavaScript strings.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAsset {
    /// The name reports give the remap. Default: its `from`.
    pub id: Option<String>,
    /// The upstream site path, as pages write it from the site root
    /// (`"/img/v1.2/install/iso-install.png"`). `*` matches within one path segment, `**`
    /// across segments.
    #[schemars(with = "String")]
    pub from: Spanned<String>,
    /// The vendor site path (`"/img/brand/install/iso-install.png"`), with the same
    /// wildcards as `from` in the same order, each taking what its counterpart matched. The
    /// file must be in the input (`static/...`) or in the overlay.
    #[schemars(with = "String")]
    pub to: Spanned<String>,
}

/// `[[patch]]`: a unified diff applied to the rewritten tree.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPatch {
    /// The patch file (`git diff` or `diff -u` output, several files allowed), relative to
    /// the rule file and inside its folder. A hunk that no longer applies stops the run; a
    /// patch found in place already is skipped with a note.
    #[schemars(with = "String")]
    pub file: Spanned<String>,
    /// Apply the patch only where a file it patches holds this text (a part of the site
    /// upstream added at some point), and skip it on an older upstream that has nothing to
    /// patch. Default: the patch must always apply.
    pub if_present: Option<String>,
}

/// `[[rename]]`: every file or folder named `from`, at any depth, is named `to` in the
/// output.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRename {
    /// The upstream name: one path segment (`"harvester.md"`).
    #[schemars(with = "String")]
    pub from: Spanned<String>,
    /// The vendor name: one path segment (`"hypervisor.md"`).
    #[schemars(with = "String")]
    pub to: Spanned<String>,
}

/// `[locales]`: the site's translations.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLocales {
    /// Locales whose `i18n/<locale>/` tree is left out of the output (`["zh"]`). Default:
    /// none.
    #[schemars(with = "Option<Vec<String>>")]
    pub drop: Option<Vec<Spanned<String>>>,
}

/// The whole-site tables of a rule file, as written.
pub(super) struct RawSiteRules {
    pub site: Option<RawSite>,
    pub overlay: Option<RawOverlay>,
    pub asset: Vec<Spanned<RawAsset>>,
    pub patch: Vec<Spanned<RawPatch>>,
    pub rename: Vec<Spanned<RawRename>>,
    pub locales: Option<RawLocales>,
}

/// What the documentation generator of a tree says about its paths, which a rule file is
/// read with: where translations live (a rule's `locale`, `[locales] drop`) and which of the
/// generator's own files a kind reads when the rule file does not set the kind. Each
/// generator gives its own (`crate::site::Generator::conventions`); a rule file read without
/// a tree ([`RuleSet::parse`](super::RuleSet::parse)) has [`Conventions::NONE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conventions {
    /// The folder at the site's root whose `<locale>/` folders hold the translations
    /// (Docusaurus: `i18n`), if the generator has one.
    pub translations: Option<&'static str>,
    /// Globs each kind reads besides the kind's own defaults (its row of
    /// [`crate::scan::KINDS`]) when the rule file does not set the kind (Docusaurus: its
    /// config and sidebars as JavaScript).
    pub default_globs: &'static [(FileKind, &'static [&'static str])],
    /// How the generator gives a Markdown heading its anchor and whether one can be pinned;
    /// `None` when no generator makes anchors (then none is kept or followed).
    pub heading_ids: Option<HeadingIds>,
    /// The Markdown dialect its pages are read in.
    pub dialect: Dialect,
    /// The YAML key paths whose values are prose when the rule file does not say
    /// (`yaml_prose_keys`; MkDocs: its config's and nav files' titles).
    pub yaml_prose_keys: &'static [&'static str],
    /// The shortcode parameters whose values are prose when the rule file does not say
    /// (`shortcode_prose_params`; Hugo: [`crate::scan::DEFAULT_SHORTCODE_PROSE`]).
    pub shortcode_prose: &'static [&'static str],
    /// The TOML key paths whose string values are prose when the rule file does not say
    /// (`toml_prose_keys`; Hugo: its site config's titles, descriptions and menu names).
    pub toml_prose_keys: &'static [&'static str],
    /// The generator's own JSON files whose format it defines (a glob over relative paths),
    /// each with the JSON key paths whose string values are prose in them on top of
    /// `json_prose_keys` (read from the root as [`crate::scan::KeyPaths::new`] reads them:
    /// `*` is any top-level key): Nextra's
    /// `_meta.json` titles sit under page slugs (`{"configuration": "Configuring Keycloak"}`),
    /// a key path no other JSON file of the tree should read as prose. The first glob that
    /// takes a file decides.
    pub json_file_prose_keys: &'static [(&'static str, &'static [&'static str])],
}

/// How a documentation generator derives a heading's anchor (`#id`) from its text, numbers
/// repeats, and whether a page can pin an anchor with an explicit ` {#id}` after the
/// heading's text (pulldown-cmark's heading attributes read the same syntax).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingIds {
    /// github-slugger (Docusaurus, `@docusaurus/mdx-loader` `remark/headings`): lower-case,
    /// punctuation dropped, each space a `-`; repeats `-1`, `-2`. `{#id}` always pins.
    GithubSlugger,
    /// Goldmark as Hugo sets it up (`autoHeadingIDType = "github"`, the typographer on):
    /// github-slugger's slugs and repeats, of the text after the typographer made `---` an
    /// em dash and `--` an en dash (both dropped as punctuation: `A -- B` is `a--b`, not
    /// `a----b`); code spans keep their dashes. `{#id}` always pins.
    Goldmark,
    /// Python-Markdown's `toc` extension (MkDocs): `slugify` (NFKD, ASCII only, `[^\w\s-]`
    /// dropped, runs of spaces and `-` one `-`); repeats `_1`, `_2`. `{#id}` pins only with
    /// the `attr_list` extension on.
    PythonMarkdown {
        /// Whether the site enables `attr_list` (`markdown_extensions` in `mkdocs.yml`).
        attr_list: bool,
    },
    /// Asciidoctor's `Section.generate_id` (AsciiDoc sections, whatever builds the tree):
    /// `idprefix` + the lower-cased title without invalid characters, spaces, `.` and `-` the
    /// `idseparator` (squeezed, none at the end); repeats `_2`, `_3`. The prefix and separator
    /// are each section's own ([`crate::scan::SectionIds`]). A block anchor `[[id]]` on the
    /// line before the title always pins.
    Asciidoctor,
    /// github-slugger's slugs and repeats where the site's pages hold no explicit id rebrand
    /// can write: Nextra (its `remarkHeadings`, github-slugger; MDX 3 reads `{#id}` as an
    /// expression, and Nextra reads no other custom id). A rebranded heading's anchor moves
    /// and the links of the tree follow it.
    GithubSluggerUnpinned,
    /// github-slugger's slugs and repeats, and a custom id written ` [#id]` at the end of a
    /// heading, which always pins (Fumadocs' `remarkHeading`, on by default in Fumadocs MDX:
    /// "Headings > Custom ID" in the Fumadocs docs, `# heading [#slug]`), in MDX 3 and
    /// Markdown pages alike.
    GithubSluggerBracketed,
}

impl HeadingIds {
    /// Whether a heading's text may end with a custom id ` [#id]`
    /// ([`HeadingIds::GithubSluggerBracketed`]), which the scan then reads as its explicit
    /// id ([`crate::scan::Reading::bracket_heading_ids`]).
    pub fn reads_bracket_ids(self) -> bool {
        self == HeadingIds::GithubSluggerBracketed
    }

    /// Whether a page can pin an anchor (with ` {#id}`, or the style's own form).
    pub fn pins(self) -> bool {
        match self {
            HeadingIds::GithubSlugger | HeadingIds::Goldmark | HeadingIds::Asciidoctor => true,
            HeadingIds::PythonMarkdown { attr_list } => attr_list,
            HeadingIds::GithubSluggerUnpinned => false,
            HeadingIds::GithubSluggerBracketed => true,
        }
    }

    /// The explicit id, with the space before it, that pins anchor `id` at the end of a
    /// heading of a page read in `dialect`; `None` where such a page cannot hold one (then
    /// the anchor moves and the links in the tree follow it). For AsciiDoc, the block anchor
    /// line `[[id]]` that goes before the section's title.
    ///
    /// ` {#id}` wherever [`HeadingIds::pins`], but in MDX 3, where `{#id}` is an expression
    /// acorn cannot parse ("Could not parse expression with acorn"): there only Docusaurus 3
    /// reads an id, and ` \{#id\}` is the form every Docusaurus 3 reads (it is what its
    /// `escapeMarkdownHeadingIds` makes of `{#id}` when `markdown.mdx1Compat.headingIds` is
    /// on; its `remark/headings` then reads `{#id}` in the heading's text) and `@mdx-js/mdx`
    /// compiles; the comment form `{/* #id */}` only Docusaurus 3.10 and later read.
    pub fn pin(self, dialect: Dialect, id: &str) -> Option<String> {
        match (self, dialect) {
            // A block anchor line before the title, whatever the tree's Markdown.
            (HeadingIds::Asciidoctor, _) => Some(format!("[[{id}]]\n")),
            (HeadingIds::GithubSluggerBracketed, _) => Some(format!(" [#{id}]")),
            (HeadingIds::GithubSlugger, Dialect::Mdx3) => Some(format!(" \\{{#{id}\\}}")),
            (_, Dialect::Mdx3) => None,
            _ => self.pins().then(|| format!(" {{#{id}}}")),
        }
    }
}

impl Default for Conventions {
    /// [`Conventions::NONE`].
    fn default() -> Self {
        Conventions::NONE
    }
}

impl Conventions {
    /// No translations, only the kinds' own default globs, no heading anchors, Markdown read
    /// as rebrand always has ([`Dialect::Mdx1`]): a tree of files no generator builds.
    pub const NONE: Conventions = Conventions {
        translations: None,
        default_globs: &[],
        heading_ids: None,
        dialect: Dialect::Mdx1,
        yaml_prose_keys: &[],
        shortcode_prose: &[],
        toml_prose_keys: &[],
        json_file_prose_keys: &[],
    };

    /// The locale of relative path `path` when it lies in a translation tree
    /// (`<translations>/<locale>/...`, or the folder `<translations>/<locale>` itself).
    pub fn locale_of<'p>(&self, path: &'p str) -> Option<&'p str> {
        path.strip_prefix(self.translations?)?
            .strip_prefix('/')?
            .split('/')
            .next()
            .filter(|l| !l.is_empty())
    }

    /// The globs `kind` reads by default besides its own.
    pub fn globs_of(&self, kind: FileKind) -> &'static [&'static str] {
        self.default_globs
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[], |(_, globs)| globs)
    }
}

/// The wildcards of an asset pattern in order: `*` or `**`.
fn wildcards(pattern: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(i) = rest.find('*') {
        let n = if rest[i..].starts_with("**") { 2 } else { 1 };
        out.push(&rest[i..i + n]);
        rest = &rest[i + n..];
    }
    out
}

/// Why a path from the rule file is refused, if it is: a path inside the output root is
/// relative, not empty, and has no `..` (nor, for a `name`, any `/`).
pub fn path_problem(path: &str, name: bool) -> Option<&'static str> {
    if path.is_empty() {
        return Some("is empty");
    }
    if path.starts_with('/') || path.starts_with('\\') || Path::new(path).is_absolute() {
        return Some("is absolute and would escape the output root");
    }
    if path.split(['/', '\\']).any(|s| s == "..") {
        return Some("has a `..` segment and would escape the output root");
    }
    if name && (path.contains(['/', '\\']) || path == ".") {
        return Some("must be a single file or folder name");
    }
    None
}

/// Why a path to a file the rule file brings (its overlay folder, a patch) is refused, if it
/// is: such a path is relative to the rule file's folder, not empty, and has no `..`, so a
/// rule file and what it brings move together and never read the rest of the machine.
pub fn source_problem(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("is empty");
    }
    if path.starts_with('/') || path.starts_with('\\') || Path::new(path).is_absolute() {
        return Some("is absolute: paths in a rule file are relative to its folder");
    }
    if path.split(['/', '\\']).any(|s| s == "..") {
        return Some("has a `..` segment and would leave the rule file's folder");
    }
    None
}

impl SiteRules {
    /// The files and folders the rule file brings (the overlay folder, the patch files),
    /// each with the key that names it and the span of its value.
    pub fn sources(&self) -> Vec<(&'static str, &Path, Range<usize>)> {
        let overlay = self
            .overlay
            .iter()
            .map(|o| ("overlay `dir`", o.dir.as_path(), o.span.clone()));
        let patches = self
            .patches
            .iter()
            .map(|p| ("patch `file`", p.file.as_path(), p.span.clone()));
        overlay.chain(patches).collect()
    }
}

impl Validator<'_> {
    /// The path of `value` (a `key` of the rule file naming a file it brings) resolved
    /// against the rule file's folder, or `None` after an error when it would leave it.
    fn source(&mut self, key: &str, value: &Spanned<String>) -> Option<PathBuf> {
        if let Some(problem) = source_problem(value.get_ref()) {
            let d = self.error(value.span(), format!("{key} = `{}` {problem}", value.get_ref()));
            self.push(d.with_hint("keep the overlay and the patches in the rule file's folder, or below it"));
            return None;
        }
        // Relative to the rule file that names it, which may be one another file extends.
        let folder = self.sources.file_at(value.span().start).path.parent();
        Some(folder.unwrap_or(Path::new("")).join(value.get_ref()))
    }

    pub(super) fn site(&mut self, raw: RawSiteRules) -> SiteRules {
        let overlay = raw.overlay.and_then(|o| {
            Some(Overlay {
                dir: self.source("overlay `dir`", &o.dir)?,
                span: o.dir.span(),
            })
        });
        let patches = raw
            .patch
            .into_iter()
            .filter_map(|p| {
                let p = p.into_inner();
                Some(PatchRule {
                    file: self.source("patch `file`", &p.file)?,
                    span: p.file.span(),
                    if_present: p.if_present,
                })
            })
            .collect();
        let renames = raw
            .rename
            .into_iter()
            .filter_map(|r| {
                let span = r.span();
                let r = r.into_inner();
                for (key, value) in [("from", &r.from), ("to", &r.to)] {
                    if let Some(problem) = path_problem(value.get_ref(), true) {
                        let d = self.error(
                            value.span(),
                            format!("rename `{key}` = `{}` {problem}", value.get_ref()),
                        );
                        self.push(d.with_hint("a rename changes one file or folder name, in place"));
                        return None;
                    }
                }
                Some(Rename {
                    from: r.from.into_inner(),
                    to: r.to.into_inner(),
                    span,
                })
            })
            .collect();
        let assets = raw
            .asset
            .into_iter()
            .filter_map(|a| {
                let span = a.span();
                self.asset(span, a.into_inner())
            })
            .collect();
        let drop_locales = raw
            .locales
            .and_then(|l| l.drop)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|l| match path_problem(l.get_ref(), true) {
                Some(problem) => {
                    let d = self.error(l.span(), format!("locale `{}` {problem}", l.get_ref()));
                    self.push(d);
                    None
                }
                None => Some(l.into_inner()),
            })
            .collect();
        SiteRules {
            anchors: raw.site.and_then(|s| s.anchors).unwrap_or_default(),
            overlay,
            assets,
            patches,
            renames,
            drop_locales,
        }
    }

    fn asset(&mut self, span: Range<usize>, raw: RawAsset) -> Option<AssetRemap> {
        for (key, value) in [("from", &raw.from), ("to", &raw.to)] {
            let path = value.get_ref();
            let Some(relative) = path.strip_prefix('/') else {
                let d = self.error(
                    value.span(),
                    format!("asset `{key}` = `{path}` is not a site path"),
                );
                self.push(d.with_hint("write the path as pages use it, from the site root: `/img/...`"));
                return None;
            };
            if let Some(problem) = path_problem(relative, false) {
                let d = self.error(value.span(), format!("asset `{key}` = `{path}` {problem}"));
                self.push(d);
                return None;
            }
        }
        if wildcards(raw.from.get_ref()) != wildcards(raw.to.get_ref()) {
            let d = self.error(
                raw.to.span(),
                format!(
                    "asset `to` = `{}` must hold the same wildcards, in the same order, as `from` = `{}`",
                    raw.to.get_ref(),
                    raw.from.get_ref()
                ),
            );
            self.push(d);
            return None;
        }
        let mut re = String::from("^");
        let mut rest = raw.from.get_ref().as_str();
        while let Some(i) = rest.find('*') {
            re.push_str(&regex::escape(&rest[..i]));
            if rest[i..].starts_with("**") {
                re.push_str("(.*)");
                rest = &rest[i + 2..];
            } else {
                re.push_str("([^/]*)");
                rest = &rest[i + 1..];
            }
        }
        re.push_str(&regex::escape(rest));
        re.push('$');
        let pattern = Regex::new(&re).expect("escaped text and fixed groups form a valid regex");
        let from = raw.from.into_inner();
        Some(AssetRemap {
            id: raw.id.unwrap_or_else(|| from.clone()),
            from,
            to: raw.to.into_inner(),
            pattern,
            span,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{RuleFileError, RuleSet};

    fn site(source: &str) -> Result<SiteRules, Vec<String>> {
        RuleSet::parse(Path::new("rules/brand.toml"), source)
            .map(|r| r.site)
            .map_err(|e| match e {
                RuleFileError::Invalid(d) => d
                    .iter()
                    .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
                    .collect(),
                RuleFileError::Read { .. } => unreachable!(),
            })
    }

    #[test]
    fn paths_resolve_against_the_rule_file() {
        let s =
            site("[overlay]\ndir = \"brand/overlay\"\n[[patch]]\nfile = \"brand/config.diff\"\n").unwrap();
        assert_eq!(s.overlay.unwrap().dir, Path::new("rules/brand/overlay"));
        assert_eq!(s.patches[0].file, Path::new("rules/brand/config.diff"));
        assert_eq!(s.anchors, AnchorMode::Keep);
    }

    #[test]
    fn renames_that_leave_their_folder_are_refused() {
        for (to, why) in [
            ("../x.md", "`..`"),
            ("a/b.md", "must be a single file or folder name"),
            ("/etc/x.md", "absolute"),
            ("..", "`..`"),
            ("", "is empty"),
        ] {
            let errors = site(&format!("[[rename]]\nfrom = \"harvester.md\"\nto = \"{to}\"\n")).unwrap_err();
            assert!(errors[0].starts_with("3:6 rename `to`"), "{errors:?}");
            assert!(errors[0].contains(why), "{to}: {errors:?}");
        }
    }

    #[test]
    fn asset_patterns_carry_their_wildcards_over() {
        let s = site(
            "[[asset]]\nfrom = \"/img/*/install/iso-install.png\"\nto = \"/img/brand/*/iso.png\"\n\
             [[asset]]\nfrom = \"/img/v1.2/**/logo.svg\"\nto = \"/img/brand/**/logo.svg\"\n",
        )
        .unwrap();
        assert_eq!(
            s.assets[0].map("/img/v1.3/install/iso-install.png").as_deref(),
            Some("/img/brand/v1.3/iso.png")
        );
        assert_eq!(s.assets[0].map("/img/v1.3/x/install/iso-install.png"), None);
        assert_eq!(
            s.assets[1].map("/img/v1.2/a/b/logo.svg").as_deref(),
            Some("/img/brand/a/b/logo.svg")
        );
        assert!(!s.assets[1].is_literal());
    }

    #[test]
    fn asset_errors_name_the_key() {
        let e = site("[[asset]]\nfrom = \"img/a.png\"\nto = \"/img/b.png\"\n").unwrap_err();
        assert!(
            e[0].starts_with("2:8 asset `from` = `img/a.png` is not a site path"),
            "{e:?}"
        );
        let e = site("[[asset]]\nfrom = \"/img/a.png\"\nto = \"/../b.png\"\n").unwrap_err();
        assert!(e[0].contains("`..`"), "{e:?}");
        let e = site("[[asset]]\nfrom = \"/img/*.png\"\nto = \"/img/b.png\"\n").unwrap_err();
        assert!(e[0].contains("same wildcards"), "{e:?}");
    }
}
