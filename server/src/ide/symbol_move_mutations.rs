//! Module-level code of the old module that completes the moved object
//! when that module is imported: `@show.register` on another function
//! (`functools.singledispatch`), `Conf.level = 3`, `f.calls = 7`,
//! `setattr(f, ...)`, `show.register(float, g)`. It stays behind; an
//! importer redirected to the new module no longer imports the old one,
//! so it gets the object without what that code does to it.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Decorator, Expr, Stmt};
use ruff_text_size::Ranged;
use rustc_hash::FxHashMap;

use super::edits::Replacement;
use super::parsed_files::ParsedFiles;
use super::symbol_move::SymbolMoveError;
use super::symbol_move_users::Moving;
use crate::graph::explain::{display_path, place};
use crate::graph::{FileId, Graph, Location, Span};

/// Refused when module-level code of the old module changes the moved
/// object as it is imported (`@show.register`, `Conf.level = 3`) and the
/// edits redirect an importer (`redirected_elsewhere`: an entry point) to
/// the new module: that importer would no longer import the old module,
/// and get the object without it.
pub(super) fn completed_behind(
    graph: &Graph,
    parsed: &ParsedFiles,
    moving: &Moving,
    user_edits: &FxHashMap<FileId, Vec<Replacement>>,
    redirected_elsewhere: bool,
) -> Result<(), SymbolMoveError> {
    let redirected = user_edits.keys().find(|&&f| f != moving.old_file).copied();
    if redirected.is_none() && !redirected_elsewhere {
        return Ok(());
    }
    let Some(span) = first(&parsed.get(moving.old_file).syntax().body, moving.name, moving.statement) else { return Ok(()) };
    let written = graph.file(moving.old_file).and_then(|e| e.text().get(span.range())).unwrap_or_default();
    let importer = match redirected.and_then(|f| graph.file(f)) {
        Some(entry) => format!("`{}` would import it from `{}`", display_path(graph, &entry.path), moving.new),
        None => format!("an entry point would name it in `{}`", moving.new),
    };
    Err(SymbolMoveError::Unsafe(format!(
        "`{}` at {} changes `{}` when `{}` is imported; {importer} and no longer import `{}`, so that would not run for it",
        written.lines().next().unwrap_or_default().trim(),
        place(graph, &Location { file: moving.old_file, span }),
        moving.name,
        moving.old,
        moving.old,
    )))
}

/// Where the module `body`, outside the `moved` statement, first changes
/// the object bound to `name` while it is imported: a store or `del`
/// through an attribute or a subscript of it, a call of one of its
/// attributes (`show.register(...)`, also as a decorator), `setattr` or
/// `delattr` on it. Function bodies and lambdas (they run later) aside;
/// class bodies and decorators run with the import.
fn first(body: &[Stmt], name: &str, moved: Span) -> Option<Span> {
    let mut scan = Scan { name, moved, found: None };
    scan.visit_body(body);
    scan.found
}

struct Scan<'n> {
    name: &'n str,
    moved: Span,
    found: Option<Span>,
}

impl Scan<'_> {
    /// `name.a`, `name[k]`, `name.a.b[k]`: reaches into the object.
    fn inside(&self, expr: &Expr) -> bool {
        let base = match expr {
            Expr::Attribute(a) => &a.value,
            Expr::Subscript(s) => &s.value,
            _ => return false,
        };
        matches!(&**base, Expr::Name(n) if n.id.as_str() == self.name) || self.inside(base)
    }

    fn found(&mut self, range: impl Ranged) {
        self.found.get_or_insert(Span::from(range.range()));
    }

    fn decorators(&mut self, decorators: &'_ [Decorator]) {
        for decorator in decorators {
            self.visit_expr(&decorator.expression);
            // `@show.register` is called with the function it decorates.
            if self.inside(&decorator.expression) {
                self.found(decorator);
            }
        }
    }
}

impl<'a> Visitor<'a> for Scan<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found.is_some() || (self.moved.start <= stmt.start().to_u32() && stmt.end().to_u32() <= self.moved.end) {
            return;
        }
        let stores = match stmt {
            Stmt::Assign(a) => a.targets.iter().any(|t| self.inside(t)),
            Stmt::AugAssign(a) => self.inside(&a.target),
            Stmt::AnnAssign(a) => self.inside(&a.target),
            Stmt::Delete(d) => d.targets.iter().any(|t| self.inside(t)),
            Stmt::FunctionDef(f) => {
                // Its body runs when called, with whatever imported it.
                self.decorators(&f.decorator_list);
                return;
            }
            Stmt::ClassDef(c) => {
                self.decorators(&c.decorator_list);
                self.visit_body(&c.body);
                return;
            }
            _ => false,
        };
        if stores {
            self.found(stmt);
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Lambda(_) => return,
            Expr::Call(call) => {
                let first_is_it = matches!(call.arguments.args.first(), Some(Expr::Name(n)) if n.id.as_str() == self.name);
                let sets = matches!(&*call.func, Expr::Name(f) if matches!(f.id.as_str(), "setattr" | "delattr")) && first_is_it;
                if sets || self.inside(&call.func) {
                    self.found(expr);
                }
            }
            _ => {}
        }
        visitor::walk_expr(self, expr);
    }
}
