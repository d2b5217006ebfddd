//! Comprehension scopes as Python runs them: the first iterable is
//! evaluated in the enclosing scope (`[i for i in range(size)]` in a class
//! body reads the class's `size`; `[item for item in items]` reads the
//! enclosing `items` whatever the loop variable is called), the rest in the
//! comprehension's own scope; and an assignment expression inside binds in
//! the nearest enclosing scope that is not a comprehension (PEP 572:
//! `[last := x for x in xs]` then `return last`).

use ruff_python_ast::visitor::Visitor;
use ruff_python_ast::{self as ast, Expr};
use ruff_text_size::{Ranged, TextRange};

use super::builder::Builder;
use super::{Protocol, ScopeId, ScopeKind};
use crate::graph::infer::exprs;

impl<'src> Builder<'src> {
    /// A list, set or dict comprehension or a generator expression.
    pub(super) fn visit_comprehension_scope(&mut self, expr: &'src Expr) {
        let (generators, results): (&'src [ast::Comprehension], Vec<&'src Expr>) = match expr {
            Expr::ListComp(c) => (&c.generators, vec![&*c.elt]),
            Expr::SetComp(c) => (&c.generators, vec![&*c.elt]),
            Expr::Generator(c) => (&c.generators, vec![&*c.elt]),
            Expr::DictComp(c) => (&c.generators, c.key.as_deref().into_iter().chain([&*c.value]).collect()),
            _ => return,
        };
        let Some((first, rest)) = generators.split_first() else { return };
        let outer = self.scope;
        self.implicit_iteration(&first.iter, first.is_async);
        self.visit_expr(&first.iter);
        let scope = self.push_scope(ScopeKind::Function, None, expr.range());
        self.comprehensions.push(scope);
        self.narrow_comprehension(expr, generators, &results);
        exprs::iteration_values(self.source, &first.target, &first.iter, outer, &mut self.pending);
        for test in &first.ifs {
            self.implicit(Protocol::Bool, test);
        }
        self.visit_expr(&first.target);
        for test in &first.ifs {
            self.visit_expr(test);
        }
        for generator in rest {
            self.visit_comprehension(generator);
        }
        for result in results {
            self.visit_expr(result);
        }
        self.comprehensions.pop();
        self.pop_scope();
    }

    /// `target := value`: bound in the scope enclosing the comprehensions
    /// around it, if any.
    pub(super) fn assign_named(&mut self, name: &str, range: TextRange) {
        let mut scope: ScopeId = self.scope;
        while self.comprehensions.contains(&scope) {
            scope = self.summary.scopes[scope as usize].parent.unwrap_or(0);
        }
        self.assign_in(scope, name, range, None);
    }
}
