use expect_test::expect;

use super::tests::check_rename;

const JSON: &str = r#"
//- /typeshed/json.pyi
class JSONEncoder:
    def default(self, o: object) -> object: ...
    def encode(self, o: object) -> str: ...
"#;

#[test]
fn a_method_overriding_a_library_base_method_is_refused() {
    check_rename(
        &format!(
            "{JSON}{}",
            r#"
//- /main.py
import json

class Enc(json.JSONEncoder):
    def def$0ault(self, o):
        return sorted(o)

print(json.dumps({1}, cls=Enc))
"#
        ),
        "encode_other",
        expect![
            "refused: `main.Enc.default` overrides `json.JSONEncoder.default`, which the library reads by its name: renaming it would end the override; rename refused"
        ],
    );
}

#[test]
fn a_method_of_a_library_subclass_the_base_does_not_define_is_renamed() {
    check_rename(
        &format!(
            "{JSON}{}",
            r#"
//- /main.py
import json

class Enc(json.JSONEncoder):
    def conv$0ert(self, o):
        return sorted(o)

    def default(self, o):
        return self.convert(o)
"#
        ),
        "as_list",
        expect![[r#"
            //- /main.py
            import json

            class Enc(json.JSONEncoder):
                def as_list(self, o):
                    return sorted(o)

                def default(self, o):
                    return self.as_list(o)
        "#]],
    );
}

#[test]
fn a_method_renamed_to_a_library_base_method_name_is_refused() {
    check_rename(
        &format!(
            "{JSON}{}",
            r#"
//- /main.py
import json

class Enc(json.JSONEncoder):
    def conv$0ert(self, o):
        return sorted(o)
"#
        ),
        "encode",
        expect!["refused: `json.JSONEncoder.encode` is defined in a library base class: the renamed `main.Enc.convert` would override it; rename refused"],
    );
}

#[test]
fn a_method_renamed_to_a_workspace_base_method_name_is_refused() {
    check_rename(
        r#"
        //- /main.py
        class Base:
            def hook(self):
                return "default"

            def run(self):
                return "base:" + self.hook()

        class Sub(Base):
            def hel$0per(self):
                return "helper"

        print(Sub().run())
        "#,
        "hook",
        expect!["refused: `main.Base.hook` is defined in a base class at main.py:2: the renamed `main.Sub.helper` would override it; rename refused"],
    );
}

#[test]
fn a_base_attribute_renamed_to_a_subclass_attribute_name_is_refused() {
    check_rename(
        r#"
        //- /main.py
        class Base:
            c$0ap = 10

            def describe(self):
                return self.cap

        class Sub(Base):
            limit = 5

        print(Sub().describe())
        "#,
        "limit",
        expect!["refused: the subclass's `main.Sub.limit` at main.py:8 would override the renamed `main.Base.cap`; rename refused"],
    );
}

#[test]
fn a_base_attribute_renamed_to_a_name_no_class_of_the_hierarchy_has_is_renamed() {
    check_rename(
        r#"
        //- /main.py
        class Base:
            c$0ap = 10

            def describe(self):
                return self.cap

        class Sub(Base):
            limit = 5
        "#,
        "ceiling",
        expect![[r#"
            //- /main.py
            class Base:
                ceiling = 10

                def describe(self):
                    return self.ceiling

            class Sub(Base):
                limit = 5

        "#]],
    );
}

#[test]
fn a_protocol_member_is_refused() {
    check_rename(
        r#"
        //- /main.py
        from typing import Protocol

        class Reader(Protocol):
            def re$0ad(self) -> str: ...

        class FileReader:
            def read(self) -> str:
                return "data"

        def consume(r: Reader) -> str:
            return r.read()
        "#,
        "read_all",
        expect![
            "refused: `main.Reader.read` is a member of the Protocol `main.Reader`, which classes implement by defining `read` without inheriting it: they would keep the old name; rename refused"
        ],
    );
}

#[test]
fn a_method_of_a_plain_class_beside_a_protocol_is_renamed() {
    check_rename(
        r#"
        //- /main.py
        from typing import Protocol

        class Reader(Protocol):
            def read(self) -> str: ...

        class FileReader:
            def fetch$0(self) -> str:
                return "data"

        print(FileReader().fetch())
        "#,
        "fetch_all",
        expect![[r#"
            //- /main.py
            from typing import Protocol

            class Reader(Protocol):
                def read(self) -> str: ...

            class FileReader:
                def fetch_all(self) -> str:
                    return "data"

            print(FileReader().fetch_all())

        "#]],
    );
}

#[test]
fn a_method_named_like_a_protocols_member_refuses_its_rename() {
    // Tester 12's case 06: `English` implements `Greeter` without inheriting it.
    let structural = "//- /m.py\nfrom typing import Protocol\n\n\nclass Greeter(Protocol):\n    def greet(self) -> str: ...\n\n\nclass English:\n    def gr$0eet(self) -> str:\n        return 'hi'\n";
    check_rename(
        structural,
        "hello",
        expect![
            "refused: `m.English.greet` has the name of a member of the Protocol `m.Greeter` at m.py:4, which a class implements by defining `greet` without inheriting it: the class would stop implementing it; rename refused"
        ],
    );
    // Must not: the same class beside a plain base naming the method.
    check_rename(
        &structural.replace("class Greeter(Protocol)", "class Greeter"),
        "hello",
        expect![[r#"
        //- /m.py
        from typing import Protocol


        class Greeter:
            def greet(self) -> str: ...


        class English:
            def hello(self) -> str:
                return 'hi'
    "#]],
    );
}

const DISPATCHING: &str = r#"
//- /typeshed/cmd.pyi
class Cmd:
    def onecmd(self, line: str) -> bool: ...
//- /typeshed/unittest/__init__.pyi
from unittest.case import TestCase as TestCase
//- /typeshed/unittest/case.pyi
class TestCase:
    def run(self) -> None: ...
"#;

#[test]
fn a_command_method_a_library_base_dispatches_by_name_is_refused() {
    check_rename(
        &format!(
            "{DISPATCHING}{}",
            r#"
//- /main.py
import cmd

class Shell(cmd.Cmd):
    def do_gr$0eet(self, arg):
        print("hello", arg)

Shell().onecmd("greet bob")
"#
        ),
        "do_hello",
        expect![
            "refused: `main.Shell.do_greet` is in a subclass of `cmd.Cmd`, which finds the methods whose names start with `do_` by their name and dispatches on the rest of the name: the new name would change what reaches it; rename refused"
        ],
    );
}

#[test]
fn a_helper_method_of_a_dispatching_subclass_is_renamed() {
    check_rename(
        &format!(
            "{DISPATCHING}{}",
            r#"
//- /main.py
import cmd

class Shell(cmd.Cmd):
    def do_greet(self, arg):
        print(self.wor$0ds(arg))

    def words(self, arg):
        return arg.split()
"#
        ),
        "split_words",
        expect![[r#"
            //- /main.py
            import cmd

            class Shell(cmd.Cmd):
                def do_greet(self, arg):
                    print(self.split_words(arg))

                def split_words(self, arg):
                    return arg.split()
        "#]],
    );
}

const UNITTEST: &str = r#"
//- /test_m.py
import unittest

class T(unittest.TestCase):
    def test_o$0ne(self):
        pass
"#;

#[test]
fn a_unittest_test_renamed_out_of_the_test_prefix_is_refused() {
    check_rename(
        &format!("{DISPATCHING}{UNITTEST}"),
        "check_one",
        expect![
            "refused: `test_m.T.test_one` is in a subclass of `unittest.TestCase`, which finds the methods whose names start with `test` by their name and runs the methods named so: under the new name it would be run or left out otherwise; rename refused"
        ],
    );
}

#[test]
fn a_unittest_test_renamed_within_the_test_prefix_is_renamed() {
    check_rename(
        &format!("{DISPATCHING}{UNITTEST}"),
        "test_first",
        expect![[r#"
            //- /test_m.py
            import unittest

            class T(unittest.TestCase):
                def test_first(self):
                    pass
        "#]],
    );
}

/// Handlers collected by prefix over the class namespace (case 07; jmespath's
/// `FunctionRegistry` does the same through `inspect.getmembers`).
const PREFIX_SCAN: &str = r#"
//- /compat.py
import inspect

def get_methods(cls):
    return inspect.getmembers(cls)
//- /main.py
from compat import get_methods

class Handler:
    def __init_subclass__(cls, **kw):
        cls.handlers = {n[3:]: f for n, f in SCAN if n.startswith("on_")}

    def fire(self, event):
        return self.handlers[event](self)

class Button(Handler):
    def on_cl$0ick(self):
        return "clicked"

    def press(self):
        return "pressed"

print(Button().fire("click"), Button().on_click(), Button().press())
"#;

#[test]
fn a_member_a_namespace_scan_finds_by_prefix_is_refused() {
    for scan in ["vars(cls).items()", "get_methods(cls)"] {
        check_rename(
            &PREFIX_SCAN.replace("SCAN", scan),
            "on_press",
            expect![
                "refused: main.py:5 finds members by a name starting with `on_` in a namespace it lists (`vars(…)`, `dir(…)`, `__dict__`): under the name `on_press`, `on_click` would be found otherwise; rename refused"
            ],
        );
    }
    // Into the prefix as well.
    check_rename(
        &PREFIX_SCAN.replace("SCAN", "vars(cls).items()").replace("on_cl$0ick", "on_click").replace("def press", "def pr$0ess"),
        "on_press",
        expect![
            "refused: main.py:5 finds members by a name starting with `on_` in a namespace it lists (`vars(…)`, `dir(…)`, `__dict__`): under the name `on_press`, `press` would be found otherwise; rename refused"
        ],
    );
}

#[test]
fn a_member_outside_a_scanned_prefix_or_beside_an_unscanned_test_is_renamed() {
    // Must not: a name the scan's prefix never reaches, nor a prefix test
    // of something that lists no namespace.
    let outside = PREFIX_SCAN.replace("SCAN", "vars(cls).items()").replace("on_cl$0ick", "on_click").replace("def press", "def pr$0ess");
    check_rename(
        &outside,
        "push",
        expect![[r#"
            //- /main.py
            from compat import get_methods

            class Handler:
                def __init_subclass__(cls, **kw):
                    cls.handlers = {n[3:]: f for n, f in vars(cls).items() if n.startswith("on_")}

                def fire(self, event):
                    return self.handlers[event](self)

            class Button(Handler):
                def on_click(self):
                    return "clicked"

                def push(self):
                    return "pressed"

            print(Button().fire("click"), Button().on_click(), Button().push())
        "#]],
    );
    check_rename(
        &PREFIX_SCAN.replace("SCAN", "[(\"on_x\", len)]"),
        "on_press",
        expect![[r#"
            //- /main.py
            from compat import get_methods

            class Handler:
                def __init_subclass__(cls, **kw):
                    cls.handlers = {n[3:]: f for n, f in [("on_x", len)] if n.startswith("on_")}

                def fire(self, event):
                    return self.handlers[event](self)

            class Button(Handler):
                def on_press(self):
                    return "clicked"

                def press(self):
                    return "pressed"

            print(Button().fire("click"), Button().on_press(), Button().press())
        "#]],
    );
}

#[test]
fn a_test_renamed_across_pytests_prefix_is_refused() {
    // Fifteenth tester's case 02 (inflection, parse): `test_camelize` ->
    // `check_camelize` applied, and the suite passed with a test fewer.
    let tests = "//- /tests/test_words.py\ndef helper(value):\n    return value\n\ndef test_upper():\n    assert helper(1) == 1\n\nclass TestWords:\n    def test_lower(self):\n        assert helper(2) == 2\n";
    check_rename(
        &tests.replace("def test_upper", "def test_up$0per"),
        "check_upper",
        expect![
            "refused: `tests.test_words.test_upper` at tests/test_words.py:4 is in a test file, where pytest runs what is named `test…` by its name: under the new name it would be left out of the test run; rename refused"
        ],
    );
    check_rename(
        &tests.replace("def helper(value)", "def hel$0per(value)"),
        "test_helper",
        expect![
            "refused: `tests.test_words.helper` at tests/test_words.py:1 is in a test file, where pytest runs what is named `test…` by its name: under the new name it would be run as a test; rename refused"
        ],
    );
    check_rename(
        &tests.replace("def test_lower", "def test_lo$0wer"),
        "lower",
        expect![
            "refused: `tests.test_words.TestWords.test_lower` at tests/test_words.py:8 is in a test file, where pytest runs what is named `test…` by its name: under the new name it would be left out of the test run; rename refused"
        ],
    );
}

#[test]
fn a_test_renamed_within_pytests_prefix_or_outside_a_test_file_is_renamed() {
    // Must not: `test_upper` -> `test_uppercase` is still a test, and a
    // `test_`-named function of a module pytest does not collect is code.
    check_rename(
        "//- /tests/test_words.py\ndef test_up$0per():\n    assert 1\n",
        "test_uppercase",
        expect![[r#"
            //- /tests/test_words.py
            def test_uppercase():
                assert 1
        "#]],
    );
    check_rename(
        "//- /words.py\ndef test_up$0per():\n    return 1\n\nprint(test_upper())\n",
        "check_upper",
        expect![[r#"
            //- /words.py
            def check_upper():
                return 1

            print(check_upper())
        "#]],
    );
}

const SETTINGS_WALK: &str = r#"
//- /settings.py
TIME$0OUT = 30
RETRIES = 2
//- /main.py
import settings

def load(mod):
    return {k.lower(): getattr(mod, k) for k in dir(mod) if TEST}

conf = load(settings)
print(conf["timeout"], settings.TIMEOUT)
"#;

#[test]
fn a_module_constant_a_namespace_scan_finds_by_a_test_on_its_name_is_refused() {
    check_rename(
        &SETTINGS_WALK.replace("TEST", "k.isupper()"),
        "WAIT",
        expect![
            "refused: main.py:4 finds members by an upper-case name in a namespace it lists (`vars(…)`, `dir(…)`, `__dict__`): under the name `WAIT`, `TIMEOUT` would be found otherwise; rename refused"
        ],
    );
    check_rename(
        &SETTINGS_WALK.replace("TEST", "k.endswith(\"OUT\")"),
        "WAIT",
        expect![
            "refused: main.py:4 finds members by a name ending with `OUT` in a namespace it lists (`vars(…)`, `dir(…)`, `__dict__`): under the name `WAIT`, `TIMEOUT` would be found otherwise; rename refused"
        ],
    );
}

#[test]
fn a_module_constant_no_scan_test_reaches_is_renamed() {
    // Must not: neither name is upper-case, and a prefix neither has.
    check_rename(
        &SETTINGS_WALK
            .replace("TIME$0OUT", "time$0out")
            .replace("conf[\"timeout\"], settings.TIMEOUT", "len(conf), settings.timeout")
            .replace("TEST", "k.isupper()"),
        "wait",
        expect![[r#"
        //- /main.py
        import settings

        def load(mod):
            return {k.lower(): getattr(mod, k) for k in dir(mod) if k.isupper()}

        conf = load(settings)
        print(len(conf), settings.wait)
        //- /settings.py
        wait = 30
        RETRIES = 2
    "#]],
    );
    check_rename(
        &SETTINGS_WALK.replace("TEST", "k.startswith(\"DB_\")"),
        "WAIT",
        expect![[r#"
        //- /main.py
        import settings

        def load(mod):
            return {k.lower(): getattr(mod, k) for k in dir(mod) if k.startswith("DB_")}

        conf = load(settings)
        print(conf["timeout"], settings.WAIT)
        //- /settings.py
        WAIT = 30
        RETRIES = 2
    "#]],
    );
}
