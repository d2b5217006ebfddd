//! Semantic tokens across a notebook's cells over stdio: each cell is a
//! document of its own to the editor, which asks again only for the one
//! it edits; an edit changing what another cell's names are asks it to
//! refresh them all (`workspace/semanticTokens/refresh`).

use pyloom_e2e::{LspClient, file_uri};
use serde_json::{Value, json};

#[test]
fn an_edit_that_makes_a_name_another_kind_asks_for_fresh_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let capabilities = json!({"workspace": {"semanticTokens": {"refreshSupport": true}}});
    let (mut client, _) = LspClient::initialized(Some(dir.path()), capabilities, Value::Null).unwrap();
    let notebook = file_uri(&dir.path().join("n.ipynb"));
    let cells = ["vscode-notebook-cell:/n.ipynb#C1", "vscode-notebook-cell:/n.ipynb#C2"];
    let documents = json!([
        {"uri": cells[0], "languageId": "python", "version": 1, "text": "def helper():\n    return 1"},
        {"uri": cells[1], "languageId": "python", "version": 1, "text": "print(helper)"},
    ]);
    let kinds: Vec<Value> = cells.iter().map(|uri| json!({"kind": 2, "document": uri})).collect();
    let open = json!({"notebookDocument": {"uri": notebook, "notebookType": "jupyter-notebook", "version": 0, "cells": kinds}, "cellTextDocuments": documents});
    client.notify("notebookDocument/didOpen", open).unwrap();
    client.diagnostics(cells[1]).unwrap();
    let edit = |version: i64, end: u32, text: &str| {
        json!({"notebookDocument": {"uri": notebook, "version": version}, "change": {"cells": {"textContent": [{"document": {"uri": cells[0], "version": version + 1},
            "changes": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": end}}, "text": text}]}]}}})
    };
    // Must not: a body edited leaves every other cell's tokens be; its
    // analysis is published (F821 in cell 1) before the next edit is sent.
    let published = |version: i64| move |p: &Value| p["uri"] == cells[0] && p["version"] == version;
    client.notify("notebookDocument/didChange", edit(1, 12, "def helper():\n    return nope")).unwrap();
    client.notification("textDocument/publishDiagnostics", published(2)).unwrap();
    client.notify("notebookDocument/didChange", edit(2, 15, "class helper:\n    pass")).unwrap();
    // A refresh the first edit asked for would be answered meanwhile.
    client.notification("textDocument/publishDiagnostics", published(3)).unwrap();
    client.wait_for("a semantic tokens refresh", |m| m["method"] == "workspace/semanticTokens/refresh").unwrap();
    let refreshes = client.server_requests.iter().filter(|m| m["method"] == "workspace/semanticTokens/refresh").count();
    assert_eq!(refreshes, 1, "only the edit making `helper` a class asks: {:?}", client.server_requests);
    assert!(client.shutdown().unwrap().success());
}
