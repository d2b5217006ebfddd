use serde_json::{Value, json};

use super::Notebooks;
use crate::lsp::transport::Routed;

const NB: &str = "file:///w/analysis.ipynb";

fn cell(n: usize) -> String {
    format!("vscode-notebook-cell:/w/analysis.ipynb#C{n}")
}

fn message(value: Value) -> Vec<u8> {
    serde_json::to_vec(&value).unwrap()
}

fn parsed(bodies: Vec<Vec<u8>>) -> Vec<Value> {
    bodies.iter().map(|b| serde_json::from_slice(b).unwrap()).collect()
}

/// The messages for the server, and for the client, of a rewrite.
fn routed(messages: Vec<Routed>) -> (Vec<Value>, Vec<Value>) {
    let (mut server, mut client) = (Vec::new(), Vec::new());
    for message in messages {
        match message {
            Routed::Server(body) => server.push(serde_json::from_slice(&body).unwrap()),
            Routed::Client(body) => client.push(serde_json::from_slice(&body).unwrap()),
        }
    }
    (server, client)
}

fn to_server(messages: Vec<Routed>) -> Vec<Value> {
    let (server, client) = routed(messages);
    assert!(client.is_empty(), "{client:?}");
    server
}

/// A notebook of a code cell, a markdown cell and a second code cell.
fn opened() -> (Notebooks, Vec<Value>) {
    let notebooks = Notebooks::default();
    let open = json!({"jsonrpc": "2.0", "method": "notebookDocument/didOpen", "params": {
        "notebookDocument": {"uri": NB, "notebookType": "jupyter-notebook", "version": 1, "cells": [
            {"kind": 2, "document": cell(1)}, {"kind": 1, "document": cell(2)}, {"kind": 2, "document": cell(3)},
        ]},
        "cellTextDocuments": [
            {"uri": cell(1), "languageId": "python", "version": 1, "text": "import os\n\ndef load(p):\n    return p"},
            {"uri": cell(2), "languageId": "markdown", "version": 1, "text": "# Notes"},
            {"uri": cell(3), "languageId": "python", "version": 1, "text": "x = load(os.sep)"},
        ],
    }});
    let out = to_server(notebooks.incoming("notebookDocument/didOpen", message(open)));
    (notebooks, out)
}

#[test]
fn a_notebook_opens_as_one_document_of_its_python_cells() {
    let (notebooks, out) = opened();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0]["method"], "textDocument/didOpen");
    assert_eq!(out[0]["params"]["textDocument"]["uri"], NB);
    let text = "import os\n\ndef load(p):\n    return p\nx = load(os.sep)\n";
    assert_eq!(out[0]["params"]["textDocument"]["text"], text);
    assert!(notebooks.notebook(NB, text).is_some());
    assert!(notebooks.notebook(NB, "other").is_none(), "a text the server no longer holds");
}

#[test]
fn a_request_in_a_cell_is_asked_of_the_notebook_and_answered_in_the_cell() {
    let (notebooks, _) = opened();
    let hover = json!({"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": cell(3)}, "position": {"line": 0, "character": 5},
    }});
    let asked = to_server(notebooks.incoming("textDocument/hover", message(hover)));
    assert_eq!(asked[0]["params"], json!({"textDocument": {"uri": NB}, "position": {"line": 4, "character": 5}}));
    let answer = json!({"jsonrpc": "2.0", "id": 7, "result": {"contents": "load", "range": {
        "start": {"line": 4, "character": 4}, "end": {"line": 4, "character": 8}}}});
    let answered = parsed(notebooks.outgoing(message(answer)));
    assert_eq!(answered[0]["result"]["range"]["start"], json!({"line": 0, "character": 4}));
    // A definition in another cell is a location in that cell.
    let definition = json!({"jsonrpc": "2.0", "id": 8, "method": "textDocument/definition", "params": {
        "textDocument": {"uri": cell(3)}, "position": {"line": 0, "character": 5},
    }});
    notebooks.incoming("textDocument/definition", message(definition));
    let answer = json!({"jsonrpc": "2.0", "id": 8, "result": [{"uri": NB, "range": {
        "start": {"line": 2, "character": 4}, "end": {"line": 2, "character": 8}}}]});
    let answered = parsed(notebooks.outgoing(message(answer)));
    let expected = json!([{"uri": cell(1), "range": {"start": {"line": 2, "character": 4}, "end": {"line": 2, "character": 8}}}]);
    assert_eq!(answered[0]["result"], expected);
}

#[test]
fn diagnostics_are_published_per_cell_and_clear_the_others() {
    let (notebooks, _) = opened();
    let publish = json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": NB, "version": 1, "diagnostics": [
        {"message": "unused", "range": {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 1}}},
    ]}});
    let out = parsed(notebooks.outgoing(message(publish)));
    let by_uri: Vec<(String, usize)> =
        out.iter().map(|m| (m["params"]["uri"].as_str().unwrap().to_owned(), m["params"]["diagnostics"].as_array().unwrap().len())).collect();
    assert_eq!(by_uri, [(cell(1), 0), (cell(2), 0), (cell(3), 1)]);
    assert_eq!(out[2]["params"]["diagnostics"][0]["range"]["start"], json!({"line": 0, "character": 0}));
}

#[test]
fn answers_outside_the_asking_cell_are_dropped_and_edits_across_cells_refused() {
    let (notebooks, _) = opened();
    let symbols = json!({"jsonrpc": "2.0", "id": 1, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": cell(3)}}});
    notebooks.incoming("textDocument/documentSymbol", message(symbols));
    let range = |line: u32| json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 1}});
    let answer = json!({"jsonrpc": "2.0", "id": 1, "result": [
        {"name": "load", "kind": 12, "range": range(2), "selectionRange": range(2)},
        {"name": "x", "kind": 13, "range": range(4), "selectionRange": range(4)},
    ]});
    let answered = parsed(notebooks.outgoing(message(answer)));
    assert_eq!(answered[0]["result"].as_array().unwrap().len(), 1);
    assert_eq!(answered[0]["result"][0]["name"], "x");

    let rename = json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/rename", "params": {
        "textDocument": {"uri": cell(1)}, "position": {"line": 2, "character": 5}, "newName": "read"}});
    notebooks.incoming("textDocument/rename", message(rename));
    let edit = |start: u32, end: u32| json!({"range": {"start": {"line": start, "character": 4}, "end": {"line": end, "character": 8}}, "newText": "read"});
    let answer = json!({"jsonrpc": "2.0", "id": 2, "result": {"changes": {NB: [edit(2, 2), edit(4, 4)]}}});
    let answered = parsed(notebooks.outgoing(message(answer)));
    let changes = &answered[0]["result"]["changes"];
    assert_eq!(changes[cell(1)][0]["range"]["start"]["line"], 2);
    assert_eq!(changes[cell(3)][0]["range"]["start"]["line"], 0);
    assert!(changes.get(NB).is_none());

    let rename = json!({"jsonrpc": "2.0", "id": 3, "method": "textDocument/rename", "params": {
        "textDocument": {"uri": cell(1)}, "position": {"line": 2, "character": 5}, "newName": "read"}});
    notebooks.incoming("textDocument/rename", message(rename));
    let answer = json!({"jsonrpc": "2.0", "id": 3, "result": {"changes": {NB: [edit(2, 4)]}}});
    let answered = parsed(notebooks.outgoing(message(answer)));
    assert!(answered[0]["error"]["message"].as_str().unwrap().contains("spans notebook cells"), "{}", answered[0]);
}

#[test]
fn cell_edits_and_new_cells_change_the_notebook_text() {
    let (notebooks, _) = opened();
    let change = json!({"jsonrpc": "2.0", "method": "notebookDocument/didChange", "params": {
        "notebookDocument": {"uri": NB, "version": 2},
        "change": {"cells": {
            "structure": {"array": {"start": 3, "deleteCount": 0, "cells": [{"kind": 2, "document": cell(4)}]},
                "didOpen": [{"uri": cell(4), "languageId": "python", "version": 1, "text": "print(x)"}]},
            "textContent": [{"document": {"uri": cell(3), "version": 2}, "changes": [
                {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "text": "y"}]}],
        }},
    }});
    let out = to_server(notebooks.incoming("notebookDocument/didChange", message(change)));
    assert_eq!(out[0]["method"], "textDocument/didChange");
    assert_eq!(out[0]["params"]["textDocument"]["version"], 2);
    let text = "import os\n\ndef load(p):\n    return p\ny = load(os.sep)\nprint(x)\n";
    assert_eq!(out[0]["params"]["contentChanges"][0]["text"], text);
    let bad = json!({"jsonrpc": "2.0", "method": "notebookDocument/didChange", "params": {
        "notebookDocument": {"uri": NB, "version": 3},
        "change": {"cells": {"structure": {"array": {"start": 9, "deleteCount": 1}}}},
    }});
    assert!(notebooks.incoming("notebookDocument/didChange", message(bad)).is_empty(), "a change that does not fit is refused");
    let close = json!({"jsonrpc": "2.0", "method": "notebookDocument/didClose", "params": {"notebookDocument": {"uri": NB}, "cellTextDocuments": []}});
    let (server, client) = routed(notebooks.incoming("notebookDocument/didClose", message(close)));
    assert_eq!(server.len(), 1);
    assert_eq!(server[0]["method"], "textDocument/didClose");
    assert_eq!(client.len(), 4, "an empty list for each of the four cells: {client:?}");
    assert!(client.iter().all(|m| m["params"]["diagnostics"] == json!([])));
    assert!(notebooks.notebook(NB, text).is_none());
}

#[test]
fn semantic_tokens_are_cut_to_the_cell_and_a_markdown_cell_answers_nothing() {
    let (notebooks, _) = opened();
    let tokens = json!({"jsonrpc": "2.0", "id": 4, "method": "textDocument/semanticTokens/full/delta", "params": {
        "textDocument": {"uri": cell(3)}, "previousResultId": "1"}});
    let asked = to_server(notebooks.incoming("textDocument/semanticTokens/full/delta", message(tokens)));
    assert_eq!(asked[0]["method"], "textDocument/semanticTokens/full");
    assert!(asked[0]["params"].get("previousResultId").is_none());
    // `os` on line 0, `load` on line 2, `x` and `load` on line 4.
    let answer = json!({"jsonrpc": "2.0", "id": 4, "result": {"resultId": "2", "data": [0, 7, 2, 0, 0, 2, 4, 4, 1, 1, 2, 0, 1, 2, 1, 0, 4, 4, 1, 0]}});
    let answered = parsed(notebooks.outgoing(message(answer)));
    assert_eq!(answered[0]["result"]["data"], json!([0, 0, 1, 2, 1, 0, 4, 4, 1, 0]));

    let hover = json!({"jsonrpc": "2.0", "id": 5, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": cell(2)}, "position": {"line": 0, "character": 1}}});
    let (server, client) = routed(notebooks.incoming("textDocument/hover", message(hover)));
    assert!(server.is_empty());
    assert_eq!(client, [json!({"jsonrpc": "2.0", "id": 5, "result": null})]);
}

#[test]
fn places_in_other_files_stay_as_they_are_and_lenses_stay_in_their_cell() {
    let (notebooks, _) = opened();
    let definition = json!({"jsonrpc": "2.0", "id": 9, "method": "textDocument/definition", "params": {
        "textDocument": {"uri": cell(3)}, "position": {"line": 0, "character": 5}}});
    notebooks.incoming("textDocument/definition", message(definition));
    let elsewhere = json!([{"uri": "file:///w/helpers.py", "range": {"start": {"line": 0, "character": 4}, "end": {"line": 0, "character": 9}}}]);
    let answer = json!({"jsonrpc": "2.0", "id": 9, "result": elsewhere});
    assert_eq!(parsed(notebooks.outgoing(message(answer)))[0]["result"], elsewhere);
    // Cell 1's lenses: one on its `def`, one at the first line of cell 3.
    let lenses = json!({"jsonrpc": "2.0", "id": 10, "method": "textDocument/codeLens", "params": {"textDocument": {"uri": cell(1)}}});
    notebooks.incoming("textDocument/codeLens", message(lenses));
    let lens = |line: u32| json!({"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}});
    let answer = json!({"jsonrpc": "2.0", "id": 10, "result": [lens(2), lens(4)]});
    assert_eq!(parsed(notebooks.outgoing(message(answer)))[0]["result"], json!([lens(2)]));
}

#[test]
fn a_cell_that_is_not_open_answers_nothing_and_a_last_line_break_ends_in_the_cell() {
    let (notebooks, _) = opened();
    for uri in [format!("{}x", cell(9)), NB.to_owned()] {
        let symbols = json!({"jsonrpc": "2.0", "id": 11, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": uri}}});
        let (server, client) = routed(notebooks.incoming("textDocument/documentSymbol", message(symbols)));
        assert!(server.is_empty(), "{uri}");
        assert_eq!(client, [json!({"jsonrpc": "2.0", "id": 11, "result": null})]);
    }
    // Deleting cell 3's only line with its line break (ruff's edit ends at
    // the line after the cell): the edit ends at the end of the cell's text.
    let actions = json!({"jsonrpc": "2.0", "id": 12, "method": "textDocument/codeAction", "params": {
        "textDocument": {"uri": cell(3)}, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "context": {"diagnostics": []}}});
    notebooks.incoming("textDocument/codeAction", message(actions));
    let delete = json!({"range": {"start": {"line": 4, "character": 0}, "end": {"line": 5, "character": 0}}, "newText": ""});
    let answer = json!({"jsonrpc": "2.0", "id": 12, "result": [{"title": "Remove", "edit": {"changes": {NB: [delete]}}}]});
    let answered = parsed(notebooks.outgoing(message(answer)));
    let edit = &answered[0]["result"][0]["edit"]["changes"][cell(3)][0];
    assert_eq!(edit["range"], json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 16}}), "{answered:?}");
}

#[test]
fn a_hover_names_cells_not_lines_of_the_joined_code() {
    let (notebooks, _) = opened();
    let hover = json!({"jsonrpc": "2.0", "id": 13, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": cell(3)}, "position": {"line": 0, "character": 5}}});
    notebooks.incoming("textDocument/hover", message(hover));
    let text = "Defined at analysis.ipynb:3 in module analysis[ipynb]; called at analysis.ipynb:5 and at other.py:3";
    let answer = json!({"jsonrpc": "2.0", "id": 13, "result": {"contents": {"kind": "markdown", "value": text}}});
    let answered = parsed(notebooks.outgoing(message(answer)));
    let expected = "Defined at analysis.ipynb:cell 1:3 in module analysis[ipynb]; called at analysis.ipynb:cell 3:1 and at other.py:3";
    assert_eq!(answered[0]["result"]["contents"]["value"], expected);
}

#[test]
fn only_cells_whose_diagnostics_changed_are_published_again() {
    let (notebooks, _) = opened();
    let publish = |line: u32| {
        let range = json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 1}});
        message(json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": NB, "version": 1, "diagnostics": [
            {"message": "unused", "range": range},
        ]}}))
    };
    assert_eq!(notebooks.outgoing(publish(4)).len(), 3, "the first publish clears every cell");
    assert!(notebooks.outgoing(publish(4)).is_empty(), "nothing changed");
    let moved = parsed(notebooks.outgoing(publish(0)));
    let uris: Vec<&str> = moved.iter().map(|m| m["params"]["uri"].as_str().unwrap()).collect();
    assert_eq!(uris, [cell(1), cell(3)]);
}

#[test]
fn a_pulled_report_is_the_notebooks_cut_to_the_cell() {
    let (notebooks, _) = opened();
    let pull = json!({"jsonrpc": "2.0", "id": 9, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": cell(3)}}});
    let asked = to_server(notebooks.incoming("textDocument/diagnostic", message(pull)));
    assert_eq!(asked[0]["params"]["textDocument"]["uri"], NB);
    let range = |line: u32| json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 1}});
    let report = json!({"jsonrpc": "2.0", "id": 9, "result": {"kind": "full", "resultId": "1-a", "items": [
        {"message": "in cell 1", "range": range(0)}, {"message": "in cell 3", "range": range(4)},
    ]}});
    let answered = parsed(notebooks.outgoing(message(report)));
    assert_eq!(answered[0]["result"]["kind"], "full");
    assert_eq!(answered[0]["result"]["items"], json!([{"message": "in cell 3", "range": range(0)}]));
}

#[test]
fn a_cell_already_open_in_another_notebook_keeps_its_owner() {
    let (notebooks, _) = opened();
    let other = json!({"jsonrpc": "2.0", "method": "notebookDocument/didOpen", "params": {
        "notebookDocument": {"uri": "file:///w/other.ipynb", "notebookType": "jupyter-notebook", "version": 1, "cells": [{"kind": 2, "document": cell(3)}]},
        "cellTextDocuments": [{"uri": cell(3), "languageId": "python", "version": 1, "text": "y = 2"}],
    }});
    let (server, _) = routed(notebooks.incoming("notebookDocument/didOpen", message(other)));
    assert!(server.iter().all(|m| m["method"] != "textDocument/didOpen"), "{server:?}");
    let hover = json!({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": {"textDocument": {"uri": cell(3)}, "position": {"line": 0, "character": 0}}});
    assert_eq!(to_server(notebooks.incoming("textDocument/hover", message(hover)))[0]["params"]["textDocument"]["uri"], NB);
}
