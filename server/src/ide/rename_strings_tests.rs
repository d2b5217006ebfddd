//! Strings spelling a renamed definition's name as data (tester 8's
//! cases): each refused naming the string, or renamed where the string is
//! the definition's own name; each with a twin that must stay as it was.

use expect_test::expect;

use super::tests::check_rename;

#[test]
fn a_literal_value_spelling_a_class_refuses_its_rename() {
    // Tester case 02: `Literal["Node"]` holds a value, not a forward reference.
    let literal =
        "//- /m.py\nfrom typing import Literal\n\n\nclass No$0de:\n    pass\n\n\ndef make(kind: Literal[\"Node\", \"Leaf\"]) -> \"Node\":\n    return Node()\n";
    check_rename(
        literal,
        "Tree",
        expect![[
            r#"refused: the string at m.py:8 spells `Node`, which code may read as the name (a key, an attribute or field list, a format field, a `Literal` value) and which would keep the old name; rename refused"#
        ]],
    );
    // Must not: the string annotation alone is renamed.
    check_rename(
        &literal.replace("Literal[\"Node\", \"Leaf\"]", "int"),
        "Tree",
        expect![[r#"
            //- /m.py
            from typing import Literal


            class Tree:
                pass


            def make(kind: int) -> "Tree":
                return Tree()
        "#]],
    );
}

#[test]
fn a_field_read_back_by_its_string_refuses_its_rename() {
    // Tester cases 03, 04, 05, 30: `asdict(p)["x"]`, `__match_args__`,
    // `attrgetter("price")`, `Meta.fields`.
    let keyed = "//- /m.py\nimport dataclasses\n\n\n@dataclasses.dataclass\nclass P:\n    pri$0ce: int\n\n\nprint(dataclasses.asdict(P(1))[\"price\"])\n";
    check_rename(
        keyed,
        "cost",
        expect![
            "refused: `dataclasses.asdict(P(1))` at m.py:9 hands the attributes of a `P` over keyed by their names (a serialiser, a repr, a copy): under a new name `m.P.price` would be another key; rename refused"
        ],
    );
    let listed = "//- /m.py\nclass P:\n    __match_args__ = (\"price\",)\n\n    def __init__(self):\n        self.pri$0ce = 1\n";
    check_rename(
        listed,
        "cost",
        expect![[
            r#"refused: the string at m.py:2 spells `price`, which code may read as the name (a key, an attribute or field list, a format field, a `Literal` value) and which would keep the old name; rename refused"#
        ]],
    );
    // Must not: the same string in a docstring, and a longer string.
    check_rename(
        &keyed.replace("dataclasses.asdict(P(1))[\"price\"]", "{\"prices\": P(1).price}").replace("class P:\n", "class P:\n    \"\"\"price\"\"\"\n"),
        "cost",
        expect![[r#"
            //- /m.py
            import dataclasses


            @dataclasses.dataclass
            class P:
                """price"""
                cost: int


            print({"prices": P(1).cost})
        "#]],
    );
}

#[test]
fn a_format_field_naming_the_target_refuses_its_rename() {
    // Tester cases 06 and 09: `"{0.price}".format(it)`, `"%(VERSION)s" % globals()`.
    let format = "//- /m.py\nclass It:\n    def __init__(self):\n        self.pri$0ce = 1\n\n\nprint(\"{0.price}\".format(It()))\n";
    check_rename(
        format,
        "cost",
        expect![[
            r#"refused: the string at m.py:6 spells `price`, which code may read as the name (a key, an attribute or field list, a format field, a `Literal` value) and which would keep the old name; rename refused"#
        ]],
    );
    let percent = "//- /m.py\nVER$0SION = \"1\"\nprint(\"%(VERSION)s\" % globals())\n";
    check_rename(
        percent,
        "RELEASE",
        expect![[
            r#"refused: the string at m.py:2 spells `VERSION`, which code may read as the name (a key, an attribute or field list, a format field, a `Literal` value) and which would keep the old name; rename refused"#
        ]],
    );
    // Must not: a field naming something else.
    check_rename(
        &percent.replace("%(VERSION)s", "%(NAME)s"),
        "RELEASE",
        expect![[r#"
            //- /m.py
            RELEASE = "1"
            print("%(NAME)s" % globals())
        "#]],
    );
}

#[test]
fn a_registry_key_in_another_file_refuses_a_rename() {
    // Tester cases 07 and 22: `run("helper")`, `relationship("User")`.
    let registry = "//- /models.py\nclass Us$0er:\n    pass\n//- /posts.py\nfrom base import relationship\nauthor = relationship(\"User\")\n";
    check_rename(
        registry,
        "Member",
        expect![[
            r#"refused: the string at posts.py:2 spells `User`, which code may read as the name (a key, an attribute or field list, a format field, a `Literal` value) and which would keep the old name; rename refused"#
        ]],
    );
    let handlers = "//- /m.py\ndef hel$0per():\n    return 1\n\n\nHANDLERS = {f.__name__: f for f in (helper,)}\nprint(HANDLERS[\"helper\"]())\n";
    check_rename(
        handlers,
        "assist",
        expect![[
            r#"refused: the string at m.py:6 spells `helper`, which code may read as the name (a key, an attribute or field list, a format field, a `Literal` value) and which would keep the old name; rename refused"#
        ]],
    );
    // Must not: an f-string spelling more than the name.
    check_rename(
        &handlers.replace("HANDLERS[\"helper\"]", "HANDLERS[\"helper_v1\"]"),
        "assist",
        expect![[r#"
            //- /m.py
            def assist():
                return 1


            HANDLERS = {f.__name__: f for f in (assist,)}
            print(HANDLERS["helper_v1"]())
        "#]],
    );
}

#[test]
fn a_functional_form_has_its_name_string_renamed() {
    // Tester case 21: `T = TypeVar("T")` becomes `V = TypeVar("V")`.
    let typevar = "//- /m.py\nfrom typing import TypeVar\n\n$0T = TypeVar(\"T\")\n\n\ndef f(x: T) -> T:\n    return x\n";
    check_rename(
        typevar,
        "V",
        expect![[r#"
            //- /m.py
            from typing import TypeVar

            V = TypeVar("V")


            def f(x: V) -> V:
                return x
        "#]],
    );
    // Must not: a form named otherwise keeps its string, which then refuses
    // nothing (it spells another name).
    check_rename(
        &typevar.replace("TypeVar(\"T\")", "TypeVar(\"U\")"),
        "V",
        expect![[r#"
            //- /m.py
            from typing import TypeVar

            V = TypeVar("U")


            def f(x: V) -> V:
                return x
        "#]],
    );
}

#[test]
fn a_class_name_built_into_a_lookup_refuses_a_class_rename() {
    // Tester case 01 (sqlparse): `getattr(self, f"_process_{type(node).__name__}".lower())`,
    // where `_process_paren` handles `Paren`.
    let dispatch = "//- /m.py\nclass Pa$0ren:\n    pass\n\n\nclass F:\n    def process(self, node):\n        return getattr(self, f\"_process_{type(node).__name__}\".lower())(node)\n\n    def _process_paren(self, node):\n        return 1\n";
    check_rename(
        dispatch,
        "Group",
        expect![[
            r#"refused: m.py:7 builds a name out of a class's `__name__` (which may be `_process_paren`), which code may look up (`getattr(self, f"_process_{type(x).__name__}")`): renaming the class `Paren` would change what it finds; rename refused"#
        ]],
    );
    // A handler for the new name: the lookup would find it.
    check_rename(
        &dispatch.replace("_process_paren", "_process_where"),
        "Where",
        expect![[
            r#"refused: m.py:7 builds a name out of a class's `__name__` (which may be `_process_where`), which code may look up (`getattr(self, f"_process_{type(x).__name__}")`): renaming the class `Paren` would change what it finds; rename refused"#
        ]],
    );
    // A name joined with text not known before it runs.
    check_rename(
        &dispatch.replace("f\"_process_{type(node).__name__}\"", "f\"{self.prefix}_{type(node).__name__}\""),
        "Group",
        expect![[
            r#"refused: m.py:7 builds a name out of a class's `__name__` (joined with text not known before it runs), which code may look up (`getattr(self, f"_process_{type(x).__name__}")`): renaming the class `Paren` would change what it finds; rename refused"#
        ]],
    );
    // A sum may be part of a longer name: a handler starting with it refuses.
    check_rename(
        &dispatch.replace("f\"_process_{type(node).__name__}\"", "(\"_process_\" + type(node).__name__)").replace("_process_paren(", "_process_parenthesis("),
        "Group",
        expect![[
            r#"refused: m.py:7 builds a name out of a class's `__name__` (which may be `_process_paren`), which code may look up (`getattr(self, f"_process_{type(x).__name__}")`): renaming the class `Paren` would change what it finds; rename refused"#
        ]],
    );
    // Must not: an f-string's whole name, which only starts a handler's.
    check_rename(
        &dispatch.replace("_process_paren(", "_process_parenthesis("),
        "Group",
        expect![[r#"
        //- /m.py
        class Group:
            pass


        class F:
            def process(self, node):
                return getattr(self, f"_process_{type(node).__name__}".lower())(node)

            def _process_parenthesis(self, node):
                return 1
    "#]],
    );
    // Must not: no handler for the class under either name.
    check_rename(
        &dispatch.replace("_process_paren", "_process_where"),
        "Group",
        expect![[r#"
        //- /m.py
        class Group:
            pass


        class F:
            def process(self, node):
                return getattr(self, f"_process_{type(node).__name__}".lower())(node)

            def _process_where(self, node):
                return 1
    "#]],
    );
    // Must not: a repr showing the class name.
    check_rename(
        &dispatch.replace("getattr(self, f\"_process_{type(node).__name__}\".lower())(node)", "f\"{type(node).__name__}({node!r})\""),
        "Group",
        expect![[r#"
            //- /m.py
            class Group:
                pass


            class F:
                def process(self, node):
                    return f"{type(node).__name__}({node!r})"

                def _process_paren(self, node):
                    return 1
        "#]],
    );
}

#[test]
fn expected_output_spelling_a_printed_class_name_refuses_a_class_rename() {
    // sqlparse's `test_pprint`: the repr prints `type(self).__name__`, and a
    // test compares it with text spelling the class.
    let printed = "//- /m.py\nclass Ide$0ntifier:\n    def __repr__(self):\n        return f\"<{type(self).__name__} at {id(self)}>\"\n//- /test_m.py\nfrom m import Identifier\n\n\ndef test_repr():\n    assert repr(Identifier()).startswith(\"<Identifier at \")\n";
    check_rename(
        printed,
        "Ident",
        expect![[
            r#"refused: the string at test_m.py:5 spells `Identifier` and m.py:3 prints a class's `__name__` (a repr, a message), so the string may be expected output that would keep the old name; rename refused"#
        ]],
    );
    // Must not: the same expected text where no class's name is printed.
    check_rename(
        &printed.replace("{type(self).__name__}", "Identifier"),
        "Ident",
        expect![[r#"
        //- /m.py
        class Ident:
            def __repr__(self):
                return f"<Identifier at {id(self)}>"
        //- /test_m.py
        from m import Ident


        def test_repr():
            assert repr(Ident()).startswith("<Identifier at ")
    "#]],
    );
}

#[test]
fn a_script_run_by_ipython_refuses_a_rename_its_strings_spell() {
    // What `jupyter nbconvert --to script` writes, run with `ipython`.
    let script = "//- /exported.py\nbase$0 = 7\nget_ipython().run_line_magic('time', 'y = base * 2')\nprint(y)\n";
    check_rename(
        script,
        "root",
        expect![
            "refused: the IPython escape at exported.py:2 (a `%` magic, a `!` shell line or a string IPython runs) spells `base`, which rename cannot edit exactly; rename refused"
        ],
    );
    // Must not: a script whose strings spell another name.
    check_rename(
        &script.replace("base * 2", "3 * 2"),
        "root",
        expect![[r#"
        //- /exported.py
        root = 7
        get_ipython().run_line_magic('time', 'y = 3 * 2')
        print(y)
    "#]],
    );
}

#[test]
fn a_class_name_built_by_percent_or_format_or_a_lowered_registry_key_refuses_the_rename() {
    let dispatch = "//- /m.py\nclass Pa$0ren:\n    pass\n\n\nclass F:\n    def process(self, node):\n        return getattr(self, BUILT)(node)\n\n    def _process_Paren(self, node):\n        return 1\n";
    for built in ["'_process_%s' % type(node).__name__", "'_process_{}'.format(type(node).__name__)"] {
        check_rename(
            &dispatch.replace("BUILT", built),
            "Where",
            expect![[
                r#"refused: m.py:7 builds a name out of a class's `__name__` (which may be `_process_Paren`), which code may look up (`getattr(self, f"_process_{type(x).__name__}")`): renaming the class `Paren` would change what it finds; rename refused"#
            ]],
        );
    }
    // Tester case 04: `REGISTRY[cls.__name__.lower()] = cls`, looked up as "circle".
    let registry = "//- /m.py\nREGISTRY = {}\n\nclass Shape:\n    def __init_subclass__(cls):\n        REGISTRY[cls.__name__.lower()] = cls\n\nclass Cir$0cle(Shape):\n    pass\n\nprint(REGISTRY[\"circle\"])\n";
    check_rename(
        registry,
        "Round",
        expect![[
            r#"refused: m.py:5 keys a registry by a class's `__name__`, and the string at m.py:10 spells `Circle` or `Round` in another case, which may be a lookup of that registry: renaming the class `Circle` would change what it finds; rename refused"#
        ]],
    );
    // Must not: no string spells the class in any case.
    check_rename(
        &registry.replace("\"circle\"", "\"square\""),
        "Round",
        expect![[r#"
            //- /m.py
            REGISTRY = {}

            class Shape:
                def __init_subclass__(cls):
                    REGISTRY[cls.__name__.lower()] = cls

            class Round(Shape):
                pass

            print(REGISTRY["square"])
        "#]],
    );
}

#[test]
fn an_attribute_in_a_dotted_attrgetter_path_refuses_the_rename() {
    // Tester case 12.
    let fixture = "//- /m.py\nfrom operator import attrgetter\n\nclass Price:\n    def __init__(self):\n        self.amo$0unt = 1\n\nclass Item:\n    def __init__(self):\n        self.cost = Price()\n\nkey = attrgetter(PATH)\nprint(Item().cost.amount)\n";
    check_rename(
        &fixture.replace("PATH", "\"cost.amount\""),
        "value",
        expect![[
            r#"refused: the string at m.py:11 spells `amount`, which code may read as the name (a key, an attribute or field list, a format field, a `Literal` value) and which would keep the old name; rename refused"#
        ]],
    );
    // Must not: a dotted path that does not pass through the name.
    check_rename(
        &fixture.replace("PATH", "\"cost.total\""),
        "value",
        expect![[r#"
            //- /m.py
            from operator import attrgetter

            class Price:
                def __init__(self):
                    self.value = 1

            class Item:
                def __init__(self):
                    self.cost = Price()

            key = attrgetter("cost.total")
            print(Item().cost.value)
        "#]],
    );
}

#[test]
fn a_signed_sort_order_string_refuses_and_a_repr_format_does_not() {
    // Tester 11 case 13: Django's `ordering = "-created"`, stripped and
    // looked up with `getattr`.
    let ordering = "//- /m.py\nclass Item:\n    def __init__(self, created):\n        self.crea$0ted = created\n\nORDER = \"-created\"\nkey = ORDER.lstrip(\"-\")\nprint(sorted([Item(1)], key=lambda i: getattr(i, key))[0].created)\n";
    check_rename(
        ordering,
        "born",
        expect![
            "refused: the string at m.py:5 spells `created`, which code may read as the name (a key, an attribute or field list, a format field, a `Literal` value) and which would keep the old name; rename refused"
        ],
    );
    // Must not: a longer word with a dash.
    check_rename(
        &ordering.replace("\"-created\"", "\"-created-at\"").replace("ORDER.lstrip(\"-\")", "ORDER[:0]"),
        "born",
        expect![[r#"
        //- /m.py
        class Item:
            def __init__(self, created):
                self.born = created

        ORDER = "-created-at"
        key = ORDER[:0]
        print(sorted([Item(1)], key=lambda i: getattr(i, key))[0].born)
    "#]],
    );
    // Tester 12 case 03: a `%` repr joins the class's name with text no
    // name holds (`<`, spaces), as its f-string twin does: no lookup.
    let repr = "//- /m.py\nclass Point:\n    def __repr__(self):\n        return FORMAT % (self.__class__.__name__, 1)\n\n\nclass Oth$0er:\n    pass\n";
    check_rename(
        &repr.replace("FORMAT", "\"<%s x=%r>\""),
        "Thing",
        expect![[r#"
        //- /m.py
        class Point:
            def __repr__(self):
                return "<%s x=%r>" % (self.__class__.__name__, 1)


        class Thing:
            pass
    "#]],
    );
    // Tester 23 case 08: `"%s(%r)"`, whose parentheses are text, not a
    // `%(key)s` field: a repr too.
    check_rename(
        &repr.replace("FORMAT", "\"%s(%r)\""),
        "Thing",
        expect![[r#"
        //- /m.py
        class Point:
            def __repr__(self):
                return "%s(%r)" % (self.__class__.__name__, 1)


        class Thing:
            pass
    "#]],
    );
    // Its `str.format` twin, with a conversion and a spec in the fields.
    check_rename(
        &repr.replace("FORMAT % (self.__class__.__name__, 1)", "\"{}({!r:>4})\".format(self.__class__.__name__, 1)"),
        "Thing",
        expect![[r#"
            //- /m.py
            class Point:
                def __repr__(self):
                    return "{}({!r:>4})".format(self.__class__.__name__, 1)


            class Thing:
                pass
        "#]],
    );
    // A `%` format joining it with identifier text, or into a dotted
    // path, still refuses.
    check_rename(
        &repr.replace("FORMAT", "\"%s.%s\""),
        "Thing",
        expect![[
            r#"refused: m.py:3 builds a name out of a class's `__name__` (joined with text not known before it runs), which code may look up (`getattr(self, f"_process_{type(x).__name__}")`): renaming the class `Other` would change what it finds; rename refused"#
        ]],
    );
    check_rename(
        &repr.replace("FORMAT", "\"_do_%s_%s\""),
        "Thing",
        expect![[
            r#"refused: m.py:3 builds a name out of a class's `__name__` (joined with text not known before it runs), which code may look up (`getattr(self, f"_process_{type(x).__name__}")`): renaming the class `Other` would change what it finds; rename refused"#
        ]],
    );
}
