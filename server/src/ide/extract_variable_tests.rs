use expect_test::{Expect, expect};

use super::*;
use crate::ide::edits::apply;
use crate::ide::fixture::selected;

/// Extracts the selection between `«` and `»` and shows the new text, or
/// the refusal.
fn check(marked: &str, name: Option<&str>, expected: Expect) {
    let (text, selection) = selected(marked);
    let shown = match extract_variable(&text, PySourceType::Python, selection, name) {
        Ok(extraction) => apply(&text, &extraction.replacements),
        Err(why) => format!("refused: {why}\n"),
    };
    expected.assert_eq(&shown);
}

/// Each selection's refusal, or `EXTRACTED` and the new text.
fn verdicts(cases: &[&str]) -> Vec<String> {
    let shown = |marked: &&str| {
        let (text, selection) = selected(marked);
        match extract_variable(&text, PySourceType::Python, selection, None) {
            Ok(e) => format!("EXTRACTED {}", apply(&text, &e.replacements)),
            Err(why) => why,
        }
    };
    cases.iter().map(shown).collect()
}

#[test]
fn an_expression_gets_a_line_of_its_own_before_its_statement() {
    check(
        "def total(cart):\n    return round(«cart.subtotal() * 1.2», 2)\n",
        None,
        expect![[r#"
            def total(cart):
                value = cart.subtotal() * 1.2
                return round(value, 2)
        "#]],
    );
    // Named after the function it calls, when the file does not use that name.
    check(
        "def total(cart):\n    return round(«cart.get_tax(0.2)», 2)\n",
        None,
        expect![[r#"
            def total(cart):
                tax = cart.get_tax(0.2)
                return round(tax, 2)
        "#]],
    );
    // At module level the name it picks is private: `from m import *` does not take it.
    check(
        "print(«len('ab') + 1»)\n",
        None,
        expect![[r#"
            _value = len('ab') + 1
            print(_value)
        "#]],
    );
    check(
        "__all__ = ['value']\nvalue = 1\nprint(«(value + 1)»)\n",
        Some("bigger"),
        expect![[r#"
            __all__ = ['value']
            value = 1
            bigger = value + 1
            print(bigger)
        "#]],
    );
}

#[test]
fn multi_line_expressions_and_generators_keep_their_meaning_in_parentheses() {
    check(
        "items = [1]\nprint(sum(«x * 2\n          for x in items»))\n",
        None,
        expect![[r#"
            items = [1]
            _value = (x * 2
                      for x in items)
            print(sum(_value))
        "#]],
    );
    let crlf = extract_variable("if True:\r\n\tprint(1 + 2)\r\n", PySourceType::Python, 17..22, None).unwrap();
    assert_eq!(apply("if True:\r\n\tprint(1 + 2)\r\n", &crlf.replacements), "if True:\r\n\t_value = 1 + 2\r\n\tprint(_value)\r\n");
}

#[test]
fn what_would_run_at_another_time_or_another_number_of_times_is_refused() {
    let refusals = [
        "while «next_item()»:\n    pass\n",
        "if a:\n    pass\nelif «b()»:\n    pass\n",
        "x = a() if c else «b()»\n",
        "x = a and «b()»\n",
        "f = lambda: «g()»\n",
        "xs = [«f(x)» for x in range(3)]\n",
        "def f(x=«g()»):\n    pass\n",
        "class A(«base()»):\n    pass\n",
        "class A:\n    x = «g()»\n",
        "assert «t()», 'm'\n",
        "print(f'{«x»=}')\n",
        "x = stack[-1] * 10 + «stack.pop()»\n",
        "n += «g()»\n",
        "x = d['missing'] + «1 // z»\n",
        "def f():\n    for i in range(2): pass; \\\n    print(«i * 10»)\n",
        "«a.b» = 1\n",
        "print(f(), «g()»)\n",
        "x = 1; print(«x + 1»)\n",
        "print(«x + 1, y»)\n",
        "«print(1)»\n",
        "f(«*args»)\n",
    ];
    let shown = verdicts(&refusals);
    expect![[r#"
        [
            "it is a `while` test, evaluated at every turn: run before the statement, it could do something else",
            "it is an `elif` test, evaluated only when the tests before it fail: run before the statement, it could do something else",
            "it is a branch of a conditional expression, evaluated only when it is taken: run before the statement, it could do something else",
            "it is evaluated only when the `and`/`or` before it does not decide: run before the statement, it could do something else",
            "it is in a lambda, evaluated when it is called: run before the statement, it could do something else",
            "it is in a comprehension, evaluated for each item: run before the statement, it could do something else",
            "it is evaluated when the `def` or `class` is (a decorator, default, annotation or base): run before the statement, it could do something else",
            "it is evaluated when the `def` or `class` is (a decorator, default, annotation or base): run before the statement, it could do something else",
            "it is in a class body: the new name would become an attribute of the class",
            "it is in an `assert`, which `python -O` does not run: run before the statement, it could do something else",
            "it is in an f-string's `{...=}`, which prints the expression's own text: run before the statement, it could do something else",
            "`stack[-1]` is evaluated before it in the statement: run first, it could see or leave other values",
            "`n` is evaluated before it in the statement: run first, it could see or leave other values",
            "`d['missing']` is evaluated before it in the statement: run first, it could see or leave other values",
            "its statement shares a line with another; put it on a line of its own first",
            "it is an assignment target: run before the statement, it could do something else",
            "`f()` is evaluated before it in the statement: run first, it could see or leave other values",
            "its statement shares a line with another; put it on a line of its own first",
            "the selection is not one whole expression",
            "the selection is a whole statement: there is nothing to name",
            "`*value` is not an expression of its own; select what follows the star",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn an_augmented_targets_index_is_evaluated_once_before_the_value() {
    // Issue #31: `d[i + 1] += 2` reads and writes `d[value]`, the index evaluated once.
    check(
        "def bump(d, i):\n    d[«i + 1»] += 2\n",
        None,
        expect![[r#"
            def bump(d, i):
                value = i + 1
                d[value] += 2
        "#]],
    );
    check(
        "def bump(obj, i):\n    «obj.items»[i] += 2\n",
        Some("found"),
        expect![[r#"
            def bump(obj, i):
                found = obj.items
                found[i] += 2
        "#]],
    );
    let cases = [
        // The whole target, or what may change `d` before the index runs.
        "def bump(d, i):\n    «d[i + 1]» += 2\n",
        "def bump(i):\n    d[«i + 1»] += 2\n",
        // The value runs after the index either way.
        "def bump(d, i):\n    d[«i + 1»] += d.pop()\n",
        // A plain or annotated assignment evaluates its value first.
        "def bump(d, i):\n    d[«i + 1»] = g()\n",
        "def bump(d, i):\n    d[«i + 1»]: int = g()\n",
    ];
    expect![[r#"
        [
            "it is an assignment target: run before the statement, it could do something else",
            "`d` is evaluated before it in the statement: run first, it could see or leave other values",
            "EXTRACTED def bump(d, i):\n    value = i + 1\n    d[value] += d.pop()\n",
            "it is in an assignment target, evaluated after the value: run before the statement, it could do something else",
            "it is in an annotated target, evaluated after the value: run before the statement, it could do something else",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn a_name_the_file_uses_is_not_taken() {
    check(
        "value = 1\nprint(«value + 1»)\n",
        Some("value"),
        expect![[r#"
        refused: `value` is already used in this file; choose another name
    "#]],
    );
    check(
        "value = 1\nprint(«value + 1»)\n",
        Some("class"),
        expect![[r#"
        refused: `class` is not a Python name
    "#]],
    );
    check(
        "value = 1\nvalue_2 = 2\nprint(«value + value_2»)\n",
        None,
        expect![[r#"
            value = 1
            value_2 = 2
            _value = value + value_2
            print(_value)
        "#]],
    );
}

#[test]
fn a_comprehensions_first_iterable_is_evaluated_before_the_element_written_ahead_of_it() {
    check(
        "def e3(xs):\n    return [x * 2 for x in «xs.copy()» if x]\n",
        None,
        expect![[r#"
            def e3(xs):
                value = xs.copy()
                return [x * 2 for x in value if x]
        "#]],
    );
    check(
        "def e3(d):\n    return {k: v * 2 for k, v in «d.items()»}\n",
        None,
        expect![[r#"
            def e3(d):
                value = d.items()
                return {k: v * 2 for k, v in value}
        "#]],
    );
    // Must not: what the statement evaluates before the comprehension still counts.
    check(
        "def e3(xs):\n    return f(xs.pop(), [x for x in «xs.copy()»])\n",
        None,
        expect![[r#"
            refused: `xs.pop()` is evaluated before it in the statement: run first, it could see or leave other values
        "#]],
    );
    // Must not: the second iterable is evaluated for each item of the first.
    check(
        "def e3(xs):\n    return [y for x in xs for y in «x.copy()»]\n",
        None,
        expect![[r#"
            refused: it is in a comprehension, evaluated for each item: run before the statement, it could do something else
        "#]],
    );
}

#[test]
fn a_public_module_name_is_refused_where_a_star_import_would_take_it() {
    // `from a import *` after the importer's own `length` would replace it.
    check(
        "X = «len('abc')» + 1\n",
        Some("length"),
        expect![[r#"
            refused: `from ... import *` would take a new public `length` (the module has no `__all__`); name it `_length`
        "#]],
    );
    check(
        "from b import *\n__all__ = ['X']\nX = «len('abc')» + 1\n",
        Some("length"),
        expect![[r#"
            refused: the module imports `*`, whose names are not listed here: a public `length` could replace one; name it `_length`
        "#]],
    );
    // Must not: a private name, a module listing `__all__`, a function's local.
    check(
        "X = «len('abc')» + 1\n",
        Some("_length"),
        expect![[r#"
            _length = len('abc')
            X = _length + 1
        "#]],
    );
    check(
        "__all__ = ['X']\nX = «len('abc')» + 1\n",
        Some("length"),
        expect![[r#"
            __all__ = ['X']
            length = len('abc')
            X = length + 1
        "#]],
    );
    check(
        "def f():\n    return «len('abc')» + 1\n",
        Some("length"),
        expect![[r#"
            def f():
                length = len('abc')
                return length + 1
        "#]],
    );
}

#[test]
fn a_function_that_reads_its_variables_by_name_is_refused() {
    let shown: Vec<String> = ["locals()", "vars()"]
        .iter()
        .map(|call| {
            let (text, selection) = selected(&format!("def k(a):\n    total = «a + 1»\n    return {call}\n"));
            extract_variable(&text, PySourceType::Python, selection, None).err().unwrap_or_default()
        })
        .collect();
    expect![[r#"
        [
            "its function calls `locals()`, which would see the new variable by name",
            "its function calls `vars()`, which would see the new variable by name",
        ]
    "#]]
    .assert_debug_eq(&shown);
    // Must not: `vars(obj)` reads an object, `locals()` of a function nested in it its own frame.
    check(
        "def k(a):\n    total = «a + 1»\n    def inner():\n        return locals()\n    return vars(a), inner\n",
        None,
        expect![[r#"
            def k(a):
                value = a + 1
                total = value
                def inner():
                    return locals()
                return vars(a), inner
        "#]],
    );
}

#[test]
fn a_parameter_read_before_it_in_the_statement_does_not_refuse_it() {
    check(
        "def g(x, y):\n    return pair(x, «y + 1»)\n",
        None,
        expect![[r#"
            def g(x, y):
                value = y + 1
                return pair(x, value)
        "#]],
    );
    // Must not: a parameter the selection binds, one deleted, one a nested function may rebind, a global.
    let refusals = [
        "def g(x, y):\n    return pair(x, «(x := y)»)\n",
        "def g(x, y):\n    if y:\n        del x\n    return pair(x, «y + 1»)\n",
        "def g(x, y):\n    def h():\n        nonlocal x\n        x = 2\n    return pair(x, «h()»)\n",
        "def g(y):\n    return pair(x, «y + 1»)\n",
    ];
    let shown: Vec<String> = refusals
        .iter()
        .map(|marked| {
            let (text, selection) = selected(marked);
            extract_variable(&text, PySourceType::Python, selection, None).err().unwrap_or_default()
        })
        .collect();
    expect![[r#"
        [
            "`x` is evaluated before it in the statement: run first, it could see or leave other values",
            "`x` is evaluated before it in the statement: run first, it could see or leave other values",
            "`x` is evaluated before it in the statement: run first, it could see or leave other values",
            "`x` is evaluated before it in the statement: run first, it could see or leave other values",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_method_looked_up_before_the_selection_is_named_as_a_lookup_the_selection_could_rebind() {
    // The selection may run any code (`len` calls `__len__`), which may set
    // `equal` on the object: refused, and the reason says so.
    let cases = [
        "class C:\n    def run(self, x):\n        return self.equal(«len(x)», 2)\n",
        // Must not: a plain function's name is not a lookup on an object; an attribute read that is not the call's method keeps the general reason.
        "def run(x):\n    return equal(«len(x)», 2)\n",
        "def run(o, x):\n    return equal(o.limit, «len(x)»)\n",
    ];
    let shown = verdicts(&cases);
    expect![[r#"
        [
            "the method `self.equal` is looked up before it in the statement: run first, `len(x)` could rebind what `self.equal` finds (an attribute set on the object), and the lookup may run code of its own (`__getattr__`, a property)",
            "EXTRACTED def run(x):\n    value = len(x)\n    return equal(value, 2)\n",
            "`o.limit` is evaluated before it in the statement: run first, it could see or leave other values",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn an_annotation_and_a_literal_strings_method_are_not_evaluated_before_the_value() {
    // Tester 22 cases 11 and 12.
    check(
        "class Box:\n    def __init__(self, a, b):\n        self.items: set[int] = «set(a) | set(b)»\n",
        None,
        expect![[r#"
            class Box:
                def __init__(self, a, b):
                    value = set(a) | set(b)
                    self.items: set[int] = value
        "#]],
    );
    check(
        "def row(label, n):\n    return \"{}: {}\".format(label, «\"x\" * n»)\n",
        None,
        expect![[r#"
            def row(label, n):
                value = "x" * n
                return "{}: {}".format(label, value)
        "#]],
    );
    // Must still refuse: a method of another object, a call before it in the
    // literal's method call, a part of the value before it.
    let refusals = [
        "def row(fmt, label, n):\n    return fmt.format(label, «\"x\" * n»)\n",
        "def row(label, n):\n    return \"{}: {}\".format(str(label), «\"x\" * n»)\n",
        "def g(a, b):\n    total: int = f(a) + «len(b)»\n",
    ];
    expect![[r#"
        [
            "the method `fmt.format` is looked up before it in the statement: run first, `\"x\" * n` could rebind what `fmt.format` finds (an attribute set on the object), and the lookup may run code of its own (`__getattr__`, a property)",
            "`str(label)` is evaluated before it in the statement: run first, it could see or leave other values",
            "`f(a)` is evaluated before it in the statement: run first, it could see or leave other values",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&refusals));
}

#[test]
fn a_name_a_case_pattern_captures_is_read_as_steadily_as_a_parameter() {
    // Tester 22 case 13.
    check(
        "def m(cmd):\n    match cmd:\n        case {\"op\": op, \"n\": n}:\n            return op * («n + 1»)\n",
        None,
        expect![[r#"
            def m(cmd):
                match cmd:
                    case {"op": op, "n": n}:
                        value = n + 1
                        return op * value
        "#]],
    );
    // Must still refuse: a local the pattern does not bind (it may be unbound
    // there), one the selection rebinds, one deleted in the function.
    let refusals = [
        "def m(cmd, op=None):\n    match cmd:\n        case {\"n\": n}:\n            if n:\n                other = 1\n            return other * («n + 1»)\n",
        "def m(cmd):\n    match cmd:\n        case {\"op\": op, \"n\": n}:\n            return op * («op := n + 1»)\n",
        "def m(cmd):\n    match cmd:\n        case {\"op\": op, \"n\": n}:\n            if n:\n                del op\n            return op * («n + 1»)\n",
    ];
    expect![[r#"
        [
            "`other` is evaluated before it in the statement: run first, it could see or leave other values",
            "`op` is evaluated before it in the statement: run first, it could see or leave other values",
            "`op` is evaluated before it in the statement: run first, it could see or leave other values",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&refusals));
}

#[test]
fn parentheses_that_only_grouped_the_expression_go_with_it() {
    // Tester 22 case 18.
    let cases = [
        "def f(a, b):\n    return a * («b + 1»)\n",
        "def f(a, b):\n    return («a or b»).real\n",
        "def f(a, b):\n    return -( «a + b» )\n",
        // Must keep: a call's parentheses, a tuple's, a name the word before would join.
        "def f(a, b):\n    return g(«a + b»)\n",
        "def f(a, b):\n    return (a, «b + 1»)\n",
        "def f(a, b):\n    return not(«a or b»)\n",
    ];
    expect![[r#"
        [
            "EXTRACTED def f(a, b):\n    value = b + 1\n    return a * value\n",
            "EXTRACTED def f(a, b):\n    value = a or b\n    return value.real\n",
            "EXTRACTED def f(a, b):\n    value = a + b\n    return -value\n",
            "EXTRACTED def f(a, b):\n    value = a + b\n    return g(value)\n",
            "EXTRACTED def f(a, b):\n    value = b + 1\n    return (a, value)\n",
            "EXTRACTED def f(a, b):\n    value = a or b\n    return not(value)\n",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&cases));
}

#[test]
fn the_condition_of_a_conditional_is_evaluated_before_its_first_branch() {
    // Tester ref23 case 05 (mistune `BlockParser() if inline is None else …`).
    check(
        "def f(inline):\n    return list() if «inline is None» else [inline]\n",
        None,
        expect![[r#"
            def f(inline):
                value = inline is None
                return list() if value else [inline]
        "#]],
    );
    // Must still refuse: what runs before the conditional, and its branches.
    let refusals = [
        "def f(inline):\n    return g() + (list() if «inline is None» else [inline])\n",
        "def f(inline):\n    return list() if inline is None else «[inline]»\n",
    ];
    expect![[r#"
        [
            "`g()` is evaluated before it in the statement: run first, it could see or leave other values",
            "it is a branch of a conditional expression, evaluated only when it is taken: run before the statement, it could do something else",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&refusals));
}

#[test]
fn a_local_assigned_before_the_statement_is_read_as_steadily_as_a_parameter() {
    // Tester ref23 case 14 (transitions `label += … + ", ".join(state["on_enter"])`).
    check(
        "def total(prices, tax):\n    base = 1\n    return base + «sum(prices)» * tax\n",
        None,
        expect![[r#"
            def total(prices, tax):
                base = 1
                value = sum(prices)
                return base + value * tax
        "#]],
    );
    check(
        "def describe(state):\n    label = state[\"name\"]\n    label += \" + \" + \", \".join(«state[\"on_enter\"]»)\n    return label\n",
        None,
        expect![[r#"
            def describe(state):
                label = state["name"]
                value = state["on_enter"]
                label += " + " + ", ".join(value)
                return label
        "#]],
    );
    // Must still refuse: a local assigned only on one path (it may be
    // unbound there), after the statement, by the selection, deleted, or
    // rebound by a nested function.
    let refusals = [
        "def t(p, c):\n    if c:\n        base = 1\n    return base + «sum(p)»\n",
        "def t(p):\n    for base in p:\n        pass\n    return base + «sum(p)»\n",
        "def t(p):\n    base = 1\n    return base + «(base := sum(p))»\n",
        "def t(p, c):\n    base = 1\n    if c:\n        del base\n    return base + «sum(p)»\n",
        "def t(p):\n    base = 1\n    def h():\n        nonlocal base\n        base = 2\n    return base + «h()»\n",
    ];
    expect![[r#"
        [
            "`base` is evaluated before it in the statement: run first, it could see or leave other values",
            "`base` is evaluated before it in the statement: run first, it could see or leave other values",
            "`base` is evaluated before it in the statement: run first, it could see or leave other values",
            "`base` is evaluated before it in the statement: run first, it could see or leave other values",
            "`base` is evaluated before it in the statement: run first, it could see or leave other values",
        ]
    "#]]
    .assert_debug_eq(&verdicts(&refusals));
}

#[test]
fn a_function_of_an_imported_module_is_looked_up_as_steadily_as_a_function_name() {
    // Tester ref23 case 13 (mistune `re.compile("^ {0," + str(len(spaces)) + …)`).
    let cases = [
        "import re\n\ndef p(spaces):\n    return re.compile(«\"^ {0,\" + str(len(spaces))»)\n",
        "import os\n\ndef where(base, name):\n    return os.path.join(base, «name.lower()»)\n",
        "import xml.etree.ElementTree\n\ndef parse(text):\n    return xml.etree.ElementTree.fromstring(«text.strip()»)\n",
        // Must still refuse: a name rebound besides its import, an object of
        // the module (its attribute may be a property), an attribute not
        // known to be a module, a local of the module's name.
        "import re\n\ndef p(spaces):\n    global re\n    return re.compile(«str(len(spaces))»)\n",
        "import app\n\ndef p(x):\n    return app.config.get(«len(x)»)\n",
        "import os\n\ndef p(x):\n    return os.environ.get(«x.upper()»)\n",
        "import re\n\ndef p(re, x):\n    return re.compile(«len(x)»)\n",
    ];
    expect![[r#"
        [
            "EXTRACTED import re\n\ndef p(spaces):\n    value = \"^ {0,\" + str(len(spaces))\n    return re.compile(value)\n",
            "EXTRACTED import os\n\ndef where(base, name):\n    value = name.lower()\n    return os.path.join(base, value)\n",
            "EXTRACTED import xml.etree.ElementTree\n\ndef parse(text):\n    value = text.strip()\n    return xml.etree.ElementTree.fromstring(value)\n",
            "the method `re.compile` is looked up before it in the statement: run first, `str(len(spaces))` could rebind what `re.compile` finds (an attribute set on the object), and the lookup may run code of its own (`__getattr__`, a property)",
            "the method `app.config.get` is looked up before it in the statement: run first, `len(x)` could rebind what `app.config.get` finds (an attribute set on the object), and the lookup may run code of its own (`__getattr__`, a property)",
            "the method `os.environ.get` is looked up before it in the statement: run first, `x.upper()` could rebind what `os.environ.get` finds (an attribute set on the object), and the lookup may run code of its own (`__getattr__`, a property)",
            "the method `re.compile` is looked up before it in the statement: run first, `len(x)` could rebind what `re.compile` finds (an attribute set on the object), and the lookup may run code of its own (`__getattr__`, a property)",
        ]
    "#]].assert_debug_eq(&verdicts(&cases));
}
