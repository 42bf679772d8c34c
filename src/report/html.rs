//! The review page: one self-contained HTML file (inline CSS and script, nothing fetched)
//! that shows a preview to reviewers who do not read unified diffs.
//!
//! The page has totals and substitutions per rule, the list of files in the review with
//! their counts and marks (renamed, overlay, patched), the audit findings, and per file a
//! diff whose changed lines have their changed words highlighted (as `git diff
//! --word-diff` shows them), with [`CONTEXT`] lines of context and the unchanged stretches
//! between changes collapsed. A filter by rule, set from a `<select>` or from the URL
//! (`review.html#rule=brand`), hides the files in which that rule did not act: every file
//! element carries `data-rules`, the ids of the rules that acted in it, each
//! percent-encoded (`%` and white space) so that ids with spaces stay one token.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use similar::{ChangeTag, DiffOp, DiffTag, TextDiff};

use super::{change, count, words, Sides, Summary};
use crate::audit::{Finding, Level};
use crate::rules::RuleSet;
use crate::tree::{Outcome, Plan, Planned, TreeError};

/// Lines of context shown around each change.
pub const CONTEXT: usize = 3;

/// Most diff rows shown for one file; the rest of its diff is left out with a note (a file
/// a patch created, or one rewritten throughout, would otherwise dominate the page).
pub const MAX_ROWS_PER_FILE: usize = 1000;

/// Most audit findings shown, the most serious first; the rest are counted.
pub const MAX_FINDINGS: usize = 2000;

/// Characters of a finding's line shown before the finding (and twice that after it).
const SNIPPET_CHARS: usize = 80;

/// Renders the review page of a preview: `plan` (what would be written), `rules` (for rule
/// ids, from → to), `findings` (audit findings, may be empty), `title` (e.g. the input
/// folder). The page is one self-contained HTML document: inline CSS and script, no
/// network, every text escaped.
///
/// The files in the review are those a preview diff shows: rewritten, renamed, overlay,
/// patched and created files.
///
/// # Errors
/// [`TreeError::Io`] naming an overlay or upstream file that cannot be read (overlay files
/// are read to show what they replace).
pub fn review_page(
    plan: &Plan,
    rules: &RuleSet,
    findings: &[Finding],
    title: &str,
) -> Result<String, TreeError> {
    let views: Vec<Result<Option<FileView>, TreeError>> = plan.files.par_iter().map(file_view).collect();
    let mut files = Vec::new();
    for v in views {
        if let Some(v) = v? {
            files.push(v);
        }
    }
    let ids: Vec<String> = rules.substitutions.iter().map(|s| token(&s.id)).collect();
    let sections: Vec<String> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| file_section(i, f, rules, &ids))
        .collect();
    let summary = Summary::of(plan, rules.substitutions.len());
    let mut files_per_rule = vec![0usize; rules.substitutions.len()];
    for f in &files {
        for &(rule, _) in f.substitutions() {
            files_per_rule[rule] += 1;
        }
    }
    // Findings name output paths (a branded tree) or upstream ones (the input).
    let mut anchors: HashMap<&str, usize> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        anchors.entry(f.planned.report.path.as_str()).or_insert(i);
    }
    for (i, f) in files.iter().enumerate() {
        anchors.insert(f.planned.report.out_path(), i);
    }

    let mut out = String::with_capacity(sections.iter().map(String::len).sum::<usize>() + 64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    // Nothing is fetched: no network at all, even if a file's text slipped through unescaped.
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n",
    );
    let _ = writeln!(out, "<title>Review: {}</title>", esc(title));
    let _ = writeln!(out, "<style>{CSS}</style>\n</head>\n<body>");
    header(&mut out, title, &summary, files.len(), findings);
    filter_bar(&mut out, rules, &summary, &files_per_rule, files.len());
    rules_table(&mut out, rules, &summary, &files_per_rule);
    file_list(&mut out, &files, rules, &ids);
    if !findings.is_empty() {
        findings_section(&mut out, findings, &anchors);
    }
    out.push_str("<section id=\"changes\">\n<h2>Changes</h2>\n");
    if files.is_empty() {
        out.push_str("<p class=\"none\">The rules change nothing in this tree.</p>\n");
    }
    for s in &sections {
        out.push_str(s);
    }
    out.push_str("</section>\n");
    let _ = writeln!(
        out,
        "<footer>Made by rebrand {}. Nothing in this page is fetched from the network.</footer>",
        crate::version::tool_version()
    );
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    Ok(out)
}

/// One file of the review with the two texts of its diff.
struct FileView<'a> {
    planned: &'a Planned,
    /// The upstream path when the file has one (`None` for an overlay file that replaces
    /// nothing and a file a patch created).
    old_path: Option<&'a str>,
    sides: Sides,
}

impl FileView<'_> {
    fn substitutions(&self) -> &[(usize, usize)] {
        match &self.planned.report.outcome {
            Outcome::Rewritten { substitutions, .. } => substitutions,
            _ => &[],
        }
    }

    fn counts(&self) -> (usize, usize, usize) {
        self.planned.report.outcome.edit_counts().unwrap_or_default()
    }

    /// The marks of the file list: (css class, label).
    fn marks(&self) -> Vec<(&'static str, String)> {
        let r = &self.planned.report;
        let mut marks = Vec::new();
        if r.renamed_to.is_some() {
            marks.push(("renamed", format!("renamed from {}", r.path)));
        }
        match r.outcome {
            Outcome::Overlay { replaced: true, .. } => {
                marks.push(("overlay", "overlay: replaces the upstream file".into()))
            }
            Outcome::Overlay { replaced: false, .. } => marks.push(("overlay", "overlay: new file".into())),
            Outcome::Created => marks.push(("patched", "created by a patch".into())),
            _ => {}
        }
        if r.patched {
            marks.push(("patched", "patched".into()));
        }
        if matches!(self.sides, Sides::Binary) {
            marks.push(("binary", "binary".into()));
        }
        marks
    }
}

/// The two sides of a planned file's diff, chosen as [`super::planned_diff`] chooses them;
/// `None` when the output is the upstream file unchanged at the same path.
fn file_view(f: &Planned) -> Result<Option<FileView<'_>>, TreeError> {
    Ok(change(f)?.map(|(old_path, sides)| FileView {
        planned: f,
        old_path,
        sides,
    }))
}

/// `s` escaped for HTML text and quoted attribute values.
fn esc(s: &str) -> Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    push_esc(&mut out, s);
    Cow::Owned(out)
}

fn push_esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// A rule id as one token of a `data-rules` list: `%` and white space percent-encoded, so
/// the script's `decodeURIComponent` gives the id back.
fn token(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for c in id.chars() {
        if c == '%' || c.is_whitespace() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn header(out: &mut String, title: &str, s: &Summary, in_review: usize, findings: &[Finding]) {
    let _ = write!(
        out,
        "<header>\n<h1>Review of the branded edition: <span class=\"title\">{}</span></h1>\n",
        esc(title)
    );
    out.push_str("<p class=\"lead\">What the rules would change, file by file. Removed words are <del>red</del>, added words <ins>green</ins>; nothing has been written yet.</p>\n<div class=\"totals\">\n");
    let mut stats = vec![
        (in_review, "file changed", "files changed", "files"),
        (s.substitutions(), "substitution", "substitutions", "rules"),
        (s.heading_ids, "heading id kept", "heading ids kept", "files"),
        (
            s.references,
            "reference rewritten",
            "references rewritten",
            "files",
        ),
    ];
    // The rest of the whole-site counts, when not 0 (references come first above).
    for (n, one, many) in s.site_counts().into_iter().skip(1) {
        if n > 0 {
            stats.push((n, one, many, "files"));
        }
    }
    for (n, one, many, href) in stats {
        let _ = writeln!(
            out,
            "<a class=\"stat\" href=\"#{href}\"><b>{n}</b> {}</a>",
            words(n, one, many)
        );
    }
    if !findings.is_empty() {
        let errors = findings.iter().filter(|f| f.level == Level::Error).count();
        let class = if errors > 0 { "stat bad" } else { "stat" };
        let _ = writeln!(
            out,
            "<a class=\"{class}\" href=\"#findings\"><b>{}</b> {} ({})</a>",
            findings.len(),
            words(findings.len(), "audit finding", "audit findings"),
            count(errors, "error", "errors")
        );
    }
    let _ = write!(
        out,
        "</div>\n<p class=\"small\">{} in the output, {} read as text.</p>\n</header>\n",
        count(s.files, "file", "files"),
        s.scanned
    );
}

fn filter_bar(out: &mut String, rules: &RuleSet, s: &Summary, files_per_rule: &[usize], in_review: usize) {
    out.push_str("<nav id=\"bar\">\n<label for=\"rule\">Show the files where this rule acted:</label>\n<select id=\"rule\">\n");
    out.push_str("<option value=\"\">every file</option>\n");
    for (i, r) in rules.substitutions.iter().enumerate() {
        let _ = writeln!(
            out,
            "<option value=\"{}\">{} ({}, {})</option>",
            esc(&r.id),
            esc(&r.id),
            count(s.per_rule[i], "substitution", "substitutions"),
            count(files_per_rule[i], "file", "files")
        );
    }
    let _ = write!(
        out,
        "</select>\n<noscript>(the filter needs JavaScript)</noscript>\n<span id=\"showing\" data-total=\"{in_review}\">Showing all {}.</span>\n</nav>\n",
        count(in_review, "file", "files")
    );
}

fn rules_table(out: &mut String, rules: &RuleSet, s: &Summary, files_per_rule: &[usize]) {
    out.push_str("<section id=\"rules\">\n<h2>Substitutions per rule</h2>\n<table class=\"rules\">\n<thead><tr><th>rule</th><th>changes</th><th class=\"num\">substitutions</th><th class=\"num\">files</th></tr></thead>\n<tbody>\n");
    let mut order: Vec<usize> = (0..rules.substitutions.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(s.per_rule[i]), i));
    for i in order {
        let r = &rules.substitutions[i];
        let class = if s.per_rule[i] == 0 { " class=\"dead\"" } else { "" };
        let mut scope = String::new();
        if let Some(locale) = &r.locale {
            let _ = write!(scope, " <span class=\"scope\">in {} only</span>", esc(locale));
        }
        if r.paths.is_some() {
            scope.push_str(" <span class=\"scope\">some files only</span>");
        }
        let _ = writeln!(
            out,
            "<tr{class}><td><a class=\"rule\" href=\"#rule={}\">{}</a></td><td><del>{}</del> → <ins>{}</ins>{scope}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&url_component(&r.id)),
            esc(&r.id),
            esc(&r.from),
            esc(&r.to),
            s.per_rule[i],
            files_per_rule[i]
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// `s` percent-encoded as `encodeURIComponent` does, for the `#rule=` links.
fn url_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn data_rules(f: &FileView, ids: &[String]) -> String {
    f.substitutions()
        .iter()
        .map(|&(i, _)| ids[i].as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn file_list(out: &mut String, files: &[FileView], rules: &RuleSet, ids: &[String]) {
    out.push_str("<section id=\"files\">\n<h2>Files</h2>\n<div class=\"scroll\">\n<table class=\"files\">\n<thead><tr><th>file</th><th class=\"num\">substitutions</th><th class=\"num\">heading ids</th><th class=\"num\">references</th><th>rules</th></tr></thead>\n<tbody>\n");
    for (i, f) in files.iter().enumerate() {
        let (subs, heading_ids, references) = f.counts();
        let _ = write!(
            out,
            "<tr class=\"entry\" data-rules=\"{}\"><td><a href=\"#f{i}\">{}</a>",
            esc(&data_rules(f, ids)),
            esc(f.planned.report.out_path())
        );
        for (class, label) in f.marks() {
            let _ = write!(out, " <span class=\"mark {class}\">{}</span>", esc(&label));
        }
        let cell = |n: usize| if n == 0 { String::new() } else { n.to_string() };
        let _ = write!(
            out,
            "</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>",
            cell(subs),
            cell(heading_ids),
            cell(references)
        );
        rule_chips(out, f, rules);
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n<p class=\"none\" id=\"nofiles\" hidden>No file here: this rule acted nowhere.</p>\n</section>\n");
}

fn rule_chips(out: &mut String, f: &FileView, rules: &RuleSet) {
    for &(i, n) in f.substitutions() {
        let _ = write!(
            out,
            "<span class=\"chip\">{} ×{n}</span> ",
            esc(&rules.substitutions[i].id)
        );
    }
}

fn file_section(i: usize, f: &FileView, rules: &RuleSet, ids: &[String]) -> String {
    let report = &f.planned.report;
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        "<section class=\"file\" id=\"f{i}\" data-rules=\"{}\">\n<h3><a href=\"#f{i}\">{}</a>",
        esc(&data_rules(f, ids)),
        esc(report.out_path())
    );
    for (class, label) in f.marks() {
        let _ = write!(out, " <span class=\"mark {class}\">{}</span>", esc(&label));
    }
    out.push_str("</h3>\n");
    let (subs, heading_ids, references) = f.counts();
    let mut counts = Vec::new();
    if subs > 0 {
        counts.push(count(subs, "substitution", "substitutions"));
    }
    if heading_ids > 0 {
        counts.push(count(heading_ids, "heading id kept", "heading ids kept"));
    }
    if references > 0 {
        counts.push(count(references, "reference rewritten", "references rewritten"));
    }
    if !counts.is_empty() || !f.substitutions().is_empty() {
        let _ = write!(out, "<p class=\"meta\">{} ", counts.join(", "));
        rule_chips(&mut out, f, rules);
        out.push_str("</p>\n");
    }
    match &f.sides {
        Sides::Moved => {
            let _ = writeln!(
                out,
                "<p class=\"note\">Moved from <code>{}</code>, content unchanged.</p>",
                esc(f.old_path.unwrap_or(&report.path))
            );
        }
        Sides::Binary => {
            let what = match f.old_path {
                None => "A new binary file.",
                Some(_) => "Binary file: the branded file differs from the upstream one (not shown).",
            };
            let _ = writeln!(out, "<p class=\"note\">{what}</p>");
        }
        Sides::Text { old, new } if old == new => {
            out.push_str("<p class=\"note\">Content unchanged.</p>\n");
        }
        Sides::Text { old, new } => diff_table(&mut out, old, new),
    }
    out.push_str("</section>\n");
    out
}

/// One row of a diff: its tag, old and new line numbers (1-based) and its segments
/// (emphasized or not).
struct Row<'a> {
    tag: ChangeTag,
    old: Option<usize>,
    new: Option<usize>,
    segments: Vec<(bool, Cow<'a, str>)>,
}

/// Writes the inline diff of `old` → `new`: hunks with [`CONTEXT`] lines of context,
/// unchanged stretches between them collapsed into one row, changed words emphasized.
fn diff_table(out: &mut String, old: &str, new: &str) {
    let diff = TextDiff::from_lines(old, new);
    let groups = diff.grouped_ops(CONTEXT);
    let old_lines = diff.old_slices().len();
    out.push_str("<table class=\"diff\"><colgroup><col class=\"n\"><col class=\"n\"><col></colgroup>\n");
    let mut shown = 0usize;
    let mut next_old = 0usize;
    let mut total_rows = 0usize;
    for group in &groups {
        for op in group {
            total_rows += match op.tag() {
                DiffTag::Equal | DiffTag::Delete => op.old_range().len(),
                DiffTag::Insert => op.new_range().len(),
                DiffTag::Replace => op.old_range().len() + op.new_range().len(),
            };
        }
    }
    for group in &groups {
        let Some(first) = group.first() else { continue };
        let start = first.old_range().start;
        if start > next_old {
            gap_row(out, start - next_old);
        }
        for op in group {
            for row in rows(&diff, op) {
                if shown == MAX_ROWS_PER_FILE {
                    let _ = writeln!(
                        out,
                        "<tr class=\"gap\"><td colspan=\"3\">… the rest of this file’s changes are not shown ({} more of diff)</td></tr>\n</table>",
                        count(total_rows.saturating_sub(shown), "line", "lines")
                    );
                    return;
                }
                shown += 1;
                write_row(out, &row);
            }
        }
        next_old = group.last().map_or(next_old, |op| op.old_range().end);
    }
    if old_lines > next_old && !groups.is_empty() {
        gap_row(out, old_lines - next_old);
    }
    out.push_str("</table>\n");
}

fn gap_row(out: &mut String, n: usize) {
    let _ = writeln!(
        out,
        "<tr class=\"gap\"><td colspan=\"3\">⋯ {}</td></tr>",
        count(n, "unchanged line", "unchanged lines")
    );
}

/// The rows of one diff operation. Lines replaced one for one (what substitutions do) are
/// word-diffed pair by pair, with punctuation apart from words so that `"Harvester` marks
/// `Harvester` alone; other replacements get `similar`'s inline diff, which aligns words
/// across lines.
fn rows<'a>(diff: &'a TextDiff<'a, 'a, 'a, str>, op: &DiffOp) -> Vec<Row<'a>> {
    let (old_range, new_range) = (op.old_range(), op.new_range());
    let old = &diff.old_slices()[old_range.clone()];
    let new = &diff.new_slices()[new_range.clone()];
    if op.tag() == DiffTag::Replace && old.len() == new.len() {
        let pairs: Vec<Option<(Segments<'a>, Segments<'a>)>> =
            old.iter().zip(new.iter()).map(|(o, n)| word_diff(o, n)).collect();
        let plain = |s: &'a str| vec![(false, Cow::Borrowed(s))];
        let mut rows = Vec::with_capacity(2 * old.len());
        for (k, line) in old.iter().enumerate() {
            rows.push(Row {
                tag: ChangeTag::Delete,
                old: Some(old_range.start + k + 1),
                new: None,
                segments: pairs[k].as_ref().map_or_else(|| plain(line), |p| p.0.clone()),
            });
        }
        for (k, line) in new.iter().enumerate() {
            rows.push(Row {
                tag: ChangeTag::Insert,
                old: None,
                new: Some(new_range.start + k + 1),
                segments: pairs[k].as_ref().map_or_else(|| plain(line), |p| p.1.clone()),
            });
        }
        return rows;
    }
    diff.iter_inline_changes(op)
        .map(|c| Row {
            tag: c.tag(),
            old: c.old_index().map(|i| i + 1),
            new: c.new_index().map(|i| i + 1),
            segments: c
                .iter_strings_lossy()
                .map(|(e, s)| (e, Cow::Owned(s.into_owned())))
                .collect(),
        })
        .collect()
}

/// Parts of a line, emphasized or not.
type Segments<'a> = Vec<(bool, Cow<'a, str>)>;

/// Words (letters, digits, `_`), runs of white space, and every other character alone.
fn tokens(s: &str) -> Vec<&str> {
    let class = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            1
        } else if c.is_whitespace() {
            2
        } else {
            3
        }
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev = 0;
    for (i, c) in s.char_indices() {
        let k = class(c);
        if i > start && (k != prev || k == 3) {
            out.push(&s[start..i]);
            start = i;
        }
        prev = k;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// The word diff of one old and one new line: the segments of each, emphasized where
/// they differ; `None` when the lines have too little in common for that to help (a line
/// rewritten throughout), unless they are short (a line that is all brand name).
fn word_diff<'a>(old: &'a str, new: &'a str) -> Option<(Segments<'a>, Segments<'a>)> {
    let (a, b) = (tokens(old), tokens(new));
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(50);
    let ops = similar::capture_diff_slices_deadline(similar::Algorithm::Myers, &a, &b, Some(deadline));
    // White space is common to any two lines: only words and punctuation count.
    let words = |t: &[&str]| t.iter().filter(|t| !t.trim().is_empty()).count();
    let (wa, wb) = (words(&a), words(&b));
    let same: usize = ops
        .iter()
        .filter(|op| op.tag() == DiffTag::Equal)
        .map(|op| words(&a[op.old_range()]))
        .sum();
    if 4 * same < wa + wb && wa > 3 && wb > 3 {
        return None;
    }
    let (mut os, mut ns): (Segments<'a>, Segments<'a>) = (Vec::new(), Vec::new());
    let join = |line: &'a str, t: &[&str], range: std::ops::Range<usize>| -> &'a str {
        if range.is_empty() {
            return "";
        }
        let start = t[range.start].as_ptr() as usize - line.as_ptr() as usize;
        let last = t[range.end - 1];
        let end = last.as_ptr() as usize - line.as_ptr() as usize + last.len();
        &line[start..end]
    };
    for op in &ops {
        let (o, n) = (join(old, &a, op.old_range()), join(new, &b, op.new_range()));
        let changed = op.tag() != DiffTag::Equal;
        push_segment(&mut os, changed, o);
        push_segment(&mut ns, changed, n);
    }
    Some((bridge(os), bridge(ns)))
}

/// Appends `text` to `segments`, joining it to the last one when their emphasis is the same.
fn push_segment<'a>(segments: &mut Segments<'a>, emphasized: bool, text: &'a str) {
    if text.is_empty() {
        return;
    }
    if let Some((e, last)) = segments.last_mut() {
        if *e == emphasized {
            last.to_mut().push_str(text);
            return;
        }
    }
    segments.push((emphasized, Cow::Borrowed(text)));
}

/// Emphasizes the white space between two emphasized segments, so that a replaced phrase
/// (`Harvester hypervisor`) reads as one mark.
fn bridge(segments: Segments<'_>) -> Segments<'_> {
    let mut out: Segments<'_> = Vec::with_capacity(segments.len());
    let mut iter = segments.into_iter().peekable();
    while let Some((e, text)) = iter.next() {
        let between = !e
            && text.chars().all(|c| c == ' ' || c == '\t')
            && out.last().is_some_and(|l| l.0)
            && iter.peek().is_some_and(|n| n.0);
        if between {
            let (_, next) = iter.next().expect("peeked");
            let last = &mut out.last_mut().expect("checked").1;
            last.to_mut().push_str(&text);
            last.to_mut().push_str(&next);
        } else {
            out.push((e, text));
        }
    }
    out
}

fn write_row(out: &mut String, row: &Row) {
    let class = match row.tag {
        ChangeTag::Equal => "e",
        ChangeTag::Delete => "d",
        ChangeTag::Insert => "i",
    };
    let num = |n: Option<usize>| n.map_or(String::new(), |n| n.to_string());
    // End tags of cells are implied: rows are most of the page's bytes.
    let _ = write!(
        out,
        "<tr class={class}><td>{}<td>{}<td>",
        num(row.old),
        num(row.new)
    );
    let mark = match row.tag {
        ChangeTag::Delete => "del",
        ChangeTag::Insert => "ins",
        ChangeTag::Equal => "",
    };
    let last = row.segments.len().saturating_sub(1);
    for (k, (emphasized, text)) in row.segments.iter().enumerate() {
        let text: &str = if k == last {
            text.trim_end_matches(['\n', '\r'])
        } else {
            text
        };
        if text.is_empty() {
            continue;
        }
        if *emphasized && !mark.is_empty() {
            let _ = write!(out, "<{mark}>");
            push_esc(out, text);
            let _ = write!(out, "</{mark}>");
        } else {
            push_esc(out, text);
        }
    }
    out.push_str("</tr>\n");
}

fn findings_section(out: &mut String, findings: &[Finding], anchors: &HashMap<&str, usize>) {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    sorted.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then_with(|| a.path.cmp(&b.path))
            .then(a.line.cmp(&b.line))
            .then(a.column.cmp(&b.column))
    });
    let at = |l: Level| findings.iter().filter(|f| f.level == l).count();
    let _ = write!(
        out,
        "<section id=\"findings\">\n<h2>Audit findings</h2>\n<p>{}, {}, {}.</p>\n",
        count(at(Level::Error), "error", "errors"),
        count(at(Level::Warning), "warning", "warnings"),
        count(at(Level::Info), "note", "notes")
    );
    let mut shown = 0;
    for (level, label, open) in [
        (Level::Error, "Errors: defects of the branded edition", true),
        (Level::Warning, "Warnings: probably mistakes", true),
        (Level::Info, "Notes: usually deliberate", false),
    ] {
        let of_level: Vec<&&Finding> = sorted.iter().filter(|f| f.level == level).collect();
        if of_level.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<details{}><summary>{label} ({})</summary>\n<table class=\"findings\">\n<thead><tr><th>level</th><th>kind</th><th>where</th><th>what</th></tr></thead>\n<tbody>\n",
            if open { " open" } else { "" },
            of_level.len()
        );
        for f in of_level {
            if shown == MAX_FINDINGS {
                break;
            }
            shown += 1;
            finding_row(out, f, anchors);
        }
        out.push_str("</tbody>\n</table>\n</details>\n");
    }
    if findings.len() > shown {
        let _ = writeln!(
            out,
            "<p class=\"note\">{} not shown here.</p>",
            count(findings.len() - shown, "more finding is", "more findings are")
        );
    }
    out.push_str("</section>\n");
}

fn finding_row(out: &mut String, f: &Finding, anchors: &HashMap<&str, usize>) {
    let level = f.level.name();
    let place = format!("{}:{}:{}", f.path, f.line, f.column);
    let _ = write!(
        out,
        "<tr class=\"finding {level}\"><td><span class=\"level {level}\">{level}</span></td><td>{}",
        f.kind.label()
    );
    if let Some(c) = f.context {
        let _ = write!(out, "<br><span class=\"small\">in {}</span>", c.name());
    }
    out.push_str("</td><td class=\"where\">");
    match anchors.get(f.path.as_str()) {
        Some(i) => {
            let _ = write!(out, "<a href=\"#f{i}\">{}</a>", esc(&place));
        }
        None => out.push_str(&esc(&place)),
    }
    let _ = write!(out, "</td><td>{}", esc(&f.message));
    if let Some(rule) = &f.rule {
        let _ = write!(out, " <span class=\"chip\">{}</span>", esc(rule));
    }
    if !f.line_text.is_empty() {
        out.push_str("<pre class=\"snippet\">");
        snippet(out, &f.line_text, f.column, &f.text);
        out.push_str("</pre>");
    }
    out.push_str("</td></tr>\n");
}

/// Writes `line` with `text` at 1-based character `column` marked (or the first `text` in
/// the line when the column does not point at it), clipped around the finding.
fn snippet(out: &mut String, line: &str, column: usize, text: &str) {
    let line = line.trim_end_matches(['\n', '\r']);
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let byte_at = |k: usize| chars.get(k).map_or(line.len(), |c| c.0);
    let at_column = column
        .checked_sub(1)
        .filter(|&k| k <= chars.len())
        .map(byte_at)
        .filter(|&b| !text.is_empty() && line[b..].starts_with(text));
    let start = at_column.or_else(|| (!text.is_empty()).then(|| line.find(text)).flatten());
    let Some(start) = start else {
        let clipped: String = line.chars().take(3 * SNIPPET_CHARS).collect();
        push_esc(out, &clipped);
        if clipped.len() < line.len() {
            out.push('…');
        }
        return;
    };
    let end = start + text.len();
    let before = &line[..start];
    let after = &line[end..];
    let before_chars = before.chars().count();
    if before_chars > SNIPPET_CHARS {
        out.push('…');
        let skip = before_chars - SNIPPET_CHARS;
        push_esc(out, &before.chars().skip(skip).collect::<String>());
    } else {
        push_esc(out, before);
    }
    out.push_str("<mark>");
    push_esc(out, &line[start..end]);
    out.push_str("</mark>");
    let kept: String = after.chars().take(2 * SNIPPET_CHARS).collect();
    push_esc(out, &kept);
    if kept.len() < after.len() {
        out.push('…');
    }
}

const CSS: &str = r#"
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#fff;--soft:#f6f8fa;--del:#ffebe9;--delw:#ff8182;--ins:#dafbe1;--insw:#4ac26b;--accent:#0969da}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header,section,footer{max-width:1200px;margin:0 auto;padding:0 24px}
header{padding-top:24px}
h1{font-size:26px;margin:0 0 4px}
h1 .title{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:22px}
h2{font-size:20px;margin:32px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
.lead{color:var(--muted);margin:4px 0 16px}
.small{font-size:13px;color:var(--muted)}
.totals{display:flex;flex-wrap:wrap;gap:10px}
.stat{display:block;padding:10px 16px;border:1px solid var(--line);border-radius:8px;background:var(--soft);color:var(--fg);text-decoration:none}
.stat b{display:block;font-size:24px;line-height:1.1}
.stat.bad{border-color:#ff8182;background:var(--del)}
#bar{position:sticky;top:0;z-index:2;background:#fffffff2;border-bottom:1px solid var(--line);padding:10px 24px;margin-top:20px;display:flex;flex-wrap:wrap;gap:12px;align-items:center;justify-content:center}
#bar select{font:inherit;padding:4px 8px;border-radius:6px;border:1px solid var(--line);max-width:60vw}
#showing{color:var(--muted)}
table{border-collapse:collapse}
table.rules,table.files,table.findings{width:100%;font-size:14px}
.rules th,.files th,.findings th{text-align:left;font-weight:600;color:var(--muted);border-bottom:1px solid var(--line);padding:6px 8px}
.rules td,.files td,.findings td{border-bottom:1px solid #eef1f4;padding:5px 8px;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.dead{color:var(--muted)}
a{color:var(--accent);text-decoration:none}
a:hover{text-decoration:underline}
.files td:first-child{width:45%}
.files td:first-child a{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:13px;word-break:break-all}
.mark{display:inline-block;font-size:12px;padding:0 7px;border-radius:10px;margin-left:4px;border:1px solid}
.mark.renamed{color:#8250df;border-color:#c297ff;background:#fbefff}
.mark.overlay{color:#9a6700;border-color:#d4a72c;background:#fff8c5}
.mark.patched{color:#bc4c00;border-color:#fb8f44;background:#fff1e5}
.mark.binary{color:var(--muted);border-color:var(--line)}
.chip{display:inline-block;font-size:12px;padding:0 7px;border-radius:10px;background:#ddf4ff;color:#0550ae;margin:1px 2px 1px 0;white-space:nowrap}
del{background:var(--delw);text-decoration:none;border-radius:2px;color:inherit}
ins{background:var(--insw);text-decoration:none;border-radius:2px;color:inherit}
.rules del{background:var(--del)}.rules ins{background:var(--ins)}
.lead del{background:var(--del)}.lead ins{background:var(--ins)}
section.file{margin:18px auto 0;padding:0}
section.file h3{margin:0;font:600 14px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;background:var(--soft);border:1px solid var(--line);border-bottom:0;border-radius:8px 8px 0 0;padding:8px 12px;word-break:break-all}
section.file h3 a{color:var(--fg)}
section.file .meta{margin:0;padding:4px 12px;font-size:13px;color:var(--muted);border:1px solid var(--line);border-bottom:0;background:#fff}
section.file .note{margin:0;padding:10px 12px;border:1px solid var(--line);border-radius:0 0 8px 8px;color:var(--muted)}
table.diff{width:100%;table-layout:fixed;border:1px solid var(--line);font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;tab-size:4}
table.diff td{padding:0 8px;vertical-align:top}
table.diff col.n{width:52px}
table.diff td:nth-child(-n+2){text-align:right;color:#8c959f;user-select:none;font-size:11.5px;padding:1px 6px 0}
table.diff td:nth-child(3){white-space:pre-wrap;overflow-wrap:anywhere}
tr.d td:nth-child(3)::before{content:"−";color:#cf222e;margin-left:-8px;position:absolute}
tr.i td:nth-child(3)::before{content:"+";color:#1a7f37;margin-left:-8px;position:absolute}
tr.d{background:var(--del)}
tr.i{background:var(--ins)}
tr.d td:nth-child(-n+2){background:#ffd7d5}
tr.i td:nth-child(-n+2){background:#ccffd8}
tr.gap td{background:#ddf4ff;color:#57606a;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:12px;padding:2px 12px}
details{margin:8px 0}
summary{cursor:pointer;font-weight:600;padding:4px 0}
.level{display:inline-block;font-size:12px;font-weight:600;padding:0 7px;border-radius:10px}
.level.error{background:#ffebe9;color:#cf222e}
.level.warning{background:#fff8c5;color:#9a6700}
.level.info{background:#ddf4ff;color:#0550ae}
.where{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:12.5px;word-break:break-all}
pre.snippet{margin:4px 0 0;padding:4px 8px;background:var(--soft);border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:12.5px}
pre.snippet mark{background:#ffd33d;border-radius:2px}
.scope{font-size:12px;color:var(--muted);margin-left:6px}
.scroll{max-height:560px;overflow:auto;border:1px solid var(--line);border-radius:8px}
.scroll thead th{position:sticky;top:0;background:#fff;z-index:1}
.none{color:var(--muted);font-style:italic}
footer{color:var(--muted);font-size:12px;padding-top:32px;padding-bottom:32px}
"#;

const SCRIPT: &str = r#"
(function () {
  "use strict";
  var select = document.getElementById("rule");
  var showing = document.getElementById("showing");
  var nofiles = document.getElementById("nofiles");
  var total = +showing.getAttribute("data-total");
  function rulesOf(el) {
    var v = el.getAttribute("data-rules");
    return v ? v.split(" ").map(decodeURIComponent) : [];
  }
  function apply(rule) {
    var known = !rule || Array.prototype.some.call(select.options, function (o) { return o.value === rule; });
    select.value = known ? rule : "";
    var shown = 0;
    document.querySelectorAll("[data-rules]").forEach(function (el) {
      var visible = !rule || rulesOf(el).indexOf(rule) >= 0;
      el.hidden = !visible;
      if (visible && el.tagName === "SECTION") shown++;
    });
    nofiles.hidden = shown > 0 || !rule;
    if (!rule) {
      showing.textContent = "Showing all " + total + (total === 1 ? " file." : " files.");
    } else if (!known) {
      showing.textContent = "No rule with the id \u201c" + rule + "\u201d: showing no file.";
    } else {
      showing.textContent = "Showing " + shown + " of " + total + " files: those where \u201c" + rule + "\u201d acted.";
    }
    document.body.setAttribute("data-filter", rule || "");
  }
  function fromHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    // Other fragments (#f12, a file) jump without touching the filter.
    if (params.has("rule")) apply(params.get("rule"));
  }
  select.addEventListener("change", function () {
    location.hash = "rule=" + encodeURIComponent(select.value);
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
"#;

#[cfg(test)]
mod tests {
    use std::fs;
    use std::path::Path;

    use super::*;
    use crate::audit::FindingKind;
    use crate::rewrite::Engine;
    use crate::rules::RuleSet;

    const RULES: &str = r#"
[[substitution]]
id = "hypervisor"
from = "Harvester hypervisor"
to = "NQRust Hypervisor"

[[substitution]]
id = "brand"
from = "Harvester"
to = "Hypervisor"

[[substitution]]
id = "gui name"
from = "Harvester GUI"
to = "Hypervisor GUI"

[[substitution]]
id = "never"
from = "Longhorn"
to = "Storage"
"#;

    /// The page of a tiny tree: `a.md` (brand, with `<script>` in it), `b.md` (hypervisor
    /// alone), `c.md` (the id with a space), `d.md` (unchanged).
    fn page(findings: &[Finding]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let docs = dir.path().join("docs");
        fs::create_dir_all(&docs).unwrap();
        fs::write(
            docs.join("a.md"),
            "# Title\n\nline 1\nline 2\nInstall Harvester on bare metal.\nSee <script>alert(1)</script> & more.\n",
        )
        .unwrap();
        fs::write(docs.join("b.md"), "The Harvester hypervisor runs VMs.\n").unwrap();
        fs::write(docs.join("c.md"), "Open the Harvester GUI.\n").unwrap();
        fs::write(docs.join("d.md"), "Nothing to see.\n").unwrap();
        let rules = RuleSet::parse(Path::new("rules.toml"), RULES).unwrap();
        let engine = Engine::new(rules).unwrap();
        let plan = crate::tree::plan(&engine, dir.path()).unwrap();
        review_page(&plan, engine.rules(), findings, "docs <tiny>").unwrap()
    }

    /// The opening tag of the element whose opening tag contains `needle`.
    fn tag_with<'a>(page: &'a str, needle: &str) -> &'a str {
        let at = page
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` not in the page"));
        let start = page[..at].rfind('<').unwrap();
        let end = at + page[at..].find('>').unwrap();
        &page[start..=end]
    }

    #[test]
    fn file_text_is_escaped() {
        let page = page(&[]);
        assert!(
            page.contains("See &lt;script&gt;alert(1)&lt;/script&gt; &amp; more."),
            "{page}"
        );
        assert_eq!(page.matches("<script").count(), 1, "only the page's own script");
        assert!(page.contains("<title>Review: docs &lt;tiny&gt;</title>"));
    }

    #[test]
    fn changed_words_are_highlighted_inside_the_line() {
        let page = page(&[]);
        assert!(
            page.contains("<tr class=d><td>5<td><td>Install <del>Harvester</del> on bare metal.</tr>"),
            "{page}"
        );
        assert!(
            page.contains("<tr class=i><td><td>5<td>Install <ins>Hypervisor</ins> on bare metal.</tr>"),
            "{page}"
        );
        // Context around the change, not the whole file: line 1 (`# Title`) is collapsed.
        assert!(page.contains("<tr class=e><td>2<td>2<td></tr>"));
        assert!(page.contains("⋯ 1 unchanged line<"));
        assert!(!page.contains("<td># Title"));
    }

    #[test]
    fn a_line_that_is_all_brand_is_highlighted_too() {
        let mut out = String::new();
        diff_table(&mut out, "Harvester\n", "Hypervisor\n");
        assert!(out.contains("<del>Harvester</del>"), "{out}");
        assert!(out.contains("<ins>Hypervisor</ins>"), "{out}");
    }

    #[test]
    fn punctuation_is_not_part_of_the_marked_word() {
        let mut out = String::new();
        diff_table(
            &mut out,
            "  \"title\": \"Harvester APIs\",\nsee [Harvester](./harvester.md)\n",
            "  \"title\": \"Hypervisor APIs\",\nsee [Hypervisor](./hypervisor.md)\n",
        );
        assert!(
            out.contains("&quot;title&quot;: &quot;<del>Harvester</del> APIs"),
            "{out}"
        );
        assert!(
            out.contains("[<ins>Hypervisor</ins>](./<ins>hypervisor</ins>.md)"),
            "{out}"
        );
    }

    #[test]
    fn a_replaced_phrase_is_one_mark() {
        let (old, new) = word_diff(
            "The Harvester hypervisor runs.\n",
            "The NQRust Hypervisor runs.\n",
        )
        .unwrap();
        assert_eq!(
            old.iter().filter(|s| s.0).map(|s| &*s.1).collect::<Vec<_>>(),
            ["Harvester hypervisor"]
        );
        assert_eq!(
            new.iter().filter(|s| s.0).map(|s| &*s.1).collect::<Vec<_>>(),
            ["NQRust Hypervisor"]
        );
    }

    #[test]
    fn a_line_rewritten_throughout_is_not_marked_word_by_word() {
        assert!(word_diff("one two three four five\n", "six seven eight nine ten\n").is_none());
        assert_eq!(
            tokens("a \"Harvester's\" x_y"),
            ["a", " ", "\"", "Harvester", "'", "s", "\"", " ", "x_y"]
        );
    }

    #[test]
    fn files_carry_the_rules_that_acted_in_them() {
        let page = page(&[]);
        let a = tag_with(&page, "<section class=\"file\" id=\"f0\"");
        assert!(a.contains("data-rules=\"brand\""), "{a}");
        let b = tag_with(&page, "<section class=\"file\" id=\"f1\"");
        assert!(b.contains("data-rules=\"hypervisor\""), "{b}");
        let c = tag_with(&page, "<section class=\"file\" id=\"f2\"");
        assert!(c.contains("data-rules=\"gui%20name\""), "{c}");
        assert!(
            !page.contains("id=\"f3\""),
            "the unchanged file is not in the review"
        );
        assert_eq!(page.matches("<tr class=\"entry\" data-rules=").count(), 3);
        // Every rule is in the filter, the one that never acted too.
        assert!(page.contains("<option value=\"gui name\">gui name (1 substitution, 1 file)</option>"));
        assert!(page.contains("<option value=\"never\">never (0 substitutions, 0 files)</option>"));
        assert!(page.contains("href=\"#rule=gui%20name\""));
        assert_eq!(token("a b%c"), "a%20b%25c");
    }

    #[test]
    fn findings_are_rendered_with_the_spot_marked() {
        let line = "Install Harvester <now> on Harvester.";
        let finding = Finding {
            level: Level::Error,
            kind: FindingKind::Leak,
            path: "docs/a.md".into(),
            line: 5,
            column: 28,
            range: 0..0,
            context: Some(crate::scan::Context::Prose),
            text: "Harvester".into(),
            line_text: line.into(),
            message: "the upstream brand `Harvester` is left in prose".into(),
            rule: Some("brand".into()),
        };
        let page = page(&[finding]);
        assert!(page.contains("<section id=\"findings\">"));
        assert!(page.contains("1 error, 0 warnings, 0 notes."));
        assert!(page.contains("<span class=\"level error\">error</span>"));
        assert!(page.contains("<a href=\"#f0\">docs/a.md:5:28</a>"), "{page}");
        assert!(page.contains("the upstream brand `Harvester` is left in prose"));
        // The column points at the second `Harvester`, and it is that one that is marked.
        assert!(
            page.contains(
                "<pre class=\"snippet\">Install Harvester &lt;now&gt; on <mark>Harvester</mark>.</pre>"
            ),
            "{page}"
        );
        assert!(page.contains("in prose"));
    }

    #[test]
    fn no_findings_no_section() {
        let page = page(&[]);
        assert!(!page.contains("id=\"findings\""));
    }

    #[test]
    fn snippets_are_clipped_around_the_finding() {
        let long = format!("{}Harvester{}", "a".repeat(500), "b".repeat(500));
        let mut out = String::new();
        snippet(&mut out, &long, 501, "Harvester");
        assert!(out.starts_with('…') && out.ends_with('…'), "{out}");
        assert!(out.contains("<mark>Harvester</mark>"));
        assert!(out.len() < 400);
    }
}
