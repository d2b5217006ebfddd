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
