//! Strings that spell the moved symbol's dotted path: a `mock.patch`
//! target is imported by `mock` and follows the move; a string annotation
//! is evaluated in its own file, which does not import the new module: it
//! reads the name through the old module, which keeps it (imported back).

use expect_test::expect;

use super::{check_move_of, moved};

const USER: &str = "//- /pkg/__init__.py\n//- /pkg/old.py\nclass $0C:\n    pass\n//- /pkg/user.py\nimport pkg.old\n\n\nSPOT\n";

#[test]
fn a_string_annotation_spelling_the_moved_class_keeps_it_in_the_old_module_and_a_patch_target_follows_it() {
    check_move_of(
        &USER.replace("SPOT", "def g(x: \"pkg.old.C\"):\n    return x"),
        "pkg/new.py",
        &["pkg/old.py", "pkg/user.py"],
        expect![[r#"
            //- /pkg/old.py
            from pkg.new import C  # noqa: F401


        "#]],
    );
    // Must not: a patch target, which `mock` imports itself.
    check_move_of(
        &USER.replace("SPOT", "from unittest import mock\n\nPATCHED = mock.patch(\"pkg.old.C\")"),
        "pkg/new.py",
        &["pkg/user.py"],
        expect![[r#"
            //- /pkg/user.py
            import pkg.old


            from unittest import mock

            PATCHED = mock.patch("pkg.new.C")
        "#]],
    );
}

const LAZY: &str = "//- /pkg/__init__.py\nimport importlib\n\n_LAZY = {\"f\": \"OLD\", \"g\": \"OLD\"}\n\n\ndef __getattr__(name):\n    return getattr(importlib.import_module(_LAZY[name], __name__), name)\n//- /pkg/old.py\ndef $0f():\n    return 1\n\n\ndef g():\n    return 2\n//- /main.py\nimport pkg\n\nprint(pkg.f())\n";

#[test]
fn a_lazy_loader_naming_the_moved_function_and_its_old_module_refuses_the_move() {
    for old in [".old", "pkg.old"] {
        check_move_of(
            &LAZY.replace("OLD", old),
            "pkg/new.py",
            &[],
            expect![[r#"
                refused: the module `__getattr__`, which may load `f` from `pkg.old` by name at pkg/__init__.py:6 cannot be updated exactly; the move is refused"#]],
        );
    }
    // Must not: a loader that sends the name to another module.
    check_move_of(
        &LAZY.replace("OLD", ".other"),
        "pkg/new.py",
        &["pkg/new.py"],
        expect![[r#"
        //- /pkg/new.py (new)
        def f():
            return 1
    "#]],
    );
}

const ALIASED: &str = "//- /pkg/__init__.py\n//- /pkg/old.py\nclass $0C:\n    pass\n\n\nclass D:\n    pass\n//- /pkg/user.py\nimport typing\nfrom pkg import old\n\n\ndef g(x: \"old.NAME\") -> None:\n    return None\n\n\nHINTS = typing.get_type_hints(g)\n";

#[test]
fn a_string_annotation_reaching_the_moved_class_through_its_module_keeps_it_there() {
    check_move_of(
        &ALIASED.replace("NAME", "C"),
        "pkg/new.py",
        &["pkg/old.py", "pkg/user.py"],
        expect![[r#"
            //- /pkg/old.py
            from pkg.new import C  # noqa: F401


            class D:
                pass
        "#]],
    );
    // Must not: the string reaches a class that stays.
    check_move_of(
        &ALIASED.replace("NAME", "D"),
        "pkg/new.py",
        &["pkg/old.py", "pkg/new.py", "pkg/user.py"],
        expect![[r#"
            //- /pkg/new.py (new)
            class C:
                pass
            //- /pkg/old.py
            class D:
                pass
        "#]],
    );
}

#[test]
fn a_string_of_code_importing_from_the_old_module_refuses_the_move() {
    // Tester 24 case 06: the names are built elsewhere, as jinja2's compiler does.
    let generated = "def make(names):\n    ns = {}\n    exec(\"from pkg.old import \" + \", \".join(names), ns)\n    return ns\n";
    let refused = moved(&USER.replace("SPOT", generated), "pkg/new.py", Some(&[]));
    assert_eq!(
        refused,
        "refused: the string \"from pkg.old import \", code that imports `pkg.old` (run by `exec` or written out as source), at pkg/user.py:6 cannot be updated exactly; the move is refused"
    );
    // Must stay: the same string naming another module.
    let other = generated.replace("pkg.old", "pkg.other");
    assert!(!moved(&USER.replace("SPOT", &other), "pkg/new.py", Some(&[])).starts_with("refused"));
}

#[test]
fn a_doctest_importing_names_that_stay_in_the_old_module_lets_the_move_go() {
    // Tester ref25 L2: humanize's `>>> from humanize.time import _quotient_and_remainder, Unit`.
    let workspace = "//- /pkg/__init__.py\n//- /pkg/old.py\nclass $0C:\n    pass\n\n\ndef h():\n    \"\"\"Half.\n\n    >>> DOCTEST\n    >>> h()\n    \"\"\"\n    return D\n\n\nD = 1\n";
    let outcomes: Vec<String> = ["from pkg.old import h, D", "from pkg.old import *", "import pkg.old", "from pkg.old import h, C"]
        .iter()
        .map(|doctest| {
            let shown = moved(&workspace.replace("DOCTEST", doctest), "pkg/new.py", Some(&[]));
            if shown.starts_with("refused") { shown } else { "moved".to_owned() }
        })
        .collect();
    // Must stay refused: a doctest that may take the moved name, placed at its line.
    expect![[r#"
        [
            "moved",
            "refused: `from pkg.old import *`, which imports from `pkg.old` in the doctest at pkg/old.py:8 cannot be updated exactly; the move is refused",
            "refused: `import pkg.old`, which imports from `pkg.old` in the doctest at pkg/old.py:8 cannot be updated exactly; the move is refused",
            "refused: a doctest naming `C` and `old` at pkg/old.py:8 cannot be updated exactly; the move is refused",
        ]
    "#]]
    .assert_debug_eq(&outcomes);
}

#[test]
fn a_string_annotation_naming_a_global_the_moved_code_reads_is_no_store_of_it() {
    // `x: "pkg.old.C"` was taken for `mock.patch("pkg.old.C")`, which sets
    // `C` on the old module, and `make` (reading `C`) was refused.
    let reader = "//- /pkg/__init__.py\n//- /pkg/old.py\nclass C:\n    pass\n\n\ndef $0make():\n    return C()\n//- /pkg/user.py\nimport pkg.old\n\n\nSPOT\n";
    check_move_of(
        &reader.replace("SPOT", "x: \"pkg.old.C\" = pkg.old.C()\n\n\ndef g(c: \"list[pkg.old.C]\") -> \"pkg.old.C\":\n    return c[0]"),
        "pkg/new.py",
        &["pkg/new.py"],
        expect![[r#"
            //- /pkg/new.py (new)
            from pkg.old import C


            def make():
                return C()
        "#]],
    );
    // Must still refuse: a patch target's string, outside an annotation.
    check_move_of(
        &reader.replace("SPOT", "from unittest import mock\n\nx: \"pkg.old.C\" = mock.patch(\"pkg.old.C\")"),
        "pkg/new.py",
        &["pkg/new.py"],
        expect!["refused: `make` reads `C`, which is set from outside its module (at pkg/user.py:6): an import would copy its value once"],
    );
}
