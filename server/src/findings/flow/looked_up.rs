//! The names of the file's helpers its walks may look up, so that only
//! those are summarised: a summary walks the helper's body (a walk per
//! parameter when several reach the return value), and most helpers of a
//! file with a sink are called only from functions that are never walked.
//!
//! A walk looks a helper of the file up at a call of a bare name
//! ([`super::eval`], `called_as`), and only at a call in the statements it
//! walks: not in the functions they define, which are walked on their own,
//! if at all. A summary walks the helper's body the same way, so the names
//! its body calls are looked up too ([`looked_up`] follows them). Every
//! walk that may look a name up still finds the summary it found before:
//! each summary is made from the summaries before it that its own body
//! looks up, which are all kept.

use rustc_hash::FxHashSet;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};

use super::nested_functions;

/// The names called bare in `walked` (the statements of each walk that may
/// look a helper up) and, in turn, in the bodies of `helpers` (the file's
/// functions that would be summarised) of those names.
pub(super) fn looked_up<'a>(walked: impl Iterator<Item = &'a [Stmt]>, helpers: &[&'a StmtFunctionDef]) -> FxHashSet<&'a str> {
    let mut names = BareCalls::default();
    walked.for_each(|body| names.visit_body(body));
    let mut followed = vec![false; helpers.len()];
    loop {
        let before = names.0.len();
        for (helper, followed) in helpers.iter().zip(&mut followed) {
            if !*followed && names.0.contains(helper.name.as_str()) {
                *followed = true;
                names.visit_body(&helper.body);
            }
        }
        if names.0.len() == before {
            return names.0;
        }
    }
}

/// The functions among `functions` and those they define (as the
/// reporting walks find them, or more) that `reports` wants walked.
pub(super) fn walked_functions<'a>(functions: &[&'a StmtFunctionDef], reports: impl Fn(&StmtFunctionDef) -> bool) -> Vec<&'a StmtFunctionDef> {
    let mut walked = Vec::new();
    let mut functions = functions.to_vec();
    while let Some(function) = functions.pop() {
        if reports(function) {
            walked.push(function);
        }
        functions.extend(nested_functions(&function.body));
    }
    walked
}

/// The names called bare in statements, outside the functions they define
/// (a class's bases and decorators too, which the walk does not evaluate:
/// a name more is only a summary more).
#[derive(Default)]
struct BareCalls<'a>(FxHashSet<&'a str>);

impl<'a> Visitor<'a> for BareCalls<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !stmt.is_function_def_stmt() {
            visitor::walk_stmt(self, stmt);
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && let Expr::Name(name) = call.func.as_ref()
        {
            self.0.insert(name.id.as_str());
        }
        visitor::walk_expr(self, expr);
    }
}
