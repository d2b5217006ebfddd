//! Module variables a function changes: `global X` then `X = ...`, or
//! `X[k] = ...`, `X.append(...)` on the module's own container. What the
//! module assigns them is then no proof of what a function reads there
//! later (`TARGET = "localhost"` at the top, `TARGET = sys.argv[1]` in
//! `parse()`), so the flow forgets their constant text.

use rustc_hash::FxHashSet;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ModModule, Stmt};

/// Methods that change the container they are called on.
const MUTATORS: &[&str] = &["append", "extend", "insert", "update", "setdefault", "add", "__setitem__", "appendleft", "extendleft"];

/// The module names some function (or method) of `module` rebinds or changes.
pub(super) fn changed_globals(module: &ModModule) -> FxHashSet<String> {
    let mut changes = Changes::default();
    for stmt in &module.body {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => changes.visit_stmt(stmt),
            _ => {}
        }
    }
    changes.names
}

#[derive(Default)]
struct Changes {
    names: FxHashSet<String>,
}

impl<'a> Visitor<'a> for Changes {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Global(global) => self.names.extend(global.names.iter().map(|n| n.id.to_string())),
            Stmt::Assign(assign) => assign.targets.iter().for_each(|t| self.stored_into(t)),
            Stmt::AugAssign(assign) => self.stored_into(&assign.target),
            _ => {}
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if let Expr::Call(call) = expr
            && let Expr::Attribute(method) = call.func.as_ref()
            && MUTATORS.contains(&method.attr.as_str())
            && let Expr::Name(container) = method.value.as_ref()
        {
            self.names.insert(container.id.to_string());
        }
        visitor::walk_expr(self, expr);
    }
}

impl Changes {
    /// `X[k] = ...` and `X.a = ...` change what `X` holds (a bare name is
    /// the function's own unless declared `global`).
    fn stored_into(&mut self, target: &Expr) {
        match target {
            Expr::Subscript(s) => self.changed(&s.value),
            Expr::Attribute(a) => self.changed(&a.value),
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.stored_into(e)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.stored_into(e)),
            _ => {}
        }
    }

    fn changed(&mut self, container: &Expr) {
        match container {
            Expr::Name(n) => {
                self.names.insert(n.id.to_string());
            }
            Expr::Subscript(s) => self.changed(&s.value),
            Expr::Attribute(a) => self.changed(&a.value),
            _ => {}
        }
    }
}
