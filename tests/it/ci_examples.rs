//! The CI examples in `examples/ci/`: the GitHub Actions workflow's structure (triggers,
//! permissions, the sync step, the pull request with the report as its body, the failure on a
//! non-zero sync status), and the bash script run end to end with the built binary, in the
//! workflow's layout (the upstream checkout inside the branded repository).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_yaml::Value;
use tempfile::TempDir;

use crate::common;

fn ci_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci")
}

// ---------------------------------------------------------------------------------------
// The workflow
// ---------------------------------------------------------------------------------------

fn workflow() -> Value {
    let path = ci_dir().join("rebrand-sync.yml");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `value[key]` as a string, or `None`.
fn str_at<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// The steps of the workflow's one job.
fn steps(wf: &Value) -> Vec<Value> {
    let jobs = wf["jobs"].as_mapping().expect("`jobs` is a mapping");
    assert_eq!(jobs.len(), 1, "one job");
    let job = jobs.values().next().unwrap();
    assert!(str_at(job, "runs-on").is_some(), "the job names its runner");
    job["steps"].as_sequence().expect("the job has steps").clone()
}

/// The index of the one step that `uses` an action starting with `action`.
fn step_using(steps: &[Value], action: &str) -> usize {
    let found: Vec<usize> = (0..steps.len())
        .filter(|&i| str_at(&steps[i], "uses").is_some_and(|u| u.starts_with(action)))
        .collect();
    assert_eq!(found.len(), 1, "one step uses {action}: {found:?}");
    found[0]
}

/// The argument after `flag` in a shell command line.
fn arg_after<'a>(run: &'a str, flag: &str) -> Option<&'a str> {
    let mut words = run.split_whitespace();
    words.find(|w| *w == flag)?;
    words.next().map(|w| w.trim_matches('"'))
}

#[test]
fn workflow_runs_daily_and_by_hand_with_write_permissions() {
    let wf = workflow();
    // YAML 1.2 (serde_yaml): `on` is a string key, not `true`.
    let on = &wf["on"];
    let schedule = on["schedule"].as_sequence().expect("`on.schedule` is a list");
    assert!(!schedule.is_empty(), "a schedule");
    for entry in schedule {
        let cron = str_at(entry, "cron").expect("each schedule entry has a `cron` string");
        assert_eq!(cron.split_whitespace().count(), 5, "cron `{cron}` has 5 fields");
        // Daily: a fixed minute and hour, every day of every month.
        let fields: Vec<&str> = cron.split_whitespace().collect();
        assert!(
            fields[..2].iter().all(|f| f.parse::<u32>().is_ok()),
            "cron `{cron}` is daily"
        );
        assert_eq!(fields[2..], ["*", "*", "*"], "cron `{cron}` is daily");
    }
    let dispatch = on.get("workflow_dispatch").expect("`on.workflow_dispatch`");
    let inputs = dispatch["inputs"]
        .as_mapping()
        .expect("workflow_dispatch has inputs");
    let (name, input) = inputs.iter().next().expect("an input for the upstream ref");
    assert!(
        name.as_str().unwrap().contains("ref"),
        "the input names the upstream ref"
    );
    assert_eq!(
        input["required"],
        Value::Bool(false),
        "the upstream ref is optional"
    );

    let perms = &wf["permissions"];
    assert_eq!(str_at(perms, "contents"), Some("write"), "pushes the sync branch");
    assert_eq!(
        str_at(perms, "pull-requests"),
        Some("write"),
        "opens the pull request"
    );
}

#[test]
fn workflow_syncs_opens_the_pull_request_and_fails_on_a_non_zero_status() {
    let wf = workflow();
    let steps = steps(&wf);
    // Every action pinned by commit, but the placeholder for the vendor's copy of rebrand;
    // a time limit on the job.
    let job = wf["jobs"].as_mapping().unwrap().values().next().unwrap();
    assert!(
        job["timeout-minutes"].as_u64().is_some(),
        "the job sets timeout-minutes"
    );
    for uses in steps.iter().filter_map(|s| str_at(s, "uses")) {
        let (action, rev) = uses.split_once('@').unwrap();
        let pinned = rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit());
        assert!(
            pinned || action == "YOUR-ORG/rebrand",
            "{uses} is not pinned by commit"
        );
    }
    // Two checkouts: the branded repository with full history, upstream into a subfolder.
    let checkouts: Vec<&Value> = steps
        .iter()
        .filter(|s| str_at(s, "uses").is_some_and(|u| u.starts_with("actions/checkout@")))
        .collect();
    assert_eq!(checkouts.len(), 2, "two checkouts");
    assert_eq!(
        checkouts[0]["with"]["fetch-depth"],
        Value::from(0),
        "branded repository: full history"
    );
    let upstream = &checkouts[1]["with"];
    assert_eq!(str_at(upstream, "repository"), Some("harvester/docs"));
    let upstream_path = str_at(upstream, "path").expect("upstream is checked out into a subfolder");
    // The sync step: the rebrand Action (a prebuilt release, no compile) running `sync`,
    // whose exit code is a step output and whose findings (conflicts) do not fail the step.
    let sync = step_using(&steps, "YOUR-ORG/rebrand@");
    let with = &steps[sync]["with"];
    let sync_id = str_at(&steps[sync], "id").expect("the sync step has an id for its outputs");
    assert_eq!(str_at(with, "command"), Some("sync"));
    assert_eq!(
        str_at(with, "downstream"),
        Some("."),
        "sync writes the branded repository"
    );
    assert!(str_at(with, "rules").is_some(), "sync names the rule file");
    assert_eq!(
        str_at(with, "fail-on-findings"),
        Some("false"),
        "conflicts still open the pull request"
    );
    // `${{ runner.temp }}` is expanded before the Action splits its arguments on spaces.
    let args = str_at(with, "args")
        .expect("the Action gets sync's own arguments")
        .replace("${{ runner.temp }}", "$RUNNER_TEMP");
    let args = args.as_str();
    assert!(
        arg_after(args, "--upstream-rev").is_some(),
        "sync labels the upstream revision"
    );
    // Sync reads the upstream checkout moved out of the branded tree, without its .git, by an
    // earlier step (`${{ runner.temp }}` in the workflow is `$RUNNER_TEMP` in the shell).
    let upstream_arg = str_at(with, "upstream")
        .expect("sync reads an upstream")
        .replace("${{ runner.temp }}", "$RUNNER_TEMP");
    let earlier: Vec<&str> = steps[..sync].iter().filter_map(|s| str_at(s, "run")).collect();
    let moved = format!("mv {upstream_path} \"{upstream_arg}\"");
    assert!(
        earlier.iter().any(|r| r.contains(&moved)),
        "a step before sync runs `{moved}`"
    );
    let no_git = format!("rm -rf \"{upstream_arg}/.git\"");
    assert!(
        earlier.iter().any(|r| r.contains(&no_git)),
        "a step before sync runs `{no_git}`"
    );
    // The report, in the workflow's notation.
    let report = arg_after(args, "--report")
        .expect("sync writes a --report")
        .replace("$RUNNER_TEMP", "${{ runner.temp }}");
    // The pull request: after sync, the report as its body, the upstream checkout left out.
    let pr = step_using(&steps, "peter-evans/create-pull-request@");
    assert!(pr > sync, "the pull request comes after sync");
    let with = &steps[pr]["with"];
    assert_eq!(str_at(with, "branch"), Some("rebrand/upstream-sync"));
    assert_eq!(
        str_at(with, "body-path"),
        Some(report.as_str()),
        "the report is the pull request's body"
    );
    let title = str_at(with, "title").expect("a title");
    assert!(
        title.contains("${{ steps.") && title.contains("rev }}"),
        "the title names the upstream rev: `{title}`"
    );
    let add_paths: Vec<&str> = str_at(with, "add-paths")
        .expect("add-paths")
        .lines()
        .map(str::trim)
        .collect();
    let mut left_out = vec![upstream_path];
    if !report.starts_with("${{ runner.temp }}") {
        left_out.push(&report);
    }
    for path in left_out {
        assert!(
            add_paths.contains(&format!(":(exclude){path}").as_str())
                || add_paths.contains(&format!(":!{path}").as_str()),
            "add-paths leaves out `{path}`: {add_paths:?}"
        );
    }
    // Conflicts (1) still open the pull request.
    let status = format!("steps.{sync_id}.outputs.exit-code");
    if let Some(cond) = str_at(&steps[pr], "if") {
        assert!(
            cond.contains(&status) && cond.contains("'1'"),
            "the pull request opens on conflicts: `{cond}`"
        );
    }

    // Then the job fails on any non-zero status.
    let fail: Vec<usize> = (pr + 1..steps.len())
        .filter(|&i| str_at(&steps[i], "if").is_some_and(|c| c.contains(&status)))
        .collect();
    assert_eq!(
        fail.len(),
        1,
        "one step after the pull request checks the saved status"
    );
    let fail = &steps[fail[0]];
    let cond = str_at(fail, "if").unwrap();
    assert_eq!(
        cond.replace(' ', ""),
        format!("{status}!='0'"),
        "it runs on any non-zero status"
    );
    let run = str_at(fail, "run").expect("it runs a command");
    let env_status = fail["env"]["STATUS"].as_str().unwrap_or_default();
    assert!(
        run.contains("exit \"$STATUS\"") && env_status.contains(&status),
        "it exits with the saved status:\n{run}"
    );
}

// ---------------------------------------------------------------------------------------
// The script, end to end
// ---------------------------------------------------------------------------------------

/// The page the upstream change lands in.
const CHANGED: &str = "docs/rancher/node/node-driver.md";
/// A paragraph upstream adds at the end of CHANGED, and how the branded tree must say it.
const UPSTREAM_ADDS: &str =
    "Harvester v1.9 resynchronizes the topology labels of the Harvester node on every migration.\n";
const BRANDED_ADDS: &str =
    "Hypervisor v1.9 resynchronizes the topology labels of the Hypervisor node on every migration.\n";
/// The vendor's hand edit at the top of CHANGED, after the `<head>` block.
const VENDOR_NOTE: &str = "NQRust support covers the node driver from Rancher v2.9.\n\n";
/// A line of CHANGED that the conflict test edits on both sides.
const CLOUD_IMAGES: &str = "The Hypervisor node driver only supports cloud images.";

fn command_works(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A git identity and configuration of the test's own, whatever the machine's.
fn isolated<'a>(cmd: &'a mut Command, home: &Path) -> &'a mut Command {
    cmd.env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", home.join("gitconfig"))
        .env("GIT_AUTHOR_NAME", "Sync Test")
        .env("GIT_AUTHOR_EMAIL", "sync-test@example.invalid")
        .env("GIT_COMMITTER_NAME", "Sync Test")
        .env("GIT_COMMITTER_EMAIL", "sync-test@example.invalid")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
}

/// The upstream tree, the branded repository made from it, and the upstream checkout inside
/// the repository, as the workflow lays them out.
struct Fixture {
    tmp: TempDir,
    /// The branded repository (`--downstream .`, the script's working directory).
    repo: PathBuf,
    /// Its commit before the sync.
    base: String,
}

impl Fixture {
    fn home(&self) -> PathBuf {
        self.tmp.path().join("home")
    }

    fn git(&self, dir: &Path, args: &[&str]) -> String {
        let out = isolated(&mut Command::new("git"), &self.home())
            .current_dir(dir)
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} in {}: {}",
            dir.display(),
            text(&out.stderr)
        );
        text(&out.stdout).trim().to_string()
    }

    fn upstream(&self) -> PathBuf {
        self.repo.join("upstream")
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.repo.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Edits a file (of the repository, or of the upstream checkout with `upstream/`).
    fn edit(&self, rel: &str, f: impl FnOnce(&str) -> String) {
        let path = self.repo.join(rel);
        let old = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let new = f(&old);
        assert_ne!(old, new, "the edit of {rel} changes it");
        fs::write(&path, new).unwrap();
    }

    /// Commits the upstream checkout's changes, as a new upstream commit.
    fn commit_upstream(&self, message: &str) {
        self.git(&self.upstream(), &["commit", "-q", "-a", "-m", message]);
    }

    /// Commits the branded repository's changes, as the vendor's edit, and makes that the base.
    fn commit_vendor(&mut self, message: &str) {
        self.git(&self.repo, &["commit", "-q", "-a", "-m", message]);
        self.base = self.git(&self.repo, &["rev-parse", "HEAD"]);
    }

    /// Runs the script from the repository with the built binary, the rule file and
    /// `extra_env`; the other settings are the script's defaults (the workflow's layout).
    fn run_script(&self, extra_env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new("bash");
        isolated(&mut cmd, &self.home())
            .arg(ci_dir().join("rebrand-sync.sh"))
            .args(["--report", "sync-report.md"])
            .current_dir(&self.repo)
            .env("REBRAND_BIN", env!("CARGO_BIN_EXE_rebrand"))
            .env("REBRAND_RULES", common::shipped_brand_rules())
            .env_remove("REBRAND_UPSTREAM")
            .env_remove("REBRAND_DOWNSTREAM")
            .env_remove("REBRAND_UPSTREAM_REV")
            .env_remove("REBRAND_REPORT")
            .env_remove("REBRAND_BRANCH")
            .env_remove("REBRAND_NO_COMMIT")
            .env_remove("NO_COLOR");
        for (key, value) in extra_env {
            cmd.env(key, value);
        }
        cmd.output().expect("bash runs the script")
    }

    /// The commits on the sync branch since the base, newest first, or `None` if the branch
    /// does not exist.
    fn sync_commits(&self) -> Option<Vec<String>> {
        let out = isolated(&mut Command::new("git"), &self.home())
            .current_dir(&self.repo)
            .args([
                "rev-parse",
                "--verify",
                "--quiet",
                "refs/heads/rebrand/upstream-sync",
            ])
            .output()
            .expect("git runs");
        if !out.status.success() {
            return None;
        }
        let range = format!("{}..rebrand/upstream-sync", self.base);
        let log = self.git(&self.repo, &["log", "--format=%H", &range]);
        Some(log.lines().map(str::to_string).collect())
    }

    /// The files a commit changed.
    fn files_of(&self, commit: &str) -> Vec<String> {
        let names = self.git(&self.repo, &["show", "--name-only", "--format=", commit]);
        names.lines().map(str::to_string).collect()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    )
}

/// Builds the fixture, or `None` (with a message) when git or bash is missing: a few pages of
/// `examples/harvester-docs` as upstream (a git checkout), `rebrand apply` to make the branded
/// tree, committed as a git repository, with the upstream checkout moved inside it.
fn fixture() -> Option<Fixture> {
    for program in ["git", "bash"] {
        if !command_works(program) {
            eprintln!("skipping the CI script test: `{program}` is not available");
            return None;
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("home")).unwrap();
    fs::write(tmp.path().join("home/gitconfig"), "").unwrap();

    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/harvester-docs");
    let upstream = tmp.path().join("upstream");
    for rel in [
        CHANGED,
        "docs/rancher/node/_category_.json",
        "docs/getting-started/glossary.md",
        "docs/rancher/virtualization-management.md",
    ] {
        let to = upstream.join(rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(example.join(rel), &to).unwrap();
    }

    let repo = tmp.path().join("branded");
    let apply = Command::new(env!("CARGO_BIN_EXE_rebrand"))
        .arg("apply")
        .arg("--rules")
        .arg(common::shipped_brand_rules())
        .arg(&upstream)
        .arg("--out")
        .arg(&repo)
        .output()
        .unwrap();
    assert!(apply.status.success(), "rebrand apply: {}", describe(&apply));
    assert!(
        repo.join(".rebrand").is_dir(),
        "apply leaves its state in .rebrand/"
    );

    let mut fx = Fixture {
        tmp,
        repo,
        base: String::new(),
    };
    fx.git(&fx.repo, &["-c", "init.defaultBranch=main", "init", "-q"]);
    fx.git(&fx.repo, &["add", "-A"]);
    fx.commit_vendor("Branded docs from rebrand apply");

    // The upstream checkout, inside the repository and not part of it, as actions/checkout
    // leaves it with `path: upstream`.
    fs::rename(&upstream, fx.upstream()).unwrap();
    fx.git(&fx.upstream(), &["-c", "init.defaultBranch=main", "init", "-q"]);
    fx.git(&fx.upstream(), &["add", "-A"]);
    fx.git(&fx.upstream(), &["commit", "-q", "-m", "upstream docs"]);
    Some(fx)
}

#[test]
fn script_syncs_an_upstream_change_and_commits_it_on_the_sync_branch() {
    let Some(mut fx) = fixture() else { return };

    // The vendor's hand edit, then an upstream change in the same page, further down.
    fx.edit(CHANGED, |s| {
        s.replacen("</head>\n\n", &format!("</head>\n\n{VENDOR_NOTE}"), 1)
    });
    fx.commit_vendor("Vendor note on the node driver");
    fx.edit(&format!("upstream/{CHANGED}"), |s| {
        format!("{s}\n{UPSTREAM_ADDS}")
    });
    fx.commit_upstream("node driver: label resync");
    let upstream_rev = fx.git(&fx.upstream(), &["rev-parse", "--short", "HEAD"]);

    let out = fx.run_script(&[]);
    assert_eq!(out.status.code(), Some(0), "the script: {}", describe(&out));

    // The report: where the script said, naming the changed page.
    let report = fx.repo.join("sync-report.md");
    assert!(
        text(&out.stderr).contains("sync-report.md"),
        "the script prints where the report is"
    );
    let report_text = fs::read_to_string(&report).expect("the report is written");
    assert!(
        report_text.contains(CHANGED),
        "the report names {CHANGED}:\n{report_text}"
    );
    assert!(
        !report_text.contains("`upstream/"),
        "the report's audit does not read the upstream checkout:\n{report_text}"
    );
    assert!(
        fx.upstream().join(".git").is_dir(),
        "the upstream checkout is back in place"
    );

    // The page: the upstream change, branded, and the vendor's edit kept.
    let page = fx.read(CHANGED);
    assert!(
        page.contains(BRANDED_ADDS),
        "the upstream change arrives branded:\n{page}"
    );
    assert!(!page.contains(UPSTREAM_ADDS), "and not as upstream wrote it");
    assert!(page.contains(VENDOR_NOTE), "the vendor's edit stays:\n{page}");
    assert!(!page.contains("<<<<<<<"), "no conflict markers");

    // One new commit on the sync branch, which is checked out: the page and sync's state,
    // not the upstream checkout or the report.
    let commits = fx.sync_commits().expect("the sync branch exists");
    assert_eq!(commits.len(), 1, "one commit on the sync branch: {commits:?}");
    assert_eq!(
        fx.git(&fx.repo, &["symbolic-ref", "--short", "HEAD"]),
        "rebrand/upstream-sync"
    );
    let files = fx.files_of(&commits[0]);
    assert!(
        files.iter().any(|f| f == CHANGED),
        "the commit holds the page: {files:?}"
    );
    assert!(
        files.iter().any(|f| f.starts_with(".rebrand/")),
        "and sync's state: {files:?}"
    );
    assert!(
        !files
            .iter()
            .any(|f| f.starts_with("upstream") || f == "sync-report.md"),
        "but not the upstream checkout or the report: {files:?}"
    );
    let subject = fx.git(&fx.repo, &["log", "-1", "--format=%s"]);
    assert!(
        subject.contains(&upstream_rev),
        "the commit names the upstream revision: `{subject}`"
    );
    let status = fx.git(
        &fx.repo,
        &["status", "--porcelain", "--", ".", ":(exclude)upstream"],
    );
    assert_eq!(
        status, "?? sync-report.md",
        "only the report is left in the work tree"
    );

    // Run again: nothing to do, nothing committed.
    let head = fx.git(&fx.repo, &["rev-parse", "HEAD"]);
    let again = fx.run_script(&[]);
    assert_eq!(
        again.status.code(),
        Some(0),
        "the second run: {}",
        describe(&again)
    );
    assert_eq!(
        fx.git(&fx.repo, &["rev-parse", "HEAD"]),
        head,
        "the second run commits nothing"
    );
    assert_eq!(fx.read(CHANGED), page, "and changes nothing");
}

#[test]
fn script_commits_conflicts_and_exits_1() {
    let Some(mut fx) = fixture() else { return };

    // Both sides rewrite the same line.
    fx.edit(CHANGED, |s| {
        s.replacen(
            CLOUD_IMAGES,
            "The NQRust node driver supports cloud images only.",
            1,
        )
    });
    fx.commit_vendor("Vendor wording");
    let upstream_line = CLOUD_IMAGES.replace("Hypervisor", "Harvester");
    fx.edit(&format!("upstream/{CHANGED}"), |s| {
        s.replacen(
            &upstream_line,
            "The Harvester node driver supports cloud images and ISO images.",
            1,
        )
    });
    fx.commit_upstream("node driver: ISO images");

    let out = fx.run_script(&[]);
    assert_eq!(out.status.code(), Some(1), "conflicts: {}", describe(&out));
    let page = fx.read(CHANGED);
    assert!(
        page.contains("<<<<<<<") && page.contains(">>>>>>>"),
        "conflict markers:\n{page}"
    );
    let report = fs::read_to_string(fx.repo.join("sync-report.md")).expect("the report is written");
    assert!(
        report.contains(CHANGED),
        "the report names the conflicted page:\n{report}"
    );
    // Committed all the same, so that people resolve the markers on the branch.
    let commits = fx.sync_commits().expect("the sync branch exists");
    assert_eq!(commits.len(), 1, "one commit on the sync branch: {commits:?}");
    assert!(fx.files_of(&commits[0]).iter().any(|f| f == CHANGED));
}

#[test]
fn script_without_committing_leaves_the_changes_in_the_work_tree() {
    let Some(fx) = fixture() else { return };
    fx.edit(&format!("upstream/{CHANGED}"), |s| {
        format!("{s}\n{UPSTREAM_ADDS}")
    });
    fx.commit_upstream("node driver: label resync");

    let out = fx.run_script(&[("REBRAND_NO_COMMIT", "1")]);
    assert_eq!(out.status.code(), Some(0), "the script: {}", describe(&out));
    assert!(fx.read(CHANGED).contains(BRANDED_ADDS), "the page is synced");
    assert_eq!(fx.sync_commits(), None, "no sync branch");
    let status = fx.git(&fx.repo, &["status", "--porcelain", "--", CHANGED]);
    assert_eq!(
        status,
        format!("M {CHANGED}"),
        "the page is changed, not committed"
    );
}

#[test]
fn script_refuses_a_dirty_work_tree_before_syncing() {
    let Some(fx) = fixture() else { return };
    fx.edit(&format!("upstream/{CHANGED}"), |s| {
        format!("{s}\n{UPSTREAM_ADDS}")
    });
    fx.commit_upstream("node driver: label resync");
    fx.edit("docs/getting-started/glossary.md", |s| {
        format!("{s}\nUncommitted vendor edit.\n")
    });

    let out = fx.run_script(&[]);
    assert_eq!(out.status.code(), Some(2), "a dirty tree: {}", describe(&out));
    assert!(
        text(&out.stderr).contains("uncommitted changes"),
        "{}",
        describe(&out)
    );
    assert!(!fx.read(CHANGED).contains(BRANDED_ADDS), "nothing synced");
    assert_eq!(fx.sync_commits(), None, "nothing committed");
}
