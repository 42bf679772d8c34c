//! The audit: what a reviewer of a branded edition asks besides "what changed": the upstream
//! brand left behind (leaks), doubled brand words a rebrand can create (stutters), rules that
//! never acted (dead rules) and upstream words close to a rule that no rule covers (near
//! misses). Runs on any tree: upstream (to plan) or branded (to verify).

use std::ops::Range;

use crate::scan::Context;

/// How serious a finding is. The order is the severity order (`Info` < `Warning` < `Error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth knowing, usually deliberate (the brand kept in code or a URL).
    Info,
    /// Probably a mistake (a rule that never acted, a near miss).
    Warning,
    /// A defect of the branded edition (the brand left in prose, a stutter).
    Error,
}

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The upstream brand left in the text: an error in prose, info elsewhere.
    Leak,
    /// A brand word doubled ("Hypervisor hypervisor", "NQRust NQRust").
    Stutter,
    /// A substitution or exception that matched nothing in the tree.
    DeadRule,
    /// An upstream word close to a rule's `from` that no rule covers ("Harvestor").
    NearMiss,
}

/// One finding of an audit, located in a file of the tree (or in the rule file, for a dead
/// rule).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// How serious it is.
    pub level: Level,
    /// What it is about.
    pub kind: FindingKind,
    /// The file: a relative `/`-separated path of the tree, or the rule file's path.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte range of the finding in the file.
    #[serde(skip)]
    pub range: Range<usize>,
    /// The context of the span it sits in (`None` for a dead rule).
    #[serde(serialize_with = "context_name")]
    pub context: Option<Context>,
    /// The text found (the leaked word, the doubled words, the near-miss word, the rule id).
    pub text: String,
    /// The whole line it sits on, for the snippet.
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
