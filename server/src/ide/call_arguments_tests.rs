use expect_test::{Expect, expect};

use super::*;
use crate::actions::call_arguments::proposals;
use crate::ide::fixture::{self, ROOT};
use crate::ide::signature_change::mapping;

/// A function and its calls: one in a function, one at module level.
const CHECKOUT: &str = r#"
//- /shop/tax.py
def $0total(items, rate):
    return sum(items) * rate
//- /shop/use.py
from shop.tax import total

CURRENCY = 'EUR'

def checkout(cart):
    a = total(cart, 0.2)
    late = 1
    return a

b = total([1], rate=0.2)
LATER = 2
"#;

/// Gives the function at `$0` the parameters `new`, asks for the
/// arguments of its new ones, and shows each call with what the model is
/// told of it, then the files with `reply`'s arguments in place or the
/// reason for each call refused.
fn check(workspace: &str, new: &str, reply: &str, expected: Expect) {
    let (graph, file, offset) = fixture::graph(workspace);
    let Some(Resolved::Symbol(id)) = graph.definition(file, offset) else { panic!("no function at $0") };
    let old = graph.symbol(id).and_then(|s| s.signature).map(|s| s.parameters.clone()).unwrap_or_default();
    let new = mapping(&old, &crate::ide::signature_change::tests::parameters(new), false);
    let shown = match asking(&graph, id, &old, &new, &|_| true) {
        Err(why) => format!("refused before asking: {why}\n"),
        Ok(asking) => {
            let mut shown: String = asking
                .sites
                .iter()
                .enumerate()
                .map(|(i, site)| {
                    let context = site_context(&graph, site);
                    let within = context.within.map(|w| format!(" in {w}")).unwrap_or_default();
                    format!("call {} at {}{within} needs {}; names: {}\n", i + 1, context.place, site.parameters.join(", "), context.names.join(" "))
                })
                .collect();
            match fill(&graph, &asking, &proposals(reply)) {
                Ok(files) => {
                    for filled in files {
                        let path = graph.file(filled.file).unwrap().path.strip_prefix(ROOT).unwrap().display().to_string();
                        shown.push_str(&format!("//- {path}\n{}", filled.text));
                    }
                }
                Err(reasons) => shown.extend(reasons.iter().map(|r| format!("refused: {r}\n"))),
            }
            shown
        }
    };
    expected.assert_eq(&shown);
}

#[test]
fn each_call_gets_its_checked_argument_by_position_or_keyword() {
    check(
        CHECKOUT,
        "(items, rate, currency)",
        "1: currency = CURRENCY\n2: currency = 'USD'\n",
        expect![[r#"
            call 1 at shop/use.py:6 in shop.use.checkout needs currency; names: cart total CURRENCY checkout b LATER
            call 2 at shop/use.py:10 needs currency; names: total CURRENCY checkout
            //- shop/use.py
            from shop.tax import total

            CURRENCY = 'EUR'

            def checkout(cart):
                a = total(cart, 0.2, CURRENCY)
                late = 1
                return a

            b = total([1], rate=0.2, currency='USD')
            LATER = 2
        "#]],
    );
}

#[test]
fn a_name_defined_nowhere_refuses_the_whole_update() {
    check(
        CHECKOUT,
        "(items, rate, currency)",
        "1: currency = cart.currency\n2: currency = order.currency\n",
        expect![[r#"
        call 1 at shop/use.py:6 in shop.use.checkout needs currency; names: cart total CURRENCY checkout b LATER
        call 2 at shop/use.py:10 needs currency; names: total CURRENCY checkout
        refused: call 2 (shop/use.py:10): `currency` = `order.currency`: `order` is not defined at this call
    "#]],
    );
}

#[test]
fn a_local_bound_after_the_call_is_refused_and_one_bound_before_is_not() {
    check(
        CHECKOUT,
        "(items, rate, currency)",
        "1: currency = late\n2: currency = CURRENCY\n",
        expect![[r#"
        call 1 at shop/use.py:6 in shop.use.checkout needs currency; names: cart total CURRENCY checkout b LATER
        call 2 at shop/use.py:10 needs currency; names: total CURRENCY checkout
        refused: call 1 (shop/use.py:6): `currency` = `late`: `late` is only bound after this call
    "#]],
    );
    check(
        CHECKOUT,
        "(items, rate, currency)",
        "1: currency = cart\n2: currency = CURRENCY\n",
        expect![[r#"
        call 1 at shop/use.py:6 in shop.use.checkout needs currency; names: cart total CURRENCY checkout b LATER
        call 2 at shop/use.py:10 needs currency; names: total CURRENCY checkout
        //- shop/use.py
        from shop.tax import total

        CURRENCY = 'EUR'

        def checkout(cart):
            a = total(cart, 0.2, cart)
            late = 1
            return a

        b = total([1], rate=0.2, currency=CURRENCY)
        LATER = 2
    "#]],
    );
}

#[test]
fn a_module_name_defined_after_a_module_level_call_is_refused_but_not_in_a_function() {
    check(
        CHECKOUT,
        "(items, rate, currency)",
        "1: currency = LATER\n2: currency = LATER\n",
        expect![[r#"
        call 1 at shop/use.py:6 in shop.use.checkout needs currency; names: cart total CURRENCY checkout b LATER
        call 2 at shop/use.py:10 needs currency; names: total CURRENCY checkout
        refused: call 2 (shop/use.py:10): `currency` = `LATER`: `LATER` is only defined after this call
    "#]],
    );
}

#[test]
fn a_missing_call_and_a_call_answered_twice_are_refused() {
    check(
        CHECKOUT,
        "(items, rate, currency)",
        "1: currency = 'A'\n1: currency = 'B'\n",
        expect![[r#"
        call 1 at shop/use.py:6 in shop.use.checkout needs currency; names: cart total CURRENCY checkout b LATER
        call 2 at shop/use.py:10 needs currency; names: total CURRENCY checkout
        refused: call 1 (shop/use.py:6): the reply gives `currency` more than once
        refused: call 2 (shop/use.py:10): the reply gives no `currency`
    "#]],
    );
    // The same answer twice (in prose and in a fence) is one answer.
    check(
        CHECKOUT,
        "(items, rate, currency)",
        "1: currency = 'A'\n```\n1: currency = 'A'\n2: currency = 'B'\n```",
        expect![[r#"
        call 1 at shop/use.py:6 in shop.use.checkout needs currency; names: cart total CURRENCY checkout b LATER
        call 2 at shop/use.py:10 needs currency; names: total CURRENCY checkout
        //- shop/use.py
        from shop.tax import total

        CURRENCY = 'EUR'

        def checkout(cart):
            a = total(cart, 0.2, 'A')
            late = 1
            return a

        b = total([1], rate=0.2, currency='B')
        LATER = 2
    "#]],
    );
}

#[test]
fn walrus_yield_await_and_several_expressions_are_refused() {
    check(
        CHECKOUT,
        "(items, rate, currency)",
        "1: currency = (c := 'EUR')\n2: currency = (yield)\n",
        expect![[r#"
        call 1 at shop/use.py:6 in shop.use.checkout needs currency; names: cart total CURRENCY checkout b LATER
        call 2 at shop/use.py:10 needs currency; names: total CURRENCY checkout
        refused: call 1 (shop/use.py:6): `currency`: it assigns with `:=`
        refused: call 2 (shop/use.py:10): `currency`: it yields
    "#]],
    );
    check(
        CHECKOUT,
        "(items, rate, currency)",
        "1: currency = await cart.currency()\n2: currency = CURRENCY\n",
        expect![[r#"
        call 1 at shop/use.py:6 in shop.use.checkout needs currency; names: cart total CURRENCY checkout b LATER
        call 2 at shop/use.py:10 needs currency; names: total CURRENCY checkout
        refused: call 1 (shop/use.py:6): `currency` = `await cart.currency()`: it uses `await` outside an `async def`
    "#]],
    );
    check(
        CHECKOUT,
        "(items, rate, currency)",
        "1: currency = *cart\n2: currency = 'EUR', 'USD'\n",
        expect![[r#"
        call 1 at shop/use.py:6 in shop.use.checkout needs currency; names: cart total CURRENCY checkout b LATER
        call 2 at shop/use.py:10 needs currency; names: total CURRENCY checkout
        refused: call 1 (shop/use.py:6): `currency`: not one Python expression
        refused: call 2 (shop/use.py:10): `currency`: several expressions, not one
    "#]],
    );
    // Parenthesized, the tuple is one argument (a comment after it left
    // out); a lambda reads its own parameter.
    check(
        CHECKOUT,
        "(items, rate, currency)",
        "1: currency = ('EUR', 'USD')  # both\n2: currency = lambda c: c or CURRENCY\n",
        expect![[r#"
        call 1 at shop/use.py:6 in shop.use.checkout needs currency; names: cart total CURRENCY checkout b LATER
        call 2 at shop/use.py:10 needs currency; names: total CURRENCY checkout
        //- shop/use.py
        from shop.tax import total

        CURRENCY = 'EUR'

        def checkout(cart):
            a = total(cart, 0.2, ('EUR', 'USD'))
            late = 1
            return a

        b = total([1], rate=0.2, currency=lambda c: c or CURRENCY)
        LATER = 2
    "#]],
    );
}

#[test]
fn await_inside_an_async_def_is_accepted() {
    let workspace = r#"
//- /shop/tax.py
def $0total(items):
    return sum(items)
//- /shop/use.py
from shop.tax import total

async def checkout(cart):
    return total(cart)
"#;
    check(
        workspace,
        "(items, currency)",
        "1: currency = await cart.currency()\n",
        expect![[r#"
        call 1 at shop/use.py:4 in shop.use.checkout needs currency; names: cart total checkout
        //- shop/use.py
        from shop.tax import total

        async def checkout(cart):
            return total(cart, await cart.currency())
    "#]],
    );
}

#[test]
fn a_call_without_arguments_and_a_method_get_theirs() {
    let workspace = r#"
//- /shop/tax.py
class Till:
    def $0ring(self):
        return 0

def use(till: Till, region):
    till.ring()
    Till.ring(till)
"#;
    check(
        workspace,
        "(self, region)",
        "1: region = region\n2: region = region\n",
        expect![[r#"
        call 1 at shop/tax.py:6 in shop.tax.use needs region; names: till region Till use
        call 2 at shop/tax.py:7 in shop.tax.use needs region; names: till region Till use
        //- shop/tax.py
        class Till:
            def ring(self):
                return 0

        def use(till: Till, region):
            till.ring(region)
            Till.ring(till, region)
    "#]],
    );
}

#[test]
fn a_call_passing_the_new_name_to_kwargs_is_refused_before_the_model_is_asked() {
    let workspace = r#"
//- /shop/tax.py
def $0total(items, **extra):
    return sum(items)

total([1], currency='EUR')
"#;
    check(
        workspace,
        "(items, currency, **extra)",
        "",
        expect![[r#"
        refused before asking: the call at shop/tax.py:4 cannot be updated: it passes `currency=` already
    "#]],
    );
}
