//! Fill-in-the-middle context on fixture workspaces: a `$0` cursor, and the
//! snapshot of exactly the files the model would be given (least relevant
//! first), with the token count.

use expect_test::{Expect, expect};

use super::fim::{FimContext, RecentEdit, gather};
use super::tokens::{Encoding, TokenCounter};
use crate::ide::fixture;

fn render(context: &FimContext) -> String {
    let mut out = format!("{} tokens, {} secrets masked\n", context.tokens, context.secrets_masked);
    for file in &context.files {
        out.push_str(&format!("--- {}\n{}", file.path, file.text));
    }
    out
}

fn check_with(spec: &str, budget: usize, recent: &[(&str, &str)], expect: Expect) {
    let (graph, file, offset) = fixture::graph(spec);
    let counter = TokenCounter::with_encoding(Encoding::O200k, 0);
    // A recent edit is written as (path, text it is at).
    let recent: Vec<RecentEdit> = recent
        .iter()
        .map(|(path, needle)| {
            let id = graph.file_id(std::path::Path::new(&format!("{}{path}", fixture::ROOT))).expect("the edited file");
            let at = graph.file(id).unwrap().text().find(needle).expect("the edited text");
            RecentEdit { file: id, offset: at }
        })
        .collect();
    let context = gather(&graph, &counter, file, offset as usize, budget, &recent);
    let exact: usize = context.files.iter().map(|f| counter.count(&format!("{}\n{}", f.path, f.text))).sum();
    assert_eq!(context.tokens, exact, "the count is of what is sent");
    assert!(context.tokens <= budget, "{} tokens over a budget of {budget}", context.tokens);
    expect.assert_eq(&render(&context));
}

fn check(spec: &str, expect: Expect) {
    check_with(spec, 2000, &[], expect);
}

const SHOP: &str = r#"
//- /shop/models.py
class Item:
    """Something for sale.

    More about it.
    """

    def __init__(self, name: str, cents: int) -> None:
        self.name = name
        self.cents = cents

    def cost(self, quantity: int) -> int:
        """Price of `quantity` items."""
        return self.cents * quantity

    @property
    def label(self) -> str:
        return self.name


class Order:
    """A customer's order."""

    lines: list[Item]

    def add(self, item: Item, quantity: int = 1) -> None:
        """Adds a line."""

    def total(self) -> int: ...


def unrelated(x):
    return x
//- /shop/tax.py
RATE = 20

def with_tax(cents: int, *, rate: int = RATE) -> int:
    """Cents plus tax."""
    return cents
"#;

#[test]
fn members_of_the_receiver_being_typed_come_first() {
    check(
        &format!(
            "{SHOP}{}",
            r#"
//- /shop/checkout.py
from .models import Order
from .tax import with_tax


def checkout(order: Order):
    order.$0
"#
        ),
        expect![[r#"
            84 tokens, 0 secrets masked
            --- shop/tax.py
            def with_tax(cents: int, *, rate: int = RATE) -> int:
                """Cents plus tax."""
            --- shop/models.py
            class Order:
                """A customer's order."""
                lines: list[Item]
                def add(self, item: Item, quantity: int = 1) -> None:
                    """Adds a line."""
                def total(self) -> int: ...
        "#]],
    );
}

#[test]
fn the_enclosing_class_and_what_the_function_uses() {
    check(
        &format!(
            "{SHOP}{}",
            r#"
//- /shop/cart.py
from .models import Item
from .tax import with_tax


class Cart:
    """Items waiting to be ordered."""

    def __init__(self) -> None:
        self.items: list[Item] = []

    def price(self) -> int:
        first = Item("a", 1)
        cents = first.cost(2)
        $0

    def clear(self) -> None: ...
"#
        ),
        expect![[r#"
            143 tokens, 0 secrets masked
            --- shop/tax.py
            def with_tax(cents: int, *, rate: int = RATE) -> int:
                """Cents plus tax."""
            --- shop/cart.py
            class Cart:
                """Items waiting to be ordered."""
                def __init__(self) -> None: ...
                items = ...
                def clear(self) -> None: ...
            --- shop/models.py
            class Item:
                """Something for sale."""
                def __init__(self, name: str, cents: int) -> None: ...
                name = ...
                cents = ...
                def cost(self, quantity: int) -> int:
                    """Price of `quantity` items."""
                @property
                def label(self) -> str: ...
        "#]],
    );
}

#[test]
fn a_small_budget_keeps_the_best_and_stays_within_it() {
    check_with(
        &format!(
            "{SHOP}{}",
            r#"
//- /shop/checkout.py
from .models import Order


def checkout(order: Order):
    order.$0
"#
        ),
        40,
        &[],
        expect![[r#"
            29 tokens, 0 secrets masked
            --- shop/models.py
            class Order:
                """A customer's order."""
                lines: list[Item]
                def total(self) -> int: ...
        "#]],
    );
}

#[test]
fn recent_edits_and_callers_are_included() {
    check_with(
        &format!(
            "{SHOP}{}",
            r#"
//- /shop/report.py
from .tax import RATE


def summary(order):
    return describe(order)


def describe(order):
    $0
"#
        ),
        2000,
        &[("/shop/models.py", "return x")],
        expect![[r#"
            26 tokens, 0 secrets masked
            --- shop/tax.py
            RATE = ...
            --- shop/report.py
            def summary(order): ...
            --- shop/models.py
            def unrelated(x): ...
        "#]],
    );
}

#[test]
fn secrets_are_masked_and_bad_offsets_are_harmless() {
    let spec = r#"
//- /conf.py
API_TOKEN: str = "sk-proj-abcdefghij0123456789T3BlbkFJabcdefghij0123456789"

def connect(password="hunter2-very-secret") -> None:
    """Opens the connection with sk-proj-abcdefghij0123456789T3BlbkFJabcdefghij0123456789."""
//- /main.py
from conf import connect, API_TOKEN

def run():
    $0
"#;
    check(
        spec,
        expect![[r#"
            30 tokens, 2 secrets masked
            --- conf.py
            API_TOKEN: str
            def connect(password="«masked»") -> None:
                """Opens the connection with «masked»."""
        "#]],
    );
    let (graph, file, _) = fixture::graph(spec);
    let counter = TokenCounter::with_encoding(Encoding::O200k, 0);
    for offset in [0, 3, 10_000, usize::MAX] {
        let context = gather(&graph, &counter, file, offset, 500, &[]);
        assert!(context.tokens <= 500);
    }
    assert_eq!(gather(&graph, &counter, file, 5, 0, &[]).files, Vec::new());
}

#[test]
fn a_module_receiver_brings_the_names_the_file_takes_from_it() {
    check(
        r#"
//- /pkg/__init__.py
//- /pkg/nodes.py
class Node:
    """Base of all nodes."""

class Const(Node):
    """A constant."""

class Name(Node):
    def __init__(self, name: str) -> None: ...

class Unused(Node):
    """Never used by build.py."""
//- /pkg/build.py
from . import nodes


def make(value):
    first = nodes.Name("x")
    $0


def other():
    return nodes.Const()
"#,
        expect![[r#"
            33 tokens, 0 secrets masked
            --- pkg/nodes.py
            class Const(Node):
                """A constant."""
            class Name(Node):
                def __init__(self, name: str) -> None: ...
        "#]],
    );
}
