use expect_test::{Expect, expect};

use super::*;
use crate::ide::edits::apply;

const RENAMED: Moving = Moving::Module { old: "app.cli", new: "app.console" };
const MOVED: Moving = Moving::Symbol { name: "main", old: "app.cli", new: "app.tools" };

/// The lines of the project file `name` that `moving` changes (`5: old
/// -> new`; the others stay), or the refusal (the line and its text).
fn check(name: &str, text: &str, moving: Moving, expected: Expect) {
    let shown: String = match file_edits(name, text, moving, true) {
        Ok(replacements) => {
            let after = apply(text, &replacements);
            assert_eq!(after.lines().count(), text.lines().count(), "lines added or removed:\n{after}");
            text.lines().zip(after.lines()).enumerate().filter(|(_, (a, b))| a != b).map(|(i, (a, b))| format!("{}: {a} -> {b}\n", i + 1)).collect()
        }
        Err(lines) => lines.iter().map(|(line, written)| format!("refused: line {line}: {written}\n")).collect(),
    };
    expected.assert_eq(&shown);
}

const PYPROJECT: &str = r#"[project]
name = "app"
scripts = { other = "app.client:main" }

[project.scripts]
app-cli = "app.cli:main"
plain = 'app.cli:main.run [color]'

[project.entry-points."app.plugins"]
sub = "app.cli.sub:Plugin"
mine = "myapp.cli:main"
tool = "app.cli:other"

[tool.setuptools]
packages = ["app", "app.cli"]
py-modules = [
    "app.cli.extra",
]

# app.cli is the command line
[tool.pytest.ini_options]
addopts = "--doctest-modules"
"#;

#[test]
fn pyproject_entry_points_and_module_lists_follow_a_renamed_module() {
    check(
        "pyproject.toml",
        PYPROJECT,
        RENAMED,
        expect![[r#"
            6: app-cli = "app.cli:main" -> app-cli = "app.console:main"
            7: plain = 'app.cli:main.run [color]' -> plain = 'app.console:main.run [color]'
            10: sub = "app.cli.sub:Plugin" -> sub = "app.console.sub:Plugin"
            12: tool = "app.cli:other" -> tool = "app.console:other"
            15: packages = ["app", "app.cli"] -> packages = ["app", "app.console"]
            17:     "app.cli.extra", ->     "app.console.extra",
        "#]],
    );
}

#[test]
fn pyproject_entry_points_follow_a_moved_function_and_only_it() {
    // Must not: `app.cli:other`, the module path `app.cli` (in a list and
    // in `--cov=`) and `app.client` stay.
    check(
        "pyproject.toml",
        &PYPROJECT.replace("\"--doctest-modules\"", "\"--cov=app.cli\""),
        MOVED,
        expect![[r#"
            6: app-cli = "app.cli:main" -> app-cli = "app.tools:main"
            7: plain = 'app.cli:main.run [color]' -> plain = 'app.tools:main.run [color]'
        "#]],
    );
}

#[test]
fn a_module_named_in_a_project_file_other_than_by_a_whole_value_is_refused() {
    let coverage = PYPROJECT.replace("\"--doctest-modules\"", "\"--cov=app.cli\"");
    check(
        "pyproject.toml",
        &coverage,
        RENAMED,
        expect![[r#"
            refused: line 22: addopts = "--cov=app.cli"
        "#]],
    );
    let multiline = "[project.scripts]\napp-cli = \"\"\"\napp.cli:main\"\"\"\n";
    check(
        "pyproject.toml",
        multiline,
        MOVED,
        expect![[r#"
            refused: line 3: app.cli:main"""
        "#]],
    );
}

#[test]
fn setup_cfg_entry_points_follow_the_move() {
    let cfg = "[options.entry_points]\nconsole_scripts =\n    app-cli = app.cli:main\n    other = app.client:main\n# app.cli: the CLI\n; app.cli too\n";
    check(
        "setup.cfg",
        cfg,
        RENAMED,
        expect![[r#"
            3:     app-cli = app.cli:main ->     app-cli = app.console:main
        "#]],
    );
    check(
        "setup.cfg",
        cfg,
        MOVED,
        expect![[r#"
            3:     app-cli = app.cli:main ->     app-cli = app.tools:main
        "#]],
    );
    check(
        "setup.cfg",
        "[options]\npy_modules = app.cli, app.x\n",
        RENAMED,
        expect![[r#"
        refused: line 2: py_modules = app.cli, app.x
    "#]],
    );
}

#[test]
fn setup_py_entry_point_strings_follow_the_move() {
    let setup = "from setuptools import setup\n\nsetup(entry_points={\"console_scripts\": [\"app-cli=app.cli:main\", \"x = app.client:main\", \"y = app.cli:other\"]})\n";
    check(
        "setup.py",
        setup,
        MOVED,
        expect![[r#"
            3: setup(entry_points={"console_scripts": ["app-cli=app.cli:main", "x = app.client:main", "y = app.cli:other"]}) -> setup(entry_points={"console_scripts": ["app-cli=app.tools:main", "x = app.client:main", "y = app.cli:other"]})
        "#]],
    );
}

#[test]
fn the_project_name_description_and_urls_spell_no_import_and_do_not_stop_a_rename() {
    const PACKAGE: Moving = Moving::Module { old: "pkg", new: "core" };
    let project = "[project]\nname = \"pkg\"\ndescription = \"what pkg does\"\n\n[project.urls]\nHomepage = \"https://example.org/pkg\"\n\n[project.scripts]\npkg-cli = \"pkg.cli:main\"\n";
    check(
        "pyproject.toml",
        project,
        PACKAGE,
        expect![[r#"
            9: pkg-cli = "pkg.cli:main" -> pkg-cli = "core.cli:main"
        "#]],
    );
    check("setup.cfg", "[metadata]\nname = pkg\nversion = 1.0\n", PACKAGE, expect![""]);
    // Must not: any other key naming it is still refused.
    check(
        "pyproject.toml",
        &format!("{project}\n[tool.coverage.run]\nsource = \"pkg\"\n"),
        PACKAGE,
        expect![[r#"
            refused: line 12: source = "pkg"
        "#]],
    );
}

#[test]
fn flits_import_name_refuses_a_renamed_package_and_every_place_is_listed_at_once() {
    const PACKAGE: Moving = Moving::Module { old: "mypkg", new: "newpkg" };
    let flit = "[project]\nname = \"mypkg\"\n\n[tool.flit.module]\nname = \"mypkg\"\n\n[tool.flit.sdist]\ninclude = [\"src/mypkg/data\"]\n";
    check(
        "pyproject.toml",
        flit,
        PACKAGE,
        expect![[r#"
            refused: line 5: name = "mypkg"
            refused: line 8: include = ["src/mypkg/data"]
        "#]],
    );
    // Must not: the distribution's name (`[project]`, `[tool.poetry]`) is no import.
    check("pyproject.toml", "[project]\nname = \"mypkg\"\n\n[tool.poetry]\nname = \"mypkg\"\n", PACKAGE, expect![""]);
}

#[test]
fn setup_py_module_lists_and_paths_refuse_a_renamed_module_but_its_distribution_name_does_not() {
    const MODULE: Moving = Moving::Module { old: "mymod", new: "newmod" };
    let setup = "from setuptools import setup\n\nsetup(\n    name=\"mymod\",\n    description=\"what mymod does\",\n    url=\"https://example.org/mymod\",\n    package_dir={\"\": \"src\"},\n    py_modules=[\"mymod\"],\n    package_data={\"x\": [\"src/mymod/data.txt\"]},\n)\n";
    check(
        "setup.py",
        setup,
        MODULE,
        expect![[r#"
            refused: line 8: py_modules=["mymod"],
            refused: line 9: package_data={"x": ["src/mymod/data.txt"]},
        "#]],
    );
    // Must not: the name, the description and the URL alone move.
    let plain = setup.replace("    py_modules=[\"mymod\"],\n    package_data={\"x\": [\"src/mymod/data.txt\"]},\n", "");
    check("setup.py", &plain, MODULE, expect![""]);
    // A dotted module path is the module move's when setup.py is a module of the workspace, else refused.
    let dotted = "from setuptools import setup\nsetup(packages=[\"mymod.sub\"])\n";
    check("setup.py", dotted, MODULE, expect![""]);
    let refused = file_edits("setup.py", dotted, MODULE, false).unwrap_err();
    assert_eq!(refused, vec![(2, "setup(packages=[\"mymod.sub\"])".to_owned())]);
}

#[test]
fn runtime_config_files_name_modules_a_program_imports_at_start() {
    let logging = "[handlers]\nkeys=list\n\n[handler_list]\nclass=app.cli.ListHandler\nargs=()\n";
    check("logging.conf", logging, RENAMED, expect!["5: class=app.cli.ListHandler -> class=app.console.ListHandler\n"]);
    let moved = Moving::Symbol { name: "ListHandler", old: "app.cli", new: "app.tools" };
    check("logging.conf", logging, moved, expect!["5: class=app.cli.ListHandler -> class=app.tools.ListHandler\n"]);
    check("pytest.ini", "[pytest]\naddopts = -q -p app.cli\n", RENAMED, expect!["refused: line 2: addopts = -q -p app.cli\n"]);
    check("Procfile", "web: gunicorn app.cli:main\n", RENAMED, expect!["refused: line 1: web: gunicorn app.cli:main\n"]);
    check("Procfile", "web: gunicorn app.cli:main\n", MOVED, expect!["refused: line 1: web: gunicorn app.cli:main\n"]);
    // Must not: other modules and names, comments.
    check("logging.conf", &logging.replace("app.cli.", "app.client."), RENAMED, expect![""]);
    check("logging.conf", logging, MOVED, expect![""]);
    check("tox.ini", "[pytest]\n# see app.cli\naddopts = -p app.clients\n", RENAMED, expect![""]);
}
