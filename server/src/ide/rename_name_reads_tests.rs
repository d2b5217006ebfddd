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
