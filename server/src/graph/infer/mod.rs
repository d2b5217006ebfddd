//! Type inference for workspace code, inside the graph's resolution: enough
//! to know the class of the receiver of a call.
//!
//! The resolver asks for the type of a binding only when a reference reads
//! a member of it (`m.load()`, `self.left.as_const()`); the type is
//! computed then from what the summary kept of the binding's value
//! ([`exprs::ValueExpr`]) and memoised for the rest of that file's linking.
//! Rules: constructor calls; annotations (string annotations, `Self`,
//! `Optional`, unions, builtin and `typing` generics); return annotations
//! of functions, methods, properties, classmethods and decorators; one
//! level of unannotated `return Cls(...)`; class-body annotations,
//! dataclass fields and `self.x = ...` assignments; `with`, `for`,
//! comprehensions and unpacking over annotated containers.
//!
//! This module also holds the public queries other features build on
//! (completion, rename, inlay hints, hover): [`Graph::infer_chain`],
//! [`Graph::members`], [`Graph::inferred_type_of`].

mod annotations;
mod callers;
mod calls;
mod construct;
mod eval;
pub mod exprs;
mod fields;
pub(super) mod generics;
mod narrowed;
mod ty;

pub(super) use eval::Memo;
pub use exprs::ValueExpr;

use super::resolve::{ClassRef, Resolver, Value as Resolution, is_overload};
use super::summary::{BindingKind, DefinitionId, DefinitionKind};
use super::{FileId, Graph, Location, Span, SymbolId};
pub(super) use ty::Ty;

/// What an expression evaluates to, as far as inference knows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    /// A workspace module.
    Module(SymbolId),
    /// A workspace class object itself (`Cart`, `type[Cart]`).
    Class(SymbolId),
    /// An instance of a workspace class.
    Instance(SymbolId),
    /// A workspace function or method.
    Function(SymbolId),
    /// Something outside the workspace by dotted path (a module, class or
    /// function: `os.path`, `requests.Session`).
    External(String),
    /// An instance of a class outside the workspace (`builtins.str`).
    ExternalInstance(String),
}

/// Where an inferred type came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeSource {
    /// An annotation (of the variable, parameter or attribute).
    Annotation,
    /// A constructor call (`Cart(...)`).
    Constructor,
    /// The return annotation (or returned value) of the function called.
    Return,
    /// Another assignment (`x = other`, a loop over a container, `with`).
    Assignment,
    /// A literal (`x = 1`, `names = []`).
    Literal,
}

/// The type inferred for a variable or attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InferredType {
    /// How the type reads: `Cart`, `list[Item]`, `Cart | None`.
    pub display: String,
    /// The workspace classes the type names, outermost first (`Item` for
    /// `list[Item]`, both for `A | B`).
    pub classes: Vec<SymbolId>,
    pub source: TypeSource,
    /// The annotation, constructor call or function that decided it.
    pub source_location: Option<Location>,
}

impl Graph {
    /// What the dotted expression `chain` (`["self", "cart"]`, `["os",
    /// "path"]`) evaluates to in the innermost function, class or module
    /// around byte `offset` of `file`: several values for a union, none
    /// when unknown. Names are looked up as a reference at `offset` would
    /// be (the binding visible there in straight-line code).
    pub fn infer_chain(&self, file: FileId, offset: u32, chain: &[&str]) -> Vec<Value> {
        let Some(entry) = self.file(file) else { return Vec::new() };
        if chain.is_empty() || chain.iter().any(|s| s.is_empty() || s.contains('.')) {
            return Vec::new();
        }
        let scope = entry.summary.scope_at(offset);
        let mut r = Resolver::new(self, file);
        let expr = ValueExpr::Chain { chain: chain.join(".").into(), scope, at: offset };
        let types = r.eval(file, &expr, 0);
        let mut out: Vec<Value> = types.iter().filter_map(|t| self.public_value(t)).collect();
        out.dedup();
        out
    }

    /// The workspace classes a local `name` read at `offset` is exactly
    /// an instance of, when every value it may hold there is a
    /// constructor call (`b = Base()`, or one in each branch of an `if`):
    /// its methods, not its subclasses' overrides, run; or a name
    /// `type(name) is C` narrows there. Empty when it may be anything
    /// else (a parameter, a name `isinstance` narrows, a call of a
    /// function) or a class is outside the workspace.
    pub fn exact_classes(&self, file: FileId, offset: u32, name: &str) -> Vec<SymbolId> {
        if let Some(exact) = self.exactly_narrowed(file, offset, name) {
            return exact;
        }
        let classes = self.constructed(file, offset, name);
        let symbols: Vec<SymbolId> = classes.iter().filter_map(|c| self.definition_symbol(c.0?, c.1?)).collect();
        if symbols.len() == classes.len() { symbols } else { Vec::new() }
    }

    /// The workspace classes a parameter `name` read at `offset` holds as
    /// class objects (`exception: type[ParseError] = ParseError`): a
    /// caller may pass any subclass, so calling it may construct one.
    /// Empty when `name` is no parameter there.
    pub(super) fn held_classes(&self, file: FileId, offset: u32, name: &str) -> Vec<SymbolId> {
        let Some(entry) = self.file(file) else { return Vec::new() };
        let mut r = Resolver::new(self, file);
        let Some(binding) = r.lookup(file, entry.summary.scope_at(offset), name, offset) else { return Vec::new() };
        if !matches!(entry.summary.bindings[binding as usize].kind, BindingKind::Parameter { .. }) {
            return Vec::new();
        }
        let held = self.infer_expression(file, offset, name).into_iter();
        held.filter_map(|value| if let Value::Class(class) = value { Some(class) } else { None }).collect()
    }

    /// The workspace classes `type(name) is C` tests make `name` read at
    /// `offset` exactly an instance of (`None` where no such test holds).
    fn exactly_narrowed(&self, file: FileId, offset: u32, name: &str) -> Option<Vec<SymbolId>> {
        let entry = self.file(file)?;
        if !entry.summary.narrowings.iter().any(|n| n.exact) {
            return None;
        }
        let mut r = Resolver::new(self, file);
        let binding = r.lookup(file, entry.summary.scope_at(offset), name, offset)?;
        if !r.narrowed_exactly(file, name, offset, binding) {
            return None;
        }
        let narrowed = r.narrowed(file, name, offset, binding, 0)?;
        let classes: Vec<SymbolId> = narrowed
            .alternatives()
            .iter()
            .filter_map(|v| match v {
                super::resolve::Value::Instance(f, c, ..) => self.definition_symbol(*f, *c),
                _ => None,
            })
            .collect();
        (classes.len() == narrowed.alternatives().len()).then_some(classes)
    }

    /// The workspace classes a local `name` read at `offset` is known not
    /// to be an instance of, by the `isinstance` tests that fail there
    /// (see [`Resolver::excluded`]).
    pub(super) fn excluded_classes(&self, file: FileId, offset: u32, name: &str) -> Vec<SymbolId> {
        let Some(entry) = self.file(file).filter(|e| !e.summary.narrowings.is_empty()) else { return Vec::new() };
        let mut r = Resolver::new(self, file);
        let Some(binding) = r.lookup(file, entry.summary.scope_at(offset), name, offset) else { return Vec::new() };
        let excluded = r.excluded(file, name, offset, binding);
        excluded
            .into_iter()
            .filter_map(|class| match class {
                ClassRef::Workspace(f, d) => self.definition_symbol(f, d),
                _ => None,
            })
            .collect()
    }

    /// Whether a local `name` read at `offset` only ever holds an object
    /// a constructor call just made there, of a workspace class or a
    /// standard library one (`ret = FunctionType(code, globals)`): a new
    /// object, never one fetched elsewhere (a module by name).
    pub fn holds_new_object(&self, file: FileId, offset: u32, name: &str) -> bool {
        !self.constructed(file, offset, name).is_empty()
    }

    /// The classes whose constructor calls are every value the local
    /// `name` may hold at `offset` (a workspace class's definition; none
    /// for a standard library class known by its path); empty when one
    /// is anything else.
    fn constructed(&self, file: FileId, offset: u32, name: &str) -> Vec<(Option<FileId>, Option<DefinitionId>)> {
        let Some(entry) = self.file(file) else { return Vec::new() };
        let mut r = Resolver::new(self, file);
        let Some(binding) = r.lookup(file, entry.summary.scope_at(offset), name, offset) else { return Vec::new() };
        let bound = &entry.summary.bindings[binding as usize];
        if !matches!(bound.kind, BindingKind::Local | BindingKind::Join) || r.narrowed(file, name, offset, binding, 0).is_some() {
            return Vec::new();
        }
        let Some(value) = bound.value.as_deref() else { return Vec::new() };
        let values = match value {
            ValueExpr::Either(values) => values.as_slice(),
            one => std::slice::from_ref(one),
        };
        let mut out = Vec::new();
        for value in values {
            let (ValueExpr::Call(callee) | ValueExpr::CallWith(callee, _)) = value else { return Vec::new() };
            // A class a parameter holds (`cls()`, `super().__new__(cls)`)
            // may be any subclass.
            if let ValueExpr::Chain { chain, scope, at } = &**callee
                && let Some(held) = r.lookup(file, *scope, chain.split('.').next().unwrap_or_default(), *at)
                && matches!(entry.summary.bindings[held as usize].kind, BindingKind::Parameter { .. })
            {
                return Vec::new();
            }
            match r.eval(file, callee, 0).as_slice() {
                [Ty::Class(f, d)] => out.push((Some(*f), Some(*d))),
                // Not a name's convention (`Loader()` may be a function): the stubs say it is a class.
                [Ty::External(path)] if self.stdlib_class(path) => out.push((None, None)),
                _ => return Vec::new(),
            }
        }
        out
    }

    fn stdlib_class(&self, path: &str) -> bool {
        let Some(symbol) = self.library_item(path).and_then(|item| self.library_symbol(item)) else { return false };
        symbol.kind == super::SymbolKind::Class && symbol.origin.is_stdlib()
    }

    /// What the expression `text` (`f()`, `xs[0]`, `self.items()[0].name`,
    /// written as it would be in `file`) evaluates to, its names looked up
    /// as a reference at `offset` would see them (see
    /// [`Graph::infer_chain`]). Empty when it does not parse or its type is
    /// unknown.
    pub fn infer_expression(&self, file: FileId, offset: u32, text: &str) -> Vec<Value> {
        let Some(entry) = self.file(file) else { return Vec::new() };
        let Ok(parsed) = ruff_python_parser::parse_expression(text) else { return Vec::new() };
        let scope = entry.summary.scope_at(offset);
        let Some(mut expr) = exprs::value_expr(text, parsed.expr(), scope) else { return Vec::new() };
        expr.move_offsets(&|_| offset);
        let mut r = Resolver::new(self, file);
        let mut out: Vec<Value> = r.eval(file, &expr, 0).iter().filter_map(|t| self.public_value(t)).collect();
        out.dedup();
        out
    }

    /// The members of a workspace class through its MRO, nearest first,
    /// each name once: methods, class attributes, attributes annotated in
    /// the class body and attributes assigned through `self`. Empty for
    /// anything but a workspace class.
    pub fn members(&self, class: SymbolId) -> Vec<SymbolId> {
        let Some((file, def)) = self.class_definition(class) else { return Vec::new() };
        let mut r = Resolver::new(self, file);
        let mro = r.mro(file, def, 0);
        let mut seen = rustc_hash::FxHashSet::default();
        let mut out = Vec::new();
        for class in mro.iter() {
            let ClassRef::Workspace(f, d) = class else { continue };
            let Some(entry) = self.file(*f) else { continue };
            let Some(body) = entry.summary.definitions[*d as usize].body else { continue };
            for binding in entry.summary.bindings.iter().filter(|b| b.scope == body) {
                if let BindingKind::Definition(member) = binding.kind
                    && !is_overload(entry, binding.kind)
                    && seen.insert(binding.name.as_str())
                    && let Some(&node) = entry.nodes.get(member as usize)
                {
                    out.push(SymbolId(node));
                }
            }
        }
        out
    }

    /// The workspace classes `class` names as its bases, in the order
    /// written, resolved from the summaries as its `Inherits` edges are
    /// (link.rs): what `super().` completes reads them while the class's
    /// file may wait for its link (deferred.rs).
    pub fn written_bases(&self, class: SymbolId) -> Vec<SymbolId> {
        let Some((file, def)) = self.class_definition(class) else { return Vec::new() };
        let mut r = Resolver::new(self, file);
        let workspace = |base: ClassRef| match base {
            ClassRef::Workspace(f, d) => self.file_global(f)?.nodes.get(d as usize).map(|&node| SymbolId(node)),
            ClassRef::External(_) => None,
        };
        let mut out: Vec<SymbolId> = r.bases(file, def).into_iter().filter_map(|(base, _)| workspace(base)).collect();
        out.dedup();
        out
    }

    /// The inferred type of the variable, parameter or attribute whose
    /// name is at `offset` (where it is bound or read), with where that
    /// type came from. `None` when there is no such name or its type is
    /// unknown; classes, functions and modules have no inferred type.
    pub fn inferred_type_of(&self, file: FileId, offset: u32) -> Option<InferredType> {
        let entry = self.file(file)?;
        let summary = &entry.summary;
        let mut r = Resolver::new(self, file);
        let value = if let Some(index) = summary.bindings.iter().position(|b| b.range.touches(offset)) {
            let binding = &summary.bindings[index];
            match binding.kind {
                BindingKind::Definition(def) => Resolution::Definition(file, def),
                _ => r.binding_value(file, index as u32, 0)?,
            }
        } else if let Some(def) = summary.definitions.iter().position(|d| d.name_range.touches(offset)) {
            Resolution::Definition(file, def as DefinitionId)
        } else {
            let reference = summary.references.iter().find(|r| r.segments().any(|(_, span)| span.touches(offset)))?;
            let index = reference.segments().position(|(_, span)| span.touches(offset))?;
            r.resolve_reference(file, reference).into_iter().nth(index)?.1
        };
        let is_variable = match &value {
            Resolution::Definition(f, d) => self.file(*f)?.summary.definitions[*d as usize].kind == DefinitionKind::Variable,
            Resolution::Local(..) | Resolution::Instance(..) => true,
            _ => false,
        };
        if !is_variable {
            return None;
        }
        let types = r.value_types(&value, 0);
        if types.is_empty() {
            return None;
        }
        let (source, source_location) = r.type_source(&value);
        let name = |f: FileId, d: DefinitionId| self.file(f).map(|e| e.summary.definitions[d as usize].name.to_string()).unwrap_or_default();
        let mut classes = Vec::new();
        collect_classes(&types, &mut classes);
        let classes = classes.into_iter().filter_map(|(f, d)| self.definition_symbol(f, d)).collect();
        Some(InferredType { display: ty::display(&types, &name), classes, source, source_location })
    }

    pub(in crate::graph) fn class_definition(&self, class: SymbolId) -> Option<(FileId, DefinitionId)> {
        let node = self.node(class)?;
        let (file, def) = (node.file?, node.definition?);
        (self.file(file)?.summary.definitions.get(def as usize)?.kind == DefinitionKind::Class).then_some((file, def))
    }

    fn public_value(&self, ty: &Ty) -> Option<Value> {
        Some(match ty {
            // Library classes and functions are outside the workspace.
            Ty::Instance(f, d, _) if self.is_library(*f) => Value::ExternalInstance(super::library::library_path(self, *f, *d)?),
            Ty::Class(f, d) | Ty::Function(f, d, _) if self.is_library(*f) => Value::External(super::library::library_path(self, *f, *d)?),
            Ty::Bound(inner, _) => return self.public_value(inner),
            Ty::Instance(f, d, _) => Value::Instance(self.definition_symbol(*f, *d)?),
            Ty::Class(f, d) => Value::Class(self.definition_symbol(*f, *d)?),
            Ty::Function(f, d, _) => Value::Function(self.definition_symbol(*f, *d)?),
            Ty::Module(name) => match self.resolve_module(name) {
                Some(file) => Value::Module(self.module_symbol(file)?),
                None => Value::External(name.clone()),
            },
            Ty::External(path) => Value::External(path.clone()),
            Ty::ExternalInstance(path) => Value::ExternalInstance(path.clone()),
            Ty::Sequence(..) | Ty::Mapping(..) | Ty::Tuple(_) => Value::ExternalInstance(ty.container_class()?),
            _ => return None,
        })
    }
}

impl Resolver<'_> {
    /// Where the type of a variable came from: its annotation, else the
    /// first assigned value that has a type.
    fn type_source(&mut self, value: &Resolution) -> (TypeSource, Option<Location>) {
        let unknown = (TypeSource::Assignment, None);
        let graph = self.graph;
        match value {
            Resolution::Instance(_, _, file, span) => (TypeSource::Annotation, Some(Location { file: *file, span: *span })),
            Resolution::Local(file, span, binding) => {
                let Some(entry) = graph.file(*file) else { return unknown };
                let b = &entry.summary.bindings[*binding as usize];
                match (&b.value, b.kind) {
                    (Some(expr), _) => self.expr_source(*file, expr),
                    (None, BindingKind::Parameter { .. }) => {
                        let range = entry
                            .summary
                            .scopes
                            .get(b.scope as usize)
                            .and_then(|s| s.definition)
                            .and_then(|f| entry.summary.definitions[f as usize].signature.as_ref())
                            .and_then(|s| s.parameters.iter().find(|p| p.name == b.name))
                            .map_or(*span, |p| p.range);
                        (TypeSource::Annotation, Some(Location { file: *file, span: range }))
                    }
                    _ => unknown,
                }
            }
            Resolution::Definition(file, def) => {
                let Some(entry) = graph.file(*file) else { return unknown };
                let d = &entry.summary.definitions[*def as usize];
                if d.annotation.is_some() {
                    return (TypeSource::Annotation, Some(Location { file: *file, span: d.name_range }));
                }
                for expr in &d.values {
                    if !self.eval(*file, expr, 0).is_empty() {
                        return self.expr_source(*file, expr);
                    }
                }
                unknown
            }
            _ => unknown,
        }
    }

    fn expr_source(&mut self, file: FileId, expr: &ValueExpr) -> (TypeSource, Option<Location>) {
        let at = |start: u32, len: usize| Some(Location { file, span: Span::new(start, start + len as u32) });
        match expr {
            // A literal is recorded as the annotation of its class, which
            // is not written where it is (`1` for `int`).
            ValueExpr::Annotation { text, at: start, .. } => {
                let written = self.graph.file(file).and_then(|e| e.text().get(*start as usize..*start as usize + text.len())) == Some(text.as_str());
                (if written { TypeSource::Annotation } else { TypeSource::Literal }, at(*start, if written { text.len() } else { 0 }))
            }
            ValueExpr::Call(callee) | ValueExpr::CallWith(callee, _) => {
                let ValueExpr::Chain { chain, at: start, .. } = &**callee else {
                    return (TypeSource::Return, expr.at().and_then(|s| at(s, 0)));
                };
                let callees = self.eval(file, callee, 0);
                match callees.first() {
                    Some(Ty::Function(f, d, _)) => {
                        let location = self.graph.definition_symbol(*f, *d).and_then(|s| self.graph.location(s));
                        (TypeSource::Return, location)
                    }
                    Some(Ty::Class(..)) => (TypeSource::Constructor, at(*start, chain.len())),
                    _ => (TypeSource::Return, at(*start, chain.len())),
                }
            }
            other => (TypeSource::Assignment, other.at().and_then(|s| at(s, 0))),
        }
    }
}

/// The workspace classes a type names, outermost first.
fn collect_classes(types: &[Ty], out: &mut Vec<(FileId, DefinitionId)>) {
    for ty in types {
        match ty {
            Ty::Instance(f, d, args) => {
                if !out.contains(&(*f, *d)) {
                    out.push((*f, *d));
                }
                args.iter().for_each(|a| collect_classes(a, out));
            }
            Ty::Class(f, d) if !out.contains(&(*f, *d)) => {
                out.push((*f, *d));
            }
            Ty::Sequence(_, items) | Ty::Callable(items) | Ty::Manager(items) => collect_classes(items, out),
            Ty::Mapping(_, keys, values) => {
                collect_classes(keys, out);
                collect_classes(values, out);
            }
            Ty::Tuple(items) => items.iter().for_each(|i| collect_classes(i, out)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod generic_tests;
#[cfg(test)]
mod narrowing_tests;
#[cfg(test)]
mod tests;
