//! Brand mentions: every place some substitution's `from` occurs (ignoring ASCII case), and
//! what the rewrite does there and why. The audit and `rebrand explain` read the rewriter's
//! decisions from here instead of guessing them again.

use std::ops::Range;

use super::{overlaps, text, url_valued, Active, Cause, Edit, Engine};
use crate::rules::CaseMode;
use crate::scan::{span_at, Context, Span};

/// One occurrence of a substitution's `from` in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The bytes of the occurrence.
    pub range: Range<usize>,
    /// The context of the span it starts in.
    pub context: Context,
    /// What the rewrite does with it.
    pub verdict: Verdict,
}

/// What the rewrite does with a [`Mention`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Rewritten by the substitution with this index.
    Rewritten(usize),
    /// Left as it is: `rule` is the substitution whose `from` it is (the longest one found
    /// there), `why` the first check that refused it.
    Kept {
        /// The substitution's index.
        rule: usize,
        /// Why.
        why: Kept,
    },
}

/// Why a mention is kept, in the order the rewriter checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// The rule's `paths` or `locale` leave this file out.
    Path,
    /// The case differs and the rule is case-exact (`harvester-system` for `Harvester`).
    Case,
    /// The span's context is not among the rule's contexts (code, a URL, a link target).
    Context,
    /// It is part of a longer word (`Harvesters`, `HarvesterOS`).
    Boundary,
    /// An exception covers it: the exception's index.
    Exception(usize),
    /// It is part of text that already reads as the output of a "Vendor X" substitution
    /// (`Fleet` in `NQRust Fleet`): that substitution's index.
    Output(usize),
}

impl Engine {
    /// Every mention of a substitution's `from` in `text` (tiled by `spans`, with the rules
    /// `active` for its file): rewritten ones with their rule, kept ones with the reason.
    /// Mentions do not overlap; where the rewriter makes an edit, the mention is the edit's
    /// range. `edits` are the substitution edits [`Engine::edits`] makes for the same text.
    pub fn mentions(&self, text: &str, spans: &[Span], active: &Active, edits: &[Edit]) -> Vec<Mention> {
        let exceptions = self.exception_matches(text, active);
        let ranges: Vec<Range<usize>> = exceptions.iter().map(|(r, _)| r.clone()).collect();
        let guards = self.guard_matches(text);
        let mut out = Vec::new();
        let mut edits = edits
            .iter()
            .filter(|e| matches!(e.cause, Cause::Substitution(_)))
            .peekable();
        let mut pos = 0;
        while let Some(m) = self
            .automaton
            .find(aho_corasick::Input::new(text).span(pos..text.len()))
        {
            let start = m.start();
            let context = span_at(spans, start).map_or(Context::Markup, |i| spans[i].context);
            while edits.next_if(|e| e.range.start < start).is_some() {}
            if let Some(e) = edits.next_if(|e| e.range.start == start) {
                let Cause::Substitution(rule) = e.cause else {
                    unreachable!("filtered")
                };
                out.push(Mention {
                    range: e.range.clone(),
                    context,
                    verdict: Verdict::Rewritten(rule),
                });
                pos = e.range.end;
                continue;
            }
            // A refused longer match that holds a rewritten mention (`Install Harvester
            // Binaries Only`, where only `Harvester` fits): the mention is that one.
            if let Some(e) = edits.peek().filter(|e| e.range.start < m.end()) {
                pos = e.range.start;
                continue;
            }
            // The reasons of the longest candidate whose rule acts on this file, if any; of
            // equally long ones (one text in several cases: `KubeVirt`, `KUBEVIRT`), the one
            // whose case fits, so that `KUBEVIRT_DIR` is kept as part of a longer word by a
            // `KUBEVIRT` rule, not for its case by a `KubeVirt` rule.
            let first = m.pattern().as_usize();
            let acting = || {
                std::iter::once(first)
                    .chain(self.patterns[first].fallbacks.iter().copied())
                    .filter(|&p| active.substitutions[self.patterns[p].rule])
            };
            let p = acting().next().map_or(first, |longest| {
                let len = self.patterns[longest].text.len();
                acting()
                    .take_while(|&p| self.patterns[p].text.len() == len)
                    .find(|&p| self.case_fits(p, text, start, start + len))
                    .unwrap_or(longest)
            });
            let end = start + self.patterns[p].text.len();
            let why = self.why_kept(p, text, start..end, spans, active, &exceptions, &ranges, &guards);
            out.push(Mention {
                range: start..end,
                context,
                verdict: Verdict::Kept {
                    rule: self.patterns[p].rule,
                    why,
                },
            });
            pos = end;
        }
        out
    }

    /// The first check that refuses pattern `p` at `range`, in the rewriter's order:
    /// `exceptions` are the active exceptions' matches, `ranges` their ranges alone, `guards`
    /// the output guards' matches ([`Engine::guard_matches`]).
    #[allow(clippy::too_many_arguments)]
    fn why_kept(
        &self,
        p: usize,
        text: &str,
        range: Range<usize>,
        spans: &[Span],
        active: &Active,
        exceptions: &[(Range<usize>, usize)],
        ranges: &[Range<usize>],
        guards: &[(Range<usize>, usize)],
    ) -> Kept {
        let rule = self.patterns[p].rule;
        let s = &self.rules.substitutions[rule];
        if !active.substitutions[rule] {
            return Kept::Path;
        }
        if s.case == CaseMode::Exact && text.as_bytes()[range.clone()] != *self.patterns[p].text.as_bytes() {
            return Kept::Case;
        }
        let span = span_at(spans, range.start).map(|i| &spans[i]);
        let in_context = span.is_some_and(|span| {
            span.range.end >= range.end && (s.contexts.contains(span.context) || url_valued(s, span, text))
        });
        if !in_context {
            return Kept::Context;
        }
        if overlaps(ranges, range.clone()) {
            let id = exceptions
                .iter()
                .find(|(r, _)| r.start < range.end && r.end > range.start)
                .map_or(0, |(_, id)| *id);
            return Kept::Exception(id);
        }
        if let Some((_, rule)) = guards
            .iter()
            .find(|(r, _)| r.start < range.end && r.end > range.start)
        {
            return Kept::Output(*rule);
        }
        let span = span.expect("checked above");
        let within = &text[span.range.clone()];
        if s.word_boundary
            && !text::at_word_boundaries(
                within,
                range.start - span.range.start,
                range.end - span.range.start,
            )
        {
            return Kept::Boundary;
        }
        // Every check passes for this pattern, yet no edit starts here: a longer pattern's
        // match was refused and a fallback took over elsewhere; report it as the boundary.
        Kept::Boundary
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::rules::RuleSet;
    use crate::scan::{scan, FileKind};

    fn mentions(text: &str) -> Vec<(String, Context, Verdict)> {
        let rules = RuleSet::parse(
            Path::new("t.toml"),
            "[[substitution]]\nid = \"brand\"\nfrom = \"Harvester\"\nto = \"Hypervisor\"\n\
             [[exception]]\nid = \"rancher-menu\"\nliteral = \"Harvester Clusters\"\nreason = \"Rancher UI\"\n",
        )
        .unwrap();
        let e = Engine::new(rules).unwrap();
        let scanned = scan(FileKind::Markdown, text, &e.rules().files.reading);
        let active = e.all_active();
        let edits = e.edits(text, &scanned.spans, &active);
        e.mentions(text, &scanned.spans, &active, &edits)
            .into_iter()
            .map(|m| (text[m.range].to_string(), m.context, m.verdict))
            .collect()
    }

    #[test]
    fn a_mention_kept_for_its_word_is_judged_by_the_rule_of_its_case() {
        let rules = RuleSet::parse(
            Path::new("t.toml"),
            "[[substitution]]\nid = \"brand\"\nfrom = \"KubeVirt\"\nto = \"NQRust Virt\"\n\
             [[substitution]]\nid = \"caps\"\nfrom = \"KUBEVIRT\"\nto = \"NQRUST VIRT\"\n",
        )
        .unwrap();
        let e = Engine::new(rules).unwrap();
        let text = "Set KUBEVIRT_DIR for KubeVirt; KubevirtCR stays.\n";
        let scanned = scan(FileKind::Markdown, text, &e.rules().files.reading);
        let active = e.all_active();
        let edits = e.edits(text, &scanned.spans, &active);
        let verdicts: Vec<(&str, Verdict)> = e
            .mentions(text, &scanned.spans, &active, &edits)
            .into_iter()
            .map(|m| (&text[m.range], m.verdict))
            .collect();
        assert_eq!(
            verdicts,
            vec![
                (
                    "KUBEVIRT",
                    Verdict::Kept {
                        rule: 1,
                        why: Kept::Boundary
                    }
                ),
                ("KubeVirt", Verdict::Rewritten(0)),
                // No rule has this case: the first rule's reason stands.
                (
                    "Kubevirt",
                    Verdict::Kept {
                        rule: 0,
                        why: Kept::Case
                    }
                ),
            ]
        );
    }

    #[test]
    fn every_mention_has_its_verdict() {
        let kept = |why| Verdict::Kept { rule: 0, why };
        assert_eq!(
            mentions(
                "Harvester and Harvesters run `harvester-system`; see [Harvester Clusters](https://harvesterhci.io).\n"
            ),
            vec![
                ("Harvester".into(), Context::Prose, Verdict::Rewritten(0)),
                ("Harvester".into(), Context::Prose, kept(Kept::Boundary)),
                ("harvester".into(), Context::InlineCode, kept(Kept::Case)),
                ("Harvester".into(), Context::Prose, kept(Kept::Exception(0))),
                ("harvester".into(), Context::LinkTarget, kept(Kept::Case)),
            ]
        );
    }

    #[test]
    fn text_that_reads_as_a_vendor_x_output_is_kept_as_such() {
        let rules = RuleSet::parse(
            Path::new("t.toml"),
            "[[substitution]]\nfrom = \"Fleet\"\nto = \"NQRust Fleet\"\n",
        )
        .unwrap();
        let e = Engine::new(rules).unwrap();
        let text = "Fleet and NQRust Fleet.\n";
        let scanned = scan(FileKind::Markdown, text, &e.rules().files.reading);
        let active = e.all_active();
        let edits = e.edits(text, &scanned.spans, &active);
        let verdicts: Vec<(usize, Verdict)> = e
            .mentions(text, &scanned.spans, &active, &edits)
            .into_iter()
            .map(|m| (m.range.start, m.verdict))
            .collect();
        assert_eq!(
            verdicts,
            [
                (0, Verdict::Rewritten(0)),
                (
                    17,
                    Verdict::Kept {
                        rule: 0,
                        why: Kept::Output(0)
                    }
                )
            ]
        );
    }
}
