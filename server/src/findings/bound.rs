//! What a name holds where the code binds it once: the module's constants
//! (names bound once at its top level to a string or bytes) and, inside a
//! function, each local name bound by a single assignment. The checks that
//! judge a value written into the code (a salt, an IV, a pattern, a host
//! check) read through such a name (`salt = b"\x00" * 32` then
//! `pbkdf2_hmac(..., salt, ...)`) as they read the value itself: library
//! code names its values before it uses them far more often than it writes
//! them in the call. A name bound twice, by a loop header, by unpacking,
//! by `with`/`import`/`except`, by `:=` or as a parameter holds what the
//! code alone cannot tell, and is not read through.

use std::cell::OnceCell;

use rustc_hash::FxHashMap;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{ExceptHandler, Expr, ExprContext, Stmt, StmtFunctionDef};

/// A function's local names, each with the expression of its one binding
/// (`None`: bound more than once, or in a way that holds no known value).
pub(super) type Locals<'s> = FxHashMap<&'s str, Option<&'s Expr>>;

/// A function the walk is in, with its locals once a check asked for them
/// (most functions have no call a check reads a name for).
pub(super) type Scope<'s> = (&'s StmtFunctionDef, OnceCell<Locals<'s>>);

/// The names a check may read through at one place of the file.
pub(super) struct Bound<'b, 's> {
    module: &'b FxHashMap<String, String>,
    /// The enclosing function; `None` at the module's top level.
    scope: Option<&'b Scope<'s>>,
}

impl<'b, 's> Bound<'b, 's> {
    pub(super) fn new(module: &'b FxHashMap<String, String>, scope: Option<&'b Scope<'s>>) -> Self {
        Bound { module, scope }
    }

    fn locals(&self) -> Option<&'b Locals<'s>> {
        let (function, locals) = self.scope?;
        Some(locals.get_or_init(|| self::locals(function)))
    }

    /// The expression the enclosing function binds `name` to once.
    pub(super) fn local(&self, name: &str) -> Option<&'s Expr> {
        self.locals()?.get(name).copied().flatten()
    }

    /// The text of the module constant `name`, unless the enclosing
    /// function binds a local of that name (which hides it).
    pub(super) fn constant(&self, name: &str) -> Option<&'b str> {
        if self.locals().is_some_and(|l| l.contains_key(name)) {
            return None;
        }
        self.module.get(name).map(String::as_str)
    }
}

/// The local names of `function` (its parameters and what its body binds,
/// not what the functions and classes defined in it bind).
pub(super) fn locals(function: &StmtFunctionDef) -> Locals<'_> {
    let mut binder = Binder(FxHashMap::default());
    for parameter in function.parameters.iter() {
        binder.0.insert(parameter.name().as_str(), None);
    }
    binder.visit_body(&function.body);
    binder.0
}

struct Binder<'s>(Locals<'s>);

impl<'s> Binder<'s> {
    fn bind(&mut self, name: &'s str, value: Option<&'s Expr>) {
        self.0.entry(name).and_modify(|v| *v = None).or_insert(value);
    }
}

impl<'s> Visitor<'s> for Binder<'s> {
    fn visit_stmt(&mut self, stmt: &'s Stmt) {
        match stmt {
            // A nested scope binds its own names; only its name is bound here.
            Stmt::FunctionDef(f) => self.bind(f.name.as_str(), None),
            Stmt::ClassDef(c) => self.bind(c.name.as_str(), None),
            Stmt::Assign(assign) if matches!(assign.targets.as_slice(), [Expr::Name(_)]) => {
                if let [Expr::Name(name)] = assign.targets.as_slice() {
                    self.bind(name.id.as_str(), Some(&assign.value));
                }
                self.visit_expr(&assign.value);
            }
            Stmt::AnnAssign(assign) if assign.target.is_name_expr() && assign.value.is_some() => {
                if let (Expr::Name(name), Some(value)) = (assign.target.as_ref(), &assign.value) {
                    self.bind(name.id.as_str(), Some(value));
                    self.visit_expr(value);
                }
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = alias.asname.as_ref().map_or_else(|| alias.name.split('.').next().unwrap_or_default(), |a| a.as_str());
                    self.bind(bound, None);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    self.bind(alias.asname.as_ref().unwrap_or(&alias.name).as_str(), None);
                }
            }
            Stmt::Global(g) => g.names.iter().for_each(|n| self.bind(n.as_str(), None)),
            Stmt::Nonlocal(n) => n.names.iter().for_each(|n| self.bind(n.as_str(), None)),
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_except_handler(&mut self, handler: &'s ExceptHandler) {
        let ExceptHandler::ExceptHandler(h) = handler;
        if let Some(name) = &h.name {
            self.bind(name.as_str(), None);
        }
        visitor::walk_except_handler(self, handler);
    }

    fn visit_expr(&mut self, expr: &'s Expr) {
        match expr {
            Expr::Name(name) if matches!(name.ctx, ExprContext::Store | ExprContext::Del) => self.bind(name.id.as_str(), None),
            // A lambda's parameters are its own.
            Expr::Lambda(_) => {}
            _ => visitor::walk_expr(self, expr),
        }
    }
}
