//! The old module's imports that only the moved code read leave it, all
//! of them, also several names of one statement.

use expect_test::expect;

use super::moved;

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
