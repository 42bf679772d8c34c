//! End-to-end tests of the whole-site rules: `[overlay]`, `[[patch]]`, `[[rename]]`,
//! `[[asset]]`, `[locales] drop` and per-locale substitutions, on a cut-down Docusaurus tree
//! (`tests/fixtures/site/input`, real pages of the Harvester docs) with one rule file per
//! case in `tests/fixtures/site/rules`.
//!
//! Every refused run is checked three ways: `preview` and `apply` print the same error and
//! exit 2, a fresh `--out` is never created, and a previous output is left byte for byte as
//! it was. Every successful run is compared with `tests/fixtures/site/expected/base` (the
//! tree the brand substitution alone makes, reviewed by hand) and the case's own changes.
//! Commands run inside the fixture folder with relative paths, so messages are stable.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use tempfile::TempDir;

use crate::common::{copy_tree, no_elapsed, rebrand, snapshot, staging_leftovers, Node};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// `tests/fixtures/site`: the folder commands run in.
fn site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site")
}

/// The upstream tree.
fn input() -> PathBuf {
    site().join("input")
}

/// The hand-reviewed output of `rules/brand.toml`.
fn base() -> PathBuf {
    site().join("expected/base")
}

const CONFIG: &str = "docusaurus.config.js";
const CONFIGURATION_MD: &str = "versioned_docs/version-v1.5/install/harvester-configuration.md";
const RENAMED_MD: &str = "versioned_docs/version-v1.5/install/hypervisor-configuration.md";
const TROUBLESHOOTING_MD: &str = "versioned_docs/version-v1.5/troubleshooting/harvester.md";
const ZH_INDEX: &str = "i18n/zh/docusaurus-plugin-content-docs/current/index.md";
const LOGO: &str = "static/img/logo_horizontal.svg";
const MARK: &str = "static/img/brand/nqrust-mark.svg";

/// The files of `root` (no folders), without `.rebrand/`.
fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    snapshot(root)
        .into_iter()
        .filter(|(rel, _)| !rel.starts_with(".rebrand/"))
        .filter_map(|(rel, node)| match node {
            Node::File(bytes) => Some((rel, bytes)),
            _ => None,
        })
        .collect()
}

/// The files of the reviewed base output.
fn base_files() -> BTreeMap<String, Vec<u8>> {
    files(&base())
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn stdout_of(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Runs `preview --color never` in `cwd`; checks that nothing under `cwd` nor `input`
/// changed.
fn preview_in(cwd: &Path, rules: &str, input: &Path) -> Output {
    let input_abs = input_abs(cwd, input);
    let before = (snapshot(cwd), snapshot(&input_abs));
    let out = rebrand()
        .current_dir(cwd)
        .args(["preview", "--color", "never", "--rules", rules])
        .arg(input)
        .output()
        .unwrap();
    assert_eq!(
        (snapshot(cwd), snapshot(&input_abs)),
        before,
        "`preview --rules {rules}` wrote something"
    );
    out
}

/// Runs `apply --color never` in `cwd` into `out`; checks that the input did not change.
fn apply_in(cwd: &Path, rules: &str, input: &Path, out: &Path) -> Output {
    let input_abs = input_abs(cwd, input);
    let before = snapshot(&input_abs);
    let output = rebrand()
        .current_dir(cwd)
        .args(["apply", "--color", "never", "--rules", rules])
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert_eq!(
        snapshot(&input_abs),
        before,
        "`apply --rules {rules}` changed its input"
    );
    output
}

/// `preview` of the fixture input with `rules` (relative to `tests/fixtures/site`),
/// expected to succeed; (stdout, stderr).
fn preview_ok(rules: &str) -> (String, String) {
    let out = preview_in(&site(), rules, Path::new("input"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    (stdout_of(&out), stderr_of(&out))
}

/// `apply` of the fixture input with `rules` into `tmp/out`, expected to succeed; the
/// output path and the standard error.
fn apply_ok(tmp: &TempDir, rules: &str) -> (PathBuf, String) {
    let out = tmp.path().join("out");
    let run = apply_in(&site(), rules, Path::new("input"), &out);
    assert_eq!(run.status.code(), Some(0), "{}", stderr_of(&run));
    assert_eq!(stdout_of(&run), "");
    (out, stderr_of(&run))
}

/// Runs `rules` (as given, from `cwd`) over `input` and expects a refusal: exit 2, nothing on
/// standard output, the same message from `preview`, `apply` into a fresh folder and `apply`
/// over a previous output; the fresh folder is not created, the previous output is left
/// byte for byte, no staging folder is left behind, and neither `cwd` nor `input` changes.
/// Returns the message.
fn refused(cwd: &Path, rules: &str, input: &Path) -> String {
    let preview = preview_in(cwd, rules, input);
    assert_eq!(preview.status.code(), Some(2), "preview: {}", stderr_of(&preview));
    assert_eq!(stdout_of(&preview), "");
    let message = stderr_of(&preview);

    let tmp = TempDir::new().unwrap();
    let fresh = tmp.path().join("fresh");
    let run = apply_in(cwd, rules, input, &fresh);
    assert_eq!(run.status.code(), Some(2), "apply: {}", stderr_of(&run));
    assert_eq!(stdout_of(&run), "");
    assert_eq!(stderr_of(&run), message, "apply and preview report differently");
    assert!(
        fs::symlink_metadata(&fresh).is_err(),
        "a refused apply created its output"
    );

    let previous = tmp.path().join("previous");
    let first = apply_in(&site(), "rules/brand.toml", &input_abs(cwd, input), &previous);
    assert_eq!(first.status.code(), Some(0), "{}", stderr_of(&first));
    let before = snapshot(&previous);
    assert!(before.contains_key(".rebrand/output.toml"));
    let run = apply_in(cwd, rules, input, &previous);
    assert_eq!(run.status.code(), Some(2), "apply again: {}", stderr_of(&run));
    assert_eq!(stderr_of(&run), message);
    assert_eq!(
        snapshot(&previous),
        before,
        "a refused apply changed the previous output"
    );
    assert_eq!(staging_leftovers(tmp.path()), Vec::<String>::new());
    message
}

fn input_abs(cwd: &Path, input: &Path) -> PathBuf {
    if input.is_absolute() {
        input.to_path_buf()
    } else {
        cwd.join(input)
    }
}

/// The part of a review diff about one file: from its `diff --git` line to the next one.
fn file_diff<'a>(stdout: &'a str, header: &str) -> &'a str {
    let start = stdout
        .find(header)
        .unwrap_or_else(|| panic!("no `{header}` in:\n{stdout}"));
    let rest = &stdout[start..];
    let end = rest[1..].find("\ndiff --git ").map_or(rest.len(), |i| i + 2);
    &rest[..end]
}

/// Whether git can be run (for the `git apply` round trips).
fn has_git() -> bool {
    std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Applies the review diff `patch` with `git apply` inside a copy of the input and returns
/// the copy's files.
fn git_apply_to_copy(tmp: &TempDir, patch: &str) -> BTreeMap<String, Vec<u8>> {
    let copy = tmp.path().join("git-copy");
    copy_tree(&input(), &copy);
    let patch_file = tmp.path().join("review.patch");
    fs::write(&patch_file, patch).unwrap();
    let run = std::process::Command::new("git")
        .current_dir(&copy)
        .args(["apply", "--whitespace=nowarn"])
        .arg(&patch_file)
        .output()
        .unwrap();
    assert!(run.status.success(), "git apply: {}", stderr_of(&run));
    files(&copy)
}

// ---------------------------------------------------------------------------------------
// Refusals: exit 2, the rule or file named, nothing written
// ---------------------------------------------------------------------------------------

#[test]
fn missing_overlay_folder_names_the_rule_and_the_folder() {
    let message = refused(&site(), "rules/overlay-missing.toml", Path::new("input"));
    assert_eq!(
        message,
        "error: overlay `rules/brand/overlays` cannot be read: No such file or directory (os error 2)\n \
         --> rules/overlay-missing.toml:4:7\n  |\n4 | dir = \"brand/overlays\"\n  |       ^^^^^^^^^^^^^^^^\n"
    );
}

#[test]
fn stale_patch_names_the_patch_the_file_and_the_hunk() {
    let message = refused(&site(), "rules/patch-stale.toml", Path::new("input"));
    // Hunk #1 (the Algolia block) still applies; hunk #2 expects the upstream logo text,
    // which the rewrite changed.
    assert_eq!(
        message,
        "error: patch `rules/brand/patches/stale.diff`: `docusaurus.config.js` hunk #2 \
         (`@@ -31,17 +22,8 @@`, patch line 22) does not apply: the lines it removes or keeps are not \
         in the file: no line reads `        alt: \"Harvester Logo\",`\n \
         --> rules/patch-stale.toml:4:8\n  |\n4 | file = \"brand/patches/stale.diff\"\n  |        ^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    );
}

#[test]
fn patch_target_outside_the_tree_is_refused() {
    let message = refused(&site(), "rules/patch-escape.toml", Path::new("input"));
    assert_eq!(
        message,
        "error: patch `rules/brand/patches/escape.diff`, line 3: `../outside.js` escapes the output root\n"
    );
    assert!(!site().join("outside.js").exists());
    assert!(!site().parent().unwrap().join("outside.js").exists());
}

#[test]
fn rename_onto_an_existing_name_names_the_rule_and_both_paths() {
    // `troubleshooting/` gets a `faq.md` beside `harvester.md` (a copy of the tree: the
    // fixture has no such pair).
    let tmp = TempDir::new().unwrap();
    let tree = tmp.path().join("input");
    copy_tree(&input(), &tree);
    fs::write(
        tree.join("versioned_docs/version-v1.5/troubleshooting/faq.md"),
        "---\nsidebar_label: FAQ\ntitle: \"FAQ\"\n---\n\n\
         This FAQ is a work in progress designed to answer the questions our users most \
         frequently ask about Harvester.\n",
    )
    .unwrap();
    let message = refused(&site(), "rules/rename-collision.toml", &tree);
    assert_eq!(
        message,
        "error: rename `harvester.md` -> `faq.md` makes `versioned_docs/version-v1.5/troubleshooting/harvester.md` \
         and `versioned_docs/version-v1.5/troubleshooting/faq.md` both \
         `versioned_docs/version-v1.5/troubleshooting/faq.md`\n  \
         --> rules/rename-collision.toml:12:1\n   |\n12 | [[rename]]\n   | ^^^^^^^^^^\n   \
         = hint: give the two files different names, or drop one of the renames\n"
    );
    // Without the clash the same rules run.
    let tmp = TempDir::new().unwrap();
    let (out, _) = apply_ok(&tmp, "rules/rename-collision.toml");
    assert!(out
        .join("versioned_docs/version-v1.5/troubleshooting/faq.md")
        .is_file());
    assert!(!out.join(TROUBLESHOOTING_MD).exists());
}

#[test]
fn rename_that_leaves_its_folder_is_refused_when_the_rules_load() {
    let tmp = TempDir::new().unwrap();
    for (to, problem) in [
        ("../x.md", "has a `..` segment and would escape the output root"),
        ("/abs/x.md", "is absolute and would escape the output root"),
        ("a/b.md", "must be a single file or folder name"),
    ] {
        fs::write(
            tmp.path().join("rename.toml"),
            format!(
                "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n\
                 [[rename]]\nfrom = \"harvester.md\"\nto = \"{to}\"\n"
            ),
        )
        .unwrap();
        let message = refused(tmp.path(), "rename.toml", &input());
        let caret = "^".repeat(to.len() + 2);
        assert_eq!(
            message,
            format!(
                "error: rename `to` = `{to}` {problem}\n --> rename.toml:7:6\n  |\n7 | to = \"{to}\"\n  \
                 |      {caret}\n  = hint: a rename changes one file or folder name, in place\n"
            )
        );
        // Refused at load time: `test-rules` needs no tree and says the same.
        let run = rebrand()
            .current_dir(tmp.path())
            .args(["test-rules", "rename.toml"])
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(2));
        assert_eq!(stderr_of(&run), message);
    }
}

#[test]
fn overlay_holding_a_symlink_is_refused() {
    for (link, target) in [
        ("static/img/favicon.ico", "/etc/passwd"),
        ("static/css", "../../../.."),
    ] {
        let tmp = TempDir::new().unwrap();
        let rules = tmp.path().join("rules");
        fs::create_dir_all(&rules).unwrap();
        fs::copy(site().join("rules/overlay.toml"), rules.join("overlay.toml")).unwrap();
        copy_tree(&site().join("rules/brand/overlay"), &rules.join("brand/overlay"));
        std::os::unix::fs::symlink(target, rules.join("brand/overlay").join(link)).unwrap();
        let message = refused(tmp.path(), "rules/overlay.toml", &input());
        assert_eq!(
            message,
            format!(
                "error: overlay file `{link}` is not a regular file: links and special files could point \
                 outside the output\n --> rules/overlay.toml:4:7\n  |\n4 | dir = \"brand/overlay\"\n  \
                 |       ^^^^^^^^^^^^^^^\n"
            )
        );
    }
}

// The check that an asset remap's vendor file exists was being written in src/tree (its
// `check_assets`) while this test was written.
#[test]
fn asset_remap_to_a_file_that_exists_nowhere_names_the_rule() {
    let message = refused(&site(), "rules/asset-missing.toml", Path::new("input"));
    assert_eq!(
        message,
        "error: asset `iso-screenshot`: `/img/brand/install/iso-install.png` exists neither in the input \
         nor in the overlay\n  --> rules/asset-missing.toml:11:1\n   |\n11 | [[asset]]\n   | ^^^^^^^^^\n   \
         = hint: add the vendor file to the overlay as `static/img/brand/install/iso-install.png`\n"
    );
}

#[test]
fn asset_path_with_dot_dot_is_refused_when_the_rules_load() {
    let message = refused(&site(), "rules/asset-dotdot.toml", Path::new("input"));
    assert_eq!(
        message,
        "error: asset `to` = `/img/../../brand/iso-install.png` has a `..` segment and would escape the \
         output root\n  --> rules/asset-dotdot.toml:10:6\n   |\n10 | to = \"/img/../../brand/iso-install.png\"\n   \
         |      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    );
    let run = rebrand()
        .current_dir(site())
        .args(["test-rules", "rules/asset-dotdot.toml"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(stderr_of(&run), message);
}

// ---------------------------------------------------------------------------------------
// Successful runs: exact output
// ---------------------------------------------------------------------------------------

#[test]
fn overlay_replaces_files_byte_for_byte_and_warns_about_new_ones() {
    let tmp = TempDir::new().unwrap();
    let (out, stderr) = apply_ok(&tmp, "rules/overlay.toml");
    let overlay = site().join("rules/brand/overlay");
    let mut expected = base_files();
    expected.insert(LOGO.into(), fs::read(overlay.join(LOGO)).unwrap());
    expected.insert(MARK.into(), fs::read(overlay.join(MARK)).unwrap());
    assert_eq!(files(&out), expected);
    assert_ne!(
        fs::read(input().join(LOGO)).unwrap(),
        fs::read(out.join(LOGO)).unwrap()
    );
    assert_eq!(
        no_elapsed(&stderr),
        format!(
            "rebrand: 8 files, 6 scanned as text, 5 changed, 39 substitutions, 3 heading ids kept, in [elapsed] s\n  \
             2 overlay files\n  39  Harvester -> Hypervisor  [brand]\n\
             warning: 1 overlay file replaces no file of the tree (a typo in its path?):\n  {MARK}\nwrote {}\n",
            out.display()
        )
    );

    // The preview shows the replaced logo as a change and the mark as a new file.
    let (stdout, preview_stderr) = preview_ok("rules/overlay.toml");
    assert_eq!(
        file_diff(&stdout, &format!("diff --git a/{LOGO} ")),
        format!(
            "diff --git a/{LOGO} b/{LOGO}\n--- a/{LOGO}\n+++ b/{LOGO}\n@@ -1,2 +1,2 @@\n \
             <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             -<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 553.70801 111.362\"><title>Harvester</title>\
             <rect fill=\"#00a383\" width=\"135.97886\" height=\"111.362\" rx=\"14.39243\"/></svg>\n\
             +<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 480 96\"><title>NQRust Hypervisor</title>\
             <rect fill=\"#1b4f9c\" width=\"96\" height=\"96\" rx=\"12\"/><text x=\"110\" y=\"64\" \
             font-size=\"48\">NQRust</text></svg>\n"
        )
    );
    assert_eq!(
        file_diff(&stdout, &format!("diff --git a/{MARK} ")),
        format!(
            "diff --git a/{MARK} b/{MARK}\nnew file mode 100644\n--- /dev/null\n+++ b/{MARK}\n@@ -0,0 +1 @@\n+{}",
            text(&fs::read(overlay.join(MARK)).unwrap())
        )
    );
    assert!(preview_stderr.contains(&format!(
        "warning: 1 overlay file replaces no file of the tree (a typo in its path?):\n  {MARK}\n"
    )));
}

#[test]
fn patch_removes_the_algolia_block_and_preview_shows_it() {
    let tmp = TempDir::new().unwrap();
    let (out, stderr) = apply_ok(&tmp, "rules/patch.toml");
    let config = fs::read(site().join("expected/patch").join(CONFIG)).unwrap();
    assert!(!text(&config).contains("algolia"));
    let mut expected = base_files();
    expected.insert(CONFIG.into(), config);
    assert_eq!(files(&out), expected);
    assert!(stderr.contains("\n  1 file patched\n"), "{stderr}");

    let (stdout, _) = preview_ok("rules/patch.toml");
    let diff = file_diff(&stdout, "diff --git a/docusaurus.config.js ");
    assert_eq!(
        diff,
        r#"diff --git a/docusaurus.config.js b/docusaurus.config.js
--- a/docusaurus.config.js
+++ b/docusaurus.config.js
@@ -3,7 +3,7 @@
 
 /** @type {import('@docusaurus/types').DocusaurusConfig} */
 const config = {
-  title: "Harvester",
+  title: "Hypervisor",
   tagline: "The open-source hyperconverged infrastructure solution for a cloud-native world",
   url: "https://docs.harvesterhci.io",
   baseUrl: "/",
@@ -12,15 +12,6 @@
   projectName: "docs",
   themeConfig: {
     zoom: {},
-    algolia: {
-      appId: 'U7QCSJFCWR',
-      apiKey: '954c1b1327687e818ef6930a5e8f8770',
-      indexName: 'harvester',
-      contextualSearch: true,
-      searchParameters: {},
-      // Optional: path for search page that enabled by default (`false` to disable it)
-      searchPagePath: 'search',
-    },
     docs: {
       sidebar: {
         hideable: true,
@@ -28,27 +19,18 @@
     },
     navbar: {
       logo: {
-        alt: "Harvester Logo",
+        alt: "Hypervisor Logo",
         src: "img/logo_horizontal.svg",
       },
       items: [
-        {
-          type: 'docsVersionDropdown',
-          position: 'left',
-          dropdownActiveClassDisabled: true,
-        },
         {
-          type: "localeDropdown",
-          position: "left",
-        },
-        {
           type: 'dropdown',
           label: 'Quick Links',
           position: 'right',
           items: [
             {
               href: "https://harvesterhci.io/",
-              label: "Harvester Home",
+              label: "Hypervisor Home",
             },
             {
               href: 'https://github.com/harvester/docs',
"#
    );
    if has_git() {
        assert_eq!(git_apply_to_copy(&tmp, &stdout), files(&out));
    }
}

#[test]
fn dropped_locale_is_left_out_and_counted() {
    let tmp = TempDir::new().unwrap();
    let (out, stderr) = apply_ok(&tmp, "rules/locales-drop.toml");
    let mut expected = base_files();
    assert!(expected.remove(ZH_INDEX).is_some());
    assert_eq!(files(&out), expected);
    assert!(!out.join("i18n/zh").exists());
    assert_eq!(
        no_elapsed(&stderr),
        format!(
            "rebrand: 6 files, 5 scanned as text, 4 changed, 30 substitutions, 2 heading ids kept, in [elapsed] s\n  \
             1 file left out (`[files] omit`, dropped locales)\n  30  Harvester -> Hypervisor  [brand]\nwrote {}\n",
            out.display()
        )
    );
    let (stdout, preview_stderr) = preview_ok("rules/locales-drop.toml");
    assert!(!stdout.contains("i18n/"), "{stdout}");
    assert_eq!(
        no_elapsed(&preview_stderr),
        no_elapsed(&stderr).replace(&format!("wrote {}\n", out.display()), "")
    );
}

#[test]
fn locale_substitution_acts_in_its_locale_and_the_general_rule_elsewhere() {
    let tmp = TempDir::new().unwrap();
    let (out, stderr) = apply_ok(&tmp, "rules/locale-zh.toml");
    let mut expected = base_files();
    // The zh page: the zh name wherever the base output has the general one; identifiers,
    // URLs, the anchor kept for the old heading and the `Description` key (not prose) stay.
    let zh = text(&expected[ZH_INDEX]).replace("Hypervisor", "NQRust 超融合");
    assert!(zh.contains("## NQRust 超融合 架构 {#harvester-架构}\n"), "{zh}");
    assert!(zh.contains("\nDescription: Harvester 是基于 Kubernetes"), "{zh}");
    expected.insert(ZH_INDEX.into(), zh.into_bytes());
    assert_eq!(files(&out), expected);
    assert!(!text(&files(&out)[CONFIGURATION_MD]).contains("NQRust"));
    assert_eq!(
        no_elapsed(&stderr),
        format!(
            "rebrand: 7 files, 6 scanned as text, 5 changed, 39 substitutions, 3 heading ids kept, in [elapsed] s\n  \
             30  Harvester -> Hypervisor  [brand]\n   9  Harvester -> NQRust 超融合  [brand-zh]\nwrote {}\n",
            out.display()
        )
    );
}

#[test]
fn rename_moves_the_file_and_preview_shows_git_rename_headers() {
    let tmp = TempDir::new().unwrap();
    let (out, stderr) = apply_ok(&tmp, "rules/rename.toml");
    let mut expected = base_files();
    let page = expected.remove(CONFIGURATION_MD).unwrap();
    let got = files(&out);
    assert_eq!(got.get(RENAMED_MD), Some(&page));
    assert_eq!(got.len(), expected.len() + 1);
    // Pages that link to it follow the rename (links_to_a_renamed_page_follow_it); every
    // other file is as without the rename.
    for (path, bytes) in &expected {
        if !text(bytes).contains("harvester-configuration") {
            assert_eq!(got.get(path), Some(bytes), "{path}");
        }
    }
    assert!(!out.join(CONFIGURATION_MD).exists());
    assert!(
        stderr.contains("\n  4 references rewritten, 1 file renamed\n"),
        "{stderr}"
    );

    let (stdout, _) = preview_ok("rules/rename.toml");
    let diff = file_diff(&stdout, &format!("diff --git a/{CONFIGURATION_MD} "));
    // The hunks are those of the page without the rename; only the headers differ.
    let (unrenamed, _) = preview_ok("rules/brand.toml");
    let unrenamed = file_diff(&unrenamed, &format!("diff --git a/{CONFIGURATION_MD} "));
    let hunks = &unrenamed[unrenamed.find("\n@@ ").unwrap() + 1..];
    assert!(hunks.contains("-title: \"Harvester Configuration\"\n"), "{hunks}");
    assert_eq!(
        diff,
        format!(
            "diff --git a/{CONFIGURATION_MD} b/{RENAMED_MD}\nrename from {CONFIGURATION_MD}\n\
             rename to {RENAMED_MD}\n--- a/{CONFIGURATION_MD}\n+++ b/{RENAMED_MD}\n{hunks}"
        )
    );
    if has_git() {
        assert_eq!(git_apply_to_copy(&tmp, &stdout), files(&out));
    }
}

/// A rename that only moves a file (no text change) still shows in the preview.
#[test]
fn rename_without_text_changes_shows_in_the_preview() {
    let tmp = TempDir::new().unwrap();
    fs::write(
        tmp.path().join("rename.toml"),
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n\
         [[rename]]\nfrom = \"_category_.json\"\nto = \"_category_.yml\"\n",
    )
    .unwrap();
    let out = preview_in(tmp.path(), "rename.toml", &input());
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let stdout = stdout_of(&out);
    let from = "versioned_docs/version-v1.5/install/_category_.json";
    let to = "versioned_docs/version-v1.5/install/_category_.yml";
    assert_eq!(
        file_diff(&stdout, &format!("diff --git a/{from} ")),
        format!("diff --git a/{from} b/{to}\nrename from {from}\nrename to {to}\n")
    );
}

// Links to a renamed page should follow it ("renames with working links", src/site); the
// link rewriting (`retarget` in src/tree) was still a stub when this was written.
#[test]
fn links_to_a_renamed_page_follow_it() {
    let tmp = TempDir::new().unwrap();
    let (out, _) = apply_ok(&tmp, "rules/rename.toml");
    let iso = text(&fs::read(out.join("versioned_docs/version-v1.5/install/iso-install.md")).unwrap());
    assert!(
        iso.contains("[os.labels](./hypervisor-configuration.md#oslabels)"),
        "{iso}"
    );
    let trouble = text(&fs::read(out.join(TROUBLESHOOTING_MD)).unwrap());
    assert!(
        trouble.contains("[OS Environment](../install/hypervisor-configuration.md#osenvironment)"),
        "{trouble}"
    );
}

#[test]
fn preview_writes_nothing_for_any_rule_file() {
    // `preview_in` compares the whole fixture folder (input, rules, overlay, patches,
    // expected trees) before and after each run.
    let before = snapshot(&site());
    for rules in [
        "rules/brand.toml",
        "rules/overlay.toml",
        "rules/overlay-patch.toml",
        "rules/patch.toml",
        "rules/rename.toml",
        "rules/rename-collision.toml",
        "rules/locales-drop.toml",
        "rules/locale-zh.toml",
        "rules/overlay-missing.toml",
        "rules/patch-stale.toml",
        "rules/patch-escape.toml",
        "rules/asset-missing.toml",
        "rules/asset-dotdot.toml",
    ] {
        let out = preview_in(&site(), rules, Path::new("input"));
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "{rules}: {}",
            stderr_of(&out)
        );
        assert!(!site().join(".rebrand").exists());
        assert!(!input().join(".rebrand").exists());
    }
    assert_eq!(snapshot(&site()), before);
    assert_eq!(staging_leftovers(&site()), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------
// Bugs found
// ---------------------------------------------------------------------------------------

/// An overlay file that a patch then changes: the output is the patched vendor file, and
/// the review diff must still go from the upstream file to it (so that it applies with
/// `git apply` to the input, as every other review diff does).
#[test]
fn patched_overlay_file_is_diffed_against_the_upstream_file() {
    let tmp = TempDir::new().unwrap();
    let (out, stderr) = apply_ok(&tmp, "rules/overlay-patch.toml");
    let vendor = text(&fs::read(site().join("rules/brand/overlay").join(LOGO)).unwrap());
    let dark = vendor
        .replace(
            "<title>NQRust Hypervisor</title>",
            "<title>NQRust Hypervisor, dark</title>",
        )
        .replace("#1b4f9c", "#0b2545");
    assert_eq!(text(&fs::read(out.join(LOGO)).unwrap()), dark);
    assert!(
        stderr.contains("\n  2 overlay files, 1 file patched\n"),
        "{stderr}"
    );

    let (stdout, _) = preview_ok("rules/overlay-patch.toml");
    let upstream = text(&fs::read(input().join(LOGO)).unwrap());
    assert_eq!(
        file_diff(&stdout, &format!("diff --git a/{LOGO} ")),
        format!(
            "diff --git a/{LOGO} b/{LOGO}\n--- a/{LOGO}\n+++ b/{LOGO}\n@@ -1,2 +1,2 @@\n {}\n-{}\n+{}\n",
            upstream.lines().next().unwrap(),
            upstream.lines().nth(1).unwrap(),
            dark.lines().nth(1).unwrap()
        )
    );
    if has_git() {
        assert_eq!(git_apply_to_copy(&tmp, &stdout), files(&out));
    }
}

/// An overlay file that an `[[asset]]` remap sends references to (a literal remap's `to`, or
/// a pattern's image of an upstream file) replaces no file on purpose: only the overlay file
/// nothing targets gets the typo warning, in the summary and in the JSON report's count.
#[test]
fn overlay_files_an_asset_remap_targets_are_not_taken_for_typos() {
    let tmp = TempDir::new().unwrap();
    let tree = tmp.path().join("input");
    copy_tree(&input(), &tree);
    let png = b"\x89PNG\r\n\x1a\n\x00\x00";
    let put = |path: PathBuf| {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, png).unwrap();
    };
    put(tree.join("static/img/v1.2/install/iso-install.png"));
    put(tree.join("static/img/shots/a.png"));
    let overlay = tmp.path().join("overlay/static/img/brand");
    put(overlay.join("iso.png"));
    put(overlay.join("shots/a.png"));
    put(overlay.join("typo.png"));
    fs::write(
        tmp.path().join("assets.toml"),
        "[overlay]\ndir = \"overlay\"\n\n\
         [[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n\
         [[asset]]\nfrom = \"/img/v1.2/install/iso-install.png\"\nto = \"/img/brand/iso.png\"\n\n\
         [[asset]]\nfrom = \"/img/shots/*\"\nto = \"/img/brand/shots/*\"\n",
    )
    .unwrap();
    let out = preview_in(tmp.path(), "assets.toml", &tree);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let stderr = stderr_of(&out);
    assert!(stderr.contains(" 3 overlay files\n"), "{stderr}");
    assert!(
        stderr.ends_with(
            "warning: 1 overlay file replaces no file of the tree (a typo in its path?):\n  static/img/brand/typo.png\n"
        ),
        "{stderr}"
    );

    let json = rebrand()
        .current_dir(tmp.path())
        .args(["preview", "--rules", "assets.toml", "--format", "json"])
        .arg(&tree)
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(0), "{}", stderr_of(&json));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["summary"]["overlay"], 3);
    assert_eq!(report["summary"]["overlay_new"], 1);
}

/// A pattern `[[asset]]` whose vendor files are missing for several upstream images: the
/// run is refused with the same message every time (results are sorted before printing).
#[test]
fn asset_pattern_with_several_missing_files_reports_the_same_every_run() {
    let tmp = TempDir::new().unwrap();
    let tree = tmp.path().join("input");
    copy_tree(&input(), &tree);
    let images = tree.join("static/img/v1.2/install");
    fs::create_dir_all(&images).unwrap();
    for name in [
        "choose-installation-mode.png",
        "config-hostname.png",
        "config-network.png",
        "iso-install.png",
    ] {
        fs::write(images.join(name), b"\x89PNG\r\n\x1a\n\x00\x00").unwrap();
    }
    fs::write(
        tmp.path().join("assets.toml"),
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n\
         [[asset]]\nid = \"screenshots\"\nfrom = \"/img/v1.2/**\"\nto = \"/img/brand/**\"\n",
    )
    .unwrap();
    let messages: Vec<String> = (0..6)
        .map(|_| {
            let out = preview_in(tmp.path(), "assets.toml", &tree);
            assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
            stderr_of(&out)
        })
        .collect();
    assert!(
        messages[0].starts_with("error: asset `screenshots`: `/img/brand/install/"),
        "{}",
        messages[0]
    );
    assert!(
        messages.iter().all(|m| *m == messages[0]),
        "the message changes from run to run:\n{}",
        messages.join("\n")
    );
}

/// `apply` prints the page URLs a rename moved and `--redirects` writes them as JSON; the
/// branded tree's links check as clean as the upstream one.
#[test]
fn renamed_pages_are_listed_as_redirects_and_links_stay_unbroken() {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let redirects = tmp.path().join("redirects.json");
    let run = rebrand()
        .current_dir(site())
        .args([
            "apply",
            "--color",
            "never",
            "--rules",
            "rules/rename.toml",
            "input",
            "--out",
        ])
        .arg(&out)
        .arg("--redirects")
        .arg(&redirects)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", stderr_of(&run));
    let stderr = stderr_of(&run);
    assert!(
        stderr.contains(
            // The fixture's config sets no routeBasePath and has one version, the last:
            // Docusaurus serves it under `/docs/` with no version segment.
            "1 page URL moved:\n  /docs/install/harvester-configuration -> /docs/install/hypervisor-configuration\n"
        ),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&fs::read(&redirects).unwrap()).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{
            "from": "/docs/install/harvester-configuration",
            "to": "/docs/install/hypervisor-configuration"
        }])
    );
    let links = |dir: &Path| {
        let out = rebrand().arg("links").arg(dir).output().unwrap();
        (out.status.code(), stdout_of(&out))
    };
    let (upstream_status, upstream) = links(&input());
    let (branded_status, branded) = links(&out);
    assert_eq!(branded_status, upstream_status);
    assert_eq!(
        branded.lines().count(),
        upstream.lines().count(),
        "{upstream}\n---\n{branded}"
    );
}

/// `links` lists each broken reference with its file and line and exits 1; a tree with
/// none exits 0; a tree no generator builds is refused (exit 2): it would be checked by
/// rules it is not built with.
#[test]
fn links_lists_broken_references_and_exits_1() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links");
    let out = rebrand().arg("links").arg(&fixture).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr_of(&out));
    let stdout = stdout_of(&out);
    assert!(
        stdout.contains("docs/install/iso-install.md:") && stdout.contains("rotate-expiring-certificates"),
        "{stdout}"
    );
    assert!(
        stderr_of(&out).starts_with("rebrand links: "),
        "{}",
        stderr_of(&out)
    );

    let tmp = TempDir::new().unwrap();
    fs::create_dir_all(tmp.path().join("docs")).unwrap();
    fs::write(
        tmp.path().join("docs/a.md"),
        "# A\n\nSee [B](./b.md#b-heading).\n",
    )
    .unwrap();
    fs::write(tmp.path().join("docs/b.md"), "## B heading\n").unwrap();
    let refused = rebrand().arg("links").arg(tmp.path()).output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr_of(&refused).contains(
            "is no site rebrand can model: no Docusaurus, MkDocs, Hugo, Nextra, Fumadocs or Asciidoctor configuration at its root"
        ),
        "{}",
        stderr_of(&refused)
    );
    assert_eq!(stdout_of(&refused), "");
    fs::write(tmp.path().join("docusaurus.config.js"), "module.exports = {};\n").unwrap();
    let clean = rebrand().arg("links").arg(tmp.path()).output().unwrap();
    assert_eq!(clean.status.code(), Some(0), "{}", stdout_of(&clean));
    assert_eq!(stdout_of(&clean), "");
}

/// Without renames, asset remaps or moved anchors, `apply` writes each file into its staging
/// folder as soon as it is rewritten; an overlay or a patch acting on such a file afterwards
/// must leave no trace of it: no base text of a text file a binary overlay file replaced,
/// and neither the file nor its base text nor its lock entry when a patch deletes it.
#[test]
fn overlay_and_patch_over_files_already_written_leave_no_stale_state() {
    const CATEGORY: &str = "versioned_docs/version-v1.5/install/_category_.json";
    let tmp = TempDir::new().unwrap();
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let overlay = tmp.path().join("overlay");
    fs::create_dir_all(overlay.join(TROUBLESHOOTING_MD).parent().unwrap()).unwrap();
    fs::write(overlay.join(TROUBLESHOOTING_MD), png).unwrap();
    let category = fs::read_to_string(base().join(CATEGORY)).unwrap();
    let removed: String = category.lines().map(|l| format!("-{l}\n")).collect();
    fs::write(
        tmp.path().join("drop-category.diff"),
        format!(
            "--- a/{CATEGORY}\n+++ /dev/null\n@@ -1,{} +0,0 @@\n{removed}\\ No newline at end of file\n",
            category.lines().count()
        ),
    )
    .unwrap();
    let rules = tmp.path().join("rules.toml");
    fs::write(
        &rules,
        "[overlay]\ndir = \"overlay\"\n\n[[patch]]\nfile = \"drop-category.diff\"\n\n\
         [[substitution]]\nid = \"brand\"\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let run = apply_in(&site(), rules.to_str().unwrap(), Path::new("input"), &out);
    assert_eq!(run.status.code(), Some(0), "{}", stderr_of(&run));

    let mut expected = base_files();
    expected.insert(TROUBLESHOOTING_MD.into(), png.to_vec());
    expected.remove(CATEGORY);
    assert_eq!(files(&out), expected);
    // One base text per distinct text file, named by its hash; none of the files gone.
    let base_texts: BTreeMap<String, Vec<u8>> = files(&out.join(".rebrand/objects"))
        .into_values()
        .map(|bytes| (rebrand::tree::state::hash(&bytes), bytes))
        .collect();
    let texts: BTreeMap<String, Vec<u8>> = expected
        .values()
        .filter(|bytes| std::str::from_utf8(bytes).is_ok_and(|t| !t.contains('\0')))
        .map(|bytes| (rebrand::tree::state::hash(bytes), bytes.clone()))
        .collect();
    assert_eq!(
        base_texts.keys().collect::<Vec<_>>(),
        texts.keys().collect::<Vec<_>>()
    );
    for hash in texts.keys() {
        let object = out.join(rebrand::tree::state::object_rel(hash));
        assert!(object.is_file(), "{}", object.display());
    }
    let lock = fs::read_to_string(out.join(".rebrand/lock.toml")).unwrap();
    assert!(!lock.contains(CATEGORY), "{lock}");
    assert!(lock.contains(TROUBLESHOOTING_MD), "{lock}");
    // And the output is what a later run finds up to date.
    let again = apply_in(&site(), rules.to_str().unwrap(), Path::new("input"), &out);
    assert!(
        stderr_of(&again).contains("is up to date"),
        "{}",
        stderr_of(&again)
    );
}
