//! The foundation over stdio: lifecycle (as eglot speaks it too), encodings,
//! document sync in wire order, robustness against bad input, and the `check` CLI.

use std::process::Command;

use pyloom_e2e::{LspClient, file_uri, fixture, pyloom_bin};
use serde_json::{Value, json};

fn utf8_capabilities() -> Value {
    json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}})
}

fn change(uri: &str, version: i64, changes: Value) -> Value {
    json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes})
}

fn range(l0: u32, c0: u32, l1: u32, c1: u32) -> Value {
    json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}})
}

#[test]
fn initialize_advertises_only_what_is_served_and_shutdown_exits_zero() {
    let (client, result) = LspClient::initialized(None, json!({}), Value::Null).unwrap();
    let caps = &result["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    let advertised: Vec<&String> = caps.as_object().unwrap().keys().collect();
    assert_eq!(
        advertised,
        [
            "callHierarchyProvider",
            "codeActionProvider",
            "codeLensProvider",
            "completionProvider",
            "definitionProvider",
            "documentHighlightProvider",
            "documentSymbolProvider",
            "executeCommandProvider",
            "foldingRangeProvider",
            "hoverProvider",
            "implementationProvider",
            "inlayHintProvider",
            "inlineCompletionProvider",
            "notebookDocumentSync",
            "positionEncoding",
            "referencesProvider",
            "renameProvider",
            "selectionRangeProvider",
            "semanticTokensProvider",
            "signatureHelpProvider",
            "textDocumentSync",
            "typeDefinitionProvider",
            "typeHierarchyProvider",
            "workspace",
            "workspaceSymbolProvider",
        ]
    );
    let renames = &caps["workspace"]["fileOperations"]["willRename"]["filters"];
    assert_eq!(renames[0]["pattern"]["glob"], "**/*.{py,pyi}", "{renames}");
    assert_eq!(result["serverInfo"]["name"], "pyloom");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn utf8_is_chosen_when_offered_and_exit_without_shutdown_is_code_one() {
    let (mut client, result) = LspClient::initialized(None, utf8_capabilities(), Value::Null).unwrap();
    assert_eq!(result["capabilities"]["positionEncoding"], "utf-8");
    client.notify("exit", Value::Null).unwrap();
    assert_eq!(client.wait_exit().unwrap().code(), Some(1));
}

/// The same logical edits expressed in each encoding give the text a full
/// sync would: replace the emoji, insert after CJK, delete a combining mark.
#[test]
fn incremental_edits_on_multibyte_text_match_full_sync_in_both_encodings() {
    let original = "s = '😀x'\nt = '中文'\nu = 'e\u{301}'\n";
    let expected = "s = '🎉🎉x'\nt = '中文!'\nu = 'e'\n";
    // (encoding offered, edits in that encoding's units)
    let cases = [
        (json!({}), [range(0, 5, 0, 7), range(1, 7, 1, 7), range(2, 6, 2, 7)]),
        (utf8_capabilities(), [range(0, 5, 0, 9), range(1, 11, 1, 11), range(2, 6, 2, 8)]),
    ];
    for (caps, [r0, r1, r2]) in cases {
        let (mut client, _) = LspClient::initialized(None, caps, Value::Null).unwrap();
        let uri = "file:///tmp/multibyte.py";
        client.open(uri, original).unwrap();
        let edits = json!([{"range": r0, "text": "🎉🎉"}, {"range": r1, "text": "!"}, {"range": r2, "text": ""}]);
        client.notify("textDocument/didChange", change(uri, 2, edits)).unwrap();
        assert_eq!(client.view_file(uri).unwrap(), (2, expected.to_owned()));
        assert!(client.shutdown().unwrap().success());
    }
}

/// eglot sends `shutdown` and `exit` with `"params": null`: the server
/// answers the shutdown and exits cleanly.
#[test]
fn shutdown_and_exit_with_null_params_exit_zero() {
    let (mut client, _) = LspClient::initialized(None, json!({}), Value::Null).unwrap();
    client.send_raw(br#"{"jsonrpc":"2.0","id":77,"method":"shutdown","params":null}"#).unwrap();
    let response = client.raw_response(&json!(77)).unwrap();
    assert_eq!(response.get("error"), None, "{response}");
    assert_eq!(response["result"], Value::Null);
    client.send_raw(br#"{"jsonrpc":"2.0","method":"exit","params":null}"#).unwrap();
    assert_eq!(client.wait_exit().unwrap().code(), Some(0));
}

/// 200 rapid edits the way eglot sends them: several changes per
/// `didChange`, the version jumping by their number. Each message is
/// applied as it arrives (no waiting for the versions in between), the
/// diagnostics come for the last version, and the tree matches a full parse.
#[test]
fn batched_changes_with_version_jumps_apply_in_wire_order() {
    let (mut client, _) = LspClient::initialized(None, json!({}), Value::Null).unwrap();
    let uri = "file:///tmp/batched.py";
    client.open(uri, "").unwrap();
    let mut expected = String::new();
    let mut version = 1;
    let mut batch = Vec::new();
    let mut batches = 0;
    for i in 0..200u32 {
        let text = if i % 20 == 19 { "\n".to_owned() } else { ["a", "é", "中"][i as usize % 3].to_owned() };
        let line = expected.matches('\n').count() as u32;
        let col = expected.rsplit('\n').next().unwrap().encode_utf16().count() as u32;
        batch.push(json!({"range": range(line, col, line, col), "text": text}));
        expected.push_str(&text);
        if batch.len() == [1, 3, 2, 4][batches % 4] {
            batches += 1;
            version += batch.len() as i64;
            client.notify("textDocument/didChange", change(uri, version, json!(std::mem::take(&mut batch)))).unwrap();
        }
    }
    if !batch.is_empty() {
        version += batch.len() as i64;
        client.notify("textDocument/didChange", change(uri, version, json!(batch))).unwrap();
    }
    assert_eq!(version, 201);
    let published = client.notification("textDocument/publishDiagnostics", |p| p["uri"] == uri && p["version"] == version).unwrap();
    assert_eq!(published["version"], 201);
    assert_eq!(client.view_file(uri).unwrap(), (version, expected.clone()));

    // The incrementally maintained tree equals a full parse of the same text.
    let tree = client.request("pyloom/viewFile", json!({"textDocument": {"uri": uri}})).unwrap()["syntaxTree"].clone();
    client.open("file:///tmp/fresh.py", &expected).unwrap();
    let fresh = client.request("pyloom/viewFile", json!({"textDocument": {"uri": "file:///tmp/fresh.py"}})).unwrap();
    assert_eq!(tree, fresh["syntaxTree"]);
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn bad_input_gets_errors_and_the_server_keeps_answering() {
    let (mut client, _) = LspClient::initialized(None, json!({}), Value::Null).unwrap();
    let uri = "file:///tmp/robust.py";

    // A change before open, for an unknown document: ignored with a log line.
    client.notify("textDocument/didChange", change(uri, 2, json!([{"text": "x"}]))).unwrap();
    // Unknown URIs in a request: an error response.
    let err = client.request("pyloom/viewFile", json!({"textDocument": {"uri": uri}})).unwrap_err();
    assert!(err.to_string().contains("not open"), "{err}");

    client.open(uri, "x = 1\n").unwrap();
    // An invalid position (line past the end): the change is refused whole.
    client.notify("textDocument/didChange", change(uri, 2, json!([{"range": range(40, 0, 40, 1), "text": "boom"}]))).unwrap();
    assert_eq!(client.view_file(uri).unwrap(), (1, "x = 1\n".to_owned()));

    // Malformed JSON-RPC: a parse error response, then business as usual.
    client.send_raw(b"{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ").unwrap();
    let parse_error = client.raw_response(&Value::Null).unwrap();
    assert_eq!(parse_error["error"]["code"], -32700);
    // A frame without Content-Length is skipped with a parse error too.
    client.send_bytes(b"Content-Type: nothing\r\n\r\n").unwrap();
    let parse_error = client.raw_response(&Value::Null).unwrap();
    assert_eq!(parse_error["error"]["code"], -32700);
    // Wrong params for a known request: invalid params, not a crash.
    let bad = client.request("pyloom/viewFile", json!({"textDocument": 42})).unwrap_err();
    assert!(bad.to_string().contains("-32602"), "{bad}");
    // Unknown methods: an error for a request, silence for a notification.
    let unknown = client.request("pyloom/doesNotExist", json!({})).unwrap_err();
    assert!(unknown.to_string().contains("-32601"), "{unknown}");
    client.notify("$/somethingNew", json!({})).unwrap();

    client.notify("textDocument/didChange", change(uri, 2, json!([{"range": range(0, 4, 0, 5), "text": "2"}]))).unwrap();
    assert_eq!(client.view_file(uri).unwrap(), (2, "x = 2\n".to_owned()));
    assert!(client.shutdown().unwrap().success());
}

/// 20,000 nested brackets overflowed the parser's stack and aborted the
/// server: such a buffer is kept but not analysed, and is again once the
/// nesting is gone.
#[test]
fn a_buffer_nested_too_deep_is_not_analysed_and_the_server_lives() {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = LspClient::initialized(Some(dir.path()), json!({}), Value::Null).unwrap();
    let uri = file_uri(&dir.path().join("deep.py"));
    let nested = |depth: usize| format!("def f():\n    return 1\nx = {}{}\nf()\n", "[".repeat(depth), "]".repeat(depth));
    let hover_f =
        |client: &mut LspClient| client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 3, "character": 0}})).unwrap();
    client.open(&uri, &nested(20_000)).unwrap();
    assert_eq!(hover_f(&mut client), Value::Null);
    // The twin: nested as deep as Python allows, it is analysed.
    client.notify("textDocument/didChange", change(&uri, 2, json!([{"text": nested(200)}]))).unwrap();
    let hover = hover_f(&mut client);
    assert!(hover["contents"]["value"].as_str().is_some_and(|v| v.contains("def f()")), "{hover}");
    assert!(client.shutdown().unwrap().success());
}

/// A 2,800-term `a + a + ...` (no bracket: not "nested too deep", and
/// CPython runs it) overflowed the main thread's stack in a rename and
/// killed the server: it answers, and lives on.
#[test]
fn a_rename_in_a_file_with_a_long_chain_is_answered_and_the_server_lives() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chain.py");
    let chain = vec!["a"; 2_800].join(" + ");
    std::fs::write(&path, format!("def f(a):\n    x = {chain}\n    return x\n\n\ndef g():\n    return f(1)\n")).unwrap();
    let (mut client, _) = LspClient::initialized(Some(dir.path()), json!({}), Value::Null).unwrap();
    let uri = file_uri(&path);
    client.open(&uri, &std::fs::read_to_string(&path).unwrap()).unwrap();
    let rename = json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 4}, "newName": "h"});
    // Refused (the file is too deep for the refactorings' walks), or
    // answered: either way a reply, never an abort.
    let id = client.send_request("textDocument/rename", rename).unwrap();
    let reply = client.raw_response(&json!(id)).unwrap();
    assert!(reply.get("error").is_some() || reply.get("result").is_some(), "{reply}");
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 4}})).unwrap();
    assert!(hover["contents"]["value"].as_str().is_some_and(|v| v.contains("def g()")), "{hover}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_ten_megabyte_buffer_is_kept_but_not_parsed_and_the_server_stays_responsive() {
    let (mut client, _) = LspClient::initialized(None, json!({}), Value::Null).unwrap();
    let big: String = "x = 'padding padding padding padding padding padding'\n".repeat(200_000);
    assert!(big.len() > 10_000_000);
    let uri = "file:///tmp/huge.py";
    client.open(uri, &big).unwrap();
    client.notify("textDocument/didChange", change(uri, 2, json!([{"range": range(0, 0, 0, 0), "text": "# edited\n"}]))).unwrap();
    let view = client.request("pyloom/viewFile", json!({"textDocument": {"uri": uri}})).unwrap();
    assert_eq!(view["version"], 2);
    assert_eq!(view["text"].as_str().unwrap().len(), big.len() + 9);
    assert_eq!(view["syntaxTree"], Value::Null, "too large to parse per keystroke");

    client.open("file:///tmp/small.py", "y = (\n").unwrap();
    let diags = client.diagnostics("file:///tmp/small.py").unwrap();
    assert_eq!(diags[0]["code"], "E999");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn syntax_errors_are_published_for_the_current_version() {
    let (mut client, _) = LspClient::initialized(None, json!({}), Value::Null).unwrap();
    let uri = "file:///tmp/diag.py";
    client.open(uri, "def f(:\n    pass\n").unwrap();
    let diags = client.diagnostics(uri).unwrap();
    assert_eq!(diags.len(), 2, "{diags:?}");
    assert_eq!(diags[0]["range"]["start"], json!({"line": 0, "character": 6}));
    assert_eq!(diags[0]["message"], "Expected a parameter or the end of the parameter list");
    client.notify("textDocument/didChange", change(uri, 2, json!([{"range": range(0, 6, 0, 6), "text": ")"}]))).unwrap();
    let after = client.notification("textDocument/publishDiagnostics", |p| p["uri"] == uri && p["version"] == 2).unwrap();
    assert_eq!(after["diagnostics"], json!([]));
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn settings_warnings_name_the_layer_and_key() {
    let root = fixture("demo");
    let options = json!({"files": {"max_file_bytes": 100, "colour": "blue"}});
    let (mut client, _) = LspClient::initialized(Some(&root), json!({}), options).unwrap();
    let shown = client.notification("window/showMessage", |_| true).unwrap();
    let message = shown["message"].as_str().unwrap();
    assert!(message.contains("initializationOptions: unknown setting `files.colour`"), "{message}");
    // max_file_bytes = 100 from initializationOptions applies: not parsed.
    let uri = file_uri(&root.join("app.py"));
    client.open(&uri, &"# long line\n".repeat(20)).unwrap();
    let view = client.request("pyloom/viewFile", json!({"textDocument": {"uri": uri}})).unwrap();
    assert_eq!(view["syntaxTree"], Value::Null);

    client.notify("workspace/didChangeConfiguration", json!({"settings": {"pyloom": {"files": {"max_file_bytes": "huge"}}}})).unwrap();
    let shown = client.notification("window/showMessage", |_| true).unwrap();
    assert!(shown["message"].as_str().unwrap().contains("workspace/didChangeConfiguration: invalid settings"));
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn the_server_exits_when_the_client_process_dies() {
    let mut dead = Command::new("true").spawn().unwrap();
    let pid = dead.id();
    dead.wait().unwrap();
    let mut client = LspClient::spawn().unwrap();
    client.request("initialize", json!({"processId": pid, "capabilities": {}})).unwrap();
    assert_eq!(client.wait_exit().unwrap().code(), Some(1));
}

fn check(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(pyloom_bin()).arg("check").args(args).output().unwrap();
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn check_reports_json_findings_and_exit_codes() {
    let demo = fixture("demo");
    let (code, stdout, _) = check(&[demo.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, Some(1));
    let findings: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    let broken: Vec<&Value> = findings.iter().filter(|f| f["file"].as_str().unwrap().ends_with("broken.py")).collect();
    assert_eq!(broken[0]["line"], 4);
    assert_eq!(broken[0]["code"], "E999");
    assert_eq!(broken[0]["category"], "syntax");
    for key in ["file", "line", "column", "end_line", "end_column", "code", "category", "severity", "message", "fix"] {
        assert!(broken[0].get(key).is_some(), "missing {key}");
    }

    let (code, _, stderr) = check(&[demo.join("app.py").to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, _, stderr) = check(&["/no/such/path"]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("/no/such/path"), "{stderr}");
    let (code, _, _) = check(&["--format", "xml", demo.to_str().unwrap()]);
    assert_eq!(code, Some(2));
}

#[test]
fn check_survives_non_utf8_and_huge_files() {
    let dir = std::env::temp_dir().join(format!("pyloom-odd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("latin1.py"), b"s = '\xe9t\xe9'\n").unwrap();
    std::fs::write(dir.join("huge.py"), "x = 1\n".repeat(2_000_000)).unwrap();
    std::fs::write(dir.join("fine.py"), "y = 2\n").unwrap();
    let (code, stdout, stderr) = check(&[dir.to_str().unwrap(), "--format", "json"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, Some(1), "{stderr}");
    let findings: Vec<Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["code"], "E902");
    assert!(findings[0]["message"].as_str().unwrap().contains("not valid UTF-8"));
    assert!(stderr.contains("larger than files.max_file_bytes"), "{stderr}");
}

#[test]
fn check_into_a_reader_that_stopped_ends_quietly_with_its_exit_code() {
    // `pyloom check . | head`: the reader is gone before the report is written.
    let mut child = Command::new(pyloom_bin())
        .args(["check", fixture("demo").to_str().unwrap(), "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("findings"), "the summary is still said: {stderr}");
}

#[test]
fn version_flag_prints_the_version() {
    let out = Command::new(pyloom_bin()).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), format!("pyloom {}", env!("CARGO_PKG_VERSION")));
}
