//! Wrappers chosen by the function a call passes. A decorator or an alias
//! maker may define its wrapper in two branches, one for methods and one
//! for plain functions, and return the one that fits what it was passed:
//!
//! ```python
//! def replaced_by(name, fn):
//!     if ["self"] == list(inspect.signature(fn).parameters)[:1]:
//!         def _inner(self, *args, **kwargs): return fn(self, *args, **kwargs)
//!     else:
//!         def _inner(*args, **kwargs): return fn(*args, **kwargs)
//!     return _inner
//! ```
//!
//! Such tests are kept as [`Condition::SelfFirst`] branches. What the maker
//! returns is every branch's wrapper (`return _inner` reads the last one
//! written); a call passing a known function keeps the wrapper of the
//! branch that function takes, and a wrapper's call of `fn` runs only the
//! functions passed that take its branch. Where what is passed is not
//! known, every branch stays.

use super::infer::Ty;
use super::infer::generics::CallSite;
use super::resolve::Resolver;
use super::summary::{Condition, Definition, DefinitionKind, FileSummary, ParameterKind};
use super::{FileId, Graph, Location, SymbolId};
use crate::graph::summary::DefinitionId;

impl Resolver<'_> {
    /// Adds to what a function returns the wrappers defined in the other
    /// branches of a parameter test, beside one it returns.
    pub(in crate::graph) fn branch_twins(&mut self, file: FileId, out: &mut Vec<Ty>) {
        let Some(summary) = self.entry_global(file).map(|e| &e.summary) else { return };
        if !summary.branches.iter().any(|b| b.tests.iter().any(|(c, _)| c.tests_parameter())) {
            return;
        }
        let mut twins = Vec::new();
        for ty in out.iter() {
            let Ty::Function(f, def, receiver) = *ty else { continue };
            let Some(returned) = summary.definitions.get(def as usize).filter(|_| f == file) else { continue };
            if !in_parameter_branch(summary, returned.range.start) {
                continue;
            }
            for (other, d) in summary.definitions.iter().enumerate() {
                let twin = Ty::Function(file, other as DefinitionId, receiver);
                if other as DefinitionId != def
                    && d.name == returned.name
                    && d.scope == returned.scope
                    && d.kind == returned.kind
                    && in_parameter_branch(summary, d.range.start)
                    && !out.contains(&twin)
                    && !twins.contains(&twin)
                {
                    twins.push(twin);
                }
            }
        }
        out.extend(twins);
    }

    /// Of what a call of `callee` returns, drops the wrappers whose
    /// branch the call's arguments rule out.
    pub(in crate::graph) fn choose_by_arguments(&mut self, callee: (FileId, DefinitionId), call: CallSite, out: &mut Vec<Ty>, depth: u32) {
        let (file, def) = callee;
        let Some(summary) = self.entry_global(file).map(|e| &e.summary) else { return };
        let Some(function) = summary.definitions.get(def as usize) else { return };
        let mut decided: Vec<(String, Option<bool>)> = Vec::new();
        let mut keep = Vec::with_capacity(out.len());
        for ty in out.iter() {
            let Ty::Function(f, wrapper, _) = *ty else {
                keep.push(true);
                continue;
            };
            let start = summary.definitions.get(wrapper as usize).map(|w| w.range.start).filter(|_| f == file);
            let Some(start) = start.filter(|&s| function.range.start <= s && s < function.range.end) else {
                keep.push(true);
                continue;
            };
            let mut admitted = true;
            for branch in summary.branches.iter().filter(|b| b.range.start <= start && start < b.range.end) {
                for (condition, runs_when) in &branch.tests {
                    let mut names = Vec::new();
                    parameters_tested(condition, &mut names);
                    for name in names {
                        if !decided.iter().any(|(n, _)| n == name) {
                            let value = self.passes_self_first(file, def, call, name, depth);
                            decided.push((name.to_owned(), value));
                        }
                    }
                    let first = |p: &str| decided.iter().find(|(n, _)| n == p).and_then(|(_, v)| *v);
                    admitted &= decide(condition, &first).is_none_or(|v| v == *runs_when);
                }
            }
            keep.push(admitted);
        }
        let mut kept = keep.into_iter();
        out.retain(|_| kept.next().unwrap_or(true));
    }

    /// Whether the function the call passes to `callee`'s parameter
    /// `name` takes `self` first (`None`: not known, or not one function).
    fn passes_self_first(&mut self, file: FileId, def: DefinitionId, call: CallSite, name: &str, depth: u32) -> Option<bool> {
        let d = self.definition(file, def)?;
        let parameters = super::infer::generics::own_parameters(d.kind, &d.decorators, &d.signature.as_ref()?.parameters);
        let positional = parameters.iter().filter(|p| matches!(p.kind, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword));
        let argument = match positional.clone().position(|p| p.name == name) {
            Some(index) if index < call.arguments.positional.len() => &call.arguments.positional[index],
            _ => &call.arguments.keywords.iter().find(|(keyword, _)| *keyword == name)?.1,
        };
        let mut answer = None;
        for ty in self.eval(call.file, argument, depth) {
            let Ty::Function(f, d, _) = ty else { return None };
            let first = takes_self_first(self.definition(f, d)?)?;
            if answer.is_some_and(|a| a != first) {
                return None;
            }
            answer = Some(first);
        }
        answer
    }
}

impl Graph {
    /// Whether the call of `function`'s parameter at `at` may run
    /// `passed`: not when it is written in a branch of a test on that
    /// parameter that `passed` does not take.
    pub(super) fn branch_admits(&self, function: SymbolId, parameter: usize, at: &Location, passed: SymbolId) -> bool {
        let (Some((summary, definition)), Some(node)) = (self.definition_of(function), self.node(function)) else { return true };
        if node.file != Some(at.file) || summary.branches.is_empty() {
            return true;
        }
        let Some(name) = definition.signature.as_ref().and_then(|s| s.parameters.get(parameter)).map(|p| p.name) else { return true };
        let Some(first) = self.definition_of(passed).and_then(|(_, d)| takes_self_first(d)) else { return true };
        let decided = |p: &str| (p == &*name).then_some(first);
        summary
            .branches
            .iter()
            .filter(|b| definition.range.start <= b.range.start && b.range.start <= at.span.start && at.span.start < b.range.end)
            .all(|b| b.tests.iter().all(|(condition, runs_when)| decide(condition, &decided).is_none_or(|v| v == *runs_when)))
    }
}

/// Whether a function takes `self` first (`None`: not a function).
fn takes_self_first(d: &Definition) -> Option<bool> {
    if !matches!(d.kind, DefinitionKind::Function | DefinitionKind::Method) {
        return None;
    }
    Some(d.signature.as_ref()?.parameters.first().is_some_and(|p| p.name == "self"))
}

/// Whether `offset` is in a branch of a test on a parameter's function.
fn in_parameter_branch(summary: &FileSummary, offset: u32) -> bool {
    summary.branches.iter().any(|b| b.range.start <= offset && offset < b.range.end && b.tests.iter().any(|(c, _)| c.tests_parameter()))
}

/// The parameters a condition tests.
fn parameters_tested<'a>(condition: &'a Condition, out: &mut Vec<&'a str>) {
    match condition {
        Condition::SelfFirst(name) => out.push(name),
        Condition::Not(inner) => parameters_tested(inner, out),
        Condition::All(parts) | Condition::Any(parts) => parts.iter().for_each(|p| parameters_tested(p, out)),
        _ => {}
    }
}

/// A condition's value where `first` decides its parameter tests (`None`:
/// something in it is not decided).
fn decide(condition: &Condition, first: &dyn Fn(&str) -> Option<bool>) -> Option<bool> {
    condition.fold(&|leaf| match leaf {
        Condition::SelfFirst(name) => first(name),
        _ => None,
    })
}
