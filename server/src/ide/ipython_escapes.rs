//! IPython's escapes in a notebook (`%time y = f(x)`, `!echo {total}`,
//! `out = !ls $folder`): lines the graph reads as opaque, whose text IPython
//! still runs as Python or expands from the user's names. An edit that
//! renames a name they spell cannot be checked, so it is refused.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, PySourceType, Stmt};
use ruff_text_size::Ranged;

use super::mentions::whole_word_ends;
use crate::graph::Span;

/// The first escape of a notebook's joined cells that spells `name` as a
/// whole word.
pub(super) fn spelling(text: &str, name: &str) -> Option<Span> {
    if whole_word_ends(text, name).next().is_none() {
        return None;
    }
    struct Escapes(Vec<Span>);
    impl<'a> Visitor<'a> for Escapes {
        fn visit_stmt(&mut self, stmt: &'a Stmt) {
            if let Stmt::IpyEscapeCommand(escape) = stmt {
                self.0.push(escape.range().into());
            }
            visitor::walk_stmt(self, stmt);
        }
        fn visit_expr(&mut self, expr: &'a Expr) {
            if let Expr::IpyEscapeCommand(escape) = expr {
                self.0.push(escape.range().into());
            }
            visitor::walk_expr(self, expr);
        }
    }
    let parsed = ruff_python_parser::parse_unchecked_source(text, PySourceType::Ipynb);
    let mut escapes = Escapes(Vec::new());
    escapes.visit_body(&parsed.syntax().body);
    escapes.0.into_iter().find(|span| text.get(span.range()).is_some_and(|escape| whole_word_ends(escape, name).next().is_some()))
}
