//! The old module's imports that only the moved code read leave it, all
//! of them, also several names of one statement.

use expect_test::expect;

use std::path::Path;

use super::moved;
use crate::ide::fixture::{self, ROOT};
use crate::ide::symbol_move::move_symbol;

#[test]
fn every_name_of_one_import_that_only_the_moved_code_read_leaves_the_old_module() {
    let workspace = "//- /pkg/__init__.py\nA = B = C = D = 1\n//- /pkg/keys.py\n//- /pkg/old.py\nfrom . import A, B, C, D, keys\n\n\ndef $0f():\n    return B + C + keys.x\n\n\nKEEP\n";
    let shown: Vec<String> = [
        workspace.replace("KEEP", "def g():\n    return A + D"),
        // Twin: `C` is still read in the old module, so it stays.
        workspace.replace("KEEP", "def g():\n    return A + C + D"),
    ]
    .iter()
    .map(|w| moved(w, "pkg/new.py", Some(&["pkg/old.py"])).lines().nth(1).unwrap_or_default().to_owned())
    .collect();
    expect![[r#"
        [
            "from . import A, D",
            "from . import A, C, D",
        ]
    "#]]
    .assert_debug_eq(&shown);
}

#[test]
fn an_import_only_the_moved_code_read_leaves_unless_an_importer_of_the_old_module_reads_it_there() {
    let workspace = "//- /pkg/__init__.py\n//- /pkg/old.py\nimport typing\nfrom typing import Any\n\n\ndef $0f(value) -> Any:\n    return value\n\n\ndef g() -> typing.Any:\n    return f(1)\n//- /tests/test_old.py\nimport typing\nUSE\n";
    let kept: Vec<bool> = [
        // Tester ref25 case 07 (humanize's tests/test_time.py): `typing.Any` beside the old module imported whole.
        "from pkg import old\n\nvalue: typing.Any = old.g()",
        "import pkg.old as o\n\nvalue: typing.Any = o.g()",
        // Twins: `Any` read through the old module, or imported from it, stays there.
        "from pkg import old\n\nvalue: typing.Any = old.Any",
        "import pkg.old\n\nvalue = pkg.old.Any",
        "from pkg.old import Any",
    ]
    .iter()
    .map(|usage| moved(&workspace.replace("USE", usage), "pkg/new.py", Some(&["pkg/old.py"])).contains("from typing import Any"))
    .collect();
    expect![[r#"
        [
            false,
            false,
            true,
            true,
            true,
        ]
    "#]]
    .assert_debug_eq(&kept);
}

#[test]
fn the_check_lets_only_an_import_kept_for_its_importers_go_unused_in_the_old_module() {
    let workspace = "//- /pkg/__init__.py\n//- /pkg/old.py\nimport json\nfrom typing import Any as A\n\n\ndef $0f(value) -> A:\n    return json.dumps(value)\n//- /pkg/user.py\nfrom pkg.old import A\n";
    let (graph, file, offset) = fixture::graph(workspace);
    let moved = move_symbol(&graph, file, offset, &Path::new(ROOT).join("pkg/new.py")).expect("the move");
    let intended: Vec<bool> = ["`typing.Any` imported but unused", "`json` imported but unused"]
        .iter()
        .map(|message| moved.intended("F401", message, Some("pkg/old.py:2")))
        .collect();
    // Tester ref25 case 07: an import the move left behind for no importer is no intended F401.
    expect![[r#"
        [
            true,
            false,
        ]
    "#]]
    .assert_debug_eq(&intended);
}
