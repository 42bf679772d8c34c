//! Renames: the map from upstream paths to output paths that `[[rename]]` rules make.
//!
//! A rename acts on names, not paths: every file or folder whose name is `from` is called
//! `to` in the output, at any depth and in every version of the docs, so one rule covers
//! `versioned_docs/version-v1.*/install/harvester-configuration.md` alike.

use std::collections::{BTreeMap, HashMap};

use crate::rules::{Diagnostic, Rename, RuleSet};

/// Upstream relative path → output relative path, for every path a rename changes.
#[derive(Debug, Clone, Default)]
pub struct PathMap {
    renamed: HashMap<String, String>,
}

impl PathMap {
    /// Maps every path of `paths` (relative, `/`-separated; files and folders) through the
    /// rename rules of `rules`.
    ///
    /// # Errors
    /// A diagnostic naming the rename rule when two upstream paths would get the same
    /// output path (two renames to one name, or a rename onto a name that exists).
    pub fn new<'a>(rules: &RuleSet, paths: impl IntoIterator<Item = &'a str>) -> Result<PathMap, Diagnostic> {
        let renames = &rules.site.renames;
        let mut renamed = HashMap::new();
        let mut taken: BTreeMap<String, (&str, Option<&Rename>)> = BTreeMap::new();
        for path in paths {
            let (out, rule) = map_path(renames, path);
            if let Some((other, other_rule)) = taken.get(&out) {
                let rule = rule.or(*other_rule).expect("two unrenamed paths are never equal");
                return Err(rules
                    .diagnostic(
                        rule.span.clone(),
                        format!(
                            "rename `{}` -> `{}` makes `{path}` and `{other}` both `{out}`",
                            rule.from, rule.to
                        ),
                    )
                    .with_hint("give the two files different names, or drop one of the renames"));
            }
            if out != path {
                renamed.insert(path.to_string(), out.clone());
            }
            taken.insert(out, (path, rule));
        }
        Ok(PathMap { renamed })
    }

    /// The output path of upstream path `path`.
    pub fn get<'a>(&'a self, path: &'a str) -> &'a str {
        self.renamed.get(path).map_or(path, String::as_str)
    }

    /// Whether no path is renamed.
    pub fn is_empty(&self) -> bool {
        self.renamed.is_empty()
    }
}

/// `path` with each segment renamed, and the last rule that acted.
fn map_path<'r>(renames: &'r [Rename], path: &str) -> (String, Option<&'r Rename>) {
    let mut last = None;
    let out = path
        .split('/')
        .map(|segment| match renames.iter().find(|r| r.from == segment) {
            Some(r) => {
                last = Some(r);
                r.to.as_str()
            }
            None => segment,
        })
        .collect::<Vec<_>>()
        .join("/");
    (out, last)
}

/// The new name of a file or folder named `name`, if a rename changes it.
pub fn renamed_name<'a>(renames: &'a [Rename], name: &str) -> Option<&'a str> {
    renames.iter().find(|r| r.from == name).map(|r| r.to.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn rules(source: &str) -> RuleSet {
        RuleSet::parse(Path::new("rules.toml"), source).unwrap()
    }

    #[test]
    fn every_segment_with_the_name_is_renamed() {
        let r = rules("[[rename]]\nfrom = \"harvester.md\"\nto = \"hypervisor.md\"\n[[rename]]\nfrom = \"harvester\"\nto = \"hypervisor\"\n");
        let paths = [
            "versioned_docs/version-v1.5/troubleshooting/harvester.md",
            "docs/harvester/harvester.md",
            "docs/harvester",
            "docs/harvester-network.md",
        ];
        let map = PathMap::new(&r, paths).unwrap();
        assert_eq!(
            map.get(paths[0]),
            "versioned_docs/version-v1.5/troubleshooting/hypervisor.md"
        );
        assert_eq!(map.get(paths[1]), "docs/hypervisor/hypervisor.md");
        assert_eq!(map.get(paths[2]), "docs/hypervisor");
        assert_eq!(map.get(paths[3]), "docs/harvester-network.md");
    }

    #[test]
    fn a_rename_onto_an_existing_name_is_refused() {
        let r = rules("[[rename]]\nfrom = \"harvester.md\"\nto = \"faq.md\"\n");
        let e = PathMap::new(&r, ["docs/faq.md", "docs/harvester.md"]).unwrap_err();
        assert_eq!(e.line, 1);
        assert_eq!(
            e.message,
            "rename `harvester.md` -> `faq.md` makes `docs/harvester.md` and `docs/faq.md` both `docs/faq.md`"
        );
    }
}
