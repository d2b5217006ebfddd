//! `pyloom refactor`'s commands on files in a scratch folder: what they
//! print, what they write, and what they refuse with nothing written.

use super::*;
use crate::llm::Request;
use crate::settings::llm::LlmSettings;

#[test]
fn a_signature_change_from_the_command_line_takes_every_call_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let lib = "def total(xs, tax, rounding=2):\n    return round(sum(xs) * tax, rounding)\n";
    std::fs::write(dir.path().join("lib.py"), lib).unwrap();
    std::fs::write(dir.path().join("app.py"), "from lib import total\n\nprint(total([1], 2))\n").unwrap();
    let location = format!("{}:1", dir.path().join("lib.py").display());
    let shown = signature(&location, "tax, xs, rounding=2", false, None).unwrap();
    assert!(shown.contains("-print(total([1], 2))\n+print(total(2, [1]))\n"), "{shown}");
    assert_eq!(std::fs::read_to_string(dir.path().join("lib.py")).unwrap(), lib, "no --apply, nothing written");
    signature(&location, "(tax, xs, rounding=2)", true, None).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("app.py")).unwrap(), "from lib import total\n\nprint(total(2, [1]))\n");
    // A parameter the body still reads cannot go; nothing is written.
    let error = signature(&location, "(xs, tax)", true, None).unwrap_err();
    assert!(error.contains("the body of `total` still reads the parameter `rounding`"), "{error}");
    assert!(
        signature(&format!("{}:2", dir.path().join("lib.py").display()), "(a)", false, None)
            .unwrap_err()
            .starts_with("no `def` or decorator of one starts on line 2")
    );
    // A decorator's line names the function it decorates, as `refactor move` takes it (tester 22 case 17).
    let decorated = "import functools


@functools.lru_cache(
    maxsize=2
)
def area(w, h):
    return w * h


print(area(2, 3))
";
    std::fs::write(dir.path().join("geo.py"), decorated).unwrap();
    let shown = signature(&format!("{}:5", dir.path().join("geo.py").display()), "(h, w)", false, None).unwrap();
    assert!(shown.contains("+print(area(3, 2))"), "{shown}");
    // Must not: the line after the `def`, a blank line before the decorator.
    for line in [8, 3] {
        let error = signature(&format!("{}:{line}", dir.path().join("geo.py").display()), "(h, w)", false, None).unwrap_err();
        assert!(error.starts_with(&format!("no `def` or decorator of one starts on line {line}")), "{error}");
    }
    std::fs::write(dir.path().join("broken.py"), "def f(a):\n    return a\n\n\nprint(f(1)\n").unwrap();
    let error = signature(&format!("{}:1", dir.path().join("broken.py").display()), "(a, b=1)", false, None).unwrap_err();
    assert!(error.ends_with("has a syntax error on line 6; fix it first"), "{error}");
}

#[test]
fn a_parameter_renamed_at_its_place_is_renamed_in_the_body_and_the_keywords_of_its_calls() {
    let dir = tempfile::tempdir().unwrap();
    let m = "def area(width, height):\n    return width * height\n\n\nprint(area(2, height=3), area(width=1, height=1))\n";
    std::fs::write(dir.path().join("m.py"), m).unwrap();
    let location = format!("{}:1", dir.path().join("m.py").display());
    signature(&location, "(w, height)", true, None).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("m.py")).unwrap(),
        "def area(w, height):\n    return w * height\n\n\nprint(area(2, height=3), area(w=1, height=1))\n"
    );
    // Renamed and reordered at once, across files.
    let lib = "def f(a, b, c):\n    return (a, b, c)\n";
    std::fs::write(dir.path().join("lib.py"), lib).unwrap();
    std::fs::write(dir.path().join("app.py"), "from lib import f\n\nprint(f(1, 2, c=3), f(a=1, b=2, c=3))\n").unwrap();
    signature(&format!("{}:1", dir.path().join("lib.py").display()), "(x, c, b)", true, None).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("lib.py")).unwrap(), "def f(x, c, b):\n    return (x, b, c)\n");
    assert_eq!(std::fs::read_to_string(dir.path().join("app.py")).unwrap(), "from lib import f\n\nprint(f(1, b=2, c=3), f(x=1, b=2, c=3))\n");
    // Must not: a new name the body binds already would change what it reads; nothing written.
    let clash = "def g(width, height):\n    w = 2\n    return width * height * w\n";
    std::fs::write(dir.path().join("g.py"), clash).unwrap();
    let error = signature(&format!("{}:1", dir.path().join("g.py").display()), "(w, height)", true, None).unwrap_err();
    assert!(error.starts_with("the parameter `width` cannot be renamed `w`: "), "{error}");
    assert_eq!(std::fs::read_to_string(dir.path().join("g.py")).unwrap(), clash);
}

#[test]
fn with_the_model_a_new_required_parameter_gets_an_argument_checked_at_each_call_or_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lib.py"), "def move(x, y):\n    return (x, y)\n").unwrap();
    let app = "from lib import move\n\n\ndef main(origin):\n    return move(1, 2)\n\n\nprint(main(0), move(3, y=4))\n";
    std::fs::write(dir.path().join("app.py"), app).unwrap();
    let location = format!("{}:1", dir.path().join("lib.py").display());
    let answering = |reply: &'static str| {
        move |_: &LlmSettings, request: &Request| {
            assert!(request.prompt.contains("`z`") && request.prompt.contains("move(1, 2)"), "{}", request.prompt);
            Ok::<_, String>(reply.to_owned())
        }
    };
    // Must not: a name the call cannot see refuses every call; nothing is written.
    let error = signature(&location, "(x, y, z)", true, Some(&answering("call 1: z = origin\ncall 2: z = origin\n"))).unwrap_err();
    assert!(error.starts_with("the model's arguments failed their checks; nothing was written:") && error.contains("`origin`"), "{error}");
    assert_eq!(std::fs::read_to_string(dir.path().join("app.py")).unwrap(), app);
    // Without the model the change asks for a default.
    let error = signature(&location, "(x, y, z)", true, None).unwrap_err();
    assert!(error.contains("has no default"), "{error}");
    signature(&location, "(x, y, z)", true, Some(&answering("call 1: z = 0\ncall 2: z = 0\n"))).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("lib.py")).unwrap(), "def move(x, y, z):\n    return (x, y)\n");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app.py")).unwrap(),
        "from lib import move\n\n\ndef main(origin):\n    return move(1, 2, 0)\n\n\nprint(main(0), move(3, y=4, z=0))\n"
    );
}

#[test]
fn a_signature_change_of_a_name_defined_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let m = "def f(a, b):\n    return (\"first\", a, b)\n\n\ndef f(a, b):  # noqa: F811\n    return (\"second\", a, b)\n\n\nprint(f(1, 2))\n";
    std::fs::write(dir.path().join("m.py"), m).unwrap();
    for line in [1, 5] {
        let error = signature(&format!("{}:{line}", dir.path().join("m.py").display()), "(b, a)", true, None).unwrap_err();
        assert!(error.contains("defined more than once"), "line {line}: {error}");
    }
    assert_eq!(std::fs::read_to_string(dir.path().join("m.py")).unwrap(), m, "nothing written");
}

#[test]
fn a_symbol_moved_from_the_command_line_is_shown_then_written_or_refused() {
    let dir = tempfile::tempdir().unwrap();
    let lib = "import math\n\n\ndef area(r):\n    return math.pi * r * r\n\n\ndef other():\n    return 1\n";
    std::fs::write(dir.path().join("lib.py"), lib).unwrap();
    std::fs::write(dir.path().join("app.py"), "from lib import area, other\n\nprint(area(1), other())\n").unwrap();
    let location = format!("{}:4", dir.path().join("lib.py").display());
    let target = dir.path().join("shapes.py");
    let shown = move_symbol(&location, &target, false).unwrap();
    assert!(shown.contains("-from lib import area, other\n+from lib import other\n+from shapes import area\n"), "{shown}");
    assert!(!target.exists(), "no --apply, nothing written");
    move_symbol(&location, &target, true).unwrap();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "import math\n\n\ndef area(r):\n    return math.pi * r * r\n");
    assert_eq!(std::fs::read_to_string(dir.path().join("lib.py")).unwrap(), "def other():\n    return 1\n");
    // `other` cannot go where a name `other` is defined; nothing is written.
    std::fs::write(dir.path().join("more.py"), "def other():\n    return 2\n").unwrap();
    let location = format!("{}:1", dir.path().join("lib.py").display());
    let error = move_symbol(&location, &dir.path().join("more.py"), true).unwrap_err();
    assert_eq!(&*error, "`other` is already defined in `more` at more.py:1");
    assert_eq!(std::fs::read_to_string(dir.path().join("lib.py")).unwrap(), "def other():\n    return 1\n");
}

#[test]
fn entry_points_of_pyproject_follow_a_renamed_module_and_a_moved_function_or_refuse_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("app")).unwrap();
    std::fs::write(dir.path().join("app/__init__.py"), "").unwrap();
    std::fs::write(dir.path().join("app/cli.py"), "def main():\n    print(\"hi\")\n\n\ndef other():\n    return 1\n").unwrap();
    let pyproject = "[project]\nname = \"app\"\n\n[project.scripts]\napp-cli = \"app.cli:main\"\n";
    std::fs::write(dir.path().join("pyproject.toml"), pyproject).unwrap();
    let shown = rename_module(&dir.path().join("app/cli.py"), &dir.path().join("app/console.py"), Some(dir.path()), true).unwrap();
    assert!(shown.contains("-app-cli = \"app.cli:main\"\n+app-cli = \"app.console:main\"\n"), "{shown}");
    assert!(std::fs::read_to_string(dir.path().join("pyproject.toml")).unwrap().ends_with("app-cli = \"app.console:main\"\n"));
    move_symbol(&format!("{}:1", dir.path().join("app/console.py").display()), &dir.path().join("app/tools.py"), true).unwrap();
    assert!(std::fs::read_to_string(dir.path().join("pyproject.toml")).unwrap().ends_with("app-cli = \"app.tools:main\"\n"));
    // A spelling that is not a whole entry point refuses; nothing is written.
    let coverage = "[project.scripts]\napp-cli = \"app.tools:main\"\n\n[tool.pytest.ini_options]\naddopts = \"--cov=app.console\"\n";
    std::fs::write(dir.path().join("pyproject.toml"), coverage).unwrap();
    let error = rename_module(&dir.path().join("app/console.py"), &dir.path().join("app/shell.py"), Some(dir.path()), true).unwrap_err();
    assert_eq!(
        &*error,
        "pyproject.toml:5 names `app.console` in `addopts = \"--cov=app.console\"`, which is not an entry point or module path written out whole: it cannot be updated exactly; edit it by hand, then move"
    );
    assert!(dir.path().join("app/console.py").exists() && std::fs::read_to_string(dir.path().join("pyproject.toml")).unwrap() == coverage);
}

#[test]
fn a_target_whose_folder_cannot_hold_it_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("app")).unwrap();
    std::fs::write(dir.path().join("app/__init__.py"), "").unwrap();
    let util = "def f():\n    return 1\n";
    std::fs::write(dir.path().join("app/util.py"), util).unwrap();
    std::fs::write(dir.path().join("main.py"), "from app.util import f\n").unwrap();
    std::fs::write(dir.path().join("blocker"), "data\n").unwrap();
    let location = format!("{}:1", dir.path().join("app/util.py").display());
    let error = move_symbol(&location, &dir.path().join("app/newdir/x.py"), true).unwrap_err();
    assert!(error.contains("newdir does not exist: create the package first; nothing was written"), "{error}");
    let error = rename_module(&dir.path().join("app/util.py"), &dir.path().join("blocker/x.py"), Some(dir.path()), true).unwrap_err();
    assert!(error.contains("blocker is a file, not a folder"), "{error}");
    let error = rename_module(&dir.path().join("app/util.py"), &dir.path().join("app/__init__.py"), Some(dir.path()), true).unwrap_err();
    // Named as the diffs name files: relative to the workspace.
    assert_eq!(&*error, "app/__init__.py already exists");
    assert_eq!(std::fs::read_to_string(dir.path().join("app/util.py")).unwrap(), util, "nothing written");
    assert_eq!(std::fs::read_to_string(dir.path().join("main.py")).unwrap(), "from app.util import f\n", "nothing written");
    // Twin: rename-module creates the folders of its target.
    rename_module(&dir.path().join("app/util.py"), &dir.path().join("app/sub/deep/x.py"), Some(dir.path()), true).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("app/sub/deep/x.py")).unwrap(), util);
    assert_eq!(std::fs::read_to_string(dir.path().join("main.py")).unwrap(), "from app.sub.deep.x import f\n");
}

#[test]
fn a_moved_symbol_keeps_the_crlf_line_endings_of_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let source = "import os\r\n\r\n\r\ndef f():\r\n    return os.sep\r\n\r\n\r\ndef g(s):\r\n\treturn s.strip().upper()\r\n\r\n\r\nprint(g(f()))\r\n";
    std::fs::write(dir.path().join("m.py"), source).unwrap();
    move_symbol(&format!("{}:8", dir.path().join("m.py").display()), &dir.path().join("n.py"), true).unwrap();
    for name in ["m.py", "n.py"] {
        let written = std::fs::read_to_string(dir.path().join(name)).unwrap();
        assert!(written.contains("\r\n") && !written.replace("\r\n", "").contains('\n'), "{name}: {written:?}");
    }
}

#[test]
fn a_file_the_graph_could_not_read_that_spells_the_module_refuses_a_move() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("app")).unwrap();
    std::fs::write(dir.path().join("app/__init__.py"), "").unwrap();
    std::fs::write(dir.path().join("app/util.py"), "def f():\n    return 1\n").unwrap();
    // Latin-1 by its coding cookie: valid Python, not UTF-8.
    let legacy = b"# -*- coding: latin-1 -*-\nfrom app.util import f\nprint(f(), '\xe9')\n";
    std::fs::write(dir.path().join("legacy.py"), legacy).unwrap();
    let error = rename_module(&dir.path().join("app/util.py"), &dir.path().join("app/tools.py"), Some(dir.path()), true).unwrap_err();
    assert!(error.starts_with("legacy.py spells `util` but was not indexed"), "{error}");
    assert!(dir.path().join("app/util.py").exists() && std::fs::read(dir.path().join("legacy.py")).unwrap() == legacy, "nothing written");
    let error = move_symbol(&format!("{}:1", dir.path().join("app/util.py").display()), &dir.path().join("app/tools.py"), true).unwrap_err();
    assert!(error.contains("legacy.py spells `f` but was not indexed"), "{error}");
    // Twin: an unreadable file that never spells it is no reason.
    std::fs::write(dir.path().join("legacy.py"), b"# -*- coding: latin-1 -*-\nprint('\xe9')\n").unwrap();
    rename_module(&dir.path().join("app/util.py"), &dir.path().join("app/tools.py"), Some(dir.path()), true).unwrap();
    assert!(dir.path().join("app/tools.py").exists());
}

#[test]
fn an_inlining_from_the_command_line_is_shown_then_written_or_refused_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let lib = "def total(xs, tax):\n    taxed = sum(xs) * tax\n    return round(taxed, 2)\n\n\ndef count(xs):\n    n = len(xs)\n    return n + n\n";
    let path = dir.path().join("lib.py");
    std::fs::write(&path, lib).unwrap();
    let at: FilePosition = format!("{}:3:19", path.display()).parse().unwrap();
    let shown = inline(&at, false).unwrap();
    assert!(shown.contains("-    taxed = sum(xs) * tax\n-    return round(taxed, 2)\n+    return round(sum(xs) * tax, 2)\n"), "{shown}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), lib, "no --apply, nothing written");
    inline(&at, true).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.starts_with("def total(xs, tax):\n    return round(sum(xs) * tax, 2)\n"), "{written}");
    let error = inline(&format!("{}:6:5", path.display()).parse().unwrap(), true).unwrap_err();
    assert_eq!(&*error, "`n` is read 2 times: `len(xs)` would run 2 times instead of once");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written, "refused, nothing written");
    // A call of a function: its body with the arguments in place, in another module.
    std::fs::write(dir.path().join("app.py"), "from lib import total\n\nprint(total([1, 2], 0.5))\n").unwrap();
    let shown = inline(&format!("{}:3:8", dir.path().join("app.py").display()).parse().unwrap(), true).unwrap();
    assert!(shown.ends_with(": Inline this call of `total`\n"), "{shown}");
    assert_eq!(std::fs::read_to_string(dir.path().join("app.py")).unwrap(), "\nprint(round(sum([1, 2]) * 0.5, 2))\n", "the import left unused goes");
    let error = inline(&format!("{}:1:1", dir.path().join("app.py").display()).parse().unwrap(), true).unwrap_err();
    assert_eq!(&*error, "nothing to inline at that position: put it on a variable, a called function's name, or the name of a called function's `def`");
}

#[test]
fn every_call_inlined_from_the_def_on_the_command_line_is_written_to_each_file_or_refused_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let lib = "def double(x):\n    y = x * 2\n    return y\n";
    std::fs::write(dir.path().join("lib.py"), lib).unwrap();
    let app = dir.path().join("app.py");
    std::fs::write(&app, "from lib import double\n\n\ndef main(n):\n    r = double(n)\n    print(r)\n").unwrap();
    let at: FilePosition = format!("{}:1:5", dir.path().join("lib.py").display()).parse().unwrap();
    let shown = inline(&at, true).unwrap();
    assert!(shown.ends_with(": Inline every call of `double` (1 in 1 file)\n"), "{shown}");
    assert_eq!(std::fs::read_to_string(&app).unwrap(), "\n\ndef main(n):\n    y = n * 2\n    r = y\n    print(r)\n");
    assert_eq!(std::fs::read_to_string(dir.path().join("lib.py")).unwrap(), lib, "a public function stays");
    // The function passed as a value cannot go: refused, nothing written.
    std::fs::write(&app, "from lib import double\n\nprint(list(map(double, [1])), double(2))\n").unwrap();
    let error = inline(&at, true).unwrap_err();
    assert!(
        error.starts_with("`double` is used at ") && error.ends_with("app.py:3 without being called there (passed or stored as a value): it must stay"),
        "{error}"
    );
    assert_eq!(std::fs::read_to_string(&app).unwrap(), "from lib import double\n\nprint(list(map(double, [1])), double(2))\n");
}

#[test]
fn an_extraction_from_the_command_line_is_shown_then_written() {
    let dir = tempfile::tempdir().unwrap();
    let lib = "def total(xs, tax):\n    return round(sum(xs) * tax, 2)\n";
    let path = dir.path().join("lib.py");
    std::fs::write(&path, lib).unwrap();
    let from: FilePosition = format!("{}:2:18", path.display()).parse().unwrap();
    let shown = extract(&from, "2:31", None, false, false).unwrap();
    assert!(shown.contains("-    return round(sum(xs) * tax, 2)\n+    value = sum(xs) * tax\n+    return round(value, 2)\n"), "{shown}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), lib, "no --apply, nothing written");
    extract(&from, "2:31", Some("taxed"), false, true).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "def total(xs, tax):\n    taxed = sum(xs) * tax\n    return round(taxed, 2)\n");
    let written = std::fs::read_to_string(&path).unwrap();
    let error = extract(&format!("{}:2:5", path.display()).parse().unwrap(), "2:10", None, false, true).unwrap_err();
    assert_eq!(&*error, "it is an assignment target: run before the statement, it could do something else");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written, "refused, nothing written");
}

#[test]
fn a_function_extracted_from_the_command_line_is_shown_then_written_or_refused_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let lib = "def total(xs, tax):\n    base = sum(xs)\n    taxed = base * tax\n    return round(taxed, 2)\n";
    let path = dir.path().join("lib.py");
    std::fs::write(&path, lib).unwrap();
    let from: FilePosition = format!("{}:2:5", path.display()).parse().unwrap();
    let shown = extract(&from, "3:23", Some("_taxed_sum"), true, false).unwrap();
    assert!(
        shown.contains(" def total(xs, tax):\n+    taxed = _taxed_sum(xs, tax)\n+    return round(taxed, 2)\n+\n+\n+def _taxed_sum(xs, tax):\n"),
        "{shown}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), lib, "no --apply, nothing written");
    extract(&from, "3:23", Some("_taxed_sum"), true, true).unwrap();
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        written,
        "def total(xs, tax):\n    taxed = _taxed_sum(xs, tax)\n    return round(taxed, 2)\n\n\ndef _taxed_sum(xs, tax):\n    base = sum(xs)\n    taxed = base * tax\n    return taxed\n"
    );
    // The `return` would leave the new function instead: refused, nothing written.
    let error = extract(&format!("{}:3:5", path.display()).parse().unwrap(), "3:27", None, true, true).unwrap_err();
    assert_eq!(&*error, "it has a `return`: it would return from the new function instead");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), written, "refused, nothing written");
}

#[test]
fn a_notebook_that_spells_what_changes_refuses_the_change_and_one_that_does_not_lets_it_through() {
    let dir = tempfile::tempdir().unwrap();
    let old = "def f(a, b):\n    return (a, b)\n";
    std::fs::write(dir.path().join("old.py"), old).unwrap();
    std::fs::write(dir.path().join("main.py"), "from old import f\n\nprint(f(1, 2))\n").unwrap();
    let cell = |source: &str| {
        format!(
            r#"{{"cells": [{{"cell_type": "code", "execution_count": null, "metadata": {{}}, "outputs": [], "source": {source:?}}}], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 4}}"#
        )
    };
    std::fs::write(dir.path().join("analysis.ipynb"), cell("from old import f\nf(1, 2)\n")).unwrap();
    let location = format!("{}:1", dir.path().join("old.py").display());
    let refusals = [
        rename_module(&dir.path().join("old.py"), &dir.path().join("older.py"), Some(dir.path()), true).unwrap_err(),
        move_symbol(&location, &dir.path().join("new.py"), true).unwrap_err(),
        signature(&location, "(b, a)", true, None).unwrap_err(),
    ];
    for error in refusals {
        // Named with its cell and line, as the editor's rename names it.
        assert!(error.starts_with("the notebook at analysis.ipynb:cell 1:1 spells `"), "{error}");
    }
    assert_eq!(std::fs::read_to_string(dir.path().join("old.py")).unwrap(), old, "nothing written");
    assert!(!dir.path().join("new.py").exists() && !dir.path().join("older.py").exists());
    // Twin: a notebook that names neither the module nor the function (`fa` is another word).
    std::fs::write(dir.path().join("analysis.ipynb"), cell("fa = 1\nprint(fa)\n")).unwrap();
    signature(&location, "(b, a)", true, None).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("main.py")).unwrap(), "from old import f\n\nprint(f(2, 1))\n");
}

#[test]
fn a_stub_naming_its_own_class_is_checked_where_it_follows_its_module() {
    // Tester 23 case 09 (transitions' `diagrams.pyi`): the stub spells the
    // module's last part (`util_base`), so the check reads it, and its
    // `x: Shape` means its own class at its new place.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("app")).unwrap();
    let stub = "from app.util_base import Base\n\nclass Shape(Base):\n    x: Shape\n";
    for (name, text) in [
        ("app/__init__.py", ""),
        ("app/util_base.py", "class Base:\n    pass\n"),
        ("app/util.py", "from app.util_base import Base\n\n\nclass Shape(Base):\n    x = None\n"),
        ("app/util.pyi", stub),
        ("main.py", "from app.util import Shape\n\nprint(Shape)\n"),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let shown = rename_module(&dir.path().join("app/util.py"), &dir.path().join("app/tools.py"), Some(dir.path()), true).unwrap();
    assert!(shown.contains("rename app/util.pyi → app/tools.pyi (its stub)"), "{shown}");
    assert_eq!(std::fs::read_to_string(dir.path().join("app/tools.pyi")).unwrap(), stub);
    assert_eq!(std::fs::read_to_string(dir.path().join("main.py")).unwrap(), "from app.tools import Shape\n\nprint(Shape)\n");
    // Twin: to another folder, where the stub would not follow, still refused.
    std::fs::create_dir_all(dir.path().join("app/sub")).unwrap();
    std::fs::write(dir.path().join("app/sub/__init__.py"), "").unwrap();
    let error = rename_module(&dir.path().join("app/tools.py"), &dir.path().join("app/sub/tools.py"), Some(dir.path()), false).unwrap_err();
    assert!(error.contains("has a stub beside it"), "{error}");
}

#[test]
fn a_stub_beside_a_renamed_module_follows_it_in_its_folder_and_refuses_another_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("app/sub")).unwrap();
    for (name, text) in
        [("app/__init__.py", ""), ("app/sub/__init__.py", ""), ("app/util.py", "def f():\n    return 1\n"), ("app/util.pyi", "def f() -> int: ...\n")]
    {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    std::fs::write(dir.path().join("main.py"), "from app.util import f\n\nprint(f())\n").unwrap();
    let error = rename_module(&dir.path().join("app/util.py"), &dir.path().join("app/sub/util.py"), Some(dir.path()), true).unwrap_err();
    assert!(error.starts_with("app/util.py has a stub beside it, app/util.pyi, which would not follow it"), "{error}");
    assert!(dir.path().join("app/util.py").is_file() && dir.path().join("app/util.pyi").is_file(), "nothing moved");
    let shown = rename_module(&dir.path().join("app/util.py"), &dir.path().join("app/tools.py"), Some(dir.path()), true).unwrap();
    assert!(shown.contains("rename app/util.pyi → app/tools.pyi (its stub)"), "{shown}");
    assert_eq!(std::fs::read_to_string(dir.path().join("app/tools.pyi")).unwrap(), "def f() -> int: ...\n");
    assert!(!dir.path().join("app/util.pyi").exists());
    // Twin: a module without a stub moves to another folder (not `main.py`:
    // a script, run from app/sub/ it would no longer import `app`).
    std::fs::write(dir.path().join("app/plain.py"), "def g():\n    return 2\n").unwrap();
    rename_module(&dir.path().join("app/plain.py"), &dir.path().join("app/sub/plain.py"), Some(dir.path()), true).unwrap();
}

#[test]
fn a_refused_signature_change_says_its_reason_and_not_the_calls_it_would_have_updated() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("geo.py"), "def scale(w, h):\n    return w * h\n").unwrap();
    std::fs::write(dir.path().join("geo.pyi"), "def scale(w: int, h: int) -> int: ...\n").unwrap();
    std::fs::write(dir.path().join("main.py"), "from geo import scale\n\nprint(scale(1, 2))\n").unwrap();
    let location = format!("{}:1", dir.path().join("geo.py").display());
    let error = signature(&location, "(h, w)", true, None).unwrap_err();
    assert_eq!(
        &*error,
        "the signature change is refused; nothing was written:\n- calls of `scale` cannot all be updated: the stub at geo.pyi:1 declares `scale` with the old parameters"
    );
    // Must not: without the stub the calls follow.
    std::fs::remove_file(dir.path().join("geo.pyi")).unwrap();
    signature(&location, "(h, w)", true, None).unwrap();
    assert_eq!(std::fs::read_to_string(dir.path().join("main.py")).unwrap(), "from geo import scale\n\nprint(scale(2, 1))\n");
}

#[test]
fn build_settings_naming_a_renamed_top_level_module_refuse_it_all_listed_at_once_with_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src/mypkg")).unwrap();
    std::fs::write(dir.path().join("src/mypkg/__init__.py"), "X = 1\n").unwrap();
    let pyproject = "[project]\nname = \"mypkg\"\n\n[tool.flit.module]\nname = \"mypkg\"\n";
    std::fs::write(dir.path().join("pyproject.toml"), pyproject).unwrap();
    let setup = "from setuptools import setup\n\nsetup(name=\"mypkg\", package_dir={\"\": \"src\"}, packages=[\"mypkg\"])\n";
    std::fs::write(dir.path().join("setup.py"), setup).unwrap();
    let error = rename_module(&dir.path().join("src/mypkg"), &dir.path().join("src/newpkg"), Some(dir.path()), true).unwrap_err();
    assert_eq!(
        &*error,
        "the project files name `mypkg` where it cannot be updated exactly (not an entry point or module path written out whole); edit them by hand, then move:\n- pyproject.toml:5 `name = \"mypkg\"`\n- setup.py:3 `setup(name=\"mypkg\", package_dir={\"\": \"src\"}, packages=[\"mypkg\"])`"
    );
    assert!(dir.path().join("src/mypkg").is_dir() && !dir.path().join("src/newpkg").exists());
    // Must not: the distribution's name alone lets the package move.
    std::fs::write(dir.path().join("pyproject.toml"), "[project]\nname = \"mypkg\"\n").unwrap();
    std::fs::write(dir.path().join("setup.py"), "from setuptools import setup\n\nsetup(name=\"mypkg\")\n").unwrap();
    rename_module(&dir.path().join("src/mypkg"), &dir.path().join("src/newpkg"), Some(dir.path()), true).unwrap();
    assert!(dir.path().join("src/newpkg/__init__.py").is_file());
}

#[test]
fn a_gitignored_module_of_the_package_that_spells_the_renamed_one_refuses_it_and_one_that_does_not_lets_it_through() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("pkg")).unwrap();
    std::fs::write(dir.path().join("pkg/__init__.py"), "").unwrap();
    std::fs::write(dir.path().join("pkg/util.py"), "def f():\n    return 1\n").unwrap();
    std::fs::write(dir.path().join("pkg/_gen.py"), "from pkg.util import f\n\nVERSION = f()\n").unwrap();
    std::fs::write(dir.path().join(".gitignore"), "pkg/_gen.py\n").unwrap();
    let error = rename_module(&dir.path().join("pkg/util.py"), &dir.path().join("pkg/tools.py"), Some(dir.path()), true).unwrap_err();
    assert!(error.starts_with("pkg/_gen.py is left out of the workspace (ignored by .gitignore"), "{error}");
    assert!(dir.path().join("pkg/util.py").is_file());
    // Asking to rename the ignored module itself says why it cannot.
    let error = rename_module(&dir.path().join("pkg/_gen.py"), &dir.path().join("pkg/gen.py"), Some(dir.path()), false).unwrap_err();
    assert_eq!(
        &*error,
        "pkg/_gen.py is left out of the workspace (ignored by .gitignore or excluded by `index.exclude`): pyloom does not index it nor know its importers; move it by hand"
    );
    // Must not: an ignored module that does not spell it stays out of the way.
    std::fs::write(dir.path().join("pkg/_gen.py"), "VERSION = 1\n").unwrap();
    rename_module(&dir.path().join("pkg/util.py"), &dir.path().join("pkg/tools.py"), Some(dir.path()), true).unwrap();
    assert!(dir.path().join("pkg/tools.py").is_file());
}

#[test]
fn a_module_moved_into_a_new_folder_of_a_regular_package_gets_its_init() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("app")).unwrap();
    std::fs::create_dir_all(dir.path().join("ns")).unwrap();
    for (name, text) in [("app/__init__.py", ""), ("app/util.py", "def f():\n    return 1\n"), ("ns/tool.py", "def g():\n    return 2\n")] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    std::fs::write(dir.path().join("main.py"), "from app.util import f\nfrom ns.tool import g\n\nprint(f(), g())\n").unwrap();
    let shown = rename_module(&dir.path().join("app/util.py"), &dir.path().join("app/helpers/deep/util.py"), Some(dir.path()), true).unwrap();
    assert!(shown.contains("create app/helpers/__init__.py (empty"), "{shown}");
    assert!(dir.path().join("app/helpers/__init__.py").is_file() && dir.path().join("app/helpers/deep/__init__.py").is_file());
    assert!(dir.path().join("app/helpers/deep/util.py").is_file());
    // Twin: beside a namespace package (no `__init__.py`), none is made.
    let shown = rename_module(&dir.path().join("ns/tool.py"), &dir.path().join("ns/more/tool.py"), Some(dir.path()), true).unwrap();
    assert!(!shown.contains("create"), "{shown}");
    assert!(!dir.path().join("ns/more/__init__.py").exists() && dir.path().join("ns/more/tool.py").is_file());
}

#[test]
fn a_gitignored_script_outside_the_packages_that_spells_the_moved_module_is_named_in_a_warning() {
    let dir = project(&[
        ("app/__init__.py", ""),
        ("app/fields.py", "def money_field():\n    return 1\n"),
        ("main.py", "from app.fields import money_field\n"),
        ("local/try_it.py", "from app.fields import money_field\nprint(money_field())\n"),
        ("local/other.py", "print('fields')\n"),
        (".gitignore", "local/\n"),
    ]);
    let shown = rename_module(&dir.path().join("app/fields.py"), &dir.path().join("app/columns.py"), Some(dir.path()), true).unwrap();
    let warnings: Vec<&str> = shown.lines().filter(|l| l.starts_with("warning:")).collect();
    // Must not: `local/other.py` spells the last part alone, not the module.
    assert_eq!(
        warnings,
        ["warning: local/try_it.py is left out of the workspace (.gitignore or `index.exclude`) and spells `app.fields`: it was not updated; check it by hand"]
    );
    assert_eq!(std::fs::read_to_string(dir.path().join("main.py")).unwrap(), "from app.columns import money_field\n");
    // Must not: a module nothing ignored spells moves without a word.
    let shown = rename_module(&dir.path().join("main.py"), &dir.path().join("entry.py"), Some(dir.path()), false).unwrap();
    assert!(!shown.contains("warning"), "{shown}");
}

#[test]
fn a_refusal_and_bad_input_are_told_apart_by_their_exit_code() {
    let dir = project(&[
        ("app/__init__.py", ""),
        ("app/m.py", "def helper(x):\n    if x:\n        return 1\n    return 2\n\n\ndef user():\n    return helper(3)\n"),
        ("main.py", "from app.m import helper\nprint(helper(0))\n"),
    ]);
    let m = |at: &str| format!("{}:{at}", dir.path().join("app/m.py").display());
    // Refused: understood, and not safe.
    let refusals = [
        inline(&m("1:5").parse().unwrap(), false).unwrap_err(),
        move_symbol(&m("1"), &dir.path().join("main.py"), false).unwrap_err(),
        rename_module(&dir.path().join("app/m.py"), &dir.path().join("os.py"), Some(dir.path()), false).unwrap_err(),
        // A target that exists, or whose path runs through a file.
        rename_module(&dir.path().join("app/m.py"), &dir.path().join("main.py"), Some(dir.path()), false).unwrap_err(),
        rename_module(&dir.path().join("app/m.py"), &dir.path().join("main.py/m.py"), Some(dir.path()), false).unwrap_err(),
        move_symbol(&m("1"), &dir.path().join("main.py/m.py"), false).unwrap_err(),
    ];
    for refusal in &refusals {
        assert!(matches!(refusal, Failure::Refused(_)) && refusal.exit_code() == 1, "{refusal:?}");
    }
    // Failed: a missing file, a line with no `def`, an argument that does not read.
    let failures = [
        move_symbol(&format!("{}:1", dir.path().join("app/missing.py").display()), &dir.path().join("app/x.py"), false).unwrap_err(),
        rename_module(&dir.path().join("app/missing.py"), &dir.path().join("app/x.py"), Some(dir.path()), false).unwrap_err(),
        signature(&m("2"), "(x)", false, None).unwrap_err(),
        signature(&m("1"), "(x,,)", false, None).unwrap_err(),
    ];
    for failure in &failures {
        assert!(matches!(failure, Failure::Failed(_)) && failure.exit_code() == 2, "{failure:?}");
    }
}

#[test]
fn a_column_past_the_end_of_its_line_is_bad_input_and_the_end_of_the_line_is_not() {
    let dir = project(&[("m.py", "def f(n):\n    return n + 1\n")]);
    let m = |at: &str| format!("{}:{at}", dir.path().join("m.py").display());
    for failure in [extract(&m("2:12").parse().unwrap(), "2:200", None, false, false).unwrap_err(), inline(&m("1:90").parse().unwrap(), false).unwrap_err()] {
        assert!(matches!(&failure, Failure::Failed(why) if why.contains("no column") && why.contains("(the line has")), "{failure:?}");
    }
    // Must not: the column just after the line's last character ends a selection of `n + 1`.
    let shown = extract(&m("2:12").parse().unwrap(), "2:17", None, false, false).unwrap();
    assert!(shown.contains("+    value = n + 1\n"), "{shown}");
}

#[test]
fn lines_on_the_command_line_end_at_a_bare_cr_as_pyloom_check_counts_them() {
    // An old Mac file: line 2 is `    return n + 1`, as ruff numbers it.
    let dir = project(&[("m.py", "def f(n):\r    return n + 1\r")]);
    let m = |at: &str| format!("{}:{at}", dir.path().join("m.py").display());
    // The selection reads (the extraction itself may refuse, not as bad input).
    let read = extract(&m("2:12").parse().unwrap(), "2:17", None, false, false);
    assert!(!matches!(read, Err(Failure::Failed(_))), "{read:?}");
    let failure = extract(&m("2:12").parse().unwrap(), "2:18", None, false, false).unwrap_err();
    assert!(matches!(&failure, Failure::Failed(why) if why.contains("no column 18 (the line has 16 characters)")), "{failure:?}");
}

/// A scratch folder with these files (their folders made).
fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn a_makefile_running_the_module_refuses_the_rename_as_tox_ini_does() {
    let files = [("app/__init__.py", ""), ("app/core.py", "def load():\n    return 1\n"), ("main.py", "from app.core import load\nprint(load())\n")];
    let dir = project(&[files[0], files[1], files[2], ("Makefile", "run:\n\tpython -m app.core\n")]);
    let error = rename_module(&dir.path().join("app/core.py"), &dir.path().join("app/engine.py"), Some(dir.path()), true).unwrap_err();
    assert!(matches!(error, Failure::Refused(_)), "{error:?}");
    assert!(error.starts_with("Makefile:2 names `app.core` in `python -m app.core`"), "{error}");
    assert!(dir.path().join("app/core.py").exists(), "nothing moved");
    // Must not: a Makefile that does not name the module leaves the move alone.
    let dir = project(&[files[0], files[1], files[2], ("Makefile", "run:\n\tpython main.py\n")]);
    rename_module(&dir.path().join("app/core.py"), &dir.path().join("app/engine.py"), Some(dir.path()), true).unwrap();
    assert!(dir.path().join("app/engine.py").exists());
}

#[test]
fn a_refusal_names_paths_from_the_project_root_as_the_diffs_do() {
    // The tester's note: `src/app/runner.py`, not the source root's `app/runner.py`.
    let dir = tempfile::tempdir().unwrap();
    for layout in ["src/", ""] {
        let root = dir.path().join(if layout.is_empty() { "flat" } else { "srcs" });
        let package = root.join(format!("{layout}app"));
        std::fs::create_dir_all(&package).unwrap();
        std::fs::write(root.join("pyproject.toml"), "[project]\nname = \"app\"\n").unwrap();
        std::fs::write(package.join("__init__.py"), "").unwrap();
        std::fs::write(package.join("runner.py"), "import subprocess, sys\nsubprocess.run([sys.executable, \"-m\", \"app\"])\n").unwrap();
        let error = rename_module(&package, &package.with_file_name("app2"), Some(&root), true).unwrap_err();
        assert_eq!(
            &*error,
            format!(
                "the string \"app\", the module's name (`-m app` or a lookup by name?), at {layout}app/runner.py:2 cannot be updated exactly; the move is refused"
            )
        );
    }
}

#[cfg(test)]
#[path = "refactor_doctest_tests.rs"]
mod doctest_files;
