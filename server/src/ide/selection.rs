//! Selection ranges from the tree-sitter tree: from the word at a position
//! out through each enclosing syntax node to the whole file.

use tree_sitter::Tree;

use crate::graph::Span;

/// The nested spans around `offset`, innermost first, each strictly larger
/// than the one before.
pub fn expanding(tree: &Tree, offset: usize) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    let mut node = tree.root_node().descendant_for_byte_range(offset, offset);
    while let Some(current) = node {
        let span = Span::new(current.start_byte() as u32, current.end_byte() as u32);
        let grows = spans.last().is_none_or(|last| span.start <= last.start && span.end >= last.end && span != *last);
        if grows {
            spans.push(span);
        }
        node = current.parent();
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(marked: &str, expected: expect_test::Expect) {
        let offset = marked.find("$0").unwrap();
        let source = marked.replace("$0", "");
        let tree = crate::syntax::parse_rope(&ropey::Rope::from_str(&source), None).unwrap();
        let rendered: Vec<String> = expanding(&tree, offset).iter().map(|s| format!("{:?}", &source[s.range()])).collect();
        expected.assert_eq(&rendered.join("\n"));
    }

    #[test]
    fn grows_from_the_name_to_the_file() {
        check(
            "def f(a):\n    return g(a, b$0c)\n",
            expect_test::expect![[r#"
                "bc"
                "(a, bc)"
                "g(a, bc)"
                "return g(a, bc)"
                "def f(a):\n    return g(a, bc)"
                "def f(a):\n    return g(a, bc)\n""#]],
        );
    }
}
