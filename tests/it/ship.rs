//! The command line as it ships: completion scripts and the man page generated from it, the
//! global `-q`/`-v` and `--color` on every command, the colour variables (`NO_COLOR`,
//! `CLICOLOR_FORCE`, `FORCE_COLOR`), rule-file diagnostics in colour, and a progress display
//! that never reaches a pipe.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use tempfile::TempDir;

use crate::common::{no_elapsed, rebrand};

/// A small upstream tree (`tree/`, 30 pages that name the product) and its rule file
/// (`rules.toml`) in `tmp`.
fn tree(tmp: &TempDir) -> (PathBuf, PathBuf) {
    tree_of(tmp, 30)
}

/// [`tree`] with `pages` pages.
fn tree_of(tmp: &TempDir, pages: usize) -> (PathBuf, PathBuf) {
    let root = tmp.path().join("tree");
    fs::create_dir_all(root.join("docs")).unwrap();
    for i in 0..pages {
        fs::write(
            root.join(format!("docs/page-{i}.md")),
            format!("# Page {i}\n\nHarvester runs on bare metal.\n"),
        )
        .unwrap();
    }
    let rules = tmp.path().join("rules.toml");
    fs::write(
        &rules,
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n",
    )
    .unwrap();
    (root, rules)
}

fn stdout_of(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// `rebrand ARGS` with `envs` set; its output.
fn run(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = rebrand();
    cmd.args(args);
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

// ---------------------------------------------------------------------------------------
// Completions and the man page
// ---------------------------------------------------------------------------------------

#[test]
fn completions_are_printed_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell], &[]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr_of(&out));
        let script = stdout_of(&out);
        for word in ["rebrand", "preview", "apply", "rules", "quiet", "completions"] {
            assert!(script.contains(word), "{shell}: no `{word}` in\n{script}");
        }
        assert!(out.stderr.is_empty(), "{shell}: {}", stderr_of(&out));
    }
}

#[test]
fn the_bash_completion_script_parses_and_completes_the_commands() {
    let Ok(bash) = std::process::Command::new("bash").arg("--version").output() else {
        eprintln!("skipping: no bash");
        return;
    };
    assert!(bash.status.success());
    let tmp = TempDir::new().unwrap();
    let script = tmp.path().join("rebrand.bash");
    fs::write(&script, run(&["completions", "bash"], &[]).stdout).unwrap();
    // Source the script, then ask its function what `rebrand pre<TAB>` completes to.
    let line = format!(
        "source '{}' && COMP_WORDS=(rebrand pre) && COMP_CWORD=1 && _rebrand rebrand pre rebrand && echo \"${{COMPREPLY[@]}}\"",
        script.display()
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "-c", &line])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert_eq!(stdout_of(&out).trim(), "preview");
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let out = run(&["completions", "tcsh"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = stderr_of(&out);
    assert!(
        stderr.contains("[possible values: bash, elvish, fish, powershell, zsh]"),
        "{stderr}"
    );
}

#[test]
fn the_man_page_is_roff_with_every_command_and_the_version() {
    let out = run(&["man"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let page = stdout_of(&out);
    let version = stdout_of(&run(&["--version"], &[]));
    let version = version.trim();
    assert!(page.contains(&format!(".TH rebrand 1  \"{version}\"")), "{page}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "no {section}");
    }
    for command in [
        "preview",
        "apply",
        "links",
        "audit",
        "explain",
        "sync",
        "check",
        "init",
        "test\\-rules",
        "completions",
        "man",
    ] {
        assert!(page.contains(&format!("rebrand\\-{command}(1)")), "no {command}");
    }
    assert!(page.contains("\\fB\\-q\\fR, \\fB\\-\\-quiet\\fR"), "{page}");
}

#[test]
fn a_command_has_its_own_man_page() {
    let out = run(&["man", "apply"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let page = stdout_of(&out);
    assert!(page.contains(".TH rebrand-apply 1"), "{page}");
    assert!(page.contains("\\fB\\-\\-rules\\fR"), "{page}");
    // The global options are on every command's page.
    assert!(page.contains("\\fB\\-\\-color\\fR"), "{page}");

    let out = run(&["man", "nope"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr_of(&out),
        "error: no command `nope`: the commands are preview, apply, links, audit, explain, sync, \
         check, init, test-rules, completions, man\n"
    );
}

// ---------------------------------------------------------------------------------------
// --version
// ---------------------------------------------------------------------------------------

#[test]
fn the_short_version_flag_prints_the_same_version_with_the_build() {
    let long = run(&["--version"], &[]);
    let short = run(&["-V"], &[]);
    assert_eq!(long.status.code(), Some(0));
    assert_eq!(long.stdout, short.stdout);
    let version = stdout_of(&long);
    let rest = version
        .strip_prefix(concat!("rebrand ", env!("CARGO_PKG_VERSION"), " ("))
        .unwrap_or_else(|| panic!("{version:?}"));
    // The build: a git commit, or a hash of the binary outside git.
    let build = rest.strip_suffix(")\n").unwrap();
    let hex = build
        .strip_prefix("git ")
        .map(|h| h.trim_end_matches("-dirty"))
        .or_else(|| build.strip_prefix("binary blake3 "))
        .unwrap_or_else(|| panic!("{build:?}"));
    assert!(
        hex.len() >= 12 && hex.chars().all(|c| c.is_ascii_hexdigit()),
        "{build}"
    );
}

// ---------------------------------------------------------------------------------------
// -q and -v
// ---------------------------------------------------------------------------------------

#[test]
fn quiet_keeps_the_diff_and_silences_the_summary() {
    let tmp = TempDir::new().unwrap();
    let (input, rules) = tree(&tmp);
    let loud = run(&["preview", "--rules", path(&rules), path(&input)], &[]);
    assert!(
        stderr_of(&loud).starts_with("rebrand: 30 files"),
        "{}",
        stderr_of(&loud)
    );
    // Before the command or after it.
    for args in [
        &["-q", "preview", "--rules", path(&rules), path(&input)][..],
        &["preview", "--rules", path(&rules), path(&input), "--quiet"][..],
    ] {
        let quiet = run(args, &[]);
        assert_eq!(quiet.status.code(), Some(0));
        assert_eq!(quiet.stdout, loud.stdout, "the diff is what was asked for");
        assert_eq!(stderr_of(&quiet), "");
    }
}

#[test]
fn quiet_apply_writes_the_tree_and_says_nothing_but_its_warnings() {
    let tmp = TempDir::new().unwrap();
    let (input, rules) = tree(&tmp);
    let out = tmp.path().join("out");
    let args = [
        "apply",
        "-q",
        "--rules",
        path(&rules),
        path(&input),
        "--out",
        path(&out),
    ];
    let first = run(&args, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr_of(&first));
    assert_eq!(stderr_of(&first), "");
    assert_eq!(
        fs::read_to_string(out.join("docs/page-0.md")).unwrap(),
        "# Page 0\n\nHypervisor runs on bare metal.\n"
    );
    // Up to date: a note, silenced too.
    let again = run(&args, &[]);
    assert_eq!((again.status.code(), stderr_of(&again)), (Some(0), String::new()));

    // A warning stays: a file that is not UTF-8 is copied as it is.
    fs::write(input.join("docs/latin1.md"), b"Harvester caf\xe9\n").unwrap();
    let warned = run(&args, &[]);
    assert_eq!(warned.status.code(), Some(0));
    assert_eq!(
        stderr_of(&warned),
        "warning: 1 file is not valid UTF-8 and was left as it is:\n  docs/latin1.md\n"
    );
}

#[test]
fn quiet_audit_prints_its_findings_and_exit_status_and_no_summary() {
    let tmp = TempDir::new().unwrap();
    let (input, rules) = tree(&tmp);
    // Judged as branded, every mention is a leak: exit 1.
    let loud = run(&["audit", "--rules", path(&rules), path(&input)], &[]);
    let quiet = run(&["audit", "-q", "--rules", path(&rules), path(&input)], &[]);
    assert_eq!(loud.status.code(), Some(1));
    assert_eq!(quiet.status.code(), Some(1));
    assert!(stdout_of(&quiet).contains("error[leak]"), "{}", stdout_of(&quiet));
    assert_eq!(quiet.stdout, loud.stdout);
    assert!(!loud.stderr.is_empty());
    assert_eq!(stderr_of(&quiet), "");
}

#[test]
fn quiet_never_silences_an_error() {
    let tmp = TempDir::new().unwrap();
    let (_, rules) = tree(&tmp);
    let missing = tmp.path().join("missing");
    let out = run(&["-q", "preview", "--rules", path(&rules), path(&missing)], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).starts_with("error: cannot read input `"),
        "{}",
        stderr_of(&out)
    );
    let init = run(
        &[
            "init",
            "-q",
            "--from",
            "Harvester",
            "--to",
            "Hypervisor",
            path(&missing),
        ],
        &[],
    );
    assert_eq!(init.status.code(), Some(2));
    assert!(stderr_of(&init).starts_with("error: "), "{}", stderr_of(&init));
}

#[test]
fn quiet_and_verbose_together_are_a_usage_error() {
    let out = run(&["-q", "-v", "completions", "bash"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr_of(&out).contains("cannot be used with"),
        "{}",
        stderr_of(&out)
    );
}

#[test]
fn verbose_lists_the_references_links_sets_aside_and_quiet_only_the_broken() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links");
    let normal = run(&["links", path(&fixture)], &[]);
    let verbose = run(&["links", "-v", path(&fixture)], &[]);
    let quiet = run(&["links", "-q", path(&fixture)], &[]);
    for out in [&normal, &verbose, &quiet] {
        assert_eq!(out.status.code(), Some(1), "three broken");
        assert_eq!(out.stdout, normal.stdout, "the broken references");
    }
    let aside = "  2 references into folders a plugin generates at build time (OpenAPI docs) that no \
                 spec of the tree tells about are set aside, not counted";
    let normal = stderr_of(&normal);
    assert!(normal.contains(&format!("{aside} (-v lists them)\n")), "{normal}");
    let verbose = stderr_of(&verbose);
    assert!(
        verbose.ends_with(&format!(
            "{aside}:\n    versioned_docs/version-v1.5/troubleshooting/harvester.md:8: \
             `/v1.5/api/create-namespaced-virtual-machine-image`: `versioned_docs/version-v1.5/api` \
             is generated at build time (docusaurus-plugin-openapi-docs) and is not in the tree\n    \
             versioned_sidebars/version-v1.5-sidebars.json:16: `api/harvester-apis`: \
             `versioned_docs/version-v1.5/api` is generated at build time \
             (docusaurus-plugin-openapi-docs) and is not in the tree\n"
        )),
        "{verbose}"
    );
    assert_eq!(stderr_of(&quiet), "");
}

#[test]
fn verbose_changes_nothing_where_nothing_is_abbreviated() {
    let tmp = TempDir::new().unwrap();
    let (input, rules) = tree(&tmp);
    let plain = run(&["preview", "--rules", path(&rules), path(&input)], &[]);
    let verbose = run(&["preview", "-vv", "--rules", path(&rules), path(&input)], &[]);
    assert_eq!(verbose.status.code(), Some(0));
    assert_eq!(verbose.stdout, plain.stdout);
    assert_eq!(no_elapsed(&stderr_of(&verbose)), no_elapsed(&stderr_of(&plain)));
}

// ---------------------------------------------------------------------------------------
// Colour
// ---------------------------------------------------------------------------------------

/// A preview of the tree on pipes, with `envs` and `--color` when given: whether standard
/// output and standard error hold an escape.
fn preview_escapes(color: Option<&str>, envs: &[(&str, &str)]) -> (bool, bool) {
    let tmp = TempDir::new().unwrap();
    let (input, rules) = tree_of(&tmp, 2);
    let mut args = vec!["preview", "--rules", path(&rules), path(&input)];
    if let Some(c) = color {
        args.extend(["--color", c]);
    }
    let out = run(&args, envs);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    (out.stdout.contains(&0x1b), out.stderr.contains(&0x1b))
}

#[test]
fn clicolor_force_and_force_color_colour_a_pipe() {
    assert_eq!(preview_escapes(None, &[]), (false, false));
    assert_eq!(preview_escapes(None, &[("CLICOLOR_FORCE", "1")]), (true, true));
    assert_eq!(preview_escapes(None, &[("FORCE_COLOR", "1")]), (true, true));
    assert_eq!(preview_escapes(None, &[("FORCE_COLOR", "true")]), (true, true));
    // `0` and empty force nothing.
    assert_eq!(preview_escapes(None, &[("FORCE_COLOR", "0")]), (false, false));
    assert_eq!(preview_escapes(None, &[("CLICOLOR_FORCE", "")]), (false, false));
}

#[test]
fn the_flag_beats_no_color_which_beats_the_forcing_variables() {
    let both = [("NO_COLOR", "1"), ("FORCE_COLOR", "1"), ("CLICOLOR_FORCE", "1")];
    assert_eq!(preview_escapes(None, &both), (false, false));
    assert_eq!(preview_escapes(Some("always"), &both), (true, true));
    assert_eq!(
        preview_escapes(Some("never"), &[("FORCE_COLOR", "1")]),
        (false, false)
    );
}

#[test]
fn every_command_takes_color_before_or_after_its_name() {
    let tmp = TempDir::new().unwrap();
    let (input, rules) = tree_of(&tmp, 1);
    let page = input.join("docs/page-0.md").display().to_string();
    let cases: Vec<Vec<&str>> = vec![
        vec!["--color", "never", "test-rules", path(&rules)],
        vec!["test-rules", path(&rules), "--color", "always"],
        vec![
            "explain",
            "--rules",
            path(&rules),
            "--root",
            path(&input),
            &page,
            "--color",
            "never",
        ],
        vec![
            "init",
            "--from",
            "Harvester",
            "--to",
            "Hypervisor",
            path(&input),
            "--color",
            "never",
        ],
        vec!["completions", "fish", "--color", "never"],
        vec!["man", "--color", "always"],
    ];
    for args in cases {
        let out = rebrand().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr_of(&out));
    }
}

#[test]
fn rule_file_diagnostics_are_coloured_when_colour_is_on() {
    let tmp = TempDir::new().unwrap();
    let (input, _) = tree_of(&tmp, 1);
    let rules = tmp.path().join("bad.toml");
    fs::write(
        &rules,
        "[[substitution]]\nfrm = \"Harvester\"\nto = \"Hypervisor\"\n",
    )
    .unwrap();
    let args = ["preview", "--rules", path(&rules), path(&input)];
    let plain = run(&args, &[]);
    assert_eq!(plain.status.code(), Some(2));
    let plain = stderr_of(&plain);
    assert!(plain.starts_with("error: unknown field `frm`"), "{plain}");
    assert!(!plain.contains('\x1b'), "{plain}");

    let escapes = regex::Regex::new("\x1b\\[[0-9;]*m").unwrap();
    for forced in [("FORCE_COLOR", "1"), ("CLICOLOR_FORCE", "1")] {
        let coloured = run(&args, &[forced]);
        assert_eq!(coloured.status.code(), Some(2));
        let coloured = stderr_of(&coloured);
        assert!(
            coloured.starts_with("\x1b[1m\x1b[31merror:\x1b[0m\x1b[1m unknown field `frm`"),
            "{coloured:?}"
        );
        assert!(coloured.contains("\x1b[36m-->\x1b[0m"), "{coloured:?}");
        // Without its escapes, the same text.
        let stripped = escapes.replace_all(&coloured, "");
        assert_eq!(stripped, plain);
    }
    // Any other error gets a coloured prefix.
    let missing = run(
        &[
            "preview",
            "--rules",
            "nope.toml",
            path(&input),
            "--color",
            "always",
        ],
        &[],
    );
    assert!(
        stderr_of(&missing).starts_with("\x1b[1m\x1b[31merror:\x1b[0m cannot read rule file"),
        "{:?}",
        stderr_of(&missing)
    );
}

// ---------------------------------------------------------------------------------------
// The progress display
// ---------------------------------------------------------------------------------------

/// With the progress display's delay at 0, it would draw as soon as the run starts: on a
/// pipe it still draws nothing, and standard error is what it is without it.
#[test]
fn no_progress_reaches_a_pipe() {
    let tmp = TempDir::new().unwrap();
    let (input, rules) = tree_of(&tmp, 400);
    let out = tmp.path().join("out");
    for args in [
        vec!["preview", "--rules", path(&rules), path(&input)],
        vec!["audit", "--upstream", "--rules", path(&rules), path(&input)],
        vec![
            "apply",
            "--rules",
            path(&rules),
            path(&input),
            "--out",
            path(&out),
        ],
    ] {
        let mut immediate = rebrand();
        immediate
            .args(&args)
            .env("REBRAND_PROGRESS_DELAY_MS", "0")
            .env_remove("CI");
        let with = immediate.output().unwrap();
        assert_eq!(with.status.code(), Some(0), "{args:?}: {}", stderr_of(&with));
        let stderr = stderr_of(&with);
        assert!(
            !stderr.contains('\r') && !stderr.contains('\x1b'),
            "{args:?}: {stderr:?}"
        );
        assert!(!stderr.contains("/400 files, "), "{args:?}: {stderr:?}");
        if args[0] != "apply" {
            let without = rebrand().args(&args).output().unwrap();
            assert_eq!(no_elapsed(&stderr), no_elapsed(&stderr_of(&without)), "{args:?}");
        }
    }
}

/// The control of [`no_progress_reaches_a_pipe`]: on a terminal (a pseudo-terminal from
/// `script`) the same run draws the bar, unless `-q` or `CI` is set; a command that prints as
/// it goes (`init`) never draws it.
#[cfg(target_os = "linux")]
#[test]
fn progress_shows_on_a_terminal_but_not_with_quiet_or_in_ci() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        panic!("this test needs `script` (util-linux) to run rebrand on a pseudo-terminal");
    }
    let tmp = TempDir::new().unwrap();
    let (input, rules) = tree_of(&tmp, 3000);
    let on_tty = |extra: &str, ci: bool| {
        let line = format!(
            "'{}' {extra} '{}' >/dev/null",
            env!("CARGO_BIN_EXE_rebrand"),
            input.display()
        );
        let mut cmd = std::process::Command::new("script");
        cmd.args(["-q", "-e", "-c", &line, "/dev/null"])
            .env("REBRAND_PROGRESS_DELAY_MS", "0")
            .env("NO_COLOR", "1")
            .env_remove("CI");
        if ci {
            cmd.env("CI", "true");
        }
        let out = cmd.output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let audit = format!("audit --upstream --rules '{}'", rules.display());
    let shown = on_tty(&audit, false);
    assert!(shown.contains("/3000 files, "), "{shown:?}");
    for (extra, ci) in [(format!("-q {audit}"), false), (audit.clone(), true)] {
        let hidden = on_tty(&extra, ci);
        assert!(!hidden.contains("/3000 files, "), "{extra} CI={ci}: {hidden:?}");
    }
    let init = on_tty("init --from Harvester --to Hypervisor", false);
    assert!(!init.contains("reading the tree"), "{init:?}");
}
