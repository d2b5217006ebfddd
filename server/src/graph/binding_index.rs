//! A file's bindings by scope and name, for scope lookups.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use super::summary::{Binding, ScopeId};

/// Marks the end of a chain in [`BindingIndex::next`].
const END: u32 = u32::MAX;

/// The bindings of a file by scope and name, each's in source order,
/// holding no copy of any name: the hash of a scope and a name leads to its
/// first binding, and each binding to the next one with the same hash. (A
/// map from each distinct name to a list was a string and a list per name
/// of every file, a good part of what a one-shot check allocates and frees;
/// a chain per name alone made a lookup walk the same name's bindings in
/// every other function: quadratic in a file of many small functions.)
#[derive(Debug, Clone, Default)]
pub(super) struct BindingIndex {
    /// By the key's hash folded to 32 bits: keys that share a hash share a
    /// chain anyway, and a file's few thousand keys rarely do. An entry of
    /// 8 bytes, not 16: the table is most of what a file's indexes hold.
    first: FxHashMap<u32, u32>,
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
            if let Some(after) = first.insert(key(binding.scope, &binding.name), i as u32) {
                next[i] = after;
            }
        }
        Self { first, next }
    }

    /// The indices of the bindings of `name` in `scope` among `bindings`
    /// (those the index was made of), in source order.
    pub(super) fn named<'a>(&'a self, bindings: &'a [Binding], scope: ScopeId, name: &'a str) -> Named<'a> {
        let at = self.first.get(&key(scope, name)).copied().unwrap_or(END);
        Named { index: self, bindings, scope, name, at }
    }
}

fn key(scope: ScopeId, name: &str) -> u32 {
    let mut hasher = FxHasher::default();
    scope.hash(&mut hasher);
    name.hash(&mut hasher);
    let hash = hasher.finish();
    (hash ^ (hash >> 32)) as u32
}

/// See [`BindingIndex::named`]; cheap to clone (a cursor).
#[derive(Clone)]
pub(super) struct Named<'a> {
    index: &'a BindingIndex,
    bindings: &'a [Binding],
    scope: ScopeId,
    name: &'a str,
    at: u32,
}

impl Iterator for Named<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        while self.at != END {
            let found = self.at;
            self.at = self.index.next[found as usize];
            // Keys that share a hash share a chain.
            let binding = &self.bindings[found as usize];
            if binding.scope == self.scope && binding.name == self.name {
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

    fn binding((scope, name): (ScopeId, &str)) -> Binding {
        Binding { name: name.into(), scope, range: Span::default(), kind: BindingKind::Local, visible_from: 0, value: None }
    }

    #[test]
    fn lists_each_scopes_bindings_of_a_name_in_source_order() {
        let bindings: Vec<Binding> = [(0, "a"), (0, "b"), (1, "a"), (0, "a"), (0, "c"), (1, "a"), (0, "a"), (0, "b")].into_iter().map(binding).collect();
        let index = BindingIndex::new(&bindings);
        let named = |scope, name| index.named(&bindings, scope, name).collect::<Vec<_>>();
        assert_eq!(named(0, "a"), [0, 3, 6]);
        assert_eq!(named(1, "a"), [2, 5]);
        assert_eq!(named(0, "b"), [1, 7]);
        assert_eq!(named(0, "c"), [4]);
        assert_eq!(named(1, "b"), Vec::<u32>::new());
        assert_eq!(named(0, "d"), Vec::<u32>::new());
    }

    #[test]
    fn keys_sharing_a_hash_keep_apart() {
        // Two keys forced into one chain, as a hash collision would.
        let bindings: Vec<Binding> = [(0, "x"), (0, "y"), (0, "x"), (1, "x")].into_iter().map(binding).collect();
        let mut index = BindingIndex::new(&bindings);
        index.first.insert(key(0, "y"), 0);
        index.first.insert(key(1, "x"), 0);
        index.next = vec![1, 2, 3, END];
        assert_eq!(index.named(&bindings, 0, "x").collect::<Vec<_>>(), [0, 2]);
        assert_eq!(index.named(&bindings, 0, "y").collect::<Vec<_>>(), [1]);
        assert_eq!(index.named(&bindings, 1, "x").collect::<Vec<_>>(), [3]);
    }

    /// The table's entries: a folded hash and a binding, 8 bytes.
    #[test]
    fn an_entry_of_the_table_is_eight_bytes() {
        fn entry_bytes<K, V, S>(_: &std::collections::HashMap<K, V, S>) -> usize {
            std::mem::size_of::<(K, V)>()
        }
        let index = BindingIndex::new(&[binding((0, "a"))]);
        assert_eq!(entry_bytes(&index.first), 8);
        assert_eq!(index.named(&[binding((0, "a"))], 0, "a").collect::<Vec<_>>(), [0]);
    }
}
