//! A file's calls by the called name, for typing a function's parameters
//! by what its callers pass (`infer/callers.rs`): built once per summary
//! and kept with the file's entry (see [`super::FileEntry::calls_named`]).

use rustc_hash::FxHashMap;

use super::summary::Reference;

/// A file's calls not on a receiver, grouped by the called name's last
/// segment: each name's range of `calls`, which keeps source order.
#[derive(Debug, Clone)]
pub(super) struct CallIndex {
    calls: Box<[u32]>,
    by_name: FxHashMap<&'static str, (u32, u32)>,
}

impl CallIndex {
    pub(super) fn new(references: &[Reference]) -> Self {
        // Grouped in one pass, each name's calls in source order: a sort
        // by name found each call's last segment again at every
        // comparison (8.3M instructions of a debug build for Django's
        // `sql/query.py`, on every edit of it: the index is per summary).
        let mut named: FxHashMap<&'static str, Vec<u32>> = FxHashMap::default();
        for (i, reference) in references.iter().enumerate() {
            if reference.call && reference.receiver().is_none() && !reference.from_super {
                named.entry(reference.last_segment().0).or_default().push(i as u32);
            }
        }
        let mut calls = Vec::with_capacity(named.values().map(Vec::len).sum());
        let by_name = named
            .into_iter()
            .map(|(name, of)| {
                let start = calls.len() as u32;
                calls.extend(of);
                (name, (start, calls.len() as u32))
            })
            .collect();
        Self { calls: calls.into_boxed_slice(), by_name }
    }

    pub(super) fn calls_named(&self, name: &str) -> &[u32] {
        self.by_name.get(name).map_or(&[], |&(start, end)| &self.calls[start as usize..end as usize])
    }
}
