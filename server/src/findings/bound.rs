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
use ruff_python_ast::{ExceptHandler, Expr, ExprContext, ModModule, Stmt, StmtFunctionDef};

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
    /// The module's names bound once, for the checks that read a global
    /// through [`Bound::value`]: found in the module the first time one
    /// does (most files' checks never do).
    globals: Option<(&'b OnceCell<Locals<'s>>, &'s ModModule)>,
}

impl<'b, 's> Bound<'b, 's> {
    pub(super) fn new(module: &'b FxHashMap<String, String>, scope: Option<&'b Scope<'s>>) -> Self {
        Bound { module, scope, globals: None }
    }

    /// The same, reading the names `module` binds once ([`globals`], kept
    /// in `globals` once read) where the enclosing function binds no local
    /// of that name.
    pub(super) fn with_globals(self, globals: &'b OnceCell<Locals<'s>>, module: &'s ModModule) -> Self {
        Bound { globals: Some((globals, module)), ..self }
    }

    /// The expression `name` holds here when the code binds it once: the
    /// enclosing function's local, else (a name the function does not
    /// bind is the module's) the module's global.
    pub(super) fn value(&self, name: &str) -> Option<&'s Expr> {
        match self.locals() {
            Some(locals) if locals.contains_key(name) => locals.get(name).copied().flatten(),
            _ => {
                let (globals, module) = self.globals?;
                globals.get_or_init(|| self::globals(module)).get(name).copied().flatten()
            }
        }
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

/// The names the module's top level binds once (what a function does
/// not bind is read from here): a name any function declares `global` may
/// be rebound there, and holds nothing known.
pub(super) fn globals(module: &ModModule) -> Locals<'_> {
    let mut binder = Binder(FxHashMap::default());
    binder.visit_body(&module.body);
    let mut declared = Declared(Vec::new());
    declared.visit_body(&module.body);
    for name in declared.0 {
        binder.0.insert(name, None);
    }
    binder.0
}

/// The names declared `global` anywhere in a module.
struct Declared<'s>(Vec<&'s str>);

impl<'s> Visitor<'s> for Declared<'s> {
    fn visit_stmt(&mut self, stmt: &'s Stmt) {
        if let Stmt::Global(g) = stmt {
            self.0.extend(g.names.iter().map(|n| n.as_str()));
        }
        visitor::walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, _: &'s Expr) {}
}

struct Binder<'s>(Locals<'s>);

impl<'s> Binder<'s> {
    fn bind(&mut self, name: &'s str, value: Option<&'s Expr>) {
        self.0.entry(name).and_modify(|v| *v = None).or_insert(value);
    }
}

/// The names of `a, b = x, y` each with its element, when the targets are
/// plain names and the value a tuple or list of as many elements, none
/// starred.
fn unpacked<'s>(targets: &'s [Expr], value: &'s Expr) -> Option<impl Iterator<Item = (&'s str, &'s Expr)>> {
    let [Expr::Tuple(names)] = targets else { return None };
    let values = match value {
        Expr::Tuple(t) => &t.elts,
        Expr::List(l) => &l.elts,
        _ => return None,
    };
    let plain = names.elts.iter().all(Expr::is_name_expr) && !values.iter().any(Expr::is_starred_expr);
    (plain && names.elts.len() == values.len()).then(|| names.elts.iter().filter_map(|n| n.as_name_expr()).map(|n| n.id.as_str()).zip(values.iter()))
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
            // `HOST, PORT = "", 8000`: each name bound to its element.
            Stmt::Assign(assign) if unpacked(assign.targets.as_slice(), &assign.value).is_some() => {
                for (target, value) in unpacked(assign.targets.as_slice(), &assign.value).into_iter().flatten() {
                    self.bind(target, Some(value));
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
