use expect_test::expect;

use super::tests::check_rename;

const DESCRIPTOR: &str = r#"
//- /main.py
class Field:
    def __set_name__(self, owner, name):
        self.key = "_" + name
    def __get__(self, obj, owner=None):
        return getattr(obj, self.key, 0)

class Rec:
    amo$0unt = Field()
    def __init__(self):
        self._amount = 7

print(Rec().amount)
"#;

#[test]
fn an_attribute_holding_a_descriptor_that_reads_its_name_is_refused() {
    check_rename(
        DESCRIPTOR,
        "total",
        expect![
            "refused: `main.Rec.amount` holds a `Field` (at main.py:8), whose `__set_name__` reads the attribute's name at main.py:3: under a new name it would store or find another key; rename refused"
        ],
    );
}

#[test]
fn an_attribute_holding_a_descriptor_that_ignores_its_name_is_renamed() {
    check_rename(
        &DESCRIPTOR.replace("self.key = \"_\" + name", "self.key = \"_amount\""),
        "total",
        expect![[r#"
            //- /main.py
            class Field:
                def __set_name__(self, owner, name):
                    self.key = "_amount"
                def __get__(self, obj, owner=None):
                    return getattr(obj, self.key, 0)

            class Rec:
                total = Field()
                def __init__(self):
                    self._amount = 7

            print(Rec().total)
        "#]],
    );
}

const REGISTRY: &str = r#"
//- /main.py
COMMANDS = {}

def command(fn):
    COMMANDS[fn.__name__] = fn
    return fn

@command
def hel$0lo():
    return "hi"

def dispatch(name):
    return COMMANDS[name]()
"#;

#[test]
fn a_function_whose_decorator_reads_its_name_is_refused() {
    check_rename(
        REGISTRY,
        "greet",
        expect![
            "refused: `main.hello` is decorated at main.py:7 with `command`, which files the function under its `__name__` at main.py:4 (a registry key, a command name): under a new name it would be filed under another; rename refused"
        ],
    );
}

#[test]
fn a_function_whose_decorator_prints_its_name_or_copies_it_to_a_wrapper_is_renamed() {
    let fixture = REGISTRY.replace(
        "    COMMANDS[fn.__name__] = fn\n    return fn",
        "    print(f\"registering {fn.__name__}\")\n    def wrapper():\n        return fn()\n    wrapper.__name__ = fn.__name__\n    return wrapper",
    );
    check_rename(
        &fixture,
        "greet",
        expect![[r#"
            //- /main.py
            COMMANDS = {}

            def command(fn):
                print(f"registering {fn.__name__}")
                def wrapper():
                    return fn()
                wrapper.__name__ = fn.__name__
                return wrapper

            @command
            def greet():
                return "hi"

            def dispatch(name):
                return COMMANDS[name]()
        "#]],
    );
}

const SERIALISED: &str = r#"
//- /main.py
import json

class Model:
    def __init__(self):
        self.si$0ze = 3

class Other:
    def __init__(self):
        self.weight = 1

print(json.dumps(vars(Model())))
"#;

#[test]
fn an_attribute_of_an_instance_handed_to_vars_is_refused() {
    check_rename(
        SERIALISED,
        "dim",
        expect![
            "refused: `vars(Model())` at main.py:11 hands the attributes of a `Model` over keyed by their names (a serialiser, a repr, a copy): under a new name `main.Model.size` would be another key; rename refused"
        ],
    );
}

#[test]
fn an_attribute_of_another_class_than_the_one_handed_to_vars_is_renamed() {
    check_rename(
        &SERIALISED.replace("self.si$0ze", "self.size").replace("self.weight", "self.wei$0ght"),
        "mass",
        expect![[r#"
            //- /main.py
            import json

            class Model:
                def __init__(self):
                    self.size = 3

            class Other:
                def __init__(self):
                    self.mass = 1

            print(json.dumps(vars(Model())))
        "#]],
    );
}

#[test]
fn an_attribute_of_a_class_whose_methods_read_self_dict_is_refused() {
    check_rename(
        r#"
//- /main.py
class Point:
    def __init__(self):
        self.x$0 = 1

    def __repr__(self):
        return repr(self.__dict__)
"#,
        "left",
        expect![
            "refused: `self.__dict__` at main.py:6 hands the attributes of a `Point` over keyed by their names (a serialiser, a repr, a copy): under a new name `main.Point.x` would be another key; rename refused"
        ],
    );
}

#[test]
fn an_attribute_of_a_class_copying_its_namespace_into_another_instance_is_renamed() {
    check_rename(
        r#"
//- /main.py
class Frame:
    def __init__(self):
        self.dep$0th = 1

    def copy(self):
        rv = object.__new__(self.__class__)
        rv.__dict__.update(self.__dict__)
        return rv

    def save(self):
        return self.__dict__.copy()
"#,
        "level",
        expect![[r#"
            //- /main.py
            class Frame:
                def __init__(self):
                    self.level = 1

                def copy(self):
                    rv = object.__new__(self.__class__)
                    rv.__dict__.update(self.__dict__)
                    return rv

                def save(self):
                    return self.__dict__.copy()
        "#]],
    );
}

/// Attributes set by a computed name (cases 23 and 01).
const SETATTR: &str = r#"
//- /main.py
def record(cls):
    names = list(cls.__annotations__)
    def __init__(self, **kw):
        for n in names:
            setattr(self, n, kw[n])
    cls.__init__ = __init__
    return cls

class Box:
    si$0ze: int = 0

    def __init__(self, **kwargs):
        for key, value in kwargs.items():
            setattr(self, key, value)

@record
class Point:
    x: int

print(Box(size=3).size, Point(x=1).x)
"#;

#[test]
fn an_attribute_its_class_may_set_by_a_computed_name_is_refused() {
    check_rename(
        SETATTR,
        "volume",
        expect![
            "refused: main.py:14 sets attributes of the class by a computed name (from keywords or field names), which may be `size`: what passes that name cannot be renamed with it; rename refused"
        ],
    );
    check_rename(
        &SETATTR.replace("si$0ze", "size").replace("    x: int", "    $0x: int"),
        "x2",
        expect![
            "refused: main.py:5 sets attributes of the class by a computed name (from keywords or field names), which may be `x`: what passes that name cannot be renamed with it; rename refused"
        ],
    );
}

#[test]
fn an_attribute_set_by_a_literal_name_or_in_another_class_is_renamed() {
    // Must not: `setattr` with a literal name in the class, and a computed
    // one in a class that is not related.
    let fixture = "//- /main.py\nclass Box:\n    si$0ze: int = 0\n\n    def grow(self):\n        setattr(self, \"colour\", 1)\n\nclass Other:\n    def __init__(self, **kw):\n        for k, v in kw.items():\n            setattr(self, k, v)\n\nprint(Box().size)\n";
    check_rename(
        fixture,
        "volume",
        expect![[r#"
            //- /main.py
            class Box:
                volume: int = 0

                def grow(self):
                    setattr(self, "colour", 1)

            class Other:
                def __init__(self, **kw):
                    for k, v in kw.items():
                        setattr(self, k, v)

            print(Box().volume)
        "#]],
    );
}

const KEYED_COPY: &str = r#"
//- /main.py
from dataclasses import dataclass, asdict

@dataclass
class Point:
    x$0: int
    y: int

def norm1(x, y):
    return abs(x) + abs(y)

p = Point(3, -4)
print(USE, p.x)
"#;

#[test]
fn a_field_handed_over_keyed_by_its_name_is_refused() {
    check_rename(
        &KEYED_COPY.replace("USE", "norm1(**asdict(p))"),
        "px",
        expect![
            "refused: `asdict(p)` at main.py:12 hands the attributes of a `Point` over keyed by their names (a serialiser, a repr, a copy): under a new name `main.Point.x` would be another key; rename refused"
        ],
    );
    check_rename(
        &KEYED_COPY.replace("@dataclass\nclass Point:", "from typing import NamedTuple\nclass Point(NamedTuple):").replace("USE", "norm1(**p._asdict())"),
        "px",
        expect![
            "refused: `p._asdict()` at main.py:12 hands the attributes of a `Point` over keyed by their names (a serialiser, a repr, a copy): under a new name `main.Point.x` would be another key; rename refused"
        ],
    );
    check_rename(
        &KEYED_COPY
            .replace("@dataclass\nclass Point:", "from typing import TypedDict\nclass Point(TypedDict):")
            .replace("Point(3, -4)", "Point(x=3, y=-4)")
            .replace("USE", "norm1(**p)")
            .replace(", p.x)", ")"),
        "px",
        expect![
            "refused: `**p` at main.py:12 hands the attributes of a `Point` over keyed by their names (a serialiser, a repr, a copy): under a new name `main.Point.x` would be another key; rename refused"
        ],
    );
}

#[test]
fn a_field_read_one_by_one_is_renamed() {
    // Must not: the fields passed one by one.
    check_rename(
        &KEYED_COPY.replace("USE", "norm1(p.x, p.y)"),
        "px",
        expect![[r#"
            //- /main.py
            from dataclasses import dataclass, asdict

            @dataclass
            class Point:
                px: int
                y: int

            def norm1(x, y):
                return abs(x) + abs(y)

            p = Point(3, -4)
            print(norm1(p.px, p.y), p.px)
        "#]],
    );
}

const PARSED_INTO: &str = r#"
//- /main.py
import argparse

class Options(BASE):
    max_co$0unt: int = 0

    def describe(self):
        return f"max={self.max_count}"

parser = argparse.ArgumentParser()
parser.add_argument("--max-count", type=int, default=3)
opts = parser.parse_args(["--max-count", "7"], namespace=Options())
print(opts.max_count, opts.describe())
"#;

#[test]
fn an_attribute_a_library_fills_by_computed_names_is_refused() {
    check_rename(
        &PARSED_INTO.replace("BASE", "argparse.Namespace"),
        "limit",
        expect![
            "refused: `Options` at main.py:3 derives from `argparse.Namespace`, whose attributes a library sets by names it computes (`--max-count` → `max_count`): what spells the name there cannot be renamed with it; rename refused"
        ],
    );
    check_rename(
        &PARSED_INTO.replace("BASE", "object"),
        "limit",
        expect![
            "refused: an instance of `Options` is passed as `namespace=` at main.py:11, where a library (`argparse`) sets its attributes by names it computes, which may be `max_count`: what spells the name there cannot be renamed with it; rename refused"
        ],
    );
}

#[test]
fn an_attribute_of_a_class_no_library_fills_is_renamed() {
    // Must not: the same class, never handed to `parse_args`.
    check_rename(
        &PARSED_INTO.replace("BASE", "object").replace("parser.parse_args([\"--max-count\", \"7\"], namespace=Options())", "Options()"),
        "limit",
        expect![[r#"
        //- /main.py
        import argparse

        class Options(object):
            limit: int = 0

            def describe(self):
                return f"max={self.limit}"

        parser = argparse.ArgumentParser()
        parser.add_argument("--max-count", type=int, default=3)
        opts = Options()
        print(opts.limit, opts.describe())
    "#]],
    );
}

const QUALIFIED_REGISTRY: &str = r#"
//- /main.py
REG = {}


def expose(fn):
    REG[fn.KEY] = fn
    return fn


class Ca$0lc:
    @expose
    def add(self, a, b):
        return a + b


print(REG["Calc.add"](None, 2, 3), Calc().add(1, 1))
"#;

#[test]
fn a_class_whose_methods_are_filed_by_qualified_name_is_refused() {
    check_rename(
        &QUALIFIED_REGISTRY.replace("KEY", "__qualname__"),
        "Calculator",
        expect![
            "refused: `add` of the class `main.Calc` is decorated at main.py:10 with `expose`, which files it under its `__qualname__` at main.py:5 (`Calc.add`): under a new name the class would file it under another key; rename refused"
        ],
    );
    // Must not: filed by `__name__`, which the class's name is no part of.
    check_rename(
        &QUALIFIED_REGISTRY.replace("KEY", "__name__").replace("REG[\"Calc.add\"]", "REG[\"add\"]"),
        "Calculator",
        expect![[r#"
        //- /main.py
        REG = {}


        def expose(fn):
            REG[fn.__name__] = fn
            return fn


        class Calculator:
            @expose
            def add(self, a, b):
                return a + b


        print(REG["add"](None, 2, 3), Calculator().add(1, 1))
    "#]],
    );
}
