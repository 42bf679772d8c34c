//! Key paths: how the structured kinds (YAML, TOML, front matter) name a value by the keys
//! from the document's root, and the globs that choose the prose among them.
//!
//! A key path is the keys from the root joined by `.`; a sequence or array (and an array of
//! tables) adds no segment, so `[[params.features]] title = ...` in TOML and
//! `params: {features: [{title: ...}]}` in YAML are both `params.features.title`. The prose
//! key paths are globs over those paths: `*` matches one key, `**` any number (none
//! included: `params.**.title` takes `params.title`). A value that reads as a path, a URL or
//! an identifier ([`is_identifier`]) is never prose, whatever its path.

use std::collections::HashSet;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// The prose key paths of a structured file, compiled.
#[derive(Debug, Clone)]
pub struct KeyPaths {
    /// The patterns as written.
    patterns: Vec<String>,
    /// Every pattern: the paths whose values are prose.
    values: GlobSet,
    /// The patterns ending in `.**`: the paths whose keys are prose too.
    keys: GlobSet,
    /// The last keys the value patterns can end with, when each pattern's last segment is a
    /// plain key (`**.label` ends with `label`): a value under another key is no prose, told
    /// without joining its path and matching the globs (a large JSON file has many keys).
    /// `None` when a pattern's last segment is a glob (`nav.**`, `*`).
    last_keys: Option<HashSet<String>>,
    /// The patterns `path=value` (`pages=---*---`): the values at `path` that match the
    /// `value` glob are prose, the others not (Fumadocs' `meta.json` separators among its
    /// page slugs). Only the JSON scan reads them ([`KeyPaths::value_is_prose_for`]).
    where_values: Vec<(globset::GlobMatcher, globset::GlobMatcher)>,
}

impl KeyPaths {
    /// Compiles `patterns` (`site_name`, `nav.**`, `extra.*.title`, and `path=value` for
    /// the values at `path` that match the `value` glob only); a pattern that is not a valid
    /// glob is left out (the rule file's validation reports it: [`KeyPaths::check`]).
    pub fn new(patterns: &[String]) -> KeyPaths {
        let where_values = patterns
            .iter()
            .filter_map(|p| p.split_once('='))
            .filter_map(|(path, value)| {
                let value = GlobBuilder::new(value).build().ok()?.compile_matcher();
                Some((glob(path).ok()?.compile_matcher(), value))
            })
            .collect();
        let (conditional, patterns): (Vec<String>, Vec<String>) =
            patterns.iter().cloned().partition(|p| p.contains('='));
        let mut new = KeyPaths::unconditional(&patterns);
        if let Some(keys) = &mut new.last_keys {
            for p in &conditional {
                let path = p.split_once('=').map_or(p.as_str(), |(path, _)| path);
                keys.insert(path.rsplit('.').next().unwrap_or(path).to_string());
            }
        }
        new.patterns.extend(conditional);
        KeyPaths { where_values, ..new }
    }

    /// [`KeyPaths::new`] of patterns without a `=value` condition.
    fn unconditional(patterns: &[String]) -> KeyPaths {
        let build = |patterns: &mut dyn Iterator<Item = &String>| {
            let mut set = GlobSetBuilder::new();
            for glob in patterns.filter_map(|p| glob(p).ok()) {
                set.add(glob);
            }
            set.build().unwrap_or_else(|_| GlobSet::empty())
        };
        let last_keys = patterns
            .iter()
            .map(|p| {
                let last = p.rsplit('.').next().unwrap_or(p);
                (!last.contains(['*', '?', '[', ']', '{', '}', '\\'])).then(|| last.to_string())
            })
            .collect();
        KeyPaths {
            patterns: patterns.to_vec(),
            values: build(&mut patterns.iter()),
            keys: build(&mut patterns.iter().filter(|p| p.ends_with(".**"))),
            last_keys,
            where_values: Vec::new(),
        }
    }

    /// [`KeyPaths::new`] where a bare name (a pattern without `.`: `label`) names the key at
    /// any depth (`**.label`), as JSON's prose keys always have.
    pub fn anywhere(patterns: &[String]) -> KeyPaths {
        let aliased: Vec<String> = patterns
            .iter()
            .map(|p| {
                if p.contains('.') {
                    p.clone()
                } else {
                    format!("**.{p}")
                }
            })
            .collect();
        KeyPaths {
            patterns: patterns.to_vec(),
            ..KeyPaths::new(&aliased)
        }
    }

    /// Whether `pattern` is a valid key path glob.
    ///
    /// # Errors
    /// Why it is not (globset's message: an unclosed `{`, a `[` class never closed).
    pub fn check(pattern: &str) -> Result<(), String> {
        glob(pattern).map(|_| ()).map_err(|e| e.kind().to_string())
    }

    /// The patterns as written.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    /// Whether the value at `path` (keys from the root) is prose; never at the root itself.
    pub(crate) fn value_is_prose(&self, path: &[String]) -> bool {
        path.last().is_some_and(|last| self.may_end_with(last)) && self.values.is_match(path.join("/"))
    }

    /// Whether the string `value` at `path` is prose: [`KeyPaths::value_is_prose`], or a
    /// `path=value` pattern takes it.
    pub(crate) fn value_is_prose_for(&self, path: &[String], value: &str) -> bool {
        self.value_is_prose(path)
            || (!path.is_empty()
                && self
                    .where_values
                    .iter()
                    .any(|(p, v)| v.is_match(value) && p.is_match(path.join("/"))))
    }

    /// Whether a value under the key `last` can be prose at all: `false` when every pattern
    /// ends with another plain key.
    pub(crate) fn may_end_with(&self, last: &str) -> bool {
        self.last_keys.as_ref().is_none_or(|keys| keys.contains(last))
    }

    /// Whether the key ending `path` is prose itself: a pattern ending in `.**` takes it.
    pub(crate) fn key_is_prose(&self, path: &[String]) -> bool {
        !path.is_empty() && self.keys.is_match(path.join("/"))
    }
}

/// A key path glob as a path glob: the keys are its segments.
fn glob(pattern: &str) -> Result<globset::Glob, globset::Error> {
    GlobBuilder::new(&pattern.replace('.', "/"))
        .literal_separator(true)
        .build()
}

/// Whether a scalar reads as a path, a URL or an identifier rather than words: no white
/// space, and a character that joins the parts of names (`/`, `\`, `:`, `.`, `_`, `@`, `=`).
pub(crate) fn is_identifier(source: &str) -> bool {
    !source.contains(char::is_whitespace) && source.contains(['/', '\\', ':', '.', '_', '@', '='])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(patterns: &[&str]) -> KeyPaths {
        KeyPaths::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>())
    }

    fn path(p: &str) -> Vec<String> {
        p.split('.').map(String::from).collect()
    }

    #[test]
    fn a_value_condition_takes_the_values_its_glob_matches_only() {
        let meta = paths(&["title", "pages=---*---"]);
        assert!(meta.value_is_prose_for(&path("pages"), "---Getting Started---"));
        assert!(!meta.value_is_prose_for(&path("pages"), "getting-started"));
        assert!(!meta.value_is_prose_for(&path("other"), "---Getting Started---"));
        assert!(!meta.value_is_prose(&path("pages")), "no value, no condition met");
        assert!(meta.value_is_prose_for(&path("title"), "Docs"));
        assert!(meta.may_end_with("pages") && meta.may_end_with("title") && !meta.may_end_with("root"));
        assert_eq!(meta.patterns(), ["title", "pages=---*---"]);
    }

    #[test]
    fn stars_take_one_key_and_double_stars_any_number() {
        let hugo = paths(&["title", "params.**.title", "languages.*.title", "menu.**"]);
        assert!(hugo.value_is_prose(&path("title")));
        assert!(hugo.value_is_prose(&path("params.title")));
        assert!(hugo.value_is_prose(&path("params.features.title")));
        assert!(hugo.value_is_prose(&path("languages.en.title")));
        assert!(!hugo.value_is_prose(&path("languages.en.params.title")));
        assert!(!hugo.value_is_prose(&path("params.features.text")));
        assert!(!hugo.value_is_prose(&[]));
        assert!(hugo.key_is_prose(&path("menu.main")));
        assert!(!hugo.key_is_prose(&path("params.title")));
    }

    #[test]
    fn identifiers_are_names_joined_by_punctuation() {
        for id in [
            "/img/logos/kubernetes-icon-color.svg",
            "en_US",
            "1.12.1",
            "text/netlify",
        ] {
            assert!(is_identifier(id), "{id}");
        }
        for words in ["Cloud native distributed block storage", "Longhorn", "K3s"] {
            assert!(!is_identifier(words), "{words}");
        }
        assert_eq!(
            KeyPaths::check("params.{a"),
            Err("unclosed alternate group; missing '}' (maybe escape '{' with '[{]'?)".into())
        );
    }
}
