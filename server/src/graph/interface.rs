//! What other files' resolution can see of a file: its interface, hashed
//! whole (did an update change it?) and item by item (which names did it
//! change?).
//!
//! An item is a definition (its qualified name, kind, bases, decorators,
//! annotation, signature) or a binding of a module or class scope (or an
//! import anywhere), keyed by its name. What no name keys (the module's
//! name, its star imports, what its `__all__` lists, its branches' tests and constants) is the
//! file's global part: when that changes, every dependent re-links. When
//! only items change, a dependent re-links when its linking looked up one
//! of their names or read the file whole (see reads.rs).

use std::hash::{Hash, Hasher};

use rustc_hash::FxHasher;

use super::reads::name_key;
use super::summary::{Binding, BindingKind, Definition, FileSummary, Name, ScopeId, ScopeKind};

/// A file's summary with the names that go with it.
pub(super) struct Interface<'a> {
    pub module: &'a str,
    pub is_package: bool,
    /// What the module's `__all__` lists (see dunder_all.rs).
    pub exports: Option<&'a [Name]>,
    pub summary: &'a FileSummary,
    /// The qualified name of each definition.
    pub qualified: &'a [String],
}

impl Interface<'_> {
    /// A hash of the whole interface. Edits inside function bodies leave
    /// it unchanged.
    pub(super) fn hash(&self) -> u64 {
        let summary = self.summary;
        let mut h = FxHasher::default();
        self.hash_global(&mut h);
        for (def, name) in summary.definitions.iter().zip(self.qualified) {
            (name, def.scope).hash(&mut h);
            hash_definition(def, &mut h);
        }
        for binding in self.visible_bindings() {
            binding.scope.hash(&mut h);
            self.hash_binding(binding, &mut h, |def, h| def.hash(h));
        }
        h.finish()
    }

    /// The names whose items differ between `self` and `other` (as
    /// [`name_key`]s, sorted); `None` when their global parts differ.
    pub(super) fn changed_names(&self, other: &Interface) -> Option<Vec<u32>> {
        let global = |i: &Interface| {
            let mut h = FxHasher::default();
            i.hash_global(&mut h);
            h.finish()
        };
        if global(self) != global(other) {
            return None;
        }
        let (mut before, mut after) = (self.items(), other.items());
        before.sort_unstable();
        after.sort_unstable();
        let mut names = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < before.len() || j < after.len() {
            match (before.get(i), after.get(j)) {
                (Some(a), Some(b)) if a == b => (i, j) = (i + 1, j + 1),
                (Some(a), Some(b)) if a < b => (names.push(a.0), i += 1).1,
                (Some(a), None) => (names.push(a.0), i += 1).1,
                (_, Some(b)) => (names.push(b.0), j += 1).1,
                (None, None) => break,
            }
        }
        names.sort_unstable();
        names.dedup();
        Some(names)
    }

    /// Each item as its name's key and a hash of what it holds: where it
    /// is (the qualified name of its scope, not the scope's id, which an
    /// earlier definition shifts) and its rank among the items of its
    /// name (a lookup takes the first).
    fn items(&self) -> Vec<(u32, u64)> {
        let summary = self.summary;
        let mut items = Vec::with_capacity(summary.definitions.len() + summary.bindings.len());
        let mut ranks: rustc_hash::FxHashMap<(bool, u32), u32> = rustc_hash::FxHashMap::default();
        let mut push = |definition: bool, key: u32, h: FxHasher| {
            let rank = ranks.entry((definition, key)).or_default();
            let mut h = h;
            (definition, *rank).hash(&mut h);
            *rank += 1;
            items.push((key, h.finish()));
        };
        for (def, name) in summary.definitions.iter().zip(self.qualified) {
            let mut h = FxHasher::default();
            // Its qualified name, and whether that is a class's member.
            (name, summary.scopes.get(def.scope as usize).map(|s| s.kind == ScopeKind::Class)).hash(&mut h);
            hash_definition(def, &mut h);
            push(true, name_key(&def.name), h);
        }
        for binding in self.visible_bindings() {
            let mut h = FxHasher::default();
            self.scope_path(binding.scope).hash(&mut h);
            self.hash_binding(binding, &mut h, |def, h| self.qualified.get(def as usize).hash(h));
            push(false, name_key(&binding.name), h);
        }
        items
    }

    /// The qualified name of the definition whose body holds `scope` (the
    /// module's name at the top level).
    fn scope_path(&self, scope: ScopeId) -> &str {
        match self.summary.enclosing_definition(scope) {
            Some(def) => self.qualified.get(def as usize).map_or("", String::as_str),
            None => self.module,
        }
    }

    /// What no name keys: the module, its star imports, branch tests and
    /// constants.
    fn hash_global(&self, h: &mut FxHasher) {
        let summary = self.summary;
        (self.module, self.is_package).hash(h);
        for import in summary.imports.iter().filter(|i| i.star) {
            (&import.module, import.level, self.scope_path(import.scope)).hash(h);
        }
        for branch in &summary.branches {
            branch.tests.hash(h);
        }
        // What `from this import *` brings.
        self.exports.hash(h);
        summary.constants.hash(h);
    }

    /// The bindings other files' resolution sees: those of module and
    /// class scopes, and imports (parameters and nested definitions are
    /// definitions; plain locals of functions are seen by no other file).
    fn visible_bindings(&self) -> impl Iterator<Item = &Binding> {
        let summary = self.summary;
        summary.bindings.iter().filter(|b| summary.scopes[b.scope as usize].kind != ScopeKind::Function || matches!(b.kind, BindingKind::Import(_)))
    }

    /// A binding's name, the branches holding it and what it binds (a
    /// definition as `definition` hashes it).
    fn hash_binding(&self, binding: &Binding, h: &mut FxHasher, definition: impl Fn(u32, &mut FxHasher)) {
        let summary = self.summary;
        binding.name.hash(h);
        // Which branches on the interpreter hold it: the resolver prefers
        // the definitions of the branches taken (see `branches`).
        for (i, branch) in summary.branches.iter().enumerate() {
            if branch.range.start <= binding.range.start && binding.range.start < branch.range.end {
                i.hash(h);
            }
        }
        match binding.kind {
            BindingKind::Import(i) => {
                let import = &summary.imports[i as usize];
                (0u8, &import.module, import.level, &import.name, &import.alias).hash(h);
            }
            BindingKind::Definition(def) => {
                1u8.hash(h);
                definition(def, h);
            }
            BindingKind::Parameter { self_of } => {
                2u8.hash(h);
                if let Some(class) = self_of {
                    definition(class, h);
                }
            }
            other => other.hash(h),
        }
    }
}

/// What other files read of a definition, but its name and scope.
fn hash_definition(def: &Definition, h: &mut FxHasher) {
    (def.kind, &def.bases, &def.decorators, &def.annotation).hash(h);
    // `self.x = ...` in a method is no name of the class body (lookup).
    (def.range.start < def.name_range.start).hash(h);
    // What type inference reads: signatures (without positions); the
    // assigned or returned values are hashed apart (`value_hashes`).
    if let Some(signature) = &def.signature {
        // Semantic tokens mark the uses of an `async def`.
        signature.is_async.hash(h);
        for p in &signature.parameters {
            (&p.name, p.kind, &p.annotation).hash(h);
        }
        signature.returns.hash(h);
    }
}
