//! Re-summarising only the statements an edit touched (spliced.rs): the
//! splice equals extracting the whole text, or is refused.

use expect_test::{Expect, expect};
use proptest::prelude::*;
use ruff_python_ast::PySourceType;

use super::FileSummary;
use super::method_tests::unspliced;
use crate::graph::local_tests::{LIB, TYPED, replace_at};

/// `fixture` with `$0` where `typed` is typed (`$0..$1`: the text between
/// them is replaced by it): the first line of each statement re-summarised,
/// or why the whole text is; a splice must equal extracting the new text.
fn check_splice(fixture: &str, typed: &str, expect: Expect) {
    let start = fixture.find("$0").expect("a $0 marker");
    let (old, new) = match fixture.find("$1") {
        Some(end) => {
            let old = fixture.replace("$0", "").replace("$1", "");
            let new = format!("{}{typed}{}", &fixture[..start], &fixture[end + 2..]);
            (old, new)
        }
        None => (fixture.replace("$0", ""), fixture.replace("$0", typed)),
    };
    let summary = FileSummary::extract(&old);
    let outcome = match summary.splice(&old, &new, PySourceType::Python) {
        Ok(super::Spliced { summary: spliced, region, .. }) => {
            assert_eq!(spliced, FileSummary::extract(&new), "the splice differs from extracting {new:?}");
            let inside = spliced.statements.iter().filter(|&&s| region.start <= s && s < region.new_end);
            let statements: Vec<&str> = inside.map(|&s| new[s as usize..].lines().next().unwrap_or("")).collect();
            format!("re-summarised: {statements:?}")
        }
        Err(reason) => format!("whole file: {reason}"),
    };
    expect.assert_eq(&outcome);
}

const MODULE: &str = "\"\"\"Orders.\"\"\"\nimport os\n\nLIMIT = 3\n\n\nclass Cart:\n    size = 1\n\n    def total(self):\n        return self.size * LIMIT\n\n\ndef checkout(cart):\n    return cart.total()\n";

#[test]
fn an_edit_inside_a_function_re_summarises_its_statement() {
    check_splice(&MODULE.replace("return cart.total()", "return $0cart.total()"), "os.path.join(", expect![[r#"whole file: the region does not parse alone"#]]);
    check_splice(&MODULE.replace("return cart.total()", "return cart.$0total()"), "size + cart.", expect![[r#"re-summarised: ["def checkout(cart):"]"#]]);
    check_splice(
        &MODULE.replace("        return self.size", "$0        return self.size"),
        "        count = self.size\n",
        expect![[r#"re-summarised: ["class Cart:"]"#]],
    );
}

#[test]
fn new_and_removed_statements_are_spliced_between_the_others() {
    check_splice(
        &MODULE.replace("\n\ndef checkout", "\n\n$0def checkout"),
        "def helper(x):\n    return Cart()\n\n\n",
        expect![[r#"re-summarised: ["def helper(x):", "def checkout(cart):"]"#]],
    );
    check_splice(
        &MODULE.replace(
            "class Cart:\n    size = 1\n\n    def total(self):\n        return self.size * LIMIT\n",
            "$0class Cart:\n    size = 1\n\n    def total(self):\n        return self.size * LIMIT\n$1",
        ),
        "",
        expect![[r#"re-summarised: ["LIMIT = 3"]"#]],
    );
}

#[test]
fn an_edit_that_does_not_split_at_statements_is_the_whole_file() {
    // An unclosed bracket or string spills over the statements after it.
    check_splice(&MODULE.replace("LIMIT = 3", "LIMIT = $03"), "(", expect![[r#"whole file: the region does not parse alone"#]]);
    check_splice(&MODULE.replace("LIMIT = 3", "LIMIT = $03"), "\"\"\"", expect![[r#"whole file: the region does not parse alone"#]]);
    check_splice(&MODULE.replace("LIMIT = 3\n", "LIMIT = 3$0\n"), " \\", expect![[r#"whole file: the region ends in a line continuation"#]]);
    // The first statement is the module's docstring.
    check_splice(&MODULE.replace("Orders.", "Orders$0."), " and carts", expect![[r#"whole file: the edit touches the first statement"#]]);
}

#[test]
fn a_variable_assigned_inside_and_outside_the_region_is_the_whole_file() {
    let rebound = format!("{MODULE}\nLIMIT = 4\n");
    check_splice(
        &rebound.replace("LIMIT = 3", "LIMIT = $03"),
        "1",
        expect![[r#"whole file: a module-level variable is assigned inside the region and outside it"#]],
    );
    check_splice(
        &MODULE.replace("\n\ndef checkout", "\n\n$0def checkout"),
        "LIMIT = 5\n",
        expect![[r#"whole file: a module-level variable is assigned inside the region and outside it"#]],
    );
    // Its must-not twin: a name only read elsewhere.
    check_splice(
        &MODULE.replace("\n\ndef checkout", "\n\n$0def checkout"),
        "EXTRA = LIMIT\n",
        expect![[r#"re-summarised: ["class Cart:", "EXTRA = LIMIT", "def checkout(cart):"]"#]],
    );
}

#[test]
fn platform_constants_and_module_narrowings_are_the_whole_file() {
    let constant = format!("{MODULE}\nWIN = sys.platform == \"win32\"\nif WIN:\n    import winreg\n");
    check_splice(&constant.replace("WIN = sys", "WIN = $0sys"), "not ", expect![[r#"whole file: the region assigns a platform constant"#]]);
    check_splice(
        &MODULE.replace("\n\ndef checkout", "\n\n$0def checkout"),
        "assert isinstance(os, int)\n",
        expect![[r#"whole file: a statement of the region narrows the rest of the module"#]],
    );
    let narrowed = MODULE.replace("\nLIMIT = 3", "\nif not isinstance(os, object):\n    raise TypeError\nLIMIT = 3");
    check_splice(
        &narrowed.replace("return cart.total()", "return cart.$0total()"),
        "size + cart.",
        expect![[r#"whole file: a module-level narrowing covers the region"#]],
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Each edit's splice, when there is one, equals what the whole text
    /// gives (a method's may have syntax errors, see method.rs), and never
    /// takes changed code for moved code.
    #[test]
    fn a_splice_equals_extracting_the_text(edits in prop::collection::vec((0..1024usize, 0..4usize, 0..TYPED.len()), 1..16)) {
        let mut text = LIB.to_owned();
        let (mut summary, mut errors_in) = (FileSummary::extract(&text), None);
        for (at, removed, typed) in edits {
            let new = replace_at(&text, at, removed, TYPED[typed]);
            let extracted = unspliced(&summary, &text, &new);
            let spliced = summary.spliced(&text, &new, PySourceType::Python, errors_in);
            errors_in = spliced.as_ref().and_then(super::Spliced::errors_in);
            if let Some(spliced) = spliced {
                prop_assert_eq!(&spliced.summary, &extracted, "{:?} -> {:?}", text, new);
                // Comparing the region alone never calls a summary moved
                // that comparing all of it does not (the cut-off would keep
                // stale links). It may miss a move, which only costs the
                // full path: a line break typed at the very end of the
                // file, where the last item ends at the insertion, is one.
                let moved = summary.moved(&text, &new) == extracted;
                let over = summary.moved_over(&spliced.summary, spliced.region, spliced.edit);
                prop_assert!(!over || moved, "{:?} -> {:?}", text, new);
            }
            (text, summary) = (new, extracted);
        }
    }
}
