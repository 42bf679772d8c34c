//! AsciiDoc built by asciidoctor as a generator: a tree of AsciiDoc documents, each root
//! document (one that no other file includes) built into an HTML page beside it, with the
//! files it includes (`include::`) read into it. What a reference in a file points at is what
//! asciidoctor makes of it in the documents that include the file:
//!
//! - a cross reference (`<<id>>`, `<<id,label>>`, `xref:id[]`) is an id of the document
//!   (a section's id as asciidoctor derives it, a block or inline anchor), or a section's
//!   title ("natural" cross references: `<<Section Title>>`). `<<file.adoc#id>>` is the same
//!   document when `file` is the document or one of its includes (asciidoctor's
//!   `catalog[:includes]`, paths relative to the document's folder), else a link to the
//!   other document's page (`file.html#id`). After asciidoctor 2's `Substitutors#sub_macros`
//!   ("Macros > Cross references", "xrefs to other documents");
//! - an `include::` target is a file relative to the including file's folder;
//! - an `image:`/`image::` target is relative to the document's folder and `imagesdir`;
//! - a `link:` target is relative to the document's page.
//!
//! Attribute references in targets (`include::{templates}/x.adoc[]`) are replaced by the
//! tree's document attributes; a target that keeps one is not checked. Conditional blocks are
//! read both ways (`ifdef::`), as the scanner reads them: an id in either branch counts.
//!
//! Section ids follow the build's attributes (`idprefix`, `idseparator`, `sectids`): those of
//! the asciidoctor-maven-plugin's `<attributes>` in `pom.xml` and of the editors'
//! `.asciidoctorconfig` at the root ([`build_attributes`]), then each document's own
//! attribute entries, carried into the files it includes as asciidoctor carries them.

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::rewrite::anchors::{asciidoctor_id, asciidoctor_unique_id};
use crate::rules::{Conventions, HeadingIds};
use crate::scan::{scan, Context, Dialect, FileKind, Reading, SectionIds};
use crate::site::links::{Reference, ReferenceKind};
use crate::site::url::{is_external, join_path, normalize, parent, split_link};
use crate::site::{Generator, Resolution, SiteModel};
use crate::walk::Skip;

/// The files of a tree that say how its build runs asciidoctor: the editors' attribute file
/// (the IntelliJ and VS Code AsciiDoc plugins read `.asciidoctorconfig` as AsciiDoc attribute
/// entries) and Maven's `pom.xml` (the asciidoctor-maven-plugin's `<attributes>`), in the
/// order their attributes apply: the build's last.
pub const BUILD_FILES: [&str; 2] = [".asciidoctorconfig", "pom.xml"];

/// The file names of a guide's root document that make a folder at the top of a tree a guide
/// (Keycloak's `securing_apps/index.adoc`; Red Hat's `master.adoc`).
const ROOT_DOCUMENTS: [&str; 2] = ["index.adoc", "master.adoc"];

/// How deep includes nest before asciidoctor stops (its `max-include-depth` default).
const MAX_INCLUDE_DEPTH: usize = 64;

/// AsciiDoc documents built by asciidoctor as a [`Generator`]; its model is
/// [`AsciidocSite`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Asciidoctor;

impl Generator for Asciidoctor {
    fn name(&self) -> &'static str {
        "Asciidoctor"
    }

    /// A folder whose `pom.xml` runs the asciidoctor-maven-plugin, that holds an
    /// `.asciidoctorconfig`, or whose top (or a folder at its top, a guide) holds a root
    /// document `index.adoc` or `master.adoc`.
    fn is_site(&self, root: &Path) -> bool {
        let pom = std::fs::read_to_string(root.join("pom.xml")).unwrap_or_default();
        if pom.contains("asciidoctor-maven-plugin") || root.join(BUILD_FILES[0]).is_file() {
            return true;
        }
        let has_root_document = |dir: &Path| ROOT_DOCUMENTS.iter().any(|n| dir.join(n).is_file());
        has_root_document(root)
            || std::fs::read_dir(root).is_ok_and(|entries| {
                entries
                    .flatten()
                    .any(|e| e.file_type().is_ok_and(|t| t.is_dir()) && has_root_document(&e.path()))
            })
    }

    /// None: asciidoctor writes each page beside its document, and Maven's `target/` is
    /// not in a source tree.
    fn generated_folders(&self) -> &'static [Skip] {
        &[]
    }

    /// No translations; the tree's Markdown files (a README) are read as CommonMark, their
    /// headings' anchors github-slugger's as GitHub shows them, where no `{#id}` can pin one.
    fn conventions(&self, _root: &Path) -> Conventions {
        Conventions {
            translations: None,
            default_globs: &[],
            heading_ids: Some(HeadingIds::GithubSluggerUnpinned),
            dialect: Dialect::CommonMark,
            yaml_prose_keys: &[],
            shortcode_prose: &[],
            toml_prose_keys: &[],
            json_file_prose_keys: &[],
        }
    }

    /// The AsciiDoc files and the build's files ([`BUILD_FILES`]).
    fn reads(&self, path: &str) -> bool {
        is_asciidoc(path) || BUILD_FILES.contains(&path)
    }

    /// None: images and links are relative to each document.
    fn static_folder(&self) -> &'static str {
        ""
    }

    fn model(&self, files: &BTreeMap<String, Option<String>>) -> Box<dyn SiteModel> {
        Box::new(AsciidocSite::from_files(files))
    }

    fn build_attributes(
        &self,
        read: &mut dyn FnMut(&str) -> io::Result<Option<String>>,
    ) -> io::Result<Vec<(String, String)>> {
        let config = read(BUILD_FILES[0])?;
        let pom = read(BUILD_FILES[1])?;
        Ok(build_attributes(config.as_deref(), pom.as_deref()))
    }
}

/// Whether the file at relative path `path` is an AsciiDoc document (the `asciidoc` kind's
/// default globs).
fn is_asciidoc(path: &str) -> bool {
    path.ends_with(".adoc") || path.ends_with(".asciidoc")
}

/// The attributes a tree's build passes to asciidoctor, as (name, value) in the order they
/// apply, `name!` for one it unsets: the attribute entries of the root's `.asciidoctorconfig`
/// (`config`, its text), then the `<attributes>` of every asciidoctor-maven-plugin
/// configuration of `pom.xml` (`pom`, its text; an empty element such as `<idprefix/>` is an
/// empty value, a value naming a Maven property `${…}` is left out). A `pom.xml` that is not
/// well-formed XML adds nothing.
pub fn build_attributes(config: Option<&str>, pom: Option<&str>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = config.map(crate::scan::attribute_settings).unwrap_or_default();
    let Some(Ok(doc)) = pom.map(roxmltree::Document::parse) else {
        return out;
    };
    let plugins = doc.descendants().filter(|n| {
        n.has_tag_name("plugin")
            && n.children()
                .any(|c| c.has_tag_name("artifactId") && c.text() == Some("asciidoctor-maven-plugin"))
    });
    for plugin in plugins {
        for attributes in plugin.descendants().filter(|n| n.has_tag_name("attributes")) {
            for attribute in attributes.children().filter(roxmltree::Node::is_element) {
                let value = attribute.text().unwrap_or("").trim();
                if !value.contains("${") {
                    out.push((attribute.tag_name().name().to_string(), value.to_string()));
                }
            }
        }
    }
    out
}

/// One root document as asciidoctor builds it, with every file it includes.
#[derive(Debug, Default)]
struct Document {
    /// Every id of the document: its sections' (explicit or derived) and its anchors'.
    ids: HashSet<String>,
    /// Its sections' titles (attribute references replaced), which a natural cross reference
    /// names.
    titles: HashSet<String>,
    /// The files it includes, relative to its folder, without `.adoc` (asciidoctor's
    /// `catalog[:includes]`): what `<<file.adoc#id>>` names as the same document.
    includes: HashSet<String>,
}

/// The model of a tree of AsciiDoc documents built by asciidoctor (see the module's doc).
pub struct AsciidocSite {
    /// Every file of the tree.
    files: HashSet<String>,
    /// The root documents (files no other file includes), by path.
    documents: BTreeMap<String, Document>,
    /// Each AsciiDoc file → the root documents that read it (a root document reads itself).
    documents_of: HashMap<String, Vec<String>>,
    /// The attributes a target may reference (`{templates}`): the build's, then the first
    /// definition of each name in the tree's files.
    attributes: HashMap<String, String>,
}

/// An attribute reference `{name}`.
static ATTRIBUTE_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{([A-Za-z0-9_][A-Za-z0-9_-]*)\}").expect("valid"));

impl AsciidocSite {
    /// The model of in-memory files: relative path → text (`None` when not read).
    pub fn from_files(files: &BTreeMap<String, Option<String>>) -> AsciidocSite {
        let text_of = |p: &str| files.get(p).and_then(Option::as_deref);
        let build = build_attributes(text_of(BUILD_FILES[0]), text_of(BUILD_FILES[1]));
        let texts: BTreeMap<&str, &str> = files
            .iter()
            .filter(|(p, _)| is_asciidoc(p))
            .filter_map(|(p, t)| Some((p.as_str(), t.as_deref()?)))
            .collect();
        let mut attributes: HashMap<String, String> = build
            .iter()
            .filter(|(n, _)| !n.ends_with('!'))
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect();
        for text in texts.values() {
            for (name, value) in crate::scan::attribute_entries(text) {
                attributes.entry(name).or_insert(value);
            }
        }
        let mut site = AsciidocSite {
            files: files.keys().cloned().collect(),
            documents: BTreeMap::new(),
            documents_of: HashMap::new(),
            attributes,
        };
        let includes: HashMap<&str, Vec<(usize, String)>> = texts
            .iter()
            .map(|(path, text)| (*path, site.includes_in(path, text)))
            .collect();
        let included: HashSet<&str> = includes
            .values()
            .flatten()
            .map(|(_, target)| target.as_str())
            .collect();
        let build_ids = SectionIds::from_attributes(build.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        for root in texts.keys().filter(|p| !included.contains(**p)) {
            let mut walk = DocumentWalk {
                texts: &texts,
                includes: &includes,
                attributes: &site.attributes,
                root,
                document: Document::default(),
                read: Vec::new(),
                stack: Vec::new(),
            };
            walk.visit(root, build_ids.clone());
            for file in walk.read {
                site.documents_of.entry(file).or_default().push(root.to_string());
            }
            site.documents.insert(root.to_string(), walk.document);
        }
        site
    }

    /// The files `text` (the file at `path`) includes, resolved: (the offset of the include
    /// target, the included file's relative path), the targets the scanner finds
    /// ([`asciidoc_references`]). Targets that keep an attribute reference, leave the tree or
    /// name no file of it are left out.
    fn includes_in(&self, path: &str, text: &str) -> Vec<(usize, String)> {
        asciidoc_references(text)
            .into_iter()
            .filter(|r| r.kind == ReferenceKind::Include)
            .filter_map(|r| {
                let target = self.expand(text[r.range.clone()].trim())?;
                let file = self.file_from(parent(path), &target)?;
                Some((r.range.start, file))
            })
            .collect()
    }

    /// `target` with its attribute references replaced by their values, and theirs in turn
    /// (`{project_doc_base_url}` is `https://…/{project_versionLinks}`); `None` when one has
    /// no value.
    fn expand(&self, target: &str) -> Option<String> {
        let mut expanded = target.to_string();
        for _ in 0..8 {
            if !expanded.contains('{') {
                break;
            }
            let mut missing = false;
            let next = ATTRIBUTE_REF.replace_all(&expanded, |m: &regex::Captures| {
                self.attributes.get(&m[1]).cloned().unwrap_or_else(|| {
                    missing = true;
                    String::new()
                })
            });
            if missing {
                return None;
            }
            expanded = next.into_owned();
        }
        (!ATTRIBUTE_REF.is_match(&expanded)).then_some(expanded)
    }

    /// The file of the tree that `target` names relative to folder `dir`, if it is one.
    fn file_from(&self, dir: &str, target: &str) -> Option<String> {
        if is_external(target) || target.starts_with('/') {
            return None;
        }
        normalize(&join_path(dir, target)).filter(|p| self.files.contains(p))
    }

    /// The root documents that read the file at `path`.
    fn documents_of(&self, path: &str) -> &[String] {
        self.documents_of.get(path).map_or(&[], Vec::as_slice)
    }

    /// Where cross reference `reference` in the file at `from` points, in every document that
    /// reads `from` (see the module's doc).
    fn resolve_xref(&self, from: &str, reference: &str) -> Resolution {
        let Some(reference) = self.expand(reference.trim()) else {
            return Resolution::External;
        };
        let (path, fragment) = match reference.split_once('#') {
            Some((path, fragment)) => (Some(path), Some(fragment)),
            None if reference.ends_with(".adoc") => (Some(reference.as_str()), None),
            None => (None, Some(reference.as_str())),
        };
        let documents = self.documents_of(from);
        for root in documents {
            let document = &self.documents[root];
            let same_document = path.is_none_or(|p| {
                let p = p.strip_suffix(".adoc").unwrap_or(p);
                p.is_empty() || document.includes.contains(p) || Some(p) == stem(root)
            });
            if !same_document {
                let path = path.expect("another document has a path");
                let target = match path.strip_suffix(".adoc") {
                    Some(p) => format!("{p}.adoc"),
                    None => format!("{path}.adoc"),
                };
                let Some(target) = normalize(&join_path(parent(root), &target)) else {
                    return Resolution::Missing {
                        why: format!("`{path}` leaves the tree"),
                    };
                };
                if self.documents.contains_key(&target) {
                    return Resolution::File {
                        path: target,
                        fragment: fragment.map(str::to_string),
                    };
                }
                let why = match self.documents_of(&target).first() {
                    Some(into) => format!(
                        "`{target}` is no page of its own: it is included in `{into}`, and `{root}` does not include it"
                    ),
                    None => format!("no document `{target}` (linked from the document `{root}`)"),
                };
                return Resolution::Missing { why };
            }
            if let Some(id) = fragment.filter(|f| !f.is_empty()) {
                let natural = (id.contains(' ') || id.to_lowercase() != id) && document.titles.contains(id);
                if !document.ids.contains(id) && !natural {
                    return Resolution::Missing {
                        why: format!("no id `{id}` in the document `{root}`"),
                    };
                }
            }
        }
        match documents.first() {
            Some(root) => Resolution::File {
                path: root.clone(),
                fragment: None,
            },
            None => Resolution::Missing {
                why: format!("`{from}` is read by no document (its includes form a cycle)"),
            },
        }
    }

    /// Where a `link:`, `image:` or `include::` target written in the file at `from` points.
    fn resolve_path(&self, from: &str, kind: ReferenceKind, reference: &str) -> Resolution {
        let Some(reference) = self.expand(reference) else {
            return Resolution::External;
        };
        let (path, fragment) = match split_link(from, &reference) {
            Ok(split) => split,
            Err(decided) => return decided,
        };
        let document = self.documents_of(from).first().map_or(from, String::as_str);
        let (dir, what) = match kind {
            ReferenceKind::Include => (parent(from).to_string(), "file"),
            ReferenceKind::Image => {
                let images = self.attributes.get("imagesdir").map_or("", String::as_str);
                match is_external(images) {
                    true => return Resolution::External,
                    false => (join_path(parent(document), images), "image"),
                }
            }
            _ => (parent(document).to_string(), "file"),
        };
        let Some(target) = normalize(&join_path(&dir, &path)) else {
            return Resolution::Missing {
                why: format!("`{path}` leaves the tree"),
            };
        };
        if self.files.contains(&target) {
            return Resolution::File {
                path: target,
                fragment,
            };
        }
        // A link to a page asciidoctor builds: `guide.html` of `guide.adoc`.
        if let Some(source) = target
            .strip_suffix(".html")
            .map(|stem| format!("{stem}.adoc"))
            .filter(|s| self.documents.contains_key(s))
        {
            return Resolution::File {
                path: source,
                fragment,
            };
        }
        Resolution::Missing {
            why: format!("no {what} `{target}`"),
        }
    }
}

/// The file name of `path` without `.adoc` (a document's `docname`).
fn stem(path: &str) -> Option<&str> {
    path.rsplit('/').next()?.strip_suffix(".adoc")
}

/// Reads one root document with the files it includes, in document order.
struct DocumentWalk<'a> {
    texts: &'a BTreeMap<&'a str, &'a str>,
    includes: &'a HashMap<&'a str, Vec<(usize, String)>>,
    attributes: &'a HashMap<String, String>,
    root: &'a str,
    document: Document,
    /// Every file read, the root first.
    read: Vec<String>,
    /// The files being read (an include cycle stops there).
    stack: Vec<String>,
}

impl DocumentWalk<'_> {
    /// Reads the file at `path` into the document, its sections' ids made with `ids` (the
    /// settings at the line that includes it) until its own attribute entries change them.
    fn visit(&mut self, path: &str, ids: Option<SectionIds>) {
        let Some(text) = self.texts.get(path).copied() else {
            return;
        };
        if self.stack.len() > MAX_INCLUDE_DEPTH || self.stack.iter().any(|p| p == path) {
            return;
        }
        self.stack.push(path.to_string());
        if !self.read.iter().any(|p| p == path) {
            self.read.push(path.to_string());
        }
        if path != self.root {
            let relative = relative_to(parent(self.root), path);
            let rootname = relative.strip_suffix(".adoc").unwrap_or(&relative).to_string();
            self.document.includes.insert(rootname);
        }
        let reading = Reading {
            section_ids: ids.clone(),
            ..Reading::default()
        };
        let scanned = scan(FileKind::Asciidoc, text, &reading);
        // The file's events in text order: ids, sections and includes.
        enum Event<'e> {
            Id(&'e str),
            Section(&'e crate::scan::Heading),
            Include(&'e str),
        }
        let mut events: Vec<(usize, Event)> = Vec::new();
        for span in scanned.spans.iter().filter(|s| s.context == Context::HeadingId) {
            events.push((span.range.start, Event::Id(&text[span.range.clone()])));
        }
        for heading in &scanned.headings {
            // The document's title (`= Title`) gets no id.
            let level = text[heading.range.start..]
                .bytes()
                .take_while(|&b| b == b'=')
                .count();
            if !(path == self.root && level == 1) {
                events.push((heading.range.start, Event::Section(heading)));
            }
        }
        let includes = self.includes.get(path).map_or(&[][..], Vec::as_slice);
        for (at, target) in includes {
            events.push((*at, Event::Include(target)));
        }
        events.sort_by_key(|(at, _)| *at);
        for (at, event) in events {
            match event {
                Event::Id(id) => {
                    self.document.ids.insert(id.to_string());
                }
                Event::Section(heading) => self.section(heading),
                Event::Include(target) => {
                    let settings = crate::scan::attribute_settings(&text[..at]);
                    let ids = SectionIds::after(
                        ids.clone(),
                        settings.iter().map(|(n, v)| (n.as_str(), v.as_str())),
                    );
                    let target = target.to_string();
                    self.visit(&target, ids);
                }
            }
        }
        self.stack.pop();
    }

    /// Adds a section's id (explicit, or derived from its title and numbered as asciidoctor
    /// numbers a repeat) and its title to the document.
    fn section(&mut self, heading: &crate::scan::Heading) {
        let title: String = heading
            .parts
            .iter()
            .map(|(_, part)| {
                let name = part.strip_prefix('{').and_then(|p| p.strip_suffix('}'));
                match name.and_then(|n| self.attributes.get(n)) {
                    Some(value) => value.as_str(),
                    None => part.as_str(),
                }
            })
            .collect();
        self.document.titles.insert(title.clone());
        if let Some(id) = &heading.explicit_id {
            self.document.ids.insert(id.clone());
            return;
        }
        let Some(settings) = &heading.section_ids else {
            return;
        };
        let id = asciidoctor_unique_id(asciidoctor_id(&title, settings), settings, &self.document.ids);
        self.document.ids.insert(id);
    }
}

/// `path` relative to folder `dir` (both relative to the tree's root), with `..` where it
/// leaves `dir`.
fn relative_to(dir: &str, path: &str) -> String {
    if dir.is_empty() {
        return path.to_string();
    }
    let dir: Vec<&str> = dir.split('/').collect();
    let target: Vec<&str> = path.split('/').collect();
    let common = dir.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; dir.len() - common];
    parts.extend(&target[common..]);
    parts.join("/")
}

impl SiteModel for AsciidocSite {
    /// A root document's page: `guide/index.adoc` is `/guide/index.html`.
    fn url_of(&self, path: &str) -> Option<String> {
        self.documents
            .contains_key(path)
            .then(|| format!("/{}.html", path.strip_suffix(".adoc").unwrap_or(path)))
    }

    fn resolve(&self, from: &str, kind: ReferenceKind, reference: &str) -> Resolution {
        match kind {
            ReferenceKind::Xref => self.resolve_xref(from, reference),
            ReferenceKind::Link | ReferenceKind::Image | ReferenceKind::Include => {
                self.resolve_path(from, kind, reference)
            }
            ReferenceKind::DocId | ReferenceKind::SidebarDir | ReferenceKind::PageRef => {
                Resolution::Missing {
                    why: format!("asciidoctor has no {}", kind.name()),
                }
            }
        }
    }

    fn own_site_path<'u>(&self, _url: &'u str) -> Option<&'u str> {
        None
    }

    fn anchors_of(&self, path: &str) -> Option<&HashSet<String>> {
        self.documents.get(path).map(|d| &d.ids)
    }

    /// An AsciiDoc file's cross references, `include::`, `image:` and `link:` targets (the
    /// scanner's link targets, told apart by the macro before them); other files have none.
    fn own_references(&self, _path: &str, kind: FileKind, text: &str) -> Vec<Reference> {
        if kind != FileKind::Asciidoc {
            return Vec::new();
        }
        asciidoc_references(text)
    }
}

/// The references of an AsciiDoc file (see [`AsciidocSite::own_references`]), in text order.
pub fn asciidoc_references(text: &str) -> Vec<Reference> {
    let scanned = scan(FileKind::Asciidoc, text, &Reading::default());
    let mut line = 1;
    let mut counted = 0;
    scanned
        .spans
        .iter()
        .filter(|s| s.context == Context::LinkTarget)
        .filter_map(|span| {
            let before = &text[..span.range.start];
            let kind = if before.ends_with("<<") || before.ends_with("xref:") {
                ReferenceKind::Xref
            } else if before.ends_with("include::") {
                ReferenceKind::Include
            } else if before.ends_with("image:") || before.ends_with("image::") {
                ReferenceKind::Image
            } else if before.ends_with("link:") {
                ReferenceKind::Link
            } else {
                return None;
            };
            line += text[counted..span.range.start].matches('\n').count();
            counted = span.range.start;
            Some(Reference {
                range: span.range.clone(),
                line,
                kind,
            })
        })
        .collect()
}
