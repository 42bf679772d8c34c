//! The audit: what a reviewer of a branded edition asks besides "what changed": the upstream
//! brand left behind (leaks), doubled brand words a rebrand can create (stutters), rules that
//! never acted (dead rules), words close to a rule that no rule covers or to the new brand
//! (near misses), files that hold the brand but are never read (unread), and front matter
//! Docusaurus cannot read. Runs on any tree, judged as the caller says ([`Judge`]): upstream (to plan) or
//! branded (to verify). The judgement is never guessed from the tree: a hand-made edition
//! carries no marker, and an audit that took it for upstream would pass its leaks.

mod explain;

pub use explain::{explain, explanation, line_count, ExplainedMention, ExplainedSpan, Explanation};

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;
use regex::Regex;

pub use crate::finding::{Finding, FindingKind, Level};
use crate::rewrite::{apply_edits, Engine, Kept, Mention, Verdict};
pub use crate::rules::locate;
use crate::scan::{scan, Context, Dialect, Scanned, Span};
use crate::site::Generator;
use crate::tree::{text_and_other_files, TextFile, TreeError};

/// How an audit judges the tree it reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Judge {
    /// A branded edition, made by rebrand or by hand: a mention the rules would still rewrite
    /// is a leak, stutters are looked for in the text as it is, dead rules are not judged.
    #[default]
    Branded,
    /// An upstream tree, to plan a rebrand: mentions the rules rewrite are fine, stutters are
    /// looked for in the text as the rules would make it, rules that match nothing are dead.
    Upstream,
}

impl Judge {
    /// The name reports use: `"branded"` or `"upstream"`.
    pub fn name(self) -> &'static str {
        match self {
            Judge::Branded => "branded",
            Judge::Upstream => "upstream",
        }
    }
}

/// Brand mentions of one context: how many, how many the rules rewrite, how many they keep.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct MentionCounts {
    /// Every mention.
    pub total: usize,
    /// Mentions a substitution rewrites.
    pub rewritten: usize,
    /// Mentions left as they are (by context, case, word boundary, exception or path).
    pub kept: usize,
}

/// One brand mention, for `audit --mentions`: where, in which context, and its verdict.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ListedMention {
    /// Relative path.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The context's name.
    pub context: &'static str,
    /// The text of the mention.
    pub text: String,
    /// "rewritten by `brand`", "kept: inline_code is not among the contexts of `brand`", …
    pub verdict: String,
}

/// What `rebrand audit` found in a tree.
#[derive(Debug, Clone, Default)]
pub struct Audit {
    /// How the tree was judged (as the caller said, never from the tree's markers).
    pub judge: Judge,
    /// Files read as text.
    pub files: usize,
    /// Findings, sorted by path, line and column (the unread files, then dead rules, last).
    pub findings: Vec<Finding>,
    /// Brand mentions by context name.
    pub mentions: BTreeMap<&'static str, MentionCounts>,
    /// Every mention with its verdict, when asked for.
    pub listed: Vec<ListedMention>,
}

impl Audit {
    /// Findings of `level`.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// Every brand mention, over all contexts.
    pub fn total_mentions(&self) -> usize {
        self.mentions.values().map(|c| c.total).sum()
    }
}

/// What one file contributes to an audit.
#[derive(Default)]
struct FileAudit {
    findings: Vec<Finding>,
    mentions: BTreeMap<&'static str, MentionCounts>,
    listed: Vec<ListedMention>,
    /// Mentions per substitution index (any verdict).
    per_rule: Vec<usize>,
    /// Matches per exception index.
    per_exception: Vec<usize>,
}

/// Audits the tree at `root` with the rules of `engine`, judged as `judge` says: leaks,
/// stutters, dead rules, near misses, unread files and broken front matter, and the brand
/// mentions counted by context. `list` keeps every mention with its verdict (for
/// `--mentions`).
///
/// # Errors
/// [`TreeError::Io`] naming every file that cannot be read.
pub fn audit(engine: &Engine, root: &Path, judge: Judge, list: bool) -> Result<Audit, TreeError> {
    audit_only(engine, root, judge, list, |_| true)
}

/// [`audit`] of the files of the tree whose relative path `keep` takes (a sync audits only
/// the files it generates, not the vendor's own nor an upstream checkout inside the tree).
///
/// # Errors
/// As [`audit`].
pub fn audit_only(
    engine: &Engine,
    root: &Path,
    judge: Judge,
    list: bool,
    keep: impl Fn(&str) -> bool + Sync,
) -> Result<Audit, TreeError> {
    let branded = judge == Judge::Branded;
    let generator = crate::site::generator(root);
    let brand = brand_finder(engine);
    // Files no glob reads: their brand mentions, and the identity markers in them.
    let (mut files, others) = text_and_other_files(engine, root, |path, text| {
        if !keep(path) {
            return None;
        }
        let found = identities(engine, path, text, None, branded);
        let unread = unread_file(&brand, path, text);
        (unread.is_some() || !found.is_empty()).then_some((unread, found))
    })?;
    let mut unread = Vec::new();
    let mut unread_identities = Vec::new();
    for (u, found) in others {
        unread.extend(u);
        unread_identities.extend(found);
    }
    files.retain(|f| keep(&f.path));
    crate::progress::phase("auditing", files.len());
    let parts: Vec<FileAudit> = files
        .par_iter()
        .map(|f| {
            let part = audit_file(engine, generator, f, branded, list);
            crate::progress::advance();
            part
        })
        .collect();
    let rules = engine.rules();
    let mut audit = Audit {
        judge,
        files: files.len(),
        ..Audit::default()
    };
    let mut per_rule = vec![0; rules.substitutions.len()];
    let mut per_exception = vec![0; rules.exceptions.len()];
    for part in parts {
        audit.findings.extend(part.findings);
        audit.listed.extend(part.listed);
        for (context, c) in part.mentions {
            let total = audit.mentions.entry(context).or_default();
            total.total += c.total;
            total.rewritten += c.rewritten;
            total.kept += c.kept;
        }
        for (i, n) in part.per_rule.into_iter().enumerate() {
            per_rule[i] += n;
        }
        for (i, n) in part.per_exception.into_iter().enumerate() {
            per_exception[i] += n;
        }
    }
    audit.findings.extend(unread_identities);
    audit
        .findings
        .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    audit.findings.extend(unread_finding(unread));
    let dead = |span: &Range<usize>, what: &str, id: &str| {
        let (rule_file, line, column, line_text) = rules.sources.locate(span.start);
        Finding {
            level: Level::Warning,
            kind: FindingKind::DeadRule,
            path: rule_file.display().to_string(),
            line,
            column,
            range: span.clone(),
            context: None,
            text: id.to_string(),
            line_text,
            message: format!("{what} `{id}` matched nothing in the tree"),
            rule: Some(id.to_string()),
        }
    };
    // In a branded tree every substitution has done its work: a rule without a mention
    // there says nothing, so dead rules are judged on upstream trees only.
    if branded {
        return Ok(audit);
    }
    for (s, n) in rules.substitutions.iter().zip(&per_rule) {
        if *n == 0 {
            audit.findings.push(dead(&s.span, "substitution", &s.id));
        }
    }
    for (e, n) in rules.exceptions.iter().zip(&per_exception) {
        if *n == 0 {
            audit.findings.push(dead(&e.span, "exception", &e.id));
        }
    }
    Ok(audit)
}

fn audit_file(
    engine: &Engine,
    generator: &dyn Generator,
    file: &TextFile,
    branded: bool,
    list: bool,
) -> FileAudit {
    let rules = engine.rules();
    let text = &file.text;
    let active = engine.active(&file.path);
    let reading = engine.reading(&active);
    let scanned = scan(file.kind, text, &reading);
    let edits = engine.edits(text, &scanned.spans, &active);
    let mentions = engine.mentions(text, &scanned.spans, &active, &edits);
    let mut out = FileAudit {
        per_rule: vec![0; rules.substitutions.len()],
        per_exception: vec![0; rules.exceptions.len()],
        ..FileAudit::default()
    };
    for (_, id) in engine.exception_matches(text, &active) {
        out.per_exception[id] += 1;
    }
    for m in &mentions {
        let counts = out.mentions.entry(m.context.name()).or_default();
        counts.total += 1;
        let rule = match m.verdict {
            Verdict::Rewritten(r) => {
                counts.rewritten += 1;
                r
            }
            Verdict::Kept { rule, .. } => {
                counts.kept += 1;
                rule
            }
        };
        out.per_rule[rule] += 1;
        if list {
            let (line, column, _) = locate(text, m.range.start);
            out.listed.push(ListedMention {
                path: file.path.clone(),
                line,
                column,
                context: m.context.name(),
                text: text[m.range.clone()].to_string(),
                verdict: verdict(engine, m),
            });
        }
        if let Some(f) = leak(engine, file, m, branded) {
            out.findings.push(f);
        }
    }
    // Stutters are looked for in the text as it is once branded.
    let branded_text;
    let rescanned;
    let (check, blocks): (&str, &Scanned) = if branded || edits.is_empty() {
        (text, &scanned)
    } else {
        branded_text = apply_edits(text, &edits);
        rescanned = scan(file.kind, &branded_text, &reading);
        (&branded_text, &rescanned)
    };
    out.findings.extend(stutters(
        engine,
        file,
        check,
        blocks,
        !branded && !edits.is_empty(),
    ));
    out.findings
        .extend(near_misses(engine, file, &scanned.spans, &mentions, branded));
    out.findings.extend(identities(
        engine,
        &file.path,
        text,
        Some(&scanned.spans),
        branded,
    ));
    if file.kind.dialect(Dialect::default()).is_some() {
        out.findings.extend(broken_front_matter(generator, file));
    }
    out
}

/// The error finding of a Markdown file whose front matter Docusaurus cannot read: a block
/// opened with `---` on the first line that is never closed, or YAML that does not parse
/// (located where the parser stopped, with its message). `None` when there is no front
/// matter or it parses.
fn broken_front_matter(generator: &dyn Generator, file: &TextFile) -> Option<Finding> {
    let text = &file.text;
    // A byte order mark is no part of the content (as the scan reads it).
    let bom = text.len() - text.trim_start_matches('\u{feff}').len();
    let body = &text[bom..];
    if body.split_inclusive('\n').next()?.trim_end() != "---" {
        return None;
    }
    let (offset, message) = match crate::scan::front_matter_block(body) {
        Some((inner, _)) => {
            let yaml = &body[inner.clone()];
            let error = yaml_rust2::YamlLoader::load_from_str(yaml).err()?;
            // The parser counts lines from 1 and columns from 0, in characters.
            let mark = error.marker();
            let line_start: usize = yaml
                .split_inclusive('\n')
                .take(mark.line().saturating_sub(1))
                .map(str::len)
                .sum();
            let line = &yaml[line_start.min(yaml.len())..];
            let column = line
                .char_indices()
                .take_while(|&(_, c)| c != '\n')
                .nth(mark.col())
                .map_or(line.trim_end_matches(['\n', '\r']).len(), |(i, _)| i);
            (
                bom + inner.start + line_start.min(yaml.len()) + column,
                format!(
                    "the front matter does not parse as YAML: {}; {} cannot build this page",
                    error.info(),
                    generator.name()
                ),
            )
        }
        None => (
            bom,
            format!(
                "the front matter opened with `---` is never closed: {} cannot build this page",
                generator.name()
            ),
        ),
    };
    let (line, column, line_text) = locate(text, offset);
    let rest = text[offset..].lines().next().unwrap_or("");
    Some(Finding {
        level: Level::Error,
        kind: FindingKind::FrontMatter,
        path: file.path.clone(),
        line,
        column,
        range: offset..offset + rest.len(),
        context: None,
        text: rest.to_string(),
        line_text,
        message,
        rule: None,
    })
}

/// Finds every substitution's `from`, ignoring ASCII case: the brand as the mentions by
/// context count it, for the files the rules do not read.
fn brand_finder(engine: &Engine) -> AhoCorasick {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .build(engine.rules().substitutions.iter().map(|s| s.from.as_str()))
        .expect("the rules' `from`s already built the engine's automaton")
}

/// A file no glob reads that holds the brand: how many mentions, and the first one.
struct UnreadFile {
    path: String,
    mentions: usize,
    first: Range<usize>,
    word: String,
    line: usize,
    column: usize,
    line_text: String,
}

/// The brand mentions of `text` at `path`, a file no glob reads; `None` when it has none.
fn unread_file(brand: &AhoCorasick, path: &str, text: &str) -> Option<UnreadFile> {
    let mut found = brand.find_iter(text);
    let first = found.next()?;
    let (line, column, line_text) = locate(text, first.start());
    Some(UnreadFile {
        path: path.to_string(),
        mentions: 1 + found.count(),
        first: first.range(),
        word: text[first.range()].to_string(),
        line,
        column,
        line_text,
    })
}

/// Examples of unread files and extensions a finding names.
const UNREAD_EXAMPLES: usize = 3;

/// The one finding for every unread file that holds the brand (`None` when none does):
/// how many files and mentions, by extension and the files with the most, located at the
/// first mention of the file with the most.
fn unread_finding(mut unread: Vec<UnreadFile>) -> Option<Finding> {
    unread.sort_by(|a, b| b.mentions.cmp(&a.mentions).then_with(|| a.path.cmp(&b.path)));
    let top = unread.first()?;
    let total: usize = unread.iter().map(|u| u.mentions).sum();
    let mut by_ext: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for u in &unread {
        let name = u.path.rsplit('/').next().unwrap_or(&u.path);
        let ext = name.rfind('.').filter(|&i| i > 0).map_or("", |i| &name[i..]);
        let e = by_ext.entry(ext).or_default();
        e.0 += 1;
        e.1 += u.mentions;
    }
    let mut by_ext: Vec<_> = by_ext.into_iter().collect();
    by_ext.sort_by(|a, b| (b.1).1.cmp(&(a.1).1).then(a.0.cmp(b.0)));
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let exts: Vec<String> = by_ext
        .iter()
        .take(UNREAD_EXAMPLES)
        .map(|(ext, (files, mentions))| {
            let ext = if ext.is_empty() {
                "no extension".to_string()
            } else {
                format!("`{ext}`")
            };
            format!(
                "{ext} {} with {}",
                plural(*files, "file", "files"),
                plural(*mentions, "mention", "mentions")
            )
        })
        .collect();
    let paths: Vec<String> = unread
        .iter()
        .take(UNREAD_EXAMPLES)
        .map(|u| format!("`{}` ({})", u.path, u.mentions))
        .collect();
    let them = if unread.len() == 1 { "it" } else { "them" };
    let more = |n: usize| {
        if n > UNREAD_EXAMPLES {
            format!(", {} more", n - UNREAD_EXAMPLES)
        } else {
            String::new()
        }
    };
    let message = format!(
        "not read: {} {} that no `[files]` glob reads as text, so no rule rewrites {them} (by extension: {}{}; most in {}{}); add a glob to `[files]`, or `exclude` {them}",
        plural(unread.len(), "file holds", "files hold"),
        plural(total, "brand mention", "brand mentions"),
        exts.join(", "),
        more(by_ext.len()),
        paths.join(", "),
        more(unread.len()),
    );
    Some(Finding {
        level: Level::Warning,
        kind: FindingKind::Unread,
        path: top.path.clone(),
        line: top.line,
        column: top.column,
        range: top.first.clone(),
        context: None,
        text: top.word.clone(),
        line_text: top.line_text.clone(),
        message,
        rule: None,
    })
}

/// The upstream identity markers (`[[identity]]`) in `text`, the file at `path`: each
/// occurrence in a context the marker counts in (`spans` of the file as the rules read it;
/// `None` for a file no glob reads, where every occurrence counts), as an error when the
/// tree is judged as branded, else a warning; info when an exception keeps it.
fn identities(
    engine: &Engine,
    path: &str,
    text: &str,
    spans: Option<&[Span]>,
    branded: bool,
) -> Vec<Finding> {
    let rules = engine.rules();
    if rules.identities.is_empty() {
        return Vec::new();
    }
    let active = engine.active(path);
    let kept = engine.exception_matches(text, &active);
    let mut out = Vec::new();
    for marker in &rules.identities {
        if marker.paths.as_ref().is_some_and(|p| !p.is_match(path)) {
            continue;
        }
        for range in marker.pattern.ranges(text) {
            let context = spans.and_then(|s| crate::scan::span_at(s, range.start).map(|i| s[i].context));
            if context.is_some_and(|c| !marker.contexts.contains(c)) {
                continue;
            }
            // The exception that covers it, the longest (the most specific) where several do.
            let keeper = kept
                .iter()
                .filter(|(k, _)| k.start <= range.start && range.end <= k.end)
                .max_by_key(|(k, _)| k.len())
                .map(|(_, e)| &rules.exceptions[*e]);
            let (level, message) = match keeper {
                Some(e) => (
                    Level::Info,
                    format!(
                        "`{}` ({}) kept by exception `{}`: {}",
                        &text[range.clone()],
                        marker.what,
                        e.id,
                        e.reason
                    ),
                ),
                None => (
                    if branded { Level::Error } else { Level::Warning },
                    format!(
                        "`{}` is {} (identity marker `{}`){}",
                        &text[range.clone()],
                        marker.what,
                        marker.id,
                        context.map_or(" in a file no glob reads".to_string(), |c| format!(
                            " in {}",
                            c.name()
                        ))
                    ),
                ),
            };
            let (line, column, line_text) = locate(text, range.start);
            out.push(Finding {
                level,
                kind: FindingKind::Identity,
                path: path.to_string(),
                line,
                column,
                range: range.clone(),
                context,
                text: text[range].to_string(),
                line_text,
                message,
                rule: Some(keeper.map_or_else(|| marker.id.clone(), |e| e.id.clone())),
            });
        }
    }
    out
}

/// A person's reading of what the rewrite does with mention `m`.
pub fn verdict(engine: &Engine, m: &Mention) -> String {
    let rules = engine.rules();
    match m.verdict {
        Verdict::Rewritten(r) => format!(
            "rewritten by `{}` to `{}`",
            rules.substitutions[r].id, rules.substitutions[r].to
        ),
        Verdict::Kept { rule, why } => {
            let s = &rules.substitutions[rule];
            match why {
                Kept::Path => format!(
                    "kept: rule `{}` does not act on this file (its `paths` or `locale`)",
                    s.id
                ),
                Kept::Case => format!("kept: the case differs and rule `{}` is case-exact", s.id),
                Kept::Context => {
                    let contexts: Vec<&str> = s.contexts.iter().map(|c| c.name()).collect();
                    format!(
                        "kept: {} is not among the contexts of rule `{}` ({})",
                        m.context.name(),
                        s.id,
                        contexts.join(", ")
                    )
                }
                Kept::Boundary => format!("kept: part of a longer word, rule `{}` matches whole words", s.id),
                Kept::Exception(e) => {
                    let e = &rules.exceptions[e];
                    format!("kept by exception `{}`: {}", e.id, e.reason)
                }
                Kept::Output(r) => format!(
                    "kept: it reads as the output of rule `{}` (`{}`) already",
                    rules.substitutions[r].id, rules.substitutions[r].to
                ),
            }
        }
    }
}

/// The leak finding of mention `m`, if it is one: the brand left in prose is an error
/// (unless an exception keeps it, or it is an all-lower-case identifier), elsewhere info.
/// In a branded tree, a mention the rules would still rewrite is an error anywhere.
fn leak(engine: &Engine, file: &TextFile, m: &Mention, branded: bool) -> Option<Finding> {
    let word = &file.text[m.range.clone()];
    let prose = m.context == Context::Prose;
    let (level, rule) = match m.verdict {
        Verdict::Rewritten(r) if branded => (Level::Error, r),
        Verdict::Rewritten(_) => return None,
        // A longer word: a near miss, reported as such when in prose.
        Verdict::Kept {
            why: Kept::Boundary, ..
        } if prose => return None,
        // The brand itself ("NQRust Fleet" for `Fleet` → `NQRust Fleet`): no leak anywhere.
        Verdict::Kept {
            why: Kept::Output(_), ..
        } => return None,
        Verdict::Kept {
            rule,
            why: Kept::Exception(_),
        } => (Level::Info, rule),
        Verdict::Kept {
            rule,
            why: Kept::Case,
        } if prose && word.chars().any(char::is_uppercase) => (Level::Error, rule),
        Verdict::Kept {
            rule,
            why: Kept::Path | Kept::Context,
        } if prose => (Level::Error, rule),
        Verdict::Kept { rule, .. } => (Level::Info, rule),
    };
    let (line, column, line_text) = locate(&file.text, m.range.start);
    let reading = verdict(engine, m);
    let message = match m.verdict {
        Verdict::Rewritten(_) => format!(
            "`{word}` is still here: {} (was this tree branded with these rules?)",
            reading
                .replace("rewritten by", "rule")
                .replace(" to `", " rewrites it to `")
        ),
        _ => format!("`{word}` left in {}: {reading}", m.context.name()),
    };
    let exception = match m.verdict {
        Verdict::Kept {
            why: Kept::Exception(e),
            ..
        } => Some(engine.rules().exceptions[e].id.clone()),
        _ => None,
    };
    Some(Finding {
        level,
        kind: FindingKind::Leak,
        path: file.path.clone(),
        line,
        column,
        range: m.range.clone(),
        context: Some(m.context),
        text: word.to_string(),
        line_text,
        message,
        rule: exception.or_else(|| Some(engine.rules().substitutions[rule].id.clone())),
    })
}

/// Words as the audit sees them: letters and digits, with inner apostrophes and hyphens.
fn words() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*").expect("word pattern is valid"))
}

/// The brand words of the rules: every alphabetic word of a substitution's `from` and `to`
/// (three letters or more), lower-cased.
fn brand_words(engine: &Engine) -> Vec<String> {
    let mut out: Vec<String> = engine
        .rules()
        .substitutions
        .iter()
        .flat_map(|s| [s.from.as_str(), s.to.as_str()])
        .flat_map(|t| t.split_whitespace())
        .filter(|w| w.len() >= 3 && w.chars().all(char::is_alphabetic))
        .map(str::to_lowercase)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Doubled brand words in `text` (as `scanned` reads it): the same brand word twice,
/// ignoring case, with nothing but white space and emphasis or code markup between, both in
/// prose and in one block. "GitOps" ending a heading and "GitOps" starting the paragraph
/// below are two blocks, as are two front matter values: a block break of the scan, or a
/// blank line (the only paragraph break plain text has), parts the pair.
fn stutters(
    engine: &Engine,
    file: &TextFile,
    text: &str,
    scanned: &Scanned,
    after_rewrite: bool,
) -> Vec<Finding> {
    let spans = &scanned.spans;
    let one_block = |gap: Range<usize>| {
        let next = scanned.breaks.partition_point(|&b| b < gap.start);
        scanned.breaks.get(next).is_none_or(|&b| b > gap.end)
            && text[gap].bytes().filter(|&c| c == b'\n').count() < 2
    };
    let brand = brand_words(engine);
    let allowed: Vec<String> = engine
        .rules()
        .audit
        .allow_stutters
        .iter()
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
        .collect();
    let in_prose = |offset: usize| {
        crate::scan::span_at(spans, offset).is_some_and(|i| spans[i].context == Context::Prose)
    };
    let mut out = Vec::new();
    let mut previous: Option<regex::Match> = None;
    for w in words().find_iter(text) {
        if let Some(p) = previous {
            let gap = &text[p.end()..w.start()];
            let lower = w.as_str().to_lowercase();
            if lower == p.as_str().to_lowercase()
                && brand.contains(&lower)
                && !gap.is_empty()
                && gap
                    .chars()
                    .all(|c| c.is_whitespace() || matches!(c, '*' | '_' | '~' | '`'))
                && in_prose(p.start())
                && in_prose(w.start())
                && one_block(p.end()..w.start())
                && !allowed.contains(&format!("{lower} {lower}"))
            {
                let (line, column, line_text) = locate(text, p.start());
                let doubled = &text[p.start()..w.end()];
                let when = if after_rewrite { " once branded" } else { "" };
                out.push(Finding {
                    level: Level::Error,
                    kind: FindingKind::Stutter,
                    path: file.path.clone(),
                    line,
                    column,
                    range: p.start()..w.end(),
                    context: Some(Context::Prose),
                    text: doubled.to_string(),
                    line_text,
                    message: format!("`{doubled}`: the brand word is doubled{when}"),
                    rule: None,
                });
            }
        }
        previous = Some(w);
    }
    out
}

/// A word near misses are measured against.
struct Target<'a> {
    /// The word, lower-cased.
    lower: String,
    /// The word as the rule writes it.
    word: &'a str,
    /// The rule it comes from.
    rule: &'a crate::rules::Substitution,
    /// Whether it is a brand word of the rule's `to` (else its `from`).
    new_brand: bool,
}

/// The words near misses are measured against: every single-word `from` (five letters or
/// more), and in a branded tree also the new brand: every single-word `to`, and the words a
/// multi-word `to` does not keep from its `from` (`Hypervisor`, `NQRust`), whose typos a
/// hand-made edition has (`Hyypervisor`). A `to` word is named by the first rule
/// whose whole `to` it is, else by the first whose `to` holds it.
fn near_miss_targets(engine: &Engine, branded: bool) -> Vec<Target<'_>> {
    let rules = &engine.rules().substitutions;
    let long_word = |w: &str| w.len() >= 5 && w.chars().all(char::is_alphabetic);
    let mut out: Vec<Target> = rules
        .iter()
        .filter(|s| long_word(&s.from))
        .map(|s| Target {
            lower: s.from.to_lowercase(),
            word: &s.from,
            rule: s,
            new_brand: false,
        })
        .collect();
    if branded {
        let whole = rules
            .iter()
            .filter(|s| long_word(&s.to))
            .map(|s| (s.to.as_str(), s));
        // The words a multi-word `to` brings in, not those it keeps from its `from`: "NQRust"
        // of "NQRust Hypervisor", not "cluster" of "Create a new Hypervisor cluster".
        let parts = rules.iter().flat_map(|s| {
            s.to.split_whitespace()
                .filter(|w| long_word(w))
                .filter(|w| !s.from.split_whitespace().any(|f| f.eq_ignore_ascii_case(w)))
                .map(move |w| (w, s))
        });
        for (word, rule) in whole.chain(parts) {
            let lower = word.to_lowercase();
            if !out.iter().any(|t| t.lower == lower) {
                out.push(Target {
                    lower,
                    word,
                    rule,
                    new_brand: true,
                });
            }
        }
    }
    out
}

/// Whether `word` (lower-cased) is `target` inflected or in a compound (`hypervisors`,
/// `hypervisor's`, `hypervisor-based`): the new brand used as a word, not a typo of it.
fn inflected(word: &str, target: &str) -> bool {
    word.strip_prefix(target).is_some_and(|rest| {
        matches!(rest, "s" | "es" | "'s" | "’s" | "s'" | "s’") || rest.starts_with(['-', '\'', '’'])
    })
}

/// Prose words close to a single-word `from` that no rule rewrites and no exception keeps:
/// the `from` with something attached (`HarvesterOS`, `Harvesters`), or one or two letters
/// off (`Harvestor`). In a branded tree (`branded`), also words one or two letters off a
/// brand word of a `to` (`Hyypervisor`, `Hypervsor`); a brand word itself, inflected or in a
/// compound, is none.
fn near_misses(
    engine: &Engine,
    file: &TextFile,
    spans: &[Span],
    mentions: &[Mention],
    branded: bool,
) -> Vec<Finding> {
    let targets = near_miss_targets(engine, branded);
    if targets.is_empty() {
        return Vec::new();
    }
    let text = &file.text;
    let mut out = Vec::new();
    for span in spans.iter().filter(|s| s.context == Context::Prose) {
        for w in words().find_iter(&text[span.range.clone()]) {
            let range = span.range.start + w.start()..span.range.start + w.end();
            let covered = mentions.iter().any(|m| {
                m.range.start < range.end
                    && m.range.end > range.start
                    && !matches!(
                        m.verdict,
                        Verdict::Kept {
                            why: Kept::Boundary,
                            ..
                        }
                    )
            });
            if covered {
                continue;
            }
            let lower = w.as_str().to_lowercase();
            // A brand word as it is, in any case, is no miss of another.
            if targets.iter().any(|t| t.lower == lower) {
                continue;
            }
            // The first letter must agree (typos there are rare, and it spares the edit
            // distance for nearly every word of the tree).
            let near = targets.iter().find(|t| {
                let target = t.lower.as_str();
                let close = || {
                    lower.len() + 2 >= target.len()
                        && lower.len() <= target.len() + 2
                        && strsim::damerau_levenshtein(&lower, target) <= 2
                };
                lower.as_bytes().first() == target.as_bytes().first()
                    && if t.new_brand {
                        !inflected(&lower, target) && close()
                    } else {
                        lower.starts_with(target) || close()
                    }
            });
            if let Some(t) = near {
                let (line, column, line_text) = locate(text, range.start);
                let message = if t.new_brand {
                    format!(
                        "`{}` is close to `{}`, a brand word of rule `{}`: a typo of the new brand?",
                        w.as_str(),
                        t.word,
                        t.rule.id
                    )
                } else {
                    format!(
                        "`{}` is close to `{}` (rule `{}`), but no rule rewrites it",
                        w.as_str(),
                        t.word,
                        t.rule.id
                    )
                };
                out.push(Finding {
                    level: Level::Warning,
                    kind: FindingKind::NearMiss,
                    path: file.path.clone(),
                    line,
                    column,
                    range,
                    context: Some(Context::Prose),
                    text: w.as_str().to_string(),
                    line_text,
                    message,
                    rule: Some(t.rule.id.clone()),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::rules::RuleSet;
    use crate::scan::FileKind;

    /// The findings above info of `text` read as a file at `path`, with `rules`.
    fn findings(rules: &str, path: &str, text: &str, judge: Judge) -> Vec<(FindingKind, usize, String)> {
        let engine = Engine::new(RuleSet::parse(Path::new("t.toml"), rules).unwrap()).unwrap();
        let kind = engine.rules().files.kind_of(path).unwrap_or(FileKind::Plain);
        let file = TextFile {
            path: path.into(),
            kind,
            text: text.into(),
        };
        audit_file(
            &engine,
            &crate::site::docusaurus::Docusaurus,
            &file,
            judge == Judge::Branded,
            false,
        )
        .findings
        .into_iter()
        .filter(|f| f.level > Level::Info)
        .map(|f| (f.kind, f.line, f.text))
        .collect()
    }

    const GITOPS: &str = "[[substitution]]\nfrom = \"Flux\"\nto = \"GitOps\"\n";
    const BRAND: &str = "[[substitution]]\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n";

    fn stutters(rules: &str, path: &str, text: &str, judge: Judge) -> Vec<(usize, String)> {
        findings(rules, path, text, judge)
            .into_iter()
            .filter(|f| f.0 == FindingKind::Stutter)
            .map(|(_, line, text)| (line, text))
            .collect()
    }

    #[test]
    fn a_stutter_is_two_brand_words_of_one_block() {
        let md = |text| stutters(GITOPS, "docs/a.md", text, Judge::Branded);
        // A heading and the paragraph below it, with or without a blank line between.
        assert_eq!(
            md("## Deploy with GitOps\n\nGitOps tools sync the cluster.\n"),
            vec![]
        );
        assert_eq!(
            md("## Deploy with GitOps\nGitOps tools sync the cluster.\n"),
            vec![]
        );
        // Two list items, two table cells, two front matter values, an admonition's title
        // and its body.
        assert_eq!(md("* Use GitOps\n* GitOps tools\n"), vec![]);
        assert_eq!(md("| GitOps |\n|---|\n| GitOps |\n"), vec![]);
        assert_eq!(md("---\nkeywords:\n  - GitOps\n  - GitOps\n---\n"), vec![]);
        assert_eq!(
            md("---\ntitle: Use GitOps\ndescription: GitOps tools\n---\n"),
            vec![]
        );
        assert_eq!(
            md(":::note Use GitOps\nGitOps tools sync the cluster.\n:::\n"),
            vec![]
        );
        assert_eq!(
            stutters(
                GITOPS,
                "a.json",
                "{\"label\": \"GitOps\", \"description\": \"GitOps\"}",
                Judge::Branded
            ),
            vec![]
        );
        assert_eq!(
            stutters(GITOPS, "a.txt", "Use GitOps\n\nGitOps tools\n", Judge::Branded),
            vec![]
        );
        // Within one paragraph, across a line break or emphasis, it is one.
        assert_eq!(
            stutters(
                BRAND,
                "docs/a.md",
                "The Hypervisor\nhypervisor boots.\n",
                Judge::Branded
            ),
            vec![(1, "Hypervisor\nhypervisor".into())]
        );
        assert_eq!(
            stutters(
                BRAND,
                "docs/a.md",
                "- The **Hypervisor** hypervisor boots.\n",
                Judge::Branded
            ),
            vec![(1, "Hypervisor** hypervisor".into())]
        );
        // Upstream: judged in the text the rules make.
        assert_eq!(
            stutters(
                GITOPS,
                "docs/a.md",
                "## Deploy with Flux\n\nFlux tools sync.\n",
                Judge::Upstream
            ),
            vec![]
        );
        assert_eq!(
            stutters(
                GITOPS,
                "docs/a.md",
                "Deploy Flux\nGitOps tools.\n",
                Judge::Upstream
            ),
            vec![(1, "GitOps\nGitOps".into())]
        );
    }

    #[test]
    fn typos_of_the_new_brand_are_near_misses_in_a_branded_tree() {
        let rules = "[[substitution]]\nid = \"hypervisor\"\nfrom = \"Harvester hypervisor\"\nto = \"NQRust Hypervisor\"\n\
                     [[substitution]]\nid = \"brand\"\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\
                     [[substitution]]\nid = \"ui\"\nfrom = \"Create a new Harvester cluster\"\nto = \"Create a new Hypervisor cluster\"\n";
        let text = "The Hyypervisor and the Hypervsor boot the NQRsut cluster.\n\n\
                    Hypervisors, hypervisor's, Hypervisor-based and NQRust Hypervisor are fine; so is a supervisor, \
                    and words the `to`s keep from their `from`s: clustered, created.\n\n\
                    The Harvestor console.\n";
        let near = |judge| -> Vec<(usize, String, Option<String>)> {
            let engine = Engine::new(RuleSet::parse(Path::new("t.toml"), rules).unwrap()).unwrap();
            let file = TextFile {
                path: "docs/a.md".into(),
                kind: FileKind::Markdown,
                text: text.into(),
            };
            audit_file(
                &engine,
                &crate::site::docusaurus::Docusaurus,
                &file,
                judge == Judge::Branded,
                false,
            )
            .findings
            .into_iter()
            .filter(|f| f.kind == FindingKind::NearMiss)
            .map(|f| (f.line, f.text, f.rule))
            .collect()
        };
        let rule = |id: &str| Some(id.to_string());
        assert_eq!(
            near(Judge::Branded),
            vec![
                (1, "Hyypervisor".into(), rule("brand")),
                (1, "Hypervsor".into(), rule("brand")),
                (1, "NQRsut".into(), rule("hypervisor")),
                (5, "Harvestor".into(), rule("brand")),
            ]
        );
        // Upstream, the new brand is not in the text yet: only the `from`s count.
        assert_eq!(
            near(Judge::Upstream),
            vec![(5, "Harvestor".into(), rule("brand"))]
        );
        let engine = Engine::new(RuleSet::parse(Path::new("t.toml"), rules).unwrap()).unwrap();
        let file = TextFile {
            path: "docs/a.md".into(),
            kind: FileKind::Markdown,
            text: "The Hyypervisor boots.\n".into(),
        };
        let f = &audit_file(&engine, &crate::site::docusaurus::Docusaurus, &file, true, false).findings[0];
        assert_eq!(
            f.message,
            "`Hyypervisor` is close to `Hypervisor`, a brand word of rule `brand`: a typo of the new brand?"
        );
    }

    #[test]
    fn front_matter_that_does_not_parse_is_an_error_at_its_line() {
        let broken = |text: &str| -> Vec<(Level, usize, usize, String)> {
            let file = TextFile {
                path: "docs/a.mdx".into(),
                kind: FileKind::Markdown,
                text: text.into(),
            };
            broken_front_matter(&crate::site::docusaurus::Docusaurus, &file)
                .map(|f| {
                    assert_eq!(f.kind, FindingKind::FrontMatter);
                    (f.level, f.line, f.column, f.message)
                })
                .into_iter()
                .collect()
        };
        let err = |line, column, message: &str| vec![(Level::Error, line, column, message.to_string())];
        // At the second colon, where the parser stopped.
        assert_eq!(
            broken("---\nid: install\ntitle: Install: the ISO\n---\n# Install\n"),
            err(
                3,
                15,
                "the front matter does not parse as YAML: mapping values are not allowed in this context; Docusaurus cannot build this page"
            )
        );
        assert_eq!(
            broken("\u{feff}---\ntitle: \"Install\ndescription: x\n---\n"),
            err(
                2,
                8,
                "the front matter does not parse as YAML: invalid indentation in quoted scalar; Docusaurus cannot build this page"
            )
        );
        assert_eq!(
            broken("---\ntitle: Install\ntitle: Again\n---\n")[0].1,
            3,
            "a key given twice, as js-yaml refuses it"
        );
        assert_eq!(
            broken("---\ntitle: Install\n\n# Install\n"),
            err(
                1,
                1,
                "the front matter opened with `---` is never closed: Docusaurus cannot build this page"
            )
        );
        assert_eq!(
            broken("---\ntitle: Install\nkeywords:\n  - a\n---\n# Install\n"),
            vec![]
        );
        assert_eq!(broken("---\n---\n"), vec![]);
        assert_eq!(broken("# Install\n\n---\n\nText\n"), vec![]);
    }
}
