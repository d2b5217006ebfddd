//! Edits offered in a notebook whose cells hold IPython's escapes
//! (`%matplotlib inline`, `!pip list`, `%time`): refactorings made as
//! IPython reads the code or refused with the escape that stops them, and
//! a completion's import at the top of the asking cell; a generated
//! (LLM) edit not asked for around them; fix all in a cell.

use pyloom_e2e::http::{Reply, ScriptedServer};
use pyloom_e2e::{LspClient, file_uri};
use serde_json::{Value, json};

/// A server on a folder with `shop/cart.py`, and the notebook `name.ipynb`
/// of code cells `cells` open in it: the cells' URIs.
fn open_notebook(cells: &[&str]) -> (tempfile::TempDir, LspClient, Vec<String>) {
    open_notebook_beside(&[], cells)
}

/// [`open_notebook`] with the `files` (path, text) on disk too.
fn open_notebook_beside(files: &[(&str, &str)], cells: &[&str]) -> (tempfile::TempDir, LspClient, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        std::fs::write(dir.path().join(path), text).unwrap();
    }
    std::fs::create_dir_all(dir.path().join("shop")).unwrap();
    std::fs::write(dir.path().join("shop/__init__.py"), "").unwrap();
    std::fs::write(dir.path().join("shop/cart.py"), "def make_cart():\n    return []\n").unwrap();
    let cache = dir.path().join(".cache");
    let mut client = LspClient::spawn_in(None, &[("PYLOOM_CACHE_DIR", cache.to_str().unwrap())]).unwrap();
    let root = file_uri(dir.path());
    client.request("initialize", json!({"processId": null, "rootUri": root, "capabilities": {}})).unwrap();
    client.notify("initialized", json!({})).unwrap();
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();
    let notebook = file_uri(&dir.path().join("nb.ipynb"));
    let uris: Vec<String> = (1..=cells.len()).map(|n| format!("vscode-notebook-cell:{}#C{n}", dir.path().join("nb.ipynb").display())).collect();
    let documents: Vec<Value> = uris.iter().zip(cells).map(|(uri, text)| json!({"uri": uri, "languageId": "python", "version": 1, "text": text})).collect();
    let kinds: Vec<Value> = uris.iter().map(|uri| json!({"kind": 2, "document": uri})).collect();
    let open = json!({"notebookDocument": {"uri": notebook, "notebookType": "jupyter-notebook", "version": 0, "cells": kinds}, "cellTextDocuments": documents});
    client.notify("notebookDocument/didOpen", open).unwrap();
    client.diagnostics(&uris[0]).unwrap();
    (dir, client, uris)
}

/// The refactorings offered at `line`:`character` of `cell`: each title,
/// with its edits' cells or why it is disabled.
fn refactorings(client: &mut LspClient, cell: &str, line: u32, character: u32) -> Vec<String> {
    let at = json!({"line": line, "character": character});
    let params = json!({"textDocument": {"uri": cell}, "range": {"start": at, "end": at}, "context": {"diagnostics": [], "only": ["refactor"]}});
    let actions = client.request("textDocument/codeAction", params).unwrap();
    actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| match a["disabled"]["reason"].as_str() {
            Some(why) => format!("{} DISABLED: {why}", a["title"].as_str().unwrap()),
            None => format!("{} {}", a["title"].as_str().unwrap(), a["edit"]["changes"]),
        })
        .collect()
}

#[test]
fn a_refactoring_in_a_notebook_with_magics_is_made_beside_them_and_refused_across_them() {
    let cells = ["%matplotlib inline\nrate = 0.2\n", "!pip list\nprint(rate * 10)\n", "limit = 3\n%time doubled = limit * 2\nprint(limit)\n"];
    let (_dir, mut client, uris) = open_notebook(&cells);
    // `rate`: no escape spells it; its read is in cell 2.
    let offered = refactorings(&mut client, &uris[0], 1, 1);
    assert_eq!(offered.len(), 1, "{offered:?}");
    let expected = json!({
        uris[0].clone(): [{"range": {"start": {"line": 1, "character": 0}, "end": {"line": 2, "character": 0}}, "newText": ""}],
        uris[1].clone(): [{"range": {"start": {"line": 1, "character": 6}, "end": {"line": 1, "character": 10}}, "newText": "0.2"}],
    });
    assert_eq!(offered[0], format!("Inline `rate` (1 read) {expected}"));
    // Must not: `%time` reads `limit`, which the graph cannot see.
    let refused = refactorings(&mut client, &uris[2], 0, 1);
    assert_eq!(refused, ["Inline `limit` DISABLED: `limit` is spelled in the IPython escape `%time doubled = limit * 2`, which pyloom cannot check; refused"]);
    assert!(client.shutdown().unwrap().success());
}

/// The `make_cart` item's import edits when completing `make_c` at the end
/// of cell `asking` of a notebook of `cells`; `None` when not offered.
fn auto_import(cells: &[&str], asking: usize) -> Option<Value> {
    let (_dir, mut client, uris) = open_notebook(cells);
    let lines: Vec<&str> = cells[asking].split('\n').collect();
    let at = json!({"line": lines.len() - 1, "character": lines.last().unwrap().len()});
    let answer = client.request("textDocument/completion", json!({"textDocument": {"uri": uris[asking]}, "position": at})).unwrap();
    let items = answer["items"].as_array().cloned().unwrap_or_default();
    let item = items.into_iter().find(|i| i["label"] == "make_cart");
    assert!(client.shutdown().unwrap().success());
    item.map(|i| i["additionalTextEdits"].clone())
}

#[test]
fn a_completions_import_goes_to_the_top_of_the_asking_cell() {
    // After the imports cell and a code cell (the common layout).
    let edits = auto_import(&["import os\n", "x = 1\n", "y = make_c"], 2);
    let top = json!({"line": 0, "character": 0});
    assert_eq!(edits, Some(json!([{"range": {"start": top, "end": top}, "newText": "from shop.cart import make_cart\n\n"}])));
    // Must not: above a cell magic, which must stay the cell's first line.
    assert_eq!(auto_import(&["import os\n", "%%time\ny = make_c"], 1), None);
}

#[test]
fn a_completions_import_goes_below_the_cells_line_magics_and_above_a_leading_string() {
    let edits = auto_import(&["%load_ext autoreload\n%autoreload 2\nimport os\n\ny = make_c"], 0);
    let below = json!({"line": 4, "character": 0});
    assert_eq!(edits, Some(json!([{"range": {"start": below, "end": below}, "newText": "from shop.cart import make_cart\n\n"}])));
    // Above a string starting a cell, which is no docstring there (below
    // it, the import would be ruff's E402, "not at top of cell").
    let top = json!({"line": 0, "character": 0});
    let edits = auto_import(&["import os\n", "\"\"\"Cart cell.\"\"\"\ny = make_c"], 1);
    assert_eq!(edits, Some(json!([{"range": {"start": top, "end": top}, "newText": "from shop.cart import make_cart\n\n"}])));
}

/// The rename of `make_cart` to `new_cart` asked at its import in the
/// last of `cells`: the edited documents, or the refusal.
fn rename_make_cart(cells: &[&str]) -> Result<Vec<String>, String> {
    rename_make_cart_beside(&[], cells)
}

/// [`rename_make_cart`] with the `files` (path, text) on disk too.
fn rename_make_cart_beside(files: &[(&str, &str)], cells: &[&str]) -> Result<Vec<String>, String> {
    let (_dir, mut client, uris) = open_notebook_beside(files, cells);
    let at = json!({"textDocument": {"uri": uris[cells.len() - 1]}, "position": {"line": 0, "character": 25}, "newName": "new_cart"});
    let id = client.send_request("textDocument/rename", at).unwrap();
    let answer = client.raw_response(&json!(id)).unwrap();
    assert!(client.shutdown().unwrap().success());
    match answer["error"]["message"].as_str() {
        Some(refused) => Err(refused.to_owned()),
        None => Ok(answer["result"]["changes"].as_object().unwrap().keys().map(|uri| uri.rsplit(['/', '#']).next().unwrap().to_owned()).collect()),
    }
}

#[test]
fn a_rename_of_a_module_a_writefile_cell_writes_is_refused_naming_the_cell() {
    let writes = "%%writefile shop/cart.py\ndef make_cart():\n    return []\n";
    let refused = rename_make_cart(&[writes, "from shop.cart import make_cart\nprint(make_cart())\n"]).unwrap_err();
    assert!(refused.starts_with("cart.py is written by the cell `%%writefile shop/cart.py` at nb.ipynb:cell 1,"), "{refused}");
    // Must not: the notebook that does not write the module.
    let mut edited = rename_make_cart(&["x = 1\n", "from shop.cart import make_cart\nprint(make_cart())\n"]).unwrap();
    edited.sort();
    assert_eq!(edited, ["C2", "cart.py"]);
}

#[test]
fn a_rename_of_a_name_a_closed_notebook_spells_is_refused_naming_its_cell() {
    // `report.ipynb` is on disk, not open: the graph does not hold it and
    // the rename could not edit it, so it would keep calling `make_cart`.
    let report = |code: &str| {
        let cells = json!([
            {"cell_type": "markdown", "metadata": {}, "source": "# Report"},
            {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": code},
        ]);
        json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}).to_string()
    };
    let uses = "from shop.cart import make_cart\nprint(make_cart())\n";
    let spelling = report("import shop.cart\n\nshop.cart.make_cart()\n");
    let refused = rename_make_cart_beside(&[("report.ipynb", &spelling)], &[uses]).unwrap_err();
    assert!(refused.starts_with("the notebook at report.ipynb:cell 2:3 spells `make_cart` and is not open"), "{refused}");
    // Must not: a closed notebook spelling another word (`make_carts`).
    let other = report("make_carts = 1\n");
    let mut edited = rename_make_cart_beside(&[("report.ipynb", &other)], &[uses]).unwrap();
    edited.sort();
    assert_eq!(edited, ["C1", "cart.py"]);
}

#[test]
fn a_rename_of_a_name_a_cell_magics_line_expands_is_refused() {
    // IPython expands `{name}` in any cell magic's line (`%%bash -s
    // {make_cart}`), though the cell's body is left out of the module.
    let uses = "from shop.cart import make_cart\nprint(make_cart())\n";
    let refused = rename_make_cart(&["%%bash -s {make_cart}\necho $1\n", uses]).unwrap_err();
    assert!(refused.contains("(`%%bash -s {make_cart}`)") && refused.contains("spells `make_cart`"), "{refused}");
    // The new name bound by the magic (`--out new_cart`) would be read instead.
    let refused = rename_make_cart(&["%%bash --out new_cart\necho hi\n", uses]).unwrap_err();
    assert!(refused.contains("spells `new_cart`"), "{refused}");
    // Must not: a cell magic's line spelling neither.
    let mut edited = rename_make_cart(&["%%bash -s {other}\necho $1\n", uses]).unwrap();
    edited.sort();
    assert_eq!(edited, ["C2", "cart.py"]);
}

#[test]
fn a_generated_edit_is_not_asked_for_in_a_notebook_with_magics() {
    let reply = json!({"message": {"role": "assistant", "content": "```python\nreturn sum(prices)\n```\n"}, "done": true});
    let model = ScriptedServer::start(vec![Reply::json(200, &reply.to_string())]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join(".cache");
    let mut client = LspClient::spawn_in(None, &[("PYLOOM_CACHE_DIR", cache.to_str().unwrap())]).unwrap();
    let root = file_uri(dir.path());
    let options = json!({"llm": {"base_url": model.base_url, "cache": {"enabled": false}, "max_retries": 0},
        "actions": {"memory_path": dir.path().join("mistakes.sqlite3")}});
    client.request("initialize", json!({"processId": null, "rootUri": root, "capabilities": {}, "initializationOptions": options})).unwrap();
    client.notify("initialized", json!({})).unwrap();
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();
    let notebook = file_uri(&dir.path().join("totals.ipynb"));
    let cell = format!("vscode-notebook-cell:{}#C1", dir.path().join("totals.ipynb").display());
    let stub = "%matplotlib inline\n\n\ndef total(prices):\n    \"\"\"The sum of the prices.\"\"\"\n    ...";
    let open = json!({"notebookDocument": {"uri": notebook, "notebookType": "jupyter-notebook", "version": 0, "cells": [{"kind": 2, "document": cell}]},
        "cellTextDocuments": [{"uri": cell, "languageId": "python", "version": 1, "text": stub}]});
    client.notify("notebookDocument/didOpen", open).unwrap();
    let arguments = json!([{"uri": cell, "position": {"line": 3, "character": 5}}]);
    let id = client.send_request("workspace/executeCommand", json!({"command": "pyloom.implement", "arguments": arguments})).unwrap();
    let refused = client.raw_response(&json!(id)).unwrap()["error"]["message"].clone();
    assert!(refused.as_str().unwrap().contains("its cells hold IPython escapes"), "{refused}");
    // Refused before the model is asked (the twin without the magic is
    // notebook.rs's implement_on_a_cell_edits_that_cell).
    assert!(model.requests().is_empty());
    assert!(client.shutdown().unwrap().success());
}

/// `cell`'s edits of the fix-all asked with the cursor at the start of
/// `cell` (an editor's place for it in a notebook just opened).
fn fix_all_edits(client: &mut LspClient, cell: &str) -> Value {
    let start = json!({"line": 0, "character": 0});
    let params = json!({"textDocument": {"uri": cell}, "range": {"start": start, "end": start}, "context": {"diagnostics": [], "only": ["source.fixAll"]}});
    let actions = client.request("textDocument/codeAction", params).unwrap();
    let fix = actions.as_array().unwrap().iter().find(|a| a["kind"] == "source.fixAll.pyloom").cloned();
    fix.map_or(Value::Null, |fix| fix["edit"]["changes"][cell].clone())
}

#[test]
fn fix_all_in_a_cell_reaches_ruffs_fixed_point_and_is_offered_again_after_an_edit_across_lines() {
    let (dir, mut client, uris) = open_notebook(&["import os\nimport sys\nimport json\nrate = 3\n", "y = rate * 2\nprint(json.dumps({}))\n"]);
    // `os` and `sys` both go (`import json\n\nrate = 3\n`, as `ruff check --fix`).
    let range = |l0: u32, c0: u32, l1: u32, c1: u32| json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}});
    assert_eq!(fix_all_edits(&mut client, &uris[0]), json!([{"range": range(0, 7, 2, 11), "newText": "json\n"}]));
    // An edit across lines leaving `import os` on the line it ends on (an
    // older fix-all's): no line is being typed, and fix all is offered.
    let notebook = file_uri(&dir.path().join("nb.ipynb"));
    let edit = |version: i64, range: Value, text: &str| {
        json!({"notebookDocument": {"uri": notebook, "version": version}, "change": {"cells": {"textContent": [{"document": {"uri": uris[0], "version": version + 1},
            "changes": [{"range": range, "text": text}]}]}}})
    };
    client.notify("notebookDocument/didChange", edit(1, range(0, 7, 2, 11), "json\nimport os\n")).unwrap();
    assert_eq!(client.view_file(&uris[0]).unwrap().1, "import json\nimport os\n\nrate = 3\n\ny = rate * 2\nprint(json.dumps({}))\n\n");
    assert_eq!(fix_all_edits(&mut client, &uris[0]), json!([{"range": range(1, 0, 2, 0), "newText": ""}]));
    // Must stay: `import re` being typed is kept (fix all removes `os`:
    // `os\nimport ` goes, `import re` stays).
    client.notify("notebookDocument/didChange", edit(2, range(1, 9, 1, 9), "\nimport re")).unwrap();
    assert_eq!(client.view_file(&uris[0]).unwrap().1, "import json\nimport os\nimport re\n\nrate = 3\n\ny = rate * 2\nprint(json.dumps({}))\n\n");
    assert_eq!(fix_all_edits(&mut client, &uris[0]), json!([{"range": range(1, 7, 2, 7), "newText": ""}]));
    assert!(client.shutdown().unwrap().success());
}
