//! What the moved code takes from its old module as a module: its future
//! imports, its PEP 562 hooks, its imports that code elsewhere patches,
//! and the `@overload` variants beside it.

use expect_test::expect;

use super::{check_move, check_move_of, moved};

/// A library that supports Python 3.8: `str | bytes` is never evaluated.
const FUTURE: &str = r#"
//- /enc.py
from __future__ import annotations


def want_by$0tes(s: str | bytes) -> bytes:
    return s.encode() if isinstance(s, str) else s
//- /main.py
from enc import want_bytes
print(want_bytes("x"))
"#;

#[test]
fn a_module_the_code_moves_to_takes_the_old_ones_future_imports_unless_it_has_annotations_of_its_own() {
    check_move_of(
        FUTURE,
        "util.py",
        &["util.py"],
        expect![[r#"
            //- /util.py (new)
            from __future__ import annotations


            def want_bytes(s: str | bytes) -> bytes:
                return s.encode() if isinstance(s, str) else s
        "#]],
    );
    // A class naming itself in its annotations, which only the future import leaves unevaluated.
    let node = "//- /shapes.py\nfrom __future__ import annotations\n\n\nclass No$0de:\n    def child(self) -> Node:\n        return Node()\n//- /main.py\nfrom shapes import Node\n";
    check_move_of(
        node,
        "node.py",
        &["node.py"],
        expect![[r#"
            //- /node.py (new)
            from __future__ import annotations


            class Node:
                def child(self) -> Node:
                    return Node()
        "#]],
    );
    // An existing module without annotations of its own takes the import too.
    let existing = format!("{FUTURE}//- /util.py\nimport os\n");
    check_move_of(
        &existing,
        "util.py",
        &["util.py"],
        expect![[r#"
            //- /util.py
            from __future__ import annotations

            import os


            def want_bytes(s: str | bytes) -> bytes:
                return s.encode() if isinstance(s, str) else s
        "#]],
    );
    // One with annotations it evaluates would stop evaluating them.
    check_move(
        &format!("{FUTURE}//- /util.py\nimport os\n\n\ndef cwd() -> str:\n    return os.getcwd()\n"),
        "util.py",
        expect![
            "refused: `want_bytes` has annotations that `enc` never evaluates (`from __future__ import annotations`); `util` has annotations of its own, which that import would stop evaluating; the move is refused"
        ],
    );
    // The other way: annotations evaluated now would become strings in a module that defers them.
    let evaluated = "//- /enc.py\ndef sc$0ale(v: int) -> int:\n    return v * 2\n//- /util.py\nfrom __future__ import annotations\n";
    check_move(
        evaluated,
        "util.py",
        expect![
            "refused: `scale` has annotations that `enc` evaluates; `util` has `from __future__ import annotations`, which would leave them unevaluated strings; the move is refused"
        ],
    );
    // Must not: code without annotations needs no future import.
    check_move_of(
        &evaluated.replace("(v: int) -> int", "(v)"),
        "util.py",
        &["util.py"],
        expect![[r#"
            //- /util.py
            from __future__ import annotations


            def scale(v):
                return v * 2
        "#]],
    );
    let plain = existing.replace("(s: str | bytes) -> bytes", "(s)");
    check_move_of(
        &plain,
        "util.py",
        &["util.py"],
        expect![[r#"
            //- /util.py
            import os


            def want_bytes(s):
                return s.encode() if isinstance(s, str) else s
        "#]],
    );
}

#[test]
fn a_module_getattr_or_dir_is_refused_and_another_dunder_function_moves() {
    let lazy = "//- /pkg/__init__.py\nVERSION = \"1.0\"\n\n\ndef __getat$0tr__(name):\n    if name == \"__version__\":\n        return VERSION\n    raise AttributeError(name)\n//- /main.py\nimport pkg\nprint(pkg.__version__)\n";
    check_move(
        lazy,
        "pkg/_compat.py",
        expect![
            "refused: `__getattr__` is how Python answers for the attributes of `pkg` (a module `__getattr__`/`__dir__`, PEP 562): in another module it would answer for that one"
        ],
    );
    check_move(
        &lazy.replace("__getat$0tr__", "__d$0ir__"),
        "pkg/_compat.py",
        expect![
            "refused: `__dir__` is how Python answers for the attributes of `pkg` (a module `__getattr__`/`__dir__`, PEP 562): in another module it would answer for that one"
        ],
    );
    // Must not: a function that is no hook of its module.
    check_move_of(
        &lazy.replace("__getat$0tr__", "ver$0sion_of"),
        "pkg/_compat.py",
        &["pkg/_compat.py"],
        expect![[r#"
            //- /pkg/_compat.py (new)
            from pkg import VERSION


            def version_of(name):
                if name == "__version__":
                    return VERSION
                raise AttributeError(name)
        "#]],
    );
}

/// `load` reads `import_module`, which its old module imports.
const PATCHED: &str = r#"
//- /pkg/__init__.py
//- /pkg/old.py
from importlib import import_module


def lo$0ad(name):
    return import_module(name).__name__


def other():
    return 1
//- /test_old.py
from unittest import mock
from pkg import old
from pkg.old import load

PATCH
"#;

#[test]
fn an_import_of_the_old_module_patched_from_outside_is_refused_and_its_twin_unpatched_moves() {
    for patch in ["with mock.patch(\"pkg.old.import_module\"):\n    load(\"json\")", "with mock.patch.object(old, \"import_module\"):\n    load(\"json\")"] {
        check_move(
            &PATCHED.replace("PATCH", patch),
            "pkg/new.py",
            expect![
                "refused: `load` reads `import_module`, which is patched or set on `pkg.old` from outside (at test_old.py:5): moved, it would read its new module's own import, which that does not reach"
            ],
        );
    }
    // Must not: a patch of another module's `import_module`.
    check_move_of(
        &PATCHED.replace("PATCH", "with mock.patch(\"pkg.other.import_module\"):\n    load(\"json\")"),
        "pkg/new.py",
        &["pkg/new.py"],
        expect![[r#"
            //- /pkg/new.py (new)
            from importlib import import_module


            def load(name):
                return import_module(name).__name__
        "#]],
    );
}

const OVERLOADED: &str = r#"
//- /ov.py
from typing import overload


@overload
def no$0rm(x: int) -> int: ...
@overload
def norm(x: str) -> str: ...
def norm(x):
    return x
//- /main.py
from ov import norm
print(norm(3))
"#;

#[test]
fn overload_variants_move_with_their_implementation_and_a_name_bound_again_otherwise_is_refused() {
    check_move(
        OVERLOADED,
        "other.py",
        expect![[r#"
            //- /main.py
            from other import norm
            print(norm(3))
            //- /other.py (new)
            from typing import overload


            @overload
            def norm(x: int) -> int: ...
            @overload
            def norm(x: str) -> str: ...
            def norm(x):
                return x
            //- /ov.py
        "#]],
    );
    // Must not: a second plain `def` is no overload of the first.
    check_move(
        &OVERLOADED.replace("@overload\ndef norm(x: str)", "def norm(x: str)"),
        "other.py",
        expect!["refused: `norm` is bound again in `ov` at ov.py:7: its importers may see that binding, not the moved one"],
    );
}

/// How a move of `load` out of [`PATCHED`] with `PATCH` replaced ends:
/// `moved`, or the refusal.
fn patched_outcomes(patches: &[&str]) -> Vec<String> {
    super::outcomes(PATCHED, "PATCH", patches, "pkg/new.py")
}

#[test]
fn an_import_of_the_old_module_set_on_it_from_outside_in_any_spelling_is_refused() {
    let shown = patched_outcomes(&[
        "old.import_module = lambda name: None",
        "del old.import_module",
        "setattr(old, \"import_module\", None)",
        "def test(monkeypatch):\n    monkeypatch.setattr(old, \"import_module\", None)",
        "def test(monkeypatch):\n    monkeypatch.setattr(\"pkg.old.import_module\", None)",
        "old.__dict__[\"import_module\"] = None",
        "vars(old).update(import_module=None)",
        "mock.patch.multiple(old, import_module=None)",
        "import sys\nsys.modules[\"pkg.old\"].import_module = None",
        // A computed name, a namespace handed on: any name.
        "for k in (\"import_module\",):\n    setattr(old, k, None)",
        "exec(\"import_module = None\", vars(old))",
        // An object the graph cannot follow, in a file that hands the module on.
        "def configure(m):\n    m.import_module = None\n\n\nconfigure(old)",
        // A parameter's namespace updated, in a file that fetches modules by name.
        "import sys\n\n\ndef copy(ret, orig):\n    ret.__dict__.update(orig.__dict__)\n    return sys.modules",
        // A descriptor's instance where a class deriving from `ModuleType` holds it (a module's `__class__`).
        "import sys\nfrom types import ModuleType\n\n\nclass Cached:\n    def __get__(self, obj, obj_type):\n        obj.__dict__[self.name] = 1\n        return sys.modules\n\n\nclass Lazy(ModuleType):\n    data = Cached()",
        // Another method's parameter.
        "import sys\n\n\nclass Cached:\n    def fill(self, obj, obj_type):\n        obj.__dict__[self.name] = 1\n        return sys.modules",
        // A local holding what a function outside the workspace returns (a module, here).
        "import importlib\n\n\ndef copy(name, orig):\n    ret = importlib.import_module(name)\n    ret.__dict__.update(orig.__dict__)\n    return ret\n//- /typeshed/importlib/__init__.pyi\nfrom types import ModuleType\n\ndef import_module(name: str) -> ModuleType: ...",
    ]);
    expect![[r#"
        [
            "refused: `load` reads `import_module`, which is patched or set on `pkg.old` from outside (at test_old.py:5): moved, it would read its new module's own import, which that does not reach",
            "refused: `load` reads `import_module`, which is patched or set on `pkg.old` from outside (at test_old.py:5): moved, it would read its new module's own import, which that does not reach",
            "refused: `load` reads `import_module`, which is patched or set on `pkg.old` from outside (at test_old.py:5): moved, it would read its new module's own import, which that does not reach",
            "refused: `load` reads `import_module`, which is patched or set on `pkg.old` from outside (at test_old.py:6): moved, it would read its new module's own import, which that does not reach",
            "refused: `load` reads `import_module`, which is patched or set on `pkg.old` from outside (at test_old.py:6): moved, it would read its new module's own import, which that does not reach",
            "refused: `load` reads `import_module`, which is patched or set on `pkg.old` from outside (at test_old.py:5): moved, it would read its new module's own import, which that does not reach",
            "refused: `load` reads `import_module`, which is patched or set on `pkg.old` from outside (at test_old.py:5): moved, it would read its new module's own import, which that does not reach",
            "refused: `load` reads `import_module`, which is patched or set on `pkg.old` from outside (at test_old.py:5): moved, it would read its new module's own import, which that does not reach",
            "refused: `load` reads `import_module`, which is patched or set on `pkg.old` from outside (at test_old.py:6): moved, it would read its new module's own import, which that does not reach",
            "refused: `load` reads `import_module`, which is patched or set on `pkg.old` from outside (at test_old.py:6): moved, it would read its new module's own import, which that does not reach",
            "refused: `load` reads `import_module`, which is patched or set on `pkg.old` from outside (at test_old.py:5): moved, it would read its new module's own import, which that does not reach",
            "refused: `load` reads `import_module` of `pkg.old`, and `m.import_module` at test_old.py:6 may set it there (which object it sets cannot be followed): moved, the code would read its new module's `import_module`",
            "refused: `load` reads `import_module` of `pkg.old`, and `ret.__dict__.update(orig.__dict__)` at test_old.py:9 may set it there (which object it sets cannot be followed): moved, the code would read its new module's `import_module`",
            "refused: `load` reads `import_module` of `pkg.old`, and `obj.__dict__[self.name]` at test_old.py:11 may set it there (its object is a descriptor's instance, which a module may be: `data = Cached()` at test_old.py:16): moved, the code would read its new module's `import_module`",
            "refused: `load` reads `import_module` of `pkg.old`, and `obj.__dict__[self.name]` at test_old.py:10 may set it there (which object it sets cannot be followed): moved, the code would read its new module's `import_module`",
            "refused: `load` reads `import_module` of `pkg.old`, and `ret.__dict__.update(orig.__dict__)` at test_old.py:10 may set it there (which object it sets cannot be followed): moved, the code would read its new module's `import_module`",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_store_of_the_same_name_on_another_object_does_not_refuse_the_move() {
    // Must not: `patch.object` and `setattr` on a class, another module,
    // `self`; another name of the old module; a read of its namespace.
    let shown = patched_outcomes(&[
        "class Loader:\n    pass\n\n\nwith mock.patch.object(Loader, \"import_module\"):\n    load(\"json\")",
        "import importlib\nmock.patch.object(importlib, \"import_module\")",
        "class C:\n    def set(self):\n        self.import_module = None\n        setattr(self, \"import_module\", None)",
        "old.other = None\nsetattr(old, \"other\", None)",
        "print(vars(old)[\"import_module\"], \"import_module\" in old.__dict__)",
        "def configure(m):\n    m.import_module = None",
        // A namespace read into another mapping, in a file that fetches modules by name.
        "import importlib\nimportlib.import_module(\"json\")\n\n\ndef copy(r):\n    state = {}\n    state.update(r.__dict__)\n    return state",
        // The namespace of a new object (a constructor call's), in a file that fetches modules by name.
        "import sys\n\n\nclass Box:\n    pass\n\n\ndef copy(orig):\n    ret = Box()\n    ret.__dict__.update(orig.__dict__)\n    return ret, sys.modules",
        // A descriptor's instance (boltons' `CachedInstancePartial.__get__`), in a file that fetches modules by name.
        "import sys\n\n\nclass Cached:\n    def __get__(self, obj, obj_type):\n        obj.__dict__[self.name] = 1\n        return sys.modules",
        // A library class's instance, as inference knows it (sqlparse's
        // `vars(args)` of an `argparse.Namespace`), in a file that fetches modules by name.
        "import sys\nimport argparse\n\n\ndef main():\n    args = argparse.ArgumentParser().parse_args()\n    opts = vars(args)\n    opts.update(sys.modules)\n    return opts\n//- /typeshed/argparse.pyi\nclass Namespace: ...\n\nclass ArgumentParser:\n    def parse_args(self) -> Namespace: ...",
        // The same, a standard library class's (boltons' `funcutils.copy_function`).
        "import sys\nfrom types import FunctionType\n\n\ndef copy(orig):\n    ret = FunctionType(orig.__code__, orig.__globals__)\n    ret.__dict__.update(orig.__dict__)\n    return ret, sys.modules\n//- /typeshed/types.pyi\nclass FunctionType:\n    def __init__(self, code: object, globals: dict) -> None: ...",
    ]);
    expect![[r#"
        [
            "moved",
            "moved",
            "moved",
            "moved",
            "moved",
            "moved",
            "moved",
            "moved",
            "moved",
            "moved",
            "moved",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn the_moved_name_set_or_read_by_name_on_another_object_does_not_refuse_the_move() {
    let base =
        "//- /old.py\ndef he$0lper():\n    return 1\n//- /new.py\n//- /user.py\nimport old\nfrom unittest import mock\n\n\nclass Loader:\n    pass\n\n\n";
    // Must not: a class, `self`, a library module.
    check_move_of(
        &format!(
            "{base}with mock.patch.object(Loader, \"helper\"):\n    pass\nprint(getattr(mock, \"helper\", None), old.__name__)\n\n\nclass C:\n    def f(self):\n        return getattr(self, \"helper\")\n"
        ),
        "new.py",
        &["new.py"],
        expect![[r#"
            //- /new.py
            def helper():
                return 1
        "#]],
    );
    // The old module, or an object the graph cannot follow.
    check_move(
        &format!("{base}with mock.patch.object(old, \"helper\"):\n    pass\n"),
        "new.py",
        expect![[r#"refused: `patch.object(…, "helper")` at user.py:9 cannot be updated exactly; the move is refused"#]],
    );
    check_move(
        &format!("{base}def f(m):\n    return getattr(m, \"helper\")\n"),
        "new.py",
        expect![[r#"refused: `getattr(…, "helper")` at user.py:10 cannot be updated exactly; the move is refused"#]],
    );
}

#[test]
fn a_lookup_on_the_old_module_by_a_computed_name_keeps_the_name_imported_back() {
    // `getattr(m, "handle_" + kind)` finds the name the old module imports back
    // (test-ref24 case 15); renamed, it would not (`rename_tests`).
    let base = "//- /pkg/__init__.py\n//- /pkg/m.py\ndef handle_a():\n    return 1\n\n\ndef other():\n    return 2\n//- /pkg/n.py\n//- /pkg/use.py\nfrom pkg import m\n\n\n";
    let at = |workspace: &str, name: &str| workspace.replacen(&format!("def {name}"), &format!("def $0{name}"), 1);
    // (`vars(m)[kind]` and `m.__dict__.get(kind)` stay refused: tester 25
    // case 04's check takes any read of the whole namespace from another
    // module for a listing, the cautious side.)
    for lookup in ["getattr(m, \"handle_\" + kind)()", "getattr(m, f\"handle_{kind}\")()"] {
        let workspace = format!("{base}def run(kind):\n    return {lookup}\n");
        check_move_of(
            &at(&workspace, "handle_a"),
            "pkg/n.py",
            &["pkg/m.py"],
            expect![[r#"
                //- /pkg/m.py
                from pkg.n import handle_a  # noqa: F401


                def other():
                    return 2
            "#]],
        );
    }
    // Must not: a name the computed one cannot start with, another object.
    let workspace = format!("{base}def run(kind, other):\n    return getattr(m, \"handle_\" + kind)(), getattr(other, kind)\n");
    check_move_of(
        &at(&workspace, "other"),
        "pkg/n.py",
        &["pkg/n.py"],
        expect![[r#"
            //- /pkg/n.py
            def other():
                return 2
        "#]],
    );
}

#[test]
fn a_move_into_or_out_of_a_main_script_is_refused() {
    let workspace = "//- /pkg/__init__.py\n//- /pkg/util.py\ndef g():\n    return 2\n//- /pkg/__main__.py\nfrom pkg.util import g\n\nprint(g())\n\n\ndef h():\n    return 3\n//- /pkg/other.py\n//- /user.py\nfrom pkg.util import g\n";
    check_move(
        &workspace.replace("def g", "def $0g"),
        "pkg/__main__.py",
        expect![
            "refused: `pkg.__main__` is the script `python -m` runs as `__main__`: its importers would run the script when they import the moved code from it; the move is refused"
        ],
    );
    check_move(
        &workspace.replace("def h", "def $0h"),
        "pkg/other.py",
        expect![
            "refused: `pkg.__main__` is the script `python -m` runs as `__main__`: what it defines is `__main__`'s while it runs (pickles, `__main__.` lookups), and how it imports depends on how it is started; the move is refused"
        ],
    );
    // Must not: a module beside it.
    check_move_of(
        &workspace.replace("def g", "def $0g"),
        "pkg/other.py",
        &["pkg/other.py", "user.py"],
        expect![[r#"
            //- /pkg/other.py
            def g():
                return 2
            //- /user.py
            from pkg.other import g
        "#]],
    );
}

#[test]
fn the_only_entry_of_dunder_all_is_taken_out_with_the_moved_symbol() {
    let workspace = "//- /m.py\n__all__ = [\"f\"]\n\n\ndef $0f():\n    return 1\n//- /n.py\n//- /u.py\nfrom m import f\n";
    check_move_of(
        workspace,
        "n.py",
        &["m.py"],
        expect![[r#"
            //- /m.py
            __all__ = []
        "#]],
    );
    check_move_of(
        &workspace.replace("[\"f\"]", "(\n    \"f\"\n)"),
        "n.py",
        &["m.py"],
        expect![[r#"
        //- /m.py
        __all__ = ()
    "#]],
    );
    // Must refuse: a comment beside the only entry, which the edit would take or leave alone.
    check_move(
        &workspace.replace("[\"f\"]", "[\"f\"  # exported\n]"),
        "n.py",
        expect!["refused: `__all__` listing `f` at m.py:1 cannot be updated exactly; the move is refused"],
    );
}

#[test]
fn a_move_into_a_script_nothing_imports_is_refused() {
    let workspace = "//- /lib.py\ndef $0shout(s):\n    return s.upper()\n//- /tool.py\nimport sys\n\nprint(sys.argv)\n//- /user.py\nfrom lib import shout\n";
    check_move(
        workspace,
        "tool.py",
        expect![
            "refused: `tool` runs code when it is imported (tool.py:3) and nothing imports it (a script): the moved code's importers would run it; the move is refused"
        ],
    );
    // Must not: the same module once something imports it (its code runs
    // at import already), and a module that only defines.
    let imported = workspace.replace("//- /user.py\n", "//- /user.py\nimport tool\n");
    check_move(
        &imported,
        "tool.py",
        expect![[r#"
        //- /lib.py
        //- /tool.py
        import sys

        print(sys.argv)


        def shout(s):
            return s.upper()
        //- /user.py
        import tool
        from tool import shout
    "#]],
    );
    check_move(
        &workspace.replace("print(sys.argv)", "ARGS = list(sys.argv)"),
        "tool.py",
        expect![[r#"
        //- /lib.py
        //- /tool.py
        import sys

        ARGS = list(sys.argv)


        def shout(s):
            return s.upper()
        //- /user.py
        from tool import shout
    "#]],
    );
}

#[test]
fn a_move_out_of_a_package_init_keeps_its_public_imports() {
    // `y` stays (`from app import y` outside the workspace); the twin,
    // private `_z`, goes with the code that read it.
    let init = "//- /app/__init__.py\nfrom .m import y, _z\n\n\ndef f$0():\n    return y + _z\n//- /app/m.py\ny = 1\n_z = 2\n";
    check_move(
        init,
        "app/newmod.py",
        expect![[r#"
            //- /app/__init__.py
            from .m import y
            //- /app/newmod.py (new)
            from .m import _z, y


            def f():
                return y + _z
        "#]],
    );
}

/// tabulate's shape: a package `__init__` run as `python tool/__init__.py`.
const RUN_AS_FILE: &str = r#"
//- /tool/__init__.py
"""Also run as a script: python tool/__init__.py"""
import sys


def _p$0ad(s, width):
    return s.center(width)


def render(words):
    return "|".join(_pad(w, 7) for w in words)


if __name__ == "__main__":
    print(render(sys.argv[1:]))
//- /tool/_helpers.py
def other():
    return 1
"#;

#[test]
fn a_move_that_adds_an_import_of_its_package_to_a_module_run_as_a_file_is_refused() {
    check_move(
        RUN_AS_FILE,
        "tool/_helpers.py",
        expect![[
            r#"refused: `tool` is also run as a file (`if __name__ == "__main__":` at tool/__init__.py:13) and imports nothing of its package: run as `python tool/__init__.py`, the import the move adds (`from tool._helpers import _pad`) would fail, its package not being importable then; the move is refused"#
        ]],
    );
    // The target run as a file: the moved code's import of what stays behind.
    let into = "//- /tool/__init__.py\n//- /tool/core.py\nBASE = 2\n\n\ndef sc$0ale(x):\n    return x * BASE\n//- /tool/cli.py\nimport sys\n\nif __name__ == \"__main__\":\n    print(sys.argv)\n";
    check_move(
        into,
        "tool/cli.py",
        expect![[
            r#"refused: `tool.cli` is also run as a file (`if __name__ == "__main__":` at tool/cli.py:3) and imports nothing of its package: run as `python tool/cli.py`, the import the move adds (`from tool.core import BASE`) would fail, its package not being importable then; the move is refused"#
        ]],
    );
    // A script in a folder, with no `__main__` block: run by its path (nothing imports it).
    let script = "//- /scripts/run.py\nimport sys\n\n\ndef he$0lper(x):\n    return x * 2\n\n\nprint(helper(len(sys.argv)))\n//- /scripts/tools.py\n";
    check_move(
        script,
        "scripts/tools.py",
        expect![
            "refused: `scripts.run` is also run as a file (a script nothing imports, running scripts/run.py:8) and imports nothing of its package: run as `python scripts/run.py`, the import the move adds (`from scripts.tools import helper`) would fail, its package not being importable then; the move is refused"
        ],
    );
    let regular = format!("{script}//- /scripts/__init__.py\n");
    assert!(moved(&regular, "scripts/tools.py", None).starts_with("refused: `scripts.run` is also run as a file (a script"));
    // Must not: the same module once something imports it.
    let imported = format!("{script}//- /scripts/__init__.py\n//- /main.py\nfrom scripts import run\n");
    assert!(!moved(&imported, "scripts/tools.py", None).starts_with("refused"), "{}", moved(&imported, "scripts/tools.py", None));
    // Must not: a module that imports its package unconditionally already
    // (it cannot run as a file), one without a `__main__` block, and a
    // top-level module (run as a file, its folder is on `sys.path`).
    let imports_already = RUN_AS_FILE.replace("import sys\n", "import sys\n\nfrom tool._helpers import other\n");
    check_move_of(
        &imports_already,
        "tool/_helpers.py",
        &["tool/_helpers.py"],
        expect![[r#"
            //- /tool/_helpers.py
            def other():
                return 1


            def _pad(s, width):
                return s.center(width)
        "#]],
    );
    let no_main = RUN_AS_FILE.replace("if __name__ == \"__main__\":\n    print(render(sys.argv[1:]))\n", "");
    assert!(!moved(&no_main, "tool/_helpers.py", None).starts_with("refused"), "{}", moved(&no_main, "tool/_helpers.py", None));
    let top_level = RUN_AS_FILE.replace("/tool/__init__.py", "/tool.py").replace("/tool/_helpers.py", "/helpers.py");
    assert!(!moved(&top_level, "helpers.py", None).starts_with("refused"), "{}", moved(&top_level, "helpers.py", None));
}

const STARRED: &str = r#"
//- /app/__init__.py
//- /app/consts.py
LABEL = "L"
//- /app/more.py
OTHER = "O"
//- /app/old.py
from .consts import *

def $0f():
    return "label=" + LABEL
"#;

#[test]
fn a_name_its_old_module_takes_from_one_star_import_is_imported_from_that_module() {
    check_move_of(
        STARRED,
        "app/newmod.py",
        &["app/newmod.py"],
        expect![[r#"
            //- /app/newmod.py (new)
            from .consts import LABEL


            def f():
                return "label=" + LABEL
        "#]],
    );
}

#[test]
fn a_name_one_of_several_star_imports_may_bind_is_refused_with_the_reason() {
    check_move(
        &STARRED.replace("from .consts import *\n", "from .consts import *\nfrom .more import *\n"),
        "app/newmod.py",
        expect!["refused: `LABEL`, which one of several `from … import *` binds, at app/old.py:1 cannot be updated exactly; the move is refused"],
    );
}
