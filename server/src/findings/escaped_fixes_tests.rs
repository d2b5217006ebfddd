//! Fixes in notebooks whose escapes read what the fix would change.

use expect_test::{Expect, expect};

use crate::findings::{Config, check_buffer};
use crate::notebook::{Cell, CellKind, Notebook};
use crate::settings::LintSettings;

/// The findings with fixes ruff has for the notebook of `cells` (ruff's
/// defaults, B007, RET504, SIM108 and I001): each rule, what it points at, and
/// whether its fix is offered.
fn check_fixes(cells: &[&str], expected: Expect) {
    expected.assert_eq(&fixes(cells));
}

fn fixes(cells: &[&str]) -> String {
    // A folder of its own per test (removed when dropped): tests run in
    // parallel, and one rewriting a shared ruff.toml could have another read
    // it half written.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("ruff.toml"), "[lint]\nextend-select = [\"B007\", \"RET504\", \"SIM108\", \"I001\"]\n").expect("ruff.toml");
    let dir = dir.path();
    let config = Config::load(dir, &LintSettings::default()).0;
    let notebook = Notebook::from_cells(cells.iter().map(|text| Cell { kind: CellKind::Code, language: "python", text }));
    let path = dir.join("nb.ipynb");
    let text = notebook.source();
    let findings = check_buffer(&path, text, Some(&notebook), &config).finish(&path, text, &config, None);
    findings
        .iter()
        .filter(|f| matches!(f.code.as_str(), "F401" | "F841" | "B007" | "RET504" | "SIM108" | "I001"))
        .map(|f| format!("{} `{}`: {}\n", f.code, text[f.range.clone()].lines().next().unwrap_or_default(), if f.fix.is_some() { "fix" } else { "no fix" }))
        .collect()
}

#[test]
fn an_unused_import_an_escape_reads_is_reported_without_its_fix() {
    // Must not: `sys`, which no escape reads, keeps its fix.
    check_fixes(
        &["import os\nimport sys\n", "!echo {os.sep}"],
        expect![[r#"
            F401 `os`: no fix
            F401 `sys`: fix
        "#]],
    );
}

#[test]
fn a_binding_an_escape_reads_keeps_its_finding_without_a_fix() {
    check_fixes(
        &[
            "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    !echo {e}\n",
            "def g():\n    x = 5\n    !echo {x}\n",
            "def h():\n    x = 5\n    %time y = x + 1\n    return 1\n",
            "def k():\n    x = 5\n    get_ipython().system('echo {x}')\n",
            "for i in range(2):\n    !echo {i}\n",
        ],
        expect![[r#"
            F841 `e`: no fix
            F841 `x`: no fix
            F841 `x`: no fix
            F841 `x`: no fix
            B007 `i`: no fix
        "#]],
    );
    // `%run -i` reads every global: the loop variable may be one it reads.
    check_fixes(
        &["for j in range(2):\n    pass\n", "%run -i report.py\n"],
        expect![[r#"
            B007 `j`: no fix
        "#]],
    );
}

#[test]
fn a_fix_that_would_move_an_escape_into_an_expression_is_dropped() {
    check_fixes(
        &[
            "def g():\n    y = !echo a\n    return y\n",
            "def h():\n    y = %time 1 + 1\n    return y\n",
            "c = True\nif c:\n    y = !echo a\nelse:\n    y = ['b']\n",
            "if c:\n    z = 1\nelse:\n    z = %sx echo b\n",
        ],
        expect![[r#"
            RET504 `y`: no fix
            RET504 `y`: no fix
            SIM108 `if c:`: no fix
            SIM108 `if c:`: no fix
        "#]],
    );
}

#[test]
fn fixes_no_escape_can_tell_apart_are_kept() {
    // Must not: the same fixes without escapes, and with an escape reading
    // another name, are ruff's.
    let same = [
        "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    print(1)\n",
        "def g():\n    x = 5\n    return 1\n",
        "for i in range(2):\n    print(1)\n",
        "def h():\n    y = 1 + 1\n    return y\n",
        "c = True\nif c:\n    y = 1\nelse:\n    y = 2\n",
    ];
    check_fixes(
        &same,
        expect![[r#"
            F841 `e`: fix
            F841 `x`: fix
            B007 `i`: fix
            RET504 `y`: fix
            SIM108 `if c:`: fix
        "#]],
    );
    let mut with_escape = same.to_vec();
    with_escape.push("!echo {other}\n%time w = other\nget_ipython().system('echo {other}')\n");
    // A magic's own name is no name it reads: `%matplotlib` keeps the
    // import's fix, as `%time` keeps the loop variable `time`'s.
    with_escape.insert(0, "%matplotlib inline\nimport matplotlib.pyplot as plt\n");
    with_escape.push("for time in range(2):\n    %time print(1)\n");
    // Imports sorted below a magic, as isort sorts them in a cell.
    with_escape.push("%load_ext autoreload\nimport sys\nimport os\nprint(os, sys)\n");
    check_fixes(
        &with_escape,
        expect![[r#"
            F401 `plt`: fix
            F841 `e`: fix
            F841 `x`: fix
            B007 `i`: fix
            RET504 `y`: fix
            SIM108 `if c:`: fix
            B007 `time`: fix
            I001 `import sys`: fix
        "#]],
    );
}

#[test]
fn a_fix_rewriting_a_name_an_escape_reads_is_dropped_as_an_ide_edit_is() {
    // The one rule of fixes and the IDE's edits (extract, inline) refuses
    // an edit whose text spells a name an escape reads, even when the
    // name stays bound: isort rewriting the block that imports `os`, the
    // F401 fix rewriting `import re, shutil` that `shutil.which?` reads.
    // Must not: `sys`, which no escape reads, keeps its fix.
    check_fixes(
        &["import sys\nimport os\nimport re, shutil\n", "%time x = os.getcwd()\nshutil.which?"],
        expect![[r#"
            I001 `import sys`: no fix
            F401 `sys`: fix
            F401 `os`: no fix
            F401 `re`: no fix
            F401 `shutil`: no fix
        "#]],
    );
}
