//! Text document synchronisation: open, change, close.

use tower_lsp::lsp_types::*;

use super::{Backend, convert};
use crate::workspace::ChangeOutcome;

impl Backend {
    pub(super) fn on_did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.documents().open(doc.uri.as_str(), doc.version, &doc.text);
        tracing::debug!(uri = %doc.uri, version = doc.version, "opened");
        self.schedule_graph_update(doc.uri.clone(), doc.version);
        self.schedule_diagnostics(doc.uri, doc.version);
    }

    pub(super) fn on_did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        if let Some(line) = params.content_changes.last().and_then(convert::edited_line) {
            self.note_edit_line(&uri, line);
        }
        let changes = params.content_changes.into_iter().map(convert::text_change).collect();
        let outcome = self.documents().change(uri.as_str(), version, changes);
        match outcome {
            Ok(ChangeOutcome::Applied { version }) => {
                self.schedule_graph_update(uri.clone(), version);
                self.schedule_diagnostics(uri, version);
            }
            Ok(ChangeOutcome::Buffered { current }) => {
                tracing::info!(%uri, version, current, "change arrived ahead of its predecessor; buffered");
                // Ensure a gap that never fills is still applied once typing pauses.
                self.schedule_diagnostics(uri, version);
            }
            Ok(ChangeOutcome::Stale { current }) => {
                tracing::warn!(%uri, version, current, "stale change dropped");
            }
            Err(error) => tracing::warn!(%uri, version, "change rejected: {error}"),
        }
    }

    pub(super) async fn on_did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.forget_document(&uri);
        if self.documents().close(uri.as_str()) {
            self.schedule_graph_reload(uri.clone());
            self.client.publish_diagnostics(uri, Vec::new(), None).await;
        } else {
            tracing::warn!(%uri, "close for a document that is not open");
        }
    }
}
