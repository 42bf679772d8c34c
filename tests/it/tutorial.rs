//! `docs/tutorial.md` runs as written: every ```sh block, in order, in one working folder,
//! with the `rebrand` under test first on `PATH` and `REBRAND_SRC` naming this checkout. A
//! block's info string may give the exit status it ends with (```sh exit=1: the audit's
//! findings); a block without one must exit 0. Blocks of other languages (the output shown,
//! the rule file) are not run.

use std::path::Path;
use std::process::Command;

use crate::common;

/// One runnable block: its line in the tutorial, its expected exit status, its text.
struct Block {
    line: usize,
    exit: i32,
    script: String,
}

/// The ```sh blocks of `markdown`, with the exit status each says it ends with.
fn sh_blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in markdown.lines().enumerate() {
        match open.as_mut() {
            None => {
                let Some(info) = line.strip_prefix("```") else {
                    continue;
                };
                let mut words = info.split_whitespace();
                if words.next() == Some("sh") {
                    let exit = words
                        .find_map(|w| w.strip_prefix("exit="))
                        .map_or(0, |n| n.parse().expect("exit=N takes a number"));
                    open = Some(Block {
                        line: i + 1,
                        exit,
                        script: String::new(),
                    });
                } else if !info.is_empty() {
                    // Another language's block: skip to its end.
                    open = Some(Block {
                        line: 0,
                        exit: -1,
                        script: String::new(),
                    });
                }
            }
            Some(block) if line == "```" => {
                if block.exit >= 0 {
                    blocks.push(open.take().unwrap());
                } else {
                    open = None;
                }
            }
            Some(block) => {
                block.script.push_str(line);
                block.script.push('\n');
            }
        }
    }
    assert!(open.is_none(), "a code block of the tutorial is not closed");
    blocks
}

#[test]
fn every_command_of_the_tutorial_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tutorial = std::fs::read_to_string(root.join("docs/tutorial.md")).expect("docs/tutorial.md reads");
    let blocks = sh_blocks(&tutorial);
    assert!(blocks.len() >= 8, "{} blocks", blocks.len());
    let bin = assert_cmd::cargo::cargo_bin("rebrand");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let work = tempfile::tempdir().unwrap();
    let mut log = String::new();
    for block in &blocks {
        let out = Command::new("bash")
            .args(["-euo", "pipefail", "-c", &block.script])
            .current_dir(work.path())
            .env("PATH", &path)
            .env("REBRAND_SRC", root)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env("GIT_AUTHOR_NAME", "Tutorial")
            .env("GIT_AUTHOR_EMAIL", "tutorial@example.com")
            .env("GIT_COMMITTER_NAME", "Tutorial")
            .env("GIT_COMMITTER_EMAIL", "tutorial@example.com")
            .output()
            .unwrap();
        log.push_str(&format!(
            "== docs/tutorial.md:{} (exit {})\n{}{}{}",
            block.line,
            out.status.code().unwrap_or(-1),
            block.script,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
        assert_eq!(
            out.status.code(),
            Some(block.exit),
            "the block at docs/tutorial.md:{} exits {:?}, not {}:\n{log}",
            block.line,
            out.status.code(),
            block.exit
        );
    }
    // What the tutorial promises: the branded pages read as the new brand, without the
    // stutters the first draft of the rules made, and the sync kept the vendor's edit.
    let branded = common::entries(&work.path().join("branded"));
    let pages: Vec<String> = branded
        .iter()
        .filter(|(p, _)| p.ends_with(".md"))
        .map(|(_, e)| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert!(pages.len() >= 5, "{log}");
    let text = pages.join("\n");
    assert!(text.contains("NQRust Storage"), "{log}");
    // "NQRust Storage StorageClasses" is the Kubernetes term after the name, no stutter.
    let stutter = regex::Regex::new(r"(?i)\bnqrust storage storage\b").unwrap();
    assert!(!stutter.is_match(&text), "{log}");
    assert!(!text.contains("a NQRust Storage"), "{log}");
}
