//! What a notebook notification must agree with before any of it is
//! stored. The client's notebook and the server's copy must stay the same
//! cells with the same texts: a cell listed twice, a cell without its text,
//! a text for no cell, or a version older than one already applied (a
//! message out of order, whose edits were made against another text) would
//! leave the server analysing a notebook the client does not have. Such a
//! notification is refused whole, with its reason; the notebook keeps its
//! last consistent state and the next valid message applies to it.

use std::collections::HashSet;

use super::Inner;
use super::open::Open;
use super::wire::OpenNotebookParams;

/// Why a `didOpen` of the notebook at `uri` cannot be taken as it is.
pub(super) fn open(params: &OpenNotebookParams, uri: &str, inner: &Inner) -> Result<(), String> {
    let cells = &params.notebook_document.cells;
    let mut listed = HashSet::new();
    if let Some(twice) = cells.iter().find(|c| !listed.insert(c.document.as_str())) {
        return Err(format!("cell {} is listed twice in {uri}; not opened", twice.document));
    }
    let mut texts = HashSet::new();
    if let Some(twice) = params.cell_text_documents.iter().find(|d| !texts.insert(d.uri.as_str())) {
        return Err(format!("cell document {} is sent twice for {uri}; not opened", twice.uri));
    }
    if let Some(stray) = params.cell_text_documents.iter().find(|d| !listed.contains(d.uri.as_str())) {
        return Err(format!("cell document {} is no cell of {uri} (not in its cells); not opened", stray.uri));
    }
    if let Some(bare) = cells.iter().find(|c| !texts.contains(c.document.as_str())) {
        return Err(format!("cell {} of {uri} has no text document in cellTextDocuments; not opened", bare.document));
    }
    let owned = cells.iter().find_map(|c| Some((&c.document, inner.cell_owner.get(&c.document)?)));
    if let Some((cell, owner)) = owned.filter(|(_, owner)| **owner != uri) {
        return Err(format!("cell {cell} is already open in notebook {owner}; {uri} not opened"));
    }
    let version = params.notebook_document.version;
    match inner.notebooks.get(uri) {
        Some(open) if version < open.client_version => {
            Err(format!("version {version} of {uri} is older than its open version {}: out of order, not opened again", open.client_version))
        }
        _ => Ok(()),
    }
}

/// Why a `didChange` at the client's notebook `version` cannot be applied
/// to `open`: versions only increase (LSP 3.17).
pub(super) fn newer(open: &Open, version: i64) -> Result<i32, String> {
    let version = i32::try_from(version).map_err(|_| format!("version {version} of {} is no 32-bit integer; not applied", open.uri))?;
    if version <= open.client_version {
        return Err(format!("version {version} of {} is not newer than {}, the last applied: out of order, not applied", open.uri, open.client_version));
    }
    Ok(version)
}
