use expect_test::{Expect, expect};

use crate::ide::inline_variable::tests::inlined;

/// Inlines at `$0` and shows the title and the new text of its file, or
/// the refusal. A fixture without `//- /path` is the one file `/m.py`.
fn check(fixture: &str, expected: Expect) {
    expected.assert_eq(&inlined(fixture, true));
}

fn outcomes(fixtures: &[&str]) -> Vec<String> {
    fixtures.iter().map(|f| inlined(f, true)).collect()
}

const AREA: &str = "def area(w, h=2):\n    \"\"\"The area.\"\"\"\n    return w * h\n\n\n";

#[test]
fn a_call_takes_the_body_with_its_arguments_in_place_of_the_parameters() {
    check(
        &format!("{AREA}print(ar$0ea(3 + 1, h=5))\n"),
        expect![[r#"
            Inline this call of `area`
            def area(w, h=2):
                """The area."""
                return w * h


            print((3 + 1) * 5)
        "#]],
    );
    // A default that is a literal; a call as the argument read once, first.
    check(
        &format!("{AREA}x = area$0(len('ab')) + 1\n"),
        expect![[r#"
            Inline this call of `area`
            def area(w, h=2):
                """The area."""
                return w * h


            x = len('ab') * 2 + 1
        "#]],
    );
    // The body as a whole is parenthesised where the call's place needs it.
    check(
        "def add(a, b):\n    return a + b\n\n\nprint(add$0(1, 2) * 3)\n",
        expect![[r#"
            Inline this call of `add`
            def add(a, b):
                return a + b


            print((1 + 2) * 3)
        "#]],
    );
}

#[test]
fn a_function_of_another_module_brings_only_names_the_call_site_imports() {
    let lib = "//- /lib.py\nRATE = 0.2\n\n\ndef tax(x):\n    return round(x * RATE, 2)\n";
    check(
        &format!("{lib}//- /app.py\nfrom lib import tax, RATE\n\nprint(t$0ax(10))\n"),
        expect![[r#"
            Inline this call of `tax`
            from lib import RATE

            print(round(10 * RATE, 2))
        "#]],
    );
    // The import the call was the only use of goes.
    check(
        &format!("{lib}//- /app.py\nfrom lib import RATE, tax\nfrom lib import tax as levy\n\nprint(t$0ax(10), levy)\n"),
        expect![[r#"
            Inline this call of `tax`
            from lib import RATE
            from lib import tax as levy

            print(round(10 * RATE, 2), levy)
        "#]],
    );
    check(
        "//- /lib.py\ndef double(x):\n    return x * 2\n//- /app.py\nimport os\nfrom lib import double\n\nprint(os.sep, dou$0ble(2))\n",
        expect![[r#"
            Inline this call of `double`
            import os

            print(os.sep, 2 * 2)
        "#]],
    );
    check(
        &format!("{lib}//- /app.py\nfrom lib import tax\n\nprint(t$0ax(10))\n"),
        expect![[r#"
            refused: `RATE`, which the function reads, is not imported where it is called; import it there first
        "#]],
    );
}

#[test]
fn an_argument_that_would_run_another_number_of_times_or_at_another_point_is_refused() {
    let shown = outcomes(&[
        "def twice(x):\n    return x + x\n\n\nprint(twi$0ce(g()))\n",
        "def twice(x):\n    return x + x\n\n\nprint(twi$0ce(n))\n",
        "def pick(c, x):\n    return c and x\n\n\nprint(pi$0ck(1, g()))\n",
        "def pick(c, x):\n    return x and c\n\n\nprint(pi$0ck(1, g()))\n",
        "def after(x):\n    return h() + x\n\n\nprint(aft$0er(g()))\n",
        "def after(x):\n    return x + h()\n\n\nprint(aft$0er(g()))\n",
        "def swap(a, b):\n    return b - a\n\n\nprint(sw$0ap(f(), g()))\n",
        "def swap(a, b):\n    return a - b\n\n\nprint(sw$0ap(f(), g()))\n",
        "def unused(x):\n    return 1\n\n\nprint(unu$0sed(g()))\n",
        "def later(x):\n    return lambda: x\n\n\nprint(lat$0er(n))\n",
        "def later(x):\n    return lambda: x\n\n\nprint(lat$0er(3))\n",
        // A global the body's call could bind again, read after it.
        "def after(x):\n    return h() + x\n\n\nprint(aft$0er(n))\n",
        "def after(x):\n    return h() + x\n\n\ndef caller(n):\n    return aft$0er(n)\n",
    ]);
    expect![[r#"
        [
            "refused: `x` is read 2 times in `twice`: its argument `g()` would run 2 times instead of once\n",
            "Inline this call of `twice`\ndef twice(x):\n    return x + x\n\n\nprint(n + n)\n",
            "refused: the read of `x` at line 2 is evaluated only when the `and`/`or` before it does not decide: its argument `g()` would be evaluated at another time\n",
            "Inline this call of `pick`\ndef pick(c, x):\n    return x and c\n\n\nprint(g() and 1)\n",
            "refused: `h()` is evaluated before `x` is read in `after`: its argument `g()`, evaluated first, would be evaluated after it\n",
            "Inline this call of `after`\ndef after(x):\n    return x + h()\n\n\nprint(g() + h())\n",
            "refused: `b` is evaluated before `a` is read in `swap`: its argument `f()`, evaluated first, would be evaluated after it\n",
            "Inline this call of `swap`\ndef swap(a, b):\n    return a - b\n\n\nprint(f() - g())\n",
            "refused: `x` is never read in `unused`: its argument `g()` would not run\n",
            "refused: `x` is read at line 2 inside a lambda, generator or comprehension of `later`: `n` would be read there, at another time\n",
            "Inline this call of `later`\ndef later(x):\n    return lambda: x\n\n\nprint(lambda: 3)\n",
            "refused: `h()` is evaluated before `x` is read in `after`: its argument `n`, evaluated first, would be evaluated after it\n",
            "Inline this call of `after`\ndef after(x):\n    return h() + x\n\n\ndef caller(n):\n    return h() + n\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn functions_that_are_not_one_return_are_refused() {
    let shown = outcomes(&[
        "import functools\n\n\n@functools.cache\ndef f(x):\n    return x\n\n\nprint(f$0(1))\n",
        "async def f(x):\n    return x\n\n\nprint(f$0(1))\n",
        "def f(*xs):\n    return xs\n\n\nprint(f$0(1))\n",
        "def f(x):\n    y = x + 1\n    return y\n\n\nprint(f$0(1))\n",
        "def f(x):\n    return f(x - 1) if x else 0\n\n\nprint(f$0(1))\n",
        "def f(x):\n    return (yield x)\n\n\nprint(f$0(1))\n",
        "def f(x, y=[]):\n    return y\n\n\nprint(f$0(1))\n",
        "def f(x):\n    return x\n\n\nprint(f$0(*args))\n",
        "class A:\n    def m(self):\n        return 1\n\n\nA().m$0()\n",
        "def outer(a):\n    def f(x):\n        return x + a\n    return f$0(1)\n",
        "def f(x):\n    return [x for n in range(2)]\n\n\nprint(f$0(n))\n",
        "def f(x):\n    return [x for i in range(2)]\n\n\nprint(f$0(n))\n",
        "def f(x):\n    return x + LIMIT\n\n\ndef g(LIMIT):\n    return f$0(1)\n",
        "print(le$0n('ab'))\n",
        // In an f-string the body's quotes would end the string before Python 3.12.
        "def dash(s):\n    return s.replace('_', '-')\n\n\nprint(f'~/.{da$0sh(n)}')\n",
        "def dash(s):\n    return s.upper()\n\n\nprint(f'~/.{da$0sh(n)}')\n",
    ]);
    expect![[r#"
        [
            "refused: `f` is decorated: a call runs what the decorator returns\n",
            "refused: `f` is `async`: a call makes a coroutine\n",
            "refused: `f` takes `*args` or `**kwargs`\n",
            "refused: the body of `f` is not one `return` statement\n",
            "refused: `f` calls itself: inlining it would not end\n",
            "refused: `f` yields: a call makes a generator\n",
            "refused: the default of `y` is not a literal: it was evaluated once, when the `def` ran\n",
            "refused: the call passes `*` or `**` arguments: which parameter takes what is not known\n",
            "refused: `m` is a method: which one a call runs depends on its receiver's class\n",
            "refused: `f` is not defined at the top of its module (a nested function reads its enclosing function's names)\n",
            "refused: `n`, which the argument `n` reads, is bound inside `f` where `x` is read\n",
            "refused: the read of `x` at line 2 is in a comprehension, evaluated for each item: its argument `n` would be evaluated at another time\n",
            "refused: `LIMIT`, which the function reads, means something else at the call (bound at line 5)\n",
            "refused: there is no call of a function at the cursor\n",
            "refused: the call is in an f-string, where the expression's quotes, braces or lines would not fit\n",
            "Inline this call of `dash`\ndef dash(s):\n    return s.upper()\n\n\nprint(f'~/.{n.upper()}')\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}
