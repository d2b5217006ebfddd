//! Tokens computed from the last answer after edits that change what
//! names are, far from the edit: a definition, a parameter or an import
//! renamed, a class made a function, a property a method, lines added and
//! removed, syntax errors appearing and vanishing.

use super::tests::tokens_after_each_edit;
use super::*;

const MODULE: &str = r#"import os
from collections import OrderedDict as Ordered


class Cart:
    RATE = 2

    def __init__(self, items):
        self.items = items

    @property
    def total(self):
        return sum(self.items) * self.RATE

    def add(self, item, count=1):
        self.items.append(item)
        return self.total


def helper(value, scale):
    cart = Cart([value])
    cart.add(value)
    return cart.total * scale


def report(path):
    data = Ordered()
    data[path] = os.path.join(path, "x")
    return helper(len(data), 2)


LIMIT = helper(1, 2)
"#;

/// Each edit: a text of [`MODULE`] and what it becomes; made when the text
/// holds the first, undone when it holds the second.
const EDITS: [(&str, &str); 11] = [
    // A definition renamed: its reads elsewhere resolve to nothing.
    ("def helper(", "def helper2("),
    // A parameter renamed: the reads in its body.
    ("def report(path):", "def report(p):"),
    // An import's alias, and a module bound to another.
    ("OrderedDict as Ordered", "OrderedDict as Ord"),
    ("import os\n", "import sys as os\n"),
    // A class made a function: `Cart(...)`, `cart.add` elsewhere.
    ("class Cart:", "def Cart():"),
    // A property made a method: `cart.total` in `helper`.
    ("    @property\n", ""),
    // Lines added and removed.
    ("\n\ndef report", "\n\n# note\nx = 1\n\n\ndef report"),
    ("        self.items.append(item)\n", ""),
    // Syntax errors appearing and vanishing.
    ("    cart.add(value)\n", "    cart.add(value\n"),
    ("def add(self, item", "def_ add(self, item"),
    ("LIMIT = helper(1, 2)", "LIMIT = helper(1, 2"),
];

/// [`EDITS`]' `which` made, or undone when made already.
fn toggled(text: &str, which: usize) -> String {
    let (before, after) = EDITS[which];
    match text.contains(before) {
        true => text.replacen(before, after, 1),
        false => text.replacen(after, before, 1),
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Any sequence of the edits, each made or undone: the tokens computed
    /// from the last answer equal the file's computed afresh (and opened
    /// afresh, when it parses).
    #[test]
    fn tokens_after_edits_that_change_names_far_away_equal_fresh_ones(edits in proptest::collection::vec(0..EDITS.len(), 1..10)) {
        tokens_after_each_edit(MODULE, edits.into_iter().map(|which| move |text: &str| toggled(text, which)))?;
    }
}

#[test]
fn a_property_made_a_method_recolours_its_reads_in_other_functions() {
    let path = std::path::Path::new("/ws/lib.py");
    let mut graph = crate::graph::tests::build(&[(path.to_owned(), MODULE.to_owned())]);
    let file = graph.file_id(path).unwrap();
    let last = computed(&graph, file, None);
    // `cart.total` in `helper`, far from the edit.
    let read = |graph: &Graph, computed: &Computed| {
        let at = graph.file(file).unwrap().text().find("cart.total").unwrap() as u32 + "cart.".len() as u32;
        computed.tokens.iter().find(|t| t.span.start == at).map(|t| t.kind)
    };
    assert_eq!(read(&graph, &last), Some(TokenType::Property));
    graph.update_file_deferred(path, &toggled(MODULE, 5));
    let next = computed(&graph, file, Some(&last));
    assert_eq!(read(&graph, &next), Some(TokenType::Method));
    assert_eq!(*next.tokens, tokens(&graph, file, None));
    // Must stay: an edit of a body that reads nothing of it leaves it a property.
    let mut graph = crate::graph::tests::build(&[(path.to_owned(), MODULE.to_owned())]);
    graph.update_file_deferred(path, &MODULE.replace("return helper(len(data), 2)", "return helper(len(data), 3)"));
    let next = computed(&graph, file, Some(&last));
    assert_eq!(read(&graph, &next), Some(TokenType::Property));
}
