//! A file's bindings by name, for scope lookups.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use super::summary::Binding;

/// Marks the end of a chain in [`BindingIndex::next`].
const END: u32 = u32::MAX;

/// The bindings of a file by name, each name's in source order, holding no
/// copy of any name: each name's hash leads to its first binding, and each
/// binding to the next one whose name has the same hash. (A map from each
/// distinct name to a list was a string and a list per name of every file,
/// a good part of what a one-shot check allocates and frees.)
#[derive(Debug, Clone, Default)]
pub(super) struct BindingIndex {
    first: FxHashMap<u64, u32>,
    /// Parallel to the bindings: the next binding whose name has the same
    /// hash, or [`END`].
    next: Vec<u32>,
}

impl BindingIndex {
    pub(super) fn new(bindings: &[Binding]) -> Self {
        let mut first = FxHashMap::with_capacity_and_hasher(bindings.len() / 2, Default::default());
        let mut next = vec![END; bindings.len()];
        // From the last binding to the first, each put before the ones
        // found already: the chains come out in source order.
        for (i, binding) in bindings.iter().enumerate().rev() {
            if let Some(after) = first.insert(name_hash(&binding.name), i as u32) {
                next[i] = after;
            }
        }
        Self { first, next }
    }

    /// The indices of the bindings of `name` among `bindings` (those the
    /// index was made of), in source order.
    pub(super) fn named<'a>(&'a self, bindings: &'a [Binding], name: &'a str) -> Named<'a> {
        let at = self.first.get(&name_hash(name)).copied().unwrap_or(END);
        Named { index: self, bindings, name, at }
    }
}

fn name_hash(name: &str) -> u64 {
    let mut hasher = FxHasher::default();
    name.hash(&mut hasher);
    hasher.finish()
}

/// See [`BindingIndex::named`]; cheap to clone (a cursor).
#[derive(Clone)]
pub(super) struct Named<'a> {
    index: &'a BindingIndex,
    bindings: &'a [Binding],
    name: &'a str,
    at: u32,
}

impl Iterator for Named<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        while self.at != END {
            let found = self.at;
            self.at = self.index.next[found as usize];
            // Names that share a hash share a chain.
            if self.bindings[found as usize].name == self.name {
                return Some(found);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::summary::{BindingKind, Span};

    fn binding(name: &str) -> Binding {
        Binding { name: name.to_owned(), scope: 0, range: Span::default(), kind: BindingKind::Local, visible_from: 0, value: None }
    }

    #[test]
    fn lists_each_names_bindings_in_source_order() {
        let bindings: Vec<Binding> = ["a", "b", "a", "c", "a", "b"].into_iter().map(binding).collect();
        let index = BindingIndex::new(&bindings);
        let named = |name| index.named(&bindings, name).collect::<Vec<_>>();
        assert_eq!(named("a"), [0, 2, 4]);
        assert_eq!(named("b"), [1, 5]);
        assert_eq!(named("c"), [3]);
        assert_eq!(named("d"), Vec::<u32>::new());
    }

    #[test]
    fn names_sharing_a_hash_keep_apart() {
        // Two names forced into one chain, as a hash collision would.
        let bindings: Vec<Binding> = ["x", "y", "x"].into_iter().map(binding).collect();
        let mut index = BindingIndex::new(&bindings);
        index.first.insert(name_hash("y"), 0);
        index.next = vec![1, 2, END];
        assert_eq!(index.named(&bindings, "x").collect::<Vec<_>>(), [0, 2]);
        assert_eq!(index.named(&bindings, "y").collect::<Vec<_>>(), [1]);
    }
}
