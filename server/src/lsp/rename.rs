//! textDocument/prepareRename and textDocument/rename.

use std::collections::HashMap;

use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::*;

use super::Backend;
use super::locations::Locator;
use crate::ide::occurrences::NoTarget;
use crate::ide::rename::{self, RenameError};

/// The LSP code for a request that was valid but could not be carried out.
const REQUEST_FAILED: i64 = -32803;

impl Backend {
    pub(super) async fn on_prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        self.sync_open_documents().await;
        let (graph, file, offset) = self.rename_at(&params).await?;
        match rename::prepare(&graph, file, offset).and_then(|target| rename::check_syntax(&graph, file).map(|()| target)) {
            Ok(target) => {
                let range = Locator::new(&graph, self.encoding()).range(file, target.span);
                Ok(range.map(|range| PrepareRenameResponse::RangeWithPlaceholder { range, placeholder: target.name }))
            }
            Err(RenameError::NoTarget(NoTarget::NoName)) => Ok(None),
            Err(error) => Err(refused(error)),
        }
    }

    pub(super) async fn on_rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.sync_open_documents().await;
        let position = &params.text_document_position;
        let (graph, file, offset) = self.rename_at(position).await?;
        let new_name = params.new_name.trim();
        let edits = match rename::rename(&graph, file, offset, new_name) {
            Ok(edits) => edits,
            Err(error) => {
                tracing::info!(uri = %position.text_document.uri, new_name, "rename refused: {error}");
                return Err(refused(error));
            }
        };
        let target = rename::prepare(&graph, file, offset).map_err(refused)?;
        // Not for a rename that changes nothing (to the same name).
        if !edits.is_empty()
            && let Some(place) = rename::closed_notebook_spelling(&graph, &target, || self.closed_notebooks(&graph))?
        {
            return Err(refused(RenameError::ClosedNotebook { name: target.name, place }));
        }
        let mut locator = Locator::new(&graph, self.encoding());
        let mut changes: HashMap<Url, Vec<TextEdit>> = HashMap::new();
        let old_name = target.name;
        for edit in edits {
            let Some(uri) = locator.uri(edit.file) else { return Err(refused_message("a renamed file has no file URI".to_owned())) };
            // The cells an open notebook leaves out of its joined text are
            // not in the graph: their cell magics' lines are read here.
            let notebook = graph.file(edit.file).and_then(|entry| self.state.notebooks.notebook(uri.as_str(), entry.text()));
            let left_out = notebook.map(|notebook| notebook.left_out_magics()).unwrap_or_default();
            let spelled = |name: &str| {
                left_out.iter().find(|line| crate::notebook::escapes::magic_line_spells(line, name)).map(|line| format!("{uri} (`{}`)", line.trim()))
            };
            if let Some(place) = spelled(&old_name) {
                return Err(refused(RenameError::Escape { name: old_name, place }));
            }
            if let Some(place) = spelled(new_name) {
                return Err(refused(RenameError::EscapeSpellsNew { new: new_name.to_owned(), place }));
            }
            let mut text_edits = Vec::with_capacity(edit.replacements.len());
            for replacement in edit.replacements {
                let Some(range) = locator.range(edit.file, replacement.span) else { return Err(refused_message(format!("{uri} changed during the rename"))) };
                text_edits.push(TextEdit { range, new_text: replacement.text });
            }
            changes.insert(uri, text_edits);
        }
        Ok(Some(WorkspaceEdit { changes: Some(changes), ..Default::default() }))
    }

    /// The graph, file and offset a rename is asked at, or why there is none.
    async fn rename_at(&self, at: &TextDocumentPositionParams) -> Result<(std::sync::Arc<crate::graph::Graph>, crate::graph::FileId, u32)> {
        let uri = &at.text_document.uri;
        let Some((graph, file)) = self.linked_graph_file(uri).await else { return Err(not_in_workspace(uri)) };
        match Locator::new(&graph, self.encoding()).offset(file, at.position) {
            Some(offset) => Ok((graph, file, offset)),
            // (No line number: in a notebook it would count the joined cells'.)
            None => Err(refused_message(format!("nothing to rename there: the position is past the end of {uri}"))),
        }
    }

    /// The notebooks of the workspace's folders that are not open (the
    /// graph holds only open ones), or why they could not be listed.
    fn closed_notebooks(&self, graph: &crate::graph::Graph) -> Result<Vec<std::path::PathBuf>> {
        let roots = self.state.roots.read().unwrap_or_else(|e| e.into_inner()).clone();
        let (_, notebooks) = crate::index::discover_with_notebooks(&roots, &self.settings()).map_err(|why| {
            refused_message(format!("the workspace's notebooks could not be listed ({why}), so the rename could not be checked against them"))
        })?;
        Ok(notebooks.into_iter().filter(|path| graph.file_id(path).is_none()).collect())
    }

    /// Rename reads every file it edits from the graph: open buffers'
    /// latest text goes in first, so no edit lands on a stale offset.
    pub(super) async fn sync_open_documents(&self) {
        let uris: Vec<Url> = self.documents().uris().filter_map(|u| Url::parse(u).ok()).collect();
        for uri in uris {
            self.sync_graph_linked(&uri).await;
        }
    }
}

fn refused(error: RenameError) -> Error {
    refused_message(error.to_string())
}

fn refused_message(message: String) -> Error {
    Error { code: ErrorCode::ServerError(REQUEST_FAILED), message: message.into(), data: None }
}

fn not_in_workspace(uri: &Url) -> Error {
    refused_message(format!("{uri} is not part of the indexed workspace (yet)"))
}
