//! The JSON reports: one object per run of `preview`, `apply` or `audit`, or of `sync`, for
//! CI and other tools, in the versioned shape that `docs/report-schema.md` documents and
//! gives as a JSON Schema.
//!
//! The report borrows from the run (rules, plan, findings) and adds up nothing itself: the
//! totals are [`Summary::of`]'s, the per-file counts the plan's own.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::ser::{SerializeMap, Serializer};

use super::{Listing, Run, Summary};
use crate::audit::{Finding, FindingKind, Level};
use crate::rules::{ExceptionPattern, RuleSet};
use crate::sync::{ConflictHunk, FileSync, Synced};
use crate::tree::{CopyReason, Outcome, Plan, Redirect};

/// The version of the report schema (docs/report-schema.md); bump on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// One run's report: serde-serializable, one JSON object per run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunReport<'a> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The program that wrote the report.
    pub tool: Tool,
    /// The subcommand: `"preview"`, `"apply"` or `"audit"`.
    pub command: &'a str,
    /// The rule file, as given on the command line.
    pub rules_file: String,
    /// The tree the run read, as given on the command line.
    pub input: String,
    /// The tree `apply` wrote; `None` for a run that writes nothing.
    pub output: Option<String>,
    /// How long the run took.
    pub timings: Timings,
    /// The totals of the planned tree; `None` when the run planned no tree (an audit of a
    /// branded tree).
    pub summary: Option<Totals>,
    /// Every substitution of the rule file, in file order, with its count.
    pub rules: Vec<RuleEntry<'a>>,
    /// Every exception of the rule file, in file order.
    pub exceptions: Vec<ExceptionEntry<'a>>,
    /// Every file of the planned output tree, sorted by output path (empty without a plan).
    pub files: Vec<FileEntry<'a>>,
    /// The page URLs renames moved, sorted (empty without a plan).
    pub redirects: &'a [Redirect],
    /// Upstream paths left out with their dropped locale, sorted (empty without a plan).
    pub dropped: &'a [String],
    /// How many findings there are, in all, by level and by kind.
    pub finding_counts: FindingCounts,
    /// The audit's findings, in the order the audit gave them.
    pub findings: &'a [Finding],
}

/// The program that wrote a report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Tool {
    /// Always `"rebrand"`.
    pub name: &'static str,
    /// Its version, with the build: [`crate::version::tool_version`].
    pub version: &'static str,
}

impl Tool {
    /// This program.
    pub fn this() -> Tool {
        Tool {
            name: env!("CARGO_PKG_NAME"),
            version: crate::version::tool_version(),
        }
    }
}

/// How long a run took.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Timings {
    /// Wall-clock time of the whole run, in milliseconds.
    pub total_ms: f64,
}

/// The totals of a planned tree: [`Summary`] with its path lists counted.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Totals {
    /// Files in the output (links included, folders not).
    pub files: usize,
    /// Files read as text.
    pub scanned: usize,
    /// Files the rewrite changed.
    pub changed: usize,
    /// Substitutions made, all rules together.
    pub substitutions: usize,
    /// Explicit heading ids added to keep anchors.
    pub heading_ids: usize,
    /// Link targets, image paths and doc ids rewritten to follow renames, anchors and assets.
    pub references: usize,
    /// Files and links at a renamed path.
    pub renamed: usize,
    /// Overlay files laid over the tree.
    pub overlay: usize,
    /// Overlay files that replace no file of the tree and that no `[[asset]]` remap targets
    /// (maybe a typo).
    pub overlay_new: usize,
    /// Files a vendor patch changed or created.
    pub patched: usize,
    /// Upstream files left out with their locale.
    pub dropped: usize,
    /// Files copied because they look binary.
    pub binary: usize,
    /// Files copied because they are not valid UTF-8.
    pub not_utf8: usize,
    /// Special files (FIFOs, sockets, devices) neither read nor written.
    pub special: usize,
}

impl From<&Summary> for Totals {
    fn from(s: &Summary) -> Totals {
        Totals {
            files: s.files,
            scanned: s.scanned,
            changed: s.changed,
            substitutions: s.substitutions(),
            heading_ids: s.heading_ids,
            references: s.references,
            renamed: s.renamed,
            overlay: s.overlay,
            overlay_new: s.overlay_new.len(),
            patched: s.patched,
            dropped: s.dropped,
            binary: s.binary,
            not_utf8: s.not_utf8.len(),
            special: s.special.len(),
        }
    }
}

/// One substitution of the rule file and how often it acted.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RuleEntry<'a> {
    /// The rule's id (its `from` when the rule file gives none).
    pub id: &'a str,
    /// The text it finds.
    pub from: &'a str,
    /// The text it puts in its place.
    pub to: &'a str,
    /// Substitutions it made in the whole tree; `None` without a plan.
    pub count: Option<usize>,
}

/// One exception of the rule file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExceptionEntry<'a> {
    /// The exception's id (its pattern when the rule file gives none).
    pub id: &'a str,
    /// `"literal"` or `"regex"`.
    pub kind: &'static str,
    /// The literal text or the regular expression.
    pub pattern: &'a str,
    /// Why it exists.
    pub reason: &'a str,
}

/// One file of the planned output tree.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileEntry<'a> {
    /// The upstream path, relative and `/`-separated (an overlay file's path in the overlay,
    /// a created file's output path).
    pub path: &'a str,
    /// The output path when a rename changed it.
    pub renamed_to: Option<&'a str>,
    /// How it was read as text (`"markdown"`, `"json"`, `"javascript"`, `"plain"`); `None`
    /// when it was not read as text.
    pub kind: Option<&'static str>,
    /// What happened to it: `"rewritten"`, `"unchanged"`, `"copied"`, `"symlink"`,
    /// `"special"`, `"overlay"` or `"created"`.
    pub outcome: &'static str,
    /// Why a copied file was not read as text: `"not_included"`, `"binary"`, `"not_utf8"`;
    /// `None` for other outcomes.
    pub copy_reason: Option<&'static str>,
    /// For an overlay file, whether it replaced a file of the tree; `None` for other outcomes.
    pub overlay_replaced: Option<bool>,
    /// For a symbolic link, where it leads: `"inside"`, `"ancestor"`, `"dangling"`, `"loop"`
    /// or `"outside"` (not written); `None` for other outcomes.
    pub link: Option<&'static str>,
    /// Substitutions made in it, by rule id, in rule-file order (only rules that acted).
    #[serde(serialize_with = "rule_counts")]
    pub substitutions: Vec<(&'a str, usize)>,
    /// Explicit heading ids added to it.
    pub heading_ids: usize,
    /// References in it rewritten to follow renames, anchors and assets.
    pub references: usize,
    /// Whether a vendor patch changed or created it.
    pub patched: bool,
}

/// How many findings there are.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct FindingCounts {
    /// All findings.
    pub total: usize,
    /// By level name (`error`, `warning`, `info`), every level present.
    pub by_level: BTreeMap<String, usize>,
    /// By kind name (`leak`, `stutter`, `dead_rule`, `near_miss`, `unread`, `front_matter`),
    /// every kind present.
    pub by_kind: BTreeMap<String, usize>,
}

impl FindingCounts {
    /// Counts `findings` by level and kind.
    pub fn of(findings: &[Finding]) -> FindingCounts {
        let zeros = |names: &mut dyn Iterator<Item = &str>| names.map(|n| (n.to_string(), 0)).collect();
        let mut counts = FindingCounts {
            total: findings.len(),
            by_level: zeros(&mut Level::ALL.iter().map(|l| l.name())),
            by_kind: zeros(&mut FindingKind::AUDIT.iter().map(|k| k.json_name())),
        };
        for f in findings {
            *counts.by_level.entry(f.level.name().to_string()).or_default() += 1;
            *counts.by_kind.entry(f.kind.json_name().to_string()).or_default() += 1;
        }
        counts
    }
}

/// The name serde gives a unit enum variant (`Level::Error` → `"error"`): the report and
/// the findings it carries always agree.
pub(crate) fn serde_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn rule_counts<S: Serializer>(counts: &[(&str, usize)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(counts.len()))?;
    for (id, n) in counts {
        map.serialize_entry(id, n)?;
    }
    map.end()
}

impl<'a> RunReport<'a> {
    /// The report of `run`, timed now.
    pub fn of(run: &Run<'a>) -> RunReport<'a> {
        run_report(
            run.command.name(),
            run.engine.rules(),
            run.input,
            run.output,
            run.plan,
            run.findings(),
            run.started.elapsed(),
        )
    }
}

/// The report of one run told part by part, for a caller without a [`Run`] (the commands
/// use [`RunReport::of`]): `command` (`"preview"`, `"apply"` or `"audit"`) with `rules` over
/// `input`, writing to `output` if it wrote a tree; `plan` when it planned one, `findings`
/// when it audited, `elapsed` its wall-clock time.
pub fn run_report<'a>(
    command: &'a str,
    rules: &'a RuleSet,
    input: &'a Path,
    output: Option<&'a Path>,
    plan: Option<&'a Plan>,
    findings: &'a [Finding],
    elapsed: Duration,
) -> RunReport<'a> {
    let summary = plan.map(|p| Summary::of(p, rules.substitutions.len()));
    let report_rules = rules
        .substitutions
        .iter()
        .enumerate()
        .map(|(i, s)| RuleEntry {
            id: &s.id,
            from: &s.from,
            to: &s.to,
            count: summary.as_ref().map(|sum| sum.per_rule[i]),
        })
        .collect();
    let exceptions = rules
        .exceptions
        .iter()
        .map(|e| {
            let (kind, pattern) = match &e.pattern {
                ExceptionPattern::Literal(text) => ("literal", text.as_str()),
                ExceptionPattern::Regex(re) => ("regex", re.as_str()),
            };
            ExceptionEntry {
                id: &e.id,
                kind,
                pattern,
                reason: &e.reason,
            }
        })
        .collect();
    let files = plan
        .map(|p| p.files.iter().map(|f| file_entry(rules, &f.report)).collect())
        .unwrap_or_default();
    RunReport {
        schema_version: SCHEMA_VERSION,
        tool: Tool::this(),
        command,
        rules_file: rules.path.display().to_string(),
        input: input.display().to_string(),
        output: output.map(|o| o.display().to_string()),
        timings: Timings {
            total_ms: elapsed.as_secs_f64() * 1000.0,
        },
        summary: summary.as_ref().map(Totals::from),
        rules: report_rules,
        exceptions,
        files,
        redirects: plan.map_or(&[], |p| &p.redirects),
        dropped: plan.map_or(&[], |p| &p.dropped),
        finding_counts: FindingCounts::of(findings),
        findings,
    }
}

/// The JSON report of one `links`, `check` or `test-rules` (`--format json`): the same
/// versioning and `tool` as [`RunReport`], the command's totals and its findings
/// (docs/report-schema.md, "The findings report").
#[derive(Debug, Clone, serde::Serialize)]
pub struct ListingReport<'a> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The program that wrote the report.
    pub tool: Tool,
    /// `"links"`, `"check"` or `"test-rules"`.
    pub command: &'static str,
    /// The tree (or for `test-rules` the rule file) as given on the command line.
    pub input: String,
    /// The command's own totals, by name.
    pub counts: &'a BTreeMap<&'static str, usize>,
    /// How many findings there are, in all, by level (every level present) and by kind
    /// (the kinds found only).
    pub finding_counts: FindingCounts,
    /// The findings, in the command's order.
    pub findings: &'a [Finding],
    /// How long the run took.
    pub timings: Timings,
}

impl<'a> ListingReport<'a> {
    /// The report of `listing`, timed now.
    pub fn of(listing: &Listing<'a>) -> ListingReport<'a> {
        let mut finding_counts = FindingCounts::of(listing.findings);
        finding_counts.by_kind.retain(|_, n| *n > 0);
        ListingReport {
            schema_version: SCHEMA_VERSION,
            tool: Tool::this(),
            command: listing.command,
            input: listing.input.display().to_string(),
            counts: listing.counts,
            finding_counts,
            findings: listing.findings,
            timings: Timings {
                total_ms: listing.started.elapsed().as_secs_f64() * 1000.0,
            },
        }
    }
}

/// The JSON report of one `explain` (`--format json`): the same versioning and `tool` as
/// [`RunReport`], then the [`Explanation`](crate::audit::Explanation)'s fields
/// (docs/report-schema.md, "The explain report").
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExplainReport<'a> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The program that wrote the report.
    pub tool: Tool,
    /// Always `"explain"`.
    pub command: &'static str,
    /// What `explain` says of the file.
    #[serde(flatten)]
    pub explanation: &'a crate::audit::Explanation,
}

impl<'a> ExplainReport<'a> {
    /// The report of `explanation`.
    pub fn of(explanation: &'a crate::audit::Explanation) -> ExplainReport<'a> {
        ExplainReport {
            schema_version: SCHEMA_VERSION,
            tool: Tool::this(),
            command: "explain",
            explanation,
        }
    }
}

/// The JSON report of one `rebrand sync` (`--format json`): the same versioning and `tool`
/// as [`RunReport`], its own fields after them (docs/report-schema.md, "The sync report").
#[derive(Debug, Clone, serde::Serialize)]
pub struct SyncReport<'a> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The program that wrote the report.
    pub tool: Tool,
    /// Always `"sync"`: what tells a sync report from a run report.
    pub command: &'static str,
    /// The upstream label the tree was synced from, and the one it is synced to now.
    pub upstream: UpstreamLabels<'a>,
    /// Whether this was the adoption of a hand-made edition (`--adopt`).
    pub adopted: bool,
    /// How many paths each action took, by the action's name (conflicts last); actions no
    /// path took are left out.
    pub counts: BTreeMap<String, usize>,
    /// Every path the sync acted on or reports, sorted, with its action (and, for a file
    /// moved to follow a rename, the path it was at: `moved_from`).
    pub files: &'a [FileSync],
    /// How many of `files` need a person (conflicts, and files edited here but deleted
    /// upstream); the sync exits 1 when there are any.
    pub conflicts: usize,
    /// The regions where the two sides' changes overlap, by conflicted path: the 1-based
    /// line of each `<<<<<<<` marker and the region's text, markers included.
    pub conflict_hunks: &'a BTreeMap<String, Vec<ConflictHunk>>,
    /// Files of the downstream that carried hand edits.
    pub hand_edited: usize,
    /// How many findings the audit of the synced tree has, by level and kind.
    pub finding_counts: FindingCounts,
    /// The audit of the synced tree's generated files, judged as branded: its findings
    /// (the sync exits 1 on an error).
    pub findings: &'a [Finding],
    /// Whether an interrupted sync was completed first.
    pub resumed: bool,
    /// How long the run took.
    pub timings: Timings,
}

/// The upstream labels (`--upstream-rev`) of a sync, `None` when none was given.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UpstreamLabels<'a> {
    /// The label recorded by the previous `apply` or `sync`.
    pub before: Option<&'a str>,
    /// The label of this sync.
    pub after: Option<&'a str>,
}

/// The report of `synced`, a sync that took `elapsed`.
pub fn sync_report<'a>(synced: &'a Synced, findings: &'a [Finding], elapsed: Duration) -> SyncReport<'a> {
    SyncReport {
        schema_version: SCHEMA_VERSION,
        tool: Tool::this(),
        command: "sync",
        upstream: UpstreamLabels {
            before: synced.labels.0.as_deref(),
            after: synced.labels.1.as_deref(),
        },
        adopted: synced.adopted,
        counts: synced.counts().iter().map(|(a, n)| (serde_name(a), *n)).collect(),
        files: &synced.files,
        conflicts: synced.conflicts(),
        conflict_hunks: &synced.conflict_hunks,
        hand_edited: synced.hand_edited,
        finding_counts: FindingCounts::of(findings),
        findings,
        resumed: synced.resumed,
        timings: Timings {
            total_ms: elapsed.as_secs_f64() * 1000.0,
        },
    }
}

fn file_entry<'a>(rules: &'a RuleSet, r: &'a crate::tree::FileReport) -> FileEntry<'a> {
    let mut entry = FileEntry {
        path: &r.path,
        renamed_to: r.renamed_to.as_deref(),
        kind: None,
        outcome: "",
        copy_reason: None,
        overlay_replaced: None,
        link: None,
        substitutions: Vec::new(),
        heading_ids: 0,
        references: 0,
        patched: r.patched || r.outcome == Outcome::Created,
    };
    entry.outcome = match &r.outcome {
        Outcome::Rewritten {
            kind,
            substitutions,
            heading_ids,
            references,
        } => {
            entry.kind = Some(kind.name());
            entry.heading_ids = *heading_ids;
            entry.references = *references;
            let mut by_index = substitutions.clone();
            by_index.sort_unstable();
            for (rule, n) in by_index {
                let id = rules.substitutions[rule].id.as_str();
                // Ids are names, not keys the rule file enforces: rules that share one share
                // a count, as a map must.
                match entry.substitutions.iter_mut().find(|(seen, _)| *seen == id) {
                    Some((_, total)) => *total += n,
                    None => entry.substitutions.push((id, n)),
                }
            }
            "rewritten"
        }
        Outcome::Unchanged(kind) => {
            entry.kind = Some(kind.name());
            "unchanged"
        }
        Outcome::Copied(reason) => {
            entry.copy_reason = Some(match reason {
                CopyReason::NotIncluded => "not_included",
                CopyReason::Binary => "binary",
                CopyReason::NotUtf8 => "not_utf8",
            });
            "copied"
        }
        Outcome::Symlink { leads, .. } => {
            entry.link = Some(leads.name());
            "symlink"
        }
        Outcome::Special => "special",
        Outcome::Overlay { replaced, .. } => {
            entry.overlay_replaced = Some(*replaced);
            "overlay"
        }
        Outcome::Created => "created",
    };
    entry
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(level: Level, kind: FindingKind) -> Finding {
        Finding {
            level,
            kind,
            path: "docs/a.md".into(),
            line: 1,
            column: 1,
            range: 0..9,
            context: None,
            text: "Harvester".into(),
            line_text: "Harvester".into(),
            message: "m".into(),
            rule: None,
        }
    }

    #[test]
    fn finding_counts_name_every_level_and_kind() {
        let counts = FindingCounts::of(&[
            finding(Level::Error, FindingKind::Leak),
            finding(Level::Info, FindingKind::Leak),
            finding(Level::Warning, FindingKind::NearMiss),
        ]);
        assert_eq!(counts.total, 3);
        assert_eq!(counts.by_level.len(), Level::ALL.len());
        assert_eq!(counts.by_kind.len(), FindingKind::AUDIT.len());
        assert_eq!(counts.by_level["error"], 1);
        assert_eq!(counts.by_level["info"], 1);
        assert_eq!(counts.by_kind["leak"], 2);
        assert_eq!(counts.by_kind["near_miss"], 1);
        assert_eq!(counts.by_kind["stutter"], 0);
    }

    #[test]
    fn shared_rule_ids_share_a_count() {
        let rules = RuleSet::parse(
            Path::new("r.toml"),
            "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\n\
             [[substitution]]\nfrom = \"Harvester\"\nto = \"NQRust Hypervisor\"\npaths = [\"docusaurus.config.js\"]\n",
        )
        .unwrap();
        let report = crate::tree::FileReport {
            path: "docusaurus.config.js".into(),
            renamed_to: None,
            outcome: Outcome::Rewritten {
                kind: crate::scan::FileKind::JavaScript,
                substitutions: vec![(1, 3), (0, 2)],
                heading_ids: 0,
                references: 0,
            },
            patched: false,
            refused: Vec::new(),
        };
        let entry = file_entry(&rules, &report);
        assert_eq!(entry.substitutions, vec![("Harvester", 5)]);
        let json = serde_json::to_value(&entry).unwrap();
        assert_eq!(json["substitutions"], serde_json::json!({"Harvester": 5}));
    }
}
