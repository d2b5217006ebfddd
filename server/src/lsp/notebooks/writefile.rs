//! `%%writefile helper.py` cells: a notebook that writes a module it then
//! imports is that module's source. The cell is no Python of the notebook
//! (its text is the file's, not code the graph reads), so an edit of the
//! module together with other files (a rename of one of its functions and
//! its imports) would be undone in the module alone by the cell's next
//! run: such an edit is refused, naming the cell.

use std::path::{Component, Path, PathBuf};

use tower_lsp::lsp_types::Url;

/// A file a `%%writefile` cell writes.
pub(super) struct Written {
    /// The file's URI as the server spells it (made from its path).
    pub uri: String,
    /// Why an edit of it is refused.
    pub reason: String,
}

/// The files written by the `%%writefile` cells of the notebook at
/// `notebook` (its file URI), given each cell's text in order.
pub(super) fn written<'a>(notebook: &str, cells: impl IntoIterator<Item = &'a str>) -> Vec<Written> {
    let Some(path) = Url::parse(notebook).ok().and_then(|u| u.to_file_path().ok()) else { return Vec::new() };
    let (Some(folder), Some(name)) = (path.parent(), path.file_name().and_then(|n| n.to_str())) else { return Vec::new() };
    cells
        .into_iter()
        .enumerate()
        .filter_map(|(index, text)| {
            let first = text.lines().next()?.trim();
            let (target, _) = crate::notebook::writefile_target(first)?;
            // IPython writes it from the kernel's folder: the notebook's.
            let file = normal(&folder.join(target));
            let uri = Url::from_file_path(&file).ok()?.to_string();
            let reason = format!(
                "{} is written by the cell `{first}` at {name}:cell {}, which this edit does not change: the cell's next run would undo the edit there alone; edit the cell by hand; refused",
                file.file_name()?.to_string_lossy(),
                index + 1
            );
            Some(Written { uri, reason })
        })
        .collect()
}

/// `path` with its `.` and `..` resolved as written (the file may not exist).
fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::written;
    use crate::lsp::notebooks::Notebooks;
    use crate::lsp::notebooks::tests::{NB, cell, code, message, open_with, parsed, to_server};

    /// A notebook whose first cell writes `helper.py`, which its second imports.
    fn writing() -> Notebooks {
        let notebooks = Notebooks::default();
        let texts = json!([
            {"uri": cell(1), "languageId": "python", "version": 1, "text": "%%writefile helper.py\ndef greet():\n    return 'hi'\n"},
            {"uri": cell(2), "languageId": "python", "version": 1, "text": "from helper import greet\nprint(greet())"},
        ]);
        to_server(notebooks.incoming("notebookDocument/didOpen", open_with(json!([code(1), code(2)]), texts, 1)));
        notebooks
    }

    /// The client's answer to a rename asked in the second cell whose edit
    /// is `changes` (the server's).
    fn renamed(notebooks: &Notebooks, id: u32, changes: Value) -> Value {
        let rename = json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/rename", "params": {
            "textDocument": {"uri": cell(2)}, "position": {"line": 0, "character": 20}, "newName": "salute"}});
        notebooks.incoming("textDocument/rename", message(rename));
        let answer = json!({"jsonrpc": "2.0", "id": id, "result": {"changes": changes}});
        parsed(notebooks.outgoing(message(answer))).remove(0)
    }

    fn edit(line: u32, start: u32) -> Value {
        json!([{"range": {"start": {"line": line, "character": start}, "end": {"line": line, "character": start + 5}}, "newText": "salute"}])
    }

    #[test]
    fn an_edit_of_a_file_a_writefile_cell_writes_and_of_its_users_is_refused() {
        let notebooks = writing();
        let refused = renamed(&notebooks, 1, json!({"file:///w/helper.py": edit(0, 4), NB: edit(0, 19)}));
        let reason = refused["error"]["message"].as_str().unwrap_or_default();
        assert!(reason.starts_with("helper.py is written by the cell `%%writefile helper.py` at analysis.ipynb:cell 1"), "{refused}");
        // Must not: the module alone, or the notebook with another module.
        let alone = renamed(&notebooks, 2, json!({"file:///w/helper.py": edit(0, 4)}));
        assert_eq!(alone["result"]["changes"]["file:///w/helper.py"], edit(0, 4));
        let other = renamed(&notebooks, 3, json!({"file:///w/other.py": edit(0, 4), NB: edit(0, 19)}));
        assert_eq!(other["result"]["changes"][cell(2)], edit(0, 19));
    }

    #[test]
    fn a_writefile_cell_names_the_file_it_writes_beside_the_notebook() {
        let cells = ["%%writefile -a ./lib/../helper.py\ndef greet():\n    return 'hi'\n", "from helper import greet", "%%writefile\n", "%%writefilex a.py\n"];
        let found = written("file:///w/n.ipynb", cells);
        assert_eq!(found.iter().map(|w| w.uri.as_str()).collect::<Vec<_>>(), ["file:///w/helper.py"]);
        assert!(found[0].reason.starts_with("helper.py is written by the cell `%%writefile -a ./lib/../helper.py` at n.ipynb:cell 1,"), "{}", found[0].reason);
        // Must not: a notebook that is no file writes nowhere the server knows.
        assert!(written("untitled:Untitled-1.ipynb", cells).is_empty());
    }
}
