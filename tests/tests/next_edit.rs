//! Next edit, exact, over stdio: a `def`'s parameters edited by hand in
//! one file, the calls of another file still written for the old ones
//! become one diagnostic on the definition, and its quick fix (also in the
//! refactor menu) rewrites them; a call that cannot be updated exactly
//! gets the reason and no fix.

use pyloom_e2e::{LspClient, file_uri};
use serde_json::{Value, json};

const GEO: &str = "def move(x, y):\n    return (x, y)\n";

/// A server over a workspace holding `geo.py` and `main.py` (with `main`
/// as its text), answered `initialize` but not yet sent `initialized`,
/// which starts the index.
fn initializing(main: &str) -> (tempfile::TempDir, LspClient, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("geo.py"), GEO).unwrap();
    std::fs::write(root.join("main.py"), main).unwrap();
    let cache = dir.path().join("cache");
    let mut client = LspClient::spawn_in(None, &[("PYLOOM_CACHE_DIR", cache.to_str().unwrap())]).unwrap();
    let uri = file_uri(&root);
    client
        .request("initialize", json!({"processId": std::process::id(), "capabilities": {}, "rootUri": uri, "workspaceFolders": [{"uri": uri, "name": "ws"}]}))
        .unwrap();
    (dir, client, root)
}

/// A server over a workspace holding `geo.py` and `main.py` (with `main`
/// as its text), both open, and the first diagnostics of `geo.py` in: the
/// parameters its calls were written for are known.
fn opened(main: &str) -> (tempfile::TempDir, LspClient, String, String) {
    let (dir, mut client, root) = initializing(main);
    client.notify("initialized", json!({})).unwrap();
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();
    let (geo, main_uri) = (file_uri(&root.join("geo.py")), file_uri(&root.join("main.py")));
    client.open(&geo, GEO).unwrap();
    client.open(&main_uri, main).unwrap();
    client.diagnostics(&geo).unwrap();
    (dir, client, geo, main_uri)
}

/// Gives `move` new parameters in the editor and waits for the diagnostic
/// about its calls.
fn reorder(client: &mut LspClient, geo: &str) -> Value {
    let text = GEO.replacen("(x, y)", "(y, x)", 1);
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": geo, "version": 2}, "contentChanges": [{"text": text}]})).unwrap();
    let published = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == geo && p["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["code"] == "LOOM806"))
        })
        .unwrap();
    published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "LOOM806").unwrap().clone()
}

/// The code actions offered at `range` with these diagnostics and kinds.
fn actions(client: &mut LspClient, uri: &str, range: &Value, diagnostics: Value, only: Option<&str>) -> Vec<Value> {
    let mut context = json!({"diagnostics": diagnostics});
    if let Some(only) = only {
        context["only"] = json!([only]);
    }
    let answer = client.request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": range, "context": context})).unwrap();
    answer.as_array().cloned().unwrap_or_default().into_iter().filter(|a| a["title"].as_str().is_some_and(|t| t.starts_with("update "))).collect()
}

/// `text` with the action's edits of `uri` applied.
fn applied(action: &Value, uri: &str, text: &str) -> String {
    let edits = action["edit"]["changes"][uri].as_array().unwrap();
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        text.split_inclusive('\n').take(line).map(str::len).sum::<usize>() + p["character"].as_u64().unwrap() as usize
    };
    let mut edits: Vec<&Value> = edits.iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    let mut out = text.to_owned();
    for e in edits {
        out.replace_range(offset(&e["range"]["start"])..offset(&e["range"]["end"]), e["newText"].as_str().unwrap());
    }
    out
}

#[test]
fn reordered_parameters_name_the_calls_of_another_file_and_the_quick_fix_rewrites_them() {
    let main = "from geo import move\n\na = move(1, 2)\n";
    let (_dir, mut client, geo, main_uri) = opened(main);
    let diagnostic = reorder(&mut client, &geo);
    assert_eq!(diagnostic["message"], "1 call site of `move` passes the old parameters (x, y)");
    assert_eq!(diagnostic["source"], "pyloom");
    assert_eq!(diagnostic["severity"], 3, "information");
    assert_eq!(diagnostic["range"]["start"], json!({"line": 0, "character": 4}));
    let related = diagnostic["relatedInformation"].as_array().unwrap();
    assert_eq!(related.len(), 1, "{diagnostic}");
    assert_eq!(related[0]["location"]["uri"], main_uri.as_str());
    assert_eq!(related[0]["location"]["range"]["start"]["line"], 2);
    assert_eq!(related[0]["message"], "call at main.py:3");

    let fixes = actions(&mut client, &geo, &diagnostic["range"], json!([diagnostic]), None);
    assert_eq!(fixes.len(), 1, "{fixes:?}");
    assert_eq!((fixes[0]["title"].as_str(), fixes[0]["kind"].as_str()), (Some("update 1 call site"), Some("quickfix")));
    assert_eq!(applied(&fixes[0], &main_uri, main), "from geo import move\n\na = move(2, 1)\n");

    // The same update from the refactor menu on the `def` line.
    let line = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    let refactors = actions(&mut client, &geo, &line, json!([]), Some("refactor.rewrite"));
    assert_eq!(refactors.len(), 1, "{refactors:?}");
    assert_eq!(refactors[0]["kind"], "refactor.rewrite.pyloom.calls");
    assert_eq!(refactors[0]["edit"], fixes[0]["edit"]);

    // The fix applied in the editor: the call now reads for the new
    // parameters, and the diagnostic goes.
    let fixed = applied(&fixes[0], &main_uri, main);
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": main_uri, "version": 2}, "contentChanges": [{"text": fixed}]})).unwrap();
    client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == geo.as_str() && p["diagnostics"].as_array().is_some_and(|d| !d.iter().any(|d| d["code"] == "LOOM806"))
        })
        .unwrap();
    assert!(actions(&mut client, &geo, &line, json!([]), Some("refactor.rewrite")).is_empty());
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_call_the_update_cannot_rewrite_gets_the_reason_and_no_fix() {
    let main = "from geo import move\n\npoint = (1, 2)\na = move(*point)\n";
    let (_dir, mut client, geo, _) = opened(main);
    let diagnostic = reorder(&mut client, &geo);
    let message = diagnostic["message"].as_str().unwrap();
    assert!(message.starts_with("calls of `move` pass the old parameters (x, y); no update: "), "{message}");
    assert!(message.contains("main.py:4") && message.contains("`*args`"), "{message}");
    assert!(actions(&mut client, &geo, &diagnostic["range"], json!([diagnostic]), None).is_empty());
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_noqa_on_the_def_line_silences_the_calls_left_behind() {
    let main = "from geo import move\n\na = move(1, 2)\n";
    let (_dir, mut client, geo, _) = opened(main);
    let diagnostic = reorder(&mut client, &geo);
    // The suppression is offered with the diagnostic, like every finding's.
    let answer = client
        .request("textDocument/codeAction", json!({"textDocument": {"uri": geo}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}))
        .unwrap();
    let titles: Vec<&str> = answer.as_array().unwrap().iter().filter_map(|a| a["title"].as_str()).collect();
    assert!(titles.contains(&"Suppress LOOM806 with `# noqa: LOOM806`"), "{titles:?}");
    // The same reorder with the directive: the calls are still stale, the
    // diagnostic is not shown.
    let text = GEO.replacen("(x, y):", "(y, x):  # noqa: LOOM806", 1);
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": geo, "version": 3}, "contentChanges": [{"text": text}]})).unwrap();
    client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == geo.as_str() && p["diagnostics"].as_array().is_some_and(|d| !d.iter().any(|d| d["code"] == "LOOM806"))
        })
        .unwrap();
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_def_edited_before_the_index_is_ready_gets_its_calls_named_once_indexed() {
    // Tester 25, L9: the edit's analysis before the index took the edited
    // parameters for the ones the calls were written for.
    let (_dir, mut client, root) = initializing("from geo import move\n\na = move(1, 2)\n");
    // Opened and edited before `initialized`, which starts the index.
    let geo = file_uri(&root.join("geo.py"));
    client.open(&geo, GEO).unwrap();
    let text = GEO.replacen("(x, y)", "(y, x)", 1);
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": geo, "version": 2}, "contentChanges": [{"text": text}]})).unwrap();
    let before = client.notification("textDocument/publishDiagnostics", |p| p["uri"] == geo && p["version"] == 2).unwrap();
    assert!(before["diagnostics"].as_array().unwrap().iter().all(|d| d["code"] != "LOOM806"), "{before}");
    client.notify("initialized", json!({})).unwrap();
    let published = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == geo && p["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["code"] == "LOOM806"))
        })
        .unwrap();
    let diagnostic = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "LOOM806").unwrap().clone();
    assert_eq!(diagnostic["message"], "1 call site of `move` passes the old parameters (x, y)");
    // Must stay: a document opened after the index keeps working as before (the other tests).
    assert!(client.shutdown().unwrap().success());
}
