//! Folding ranges from the tree-sitter tree of an open buffer: blocks
//! (definitions and compound statements), multi-line brackets and strings,
//! runs of imports and runs of comment lines.

use tree_sitter::{Node, Tree};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FoldKind {
    Region,
    Imports,
    Comment,
}

/// Lines `start..=end` (zero-based) fold to the first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fold {
    pub start: usize,
    pub end: usize,
    pub kind: FoldKind,
}

/// Nodes folded on their own: compound statements and multi-line literals.
const FOLDED: &[&str] = &[
    "function_definition",
    "class_definition",
    "decorated_definition",
    "if_statement",
    "elif_clause",
    "else_clause",
    "for_statement",
    "while_statement",
    "try_statement",
    "except_clause",
    "finally_clause",
    "with_statement",
    "match_statement",
    "case_clause",
    "argument_list",
    "parameters",
    "list",
    "tuple",
    "dictionary",
    "set",
    "list_comprehension",
    "dictionary_comprehension",
    "set_comprehension",
    "generator_expression",
    "parenthesized_expression",
    "string",
];

pub fn folds(tree: &Tree) -> Vec<Fold> {
    let mut out = Vec::new();
    collect(tree.root_node(), &mut out);
    out.sort();
    out.dedup();
    out
}

fn collect(node: Node<'_>, out: &mut Vec<Fold>) {
    let mut cursor = node.walk();
    let children: Vec<Node<'_>> = node.children(&mut cursor).collect();
    // Runs of siblings: consecutive imports, consecutive comment lines.
    let mut run: Option<(FoldKind, usize, usize)> = None;
    for child in &children {
        let kind = match child.kind() {
            "import_statement" | "import_from_statement" | "future_import_statement" => Some(FoldKind::Imports),
            "comment" => Some(FoldKind::Comment),
            _ => None,
        };
        let (start, end) = (child.start_position().row, child.end_position().row);
        run = match (run, kind) {
            (Some((k, s, e)), Some(kind)) if k == kind && start <= e + 1 => Some((k, s, end.max(e))),
            (previous, kind) => {
                push_run(previous, out);
                kind.map(|k| (k, start, end))
            }
        };
        if FOLDED.contains(&child.kind()) {
            // A block's last line is its body's; a trailing newline does not count.
            let end = if child.end_position().column == 0 { child.end_position().row.saturating_sub(1) } else { child.end_position().row };
            if end > start {
                out.push(Fold { start, end, kind: FoldKind::Region });
            }
        }
        collect(*child, out);
    }
    push_run(run, out);
}

fn push_run(run: Option<(FoldKind, usize, usize)>, out: &mut Vec<Fold>) {
    if let Some((kind, start, end)) = run
        && end > start
    {
        out.push(Fold { start, end, kind });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(source: &str, expected: expect_test::Expect) {
        let tree = crate::syntax::parse_rope(&ropey::Rope::from_str(source), None).unwrap();
        let rendered: Vec<String> = folds(&tree).iter().map(|f| format!("{}..={} {:?}", f.start, f.end, f.kind)).collect();
        expected.assert_eq(&rendered.join("\n"));
    }

    #[test]
    fn lines_ended_by_a_bare_carriage_return_fold_as_the_editor_counts_them() {
        let source = "import os\nimport sys\n\ndef f(a,\n      b):\n    return a\n\nclass C:\n    x = 1\n    y = 2\n";
        let expected = || {
            expect_test::expect![[r#"
            0..=1 Imports
            3..=4 Region
            3..=5 Region
            7..=9 Region"#]]
        };
        check(&source.replace('\n', "\r"), expected());
        // Must stay: `\n` and `\r\n` fold on the same lines.
        check(source, expected());
        check(&source.replace('\n', "\r\n"), expected());
    }

    #[test]
    fn blocks_brackets_imports_and_comments_fold() {
        check(
            r#"import os
import sys
from typing import (
    Any,
)

# one
# two
class Cart:
    """Items.

    More."""

    def total(self):
        if self.items:
            return sum(
                self.items,
            )
        return 0
"#,
            expect_test::expect![[r#"
                0..=4 Imports
                6..=7 Comment
                8..=18 Region
                9..=11 Region
                13..=18 Region
                14..=17 Region
                15..=17 Region"#]],
        );
    }
}
