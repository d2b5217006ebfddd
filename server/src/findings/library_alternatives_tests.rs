//! A call of a name that alternative imports bind (`try: from a import f`
//! / `except ImportError: from b import f`) is judged against each of them:
//! reported only when it fits none (test-nb16's case 07).

use expect_test::expect;

use super::tests::check_graph;

const STUBS: [(&str, &str); 3] = [
    ("typeshed/json/__init__.pyi", "def dumps(obj: object, *, indent: int | None = None) -> str: ...\n"),
    ("typeshed/os/__init__.pyi", "from . import path as path\n"),
    ("typeshed/os/path.pyi", "def join(a: str, *paths: str) -> str: ...\n"),
];

#[test]
fn a_call_that_fits_one_alternative_import_is_not_reported() {
    let user = "try:\n    from json import dumps as f\nexcept ImportError:\n    from os.path import join as f\n\nf(1, indent=2)\n";
    check_graph(&[STUBS[0], STUBS[1], STUBS[2], ("use.py", user)], expect![""]);
}

#[test]
fn a_call_that_fits_no_alternative_import_is_reported() {
    let user = "try:\n    from json import dumps as f\nexcept ImportError:\n    from os.path import join as f\n\nf(1, colour=2)\n";
    check_graph(
        &[STUBS[0], STUBS[1], STUBS[2], ("use.py", user)],
        expect![[r#"
            6:1 LOOM803 Error `join` has no parameter `colour`
              related /typeshed/stdlib/os/path.pyi@4..8: `os.path.join` is defined here
        "#]],
    );
}
