//! Findings as CI systems read them: a SARIF 2.1.0 log (`--format sarif`, for GitHub code
//! scanning and any SARIF viewer) and GitHub Actions workflow commands (`--format github`,
//! `::error file=…,line=…,col=…::…`, annotations on the pull request).
//!
//! Both locate a finding by a path the CI system resolves from the repository's root: the
//! finding's path inside the tree, under the tree's folder as given on the command line
//! ([`repository_path`]). The SARIF shapes follow the OASIS standard ("Static Analysis Results
//! Interchange Format Version 2.1.0", sections 3.13 `run`, 3.19 `toolComponent`, 3.27
//! `result`, 3.49 `reportingDescriptor`); the workflow commands GitHub's "Workflow commands
//! for GitHub Actions" (`error`, `warning`, `notice`, and their escaping).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{json, Value};

use crate::finding::{Finding, FindingKind, Level};

/// The URI of the SARIF 2.1.0 JSON schema a log names in `$schema`.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Where `finding` is, as a path from the repository's root: its path under `root` (the
/// tree as given on the command line, `.` and a leading `./` dropped), or, for a finding in
/// the rule file (a dead rule, a failing test), that path as given; `None` for a finding
/// about no file.
pub fn repository_path(root: &Path, finding: &Finding) -> Option<String> {
    if finding.path.is_empty() {
        return None;
    }
    if matches!(finding.kind, FindingKind::DeadRule | FindingKind::TestFailure) {
        return Some(finding.path.clone());
    }
    let root = root.to_string_lossy().replace('\\', "/");
    let root = root.trim_start_matches("./").trim_end_matches('/');
    Some(match root {
        "" | "." => finding.path.clone(),
        root => format!("{root}/{}", finding.path),
    })
}

/// The SARIF level of a finding's level: `error`, `warning`, `note`.
fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Info => "note",
    }
}

/// A relative path as a SARIF `artifactLocation.uri` (RFC 3986: every byte but the
/// unreserved ones and `/` percent-encoded).
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The SARIF 2.1.0 log of `findings` found in the tree at `root` (see [`repository_path`]):
/// one run of the tool `rebrand` whose rules are the finding kinds that occur (id the kind's
/// JSON name, `dead_rule`; the help [`FindingKind::help`]), one result per finding with its
/// level, message and, when it has a file, its location (line and column when known;
/// columns count Unicode code points, `columnKind`).
pub fn sarif_log(findings: &[Finding], root: &Path) -> Value {
    let kinds: Vec<FindingKind> = findings
        .iter()
        .map(|f| f.kind)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let rules: Vec<Value> = kinds
        .iter()
        .map(|k| {
            json!({
                "id": k.json_name(),
                "name": k.label(),
                "shortDescription": { "text": k.label() },
                "fullDescription": { "text": k.help() },
                "help": { "text": k.help() },
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let index = kinds
                .iter()
                .position(|k| *k == f.kind)
                .expect("every kind is a rule");
            let mut result = json!({
                "ruleId": f.kind.json_name(),
                "ruleIndex": index,
                "level": sarif_level(f.level),
                "message": { "text": f.described() },
            });
            if let Some(path) = repository_path(root, f) {
                let mut physical = json!({ "artifactLocation": { "uri": uri(&path) } });
                if f.line > 0 {
                    let mut region = json!({ "startLine": f.line });
                    if f.column > 0 {
                        region["startColumn"] = json!(f.column);
                    }
                    if !f.line_text.is_empty() {
                        region["snippet"] = json!({ "text": f.line_text });
                    }
                    physical["region"] = region;
                }
                result["locations"] = json!([{ "physicalLocation": physical }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": env!("CARGO_PKG_NAME"),
                    "version": crate::version::tool_version(),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

/// The GitHub Actions workflow commands of `findings` found in the tree at `root`, one line
/// each: `::error file=docs/a.md,line=3,col=7,title=rebrand leak::message` (`error`,
/// `warning` or `notice` as the level; the parts not known left out), escaped as the runner
/// reads them (`%`, CR and LF in the message; also `:` and `,` in a property).
pub fn github_annotations(findings: &[Finding], root: &Path) -> String {
    let mut out = String::new();
    for f in findings {
        let command = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "notice",
        };
        let mut properties = Vec::new();
        if let Some(path) = repository_path(root, f) {
            properties.push(format!("file={}", escape_property(&path)));
            if f.line > 0 {
                properties.push(format!("line={}", f.line));
                if f.column > 0 {
                    properties.push(format!("col={}", f.column));
                }
            }
        }
        properties.push(format!(
            "title={}",
            escape_property(&format!("rebrand {}", f.kind.name()))
        ));
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape_data(&f.described())
        ));
    }
    out
}

/// A workflow command's message, escaped (the runner's `escapeData`).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value, escaped (the runner's `escapeProperty`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leak() -> Finding {
        Finding {
            line: 3,
            column: 7,
            line_text: "Install Harvester, then".into(),
            text: "Harvester".into(),
            ..Finding::new(
                Level::Error,
                FindingKind::Leak,
                "docs/a b.md",
                "the brand, 100%: left",
            )
        }
    }

    #[test]
    fn a_sarif_result_points_at_the_line_and_column_under_the_tree() {
        let log = sarif_log(&[leak()], Path::new("./site/"));
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"][0]["id"], "leak");
        let result = &run["results"][0];
        assert_eq!(result["ruleId"], "leak");
        assert_eq!(result["level"], "error");
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], "site/docs/a%20b.md");
        assert_eq!(location["region"]["startLine"], 3);
        assert_eq!(location["region"]["startColumn"], 7);
        // A finding about no file has no location.
        let tree = Finding::new(Level::Info, FindingKind::InterruptedSync, "", "unfinished");
        let log = sarif_log(&[tree], Path::new("."));
        assert!(log["runs"][0]["results"][0].get("locations").is_none());
        assert_eq!(log["runs"][0]["results"][0]["level"], "note");
    }

    #[test]
    fn a_workflow_command_is_escaped_as_the_runner_reads_it() {
        let out = github_annotations(&[leak()], Path::new("site"));
        assert_eq!(
            out,
            "::error file=site/docs/a b.md,line=3,col=7,title=rebrand leak::the brand, 100%25: left\n"
        );
        let dead = Finding::new(
            Level::Warning,
            FindingKind::DeadRule,
            "rules/x.toml",
            "matched nothing",
        );
        assert_eq!(
            github_annotations(&[dead], Path::new("site")),
            "::warning file=rules/x.toml,title=rebrand dead-rule::matched nothing\n"
        );
    }
}
