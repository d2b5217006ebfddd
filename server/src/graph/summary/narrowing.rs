//! The `isinstance`/`issubclass` tests (and `case C():` patterns) a
//! summary records as narrowings: where each holds, a name is an instance
//! of the classes tested (see `Resolver::narrowed`). Statements narrow
//! their bodies and, when they cannot fall through, the rest of their
//! block; expressions narrow their own parts as Python evaluates them
//! (`str(v) if isinstance(v, C) else v`, `isinstance(v, C) and len(v)`,
//! `[str(v) for v in vs if isinstance(v, C)]`), as pyright does.

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::builder::Builder;
use super::{Narrowing, ScopeId, Span};
use crate::graph::infer::exprs;

impl<'src> Builder<'src> {
    /// Records the `isinstance` tests of `test`, which hold in `body`.
    pub(super) fn narrow(&mut self, test: &Expr, body: &[Stmt]) {
        let mut tests = Vec::new();
        exprs::isinstance_tests(test, self.scope, &mut tests);
        self.add_narrowings(tests, body);
    }

    /// Records what a statement proves for the rest of its block: `assert
    /// isinstance(x, C)`, and `if not isinstance(x, C):` that returns,
    /// raises, breaks or continues.
    pub(super) fn narrow_rest(&mut self, stmt: &Stmt, rest: &[Stmt]) {
        let mut tests = Vec::new();
        match stmt {
            Stmt::Assert(assert) => exprs::isinstance_tests(&assert.test, self.scope, &mut tests),
            Stmt::If(if_stmt) if if_stmt.elif_else_clauses.is_empty() && !super::visit::falls_through(&if_stmt.body) => {
                exprs::negated_tests(&if_stmt.test, self.scope, &mut tests);
            }
            _ => {}
        }
        self.add_narrowings(tests, rest);
    }

    /// `match x:` with `case C():` (or `case C() as y`) narrows `x` to a `C`
    /// in the case's body.
    pub(super) fn narrow_cases(&mut self, match_stmt: &ast::StmtMatch) {
        let Expr::Name(subject) = &*match_stmt.subject else { return };
        for case in &match_stmt.cases {
            let class = match &case.pattern {
                ast::Pattern::MatchClass(class) => &class.cls,
                ast::Pattern::MatchAs(ast::PatternMatchAs { pattern: Some(inner), .. }) => match &**inner {
                    ast::Pattern::MatchClass(class) => &class.cls,
                    _ => continue,
                },
                _ => continue,
            };
            let Some(classes) = exprs::class_chain(class, self.scope) else { continue };
            self.add_narrowings(vec![exprs::Test { name: subject.id.to_string(), classes, subclass: false }], &case.body);
        }
    }

    fn add_narrowings(&mut self, tests: Vec<exprs::Test>, body: &[Stmt]) {
        let (Some(first), Some(last)) = (body.first(), body.last()) else { return };
        let range = Span::new(first.start().to_u32(), last.end().to_u32());
        for exprs::Test { name, classes, subclass } in tests {
            self.summary.narrowings.push(Narrowing { scope: self.scope, name: name.into(), classes, range, subclass });
        }
    }

    /// What a conditional expression or a boolean operation proves for
    /// its later parts: `a if test else b` the test in `a` and its negation
    /// in `b`; `x and y` that `x` is true in `y`, `x or y` that it is
    /// false.
    pub(super) fn narrow_in_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::If(ternary) => {
                let mut tests = Vec::new();
                exprs::isinstance_tests(&ternary.test, self.scope, &mut tests);
                self.add_expr_narrowings(tests, ternary.body.range());
                let mut tests = Vec::new();
                exprs::negated_tests(&ternary.test, self.scope, &mut tests);
                self.add_expr_narrowings(tests, ternary.orelse.range());
            }
            Expr::BoolOp(boolean) => {
                for (i, value) in boolean.values.iter().enumerate().take(boolean.values.len().saturating_sub(1)) {
                    let mut tests = Vec::new();
                    match boolean.op {
                        ast::BoolOp::And => exprs::isinstance_tests(value, self.scope, &mut tests),
                        ast::BoolOp::Or => exprs::negated_tests(value, self.scope, &mut tests),
                    }
                    let later = TextRange::new(boolean.values[i + 1].start(), expr.end());
                    self.add_expr_narrowings(tests, later);
                }
            }
            _ => {}
        }
    }

    /// A comprehension's `if` clauses hold in its results (`elt`, or a
    /// dict's key and value) and in the clauses after them. Called in the
    /// comprehension's scope.
    pub(super) fn narrow_comprehension(&mut self, comprehension: &Expr, generators: &[ast::Comprehension], results: &[&Expr]) {
        for generator in generators {
            let Some(last) = generator.ifs.last() else { continue };
            let mut tests = Vec::new();
            for test in &generator.ifs {
                exprs::isinstance_tests(test, self.scope, &mut tests);
            }
            let ranges: Vec<TextRange> = results.iter().map(|r| r.range()).chain([TextRange::new(last.end(), comprehension.end())]).collect();
            for range in ranges {
                self.add_expr_narrowings(tests.clone(), range);
            }
        }
    }

    /// Narrowings of `tests` over `range` of an expression: in the current
    /// scope and, inside comprehensions, in each scope out to the first
    /// that is none (a name tested there may be bound in any of them; the
    /// scopes where it is not bound never read it).
    fn add_expr_narrowings(&mut self, tests: Vec<exprs::Test>, range: TextRange) {
        if tests.is_empty() {
            return;
        }
        let mut scopes: Vec<ScopeId> = vec![self.scope];
        let mut scope = self.scope;
        while self.comprehensions.contains(&scope) {
            scope = self.summary.scopes[scope as usize].parent.unwrap_or(0);
            scopes.push(scope);
        }
        let range = Span::new(range.start().to_u32(), range.end().to_u32());
        for exprs::Test { name, classes, subclass } in tests {
            for &scope in &scopes {
                self.summary.narrowings.push(Narrowing { scope, name: name.as_str().into(), classes: classes.clone(), range, subclass });
            }
        }
    }
}
