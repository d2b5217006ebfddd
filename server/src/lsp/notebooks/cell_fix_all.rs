//! Fix all asked in a notebook cell that holds no Python.

use serde_json::{Value, json};

use super::{Cell, Open, cell_by_uri};

/// Fix all asked in a cell that holds no Python (markdown, a `%%R` cell)
/// fixes the notebook's Python cells, as asked in any of them: asked again
/// at the start of the first (VS Code asks `notebook.source.fixAll` in the
/// notebook's first cell, often markdown). Its diagnostics are the other
/// cell's, so none are sent.
pub(super) fn in_python(message: &mut Value, method: &str, open: &Open) -> Option<Cell> {
    let only = message.pointer("/params/context/only").and_then(Value::as_array);
    let fix_all = only.is_some_and(|kinds| {
        kinds.iter().filter_map(Value::as_str).any(|kind| kind.starts_with("source.fixAll") || kind.starts_with("notebook.source.fixAll"))
    });
    if method != "textDocument/codeAction" || !fix_all {
        return None;
    }
    let cell = open.cells.iter().find_map(|cell| cell_by_uri(open, &cell.document))?;
    let params = message.get_mut("params")?;
    params["textDocument"]["uri"] = json!(cell.uri);
    let start = json!({"line": 0, "character": 0});
    params["range"] = json!({"start": start, "end": start});
    params["context"]["diagnostics"] = json!([]);
    Some(cell)
}
