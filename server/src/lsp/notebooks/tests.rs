use serde_json::{Value, json};

use super::Notebooks;
use crate::lsp::transport::Routed;

pub(super) const NB: &str = "file:///w/analysis.ipynb";

pub(super) fn cell(n: usize) -> String {
    format!("vscode-notebook-cell:/w/analysis.ipynb#C{n}")
}

pub(super) fn message(value: Value) -> Vec<u8> {
    serde_json::to_vec(&value).unwrap()
}

pub(super) fn parsed(bodies: Vec<Vec<u8>>) -> Vec<Value> {
    bodies.iter().map(|b| serde_json::from_slice(b).unwrap()).collect()
}

/// The messages for the server, and for the client, of a rewrite.
pub(super) fn routed(messages: Vec<Routed>) -> (Vec<Value>, Vec<Value>) {
    let (mut server, mut client) = (Vec::new(), Vec::new());
    for message in messages {
        match message {
            Routed::Server(body) => server.push(serde_json::from_slice(&body).unwrap()),
            Routed::Client(body) => client.push(serde_json::from_slice(&body).unwrap()),
        }
    }
    (server, client)
}

pub(super) fn to_server(messages: Vec<Routed>) -> Vec<Value> {
    let (server, client) = routed(messages);
    assert!(client.is_empty(), "{client:?}");
    server
}

/// The reason a notebook notification was refused: nothing of it reaches
/// the server, and the client is told why (a warning).
pub(super) fn refused(messages: Vec<Routed>) -> String {
    let (server, client) = routed(messages);
    assert!(server.is_empty(), "refused, yet sent to the server: {server:?}");
    assert_eq!(client.len(), 1, "{client:?}");
    assert!(matches!(client[0]["method"].as_str(), Some("window/logMessage" | "window/showMessage")), "{client:?}");
    assert_eq!(client[0]["params"]["type"], 2, "a warning: {client:?}");
    client[0]["params"]["message"].as_str().unwrap().to_owned()
}

/// A notebook of a code cell, a markdown cell and a second code cell.
/// `didOpen` of the notebook at its `version`, of `cells` with `texts`.
pub(super) fn open_with(cells: Value, texts: Value, version: i32) -> Vec<u8> {
    message(json!({"jsonrpc": "2.0", "method": "notebookDocument/didOpen", "params": {
        "notebookDocument": {"uri": NB, "notebookType": "jupyter-notebook", "version": version, "cells": cells},
        "cellTextDocuments": texts,
    }}))
}

/// Code cell `n` of a notebook's cell list.
pub(super) fn code(n: usize) -> Value {
    json!({"kind": 2, "document": cell(n)})
}

pub(super) fn opened() -> (Notebooks, Vec<Value>) {
    opened_at(NB)
}

fn opened_at(uri: &str) -> (Notebooks, Vec<Value>) {
    let notebooks = Notebooks::default();
    let open = json!({"jsonrpc": "2.0", "method": "notebookDocument/didOpen", "params": {
        "notebookDocument": {"uri": uri, "notebookType": "jupyter-notebook", "version": 1, "cells": [
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
    assert!(
        refused(notebooks.incoming("notebookDocument/didChange", message(bad))).contains("are not in the 4 cells"),
        "a change that does not fit is refused"
    );
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
fn a_refusal_asked_in_a_py_file_names_the_notebooks_cell() {
    let (notebooks, _) = opened();
    // A rename asked in `helper.py`: no cell asked, no notebook URI in the answer.
    let rename = json!({"jsonrpc": "2.0", "id": 14, "method": "textDocument/rename", "params": {
        "textDocument": {"uri": "file:///w/helper.py"}, "position": {"line": 0, "character": 4}, "newName": "hello"}});
    notebooks.incoming("textDocument/rename", message(rename));
    let reason = "the IPython escape at analysis.ipynb:5 spells `load`; rename refused";
    let answer = json!({"jsonrpc": "2.0", "id": 14, "error": {"code": -32803, "message": reason}});
    let answered = parsed(notebooks.outgoing(message(answer)));
    assert_eq!(answered[0]["error"]["message"], "the IPython escape at analysis.ipynb:cell 3:1 spells `load`; rename refused");
    // Must not: a line of a notebook that is not open stays as it is.
    let reason = "the string at other.ipynb:5 spells `load`";
    let answer = json!({"jsonrpc": "2.0", "id": 15, "error": {"code": -32803, "message": reason}});
    assert_eq!(parsed(notebooks.outgoing(message(answer)))[0]["error"]["message"], reason);
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
fn a_cell_edited_is_published_again_at_its_new_version_and_the_others_are_not() {
    let (notebooks, _) = opened();
    let publish = |version: i64| {
        let range = json!({"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 1}});
        message(json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": NB, "version": version, "diagnostics": [
            {"message": "unused", "range": range},
        ]}}))
    };
    assert_eq!(notebooks.outgoing(publish(1)).len(), 3);
    let typed = json!({"jsonrpc": "2.0", "method": "notebookDocument/didChange", "params": {
        "notebookDocument": {"uri": NB, "version": 2},
        "change": {"cells": {"textContent": [{"document": {"uri": cell(3), "version": 2}, "changes": [
            {"range": {"start": {"line": 0, "character": 16}, "end": {"line": 0, "character": 16}}, "text": "  #"}]}]}},
    }});
    let version = to_server(notebooks.incoming("notebookDocument/didChange", message(typed)))[0]["params"]["textDocument"]["version"].as_i64().unwrap();
    let again = parsed(notebooks.outgoing(publish(version)));
    assert_eq!(again.len(), 1, "the same diagnostics, only the edited cell's version is new: {again:?}");
    assert_eq!((again[0]["params"]["uri"].as_str(), again[0]["params"]["version"].as_i64()), (Some(cell(3).as_str()), Some(2)));
    assert_eq!(again[0]["params"]["diagnostics"][0]["message"], "unused");
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
fn a_finding_whose_fix_edits_another_cell_is_published_without_the_fix() {
    // PLR1722 in cell 3: ruff's fix imports `sys` at the top of cell 1.
    let (notebooks, _) = opened();
    let range = |line: u32, character: u32| json!({"start": {"line": line, "character": character}, "end": {"line": line, "character": character + 4}});
    let edit = |line: u32| json!({"range": range(line, 0), "newText": "sys.exit"});
    let diagnostic = |fix_line: u32| {
        json!({"message": "exit", "range": range(4, 0), "data": {"version": 1,
            "fix": {"title": "Use `sys.exit()`", "applicability": "unsafe", "edits": [edit(fix_line), edit(4)]},
            "suppress": {"title": "noqa", "applicability": "safe", "edits": [edit(4)]}}})
    };
    let publish = json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": NB, "version": 1, "diagnostics": [diagnostic(0)]}});
    let out = parsed(notebooks.outgoing(message(publish)));
    let published = &out[2]["params"]["diagnostics"];
    assert_eq!(out[2]["params"]["uri"], cell(3));
    assert_eq!(published[0]["range"], range(0, 0));
    assert_eq!(published[0]["data"]["fix"], Value::Null);
    assert_eq!(published[0]["data"]["suppress"]["edits"], json!([edit(0)]));
    // Pulled, the same.
    let pull = json!({"jsonrpc": "2.0", "id": 9, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": cell(3)}}});
    to_server(notebooks.incoming("textDocument/diagnostic", message(pull)));
    let report = json!({"jsonrpc": "2.0", "id": 9, "result": {"kind": "full", "resultId": "1-a", "items": [diagnostic(0)]}});
    let answered = parsed(notebooks.outgoing(message(report)));
    assert_eq!(answered[0]["result"]["items"], *published);
    // Must not: a fix in the finding's own cell is kept, moved into it.
    let publish = json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": NB, "version": 1, "diagnostics": [diagnostic(4)]}});
    let out = parsed(notebooks.outgoing(message(publish)));
    assert_eq!(out[0]["params"]["diagnostics"][0]["data"]["fix"]["edits"], json!([edit(0), edit(0)]));
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

#[test]
fn answers_name_a_notebook_the_client_escapes_by_the_servers_spelling_and_land_in_its_cells() {
    // VS Code escapes `(` and `)`; the server's URIs, made from paths, do not.
    let (notebooks, _) = opened_at("file:///w/my%20%28old%29/analysis.ipynb");
    let server_spelling = "file:///w/my%20(old)/analysis.ipynb";
    let rename = json!({"jsonrpc": "2.0", "id": 2, "method": "textDocument/rename", "params": {
        "textDocument": {"uri": cell(3)}, "position": {"line": 0, "character": 5}, "newName": "read"}});
    notebooks.incoming("textDocument/rename", message(rename));
    let edit = |line: u32| json!({"range": {"start": {"line": line, "character": 4}, "end": {"line": line, "character": 8}}, "newText": "read"});
    let answer = json!({"jsonrpc": "2.0", "id": 2, "result": {"changes": {server_spelling: [edit(2), edit(4)]}}});
    let answered = parsed(notebooks.outgoing(message(answer)));
    let changes = answered[0]["result"]["changes"].as_object().unwrap();
    let uris: Vec<&String> = changes.keys().collect();
    assert_eq!(uris, [&cell(1), &cell(3)], "{answered:?}");
    assert_eq!(changes[&cell(3)][0]["range"]["start"]["line"], 0);
    let published = json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": server_spelling, "diagnostics": []}});
    let out = parsed(notebooks.outgoing(message(published)));
    assert!(out.iter().all(|m| m["params"]["uri"] != server_spelling), "published per cell: {out:?}");
}

#[test]
fn a_place_in_another_folder_that_decodes_differently_stays_where_it_is() {
    let (notebooks, _) = opened_at("file:///w/my%20%28old%29/analysis.ipynb");
    let definition = json!({"jsonrpc": "2.0", "id": 9, "method": "textDocument/definition", "params": {
        "textDocument": {"uri": cell(3)}, "position": {"line": 0, "character": 5}}});
    notebooks.incoming("textDocument/definition", message(definition));
    let elsewhere =
        json!([{"uri": "file:///w/my%20(older)/analysis.ipynb", "range": {"start": {"line": 2, "character": 4}, "end": {"line": 2, "character": 8}}}]);
    let answer = json!({"jsonrpc": "2.0", "id": 9, "result": elsewhere});
    assert_eq!(parsed(notebooks.outgoing(message(answer)))[0]["result"], elsewhere);
}

pub(super) fn structure_change(start: usize, delete: usize, cells: Value, closed: Value) -> Vec<u8> {
    message(json!({"jsonrpc": "2.0", "method": "notebookDocument/didChange", "params": {
        "notebookDocument": {"uri": NB, "version": 2},
        "change": {"cells": {"structure": {"array": {"start": start, "deleteCount": delete, "cells": cells}, "didClose": closed}}},
    }}))
}

#[test]
fn a_deleted_cell_s_diagnostics_are_cleared() {
    let (notebooks, _) = opened();
    let delete = structure_change(2, 1, json!([]), json!([{"uri": cell(3)}]));
    let (server, client) = routed(notebooks.incoming("notebookDocument/didChange", delete));
    assert_eq!(server.len(), 1);
    assert_eq!(client, [json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": cell(3), "diagnostics": []}})]);
}

#[test]
fn a_moved_cell_keeps_its_diagnostics() {
    let (notebooks, _) = opened();
    // VS Code moves a cell as a delete and an insert of the same document.
    let moved =
        structure_change(0, 3, json!([{"kind": 2, "document": cell(3)}, {"kind": 1, "document": cell(2)}, {"kind": 2, "document": cell(1)}]), json!([]));
    let (server, client) = routed(notebooks.incoming("notebookDocument/didChange", moved));
    assert_eq!(server.len(), 1);
    assert!(client.is_empty(), "{client:?}");
}

#[test]
fn a_moved_cell_keeps_its_language() {
    let notebooks = Notebooks::default();
    let texts = json!([
        {"uri": cell(1), "languageId": "python", "version": 1, "text": "x = 1"},
        {"uri": cell(2), "languageId": "r", "version": 1, "text": "y <- c(1, 2)"},
    ]);
    to_server(notebooks.incoming("notebookDocument/didOpen", open_with(json!([code(1), code(2)]), texts, 1)));
    let moved = structure_change(0, 2, json!([{"kind": 2, "document": cell(2)}, {"kind": 2, "document": cell(1)}]), json!([]));
    let out = to_server(notebooks.incoming("notebookDocument/didChange", moved));
    let text = out[0]["params"]["contentChanges"][0]["text"].as_str().unwrap();
    // Must: the R cell, moved, is still left out of the Python; must
    // still: the Python cell moved with it is in.
    assert!(!text.contains("<-"), "{text:?}");
    assert!(text.contains("x = 1"), "{text:?}");
}

#[test]
fn a_commands_document_and_position_go_to_the_cell_and_come_back_to_the_same_place() {
    let (notebooks, _) = opened();
    let actions = json!({"jsonrpc": "2.0", "id": 14, "method": "textDocument/codeAction", "params": {
        "textDocument": {"uri": cell(3)}, "range": {"start": {"line": 0, "character": 4}, "end": {"line": 0, "character": 4}}, "context": {"diagnostics": []}}});
    notebooks.incoming("textDocument/codeAction", message(actions));
    let at = |uri: &str, line: u32| json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": 4}, "target": "file:///w/load.py"});
    let command = |argument: Value| json!({"title": "Move", "command": "pyloom.moveSymbol", "arguments": [argument]});
    let answer = json!({"jsonrpc": "2.0", "id": 14, "result": [{"title": "Move", "command": command(at(NB, 4))}]});
    let answered = parsed(notebooks.outgoing(message(answer)));
    assert_eq!(answered[0]["result"][0]["command"]["arguments"][0], at(&cell(3), 0));
    let execute = json!({"jsonrpc": "2.0", "id": 15, "method": "workspace/executeCommand", "params": command(at(&cell(3), 0))});
    let asked = to_server(notebooks.incoming("workspace/executeCommand", message(execute)));
    assert_eq!(asked[0]["params"]["arguments"][0], at(NB, 4));
}

#[test]
fn a_snippet_runs_line_in_a_cell_is_that_cells_line() {
    // Tester case 09: `{uri: <cell>, line}` ran cell 1's doctest.
    let (notebooks, _) = opened();
    let run = |argument: Value| json!({"jsonrpc": "2.0", "id": 17, "method": "workspace/executeCommand", "params": {"command": "pyloom.runSnippetTests", "arguments": [argument]}});
    let asked = to_server(notebooks.incoming("workspace/executeCommand", message(run(json!({"uri": cell(3), "line": 0})))));
    assert_eq!(asked[0]["params"]["arguments"][0], json!({"uri": NB, "line": 4}));
    // Must not: the notebook's own line (a lens's) and another file's stay.
    for own in [json!({"uri": NB, "line": 4}), json!({"uri": "file:///w/helpers.py", "line": 2})] {
        let asked = to_server(notebooks.incoming("workspace/executeCommand", message(run(own.clone()))));
        assert_eq!(asked[0]["params"]["arguments"][0], own);
    }
}

#[test]
fn a_commands_position_in_another_file_is_its_own() {
    let (notebooks, _) = opened();
    let at = json!({"textDocument": {"uri": "file:///w/helpers.py"}, "position": {"line": 4, "character": 4}});
    let actions = json!({"jsonrpc": "2.0", "id": 14, "method": "textDocument/codeAction", "params": {
        "textDocument": {"uri": cell(3)}, "range": {"start": {"line": 0, "character": 4}, "end": {"line": 0, "character": 4}}, "context": {"diagnostics": []}}});
    notebooks.incoming("textDocument/codeAction", message(actions));
    let answer = json!({"jsonrpc": "2.0", "id": 14, "result": [{"title": "Go", "command": {"title": "Go", "command": "x", "arguments": [at]}}]});
    assert_eq!(parsed(notebooks.outgoing(message(answer)))[0]["result"][0]["command"]["arguments"][0], at);
    let execute = json!({"jsonrpc": "2.0", "id": 16, "method": "workspace/executeCommand", "params": {"command": "pyloom.moveSymbol", "arguments": [at]}});
    let asked = to_server(notebooks.incoming("workspace/executeCommand", message(execute)));
    assert_eq!(asked[0]["params"]["arguments"][0], at);
}

#[test]
fn a_cells_own_text_change_edits_the_notebook_and_its_open_is_ignored() {
    let (notebooks, _) = opened();
    let change = json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": cell(3), "version": 2},
        "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "text": "y"}]}});
    let out = to_server(notebooks.incoming("textDocument/didChange", message(change)));
    assert_eq!(out[0]["method"], "textDocument/didChange");
    assert_eq!(out[0]["params"]["textDocument"], json!({"uri": NB, "version": 2}), "the server's copy gets a newer version");
    // The cell's first line is the joined text's fifth.
    let range = json!({"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 1}});
    assert_eq!(out[0]["params"]["contentChanges"], json!([{"range": range, "text": "y"}]));
    assert!(notebooks.notebook(NB, "import os\n\ndef load(p):\n    return p\ny = load(os.sep)\n").is_some());
    // The cell's text is the notebook's: a didOpen of it changes nothing.
    let reopen = json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": cell(3), "languageId": "python", "version": 3, "text": "z = 1"}}});
    assert!(notebooks.incoming("textDocument/didOpen", message(reopen)).is_empty());
    // A .py file's change is the server's, untouched.
    let other = message(json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": "file:///w/helpers.py", "version": 2}, "contentChanges": [{"text": "x = 1"}]}}));
    assert_eq!(to_server(notebooks.incoming("textDocument/didChange", other.clone())), [serde_json::from_slice::<Value>(&other).unwrap()]);
}

#[test]
fn a_selection_range_in_a_later_cell_keeps_its_parents_up_to_the_cell() {
    let (notebooks, _) = opened();
    let asked = json!({"jsonrpc": "2.0", "id": 17, "method": "textDocument/selectionRange", "params": {
        "textDocument": {"uri": cell(3)}, "positions": [{"line": 0, "character": 9}]}});
    notebooks.incoming("textDocument/selectionRange", message(asked));
    let range = |line: u32, from: u32, end_line: u32, to: u32| json!({"start": {"line": line, "character": from}, "end": {"line": end_line, "character": to}});
    // `os` in `load(os.sep)`, then `os.sep`, the call, the statement, the module.
    let answer = json!({"jsonrpc": "2.0", "id": 17, "result": [{"range": range(4, 9, 4, 11), "parent": {"range": range(4, 9, 4, 15),
        "parent": {"range": range(4, 4, 4, 16), "parent": {"range": range(4, 0, 4, 16), "parent": {"range": range(0, 0, 5, 0)}}}}}]});
    let answered = parsed(notebooks.outgoing(message(answer)));
    let expected = json!([{"range": range(0, 9, 0, 11), "parent": {"range": range(0, 9, 0, 15),
        "parent": {"range": range(0, 4, 0, 16), "parent": {"range": range(0, 0, 0, 16)}}}}]);
    assert_eq!(answered[0]["result"], expected);
}

#[test]
fn incoming_calls_from_module_code_are_shown_in_each_cell_that_makes_them() {
    let (notebooks, _) = opened();
    let item = |uri: &str, line: u32| {
        json!({"name": "load", "kind": 12, "uri": uri, "range": {"start": {"line": line, "character": 0}, "end": {"line": line + 1, "character": 12}},
            "selectionRange": {"start": {"line": line, "character": 4}, "end": {"line": line, "character": 8}}})
    };
    let asked = json!({"jsonrpc": "2.0", "id": 18, "method": "callHierarchy/incomingCalls", "params": {"item": item(&cell(1), 2)}});
    assert_eq!(to_server(notebooks.incoming("callHierarchy/incomingCalls", message(asked)))[0]["params"]["item"], item(NB, 2));
    let at = |line: u32, from: u32, end_line: u32, to: u32| json!({"start": {"line": line, "character": from}, "end": {"line": end_line, "character": to}});
    // The module (all the notebook) calls `load` in cell 3 and in cell 1;
    // a function of another file calls it too.
    let module = json!({"name": "analysis[ipynb]", "kind": 2, "uri": NB, "range": at(0, 0, 5, 0),
        "selectionRange": at(0, 0, 0, 0)});
    let function = json!({"name": "run", "kind": 12, "uri": "file:///w/run.py", "range": at(6, 0, 6, 20), "selectionRange": at(6, 4, 6, 7)});
    let answer = json!({"jsonrpc": "2.0", "id": 18, "result": [
        {"from": module, "fromRanges": [at(4, 4, 4, 8), at(3, 11, 3, 15)]},
        {"from": function, "fromRanges": [at(6, 10, 6, 14)]},
    ]});
    let answered = parsed(notebooks.outgoing(message(answer)));
    let expected = json!([
        {"from": {"name": "analysis[ipynb]", "kind": 2, "uri": cell(3), "range": at(0, 0, 0, 16), "selectionRange": at(0, 4, 0, 8)},
            "fromRanges": [at(0, 4, 0, 8)]},
        {"from": {"name": "analysis[ipynb]", "kind": 2, "uri": cell(1), "range": at(0, 0, 3, 12),
            "selectionRange": at(0, 0, 0, 0)}, "fromRanges": [at(3, 11, 3, 15)]},
        {"from": function, "fromRanges": [at(6, 10, 6, 14)]},
    ]);
    assert_eq!(answered[0]["result"], expected);
}

#[test]
fn an_untitled_notebook_is_served_as_a_file_of_the_workspace_folder() {
    let cell = "vscode-notebook-cell:Untitled-1.ipynb#W0sdW50aXRsZWQ%3D";
    let open = message(json!({"jsonrpc": "2.0", "method": "notebookDocument/didOpen", "params": {
        "notebookDocument": {"uri": "untitled:Untitled-1.ipynb", "notebookType": "jupyter-notebook", "version": 1, "cells": [{"kind": 2, "document": cell}]},
        "cellTextDocuments": [{"uri": cell, "languageId": "python", "version": 1, "text": "x = 1"}]}}));
    let served = "file:///w/Untitled-1.ipynb";
    let notebooks = Notebooks::default();
    let initialize = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"rootUri": "file:///w", "capabilities": {}}});
    notebooks.incoming("initialize", message(initialize));
    let out = to_server(notebooks.incoming("notebookDocument/didOpen", open.clone()));
    assert_eq!(out[0]["params"]["textDocument"]["uri"], served);
    let hover =
        json!({"jsonrpc": "2.0", "id": 19, "method": "textDocument/hover", "params": {"textDocument": {"uri": cell}, "position": {"line": 0, "character": 0}}});
    assert_eq!(to_server(notebooks.incoming("textDocument/hover", message(hover)))[0]["params"]["textDocument"]["uri"], served);
    let definition =
        json!({"jsonrpc": "2.0", "id": 19, "result": {"uri": served, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}}});
    assert_eq!(parsed(notebooks.outgoing(message(definition)))[0]["result"]["uri"], cell);
    let close = json!({"jsonrpc": "2.0", "method": "notebookDocument/didClose", "params": {"notebookDocument": {"uri": "untitled:Untitled-1.ipynb"}, "cellTextDocuments": []}});
    let (server, _) = routed(notebooks.incoming("notebookDocument/didClose", message(close)));
    assert_eq!(server[0]["params"]["textDocument"]["uri"], served);
    // Without a workspace folder it keeps its URI: diagnostics only.
    let bare = Notebooks::default();
    assert_eq!(to_server(bare.incoming("notebookDocument/didOpen", open))[0]["params"]["textDocument"]["uri"], "untitled:Untitled-1.ipynb");
}

#[test]
fn a_cell_edit_reaches_the_server_as_a_ranged_change_of_the_joined_text() {
    let (notebooks, _) = opened();
    let edit = |version: i64, uri: String, change: Value| {
        let change = json!({"jsonrpc": "2.0", "method": "notebookDocument/didChange", "params": {
            "notebookDocument": {"uri": NB, "version": version},
            "change": {"cells": {"textContent": [{"document": {"uri": uri, "version": version}, "changes": [change]}]}},
        }});
        to_server(notebooks.incoming("notebookDocument/didChange", message(change)))[0]["params"]["contentChanges"].clone()
    };
    let at = |line: u32, character: u32| json!({"line": line, "character": character});
    // Typed on the third line of the first cell, and on the only line of
    // the third (the joined text's fifth: the markdown cell is left out),
    // which the first edit's new line moves down.
    let typed = json!({"range": {"start": at(2, 0), "end": at(2, 0)}, "text": "x\n"});
    assert_eq!(edit(2, cell(1), typed.clone()), json!([typed]));
    let typed = json!({"range": {"start": at(0, 0), "end": at(0, 1)}, "text": "import sys\ny"});
    assert_eq!(edit(3, cell(3), typed), json!([{"range": {"start": at(5, 0), "end": at(5, 1)}, "text": "import sys\ny"}]));
    // A cell's whole text replaced, and a cell magic typed that takes its
    // cell out of the module: the whole joined text.
    let whole = edit(4, cell(3), json!({"text": "y = 1"}));
    assert_eq!(whole, json!([{"text": "import os\n\nx\ndef load(p):\n    return p\ny = 1\n"}]));
    let magic = edit(5, cell(3), json!({"range": {"start": at(0, 0), "end": at(0, 0)}, "text": "%%bash\n"}));
    assert_eq!(magic, json!([{"text": "import os\n\nx\ndef load(p):\n    return p\n"}]));
}

#[test]
fn diagnostics_of_the_current_notebook_carry_each_cells_version() {
    let (notebooks, _) = opened();
    let change = json!({"jsonrpc": "2.0", "method": "notebookDocument/didChange", "params": {
        "notebookDocument": {"uri": NB, "version": 2},
        "change": {"cells": {"textContent": [{"document": {"uri": cell(3), "version": 7}, "changes": [{"text": "x = load(os.sep)"}]}]}},
    }});
    to_server(notebooks.incoming("notebookDocument/didChange", message(change)));
    let publish = |version: i64, line: u32| {
        let range = json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 1}});
        message(json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": NB, "version": version, "diagnostics": [
            {"message": "unused", "range": range},
        ]}}))
    };
    let versions = |messages: Vec<Vec<u8>>| {
        parsed(messages).iter().map(|m| (m["params"]["uri"].as_str().unwrap().to_owned(), m["params"]["version"].clone())).collect::<Vec<_>>()
    };
    assert_eq!(versions(notebooks.outgoing(publish(2, 4))), [(cell(1), json!(1)), (cell(2), json!(1)), (cell(3), json!(7))]);
    // Must not: diagnostics of an older notebook text say no version.
    assert_eq!(versions(notebooks.outgoing(publish(1, 0))), [(cell(1), Value::Null), (cell(2), Value::Null), (cell(3), Value::Null)]);
}

#[test]
fn a_cell_inserted_where_it_already_is_refuses_the_change() {
    let (notebooks, _) = opened();
    let again = structure_change(3, 0, json!([{"kind": 2, "document": cell(1)}]), json!([]));
    assert!(refused(notebooks.incoming("notebookDocument/didChange", again)).contains("twice"), "refused whole");
    // Must not: the cell deleted where it was and inserted elsewhere (a move).
    let moved =
        structure_change(0, 3, json!([{"kind": 2, "document": cell(3)}, {"kind": 1, "document": cell(2)}, {"kind": 2, "document": cell(1)}]), json!([]));
    let out = to_server(notebooks.incoming("notebookDocument/didChange", moved));
    assert_eq!(out[0]["params"]["contentChanges"][0]["text"], "x = load(os.sep)\nimport os\n\ndef load(p):\n    return p\n");
}

mod joined_edits {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::{message, to_server};
    use crate::lsp::notebooks::Notebooks;
    use crate::notebook::{Cell, CellKind, Notebook};
    use crate::workspace::{Document, PositionEncoding, TextChange, TextPosition};

    const NB: &str = "file:///w/random.ipynb";
    const CELLS: &[&str] = &["import os\n\nx = 1", "", "%%time\ny = 2\n", "%matplotlib inline\ndef f():\n    return 😀", "z = 'é'\r\nw = z\r\n", "!ls {x}"];
    const TYPED: &[&str] = &["x", "\n", "import sys\n", "%%bash\n", "%time y = 1\n", "é😀", "", "\r\n", "def g(:\n", "  "];

    fn cell(n: usize) -> String {
        format!("vscode-notebook-cell:/w/random.ipynb#R{n}")
    }

    /// A position of `text`, picked by two numbers, on a character boundary
    /// in UTF-16 (the default encoding).
    fn position(text: &str, line: usize, character: usize) -> (u32, u32) {
        let lines: Vec<&str> = text.split('\n').collect();
        let line = line % lines.len();
        let chars: Vec<char> = lines[line].trim_end_matches('\r').chars().collect();
        let units: usize = chars[..character % (chars.len() + 1)].iter().map(|c| c.len_utf16()).sum();
        (line as u32, units as u32)
    }

    /// Which cells are in the module, of cells of `kinds` holding `texts`.
    fn in_module(kinds: &[(usize, bool)], texts: &[String]) -> Vec<bool> {
        let cells =
            kinds.iter().zip(texts).map(|((_, code), text)| Cell { kind: if *code { CellKind::Code } else { CellKind::Markup }, language: "python", text });
        let notebook = Notebook::from_cells(cells);
        (0..texts.len()).map(|n| notebook.cell_lines(n).is_some()).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Random edits of random cells (several cells and changes in one
        /// notification, magics typed, emoji, CRLF): the server's copy,
        /// edited by the changes it is sent, is always the cells joined
        /// again, by ranged changes unless a cell came into the module or
        /// left it (`%%bash` typed on its first line).
        #[test]
        fn cell_edits_make_the_joined_text_of_the_edited_cells(
            cells in prop::collection::vec((0..CELLS.len(), any::<bool>()), 1..6),
            edits in prop::collection::vec(prop::collection::vec((0..6usize, 0..8usize, 0..12usize, 0..3usize, 0..TYPED.len()), 1..4), 1..12),
        ) {
            let notebooks = Notebooks::default();
            let mut texts: Vec<String> = cells.iter().map(|(c, _)| CELLS[*c].to_owned()).collect();
            let kinds: Vec<Value> = cells.iter().enumerate().map(|(n, (_, code))| json!({"kind": if *code { 2 } else { 1 }, "document": cell(n)})).collect();
            let documents: Vec<Value> = cells.iter().enumerate().map(|(n, (_, code))| {
                json!({"uri": cell(n), "languageId": if *code { "python" } else { "markdown" }, "version": 1, "text": texts[n]})
            }).collect();
            let open = json!({"jsonrpc": "2.0", "method": "notebookDocument/didOpen", "params": {
                "notebookDocument": {"uri": NB, "notebookType": "jupyter-notebook", "version": 1, "cells": kinds}, "cellTextDocuments": documents}});
            let opened = to_server(notebooks.incoming("notebookDocument/didOpen", message(open)));
            let mut server = Document::new(1, opened[0]["params"]["textDocument"]["text"].as_str().unwrap(), 0);
            for (version, edit) in edits.iter().enumerate() {
                let version = version as i64 + 2;
                let mut content = Vec::new();
                let in_module_before = in_module(&cells, &texts);
                for &(at, line, character, span, typed) in edit {
                    let n = at % texts.len();
                    let start = position(&texts[n], line, character);
                    let end = position(&texts[n], line + span / 2, character + span);
                    let (start, end) = (start.min(end), start.max(end));
                    let change = TextChange { range: Some((TextPosition::new(start.0, start.1), TextPosition::new(end.0, end.1))), text: TYPED[typed].to_owned() };
                    let mut local = Document::new(1, &texts[n], 0);
                    local.apply(2, std::slice::from_ref(&change), PositionEncoding::default()).unwrap();
                    texts[n] = local.text();
                    let range = json!({"start": {"line": start.0, "character": start.1}, "end": {"line": end.0, "character": end.1}});
                    content.push(json!({"document": {"uri": cell(n), "version": version}, "changes": [{"range": range, "text": TYPED[typed]}]}));
                }
                let change = json!({"jsonrpc": "2.0", "method": "notebookDocument/didChange", "params": {
                    "notebookDocument": {"uri": NB, "version": version}, "change": {"cells": {"textContent": content}}}});
                let sent = to_server(notebooks.incoming("notebookDocument/didChange", message(change)));
                let changes: Vec<TextChange> = sent[0]["params"]["contentChanges"].as_array().unwrap().iter().map(|c| {
                    let at = |p: &Value| TextPosition::new(p["line"].as_u64().unwrap() as u32, p["character"].as_u64().unwrap() as u32);
                    TextChange { range: c["range"].is_object().then(|| (at(&c["range"]["start"]), at(&c["range"]["end"]))), text: c["text"].as_str().unwrap().to_owned() }
                }).collect();
                server.apply(version as i32, &changes, PositionEncoding::default()).unwrap();
                if in_module(&cells, &texts) == in_module_before {
                    prop_assert!(changes.iter().all(|c| c.range.is_some()), "{:?}", changes);
                }
                prop_assert!(notebooks.notebook(NB, &server.text()).is_some(), "the server's copy {:?} is not the cells joined", server.text());
            }
        }
    }
}
