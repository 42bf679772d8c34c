//! The ANSI styles rebrand colours with, one set for every printer: the review diff and the
//! summaries (`report`), the audit's diagnostics, the rule file's diagnostics (`rules`) and the
//! command line's error prefix. Whether to colour is decided elsewhere
//! (`report::ColorChoice`); these are only the escapes.

/// Red: deletions, errors.
pub const RED: &str = "\x1b[31m";
/// Green: insertions.
pub const GREEN: &str = "\x1b[32m";
/// Cyan: hunk headers, a diagnostic's gutter and arrow.
pub const CYAN: &str = "\x1b[36m";
/// Yellow: warnings.
pub const YELLOW: &str = "\x1b[33m";
/// Bold: headers, a diagnostic's level and message.
pub const BOLD: &str = "\x1b[1m";
/// Back to the terminal's default style.
pub const RESET: &str = "\x1b[0m";
