//! Cells a request gets nothing from: one nesting brackets too deep to
//! analyse (left out of the module with its error, the other cells
//! analysed), one holding no Python; each refusal logged with its reason.

use serde_json::{Value, json};

use super::Notebooks;
use super::tests::{NB, cell, message, opened, parsed, routed};
use crate::workspace::MAX_NESTING;

/// The notebook `x = 1`, `y = ` nested `depth` deep, `z = x`: its joined
/// text as the server gets it.
fn opened_with_depth(depth: usize) -> (Notebooks, String) {
    let notebooks = Notebooks::default();
    let deep = format!("y = {}{}", "(".repeat(depth), ")".repeat(depth));
    let texts = ["x = 1", deep.as_str(), "z = x"];
    let cells: Vec<Value> = (1..=3).map(|n| json!({"kind": 2, "document": cell(n)})).collect();
    let documents: Vec<Value> =
        texts.iter().enumerate().map(|(i, text)| json!({"uri": cell(i + 1), "languageId": "python", "version": 1, "text": text})).collect();
    let open = json!({"jsonrpc": "2.0", "method": "notebookDocument/didOpen", "params": {
        "notebookDocument": {"uri": NB, "notebookType": "jupyter-notebook", "version": 1, "cells": cells}, "cellTextDocuments": documents}});
    let (server, _) = routed(notebooks.incoming("notebookDocument/didOpen", message(open)));
    let text = server[0]["params"]["textDocument"]["text"].as_str().unwrap().to_owned();
    (notebooks, text)
}

/// The codes of the diagnostics each cell gets when the server publishes none.
fn codes_per_cell(notebooks: &Notebooks) -> Vec<(String, Vec<Value>)> {
    let publish = json!({"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": NB, "version": 1, "diagnostics": []}});
    let published = parsed(notebooks.outgoing(message(publish)));
    let codes = |m: &Value| m["params"]["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].clone()).collect();
    published.iter().map(|m| (m["params"]["uri"].as_str().unwrap().to_owned(), codes(m))).collect()
}

#[test]
fn a_cell_nesting_too_deep_is_left_out_with_its_error_and_the_rest_analysed() {
    let (notebooks, text) = opened_with_depth(MAX_NESTING + 1);
    assert_eq!(text, "x = 1\nz = x\n");
    let codes = codes_per_cell(&notebooks);
    assert_eq!(codes, [(cell(1), vec![]), (cell(2), vec![json!("E999")]), (cell(3), vec![])]);
    // Pulled, the cell's report is its error; the others' come from the server.
    let pull = json!({"jsonrpc": "2.0", "id": 5, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": cell(2)}}});
    let (server, client) = routed(notebooks.incoming("textDocument/diagnostic", message(pull)));
    assert!(server.is_empty());
    assert_eq!(client[0]["result"]["items"][0]["code"], "E999");
}

#[test]
fn a_cell_nesting_as_deep_as_the_limit_is_analysed() {
    let (notebooks, text) = opened_with_depth(MAX_NESTING);
    assert_eq!(text, format!("x = 1\ny = {}{}\nz = x\n", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING)));
    assert!(codes_per_cell(&notebooks).iter().all(|(_, codes)| codes.is_empty()));
}

/// What `run` logs at the server's default level.
fn logged(run: impl FnOnce()) -> String {
    crate::logging::captured(tracing::Level::INFO, run)
}

#[test]
fn a_request_answered_with_nothing_is_logged_with_its_reason() {
    let (notebooks, _) = opened();
    let hover = |n: usize| {
        message(json!({"jsonrpc": "2.0", "id": n, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": cell(n)}, "position": {"line": 0, "character": 0}}}))
    };
    let log = logged(|| {
        let (_, client) = routed(notebooks.incoming("textDocument/hover", hover(2)));
        assert_eq!(client[0]["result"], Value::Null);
    });
    assert!(log.contains(&format!("textDocument/hover answered with nothing: cell {} holds no Python", cell(2))), "{log}");
    let log = logged(|| {
        let (_, client) = routed(notebooks.incoming("textDocument/hover", hover(9)));
        assert_eq!(client[0]["result"], Value::Null);
    });
    assert!(log.contains(&format!("{} is no open cell", cell(9))), "{log}");
    // Must stay quiet: a request in a Python cell goes to the server.
    let log = logged(|| assert_eq!(routed(notebooks.incoming("textDocument/hover", hover(3))).0.len(), 1));
    assert!(log.is_empty(), "{log}");
}
