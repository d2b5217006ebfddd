//! Re-summarising only the method an edit is in (method.rs): the splice
//! equals extracting the whole text, or is refused.

use expect_test::{Expect, expect};
use proptest::prelude::*;
use ruff_python_ast::PySourceType;

use super::FileSummary;
use crate::graph::local_tests::{METHODS, TYPED_IN_METHODS, replace_at};

/// `fixture` with `$0` where `typed` is typed: the first line of the
/// method re-summarised (and the syntax errors of the text after), or why
/// it is not; a splice must equal what the whole text gives.
fn check_method(fixture: &str, typed: &str, expect: Expect) {
    let old = fixture.replace("$0", "");
    expect.assert_eq(&outcome(&FileSummary::extract(&old), &old, &fixture.replace("$0", typed), None).0);
}

/// Like [`check_method`], after `broken` was typed at `$0` (a method
/// splice with syntax errors, all in the method): `typed` is typed after it.
fn check_mended(fixture: &str, broken: &str, typed: &str, expect: Expect) {
    let old = fixture.replace("$0", "");
    let mid = fixture.replace("$0", broken);
    let summary = FileSummary::extract(&old);
    let spliced = summary.splice_method(&old, &mid, PySourceType::Python, None).expect("the break is spliced");
    let errors_in = spliced.errors_in();
    assert!(errors_in.is_some(), "the break has syntax errors");
    expect.assert_eq(&outcome(&spliced.summary, &mid, &fixture.replace("$0", &format!("{broken}{typed}")), errors_in).0);
}

/// Like [`check_method`], after `broken` was typed at `$0` and the whole
/// text extracted (no splice saw the break): `typed` is typed after it.
fn check_attributed(fixture: &str, broken: &str, typed: &str, expect: Expect) {
    let old = fixture.replace("$0", "");
    let mid = fixture.replace("$0", broken);
    let (summary, holder) = unspliced_attributed(&FileSummary::extract(&old), &old, &mid);
    let held = holder.map_or("no method holds the errors".to_owned(), |span| format!("{:?} holds the errors", mid[span.range()].lines().next().unwrap_or("")));
    let (outcome, _) = outcome(&summary, &mid, &fixture.replace("$0", &format!("{broken}{typed}")), holder);
    expect.assert_eq(&format!("{held}; {outcome}"));
}

/// What re-summarising the method holding the edit from `old` (its
/// `summary`) to `new` gives, checked equal to what the whole text gives,
/// and where the new text's syntax errors are when it has some.
fn outcome(summary: &FileSummary, old: &str, new: &str, errors_in: Option<super::Span>) -> (String, Option<super::Span>) {
    match summary.splice_method(old, new, PySourceType::Python, errors_in) {
        Ok(spliced) => {
            assert_eq!(spliced.summary, unspliced(summary, old, new), "the splice differs from extracting {new:?}");
            let errors = match spliced.summary.syntax_errors {
                0 => String::new(),
                n => format!(", {n} syntax errors"),
            };
            (format!("re-summarised: {:?}{errors}", new[spliced.region.start as usize..].lines().next().unwrap_or("")), spliced.errors_in())
        }
        Err(reason) => (format!("refused: {reason}"), None),
    }
}

/// The summary of `new` without a splice, after `old` summarised as
/// `previous`: extracted, the previous summary standing in where a syntax
/// error lost definitions (see recovered.rs), as the graph makes it.
pub(super) fn unspliced(previous: &FileSummary, old: &str, new: &str) -> FileSummary {
    unspliced_attributed(previous, old, new).0
}

/// [`unspliced`], and the method holding all the syntax errors of `new`
/// when the summary is its recovered parse's whole (see
/// [`FileSummary::extract_attributed`]), as the graph makes them.
fn unspliced_attributed(previous: &FileSummary, old: &str, new: &str) -> (FileSummary, Option<super::Span>) {
    let parsed = ruff_python_parser::parse_unchecked_source(new, PySourceType::Python);
    let (fresh, holder) = FileSummary::extract_attributed(new, &parsed);
    match fresh.syntax_errors {
        0 => (fresh, holder),
        _ => match FileSummary::recovered(fresh, previous, old, new, parsed.tokens()) {
            (summary, true) => (summary, holder),
            (summary, false) => (summary, None),
        },
    }
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
fn the_class_lines_before_a_method_end_at_any_line_break() {
    // Which statement of the class holds a method is read from its lines,
    // which end at `\n`, `\r\n` and a bare `\r` alike.
    let typed = |fixture: &str, at: &str, typed: &str| {
        let (old, new) = (fixture.replace(at, ""), fixture.replace(at, typed));
        outcome(&FileSummary::extract(&old), &old, &new, None).0
    };
    for end in ["\r\n", "\r"] {
        let shop = SHOP.replace('\n', end);
        let names = typed(&shop.replace("return [helper(i)", "return [helper(i$0)"), "$0", ", 1");
        assert!(names.starts_with("re-summarised: \"def names(self):"), "{end:?}: {names}");
        let path = typed(&shop.replace("return os.sep", "return os.sep$0"), "$0", ".upper()");
        assert_eq!(path, "refused: a statement of the class may hold the method", "{end:?}");
    }
    // A line indented by spaces then a tab may hold it: refused.
    let tabbed = SHOP.replace("    kind = \"shop\"", "  \tkind = \"shop\"");
    check_method(&tabbed.replace("return [helper(i)", "return [helper(i$0)"), ", 1", expect!["refused: a statement of the class may hold the method"]);
}

#[test]
fn a_renamed_method_or_a_changed_signature_is_re_summarised() {
    // What the method shows is its definition's own: renamed, given a
    // parameter, a default or a decorator, only the method is parsed again.
    check_method(&METHODS.replace("def report", "def report$0"), "s", expect![[r#"re-summarised: "def reports(self):""#]]);
    check_method(&METHODS.replace("def report(self)", "def report(self$0)"), ", n", expect![[r#"re-summarised: "def report(self, n):""#]]);
    check_method(&METHODS.replace("def read(self, n)", "def read(self, n$0)"), "=unit", expect![[r#"re-summarised: "def read(self, n=unit):""#]]);
    check_method(&METHODS.replace("@staticmethod", "@staticmethod$0"), "_", expect![[r#"re-summarised: "@staticmethod_""#]]);
    // Must not: the class binds the new name after the method, or writes
    // the old one (`self.last` after `add`).
    let bound_after = METHODS.replace("limit = 10", "reports = 10").replace("rate=limit", "rate=reports");
    check_method(
        &bound_after.replace("def report", "def report$0"),
        "s",
        expect!["refused: code after the method binds or writes a name it binds in its class"],
    );
    check_method(
        &SHOP.replace("self.last = item", "self.last$0 = item"),
        "_",
        expect!["refused: code after the method binds or writes a name it binds in its class"],
    );
}

#[test]
fn an_edit_that_changes_what_the_method_shows_is_refused() {
    check_method(
        &METHODS.replace("return str(total) + self.unit", "return $0str(total) + self.unit"),
        "self.read(3) or ",
        expect![[r#"re-summarised: "def report(self):""#]],
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

#[test]
fn a_broken_method_is_re_summarised_from_its_recovered_lines() {
    check_method(
        &METHODS.replace("self.log.append(value)", "self.log.append(value)$0"),
        " +",
        expect![[r#"re-summarised: "def read(self, n):", 1 syntax errors"#]],
    );
    check_method(
        &METHODS.replace("        value = scaled(n)", "$0        value = scaled(n)"),
        "        self.\n",
        expect![[r#"re-summarised: "def read(self, n):", 1 syntax errors"#]],
    );
    // A string left open on a line that is not the method's last ends there.
    check_method(
        &METHODS.replace("        value = scaled(n)", "$0        value = scaled(n)"),
        "        print(\"\n",
        expect![[r#"re-summarised: "def read(self, n):", 4 syntax errors"#]],
    );
    // Mended, or broken on: the old text's only error was in the method.
    let read = METHODS.replace("self.log.append(value)", "self.log.append(value)$0");
    check_mended(&read, " +", " 1", expect![[r#"re-summarised: "def read(self, n):""#]]);
    check_mended(&read, " +", " n +", expect![[r#"re-summarised: "def read(self, n):", 1 syntax errors"#]]);
}

#[test]
fn a_statement_typed_after_a_method_extends_it() {
    let after = METHODS.replace("return str(total) + self.unit\n", "return str(total) + self.unit\n        $0\n");
    check_method(&after, "scaled = total", expect![[r#"re-summarised: "def report(self):""#]]);
    check_method(&after, "self.unit +", expect!["refused: no def or class follows the method with syntax errors"]);
    let after_read = METHODS.replace("        return value\n", "        return value\n        $0\n");
    check_method(&after_read, "self.unit +", expect![[r#"re-summarised: "def read(self, n):", 1 syntax errors"#]]);
    check_method(&after, "print(self.", expect!["refused: a bracket, string or indentation of the method is open at its end"]);
    // At the class's indentation it is a statement of the class.
    check_method(
        &METHODS.replace("return str(total) + self.unit\n", "return str(total) + self.unit\n    $0\n"),
        "scaled = 1",
        expect!["refused: the method's lines are not one function spanning it"],
    );
}

#[test]
fn a_broken_method_whose_error_may_run_on_is_refused() {
    // Open at the method's end, a bracket or a string would run on into
    // the next method in the whole text; so would a line continuation.
    check_method(
        &METHODS.replace("return str(total) + self.unit", "return str(total) + self.unit$0"),
        ".upper(",
        expect!["refused: no def or class follows the method with syntax errors"],
    );
    check_method(
        &METHODS.replace("return str(total) + self.unit", "return str(total) + self.unit$0"),
        " + \"",
        expect!["refused: no def or class follows the method with syntax errors"],
    );
    check_method(
        &METHODS.replace("return str(total) + self.unit", "return str(total) + self.unit$0"),
        " + \\",
        expect!["refused: the method's last line continues on the next"],
    );
    check_method(
        &METHODS.replace("        value = scaled(n)", "$0        value = scaled(n)"),
        "        \"\"\"",
        expect!["refused: a bracket, string or indentation of the method is open at its end"],
    );
    check_method(
        &METHODS.replace("        value = scaled(n)", "$0        value = scaled(n)"),
        "        f(\n",
        expect![[r#"re-summarised: "def read(self, n):", 2 syntax errors"#]],
    );
    check_method(
        &METHODS.replace("            return k * self.rate", "      $0      return k * self.rate"),
        "x\n",
        expect!["refused: a bracket, string or indentation of the method is open at its end"],
    );
    // A bracket the next line's `return` closes, in a method a `def`
    // follows; in one `limit = 10` follows, where one the stand-in's
    // `pass` closes could read on into what follows in the whole text.
    check_method(
        &METHODS.replace("        return value\n", "$0        return value\n"),
        "        print(value\n",
        expect![[r#"re-summarised: "def read(self, n):", 1 syntax errors"#]],
    );
    check_method(
        &METHODS.replace("        return str(total)", "$0        return str(total)"),
        "        print(total\n",
        expect!["refused: no def or class follows the method with syntax errors"],
    );
    // An error outside the method (its must-not twin the mended one
    // above), or not known to be in it.
    let broken = METHODS.replace("self.log.append(value)", "self.log.append(value) +");
    check_method(&broken.replace("total = self.read(2)", "total = self.read(2)$0"), " + 1", expect!["refused: the text has syntax errors outside the method"]);
    check_method(&broken.replace("append(value) +", "append(value) +$0"), " 1", expect!["refused: the text has syntax errors outside the method"]);
}

#[test]
fn a_method_broken_before_any_splice_is_found_by_the_whole_parse() {
    // A method typed between two others: its body is missing.
    let typed = METHODS.replace("    def report(self):", "    def extra(self):\n        $0\n\n    def report(self):");
    check_attributed(&typed, "", "x = self.rate", expect![[r#""def extra(self):" holds the errors; re-summarised: "def extra(self):""#]]);
    check_attributed(&typed, "", "self.", expect![[r#""def extra(self):" holds the errors; re-summarised: "def extra(self):", 1 syntax errors"#]]);
    check_attributed(
        &METHODS.replace("self.log.append(value)", "self.log.append(value)$0"),
        " +",
        " n +",
        expect![[r#""def read(self, n):" holds the errors; re-summarised: "def read(self, n):", 1 syntax errors"#]],
    );
    // Errors in two methods: none holds them all.
    let twice = METHODS.replace("self.log.append(value)", "self.log.append(value) +").replace("total = self.read(2)", "total = self.read(2)$0");
    check_attributed(&twice, " +", " 1", expect!["no method holds the errors; refused: the text has syntax errors outside the method"]);
}

#[test]
fn whitespace_typed_at_a_methods_end_is_not_part_of_it() {
    check_method(&METHODS.replace("        return value\n", "        return value$0\n"), " ", expect![[r#"re-summarised: "def read(self, n):""#]]);
    check_method(&METHODS.replace("        return value\n", "        return value\n$0"), "        ", expect![[r#"re-summarised: "def read(self, n):""#]]);
    // Broken at its end, the operand the parser stands in for the missing
    // one starts where the method ends, outside it: refused.
    let end = METHODS.replace("        return value\n", "        return value$0\n");
    check_mended(&end, " +", " ", expect!["refused: the method's old lines alone summarise otherwise"]);
}

/// What is typed into `SHOP`, besides what is typed into `METHODS`:
/// attributes defined and extended, imports, `global`, new scopes, and
/// what breaks a line: a bracket, a string or a triple quote left open, a
/// dangling operator, a half `def`, a line continuation.
const TYPED_IN_SHOP: [&str; 19] = [
    " ",
    "self.last = 1\n        ",
    "self.kind = 2\n        ",
    "import os\n        ",
    "global RATE\n        ",
    "[i for i in x]",
    "lambda: 0",
    "return self.name\n",
    "if x:\n    ",
    "[",
    "\"\"\"",
    "'",
    " + ",
    "def ",
    " \\\n",
    "x = ",
    "    ",
    "@property\n    ",
    "\n",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Each edit's method splice, when there is one, equals what the
    /// whole text gives (broken or not); the next edit starts from that.
    #[test]
    fn a_method_splice_equals_extracting_the_text(
        shop in any::<bool>(),
        edits in prop::collection::vec((0..2048usize, 0..4usize, 0..TYPED_IN_METHODS.len() + TYPED_IN_SHOP.len()), 1..16),
    ) {
        let mut text = if shop { SHOP } else { METHODS }.to_owned();
        let (mut summary, mut errors_in) = (FileSummary::extract(&text), None);
        for (at, removed, typed) in edits {
            let typed = TYPED_IN_METHODS.get(typed).or_else(|| TYPED_IN_SHOP.get(typed - TYPED_IN_METHODS.len())).copied().unwrap_or("");
            let new = replace_at(&text, at, removed, typed);
            let (extracted, holder) = unspliced_attributed(&summary, &text, &new);
            let spliced = summary.splice_method(&text, &new, PySourceType::Python, errors_in);
            // Refused, the whole text's parse finds where its errors are.
            errors_in = spliced.as_ref().map_or(holder, super::Spliced::errors_in);
            if let Ok(spliced) = spliced {
                prop_assert_eq!(&spliced.summary, &extracted, "{:?} -> {:?}", text, new);
                let moved = summary.moved(&text, &new) == extracted;
                let over = summary.moved_over(&spliced.summary, spliced.region, spliced.edit);
                prop_assert!(!over || moved, "{:?} -> {:?}", text, new);
            }
            (text, summary) = (new, extracted);
        }
    }
}
