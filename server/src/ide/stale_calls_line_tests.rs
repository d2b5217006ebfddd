//! Which calls of a line edited since the baseline are old ones: a call
//! spanning lines, a pair swapped, a call fixed to read as another.

use expect_test::expect;

use super::tests::check;

#[test]
fn a_call_spanning_lines_is_not_swapped_back_once_fixed() {
    // The fix rewrites the line below the callee's: the callee's line alone
    // reads as it did, and the call was offered again, to be swapped back.
    check(
        r#"
//- /geo.py
def $0move(x, y):
    return (x, y)

move(
    1, 2)
move(3,
     4)  # ) a comment's parenthesis does not close it
move(5, (
    6))
"#,
        "(x, y)",
        "(y, x)",
        expect![[r#"
            3 call sites of `move` pass the old parameters (x, y)
              call at geo.py:5
              call at geo.py:6
              call at geo.py:8
            fix: update 3 call sites
            //- geo.py
            def move(y, x):
                return (x, y)

            move(
                2, 1)
            move(4,
                 3)  # ) a comment's parenthesis does not close it
            move(6, (
                5))
        "#]],
    );
}

#[test]
fn a_call_spanning_lines_edited_below_its_first_line_is_not_taken_for_an_old_one() {
    check(
        r#"
//- /geo.py
def $0move(x, y):
    return (x, y)

a = move(
    1, 2)
b = move(
    3, 4)
"#,
        "(x, y):\n    return (x, y)\n\na = move(\n    1, 2)",
        "(y, x):\n    return (x, y)\n\na = move(\n    2, 1)",
        expect![[r#"
            1 call site of `move` passes the old parameters (x, y)
              call at geo.py:7
            fix: update 1 call site
            //- geo.py
            def move(y, x):
                return (x, y)

            a = move(
                2, 1)
            b = move(
                4, 3)
        "#]],
    );
}

/// `k`'s parameters swapped with two calls on one line and one below.
const SWAPPED: &str = r#"
//- /geo.py
def $0k(a, b):
    return a * 10 + b


x = k(1, 2) + k(2, 1)
y = k(3, 4)
"#;

#[test]
fn a_pair_of_calls_fixed_by_swapping_them_is_not_swapped_back() {
    // Each fixed call reads as the other did then: before, both were taken
    // for old ones and the fix turned the line back (tester 27, L12).
    check(
        SWAPPED,
        "def k(a, b):\n    return a * 10 + b\n\n\nx = k(1, 2) + k(2, 1)",
        "def k(b, a):\n    return a * 10 + b\n\n\nx = k(2, 1) + k(1, 2)",
        expect![[r#"
            1 call site of `k` passes the old parameters (a, b)
              call at geo.py:6
            fix: update 1 call site
            //- geo.py
            def k(b, a):
                return a * 10 + b


            x = k(2, 1) + k(1, 2)
            y = k(4, 3)
        "#]],
    );
}

#[test]
fn a_call_left_beside_one_fixed_to_read_like_it_is_named_in_the_diagnostic() {
    check(
        SWAPPED,
        "def k(a, b):\n    return a * 10 + b\n\n\nx = k(1, 2) + k(2, 1)",
        "def k(b, a):\n    return a * 10 + b\n\n\nx = k(2, 1) + k(2, 1)",
        expect![[r#"
            1 call site of `k` passes the old parameters (a, b); left alone, as a call fixed there reads as an old one: check the calls at geo.py:5
              call at geo.py:6
            fix: update 1 call site
            //- geo.py
            def k(b, a):
                return a * 10 + b


            x = k(2, 1) + k(2, 1)
            y = k(4, 3)
        "#]],
    );
}
