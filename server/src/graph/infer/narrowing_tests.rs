//! Fixture tests of narrowing, one per shape: what a test proves about a
//! local's class for the code it governs, each with a twin where the
//! test proves nothing there (the method stays unresolved).

use expect_test::expect;

use crate::graph::tests::check_definition;

/// Two classes, and `f(x)` whose body is `{body}`.
fn fixture(body: &str) -> String {
    format!("//- /app.py\nclass A:\n    def a(self): pass\nclass B:\n    def b(self): pass\ndef f(x, y):\n{body}\n")
}

#[test]
fn assert_narrows_the_rest_of_the_block() {
    check_definition(&fixture("    assert isinstance(x, A)\n    x.$0a()"), expect!["Method app.A.a at app.py:2:9"]);
    // Before the assert, and for another name, nothing is known.
    check_definition(&fixture("    x.$0a()\n    assert isinstance(x, A)"), expect!["unresolved"]);
    check_definition(&fixture("    assert isinstance(y, A)\n    x.$0a()"), expect!["unresolved"]);
}

#[test]
fn an_early_exit_narrows_what_follows() {
    check_definition(&fixture("    if not isinstance(x, A):\n        return\n    x.$0a()"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("    if not isinstance(x, A):\n        raise TypeError\n    x.$0a()"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("    if not isinstance(x, A) or not isinstance(y, B):\n        return\n    y.$0b()"), expect!["Method app.B.b at app.py:4:9"]);
    // A body that falls through, or an `else`, proves nothing after the `if`.
    check_definition(&fixture("    if not isinstance(x, A):\n        print()\n    x.$0a()"), expect!["unresolved"]);
    check_definition(&fixture("    if not isinstance(x, A):\n        return\n    else:\n        pass\n    x.$0a()"), expect!["unresolved"]);
    // A rebinding after the exit is another value.
    check_definition(&fixture("    if not isinstance(x, A):\n        return\n    x = y\n    x.$0a()"), expect!["unresolved"]);
}

#[test]
fn issubclass_narrows_to_the_class() {
    check_definition(&fixture("    if issubclass(x, A):\n        x.$0a(x())"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("    if issubclass(x, A):\n        pass\n    x.$0a(x())"), expect!["unresolved"]);
}

#[test]
fn a_walrus_in_the_test_is_narrowed() {
    check_definition(&fixture("    if isinstance(z := y, B):\n        z.$0b()"), expect!["Method app.B.b at app.py:4:9"]);
    check_definition(&fixture("    if isinstance(z := y, B):\n        pass\n    else:\n        z.$0b()"), expect!["unresolved"]);
}

#[test]
fn a_class_pattern_narrows_the_subject_in_its_case() {
    check_definition(
        &fixture("    match x:\n        case A():\n            x.$0a()\n        case B():\n            pass"),
        expect!["Method app.A.a at app.py:2:9"],
    );
    check_definition(&fixture("    match x:\n        case A(): pass\n        case B():\n            x.$0b()"), expect!["Method app.B.b at app.py:4:9"]);
    check_definition(&fixture("    match x:\n        case A():\n            pass\n        case _:\n            x.$0a()"), expect!["unresolved"]);
}

/// `isinstance(other, self.__class__)` in a method: `other` is an instance
/// of the method's class, as `self` is. Twins: outside the test, and in a
/// class that binds `__class__` itself (a proxy's), nothing is known.
#[test]
fn the_class_of_self_narrows_as_self() {
    let stream = |body: &str, extra: &str| format!("//- /io.py\nclass Stream:\n{extra}    def tell(self): return 0\n    def __eq__(self, other):\n{body}\n");
    check_definition(
        &stream("        if isinstance(other, self.__class__):\n            return other.$0tell()", ""),
        expect!["Method io.Stream.tell at io.py:2:9"],
    );
    check_definition(&stream("        if isinstance(other, self.__class__):\n            pass\n        return other.$0tell()", ""), expect!["unresolved"]);
    check_definition(
        &stream("        if isinstance(other, self.__class__):\n            return other.$0tell()", "    __class__ = property(lambda self: object)\n"),
        expect!["unresolved"],
    );
}

/// A conditional expression narrows its body by the test, and its `else`
/// by the test's negation. Twins: the other branch, and after it.
#[test]
fn a_conditional_expression_narrows_its_branches() {
    check_definition(&fixture("    return x.$0a() if isinstance(x, A) else x"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("    return x if not isinstance(x, A) else x.$0a()"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("    return x if isinstance(x, A) else x.$0a()"), expect!["unresolved"]);
    check_definition(&fixture("    y = x.a() if isinstance(x, A) else x\n    x.$0a()"), expect!["unresolved"]);
}

/// `x and y` runs `y` when `x` is true; `x or y` when it is false. Twins:
/// the test's own operand, and what follows the operation.
#[test]
fn boolean_operations_narrow_their_later_operands() {
    check_definition(&fixture("    return isinstance(x, A) and y and x.$0a()"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("    return not isinstance(x, A) or x.$0a()"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("    return isinstance(x, A) or x.$0a()"), expect!["unresolved"]);
    check_definition(&fixture("    return x.$0a() and isinstance(x, A)"), expect!["unresolved"]);
    check_definition(&fixture("    z = isinstance(x, A) and x\n    x.$0a()"), expect!["unresolved"]);
}

/// A comprehension's `if` holds in its result, written before it, and in
/// the clauses after it; for the comprehension's variable and for a name
/// of the function. Twins: a comprehension without the test, and the
/// function's name after the comprehension.
#[test]
fn a_comprehension_condition_narrows_its_result() {
    check_definition(&fixture("    return [v.$0a() for v in x if isinstance(v, A)]"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("    return {k: v.$0b() for k, v in x if isinstance(v, B)}"), expect!["Method app.B.b at app.py:4:9"]);
    check_definition(&fixture("    return [w for v in x if isinstance(v, A) for w in v.$0a()]"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("    return [y.$0b() for v in x if isinstance(y, B)]"), expect!["Method app.B.b at app.py:4:9"]);
    check_definition(&fixture("    return [v.$0a() for v in x if v]"), expect!["unresolved"]);
    check_definition(&fixture("    z = [v for v in x if isinstance(y, B)]\n    y.$0b()"), expect!["unresolved"]);
}
