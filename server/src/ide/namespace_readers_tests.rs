//! Another module listing the old module whole, or looking it up in
//! `sys.modules` by its name (tester 25 cases 04 and 05).

use expect_test::expect;

use super::outcomes;

const PLUGINS: &str = "//- /pkg/__init__.py\n//- /pkg/other.py\n//- /pkg/plug.py\ndef plugin_x():\n    return \"x\"\n\n\ndef plugin_$0y():\n    return \"y\"\n//- /pkg/registry.py\nimport inspect\nimport sys\n\nimport pkg.plug\nfrom pkg import other, plug\n\n\ndef found(obj):\n    return READ\n";

#[test]
fn a_module_listed_or_looked_up_by_name_elsewhere_refuses_the_move() {
    let fills = [
        "vars(plug)",
        "plug.__dict__",
        "[n for n in dir(plug)]",
        "inspect.getmembers(pkg.plug, inspect.isfunction)",
        "dir(sys.modules[\"pkg.plug\"])",
        "sys.modules[\"pkg.plug\"].plugin_y()",
        "sys.modules.get(\"pkg.plug\").plugin_y",
        "vars(plug)[\"plugin_y\"]",
        // Twins: another module listed or looked up; an object the graph
        // cannot tie to a module; the module looked up in a file that
        // does not name the moved function; another name looked up.
        "vars(other), dir(sys.modules[\"pkg.other\"]), other.__dict__",
        "vars(obj), obj.__dict__, dir(obj)",
        "sys.modules[\"pkg.plug\"].plugin_x()",
        "vars(plug)[\"plugin_x\"], \"plugin_x\" in plug.__dict__, vars(plug).get(\"plugin_x\")",
    ];
    expect![[r#"
        [
            "refused: `vars(plug)`, which lists `pkg.plug` whole and finds `plugin_y` there, at pkg/registry.py:9 cannot be updated exactly; the move is refused",
            "refused: `plug.__dict__`, which lists `pkg.plug` whole and finds `plugin_y` there, at pkg/registry.py:9 cannot be updated exactly; the move is refused",
            "refused: `dir(plug)`, which lists `pkg.plug` whole and finds `plugin_y` there, at pkg/registry.py:9 cannot be updated exactly; the move is refused",
            "refused: `inspect.getmembers(pkg.plug, inspect.isfunction)`, which lists `pkg.plug` whole and finds `plugin_y` there, at pkg/registry.py:9 cannot be updated exactly; the move is refused",
            "refused: `dir(sys.modules[\"pkg.plug\"])`, which lists `pkg.plug` whole and finds `plugin_y` there, at pkg/registry.py:9 cannot be updated exactly; the move is refused",
            "refused: `sys.modules[\"pkg.plug\"]`, the module `pkg.plug` looked up by name in a file that names `plugin_y`, at pkg/registry.py:9 cannot be updated exactly; the move is refused",
            "refused: `sys.modules.get(\"pkg.plug\")`, the module `pkg.plug` looked up by name in a file that names `plugin_y`, at pkg/registry.py:9 cannot be updated exactly; the move is refused",
            "refused: `vars(plug)[\"plugin_y\"]`, which looks `plugin_y` up in the namespace of `pkg.plug`, at pkg/registry.py:9 cannot be updated exactly; the move is refused",
            "moved",
            "moved",
            "moved",
            "moved",
        ]
    "#]]
    .assert_debug_eq(&outcomes(PLUGINS, "READ", &fills, "pkg/py.py"));
}
