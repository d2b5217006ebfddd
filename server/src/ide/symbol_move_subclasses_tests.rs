//! A subclass found through an ancestor's `__subclasses__()` (tester 25
//! case 06): moved to a module nothing imports, it would be missing.

use expect_test::expect;

use super::outcomes;

const IMPLS: &str = "//- /pkg/__init__.py\n//- /pkg/base.py\nclass Base:\n    @classmethod\n    def all(cls):\n        return sorted(c.__name__ for c in DISCOVER)\n\n\nclass Other:\n    pass\n//- /pkg/impls.py\nfrom pkg.base import Base, Other\n\n\nclass ImplA(Base):\n    pass\n\n\nclass Impl$0B(Base):\n    pass\n\n\nclass Unrelated(Other):\n    pass\n//- /pkg/app.py\nimport pkg.impls  # noqa: F401\nfrom pkg.base import Base\n\n\ndef names():\n    return Base.all()\n";

#[test]
fn a_subclass_an_ancestor_lists_refuses_a_move_nothing_would_import() {
    let fills = [
        "cls.__subclasses__()",
        "Base.__subclasses__()",
        "type.__subclasses__(Base)",
        // Twins: the subclasses of a class that is not its ancestor.
        "Other.__subclasses__()",
        "()",
    ];
    expect![[r#"
        [
            "refused: `cls.__subclasses__` at pkg/base.py:4 may list `ImplB`, which exists only once its module has been imported; nothing would import `pkg.implb` where `pkg.impls` is imported; the move is refused",
            "refused: `Base.__subclasses__` at pkg/base.py:4 may list `ImplB`, which exists only once its module has been imported; nothing would import `pkg.implb` where `pkg.impls` is imported; the move is refused",
            "refused: `type.__subclasses__` at pkg/base.py:4 may list `ImplB`, which exists only once its module has been imported; nothing would import `pkg.implb` where `pkg.impls` is imported; the move is refused",
            "moved",
            "moved",
        ]
    "#]]
    .assert_debug_eq(&outcomes(IMPLS, "DISCOVER", &fills, "pkg/implb.py"));
}

#[test]
fn a_listed_subclass_moves_when_its_old_module_imports_it_back() {
    // The old module reads it (and so imports it back from the new one).
    let kept = IMPLS.replace("DISCOVER", "cls.__subclasses__()").replace("class Unrelated(Other):\n    pass\n", "DEFAULT = ImplB\n");
    expect!["//- /pkg/impls.py"].assert_eq(super::moved(&kept, "pkg/implb.py", Some(&["pkg/impls.py"])).lines().next().unwrap_or_default());
}
