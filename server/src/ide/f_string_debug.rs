//! The `{expr=}` elements of f-strings: they print their expression's own
//! text, so an edit inside it changes what the program prints. One answer
//! for every refactoring: what is printed is the expression, from its
//! first character to its last, whatever spaces surround it (`{x=  }`);
//! a format spec after it (`{x=:{width}}`) is evaluated, not printed.

use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{AnyNodeRef, InterpolatedElement, Stmt};
use ruff_text_size::{Ranged, TextRange};

/// The range of the expression that `element` prints as text, when it is
/// a `{...=}`.
pub(super) fn printed(element: &InterpolatedElement) -> Option<TextRange> {
    element.debug_text.as_ref().map(|_| element.expression.range())
}

/// The ranges of the expressions that the `{...=}` elements of `body` print.
pub(super) fn printed_in(body: &[Stmt]) -> Vec<TextRange> {
    struct Find(Vec<TextRange>);
    impl<'a> SourceOrderVisitor<'a> for Find {
        fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
            if let AnyNodeRef::InterpolatedElement(e) = node {
                self.0.extend(printed(e));
            }
            TraversalSignal::Traverse
        }
    }
    let mut find = Find(Vec::new());
    find.visit_body(body);
    find.0
}

/// Whether `range`, reached through the nodes of `chain`, is inside an
/// expression that a `{...=}` prints.
pub(super) fn printed_on(chain: &[AnyNodeRef], range: TextRange) -> bool {
    chain.iter().any(|node| matches!(node, AnyNodeRef::InterpolatedElement(e) if printed(e).is_some_and(|p| p.contains_range(range))))
}

#[cfg(test)]
#[path = "f_string_debug_tests.rs"]
mod tests;
