//! A notebook's cell edits as ranged changes of its joined text, so that
//! the server's copy of the notebook is edited where the user typed, as a
//! `.py` file's is: the document's incremental parse and the line last
//! typed on (which fix-all keeps an import on) follow the cells.
//!
//! A cell's line is the joined text's line `start + line` with the same
//! characters (ruff joins the cells' texts as they are), so a change's
//! range moves by the cell's first line, which each edit of an earlier
//! cell shifts by the lines it adds. Where the joined text changes other
//! than the edits say (a cell magic typed on a cell's first line takes
//! the cell out of the module), the changes are checked against the
//! re-joined text and `None` sends the whole text instead.

use serde_json::{Value, json};

use super::wire::{ContentChange, NotebookCell};
use crate::notebook::Notebook;
use crate::workspace::{Document, PositionEncoding, TextChange, TextPosition};

/// The edits of `cells` (each cell's ranged changes, in order) as changes
/// of `before`'s joined text that make `after`'s; `None` when they do not.
pub(super) fn joined_changes(
    before: &Notebook,
    after: &Notebook,
    cells: &[NotebookCell],
    edits: &[(String, Vec<ContentChange>)],
    encoding: PositionEncoding,
) -> Option<Vec<Value>> {
    // The lines each cell has gained so far.
    let mut gained = vec![0i64; cells.len()];
    let mut changes = Vec::new();
    for (uri, cell_changes) in edits {
        let index = cells.iter().position(|c| c.document == *uri)?;
        // A cell out of the module (markdown, `%%bash`) that stays out
        // changes nothing in it; one that comes in fails the check below.
        let Some((first, _)) = before.cell_lines(index) else { continue };
        let start = i64::from(first) + gained[..index].iter().sum::<i64>();
        for change in cell_changes {
            let range = change.range.as_ref()?;
            let at = |line: u32, character: u32| Some(TextPosition::new(u32::try_from(start + i64::from(line)).ok()?, character));
            let from = at(range.start.line, range.start.character)?;
            let to = at(range.end.line, range.end.character)?;
            gained[index] += crate::line_ends::count(&change.text) as i64 - (i64::from(range.end.line) - i64::from(range.start.line));
            changes.push(TextChange { range: Some((from, to)), text: change.text.clone() });
        }
    }
    let mut check = Document::new(0, before.source(), 0);
    check.apply(1, &changes, encoding).ok()?;
    (check.text() == after.source()).then(|| changes.iter().map(wire).collect())
}

/// A change as `textDocument/didChange` sends it.
fn wire(change: &TextChange) -> Value {
    let position = |p: &TextPosition| json!({"line": p.line, "character": p.character});
    let range = change.range.as_ref().map(|(start, end)| json!({"start": position(start), "end": position(end)}));
    json!({"range": range, "text": change.text})
}
