//! The GitHub Action (`action.yml`, issue 19): its definition (every step's script exists,
//! every input reaches the script, every action it uses pinned by commit), the script part
//! run against a fixture tree with a planted leak (annotations, a SARIF file, the exit codes
//! and the step outputs), and the install script against a release folder (`file://`), with
//! its checksum check.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn action() -> Yaml {
    let text = fs::read_to_string(repo().join("action.yml")).unwrap();
    YamlLoader::load_from_str(&text).unwrap().remove(0)
}

#[test]
fn the_action_runs_its_scripts_with_every_input_and_pins_what_it_uses() {
    let action = action();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let inputs: Vec<String> = action["inputs"]
        .as_hash()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    let steps = action["runs"]["steps"].as_vec().unwrap();
    let mut used_inputs = String::new();
    for step in steps {
        if let Some(run) = step["run"].as_str() {
            if let Some(script) = run.split("$GITHUB_ACTION_PATH/").nth(1) {
                let script = script.trim_end_matches('"');
                assert!(repo().join(script).is_file(), "{script}");
            }
        }
        if let Some(uses) = step["uses"].as_str() {
            let (_, rev) = uses.split_once('@').unwrap();
            assert!(
                rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit()),
                "{uses} is not pinned by commit"
            );
        }
        used_inputs += &format!("{:?}", step);
    }
    for input in &inputs {
        assert!(
            used_inputs.contains(&format!("inputs.{input}")),
            "input `{input}` reaches no step"
        );
    }
}

/// A branded tree `site/` with a leak on line 5 and its rule file, in a temporary folder.
fn planted_leak() -> tempfile::TempDir {
    let tmp = tempfile::TempDir::new().unwrap();
    let write = |name: &str, text: &str| {
        let path = tmp.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "rules.toml",
        "[[substitution]]\nid = \"brand\"\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n",
    );
    write("site/docusaurus.config.js", "module.exports = {};\n");
    write(
        "site/docs/a.md",
        "# Guide\n\nInstall Hypervisor.\n\nThen Harvester runs.\n",
    );
    tmp
}

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rebrand"))
}

/// `scripts/action/run.sh` in `dir` with the environment `env`: (exit code, standard output,
/// the step outputs it wrote).
fn run_script(dir: &Path, env: &[(&str, &str)]) -> (i32, String, String) {
    let outputs = dir.join("github-output");
    fs::write(&outputs, "").unwrap();
    let out = Command::new("bash")
        .arg(repo().join("scripts/action/run.sh"))
        .current_dir(dir)
        .env("REBRAND_BIN", bin())
        .env("GITHUB_OUTPUT", &outputs)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        fs::read_to_string(&outputs).unwrap(),
    )
}

#[test]
fn the_script_part_annotates_the_leak_or_writes_sarif_and_exits_as_asked() {
    let tmp = planted_leak();
    let base = [("REBRAND_RULES", "rules.toml"), ("REBRAND_TREE", "site")];
    let (code, out, outputs) = run_script(tmp.path(), &base);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("::error file=site/docs/a.md,line=5,col=6,title=rebrand leak::"),
        "{out}"
    );
    assert_eq!(outputs, "exit-code=1\n");

    let mut env = base.to_vec();
    env.extend([("REBRAND_FORMAT", "sarif"), ("REBRAND_FAIL_ON_FINDINGS", "false")]);
    let (code, _, outputs) = run_script(tmp.path(), &env);
    assert_eq!(code, 0, "findings do not fail the step when asked not to");
    assert_eq!(outputs, "exit-code=1\nsarif-file=rebrand.sarif\n");
    let log: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(tmp.path().join("rebrand.sarif")).unwrap()).unwrap();
    let region = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 5);

    // test-rules and links through the same script; a usage error always fails.
    let (code, _, _) = run_script(
        tmp.path(),
        &[("REBRAND_COMMAND", "test-rules"), ("REBRAND_RULES", "rules.toml")],
    );
    assert_eq!(code, 0);
    let (code, _, _) = run_script(
        tmp.path(),
        &[("REBRAND_COMMAND", "links"), ("REBRAND_TREE", "site")],
    );
    assert_eq!(code, 0);
    let (code, _, _) = run_script(tmp.path(), &[("REBRAND_COMMAND", "audit")]);
    assert_eq!(code, 2, "audit needs a rule file");
    let (code, _, _) = run_script(
        tmp.path(),
        &[
            ("REBRAND_COMMAND", "audit"),
            ("REBRAND_RULES", "missing.toml"),
            ("REBRAND_FAIL_ON_FINDINGS", "false"),
        ],
    );
    assert_eq!(code, 2, "an input error fails even without fail-on-findings");
}

/// The install script against a release folder holding this build's binary as the release
/// workflow packs it: it installs and puts the folder on the path; a wrong checksum refuses.
#[test]
fn the_install_script_checks_the_archive_and_puts_the_binary_on_the_path() {
    if Command::new("curl").arg("--version").output().is_err() {
        eprintln!("skipping: no curl");
        return;
    }
    let target = match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => "x86_64-unknown-linux-musl",
        ("linux", "aarch64") => "aarch64-unknown-linux-musl",
        _ => {
            eprintln!("skipping: the test packs a Linux release");
            return;
        }
    };
    let tmp = tempfile::TempDir::new().unwrap();
    let release = tmp.path().join("release");
    let pack = tmp.path().join("pack");
    fs::create_dir_all(&release).unwrap();
    // As .github/workflows/release.yml packs it: the binary in a folder named as the archive.
    let folder = format!("rebrand-v9.9.9-{target}");
    fs::create_dir_all(pack.join(&folder)).unwrap();
    fs::copy(bin(), pack.join(&folder).join("rebrand")).unwrap();
    let archive = format!("{folder}.tar.gz");
    let status = Command::new("tar")
        .args(["-czf"])
        .arg(release.join(&archive))
        .arg("-C")
        .arg(&pack)
        .arg(&folder)
        .status()
        .unwrap();
    assert!(status.success());
    let sum = Command::new("sha256sum")
        .arg(&archive)
        .current_dir(&release)
        .output()
        .unwrap();
    fs::write(release.join(format!("{archive}.sha256")), &sum.stdout).unwrap();
    let runner_temp = tmp.path().join("runner");
    fs::create_dir_all(&runner_temp).unwrap();
    let path_file = tmp.path().join("github-path");
    let install = || {
        Command::new("bash")
            .arg(repo().join("scripts/action/install.sh"))
            .env("REBRAND_VERSION", "9.9.9")
            .env("REBRAND_RELEASE_URL", format!("file://{}", release.display()))
            .env("RUNNER_TEMP", &runner_temp)
            .env("GITHUB_PATH", &path_file)
            .env_remove("RUNNER_OS")
            .env_remove("RUNNER_ARCH")
            .output()
            .unwrap()
    };
    let out = install();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let installed = runner_temp.join("rebrand-v9.9.9");
    assert_eq!(
        fs::read_to_string(&path_file).unwrap(),
        format!("{}\n", installed.display())
    );
    let version = Command::new(installed.join("rebrand"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("rebrand "));

    fs::write(
        release.join(format!("{archive}.sha256")),
        format!("{}  {archive}\n", "0".repeat(64)),
    )
    .unwrap();
    let out = install();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("checksum mismatch"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
