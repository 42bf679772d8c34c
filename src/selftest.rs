//! The rule file's own `[[test]]` cases, run by `rebrand test-rules` and by `cargo test` for
//! every file in `rules/`.

use crate::rewrite::Engine;
use crate::rules::RuleTest;
use crate::scan::{self, FileKind, Span};

/// The result of one `[[test]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestOutcome {
    /// The test's name.
    pub name: String,
    /// 1-based line of the `[[test]]` table.
    pub line: usize,
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
                scan::scan(FileKind::Plain, &test.input, &engine.rules().files.prose_keys).spans
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
        line: test.line,
        actual,
        expect: test.expect.clone(),
    }
}

/// Runs every `[[test]]` of the engine's rule file, in file order.
pub fn run_all(engine: &Engine) -> Vec<TestOutcome> {
    engine.rules().tests.iter().map(|t| run_test(engine, t)).collect()
}
