//! Fixture tests: a workspace with a `$0` cursor and the expected items,
//! best first (`label kind (detail)`, and the import edit of auto-imports).

use expect_test::{Expect, expect};

use super::*;
use crate::ide::fixture;

/// The shared workspace of most tests.
const SHOP: &str = r#"
//- /shop/__init__.py
"""The shop."""
from .models import Item
from .pricing import total as order_total
//- /shop/models.py
class Item:
    """An item with a price."""

    def __init__(self, name: str, cents: int) -> None:
        self.name = name
        self.cents = cents

    def price(self) -> int:
        return self.cents

    def _secret(self):
        pass


class Discounted(Item):
    def price(self) -> int:
        return 0

    def discount(self) -> int:
        return 1
//- /shop/pricing.py
def total(items, shipping: int = 0, *, currency: str = "EUR") -> int:
    """Sum plus shipping."""
    return 0
//- /shop/cart.py
class Cart:
    def __init__(self, owner: str, quantity: int = 1) -> None:
        self.owner = owner
"#;

fn render(completions: &Completions) -> String {
    let mut out = String::new();
    for item in &completions.items {
        let detail = item.detail.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
        out.push_str(&format!("{} {:?}{detail}", item.label, item.kind));
        if let Some(import) = &item.import {
            out.push_str(&format!(" + {}..{} {:?}", import.span.start, import.span.end, import.text));
        }
        out.push('\n');
    }
    if completions.incomplete {
        out.push_str("(incomplete)\n");
    }
    out
}

/// Items other than builtins and keywords.
fn check(fixture: &str, expected: Expect) {
    let (graph, file, offset) = fixture::graph(fixture);
    let dir = tempfile::tempdir().expect("temp dir");
    let (config, _) = Config::load(dir.path(), &crate::settings::LintSettings::default());
    let mut completions = complete(&graph, file, offset, Trigger::Typed, Imports::Eager(&config));
    completions.items.retain(|i| !matches!(i.rank, Rank::Builtin | Rank::Keyword));
    expected.assert_eq(&render(&completions));
}

#[test]
fn names_in_scope_locals_first() {
    check(
        &format!("{SHOP}//- /app.py\nimport shop\nfrom shop.pricing import total\nLIMIT = 3\n\n\ndef run(basket, tax):\n    subtotal = 1\n    return $0\n"),
        expect![[r#"
            basket Local
            subtotal Local
            tax Local
            LIMIT Variable
            run Function
            shop Module (shop)
            total Function (shop.pricing)
            (incomplete)
        "#]],
    );
}

#[test]
fn a_half_typed_method_with_no_name_is_no_item() {
    check(
        "//- /app.py\nclass New:\n    def meth(self): pass\n    def (self): pass\n    def after(self): pass\n\nn = New()\nn.$0\n",
        expect![[r#"
            after Method (New)
            meth Method (New)
        "#]],
    );
}

#[test]
fn prefix_filters_and_ranks_by_match() {
    check(
        &format!("{SHOP}//- /app.py\nfrom shop.pricing import total\ntotal_tax = 1\n\n\ndef f(tick):\n    return to$0\n"),
        expect![[r#"
            total_tax Variable
            total Function (shop.pricing)
        "#]],
    );
}

#[test]
fn module_members_and_submodules_after_a_dot() {
    check(
        &format!("{SHOP}//- /app.py\nimport shop\nshop.$0\n"),
        expect![[r#"
            Item Class (shop.models)
            cart Module (shop.cart)
            models Module (shop.models)
            order_total Function (shop.pricing)
            pricing Module (shop.pricing)
        "#]],
    );
}

#[test]
fn class_members_through_the_bases() {
    check(
        &format!("{SHOP}//- /app.py\nfrom shop.models import Discounted\nDiscounted.$0\n"),
        expect![[r#"
            cents Variable (Item)
            discount Method (Discounted)
            name Variable (Item)
            price Method (Discounted)
            _secret Method (Item)
            __init__ Method (Item)
        "#]],
    );
}

#[test]
fn instance_members_from_inferred_types() {
    check(
        &format!("{SHOP}//- /app.py\nfrom shop.models import Discounted\n\n\ndef f():\n    d = Discounted('pen', 3)\n    d.$0\n"),
        expect![[r#"
            cents Variable (Item)
            discount Method (Discounted)
            name Variable (Item)
            price Method (Discounted)
            _secret Method (Item)
            __init__ Method (Item)
        "#]],
    );
    check(
        &format!("{SHOP}//- /shop/basket.py\nfrom shop.cart import Cart\n\n\nclass Basket(Cart):\n    def add(self):\n        self.$0\n"),
        expect![[r#"
            add Method (Basket)
            owner Variable (Cart)
            __init__ Method (Cart)
        "#]],
    );
}

#[test]
fn members_after_a_call_or_a_subscript() {
    let basket = "//- /app.py\nfrom shop.models import Discounted, Item\nfrom shop.cart import Cart\n\n\ndef make() -> Cart: ...\n\n\ndef f(items: list[Item], by_name: dict[str, Discounted]):\n";
    let cart = expect![[r#"
        owner Variable (Cart)
        __init__ Method (Cart)
    "#]];
    check(&format!("{SHOP}{basket}    make().$0\n"), cart);
    check(
        &format!("{SHOP}{basket}    items[0].pr$0\n"),
        expect![[r#"
            price Method (Item)
        "#]],
    );
    check(
        &format!("{SHOP}{basket}    by_name.get('pen').di$0\n"),
        expect![[r#"
            discount Method (Discounted)
        "#]],
    );
    check(&format!("{SHOP}{basket}    unknown()[0].$0\n"), expect![""]);
}

#[test]
fn module_names_after_import_and_from() {
    check(
        &format!("{SHOP}//- /app.py\nimport $0\n"),
        expect![[r#"
            app Module (app)
            shop Module (shop)
        "#]],
    );
    check(
        &format!("{SHOP}//- /app.py\nfrom shop.p$0\n"),
        expect![[r#"
            pricing Module (shop.pricing)
        "#]],
    );
    check(
        &format!("{SHOP}//- /shop/views.py\nfrom .$0\n"),
        expect![[r#"
            cart Module (shop.cart)
            models Module (shop.models)
            pricing Module (shop.pricing)
            views Module (shop.views)
        "#]],
    );
}

#[test]
fn names_after_from_import() {
    check(
        &format!("{SHOP}//- /app.py\nfrom shop.models import $0\n"),
        expect![[r#"
            Discounted Class (shop.models)
            Item Class (shop.models)
        "#]],
    );
    check(
        &format!("{SHOP}//- /shop/views.py\nfrom .pricing import (\n    to$0\n"),
        expect![[r#"
            total Function (shop.pricing)
        "#]],
    );
}

#[test]
fn keyword_arguments_first_in_a_call() {
    check(
        &format!("{SHOP}//- /app.py\nfrom shop.cart import Cart\nquota = 2\nCart('ann', qu$0\n"),
        expect![[r#"
            quantity= Argument (int)
            quota Variable
        "#]],
    );
    check(
        &format!("{SHOP}//- /app.py\nfrom shop import pricing\npricing.total([], shipping=1, $0)\n"),
        expect![[r#"
            currency= Argument (str)
            items= Argument
            pricing Module (shop.pricing)
            (incomplete)
        "#]],
    );
}

#[test]
fn auto_import_of_workspace_names_with_the_import_edit() {
    check(
        &format!("{SHOP}//- /app.py\n\"\"\"App.\"\"\"\n\nimport os\n\n\ndef f():\n    return Ca$0\n"),
        expect![[r#"
            Cart Class (from shop.cart import Cart) + 23..23 "from shop.cart import Cart\n\n"
        "#]],
    );
}

#[test]
fn lazy_auto_import_items_get_the_same_edit_on_resolve() {
    let (graph, file, offset) = fixture::graph(&format!("{SHOP}//- /app.py\nimport os\n\n\ndef f():\n    return Ca$0\n"));
    let dir = tempfile::tempdir().expect("temp dir");
    let (config, _) = Config::load(dir.path(), &crate::settings::LintSettings::default());
    let eager = complete(&graph, file, offset, Trigger::Typed, Imports::Eager(&config)).items.pop().expect("an item");
    let lazy = complete(&graph, file, offset, Trigger::Typed, Imports::Lazy(&config)).items.pop().expect("an item");
    assert_eq!((lazy.label.as_str(), lazy.import_from.as_deref(), &lazy.import), ("Cart", Some("shop.cart"), &None));
    assert_eq!(import_edit(&graph, file, "shop.cart", "Cart", &config), eager.import);
}

#[test]
fn auto_import_is_not_offered_when_the_header_is_unsorted() {
    check(&format!("{SHOP}//- /app.py\nimport sys\nimport os\n\n\ndef f():\n    return Ca$0\n"), expect![[""]]);
}

#[test]
fn a_line_that_does_not_parse_still_completes() {
    check(
        &format!("{SHOP}//- /app.py\nimport shop\n\n\ndef f():\n    shop.mo$0\n    return 1\n"),
        expect![[r#"
            models Module (shop.models)
        "#]],
    );
}

#[test]
fn nothing_in_strings_comments_and_new_names() {
    for text in ["x = 'sh$0'\n", "# sh$0\n", "def sh$0\n", "class Sh$0\n"] {
        check(&format!("{SHOP}//- /app.py\nimport shop\n{text}"), expect![[""]]);
    }
}

#[test]
fn builtins_and_keywords_after_the_workspace_names() {
    let (graph, file, offset) = fixture::graph("//- /app.py\nresult = 1\nre$0\n");
    let labels: Vec<String> = complete(&graph, file, offset, Trigger::Typed, Imports::Off).items.iter().map(|i| format!("{} {:?}", i.label, i.rank)).collect();
    assert_eq!(labels[0], "result SameFile");
    let builtin = labels.iter().position(|l| l == "repr Builtin").expect("the builtin repr");
    let keyword = labels.iter().position(|l| l == "return Keyword").expect("the keyword return");
    assert!(builtin < keyword, "{labels:?}");
}

#[test]
fn a_space_completes_only_imports() {
    let (graph, file, offset) = fixture::graph("//- /app.py\nx = $0\n");
    assert_eq!(complete(&graph, file, offset, Trigger::Space, Imports::Off), Completions { replace: Span::new(4, 4), ..Default::default() });
    let (graph, file, offset) = fixture::graph("//- /app.py\nimport $0\n");
    assert_eq!(complete(&graph, file, offset, Trigger::Space, Imports::Off).items[0].label, "app");
}

#[test]
fn the_scope_of_a_line_being_typed_at_the_end_of_a_function() {
    check(
        "//- /app.py\ndef outer(alpha):\n    def inner(beta):\n        pass\n\n    $0\n",
        expect![[r#"
            alpha Local
            inner Function
            outer Function
            (incomplete)
        "#]],
    );
}

#[test]
fn documentation_is_the_header_and_docstring() {
    let (graph, file, offset) = fixture::graph(&format!("{SHOP}//- /app.py\nfrom shop.models import It$0\n"));
    let completions = complete(&graph, file, offset, Trigger::Typed, Imports::Off);
    let target = completions.items[0].target.as_ref().expect("a target");
    expect![[r#"
        ```python
        class Item
        ```

        An item with a price."#]]
    .assert_eq(&documentation(&graph, target).expect("documentation"));
}

#[test]
fn library_members_modules_and_instances_after_a_dot() {
    let library = fixture::LIBRARY;
    let labels = |code: &str| -> String {
        let (graph, file, offset) = fixture::graph(&format!("{library}//- /app.py\n{code}"));
        let completions = complete(&graph, file, offset, Trigger::Typed, Imports::Off);
        let mut labels: Vec<&str> = completions.items.iter().filter(|i| !matches!(i.rank, Rank::Builtin | Rank::Keyword)).map(|i| i.label.as_str()).collect();
        labels.sort_unstable();
        labels.join(" ")
    };
    assert_eq!(labels("import requests\nrequests.$0"), "Response api get models post");
    assert_eq!(labels("from pathlib import Path\nPath('x').$0"), "__init__ exists name read_text with_suffix");
    assert_eq!(labels("import requests\nr = requests.get('u')\nr.$0"), "__init__ json ok status_code");
    assert_eq!(labels("import os\nos.path.$0"), "exists join");
    assert_eq!(labels("import os\nos.$0"), "getcwd path");
    // Literals and calls that need no name.
    assert_eq!(labels("x = ', '.$0"), "upper");
    assert_eq!(labels("x = f\"{a}\" + 'it''s'.up$0"), "upper");
    assert_eq!(labels("x = b'raw'.$0"), "");
    assert_eq!(labels("import requests\nclass R(requests.Response):\n    def json(self):\n        super().$0"), "__init__ json ok status_code");
    assert_eq!(labels("class A:\n    def a(self): pass\nclass B(A):\n    def b(self):\n        super().$0"), "a");
    assert_eq!(labels("from requests import $0"), "Response api get models post");
    assert_eq!(labels("import nspkg.$0"), "tools");
    assert!(labels("import js$0").split(' ').any(|l| l == "json"));
    assert!(labels("import ya$0").split(' ').any(|l| l == "yaml"));
}

#[test]
fn library_items_are_documented_from_the_library() {
    let (graph, _, _) = fixture::graph(&format!("{}//- /app.py\n$0", fixture::LIBRARY));
    let target = Target { path: PathBuf::new(), qualified_name: "requests.models.Response.json".to_owned() };
    expect![[r#"
        ```python
        def json(self, **kwargs)
        ```

        Returns the json-encoded content of a response.

        From `requests` 2.32.3 (`requests.models`)."#]]
    .assert_eq(&documentation(&graph, &target).unwrap());
}

#[test]
fn a_receiver_with_hundreds_of_members_gets_them_all() {
    let module: String = (0..300).map(|i| format!("def f{i:03}(): pass\n")).collect();
    let (graph, file, offset) = fixture::graph(&format!("//- /big.py\n{module}//- /app.py\nimport big\nbig.$0"));
    let completions = complete(&graph, file, offset, Trigger::Typed, Imports::Off);
    assert!(!completions.incomplete);
    assert_eq!(completions.items.iter().filter(|i| i.label.starts_with('f')).count(), 300);
}

/// The auto-import items of the notebook of code cells `cells`, asked in
/// the cell with `$0`: each import is placed in that cell, at its top.
fn check_in_cell(cells: &[&str], expected: Expect) {
    use crate::notebook::{Cell, CellKind, Notebook};
    let asking = cells.iter().position(|c| c.contains("$0")).expect("a $0 cell");
    let unmarked: Vec<String> = cells.iter().map(|c| c.replace("$0", "")).collect();
    let notebook = Notebook::from_cells(unmarked.iter().map(|text| Cell { kind: CellKind::Code, language: "python", text }));
    let (_, cell) = notebook.code_cells().into_iter().nth(asking).expect("the asking cell");
    // The cells joined as ruff joins them, with the marker.
    let mut joined = notebook.source().to_owned();
    joined.insert_str(cell.start + cells[asking].find("$0").expect("$0"), "$0");
    let (graph, file, offset) = fixture::graph(&format!("{SHOP}//- /nb.ipynb\n{joined}"));
    let dir = tempfile::tempdir().expect("temp dir");
    let (config, _) = Config::load(dir.path(), &crate::settings::LintSettings::default());
    let cell = Span::new(cell.start as u32, cell.end as u32);
    let mut completions = complete(&graph, file, offset, Trigger::Typed, Imports::InCell(&config, cell));
    completions.items.retain(|i| !matches!(i.rank, Rank::Builtin | Rank::Keyword));
    expected.assert_eq(&format!("cell at {}..{}\n{}", cell.start, cell.end, render(&completions)));
}

#[test]
fn a_notebooks_auto_import_goes_to_the_top_of_the_asking_cell() {
    // After a cell of imports and a cell of code: the asking cell's own
    // header, sorted on its own (ruff's isort sorts each cell).
    check_in_cell(
        &["import os\n", "x = 1\n", "y = Ca$0"],
        expect![[r#"
            cell at 18..24
            Cart Class (from shop.cart import Cart) + 18..18 "from shop.cart import Cart\n\n"
        "#]],
    );
    // Its own imports take it in, sorted.
    check_in_cell(
        &["import os\n", "import sys\n\ny = Ca$0"],
        expect![[r#"
            cell at 11..29
            Cart Class (from shop.cart import Cart) + 23..23 "from shop.cart import Cart\n\n"
        "#]],
    );
    // Must not: a cell whose imports are unsorted, or that starts with a
    // cell magic (which must stay its first line), gets none.
    check_in_cell(
        &["import os\n", "import sys\nimport json\n\ny = Ca$0"],
        expect![[r#"
        cell at 11..41
    "#]],
    );
    check_in_cell(
        &["import os\n", "%%time\ny = Ca$0"],
        expect![[r#"
        cell at 11..24
    "#]],
    );
}
