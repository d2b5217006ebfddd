//! Whitespace between logical lines (respaced.rs): the moved summary
//! equals extracting the new text, or the edit is refused.

use expect_test::{Expect, expect};
use proptest::prelude::*;
use ruff_python_ast::PySourceType;

use super::FileSummary;
use crate::graph::local_tests::{LIB, METHODS, replace_at};

/// `fixture` with `typed` put at `$0` (`$0..$1`: replacing the text
/// between them): the first line of the statements compared, or why the
/// edit may change code; a moved summary must equal extracting the text.
fn check_respace(fixture: &str, typed: &str, expect: Expect) {
    let start = fixture.find("$0").expect("a $0 marker");
    let (old, new) = match fixture.find("$1") {
        Some(end) => (fixture.replace("$0", "").replace("$1", ""), format!("{}{typed}{}", &fixture[..start], &fixture[end + 2..])),
        None => (fixture.replace("$0", ""), fixture.replace("$0", typed)),
    };
    let summary = FileSummary::extract(&old);
    let outcome = match summary.respace(&old, &new, PySourceType::Python) {
        Ok(spliced) => {
            assert_eq!(spliced.summary, FileSummary::extract(&new), "the moved summary differs from extracting {new:?}");
            format!("moved, compared from: {:?}", new[spliced.region.start as usize..].lines().next().unwrap_or(""))
        }
        Err(reason) => format!("refused: {reason}"),
    };
    expect.assert_eq(&outcome);
}

#[test]
fn blank_lines_and_trailing_spaces_move_the_code() {
    check_respace(
        &METHODS.replace("        value = scaled(n)", "$0        value = scaled(n)"),
        "\n",
        expect![[r#"moved, compared from: "    def read(self, n):""#]],
    );
    check_respace(&METHODS.replace("\n\n    def report", "\n$0\n$1    def report"), "", expect![[r#"moved, compared from: "class Meter:""#]]);
    check_respace(&METHODS.replace("k * self.rate\n", "k * self.rate $0\n"), "   ", expect![[r#"moved, compared from: "    def read(self, n):""#]]);
    check_respace(
        &METHODS.replace("k * self.rate\n", "k * self.rate$0  $1\n").replace("k * self.rate\n", "k * self.rate  \n"),
        "",
        expect![[r#"moved, compared from: "    def read(self, n):""#]],
    );
    check_respace(&LIB.replace("\n\nasync def later", "$0\n\nasync def later"), "\n\n", expect![[r#"moved, compared from: "def checkout(cart):""#]]);
}

#[test]
fn whitespace_that_changes_code_or_text_is_refused() {
    // Inside brackets or an expression (their text is kept), a string.
    check_respace(&METHODS.replace("self.read(2)", "self.read($02)"), "\n            ", expect!["refused: the edit is inside brackets"]);
    check_respace(&METHODS.replace("k * self", "k $0* self"), " ", expect!["refused: the edit is inside a logical line"]);
    check_respace(&METHODS.replace("unit = \"m\"", "unit = \"$0m\""), " ", expect!["refused: the edit is inside a token"]);
    check_respace(&LIB.replace("\"\"\"Carts.\"\"\"", "\"\"\"Carts.$0\"\"\""), "\n", expect!["refused: the edit is inside a token"]);
    // Right after a statement's last token: where its names become
    // visible ends there, and would move with the spaces.
    check_respace(&METHODS.replace("unit = \"m\"\n", "unit = \"m\"$0\n"), "    ", expect!["refused: the edit puts text right after a token"]);
    // Indentation: a line joining another block, leaving its function for
    // a level the function's lines do not know, a function's own line, a
    // top-level statement's.
    check_respace(
        &METHODS.replace("        return value", "$0        return value"),
        "    ",
        expect!["refused: the statements around the edit lex to other tokens"],
    );
    check_respace(
        &METHODS.replace("        return value", "$0  $1      return value"),
        "",
        expect!["refused: the statements around the edit do not lex alone"],
    );
    check_respace(&METHODS.replace("    def report", "$0    def report"), " ", expect!["refused: the statements around the edit do not lex alone"]);
    check_respace(&LIB.replace("import os", "$0import os"), "    ", expect!["refused: the statements around the edit lex to other tokens"]);
    // A line break that ends a statement, and text that is not whitespace.
    check_respace(&METHODS.replace("total = self", "total =$0 self"), "\n", expect!["refused: the statements around the edit do not lex alone"]);
    check_respace(&METHODS.replace("        return value", "$0        return value"), "#\n", expect!["refused: the edit is not whitespace only"]);
}

#[test]
fn text_typed_in_a_comment_moves_the_code() {
    check_respace(&METHODS.replace("k * self.rate\n", "k * self.rate  # per$0\n"), " unit", expect![[r#"moved, compared from: "    def read(self, n):""#]]);
    check_respace(&LIB.replace("\n\nasync def later", "\n# later$0\n\nasync def later"), "x", expect![[r#"moved, compared from: "def checkout(cart):""#]]);
    check_respace(&LIB.replace("\n\nasync def later", "\n# la$0ter$1\n\nasync def later"), "", expect![[r#"moved, compared from: "def checkout(cart):""#]]);
}

#[test]
fn text_typed_outside_a_comment_or_breaking_it_is_refused() {
    // The `#` that starts it, a `#` in a string, a line break in it, and
    // text typed after it on the next line.
    check_respace(&METHODS.replace("k * self.rate\n", "k * self.rate  $0\n"), "#", expect!["refused: the edit is neither whitespace nor inside a comment"]);
    check_respace(&METHODS.replace("unit = \"m\"", "unit = \"#$0m\""), "x", expect!["refused: the edit is neither whitespace nor inside a comment"]);
    check_respace(&METHODS.replace("k * self.rate\n", "k * self.rate  # per$0\n"), "\nx = 1", expect!["refused: the edit is not whitespace only"]);
    check_respace(&METHODS.replace("k * self.rate\n", "k * self.rate  # per$0 unit\n"), " x\n", expect!["refused: the edit is not whitespace only"]);
}

/// What is typed: whitespace of every kind, and nothing (a deletion).
const SPACES: [&str; 8] = ["", " ", "\n", "\n\n", "    ", "\t", "\r\n", "\n        "];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Whitespace typed or removed anywhere: a moved summary, when there
    /// is one, equals extracting the new text.
    #[test]
    fn moved_summaries_equal_extracting_the_text(base in 0..2usize, edits in prop::collection::vec((0..1024usize, 0..4usize, 0..SPACES.len()), 1..16)) {
        let mut text = [LIB, METHODS][base].to_owned();
        let mut summary = FileSummary::extract(&text);
        for (at, removed, typed) in edits {
            let new = replace_at(&text, at, removed, SPACES[typed]);
            let extracted = FileSummary::extract(&new);
            if let Some(spliced) = summary.respaced(&text, &new, PySourceType::Python) {
                prop_assert_eq!(&spliced.summary, &extracted, "{:?} -> {:?}", text, new);
            }
            (text, summary) = (new, extracted);
        }
    }
}
