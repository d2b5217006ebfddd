//! Notebook notifications that disagree with themselves or come out of
//! order are refused whole with a warning, the notebook left as it was;
//! each beside the valid message it must not stop.

use serde_json::{Value, json};

use super::Notebooks;
use super::tests::{NB, cell, code, message, open_with, opened, refused, to_server};

const JOINED: &str = "import os\n\ndef load(p):\n    return p\nx = load(os.sep)\n";

fn text(n: usize, text: &str) -> Value {
    json!({"uri": cell(n), "languageId": "python", "version": 1, "text": text})
}

/// `didChange` of the notebook at `version`, typing `typed` at the start of
/// cell 3 as its version `cell_version`.
fn typed(version: i64, cell_version: i64, typed: &str) -> Vec<u8> {
    let at = json!({"line": 0, "character": 0});
    message(json!({"jsonrpc": "2.0", "method": "notebookDocument/didChange", "params": {
        "notebookDocument": {"uri": NB, "version": version},
        "change": {"cells": {"textContent": [{"document": {"uri": cell(3), "version": cell_version}, "changes": [
            {"range": {"start": at, "end": at}, "text": typed}]}]}},
    }}))
}

fn opened_text(notebooks: &Notebooks, messages: Vec<super::Routed>) -> String {
    let out = to_server(messages);
    assert_eq!(out[0]["method"], "textDocument/didOpen");
    let text = out[0]["params"]["textDocument"]["text"].as_str().unwrap().to_owned();
    assert!(notebooks.notebook(NB, &text).is_some());
    text
}

#[test]
fn a_cell_listed_twice_refuses_the_open_and_a_valid_open_then_works() {
    let notebooks = Notebooks::default();
    let twice = open_with(json!([code(1), code(1)]), json!([text(1, "import os"), text(1, "x = undefined_d")]), 1);
    let reason = refused(notebooks.incoming("notebookDocument/didOpen", twice));
    assert!(reason.contains("listed twice"), "{reason}");
    assert!(!notebooks.is_open(NB));
    // Must still work: the same notebook opened with each cell once.
    let once = open_with(json!([code(1), code(2)]), json!([text(1, "import os"), text(2, "x = undefined_d")]), 1);
    assert_eq!(opened_text(&notebooks, notebooks.incoming("notebookDocument/didOpen", once)), "import os\nx = undefined_d\n");
}

#[test]
fn a_cell_text_sent_twice_refuses_the_open() {
    let notebooks = Notebooks::default();
    let twice = open_with(json!([code(1)]), json!([text(1, "import os"), text(1, "x = 1")]), 1);
    assert!(refused(notebooks.incoming("notebookDocument/didOpen", twice)).contains("sent twice"));
    assert!(!notebooks.is_open(NB));
}

#[test]
fn a_cell_without_its_text_or_a_text_for_no_cell_refuses_the_open() {
    let notebooks = Notebooks::default();
    let bare = open_with(json!([code(1), code(2)]), json!([text(1, "import os")]), 1);
    assert!(refused(notebooks.incoming("notebookDocument/didOpen", bare)).contains(&format!("cell {} of {NB} has no text document", cell(2))));
    let stray = open_with(json!([code(1)]), json!([text(1, "import os"), text(2, "y = 2")]), 1);
    assert!(refused(notebooks.incoming("notebookDocument/didOpen", stray)).contains(&format!("cell document {} is no cell", cell(2))));
    assert!(!notebooks.is_open(NB));
    // Must still work: a notebook without cells has no texts to send.
    let empty = open_with(json!([]), json!([]), 1);
    assert_eq!(opened_text(&notebooks, notebooks.incoming("notebookDocument/didOpen", empty)).trim(), "");
}

#[test]
fn a_refused_open_leaves_the_other_notebooks_cell_texts_as_they_were() {
    let (notebooks, _) = opened();
    // Cell 3 is the open notebook's: another notebook may not take it, nor
    // replace its text on the way.
    let other = json!({"jsonrpc": "2.0", "method": "notebookDocument/didOpen", "params": {
        "notebookDocument": {"uri": "file:///w/other.ipynb", "notebookType": "jupyter-notebook", "version": 1, "cells": [code(3)]},
        "cellTextDocuments": [text(3, "y = 2")],
    }});
    assert!(refused(notebooks.incoming("notebookDocument/didOpen", message(other))).contains("already open in notebook"));
    let out = to_server(notebooks.incoming("notebookDocument/didChange", typed(2, 2, "z = 1\n")));
    assert_eq!(out[0]["params"]["contentChanges"][0]["text"], "z = 1\n", "{out:?}");
    assert!(notebooks.notebook(NB, "import os\n\ndef load(p):\n    return p\nz = 1\nx = load(os.sep)\n").is_some());
}

#[test]
fn a_stale_reopen_is_refused_and_a_newer_one_replaces_the_notebook() {
    let (notebooks, _) = opened();
    to_server(notebooks.incoming("notebookDocument/didChange", typed(5, 2, "z = 1\n")));
    let stale = open_with(json!([code(1)]), json!([text(1, "old = 1")]), 3);
    assert!(refused(notebooks.incoming("notebookDocument/didOpen", stale)).contains("older than its open version 5"));
    assert!(notebooks.notebook(NB, "import os\n\ndef load(p):\n    return p\nz = 1\nx = load(os.sep)\n").is_some(), "kept");
    // Must still work: a reopen at a version not older.
    let newer = open_with(json!([code(1)]), json!([text(1, "new = 1")]), 6);
    assert_eq!(opened_text(&notebooks, notebooks.incoming("notebookDocument/didOpen", newer)), "new = 1\n");
}

#[test]
fn a_change_out_of_order_is_refused_and_the_next_in_order_applies() {
    let (notebooks, _) = opened();
    to_server(notebooks.incoming("notebookDocument/didChange", typed(3, 2, "a = 1\n")));
    // Version 2 after 3: its edit was made against another text.
    let reason = refused(notebooks.incoming("notebookDocument/didChange", typed(2, 3, "b = 1\n")));
    assert!(reason.contains("version 2") && reason.contains("not newer than 3"), "{reason}");
    // And the same version twice.
    assert!(refused(notebooks.incoming("notebookDocument/didChange", typed(3, 3, "b = 1\n"))).contains("out of order"));
    let kept = "import os\n\ndef load(p):\n    return p\na = 1\nx = load(os.sep)\n";
    assert!(notebooks.notebook(NB, kept).is_some(), "the notebook as it was");
    // Must still work: the next version.
    to_server(notebooks.incoming("notebookDocument/didChange", typed(4, 3, "b = 1\n")));
    assert!(notebooks.notebook(NB, "import os\n\ndef load(p):\n    return p\nb = 1\na = 1\nx = load(os.sep)\n").is_some());
}

#[test]
fn a_cell_text_version_out_of_order_is_refused() {
    let (notebooks, _) = opened();
    to_server(notebooks.incoming("notebookDocument/didChange", typed(2, 4, "a = 1\n")));
    let reason = refused(notebooks.incoming("notebookDocument/didChange", typed(3, 3, "b = 1\n")));
    assert!(reason.contains(&format!("version 3 of cell {} is not newer than 4", cell(3))), "{reason}");
    // Must still work: the cell's next version, in the notebook's next.
    to_server(notebooks.incoming("notebookDocument/didChange", typed(3, 5, "b = 1\n")));
    assert!(notebooks.notebook(NB, "import os\n\ndef load(p):\n    return p\nb = 1\na = 1\nx = load(os.sep)\n").is_some());
}

fn structure(start: usize, delete: usize, cells: Value, opened: Value) -> Vec<u8> {
    message(json!({"jsonrpc": "2.0", "method": "notebookDocument/didChange", "params": {
        "notebookDocument": {"uri": NB, "version": 2},
        "change": {"cells": {"structure": {"array": {"start": start, "deleteCount": delete, "cells": cells}, "didOpen": opened}}},
    }}))
}

#[test]
fn a_cell_inserted_without_its_text_or_a_text_not_inserted_is_refused() {
    let (notebooks, _) = opened();
    let bare = structure(3, 0, json!([code(4)]), json!([]));
    assert!(refused(notebooks.incoming("notebookDocument/didChange", bare)).contains(&format!("cell {} is inserted in {NB} with no text document", cell(4))));
    let stray = structure(3, 0, json!([]), json!([text(4, "y = 2")]));
    assert!(refused(notebooks.incoming("notebookDocument/didChange", stray)).contains("opened but not inserted"));
    assert!(notebooks.notebook(NB, JOINED).is_some(), "the notebook as it was");
    // Must still work: a cell inserted with its text.
    let added = structure(3, 0, json!([code(4)]), json!([text(4, "y = 2")]));
    to_server(notebooks.incoming("notebookDocument/didChange", added));
    assert!(notebooks.notebook(NB, &format!("{JOINED}y = 2\n")).is_some());
}

#[test]
fn a_text_change_of_a_cell_the_notebook_never_had_is_refused() {
    let (notebooks, _) = opened();
    let at = json!({"line": 0, "character": 0});
    let change = message(json!({"jsonrpc": "2.0", "method": "notebookDocument/didChange", "params": {
        "notebookDocument": {"uri": NB, "version": 2},
        "change": {"cells": {"textContent": [{"document": {"uri": cell(9), "version": 2}, "changes": [{"range": {"start": at, "end": at}, "text": "y"}]}]}},
    }}));
    assert!(refused(notebooks.incoming("notebookDocument/didChange", change)).contains(&format!("cell {} is no cell of {NB}", cell(9))));
    assert!(notebooks.notebook(NB, JOINED).is_some());
}
