//! `__all__` changed in place by a call (`__all__.append("f")`,
//! `.extend([...])`, `.insert(i, "f")`): a move that takes `f` out of
//! the module edits `__all__ = [...]` and `+= [...]`, not these; left,
//! `from old import *` would name an attribute the module no longer has.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::{Ranged, TextRange};

/// The first call of `module_text` that adds `name` to `__all__` in place.
pub(super) fn added_in_place(module_text: &str, name: &str) -> Option<TextRange> {
    if !module_text.contains("__all__") {
        return None;
    }
    let parsed = ruff_python_parser::parse_module(module_text).ok()?;
    let mut finder = Finder { name, found: None };
    finder.visit_body(&parsed.syntax().body);
    finder.found
}

struct Finder<'n> {
    name: &'n str,
    found: Option<TextRange>,
}

impl Finder<'_> {
    fn adds(&self, call: &ExprCall) -> bool {
        let Expr::Attribute(method) = &*call.func else { return false };
        let on_all = matches!(&*method.value, Expr::Name(n) if n.id.as_str() == "__all__");
        struct Named<'n>(&'n str, bool);
        impl<'a> Visitor<'a> for Named<'_> {
            fn visit_expr(&mut self, expr: &'a Expr) {
                self.1 |= matches!(expr, Expr::StringLiteral(s) if s.value.to_str() == self.0);
                visitor::walk_expr(self, expr);
            }
        }
        let mut named = Named(self.name, false);
        call.arguments.args.iter().for_each(|a| named.visit_expr(a));
        on_all && matches!(method.attr.as_str(), "append" | "extend" | "insert") && named.1
    }
}

impl<'a> Visitor<'a> for Finder<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && self.found.is_none()
            && self.adds(call)
        {
            self.found = Some(call.range());
        }
        visitor::walk_expr(self, expr);
    }
}
