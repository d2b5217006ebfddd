//! Text document synchronisation: open, change, close.
//!
//! The edits themselves are applied by [`Backend::sync_in_wire_order`], which
//! the transport calls as it reads each message, so they land in the order
//! the client sent them. The tower-lsp handlers run later (and possibly
//! concurrently) and only schedule what follows an edit: graph updates,
//! diagnostics, the workspace root for a file outside every root.

use serde::de::DeserializeOwned;
use tower_lsp::lsp_types::*;

use super::{Backend, convert};

impl Backend {
    /// Applies a `didOpen`, `didChange` or `didClose` body to the documents.
    /// Called by the transport in wire order; bad params are left to
    /// tower-lsp's handler, which reports them.
    pub(super) fn sync_in_wire_order(&self, method: &str, body: &[u8]) {
        match method {
            "textDocument/didOpen" => {
                let Some(params) = params::<DidOpenTextDocumentParams>(body) else { return };
                let doc = params.text_document;
                self.documents().open(doc.uri.as_str(), doc.version, &doc.text);
                tracing::debug!(uri = %doc.uri, version = doc.version, "opened");
            }
            "textDocument/didChange" => {
                let Some(params) = params::<DidChangeTextDocumentParams>(body) else { return };
                let (uri, version) = (params.text_document.uri, params.text_document.version);
                let changes: Vec<_> = params.content_changes.into_iter().map(convert::text_change).collect();
                match self.documents().change(uri.as_str(), version, &changes) {
                    Ok(previous) if version <= previous => {
                        tracing::warn!(%uri, version, previous, "change whose version does not increase; applied in arrival order");
                    }
                    Ok(_) => {}
                    Err(error) => tracing::warn!(%uri, version, "change rejected: {error}"),
                }
            }
            "textDocument/didClose" => {
                let Some(params) = params::<DidCloseTextDocumentParams>(body) else { return };
                if !self.documents().close(params.text_document.uri.as_str()) {
                    tracing::warn!(uri = %params.text_document.uri, "close for a document that is not open");
                }
            }
            _ => {}
        }
    }

    pub(super) async fn on_did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        self.warn_if_too_deep(&doc.uri);
        self.ensure_root_for(&doc.uri).await;
        self.schedule_graph_update(doc.uri.clone(), doc.version);
        self.schedule_diagnostics(doc.uri, doc.version);
    }

    pub(super) fn on_did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        self.warn_if_too_deep(&uri);
        let last = params.content_changes.last();
        self.note_edit_line(&uri, last.and_then(super::code_actions::typed_line));
        if let Some(line) = last.and_then(convert::edited_line) {
            self.note_recent_edit(&uri, line);
        }
        self.schedule_graph_update(uri.clone(), version);
        self.schedule_diagnostics(uri, version);
    }

    fn warn_if_too_deep(&self, uri: &Url) {
        if self.documents().snapshot(uri.as_str()).is_some_and(|doc| doc.too_deeply_nested()) {
            tracing::warn!(%uri, max = crate::workspace::MAX_NESTING, "brackets nest deeper than the limit: the document is not analysed until they do not");
        }
    }

    pub(super) async fn on_did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.forget_document(&uri);
        self.state.tokens.forget(&uri);
        self.state.token_refresh.forget(&uri);
        self.schedule_graph_reload(uri.clone());
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }
}

fn params<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    #[derive(serde::Deserialize)]
    struct Notification<T> {
        params: T,
    }
    serde_json::from_slice::<Notification<T>>(body).ok().map(|n| n.params)
}
