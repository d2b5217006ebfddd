//! Unannotated parameters typed by their callers: `def _parse_token(self,
//! info, ymd)` called as `self._parse_token(info, ymd)` with `info =
//! self.info` and `ymd = _ymd()` in scope there makes `info.hms()` and
//! `ymd.append()` calls of those classes' methods.
//!
//! The calls in the function's own file are read (`f(x)` naming the
//! function, `self.m(x)`/`cls.m(x)` in its class, `Cls(x)` for
//! `__init__`), only while that file is linked. An edit inside one function
//! re-links only that function (local.rs) unless it touches a call whose
//! arguments typed a parameter of another: the calls read are kept
//! (`Resolver::caller_typed`) for that check.
//!
//! A module-level function or class is also typed by its calls in the
//! files that import it (`from .core import cached`, then
//! `cached(LRUCache(...))`; `import pkg.core` or `from pkg import core`,
//! then `core.cached(...)`), their arguments evaluated there (where a
//! parameter is typed by nothing: only the linked file's parameters take
//! their callers' types, so no chain of files types another). What those
//! files pass is no part of their interface: the names read are kept
//! (`Resolver::caller_names`), and an edit of such a call re-links this
//! file (importers.rs).
//!
//! The types are the union of what the call sites pass that is known; a
//! site passing something unknown adds nothing (the calls found are those
//! that may run, not all of them).

use super::exprs::{Slot, ValueExpr};
use super::ty::{Ty, union};
use crate::graph::resolve::{Resolver, Value};
use crate::graph::summary::{BindingKind, DefinitionId, DefinitionKind, FileSummary, ParameterKind, ScopeId, ScopeKind, Span};
use crate::graph::{FileId, Name};

/// Call sites of one function read at most, in its file and in the files
/// importing it each (a helper called everywhere costs no more than this).
const MAX_CALL_SITES: usize = 32;

/// Files importing a function whose calls are read at most (the first by
/// path).
const MAX_CALLER_FILES: usize = 16;

/// Where a call passes the parameter typed: its position among the
/// arguments (after a bound `self`), its keyword when it takes one.
pub(super) struct Wanted<'a> {
    pub(super) position: Option<usize>,
    pub(super) keyword: Option<&'a str>,
}

impl Wanted<'_> {
    /// Whether an argument at `slot` is passed to the parameter.
    fn takes(&self, slot: &Slot) -> bool {
        match slot {
            Slot::Position(i) => self.position == Some(*i as usize),
            Slot::Keyword(keyword) => self.keyword == Some(keyword.as_str()),
        }
    }
}

/// How the calls of a function are written in its file.
pub(super) enum Callers {
    /// `f(x)`: a function, by its name where the name is bound to it.
    Function(DefinitionId),
    /// `self.m(x)` or `cls.m(x)` inside a method of the class.
    Method(DefinitionId),
    /// `Cls(x)` running `Cls.__init__`, the class by its name.
    Constructor(DefinitionId),
}

impl<'g> Resolver<'g> {
    /// What the calls in `file` of `function` pass to its parameter at
    /// index `parameter`, when `file` is the one being linked.
    pub(super) fn caller_argument_types(&mut self, file: FileId, function: DefinitionId, parameter: usize, depth: u32) -> Vec<Ty> {
        let mut out = Vec::new();
        self.each_caller_site(file, function, parameter, &mut |r, site, index, wanted| {
            let passed = r.passed_types(site, index, wanted, depth, false);
            union(&mut out, passed);
        });
        out
    }

    /// What the default of `function`'s parameter at index `parameter`
    /// gives it, which every call leaving the parameter out passes
    /// (`suppress_lt=Suppress("<")`, `codec=DEFAULT_CODEC`): a name, or a
    /// call of one, read where the function is defined. A function there
    /// is the callback rule's, as a function passed is (see
    /// [`Self::passed_types`]).
    pub(super) fn default_types(&mut self, file: FileId, function: DefinitionId, parameter: usize, depth: u32) -> Vec<Ty> {
        let Some(def) = self.entry(file).map(|e| &e.summary.definitions[function as usize]) else { return Vec::new() };
        let default = def.signature.as_ref().and_then(|s| s.parameters.get(parameter)).and_then(|p| p.default.as_deref());
        let Some(value) = default.and_then(|d| default_value(d, def.scope, def.range.start)) else { return Vec::new() };
        let mut types = self.eval(file, &value, depth);
        types.retain(|ty| !matches!(ty, Ty::Function(..)));
        types
    }

    /// The expressions the calls of `function` (see
    /// [`Self::caller_argument_types`]) pass to its parameter at index
    /// `parameter`, each with the file to read it in: a call passed
    /// (`take(n, pairs(xs))`), or what a local passed was bound to (`it =
    /// pairs(xs)`, then `take(n, it)`).
    pub(in crate::graph) fn caller_argument_values(&mut self, file: FileId, function: DefinitionId, parameter: usize) -> Vec<(FileId, ValueExpr)> {
        let mut out = Vec::new();
        self.each_caller_site(file, function, parameter, &mut |r, site, index, wanted| {
            for value in r.passed_values(site, index, wanted) {
                out.push((site, value));
            }
        });
        out
    }

    /// Calls `each` with every call of `function` (in its file, and in the
    /// files importing it when it is at module level) that may pass its
    /// parameter at index `parameter`: the call's file, its index in the
    /// file's references and where the parameter is passed.
    fn each_caller_site(&mut self, file: FileId, function: DefinitionId, parameter: usize, each: &mut dyn FnMut(&mut Self, FileId, u32, &Wanted)) {
        if !self.home(file) {
            return;
        }
        let graph = self.graph;
        let Some(entry) = graph.file(file) else { return };
        let summary = &entry.summary;
        let def = &summary.definitions[function as usize];
        let Some(parameters) = def.signature.as_ref().map(|s| &s.parameters) else { return };
        let Some(wanted) = parameters.get(parameter) else { return };
        if matches!(wanted.kind, ParameterKind::VarPositional | ParameterKind::VarKeyword) {
            return;
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
            return; // `self` itself
        }
        let by_keyword = wanted.kind != ParameterKind::PositionalOnly;
        let wanted = Wanted { position, keyword: by_keyword.then_some(wanted.name.as_str()) };
        self.each_call_site(file, callers, name, &wanted, def.range, each);
    }

    /// Calls `each` with every call named `name` of what `callers` describes
    /// (in `file`, and in the files importing it when it is at module level),
    /// for a parameter passed as `wanted`; `typed` is where the code whose
    /// types the calls give is written (an edit of such a call elsewhere
    /// re-links the file).
    pub(super) fn each_call_site(
        &mut self,
        file: FileId,
        callers: Callers,
        name: &str,
        wanted: &Wanted,
        typed: Span,
        each: &mut dyn FnMut(&mut Self, FileId, u32, &Wanted),
    ) {
        if !self.home(file) {
            return;
        }
        let graph = self.graph;
        let Some(entry) = graph.file(file) else { return };
        let summary = &entry.summary;
        match callers {
            Callers::Method(_) => {
                self.caller_typed.insert((format!("self.{name}"), typed));
                self.caller_typed.insert((format!("cls.{name}"), typed));
            }
            _ => {
                self.caller_typed.insert((name.to_owned(), typed));
            }
        }
        // `cls(x)` in a class method of the class constructs it too.
        let selves = match callers {
            Callers::Constructor(class) => class_method_selves(summary, class),
            _ => Vec::new(),
        };
        for called in std::iter::once(name).chain(selves) {
            if called != name {
                self.caller_typed.insert((called.to_owned(), typed));
            }
            for &index in entry.calls_named(called).iter().take(MAX_CALL_SITES) {
                if self.calls_function(file, summary, index, &callers) {
                    each(self, file, index, wanted);
                }
            }
        }
        // A module-level function or class, called where it is imported.
        let target = match callers {
            Callers::Function(def) | Callers::Constructor(def) if summary.definitions[def as usize].scope == 0 => def,
            _ => return,
        };
        // Where it is imported: by name (`from m import f`), and through its
        // module, or a package above it, imported whole (`import m`, then
        // `m.f(...)`) or by name (`from pkg import m`, then `m.f(...)`).
        let mut keys = vec![name.to_owned()];
        let mut module = entry.module.as_str();
        while !module.is_empty() {
            keys.push(crate::graph::importers::module_key(module));
            let (parent, last) = module.rsplit_once('.').unwrap_or(("", module));
            keys.push(last.to_owned());
            module = parent;
        }
        let mut files: Vec<FileId> = Vec::new();
        for key in keys {
            for other in graph.importers_of(&key).iter().copied().filter(|&f| f != file).take(MAX_CALLER_FILES) {
                if !files.contains(&other) {
                    files.push(other);
                }
            }
            self.caller_names.insert(key);
        }
        for other in files {
            let Some(importer) = self.entry(other) else { continue };
            for &index in importer.calls_named(name).iter().take(MAX_CALL_SITES) {
                let reference = &importer.summary.references[index as usize];
                let start = reference.start;
                let calls_target = self
                    .resolve_dotted(other, reference.scope, &reference.chain, start)
                    .is_some_and(|v| v.alternatives().contains(&Value::Definition(file, target)));
                if calls_target {
                    each(self, other, index, wanted);
                }
            }
        }
    }

    /// The arguments the call reference at `index` of `file` passes to
    /// the parameter `wanted`: each the name or chain written (read where
    /// it is written), and whether it is called there (`f(Item(x))`).
    fn passed(&self, file: FileId, index: u32, wanted: &Wanted) -> Vec<(Name, ScopeId, u32, bool)> {
        let Some(entry) = self.graph.file(file) else { return Vec::new() };
        let summary = &entry.summary;
        let (_, callee) = summary.references[index as usize].last_segment();
        summary
            .arguments_of(callee)
            .filter(|a| wanted.takes(&a.slot))
            .filter_map(|a| Some((Name::new(a.chain(entry.text())?), summary.scope_at(a.span.start), a.span.start, a.called(entry.text()))))
            .collect()
    }

    /// What the call reference at `index` of `file` passes to the
    /// parameter `wanted`, evaluated there.
    /// `functions`: whether a function passed counts (not for a parameter:
    /// the callback rule's, callbacks.rs).
    pub(super) fn passed_types(&mut self, file: FileId, index: u32, wanted: &Wanted, depth: u32, functions: bool) -> Vec<Ty> {
        let mut out = Vec::new();
        for (chain, scope, at, called) in self.passed(file, index, wanted) {
            let mut types = if called {
                // `f(Item(x))` passes what `x = Item(x); f(x)` would.
                self.eval(file, &ValueExpr::Call(Box::new(ValueExpr::Chain { chain, scope, at })), depth)
            } else {
                match self.foreign_local(file, scope, &chain, at) {
                    Some((value, members)) => {
                        let mut types = self.eval(file, value, depth);
                        for member in members.split('.').filter(|m| !m.is_empty()) {
                            types = self.members_types(&types, member, depth);
                        }
                        types
                    }
                    None => self.eval(file, &ValueExpr::Chain { chain, scope, at }, depth),
                }
            };
            // A function passed to a parameter is the callback rule's
            // (callbacks.rs): typing the parameter by it would add a
            // second, direct edge at each call through the parameter.
            types.retain(|ty| functions || !matches!(ty, Ty::Function(..)));
            union(&mut out, types);
        }
        out
    }

    /// The expressions the call reference at `index` of `file` passes to
    /// the parameter `wanted` (see [`Self::caller_argument_values`]).
    fn passed_values(&mut self, file: FileId, index: u32, wanted: &Wanted) -> Vec<ValueExpr> {
        let mut out = Vec::new();
        for (chain, scope, at, called) in self.passed(file, index, wanted) {
            if called {
                out.push(ValueExpr::Call(Box::new(ValueExpr::Chain { chain, scope, at })));
            } else if !chain.contains('.')
                && let Some(value) = self.local_value(file, scope, &chain, at)
            {
                out.push(value.clone());
            }
        }
        out
    }

    /// What the function-local `name` read at `at` of `file` was bound to
    /// (in the file being linked, or in another: [`Self::foreign_local`]).
    fn local_value(&mut self, file: FileId, scope: ScopeId, name: &str, at: u32) -> Option<&'g ValueExpr> {
        if !self.home(file) {
            return self.foreign_local(file, scope, name, at).map(|(value, _)| value);
        }
        let summary = &self.graph.file(file)?.summary;
        let binding = &summary.bindings[self.lookup(file, scope, name, at)? as usize];
        let local = matches!(binding.kind, BindingKind::Local | BindingKind::Join) && summary.scopes[binding.scope as usize].kind == ScopeKind::Function;
        local.then_some(())?;
        binding.value.as_deref()
    }

    /// When `file` is not the one being linked and `chain` starts with a
    /// local of a function there (`info = Info()`, then `lonely(info)`,
    /// which the file's interface does not show): the value it is bound
    /// to at `at`, and the rest of the chain. The value is evaluated as
    /// any other file's (no locals of its own are seen).
    fn foreign_local<'c>(&mut self, file: FileId, scope: ScopeId, chain: &'c str, at: u32) -> Option<(&'g ValueExpr, &'c str)> {
        if self.home(file) {
            return None;
        }
        let (first, members) = chain.split_once('.').unwrap_or((chain, ""));
        self.open_locals = Some(file);
        let binding = self.lookup(file, scope, first, at);
        self.open_locals = None;
        let summary = &self.graph.file(file)?.summary;
        let binding = &summary.bindings[binding? as usize];
        let local = binding.kind == BindingKind::Local && summary.scopes[binding.scope as usize].kind == ScopeKind::Function;
        local.then_some(())?;
        Some((binding.value.as_deref()?, members))
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
            Callers::Function(def) => !reference.chain.contains('.') && bound_to(self, def),
            Callers::Constructor(class) => {
                let own = |r: &mut Self| {
                    r.lookup(file, reference.scope, &reference.chain, start).is_some_and(|b| {
                        let binding = &summary.bindings[b as usize];
                        binding.kind == BindingKind::Parameter { self_of: Some(class) }
                            && is_class_method(summary, summary.scopes[binding.scope as usize].definition)
                    })
                };
                !reference.chain.contains('.') && (bound_to(self, class) || own(self))
            }
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

/// A parameter's default as a value inference follows: a dotted name
/// (`DEFAULT_CODEC`, `codecs.utf_8`) or a call of one (`Suppress("<")`),
/// what it returns without its arguments (as an implicit call's receiver,
/// summary/implicit.rs); `None` and the other constants give nothing.
fn default_value(text: &str, scope: ScopeId, at: u32) -> Option<ValueExpr> {
    let (callee, called) = match text.split_once('(') {
        Some((callee, arguments)) if closes_at_end(arguments) => (callee.trim_end(), true),
        Some(_) => return None,
        None => (text, false),
    };
    let identifier = |part: &str| part.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') && part.chars().all(|c| c.is_alphanumeric() || c == '_');
    if !callee.split('.').all(identifier) || matches!(callee, "None" | "True" | "False") {
        return None;
    }
    let chain = ValueExpr::Chain { chain: Name::new(callee), scope, at };
    Some(if called { ValueExpr::Call(Box::new(chain)) } else { chain })
}

/// Whether the text after a call's `(` closes the call at its end
/// (`"<")`, not `x)(y)` nor `x).name`), strings skipped.
fn closes_at_end(arguments: &str) -> bool {
    let (mut depth, mut quote, mut escaped) = (1u32, None, false);
    for (i, c) in arguments.char_indices() {
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '(' => depth += 1,
            None if c == ')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1 == arguments.len();
                }
            }
            None => {}
        }
    }
    false
}

/// The names the class methods of `class` call it by: their first
/// parameters (`cls`).
fn class_method_selves(summary: &FileSummary, class: DefinitionId) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for scope in summary.scopes.iter().filter(|s| s.kind == ScopeKind::Function) {
        let Some(def) = scope.definition.filter(|&d| is_class_method(summary, Some(d))) else { continue };
        let def = &summary.definitions[def as usize];
        if summary.scopes[def.scope as usize].definition != Some(class) {
            continue;
        }
        let first = def.signature.as_ref().and_then(|s| s.parameters.first()).map(|p| p.name.as_str());
        if let Some(first) = first.filter(|f| !out.contains(f)) {
            out.push(first);
        }
    }
    out
}

/// Whether `def` is a method decorated `@classmethod`.
fn is_class_method(summary: &FileSummary, def: Option<DefinitionId>) -> bool {
    def.map(|d| &summary.definitions[d as usize])
        .is_some_and(|d| d.kind == DefinitionKind::Method && d.decorators.iter().any(|name| name == "classmethod" || name.ends_with(".classmethod")))
}
