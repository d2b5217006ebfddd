//! Snippet tests end to end, with the real interpreter: the `pyloom test`
//! CLI for every snippet kind (pass, fail, error; the failing line), and the
//! editor flow over LSP (lenses, command, progress, diagnostics, cancel).
//!
//! Needs `pyloom sandbox install` (scripts/test-all.sh runs it); without the
//! interpreter these tests fail with that instruction.

use std::path::Path;
use std::process::Command;

use expect_test::{Expect, expect};
use pyloom_e2e::{LspClient, file_uri, fixture, pyloom_bin};
use serde_json::{Value, json};

/// Runs `pyloom test TARGET --format json` and renders each result as
/// `name kind status line failure_line`, then its message.
fn check_cli(target: &str, expected_code: i32, expect: Expect) {
    let root = fixture("snippets");
    let output = Command::new(pyloom_bin())
        .args(["test", &format!("{}/{target}", root.display()), "--format", "json"])
        .output()
        .expect("pyloom runs");
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
                  File "<string>", line 126, in _run_function
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
    client.request(
        "workspace/executeCommand",
        json!({"command": "pyloom.runSnippetTests", "arguments": [argument], "workDoneToken": token}),
    )
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
    assert_eq!(
        lens_titles(&mut client, &uri),
        ["5: ▶ Run", "9: ▶ Run", "14: ▶ Run", "19: ▶ Run", "22: ▶ Run", "26: ▶ Run"]
    );

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
    let shape: Vec<String> = titles
        .iter()
        .map(|title| title.split(" ms").next().unwrap().trim_end_matches(|c: char| c.is_ascii_digit()).to_owned())
        .collect();
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
        .send_request(
            "workspace/executeCommand",
            json!({"command": "pyloom.runSnippetTests", "arguments": [{"uri": uri, "line": 1}], "workDoneToken": "spin"}),
        )
        .unwrap();
    client.notification("$/progress", |p| p["token"] == "spin" && p["value"]["kind"] == "begin").unwrap();
    client.notify("window/workDoneProgress/cancel", json!({"token": "spin"})).unwrap();
    let error = client.response(id).unwrap_err().to_string();
    assert!(error.contains("-32800"), "{error}");

    // Through $/cancelRequest.
    let id = client
        .send_request("workspace/executeCommand", json!({"command": "pyloom.runSnippetTests", "arguments": [{"uri": uri, "line": 1}], "workDoneToken": "spin-2"}))
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
