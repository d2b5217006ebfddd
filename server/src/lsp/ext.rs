//! pyloom's own requests, beyond the LSP specification.

use serde::{Deserialize, Serialize};
use tower_lsp::jsonrpc::{Error, Result};
use tower_lsp::lsp_types::TextDocumentIdentifier;
use tower_lsp::lsp_types::notification::Notification;

use super::Backend;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewFileParams {
    pub text_document: TextDocumentIdentifier,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ViewFileResult {
    pub version: i32,
    pub text: String,
    /// The tree-sitter tree as an S-expression; `None` for unparsed (huge) files.
    pub syntax_tree: Option<String>,
}

/// `pyloom/environment`: the Python environment outside names resolve in,
/// sent once the workspace is indexed and whenever it is loaded again
/// (the VS Code status item shows `label`, its tooltip `description`).
pub enum EnvironmentNotification {}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnvironmentParams {
    pub label: String,
    pub description: String,
}

impl Notification for EnvironmentNotification {
    type Params = EnvironmentParams;
    const METHOD: &'static str = "pyloom/environment";
}

impl Backend {
    /// Tells the client which environment is in use (see [`EnvironmentNotification`]).
    pub(super) async fn announce_environment(&self, label: String, description: String) {
        self.client.send_notification::<EnvironmentNotification>(EnvironmentParams { label, description }).await;
    }

    /// `pyloom/viewFile`: the server's copy of an open document, for
    /// debugging a client's synchronisation (like rust-analyzer's viewFileText).
    pub async fn view_file(&self, params: ViewFileParams) -> Result<ViewFileResult> {
        let uri = params.text_document.uri;
        let doc = self.snapshot(&uri).ok_or_else(|| Error::invalid_params(format!("document {uri} is not open")))?;
        Ok(ViewFileResult { version: doc.version, text: doc.text(), syntax_tree: doc.tree().map(|t| t.root_node().to_sexp()) })
    }
}
