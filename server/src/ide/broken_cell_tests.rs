//! A notebook cell that does not parse ends with its cell, as IPython runs
//! each cell on its own: the names of the cells after it are known to
//! hover, completion and semantic tokens. The same text in a `.py` file
//! rightly continues the open bracket or string.

use std::path::PathBuf;

use expect_test::{Expect, expect};

use super::completion::{Imports, Trigger, complete};
use crate::findings::config::Config;
use crate::graph::Span;
use crate::ide::fixture;
use crate::notebook::{Cell, CellKind, Notebook};

/// Hover, member completion and tokens at `$0` (in one of `cells`), the
/// cells held as a notebook (parsed cell by cell), and (the must-not twin)
/// as the `.py` file of the same joined text.
fn check_after_broken_cell(cells: &[&str], in_notebook: Expect, in_py_file: Expect) {
    in_notebook.assert_eq(&answers(cells, true));
    in_py_file.assert_eq(&answers(cells, false));
}

fn answers(cells: &[&str], notebook: bool) -> String {
    let asking = cells.iter().position(|c| c.contains("$0")).expect("a $0 cell");
    let unmarked: Vec<String> = cells.iter().map(|c| c.replace("$0", "")).collect();
    let joined = Notebook::from_cells(unmarked.iter().map(|text| Cell { kind: CellKind::Code, language: "python", text }));
    let (_, cell) = joined.code_cells().into_iter().nth(asking).expect("the asking cell");
    let offset = (cell.start + cells[asking].find("$0").expect("$0")) as u32;
    let cell = Span::new(cell.start as u32, cell.end as u32);
    let name = if notebook { "nb.ipynb" } else { "nb.py" };
    // The standard library's stubs (`json.dumps` returns a `str`), and the
    // file with other text, replaced below.
    let (mut graph, _, _) = fixture::graph(&format!("{}//- /{name}\n$0\n", fixture::LIBRARY));
    let path = PathBuf::from(format!("{}/{name}", fixture::ROOT));
    match notebook {
        true => graph.update_notebook_deferred(&path, joined.source(), &joined.cell_ranges()),
        false => graph.update_file_deferred(&path, joined.source()),
    };
    graph.flush_relinks();
    let file = graph.file_id(&path).expect("the file is in the graph");
    let hover = crate::graph::explain::hover(&graph, file, offset).unwrap_or_default();
    let dir = tempfile::tempdir().expect("temp dir");
    let (config, _) = Config::load(dir.path(), &crate::settings::LintSettings::default());
    let imports = if notebook { Imports::InCell(&config, cell) } else { Imports::Off };
    let member = format!("{}.", &joined.source()[offset as usize..].split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap_or(""));
    let completed = joined.source()[cell.range()].find(&member).map(|at| {
        let after = cell.start + (at + member.len()) as u32;
        complete(&graph, file, after, Trigger::Typed, imports).items.iter().map(|i| i.label.clone()).take(3).collect::<Vec<_>>().join(" ")
    });
    let text = joined.source();
    let tokens: Vec<String> =
        super::semantic_tokens::tokens(&graph, file, Some(cell)).iter().map(|t| format!("{} {:?}", &text[t.span.range()], t.kind)).collect();
    // The hover's code line.
    let hover = hover.lines().find(|line| !line.starts_with("```")).unwrap_or("");
    format!("hover: {hover}\ncompletion after `{member}`: {}\ntokens: {}\n", completed.unwrap_or_default(), tokens.join(", "))
}

#[test]
fn an_open_bracket_ends_with_its_cell() {
    let cells = ["import json\n", "x = foo(1,", "c2 = json.dumps(1)\n$0c2.", "def helper(n) -> str:\n    return json.dumps(n)\n"];
    // In a `.py` file the bracket goes on (`c2=` is an argument).
    check_after_broken_cell(
        &cells,
        expect![[r#"
            hover: c2
            completion after `c2.`: upper
            tokens: c2 Variable, json Namespace, dumps Function, c2 Variable
        "#]],
        expect![[r#"
            hover: 
            completion after `c2.`: 
            tokens: json Namespace, dumps Function
        "#]],
    );
}

#[test]
fn an_open_docstring_ends_with_its_cell() {
    let cells =
        ["import json\n", "def doc():\n    \"\"\"Start typing a docstring\n", "def helper(n):\n    return json.dumps(n)\n", "$0r = helper(3)\nr.upper()"];
    // In a `.py` file the string runs to the end.
    check_after_broken_cell(
        &cells,
        expect![[r#"
            hover: r
            completion after `r.`: upper
            tokens: r Variable, helper Function, r Variable, upper Method
        "#]],
        expect![[r#"
            hover: 
            completion after `r.`: 
            tokens: 
        "#]],
    );
}

/// The syntax errors the graph holds for the notebook of `cells` after it
/// held `before` (the same joined text, other cells), and whether it holds
/// the second layout afterwards.
fn errors_after_relayout(before: &[&str], cells: &[&str]) -> (u32, bool) {
    let notebook = |cells: &[&str]| Notebook::from_cells(cells.iter().map(|text| Cell { kind: CellKind::Code, language: "python", text }));
    let (first, second) = (notebook(before), notebook(cells));
    assert_eq!(first.source(), second.source(), "the same joined text");
    let (mut graph, _, _) = fixture::graph("//- /nb.ipynb\n$0\n");
    let path = PathBuf::from(format!("{}/nb.ipynb", fixture::ROOT));
    graph.update_notebook_deferred(&path, first.source(), &first.cell_ranges());
    graph.update_notebook_deferred(&path, second.source(), &second.cell_ranges());
    let file = graph.file_id(&path).expect("the notebook is in the graph");
    let hash = crate::graph::content_hash(second.source());
    (graph.file(file).expect("entry").syntax_errors, graph.holds_cells(&path, hash, &second.cell_ranges()))
}

#[test]
fn a_cell_split_that_leaves_the_joined_text_reparses_its_cells() {
    // Test-nb10 case 10: VS Code's Split Cell left the joined text as it
    // was; the graph kept the class whole and renamed through it, where a
    // cold server (and IPython) finds both halves broken.
    let whole = "class C:\n    def m(self):\n        return f(1)";
    let (head, body) = whole.split_once('\n').expect("two lines");
    assert_eq!(errors_after_relayout(&[whole, "def f(a):\n    return a"], &[head, body, "def f(a):\n    return a"]), (2, true));
    // Must not: the same layout again is held, and parses as before.
    assert_eq!(errors_after_relayout(&[whole, "def f(a):\n    return a"], &[whole, "def f(a):\n    return a"]), (0, true));
}

#[test]
fn a_rename_refused_for_syntax_errors_names_the_broken_cell() {
    // Test-nb10 case 17: the joined text's parse put an unclosed bracket's
    // error in the next cell (`cell 3:2`); read cell by cell it is in its own.
    let cells = ["def helper(n):\n    return n", "x = foo(1,", "r = helper(3)"];
    let notebook = Notebook::from_cells(cells.iter().map(|text| Cell { kind: CellKind::Code, language: "python", text }));
    let (mut graph, _, _) = fixture::graph("//- /nb.ipynb\n$0\n");
    let path = PathBuf::from(format!("{}/nb.ipynb", fixture::ROOT));
    graph.update_notebook_deferred(&path, notebook.source(), &notebook.cell_ranges());
    graph.flush_relinks();
    let file = graph.file_id(&path).expect("the notebook is in the graph");
    let refused = super::rename::rename(&graph, file, 4, "assist").map(|_| ()).map_err(|e| format!("{e:?}"));
    // Joined line 3 is cell 2's first line (the editor is told `cell 2:1`).
    expect![[r#"
        Err(
            "SyntaxErrors(\"nb.ipynb:3\")",
        )
    "#]]
    .assert_debug_eq(&refused);
}

/// Rename of the name at `$0` (in one of `cells`, held as a notebook parsed
/// cell by cell): the refusal, or the edited text.
fn rename_in_cells(cells: &[&str], new_name: &str) -> String {
    let asking = cells.iter().position(|c| c.contains("$0")).expect("a $0 cell");
    let unmarked: Vec<String> = cells.iter().map(|c| c.replace("$0", "")).collect();
    let joined = Notebook::from_cells(unmarked.iter().map(|text| Cell { kind: CellKind::Code, language: "python", text }));
    let (_, cell) = joined.code_cells().into_iter().nth(asking).expect("the asking cell");
    let offset = (cell.start + cells[asking].find("$0").expect("$0")) as u32;
    let (mut graph, _, _) = fixture::graph("//- /nb.ipynb\n$0\n");
    let path = PathBuf::from(format!("{}/nb.ipynb", fixture::ROOT));
    graph.update_notebook_deferred(&path, joined.source(), &joined.cell_ranges());
    graph.flush_relinks();
    let file = graph.file_id(&path).expect("the file is in the graph");
    match super::rename::rename(&graph, file, offset, new_name) {
        Ok(edits) => edits.iter().map(|e| super::edits::apply(joined.source(), &e.replacements)).collect(),
        Err(why) => format!("refused: {why}"),
    }
}

#[test]
fn an_open_string_read_for_a_rename_ends_with_its_cell() {
    let refused = rename_in_cells(&["def sc$0ale(v):\n    return v", "s = '''abc", "x = scale(1)"], "resize");
    expect!["refused: nb.ipynb:3 has syntax errors; fix them before renaming"].assert_eq(&refused);
    // Must not: a string of code in the cell itself is still named.
    let refused = rename_in_cells(&["def sc$0ale(v):\n    return v", "exec('scale(2)')", "x = scale(1)"], "resize");
    expect!["refused: a string of code (for `eval` or `exec`) at nb.ipynb:3 names `scale` in a string that rename cannot follow; rename refused"]
        .assert_eq(&refused);
}
