//! Folder runs in batches, end to end with the real interpreter: a
//! worker's files (of one import root) share one interpreter run, one
//! pytest session and one runner pass, and report what each file reports
//! alone; a limit, a crash or an exit in a batch is reported only from the
//! file's own run. Needs `pyloom sandbox install`, as `snippets.rs` does.

use std::path::Path;
use std::process::Command;

use expect_test::expect;
use pyloom_e2e::{fixture, pyloom_bin, pyloom_test};
use serde_json::Value;

/// `pyloom test ARGS... --format json` in `dir` with the snippet runner's
/// debug log on: the exit code, the results and stderr.
fn logged(dir: &Path, args: &[&str]) -> (Option<i32>, Vec<Value>, String) {
    let output = Command::new(pyloom_bin())
        .arg("test")
        .args(args)
        .args(["--format", "json"])
        .current_dir(dir)
        .env_remove("VIRTUAL_ENV")
        .env("PYLOOM_LOG", "pyloom::snippets=debug")
        .output()
        .expect("pyloom runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let results: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| panic!("JSON results ({error}); stderr: {stderr}"));
    (output.status.code(), results, stderr)
}

/// [`logged`]'s results as `name status line failure_line`, then the
/// message (durations left out), and stderr.
fn run_logged(dir: &Path, args: &[&str]) -> (String, String) {
    let (code, results, stderr) = logged(dir, args);
    assert!(matches!(code, Some(0 | 1)), "stderr: {stderr}");
    let root = dir.canonicalize().unwrap();
    let mut text = String::new();
    for result in &results {
        let file = Path::new(result["file"].as_str().unwrap()).strip_prefix(&root).unwrap().display().to_string();
        text += &format!("{file}::{} {} {} {}\n", result["name"].as_str().unwrap(), result["status"].as_str().unwrap(), result["line"], result["failure_line"]);
        let message = result["message"].as_str().unwrap().replace(&root.display().to_string(), "$ROOT");
        for line in message.lines().filter(|line| !line.trim().is_empty()) {
            text += &format!("    {line}\n");
        }
    }
    (text, stderr)
}

#[test]
fn a_batch_of_pytest_files_reports_what_each_file_reports_alone() {
    // Passing, failing, erroring (in the test and in a fixture), skipped and
    // parametrized tests, plain functions in pytest files, and a file whose
    // collection fails: run as one batch (a pytest session for all), then
    // each file alone, the results are the same.
    let root = fixture("snippets-batch");
    let (batched, stderr) = run_logged(&root, &["."]);
    assert!(stderr.contains("snippet batch: "), "not batched: {stderr}");
    let files = ["test_mixed.py", "test_pass.py", "test_uncollectable.py", "test_zlast.py"];
    let alone: String = files
        .iter()
        .map(|file| {
            let (text, stderr) = run_logged(&root, &[file]);
            assert!(!stderr.contains("snippet batch: "), "{file} batched alone: {stderr}");
            text
        })
        .collect();
    assert_eq!(batched, alone);
    expect![[r#"
        test_mixed.py::test_wrong failed 4 5
            assert (1 + 1) == 3
        test_mixed.py::test_raises error 8 9
            unit = 1
                def test_raises(unit):
            >       raise ValueError("no good")
            E       ValueError: no good
            $ROOT/test_mixed.py:9: ValueError
        test_mixed.py::test_fixture_error error 12 null
            @pytest.fixture
                def broken():
            >       raise RuntimeError("fixture failed")
            E       RuntimeError: fixture failed
            $ROOT/conftest.py:11: RuntimeError
        test_mixed.py::test_skipped skipped 17 null
            Skipped: not today
        test_mixed.py::test_one_case_fails failed 22 23
            [2] assert 2 == 1
        test_mixed.py::test_plain_fails failed 26 27
            assert [1, 2] == [1, 3]
              At index 1 diff: 2 != 3
              Use -v to get more diff
        test_pass.py::test_unit passed 4 null
        test_pass.py::test_param passed 9 null
        test_pass.py::test_plain passed 13 null
        test_uncollectable.py::test_never error 6 null
            pytest exited with code 4:
            ERROR: found no collectors for test_uncollectable.py::test_never
        test_zlast.py::TestLast.test_method passed 5 null
        test_zlast.py::TestLast.test_capture failed 8 10
            assert 1 == 2
            Captured stdout:
            said something
    "#]]
    .assert_eq(&batched);
}

/// A folder of five pytest files (on any number of workers, the second
/// shares a batch with another; on two, with a file after it) where the
/// second's first test does
/// `culprit` under a 4 s clock and a 16 KiB output cap: the statuses.
fn batch_with_culprit(culprit: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("pyloom.toml"), "[sandbox]\ntimeout_ms = 4000\noutput_kb = 16\n").unwrap();
    std::fs::write(root.join("conftest.py"), "import pytest\n\n\n@pytest.fixture\ndef unit():\n    return 1\n").unwrap();
    for name in ["a", "c", "d", "e"] {
        std::fs::write(root.join(format!("test_{name}.py")), format!("def test_{name}(unit):\n    assert unit == 1\n")).unwrap();
    }
    let body: String = culprit.lines().map(|line| format!("    {line}\n")).collect();
    std::fs::write(root.join("test_b.py"), format!("import os\n\n\ndef test_culprit(unit):\n{body}\n\ndef test_b_after(unit):\n    assert unit == 1\n"))
        .unwrap();
    let (code, stdout, stderr) = pyloom_test(root, &[".", "--format", "json"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    let results: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    results.iter().map(|r| format!("{} {}", r["name"].as_str().unwrap(), r["status"].as_str().unwrap())).collect()
}

#[test]
fn a_file_that_hangs_or_floods_in_a_batch_is_named_and_the_others_report() {
    let others = |culprit: &'static str| ["test_a passed", culprit, "test_b_after passed", "test_c passed", "test_d passed", "test_e passed"];
    assert_eq!(batch_with_culprit("while True:\n    pass"), others("test_culprit timeout"));
    assert_eq!(batch_with_culprit("while True:\n    os.write(1, b'x' * 1000)"), others("test_culprit output_limit"));
}

/// Writes `files` (relative path, text) under `root`, with an empty
/// `pyproject.toml` (the import root).
fn write_folder(root: &Path, files: &[(&str, &str)]) {
    std::fs::write(root.join("pyproject.toml"), "").unwrap();
    for (path, text) in files {
        std::fs::write(root.join(path), text).unwrap();
    }
}

#[test]
fn a_batch_of_every_kind_of_file_reports_what_each_file_reports_alone() {
    // Doctests, unittest methods, plain functions, a pytest test, a file
    // that does not parse, one whose test calls `sys.exit` and one whose
    // test ends the interpreter with `os._exit` (the batch ends there; the
    // files after it go on in a new batch): batched, then each file in an
    // interpreter of its own, the results are the same.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_folder(
        root,
        &[
            ("mod_doc.py", "def f():\n    \"\"\"\n    >>> 1 + 1\n    2\n    >>> 1 + 1\n    3\n    \"\"\"\n"),
            ("test_exit.py", "import sys\n\n\ndef test_exits():\n    sys.exit(2)\n\n\ndef test_after_exit():\n    pass\n"),
            ("test_hard.py", "import os\n\n\ndef test_hard_exit():\n    os._exit(3)\n\n\ndef test_after_hard_exit():\n    pass\n"),
            ("test_syntax.py", "def test_broken(:\n    pass\n"),
            (
                "test_unit.py",
                "import unittest\n\n\nclass T(unittest.TestCase):\n    def test_ok(self):\n        self.assertEqual(1, 1)\n\n    def test_bad(self):\n        self.assertEqual(1, 2)\n",
            ),
            ("test_zpy.py", "def test_p(tmp_path):\n    assert tmp_path.exists()\n"),
        ],
    );
    let (batched, stderr) = run_logged(root, &["."]);
    assert!(stderr.contains("snippet batch: "), "not batched: {stderr}");
    std::fs::write(root.join("pyloom.toml"), "[sandbox]\nisolate_files = true\n").unwrap();
    let (alone, stderr) = run_logged(root, &["."]);
    assert!(!stderr.contains("snippet batch: "), "batched with isolate_files: {stderr}");
    assert_eq!(batched, alone);
    expect![[r#"
        mod_doc.py::f failed 1 5
            Failed example:
                1 + 1
            Expected:
                3
            Got:
                2
        test_exit.py::test_exits error 4 5
            Traceback (most recent call last):
              File "$ROOT/test_exit.py", line 5, in test_exits
                sys.exit(2)
                ~~~~~~~~^^^
            SystemExit: 2
        test_exit.py::test_after_exit passed 8 null
        test_hard.py::test_hard_exit error 4 null
            the run ended (exit status 1) before this test reported:
        test_hard.py::test_after_hard_exit passed 8 null
        test_syntax.py::test_broken error 1 1
            Traceback (most recent call last):
              File "/python/importlib/__init__.py", line 88, in import_module
                return _bootstrap._gcd_import(name[level:], package, level)
                       ~~~~~~~~~~~~~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
              File "<frozen importlib._bootstrap>", line 1398, in _gcd_import
              File "<frozen importlib._bootstrap>", line 1371, in _find_and_load
              File "<frozen importlib._bootstrap>", line 1342, in _find_and_load_unlocked
              File "<frozen importlib._bootstrap>", line 938, in _load_unlocked
              File "<frozen importlib._bootstrap_external>", line 758, in exec_module
              File "<frozen importlib._bootstrap_external>", line 896, in get_code
              File "<frozen importlib._bootstrap_external>", line 826, in source_to_code
              File "<frozen importlib._bootstrap>", line 491, in _call_with_frames_removed
              File "$ROOT/test_syntax.py", line 1
                def test_broken(:
                                ^
            SyntaxError: invalid syntax
        test_unit.py::T.test_ok passed 5 null
        test_unit.py::T.test_bad failed 8 9
            1 != 2
        test_zpy.py::test_p passed 1 null
    "#]]
    .assert_eq(&batched);
}

#[test]
fn files_of_a_batch_see_what_the_files_before_them_imported_or_monkeypatched() {
    // As under one `python3 -m pytest` process: a unittest method sees the
    // module state and the monkeypatch a plain test function left.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_folder(
        root,
        &[
            ("state.py", "seen = []\n"),
            ("test_a.py", "import string\n\nimport state\n\n\ndef test_marks():\n    state.seen.append('a')\n    string.capwords = lambda text: 'patched'\n"),
            (
                "test_b.py",
                "import string\nimport unittest\n\nimport state\n\n\nclass Sees(unittest.TestCase):\n    def test_sees(self):\n        self.assertEqual((state.seen, string.capwords('x y')), (['a'], 'patched'))\n",
            ),
        ],
    );
    let statuses = || {
        let (code, stdout, stderr) = pyloom_test(root, &[".", "--format", "json"]);
        assert!(matches!(code, Some(0 | 1)), "stderr: {stderr}");
        let results: Vec<Value> = serde_json::from_str(&stdout).unwrap();
        results.iter().map(|r| format!("{} {}", r["name"].as_str().unwrap(), r["status"].as_str().unwrap())).collect::<Vec<_>>()
    };
    assert_eq!(statuses(), ["test_marks passed", "Sees.test_sees passed"]);
    // Must not: with isolate_files, nothing is shared.
    std::fs::write(root.join("pyloom.toml"), "[sandbox]\nisolate_files = true\n").unwrap();
    assert_eq!(statuses(), ["test_marks passed", "Sees.test_sees failed"]);
}

/// The names of the files other than `test_c.py` run alone (the debug
/// log's `snippet run:` lines).
const PASSING: [&str; 9] = ["a", "b", "d", "e", "f", "g", "h", "i", "j"];

/// A folder of ten files of two plain test functions each, where
/// `test_c.py`'s first does `culprit` under a 2 s clock and a 96 MiB memory
/// cap (on one to three workers, `test_c.py` is in its batch with files
/// after it): the statuses and the debug log.
fn plain_batch_with_culprit(culprit: &str) -> (Vec<String>, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("pyloom.toml"), "[sandbox]\ntimeout_ms = 2000\nmemory_mb = 96\n").unwrap();
    let body: String = culprit.lines().map(|line| format!("    {line}\n")).collect();
    let culprit = format!("def test_culprit():\n{body}\n\ndef test_c_after():\n    assert 1 + 1 == 2\n");
    let passing: Vec<(String, String)> =
        PASSING.iter().map(|name| (format!("test_{name}.py"), format!("def test_{name}():\n    pass\n\n\ndef test_{name}2():\n    pass\n"))).collect();
    let mut files: Vec<(&str, &str)> = passing.iter().map(|(name, text)| (name.as_str(), text.as_str())).collect();
    files.push(("test_c.py", &culprit));
    write_folder(root, &files);
    let (code, results, stderr) = logged(root, &["."]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    (results.iter().map(|r| format!("{} {}", r["name"].as_str().unwrap(), r["status"].as_str().unwrap())).collect(), stderr)
}

#[test]
fn a_plain_file_that_hangs_or_fills_memory_in_a_batch_ends_alone_and_the_others_go_on_batched() {
    let expected = |culprit: &'static str| {
        let passed = |names: &[&str]| names.iter().flat_map(|name| [format!("test_{name} passed"), format!("test_{name}2 passed")]).collect::<Vec<_>>();
        let after = std::iter::once("test_c_after passed".to_owned()).chain(passed(&PASSING[2..]));
        passed(&PASSING[..2]).into_iter().chain([culprit.to_owned()]).chain(after).collect::<Vec<_>>()
    };
    // The files the batch had not reached go on in a new batch: at most
    // one of them (alone in its batch's rest) runs on its own.
    let alone = |stderr: &str| stderr.lines().filter(|line| line.contains("snippet run: ") && !line.contains("test_c.py")).count();
    let (statuses, stderr) = plain_batch_with_culprit("while True:\n    pass");
    assert_eq!(statuses, expected("test_culprit timeout"), "stderr: {stderr}");
    assert!(stderr.contains("snippet batch: ") && stderr.contains("Timeout in file"), "stderr: {stderr}");
    assert!(alone(&stderr) <= 1, "stderr: {stderr}");
    let (statuses, stderr) = plain_batch_with_culprit("chunks = []\nwhile True:\n    chunks.append(bytearray(1 << 20))");
    assert_eq!(statuses, expected("test_culprit memory_limit"), "stderr: {stderr}");
    assert!(stderr.contains("snippet batch: ") && stderr.contains("MemoryLimit in file"), "stderr: {stderr}");
    assert!(alone(&stderr) <= 1, "stderr: {stderr}");
}
