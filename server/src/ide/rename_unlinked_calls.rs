//! A parameter passed by keyword at calls the graph does not tie to its
//! function, which a rename would leave with the old keyword: a call of a
//! method of an override hierarchy (`self.process(item=3)` in the base's
//! template method reaches `Sub.process`, whose parameter would keep its
//! name, or the other way round), a call of an instance reaching
//! `__call__` (`d(item=5)`), a call of a class reaching `__new__`
//! (`Token(text="ab")`), and a call of a name bound to a lambda
//! (`scale(item=3)`). Each is refused, naming the call.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use super::occurrences::Target;
use super::parsed_files::ParsedFiles;
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind};

/// Why `parameter` of the method `function` cannot be renamed.
pub(super) fn of_method(graph: &Graph, parsed: &ParsedFiles, function: SymbolId, parameter: &str) -> Result<(), String> {
    let Some(symbol) = graph.symbol(function).filter(|s| s.kind == SymbolKind::Method) else { return Ok(()) };
    let Some(class) = graph.container(function) else { return Ok(()) };
    let name = symbol.name;
    let class_name = graph.symbol(class).map(|c| c.name.to_owned()).unwrap_or_default();
    if name == "__call__" {
        return match keyword_call(graph, parsed, parameter, "", false, |callee| !is_definition(graph, callee)) {
            Some(at) => Err(format!(
                "the call at {at} passes `{parameter}` by keyword to a value that may be a `{class_name}`, whose `__call__` rename cannot tie to that call"
            )),
            None => Ok(()),
        };
    }
    if name == "__new__" {
        let mut family = vec![class];
        let mut i = 0;
        while let Some(&c) = family.get(i) {
            i += 1;
            family.extend(graph.subclasses(c).into_iter().filter(|s| !family.contains(s)).collect::<Vec<_>>());
        }
        let constructs = |callee: Option<Resolved>| matches!(callee, Some(Resolved::Symbol(c)) if family.contains(&c));
        return match keyword_call(graph, parsed, parameter, &class_name, true, constructs) {
            Some(at) => Err(format!(
                "the call at {at} constructs `{class_name}` passing `{parameter}` by keyword, which reaches `__new__` where rename cannot follow it"
            )),
            None => Ok(()),
        };
    }
    let other = graph
        .implementations(function)
        .into_iter()
        .next()
        .or_else(|| graph.overridden(function))
        .or_else(|| super::rename_guard::beside_in_a_subclass(graph, function, |_| true).map(|(_, other)| other));
    let Some(other) = other else { return Ok(()) };
    // A call that may run this method's hierarchy beyond the method itself:
    // one linked to it while it is overridden, one linked to the method
    // of a base it overrides, or one of unknown target. (A call linked to a
    // sibling's override, `Specifier.contains` beside
    // `SpecifierSet.contains`, cannot reach it.)
    let line = graph.self_and_ancestors(class);
    let overridden_below = !graph.implementations(function).is_empty();
    let member = |callee: Option<Resolved>| match callee {
        Some(Resolved::Symbol(c)) if c == function => overridden_below,
        Some(Resolved::Symbol(c)) => graph.symbol(c).is_some_and(|s| s.name == name) && graph.container(c).is_some_and(|k| line.contains(&k)),
        Some(Resolved::External(_)) => false,
        _ => true,
    };
    match keyword_call(graph, parsed, parameter, name, false, member) {
        Some(at) => {
            let shown = graph.symbol(other).map(|s| s.qualified_name.to_owned()).unwrap_or_default();
            let there = graph.location(other).map(|l| place(graph, &l)).unwrap_or_default();
            Err(format!(
                "the call at {at} passes `{parameter}` by keyword to `.{name}`, which may run `{shown}` at {there}, another method of its hierarchy, whose parameter would keep the old name"
            ))
        }
        None => Ok(()),
    }
}

/// Why the parameter of a lambda (`target`) cannot be renamed: a call of a
/// name that is no function or class passes it by keyword, and may call
/// the lambda through the name it is bound to.
pub(super) fn of_lambda(graph: &Graph, parsed: &ParsedFiles, target: &Target) -> Result<(), String> {
    let Some(Resolved::Local { file, span }) = target.denotes.first() else { return Ok(()) };
    let mut lambdas = LambdaParameters { span: *span, found: false };
    lambdas.visit_body(&parsed.get(*file).syntax().body);
    if !lambdas.found {
        return Ok(());
    }
    match keyword_call(graph, parsed, &target.name, "", false, |callee| !is_definition(graph, callee)) {
        Some(at) => {
            Err(format!("the call at {at} passes `{}` by keyword to a value that may be this lambda, which rename cannot tie to that call", target.name))
        }
        None => Ok(()),
    }
}

/// A function, method or class of the workspace, or anything outside it:
/// not a lambda or an instance.
fn is_definition(graph: &Graph, callee: Option<Resolved>) -> bool {
    match callee {
        Some(Resolved::Symbol(id)) => graph.symbol(id).is_some_and(|s| s.kind != SymbolKind::Variable),
        Some(Resolved::External(_)) => true,
        _ => false,
    }
}

/// The first call in the workspace passing `keyword` by name (or `**` a
/// mapping, with `unpacks`), whose callee ends with `last` (any callee for
/// "") and, resolved, is `wanted`; `super().last(…)` is not one.
fn keyword_call(graph: &Graph, parsed: &ParsedFiles, keyword: &str, last: &str, unpacks: bool, wanted: impl Fn(Option<Resolved>) -> bool) -> Option<String> {
    for (file, entry) in graph.files() {
        if graph.is_library_path(&entry.path) || !entry.text().contains(keyword) || !entry.text().contains(last) {
            continue;
        }
        let mut calls = Calls { keyword, last, unpacks, found: Vec::new() };
        calls.visit_body(&parsed.get(file).syntax().body);
        if let Some(span) = calls.found.into_iter().find(|(_, callee_end)| wanted(graph.definition(file, *callee_end))).map(|(span, _)| span) {
            return Some(at(graph, file, span));
        }
    }
    None
}

fn at(graph: &Graph, file: FileId, span: Span) -> String {
    place(graph, &Location { file, span })
}

/// Calls passing `keyword` (or `**`), with the end of their callee.
struct Calls<'k> {
    keyword: &'k str,
    last: &'k str,
    /// Whether `**` a mapping counts.
    unpacks: bool,
    found: Vec<(Span, u32)>,
}

impl Calls<'_> {
    fn passes(&self, call: &ExprCall) -> bool {
        let callee_matches = self.last.is_empty()
            || match &*call.func {
                Expr::Name(n) => n.id.as_str() == self.last,
                Expr::Attribute(a) => a.attr.as_str() == self.last,
                _ => false,
            };
        let through_super =
            matches!(&*call.func, Expr::Attribute(a) if matches!(&*a.value, Expr::Call(c) if matches!(&*c.func, Expr::Name(n) if n.id.as_str() == "super")));
        callee_matches && !through_super && call.arguments.keywords.iter().any(|k| k.arg.as_ref().map_or(self.unpacks, |a| a.as_str() == self.keyword))
    }
}

impl<'a> Visitor<'a> for Calls<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && self.passes(call)
        {
            let end = match &*call.func {
                Expr::Attribute(a) => a.attr.end(),
                other => other.end(),
            };
            self.found.push((Span::from(call.range()), end.to_u32()));
        }
        visitor::walk_expr(self, expr);
    }
}

/// Whether the parameter bound at `span` is a lambda's.
struct LambdaParameters {
    span: Span,
    found: bool,
}

impl<'a> Visitor<'a> for LambdaParameters {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Lambda(lambda) = expr
            && let Some(parameters) = &lambda.parameters
        {
            self.found |= parameters.iter().any(|p| Span::from(p.name().range()) == self.span);
        }
        visitor::walk_expr(self, expr);
    }
}
