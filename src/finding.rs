//! The one finding type: something a command found in a tree, located, with its kind and
//! level, that every printer (terminal, JSON, Markdown, HTML) shows.
//!
//! The audit makes findings ([`crate::audit`]), the link checker's broken references convert
//! into them (`site::links::BrokenLink`), and `check` lists its problems as findings. A rule
//! file's own problems are not findings but [`crate::rules::Diagnostic`]s, which refuse the
//! rule file; they share the scale of [`Level`].
//!
//! Every spelling of a kind (`dead-rule` on a terminal, `dead_rule` in JSON, "dead rule" on
//! the review page) comes from one table, [`FindingKind::spellings`].

use std::fmt;
use std::ops::Range;

use crate::scan::Context;

/// How serious a finding is. The order is the severity order (`Info` < `Warning` < `Error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Worth knowing, usually deliberate (the brand kept in code or a URL).
    Info,
    /// Probably a mistake (a rule that never acted, a near miss, files never read).
    Warning,
    /// A defect of the branded edition (the brand left in prose, a stutter, a front matter
    /// Docusaurus cannot read), a broken link, a problem `check` fails on.
    Error,
}

impl Level {
    /// Every level, most serious first.
    pub const ALL: [Level; 3] = [Level::Error, Level::Warning, Level::Info];

    /// The name every printer uses: `"error"`, `"warning"`, `"info"`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }
}

impl serde::Serialize for Level {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// What a finding is about. The order (the audit's kinds first) is the order reports group
/// findings in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    /// The upstream brand left in the text: an error in prose, info elsewhere.
    Leak,
    /// A brand word doubled ("Hypervisor hypervisor", "NQRust NQRust").
    Stutter,
    /// A substitution or exception that matched nothing in the tree.
    DeadRule,
    /// A word close to a rule's `from` that no rule covers ("Harvestor"), or in a tree judged
    /// as branded to a brand word of a `to` ("Hyypervisor").
    NearMiss,
    /// Files that hold the brand but that no `[files]` glob reads as text, so no rule
    /// rewrites them and the audit reads nothing else in them (one finding for the tree).
    Unread,
    /// A Markdown front matter that does not parse as YAML, or a `---` block never closed:
    /// Docusaurus fails to build the page.
    FrontMatter,
    /// An upstream identity marker (`[[identity]]`: a host, an analytics id, a copyright
    /// holder) left in the tree: an error in a tree judged as branded, a warning in one
    /// judged as upstream (to plan), info when an exception keeps it (with its reason).
    Identity,
    /// A link, image reference, doc id or `#anchor` that points nowhere (`rebrand links`);
    /// the text is the reference as written.
    BrokenLink,
    /// A file a sync would act on (`rebrand check`); the message is the action.
    Unsynced,
    /// A file that still holds conflict markers (`rebrand check`).
    ConflictMarkers,
    /// A sync was interrupted and is unfinished (`rebrand check`); no path.
    InterruptedSync,
    /// A `[[test]]` of the rule file whose `expect` is not what the rules write (`rebrand
    /// test-rules`), located at its `expect` value in the rule file.
    TestFailure,
}

impl FindingKind {
    /// The kinds an audit finds: the ones the JSON report (schema v1) counts, every one of
    /// them present in `finding_counts.by_kind`.
    pub const AUDIT: [FindingKind; 7] = [
        FindingKind::Leak,
        FindingKind::Stutter,
        FindingKind::DeadRule,
        FindingKind::NearMiss,
        FindingKind::Unread,
        FindingKind::FrontMatter,
        FindingKind::Identity,
    ];

    /// The three spellings of the kind, the one place they are written: the name for a
    /// terminal (`error[dead-rule]`), the name in JSON and Markdown reports (`dead_rule`,
    /// schema v1) and the label of the review page ("dead rule").
    pub fn spellings(self) -> (&'static str, &'static str, &'static str) {
        use FindingKind::*;
        match self {
            Leak => ("leak", "leak", "leak"),
            Stutter => ("stutter", "stutter", "stutter"),
            DeadRule => ("dead-rule", "dead_rule", "dead rule"),
            NearMiss => ("near-miss", "near_miss", "near miss"),
            Unread => ("unread", "unread", "unread files"),
            FrontMatter => ("front-matter", "front_matter", "front matter"),
            Identity => ("identity", "identity", "upstream identity"),
            BrokenLink => ("broken-link", "broken_link", "broken link"),
            Unsynced => ("unsynced", "unsynced", "not synced"),
            ConflictMarkers => ("conflict-markers", "conflict_markers", "conflict markers"),
            InterruptedSync => ("interrupted-sync", "interrupted_sync", "interrupted sync"),
            TestFailure => ("test-failure", "test_failure", "failing test"),
        }
    }

    /// What the kind means and what to do about it, in a sentence or two: the help of a
    /// rule in a SARIF log (`rules[].help`), which code-scanning pages show beside a result.
    pub fn help(self) -> &'static str {
        use FindingKind::*;
        match self {
            Leak => "The upstream brand is left in the text. In prose it is a defect of the branded edition: add or widen a substitution, or keep it on purpose with an [[exception]] that says why. Elsewhere (code, URLs) it is information.",
            Stutter => "A brand word is doubled (\"Hypervisor hypervisor\"), usually where a substitution's output meets the word upstream wrote after the name: add a longer substitution for the phrase.",
            DeadRule => "A substitution or exception matched nothing in the tree: its `from` is misspelt, or the text it was written for is gone upstream. Fix it or remove it.",
            NearMiss => "A word close to a rule's `from` (a typo of the brand) that no rule covers: fix the word upstream or add a substitution for the spelling.",
            Unread => "Files hold the brand but no [files] glob reads them as text, so no rule rewrites them: add their kind's glob, or leave them out on purpose.",
            FrontMatter => "A page's front matter does not parse as YAML, or its `---` block is never closed: the site generator fails on the page.",
            Identity => "An upstream identity marker (a host, an analytics id, a copyright holder) is left in the tree: replace it, or keep it with an [[exception]] that says why.",
            BrokenLink => "A link, image reference, doc id, cross reference or #anchor points nowhere in the tree as its generator builds it: fix the target, or rename with a [[rename]] rule so references follow.",
            Unsynced => "A sync would change this file: run `rebrand sync` to bring the upstream change in.",
            ConflictMarkers => "The file still holds the conflict markers of a sync's three-way merge: resolve the conflict and remove the markers.",
            InterruptedSync => "A sync was interrupted and is unfinished: run `rebrand sync` to complete it.",
            TestFailure => "A [[test]] of the rule file expects other text than the rules write: fix the rule or the test's `expect`.",
        }
    }

    /// The name on a terminal: `dead-rule`.
    pub fn name(self) -> &'static str {
        self.spellings().0
    }

    /// The name in the JSON and Markdown reports (schema v1): `dead_rule`.
    pub fn json_name(self) -> &'static str {
        self.spellings().1
    }

    /// The label of the review page: "dead rule".
    pub fn label(self) -> &'static str {
        self.spellings().2
    }
}

impl serde::Serialize for FindingKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.json_name())
    }
}

/// One finding, located in a file of the tree (or in the rule file, for a dead rule). What
/// is not known is empty or zero: a broken link has no column, `check`'s unfinished sync no
/// path.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// How serious it is.
    pub level: Level,
    /// What it is about.
    pub kind: FindingKind,
    /// The file: a relative `/`-separated path of the tree, or the rule file's path; empty
    /// for a finding about the whole tree.
    pub path: String,
    /// 1-based line; 0 when not known.
    pub line: usize,
    /// 1-based column, in characters; 0 when not known.
    pub column: usize,
    /// Byte range of the finding in the file (`0..0` when not known).
    #[serde(skip)]
    pub range: Range<usize>,
    /// The context of the span it sits in (`None` for a dead rule, unread files, a front
    /// matter finding and the findings of `links` and `check`).
    #[serde(serialize_with = "context_name")]
    pub context: Option<Context>,
    /// The text found (the leaked word, the doubled words, the near-miss word, the rule id,
    /// the first mention of an unread file, the rest of the line where a front matter stops
    /// parsing, a broken reference as written).
    pub text: String,
    /// The whole line it sits on, for the snippet (empty when not read).
    pub line_text: String,
    /// What is wrong, for a person to read.
    pub message: String,
    /// The rule or exception it concerns, by id (the exception that kept a leak, the rule
    /// nearest to a near miss, the dead rule).
    pub rule: Option<String>,
}

fn context_name<S: serde::Serializer>(context: &Option<Context>, s: S) -> Result<S::Ok, S::Error> {
    match context {
        Some(c) => s.serialize_some(c.name()),
        None => s.serialize_none(),
    }
}

impl Finding {
    /// A finding of `level` and `kind` in `path` saying `message`, not located further
    /// (line and column 0, no text, context, line or rule): add them with struct update.
    pub fn new(
        level: Level,
        kind: FindingKind,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            level,
            kind,
            path: path.into(),
            line: 0,
            column: 0,
            range: 0..0,
            context: None,
            text: String::new(),
            line_text: String::new(),
            message: message.into(),
            rule: None,
        }
    }
}

impl Finding {
    /// What is wrong, as a person reads it after the location: the message, a broken link's
    /// reference as written before it in backticks (`` `./b.md`: no file ``).
    pub fn described(&self) -> String {
        match self.kind {
            FindingKind::BrokenLink => format!("`{}`: {}", self.text, self.message),
            _ => self.message.clone(),
        }
    }
}

/// The finding on one line, as `links`, `check` and `sync` list them: `path:line:col:
/// message`, the parts not known left out; a broken link adds the reference in backticks
/// (`docs/a.md:3: `./b.md`: no file`), a file a sync would act on reads `a sync would act on
/// path: action`.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == FindingKind::Unsynced {
            return write!(f, "a sync would act on {}: {}", self.path, self.message);
        }
        if !self.path.is_empty() {
            f.write_str(&self.path)?;
            if self.line > 0 {
                write!(f, ":{}", self.line)?;
            }
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.described())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [FindingKind; 12] = [
        FindingKind::Leak,
        FindingKind::Stutter,
        FindingKind::DeadRule,
        FindingKind::NearMiss,
        FindingKind::Unread,
        FindingKind::FrontMatter,
        FindingKind::Identity,
        FindingKind::BrokenLink,
        FindingKind::Unsynced,
        FindingKind::ConflictMarkers,
        FindingKind::InterruptedSync,
        FindingKind::TestFailure,
    ];

    #[test]
    fn every_spelling_of_a_kind_comes_from_its_name() {
        for kind in ALL {
            let (name, json, _) = kind.spellings();
            assert_eq!(json, name.replace('-', "_"), "{kind:?}");
            assert_eq!(serde_json::to_value(kind).unwrap(), json);
        }
        let d = FindingKind::DeadRule;
        assert_eq!(
            (d.name(), d.json_name(), d.label()),
            ("dead-rule", "dead_rule", "dead rule")
        );
        assert_eq!(serde_json::to_value(Level::Warning).unwrap(), "warning");
    }

    #[test]
    fn one_line_leaves_out_what_is_not_known() {
        let audit = Finding {
            line: 3,
            column: 7,
            ..Finding::new(Level::Error, FindingKind::Leak, "docs/a.md", "the brand")
        };
        assert_eq!(audit.to_string(), "docs/a.md:3:7: the brand");
        let link = Finding {
            line: 3,
            text: "./b.md".into(),
            ..Finding::new(Level::Error, FindingKind::BrokenLink, "docs/a.md", "no file")
        };
        assert_eq!(link.to_string(), "docs/a.md:3: `./b.md`: no file");
        let f = Finding::new(
            Level::Error,
            FindingKind::ConflictMarkers,
            "b.md",
            "conflict markers remain",
        );
        assert_eq!(f.to_string(), "b.md: conflict markers remain");
        let f = Finding::new(Level::Error, FindingKind::Unsynced, "b.md", "updated");
        assert_eq!(f.to_string(), "a sync would act on b.md: updated");
        let f = Finding::new(Level::Error, FindingKind::InterruptedSync, "", "unfinished");
        assert_eq!(f.to_string(), "unfinished");
    }
}
