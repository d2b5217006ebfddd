//! Names the running program reads by their spelling where no reference
//! shows it (tester 7's string and runtime-name cases): each renamed
//! exactly or refused naming the place, each with a twin that must stay as
//! it was.

use expect_test::expect;

use super::tests::check_rename;

#[test]
fn a_parameter_of_a_function_listed_in_dunder_all_is_renamed_beside_an_unrelated_string() {
    // Tester case 05: the `__all__` entry is no value handed on.
    let listed = "//- /m.py\n__all__ = [\"f\"]\nTABLE = {\"b\": 1}\n\n\ndef f(a, b$0=1):\n    return a + b\n\n\nprint(f(1, b=2))\n";
    check_rename(
        listed,
        "c",
        expect![[r#"
            //- /m.py
            __all__ = ["f"]
            TABLE = {"b": 1}


            def f(a, c=1):
                return a + c


            print(f(1, c=2))
        "#]],
    );
    // Must not: a real value handed on (a dict of callables) still refuses.
    check_rename(
        &listed.replace("TABLE = {\"b\": 1}", "TABLE = {\"b\": f}"),
        "c",
        expect![
            "refused: `f` is passed on as a value at m.py:2, and `b` at m.py:2 may reach it through that value, where the rename cannot follow; rename refused"
        ],
    );
}

#[test]
fn a_local_printed_with_its_name_is_not_renamed() {
    // Tester case 31: `f"{value=}"` prints "value=4".
    let printed = "//- /m.py\ndef dbg(x):\n    val$0ue = x * 2\n    return f\"{value=}\"\n";
    check_rename(
        printed,
        "v",
        expect![[r#"refused: m.py:3 prints `value` with its name (`f"{…=}"`): under a new name it would print another text; rename refused"#]],
    );
    // Spaced as no text search foresaw: `{value=  }` prints "value=  4".
    check_rename(
        &printed.replace("{value=}", "{value=  }"),
        "v",
        expect![[r#"refused: m.py:3 prints `value` with its name (`f"{…=}"`): under a new name it would print another text; rename refused"#]],
    );
    // Must not: printed by its value only.
    check_rename(
        &printed.replace("{value=}", "{value}"),
        "v",
        expect![[r#"
            //- /m.py
            def dbg(x):
                v = x * 2
                return f"{v}"
        "#]],
    );
}

#[test]
fn a_local_of_a_body_reading_locals_is_not_renamed() {
    // Tester case 32: `"{greeting}".format(**locals())`, `"%(who)s" % vars()`.
    let reflective = "//- /m.py\ndef greet(user):\n    greet$0ing = \"hello\"\n    return \"{greeting}, {user}\".format(**locals())\n";
    check_rename(
        reflective,
        "salute",
        expect!["refused: the body of `greet` reads its names through `locals()`: a local's new name would not be found there; rename refused"],
    );
    check_rename(
        "//- /m.py\ndef tmpl():\n    wh$0o = \"bob\"\n    return \"%(who)s\" % vars()\n",
        "name",
        expect!["refused: the body of `tmpl` reads its names through `vars()`: a local's new name would not be found there; rename refused"],
    );
    // Must not: the same body formatting its names explicitly.
    check_rename(
        &reflective.replace("**locals()", "greeting=greeting, user=user"),
        "salute",
        expect![[r#"
            //- /m.py
            def greet(user):
                salute = "hello"
                return "{greeting}, {user}".format(greeting=salute, user=user)
        "#]],
    );
}

#[test]
fn a_class_compared_by_its_name_is_not_renamed() {
    // Tester case 33: `type(obj).__name__ == "Leaf"` and a `cls.__name__` registry.
    let named = "//- /m.py\n__all__ = [\"Leaf\"]\n\nclass Le$0af:\n    pass\n\ndef kind(obj):\n    return type(obj).__name__ == \"Leaf\"\n";
    check_rename(
        named,
        "Tip",
        expect![[
            r#"refused: the string at m.py:7 spells `Leaf`, which code may read as the name (a key, an attribute or field list, a format field, a `Literal` value) and which would keep the old name; rename refused"#
        ]],
    );
    // Must not: another class's name, and the `__all__` entry, renamed with the class.
    check_rename(
        &named.replace("== \"Leaf\"", "== \"Branch\""),
        "Tip",
        expect![[r#"
            //- /m.py
            __all__ = ["Tip"]

            class Tip:
                pass

            def kind(obj):
                return type(obj).__name__ == "Branch"
        "#]],
    );
}

#[test]
fn a_constructor_parameter_is_renamed_in_type_self_calls() {
    // Tester case 17: the clone idiom `type(self)(name=…)`.
    let shapes = "//- /m.py\nclass Shape:\n    def __init__(self, na$0me, sides=0):\n        self.name = name\n\n    def clone(self):\n        return type(self)(name=self.name)\n\nclass Other:\n    def __init__(self, name):\n        self.name = name\n\n    def clone(self):\n        return type(self)(name=self.name)\n";
    check_rename(
        shapes,
        "label",
        expect![[r#"
            //- /m.py
            class Shape:
                def __init__(self, label, sides=0):
                    self.name = label

                def clone(self):
                    return type(self)(label=self.name)

            class Other:
                def __init__(self, name):
                    self.name = name

                def clone(self):
                    return type(self)(name=self.name)
        "#]],
    );
}

#[test]
fn an_init_subclass_parameter_is_renamed_in_class_statements() {
    // Tester case 23: `class Csv(Plugin, key="csv")` calls the hook.
    let plugins = "//- /m.py\nclass Plugin:\n    registry = {}\n\n    def __init_subclass__(cls, ke$0y=None, **kw):\n        super().__init_subclass__(**kw)\n        Plugin.registry[key] = cls\n\nclass Csv(Plugin, key=\"csv\"):\n    pass\n\nclass Tagged:\n    def __init_subclass__(cls, key=None):\n        pass\n\nclass Xml(Tagged, key=\"xml\"):\n    pass\n";
    check_rename(
        plugins,
        "name",
        expect![[r#"
            //- /m.py
            class Plugin:
                registry = {}

                def __init_subclass__(cls, name=None, **kw):
                    super().__init_subclass__(**kw)
                    Plugin.registry[name] = cls

            class Csv(Plugin, name="csv"):
                pass

            class Tagged:
                def __init_subclass__(cls, key=None):
                    pass

            class Xml(Tagged, key="xml"):
                pass
        "#]],
    );
    // Must not: keywords unpacked from a mapping may name it.
    check_rename(
        &plugins.replace("class Csv(Plugin, key=\"csv\")", "class Csv(Plugin, **OPTS)"),
        "name",
        expect!["refused: the class statement at m.py:8 passes keywords as `**` a mapping, whose keys may name `key`; rename refused"],
    );
}

#[test]
fn an_attribute_is_renamed_in_class_patterns() {
    // Tester case 11: `case Box(width=3)` reads the attribute.
    let boxes = "//- /m.py\nclass Box:\n    def __init__(self, w):\n        self.wid$0th = w\n\nclass Can:\n    width = 1\n\ndef f(b):\n    match b:\n        case Box(width=3):\n            return \"three\"\n        case Can(width=1):\n            return \"can\"\n    return \"other\"\n";
    check_rename(
        boxes,
        "wd",
        expect![[r#"
            //- /m.py
            class Box:
                def __init__(self, w):
                    self.wd = w

            class Can:
                width = 1

            def f(b):
                match b:
                    case Box(wd=3):
                        return "three"
                    case Can(width=1):
                        return "can"
                return "other"
        "#]],
    );
    check_rename(
        "//- /m.py\nfrom dataclasses import dataclass\n\n@dataclass\nclass Point:\n    x$0: int\n\ndef where(p):\n    match p:\n        case Point(x=0):\n            return 0\n\nprint(where(Point(x=0)))\n",
        "px",
        expect![[r#"
            //- /m.py
            from dataclasses import dataclass

            @dataclass
            class Point:
                px: int

            def where(p):
                match p:
                    case Point(px=0):
                        return 0

            print(where(Point(px=0)))
        "#]],
    );
}

#[test]
fn a_private_attribute_is_renamed_where_it_is_spelled_mangled() {
    // Tester case 14: `a._Account__balance` outside the class.
    let account = "//- /m.py\nclass Account:\n    def __init__(self):\n        self.__bal$0ance = 0\n\nclass Other:\n    def __init__(self):\n        self.__balance = 1\n\na = Account()\nprint(a._Account__balance, Other()._Other__balance, a._Account__balance_due)\n";
    check_rename(
        account,
        "__funds",
        expect![[r#"
            //- /m.py
            class Account:
                def __init__(self):
                    self.__funds = 0

            class Other:
                def __init__(self):
                    self.__balance = 1

            a = Account()
            print(a._Account__funds, Other()._Other__balance, a._Account__balance_due)
        "#]],
    );
    let class_at = account.replace("self.__bal$0ance = 0", "self.__balance = 0").replace("class Account:", "class Acc$0ount:");
    check_rename(
        &class_at,
        "Acct",
        expect![[r#"
            //- /m.py
            class Acct:
                def __init__(self):
                    self.__balance = 0

            class Other:
                def __init__(self):
                    self.__balance = 1

            a = Acct()
            print(a._Acct__balance, Other()._Other__balance, a._Acct__balance_due)
        "#]],
    );
    check_rename(
        &class_at,
        "_Acct",
        expect![[r#"
            //- /m.py
            class _Acct:
                def __init__(self):
                    self.__balance = 0

            class Other:
                def __init__(self):
                    self.__balance = 1

            a = _Acct()
            print(a._Acct__balance, Other()._Other__balance, a._Acct__balance_due)
        "#]],
    );
    check_rename(
        &class_at,
        "__Acct",
        expect![
            "refused: m.py:10 spells a private name mangled with the class's name, which `__Acct` would mangle without its leading underscores; rename refused"
        ],
    );
}

#[test]
fn an_attrs_private_field_is_renamed_with_its_keyword() {
    // Tester case 06: attrs takes `_host` as `host=`.
    let conn = "//- /m.py\nimport attr\n\n@attr.s\nclass Conn:\n    _ho$0st = attr.ib()\n    port = attr.ib(default=80)\n\nc = Conn(host=\"h\", port=1)\nprint(c._host)\n";
    check_rename(
        conn,
        "hostname",
        expect![[r#"
            //- /m.py
            import attr

            @attr.s
            class Conn:
                hostname = attr.ib()
                port = attr.ib(default=80)

            c = Conn(hostname="h", port=1)
            print(c.hostname)
        "#]],
    );
    // Each edit writes its own text: `_hostname` at the field, `hostname=` at the call.
    check_rename(
        conn,
        "_hostname",
        expect![[r#"
            //- /m.py
            import attr

            @attr.s
            class Conn:
                _hostname = attr.ib()
                port = attr.ib(default=80)

            c = Conn(hostname="h", port=1)
            print(c._hostname)
        "#]],
    );
    // Must not: a keyword that another field is taken by already, or none at all.
    check_rename(conn, "_port", expect!["refused: `m.Conn` takes its field `port` as the keyword `port=` already; rename refused"]);
    check_rename(conn, "__", expect!["refused: attrs would take the field `__` as the keyword `=`, which is no Python identifier; rename refused"]);
    // Must not: a dataclass takes `_host` as `_host=`; an alias is the keyword.
    check_rename(
        &conn
            .replace("import attr\n\n@attr.s", "import attr\nfrom dataclasses import dataclass\n\n@dataclass")
            .replace("_ho$0st = attr.ib()", "_ho$0st: str")
            .replace("port = attr.ib(default=80)", "port: int = 80")
            .replace("host=\"h\"", "_host=\"h\""),
        "_hostname",
        expect![[r#"
            //- /m.py
            import attr
            from dataclasses import dataclass

            @dataclass
            class Conn:
                _hostname: str
                port: int = 80

            c = Conn(_hostname="h", port=1)
            print(c._hostname)
        "#]],
    );
    check_rename(
        &conn.replace("attr.ib()", "attr.ib(alias=\"h\")").replace("host=\"h\"", "h=\"h\""),
        "_hostname",
        expect![[r#"
            //- /m.py
            import attr

            @attr.s
            class Conn:
                _hostname = attr.ib(alias="h")
                port = attr.ib(default=80)

            c = Conn(h="h", port=1)
            print(c._hostname)
        "#]],
    );
}

#[test]
fn a_class_is_renamed_in_string_annotations() {
    // Tester cases 01 and 02: `-> "Node"`, `List["Node"]`, `TypeVar(bound=)`, `cast`, members reached through them.
    let nodes = r#"
        //- /m.py
        from typing import List, Optional, TypeVar, cast
        import typing

        class No$0de:
            def __init__(self, val: int, nxt: "Optional[Node]" = None):
                self.val = val
                self.nxt = nxt

            def total(self) -> int:
                return self.val + (self.nxt.total() if self.nxt else 0)

        N = TypeVar("N", bound="Node")

        def head(nodes: List["Node"]) -> "Node":
            return cast("Node", nodes[0])

        def sum_first(n: "Node") -> int:
            return n.total()

        def label(kind: "Nodes") -> str:
            return "Nodes"
        "#;
    check_rename(
        nodes,
        "Item",
        expect![[r#"
            //- /m.py
            from typing import List, Optional, TypeVar, cast
            import typing

            class Item:
                def __init__(self, val: int, nxt: "Optional[Item]" = None):
                    self.val = val
                    self.nxt = nxt

                def total(self) -> int:
                    return self.val + (self.nxt.total() if self.nxt else 0)

            N = TypeVar("N", bound="Item")

            def head(nodes: List["Item"]) -> "Item":
                return cast("Item", nodes[0])

            def sum_first(n: "Item") -> int:
                return n.total()

            def label(kind: "Nodes") -> str:
                return "Nodes"

        "#]],
    );
    // Must not: a string within the string cannot be read as a name.
    check_rename(
        &nodes.replace("def head(nodes: List[\"Node\"])", "def head(nodes: \"List['Node']\")"),
        "Item",
        expect!["refused: the string annotation at m.py:14 spells `Node` where rename cannot read it as a name; rename refused"],
    );
    // Must not: a name the new one already means where the string is read.
    check_rename(
        &nodes.replace("def sum_first(n: \"Node\")", "def sum_first(n: \"Node\", Item=None)"),
        "Item",
        expect!["refused: renaming to `Item` would change what the string annotation at m.py:17 refers to; rename refused"],
    );
}

#[test]
fn a_constructor_parameter_of_a_class_listed_in_dunder_all_is_renamed() {
    // Tester case 05 (models.py): neither the `__all__` entry nor the `class` statement hands `__init__` on.
    let slotted = "//- /m.py\n__all__ = [\"Slotted\"]\n\nclass Slotted:\n    __slots__ = (\"alpha\",)\n\n    def __init__(self, al$0pha):\n        self.alpha = alpha\n\nSlotted(alpha=1)\n";
    check_rename(
        slotted,
        "al",
        expect![[r#"
            //- /m.py
            __all__ = ["Slotted"]

            class Slotted:
                __slots__ = ("alpha",)

                def __init__(self, al):
                    self.alpha = al

            Slotted(al=1)
        "#]],
    );
    // Must not: the class handed on as a value.
    check_rename(
        &slotted.replace("Slotted(alpha=1)", "FACTORY = Slotted\nFACTORY(alpha=1)"),
        "al",
        expect![
            "refused: `__init__` is passed on as a value at m.py:9, and `alpha` at m.py:4 may reach it through that value, where the rename cannot follow; rename refused"
        ],
    );
}

#[test]
fn a_function_is_renamed_in_its_module_doctests() {
    // Tester case 13: `>>> double(2)` runs with the module's globals.
    let mathx = "//- /mathx.py\ndef dou$0ble(n):\n    \"\"\"Double a number.\n\n    >>> double(2)\n    4\n    >>> [double(x)\n    ...  for x in (1, 2)]\n    [2, 4]\n    >>> obj.double\n    \"\"\"\n    return n * 2\n";
    check_rename(
        mathx,
        "twice",
        expect![[r#"
            //- /mathx.py
            def twice(n):
                """Double a number.

                >>> twice(2)
                4
                >>> [twice(x)
                ...  for x in (1, 2)]
                [2, 4]
                >>> obj.double
                """
                return n * 2
        "#]],
    );
    // Must not: a doctest binding the name itself, and one in another module, refuse naming the `>>>` line.
    check_rename(
        &mathx.replace(">>> double(2)", ">>> double = abs\n    >>> double(2)"),
        "twice",
        expect!["refused: a doctest at mathx.py:4 names `double` in a string that rename cannot follow; rename refused"],
    );
    check_rename(
        &format!("{mathx}//- /other.py\ndef f():\n    \"\"\"\n    >>> double(3)\n    \"\"\"\n"),
        "twice",
        expect!["refused: a doctest at other.py:3 names `double` in a string that rename cannot follow; rename refused"],
    );
}

#[test]
fn a_parameter_a_doctest_passes_by_keyword_or_a_method_it_reads_refuses() {
    // Tester cases 05 and 21: doctests are not rewritten with the calls.
    let scale = "//- /lib.py\ndef scale(value, fac$0tor):\n    \"\"\"\n    >>> scale(value=3, factor=2)\n    6\n    \"\"\"\n    return value * factor\n";
    check_rename(scale, "times", expect!["refused: a doctest at lib.py:3 names `factor` in a string that rename cannot follow; rename refused"]);
    // Must not: the doctest passes it by position.
    check_rename(
        &scale.replace("value=3, factor=2", "3, 2"),
        "times",
        expect![[r#"
            //- /lib.py
            def scale(value, times):
                """
                >>> scale(3, 2)
                6
                """
                return value * times
        "#]],
    );
    let square = "//- /lib.py\nclass Sq:\n    \"\"\"\n    >>> Sq(2).area()\n    4\n    >>> Sq(side=3).side\n    3\n    \"\"\"\n\n    def __init__(self, si$0de):\n        self.side = side\n\n    def area(self):\n        return self.side ** 2\n";
    check_rename(square, "length", expect!["refused: a doctest at lib.py:5 names `side` in a string that rename cannot follow; rename refused"]);
    check_rename(
        &square.replace("si$0de", "side").replace("def area", "def ar$0ea"),
        "surface",
        expect!["refused: a doctest at lib.py:3 names `area` in a string that rename cannot follow; rename refused"],
    );
    // Must not: a module's function read as an attribute of another object
    // (`>>> obj.double` above) stays as it is.
}

#[test]
fn a_rename_from_a_class_pattern_keyword_or_a_string_annotation_renames_what_it_reads() {
    // Tester case 11 (from inside the pattern) and case 01 (from inside the string).
    check_rename(
        "//- /m.py\nclass Box:\n    def __init__(self, w):\n        self.width = w\n\ndef f(b):\n    match b:\n        case Box(wid$0th=3):\n            return b.width\n",
        "wd",
        expect![[r#"
            //- /m.py
            class Box:
                def __init__(self, w):
                    self.wd = w

            def f(b):
                match b:
                    case Box(wd=3):
                        return b.wd
        "#]],
    );
    check_rename(
        "//- /m.py\nclass Node:\n    pass\n\ndef make() -> \"List[No$0de]\":\n    return [Node()]\n",
        "Item",
        expect![[r#"
            //- /m.py
            class Item:
                pass

            def make() -> "List[Item]":
                return [Item()]
        "#]],
    );
    // Must not: a keyword of a pattern whose class is not the workspace's, or a plain string, stays unresolved.
    check_rename(
        "//- /m.py\ndef f(b):\n    match b:\n        case complex(re$0al=3):\n            return 1\n",
        "r",
        expect!["refused: `real` does not resolve to a definition the workspace can see"],
    );
    check_rename(
        "//- /m.py\nclass Node:\n    pass\n\nLABEL = \"No$0de\"\n",
        "Item",
        expect!["refused: `Node` does not resolve to a definition the workspace can see"],
    );
}

#[test]
fn a_class_is_renamed_in_dotted_string_annotations() {
    // `"models.Node"` names the class through its module, as `models.Node` written bare does.
    let dotted = r#"
        //- /models.py
        class No$0de:
            pass
        //- /use.py
        from typing import Optional
        import models


        def first(x: "models.Node") -> "Optional[models.Node]":
            return x
        "#;
    check_rename(
        dotted,
        "Vertex",
        expect![[r#"
            //- /models.py
            class Vertex:
                pass

            //- /use.py
            from typing import Optional
            import models


            def first(x: "models.Vertex") -> "Optional[models.Vertex]":
                return x

        "#]],
    );
    // A dotted path in a string no annotation reads is the class's whole path: renamed
    // (see rename_dotted_tests.rs). Must not: one in a string within the string.
    check_rename(
        &dotted.replace("return x", "return \"models.Node\""),
        "Vertex",
        expect![[r#"
            //- /models.py
            class Vertex:
                pass

            //- /use.py
            from typing import Optional
            import models


            def first(x: "models.Vertex") -> "Optional[models.Vertex]":
                return "models.Vertex"

        "#]],
    );
    check_rename(
        &dotted.replace("\"Optional[models.Node]\"", "\"Optional['models.Node']\""),
        "Vertex",
        expect!["refused: the string annotation at use.py:5 spells `Node` where rename cannot read it as a name; rename refused"],
    );
}
