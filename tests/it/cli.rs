//! End-to-end tests of the `rebrand` binary: `preview`, `apply` and `test-rules` on a small
//! Docusaurus-shaped tree (`tests/fixtures/cli/site`) plus files made at run time that git
//! would not keep faithfully (binary, non-UTF-8, CRLF with a BOM, executable, symlink); and
//! the data-driven cases of `tests/cmd/` (error messages, refusals, help).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

use crate::common;

use crate::common::{apply_command, copy_tree, entries, no_elapsed, rebrand, staging_leftovers};

/// The shipped brand rules with the site configuration's rules on top, without the
/// whole-site tables (tests/it/corpus_site.rs covers those): this fixture is not a whole
/// Docusaurus site.
fn shipped_rules() -> PathBuf {
    common::brand_and_site_config_rules()
}

/// The text part of the upstream fixture tree.
fn fixture_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli/site")
}

/// A binary file: a PNG header with NUL bytes, and the brand in it.
const LOGO_PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10Harvester\x00\xff\xfe";
/// A Markdown page in Latin-1, so not UTF-8: copied as it is.
const LEGACY_MD: &[u8] = b"# Harvester\n\nCaf\xe9 and Harvester \xb7 legacy page.\n";
/// A Windows-edited page: BOM, CRLF line endings, no final newline.
const FAQ_MD: &[u8] = b"\xef\xbb\xbf---\r\ntitle: Harvester FAQ\r\n---\r\n\r\n## Harvester FAQ\r\n\r\nHarvester runs in `harvester-system`.\r\nLast line about Harvester";
/// What FAQ_MD must become: the same bytes around the substitutions.
const FAQ_MD_BRANDED: &[u8] = b"\xef\xbb\xbf---\r\ntitle: Hypervisor FAQ\r\n---\r\n\r\n## Hypervisor FAQ {#harvester-faq}\r\n\r\nHypervisor runs in `harvester-system`.\r\nLast line about Hypervisor";
/// An executable helper script (not a docs file: copied, mode kept).
const BUILD_SH: &[u8] = b"#!/bin/sh\n# Build the Harvester docs\nyarn build\n";

/// Builds the upstream tree in `tmp/upstream`: the fixture plus the special files.
fn upstream(tmp: &TempDir) -> PathBuf {
    let root = tmp.path().join("upstream");
    copy_tree(&fixture_site(), &root);
    fs::write(root.join("static/img/logo.png"), LOGO_PNG).unwrap();
    fs::write(root.join("docs/legacy.md"), LEGACY_MD).unwrap();
    fs::write(root.join("docs/faq.md"), FAQ_MD).unwrap();
    fs::write(root.join("build.sh"), BUILD_SH).unwrap();
    fs::create_dir_all(root.join("static/files")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root.join("build.sh"), fs::Permissions::from_mode(0o755)).unwrap();
        std::os::unix::fs::symlink("../docs/index.md", root.join("static/overview.md")).unwrap();
    }
    root
}

/// One node of a tree, as compared between trees.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Dir,
    File { bytes: Vec<u8>, mode: u32 },
    Link(PathBuf),
}

#[cfg(unix)]
fn mode_of(m: &fs::Metadata) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o7777
}

#[cfg(not(unix))]
fn mode_of(_: &fs::Metadata) -> u32 {
    0
}

/// Every node under `root` by `/`-separated relative path, without `.rebrand/`.
fn tree(root: &Path) -> BTreeMap<String, Node> {
    let mut nodes = BTreeMap::new();
    let in_state = |rel: &str| rel == ".rebrand" || rel.starts_with(".rebrand/");
    for (rel, entry) in entries(root).into_iter().filter(|(rel, _)| !in_state(rel)) {
        let ft = entry.file_type();
        let node = if ft.is_symlink() {
            Node::Link(fs::read_link(entry.path()).unwrap())
        } else if ft.is_dir() {
            Node::Dir
        } else {
            Node::File {
                bytes: fs::read(entry.path()).unwrap(),
                mode: mode_of(&entry.metadata().unwrap()),
            }
        };
        nodes.insert(rel, node);
    }
    nodes
}

/// `tree` with file modes dropped (for trees written by other tools under another umask).
fn tree_contents(root: &Path) -> BTreeMap<String, Node> {
    tree(root)
        .into_iter()
        .map(|(k, n)| match n {
            Node::File { bytes, .. } => (k, Node::File { bytes, mode: 0 }),
            n => (k, n),
        })
        .collect()
}

fn file(root: &Path, rel: &str) -> Vec<u8> {
    fs::read(root.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

fn text(root: &Path, rel: &str) -> String {
    String::from_utf8(file(root, rel)).unwrap()
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Runs `preview --color never` of `input` with the shipped rules; (stdout, stderr).
fn preview(input: &Path, extra: &[&str]) -> (String, String) {
    let out = rebrand()
        .arg("preview")
        .arg("--rules")
        .arg(shipped_rules())
        .arg(input)
        .args(["--color", "never"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "preview failed: {}", stderr_of(&out));
    (stdout_of(&out), stderr_of(&out))
}

/// Runs `apply` of `input` into `out` with the shipped rules and expects success.
fn apply_ok(input: &Path, out: &Path) -> std::process::Output {
    let output = rebrand()
        .arg("apply")
        .arg("--rules")
        .arg(shipped_rules())
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "apply failed: {}",
        stderr_of(&output)
    );
    output
}

// ---------------------------------------------------------------------------------------
// preview
// ---------------------------------------------------------------------------------------

#[test]
fn preview_prints_a_git_diff_of_changed_files_only() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let (stdout, _) = preview(&input, &[]);

    let headers: Vec<&str> = stdout.lines().filter(|l| l.starts_with("diff --git ")).collect();
    assert_eq!(
        headers,
        [
            "diff --git a/docs/faq.md b/docs/faq.md",
            "diff --git a/docs/index.md b/docs/index.md",
            "diff --git a/docs/install/_category_.json b/docs/install/_category_.json",
            "diff --git a/docs/install/iso-install.mdx b/docs/install/iso-install.mdx",
            "diff --git a/docs/networking/index.md b/docs/networking/index.md",
            "diff --git a/docusaurus.config.js b/docusaurus.config.js",
            "diff --git a/i18n/zh/docusaurus-plugin-content-docs/current/index.md b/i18n/zh/docusaurus-plugin-content-docs/current/index.md",
        ]
    );
    assert!(stdout.contains(
        "diff --git a/docs/index.md b/docs/index.md\n--- a/docs/index.md\n+++ b/docs/index.md\n@@ -1,25 +1,25 @@\n"
    ));
    for expected in [
        // Front matter prose keys, headings (anchor kept), prose, the longest rule first.
        "-sidebar_label: Harvester Overview\n+sidebar_label: Hypervisor Overview\n",
        "-## Harvester Architecture\n+## Hypervisor Architecture {#harvester-architecture}\n",
        "+The NQRust Hypervisor runs on bare metal. See [the installation guide](./install/iso-install.mdx#harvester-installer) and [networking](./networking/index.md#harvester-network) for details.\n",
        // Admonition body: prose changes, inline-code identifiers do not.
        "+Hypervisor components run in the `harvester-system` namespace. The API group is `harvesterhci.io/v1beta1`.\n",
        // Rancher's menu label is an exception.
        "+Rancher manages Hypervisor clusters from **Virtualization Management > Harvester Clusters**.\n",
        // Vendor UI labels change inside inline code.
        "+Boot the ISO and choose `Hypervisor Installer` from the menu, then select **Create a new Hypervisor cluster**.\n",
        // JSON: the description is prose.
        "+    \"description\": \"Install Hypervisor on bare metal or in a virtual machine.\"\n",
        // docusaurus.config.js: the full product name; the site URL through a `url` rule.
        "-  title: \"Harvester\",\n+  title: \"NQRust Hypervisor\",\n",
        "+  url: \"https://docs.nqrhypervisorhci.io\",\n",
        // Chinese text.
        "-安装 Harvester。Harvester集群由 Harvester 节点组成。\n+安装 Hypervisor。Hypervisor集群由 Hypervisor 节点组成。\n",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?} in:\n{stdout}");
    }
    // Fenced code, identifiers and link targets never change.
    for line in stdout
        .lines()
        .filter(|l| l.starts_with('-') || l.starts_with('+'))
    {
        if line.starts_with("---") || line.starts_with("+++") {
            continue;
        }
        assert!(!line.contains("kubectl"), "fenced code in the diff: {line}");
        // The key stays; only its value follows the vendor's `site-organization` rule.
        assert!(
            !line.contains("organizationName")
                || [
                    "-  organizationName: \"harvester\",",
                    "+  organizationName: \"nqrhypervisor\","
                ]
                .contains(&line),
            "JS identifier in the diff: {line}"
        );
        assert!(
            !line.contains("hypervisor-system"),
            "identifier rewritten: {line}"
        );
        assert!(!line.contains("#hypervisor-"), "anchor rewritten: {line}");
    }
    // Copied and unchanged files have no diff.
    for path in [
        "logo.png",
        "legacy.md",
        "README.txt",
        "build.sh",
        "docs/networking/_category_.json",
    ] {
        assert!(!stdout.contains(path), "{path} in the diff");
    }
}

#[test]
fn preview_summary_goes_to_stderr() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let (stdout, stderr) = preview(&input, &[]);
    assert!(!stdout.contains("rebrand:"), "summary on stdout");
    insta::assert_snapshot!(no_elapsed(&stderr), @r"
    rebrand: 13 files, 8 scanned as text, 7 changed, 30 substitutions, 5 heading ids kept, in [elapsed] s
      21  Harvester -> Hypervisor  [brand]
       3  Harvester -> NQRust Hypervisor  [site-title]
       2  Harvester Installer -> Hypervisor Installer  [ui-installer]
       1  Harvester hypervisor -> NQRust Hypervisor  [hypervisor]
       1  Create a new Harvester cluster -> Create a new Hypervisor cluster  [ui-create-cluster]
       1  harvester -> nqrhypervisor  [site-organization]
       1  https://docs.harvesterhci.io -> https://docs.nqrhypervisorhci.io  [docs-url]
       0  harvester installer -> Hypervisor installer  [lower-installer]
       0  harvester UI -> Hypervisor UI  [lower-ui]
       0  harvester cloud provider -> Hypervisor cloud provider  [lower-cloud-provider]
       0  Install Harvester binaries only -> Install Hypervisor binaries only  [ui-binaries-only]
       0  Join an existing Harvester cluster -> Join an existing Hypervisor cluster  [ui-join-cluster]
       0  Harvester GUI -> Hypervisor GUI  [ui-gui]
       0  Setting up Harvester -> Setting up Hypervisor  [ui-setting-up]
    warning: 1 file is not valid UTF-8 and was left as it is:
      docs/legacy.md
    ");
}

#[test]
fn preview_writes_nothing() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let before = tree(&input);
    let siblings_before: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let (stdout, _) = preview(&input, &[]);
    assert!(
        stdout.contains("+++ b/docs/index.md"),
        "the preview found changes"
    );
    assert_eq!(tree(&input), before, "preview changed the input");
    assert!(!input.join(".rebrand").exists());
    let siblings_after: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(siblings_after, siblings_before, "preview wrote beside the input");
}

#[test]
fn preview_without_changes_prints_no_diff_and_exits_0() {
    let tmp = TempDir::new().unwrap();
    let docs = tmp.path().join("docs");
    fs::create_dir_all(&docs).unwrap();
    fs::write(
        docs.join("rancher.md"),
        "# Rancher\n\nRancher manages `harvester-system`.\n",
    )
    .unwrap();
    let (stdout, stderr) = preview(tmp.path(), &[]);
    assert_eq!(stdout, "");
    assert!(
        stderr.starts_with(
            "rebrand: 1 file, 1 scanned as text, 0 changed, 0 substitutions, 0 heading ids kept, in "
        ),
        "{stderr}"
    );
}

#[test]
fn preview_stat_lists_changed_files_with_counts() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let (stdout, stderr) = preview(&input, &["--stat"]);
    assert!(!stdout.contains("diff --git"), "--stat printed the diff");
    assert!(stderr.starts_with("rebrand: 13 files,"), "{stderr}");
    insta::assert_snapshot!(stdout, @r"
     docs/faq.md                                             |    4 substitutions, 1 heading id
     docs/index.md                                           |   10 substitutions, 2 heading ids
     docs/install/_category_.json                            |    1 substitution
     docs/install/iso-install.mdx                            |    4 substitutions, 1 heading id
     docs/networking/index.md                                |    2 substitutions, 1 heading id
     docusaurus.config.js                                    |    5 substitutions
     i18n/zh/docusaurus-plugin-content-docs/current/index.md |    4 substitutions
    ");
}

#[test]
fn preview_context_sets_the_lines_around_changes() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let (stdout, _) = preview(&input.join("docs/networking"), &["--context", "0"]);
    assert_eq!(
        stdout,
        "diff --git a/index.md b/index.md\n--- a/index.md\n+++ b/index.md\n\
         @@ -8 +8 @@\n-## Harvester Network\n+## Hypervisor Network {#harvester-network}\n\
         @@ -10 +10 @@\n\
         -Each Harvester node has a management network. Back to the [overview](../index.md#harvester-architecture).\n\
         +Each Hypervisor node has a management network. Back to the [overview](../index.md#harvester-architecture).\n"
    );
}

fn preview_raw(input: &Path, color: Option<&str>, no_color: bool) -> std::process::Output {
    let mut cmd = rebrand();
    cmd.arg("preview").arg("--rules").arg(shipped_rules()).arg(input);
    if let Some(c) = color {
        cmd.args(["--color", c]);
    }
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    out
}

#[test]
fn color_never_has_no_escapes() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let out = preview_raw(&input, Some("never"), false);
    assert!(out.stdout.starts_with(b"diff --git "));
    assert!(!out.stdout.contains(&0x1b), "ESC on stdout");
    assert!(!out.stderr.contains(&0x1b), "ESC on stderr");
}

#[test]
fn color_always_has_escapes_on_both_streams() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let out = preview_raw(&input, Some("always"), true);
    let stdout = stdout_of(&out);
    assert!(
        stdout.starts_with("\x1b[1mdiff --git a/docs/faq.md"),
        "{stdout:?}"
    );
    // Changed lines in red and green, the changed words within them in reverse video.
    assert!(
        stdout.contains("\x1b[31m-## \x1b[7mHarvester\x1b[27m Architecture\n\x1b[0m"),
        "no red deletion"
    );
    assert!(
        stdout.contains(
            "\x1b[32m+## \x1b[7mHypervisor\x1b[27m Architecture\x1b[7m {#harvester-architecture}\x1b[27m\n\x1b[0m"
        ),
        "no green insertion"
    );
    assert!(
        stderr_of(&out).starts_with("\x1b[1mrebrand:\x1b[0m 13 files"),
        "summary not bold"
    );
}

#[test]
fn color_auto_is_off_when_piped() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    for no_color in [false, true] {
        let out = preview_raw(&input, None, no_color);
        assert!(out.stdout.starts_with(b"diff --git "));
        assert!(
            !out.stdout.contains(&0x1b),
            "ESC on a pipe (NO_COLOR set: {no_color})"
        );
        assert!(
            !out.stderr.contains(&0x1b),
            "ESC on a pipe (NO_COLOR set: {no_color})"
        );
    }
}

/// On a terminal `auto` colours, unless NO_COLOR is set (a pseudo-terminal from `script`).
#[cfg(target_os = "linux")]
#[test]
fn color_auto_on_a_terminal_honours_no_color() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        panic!("this test needs `script` (util-linux) to run rebrand on a pseudo-terminal");
    }
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let quote = |p: &Path| format!("'{}'", p.display().to_string().replace('\'', r"'\''"));
    let line = format!(
        "{} preview --rules {} {}",
        quote(Path::new(env!("CARGO_BIN_EXE_rebrand"))),
        quote(&shipped_rules()),
        quote(&input.join("docs/networking")),
    );
    let on_tty = |no_color: Option<&str>| {
        let mut cmd = std::process::Command::new("script");
        cmd.args(["-q", "-e", "-c", &line, "/dev/null"])
            .env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "script failed: {}", stderr_of(&out));
        let all = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(all.contains("diff --git a/index.md b/index.md"), "{all:?}");
        all
    };
    assert!(on_tty(None).contains("\x1b["), "auto on a terminal should colour");
    assert!(
        on_tty(Some("")).contains("\x1b["),
        "an empty NO_COLOR does not count"
    );
    assert!(
        !on_tty(Some("1")).contains('\x1b'),
        "NO_COLOR=1 must turn auto off"
    );
}

// ---------------------------------------------------------------------------------------
// preview diff == apply
// ---------------------------------------------------------------------------------------

#[test]
fn preview_diff_applies_with_git_apply_to_the_apply_output() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let (diff, _) = preview(&input, &[]);
    // The diff must hold the BOM/CRLF file's lines with their carriage returns.
    assert!(diff.contains("+## Hypervisor FAQ {#harvester-faq}\r\n"));
    assert!(diff.contains("\\ No newline at end of file\n"));

    let patched = tmp.path().join("patched");
    copy_tree(&input, &patched);
    fs::write(tmp.path().join("review.diff"), &diff).unwrap();
    let out = std::process::Command::new("git")
        .args(["apply", "--whitespace=nowarn", "--verbose", "../review.diff"])
        .current_dir(&patched)
        // No repository above the copy: paths are taken relative to it.
        .env("GIT_CEILING_DIRECTORIES", tmp.path())
        .output()
        .expect("git is installed");
    assert!(out.status.success(), "git apply failed:\n{}", stderr_of(&out));
    assert_ne!(tree(&patched), tree(&input), "the diff changed nothing");

    let branded = tmp.path().join("branded");
    apply_ok(&input, &branded);
    let (patched, branded) = (tree_contents(&patched), tree_contents(&branded));
    assert_eq!(
        patched.keys().collect::<Vec<_>>(),
        branded.keys().collect::<Vec<_>>()
    );
    for (path, node) in &patched {
        assert_eq!(
            node, &branded[path],
            "{path} differs between `git apply` and `apply`"
        );
    }
}

// ---------------------------------------------------------------------------------------
// apply
// ---------------------------------------------------------------------------------------

#[test]
fn apply_writes_every_input_file() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let out = tmp.path().join("branded");
    let run = apply_ok(&input, &out);
    assert_eq!(stdout_of(&run), "", "apply prints nothing on stdout");
    let stderr = stderr_of(&run);
    assert!(
        stderr.starts_with("rebrand: 13 files, 8 scanned as text, 7 changed,"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(&format!("wrote {}\n", out.display())),
        "{stderr}"
    );

    let (input_tree, out_tree) = (tree(&input), tree(&out));
    assert_eq!(
        input_tree.keys().collect::<Vec<_>>(),
        out_tree.keys().collect::<Vec<_>>(),
        "the output does not list the same paths as the input"
    );
    assert_eq!(out_tree["static/files"], Node::Dir, "empty directory kept");
    // Rewritten files.
    assert_eq!(
        text(&out, "docs/networking/index.md"),
        "---\nsidebar_position: 1\ntitle: \"Networking\"\n---\n\n# Networking\n\n\
         ## Hypervisor Network {#harvester-network}\n\n\
         Each Hypervisor node has a management network. Back to the [overview](../index.md#harvester-architecture).\n"
    );
    assert!(
        text(&out, "docs/index.md").contains("kubectl -n harvester-system get settings.harvesterhci.io\n")
    );
    // Untouched text files, identical.
    for rel in ["docs/networking/_category_.json", "static/img/README.txt"] {
        assert_eq!(file(&out, rel), file(&input, rel), "{rel}");
    }
    // The marker.
    let marker = text(&out, ".rebrand/output.toml");
    assert!(marker.contains("tool_version = \""), "{marker}");
    assert!(marker.contains("brand-and-site-config.toml"), "{marker}");
    assert!(input
        .read_dir()
        .unwrap()
        .all(|e| e.unwrap().file_name() != ".rebrand"));
    assert!(staging_leftovers(tmp.path()).is_empty());
}

#[test]
fn apply_copies_binary_and_non_utf8_files_byte_for_byte() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let out = tmp.path().join("branded");
    let run = apply_ok(&input, &out);
    assert_eq!(file(&out, "static/img/logo.png"), LOGO_PNG);
    assert_eq!(file(&out, "docs/legacy.md"), LEGACY_MD);
    assert_eq!(file(&out, "build.sh"), BUILD_SH);
    assert!(stderr_of(&run).contains("1 file is not valid UTF-8 and was left as it is:\n  docs/legacy.md\n"));
}

#[cfg(unix)]
#[test]
fn apply_keeps_modes_and_symlinks() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    // A rewritten file with an unusual mode keeps it too.
    fs::set_permissions(
        input.join("docs/networking/index.md"),
        fs::Permissions::from_mode(0o640),
    )
    .unwrap();
    let out = tmp.path().join("branded");
    apply_ok(&input, &out);
    let mode = |rel: &str| fs::metadata(out.join(rel)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode("build.sh"), 0o755);
    assert_eq!(mode("docs/networking/index.md"), 0o640);
    assert!(text(&out, "docs/networking/index.md").contains("Hypervisor Network"));
    let link = out.join("static/overview.md");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(fs::read_link(&link).unwrap(), Path::new("../docs/index.md"));
    // The link resolves inside the output, to the branded page.
    assert!(fs::read_to_string(&link)
        .unwrap()
        .contains("# Hypervisor Overview"));
}

#[test]
fn apply_keeps_bom_crlf_and_missing_final_newline() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let out = tmp.path().join("branded");
    apply_ok(&input, &out);
    let got = file(&out, "docs/faq.md");
    assert_eq!(got, FAQ_MD_BRANDED, "got {:?}", String::from_utf8_lossy(&got));
}

#[test]
fn apply_into_empty_existing_directory() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let out = tmp.path().join("branded");
    fs::create_dir(&out).unwrap();
    apply_ok(&input, &out);
    assert!(out.join(".rebrand/output.toml").is_file());
    assert!(out.join("docs/index.md").is_file());
}

#[test]
fn apply_again_replaces_its_own_output() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let out = tmp.path().join("branded");
    apply_ok(&input, &out);
    let first = tree(&out);
    // Stale content in the output, and an upstream change.
    fs::write(out.join("docs/stale.md"), "# Removed upstream\n").unwrap();
    fs::write(out.join("docs/index.md"), "edited by hand\n").unwrap();
    fs::write(input.join("docs/new.md"), "# New Harvester page\n").unwrap();

    // What rebrand did not write, and a hand edit: refused and named, nothing touched.
    let stale = tree(&out);
    let stderr = apply_refused(tmp.path(), "upstream", "branded", &[]);
    insta::assert_snapshot!(stderr, @r"
    error: output `branded` holds what rebrand did not write; replacing it would lose:
      1 file rebrand did not write: `docs/stale.md`
      1 file edited since rebrand wrote it: `docs/index.md`
    help: `rebrand sync --upstream DIR --downstream DIR` brings upstream into a tree people edit, keeping their files and edits; `apply --force` replaces the folder and loses them
    ");
    assert_eq!(tree(&out), stale);
    // `--force` replaces them.
    rebrand()
        .current_dir(tmp.path())
        .arg("apply")
        .arg("--rules")
        .arg(shipped_rules())
        .args(["upstream", "--out", "branded", "--force"])
        .assert()
        .success();
    let second = tree(&out);
    assert!(
        !second.contains_key("docs/stale.md"),
        "the previous tree was not replaced"
    );
    assert_eq!(second["docs/index.md"], first["docs/index.md"]);
    assert_eq!(
        text(&out, "docs/new.md"),
        "# New Hypervisor page {#new-harvester-page}\n"
    );
    assert!(out.join(".rebrand/output.toml").is_file());
    assert!(
        staging_leftovers(tmp.path()).is_empty(),
        "{:?}",
        staging_leftovers(tmp.path())
    );
}

#[test]
fn apply_is_idempotent() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let first = tmp.path().join("first");
    let second = tmp.path().join("second");
    apply_ok(&input, &first);
    assert_ne!(tree(&first), tree(&input), "the first run changed nothing");
    let run = apply_ok(&first, &second);
    assert!(
        stderr_of(&run).contains(" 0 changed, 0 substitutions, 0 heading ids kept,"),
        "{}",
        stderr_of(&run)
    );
    assert_eq!(tree(&second), tree(&first));
    let (diff, _) = preview(&first, &[]);
    assert_eq!(diff, "", "preview of the branded tree shows changes");
}

// ---------------------------------------------------------------------------------------
// apply refusals
// ---------------------------------------------------------------------------------------

/// Runs `apply` in `cwd` with relative paths and expects exit 2; returns stderr.
fn apply_refused(cwd: &Path, input: &str, out: &str, extra: &[&str]) -> String {
    let assert = rebrand()
        .current_dir(cwd)
        .arg("apply")
        .arg("--rules")
        .arg(shipped_rules())
        .args([input, "--out", out])
        .args(extra)
        .assert()
        .code(2)
        .stdout("");
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

#[test]
fn apply_refuses_output_equal_to_input() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let before = tree(&input);
    let stderr = apply_refused(tmp.path(), "upstream", "upstream", &[]);
    insta::assert_snapshot!(stderr, @"error: output `upstream` is the input `upstream`: choose an output outside the input tree");
    // The same directory spelled another way.
    let stderr = apply_refused(tmp.path(), "upstream", "upstream/docs/..", &[]);
    assert!(stderr.contains("is the input"), "{stderr}");
    assert_eq!(tree(&input), before);
    assert!(!input.join(".rebrand").exists());
    assert!(staging_leftovers(tmp.path()).is_empty());
}

#[test]
fn apply_refuses_output_inside_input() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let before = tree(&input);
    let stderr = apply_refused(tmp.path(), "upstream", "upstream/build", &[]);
    insta::assert_snapshot!(stderr, @"error: output `upstream/build` is inside the input `upstream`: choose an output outside the input tree");
    // An existing directory of the input, even with --force.
    let stderr = apply_refused(tmp.path(), "upstream", "upstream/docs", &["--force"]);
    assert!(stderr.contains("is inside the input"), "{stderr}");
    assert_eq!(tree(&input), before);
    assert!(staging_leftovers(tmp.path()).is_empty());
    assert!(staging_leftovers(&input).is_empty());
}

#[test]
fn apply_refuses_output_containing_input() {
    let tmp = TempDir::new().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir(&site).unwrap();
    fs::rename(upstream(&tmp), site.join("upstream")).unwrap();
    let before = tree(&site);
    let stderr = apply_refused(tmp.path(), "site/upstream", "site", &["--force"]);
    insta::assert_snapshot!(stderr, @"error: output `site` contains the input `site/upstream`: choose an output outside the input tree");
    assert_eq!(tree(&site), before, "the tree holding the input was touched");
    assert!(staging_leftovers(tmp.path()).is_empty());
}

#[test]
fn apply_refuses_foreign_output_unless_forced() {
    let tmp = TempDir::new().unwrap();
    upstream(&tmp);
    let out = tmp.path().join("website");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("notes.txt"), "my own notes\n").unwrap();

    let stderr = apply_refused(tmp.path(), "upstream", "website", &[]);
    insta::assert_snapshot!(stderr, @r"
    error: output `website` holds what rebrand did not write; replacing it would lose:
      1 file rebrand did not write: `notes.txt`
    help: `rebrand sync --upstream DIR --downstream DIR` brings upstream into a tree people edit, keeping their files and edits; `apply --force` replaces the folder and loses them
    ");
    assert_eq!(
        text(&out, "notes.txt"),
        "my own notes\n",
        "the foreign output was touched"
    );
    assert!(!out.join(".rebrand").exists());
    assert!(staging_leftovers(tmp.path()).is_empty());

    rebrand()
        .current_dir(tmp.path())
        .arg("apply")
        .arg("--rules")
        .arg(shipped_rules())
        .args(["upstream", "--out", "website", "--force"])
        .assert()
        .success()
        .stderr(predicate::str::ends_with("wrote website\n"));
    assert!(!out.join("notes.txt").exists(), "--force kept the foreign file");
    assert!(out.join(".rebrand/output.toml").is_file());
    assert!(text(&out, "docs/index.md").contains("# Hypervisor Overview"));
    assert!(staging_leftovers(tmp.path()).is_empty());
}

#[test]
fn failed_apply_leaves_previous_output_and_no_staging() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let out = tmp.path().join("branded");
    apply_ok(&input, &out);
    let previous = tree(&out);
    let marker = file(&out, ".rebrand/output.toml");
    // A regular file named `.rebrand` at the input's root: the marker directory cannot be
    // made in the staged tree, so the run fails after staging has begun.
    fs::write(input.join(".rebrand"), "not a directory\n").unwrap();
    fs::write(input.join("docs/new.md"), "Harvester\n").unwrap();
    let stderr = apply_refused(tmp.path(), "upstream", "branded", &[]);
    assert!(stderr.starts_with("error: cannot create `"), "{stderr}");
    // The state folder cannot be made: its base texts fail first, while the files are written.
    assert!(
        stderr.contains("/.rebrand/objects/") || stderr.contains(".rebrand`"),
        "{stderr}"
    );
    assert_eq!(tree(&out), previous, "the previous output was changed");
    assert_eq!(file(&out, ".rebrand/output.toml"), marker);
    assert!(
        staging_leftovers(tmp.path()).is_empty(),
        "{:?}",
        staging_leftovers(tmp.path())
    );
}

// ---------------------------------------------------------------------------------------
// input and rule-file errors
// ---------------------------------------------------------------------------------------

#[test]
fn nonexistent_input_is_named() {
    let tmp = TempDir::new().unwrap();
    for args in [
        &["preview", "no-such-docs"][..],
        &["apply", "no-such-docs", "--out", "branded"][..],
    ] {
        rebrand()
            .current_dir(tmp.path())
            .args(args)
            .arg("--rules")
            .arg(shipped_rules())
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::starts_with(
                "error: cannot read input `no-such-docs`: ",
            ));
    }
    assert!(!tmp.path().join("branded").exists());
    assert!(staging_leftovers(tmp.path()).is_empty());
}

#[test]
fn input_that_is_a_file_is_refused() {
    let tmp = TempDir::new().unwrap();
    fs::write(tmp.path().join("index.md"), "# Harvester\n").unwrap();
    rebrand()
        .current_dir(tmp.path())
        .args(["preview", "index.md", "--rules"])
        .arg(shipped_rules())
        .assert()
        .code(2)
        .stdout("")
        .stderr("error: input `index.md` is not a directory\n");
}

#[test]
fn nonexistent_rules_file_is_named() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    for args in [
        &["preview", "--rules", "rules/missing.toml", "upstream"][..],
        &[
            "apply",
            "--rules",
            "rules/missing.toml",
            "upstream",
            "--out",
            "branded",
        ][..],
        &["test-rules", "rules/missing.toml"][..],
    ] {
        rebrand()
            .current_dir(tmp.path())
            .args(args)
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::starts_with(
                "error: cannot read rule file `rules/missing.toml`: ",
            ));
    }
    assert!(!tmp.path().join("branded").exists());
    assert!(!input.join(".rebrand").exists());
}

#[test]
fn io_error_cause_is_printed_once() {
    let tmp = TempDir::new().unwrap();
    let out = rebrand()
        .current_dir(tmp.path())
        .args(["test-rules", "missing.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr_of(&out);
    assert_eq!(stderr.matches("(os error 2)").count(), 1, "{stderr}");

    // The same for an output error from the tree writer.
    let input = upstream(&tmp);
    fs::write(tmp.path().join("a-file"), "x").unwrap();
    let out = rebrand()
        .current_dir(tmp.path())
        .arg("apply")
        .arg("--rules")
        .arg(shipped_rules())
        .arg(&input)
        .args(["--out", "a-file/branded"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr_of(&out);
    assert_eq!(stderr.matches("(os error 20)").count(), 1, "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    rebrand()
        .args(["apply", "--rules", "x.toml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("--out <OUTPUT_DIR>"));
    rebrand()
        .args(["preview", "--rules", "x.toml", "docs", "--color", "sometimes"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sometimes"));
}

// ---------------------------------------------------------------------------------------
// test-rules
// ---------------------------------------------------------------------------------------

#[test]
fn shipped_rule_tests_pass() {
    let rules = common::shipped_rules();
    // The whole-site file's tests and those of the brand file it extends.
    let declared: usize = [&rules, &common::shipped_brand_rules()]
        .iter()
        .map(|p| fs::read_to_string(p).unwrap().matches("\n[[test]]\n").count())
        .sum();
    assert!(declared >= 10, "the shipped files have {declared} tests");
    let assert = rebrand().arg("test-rules").arg(&rules).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines.last().copied(),
        Some(format!("{declared} passed, 0 failed").as_str())
    );
    let oks = lines.iter().filter(|l| l.starts_with("ok ")).count();
    assert_eq!(oks, declared, "{stdout}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "ok    Chinese text: the brand next to CJK characters ({}:",
            common::shipped_brand_rules().display()
        )),
        "{stdout}"
    );
}

// ---------------------------------------------------------------------------------------
// Bugs found (ignored until fixed)
// ---------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn preview_and_apply_count_the_same_files() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let (_, preview_summary) = preview(&input, &[]);
    let run = apply_ok(&input, &tmp.path().join("branded"));
    let first_line = |s: &str| no_elapsed(s).lines().next().unwrap().to_string();
    assert_eq!(first_line(&preview_summary), first_line(&stderr_of(&run)));
}

#[test]
fn apply_force_over_a_regular_file_leaves_nothing_behind() {
    let tmp = TempDir::new().unwrap();
    upstream(&tmp);
    fs::write(tmp.path().join("branded"), "a file, not a tree\n").unwrap();
    let out = rebrand()
        .current_dir(tmp.path())
        .arg("apply")
        .arg("--rules")
        .arg(shipped_rules())
        .args(["upstream", "--out", "branded", "--force"])
        .output()
        .unwrap();
    let leftovers = staging_leftovers(tmp.path());
    assert!(
        leftovers.is_empty(),
        "leftover {leftovers:?}; stderr: {}",
        stderr_of(&out)
    );
    let out_path = tmp.path().join("branded");
    match out.status.code() {
        // Either the tree replaced the file completely...
        Some(0) => assert!(out_path.join(".rebrand/output.toml").is_file()),
        // ...or the run was refused and the file is as it was.
        Some(2) => assert_eq!(
            fs::read(&out_path).ok().as_deref(),
            Some(&b"a file, not a tree\n"[..]),
            "exit 2 but the file was replaced"
        ),
        other => panic!("exit {other:?}: {}", stderr_of(&out)),
    }
}

/// Replacing an output that holds a read-only directory: the swap happens, then removing
/// the previous tree fails. Root ignores permissions, so as root this runs rebrand as
/// `nobody` through `setpriv`.
#[cfg(target_os = "linux")]
#[test]
fn apply_again_over_a_read_only_directory() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let tmp = TempDir::new().unwrap();
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let input = tmp.path().join("upstream");
    let locked = input.join("docs/locked");
    fs::create_dir_all(&locked).unwrap();
    fs::write(locked.join("index.md"), "# Harvester\n").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    let as_root = fs::metadata(&input).unwrap().uid() == 0;
    let run = || {
        let mut cmd = if as_root {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(env!("CARGO_BIN_EXE_rebrand"));
            c
        } else {
            std::process::Command::new(env!("CARGO_BIN_EXE_rebrand"))
        };
        cmd.current_dir(tmp.path())
            .arg("apply")
            .arg("--rules")
            .arg(shipped_rules())
            .args(["upstream", "--out", "branded"])
            .output()
            .expect("setpriv runs (needed when the tests run as root)")
    };
    let first = run();
    let second = run();
    let leftovers = staging_leftovers(tmp.path());
    // Let the temporary directory be removed.
    for dir in [locked, tmp.path().join("branded/docs/locked")] {
        let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o755));
    }
    for l in &leftovers {
        let _ = fs::set_permissions(
            tmp.path().join(l).join("docs/locked"),
            fs::Permissions::from_mode(0o755),
        );
    }
    assert_eq!(first.status.code(), Some(0), "{}", stderr_of(&first));
    assert_eq!(second.status.code(), Some(0), "{}", stderr_of(&second));
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A FIFO in the input would block a reader forever: it is neither read nor written, and
/// both commands name it in a warning.
#[cfg(unix)]
#[test]
fn special_files_are_reported_not_read() {
    let tmp = TempDir::new().unwrap();
    let input = upstream(&tmp);
    let fifo = input.join("docs/pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipping: mkfifo is not available");
        return;
    }
    let out = tmp.path().join("branded");
    let run = rebrand()
        .timeout(std::time::Duration::from_secs(20))
        .args(["apply", "--color", "never", "--rules"])
        .arg(shipped_rules())
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stderr_of(&run));
    assert!(stderr_of(&run)
        .contains("1 special file (FIFO, socket, device) was not read or written:\n  docs/pipe.md\n"));
    assert!(
        fs::symlink_metadata(out.join("docs/pipe.md")).is_err(),
        "the FIFO must not be written"
    );
    let preview = rebrand()
        .timeout(std::time::Duration::from_secs(20))
        .args(["preview", "--color", "never", "--rules"])
        .arg(shipped_rules())
        .arg(&input)
        .output()
        .unwrap();
    assert!(preview.status.success());
    assert!(stderr_of(&preview).contains("  docs/pipe.md\n"));
}

/// `[files] omit` leaves upstream paths out of everything: not in the preview, not written
/// by apply (the folder that held only them goes too), not audited; `exclude` only stops
/// rewriting (the file is copied).
#[test]
fn omitted_paths_are_left_out_of_preview_apply_and_audit() {
    let tmp = TempDir::new().unwrap();
    let input = tmp.path().join("upstream");
    fs::create_dir_all(input.join(".github/workflows")).unwrap();
    fs::create_dir_all(input.join("docs")).unwrap();
    fs::write(input.join(".github/workflows/ci.md"), "Harvester CI runs here.\n").unwrap();
    fs::write(input.join("netlify.toml"), "# Harvester hosting\n").unwrap();
    fs::write(input.join("docs/a.md"), "Harvester is great.\n").unwrap();
    fs::write(input.join("docs/kept.md"), "Harvester stays here.\n").unwrap();
    let rules = tmp.path().join("rules.toml");
    fs::write(
        &rules,
        "[files]\nomit = [\".github/**\", \"netlify.toml\"]\nexclude = [\"docs/kept.md\"]\n\n\
         [[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n",
    )
    .unwrap();
    let preview = rebrand()
        .arg("preview")
        .arg("--rules")
        .arg(&rules)
        .arg(&input)
        .args(["--color", "never"])
        .output()
        .unwrap();
    let diff = stdout_of(&preview);
    assert!(diff.contains("+Hypervisor is great."), "{diff}");
    assert!(!diff.contains(".github") && !diff.contains("netlify"), "{diff}");
    assert!(
        stderr_of(&preview).contains("2 files left out"),
        "{}",
        stderr_of(&preview)
    );
    let out = tmp.path().join("branded");
    apply_command(&rules, &input, &out).assert().success();
    assert!(!out.join(".github").exists(), "an omitted folder was written");
    assert!(!out.join("netlify.toml").exists());
    assert_eq!(text(&out, "docs/kept.md"), "Harvester stays here.\n");
    // The upstream tree's audit does not read the omitted files.
    let audit = rebrand()
        .arg("audit")
        .arg("--rules")
        .arg(&rules)
        .arg(&input)
        .args(["--mentions", "--color", "never"])
        .output()
        .unwrap();
    let listed = stdout_of(&audit);
    assert!(listed.contains("docs/a.md:1:1"), "{listed}");
    assert!(!listed.contains(".github"), "{listed}");
}

/// The mode bits of `path`.
#[cfg(unix)]
fn permission_bits(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// `rebrand ARGS` run under `umask`, in `cwd`; its exit code must be 0.
#[cfg(unix)]
fn run_under_umask(umask: u32, cwd: &Path, args: &[&std::ffi::OsStr]) {
    use assert_cmd::cargo::CommandCargoExt;
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::cargo_bin("rebrand").unwrap();
    cmd.current_dir(cwd).args(args);
    // SAFETY: umask(2) is async-signal-safe and touches nothing but the child's own mask.
    unsafe {
        cmd.pre_exec(move || {
            libc::umask(umask as libc::mode_t);
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The files `preview --html`, `apply --redirects` and `sync --report` write get the mode a
/// plain file creation gets (0666 minus the umask), not the 0600 of a temporary file; a file
/// they replace keeps its own mode.
#[cfg(unix)]
#[test]
fn written_reports_get_the_umask_mode_or_keep_the_replaced_files_mode() {
    use std::os::unix::fs::PermissionsExt;
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/harvester-docs");
    let rules = common::shipped_rules();
    for (umask, expected) in [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)] {
        let tmp = TempDir::new().unwrap();
        let t = tmp.path();
        let (r, i) = (rules.as_os_str(), input.as_os_str());
        let commands: [(&str, Vec<&std::ffi::OsStr>); 3] = [
            (
                "review.html",
                vec![
                    "preview".as_ref(),
                    "--rules".as_ref(),
                    r,
                    i,
                    "--html".as_ref(),
                    "review.html".as_ref(),
                ],
            ),
            (
                "redirects.json",
                vec![
                    "apply".as_ref(),
                    "--rules".as_ref(),
                    r,
                    i,
                    "--out".as_ref(),
                    "out".as_ref(),
                    "--redirects".as_ref(),
                    "redirects.json".as_ref(),
                ],
            ),
            (
                "sync.md",
                vec![
                    "sync".as_ref(),
                    "--rules".as_ref(),
                    r,
                    "--upstream".as_ref(),
                    i,
                    "--downstream".as_ref(),
                    "out".as_ref(),
                    "--report".as_ref(),
                    "sync.md".as_ref(),
                ],
            ),
        ];
        for (file, args) in &commands {
            run_under_umask(umask, t, args);
            assert_eq!(
                permission_bits(&t.join(file)),
                expected,
                "`{file}` under umask {umask:03o}"
            );
        }
        // Written again over a file of another mode: that mode stays. (An `apply` into an
        // output that is up to date writes no redirects: a fresh output.)
        fs::remove_dir_all(t.join("out")).unwrap();
        for (file, args) in &commands {
            fs::write(t.join(file), b"old").unwrap();
            fs::set_permissions(t.join(file), fs::Permissions::from_mode(0o604)).unwrap();
            run_under_umask(umask, t, args);
            assert_ne!(fs::read(t.join(file)).unwrap(), b"old", "`{file}` rewritten");
            assert_eq!(permission_bits(&t.join(file)), 0o604, "`{file}` replaced");
        }
    }
}

/// `[[patch]] if_present`: a patch of a part upstream added at some point applies where a
/// file it patches holds that part, is skipped where none does (an older upstream), and
/// still fails loudly where the part is there but the patch does not fit.
#[test]
fn a_patch_with_if_present_applies_only_where_its_part_is() {
    let tmp = TempDir::new().unwrap();
    let rules_dir = tmp.path().join("rules");
    fs::create_dir_all(&rules_dir).unwrap();
    fs::write(
        rules_dir.join("scripts.diff"),
        "--- a/site.js\n+++ b/site.js\n@@ -1,3 +1,2 @@\n const site = {\n-  scripts: ['https://cdn.example.com/consent.js'],\n };\n",
    )
    .unwrap();
    let rules = rules_dir.join("rules.toml");
    fs::write(
        &rules,
        "[files]\njavascript = [\"site.js\"]\n\n[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n\
         [[patch]]\nfile = \"scripts.diff\"\nif_present = \"cdn.example.com\"\n",
    )
    .unwrap();
    let run = |name: &str, site: &str| {
        let input = tmp.path().join(name);
        fs::create_dir_all(&input).unwrap();
        fs::write(input.join("site.js"), site).unwrap();
        let out = tmp.path().join(format!("{name}-out"));
        let output = apply_command(&rules, &input, &out).output().unwrap();
        (output, out)
    };
    let (output, out) = run(
        "newer",
        "const site = {\n  scripts: ['https://cdn.example.com/consent.js'],\n};\n",
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert_eq!(text(&out, "site.js"), "const site = {\n};\n");
    let (output, out) = run("older", "const site = {\n};\n");
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert_eq!(text(&out, "site.js"), "const site = {\n};\n");
    let (output, _) = run(
        "moved",
        "const site = {\n  title: 'x',\n  scripts: ['https://cdn.example.com/consent.js', 'b.js'],\n};\n",
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    assert!(
        stderr_of(&output).contains("does not apply"),
        "{}",
        stderr_of(&output)
    );
}

/// The whole-site rules applied to their own output change no file: the patch is found in
/// place and skipped with a note. A patch only partly in place still stops the run.
#[test]
fn whole_site_rules_on_their_own_output_change_nothing() {
    let tmp = TempDir::new().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/harvester-docs");
    let (once, twice) = (tmp.path().join("once"), tmp.path().join("twice"));
    // The whole-site rules (this file's `shipped_rules` are the product-name rules alone).
    let whole_site = |input: &Path, out: &Path| {
        rebrand()
            .arg("apply")
            .arg("--rules")
            .arg(common::shipped_rules())
            .arg(input)
            .arg("--out")
            .arg(out)
            .output()
            .unwrap()
    };
    assert_eq!(whole_site(&example, &once).status.code(), Some(0));
    let run = whole_site(&once, &twice);
    assert_eq!(run.status.code(), Some(0), "{}", stderr_of(&run));
    assert!(
        stderr_of(&run)
            .contains("1 patch was in place already (the tree is its result) and was skipped:\n  "),
        "{}",
        stderr_of(&run)
    );
    let files = |root: &Path| -> BTreeMap<String, Vec<u8>> {
        entries(root)
            .into_iter()
            .filter(|(p, e)| !p.starts_with(".rebrand") && e.file_type().is_file())
            .map(|(p, e)| (p, fs::read(e.path()).unwrap()))
            .collect()
    };
    assert_eq!(files(&once), files(&twice));
    // Half of the patch undone by hand: neither applied nor in place, an error.
    let config = once.join("docusaurus.config.js");
    let text = fs::read_to_string(&config).unwrap();
    let undone = text.replacen(
        "      copyright: `Copyright © ${new Date().getFullYear()} NQRust. All Rights Reserved.`,",
        "      copyright: `Copyright © ${new Date().getFullYear()} SUSE Rancher. All Rights Reserved.`,",
        1,
    );
    assert_ne!(undone, text);
    fs::write(&config, undone).unwrap();
    let out = whole_site(&once, &tmp.path().join("thrice"));
    assert_eq!(out.status.code(), Some(2), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("does not apply"), "{}", stderr_of(&out));
}

/// The brand file runs on any part of a tree (one folder, one page); the whole-site file
/// that extends it refuses a part with one error located at its `[[patch]]` table, naming
/// the brand file, and writes nothing.
#[test]
fn the_brand_file_runs_on_a_part_and_the_site_file_names_the_table_that_needs_the_site() {
    let tmp = TempDir::new().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/harvester-docs");
    let page = tmp.path().join("page");
    fs::create_dir(&page).unwrap();
    fs::copy(
        example.join("docs/getting-started/glossary.md"),
        page.join("glossary.md"),
    )
    .unwrap();
    for (input, changed) in [
        (example.join("docs"), "getting-started/glossary.md"),
        (page.clone(), "glossary.md"),
    ] {
        let out = tmp.path().join("out");
        let run = apply_command(&common::shipped_brand_rules(), &input, &out)
            .output()
            .unwrap();
        assert_eq!(run.status.code(), Some(0), "{}", stderr_of(&run));
        let text = fs::read_to_string(out.join(changed)).unwrap();
        assert!(
            text.contains("## **NQRust Hypervisor** {#harvester-hypervisor}"),
            "{text}"
        );
        fs::remove_dir_all(&out).unwrap();
    }
    let out = tmp.path().join("site-out");
    let run = apply_command(&common::shipped_rules(), &example.join("docs"), &out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = stderr_of(&run);
    assert!(stderr.starts_with("error: patch `"), "{stderr}");
    assert!(
        stderr.contains("`docusaurus.config.js` does not exist in the tree\n"),
        "{stderr}"
    );
    assert!(stderr.contains("--> "), "{stderr}");
    assert!(stderr.contains("nqrust-hypervisor.toml:40:8\n"), "{stderr}");
    assert!(
        stderr.contains("hint: the site tables are made for the whole site; on one folder, one page or several sites side by side, use `")
            && stderr.contains("nqrust-hypervisor/brand.toml`, which this rule file extends"),
        "{stderr}"
    );
    assert!(!out.exists());
    assert!(staging_leftovers(tmp.path()).is_empty());
}

/// A reference edit on bytes a substitution rewrote already (a `link_target` rule and a
/// rename meeting in one link) is left out, as before, but no longer silently: the summary
/// names each one, with the whole reference.
#[test]
fn an_edit_that_overlaps_another_is_reported() {
    let tmp = TempDir::new().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("docs")).unwrap();
    fs::write(
        site.join("docusaurus.config.js"),
        "module.exports = { title: \"X\" };\n",
    )
    .unwrap();
    fs::write(
        site.join("docs/a.md"),
        "# Troubleshooting\n\nSee [the page](./harvester.md).\n",
    )
    .unwrap();
    fs::write(site.join("docs/harvester.md"), "# Harvester\n\nText.\n").unwrap();
    let rules = tmp.path().join("rules.toml");
    fs::write(
        &rules,
        "[[substitution]]\nfrom = \"harvester\"\nto = \"vendor\"\ncontexts = [\"link_target\"]\n\n\
         [[rename]]\nfrom = \"harvester.md\"\nto = \"hypervisor.md\"\n",
    )
    .unwrap();
    let out = rebrand()
        .args(["preview", "--color", "never", "--rules"])
        .arg(&rules)
        .arg(&site)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("+See [the page](./vendor.md).\n"));
    assert!(
        stderr_of(&out).contains(
            "warning: 1 edit was left out: it overlapped another edit of its text (the first made stays), or would write `{`, `}` or `<` into MDX text (MDX reads them as code):\n  \
             docs/a.md:3: a reference, `./harvester.md` -> `./hypervisor.md`\n"
        ),
        "{}",
        stderr_of(&out)
    );
}

// ---------------------------------------------------------------------------------------
// Data-driven cases (trycmd)
// ---------------------------------------------------------------------------------------

/// Each `tests/cmd/*.toml` runs `rebrand` with its arguments (in its `fs.cwd`, relative to
/// the case) and pins the exit status, and standard output and standard error to the
/// `.stdout` and `.stderr` files beside it: rule-file errors (rule files in
/// `tests/cmd/rules/`), site-rule refusals (in `tests/fixtures/site/`), formats a command
/// does not offer, `--help`. After a deliberate change of a message,
/// `TRYCMD=overwrite cargo test --test it cli::cmd_cases` rewrites the expected files: review
/// their diff.
#[test]
fn cmd_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}

/// A profile that extends the whole-site file, refused on a part of a tree: the hint names
/// the brand file the site file extends, not the site file that holds the patch.
#[test]
fn the_hint_on_a_part_names_the_extended_file_without_the_patch() {
    let tmp = TempDir::new().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/harvester-docs");
    let profile = tmp.path().join("profile.toml");
    fs::write(
        &profile,
        format!("extends = {:?}\n", common::shipped_rules().display().to_string()),
    )
    .unwrap();
    let run = apply_command(&profile, &example.join("docs"), &tmp.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = stderr_of(&run);
    assert!(
        stderr.contains("use `")
            && stderr.contains("nqrust-hypervisor/brand.toml`, which this rule file extends"),
        "{stderr}"
    );
    assert!(!stderr.contains("nqrust-hypervisor.toml`, which"), "{stderr}");
}
