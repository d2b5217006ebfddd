//! Fixture tests, one or more per inference rule: a `$0` on a member
//! reference and the definition it resolves to (the same resolution that
//! makes the call and reference edges), and the queries of this module.

use expect_test::{Expect, expect};

use crate::graph::tests::{check_callers, check_definition, check_hover, describe_location, fixture_graph};

pub(super) fn check_type(fixture: &str, expect: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let actual = match graph.inferred_type_of(file, offset) {
        Some(t) => {
            let classes: Vec<String> = t.classes.iter().map(|&c| graph.symbol(c).unwrap().qualified_name.to_owned()).collect();
            let at = t.source_location.map(|l| describe_location(&graph, &l)).unwrap_or_default();
            format!("{} classes={classes:?} from {:?} at {at}", t.display, t.source)
        }
        None => "unknown".to_owned(),
    };
    expect.assert_eq(&actual);
}

fn check_chain(fixture: &str, chain: &[&str], expect: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let values: Vec<String> = graph
        .infer_chain(file, offset, chain)
        .into_iter()
        .map(|v| match v {
            crate::graph::Value::Module(s) => format!("module {}", graph.symbol(s).unwrap().qualified_name),
            crate::graph::Value::Class(s) => format!("class {}", graph.symbol(s).unwrap().qualified_name),
            crate::graph::Value::Instance(s) => format!("instance {}", graph.symbol(s).unwrap().qualified_name),
            crate::graph::Value::Function(s) => format!("function {}", graph.symbol(s).unwrap().qualified_name),
            crate::graph::Value::External(p) => format!("external {p}"),
            crate::graph::Value::ExternalInstance(p) => format!("external instance {p}"),
        })
        .collect();
    expect.assert_eq(&values.join("\n"));
}

const CACHE: &str = r#"
//- /cache.py
class Cache:
    def load(self, key):
        return key
    def copy(self) -> "Self":
        return self
"#;

fn with_cache(rest: &str) -> String {
    format!("{CACHE}{rest}")
}

#[test]
fn local_bound_to_a_constructor_call() {
    check_definition(
        &with_cache("//- /app.py\nfrom cache import Cache\ndef f():\n    m = Cache()\n    m.lo$0ad(1)\n"),
        expect!["Method cache.Cache.load at cache.py:2:9"],
    );
}

#[test]
fn module_variable_bound_to_a_constructor_call() {
    check_definition(
        &with_cache("//- /app.py\nimport cache\nm = cache.Cache()\ndef f():\n    m.lo$0ad(1)\n"),
        expect!["Method cache.Cache.load at cache.py:2:9"],
    );
}

#[test]
fn member_of_a_constructor_call() {
    check_definition(&with_cache("//- /app.py\nfrom cache import Cache\nCache().lo$0ad(1)\n"), expect!["Method cache.Cache.load at cache.py:2:9"]);
}

#[test]
fn self_return_keeps_the_receiver_class() {
    check_definition(
        &with_cache("//- /app.py\nfrom cache import Cache\nclass Sub(Cache):\n    def only(self): pass\nSub().copy().on$0ly()\n"),
        expect!["Method app.Sub.only at app.py:3:9"],
    );
}

#[test]
fn annotated_local_and_string_annotation() {
    check_definition(
        &with_cache("//- /app.py\nfrom cache import Cache\ndef f(make):\n    c: \"Cache\" = make()\n    c.lo$0ad(1)\n"),
        expect!["Method cache.Cache.load at cache.py:2:9"],
    );
}

#[test]
fn type_checking_import_and_future_annotations() {
    check_definition(
        &with_cache(
            "//- /app.py\nfrom __future__ import annotations\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from cache import Cache\ndef f(c: Cache | None):\n    c.lo$0ad(1)\n",
        ),
        expect!["Method cache.Cache.load at cache.py:2:9"],
    );
}

#[test]
fn return_annotation_of_a_function() {
    check_definition(
        &with_cache("//- /app.py\nfrom cache import Cache\ndef make() -> Cache: ...\ndef f():\n    x = make()\n    x.lo$0ad(1)\n"),
        expect!["Method cache.Cache.load at cache.py:2:9"],
    );
}

#[test]
fn chained_calls_through_return_annotations() {
    check_definition(
        &with_cache(
            "//- /repo.py\nfrom cache import Cache\nclass Repo:\n    def find(self) -> Cache: ...\ndef repo() -> Repo: ...\n//- /app.py\nfrom repo import repo\nrepo().find().lo$0ad(1)\n",
        ),
        expect!["Method cache.Cache.load at cache.py:2:9"],
    );
}

/// A function returning a tuple display: unpacking its result, or
/// indexing it, gives each position's value (attrs'
/// `_determine_setters` returns the setter functions to call). The twins:
/// a position holding an expression inference does not keep, a starred
/// tuple (positions unknown).
const PAIRS: &str = r#"
//- /make.py
from cache import Cache
def load(): pass
def pair(flag):
    if flag:
        return (), load, Cache()
    return flag + 1, load, Cache()
def starred(rest):
    return (*rest, Cache())
//- /app.py
from make import pair, starred
def use():
    _, loader, cache = pair(True)
    first = pair(False)[2]
    loader()
    return cache.load(1), first.load(2)
def other():
    odd, c = starred([])
    return odd.load(3), c.load(4)
"#;

#[test]
fn unpacking_a_returned_tuple_gives_each_position_s_value() {
    check_definition(&with_cache(&PAIRS.replacen("cache.load(1)", "cache.lo$0ad(1)", 1)), expect!["Method cache.Cache.load at cache.py:2:9"]);
    check_definition(&with_cache(&PAIRS.replacen("first.load(2)", "first.lo$0ad(2)", 1)), expect!["Method cache.Cache.load at cache.py:2:9"]);
    check_callers(
        &with_cache(&PAIRS.replacen("def load()", "def lo$0ad()", 1)),
        expect![[r#"
        app.use at app.py:5:5
        impact: 2 functions in 2 files
    "#]],
    );
}

#[test]
fn a_returned_tuple_s_unknown_or_starred_positions_give_nothing() {
    check_definition(&with_cache(&PAIRS.replacen("c.load(4)", "c.lo$0ad(4)", 1)), expect!["unresolved"]);
    check_definition(&with_cache(&PAIRS.replacen("odd.load(3)", "odd.lo$0ad(3)", 1)), expect!["unresolved"]);
}

#[test]
fn unannotated_return_of_a_constructor() {
    check_definition(
        &with_cache("//- /make.py\nfrom cache import Cache\ndef make():\n    return Cache()\n//- /app.py\nfrom make import make\nmake().lo$0ad(1)\n"),
        expect!["Method cache.Cache.load at cache.py:2:9"],
    );
}

#[test]
fn property_return_annotation() {
    check_definition(
        &with_cache(
            "//- /app.py\nfrom cache import Cache\nclass Shop:\n    @property\n    def cache(self) -> Cache: ...\n    def run(self):\n        self.cache.lo$0ad(1)\n",
        ),
        expect!["Method cache.Cache.load at cache.py:2:9"],
    );
}

#[test]
fn classmethod_constructor_through_cls() {
    check_definition(
        r#"
//- /app.py
class Cart:
    @classmethod
    def create(cls):
        return cls()
    def total(self): pass
Cart.create().to$0tal()
"#,
        expect!["Method app.Cart.total at app.py:5:9"],
    );
}

#[test]
fn decorator_with_an_annotated_result() {
    check_definition(
        r#"
//- /cli.py
import typing as t
class Group:
    def command(self): pass
def group(name=None) -> t.Callable[[t.Any], Group]: ...
//- /app.py
import cli
@cli.group()
def main(): pass
main.comm$0and()
"#,
        expect!["Method cli.Group.command at cli.py:3:9"],
    );
}

#[test]
fn class_body_annotation_and_dataclass_field() {
    check_definition(
        r#"
//- /nodes.py
from dataclasses import dataclass
class Expr:
    def as_const(self): pass
@dataclass
class BinOp:
    left: Expr
    def run(self):
        self.left.as_co$0nst()
"#,
        expect!["Method nodes.Expr.as_const at nodes.py:3:9"],
    );
}

#[test]
fn init_assignments_from_typed_parameters_and_constructors() {
    check_definition(
        r#"
//- /app.py
class Command:
    def invoke(self): pass
class Text:
    def render(self): pass
class Runner:
    def __init__(self, command: Command):
        self.command = command
        self.content: Text = make()
    def run(self):
        self.command.invoke()
        self.content.ren$0der()
"#,
        expect!["Method app.Text.render at app.py:4:9"],
    );
}

#[test]
fn attribute_of_a_typed_parameter() {
    check_definition(
        r#"
//- /env.py
class Environment:
    def call_filter(self): pass
class Context:
    def __init__(self):
        self.environment = Environment()
//- /app.py
from env import Context
def f(context: Context):
    context.environment.call_fil$0ter()
"#,
        expect!["Method env.Environment.call_filter at env.py:2:9"],
    );
}

#[test]
fn with_binds_what_enter_returns() {
    check_definition(
        r#"
//- /app.py
from typing import Self
class Ctx:
    def __enter__(self) -> Self: ...
    def __exit__(self, *a): pass
    def run(self): pass
def make_context() -> Ctx: ...
with make_context() as ctx:
    ctx.r$0un()
"#,
        expect!["Method app.Ctx.run at app.py:5:9"],
    );
}

#[test]
fn contextmanager_yields_the_iterator_element() {
    check_definition(
        r#"
//- /app.py
from contextlib import contextmanager
from typing import Iterator
class Session:
    def commit(self): pass
@contextmanager
def session() -> Iterator[Session]:
    yield Session()
def f():
    with session() as s:
        s.com$0mit()
"#,
        expect!["Method app.Session.commit at app.py:4:9"],
    );
}

#[test]
fn for_loop_over_an_annotated_list() {
    check_definition(
        r#"
//- /app.py
class Node:
    def visit(self): pass
def f(nodes: list[Node]):
    for n in nodes:
        n.vis$0it()
"#,
        expect!["Method app.Node.visit at app.py:2:9"],
    );
}

#[test]
fn unpacking_dict_items() {
    check_definition(
        r#"
//- /app.py
from typing import Dict
class Node:
    def visit(self): pass
def f(nodes: Dict[str, Node]):
    for name, node in nodes.items():
        node.vis$0it()
"#,
        expect!["Method app.Node.visit at app.py:3:9"],
    );
}

#[test]
fn comprehension_over_values() {
    check_definition(
        r#"
//- /app.py
from typing import Mapping
class Node:
    def visit(self): pass
def f(nodes: Mapping[str, Node]):
    return [n.vis$0it() for n in nodes.values()]
"#,
        expect!["Method app.Node.visit at app.py:3:9"],
    );
}

#[test]
fn tuple_unpacking_of_an_annotated_return() {
    check_definition(
        r#"
//- /app.py
class A:
    def a(self): pass
class B:
    def b(self): pass
def pair() -> tuple[A, B]: ...
x, y = pair()
y.$0b()
"#,
        expect!["Method app.B.b at app.py:4:9"],
    );
}

#[test]
fn a_union_calls_each_member() {
    check_callers(
        r#"
//- /app.py
from typing import Union
class A:
    def r$0un(self): pass
class B:
    def run(self): pass
def f(x: Union[A, B], y: "A | None"):
    x.run()
    y.run()
"#,
        expect![[r#"
            app.f at app.py:7:7, app.py:8:7
            impact: 1 functions in 1 files
        "#]],
    );
}

#[test]
fn cyclic_and_recursive_definitions_stay_unknown() {
    check_definition(
        r#"
//- /app.py
def f():
    return g()
def g():
    return f()
a = b
b = a
class C:
    def me(self):
        return self.me()
f().x
C().me().m$0e()
a.x
"#,
        expect!["unresolved"],
    );
}

#[test]
fn from_dot_import_submodule_in_the_package_init() {
    check_definition(
        r#"
//- /pkg/__init__.py
from . import sub
//- /pkg/sub.py
def f(): pass
//- /app.py
import pkg
from pkg import sub
pkg.sub.f()
sub.$0f()
"#,
        expect!["Function pkg.sub.f at pkg/sub.py:1:5"],
    );
}

#[test]
fn overloaded_names_bind_to_the_implementation() {
    check_callers(
        r#"
//- /lib.py
from typing import overload
@overload
def group(name: str) -> int: ...
@overload
def group(name: None = None) -> str: ...
def gr$0oup(name=None):
    return name
//- /app.py
from lib import group
group("x")
"#,
        expect![[r#"
            app at app.py:2:1
            impact: 0 functions in 0 files
        "#]],
    );
}

#[test]
fn inferred_type_of_a_local_names_its_source() {
    check_type(
        &with_cache("//- /app.py\nfrom cache import Cache\ndef f():\n    m$0 = Cache()\n"),
        expect![[r#"Cache classes=["cache.Cache"] from Constructor at app.py:3:9"#]],
    );
    check_type(
        &with_cache("//- /app.py\nfrom typing import Optional\nfrom cache import Cache\ndef f(c: Optional[Cache]):\n    c$0\n"),
        expect![[r#"Cache | None classes=["cache.Cache"] from Annotation at app.py:3:7"#]],
    );
    check_type(
        &with_cache("//- /app.py\nfrom cache import Cache\ndef make() -> list[Cache]: ...\nitems$0 = make()\n"),
        expect![[r#"list[Cache] classes=["cache.Cache"] from Return at app.py:2:5"#]],
    );
    check_type("//- /app.py\nx$0 = 1\n", expect!["int classes=[] from Literal at app.py:1:5"]);
}

#[test]
fn infer_chain_and_members() {
    let fixture = r#"
//- /shop.py
import os
class Base:
    kind: str
    def save(self): pass
class Cart(Base):
    def __init__(self):
        self.items = []
    def save(self): pass
class Shop:
    def __init__(self):
        self.cart = Cart()
    def run(self):
        $0pass
"#;
    check_chain(fixture, &["self", "cart"], expect!["instance shop.Cart"]);
    check_chain(fixture, &["Cart"], expect!["class shop.Cart"]);
    check_chain(fixture, &["os", "path"], expect!["external os.path"]);
    check_chain(fixture, &["self", "cart", "save"], expect!["function shop.Cart.save"]);
    let (graph, file, offset) = fixture_graph(fixture);
    let cart = graph.infer_chain(file, offset, &["self", "cart"]);
    let crate::graph::Value::Instance(class) = cart[0] else { panic!("an instance") };
    let members: Vec<String> = graph.members(class).iter().map(|&m| graph.symbol(m).unwrap().qualified_name.to_owned()).collect();
    expect![[r#"
        [
            "shop.Cart.__init__",
            "shop.Cart.items",
            "shop.Cart.save",
            "shop.Base.kind",
        ]
    "#]]
    .assert_debug_eq(&members);
}

#[test]
fn hover_on_a_variable_shows_its_type() {
    check_hover(
        &with_cache("//- /app.py\nfrom cache import Cache\ndef f():\n    m = Cache()\n    m$0.load(1)\n"),
        expect![[r#"
        ```python
        (local) m: Cache
        ```

        Bound at line 3. Type `Cache`, from the constructor call at app.py:3."#]],
    );
}

#[test]
fn match_capture_names_are_bound() {
    let fixture = |case: &str, use_: &str| format!("//- /app.py\ndef f(shape):\n    match shape:\n        case {case}:\n            return {use_}\n");
    check_definition(&fixture("{\"w\": w, **rest}", "re$0st"), expect!["local at app.py:3:25"]);
    check_definition(&fixture("[first, *others] if first", "oth$0ers"), expect!["local at app.py:3:23"]);
    check_definition(&fixture("(1 | 2) as small", "sm$0all"), expect!["local at app.py:3:25"]);
    check_definition(&fixture("str(text)", "te$0xt"), expect!["local at app.py:3:18"]);
}

#[test]
fn match_class_pattern_as_name_is_an_instance() {
    check_definition(
        r#"
//- /app.py
class A:
    def a(self): pass
def f(x):
    match x:
        case A() as y:
            y.$0a()
"#,
        expect!["Method app.A.a at app.py:2:9"],
    );
}

#[test]
fn isinstance_narrows_inside_the_if() {
    check_definition(
        r#"
//- /app.py
class A:
    def a(self): pass
def f(x):
    if isinstance(x, A):
        x.$0a()
"#,
        expect!["Method app.A.a at app.py:2:9"],
    );
}

#[test]
fn loops_through_enumerate_zip_and_sorted() {
    let fixture =
        |call: &str| format!("//- /app.py\nclass A:\n    def a(self): pass\nclass B:\n    def b(self): pass\ndef f(xs: list[A], ys: list[B]):\n    {call}\n");
    check_definition(&fixture("for i, x in enumerate(xs):\n        x.$0a()"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("for x, y in zip(xs, ys):\n        y.$0b()"), expect!["Method app.B.b at app.py:4:9"]);
    check_definition(&fixture("for x in reversed(sorted(xs)):\n        x.$0a()"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("return [y.$0b() for _, y in zip(xs, ys)]"), expect!["Method app.B.b at app.py:4:9"]);
    check_definition(&fixture("for i, x in enumerate(ys):\n        x.$0a()"), expect!["unresolved"]);
}

#[test]
fn next_of_an_iterator() {
    check_definition(
        r#"
//- /app.py
from typing import Iterator
class Token:
    def test(self): pass
class Stream:
    def __iter__(self) -> Iterator[Token]: ...
def parse(stream: Stream):
    token = next(stream)
    token.te$0st()
"#,
        expect!["Method app.Token.test at app.py:3:9"],
    );
}

#[test]
fn unpacking_a_named_tuple_gives_its_fields() {
    check_definition(
        r#"
//- /app.py
from typing import ClassVar, NamedTuple
class Style:
    def link(self): pass
class Segment(NamedTuple):
    kinds: ClassVar[int] = 0
    text: str
    style: "Style | None" = None
def f(segments: list[Segment]):
    for text, style in segments:
        style.li$0nk()
"#,
        expect!["Method app.Style.link at app.py:3:9"],
    );
}

#[test]
fn after_if_else_a_local_holds_what_each_branch_assigned() {
    // After the statement `c` is a `Converter` (or unknown, or a `Plain`);
    // in the `else` branch it is only what that branch assigned, and a
    // branch that returns adds nothing.
    check_callers(
        r#"
//- /app.py
class Converter:
    def con$0vert(self): pass
class Plain:
    def convert(self): pass
def f(x, flag):
    if flag:
        c = Converter()
    elif x:
        c = Plain()
        c.convert()
    else:
        c = x.converter
        c.convert()
    c.convert()
def g(x):
    if x:
        d = Plain()
    else:
        d = Converter()
        return d
    d.convert()
"#,
        expect![[r#"
            app.f at app.py:14:7
            impact: 1 functions in 1 files
        "#]],
    );
}

#[test]
fn lambda_parameters_of_sorted_min_max_sort_filter_and_map() {
    let fixture =
        |call: &str| format!("//- /app.py\nclass A:\n    def a(self): pass\nclass B:\n    def b(self): pass\ndef f(xs: list[A], ys: list[B]):\n    {call}\n");
    check_definition(&fixture("sorted(xs, key=lambda x: x.$0a())"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("max(ys, key=lambda y: y.$0b())"), expect!["Method app.B.b at app.py:4:9"]);
    check_definition(&fixture("xs.sort(key=lambda x: x.$0a())"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("filter(lambda y: y.$0b(), ys)"), expect!["Method app.B.b at app.py:4:9"]);
    check_definition(&fixture("map(lambda x, y: y.$0b(), xs, ys)"), expect!["Method app.B.b at app.py:4:9"]);
    check_definition(&fixture("functools.reduce(lambda acc, y: y.$0b(), ys, 0)"), expect!["Method app.B.b at app.py:4:9"]);
    // Another callee, another keyword: the parameter stays unknown.
    check_definition(&fixture("run(xs, key=lambda x: x.$0a())"), expect!["unresolved"]);
    check_definition(&fixture("sorted(xs, cmp=lambda x: x.$0a())"), expect!["unresolved"]);
}

#[test]
fn containers_built_from_a_display_or_an_iterable() {
    let fixture = |body: &str| {
        format!("//- /app.py\nimport copy\nfrom collections import deque\nclass A:\n    def a(self): pass\ndef f(x: A, xs: list[A]):\n    {body}\n")
    };
    check_definition(&fixture("todo = deque([x])\n    todo.popleft().$0a()"), expect!["Method app.A.a at app.py:4:9"]);
    check_definition(&fixture("for y in [x, x]:\n        y.$0a()"), expect!["Method app.A.a at app.py:4:9"]);
    check_definition(&fixture("for y in list(xs):\n        y.$0a()"), expect!["Method app.A.a at app.py:4:9"]);
    check_definition(&fixture("ys = sorted(xs, key=id)\n    ys[0].$0a()"), expect!["Method app.A.a at app.py:4:9"]);
    check_definition(&fixture("new = copy.copy(x)\n    new.$0a()"), expect!["Method app.A.a at app.py:4:9"]);
    check_definition(&fixture("max(xs, key=id).$0a()"), expect!["Method app.A.a at app.py:4:9"]);
    // A workspace function named like a builtin is called as any other.
    check_definition(
        "//- /app.py\nclass A:\n    def a(self): pass\ndef list(x) -> A: ...\ndef f(y):\n    list(y).$0a()\n",
        expect!["Method app.A.a at app.py:2:9"],
    );
}

#[test]
fn a_class_based_on_a_parameter_holding_a_class() {
    check_definition(
        r#"
//- /app.py
import typing as t
class Undefined:
    def fail(self): pass
def make_logging(base: t.Type[Undefined] = Undefined):
    class Logging(base):
        def fail(self):
            return super().fa$0il()
    return Logging
"#,
        expect!["Method app.Undefined.fail at app.py:3:9"],
    );
}

#[test]
fn comprehensions_and_slices_keep_the_elements() {
    let fixture = |body: &str| {
        format!(
            "//- /app.py\nclass A:\n    def a(self): pass\n    @classmethod\n    def make(cls, x):\n        return cls()\ndef f(xs: list[A], names):\n    {body}\n"
        )
    };
    check_definition(&fixture("made = [A.make(n) for n in names]\n    made[0].$0a()"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("pairs = [(x, n) for x in xs for n in names]\n    for x, n in pairs:\n        x.$0a()"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("for y in (x for x in xs if x):\n        y.$0a()"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("for y in {x for x in xs}:\n        y.$0a()"), expect!["Method app.A.a at app.py:2:9"]);
    check_definition(&fixture("head = xs[:3]\n    head[0].$0a()"), expect!["Method app.A.a at app.py:2:9"]);
    // The element is read where it is written: `x` is the comprehension's.
    check_definition(&fixture("x = 1\n    ys = [x for x in xs]\n    ys[0].$0a()"), expect!["Method app.A.a at app.py:2:9"]);
}

#[test]
fn type_aliases_of_unions_and_generics() {
    let fixture = |body: &str| {
        format!(
            r#"//- /tree.py
from typing import Optional, TypeAlias, Union
NL = Union["Node", "Leaf"]
LN = Leaf | None
Kids: TypeAlias = list[NL]
class Node:
    def node(self): pass
class Leaf:
    def leaf(self): pass
//- /app.py
from tree import NL, LN, Kids
def f(x: NL, y: "LN", kids: Kids, maybe: Optional[NL]):
    {body}
"#
        )
    };
    check_definition(&fixture("x.no$0de()"), expect!["Method tree.Node.node at tree.py:6:9"]);
    check_definition(&fixture("y.le$0af()"), expect!["Method tree.Leaf.leaf at tree.py:8:9"]);
    check_definition(&fixture("kids[0].le$0af()"), expect!["Method tree.Leaf.leaf at tree.py:8:9"]);
    check_definition(&fixture("maybe.le$0af()"), expect!["Method tree.Leaf.leaf at tree.py:8:9"]);
}

const BUILTINS: &str = r#"
//- /typeshed/builtins.pyi
class object: ...
class bool:
    def __and__(self, other: bool) -> bool: ...
class str:
    def upper(self) -> str: ...
class dict:
    def items(self) -> list: ...
class list:
    def append(self, x: object) -> None: ...
//- /typeshed/typing.pyi
TypeAlias: object
"#;

#[test]
fn a_member_of_a_union_is_of_the_types_that_have_it() {
    check_definition(&format!("{BUILTINS}//- /app.py\ndef f(raw: bool | dict | str):\n    raw.it$0ems()\n"), expect!["external builtins.dict.items"]);
    // None has it: all are kept, as before.
    check_definition(&format!("{BUILTINS}//- /app.py\ndef f(raw: bool | str):\n    raw.it$0ems()\n"), expect!["external builtins.bool.items"]);
}

#[test]
fn isinstance_narrows_a_recursive_alias_in_a_comprehension_of_the_body() {
    check_definition(
        &format!(
            "{BUILTINS}//- /app.py\nfrom typing import TypeAlias\nRaw: TypeAlias = bool | dict[\"Raw\", \"Raw\"] | list[\"Raw\"] | str | None\n\
             def render(raw: Raw):\n    if isinstance(raw, dict):\n        return {{k: v for k, v in raw.it$0ems()}}\n"
        ),
        expect!["external builtins.dict.items"],
    );
}

#[test]
fn isinstance_narrows_to_a_library_class_in_the_body_and_its_comprehensions() {
    check_definition(
        &format!("{BUILTINS}//- /app.py\ndef f(raw):\n    if isinstance(raw, dict):\n        raw.it$0ems()\n"),
        expect!["external builtins.dict.items"],
    );
    check_definition(
        &format!("{BUILTINS}//- /app.py\ndef f(raw):\n    if isinstance(raw, dict):\n        [x for x in raw.it$0ems()]\n"),
        expect!["external builtins.dict.items"],
    );
    check_definition(
        &format!("{BUILTINS}//- /app.py\ndef f(raw):\n    if isinstance(raw, dict):\n        [x for x in raw for y in raw.it$0ems()]\n"),
        expect!["external builtins.dict.items"],
    );
}

#[test]
fn typing_aliases_of_containers_are_the_builtin_classes() {
    check_definition(
        &format!("{BUILTINS}//- /app.py\nfrom typing import Dict, List\ndef f(c: Dict[str, int], xs: List[str]):\n    c.it$0ems()\n"),
        expect!["external builtins.dict.items"],
    );
    check_definition(
        &format!("{BUILTINS}//- /app.py\nfrom typing import Dict, List\ndef f(c: Dict[str, int], xs: List[str]):\n    xs.app$0end(1)\n"),
        expect!["external builtins.list.append"],
    );
}
