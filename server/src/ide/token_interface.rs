//! What a file shows other documents' semantic tokens: each name it binds
//! outside functions with the kind of thing bound (a class, a function, a
//! variable bound twice, an import of what), the decorators and bases of
//! its definitions. An edit that changes it (a function made a class in
//! one notebook cell, a name bound in a new cell) changes the tokens of the
//! other cells and of the files importing it, which an editor does not ask
//! for again by itself; one that leaves it be (a value, a function's body,
//! lines moved) changes none of theirs.

use std::hash::{Hash, Hasher};

use crate::graph::summary::{BindingKind, ScopeKind};
use crate::graph::{FileId, Graph};

/// A hash of what `file` shows other documents' tokens (see the module).
pub fn interface(graph: &Graph, file: FileId) -> Option<u64> {
    let summary = &graph.file(file)?.summary;
    let mut hasher = rustc_hash::FxHasher::default();
    for binding in summary.bindings.iter().filter(|b| summary.scopes.get(b.scope as usize).is_some_and(|s| s.kind != ScopeKind::Function)) {
        (binding.scope, binding.name.as_str()).hash(&mut hasher);
        match binding.kind {
            BindingKind::Definition(def) => {
                let Some(def) = summary.definitions.get(def as usize) else { continue };
                (0u8, format!("{:?}", def.kind), &def.decorators[..], &def.bases[..], def.body.is_some()).hash(&mut hasher);
            }
            BindingKind::Import(import) => {
                let Some(import) = summary.imports.get(import as usize) else { continue };
                (1u8, &import.module, import.level, &import.name, import.star).hash(&mut hasher);
            }
            _ => 2u8.hash(&mut hasher),
        }
    }
    Some(hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::fixture;

    /// Whether `after` shows other documents' tokens something `before`
    /// does not.
    fn check_interface_changes(before: &str, after: &str, changes: bool) {
        let interface_of = |text: &str| {
            let (graph, file, _) = fixture::graph(&format!("//- /m.py\n$0{text}"));
            interface(&graph, file).unwrap()
        };
        assert_eq!(interface_of(before) != interface_of(after), changes, "{before:?} -> {after:?}");
    }

    #[test]
    fn a_names_kind_changing_changes_the_interface() {
        check_interface_changes("def helper(): return 1\n", "class helper: pass\n", true);
        check_interface_changes("x = 1\n", "x = 1\nnew = 2\n", true);
        check_interface_changes("def f(): ...\n", "@deprecated('no')\ndef f(): ...\n", true);
        check_interface_changes("from a import b\n", "from a import c as b\n", true);
    }

    #[test]
    fn a_value_a_body_or_moved_lines_leave_it_be() {
        check_interface_changes("x = 1\n", "x = 2\n", false);
        check_interface_changes("def f():\n    y = 1\n    return y\n", "\n\ndef f():\n    z = 2\n    return z + 1\n", false);
    }
}
