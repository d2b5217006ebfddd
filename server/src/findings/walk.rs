//! The one walk of a file's syntax tree that pyloom's own per-file checks
//! share: the security checks, named secrets and the graph checks' call
//! sites each look at every statement and expression as the walk passes it.
//! Walking the tree (the largest thing a check touches) once instead of
//! once per check was a visible share of `pyloom check`.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ModModule, Stmt};
use ruff_python_parser::Parsed;

use super::graph_checks::CallSites;
use super::secrets::NamedSecrets;
use super::security;

pub(super) struct Walk<'s> {
    pub(super) security: security::Checker<'s>,
    pub(super) secrets: NamedSecrets,
    /// `None` when the file does not parse (the graph checks would report
    /// on code that is being written).
    pub(super) calls: Option<CallSites>,
}

impl<'s> Walk<'s> {
    /// Every check walked over `parsed`, the tree of `source`.
    pub(super) fn run(source: &'s str, parsed: &'s Parsed<ModModule>) -> Walk<'s> {
        let mut calls = parsed.has_valid_syntax().then(CallSites::default);
        if let Some(calls) = &mut calls {
            calls.suite(&parsed.syntax().body);
        }
        let mut walk = Walk { security: security::Checker::new(source, parsed), secrets: NamedSecrets::default(), calls };
        for stmt in &parsed.syntax().body {
            walk.visit_stmt(stmt);
        }
        walk
    }
}

impl<'s> Visitor<'s> for Walk<'s> {
    fn visit_stmt(&mut self, stmt: &'s Stmt) {
        self.security.stmt(stmt);
        self.secrets.stmt(stmt);
        if let Some(calls) = &mut self.calls {
            calls.stmt(stmt);
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'s Expr) {
        self.secrets.expr(expr);
        if let (Some(calls), Expr::Call(call)) = (&mut self.calls, expr) {
            calls.add(call);
        }
        let in_query = self.security.expr(expr);
        visitor::walk_expr(self, expr);
        if in_query {
            self.security.leave_query();
        }
    }
}
