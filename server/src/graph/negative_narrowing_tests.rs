//! Where an `isinstance` test fails, a local of a union type is the other
//! alternatives (issue 33's break-it cases 2-5): the `else` and later
//! `elif`s, the rest after an early exit on a test that held, a `not
//! isinstance` body, the cases after `case A():`, the arms of `a if t
//! else b` and `t and a`. Each with its twin: where nothing narrows, or
//! the local's type is unknown, every alternative stays.

use expect_test::expect;

use super::runtime_call_tests::check_calls;

/// `A`, `B` (and `C`, a subclass of `A`) each with `go`; `$0f(x)`, with
/// `x: A | B`, runs `body`.
fn fixture(body: &str) -> String {
    format!(
        "//- /app.py\nfrom typing import Union\nclass A:\n    def go(self): pass\nclass B:\n    def go(self): pass\nclass C(A):\n    pass\ndef $0f(x: Union[A, B], y):\n{body}\n"
    )
}

#[test]
fn the_else_of_isinstance_holds_the_other_alternatives() {
    check_calls(
        &fixture("    if isinstance(x, A):\n        x.go()\n    else:\n        x.go()"),
        expect![[r#"
        builtins.isinstance at app.py:9:8
        app.A.go at app.py:10:11
        app.B.go at app.py:12:11
    "#]],
        expect![""],
    );
    // An `elif` after the test failed; the twin: `y`'s type is unknown.
    check_calls(
        &fixture("    if isinstance(x, C):\n        pass\n    elif y:\n        x.go()"),
        expect![[r#"
        builtins.isinstance at app.py:9:8
        app.A.go at app.py:12:11
        app.B.go at app.py:12:11
    "#]],
        expect![""],
    );
    check_calls(
        &fixture("    if isinstance(y, A):\n        pass\n    else:\n        y.go()"),
        expect![[r#"
        builtins.isinstance at app.py:9:8
    "#]],
        expect![""],
    );
}

#[test]
fn an_early_exit_after_a_test_that_held_narrows_the_rest() {
    check_calls(
        &fixture("    if isinstance(x, A):\n        return None\n    return x.go()"),
        expect![[r#"
        builtins.isinstance at app.py:9:8
        app.B.go at app.py:11:14
    "#]],
        expect![""],
    );
    check_calls(
        &fixture("    if isinstance(x, int):\n        return 0\n    elif isinstance(x, B):\n        return x.go()\n    return x.go()"),
        expect![[r#"
        builtins.isinstance at app.py:9:8, app.py:11:10
        app.B.go at app.py:12:18
        app.A.go at app.py:13:14
    "#]],
        expect![""],
    );
    // The twin: a body that falls through proves nothing after it.
    check_calls(
        &fixture("    if isinstance(x, A):\n        print()\n    return x.go()"),
        expect![[r#"
        builtins.isinstance at app.py:9:8
        builtins.print at app.py:10:9
        app.A.go at app.py:11:14
        app.B.go at app.py:11:14
    "#]],
        expect![""],
    );
}

#[test]
fn a_not_isinstance_body_holds_the_other_alternatives() {
    check_calls(
        &fixture("    if not isinstance(x, A):\n        return x.go()"),
        expect![[r#"
        builtins.isinstance at app.py:9:12
        app.B.go at app.py:10:18
    "#]],
        expect![""],
    );
    // `not (a and b)` does not say which failed.
    check_calls(
        &fixture("    if not (isinstance(x, A) and y):\n        return x.go()"),
        expect![[r#"
        builtins.isinstance at app.py:9:13
        app.A.go at app.py:10:18
        app.B.go at app.py:10:18
    "#]],
        expect![""],
    );
}

#[test]
fn the_cases_after_a_class_pattern_are_not_that_class() {
    check_calls(
        &fixture("    match x:\n        case A():\n            return None\n        case _:\n            x.go()"),
        expect![[r#"
        app.B.go at app.py:13:15
    "#]],
        expect![""],
    );
    // A guard may fail on an `A`: the later case may see one.
    check_calls(
        &fixture("    match x:\n        case A() if y:\n            return None\n        case _:\n            x.go()"),
        expect![[r#"
        app.A.go at app.py:13:15
        app.B.go at app.py:13:15
    "#]],
        expect![""],
    );
}

#[test]
fn a_conditional_expression_and_a_boolean_operation_narrow_their_operands() {
    check_calls(
        &fixture("    return x.go() if isinstance(x, A) else None"),
        expect![[r#"
        app.A.go at app.py:9:14
        builtins.isinstance at app.py:9:22
    "#]],
        expect![""],
    );
    check_calls(
        &fixture("    return None if isinstance(x, A) else x.go()"),
        expect![[r#"
        builtins.isinstance at app.py:9:20
        app.B.go at app.py:9:44
    "#]],
        expect![""],
    );
    check_calls(
        &fixture("    return isinstance(x, A) and x.go()"),
        expect![[r#"
        builtins.isinstance at app.py:9:12
        app.A.go at app.py:9:35
    "#]],
        expect![""],
    );
    check_calls(
        &fixture("    return isinstance(x, A) or x.go()"),
        expect![[r#"
        builtins.isinstance at app.py:9:12
        app.B.go at app.py:9:34
    "#]],
        expect![""],
    );
    // In a comprehension, the element of unknown type is narrowed by the test.
    check_calls(
        &fixture("    return [e.go() if isinstance(e, B) else e for e in y]"),
        expect![[r#"
        app.B.go at app.py:9:15
        builtins.isinstance at app.py:9:23
    "#]],
        expect![""],
    );
    check_calls(&fixture("    return [e.go() for e in y]"), expect![[""]], expect![""]);
}
