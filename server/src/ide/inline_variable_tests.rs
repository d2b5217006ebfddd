use expect_test::{Expect, expect};

use crate::ide::edits::apply;
use crate::ide::fixture;

/// Inlines the variable at `$0` and shows the new text of its file, or the
/// refusal. A fixture without `//- /path` is the one file `/m.py`.
fn check(fixture: &str, expected: Expect) {
    expected.assert_eq(&inlined(fixture, false));
}

/// Inlines at `$0` of `fixture` (a variable, or a call): the new text of
/// its file (after the title when `titled`), or the refusal.
pub(crate) fn inlined(fixture: &str, titled: bool) -> String {
    let fixture = if fixture.trim_start().starts_with("//-") { fixture.to_owned() } else { format!("//- /m.py\n{fixture}") };
    let (graph, file, offset) = fixture::graph(&fixture);
    let text = graph.file(file).unwrap().text().to_string();
    match crate::ide::inline_function::inline_at(&graph, file, offset) {
        Ok(inlining) if titled => format!("{}\n{}", inlining.title, apply(&text, &inlining.replacements)),
        Ok(inlining) => apply(&text, &inlining.replacements),
        Err(why) => format!("refused: {why}\n"),
    }
}

/// Each fixture's refusal, or the text it inlines to.
fn outcomes(fixtures: &[&str]) -> Vec<String> {
    fixtures.iter().map(|f| inlined(f, false)).collect()
}

#[test]
fn each_read_takes_the_expression_parenthesised_where_precedence_needs_it() {
    check(
        "def area(w, h):\n    s$0ide = w + h\n    return side * 2, side, -side, f(side)\n",
        expect![[r#"
            def area(w, h):
                return (w + h) * 2, w + h, -(w + h), f(w + h)
        "#]],
    );
    // From a read, too; a comparison chains unless parenthesised.
    check(
        "def f(a, b, c):\n    less = a < b\n    return less$0 < c\n",
        expect![[r#"
            def f(a, b, c):
                return (a < b) < c
        "#]],
    );
    // A multi-line value keeps its lines in parentheses.
    check(
        "def f(a, b):\n    t$0 = (a +\n         b)\n    return t.real\n",
        expect![[r#"
            def f(a, b):
                return (a +
                     b).real
        "#]],
    );
}

#[test]
fn a_module_constant_goes_into_the_functions_that_read_it() {
    check(
        "_RATE$0 = 0.2\n\n\ndef tax(x):\n    return x * _RATE\n\n\ndef net(x):\n    return x - tax(x) * _RATE\n",
        expect![[r#"


            def tax(x):
                return x * 0.2


            def net(x):
                return x - tax(x) * 0.2
        "#]],
    );
}

#[test]
fn a_call_read_once_right_after_goes_where_it_is_read() {
    check(
        "def f(cart):\n    t$0otal = cart.total()\n    return round(total, 2)\n",
        expect![[r#"
            def f(cart):
                return round(cart.total(), 2)
        "#]],
    );
}

#[test]
fn a_variable_bound_more_than_once_is_refused_and_one_bound_once_inlined() {
    let shown = outcomes(&[
        "def f(a):\n    x$0 = a\n    x = 2\n    return x\n",
        "def f(a):\n    x$0 = a\n    x += 2\n    return x\n",
        "def f(a):\n    for i in a:\n        x$0 = i\n        print(x)\n",
        "def f(a):\n    x$0 = a\n    print(x)\n    del x\n",
        "def f(a):\n    x$0 = a\n    def g():\n        nonlocal x\n        x = 3\n    g()\n    return x\n",
        "def f(a):\n    x$0 = a\n    return x\n",
    ]);
    expect![[r#"
        [
            "refused: `x` is bound again at m.py:3: it does not hold one value\n",
            "refused: `x` is augmented at m.py:3: it does not hold one value\n",
            "refused: `x` is assigned in a loop: each turn binds it again\n",
            "refused: `x` is deleted at m.py:4: it does not hold one value\n",
            "refused: `x` is declared global or nonlocal at m.py:4: other code may bind it\n",
            "def f(a):\n    return a\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_refusal_names_the_other_binding_not_the_one_at_the_cursor() {
    let shown = outcomes(&[
        // On the second assignment: the other place is the first.
        "def f(s):\n    n = len(s)\n    if n == 1:\n        n$0 = 2\n    return n\n",
        // On the first, or on a read: the second.
        "def f(s):\n    n$0 = len(s)\n    if n == 1:\n        n = 2\n    return n\n",
        "def f(s):\n    n = len(s)\n    if n == 1:\n        n = 2\n    return n$0\n",
        // On an augmentation: the assignment it augments.
        "def f(s):\n    n = len(s)\n    n$0 += 1\n    return n\n",
    ]);
    expect![[r#"
        [
            "refused: `n` is also bound at m.py:2: it does not hold one value\n",
            "refused: `n` is bound again at m.py:4: it does not hold one value\n",
            "refused: `n` is bound again at m.py:4: it does not hold one value\n",
            "refused: `n` is augmented at the cursor and assigned at m.py:2: it does not hold one value\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_read_where_the_assignment_may_not_have_run_is_refused() {
    let shown = outcomes(&[
        "def f(c):\n    def g():\n        return x\n    x$0 = c\n    return g()\n",
        "def f(c):\n    if c:\n        x$0 = 1\n    return x\n",
        "def f(c):\n    if c:\n        x$0 = 1\n        return x\n    return 0\n",
        "def f(c):\n    x$0 = c\n",
    ]);
    expect![[r#"
        [
            "refused: `x` is read at m.py:3 before it is assigned\n",
            "refused: `x` is read at m.py:4, where its assignment may not have run\n",
            "def f(c):\n    if c:\n        return 1\n    return 0\n",
            "refused: `x` is never read: there is nothing to inline\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_read_in_a_nested_scope_that_binds_a_name_of_the_expression_is_refused() {
    let shown = outcomes(&[
        "def f(a):\n    x$0 = not a\n    return [x for a in range(3)]\n",
        "def f(a):\n    x$0 = not a\n    return [x for i in range(3)]\n",
        "def f(a):\n    x$0 = not a\n    return lambda a: x\n",
        // Run later: `not a` would read what `a` holds then.
        "def f(a):\n    x$0 = not a\n    return lambda: x\n",
        "def f(a):\n    x$0 = a.b\n    return lambda: x\n",
    ]);
    expect![[r#"
        [
            "refused: `a` means something else at m.py:3, where `x` is read in a nested scope that binds it\n",
            "def f(a):\n    return [not a for i in range(3)]\n",
            "refused: `x` is read at m.py:3 in a function, lambda or generator that may run later: `not a` would read what its operands hold then\n",
            "refused: `x` is read at m.py:3 in a function, lambda or generator that may run later: `not a` would read what its operands hold then\n",
            "refused: `x` is read at m.py:3 in a nested function, lambda, class or comprehension: `a.b` would run there, at another time\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_call_runs_once_at_the_same_point_or_is_refused() {
    let shown = outcomes(&[
        "def f(g):\n    x$0 = g()\n    return x + x\n",
        "def f(g):\n    x$0 = g()\n    return x\n",
        "def f(g):\n    x$0 = g()\n    y = 1\n    return x + y\n",
        "def f(g, h):\n    x$0 = g()\n    return h() + x\n",
        "def f(g, h):\n    x$0 = g()\n    return x + h()\n",
        "def f(g, c):\n    x$0 = g()\n    return c and x\n",
        "def f(g, c):\n    x$0 = g()\n    if c:\n        return x\n",
        "def f(g):\n    x$0 = []\n    return lambda: x\n",
    ]);
    expect![[r#"
        [
            "refused: `x` is read 2 times: `g()` would run 2 times instead of once\n",
            "def f(g):\n    return g()\n",
            "refused: `x` is read at m.py:4, not first in the statement right after the assignment: `g()` would run at another point\n",
            "refused: `h()` is evaluated before the read of `x` at m.py:3: `g()` would run after it\n",
            "def f(g, h):\n    return g() + h()\n",
            "refused: the read of `x` at m.py:3 is evaluated only when the `and`/`or` before it does not decide: `g()` would run at another time\n",
            "refused: `x` is read at m.py:4, not first in the statement right after the assignment: `g()` would run at another point\n",
            "refused: `x` is read at m.py:3 in a nested function, lambda, class or comprehension: `[]` would run there, at another time\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_name_the_expression_reads_bound_again_later_is_refused() {
    let shown = outcomes(&[
        "def f(a):\n    x$0 = a + 1\n    a = 5\n    return x\n",
        "def f(a):\n    x$0 = a + 1\n    b = 5\n    return x + b\n",
        "def f(a):\n    x$0 = a + 1\n    for a in range(2):\n        pass\n    return x\n",
    ]);
    expect![[r#"
        [
            "refused: `a`, which `a + 1` reads, is bound again at m.py:3: inlined, `a + 1` could read another value\n",
            "def f(a):\n    b = 5\n    return a + 1 + b\n",
            "refused: `a`, which `a + 1` reads, is bound again at m.py:3: inlined, `a + 1` could read another value\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn an_attribute_read_is_inlined_only_where_nothing_between_could_change_it() {
    let shown = outcomes(&[
        "def f(cart):\n    n$0 = cart.size\n    cart.grow()\n    return n\n",
        "def f(cart):\n    n$0 = cart.size\n    m = 2\n    return n * m\n",
        "def f(cart):\n    n$0 = cart.size\n    for i in range(2):\n        print(n)\n",
        "def f(cart):\n    n$0 = cart.size\n    cart.size = 3\n    return n\n",
        // A global read from a function: any call may rebind it.
        "def f():\n    n$0 = LIMIT\n    g()\n    return n\n",
        "def f():\n    n$0 = LIMIT\n    return n\n",
    ]);
    expect![[r#"
        [
            "refused: `cart.grow()` comes between the assignment and the read at m.py:4: it could change what `cart.size` reads\n",
            "def f(cart):\n    m = 2\n    return cart.size * m\n",
            "refused: `for i in range(2):` comes between the assignment and the read at m.py:4: it could change what `cart.size` reads\n",
            "refused: `cart.size` comes between the assignment and the read at m.py:4: it could change what `cart.size` reads\n",
            "refused: `g()` comes between the assignment and the read at m.py:4: it could change what `LIMIT` reads\n",
            "def f():\n    return LIMIT\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_module_variable_seen_from_outside_is_refused() {
    let shown = outcomes(&[
        "__all__ = ['_RATE']\n_RATE$0 = 0.2\nprint(_RATE)\n",
        "_RATE$0 = 0.2\nprint(_RATE)\n",
        "RATE$0 = 0.2\nprint(RATE)\n",
        // A notebook is no module anything imports: its public names are its own.
        "//- /analysis.ipynb\nRATE$0 = 0.2\nprint(RATE)\n",
        "//- /m.py\n_R$0 = 2\nprint(_R)\n//- /n.py\nfrom m import _R\n",
        "//- /m.py\n_R$0 = 2\nprint(_R)\n//- /n.py\nimport m\nprint(getattr(m, '_R'))\n",
        "//- /m.py\n_R$0 = 2\nprint(_R)\n//- /n.py\nfrom m import *\n",
    ]);
    expect![[r#"
        [
            "refused: `_RATE` is listed in `__all__` at m.py:1: it is exported\n",
            "print(0.2)\n",
            "refused: `RATE` is a public name of its module: code outside the workspace may import it; rename it `_RATE` first\n",
            "print(0.2)\n",
            "refused: `_R` is read from another module at n.py:1\n",
            "refused: `getattr(…, \"_R\")` at n.py:2 may read it by name\n",
            "print(2)\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn class_attributes_f_strings_and_shared_lines_are_refused() {
    let shown = outcomes(&[
        "class A:\n    x$0 = 1\n    y = x\n",
        "def f():\n    x$0 = 'a'\n    return f'{x}'\n",
        "def f(a):\n    x$0 = a\n    return f'{x}!'\n",
        "def f(a):\n    x$0 = a\n    return f'{x=}'\n",
        "def f(a):\n    x$0 = a\n    return f\"{f'{x}'=}\"\n",
        "def f(a):\n    x$0 = a\n    return f\"{a=:>{x}}\"\n",
        "def f(a):\n    x$0 = a; return x\n",
        "def f(a):\n    x$0 = a  # the input\n    return x\n",
        "def f(a):\n    return a$0\n",
    ]);
    expect![[r#"
        [
            "refused: `x` is an attribute of its class; inlining it would remove the attribute\n",
            "refused: `x` is read at m.py:3 in an f-string, where the expression's quotes, braces or lines would not fit\n",
            "def f(a):\n    return f'{a}!'\n",
            "refused: `x` is read at m.py:3 in an f-string's `{...=}`, which prints the expression's own text\n",
            "refused: `x` is read at m.py:3 in an f-string's `{...=}`, which prints the expression's own text\n",
            "def f(a):\n    return f\"{a=:>{a}}\"\n",
            "refused: its assignment shares a line with another statement; put it on a line of its own first\n",
            "def f(a):\n    return a\n",
            "refused: there is no call of a function at the cursor\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_value_that_may_raise_is_not_moved_where_it_may_not_run() {
    let refused = outcomes(&[
        "def f(d, key, override):\n    v$0alue = d[key]\n    return override or value\n",
        "def f(a, b, c):\n    q$0 = a / b\n    return q if c else 0\n",
        "def f(a, b, c):\n    q$0 = a + b\n    if c:\n        return q\n",
        "def f(a, b):\n    q$0 = a / b\n    return lambda: q\n",
    ]);
    expect![[r#"
        [
            "refused: `d[key]` may raise, and the read of `value` at m.py:3 is evaluated only when the `and`/`or` before it does not decide\n",
            "refused: `a / b` may raise, and the read of `q` at m.py:3 is a branch of a conditional expression, evaluated only when it is taken\n",
            "refused: `a + b` may raise, and `q` is read at m.py:4 in a block that may not run: the error would be raised only there\n",
            "refused: `q` is read at m.py:3 in a nested function, lambda, class or comprehension: `a / b` would run there, at another time\n",
        ]
    "#]]
    .assert_debug_eq(&refused);
    // Twins: read where the assignment ran, or a value that cannot raise.
    let inlined = outcomes(&[
        "def f(d, key, override):\n    v$0alue = d[key]\n    return value or override\n",
        "def f(a, c):\n    q$0 = a\n    return q if c else 0\n",
        "def f(c):\n    q$0 = 2 * 3\n    if c:\n        return q\n",
    ]);
    expect![[r#"
        [
            "def f(d, key, override):\n    return d[key] or override\n",
            "def f(a, c):\n    return a if c else 0\n",
            "def f(c):\n    if c:\n        return 2 * 3\n",
        ]
    "#]]
    .assert_debug_eq(&inlined);
}

#[test]
fn a_module_variable_patched_by_name_next_to_its_module_stays() {
    let fixture = "//- /m.py\n_SEP = \"/\"\n_N$0 = 3\n\n\ndef line():\n    return _SEP * _N\n//- /t.py\nfrom unittest import mock\nimport m\n\nwith mock.patch.object(m, \"_N\", 5):\n    print(m.line())\n";
    check(
        fixture,
        expect![[r#"
        refused: `patch.object(…, "_N", …)` at t.py:4 may read it by name
    "#]],
    );
}

#[test]
fn a_function_that_reads_its_variables_by_name_keeps_them() {
    check(
        "def greet(name):\n    g$0reeting = \"hi\"\n    return \"{greeting}, {name}\".format(**locals())\n",
        expect![[r#"
            refused: its function calls `locals()`, which may read `greeting` by name
        "#]],
    );
    // Twin: `locals()` in a nested function reads that one's frame.
    check(
        "def greet(name):\n    g$0reeting = \"hi\"\n\n    def inner():\n        return locals()\n\n    return greeting + name\n",
        expect![[r#"
            def greet(name):

                def inner():
                    return locals()

                return "hi" + name
        "#]],
    );
}

#[test]
fn a_module_variable_written_through_the_module_namespace_stays() {
    check(
        "//- /m.py\n_N$0 = 3\n\n\ndef line():\n    return \"/\" * _N\n//- /t.py\nimport m\n\nm.__dict__[\"_N\"] = 5\n",
        expect![[r#"
            refused: `m.__dict__["_N"]` at t.py:3 may read it by name
        "#]],
    );
    check(
        "//- /m.py\n_N$0 = 3\n\n\ndef line():\n    return \"/\" * _N\n//- /t.py\nfrom unittest import mock\nimport m\n\nwith mock.patch.dict(vars(m), {\"_N\": 5}):\n    print(m.line())\n",
        expect![[r#"
            refused: `patch.dict(…, {"_N": …})` at t.py:4 may read it by name
        "#]],
    );
}

#[test]
fn a_module_variable_its_module_may_read_by_a_computed_name_stays() {
    let limits = "_LIM$0IT = 3\n\n\ndef limit():\n    return _LIMIT\n\n\ndef setting(name):\n    return globals()[PREFIX + name.upper()]\n";
    check(
        &limits.replace("PREFIX", "\"_\""),
        expect![[r#"
            refused: m.py:9 looks up a name computed at run time, which may be `_LIMIT`: it must stay
        "#]],
    );
    // Twin: a computed name that cannot be `_LIMIT`.
    check(
        &limits.replace("PREFIX", "\"_DEFAULT_\""),
        expect![[r#"


            def limit():
                return 3


            def setting(name):
                return globals()["_DEFAULT_" + name.upper()]
        "#]],
    );
}

#[test]
fn an_operator_over_an_object_given_to_a_call_before_the_read_is_refused() {
    let shown = outcomes(&[
        "def f(seen, item):\n    fre$0sh = item not in seen\n    seen.add(item)\n    return fresh\n",
        "def f(a, b):\n    a = list(a)\n    v$0 = a + b\n    a.extend([9])\n    return v\n",
        "def f(a, b):\n    v$0 = a + b\n    a[0] = 9\n    return v\n",
        // Must not: what comes between is given none of its operands.
        "def f(a, b, log):\n    v$0 = a + b\n    log.append(1)\n    return v\n",
        "def f(seen, item):\n    fre$0sh = item not in seen\n    return fresh\n",
    ]);
    expect![[r#"
        [
            "refused: `seen.add(item)` comes between the assignment and the read at m.py:4: it could change what `item not in seen` reads\n",
            "refused: `a.extend([9])` comes between the assignment and the read at m.py:5: it could change what `a + b` reads\n",
            "refused: `a[0]` comes between the assignment and the read at m.py:4: it could change what `a + b` reads\n",
            "def f(a, b, log):\n    log.append(1)\n    return a + b\n",
            "def f(seen, item):\n    return item not in seen\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_change_through_an_alias_of_an_operand_or_of_the_new_object_is_refused() {
    let shown = outcomes(&[
        "def f(a, b):\n    c = a\n    v$0 = a + b\n    c.append(9)\n    return v\n",
        "def f(a, b):\n    v$0 = a + b\n    c = [a]\n    c[0].append(9)\n    return v\n",
        "def f(a, b):\n    box = Box()\n    box.item = a\n    v$0 = a + b\n    box.item.append(9)\n    return v\n",
        "def f(a, b):\n    def grow():\n        a.append(9)\n    v$0 = a + b\n    grow()\n    return v\n",
        // `a + b` is a new list: the reads after share the one the call changed.
        "def f(a, b):\n    v$0 = a + b\n    v.append(9)\n    return v\n",
        // `a or b`: which one depends on what `a` holds.
        "def f(a, b):\n    v$0 = a or b\n    a.append(9)\n    return v\n",
        // Must not: an alias of another object; a read through the alias;
        // a name's own object (`v` is `a`).
        "def f(a, b, d):\n    c = d\n    v$0 = a + b\n    c.append(9)\n    return v\n",
        "def f(a, b):\n    c = a\n    v$0 = a + b\n    first = c[0]\n    return v, first\n",
        "def f(a, b):\n    v$0 = a\n    v.append(9)\n    return v\n",
        // Must not: a name (the object itself, not what it holds) read later.
        "def f(a):\n    x$0 = a\n    return lambda: x\n",
    ]);
    expect![[r#"
        [
            "refused: `c.append(9)` comes between the assignment and the read at m.py:5: it could change what `a + b` reads\n",
            "refused: `c[0].append(9)` comes between the assignment and the read at m.py:5: it could change what `a + b` reads\n",
            "refused: `box.item.append(9)` comes between the assignment and the read at m.py:6: it could change what `a + b` reads\n",
            "refused: `grow()` comes between the assignment and the read at m.py:6: it could change what `a + b` reads\n",
            "refused: `v.append(9)` comes between the assignment and the read at m.py:4: it could change what `a + b` reads\n",
            "refused: `a.append(9)` comes between the assignment and the read at m.py:4: it could change what `a or b` reads\n",
            "def f(a, b, d):\n    c = d\n    c.append(9)\n    return a + b\n",
            "def f(a, b):\n    c = a\n    first = c[0]\n    return a + b, first\n",
            "def f(a, b):\n    a.append(9)\n    return a\n",
            "def f(a):\n    return lambda: a\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_value_is_not_moved_into_a_later_operand_of_a_chained_comparison() {
    // Tester 15 case 04: in `a < b < c`, `c` runs only when `a < b` holds.
    let shown = outcomes(&[
        "def f(d, n):\n    lim$0it = d[\"limit\"]\n    return n < 0 < limit\n",
        "def f(g, n):\n    lim$0it = g()\n    return n < 0 < limit\n",
        // Twin: the first operands always run.
        "def f(d, n):\n    lim$0it = d[\"limit\"]\n    return n < limit < 0\n",
    ]);
    expect![[r#"
        [
            "refused: `d[\"limit\"]` may raise, and the read of `limit` at m.py:3 is compared only when the comparisons before it in the chain hold\n",
            "refused: the read of `limit` at m.py:3 is compared only when the comparisons before it in the chain hold: `g()` would run at another time\n",
            "def f(d, n):\n    return n < d[\"limit\"] < 0\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_private_constant_set_on_its_module_from_outside_is_not_inlined() {
    // Tester 15 case 14: the same setters a move refuses (module_stores).
    let lib = "//- /lib.py\n_LI$0MIT = 10\n\n\ndef check(n):\n    return n < _LIMIT\n//- /test_lib.py\nfrom unittest import mock\nimport lib\n\nSETTING\n";
    let shown = outcomes(&[
        &lib.replace("SETTING", "with mock.patch.multiple(lib, _LIMIT=3):\n    lib.check(5)"),
        &lib.replace("SETTING", "OVERRIDES = {\"_LIMIT\": 3}\nfor key, value in OVERRIDES.items():\n    setattr(lib, key, value)"),
        &lib.replace("SETTING", "vars(lib).update(_LIMIT=3)"),
        // Twin: the module is only called.
        &lib.replace("SETTING", "lib.check(5)"),
    ]);
    expect![[r#"
        [
            "refused: `_LIMIT` is set or patched on its module from outside (at test_lib.py:4): its reads would keep the value inlined\n",
            "refused: `_LIMIT` is set or patched on its module from outside (at test_lib.py:6): its reads would keep the value inlined\n",
            "refused: `_LIMIT` is set or patched on its module from outside (at test_lib.py:4): its reads would keep the value inlined\n",
            "\n\ndef check(n):\n    return n < 10\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}
