//! Answers about a notebook's cells: edits made with the line breaks of
//! the cell they land in, refusals naming cells.

use serde_json::{Value, json};

use super::Notebooks;
use super::tests::{NB, cell, message, opened, parsed, to_server};

/// A notebook of the code cells `texts`.
fn notebook_of(texts: &[&str]) -> Notebooks {
    let notebooks = Notebooks::default();
    let cells: Vec<Value> = (1..=texts.len()).map(|n| json!({"kind": 2, "document": cell(n)})).collect();
    let documents: Vec<Value> =
        texts.iter().enumerate().map(|(i, text)| json!({"uri": cell(i + 1), "languageId": "python", "version": 1, "text": text})).collect();
    let open = json!({"jsonrpc": "2.0", "method": "notebookDocument/didOpen", "params": {
        "notebookDocument": {"uri": NB, "notebookType": "jupyter-notebook", "version": 1, "cells": cells}, "cellTextDocuments": documents}});
    to_server(notebooks.incoming("notebookDocument/didOpen", message(open)));
    notebooks
}

/// The text the client is asked to insert in cell `n` for a code action
/// answered with an insertion of `text` at the joined text's `line`.
fn inserted(notebooks: &Notebooks, id: u32, n: usize, line: u32, text: &str) -> Value {
    let at = json!({"line": 0, "character": 0});
    let actions = json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/codeAction", "params": {
        "textDocument": {"uri": cell(n)}, "range": {"start": at, "end": at}, "context": {"diagnostics": []}}});
    notebooks.incoming("textDocument/codeAction", message(actions));
    let at = json!({"line": line, "character": 0});
    let edit = json!({"changes": {NB: [{"range": {"start": at, "end": at}, "newText": text}]}});
    let answer = json!({"jsonrpc": "2.0", "id": id, "result": [{"title": "Extract", "edit": edit}]});
    parsed(notebooks.outgoing(message(answer)))[0]["result"][0]["edit"]["changes"][cell(n)][0]["newText"].clone()
}

#[test]
fn an_edit_takes_the_line_breaks_of_the_cell_it_lands_in() {
    // Joined: `a = 1\r\n`, `b = 2\r\n`, `\n`, `c = a\n`, `d = b\n`, `\n`, `e = 1\n`.
    let notebooks = notebook_of(&["a = 1\r\nb = 2\r\n", "c = a\nd = b\n", "e = 1"]);
    assert_eq!(inserted(&notebooks, 1, 2, 3, "def f():\r\n    return 1\r\n"), "def f():\n    return 1\n");
    assert_eq!(inserted(&notebooks, 2, 1, 0, "def f():\n    return 1\r\n"), "def f():\r\n    return 1\r\n");
    // Must not: a cell without a line break of its own keeps the edit's.
    assert_eq!(inserted(&notebooks, 3, 3, 6, "x = 1\r\n"), "x = 1\r\n");
    assert_eq!(inserted(&notebooks, 4, 2, 3, "x"), "x");
}

#[test]
fn a_cell_of_bare_carriage_returns_gets_its_edits_with_them() {
    // Joined: `a = 1\r`, `b = 2\n`, `c = a\n`, `d = b\n`: the first cell's
    // own line break is a bare `\r` (an old Mac file's), which ends a line in LSP.
    let notebooks = notebook_of(&["a = 1\rb = 2", "c = a\nd = b"]);
    assert_eq!(inserted(&notebooks, 1, 1, 1, "def f():\n    return 1\n"), "def f():\r    return 1\r");
    // Must stay: the next cell's `\n`.
    assert_eq!(inserted(&notebooks, 2, 2, 2, "def f():\r\n    return 1\r\n"), "def f():\n    return 1\n");
}

#[test]
fn a_bare_carriage_return_typed_in_a_cell_moves_the_next_cells_edits_down_a_line() {
    let notebooks = notebook_of(&["a = 1", "b = 2"]);
    let at = |line: u32, character: u32| json!({"line": line, "character": character});
    let typed = |uri: String, line: u32, character: u32, text: &str| json!({"document": {"uri": uri, "version": 2}, "changes": [{"range": {"start": at(line, character), "end": at(line, character)}, "text": text}]});
    let change = json!({"jsonrpc": "2.0", "method": "notebookDocument/didChange", "params": {
        "notebookDocument": {"uri": NB, "version": 2},
        "change": {"cells": {"textContent": [typed(cell(1), 0, 5, "\rz"), typed(cell(2), 0, 0, "y")]}}}});
    let sent = to_server(notebooks.incoming("notebookDocument/didChange", message(change)))[0]["params"]["contentChanges"].clone();
    // Ranged where they were typed (not the whole text): the second cell
    // starts a line further down, as LSP counts the `\r`.
    let expected = json!([{"range": {"start": at(0, 5), "end": at(0, 5)}, "text": "\rz"}, {"range": {"start": at(2, 0), "end": at(2, 0)}, "text": "y"}]);
    assert_eq!(sent, expected);
}

#[test]
fn a_refusal_names_the_cell_not_the_line_of_the_joined_code() {
    let (notebooks, _) = opened();
    let refused = |id: u32, reason: &str| {
        let rename = json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/rename", "params": {
            "textDocument": {"uri": cell(1)}, "position": {"line": 2, "character": 5}, "newName": "read"}});
        notebooks.incoming("textDocument/rename", message(rename));
        let answer = json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32803, "message": reason}});
        parsed(notebooks.outgoing(message(answer)))[0]["error"]["message"].clone()
    };
    assert_eq!(
        refused(1, "the IPython escape at analysis.ipynb:5 spells `load`; rename refused"),
        "the IPython escape at analysis.ipynb:cell 3:1 spells `load`; rename refused"
    );
    // Must not: a line of another file is its own.
    assert_eq!(refused(2, "the call at helpers.py:5 spells `load`"), "the call at helpers.py:5 spells `load`");
}

#[test]
fn fix_all_asked_in_a_cell_without_python_is_asked_in_the_first_python_cell() {
    let (notebooks, _) = opened();
    let asked = |n: usize, only: &str| {
        let range = json!({"start": {"line": 0, "character": 2}, "end": {"line": 0, "character": 2}});
        let actions = json!({"jsonrpc": "2.0", "id": 30, "method": "textDocument/codeAction", "params": {
            "textDocument": {"uri": cell(n)}, "range": range, "context": {"diagnostics": [{"message": "x", "range": range}], "only": [only]}}});
        super::tests::routed(notebooks.incoming("textDocument/codeAction", message(actions)))
    };
    // Cell 2 is markdown.
    let (server, client) = asked(2, "source.fixAll");
    assert!(client.is_empty(), "{client:?}");
    let at = json!({"line": 0, "character": 0});
    assert_eq!(server[0]["params"]["textDocument"]["uri"], NB);
    assert_eq!(server[0]["params"]["range"], json!({"start": at, "end": at}));
    assert_eq!(server[0]["params"]["context"]["diagnostics"], json!([]));
    // Must not: another action asked there answers nothing.
    let (server, client) = asked(2, "quickfix");
    assert!(server.is_empty());
    assert_eq!(client[0]["result"], Value::Null);
}
