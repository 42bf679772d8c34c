//! The edits of one text, sorted by range and disjoint: the one place that keeps that
//! invariant, and that says what it leaves out to keep it.

use std::ops::Deref;

use super::{apply_edits, Edit};

/// The edits of one text, sorted by range (start, then end) and disjoint: no two cover the
/// same byte, and no two are insertions at the same point. Read it as a slice (`Deref`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Edits(Vec<Edit>);

impl Edits {
    /// `edits` as they come, sorted and disjoint already (the rewriter makes its matches in
    /// order, one after the other).
    ///
    /// # Panics
    /// In debug builds, when they are not sorted and disjoint.
    pub fn from_sorted(edits: Vec<Edit>) -> Edits {
        debug_assert!(
            edits.windows(2).all(|w| apart(&w[0], &w[1])),
            "edits must be sorted and disjoint"
        );
        Edits(edits)
    }

    /// Adds each edit of `more` (sorted and disjoint among themselves) that overlaps none
    /// already here, and returns the others, in order, for the caller to report: an edit
    /// here always wins. Two edits overlap when they share a byte, or are two insertions at
    /// one point; an insertion at either end of a replaced range does not overlap it.
    pub fn merge(&mut self, more: Vec<Edit>) -> Vec<Edit> {
        if more.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::with_capacity(self.0.len() + more.len());
        let mut refused = Vec::new();
        let mut edits = std::mem::take(&mut self.0).into_iter().peekable();
        for m in more {
            while let Some(e) = edits.next_if(|e| e.range.end <= m.range.start && e.range != m.range) {
                out.push(e);
            }
            let clash = edits
                .peek()
                .is_some_and(|e| e.range.start < m.range.end || e.range == m.range);
            if !clash && out.last().is_none_or(|l: &Edit| apart(l, &m)) {
                out.push(m);
            } else {
                refused.push(m);
            }
        }
        out.extend(edits);
        self.0 = out;
        refused
    }

    /// `text` with the edits applied.
    pub fn apply(&self, text: &str) -> String {
        apply_edits(text, &self.0)
    }

    /// The edits, as a vector.
    pub fn into_vec(self) -> Vec<Edit> {
        self.0
    }
}

impl Deref for Edits {
    type Target = [Edit];

    fn deref(&self) -> &[Edit] {
        &self.0
    }
}

impl<'a> IntoIterator for &'a Edits {
    type Item = &'a Edit;
    type IntoIter = std::slice::Iter<'a, Edit>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for Edits {
    type Item = Edit;
    type IntoIter = std::vec::IntoIter<Edit>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Whether `a`, then `b`, are in order and apart: `a` ends where or before `b` begins, and
/// they are not two insertions at one point.
fn apart(a: &Edit, b: &Edit) -> bool {
    a.range.end <= b.range.start && a.range != b.range
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rewrite::Cause;

    fn edit(range: std::ops::Range<usize>, cause: Cause) -> Edit {
        Edit {
            replacement: format!("<{}..{}>", range.start, range.end),
            range,
            cause,
        }
    }

    #[test]
    fn merging_keeps_the_edits_here_and_returns_what_overlaps_them() {
        let sub = |r| edit(r, Cause::Substitution(0));
        let reference = |r| edit(r, Cause::Reference);
        let mut edits = Edits::from_sorted(vec![sub(2..5), sub(9..12)]);
        let refused = edits.merge(vec![
            reference(0..2),   // ends where a substitution begins: apart
            reference(4..6),   // shares byte 4
            reference(7..7),   // an insertion between the two
            reference(12..12), // an insertion at an end: apart
            reference(12..12), // the same insertion again
            reference(11..14), // shares byte 11
        ]);
        let ranges: Vec<_> = edits.iter().map(|e| e.range.clone()).collect();
        assert_eq!(ranges, [0..2, 2..5, 7..7, 9..12, 12..12]);
        let refused: Vec<_> = refused.iter().map(|e| e.range.clone()).collect();
        assert_eq!(refused, [4..6, 12..12, 11..14]);
        assert_eq!(
            edits.apply("abcdefghijklmn"),
            "<0..2><2..5>fg<7..7>hi<9..12><12..12>mn"
        );
    }
}
