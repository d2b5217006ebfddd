//! A name the moved code reads that its old module imports in a `try`
//! whose every branch binds it (`simplejson` or `json`): the new module
//! takes the object the old one chose, from it.

use expect_test::expect;

use super::{check_move, moved};

const OPTIONAL: &str =
    "//- /pkg/__init__.py\n//- /pkg/impl.py\nTRY\n\n\ndef lo$0ad(s):\n    return json.loads(s)\n\n\ndef dump(x):\n    return json.dumps(x)\n";

#[test]
fn an_import_every_branch_of_a_try_binds_is_taken_from_the_old_module() {
    // Tester 22 case 14.
    check_move(
        &OPTIONAL.replace("TRY", "try:\n    import simplejson as json\nexcept ImportError:\n    import json"),
        "pkg/loading.py",
        expect![[r#"
            //- /pkg/impl.py
            try:
                import simplejson as json
            except ImportError:
                import json


            def dump(x):
                return json.dumps(x)
            //- /pkg/loading.py (new)
            from pkg.impl import json


            def load(s):
                return json.loads(s)
        "#]],
    );
}

#[test]
fn an_import_a_condition_may_leave_unbound_still_refuses_the_move() {
    let shown: Vec<String> = [
        "import sys\n\nif sys.version_info >= (3, 11):\n    import tomllib as json",
        "try:\n    import simplejson as json\nexcept ImportError:\n    pass",
        "try:\n    import simplejson as json\nexcept ImportError:\n    json = None",
    ]
    .iter()
    .map(|condition| moved(&OPTIONAL.replace("TRY", condition), "pkg/loading.py", None))
    .collect();
    expect![[r#"
        [
            "refused: `json`, imported under a condition (`if`, `try`, `TYPE_CHECKING`) that may leave it unbound, at pkg/impl.py:4 cannot be updated exactly; the move is refused",
            "refused: `json`, imported under a condition (`if`, `try`, `TYPE_CHECKING`) that may leave it unbound, at pkg/impl.py:2 cannot be updated exactly; the move is refused",
            "refused: `json`, bound at module level both by an import and otherwise, at pkg/impl.py:2 cannot be updated exactly; the move is refused",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn a_chosen_import_read_where_the_definition_runs_is_taken_from_the_old_module() {
    // Tester 23 case 12 (h11's `normalize_and_validate`): the overloads'
    // annotations read `Literal` when the `def`s run; the graph reads the
    // old module's name there as its last import and the new module's
    // import of it as its first, the same object either way.
    let overloads = "//- /pkg/__init__.py\n//- /pkg/headers.py\nfrom typing import overload\n\nTRY\n\n\n@overload\ndef nor$0m(h: list, parsed: Literal[True]) -> list:\n    ...\n\n\n@overload\ndef norm(h: tuple, parsed: Literal[False]) -> list:\n    ...\n\n\ndef norm(h, parsed=False):\n    return list(h)\n";
    check_move(
        &overloads.replace("TRY", "try:\n    from typing import Literal\nexcept ImportError:\n    from typing_extensions import Literal"),
        "pkg/norm.py",
        expect![[r#"
            //- /pkg/headers.py
            try:
                from typing import Literal
            except ImportError:
                from typing_extensions import Literal
            //- /pkg/norm.py (new)
            from typing import overload

            from pkg.headers import Literal


            @overload
            def norm(h: list, parsed: Literal[True]) -> list:
                ...


            @overload
            def norm(h: tuple, parsed: Literal[False]) -> list:
                ...


            def norm(h, parsed=False):
                return list(h)
        "#]],
    );
    // Twin: a branch binding it otherwise still refuses.
    check_move(
        &overloads.replace("TRY", "try:\n    from typing import Literal\nexcept ImportError:\n    Literal = None"),
        "pkg/norm.py",
        expect![
            "refused: `Literal`, bound at module level both by an import and otherwise, at pkg/headers.py:4 cannot be updated exactly; the move is refused"
        ],
    );
}
