use expect_test::expect;

use super::tests::check_rename;

const STUBS: &str = r#"
//- /typeshed/builtins.pyi
class object: ...
class type: ...
class str: ...
class dict: ...
//- /typeshed/types.pyi
class ModuleType:
    def __getattr__(self, name: str) -> object: ...
//- /typeshed/importlib/__init__.pyi
from types import ModuleType
def import_module(name: str, package: str | None = None) -> ModuleType: ...
def reload(module: ModuleType) -> ModuleType: ...
//- /typeshed/sys.pyi
from types import ModuleType
modules: dict[str, ModuleType]
//- /typeshed/abc.pyi
class ABCMeta(type):
    def register(cls, subclass: type) -> type: ...
class ABC(metaclass=ABCMeta): ...
def abstractmethod(f: object) -> object: ...
"#;

fn with_stubs(fixture: &str) -> String {
    format!("{STUBS}{fixture}")
}

#[test]
fn a_function_read_on_an_imported_module_object_is_refused() {
    check_rename(
        &with_stubs(
            r#"
//- /pkg/__init__.py
//- /pkg/core.py
def hel$0per():
    return "h"
//- /main.py
import importlib
mod = importlib.import_module("pkg.core")
print(mod.helper())
"#,
        ),
        "aid",
        expect![
            "refused: `.helper` is read at main.py:3 on a module object rename cannot tie to a module (`importlib.import_module(…)`, `sys.modules[…]`), which may be this one; rename refused"
        ],
    );
}

#[test]
fn a_variable_read_through_sys_modules_is_refused() {
    check_rename(
        &with_stubs(
            r#"
//- /settings.py
LI$0MIT = 10
//- /main.py
import sys
import settings
print(settings.LIMIT, sys.modules["settings"].LIMIT)
"#,
        ),
        "CAP",
        expect![
            "refused: `.LIMIT` is read at main.py:3 on a module object rename cannot tie to a module (`importlib.import_module(…)`, `sys.modules[…]`), which may be this one; rename refused"
        ],
    );
}

#[test]
fn a_function_read_on_a_module_imported_by_name_is_renamed() {
    check_rename(
        &with_stubs(
            r#"
//- /pkg/__init__.py
//- /pkg/core.py
def hel$0per():
    return "h"
//- /main.py
import importlib
import pkg.core as mod
print(mod.helper(), importlib.import_module("pkg.core").other)
"#,
        ),
        "aid",
        expect![[r#"
            //- /main.py
            import importlib
            import pkg.core as mod
            print(mod.aid(), importlib.import_module("pkg.core").other)
            //- /pkg/core.py
            def aid():
                return "h"
        "#]],
    );
}

#[test]
fn a_metaclass_method_is_refused_naming_the_class_using_it() {
    check_rename(
        &with_stubs(
            r#"
//- /main.py
class Meta(type):
    def ma$0ke(cls):
        return cls()

class Model(metaclass=Meta):
    pass

print(Model.make())
"#,
        ),
        "build",
        expect![
            "refused: `main.Meta.make` is a member of a metaclass, which the classes using it read as their own (`Class.make`), where rename cannot follow them (the class at main.py:5); rename refused"
        ],
    );
}

#[test]
fn a_method_of_a_class_with_a_metaclass_is_renamed() {
    check_rename(
        &with_stubs(
            r#"
//- /main.py
class Meta(type):
    def make(cls):
        return cls()

class Model(metaclass=Meta):
    def sa$0ve(self):
        return 1

print(Model().save(), Model.make())
"#,
        ),
        "store",
        expect![[r#"
            //- /main.py
            class Meta(type):
                def make(cls):
                    return cls()

            class Model(metaclass=Meta):
                def store(self):
                    return 1

            print(Model().store(), Model.make())
        "#]],
    );
}

const REGISTERED: &str = r#"
//- /main.py
import abc

class Base(abc.ABC):
    @abc.abstractmethod
    def r$0un(self): ...

class Impl:
    def run(self):
        return "impl"

    def hel$1per(self):
        return 1

Base.register(Impl)

def go(b: Base):
    return b.run()
"#;

#[test]
fn a_method_of_an_abc_with_a_virtual_subclass_defining_it_is_refused() {
    check_rename(
        &with_stubs(&REGISTERED.replace("$1", "")),
        "execute",
        expect![
            "refused: main.py:14 registers a virtual subclass (`.register`), which implements the ABC by name without inheriting it: `main.Impl.run` would keep the name `run`; rename refused"
        ],
    );
}

#[test]
fn a_method_of_a_virtual_subclass_is_refused_from_its_side_too() {
    let fixture = REGISTERED.replace("r$0un", "run").replace("    def run(self):\n        return \"impl\"", "    def r$0un(self):\n        return \"impl\"");
    check_rename(
        &with_stubs(&fixture.replace("$1", "")),
        "execute",
        expect![
            "refused: main.py:14 registers a virtual subclass (`.register`), which implements the ABC by name without inheriting it: `main.Base.run` would keep the name `run`; rename refused"
        ],
    );
}

#[test]
fn a_method_of_a_virtual_subclass_the_abc_does_not_define_is_renamed() {
    let fixture = REGISTERED.replace("r$0un", "run").replace("$1", "$0");
    check_rename(
        &with_stubs(&fixture),
        "aid",
        expect![[r#"
            //- /main.py
            import abc

            class Base(abc.ABC):
                @abc.abstractmethod
                def run(self): ...

            class Impl:
                def run(self):
                    return "impl"

                def aid(self):
                    return 1

            Base.register(Impl)

            def go(b: Base):
                return b.run()
        "#]],
    );
}

const COOPERATIVE: &str = r#"
//- /main.py
class Base:
    def __init__(self, si$0ze=1, **kwargs):
        super().__init__(**kwargs)
        self.size = size

class Mixin:
    def __init__(self, colour="red", **kwargs):
        super().__init__(**kwargs)
        self.colour = colour

class Child(Mixin, Base):
    pass

c = Child(size=5, colour="blue")
"#;

#[test]
fn a_parameter_a_sibling_mixin_forwards_keywords_to_is_refused() {
    check_rename(
        COOPERATIVE,
        "dim",
        expect![
            "refused: `main.Mixin.__init__` at main.py:7 takes `**` keywords and, in the order of `main.Child` at main.py:11, may pass `size` on to `main.Base.__init__` through `super()`, from calls rename cannot follow; rename refused"
        ],
    );
}

#[test]
fn a_parameter_beside_a_sibling_that_takes_no_keywords_on_is_renamed() {
    let fixture = COOPERATIVE
        .replace("colour=\"red\", **kwargs):\n        super().__init__(**kwargs)", "colour=\"red\"):\n        super().__init__()")
        .replace("Child(size=5, colour=\"blue\")", "Base(size=5)");
    check_rename(
        &fixture,
        "dim",
        expect![[r#"
            //- /main.py
            class Base:
                def __init__(self, dim=1, **kwargs):
                    super().__init__(**kwargs)
                    self.size = dim

            class Mixin:
                def __init__(self, colour="red"):
                    super().__init__()
                    self.colour = colour

            class Child(Mixin, Base):
                pass

            c = Base(dim=5)
        "#]],
    );
}

/// tinydb: `TinyDB._storage: Storage`, and `db._storage._handle` of a
/// `JSONStorage`.
const BASE_TYPED: &str = r#"
//- /main.py
class Storage:
    def read(self):
        return 0

class JSONStorage(Storage):
    def __init__(self):
        self.han$0dle = "file.json"

    def flush(self):
        return self.handle

class DB:
    def __init__(self, storage: Storage):
        self.storage = storage

db = DB(JSONStorage())
print(db.storage.read(), READ)
"#;

#[test]
fn a_subclass_member_read_on_a_receiver_typed_as_its_base_is_refused() {
    check_rename(
        &BASE_TYPED.replace("READ", "db.storage.handle"),
        "fh",
        expect![
            "refused: `.handle` is read at main.py:17 on a value typed `Storage`, a base of `JSONStorage` without `handle`: the object there may be a `JSONStorage`, whose member rename cannot tie to that read; rename refused"
        ],
    );
    // tinydb's `Storage(ABC)`: the read resolves to `abc.ABC.handle`, which
    // does not exist.
    check_rename(
        &format!(
            "//- /typeshed/abc.pyi\nclass ABC: ...\n{}",
            BASE_TYPED.replace("READ", "db.storage.handle").replace("class Storage:", "from abc import ABC\n\nclass Storage(ABC):")
        ),
        "fh",
        expect![
            "refused: `.handle` is read at main.py:19 on a value typed `Storage`, a base of `JSONStorage` without `handle`: the object there may be a `JSONStorage`, whose member rename cannot tie to that read; rename refused"
        ],
    );
    check_rename(
        &BASE_TYPED.replace("READ", "db.storage.flush()").replace("self.han$0dle", "self.handle").replace("def flush", "def fl$0ush"),
        "sync",
        expect![
            "refused: `.flush` is read at main.py:17 on a value typed `Storage`, a base of `JSONStorage` without `flush`: the object there may be a `JSONStorage`, whose member rename cannot tie to that read; rename refused"
        ],
    );
}

#[test]
fn a_subclass_member_beside_reads_on_a_base_that_defines_it_or_on_other_names_is_renamed() {
    // Must not: a read of another name on the base-typed value, nor a read
    // of `handle` linked to another class's member (`db.handle`).
    check_rename(
        &BASE_TYPED.replace("READ", "db.storage.other"),
        "fh",
        expect![[r#"
            //- /main.py
            class Storage:
                def read(self):
                    return 0

            class JSONStorage(Storage):
                def __init__(self):
                    self.fh = "file.json"

                def flush(self):
                    return self.fh

            class DB:
                def __init__(self, storage: Storage):
                    self.storage = storage

            db = DB(JSONStorage())
            print(db.storage.read(), db.storage.other)
        "#]],
    );
    check_rename(
        &BASE_TYPED.replace("READ", "db.handle").replace("self.storage = storage", "self.storage = storage\n        self.handle = 1"),
        "fh",
        expect![[r#"
            //- /main.py
            class Storage:
                def read(self):
                    return 0

            class JSONStorage(Storage):
                def __init__(self):
                    self.fh = "file.json"

                def flush(self):
                    return self.fh

            class DB:
                def __init__(self, storage: Storage):
                    self.storage = storage
                    self.handle = 1

            db = DB(JSONStorage())
            print(db.storage.read(), db.handle)
        "#]],
    );
}

#[test]
fn a_parameter_passed_by_keyword_at_a_call_the_graph_does_not_tie_to_it_is_refused() {
    // An override hierarchy called by keyword in the base's template method
    // (from either method), `__call__`, `__new__`, a lambda bound to a name.
    let hierarchy = "//- /main.py\nclass Base:\n    def run(self):\n        return self.process(item=3)\n\n    def process(self, item):\n        return item\n\nclass Sub(Base):\n    def process(self, it$0em):\n        return item * 2\n";
    check_rename(
        hierarchy,
        "thing",
        expect![
            "refused: the call at main.py:3 passes `item` by keyword to `.process`, which may run `main.Base.process` at main.py:5, another method of its hierarchy, whose parameter would keep the old name; rename refused"
        ],
    );
    check_rename(
        &hierarchy.replace("it$0em", "item").replace("process(self, item):\n        return item\n", "process(self, it$0em):\n        return item\n"),
        "thing",
        expect![
            "refused: the call at main.py:3 passes `item` by keyword to `.process`, which may run `main.Sub.process` at main.py:9, another method of its hierarchy, whose parameter would keep the old name; rename refused"
        ],
    );
    check_rename(
        "//- /main.py\nclass Doubler:\n    def __call__(self, it$0em):\n        return item * 2\n\nd = Doubler()\nprint(d(item=5))\n",
        "thing",
        expect![
            "refused: the call at main.py:6 passes `item` by keyword to a value that may be a `Doubler`, whose `__call__` rename cannot tie to that call; rename refused"
        ],
    );
    check_rename(
        "//- /main.py\nclass Token(str):\n    def __new__(cls, te$0xt):\n        return super().__new__(cls, text)\n\nprint(Token(text=\"ab\"))\n",
        "body",
        expect![
            "refused: the call at main.py:5 constructs `Token` passing `text` by keyword, which reaches `__new__` where rename cannot follow it; rename refused"
        ],
    );
    check_rename(
        "//- /main.py\nscale = lambda it$0em, factor=2: item * factor\nprint(scale(item=3))\n",
        "thing",
        expect![
            "refused: the call at main.py:2 passes `item` by keyword to a value that may be this lambda, which rename cannot tie to that call; rename refused"
        ],
    );
}

#[test]
fn a_parameter_only_passed_by_position_or_to_other_callees_is_renamed() {
    // Must not: the same shapes called by position, or a keyword passed to
    // a function of another name.
    check_rename(
        "//- /main.py\nclass Base:\n    def run(self):\n        return self.process(3), dict(item=1)\n\n    def process(self, item):\n        return item\n\nclass Sub(Base):\n    def process(self, it$0em):\n        return item * 2\n",
        "thing",
        expect![[r#"
            //- /main.py
            class Base:
                def run(self):
                    return self.process(3), dict(item=1)

                def process(self, item):
                    return item

            class Sub(Base):
                def process(self, thing):
                    return thing * 2
        "#]],
    );
    check_rename(
        "//- /main.py\nclass Doubler:\n    def __call__(self, it$0em):\n        return item * 2\n\nd = Doubler()\nprint(d(5), dict(item=1))\n",
        "thing",
        expect![[r#"
            //- /main.py
            class Doubler:
                def __call__(self, thing):
                    return thing * 2

            d = Doubler()
            print(d(5), dict(item=1))
        "#]],
    );
    // A keyword call linked to a sibling's override cannot reach this one
    // (packaging's `Specifier.contains` beside `SpecifierSet.contains`).
    check_rename(
        "//- /main.py\nclass Base:\n    def contains(self, item):\n        return item\n\nclass A(Base):\n    def contains(self, it$0em):\n        return item\n\nclass B(Base):\n    def contains(self, item):\n        return item\n\nB().contains(item=1)\n",
        "thing",
        expect![[r#"
            //- /main.py
            class Base:
                def contains(self, item):
                    return item

            class A(Base):
                def contains(self, thing):
                    return thing

            class B(Base):
                def contains(self, item):
                    return item

            B().contains(item=1)
        "#]],
    );
    check_rename(
        "//- /main.py\nscale = lambda it$0em, factor=2: item * factor\nprint(scale(3), dict(item=3))\n",
        "thing",
        expect![[r#"
            //- /main.py
            scale = lambda thing, factor=2: thing * factor
            print(scale(3), dict(item=3))
        "#]],
    );
}
