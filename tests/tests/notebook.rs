//! Jupyter notebooks over stdio, as VS Code sends them (LSP 3.17's
//! `notebookDocument/*`, cells as `vscode-notebook-cell:` documents), and
//! `pyloom check` on `.ipynb` files.

use std::process::Command;

use pyloom_e2e::http::{Reply, ScriptedServer};
use pyloom_e2e::{LspClient, file_uri, pyloom_bin};
use serde_json::{Value, json};

const HELPERS: &str = "def scale(values, factor=2):\n    \"\"\"Each value times factor.\"\"\"\n    return [v * factor for v in values]\n";

/// A project with a module and a notebook that imports it: a magic and an
/// unused import in the first code cell, a markdown cell, an unused import
/// and a call across cells in the third (imports sorted as isort wants them).
fn project() -> tempfile::TempDir {
    project_in("my notes")
}

fn project_in(folder: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(folder);
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("helpers.py"), HELPERS).unwrap();
    dir
}

fn cell_uri(n: usize) -> String {
    format!("vscode-notebook-cell:/my%20notes/analysis.ipynb#W{n}sZmlsZQ%3D%3D")
}

const CELL1: &str = "%matplotlib inline\nimport json\n\nfrom helpers import scale\n\n\ndef double(values):\n    return scale(values)";
const CELL3: &str = "import os\n\nresult = double([1, 2])\nprint(result)";

fn server(dir: &tempfile::TempDir) -> (LspClient, String) {
    server_in(dir, "my notes")
}

/// The server on the project in `folder`, the notebook open; its URI is
/// escaped as VS Code escapes it (`(` as `%28`).
fn server_in(dir: &tempfile::TempDir, folder: &str) -> (LspClient, String) {
    let root = dir.path().join(folder);
    let cache = dir.path().join("cache");
    let mut client = LspClient::spawn_in(None, &[("PYLOOM_CACHE_DIR", cache.to_str().unwrap())]).unwrap();
    let uri = file_uri(&root);
    let result = client
        .request("initialize", json!({"processId": null, "rootUri": uri, "workspaceFolders": [{"uri": uri, "name": "notes"}], "capabilities": {}}))
        .unwrap();
    // Every cell, markdown too: cells are numbered as `pyloom check` numbers them.
    assert_eq!(result["capabilities"]["notebookDocumentSync"]["notebookSelector"], json!([{"notebook": "*"}]));
    // Asked for: VS Code sends `notebookDocument/didSave` only then.
    assert_eq!(result["capabilities"]["notebookDocumentSync"]["save"], true);
    client.notify("initialized", json!({})).unwrap();
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();
    let notebook = file_uri(&root.join("analysis.ipynb"));
    client
        .notify(
            "notebookDocument/didOpen",
            json!({
                "notebookDocument": {"uri": notebook, "notebookType": "jupyter-notebook", "version": 0, "cells": [
                    {"kind": 2, "document": cell_uri(1)}, {"kind": 1, "document": cell_uri(2)}, {"kind": 2, "document": cell_uri(3)},
                ]},
                "cellTextDocuments": [
                    {"uri": cell_uri(1), "languageId": "python", "version": 1, "text": CELL1},
                    {"uri": cell_uri(2), "languageId": "markdown", "version": 1, "text": "## Results"},
                    {"uri": cell_uri(3), "languageId": "python", "version": 1, "text": CELL3},
                ],
            }),
        )
        .unwrap();
    (client, notebook)
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

fn codes(diagnostics: &[Value]) -> Vec<(String, u64)> {
    diagnostics.iter().map(|d| (d["code"].as_str().unwrap_or_default().to_owned(), d["range"]["start"]["line"].as_u64().unwrap())).collect()
}

#[test]
fn a_notebook_is_checked_per_cell_and_navigated_across_cells() {
    let dir = project();
    let (mut client, notebook) = server(&dir);

    // Diagnostics arrive per cell, in the cell's lines; the magic is no
    // syntax error; an import below the top of its own cell is no E402.
    let first = client.diagnostics(&cell_uri(1)).unwrap();
    assert_eq!(codes(&first), [("F401".to_owned(), 1)], "{first:?}");
    let third = client.diagnostics(&cell_uri(3)).unwrap();
    assert_eq!(codes(&third), [("F401".to_owned(), 0)], "{third:?}");
    assert!(client.diagnostics(&cell_uri(2)).unwrap().is_empty());

    // Hover in cell 3 on a function defined in cell 1, and its definition.
    let hover = client.request("textDocument/hover", at(&cell_uri(3), 2, 10)).unwrap();
    assert!(hover["contents"]["value"].as_str().unwrap().contains("double"), "{hover}");
    assert_eq!(hover["range"]["start"], json!({"line": 2, "character": 9}));
    let definition = client.request("textDocument/definition", at(&cell_uri(3), 2, 10)).unwrap();
    let location = if definition.is_array() { definition[0].clone() } else { definition };
    assert_eq!(location["uri"], cell_uri(1), "{location}");
    assert_eq!(location["range"]["start"]["line"], 6);
    // Into the workspace: `scale` is in helpers.py.
    let definition = client.request("textDocument/definition", at(&cell_uri(1), 7, 12)).unwrap();
    let location = if definition.is_array() { definition[0].clone() } else { definition };
    assert!(location["uri"].as_str().unwrap().ends_with("/helpers.py"), "{location}");

    // References of `double` over both cells; rename edits each cell.
    let mut params = at(&cell_uri(1), 6, 5);
    params["context"] = json!({"includeDeclaration": true});
    let references = client.request("textDocument/references", params).unwrap();
    let mut places: Vec<(String, u64)> =
        references.as_array().unwrap().iter().map(|l| (l["uri"].as_str().unwrap().to_owned(), l["range"]["start"]["line"].as_u64().unwrap())).collect();
    places.sort();
    assert_eq!(places, [(cell_uri(1), 6), (cell_uri(3), 2)]);
    let mut params = at(&cell_uri(3), 2, 10);
    params["newName"] = json!("twice");
    let edit = client.request("textDocument/rename", params).unwrap();
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 2, "{edit}");
    assert_eq!(changes[&cell_uri(1)][0]["range"]["start"], json!({"line": 6, "character": 4}));
    assert_eq!(changes[&cell_uri(3)][0]["range"]["start"], json!({"line": 2, "character": 9}));
    assert!(!changes.contains_key(&notebook));

    // Completion in cell 3 knows cell 1's function; its edits are in cell 3.
    let completion = client.request("textDocument/completion", at(&cell_uri(3), 2, 11)).unwrap();
    let items = completion.get("items").unwrap_or(&completion).as_array().unwrap().clone();
    let double = items.iter().find(|i| i["label"] == "double").unwrap_or_else(|| panic!("{completion}"));
    if let Some(edit) = double.get("textEdit") {
        let range = edit.get("range").or_else(|| edit.get("replace")).unwrap();
        assert_eq!(range["start"]["line"], 2, "{double}");
    }
    // Signature help for a call across cells.
    let help = client.request("textDocument/signatureHelp", at(&cell_uri(3), 2, 16)).unwrap();
    assert!(help["signatures"][0]["label"].as_str().unwrap().contains("values"), "{help}");

    // A markdown cell holds no Python: hover answers nothing, no error.
    assert_eq!(client.request("textDocument/hover", at(&cell_uri(2), 0, 3)).unwrap(), Value::Null);

    // A quick fix in a cell: removing the unused `import os` in cell 3.
    let diagnostic = third[0].clone();
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": cell_uri(3)}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}),
        )
        .unwrap();
    let fix = actions.as_array().unwrap().iter().find(|a| a["title"].as_str().is_some_and(|t| t.contains("Remove unused import"))).unwrap();
    let edits = &fix["edit"]["changes"][&cell_uri(3)];
    assert_eq!(edits[0]["range"]["start"], json!({"line": 0, "character": 0}), "{fix}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn cell_edits_new_cells_save_and_close_reach_the_analysis() {
    let dir = project();
    let (mut client, notebook) = server(&dir);
    client.diagnostics(&cell_uri(3)).unwrap();

    // Type in cell 3 (`import os` used now) and add a fourth cell that
    // uses an undefined name.
    client
        .notify(
            "notebookDocument/didChange",
            json!({
                "notebookDocument": {"uri": notebook, "version": 1},
                "change": {"cells": {
                    "structure": {"array": {"start": 3, "deleteCount": 0, "cells": [{"kind": 2, "document": cell_uri(4)}]},
                        "didOpen": [{"uri": cell_uri(4), "languageId": "python", "version": 1, "text": "print(undefined_name)"}]},
                    "textContent": [{"document": {"uri": cell_uri(3), "version": 2}, "changes": [
                        {"range": {"start": {"line": 3, "character": 13}, "end": {"line": 3, "character": 13}}, "text": "\nprint(os.sep)"}]}],
                }},
            }),
        )
        .unwrap();
    let fourth = client.diagnostics(&cell_uri(4)).unwrap();
    assert_eq!(codes(&fourth), [("F821".to_owned(), 0)], "{fourth:?}");
    let third = client.notification("textDocument/publishDiagnostics", |p| p["uri"] == cell_uri(3)).unwrap();
    assert_eq!(third["diagnostics"], json!([]), "`os` is used now: {third}");
    let hover = client.request("textDocument/hover", at(&cell_uri(3), 4, 7)).unwrap();
    assert!(hover.to_string().contains("os"), "{hover}");

    client.notify("notebookDocument/didSave", json!({"notebookDocument": {"uri": notebook}})).unwrap();
    client.notify("notebookDocument/didClose", json!({"notebookDocument": {"uri": notebook}, "cellTextDocuments": []})).unwrap();
    // Closing clears what every cell showed.
    let cleared = client.notification("textDocument/publishDiagnostics", |p| p["uri"] == cell_uri(4)).unwrap();
    assert_eq!(cleared["diagnostics"], json!([]));
    // Bad input is refused, not fatal: a change to a closed notebook.
    client.notify("notebookDocument/didChange", json!({"notebookDocument": {"uri": notebook, "version": 2}, "change": {}})).unwrap();
    assert_eq!(client.request("textDocument/hover", at(&cell_uri(3), 0, 8)).unwrap(), Value::Null);
    assert!(client.shutdown().unwrap().success());
}

/// Edits sent faster than the notebook is analysed are analysed together:
/// the last one's diagnostics always arrive.
#[test]
fn a_cells_last_edit_of_a_burst_is_the_one_diagnosed() {
    let dir = project();
    let (mut client, notebook) = server(&dir);
    client.diagnostics(&cell_uri(3)).unwrap();
    // `print(result)` ends at 3:13: a new line typed there, one character an edit.
    let typed = "\nundefined_name";
    for (n, text) in typed.chars().enumerate() {
        let at = if n == 0 { json!({"line": 3, "character": 13}) } else { json!({"line": 4, "character": n - 1}) };
        let change = json!({
            "notebookDocument": {"uri": notebook, "version": n + 1},
            "change": {"cells": {"textContent": [{"document": {"uri": cell_uri(3), "version": n + 2},
                "changes": [{"range": {"start": at, "end": at}, "text": text.to_string()}]}]}},
        });
        client.notify("notebookDocument/didChange", change).unwrap();
    }
    // The partial names' diagnostics may come first; the whole name's must
    // come (the client waits for it, and fails when it does not).
    let whole = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == cell_uri(3) && p["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["message"] == "Undefined name `undefined_name`"))
        })
        .unwrap();
    assert!(codes(whole["diagnostics"].as_array().unwrap()).contains(&("F821".to_owned(), 4)), "on the cell's line 4: {whole}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn pyloom_check_reads_notebooks_and_names_their_cells() {
    let dir = tempfile::tempdir().unwrap();
    let notebook = json!({
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Notes"]},
            {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": ["%load_ext autoreload\n", "import os\n", "import sys"]},
            {"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": ["import json\n", "print(sys.argv, undefined)"]},
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    });
    std::fs::create_dir_all(dir.path().join("nb dir")).unwrap();
    std::fs::write(dir.path().join("nb dir/explore.ipynb"), serde_json::to_string_pretty(&notebook).unwrap()).unwrap();
    std::fs::write(dir.path().join("nb dir/broken.ipynb"), "{not json").unwrap();
    let out = Command::new(pyloom_bin()).args(["check", "nb dir"]).current_dir(dir.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("nb dir/broken.ipynb:1:1: E902") && l.contains("not a Jupyter notebook")), "{stdout}");
    assert!(lines.contains(&"nb dir/explore.ipynb:cell 2:2:8: F401 [warning] `os` imported but unused"), "{stdout}");
    assert!(lines.iter().any(|l| l.starts_with("nb dir/explore.ipynb:cell 3:2:17: F821")), "{stdout}");
    // ruff's notebook rule: an import at the top of its own cell is no E402.
    assert!(!stdout.contains("E402"), "{stdout}");
    let json_out = Command::new(pyloom_bin()).args(["check", "nb dir/explore.ipynb", "--format", "json"]).current_dir(dir.path()).output().unwrap();
    let findings: Value = serde_json::from_slice(&json_out.stdout).unwrap();
    let f401 = findings.as_array().unwrap().iter().find(|f| f["code"] == "F401" && f["cell"] == 2).unwrap();
    assert_eq!((f401["line"].as_u64(), f401["column"].as_u64()), (Some(2), Some(8)));
}

/// Needs `pyloom sandbox install` (scripts/test-all.sh runs it), as the
/// snippet tests do.
#[test]
fn pyloom_test_runs_a_notebooks_doctests_and_tests_and_names_their_cells() {
    let dir = tempfile::tempdir().unwrap();
    let code = |source: &str| json!({"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": source});
    let notebook = json!({
        "cells": [
            code("%matplotlib inline\nimport math"),
            {"cell_type": "markdown", "metadata": {}, "source": "## Tests"},
            code("def area(r):\n    \"\"\"\n    >>> round(area(1), 2)\n    3.14\n    \"\"\"\n    return math.pi * r * r"),
            code("def test_area():\n    assert area(2) == 4 * math.pi\n\n\ndef test_wrong():\n    assert area(1) == 3"),
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}}, "nbformat": 4, "nbformat_minor": 5,
    });
    std::fs::create_dir_all(dir.path().join("my notes")).unwrap();
    std::fs::write(dir.path().join("my notes/test_geometry.ipynb"), notebook.to_string()).unwrap();
    let out = Command::new(pyloom_bin()).args(["test", "my notes/test_geometry.ipynb"]).current_dir(dir.path()).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("✓ my notes/test_geometry.ipynb:cell 3:1 area passed")), "{stdout}");
    assert!(lines.iter().any(|l| l.starts_with("✓ my notes/test_geometry.ipynb:cell 4:1 test_area passed")), "{stdout}");
    assert!(lines.iter().any(|l| l.starts_with("✗ my notes/test_geometry.ipynb:cell 4:6 test_wrong failed")), "{stdout}");
    assert!(stdout.contains("2 passed, 1 failed"), "{stdout}");
    // The folder: the notebook's tests are found there too.
    let folder = Command::new(pyloom_bin()).args(["test", "my notes"]).current_dir(dir.path()).output().unwrap();
    assert!(String::from_utf8_lossy(&folder.stdout).contains("2 passed, 1 failed"), "{}", String::from_utf8_lossy(&folder.stdout));
}

/// A notebook exported by nbconvert or jupytext spells its escapes as
/// `get_ipython()` calls, and one that ships a module writes it with a
/// `%%writefile` cell before importing it: its tests run as in IPython.
/// Needs `pyloom sandbox install`.
#[test]
fn pyloom_test_runs_a_notebook_that_calls_get_ipython_and_imports_what_it_writes() {
    let dir = tempfile::tempdir().unwrap();
    let code = |source: &str| json!({"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": source});
    let cells = [
        code("%%writefile helper_wf.py\ndef greet():\n    return 'hi'\n"),
        code("from helper_wf import greet\n\ndef test_greet():\n    assert greet() == 'hi'\n"),
        code("get_ipython().run_line_magic('matplotlib', 'inline')\nx = get_ipython().getoutput('echo hi')\nget_ipython().run_line_magic('time', 'y = 2')\n"),
        code("def test_escapes():\n    assert x is ... and y == 2\n"),
        // `%time` as IPython's: a value is the expression's; in a function
        // the statement runs in a copy of its locals (`return y` reads a
        // global, a NameError in IPython); at module level it binds.
        code("z = %time 2 + 3\n%time w = z\ndef g():\n    %time y2 = 3\n    return y2\n"),
        code(
            "def test_timed():\n    assert z == 5 and w == 5\n\ndef test_timed_in_a_function():\n    try:\n        g()\n    except NameError:\n        return\n    raise AssertionError('g bound y2')\n",
        ),
        // Must not: a file written outside the notebook's import root is
        // not staged, and nothing the stub does reaches the host.
        code("%%writefile ../../outside.py\nraise SystemExit\n"),
    ];
    std::fs::write(dir.path().join("test_wf.ipynb"), notebook_of(json!(cells))).unwrap();
    let out = Command::new(pyloom_bin()).args(["test", "test_wf.ipynb"]).current_dir(dir.path()).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("4 passed"), "{stdout}{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(!dir.path().join("helper_wf.py").exists() && !dir.path().join("../outside.py").exists(), "the host's folders are unchanged");
}

/// A notebook's cells run as Jupyter runs them: as `__main__` (its `if
/// __name__ == "__main__":` block runs, a doctest sees `'__main__'`), a
/// top-level `await` on an event loop (IPython's autoawait), and pytest's
/// tests on the module the cells ran as, their asserts rewritten. Needs
/// `pyloom sandbox install`.
#[test]
fn pyloom_test_runs_a_notebook_as_main_with_top_level_await() {
    let dir = tempfile::tempdir().unwrap();
    let code = |source: &str| json!({"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": source});
    let awaited = "import asyncio\n\nasync def co():\n    await asyncio.sleep(0.01)\n    return 5\n\nv = await co()\n";
    let cells = [
        code(awaited),
        code("if __name__ == '__main__':\n    MODE = 'interactive'\nelse:\n    MODE = 'imported'\n"),
        code("def test_v():\n    assert v == 5 and MODE == 'interactive'\n"),
        code("def helper():\n    \"\"\"\n    >>> __name__\n    '__main__'\n    \"\"\"\n"),
    ];
    std::fs::write(dir.path().join("test_jupyter.ipynb"), notebook_of(json!(cells))).unwrap();
    let pytest_cells = [
        code(&format!("import pytest\n\n{awaited}")),
        code("def test_fixture(tmp_path):\n    assert v == 5 and __name__ == '__main__'\n"),
        code("def test_rewritten():\n    assert v == 6\n"),
    ];
    std::fs::write(dir.path().join("test_fixtures.ipynb"), notebook_of(json!(pytest_cells))).unwrap();
    // Must not: a module keeps its name, and CPython's SyntaxError for an
    // `await` outside a function.
    std::fs::write(dir.path().join("test_module.py"), "def test_name():\n    assert __name__ == 'test_module'\n").unwrap();
    std::fs::write(dir.path().join("test_script.py"), format!("{awaited}\n\ndef test_v():\n    assert v == 5\n")).unwrap();
    let run = |target: &str| {
        let out = Command::new(pyloom_bin()).args(["test", target]).current_dir(dir.path()).output().unwrap();
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    };
    let shown = run("test_jupyter.ipynb");
    assert!(shown.contains("2 passed") && !shown.contains("failed") && !shown.contains("error"), "{shown}");
    let shown = run("test_fixtures.ipynb");
    assert!(shown.contains("✓ test_fixtures.ipynb:cell 2:1 test_fixture passed"), "{shown}");
    assert!(shown.contains("✗ test_fixtures.ipynb:cell 3:2 test_rewritten failed") && shown.contains("assert 5 == 6"), "{shown}");
    let shown = run("test_module.py");
    assert!(shown.contains("1 passed"), "{shown}");
    let shown = run("test_script.py");
    assert!(shown.contains("SyntaxError: 'await' outside function") && shown.contains("1 error"), "{shown}");
}

/// An LLM action on a cell: `pyloom.implement` on a stub in the first code
/// cell, a scripted model on 127.0.0.1 answering its body; the edit comes
/// back for that cell, at the cell's version, in the cell's lines.
#[test]
fn implement_on_a_cell_edits_that_cell() {
    let dir = project();
    let root = dir.path().join("my notes");
    let body =
        json!({"message": {"role": "assistant", "content": "```python\nreturn sum(prices)\n```\n"}, "done": true, "prompt_eval_count": 100, "eval_count": 9});
    let model = ScriptedServer::start(vec![Reply::json(200, &body.to_string())]).unwrap();
    let cache = dir.path().join("cache");
    let mut client = LspClient::spawn_in(None, &[("PYLOOM_CACHE_DIR", cache.to_str().unwrap())]).unwrap();
    client.replies.push(("workspace/applyEdit".to_owned(), json!({"applied": true})));
    let uri = file_uri(&root);
    let options = json!({"llm": {"base_url": model.base_url, "cache": {"enabled": false}, "max_retries": 0},
        "actions": {"memory_path": dir.path().join("mistakes.sqlite3")}});
    let capabilities = json!({"workspace": {"applyEdit": true, "workspaceEdit": {"documentChanges": true}}});
    client
        .request("initialize", json!({"processId": null, "rootUri": uri, "workspaceFolders": [{"uri": uri, "name": "notes"}], "capabilities": capabilities, "initializationOptions": options}))
        .unwrap();
    client.notify("initialized", json!({})).unwrap();
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();
    let notebook = file_uri(&root.join("totals.ipynb"));
    let stub = "import math\n\n\ndef total(prices):\n    \"\"\"The sum of the prices.\"\"\"\n    ...";
    client
        .notify(
            "notebookDocument/didOpen",
            json!({
                "notebookDocument": {"uri": notebook, "notebookType": "jupyter-notebook", "version": 0, "cells": [
                    {"kind": 1, "document": cell_uri(1)}, {"kind": 2, "document": cell_uri(2)}, {"kind": 2, "document": cell_uri(3)},
                ]},
                "cellTextDocuments": [
                    {"uri": cell_uri(1), "languageId": "markdown", "version": 1, "text": "# Totals"},
                    {"uri": cell_uri(2), "languageId": "python", "version": 4, "text": stub},
                    {"uri": cell_uri(3), "languageId": "python", "version": 1, "text": "print(total([1, 2]), math.pi)"},
                ],
            }),
        )
        .unwrap();
    let arguments = json!([{"uri": cell_uri(2), "position": {"line": 3, "character": 5}}]);
    let result = client.request("workspace/executeCommand", json!({"command": "pyloom.implement", "arguments": arguments})).unwrap();
    assert_eq!(result["applied"], true, "{result}");
    let edit = client.server_requests.iter().rev().find(|r| r["method"] == "workspace/applyEdit").map(|r| r["params"]["edit"].clone()).unwrap();
    let changes = edit["documentChanges"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{edit}");
    assert_eq!(changes[0]["textDocument"], json!({"uri": cell_uri(2), "version": 4}), "{edit}");
    let text_edit = &changes[0]["edits"][0];
    assert_eq!(text_edit["range"]["start"]["line"], 5, "{edit}");
    assert!(text_edit["newText"].as_str().unwrap().contains("return sum(prices)"), "{edit}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_notebooks_json_opened_as_text_is_not_linted_as_python() {
    let dir = project();
    let (mut client, _) = server(&dir);
    let raw = file_uri(&dir.path().join("my notes/raw.ipynb"));
    let json = r#"{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": ["print(undefined)"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
    client.open(&raw, json).unwrap();
    assert_eq!(client.diagnostics(&raw).unwrap(), Vec::<Value>::new(), "no B018 or `null` undefined in the JSON");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_notebook_in_a_folder_whose_uri_the_client_escapes_is_navigated_and_renamed_in_its_cells() {
    // The server's own URIs leave `(` and `)` bare: answers about the
    // notebook must still be recognised as the notebook's.
    let dir = project_in("my (old) notes");
    let (mut client, notebook) = server_in(&dir, "my (old) notes");
    assert!(notebook.contains("%28old%29"), "{notebook}");
    client.diagnostics(&cell_uri(3)).unwrap();
    let definition = client.request("textDocument/definition", at(&cell_uri(3), 2, 10)).unwrap();
    let location = if definition.is_array() { definition[0].clone() } else { definition };
    assert_eq!(location["uri"], cell_uri(1), "{location}");
    let mut params = at(&cell_uri(3), 2, 10);
    params["newName"] = json!("twice");
    let edit = client.request("textDocument/rename", params).unwrap();
    let mut uris: Vec<&String> = edit["changes"].as_object().unwrap().keys().collect();
    uris.sort();
    assert_eq!(uris, [&cell_uri(1), &cell_uri(3)], "{edit}");
    // A file beside the notebook, in the same folder, stays a file.
    let definition = client.request("textDocument/definition", at(&cell_uri(1), 7, 12)).unwrap();
    let location = if definition.is_array() { definition[0].clone() } else { definition };
    assert!(location["uri"].as_str().unwrap().ends_with("/helpers.py"), "{location}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_symbol_is_not_moved_out_of_a_notebook_cell_and_is_out_of_a_file() {
    let dir = project();
    let (mut client, _) = server(&dir);
    client.diagnostics(&cell_uri(1)).unwrap();
    let on_def = json!({"start": {"line": 6, "character": 5}, "end": {"line": 6, "character": 5}});
    let actions =
        client.request("textDocument/codeAction", json!({"textDocument": {"uri": cell_uri(1)}, "range": on_def, "context": {"diagnostics": []}})).unwrap();
    let titles: Vec<&str> = actions.as_array().unwrap().iter().filter_map(|a| a["title"].as_str()).collect();
    assert!(!titles.iter().any(|t| t.starts_with("Move")), "{titles:?}");
    // Asked all the same (an old action, another client): refused, with why.
    let target = file_uri(&dir.path().join("my notes").join("double.py"));
    let arguments = json!([{"textDocument": {"uri": cell_uri(1)}, "position": {"line": 6, "character": 5}, "target": target}]);
    let id = client.send_request("workspace/executeCommand", json!({"command": "pyloom.moveSymbol", "arguments": arguments})).unwrap();
    let refused = client.raw_response(&json!(id)).unwrap()["error"].clone();
    assert!(refused["message"].as_str().unwrap().contains("not moved out of a notebook"), "{refused}");
    assert!(!dir.path().join("my notes").join("double.py").exists());
    // The same definition in a file is offered the move.
    let helpers = file_uri(&dir.path().join("my notes").join("helpers.py"));
    client.notify("textDocument/didOpen", json!({"textDocument": {"uri": helpers, "languageId": "python", "version": 1, "text": HELPERS}})).unwrap();
    let on_def = json!({"start": {"line": 0, "character": 5}, "end": {"line": 0, "character": 5}});
    let actions =
        client.request("textDocument/codeAction", json!({"textDocument": {"uri": helpers}, "range": on_def, "context": {"diagnostics": []}})).unwrap();
    let titles: Vec<&str> = actions.as_array().unwrap().iter().filter_map(|a| a["title"].as_str()).collect();
    assert!(titles.iter().any(|t| t.starts_with("Move `scale`")), "{titles:?}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn fix_all_in_a_cell_fixes_every_cell_and_each_edit_stays_in_its_cell() {
    let dir = project();
    let (mut client, notebook) = server(&dir);
    client.diagnostics(&cell_uri(3)).unwrap();
    // On save: the whole cell.
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 13}});
    let params = json!({"textDocument": {"uri": cell_uri(3)}, "range": range, "context": {"diagnostics": [], "only": ["source.fixAll"]}});
    let actions = client.request("textDocument/codeAction", params).unwrap();
    let fix = actions.as_array().unwrap().iter().find(|a| a["kind"] == "source.fixAll.pyloom").unwrap_or_else(|| panic!("{actions}"));
    let changes = fix["edit"]["changes"].as_object().unwrap();
    assert!(!changes.contains_key(&notebook), "{fix}");
    // The unused imports of cells 1 and 3 (`json`, `os`), each in its cell.
    assert_eq!(changes[&cell_uri(1)][0]["range"]["start"], json!({"line": 1, "character": 0}), "{fix}");
    assert_eq!(changes[&cell_uri(3)][0]["range"]["start"], json!({"line": 0, "character": 0}), "{fix}");
    // An import ending its cell goes with the line break before it, as
    // `ruff check --fix` leaves the cell: `x = 1`, no empty line after.
    let (_, cells) = open_code_cells(&mut client, &dir, "tail", &["x = 1\nimport os", "print(x)"]);
    client.diagnostics(&cells[0]).unwrap();
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 1, "character": 9}});
    let params = json!({"textDocument": {"uri": cells[0]}, "range": whole, "context": {"diagnostics": [], "only": ["source.fixAll"]}});
    let actions = client.request("textDocument/codeAction", params).unwrap();
    let fix = actions.as_array().unwrap().iter().find(|a| a["kind"] == "source.fixAll.pyloom").unwrap_or_else(|| panic!("{actions}"));
    let expected = json!([{"range": {"start": {"line": 0, "character": 5}, "end": {"line": 1, "character": 9}}, "newText": ""}]);
    assert_eq!(fix["edit"]["changes"][&cells[0]], expected, "{fix}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn notebook_fix_all_asked_in_a_markdown_cell_fixes_the_python_cells() {
    // VS Code's `notebook.codeActionsOnSave` asks in the first cell, which
    // may be markdown (cell 2 here).
    let dir = project();
    let (mut client, notebook) = server(&dir);
    client.diagnostics(&cell_uri(3)).unwrap();
    let at = json!({"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}});
    let ask = |client: &mut LspClient, only: &str| {
        let params = json!({"textDocument": {"uri": cell_uri(2)}, "range": at, "context": {"diagnostics": [], "only": [only]}});
        client.request("textDocument/codeAction", params).unwrap()
    };
    let actions = ask(&mut client, "notebook.source.fixAll");
    let fix = actions.as_array().unwrap().iter().find(|a| a["kind"] == "notebook.source.fixAll.pyloom").unwrap_or_else(|| panic!("{actions}"));
    let changes = fix["edit"]["changes"].as_object().unwrap();
    assert!(!changes.contains_key(&notebook), "{fix}");
    // The unused imports of cells 1 and 3, each in its cell.
    assert_eq!(changes[&cell_uri(1)][0]["range"]["start"], json!({"line": 1, "character": 0}), "{fix}");
    assert_eq!(changes[&cell_uri(3)][0]["range"]["start"], json!({"line": 0, "character": 0}), "{fix}");
    // Must not: another kind asked there answers nothing.
    assert_eq!(ask(&mut client, "quickfix"), Value::Null);
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn findings_whose_fix_an_escape_or_another_cell_rules_out_are_published_without_it() {
    let dir = project();
    std::fs::write(dir.path().join("my notes").join("ruff.toml"), "[lint]\nextend-select = [\"PLR1722\"]\n").unwrap();
    let (mut client, _) = server(&dir);
    let escape = "try:\n    int(\"x\")\nexcept ValueError as e:\n    !echo {e}\n";
    let (_, cells) = open_code_cells(&mut client, &dir, "escapes", &["x = 1\n", "exit()\n", escape]);
    // ruff's fix would import `sys` in cell 1: the finding is cell 2's all the same.
    let exit = client.diagnostics(&cells[1]).unwrap();
    assert_eq!(codes(&exit), [("PLR1722".to_owned(), 0)]);
    let unused = client.diagnostics(&cells[2]).unwrap();
    assert_eq!(codes(&unused), [("F841".to_owned(), 2)]);
    for (cell, diagnostic) in [(&cells[1], &exit[0]), (&cells[2], &unused[0])] {
        let params = json!({"textDocument": {"uri": cell}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}});
        let actions = client.request("textDocument/codeAction", params).unwrap();
        let edits: Vec<&str> =
            actions.as_array().unwrap().iter().filter(|a| a["kind"] == "quickfix" && a.get("edit").is_some()).filter_map(|a| a["title"].as_str()).collect();
        // `!echo {e}` reads `e`, which ruff's fix removes: only the `# noqa`.
        assert!(edits.iter().all(|title| title.starts_with("Suppress")), "{actions}");
    }
    // Fix on save leaves `as e` too.
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 4, "character": 0}});
    let params = json!({"textDocument": {"uri": cells[2]}, "range": whole, "context": {"diagnostics": [], "only": ["source.fixAll"]}});
    let actions = client.request("textDocument/codeAction", params).unwrap();
    assert!(!actions.as_array().is_some_and(|a| a.iter().any(|a| a["edit"]["changes"].get(&cells[2]).is_some())), "{actions}");
    assert!(client.shutdown().unwrap().success());
}

/// A second notebook of code cells `cells` in the project's folder: its URI
/// and its cells'.
fn open_code_cells(client: &mut LspClient, dir: &tempfile::TempDir, name: &str, cells: &[&str]) -> (String, Vec<String>) {
    let notebook = file_uri(&dir.path().join("my notes").join(format!("{name}.ipynb")));
    let uris: Vec<String> = (1..=cells.len()).map(|n| format!("vscode-notebook-cell:/my%20notes/{name}.ipynb#C{n}")).collect();
    let documents: Vec<Value> = uris.iter().zip(cells).map(|(uri, text)| json!({"uri": uri, "languageId": "python", "version": 1, "text": text})).collect();
    let kinds: Vec<Value> = uris.iter().map(|uri| json!({"kind": 2, "document": uri})).collect();
    let open = json!({"notebookDocument": {"uri": notebook, "notebookType": "jupyter-notebook", "version": 0, "cells": kinds}, "cellTextDocuments": documents});
    client.notify("notebookDocument/didOpen", open).unwrap();
    (notebook, uris)
}

#[test]
fn a_later_cell_expands_its_selection_and_its_module_level_calls_are_callers() {
    let dir = project();
    let (mut client, _) = server(&dir);
    let (_, cells) = open_code_cells(&mut client, &dir, "calls", &["def helper(n):\n    return n\n", "helper(3)\nhelper(\n    4,\n)\n"]);
    client.diagnostics(&cells[1]).unwrap();
    // `4` in cell 2: the argument, the arguments, the call, up to the cell.
    let asked = json!({"textDocument": {"uri": cells[1]}, "positions": [{"line": 2, "character": 4}]});
    let mut range = client.request("textDocument/selectionRange", asked).unwrap()[0].clone();
    let mut chain = Vec::new();
    while range.is_object() {
        chain.push((range["range"]["start"]["line"].as_u64().unwrap(), range["range"]["end"]["line"].as_u64().unwrap()));
        range = range["parent"].clone();
    }
    assert_eq!(chain[..3], [(2, 2), (1, 3), (1, 3)], "{chain:?}");
    // `helper`'s callers: the two calls of cell 2, under cell 2's URI.
    let item = client.request("textDocument/prepareCallHierarchy", at(&cells[0], 0, 5)).unwrap()[0].clone();
    let incoming = client.request("callHierarchy/incomingCalls", json!({"item": item})).unwrap();
    let calls = incoming.as_array().unwrap();
    assert_eq!(calls.len(), 1, "{incoming}");
    assert_eq!(calls[0]["from"]["uri"], cells[1]);
    let lines: Vec<u64> = calls[0]["fromRanges"].as_array().unwrap().iter().map(|r| r["start"]["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [0, 1]);
    // A rename past a cell's end says so (it is no indexing problem).
    let mut params = at(&cells[1], 50, 0);
    params["newName"] = json!("y");
    let id = client.send_request("textDocument/rename", params).unwrap();
    let refused = client.raw_response(&json!(id)).unwrap()["error"].clone();
    assert!(refused["message"].as_str().unwrap().contains("past the end"), "{refused}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_signature_edited_in_a_cell_flags_the_calls_left_behind_and_a_cells_own_change_is_applied() {
    let dir = project();
    let (mut client, _) = server(&dir);
    let (shapes, cells) = open_code_cells(&mut client, &dir, "shapes", &["def area(width, height):\n    return width * height\n", "print(area(1, 2))\n"]);
    // As written, the calls match: nothing said.
    let first = client.diagnostics(&cells[0]).unwrap();
    assert!(!codes(&first).iter().any(|(code, _)| code == "LOOM806"), "{first:?}");
    let swap = json!({"notebookDocument": {"uri": shapes, "version": 1}, "change": {"cells": {"textContent": [{"document": {"uri": cells[0], "version": 2},
        "changes": [{"range": {"start": {"line": 0, "character": 9}, "end": {"line": 0, "character": 22}}, "text": "height, width"}]}]}}});
    client.notify("notebookDocument/didChange", swap).unwrap();
    let flagged = client
        .notification("textDocument/publishDiagnostics", |p| {
            p["uri"] == cells[0] && p["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["code"] == "LOOM806"))
        })
        .unwrap();
    assert!(flagged.to_string().contains("1 call site of `area` passes the old parameters"), "{flagged}");

    // A client that sends a cell's change as a text document's: applied.
    client.diagnostics(&cell_uri(3)).unwrap();
    let used = json!({"textDocument": {"uri": cell_uri(3), "version": 2},
        "contentChanges": [{"range": {"start": {"line": 3, "character": 13}, "end": {"line": 3, "character": 13}}, "text": "\nprint(os.sep)"}]});
    client.notify("textDocument/didChange", used).unwrap();
    // `os` is used now: cell 3's F401 goes.
    client.notification("textDocument/publishDiagnostics", |p| p["uri"] == cell_uri(3) && p["diagnostics"] == json!([])).unwrap();
    let (_, text) = client.view_file(&cell_uri(3)).unwrap();
    assert!(text.contains("print(result)\nprint(os.sep)"), "the notebook's text: {text}");
    assert!(client.shutdown().unwrap().success());
}

/// A folder of `files` (path, text), checked by `pyloom check ARGS` in it:
/// the report's lines.
fn checked(files: &[(&str, &str)], args: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = Command::new(pyloom_bin()).arg("check").args(args).current_dir(dir.path()).output().unwrap();
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_owned).collect()
}

fn notebook_of(cells: Value) -> String {
    json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).to_string()
}

#[test]
fn pyloom_check_leaves_out_what_ruffs_exclude_does_and_names_cell_1_where_a_notebook_has_no_code() {
    let notebook = notebook_of(json!([{"cell_type": "code", "metadata": {}, "execution_count": null, "outputs": [], "source": "import os"}]));
    let excluding = "[tool.ruff]\nextend-exclude = [\"*.ipynb\", \"sub\"]\n";
    let files = [("pyproject.toml", excluding), ("nb.ipynb", notebook.as_str()), ("sub/mod.py", "import os\n"), ("top.py", "import os\n")];
    // A walked folder: as ruff, only what no pattern matches.
    let found = checked(&files, &["."]);
    assert!(found.iter().any(|l| l.starts_with("./top.py:1:8: F401")), "{found:?}");
    assert!(!found.iter().any(|l| l.contains("nb.ipynb") || l.contains("sub/mod.py")), "{found:?}");
    // Named on the command line: checked all the same, unless `force-exclude`.
    let found = checked(&files, &["nb.ipynb", "sub/mod.py"]);
    assert!(found.iter().any(|l| l.starts_with("nb.ipynb:cell 1:1:8: F401")) && found.iter().any(|l| l.starts_with("sub/mod.py:1:8: F401")), "{found:?}");
    let forcing = format!("{excluding}force-exclude = true\n");
    let files = [("pyproject.toml", forcing.as_str()), ("nb.ipynb", notebook.as_str()), ("sub/mod.py", "import os\n"), ("top.py", "import os\n")];
    let found = checked(&files, &["nb.ipynb", "sub/mod.py", "top.py"]);
    assert!(found.iter().any(|l| l.starts_with("top.py:1:8: F401")), "{found:?}");
    assert!(!found.iter().any(|l| l.contains("nb.ipynb") || l.contains("sub/mod.py")), "{found:?}");

    // No code cell: the notebook's start is cell 1's, as ruff names it.
    let markdown = notebook_of(json!([{"cell_type": "markdown", "metadata": {}, "source": "# Notes"}]));
    let copyright = "[lint]\nselect = [\"CPY001\"]\npreview = true\n";
    let found = checked(&[("ruff.toml", copyright), ("notes.ipynb", markdown.as_str())], &["notes.ipynb"]);
    assert!(found.iter().any(|l| l.starts_with("notes.ipynb:cell 1:1:1: CPY001")), "{found:?}");
    // `ALL`: of two docstring rules that contradict each other, ruff's choice.
    let doc = "\"\"\"Mod.\"\"\"\n\n\nclass A:\n    \"\"\"Doc.\"\"\"\n\n    x = 1\n";
    let found = checked(&[("ruff.toml", "[lint]\nselect = [\"ALL\"]\n"), ("a.py", doc)], &["a.py"]);
    assert!(!found.iter().any(|l| l.contains("D203")), "{found:?}");
    let found = checked(&[("ruff.toml", "[lint]\nselect = [\"D203\"]\n"), ("a.py", doc)], &["a.py"]);
    assert!(found.iter().any(|l| l.starts_with("a.py:5:5: D203")), "selected alone, D203 stays: {found:?}");
}

#[test]
fn an_untitled_notebook_is_navigated_like_a_saved_one() {
    let dir = project();
    let (mut client, _) = server(&dir);
    let cells = ["vscode-notebook-cell:Untitled-1.ipynb#W0s", "vscode-notebook-cell:Untitled-1.ipynb#W1s"];
    let open = json!({
        "notebookDocument": {"uri": "untitled:Untitled-1.ipynb", "notebookType": "jupyter-notebook", "version": 1,
            "cells": [{"kind": 2, "document": cells[0]}, {"kind": 2, "document": cells[1]}]},
        "cellTextDocuments": [
            {"uri": cells[0], "languageId": "python", "version": 1, "text": "class Foo:\n    pass\n"},
            {"uri": cells[1], "languageId": "python", "version": 1, "text": "Foo()\nbar\n"},
        ],
    });
    client.notify("notebookDocument/didOpen", open).unwrap();
    let second = client.diagnostics(cells[1]).unwrap();
    assert_eq!(codes(&second), [("F821".to_owned(), 1)], "{second:?}");
    let hover = client.request("textDocument/hover", at(cells[1], 0, 1)).unwrap();
    assert!(hover["contents"]["value"].as_str().is_some_and(|v| v.contains("class Foo")), "{hover}");
    let definition = client.request("textDocument/definition", at(cells[1], 0, 1)).unwrap();
    let location = if definition.is_array() { definition[0].clone() } else { definition };
    assert_eq!(location["uri"], cells[0], "{location}");
    assert!(!dir.path().join("my notes/Untitled-1.ipynb").exists(), "nothing written");
    assert!(client.shutdown().unwrap().success());
}

/// Needs `pyloom sandbox install` (scripts/test-all.sh runs it), as the
/// snippet tests do.
#[test]
fn the_editors_test_run_of_a_notebook_counts_each_tests_lines_in_its_cell() {
    let dir = project();
    // The default cache: the sandbox's interpreter is installed there.
    let (mut client, _) = LspClient::initialized(Some(&dir.path().join("my notes")), json!({}), Value::Null).unwrap();
    let tests = "def test_double():\n    assert double(2) == 4\n\n\ndef test_wrong():\n    assert double(1) == 3\n";
    let (_, cells) = open_code_cells(&mut client, &dir, "checks", &["def double(x):\n    return 2 * x\n", tests]);
    client.diagnostics(&cells[1]).unwrap();
    let run = json!({"command": "pyloom.runSnippetTests", "arguments": [{"uri": cells[1]}]});
    let results = client.request("workspace/executeCommand", run).unwrap();
    let places: Vec<(String, Value, Value)> =
        results.as_array().unwrap().iter().map(|r| (r["name"].as_str().unwrap_or_default().to_owned(), r["cell"].clone(), r["line"].clone())).collect();
    assert!(places.contains(&("test_double".to_owned(), json!(2), json!(1))), "{results}");
    assert!(places.contains(&("test_wrong".to_owned(), json!(2), json!(5))), "{results}");
    assert!(client.shutdown().unwrap().success());
}

/// Needs `pyloom sandbox install`, as the test above. The editor's lenses
/// and test run find a notebook's tests cell by cell, as `pyloom test`
/// does: the unclosed bracket of cell 2 ends with its cell.
#[test]
fn a_cell_that_does_not_parse_hides_no_later_cells_test_from_the_editor() {
    let dir = project();
    let (mut client, _) = LspClient::initialized(Some(&dir.path().join("my notes")), json!({}), Value::Null).unwrap();
    let before = "def test_before():\n    assert True\n";
    let after = "def test_after():\n    assert True\n";
    let lensed = |client: &mut LspClient, cell: &str| -> Vec<u64> {
        let lenses = client.request("textDocument/codeLens", json!({"textDocument": {"uri": cell}})).unwrap();
        let runs = lenses.as_array().unwrap().iter().filter(|lens| lens["command"]["command"] == "pyloom.runSnippetTests");
        runs.map(|lens| lens["range"]["start"]["line"].as_u64().unwrap()).collect()
    };
    let ran = |client: &mut LspClient, cell: &str| -> Vec<(String, Value)> {
        let run = json!({"command": "pyloom.runSnippetTests", "arguments": [{"uri": cell}]});
        let results = client.request("workspace/executeCommand", run).unwrap();
        results.as_array().unwrap().iter().map(|r| (r["name"].as_str().unwrap_or_default().to_owned(), r["cell"].clone())).collect()
    };
    let (_, cells) = open_code_cells(&mut client, &dir, "broken", &[before, "x = (\n", after]);
    client.diagnostics(&cells[2]).unwrap();
    assert_eq!(lensed(&mut client, &cells[2]), [0], "test_after's lens on its def");
    let results = ran(&mut client, &cells[2]);
    assert!(results.contains(&("test_before".to_owned(), json!(1))) && results.contains(&("test_after".to_owned(), json!(3))), "{results:?}");
    // Must stay: without the broken cell, the same lenses and tests.
    let (_, cells) = open_code_cells(&mut client, &dir, "mended", &[before, "x = ()\n", after]);
    client.diagnostics(&cells[2]).unwrap();
    assert_eq!(lensed(&mut client, &cells[2]), [0]);
    assert_eq!(ran(&mut client, &cells[2]).len(), 2);
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn pyloom_check_matches_lint_exclude_against_files_and_checks_one_named_unless_forced_as_ruff_does() {
    let excluding = "[tool.ruff.lint]\nexclude = [\"skip.py\", \"sub\"]\n";
    let files = [("pyproject.toml", excluding), ("skip.py", "import os\n"), ("sub/mod.py", "import os\n"), ("top.py", "import os\n")];
    // A walked folder: `skip.py` left out; `sub` names a folder, which ruff
    // 0.16 does not match `lint.exclude` against: `sub/mod.py` is linted.
    let found = checked(&files, &["."]);
    assert!(found.iter().any(|l| l.starts_with("./top.py:1:8: F401")) && found.iter().any(|l| l.starts_with("./sub/mod.py:1:8: F401")), "{found:?}");
    assert!(!found.iter().any(|l| l.contains("skip.py")), "{found:?}");
    // Named on the command line: checked, as `ruff check skip.py` does.
    let found = checked(&files, &["skip.py"]);
    assert!(found.iter().any(|l| l.starts_with("skip.py:1:8: F401")), "{found:?}");
    // Unless `force-exclude`: then the file is matched (its folders are not).
    let forcing = "[tool.ruff]\nforce-exclude = true\n[tool.ruff.lint]\nexclude = [\"skip.py\", \"sub\"]\n";
    let files = [("pyproject.toml", forcing), ("skip.py", "import os\n"), ("sub/mod.py", "import os\n"), ("top.py", "import os\n")];
    let found = checked(&files, &["skip.py", "sub/mod.py", "top.py"]);
    assert!(found.iter().any(|l| l.starts_with("top.py:1:8: F401")) && found.iter().any(|l| l.starts_with("sub/mod.py:1:8: F401")), "{found:?}");
    assert!(!found.iter().any(|l| l.contains("skip.py")), "{found:?}");
}

#[test]
fn an_open_file_or_notebook_ruffs_exclude_leaves_out_gets_no_lint_diagnostics() {
    let dir = project();
    let root = dir.path().join("my notes");
    let excluding = "[tool.ruff]\nextend-exclude = [\"gen\"]\n[tool.ruff.lint]\nexclude = [\"skip.py\", \"*.ipynb\"]\n";
    std::fs::write(root.join("pyproject.toml"), excluding).unwrap();
    let (mut client, _) = server(&dir);
    // The notebook matches `lint.exclude`: its cells get no diagnostics.
    assert_eq!(client.diagnostics(&cell_uri(1)).unwrap(), Vec::<Value>::new());
    for (path, excluded) in [("gen/a.py", true), ("skip.py", true), ("kept.py", false)] {
        let uri = file_uri(&root.join(path));
        client.open(&uri, "import os\n").unwrap();
        let found = codes(&client.diagnostics(&uri).unwrap());
        // The must-not twin: a file no pattern matches is linted.
        let expected = if excluded { vec![] } else { vec![("F401".to_owned(), 0)] };
        assert_eq!(found, expected, "{path}");
    }
    assert!(client.shutdown().unwrap().success());
}

/// A client that pulls pulls no cell's diagnostics (VS Code pulls text
/// documents', never a notebook cell's): when the rules change, the
/// notebook's are pushed again as its edits' are; the client is still
/// asked to pull the others (an open `.py` file's) again (the twin).
#[test]
fn changed_settings_push_a_notebooks_cells_again_to_a_client_that_pulls() {
    let dir = tempfile::tempdir().unwrap();
    let pulls = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}, "workspace": {"diagnostics": {"refreshSupport": true}}});
    let (mut client, _) = LspClient::initialized(Some(dir.path()), pulls, Value::Null).unwrap();
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();
    let notebook = file_uri(&dir.path().join("pulled.ipynb"));
    let cell = "vscode-notebook-cell:/pulled.ipynb#W0";
    client
        .notify(
            "notebookDocument/didOpen",
            json!({
                "notebookDocument": {"uri": notebook, "notebookType": "jupyter-notebook", "version": 0, "cells": [{"kind": 2, "document": cell}]},
                "cellTextDocuments": [{"uri": cell, "languageId": "python", "version": 1, "text": "import os\n"}],
            }),
        )
        .unwrap();
    client.open(&file_uri(&dir.path().join("module.py")), "import sys\n").unwrap();
    let with_f401 = |p: &Value| p["uri"] == cell && p["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["code"] == "F401"));
    client.notification("textDocument/publishDiagnostics", with_f401).unwrap();
    let refreshes = |client: &LspClient| client.server_requests.iter().filter(|m| m["method"] == "workspace/diagnostic/refresh").count();
    let before = refreshes(&client);
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"pyloom": {"lint": {"ignore": ["F401"]}}}})).unwrap();
    let without_f401 = |p: &Value| p["uri"] == cell && p["diagnostics"].as_array().is_some_and(|d| d.iter().all(|d| d["code"] != "F401"));
    client.notification("textDocument/publishDiagnostics", without_f401).unwrap();
    // Asked for while the test waited for the push, or still to come.
    if refreshes(&client) == before {
        client.wait_for("workspace/diagnostic/refresh", |m| m["method"] == "workspace/diagnostic/refresh").unwrap();
    }
    assert!(refreshes(&client) > before);
    let (status, _) = client.shutdown_with_log().unwrap();
    assert!(status.success());
}
