//! Fixture tests of generics, one or more per rule: a `$0` on a member
//! reference and the definition it resolves to, or on a variable and its
//! inferred type; the standard library's stubs stood in for by a tiny
//! `typeshed/` of the fixture.

use expect_test::expect;

use super::tests::check_type;
use crate::graph::tests::{check_definition, check_hover};

const BOX: &str = r#"
//- /box.py
from typing import Generic, TypeVar
T = TypeVar("T")
class Box(Generic[T]):
    value: T
    def __init__(self, value: T) -> None:
        self.value = value
    def get(self) -> T: ...
    def __call__(self) -> T | None: ...
//- /item.py
class Item:
    def name(self): pass
"#;

fn with_box(rest: &str) -> String {
    format!("{BOX}{rest}")
}

#[test]
fn method_returns_the_receivers_type_argument() {
    check_definition(
        &with_box("//- /app.py\nfrom box import Box\nfrom item import Item\ndef f(b: Box[Item]):\n    b.get().na$0me()\n"),
        expect!["Method item.Item.name at item.py:2:9"],
    );
}

#[test]
fn attribute_annotated_with_a_type_variable() {
    check_definition(
        &with_box("//- /app.py\nfrom box import Box\nfrom item import Item\nb: Box[Item] = make()\nb.value.na$0me()\n"),
        expect!["Method item.Item.name at item.py:2:9"],
    );
}

#[test]
fn protocol_and_pep_695_parameters() {
    check_definition(
        "//- /p.py\nfrom typing import Protocol, TypeVar\nT = TypeVar('T')\nclass Source(Protocol[T]):\n    def read(self) -> T: ...\nclass Cell[U]:\n    def take(self) -> U: ...\nclass Item:\n    def name(self): pass\ndef f(s: Source[Cell[Item]]):\n    s.read().take().na$0me()\n",
        expect!["Method p.Item.name at p.py:8:9"],
    );
}

#[test]
fn constructor_arguments_bind_the_type_arguments() {
    check_type(
        &with_box("//- /app.py\nfrom box import Box\nfrom item import Item\nb$0 = Box(Item())\n"),
        expect!["Box[Item] classes=[\"box.Box\", \"item.Item\"] from Constructor at app.py:3:5"],
    );
    check_definition(
        &with_box("//- /app.py\nfrom box import Box\nfrom item import Item\nBox(Item()).get().na$0me()\n"),
        expect!["Method item.Item.name at item.py:2:9"],
    );
}

#[test]
fn calling_an_instance_goes_through_call_and_its_optional_result() {
    check_type(
        &with_box("//- /app.py\nfrom box import Box\nfrom item import Item\ndef f(b: Box[Item]):\n    x$0 = b()\n"),
        expect!["Item | None classes=[\"item.Item\"] from Return at app.py:4:9"],
    );
}

#[test]
fn a_base_class_argument_binds_an_inherited_member() {
    check_definition(
        &with_box("//- /app.py\nfrom box import Box\nfrom item import Item\nclass ItemBox(Box[Item]):\n    pass\ndef f(b: ItemBox):\n    b.get().na$0me()\n"),
        expect!["Method item.Item.name at item.py:2:9"],
    );
    // Through a generic subclass that passes its own parameter on.
    check_definition(
        &with_box(
            "//- /app.py\nfrom typing import Generic, TypeVar\nfrom box import Box\nfrom item import Item\nV = TypeVar('V')\nclass Labelled(Box[V], Generic[V]):\n    pass\ndef f(b: Labelled[Item]):\n    b.get().na$0me()\n",
        ),
        expect!["Method item.Item.name at item.py:2:9"],
    );
}

#[test]
fn generic_function_binds_from_its_arguments() {
    check_definition(
        &with_box(
            "//- /app.py\nfrom box import T\nfrom item import Item\ndef first(xs: list[T]) -> T: ...\ndef f(items: list[Item]):\n    first(items).na$0me()\n",
        ),
        expect!["Method item.Item.name at item.py:2:9"],
    );
}

#[test]
fn overload_chosen_by_the_number_of_arguments() {
    let fixture = "//- /s.py\nfrom typing import overload\nclass A: ...\nclass B: ...\nclass Store:\n    @overload\n    def get(self) -> A: ...\n    @overload\n    def get(self, key: str) -> B: ...\n    def get(self, key=None): ...\ndef f(k: str):\n    one$0 = Store().get(k)\n";
    check_type(fixture, expect!["B classes=[\"s.B\"] from Return at s.py:11:11"]);
    // A literal argument counts too.
    check_type(&fixture.replace("get(k)", "get('k')"), expect!["B classes=[\"s.B\"] from Return at s.py:11:11"]);
    // Arguments not kept (a lambda): every signature's return.
    check_type(&fixture.replace("get(k)", "get(lambda: 0)"), expect!["A | B classes=[\"s.A\", \"s.B\"] from Return at s.py:11:11"]);
}

#[test]
fn lambda_parameters_take_the_callees_callable_annotation() {
    check_definition(
        "//- /bp.py\nimport typing as t\nclass State:\n    def add_url_rule(self): pass\nDeferred = t.Callable[[\"State\"], None]\nclass Blueprint:\n    def record(self, func: Deferred) -> None: ...\n    def route(self):\n        self.record(lambda s: s.add_url$0_rule())\n",
        expect!["Method bp.State.add_url_rule at bp.py:3:9"],
    );
    // Through a decorator typed `(f: F) -> F`, which keeps the method.
    check_definition(
        "//- /bp.py\nimport typing as t\nF = t.TypeVar('F', bound=t.Callable)\ndef setupmethod(f: F) -> F: ...\nclass State:\n    def add_url_rule(self): pass\nDeferred = t.Callable[[\"State\"], None]\nclass Blueprint:\n    @setupmethod\n    def record(self, func: Deferred) -> None: ...\n    def route(self):\n        self.record(lambda s: s.add_url$0_rule())\n",
        expect!["Method bp.State.add_url_rule at bp.py:5:9"],
    );
    check_definition(
        "//- /bp.py\nfrom typing import Callable, Optional\nclass State:\n    def go(self): pass\ndef each(xs, *, then: Optional[Callable[[int, State], None]] = None): ...\neach([], then=lambda i, s: s.g$0o())\n",
        expect!["Method bp.State.go at bp.py:3:9"],
    );
}

const TYPESHED: &str = r#"
//- /typeshed/typing.pyi
class TypeVar:
    def __init__(self, name: str) -> None: ...
class Generic: ...
def overload(f): ...
//- /typeshed/_contextvars.pyi
from typing import Generic, TypeVar, overload
_T = TypeVar("_T")
_D = TypeVar("_D")
class ContextVar(Generic[_T]):
    @overload
    def get(self) -> _T: ...
    @overload
    def get(self, default: _D, /) -> _D | _T: ...
//- /typeshed/contextvars.pyi
from _contextvars import ContextVar as ContextVar
//- /typeshed/weakref.pyi
from typing import Generic, TypeVar
_T = TypeVar("_T")
class ReferenceType(Generic[_T]):
    def __new__(cls, o: _T, callback=..., /) -> Self: ...
    def __call__(self) -> _T | None: ...
ref = ReferenceType
"#;

fn with_typeshed(rest: &str) -> String {
    format!("{TYPESHED}{rest}")
}

#[test]
fn stub_generic_context_var_gives_its_type_argument() {
    let app = "//- /app.py\nfrom contextvars import ContextVar\nclass App:\n    name = 'app'\nclass AppContext:\n    def __init__(self, app: App):\n        self.app = app\n_cv_app: ContextVar[AppContext] = ContextVar('flask.app_ctx')\ndef f():\n    ctx = _cv_app.get(None)\n    ctx.app.na$0me\n";
    check_definition(&with_typeshed(app), expect!["Variable app.App.name at app.py:3:5"]);
    // The stub's own members stay external: never a workspace symbol.
    check_definition(
        &with_typeshed(&app.replace("_cv_app.get(None)", "_cv_app.g$0et(None)").replace("ctx.app.na$0me", "ctx")),
        expect!["external _contextvars.ContextVar.get"],
    );
    // Without the stubs, the standard library is as opaque as before.
    check_definition(app, expect!["unresolved"]);
}

#[test]
fn stub_weak_reference_to_self_calls_back_to_the_class() {
    check_definition(
        &with_typeshed(
            "//- /app.py\nimport weakref\nclass Flask:\n    def send_static_file(self): pass\n    def __init__(self):\n        self_ref = weakref.ref(self)\n        view = lambda: self_ref().send_st$0atic_file()\n",
        ),
        expect!["Method app.Flask.send_static_file at app.py:3:9"],
    );
}

#[test]
fn builtins_with_rules_of_their_own_keep_them_with_stubs() {
    check_definition(
        &with_typeshed(
            "//- /typeshed/builtins.pyi\nclass list: ...\n//- /app.py\nclass A:\n    def a(self): pass\ndef f(xs: list[A]):\n    for y in list(xs):\n        y.$0a()\n",
        ),
        expect!["Method app.A.a at app.py:2:9"],
    );
}

#[test]
fn hover_types_name_the_stub_classes_with_their_arguments() {
    check_type(
        &with_typeshed("//- /app.py\nimport weakref\nclass Flask:\n    def __init__(self):\n        self_r$0ef = weakref.ref(self)\n"),
        expect!["ReferenceType[Flask] classes=[\"app.Flask\"] from Constructor at app.py:4:20"],
    );
}

#[test]
fn hover_names_the_call_when_a_stub_function_gave_the_type() {
    check_hover(
        &with_typeshed(
            "//- /app.py\nfrom contextvars import ContextVar\nclass AppContext: ...\n_cv_app: ContextVar[AppContext] = ContextVar('x')\ndef f():\n    c$0tx = _cv_app.get()\n",
        ),
        expect![[r#"
            ```python
            (local) ctx: AppContext
            ```

            Bound at line 5. Type `AppContext`, from the return type of the call at app.py:5."#]],
    );
}
