//! The innermost of nested nodes (calls, statements) that holds an offset,
//! found in O(log n + nesting depth). A file with thousands of findings asks
//! once per finding; a scan of every node each time made its check grow
//! with the square of its size.

use std::ops::Range;

/// Nodes whose ranges nest or are apart (as the nodes of a syntax tree do),
/// each with the node that holds it.
pub(super) struct Innermost<T> {
    /// Sorted by start, an outer node before the inner one starting with it.
    nodes: Vec<(Range<usize>, T)>,
    /// The index of the innermost node holding each node, if one does.
    parents: Vec<Option<usize>>,
}

impl<T> Innermost<T> {
    pub(super) fn new(mut nodes: Vec<(Range<usize>, T)>) -> Self {
        nodes.sort_by(|(a, _), (b, _)| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let mut parents = Vec::with_capacity(nodes.len());
        let mut open: Vec<usize> = Vec::new();
        for (range, _) in &nodes {
            while open.last().is_some_and(|&last| nodes[last].0.end <= range.start) {
                open.pop();
            }
            parents.push(open.last().copied());
            open.push(parents.len() - 1);
        }
        Innermost { nodes, parents }
    }

    /// The smallest node whose range holds `offset`.
    pub(super) fn at(&self, offset: usize) -> Option<&(Range<usize>, T)> {
        self.looked_at(offset).map(|i| &self.nodes[i]).find(|(range, _)| range.contains(&offset))
    }

    /// The nodes [`Innermost::at`] looks at, in turn: the last node
    /// starting at or before `offset` (the innermost holding it, or inside
    /// that one), then the nodes holding that one, inside out.
    fn looked_at(&self, offset: usize) -> impl Iterator<Item = usize> + '_ {
        let last = self.nodes.partition_point(|(range, _)| range.start <= offset).checked_sub(1);
        std::iter::successors(last, |&i| self.parents[i])
    }
}

#[cfg(test)]
mod tests {
    use super::Innermost;

    /// What a scan of every node finds: the smallest range holding the
    /// offset.
    fn scanned(nodes: &[std::ops::Range<usize>], offset: usize) -> Option<std::ops::Range<usize>> {
        nodes.iter().filter(|r| r.contains(&offset)).min_by_key(|r| r.len()).cloned()
    }

    #[test]
    fn finds_what_a_scan_finds() {
        // f(g(x), [h(y), k(z)])(w) with siblings, a shared start and a gap.
        let nodes = vec![0..30, 0..20, 2..6, 8..19, 9..12, 13..18, 21..29, 32..40];
        let innermost = Innermost::new(nodes.iter().rev().map(|r| (r.clone(), ())).collect());
        for offset in 0..42 {
            assert_eq!(innermost.at(offset).map(|(r, _)| r.clone()), scanned(&nodes, offset), "offset {offset}");
        }
    }

    /// One call holding n siblings: a look-up walks up from the sibling
    /// before the offset, not back over all of them.
    #[test]
    fn siblings_are_not_scanned() {
        let n = 10_000;
        let mut nodes = vec![(0..10 * n + 1, 0)];
        nodes.extend((0..n).map(|i| (10 * i + 1..10 * i + 5, i + 1)));
        let innermost = Innermost::new(nodes);
        let (inside_last, after_last) = (10 * (n - 1) + 2, 10 * (n - 1) + 7);
        assert_eq!(innermost.at(inside_last).map(|(_, id)| *id), Some(n));
        assert_eq!(innermost.at(after_last).map(|(_, id)| *id), Some(0));
        assert_eq!(innermost.looked_at(inside_last).count(), 2);
        assert_eq!(innermost.looked_at(after_last).count(), 2);
    }
}
