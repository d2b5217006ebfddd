use std::sync::Arc;

use super::*;

/// The problems of editing `edited` (the first file) into `candidate`.
fn problems(files: &[(&str, &str)], candidate: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut graph = Graph::new(vec![dir.path().to_owned()]);
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        graph.update_file(&path, text);
    }
    let base = Arc::new(graph);
    let mut changed = Graph::clone(&base);
    let path = dir.path().join(files[0].0);
    changed.update_file(&path, candidate);
    check(&base, &changed, &path, files[0].1, candidate, &[]).into_iter().map(|p| p.to_string()).collect()
}

const CART: &str = "class Cart:\n    def __init__(self):\n        self.items = {}\n\n    def subtotal(self, tax=0):\n        return sum(self.items.values()) * (1 + tax)\n\n    def total(self):\n        return self.subtotal()\n";
const USE: &str = "from shop.cart import Cart\n\n\ndef test_subtotal():\n    c = Cart()\n    assert c.subtotal() == 0\n    assert c.subtotal(tax=0.2) == 0\n";

fn edited(from: &str, to: &str) -> String {
    assert!(CART.contains(from));
    CART.replacen(from, to, 1)
}

#[test]
fn a_renamed_method_names_its_callers() {
    let found = problems(&[("shop/cart.py", CART), ("tests/test_cart.py", USE)], &edited("def subtotal(", "def compute_subtotal("));
    assert_eq!(
        found,
        [
            "caller shop/cart.py:9 calls `Cart.subtotal()`, which this edit renames to `compute_subtotal`",
            "caller tests/test_cart.py:6 calls `Cart.subtotal()`, which this edit renames to `compute_subtotal`",
            "caller tests/test_cart.py:7 calls `Cart.subtotal()`, which this edit renames to `compute_subtotal`",
        ]
    );
    // Removed, with its caller in the same file rewritten too: the other file still breaks.
    let removed = CART.replace("    def subtotal(self, tax=0):\n        return sum(self.items.values()) * (1 + tax)\n\n", "").replace("self.subtotal()", "0");
    let found = problems(&[("shop/cart.py", CART), ("tests/test_cart.py", USE)], &removed);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].ends_with("calls `Cart.subtotal()`, which this edit removes"), "{found:?}");
}

#[test]
fn a_property_with_a_setter_is_no_method_made_of_an_attribute() {
    let box_ = "class Box:\n    def __init__(self, width=None):\n        self.width = width\n\n    @property\n    def width(self):\n        return self._w\n\n    @width.setter\n    def width(self, value):\n        self._w = value\n\n    def double(self):\n        w = self.width\n        return w * 2\n";
    let candidate = box_.replace("        w = self.width\n        return w * 2\n", "        return self.width * 2\n");
    assert_eq!(problems(&[("pkg/box.py", box_)], &candidate), Vec::<String>::new());
}

#[test]
fn forwarded_arguments_are_safe_when_only_optional_parameters_are_added() {
    let forwarding = "from shop.cart import Cart\n\n\ndef wrapped(*args, **kwargs):\n    return Cart().subtotal(*args, **kwargs)\n";
    let files = [("shop/cart.py", CART), ("forward.py", forwarding)];
    assert_eq!(problems(&files, &edited("def subtotal(self, tax=0):", "def subtotal(self, tax=0, rounding=None):")), Vec::<String>::new());
    let reordered = problems(&files, &edited("def subtotal(self, tax=0):", "def subtotal(self, rounding=None, tax=0):"));
    assert!(reordered[0].contains("with `*args`/`**kwargs`, which cannot be checked"), "{reordered:?}");
}

#[test]
fn decorators_and_async_that_break_calls_are_found() {
    let files = [("shop/cart.py", CART), ("tests/test_cart.py", USE)];
    let property = problems(&files, &edited("    def subtotal(", "    @property\n    def subtotal("));
    assert_eq!(property.len(), 3, "{property:?}");
    assert!(property[0].contains("which this edit makes a property"), "{property:?}");
    let made_async = problems(&files, &edited("    def subtotal(", "    async def subtotal("));
    assert!(made_async[0].ends_with("calls `Cart.subtotal()` without `await`, which this edit makes async"), "{made_async:?}");
    // A staticmethod loses the bound `self`: `c.subtotal()` now misses it.
    let static_ = problems(&files, &edited("    def subtotal(self, tax=0):", "    @staticmethod\n    def subtotal(self, tax=0):"));
    assert!(static_[0].contains("does not accept: `self` is not given"), "{static_:?}");
    // A classmethod binds its first parameter too: nothing breaks.
    assert_eq!(problems(&files, &edited("    def subtotal(self, tax=0):", "    @classmethod\n    def subtotal(cls, tax=0):")), Vec::<String>::new());
    let module = "def rate():\n    return 2\n";
    let found = problems(&[("m.py", module)], "@staticmethod\ndef rate():\n    return 2\n");
    assert_eq!(found, ["caller this edit makes module function `rate` a staticmethod; only methods can be"]);
}

#[test]
fn signatures_are_checked_call_by_call() {
    let files = [("shop/cart.py", CART), ("tests/test_cart.py", USE)];
    // The keyword the test passes is gone.
    let found = problems(&files, &edited("subtotal(self, tax=0)", "subtotal(self, rate=0)"));
    assert_eq!(
        found,
        ["caller tests/test_cart.py:7 calls `Cart.subtotal()`, which its new signature `(self, rate=…)` does not accept: it has no parameter `tax`"]
    );
    // A new required parameter breaks every call.
    assert_eq!(problems(&files, &edited("subtotal(self, tax=0)", "subtotal(self, tax)")).len(), 2);
    // A new optional one breaks none; annotations are no change.
    assert_eq!(problems(&files, &edited("subtotal(self, tax=0)", "subtotal(self, tax: float = 0, rounding=None)")), Vec::<String>::new());
    // A function's callers, with `*args` that cannot be counted.
    let lib = "def total(xs, tax):\n    return sum(xs) * tax\n";
    let app = "from lib import total\n\nargs = ([1], 2)\ntotal(*args)\ntotal([1], tax=2)\n";
    let found = problems(&[("lib.py", lib), ("app.py", app)], "def total(xs, rate):\n    return sum(xs) * rate\n");
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("app.py:4 calls `total()` with `*args`/`**kwargs`"), "{found:?}");
    assert!(found[1].contains("app.py:5 calls `total()`, which its new signature `(xs, rate)` does not accept: it has no parameter `tax`"), "{found:?}");
}

#[test]
fn reordered_parameters_that_rebind_positional_arguments_are_found() {
    let lib = "def total(xs, tax, rounding=2):\n    return round(sum(xs) * tax, rounding)\n";
    let app = "from lib import total\n\ntotal([1], 2)\ntotal(xs=[1], tax=2)\n";
    let found = problems(&[("lib.py", lib), ("app.py", app)], &lib.replace("total(xs, tax,", "total(tax, xs,"));
    assert_eq!(found, ["caller app.py:3 calls `total()`, whose argument 1 goes to `xs`; with the new signature `(tax, xs, rounding=…)` it goes to `tax`"]);
    // A parameter renamed in place takes the same argument.
    assert_eq!(problems(&[("lib.py", lib), ("app.py", "from lib import total\n\ntotal([1], 2)\n")], &lib.replace("tax", "rate")), Vec::<String>::new());
}

#[test]
fn a_constructor_is_checked_against_a_changed_init() {
    let files = [("shop/cart.py", CART), ("tests/test_cart.py", USE)];
    let found = problems(&files, &edited("def __init__(self):", "def __init__(self, owner):"));
    assert_eq!(found, ["caller tests/test_cart.py:5 calls `Cart.__init__()`, which its new signature `(self, owner)` does not accept: `owner` is not given"]);
    assert_eq!(problems(&files, &edited("def __init__(self):", "def __init__(self, owner=None):")), Vec::<String>::new());
}

#[test]
fn an_override_reshaped_or_renamed_breaks_the_calls_of_what_it_overrides() {
    let cart = "class Cart:\n    def subtotal(self):\n        return 1.0\n\n    def total(self):\n        return self.subtotal() * 2\n";
    let vip = "from cart import Cart\n\n\nclass Vip(Cart):\n    def subtotal(self):\n        return super().subtotal() * 0.9\n";
    let files = [("vip.py", vip), ("cart.py", cart)];
    let property = vip.replace("    def subtotal(self):", "    @property\n    def subtotal(self):");
    let found = problems(&files, &property);
    assert!(found.iter().any(|p| p.starts_with("caller cart.py:6 calls `Vip.subtotal()`")), "{found:?}");
    let renamed = problems(&files, &vip.replace("def subtotal(self):", "def discounted(self):"));
    assert!(renamed.iter().any(|p| p.contains("which overrides `cart.Cart.subtotal`")), "{renamed:?}");
}

#[test]
fn a_property_made_a_method_breaks_its_readers() {
    let class = "class C:\n    @property\n    def size(self):\n        return 1\n\n\ndef use(c: C):\n    return c.size + 1\n";
    let found = problems(&[("m.py", class)], &class.replace("    @property\n", ""));
    assert_eq!(found, ["caller m.py:8 reads `C.size` as an attribute, which this edit makes a method"]);
}

#[test]
fn a_property_with_a_setter_and_an_attribute_of_its_name_is_paired_getter_with_getter() {
    // Tester 23 case 04 (transitions' `Machine.initial`): the first
    // binding of the name is `self.size = …` in `__init__`; an edit
    // around the property (a function added above the class) leaves
    // the getter a getter and the setter a setter.
    let class = "class C:\n    def __init__(self):\n        self.size = 0\n\n    @property\n    def size(self):\n        return 1\n\n    @size.setter\n    def size(self, value):\n        pass\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.py");
    let mut base = Graph::new(vec![dir.path().to_owned()]);
    base.update_file(&path, class);
    let mut changed = base.clone();
    changed.update_file(&path, &format!("def _extracted():\n    return []\n\n\n{class}"));
    let (file, new_file) = (base.file_id(&path).unwrap(), changed.file_id(&path).unwrap());
    let definitions = (definitions(&base, file), definitions(&changed, new_file));
    let now = changed.symbols_by_name(new_file);
    let decorators = |graph: &Graph, id: Option<SymbolId>| id.and_then(|id| graph.symbol(id)).map(|s| (s.kind, Binding::of(s.decorators)));
    let sizes: Vec<SymbolId> = definitions.0.iter().copied().filter(|&d| base.symbol(d).is_some_and(|s| s.name == "size")).collect();
    assert_eq!(sizes.len(), 2);
    for old in sizes {
        assert_eq!(decorators(&changed, counterpart(&base, &changed, &definitions, &now, old)), decorators(&base, Some(old)));
    }
    // Twin: with the setter removed, the getter is no longer paired by rank.
    let mut removed = base.clone();
    removed.update_file(&path, &class.replace("    @size.setter\n    def size(self, value):\n        pass\n", ""));
    let definitions = (definitions.0, definitions_of(&removed, &path));
    let now = removed.symbols_by_name(removed.file_id(&path).unwrap());
    let getter = definitions.0.iter().copied().find(|&d| base.symbol(d).is_some_and(|s| s.name == "size")).unwrap();
    assert_eq!(counterpart(&base, &removed, &definitions, &now, getter), now.get("m.C.size").copied());
}

fn definitions_of(graph: &Graph, path: &std::path::Path) -> Vec<SymbolId> {
    definitions(graph, graph.file_id(path).unwrap())
}
