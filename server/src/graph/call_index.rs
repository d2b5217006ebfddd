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
        let last = |i: u32| references[i as usize].last_segment().0;
        let mut calls: Vec<u32> = (0..references.len() as u32)
            .filter(|&i| {
                let reference = &references[i as usize];
                reference.call && reference.receiver().is_none() && !reference.from_super
            })
            .collect();
        // Stable: a name's calls stay in source order.
        calls.sort_by(|&a, &b| last(a).cmp(last(b)));
        let mut by_name = FxHashMap::default();
        let mut start = 0;
        for end in 1..=calls.len() {
            if end == calls.len() || last(calls[end]) != last(calls[start]) {
                by_name.insert(last(calls[start]), (start as u32, end as u32));
                start = end;
            }
        }
        Self { calls: calls.into_boxed_slice(), by_name }
    }

    pub(super) fn calls_named(&self, name: &str) -> &[u32] {
        self.by_name.get(name).map_or(&[], |&(start, end)| &self.calls[start as usize..end as usize])
    }
}
