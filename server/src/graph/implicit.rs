//! The methods that syntax runs (see [`super::summary::ImplicitCall`]):
//! resolved when a file is linked, into [`EdgeKind::Runs`] edges, and
//! read back by the call hierarchy's queries as [`Via::Protocol`] calls.
//! They are no calls written by name: callers (which rename, change
//! signature and the stale-calls check rewrite) and references leave them
//! out.

use super::dispatch::Via;
use super::infer::Ty;
use super::queries::Caller;
use super::resolve::{Resolver, Value};
use super::summary::{DefinitionId, DefinitionKind, Forward, ImplicitCall, Protocol};
use super::{EdgeKind, FileId, Graph, SymbolId};

impl Resolver<'_> {
    /// The workspace methods `call` runs: for each workspace class its
    /// value may be an instance of, of each group of the protocol's
    /// methods, the first the class has (its own or inherited). A class
    /// whose method comes from a library base runs the library's.
    ///
    /// `left`: what the call before `call` found (a reflected operator's
    /// left-hand value's, see [`Forward::Previous`]); returned: what this
    /// one found, for the next.
    pub(super) fn implicit_targets(&mut self, file: FileId, call: &ImplicitCall, left: LeftHand) -> (Vec<Value>, LeftHand) {
        let mut out: Vec<Value> = Vec::new();
        // `w + v` runs `v.__radd__` only when `w`'s class has no `__add__`
        // for it: not when `w`'s ran, and not when `w`'s type is unknown,
        // which is mostly a value of the same family as `v` (a parameter
        // every caller passes one of), whose `__add__` handles it.
        if left != LeftHand::Other && matches!(call.protocol, Protocol::Reflected(_, Forward::Previous)) {
            return (out, LeftHand::Other);
        }
        // Calling a function value needs no class; any other protocol runs
        // a method that some workspace class must define (see dunders.rs).
        let defined = call.protocol.runs().into_iter().flatten().any(|method| self.graph.defines_dunder(method));
        if !defined && call.protocol != Protocol::Call || self.shadowed_builtin(file, call) {
            return (out, LeftHand::Other);
        }
        let types = self.eval(file, &call.receiver, 0);
        let typed = !types.is_empty();
        for ty in types {
            let runs: Vec<Value> = match ty {
                // Calling a function value (`make()(x)`, a decorator
                // factory's result) runs that function.
                Ty::Function(f, d, _) if call.protocol == Protocol::Call && !self.graph.is_library(f) => vec![Value::Definition(f, d)],
                // Calling a class a call gives (`type(self)(...)`) constructs it.
                Ty::Class(f, d) if call.protocol == Protocol::Call && !self.graph.is_library(f) => {
                    self.workspace_init(f, d).into_iter().chain(self.workspace_new(f, d)).collect()
                }
                Ty::Instance(f, class, _) if defined && !self.graph.is_library(f) => {
                    call.protocol.runs().into_iter().filter_map(|group| group.into_iter().find_map(|method| self.protocol_method(f, class, method))).collect()
                }
                // A class object's protocol is its metaclass's, not its
                // methods; a library class's methods are no workspace's.
                _ => Vec::new(),
            };
            for method in runs {
                if matches!(method, Value::Definition(..)) && !out.contains(&method) {
                    out.push(method);
                }
            }
        }
        let found = match (out.is_empty(), typed) {
            (false, _) => LeftHand::Ran,
            (true, true) => LeftHand::Other,
            (true, false) => LeftHand::Unknown,
        };
        (out, found)
    }

    /// `method` of a workspace class, as a protocol runs it: its own or
    /// inherited ([`Resolver::class_member`]), except that a library base
    /// that has it only from `object` does not stop the search: `object`'s
    /// `__format__` runs `__str__` and its `__ne__` `__eq__`, and with no
    /// `__bool__` truth is `__len__`, whether or not the class names a
    /// library base (`class Element(ABC)`, `class ParseError(Exception)`).
    fn protocol_method(&mut self, file: FileId, class: DefinitionId, method: &str) -> Option<Value> {
        let found = self.class_member(file, class, method, 0)?;
        let Value::External(path) = &found else { return Some(found) };
        let owner = path.strip_suffix(method).and_then(|p| p.strip_suffix('.')).unwrap_or_default();
        // `Generic[T]` and `Protocol` are special forms, no classes, with
        // no protocol methods of their own.
        if matches!(owner, "typing.Generic" | "typing.Protocol" | "typing_extensions.Protocol") {
            return None;
        }
        match self.library_value(owner, 0) {
            Some(Value::Definition(f, d)) if self.definition(f, d).is_some_and(|d| d.kind == DefinitionKind::Class) => {
                self.class_member(f, d, method, 0).map(|_| found)
            }
            // A base the library cannot show may have it.
            _ => Some(found),
        }
    }
}

/// What the implicit call before a reflected operator's found on its
/// value (the left-hand one, see [`Forward::Previous`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LeftHand {
    /// A workspace method, which handles the operator.
    Ran,
    /// No type: no class is known not to handle it.
    Unknown,
    /// A type whose class runs no workspace method (a library class, or
    /// one without the operator), or no call before.
    Other,
}

impl Resolver<'_> {
    /// What calling a name or attribute that holds an instance of a
    /// workspace class runs: its `__call__` (`add = Adder(); add(1)`, a
    /// property's result, `self()`). A
    /// function or a class it holds is [`Resolver::call_targets`]'.
    /// Calling a workspace class also runs the `__new__` it defines or
    /// inherits from a workspace base (`Empty()` with `Literal.__new__`),
    /// beside the `__init__` that is its callee, and its metaclass's
    /// `__call__` (see metaclass.rs).
    pub(super) fn instance_call_targets(&mut self, value: &Value) -> Vec<Value> {
        // `cls(...)` in a class method constructs the class or a subclass.
        if let Value::Instance(file, class, ..) = *value
            && self.class_method_construction(value).is_some()
        {
            return self.workspace_new(file, class).into_iter().collect();
        }
        if let Value::Definition(file, class) = *value
            && !self.graph.is_library(file)
            && self.graph.definition_by_name(file, class).is_some_and(|d| d.kind == DefinitionKind::Class)
        {
            let mut out: Vec<Value> = self.workspace_new(file, class).into_iter().collect();
            if self.graph.defines_dunder("__call__") {
                out.extend(self.metaclass_call(file, class));
            }
            return out;
        }
        // `self()` calls the instance itself, and `obj.prop()` what the
        // property's getter returns (`with source.state(restore=True):`).
        let holds_value = match value {
            Value::Local(..) | Value::Instance(..) => true,
            Value::Definition(f, d) => self.graph.definition_by_name(*f, *d).is_some_and(|d| d.kind == DefinitionKind::Variable) || self.is_property(value),
            _ => false,
        };
        if !holds_value || !self.graph.defines_dunder("__call__") {
            return Vec::new();
        }
        self.instance_methods(value, "__call__")
    }

    /// The `__new__` a workspace class defines or inherits from a
    /// workspace base, which constructing it runs beside its `__init__`.
    pub(super) fn workspace_new(&mut self, file: FileId, class: DefinitionId) -> Option<Value> {
        if !self.graph.defines_dunder("__new__") {
            return None;
        }
        match self.class_member(file, class, "__new__", 0) {
            Some(new @ Value::Definition(f, _)) if !self.graph.is_library(f) => Some(new),
            _ => None,
        }
    }

    /// The workspace method `name` of each workspace class whose instance
    /// `value` may be.
    fn instance_methods(&mut self, value: &Value, name: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for ty in self.value_types(value, 0) {
            if let Ty::Instance(f, class, _) = ty
                && !self.graph.is_library(f)
                && let Some(method @ Value::Definition(..)) = self.class_member(f, class, name, 0)
                && !out.contains(&method)
            {
                out.push(method);
            }
        }
        out
    }
}

impl Resolver<'_> {
    /// Whether `call` is the argument of a call of a name that looks like
    /// a builtin (`len(x)`) but is bound to something else there (`from
    /// mylib import len`, a parameter `repr`): then no protocol runs.
    fn shadowed_builtin(&mut self, file: FileId, call: &ImplicitCall) -> bool {
        let Some(text) = self.graph.file(file).map(|e| e.text().clone()) else { return false };
        let before = text.get(..call.span.start as usize).unwrap_or_default().trim_end();
        let Some(before) = before.strip_suffix('(').map(str::trim_end) else { return false };
        let start = before.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
        let name = &before[start..];
        if Protocol::of_builtin(name).is_none() || before[..start].trim_end().ends_with('.') {
            return false;
        }
        match self.resolve_name(file, call.scope, name, start as u32, 0) {
            None => false,
            Some(Value::External(path)) => path != format!("builtins.{name}"),
            Some(_) => true,
        }
    }
}

impl Graph {
    /// The functions whose syntax runs `id` (`with x:` for `__enter__`),
    /// with the places, as [`Via::Protocol`] callers.
    pub(super) fn implicit_callers(&self, id: SymbolId) -> Vec<Caller> {
        let edges = self.in_edges(id, EdgeKind::Runs).map(|(span, caller)| (caller, self.node(caller).and_then(|n| n.file), span));
        self.grouped(edges).into_iter().map(|c| Caller { via: Via::Protocol, ..c }).collect()
    }

    /// The methods `bodies` run by syntax, as [`Via::Protocol`] callees
    /// (sites in `file`).
    pub(super) fn implicit_callees(&self, bodies: &[SymbolId], file: Option<FileId>) -> Vec<Caller> {
        let edges = bodies.iter().flat_map(|&body| self.out_edges(body, EdgeKind::Runs).map(move |(span, callee)| (callee, file, span)));
        self.grouped(edges).into_iter().map(|c| Caller { via: Via::Protocol, ..c }).collect()
    }
}
