//! A notebook typed in cell by cell, a diagnostic pulled after each
//! keystroke as the editor does: what each cell shows at the end is what
//! the same cells opened fresh show (the work a keystroke saves must not
//! change a finding: E402 between cells, a cell's own `# noqa`, magics,
//! a cell broken and mended, lines ended by a bare `\r`).

use pyloom_e2e::{LspClient, file_uri};
use serde_json::{Value, json};

const CELLS: [&str; 5] = [
    "import os\nimport json\n\nx = 1",
    "# Notes",
    "%matplotlib inline\nimport sys\nprint(os.sep, sys.argv)",
    "def f():\n    return undefined_name",
    "y = x\rz = unknown",
];

/// The cells' URIs of notebook `name` in `root`.
fn cells(root: &std::path::Path, name: &str) -> Vec<String> {
    (0..CELLS.len()).map(|n| format!("vscode-notebook-cell:{}#C{n}", root.join(name).display())).collect()
}

fn open(client: &mut LspClient, root: &std::path::Path, name: &str, texts: &[String]) -> (String, Vec<String>) {
    let notebook = file_uri(&root.join(name));
    let uris = cells(root, name);
    let kind = |n: usize| if n == 1 { 1 } else { 2 };
    let language = |n: usize| if n == 1 { "markdown" } else { "python" };
    let kinds: Vec<Value> = uris.iter().enumerate().map(|(n, uri)| json!({"kind": kind(n), "document": uri})).collect();
    let documents: Vec<Value> =
        uris.iter().zip(texts).enumerate().map(|(n, (uri, text))| json!({"uri": uri, "languageId": language(n), "version": 1, "text": text})).collect();
    let open = json!({"notebookDocument": {"uri": notebook, "notebookType": "jupyter-notebook", "version": 0, "cells": kinds}, "cellTextDocuments": documents});
    client.notify("notebookDocument/didOpen", open).unwrap();
    (notebook, uris)
}

/// Cell `uri`'s pulled diagnostics, without what names their notebook
/// (its cells' URIs, the version their edits are for).
fn pulled(client: &mut LspClient, uri: &str, uris: &[String]) -> Vec<Value> {
    let report = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}})).unwrap();
    let mut items = report["items"].as_array().cloned().unwrap_or_default();
    for item in &mut items {
        if let Some(data) = item.get_mut("data").and_then(Value::as_object_mut) {
            data.remove("version");
        }
    }
    let mut text = serde_json::to_string(&items).unwrap();
    for (n, cell) in uris.iter().enumerate() {
        text = text.replace(cell.as_str(), &format!("cell {n}"));
    }
    serde_json::from_str(&text).unwrap()
}

#[test]
fn a_notebook_typed_cell_by_cell_shows_what_the_same_cells_opened_fresh_show() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("notes");
    std::fs::create_dir_all(&root).unwrap();
    let cache = dir.path().join("cache");
    let mut client = LspClient::spawn_in(None, &[("PYLOOM_CACHE_DIR", cache.to_str().unwrap())]).unwrap();
    let capabilities = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    client.request("initialize", json!({"processId": null, "rootUri": file_uri(&root), "capabilities": capabilities})).unwrap();
    client.notify("initialized", json!({})).unwrap();
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();
    let mut texts: Vec<String> = CELLS.iter().map(|text| (*text).to_owned()).collect();
    let (notebook, uris) = open(&mut client, &root, "typed.ipynb", &texts);
    pulled(&mut client, &uris[3], &uris);
    let mut version = 1;
    // Each edit as (cell, start line, start character, end line, end
    // character, text), sent one at a time.
    let mut edits: Vec<(usize, u32, u32, u32, u32, String)> = Vec::new();
    // An import typed at the end of cell 4, a key at a time (E402 in a cell
    // that does not start with it), through a broken `def` and mended.
    for (n, c) in "\nimport re\ng(".chars().enumerate() {
        let (line, character) = if n == 0 {
            (1, 25)
        } else if n <= 10 {
            (2, n as u32 - 1)
        } else {
            (3, n as u32 - 11)
        };
        edits.push((3, line, character, line, character, c.to_string()));
    }
    edits.push((3, 3, 2, 3, 2, ")".to_owned()));
    // A cell's own `# noqa`, typed after a bare `\r`'s line.
    for (n, c) in "  # noqa: F821".chars().enumerate() {
        edits.push((4, 1, 11 + n as u32, 1, 11 + n as u32, c.to_string()));
    }
    // An import deleted in the first cell (`json` unused is gone), and code
    // pasted in the third that reads it again (F821 there).
    edits.push((0, 1, 0, 2, 0, String::new()));
    edits.push((2, 2, 23, 2, 23, "\nfor i in range(3):\n    print(i, json)".to_owned()));
    // An import typed at the top of cell 3, after its magic: no E402.
    edits.push((2, 1, 0, 1, 0, "import re\n".to_owned()));
    for (cell, l0, c0, l1, c1, text) in edits {
        version += 1;
        let range = json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}});
        let change = json!({
            "notebookDocument": {"uri": notebook, "version": version},
            "change": {"cells": {"textContent": [{"document": {"uri": uris[cell], "version": version}, "changes": [{"range": range, "text": text}]}]}},
        });
        client.notify("notebookDocument/didChange", change).unwrap();
        texts[cell] = edited(&texts[cell], (l0, c0), (l1, c1), &text);
        pulled(&mut client, &uris[cell], &uris);
    }
    assert_eq!(texts[3], "def f():\n    return undefined_name\nimport re\ng()");
    assert_eq!(texts[4], "y = x\rz = unknown  # noqa: F821");
    let typed: Vec<Vec<Value>> = uris.iter().map(|uri| pulled(&mut client, uri, &uris)).collect();
    let (_, fresh_uris) = open(&mut client, &root, "fresh.ipynb", &texts);
    let fresh: Vec<Vec<Value>> = fresh_uris.iter().map(|uri| pulled(&mut client, uri, &fresh_uris)).collect();
    assert_eq!(typed, fresh);
    let codes: Vec<Vec<&str>> = typed.iter().map(|cell| cell.iter().map(|d| d["code"].as_str().unwrap_or_default()).collect()).collect();
    // What the cells show is what `ruff check` reports on the same cells:
    // `json` read but no longer imported, `re` imported in two cells (the
    // second unused, unsorted after a `def`), `undefined_name` and `g`;
    // `unknown` silenced by its own cell's `# noqa`.
    assert_eq!(codes, [vec![], vec![], vec!["I001", "F821"], vec!["F821", "I001", "F401", "F811", "F821"], vec![]], "{typed:#?}");
    assert!(client.shutdown().unwrap().success());
}

/// `text` with the LSP range `start..end` (lines ended by `\n`, `\r\n` or
/// `\r`; ASCII) replaced by `new`.
fn edited(text: &str, start: (u32, u32), end: (u32, u32), new: &str) -> String {
    let offset = |(line, character): (u32, u32)| {
        let mut at = 0;
        for _ in 0..line {
            at += text[at..].find(['\n', '\r']).unwrap();
            at += if text[at..].starts_with("\r\n") { 2 } else { 1 };
        }
        at + character as usize
    };
    format!("{}{new}{}", &text[..offset(start)], &text[offset(end)..])
}
