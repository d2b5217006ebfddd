//! The old module's `__all__` changed in place by a call naming the
//! moved name.

use expect_test::expect;

use super::moved;

#[test]
fn an_all_that_a_call_extends_with_the_moved_name_is_refused() {
    let workspace = "//- /pkg/__init__.py\n//- /pkg/old.py\n__all__ = [\"g\"]\n\n\ndef $0f():\n    return \"f\"\n\n\nADD\n\n\ndef g():\n    return \"g\"\n//- /main.py\nfrom pkg.old import f, g\n";
    let shown: Vec<String> = [
        workspace.replace("ADD", "__all__.append(\"f\")"),
        workspace.replace("ADD", "__all__.extend([\"f\"])"),
        // Twin: a call adding another name.
        workspace.replace("ADD", "__all__.append(\"h\")\nh = 1"),
    ]
    .iter()
    .map(|w| moved(w, "pkg/new.py", Some(&["pkg/new.py"])).lines().next().unwrap_or_default().to_owned())
    .collect();
    expect![[r#"
        [
            "refused: `__all__.append(\"f\")`, which adds `f` to `__all__` in place, at pkg/old.py:8 cannot be updated exactly; the move is refused",
            "refused: `__all__.extend([\"f\"])`, which adds `f` to `__all__` in place, at pkg/old.py:8 cannot be updated exactly; the move is refused",
            "//- /pkg/new.py (new)",
        ]
    "#]]
    .assert_debug_eq(&shown);
}
