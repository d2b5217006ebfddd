//! A module moved out of its distributed package (tester 27 case 1,
//! `rename-module pkg/text.py tests/text.py`): the package's own modules
//! would import `tests.text`, which a wheel of `pkg` does not ship.

use super::*;

const PROJ: &str = "//- /pkg/__init__.py\n//- /pkg/text.py\ndef cl$0ean(s):\n    return s.strip()\n//- /pkg/app.py\nfrom pkg.text import clean\nHOLE\n\ndef run(s):\n    return clean(s)\n//- /tests/__init__.py\n//- /tests/helpers.py\nX = 1\n//- /tests/test_app.py\nfrom pkg.app import run\n//- /benchmarks/bench.py\nY = 2\n";

#[test]
fn a_module_moved_out_of_the_package_its_package_imports_is_refused() {
    for to in ["tests/text.py", "benchmarks/text.py"] {
        let err = moved(&PROJ.replace("HOLE", ""), "pkg/text.py", to).unwrap_err().to_string();
        let folder = to.split('/').next().unwrap();
        assert_eq!(
            err,
            format!(
                "code of `pkg` (pkg.app) would import `{folder}`; `pkg` imports nothing from `{folder}` today, so a package built from `pkg` may not ship it; the move is refused"
            )
        );
    }
    // Must still apply: inside the package; into a folder the package imports already.
    let files = moved(&PROJ.replace("HOLE", ""), "pkg/text.py", "pkg/strings.py").unwrap();
    assert!(file(&files, "pkg/app.py").starts_with("from pkg.strings import clean\n"));
    let files = moved(&PROJ.replace("HOLE", "from tests.helpers import X"), "pkg/text.py", "tests/text.py").unwrap();
    assert!(file(&files, "pkg/app.py").starts_with("from tests.text import clean\n"));
}

#[test]
fn a_module_only_the_tests_import_moves_into_them() {
    let workspace = "//- /pkg/__init__.py\n//- /pkg/text.py\ndef cl$0ean(s):\n    return s.strip()\n//- /tests/__init__.py\n//- /tests/test_text.py\nfrom pkg.text import clean\n";
    let files = moved(workspace, "pkg/text.py", "tests/text.py").unwrap();
    assert_eq!(file(&files, "tests/test_text.py"), "from tests.text import clean\n");
}
