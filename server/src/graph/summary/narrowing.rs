//! The `isinstance` narrowings the summary [`Builder`] records: where a
//! test holds (an `if` body, the rest of a block after an `assert` or an
//! early exit, a `case C():` body, the arm of `a if t else b` or of
//! `t and a`), and where it fails (the `else` and later `elif`s, the rest
//! after `if isinstance(x, C): return`, the cases after `case C():`): there
//! the name is none of the classes, as pyright narrows a union by them.
//! A comprehension's `if` clauses narrow its results and later clauses
//! (`[str(v) for v in vs if isinstance(v, C)]`).

use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::builder::Builder;
use super::visit::falls_through;
use super::{ScopeId, Span};
use crate::graph::infer::exprs::{self, Narrowing, Test};

/// A narrowing test and whether it fails (`negative`) where it applies.
type Fact = (Test, bool);

impl Builder<'_> {
    /// What the tests of an `if` prove in its clause `clause` (0 the body,
    /// then each `elif`/`else`): its own test holds, the earlier ones failed.
    pub(super) fn narrow_clause(&mut self, if_stmt: &ast::StmtIf, clause: usize) {
        let tests = std::iter::once(Some(&*if_stmt.test)).chain(if_stmt.elif_else_clauses.iter().map(|c| c.test.as_ref()));
        let mut facts = Vec::new();
        for (i, test) in tests.enumerate().take(clause + 1) {
            match test {
                Some(test) => facts_of(test, i < clause, self.scope, &mut facts),
                None => {}
            }
        }
        let body = if clause == 0 { &if_stmt.body } else { &if_stmt.elif_else_clauses[clause - 1].body };
        self.add_narrowings(facts, body_span(body));
    }

    /// Records what a statement proves for the rest of its block: `assert
    /// isinstance(x, C)`, and an `if` (and its `elif`s, without `else`)
    /// every branch of which returns, raises, breaks or continues: there
    /// each test failed (`if not isinstance(x, C): return` makes `x` a `C`).
    pub(super) fn narrow_rest(&mut self, stmt: &Stmt, rest: &[Stmt]) {
        let mut facts = Vec::new();
        match stmt {
            Stmt::Assert(assert) => facts_of(&assert.test, false, self.scope, &mut facts),
            Stmt::If(if_stmt) if exits_every_branch(if_stmt) => {
                facts_of(&if_stmt.test, true, self.scope, &mut facts);
                for clause in &if_stmt.elif_else_clauses {
                    facts_of(clause.test.as_ref().expect("no else"), true, self.scope, &mut facts);
                }
            }
            _ => {}
        }
        self.add_narrowings(facts, body_span(rest));
    }

    /// `match x:` with `case C():` (or `case C() as y`) narrows `x` to a `C`
    /// in the case's body, and to anything but a `C` in the later cases
    /// (when the case has no guard: a guard may fail on a `C`).
    pub(super) fn narrow_cases(&mut self, match_stmt: &ast::StmtMatch) {
        let Expr::Name(subject) = &*match_stmt.subject else { return };
        let mut failed: Vec<exprs::ValueExpr> = Vec::new();
        for case in &match_stmt.cases {
            let class = match &case.pattern {
                ast::Pattern::MatchClass(class) => Some(&class.cls),
                ast::Pattern::MatchAs(ast::PatternMatchAs { pattern: Some(inner), .. }) => match &**inner {
                    ast::Pattern::MatchClass(class) => Some(&class.cls),
                    _ => None,
                },
                _ => None,
            };
            let class = class.and_then(|c| exprs::class_chain(c, self.scope));
            let test = |classes: exprs::ValueExpr| Test { name: subject.id.to_string(), classes, subclass: false, exact: false };
            let mut facts: Vec<Fact> = failed.iter().map(|c| (test(c.clone()), true)).collect();
            facts.extend(class.clone().map(|c| (test(c), false)));
            self.add_narrowings(facts, body_span(&case.body));
            if let Some(class) = class.filter(|_| case.guard.is_none()) {
                failed.push(class);
            }
        }
    }

    /// `a if isinstance(x, C) else b`: `x` is a `C` in `a` and not in `b`;
    /// `isinstance(x, C) and x.go()`, `not isinstance(x, C) or x.go()`:
    /// a `C` in what the earlier operands let run.
    pub(super) fn narrow_expr(&mut self, expr: &Expr) {
        match expr {
            Expr::If(if_exp) => {
                for (failed, arm) in [(false, &if_exp.body), (true, &if_exp.orelse)] {
                    let mut facts = Vec::new();
                    facts_of(&if_exp.test, failed, self.scope, &mut facts);
                    self.add_expr_narrowings(facts, arm.range());
                }
            }
            Expr::BoolOp(op) => {
                let failed = op.op == ast::BoolOp::Or;
                for (i, value) in op.values.iter().enumerate().skip(1) {
                    let mut facts = Vec::new();
                    op.values[..i].iter().for_each(|v| facts_of(v, failed, self.scope, &mut facts));
                    self.add_expr_narrowings(facts, value.range());
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
            let mut facts = Vec::new();
            for test in &generator.ifs {
                facts_of(test, false, self.scope, &mut facts);
            }
            let ranges: Vec<TextRange> = results.iter().map(|r| r.range()).chain([TextRange::new(last.end(), comprehension.end())]).collect();
            for range in ranges {
                self.add_expr_narrowings(facts.clone(), range);
            }
        }
    }

    /// Narrowings of an expression's `range`: in the current scope and,
    /// inside comprehensions, in each scope out to the first that is none
    /// (a name tested there may be bound in any of them; the scopes where
    /// it is not bound never read it).
    fn add_expr_narrowings(&mut self, facts: Vec<Fact>, range: TextRange) {
        if facts.is_empty() {
            return;
        }
        let mut scopes: Vec<ScopeId> = vec![self.scope];
        let mut scope = self.scope;
        while self.comprehensions.contains(&scope) {
            scope = self.summary.scopes[scope as usize].parent.unwrap_or(0);
            scopes.push(scope);
        }
        let range = Span::new(range.start().to_u32(), range.end().to_u32());
        for (Test { name, classes, subclass, exact }, negative) in facts {
            for &scope in &scopes {
                self.summary.narrowings.push(Narrowing { scope, name: name.as_str().into(), classes: classes.clone(), range, subclass, negative, exact });
            }
        }
    }

    fn add_narrowings(&mut self, facts: Vec<Fact>, range: Option<Span>) {
        let Some(range) = range else { return };
        for (Test { name, classes, subclass, exact }, negative) in facts {
            self.summary.narrowings.push(Narrowing { scope: self.scope, name: name.into(), classes, range, subclass, negative, exact });
        }
    }
}

/// The narrowing facts `test` proves when it holds (`failed` false) or
/// when it fails: `isinstance(x, C)` holds `x` a `C`, fails it not a `C`;
/// `not` swaps them; `a and b` holding holds both, `a or b` failing fails
/// both (and nothing is known of the operands otherwise). A failed
/// `issubclass` proves nothing kept here; `type(x) is C` is
/// [`exprs::type_test`].
fn facts_of(test: &Expr, failed: bool, scope: super::ScopeId, out: &mut Vec<Fact>) {
    match test {
        Expr::BoolOp(op) if (op.op == ast::BoolOp::And) != failed => op.values.iter().for_each(|v| facts_of(v, failed, scope, out)),
        Expr::BoolOp(_) => {}
        Expr::UnaryOp(op) if op.op == ast::UnaryOp::Not => facts_of(&op.operand, !failed, scope, out),
        _ => {
            // `type(x) is C` holding makes `x` exactly a `C`; failing, it
            // proves nothing (`x` may be a subclass's instance).
            if let Some((test, holds)) = exprs::type_test(test, scope) {
                if holds != failed {
                    out.push((test, false));
                }
                return;
            }
            let mut tests = Vec::new();
            exprs::isinstance_tests(test, scope, &mut tests);
            out.extend(tests.into_iter().filter(|t| !(failed && t.subclass)).map(|t| (t, failed)));
        }
    }
}

/// Whether an `if` without `else` leaves its block in every branch: the
/// statements after it run only where every test failed.
pub(super) fn exits_every_branch(if_stmt: &ast::StmtIf) -> bool {
    !falls_through(&if_stmt.body) && if_stmt.elif_else_clauses.iter().all(|c| c.test.is_some() && !falls_through(&c.body))
}

fn body_span(body: &[Stmt]) -> Option<Span> {
    let (first, last) = (body.first()?, body.last()?);
    Some(Span::new(first.start().to_u32(), last.end().to_u32()))
}
