//! The rule file: a strict TOML model (what the user wrote, with spans) validated into a
//! [`RuleSet`] (what the engine runs).
//!
//! ```toml
//! [[substitution]]
//! id = "hypervisor"
//! from = "Harvester hypervisor"
//! to = "NQRust Hypervisor"
//! case = "preserve"            # or "exact" (the default)
//! contexts = ["prose"]         # the default
//!
//! [[exception]]
//! literal = "Harvester Cloud Provider"
//! reason = "name of an upstream component the vendor ships unchanged"
//!
//! [[test]]
//! input = "Install the Harvester hypervisor."
//! expect = "Install the NQRust Hypervisor."
//! ```

mod diagnostic;
mod layers;
mod model;
mod reach;
mod schema;
mod site;

use std::ops::Range;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use regex::Regex;

pub use diagnostic::{locate, Diagnostic, RuleFileError, Severity};
pub use layers::{SourceFile, Sources};
pub use model::CaseMode;
use model::{RawFiles, RawSubstitution};
pub use schema::json_schema;
pub use site::{
    path_problem, AnchorMode, AssetRemap, Conventions, HeadingIds, Overlay, PatchRule, Rename, SiteRules,
};

use crate::scan::{
    Context, ContextSet, FileKind, KeyPaths, NamedParams, Reading, SectionIds, FRONT_MATTER_PROSE_KEYS,
    JSON_PROSE_KEYS,
};

/// Largest compiled size of an exception regex, in bytes (regex's `size_limit`): 1 MiB. A
/// regex over it is refused when the rule file loads (`\w{1000}` is; `\w+` is far below).
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// A validated rule file.
#[derive(Debug, Clone)]
pub struct RuleSet {
    /// Where the rules came from: the entry rule file (the one named on the command line).
    pub path: PathBuf,
    /// The texts of the entry rule file and of every file it extends (see `src/rules/layers.rs`):
    /// every span of the rule set is a byte range of [`Sources::text`], and diagnostics
    /// raised after loading name the file the span is in.
    pub sources: Sources,
    /// The substitutions, in file order (order never changes the result).
    pub substitutions: Vec<Substitution>,
    /// The exceptions, in file order.
    pub exceptions: Vec<Exception>,
    /// The upstream identity markers (`[[identity]]`), in file order.
    pub identities: Vec<Identity>,
    /// The test cases of the rule files, in the order the files are laid (extended first).
    pub tests: Vec<RuleTest>,
    /// What the tree's generator says about its paths (translations, its own files' kinds),
    /// as the rules were read with.
    pub conventions: Conventions,
    /// Which files are read, and how.
    pub files: FileSettings,
    /// Anchors, overlay, asset remaps, patches, renames and locales.
    pub site: SiteRules,
    /// `[audit]`: settings of `rebrand audit`.
    pub audit: AuditSettings,
    /// Problems that do not refuse the file, for the caller to print: an exception that can
    /// never meet a substitution (see [`RuleSet::parse`]).
    pub warnings: Vec<Diagnostic>,
}

/// `[audit]`: what `rebrand audit` accepts.
///
/// ```toml
/// [audit]
/// allow_stutters = ["Hypervisor hypervisor"]   # doubled brand words that are meant
/// ```
#[derive(Debug, Clone, Default)]
pub struct AuditSettings {
    /// Doubled brand words that are meant, compared ignoring case and the markup between
    /// the words ("Hypervisor hypervisor" also allows `**Hypervisor** hypervisor`).
    pub allow_stutters: Vec<String>,
}

/// One product-name substitution.
#[derive(Debug, Clone)]
pub struct Substitution {
    /// The rule's id (its `id`, else its `from`), as reports name it.
    pub id: String,
    /// The text to find. Never empty.
    pub from: String,
    /// The text to put in its place.
    pub to: String,
    /// How letter case is matched and carried over.
    pub case: CaseMode,
    /// Whether the match must stand as a whole word (on by default; see [`crate::rewrite`]).
    pub word_boundary: bool,
    /// Where the substitution may act.
    pub contexts: ContextSet,
    /// Relative paths the rule is limited to; `None` for every file.
    pub paths: Option<GlobSet>,
    /// The locale the rule belongs to: it acts only in that locale's translation tree
    /// (Docusaurus: `i18n/<locale>/`, see [`Conventions`]), and there it takes the place of a
    /// rule without a locale that has the same `from`.
    pub locale: Option<String>,
    /// A free-form note from the rule file.
    pub note: Option<String>,
    /// Byte range of the `[[substitution]]` table in the rule file.
    pub span: Range<usize>,
}

/// Text that is never rewritten wherever it appears.
#[derive(Debug, Clone)]
pub struct Exception {
    /// The exception's id (its `id`, else its pattern), as reports name it.
    pub id: String,
    /// What it protects.
    pub pattern: ExceptionPattern,
    /// Why it exists.
    pub reason: String,
    /// Relative paths the exception is limited to; `None` for every file.
    pub paths: Option<GlobSet>,
    /// Byte range of the `[[exception]]` table in the rule file.
    pub span: Range<usize>,
}

/// The pattern of an [`Exception`].
#[derive(Debug, Clone)]
pub enum ExceptionPattern {
    /// Exact text (case-sensitive).
    Literal(String),
    /// A regular expression (Rust `regex` syntax, which has no look-around).
    Regex(Regex),
}

impl ExceptionPattern {
    /// The byte ranges of `text` the pattern matches, in order, not overlapping (a literal's
    /// occurrences as `str::match_indices` finds them, a regex's as `find_iter` does).
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        match self {
            ExceptionPattern::Literal(l) => text
                .match_indices(l.as_str())
                .map(|(i, m)| i..i + m.len())
                .collect(),
            ExceptionPattern::Regex(re) => re.find_iter(text).map(|m| m.range()).collect(),
        }
    }
}

/// An `[[identity]]` marker of the upstream: a host, an analytics or tag id, a copyright
/// holder, whose every occurrence in the branded tree `audit` reports (an error, unless an
/// exception keeps it: then an info finding with the exception's reason).
///
/// ```toml
/// [[identity]]
/// id = "upstream-host"
/// literal = "harvesterhci.io"
/// what = "the upstream's web site"
/// contexts = ["prose", "url", "link_target", "html_attribute"]   # default: all but code
/// ```
#[derive(Debug, Clone)]
pub struct Identity {
    /// The marker's id (its `id`, else its pattern), as reports name it.
    pub id: String,
    /// What to look for: exact text, or a regular expression.
    pub pattern: ExceptionPattern,
    /// What it is, for a person to read ("SUSE's Google Tag Manager id").
    pub what: String,
    /// Relative paths it is looked for in; `None` for every file.
    pub paths: Option<GlobSet>,
    /// The contexts an occurrence counts in (default: every context but `code` and
    /// `inline_code`: commands and identifiers keep the upstream's names).
    pub contexts: ContextSet,
    /// Byte range of the `[[identity]]` table in the rule file.
    pub span: Range<usize>,
}

/// The validated `literal` or `regex` of an `[[exception]]` or `[[identity]]` table.
struct Pattern {
    id: String,
    pattern: ExceptionPattern,
    paths: Option<GlobSet>,
    /// The span of the `literal` or `regex` value, and the pattern of the text it covers.
    cover: (Range<usize>, regex_syntax::hir::Hir),
}

/// A `[[test]]` case of the rule file.
#[derive(Debug, Clone)]
pub struct RuleTest {
    /// The test's name (its `name`, else its 1-based position).
    pub name: String,
    /// The rule file it is written in.
    pub file: PathBuf,
    /// Byte range of the `expect` value in [`Sources::text`], where a failure points.
    pub expect_span: Range<usize>,
    /// The text to rewrite.
    pub input: String,
    /// What the rewrite must produce.
    pub expect: String,
    /// How the input is read: as a single span of this context (default: prose)…
    pub context: Context,
    /// …or, when set, as a whole file at this relative path (its kind from `[files]`).
    pub path: Option<String>,
    /// 1-based line of the `[[test]]` table in its rule file.
    pub line: usize,
}

/// The `[files]` table: which files are rewritten and how each kind is read.
#[derive(Debug, Clone)]
pub struct FileSettings {
    include: GlobSet,
    exclude: GlobSet,
    omit: GlobSet,
    kinds: Vec<(FileKind, GlobSet)>,
    /// The front matter and JSON keys whose values are prose.
    pub reading: Reading,
    /// The generator's own JSON files ([`Conventions::json_file_prose_keys`]): a glob, and
    /// the JSON key paths of the files it takes (`json_prose_keys` and the generator's).
    json_files: Vec<(globset::GlobMatcher, KeyPaths)>,
}

impl FileSettings {
    /// The settings of a rule file with no `[files]` table, for a tree whose generator has
    /// `conventions`: every kind's default globs (its row of [`crate::scan::KINDS`], and the
    /// generator's own files of the kind), every file included, the default prose keys.
    /// Built by the same validation a rule file goes through.
    pub fn defaults_for(conventions: Conventions) -> FileSettings {
        RuleSet::parse_for(Path::new("(defaults)"), "", conventions)
            .expect("an empty rule file is valid")
            .files
    }

    /// Which of the generator's own JSON formats ([`Conventions::json_file_prose_keys`]) the
    /// file at relative path `path` is in, if one: the index [`FileSettings::reading_in`]
    /// takes.
    pub fn json_format_of(&self, path: &str) -> Option<usize> {
        self.json_files.iter().position(|(glob, _)| glob.is_match(path))
    }

    /// How a file is read: [`FileSettings::reading`], with the JSON key paths of the
    /// generator's own JSON format `format` ([`FileSettings::json_format_of`]) when it is in
    /// one (a copy, made for those files only).
    pub fn reading_in(&self, format: Option<usize>) -> std::borrow::Cow<'_, Reading> {
        match format.and_then(|i| self.json_files.get(i)) {
            Some((_, json)) => std::borrow::Cow::Owned(Reading {
                json: json.clone(),
                ..self.reading.clone()
            }),
            None => std::borrow::Cow::Borrowed(&self.reading),
        }
    }

    /// How the file at relative path `path` (with `/` separators) is read, or `None` when it
    /// is copied unchanged.
    pub fn kind_of(&self, path: &str) -> Option<FileKind> {
        if !self.include.is_match(path) || self.exclude.is_match(path) {
            return None;
        }
        self.kinds
            .iter()
            .find(|(_, globs)| globs.is_match(path))
            .map(|(kind, _)| *kind)
    }

    /// Whether the upstream file or folder at relative path `path` is left out of the
    /// output entirely (`[files] omit`): not rewritten, not copied, not audited.
    pub fn is_omitted(&self, path: &str) -> bool {
        self.omit.is_match(path)
    }

    /// Whether `exclude` names the file at `path`: left out of the text on purpose.
    pub fn excluded(&self, path: &str) -> bool {
        self.exclude.is_match(path)
    }
}

impl RuleSet {
    /// Whether the upstream path `rel` (relative, `/`-separated) is left out of the output:
    /// a `[files] omit` glob takes it, or it lies in the translation tree of a dropped locale
    /// (`[locales] drop`; where translations live: [`Conventions::locale_of`]).
    pub fn leaves_out(&self, rel: &str) -> bool {
        self.files.is_omitted(rel)
            || self
                .conventions
                .locale_of(rel)
                .is_some_and(|l| self.site.drop_locales.iter().any(|d| d == l))
    }

    /// The locale of the translation relative path `path` lies in (see
    /// [`Conventions::locale_of`]).
    pub fn locale_of<'p>(&self, path: &'p str) -> Option<&'p str> {
        self.conventions.locale_of(path)
    }

    /// [`RuleSet::load`] for a tree whose generator has `conventions`: a kind the rule files
    /// do not set reads the generator's own files too, and locales are found where the
    /// generator keeps translations.
    ///
    /// # Errors
    /// As [`RuleSet::load`].
    pub fn load_for(path: &Path, conventions: Conventions) -> Result<RuleSet, RuleFileError> {
        let source = std::fs::read_to_string(path).map_err(|source| RuleFileError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let rules = RuleSet::parse_for(path, &source, conventions)?;
        let errors = rules.sources_outside();
        if errors.is_empty() {
            Ok(rules)
        } else {
            Err(RuleFileError::Invalid(errors))
        }
    }

    /// Reads and validates the rule file at `path` and the rule files it extends (see
    /// `src/rules/layers.rs`), and checks that the overlay folder and the patch files each names, where
    /// they exist, are inside its folder once symbolic links are followed.
    ///
    /// # Errors
    /// [`RuleFileError::Read`] when the file cannot be read; [`RuleFileError::Invalid`] with
    /// every problem found in any of the files (TOML syntax, unknown keys, wrong types, empty
    /// or duplicate `from`, invalid regexes, unknown contexts, bad globs, overlay or patch
    /// paths that leave the rule file's folder, `extends` that cannot be read or make a
    /// cycle), each with its file, line and column.
    pub fn load(path: &Path) -> Result<RuleSet, RuleFileError> {
        RuleSet::load_for(path, Conventions::NONE)
    }

    /// An error for each file or folder the rule file brings (overlay, patches) that exists
    /// but leads outside the rule file's folder through a symbolic link. Paths that do not
    /// exist are left to the run, which names them when it reads them.
    fn sources_outside(&self) -> Vec<Diagnostic> {
        self.site
            .sources()
            .into_iter()
            .filter_map(|(key, path, span)| {
                // The folder of the rule file that names it.
                let named_in = self.sources.file_at(span.start).path.parent();
                let folder = match named_in {
                    Some(p) if !p.as_os_str().is_empty() => p,
                    _ => Path::new("."),
                };
                let folder = std::fs::canonicalize(folder).ok()?;
                let real = std::fs::canonicalize(path).ok()?;
                (!real.starts_with(&folder)).then(|| {
                    self.diagnostic(
                        span,
                        format!(
                            "{key} = `{}` leads outside the rule file's folder through a symbolic link (to `{}`)",
                            path.strip_prefix(named_in.unwrap_or(Path::new("")))
                                .unwrap_or(path)
                                .display(),
                            real.display()
                        ),
                    )
                    .with_hint("keep the overlay and the patches in the rule file's folder, or below it, as files and folders, not links")
                })
            })
            .collect()
    }

    /// Validates rule-file text `source`, read from `path`, laid over the rule files it
    /// extends (read from disk, relative to `path`'s folder).
    ///
    /// An exception that can never meet a substitution (no text it covers can overlap any
    /// text a `from` matches, see `src/rules/reach.rs`) changes nothing: it does not refuse
    /// the file but gets a warning in [`RuleSet::warnings`].
    ///
    /// # Errors
    /// As [`RuleSet::load`], without the read error.
    pub fn parse(path: &Path, source: &str) -> Result<RuleSet, RuleFileError> {
        RuleSet::parse_for(path, source, Conventions::NONE)
    }

    /// [`RuleSet::parse`] for a tree whose generator has `conventions` (see
    /// [`RuleSet::load_for`]).
    ///
    /// # Errors
    /// As [`RuleSet::parse`].
    pub fn parse_for(path: &Path, source: &str, conventions: Conventions) -> Result<RuleSet, RuleFileError> {
        let (sources, raw, errors) = layers::read(path, source);
        if !errors.is_empty() {
            return Err(RuleFileError::Invalid(errors));
        }
        let mut v = Validator {
            sources: &sources,
            errors: Vec::new(),
        };
        let files = v.files(
            raw.files.map(|f| f.into_inner()).unwrap_or_default(),
            &conventions,
        );
        let site = v.site(site::RawSiteRules {
            site: raw.site,
            overlay: raw.overlay,
            asset: raw.asset,
            patch: raw.patch,
            rename: raw.rename,
            locales: raw.locales,
        });
        let substitutions: Vec<_> = raw
            .substitution
            .into_iter()
            .filter_map(|s| v.substitution(s.span(), s.into_inner()))
            .collect();
        let substitutions = v.duplicates(substitutions);
        let (exceptions, covers): (Vec<_>, Vec<_>) = raw
            .exception
            .into_iter()
            .filter_map(|e| v.exception(e.span(), e.into_inner()))
            .unzip();
        let identities: Vec<Identity> = raw
            .identity
            .into_iter()
            .filter_map(|i| v.identity(i.span(), i.into_inner()))
            .collect();
        let tests = raw
            .test
            .into_iter()
            .enumerate()
            .filter_map(|(i, t)| v.test(i, t.span(), t.into_inner()))
            .collect();
        if !v.errors.is_empty() {
            return Err(RuleFileError::Invalid(v.errors));
        }
        let warnings = v.unmet_exceptions(&substitutions, &identities, &exceptions, &covers);
        Ok(RuleSet {
            path: path.to_path_buf(),
            sources,
            substitutions,
            exceptions,
            identities,
            tests,
            conventions,
            files,
            site,
            audit: AuditSettings {
                allow_stutters: raw.audit.and_then(|a| a.allow_stutters).unwrap_or_default(),
            },
            warnings,
        })
    }

    /// A diagnostic for the byte range `span` of [`Sources::text`], in the rule file that
    /// holds it.
    pub fn diagnostic(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.sources.diagnostic(span, message)
    }
}

struct Validator<'a> {
    sources: &'a Sources,
    errors: Vec<Diagnostic>,
}

impl Validator<'_> {
    fn error(&mut self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.sources.diagnostic(span, message)
    }

    fn push(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    /// The glob set of `globs`, the value of `key`; `None` after an error naming the glob.
    fn globs(&mut self, key: &str, globs: &[toml::Spanned<String>]) -> Option<GlobSet> {
        let mut set = GlobSetBuilder::new();
        for g in globs {
            match GlobBuilder::new(g.get_ref()).literal_separator(true).build() {
                Ok(glob) => {
                    set.add(glob);
                }
                Err(e) => {
                    let d = self.error(
                        g.span(),
                        format!("invalid glob `{}` in `{key}`: {}", g.get_ref(), e.kind()),
                    );
                    self.push(d);
                    return None;
                }
            }
        }
        set.build().ok()
    }

    /// The prose key paths of `key` (`yaml_prose_keys`, `toml_prose_keys`): the rule file's,
    /// each checked (an invalid glob is an error at its place), else the generator's
    /// `default`, compiled by `build` ([`KeyPaths::new`], or [`KeyPaths::anywhere`] for JSON's
    /// bare names).
    fn key_paths(
        &mut self,
        key: &str,
        given: Option<Vec<toml::Spanned<String>>>,
        default: &[&str],
        build: fn(&[String]) -> KeyPaths,
    ) -> KeyPaths {
        let patterns: Vec<String> = match given {
            Some(given) => {
                for p in &given {
                    if let Err(e) = crate::scan::KeyPaths::check(p.get_ref()) {
                        let d = self.error(
                            p.span(),
                            format!("invalid key path `{}` in `files.{key}`: {e}", p.get_ref()),
                        );
                        self.push(d);
                    }
                }
                given.into_iter().map(toml::Spanned::into_inner).collect()
            }
            None => default.iter().map(|k| k.to_string()).collect(),
        };
        build(&patterns)
    }

    /// A set of named parameters (`files.shortcode_prose_params`, `files.jsx_prose_props`):
    /// the rule file's, each checked (a pattern that is no `form` glob, `shortcode.parameter`
    /// or `Component.prop`, is an error at its place, naming the key and what the pattern
    /// names, `what`), else `default`.
    fn named_params(
        &mut self,
        key: &str,
        what: &str,
        form: &str,
        given: Option<Vec<toml::Spanned<String>>>,
        default: &[&str],
    ) -> NamedParams {
        let patterns: Vec<String> = match given {
            Some(given) => {
                for p in &given {
                    if let Err(e) = NamedParams::check(p.get_ref(), form) {
                        let d = self.error(
                            p.span(),
                            format!("invalid {what} `{}` in `files.{key}`: {e}", p.get_ref()),
                        );
                        self.push(d);
                    }
                }
                given.into_iter().map(toml::Spanned::into_inner).collect()
            }
            None => default.iter().map(|k| k.to_string()).collect(),
        };
        NamedParams::new(&patterns)
    }

    fn default_globs(
        &mut self,
        key: &str,
        given: Option<Vec<toml::Spanned<String>>>,
        default: &[&str],
    ) -> GlobSet {
        let given = given.unwrap_or_else(|| {
            default
                .iter()
                .map(|g| toml::Spanned::new(0..0, g.to_string()))
                .collect()
        });
        self.globs(key, &given).unwrap_or_else(GlobSet::empty)
    }

    /// The `[files]` settings, and the key paths of the generator's own JSON formats: each
    /// `json_prose_keys` (the rule file's or the default, a bare name at any depth) and the
    /// generator's own (from the root, as [`KeyPaths::new`] reads them).
    fn files(&mut self, raw: RawFiles, conventions: &Conventions) -> FileSettings {
        let mut files = self.files_read(raw, conventions);
        let json = files.reading.json.patterns().to_vec();
        files.json_files = conventions
            .json_file_prose_keys
            .iter()
            .filter_map(|(glob, keys)| {
                let matcher = GlobBuilder::new(glob)
                    .literal_separator(true)
                    .build()
                    .ok()?
                    .compile_matcher();
                // `json_prose_keys`' bare names are keys at any depth; the generator's paths
                // are from the root (`*` is a top-level key).
                let any_depth = json.iter().map(|p| match p.contains('.') {
                    true => p.clone(),
                    false => format!("**.{p}"),
                });
                let patterns: Vec<String> = any_depth.chain(keys.iter().map(|k| k.to_string())).collect();
                Some((matcher, KeyPaths::new(&patterns)))
            })
            .collect();
        files
    }

    fn files_read(&mut self, mut raw: RawFiles, conventions: &Conventions) -> FileSettings {
        // Each kind's globs: the rule file's, else the kind's defaults and the generator's
        // own files of the kind; tried in table order.
        let kinds = crate::scan::KINDS
            .iter()
            .map(|row| {
                let given = raw
                    .kinds
                    .iter()
                    .position(|(k, _)| *k == row.kind)
                    .map(|i| raw.kinds.swap_remove(i).1);
                let key = format!("files.{}", row.name);
                let generator = conventions.globs_of(row.kind);
                let default: Vec<&str> = row.globs.iter().chain(generator).copied().collect();
                (row.kind, self.default_globs(&key, given, &default))
            })
            .collect();
        FileSettings {
            include: self.default_globs("files.include", raw.include, &["**"]),
            exclude: self.default_globs("files.exclude", raw.exclude, &[]),
            omit: self.default_globs("files.omit", raw.omit, &[]),
            kinds,
            reading: Reading {
                front_matter: self.key_paths(
                    "front_matter_prose_keys",
                    raw.front_matter_prose_keys,
                    &FRONT_MATTER_PROSE_KEYS,
                    KeyPaths::new,
                ),
                json: self.key_paths(
                    "json_prose_keys",
                    raw.json_prose_keys,
                    &JSON_PROSE_KEYS,
                    KeyPaths::anywhere,
                ),
                yaml: self.key_paths(
                    "yaml_prose_keys",
                    raw.yaml_prose_keys,
                    conventions.yaml_prose_keys,
                    KeyPaths::new,
                ),
                toml: self.key_paths(
                    "toml_prose_keys",
                    raw.toml_prose_keys,
                    conventions.toml_prose_keys,
                    KeyPaths::new,
                ),
                dialect: conventions.dialect,
                shortcodes: self.named_params(
                    "shortcode_prose_params",
                    "shortcode parameter",
                    crate::scan::SHORTCODE_FORM,
                    raw.shortcode_prose_params,
                    conventions.shortcode_prose,
                ),
                section_ids: SectionIds::from_attributes(
                    raw.asciidoc_attributes
                        .iter()
                        .flatten()
                        .map(|(k, v)| (k.as_str(), v.as_str())),
                ),
                asciidoc_attributes: raw.asciidoc_attributes.into_iter().flatten().collect(),
                document_attributes: Vec::new(),
                jsx: self.named_params(
                    "jsx_prose_props",
                    "prop",
                    crate::scan::JSX_FORM,
                    raw.jsx_prose_props,
                    crate::scan::DEFAULT_JSX_PROSE,
                ),
                bracket_heading_ids: conventions.heading_ids.is_some_and(HeadingIds::reads_bracket_ids),
            },
            json_files: Vec::new(),
        }
    }

    fn contexts(&mut self, raw: Option<Vec<toml::Spanned<String>>>) -> ContextSet {
        let Some(raw) = raw else {
            return ContextSet::PROSE;
        };
        let mut set = ContextSet::default();
        for name in raw {
            match ContextSet::from_name(name.get_ref()) {
                Some(named) => set.extend(named),
                None => {
                    let names = ContextSet::names();
                    let mut d = self.error(name.span(), format!("unknown context `{}`", name.get_ref()));
                    d = d.with_hint(match model::closest(name.get_ref(), &names) {
                        Some(best) => {
                            format!("did you mean `{best}`? contexts are: {}", names.join(", "))
                        }
                        None => format!("contexts are: {}", names.join(", ")),
                    });
                    self.push(d);
                }
            }
        }
        set
    }

    fn substitution(&mut self, span: Range<usize>, raw: RawSubstitution) -> Option<Substitution> {
        if raw.from.get_ref().is_empty() {
            let d = self.error(
                raw.from.span(),
                "`from` is empty: a substitution must match some text",
            );
            self.push(d);
            return None;
        }
        let contexts = self.contexts(raw.contexts);
        let paths = match raw.paths {
            Some(p) => Some(self.globs("paths", &p)?),
            None => None,
        };
        let locale = match raw.locale {
            Some(l) => match site::path_problem(l.get_ref(), true) {
                Some(problem) => {
                    let d = self.error(l.span(), format!("locale `{}` {problem}", l.get_ref()));
                    self.push(d);
                    return None;
                }
                None => Some(l.into_inner()),
            },
            None => None,
        };
        let from = raw.from.into_inner();
        Some(Substitution {
            id: raw.id.unwrap_or_else(|| from.clone()),
            to: raw.to.into_inner(),
            from,
            case: raw.case.unwrap_or_default(),
            word_boundary: raw.word_boundary.unwrap_or(true),
            contexts,
            paths,
            locale,
            note: raw.note,
            span,
        })
    }

    /// Two substitutions with the same `from` (compared without case when either is
    /// case-preserving) would compete for the same text: in one rule file that is an error;
    /// from two files, the later file's rule takes the place of the earlier one (a product
    /// or site file overrides a rule of the file it extends). Returns the rules that act.
    fn duplicates(&mut self, subs: Vec<Substitution>) -> Vec<Substitution> {
        let file_of: Vec<usize> = subs
            .iter()
            .map(|s| self.sources.file_at(s.span.start).range.start)
            .collect();
        let mut replaced = vec![false; subs.len()];
        for (i, s) in subs.iter().enumerate() {
            let clash = subs[..i]
                .iter()
                .enumerate()
                .filter(|(j, _)| !replaced[*j])
                .find(|(_, t)| {
                    if s.locale != t.locale || s.paths.is_some() != t.paths.is_some() {
                        // The more specific rule takes the place of the other where both apply.
                        return false;
                    }
                    if s.case == CaseMode::Preserve || t.case == CaseMode::Preserve {
                        t.from.eq_ignore_ascii_case(&s.from)
                    } else {
                        t.from == s.from
                    }
                });
            if let Some((j, first)) = clash {
                if file_of[j] != file_of[i] {
                    replaced[j] = true;
                    continue;
                }
                let (_, first_line, _, _) = self.sources.locate(first.span.start);
                let d = self
                    .error(
                        s.span.clone(),
                        format!(
                            "duplicate `from` = `{}` in rule `{}`: rule `{}` (line {first_line}) has it already",
                            s.from, s.id, first.id
                        ),
                    )
                    .with_hint("merge the two rules, or give one a `paths` filter (or a `locale`) and the other none");
                self.push(d);
            }
        }
        subs.into_iter()
            .zip(replaced)
            .filter_map(|(s, replaced)| (!replaced).then_some(s))
            .collect()
    }

    /// The validated exception, with what the warning about it needs: the span of its
    /// `literal` or `regex` value and the pattern of the text it covers.
    fn exception(
        &mut self,
        span: Range<usize>,
        raw: model::RawException,
    ) -> Option<(Exception, (Range<usize>, regex_syntax::hir::Hir))> {
        let found = self.pattern("an exception", &span, raw.literal, raw.regex, raw.paths, raw.id)?;
        Some((
            Exception {
                id: found.id,
                pattern: found.pattern,
                reason: raw.reason,
                paths: found.paths,
                span,
            },
            found.cover,
        ))
    }

    /// The `literal` or `regex` of a table that names text to find (`what`: "an exception"),
    /// with its `paths` and `id` (default: the pattern), and what the unmet-exception warning
    /// needs: the span of the value and the pattern of the text it covers. Errors are pushed.
    fn pattern(
        &mut self,
        what: &str,
        span: &Range<usize>,
        literal: Option<toml::Spanned<String>>,
        regex: Option<toml::Spanned<String>>,
        paths: Option<Vec<toml::Spanned<String>>>,
        id: Option<String>,
    ) -> Option<Pattern> {
        let (pattern, cover) = match (literal, regex) {
            (Some(l), None) if !l.get_ref().is_empty() => {
                let hir = regex_syntax::hir::Hir::literal(l.get_ref().as_bytes());
                (ExceptionPattern::Literal(l.get_ref().clone()), (l.span(), hir))
            }
            (Some(l), None) => {
                let d = self.error(l.span(), "`literal` is empty");
                self.push(d);
                return None;
            }
            (None, Some(r)) => {
                let re = self.regex(&r)?;
                (ExceptionPattern::Regex(re.0), (r.span(), re.1))
            }
            _ => {
                let d = self.error(
                    span.start..span.start,
                    format!("{what} needs exactly one of `literal` or `regex`"),
                );
                self.push(d);
                return None;
            }
        };
        let paths = match paths {
            Some(p) => Some(self.globs("paths", &p)?),
            None => None,
        };
        let id = id.unwrap_or_else(|| match &pattern {
            ExceptionPattern::Literal(l) => l.clone(),
            ExceptionPattern::Regex(r) => format!("/{}/", r.as_str()),
        });
        Some(Pattern {
            id,
            pattern,
            paths,
            cover,
        })
    }

    /// Compiles the `regex` of an exception, as the `regex` crate does by default, within
    /// [`REGEX_SIZE_LIMIT`]; also returns its syntax tree. A syntax error points at its spot
    /// inside the regex when the value is a literal string (`'...'`) or a basic string
    /// without escapes.
    fn regex(&mut self, r: &toml::Spanned<String>) -> Option<(Regex, regex_syntax::hir::Hir)> {
        let pattern = r.get_ref();
        let hir = match regex_syntax::Parser::new().parse(pattern) {
            Ok(hir) => hir,
            Err(e) => {
                let (kind, at) = match &e {
                    regex_syntax::Error::Parse(e) => (e.kind().to_string(), Some(e.span())),
                    regex_syntax::Error::Translate(e) => (e.kind().to_string(), Some(e.span())),
                    other => (other.to_string(), None),
                };
                let spot = match at {
                    Some(at) => inside_string(self.sources.text(), r.span(), at.start.offset..at.end.offset),
                    None => r.span(),
                };
                let d = self.error(spot, format!("invalid regex `{pattern}`: {kind}"));
                self.push(d.with_hint("exceptions use Rust regex syntax: https://docs.rs/regex/#syntax"));
                return None;
            }
        };
        match regex::RegexBuilder::new(pattern)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
        {
            Ok(re) if re.is_match("") => {
                let d = self.error(r.span(), format!("regex `{pattern}` matches the empty string"));
                self.push(d.with_hint(
                    "an exception must cover some text: make some part of it required (`+` instead of `*`, no `?` on the whole)",
                ));
                None
            }
            Ok(re) => Some((re, hir)),
            Err(regex::Error::CompiledTooBig(limit)) => {
                let d = self.error(
                    r.span(),
                    format!(
                        "regex `{pattern}` is too big: compiled, it exceeds the size limit of {} ({limit} bytes)",
                        human_size(limit)
                    ),
                );
                self.push(d.with_hint(
                    "large counted repetitions (`{1000}`) of Unicode classes (`\\w`, `\\d`, `.`) grow fast: use `+`, a smaller count, or an ASCII class (`[a-zA-Z0-9_]`)",
                ));
                None
            }
            Err(e) => {
                let d = self.error(r.span(), format!("invalid regex `{pattern}`: {e}"));
                self.push(d);
                None
            }
        }
    }

    /// Warnings for the exceptions that can never meet a substitution: `covers` holds, for
    /// each exception, the span of its pattern and the pattern of the text it covers.
    fn unmet_exceptions(
        &self,
        substitutions: &[Substitution],
        identities: &[Identity],
        exceptions: &[Exception],
        covers: &[(Range<usize>, regex_syntax::hir::Hir)],
    ) -> Vec<Diagnostic> {
        // An exception may keep an upstream identity marker rather than a brand mention.
        let literals = identities.iter().filter_map(|i| match &i.pattern {
            ExceptionPattern::Literal(l) => Some(l.as_str()),
            ExceptionPattern::Regex(_) => None,
        });
        let needles: Vec<reach::Needle<'_>> = substitutions
            .iter()
            .map(|s| reach::Needle {
                text: &s.from,
                ignore_case: s.case == CaseMode::Preserve,
            })
            .chain(literals.map(|text| reach::Needle {
                text,
                ignore_case: false,
            }))
            .collect();
        let regex_markers = identities
            .iter()
            .any(|i| matches!(i.pattern, ExceptionPattern::Regex(_)));
        exceptions
            .iter()
            .zip(covers)
            // A regex marker cannot be checked: its exceptions are not warned about.
            .filter(|(_, (_, hir))| !regex_markers && !reach::can_meet(hir, &needles))
            .map(|(e, (span, _))| {
                self.sources.diagnostic(
                    span.clone(),
                    format!(
                        "exception `{}` can never meet a substitution: no text it covers overlaps any text a `from` matches",
                        e.id
                    ),
                )
                .with_hint(
                    "it keeps nothing from being rewritten: check its spelling and case (a `literal` is case-sensitive, and so is a `from` with `case = \"exact\"`), or remove it",
                )
                .as_warning()
            })
            .collect()
    }

    fn identity(&mut self, span: Range<usize>, raw: model::RawIdentity) -> Option<Identity> {
        let found = self.pattern(
            "an identity marker",
            &span,
            raw.literal,
            raw.regex,
            raw.paths,
            raw.id,
        )?;
        let contexts = match raw.contexts {
            Some(c) => self.contexts(Some(c)),
            None => {
                let mut all = ContextSet::default();
                for c in Context::ALL
                    .iter()
                    .filter(|c| !matches!(c, Context::Code | Context::InlineCode))
                {
                    all.insert(*c);
                }
                all
            }
        };
        Some(Identity {
            id: found.id,
            pattern: found.pattern,
            what: raw.what,
            paths: found.paths,
            contexts,
            span,
        })
    }

    fn test(&mut self, index: usize, span: Range<usize>, raw: model::RawTest) -> Option<RuleTest> {
        let expect_span = raw.expect.span();
        let context = match raw.context {
            Some(name) => match Context::from_name(name.get_ref()) {
                Some(c) => c,
                None => {
                    let d = self.error(name.span(), format!("unknown context `{}`", name.get_ref()));
                    self.push(d);
                    return None;
                }
            },
            None => Context::Prose,
        };
        let (file, line, _, _) = self.sources.locate(span.start);
        Some(RuleTest {
            name: raw.name.unwrap_or_else(|| format!("test {}", index + 1)),
            file: file.to_path_buf(),
            input: raw.input,
            expect: raw.expect.into_inner(),
            expect_span,
            context,
            path: raw.path,
            line,
        })
    }
}

/// `bytes` in MiB or KiB when it is a whole number of them (`1 MiB`), else in bytes.
fn human_size(bytes: usize) -> String {
    match bytes {
        b if b > 0 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b > 0 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// The byte range in `source` of bytes `inner` of the string value whose token (quotes
/// included) is at `token`, when the value's bytes are the token's (a literal string, or a
/// basic string without escapes, on one line); else `token`.
fn inside_string(source: &str, token: Range<usize>, inner: Range<usize>) -> Range<usize> {
    let raw = &source[token.clone()];
    let plain = (raw.starts_with('\'') && !raw.starts_with("\'\'\'"))
        || (raw.starts_with('"') && !raw.starts_with("\"\"\"") && !raw.contains('\\'));
    if plain && token.start + 1 + inner.end < token.end {
        token.start + 1 + inner.start..token.start + 1 + inner.end
    } else {
        token
    }
}

#[cfg(test)]
mod tests;
