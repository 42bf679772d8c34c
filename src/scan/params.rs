//! Sets of named parameters: `name.param` globs over the parameters of a named call, as
//! Hugo's shortcode calls (`figure.caption`) and JSX elements' props (`Card.description`)
//! choose the values that are prose.

use std::collections::HashSet;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

/// A set of parameters of named calls, as `name.param` globs (`figure.caption`, `*.title`,
/// `Card.description`; a shortcode's positional parameter is its index from 0: `notice.1`).
/// The name is what stands before the last `.`, so it may hold `.` and `/` (`docs/note`,
/// `x.inline`, `Tabs.Tab`).
#[derive(Debug, Clone)]
pub struct NamedParams {
    set: GlobSet,
    /// The parameters the patterns can name, when each names a plain one (`*.title`): a
    /// parameter not among them is in no pattern, told without matching the globs (a page
    /// has many `src` and `href` attributes). `None` when a pattern's parameter is a glob.
    params: Option<HashSet<String>>,
}

impl NamedParams {
    /// Compiles `patterns`; a pattern that is not a valid glob is left out (the rule file's
    /// validation reports it: [`NamedParams::check`]).
    pub fn new(patterns: &[String]) -> NamedParams {
        let mut set = GlobSetBuilder::new();
        for glob in patterns.iter().filter_map(|p| glob(p, "name.param").ok()) {
            set.add(glob);
        }
        let params = patterns
            .iter()
            .map(|p| {
                let param = p.rsplit_once('.').map_or(p.as_str(), |(_, param)| param);
                (!param.contains(['*', '?', '[', ']', '{', '}', '\\'])).then(|| param.to_string())
            })
            .collect();
        NamedParams {
            set: set.build().unwrap_or_else(|_| GlobSet::empty()),
            params,
        }
    }

    /// Whether `pattern` is a valid `name.param` glob; `form` names the two parts in the
    /// message (`shortcode.parameter`, `Component.prop`).
    ///
    /// # Errors
    /// Why it is not: no `.` between a name and a parameter, or globset's message (an unclosed
    /// `{`, a `[` class never closed).
    pub fn check(pattern: &str, form: &str) -> Result<(), String> {
        glob(pattern, form).map(|_| ())
    }

    /// Whether the set holds the parameter `param` of the call named `name`.
    pub fn contains(&self, name: &str, param: &str) -> bool {
        !self.set.is_empty()
            && self.params.as_ref().is_none_or(|p| p.contains(param))
            && self.set.is_match(format!("{name}\u{0}{param}"))
    }
}

/// A `name.param` pattern as a glob over `name` NUL `param`.
fn glob(pattern: &str, form: &str) -> Result<globset::Glob, String> {
    let (name, param) = pattern
        .rsplit_once('.')
        .filter(|(name, param)| !name.is_empty() && !param.is_empty())
        .ok_or_else(|| format!("`{pattern}` is not `{form}`"))?;
    GlobBuilder::new(&format!("{name}\u{0}{param}"))
        .build()
        .map_err(|e| e.kind().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(patterns: &[&str]) -> NamedParams {
        NamedParams::new(&patterns.iter().map(|p| p.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn names_and_params_match_as_globs() {
        let s = set(&["figure.caption", "*.title", "docs/note.1"]);
        assert!(s.contains("figure", "caption"));
        assert!(s.contains("Card", "title"));
        assert!(s.contains("docs/note", "1"));
        assert!(!s.contains("figure", "src"));
        assert!(!s.contains("docs/note", "0"));
        let any = set(&["Card.*"]);
        assert!(any.contains("Card", "href") && !any.contains("Tab", "href"));
        assert!(!set(&[]).contains("figure", "caption"));
    }

    #[test]
    fn a_pattern_without_a_parameter_is_refused_in_its_form() {
        assert_eq!(
            NamedParams::check("figure", "shortcode.parameter"),
            Err("`figure` is not `shortcode.parameter`".to_string())
        );
        assert!(NamedParams::check("figure.{caption", "Component.prop").is_err());
        assert!(NamedParams::check("docs/note.title", "Component.prop").is_ok());
    }
}
