use std::path::Path;

use super::*;
use crate::ide::fixture::{self, ROOT};

/// The edited files (relative path, new text) of the moves `from → to`, in order.
fn moved(workspace: &str, moves: &[(&str, &str)]) -> Result<Vec<(String, String)>, MoveError> {
    let (graph, _, _) = fixture::graph(workspace);
    let moves: Vec<(PathBuf, PathBuf)> = moves.iter().map(|(from, to)| (Path::new(ROOT).join(from), Path::new(ROOT).join(to))).collect();
    let result = move_modules(&graph, &moves)?;
    let mut files: Vec<(String, String)> = result
        .edits
        .iter()
        .map(|e| {
            let entry = graph.file(e.file).unwrap();
            (entry.path.strip_prefix(ROOT).unwrap().display().to_string(), apply(entry.text(), &e.replacements))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Case 18 of the sixth tester: two modules that import each other's way, dragged together.
const TWO: &str = r#"
//- /main.py
from app.a import go
$0
//- /app/__init__.py
//- /app/a.py
from . import b
from .b import VAL


def go():
    return b.VAL + VAL
//- /app/b.py
VAL = 1
//- /app/sub/__init__.py
"#;

#[test]
fn modules_moved_together_are_moved_one_after_the_other_and_edited_once() {
    let files = moved(TWO, &[("app/a.py", "app/sub/a.py"), ("app/b.py", "app/sub/b.py")]).unwrap();
    // `a`'s relative imports still reach `b` beside it: unchanged.
    assert_eq!(files, vec![("main.py".to_owned(), "from app.sub.a import go\n\n".to_owned())]);
    // The other order ends the same.
    assert_eq!(moved(TWO, &[("app/b.py", "app/sub/b.py"), ("app/a.py", "app/sub/a.py")]).unwrap(), files);
    // Apart, `a` reaches `b` a level up.
    let apart = moved(TWO, &[("app/a.py", "app/sub/a.py"), ("app/b.py", "app/c.py")]).unwrap();
    assert_eq!(
        apart,
        vec![
            ("app/a.py".to_owned(), "from .. import c as b\nfrom ..c import VAL\n\n\ndef go():\n    return b.VAL + VAL\n".to_owned()),
            ("main.py".to_owned(), "from app.sub.a import go\n\n".to_owned()),
        ]
    );
}

#[test]
fn one_move_refused_refuses_them_all() {
    let data = TWO.replace("VAL = 1\n", "import os\n\nVAL = open(os.path.join(os.path.dirname(__file__), \"v.txt\")).read()\n");
    let error = moved(&data, &[("app/a.py", "app/sub/a.py"), ("app/b.py", "app/sub/b.py")]).unwrap_err();
    assert!(error.to_string().starts_with("`__file__` at app/b.py:3 finds a file by the module's own folder"), "{error}");
    // A file moved both alone and with its folder.
    let error = moved(TWO, &[("app/a.py", "app/sub/a.py"), ("app", "lib")]).unwrap_err();
    assert!(error.to_string().contains("is moved both alone and with its folder"), "{error}");
}

/// `app/util.py` typed by `app/util.pyi`, imported by `main.py`.
const STUBBED: &str = "//- /main.py\nfrom app.util import f\nprint(f())\n$0\n//- /app/__init__.py\n//- /app/util.py\ndef f():\n    return 1\n//- /app/util.pyi\ndef f() -> int: ...\n";

#[test]
fn a_module_and_its_stub_renamed_together_move_as_one_and_either_alone_is_refused_for_what_it_is() {
    // The editor renames both files: one move, as `rename-module` makes it (was: `app.tools` already exists).
    let both = [("app/util.py", "app/tools.py"), ("app/util.pyi", "app/tools.pyi")];
    for moves in [both, [both[1], both[0]]] {
        assert_eq!(moved(STUBBED, &moves).unwrap(), [("main.py".to_owned(), "from app.tools import f\nprint(f())\n\n".to_owned())]);
    }
    // One alone: the stub would type a module that is not there.
    let why = "the stub would type a module that is not there; rename both together, to the same new name (`pyloom refactor rename-module` renames both); the move is refused";
    let error = moved(STUBBED, &[("app/util.py", "app/tools.py")]).unwrap_err().to_string();
    assert_eq!(error, format!("app/util.py is renamed without app/util.pyi, its stub: {why}"));
    let error = moved(STUBBED, &[("app/util.pyi", "app/tools.pyi")]).unwrap_err().to_string();
    assert_eq!(error, format!("app/util.pyi is renamed without app/util.py, its module: {why}"));
    let error = moved(STUBBED, &[("app/util.py", "app/tools.py"), ("app/util.pyi", "app/other.pyi")]).unwrap_err().to_string();
    assert!(error.starts_with("app/util.py and its stub app/util.pyi are renamed to different names (app/tools.py and app/other.pyi)"), "{error}");
    // Must stay: a module without a stub moves alone.
    let plain = STUBBED.replace("//- /app/util.pyi\ndef f() -> int: ...\n", "");
    assert_eq!(moved(&plain, &[("app/util.py", "app/tools.py")]).unwrap(), [("main.py".to_owned(), "from app.tools import f\nprint(f())\n\n".to_owned())]);
}
