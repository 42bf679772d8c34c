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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRuleFile {
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
