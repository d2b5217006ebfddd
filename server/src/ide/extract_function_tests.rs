use expect_test::{Expect, expect};

use super::*;
use crate::ide::edits::apply;
use crate::ide::fixture::selected;

/// Extracts the selection between `«` and `»` into a function and shows
/// the new text, or the refusal.
fn check(marked: &str, expected: Expect) {
    let (text, selection) = selected(marked);
    let shown = match extract_function(&text, PySourceType::Python, selection, None) {
        Ok(extraction) => apply(&text, &extraction.replacements),
        Err(why) => format!("refused: {why}\n"),
    };
    expected.assert_eq(&shown);
}

/// For each selection between `«` and `»`: the refusal, or the line that
/// calls the new function.
fn verdicts(cases: &[&str]) -> Vec<String> {
    let shown = |marked: &&str| {
        let (text, selection) = selected(marked);
        match extract_function(&text, PySourceType::Python, selection, None) {
            Ok(e) => {
                let edited = apply(&text, &e.replacements);
                let call = edited.lines().map(str::trim).find(|l| l.contains("extracted(") && !l.contains("def "));
                format!("EXTRACTED {}", call.unwrap_or_default())
            }
            Err(why) => why,
        }
    };
    cases.iter().map(shown).collect()
}

#[test]
fn statements_become_a_function_after_their_own_with_parameters_and_a_return_from_the_data_flow() {
    check(
        r#"
import math


def area(shape, scale):
    «w = shape.w * scale
    h = shape.h * scale
    size = w * h»
    print(w)
    return math.sqrt(size)


def other():
    pass
"#,
        expect![[r#"

            import math


            def area(shape, scale):
                w, size = _extracted(shape, scale)
                print(w)
                return math.sqrt(size)


            def _extracted(shape, scale):
                w = shape.w * scale
                h = shape.h * scale
                size = w * h
                return w, size


            def other():
                pass
        "#]],
    );
    // Nothing read after it: a plain call; nested in an `if`, the lines move left.
    check(
        "def report(rows, out):\n    if rows:\n        «# the header first\n        out.write('n')\n        for r in rows:\n            out.write(r)»\n    return out\n",
        expect![[r#"
            def report(rows, out):
                if rows:
                    _extracted(out, rows)
                return out


            def _extracted(out, rows):
                # the header first
                out.write('n')
                for r in rows:
                    out.write(r)
        "#]],
    );
}

#[test]
fn in_a_method_it_becomes_a_module_function_given_self_first_and_async_when_it_awaits() {
    check(
        "class Cart:\n    def total(self, tax):\n        «base = sum(self.items)\n        taxed = base * tax»\n        return taxed\n\n    def other(self):\n        pass\n",
        expect![[r#"
            def _extracted(self, tax):
                base = sum(self.items)
                taxed = base * tax
                return taxed


            class Cart:
                def total(self, tax):
                    taxed = _extracted(self, tax)
                    return taxed

                def other(self):
                    pass
        "#]],
    );
    check(
        "class Repo:\n    @classmethod\n    async def load(cls, url):\n        «data = await cls.fetch(url)»\n        return data\n",
        expect![[r#"
            async def _extracted(cls, url):
                data = await cls.fetch(url)
                return data


            class Repo:
                @classmethod
                async def load(cls, url):
                    data = await _extracted(cls, url)
                    return data
        "#]],
    );
}

#[test]
fn an_expression_becomes_a_function_returning_it_and_module_level_code_a_function_defined_before_it() {
    check(
        "def price(item, qty):\n    return round(«item.cost * qty», 2)\n",
        expect![[r#"
            def price(item, qty):
                return round(_extracted(item, qty), 2)


            def _extracted(item, qty):
                return item.cost * qty
        "#]],
    );
    // A comprehension's variable is passed in.
    check(
        "def squares(xs, k):\n    return [«x * k» for x in xs]\n",
        expect![[r#"
            def squares(xs, k):
                return [_extracted(x, k) for x in xs]


            def _extracted(x, k):
                return x * k
        "#]],
    );
    // At module level the call runs on import: the function comes first; globals stay globals.
    check(
        "import os\n\nBASE = '/tmp'\n# the paths\n«paths = [BASE + n for n in 'ab']»\nprint(paths)\n",
        expect![[r#"
            refused: at module level it binds `paths` and runs other code meanwhile (a call, an attribute, an operator, ...), which would not see the module's `paths` until the new function returns
        "#]],
    );
}

#[test]
fn what_would_mean_something_else_in_a_function_of_its_own_is_refused_and_its_twin_extracted() {
    let cases = [
        // A `return` would return from the new function; without it, extracted.
        "def f(x):\n    «if x:\n        return 1»\n    return 2\n",
        "def f(x):\n    «if x:\n        print(1)»\n    return 2\n",
        // `break` of the loop around it; a loop of its own may break.
        "def f(xs):\n    for x in xs:\n        «if x:\n            break»\n",
        "def f(xs):\n    «for x in xs:\n        if x:\n            break»\n",
        "def f(xs):\n    «yield xs»\n",
        "def f(xs):\n    «print(xs)»\n",
        // `global`: in a function of its own it would bind another name.
        "N = 0\ndef f():\n    global N\n    «N = 1»\n",
        "N = 0\ndef f():\n    global N\n    «print(N)»\n",
        // Bound on one path and read after it: unbound on the other.
        "def f(c):\n    «if c:\n        y = 1»\n    print(y)\n",
        "def f(c):\n    «if c:\n        y = 1\n    else:\n        y = 2»\n    print(y)\n",
        // Bound before on every path: passed in, so the other path returns it as it was.
        "def f(c):\n    y = 0\n    «if c:\n        y = 1»\n    print(y)\n",
        // Read from before but possibly unbound there.
        "def f(c):\n    if c:\n        y = 1\n    «print(y)»\n",
        // Partial statements or only a comment: nothing to offer.
        "def f(x):\n    a = «x + 1\n    b = 2»\n",
        "def f(x):\n    «# a comment»\n    b = 2\n",
        "def f(x):\n    «a = x + 1\n    b = 2»\n    return a + b\n",
        // A class body: its names are attributes.
        "class A:\n    «x = 1»\n",
        "class A:\n    def m(self):\n        «x = 1»\n        return x\n",
        // `:=` binds in the function around it.
        "def f(xs):\n    return [«(y := x)» for x in xs]\n",
        // A private name of a class means another outside it; a public one does not.
        "class A:\n    def m(self):\n        «print(self.__secret)»\n",
        "class A:\n    def m(self):\n        «print(self._secret)»\n",
        // `super()` needs its class; `locals()` sees the function it runs in.
        "def f(x):\n    «print(locals())»\n",
        // A string spanning lines would change when indented.
        "def f(c):\n    if c:\n        «print('''a\nb''')»\n",
        "def f(c):\n    «print('''a\nb''')»\n",
        // A closure in it would keep the value the variable had when it was made.
        "def f(xs):\n    n = 1\n    «g = (n for _ in xs)»\n    n = 2\n    return g\n",
        "def f(xs):\n    n = 1\n    «g = (n for _ in xs)»\n    return g\n",
        // A `def` would get another qualified name, at module level or in a function.
        "«def g():\n    pass»\n",
        "def f():\n    «def g():\n        pass»\n    return g\n",
        // A docstring would no longer be one.
        "def f():\n    «\"\"\"Doc.\"\"\"\n    print(1)»\n",
        "def f():\n    \"\"\"Doc.\"\"\"\n    «print(1)»\n",
        // A header is evaluated when the `def` is.
        "def f(x=«g()»):\n    pass\n",
        "«del x»\n",
    ];
    let shown = verdicts(&cases);
    expect![[r#"
        [
            "it has a `return`: it would return from the new function instead",
            "EXTRACTED _extracted(x)",
            "it has a `break` or `continue` of a loop around it: a function cannot leave its caller's loop",
            "EXTRACTED _extracted(xs)",
            "it has a `yield`: the new function would be the generator instead",
            "EXTRACTED _extracted(xs)",
            "the selection binds `N`, declared global or nonlocal around it: in a function of its own it would be a local",
            "EXTRACTED _extracted(N)",
            "`y` is bound only on some paths of the selection and read after it",
            "EXTRACTED y = _extracted(c)",
            "EXTRACTED y = _extracted(c, y)",
            "`y` may be unbound where the selection starts (bound only on some paths before it, or deleted)",
            "the selection is not whole statements or one whole expression",
            "the selection is not whole statements or one whole expression",
            "EXTRACTED a, b = _extracted(x)",
            "it is in a class body: its names are the class's attributes, not a function's variables",
            "EXTRACTED x = _extracted()",
            "it binds `y` with `:=`: in a function of its own it would be a local",
            "`__secret` is a private name of its class: outside it, it means another",
            "EXTRACTED _extracted(self)",
            "it calls `locals()`, which sees the function it runs in",
            "a string in it spans lines: indented for the new function, its text would change",
            "EXTRACTED _extracted()",
            "a function defined in the selection reads `n`, which is bound again after it: moved, it would keep the old value",
            "EXTRACTED g = _extracted(xs, n)",
            "it defines `g`: inside the new function its qualified name would change (`repr`, pickling)",
            "it defines `g`: inside the new function its qualified name would change (`repr`, pickling)",
            "it starts with a docstring, which would no longer document its function, class or module",
            "EXTRACTED _extracted()",
            "it is evaluated when the `def` or `class` is (a decorator, default, annotation or base); extract from a body",
            "the selection deletes `x`, which the code after it reads",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_name_the_file_uses_is_not_taken() {
    let (text, selection) = selected("def _extracted():\n    pass\n\n\ndef f(x):\n    «print(x)»\n");
    let picked = extract_function(&text, PySourceType::Python, selection.clone(), None).unwrap();
    assert_eq!(picked.name, "_extracted_2");
    assert_eq!(
        extract_function(&text, PySourceType::Python, selection.clone(), Some("_extracted")).unwrap_err(),
        "`_extracted` is already used in this file; choose another name"
    );
    assert_eq!(extract_function(&text, PySourceType::Python, selection.clone(), Some("def")).unwrap_err(), "`def` is not a Python name");
    let named = extract_function(&text, PySourceType::Python, selection, Some("_show")).unwrap();
    assert!(apply(&text, &named.replacements).ends_with("def f(x):\n    _show(x)\n\n\ndef _show(x):\n    print(x)\n"));
}

#[path = "extract_function_hazard_tests.rs"]
mod hazards;

#[test]
fn parentheses_that_only_grouped_the_expression_go_with_it() {
    // Tester 22 case 18: the call is an atom, the grouping parentheses go.
    check(
        "def f(a, b):\n    return a * («b + 1»)\n",
        expect![[r#"
            def f(a, b):
                return a * _extracted(b)


            def _extracted(b):
                return b + 1
        "#]],
    );
    let cases = [
        "def f(a, b):\n    return («a or b»).real\n",
        "def f(a, b):\n    return -( «a + b» )\n",
        // Must keep: a call's parentheses, a tuple's, a name the word before would join,
        // and those an awaited call needs before `.real` (`await` binds looser than it).
        "def f(a, b):\n    return g(«a + b»)\n",
        "def f(a, b):\n    return (a, «b + 1»)\n",
        "def f(a, b):\n    return not(«a or b»)\n",
        "async def f(a, b):\n    return («await a + b»).real\n",
    ];
    expect![[r#"
        [
            "EXTRACTED return _extracted(a, b).real",
            "EXTRACTED return -_extracted(a, b)",
            "EXTRACTED return g(_extracted(a, b))",
            "EXTRACTED return (a, _extracted(b))",
            "EXTRACTED return not(_extracted(a, b))",
            "EXTRACTED return (await _extracted(a, b)).real",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn an_annotated_local_keeps_its_declared_type_where_the_call_assigns_it() {
    // Issue #31: `x: int = f()` became `x = _extracted()`, its declared type lost.
    check(
        r#"
def total(items):
    «count: int = len(items)
    label: "str | None" = None
    size = count * 2»
    return count, label, size
"#,
        expect![[r#"

            def total(items):
                count: int
                label: "str | None"
                count, label, size = _extracted(items)
                return count, label, size


            def _extracted(items):
                count: int = len(items)
                label: "str | None" = None
                size = count * 2
                return count, label, size
        "#]],
    );
    // One value keeps it on its assignment, wherever in the selection it
    // is annotated; a name the caller does not read after declares nothing.
    let cases = [
        "def f(items):\n    «n: int = len(items)»\n    return n\n",
        "def f(items):\n    «n = 0\n    for _ in items:\n        n: int = n + 1»\n    return n\n",
        "def f(items):\n    «n: int = len(items)\n    m = n»\n    return m\n",
    ];
    expect![[r#"
        [
            "EXTRACTED n: int = _extracted(items)",
            "EXTRACTED n: int = _extracted(items)",
            "EXTRACTED m = _extracted(items)",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}
