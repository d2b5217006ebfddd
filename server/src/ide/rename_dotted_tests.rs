//! A string holding a module-level definition's whole dotted path (a
//! plugin loaded by it, a `mock.patch` target): renamed with it, as
//! `refactor move` rewrites it; any other spelling of it is refused.

use expect_test::expect;

use super::tests::check_rename;

const PLUGINS: &str = "//- /pkg/__init__.py\nimport importlib\n\n_PLUGINS = {\"math\": \"pkg.mathplug.enable_math\"}\n\n\ndef load(name):\n    mod, _, attr = _PLUGINS[name].rpartition(\".\")\n    return getattr(importlib.import_module(mod), attr)\n//- /pkg/mathplug.py\ndef enable_m$0ath(md):\n    return md + \"+math\"\n";

#[test]
fn a_string_spelling_the_whole_path_of_a_module_level_function_is_renamed() {
    // Tester 23 case 06 (mistune's plugins).
    check_rename(
        PLUGINS,
        "enable_tex",
        expect![[r#"
            //- /pkg/__init__.py
            import importlib

            _PLUGINS = {"math": "pkg.mathplug.enable_tex"}


            def load(name):
                mod, _, attr = _PLUGINS[name].rpartition(".")
                return getattr(importlib.import_module(mod), attr)
            //- /pkg/mathplug.py
            def enable_tex(md):
                return md + "+math"
        "#]],
    );
}

#[test]
fn other_spellings_of_the_path_are_refused() {
    // The entry point's `module:name`, which the loader splits itself.
    check_rename(
        &PLUGINS.replace("pkg.mathplug.enable_math", "pkg.mathplug:enable_math"),
        "enable_tex",
        expect![[
            r#"refused: the string "pkg.mathplug:enable_math" at pkg/__init__.py:3 names `enable_math` in a string that rename cannot follow; rename refused"#
        ]],
    );
    // A method's path: no loader finds it by the path alone.
    let method =
        "//- /pkg/__init__.py\nPATH = \"pkg.mathplug.Md.enable_math\"\n//- /pkg/mathplug.py\nclass Md:\n    def enable_m$0ath(self):\n        return self\n";
    check_rename(
        method,
        "enable_tex",
        expect![[
            r#"refused: the string "pkg.mathplug.Md.enable_math" at pkg/__init__.py:1 names `enable_math` in a string that rename cannot follow; rename refused"#
        ]],
    );
}
