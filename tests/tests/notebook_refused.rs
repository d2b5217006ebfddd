//! Notebook notifications that disagree with themselves or come out of
//! order, over stdio: refused with a warning the client gets, the server
//! serving on, and the valid message after each applied.

use pyloom_e2e::{LspClient, file_uri};
use serde_json::{Value, json};

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().filter_map(|d| d["code"].as_str()).collect()
}

#[test]
fn a_notebook_open_or_change_that_does_not_fit_is_refused_with_a_warning_and_the_next_applies() {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join(".cache");
    let mut client = LspClient::spawn_in(None, &[("PYLOOM_CACHE_DIR", cache.to_str().unwrap())]).unwrap();
    client.request("initialize", json!({"processId": null, "rootUri": file_uri(dir.path()), "capabilities": {}})).unwrap();
    client.notify("initialized", json!({})).unwrap();
    let notebook = file_uri(&dir.path().join("nb.ipynb"));
    let cell = |n: usize| format!("vscode-notebook-cell:{}#C{n}", dir.path().join("nb.ipynb").display());
    let text = |n: usize, text: &str| json!({"uri": cell(n), "languageId": "python", "version": 1, "text": text});
    let open = |cells: Value, texts: Value| json!({"notebookDocument": {"uri": notebook, "notebookType": "jupyter-notebook", "version": 1, "cells": cells}, "cellTextDocuments": texts});

    // The same cell twice: not opened, and the user is told.
    let twice = open(json!([{"kind": 2, "document": cell(1)}, {"kind": 2, "document": cell(1)}]), json!([text(1, "import os"), text(1, "x = undefined_d")]));
    client.notify("notebookDocument/didOpen", twice).unwrap();
    let shown = client.notification("window/showMessage", |p| p["message"].as_str().is_some_and(|m| m.contains("listed twice"))).unwrap();
    assert_eq!(shown["type"], 2, "a warning: {shown}");
    // Must still work: the notebook opened with each cell once.
    let once = open(json!([{"kind": 2, "document": cell(1)}, {"kind": 2, "document": cell(2)}]), json!([text(1, "import os"), text(2, "x = undefined_d")]));
    client.notify("notebookDocument/didOpen", once).unwrap();
    assert_eq!(codes(&client.diagnostics(&cell(2)).unwrap()), ["F821"]);

    // A change older than the open version: refused, logged to the client.
    let typed = |version: i64, cell_version: i64| {
        let at = json!({"line": 0, "character": 0});
        json!({"notebookDocument": {"uri": notebook, "version": version}, "change": {"cells": {"textContent": [
            {"document": {"uri": cell(2), "version": cell_version}, "changes": [{"range": {"start": at, "end": at}, "text": "undefined_d = 1\n"}]}]}}})
    };
    client.notify("notebookDocument/didChange", typed(0, 2)).unwrap();
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.contains("out of order"))).unwrap();
    // Must still work: the next version, which defines the name.
    client.notify("notebookDocument/didChange", typed(2, 2)).unwrap();
    assert_eq!(codes(&client.diagnostics(&cell(2)).unwrap()), Vec::<&str>::new());
    assert!(client.shutdown().unwrap().success());
}
