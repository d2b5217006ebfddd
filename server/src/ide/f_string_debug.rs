//! The `{expr=}` elements of f-strings: they print the expression's own
//! text, so an edit inside one changes what the program prints.

use ruff_python_ast::visitor::source_order::{SourceOrderVisitor, TraversalSignal};
use ruff_python_ast::{AnyNodeRef, Stmt};
use ruff_text_size::{Ranged, TextRange};

/// The ranges of the `{...=}` elements of `body`.
pub(super) fn debug_elements(body: &[Stmt]) -> Vec<TextRange> {
    struct Find(Vec<TextRange>);
    impl<'a> SourceOrderVisitor<'a> for Find {
        fn enter_node(&mut self, node: AnyNodeRef<'a>) -> TraversalSignal {
            if let AnyNodeRef::InterpolatedElement(e) = node
                && e.debug_text.is_some()
            {
                self.0.push(e.range());
            }
            TraversalSignal::Traverse
        }
    }
    let mut find = Find(Vec::new());
    find.visit_body(body);
    find.0
}

#[cfg(test)]
#[path = "f_string_debug_tests.rs"]
mod tests;
