use expect_test::{Expect, expect};

use super::*;
use crate::ide::edits::apply;

const RENAMED: Moving = Moving::Module { old: "app.cli", new: "app.console" };
const MOVED: Moving = Moving::Symbol { name: "main", old: "app.cli", new: "app.tools" };

/// The project file `name` after `moving`, or the refusal (the line and
/// its text).
fn check(name: &str, text: &str, moving: Moving, expected: Expect) {
    let shown = match file_edits(name, text, moving) {
        Ok(replacements) => apply(text, &replacements),
        Err((line, written)) => format!("refused: line {line}: {written}\n"),
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
            [project]
            name = "app"
            scripts = { other = "app.client:main" }

            [project.scripts]
            app-cli = "app.console:main"
            plain = 'app.console:main.run [color]'

            [project.entry-points."app.plugins"]
            sub = "app.console.sub:Plugin"
            mine = "myapp.cli:main"
            tool = "app.console:other"

            [tool.setuptools]
            packages = ["app", "app.console"]

            # app.cli is the command line
            [tool.pytest.ini_options]
            addopts = "--doctest-modules"
        "#]],
    );
}

#[test]
fn pyproject_entry_points_follow_a_moved_function_and_only_it() {
    // Must not: `app.cli:other`, the module path `app.cli` and `app.client` stay.
    check(
        "pyproject.toml",
        PYPROJECT,
        MOVED,
        expect![[r#"
            [project]
            name = "app"
            scripts = { other = "app.client:main" }

            [project.scripts]
            app-cli = "app.tools:main"
            plain = 'app.tools:main.run [color]'

            [project.entry-points."app.plugins"]
            sub = "app.cli.sub:Plugin"
            mine = "myapp.cli:main"
            tool = "app.cli:other"

            [tool.setuptools]
            packages = ["app", "app.cli"]

            # app.cli is the command line
            [tool.pytest.ini_options]
            addopts = "--doctest-modules"
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
        refused: line 19: addopts = "--cov=app.cli"
    "#]],
    );
    let multiline = "[project.scripts]\napp-cli = \"\"\"app.cli:main\"\"\"\n";
    check(
        "pyproject.toml",
        multiline,
        MOVED,
        expect![[r#"
        refused: line 2: app-cli = """app.cli:main"""
    "#]],
    );
    // Must not: the function moved, the module stays, and a path naming the module still holds.
    check(
        "pyproject.toml",
        &coverage,
        MOVED,
        expect![[r#"
        [project]
        name = "app"
        scripts = { other = "app.client:main" }

        [project.scripts]
        app-cli = "app.tools:main"
        plain = 'app.tools:main.run [color]'

        [project.entry-points."app.plugins"]
        sub = "app.cli.sub:Plugin"
        mine = "myapp.cli:main"
        tool = "app.cli:other"

        [tool.setuptools]
        packages = ["app", "app.cli"]

        # app.cli is the command line
        [tool.pytest.ini_options]
        addopts = "--cov=app.cli"
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
            [options.entry_points]
            console_scripts =
                app-cli = app.console:main
                other = app.client:main
            # app.cli: the CLI
            ; app.cli too
        "#]],
    );
    check(
        "setup.cfg",
        cfg,
        MOVED,
        expect![[r#"
            [options.entry_points]
            console_scripts =
                app-cli = app.tools:main
                other = app.client:main
            # app.cli: the CLI
            ; app.cli too
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
            from setuptools import setup

            setup(entry_points={"console_scripts": ["app-cli=app.tools:main", "x = app.client:main", "y = app.cli:other"]})
        "#]],
    );
}
