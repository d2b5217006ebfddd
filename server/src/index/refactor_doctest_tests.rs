//! Documentation files that the project's pytest runs as doctests
//! (`--doctest-glob=*.md`): a refactoring that would leave one behind is
//! refused naming its line, with nothing written.

use std::path::Path;

use super::super::*;

const LIB: &str = "def area(width, height):\n    return width * 10 + height\n";
const MAIN: &str = "from lib import area\n\nprint(area(2, 3))\n";
const USAGE: &str = "# Usage\n\n    >>> from lib import area\n    >>> area(2, 3)\n    23\n";
const PYPROJECT: &str = "[tool.pytest.ini_options]\naddopts = \"--doctest-glob=*.md\"\n";

/// A scratch project with `docs/usage.md` (`usage`), run by pytest when `config`
/// (a `pyproject.toml`) says so.
fn project(config: Option<&str>, usage: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lib.py"), LIB).unwrap();
    std::fs::write(dir.path().join("main.py"), MAIN).unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(dir.path().join("docs/usage.md"), usage).unwrap();
    if let Some(config) = config {
        std::fs::write(dir.path().join("pyproject.toml"), config).unwrap();
    }
    dir
}

/// Every file of the project, unchanged.
fn unchanged(dir: &Path, usage: &str) {
    for (path, text) in [("lib.py", LIB), ("main.py", MAIN), ("docs/usage.md", usage)] {
        assert_eq!(std::fs::read_to_string(dir.join(path)).unwrap(), text, "{path} was written");
    }
    assert!(!dir.join("geometry.py").exists());
}

#[test]
fn a_doctest_in_a_markdown_file_that_pytest_collects_refuses_what_would_break_it() {
    let dir = project(Some(PYPROJECT), USAGE);
    let location = format!("{}:1", dir.path().join("lib.py").display());
    let error = signature(&location, "(height, width)", true, None).unwrap_err();
    assert_eq!(
        &*error,
        "the signature change is refused; nothing was written:\n- calls of `area` cannot all be updated: a doctest at docs/usage.md:4 calls `area` with arguments the change would move: doctests are not updated"
    );
    unchanged(dir.path(), USAGE);
    let error = rename_module(&dir.path().join("lib.py"), &dir.path().join("geometry.py"), Some(dir.path()), true).unwrap_err();
    assert_eq!(&*error, "a doctest spelling `lib` at docs/usage.md:3 cannot be updated exactly; the move is refused");
    unchanged(dir.path(), USAGE);
    let error = move_symbol(&location, &dir.path().join("geometry.py"), true).unwrap_err();
    assert_eq!(&*error, "a doctest naming `area` and `lib` at docs/usage.md:3 cannot be updated exactly; the move is refused");
    unchanged(dir.path(), USAGE);
    let (graph, _) = crate::project::load_graph(dir.path(), &crate::settings::Settings::default(), true).unwrap();
    let lib = graph.file_id(&crate::project::canonical(&dir.path().join("lib.py")).unwrap()).unwrap();
    let error = crate::ide::rename::rename(&graph, lib, 4, "surface").unwrap_err();
    assert_eq!(error.to_string(), "a doctest at docs/usage.md:3 names `area` in a string that rename cannot follow; rename refused");
    // Must not: a call the change leaves as it is (a new defaulted parameter).
    signature(&location, "(width, height, scale=1)", true, None).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("lib.py")).unwrap(), "def area(width, height, scale=1):\n    return width * 10 + height\n");
    assert_eq!(std::fs::read_to_string(dir.path().join("main.py")).unwrap(), MAIN);
    assert_eq!(std::fs::read_to_string(dir.path().join("docs/usage.md")).unwrap(), USAGE);
}

#[test]
fn a_markdown_file_that_pytest_does_not_collect_is_prose() {
    // Must not: no `--doctest-glob`, pytest's default `test*.txt` only.
    let dir = project(None, USAGE);
    signature(&format!("{}:1", dir.path().join("lib.py").display()), "(height, width)", true, None).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("lib.py")).unwrap(), "def area(height, width):\n    return width * 10 + height\n");
    assert_eq!(std::fs::read_to_string(dir.path().join("main.py")).unwrap(), "from lib import area\n\nprint(area(3, 2))\n");
    assert_eq!(std::fs::read_to_string(dir.path().join("docs/usage.md")).unwrap(), USAGE);
    // The same doctest in `test_usage.txt` is collected.
    std::fs::rename(dir.path().join("docs/usage.md"), dir.path().join("docs/test_usage.txt")).unwrap();
    let error = rename_module(&dir.path().join("lib.py"), &dir.path().join("geometry.py"), Some(dir.path()), true).unwrap_err();
    assert_eq!(&*error, "a doctest spelling `lib` at docs/test_usage.txt:3 cannot be updated exactly; the move is refused");
}

#[test]
fn a_keyword_of_a_markdown_doctest_refuses_renaming_its_parameter() {
    let usage = USAGE.replace("area(2, 3)", "area(width=2, height=3)");
    let dir = project(Some(PYPROJECT), &usage);
    let location = format!("{}:1", dir.path().join("lib.py").display());
    let error = signature(&location, "(w, height)", true, None).unwrap_err();
    assert_eq!(
        &*error,
        "the parameter `width` cannot be renamed `w`: a doctest at docs/usage.md:4 names `width` in a string that rename cannot follow; rename refused"
    );
    unchanged(dir.path(), &usage);
    // Must not: a positional call in the doctest does not see the name.
    let dir = project(Some(PYPROJECT), USAGE);
    signature(&format!("{}:1", dir.path().join("lib.py").display()), "(w, height)", true, None).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("lib.py")).unwrap(), "def area(w, height):\n    return w * 10 + height\n");
    assert_eq!(std::fs::read_to_string(dir.path().join("main.py")).unwrap(), MAIN);
    assert_eq!(std::fs::read_to_string(dir.path().join("docs/usage.md")).unwrap(), USAGE);
}
