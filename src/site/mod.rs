//! Whole-site white-labelling beyond prose: the site model of each documentation generator
//! (where each file is served and what its links point at), vendor patches, renames with
//! working links, asset remapping, and the link check.
//!
//! The generic parts (links, references, renames, patches) are written against the
//! [`Generator`] and [`SiteModel`] traits; each generator lives in its own folder
//! ([`docusaurus`], [`mkdocs`], [`hugo`], [`nextra`], [`fumadocs`], [`asciidoctor`]; the Next.js ones share [`nextjs`]'s
//! model) and is listed in [`GENERATORS`].

pub mod asciidoctor;
pub mod docusaurus;
pub mod fumadocs;
pub mod generator;
pub mod hugo;
pub mod links;
pub mod mkdocs;
pub mod nextjs;
pub mod nextra;
mod pages;
pub mod patch;
pub mod references;
pub mod rename;
pub(crate) mod url;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

pub use generator::{Generator, PageRenamer, PageSources, Resolution, SiteModel};

use crate::walk::{self, Policy};

/// The generators rebrand knows, in the order a tree is tried against them.
pub static GENERATORS: &[&dyn Generator] = &[
    &docusaurus::Docusaurus,
    &mkdocs::Mkdocs,
    &hugo::Hugo,
    &nextra::Nextra,
    &fumadocs::Fumadocs,
    &asciidoctor::Asciidoctor,
];

/// The generator whose site the tree at `root` is: the first of [`GENERATORS`] that
/// recognises `root` as its site's root, or `None`.
pub fn detect(root: &Path) -> Option<&'static dyn Generator> {
    GENERATORS.iter().copied().find(|g| g.is_site(root))
}

/// The generator that reads the tree at `root`: the one [`detect`]ed, else the
/// [`default_generator`].
pub fn generator(root: &Path) -> &'static dyn Generator {
    detect(root).unwrap_or_else(default_generator)
}

/// The generator of a tree that is no site's root (a folder of pages, one version's docs, a
/// tree of several sites) and of a rule file read without a tree (`test-rules`): the first of
/// [`GENERATORS`], Docusaurus, the one every tree was read as before the generator seam (so
/// that such trees and rule files read as they always have).
pub fn default_generator() -> &'static dyn Generator {
    GENERATORS[0]
}

/// The nearest folder above `file` that is a site's root ([`detect`]), else the file's
/// folder (`.` for a bare name).
pub fn site_root(file: &Path) -> PathBuf {
    let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    abs.ancestors()
        .skip(1)
        .find(|d| detect(d).is_some())
        .or_else(|| abs.parent())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// How every command walks the tree at `root` (see [`crate::walk`]): what every walk leaves
/// out ([`Policy::new`]: version control and `.rebrand` at the root), and, when `root` is the
/// root of a documentation site ([`detect`]), the folders its generator makes that are not
/// its source ([`Generator::generated_folders`]; Docusaurus:
/// [`docusaurus::GENERATED_FOLDERS`]). A tree that is no site (several sites side by side, a
/// folder of pages) is walked whole.
pub fn walk_policy(root: &Path) -> Policy {
    let policy = Policy::new();
    match detect(root) {
        Some(generator) => policy.skipping(generator.generated_folders()),
        None => policy,
    }
}

/// A reader of the files of the tree at `root` by relative path, for
/// [`Generator::page_sources`]: the text, `None` when the file is absent.
///
/// # Errors
/// An I/O error naming the path, for a file that exists but cannot be read as UTF-8 text.
pub(crate) fn read_in(root: &Path) -> impl FnMut(&str) -> io::Result<Option<String>> + '_ {
    move |path| match std::fs::read_to_string(root.join(path)) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io::Error::new(e.kind(), format!("cannot read `{path}`: {e}"))),
    }
}

/// Reads the tree at `root` as every command walks it ([`crate::site::walk_policy`]): every
/// entry's relative path but its folders' (files, links, special files), with its text when
/// it is a regular file, `wanted(path)` and UTF-8 (the texts are read in parallel).
///
/// # Errors
/// An I/O error naming every entry that could not be listed (a folder that cannot be read,
/// a name that is not UTF-8), or else the first file in walk order that `wanted` takes and
/// that cannot be read.
pub(crate) fn read_tree(
    root: &Path,
    wanted: impl Fn(&str) -> bool + Sync,
) -> io::Result<BTreeMap<String, Option<String>>> {
    use rayon::prelude::*;
    let entries = walk::walk(root, &walk_policy(root)).map_err(|errors| {
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        io::Error::other(messages.join("\n"))
    })?;
    let read: Vec<io::Result<(String, Option<String>)>> = entries
        .into_par_iter()
        .filter(|e| e.kind != walk::Kind::Dir)
        .map(|e| {
            if e.kind != walk::Kind::File || !wanted(&e.rel) {
                return Ok((e.rel, None));
            }
            match std::fs::read(&e.path) {
                Ok(bytes) => Ok((e.rel, String::from_utf8(bytes).ok())),
                Err(err) => Err(io::Error::new(
                    err.kind(),
                    format!("cannot read `{}`: {err}", e.path.display()),
                )),
            }
        })
        .collect();
    read.into_iter().collect()
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::walk::Skip;

    #[test]
    fn a_docusaurus_site_adds_its_generated_folders_and_another_tree_does_not() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(walk_policy(tmp.path()), Policy::new());
        for config in docusaurus::CONFIG_FILES {
            std::fs::write(tmp.path().join(config), "export default {};\n").unwrap();
            let policy = walk_policy(tmp.path());
            assert!(
                policy.skips().contains(&Skip::folder_anywhere("node_modules")),
                "{config}"
            );
            assert!(policy.skips().contains(&Skip::root_folder("build")), "{config}");
            std::fs::remove_file(tmp.path().join(config)).unwrap();
        }
        // A folder of that name is no config file.
        std::fs::create_dir(tmp.path().join("docusaurus.config.js")).unwrap();
        assert_eq!(walk_policy(tmp.path()), Policy::new());
    }
}
