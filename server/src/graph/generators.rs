//! Generators run where they are iterated. Calling a generator function
//! runs none of its body: `gen = self._iter()` makes a generator, and the
//! body starts at the first `next`, which `for x in gen:`, `list(gen)` or
//! `next(gen)` ask for. So iterating a local or an attribute bound to such
//! a call, or an instance whose `__iter__` returns one (`return
//! self._iter()`), runs the generator function there too (a `Runs` edge,
//! an implicit call). Likewise iterating `iter(f, sentinel)` (or
//! `iter(partial(f, ...), sentinel)`) calls `f` for each element. A
//! parameter iterated starts what its callers pass (`take(n, pairs(xs))`
//! with `def take(n, it): return list(islice(it, n))`), read where the
//! parameter's callers are read for its type (`infer/callers.rs`).

use super::infer::{Ty, ValueExpr};
use super::resolve::{Resolver, Value};
use super::summary::{BindingKind, DefinitionId, DefinitionKind, ImplicitCall, Protocol};
use super::{FileId, Graph};

impl Resolver<'_> {
    /// The workspace generator functions whose body iterating `call`'s
    /// value starts, given the protocol methods it runs (`runs`: an
    /// instance's `__iter__`).
    pub(super) fn generators_started(&mut self, file: FileId, call: &ImplicitCall, runs: &[Value]) -> Vec<Value> {
        let mut out = Vec::new();
        if !matches!(call.protocol, Protocol::Iterate | Protocol::Collect | Protocol::Iter | Protocol::Next) {
            return out;
        }
        // `for x in gen:` with `gen = self._iter()` bound before.
        if let ValueExpr::Chain { chain, scope, at } = &call.receiver
            && !chain.contains('.')
            && let Some(binding) = self.lookup(file, *scope, chain, *at)
            && let Some(entry) = self.graph.file(file)
            && let bound = &entry.summary.bindings[binding as usize]
            && matches!(bound.kind, BindingKind::Local | BindingKind::Join)
            && let Some(value) = bound.value.as_deref()
        {
            self.add_generators(file, value, &mut out);
            self.add_sentinel_callable(file, value, &mut out);
        }
        // `for x in iterable:` of a parameter: what the callers pass.
        if let ValueExpr::Chain { chain, scope, at } = &call.receiver
            && !chain.contains('.')
            && let Some(binding) = self.lookup(file, *scope, chain, *at)
            && let Some((function, parameter)) = self.parameter_of(file, binding)
        {
            for (f, value) in self.caller_argument_values(file, function, parameter) {
                self.add_generators(f, &value, &mut out);
            }
        }
        // `next(self._it)` with `self._it = self._reader()` assigned in a
        // method (each of the attribute's assigned values).
        if let ValueExpr::Chain { chain, scope, at } = &call.receiver
            && chain.contains('.')
            && let Some(Value::Definition(f, d)) = self.resolve_dotted(file, *scope, chain, *at)
            && self.graph.file(f).is_some_and(|e| e.summary.definitions[d as usize].kind == DefinitionKind::Variable)
        {
            for value in self.values(f, d) {
                self.add_generators(f, value, &mut out);
            }
        }
        // `for c in chunked(xs, n):` whose function returns a generator
        // (or `iter(f, sentinel)`), `next(self[k])` whose `__getitem__` does.
        let returning = match &call.receiver {
            ValueExpr::Call(callee) | ValueExpr::CallWith(callee, _) => self.eval(file, callee, 0).into_iter().filter_map(function_of).collect(),
            ValueExpr::Subscript(container, _) => self
                .eval(file, container, 0)
                .into_iter()
                .filter_map(|ty| match ty {
                    Ty::Instance(f, class, _) => match self.class_member(f, class, "__getitem__", 0) {
                        Some(Value::Definition(f, d)) => Some((f, d)),
                        _ => None,
                    },
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for (f, d) in returning {
            if self.graph.is_library(f) {
                continue;
            }
            for value in self.values(f, d) {
                self.add_generators(f, value, &mut out);
                let bound = self.bound_value(f, value);
                self.add_sentinel_callable(f, &bound, &mut out);
            }
        }
        // `for x in self:` whose `__iter__` returns `self._iter()`.
        for method in runs {
            if let Value::Definition(f, d) = method
                && self.graph.file(*f).is_some_and(|e| e.summary.definitions[*d as usize].name == "__iter__")
            {
                for value in self.values(*f, *d) {
                    self.add_generators(*f, value, &mut out);
                }
            }
        }
        out
    }

    /// The function and the index in its signature of the parameter
    /// `binding` (of `file`) binds, when it is one (not `self`).
    fn parameter_of(&self, file: FileId, binding: u32) -> Option<(DefinitionId, usize)> {
        let summary = &self.graph.file(file)?.summary;
        let bound = &summary.bindings[binding as usize];
        if bound.kind != (BindingKind::Parameter { self_of: None }) {
            return None;
        }
        let function = summary.scopes[bound.scope as usize].definition?;
        let parameters = &summary.definitions[function as usize].signature.as_ref()?.parameters;
        Some((function, parameters.iter().position(|p| p.name == bound.name)?))
    }

    /// Adds `f` when `value` (of `file`) is `iter(f, sentinel)` or
    /// `iter(functools.partial(f, ...), sentinel)`: each `next` calls it.
    fn add_sentinel_callable(&mut self, file: FileId, value: &ValueExpr, out: &mut Vec<Value>) {
        let ValueExpr::CallWith(callee, arguments) = value else { return };
        let [called, _sentinel] = &arguments.positional[..] else { return };
        if !self.is_external(file, callee, "builtins.iter") {
            return;
        }
        let called = match called {
            ValueExpr::CallWith(partial, wrapped) if self.is_external(file, partial, "functools.partial") => match wrapped.positional.first() {
                Some(first) => first,
                None => return,
            },
            other => other,
        };
        let ValueExpr::Chain { chain, scope, at } = called else { return };
        if let Some(function @ Value::Definition(f, d)) = self.resolve_dotted(file, *scope, chain, *at)
            && !self.graph.is_library(f)
            && self.graph.file(f).is_some_and(|e| matches!(e.summary.definitions[d as usize].kind, DefinitionKind::Function | DefinitionKind::Method))
            && !out.contains(&function)
        {
            out.push(function);
        }
    }

    /// What a function-local name `value` (of `file`) was bound to, when
    /// it is one (`return iterator` after `iterator = iter(...)`), else
    /// `value` itself.
    fn bound_value(&mut self, file: FileId, value: &ValueExpr) -> ValueExpr {
        if let ValueExpr::Chain { chain, scope, at } = value
            && !chain.contains('.')
            && let Some(binding) = self.lookup(file, *scope, chain, *at)
            && let Some(entry) = self.graph.file(file)
            && let bound = &entry.summary.bindings[binding as usize]
            && matches!(bound.kind, BindingKind::Local)
            && let Some(assigned) = bound.value.as_deref()
        {
            return assigned.clone();
        }
        value.clone()
    }

    /// Whether `value` is a name or chain for the library object at `path`.
    fn is_external(&mut self, file: FileId, value: &ValueExpr, path: &str) -> bool {
        let ValueExpr::Chain { chain, scope, at } = value else { return false };
        matches!(self.resolve_dotted(file, *scope, chain, *at), Some(Value::External(p)) if p == path)
    }

    /// Adds the workspace generator functions that `value` (of `file`)
    /// calls: the value itself or one of its alternatives.
    fn add_generators(&mut self, file: FileId, value: &ValueExpr, out: &mut Vec<Value>) {
        let values = match value {
            ValueExpr::Either(values) => values.as_slice(),
            one => std::slice::from_ref(one),
        };
        for value in values {
            let (ValueExpr::Call(callee) | ValueExpr::CallWith(callee, _)) = value else { continue };
            for (f, d) in self.eval(file, callee, 0).into_iter().filter_map(function_of) {
                let generator = Value::Definition(f, d);
                if !self.graph.is_library(f) && is_generator(self.graph, f, d) && !out.contains(&generator) {
                    out.push(generator);
                }
            }
        }
    }
}

/// The function a callee's type is, bound or not.
fn function_of(ty: Ty) -> Option<(FileId, DefinitionId)> {
    match ty {
        Ty::Function(f, d, _) => Some((f, d)),
        Ty::Bound(inner, _) => match *inner {
            Ty::Function(f, d, _) => Some((f, d)),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a workspace function's own body (not a function or class
/// defined in it) says `yield`.
pub(super) fn is_generator(graph: &Graph, file: FileId, def: DefinitionId) -> bool {
    let Some(entry) = graph.file(file) else { return false };
    let definitions = &entry.summary.definitions;
    let d = &definitions[def as usize];
    if !matches!(d.kind, DefinitionKind::Function | DefinitionKind::Method) {
        return false;
    }
    let Some(text) = entry.text().get(d.range.range()) else { return false };
    let nested: Vec<(usize, usize)> = definitions
        .iter()
        .filter(|n| n.kind != DefinitionKind::Variable && n.range != d.range && d.range.start <= n.range.start && n.range.end <= d.range.end)
        .map(|n| ((n.range.start - d.range.start) as usize, (n.range.end - d.range.start) as usize))
        .collect();
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices("yield").any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + 5..].chars().next();
        let line = &text[text[..at].rfind('\n').map_or(0, |i| i + 1)..at];
        !before.is_some_and(word) && !after.is_some_and(word) && !line.contains('#') && !nested.iter().any(|&(s, e)| s <= at && at < e)
    })
}
