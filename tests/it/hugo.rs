//! End-to-end tests of a Hugo tree's structured files: the site config (`config.toml`, read
//! as TOML with Hugo's config prose key paths) and TOML front matter (`+++`), on lines of the
//! Longhorn website.

use std::fs;

use tempfile::TempDir;

use crate::common::apply_command;

/// Lines of the Longhorn website's `config.toml`.
const CONFIG: &str = r#"baseURL = "https://longhorn.io"
title = "Longhorn"

[params]
description = "Cloud native distributed block storage for Kubernetes"
locale = "en_US"

[[params.features]]
title = "Highly available persistent storage for Kubernetes"
text = """
Longhorn delivers simplified, easy to deploy and upgrade, 100% open source, cloud-native persistent block storage.
"""

[params.logos]
navbar = "longhorn-horizontal-color.png"

[[menu.main]]
name = "Longhorn Blog"
url = "/blog"
weight = 1
"#;

/// A page with TOML front matter (Longhorn's KB page front matter as `hugo convert toTOML`
/// writes it).
const PAGE: &str = "+++\ntitle = \"Longhorn backup store lock conflict\"\nslug = \"longhorn-backup-lock\"\ncategories = [\"Longhorn\"]\n+++\n\nLonghorn keeps a lock file.\n";

const RULES: &str = "[[substitution]]\nfrom = \"Longhorn\"\nto = \"NQRust Storage\"\n";

#[test]
fn a_hugo_config_and_toml_front_matter_are_branded_in_their_prose_only() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("site");
    fs::create_dir_all(input.join("content/kb")).unwrap();
    fs::write(input.join("config.toml"), CONFIG).unwrap();
    fs::write(input.join("content/kb/lock.md"), PAGE).unwrap();
    fs::write(dir.path().join("rules.toml"), RULES).unwrap();
    let out = dir.path().join("out");
    apply_command(&dir.path().join("rules.toml"), &input, &out)
        .assert()
        .success();
    let config = fs::read_to_string(out.join("config.toml")).unwrap();
    let expected = CONFIG
        .replace("title = \"Longhorn\"", "title = \"NQRust Storage\"")
        .replace("Longhorn delivers", "NQRust Storage delivers")
        .replace("Longhorn Blog", "NQRust Storage Blog");
    assert_eq!(config, expected);
    let page = fs::read_to_string(out.join("content/kb/lock.md")).unwrap();
    assert_eq!(
        page,
        PAGE.replace("\"Longhorn backup", "\"NQRust Storage backup")
            .replace("Longhorn keeps", "NQRust Storage keeps")
    );
}
