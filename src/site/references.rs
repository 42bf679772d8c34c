//! Retargeting: the edits that keep every in-tree reference working when files are renamed,
//! anchors follow rebranded headings, or upstream assets are remapped to vendor ones.
//!
//! A reference (a link or image destination, an HTML `src`/`href`, a sidebar or category doc
//! id) is resolved against the upstream site the way its generator resolves it
//! ([`SiteModel::resolve`]). When its target file is renamed, the
//! path segments that name a renamed file or folder are renamed in the reference, in the
//! form the reference uses (`harvester.md` or the URL form `harvester`), so a relative link
//! stays relative and a versioned URL stays versioned. When the target's anchor moved, the
//! fragment follows. Everything else in the reference stays byte-identical.

use std::collections::HashMap;

use super::links::{references, ReferenceKind};
use super::rename::{renamed_name, PathMap};
use super::{Resolution, SiteModel};
use crate::rewrite::{Cause, Edit};
use crate::rules::{AssetRemap, Rename};
use crate::scan::{Dialect, FileKind};

/// Everything retargeting needs to know about the upstream tree and the rules.
pub struct Retarget<'a> {
    /// The upstream site.
    pub site: &'a dyn SiteModel,
    /// The Markdown dialect its pages are read in.
    pub dialect: Dialect,
    /// Upstream path → output path.
    pub paths: &'a PathMap,
    /// The rename rules (for the names in references).
    pub renames: &'a [Rename],
    /// Per upstream file: moved anchors, old → new.
    pub anchors: &'a HashMap<String, HashMap<String, String>>,
    /// Asset remaps.
    pub assets: &'a [AssetRemap],
    /// Pages docusaurus-plugin-openapi-docs generates that the rules rename (a rewritten
    /// `info.title` names the info page): the file the plugin writes from the upstream spec →
    /// the file it writes from the branded one. References to the page follow it, as to a
    /// renamed doc.
    pub pages: &'a HashMap<String, String>,
}

impl Retarget<'_> {
    /// The edits for file `path` (upstream path) of kind `kind` with text `text`: one per
    /// reference that changes, cause [`Cause::Reference`], sorted. A renamed doc's front
    /// matter `id:` that names it by its file name is renamed with it.
    pub fn edits(&self, path: &str, kind: FileKind, text: &str) -> Vec<Edit> {
        let mut edits: Vec<Edit> = references(self.site, path, kind, text, self.dialect)
            .into_iter()
            .filter_map(|r| {
                let old = &text[r.range.clone()];
                let new = self.retarget(path, r.kind, old)?;
                if kind == FileKind::JavaScript
                    && is_bare_key(text, r.range.clone())
                    && !is_identifier_name(&new)
                {
                    // A bare object key (`instancetypes: "…"` in a `_meta.js`) whose new name
                    // is no identifier (`instance-types`) is written as a string key.
                    return Some(Edit {
                        range: r.range,
                        replacement: format!("{new:?}"),
                        cause: Cause::Reference,
                    });
                }
                // Only the bytes that change, so that a substitution elsewhere in the same
                // reference (a `url` rule on its host) does not collide with this edit.
                let prefix = common_prefix(old, &new);
                let suffix = common_suffix(&old[prefix..], &new[prefix..]);
                (new != old).then(|| Edit {
                    range: r.range.start + prefix..r.range.end - suffix,
                    replacement: new[prefix..new.len() - suffix].to_string(),
                    cause: Cause::Reference,
                })
            })
            .collect();
        if kind.dialect(self.dialect).is_some() {
            edits.extend(self.front_matter_id(path, text));
        }
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        edits
    }

    /// The new text of reference `old`, written in file `from`, if it changes.
    fn retarget(&self, from: &str, kind: ReferenceKind, old: &str) -> Option<String> {
        let split = old.find(['#', '?']).unwrap_or(old.len());
        let (path_part, rest) = old.split_at(split);
        if let Some(new) = self.asset(path_part) {
            return Some(format!("{new}{rest}"));
        }
        let resolution = match kind {
            ReferenceKind::DocId => return self.doc_id(from, old),
            // An AsciiDoc cross reference names ids, which section pins keep.
            ReferenceKind::Xref => return None,
            ReferenceKind::SidebarDir | ReferenceKind::PageRef | ReferenceKind::Include => {
                self.site.resolve(from, kind, old)
            }
            ReferenceKind::Link | ReferenceKind::Image => match self.site.resolve(from, kind, old) {
                // An absolute URL into the site itself (a canonical link) is retargeted
                // like the site path it names.
                Resolution::External => match self.site.own_site_path(old) {
                    Some(site_path) => self.site.resolve(from, kind, site_path),
                    None => return None,
                },
                other => other,
            },
        };
        let Resolution::File {
            path: target,
            fragment,
        } = resolution
        else {
            return None;
        };
        let mut new_path = path_part.to_string();
        let out = self.paths.get(&target);
        if let Some(page) = self.pages.get(&target) {
            new_path = rename_page(path_part, &target, page);
        } else if out != target {
            new_path = rename_segments(self.renames, path_part);
        }
        let mut new_rest = rest.to_string();
        if let Some(fragment) = fragment {
            let moved = match fragment.as_str() {
                "" => None,
                f => self.anchors.get(&target).and_then(|m| m.get(f)),
            };
            if let (Some(moved), Some(hash)) = (moved, rest.find('#')) {
                new_rest = format!("{}#{moved}", &rest[..hash]);
            }
        }
        Some(format!("{new_path}{new_rest}"))
    }

    /// The new text of sidebar or category doc id `id`, written in file `from`: the
    /// renamed segments of the id, when its doc is renamed.
    fn doc_id(&self, from: &str, id: &str) -> Option<String> {
        let Resolution::File { path: target, .. } = self.site.resolve(from, ReferenceKind::DocId, id) else {
            return None;
        };
        if let Some(page) = self.pages.get(&target) {
            return Some(rename_page(id, &target, page));
        }
        (self.paths.get(&target) != target).then(|| rename_segments(self.renames, id))
    }

    /// The vendor path of an upstream asset reference, if a remap covers it. References
    /// written without the leading `/` (as `docusaurus.config.js` writes `img/logo.svg`)
    /// keep that form.
    fn asset(&self, path_part: &str) -> Option<String> {
        let (site_path, rooted) = match path_part.strip_prefix('/') {
            Some(_) => (path_part.to_string(), true),
            None => (format!("/{path_part}"), false),
        };
        let new = self.assets.iter().find_map(|a| a.map(&site_path))?;
        Some(if rooted { new } else { new[1..].to_string() })
    }

    /// Renames the front matter `id:` of a renamed doc when it equals the file's old stem
    /// (`id: harvester-monitoring` in `harvester-monitoring.md`): the id is the page's URL
    /// segment, which must follow the file.
    fn front_matter_id(&self, path: &str, text: &str) -> Option<Edit> {
        let name = path.rsplit('/').next()?;
        let new_name = renamed_name(self.renames, name)?;
        let (stem, new_stem) = (strip_doc_extension(name)?, strip_doc_extension(new_name)?);
        let body = text.strip_prefix("---\n")?;
        let end = body.find("\n---")?;
        let mut offset = 4;
        for line in body[..end].split_inclusive('\n') {
            if let Some(value) = line.strip_prefix("id:") {
                let value_start = offset + 3 + (value.len() - value.trim_start().len());
                let trimmed = value.trim();
                let unquoted = trimmed.trim_matches(['"', '\'']);
                if unquoted == stem {
                    let at = value_start + (trimmed.len() - trimmed.trim_start_matches(['"', '\'']).len());
                    return Some(Edit {
                        range: at..at + stem.len(),
                        replacement: new_stem.to_string(),
                        cause: Cause::Reference,
                    });
                }
                return None;
            }
            offset += line.len();
        }
        None
    }
}

/// `name` without its `.md`/`.mdx` extension, if it is a doc file name.
fn strip_doc_extension(name: &str) -> Option<&str> {
    name.strip_suffix(".md").or_else(|| name.strip_suffix(".mdx"))
}

/// `path` (a reference's path part) with every segment that names a renamed file or folder
/// renamed, in the form it is written: `harvester.md` as a file name, `harvester` as the
/// URL form of `harvester.md`.
fn rename_segments(renames: &[Rename], path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if let Some(new) = renamed_name(renames, segment) {
                return new.to_string();
            }
            renames
                .iter()
                .find_map(|r| {
                    let (old, new) = (strip_doc_extension(&r.from)?, strip_doc_extension(&r.to)?);
                    (segment == old).then(|| new.to_string())
                })
                .unwrap_or_else(|| segment.to_string())
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `reference` (a doc id or a reference's path part) to the generated page whose file is
/// `old` (`api/harvester-apis.info.mdx`), made to name the page whose file is `new`: its
/// last segment, the page's file name or its id (`harvester-apis`, as doc ids and URLs
/// write it), renamed; a trailing `/` kept.
fn rename_page(reference: &str, old: &str, new: &str) -> String {
    let name = |p: &'_ str| p.rsplit('/').next().unwrap_or(p).to_string();
    let (old_name, new_name) = (name(old), name(new));
    let id = |n: &str| n.split('.').next().unwrap_or(n).to_string();
    let (old_id, new_id) = (id(&old_name), id(&new_name));
    let (body, slash) = match reference.strip_suffix('/') {
        Some(body) => (body, "/"),
        None => (reference, ""),
    };
    let (dir, last) = body.rsplit_once('/').map_or(("", body), |(d, l)| (d, l));
    let renamed = if last == old_name {
        new_name
    } else if last == old_id {
        new_id
    } else {
        return reference.to_string();
    };
    match dir {
        "" if !body.contains('/') => format!("{renamed}{slash}"),
        dir => format!("{dir}/{renamed}{slash}"),
    }
}

/// Whether `range` of JavaScript `text` is an unquoted object key: no quote before it, a `:`
/// after it (past spaces).
fn is_bare_key(text: &str, range: std::ops::Range<usize>) -> bool {
    let quoted = text[..range.start].ends_with(['"', '\'', '`']);
    !quoted && text[range.end..].trim_start().starts_with(':')
}

/// Whether `name` can stand as an unquoted JavaScript object key: an identifier name of ASCII
/// letters, digits, `_` and `$`, not starting with a digit (ECMA-262 "IdentifierName"; a
/// name with other Unicode letters is quoted too), or a plain decimal number.
fn is_identifier_name(name: &str) -> bool {
    let mut chars = name.chars();
    let starts = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$');
    (starts && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        || (!name.is_empty() && name.bytes().all(|b| b.is_ascii_digit()))
}

/// Length in bytes of the longest common prefix of `a` and `b`, on a character boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i)
}

/// Length in bytes of the longest common suffix of `a` and `b`, on a character boundary.
fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;
    use crate::rewrite::apply_edits;
    use crate::rules::RuleSet;
    use crate::site::docusaurus::Site;

    const CONFIG: &str = "module.exports = { url: \"https://docs.harvesterhci.io\", presets: [['classic', { docs: { routeBasePath: '/', versions: { current: { path: 'v1.7' }, \"v1.5\": { path: 'v1.5' } } } }]] };\n";

    /// A small real-shaped site: a renamed page (with `id:` naming its file), pages and a
    /// sidebar that point at it.
    fn files() -> BTreeMap<String, Option<String>> {
        [
            ("docusaurus.config.js", CONFIG),
            ("versions.json", "[\"v1.5\"]\n"),
            (
                "versioned_docs/version-v1.5/monitoring/harvester-monitoring.md",
                "---\nid: harvester-monitoring\ntitle: Monitoring\n---\n\n## Harvester Dashboard\n",
            ),
            ("versioned_docs/version-v1.5/install/iso-install.md", "# ISO\n"),
            ("docs/install/harvester-configuration.md", "# Configuration\n"),
        ]
        .into_iter()
        .map(|(p, t)| (p.to_string(), Some(t.to_string())))
        .collect()
    }

    fn rules() -> RuleSet {
        RuleSet::parse(
            Path::new("rules.toml"),
            "[[rename]]\nfrom = \"harvester-monitoring.md\"\nto = \"hypervisor-monitoring.md\"\n\
             [[rename]]\nfrom = \"harvester-configuration.md\"\nto = \"hypervisor-configuration.md\"\n\
             [[asset]]\nfrom = \"/img/v1.2/install/*.png\"\nto = \"/img/brand/install/*.png\"\n",
        )
        .unwrap()
    }

    /// `text` of file `path` with its references retargeted.
    fn retarget(path: &str, kind: FileKind, text: &str) -> String {
        let files = files();
        let site = Site::from_files(&files);
        let rules = rules();
        let paths = PathMap::new(&rules, files.keys().map(String::as_str)).unwrap();
        let monitoring = "versioned_docs/version-v1.5/monitoring/harvester-monitoring.md";
        let anchors = HashMap::from([(
            monitoring.to_string(),
            HashMap::from([(
                "harvester-dashboard".to_string(),
                "hypervisor-dashboard".to_string(),
            )]),
        )]);
        let r = Retarget {
            dialect: Dialect::Mdx1,
            site: &site,
            paths: &paths,
            renames: &rules.site.renames,
            anchors: &anchors,
            assets: &rules.site.assets,
            pages: &HashMap::new(),
        };
        apply_edits(text, &r.edits(path, kind, text))
    }

    #[test]
    fn links_keep_their_form_and_follow_renames_and_moved_anchors() {
        let page = "versioned_docs/version-v1.5/install/iso-install.md";
        let text = "See [file](../monitoring/harvester-monitoring.md#harvester-dashboard), \
                    [url](../monitoring/harvester-monitoring/), [abs](/v1.5/monitoring/harvester-monitoring#harvester-dashboard), \
                    [other](./iso-install.md), [ext](https://github.com/harvester/harvester-monitoring) and \
                    ![shot](/img/v1.2/install/iso-install.png).\n\n\
                    <link rel=\"canonical\" href=\"https://docs.harvesterhci.io/v1.5/monitoring/harvester-monitoring\"/>\n";
        assert_eq!(
            retarget(page, FileKind::Markdown, text),
            "See [file](../monitoring/hypervisor-monitoring.md#hypervisor-dashboard), \
             [url](../monitoring/hypervisor-monitoring/), [abs](/v1.5/monitoring/hypervisor-monitoring#hypervisor-dashboard), \
             [other](./iso-install.md), [ext](https://github.com/harvester/harvester-monitoring) and \
             ![shot](/img/brand/install/iso-install.png).\n\n\
             <link rel=\"canonical\" href=\"https://docs.harvesterhci.io/v1.5/monitoring/hypervisor-monitoring\"/>\n"
        );
    }

    #[test]
    fn a_renamed_doc_takes_its_front_matter_id_along_and_sidebars_follow() {
        let monitoring = "versioned_docs/version-v1.5/monitoring/harvester-monitoring.md";
        let text = files()[monitoring].clone().unwrap();
        assert!(
            retarget(monitoring, FileKind::Markdown, &text).starts_with("---\nid: hypervisor-monitoring\n")
        );
        let sidebar = "{\n  \"docs\": [\"install/iso-install\", \"monitoring/harvester-monitoring\"]\n}\n";
        assert_eq!(
            retarget(
                "versioned_sidebars/version-v1.5-sidebars.json",
                FileKind::Json,
                sidebar
            ),
            sidebar.replace(
                "monitoring/harvester-monitoring",
                "monitoring/hypervisor-monitoring"
            )
        );
    }

    #[test]
    fn references_to_a_renamed_generated_page_keep_their_form() {
        let (old, new) = (
            "versioned_docs/version-v1.6/api/harvester-apis.info.mdx",
            "versioned_docs/version-v1.6/api/hypervisor-apis.info.mdx",
        );
        for (reference, want) in [
            ("api/harvester-apis", "api/hypervisor-apis"),
            ("../api/harvester-apis/", "../api/hypervisor-apis/"),
            ("/v1.6/api/harvester-apis", "/v1.6/api/hypervisor-apis"),
            ("./harvester-apis.info.mdx", "./hypervisor-apis.info.mdx"),
            ("harvester-apis", "hypervisor-apis"),
            ("api/list-namespaced-key-pair", "api/list-namespaced-key-pair"),
        ] {
            assert_eq!(rename_page(reference, old, new), want, "{reference}");
        }
    }

    #[test]
    fn edits_cover_only_the_bytes_that_change() {
        assert_eq!(common_prefix("../a/harvester.md#x", "../a/hypervisor.md#x"), 6);
        assert_eq!(common_suffix("harvester.md#x", "hypervisor.md#x"), "r.md#x".len());
        assert_eq!(common_prefix("é1", "é2"), 2);
    }
}
