//! `pyloom test` on notebooks whose cell magics run Python other than as
//! module code: each runs as IPython runs it, or the notebook's tests are
//! refused with the reason; and on a notebook with a cell that does not
//! parse. Needs `pyloom sandbox install`.

use std::process::Command;

use pyloom_e2e::pyloom_bin;
use serde_json::json;

/// `pyloom test` on a notebook of `cells`: its output, stdout then stderr.
fn check_test(cells: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let cells: Vec<_> =
        cells.iter().map(|source| json!({"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": source})).collect();
    let notebook = json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5});
    std::fs::write(dir.path().join("test_nb.ipynb"), notebook.to_string()).unwrap();
    let out = Command::new(pyloom_bin()).args(["test", "test_nb.ipynb"]).current_dir(dir.path()).output().unwrap();
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn timeit_runs_its_body_apart_repeatedly_and_binds_nothing() {
    // The setup runs once a repeat, the body `-n` times in each, in a
    // function of their own that reads the notebook's globals.
    let shown = check_test(&[
        "runs = []",
        "%%timeit -n2 -r3 data = [3, 1, 2]\nruns.append(sorted(data))\ntotal = 1\ndef test_in_timeit():\n    assert False",
        "def test_runs():\n    assert runs == [[1, 2, 3]] * 6\n\ndef test_total():\n    assert 'total' not in globals()",
    ]);
    assert!(shown.contains("2 passed") && !shown.contains("test_in_timeit"), "{shown}");
    // Must not: `%%time` runs its body as the notebook's code.
    let shown = check_test(&["%%time\ntotal = 2", "def test_total():\n    assert total == 2"]);
    assert!(shown.contains("1 passed"), "{shown}");
}

#[test]
fn capture_binds_the_output_and_python_runs_apart() {
    let shown = check_test(&[
        "n = 10",
        "%%capture out\nprint('fitting...')\nresult = 42",
        "%%python --out said\nn = 0\nprint(n)\ndef test_in_subprocess():\n    assert False",
        "def test_all():\n    assert 'fitting' in out.stdout and result == 42\n    assert n == 10 and said == '0\\n'",
    ]);
    assert!(shown.contains("1 passed") && !shown.contains("test_in_subprocess"), "{shown}");
    // A failing `%%python` body is IPython's `CalledProcessError`; in
    // `%%capture` the traceback is captured and the notebook goes on.
    let shown = check_test(&["%%python\nimport sys\nsys.exit(3)", "def test_never():\n    pass"]);
    assert!(shown.contains("CalledProcessError") && shown.contains("exit status 3") && shown.contains("1 error"), "{shown}");
    let shown = check_test(&["%%capture out\n1/0\nq = 1", "def test_q():\n    assert 'q' not in globals() and 'ZeroDivisionError' in out.stdout"]);
    assert!(shown.contains("1 passed"), "{shown}");
}

#[test]
fn magics_the_sandbox_cannot_run_as_ipython_are_refused_with_the_reason() {
    let shown = check_test(&["%%debug\nx = 1", "def test_x():\n    assert x == 1"]);
    assert!(shown.contains("test_x error") && shown.contains("cell 1's `%%debug` cannot run in pyloom's sandbox"), "{shown}");
    let shown = check_test(&["name = 'helper2.py'", "%%writefile {name}\ndef c():\n    return 3", "def test_c():\n    import helper2"]);
    assert!(shown.contains("test_c error") && shown.contains("cell 2's `%%writefile {name}` names its file"), "{shown}");
}

#[test]
fn every_test_is_reported_when_a_cell_does_not_parse() {
    // The unclosed bracket ends with its cell (IPython runs each cell on
    // its own): the test after it is found, and errors as the others do.
    let shown = check_test(&["def test_before():\n    assert True\n", "x = (\n", "def test_after():\n    assert True\n"]);
    assert!(shown.contains(" test_before error"), "{shown}");
    assert!(shown.contains(" test_after error"), "{shown}");
    assert!(shown.contains("2 errors"), "{shown}");
    // Must stay: without the broken cell, both run and pass.
    let shown = check_test(&["def test_before():\n    assert True\n", "def test_after():\n    assert True\n"]);
    assert!(shown.contains("2 passed"), "{shown}");
}
