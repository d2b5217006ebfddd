//! Assembled context on small fixture workspaces. A fixture is a set of
//! files (`//- path` headers) with `$0` on the cursor's line; the snapshot
//! is the token account followed by exactly the text that would be sent.

use std::path::PathBuf;

use expect_test::{Expect, expect};

use super::*;
use crate::llm::ProviderKind;

struct Fixture {
    root: PathBuf,
    file: PathBuf,
    source: String,
    line: usize,
}

impl Fixture {
    fn new(spec: &str) -> Self {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let root = std::env::temp_dir().join(format!("pyloom-context-{}-{n}", std::process::id()));
        let mut target = None;
        for chunk in spec.split("//- ").filter(|c| !c.trim().is_empty()) {
            let (path, text) = chunk.split_once('\n').expect("a path line");
            let text = trim_indent(text);
            let path = root.join(path.trim());
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            if let Some(offset) = text.find("$0") {
                let line = text[..offset].matches('\n').count() + 1;
                let source = text.replace("$0", "");
                target = Some((path.clone(), source.clone(), line));
                std::fs::write(&path, source).unwrap();
            } else {
                std::fs::write(&path, text).unwrap();
            }
        }
        let (file, source, line) = target.expect("a $0 cursor");
        Self { root, file, source, line }
    }

    fn context(&self, budget: usize, settings: &ContextSettings) -> Result<Context, String> {
        let counter = TokenCounter::for_model(ProviderKind::OpenAi, "gpt-4o", None);
        assemble(&self.root, &self.file, &self.source, self.line, budget, settings, &counter)
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn trim_indent(text: &str) -> String {
    let indent = text.lines().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    text.lines().map(|l| l.get(indent..).unwrap_or("").trim_end()).collect::<Vec<_>>().join("\n") + "\n"
}

fn check_with(spec: &str, budget: usize, settings: ContextSettings, expect: Expect) {
    let fixture = Fixture::new(spec);
    let context = fixture.context(budget, &settings).unwrap();
    let p = &context.packed;
    assert!(p.level1.used <= p.level1.budget && p.level2.used <= p.level2.budget, "{}", context.account());
    assert!(p.tokens <= p.level1.budget + p.level2.budget);
    expect.assert_eq(&format!("{}---\n{}", context.account(), p.text));
}

fn check(spec: &str, budget: usize, expect: Expect) {
    check_with(spec, budget, ContextSettings::default(), expect);
}

const SHOP: &str = r#"
//- shop/models.py
class Item:
    """Something for sale."""

    def __init__(self, name, price):
        self.name = name
        self.price = price

    def cost(self, quantity):
        """Price of `quantity` items."""
        return self.price * quantity


class Warehouse:
    """Where items wait."""

    def stock(self, item):
        return 0
//- shop/pricing.py
from .models import Item


def total(lines, shipping=0):
    """Sum of the lines plus shipping."""
    return sum(line_cost(item, qty) for item, qty in lines) + shipping$0


def line_cost(item: Item, qty):
    # delegate to the item
    return item.cost(qty)


def invoice(lines):
    """A printable invoice."""
    return f"Total: {total(lines)}"


def unrelated():
    return 42
"#;

#[test]
fn level_one_is_the_target_and_its_neighbours_level_two_the_next_ring() {
    check(
        SHOP,
        4000,
        expect![[r#"
            context for shop/pricing.py:4 `total`: 238 tokens of a 4000 budget (o200k_base, 0% margin: 4000 usable)
              level 1: 146 of 1600 tokens, 3 included, 0 left out
              level 2: 93 of 2654 tokens, 4 included, 0 left out
              reserve: 3762 tokens for instructions and the answer
              secrets masked: 0
            ---
            ## Level 1: the target and what it directly uses or is used by

            ### shop/pricing.py:4 `total` (target)
            ```python
            def total(lines, shipping=0):
                """Sum of the lines plus shipping."""
                return sum(line_cost(item, qty) for item, qty in lines) + shipping
            ```

            ### shop/pricing.py:9 `line_cost`
            ```python
            def line_cost(item: Item, qty):
                # delegate to the item
                return item.cost(qty)
            ```

            ### shop/pricing.py:14 `invoice`
            ```python
            def invoice(lines):
                """A printable invoice."""
                return f"Total: {total(lines)}"
            ```

            ## Level 2: the next ring (signatures and first docstring lines)
            - shop/models.py:1 `class Item:` Something for sale.
            - shop/models.py:8 (in `Item`) `def cost(self, quantity):` Price of `quantity` items.
            - shop/models.py:4 (in `Item`) `def __init__(self, name, price):`
            - shop/pricing.py:19 `def unrelated():`
        "#]],
    );
}

#[test]
fn a_tight_budget_compresses_level_one_but_keeps_strings_whole() {
    let spec = r#"
//- app.py
def render(user):
    # Greeting first.

    template = """Hello {name},

    # this line is part of the string, not a comment
    """  # the template
    return template.format(name=user)$0


def main():
    # call it
    print(render("ada"))
"#;
    let settings = ContextSettings { level1_percent: 50, ..ContextSettings::default() };
    check_with(
        spec,
        190,
        settings,
        expect![[r#"
            context for app.py:1 `render`: 90 tokens of a 190 budget (o200k_base, 0% margin: 190 usable)
              level 1: 90 of 95 tokens, 2 included, 0 left out, compressed
              level 2: 0 of 62 tokens, 0 included, 0 left out
              reserve: 100 tokens for instructions and the answer
              secrets masked: 0
            ---
            ## Level 1: the target and what it directly uses or is used by

            ### app.py:1 `render` (target)
            ```python
            def render(user):
                template = """Hello {name},

                # this line is part of the string, not a comment
                """
                return template.format(name=user)
            ```

            ### app.py:11 `main`
            ```python
            def main():
                print(render("ada"))
            ```
        "#]],
    );
}

#[test]
fn secrets_are_masked_in_code_and_in_signatures() {
    let spec = r#"
//- client.py
API_TOKEN = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"


def connect(host, password="hunter2-prod"):
    """Open a session."""
    reconnect(host)
    return Session(host, token=API_TOKEN, password=password)


def reconnect(host, api_key="sk-proj-abcdefghijklmnopqrstuvwxyz0123"):
    """Try again."""


def fetch(host):
    return connect(host)$0


class Session:
    def __init__(self, host, token, password):
        self.aws = "AKIAIOSFODNN7EXAMPLE"
"#;
    check(
        spec,
        2000,
        expect![[r#"
            context for client.py:14 `fetch`: 160 tokens of a 2000 budget (o200k_base, 0% margin: 2000 usable)
              level 1: 88 of 800 tokens, 2 included, 0 left out
              level 2: 73 of 1312 tokens, 3 included, 0 left out
              reserve: 1840 tokens for instructions and the answer
              secrets masked: 2
            ---
            ## Level 1: the target and what it directly uses or is used by

            ### client.py:14 `fetch` (target)
            ```python
            def fetch(host):
                return connect(host)
            ```

            ### client.py:4 `connect`
            ```python
            def connect(host, password="«masked»"):
                """Open a session."""
                reconnect(host)
                return Session(host, token=API_TOKEN, password=password)
            ```

            ## Level 2: the next ring (signatures and first docstring lines)
            - client.py:18 `class Session:`
            - client.py:10 `def reconnect(host, api_key="«masked»"):` Try again.
            - client.py:19 (in `Session`) `def __init__(self, host, token, password):`
        "#]],
    );
}

#[test]
fn budgets_hold_to_the_token_for_every_target_and_budget() {
    let fixture = Fixture::new(SHOP);
    for budget in [0, 60, 100, 150, 200, 300, 500, 1000] {
        for line in 1..=fixture.source.lines().count() {
            let f = Fixture { root: fixture.root.clone(), file: fixture.file.clone(), source: fixture.source.clone(), line };
            let result = f.context(budget, &ContextSettings::default());
            std::mem::forget(f); // the root belongs to `fixture`
            let Ok(context) = result else { continue };
            let p = &context.packed;
            assert!(p.level1.used <= p.level1.budget, "line {line} budget {budget}: {}", context.account());
            assert!(p.level2.used <= p.level2.budget, "line {line} budget {budget}: {}", context.account());
            assert!(p.tokens + budget * 30 / 100 <= budget, "line {line} budget {budget}: reserve kept");
        }
    }
}

#[test]
fn a_line_outside_the_file_is_an_error() {
    let mut fixture = Fixture::new("//- a.py\nx = 1$0\n");
    fixture.line = 7;
    let error = fixture.context(1000, &ContextSettings::default()).unwrap_err();
    assert!(error.starts_with("line 7 is outside"), "{error}");
}

pub(super) fn check_in_graph(spec: &str, budget: usize, expect: Expect) {
    let context = context_in_graph(spec, budget);
    let p = &context.packed;
    assert!(p.level1.used <= p.level1.budget && p.level2.used <= p.level2.budget, "{}", context.account());
    expect.assert_eq(&format!("{}---\n{}", context.account(), p.text));
}

/// The context at the fixture's cursor, assembled from its workspace graph.
fn context_in_graph(spec: &str, budget: usize) -> Context {
    context_with_library(spec, budget, None)
}

/// [`context_in_graph`] with a library for the names outside the workspace.
fn context_with_library(spec: &str, budget: usize, library: Option<std::sync::Arc<crate::graph::Library>>) -> Context {
    let fixture = Fixture::new(spec);
    let root = std::fs::canonicalize(&fixture.root).unwrap();
    let mut inputs = Vec::new();
    for entry in ignore::Walk::new(&root).flatten().filter(|e| e.path().extension().is_some_and(|x| x == "py")) {
        let text = std::fs::read_to_string(entry.path()).unwrap();
        inputs.push(crate::graph::FileInput { path: entry.path().to_owned(), text: text.into(), summary: None });
    }
    let graph = crate::graph::Graph::build(vec![root.clone()], inputs, library);
    let file = graph.file_id(&root.join(fixture.file.strip_prefix(&fixture.root).unwrap())).unwrap();
    let counter = TokenCounter::for_model(ProviderKind::OpenAi, "gpt-4o", None);
    let names = NameCounts::new(&graph);
    assemble_in_graph(&graph, &names, file, fixture.line, budget, &ContextSettings::default(), &counter).unwrap()
}

#[test]
fn in_the_workspace_graph_neighbours_come_from_every_file() {
    let spec = r#"
//- shop/__init__.py
//- shop/models.py
class Item:
    """Something for sale."""

    def cost(self, quantity):
        """Price of `quantity` items."""
        return self.price * quantity$0


class Discounted(Item):
    """An item with a discount."""

    def cost(self, quantity):
        return Item.cost(self, quantity) // 2
//- shop/billing.py
from shop.models import Item


def bill(item: Item):
    """A bill for one item."""
    return charge(item.cost(1))


def charge(amount):
    return amount


def report():
    return bill(Item())
"#;
    check_in_graph(
        spec,
        4000,
        expect![[r#"
            context for shop/models.py:4 `Item.cost`: 205 tokens of a 4000 budget (o200k_base, 0% margin: 4000 usable)
              level 1: 130 of 1600 tokens, 3 included, 0 left out
              level 2: 76 of 2670 tokens, 4 included, 0 left out
              reserve: 3795 tokens for instructions and the answer
              secrets masked: 0
            ---
            ## Level 1: the target and what it directly uses or is used by

            ### shop/models.py:4 `Item.cost` (target)
            ```python
                def cost(self, quantity):
                    """Price of `quantity` items."""
                    return self.price * quantity
            ```

            ### shop/billing.py:4 `bill`
            ```python
            def bill(item: Item):
                """A bill for one item."""
                return charge(item.cost(1))
            ```

            ### shop/models.py:12 `Discounted.cost`
            ```python
                def cost(self, quantity):
                    return Item.cost(self, quantity) // 2
            ```

            ## Level 2: the next ring (signatures and first docstring lines)
            - shop/models.py:1 `class Item:` Something for sale.
            - shop/billing.py:13 `def report():`
            - shop/models.py:9 `class Discounted(Item):` An item with a discount.
            - shop/billing.py:9 `def charge(amount):`
        "#]],
    );
}

const STUB: &str = r#"
//- shop/__init__.py
//- shop/rates.py
"""Tax rates."""


def tax_rate(region: str) -> float:
    """The tax rate of a region.

    Looked up in the table."""
    return 0.2


def unused_here():
    return 1
//- shop/money.py
class Money:
    """An amount in cents."""


def rounded(amount):
    return round(amount, 2)
//- shop/cart.py
from shop.rates import tax_rate
from shop import money
import os


class Cart:
    """What a customer is about to buy."""

    def __init__(self):
        self.lines = []

    def total(self, region):
        """Subtotal plus the region's tax."""
        ...$0


def checkout(cart: Cart):
    return cart.total("eu")
"#;

#[test]
fn a_stub_gets_its_class_its_callers_and_the_signatures_its_module_imports() {
    check_in_graph(
        STUB,
        4000,
        expect![[r#"
        context for shop/cart.py:12 `Cart.total`: 169 tokens of a 4000 budget (o200k_base, 0% margin: 4000 usable)
          level 1: 80 of 1600 tokens, 2 included, 0 left out
          level 2: 90 of 2720 tokens, 4 included, 0 left out
          reserve: 3831 tokens for instructions and the answer
          secrets masked: 0
        ---
        ## Level 1: the target and what it directly uses or is used by

        ### shop/cart.py:12 `Cart.total` (target)
        ```python
            def total(self, region):
                """Subtotal plus the region's tax."""
                ...
        ```

        ### shop/cart.py:17 `checkout`
        ```python
        def checkout(cart: Cart):
            return cart.total("eu")
        ```

        ## Level 2: the next ring (signatures and first docstring lines)
        - shop/cart.py:6 `class Cart:` What a customer is about to buy.
        - shop/rates.py:4 `def tax_rate(region: str) -> float:` The tax rate of a region.
        - shop/money.py:1 `class Money:` An amount in cents.
        - shop/money.py:5 `def rounded(amount):`
    "#]],
    );
}

#[test]
fn a_tight_budget_leaves_out_the_lowest_ranked_imports_first() {
    let context = context_in_graph(STUB, 210);
    let level2 = &context.packed.level2;
    assert_eq!((level2.included, level2.omitted), (2, 2), "{}", context.account());
    // The class and the import by name stay; the whole module's two go.
    let kept = "- shop/cart.py:6 `class Cart:` What a customer is about to buy.\n\
                - shop/rates.py:4 `def tax_rate(region: str) -> float:` The tax rate of a region.\n";
    assert!(context.packed.text.ends_with(kept), "{}", context.packed.text);
}

#[test]
fn imports_the_target_calls_stay_level_one_code_and_imported_modules_give_signatures() {
    let spec = r#"
//- shop/__init__.py
//- shop/rates.py
def tax_rate(region):
    """The tax rate of a region."""
    return 0.2
//- shop/money.py
def rounded(amount):
    return round(amount, 2)
//- shop/cart.py
import shop.money
from shop.rates import tax_rate as rate


def total(amount, region):
    return amount * (1 + rate(region))$0
"#;
    check_in_graph(
        spec,
        4000,
        expect![[r#"
        context for shop/cart.py:5 `total`: 117 tokens of a 4000 budget (o200k_base, 0% margin: 4000 usable)
          level 1: 87 of 1600 tokens, 2 included, 0 left out
          level 2: 31 of 2713 tokens, 1 included, 0 left out
          reserve: 3883 tokens for instructions and the answer
          secrets masked: 0
        ---
        ## Level 1: the target and what it directly uses or is used by

        ### shop/cart.py:5 `total` (target)
        ```python
        def total(amount, region):
            return amount * (1 + rate(region))
        ```

        ### shop/rates.py:1 `tax_rate`
        ```python
        def tax_rate(region):
            """The tax rate of a region."""
            return 0.2
        ```

        ## Level 2: the next ring (signatures and first docstring lines)
        - shop/money.py:1 `def rounded(amount):`
    "#]],
    );
}

#[test]
fn without_the_graph_a_stub_gets_the_signatures_its_file_imports_by_name() {
    let spec = r#"
//- shop/__init__.py
//- shop/rates.py
def tax_rate(region):
    """The tax rate of a region."""
    return 0.2


def unused_here():
    return 1
//- shop/cart.py
from shop.rates import tax_rate


def total(items, region):
    """Subtotal plus the region's tax."""
    ...$0
"#;
    check(
        spec,
        4000,
        expect![[r#"
        context for shop/cart.py:4 `total`: 89 tokens of a 4000 budget (o200k_base, 0% margin: 4000 usable)
          level 1: 51 of 1600 tokens, 1 included, 0 left out
          level 2: 39 of 2749 tokens, 1 included, 0 left out
          reserve: 3911 tokens for instructions and the answer
          secrets masked: 0
        ---
        ## Level 1: the target and what it directly uses or is used by

        ### shop/cart.py:4 `total` (target)
        ```python
        def total(items, region):
            """Subtotal plus the region's tax."""
            ...
        ```

        ## Level 2: the next ring (signatures and first docstring lines)
        - shop/rates.py:1 `def tax_rate(region):` The tax rate of a region.
    "#]],
    );
}

#[test]
fn library_calls_give_level_two_signatures_and_a_last_line_keeps_its_comment() {
    let spec = r#"
//- shop/pricing.py
import requests


def rate(region):
    """The rate of a region."""
    return 0.2  # until the API answers


def fetch(region):
    body = requests.get(f"https://rates/{region}", timeout=5)$0
    return rate(region) + len(body.text)
"#;
    let site = vec![
        ("requests/__init__.py".to_owned(), "from .api import get\n".to_owned()),
        ("requests/api.py".to_owned(), "def get(url: str, params: dict | None = None, **kwargs) -> object:\n    \"\"\"Sends a GET request.\"\"\"\n".to_owned()),
        ("requests-2.32.3.dist-info/METADATA".to_owned(), "Name: requests\n".to_owned()),
    ];
    let library = std::sync::Arc::new(crate::graph::Library::in_memory(Vec::new(), site));
    let text = context_with_library(spec, 2000, Some(library)).packed.text;
    assert!(text.contains("return 0.2  # until the API answers"), "{text}");
    assert!(
        text.contains("- requests 2.32.3: requests.api:1 `def get(url: str, params: dict | None = None, **kwargs) -> object:` Sends a GET request."),
        "{text}"
    );
}
