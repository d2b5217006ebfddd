use expect_test::expect;

use crate::ide::signature_change::tests::check;

const POSITIONAL: &str = "//- /m.py\ndef $0g(a, b):\n    return a\n\n\ng(5, 1)\n";
const KEYWORD: &str = "//- /m.py\ndef $0g(a, b):\n    return a\n\n\ng(5, b=1)\n";

#[test]
fn a_parameter_turned_star_keeps_its_positional_argument() {
    // `g(5, 1)` binds `b=(1,)` as written: nothing to update, nothing dropped.
    check(POSITIONAL, "(a, *b)", false, expect![""]);
    check(POSITIONAL, "(a, *b, c=0)", false, expect![""]);
    check(
        POSITIONAL,
        "(*a, b=0)",
        false,
        expect![[r#"
            //- m.py
            def g(a, b):
                return a


            g(5, b=1)
        "#]],
    );
    check(
        KEYWORD,
        "(a, *b)",
        false,
        expect![[r#"
            refused: the call at m.py:5 cannot be updated: its argument `b=1` of `b` cannot stay as it is for `*b`, and moving it elsewhere would change what it binds
        "#]],
    );
}

#[test]
fn a_parameter_turned_double_star_keeps_its_keyword_argument() {
    check(KEYWORD, "(a, **b)", false, expect![""]);
    check(
        POSITIONAL,
        "(a, **b)",
        false,
        expect![[r#"
            refused: the call at m.py:5 cannot be updated: its argument `1` of `b` cannot stay as it is for `**b`, and moving it elsewhere would change what it binds
        "#]],
    );
}

#[test]
fn a_removed_parameter_beside_a_kept_star_still_drops_its_pure_argument() {
    // Must stay: `b` removed (not turned `*b`) loses its argument as before.
    check(
        POSITIONAL,
        "(a)",
        false,
        expect![[r#"
            //- m.py
            def g(a, b):
                return a


            g(5)
        "#]],
    );
}
