use expect_test::{Expect, expect};

use super::*;
use crate::graph::tests::fixture_graph;

/// Renames at `$0` and shows each edited file's new text, or the refusal.
pub(in crate::ide) fn check_rename(fixture: &str, new_name: &str, expected: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let rendered = match rename(&graph, file, offset, new_name) {
        Ok(edits) => edits
            .iter()
            .map(|e| {
                let entry = graph.file(e.file).unwrap();
                let path = entry.path.strip_prefix("/ws").unwrap().display();
                format!("//- /{path}\n{}", apply(entry.text(), &e.replacements))
            })
            .collect::<String>(),
        Err(error) => format!("refused: {error}"),
    };
    expected.assert_eq(&rendered);
}

#[test]
fn an_import_that_names_the_module_from_a_folder_below_the_workspace_refuses() {
    check_rename(
        r#"
        //- /myproj/lib/crlf.py
        def gr$0ow(x):
            return x * 2
        //- /myproj/lib/use.py
        from lib.crlf import grow

        print(grow(1))
        "#,
        "enlarge",
        expect![
            "refused: myproj/lib/use.py:1 imports `grow` from `lib.crlf`, which does not resolve from the workspace folder but names this module from a folder below it; open the project's own folder (or add a pyproject.toml) and rename again"
        ],
    );
}

#[test]
fn a_function_is_renamed_at_its_definition_imports_calls_and_all() {
    check_rename(
        r#"
        //- /shop/cart.py
        __all__ = ["total", "Cart"]

        def tot$0al(items):
            return sum(items)

        class Cart:
            def price(self):
                return total([])
        //- /shop/main.py
        from shop.cart import total
        from shop import cart
        import shop.cart as c

        print(total([1]), cart.total([2]), c.total([3]))

        def total_of(x):
            total = 3  # a local of the same name stays
            return total
        "#,
        "grand_total",
        expect![[r#"
            //- /shop/cart.py
            __all__ = ["grand_total", "Cart"]

            def grand_total(items):
                return sum(items)

            class Cart:
                def price(self):
                    return grand_total([])

            //- /shop/main.py
            from shop.cart import grand_total
            from shop import cart
            import shop.cart as c

            print(grand_total([1]), cart.grand_total([2]), c.grand_total([3]))

            def total_of(x):
                total = 3  # a local of the same name stays
                return total

        "#]],
    );
}

#[test]
fn a_method_is_renamed_through_self_and_subclasses() {
    check_rename(
        r#"
        //- /m.py
        class Base:
            def pri$0ce(self):
                return 1

            def twice(self):
                return self.price() * 2

        class Child(Base):
            def more(self):
                return self.price() + super().price()
        "#,
        "cost",
        expect![[r#"
            //- /m.py
            class Base:
                def cost(self):
                    return 1

                def twice(self):
                    return self.cost() * 2

            class Child(Base):
                def more(self):
                    return self.cost() + super().cost()

        "#]],
    );
}

#[test]
fn a_method_called_on_unknown_receivers_or_in_a_hierarchy_is_refused() {
    let unknown = "//- /shop.py\nclass Cart:\n    def to$0tal(self):\n        return 0\n\ndef checkout(items):\n    return sum(i.total() for i in items)\n";
    check_rename(
        unknown,
        "amount",
        expect!["refused: `.total` is used at shop.py:6 on a value whose type is unknown, which may be the one renamed; rename refused"],
    );
    let hierarchy =
        "//- /shop.py\nclass Cart:\n    def to$0tal(self):\n        return 0\n\nclass Vip(Cart):\n    def total(self):\n        return super().total() * 0.9\n";
    check_rename(
        hierarchy,
        "amount",
        expect![
            "refused: `shop.Vip.total` at shop.py:6 overrides or is overridden by `total`: renaming one method of a hierarchy would break dispatch; rename refused"
        ],
    );
    let override_ = hierarchy
        .replace("def to$0tal(self):\n        return 0", "def total(self):\n        return 0")
        .replace("    def total(self):\n        return super()", "    def to$0tal(self):\n        return super()");
    check_rename(
        &override_,
        "amount",
        expect![
            "refused: `shop.Cart.total` at shop.py:2 overrides or is overridden by `total`: renaming one method of a hierarchy would break dispatch; rename refused"
        ],
    );
}

#[test]
fn members_are_renamed_through_inferred_receivers() {
    check_rename(
        r#"
        //- /shop.py
        class Cart:
            def to$0tal(self):
                return 0

        def checkout(cart: Cart, other: Cart):
            c = Cart()
            return c.total() + cart.total() + other.total()
        "#,
        "amount",
        expect![[r#"
            //- /shop.py
            class Cart:
                def amount(self):
                    return 0

            def checkout(cart: Cart, other: Cart):
                c = Cart()
                return c.amount() + cart.amount() + other.amount()

        "#]],
    );
}

#[test]
fn a_parameter_read_by_its_name_is_not_renamed() {
    check_rename(
        "//- /m.py\ndef show(x$0):\n    return \"{x}\".format(**locals())\n",
        "value",
        expect![[r#"refused: the body of `show` reads its names through `locals()`: a parameter's new name would not be found there; rename refused"#]],
    );
    check_rename(
        "//- /tests/test_m.py\nimport pytest\n\n@pytest.mark.parametrize(\"value\", [1])\ndef test_one(val$0ue):\n    assert value\n",
        "v",
        expect![[r#"refused: pytest passes `test_one`'s parameters by their names (fixtures, `parametrize`): a new name would not be found; rename refused"#]],
    );
}

#[test]
fn a_parameter_is_renamed_with_keyword_arguments_at_its_calls() {
    check_rename(
        r#"
        //- /m.py
        def area(wid$0th, height):
            return width * height

        area(1, 2)
        area(width=3, height=4)
        other(width=5)
        "#,
        "w",
        expect![[r#"
            //- /m.py
            def area(w, height):
                return w * height

            area(1, 2)
            area(w=3, height=4)
            other(width=5)

        "#]],
    );
    // Keys of a mapping unpacked into a call may name it.
    check_rename(
        "//- /m.py\ndef area(wid$0th, height=1):\n    return width * height\n//- /kw.py\nfrom m import area\nopts = {\"width\": 4}\nprint(area(**opts))\n",
        "w",
        expect![[r#"refused: the call at kw.py:3 passes keyword arguments as `**` a mapping, whose keys may name the parameter `width`; rename refused"#]],
    );
}

#[test]
fn a_parameter_of_a_function_passed_on_as_a_value_keeps_its_name_where_a_keyword_may_reach_it() {
    // Tester cases 03 and 04: a partial's keyword, calls through a dict and a class attribute.
    let workspace = r#"
        //- /m.py
        import functools

        def sub(a, b$0):
            return a - b

        p2 = functools.partial(sub, b=1)
        OPS = {"sub": sub}

        class Calc:
            op = staticmethod(sub)

        print(OPS["sub"](5, b=1), Calc.op(7, b=2))
        "#;
    check_rename(
        workspace,
        "second",
        expect![
            "refused: `sub` is passed on as a value at m.py:6, and `b` at m.py:6 may reach it through that value, where the rename cannot follow; rename refused"
        ],
    );
    check_rename(
        &workspace.replace("p2 = functools.partial(sub, b=1)", "p2 = 0"),
        "second",
        expect![
            "refused: `sub` is passed on as a value at m.py:7, and `b` at m.py:12 may reach it through that value, where the rename cannot follow; rename refused"
        ],
    );
    // Must not: a value bound to a name whose calls are followed, or passed on with no keyword of that name anywhere.
    check_rename(
        "//- /m.py\ndef sub(a, b$0):\n    return a - b\n\ncb = sub\nprint(cb(1, b=2), list(map(sub, [1], [2])))\n",
        "second",
        expect![[r#"
            //- /m.py
            def sub(a, second):
                return a - second

            cb = sub
            print(cb(1, second=2), list(map(sub, [1], [2])))
        "#]],
    );
}

#[test]
fn a_module_that_is_a_link_to_the_edited_file_refuses_the_rename() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(root.join("pkg/__init__.py"), "").unwrap();
    std::fs::write(root.join("pkg/real.py"), "def target_fn():\n    return 1\n").unwrap();
    std::os::unix::fs::symlink("real.py", root.join("pkg/alias.py")).unwrap();
    std::fs::write(root.join("main.py"), "from pkg.alias import target_fn\nfrom pkg.real import target_fn as t\n").unwrap();
    let settings = crate::settings::Settings::default();
    let (graph, _) = crate::index::index(std::slice::from_ref(&root), &settings, None, &|_, _| {}).unwrap();
    let file = graph.file_id(&root.join("pkg/real.py")).unwrap();
    let error = rename(&graph, file, 4, "renamed").unwrap_err().to_string();
    assert_eq!(
        error,
        "pkg/alias.py is a symbolic link to pkg/real.py, which this rename edits: its importers name the same code by another module; rename refused"
    );
}

#[test]
fn a_local_is_renamed_in_its_scope_and_closures_only() {
    check_rename(
        r#"
        //- /m.py
        count = 0

        def f():
            cou$0nt = 1
            count += 1
            def inner():
                return count
            return inner

        def g():
            return count
        "#,
        "n",
        expect![[r#"
            //- /m.py
            count = 0

            def f():
                n = 1
                n += 1
                def inner():
                    return n
                return inner

            def g():
                return count

        "#]],
    );
}

#[test]
fn builtins_externals_modules_and_special_names_are_refused() {
    check_rename("//- /m.py\nle$0n([])\n", "size", expect!["refused: `len` is a Python builtin; renaming it would not rename Python's"]);
    check_rename("//- /m.py\nimport os\nos.pa$0th.join('a')\n", "p", expect!["refused: `os.path` is defined outside the workspace"]);
    check_rename(
        "//- /m.py\nimport n\nn$0.f()\n//- /n.py\ndef f(): pass\n",
        "k",
        expect!["refused: `n` is a module; renaming modules (files) is not supported"],
    );
    check_rename(
        "//- /m.py\nclass A:\n    def __in$0it__(self): pass\n",
        "setup",
        expect!["refused: `__init__` is a special name that Python looks up itself"],
    );
    check_rename(
        "//- /m.py\nfrom n import f as g\ng$0()\n//- /n.py\ndef f(): pass\n",
        "h",
        expect!["refused: `g` is an import alias of `f`: rename the alias where it is bound, or `f` where it is defined"],
    );
}

#[test]
fn bad_new_names_are_refused() {
    let fixture = "//- /m.py\ndef f$0(): pass\n";
    check_rename(fixture, "class", expect!["refused: `class` is a Python keyword"]);
    check_rename(fixture, "2x", expect!["refused: `2x` is not a Python identifier"]);
    check_rename(fixture, "a-b", expect!["refused: `a-b` is not a Python identifier"]);
}

#[test]
fn a_lookup_by_a_computed_name_on_the_module_refuses_the_rename() {
    let fixture =
        "//- /handlers.py\ndef on_$0save(): pass\n//- /app.py\nimport handlers\n\ndef fire(event):\n    return getattr(handlers, \"on_\" + event)()\n";
    check_rename(
        fixture,
        "on_store",
        expect![
            "refused: app.py:4 looks up a global of `handlers` by a name computed at run time, which may be `on_save`: it would no longer find it; rename refused"
        ],
    );
    // Must not: a prefix the name does not have.
    check_rename(
        &fixture.replace("\"on_\"", "\"do_\""),
        "on_store",
        expect![[r#"
            //- /handlers.py
            def on_store(): pass
        "#]],
    );
}

#[test]
fn a_name_built_by_percent_formatting_or_format_refuses_the_rename() {
    // jmespath's visitor: `getattr(self, 'visit_%s' % node['type'], default)`.
    let visitor = "//- /m.py\nclass V:\n    def visit(self, node):\n        return getattr(self, LOOKUP, self.default)(node)\n\n    def default(self, node): pass\n\n    def visit_fi$0eld(self, node): pass\n";
    for lookup in ["'visit_%s' % node['type']", "'visit_%s_%s' % (node['type'], 1)", "'visit_{}'.format(node)"] {
        check_rename(
            &visitor.replace("LOOKUP", lookup),
            "visit_attr",
            expect!["refused: m.py:3 looks up a name computed at run time, which may be `visit_field`: it would no longer find it; rename refused"],
        );
    }
    let handlers = "//- /m.py\nimport sys\n\ndef handle_st$0art(): pass\n\ndef go(kind):\n    return LOOKUP()\n";
    for lookup in ["globals()['handle_%s' % kind]", "getattr(sys.modules[__name__], 'handle_%s' % kind)"] {
        check_rename(
            &handlers.replace("LOOKUP", lookup),
            "handle_begin",
            expect!["refused: m.py:6 looks up a name computed at run time, which may be `handle_start`: it would no longer find it; rename refused"],
        );
    }
    // Must not: a format whose literal start the name does not have.
    check_rename(
        &visitor.replace("LOOKUP", "'see_%s' % node['type']"),
        "visit_attr",
        expect![[r#"
            //- /m.py
            class V:
                def visit(self, node):
                    return getattr(self, 'see_%s' % node['type'], self.default)(node)

                def default(self, node): pass

                def visit_attr(self, node): pass
        "#]],
    );
    check_rename(
        &visitor.replace("LOOKUP", "'see_{}'.format(node)"),
        "visit_attr",
        expect![[r#"
            //- /m.py
            class V:
                def visit(self, node):
                    return getattr(self, 'see_{}'.format(node), self.default)(node)

                def default(self, node): pass

                def visit_attr(self, node): pass
        "#]],
    );
}

#[test]
fn a_method_a_base_class_looks_up_by_a_computed_name_is_not_renamed() {
    // jmespath: `Visitor.visit` finds `TreeInterpreter.visit_flatten`.
    let fixture = "//- /visitor.py\nclass Visitor:\n    def visit(self, node):\n        return getattr(self, 'visit_%s' % node['type'])(node)\n//- /interp.py\nfrom visitor import Visitor\n\nclass Interp(Visitor):\n    def visit_fl$0atten(self, node): pass\n\n    def other(self, node): pass\n";
    check_rename(
        fixture,
        "visit_flat",
        expect!["refused: visitor.py:3 looks up `visit_flatten` by a name computed at run time, where it would no longer find it; rename refused"],
    );
    // Must not: a method the computed name cannot start with.
    check_rename(
        &fixture.replace("visit_fl$0atten", "visit_flatten").replace("def other", "def ot$0her"),
        "another",
        expect![[r#"
            //- /interp.py
            from visitor import Visitor

            class Interp(Visitor):
                def visit_flatten(self, node): pass

                def another(self, node): pass
        "#]],
    );
}

#[test]
fn names_in_strings_the_graph_cannot_follow_are_refused() {
    check_rename(
        "//- /m.py\nclass A:\n    def ru$0n(self): pass\n\ndef go(a):\n    return getattr(a, \"run\")()\n",
        "start",
        expect![[r#"refused: `getattr(…, "run")` at m.py:5 names `run` in a string that rename cannot follow; rename refused"#]],
    );
    // A patch target spelling its whole path is renamed (rename_dotted_tests.rs).
    check_rename(
        "//- /m.py\ndef ru$0n(): pass\n//- /test_m.py\npatch(\"m.run\")\n",
        "start",
        expect![[r#"
            //- /m.py
            def start(): pass
            //- /test_m.py
            patch("m.start")
        "#]],
    );
    // The path a package re-exports it by.
    check_rename(
        "//- /m.py\ndef ru$0n(): pass\n//- /pkg/__init__.py\nfrom m import run\n//- /test_m.py\npatch(\"pkg.run\")\n",
        "start",
        expect![[r#"refused: the string "pkg.run" at test_m.py:1 names `run` in a string that rename cannot follow; rename refused"#]],
    );
    check_rename(
        "//- /m.py\ndef fmt$0_price(x):\n    \"\"\"Formats.\n\n    >>> fmt_price(3)\n    '3.00'\n    \"\"\"\n    return f'{x:.2f}'\n",
        "format_price",
        expect![[r#"
            //- /m.py
            def format_price(x):
                """Formats.

                >>> format_price(3)
                '3.00'
                """
                return f'{x:.2f}'
        "#]],
    );
    // Prose naming it is no doctest.
    let prose = "//- /m.py\ndef fmt$0_price(x):\n    \"\"\"Like fmt_price_old.\"\"\"\n    return x\n";
    check_rename(
        prose,
        "format_price",
        expect![[r#"
        //- /m.py
        def format_price(x):
            """Like fmt_price_old."""
            return x
    "#]],
    );
}

#[test]
fn collisions_and_shadowing_are_refused() {
    check_rename("//- /m.py\ndef f$0(): pass\ndef g(): pass\n", "g", expect!["refused: `g` is already bound in the same scope at m.py:2"]);
    // `helper` inside `run` would now mean the local, not the function.
    check_rename(
        "//- /m.py\ndef hel$0per(): pass\n\ndef run():\n    value = 1\n    return helper() + value\n",
        "value",
        expect!["refused: renaming to `value` would change what `helper` at m.py:5 refers to"],
    );
    // The local `x` would capture the reads of the global `y`.
    check_rename(
        "//- /m.py\ny = 1\n\ndef f():\n    x$0 = 2\n    return x + y\n",
        "y",
        expect!["refused: renaming to `y` would change what `y` at m.py:5 refers to"],
    );
}

#[test]
fn a_data_attribute_read_on_values_of_unknown_type_refuses_its_rename() {
    // Tester 12's cases 10/13: `other.size` in `__eq__`, an untyped callback.
    let compared = "//- /m.py\nclass Box:\n    def __init__(self, size):\n        self.si$0ze = size\n\n    def __eq__(self, other):\n        return self.size == other.size\n";
    check_rename(
        compared,
        "volume",
        expect!["refused: `.size` is used at m.py:6 on a value whose type is unknown, which may be the one renamed; rename refused"],
    );
    // Must not: every read on a value of known type.
    check_rename(
        &compared.replace("other.size", "Box(1).size"),
        "volume",
        expect![[r#"
        //- /m.py
        class Box:
            def __init__(self, size):
                self.volume = size

            def __eq__(self, other):
                return self.volume == Box(1).volume
    "#]],
    );
}

#[test]
fn a_method_beside_another_in_a_subclass_order_refuses_its_rename() {
    // Tester 12's case 12: `Mixin.describe`'s `super().describe()` reaches
    // `Base.describe` in `Child(Mixin, Base)`.
    let mro = "//- /m.py\nclass Base:\n    def desc$0ribe(self):\n        return 'base'\n\n\nclass Mixin:\n    def describe(self):\n        return 'mixin+' + super().describe()\n\n\nclass Child(Mixin, Base):\n    pass\n";
    check_rename(
        mro,
        "explain",
        expect![
            "refused: `m.Mixin.describe` at m.py:7 overrides or is overridden by `describe`: renaming one method of a hierarchy would break dispatch; rename refused"
        ],
    );
    // Must not: no class inherits both.
    check_rename(
        &mro.replace("class Child(Mixin, Base)", "class Child(Base)"),
        "explain",
        expect![[r#"
        //- /m.py
        class Base:
            def explain(self):
                return 'base'


        class Mixin:
            def describe(self):
                return 'mixin+' + super().describe()


        class Child(Base):
            pass
    "#]],
    );
}

#[test]
fn a_keyword_reaching_a_function_passed_on_is_named_beside_the_value() {
    // An unrelated `other(num=1)` comes first in the file; the refusal names
    // the keyword of the call the function is handed to.
    check_rename(
        r#"
        //- /m.py
        def other(num):
            return num

        def work(n$0um):
            return num + 1

        print(other(num=1))
        print(submit(work, num=5))
        "#,
        "k",
        expect![
            "refused: `work` is passed on as a value at m.py:8, and `num` at m.py:8 may reach it through that value, where the rename cannot follow; rename refused"
        ],
    );
}

#[test]
fn a_keyword_at_a_subclass_call_renames_the_inherited_init_parameter() {
    check_rename(
        r#"
        //- /m.py
        class Base:
            def __init__(self, size=1):
                self.size = size

        class Sub(Base):
            pass

        Sub(si$0ze=2)
        "#,
        "dim",
        expect![[r#"
            //- /m.py
            class Base:
                def __init__(self, dim=1):
                    self.size = dim

            class Sub(Base):
                pass

            Sub(dim=2)

        "#]],
    );
}

#[test]
fn a_later_module_level_store_renames_the_module_global() {
    check_rename(
        r#"
        //- /m.py
        OBJ = None
        class Single:
            pass
        O$0BJ = Single()

        def main():
            print(OBJ)
        "#,
        "THE_OBJ",
        expect![[r#"
            //- /m.py
            THE_OBJ = None
            class Single:
                pass
            THE_OBJ = Single()

            def main():
                print(THE_OBJ)

        "#]],
    );
}
