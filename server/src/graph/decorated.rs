//! Decorators as callbacks: `@register` above `def handler` passes
//! `handler` to `register`, so where `register` calls its first parameter
//! (in the wrapper it returns, `def inner(*a): return f(*a)`), `handler`
//! is called. Only bare decorators: `@route("/")` passes the function to
//! what `route` returns, which the graph does not follow.

use super::dispatch::Via;
use super::hooks::{add_sites, sort_sites};
use super::infer::ValueExpr;
use super::queries::Caller;
use super::{EdgeKind, Graph, Location, Span, SymbolId, SymbolKind};

impl Graph {
    /// The workspace functions `id` is decorated with, bare.
    pub(super) fn bare_decorators(&self, id: SymbolId) -> Vec<SymbolId> {
        self.bare_decorator_sites(id).into_iter().map(|(decorator, _)| decorator).collect()
    }

    /// [`Self::bare_decorators`], each with where it is applied (a class
    /// applied is its `__init__`, called with the function after `self`).
    pub(super) fn bare_decorator_sites(&self, id: SymbolId) -> Vec<(SymbolId, Location)> {
        let (Some((_, definition)), Some(holder)) = (self.definition_of(id), self.container(id)) else { return Vec::new() };
        let Some(file) = self.node(id).and_then(|n| n.file) else { return Vec::new() };
        let Some(text) = self.file(file).map(|e| e.text()) else { return Vec::new() };
        let header = Span::new(definition.range.start, definition.name_range.start);
        // Applying a decorator is a call of it (the reference is marked
        // called), and names it.
        self.out_edges(holder, EdgeKind::Calls)
            .filter(|&(site, named)| header.start <= site.start && site.end <= header.end && self.is_function(named) && is_bare_decorator(text, site))
            .map(|(span, named)| (named, Location { file, span }))
            .collect()
    }

    /// The function that the bare decorator named at `site` (a reference
    /// from `holder`) decorates.
    pub(super) fn decorated_at(&self, holder: SymbolId, site: Span) -> Option<SymbolId> {
        let entry = self.file(self.node(holder)?.file?)?;
        if !is_bare_decorator(entry.text(), site) {
            return None;
        }
        let def = entry.summary.definitions.iter().position(|d| d.range.start <= site.start && site.end <= d.name_range.start)?;
        Some(SymbolId(*entry.nodes.get(def)?)).filter(|&decorated| self.is_function(decorated))
    }

    /// The nested functions `decorator` returns by name (`def deco(f):
    /// @wraps(f) def inner(*a): ...; return inner`): the wrapper that a
    /// call of a function it decorates runs (and that calls the function).
    pub(super) fn returned_wrappers(&self, decorator: SymbolId) -> Vec<SymbolId> {
        let Some((_, definition)) = self.definition_of(decorator) else { return Vec::new() };
        let mut returned: Vec<&str> = definition
            .values
            .iter()
            .filter_map(|value| match value {
                ValueExpr::Chain { chain, scope, .. } if Some(*scope) == definition.body => Some(chain.as_str()),
                _ => None,
            })
            .collect();
        // An annotated function's returns are not its values (`->
        // ParseAction`): the names it returns are kept apart.
        returned.extend(definition.signature.iter().flat_map(|s| s.returned_names.iter()).map(|name| name.as_str()));
        if returned.is_empty() {
            return Vec::new();
        }
        self.out_edges(decorator, EdgeKind::Contains)
            .map(|(_, inner)| inner)
            .filter(|&inner| self.node(inner).is_some_and(|n| n.kind == SymbolKind::Function) && self.symbol(inner).is_some_and(|s| returned.contains(&s.name)))
            .collect()
    }

    /// The wrappers that the calls in `direct` (what a function calls)
    /// run in place of the functions they name: those the functions' bare
    /// workspace decorators return, at the same sites, as
    /// [`Via::Wrapper`] callees.
    pub(super) fn wrapper_callees(&self, direct: &[Caller]) -> Vec<Caller> {
        let mut out = Vec::new();
        for callee in direct {
            for wrapper in self.bare_decorators(callee.symbol).into_iter().flat_map(|d| self.returned_wrappers(d)) {
                add_sites(&mut out, wrapper, callee.sites.iter().cloned(), Via::Wrapper);
            }
        }
        sort_sites(&mut out);
        out
    }

    /// The calls that run `id`, a wrapper its decorator returns: those of
    /// the functions the decorator decorates (bare), as [`Via::Wrapper`]
    /// callers.
    pub(super) fn wrapper_callers(&self, id: SymbolId) -> Vec<Caller> {
        let Some(decorator) = self.container(id).filter(|&d| self.returned_wrappers(d).contains(&id)) else { return Vec::new() };
        let applied: Vec<_> = self.in_edges(decorator, EdgeKind::Calls).collect();
        applied
            .into_iter()
            .filter_map(|(site, holder)| self.decorated_at(holder, site))
            .flat_map(|decorated| self.callers(decorated))
            .map(|caller| Caller { via: Via::Wrapper, ..caller })
            .collect()
    }

    /// The functions around a nested function `id`, innermost first: a
    /// call of one of their parameters written in `id` runs in `id`.
    pub(super) fn enclosing_functions(&self, id: SymbolId) -> Vec<SymbolId> {
        let mut out = Vec::new();
        let mut current = id;
        while let Some(outer) = self.container(current).filter(|&c| self.node(c).is_some_and(|n| n.kind == SymbolKind::Function)) {
            out.push(outer);
            current = outer;
        }
        out
    }

    /// [`Graph::callback_callees`] of a closure: the calls it makes of the
    /// parameters of the functions around it, with what they are passed.
    pub(super) fn closure_callback_callees(&self, id: SymbolId, out: &mut Vec<Caller>) {
        let bodies = self.bodies(id);
        for outer in self.enclosing_functions(id) {
            let calls: Vec<_> = self.parameter_calls(outer).into_iter().filter(|c| bodies.contains(&c.runs_in)).collect();
            self.add_passed(out, outer, &calls);
        }
    }
}

/// Whether the name at `site` is a whole decorator (`@register`,
/// `@hooks.register`), not called there nor part of a larger expression.
pub(super) fn is_bare_decorator(text: &str, site: Span) -> bool {
    let (Some(before), Some(after)) = (text.get(..site.start as usize), text.get(site.end as usize..)) else { return false };
    let line = before.rsplit('\n').next().unwrap_or(before).trim_start();
    let rest = after.split('\n').next().unwrap_or(after).trim();
    line.strip_prefix('@').is_some_and(|prefix| prefix.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.'))
        && (rest.is_empty() || rest.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use expect_test::{Expect, expect};

    use crate::graph::tests::calls_both_ways;

    /// What the symbol named by the cursor calls and who calls it.
    fn check_wrapper(fixture: &str, outgoing: Expect, incoming: Expect) {
        let (calls, callers) = calls_both_ways(fixture, false);
        outgoing.assert_eq(&calls);
        incoming.assert_eq(&callers);
    }

    /// A decorator returns the wrapper it defines: calling a decorated
    /// method runs the wrapper, which calls the method. The twins: a
    /// decorator that returns the function itself (a registry), a nested
    /// function it does not return, an undecorated method.
    const CACHED: &str = r#"
//- /rules.py
from functools import wraps
REGISTRY = []
def invalidates(f):
    @wraps(f)
    def inner_func(self, *args):
        rv = f(self, *args)
        self.reset()
        return rv
    def unused(self):
        return f(self)
    return inner_func
def register(f):
    def unused_too():
        return f
    REGISTRY.append(f)
    return f
class RuleSet:
    def reset(self): pass
    @invalidates
    def add(self, rule): pass
    @register
    def drop(self, rule): pass
    def plain(self, rule): pass
def build(rules):
    rs = RuleSet()
    rs.add(rules)
    rs.drop(rules)
    rs.plain(rules)
    return rs
"#;

    #[test]
    fn a_call_of_a_decorated_function_runs_the_wrapper_its_decorator_returns() {
        check_wrapper(
            &CACHED.replacen("def build", "def bu$0ild", 1),
            expect![[r#"
                rules.RuleSet at rules.py:25:10
                rules.RuleSet.add at rules.py:26:8
                rules.RuleSet.drop at rules.py:27:8
                rules.RuleSet.plain at rules.py:28:8
                rules.invalidates.inner_func at rules.py:26:8 (via decorator)
            "#]],
            expect![""],
        );
        check_wrapper(
            &CACHED.replacen("def inner_func", "def inner_f$0unc", 1),
            expect![[r#"
                functools.wraps at rules.py:4:6
                rules.RuleSet.add at rules.py:6:14 (via callback)
            "#]],
            expect![[r#"
                rules.build at rules.py:26:8 (via decorator)
            "#]],
        );
    }

    #[test]
    fn a_decorator_returning_the_function_or_a_nested_function_it_keeps_adds_no_wrapper() {
        check_wrapper(
            &CACHED.replacen("def unused(", "def unu$0sed(", 1),
            expect![[r#"
            rules.RuleSet.add at rules.py:10:16 (via callback)
        "#]],
            expect![""],
        );
        check_wrapper(&CACHED.replacen("def unused_too", "def unused_t$0oo", 1), expect![""], expect![""]);
    }

    /// An annotated decorator's returns are no values of it (`->
    /// Callable`): the names it returns are kept apart, whichever
    /// statement returns them (`if f: return inner` on one line too). The
    /// twin: a nested function returned only by another nested function.
    const ANNOTATED: &str = r#"
//- /rules.py
from typing import Callable
def plain(f) -> Callable:
    def inner_plain(self):
        return f(self)
    return inner_plain
def guarded(f) -> Callable:
    def inner_guarded(self):
        return f(self)
    if f: return inner_guarded
    return f
def nested(f) -> Callable:
    def inner_nested(self):
        return f(self)
    def maker():
        return inner_nested
    return f
class RuleSet:
    @plain
    def add(self): pass
    @guarded
    def drop(self): pass
    @nested
    def keep(self): pass
def bu$0ild(rs: RuleSet):
    rs.add()
    rs.drop()
    rs.keep()
"#;

    #[test]
    fn an_annotated_decorator_runs_the_wrappers_its_own_body_returns() {
        check_wrapper(
            ANNOTATED,
            expect![[r#"
                rules.RuleSet.add at rules.py:25:8
                rules.RuleSet.drop at rules.py:26:8
                rules.RuleSet.keep at rules.py:27:8
                rules.plain.inner_plain at rules.py:25:8 (via decorator)
                rules.guarded.inner_guarded at rules.py:26:8 (via decorator)
            "#]],
            expect![""],
        );
    }

    /// A class applied as a bare decorator is constructed with the
    /// function (`@lazy` above `def alphas`: `lazy.__init__(self, fn)`),
    /// which it stores and calls from its `__get__`; the twin stores it and
    /// never calls it.
    const DESCRIPTORS: &str = r#"
//- /sets.py
class lazy:
    def __init__(self, fn):
        self.fn = fn
    def __get__(self, obj, cls):
        return self.fn(cls)
class kept:
    def __init__(self, fn):
        self.fn = fn
    def __get__(self, obj, cls):
        return self.fn
class Sets:
    @lazy
    def alphas(cls):
        return "a"
    @kept
    def nums(cls):
        return "1"
"#;

    #[test]
    fn a_class_applied_as_a_decorator_calls_the_function_where_it_calls_what_it_stored() {
        check_wrapper(
            &DESCRIPTORS.replacen("def alphas", "def alph$0as", 1),
            expect![""],
            expect![[r#"
            sets.lazy.__get__ at sets.py:5:21 (via callback)
        "#]],
        );
        check_wrapper(&DESCRIPTORS.replacen("def nums", "def nu$0ms", 1), expect![""], expect![""]);
        check_wrapper(
            &DESCRIPTORS.replacen("def __get__", "def __g$0et__", 1),
            expect![[r#"
            sets.Sets.alphas at sets.py:5:21 (via callback)
        "#]],
            expect![""],
        );
    }
}
