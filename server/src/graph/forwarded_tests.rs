//! Parameters handed on: a function passed to a parameter that is itself
//! passed to code calling it is called there.

use expect_test::{Expect, expect};

use super::tests::{ROOT, describe_calls, fixture_graph};

/// Checks who calls `lib.double` and what the symbol at the cursor calls.
fn check(fixture: &str, incoming: Expect, outgoing_of_cursor: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
    outgoing_of_cursor.assert_eq(&describe_calls(&graph, graph.callees_with_overrides(symbol)));
    let lib = graph.file_id(std::path::Path::new(&format!("{ROOT}/lib.py"))).unwrap();
    let double = graph.find_in_file(lib, "lib.double").unwrap();
    incoming.assert_eq(&describe_calls(&graph, graph.callers_with_overrides(double)));
}

const LIB: &str = r#"
//- /lib.py
def double(v):
    return v * 2
"#;

/// `map(func, ...)` in `valmap` calls what `valmap`'s callers pass; not a
/// parameter `map` does not call (its iterable), one `sorted` takes no
/// function at (`reverse=`), nor one rebound before it is passed.
#[test]
fn a_parameter_passed_to_a_higher_order_builtin_is_called_there() {
    check(
        &format!(
            "{LIB}//- /main.py
from lib import double
def val$0map(func, d, rows, other, again):
    again = len
    return map(func, d), map(len, rows), sorted(rows, reverse=other), map(again, d)
def main():
    return valmap(double, {{}}, [double], double, double)
"
        ),
        expect![[r#"
            main.valmap at main.py:4:16 (via callback)
        "#]],
        expect![[r#"
            builtins.map at main.py:4:12, main.py:4:26, main.py:4:71
            builtins.sorted at main.py:4:42
            lib.double at main.py:4:16 (via callback)
        "#]],
    );
}

/// `relay` hands `fn` to `apply`, which calls it: what `relay`'s callers
/// pass is called in `apply`. Not where the parameter is handed to one
/// `apply` does not call (`x`), nor to a function that only stores it.
#[test]
fn a_parameter_handed_on_is_called_where_the_receiving_function_calls_it() {
    check(
        &format!(
            "{LIB}//- /main.py
from lib import double
def ap$0ply(fn, x):
    return fn(x)
def keep(fn):
    return [fn]
def relay(fn, other):
    return apply(fn, other), apply(len, other), keep(other)
def main():
    return relay(double, double)
"
        ),
        expect![[r#"
            main.apply at main.py:3:12 (via callback)
        "#]],
        expect![[r#"
            lib.double at main.py:3:12 (via callback)
        "#]],
    );
}

/// A stored parameter's default runs where the attribute is called when
/// the caller passes none (`handler=double`); not a default stored in an
/// attribute nobody calls, nor one of a parameter that is not stored.
#[test]
fn a_stored_default_runs_where_the_attribute_is_called() {
    check(
        &format!(
            "{LIB}//- /main.py
from lib import double
class Excepts:
    def __init__(self, func, handler=double, kept=double, unused=double):
        self.func = func
        self.handler = handler
        self.kept = kept
    def __ca$0ll__(self, x):
        try:
            return self.func(x)
        except ValueError as e:
            return self.handler(e), self.kept
"
        ),
        expect![[r#"
            main.Excepts.__call__ at main.py:11:25 (via callback)
        "#]],
        expect![[r#"
            lib.double at main.py:11:25 (via callback)
        "#]],
    );
}

/// A parameter rebound in an `if` body (`if not callable(key): key =
/// getter(key)`) may still hold what was passed after the `if`: its calls
/// and hand-overs there run it. Not inside that body, nor after an `if` /
/// `else` that rebinds it either way, nor after an unconditional rebinding.
#[test]
fn a_parameter_rebound_in_an_if_body_still_holds_what_was_passed() {
    check(
        &format!(
            "{LIB}//- /main.py
from lib import double
def getter(i):
    return len
def gro$0upby(key, seq, other, last):
    if not callable(key):
        key = getter(key)
        key(seq)
    if not callable(other): other = getter(other)
    if seq:
        last = getter(last)
    else:
        last = getter(0)
    return key(seq), other(seq), last(seq)
def main():
    return groupby(double, [], double, double)
"
        ),
        expect![[r#"
            main.groupby at main.py:13:12, main.py:13:22 (via callback)
        "#]],
        expect![[r#"
            builtins.callable at main.py:5:12, main.py:8:12
            main.getter at main.py:6:15, main.py:8:37, main.py:10:16, main.py:12:16
            lib.double at main.py:13:12, main.py:13:22 (via callback)
        "#]],
    );
}

/// Functions passed to `*fns` are each thing it holds: a loop over it
/// (`for fn in fns: fn(0)`) calls them, and handing its variable on
/// (`[wrap(fn) for fn in fns]`) hands them on. Not a function passed to a
/// named parameter before `*rest` that only `*rest` is called from, nor a
/// loop over something else.
#[test]
fn functions_passed_to_star_args_are_called_through_a_loop_over_them() {
    check(
        &format!(
            "{LIB}//- /main.py
from lib import double
def wrap(func):
    def wrapper(*args):
        return func(*args[1:])
    return wrapper
class Element:
    def __init__(self):
        self.actions = []
    def add_ac$0tion(self, first, *fns, during=False):
        self.actions += [wrap(fn) for fn in fns]
        for fn in fns:
            fn(0)
        for fn in self.actions:
            fn(1)
        return self
def main():
    return Element().add_action(len, double, during=True), Element().add_action(double)
"
        ),
        expect![[r#"
            main.Element.add_action at main.py:12:13 (via callback)
            main.wrap.wrapper at main.py:4:16 (via callback)
        "#]],
        expect![[r#"
            main.wrap at main.py:10:26
            lib.double at main.py:12:13 (via callback)
        "#]],
    );
}
