//! The moved symbol read through its old module elsewhere (`fields.gross(x)`):
//! the old module keeps the name, imported back as a re-export.

use expect_test::expect;

use super::check_move;

const SHOP: &str = "//- /shop/__init__.py\n//- /shop/cart.py\nfrom shop import fields\n\n\ndef total(x):\n    return fields.net(x) + fields.gross(x)\n//- /shop/fields.py\ndef net(x):\n    return x\n\n\nGROSS\n";

#[test]
fn a_symbol_read_through_its_old_module_stays_importable_from_it() {
    // `cart.py` is not among the files written: `fields.gross(x)` still reads it.
    check_move(
        &SHOP.replace("GROSS", "def gro$0ss(x):\n    return x * 2"),
        "shop/helpers.py",
        expect![[r#"
            //- /shop/fields.py
            from shop.helpers import gross  # noqa: F401


            def net(x):
                return x
            //- /shop/helpers.py (new)
            def gross(x):
                return x * 2
        "#]],
    );
}

#[test]
fn a_re_export_that_would_close_a_cycle_or_miss_a_patch_of_its_own_calls_is_refused() {
    // The moved code reads the old module's `net`: the re-export would close a cycle.
    check_move(
        &SHOP.replace("GROSS", "def gro$0ss(x):\n    return net(x) * 2"),
        "shop/helpers.py",
        expect![
            "refused: the move would make a circular import at module level: shop.fields → shop.helpers → shop.fields (`shop.fields` imports `gross` back for `fields.gross` at shop/cart.py:5; import it from `shop.helpers` there and the move can go)"
        ],
    );
    // It calls itself, and a test sets it on the old module: its own calls would read the new module's.
    let patched = "def gro$0ss(x):\n    return x if x < 2 else gross(x - 1)\n//- /test_cart.py\nfrom shop import fields\n\n\ndef test(monkeypatch):\n    monkeypatch.setattr(fields, \"gross\", abs)\n";
    check_move(
        &SHOP.replace("GROSS", patched),
        "shop/helpers.py",
        expect![
            "refused: `gross` calls itself, and test_cart.py:5 sets `gross` on `shop.fields`, which would keep the name only imported back for `shop.fields.gross` readers: its own calls would no longer see that; the move is refused"
        ],
    );
    // Twin: the same recursive code, nothing patches it, moves.
    let unpatched = "def gro$0ss(x):\n    return x if x < 2 else gross(x - 1)\n";
    check_move(
        &SHOP.replace("GROSS", unpatched),
        "shop/helpers.py",
        expect![[r#"
            //- /shop/fields.py
            from shop.helpers import gross  # noqa: F401


            def net(x):
                return x
            //- /shop/helpers.py (new)
            def gross(x):
                return x if x < 2 else gross(x - 1)
        "#]],
    );
}

#[test]
fn the_import_back_is_marked_a_re_export_as_linters_read_it() {
    // Listed in `__all__`: a plain import (ruff, mypy and pyright take the list).
    check_move(
        &SHOP
            .replace("//- /shop/fields.py\n", "//- /shop/fields.py\n__all__ = [\"net\", \"gross\"]\n\n\n")
            .replace("GROSS", "def gro$0ss(x):\n    return x * 2"),
        "shop/helpers.py",
        expect![[r#"
            //- /shop/fields.py
            __all__ = ["net", "gross"]

            from shop.helpers import gross


            def net(x):
                return x
            //- /shop/helpers.py (new)
            def gross(x):
                return x * 2
        "#]],
    );
    // A package's `__init__.py`: `as gross` (PEP 484's re-export; PLC0414 skips `__init__.py`).
    check_move(
        "//- /shop/__init__.py\ndef net(x):\n    return x\n\n\ndef gro$0ss(x):\n    return x * 2\n//- /shop/cart.py\nimport shop\n\n\ndef total(x):\n    return shop.net(x) + shop.gross(x)\n",
        "shop/helpers.py",
        expect![[r#"
            //- /shop/__init__.py
            from shop.helpers import gross as gross


            def net(x):
                return x
            //- /shop/helpers.py (new)
            def gross(x):
                return x * 2
        "#]],
    );
    // Twin: not listed where `__all__` is, not listed into it (`from shop.fields import *` would take it).
    check_move(
        &SHOP.replace("//- /shop/fields.py\n", "//- /shop/fields.py\n__all__ = [\"net\"]\n\n\n").replace("GROSS", "def gro$0ss(x):\n    return x * 2"),
        "shop/helpers.py",
        expect![[r#"
            //- /shop/fields.py
            __all__ = ["net"]

            from shop.helpers import gross  # noqa: F401


            def net(x):
                return x
            //- /shop/helpers.py (new)
            def gross(x):
                return x * 2
        "#]],
    );
}
