//! Keeping the graph current: the workspace index at `initialized` (with
//! work-done progress when the client supports it) and debounced updates
//! from open buffers' live text.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tower_lsp::lsp_types::notification::Progress;
use tower_lsp::lsp_types::request::WorkDoneProgressCreate;
use tower_lsp::lsp_types::*;

use super::{Backend, State};
use crate::graph::{Graph, content_hash};
use crate::live::IndexState;
use crate::workspace::Document;

/// How long typing must pause before a buffer's text goes into the graph.
/// Queries on a buffer apply its latest text first, so they never wait for it.
const GRAPH_DEBOUNCE: Duration = Duration::from_millis(150);

const PROGRESS_TOKEN: &str = "pyloom/index";

impl Backend {
    /// Indexes the workspace folders in the background.
    pub(super) fn start_indexing(&self) {
        // The first inline completion would otherwise compile these: the
        // secret patterns and the completion model's tokenizer tables.
        let settings = self.settings();
        tokio::task::spawn_blocking(move || {
            crate::context::prepare_masking();
            if settings.completion.enabled {
                crate::inline::counter(&settings);
            }
        });
        // Requests from now on wait for this index (see `synced_file`);
        // set before the task runs, so none slips in ahead of it.
        if !self.state.roots.read().unwrap_or_else(|e| e.into_inner()).is_empty() {
            self.state.index.set(IndexState::Indexing { done: 0, total: 0 });
        }
        let this = self.clone();
        tokio::spawn(async move { this.index_workspace().await });
    }

    async fn index_workspace(&self) {
        let folders = self.state.roots.read().unwrap_or_else(|e| e.into_inner()).clone();
        if folders.is_empty() {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move { this.register_file_watchers().await });
        let token = NumberOrString::String(PROGRESS_TOKEN.to_owned());
        let progress = self.state.work_done_progress.load(Ordering::Relaxed)
            && self
                .client
                .send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams { token: token.clone() })
                .await
                .map_err(|e| tracing::info!("client refused progress, indexing without it: {e}"))
                .is_ok();
        if progress {
            let begin = WorkDoneProgressBegin {
                title: "Indexing".to_owned(),
                cancellable: Some(false),
                message: Some(format!("{} folder(s)", folders.len())),
                percentage: Some(0),
            };
            self.progress(&token, WorkDoneProgress::Begin(begin)).await;
        }
        let settings = self.settings();
        let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
        let indexed = folders.clone();
        let task = tokio::task::spawn_blocking(move || {
            crate::index::index_for_server(&folders, &settings, &|done, total| {
                let _ = sender.send((done, total));
            })
        });
        while let Some((done, total)) = receiver.recv().await {
            self.state.index.progress(done, total);
            if progress {
                let report = WorkDoneProgressReport {
                    cancellable: Some(false),
                    message: Some(format!("{done}/{total} files")),
                    percentage: Some((done * 100 / total.max(1)) as u32),
                };
                self.progress(&token, WorkDoneProgress::Report(report)).await;
            }
        }
        let message = match task.await {
            Ok(Ok((graph, report))) => {
                for skipped in &report.skipped {
                    tracing::warn!("{skipped}");
                }
                tracing::info!("environment: {}", report.environment);
                for warning in &report.environment_warnings {
                    tracing::warn!("environment: {warning}");
                }
                tracing::info!(files = report.files, from_cache = report.from_cache, elapsed_ms = report.elapsed.as_millis() as u64, "workspace indexed");
                let summary = format!("{} files indexed", report.files);
                // A root added meanwhile started the index that replaces this one.
                let superseded = *self.state.roots.read().unwrap_or_else(|e| e.into_inner()) != indexed;
                if !superseded {
                    let environment = graph.library_folders();
                    self.install_graph(graph).await;
                    self.announce_environment(report.environment_label.clone(), report.environment.clone()).await;
                    let this = self.clone();
                    tokio::spawn(async move { this.watch_environment(environment).await });
                    self.poll_environment();
                    // Also a signal for clients and tests that queries now see the workspace.
                    let log = format!("pyloom: indexed {} files in {} ms", report.files, report.elapsed.as_millis());
                    self.client.log_message(MessageType::INFO, log).await;
                }
                summary
            }
            Ok(Err(error)) => {
                tracing::error!("indexing failed: {error}");
                self.state.index.set(IndexState::Failed(error.clone()));
                self.client.show_message(MessageType::ERROR, format!("pyloom: indexing failed: {error}")).await;
                "indexing failed".to_owned()
            }
            Err(panic) => {
                tracing::error!("indexing panicked: {panic}");
                self.state.index.set(IndexState::Failed(panic.to_string()));
                "indexing failed".to_owned()
            }
        };
        if progress {
            self.progress(&token, WorkDoneProgress::End(WorkDoneProgressEnd { message: Some(message) })).await;
        }
    }

    async fn progress(&self, token: &NumberOrString, value: WorkDoneProgress) {
        let params = ProgressParams { token: token.clone(), value: ProgressParamsValue::WorkDone(value) };
        self.client.send_notification::<Progress>(params).await;
    }

    /// Publishes a freshly indexed graph, then lays the open buffers' live
    /// text over the disk contents it was built from.
    async fn install_graph(&self, graph: Graph) {
        self.state.graph_versions.lock().unwrap_or_else(|e| e.into_inner()).clear();
        let uris: Vec<Url> = self.documents().uris().filter_map(|u| Url::parse(u).ok()).collect();
        let open = uris.iter().filter_map(|uri| Some((uri.clone(), uri.to_file_path().ok()?)));
        self.state.stale_calls.take_baselines(&graph, open);
        self.state.graph.replace(graph);
        // Waiting requests go on now: each applies its own buffer's text,
        // and the diagnostics refresh below may wait on the client.
        self.state.index.set(IndexState::Ready);
        for uri in uris {
            if let Some(doc) = self.snapshot(&uri) {
                self.apply_document(&uri, doc).await;
            }
        }
        self.state.stale_calls.index_installed();
        // Graph checks of open documents can change with the new graph.
        self.refresh_diagnostics().await;
    }

    /// Puts an open buffer's text into the graph once typing pauses.
    pub(super) fn schedule_graph_update(&self, uri: Url, version: i32) {
        let Ok(path) = uri.to_file_path() else { return };
        if !self.state.roots.read().unwrap_or_else(|e| e.into_inner()).iter().any(|root| path.starts_with(root)) {
            return;
        }
        let this = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(GRAPH_DEBOUNCE).await;
            if !this.documents().is_at(uri.as_str(), version) {
                return; // a newer change scheduled its own update
            }
            if let Some(doc) = this.snapshot(&uri) {
                this.apply_document(&uri, doc).await;
            }
        });
    }

    /// A closed buffer falls back to the file on disk (or leaves the graph
    /// when the file is gone).
    pub(super) fn schedule_graph_reload(&self, uri: Url) {
        let Ok(path) = uri.to_file_path() else { return };
        let this = self.clone();
        let max_bytes = self.settings().files.max_file_bytes;
        tokio::spawn(async move {
            let state = this.state.clone();
            let reloaded = tokio::task::spawn_blocking(move || {
                // A notebook's file is JSON: its code is in the graph only
                // while an editor holds it open, so a closed one leaves.
                let reloaded = match crate::notebook::Notebook::is_notebook(&path) {
                    true => Reload::Leave,
                    false => crate::index::read_source(&path, max_bytes).map_or(Reload::Leave, Reload::Text),
                };
                // Most buffers close as saved: an update that changes nothing
                // would still copy the whole graph while a reader holds it.
                let on_disk = |graph: &Graph| match &reloaded {
                    Reload::Text(text) => graph.holds(&path, content_hash(text)),
                    Reload::Leave => graph.file_id(&path).is_none(),
                };
                if state.graph.read(on_disk) {
                    state.graph_versions.lock().unwrap_or_else(|e| e.into_inner()).remove(&path);
                    return false;
                }
                state.graph.update(|graph| {
                    state.graph_versions.lock().unwrap_or_else(|e| e.into_inner()).remove(&path);
                    match reloaded {
                        Reload::Text(text) => graph.update_file_deferred(&path, &text),
                        Reload::Leave => graph.remove_file(&path),
                    };
                    graph.pending_relinks() > 0
                })
            });
            if reloaded.await.unwrap_or(false) {
                this.schedule_relink(uri);
            }
        });
    }

    /// Makes sure the graph holds the live text of `uri` (when it is open)
    /// before a query reads it.
    pub(super) async fn sync_graph(&self, uri: &Url) {
        let Some(doc) = self.snapshot(uri) else { return };
        let Ok(path) = uri.to_file_path() else { return };
        let graph = self.state.graph.snapshot();
        let current = graph.file_id(&path).and_then(|f| graph.file(f)).map(|f| f.hash);
        drop(graph);
        let text = doc.text();
        let hash = content_hash(&text);
        if current != Some(hash) {
            self.apply_document_text(uri, doc, Some((text, hash))).await;
        }
    }

    /// [`Backend::sync_graph`], then a snapshot whose edges a request on
    /// `uri` may read (see [`linked_for`]).
    pub(super) async fn sync_graph_linked(&self, uri: &Url) -> Arc<Graph> {
        self.sync_graph(uri).await;
        let (state, path) = (self.state.clone(), uri.to_file_path().ok());
        match tokio::task::spawn_blocking(move || linked_for(&state, path.as_deref())).await {
            Ok(graph) => graph,
            Err(e) => {
                tracing::error!(%uri, "linking the document failed: {e}");
                self.state.graph.snapshot()
            }
        }
    }

    async fn apply_document(&self, uri: &Url, doc: Document) {
        self.apply_document_text(uri, doc, None).await;
    }

    /// [`Backend::apply_document`] with the document's text and its hash
    /// when the caller has them (a large file's are 1M instructions).
    async fn apply_document_text(&self, uri: &Url, doc: Document, text: Option<(String, u64)>) {
        let Ok(path) = uri.to_file_path() else { return };
        if doc.rope.len_bytes() > self.settings().files.max_file_bytes {
            return;
        }
        let state = self.state.clone();
        let uri_text = uri.to_string();
        match tokio::task::spawn_blocking(move || apply_text(&state, &uri_text, path, doc, text)).await {
            Ok(true) => self.schedule_relink(uri.clone()),
            Ok(false) => {}
            Err(e) => tracing::error!(%uri, "graph update failed: {e}"),
        }
    }
}

/// A snapshot in which the file at `path` (when its links are pending)
/// and every file whose own link its buffer's update left pending
/// (`Graph::update_file_unlinked`) are linked: for what reads edges, the
/// document's or any other's (a caller's site, a class's members). An
/// edit that lands meanwhile is linked in turn. Blocking.
pub(super) fn linked_for(state: &State, path: Option<&Path>) -> Arc<Graph> {
    loop {
        let graph = state.graph.snapshot();
        if !graph.needs_link(path.and_then(|path| graph.file_id(path))) {
            return graph;
        }
        drop(graph);
        let file = |graph: &Graph| path.and_then(|path| graph.file_id(path));
        state.graph.update_when(|graph| graph.needs_link(file(graph)), |graph| graph.link_file(file(graph)));
    }
}

/// What a closed buffer's file is in the graph from then on.
enum Reload {
    /// The file's text on disk.
    Text(String),
    /// Nothing: the file is gone or unreadable, or is a notebook (its code
    /// is in the graph only while an editor holds it open).
    Leave,
}

/// Applies a document version unless a newer one is already in the graph
/// (updates run on a thread pool and may finish out of order). Only its
/// own file is re-linked: returns whether files that depend on it wait to
/// be (see relink.rs).
fn apply_text(state: &Arc<State>, uri: &str, path: PathBuf, doc: Document, text: Option<(String, u64)>) -> bool {
    // An installed package's file opened in the editor (after go to
    // definition, a `.venv` in the workspace) is library code, never a
    // workspace module with callers.
    if state.graph.read(|graph| graph.is_library_path(&path)) {
        return false;
    }
    let (text, hash) = text.unwrap_or_else(|| {
        let text = doc.text();
        let hash = content_hash(&text);
        (text, hash)
    });
    // A notebook's cells are parsed one by one, as IPython runs them.
    let cells = state.notebooks.notebook(uri, &text).map(|notebook| notebook.cell_ranges());
    // A buffer opened as saved, typed back to what the graph holds, or
    // put there meanwhile by another update of this version (a request's
    // and the debounced one), changes nothing: an update would still copy
    // the whole graph while a request holds it. Its version is noted, so
    // an older one finishing later is still refused. Asked under the read
    // lock first, then again under the writer's.
    let done = |graph: &Graph| {
        let mut versions = state.graph_versions.lock().unwrap_or_else(|e| e.into_inner());
        if versions.get(&path).is_some_and(|&applied| applied > doc.version) {
            return true;
        }
        let same = match &cells {
            Some(cells) => graph.holds_cells(&path, hash, cells),
            None => graph.holds(&path, hash),
        };
        if same {
            versions.insert(path.clone(), doc.version);
        }
        same
    };
    if state.graph.read(&done) {
        return false;
    }
    let started = std::time::Instant::now();
    let updated = state.graph.update_when(
        |graph| !done(graph),
        |graph| {
            let locked = started.elapsed();
            state.graph_versions.lock().unwrap_or_else(|e| e.into_inner()).insert(path.clone(), doc.version);
            match &cells {
                Some(cells) => graph.update_notebook_deferred(&path, &text, cells),
                // Its own whole link waits for what reads it (deferred.rs).
                None => graph.update_file_unlinked(&path, &text),
            };
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            let pending = graph.pending_relinks();
            tracing::debug!(path = %path.display(), wait_ms = ms(locked), update_ms = ms(started.elapsed() - locked), pending, "buffer into the graph");
            pending > 0
        },
    );
    updated.unwrap_or(false)
}
