//! Whole-site white-labelling beyond prose: the Docusaurus site model (where each file is
//! served and what its links point at), vendor patches, renames with working links, asset
//! remapping, and the link check.

pub mod docusaurus;
pub mod links;
pub mod openapi;
pub mod patch;
pub mod references;
pub mod rename;

use std::path::Path;

use crate::walk::Policy;

/// How every command walks the tree at `root` (see [`crate::walk`]): what every walk leaves
/// out ([`Policy::new`]: version control and `.rebrand` at the root), and, when `root` is the
/// root of a documentation site, the folders its generator makes that are not its source
/// (Docusaurus: [`docusaurus::GENERATED_FOLDERS`], when `root` holds one of
/// [`docusaurus::CONFIG_FILES`]). A tree that is no site (several sites side by side, a
/// folder of pages) is walked whole.
pub fn walk_policy(root: &Path) -> Policy {
    let policy = Policy::new();
    if docusaurus::is_site(root) {
        policy.skipping(&docusaurus::GENERATED_FOLDERS)
    } else {
        policy
    }
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
