//! Names reached through values, wrappers and strings (tester 9 cases 11,
//! 17, 18, 25, 26; tester 8 cases 08, 18, 24, 25, 26): each renamed
//! exactly or refused naming the place, each with a twin that must still
//! rename.

use expect_test::expect;

use super::tests::check_rename;

#[test]
fn a_positional_only_parameter_leaves_the_keyword_its_calls_pass_into_kwargs() {
    // Tester 9 case 11: `a=2` goes into `**kw`, never to `a`.
    let positional = r#"
        //- /m.py
        def f(a$0, /, **kw):
            return a, kw

        print(f(1, a=2))
        "#;
    check_rename(
        positional,
        "b",
        expect![[r#"
            //- /m.py
            def f(b, /, **kw):
                return b, kw

            print(f(1, a=2))

        "#]],
    );
    // Renaming from the keyword names no parameter.
    check_rename(
        &positional.replace("a$0, /", "a, /").replace("a=2", "a$0=2"),
        "b",
        expect!["refused: `a` does not resolve to a definition the workspace can see"],
    );
    // Must not: a parameter that takes keywords renames them.
    check_rename(
        &positional.replace("a$0, /, **kw", "a$0, **kw"),
        "b",
        expect![[r#"
            //- /m.py
            def f(b, **kw):
                return b, kw

            print(f(1, b=2))

        "#]],
    );
}

#[test]
fn a_variadic_parameter_is_renamed_in_its_body_alone_whatever_looks_its_function_up() {
    // Tester 22 case 09: no call can name `**kwargs` (`kwargs=2` is a key of
    // the mapping), so neither a computed `getattr` nor `**d` holds it.
    let variadic = r#"
        //- /m.py
        class Field:
            def opt(self, name):
                return getattr(self, name)

            def _serialize(self, value, *args, **kwa$0rgs):
                return value, args, kwargs


        def use(d):
            return Field()._serialize(1, kwargs=2, **d)
        "#;
    check_rename(
        variadic,
        "options",
        expect![[r#"
            //- /m.py
            class Field:
                def opt(self, name):
                    return getattr(self, name)

                def _serialize(self, value, *args, **options):
                    return value, args, options


            def use(d):
                return Field()._serialize(1, kwargs=2, **d)

        "#]],
    );
    check_rename(
        &variadic.replace("*args, **kwa$0rgs", "*ar$0gs, **kwargs"),
        "rest",
        expect![[r#"
            //- /m.py
            class Field:
                def opt(self, name):
                    return getattr(self, name)

                def _serialize(self, value, *rest, **kwargs):
                    return value, rest, kwargs


            def use(d):
                return Field()._serialize(1, kwargs=2, **d)

        "#]],
    );
    // Must still refuse: the body reads its names (`locals()`), and a
    // parameter a call can name, under the computed lookup.
    check_rename(
        &variadic.replace("return value, args, kwargs", "return locals()"),
        "options",
        expect!["refused: the body of `_serialize` reads its names through `locals()`: a parameter's new name would not be found there; rename refused"],
    );
    check_rename(
        &variadic.replace("*args, **kwa$0rgs", "*args, **kwargs").replace("value, *", "val$0ue, *"),
        "v",
        expect!["refused: m.py:3 looks up `_serialize` by a name computed at run time, where the calls made through it cannot be updated; rename refused"],
    );
}

#[test]
fn a_constructor_keyword_at_a_call_reaching_several_classes_refuses() {
    // Tester 9 case 18: `cls(size=9)` builds an `A` or a `D`.
    let classes = r#"
        //- /m.py
        class A:
            def __init__(self, si$0ze):
                self.size = size

        class D:
            def __init__(self, size):
                self.size = size * 10

        def make(cls):
            return cls(size=9)

        print(make(A).size, make(D).size)
        "#;
    check_rename(classes, "n", expect!["refused: the call at m.py:10 may call `m.D.__init__` as well, whose `size` would keep its name; rename refused"]);
    // Must not: only `A` reaches `cls`.
    check_rename(
        &classes.replace(", make(D).size", ""),
        "n",
        expect![[r#"
        //- /m.py
        class A:
            def __init__(self, n):
                self.size = n

        class D:
            def __init__(self, size):
                self.size = size * 10

        def make(cls):
            return cls(n=9)

        print(make(A).size)

    "#]],
    );
}

#[test]
fn a_parameter_of_a_function_a_workspace_decorator_wraps_refuses_unless_forwarded() {
    // Tester 9 case 25: callers call `w(width)`, which calls `box` by keyword.
    let wrapped = r#"
        //- /m.py
        def inject(fn):
            def w(width):
                return fn(width=width, height=width)
            return w

        @inject
        def box(width, hei$0ght):
            return (width, height)

        print(box(width=4))
        "#;
    check_rename(
        wrapped,
        "h",
        expect![
            "refused: `box` is decorated at m.py:6 with `inject`, whose wrapper its callers call instead: the wrapper takes parameters of its own, sets keywords of its own, or passes `height` on, where the rename cannot follow; rename refused"
        ],
    );
    check_rename(
        &wrapped.replace("hei$0ght", "height").replace("def box(width", "def box(wid$0th"),
        "w",
        expect![
            "refused: `box` is decorated at m.py:6 with `inject`, whose wrapper its callers call instead: the wrapper takes parameters of its own, sets keywords of its own, or passes `width` on, where the rename cannot follow; rename refused"
        ],
    );
    // Must not: a wrapper forwarding `*args, **kwargs` as they came.
    check_rename(
        &wrapped.replace(
            "def w(width):\n                return fn(width=width, height=width)",
            "def w(*args, **kwargs):\n                return fn(*args, **kwargs)",
        ),
        "h",
        expect![[r#"
            //- /m.py
            def inject(fn):
                def w(*args, **kwargs):
                    return fn(*args, **kwargs)
                return w

            @inject
            def box(width, h):
                return (width, h)

            print(box(width=4))

        "#]],
    );
    // A forwarder setting a keyword by a computed name (a click-style
    // option: `--max-count` → `max_count=`), and its twin that only reads.
    let option = wrapped.replace(
        "def w(width):\n                return fn(width=width, height=width)",
        "def w(*args, **kwargs):\n                kwargs[FLAG.lstrip(\"-\")] = 5\n                return fn(*args, **kwargs)",
    );
    check_rename(
        &option.replace("FLAG", "OPTION"),
        "h",
        expect![
            "refused: `box` is decorated at m.py:7 with `inject`, whose wrapper its callers call instead: the wrapper takes parameters of its own, sets keywords of its own, or passes `height` on, where the rename cannot follow; rename refused"
        ],
    );
    check_rename(
        &option.replace("kwargs[FLAG.lstrip(\"-\")] = 5", "print(len(kwargs))"),
        "h",
        expect![[r#"
        //- /m.py
        def inject(fn):
            def w(*args, **kwargs):
                print(len(kwargs))
                return fn(*args, **kwargs)
            return w

        @inject
        def box(width, h):
            return (width, h)

        print(box(width=4))

    "#]],
    );
}

#[test]
fn a_name_set_by_patch_multiple_refuses() {
    // Tester 9 case 17: `mock.patch.multiple(lib, helper=…)`.
    let patched = r#"
        //- /lib.py
        def hel$0per():
            return "real"

        def run():
            return helper()
        //- /test_lib.py
        from unittest import mock
        import lib

        def test_patch_multiple():
            with mock.patch.multiple(lib, helper=lambda: "fake3"):
                assert lib.run() == "fake3"
        "#;
    check_rename(
        patched,
        "aid",
        expect![
            "refused: `patch.multiple(…)` at test_lib.py:5 sets the attribute `helper` by its keyword, on an object rename cannot tie to the target; rename refused"
        ],
    );
    // Must not: another attribute patched.
    check_rename(
        &patched.replace("multiple(lib, helper=", "multiple(lib, run="),
        "aid",
        expect![[r#"
        //- /lib.py
        def aid():
            return "real"

        def run():
            return aid()

    "#]],
    );
}

#[test]
fn a_name_a_stub_beside_its_module_declares_refuses() {
    // Tester 9 case 26, tester 8 case 18: `lib.pyi` declares `helper`.
    let stubbed = r#"
        //- /lib.py
        def hel$0per(width):
            return width
        //- /lib.pyi
        def helper(width: int) -> int: ...
        //- /main.py
        from lib import helper

        print(helper(width=3))
        "#;
    check_rename(
        stubbed,
        "aid",
        expect![
            "refused: lib.pyi:1 spells `helper` in the stub beside lib.py, where the rename does not edit it: type checkers read a module's names from its stub, and the two would disagree; rename refused"
        ],
    );
    // Must not: the stub of another module.
    check_rename(
        &stubbed.replace("/lib.pyi", "/other.pyi"),
        "aid",
        expect![[r#"
        //- /lib.py
        def aid(width):
            return width

        //- /main.py
        from lib import aid

        print(aid(width=3))

    "#]],
    );
}

#[test]
fn a_name_a_doctest_expects_in_its_output_refuses() {
    // Tester 8 case 08: the dataclass repr `Point(x=0, y=0)`.
    let doctested = r#"
        //- /m.py
        import dataclasses


        @dataclasses.dataclass
        class Poi$0nt:
            x: int
            y: int


        def origin():
            """The origin.

            >>> origin()
            Point(x=0, y=0)
            """
            return Point(0, 0)
        "#;
    check_rename(
        doctested,
        "Pt",
        expect!["refused: the expected output of a doctest at m.py:14 names `Point` in a string that rename cannot follow; rename refused"],
    );
    check_rename(
        &doctested.replace("Poi$0nt", "Point").replace("    x: int", "    $0x: int"),
        "px",
        expect!["refused: the expected output of a doctest at m.py:14 names `x` in a string that rename cannot follow; rename refused"],
    );
    // Must not: an output that does not spell it.
    check_rename(
        &doctested.replace(">>> origin()\n            Point(x=0, y=0)", ">>> origin().y\n            0"),
        "Pt",
        expect![[r#"
        //- /m.py
        import dataclasses


        @dataclasses.dataclass
        class Pt:
            x: int
            y: int


        def origin():
            """The origin.

            >>> origin().y
            0
            """
            return Pt(0, 0)

    "#]],
    );
}

#[test]
fn an_attrs_field_read_through_its_fields_table_refuses_while_attrs_is_unknown() {
    // Tester 8 case 24: `attrs.fields(Conn).host`. Without attrs installed
    // `fields(…)` answers a value of unknown type, whose `.host` may be
    // any class's: refused, as a method read so is.
    let table = r#"
        //- /m.py
        import attrs


        @attrs.define
        class Conn:
            ho$0st: str


        @attrs.define
        class Other:
            host: str


        c = Conn(host="h")
        print(c.host, attrs.fields(Conn).host.name, attrs.fields(Other).host.name)
        "#;
    check_rename(
        table,
        "hostname",
        expect!["refused: `.host` is used at m.py:15 (2 uses) on a value whose type is unknown, which may be the one renamed; rename refused"],
    );
    // Must not: a table of a class that does not resolve.
    check_rename(
        &table.replace("attrs.fields(Other)", "attrs.fields(make())"),
        "hostname",
        expect!["refused: `.host` is used at m.py:15 (2 uses) on a value whose type is unknown, which may be the one renamed; rename refused"],
    );
}

#[test]
fn a_metaclass_keyword_passed_by_a_class_statement_refuses() {
    // Tester 8 case 25: `class A(metaclass=Meta, flag=True)`.
    let meta = r#"
        //- /m.py
        class Meta(type):
            def __new__(mcs, name, bases, ns, fl$0ag=False):
                cls = super().__new__(mcs, name, bases, ns)
                cls.flagged = flag
                return cls

            def __init__(cls, name, bases, ns, flag=False):
                super().__init__(name, bases, ns)


        class A(metaclass=Meta, flag=True):
            pass
        "#;
    check_rename(
        meta,
        "marked",
        expect![
            "refused: the class statement at m.py:11 passes `flag` to its metaclass, whose `__new__`, `__init__` and `__prepare__` all take it: renaming it in `__new__` alone would break that statement; rename refused"
        ],
    );
    // Must not: no class statement passes it.
    check_rename(
        &meta.replace(", flag=True", ""),
        "marked",
        expect![[r#"
        //- /m.py
        class Meta(type):
            def __new__(mcs, name, bases, ns, marked=False):
                cls = super().__new__(mcs, name, bases, ns)
                cls.flagged = marked
                return cls

            def __init__(cls, name, bases, ns, flag=False):
                super().__init__(name, bases, ns)


        class A(metaclass=Meta):
            pass

    "#]],
    );
}

#[test]
fn a_field_of_a_class_rebuilt_from_a_mapping_refuses() {
    // Tester 8 case 26: `cls(**json.loads(s))` in a classmethod.
    let rebuilt = r#"
        //- /m.py
        import json
        from dataclasses import dataclass


        @dataclass
        class Point:
            $0x: int
            y: int

            @classmethod
            def from_json(cls, s):
                return cls(**json.loads(s))


        @dataclass
        class Other:
            z: int

            @classmethod
            def from_json(cls, s):
                return cls(**json.loads(s))
        "#;
    check_rename(
        rebuilt,
        "px",
        expect!["refused: the call at m.py:12 builds an instance of its own class from `**` a mapping, whose keys may name the keyword; rename refused"],
    );
    // Must not: another class rebuilt from a mapping.
    check_rename(
        &rebuilt.replace("                return cls(**json.loads(s))\n\n\n", "                return cls(*json.loads(s))\n\n\n"),
        "px",
        expect![[r#"
        //- /m.py
        import json
        from dataclasses import dataclass


        @dataclass
        class Point:
            px: int
            y: int

            @classmethod
            def from_json(cls, s):
                return cls(*json.loads(s))


        @dataclass
        class Other:
            z: int

            @classmethod
            def from_json(cls, s):
                return cls(**json.loads(s))

    "#]],
    );
}

#[test]
fn an_attribute_of_an_any_value_names_nothing_to_the_rename_check() {
    // Tester 8 case 24 with attrs installed: its stubs type `attrs.fields(Conn)`
    // `Any`, so `.host` resolves to `typing.Any.host` and, renamed,
    // `typing.Any.hostname`: no change of meaning, no shadowing.
    let (graph, _, _) = crate::graph::tests::fixture_graph("//- /m.py\nx$0 = 1\n");
    let external = |path: &str| Some(crate::graph::Resolved::External(path.to_owned()));
    assert_eq!(crate::ide::meanings::meaning(&graph, external("typing.Any.host"), None), None);
    // Must not: another library name keeps its meaning.
    assert_eq!(crate::ide::meanings::meaning(&graph, external("attrs.fields"), None), Some(crate::ide::meanings::Meaning::External("attrs.fields".to_owned())));
}

#[test]
fn a_stub_refusal_names_the_declaration_of_the_renamed_attribute() {
    // Tester 12 case 01: `string` is a parameter of `Proto.__call__` first,
    // and `Iter.string`'s declaration after it.
    let stubbed = "//- /lib.py\nclass Iter:\n    def __init__(self, string):\n        self.str$0ing = string\n//- /lib.pyi\nclass Proto:\n    def __call__(self, string: str) -> int: ...\n\nclass Iter:\n    string: str\n";
    check_rename(
        stubbed,
        "text",
        expect![
            "refused: lib.pyi:5 spells `string` in the stub beside lib.py, where the rename does not edit it: type checkers read a module's names from its stub, and the two would disagree; rename refused"
        ],
    );
    // Without a declaration of it, the first spelling still refuses.
    check_rename(
        &stubbed.replace("class Iter:\n    string: str\n", ""),
        "text",
        expect![
            "refused: lib.pyi:2 spells `string` in the stub beside lib.py, where the rename does not edit it: type checkers read a module's names from its stub, and the two would disagree; rename refused"
        ],
    );
}
