//! Calls found missing against the calls a test suite really makes
//! (bench/graph/runtime_truth.py): `cls(...)` in class methods,
//! descriptors' `__get__`, parameter defaults called through the
//! parameter, bound methods held in locals. Each rule with its twin.

use expect_test::{Expect, expect};

use super::tests::{describe_calls, fixture_graph};

/// What the symbol named by the cursor calls (overrides, implicit calls
/// and callbacks included), and who calls it.
pub(super) fn check_calls(fixture: &str, outgoing: Expect, incoming: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
    outgoing.assert_eq(&describe_calls(&graph, graph.callees_with_overrides(symbol)));
    incoming.assert_eq(&describe_calls(&graph, graph.callers_with_overrides(symbol)));
}

const SHAPES: &str = r#"
//- /shapes.py
class Shape:
    def __init__(self, size): self.size = size
    @classmethod
    def unit(cls):
        return cls(1)
    def grow(self):
        return cls(2)
class Square(Shape):
    def __init__(self, size): super().__init__(size)
class Plain:
    @classmethod
    def make(cls):
        return cls()
"#;

#[test]
fn cls_called_in_a_class_method_constructs_the_class_and_its_subclasses() {
    check_calls(
        &SHAPES.replacen("def unit", "def un$0it", 1),
        expect![[r#"
            shapes.Shape.__init__ at shapes.py:5:16
            shapes.Square.__init__ at shapes.py:5:16 (via override)
        "#]],
        expect![""],
    );
    check_calls(
        &SHAPES.replacen("def __init__(self, size): super()", "def __in$0it__(self, size): super()", 1),
        expect![[r#"
            builtins.super at shapes.py:9:31
            shapes.Shape.__init__ at shapes.py:9:39
        "#]],
        expect![[r#"
            shapes.Shape.unit at shapes.py:5:16 (via override)
        "#]],
    );
}

/// `cls` outside a class method is a plain name; a class without a
/// workspace `__init__` gets no edge at `cls` (a rename of the class must
/// not rewrite it).
#[test]
fn cls_is_no_constructor_outside_a_class_method_nor_without_an_init() {
    check_calls(&SHAPES.replacen("def grow", "def gr$0ow", 1), expect![""], expect![""]);
    check_calls(&SHAPES.replacen("def make", "def ma$0ke", 1), expect![""], expect![""]);
    let (graph, file, offset) = fixture_graph(&SHAPES.replacen("class Plain", "class Pl$0ain", 1));
    let plain = graph.symbol_at(file, offset).expect("cursor on Plain");
    assert_eq!(graph.references(plain), Vec::new(), "`cls()` is no reference of the class");
}

const STATS: &str = r#"
//- /stats.py
class Prop:
    def __init__(self, fget): self.fget = fget
    def __get__(self, obj, owner): return self.fget(obj)
def compute(obj): return 1
class Stats:
    mean = Prop(compute)
    @Prop
    def median(self): return 2
    @property
    def total(self): return Prop(compute)
    def __init__(self):
        self.helper = Prop(compute)
MODULE_PROP = Prop(compute)
"#;

#[test]
fn reading_a_descriptor_bound_in_a_class_body_runs_its_get() {
    check_calls(
        &format!(
            "{STATS}//- /main.py
from stats import Stats
def re$0port(s: Stats):
    return s.mean, s.median, Stats.mean
"
        ),
        expect![[r#"
            stats.Stats.median at main.py:3:22
            stats.Prop.__get__ at main.py:3:14, main.py:3:22, main.py:3:36 (implicit call)
        "#]],
        expect![""],
    );
}

/// An attribute the instance holds, a module's variable and a property
/// whose getter returns a descriptor are read without `__get__`.
#[test]
fn no_get_for_instance_attributes_module_variables_or_properties() {
    check_calls(
        &format!(
            "{STATS}//- /main.py
import stats
from stats import Stats
def re$0port(s: Stats):
    return s.helper, stats.MODULE_PROP, s.total
"
        ),
        expect![[r#"
            stats.Stats.total at main.py:4:43
        "#]],
        expect![""],
    );
}

const WALK: &str = r#"
//- /walk.py
def default_enter(item): return item
def other(item): return item
def walk(items, enter=default_enter, limit=None, *, log: "object" = other):
    return [enter(i) for i in items]
def main(items):
    other(items)
    return walk(items)
"#;

#[test]
fn a_function_given_as_a_parameter_default_is_called_through_the_parameter() {
    check_calls(
        &WALK.replacen("def walk", "def wa$0lk", 1),
        expect![[r#"
            walk.default_enter at walk.py:4:13 (via callback)
        "#]],
        expect![[r#"
            walk.main at walk.py:7:12
        "#]],
    );
    check_calls(
        &WALK.replacen("def default_enter", "def default_en$0ter", 1),
        expect![""],
        expect![[r#"
            walk.walk at walk.py:4:13 (via callback)
        "#]],
    );
}

/// A default the function never calls (`log`) makes no callback.
#[test]
fn a_default_not_called_through_its_parameter_is_no_callback() {
    check_calls(
        &WALK.replacen("def other", "def oth$0er", 1),
        expect![""],
        expect![[r#"
            walk.main at walk.py:6:5
        "#]],
    );
}

#[test]
fn a_bound_method_held_in_a_local_is_called_where_the_local_is() {
    check_calls(
        r#"
//- /bag.py
class Plain:
    pass
class Bag:
    def add(self, item): pass
    def up$0date(self, items):
        add = self.add
        kind = Plain
        for item in items:
            add(item)
        return kind()
"#,
        expect![[r#"
            bag.Bag.add at bag.py:6:20, bag.py:9:13
        "#]],
        expect![""],
    );
}

#[test]
fn self_class_called_constructs_the_instance_s_class() {
    let fixture = r#"
//- /shapes.py
class Shape:
    def __init__(self, size): self.size = size
    def copy(self):
        return self.__class__(self.size)
    @classmethod
    def meta(cls):
        return cls.__class__("Other", (), {})
class Square(Shape):
    def __init__(self, size): super().__init__(size)
"#;
    check_calls(
        &fixture.replacen("def copy", "def co$0py", 1),
        expect![[r#"
            shapes.Shape.__init__ at shapes.py:4:21
            shapes.Square.__init__ at shapes.py:4:21 (via override)
        "#]],
        expect![""],
    );
    // `cls.__class__` is the metaclass: no workspace `__init__` runs.
    check_calls(&fixture.replacen("def meta", "def me$0ta", 1), expect![""], expect![""]);
}

const DECORATED: &str = r#"
//- /deco.py
import functools
def takes_ascii(f):
    @functools.wraps(f)
    def func(self, s):
        return f(self, s)
    return func
def route(path):
    def wrap(f):
        return f()
    return wrap
class Parser:
    @takes_ascii
    def parse(self, s): return s
    @route("/")
    def other(self): return 1
"#;

#[test]
fn a_bare_decorator_calls_the_function_it_decorates_where_it_calls_its_parameter() {
    check_calls(
        &DECORATED.replacen("def parse", "def pa$0rse", 1),
        expect![""],
        expect![[r#"
            deco.takes_ascii.func at deco.py:5:16 (via callback)
        "#]],
    );
    check_calls(
        &DECORATED.replacen("def func", "def fu$0nc", 1),
        expect![[r#"
            functools.wraps at deco.py:3:16
            deco.Parser.parse at deco.py:5:16 (via callback)
        "#]],
        expect![""],
    );
}

/// `@route("/")` passes the function to what `route` returns, which the
/// graph does not follow: no callback (the call of `route` is written in
/// the function's text, as pyright counts it).
#[test]
fn a_decorator_factory_s_result_is_no_callback_of_the_function() {
    check_calls(
        &DECORATED.replacen("def other", "def oth$0er", 1),
        expect![[r#"
            deco.route at deco.py:14:6
        "#]],
        expect![""],
    );
}

#[test]
fn calling_a_partial_of_a_workspace_function_calls_the_function() {
    let fixture = r#"
//- /curry.py
import functools
from functools import partial
def merge(a, b): return a
class Box:
    def __init__(self, size): self.size = size
class Curry:
    def __init__(self):
        self._partial = partial(merge, 1)
        self._box = partial(Box, 1)
    def __call__(self, x):
        return self._partial(x), self._box()
def use():
    p = functools.partial(merge, 1)
    return p(2)
"#;
    check_calls(
        &fixture.replacen("def use", "def u$0se", 1),
        expect![[r#"
            functools.partial at curry.py:13:19
            curry.merge at curry.py:14:12
        "#]],
        expect![""],
    );
    // Through an attribute too; a partial of a class is left alone (what
    // it makes is no function).
    check_calls(
        &fixture.replacen("def __call__", "def __ca$0ll__", 1),
        expect![[r#"
        curry.merge at curry.py:11:21
    "#]],
        expect![""],
    );
}

const PARSER: &str = r#"
//- /parser.py
class Info:
    def hms(self, token): return token
class Ymd(list):
    def put(self, value): self.append(value)
class Parser:
    def __init__(self, info=None):
        self.info = info or Info()
    def parse(self, text):
        info = self.info
        ymd = Ymd()
        return self._token(text, info, ymd=ymd)
    def _token(self, text, info, ymd):
        ymd.put(info.hms(text))
        return self._find(info)
    @staticmethod
    def _find(info):
        return info.hms(1)
    def _lone(self, info):
        return info.hms(3)
def helper(info):
    return info.hms(2)
def run():
    info = Info()
    Parser()._lone(info)
    return helper(info)
def lonely(info):
    return info.hms(4)
//- /other.py
from parser import Info, lonely
def go():
    info = Info()
    return lonely(info)
"#;

#[test]
fn an_unannotated_parameter_is_typed_by_what_its_callers_in_the_file_pass() {
    check_calls(
        &PARSER.replacen("def _token", "def _to$0ken", 1),
        expect![[r#"
            parser.Ymd.put at parser.py:13:13
            parser.Info.hms at parser.py:13:22
            parser.Parser._find at parser.py:14:21
        "#]],
        expect![[r#"
            parser.Parser.parse at parser.py:11:21
        "#]],
    );
    check_calls(
        &PARSER.replacen("def hms", "def h$0ms", 1),
        expect![""],
        expect![[r#"
            parser.Parser._token at parser.py:13:22
            parser.Parser._find at parser.py:17:21
            parser.helper at parser.py:21:17
            parser.lonely at parser.py:27:17
        "#]],
    );
}

/// A module-level function is typed by its calls in the files importing
/// it by name too (`lonely(info)` in other.py); a call through another
/// receiver than `self` types nothing.
#[test]
fn callers_in_importing_files_type_a_module_level_function_s_parameter() {
    check_calls(
        &PARSER.replacen("def lonely", "def lo$0nely", 1),
        expect![[r#"
            parser.Info.hms at parser.py:27:17
        "#]],
        expect![[r#"
        other.go at other.py:4:12
    "#]],
    );
    check_calls(
        &PARSER.replacen("def _lone", "def _lo$0ne", 1),
        expect![""],
        expect![[r#"
        parser.run at parser.py:24:14
    "#]],
    );
}

/// A call through the module imported whole types the parameter too
/// (alias.py); a call of another function imported under the same name
/// types nothing, nor does a parameter of the calling file passed on (no
/// chain of files).
#[test]
fn callers_through_the_module_type_it_and_others_of_the_name_do_not() {
    check_calls(
        r#"
//- /core.py
class Info:
    def hms(self): return 1
class Other:
    def hms(self): return 2
def lo$0nely(info):
    return info.hms()
//- /alias.py
import core
from core import Info
def go():
    info = Info()
    return core.lonely(info)
//- /shadow.py
from other import lonely
from core import Other
def go():
    other = Other()
    return lonely(other)
//- /other.py
def lonely(x): return x
//- /chain.py
from core import lonely
def relay(info):
    return lonely(info)
"#,
        expect![[r#"
            core.Info.hms at core.py:6:17
        "#]],
        expect![[r#"
            alias.go at alias.py:5:17
            chain.relay at chain.py:3:12
        "#]],
    );
}

/// A dict display indexed at once is a dispatch table: calling what it
/// gives calls one of its values; so does a dict display held in a name
/// (the names it holds; what is stored in it later is not known).
#[test]
fn calling_a_dispatch_table_s_entry_calls_its_values() {
    check_calls(
        r#"
//- /rules.py
class Info:
    def yearly(self): return 1
    def monthly(self): return 2
    def unused(self): return 3
def r$0un(freq, ii: Info):
    getset = {1: ii.yearly, 2: ii.monthly,
              3: ii.monthly}[freq]
    table = {1: ii.unused}
    other = table[freq]
    return getset(), other(), table.get(freq)()
"#,
        expect![[r#"
            rules.Info.yearly at rules.py:6:21, rules.py:10:12
            rules.Info.monthly at rules.py:6:35, rules.py:7:21, rules.py:10:12
            rules.Info.unused at rules.py:8:20, rules.py:10:22
            builtins.dict.get at rules.py:10:37
            rules.Info.unused at rules.py:10:31 (implicit call)
        "#]],
        expect![""],
    );
}

/// Iterating a dispatch table gives its keys, not its values; a dict of
/// literals or one with `**` spread holds no handlers.
#[test]
fn a_dispatch_table_s_keys_and_a_dict_of_literals_call_nothing() {
    check_calls(
        r#"
//- /keys.py
def on_a(): return 1
def on_b(): return 2
def r$0un(kind, extra):
    table = {on_a: 1, "b": on_b}
    for key in table:
        key()
    names = {"a": "on_a"}
    spread = {"b": on_b, **extra}
    return names[kind](), spread[kind]()
"#,
        expect![""],
        expect![""],
    );
}

const VISITOR: &str = r#"
//- /visit.py
class Base:
    def _handle_base(self, x): return 0
class Visitor(Base):
    def _handle_int(self, x): return 1
    def _handle_str(self, x): return 2
    def handle(self, x): return 3
    def other(self, x): return 4
    def visit(self, kind, x):
        return getattr(self, "_handle_" + kind)(x)
    def visit_f(self, kind, x):
        method = getattr(self, f"_handle_{kind}", self.other)
        return method(x)
    def named(self, x):
        return getattr(self, "other")(x)
    def suffixed(self, kind, x):
        return getattr(self, kind + "_int")(x), getattr(self, kind)(x)
"#;

/// `getattr(self, "_handle_" + kind)(...)` calls every method of the class
/// (its own and inherited) whose name starts with the prefix; with a
/// default, that too; `getattr(self, "name")` is `self.name`.
#[test]
fn getattr_with_a_literal_prefix_calls_the_methods_it_may_name() {
    check_calls(
        &VISITOR.replacen("def visit(", "def vi$0sit(", 1),
        expect![[r#"
        builtins.getattr at visit.py:9:16
        visit.Base._handle_base at visit.py:9:16 (implicit call)
        visit.Visitor._handle_int at visit.py:9:16 (implicit call)
        visit.Visitor._handle_str at visit.py:9:16 (implicit call)
    "#]],
        expect![""],
    );
    check_calls(
        &VISITOR.replacen("def visit_f", "def visi$0t_f", 1),
        expect![[r#"
        builtins.getattr at visit.py:11:18
        visit.Visitor.other at visit.py:11:56, visit.py:12:16
        visit.Base._handle_base at visit.py:12:16
        visit.Visitor._handle_int at visit.py:12:16
        visit.Visitor._handle_str at visit.py:12:16
    "#]],
        expect![""],
    );
    check_calls(
        &VISITOR.replacen("def named", "def na$0med", 1),
        expect![[r#"
        builtins.getattr at visit.py:14:16
        visit.Visitor.other at visit.py:14:16 (implicit call)
    "#]],
        expect![""],
    );
}

/// A name built from no literal prefix (a suffix, the name alone) may be
/// any member: no call.
#[test]
fn getattr_without_a_prefix_calls_nothing() {
    check_calls(
        &VISITOR.replacen("def suffixed", "def suf$0fixed", 1),
        expect![[r#"
        builtins.getattr at visit.py:16:16, visit.py:16:49
    "#]],
        expect![""],
    );
}

/// `type(self)(...)` and `self.__class__(...)` of a class with a library
/// base construct the instance's class; `type(x)` of a value of unknown
/// type constructs nothing.
#[test]
fn type_of_an_instance_called_constructs_its_class() {
    check_calls(
        r#"
//- /multi.py
class Multi(dict):
    def __init__(self, *args): super().__init__(*args)
    def co$0py(self, other):
        return type(self)(self), self.__class__(self), type(other)(other)
"#,
        expect![[r#"
            builtins.type at multi.py:4:16, multi.py:4:56
            builtins.dict.__class__ at multi.py:4:39
            multi.Multi.__init__ at multi.py:4:39
            multi.Multi.__init__ at multi.py:4:16 (implicit call)
        "#]],
        expect![""],
    );
}

/// `super().__new__(cls)` in `__new__` is a new instance of `cls`: its
/// methods resolve. Twin: of a value of unknown class, nothing.
#[test]
fn super_new_of_cls_is_an_instance_of_the_class() {
    let dict = |argument: &str| {
        format!(
            "//- /omd.py\nclass Omd(dict):\n    def __new__(cls, other):\n        ret = super().__new__({argument})\n        ret._cl$0ear()\n        return ret\n    def _clear(self): pass\n"
        )
    };
    super::tests::check_definition(&dict("cls"), expect!["Method omd.Omd._clear at omd.py:6:9"]);
    super::tests::check_definition(&dict("other"), expect!["unresolved"]);
}
