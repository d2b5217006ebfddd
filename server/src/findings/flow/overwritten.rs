//! The names every pass of a loop writes before anything reads them
//! (`for row in rows: line = format(row); out.write(line)`: `row` and
//! `line`). What such a name held when the pass began is read by nothing
//! but itself: it is overwritten first, and until then only the walk's
//! bookkeeping carries it (a merge after a branch joins each name with its
//! own values; a check's verdict marks every name holding the checked data,
//! each on its own). So a pass that starts with only these names changed
//! walks as the one before it did ([`super::loops`]).
//!
//! Conservative by construction: a name counts only when a plain
//! assignment at the top of the body (never skipped by the walk: a clause
//! that returns, raises or continues is dropped, not the statements after
//! it) writes it before any statement names it anywhere, or the `for`
//! target binds it. A statement holding a loop ends the search: an inner
//! loop compares all names to know when it settles, which would read the
//! old values of those not yet written.

use rustc_hash::FxHashSet;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt};

use super::loops::Head;

/// The names every pass of the loop of `head` over `body` writes before
/// reading them.
pub(super) fn overwritten_first<'a>(head: &Head<'a>, body: &'a [Stmt]) -> FxHashSet<&'a str> {
    let mut named = Named::default();
    let mut first = FxHashSet::default();
    match head {
        Head::For(target, _) if only_names(target) => {
            named.visit_expr(target);
            first.extend(named.names.iter().copied());
        }
        Head::For(target, _) => named.visit_expr(target),
        // A `while` test's `:=` reads its value before binding: named.
        Head::While(test) => named.visit_expr(test),
    }
    for stmt in body {
        if let Stmt::Assign(assign) = stmt
            && assign.targets.iter().all(Expr::is_name_expr)
        {
            let mut value = Named::default();
            value.visit_expr(&assign.value);
            let targets = assign.targets.iter().filter_map(Expr::as_name_expr).map(|t| t.id.as_str());
            first.extend(targets.filter(|t| !named.names.contains(t) && !value.names.contains(t)));
        }
        named.visit_stmt(stmt);
        if named.loops {
            break;
        }
    }
    first
}

/// Whether a `for` target binds names only (`x`, `k, (a, *b)`), none read.
fn only_names(target: &Expr) -> bool {
    match target {
        Expr::Name(_) => true,
        Expr::Tuple(t) => t.elts.iter().all(only_names),
        Expr::List(l) => l.elts.iter().all(only_names),
        Expr::Starred(s) => only_names(&s.value),
        _ => false,
    }
}

/// Every name a statement or expression spells, wherever (nested
/// functions, lambdas and comprehensions too), and whether it holds a loop.
#[derive(Default)]
struct Named<'a> {
    names: FxHashSet<&'a str>,
    loops: bool,
}

impl<'a> Visitor<'a> for Named<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.loops |= matches!(stmt, Stmt::For(_) | Stmt::While(_));
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Name(name) = expr {
            self.names.insert(name.id.as_str());
        }
        visitor::walk_expr(self, expr);
    }
}
