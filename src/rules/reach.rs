//! Whether an exception can ever meet a substitution: the load-time check behind the
//! "exception can never meet a substitution" warning.
//!
//! An exception only changes a run where the text it covers overlaps a match of some
//! substitution's `from` (it removes that match). So an exception *can never meet a
//! substitution* when no text it can cover overlaps any text a `from` can match:
//!
//! - a `from` matches its text byte for byte (`case = "exact"`) or ignoring ASCII case
//!   (`"preserve"`), each space also as a line break (`\n` or `\r\n`);
//! - an exception covers its literal exactly, or any text its regex matches, with anchors
//!   and word boundaries (`^`, `$`, `\b`, ...) taken as always true;
//! - "overlaps" means any arrangement: the `from` inside the covered text, the covered text
//!   inside the `from`, or the two sharing a prefix of one and a suffix of the other.
//!
//! Word boundaries, contexts, `paths` and `locale` are not looked at: where they would rule
//! a meeting out, the exception still counts as one that can meet, so the warning is never
//! wrong, only sometimes silent.
//!
//! The check runs the exception's pattern as a lazy DFA in step with a small automaton of
//! "overlaps some `from`", and looks for a string both accept. It gives up (and counts the
//! exception as one that can meet) past [`STATE_BUDGET`] product states or when the lazy
//! DFA's cache fills.

use std::collections::{HashSet, VecDeque};

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::hybrid::LazyStateID;
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::start;
use regex_automata::Anchored;
use regex_syntax::hir::{Hir, HirKind, Repetition};

/// How many (DFA state, overlap state) pairs the search may visit before it gives up.
pub const STATE_BUDGET: usize = 100_000;

/// The lazy DFA's cache (bytes); the search gives up rather than let the cache be cleared.
const CACHE_BYTES: usize = 8 << 20;

/// One substitution's `from` as the automaton looks for it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Needle<'a> {
    /// The text (never empty).
    pub text: &'a str,
    /// Whether ASCII letters match in either case (`case = "preserve"`).
    pub ignore_case: bool,
}

/// Whether some text the pattern `hir` covers can overlap a match of one of `needles`
/// (see the module documentation). `true` also when the search gave up.
pub(super) fn can_meet(hir: &Hir, needles: &[Needle<'_>]) -> bool {
    if needles.is_empty() {
        return false;
    }
    let overlap = Overlap::new(needles);
    search(hir, &overlap).unwrap_or(true)
}

/// `hir` with every look-around assertion replaced by the empty pattern and captures
/// dropped: it matches every text `hir` matches somewhere, whatever surrounds it.
fn without_looks(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Look(_) => Hir::empty(),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => hir.clone(),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(without_looks(&r.sub)),
        }),
        HirKind::Capture(c) => without_looks(&c.sub),
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(without_looks).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(without_looks).collect()),
    }
}

/// The product search; `None` when it gave up.
fn search(hir: &Hir, overlap: &Overlap) -> Option<bool> {
    let nfa = thompson::Compiler::new()
        .configure(thompson::Config::new().which_captures(WhichCaptures::None))
        .build_from_hir(&without_looks(hir))
        .ok()?;
    let dfa = DFA::builder()
        .configure(
            DFA::config()
                .cache_capacity(CACHE_BYTES)
                .skip_cache_capacity_check(true),
        )
        .build_from_nfa(nfa)
        .ok()?;
    let mut cache = dfa.create_cache();
    let step = |cache: &mut Cache, s: LazyStateID, byte: Option<u8>| -> Option<LazyStateID> {
        let next = match byte {
            Some(b) => dfa.next_state(cache, s, b).ok()?,
            None => dfa.next_eoi_state(cache, s).ok()?,
        };
        // A cleared cache invalidates the state ids already seen.
        (cache.clear_count() == 0 && !next.is_quit()).then_some(next)
    };
    // One byte per class of bytes that both automata treat alike.
    let classes = dfa.byte_classes();
    let mut seen_keys = HashSet::new();
    let bytes: Vec<u8> = (0..=255u8)
        .filter(|&b| seen_keys.insert((classes.get(b), overlap.mentions(b).then_some(b))))
        .collect();
    let start = dfa
        .start_state(&mut cache, &start::Config::new().anchored(Anchored::Yes))
        .ok()?;
    let first = overlap.start();
    let mut seen = HashSet::from([(start, first.clone())]);
    let mut queue = VecDeque::from([(start, first)]);
    while let Some((state, set)) = queue.pop_front() {
        for &b in &bytes {
            let next = step(&mut cache, state, Some(b))?;
            if next.is_dead() {
                continue;
            }
            let next_set = overlap.step(&set, b);
            if overlap.accepts(&next_set) && step(&mut cache, next, None)?.is_match() {
                return Some(true);
            }
            if seen.insert((next, next_set.clone())) {
                if seen.len() > STATE_BUDGET {
                    return None;
                }
                queue.push_back((next, next_set));
            }
        }
    }
    Some(false)
}

/// A nondeterministic automaton of the texts that overlap some needle: `α β γ` where `β` is
/// a non-empty piece of a needle, `α` non-empty only if `β` starts the needle, `γ`
/// non-empty only if `β` ends it. Its state sets are bit sets over
/// `[START, BEFORE, AFTER, entered(0), reached(0), entered(1), ...]`.
struct Overlap {
    nodes: Vec<Node>,
    /// The node each needle starts at.
    firsts: Vec<usize>,
    /// Which bytes some node's edge reads.
    mentioned: [bool; 256],
}

/// A position inside a needle.
struct Node {
    /// (byte, next node).
    edges: Vec<(u8, usize)>,
    /// Whether the whole needle has been read.
    end: bool,
}

const START: usize = 0;
const BEFORE: usize = 1;
const AFTER: usize = 2;

type Set = Vec<u64>;

impl Overlap {
    fn new(needles: &[Needle<'_>]) -> Overlap {
        let mut nodes: Vec<Node> = Vec::new();
        let mut firsts = Vec::new();
        for needle in needles {
            let bytes = needle.text.as_bytes();
            let base = nodes.len();
            firsts.push(base);
            // Nodes base..=base+len are the positions; a `\r` node per space follows.
            for _ in 0..=bytes.len() {
                nodes.push(Node {
                    edges: Vec::new(),
                    end: false,
                });
            }
            nodes[base + bytes.len()].end = true;
            for (i, &b) in bytes.iter().enumerate() {
                let (here, next) = (base + i, base + i + 1);
                if b == b' ' {
                    let cr = nodes.len();
                    nodes.push(Node {
                        edges: vec![(b'\n', next)],
                        end: false,
                    });
                    nodes[here]
                        .edges
                        .extend([(b' ', next), (b'\n', next), (b'\r', cr)]);
                } else if needle.ignore_case && b.is_ascii_alphabetic() {
                    nodes[here]
                        .edges
                        .extend([(b.to_ascii_lowercase(), next), (b.to_ascii_uppercase(), next)]);
                } else {
                    nodes[here].edges.push((b, next));
                }
            }
        }
        let mut mentioned = [false; 256];
        for (b, _) in nodes.iter().flat_map(|n| &n.edges) {
            mentioned[usize::from(*b)] = true;
        }
        Overlap {
            nodes,
            firsts,
            mentioned,
        }
    }

    fn mentions(&self, b: u8) -> bool {
        self.mentioned[usize::from(b)]
    }

    fn entered(node: usize) -> usize {
        3 + 2 * node
    }

    fn reached(node: usize) -> usize {
        4 + 2 * node
    }

    fn empty(&self) -> Set {
        vec![0; (4 + 2 * self.nodes.len()).div_ceil(64)]
    }

    fn insert(set: &mut Set, bit: usize) {
        set[bit / 64] |= 1 << (bit % 64);
    }

    fn has(set: &Set, bit: usize) -> bool {
        set[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// Adds what `START` and `BEFORE` reach without reading: `β` may begin at any node
    /// when nothing came before it, and only at a needle's start when something did.
    fn close(&self, set: &mut Set) {
        if Self::has(set, START) {
            for (i, node) in self.nodes.iter().enumerate() {
                if !node.end {
                    Self::insert(set, Self::entered(i));
                }
            }
        }
        if Self::has(set, BEFORE) {
            for &f in &self.firsts {
                Self::insert(set, Self::entered(f));
            }
        }
    }

    fn start(&self) -> Set {
        let mut set = self.empty();
        Self::insert(&mut set, START);
        self.close(&mut set);
        set
    }

    fn step(&self, set: &Set, b: u8) -> Set {
        let mut next = self.empty();
        if Self::has(set, START) || Self::has(set, BEFORE) {
            Self::insert(&mut next, BEFORE);
        }
        if Self::has(set, AFTER) {
            Self::insert(&mut next, AFTER);
        }
        for (i, node) in self.nodes.iter().enumerate() {
            let (entered, reached) = (Self::has(set, Self::entered(i)), Self::has(set, Self::reached(i)));
            if !entered && !reached {
                continue;
            }
            for &(eb, to) in &node.edges {
                if eb == b {
                    Self::insert(&mut next, Self::reached(to));
                }
            }
            if reached && node.end {
                Self::insert(&mut next, AFTER);
            }
        }
        self.close(&mut next);
        next
    }

    /// Whether the text read so far overlaps a needle: some of a needle was read, and
    /// whatever followed came after the needle's end.
    fn accepts(&self, set: &Set) -> bool {
        Self::has(set, AFTER) || (0..self.nodes.len()).any(|i| Self::has(set, Self::reached(i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meets(pattern: &str, needles: &[(&str, bool)]) -> bool {
        let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
        let needles: Vec<Needle<'_>> = needles
            .iter()
            .map(|&(text, ignore_case)| Needle { text, ignore_case })
            .collect();
        can_meet(&hir, &needles)
    }

    fn literal_meets(literal: &str, needles: &[(&str, bool)]) -> bool {
        meets(&regex_syntax::escape(literal), needles)
    }

    #[test]
    fn literals_meet_when_they_overlap_in_any_arrangement() {
        let brand = [("Harvester", false)];
        // The `from` inside, the exception inside, a suffix meeting a prefix, either way.
        assert!(literal_meets("Harvester Cloud Provider", &brand));
        assert!(literal_meets("Harvest", &brand));
        assert!(literal_meets("vester node", &brand));
        assert!(literal_meets("the Harv", &brand));
        assert!(literal_meets("Harvester", &brand));
        // Case: an exact `from` never meets other cases; a preserving one does.
        assert!(!literal_meets("harvester-system", &brand));
        assert!(literal_meets("harvester-system", &[("Harvester", true)]));
        // Nothing in common.
        assert!(!literal_meets("Rancher Manager", &brand));
        assert!(!literal_meets("Rancher", &[]));
    }

    #[test]
    fn a_space_in_from_also_meets_a_line_break() {
        let from = [("Harvester hypervisor", false)];
        assert!(literal_meets("Harvester\nhypervisor", &from));
        assert!(literal_meets("r\r\nhyp", &from));
        assert!(literal_meets("\nhypervisor is", &from));
        assert!(!literal_meets(
            "Harvester\thypervisor",
            &[("Harvester hypervisor-x", false)]
        ));
    }

    #[test]
    fn regexes_meet_when_some_text_they_match_overlaps() {
        let brand = [("Harvester", false)];
        assert!(meets(r"Virtualization Management > Harvester Clusters?", &brand));
        assert!(meets(r"v\d+ of Harv", &brand));
        assert!(meets(r"(?i)harvester-\w+", &brand));
        // Lower case only, and `-` can never stand in `Harvester`.
        assert!(!meets(r"harvester-[a-z]+", &brand));
        assert!(!meets(r"\bharvester\b", &brand));
        assert!(!meets(r"[0-9]+\.[0-9]+", &brand));
        // Anchors and boundaries count as true: they never rule a meeting out.
        assert!(meets(r"^Harvester$", &brand));
        assert!(meets(r"ter\B", &brand));
        // A Unicode class holds ASCII letters too.
        assert!(meets(r"\w+ster", &brand));
    }

    #[test]
    fn unbounded_patterns_stay_within_the_budget() {
        assert!(meets(r"(?s).*x.*y", &[("xy", false), ("yx", true)]));
        assert!(!meets(r"[a-z]{1,50}", &[("ABC", false)]));
    }
}
