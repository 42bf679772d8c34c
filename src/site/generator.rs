//! The generator seam: what a documentation generator (Docusaurus, and next MkDocs, Hugo,
//! ...) knows about a tree, as two traits the generic parts of the site layer, the planner and
//! the link check are written against.
//!
//! A [`Generator`] is what a generator is, whatever the site: how it recognises its own
//! tree, the folders it writes that are not source, which files its site model reads, where
//! it serves static files from, and which pages its plugins write at build time. A
//! [`SiteModel`] is one site as the generator will serve it: the URL of each file and what
//! each reference points at. Each generator lives in its own folder under `src/site/`.

use std::collections::{BTreeMap, HashSet};
use std::io;
use std::path::Path;

use super::links::{Reference, ReferenceKind};
use crate::rules::Conventions;
use crate::scan::FileKind;
use crate::walk::Skip;

/// What a documentation generator knows about any tree it builds.
///
/// The required methods are what no two generators share; the provided ones have the
/// answer of a generator without plugins that write pages.
pub trait Generator: Sync {
    /// The generator's name, as reports and errors give it (`Docusaurus`).
    fn name(&self) -> &'static str;

    /// Whether the folder at `root` is the root of a site of this generator (it holds the
    /// generator's configuration file).
    fn is_site(&self, root: &Path) -> bool;

    /// The folders of a site that the generator writes and that are not its source (build
    /// output, installed packages), which no walk of the site lists.
    fn generated_folders(&self) -> &'static [Skip];

    /// What the generator says about the paths and pages of the site at `root`, which rule
    /// files are read with: where translations live, which of its own files each kind reads
    /// by default, how headings get their anchors. `root` may hold no site (a rule file read
    /// without a tree): then the generator's defaults.
    fn conventions(&self, root: &Path) -> Conventions;

    /// Whether the site model reads the text of the file at relative path `path` (pages and
    /// the generator's own configuration files); any other file only counts as present.
    fn reads(&self, path: &str) -> bool;

    /// The folder (relative to the site's root, without slashes) whose files are served at
    /// the site's root: `/img/logo.svg` is `<static_folder>/img/logo.svg`.
    fn static_folder(&self) -> &'static str;

    /// The site model of in-memory files: relative `/`-separated path → text (`None` for a
    /// file present but not read as text). Only the texts [`Generator::reads`] and
    /// [`PageSources::paths`] take matter; every path counts for existence.
    fn model(&self, files: &BTreeMap<String, Option<String>>) -> Box<dyn SiteModel>;

    /// The files of the site from which the generator's plugins write pages at build time,
    /// as the site's configuration names them. `read(path)` gives the text of a file of the
    /// tree (`None` when absent or not text). The provided answer: none.
    ///
    /// # Errors
    /// The first error of `read`.
    fn page_sources(
        &self,
        read: &mut dyn FnMut(&str) -> io::Result<Option<String>>,
    ) -> io::Result<PageSources> {
        let _ = read;
        Ok(PageSources::default())
    }

    /// The attributes the site's build passes to every AsciiDoc document (asciidoctor's
    /// `-a name=value`: Maven's asciidoctor-maven-plugin `<attributes>`), as (name, value)
    /// in the order they apply, `name!` for one it unsets; its files read through `read`
    /// (as [`Generator::page_sources`]). They decide the section ids of every document
    /// before its own attribute entries do. The provided answer: none.
    ///
    /// # Errors
    /// The first error of `read`.
    fn build_attributes(
        &self,
        read: &mut dyn FnMut(&str) -> io::Result<Option<String>>,
    ) -> io::Result<Vec<(String, String)>> {
        let _ = read;
        Ok(Vec::new())
    }

    /// The site model of the tree at `root`, walked as every command walks it
    /// ([`crate::site::walk_policy`]) and read as [`Generator::model`] needs.
    ///
    /// # Errors
    /// An I/O error naming the path: a folder that cannot be listed, a name that is not
    /// UTF-8, a file the model reads that cannot be read.
    fn load(&self, root: &Path) -> io::Result<Box<dyn SiteModel>> {
        let sources = self.page_sources(&mut super::read_in(root))?;
        let files = super::read_tree(root, |p| self.reads(p) || sources.paths.contains(p))?;
        Ok(self.model(&files))
    }
}

/// Pages a generator's plugins write at build time from files of the tree (Docusaurus:
/// docusaurus-plugin-openapi-docs' pages from OpenAPI specs), as the site's configuration
/// names them.
#[derive(Default)]
pub struct PageSources {
    /// Every source file the configuration names (relative paths): texts the site model
    /// reads besides those of [`Generator::reads`].
    pub paths: HashSet<String>,
    /// The sources whose pages a rewrite can rename, each with its source's relative path.
    pub renamers: Vec<PageRenamer>,
}

/// How the pages written from one source file change when the source's text does.
pub struct PageRenamer {
    /// The source file, relative to the site's root.
    pub source: String,
    /// (upstream text, branded text) → each page whose file changes: (upstream file, branded
    /// file), relative to the site's root.
    #[allow(clippy::type_complexity)]
    pub renamed: Box<dyn Fn(&str, &str) -> Vec<(String, String)> + Send + Sync>,
}

/// One site as its generator serves it: where each file is served and what each reference
/// points at.
pub trait SiteModel: Sync {
    /// The URL path the page at relative path `path` is served at (`/v1.5/install/`), or
    /// `None` for a file that is no page.
    fn url_of(&self, path: &str) -> Option<String>;

    /// Where a reference of kind `kind`, written as `reference` in the file at relative
    /// path `from`, points.
    fn resolve(&self, from: &str, kind: ReferenceKind, reference: &str) -> Resolution;

    /// The site path of an absolute URL on the site's own origin
    /// (`https://docs.harvesterhci.io/v1.6/airgap` → `/v1.6/airgap`), for canonical links.
    fn own_site_path<'u>(&self, url: &'u str) -> Option<&'u str>;

    /// Whether `path` is a page a plugin writes at build time from a file of the tree,
    /// which the tree does not hold. The provided answer: no.
    fn is_generated_page(&self, path: &str) -> bool {
        let _ = path;
        false
    }

    /// Whether a link `reference` names a file rather than a URL (a broken one is a missing
    /// file, else a missing URL). The provided answer: its last segment has a file extension
    /// (`.md` included).
    fn names_file(&self, reference: &str) -> bool {
        super::url::has_file_extension(reference)
    }

    /// The anchors a `#fragment` into the page at relative path `path` may name, when the
    /// site model knows them rather than the page's own Markdown (an AsciiDoc document's
    /// ids, gathered over every file it includes). The provided answer: `None`, the link
    /// check reads the page.
    fn anchors_of(&self, path: &str) -> Option<&HashSet<String>> {
        let _ = path;
        None
    }

    /// The references in the generator's own files (navigation, configuration) at relative
    /// path `path`, read as `kind`; Markdown pages' references are the link check's
    /// ([`super::links::references`]). The provided answer: none.
    fn own_references(&self, path: &str, kind: FileKind, text: &str) -> Vec<Reference> {
        let _ = (path, kind, text);
        Vec::new()
    }
}

/// Where a reference points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// A file of the tree, and the decoded fragment after `#` if the reference has one
    /// (`Some("")` for a bare `#`).
    File {
        /// The target's relative `/`-separated path.
        path: String,
        /// The percent-decoded fragment.
        fragment: Option<String>,
    },
    /// Another site or scheme: `http(s)://`, `mailto:`, `pathname://`, `//host/…`.
    External,
    /// A page in a folder a plugin writes at build time (docusaurus-plugin-openapi-docs'
    /// `outputDir`) that the tree cannot tell about: no source of the tree generates the
    /// folder (or it is not read: a URL, YAML), or the page would be in a subfolder (the
    /// plugin's schema pages). Legitimately missing from a source checkout.
    Generated {
        /// The generated folder, relative (`versioned_docs/version-v1.6/api`).
        dir: String,
        /// The plugin that writes it (`docusaurus-plugin-openapi-docs`).
        by: &'static str,
    },
    /// A page in a folder a plugin generates from a source of the tree, which that source
    /// does not generate: the plugin will write no such page.
    MissingGenerated {
        /// The spec, the id looked for and the page the spec generates instead.
        why: String,
    },
    /// Nothing in the tree answers.
    Missing {
        /// What was looked for, for a person to read.
        why: String,
    },
}
