//! The statement and expression visits of the summary [`Builder`].

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::builder::Builder;
use super::{BindingKind, Protocol, ValueExpr};
use crate::graph::infer::exprs;

impl<'src> Visitor<'src> for Builder<'src> {
    fn visit_body(&mut self, body: &'src [Stmt]) {
        for (i, stmt) in body.iter().enumerate() {
            self.visit_stmt(stmt);
            self.narrow_rest(stmt, &body[i + 1..]);
        }
    }

    fn visit_stmt(&mut self, stmt: &'src Stmt) {
        match stmt {
            Stmt::FunctionDef(function) => self.visit_function(function),
            Stmt::ClassDef(class) => self.visit_class(class),
            Stmt::Import(import) => self.visit_import(&import.names, None),
            Stmt::ImportFrom(import) => {
                let module = import.module.as_ref();
                let empty = ast::Identifier::new("", TextRange::default());
                self.visit_import(&import.names, Some((module.unwrap_or(&empty), import.level)));
            }
            Stmt::Global(global) => {
                let names = global.names.iter().map(|n| n.id.to_string());
                match self.globals.last_mut() {
                    Some((scope, list)) if *scope == self.scope => list.extend(names),
                    _ => self.globals.push((self.scope, names.collect())),
                }
            }
            // `except KeyError:` away from its `try` (or `elif X:`, `case X:`,
            // `async X:`) is recovered as `KeyError: <missing>`: that line
            // only reads its name; binding it would shadow the builtin
            // module-wide while the user types.
            Stmt::AnnAssign(assign) if assign.value.is_none() && is_missing(&assign.annotation) => self.read_target(&assign.target),
            Stmt::AnnAssign(assign) => {
                self.assignment_end = Some(assign.range.end().to_u32());
                self.visit_annotation(&assign.annotation);
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                }
                let annotation_text = self.text(&*assign.annotation);
                // `Nodes: TypeAlias = list[Node]`: the value is what the alias
                // names; `self.run: Final = run` holds what is assigned (a bare
                // `Final` says nothing of the type).
                let bare = |name: &str| annotation_text == name || annotation_text.strip_suffix(name).is_some_and(|prefix| prefix.ends_with('.'));
                let value = match &assign.value {
                    Some(value) if bare("TypeAlias") || bare("Final") => exprs::value_expr(self.source, value, self.scope),
                    _ => Some(ValueExpr::annotation(annotation_text, self.scope, assign.annotation.start().to_u32())),
                };
                self.expect_values(&assign.target, value, None);
                match &*assign.target {
                    Expr::Name(name) => self.assign(name.id.as_str(), name.range, Some(self.text(&*assign.annotation))),
                    other => self.visit_expr(other),
                }
                self.assignment_end = None;
                self.pending.clear();
            }
            Stmt::Assign(assign) => {
                if let [Expr::Name(name)] = &assign.targets[..] {
                    self.record_constant(name.id.as_str(), &assign.value);
                }
                // The value is evaluated before the targets are bound.
                self.visit_expr(&assign.value);
                self.assignment_end = Some(assign.range.end().to_u32());
                let mut value = exprs::value_expr(self.source, &assign.value, self.scope);
                let last = assign.targets.len().saturating_sub(1);
                for (i, target) in assign.targets.iter().enumerate() {
                    // Only `a = b = value` needs a copy of the value.
                    let value = if i == last { value.take() } else { value.clone() };
                    self.expect_values(target, value, Some(&assign.value));
                    self.visit_expr(target);
                    self.dunder_all(target, &assign.value);
                }
                self.assignment_end = None;
                self.pending.clear();
            }
            Stmt::Return(ast::StmtReturn { value: Some(value), .. }) => {
                self.visit_expr(value);
                self.return_value(value);
            }
            // `for KeyError` (or `for KeyError in`) being typed is recovered
            // with its iterable missing: like the stray clause line above,
            // it only reads its name until there is something to iterate.
            Stmt::For(for_stmt) if is_missing(&for_stmt.iter) => self.read_target(&for_stmt.target),
            Stmt::For(for_stmt) => {
                self.implicit_iteration(&for_stmt.iter, for_stmt.is_async);
                exprs::iteration_values(self.source, &for_stmt.target, &for_stmt.iter, self.scope, &mut self.pending);
                self.nested(false, |this| visitor::walk_stmt(this, stmt));
            }
            Stmt::AugAssign(assign) => {
                self.implicit(Protocol::InPlace(assign.op.into()), &assign.target);
                self.dunder_all(&assign.target, &assign.value);
                self.visit_expr(&assign.value);
                self.assignment_end = Some(assign.range.end().to_u32());
                self.visit_expr(&assign.target);
                self.assignment_end = None;
            }
            Stmt::If(if_stmt) if self.platform.is_some_and(|p| p.decide(&if_stmt.test).is_some()) => {
                match self.live_branch(if_stmt) {
                    Some(body) => self.visit_body(body),
                    // A later `elif` is undecided: every branch stays.
                    None => self.visit_if(if_stmt),
                }
            }
            Stmt::If(if_stmt) => self.visit_if(if_stmt),
            Stmt::Match(match_stmt) => {
                self.narrow_cases(match_stmt);
                self.nested(false, |this| visitor::walk_stmt(this, stmt));
            }
            Stmt::While(ast::StmtWhile { test, .. }) => {
                self.implicit(Protocol::Bool, test);
                self.nested(false, |this| visitor::walk_stmt(this, stmt));
            }
            Stmt::Assert(ast::StmtAssert { test, .. }) => {
                self.implicit(Protocol::Bool, test);
                visitor::walk_stmt(self, stmt);
            }
            Stmt::With(with) => {
                self.implicit_with(with);
                self.nested(false, |this| visitor::walk_stmt(this, stmt));
            }
            Stmt::Try(_) => {
                self.nested(false, |this| visitor::walk_stmt(this, stmt));
            }
            _ => visitor::walk_stmt(self, stmt),
        }
    }

    fn visit_with_item(&mut self, item: &'src ast::WithItem) {
        if let Some(target) = &item.optional_vars {
            let entered = exprs::value_expr(self.source, &item.context_expr, self.scope);
            self.expect_values(target, entered.map(|v| ValueExpr::Enter(Box::new(v))), None);
        }
        visitor::walk_with_item(self, item);
    }

    /// `case` patterns bind their capture names (`case [x, *rest]`,
    /// `case {"k": v, **others}`, `case P() as p`); `case Cls() as name`
    /// gives `name` the class, as `isinstance` would.
    fn visit_pattern(&mut self, pattern: &'src ast::Pattern) {
        match pattern {
            ast::Pattern::MatchAs(ast::PatternMatchAs { pattern: inner, name: Some(name), .. }) => {
                if let Some(ast::Pattern::MatchClass(class)) = inner.as_deref() {
                    let cls = exprs::value_expr(self.source, &class.cls, self.scope);
                    self.pending.extend(cls.map(|c| (name.start().to_u32(), ValueExpr::Call(Box::new(c)))));
                }
                self.assign(name.id.as_str(), name.range, None);
            }
            ast::Pattern::MatchStar(ast::PatternMatchStar { name: Some(name), .. })
            | ast::Pattern::MatchMapping(ast::PatternMatchMapping { rest: Some(name), .. }) => {
                self.assign(name.id.as_str(), name.range, None);
            }
            _ => {}
        }
        visitor::walk_pattern(self, pattern);
    }

    fn visit_comprehension(&mut self, comprehension: &'src ast::Comprehension) {
        self.implicit_iteration(&comprehension.iter, comprehension.is_async);
        for test in &comprehension.ifs {
            self.implicit(Protocol::Bool, test);
        }
        exprs::iteration_values(self.source, &comprehension.target, &comprehension.iter, self.scope, &mut self.pending);
        visitor::walk_comprehension(self, comprehension);
    }

    fn visit_decorator(&mut self, decorator: &'src ast::Decorator) {
        if decorator.expression.is_call_expr() {
            // `@route("/")`: what the call returns is applied.
            self.implicit(Protocol::Call, &decorator.expression);
        }
        if !self.chain_reference(&decorator.expression, true) {
            self.visit_expr(&decorator.expression);
        }
    }

    fn visit_except_handler(&mut self, handler: &'src ast::ExceptHandler) {
        let ast::ExceptHandler::ExceptHandler(h) = handler;
        if let Some(type_) = &h.type_ {
            self.visit_expr(type_);
        }
        if let Some(name) = &h.name {
            // `except E as e`: an instance of `E` or of a subclass (raised
            // elsewhere, not constructed here: no exact class).
            let raised = h.type_.as_deref().and_then(|t| exprs::caught(self.source, t, self.scope));
            self.pending.extend(raised.map(|t| (name.start().to_u32(), t)));
            self.bind(name.id.as_str(), self.scope, name.range.into(), BindingKind::Local);
        }
        self.visit_body(&h.body);
    }

    fn visit_expr(&mut self, expr: &'src Expr) {
        // Once per level of an expression: a generated chain of thousands
        // of `+` overflowed the stack.
        stacker::maybe_grow(crate::syntax::RED_ZONE, crate::syntax::STACK_GROWTH, || {
            self.implicit_in_expr(expr);
            self.narrow_expr(expr);
            match expr {
                Expr::Name(name) if name.ctx == ast::ExprContext::Store => self.assign(name.id.as_str(), name.range, None),
                Expr::Name(_) => {
                    self.chain_reference(expr, false);
                }
                Expr::Attribute(attr) => {
                    if attr.ctx == ast::ExprContext::Store {
                        self.assign_self_attribute(attr);
                    }
                    if !self.chain_reference(expr, false) {
                        self.visit_expr(&attr.value);
                    }
                }
                Expr::Call(call) => {
                    if !self.chain_reference(&call.func, true) {
                        self.implicit(Protocol::Call, &call.func);
                        self.visit_expr(&call.func);
                    }
                    exprs::lambda_values(self.source, call, self.scope, &mut self.pending);
                    self.passed_arguments(call);
                    self.visit_arguments(&call.arguments);
                }
                Expr::Named(named) => {
                    self.visit_expr(&named.value);
                    let value = exprs::value_expr(self.source, &named.value, self.scope);
                    self.expect_values(&named.target, value, None);
                    match &*named.target {
                        Expr::Name(name) => self.assign_named(name.id.as_str(), name.range),
                        other => self.visit_expr(other),
                    }
                }
                Expr::Lambda(lambda) => self.visit_lambda(lambda),
                Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => self.visit_comprehension_scope(expr),
                _ => visitor::walk_expr(self, expr),
            }
        })
    }
}

/// `TYPE_CHECKING` or `typing.TYPE_CHECKING` (any module prefix).
fn is_type_checking(test: &Expr) -> bool {
    match test {
        Expr::Name(name) => name.id.as_str() == "TYPE_CHECKING",
        Expr::Attribute(attr) => attr.attr.id.as_str() == "TYPE_CHECKING",
        _ => false,
    }
}

/// Whether the code after a block can run after it: not when it ends by
/// returning, raising, breaking or continuing.
pub(super) fn falls_through(body: &[Stmt]) -> bool {
    !matches!(body.last(), Some(Stmt::Return(_) | Stmt::Raise(_) | Stmt::Break(_) | Stmt::Continue(_)))
}

impl<'src> Builder<'src> {
    fn visit_if(&mut self, if_stmt: &'src ast::StmtIf) {
        self.record_branches(if_stmt);
        let type_checking = is_type_checking(&if_stmt.test);
        self.implicit(Protocol::Bool, &if_stmt.test);
        self.visit_expr(&if_stmt.test);
        self.narrow_clause(if_stmt, 0);
        let start = self.summary.bindings.len();
        self.nested(type_checking, |this| this.visit_body(&if_stmt.body));
        let mut branches = vec![(start..self.summary.bindings.len(), falls_through(&if_stmt.body))];
        for (i, clause) in if_stmt.elif_else_clauses.iter().enumerate() {
            if let Some(test) = &clause.test {
                self.implicit(Protocol::Bool, test);
                self.visit_expr(test);
            }
            self.narrow_clause(if_stmt, i + 1);
            let start = self.summary.bindings.len();
            self.nested(false, |this| this.visit_body(&clause.body));
            branches.push((start..self.summary.bindings.len(), falls_through(&clause.body)));
        }
        if if_stmt.elif_else_clauses.last().is_some_and(|c| c.test.is_none()) {
            self.join_branches(&branches, if_stmt.range.end().to_u32());
        }
    }

    /// The one branch of an `if` the platform runs (empty when none runs),
    /// or `None` when a test is not decided by it.
    fn live_branch(&self, if_stmt: &'src ast::StmtIf) -> Option<&'src [Stmt]> {
        let platform = self.platform?;
        if platform.decide(&if_stmt.test)? {
            return Some(&if_stmt.body);
        }
        for clause in &if_stmt.elif_else_clauses {
            match &clause.test {
                None => return Some(&clause.body),
                Some(test) if platform.decide(test)? => return Some(&clause.body),
                Some(_) => {}
            }
        }
        Some(&[])
    }
}

/// Whether `expr` is the placeholder recovery puts where an expression is
/// missing (an empty name).
fn is_missing(expr: &Expr) -> bool {
    matches!(expr, Expr::Name(name) if name.id.is_empty())
}

impl<'src> Builder<'src> {
    /// Records the names of `target`, which recovery made a store of, as
    /// reads: nothing in the source binds them.
    fn read_target(&mut self, target: &'src Expr) {
        match target {
            Expr::Starred(starred) => self.read_target(&starred.value),
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for element in elts {
                    self.read_target(element);
                }
            }
            Expr::Name(_) | Expr::Attribute(_) => {
                self.chain_reference(target, false);
            }
            _ => {}
        }
    }
}
