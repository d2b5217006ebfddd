//! Settings from the client and the workspace, re-merged on every change.

use tower_lsp::lsp_types::{DidChangeConfigurationParams, MessageType};

use super::Backend;
use crate::settings::{self, Layer};

/// The layers that make up the settings, kept so that one can be replaced
/// and the whole re-merged.
#[derive(Default)]
pub(super) struct Layers {
    pub workspace: Vec<Layer>,
    pub initialization: Option<Layer>,
    pub client: Option<Layer>,
    /// Problems found while reading the workspace files.
    pub workspace_warnings: Vec<String>,
}

impl Backend {
    /// Re-reads the workspace layers (pyproject.toml, pyloom.toml) under the
    /// first root and re-merges. Returns the warnings to show.
    pub(super) fn reload_settings(&self) -> Vec<String> {
        let root = self.state.roots.read().unwrap_or_else(|e| e.into_inner()).first().cloned();
        let mut layers = self.state.layers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(root) = &root {
            (layers.workspace, layers.workspace_warnings) = settings::workspace_layers(root);
        }
        let all: Vec<Layer> = layers.workspace.iter().chain(layers.initialization.as_ref()).chain(layers.client.as_ref()).cloned().collect();
        let resolved = settings::resolve(&all);
        let mut warnings = layers.workspace_warnings.clone();
        warnings.extend(resolved.warnings);
        warnings.extend(self.reload_findings_config(root.as_deref(), &resolved.settings.lint));
        self.documents().set_max_parse_bytes(resolved.settings.files.max_file_bytes);
        *self.state.settings.write().unwrap_or_else(|e| e.into_inner()) = resolved.settings;
        warnings
    }

    pub(super) async fn publish_settings_warnings(&self) {
        let warnings = self.reload_settings();
        for warning in &warnings {
            tracing::warn!("settings: {warning}");
        }
        if !warnings.is_empty() {
            let message = format!("pyloom settings: {}", warnings.join("; "));
            self.client.show_message(MessageType::WARNING, message).await;
        }
    }

    pub(super) async fn on_did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let layer = super::client_layer("workspace/didChangeConfiguration", Some(params.settings));
        self.state.layers.lock().unwrap_or_else(|e| e.into_inner()).client = layer;
        self.publish_settings_warnings().await;
        self.refresh_diagnostics().await;
    }
}
