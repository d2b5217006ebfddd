//! The notebook notifications' parameters (LSP 3.17; lsp-types 0.94 has no
//! notebook types) and how a `didChange` edits the open notebook.

use std::collections::HashMap;

use serde::Deserialize;

use super::{Open, text_change};
use crate::workspace::{Document, Documents};

/// `NotebookCellKind.Code` (`Markup` is 1).
pub(super) const CODE: u8 = 2;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct OpenNotebookParams {
    pub notebook_document: NotebookDocument,
    #[serde(default)]
    pub cell_text_documents: Vec<TextDocumentItem>,
}

#[derive(Deserialize)]
pub(super) struct NotebookDocument {
    pub version: i32,
    #[serde(default)]
    pub cells: Vec<NotebookCell>,
}

#[derive(Deserialize, Clone)]
pub(super) struct NotebookCell {
    pub kind: u8,
    /// The URI of the cell's text document.
    pub document: String,
    /// The language of the cell's text document, once it is open.
    #[serde(skip)]
    pub language: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct TextDocumentItem {
    pub uri: String,
    pub language_id: String,
    pub version: i32,
    pub text: String,
}

/// `NotebookDocumentChangeEvent.cells`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct CellChanges {
    structure: Option<Structure>,
    #[serde(default)]
    data: Vec<NotebookCell>,
    #[serde(default)]
    text_content: Vec<TextContent>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Structure {
    array: ArrayChange,
    #[serde(default)]
    did_open: Vec<TextDocumentItem>,
    #[serde(default)]
    did_close: Vec<Identifier>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ArrayChange {
    start: usize,
    delete_count: usize,
    #[serde(default)]
    cells: Vec<NotebookCell>,
}

#[derive(Deserialize)]
struct Identifier {
    uri: String,
}

#[derive(Deserialize)]
struct TextContent {
    document: VersionedIdentifier,
    changes: Vec<ContentChange>,
}

#[derive(Deserialize)]
struct VersionedIdentifier {
    uri: String,
    version: i32,
}

#[derive(Deserialize)]
pub(super) struct ContentChange {
    pub range: Option<Range>,
    pub text: String,
}

#[derive(Deserialize)]
pub(super) struct Range {
    pub start: Position,
    pub end: Position,
}

#[derive(Deserialize)]
pub(super) struct Position {
    pub line: u32,
    pub character: u32,
}

impl CellChanges {
    /// Applies the change to the notebook at `uri`, in the spec's order:
    /// the cells added and removed, their kinds, then their texts; all of
    /// it or, when a part cannot be applied, none of it. Returns what it
    /// did to the cells' texts.
    pub(super) fn apply(self, uri: &str, open: &mut Open, texts: &mut Documents, owner: &mut HashMap<String, String>) -> Result<Edited, String> {
        let CellChanges { structure, data, text_content } = self;
        // Cells added, removed or (maybe) of another kind now: the joined
        // text changes in more places than the cells' edits say.
        let mut restructured = structure.is_some() || !data.is_empty();
        let mut cells = open.cells.clone();
        if let Some(structure) = &structure {
            let ArrayChange { start, delete_count, cells: inserted } = &structure.array;
            let (start, delete_count) = (*start, *delete_count);
            if start.checked_add(delete_count).is_none_or(|end| end > cells.len()) {
                return Err(format!("cells {start}..+{delete_count} are not in the {} cells of {uri}", cells.len()));
            }
            // A cell is one document: inserted twice, its code would be in
            // the notebook twice and its findings published for one place.
            let kept = cells[..start].iter().chain(&cells[start + delete_count..]);
            let mut documents: std::collections::HashSet<&str> = kept.map(|c| c.document.as_str()).collect();
            if let Some(twice) = inserted.iter().find(|c| !documents.insert(c.document.as_str())) {
                return Err(format!("cell {} would be in {uri} twice", twice.document));
            }
            // An inserted cell's text comes with it, or it is one of the
            // notebook's own cells moved; a text comes for a cell inserted.
            let text_of = |cell: &str| structure.did_open.iter().any(|d| d.uri == cell) || open.cells.iter().any(|c| c.document == cell);
            if let Some(bare) = inserted.iter().find(|c| !text_of(&c.document)) {
                return Err(format!("cell {} is inserted in {uri} with no text document (not in didOpen, not a cell of the notebook)", bare.document));
            }
            if let Some(stray) = structure.did_open.iter().find(|d| !inserted.iter().any(|c| c.document == d.uri)) {
                return Err(format!("cell document {} is opened but not inserted in {uri}", stray.uri));
            }
            if let Some((cell, other)) = inserted.iter().find_map(|c| Some((&c.document, owner.get(&c.document).filter(|o| *o != uri)?))) {
                return Err(format!("cell {cell} is already open in notebook {other}"));
            }
            let mut inserted = inserted.clone();
            // A cell moved (deleted and inserted again) keeps the language
            // its text document was opened with: its text is not sent again.
            for cell in &mut inserted {
                cell.language = match structure.did_open.iter().find(|d| d.uri == cell.document) {
                    Some(opened) => Some(opened.language_id.clone()),
                    None => open.cells.iter().find(|c| c.document == cell.document).and_then(|c| c.language.clone()),
                };
            }
            cells.splice(start..start + delete_count, inserted);
        }
        // Each live cell's new text, made before anything is stored: a
        // change that cannot be applied leaves the notebook as it was.
        let opened = |cell: &str| structure.as_ref()?.did_open.iter().find(|d| d.uri == cell);
        let closed = |cell: &str| structure.as_ref().is_some_and(|s| s.did_close.iter().any(|d| d.uri == cell));
        let mut edited: Vec<(String, Document)> = Vec::new();
        let mut edits = Vec::new();
        for content in text_content {
            let cell = content.document.uri;
            if !cells.iter().any(|c| c.document == cell) {
                if !open.cells.iter().any(|c| c.document == cell) {
                    return Err(format!("cell {cell} is no cell of {uri}"));
                }
                // Typed just before the cell was deleted (a client sending
                // its pending text with the deletion): the cell, and what
                // was typed in it, is gone from the notebook.
                tracing::info!("notebookDocument/didChange: the text change of cell {cell} skipped: the same change deletes the cell from {uri}");
                continue;
            }
            let earlier = edited.iter().rposition(|(uri, _)| *uri == cell);
            let current = match earlier {
                Some(at) => Some(edited.remove(at).1),
                None => {
                    opened(&cell).map(|item| Document::new(item.version, &item.text, 0)).or_else(|| (!closed(&cell)).then(|| texts.snapshot(&cell)).flatten())
                }
            };
            let mut document = current.ok_or_else(|| format!("document {cell} is not open"))?;
            // Versions only increase; one change may edit a cell twice at its new one.
            if content.document.version < document.version || earlier.is_none() && content.document.version == document.version {
                let (version, last) = (content.document.version, document.version);
                return Err(format!("version {version} of cell {cell} is not newer than {last}, its last: out of order"));
            }
            let changes: Vec<_> = content.changes.iter().map(text_change).collect();
            document.apply(content.document.version, &changes, texts.encoding()).map_err(|e| format!("invalid change of {cell}: {e}"))?;
            restructured |= content.changes.iter().any(|c| c.range.is_none());
            edited.push((cell.clone(), document));
            edits.push((cell, content.changes));
        }
        // All of it applies: stored.
        if let Some(structure) = &structure {
            for closed in &structure.did_close {
                texts.close(&closed.uri);
                owner.remove(&closed.uri);
            }
            for item in &structure.did_open {
                texts.open(&item.uri, item.version, &item.text);
            }
            for cell in &structure.array.cells {
                owner.insert(cell.document.clone(), uri.to_owned());
            }
        }
        for (cell, document) in edited {
            texts.open(&cell, document.version, &document.text());
        }
        open.cells = cells;
        for changed in data {
            if let Some(cell) = open.cells.iter_mut().find(|c| c.document == changed.document) {
                cell.kind = changed.kind;
            }
        }
        Ok(if restructured { Edited::Restructured } else { Edited::Cells(edits) })
    }
}

/// What a notebook change did to its cells' texts.
pub(super) enum Edited {
    /// Cells added, removed or changed in kind, or a cell's whole text
    /// replaced: only the whole joined text says it.
    Restructured,
    /// Each cell's ranged changes, in the order they were applied.
    Cells(Vec<(String, Vec<ContentChange>)>),
}
