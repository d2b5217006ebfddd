//! Uses of a function or class that the graph records without a call
//! and that still pass nothing on: an annotation (`def show(m: Movie)`
//! types `m`, it hands `Movie` to nobody) and, for an `__init__`, its
//! class's own name where the class is defined. Keyword checks that look
//! for the function "passed on as a value" skip them.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ModModule};
use ruff_text_size::Ranged;

use crate::graph::{Graph, Location, Span, SymbolId};

/// The annotations of a module (parameters, returns, annotated
/// assignments), as spans.
pub(super) fn annotations(module: &ModModule) -> Vec<Span> {
    struct Annotations(Vec<Span>);
    impl<'a> Visitor<'a> for Annotations {
        fn visit_annotation(&mut self, expr: &'a Expr) {
            self.0.push(expr.range().into());
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            visitor::walk_expr(self, expr);
        }
    }
    let mut found = Annotations(Vec::new());
    found.visit_body(&module.body);
    found.0
}

/// Whether the use of `function` at `at` passes nothing on: it lies in
/// one of the file's `annotations`, or it names the class of an
/// `__init__` where that class is defined.
pub(super) fn passes_nothing(graph: &Graph, function: SymbolId, at: &Location, annotations: &[Span]) -> bool {
    if annotations.iter().any(|a| a.start <= at.span.start && at.span.end <= a.end) {
        return true;
    }
    let class = graph.symbol(function).filter(|s| s.name == "__init__").and_then(|_| graph.container(function));
    class.and_then(|c| graph.location(c)).is_some_and(|l| l == *at)
}
