//! Callbacks: a function passed to code that calls it is called there.

use expect_test::{Expect, expect};

use super::tests::{describe_calls, fixture_graph};

fn check(fixture: &str, incoming: Expect, outgoing_of_cursor: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
    outgoing_of_cursor.assert_eq(&describe_calls(&graph, graph.callees_with_overrides(symbol)));
    let callback = graph.find_in_file(graph.file_id(std::path::Path::new(&format!("{}/lib.py", super::tests::ROOT))).unwrap(), "lib.double").unwrap();
    incoming.assert_eq(&describe_calls(&graph, graph.callers_with_overrides(callback)));
}

const LIB: &str = r#"
//- /lib.py
def double(v):
    return v * 2
def keep(v):
    return v
"#;

#[test]
fn a_function_passed_to_a_parameter_is_called_where_the_parameter_is() {
    check(
        &format!(
            "{LIB}//- /main.py
from lib import double, keep
def ap$0ply(fn, x, *, then=keep):
    def inner():
        return then(x)
    return fn(x), inner()
class Runner:
    def run(self, step, times=1):
        return [step(i) for i in range(times)]
def main():
    apply(double, 1)
    apply(x=2, fn=keep, then=double)
    Runner().run(double)
    return Runner.run(Runner(), keep)
"
        ),
        expect![[r#"
            main.Runner.run at main.py:8:17 (via callback)
            main.apply.inner at main.py:4:16 (via callback)
            main.apply at main.py:5:12 (via callback)
        "#]],
        expect![[r#"
            main.apply.inner at main.py:5:19
            lib.double at main.py:4:16, main.py:5:12 (via callback)
            lib.keep at main.py:4:16, main.py:5:12 (via callback)
        "#]],
    );
}

#[test]
fn a_function_passed_to_a_higher_order_builtin_is_called_there() {
    check(
        &format!(
            "{LIB}//- /main.py
from lib import double, keep
import re
def m$0ain(rows: list):
    rows.sort(key=double)
    first = min(rows, key=keep)
    return sorted(rows, key=double), list(map(double, rows)), re.sub('a', keep, 'b'), first
"
        ),
        expect![[r#"
            main.main at main.py:4:19, main.py:6:29, main.py:6:47 (via callback)
        "#]],
        expect![[r#"
            builtins.list.sort at main.py:4:10
            builtins.min at main.py:5:13
            builtins.sorted at main.py:6:12
            builtins.list at main.py:6:38
            builtins.map at main.py:6:43
            re.sub at main.py:6:66
            lib.keep at main.py:5:27, main.py:6:75 (via callback)
            lib.double at main.py:4:19, main.py:6:29, main.py:6:47 (via callback)
        "#]],
    );
}

/// No callback: a parameter rebound before its call (a direct call of
/// what it is rebound to), a nested function's
/// own parameter of the same name, a parameter stored and never called, a
/// builtin's slot that takes no function, a class passed.
#[test]
fn no_callback_where_the_passed_function_is_not_called() {
    check(
        &format!(
            "{LIB}//- /main.py
from lib import double, keep
def ap$0ply(fn, other):
    stored = [other]
    def inner(fn):
        return fn()
    fn = keep
    return fn(), inner(keep), stored
class Box:
    pass
def main(rows):
    apply(double, double)
    apply(Box, Box)
    return sorted(rows, reverse=double)
"
        ),
        expect![""],
        expect![[r#"
            lib.keep at main.py:7:12
            main.apply.inner at main.py:7:18
            lib.keep at main.py:5:16 (via callback)
        "#]],
    );
}

/// A bound method passed to a higher-order builtin is a call by name there
/// already (`key=self.rank`): one caller, not a callback too.
#[test]
fn a_bound_method_passed_as_a_key_is_one_caller() {
    let (graph, file, offset) = fixture_graph(
        "//- /main.py
class Deck:
    def ra$0nk(self, card):
        return card
    def order(self, cards):
        return sorted(cards, key=self.rank)
",
    );
    let rank = graph.symbol_at(file, offset).unwrap();
    expect![[r#"
        main.Deck.order at main.py:5:39
    "#]]
    .assert_eq(&describe_calls(&graph, graph.callers_with_overrides(rank)));
}

/// A function passed to a method that stores it in an attribute
/// (`self.on_click = on_click`) is called where the attribute is; not
/// where an attribute holds another value (a parameter rebound before it
/// is stored, a default), nor an attribute that is only stored.
#[test]
fn a_function_stored_in_an_attribute_is_called_where_the_attribute_is() {
    check(
        &format!(
            "{LIB}//- /main.py
from lib import double, keep
class Button:
    def __init__(self, on_click, on_hover=None, label=None, kept=None):
        self.on_click = on_click
        self.on_hover = on_hover or keep
        label = keep
        self.label = label
        self.kept = kept
    def cl$0ick(self):
        return self.on_click(1), self.on_hover(2), self.label(3), self.kept
def main():
    button = Button(double, on_hover=double, label=double, kept=double)
    return button.on_click(4)
"
        ),
        expect![[r#"
            main.Button.click at main.py:10:21, main.py:10:39 (via callback)
            main.main at main.py:13:19 (via callback)
        "#]],
        expect![[r#"
            lib.keep at main.py:10:39, main.py:10:57
            lib.double at main.py:10:21, main.py:10:39 (via callback)
        "#]],
    );
}

/// An attribute annotated `Final` (`self.on_key: Final = on_key`) holds
/// what is assigned: a function passed is called where the attribute is;
/// not where one holds a rebound parameter, nor when it is only stored.
#[test]
fn a_function_stored_in_a_final_attribute_is_called_where_the_attribute_is() {
    check(
        &format!(
            "{LIB}//- /main.py
from typing import Final
import typing
from lib import double
class Keys:
    def __init__(self, on_key, on_up, kept):
        self.on_key: Final = on_key
        on_up = len
        self.on_up: typing.Final = on_up
        self.kept: Final = kept
    def pr$0ess(self):
        return self.on_key(1), self.on_up(2), self.kept
def main():
    return Keys(double, double, double)
"
        ),
        expect![[r#"
            main.Keys.press at main.py:11:21 (via callback)
        "#]],
        expect![[r#"
            lib.double at main.py:11:21 (via callback)
        "#]],
    );
}

/// Threads, timers, executors and exit handlers call what they are
/// handed later (`Thread(target=work).start()`): it is called from where
/// it is handed over. Not a function passed where they take none
/// (`name=`, `Timer`'s interval).
#[test]
fn a_function_handed_to_a_thread_timer_executor_or_exit_handler_is_called_from_there() {
    check(
        &format!(
            "{LIB}//- /main.py
import atexit
import threading
from concurrent.futures import ThreadPoolExecutor
from lib import double, keep
def st$0art(pool: ThreadPoolExecutor):
    threading.Thread(target=double).start()
    threading.Thread(None, keep, name=double)
    threading.Timer(1.0, double).start()
    threading.Timer(double, keep)
    pool.submit(double, 1)
    atexit.register(double)
"
        ),
        expect![[r#"
            main.start at main.py:6:29, main.py:8:26, main.py:10:17, main.py:11:21 (via callback)
        "#]],
        expect![[r#"
            threading.Thread at main.py:6:15, main.py:7:15
            threading.Thread.start at main.py:6:37
            threading.Timer at main.py:8:15, main.py:9:15
            threading.Timer.start at main.py:8:34
            concurrent.futures.ThreadPoolExecutor.submit at main.py:10:10
            atexit.register at main.py:11:12
            lib.double at main.py:6:29, main.py:8:26, main.py:10:17, main.py:11:21 (via callback)
            lib.keep at main.py:7:28, main.py:9:29 (via callback)
        "#]],
    );
}

/// Either alternative of a conditional expression passed is passed
/// (`double if fast else keep`); not the name tested.
#[test]
fn both_alternatives_of_a_conditional_argument_are_passed() {
    check(
        &format!(
            "{LIB}//- /main.py
from lib import double, keep
def ap$0ply(fn, x):
    return fn(x)
def main(fast):
    return apply(double if fast else keep, 1), apply(len if double else None, 2)
"
        ),
        expect![[r#"
            main.apply at main.py:3:12 (via callback)
        "#]],
        expect![[r#"
            lib.double at main.py:3:12 (via callback)
            lib.keep at main.py:3:12 (via callback)
        "#]],
    );
}
