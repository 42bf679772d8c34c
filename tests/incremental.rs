//! Incremental apply: an output that is already what `apply` would write is left alone;
//! any change to the input, the rules or the output itself makes `apply` write again.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

fn apply(rules: &Path, input: &Path, out: &Path) -> String {
    let out = Command::cargo_bin("rebrand")
        .unwrap()
        .arg("apply")
        .arg("--rules")
        .arg(rules)
        .arg(input)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn an_up_to_date_output_is_left_alone_and_any_change_writes_again() {
    let tmp = TempDir::new().unwrap();
    let (input, out, rules) = (
        tmp.path().join("in"),
        tmp.path().join("out"),
        tmp.path().join("rules.toml"),
    );
    fs::create_dir_all(input.join("docs")).unwrap();
    fs::write(input.join("docs/a.md"), "Install Harvester.\n").unwrap();
    fs::write(input.join("docs/b.md"), "Harvester b.\n").unwrap();
    fs::write(
        &rules,
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n",
    )
    .unwrap();
    let up_to_date = |stderr: &str| stderr.contains("is up to date");

    assert!(!up_to_date(&apply(&rules, &input, &out)));
    let written = fs::metadata(out.join("docs/a.md")).unwrap().modified().unwrap();
    assert!(up_to_date(&apply(&rules, &input, &out)));
    assert_eq!(
        fs::metadata(out.join("docs/a.md")).unwrap().modified().unwrap(),
        written
    );

    // The output edited by hand: apply restores it.
    fs::write(out.join("docs/a.md"), "edited\n").unwrap();
    assert!(!up_to_date(&apply(&rules, &input, &out)));
    assert_eq!(
        fs::read_to_string(out.join("docs/a.md")).unwrap(),
        "Install Hypervisor.\n"
    );
    assert!(up_to_date(&apply(&rules, &input, &out)));

    // An input file changed, added, removed.
    fs::write(input.join("docs/a.md"), "Install Harvester now.\n").unwrap();
    assert!(!up_to_date(&apply(&rules, &input, &out)));
    fs::write(input.join("docs/c.md"), "c\n").unwrap();
    assert!(!up_to_date(&apply(&rules, &input, &out)));
    fs::remove_file(input.join("docs/b.md")).unwrap();
    assert!(!up_to_date(&apply(&rules, &input, &out)));
    assert!(!out.join("docs/b.md").exists());
    assert!(up_to_date(&apply(&rules, &input, &out)));

    // The rules changed.
    fs::write(
        &rules,
        "[[substitution]]\nfrom = \"Harvester\"\nto = \"NQRust\"\n",
    )
    .unwrap();
    assert!(!up_to_date(&apply(&rules, &input, &out)));
    assert_eq!(
        fs::read_to_string(out.join("docs/a.md")).unwrap(),
        "Install NQRust now.\n"
    );
}
