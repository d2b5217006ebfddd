//! A moved class whose body runs code with effects outside the class at
//! import: a method's registering decorator, a call given the old
//! module's own state.

use expect_test::expect;

use super::moved;

#[test]
fn a_class_body_with_effects_at_import_needs_the_new_module_imported() {
    let registry = "//- /pkg/__init__.py\n//- /pkg/old.py\nREGISTRY = []\n\n\ndef register(fn):\n    REGISTRY.append(fn.__name__)\n    return fn\n\n\nclass Plu$0gin:\n    DECORATOR\n    def run(self):\n        return 1\n\n\ndef names():\n    return REGISTRY\n//- /main.py\nfrom pkg.old import names\nprint(names())\n";
    let counter = "//- /pkg/__init__.py\n//- /pkg/old.py\nimport itertools\n\n_ids = itertools.count()\n\n\nclass $0A:\n    id = VALUE\n\n\nclass B:\n    id = next(_ids)\n//- /main.py\nfrom pkg.old import A, B\nprint(A.id, B.id)\n";
    let shown: Vec<String> = [
        registry.replace("DECORATOR", "@register"),
        counter.replace("VALUE", "next(_ids)"),
        // Twins: an inert decorator; a call given nothing of the old module's.
        registry.replace("DECORATOR", "@staticmethod").replace("run(self)", "run()"),
        counter.replace("VALUE", "len('ab')"),
    ]
    .iter()
    .map(|w| moved(w, "pkg/new.py", Some(&["pkg/new.py"])).lines().next().unwrap_or_default().to_owned())
    .collect();
    expect![[r#"
        [
            "refused: its class body (`@register`) on `Plugin` (at pkg/old.py:9) runs when its module is imported and may register it; nothing would import `pkg.new` for it",
            "refused: its class body (`id = next(_ids)`) on `A` (at pkg/old.py:6) runs when its module is imported and may register it; nothing would import `pkg.new` for it",
            "//- /pkg/new.py (new)",
            "//- /pkg/new.py (new)",
        ]
    "#]].assert_debug_eq(&shown);
}
