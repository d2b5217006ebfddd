//! Tester 24 case 07: `X as X` in a package's `__init__` is a re-export.

use expect_test::expect;

use super::tests::check_rename;

const PKG: &str =
    "//- /pkg/__init__.py\nfrom .mod import Thing ALIAS\n//- /pkg/mod.py\nclass Th$0ing:\n    pass\n//- /run.py\nfrom pkg.mod import Thing\nprint(Thing)\n";

#[test]
fn a_redundant_alias_re_export_refuses_and_another_alias_is_kept() {
    check_rename(
        &PKG.replace("ALIAS", "as Thing"),
        "Widget",
        expect![
            "refused: `Thing as Thing` at pkg/__init__.py:1 re-exports `Thing` explicitly (PEP 484's redundant alias): renamed on one side it would be an unused import, no re-export; rename both sides and the package's readers by hand; rename refused"
        ],
    );
    // Must stay: another alias keeps its name.
    check_rename(
        &PKG.replace("ALIAS", "as Gadget"),
        "Widget",
        expect![[r#"
            //- /pkg/__init__.py
            from .mod import Widget as Gadget
            //- /pkg/mod.py
            class Widget:
                pass
            //- /run.py
            from pkg.mod import Widget
            print(Widget)
        "#]],
    );
}
