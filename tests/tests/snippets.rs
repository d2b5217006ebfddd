//! Snippet tests end to end, with the real interpreter: the `pyloom test`
//! CLI for every snippet kind (pass, fail, error; the failing line), and the
//! editor flow over LSP (lenses, command, progress, diagnostics, cancel).
//!
//! Needs `pyloom sandbox install` (scripts/test-all.sh runs it); without the
//! interpreter these tests fail with that instruction.

use std::path::Path;
use std::process::Command;

use expect_test::{Expect, expect};
use pyloom_e2e::{LspClient, file_uri, fixture, pyloom_bin, pyloom_test};
use serde_json::{Value, json};

/// Runs `pyloom test TARGET --format json` and renders each result as
/// `name kind status line failure_line`, then its message.
fn check_cli(target: &str, expected_code: i32, expect: Expect) {
    let root = fixture("snippets");
    let output = Command::new(pyloom_bin()).args(["test", &format!("{}/{target}", root.display()), "--format", "json"]).output().expect("pyloom runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(expected_code), "stderr: {stderr}");
    let results: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON results");
    expect.assert_eq(&render(&results, &root));
}

fn render(results: &[Value], root: &Path) -> String {
    let mut text = String::new();
    for result in results {
        assert!(result["duration_ms"].is_number(), "duration_ms: {result}");
        assert_eq!(result["file"].as_str().map(Path::new).and_then(Path::parent), Some(root), "file: {result}");
        text += &format!(
            "{} {} {} {} {}\n",
            result["name"].as_str().unwrap(),
            result["kind"].as_str().unwrap(),
            result["status"].as_str().unwrap(),
            result["line"],
            result["failure_line"],
        );
        let message = result["message"].as_str().unwrap().replace(&root.display().to_string(), "$ROOT");
        for line in message.lines().filter(|line| !line.trim().is_empty()) {
            text += &format!("    {line}\n");
        }
    }
    text
}

#[test]
fn doctests_pass_and_fail_at_the_right_example() {
    check_cli(
        "calc.py",
        1,
        expect![[r#"
            <module> doctest passed 1 null
            add doctest passed 8 null
            halve doctest failed 17 20
                Failed example:
                    halve(3)
                Expected:
                    1.5
                Got:
                    1
            explode doctest error 28 30
                Failed example:
                    explode()
                Exception raised:
                ValueError: boom
        "#]],
    );
}

#[test]
fn functions_and_unittest_methods_report_values_and_lines() {
    check_cli(
        "test_calc.py",
        1,
        expect![[r#"
            test_add function passed 6 null
            test_halve function failed 10 12
                assert halve(3) == expected
                  left:  1
                  right: 1.5
            test_raises function error 15 16
                Traceback (most recent call last):
                  File "$ROOT/test_calc.py", line 16, in test_raises
                    {}["missing"]
                    ~~^^^^^^^^^^^
                KeyError: 'missing'
            CalcTest.test_add unittest passed 20 null
            CalcTest.test_halve unittest failed 23 24
                2 != 2.5
            CalcTest.test_skipped unittest skipped 27 null
                not today
        "#]],
    );
}

#[test]
fn pytest_tests_run_under_wasi() {
    check_cli(
        "test_with_pytest.py",
        1,
        expect![[r#"
            test_add pytest passed 6 null
            test_add_wrong pytest failed 10 11
                assert 2 == 3
                 +  where 2 = add(1, 1)
            test_tmp_path pytest passed 14 null
            test_param pytest passed 21 null
            TestGroup.test_method pytest passed 26 null
        "#]],
    );
}

#[test]
fn a_line_selects_the_test_around_it() {
    check_cli(
        "test_calc.py:12",
        1,
        expect![[r#"
            test_halve function failed 10 12
                assert halve(3) == expected
                  left:  1
                  right: 1.5
        "#]],
    );
    check_cli(
        "test_calc.py:7",
        0,
        expect![[r#"
            test_add function passed 6 null
        "#]],
    );
}

fn run_command(client: &mut LspClient, uri: &str, line: Option<u32>, token: &str) -> anyhow::Result<Value> {
    let mut argument = json!({"uri": uri});
    if let Some(line) = line {
        argument["line"] = json!(line);
    }
    client.request("workspace/executeCommand", json!({"command": "pyloom.runSnippetTests", "arguments": [argument], "workDoneToken": token}))
}

/// The snippet lenses ("▶ Run" and results); the graph's caller counts,
/// which appear once indexing is done, are left out.
fn lens_titles(client: &mut LspClient, uri: &str) -> Vec<String> {
    let lenses = client.request("textDocument/codeLens", json!({"textDocument": {"uri": uri}})).unwrap();
    lenses
        .as_array()
        .unwrap()
        .iter()
        .filter(|lens| lens["command"]["command"] == "pyloom.runSnippetTests")
        .map(|lens| format!("{}: {}", lens["range"]["start"]["line"], lens["command"]["title"].as_str().unwrap()))
        .collect()
}

#[test]
fn editor_runs_the_test_at_the_cursor_with_lenses_progress_and_diagnostics() {
    let root = fixture("snippets");
    let (mut client, init) = LspClient::initialized(Some(&root), json!({"window": {"workDoneProgress": true}}), Value::Null).unwrap();
    let commands = init["capabilities"]["executeCommandProvider"]["commands"].as_array().unwrap().clone();
    assert!(commands.contains(&json!("pyloom.runSnippetTests")), "{commands:?}");
    let path = root.join("test_calc.py");
    let uri = file_uri(&path);
    client.open(&uri, &std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(lens_titles(&mut client, &uri), ["5: ▶ Run", "9: ▶ Run", "14: ▶ Run", "19: ▶ Run", "22: ▶ Run", "26: ▶ Run"]);

    // The cursor inside test_halve (0-based line 11) runs just that test.
    let results = run_command(&mut client, &uri, Some(11), "run-1").unwrap();
    assert_eq!(results.as_array().unwrap().len(), 1);
    assert_eq!((results[0]["name"].as_str(), results[0]["status"].as_str()), (Some("test_halve"), Some("failed")));
    let begin = client.notification("$/progress", |p| p["token"] == "run-1" && p["value"]["kind"] == "begin").unwrap();
    assert_eq!(begin["value"]["cancellable"], true);
    let end = client.notification("$/progress", |p| p["token"] == "run-1" && p["value"]["kind"] == "end").unwrap();
    assert_eq!(end["value"]["message"], "0/1 passed");
    let diagnostics = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str() && p["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["source"] == "pyloom-test"))
        })
        .unwrap();
    let failure = diagnostics["diagnostics"].as_array().unwrap().iter().find(|d| d["source"] == "pyloom-test").unwrap().clone();
    assert_eq!(failure["range"]["start"]["line"], 11, "the assert line");
    assert!(failure["message"].as_str().unwrap().contains("left:  1"), "{failure}");

    // The whole file: lenses turn into results.
    run_command(&mut client, &uri, None, "run-2").unwrap();
    let titles = lens_titles(&mut client, &uri);
    let shape: Vec<String> = titles.iter().map(|title| title.split(" ms").next().unwrap().trim_end_matches(|c: char| c.is_ascii_digit()).to_owned()).collect();
    assert_eq!(shape, ["5: ✓ passed ", "9: ✗ failed", "14: ✗ error", "19: ✓ passed ", "22: ✗ failed", "26: ✓ skipped "]);
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn runs_are_cancellable_and_the_server_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pyproject.toml"), "").unwrap();
    let path = dir.path().join("test_spin.py");
    let source = "def test_spin():\n    while True:\n        pass\n\n\ndef test_ok():\n    assert True\n";
    std::fs::write(&path, source).unwrap();
    let uri = file_uri(&path);
    let (mut client, _) = LspClient::initialized(Some(dir.path()), json!({}), Value::Null).unwrap();
    client.open(&uri, source).unwrap();

    // Through the progress token ("cancellable": true).
    let id = client
        .send_request("workspace/executeCommand", json!({"command": "pyloom.runSnippetTests", "arguments": [{"uri": uri, "line": 1}], "workDoneToken": "spin"}))
        .unwrap();
    client.notification("$/progress", |p| p["token"] == "spin" && p["value"]["kind"] == "begin").unwrap();
    client.notify("window/workDoneProgress/cancel", json!({"token": "spin"})).unwrap();
    let error = client.response(id).unwrap_err().to_string();
    assert!(error.contains("-32800"), "{error}");

    // Through $/cancelRequest.
    let id = client
        .send_request(
            "workspace/executeCommand",
            json!({"command": "pyloom.runSnippetTests", "arguments": [{"uri": uri, "line": 1}], "workDoneToken": "spin-2"}),
        )
        .unwrap();
    client.notification("$/progress", |p| p["token"] == "spin-2" && p["value"]["kind"] == "begin").unwrap();
    client.notify("$/cancelRequest", json!({"id": id})).unwrap();
    let error = client.response(id).unwrap_err().to_string();
    assert!(error.contains("-32800"), "{error}");

    let results = run_command(&mut client, &uri, Some(6), "ok").unwrap();
    assert_eq!(results[0]["status"], "passed");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn bad_arguments_get_errors_not_crashes() {
    let (mut client, _) = LspClient::initialized(None, json!({}), Value::Null).unwrap();
    for arguments in [json!([]), json!([{"line": 3}]), json!([{"uri": "file:///no/such/file.py"}]), json!(["nonsense"])] {
        let result = client.request("workspace/executeCommand", json!({"command": "pyloom.runSnippetTests", "arguments": arguments}));
        assert!(result.is_err(), "{arguments}: {result:?}");
    }
    assert!(client.request("workspace/executeCommand", json!({"command": "pyloom.nothing", "arguments": []})).is_err());
    assert!(client.shutdown().unwrap().success());
}

/// `pyloom test ARGS...` in `dir` with no virtualenv inherited; (exit code, stdout, stderr).
/// A result as pytest names it (`tests/test_case.py::SquareTest::test_ok`,
/// doctests `shapes/area.py::shapes.area.circle`) and its status.
fn node_ids(results: &[Value], root: &Path) -> Vec<(String, String)> {
    let mut ids: Vec<(String, String)> = results
        .iter()
        .map(|result| {
            let file = Path::new(result["file"].as_str().unwrap()).strip_prefix(root).unwrap().to_owned();
            let relative = file.display().to_string();
            let name = result["name"].as_str().unwrap();
            let id = if result["kind"] == "doctest" {
                let module = relative.trim_end_matches(".py").trim_end_matches("/__init__").replace('/', ".");
                if name == "<module>" { format!("{relative}::{module}") } else { format!("{relative}::{module}.{name}") }
            } else {
                format!("{relative}::{}", name.replace('.', "::"))
            };
            (id, result["status"].as_str().unwrap().to_owned())
        })
        .collect();
    ids.sort();
    ids
}

/// pytest's three outcomes: an error (ours or pytest's) is a failure.
fn pytest_outcome(status: &str) -> &'static str {
    match status {
        "passed" => "passed",
        "skipped" => "skipped",
        _ => "failed",
    }
}

/// `python3 -m pytest --doctest-modules -v` on `root` with the pytest the
/// sandbox uses: each test's node id (parameters folded into one test,
/// a failure winning) and outcome.
fn native_pytest(root: &Path) -> Vec<(String, String)> {
    let output = Command::new("python3")
        .args(["-m", "pytest", "--doctest-modules", "-v", "-p", "no:cacheprovider", "-o", "console_output_style=classic"])
        .current_dir(root)
        .env("PYTHONPATH", sandbox_site_packages())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python3 runs (needed for the side-by-side run)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "pytest: {stdout}{}", String::from_utf8_lossy(&output.stderr));
    let mut outcomes: std::collections::BTreeMap<String, String> = Default::default();
    for line in stdout.lines() {
        let mut words = line.split_whitespace();
        let (Some(id), Some(status)) = (words.next(), words.next()) else { continue };
        if !id.contains("::") || !matches!(status, "PASSED" | "FAILED" | "SKIPPED" | "ERROR") {
            continue;
        }
        let id = id.split('[').next().unwrap().to_owned();
        let status = pytest_outcome(&status.to_lowercase()).to_owned();
        let entry = outcomes.entry(id).or_insert_with(|| status.clone());
        if status == "failed" {
            *entry = status;
        }
    }
    outcomes.into_iter().collect()
}

/// Where `pyloom sandbox install` unpacked pytest (sandbox-wasi's
/// `Layout::site_packages`; the dependency is left out so this crate's
/// tests do not compile wasmtime a second time with other features).
fn sandbox_site_packages() -> std::path::PathBuf {
    let root = std::env::var_os("PYLOOM_CACHE_DIR").filter(|dir| !dir.is_empty()).map(std::path::PathBuf::from).unwrap_or_else(|| {
        let cache = std::env::var_os("XDG_CACHE_HOME")
            .filter(|dir| !dir.is_empty())
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| Path::new(&std::env::var_os("HOME").expect("HOME")).join(".cache"));
        cache.join("pyloom")
    });
    root.join("python-wasm/site-packages")
}

#[test]
fn a_folder_gives_the_outcomes_of_pytest_with_doctest_modules() {
    let root = fixture("snippets-project");
    let (code, stdout, stderr) = pyloom_test(&root, &[".", "--format", "json"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    let results: Vec<Value> = serde_json::from_str(&stdout).expect("JSON results");
    let ours = node_ids(&results, &root.canonicalize().unwrap());
    let rendered: String = ours.iter().map(|(id, status)| format!("{id} {status}\n")).collect();
    expect![[r#"
        shapes/__init__.py::shapes passed
        shapes/area.py::shapes.area.Rect passed
        shapes/area.py::shapes.area.circle failed
        shapes/area.py::shapes.area.square passed
        tests/area_test.py::test_module passed
        tests/test_case.py::SquareTest::test_ok passed
        tests/test_case.py::SquareTest::test_skipped skipped
        tests/test_case.py::SquareTest::test_wrong failed
        tests/test_fixtures.py::TestRect::test_area failed
        tests/test_fixtures.py::test_param passed
        tests/test_fixtures.py::test_tmp passed
        tests/test_fixtures.py::test_unit passed
        tests/test_plain.py::test_raises error
        tests/test_plain.py::test_square passed
        tests/test_plain.py::test_square_wrong failed
    "#]]
    .assert_eq(&rendered);
    // Progress on stderr, one line per file as it finishes, then the summary.
    assert_eq!(stderr.lines().filter(|line| line.starts_with("pyloom: [")).count(), 6, "stderr: {stderr}");
    assert!(stderr.lines().last().unwrap().starts_with("pyloom: 9 passed, 4 failed, 1 error, 1 skipped in "), "stderr: {stderr}");
    // Nothing else, but the one-time notice when the interpreter is
    // compiled (loading it from the cache was logged on every run).
    assert!(stderr.lines().all(|line| line.starts_with("pyloom: ") || line.contains("python.wasm compiled in")), "stderr: {stderr}");

    let ours: Vec<(String, String)> = ours.into_iter().map(|(id, status)| (id, pytest_outcome(&status).to_owned())).collect();
    assert_eq!(ours, native_pytest(&root));
}

#[test]
fn text_output_ends_with_the_summary_and_k_selects() {
    let root = fixture("snippets-project");
    let (code, stdout, stderr) = pyloom_test(&root, &["shapes", "tests", "-k", "square and not wrong"]);
    assert_eq!(code, Some(0), "stdout: {stdout}\nstderr: {stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    // `✓ PATH:LINE NAME STATUS N ms`: counted from the end, as PATH may hold spaces.
    let names: Vec<&str> = lines[..lines.len() - 1].iter().map(|line| line.split_whitespace().rev().nth(3).unwrap()).collect();
    assert_eq!(names, ["square", "SquareTest.test_ok", "SquareTest.test_skipped", "test_square"], "{stdout}");
    let summary = lines.last().unwrap();
    assert!(summary.starts_with("3 passed, 1 skipped in ") && summary.ends_with('s'), "{stdout}");
    let (code, _, stderr) = pyloom_test(&root, &["tests", "-k", "(square"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("-k: missing `)`"), "{stderr}");
    // As pytest: nothing selected is exit status 5, not a pass.
    let (code, stdout, stderr) = pyloom_test(&root, &["tests", "-k", "no_such_test"]);
    assert_eq!(code, Some(5), "{stdout}{stderr}");
    assert!(stdout.trim_end().starts_with("no tests ran in "), "{stdout}");
}

#[test]
fn a_test_that_hits_a_limit_ends_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pyloom.toml"), "[sandbox]\ntimeout_ms = 1500\nmemory_mb = 96\noutput_kb = 16\ndisk_mb = 1\n").unwrap();
    let source = "\
def test_loops():
    while True:
        pass


def test_memory():
    chunks = []
    while True:
        chunks.append(bytearray(1 << 20))


def test_floods():
    while True:
        print('x' * 1000)


def test_fills_the_disk():
    with open('fill', 'wb') as f:
        while True:
            f.write(b'x' * 65536)


def test_after_all_that():
    assert 1 + 1 == 2
";
    std::fs::write(dir.path().join("test_limits.py"), source).unwrap();
    let (code, stdout, stderr) = pyloom_test(dir.path(), &["test_limits.py", "--format", "json"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    let results: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    let statuses: Vec<String> = results.iter().map(|r| format!("{} {}", r["name"].as_str().unwrap(), r["status"].as_str().unwrap())).collect();
    assert_eq!(
        statuses,
        ["test_loops timeout", "test_memory memory_limit", "test_floods output_limit", "test_fills_the_disk disk_limit", "test_after_all_that passed"]
    );
}

#[test]
fn files_of_a_folder_share_interpreters_but_not_limits() {
    // A worker's interpreter goes on to its next file of the same kind; a
    // file's test that hits a limit still ends alone, the files after it
    // run in a fresh interpreter, and each file starts with the whole disk
    // quota (two files that each write most of it both pass).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pyloom.toml"), "[sandbox]\ntimeout_ms = 1500\nmemory_mb = 96\noutput_kb = 16\ndisk_mb = 1\n").unwrap();
    let writes = |name: &str| format!("def test_{name}():\n    open('{name}', 'w').write('x' * 900_000)\n");
    std::fs::write(dir.path().join("test_a.py"), writes("first")).unwrap();
    std::fs::write(dir.path().join("test_b.py"), "def test_loops():\n    while True:\n        pass\n\n\ndef test_after_it():\n    pass\n").unwrap();
    std::fs::write(dir.path().join("test_c.py"), writes("second")).unwrap();
    std::fs::write(dir.path().join("test_d.py"), writes("third")).unwrap();
    let (code, stdout, stderr) = pyloom_test(dir.path(), &[".", "--format", "json"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    let results: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    let statuses: Vec<String> = results.iter().map(|r| format!("{} {}", r["name"].as_str().unwrap(), r["status"].as_str().unwrap())).collect();
    assert_eq!(statuses, ["test_first passed", "test_loops timeout", "test_after_it passed", "test_second passed", "test_third passed"], "stderr: {stderr}");
}

#[test]
fn venv_packages_are_importable_and_compiled_ones_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(root.join("pyproject.toml"), "").unwrap();
    std::fs::create_dir_all(root.join(".venv")).unwrap();
    std::fs::write(root.join(".venv/pyvenv.cfg"), "home = /usr/bin\n").unwrap();
    let site = root.join(".venv/lib/python3.12/site-packages");
    std::fs::create_dir_all(site.join("purelib")).unwrap();
    std::fs::write(site.join("purelib/__init__.py"), "def double(x):\n    return 2 * x\n").unwrap();
    std::fs::create_dir_all(site.join("fastlib")).unwrap();
    std::fs::write(site.join("fastlib/__init__.py"), "from ._speedups import triple\n").unwrap();
    std::fs::write(site.join("fastlib/_speedups.cpython-312-x86_64-linux-gnu.so"), b"\x7fELF").unwrap();
    let source = "\
import purelib


def test_pure():
    assert purelib.double(2) == 4


def test_compiled():
    import fastlib
";
    std::fs::write(root.join("test_deps.py"), source).unwrap();
    let (code, stdout, stderr) = pyloom_test(root, &["test_deps.py", "--format", "json"]);
    assert_eq!(code, Some(1), "stderr: {stderr}");
    let results: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!((results[0]["name"].as_str(), results[0]["status"].as_str()), (Some("test_pure"), Some("passed")), "{results:?}");
    assert_eq!((results[1]["name"].as_str(), results[1]["status"].as_str()), (Some("test_compiled"), Some("error")), "{results:?}");
    let message = results[1]["message"].as_str().unwrap();
    assert!(
        message.contains("ImportError: cannot import fastlib._speedups:")
            && message.contains("is a compiled extension module (package 'fastlib')")
            && message.contains("only pure-Python packages can be imported"),
        "{message}"
    );
}

#[test]
fn editor_runs_a_folders_tests_into_lenses_and_diagnostics() {
    let root = fixture("snippets-project");
    let (mut client, init) = LspClient::initialized(Some(&root), json!({"window": {"workDoneProgress": true}}), Value::Null).unwrap();
    let commands = init["capabilities"]["executeCommandProvider"]["commands"].as_array().unwrap().clone();
    assert!(commands.contains(&json!("pyloom.runFolderTests")), "{commands:?}");
    let path = root.join("tests/test_plain.py");
    let uri = file_uri(&path);
    client.open(&uri, &std::fs::read_to_string(&path).unwrap()).unwrap();
    let results = client
        .request(
            "workspace/executeCommand",
            json!({"command": "pyloom.runFolderTests", "arguments": [{"uri": file_uri(&root.join("tests"))}], "workDoneToken": "folder"}),
        )
        .unwrap();
    assert_eq!(results.as_array().unwrap().len(), 11, "{results}");
    let report = client.notification("$/progress", |p| p["token"] == "folder" && p["value"]["kind"] == "report").unwrap();
    assert!(report["value"]["message"].as_str().unwrap().starts_with("1/4 files: "), "{report}");
    let end = client.notification("$/progress", |p| p["token"] == "folder" && p["value"]["kind"] == "end").unwrap();
    assert_eq!(end["value"]["message"], "6 passed, 3 failed, 1 error, 1 skipped");
    let diagnostics = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == uri.as_str() && p["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["source"] == "pyloom-test"))
        })
        .unwrap();
    let lines: Vec<&Value> =
        diagnostics["diagnostics"].as_array().unwrap().iter().filter(|d| d["source"] == "pyloom-test").map(|d| &d["range"]["start"]["line"]).collect();
    assert_eq!(lines, [&json!(8), &json!(12)]);
    let titles = lens_titles(&mut client, &uri);
    let shape: Vec<&str> = titles.iter().map(|title| title.split(" ms").next().unwrap().trim_end_matches(|c: char| c.is_ascii_digit())).collect();
    assert_eq!(shape, ["3: ✓ passed ", "7: ✗ failed", "11: ✗ error"]);
    assert!(client.shutdown().unwrap().success());
}
