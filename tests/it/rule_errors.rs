//! Rule-file errors, end to end: every way a rule file can be wrong, run through the real
//! binary. Each refused file is run three ways (`preview`, `apply`, `test-rules`), which
//! must exit 2, print nothing on standard output, write nothing, and print the same
//! standard error; that standard error is pinned whole by a snapshot
//! (`tests/it/snapshots/it__rule_errors__*.snap`) and checked to name the file, line and column,
//! the key or the rule, with a caret under the spot the TOML parser gave.
//!
//! Commands run in a temporary folder holding `rules.toml`, so messages name `rules.toml`;
//! the folder's path, should it appear, is replaced by `[tmp]`.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::common::rebrand;

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// The bundled example tree (read only: `preview` writes nothing, and `apply` is refused).
fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/harvester-docs")
}

/// A temporary folder holding `rules.toml` with `toml` in it.
fn rules_in_tmp(toml: &str) -> TempDir {
    let tmp = TempDir::new().unwrap();
    fs::write(tmp.path().join("rules.toml"), toml).unwrap();
    tmp
}

/// `text` with the temporary folder's path replaced by `[tmp]`.
fn stable(text: &[u8], tmp: &Path) -> String {
    String::from_utf8(text.to_vec())
        .unwrap()
        .replace(&tmp.display().to_string(), "[tmp]")
}

/// Runs `preview`, `apply` and `test-rules` with `toml` as the rule file; each must exit 2,
/// print nothing on standard output and create no output, and all must print the same
/// standard error, which is returned.
fn refused(toml: &str) -> String {
    let tmp = rules_in_tmp(toml);
    let example = example();
    let example = example.to_str().unwrap();
    let command_lines: [&[&str]; 3] = [
        &["preview", "--rules", "rules.toml", example, "--color", "never"],
        &["apply", "--rules", "rules.toml", example, "--out", "branded"],
        &["test-rules", "rules.toml"],
    ];
    let mut stderrs = Vec::new();
    for args in command_lines {
        let out = rebrand().current_dir(tmp.path()).args(args).output().unwrap();
        let stderr = stable(&out.stderr, tmp.path());
        assert_eq!(
            out.status.code(),
            Some(2),
            "`rebrand {}`: {stderr}",
            args.join(" ")
        );
        assert_eq!(
            stable(&out.stdout, tmp.path()),
            "",
            "`rebrand {}`",
            args.join(" ")
        );
        stderrs.push((args.join(" "), stderr));
    }
    for (args, stderr) in &stderrs {
        assert_eq!(stderr, &stderrs[0].1, "`rebrand {args}` reports differently");
    }
    let entries: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["rules.toml"], "a refused run wrote something");
    stderrs.remove(0).1
}

/// Checks that the first diagnostic of `stderr` is a `level` (`error` or `warning`) whose
/// message names every one of `names` (keys, rule ids, values), located at
/// `rules.toml:line:column`, quoting that line with a caret of `width` under the column.
fn assert_located(stderr: &str, level: &str, names: &[&str], line: usize, column: usize, width: usize) {
    let lines: Vec<&str> = stderr.lines().collect();
    let message = lines[0]
        .strip_prefix(&format!("{level}: "))
        .unwrap_or_else(|| panic!("no `{level}:` first line: {stderr}"));
    for name in names {
        assert!(
            message.contains(name),
            "the message does not name {name}: {message}"
        );
    }
    let location = format!("--> rules.toml:{line}:{column}");
    assert_eq!(lines[1].trim_start(), location, "{stderr}");
    let gutter = line.to_string().len();
    assert_eq!(lines[2], format!("{} |", " ".repeat(gutter)), "{stderr}");
    let quoted = lines[3]
        .strip_prefix(&format!("{line} | "))
        .unwrap_or_else(|| panic!("line {line} is not quoted: {stderr}"));
    let caret = lines[4]
        .strip_prefix(&format!("{} | ", " ".repeat(gutter)))
        .unwrap_or_else(|| panic!("no caret line: {stderr}"));
    let lead = caret.chars().take_while(|c| *c == ' ' || *c == '\t').count();
    assert_eq!(
        lead + 1,
        column,
        "the caret is not under column {column}: {stderr}"
    );
    assert_eq!(
        caret[lead..].to_string(),
        "^".repeat(width),
        "the caret is not {width} wide: {stderr}"
    );
    assert!(quoted.chars().count() >= column - 1, "{stderr}");
}

const BRAND: &str = "[[substitution]]\nid = \"brand\"\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n";

// ---------------------------------------------------------------------------------------
// One test per kind of error
// ---------------------------------------------------------------------------------------

#[test]
fn toml_syntax_error_is_located() {
    // An unterminated string: the parser stops at the end of its line.
    let stderr = refused("[[substitution]]\nid = \"brand\"\nfrom = \"Harvester\nto = \"Hypervisor\"\n");
    assert_located(&stderr, "error", &["invalid basic string"], 3, 18, 1);
    insta::assert_snapshot!(stderr);
}

#[test]
fn unknown_key_is_located_with_a_did_you_mean() {
    let stderr = refused("[[substitution]]\nfrm = \"Harvester\"\nto = \"Hypervisor\"\n");
    assert_located(&stderr, "error", &["unknown field `frm`"], 2, 1, 3);
    assert!(stderr.contains("= hint: did you mean `from`?"), "{stderr}");
    insta::assert_snapshot!(stderr);
    // A table name too.
    let stderr = refused("[substitutions]\nfrom = \"Harvester\"\n");
    assert_located(&stderr, "error", &["unknown field `substitutions`"], 1, 2, 13);
    assert!(
        stderr.contains("= hint: did you mean `substitution`?"),
        "{stderr}"
    );
}

#[test]
fn wrong_type_names_the_key() {
    let stderr = refused(&format!("{BRAND}word_boundary = \"yes\"\n"));
    assert_located(
        &stderr,
        "error",
        &["invalid type", "`substitution.word_boundary`"],
        5,
        17,
        5,
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn empty_from_is_refused() {
    let stderr = refused("[[substitution]]\nid = \"brand\"\nfrom = \"\"\nto = \"Hypervisor\"\n");
    assert_located(&stderr, "error", &["`from` is empty"], 3, 8, 2);
    insta::assert_snapshot!(stderr);
}

#[test]
fn duplicate_from_names_both_rules() {
    let stderr = refused(&format!(
        "{BRAND}\n[[substitution]]\nid = \"brand-again\"\nfrom = \"Harvester\"\nto = \"NQRust\"\n"
    ));
    assert_located(
        &stderr,
        "error",
        &[
            "duplicate `from` = `Harvester`",
            "`brand-again`",
            "`brand` (line 1)",
        ],
        6,
        1,
        16,
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn invalid_regex_shows_the_regex_error_under_its_spot() {
    let stderr = refused(&format!(
        "{BRAND}\n[[exception]]\nid = \"version\"\nregex = 'Harvester v(\\d+'\nreason = \"versions\"\n"
    ));
    // The caret is under the unclosed `(`, inside the regex.
    assert_located(
        &stderr,
        "error",
        &["invalid regex `Harvester v(\\d+`", "unclosed group"],
        8,
        21,
        1,
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn regex_that_matches_the_empty_string_is_refused() {
    let stderr = refused(&format!(
        "{BRAND}\n[[exception]]\nid = \"optional\"\nregex = '(Harvester Cloud)?'\nreason = \"r\"\n"
    ));
    assert_located(
        &stderr,
        "error",
        &["regex `(Harvester Cloud)?`", "matches the empty string"],
        8,
        9,
        20,
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn regex_over_the_size_limit_says_the_limit() {
    let stderr = refused(&format!(
        "{BRAND}\n[[exception]]\nid = \"long-words\"\nregex = '\\w{{1000}}'\nreason = \"r\"\n"
    ));
    assert_located(
        &stderr,
        "error",
        &["regex `\\w{1000}` is too big", "1 MiB (1048576 bytes)"],
        8,
        9,
        10,
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn rule_set_that_is_not_idempotent_is_refused() {
    // A chain: the first rule's whole output is the second rule's `from` (a "Vendor X" name
    // such as `Fleet` -> `NQRust Fleet` is not one: its output is kept as it reads).
    let stderr = refused(
        "# Two steps at once.\n[[substitution]]\nid = \"brand\"\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n[[substitution]]\nid = \"full\"\nfrom = \"Hypervisor\"\nto = \"NQRust Hypervisor\"\n",
    );
    assert_located(
        &stderr,
        "error",
        &["rule `brand` is not idempotent", "`Hypervisor`", "rule `full`"],
        2,
        1,
        16,
    );
    insta::assert_snapshot!(stderr);
}

#[test]
fn exception_that_can_never_meet_a_substitution_is_a_warning() {
    // `case = "exact"` (the default) never matches `harvester-system`, and a regex that
    // only covers lower case meets nothing either; the menu path does meet `Harvester`.
    let tmp = rules_in_tmp(&format!(
        "{BRAND}\n[[exception]]\nid = \"namespace\"\nliteral = \"harvester-system\"\nreason = \"r\"\n\n\
         [[exception]]\nregex = 'harvester-[a-z]+'\nreason = \"r\"\n\n\
         [[exception]]\nid = \"menu\"\nregex = 'Virtualization Management > Harvester Clusters?'\nreason = \"r\"\n"
    ));
    let out = rebrand()
        .current_dir(tmp.path())
        .args(["preview", "--rules", "rules.toml", "--stat", "--color", "never"])
        .arg(example())
        .output()
        .unwrap();
    let stderr = stable(&out.stderr, tmp.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning does not stop the run: {stderr}"
    );
    assert!(
        String::from_utf8(out.stdout).unwrap().contains("docs/"),
        "the run went on"
    );
    assert_located(
        &stderr,
        "warning",
        &["exception `namespace` can never meet a substitution"],
        8,
        11,
        18,
    );
    let second = &stderr[stderr.find("\n\nwarning: ").expect("a second warning") + 2..];
    assert_located(
        second,
        "warning",
        &["exception `/harvester-[a-z]+/` can never meet a substitution"],
        12,
        9,
        18,
    );
    assert_eq!(stderr.matches("warning: exception").count(), 2, "{stderr}");
    let re = regex::Regex::new(r"in \d+\.\d+ s\n").unwrap();
    insta::assert_snapshot!(re.replace_all(&stderr, "in [elapsed] s\n"));
    // `test-rules` warns the same way and passes.
    let out = rebrand()
        .current_dir(tmp.path())
        .args(["test-rules", "rules.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(stable(&out.stderr, tmp.path()).starts_with(&stderr[..stderr.find("rebrand:").unwrap()]));
}

#[test]
fn unknown_context_is_located_with_the_names() {
    let stderr = refused(&format!("{BRAND}contexts = [\"prose\", \"inline-code\"]\n"));
    assert_located(&stderr, "error", &["unknown context `inline-code`"], 5, 22, 13);
    assert!(stderr.contains("= hint: did you mean `inline_code`?"), "{stderr}");
    insta::assert_snapshot!(stderr);
}

#[test]
fn glob_that_does_not_parse_is_located() {
    let stderr = refused(&format!("{BRAND}paths = [\"docs/{{install,upgrade\"]\n"));
    assert_located(
        &stderr,
        "error",
        &[
            "invalid glob `docs/{install,upgrade` in `paths`",
            "unclosed alternate group",
        ],
        5,
        10,
        23,
    );
    insta::assert_snapshot!(stderr);
}

/// A `jsx_prose_props` entry that is no `Component.prop` glob is located, as a bad glob is.
#[test]
fn jsx_prop_that_is_no_glob_is_located() {
    let stderr = refused(&format!(
        "[files]\njsx_prose_props = [\"*.title\", \"Card\", \"{{Card.title\"]\n{BRAND}"
    ));
    assert_located(
        &stderr,
        "error",
        &[
            "invalid prop `Card` in `files.jsx_prose_props`",
            "is not `Component.prop`",
        ],
        2,
        31,
        6,
    );
    assert!(
        stderr.contains("invalid prop `{Card.title` in `files.jsx_prose_props`: unclosed alternate group"),
        "{stderr}"
    );
}

/// `test-rules` is a check: a failing `[[test]]` is a finding (exit 1), shown on standard
/// output as the place of its `expect` and a unified diff from it to what the rules gave.
#[test]
fn failing_rule_test_shows_a_diff_and_exits_1() {
    let tmp = rules_in_tmp(
        r#"[[substitution]]
from = "Harvester"
to = "Hypervisor"

[[test]]
name = "prose"
input = "Install Harvester."
expect = "Install Hypervisor."

[[test]]
name = "namespaces stay"
path = "docs/index.md"
input = "Harvester runs in `harvester-system`.\nSee the Harvester docs.\n"
expect = "Hypervisor runs in `hypervisor-system`.\nSee the Hypervisor docs.\n"
"#,
    );
    let out = rebrand()
        .current_dir(tmp.path())
        .args(["test-rules", "rules.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stable(&out.stderr, tmp.path()), "");
    let stdout = stable(&out.stdout, tmp.path());
    let failure = &stdout[stdout
        .find("FAIL  namespaces stay (rules.toml:10)\n")
        .expect("the failure")
        + 38..];
    assert_located(
        &format!("error: namespaces stay\n{failure}"),
        "error",
        &[],
        14,
        10,
        69,
    );
    assert!(
        stdout.contains(
            "--- expect\n+++ actual\n@@ -1,2 +1,2 @@\n\
             -Hypervisor runs in `hypervisor-system`.\n\
             +Hypervisor runs in `harvester-system`.\n \
             See the Hypervisor docs.\n"
        ),
        "{stdout}"
    );
    insta::assert_snapshot!(stdout);
    // `preview` and `apply` do not run the tests: the same rules brand a tree.
    rebrand()
        .current_dir(tmp.path())
        .args(["preview", "--rules", "rules.toml", "--stat"])
        .arg(example())
        .assert()
        .code(0);
}

#[test]
fn an_identity_marker_needs_one_pattern_and_a_known_key() {
    let stderr = refused(
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n[[identity]]\nid = \"site\"\nwhat = \"the upstream's web site\"\n",
    );
    assert_located(
        &stderr,
        "error",
        &["an identity marker needs exactly one of `literal` or `regex`"],
        5,
        1,
        1,
    );
    let stderr = refused(
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n[[identity]]\nliteral = \"GTM-1\"\nwaht = \"a tag id\"\n",
    );
    assert_located(&stderr, "error", &["unknown field `waht`"], 7, 1, 4);
    assert!(stderr.contains("= hint: did you mean `what`?"), "{stderr}");
}

/// Every table's mistake in one run, each at its place: two unknown keys in two tables.
#[test]
fn two_unknown_keys_in_two_tables_are_both_reported() {
    let stderr = refused(
        "[[substitution]]\nfrm = \"Harvester\"\nto = \"Hypervisor\"\n\n[[exception]]\nliteral = \"harvester-system\"\nreson = \"a namespace\"\n",
    );
    assert_located(&stderr, "error", &["unknown field `frm`"], 2, 1, 3);
    // The second diagnostic, after the first's blank line.
    let (_, second) = stderr.split_once("\n\n").unwrap();
    assert_located(second, "error", &["unknown field `reson`"], 7, 1, 5);
    assert!(
        stderr.contains("did you mean `from`?") && second.contains("did you mean `reason`?"),
        "{stderr}"
    );
}

/// The common wrong shapes get a hint that says the fix: a table of tables written with
/// single brackets, a list written as one string.
#[test]
fn wrong_shapes_get_a_hint_with_the_fix() {
    let stderr = refused("[substitution]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n");
    assert!(
        stderr.contains("invalid type: map, expected a sequence, for key `substitution`"),
        "{stderr}"
    );
    assert!(stderr.contains("double brackets (`[[substitution]]`"), "{stderr}");
    let stderr =
        refused("[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\ncontexts = \"prose\"\n");
    assert!(stderr.contains("for key `substitution.contexts`"), "{stderr}");
    assert!(
        stderr.contains("this key takes a list: write `[\"prose\"]`"),
        "{stderr}"
    );
}
