//! workspace/didChangeWatchedFiles: files changed on disk behind the
//! editor's back (a `git checkout`, a generator, another editor) reach the
//! graph. Watchers for `**/*.py` and `**/*.pyi` are registered dynamically
//! when the client supports it.
//!
//! The environment's folders are watched too, at their top level (a
//! package installed or removed adds or deletes a folder and its
//! `dist-info` there; an editable install a `.pth` file): a change there
//! loads the library again, without a restart. Clients that watch no
//! files for servers (Neovim on Linux by default) are covered by a look
//! at those folders' modification times every few seconds.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use tower_lsp::lsp_types::notification::{DidChangeWatchedFiles, Notification};
use tower_lsp::lsp_types::*;

use super::Backend;
use crate::index::DiskChange;

const REGISTRATION_ID: &str = "pyloom/watched-files";
const ENVIRONMENT_REGISTRATION_ID: &str = "pyloom/watched-environment";
/// How often the environment's folders are looked at (a few `stat`s).
const ENVIRONMENT_POLL: Duration = Duration::from_secs(3);
/// How long the environment must be quiet before it is loaded again.
const RELOAD_QUIET: Duration = Duration::from_millis(500);

/// Whether the client registers file watchers on request, and the
/// environment's folders it watches for us.
#[derive(Debug, Default)]
pub(super) struct WatchState {
    dynamic_registration: AtomicBool,
    relative_patterns: AtomicBool,
    environment: Mutex<Vec<PathBuf>>,
    /// The environment's folders' modification times when last loaded.
    stamps: Mutex<Vec<Option<SystemTime>>>,
    polling: AtomicBool,
    /// Bumped by each change seen in the environment (see
    /// [`Backend::schedule_environment_reload`]).
    reloads: AtomicU64,
}

impl Backend {
    /// Notes whether the client can watch files for us (at `initialize`).
    pub(super) fn note_watch_capability(&self, capabilities: &ClientCapabilities) {
        let watched = capabilities.workspace.as_ref().and_then(|w| w.did_change_watched_files.as_ref());
        let dynamic = watched.and_then(|w| w.dynamic_registration).unwrap_or(false);
        self.state.watch.dynamic_registration.store(dynamic, Ordering::Relaxed);
        let relative = watched.and_then(|w| w.relative_pattern_support).unwrap_or(false);
        self.state.watch.relative_patterns.store(relative, Ordering::Relaxed);
    }

    /// Asks the client to watch the workspace's Python files (after
    /// `initialized`). Without dynamic registration the client may still
    /// send events for files it watches on its own; they are handled alike.
    pub(super) async fn register_file_watchers(&self) {
        if !self.state.watch.dynamic_registration.load(Ordering::Relaxed) {
            return;
        }
        let watchers = ["**/*.py", "**/*.pyi"].map(|glob| FileSystemWatcher { glob_pattern: GlobPattern::String(glob.to_owned()), kind: None }).into();
        if let Err(e) = self.client.register_capability(vec![registration(REGISTRATION_ID, watchers)]).await {
            tracing::warn!("client refused to watch files; changes on disk reach the graph when opened: {e}");
        }
    }

    /// Asks the client to watch the top level of the environment's
    /// folders (once indexed, and again when they changed).
    pub(super) async fn watch_environment(&self, folders: Vec<PathBuf>) {
        let watch = &self.state.watch;
        *watch.stamps.lock().unwrap_or_else(|e| e.into_inner()) = stamps(&folders);
        let previous = std::mem::replace(&mut *watch.environment.lock().unwrap_or_else(|e| e.into_inner()), folders.clone());
        if !watch.dynamic_registration.load(Ordering::Relaxed) || previous == folders {
            return;
        }
        if !previous.is_empty() {
            let old = Unregistration { id: ENVIRONMENT_REGISTRATION_ID.to_owned(), method: DidChangeWatchedFiles::METHOD.to_owned() };
            let _ = self.client.unregister_capability(vec![old]).await;
        }
        let relative = watch.relative_patterns.load(Ordering::Relaxed);
        let watchers: Vec<FileSystemWatcher> = folders
            .iter()
            .filter_map(|folder| {
                let glob_pattern = if relative {
                    let base_uri = OneOf::Right(Url::from_directory_path(folder).ok()?);
                    GlobPattern::Relative(RelativePattern { base_uri, pattern: "*".to_owned() })
                } else {
                    GlobPattern::String(format!("{}/*", folder.display()))
                };
                Some(FileSystemWatcher { glob_pattern, kind: None })
            })
            .collect();
        if watchers.is_empty() {
            return;
        }
        if let Err(e) = self.client.register_capability(vec![registration(ENVIRONMENT_REGISTRATION_ID, watchers)]).await {
            tracing::info!("client refused to watch the environment; a package installed is seen after a restart: {e}");
        }
    }

    /// Looks at the environment's folders every few seconds until the
    /// server shuts down; loads the library again when one changed.
    pub(super) fn poll_environment(&self) {
        if self.state.watch.polling.swap(true, Ordering::SeqCst) {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            while !this.state.shutdown_requested.load(Ordering::SeqCst) {
                tokio::time::sleep(ENVIRONMENT_POLL).await;
                let folders = this.state.watch.environment.lock().unwrap_or_else(|e| e.into_inner()).clone();
                let now = tokio::task::spawn_blocking(move || stamps(&folders)).await.unwrap_or_default();
                let changed = *this.state.watch.stamps.lock().unwrap_or_else(|e| e.into_inner()) != now;
                if changed {
                    this.schedule_environment_reload();
                }
            }
        });
    }

    /// Loads the library again once the environment's folders have been
    /// quiet for a moment: `pip install` writes a package's files in bursts
    /// of events, one reload does for all of them.
    fn schedule_environment_reload(&self) {
        let generation = self.state.watch.reloads.fetch_add(1, Ordering::SeqCst) + 1;
        let this = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(RELOAD_QUIET).await;
            if this.state.watch.reloads.load(Ordering::SeqCst) == generation {
                this.reload_environment().await;
            }
        });
    }

    /// Loads the library again from the environment the settings name (a
    /// package was installed or removed), re-links the workspace against
    /// it in the background, and says so in the log.
    async fn reload_environment(&self) {
        let state = self.state.clone();
        let folders = state.roots.read().unwrap_or_else(|e| e.into_inner()).clone();
        let settings = self.settings();
        let reloaded = tokio::task::spawn_blocking(move || {
            let (library, environment) = crate::index::library::for_workspace(&folders, &settings);
            let described = crate::index::library::describe(library.as_deref(), &environment);
            let label = environment.label();
            state.graph.update(|graph| {
                graph.replace_library(library);
                (graph.library_folders(), label, described)
            })
        })
        .await;
        let Ok((folders, label, described)) = reloaded.map_err(|e| tracing::error!("reloading the environment failed: {e}")) else { return };
        tracing::info!("environment: {described}");
        self.announce_environment(label, described.clone()).await;
        self.watch_environment(folders).await;
        if self.flush_relinks().await {
            self.refresh_diagnostics().await;
        }
        self.client.log_message(MessageType::INFO, format!("pyloom: environment reloaded: {described}")).await;
    }

    /// Applies the changes to files that are not open (an open buffer's
    /// text wins over the disk) off the async runtime, then logs
    /// `pyloom: applied N watched file change(s), M graph file(s) changed`
    /// (also a signal for clients and tests that queries see them).
    pub(super) async fn on_did_change_watched_files(&self, mut params: DidChangeWatchedFilesParams) {
        // Those folders are no root nor hold one; a `.venv` in the
        // workspace is one of them.
        let environment = self.state.watch.environment.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let in_environment = |event: &FileEvent| event.uri.to_file_path().is_ok_and(|path| is_under_any(&path, &environment));
        let environment_changed = params.changes.iter().any(in_environment);
        params.changes.retain(|event| !in_environment(event));
        if environment_changed {
            self.schedule_environment_reload();
        }
        if params.changes.is_empty() {
            return;
        }
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

fn registration(id: &str, watchers: Vec<FileSystemWatcher>) -> Registration {
    let options = DidChangeWatchedFilesRegistrationOptions { watchers };
    Registration { id: id.to_owned(), method: DidChangeWatchedFiles::METHOD.to_owned(), register_options: serde_json::to_value(options).ok() }
}

fn is_under_any(path: &Path, folders: &[PathBuf]) -> bool {
    folders.iter().any(|folder| path.starts_with(folder))
}

fn stamps(folders: &[PathBuf]) -> Vec<Option<SystemTime>> {
    folders.iter().map(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok()).collect()
}
