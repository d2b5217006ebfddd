//! `__getattr__` forwarding: reading an attribute that an instance's class
//! and its bases do not have runs the class's `__getattr__` (a wrapper
//! handing reads on to what it wraps: `def __getattr__(self, name):
//! return getattr(self._stream, name)`). Resolved when a file is linked,
//! into [`super::EdgeKind::Runs`] edges at the attribute's name.
//!
//! Only where the lookup is known to fail: an instance of a workspace
//! class whose MRO is workspace classes and `object` (a library base may
//! have the attribute; its members are not all known), and a name that
//! is no dunder (`object` has `__class__`, `__dict__`, ...; a class
//! attribute read on the class does not go through `__getattr__` either).

use super::FileId;
use super::infer::Ty;
use super::resolve::{Resolver, Value};
use super::summary::{Reference, Span};

impl Resolver<'_> {
    /// The workspace `__getattr__` that reading `reference`'s first
    /// unresolved segment runs, with where that segment is written.
    /// `values`: what the segments before it resolved to.
    pub(super) fn forwarded_read(&mut self, file: FileId, reference: &Reference, values: &[(Span, Value)]) -> Vec<(Span, Value)> {
        if !self.graph.defines_dunder("__getattr__") || values.len() >= reference.segment_count() {
            return Vec::new();
        }
        let Some((name, span)) = reference.segments().nth(values.len()) else { return Vec::new() };
        if name.is_empty() || (name.starts_with("__") && name.ends_with("__")) {
            return Vec::new();
        }
        let types = match values.last() {
            Some((_, owner)) => self.value_types(owner, 0),
            None => match reference.receiver() {
                Some(receiver) => self.eval(file, receiver, 0),
                None => return Vec::new(),
            },
        };
        let mut out = Vec::new();
        for ty in types {
            let Ty::Instance(f, class, _) = ty else { continue };
            if self.graph.is_library(f) {
                continue;
            }
            if let Some(getattr @ Value::Definition(g, _)) = self.class_member(f, class, "__getattr__", 0)
                && !self.graph.is_library(g)
                && !out.iter().any(|(_, v)| *v == getattr)
            {
                out.push((span, getattr));
            }
        }
        out
    }
}
