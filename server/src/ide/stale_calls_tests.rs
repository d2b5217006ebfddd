use std::path::PathBuf;

use expect_test::{Expect, expect};

use super::*;
use crate::ide::edits::apply;
use crate::ide::fixture::{self, ROOT};
use crate::ide::signature_change::tests::TOTAL;

/// Opens the fixture's `$0` file, edits it by hand (`before` becomes
/// `after`), and shows each diagnostic with the text of every file its fix
/// rewrites, or its refusal. With the fix applied, no call is stale any more.
pub(super) fn check(workspace: &str, before: &str, after: &str, expected: Expect) {
    let (mut graph, file, _) = fixture::graph(workspace);
    let mut baseline = Baseline::of(&graph, file);
    let path = graph.file(file).unwrap().path.clone();
    let text = graph.file(file).unwrap().text().to_string();
    assert!(text.contains(before), "`{before}` is not in the file");
    graph.update_file(&path, &text.replacen(before, after, 1));
    let stale = baseline.stale_calls(&graph, file);
    let mut shown = String::new();
    let mut fixed: Vec<(PathBuf, String)> = Vec::new();
    for calls in &stale {
        shown.push_str(&format!("{}\n", calls.message()));
        for (_, place) in calls.places(&graph) {
            shown.push_str(&format!("  {place}\n"));
        }
        if let Some(title) = calls.fix_title() {
            shown.push_str(&format!("fix: {title}\n"));
        }
        for edit in calls.update.as_deref().unwrap_or_default() {
            let entry = graph.file(edit.file).unwrap();
            let text = apply(entry.text(), &edit.replacements);
            shown.push_str(&format!("//- {}\n{text}", entry.path.strip_prefix(ROOT).unwrap().display()));
            fixed.push((entry.path.clone(), text));
        }
    }
    expected.assert_eq(&shown);
    for (path, text) in fixed {
        graph.update_file(&path, &text);
    }
    let again: Vec<String> = baseline.stale_calls(&graph, file).iter().map(StaleCalls::message).collect();
    assert!(again.is_empty() || stale.iter().any(|s| s.update.is_err()), "stale again after the fix: {again:?}");
}

#[test]
fn a_reorder_whose_calls_still_bind_is_caught_and_fixed() {
    check(
        TOTAL,
        "(items, rate, rounding=2)",
        "(rate, items, rounding=2)",
        expect![[r#"
            2 call sites of `total` pass the old parameters (items, rate, rounding=2)
              call at shop/use.py:3
              call at shop/use.py:4
            fix: update 2 call sites
            //- shop/use.py
            from shop.tax import total

            a = total(0.2, [1])
            b = total(items=[1], rate=0.2, rounding=0)
            c = total(items=[1], rate=0.2)
        "#]],
    );
}

#[test]
fn a_parameter_added_with_a_default_at_the_end_needs_no_update() {
    check(TOTAL, "rounding=2)", "rounding=2, currency='EUR')", expect![""]);
}

#[test]
fn a_parameter_added_with_a_default_before_others_moves_their_arguments_to_keywords() {
    check(
        TOTAL,
        "(items, rate, rounding=2)",
        "(items, currency='EUR', rate=1, rounding=2)",
        expect![[r#"
            1 call site of `total` passes the old parameters (items, rate, rounding=2)
              call at shop/use.py:3
            fix: update 1 call site
            //- shop/use.py
            from shop.tax import total

            a = total([1], rate=0.2)
            b = total([1], rate=0.2, rounding=0)
            c = total(items=[1], rate=0.2)
        "#]],
    );
}

#[test]
fn a_parameter_renamed_follows_its_keyword_arguments() {
    check(
        TOTAL,
        "(items, rate, rounding=2):\n    return round(sum(items) * rate,",
        "(items, tax, rounding=2):\n    return round(sum(items) * tax,",
        expect![[r#"
            2 call sites of `total` pass the old parameters (items, rate, rounding=2); `rate=` is now `tax=`
              call at shop/use.py:4
              call at shop/use.py:5
            fix: update 2 call sites
            //- shop/use.py
            from shop.tax import total

            a = total([1], 0.2)
            b = total([1], tax=0.2, rounding=0)
            c = total(items=[1], tax=0.2)
        "#]],
    );
}

#[test]
fn a_call_the_engine_cannot_update_is_named_and_offers_no_fix() {
    check(
        r#"
//- /geo.py
def $0move(x, y):
    return (x, y)
//- /main.py
from geo import move

point = (1, 2)
a = move(1, 2)
b = move(*point)
"#,
        "(x, y)",
        "(y, x)",
        expect![[r#"
            calls of `move` pass the old parameters (x, y); no update: the call at main.py:5 cannot be updated: it passes `*args` or `**kwargs`, whose parameters cannot be told
        "#]],
    );
}

#[test]
fn a_new_parameter_without_a_default_is_refused_with_the_reason() {
    check(
        TOTAL,
        "rounding=2)",
        "rounding=2, *, currency)",
        expect![[r#"
            calls of `total` pass the old parameters (items, rate, rounding=2); no update: the new parameter `currency` has no default, so every call would need a value for it; give it a default, or let the model propose `currency` at each of the 3 calls
              call at shop/use.py:3
              call at shop/use.py:4
              call at shop/use.py:5
        "#]],
    );
}

#[test]
fn calls_edited_by_hand_are_not_taken_for_old_ones() {
    let (mut graph, file, _) = fixture::graph(TOTAL);
    let mut baseline = Baseline::of(&graph, file);
    let path = |p: &str| PathBuf::from(format!("{ROOT}{p}"));
    let def = graph.file(file).unwrap().text().replacen("(items, rate,", "(rate, items,", 1);
    graph.update_file(&path("/shop/tax.py"), &def);
    let places = |baseline: &mut Baseline, graph: &Graph| -> Vec<String> {
        baseline.stale_calls(graph, file).iter().flat_map(|s| s.places(graph)).map(|(_, place)| place).collect()
    };
    assert_eq!(places(&mut baseline, &graph), ["call at shop/use.py:3", "call at shop/use.py:4"]);
    // The user swaps the first call's arguments: it now reads for the new
    // order, and binds under the old one too; it is not swapped back.
    let use_file = graph.file_id(&path("/shop/use.py")).unwrap();
    let by_hand = graph.file(use_file).unwrap().text().replacen("total([1], 0.2)", "total(0.2, [1])", 1);
    graph.update_file(&path("/shop/use.py"), &by_hand);
    assert_eq!(places(&mut baseline, &graph), ["call at shop/use.py:4"]);
    let by_hand = by_hand.replacen("total([1], rate=0.2", "total(items=[1], rate=0.2", 1);
    graph.update_file(&path("/shop/use.py"), &by_hand);
    assert!(places(&mut baseline, &graph).is_empty());
}

#[test]
fn a_call_left_as_it_was_beside_the_same_call_fixed_on_another_line_is_updated_whatever_ends_the_lines() {
    for end in ["\n", "\r"] {
        let (mut graph, file, _) = fixture::graph(TOTAL);
        let path = |p: &str| PathBuf::from(format!("{ROOT}{p}"));
        let calls = ["from shop.tax import total", "", "a = total([1], 0.2)", "b = total([1], 0.2)", ""].join(end);
        graph.update_file(&path("/shop/use.py"), &calls);
        let mut baseline = Baseline::of(&graph, file);
        let def = graph.file(file).unwrap().text().replacen("(items, rate,", "(rate, items,", 1);
        graph.update_file(&path("/shop/tax.py"), &def);
        let places = |baseline: &mut Baseline, graph: &Graph| -> Vec<String> {
            baseline.stale_calls(graph, file).iter().flat_map(|s| s.places(graph)).map(|(_, place)| place).collect()
        };
        assert_eq!(places(&mut baseline, &graph), ["call at shop/use.py:3", "call at shop/use.py:4"], "{end:?}");
        // The user swaps line 3's arguments by hand: line 4 still reads as
        // it did, on its own line, though its call is spelled as line 3's was.
        graph.update_file(&path("/shop/use.py"), &calls.replacen("a = total([1], 0.2)", "a = total(0.2, [1])", 1));
        assert_eq!(places(&mut baseline, &graph), ["call at shop/use.py:4"], "{end:?}");
    }
}

#[test]
fn mirrored_calls_are_not_swapped_back_once_fixed() {
    check(
        r#"
//- /geo.py
def $0move(x, y):
    return (x, y)

move(1, 2)
move(2, 1)
"#,
        "(x, y)",
        "(y, x)",
        expect![[r#"
            2 call sites of `move` pass the old parameters (x, y)
              call at geo.py:4
              call at geo.py:5
            fix: update 2 call sites
            //- geo.py
            def move(y, x):
                return (x, y)

            move(2, 1)
            move(1, 2)
        "#]],
    );
}

#[test]
fn a_call_edited_before_the_def_is_not_taken_for_an_old_one() {
    let (mut graph, file, _) = fixture::graph(TOTAL);
    let mut baseline = Baseline::of(&graph, file);
    let path = |p: &str| PathBuf::from(format!("{ROOT}{p}"));
    // The user swaps the call's arguments first, then the parameters.
    let use_file = graph.file_id(&path("/shop/use.py")).unwrap();
    let calls = graph.file(use_file).unwrap().text().replacen("total([1], 0.2)", "total(0.2, [1])", 1);
    graph.update_file(&path("/shop/use.py"), &calls);
    assert!(baseline.stale_calls(&graph, file).is_empty());
    let def = graph.file(file).unwrap().text().replacen("(items, rate,", "(rate, items,", 1);
    graph.update_file(&path("/shop/tax.py"), &def);
    let stale: Vec<String> = baseline.stale_calls(&graph, file).iter().flat_map(|s| s.places(&graph)).map(|(_, place)| place).collect();
    // Only the untouched call with `rate=` is left to update.
    assert_eq!(stale, ["call at shop/use.py:4"]);
}

#[test]
fn a_method_reordered_keeps_self_and_updates_calls_on_typed_receivers() {
    check(
        r#"
//- /shop/cart.py
class Cart:
    def $0add(self, item, count):
        return count
//- /main.py
from shop.cart import Cart

cart = Cart()
cart.add("apple", 2)
"#,
        "(self, item, count)",
        "(self, count, item)",
        expect![[r#"
            1 call site of `add` passes the old parameters (self, item, count)
              call at main.py:4
            fix: update 1 call site
            //- main.py
            from shop.cart import Cart

            cart = Cart()
            cart.add(2, "apple")
        "#]],
    );
}

#[test]
fn a_function_nothing_calls_gets_no_diagnostic_whatever_its_decorators() {
    check(
        r#"
//- /app.py
import flask

app = flask.Flask(__name__)

@app.route("/items/<name>")
def $0show(name, page):
    return name
"#,
        "(name, page)",
        "(page, name)",
        expect![""],
    );
}

#[test]
fn overloads_and_property_accessors_sharing_a_name_are_not_taken_for_an_edit() {
    // `get` and `size` are each defined more than once: a call binds to
    // one of them, which the baseline cannot tell. Opened and left as it
    // is, the file has no calls left behind (it had, compared by name).
    check(
        r#"
//- /resp.py
from typing import Literal, overload

class Response:
    @overload
    def get(self, n: int = 1, raw: Literal[False] = False) -> str: ...
    @overload
    def get(self, n: int = 1, *, raw: Literal[True]) -> bytes: ...
    def get(self, n: int = 1, raw: bool = False):
        return ""

    @property
    def size(self):
        return 1

    @size.setter
    def size(self, value):
        pass

    def $0fetch(self):
        return self.get(1)

def use(r: Response):
    # nothing edited
    return r.get(2), r.fetch()
"#,
        "# nothing edited",
        "# nothing edited",
        expect![""],
    );
}

#[test]
fn an_old_call_beside_one_fixed_by_hand_on_its_line_is_still_updated_unless_they_read_alike() {
    let workspace = "//- /m.py\ndef $0total(items, rate):\n    return sum(items) * rate\n\n\nprint(total([1, 2], 0.5), total([3], 1))\n";
    let (mut graph, file, _) = fixture::graph(workspace);
    let mut baseline = Baseline::of(&graph, file);
    let path = PathBuf::from(format!("{ROOT}/m.py"));
    let text = graph.file(file).unwrap().text().replacen("(items, rate)", "(rate, items)", 1);
    let edited = text.replacen("total([1, 2], 0.5)", "total(0.5, [1, 2])", 1);
    graph.update_file(&path, &edited);
    let stale = baseline.stale_calls(&graph, file);
    let fixed: Vec<String> = stale.iter().flat_map(|s| s.update.as_deref().unwrap_or_default()).map(|e| apply(&edited, &e.replacements)).collect();
    assert_eq!(fixed, ["def total(rate, items):\n    return sum(items) * rate\n\n\nprint(total(0.5, [1, 2]), total(1, [3]))\n"]);
    // Twin: the user's fixed call now reads as the other did then: which
    // of the two was written for the old parameters is not known; neither is touched.
    let (mut graph, file, _) = fixture::graph(&workspace.replace("total([1, 2], 0.5), total([3], 1)", "total(1, 2), total(2, 1)"));
    let mut baseline = Baseline::of(&graph, file);
    let text = graph.file(file).unwrap().text().replacen("(items, rate)", "(rate, items)", 1).replacen("total(1, 2)", "total(2, 1)", 1);
    graph.update_file(&path, &text);
    assert!(baseline.stale_calls(&graph, file).iter().all(|s| s.count() == 0));
}

/// Every argument of `f` lands in `*args`/`**kwargs` (tester case 16).
const PASS_THROUGH: &str = r#"
//- /m.py
def $0f(a, b, c=3):
    return (a, b, c)


def use():
    return f(1, 2), f(1, b=2, c=4), f(a=1, b=2)
"#;

#[test]
fn a_def_edited_to_take_everything_refuses_while_the_body_reads_the_old_parameters() {
    // The `def` edited, the body not yet: the fix would drop arguments the body reads.
    check(
        PASS_THROUGH,
        "def f(a, b, c=3):",
        "def f(*args, **kwargs):",
        expect![[r#"
            calls of `f` pass the old parameters (a, b, c=3); no update: the body of `f` still reads the parameter `a`: without it, it would read an undefined name `a` instead; edit the body first
        "#]],
    );
    check(
        PASS_THROUGH,
        "def f(a, b, c=3):",
        "def f(a, c=3):",
        expect![[r#"
            calls of `f` pass the old parameters (a, b, c=3); no update: the body of `f` still reads the parameter `b`: without it, it would read an undefined name `b` instead; edit the body first
        "#]],
    );
}

#[test]
fn calls_that_still_bind_to_an_added_args_and_kwargs_need_no_update() {
    // The body edited too: it reads the new parameters (not globals), and
    // every old call binds to them as written.
    check(PASS_THROUGH, "def f(a, b, c=3):\n    return (a, b, c)", "def f(*args, **kwargs):\n    return (args, kwargs)", expect![""]);
    // Must not: a removed parameter whose arguments no added `*args` takes is still dropped.
    check(
        PASS_THROUGH,
        "def f(a, b, c=3):\n    return (a, b, c)",
        "def f(a, c=3):\n    return (a, c)",
        expect![[r#"
            3 call sites of `f` pass the old parameters (a, b, c=3)
              call at m.py:6
              call at m.py:6
              call at m.py:6
            fix: update 3 call sites
            //- m.py
            def f(a, c=3):
                return (a, c)


            def use():
                return f(1), f(1, c=4), f(a=1)
        "#]],
    );
}

/// `height` loses its default (tester case 13).
const AREA: &str = r#"
//- /m.py
def $0area(width, height=1, unit="m"):
    return f"{width * height}{unit}"


def use():
    return area(2, 3), area(4), area(5, 6, "cm")
"#;

#[test]
fn a_call_relying_on_a_default_the_edit_removed_passes_the_old_literal_default() {
    check(
        AREA,
        "def area(width, height=1, unit=\"m\"):",
        "def area(height, width=1, unit=\"m\"):",
        expect![[r#"
            3 call sites of `area` pass the old parameters (width, height=1, unit="m")
              call at m.py:6
              call at m.py:6
              call at m.py:6
            fix: update 3 call sites
            //- m.py
            def area(height, width=1, unit="m"):
                return f"{width * height}{unit}"


            def use():
                return area(3, 2), area(1, 4), area(6, 5, "cm")
        "#]],
    );
    // Must not: a default that is not a constant is not copied to the call.
    let named = AREA.replace("height=1,", "height=ONE,");
    check(
        &format!("{named}ONE = 1\n"),
        "def area(width, height=ONE, unit=\"m\"):",
        "def area(height, width=1, unit=\"m\"):",
        expect![[r#"
            calls of `area` pass the old parameters (width, height=ONE, unit="m"); no update: the call at m.py:6 cannot be updated: it relies on the old default of `height`, which the new parameter `height` does not have; give it a default, or pass it at this call
        "#]],
    );
}

#[test]
fn a_renamed_parameter_rewrites_only_the_keywords_of_its_own_calls() {
    // A same-named keyword to another callee (nested in the call, or a
    // method of the same name) stays; the message says what becomes what.
    check(
        r#"
//- /shop/tax.py
def $0total(items, rate, rounding=2):
    return round(sum(items) * rate, rounding)
//- /shop/use.py
from shop.tax import total


def other(rate):
    return rate


class Till:
    def total(self, rate):
        return rate


a = total([1], rate=other(rate=0.2))
b = other(rate=0.3)
c = Till().total(rate=1)
d = total([1], 0.2, rounding=total([2], rate=3))
e = total(
    [1],
    rate=0.2)
"#,
        "(items, rate, rounding=2):\n    return round(sum(items) * rate,",
        "(items, tax, rounding=2):\n    return round(sum(items) * tax,",
        expect![[r#"
            3 call sites of `total` pass the old parameters (items, rate, rounding=2); `rate=` is now `tax=`
              call at shop/use.py:13
              call at shop/use.py:16
              call at shop/use.py:18
            fix: update 3 call sites
            //- shop/use.py
            from shop.tax import total


            def other(rate):
                return rate


            class Till:
                def total(self, rate):
                    return rate


            a = total([1], tax=other(rate=0.2))
            b = other(rate=0.3)
            c = Till().total(rate=1)
            d = total([1], 0.2, rounding=total([2], tax=3))
            e = total(
                [1],
                tax=0.2)
        "#]],
    );
    // A `**kwargs` pass-through, or the function passed on as a value: what
    // reaches it by keyword cannot be told, so nothing is rewritten.
    check(
        r#"
//- /shop/tax.py
def $0total(items, rate, rounding=2):
    return round(sum(items) * rate, rounding)
//- /shop/use.py
import functools
from shop.tax import total


def wrap(**kw):
    return total([1], **kw)


a = total([1], rate=0.2)
b = wrap(rate=0.2)
c = functools.partial(total, rate=0.2)
"#,
        "(items, rate, rounding=2):\n    return round(sum(items) * rate,",
        "(items, tax, rounding=2):\n    return round(sum(items) * tax,",
        expect![[r#"
            calls of `total` pass the old parameters (items, rate, rounding=2); `rate=` is now `tax=`; no update: the call at shop/use.py:6 cannot be updated: it passes `*args` or `**kwargs`, whose parameters cannot be told
        "#]],
    );
}
