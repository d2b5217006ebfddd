//! Bindings for type checkers only: the module-level `if TYPE_CHECKING:`,
//! `if typing.TYPE_CHECKING:` and `if False:` blocks never run, so what
//! they bind does not exist at run time. Code an edit places where it runs
//! (an inlined body, a moved definition, a new default value) must not
//! read such a name: every refactoring that writes code asks here.

use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{self as ast, AnyNodeRef, Expr, Stmt};
use ruff_text_size::Ranged;

use crate::graph::{FileEntry, Span};

/// The bodies of the module-level `if TYPE_CHECKING:`, `if
/// typing.TYPE_CHECKING:` and `if False:` blocks: code that never runs;
/// each with whether type checkers read it (not `if False:`).
pub(super) fn blocks(text: &str) -> Vec<(Span, bool)> {
    fn walk(body: &[Stmt], out: &mut Vec<(Span, bool)>) {
        for stmt in body {
            match stmt {
                Stmt::If(ast::StmtIf { test, body, elif_else_clauses, .. }) => {
                    let never = match test.as_ref() {
                        Expr::Name(name) => (name.id.as_str() == "TYPE_CHECKING").then_some(true),
                        Expr::Attribute(attr) => (attr.attr.id.as_str() == "TYPE_CHECKING").then_some(true),
                        Expr::BooleanLiteral(literal) => (!literal.value).then_some(false),
                        _ => None,
                    };
                    if let (Some(seen), Some(first), Some(last)) = (never, body.first(), body.last()) {
                        out.push((Span::new(first.start().to_u32(), last.end().to_u32()), seen));
                    }
                    walk(body, out);
                    elif_else_clauses.iter().for_each(|clause| walk(&clause.body, out));
                }
                Stmt::Try(ast::StmtTry { body, handlers, orelse, finalbody, .. }) => {
                    walk(body, out);
                    for ast::ExceptHandler::ExceptHandler(handler) in handlers {
                        walk(&handler.body, out);
                    }
                    walk(orelse, out);
                    walk(finalbody, out);
                }
                Stmt::With(ast::StmtWith { body, .. }) => walk(body, out),
                _ => {}
            }
        }
    }
    let parsed = ruff_python_parser::parse_unchecked_source(text, ast::PySourceType::Python);
    let mut out = Vec::new();
    walk(&parsed.syntax().body, &mut out);
    out
}

/// Where `entry` binds `name` when its module-level bindings of it are all
/// for type checkers only (none at run time); `None` when it binds it at
/// run time somewhere, or not at all.
pub fn binding(entry: &FileEntry, name: &str) -> Option<Span> {
    let bindings: Vec<Span> = entry.summary.bindings.iter().filter(|b| b.scope == 0 && b.name == name).map(|b| b.range).collect();
    let never = blocks(entry.text());
    let inside = |b: &Span| never.iter().any(|(block, _)| block.start <= b.start && b.end <= block.end);
    (!bindings.is_empty() && bindings.iter().all(inside)).then(|| bindings[0])
}

/// The first name the expressions read (evaluated in `entry`'s module
/// scope at run time) that `entry` binds only for type checkers, and where
/// it binds it.
pub fn first_read<'a>(entry: &FileEntry, expressions: impl IntoIterator<Item = &'a Expr>) -> Option<(String, Span)> {
    struct Reads(Vec<String>);
    impl<'a> SourceOrderVisitor<'a> for Reads {
        fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
            // A lambda's body runs later, but in the same module: still a run-time read.
            if let AnyNodeRef::ExprName(name) = node
                && name.ctx.is_load()
            {
                self.0.push(name.id.to_string());
            }
            TraversalSignal::Traverse
        }
    }
    let mut reads = Reads(Vec::new());
    for expression in expressions {
        reads.visit_expr(expression);
    }
    reads.0.into_iter().find_map(|name| binding(entry, &name).map(|at| (name, at)))
}

/// The line (1-based) of `span` in `text`, for reasons.
pub fn line(text: &str, span: Span) -> usize {
    crate::line_ends::line_number(text, span.start as usize)
}

#[cfg(test)]
#[path = "checking_only_tests.rs"]
pub(crate) mod tests;
