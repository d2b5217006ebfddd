//! What a local is where `isinstance` tests narrow it (recorded by
//! `summary/narrowing.rs`): the classes of the last test that holds there,
//! less those of the tests that fail after it; with no test holding, the
//! local's own type less the failed tests' classes, as pyright narrows a
//! union (`x: A | B` is a `B` in the `else` of `isinstance(x, A)`).

use super::ty::Ty;
use crate::graph::FileId;
use crate::graph::resolve::{ClassRef, Resolver, Value};
use crate::graph::summary::{BindingKind, ScopeKind};

impl Resolver<'_> {
    /// A local or parameter `name` read at `offset` where narrowings
    /// apply (and bound before them): instances of the classes it may be,
    /// a class of the workspace or of the library. `None` when no
    /// narrowing applies or what a failed test leaves cannot be judged
    /// (the local's type is unknown, or more than instances).
    pub(in crate::graph) fn narrowed(&mut self, file: FileId, name: &str, offset: u32, binding: u32, depth: u32) -> Option<Value> {
        let entry = self.entry(file)?;
        let summary = &entry.summary;
        if summary.narrowings.is_empty() {
            return None;
        }
        let bound = &summary.bindings[binding as usize];
        if !matches!(bound.kind, BindingKind::Local | BindingKind::Join | BindingKind::Parameter { self_of: None }) {
            return None;
        }
        // The test narrows the name where it is bound; a comprehension
        // in the body reads it from there (`{k: v for k, v in raw.items()}`).
        // A comprehension's own variable is bound after its element is
        // written (`[e.go() if isinstance(e, B) else e for e in y]`).
        let scope = &summary.scopes[bound.scope as usize];
        let comprehension = scope.kind == ScopeKind::Function && scope.definition.is_none();
        let applying: Vec<_> = summary
            .narrowings
            .iter()
            .filter(|n| n.scope == bound.scope && n.name == name && n.range.start <= offset && offset < n.range.end)
            .filter(|n| comprehension || bound.visible_from <= n.range.start)
            .cloned()
            .collect();
        let span = bound.range;
        let holds = applying.iter().rposition(|n| !n.negative);
        let mut values: Vec<Value> = match holds {
            Some(i) => {
                let narrowing = &applying[i];
                let classes = self.eval(file, &narrowing.classes, depth + 1);
                classes
                    .into_iter()
                    .filter_map(|t| match t {
                        Ty::Class(f, c) if narrowing.subclass => Some(Value::Definition(f, c)),
                        Ty::Class(f, c) => Some(Value::Instance(f, c, file, span)),
                        _ => None,
                    })
                    .collect()
            }
            None => {
                let mut own = Vec::new();
                for ty in self.binding_types(file, binding, depth + 1) {
                    match ty {
                        Ty::Instance(f, c, _) => own.push(Value::Instance(f, c, file, span)),
                        // `x: A | None` with `x` not an `A`: nothing of
                        // `None` is a workspace call.
                        Ty::None => {}
                        _ => return None,
                    }
                }
                own
            }
        };
        let before = values.len();
        for failed in &applying[holds.map_or(0, |i| i + 1)..] {
            let excluded: Vec<ClassRef> = self
                .eval(file, &failed.classes, depth + 1)
                .into_iter()
                .filter_map(|t| match t {
                    Ty::Class(f, c) => Some(ClassRef::Workspace(f, c)),
                    _ => None,
                })
                .collect();
            values.retain(|value| match value {
                Value::Instance(f, c, ..) => {
                    let mro = self.mro(*f, *c, depth + 1);
                    !excluded.iter().any(|e| mro.contains(e))
                }
                _ => true,
            });
        }
        if holds.is_none() && values.len() == before {
            return None;
        }
        Value::union(values)
    }
}
