//! `workspace/semanticTokens/refresh` when an edit changes what other
//! documents' tokens show (see `ide::token_interface`): an editor asks
//! again for the tokens of the document it edits, not of the others (each
//! notebook cell is a document of its own to it), so a function made a
//! class in one cell would keep its old colour in the cells using it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use tower_lsp::lsp_types::request::SemanticTokensRefresh;
use tower_lsp::lsp_types::{ClientCapabilities, Url};

use super::Backend;

#[derive(Default)]
pub(super) struct RefreshState {
    /// The client takes `workspace/semanticTokens/refresh`.
    supported: AtomicBool,
    /// Each analysed document's last interface.
    interfaces: Mutex<HashMap<Url, u64>>,
}

impl RefreshState {
    pub(super) fn note_capability(&self, capabilities: &ClientCapabilities) {
        let supported = capabilities.workspace.as_ref().and_then(|w| w.semantic_tokens.as_ref()).and_then(|s| s.refresh_support) == Some(true);
        self.supported.store(supported, Ordering::Relaxed);
    }

    pub(super) fn forget(&self, uri: &Url) {
        self.interfaces.lock().unwrap_or_else(|e| e.into_inner()).remove(uri);
    }
}

impl Backend {
    /// After `changed` was analysed: asks the client to refresh every
    /// document's tokens when its interface differs from the last one
    /// seen (the first one seen asks nothing: the other documents' tokens
    /// were computed with it).
    pub(super) async fn refresh_tokens_of_others(&self, changed: &Url) {
        let state = &self.state.token_refresh;
        if !state.supported.load(Ordering::Relaxed) {
            return;
        }
        let Some((graph, file)) = self.graph_file(changed).await else { return };
        let Some(now) = crate::ide::token_interface::interface(&graph, file) else { return };
        let before = state.interfaces.lock().unwrap_or_else(|e| e.into_inner()).insert(changed.clone(), now);
        if before.is_some_and(|before| before != now)
            && let Err(error) = self.client.send_request::<SemanticTokensRefresh>(()).await
        {
            tracing::debug!("client did not refresh semantic tokens: {error}");
        }
    }
}
