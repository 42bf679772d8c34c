//! Helpers shared by the integration test modules.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The upstream Harvester docs (`$REBRAND_CORPUS`, else `../shared/corpus/harvester-docs`),
/// or `None` after telling the person running the tests that corpus tests are skipped.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("REBRAND_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/harvester-docs"));
    if dir.is_dir() {
        Some(dir)
    } else {
        // Straight to the stream, past the test harness's capture, so the skip is seen.
        let _ = writeln!(
            std::io::stderr(),
            "skipping corpus test: {} not found (set REBRAND_CORPUS to the Harvester docs)",
            dir.display()
        );
        None
    }
}

/// The shipped rule file.
pub fn shipped_rules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/nqrust-hypervisor.toml")
}

/// `source` (a rule file) without the tables whose headers are in `tables` (each with the
/// keys under it, up to the next table header).
pub fn without_tables(source: &str, tables: &[&str]) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            skipping = tables.contains(&trimmed);
        }
        if !skipping {
            out.push_str(line);
        }
    }
    out
}

/// The shipped brand rules (`rules/nqrust-hypervisor/brand.toml`, which the whole-site
/// file extends): the product's substitutions, exceptions and tests, with the default
/// anchors (`keep`), no renames, no overlay and no patches; they run on any tree, not only
/// the whole Docusaurus site.
pub fn shipped_brand_rules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/nqrust-hypervisor/brand.toml")
}

/// The shipped brand rules with the site configuration's rules of the whole-site file on
/// top (`tests/fixtures/brand-and-site-config.toml`), without the whole-site tables: for
/// miniatures of the site and single pages.
pub fn brand_and_site_config_rules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/brand-and-site-config.toml")
}

/// The binary, with the colour environment made neutral and the stat indexes of its outputs
/// (`rebrand::tree::index`) in a cache folder of the tests' own, not the user's.
pub fn rebrand() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("rebrand").expect("the rebrand binary is built");
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .env_remove("REBRAND_PROGRESS_DELAY_MS")
        .env(
            "REBRAND_CACHE_DIR",
            std::env::temp_dir().join("rebrand-tests-cache"),
        );
    cmd
}

/// [`rebrand`] `apply --rules RULES INPUT --out OUT`, ready for more arguments.
pub fn apply_command(rules: &Path, input: &Path, out: &Path) -> assert_cmd::Command {
    let mut cmd = rebrand();
    cmd.arg("apply")
        .arg("--rules")
        .arg(rules)
        .arg(input)
        .arg("--out")
        .arg(out);
    cmd
}

/// Copies `src` to `dst`: directories, files with their permissions, symbolic links as
/// links.
pub fn copy_tree(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in walkdir::WalkDir::new(src).min_depth(1).sort_by_file_name() {
        let entry = entry.unwrap();
        let to = dst.join(entry.path().strip_prefix(src).unwrap());
        let ft = entry.file_type();
        if ft.is_symlink() {
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &to).unwrap();
        } else if ft.is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// Names of the entries of `dir` that look like rebrand's staging folders
/// (`.<output>.rebrand-staging-…`), sorted.
pub fn staging_leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("rebrand-staging-"))
        .collect();
    names.sort();
    names
}

/// Replaces the run time in a summary (`in 0.02 s`) by `in [elapsed] s`, for snapshots.
pub fn no_elapsed(s: &str) -> String {
    let re = regex::Regex::new(r"in \d+\.\d+ s\n").unwrap();
    re.replace_all(s, "in [elapsed] s\n").into_owned()
}

/// Every entry under `root` with its `/`-separated relative path, sorted by name at each
/// level, links not followed.
pub fn entries(root: &Path) -> Vec<(String, walkdir::DirEntry)> {
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| {
            let entry = entry.unwrap();
            let rel = entry
                .path()
                .strip_prefix(root)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (rel, entry)
        })
        .collect()
}

/// One node of a tree, as [`snapshot`] sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Dir,
    File(Vec<u8>),
    Link(std::path::PathBuf),
}

/// Every node under `root` (`.rebrand/` included) by `/`-separated relative path, links
/// not followed; empty when `root` is missing.
pub fn snapshot(root: &Path) -> std::collections::BTreeMap<String, Node> {
    let mut nodes = std::collections::BTreeMap::new();
    if std::fs::symlink_metadata(root).is_err() {
        return nodes;
    }
    for (rel, entry) in entries(root) {
        let ft = entry.file_type();
        let node = if ft.is_symlink() {
            Node::Link(std::fs::read_link(entry.path()).unwrap())
        } else if ft.is_dir() {
            Node::Dir
        } else {
            Node::File(std::fs::read(entry.path()).unwrap())
        };
        nodes.insert(rel, node);
    }
    nodes
}

/// The defects [`hand_made_edition`] plants in `docs/install/iso-install.md`: (finding kind,
/// 1-based line, text found).
pub const PLANTED: [(&str, usize, &str); 3] = [
    ("front_matter", 5, ": the installer"),
    ("near_miss", 19, "Hyypervisor"),
    ("stutter", 21, "Hypervisor hypervisor"),
];

/// A vendor's hand-made edition of the example tree in `dst`, without rebrand's marker:
/// `docs/install/iso-install.md` branded by hand ("Harvester" → "Hypervisor") with the
/// [`PLANTED`] defects (a broken front matter value, a typo of the new brand, a stutter);
/// every other page left as upstream wrote it.
pub fn hand_made_edition(dst: &Path) {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/harvester-docs");
    copy_tree(&examples, dst);
    let page = dst.join("docs/install/iso-install.md");
    let text = std::fs::read_to_string(&page)
        .unwrap()
        .replace("Harvester", "Hypervisor");
    let text = text
        .replacen(
            "title: \"ISO Installation\"",
            "title: ISO Installation: the installer",
            1,
        )
        .replacen("Hypervisor ships as", "Hyypervisor ships as", 1)
        .replacen(
            "\n\nDuring the installation",
            "\n\nThe Hypervisor hypervisor boots from the ISO.\n\nDuring the installation",
            1,
        );
    std::fs::write(&page, text).unwrap();
}

/// The rule file at `path` as the command line reads it for a tree of the default generator
/// (Docusaurus: translations under `i18n/`, its config and sidebars read as JavaScript), as
/// every tree of these tests is.
pub fn load_rules(path: &Path) -> Result<rebrand::rules::RuleSet, rebrand::rules::RuleFileError> {
    rebrand::rules::RuleSet::load_for(path, default_conventions())
}

/// [`load_rules`] of a rule file's text, named `path` in its diagnostics.
pub fn parse_rules(
    path: &Path,
    text: &str,
) -> Result<rebrand::rules::RuleSet, rebrand::rules::RuleFileError> {
    rebrand::rules::RuleSet::parse_for(path, text, default_conventions())
}

/// The default generator's conventions (Docusaurus), as `test-rules` reads a rule file.
fn default_conventions() -> rebrand::rules::Conventions {
    rebrand::site::default_generator().conventions(Path::new(""))
}
