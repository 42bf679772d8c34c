//! The rewriter: one aho-corasick automaton over every substitution, checked match by match
//! against spans, word boundaries, case and exceptions; edits collected, then applied once.
//!
//! The automaton runs leftmost-longest over the whole file, so "Harvester hypervisor" wins
//! over "Harvester" wherever both could match and rule order never matters. A match that
//! fails a check (wrong context, no word boundary, inside an exception) falls back to the
//! shorter patterns (and other rules' equal ones) that match at the same spot, then the
//! search goes on one character later.
//!
//! "Vendor X" names, a `to` that holds a `from` (`Fleet` → `NQRust Fleet`, `Rancher` →
//! `Rancher Prime`), are kept idempotent by output guards: text that already reads as such a
//! rule's output, in any case form the rule can write, is left as it is, like text an
//! exception covers. A `to` that is as a whole some rule's `from` (`Harvester` → `Hypervisor`
//! beside `Hypervisor` → `NQRust Hypervisor`) is a chain, not a guard: the rule set is
//! refused unless an exception keeps that text.

pub mod anchors;
mod edits;
mod mentions;
pub mod text;

pub use edits::Edits;
pub use mentions::{Kept, Mention, Verdict};

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Input, MatchKind};

use crate::rules::{
    AnchorMode, CaseMode, ExceptionPattern, HeadingIds, RuleFileError, RuleSet, Substitution,
};
use crate::scan::{self, span_at, Context, ContextSet, FileKind, Headings, Span};

/// Most spaces in a `from` for which line-break variants are added to the automaton
/// (each space may also match `\n` or `\r\n`: 3^n patterns).
const MAX_VARIANT_SPACES: usize = 3;

/// One replacement of a byte range of a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The bytes replaced (empty for an insertion).
    pub range: Range<usize>,
    /// What goes in their place.
    pub replacement: String,
    /// What made the edit.
    pub cause: Cause,
}

/// Why an [`Edit`] was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The substitution with this index in [`RuleSet::substitutions`].
    Substitution(usize),
    /// An explicit heading id added so that the heading's old anchor keeps working.
    HeadingId,
    /// A link target, image path or doc id changed to follow a rename, a renamed anchor or
    /// an asset remap (see [`crate::site`]).
    Reference,
}

/// The rewrite of one file.
#[derive(Debug, Clone, Default)]
pub struct FileRewrite {
    /// The edits, sorted and non-overlapping.
    pub edits: Edits,
    /// Edits left out: substitutions that would write `{`, `}` or `<` into an MDX 3 page's
    /// prose, and edits that overlapped one made before them (a heading id inside a
    /// substitution's range, a reference edit on bytes a substitution rewrote), in order:
    /// the summary reports them.
    pub refused: Vec<Edit>,
    /// The spans the scanner found (useful for checks and reports).
    pub spans: Vec<Span>,
    /// Heading anchors the edits move, `(old, new)`, when `[site] anchors = "rename"`.
    pub moved_anchors: Vec<(String, String)>,
}

impl FileRewrite {
    /// Whether the rewrite changes anything.
    pub fn is_empty(&self) -> bool {
        self.edits.is_empty()
    }

    /// `text` with the edits applied.
    pub fn apply(&self, text: &str) -> String {
        self.edits.apply(text)
    }
}

/// Applies sorted, non-overlapping `edits` to `text`.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    apply_edits_within(text, 0..text.len(), edits)
}

/// `text[range]` with sorted, non-overlapping `edits` applied, each clipped to `range`: an
/// edit that begins before `range` (a match across a heading's line break) removes what it
/// covers of the range, and its replacement goes to the range it begins in.
pub fn apply_edits_within(text: &str, range: Range<usize>, edits: &[Edit]) -> String {
    let extra: usize = edits.iter().map(|e| e.replacement.len()).sum();
    let mut out = String::with_capacity(range.len() + extra);
    let mut pos = range.start;
    for e in edits {
        if e.range.start < range.start {
            pos = pos.max(e.range.end.min(range.end));
            continue;
        }
        debug_assert!(e.range.start >= pos, "edits must be sorted and disjoint");
        out.push_str(&text[pos..e.range.start.clamp(pos, range.end)]);
        out.push_str(&e.replacement);
        pos = e.range.end.max(pos);
    }
    out.push_str(&text[pos.min(range.end)..range.end]);
    out
}

#[derive(Debug, Clone)]
struct Pattern {
    rule: usize,
    text: String,
    /// The other patterns that are ASCII-case-insensitive prefixes of this one (the same
    /// text of another rule included), longest first: the fallbacks when this pattern's
    /// match is refused.
    fallbacks: Vec<usize>,
}

/// Which rules act on one file (by their `paths` globs).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Active {
    substitutions: Vec<bool>,
    exceptions: Vec<bool>,
    /// The contexts the acting substitutions act in (a `url` rule's include the link
    /// targets and HTML attributes that hold a URL): the automaton runs over these spans only.
    contexts: ContextSet,
    /// The generator's own JSON format the file is in, if one
    /// ([`crate::rules::FileSettings::json_format_of`]).
    json_format: Option<usize>,
}

/// The compiled rule set: built once per run, shared by all threads.
#[derive(Debug, Clone)]
pub struct Engine {
    rules: RuleSet,
    automaton: AhoCorasick,
    patterns: Vec<Pattern>,
    exception_literals: Option<(AhoCorasick, Vec<usize>)>,
    guards: Option<Guards>,
    /// The AsciiDoc document attributes of the tree (`Reading::document_attributes`) as
    /// references write them (`{project_name}`): their value before and after the rules.
    attributes: HashMap<String, (String, String)>,
}

/// The output guards: the case forms of every `to` that holds a shorter match of some
/// `from` (with its line-break variants), as one case-sensitive automaton.
#[derive(Debug, Clone)]
struct Guards {
    automaton: AhoCorasick,
    /// For each guard pattern, the substitution whose output it is.
    rules: Vec<usize>,
}

impl Engine {
    /// Compiles `rules`, with the output guards of its "Vendor X" substitutions (see the
    /// module documentation).
    ///
    /// # Errors
    /// [`RuleFileError::Invalid`] when the rule set is not idempotent: some substitution's
    /// `to` (in any case form it can take) would be matched again by a substitution, where
    /// no output guard and no exception that acts on every file keeps it.
    pub fn new(rules: RuleSet) -> Result<Engine, RuleFileError> {
        let mut patterns = Vec::new();
        for (i, s) in rules.substitutions.iter().enumerate() {
            for text in line_break_variants(&s.from) {
                patterns.push(Pattern {
                    rule: i,
                    text,
                    fallbacks: Vec::new(),
                });
            }
        }
        for i in 0..patterns.len() {
            let mut fallbacks: Vec<usize> = (0..patterns.len())
                .filter(|&j| {
                    let (long, short) = (&patterns[i].text, &patterns[j].text);
                    j != i
                        && short.len() <= long.len()
                        && long.as_bytes()[..short.len()].eq_ignore_ascii_case(short.as_bytes())
                })
                .collect();
            fallbacks.sort_by_key(|&j| std::cmp::Reverse(patterns[j].text.len()));
            patterns[i].fallbacks = fallbacks;
        }
        // A full DFA: one table lookup per byte, the fastest search aho-corasick has; rule
        // files are small enough that its memory does not matter. No prefilter: on docs the
        // rare-byte prefilter it picks for these patterns stops so often that it costs more
        // than it saves (perf: most of the time in `RareBytesTwo`; 157 MiB/s with it, 276
        // MiB/s without, benches/rewrite.rs `edits-only`).
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .prefilter(false)
            .build(patterns.iter().map(|p| &p.text))
            .expect("the automaton fits: rule files hold at most thousands of short patterns");
        let literals: Vec<(usize, &str)> = rules
            .exceptions
            .iter()
            .enumerate()
            .filter_map(|(i, e)| match &e.pattern {
                ExceptionPattern::Literal(l) => Some((i, l.as_str())),
                ExceptionPattern::Regex(_) => None,
            })
            .collect();
        let exception_literals = (!literals.is_empty()).then(|| {
            let ac = AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(literals.iter().map(|l| l.1))
                .expect("exception literals fit in an automaton");
            (ac, literals.iter().map(|l| l.0).collect())
        });
        let mut engine = Engine {
            rules,
            automaton,
            patterns,
            exception_literals,
            guards: None,
            attributes: HashMap::new(),
        };
        engine.guards = engine.output_guards();
        engine.check_idempotent()?;
        engine.attributes = engine.attribute_values();
        Ok(engine)
    }

    /// This engine for a tree whose AsciiDoc files define `attributes` (name, value: the
    /// entries of [`crate::scan::attribute_entries`], the first definition of a name kept):
    /// a section title that references one gets its id from its value, before and after
    /// the rewrite, so a title whose attribute's value the rules rewrite elsewhere keeps its
    /// id too.
    pub fn with_document_attributes(&self, attributes: Vec<(String, String)>) -> Engine {
        let mut engine = self.clone();
        engine.rules.files.reading.document_attributes = attributes;
        engine.attributes = engine.attribute_values();
        engine
    }

    /// This engine for a tree whose build passes `attributes` to every AsciiDoc document
    /// (name, value, `name!` for an unset one: [`crate::site::Generator::build_attributes`]):
    /// the sections' ids follow them, then the rule file's `[files] asciidoc_attributes`,
    /// which come after as a later `-a` does.
    pub fn with_build_attributes(&self, attributes: &[(String, String)]) -> Engine {
        let mut engine = self.clone();
        let reading = &mut engine.rules.files.reading;
        reading.section_ids = crate::scan::SectionIds::from_attributes(
            attributes
                .iter()
                .chain(&reading.asciidoc_attributes)
                .map(|(k, v)| (k.as_str(), v.as_str())),
        );
        engine
    }

    /// The document attributes as references write them (`{project_name}`), with their value
    /// before and after the rules: a value is rewritten where it is defined, as prose, and a
    /// reference shows the rewritten value.
    fn attribute_values(&self) -> HashMap<String, (String, String)> {
        let all = self.all_active();
        let mut values = HashMap::new();
        for (name, value) in &self.rules.files.reading.document_attributes {
            let rewritten = self.rewrite(FileKind::Plain, value, &all).apply(value);
            values
                .entry(format!("{{{name}}}"))
                .or_insert((value.clone(), rewritten));
        }
        values
    }

    /// The rule set the engine was built from.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Which rules act on the file at relative path `path` (`/`-separated): those whose
    /// `paths` take it, a rule with a `locale` only under `i18n/<locale>/`. Where rules with
    /// the same `from` (ignoring case) both apply, the more specific one acts alone: a rule
    /// with a locale before one without, then a rule with `paths` before one without.
    pub fn active(&self, path: &str) -> Active {
        let subs = &self.rules.substitutions;
        let locale = self.rules.locale_of(path);
        let applies: Vec<bool> = subs
            .iter()
            .map(|s| {
                s.paths.as_ref().is_none_or(|g| g.is_match(path))
                    && s.locale.as_deref().is_none_or(|l| locale == Some(l))
            })
            .collect();
        let specificity = |s: &Substitution| (s.locale.is_some(), s.paths.is_some());
        let substitutions: Vec<bool> = subs
            .iter()
            .enumerate()
            .map(|(i, s)| {
                applies[i]
                    && !subs.iter().enumerate().any(|(j, t)| {
                        applies[j] && specificity(t) > specificity(s) && t.from.eq_ignore_ascii_case(&s.from)
                    })
            })
            .collect();
        Active {
            contexts: self.contexts_of(&substitutions),
            json_format: self.rules.files.json_format_of(path),
            substitutions,
            exceptions: self
                .rules
                .exceptions
                .iter()
                .map(|e| e.paths.as_ref().is_none_or(|g| g.is_match(path)))
                .collect(),
        }
    }

    /// The contexts the substitutions marked in `acting` act in, with the link targets and
    /// HTML attributes a `url` rule reads (see [`url_valued`]).
    fn contexts_of(&self, acting: &[bool]) -> ContextSet {
        let mut set = ContextSet::default();
        for (s, _) in self.rules.substitutions.iter().zip(acting).filter(|(_, on)| **on) {
            for c in s.contexts.iter() {
                set.insert(c);
            }
            if s.contexts.contains(Context::Url) {
                set.insert(Context::LinkTarget);
                set.insert(Context::HtmlAttribute);
            }
        }
        set
    }

    /// Every rule acts (for text that has no path, like a `[[test]]` in a context).
    pub fn all_active(&self) -> Active {
        let substitutions = vec![true; self.rules.substitutions.len()];
        Active {
            contexts: self.contexts_of(&substitutions),
            json_format: None,
            substitutions,
            exceptions: vec![true; self.rules.exceptions.len()],
        }
    }

    /// How the file `active` was made for ([`Engine::active`]) is read: the rule file's
    /// [`crate::rules::FileSettings::reading`], with the JSON key paths of the generator's own
    /// JSON format the file is in (Nextra's `_meta.json`).
    pub fn reading(&self, active: &Active) -> std::borrow::Cow<'_, scan::Reading> {
        self.rules.files.reading_in(active.json_format)
    }

    /// Scans and rewrites one file's text, read as `kind`; `active` from [`Engine::active`].
    ///
    /// For Markdown, a heading whose anchor the rewrite would change gets an explicit id
    /// with its old anchor (see [`anchors`]), or, with `[site] anchors = "rename"`, the
    /// moved anchors are listed for the links that point at them.
    pub fn rewrite(&self, kind: FileKind, text: &str, active: &Active) -> FileRewrite {
        let asciidoc = kind.row().headings == Headings::Asciidoctor;
        // A section title may name an attribute whose value the rules rewrite elsewhere: its
        // id moves with no match in this file.
        let references_attributes = asciidoc && self.changes_attributes_in(text);
        if self.automaton.find(text).is_none() && !references_attributes {
            // Nothing to do: skip scanning (the common case for most bytes of a tree).
            return FileRewrite::default();
        }
        let mut scanned = scan::scan(kind, text, &self.reading(active));
        let mut edits = self.edits(text, &scanned.spans, active);
        let mut refused = Vec::new();
        let dialect = kind
            .dialect(self.rules.conventions.dialect)
            .unwrap_or(self.rules.conventions.dialect);
        if dialect == scan::Dialect::Mdx3 {
            // MDX 3 reads `{` as an expression and `<` as a tag anywhere in text, and a `}`
            // alone is an error (mdxjs.com "What is MDX", "MDX syntax"): a substitution never
            // writes one into an MDX page's prose; it is refused and reported.
            let (unsafe_, safe): (Vec<Edit>, Vec<Edit>) = edits.into_iter().partition(|e| {
                e.replacement.contains(['{', '}', '<'])
                    && span_at(&scanned.spans, e.range.start)
                        .is_some_and(|i| scanned.spans[i].context == Context::Prose)
            });
            edits = safe;
            refused = unsafe_;
        }
        let mut edits = Edits::from_sorted(edits);
        let mut moved_anchors = Vec::new();
        // Anchors only where the tree's generator makes them; kept with an explicit id where
        // its pages can hold one, else followed by the links that point at them.
        let heading_ids = match kind.row().headings {
            Headings::None => None,
            Headings::Generator => self.rules.conventions.heading_ids,
            Headings::Asciidoctor => Some(HeadingIds::Asciidoctor),
        };
        // The titles' attribute references as their values: the edits the ids are made
        // with hold the rewritten values too (they are not the file's).
        let id_edits = match asciidoc && !self.attributes.is_empty() {
            true => self.expand_attributes(&mut scanned.headings, &edits),
            false => None,
        };
        let id_edits: &[Edit] = id_edits.as_deref().unwrap_or(&edits);
        if let (Some(style), false) = (heading_ids, id_edits.is_empty()) {
            match self.rules.site.anchors {
                AnchorMode::Keep if style.pin(dialect, "").is_some() => {
                    let ids = anchors::keep_heading_ids(style, dialect, text, &scanned.headings, id_edits);
                    refused.extend(edits.merge(ids));
                }
                _ => moved_anchors = anchors::moved_anchors(style, text, &scanned.headings, id_edits),
            }
        }
        refused.sort_by_key(|e| (e.range.start, e.range.end));
        FileRewrite {
            edits,
            refused,
            spans: scanned.spans,
            moved_anchors,
        }
    }

    /// Whether `text` references a document attribute whose value the rules rewrite.
    fn changes_attributes_in(&self, text: &str) -> bool {
        text.contains('{')
            && self
                .attributes
                .iter()
                .any(|(r, (old, new))| old != new && text.contains(r.as_str()))
    }

    /// Gives each attribute reference among `headings`' parts (`{project_name}`) its value as
    /// its text, and returns `edits` with an edit to the rewritten value for each whose value
    /// the rules change (sorted; references are protected, so no substitution edit meets
    /// one); `None` when no heading references such an attribute.
    fn expand_attributes(&self, headings: &mut [crate::scan::Heading], edits: &[Edit]) -> Option<Vec<Edit>> {
        let mut added = Vec::new();
        for part in headings.iter_mut().flat_map(|h| h.parts.iter_mut()) {
            if let Some((old, new)) = self.attributes.get(part.1.as_str()) {
                part.1 = old.clone();
                if old != new {
                    added.push(Edit {
                        range: part.0.clone(),
                        replacement: new.clone(),
                        cause: Cause::HeadingId,
                    });
                }
            }
        }
        if added.is_empty() {
            return None;
        }
        added.extend(edits.iter().cloned());
        added.sort_by_key(|e| (e.range.start, e.range.end));
        Some(added)
    }

    /// The substitution edits for `text` tiled by `spans`, sorted and disjoint.
    pub fn edits(&self, text: &str, spans: &[Span], active: &Active) -> Vec<Edit> {
        // Exceptions and output guards are only looked for once some match needs them.
        let mut kept: Option<Vec<Range<usize>>> = None;
        let mut accept = |p: usize, start: usize, end: usize| {
            active.substitutions[self.patterns[p].rule]
                && self.fits(p, text, start, end, spans)
                && !overlaps(
                    kept.get_or_insert_with(|| self.kept_ranges(text, active)),
                    start..end,
                )
        };
        // A match must lie inside one span of a context its rule acts in, so the automaton
        // reads only the runs of such spans: on the corpus's Markdown, code blocks, link
        // targets and markup (two fifths of the bytes) are skipped.
        let mut edits = Vec::new();
        for window in windows(spans, active.contexts) {
            self.matches(text, window, &mut edits, &mut accept);
        }
        edits
    }

    /// Runs the automaton over `text[window]` and adds to `edits` an edit of every match that
    /// `accept(pattern, start, end)` takes: the automaton's own pattern first, then its
    /// fallbacks that match at the same spot. Where none is taken, the search goes on one
    /// character later.
    fn matches(
        &self,
        text: &str,
        window: Range<usize>,
        edits: &mut Vec<Edit>,
        accept: &mut impl FnMut(usize, usize, usize) -> bool,
    ) {
        let mut pos = window.start;
        while let Some(m) = self.automaton.find(Input::new(text).span(pos..window.end)) {
            let (start, first) = (m.start(), m.pattern().as_usize());
            let accepted = std::iter::once(first)
                .chain(self.patterns[first].fallbacks.iter().copied())
                .map(|p| (p, start + self.patterns[p].text.len()))
                .find(|&(p, end)| accept(p, start, end));
            match accepted {
                Some((p, end)) => {
                    let rule = self.patterns[p].rule;
                    let s = &self.rules.substitutions[rule];
                    let matched = &text[start..end];
                    let replacement =
                        text::carry_whitespace(matched, text::carry_case(matched, &s.from, &s.to, s.case));
                    edits.push(Edit {
                        range: start..end,
                        replacement,
                        cause: Cause::Substitution(rule),
                    });
                    pos = end;
                }
                None => pos = next_char(text, start),
            }
        }
    }

    /// Whether the text matched at `start..end` by pattern `p` has the case its rule asks for.
    fn case_fits(&self, p: usize, text: &str, start: usize, end: usize) -> bool {
        let pattern = &self.patterns[p];
        self.rules.substitutions[pattern.rule].case == CaseMode::Preserve
            || text.as_bytes()[start..end] == *pattern.text.as_bytes()
    }

    /// Whether pattern `p`, found at `start..end`, passes the case, boundary and context
    /// checks (exceptions are checked by the caller).
    fn fits(&self, p: usize, text: &str, start: usize, end: usize, spans: &[Span]) -> bool {
        let s = &self.rules.substitutions[self.patterns[p].rule];
        if !self.case_fits(p, text, start, end) || !text.is_char_boundary(end) {
            return false;
        }
        let Some(span) = span_at(spans, start).map(|i| &spans[i]) else {
            return false;
        };
        if span.range.end < end || !(s.contexts.contains(span.context) || url_valued(s, span, text)) {
            return false;
        }
        // Boundaries are judged within the span: a neighbour in another span is markup
        // (`_not controlled by Harvester_`, `**Harvester**`), which separates words.
        let within = &text[span.range.clone()];
        !s.word_boundary || text::at_word_boundaries(within, start - span.range.start, end - span.range.start)
    }

    /// The byte ranges of `text` that no substitution may touch: those active exceptions
    /// cover and those output guards cover, sorted.
    fn kept_ranges(&self, text: &str, active: &Active) -> Vec<Range<usize>> {
        let mut ranges: Vec<Range<usize>> = self
            .exception_matches(text, active)
            .into_iter()
            .map(|(r, _)| r)
            .chain(self.guard_matches(text).into_iter().map(|(r, _)| r))
            .collect();
        ranges.sort_by_key(|r| (r.start, r.end));
        ranges
    }

    /// The byte ranges of `text` that read as the output of a "Vendor X" substitution (every
    /// occurrence of a guard, overlapping ones too, with or without word boundaries: the
    /// output of a rule whose `from` begins or ends with a non-word character stands next to
    /// anything), each with the substitution's index, sorted.
    pub(crate) fn guard_matches(&self, text: &str) -> Vec<(Range<usize>, usize)> {
        let Some(guards) = &self.guards else {
            return Vec::new();
        };
        let mut found: Vec<(Range<usize>, usize)> = guards
            .automaton
            .find_overlapping_iter(text)
            .map(|m| (m.range(), guards.rules[m.pattern().as_usize()]))
            .collect();
        found.sort_by_key(|(r, _)| (r.start, r.end));
        found
    }

    /// The output guards of the rule set: every case form of a `to` in which some
    /// substitution matches text shorter than the form (`Fleet` in `NQRust Fleet`).
    fn output_guards(&self) -> Option<Guards> {
        let mut texts = Vec::new();
        let mut rules = Vec::new();
        for (i, s) in self.rules.substitutions.iter().enumerate() {
            for form in output_forms(s) {
                let inside = self
                    .output_matches(&form, &[])
                    .iter()
                    .any(|e| e.range.len() < form.len());
                if inside {
                    for variant in line_break_variants(&form) {
                        texts.push(variant);
                        rules.push(i);
                    }
                }
            }
        }
        if texts.is_empty() {
            return None;
        }
        // Standard semantics: every occurrence is found, overlapping ones too.
        let automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&texts)
            .expect("output guards fit in an automaton");
        Some(Guards { automaton, rules })
    }

    /// The matches any substitution makes in `form` (a rule's output, read as anything: any
    /// context, every rule acting) outside the sorted byte ranges `kept`.
    fn output_matches(&self, form: &str, kept: &[Range<usize>]) -> Vec<Edit> {
        let mut found = Vec::new();
        self.matches(form, 0..form.len(), &mut found, &mut |p, start, end| {
            let other = &self.rules.substitutions[self.patterns[p].rule];
            self.case_fits(p, form, start, end)
                && form.is_char_boundary(end)
                && (!other.word_boundary || text::at_word_boundaries(form, start, end))
                && !overlaps(kept, start..end)
        });
        found
    }

    /// The byte ranges of `text` that active exceptions cover, each with the exception's
    /// index, sorted by range.
    pub(crate) fn exception_matches(&self, text: &str, active: &Active) -> Vec<(Range<usize>, usize)> {
        let mut ranges = Vec::new();
        if let Some((ac, ids)) = &self.exception_literals {
            for m in ac.find_iter(text) {
                let id = ids[m.pattern().as_usize()];
                if active.exceptions[id] {
                    ranges.push((m.range(), id));
                }
            }
        }
        for (i, e) in self.rules.exceptions.iter().enumerate() {
            if let (ExceptionPattern::Regex(re), true) = (&e.pattern, active.exceptions[i]) {
                ranges.extend(re.find_iter(text).map(|m| (m.range(), i)));
            }
        }
        ranges.sort_by_key(|(r, _)| (r.start, r.end));
        ranges
    }

    /// Refuses a rule set in which a `to` would be matched again by some substitution,
    /// which would make a second run change the first run's output. The output guards and
    /// the exceptions that act on every file (no `paths`) keep what they cover.
    fn check_idempotent(&self) -> Result<(), RuleFileError> {
        let everywhere = Active {
            exceptions: self.rules.exceptions.iter().map(|e| e.paths.is_none()).collect(),
            ..self.all_active()
        };
        let mut errors = Vec::new();
        for s in &self.rules.substitutions {
            for form in output_forms(s) {
                let kept = self.kept_ranges(&form, &everywhere);
                if let Some(Edit {
                    range,
                    cause: Cause::Substitution(other),
                    ..
                }) = self.output_matches(&form, &kept).into_iter().next()
                {
                    let other = &self.rules.substitutions[other];
                    errors.push(
                        self.rules
                            .diagnostic(
                                s.span.clone(),
                                format!(
                                    "rule `{}` is not idempotent: its output `{form}` contains `{}`, which rule `{}` rewrites again",
                                    s.id,
                                    &form[range],
                                    other.id
                                ),
                            )
                            .with_hint("a second run would change the first run's output: narrow one of the two rules, or keep that text with an `[[exception]]`"),
                    );
                    break;
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(RuleFileError::Invalid(errors))
        }
    }
}

/// Every form substitution `s` can write (`text::carry_case`'s): `to` as written, and for a
/// case-preserving rule also all caps, all lower case and capitalised; without repeats.
fn output_forms(s: &Substitution) -> Vec<String> {
    let mut forms = vec![s.to.clone()];
    if s.case == CaseMode::Preserve {
        let mut chars = s.to.chars();
        let capitalised = chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        for form in [s.to.to_uppercase(), s.to.to_lowercase(), capitalised] {
            if !forms.contains(&form) {
                forms.push(form);
            }
        }
    }
    forms
}

/// `from` and its variants with each space matching a line break (`\n` or `\r\n`).
fn line_break_variants(from: &str) -> Vec<String> {
    let spaces = from.matches(' ').count();
    let mut out = vec![String::new()];
    if spaces == 0 || spaces > MAX_VARIANT_SPACES {
        return vec![from.to_string()];
    }
    for c in from.chars() {
        if c == ' ' {
            out = out
                .into_iter()
                .flat_map(|p| [" ", "\n", "\r\n"].map(|ws| format!("{p}{ws}")))
                .collect();
        } else {
            for p in &mut out {
                p.push(c);
            }
        }
    }
    out
}

/// Whether substitution `s` opts into the `url` context and `span` is a link target or an
/// HTML attribute whose whole value is an absolute URL: `url` rules act on URL-valued text
/// wherever it stands (bare in prose, a JS or JSON string, a link or `href`).
fn url_valued(s: &Substitution, span: &Span, text: &str) -> bool {
    s.contexts.contains(Context::Url)
        && matches!(span.context, Context::LinkTarget | Context::HtmlAttribute)
        && scan::is_url(text[span.range.clone()].trim())
}

/// The maximal runs of consecutive `spans` (a tiling, in order) whose context is in `set`.
fn windows(spans: &[Span], set: ContextSet) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut spans = spans.iter().peekable();
    std::iter::from_fn(move || {
        let first = spans.find(|s| set.contains(s.context))?;
        let mut end = first.range.end;
        while let Some(next) = spans.next_if(|s| set.contains(s.context)) {
            end = next.range.end;
        }
        Some(first.range.start..end)
    })
}

fn overlaps(sorted: &[Range<usize>], r: Range<usize>) -> bool {
    // Ranges may nest, so look at every range that starts before `r` ends.
    let upto = sorted.partition_point(|x| x.start < r.end);
    sorted[..upto].iter().rev().any(|x| x.end > r.start)
}

fn next_char(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map_or(text.len(), |c| at + c.len_utf8())
}

#[cfg(test)]
mod tests;
