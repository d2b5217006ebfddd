//! Descriptors: an attribute a class body binds to an instance of a
//! workspace class with `__get__`/`__set__` (`user = Perm('_user')`, or a
//! method decorated by such a class: `@instanceproperty def func(self)`).
//! Reading it through an instance or the class runs `__get__`; assigning
//! it through an instance runs `__set__` (`self.user = user`). A data
//! descriptor (one with `__set__` or `__delete__`) wins over the
//! instance's `__dict__`, so its `__get__` runs even where the instance
//! assigns the attribute; a non-data descriptor is shadowed there, and an
//! assignment stores in the `__dict__` without running anything.
//! Resolved when a file is linked, into [`super::EdgeKind::Runs`] edges.

use super::infer::{Ty, ValueExpr};
use super::resolve::{Resolver, Value};
use super::summary::{BindingKind, DefinitionId, DefinitionKind, ScopeKind, Span};
use super::{FileEntry, FileId};

/// How an attribute is used where it is written.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Access {
    Read,
    /// `obj.x = v`
    Store,
    /// `obj.x += v`: read, then stored.
    Update,
}

/// The augmented assignment operators (`obj.x += 1` reads and stores).
const AUGMENTED: &[&str] = &["+=", "-=", "*=", "/=", "//=", "%=", "**=", ">>=", "<<=", "&=", "^=", "|=", "@="];

/// How the attribute whose last segment is at `span` is used, from the
/// text after it: `=` (not `==`) assigns it, an augmented operator updates
/// it. An annotated or unpacked target (`obj.x: int = 1`, `obj.a, obj.b =
/// t`) counts as a read.
fn access_at(text: &str, span: Span) -> Access {
    let rest = text.get(span.end as usize..).unwrap_or_default().trim_start_matches([' ', '\t']);
    if rest.starts_with('=') && !rest.starts_with("==") {
        Access::Store
    } else if AUGMENTED.iter().any(|op| rest.starts_with(op)) {
        Access::Update
    } else {
        Access::Read
    }
}

impl Resolver<'_> {
    /// The descriptor methods that using the attribute `value` runs (see
    /// the module's comment). `site`: where its name is written in `text`,
    /// when it may be assigned there (the chain's last segment, not
    /// called); else it is read. `through_instance`: the attribute is
    /// reached on an instance, not on the class (assigning a class's
    /// attribute replaces the descriptor).
    pub(super) fn descriptor_targets(&mut self, value: &Value, text: &str, site: Option<Span>, through_instance: bool) -> Vec<Value> {
        let Value::Definition(file, def) = *value else { return Vec::new() };
        let (get, set) = (self.graph.defines_dunder("__get__"), self.graph.defines_dunder("__set__"));
        if !(get || set) || !self.holds_descriptor(file, def) {
            return Vec::new();
        }
        let access = site.map_or(Access::Read, |span| access_at(text, span));
        let reads = access != Access::Store && get;
        let stores = access != Access::Read && through_instance && set;
        let mut out = Vec::new();
        let mut shadowed = None;
        for ty in self.value_types(value, 0) {
            let Ty::Instance(f, class, _) = ty else { continue };
            if self.graph.is_library(f) {
                continue;
            }
            let get = self.class_member(f, class, "__get__", 0);
            let set = self.class_member(f, class, "__set__", 0);
            let data = set.is_some() || self.class_member(f, class, "__delete__", 0).is_some();
            if reads
                && let Some(get @ Value::Definition(..)) = get
                && (data || !*shadowed.get_or_insert_with(|| self.instance_assigns(file, def)))
                && !out.contains(&get)
            {
                out.push(get);
            }
            if stores
                && let Some(set @ Value::Definition(..)) = set
                && !out.contains(&set)
            {
                out.push(set);
            }
        }
        out
    }

    /// Whether definition `def` is an attribute its class body binds to
    /// what may be a descriptor: a call's result (`Prop(f)`; a literal, a
    /// name or an attribute is not evaluated: most class-body constants),
    /// or a method under a decorator other than the standard library's
    /// properties (whose value is the getter's result). An attribute only
    /// `self.x = ...` binds lives in the instance's `__dict__`.
    fn holds_descriptor(&mut self, file: FileId, def: DefinitionId) -> bool {
        let Some(d) = self.definition(file, def) else { return false };
        let Some(entry) = self.graph.file_global(file) else { return false };
        if entry.summary.scopes.get(d.scope as usize).is_none_or(|s| s.kind != ScopeKind::Class) {
            return false;
        }
        match d.kind {
            DefinitionKind::Variable => {
                self.values(file, def).iter().any(|v| matches!(v, ValueExpr::Call(_) | ValueExpr::CallWith(..))) && bound_in_class_body(entry, def)
            }
            DefinitionKind::Method | DefinitionKind::Function => {
                !d.decorators.is_empty() && !d.decorators.iter().any(|x| is_property_like(x.rsplit('.').next().unwrap_or(x)))
            }
            DefinitionKind::Class => false,
        }
    }

    /// Whether a method of the class assigns the attribute `def` through
    /// its instance (`self.cached = cached`): the `__dict__` then shadows
    /// a non-data descriptor.
    fn instance_assigns(&mut self, file: FileId, def: DefinitionId) -> bool {
        let Some(d) = self.definition(file, def) else { return false };
        let Some(entry) = self.graph.file_global(file) else { return false };
        let summary = &entry.summary;
        let class_body = d.scope;
        let within_class = |mut scope: u32| {
            while let Some(s) = summary.scopes.get(scope as usize) {
                match s.parent {
                    Some(parent) if parent == class_body => return s.kind == ScopeKind::Function,
                    Some(parent) => scope = parent,
                    None => return false,
                }
            }
            false
        };
        let Some(class) = summary.scopes.get(class_body as usize).and_then(|s| s.definition).and_then(|c| summary.definitions.get(c as usize)) else {
            return false;
        };
        summary.references.iter().any(|r| {
            class.range.touches(r.start)
                && r.segment_count() == 2
                && r.last_segment().0 == d.name.as_str()
                && within_class(r.scope)
                && access_at(entry.text(), r.last_segment().1) != Access::Read
        })
    }
}

/// Whether a binding of the class-level definition `def` is written in the
/// class body (`user = Perm(...)`), not only through `self` in a method
/// (`self.user = user`, whose name follows a dot): a method written before
/// the body's assignment defines the attribute first.
pub(in crate::graph) fn bound_in_class_body(entry: &FileEntry, def: DefinitionId) -> bool {
    let Some(d) = entry.summary.definitions.get(def as usize) else { return false };
    if d.range.start >= d.name_range.start {
        return true; // the body's assignment defined it
    }
    entry.bindings_named(d.scope, &d.name).any(|b| {
        let b = &entry.summary.bindings[b as usize];
        b.kind == BindingKind::Definition(def) && !entry.text().get(..b.range.start as usize).unwrap_or_default().trim_end().ends_with('.')
    })
}

/// Decorators that make a method a property of the standard library's,
/// whose value is the getter's result.
fn is_property_like(decorator: &str) -> bool {
    matches!(decorator, "property" | "cached_property" | "reify" | "setter" | "getter" | "deleter" | "abstractproperty")
}
