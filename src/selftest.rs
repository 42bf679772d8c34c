//! The rule file's own `[[test]]` cases, run by `rebrand test-rules` and by `cargo test` for
//! every file in `rules/`.

use crate::rewrite::Engine;
use crate::rules::{RuleSet, RuleTest};
use crate::scan::{self, FileKind, Span};

/// The result of one `[[test]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestOutcome {
    /// The test's name.
    pub name: String,
    /// The rule file the test is written in.
    pub file: std::path::PathBuf,
    /// 1-based line of the `[[test]]` table in it.
    pub line: usize,
    /// Byte range of the test's `expect` value in the rule set's text ([`crate::rules::Sources`]).
    pub expect_span: std::ops::Range<usize>,
    /// What the rules produced.
    pub actual: String,
    /// What the test expects.
    pub expect: String,
}

impl TestOutcome {
    /// Whether the test passed.
    pub fn passed(&self) -> bool {
        self.actual == self.expect
    }

    /// What a failure shows, given the `rules` the test came from: where its `expect` is
    /// (`path:line:col`, the line, a caret under the value), then a unified diff from
    /// `expect` to what the rules gave (`-` expected, `+` actual). No final line break.
    pub fn render(&self, rules: &RuleSet) -> String {
        let at = rules.diagnostic(self.expect_span.clone(), format!("test `{}` fails", self.name));
        format!(
            "{}\n{}",
            at.snippet(),
            unified_diff(&self.expect, &self.actual).trim_end()
        )
    }
}

/// A unified diff from `expect` to `actual`, three lines of context, headed `--- expect` and
/// `+++ actual`. When neither ends with a line break, none is shown missing.
pub fn unified_diff(expect: &str, actual: &str) -> String {
    let (expect, actual) = if expect.ends_with('\n') || actual.ends_with('\n') {
        (expect.to_string(), actual.to_string())
    } else {
        (format!("{expect}\n"), format!("{actual}\n"))
    };
    similar::TextDiff::from_lines(&expect, &actual)
        .unified_diff()
        .header("expect", "actual")
        .to_string()
}

/// Runs one test: the input is one span of the test's context (prose is read as plain text,
/// bare URLs protected), or, with `path`, a whole file of the kind `[files]` gives that path.
pub fn run_test(engine: &Engine, test: &RuleTest) -> TestOutcome {
    let actual = match &test.path {
        Some(path) => {
            let kind = engine.rules().files.kind_of(path).unwrap_or(FileKind::Plain);
            engine
                .rewrite(kind, &test.input, &engine.active(path))
                .apply(&test.input)
        }
        None => {
            let spans = if test.context == scan::Context::Prose {
                scan::scan(FileKind::Plain, &test.input, &engine.rules().files.reading).spans
            } else {
                vec![Span {
                    range: 0..test.input.len(),
                    context: test.context,
                }]
            };
            crate::rewrite::apply_edits(
                &test.input,
                &engine.edits(&test.input, &spans, &engine.all_active()),
            )
        }
    };
    TestOutcome {
        name: test.name.clone(),
        file: test.file.clone(),
        line: test.line,
        expect_span: test.expect_span.clone(),
        actual,
        expect: test.expect.clone(),
    }
}

/// Runs every `[[test]]` of the engine's rule file, in file order.
pub fn run_all(engine: &Engine) -> Vec<TestOutcome> {
    engine.rules().tests.iter().map(|t| run_test(engine, t)).collect()
}
