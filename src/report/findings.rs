//! The audit for a person at a terminal: errors and warnings as rustc prints diagnostics
//! (`error[leak]: …`, `--> path:line:col`, the line, a caret under the span), info findings
//! grouped and counted, and the brand mentions by context.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{count, BOLD, CYAN, RED, RESET, YELLOW};
use crate::audit::{Audit, Finding, FindingKind, Judge, Level};

/// One finding as rustc prints a diagnostic, with the span underlined.
pub fn diagnostic(f: &Finding, color: bool) -> String {
    let paint = |code: &str, s: &str| {
        if color {
            format!("{code}{s}{RESET}")
        } else {
            s.to_string()
        }
    };
    let (label, code) = match f.level {
        Level::Error => ("error", RED),
        Level::Warning => ("warning", YELLOW),
        Level::Info => ("info", CYAN),
    };
    let gutter = f.line.to_string().len();
    let pad = " ".repeat(gutter);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {}",
        paint(&format!("{BOLD}{code}"), &format!("{label}[{}]", f.kind.name())),
        paint(BOLD, &f.message)
    );
    let _ = writeln!(
        out,
        "{pad}{} {}:{}:{}",
        paint(CYAN, "-->"),
        f.path,
        f.line,
        f.column
    );
    let _ = writeln!(out, "{pad} {}", paint(CYAN, "|"));
    let (shown, column) = window(&f.line_text, f.column);
    let _ = writeln!(
        out,
        "{} {} {}",
        paint(CYAN, &f.line.to_string()),
        paint(CYAN, "|"),
        shown
    );
    let underlined = match f.kind {
        // The rule's table header in the rule file.
        FindingKind::DeadRule => f.line_text.trim_end(),
        _ => f.text.lines().next().unwrap_or(""),
    };
    let width = underlined.chars().count().max(1);
    let context = f.context.map(|c| format!(" {}", c.name())).unwrap_or_default();
    let _ = writeln!(
        out,
        "{pad} {} {}{}",
        paint(CYAN, "|"),
        " ".repeat(column.saturating_sub(1)),
        paint(code, &format!("{}{context}", "^".repeat(width)))
    );
    out
}

/// Characters of a line a snippet shows at most, and before the finding when it cuts.
const SNIPPET: usize = 160;
const BEFORE: usize = 60;

/// The part of `line` a snippet shows, and the finding's 1-based `column` in it: the whole
/// line, or on a long one (minified JSON and JavaScript are one line) a window around the
/// column, cut ends marked `…`.
fn window(line: &str, column: usize) -> (String, usize) {
    let chars = line.chars().count();
    if chars <= SNIPPET {
        return (line.to_string(), column);
    }
    let start = column.saturating_sub(1).saturating_sub(BEFORE);
    let end = (start + SNIPPET).min(chars);
    let mut shown: String = line.chars().skip(start).take(end - start).collect();
    let mut column = column - start;
    if start > 0 {
        shown.insert(0, '…');
        column += 1;
    }
    if end < chars {
        shown.push('…');
    }
    (shown, column)
}

/// The whole audit: errors and warnings one by one, info grouped, then the mention table
/// and the totals.
pub fn render(audit: &Audit, color: bool) -> String {
    let mut out = String::new();
    for f in audit.findings.iter().filter(|f| f.level > Level::Info) {
        out.push_str(&diagnostic(f, color));
        out.push('\n');
    }
    let mut groups: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
    for f in audit.findings.iter().filter(|f| f.level == Level::Info) {
        let context = f.context.map_or("-", |c| c.name());
        // The message after the word: "left in inline_code: kept: …".
        let why = f
            .message
            .split_once(": ")
            .map_or(f.message.as_str(), |(_, why)| why);
        *groups.entry((context, why.to_string())).or_default() += 1;
    }
    if !groups.is_empty() {
        let info = audit.count(Level::Info);
        let _ = writeln!(
            out,
            "{}: {} kept on purpose or outside prose, by context and reason:",
            if color {
                format!("{BOLD}{CYAN}info[leak]{RESET}")
            } else {
                "info[leak]".into()
            },
            count(info, "brand mention", "brand mentions")
        );
        let mut rows: Vec<_> = groups.into_iter().collect();
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for ((context, why), n) in rows {
            let _ = writeln!(out, "  {n:>6}  {context:<18} {why}");
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "brand mentions by context (every ASCII-case-insensitive match of a substitution's `from`):"
    );
    let _ = writeln!(
        out,
        "  {:<18} {:>7} {:>9} {:>7}",
        "context", "total", "rewritten", "kept"
    );
    for (context, c) in &audit.mentions {
        let _ = writeln!(
            out,
            "  {context:<18} {:>7} {:>9} {:>7}",
            c.total, c.rewritten, c.kept
        );
    }
    let rewritten: usize = audit.mentions.values().map(|c| c.rewritten).sum();
    let kept: usize = audit.mentions.values().map(|c| c.kept).sum();
    let _ = writeln!(
        out,
        "  {:<18} {:>7} {:>9} {:>7}",
        "total",
        audit.total_mentions(),
        rewritten,
        kept
    );
    let _ = writeln!(
        out,
        "\n{} {} ({}), {}, {}, {} info",
        if color {
            format!("{BOLD}audit:{RESET}")
        } else {
            "audit:".into()
        },
        count(audit.files, "file", "files"),
        match audit.judge {
            Judge::Branded => "judged as branded",
            Judge::Upstream => "judged as upstream",
        },
        count(audit.count(Level::Error), "error", "errors"),
        count(audit.count(Level::Warning), "warning", "warnings"),
        audit.count(Level::Info),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_cut_around_the_finding() {
        assert_eq!(window("short line", 7), ("short line".to_string(), 7));
        let line = format!("{}Harvester{}", "x".repeat(300), "y".repeat(300));
        let (shown, column) = window(&line, 301);
        assert_eq!(shown.chars().count(), SNIPPET + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(
            shown.chars().skip(column - 1).take(9).collect::<String>(),
            "Harvester"
        );
    }
}
