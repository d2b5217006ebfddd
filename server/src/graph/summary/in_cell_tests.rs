//! A keystroke in a notebook's cell is spliced (not the whole notebook
//! parsed again) when what it re-parses lies in that cell, and the graph
//! then holds what a whole parse of the cells gives.

use std::path::{Path, PathBuf};

use crate::graph::Graph;
use crate::notebook::{Cell, CellKind, Notebook};

const NB: &str = "/ws/nb.ipynb";

fn notebook(cells: &[&str]) -> Notebook {
    Notebook::from_cells(cells.iter().map(|text| Cell { kind: CellKind::Code, language: "python", text }))
}

/// A graph holding the notebook of `cells`.
fn opened(cells: &[&str]) -> Graph {
    let mut graph = Graph::new(vec![PathBuf::from("/ws")]);
    let notebook = notebook(cells);
    graph.update_notebook_deferred(Path::new(NB), notebook.source(), &notebook.cell_ranges());
    graph
}

/// How many times the notebook was parsed whole when `graph` took the
/// notebook of `cells`; asserts the graph then holds what a fresh parse
/// of them gives.
fn whole_parses(graph: &mut Graph, cells: &[&str]) -> usize {
    let notebook = notebook(cells);
    let log = crate::logging::captured(tracing::Level::DEBUG, || {
        graph.update_notebook_deferred(Path::new(NB), notebook.source(), &notebook.cell_ranges());
    });
    let summary = |graph: &Graph| graph.file(graph.file_id(Path::new(NB)).expect("the notebook")).expect("its entry").summary.clone();
    assert_eq!(summary(graph), summary(&opened(cells)), "after {cells:?}");
    log.matches("whole text summarised").count()
}

const CELLS: [&str; 4] = ["import json", "def f(n):\n    return json.dumps(n)", "x = f(1)", "y = x"];

#[test]
fn typing_in_a_cell_moves_the_cells_after_it_and_is_spliced() {
    let mut graph = opened(&CELLS);
    // The notebooks bench's keystrokes: a new line and a name at the end
    // of a cell, then the name typed on. The first is found as `q\n`
    // inserted before the next cell's statement, which it re-parses too:
    // whole, as before.
    assert_eq!(whole_parses(&mut graph, &[CELLS[0], CELLS[1], "x = f(1)\nq", CELLS[3]]), 1);
    for typed in ["x = f(1)\nqx", "x = f(1)\nqxy"] {
        assert_eq!(whole_parses(&mut graph, &[CELLS[0], CELLS[1], typed, CELLS[3]]), 0, "{typed:?}");
    }
    // Inside a function of another cell.
    assert_eq!(whole_parses(&mut graph, &[CELLS[0], "def f(n):\n    return json.dumps(n + 1)", "x = f(1)\nqxy", CELLS[3]]), 0);
}

#[test]
fn a_comment_typed_at_a_cells_end_is_spliced() {
    // The pulled notebooks bench's keystrokes: text typed in a comment at
    // the end of a cell's last line (statsmodels' cells 25 and 26).
    let fig = "fig = plt.figure(figsize=(16, 9))\nfig = res.plot_diagnostics(fig=fig, lags=30)";
    let cells = ["import json", fig, "sel = ar_select_order(yoy_housing, 13, glob=True)"];
    let mut graph = opened(&cells);
    whole_parses(&mut graph, &[cells[0], &format!("{fig}#"), cells[2]]);
    for typed in ["x", "xy"] {
        assert_eq!(whole_parses(&mut graph, &[cells[0], &format!("{fig}#{typed}"), cells[2]]), 0, "{typed:?}");
    }
    // Must not be carried over as a comment: its line break typed and a
    // statement after it, which the graph then holds as a fresh parse does.
    whole_parses(&mut graph, &[cells[0], &format!("{fig}#xy\nz = 1"), cells[2]]);
    assert!(graph.file(graph.file_id(Path::new(NB)).unwrap()).unwrap().summary.definitions.iter().any(|d| &*d.name == "z"));
}

#[test]
fn a_new_layout_or_a_broken_cell_is_parsed_whole() {
    let mut graph = opened(&CELLS);
    // A cell added: no keystroke's move of the old layout.
    assert_eq!(whole_parses(&mut graph, &[CELLS[0], CELLS[1], "", CELLS[2], CELLS[3]]), 1);
    let mut graph = opened(&CELLS);
    // A bracket left open: the cell's recovery is the whole parse's.
    assert_eq!(whole_parses(&mut graph, &[CELLS[0], CELLS[1], "x = f(1", CELLS[3]]), 1);
    // Mended, the summary last parsed was broken: whole again.
    assert_eq!(whole_parses(&mut graph, &CELLS), 1);
}

#[test]
fn statements_reparsed_past_their_cell_take_the_whole_parse() {
    // The next cell starts with a comment: the statements around the edit
    // run to that cell's first statement, past the edited cell.
    let cells = ["import json", "x = 1", "# the next\ny = x"];
    let mut graph = opened(&cells);
    assert_eq!(whole_parses(&mut graph, &[cells[0], "x = 12", cells[2]]), 1);
    // The same keystroke when the next cell starts with its statement.
    let cells = ["import json", "x = 1", "y = x"];
    let mut graph = opened(&cells);
    assert_eq!(whole_parses(&mut graph, &[cells[0], "x = 12", cells[2]]), 0);
}

/// Texts a cell is typed into, one edit from the next or far from it.
const TYPED: [&str; 10] = [
    "x = f(1)",
    "x = f(12)",
    "x = f(12)\nq",
    "x = f(12)\nqx",
    "def g(n):\n    return n",
    "def g(n):\n    return n + x",
    "class A:\n    def m(self):\n        return y",
    "# a note\nz = 2",
    "w = (1,",
    "",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Any cell retyped, one after another: the graph holds what a whole
    /// parse of the cells gives (asserted by `whole_parses`), spliced or not.
    #[test]
    fn retyped_cells_equal_a_whole_parse(steps in proptest::collection::vec((0..4usize, 0..TYPED.len()), 1..12)) {
        let mut cells: Vec<&str> = CELLS.to_vec();
        let mut graph = opened(&cells);
        for (cell, typed) in steps {
            cells[cell] = TYPED[typed];
            whole_parses(&mut graph, &cells);
        }
    }
}
