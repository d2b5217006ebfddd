//! What a local is where `isinstance` tests narrow it (recorded by
//! `summary/narrowing.rs`): the classes of the last test that holds there,
//! less those of the tests that fail after it; with no test holding, the
//! local's own type less the failed tests' classes, as pyright narrows a
//! union (`x: A | B` is a `B` in the `else` of `isinstance(x, A)`).

use super::exprs::Narrowing;
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
        let applying = self.applying(file, name, offset, binding)?;
        let span = self.entry(file)?.summary.bindings[binding as usize].range;
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
        let excluded = self.failed_classes(file, &applying, depth);
        values.retain(|value| match value {
            Value::Instance(f, c, ..) => {
                let mro = self.mro(*f, *c, depth + 1);
                !excluded.iter().any(|e| mro.contains(e))
            }
            _ => true,
        });
        if holds.is_none() && values.len() == before {
            return None;
        }
        Value::union(values)
    }

    /// The workspace classes a local `name` read at `offset` is known not
    /// to be an instance of (nor of their subclasses): those of the tests
    /// that fail there after the last that holds. Override dispatch drops
    /// them from what a call on a declared base may run (`if not
    /// isinstance(it, Whitespace): it.render()` never runs
    /// `Whitespace.render`), where [`Resolver::narrowed`] leaves the
    /// declared base as it is.
    pub(in crate::graph) fn excluded(&mut self, file: FileId, name: &str, offset: u32, binding: u32) -> Vec<ClassRef> {
        match self.applying(file, name, offset, binding) {
            Some(applying) => self.failed_classes(file, &applying, 0),
            None => Vec::new(),
        }
    }

    /// The narrowings of `name` that apply at `offset`, in order, to the
    /// local or parameter `binding` (bound before them); `None` when
    /// there are none or the binding is not narrowed (an import, a
    /// definition, `self`).
    fn applying(&mut self, file: FileId, name: &str, offset: u32, binding: u32) -> Option<Vec<Narrowing>> {
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
        let applying: Vec<Narrowing> = summary
            .narrowings
            .iter()
            .filter(|n| n.scope == bound.scope && n.name == name && n.range.start <= offset && offset < n.range.end)
            .filter(|n| comprehension || bound.visible_from <= n.range.start)
            .cloned()
            .collect();
        (!applying.is_empty()).then_some(applying)
    }

    /// Whether the last test holding where `name` is read at `offset` is
    /// `type(name) is C`: it is an instance of exactly those classes.
    pub(in crate::graph) fn narrowed_exactly(&mut self, file: FileId, name: &str, offset: u32, binding: u32) -> bool {
        let Some(applying) = self.applying(file, name, offset, binding) else { return false };
        applying.iter().rposition(|n| !n.negative).is_some_and(|i| applying[i].exact)
    }

    /// The workspace classes of the tests in `applying` that fail after
    /// the last that holds.
    fn failed_classes(&mut self, file: FileId, applying: &[Narrowing], depth: u32) -> Vec<ClassRef> {
        let holds = applying.iter().rposition(|n| !n.negative);
        let mut excluded = Vec::new();
        for failed in &applying[holds.map_or(0, |i| i + 1)..] {
            for ty in self.eval(file, &failed.classes, depth + 1) {
                if let Ty::Class(f, c) = ty {
                    excluded.push(ClassRef::Workspace(f, c));
                }
            }
        }
        excluded
    }
}
