use std::path::Path;

use expect_test::{Expect, expect};

use super::*;
use crate::ide::fixture::{self, ROOT};

/// Moves the definition at `$0` to `to` and shows every written file
/// (`(new)` when created), or the refusal.
fn check_move(workspace: &str, to: &str, expected: Expect) {
    expected.assert_eq(&moved(workspace, to, None));
}

/// [`check_move`] showing only the files in `shown`.
fn check_move_of(workspace: &str, to: &str, shown: &[&str], expected: Expect) {
    expected.assert_eq(&moved(workspace, to, Some(shown)));
}

fn moved(workspace: &str, to: &str, shown: Option<&[&str]>) -> String {
    let (graph, file, offset) = fixture::graph(workspace);
    match move_symbol(&graph, file, offset, &Path::new(ROOT).join(to)) {
        Ok(moved) => {
            let mut files: Vec<(String, &MovedFile)> = moved.files.iter().map(|f| (f.path.strip_prefix(ROOT).unwrap().display().to_string(), f)).collect();
            files.retain(|(path, _)| shown.is_none_or(|shown| shown.contains(&path.as_str())));
            files.sort_by(|a, b| a.0.cmp(&b.0));
            files.iter().map(|(path, f)| format!("//- /{path}{}\n{}", if f.original.is_none() { " (new)" } else { "" }, f.text)).collect()
        }
        Err(error) => format!("refused: {error}"),
    }
}

/// How the move at `$0` of `workspace` with `hole` replaced by each of
/// `fills` to `to` ends: `moved`, or the refusal.
fn outcomes(workspace: &str, hole: &str, fills: &[&str], to: &str) -> Vec<String> {
    fills
        .iter()
        .map(|fill| {
            let shown = moved(&workspace.replace(hole, fill), to, Some(&[]));
            if shown.starts_with("refused: ") { shown } else { "moved".to_owned() }
        })
        .collect()
}

const SHOP: &str = r#"
//- /shop/__init__.py
//- /shop/tax.py
def rate():
    return 2
//- /shop/pricing.py
"""Prices."""
import math

from .tax import rate

RATE = 2


# Rounds a price up.
@staticmethod
def tot$0al(x):
    """The total of `x`."""
    return round_up(x * rate() * RATE)


def round_up(x):
    return math.ceil(x)


def checkout(items):
    return sum(total(i) for i in items)
//- /shop/cart.py
from shop.pricing import checkout, total


def pay(x):
    return total(x) + checkout([x])
//- /app.py
from unittest import mock

from shop.pricing import total as t


@mock.patch("shop.pricing.total")
def test(patched):
    return t(1)
"#;

#[test]
fn a_function_moves_to_a_new_module_with_its_imports_and_its_users() {
    // `total` reads `RATE` from its old module, which no longer uses it.
    let workspace = SHOP.replace("return sum(total(i) for i in items)", "return sum(items)");
    check_move(
        &workspace,
        "shop/totals.py",
        expect![[r#"
        //- /app.py
        from unittest import mock

        from shop.totals import total as t


        @mock.patch("shop.totals.total")
        def test(patched):
            return t(1)
        //- /shop/cart.py
        from shop.pricing import checkout
        from shop.totals import total


        def pay(x):
            return total(x) + checkout([x])
        //- /shop/pricing.py
        """Prices."""
        import math

        RATE = 2


        def round_up(x):
            return math.ceil(x)


        def checkout(items):
            return sum(items)
        //- /shop/totals.py (new)
        from .pricing import RATE, round_up
        from .tax import rate


        # Rounds a price up.
        @staticmethod
        def total(x):
            """The total of `x`."""
            return round_up(x * rate() * RATE)
    "#]],
    );
}

#[test]
fn a_stub_beside_a_module_does_not_hide_its_imports_from_the_cycle_check() {
    // Tester 25 case 02: `pkg/a.pyi` imports nothing; `pkg/a.py` imports `pkg.b`.
    let workspace = "//- /pkg/__init__.py\n//- /pkg/a.py\nfrom .b import g\n\n\ndef f():\n    return g() + 1\n//- /pkg/a.pyi\ndef f() -> int: ...\n//- /pkg/b.py\ndef _h$0():\n    return 1\n\n\ndef g():\n    return _h() + 1\n";
    check_move(workspace, "pkg/a.py", expect!["refused: the move would make a circular import at module level: pkg.b → pkg.a → pkg.b"]);
    // Must stay: without the module's import of `pkg.b` the stub changes nothing and the move applies.
    let free = workspace.replace("from .b import g\n\n\ndef f():\n    return g() + 1", "def f():\n    return 2");
    assert!(!moved(&free, "pkg/a.py", None).starts_with("refused"), "{}", moved(&free, "pkg/a.py", None));
}

#[test]
fn the_old_module_imports_back_what_it_still_uses_unless_that_makes_a_cycle() {
    check_move(SHOP, "shop/totals.py", expect!["refused: the move would make a circular import at module level: shop.pricing → shop.totals → shop.pricing"]);
    // Its twin reads nothing of the old module: no cycle.
    let workspace = SHOP.replace("round_up(x * rate() * RATE)", "math.floor(x * rate())");
    check_move_of(
        &workspace,
        "shop/totals.py",
        &["shop/pricing.py", "shop/totals.py"],
        expect![[r#"
        //- /shop/pricing.py
        """Prices."""
        import math

        from .totals import total

        RATE = 2


        def round_up(x):
            return math.ceil(x)


        def checkout(items):
            return sum(total(i) for i in items)
        //- /shop/totals.py (new)
        import math

        from .tax import rate


        # Rounds a price up.
        @staticmethod
        def total(x):
            """The total of `x`."""
            return math.floor(x * rate())
    "#]],
    );
}

#[test]
fn a_class_moves_to_an_existing_module_merging_imports_and_taking_its_import_out() {
    let workspace = r#"
//- /shop/__init__.py
//- /shop/models.py
import json
from dataclasses import dataclass

__all__ = ["Cart", "Item"]


@dataclass
class Ca$0rt:
    items: list

    def dump(self):
        return json.dumps(self.items)


class Item:
    pass
//- /shop/views.py
import json

from shop.models import Cart, Item


def show(cart: Cart):
    return json.dumps(cart.items), Item()
"#;
    check_move(
        workspace,
        "shop/views.py",
        expect!["refused: `Cart` at shop/views.py:6 runs when the module is imported, before `Cart` would be defined at its end"],
    );
    // Its twin reads `Cart` only when `show` runs.
    let workspace = workspace.replace("def show(cart: Cart):\n    return json.dumps(cart.items)", "def show(cart):\n    return Cart(cart).dump()");
    check_move(
        &workspace,
        "shop/views.py",
        expect![[r#"
        //- /shop/models.py
        __all__ = ["Item"]


        class Item:
            pass
        //- /shop/views.py
        import json
        from dataclasses import dataclass

        from shop.models import Item


        def show(cart):
            return Cart(cart).dump(), Item()


        @dataclass
        class Cart:
            items: list

            def dump(self):
                return json.dumps(self.items)
    "#]],
    );
}

#[test]
fn what_cannot_be_updated_exactly_is_refused_and_its_twin_moves() {
    let base = "//- /old.py\ndef he$0lper():\n    return 1\n//- /new.py\n";
    // A star import of the old module.
    check_move(
        &format!("{base}//- /user.py\nfrom old import *\nhelper()\n"),
        "new.py",
        expect!["refused: `from old import *` at user.py:1 cannot be updated exactly; the move is refused"],
    );
    // A star import of the target, without `__all__`: it would take the moved name too.
    check_move(
        "//- /old.py\ndef he$0lper():\n    return 1\n//- /new.py\ndef other():\n    return 2\n//- /user.py\nhelper = 'mine'\nfrom new import *\nprint(helper, other())\n",
        "new.py",
        expect![
            "refused: `from new import *` at user.py:2 would take `helper` too (`new` has no `__all__`), over whatever that module binds by the name; the move is refused"
        ],
    );
    // Must not: the target lists its exports, or the name is private.
    check_move(
        "//- /old.py\ndef he$0lper():\n    return 1\n//- /new.py\n__all__ = ['other']\n\n\ndef other():\n    return 2\n//- /user.py\nhelper = 'mine'\nfrom new import *\nprint(helper, other())\n",
        "new.py",
        expect![[r#"
            //- /new.py
            __all__ = ['other']


            def other():
                return 2


            def helper():
                return 1
            //- /old.py
        "#]],
    );
    check_move(
        "//- /old.py\ndef _he$0lper():\n    return 1\n//- /new.py\ndef other():\n    return 2\n//- /user.py\n_helper = 'mine'\nfrom new import *\nprint(_helper, other())\n",
        "new.py",
        expect![[r#"
            //- /new.py
            def other():
                return 2


            def _helper():
                return 1
            //- /old.py
        "#]],
    );
    check_move(
        &format!("{base}//- /user.py\nfrom old import helper\nhelper()\n"),
        "new.py",
        expect![[r#"
        //- /new.py
        def helper():
            return 1
        //- /old.py
        //- /user.py
        from new import helper
        helper()
    "#]],
    );
    // Through the module: the old module keeps it, imported back (`user.py` is not edited).
    check_move(
        &format!("{base}//- /user.py\nimport old\nold.helper()\n"),
        "new.py",
        expect![[r#"
            //- /new.py
            def helper():
                return 1
            //- /old.py
            from new import helper  # noqa: F401


        "#]],
    );
    // By a string the graph cannot follow.
    check_move(
        &format!("{base}//- /user.py\nimport old\ngetattr(old, \"helper\")()\n"),
        "new.py",
        expect![[r#"refused: `getattr(…, "helper")` at user.py:2 cannot be updated exactly; the move is refused"#]],
    );
    // The old module imported by name: it keeps the name, imported back.
    check_move_of(
        &format!("{base}//- /user.py\nimport importlib\nhelper = importlib.import_module(\"old\").helper\n"),
        "new.py",
        &["old.py"],
        expect![[r#"
        //- /old.py
        from new import helper  # noqa: F401


    "#]],
    );
}

#[test]
fn module_state_and_names_already_taken_are_refused_and_their_twins_move() {
    let global = "//- /old.py\ncount = 0\n\ndef bu$0mp():\n    global count\n    count += 1\n";
    check_move(
        global,
        "new.py",
        expect!["refused: `bump` writes the module-level `count` of its module (`global` at old.py:4): moved, it would write another module's"],
    );
    let rebound = "//- /old.py\ncount = 0\n\ndef re$0ad():\n    return count\n\ndef bump():\n    global count\n    count += 1\n";
    check_move(
        rebound,
        "new.py",
        expect!["refused: `read` reads `count`, which its module rebinds at run time (`global` at old.py:7): an import would copy its value once"],
    );
    let constant = "//- /old.py\ncount = 0\n\ndef re$0ad():\n    return count\n";
    check_move(
        constant,
        "new.py",
        expect![[r#"
        //- /new.py (new)
        from old import count


        def read():
            return count
        //- /old.py
        count = 0
    "#]],
    );
    let dunder = "//- /old.py\nimport logging\n\ndef lo$0g():\n    return logging.getLogger(__name__)\n";
    check_move(dunder, "new.py", expect!["refused: `log` reads `__name__` at old.py:4, which is its module's own: moved, it would read the new module's"]);
    let taken = "//- /old.py\ndef he$0lper():\n    return 1\n//- /new.py\ndef helper():\n    return 2\n";
    check_move(taken, "new.py", expect!["refused: `helper` is already defined in `new` at new.py:1"]);
    let clash = "//- /old.py\nfrom a import x\n\ndef he$0lper():\n    return x\n//- /new.py\nfrom b import x\n//- /a.py\nx = 1\n//- /b.py\nx = 2\n";
    check_move(clash, "new.py", expect!["refused: `x` means something else in `new` (at new.py:1) than the moved code reads"]);
    let same = clash.replace("from b import x", "from a import x");
    check_move(
        &same,
        "new.py",
        expect![[r#"
        //- /new.py
        from a import x


        def helper():
            return x
        //- /old.py
    "#]],
    );
}

#[test]
fn nested_definitions_and_targets_outside_the_workspace_are_refused() {
    let nested = "//- /old.py\nclass A:\n    def me$0thod(self):\n        return 1\n";
    check_move(nested, "new.py", expect!["refused: `method` is defined inside another definition; only top-level functions and classes move"]);
    let top = "//- /old.py\ndef f$0():\n    return 1\n";
    check_move(top, "../elsewhere/new.py", expect!["refused: /elsewhere/new.py is outside the workspace's source roots: no import could name it"]);
    check_move(top, "new-module.py", expect!["refused: `new-module` is not a module name Python can import (a `.py` file, each part an identifier)"]);
    check_move(top, "old.py", expect!["refused: `f` is already in that module"]);
    check_move("//- /old.py\nx = 1$0\n", "new.py", expect!["refused: there is no top-level function or class at the cursor"]);
}

#[test]
fn an_empty_target_gets_the_imports_before_the_code_and_a_package_re_export_follows() {
    let empty = "//- /old.py\nfrom a import Base\n\n\nclass C$0(Base):\n    pass\n//- /new.py\n//- /a.py\nclass Base:\n    pass\n";
    check_move(
        empty,
        "new.py",
        expect![[r#"
        //- /new.py
        from a import Base


        class C(Base):
            pass
        //- /old.py
    "#]],
    );
    // `pkg.get` reaches it through the package's import, which follows it.
    let package = "//- /pkg/__init__.py\nfrom .api import get\n//- /pkg/api.py\ndef g$0et():\n    return 1\n//- /user.py\nimport pkg\npkg.get()\n";
    check_move(
        package,
        "pkg/fetch.py",
        expect![[r#"
        //- /pkg/__init__.py
        from .fetch import get
        //- /pkg/api.py
        //- /pkg/fetch.py (new)
        def get():
            return 1
    "#]],
    );
    // It calls what stays in `pkg.api`, which imports `pkg`'s submodule: no cycle through the package.
    let calls =
        package.replace("def g$0et():\n    return 1", "from . import util\n\n\ndef request():\n    return util\n\n\ndef g$0et():\n    return request()");
    check_move_of(
        &format!("{calls}//- /pkg/util.py\n"),
        "pkg/fetch.py",
        &["pkg/api.py", "pkg/fetch.py"],
        expect![[r#"
        //- /pkg/api.py
        from . import util


        def request():
            return util
        //- /pkg/fetch.py (new)
        from .api import request


        def get():
            return request()
    "#]],
    );
}

#[test]
fn a_name_a_submodule_takes_from_its_package_closes_a_cycle_through_the_package_init() {
    // `pkg.errors` would take `BaseError` from `pkg`, whose `__init__`
    // would import `pkg.errors` before binding it.
    let workspace = "//- /pkg/__init__.py\nclass BaseError(Exception):\n    pass\n\n\nclass Sub$0Error(BaseError):\n    pass\n\n\ndef fail():\n    raise SubError()\n//- /main.py\nfrom pkg import fail\n";
    check_move(workspace, "pkg/errors.py", expect!["refused: the move would make a circular import at module level: pkg → pkg.errors → pkg"]);
    // Twin: code that takes nothing from the package moves into it.
    let free = "//- /pkg/__init__.py\nclass Sub$0Error(Exception):\n    pass\n\n\ndef fail():\n    raise SubError()\n";
    check_move_of(
        free,
        "pkg/errors.py",
        &["pkg/__init__.py"],
        expect![[r#"
            //- /pkg/__init__.py
            from pkg.errors import SubError


            def fail():
                raise SubError()
        "#]],
    );
}

#[test]
fn a_patch_string_naming_the_old_module_stays_where_the_old_module_keeps_the_name() {
    let workspace = "//- /shop/__init__.py\n//- /shop/pricing.py\ndef t$0ax(x):\n    return x * 0.2\n\n\ndef total(xs):\n    return sum(tax(x) for x in xs)\n//- /test_pricing.py\nfrom unittest import mock\nfrom shop import pricing\n\n\n@mock.patch(\"shop.pricing.tax\", return_value=7)\ndef test_total(_):\n    assert pricing.total([1, 2]) == 14\n";
    check_move_of(workspace, "shop/taxes.py", &["test_pricing.py"], expect![""]);
    // A recursive function's own calls would read the new module's name.
    let recursive = workspace.replace("    return x * 0.2", "    return x * 0.2 if x < 1 else tax(x - 1)");
    check_move(
        &recursive,
        "shop/taxes.py",
        expect![[
            r#"refused: the string "shop.pricing.tax" (the old module's `tax`, which the moved code's own calls would no longer read) at test_pricing.py:5 cannot be updated exactly; the move is refused"#
        ]],
    );
    // Twin: where the old module keeps nothing, the string follows.
    let gone =
        workspace.replace("\n\ndef total(xs):\n    return sum(tax(x) for x in xs)\n", "\n").replace("    assert pricing.total([1, 2]) == 14\n", "    pass\n");
    check_move_of(
        &gone,
        "shop/taxes.py",
        &["test_pricing.py"],
        expect![[r#"
            //- /test_pricing.py
            from unittest import mock
            from shop import pricing


            @mock.patch("shop.taxes.tax", return_value=7)
            def test_total(_):
                pass
        "#]],
    );
}

#[test]
fn a_decorator_that_may_register_the_definition_needs_the_new_module_imported() {
    let workspace = "//- /plugins.py\nREGISTRY = {}\n\n\ndef register(fn):\n    REGISTRY[fn.__name__] = fn\n    return fn\n\n\n@register\ndef hel$0lo():\n    return \"hello\"\n";
    check_move(
        workspace,
        "greetings.py",
        expect![
            "refused: `@register` on `hello` (at plugins.py:10) runs when its module is imported and may register it; nothing would import `greetings` for it"
        ],
    );
    // Twins: the old module still uses it (and imports it back), or the
    // decorator only wraps it.
    let used = "//- /registry.py\nREGISTRY = {}\n\n\ndef register(fn):\n    REGISTRY[fn.__name__] = fn\n    return fn\n//- /plugins.py\nfrom registry import register\n\n\n@register\ndef hel$0lo():\n    return \"hello\"\n\n\nGREETING = hello()\n";
    assert!(!moved(used, "greetings.py", None).starts_with("refused"), "{}", moved(used, "greetings.py", None));
    for (module, decorator) in [("functools", "lru_cache"), ("typing", "final"), ("contextlib", "contextmanager")] {
        let wrapped = format!("//- /plugins.py\nimport {module}\n\n\n@{module}.{decorator}\ndef hel$0lo():\n    yield \"hello\"\n");
        assert!(!moved(&wrapped, "greetings.py", None).starts_with("refused"), "{}", moved(&wrapped, "greetings.py", None));
    }
}

#[test]
fn a_chain_from_a_name_the_graph_does_not_know_may_reach_the_old_module_which_keeps_the_name() {
    // `a` is bound in the package by importing its submodule `pkg.a`: the
    // old module keeps the name, imported back, for whatever reaches it.
    let workspace = "//- /pkg/__init__.py\nfrom .a import *\n\na._b.f()\n//- /pkg/a.py\nfrom . import b as _b\n//- /pkg/b.py\ndef $0f():\n    return 1\n\n\ndef h():\n    return 2\n";
    check_move(
        workspace,
        "pkg/c.py",
        expect![[r#"
            //- /pkg/b.py
            from pkg.c import f  # noqa: F401


            def h():
                return 2
            //- /pkg/c.py (new)
            def f():
                return 1
        "#]],
    );
    // Twin: a chain whose head is known (a local) is followed as before.
    let known = "//- /pkg/__init__.py\n//- /pkg/b.py\ndef $0f():\n    return 1\n//- /main.py\ndef go(thing):\n    return thing.f()\n";
    assert!(!moved(known, "pkg/c.py", None).starts_with("refused"), "{}", moved(known, "pkg/c.py", None));
}

#[test]
fn a_star_import_after_the_definition_may_bind_it_again() {
    let workspace = "//- /fast.py\ndef f():\n    return \"fast\"\n//- /old.py\ndef $0f():\n    return \"generic\"\n\n\nfrom fast import *\n//- /main.py\nfrom old import f\n";
    check_move(
        workspace,
        "new.py",
        expect!["refused: `from fast import *` after it, which may bind `f` again at old.py:5 cannot be updated exactly; the move is refused"],
    );
}

#[test]
fn a_class_that_its_base_or_metaclass_may_register_needs_the_new_module_imported() {
    let hook = "//- /plugins.py\nREGISTRY = {}\n\n\nclass Base:\n    def __init_subclass__(cls, **kwargs):\n        super().__init_subclass__(**kwargs)\n        REGISTRY[cls.__name__] = cls\n\n\nclass Hel$0lo(Base):\n    pass\n";
    check_move(
        hook,
        "hello.py",
        expect![
            "refused: `Base.__init_subclass__` on `Hello` (at plugins.py:10) runs when its module is imported and may register it; nothing would import `hello` for it"
        ],
    );
    let meta = "//- /plugins.py\nREGISTRY = {}\n\n\nclass Registry(type):\n    def __init__(cls, name, bases, ns):\n        super().__init__(name, bases, ns)\n        REGISTRY[name] = cls\n\n\nclass Hel$0lo(\n    metaclass=Registry,\n):\n    pass\n";
    check_move(
        meta,
        "hello.py",
        expect![
            "refused: its metaclass on `Hello` (at plugins.py:10) runs when its module is imported and may register it; nothing would import `hello` for it"
        ],
    );
    // The metaclass of a base (the second tester's case 01, its metaclass variant).
    let base_meta = "//- /plugins.py\nREGISTRY = {}\n\n\nclass Meta(type):\n    def __init__(cls, name, bases, ns):\n        super().__init__(name, bases, ns)\n        REGISTRY[name] = cls\n\n\nclass Base(metaclass=Meta):\n    pass\n\n\nclass Hel$0lo(Base):\n    pass\n";
    check_move(
        base_meta,
        "hello.py",
        expect![
            "refused: the metaclass of `Base` on `Hello` (at plugins.py:14) runs when its module is imported and may register it; nothing would import `hello` for it"
        ],
    );
    // A class body acting outside the class (tester case 29).
    check_move(
        "//- /plugins.py\nREGISTRY = []\n\n\nclass Hel$0lo:\n    REGISTRY.append(\"hello\")\n    name = \"hello\"\n",
        "hello.py",
        expect![[
            r#"refused: its class body (`REGISTRY.append("hello")`) on `Hello` (at plugins.py:4) runs when its module is imported and may register it; nothing would import `hello` for it"#
        ]],
    );
    // Twin: a plain base class, a body binding only its own names.
    let plain = "//- /plugins.py\nclass Base:\n    pass\n\n\nclass Hel$0lo(Base):\n    name = \"hello\"\n    size: int = 1\n";
    assert!(!moved(plain, "hello.py", None).starts_with("refused"), "{}", moved(plain, "hello.py", None));
}

#[test]
fn a_new_module_that_would_shadow_the_standard_library_or_a_package_attribute_is_refused() {
    let workspace = "//- /app/__init__.py\ntools = \"an attribute\"\n//- /app/util.py\ndef f$0():\n    return 1\n//- /app/helpers.py\n//- /main.py\nfrom app.util import f\n";
    check_move(
        workspace,
        "time.py",
        expect![
            "refused: `time` is a standard-library module: a workspace module of that name would shadow it for the whole project (or a built-in one would shadow it); the move is refused"
        ],
    );
    check_move(
        workspace,
        "app/tools.py",
        expect![
            "refused: `tools` is already bound in package `app` at app/__init__.py:1: importing the submodule `app.tools` would replace it; the move is refused"
        ],
    );
    check_move(
        workspace,
        "app/helpers/x.py",
        expect![
            "refused: `app.helpers` is the module app/helpers.py, not a package: it would shadow a folder of that name, and `app.helpers.x` could not be imported; the move is refused"
        ],
    );
    // Twin: a new module of a name nothing has.
    check_move_of(
        workspace,
        "app/tooling.py",
        &["main.py"],
        expect![[r#"
            //- /main.py
            from app.tooling import f
        "#]],
    );
}

#[path = "symbol_move_state_tests.rs"]
mod state_tests;

#[path = "symbol_move_module_tests.rs"]
mod module_tests;

#[path = "symbol_move_registers_tests.rs"]
mod registers_tests;

#[path = "symbol_move_kept_tests.rs"]
mod kept_tests;

#[path = "symbol_move_exports_tests.rs"]
mod exports_tests;

#[path = "symbol_move_string_tests.rs"]
mod string_tests;

#[path = "symbol_move_unused_tests.rs"]
mod unused_tests;

#[path = "symbol_move_reexport_tests.rs"]
mod reexport_tests;

#[path = "symbol_move_conditional_tests.rs"]
mod conditional_tests;

#[path = "symbol_move_inferred_tests.rs"]
mod inferred_tests;

#[path = "symbol_move_descriptor_tests.rs"]
mod descriptor_tests;

#[path = "symbol_move_mutations_tests.rs"]
mod mutations_tests;

#[path = "namespace_readers_tests.rs"]
mod namespace_readers_tests;

#[path = "symbol_move_subclasses_tests.rs"]
mod subclasses_tests;

#[path = "symbol_move_own_file_tests.rs"]
mod own_file_tests;

#[path = "symbol_move_package_tests.rs"]
mod package_tests;
