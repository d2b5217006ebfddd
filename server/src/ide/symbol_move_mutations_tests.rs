//! Module-level code of the old module that changes the moved object as
//! it is imported (tester 25 case 01): refused when an importer is
//! redirected to the new module; moved when that code only reads it, or
//! nothing outside the old module imports it.

use expect_test::expect;

use super::outcomes;

const DISPATCH: &str = "//- /pkg/__init__.py\n//- /pkg/old.py\nfrom functools import singledispatch\n\n\n@singledispatch\ndef sh$0ow(x):\n    return \"obj\"\n\n\nAFTER\n//- /pkg/user.py\nfrom pkg.old import show\n\n\ndef use():\n    return show(1)\n";

#[test]
fn code_left_behind_that_completes_the_moved_object_refuses_the_move() {
    let fills = [
        "@show.register\ndef _(x: int):\n    return \"int\"",
        "show.calls = 7",
        "show.cache[1] = 2",
        "setattr(show, \"calls\", 7)",
        "show.register(float, lambda x: \"f\")",
        "if True:\n    del show.__wrapped__",
        // Twins: reads of it, a function body (runs when called, by whoever imported it).
        "ALIAS = show\nprint(show.__name__)",
        "def later():\n    show.calls = 1",
    ];
    expect![[r#"
        [
            "refused: `@show.register` at pkg/old.py:9 changes `show` when `pkg.old` is imported; `pkg/user.py` would import it from `pkg.disp` and no longer import `pkg.old`, so that would not run for it; the move is refused",
            "refused: `show.calls = 7` at pkg/old.py:9 changes `show` when `pkg.old` is imported; `pkg/user.py` would import it from `pkg.disp` and no longer import `pkg.old`, so that would not run for it; the move is refused",
            "refused: `show.cache[1] = 2` at pkg/old.py:9 changes `show` when `pkg.old` is imported; `pkg/user.py` would import it from `pkg.disp` and no longer import `pkg.old`, so that would not run for it; the move is refused",
            "refused: `setattr(show, \"calls\", 7)` at pkg/old.py:9 changes `show` when `pkg.old` is imported; `pkg/user.py` would import it from `pkg.disp` and no longer import `pkg.old`, so that would not run for it; the move is refused",
            "refused: `show.register(float, lambda x: \"f\")` at pkg/old.py:9 changes `show` when `pkg.old` is imported; `pkg/user.py` would import it from `pkg.disp` and no longer import `pkg.old`, so that would not run for it; the move is refused",
            "refused: `del show.__wrapped__` at pkg/old.py:10 changes `show` when `pkg.old` is imported; `pkg/user.py` would import it from `pkg.disp` and no longer import `pkg.old`, so that would not run for it; the move is refused",
            "moved",
            "moved",
        ]
    "#]]
    .assert_debug_eq(&outcomes(DISPATCH, "AFTER", &fills, "pkg/disp.py"));
}

#[test]
fn code_left_behind_completes_the_moved_object_for_the_old_modules_own_readers() {
    // `Conf.level = 3` after a moved class; with no importer but the old
    // module itself (which imports it back), that code still runs first.
    let conf = "//- /pkg/__init__.py\n//- /pkg/old.py\nclass Co$0nf:\n    pass\n\n\nConf.level = 3\n\n\ndef level():\n    return Conf.level\nUSER";
    let fills = ["\n//- /pkg/user.py\nfrom pkg.old import Conf\nprint(Conf.level)\n", "\n//- /pkg/user.py\nfrom pkg.old import level\nprint(level())\n"];
    expect![[r#"
        [
            "refused: `Conf.level = 3` at pkg/old.py:5 changes `Conf` when `pkg.old` is imported; `pkg/user.py` would import it from `pkg.conf` and no longer import `pkg.old`, so that would not run for it; the move is refused",
            "moved",
        ]
    "#]]
    .assert_debug_eq(&outcomes(conf, "USER", &fills, "pkg/conf.py"));
}
