//! Which names a statement surely binds: on every path by which it
//! completes normally (a path that raises or returns does not reach what
//! follows it), and which it may unbind. Extract function asks it of the
//! code before a selection (is a value passed in bound there?) and of the
//! selection itself (is a value returned bound on every path?).
//!
//! Conservative: "surely" only where every path is seen to bind. A loop
//! binds through its `else` and through each `break` that leaves it with
//! the name bound; a `:=` binds where its expression is surely evaluated
//! (not behind an `and`/`or`, a conditional expression, a later
//! comparison, a lambda or a comprehension).

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{ExceptHandler, Expr, Stmt, StmtWith};

use super::name_events::blocks;

/// Whether `statement` binds `name` on every path that completes normally:
/// an assignment, an import, a `def`, a `:=` its statement surely
/// evaluates, an `if` or a `match` whose every branch does (with an `else`
/// or a `case` that always matches), a `try` whose body and every handler
/// do (or whose `finally` does), a `with` whose `as` does (or whose body
/// does, where its context manager cannot swallow an exception: `open(...)`,
/// a lock), a `for` or `while` whose `else` and every `break` do (a `while
/// True` has no other way out). A `del` or an `except ... as` of it after
/// the binding undoes it.
pub(super) fn surely_binds(statement: &Stmt, name: &str) -> bool {
    let kept = || !unbinds(statement, name);
    if evaluated(statement).is_some_and(|e| walrus_binds(e, name)) && kept() {
        return true;
    }
    match statement {
        Stmt::Assign(s) => s.targets.iter().any(|t| target_binds(t, name)),
        Stmt::AnnAssign(s) => s.value.is_some() && target_binds(&s.target, name),
        Stmt::AugAssign(s) => target_binds(&s.target, name),
        Stmt::Import(s) => s.names.iter().any(|a| a.asname.as_ref().map_or_else(|| a.name.split('.').next() == Some(name), |n| n.as_str() == name)),
        Stmt::ImportFrom(s) => s.names.iter().any(|a| a.asname.as_ref().unwrap_or(&a.name).as_str() == name),
        Stmt::FunctionDef(s) => s.name.as_str() == name,
        Stmt::ClassDef(s) => s.name.as_str() == name,
        Stmt::If(s) => {
            block(&s.body, name) && s.elif_else_clauses.last().is_some_and(|c| c.test.is_none()) && s.elif_else_clauses.iter().all(|c| block(&c.body, name))
        }
        Stmt::Try(s) => {
            let handlers =
                s.handlers.iter().filter_map(|h| h.as_except_handler()).all(|h| block(&h.body, name) && h.name.as_ref().is_none_or(|n| n.as_str() != name));
            let before = block(s.body.iter().chain(&s.orelse), name) && handlers;
            block(&s.finalbody, name) || (before && !s.finalbody.iter().any(|f| unbinds(f, name)))
        }
        Stmt::With(s) => {
            let named = s.items.iter().any(|i| i.optional_vars.as_deref().is_some_and(|v| target_binds(v, name)));
            (named && kept()) || (!may_swallow(s) && block(&s.body, name))
        }
        // A last `case` that always matches: one of the cases runs.
        Stmt::Match(s) => s.cases.last().is_some_and(|c| c.guard.is_none() && c.pattern.is_irrefutable()) && s.cases.iter().all(|c| block(&c.body, name)),
        // The `else` runs when the iterable is exhausted; a `break` skips it.
        Stmt::For(s) => block(&s.orelse, name) && through(&s.body, name, target_binds(&s.target, name)).is_some(),
        // The test runs before each turn and before the `else`.
        Stmt::While(s) => {
            let tested = walrus_binds(&s.test, name);
            let forever = matches!(&*s.test, Expr::BooleanLiteral(b) if b.value);
            (forever || block_from(&s.orelse, name, tested)) && through(&s.body, name, tested).is_some()
        }
        _ => false,
    }
}

/// Whether `name` is bound when the statements of `body` complete: the
/// last of them to bind or unbind it binds it, or one ends the block.
fn block<'a>(body: impl IntoIterator<Item = &'a Stmt>, name: &str) -> bool {
    block_from(body, name, false)
}

/// [`block`] where `bound` tells whether `name` is bound on entering it.
fn block_from<'a>(body: impl IntoIterator<Item = &'a Stmt>, name: &str, mut bound: bool) -> bool {
    for statement in body {
        bound = after(statement, name, bound);
        if ends(statement) {
            return true;
        }
    }
    bound
}

/// Whether `name` is bound after `statement` completes normally, given
/// whether it was before.
fn after(statement: &Stmt, name: &str, bound: bool) -> bool {
    surely_binds(statement, name) || (bound && !unbinds(statement, name))
}

/// A statement after which nothing of its block runs.
fn ends(statement: &Stmt) -> bool {
    matches!(statement, Stmt::Return(_) | Stmt::Raise(_) | Stmt::Break(_) | Stmt::Continue(_))
}

/// Follows a loop's `body` from `bound` (whether `name` is bound on each
/// turn's start): `None` when a `break` of the loop may leave it with
/// `name` unbound (or one sits where it is not followed: in a `try`, in
/// the `else` of a loop inside), else whether `name` is bound when the
/// body completes.
fn through(body: &[Stmt], name: &str, mut bound: bool) -> Option<bool> {
    for statement in body {
        if !breaks(statement) {
            bound = after(statement, name, bound);
            if ends(statement) {
                return Some(true);
            }
            continue;
        }
        bound = match statement {
            Stmt::Break(_) => return bound.then_some(true),
            Stmt::If(s) => {
                let tested = bound || walrus_binds(&s.test, name);
                let mut all = through(&s.body, name, tested)?;
                for clause in &s.elif_else_clauses {
                    let entered = tested || clause.test.as_ref().is_some_and(|t| walrus_binds(t, name));
                    all &= through(&clause.body, name, entered)?;
                }
                // No `else`: the path through no branch keeps what the test left.
                all && (tested || s.elif_else_clauses.last().is_some_and(|c| c.test.is_none()))
            }
            Stmt::Match(s) => {
                let matched = bound || walrus_binds(&s.subject, name);
                let mut all = true;
                for case in &s.cases {
                    all &= through(&case.body, name, matched)?;
                }
                all && (matched || s.cases.last().is_some_and(|c| c.guard.is_none() && c.pattern.is_irrefutable()))
            }
            Stmt::With(s) => {
                let named = s.items.iter().any(|i| i.optional_vars.as_deref().is_some_and(|v| target_binds(v, name)));
                let entered = bound || named;
                let completed = through(&s.body, name, entered)?;
                // A swallowed exception leaves the body anywhere.
                if may_swallow(s) { completed && entered && !unbinds(statement, name) } else { completed }
            }
            _ => return None,
        };
    }
    Some(bound)
}

/// Whether `statement` holds a `break` of the loop around it (not one of
/// a loop or a function inside it).
fn breaks(statement: &Stmt) -> bool {
    match statement {
        Stmt::Break(_) => true,
        Stmt::For(s) => s.orelse.iter().any(breaks),
        Stmt::While(s) => s.orelse.iter().any(breaks),
        Stmt::FunctionDef(_) | Stmt::ClassDef(_) => false,
        _ => blocks(statement).into_iter().flatten().any(breaks),
    }
}

/// The expression `statement` evaluates first, whatever happens after.
fn evaluated(statement: &Stmt) -> Option<&Expr> {
    match statement {
        Stmt::Expr(s) => Some(&s.value),
        Stmt::Assign(s) => Some(&s.value),
        Stmt::AugAssign(s) => Some(&s.value),
        Stmt::AnnAssign(s) => s.value.as_deref(),
        Stmt::If(s) => Some(&s.test),
        Stmt::While(s) => Some(&s.test),
        Stmt::For(s) => Some(&s.iter),
        Stmt::With(s) => s.items.first().map(|i| &i.context_expr),
        Stmt::Match(s) => Some(&s.subject),
        _ => None,
    }
}

/// Whether evaluating `expr` surely binds `name` with `:=`.
fn walrus_binds(expr: &Expr, name: &str) -> bool {
    let mut walrus = Walrus { name, found: false };
    walrus.visit_expr(expr);
    walrus.found
}

/// Finds a `:=` of `name` in what an expression surely evaluates.
struct Walrus<'n> {
    name: &'n str,
    found: bool,
}

impl<'a> Visitor<'a> for Walrus<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        match expr {
            Expr::Named(n) => {
                self.found |= matches!(&*n.target, Expr::Name(t) if t.id.as_str() == self.name);
                self.visit_expr(&n.value);
            }
            // Only the first operand of `and`/`or`, the test of `a if t else b`,
            // and the first comparison of a chain surely run.
            Expr::BoolOp(b) => b.values.iter().take(1).for_each(|v| self.visit_expr(v)),
            Expr::If(e) => self.visit_expr(&e.test),
            Expr::Compare(c) => {
                self.visit_expr(&c.left);
                c.comparators.iter().take(1).for_each(|v| self.visit_expr(v));
            }
            // Their own scopes, or run later or not at all.
            Expr::Lambda(_) | Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {}
            _ => visitor::walk_expr(self, expr),
        }
    }
}

/// Whether a context manager of `with` may swallow an exception raised in
/// its body (`contextlib.suppress`, `pytest.raises`): any but `open(...)`
/// and a lock.
pub(super) fn may_swallow(with: &StmtWith) -> bool {
    with.items.iter().any(|item| {
        let called = match &item.context_expr {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        let last = match called {
            Expr::Name(n) => n.id.as_str(),
            Expr::Attribute(a) => a.attr.as_str(),
            _ => "",
        };
        let opens = last == "open" && item.context_expr.is_call_expr();
        !(opens || last.to_ascii_lowercase().ends_with("lock"))
    })
}

/// Whether `statement` may unbind `name` (see [`Unbound`]).
pub(super) fn unbinds(statement: &Stmt, name: &str) -> bool {
    let unbound = Unbound::of(std::slice::from_ref(statement));
    unbound.deleted.iter().chain(&unbound.handled).any(|n| n == name)
}

/// The names statements may unbind, outside the functions and classes
/// they define: by `del`, and by `except ... as` (Python unbinds the name
/// at the end of the handler).
#[derive(Default)]
pub(super) struct Unbound {
    pub deleted: Vec<String>,
    pub handled: Vec<String>,
}

impl Unbound {
    pub(super) fn of(statements: &[Stmt]) -> Unbound {
        let mut unbound = Unbound::default();
        unbound.visit_body(statements);
        unbound
    }
}

impl<'a> Visitor<'a> for Unbound {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {}
            Stmt::Delete(d) => d.targets.iter().for_each(|t| target_names(t, &mut self.deleted)),
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_except_handler(&mut self, handler: &'a ExceptHandler) {
        let ExceptHandler::ExceptHandler(h) = handler;
        self.handled.extend(h.name.as_ref().map(|n| n.as_str().to_owned()));
        visitor::walk_except_handler(self, handler);
    }

    // Expressions unbind nothing of the statement's scope.
    fn visit_expr(&mut self, _: &'a Expr) {}
}

/// The names an assignment (or `del`) target binds.
pub(super) fn target_names(target: &Expr, out: &mut Vec<String>) {
    match target {
        Expr::Name(n) => out.push(n.id.to_string()),
        Expr::Tuple(t) => t.elts.iter().for_each(|e| target_names(e, out)),
        Expr::List(l) => l.elts.iter().for_each(|e| target_names(e, out)),
        Expr::Starred(s) => target_names(&s.value, out),
        _ => {}
    }
}

/// Whether the assignment target `target` binds `name` (`a`, `a, *b`).
pub(super) fn target_binds(target: &Expr, name: &str) -> bool {
    match target {
        Expr::Name(n) => n.id.as_str() == name,
        Expr::Tuple(t) => t.elts.iter().any(|e| target_binds(e, name)),
        Expr::List(l) => l.elts.iter().any(|e| target_binds(e, name)),
        Expr::Starred(s) => target_binds(&s.value, name),
        _ => false,
    }
}
