//! Name resolution: from a name or attribute chain in a file to what it
//! denotes, following scopes, imports (relative, aliased, `*`, re-exports
//! through `__init__`), module attributes, class members through the MRO
//! (C3), `self`/`cls`, and `super()`.
//!
//! Resolution only reads summaries, so files link in parallel. It records
//! which other files it consulted and which modules it missed, so the graph
//! knows whom to re-link when those change.

use std::rc::Rc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::infer::{Ty, ValueExpr};
use super::link::EdgeTarget;
use super::modules::absolute_module;
use super::summary::{BindingKind, DefinitionId, DefinitionKind, Name, Reference, ScopeId, ScopeKind, Span};
use super::{FileEntry, FileId, Graph, SymbolId};

/// Import chains and MROs deeper than this are cut (cycles in broken code).
pub(super) const MAX_DEPTH: u32 = 24;

/// What a name denotes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Resolved {
    /// A workspace symbol (module, class, function, method, variable).
    Symbol(SymbolId),
    /// Outside the workspace, by dotted path (`os.path.join`).
    External(String),
    /// A parameter or local variable, bound at `span`.
    Local { file: FileId, span: Span },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Value {
    Definition(FileId, DefinitionId),
    /// `self` or `cls` (the class, and where the name is bound): members
    /// are the class's, but the name itself is not a use of the class.
    Instance(FileId, DefinitionId, FileId, Span),
    Module(String),
    External(String),
    /// A parameter or local variable: its binding; members are those of
    /// its inferred type.
    Local(FileId, Span, u32),
    /// A member looked up on a union: each alternative.
    Union(Rc<[Value]>),
}

impl Value {
    /// The alternatives of a union, or the value itself.
    pub(super) fn alternatives(&self) -> &[Value] {
        match self {
            Value::Union(values) => values,
            other => std::slice::from_ref(other),
        }
    }

    /// One value, a union of several distinct ones, or none.
    pub(super) fn union(mut values: Vec<Value>) -> Option<Value> {
        let mut seen = FxHashSet::default();
        values.retain(|v| seen.insert(v.clone()));
        match values.len() {
            0 => None,
            1 => values.pop(),
            _ => Some(Value::Union(values.into())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum ClassRef {
    Workspace(FileId, DefinitionId),
    External(String),
}

pub(super) struct Resolver<'g> {
    pub(super) graph: &'g Graph,
    pub(super) origin: FileId,
    pub(super) consulted: FxHashSet<FileId>,
    pub(super) consulted_values: FxHashSet<(FileId, DefinitionId)>,
    pub(super) missing: FxHashSet<String>,
    mros: FxHashMap<(FileId, DefinitionId), Rc<Vec<ClassRef>>>,
    /// The classes whose MRO and the type aliases whose expansion is being
    /// found: met again, they are a cycle (`class A(B)`, `class B(A)`;
    /// `Json = dict[str, "Json"] | list["Json"]`).
    pub(super) in_progress: FxHashSet<(FileId, DefinitionId)>,
    /// Types inferred so far (see [`super::infer`]).
    pub(super) types: super::infer::Memo,
    /// What imports and module attributes denote, asked from the top of a
    /// chain (see [`Resolver::import_value`], [`Resolver::module_member`]):
    /// a file reads the same few (`models.CharField`) again and again, and
    /// each answer may walk re-exports and `*` imports through several
    /// modules. Both only read summaries, so an answer holds for the
    /// resolver's life, and what finding it consulted is noted already.
    imports: FxHashMap<(FileId, u32), Option<Value>>,
    members: FxHashMap<String, FxHashMap<String, Option<Value>>>,
    /// The same for library modules (see `library::resolve`); an answer
    /// being found is `None` meanwhile, which cuts `*` import cycles.
    pub(super) library_members: FxHashMap<(String, String), Option<Value>>,
    /// The constants deciding each file's branches (see
    /// [`Resolver::branch_constants`]).
    pub(super) constants: FxHashMap<FileId, super::branches::Constants>,
    /// The calls (as their chains are written) that typed a parameter,
    /// with the function whose parameter it is (see `infer/callers.rs`).
    pub(super) caller_typed: FxHashSet<(String, Span)>,
    /// The functions and classes (by name) whose calls in other files
    /// were read to type a parameter (see `infer/callers.rs`).
    pub(super) caller_names: FxHashSet<String>,
    /// Another file whose function locals [`Resolver::lookup`] sees for
    /// the moment (a call there typing a parameter, `infer/callers.rs`).
    pub(super) open_locals: Option<FileId>,
    /// A second file read as the one being linked is (its function
    /// locals, narrowings, callers): a check comparing a file before and
    /// after code moved between the two sees the moved code alike in
    /// either (see [`ReferenceResolver::with_companion`]).
    companion: Option<FileId>,
}

impl<'g> Resolver<'g> {
    pub(super) fn new(graph: &'g Graph, origin: FileId) -> Self {
        Self {
            graph,
            origin,
            consulted: FxHashSet::default(),
            consulted_values: FxHashSet::default(),
            missing: FxHashSet::default(),
            mros: FxHashMap::default(),
            in_progress: FxHashSet::default(),
            types: super::infer::Memo::default(),
            imports: FxHashMap::default(),
            members: FxHashMap::default(),
            library_members: FxHashMap::default(),
            constants: FxHashMap::default(),
            caller_typed: FxHashSet::default(),
            caller_names: FxHashSet::default(),
            open_locals: None,
            companion: None,
        }
    }

    pub(super) fn entry(&mut self, file: FileId) -> Option<&'g FileEntry> {
        self.consult(file);
        self.graph.file(file)
    }

    /// [`Resolver::entry`] for what the item of `name` holds (see
    /// interface.rs): a change of the file's interface re-links this file
    /// only when that item (or the file's global part) changed.
    pub(super) fn entry_by_name(&mut self, file: FileId, name: &str) -> Option<&'g FileEntry> {
        self.consult(file);
        self.graph.file_by_name(file, name)
    }

    /// [`Resolver::entry`] for what only the file's global part holds:
    /// that it exists, its module, star imports, branch tests, constants.
    pub(super) fn entry_global(&mut self, file: FileId) -> Option<&'g FileEntry> {
        self.consult(file);
        self.graph.file_global(file)
    }

    /// Definition `def` of `file`, read for what its item holds.
    pub(super) fn definition(&mut self, file: FileId, def: DefinitionId) -> Option<&'g super::summary::Definition> {
        self.consult(file);
        self.graph.definition_by_name(file, def)
    }

    /// Whether `file`'s function locals are seen: the file being linked
    /// (or its companion).
    pub(super) fn home(&self, file: FileId) -> bool {
        file == self.origin || self.companion == Some(file)
    }

    fn consult(&mut self, file: FileId) {
        // The library never changes under a graph: nothing to re-link.
        if file != self.origin && !self.graph.is_library(file) {
            self.consulted.insert(file);
        }
    }

    /// The values recorded for a definition (see [`super::summary`]), noted
    /// as read: a change to them re-links this file and no other dependent.
    pub(super) fn values(&mut self, file: FileId, def: DefinitionId) -> &'g [ValueExpr] {
        if file != self.origin && !self.graph.is_library(file) {
            self.consulted_values.insert((file, def));
        }
        self.definition(file, def).map_or(&[], |d| &d.values)
    }

    /// The binding of `name` visible from `scope` at `offset`: in the same
    /// scope the last one before `offset` (else the first), in enclosing
    /// scopes the first; class scopes are skipped except the starting one;
    /// `@overload` signatures are skipped.
    ///
    /// In other files than the one being linked, only what their interface
    /// hash covers is seen (see `interface_hash`): the first binding of a
    /// scope, and no plain locals of function scopes; so an edit another
    /// file's links cannot see never needs to re-link them.
    pub(super) fn lookup(&mut self, file: FileId, scope: ScopeId, name: &str, offset: u32) -> Option<u32> {
        let foreign = !self.home(file) && self.open_locals != Some(file);
        let offset = if foreign { 0 } else { offset };
        // The scopes around `scope` are read too: where `scope` came from
        // (a definition's scope or body) was read by name.
        let entry = self.entry_by_name(file, name)?;
        let summary = &entry.summary;
        // The scopes Python's lookup reads, from `scope` out: class bodies
        // only where it starts.
        let chain = std::iter::successors(Some(scope), |&s| summary.scopes[s as usize].parent)
            .filter(|&s| s == scope || summary.scopes[s as usize].kind != ScopeKind::Class);
        chain.clone().find(|&s| entry.bindings_named(s, name).next().is_some())?;
        // Bindings in branches the interpreter does not take, when there
        // is another (code in such a branch reads its own).
        // Finding the constants reads the modules they come from: only
        // when the read or a binding it may pick is in a branch (Django
        // asked for them at a third of its graph checks' look-ups, nearly
        // all about names bound outside any branch).
        let platform = self.graph.interpreter().filter(|_| {
            !summary.branches.is_empty()
                && (super::branches::in_branch(entry, offset)
                    || chain.clone().any(|s| entry.bindings_named(s, name).any(|b| super::branches::binding_in_branch(entry, b))))
        });
        let constants = platform.map(|p| self.branch_constants(file, p)).unwrap_or_default();
        let interpreter = platform.filter(|&p| !super::branches::skipped(entry, p, &constants, offset));
        let skipped = |b: u32| interpreter.is_some_and(|p| super::branches::skipped(entry, p, &constants, summary.bindings[b as usize].range.start));
        // A class body's own binding read before it is made (`x = x`): the
        // answer only when the module does not bind the name, Python reading
        // the module's (a lazy annotation may name a later member).
        let mut unbound_yet = None;
        let parents = |s: &ScopeId| summary.scopes[*s as usize].parent;
        for current in chain {
            let s = &summary.scopes[current as usize];
            // A name the class body binds is read, before that binding, from
            // the module (CPython's `LOAD_NAME` skips the functions around
            // the class); so is a name a scope passed declares `global`.
            let mut passed = std::iter::successors(Some(scope), parents).take_while(|&p| p != current);
            if current != 0 && (unbound_yet.is_some() || passed.any(|p| declares_global(entry, p, name))) {
                continue;
            }
            let in_scope = entry.bindings_named(current, name).filter(|&b| {
                let binding = &summary.bindings[b as usize];
                !is_overload(entry, binding.kind)
                    && !(foreign && matches!(binding.kind, BindingKind::Local | BindingKind::Join) && s.kind == ScopeKind::Function)
                    // `self.box = box` in a method is no name of the
                    // class body (`def __init__(self, box: box.Box)`).
                    && !(s.kind == ScopeKind::Class && is_instance_attribute(entry, binding.kind))
            });
            let found = if current == scope {
                // Candidates are in source order: the last visible one,
                // else the first (taken branches first).
                let (mut first, mut first_taken, mut last_visible) = (None, None, None);
                for b in in_scope {
                    first.get_or_insert(b);
                    if skipped(b) {
                        continue;
                    }
                    first_taken.get_or_insert(b);
                    if summary.bindings[b as usize].visible_from <= offset {
                        last_visible = Some(b);
                    }
                }
                if s.kind == ScopeKind::Class && !foreign && last_visible.is_none() {
                    unbound_yet = first_taken.or(first);
                    continue;
                }
                last_visible.or(first_taken).or(first)
            } else {
                let mut in_scope = in_scope.peekable();
                let first = in_scope.peek().copied();
                in_scope.find(|&b| !skipped(b)).or(first)
            };
            if found.is_some() {
                return found;
            }
        }
        unbound_yet
    }

    /// The first binding of `name` in `scope` (module or class members),
    /// an overloaded function's implementation rather than its signatures.
    pub(super) fn member_binding(&mut self, file: FileId, scope: ScopeId, name: &str) -> Option<u32> {
        let entry = self.entry_by_name(file, name)?;
        let summary = &entry.summary;
        // The constants only when a candidate is in a branch (see `lookup`).
        let interpreter = self
            .graph
            .interpreter()
            .filter(|_| !summary.branches.is_empty() && entry.bindings_named(scope, name).any(|b| super::branches::binding_in_branch(entry, b)));
        let constants = interpreter.map(|p| self.branch_constants(file, p)).unwrap_or_default();
        let skipped = |b: u32| interpreter.is_some_and(|p| super::branches::skipped(entry, p, &constants, summary.bindings[b as usize].range.start));
        let in_scope = || entry.bindings_named(scope, name);
        let pick = |mut bindings: Box<dyn Iterator<Item = u32> + '_>| {
            let first = bindings.next()?;
            if !is_overload(entry, summary.bindings[first as usize].kind) {
                return Some(first);
            }
            Some(bindings.find(|&b| !is_overload(entry, summary.bindings[b as usize].kind)).unwrap_or(first))
        };
        // A definition in a branch the interpreter takes, before one it skips.
        pick(Box::new(in_scope().filter(|&b| !skipped(b)))).or_else(|| pick(Box::new(in_scope())))
    }

    pub(super) fn resolve_name(&mut self, file: FileId, scope: ScopeId, name: &str, offset: u32, depth: u32) -> Option<Value> {
        if let Some(binding) = self.lookup(file, scope, name, offset) {
            if self.home(file)
                && let Some(narrowed) = self.narrowed(file, name, offset, binding, depth)
            {
                return Some(narrowed);
            }
            if self.runs_later(file, scope)
                && let Some(rebound) = self.rebound(file, binding, depth)
            {
                return Some(rebound);
            }
            return self.binding_value(file, binding, depth);
        }
        if let Some(value) = self.star_member(file, name, depth) {
            return Some(value);
        }
        ruff_python_stdlib::builtins::is_python_builtin(name, 13, false).then(|| Value::External(format!("builtins.{name}")))
    }

    pub(super) fn binding_value(&mut self, file: FileId, binding: u32, depth: u32) -> Option<Value> {
        let binding_index = binding;
        let entry = self.entry_global(file)?;
        let binding = &entry.summary.bindings[binding as usize];
        self.entry_by_name(file, &binding.name);
        match binding.kind {
            BindingKind::Definition(def) => Some(Value::Definition(file, def)),
            BindingKind::Import(import) => self.import_value(file, import, depth + 1),
            BindingKind::Parameter { self_of: Some(class) } => Some(Value::Instance(file, class, file, binding.range)),
            BindingKind::Parameter { self_of: None } | BindingKind::Local | BindingKind::Join => Some(Value::Local(file, binding.range, binding_index)),
        }
    }

    /// The module an import of `file` names (what the item of the name it
    /// binds holds, or a star import: the file's global part).
    pub(super) fn import_module(&mut self, file: FileId, import: u32) -> Option<String> {
        let entry = self.entry_global(file)?;
        let import = &entry.summary.imports[import as usize];
        absolute_module(&entry.module, entry.is_package, import.level, import.module.as_deref())
    }

    fn import_value(&mut self, file: FileId, import: u32, depth: u32) -> Option<Value> {
        // Only the answers from the top of a chain are kept: deeper down,
        // `MAX_DEPTH` may cut what would be found from the top.
        if depth != 1 {
            return self.find_import_value(file, import, depth);
        }
        if let Some(found) = self.imports.get(&(file, import)) {
            return found.clone();
        }
        let found = self.find_import_value(file, import, depth);
        self.imports.insert((file, import), found.clone());
        found
    }

    fn find_import_value(&mut self, file: FileId, import: u32, depth: u32) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let module = self.import_module(file, import)?;
        // Reached from a binding (its value) read by its name.
        let entry = self.entry_global(file)?;
        let import = &entry.summary.imports[import as usize];
        // A library file imports from the library, never from the workspace.
        if self.graph.is_library(file) {
            return match &import.name {
                Some(name) => self.library_import(&module, name, depth),
                None => Some(Value::Module(module)),
            };
        }
        match &import.name {
            // `from . import sub` in `pkg/__init__.py`: the submodule (the
            // package's own binding of `sub` is this very import). Else a
            // module importing from itself (`from rich.table import Table`
            // in rich/table.py): its own binding.
            Some(name) if self.graph.resolve_module(&module) == Some(file) => {
                let submodule = format!("{module}.{name}");
                match self.graph.resolve_module(&submodule) {
                    Some(_) => Some(self.module(&submodule)),
                    None => self.module_member(&module, name, depth),
                }
            }
            Some(name) => self.module_member(&module, name, depth),
            None if import.alias.is_some() => Some(self.module(&module)),
            None => Some(self.module(module.split('.').next().unwrap_or(&module))),
        }
    }

    /// A module by name. Its file is consulted (the importer re-links when
    /// it goes away), or it is noted as missing (the importer re-links when
    /// it appears).
    pub(super) fn module(&mut self, name: &str) -> Value {
        match self.graph.resolve_module(name) {
            Some(file) => self.consult(file),
            None => {
                self.missing.insert(name.to_owned());
            }
        }
        Value::Module(name.to_owned())
    }

    pub(super) fn module_member(&mut self, module: &str, name: &str, depth: u32) -> Option<Value> {
        // As in `import_value`, only the answers from the top are kept.
        if depth != 0 {
            return self.find_module_member(module, name, depth);
        }
        if let Some(found) = self.members.get(module).and_then(|names| names.get(name)) {
            return found.clone();
        }
        let found = self.find_module_member(module, name, depth);
        match self.members.get_mut(module) {
            Some(names) => names.insert(name.to_owned(), found.clone()),
            None => self.members.entry(module.to_owned()).or_default().insert(name.to_owned(), found.clone()),
        };
        found
    }

    fn find_module_member(&mut self, module: &str, name: &str, depth: u32) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let Some(file) = self.graph.resolve_module(module) else {
            let submodule = format!("{module}.{name}");
            if self.graph.resolve_module(&submodule).is_some() {
                return Some(self.module(&submodule));
            }
            self.missing.insert(module.to_owned());
            self.missing.insert(submodule.clone());
            return Some(Value::External(submodule));
        };
        if let Some(binding) = self.member_binding(file, 0, name) {
            // Another module's code runs once this one has run whole.
            if let Some(rebound) = self.rebound(file, binding, depth + 1) {
                return Some(rebound);
            }
            return self.binding_value(file, binding, depth + 1);
        }
        if let Some(value) = self.star_member(file, name, depth + 1) {
            return Some(value);
        }
        let submodule = format!("{module}.{name}");
        // A folder without `__init__.py` in a workspace package holds a
        // module: a namespace package, which importing that module binds.
        let namespace = || {
            let prefix = format!("{submodule}.");
            self.graph.file_global(file).is_some_and(|e| e.is_package)
                && !self.graph.is_library(file)
                && self.graph.modules.keys().any(|m| m.starts_with(&prefix))
        };
        if self.graph.resolve_module(&submodule).is_some() || namespace() {
            return Some(self.module(&submodule));
        }
        self.missing.insert(submodule);
        None
    }

    /// `name` through the module-level `from m import *` of `file`.
    pub(super) fn star_member(&mut self, file: FileId, name: &str, depth: u32) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        if self.graph.is_library(file) {
            return if name.starts_with('_') { None } else { self.library_star_member(file, name, depth) };
        }
        let entry = self.entry_global(file)?;
        for &import in &entry.star_imports {
            let Some(module) = self.import_module(file, import) else { continue };
            if let Some(found) = self.graph.resolve_module(&module) {
                // `*` brings what `__all__` lists (submodules and private
                // names too) and nothing else; without one, public names.
                let listed = self.dunder_all(found).map(|all| all.iter().any(|n| *n == name));
                match listed {
                    Some(false) => continue,
                    Some(true) => match self.module_member(&module, name, depth + 1) {
                        Some(value) => return Some(value),
                        None => continue,
                    },
                    None if name.starts_with('_') => continue,
                    None => {}
                }
                let value = self.member_binding(found, 0, name).and_then(|b| self.binding_value(found, b, depth + 1));
                let value = value.or_else(|| self.star_member(found, name, depth + 1));
                if value.is_some() {
                    return value;
                }
            } else {
                self.missing.insert(module);
            }
        }
        None
    }

    pub(super) fn dunder_all(&mut self, file: FileId) -> Option<&'g [Name]> {
        self.entry(file)?.exports.as_deref()
    }

    pub(super) fn member(&mut self, value: &Value, name: &str, depth: u32) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        match value {
            Value::Module(module) => self.module_member(module, name, depth),
            Value::External(path) => Some(Value::External(format!("{path}.{name}"))),
            // An instance of a library class (narrowed by `isinstance`):
            // its members stay outside the workspace.
            Value::Instance(file, class, ..) if self.graph.is_library(*file) => self.member_of_types(&[Ty::instance(*file, *class)], name, depth + 1),
            Value::Definition(file, def) | Value::Instance(file, def, ..) => {
                let kind = self.definition(*file, *def)?.kind;
                match kind {
                    DefinitionKind::Class => self.class_member(*file, *def, name, 0),
                    // A variable, a decorated function or a property:
                    // members of what it holds.
                    _ => {
                        let types = self.value_types(value, depth + 1);
                        self.member_of_types(&types, name, depth + 1)
                    }
                }
            }
            Value::Local(..) => {
                let types = self.value_types(value, depth + 1);
                self.member_of_types(&types, name, depth + 1)
            }
            Value::Union(values) => {
                let found: Vec<Value> = values.iter().filter_map(|v| self.member(v, name, depth + 1)).collect();
                Value::union(found)
            }
        }
    }

    /// `name` on a class, looked up along its MRO, skipping `skip` classes.
    pub(super) fn class_member(&mut self, file: FileId, class: DefinitionId, name: &str, skip: usize) -> Option<Value> {
        let mro = self.mro(file, class, 0);
        self.member_in(&mro[skip.min(mro.len())..], name)
    }

    /// The first of `classes` (an MRO or its tail) that has `name`.
    fn member_in(&mut self, classes: &[ClassRef], name: &str) -> Option<Value> {
        for class in classes {
            match class {
                ClassRef::Workspace(f, d) => {
                    let Some(body) = self.definition(*f, *d)?.body else { continue };
                    if let Some(binding) = self.member_binding(*f, body, name) {
                        if let Some(rebound) = self.rebound_method(*f, body, name) {
                            return Some(rebound);
                        }
                        return self.binding_value(*f, binding, 1);
                    }
                }
                ClassRef::External(path) if path != "builtins.object" && !(name == "__init__" && init_is_objects(path)) => {
                    return Some(Value::External(format!("{path}.{name}")));
                }
                ClassRef::External(_) => {}
            }
        }
        None
    }

    /// The C3 linearisation of a class (falling back to depth-first order
    /// when the hierarchy is inconsistent).
    pub(super) fn mro(&mut self, file: FileId, class: DefinitionId, depth: u32) -> Rc<Vec<ClassRef>> {
        let key = (file, class);
        if let Some(mro) = self.mros.get(&key) {
            return mro.clone();
        }
        // A library class's MRO is the same for every file that reads it.
        let library = if self.graph.is_library(file) { self.graph.library.as_deref() } else { None };
        if let Some(mro) = library.and_then(|l| l.mro(key)) {
            let mro = Rc::new(mro);
            self.mros.insert(key, mro.clone());
            return mro;
        }
        let this = ClassRef::Workspace(file, class);
        if depth > MAX_DEPTH || !self.in_progress.insert(key) {
            return Rc::new(vec![this]);
        }
        let bases: Vec<ClassRef> = self.bases(file, class).into_iter().map(|(base, _)| base).collect();
        let mut sequences: Vec<Vec<ClassRef>> = Vec::new();
        for base in &bases {
            match base {
                ClassRef::Workspace(f, d) => sequences.push(self.mro(*f, *d, depth + 1).as_ref().clone()),
                ClassRef::External(_) => sequences.push(vec![base.clone()]),
            }
        }
        sequences.push(bases);
        let mro = Rc::new(std::iter::once(this).chain(c3_merge(sequences)).collect::<Vec<_>>());
        self.in_progress.remove(&key);
        self.mros.insert(key, mro.clone());
        if let Some(library) = library {
            library.keep_mro(key, mro.as_ref().clone());
        }
        mro
    }

    /// The resolved bases of a class, each with where it is written.
    pub(super) fn bases(&mut self, file: FileId, class: DefinitionId) -> Vec<(ClassRef, Span)> {
        let Some(def) = self.definition(file, class) else { return Vec::new() };
        let mut out = Vec::new();
        for (i, base) in def.bases.iter().enumerate() {
            let site = def.base_ranges.get(i).copied().unwrap_or(def.name_range);
            // `Generic[T]`, `Mapping[str, V]`: the class is the name before the arguments.
            let name = base.split('[').next().unwrap_or(base).trim();
            match self.resolve_dotted(file, def.scope, name, def.range.start) {
                Some(Value::Definition(f, d)) if self.graph.definition_by_name(f, d).is_some_and(|d| d.kind == DefinitionKind::Class) => {
                    out.push((ClassRef::Workspace(f, d), site));
                }
                Some(Value::External(path)) => out.push((ClassRef::External(path), site)),
                // A class made in a function from a parameter or local
                // holding a class (`base: type[Undefined] = Undefined`).
                Some(local @ Value::Local(..)) => {
                    for ty in self.value_types(&local, 0) {
                        if let Some(base) = ty.class_object() {
                            out.push((ClassRef::Workspace(base.0, base.1), site));
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    pub(super) fn resolve_dotted(&mut self, file: FileId, scope: ScopeId, dotted: &str, offset: u32) -> Option<Value> {
        let mut parts = dotted.split('.');
        let mut value = self.resolve_name(file, scope, parts.next()?.trim(), offset, 0)?;
        for part in parts {
            value = self.member(&value, part.trim(), 0)?;
        }
        Some(value)
    }

    /// The value of each segment of a reference, up to the first that does
    /// not resolve.
    pub(super) fn resolve_reference(&mut self, file: FileId, reference: &Reference) -> Vec<(Span, Value)> {
        let mut out = Vec::new();
        let mut current: Option<Value> = None;
        // The current segment's types when they carry type arguments
        // (`b: Box[Item]`): its members are looked up on them, so that
        // `b.value.name` knows `value` is an `Item`.
        let mut generic: Option<Vec<super::infer::Ty>> = None;
        let segments = reference.segment_count();
        for (i, (name, span)) in reference.segments().enumerate() {
            // Where recovery found no name (`self.` at a line's end), the
            // segment spells nothing and names nothing, not a nameless
            // `def`: an edge at a site of no text at a function's end
            // would lie outside that function's region (local.rs finds a
            // region's edges by their sites).
            if name.is_empty() {
                break;
            }
            let next = match (&current, i) {
                (None, 0) if reference.from_super => self.super_member(file, reference.scope, name, span.start),
                (None, 0) if reference.receiver().is_some() => {
                    let types = reference.receiver().map(|r| self.eval(file, r, 0)).unwrap_or_default();
                    self.member_of_types(&types, name, 0)
                }
                (None, 0) => self.resolve_name(file, reference.scope, name, span.start, 0),
                (Some(_), _) if generic.is_some() => {
                    let types = generic.take().unwrap_or_default();
                    let found = self.member_of_types(&types, name, 0);
                    // Once on types, stay on them: `b.value` is an `Item`
                    // only as a member of `Box[Item]`.
                    if i + 1 < segments {
                        generic = Some(self.members_types(&types, name, 0)).filter(|t| !t.is_empty());
                    }
                    found
                }
                (Some(value), _) => self.member(value, name, 0),
                (None, _) => None,
            };
            let Some(next) = next else { break };
            // Only variables can hold a generic instance; their types are
            // what `member` computes next anyway (memoised).
            let variable = match &next {
                Value::Local(..) => true,
                Value::Definition(f, d) => self.graph.definition_by_name(*f, *d).is_some_and(|d| d.kind == DefinitionKind::Variable),
                _ => false,
            };
            if generic.is_none() && i + 1 < segments && variable {
                generic = Some(self.value_types(&next, 0)).filter(|t| carries_type_arguments(t));
            }
            out.push((span, next.clone()));
            current = Some(next);
        }
        out
    }

    /// `name` on `super()` (or `super(C, self)`, whose chain starts at
    /// `start`) in `scope`: looked up in the MRO of the enclosing class
    /// after that class, or after `C` when the call names it (`C` a base of
    /// the enclosing class: `self` is at least an instance of it).
    fn super_member(&mut self, file: FileId, scope: ScopeId, name: &str, start: u32) -> Option<Value> {
        let entry = self.entry(file)?;
        let class = entry.summary.enclosing_class(scope)?;
        let mro = self.mro(file, class, 0);
        let named = super_class_named(entry.text(), start).and_then(|named| self.resolve_dotted(file, scope, named, start)).and_then(|value| match value {
            Value::Definition(f, d) => mro.iter().position(|c| *c == ClassRef::Workspace(f, d)),
            _ => None,
        });
        self.member_in(&mro[(named.unwrap_or(0) + 1).min(mro.len())..], name)
    }

    /// A value as a graph node (or external path); locals have none.
    pub(super) fn target(&self, value: &Value) -> Option<EdgeTarget> {
        match value {
            Value::Definition(file, def) => {
                self.graph.definition_by_name(*file, *def)?;
                self.graph.file_global(*file)?.nodes.get(*def as usize).map(|&n| EdgeTarget::Node(n))
            }
            Value::Module(module) => Some(match self.graph.resolve_module(module).and_then(|f| self.graph.file_global(f)) {
                Some(entry) => EdgeTarget::Node(entry.module_node),
                None => EdgeTarget::External(module.clone()),
            }),
            Value::External(path) => Some(EdgeTarget::External(path.clone())),
            Value::Local(..) | Value::Instance(..) | Value::Union(_) => None,
        }
    }

    /// What one segment of a reference denotes: `None` for one of several
    /// (a member looked up on a union: checks want a certain target).
    pub(super) fn resolved_segment(&self, value: &Value) -> Option<Resolved> {
        match value {
            Value::Union(_) => None,
            value => self.resolved(value.clone()),
        }
    }

    fn resolved(&self, value: Value) -> Option<Resolved> {
        match value {
            Value::Local(file, span, _) => Some(Resolved::Local { file, span }),
            Value::Instance(_, _, file, span) => Some(Resolved::Local { file, span }),
            Value::Union(values) => values.first().and_then(|v| self.resolved(v.clone())),
            other => match self.target(&other)? {
                EdgeTarget::Node(node) => Some(Resolved::Symbol(SymbolId(node))),
                EdgeTarget::External(path) => Some(Resolved::External(path)),
            },
        }
    }

    /// Whether a value is a function decorated `@property`.
    pub(super) fn is_property(&self, value: &Value) -> bool {
        let Value::Definition(file, def) = value else { return false };
        let Some(d) = self.graph.definition_by_name(*file, *def) else { return false };
        d.kind != DefinitionKind::Variable && d.decorators.iter().any(|x| x == "property" || x.ends_with(".property"))
    }

    /// Whether a value is a method (a function of a class body).
    pub(super) fn is_method(&self, value: &Value) -> bool {
        let Value::Definition(file, def) = value else { return false };
        self.graph.definition_by_name(*file, *def).is_some_and(|d| d.kind == DefinitionKind::Method)
    }

    /// Whether every alternative of a value is a workspace class itself
    /// (`Cls.prop` reads the property object, it runs no getter).
    pub(super) fn is_class(&self, value: &Value) -> bool {
        value.alternatives().iter().all(|v| match v {
            Value::Definition(file, def) => self.graph.definition_by_name(*file, *def).is_some_and(|d| d.kind == DefinitionKind::Class),
            _ => false,
        })
    }

    /// A call of a class calls its `__init__` when the workspace defines one.
    pub(super) fn callee(&mut self, value: Value) -> Value {
        if let Value::Definition(file, def) = value
            && self.graph.definition_by_name(file, def).is_some_and(|d| d.kind == DefinitionKind::Class)
            && let Some(init @ Value::Definition(..)) = self.class_member(file, def, "__init__", 0)
        {
            return init;
        }
        value
    }
}

/// Whether some of the types are instances with type arguments.
fn carries_type_arguments(types: &[super::infer::Ty]) -> bool {
    types.iter().any(|t| matches!(t, super::infer::Ty::Instance(_, _, args) if !args.is_empty()))
}

/// Whether a binding is a function's `@overload` signature.
pub(super) fn is_overload(entry: &FileEntry, kind: BindingKind) -> bool {
    let BindingKind::Definition(def) = kind else { return false };
    is_overload_definition(&entry.summary.definitions[def as usize])
}

/// Whether a binding is an attribute assigned through `self` in a method
/// (its definition spans `self.name`, a plain name's spans the name).
/// Whether `scope` (a function or class body) declares `name` `global`,
/// seen from what the declaration leaves in the summary: an assignment in
/// `scope` binding the module's `name` (an assignment expression in a
/// comprehension binds in the function around it). A declaration the
/// scope never assigns through leaves nothing (rename refuses around it,
/// see `ide/rename_flow.rs`).
fn declares_global(entry: &FileEntry, scope: ScopeId, name: &str) -> bool {
    let summary = &entry.summary;
    let Some(range) = summary.scopes.get(scope as usize).map(|s| s.range) else { return false };
    entry.bindings_named(0, name).any(|b| {
        let start = summary.bindings[b as usize].range.start;
        if !(range.start <= start && start < range.end) {
            return false;
        }
        let mut at = summary.scope_at(start);
        while at != scope && summary.scopes[at as usize].kind == ScopeKind::Function && summary.scopes[at as usize].definition.is_none() {
            let Some(parent) = summary.scopes[at as usize].parent else { break };
            at = parent;
        }
        at == scope
    })
}

fn is_instance_attribute(entry: &FileEntry, kind: BindingKind) -> bool {
    let BindingKind::Definition(def) = kind else { return false };
    let d = &entry.summary.definitions[def as usize];
    d.kind == DefinitionKind::Variable && d.range.start < d.name_range.start
}

/// Whether a definition is an `@overload` signature.
pub(super) fn is_overload_definition(def: &super::summary::Definition) -> bool {
    def.decorators.iter().any(|d| d == "overload" || d.ends_with(".overload"))
}

/// Whether a builtin class makes its instances whole in `__new__` and has
/// `object`'s `__init__`: a subclass's `super().__init__()` (or its
/// construction) runs the next class's in the MRO (`class Text(str,
/// Base)`: `Base.__init__`), as it does at run time.
fn init_is_objects(class: &str) -> bool {
    matches!(class, "builtins.str" | "builtins.bytes" | "builtins.int" | "builtins.float" | "builtins.complex" | "builtins.tuple" | "builtins.frozenset")
}

fn c3_merge(mut sequences: Vec<Vec<ClassRef>>) -> Vec<ClassRef> {
    let fallback: Vec<ClassRef> = {
        let mut seen = FxHashSet::default();
        sequences.iter().flatten().filter(|c| seen.insert((*c).clone())).cloned().collect()
    };
    let mut out = Vec::new();
    loop {
        sequences.retain(|s| !s.is_empty());
        if sequences.is_empty() {
            return out;
        }
        let head = sequences.iter().map(|s| &s[0]).find(|candidate| !sequences.iter().any(|s| s[1..].contains(candidate))).cloned();
        let Some(head) = head else { return fallback };
        for s in &mut sequences {
            if s[0] == head {
                s.remove(0);
            }
        }
        out.push(head);
    }
}

/// The class `super(C, self).m` names, its chain's first member starting
/// at `start` in `text`: `C` when written as a dotted name; `None` for a
/// bare `super()` or another first argument.
fn super_class_named(text: &str, start: u32) -> Option<&str> {
    let before = text.get(..start as usize)?.trim_end().strip_suffix('.')?.trim_end().strip_suffix(')')?;
    let arguments = &before[before.rfind("super(")? + "super(".len()..];
    let first = arguments.split(',').next()?.trim();
    let dotted = !first.is_empty()
        && first
            .split('.')
            .all(|part| part.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') && part.chars().all(|c| c.is_alphanumeric() || c == '_'));
    dotted.then_some(first)
}

/// The dots in `text` between `start` and `end`.
fn dots_before(text: &str, start: u32, end: u32) -> usize {
    text.get(start as usize..end as usize).map_or(0, |s| s.matches('.').count())
}

/// Resolves the references of one file one after another, keeping what it
/// learns (class MROs, annotated parameters) between them: the graph checks
/// ask about every call of a file, and a lookup by offset per call would
/// rescan the file each time.
pub struct ReferenceResolver<'g> {
    resolver: Resolver<'g>,
    file: FileId,
}

impl<'g> ReferenceResolver<'g> {
    pub(super) fn new(graph: &'g Graph, file: FileId) -> Self {
        Self { resolver: Resolver::new(graph, file), file }
    }

    /// Also sees `companion`'s function locals as its own file's: a
    /// function whose result is a local (`text = str(obj)`, `return
    /// text`) is typed alike from either file, so code moved from one to
    /// the other reads the same before and after.
    pub(super) fn with_companion(graph: &'g Graph, file: FileId, companion: FileId) -> Self {
        let mut resolver = Resolver::new(graph, file);
        resolver.companion = Some(companion);
        Self { resolver, file }
    }

    /// What each segment of `reference` (one of this file's) denotes, up to
    /// the first segment that does not resolve; `None` for a segment that
    /// denotes no node, or one of several (a member looked up on a union:
    /// checks want a certain target).
    pub fn segments(&mut self, reference: &Reference) -> Vec<Option<Resolved>> {
        let values = self.resolver.resolve_reference(self.file, reference);
        values.into_iter().map(|(_, value)| self.resolver.resolved_segment(&value)).collect()
    }
}

/// What the name at `offset` in `file` denotes (see [`Graph::definition`]).
pub(super) fn definition_at(graph: &Graph, file: FileId, offset: u32) -> Option<Resolved> {
    let entry = graph.file(file)?;
    let summary = &entry.summary;
    let mut r = Resolver::new(graph, file);
    if let Some(def) = summary.definitions.iter().position(|d| d.name_range.touches(offset)) {
        return Some(Resolved::Symbol(SymbolId(entry.nodes[def])));
    }
    // Graph checks ask this for every call in a file, so the scans stay
    // linear: each import's alias binding is looked up once, and an import's
    // module is computed only for the import under the cursor.
    let mut alias_ranges = vec![None; summary.imports.len()];
    for binding in &summary.bindings {
        if let BindingKind::Import(i) = binding.kind
            && let Some(slot @ None) = alias_ranges.get_mut(i as usize)
        {
            *slot = Some(binding.range);
        }
    }
    for (i, import) in summary.imports.iter().enumerate() {
        let alias_range: Option<Span> = alias_ranges[i];
        let on_module = import.module_range.touches(offset) && import.module_range != Span::default();
        let on_name = import.name_range.touches(offset) || alias_range.is_some_and(|a| a.touches(offset));
        if !on_module && !on_name {
            continue;
        }
        let module = r.import_module(file, i as u32);
        if on_module {
            // `from a.b import x` on `a` or `b`: the module up to that segment.
            let module = module?;
            let written = import.module.as_deref()?;
            // The text as written may differ from the name (`a . b`); count
            // dots in the source up to the cursor.
            let upto = dots_before(entry.text(), import.module_range.start, offset);
            let drop = written.matches('.').count() - upto;
            let mut parts: Vec<&str> = module.split('.').collect();
            parts.truncate(parts.len().saturating_sub(drop));
            let value = r.module(&parts.join("."));
            return r.resolved(value);
        }
        if on_name {
            let module = module?;
            let value = match &import.name {
                Some(name) => r.module_member(&module, name, 0)?,
                None if import.name_range.touches(offset) => {
                    // `import a.b.c` on `b`: the module `a.b`.
                    let upto = dots_before(entry.text(), import.name_range.start, offset);
                    let parts: Vec<&str> = module.split('.').take(upto + 1).collect();
                    r.module(&parts.join("."))
                }
                None => r.module(&module),
            };
            return r.resolved(value);
        }
    }
    for reference in &summary.references {
        // A bound that needs no splitting of the chain (the costly part
        // of this loop).
        if offset < reference.start || offset > reference.reach() {
            continue;
        }
        let Some(index) = reference.segments().position(|(_, span)| span.touches(offset)) else { continue };
        let values = r.resolve_reference(file, reference);
        let (_, value) = values.into_iter().nth(index)?;
        return r.resolved(value);
    }
    let binding = summary.bindings.iter().find(|b| b.range.touches(offset))?;
    // A module or class variable bound again (`s = 3`, or `counter += 1`
    // under `global counter`) is that variable, not a local.
    if let BindingKind::Definition(def) = binding.kind
        && let Some(&node) = entry.nodes.get(def as usize)
    {
        return Some(Resolved::Symbol(SymbolId(node)));
    }
    Some(Resolved::Local { file, span: binding.range })
}
