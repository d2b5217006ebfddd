use expect_test::expect;

use crate::ide::signature_change::tests::check;

#[test]
fn a_new_parameter_named_as_a_global_or_builtin_the_body_reads_is_refused() {
    let workspace = r#"
//- /m.py
scale = 10

def $0f(x, items):
    return x * scale + len(items)

f(2, [1])
"#;
    check(
        workspace,
        "(x, items, scale=1)",
        false,
        expect![[r#"
            refused: the body of `f` reads `scale` (a global or builtin there): the new parameter `scale` would take its place
        "#]],
    );
    check(
        workspace,
        "(x, items, len=None)",
        false,
        expect![[r#"
            refused: the body of `f` reads `len` (a global or builtin there): the new parameter `len` would take its place
        "#]],
    );
    // Must not: a name the body does not read, or binds itself.
    check(workspace, "(x, items, factor=1)", false, expect![""]);
    let bound = workspace.replace("return x * scale", "scale = 2\n    return x * scale");
    check(&bound, "(x, items, scale=1)", false, expect![""]);
}

#[test]
fn a_removed_parameter_the_body_reads_is_refused_where_a_global_has_its_name() {
    let workspace = r#"
//- /m.py
scale = 10

def $0f(x, scale=1, unused=0):
    return x * scale

f(2, 3)
"#;
    check(
        workspace,
        "(x)",
        false,
        expect![[r#"
            refused: the body of `f` still reads the parameter `scale`: without it, it would read the global `scale` instead; edit the body first
        "#]],
    );
    // Must not: the parameter the body does not read goes.
    check(workspace, "(x, scale=1)", false, expect![""]);
    // Without a global of its name too: the editor's fix has no check of the result to find it undefined.
    check(
        &workspace.replace(
            "scale = 10
",
            "",
        ),
        "(x)",
        false,
        expect![[r#"
            refused: the body of `f` still reads the parameter `scale`: without it, it would read an undefined name `scale` instead; edit the body first
        "#]],
    );
}

#[test]
fn a_new_parameter_named_as_a_keyword_calls_pass_to_kwargs_is_refused() {
    let workspace = r#"
//- /m.py
def $0f(a, **kw):
    return (a, kw)

f(1, extra=2)
"#;
    check(
        workspace,
        "(a, extra=None, **kw)",
        false,
        expect![[r#"
            refused: the call at m.py:4 cannot be updated: its keyword `extra` went to `**kwargs` and would name the new parameter `extra`
        "#]],
    );
    // Must not: a name no call passes.
    check(workspace, "(a, other=None, **kw)", false, expect![""]);
}

#[test]
fn a_method_overriding_a_library_method_is_refused() {
    let workspace = r#"
//- /typeshed/html/__init__.pyi
//- /typeshed/html/parser.pyi
class HTMLParser:
    def feed(self, data: str) -> None: ...
    def handle_starttag(self, tag: str, attrs: list) -> None: ...
//- /m.py
from html.parser import HTMLParser

class P(HTMLParser):
    def $0handle_starttag(self, tag, attrs):
        self.seen = (tag, attrs)

    def helper(self, a, b):
        return a

P().helper(1, 2)
"#;
    check(
        workspace,
        "(self, attrs, tag)",
        false,
        expect![[r#"
            refused: `handle_starttag` overrides `html.parser.HTMLParser.handle_starttag` of a library, which calls it with the old parameters
        "#]],
    );
    // Must not: a method the library class does not have.
    let helper = workspace.replace("$0handle_starttag", "handle_starttag").replace("def helper", "def $0helper");
    check(
        &helper,
        "(self, b, a)",
        false,
        expect![[r#"
            //- m.py
            from html.parser import HTMLParser

            class P(HTMLParser):
                def handle_starttag(self, tag, attrs):
                    self.seen = (tag, attrs)

                def helper(self, a, b):
                    return a

            P().helper(2, 1)
        "#]],
    );
}

#[test]
fn a_function_looked_up_by_a_computed_name_is_refused() {
    let workspace = r#"
//- /m.py
class Visitor:
    def visit(self, node, depth):
        return getattr(self, "visit_" + node[0])(node, depth)

    def $0visit_num(self, node, depth):
        return node

    def other(self, node, depth):
        return node

def handle_a(x, y):
    return x

def dispatch(kind):
    return globals()["handle_" + kind](1, 2)

Visitor().visit_num(1, 2)
Visitor().other(1, 2)
handle_a(1, 2)
"#;
    check(
        workspace,
        "(self, depth, node)",
        false,
        expect![[r#"
            refused: m.py:3 looks up a name computed at run time, which may be `visit_num`: the calls made through it cannot be updated
        "#]],
    );
    let handle = workspace.replace("$0visit_num", "visit_num").replace("def handle_a", "def $0handle_a");
    check(
        &handle,
        "(y, x)",
        false,
        expect![[r#"
            refused: m.py:15 looks up a name computed at run time, which may be `handle_a`: the calls made through it cannot be updated
        "#]],
    );
    // Must not: a name the computed one cannot start with.
    let other = workspace.replace("$0visit_num", "visit_num").replace("def other", "def $0other");
    check(
        &other,
        "(self, depth, node)",
        false,
        expect![[r#"
            //- m.py
            class Visitor:
                def visit(self, node, depth):
                    return getattr(self, "visit_" + node[0])(node, depth)

                def visit_num(self, node, depth):
                    return node

                def other(self, node, depth):
                    return node

            def handle_a(x, y):
                return x

            def dispatch(kind):
                return globals()["handle_" + kind](1, 2)

            Visitor().visit_num(1, 2)
            Visitor().other(2, 1)
            handle_a(1, 2)
        "#]],
    );
}

#[test]
fn parameters_read_by_name_or_declared_elsewhere_refuse_a_rename() {
    // `locals()` reads the parameters by their names.
    let reflective = r#"
//- /m.py
def $0greet(name):
    return "hello {name}".format(**locals())

greet("a")
"#;
    check(
        reflective,
        "(who)",
        true,
        expect![[r#"
            refused: the body of `greet` reads its names through `locals()`: a parameter's new name would not be found there
        "#]],
    );
    // Must not: a reorder keeps the names.
    let two = reflective.replace("greet(name)", "greet(name, punct='!')");
    check(
        &two,
        "(punct='!', name=None)",
        false,
        expect![[r#"
        //- m.py
        def greet(name, punct='!'):
            return "hello {name}".format(**locals())

        greet(name="a")
    "#]],
    );
    // pytest passes a test's and a fixture's parameters by name.
    let pytest = r#"
//- /tests/test_m.py
import pytest

@pytest.fixture
def $0factory(tmp_path):
    return tmp_path

def test_one(factory):
    assert factory
"#;
    check(
        pytest,
        "(path)",
        true,
        expect![[r#"
            refused: pytest passes `factory`'s parameters by their names (fixtures, `parametrize`): a new name would not be found
        "#]],
    );
    // Must not: the same helper undecorated, outside a test file.
    let helper = pytest.replace("@pytest.fixture\n", "").replace("/tests/test_m.py", "/tests/helpers.py");
    check(&helper, "(path)", true, expect![""]);
    // A stub beside the module declares the old parameters.
    let stubbed = r#"
//- /pkg/m.py
def $0area(w, h):
    return w * h

area(1, 2)
//- /pkg/m.pyi
def area(w: int, h: int) -> int: ...
"#;
    check(
        stubbed,
        "(h, w)",
        false,
        expect![[r#"
            refused: the stub at pkg/m.pyi:1 declares `area` with the old parameters
        "#]],
    );
}

#[test]
fn a_parameter_an_f_string_prints_by_its_name_refuses_a_rename_of_it() {
    let workspace = "//- /m.py\ndef $0show(x, y):\n    return f\"{x=} {y}\"\n\nshow(1, 2)\n";
    check(
        workspace,
        "(value, y)",
        true,
        expect![[r#"
            refused: the body of `show` prints `x` with its name (`f"{x=}"`): under a new name it would print another text
        "#]],
    );
    // Must not: the other parameter, which it prints without its name.
    check(workspace, "(x, why)", true, expect![""]);
}

#[test]
fn a_string_of_code_calling_the_function_refuses_a_change_of_its_arguments_and_a_docstring_example_is_said() {
    let workspace = "//- /m.py\ndef $0f(a, b):\n    return a * 10 + b\n//- /main.py\nfrom m import f\nEXPR = \"f(1, 2)\"\nprint(f(3, 4), eval(EXPR))\n";
    check(
        workspace,
        "(b, a)",
        false,
        expect![[r#"
            refused: the string at main.py:2 calls `f` as code (for `eval` or `exec`): that call cannot be updated
        "#]],
    );
    // Must not: prose that is no code, and a docstring's example, are left and said.
    let prose = workspace.replace("EXPR = \"f(1, 2)\"", "EXPR = \"call f(1, 2) first\"\n\"\"\"f(1, 2)\"\"\"");
    check(
        &prose,
        "(b, a)",
        false,
        expect![[r#"
            //- main.py
            from m import f
            EXPR = "call f(1, 2) first"
            """f(1, 2)"""
            print(f(4, 3), eval(EXPR))
            left: the string at main.py:2 shows a call of `f`, which is not updated
            left: the docstring at main.py:3 shows a call of `f`, which is not updated
        "#]],
    );
}

#[test]
fn a_stub_declaring_a_namesake_of_another_class_names_the_right_line() {
    // Tester 12 case 01: the stub's `Match.evaluate` is not `Parser.evaluate`.
    let stubbed = r#"
//- /lib/__init__.py
class Match:
    def evaluate(self):
        return 1


class Parser:
    def $0evaluate(self, m):
        return m

Parser().evaluate(m=3)
//- /lib/__init__.pyi
class Match:
    def evaluate(self) -> int: ...

class Parser:
    def evaluate(self, m: int) -> int: ...
"#;
    check(
        stubbed,
        "(self, mm)",
        true,
        expect![[r#"
        refused: the stub at lib/__init__.pyi:5 declares `evaluate` with the old parameters
    "#]],
    );
    // Must not: a class the stub leaves out has no declaration there.
    check(
        &stubbed.replace("class Parser:\n    def evaluate(self, m: int) -> int: ...\n", ""),
        "(self, mm)",
        true,
        expect![[r#"
        //- lib/__init__.py
        class Match:
            def evaluate(self):
                return 1


        class Parser:
            def evaluate(self, m):
                return m

        Parser().evaluate(mm=3)
    "#]],
    );
}

#[test]
fn a_call_through_a_name_bound_to_the_unbound_method_is_refused_for_that_reason() {
    // Tester 11 case 17: `f(c, 20, 1)` passes `self` as `Calc.sub` takes it.
    let aliased = "//- /m.py\nclass Calc:\n    def $0sub(self, a, b):\n        return a - b\n\nc = Calc()\nf = Calc.sub\nprint(f(c, 20, 1))\n";
    check(
        aliased,
        "(self, b, a)",
        false,
        expect![[r#"
            refused: 
              - m.py:6 refers to `sub` without calling it (passed on as a value): the calls made through it cannot be updated
              - the call at m.py:7 goes through `f`, another name for `sub`, which may be bound to it unbound (`Class.sub`, taking `self` as an argument): it cannot be updated exactly
        "#]],
    );
    // Must not: the unbound call written out is updated.
    check(
        &aliased.replace("f = Calc.sub\nprint(f(c, 20, 1))", "print(Calc.sub(c, 20, 1))"),
        "(self, b, a)",
        false,
        expect![[r#"
        //- m.py
        class Calc:
            def sub(self, a, b):
                return a - b

        c = Calc()
        print(Calc.sub(c, 1, 20))
    "#]],
    );
}

#[test]
fn a_call_through_a_functools_partial_is_refused_saying_so() {
    // Tester 23 (smaller observation): the reason said "may be bound to it
    // unbound (`Class.scale`, taking `self` ...)" for a partial of a function.
    check(
        "//- /m.py\nimport functools\n\n\ndef $0scale(value, factor):\n    return value * factor\n\n\ndef run():\n    f = functools.partial(scale, factor=2)\n    return f(1)\n",
        "(factor, value)",
        false,
        expect![[r#"
            refused: 
              - m.py:9 refers to `scale` without calling it (passed on as a value): the calls made through it cannot be updated
              - the call at m.py:10 goes through `f`, a `functools.partial` of `scale` (line 9), which passes some of its arguments: it cannot be updated exactly
        "#]],
    );
}

#[test]
fn overload_variants_refuse_a_parameter_rename_with_what_the_user_can_do() {
    let workspace = r#"
//- /m.py
from typing import overload


@overload
def parse(x: int) -> int: ...
@overload
def parse(x: str) -> str: ...
def parse(x$0):
    return x


def total(items):
    return sum(items)


parse(x=1)
"#;
    crate::ide::rename::tests::check_rename(
        workspace,
        "value",
        expect![
            "refused: `parse` has `@overload` variants, which declare parameters of their own and would keep the old ones: remove the variants, make the change (every call follows), then write them back with the new parameters; or edit the variants, the implementation and the calls by hand; rename refused"
        ],
    );
    // Must not: a function beside them without variants of its own.
    crate::ide::rename::tests::check_rename(
        &workspace.replace("x$0", "x").replace("total(items)", "total(items$0)"),
        "values",
        expect![[r#"
        //- /m.py
        from typing import overload


        @overload
        def parse(x: int) -> int: ...
        @overload
        def parse(x: str) -> str: ...
        def parse(x):
            return x


        def total(values):
            return sum(values)


        parse(x=1)
    "#]],
    );
}
