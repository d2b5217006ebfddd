use expect_test::{Expect, expect};

use super::*;
use crate::ide::fixture::{self, ROOT};

/// The parameters of `def f{parameters}: ...` (the tests of
/// [`crate::ide::call_arguments`] too).
pub(in crate::ide) fn parameters(parameters: &str) -> Vec<Parameter> {
    let (graph, file, offset) = fixture::graph(&format!("//- /sig.py\ndef $0f{parameters}:\n    ...\n"));
    let Some(Resolved::Symbol(id)) = graph.definition(file, offset) else { panic!("no f") };
    graph.symbol(id).and_then(|s| s.signature).unwrap().parameters.clone()
}

/// Changes the signature of the function at `$0` to `new` and shows every
/// edited file, or the refusal.
pub(in crate::ide) fn check(workspace: &str, new: &str, renames: bool, expected: Expect) {
    let (graph, file, offset) = fixture::graph(workspace);
    let Some(Resolved::Symbol(id)) = graph.definition(file, offset) else { panic!("no function at $0") };
    let old = graph.symbol(id).and_then(|s| s.signature).map(|s| s.parameters.clone()).unwrap_or_default();
    let new = mapping(&old, &parameters(new), renames);
    let shown = match call_site_edits(&graph, id, &new) {
        Ok(edits) => edits
            .files
            .iter()
            .map(|e| {
                let entry = graph.file(e.file).unwrap();
                format!("//- {}\n{}", entry.path.strip_prefix(ROOT).unwrap().display(), apply(entry.text(), &e.replacements))
            })
            .chain(edits.untouched.iter().map(|u| format!("left: {u}\n")))
            .collect::<String>(),
        Err(why) => format!("refused: {why}\n"),
    };
    expected.assert_eq(&shown);
}

/// A function and its calls in another file (the hand-edited `def` of
/// [`crate::ide::stale_calls`]'s tests too).
pub(in crate::ide) const TOTAL: &str = r#"
//- /shop/tax.py
def $0total(items, rate, rounding=2):
    return round(sum(items) * rate, rounding)
//- /shop/use.py
from shop.tax import total

a = total([1], 0.2)
b = total([1], rate=0.2, rounding=0)
c = total(items=[1], rate=0.2)
"#;

#[test]
fn reordered_parameters_take_their_arguments_along() {
    check(
        TOTAL,
        "(rate, items, rounding=2)",
        false,
        expect![[r#"
            //- shop/use.py
            from shop.tax import total

            a = total(0.2, [1])
            b = total(items=[1], rate=0.2, rounding=0)
            c = total(items=[1], rate=0.2)
        "#]],
    );
}

#[test]
fn an_added_parameter_with_a_default_turns_later_positional_arguments_into_keywords() {
    check(
        TOTAL,
        "(items, currency='EUR', rate=1, rounding=2)",
        false,
        expect![[r#"
            //- shop/use.py
            from shop.tax import total

            a = total([1], rate=0.2)
            b = total([1], rate=0.2, rounding=0)
            c = total(items=[1], rate=0.2)
        "#]],
    );
    // At the end: no call changes.
    check(TOTAL, "(items, rate, rounding=2, currency='EUR')", false, expect![""]);
}

#[test]
fn a_removed_parameter_drops_its_arguments_unless_they_have_effects() {
    // The body reads the parameter no more (while it does, the change is refused: signature_guard's tests).
    let unread = TOTAL.replace("* rate, rounding)", "* rate, 2)");
    check(
        &unread,
        "(items, rate)",
        false,
        expect![[r#"
            //- shop/use.py
            from shop.tax import total

            a = total([1], 0.2)
            b = total([1], rate=0.2)
            c = total(items=[1], rate=0.2)
        "#]],
    );
    let effects = unread.replace("rounding=0)", "rounding=digits())");
    check(
        &effects,
        "(items, rate)",
        false,
        expect![[r#"
        refused: the call at shop/use.py:4 cannot be updated: the argument `digits()` would be dropped with its parameter, and it may have effects
    "#]],
    );
}

#[test]
fn a_renamed_parameter_renames_its_keywords() {
    check(
        TOTAL,
        "(items, tax, rounding=2)",
        true,
        expect![[r#"
            //- shop/use.py
            from shop.tax import total

            a = total([1], 0.2)
            b = total([1], tax=0.2, rounding=0)
            c = total(items=[1], tax=0.2)
        "#]],
    );
    // Not read as a rename: `tax` is a new parameter without a default.
    check(
        TOTAL,
        "(items, tax, rounding=2)",
        false,
        expect![[r#"
        refused: the new parameter `tax` has no default, so every call would need a value for it; give it a default
    "#]],
    );
}

#[test]
fn reordering_calls_with_effects_keeps_their_order_by_keywords_or_is_refused() {
    let effects = TOTAL.replace("a = total([1], 0.2)", "a = total(load(), rate())");
    check(
        &effects,
        "(rate, items, rounding=2)",
        false,
        expect![[r#"
            //- shop/use.py
            from shop.tax import total

            a = total(items=load(), rate=rate())
            b = total(items=[1], rate=0.2, rounding=0)
            c = total(items=[1], rate=0.2)
        "#]],
    );
    // Must not: positional-only parameters cannot be given by keyword.
    let positional_only = effects.replace("def $0total(items, rate, rounding=2):", "def $0total(items, rate, /, rounding=2):");
    check(
        &positional_only.replace("b = total([1], rate=0.2, rounding=0)\nc = total(items=[1], rate=0.2)\n", ""),
        "(rate, items, /, rounding=2)",
        false,
        expect![[r#"
        refused: the call at shop/use.py:3 cannot be updated: the new order would evaluate its arguments' calls in another order, and keywords cannot keep it
    "#]],
    );
}

#[test]
fn methods_keep_self_and_calls_through_the_class_pass_it() {
    check(
        r#"
//- /shop/cart.py
class Cart:
    def $0add(self, sku, qty=1):
        return (sku, qty)

    def twice(self, sku):
        return self.add(sku, 2)
//- /shop/use.py
from shop.cart import Cart

cart = Cart()
cart.add("a", 3)
Cart.add(cart, "b", 4)
"#,
        "(self, qty, sku)",
        false,
        expect![[r#"
            //- shop/cart.py
            class Cart:
                def add(self, sku, qty=1):
                    return (sku, qty)

                def twice(self, sku):
                    return self.add(2, sku)
            //- shop/use.py
            from shop.cart import Cart

            cart = Cart()
            cart.add(3, "a")
            Cart.add(cart, 4, "b")
        "#]],
    );
}

#[test]
fn one_argument_a_line_stays_so() {
    check(
        r#"
//- /m.py
def $0send(to, body, retries=0):
    pass

send(
    "a@b",
    "hi",
    retries=3,
)
"#,
        "(body, to, retries=0)",
        false,
        expect![[r#"
            //- m.py
            def send(to, body, retries=0):
                pass

            send(
                "hi",
                "a@b",
                retries=3,
            )
        "#]],
    );
}

#[test]
fn constructor_calls_follow_a_changed_init() {
    check(
        r#"
//- /m.py
class Point:
    def $0__init__(self, x, y):
        self.x, self.y = x, y

p = Point(1, 2)
q = Point(x=1, y=2)
"#,
        "(self, y, x)",
        false,
        expect![[r#"
            //- m.py
            class Point:
                def __init__(self, x, y):
                    self.x, self.y = x, y

            p = Point(2, 1)
            q = Point(x=1, y=2)
        "#]],
    );
}

#[test]
fn calls_that_cannot_be_updated_exactly_are_refused() {
    let refused = |extra: &str| TOTAL.replace("c = total(items=[1], rate=0.2)\n", extra);
    check(
        &refused("args = ([1], 0.2)\nc = total(*args)\n"),
        "(rate, items, rounding=2)",
        false,
        expect![[r#"
        refused: the call at shop/use.py:6 cannot be updated: it passes `*args` or `**kwargs`, whose parameters cannot be told
    "#]],
    );
    check(
        &refused("totals = map(total, [[1]], [0.2])\n"),
        "(rate, items, rounding=2)",
        false,
        expect![[r#"
        refused: shop/use.py:5 refers to `total` without calling it (passed on as a value): the calls made through it cannot be updated
    "#]],
    );
    check(
        &refused("import shop.tax\nc = getattr(shop.tax, \"total\")([1], 0.2)\n"),
        "(rate, items, rounding=2)",
        false,
        expect![[r#"
            refused: `import shop.tax`, used through the namespace package (a folder without `__init__.py`), at shop/use.py:5, may call `total` where the graph does not see it: those calls cannot be updated
        "#]],
    );
    // Must-not twin of `a_decorator_that_only_marks_or_wraps_keeps_the_calls`.
    let decorated = TOTAL.replace("def $0total(", "@register\ndef $0total(");
    check(
        &decorated,
        "(rate, items, rounding=2)",
        false,
        expect![[r#"
        refused: `total` is decorated with `@register`, which may change how it is called
    "#]],
    );
}

#[test]
fn a_method_of_a_hierarchy_is_refused() {
    check(
        r#"
//- /m.py
class Base:
    def $0price(self, qty, sku):
        return 0

class Sub(Base):
    def price(self, qty, sku):
        return 1
"#,
        "(self, sku, qty)",
        false,
        expect![[r#"
            refused: `m.Sub.price` at m.py:6 overrides or is overridden by `price`: the other methods of the hierarchy would keep the old signature
        "#]],
    );
}

#[test]
fn calls_through_an_alias_and_a_class_named_without_a_call_are_followed() {
    check(
        r#"
//- /m.py
def $0move(src, dst):
    return (src, dst)
//- /use.py
from m import move as mv

def f():
    from m import move as local
    return mv("a", "b"), local("c", "d")
"#,
        "(dst, src)",
        false,
        expect![[r#"
            //- use.py
            from m import move as mv

            def f():
                from m import move as local
                return mv("b", "a"), local("d", "c")
        "#]],
    );
    check(
        r#"
//- /m.py
class Box:
    def $0__init__(self, w, h):
        self.w, self.h = w, h

    def put(self, item):
        return item

b = Box(1, 2)
Box.put(b, "apple")
ok = isinstance(b, Box)
"#,
        "(self, h, w)",
        false,
        expect![[r#"
            //- m.py
            class Box:
                def __init__(self, w, h):
                    self.w, self.h = w, h

                def put(self, item):
                    return item

            b = Box(2, 1)
            Box.put(b, "apple")
            ok = isinstance(b, Box)
        "#]],
    );
}

#[test]
fn a_call_the_old_parameters_did_not_accept_either_refuses_the_change() {
    // It may be a call the rewrite misreads: left as it is, it may be left wrong.
    let broken = TOTAL.replace("c = total(items=[1], rate=0.2)", "c = total([1])");
    check(
        &broken,
        "(rate, items, rounding=2)",
        false,
        expect![[r#"
            refused: the call at shop/use.py:5 does not match the old parameters as it reads (`rate` is not given): it cannot be updated exactly; fix or remove it first
        "#]],
    );
}

const THROUGH_TYPE: &str = r#"
//- /app/m.py
class Calc:
    def $0sub(self, a, b):
        return a - b

    def use(self):
        return type(self).sub(self, 9, 4)

def run():
    c = Calc()
    return c.sub(9, 5), Calc.sub(c, 9, 6)
"#;

#[test]
fn a_method_called_through_type_of_an_instance_takes_self_as_an_argument() {
    check(
        THROUGH_TYPE,
        "(self, b, a)",
        false,
        expect![[r#"
            //- app/m.py
            class Calc:
                def sub(self, a, b):
                    return a - b

                def use(self):
                    return type(self).sub(self, 4, 9)

            def run():
                c = Calc()
                return c.sub(5, 9), Calc.sub(c, 6, 9)
        "#]],
    );
}

#[test]
fn a_call_through_type_with_too_many_arguments_refuses() {
    check(
        &THROUGH_TYPE.replace("type(self).sub(self, 9, 4)", "type(self).sub(self, 9, 4, 1)"),
        "(self, b, a)",
        false,
        expect![[r#"
            refused: the call at app/m.py:6 does not match the old parameters as it reads (it passes more positional arguments than `sub` takes): it cannot be updated exactly; fix or remove it first
        "#]],
    );
}

const DOCUMENTED: &str = r#"
//- /shop/tax.py
def $0total(items, rate, rounding=2):
    """Sums and taxes.

    >>> total([1], 0.5)
    0.5

    Or, in prose: total(prices, rate) returns the taxed sum.
    """
    return round(sum(items) * rate, rounding)
"#;

#[test]
fn doctests_that_read_the_same_do_not_stop_the_change_and_examples_are_said() {
    // A rename of a parameter given positionally leaves the doctest as it reads.
    check(
        DOCUMENTED,
        "(items, tax_rate, rounding=2)",
        true,
        expect![[r#"
            left: the docstring at shop/tax.py:2 shows a call of `total`, which is not updated
        "#]],
    );
    check(
        DOCUMENTED,
        "(rate, items, rounding=2)",
        false,
        expect![[r#"
            refused: a doctest at shop/tax.py:2 calls `total` with arguments the change would move: doctests are not updated
        "#]],
    );
}

#[test]
fn a_doctest_passing_a_renamed_parameter_by_keyword_refuses() {
    // Tester case 05, with a parameter added as well.
    let by_keyword = DOCUMENTED.replace(">>> total([1], 0.5)", ">>> total([1], rate=0.5)");
    check(
        &by_keyword,
        "(items, tax_rate, rounding=2, log=None)",
        true,
        expect![[r#"
        refused: a doctest at shop/tax.py:4 passes `rate` by keyword, which the change renames to `tax_rate`: doctests are not updated
    "#]],
    );
    // Must not: the keyword of a parameter the change keeps.
    check(&by_keyword, "(items, rate, rounding=2, log=None)", true, expect![]);
}

#[test]
fn comments_on_the_arguments_lines_move_with_their_arguments() {
    let workspace = r#"
//- /m.py
def $0send(to, body, retries=0):
    pass

send(
    "a@b",  # the customer
    "hi",
    retries=3  # the mail server drops some
)
send(
    "a@b",
    # a comment of its own line
    "hi",
)
"#;
    check(
        &workspace.replace("send(\n    \"a@b\",\n    # a comment of its own line\n    \"hi\",\n)\n", ""),
        "(body, to, retries=0)",
        false,
        expect![[r#"
            //- m.py
            def send(to, body, retries=0):
                pass

            send(
                "hi",
                "a@b",  # the customer
                retries=3  # the mail server drops some
            )
        "#]],
    );
    // Dropped with its argument, the comment goes too.
    check(
        &workspace.replace("send(\n    \"a@b\",\n    # a comment of its own line\n    \"hi\",\n)\n", ""),
        "(to, body)",
        false,
        expect![[r#"
            //- m.py
            def send(to, body, retries=0):
                pass

            send(
                "a@b",  # the customer
                "hi"
            )
        "#]],
    );
    check(
        workspace,
        "(body, to, retries=0)",
        false,
        expect![[r#"
            refused: the call at m.py:9 cannot be updated: comments between its arguments would be lost
        "#]],
    );
}

#[test]
fn an_all_entry_is_no_call_to_update() {
    check(
        &TOTAL.replace("//- /shop/tax.py\n", "//- /shop/tax.py\n__all__ = [\"total\"]\n"),
        "(rate, items, rounding=2)",
        false,
        expect![[r#"
            //- shop/use.py
            from shop.tax import total

            a = total(0.2, [1])
            b = total(items=[1], rate=0.2, rounding=0)
            c = total(items=[1], rate=0.2)
        "#]],
    );
}

#[test]
fn a_positional_parameter_added_before_args_refuses_calls_that_pass_extra_arguments() {
    let workspace = r#"
//- /m.py
def $0call(job, *args, **kwargs):
    return job(*args, **kwargs)

call(print, 1, 2, sep="-")
call(print)
"#;
    check(
        workspace,
        "(job, extra=None, *args, **kwargs)",
        false,
        expect![[r#"
            refused: the call at m.py:4 cannot be updated: its extra positional arguments have no `*args` to go to
        "#]],
    );
    // Twin: after `*args` a new parameter is keyword-only; no call changes.
    check(workspace, "(job, *args, extra=None, **kwargs)", false, expect![""]);
}

#[test]
fn a_removed_parameter_beside_an_added_args_is_not_dropped_at_the_calls() {
    let workspace = "//- /m.py\ndef $0f(a, b, c):\n    return a\n\n\nf(1, 2, 3)\nf(1, b=2, c=3)\n";
    check(
        workspace,
        "(b, a, *args)",
        false,
        expect![[r#"
            refused: 
              - the call at m.py:5 cannot be updated: the argument `3` would be dropped with its parameter, where the added `*args`/`**kwargs` may be meant to take it
              - the call at m.py:6 cannot be updated: the argument `3` would be dropped with its parameter, where the added `*args`/`**kwargs` may be meant to take it
        "#]],
    );
    check(
        workspace,
        "(a, *args)",
        false,
        expect![[r#"
        refused: the call at m.py:6 cannot be updated: the argument `2` would be dropped with its parameter, where the added `*args`/`**kwargs` may be meant to take it
    "#]],
    );
    // Must not: a reorder that keeps every parameter beside the added `*args`.
    check(
        workspace,
        "(b, a, c, *args)",
        false,
        expect![[r#"
        //- m.py
        def f(a, b, c):
            return a


        f(2, 1, 3)
        f(a=1, b=2, c=3)
    "#]],
    );
}

#[test]
fn protocol_methods_and_names_bound_twice_keep_their_parameters() {
    let exit = "//- /m.py\nclass Quiet:\n    def __enter__(self):\n        return self\n\n    def $0__exit__(self, kind, value, tb):\n        return True\n\n\nwith Quiet():\n    pass\n";
    check(
        exit,
        "(self, kind, value)",
        false,
        expect![[r#"
            refused: `__exit__` is called by Python itself (a protocol), not only where the code calls it: its parameters are fixed
        "#]],
    );
    let twice = "//- /m.py\ndef f(a, b):\n    return (\"first\", a, b)\n\n\ndef $0f(a, b):\n    return (\"second\", a, b)\n\n\nprint(f(1, 2))\n";
    check(
        twice,
        "(b, a)",
        false,
        expect![[r#"
            refused: `f` is bound again at m.py:1: which definition a call reaches is not this one alone
        "#]],
    );
    // Twin: `__init__` follows its class's calls.
    let init = "//- /m.py\nclass Box:\n    def $0__init__(self, a, b):\n        self.a = a\n\n\nBox(1, 2)\n";
    check(
        init,
        "(self, b, a)",
        false,
        expect![[r#"
            //- m.py
            class Box:
                def __init__(self, a, b):
                    self.a = a


            Box(2, 1)
        "#]],
    );
}

#[test]
fn enum_hooks_keep_their_parameters() {
    let workspace =
        "//- /m.py\nimport enum\n\n\nclass Color(enum.Enum):\n    RED = 1\n\n    @classmethod\n    def $0_missing_(cls, value):\n        return cls.RED\n";
    check(
        workspace,
        "(cls)",
        false,
        expect![[r#"
            refused: `_missing_` is called by Python itself (a protocol), not only where the code calls it: its parameters are fixed
        "#]],
    );
}

#[path = "signature_change_init_tests.rs"]
mod init;

const CALLABLE: &str = r#"
//- /app/m.py
class Op:
    def $0__call__(self, a, b):
        return a - b

def run():
    op = Op()
    return op(9, 1), Op()(9, 2)
"#;

#[test]
fn the_calls_of_instances_follow_a_change_of_call() {
    check(
        CALLABLE,
        "(self, b, a)",
        false,
        expect![[r#"
        //- app/m.py
        class Op:
            def __call__(self, a, b):
                return a - b

        def run():
            op = Op()
            return op(1, 9), Op()(2, 9)
    "#]],
    );
}

#[test]
fn an_instance_passed_on_refuses_a_change_of_call() {
    check(
        &CALLABLE.replace("return op(9, 1)", "apply(op)\n    return op(9, 1)"),
        "(self, b, a)",
        false,
        expect![[r#"
        refused: an instance of `Op` made at app/m.py:6 is stored, rebound, returned or passed on, where its calls cannot be updated
    "#]],
    );
    check(
        &CALLABLE.replace("op = Op()", "op = Op()\n    ops = [Op()]"),
        "(self, b, a)",
        false,
        expect![[r#"
        refused: an instance of `Op` made at app/m.py:7 is stored, rebound, returned or passed on, where its calls cannot be updated
    "#]],
    );
    check(
        &CALLABLE.replace("return op(9, 1)", "op = max\n    return op(9, 1)"),
        "(self, b, a)",
        false,
        expect![[r#"
        refused: an instance of `Op` made at app/m.py:6 is stored, rebound, returned or passed on, where its calls cannot be updated
    "#]],
    );
    check(
        &CALLABLE.replace("return a - b", "return a - b\n\n    def twice(self):\n        return self(1, 2)"),
        "(self, b, a)",
        false,
        expect![[r#"
        refused: an instance of `Op` calls itself (`self(...)`) in its class: the change refuses rather than guess those calls
    "#]],
    );
}
