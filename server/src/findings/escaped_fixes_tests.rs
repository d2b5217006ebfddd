//! Fixes in notebooks whose escapes read what the fix would change.

use expect_test::{Expect, expect};

use crate::findings::{Config, Finding, check_buffer};
use crate::notebook::{Cell, CellKind, Notebook};
use crate::settings::LintSettings;

/// The findings with fixes ruff has for the notebook of `cells` (ruff's
/// defaults, B007, RET504, SIM108 and I001): each rule, what it points at, and
/// whether its fix is offered.
fn check_fixes(cells: &[&str], expected: Expect) {
    expected.assert_eq(&fixes(cells));
}

fn fixes(cells: &[&str]) -> String {
    let (text, findings) = checked(cells, "[lint]\nextend-select = [\"B007\", \"RET504\", \"SIM108\", \"I001\"]\n");
    findings
        .iter()
        .filter(|f| matches!(f.code.as_str(), "F401" | "F811" | "F841" | "B007" | "RET504" | "SIM108" | "I001"))
        .map(|f| format!("{} `{}`: {}\n", f.code, text[f.range.clone()].lines().next().unwrap_or_default(), if f.fix.is_some() { "fix" } else { "no fix" }))
        .collect()
}

/// The notebook of `cells` (its module text) and its findings under `ruff_toml`.
fn checked(cells: &[&str], ruff_toml: &str) -> (String, Vec<Finding>) {
    // A folder of its own per test (removed when dropped): tests run in
    // parallel, and one rewriting a shared ruff.toml could have another read
    // it half written.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("ruff.toml"), ruff_toml).expect("ruff.toml");
    let dir = dir.path();
    let config = Config::load(dir, &LintSettings::default()).0;
    let notebook = Notebook::from_cells(cells.iter().map(|text| Cell { kind: CellKind::Code, language: "python", text }));
    let path = dir.join("nb.ipynb");
    let text = notebook.source();
    let findings = check_buffer(&path, text, Some(&notebook), &config).finish(&path, text, &config, None);
    (text.to_owned(), findings)
}

/// Each finding of the notebook of `cells` (CPY001, W291, E501 selected)
/// with the line its `# noqa` edit would leave, or `no noqa`.
fn check_suppressions(cells: &[&str], expected: Expect) {
    let (text, findings) = checked(cells, "[lint]\nselect = [\"CPY001\", \"W291\", \"E501\"]\npreview = true\n");
    let shown = |f: &Finding| match &f.suppress {
        Some(edit) => {
            let line_start = text[..edit.range.start].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[edit.range.end..].find('\n').map_or(text.len(), |i| edit.range.end + i);
            format!("{}{}{}", &text[line_start..edit.range.start], edit.content, &text[edit.range.end..line_end])
        }
        None => "no noqa".to_owned(),
    };
    expected.assert_eq(&findings.iter().map(|f| format!("{}: {}\n", f.code, shown(f))).collect::<String>());
}

#[test]
fn a_fix_in_a_cell_another_python_runs_is_dropped() {
    // ruff reads `%%python`'s body as the notebook's code; IPython runs it
    // in a subprocess, which has no `os` once its import is removed.
    // Must not: the same redefinition in a `%%time` cell keeps its fix.
    check_fixes(
        &["import os\n", "%%python\nimport os\nprint(os.sep)\n", "print(os.getcwd())\n"],
        expect![[r#"
            I001 `import os`: no fix
            F811 `os`: no fix
        "#]],
    );
    check_fixes(
        &["import os\n", "%%time\nimport os\nprint(os.sep)\n", "print(os.getcwd())\n"],
        expect![[r#"
            I001 `import os`: fix
            F811 `os`: fix
        "#]],
    );
}

#[test]
fn an_import_a_left_out_cell_magics_line_expands_keeps_no_fix() {
    // `%%bash` is left out of the module, as ruff leaves it, but IPython
    // expands `{os.getcwd()}` in its line from the notebook's names.
    // Must not: a cell magic's line that spells another name.
    check_fixes(
        &["import os\n", "%%bash -s {os.getcwd()}\necho $1\n"],
        expect![[r#"
            F401 `os`: no fix
        "#]],
    );
    check_fixes(
        &["import os\n", "%%bash -s {x}\necho $1\n"],
        expect![[r#"
            F401 `os`: fix
        "#]],
    );
}

#[test]
fn a_noqa_that_would_land_on_an_escape_line_is_not_offered() {
    // IPython passes the rest of a magic's line to the magic: `%%time  #
    // noqa` fails the cell, `%load_ext autoreload  # noqa` loads no module.
    // Must not: the same findings on Python lines keep their `# noqa`.
    check_suppressions(
        &["%%time\nx = 1\n", "%load_ext autoreload\t\n%env MODE=fast   \ny = 2   \n"],
        expect![[r#"
            CPY001: no noqa
            W291: no noqa
            W291: no noqa
            W291: y = 2  # noqa: W291

        "#]],
    );
    check_suppressions(
        &["x = 1\n", "%time y = 2\n"],
        expect![[r#"
            CPY001: x = 1  # noqa: CPY001

        "#]],
    );
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

#[test]
fn a_requoted_string_spelling_an_escapes_word_keeps_its_fix() {
    // Requoting `'inline'` changes no name `%matplotlib inline` (or `%timeit`) could read.
    let (text, findings) = checked(
        &["%matplotlib inline\n", "mode = 'inline'\nother = 'outline'\n", "title = 'Diffuse irradiance'\n", "%timeit pvlib.irradiance.get(times)\n"],
        "[lint]\nselect = [\"Q000\"]\n",
    );
    let shown: String =
        findings.iter().map(|f| format!("{} {}: {}\n", f.code, &text[f.range.clone()], if f.fix.is_some() { "fix" } else { "no fix" })).collect();
    expect![[r#"
        Q000 'inline': fix
        Q000 'outline': fix
        Q000 'Diffuse irradiance': fix
    "#]]
    .assert_eq(&shown);
    // Must not: a fix removing a name an escape reads still goes (the loop variable `i`).
    check_fixes(
        &["for i in range(2):\n    !echo {i}\n"],
        expect![[r#"
        B007 `i`: no fix
    "#]],
    );
}
