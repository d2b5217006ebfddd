//! Re-summarising only the method an edit is in (method.rs): the splice
//! equals extracting the whole text, or is refused.

use expect_test::{Expect, expect};
use proptest::prelude::*;
use ruff_python_ast::PySourceType;

use super::FileSummary;
use crate::graph::local_tests::{METHODS, TYPED_IN_METHODS, replace_at};

/// `fixture` with `$0` where `typed` is typed: the first line of the
/// method re-summarised, or why it is not; a splice must equal extracting
/// the new text.
fn check_method(fixture: &str, typed: &str, expect: Expect) {
    let old = fixture.replace("$0", "");
    let new = fixture.replace("$0", typed);
    let summary = FileSummary::extract(&old);
    let outcome = match summary.splice_method(&old, &new, PySourceType::Python) {
        Ok(super::Spliced { summary: spliced, region, .. }) => {
            assert_eq!(spliced, FileSummary::extract(&new), "the splice differs from extracting {new:?}");
            format!("re-summarised: {:?}", new[region.start as usize..].lines().next().unwrap_or(""))
        }
        Err(reason) => format!("refused: {reason}"),
    };
    expect.assert_eq(&outcome);
}

/// A class whose methods define, read and extend attributes, with a
/// property and its setter, a method under an `if` of the class, an
/// import in a method, a module-level name a method assigns (`global`),
/// comprehensions, and a class-level name after the methods.
const SHOP: &str = "\"\"\"Shop.\"\"\"\nimport os\n\nRATE = 2\n\n\nclass Shop:\n    \"\"\"A shop.\"\"\"\n    kind = \"shop\"\n\n    def __init__(self, name):\n        self.name = name\n        self.items = []\n\n    @property\n    def size(self):\n        return len(self.items)\n\n    @size.setter\n    def size(self, value):\n        self.items = list(range(value))\n\n    def add(self, item):\n        self.items.append(item)\n        self.last = item\n        return self\n\n    def names(self):\n        from app import helper\n        return [helper(i) for i in self.items]\n\n    if os.name == \"nt\":\n        def path(self):\n            return os.sep\n\n    def total(self):\n        global RATE\n        RATE = len(self.items)\n        count = sum(i for i in self.items)\n        return count * RATE\n\n    last = None\n\n\ndef shop():\n    return Shop(\"x\").add(1)\n";

#[test]
fn an_edit_in_a_method_re_summarises_the_method() {
    check_method(&METHODS.replace("total = self.read(2)", "total = self.read(2)$0"), " + 1", expect![[r#"re-summarised: "def report(self):""#]]);
    check_method(
        &METHODS.replace("return str(total) + self.unit", "return str(total) + self.unit$0"),
        ".upper()",
        expect![[r#"re-summarised: "def report(self):""#]],
    );
    check_method(
        &METHODS.replace("        return str(total)", "$0        return str(total)"),
        "        scaled = total * 2\n",
        expect![[r#"re-summarised: "def report(self):""#]],
    );
    // A function nested in the method is re-summarised with it.
    check_method(&METHODS.replace("return k * self.rate", "return k$0 * self.rate"), " + 1", expect![[r#"re-summarised: "def read(self, n):""#]]);
    check_method(&SHOP.replace("return [helper(i)", "return [helper(i$0)"), ", 1", expect![[r#"re-summarised: "def names(self):""#]]);
}

#[test]
fn an_edit_that_changes_what_the_method_shows_is_refused() {
    check_method(&METHODS.replace("def report", "def report$0"), "s", expect![[r#"refused: the edit changes the names the method binds in its class"#]]);
    check_method(
        &METHODS.replace("def report(self)", "def report(self$0)"),
        ", n",
        expect![[r#"refused: the edit changes the method's name, signature, decorators or return values"#]],
    );
    check_method(
        &METHODS.replace("return str(total) + self.unit", "return $0str(total) + self.unit"),
        "self.read(3) or ",
        expect![[r#"refused: the edit changes the method's name, signature, decorators or return values"#]],
    );
    check_method(
        &METHODS.replace("        total = self.read(2)", "$0        total = self.read(2)"),
        "        self.extra = 1\n",
        expect!["refused: the edit adds or removes a scope, definition or import"],
    );
    // A new scope renumbers the items after it.
    check_method(
        &METHODS.replace("total = self.read(2)", "total = $0self.read(2)"),
        "[k for k in ()] or ",
        expect![[r#"refused: the edit adds or removes a scope, definition or import"#]],
    );
}

#[test]
fn a_method_tied_to_the_rest_of_its_class_is_refused() {
    // `__init__` defines `rate`, which `read` reads after it: its must-not
    // twin is `report` above, whose name nothing after it writes.
    check_method(
        &METHODS.replace("self.rate = rate", "self.rate = rate$0"),
        " or 1",
        expect![[r#"refused: code after the method binds or writes a name it binds in its class"#]],
    );
    // A value added to an attribute an earlier method defines (in the
    // setter, the first's twin, a value inference follows).
    check_method(
        &METHODS.replace("        total = self.read(2)", "$0        total = self.read(2)"),
        "        self.rate = 2\n",
        expect![[r#"refused: the method adds a value to a definition before it"#]],
    );
    check_method(
        &SHOP.replace("self.items = list(range(value))", "self.items = list(range(value$0))"),
        " * 2",
        expect!["refused: the method adds a value to a definition before it"],
    );
    // `last` is bound again in the class after `add`; `total` assigns a
    // module-level name; `path` is under an `if` of the class.
    check_method(
        &SHOP.replace("self.last = item", "self.last = item$0"),
        " or 0",
        expect![[r#"refused: code after the method binds or writes a name it binds in its class"#]],
    );
    check_method(&SHOP.replace("return count * RATE", "return count$0 * RATE"), " + 1", expect!["refused: the method's old lines alone summarise otherwise"]);
    check_method(&SHOP.replace("return os.sep", "return os.sep$0"), ".upper()", expect![[r#"refused: a statement of the class may hold the method"#]]);
}

/// What is typed into `SHOP`, besides what is typed into `METHODS`:
/// attributes defined and extended, imports, `global`, new scopes.
const TYPED_IN_SHOP: [&str; 8] = [
    "self.last = 1\n        ",
    "self.kind = 2\n        ",
    "import os\n        ",
    "global RATE\n        ",
    "[i for i in x]",
    "lambda: 0",
    "return self.name\n",
    "if x:\n    ",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Each edit's method splice, when there is one, equals extracting the
    /// text; the next edit starts from that text.
    #[test]
    fn a_method_splice_equals_extracting_the_text(
        shop in any::<bool>(),
        edits in prop::collection::vec((0..2048usize, 0..4usize, 0..TYPED_IN_METHODS.len() + TYPED_IN_SHOP.len()), 1..16),
    ) {
        let mut text = if shop { SHOP } else { METHODS }.to_owned();
        let mut summary = FileSummary::extract(&text);
        for (at, removed, typed) in edits {
            let typed = TYPED_IN_METHODS.get(typed).or_else(|| TYPED_IN_SHOP.get(typed - TYPED_IN_METHODS.len())).copied().unwrap_or("");
            let new = replace_at(&text, at, removed, typed);
            let extracted = FileSummary::extract(&new);
            if let Ok(spliced) = summary.splice_method(&text, &new, PySourceType::Python) {
                prop_assert_eq!(&spliced.summary, &extracted, "{:?} -> {:?}", text, new);
                let moved = summary.moved(&text, &new) == extracted;
                let over = summary.moved_over(&spliced.summary, spliced.region, spliced.edit);
                prop_assert!(!over || moved, "{:?} -> {:?}", text, new);
            }
            (text, summary) = (new, extracted);
        }
    }
}
