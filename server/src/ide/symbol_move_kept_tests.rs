//! Refusals narrowed to what can observe the move (test-ref24 cases 11,
//! 12, 15), each with the twin that must stay refused.

use expect_test::expect;

use super::{check_move_of, outcomes};

#[test]
fn a_plain_wrapping_decorator_registers_nothing_and_one_that_stores_does() {
    // validators' `@validator`: `@wraps(func) def wrapper(...)`, returned.
    let workspace = "//- /pkg/__init__.py\nfrom .card import visa\n//- /pkg/utils.py\nfrom functools import wraps\n\nSEEN = []\n\n\ndef validator(func):\n    \"\"\"Makes `func` a validator.\"\"\"\n\n    @wraps(func)\n    def wrapper(*args, **kwargs):\n        return bool(func(*args, **kwargs))\n    BODY\n//- /pkg/card.py\nfrom .utils import validator\n\n\n@validator\ndef vi$0sa(value):\n    return value.startswith(\"4\")\n";
    let fills = [
        "return wrapper",
        // Twins: it keeps the function; its name is bound again to what may.
        "SEEN.append(func)\n    return wrapper",
        "return wrapper\n\n\ndef register(f):\n    SEEN.append(f)\n    return f\n\n\nvalidator = register(validator)",
    ];
    expect![[r#"
        [
            "moved",
            "refused: `@validator` on `visa` (at pkg/card.py:5) runs when its module is imported and may register it; nothing would import `pkg.visa_mod` for it",
            "refused: `@validator` on `visa` (at pkg/card.py:5) runs when its module is imported and may register it; nothing would import `pkg.visa_mod` for it",
        ]
    "#]]
    .assert_debug_eq(&outcomes(workspace, "BODY", &fills, "pkg/visa_mod.py"));
    // Twin: the wrapper's default calls when the decorator runs.
    let defaulted = workspace.replace("def wrapper(*args, **kwargs)", "def wrapper(*args, seen=SEEN.append(func), **kwargs)").replace("BODY", "return wrapper");
    expect![[r#"
        [
            "refused: `@validator` on `visa` (at pkg/card.py:5) runs when its module is imported and may register it; nothing would import `pkg.visa_mod` for it",
        ]
    "#]]
    .assert_debug_eq(&outcomes(&defaulted, "BODY", &[""], "pkg/visa_mod.py"));
}

#[test]
fn a_namespace_handed_to_a_function_sets_only_the_literal_keys_it_stores() {
    // jinja2's `ModuleLoader.load`: `Template.from_module_dict(env, mod.__dict__)`
    // hands the namespace on to `_from_namespace`, which reads two keys and sets one.
    let workspace = "//- /pkg/__init__.py\n//- /pkg/shapes.py\nUNIT = 2\n\n\ndef ar$0ea(w, h):\n    return w * h * UNIT\n//- /pkg/loader.py\nclass Template:\n    @classmethod\n    def from_module_dict(cls, env, module_dict):\n        return cls._from_namespace(env, module_dict)\n\n    @classmethod\n    def _from_namespace(cls, env, namespace):\n        t = object.__new__(cls)\n        t.name = namespace[\"name\"]\n        t.debug = namespace.get(\"debug_info\")\n        USE\n        return t\n\n\ndef load(name, env):\n    mod = __import__(name, None, None, [\"root\"])\n    return Template.from_module_dict(env, mod.__dict__)\n//- /main.py\nfrom pkg.shapes import area\nprint(area(2, 3))\n";
    let fills = [
        "namespace[\"environment\"] = env",
        // Twins: it sets the global the moved code reads; it lists the
        // namespace (the moved name would be missing); it keeps it.
        "namespace[\"UNIT\"] = env",
        "t.names = sorted(namespace)",
        "t.namespace = namespace",
    ];
    expect![[r#"
        [
            "moved",
            "refused: `area` reads `UNIT` of `pkg.shapes`, and `mod.__dict__` at pkg/loader.py:17 may set it there (which object it sets cannot be followed): moved, the code would read its new module's `UNIT`",
            "refused: `area` reads `UNIT` of `pkg.shapes`, and `mod.__dict__` at pkg/loader.py:17 may set it there (which object it sets cannot be followed): moved, the code would read its new module's `UNIT`",
            "refused: `area` reads `UNIT` of `pkg.shapes`, and `mod.__dict__` at pkg/loader.py:17 may set it there (which object it sets cannot be followed): moved, the code would read its new module's `UNIT`",
        ]
    "#]]
    .assert_debug_eq(&outcomes(workspace, "USE", &fills, "pkg/geometry.py"));
}

#[test]
fn a_computed_lookup_on_the_old_module_is_served_by_the_name_imported_back() {
    // platformdirs' tests: `getattr(platformdirs, func)` over function names.
    let workspace = "//- /pkg/__init__.py\ndef user$0_dir():\n    return \"/home/u\"\n\n\ndef site_dir():\n    return \"/etc\"\n//- /tests/test_api.py\nimport pkg\n\n\ndef test_names():\n    for name in (\"user_dir\", \"site_dir\"):\n        assert LOOKUP\n";
    assert_eq!(outcomes(workspace, "LOOKUP", &["getattr(pkg, name)()"], "pkg/dirs.py"), ["moved"]);
    // Twin: its own module finds it by a computed name in `globals()`.
    let own = workspace.replace("def site_dir():", "def find(kind):\n    return globals()[\"user_\" + kind]()\n\n\ndef site_dir():");
    expect![[r#"
        [
            "refused: pkg/__init__.py:6 looks up a name computed at run time, which may be `user_dir`: what it finds cannot be updated; the move is refused",
        ]
    "#]]
    .assert_debug_eq(&outcomes(&own, "LOOKUP", &["getattr(pkg, name)()"], "pkg/dirs.py"));
    // The old module imported by name where the symbol is named: served too;
    // a module of the same last name elsewhere is not the old one.
    let by_name = "//- /pkg/__init__.py\n//- /pkg/old.py\ndef hel$0per():\n    return 1\n//- /tests/test_old.py\nimport importlib\n\n\ndef test_helper():\n    mod = importlib.import_module(\"MODULE\")\n    assert getattr(mod, \"helper\")() == 1\n";
    expect![[r#"
        [
            "moved",
            "refused: the module `other.old` imported by name in a file that names `helper` at tests/test_old.py:5 cannot be updated exactly; the move is refused",
        ]
    "#]]
    .assert_debug_eq(&outcomes(by_name, "MODULE", &["pkg.old", "other.old"], "pkg/new.py"));
}

#[test]
fn a_comment_indented_under_the_body_moves_with_it_and_one_at_column_zero_stays() {
    // Issue #31: `    # the rest` right after the body stayed in the old module.
    check_move_of(
        "//- /m.py\ndef $0g():\n    return 1\n    # the rest is in h\n# Helpers below.\n\n\ndef h():\n    return 2\n",
        "n.py",
        &["m.py", "n.py"],
        expect![[r#"
            //- /m.py
            # Helpers below.


            def h():
                return 2
            //- /n.py (new)
            def g():
                return 1
                # the rest is in h
        "#]],
    );
    // A one-line body's trailing comment is on its line: it moves too.
    check_move_of(
        "//- /m.py\ndef $0f(): ...  # note\n\n\ndef h():\n    return 2\n",
        "n.py",
        &["m.py", "n.py"],
        expect![[r#"
        //- /m.py
        def h():
            return 2
        //- /n.py (new)
        def f(): ...  # note
    "#]],
    );
}
