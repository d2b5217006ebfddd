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
    // Called through its module: the module's import goes with its last read, and stays with another.
    let geo = "//- /pkg/__init__.py\n//- /pkg/geo.py\ndef area(w, h):\n    return w * h\n";
    check(
        &format!("{geo}//- /pkg/use.py\nfrom pkg import geo\n\n\ndef run():\n    return geo.ar$0ea(2, 3)\n"),
        expect![[r#"
            Inline this call of `area`


            def run():
                return 2 * 3
        "#]],
    );
    check(
        &format!("{geo}//- /pkg/use.py\nfrom pkg import geo\n\n\ndef run():\n    return geo.ar$0ea(2, 3), geo\n"),
        expect![[r#"
            Inline this call of `area`
            from pkg import geo


            def run():
                return 2 * 3, geo
        "#]],
    );
    check(
        &format!("{lib}//- /app.py\nfrom lib import tax\n\nprint(t$0ax(10))\n"),
        expect![[r#"
            refused: `RATE`, which the function reads, is not imported where it is called; import it there first
        "#]],
    );
    // Tester 23: a builtin the caller's module binds again (`def len`):
    // said so, importing being no remedy.
    let size = "//- /lib.py\ndef size(x):\n    return len(x)\n//- /app.py\nfrom lib import size\n\nSHADOW\nprint(si$0ze([1]))\n";
    check(
        &size.replace("SHADOW", "def len(x):\n    return 0\n\n"),
        expect![[r#"
        refused: `len`, a builtin the function reads, is bound again where it is called (app.py:3), where it would mean that instead
    "#]],
    );
    // Twin: not bound again there, the builtin is inlined.
    check(
        &size.replace("SHADOW", ""),
        expect![[r#"
        Inline this call of `size`


        print(len([1]))
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
            "refused: the read of `x` at m.py:2 is evaluated only when the `and`/`or` before it does not decide: its argument `g()` would be evaluated at another time\n",
            "Inline this call of `pick`\ndef pick(c, x):\n    return x and c\n\n\nprint(g() and 1)\n",
            "refused: `h()` is evaluated before `x` is read in `after`: its argument `g()`, evaluated first, would be evaluated after it\n",
            "Inline this call of `after`\ndef after(x):\n    return x + h()\n\n\nprint(g() + h())\n",
            "refused: `b` is evaluated before `a` is read in `swap`: its argument `f()`, evaluated first, would be evaluated after it\n",
            "Inline this call of `swap`\ndef swap(a, b):\n    return a - b\n\n\nprint(f() - g())\n",
            "refused: `x` is never read in `unused`: its argument `g()` would not run\n",
            "refused: `x` is read at m.py:2 inside a lambda, generator or comprehension of `later`: `n` would be read there, at another time\n",
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
        // An argument's quotes would not fit the body's f-string: said so, not left to the checker.
        "def label(n, unit):\n    return f'{n}{unit}'\n\n\ndef use():\n    return la$0bel(3, 'cm')\n",
        "def label(n, unit):\n    return f'{n}{unit}'\n\n\ndef use():\n    return la$0bel(3, 4)\n",
        // A `:=` binds in the function; inlined, the caller's `y` (the parameter's argument too).
        "def bump(v):\n    return (y := v + 1)\n\n\ndef run():\n    y = 'keep'\n    return bu$0mp(1), y\n",
        "def bump(v):\n    return (v := v + 1)\n\n\ndef run(x):\n    return bu$0mp(x), x\n",
        "def first(xs):\n    return [(y := x) for x in xs]\n\n\ndef run():\n    y = 'keep'\n    return fir$0st([1]), y\n",
        // Must not: a comprehension's own variable stays in it.
        "def first(xs):\n    return [x for x in xs]\n\n\ndef run():\n    x = 'keep'\n    return fir$0st([1]), x\n",
    ]);
    expect![[r#"
        [
            "refused: `f` is decorated: a call runs what the decorator returns\n",
            "refused: `f` is `async`: a call makes a coroutine\n",
            "refused: `f` takes `*args` or `**kwargs`\n",
            "refused: the call is at module level or in a class body: the function's variables would become its globals or attributes\n",
            "refused: `f` calls itself: inlining it would not end\n",
            "refused: `f` yields: a call makes a generator\n",
            "refused: the default of `y` is not a literal: it was evaluated once, when the `def` ran\n",
            "refused: the call passes `*` or `**` arguments: which parameter takes what is not known\n",
            "refused: `m` is a method: which one a call runs depends on its receiver's class\n",
            "refused: `f` is not defined at the top of its module (a nested function reads its enclosing function's names)\n",
            "refused: `n`, which the argument `n` reads, is bound inside `f` where `x` is read\n",
            "refused: the read of `x` at m.py:2 is in a comprehension, evaluated for each item: its argument `n` would be evaluated at another time\n",
            "refused: `LIMIT`, which the function reads, means something else at the call (bound at m.py:5)\n",
            "refused: there is no call of a function at the cursor\n",
            "refused: the call is in an f-string, where the expression's quotes, braces or lines would not fit\n",
            "Inline this call of `dash`\ndef dash(s):\n    return s.upper()\n\n\nprint(f'~/.{n.upper()}')\n",
            "refused: `unit` is read at m.py:2 in an f-string, where the expression's quotes, braces or lines would not fit, as its argument `'cm'` would be there\n",
            "Inline this call of `label`\ndef label(n, unit):\n    return f'{n}{unit}'\n\n\ndef use():\n    return f'{3}{4}'\n",
            "refused: `bump` binds `y` with `:=`: inlined, it would bind it where the call is\n",
            "refused: `bump` binds `v` with `:=`: inlined, it would bind it where the call is\n",
            "refused: `first` binds `y` with `:=`: inlined, it would bind it where the call is\n",
            "Inline this call of `first`\ndef first(xs):\n    return [x for x in xs]\n\n\ndef run():\n    x = 'keep'\n    return [x for x in [1]], x\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

/// Inlines at `$0` and shows the title and the new text of every file it
/// edits, or the refusal.
fn check_every(fixture: &str, expected: Expect) {
    let fixture = if fixture.trim_start().starts_with("//-") { fixture.to_owned() } else { format!("//- /m.py\n{fixture}") };
    let (graph, file, offset) = crate::ide::fixture::graph(&fixture);
    let shown = match crate::ide::inline_function::inline_at(&graph, file, offset) {
        Ok(inlining) => {
            let mut files: Vec<_> =
                std::iter::once((file, &inlining.replacements)).chain(inlining.elsewhere.iter().map(|e| (e.file, &e.replacements))).collect();
            files.retain(|(_, r)| !r.is_empty());
            files.sort_by_key(|(f, _)| graph.file(*f).unwrap().path.clone());
            let mut out = format!("{}\n", inlining.title);
            for (f, replacements) in files {
                let entry = graph.file(f).unwrap();
                let name = entry.path.file_name().unwrap().to_string_lossy();
                out.push_str(&format!("//- {name}\n{}", crate::ide::edits::apply(entry.text(), replacements)));
            }
            out
        }
        Err(why) => format!("refused: {why}\n"),
    };
    expected.assert_eq(&shown);
}

const TOTAL: &str = "def total(xs, tax):\n    base = sum(xs)\n    taxed = base * tax\n    return round(taxed, 2)\n\n\n";

#[test]
fn a_body_with_statements_goes_before_the_call_s_statement_and_its_value_in_place_of_the_call() {
    // A name argument in place; another assigned first, in the call's order.
    check(
        &format!("{TOTAL}def report(items, rate):\n    t = tot$0al(items, rate + 1)\n    print(t)\n"),
        expect![[r#"
            Inline this call of `total`
            def total(xs, tax):
                base = sum(xs)
                taxed = base * tax
                return round(taxed, 2)


            def report(items, rate):
                tax = rate + 1
                base = sum(items)
                taxed = base * tax
                t = round(taxed, 2)
                print(t)
        "#]],
    );
    // A statement of its own, with nothing returned; a parameter the body binds again is assigned.
    check(
        "def log(msg):\n    msg = msg.upper()\n    print(msg)\n\n\ndef main(m):\n    if m:\n        lo$0g(m)\n    return 1\n",
        expect![[r#"
            Inline this call of `log`
            def log(msg):
                msg = msg.upper()
                print(msg)


            def main(m):
                if m:
                    msg = m
                    msg = msg.upper()
                    print(msg)
                return 1
        "#]],
    );
}

#[test]
fn a_body_whose_statements_would_run_otherwise_or_share_a_name_is_refused_and_its_twin_inlined() {
    let shown = outcomes(&[
        // An early return would go on with the caller's statements.
        "def f(x):\n    if x:\n        return 1\n    y = x\n    return y\n\n\ndef g(a):\n    r = f$0(a)\n    return r\n",
        "def f(x):\n    if x:\n        x = 1\n    y = x\n    return y\n\n\ndef g(a):\n    r = f$0(a)\n    return r\n",
        // A name the caller uses would become one with the body's.
        "def f(x):\n    y = x + 1\n    return y\n\n\ndef g(a, y):\n    r = f$0(a)\n    return r + y\n",
        "def f(x):\n    y = x + 1\n    return y\n\n\ndef g(a, z):\n    r = f$0(a)\n    return r + z\n",
        // Part of an expression: the statements cannot go before it alone.
        "def f(x):\n    y = x + 1\n    return y\n\n\ndef g(a):\n    return 1 + f$0(a)\n",
        "def f(x):\n    y = x + 1\n    return y\n\n\ndef g(a):\n    return f$0(a)\n",
        // What sees variables by name, a closure, a generator, a recursion.
        "def f(x):\n    y = x + 1\n    return y\n\n\ndef g(a):\n    r = f$0(a)\n    return locals()\n",
        "def f(x):\n    k = lambda: x\n    return k\n\n\ndef g(a):\n    r = f$0(a)\n    return r\n",
        "def f(x):\n    y = x\n    yield y\n\n\ndef g(a):\n    r = f$0(a)\n    return r\n",
        "def f(x):\n    y = f(x)\n    return y\n\n\ndef g(a):\n    r = f$0(a)\n    return r\n",
        "def f(x):\n    global N\n    N = x\n    return N\n\n\ndef g(a):\n    r = f$0(a)\n    return r\n",
        // In a loop a variable bound on some paths would keep the previous turn's value.
        "def f(x):\n    if x:\n        y = 1\n    return y\n\n\ndef g(xs):\n    for a in xs:\n        r = f$0(a)\n        print(r)\n",
        "def f(x):\n    y = x + 1\n    return y\n\n\ndef g(xs):\n    for a in xs:\n        r = f$0(a)\n        print(r)\n",
    ]);
    expect![[r#"
        [
            "refused: `f` returns before the end of its body: the statements after the call would run\n",
            "Inline this call of `f`\ndef f(x):\n    if x:\n        x = 1\n    y = x\n    return y\n\n\ndef g(a):\n    x = a\n    if x:\n        x = 1\n    y = x\n    r = y\n    return r\n",
            "refused: `y`, a variable of `f`, is also a name of `g`: inlined, the two would be one\n",
            "Inline this call of `f`\ndef f(x):\n    y = x + 1\n    return y\n\n\ndef g(a, z):\n    y = a + 1\n    r = y\n    return r + z\n",
            "refused: the body of `f` runs statements before its `return`, and the call is not a statement of its own (`f(...)`, `x = f(...)`, `return f(...)`) for them to go before\n",
            "Inline this call of `f`\ndef f(x):\n    y = x + 1\n    return y\n\n\ndef g(a):\n    y = a + 1\n    return y\n",
            "refused: the calling function calls `locals()`, which would see the inlined variables\n",
            "refused: `f` defines a function, class, lambda or generator, which would close over the calling function's variables\n",
            "refused: `f` yields: a call makes a generator\n",
            "refused: `f` calls itself: inlining it would not end\n",
            "refused: `f` declares a name global or nonlocal: inlined, the declaration would be the caller's\n",
            "refused: the call is in a loop and `y`, a variable of `f`, is not surely bound before the body reads it: inlined, a later turn would read the previous turn's value\n",
            "Inline this call of `f`\ndef f(x):\n    y = x + 1\n    return y\n\n\ndef g(xs):\n    for a in xs:\n        y = a + 1\n        r = y\n        print(r)\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn from_its_def_every_call_is_inlined_and_a_private_function_removed() {
    check_every(
        "def _no$0rm(s):\n    t = s.strip()\n    return t.lower()\n\n\ndef a(x):\n    r = _norm(x)\n    return r\n\n\ndef b(y):\n    return _norm(y + '!')\n",
        expect![[r#"
            Inline every call of `_norm` (2 in 1 file) and remove it
            //- m.py
            def a(x):
                t = x.strip()
                r = t.lower()
                return r


            def b(y):
                s = y + '!'
                t = s.strip()
                return t.lower()
        "#]],
    );
    // In other modules too; a public function stays (callers outside the workspace).
    check_every(
        "//- /lib.py\n__all__ = ['double']\n\n\ndef dou$0ble(x):\n    return x * 2\n\n\ndef four():\n    return double(2)\n//- /app.py\nfrom lib import double\n\nprint(double(3))\n",
        expect![[r#"
            Inline every call of `double` (2 in 2 files)
            //- app.py

            print(3 * 2)
            //- lib.py
            __all__ = ['double']


            def double(x):
                return x * 2


            def four():
                return 2 * 2
        "#]],
    );
}

#[test]
fn from_its_def_a_use_that_is_not_an_inlinable_call_refuses_every_one() {
    let shown: Vec<String> = [
        "def dou$0ble(x):\n    return x * 2\n\n\nprint(list(map(double, [1])))\n",
        "def dou$0ble(x):\n    return x * 2\n\n\nprint(double(1))\n",
        // Two calls in one function would share the body's variables.
        "def _f$0(x):\n    y = x + 1\n    return y\n\n\ndef g(a):\n    r = _f(a)\n    s = _f(r)\n    return s\n",
        "def dou$0ble(x):\n    return x * 2\n\n\nprint(double(double(1)))\n",
        "def dou$0ble(x):\n    return x * 2\n",
    ]
    .iter()
    .map(|f| {
        let (graph, file, offset) = crate::ide::fixture::graph(&format!("//- /m.py\n{f}"));
        match crate::ide::inline_function::inline_at(&graph, file, offset) {
            Ok(inlining) => inlining.title,
            Err(why) => why,
        }
    })
    .collect();
    expect![[r#"
        [
            "`double` is used at m.py:5 without being called there (passed or stored as a value): it must stay",
            "Inline every call of `double` (1 in 1 file)",
            "the call at m.py:8 is the second in its function: the two inlined bodies would share their variables",
            "a call of `double` in m.py is inside another's arguments; inline the outer one first",
            "there is no call of a function at the cursor",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_body_that_means_its_own_module_is_not_inlined_into_another() {
    let shown = outcomes(&[
        "//- /lib.py\ndef who():\n    return __name__\n//- /app.py\nfrom lib import who\n\nprint(w$0ho())\n",
        "//- /lib.py\nCOUNT = 0\n\n\ndef bump():\n    global COUNT\n    COUNT += 1\n\n\ndef get():\n    return COUNT\n//- /app.py\nfrom lib import COUNT, get\n\nprint(g$0et())\n",
        "//- /pkg/__init__.py\n//- /pkg/data.py\nX = 1\n//- /pkg/lib.py\ndef load():\n    from . import data\n    return data.X\n//- /app.py\nfrom pkg.lib import load\n\n\ndef main():\n    value = lo$0ad()\n    return value\n",
    ]);
    expect![[r#"
        [
            "refused: `__name__`, which the function reads, names its own module; where it is called it would name another\n",
            "refused: `COUNT`, which the function reads, is rebound in its module: read from another module it would keep its first value\n",
            "refused: the function imports relative to its module, which means another module where it is called\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
    // Twin: in its own module `__name__` is the same.
    check(
        "//- /lib.py\ndef who():\n    return __name__\n\n\nprint(w$0ho())\n",
        expect![[r#"
            Inline this call of `who`
            def who():
                return __name__


            print(__name__)
        "#]],
    );
}

#[test]
fn a_function_a_string_patches_keeps_its_calls() {
    check_every(
        "//- /m.py\ndef _dou$0ble(x):\n    return x * 2\n\n\ndef main():\n    return _double(2)\n//- /t.py\nfrom unittest import mock\nimport m\n\nwith mock.patch.object(m, \"_double\", return_value=0):\n    print(m.main())\n",
        expect![[r#"
            refused: a string at t.py:4 names `_double` (a patch or a lookup by name): its calls are meant to go through it
        "#]],
    );
}

#[test]
fn a_private_function_its_module_may_find_by_name_keeps_its_def() {
    let handlers = "def _handle$0_a():\n    return 'a'\n\n\ndef run():\n    return _handle_a()\n\n\ndef dispatch(kind):\n    return LOOKUP\n";
    check_every(
        &handlers.replace("LOOKUP", "globals()['_handle_' + kind]()"),
        expect![[r#"
            Inline every call of `_handle_a` (1 in 1 file)
            //- m.py
            def _handle_a():
                return 'a'


            def run():
                return 'a'


            def dispatch(kind):
                return globals()['_handle_' + kind]()
        "#]],
    );
    // Twin: a lookup whose name cannot be `_handle_a`.
    check_every(
        &handlers.replace("LOOKUP", "globals()['_other_' + kind]()"),
        expect![[r#"
            Inline every call of `_handle_a` (1 in 1 file) and remove it
            //- m.py
            def run():
                return 'a'


            def dispatch(kind):
                return globals()['_other_' + kind]()
        "#]],
    );
}

#[test]
fn a_private_function_a_doctest_calls_keeps_its_def() {
    let doctested = "\"\"\"\n>>> _double(2)\n4\n\"\"\"\n\n\ndef _dou$0ble(x):\n    return x * 2\n\n\nprint(_double(3))\n";
    check_every(
        doctested,
        expect![[r#"
            Inline every call of `_double` (1 in 1 file)
            //- m.py
            """
            >>> _double(2)
            4
            """


            def _double(x):
                return x * 2


            print(3 * 2)
        "#]],
    );
    // Twin: a doctest of something else.
    check_every(
        &doctested.replace(">>> _double(2)\n4", ">>> 2 * 2\n4"),
        expect![[r#"
            Inline every call of `_double` (1 in 1 file) and remove it
            //- m.py
            """
            >>> 2 * 2
            4
            """


            print(3 * 2)
        "#]],
    );
}

#[test]
fn a_tuple_the_function_returns_goes_into_an_argument_in_parentheses() {
    let shown = outcomes(&[
        "def pair(a, b):\n    return a, b\n\n\nprint(len(pa$0ir(1, 2)))\n",
        // Must not: where it reads as one expression bare, no parentheses.
        "def pair(a, b):\n    return a, b\n\n\nt = pa$0ir(1, 2)\n",
    ]);
    expect![[r#"
        [
            "Inline this call of `pair`\ndef pair(a, b):\n    return a, b\n\n\nprint(len((1, 2)))\n",
            "Inline this call of `pair`\ndef pair(a, b):\n    return a, b\n\n\nt = 1, 2\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_package_init_keeps_its_public_imports_when_a_call_is_inlined() {
    let m = "//- /app/m.py\ndef helper(v):\n    return v * 2\n\n\ndef _private(v):\n    return v * 3\n";
    // The import stays: the package's API (the CLI's check then finds it
    // unused, as ruff does, and refuses the inlining).
    check(
        &format!("{m}//- /app/__init__.py\nfrom .m import helper\n\n\ndef api(v):\n    return hel$0per(v) + 1\n"),
        expect![[r#"
            Inline this call of `helper`
            from .m import helper


            def api(v):
                return v * 2 + 1
        "#]],
    );
    // Must not: a private name's import goes, and a plain module's.
    check(
        &format!("{m}//- /app/__init__.py\nfrom .m import _private\n\n\ndef api(v):\n    return _pri$0vate(v) + 1\n"),
        expect![[r#"
            Inline this call of `_private`


            def api(v):
                return v * 3 + 1
        "#]],
    );
    check(
        &format!("{m}//- /app/user.py\nfrom .m import helper\n\n\ndef api(v):\n    return hel$0per(v) + 1\n"),
        expect![[r#"
        Inline this call of `helper`


        def api(v):
            return v * 2 + 1
    "#]],
    );
}

#[test]
fn an_argument_is_not_moved_into_a_later_operand_of_a_chained_comparison() {
    // Tester 15 case 05: `lo <= v <= hi` reads `hi` only when `lo <= v`.
    let shown = outcomes(&[
        "def within(v, lo, hi):\n    return lo <= v <= hi\n\n\nprint(wit$0hin(x, 0, limit()))\n",
        // Twin: an argument that cannot raise or have effects.
        "def within(v, lo, hi):\n    return lo <= v <= hi\n\n\nprint(wit$0hin(x, 0, 10))\n",
    ]);
    expect![[r#"
        [
            "refused: the read of `hi` at m.py:2 is compared only when the comparisons before it in the chain hold: its argument `limit()` would be evaluated at another time\n",
            "Inline this call of `within`\ndef within(v, lo, hi):\n    return lo <= v <= hi\n\n\nprint(0 <= x <= 10)\n",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_private_function_its_stub_declares_keeps_its_def() {
    let stubbed = "//- /pkg/a.pyi\ndef _sq(x: int) -> int: ...\n//- /pkg/a.py\ndef _s$0q(x):\n    return x * 2\n\n\ndef g(v):\n    return _sq(v)\n";
    check_every(
        stubbed,
        expect![[r#"
            Inline every call of `_sq` (1 in 1 file)
            //- a.py
            def _sq(x):
                return x * 2


            def g(v):
                return v * 2
        "#]],
    );
    // Twin: a stub that declares only the other function.
    check_every(
        &stubbed.replace("def _sq(x: int) -> int: ...", "def g(v: int) -> int: ..."),
        expect![[r#"
            Inline every call of `_sq` (1 in 1 file) and remove it
            //- a.py
            def g(v):
                return v * 2
        "#]],
    );
}
