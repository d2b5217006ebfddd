//! workspace/didChangeWatchedFiles: files changed on disk behind the
//! editor's back (a `git checkout`, a generator, another editor) reach the
//! graph. Watchers for `**/*.py` and `**/*.pyi` are registered dynamically
//! when the client supports it.

use std::sync::atomic::{AtomicBool, Ordering};

use tower_lsp::lsp_types::notification::{DidChangeWatchedFiles, Notification};
use tower_lsp::lsp_types::*;

use super::Backend;
use crate::index::DiskChange;

const REGISTRATION_ID: &str = "pyloom/watched-files";

/// Whether the client registers file watchers on request.
#[derive(Debug, Default)]
pub(super) struct WatchState {
    dynamic_registration: AtomicBool,
}

impl Backend {
    /// Notes whether the client can watch files for us (at `initialize`).
    pub(super) fn note_watch_capability(&self, capabilities: &ClientCapabilities) {
        let dynamic = capabilities.workspace.as_ref().and_then(|w| w.did_change_watched_files.as_ref()).and_then(|w| w.dynamic_registration).unwrap_or(false);
        self.state.watch.dynamic_registration.store(dynamic, Ordering::Relaxed);
    }

    /// Asks the client to watch the workspace's Python files (after
    /// `initialized`). Without dynamic registration the client may still
    /// send events for files it watches on its own; they are handled alike.
    pub(super) async fn register_file_watchers(&self) {
        if !self.state.watch.dynamic_registration.load(Ordering::Relaxed) {
            return;
        }
        let watchers = ["**/*.py", "**/*.pyi"].map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.to_owned()), kind: None }).into();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: REGISTRATION_ID.to_owned(),
            method: DidChangeWatchedFiles::METHOD.to_owned(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(e) = self.client.register_capability(vec![registration]).await {
            tracing::warn!("client refused to watch files; changes on disk reach the graph when opened: {e}");
        }
    }

    /// Applies the changes to files that are not open (an open buffer's
    /// text wins over the disk) off the async runtime, then logs
    /// `pyloom: applied N watched file change(s), M graph file(s) changed`
    /// (also a signal for clients and tests that queries see them).
    pub(super) async fn on_did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let changes: Vec<DiskChange> = {
            let documents = self.documents();
            let open: std::collections::HashSet<&str> = documents.uris().collect();
            params
                .changes
                .iter()
                .filter(|event| !open.contains(event.uri.as_str()))
                .filter_map(|event| {
                    let path = event.uri.to_file_path().ok()?;
                    Some(if event.typ == FileChangeType::DELETED { DiskChange::Deleted(path) } else { DiskChange::Written(path) })
                })
                .collect()
        };
        let state = self.state.clone();
        let folders = state.roots.read().unwrap_or_else(|e| e.into_inner()).clone();
        let settings = self.settings();
        let count = changes.len();
        let applied = if changes.is_empty() {
            Ok(0)
        } else {
            tokio::task::spawn_blocking(move || state.graph.update(|graph| crate::index::apply_disk_changes(graph, &folders, &settings, &changes))).await
        };
        match applied {
            Ok(changed) => {
                tracing::debug!(events = count, changed, "watched files applied");
                if changed > 0 {
                    self.refresh_diagnostics().await;
                }
                let message = format!("pyloom: applied {count} watched file change(s), {changed} graph file(s) changed");
                self.client.log_message(MessageType::INFO, message).await;
            }
            Err(e) => tracing::error!("watched file update failed: {e}"),
        }
    }
}
