//! Semantic tokens across a notebook's cells over stdio: each cell is a
//! document of its own to the editor, which asks again only for the one
//! it edits; an edit changing what another cell's names are asks it to
//! refresh them all (`workspace/semanticTokens/refresh`); a cell asking
//! for a delta gets one from its own last answer.

use pyloom_e2e::{LspClient, file_uri};
use serde_json::{Value, json};

const CELLS: [&str; 2] = ["vscode-notebook-cell:/n.ipynb#C1", "vscode-notebook-cell:/n.ipynb#C2"];

/// A server with the client `capabilities` and the notebook `n.ipynb` of
/// the code cells `texts` (URIs [`CELLS`]) open, analysed: its URI.
fn open_notebook(capabilities: Value, texts: [&str; 2]) -> (tempfile::TempDir, LspClient, String) {
    let dir = tempfile::tempdir().unwrap();
    let (mut client, _) = LspClient::initialized(Some(dir.path()), capabilities, Value::Null).unwrap();
    let notebook = file_uri(&dir.path().join("n.ipynb"));
    let documents: Vec<Value> = CELLS.iter().zip(texts).map(|(uri, text)| json!({"uri": uri, "languageId": "python", "version": 1, "text": text})).collect();
    let kinds: Vec<Value> = CELLS.iter().map(|uri| json!({"kind": 2, "document": uri})).collect();
    let open = json!({"notebookDocument": {"uri": notebook, "notebookType": "jupyter-notebook", "version": 0, "cells": kinds}, "cellTextDocuments": documents});
    client.notify("notebookDocument/didOpen", open).unwrap();
    client.diagnostics(CELLS[1]).unwrap();
    (dir, client, notebook)
}

#[test]
fn an_edit_that_makes_a_name_another_kind_asks_for_fresh_tokens() {
    let capabilities = json!({"workspace": {"semanticTokens": {"refreshSupport": true}}});
    let (_dir, mut client, notebook) = open_notebook(capabilities, ["def helper():\n    return 1", "print(helper)"]);
    let edit = |version: i64, end: u32, text: &str| {
        json!({"notebookDocument": {"uri": notebook, "version": version}, "change": {"cells": {"textContent": [{"document": {"uri": CELLS[0], "version": version + 1},
            "changes": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": end}}, "text": text}]}]}}})
    };
    // Must not: a body edited leaves every other cell's tokens be; its
    // analysis is published (F821 in cell 1) before the next edit is sent.
    let published = |version: i64| move |p: &Value| p["uri"] == CELLS[0] && p["version"] == version;
    client.notify("notebookDocument/didChange", edit(1, 12, "def helper():\n    return nope")).unwrap();
    client.notification("textDocument/publishDiagnostics", published(2)).unwrap();
    client.notify("notebookDocument/didChange", edit(2, 15, "class helper:\n    pass")).unwrap();
    // A refresh the first edit asked for would be answered meanwhile; so
    // may the one wanted, when the first edit's analysis, syncing the
    // graph, took the second edit's text in.
    client.notification("textDocument/publishDiagnostics", published(3)).unwrap();
    let is_refresh = |m: &Value| m["method"] == "workspace/semanticTokens/refresh";
    if !client.server_requests.iter().any(is_refresh) {
        client.wait_for("a semantic tokens refresh", is_refresh).unwrap();
    }
    let refreshes = client.server_requests.iter().filter(|m| is_refresh(m)).count();
    assert_eq!(refreshes, 1, "only the edit making `helper` a class asks: {:?}", client.server_requests);
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_cell_gets_its_semantic_tokens_as_deltas_from_its_own_last_answer() {
    let (_dir, mut client, notebook) = open_notebook(json!({}), ["rate = 3\nprint(rate)\n", "total = rate * 2\n"]);
    let full = client.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": CELLS[1]}})).unwrap();
    let data = full["data"].as_array().unwrap().clone();
    assert_eq!(data.len(), 10, "`total` and `rate`: {full}");
    let delta = |client: &mut LspClient, previous: &Value| {
        client.request("textDocument/semanticTokens/full/delta", json!({"textDocument": {"uri": CELLS[1]}, "previousResultId": previous})).unwrap()
    };
    // Nothing changed: no edit.
    let same = delta(&mut client, &full["resultId"]);
    assert_eq!(same["edits"], json!([]), "{same}");
    assert_ne!(same["resultId"], full["resultId"]);
    // A name added at the cell's end: one edit, inserting its token.
    let edit = json!({"notebookDocument": {"uri": notebook, "version": 1}, "change": {"cells": {"textContent": [{"document": {"uri": CELLS[1], "version": 2},
        "changes": [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "print(total)\n"}]}]}}});
    client.notify("notebookDocument/didChange", edit).unwrap();
    client.notification("textDocument/publishDiagnostics", |p| p["uri"] == CELLS[1] && p["version"] == 2).unwrap();
    let changed = delta(&mut client, &same["resultId"]);
    let edits = changed["edits"].as_array().unwrap_or_else(|| panic!("{changed}"));
    assert_eq!(edits.len(), 1, "{changed}");
    assert_eq!(edits[0]["start"], 10, "after the first line's tokens: {changed}");
    // Must stay: a result id the cell never got (another cell's) gets all its tokens.
    let other = client.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": CELLS[0]}})).unwrap();
    let whole = delta(&mut client, &other["resultId"]);
    assert!(whole.get("edits").is_none(), "{whole}");
    assert_eq!(whole["data"].as_array().unwrap()[..10], data[..], "{whole}");
    assert!(client.shutdown().unwrap().success());
}
