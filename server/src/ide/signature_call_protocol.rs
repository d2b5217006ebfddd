//! A change of `__call__`'s parameters: its calls are the calls of the
//! class's instances (`op(9, 1)`, `Op()(9, 2)`), which can be found where
//! an instance is called on the spot or through a local name of a
//! function that is only called. An instance stored, returned or passed
//! on is called where no rewrite reaches: the change is refused.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprContext, Stmt};
use ruff_text_size::Ranged;

use super::occurrences;
use super::signature_rewrite::Calls;
use crate::graph::explain::place;
use crate::graph::{Graph, Location, Span, SymbolId, SymbolKind};

/// The calls of `call` (a `__call__` method) through its class's
/// instances, each by its callee (`Op()` in `Op()(9, 2)`, `op` in
/// `op(9, 1)`), or why they cannot all be known: the class has
/// subclasses, or an instance of it is made where it is not only called.
pub fn instance_calls(graph: &Graph, call: SymbolId) -> Result<Vec<Location>, String> {
    let class = graph.container(call).filter(|c| graph.symbol(*c).is_some_and(|s| s.kind == SymbolKind::Class)).ok_or("`__call__` outside a class")?;
    let symbol = graph.symbol(class).ok_or("the class is not in the graph")?;
    let name = symbol.name;
    if let Some(sub) = graph.implementations(class).into_iter().next().and_then(|s| graph.symbol(s)) {
        return Err(format!("`{name}` has subclass `{}`, whose instances are called where the graph may not see it", sub.qualified_name));
    }
    let location = graph.location(class).ok_or("the class has no place")?;
    // An instance calling itself (`self(x)`) is a call no occurrence of the class shows.
    let body = symbol.file.and_then(|f| graph.file(f)).and_then(|e| e.text().get(symbol.range.range())).unwrap_or_default();
    if body.contains("self(") {
        return Err(format!("an instance of `{name}` calls itself (`self(...)`) in its class: the change refuses rather than guess those calls"));
    }
    let target = occurrences::target_at(graph, location.file, location.span.start).map_err(|e| e.to_string())?;
    let mut found = Vec::new();
    for occurrence in occurrences::everywhere(graph, &target) {
        if occurrence.span == location.span {
            continue;
        }
        let file = occurrence.file;
        let entry = graph.file(file).ok_or("a file left the graph")?;
        let at = place(graph, &Location { file, span: occurrence.span });
        let refused = || format!("an instance of `{name}` made at {at} is stored, rebound, returned or passed on, where its calls cannot be updated");
        if super::signature_change::in_import(&entry.summary.imports, occurrence.span) {
            continue;
        }
        let Ok(parsed) = ruff_python_parser::parse_module(entry.text()) else { return Err(format!("{at} has syntax errors; fix them first")) };
        let mut calls = Calls::default();
        calls.visit_body(&parsed.syntax().body);
        // `Op(...)`: the instance, then where it goes.
        let Some(made) = calls.by_callee_end.get(&(occurrence.span.end as usize)) else { return Err(refused()) };
        let made_end = made.inner.end + 1;
        if calls.by_callee_end.contains_key(&made_end) {
            found.push(Location { file, span: Span::new(occurrence.span.start, made_end as u32) });
            continue;
        }
        let mut flow = Flow { made_end, local: None, loads: Vec::new(), stores: Vec::new(), function: None };
        flow.visit_body(&parsed.syntax().body);
        let Some((local, function)) = flow.local.zip(flow.function) else { return Err(refused()) };
        let mut loads = Flow { made_end: usize::MAX, local: Some(local), loads: Vec::new(), stores: Vec::new(), function: None };
        loads.visit_body(&parsed.syntax().body);
        let only_called = loads.stores.len() == 1
            && loads.loads.iter().filter(|s| function.start <= s.start && s.end <= function.end).count() == loads.loads.len()
            && loads.loads.iter().all(|s| calls.by_callee_end.contains_key(&(s.end as usize)));
        if !only_called {
            return Err(refused());
        }
        found.extend(loads.loads.into_iter().map(|span| Location { file, span }));
    }
    Ok(found)
}

/// Where an instance made by the call ending at `made_end` goes: the
/// name it is assigned to (`op = Op()`) inside a function (whose range is
/// kept); or, with `local` given, every load of that name.
struct Flow {
    made_end: usize,
    local: Option<String>,
    loads: Vec<Span>,
    /// The bindings of `local` (another value bound to it is not the instance).
    stores: Vec<Span>,
    function: Option<Span>,
}

impl Flow {
    fn in_function(&mut self, body: &[Stmt], range: Span) {
        for stmt in body {
            if let Stmt::Assign(assign) = stmt
                && assign.value.end().to_usize() == self.made_end
                && let [Expr::Name(target)] = assign.targets.as_slice()
            {
                self.local = Some(target.id.to_string());
                self.function = Some(range);
            }
        }
    }
}

impl<'a> Visitor<'a> for Flow {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::FunctionDef(def) = stmt
            && self.made_end != usize::MAX
        {
            self.in_function(&def.body, Span::new(def.start().to_u32(), def.end().to_u32()));
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(n) = expr
            && self.made_end == usize::MAX
            && self.local.as_deref() == Some(n.id.as_str())
        {
            let span = Span::new(n.start().to_u32(), n.end().to_u32());
            if n.ctx == ExprContext::Load { self.loads.push(span) } else { self.stores.push(span) }
        }
        visitor::walk_expr(self, expr);
    }
}
