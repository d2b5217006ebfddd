//! The dunder names that workspace class bodies bind, counted over the
//! whole graph: an implicit call (see implicit.rs) whose protocol no
//! workspace class defines can run no workspace method, so its receiver
//! is never evaluated. Evaluating receivers was about a third of
//! Django's linking, and most operators and builtins a project applies
//! run protocols none of its classes has.
//!
//! The count changes as files are inserted and removed. When a name first
//! appears or last disappears, the files with an implicit call that may
//! run it are re-linked (no file consulted the class that now defines it,
//! since their receivers were not evaluated), so an updated graph equals
//! a cold index.

use rustc_hash::FxHashSet;

use super::summary::{FileSummary, Protocol, ScopeKind};
use super::{FileId, Graph};

impl Graph {
    /// Whether some workspace class body binds `name`.
    pub(super) fn defines_dunder(&self, name: &str) -> bool {
        self.class_dunders.contains_key(name)
    }

    /// Counts the names `new` binds in class bodies in, and those `old`
    /// bound out (a file's summary before and after an update; `None` for
    /// a file added or removed). Returns the names that first appeared or
    /// last disappeared.
    pub(super) fn count_dunders(&mut self, old: Option<&FileSummary>, new: Option<&FileSummary>) -> Vec<String> {
        let mut touched: Vec<(&str, bool)> = Vec::new();
        for (summary, add) in [(old, false), (new, true)] {
            for name in summary.into_iter().flat_map(class_dunders) {
                if !touched.iter().any(|(t, _)| *t == name) {
                    touched.push((name, self.defines_dunder(name)));
                }
                let count = self.class_dunders.entry(name.to_owned()).or_default();
                if add {
                    *count += 1;
                } else {
                    *count = count.saturating_sub(1);
                }
            }
        }
        let mut flipped = Vec::new();
        for (name, before) in touched {
            if self.class_dunders.get(name) == Some(&0) {
                self.class_dunders.remove(name);
            }
            if before != self.defines_dunder(name) {
                flipped.push(name.to_owned());
            }
        }
        flipped
    }

    /// The files with an implicit call whose protocol runs one of `names`;
    /// every file for `__call__` (any call of a name may run it),
    /// `__new__` (any call of a class), `__get__` (any attribute read
    /// may run a descriptor's), `__set__` (any attribute assignment) and
    /// `__delete__` (which makes a descriptor one that instance
    /// assignments do not shadow).
    pub(super) fn implicit_users(&self, names: &[String]) -> FxHashSet<FileId> {
        if names.is_empty() {
            return FxHashSet::default();
        }
        let every = names.iter().any(|n| matches!(n.as_str(), "__call__" | "__new__" | "__get__" | "__set__" | "__delete__"));
        let runs = |protocol: Protocol| protocol.runs().into_iter().flatten().any(|method| names.iter().any(|n| n == method));
        self.files().filter(|(_, entry)| every || entry.summary.implicit_calls.iter().any(|call| runs(call.protocol))).map(|(id, _)| id).collect()
    }
}

/// The dunder names bound in the class bodies of a summary (methods,
/// assignments such as `__hash__ = None`, `self.__call__ = f`), once per
/// binding.
fn class_dunders(summary: &FileSummary) -> impl Iterator<Item = &str> {
    summary
        .bindings
        .iter()
        .filter(|b| b.name.len() > 4 && b.name.starts_with("__") && b.name.ends_with("__"))
        .filter(|b| summary.scopes.get(b.scope as usize).is_some_and(|s| s.kind == ScopeKind::Class))
        .map(|b| b.name.as_str())
}
