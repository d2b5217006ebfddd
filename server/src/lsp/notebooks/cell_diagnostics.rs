//! A notebook's diagnostics in its cells: each in the cell it starts in,
//! pushed per cell or pulled for one.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::super::{Open, OpenNotebooks, bytes, publish};
use super::{Cell, Walk, cell_at};

/// What was last published for a cell: its version, if known, and its
/// diagnostics.
pub(in crate::lsp::notebooks) type Published = (Option<i32>, Vec<Value>);

/// The notebook's diagnostics as one `publishDiagnostics` per cell whose
/// diagnostics changed since they were last published (the cells without
/// any get an empty list, which clears what they showed). A cell's are
/// compared with what it was last sent before a message is made of them:
/// a keystroke changes one cell's, and the other cells' would otherwise be
/// written out for nothing each time.
pub(super) fn per_cell(
    notebooks: &OpenNotebooks,
    open: &Open,
    diagnostics: Vec<Value>,
    versions: Option<&crate::workspace::Documents>,
    published: &mut HashMap<String, Published>,
) -> Vec<Vec<u8>> {
    let mut by_cell: HashMap<String, Vec<Value>> = open.cells.iter().map(|c| (c.document.clone(), Vec::new())).collect();
    let mut walk = Walk { notebooks, versions: None, refused: None };
    for diagnostic in diagnostics {
        let Some(line) = diagnostic.pointer("/range/start/line").and_then(Value::as_u64) else { continue };
        let Some(cell) = cell_at(open, line as u32) else { continue };
        if let Some(placed) = diagnostic_in(&mut walk, diagnostic, &cell)
            && let Some(list) = by_cell.get_mut(&cell.uri)
        {
            list.push(placed);
        }
    }
    for cell in &open.too_deep {
        if let Some(list) = by_cell.get_mut(cell) {
            list.push(too_deep_diagnostic());
        }
    }
    open.cells
        .iter()
        .filter_map(|cell| {
            let version = versions.and_then(|texts| texts.snapshot(&cell.document)).map(|doc| doc.version);
            let now = (version, by_cell.remove(&cell.document).unwrap_or_default());
            if published.get(&cell.document) == Some(&now) {
                return None;
            }
            let message = bytes(&publish(&cell.document, now.0, now.1.clone()));
            published.insert(cell.document.clone(), now);
            Some(message)
        })
        .collect()
}

/// `diagnostic` of the notebook, starting in `cell`, moved into it: shown
/// to the end of the cell when it runs past it, and without its fix when
/// the fix edits another cell (ruff adds PLR1722's `import sys` at the top
/// of the first): the finding is the cell's all the same, as ruff reports it.
pub(super) fn diagnostic_in(walk: &mut Walk<'_>, mut diagnostic: Value, cell: &Cell) -> Option<Value> {
    let past_cell = u64::from(cell.start + cell.lines);
    if let Some(end) = diagnostic.pointer_mut("/range/end")
        && end.get("line").and_then(Value::as_u64).is_some_and(|end| end > past_cell)
    {
        *end = json!({"line": past_cell, "character": 0});
    }
    let mut placed = diagnostic.clone();
    if walk.value(&mut placed, Some(cell)) {
        return Some(placed);
    }
    walk.refused = None;
    let data = diagnostic.get_mut("data")?.as_object_mut()?;
    data.get("fix").is_some_and(|fix| !fix.is_null()).then_some(())?;
    data.insert("fix".to_owned(), Value::Null);
    walk.value(&mut diagnostic, Some(cell)).then_some(diagnostic)
}

/// The error of a cell left out of its notebook's module for nesting
/// brackets too deep (the other cells are analysed): on its first line,
/// as a file nested too deep is reported (`E999`).
pub(super) fn too_deep_diagnostic() -> Value {
    let message = format!("Brackets nested more than {} deep: this cell is not analysed (CPython refuses more than 200)", crate::workspace::MAX_NESTING);
    let start = json!({"line": 0, "character": 0});
    json!({"range": {"start": start, "end": start}, "severity": 1, "code": "E999", "source": "pyloom", "message": message})
}
