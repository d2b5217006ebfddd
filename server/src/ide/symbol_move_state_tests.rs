//! What the moved code reads of its old module that an import from there
//! cannot give it: a name bound only for type checkers.

use expect_test::expect;

use super::{check_move, check_move_of, moved};

/// humanize's `NumberOrString`: a type alias under the `TYPE_CHECKING =
/// False` idiom, read in annotations only.
const ALIAS: &str = r#"
//- /old.py
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TypeAlias

    Number: TypeAlias = "float | str"


def desc$0ribe(value: Number) -> str:
    return "<%s>" % value
//- /main.py
from old import describe
print(describe(1))
"#;

#[test]
fn a_name_bound_only_for_type_checkers_follows_under_type_checking_or_is_refused_and_its_twin_bound_at_run_time_moves() {
    // Read only in annotations that never run: imported for type checkers.
    for test in ["TYPE_CHECKING", "typing.TYPE_CHECKING"] {
        check_move_of(
            &ALIAS.replace("if TYPE_CHECKING:", &format!("if {test}:")),
            "new.py",
            &["new.py"],
            expect![[r#"
                //- /new.py (new)
                from __future__ import annotations

                from typing import TYPE_CHECKING

                if TYPE_CHECKING:
                    from old import Number


                def describe(value: Number) -> str:
                    return "<%s>" % value
            "#]],
        );
    }
    // Annotations evaluated at run time, or a block type checkers skip too: refused.
    check_move(
        &ALIAS.replace("from __future__ import annotations\n\n", ""),
        "new.py",
        expect!["refused: `Number`, bound only for type checkers (under `if TYPE_CHECKING:`), at old.py:5 cannot be updated exactly; the move is refused"],
    );
    check_move(
        &ALIAS.replace("TYPE_CHECKING = False\nif TYPE_CHECKING:", "if False:"),
        "new.py",
        expect!["refused: `Number`, bound only for type checkers (under `if TYPE_CHECKING:`), at old.py:6 cannot be updated exactly; the move is refused"],
    );
    // Twin: bound when the module runs, the alias is imported from it.
    check_move(
        &ALIAS.replace("TYPE_CHECKING = False\nif TYPE_CHECKING:", "RUNNING = True\nif RUNNING:"),
        "new.py",
        expect![[r#"
            //- /main.py
            from new import describe
            print(describe(1))
            //- /new.py (new)
            from __future__ import annotations

            from old import Number


            def describe(value: Number) -> str:
                return "<%s>" % value
            //- /old.py
            from __future__ import annotations

            RUNNING = True
            if RUNNING:
                from typing import TypeAlias

                Number: TypeAlias = "float | str"
        "#]],
    );
}

#[test]
fn a_definition_its_module_may_find_by_a_computed_name_stays_and_its_twin_moves() {
    let handlers = "//- /old.py\nimport sys\n\n\ndef handle$0_a():\n    return 'a'\n\n\ndef dispatch(kind):\n    return LOOKUP\n";
    check_move(
        &handlers.replace("LOOKUP", "globals()['handle_' + kind]()"),
        "new.py",
        expect!["refused: old.py:9 looks up a name computed at run time, which may be `handle_a`: what it finds cannot be updated; the move is refused"],
    );
    check_move(
        &handlers.replace("LOOKUP", "getattr(sys.modules[__name__], 'handle_' + kind)()"),
        "new.py",
        expect!["refused: old.py:9 looks up a name computed at run time, which may be `handle_a`: what it finds cannot be updated; the move is refused"],
    );
    // A name built by `%`-formatting, like the `+` above.
    check_move(
        &handlers.replace("LOOKUP", "globals()['handle_%s' % kind]()"),
        "new.py",
        expect!["refused: old.py:9 looks up a name computed at run time, which may be `handle_a`: what it finds cannot be updated; the move is refused"],
    );
    check_move(
        &handlers.replace("LOOKUP", "getattr(sys.modules[__name__], 'other_' + kind)()"),
        "new.py",
        expect![[r#"
            //- /new.py (new)
            def handle_a():
                return 'a'
            //- /old.py
            import sys


            def dispatch(kind):
                return getattr(sys.modules[__name__], 'other_' + kind)()
        "#]],
    );
}

#[test]
fn a_doctest_reading_a_global_the_move_takes_away_refuses() {
    // Tester case 13: a doctest left in the old module reads the moved name.
    let core = "//- /pkg/__init__.py\n//- /pkg/core.py\ndef helper(x):\n    \"\"\"\n    >>> helper(3) == double(3)\n    True\n    \"\"\"\n    return x * 2\n\n\ndef $0double(x):\n    return x + x\n";
    check_move(
        core,
        "pkg/other.py",
        expect![
            "refused: a doctest reading `double`, which stays in the old module without it, at pkg/core.py:3 cannot be updated exactly; the move is refused"
        ],
    );
    // Tester case 14: the moved function's doctest reads a global of the old module.
    let own = "//- /pkg/__init__.py\n//- /pkg/core.py\ndef helper(x):\n    return x * 2\n\n\ndef $0double(x):\n    \"\"\"\n    >>> double(3) == helper(3)\n    True\n    \"\"\"\n    return x + x\n";
    check_move(
        own,
        "pkg/other.py",
        expect![
            "refused: the moved doctest `double(3) == helper(3)`, which reads a global of the old module, at pkg/core.py:7 cannot be updated exactly; the move is refused"
        ],
    );
    // Must not: a doctest reading only the moved name itself, or an attribute
    // of the same spelling, moves.
    check_move(
        &own.replace("helper(3)", "6"),
        "pkg/other.py",
        expect![[r#"
        //- /pkg/core.py
        def helper(x):
            return x * 2
        //- /pkg/other.py (new)
        def double(x):
            """
            >>> double(3) == 6
            True
            """
            return x + x
    "#]],
    );
    check_move(
        &core.replace("double(3)", "obj.double(3)"),
        "pkg/other.py",
        expect![[r#"
        //- /pkg/core.py
        def helper(x):
            """
            >>> helper(3) == obj.double(3)
            True
            """
            return x * 2
        //- /pkg/other.py (new)
        def double(x):
            return x + x
    "#]],
    );
}

#[test]
fn a_doctest_importing_the_symbol_from_its_old_module_refuses_the_move_and_its_twin_moves() {
    let doctest = "//- /app/__init__.py\n//- /app/util.py\ndef $0f():\n    return 1\n//- /app/api.py\n\"\"\"\n>>> from app.util import f\n>>> f()\n1\n\"\"\"\nfrom app.util import f\n";
    check_move(doctest, "app/tools.py", expect!["refused: a doctest naming `f` and `util` at app/api.py:2 cannot be updated exactly; the move is refused"]);
    // Twin: the doctest only calls it; the import above it in code is updated.
    check_move(
        &doctest.replace(">>> from app.util import f\n", ""),
        "app/tools.py",
        expect![[r#"
            //- /app/api.py
            """
            >>> f()
            1
            """
            from app.tools import f
            //- /app/tools.py (new)
            def f():
                return 1
            //- /app/util.py
        "#]],
    );
}

#[test]
fn a_stub_declaring_the_symbol_refuses_the_move_and_its_twin_moves() {
    let stubbed = "//- /app/__init__.py\n//- /app/util.py\ndef $0f():\n    return 1\n\n\ndef g():\n    return 2\n//- /app/util.pyi\ndef f() -> int: ...\ndef g() -> int: ...\n";
    check_move(stubbed, "app/tools.py", expect!["refused: the stub's declaration of `f` at app/util.pyi:1 cannot be updated exactly; the move is refused"]);
    check_move(
        &stubbed.replace("def f() -> int: ...\n", ""),
        "app/tools.py",
        expect![[r#"
            //- /app/tools.py (new)
            def f():
                return 1
            //- /app/util.py
            def g():
                return 2
        "#]],
    );
}

#[test]
fn a_module_flag_set_from_outside_refuses_the_move_and_its_twin_read_only_moves() {
    let flag = "//- /old.py\nVERBOSE = False\n\n\ndef desc$0ribe(x):\n    return repr(x) if VERBOSE else x\n//- /main.py\nimport old\nfrom old import describe\n\nSET\nprint(describe(1))\n";
    for (set, at) in [("old.VERBOSE = True", "main.py:4"), ("old.VERBOSE |= True", "main.py:4"), ("setattr(old, \"VERBOSE\", True)", "main.py:4")] {
        let refused = super::moved(&flag.replace("SET", set), "new.py", None);
        assert_eq!(
            refused,
            format!("refused: `describe` reads `VERBOSE`, which is set from outside its module (at {at}): an import would copy its value once")
        );
    }
    let patched = flag.replace("SET", "from unittest import mock\nwith mock.patch(\"old.VERBOSE\", True):\n    pass");
    check_move(
        &patched,
        "new.py",
        expect!["refused: `describe` reads `VERBOSE`, which is set from outside its module (at main.py:5): an import would copy its value once"],
    );
    // Twin: only read from outside (`old.VERBOSE == True` is no store).
    check_move(
        &flag.replace("SET", "print(old.VERBOSE == True)"),
        "new.py",
        expect![[r#"
            //- /main.py
            import old
            from new import describe

            print(old.VERBOSE == True)
            print(describe(1))
            //- /new.py (new)
            from old import VERBOSE


            def describe(x):
                return repr(x) if VERBOSE else x
            //- /old.py
            VERBOSE = False
        "#]],
    );
}

#[test]
fn an_open_notebook_using_the_symbol_refuses_the_move_and_one_using_another_name_does_not() {
    let notebook = "//- /old.py\ndef $0f():\n    return 1\n\n\ndef g():\n    return 2\n//- /analysis.ipynb\nfrom old import f\nf()\n";
    check_move(notebook, "new.py", expect!["refused: a use in a notebook at analysis.ipynb:1 cannot be updated exactly; the move is refused"]);
    check_move(
        &notebook.replace("from old import f\nf()", "from old import g\ng()"),
        "new.py",
        expect![[r#"
            //- /new.py (new)
            def f():
                return 1
            //- /old.py
            def g():
                return 2
        "#]],
    );
}

#[test]
fn names_for_type_checkers_read_only_in_lazy_annotations_follow_under_type_checking() {
    // pluggy's `PluginManager`, humanize's `NumberOrString`.
    let lazy = "//- /old.py\nfrom __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from decimal import Decimal\n\n    Number = float | str\n\n\ndef desc$0ribe(value: Number, d: Decimal) -> str:\n    x: Decimal = d\n    return \"<%s>\" % value\n";
    check_move(
        lazy,
        "new.py",
        expect![[r#"
            //- /new.py (new)
            from __future__ import annotations

            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from decimal import Decimal

                from old import Number


            def describe(value: Number, d: Decimal) -> str:
                x: Decimal = d
                return "<%s>" % value
            //- /old.py
            from __future__ import annotations

            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from decimal import Decimal

                Number = float | str
        "#]],
    );
    // Twins: read at run time, or moved into an existing module, they refuse.
    check_move(
        &lazy.replace("    return \"<%s>\" % value", "    return isinstance(value, Decimal)"),
        "new.py",
        expect!["refused: `Decimal`, bound only for type checkers (under `if TYPE_CHECKING:`), at old.py:6 cannot be updated exactly; the move is refused"],
    );
    check_move(
        &format!("{lazy}//- /new.py\nX = 1\n"),
        "new.py",
        expect!["refused: `Number`, imported for type checkers only (into an existing module), at old.py:11 cannot be updated exactly; the move is refused"],
    );
    check_move(
        &lazy.replace("from __future__ import annotations\n\n", ""),
        "new.py",
        expect!["refused: `Number`, bound only for type checkers (under `if TYPE_CHECKING:`), at old.py:6 cannot be updated exactly; the move is refused"],
    );
}

#[test]
fn names_read_only_in_string_annotations_follow_under_type_checking_without_the_future_import() {
    // Tester 23 case 10 (mistune's plugins): `state: "InlineState"`, never
    // evaluated, like an annotation under `from __future__ import annotations`.
    let quoted = "//- /pkg/__init__.py\n//- /pkg/core.py\nclass InlineState:\n    depth = 0\n//- /pkg/plugins.py\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from .core import InlineState\n\n\ndef dee$0pen(state: \"InlineState\") -> int:\n    state.depth += 1\n    return state.depth\n";
    check_move_of(
        quoted,
        "pkg/depth.py",
        &["pkg/depth.py"],
        expect![[r#"
            //- /pkg/depth.py (new)
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from .core import InlineState


            def deepen(state: "InlineState") -> int:
                state.depth += 1
                return state.depth
        "#]],
    );
    // Twins: read at run time too, it refuses; bound at run time, it is imported at run time.
    check_move_of(
        &quoted.replace("    return state.depth", "    return isinstance(state, InlineState)"),
        "pkg/depth.py",
        &["pkg/depth.py"],
        expect![
            "refused: `InlineState`, bound only for type checkers (under `if TYPE_CHECKING:`), at pkg/plugins.py:4 cannot be updated exactly; the move is refused"
        ],
    );
    check_move_of(
        &quoted.replace("if TYPE_CHECKING:\n    from .core", "from .core"),
        "pkg/depth.py",
        &["pkg/depth.py"],
        expect![[r#"
            //- /pkg/depth.py (new)
            from .core import InlineState


            def deepen(state: "InlineState") -> int:
                state.depth += 1
                return state.depth
        "#]],
    );
}

#[test]
fn code_reading_its_module_namespace_or_docstring_refuses_the_move() {
    let base = "//- /old.py\n\"\"\"Old.\"\"\"\nimport sys\n\n\ndef he$0lper(o):\n    return READ\n//- /new.py\n";
    let refusals: Vec<String> = ["__doc__", "__annotations__", "globals()", "vars()", "vars ( )", "sys.modules[__name__]"]
        .iter()
        .map(|read| moved(&base.replace("READ", read), "new.py", None))
        .collect();
    expect![[r#"
        [
            "refused: `helper` reads `__doc__` at old.py:6, which is its module's own: moved, it would read the new module's",
            "refused: `helper` reads `__annotations__` at old.py:6, which is its module's own: moved, it would read the new module's",
            "refused: `helper` reads `globals()` at old.py:6, which is its module's own: moved, it would read the new module's",
            "refused: `helper` reads `vars()` at old.py:6, which is its module's own: moved, it would read the new module's",
            "refused: `helper` reads `vars()` at old.py:6, which is its module's own: moved, it would read the new module's",
            "refused: `helper` reads `__name__` at old.py:6, which is its module's own: moved, it would read the new module's",
        ]
    "#]]
    .assert_debug_eq(&refusals);
    // A class body's `__module__` is its module's name.
    let class = "//- /old.py\nclass A$0:\n    origin = __module__\n//- /new.py\n";
    check_move(class, "new.py", expect!["refused: `A` reads `__module__` at old.py:2, which is its module's own: moved, it would read the new module's"]);
    // Must not: an object's namespace, docstring or module.
    check_move_of(
        &base.replace("READ", "vars(o), o.__doc__, o.__module__, sys.argv"),
        "new.py",
        &["new.py"],
        expect![[r#"
            //- /new.py
            import sys


            def helper(o):
                return vars(o), o.__doc__, o.__module__, sys.argv
        "#]],
    );
}

/// Tester 15 case 07: a registry scanning its module's own classes.
const SHAPES: &str = r#"
//- /shapes.py
import inspect, sys


class Cir$0cle:
    pass


class Square:
    pass


def all_shapes():
    return [n for n, c in SCAN if c.__module__ == __name__]
//- /main.py
from shapes import Circle, all_shapes
print(all_shapes(), Circle)
"#;

#[test]
fn a_module_listing_its_own_names_whole_refuses_moving_a_definition_out() {
    let refused = |scan: &str| moved(&SHAPES.replace("SCAN", scan), "newshapes.py", None);
    let shown: Vec<String> = ["inspect.getmembers(sys.modules[__name__], inspect.isclass)", "globals().items()", "vars(sys.modules[__name__]).items()"]
        .iter()
        .map(|scan| refused(scan))
        .collect();
    expect![[r#"
        [
            "refused: `inspect.getmembers(sys.modules[__name__], inspect.isclass)`, which lists `shapes` whole and finds `Circle` there at shapes.py:13 cannot be updated exactly; the move is refused",
            "refused: `globals().items()`, which lists `shapes` whole and finds `Circle` there at shapes.py:13 cannot be updated exactly; the move is refused",
            "refused: `vars(sys.modules[__name__]).items()`, which lists `shapes` whole and finds `Circle` there at shapes.py:13 cannot be updated exactly; the move is refused",
        ]
    "#]]
    .assert_debug_eq(&shown);
    // Twin: a name looked up by a literal is followed by the move's checks; the class moves.
    check_move(
        &SHAPES.replace("SCAN", "[(\"Square\", globals()[\"Square\"])]"),
        "newshapes.py",
        expect![[r#"
            //- /main.py
            from shapes import all_shapes
            from newshapes import Circle
            print(all_shapes(), Circle)
            //- /newshapes.py (new)
            class Circle:
                pass
            //- /shapes.py
            import inspect, sys


            class Square:
                pass


            def all_shapes():
                return [n for n, c in [("Square", globals()["Square"])] if c.__module__ == __name__]
        "#]],
    );
}

/// Tester 15 case 08: a loader telling its own plugins by their module.
const LOADER: &str = r#"
//- /pkg/__init__.py
//- /pkg/old.py
class Plu$0gin:
    pass
//- /pkg/loader.py
from pkg.old import Plugin


def is_builtin(cls):
    return cls.__module__ == "pkg.old"
"#;

#[test]
fn a_comparison_of_module_with_the_old_modules_name_refuses_the_move() {
    check_move(
        LOADER,
        "pkg/new.py",
        expect![[
            r#"refused: a comparison of `__module__` with "pkg.old", which `Plugin` would no longer answer, at pkg/loader.py:5 cannot be updated exactly; the move is refused"#
        ]],
    );
    // Twin: the string names another module; the import follows.
    check_move(
        &LOADER.replace("== \"pkg.old\"", "== \"pkg.other\""),
        "pkg/new.py",
        expect![[r#"
        //- /pkg/loader.py
        from pkg.new import Plugin


        def is_builtin(cls):
            return cls.__module__ == "pkg.other"
        //- /pkg/new.py (new)
        class Plugin:
            pass
        //- /pkg/old.py
    "#]],
    );
}
