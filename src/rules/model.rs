//! What the user wrote: the serde model of a rule file, strict about unknown keys.

use serde::Deserialize;
use toml::Spanned;

/// How a substitution treats letter case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseMode {
    /// Match `from` exactly, byte for byte; write `to` as written.
    #[default]
    Exact,
    /// Match `from` ignoring ASCII case and carry the match's case over to `to`:
    /// `Harvester` → `Hypervisor`, `HARVESTER` → `HYPERVISOR`, `harvester` → `hypervisor`.
    Preserve,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRuleFile {
    /// `extends`: the rule files this one is laid over, relative to its folder (read by
    /// [`read`] itself: a string or an array of strings, each with its span).
    #[serde(default)]
    pub extends: Vec<Spanned<String>>,
    pub files: Option<Spanned<RawFiles>>,
    #[serde(default)]
    pub substitution: Vec<Spanned<RawSubstitution>>,
    #[serde(default)]
    pub exception: Vec<Spanned<RawException>>,
    #[serde(default)]
    pub identity: Vec<Spanned<RawIdentity>>,
    #[serde(default)]
    pub test: Vec<Spanned<RawTest>>,
    pub site: Option<super::site::RawSite>,
    pub overlay: Option<super::site::RawOverlay>,
    #[serde(default)]
    pub asset: Vec<Spanned<super::site::RawAsset>>,
    #[serde(default)]
    pub patch: Vec<Spanned<super::site::RawPatch>>,
    #[serde(default)]
    pub rename: Vec<Spanned<super::site::RawRename>>,
    pub locales: Option<super::site::RawLocales>,
    pub audit: Option<RawAudit>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAudit {
    pub allow_stutters: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFiles {
    pub include: Option<Vec<Spanned<String>>>,
    pub exclude: Option<Vec<Spanned<String>>>,
    pub omit: Option<Vec<Spanned<String>>>,
    pub markdown: Option<Vec<Spanned<String>>>,
    pub json: Option<Vec<Spanned<String>>>,
    pub javascript: Option<Vec<Spanned<String>>>,
    pub plain: Option<Vec<Spanned<String>>>,
    pub front_matter_prose_keys: Option<Vec<String>>,
    pub json_prose_keys: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSubstitution {
    pub id: Option<String>,
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    pub case: Option<CaseMode>,
    pub word_boundary: Option<bool>,
    pub contexts: Option<Vec<Spanned<String>>>,
    pub paths: Option<Vec<Spanned<String>>>,
    pub locale: Option<Spanned<String>>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIdentity {
    pub id: Option<String>,
    pub literal: Option<Spanned<String>>,
    pub regex: Option<Spanned<String>>,
    pub what: String,
    pub paths: Option<Vec<Spanned<String>>>,
    pub contexts: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawException {
    pub id: Option<String>,
    pub literal: Option<Spanned<String>>,
    pub regex: Option<Spanned<String>>,
    pub reason: String,
    pub paths: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTest {
    pub name: Option<String>,
    pub input: String,
    pub expect: Spanned<String>,
    pub context: Option<Spanned<String>>,
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
            "files" => raw.files = one(value, &mut errors),
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
            markdown: later.markdown.or(self.markdown),
            json: later.json.or(self.json),
            javascript: later.javascript.or(self.javascript),
            plain: later.plain.or(self.plain),
            front_matter_prose_keys: later.front_matter_prose_keys.or(self.front_matter_prose_keys),
            json_prose_keys: later.json_prose_keys.or(self.json_prose_keys),
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
