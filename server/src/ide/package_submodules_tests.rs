use std::path::Path;

use expect_test::expect;

use crate::ide::fixture::{self, ROOT};
use crate::ide::rename::rename;
use crate::ide::symbol_move::move_symbol;

/// The refusal, or the files a move to `to` (or, without it, a rename to
/// `core`) would write.
fn outcome(workspace: &str, to: Option<&str>) -> String {
    let (graph, file, offset) = fixture::graph(workspace);
    let written = match to {
        Some(to) => move_symbol(&graph, file, offset, &Path::new(ROOT).join(to))
            .map(|m| m.files.iter().map(|f| f.path.strip_prefix(ROOT).unwrap().display().to_string()).collect::<Vec<_>>())
            .map_err(|e| e.to_string()),
        None => rename(&graph, file, offset, "core")
            .map(|edits| edits.iter().map(|e| graph.file(e.file).unwrap().path.strip_prefix(ROOT).unwrap().display().to_string()).collect())
            .map_err(|e| e.to_string()),
    };
    match written {
        Ok(mut files) => {
            files.sort();
            format!("writes {}", files.join(", "))
        }
        Err(why) => format!("refused: {why}"),
    }
}

const PACKAGE: &str = "//- /pkg/__init__.py\nINIT\n//- /pkg/core.py\nVALUE = 5\n//- /pkg/user.py\nfrom pkg.core import VALUE\n//- /pkg/old.py\ndef OLD():\n    return 1\n//- /main.py\nfrom pkg.old import OLD\nprint(OLD())\n";

#[test]
fn a_package_init_does_not_take_the_name_of_one_of_its_submodules() {
    let shown = [
        // Moved into the `__init__` under the submodule's name; and its twin, another name.
        outcome(&PACKAGE.replace("INIT", "").replace("def OLD", "def co$0re").replace("OLD", "core"), Some("pkg/__init__.py")),
        outcome(&PACKAGE.replace("INIT", "").replace("def OLD", "def hel$0per").replace("OLD", "helper"), Some("pkg/__init__.py")),
        // Renamed in the `__init__` to the submodule's name; and its twin, in another module.
        outcome(&PACKAGE.replace("INIT", "def hel$0per():\n    return 1\n"), None),
        outcome(&PACKAGE.replace("INIT", "").replace("def OLD", "def hel$0per").replace("OLD", "helper"), None),
    ];
    expect![[r#"
        [
            "refused: `core` would be bound in pkg/__init__.py, and the package has the submodule `pkg.core` (pkg/core.py): once that is imported anywhere, `pkg.core` is the module, not `core`; the move is refused",
            "writes main.py, pkg/__init__.py, pkg/old.py",
            "refused: `core` would be bound in pkg/__init__.py, and the package has the submodule `pkg.core` (pkg/core.py): once that is imported anywhere, `pkg.core` is the module, not `core`; rename refused",
            "writes main.py, pkg/old.py",
        ]
    "#]].assert_debug_eq(&shown);
}
