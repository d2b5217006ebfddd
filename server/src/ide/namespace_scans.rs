//! A module listing its own names whole: `inspect.getmembers(
//! sys.modules[__name__], inspect.isclass)`, `for k, v in globals().items()`,
//! `vars()`, `dir()`. What it finds is every definition there by being
//! there: a definition moved out is silently missing from it (a registry
//! loses a class), so the move refuses.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Comprehension, Expr, Stmt};
use ruff_text_size::Ranged;

use super::namespace_listing::{self, Namespace};
use crate::graph::Span;

/// Where `body` (a module) first lists its own namespace whole.
pub(super) fn first(body: &[Stmt]) -> Option<Span> {
    let mut scan = Scan(None);
    scan.visit_body(body);
    scan.0
}

struct Scan(Option<Span>);

impl Scan {
    fn found(&mut self, expr: &Expr) {
        self.0.get_or_insert(Span::from(expr.range()));
    }
}

impl<'a> Visitor<'a> for Scan {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if let Stmt::For(f) = stmt
            && own_namespace(&f.iter)
        {
            self.found(&f.iter);
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_comprehension(&mut self, comprehension: &'a Comprehension) {
        if own_namespace(&comprehension.iter) {
            self.found(&comprehension.iter);
        }
        visitor::walk_comprehension(self, comprehension);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr {
            // `getmembers(sys.modules[__name__])`, `list(globals())`, `vars(sys.modules[__name__])`.
            // `getattr(sys.modules[__name__], "handle_" + kind)` looks one name up (`name_lookups`).
            let by_name = matches!(&*call.func, Expr::Name(n) if matches!(n.id.as_str(), "getattr" | "setattr" | "hasattr" | "delattr"));
            let handed = (!by_name && call.arguments.args.iter().any(own_namespace))
                || (own_namespace(expr) && matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "dir"));
            // `globals().items()`, `vars().copy()`.
            let listed =
                matches!(&*call.func, Expr::Attribute(a) if matches!(a.attr.as_str(), "items" | "keys" | "values" | "copy") && own_namespace(&a.value));
            if handed || listed {
                self.found(expr);
            }
        }
        visitor::walk_expr(self, expr);
    }
}

/// `sys.modules[__name__]`, or a listing of the module's own names.
fn own_namespace(expr: &Expr) -> bool {
    namespace_listing::own_module(expr) || namespace_listing::listed(expr) == Some(Namespace::Own)
}
