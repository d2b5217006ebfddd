//! Library code moved out of its distributed package (tester 27 case 1):
//! the package's own modules would import `tests.helpers`, which a wheel
//! of `pkg` does not ship.

use expect_test::expect;

use super::moved;

/// `pkg/app.py` calls `clean`; `tests/` is a regular package, `benchmarks/`
/// a namespace folder; `HOLE` is more of `pkg/app.py`.
const PROJ: &str = "//- /pkg/__init__.py\n//- /pkg/text.py\ndef cl$0ean(s):\n    return s.strip()\n//- /pkg/app.py\nfrom pkg.text import clean\nHOLE\n\ndef run(s):\n    return clean(s)\n//- /tests/__init__.py\n//- /tests/helpers.py\nX = 1\n//- /tests/test_app.py\nfrom pkg.app import run\n//- /benchmarks/bench.py\nY = 2\n";

fn outcome(hole: &str, to: &str) -> String {
    let shown = moved(&PROJ.replace("HOLE", hole), to, Some(&[]));
    if shown.starts_with("refused: ") { shown } else { "moved".to_owned() }
}

#[test]
fn library_code_moved_into_another_top_level_folder_is_refused() {
    expect![[r#"
        [
            "refused: code of `pkg` (pkg.app) would import `tests`; `pkg` imports nothing from `tests` today, so a package built from `pkg` may not ship it; the move is refused",
            "refused: code of `pkg` (pkg.app) would import `benchmarks`; `pkg` imports nothing from `benchmarks` today, so a package built from `pkg` may not ship it; the move is refused",
        ]
    "#]]
    .assert_debug_eq(&[outcome("", "tests/helpers.py"), outcome("", "benchmarks/helpers_x.py")]);
    // Must still apply: a move inside the package; into a folder the package imports already.
    expect![[r#"
        [
            "moved",
            "moved",
        ]
    "#]]
    .assert_debug_eq(&[outcome("", "pkg/util.py"), outcome("from tests.helpers import X", "tests/helpers.py")]);
}

#[test]
fn a_move_whose_only_importers_are_outside_the_package_applies() {
    let workspace = "//- /pkg/__init__.py\n//- /pkg/text.py\ndef cl$0ean(s):\n    return s.strip()\n//- /tests/__init__.py\n//- /tests/helpers.py\nX = 1\n//- /tests/test_text.py\nfrom pkg.text import clean\n\n\ndef test():\n    assert clean(' a ') == 'a'\n";
    let shown = moved(workspace, "tests/helpers.py", Some(&["tests/test_text.py"]));
    expect![[r#"
        //- /tests/test_text.py
        from tests.helpers import clean


        def test():
            assert clean(' a ') == 'a'
    "#]]
    .assert_eq(&shown);
}
