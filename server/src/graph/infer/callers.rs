//! Unannotated parameters typed by their callers: `def _parse_token(self,
//! info, ymd)` called as `self._parse_token(info, ymd)` with `info =
//! self.info` and `ymd = _ymd()` in scope there makes `info.hms()` and
//! `ymd.append()` calls of those classes' methods.
//!
//! Only the calls in the function's own file are read (`f(x)` naming the
//! function, `self.m(x)`/`cls.m(x)` in its class, `Cls(x)` for
//! `__init__`), and only while that file is linked: what another file
//! passes is no part of its interface, so no other file's edit can change
//! these types. An edit inside one function re-links only that function
//! (local.rs) unless it touches a call whose arguments typed a parameter
//! of another: the calls read are kept (`Resolver::caller_typed`) for that
//! check. The types are the union of what the call sites pass that is
//! known; a site passing something unknown adds nothing (the calls found
//! are those that may run, not all of them).

use super::exprs::{Slot, ValueExpr};
use super::ty::{Ty, union};
use crate::graph::resolve::Resolver;
use crate::graph::summary::{BindingKind, DefinitionId, DefinitionKind, FileSummary, ParameterKind, ScopeKind};
use crate::graph::{FileId, Name};

/// Call sites of one function read at most (a helper called everywhere
/// costs no more than this).
const MAX_CALL_SITES: usize = 32;

/// How the calls of a function are written in its file.
enum Callers {
    /// `f(x)`: a function, by its name where the name is bound to it.
    Function(DefinitionId),
    /// `self.m(x)` or `cls.m(x)` inside a method of the class.
    Method(DefinitionId),
    /// `Cls(x)` running `Cls.__init__`, the class by its name.
    Constructor(DefinitionId),
}

impl Resolver<'_> {
    /// What the calls in `file` of `function` pass to its parameter at
    /// index `parameter`, when `file` is the one being linked.
    pub(super) fn caller_argument_types(&mut self, file: FileId, function: DefinitionId, parameter: usize, depth: u32) -> Vec<Ty> {
        let mut out = Vec::new();
        if file != self.origin {
            return out;
        }
        let graph = self.graph;
        let Some(entry) = graph.file(file) else { return out };
        let summary = &entry.summary;
        let def = &summary.definitions[function as usize];
        let Some(parameters) = def.signature.as_ref().map(|s| &s.parameters) else { return out };
        let Some(wanted) = parameters.get(parameter) else { return out };
        if matches!(wanted.kind, ParameterKind::VarPositional | ParameterKind::VarKeyword) {
            return out;
        }
        let class = summary.scopes[def.scope as usize].definition.filter(|_| summary.scopes[def.scope as usize].kind == ScopeKind::Class);
        let decorated = |name: &str| def.decorators.iter().any(|d| d == name || d.ends_with(&format!(".{name}")));
        let (callers, name) = match class {
            Some(class) if def.name == "__init__" => (Callers::Constructor(class), summary.definitions[class as usize].name.as_str()),
            Some(class) => (Callers::Method(class), def.name.as_str()),
            None => (Callers::Function(function), def.name.as_str()),
        };
        // A method's first parameter is bound by the call (`self`, or `cls`
        // of a class method), but a static method's.
        let bound_first = class.is_some() && !decorated("staticmethod");
        let positional = parameters.iter().filter(|p| matches!(p.kind, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword));
        let position = positional.clone().position(|p| std::ptr::eq(p, wanted)).and_then(|i| i.checked_sub(usize::from(bound_first)));
        if bound_first && positional.clone().next().is_some_and(|first| std::ptr::eq(first, wanted)) {
            return out; // `self` itself
        }
        let by_keyword = wanted.kind != ParameterKind::PositionalOnly;
        match callers {
            Callers::Method(_) => {
                self.caller_typed.insert((format!("self.{name}"), def.range));
                self.caller_typed.insert((format!("cls.{name}"), def.range));
            }
            _ => {
                self.caller_typed.insert((name.to_owned(), def.range));
            }
        }
        let sites: Vec<u32> = self.call_sites(file, name).iter().copied().take(MAX_CALL_SITES).collect();
        for index in sites {
            let reference = &summary.references[index as usize];
            if !self.calls_function(file, summary, index, &callers) {
                continue;
            }
            let Some((_, callee)) = reference.segments().last() else { continue };
            for argument in summary.arguments_of(callee) {
                let passed = match &argument.slot {
                    Slot::Position(i) => position == Some(*i as usize),
                    Slot::Keyword(keyword) => by_keyword && keyword == &wanted.name,
                };
                if !passed {
                    continue;
                }
                let Some(chain) = argument.chain(&entry.text) else { continue };
                let expr = ValueExpr::Chain { chain: Name::new(chain), scope: summary.scope_at(argument.span.start), at: argument.span.start };
                // A function passed is the callback rule's (callbacks.rs):
                // typing the parameter by it would add a second, direct
                // edge at each call through the parameter.
                let mut types = self.eval(file, &expr, depth);
                types.retain(|ty| !matches!(ty, Ty::Function(..)));
                union(&mut out, types);
            }
        }
        out
    }

    /// The calls in `file` (the one being linked) whose called name's last
    /// segment is `name`, by index in its references.
    fn call_sites(&mut self, file: FileId, name: &str) -> &[u32] {
        let graph = self.graph;
        let sites = self.call_sites.get_or_insert_with(|| {
            let mut sites: rustc_hash::FxHashMap<&str, Vec<u32>> = rustc_hash::FxHashMap::default();
            if let Some(entry) = graph.file(file) {
                for (i, reference) in entry.summary.references.iter().enumerate() {
                    if reference.call && reference.receiver.is_none() && !reference.from_super {
                        let last = reference.chain.rsplit('.').next().unwrap_or_default();
                        sites.entry(last).or_default().push(i as u32);
                    }
                }
            }
            sites
        });
        sites.get(name).map_or(&[], Vec::as_slice)
    }

    /// Whether the call reference at `index` of `file` runs the function
    /// `callers` describes.
    fn calls_function(&mut self, file: FileId, summary: &FileSummary, index: u32, callers: &Callers) -> bool {
        let reference = &summary.references[index as usize];
        let start = reference.start;
        let bound_to = |r: &mut Self, def: DefinitionId| {
            r.lookup(file, reference.scope, &reference.chain, start).is_some_and(|b| summary.bindings[b as usize].kind == BindingKind::Definition(def))
        };
        match *callers {
            Callers::Function(def) | Callers::Constructor(def) => !reference.chain.contains('.') && bound_to(self, def),
            Callers::Method(class) => {
                let Some((receiver, _)) = reference.chain.split_once('.') else { return false };
                // `self.m(x)` in a method of the class (not of a nested one).
                let method = summary.enclosing_definition(reference.scope).map(|d| &summary.definitions[d as usize]);
                matches!(receiver, "self" | "cls")
                    && !reference.chain[receiver.len() + 1..].contains('.')
                    && method.is_some_and(|m| m.kind == DefinitionKind::Method)
                    && summary.enclosing_class(reference.scope) == Some(class)
            }
        }
    }
}
