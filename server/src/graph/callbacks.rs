//! Callbacks: a function passed to code that calls it is called from
//! there. `apply(handler)` with `def apply(fn): return fn()` calls
//! `handler` at `fn()` in `apply`; `sorted(rows, key=by_name)` calls
//! `by_name` where `sorted` is called (the builtin has no code of its own
//! to call it from). Found at query time from the names passed
//! ([`super::summary::Argument`]) and the calls of parameters, like
//! override dispatch: no edges stored, nothing to re-link when either
//! side changes.

use super::dispatch::Via;
use super::forwarded::MAX_FORWARDS;
use super::infer::exprs::{Slot, ValueExpr};
use super::queries::Caller;
use super::resolve::Resolved;
use super::summary::{Argument, BindingKind, Block, Definition, DefinitionKind, FileSummary, Parameter, ParameterKind, ScopeKind};
use super::{EdgeKind, FileId, Graph, Location, Span, SymbolId, SymbolKind};

/// Library functions that call a function passed to them (before they
/// return, or later), with the position and the keyword it is passed at.
const HIGHER_ORDER: &[(&str, Option<u32>, Option<&str>)] = &[
    ("builtins.sorted", None, Some("key")),
    ("builtins.min", None, Some("key")),
    ("builtins.max", None, Some("key")),
    ("builtins.list.sort", None, Some("key")),
    ("builtins.map", Some(0), None),
    ("builtins.filter", Some(0), None),
    ("functools.reduce", Some(0), None),
    ("itertools.starmap", Some(0), None),
    ("itertools.filterfalse", Some(0), None),
    ("itertools.takewhile", Some(0), None),
    ("itertools.dropwhile", Some(0), None),
    ("itertools.groupby", Some(1), Some("key")),
    ("itertools.accumulate", Some(1), Some("func")),
    ("re.sub", Some(1), Some("repl")),
    ("re.subn", Some(1), Some("repl")),
    ("re.Pattern.sub", Some(0), Some("repl")),
    ("re.Pattern.subn", Some(0), Some("repl")),
    // Called later, from another thread or at exit: from where they are
    // handed over, as far as the graph can tell.
    ("threading.Thread", Some(1), Some("target")),
    ("threading.Timer", Some(1), Some("function")),
    ("concurrent.futures.Executor.submit", Some(0), Some("fn")),
    ("concurrent.futures.ThreadPoolExecutor.submit", Some(0), Some("fn")),
    ("concurrent.futures.ProcessPoolExecutor.submit", Some(0), Some("fn")),
    ("atexit.register", Some(0), Some("func")),
];

/// How many references or callers a callback query looks through (a hub
/// function passed or called everywhere must not cost a hover).
pub(super) const MAX_SITES: usize = 256;

/// A call of a function's parameter in its body: which parameter (its
/// index in the signature), the function the call is written in (the
/// function or one nested in it) and where.
pub(super) struct ParameterCall {
    pub(super) parameter: usize,
    pub(super) runs_in: SymbolId,
    pub(super) at: Location,
}

impl Graph {
    /// The places that call `id` because it was passed to them, as
    /// [`Via::Callback`] callers: the calls of the parameter it was passed
    /// to, or the call of a higher-order library function it was passed to.
    pub(super) fn callback_callers(&self, id: SymbolId) -> Vec<Caller> {
        let mut out: Vec<Caller> = Vec::new();
        if !self.is_function(id) {
            return out;
        }
        // Where `id` is named, and where a call returning it is made.
        let named = self.in_edges(id, EdgeKind::References).take(MAX_SITES).map(|(site, holder)| (site, holder, false));
        for (site, holder, made) in named.chain(self.factory_calls(id).into_iter().map(|(site, holder)| (site, holder, true))).collect::<Vec<_>>() {
            let Some((argument, call, callee)) = self.passed_at(holder, site, made) else {
                // `def remap(root, enter=default_enter)`: a call of the
                // parameter runs the default when the caller passes none.
                if let Some((function, parameter)) = self.defaulted_at(holder, site).filter(|_| !made) {
                    self.add_parameter_calls(&mut out, function, parameter, id, false);
                }
                continue;
            };
            if self.node(callee).is_some_and(|n| n.kind == SymbolKind::External) {
                if self.higher_order(callee, &argument.slot) && !self.calls_at(holder, site, id) {
                    add(&mut out, holder, Location { file: call.file, span: site });
                }
                continue;
            }
            let Some(parameter) = self.parameter_for(callee, &call, &argument.slot) else { continue };
            self.add_parameter_calls(&mut out, callee, parameter, id, self.result_dropped(&call));
        }
        for (decorator, site) in self.bare_decorator_sites(id) {
            if let Some(parameter) = self.parameter_for(decorator, &site, &Slot::Position(0)) {
                self.add_parameter_calls(&mut out, decorator, parameter, id, false);
            }
        }
        sorted(out)
    }

    /// Adds the calls of `function`'s parameter at index `parameter` (and
    /// of the attributes it is stored in) that may run `passed` to `out`;
    /// not those in a closure `function` returns when the call passing
    /// `passed` drops what it returns (`dropped`).
    fn add_parameter_calls(&self, out: &mut Vec<Caller>, function: SymbolId, parameter: usize, passed: SymbolId, dropped: bool) {
        self.add_forwarded_calls(out, function, parameter, passed, dropped, MAX_FORWARDS);
    }

    /// [`Self::add_parameter_calls`], and those of the parameters of the
    /// functions it is handed on to (`apply(fn, x)` in `relay`), `depth`
    /// hand-overs deep.
    fn add_forwarded_calls(&self, out: &mut Vec<Caller>, function: SymbolId, parameter: usize, passed: SymbolId, dropped: bool, depth: usize) {
        let mut calls = self.parameter_calls(function);
        calls.extend(self.stored_parameter_calls(function));
        let runs = |c: &ParameterCall| !(dropped && self.runs_when_returned(function, c.runs_in));
        for c in calls.into_iter().filter(|c| c.parameter == parameter && runs(c) && self.branch_admits(function, parameter, &c.at, passed)) {
            add(out, c.runs_in, c.at);
        }
        if depth > 0 {
            for forward in self.forwards(function).into_iter().filter(|f| f.parameter == parameter && f.to != function) {
                self.add_forwarded_calls(out, forward.to, forward.to_parameter, passed, self.result_dropped(&forward.call), depth - 1);
            }
        }
    }

    /// The function and the index of the parameter whose default value is
    /// the name at `site` (a reference from `holder`).
    fn defaulted_at(&self, holder: SymbolId, site: Span) -> Option<(SymbolId, usize)> {
        let file = self.node(holder)?.file?;
        let entry = self.file(file)?;
        entry.summary.definitions.iter().enumerate().find_map(|(def, d)| {
            if !d.range.touches(site.start) {
                return None;
            }
            let parameters = &d.signature.as_ref()?.parameters;
            let index = parameters.iter().position(|p| default_span(entry.text(), p).is_some_and(|at| at.start <= site.start && site.end <= at.end))?;
            Some((SymbolId(*entry.nodes.get(def)?), index))
        })
    }

    /// The workspace functions named as the defaults of `function`'s
    /// parameters, by parameter index (references from the scope around
    /// the `def`, where defaults are evaluated).
    pub(super) fn defaults_of(&self, function: SymbolId) -> Vec<(usize, SymbolId)> {
        let mut out = Vec::new();
        let (Some((_, definition)), Some(holder)) = (self.definition_of(function), self.container(function)) else { return out };
        let Some(text) = self.node(function).and_then(|n| self.file(n.file?)).map(|e| e.text()) else { return out };
        let Some(signature) = &definition.signature else { return out };
        for (index, parameter) in signature.parameters.iter().enumerate() {
            let Some(at) = default_span(text, parameter) else { continue };
            for (site, named) in self.out_edges(holder, EdgeKind::References) {
                if at.start <= site.start && site.end <= at.end && self.is_function(named) {
                    out.push((index, named));
                }
            }
        }
        out
    }

    /// The functions `id` calls because they were passed to it (calls of
    /// its parameters, with what its callers pass), and those it passes to
    /// a higher-order library function, as [`Via::Callback`] callees.
    pub(super) fn callback_callees(&self, id: SymbolId) -> Vec<Caller> {
        let mut out: Vec<Caller> = Vec::new();
        for body in self.bodies(id) {
            let named = self.out_edges(body, EdgeKind::References).filter(|&(_, passed)| self.is_function(passed)).map(|(site, passed)| (site, passed, false));
            for (site, passed, made) in named.chain(self.closures_made(body).into_iter().map(|(site, closure)| (site, closure, true))).collect::<Vec<_>>() {
                if let Some((argument, call, callee)) = self.passed_at(body, site, made)
                    && self.higher_order(callee, &argument.slot)
                    && !self.calls_at(body, site, passed)
                {
                    add(&mut out, passed, Location { file: call.file, span: site });
                }
            }
            // A closure's calls of its parameters are written in `id` too.
            self.add_passed(&mut out, body, &self.parameter_calls(body));
            if body == id {
                self.closure_callback_callees(id, &mut out);
            }
            // `self.callback()`: what the methods that store a parameter in
            // the attribute were passed.
            let Some(file) = self.node(body).and_then(|n| n.file) else { continue };
            for (site, attribute) in self.out_edges(body, EdgeKind::References).collect::<Vec<_>>() {
                if self.node(attribute).is_none_or(|n| n.kind != SymbolKind::Variable) || !self.called_at(file, site) {
                    continue;
                }
                let Some(class) = self.container(attribute) else { continue };
                for method in self.children(class).into_iter().filter(|&m| self.node(m).is_some_and(|n| n.kind == SymbolKind::Method)) {
                    let stored: Vec<usize> = self.stored_parameters(method).into_iter().filter(|&(_, a)| a == attribute).map(|(p, _)| p).collect();
                    // `def __init__(self, handler=return_none)`: the default
                    // is stored when a caller passes none.
                    let defaults = self.defaults_of(method).into_iter().filter(|(p, _)| stored.contains(p));
                    for (_, passed) in self.passed_for(method, stored.iter().copied(), false).into_iter().chain(defaults) {
                        add(&mut out, passed, Location { file, span: site });
                    }
                }
            }
        }
        sorted(out)
    }

    /// Adds what runs at `calls` (calls of `function`'s parameters) to
    /// `out`: what `function`'s callers pass, or the defaults; at a call
    /// in a closure `function` returns, only what the callers that keep
    /// the closure pass.
    pub(super) fn add_passed(&self, out: &mut Vec<Caller>, function: SymbolId, calls: &[ParameterCall]) {
        for returned in [false, true] {
            let calls: Vec<&ParameterCall> = calls.iter().filter(|c| self.runs_when_returned(function, c.runs_in) == returned).collect();
            if calls.is_empty() {
                continue;
            }
            let mut runs = self.passed_for(function, calls.iter().map(|c| c.parameter), returned);
            runs.extend(self.defaults_of(function));
            for (parameter, passed) in runs {
                for c in calls.iter().filter(|c| c.parameter == parameter && self.branch_admits(function, parameter, &c.at, passed)) {
                    add(out, passed, c.at.clone());
                }
            }
        }
    }

    /// The workspace functions `function`'s callers pass to the
    /// parameters `wanted` (indices in its signature), by parameter; with
    /// `kept`, only at calls that keep what `function` returns.
    pub(super) fn passed_for(&self, function: SymbolId, wanted: impl Iterator<Item = usize>, kept: bool) -> Vec<(usize, SymbolId)> {
        self.passed_through(function, &wanted.collect::<Vec<_>>(), kept, MAX_FORWARDS)
    }

    /// [`Self::passed_for`], and what the callers' own callers pass when a
    /// caller hands on its parameter (`relay(fn, x)` calling `apply(fn,
    /// x)`), `depth` hand-overs up.
    fn passed_through(&self, function: SymbolId, wanted: &[usize], kept: bool, depth: usize) -> Vec<(usize, SymbolId)> {
        let mut out = Vec::new();
        if wanted.is_empty() {
            return out;
        }
        for caller in self.callers(function).into_iter().take(MAX_SITES) {
            for call in caller.sites.iter().filter(|&call| !(kept && self.result_dropped(call))) {
                for (argument, passed) in self.passed_to(caller.symbol, call) {
                    if let Some(parameter) = self.parameter_for(function, call, &argument.slot).filter(|p| wanted.contains(p)) {
                        out.push((parameter, passed));
                    }
                }
                if depth == 0 || caller.symbol == function {
                    continue;
                }
                for (argument, handed) in self.parameters_passed_to(caller.symbol, call) {
                    if let Some(parameter) = self.parameter_for(function, call, &argument.slot).filter(|p| wanted.contains(p)) {
                        out.extend(self.passed_through(caller.symbol, &[handed], false, depth - 1).into_iter().map(|(_, passed)| (parameter, passed)));
                    }
                }
            }
        }
        // A bare decorator is called with the function it decorates (a
        // class's `__init__` after `self`).
        for (site, holder) in self.in_edges(function, EdgeKind::Calls).take(MAX_SITES).collect::<Vec<_>>() {
            let Some(decorated) = self.decorated_at(holder, site) else { continue };
            let Some(file) = self.node(holder).and_then(|n| n.file) else { continue };
            if let Some(parameter) = self.parameter_for(function, &Location { file, span: site }, &Slot::Position(0)).filter(|p| wanted.contains(p)) {
                out.push((parameter, decorated));
            }
        }
        out
    }

    /// The argument whose name is at `site` (a reference from `holder`),
    /// the call it is passed to and what that call is bound to; with
    /// `made`, the argument that calls the name there.
    fn passed_at(&self, holder: SymbolId, site: Span, made: bool) -> Option<(Argument, Location, SymbolId)> {
        let file = self.node(holder)?.file?;
        // A call passed (`take(n, pairs(xs))`) hands on its result, not the name.
        let entry = self.file(file)?;
        let argument = entry.summary.argument_at(site).filter(|a| a.called(entry.text()) == made)?.clone();
        let (_, callee) = self.out_edges(holder, EdgeKind::Calls).find(|(at, _)| *at == argument.callee)?;
        Some((argument.clone(), Location { file, span: argument.callee }, callee))
    }

    /// The workspace functions passed by name at the call at `call`
    /// (written in `holder`).
    fn passed_to(&self, holder: SymbolId, call: &Location) -> Vec<(Argument, SymbolId)> {
        let Some(entry) = self.file(call.file) else { return Vec::new() };
        let references: Vec<(Span, SymbolId)> = self.out_edges(holder, EdgeKind::References).filter(|&(_, named)| self.is_function(named)).collect();
        let made = self.closures_made(holder);
        let arguments = entry.summary.arguments.iter().filter(|a| a.callee == call.span);
        // A name passed, or the closures a call passed returns.
        arguments
            .flat_map(|a| {
                let passed = if a.called(entry.text()) { &made } else { &references };
                passed.iter().filter(|(at, _)| *at == a.span).map(|&(_, named)| (a.clone(), named))
            })
            .collect()
    }

    /// Whether the library function `callee` calls what it is passed at `slot`.
    pub(super) fn higher_order(&self, callee: SymbolId, slot: &Slot) -> bool {
        if self.node(callee).is_none_or(|n| n.kind != SymbolKind::External) {
            return false;
        }
        HIGHER_ORDER.iter().any(|&(name, position, keyword)| {
            name == self.qualified_name(callee.0)
                && match slot {
                    Slot::Position(i) => position == Some(*i),
                    Slot::Keyword(k) => keyword == Some(k.as_str()),
                }
        })
    }

    /// The index in `function`'s signature of the parameter that `slot`
    /// of the call at `call` binds.
    pub(super) fn parameter_for(&self, function: SymbolId, call: &Location, slot: &Slot) -> Option<usize> {
        let (summary, definition) = self.definition_of(function)?;
        let parameters = &definition.signature.as_ref()?.parameters;
        let positional = |p: &&super::summary::Parameter| matches!(p.kind, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword);
        let chosen = match slot {
            // Positions past the named ones go to `*args`.
            Slot::Position(i) => {
                let skip = usize::from(self.binds_first_parameter(summary, definition, call));
                parameters.iter().filter(positional).nth(*i as usize + skip).or_else(|| parameters.iter().find(|p| p.kind == ParameterKind::VarPositional))?
            }
            Slot::Keyword(name) => parameters.iter().find(|p| &p.name == name && p.kind != ParameterKind::PositionalOnly)?,
        };
        parameters.iter().position(|p| std::ptr::eq(p, chosen))
    }

    /// The calls of `function`'s parameters in its body (and in the
    /// functions nested in it, where the name still means the parameter).
    pub(super) fn parameter_calls(&self, function: SymbolId) -> Vec<ParameterCall> {
        let mut out = Vec::new();
        let Some(file) = self.node(function).and_then(|n| n.file) else { return out };
        self.each_parameter(function, |summary, index, name, means_parameter| {
            let called = summary.references.iter().filter(|r| r.call && r.receiver().is_none() && !r.from_super && r.chain == name);
            for reference in called {
                let span = reference.span();
                if means_parameter(span.start)
                    && let Some(runs_in) = self.enclosing_symbol(file, span.start)
                {
                    out.push(ParameterCall { parameter: index, runs_in, at: Location { file, span } });
                }
            }
        });
        out.extend(self.higher_order_passes(function));
        out
    }

    /// The calls of the attributes a method stores its parameters in
    /// (`self.callback = callback` in `__init__`, then `self.callback()`
    /// anywhere): they call what was passed.
    fn stored_parameter_calls(&self, method: SymbolId) -> Vec<ParameterCall> {
        let mut out = Vec::new();
        for (parameter, attribute) in self.stored_parameters(method) {
            for (span, runs_in) in self.in_edges(attribute, EdgeKind::References).take(MAX_SITES) {
                if let Some(file) = self.node(runs_in).and_then(|n| n.file).filter(|&f| self.called_at(f, span)) {
                    out.push(ParameterCall { parameter, runs_in, at: Location { file, span } });
                }
            }
        }
        out
    }

    /// The (parameter index, attribute) pairs of the parameters a method
    /// assigns, as they were passed, to attributes of its class (`self.x
    /// = x`, or one alternative of `x or default`).
    fn stored_parameters(&self, method: SymbolId) -> Vec<(usize, SymbolId)> {
        let mut out = Vec::new();
        let Some(entry) = self.node(method).and_then(|n| self.file(n.file?)) else { return out };
        let Some((_, definition)) = self.definition_of(method) else { return out };
        if entry.summary.scopes.get(definition.scope as usize).is_none_or(|s| s.kind != ScopeKind::Class) {
            return out;
        }
        let body = definition.body;
        self.each_parameter(method, |summary, index, name, means_parameter| {
            let stores = |value: &ValueExpr| match value {
                ValueExpr::Chain { chain, scope, at } => Some(*scope) == body && chain == name && means_parameter(*at),
                _ => false,
            };
            let alternatives = |v: &ValueExpr| match v {
                ValueExpr::Either(values) => values.iter().any(stores),
                other => stores(other),
            };
            for (i, d) in summary.definitions.iter().enumerate() {
                if d.scope == definition.scope && d.kind == DefinitionKind::Variable && d.values.iter().any(alternatives) {
                    out.extend(entry.nodes.get(i).map(|&node| (index, SymbolId(node))));
                }
            }
        });
        out
    }

    /// Calls `each` with every parameter of `function`: its index in the
    /// signature, its name, and whether the name at an offset of the file
    /// means that parameter (it is not rebound there, nor shadowed).
    pub(super) fn each_parameter(&self, function: SymbolId, mut each: impl FnMut(&FileSummary, usize, &str, &dyn Fn(u32) -> bool)) {
        let Some((summary, definition)) = self.definition_of(function) else { return };
        let (Some(signature), Some(body), Some(file)) = (&definition.signature, definition.body, self.node(function).and_then(|n| n.file)) else {
            return;
        };
        for (index, parameter) in signature.parameters.iter().enumerate() {
            let Some(binding) =
                summary.bindings.iter().find(|b| b.scope == body && b.name == parameter.name && matches!(b.kind, BindingKind::Parameter { .. }))
            else {
                continue;
            };
            let rebinds: Vec<(Span, Block)> = summary
                .bindings
                .iter()
                .filter(|b| b.scope == body && b.name == parameter.name && b.range != binding.range)
                .map(|b| (b.range, summary.block_of(b)))
                .collect();
            let means_parameter = |at: u32| {
                definition.range.touches(at)
                    && match self.definition(file, at) {
                        Some(Resolved::Local { file: f, span }) if f == file && span == binding.range => true,
                        // `if not callable(key): key = getter(key)`, then
                        // `key(item)`: the parameter's value may still be there.
                        // Each rebinding before `at` is in the body of an
                        // `if`, a loop or a `try` (one that may not run it)
                        // that ends before `at`; not in an `else` or
                        // `except` body (the branch beside it may rebind too).
                        Some(Resolved::Local { file: f, span }) if f == file && rebinds.iter().any(|(r, _)| *r == span) => {
                            rebinds.iter().filter(|(r, _)| r.start < at).all(|(_, block)| block.skippable_end().is_some_and(|end| end <= at))
                        }
                        _ => false,
                    }
            };
            each(summary, index, &parameter.name, &means_parameter);
            if parameter.kind == ParameterKind::VarPositional {
                self.each_element(file, summary, definition.range, &parameter.name, &means_parameter, |name, means_element| {
                    each(summary, index, name, means_element)
                });
            }
        }
    }

    /// Calls `each` with the loop variables that iterate `*args` (`for fn
    /// in fns`, `[wrap(fn) for fn in fns]` in `range`), each with whether
    /// the name at an offset means that variable: each thing passed.
    fn each_element(
        &self,
        file: FileId,
        summary: &FileSummary,
        range: Span,
        name: &str,
        means_parameter: &dyn Fn(u32) -> bool,
        mut each: impl FnMut(&str, &dyn Fn(u32) -> bool),
    ) {
        let iterates = |value: Option<&ValueExpr>| match value {
            Some(ValueExpr::Iterate(iterated)) => matches!(&**iterated, ValueExpr::Chain { chain, at, .. } if chain == name && means_parameter(*at)),
            _ => false,
        };
        for element in summary.bindings.iter().filter(|b| b.kind == BindingKind::Local && range.touches(b.range.start) && iterates(b.value.as_deref())) {
            let means_element = |at: u32| {
                range.touches(at) && matches!(self.definition(file, at), Some(Resolved::Local { file: f, span }) if f == file && span == element.range)
            };
            each(&element.name, &means_element);
        }
    }

    /// Whether a call binds the method's first parameter itself: called on
    /// an instance (`obj.m(x)`) or constructing its class (`Cls(x)` runs
    /// `__init__(self, x)`); not a static method, nor a method called
    /// through its class by name (`Base.m(self, x)`).
    fn binds_first_parameter(&self, summary: &FileSummary, definition: &Definition, call: &Location) -> bool {
        let Some(class) = summary.scopes.get(definition.scope as usize).and_then(|s| s.definition).and_then(|d| summary.definitions.get(d as usize)) else {
            return false; // a function, not a method
        };
        let decorated = |name: &str| definition.decorators.iter().any(|d| d == name || d.ends_with(&format!(".{name}")));
        if decorated("staticmethod") {
            return false;
        }
        let Some(text) = self.file(call.file).map(|e| e.text()) else { return false };
        if text.get(call.span.range()) != Some(definition.name.as_str()) {
            return true; // `Cls(x)`: the constructor
        }
        let receiver = text.get(..call.span.start as usize).unwrap_or_default().trim_end().strip_suffix('.').map(str::trim_end);
        decorated("classmethod") || receiver.is_some_and(|r| !r.ends_with(class.name.as_str()))
    }

    /// A workspace symbol's file summary and definition.
    pub(super) fn definition_of(&self, id: SymbolId) -> Option<(&FileSummary, &Definition)> {
        let node = self.node(id)?;
        let summary = &self.file(node.file?)?.summary;
        Some((summary, summary.definitions.get(node.definition? as usize)?))
    }

    /// Whether `holder` has a call edge to `target` at `site` already (a
    /// bound method passed, `key=self.rank`, is a call by name there).
    fn calls_at(&self, holder: SymbolId, site: Span, target: SymbolId) -> bool {
        self.out_edges(holder, EdgeKind::Calls).any(|(at, callee)| at == site && callee == target)
    }

    /// Whether the name at `span` is called there (`self.callback(x)`: an
    /// attribute whose value inference does not know has a reference edge
    /// there, no call edge).
    fn called_at(&self, file: FileId, span: Span) -> bool {
        self.file(file).and_then(|e| e.text().get(span.end as usize..)).is_some_and(|rest| rest.trim_start().starts_with('('))
    }

    /// Whether a symbol is a workspace function or method (a class passed
    /// is constructed where it is called, which constructors already show).
    pub(super) fn is_function(&self, id: SymbolId) -> bool {
        self.node(id).is_some_and(|n| matches!(n.kind, SymbolKind::Function | SymbolKind::Method))
    }
}

/// Where a parameter's default value is written (`enter=default_enter`:
/// `default_enter`), from the text after the parameter's name and
/// annotation.
fn default_span(text: &str, parameter: &Parameter) -> Option<Span> {
    let default = parameter.default.as_deref().filter(|d| !d.is_empty())?;
    let after = text.get(parameter.range.end as usize..)?;
    let rest = after.trim_start().strip_prefix('=')?.trim_start();
    let start = parameter.range.end + (after.len() - rest.len()) as u32;
    rest.starts_with(default).then(|| Span::new(start, start + default.len() as u32))
}

/// Each symbol's places in text order.
fn sorted(mut callers: Vec<Caller>) -> Vec<Caller> {
    for caller in &mut callers {
        caller.sites.sort();
    }
    callers
}

/// Adds a place to `out`, grouped by symbol.
pub(super) fn add(out: &mut Vec<Caller>, symbol: SymbolId, at: Location) {
    match out.iter_mut().find(|c| c.symbol == symbol) {
        Some(known) if known.sites.contains(&at) => {}
        Some(known) => known.sites.push(at),
        None => out.push(Caller { symbol, sites: vec![at], via: Via::Callback }),
    }
}
