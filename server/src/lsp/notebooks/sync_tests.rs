//! A notebook's `didChange` applied whole or not at all.

use serde_json::{Value, json};

use super::tests::{NB, cell, message, opened, refused, routed};

/// A `didChange` deleting `deleted` cells from `start` (their documents
/// closed) and carrying `text_content`.
fn delete_and_type(start: usize, deleted: &[usize], text_content: Value) -> Vec<u8> {
    let closed: Vec<Value> = deleted.iter().map(|n| json!({"uri": cell(*n)})).collect();
    message(json!({"jsonrpc": "2.0", "method": "notebookDocument/didChange", "params": {
        "notebookDocument": {"uri": NB, "version": 2},
        "change": {"cells": {
            "structure": {"array": {"start": start, "deleteCount": deleted.len(), "cells": []}, "didClose": closed},
            "textContent": text_content,
        }},
    }}))
}

fn typed(n: usize, line: u32, character: u32, text: &str) -> Value {
    let at = json!({"line": line, "character": character});
    json!({"document": {"uri": cell(n), "version": 2}, "changes": [{"range": {"start": at, "end": at}, "text": text}]})
}

#[test]
fn a_cell_deleted_with_text_typed_in_it_is_deleted_and_the_rest_applied() {
    let (notebooks, _) = opened();
    // Typed in the third cell just before it was deleted, and in the first.
    let change = delete_and_type(2, &[3], json!([typed(3, 0, 1, "0"), typed(1, 0, 9, ", sys")]));
    let (server, client) = routed(notebooks.incoming("notebookDocument/didChange", change));
    let joined = "import os, sys\n\ndef load(p):\n    return p\n";
    assert_eq!(server.len(), 1, "the server analyses the notebook the client has");
    assert_eq!(server[0]["params"]["contentChanges"], json!([{"text": joined}]));
    assert!(notebooks.notebook(NB, joined).is_some());
    assert_eq!(client, [json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": cell(3), "diagnostics": []}})]);
}

#[test]
fn a_change_with_a_part_that_cannot_be_applied_changes_nothing() {
    // Must not: a live cell's edit out of its text refuses the whole
    // change, deletion included, rather than half of it.
    let (notebooks, _) = opened();
    let change = delete_and_type(2, &[3], json!([typed(1, 7, 0, "x")]));
    assert!(refused(notebooks.incoming("notebookDocument/didChange", change)).contains("invalid change"));
    assert!(notebooks.notebook(NB, "import os\n\ndef load(p):\n    return p\nx = load(os.sep)\n").is_some(), "the notebook keeps its third cell");
    // Its next valid change applies to the cells the client still has.
    let change = delete_and_type(2, &[3], json!([]));
    let (server, _) = routed(notebooks.incoming("notebookDocument/didChange", change));
    assert_eq!(server[0]["params"]["contentChanges"], json!([{"text": "import os\n\ndef load(p):\n    return p\n"}]));
}
