//! Fixture tests of the call hierarchy and references, from the cases
//! where pyloom and pyright differed (bench/graph/pyright_compare.py):
//! property reads, calls written in closures, calls of variables, which
//! of several same-named definitions an item stands for, re-exports.

use expect_test::{Expect, expect};

use crate::graph::tests::{check_callers, check_definition, describe_calls, describe_location, fixture_graph};

/// What the symbol named by the cursor calls, with the call sites.
fn check_callees(fixture: &str, expect: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
    expect.assert_eq(&describe_calls(&graph, graph.callees(symbol)));
}

#[test]
fn reading_a_property_calls_its_getter() {
    check_callers(
        r#"
//- /text.py
class Text:
    @property
    def pl$0ain(self) -> str:
        return ""
    @plain.setter
    def plain(self, value): pass
    def size(self):
        return len(self.plain)
def show(t: Text, other: "Text | None"):
    print(t.plain, other.plain)
    return Text.plain
"#,
        expect![[r#"
            text.Text.size at text.py:8:25
            text.show at text.py:10:13, text.py:10:26
            impact: 2 functions in 1 files
        "#]],
    );
}

#[test]
fn a_bound_method_taken_from_an_instance_is_a_call() {
    // `append = text.append` calls it later (and `append(part)` there,
    // through the local); `Text.append` is the plain function (no call),
    // and a module function read by name is no call.
    check_callers(
        r#"
//- /text.py
class Text:
    def app$0end(self, part): pass
    def render(self, parts):
        append = self.append
        for part in parts:
            append(part)
def build(text: Text, parts):
    handlers = [text.append, Text.append]
    return list(map(text.append, parts))
"#,
        expect![[r#"
            text.Text.render at text.py:4:23, text.py:6:13
            text.build at text.py:8:22, text.py:9:26
            impact: 2 functions in 1 files
        "#]],
    );
}

#[test]
fn a_plain_attribute_read_is_no_call() {
    check_callers(
        r#"
//- /app.py
class A:
    si$0ze = 0
def f(a: A):
    g = a.size
    return g
"#,
        expect![[r#"
            impact: 1 functions in 1 files
        "#]],
    );
}

#[test]
fn calls_in_decorators_and_defaults_are_the_function_s() {
    // They run in the enclosing scope, but pyright's outgoing calls count
    // the calls written anywhere in the function's text; a bare decorator
    // is applied, not called there.
    check_callees(
        r#"
//- /app.py
def route(path): return lambda f: f
def register(f): return f
def default(): return 1
def unrelated(): pass
class App:
    @route(path="/")
    @register
    def ha$0ndle(self, x=default()):
        return x
unrelated()
"#,
        expect![[r#"
            app.route at app.py:6:6
            app.default at app.py:8:24
        "#]],
    );
}

#[test]
fn calls_written_in_a_closure_are_the_function_s() {
    check_callees(
        r#"
//- /app.py
def helper(): pass
def other(): pass
def ou$0ter():
    def inner():
        helper()
        return lambda: other()
    return inner()
"#,
        expect![[r#"
            app.helper at app.py:5:9
            app.other at app.py:6:24
            app.outer.inner at app.py:7:12
        "#]],
    );
}

#[test]
fn a_hierarchy_item_of_an_overloaded_function_is_its_implementation() {
    let (graph, file, offset) = fixture_graph(
        r#"
//- /lib.py
import typing
@typing.overload
def parse(text: bytes) -> int: ...
@typing.overload
def parse(text: str) -> str: ...
def pa$0rse(text):
    return helper()
def helper(): pass
"#,
    );
    let implementation = graph.symbol_at(file, offset).unwrap();
    assert_eq!(graph.find_in_file(file, "lib.parse"), Some(implementation));
    assert_eq!(graph.callees(implementation).len(), 1, "the implementation calls helper");
}

/// An `@overload` signature runs nothing itself: asked from it, the
/// calls are its implementation's. The twins: a property setter keeps its
/// own calls (not the getter's), signatures without an implementation
/// (a protocol's) call nothing.
const OVERLOADS: &str = r#"
//- /lib.py
from typing import overload, Protocol
@overload
def parse(text: bytes) -> int: ...
@overload
def parse(text: str) -> str: ...
def parse(text):
    return helper()
def helper(): pass
class Text:
    @property
    def plain(self) -> str:
        return helper()
    @plain.setter
    def plain(self, value): pass
class Parser(Protocol):
    @overload
    def feed(self, text: bytes) -> int: ...
    @overload
    def feed(self, text: str) -> str: ...
"#;

#[test]
fn an_overload_signature_calls_what_its_implementation_calls() {
    check_callees(
        &OVERLOADS.replacen("def parse(text: str)", "def pa$0rse(text: str)", 1),
        expect![[r#"
            lib.helper at lib.py:7:12
        "#]],
    );
}

#[test]
fn a_setter_or_a_signature_without_implementation_keeps_its_own_calls() {
    check_callees(&OVERLOADS.replacen("def plain(self, value)", "def pl$0ain(self, value)", 1), expect![""]);
    check_callees(&OVERLOADS.replacen("def feed(self, text: str)", "def fe$0ed(self, text: str)", 1), expect![""]);
}

/// Every place that refers to the symbol named by the cursor.
fn check_references(fixture: &str, expect: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
    let sites: Vec<String> = graph.references(symbol).iter().map(|l| describe_location(&graph, l)).collect();
    expect.assert_eq(&sites.join("\n"));
}

#[test]
fn references_of_an_overload_signature_are_the_function_s() {
    check_references(
        r#"
//- /lib.py
from typing import overload
@overload
def gr$0oup(name: str) -> int: ...
@overload
def group(name: None = None) -> str: ...
def group(name=None): pass
//- /app.py
from lib import group
group("a")
"#,
        expect![[r#"
            app.py:1:17
            app.py:2:1
            lib.py:5:5
            lib.py:6:5"#]],
    );
}

#[test]
fn a_property_setter_has_the_getter_s_callers_and_references() {
    check_references(
        r#"
//- /text.py
class Text:
    @property
    def plain(self) -> str:
        return ""
    @plain.setter
    def pl$0ain(self, value): pass
def show(t: Text):
    return t.plain
"#,
        expect![[r#"
            text.py:3:9
            text.py:5:6
            text.py:8:14"#]],
    );
}

#[test]
fn a_reexport_as_the_same_name_refers_twice() {
    check_references(
        r#"
//- /pkg/core.py
def gr$0oup(): pass
//- /pkg/__init__.py
from .core import group as group
from .core import group as other
"#,
        expect![[r#"
            pkg/__init__.py:1:19
            pkg/__init__.py:1:28
            pkg/__init__.py:2:19"#]],
    );
}

#[test]
fn a_call_of_a_variable_calls_what_it_holds() {
    check_callees(
        r#"
//- /app.py
def on_click(): pass
class Cart:
    def __init__(self): pass
handler = on_click
class View:
    factory: "type[Cart]" = Cart
    def __init__(self, callback):
        self.callback = callback
    def r$0un(self):
        handler()
        self.factory()
        self.callback()
"#,
        expect![[r#"
            app.on_click at app.py:10:9
            app.Cart.__init__ at app.py:11:14
        "#]],
    );
}

#[test]
fn a_module_importing_its_own_class() {
    crate::graph::tests::check_definition(
        r#"
//- /pkg/__init__.py
//- /pkg/table.py
class Table:
    def add_row(self): pass
if __name__ == "__main__":
    from pkg.table import Table as Table
    table = Table()
    table.add_$0row()
"#,
        expect!["Method pkg.table.Table.add_row at pkg/table.py:2:9"],
    );
}

#[test]
fn a_constructor_call_is_no_reference_of_init() {
    check_references(
        r#"
//- /app.py
class Cart:
    def __in$0it__(self): pass
class Sub(Cart):
    def __init__(self):
        super().__init__()
Cart()
"#,
        expect!["app.py:5:17"],
    );
}

#[test]
fn an_instance_attribute_is_no_name_in_the_class_body() {
    crate::graph::tests::check_definition(
        r#"
//- /pkg/__init__.py
//- /pkg/box.py
class Box:
    def top(self): pass
//- /pkg/table.py
from . import box
class Table:
    def __init__(self, box: box.Box):
        self.box = box
    def render(self):
        self.box.t$0op()
"#,
        expect!["Method pkg.box.Box.top at pkg/box.py:2:9"],
    );
}

#[test]
fn names_in_dunder_all_refer_to_the_module_s_bindings() {
    check_references(
        r#"
//- /lib.py
__all__ = ["group", 'other', "missing"]
__all__ += ("group",)
def gr$0oup(): pass
def other(): pass
"#,
        expect![[r#"
            lib.py:1:13
            lib.py:2:14"#]],
    );
}

#[test]
fn a_class_body_reads_its_own_name_only_once_bound_there() {
    // `x = x`: the right side runs before the class binds `x`.
    check_definition("//- /m.py\nx = 1\nclass K:\n    x = $0x\n", expect!["Variable m.x at m.py:1:1"]);
    // Bound before in the class body: the class's own.
    check_definition("//- /m.py\nx = 1\nclass K:\n    x = 2\n    y = $0x\n", expect!["Variable m.K.x at m.py:3:5"]);
    // Nothing outside binds it (read too early, or by a lazy annotation):
    // the class's own still, the one place the name can mean.
    check_definition("//- /m.py\nclass K:\n    y = $0z\n    z = 1\n", expect!["Variable m.K.z at m.py:3:5"]);
}
