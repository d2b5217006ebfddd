//! Decorators as callbacks: `@register` above `def handler` passes
//! `handler` to `register`, so where `register` calls its first parameter
//! (in the wrapper it returns, `def inner(*a): return f(*a)`), `handler`
//! is called. Only bare decorators: `@route("/")` passes the function to
//! what `route` returns, which the graph does not follow.

use super::queries::Caller;
use super::{EdgeKind, Graph, Span, SymbolId, SymbolKind};

impl Graph {
    /// The workspace functions `id` is decorated with, bare.
    pub(super) fn bare_decorators(&self, id: SymbolId) -> Vec<SymbolId> {
        let (Some((_, definition)), Some(holder)) = (self.definition_of(id), self.container(id)) else { return Vec::new() };
        let Some(text) = self.node(id).and_then(|n| self.file(n.file?)).map(|e| &e.text) else { return Vec::new() };
        let header = Span::new(definition.range.start, definition.name_range.start);
        // Applying a decorator is a call of it (the reference is marked
        // called), and names it.
        self.out_edges(holder, EdgeKind::Calls)
            .filter(|&(site, named)| header.start <= site.start && site.end <= header.end && self.is_function(named) && is_bare_decorator(text, site))
            .map(|(_, named)| named)
            .collect()
    }

    /// The function that the bare decorator named at `site` (a reference
    /// from `holder`) decorates.
    pub(super) fn decorated_at(&self, holder: SymbolId, site: Span) -> Option<SymbolId> {
        let entry = self.file(self.node(holder)?.file?)?;
        if !is_bare_decorator(&entry.text, site) {
            return None;
        }
        let def = entry.summary.definitions.iter().position(|d| d.range.start <= site.start && site.end <= d.name_range.start)?;
        Some(SymbolId(*entry.nodes.get(def)?)).filter(|&decorated| self.is_function(decorated))
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
            if calls.is_empty() {
                continue;
            }
            let mut runs = self.passed_for(outer, calls.iter().map(|c| c.parameter));
            runs.extend(self.defaults_of(outer));
            for (parameter, passed) in runs {
                for c in calls.iter().filter(|c| c.parameter == parameter) {
                    super::callbacks::add(out, passed, c.at.clone());
                }
            }
        }
    }
}

/// Whether the name at `site` is a whole decorator (`@register`,
/// `@hooks.register`), not called there nor part of a larger expression.
fn is_bare_decorator(text: &str, site: Span) -> bool {
    let (Some(before), Some(after)) = (text.get(..site.start as usize), text.get(site.end as usize..)) else { return false };
    let line = before.rsplit('\n').next().unwrap_or(before).trim_start();
    let rest = after.split('\n').next().unwrap_or(after).trim();
    line.strip_prefix('@').is_some_and(|prefix| prefix.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.'))
        && (rest.is_empty() || rest.starts_with('#'))
}
