//! Where a symbolic link of a tree leads, found without following it out of the tree.
//!
//! rebrand never reads through a link. To decide what to do with one, its target is resolved
//! one name at a time inside the tree, as the system would resolve the same link in the
//! output (which holds the same files, folders and links): a name that is a link inside the
//! tree is replaced by that link's target, `..` climbs one folder, and the walk stops as soon
//! as it would leave the tree, finds nothing, or meets more links than the system allows.

use std::collections::VecDeque;
use std::ffi::OsString;
use std::fs;
use std::path::{Component, Path};

/// Links the system follows while resolving one path before it gives up (Linux: `ELOOP`
/// after 40).
const MAX_HOPS: usize = 40;

/// Where a symbolic link leads, seen from inside its tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    /// To a file or folder of the tree: recreated as the same link.
    Inside,
    /// To a folder that holds the link (`docs/up -> ..`): a cycle for any tool that follows
    /// links; recreated as the same link, and reported.
    Ancestor,
    /// To nothing in the tree: recreated as the same link (it dangles the same way in the
    /// output), and reported.
    Dangling,
    /// Around a loop of links (or through more than the system follows): recreated as the
    /// same link, and reported.
    Loop,
    /// Out of the tree: an absolute target, or one that climbs past the root with `..`
    /// (itself or through another link). Not written, so the output holds nothing from
    /// outside the input; reported.
    Outside,
}

impl LinkTarget {
    /// The name reports use (`"inside"`, `"ancestor"`, `"dangling"`, `"loop"`, `"outside"`).
    pub fn name(self) -> &'static str {
        match self {
            LinkTarget::Inside => "inside",
            LinkTarget::Ancestor => "ancestor",
            LinkTarget::Dangling => "dangling",
            LinkTarget::Loop => "loop",
            LinkTarget::Outside => "outside",
        }
    }
}

/// Where the link at `root/rel` (`rel`: its path in the tree) with `target` leads. Reads
/// only the tree's own folders and links (`lstat`, `readlink`), never a file's content and
/// never anything outside `root`.
pub(super) fn leads(root: &Path, rel: &Path, target: &Path) -> LinkTarget {
    // The folder that holds the link, and the real folders (no link among them) from the
    // root to where resolution stands.
    let home: Vec<OsString> = rel
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .map(|c| c.as_os_str().to_os_string())
        .collect();
    let mut at = home.clone();
    let mut queue: VecDeque<OsString> = names(target).collect();
    let mut hops = 0;
    while let Some(name) = queue.pop_front() {
        if name == "/" {
            return LinkTarget::Outside;
        } else if name == "." {
            continue;
        } else if name == ".." {
            if at.pop().is_none() {
                return LinkTarget::Outside;
            }
            continue;
        }
        let mut path = root.to_path_buf();
        path.extend(&at);
        path.push(&name);
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                hops += 1;
                if hops > MAX_HOPS {
                    return LinkTarget::Loop;
                }
                let Ok(next) = fs::read_link(&path) else {
                    return climbs_out(at.len() + 1, queue);
                };
                for n in names(&next).rev() {
                    queue.push_front(n);
                }
            }
            Ok(m) if m.is_dir() => at.push(name),
            Ok(_) if queue.is_empty() => at.push(name),
            // A file with more path after it, or a name that is not there: the system
            // finds nothing either.
            Ok(_) | Err(_) => return climbs_out(at.len() + 1, queue),
        }
    }
    let mut path = root.to_path_buf();
    path.extend(&at);
    if home.starts_with(&at) && fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
        LinkTarget::Ancestor
    } else {
        LinkTarget::Inside
    }
}

/// The components of `path` as names: `/` for the root, `.`, `..`, or a plain name.
fn names(path: &Path) -> impl DoubleEndedIterator<Item = OsString> + '_ {
    path.components().map(|c| match c {
        Component::RootDir | Component::Prefix(_) => OsString::from("/"),
        Component::CurDir => OsString::from("."),
        Component::ParentDir => OsString::from(".."),
        Component::Normal(n) => n.to_os_string(),
    })
}

/// A target that finds nothing at depth `depth` with `rest` still to go: dangling, unless
/// the rest would climb out of the tree (should the missing part appear, the link would
/// lead outside).
fn climbs_out(mut depth: usize, rest: VecDeque<OsString>) -> LinkTarget {
    for name in rest {
        if name == "/" {
            return LinkTarget::Outside;
        } else if name == ".." {
            if depth == 0 {
                return LinkTarget::Outside;
            }
            depth -= 1;
        } else if name != "." {
            depth += 1;
        }
    }
    LinkTarget::Dangling
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A tree `docs/page.md`, `docs/sub/`, and the link `docs/sub/link` to `target`, with
    /// `more` links beside it; where the link leads.
    fn leads_to(target: &str, more: &[(&str, &str)]) -> LinkTarget {
        let tmp = tempfile::TempDir::new().unwrap();
        let root = tmp.path().join("tree");
        fs::create_dir_all(root.join("docs/sub")).unwrap();
        fs::write(root.join("docs/page.md"), "# Harvester\n").unwrap();
        for (rel, to) in more {
            symlink(to, root.join(rel)).unwrap();
        }
        symlink(target, root.join("docs/sub/link")).unwrap();
        leads(&root, Path::new("docs/sub/link"), Path::new(target))
    }

    #[test]
    fn resolves_name_by_name_inside_the_tree() {
        assert_eq!(leads_to("../page.md", &[]), LinkTarget::Inside);
        assert_eq!(leads_to("./../../docs/./page.md", &[]), LinkTarget::Inside);
        assert_eq!(leads_to("../sub", &[]), LinkTarget::Ancestor);
        assert_eq!(leads_to("../..", &[]), LinkTarget::Ancestor);
        assert_eq!(leads_to("..", &[]), LinkTarget::Ancestor);
        // Through another link of the tree.
        assert_eq!(
            leads_to("../up/docs/page.md", &[("docs/up", "..")]),
            LinkTarget::Inside
        );
    }

    #[test]
    fn anything_that_leaves_the_root_is_outside() {
        assert_eq!(leads_to("/etc/hostname", &[]), LinkTarget::Outside);
        assert_eq!(leads_to("../../../tree/docs/page.md", &[]), LinkTarget::Outside);
        // `up` is a real folder's parent only through the link `docs/up -> ../..`.
        assert_eq!(
            leads_to("../up/tree/docs/page.md", &[("docs/up", "../..")]),
            LinkTarget::Outside
        );
        // `..` after a link climbs from where the link leads, as the system does.
        assert_eq!(
            leads_to("../here/../../x", &[("docs/here", ".")]),
            LinkTarget::Outside
        );
        // A missing name followed by enough `..` would leave the tree if it appeared.
        assert_eq!(leads_to("missing/../../../../x", &[]), LinkTarget::Outside);
    }

    #[test]
    fn nothing_there_is_dangling_and_endless_is_a_loop() {
        assert_eq!(leads_to("gone.md", &[]), LinkTarget::Dangling);
        assert_eq!(leads_to("missing/../x", &[]), LinkTarget::Dangling);
        assert_eq!(leads_to("../page.md/x", &[]), LinkTarget::Dangling);
        assert_eq!(leads_to("link", &[]), LinkTarget::Loop);
        assert_eq!(
            leads_to("../a", &[("docs/a", "b"), ("docs/b", "a")]),
            LinkTarget::Loop
        );
        // A chain longer than the system follows, without a loop.
        let chain: Vec<(String, String)> = (0..45)
            .map(|i| {
                (
                    format!("docs/c{i}"),
                    if i == 44 {
                        "page.md".into()
                    } else {
                        format!("c{}", i + 1)
                    },
                )
            })
            .collect();
        let chain: Vec<(&str, &str)> = chain.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(leads_to("../c0", &chain), LinkTarget::Loop);
        assert_eq!(leads_to("../c10", &chain), LinkTarget::Inside);
    }
}
