//! A notebook on disk that the graph does not hold (closed in the editor)
//! and that spells a renamed name where it may reach it: the rename is
//! refused naming its cell; a name no other file can reach is not.

use super::*;
use crate::graph::tests::fixture_graph;

/// Where `report.ipynb` (a markdown cell, then `code`) stops the rename
/// of the name at `at` in the fixture's `helper.py`, or `None`; and
/// whether the closed notebooks were listed for it.
fn stopped_at_listing(code: &str, at: &str) -> (Option<String>, bool) {
    let dir = tempfile::tempdir().unwrap();
    let notebook = dir.path().join("report.ipynb");
    let cells = serde_json::json!([
        {"cell_type": "markdown", "metadata": {}, "source": "# Report"},
        {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": code},
    ]);
    std::fs::write(&notebook, serde_json::json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}).to_string()).unwrap();
    let (graph, file, _) = fixture_graph("//- /helper.py\ndef greet(name):\n    total = 1\n    return name * total\n$0");
    let offset = graph.file(file).unwrap().text().find(at).unwrap() as u32;
    let target = prepare(&graph, file, offset).unwrap();
    let listed = std::cell::Cell::new(false);
    let closed = || {
        listed.set(true);
        Ok::<_, std::convert::Infallible>(vec![notebook.clone()])
    };
    let Ok(place) = closed_notebook_spelling(&graph, &target, closed);
    (place.map(|place| place.replace(&notebook.display().to_string(), "report.ipynb")), listed.get())
}

fn stopped_at(code: &str, at: &str) -> Option<String> {
    stopped_at_listing(code, at).0
}

#[test]
fn a_closed_notebook_spelling_what_a_rename_changes_refuses_it_naming_the_cell() {
    let code = "import helper\n\ntotal = helper.greet(name='a')\n";
    assert_eq!(stopped_at(code, "greet").as_deref(), Some("report.ipynb:cell 2:3"));
    // A parameter is passed by keyword.
    assert_eq!(stopped_at(code, "name").as_deref(), Some("report.ipynb:cell 2:3"));
    // Must not: a function's own local, which the notebook's `total` is not;
    // a notebook spelling another word (`greeting`).
    assert_eq!(stopped_at(code, "total"), None);
    assert_eq!(stopped_at("greeting = 1\n", "greet"), None);
}

#[test]
fn a_local_s_rename_lists_no_notebook() {
    let code = "import helper\n\ntotal = helper.greet(name='a')\n";
    assert_eq!(stopped_at_listing(code, "total"), (None, false));
    // The twin: a function other files may call walks the workspace.
    assert!(stopped_at_listing(code, "greet").1);
}
