//! Code telling a definition's module by its `__module__` (`cls.__module__
//! == "pkg.old"`, `in ("pkg.old", …)`): a definition moved out answers
//! with its new module, and the comparison silently changes. The string
//! may mean other definitions of the module as well, so the move refuses
//! rather than rewrite it.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, ExprCompare};
use ruff_text_size::Ranged;

use super::parsed_files::ParsedFiles;
use crate::graph::{Graph, Location, Span};

/// The first comparison (files in the graph's order) of a `__module__`
/// with the string `module`.
pub(super) fn first(graph: &Graph, parsed: &ParsedFiles, module: &str) -> Option<Location> {
    let quoted = [format!("\"{module}\""), format!("'{module}'")];
    graph.files().find_map(|(file, entry)| {
        let text: &str = entry.text();
        if graph.is_library_path(&entry.path) || !text.contains("__module__") || !quoted.iter().any(|q| text.contains(q.as_str())) {
            return None;
        }
        let mut scan = Scan { module, found: None };
        scan.visit_body(&parsed.get(file).syntax().body);
        scan.found.map(|span| Location { file, span })
    })
}

struct Scan<'m> {
    module: &'m str,
    found: Option<Span>,
}

impl<'a> Visitor<'a> for Scan<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Compare(ExprCompare { left, comparators, .. }) = expr {
            let operands = || std::iter::once(&**left).chain(comparators.iter());
            let is_module = |e: &Expr| matches!(e, Expr::StringLiteral(s) if s.value.to_str() == self.module);
            let names = |e: &Expr| match e {
                Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) | Expr::Set(ast::ExprSet { elts, .. }) => {
                    elts.iter().any(is_module)
                }
                other => is_module(other),
            };
            let dunder = |e: &Expr| matches!(e, Expr::Attribute(a) if a.attr.as_str() == "__module__");
            if operands().any(names) && operands().any(dunder) {
                self.found.get_or_insert(Span::from(expr.range()));
            }
        }
        visitor::walk_expr(self, expr);
    }
}
