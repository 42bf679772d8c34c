//! The machine- and PR-readable run reports: the JSON report validates against the JSON
//! Schema of `docs/report-schema.md` (read out of the page, so page and code cannot
//! disagree), the schema rejects what it must, and the Markdown summary is pinned by
//! snapshots.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rebrand::audit::{audit, Finding, FindingKind, Judge, Level};
use rebrand::report::json::{run_report, SCHEMA_VERSION};
use rebrand::report::markdown::pr_summary;
use rebrand::rewrite::Engine;
use rebrand::scan::Context;
use rebrand::tree::{self, Plan};
use serde_json::{json, Value};

use crate::common;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The one ```json block of docs/report-schema.md, parsed.
fn schema() -> Value {
    let page =
        std::fs::read_to_string(manifest_dir().join("docs/report-schema.md")).expect("the schema page reads");
    let blocks: Vec<&str> = page
        .split("\n```json\n")
        .skip(1)
        .map(|rest| rest.split("\n```").next().expect("the block is closed"))
        .collect();
    assert_eq!(
        blocks.len(),
        1,
        "docs/report-schema.md has exactly one ```json block"
    );
    serde_json::from_str(blocks[0]).expect("the schema block is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&schema()).expect("the schema compiles")
}

/// Every way `report` fails the schema, one line each (empty when it validates).
fn errors(report: &Value) -> Vec<String> {
    validator()
        .iter_errors(report)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn assert_valid(report: &Value) {
    let errors = errors(report);
    assert!(
        errors.is_empty(),
        "the report fails its schema:\n{}",
        errors.join("\n")
    );
}

fn example_input() -> PathBuf {
    manifest_dir().join("examples/harvester-docs")
}

fn shipped_engine() -> Engine {
    Engine::new(common::load_rules(&common::shipped_rules()).expect("the shipped rules load"))
        .expect("rules compile")
}

/// Two findings of the kinds an audit gives: a leak in prose kept by no rule, a dead rule
/// located in the rule file.
fn hand_made_findings(rules: &Path) -> Vec<Finding> {
    let line_text = "Harvester is built on Kubernetes.";
    vec![
        Finding {
            level: Level::Error,
            kind: FindingKind::Leak,
            path: "docs/getting-started/glossary.md".into(),
            line: 12,
            column: 1,
            range: 300..309,
            context: Some(Context::Prose),
            text: "Harvester".into(),
            line_text: line_text.into(),
            message: "the upstream brand left in prose".into(),
            rule: None,
        },
        Finding {
            level: Level::Warning,
            kind: FindingKind::DeadRule,
            path: rules.display().to_string(),
            line: 100,
            column: 1,
            range: 0..0,
            context: None,
            text: "ui-gui".into(),
            line_text: "[[substitution]]".into(),
            message: "rule `ui-gui` matched nothing in the tree".into(),
            rule: Some("ui-gui".into()),
        },
    ]
}

fn to_json(
    command: &str,
    engine: &Engine,
    input: &Path,
    output: Option<&Path>,
    plan: Option<&Plan>,
    findings: &[Finding],
    elapsed: Duration,
) -> Value {
    let report = run_report(command, engine.rules(), input, output, plan, findings, elapsed);
    let text = serde_json::to_string(&report).expect("the report serializes");
    serde_json::from_str(&text).expect("the report is JSON")
}

#[test]
fn the_schema_is_a_valid_draft_2020_12_schema() {
    let schema = schema();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    if let Err(e) = jsonschema::draft202012::meta::validate(&schema) {
        panic!(
            "the schema is not a valid 2020-12 schema: {}: {e}",
            e.instance_path()
        );
    }
    assert_eq!(schema["$defs"]["schema_version"]["const"], json!(SCHEMA_VERSION));
}

#[test]
fn the_examples_of_the_schema_page_validate() {
    let page = std::fs::read_to_string(manifest_dir().join("docs/report-schema.md")).unwrap();
    let examples: Vec<Value> = page
        .split("\n```jsonc\n")
        .skip(1)
        .map(|rest| serde_json::from_str(rest.split("\n```").next().unwrap()).expect("an example is JSON"))
        .collect();
    let [report, finding, sync] = examples.as_slice() else {
        panic!("the page has a report example, a finding example and a sync report example");
    };
    assert_valid(report);
    assert_valid(sync);
    assert_eq!(sync["command"], "sync");
    let schema = schema();
    let finding_schema = json!({
        "$schema": schema["$schema"],
        "$defs": schema["$defs"],
        "$ref": "#/$defs/finding",
    });
    let errors: Vec<String> = jsonschema::draft202012::new(&finding_schema)
        .expect("the finding schema compiles")
        .iter_errors(finding)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "the example finding fails: {errors:?}");
}

#[test]
fn the_schema_names_every_file_kind() {
    let schema = schema();
    let names: Vec<Value> = schema["$defs"]["file"]["properties"]["kind"]["enum"]
        .as_array()
        .expect("kind is an enum")
        .clone();
    let mut expected: Vec<Value> = rebrand::scan::KINDS.iter().map(|k| json!(k.name)).collect();
    expected.push(Value::Null);
    assert_eq!(names, expected);
}

#[test]
fn the_schema_names_every_scanner_context() {
    let schema = schema();
    let names: Vec<Value> = schema["$defs"]["finding"]["properties"]["context"]["enum"]
        .as_array()
        .expect("context is an enum")
        .clone();
    let mut expected: Vec<Value> = Context::ALL.iter().map(|c| json!(c.name())).collect();
    expected.push(Value::Null);
    assert_eq!(names, expected);
}

#[test]
fn a_preview_of_the_example_tree_validates() {
    let started = Instant::now();
    let engine = shipped_engine();
    let input = example_input();
    let plan = tree::plan(&engine, &input).expect("the example plans");
    let findings = hand_made_findings(&common::shipped_rules());
    let report = to_json(
        "preview",
        &engine,
        &input,
        None,
        Some(&plan),
        &findings,
        started.elapsed(),
    );
    assert_valid(&report);

    // The report carries the run as the plan has it.
    assert_eq!(report["schema_version"], SCHEMA_VERSION);
    assert_eq!(report["tool"]["name"], "rebrand");
    assert_eq!(report["files"].as_array().unwrap().len(), plan.files.len());
    assert_eq!(
        report["redirects"].as_array().unwrap().len(),
        plan.redirects.len()
    );
    assert!(!plan.redirects.is_empty(), "the example renames pages");
    let per_rule: u64 = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(report["summary"]["substitutions"], per_rule);
    let per_file: u64 = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["substitutions"].as_object().unwrap().values())
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(per_file, per_rule);
    let renamed = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "docs/install/harvester-configuration.md")
        .expect("the renamed page is listed");
    assert_eq!(renamed["renamed_to"], "docs/install/hypervisor-configuration.md");
    assert_eq!(renamed["outcome"], "rewritten");
    assert_eq!(renamed["kind"], "markdown");
    assert_eq!(report["finding_counts"]["total"], 2);
    assert_eq!(report["finding_counts"]["by_level"]["error"], 1);
    assert_eq!(report["finding_counts"]["by_kind"]["dead_rule"], 1);
    assert_eq!(report["findings"][0]["context"], "prose");
    assert_eq!(report["findings"][1]["context"], Value::Null);
    assert!(
        report["findings"][0].get("range").is_none(),
        "byte ranges stay out"
    );
}

#[test]
fn an_apply_report_and_an_audit_without_a_plan_validate() {
    let engine = shipped_engine();
    let input = example_input();
    let plan = tree::plan(&engine, &input).expect("the example plans");
    let out = Path::new("branded");
    let apply = to_json(
        "apply",
        &engine,
        &input,
        Some(out),
        Some(&plan),
        &[],
        Duration::from_millis(5),
    );
    assert_valid(&apply);
    assert_eq!(apply["output"], "branded");
    assert_eq!(apply["timings"]["total_ms"], 5.0);
    assert_eq!(apply["finding_counts"]["by_kind"]["leak"], 0);

    let findings = hand_made_findings(&common::shipped_rules());
    let audit = to_json("audit", &engine, &input, None, None, &findings, Duration::ZERO);
    assert_valid(&audit);
    assert_eq!(audit["summary"], Value::Null);
    assert_eq!(audit["files"], json!([]));
    assert_eq!(audit["rules"][0]["count"], Value::Null);
}

#[test]
fn reports_with_real_audit_findings_validate() {
    // The audit fixture plants one finding of each kind; the example tree has its own.
    let fixture = manifest_dir().join("tests/fixtures/audit");
    let engine = Engine::new(common::load_rules(&fixture.join("rules.toml")).unwrap()).unwrap();
    let upstream = fixture.join("upstream");
    let found = audit(&engine, &upstream, Judge::Upstream, false)
        .expect("the fixture audits")
        .findings;
    let plan = tree::plan(&engine, &upstream).expect("the fixture plans");
    let report = to_json(
        "audit",
        &engine,
        &upstream,
        None,
        Some(&plan),
        &found,
        Duration::ZERO,
    );
    assert_valid(&report);
    for kind in ["leak", "stutter", "dead_rule", "near_miss"] {
        assert!(
            report["finding_counts"]["by_kind"][kind].as_u64().unwrap() > 0,
            "the fixture has a {kind}"
        );
    }

    let engine = shipped_engine();
    let input = example_input();
    let found = audit(&engine, &input, Judge::Upstream, false)
        .expect("the example audits")
        .findings;
    let report = to_json("audit", &engine, &input, None, None, &found, Duration::ZERO);
    assert_valid(&report);
    assert_eq!(report["finding_counts"]["total"], found.len());
}

#[test]
fn the_schema_rejects_missing_fields_wrong_types_and_unknown_fields() {
    let engine = shipped_engine();
    let input = example_input();
    let plan = tree::plan(&engine, &input).expect("the example plans");
    let findings = hand_made_findings(&common::shipped_rules());
    let good = to_json(
        "preview",
        &engine,
        &input,
        None,
        Some(&plan),
        &findings,
        Duration::ZERO,
    );
    assert_valid(&good);

    let overlay = good["files"]
        .as_array()
        .unwrap()
        .iter()
        .position(|f| f["outcome"] == "overlay")
        .expect("the example has overlay files");
    type Break = fn(&mut Value, usize);
    let broken: [(&str, Break); 10] = [
        ("no summary", |r, _| {
            r.as_object_mut().unwrap().remove("summary");
        }),
        ("no schema_version", |r, _| {
            r.as_object_mut().unwrap().remove("schema_version");
        }),
        ("a count as a string", |r, _| r["summary"]["files"] = json!("11")),
        ("a negative count", |r, _| r["summary"]["changed"] = json!(-1)),
        ("a finding without a line", |r, _| {
            r["findings"][0].as_object_mut().unwrap().remove("line");
        }),
        ("a finding of an unknown kind", |r, _| {
            r["findings"][0]["kind"] = json!("typo")
        }),
        ("a 0-based column", |r, _| r["findings"][1]["column"] = json!(0)),
        ("an unknown field", |r, _| r["files"][0]["extra"] = json!(true)),
        ("another schema version", |r, _| r["schema_version"] = json!(2)),
        ("an overlay file without overlay_replaced", |r, i| {
            r["files"][i]["overlay_replaced"] = Value::Null
        }),
    ];
    for (what, break_it) in broken {
        let mut bad = good.clone();
        break_it(&mut bad, overlay);
        assert!(
            !errors(&bad).is_empty(),
            "the schema accepts a report with {what}"
        );
    }
}

#[test]
fn corpus_report_validates() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let started = Instant::now();
    let engine = shipped_engine();
    let plan = tree::plan(&engine, &corpus).expect("the corpus plans");
    let findings = audit(&engine, &corpus, Judge::Upstream, false)
        .expect("the corpus audits")
        .findings;
    assert!(
        !findings.is_empty(),
        "the upstream corpus has brand mentions to report"
    );
    let report = to_json(
        "preview",
        &engine,
        &corpus,
        None,
        Some(&plan),
        &findings,
        started.elapsed(),
    );
    assert_valid(&report);
    assert_eq!(report["files"].as_array().unwrap().len(), plan.files.len());
    assert!(report["summary"]["substitutions"].as_u64().unwrap() > 1000);
    assert!(
        report["summary"]["dropped"].as_u64().unwrap() > 0,
        "zh is dropped"
    );
    let markdown = pr_summary(
        "preview",
        engine.rules(),
        Some(&plan),
        &findings,
        started.elapsed(),
    );
    assert!(markdown.contains("and ") && markdown.contains("more changed files"));
    assert!(
        markdown.len() < 20_000,
        "the PR summary stays short: {} bytes",
        markdown.len()
    );
}

/// The summary with its time replaced, for snapshots.
fn no_elapsed(s: &str) -> String {
    let re = regex::Regex::new(r"took \d+\.\d+ s").unwrap();
    re.replace_all(s, "took [elapsed] s").into_owned()
}

#[test]
fn markdown_summary_of_the_example_tree() {
    let started = Instant::now();
    let engine = shipped_engine();
    let plan = tree::plan(&engine, &example_input()).expect("the example plans");
    let md = pr_summary("preview", engine.rules(), Some(&plan), &[], started.elapsed());
    insta::assert_snapshot!("markdown_example_tree", no_elapsed(&md));
}

#[test]
fn markdown_findings_are_grouped_cut_and_escaped() {
    let rules = common::parse_rules(
        Path::new("brand.toml"),
        "[[substitution]]\nid = \"pipe|rule\"\nfrom = \"Harvester\"\nto = \"Hyper`visor\"\n",
    )
    .expect("rules load");
    let leak = |line: usize| Finding {
        level: Level::Error,
        kind: FindingKind::Leak,
        path: "docs/a.md".into(),
        line,
        column: 3,
        range: 0..9,
        context: Some(Context::Prose),
        text: "Harvester".into(),
        line_text: "a Harvester".into(),
        message: "the upstream brand left in prose".into(),
        rule: None,
    };
    let mut findings: Vec<Finding> = (1..=7).rev().map(leak).collect();
    findings.push(Finding {
        level: Level::Info,
        kind: FindingKind::Leak,
        path: "docs/b.md".into(),
        line: 4,
        column: 2,
        range: 0..0,
        context: Some(Context::InlineCode),
        text: "`harvester|x`".into(),
        line_text: "`harvester|x`".into(),
        message: "kept in code".into(),
        rule: None,
    });
    findings.push(Finding {
        level: Level::Error,
        kind: FindingKind::Stutter,
        path: "docs/c.md".into(),
        line: 9,
        column: 1,
        range: 0..0,
        context: Some(Context::Prose),
        text: "Hypervisor hypervisor".into(),
        line_text: "Hypervisor hypervisor".into(),
        message: "a brand word doubled".into(),
        rule: Some("pipe|rule".into()),
    });
    let md = pr_summary("audit", &rules, None, &findings, Duration::from_millis(1500));
    insta::assert_snapshot!("markdown_findings", md);

    let none = pr_summary("audit", &rules, None, &[], Duration::ZERO);
    assert!(none.contains("No findings."), "{none}");
}

/// The audit of a hand-made edition (tests/it/common's [`common::hand_made_edition`]) with the
/// kinds a branded judgement adds: the JSON validates and names each planted defect at its
/// line; the Markdown summary groups them by kind.
#[test]
fn a_hand_made_edition_reports_its_defects_in_json_and_markdown() {
    let tmp = tempfile::TempDir::new().unwrap();
    let tree = tmp.path().join("edition");
    common::hand_made_edition(&tree);
    // An unread file that holds the brand, for the `unread` kind.
    std::fs::write(tree.join("docs/install/notes.rst"), "Harvester notes\n").unwrap();
    let run = |format: &str| {
        let out = assert_cmd::Command::cargo_bin("rebrand")
            .unwrap()
            .args(["audit", "--format", format, "--rules"])
            .arg(common::shipped_rules())
            .arg(&tree)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let report: Value = serde_json::from_str(&run("json")).unwrap();
    assert_valid(&report);
    let findings = report["findings"].as_array().unwrap();
    for (kind, line, text) in common::PLANTED {
        assert!(
            findings.iter().any(|f| f["kind"] == kind
                && f["path"] == "docs/install/iso-install.md"
                && f["line"] == line
                && f["text"] == text),
            "{kind} at line {line}: {findings:#?}"
        );
    }
    let by_kind = &report["finding_counts"]["by_kind"];
    assert_eq!(by_kind["front_matter"], 1);
    assert_eq!(by_kind["unread"], 1);
    let markdown = run("markdown");
    for heading in [
        "#### front_matter (error): 1",
        "#### unread (warning): 1",
        "#### stutter (error): 1",
    ] {
        assert!(markdown.contains(heading), "{heading}:\n{markdown}");
    }
}

/// The binary's `--format json` for `preview`, `apply` and `audit` prints one object that
/// validates; `--format markdown` prints the pull-request summary.
#[test]
fn the_cli_formats_print_valid_reports() {
    let rules = manifest_dir().join("rules/nqrust-hypervisor.toml");
    let tmp = tempfile::TempDir::new().unwrap();
    let out = tmp.path().join("out");
    let run = |args: &[&std::ffi::OsStr]| {
        let output = assert_cmd::Command::cargo_bin("rebrand")
            .unwrap()
            .args(args)
            .output()
            .unwrap();
        assert!(
            output.status.code().is_some_and(|c| c <= 1),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let input = example_input();
    let (r, i, o) = (rules.as_os_str(), input.as_os_str(), out.as_os_str());
    for (command, args) in [
        (
            "preview",
            vec![
                "preview".as_ref(),
                "--rules".as_ref(),
                r,
                i,
                "--format".as_ref(),
                "json".as_ref(),
            ],
        ),
        (
            "apply",
            vec![
                "apply".as_ref(),
                "--rules".as_ref(),
                r,
                i,
                "--out".as_ref(),
                o,
                "--format".as_ref(),
                "json".as_ref(),
            ],
        ),
        (
            "audit",
            vec![
                "audit".as_ref(),
                "--upstream".as_ref(),
                "--rules".as_ref(),
                r,
                i,
                "--format".as_ref(),
                "json".as_ref(),
            ],
        ),
    ] {
        let report: Value = serde_json::from_str(&run(&args)).unwrap();
        assert_valid(&report);
        assert_eq!(report["command"], command);
    }
    let markdown = run(&[
        "preview".as_ref(),
        "--rules".as_ref(),
        r,
        i,
        "--format".as_ref(),
        "markdown".as_ref(),
    ]);
    assert!(markdown.starts_with("## rebrand preview: "), "{markdown}");
    assert!(markdown.contains("### Substitutions by rule"), "{markdown}");
}

/// Upstream and branded trees (`up`, `down`) and `rules.toml`, such
/// that a sync to upstream `v2` finds a conflict (`docs/b.md`) and adds a page.
fn conflicting_sync_trees() -> tempfile::TempDir {
    let tmp = tempfile::TempDir::new().unwrap();
    let path = |name: &str| tmp.path().join(name);
    let write = |name: &str, text: &str| {
        std::fs::create_dir_all(path(name).parent().unwrap()).unwrap();
        std::fs::write(path(name), text).unwrap();
    };
    write(
        "rules.toml",
        "[[substitution]]\nid = \"brand\"\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n",
    );
    write("up/docs/a.md", "Harvester a\n");
    write("up/docs/b.md", "Harvester b\nline 2\n");
    common::apply_command(&path("rules.toml"), &path("up"), &path("down"))
        .args(["--upstream-rev", "v1"])
        .assert()
        .success();
    // A hand edit that upstream's change overlaps (a conflict), and a new upstream page.
    write("down/docs/b.md", "Hypervisor b, vendor\nline 2\n");
    write("up/docs/b.md", "Harvester b, upstream\nline 2\n");
    write("up/docs/new.md", "Harvester new\n");
    tmp
}

/// `rebrand sync` of the [`conflicting_sync_trees`] in `tmp` into `downstream` with
/// `args`: (standard output, standard error), after checking it exits 1 (the conflict).
fn sync_in(tmp: &Path, downstream: &str, args: &[&str]) -> (String, String) {
    let out = common::rebrand()
        .arg("sync")
        .arg("--rules")
        .arg(tmp.join("rules.toml"))
        .arg("--upstream")
        .arg(tmp.join("up"))
        .arg("--downstream")
        .arg(tmp.join(downstream))
        .args(["--upstream-rev", "v2"])
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A sync's `--format json` prints one object that validates, with the schema version and
/// the tool of the run reports; the schema refuses a broken one.
#[test]
fn sync_format_json_prints_a_versioned_report_that_validates() {
    let tmp = conflicting_sync_trees();
    let (stdout, stderr) = sync_in(tmp.path(), "down", &["--format", "json"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_valid(&report);
    assert_eq!(report["schema_version"], SCHEMA_VERSION);
    assert_eq!(report["tool"]["name"], "rebrand");
    assert_eq!(report["command"], "sync");
    assert_eq!(report["upstream"], json!({ "before": "v1", "after": "v2" }));
    assert_eq!(
        report["files"],
        json!([
            { "path": "docs/b.md", "action": "conflict" },
            { "path": "docs/new.md", "action": "added" },
        ])
    );
    assert_eq!(report["conflicts"], 1);
    assert!(stderr.starts_with("sync: "), "{stderr}");
    type Break = fn(&mut Value);
    let broken: [(&str, Break); 4] = [
        ("no schema_version", |r| {
            r.as_object_mut().unwrap().remove("schema_version");
        }),
        ("an unknown action", |r| {
            r["files"][0]["action"] = json!("renamed")
        }),
        ("an unknown field", |r| r["extra"] = json!(true)),
        ("the command of a run report", |r| r["command"] = json!("apply")),
    ];
    for (what, break_it) in broken {
        let mut bad = report.clone();
        break_it(&mut bad);
        assert!(
            !errors(&bad).is_empty(),
            "the schema accepts a sync report with {what}"
        );
    }
}

/// A sync's `--format markdown` prints the report `--report FILE` writes; the summary line
/// stays on standard error.
#[test]
fn sync_format_markdown_prints_the_report() {
    let tmp = conflicting_sync_trees();
    let written = tmp.path().join("report.md");
    let (stdout, stderr) = sync_in(
        tmp.path(),
        "down",
        &["--format", "markdown", "--report", written.to_str().unwrap()],
    );
    // The verdict first, then the heading.
    assert!(
        stdout.starts_with(
            "**1 conflict needs a person**; the audit of the synced tree finds no error.\n\n\
             ## rebrand sync: upstream `v1` → `v2`\n"
        ),
        "{stdout}"
    );
    assert_eq!(stdout, std::fs::read_to_string(&written).unwrap());
    assert!(stderr.starts_with("sync: "), "{stderr}");
    assert!(!stderr.contains("## rebrand sync"), "{stderr}");
}

/// The vendored SARIF 2.1.0 schema (tests/fixtures/sarif/README.md names its source).
fn sarif_validator() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string(manifest_dir().join("tests/fixtures/sarif/sarif-schema-2.1.0.json")).unwrap();
    let mut schema: Value = serde_json::from_str(&text).unwrap();
    // The published schema's `language` pattern (of `run` and of `toolComponent`),
    // `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`, has a stray `]` that the meta-schema's
    // `format: regex` refuses (an erratum of the schema): it is replaced here by the pattern it
    // means. rebrand's logs have no `language`.
    for definition in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][definition]["properties"]["language"]["pattern"];
        assert_eq!(language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    }
    jsonschema::draft7::new(&schema).expect("the SARIF schema compiles")
}

fn assert_valid_sarif(log: &Value) {
    let errors: Vec<String> = sarif_validator()
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the log fails the SARIF 2.1.0 schema:\n{}",
        errors.join("\n")
    );
    assert_eq!(log["version"], "2.1.0");
}

/// `rebrand ARGS` run in `dir`: (exit code, standard output).
fn rebrand_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = common::rebrand().current_dir(dir).args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

/// A branded tree `site/` with one leak planted on line 5 (column 6), its rule file
/// `rules.toml` (with a `[[test]]` that fails), under a temporary folder.
fn planted_leak() -> tempfile::TempDir {
    let tmp = tempfile::TempDir::new().unwrap();
    let write = |name: &str, text: &str| {
        let path = tmp.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "rules.toml",
        "[[substitution]]\nid = \"brand\"\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n\
         [[test]]\nname = \"the name\"\ninput = \"Harvester runs\"\nexpect = \"Harvester runs\"\n",
    );
    write("site/docusaurus.config.js", "module.exports = {};\n");
    write(
        "site/docs/a.md",
        "# Guide\n\nInstall Hypervisor, see [b](./b.md).\n\nThen Harvester runs.\n",
    );
    tmp
}

/// The issue's planted leak: `audit --format sarif` validates against the SARIF 2.1.0
/// schema and points at the leak's line under the tree's folder; `--format github` prints
/// its annotation.
#[test]
fn audit_sarif_and_github_point_at_a_planted_leak() {
    let tmp = planted_leak();
    let (code, out) = rebrand_in(
        tmp.path(),
        &["audit", "--rules", "rules.toml", "site", "--format", "sarif"],
    );
    assert_eq!(code, 1, "{out}");
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let leak = results
        .iter()
        .find(|r| r["ruleId"] == "leak")
        .expect("the leak is a result");
    assert_eq!(leak["level"], "error");
    let location = &leak["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "site/docs/a.md");
    assert_eq!(location["region"]["startLine"], 5);
    assert_eq!(location["region"]["startColumn"], 6);
    let rule = &log["runs"][0]["tool"]["driver"]["rules"][leak["ruleIndex"].as_u64().unwrap() as usize];
    assert_eq!(rule["id"], "leak");
    // The schema refuses what SARIF does not know.
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["level"] = json!("fatal");
    assert!(!sarif_validator().is_valid(&bad));

    let (code, out) = rebrand_in(
        tmp.path(),
        &["audit", "--rules", "rules.toml", "site", "--format", "github"],
    );
    assert_eq!(code, 1);
    assert!(
        out.lines()
            .any(|l| l.starts_with("::error file=site/docs/a.md,line=5,col=6,title=rebrand leak::")),
        "{out}"
    );
}

/// `--format json` on `links`, `check`, `explain` and `test-rules` prints reports that
/// validate against the schema of docs/report-schema.md (the sync's is tested above), and the
/// SARIF logs of `links`, `check` and `test-rules` validate against SARIF 2.1.0.
#[test]
fn links_check_explain_and_test_rules_print_valid_reports() {
    let tmp = planted_leak();
    let (code, out) = rebrand_in(tmp.path(), &["links", "site", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_valid(&report);
    assert_eq!(report["command"], "links");
    assert_eq!(report["findings"][0]["kind"], "broken_link");
    assert_eq!(report["findings"][0]["text"], "./b.md");
    assert_eq!(report["counts"]["broken"], 1);
    let (_, out) = rebrand_in(tmp.path(), &["links", "site", "--format", "sarif"]);
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&log);
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        3
    );

    let (code, out) = rebrand_in(tmp.path(), &["test-rules", "rules.toml", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_valid(&report);
    let failure = &report["findings"][0];
    assert_eq!(
        (failure["kind"].as_str(), failure["line"].as_u64()),
        (Some("test_failure"), Some(9))
    );
    assert_eq!(report["counts"], json!({ "tests": 1, "passed": 0, "failed": 1 }));
    let (_, out) = rebrand_in(tmp.path(), &["test-rules", "rules.toml", "--format", "sarif"]);
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&log);
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "rules.toml"
    );
    let (_, out) = rebrand_in(tmp.path(), &["test-rules", "rules.toml", "--format", "github"]);
    assert!(
        out.starts_with(
            "::error file=rules.toml,line=9,col=10,title=rebrand test-failure::test `the name` fails"
        ),
        "{out}"
    );

    let (code, out) = rebrand_in(
        tmp.path(),
        &[
            "explain",
            "--rules",
            "rules.toml",
            "site/docs/a.md:5",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_valid(&report);
    assert_eq!(
        (report["path"].as_str(), report["line"].as_u64()),
        (Some("docs/a.md"), Some(5))
    );
    assert_eq!(report["mentions"][0]["text"], "Harvester");
    assert!(
        report["mentions"][0]["verdict"]
            .as_str()
            .unwrap()
            .contains("brand"),
        "{report}"
    );

    let tmp = conflicting_sync_trees();
    let check = |format: &str| {
        let out = common::rebrand()
            .arg("check")
            .arg("--rules")
            .arg(tmp.path().join("rules.toml"))
            .arg("--upstream")
            .arg(tmp.path().join("up"))
            .arg("--downstream")
            .arg(tmp.path().join("down"))
            .args(["--format", format])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        serde_json::from_str::<Value>(&String::from_utf8(out.stdout).unwrap()).unwrap()
    };
    let report = check("json");
    assert_valid(&report);
    assert_eq!(report["command"], "check");
    let kinds: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["unsynced", "unsynced"]);
    assert_valid_sarif(&check("sarif"));
}
