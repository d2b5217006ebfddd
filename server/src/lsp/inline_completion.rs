//! `textDocument/inlineCompletion` (LSP 3.18; lsp-types 0.94 has no types
//! for it): ghost text from [`crate::inline`].
//!
//! Speed: a newer request for a document cancels the one in flight (its
//! HTTP call is dropped, which closes the connection), as does
//! `$/cancelRequest`; automatic requests wait `completion.debounce_ms` for
//! typing to pause; typing the start of the suggestion shown is served
//! from it; a stream that has left the cursor's block is stopped; one
//! pooled client per endpoint; an endpoint that is down is logged once
//! until it answers again.
//!
//! Timing: each answered request logs, at debug level, `inline completion
//! timings` with `sync_ms` (the buffer into the graph), `prepare_ms`
//! (context and prompt), `model_ms` (waiting on the model), `gate_ms` (the
//! checks) and `server_ms` (everything but the model and the debounce: the
//! server's own share).

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::{Command, Position, Range, TextDocumentIdentifier, Url};

use super::locations::Locator;
use super::{Backend, convert};
use crate::context::fim::RecentEdit;
use crate::graph::{Graph, Span, content_hash};
use crate::inline::{self, Shown, Suggestion};
use crate::llm::{LlmClient, LlmError, LlmSettings, Progress, Session};
use crate::settings::Settings;
use crate::workspace::{TextPosition, to_byte_offset};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct InlineCompletionParams {
    text_document: TextDocumentIdentifier,
    position: Position,
    #[serde(default)]
    context: InlineCompletionContext,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct InlineCompletionContext {
    #[serde(default)]
    trigger_kind: TriggerKind,
    selected_completion_info: Option<SelectedCompletionInfo>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "u8")]
enum TriggerKind {
    /// The user asked (a keystroke, a command).
    #[default]
    Invoked,
    /// The editor asks as the user types.
    Automatic,
}

impl TryFrom<u8> for TriggerKind {
    type Error = String;

    fn try_from(kind: u8) -> std::result::Result<Self, String> {
        match kind {
            1 => Ok(TriggerKind::Invoked),
            2 => Ok(TriggerKind::Automatic),
            other => Err(format!("unknown inline completion trigger kind {other} (1 invoked, 2 automatic)")),
        }
    }
}

/// The completion item selected in the editor's popup.
#[derive(Debug, Deserialize)]
struct SelectedCompletionInfo {
    range: Range,
    text: String,
}

#[derive(Debug, Default, Serialize)]
pub(super) struct InlineCompletionList {
    items: Vec<InlineCompletionItem>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct InlineCompletionItem {
    insert_text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    filter_text: Option<String>,
    range: Range,
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<Command>,
}

/// Recently edited places kept for the context.
const RECENT_EDITS: usize = 16;

#[derive(Default)]
pub(super) struct InlineState {
    /// The request in flight per document (its id and token).
    in_flight: Mutex<HashMap<Url, (u64, CancellationToken)>>,
    next_id: AtomicU64,
    shown: Mutex<Option<Shown>>,
    /// Edited lines, oldest first.
    recent: Mutex<VecDeque<(PathBuf, u32)>>,
    /// The client for the current settings: its connection pool persists.
    client: Mutex<Option<(LlmSettings, Arc<LlmClient>)>>,
    /// The endpoint failed and that was logged.
    down: AtomicBool,
}

/// Removes a request from the in-flight table when it ends or is dropped.
struct InFlight<'a> {
    state: &'a InlineState,
    uri: Url,
    id: u64,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut in_flight = self.state.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        if in_flight.get(&self.uri).is_some_and(|(id, _)| *id == self.id) {
            in_flight.remove(&self.uri);
        }
    }
}

impl InlineState {
    /// Starts a request for `uri`, cancelling the one in flight.
    fn begin(&self, uri: &Url) -> (CancellationToken, InFlight<'_>) {
        let token = CancellationToken::new();
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let previous = self.in_flight.lock().unwrap_or_else(|e| e.into_inner()).insert(uri.clone(), (id, token.clone()));
        if let Some((_, superseded)) = previous {
            superseded.cancel();
        }
        (token, InFlight { state: self, uri: uri.clone(), id })
    }

    fn client(&self, settings: &Settings, session: &Arc<Session>) -> std::result::Result<Arc<LlmClient>, String> {
        let wanted = settings.completion.client_settings(&settings.llm);
        let mut slot = self.client.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((have, client)) = slot.as_ref()
            && *have == wanted
        {
            return Ok(client.clone());
        }
        let client = Arc::new(LlmClient::new(wanted.clone(), session.clone(), None)?);
        *slot = Some((wanted, client.clone()));
        Ok(client)
    }

    /// The recent edits as places in `graph`, most recent last.
    fn recent_edits(&self, graph: &Graph) -> Vec<RecentEdit> {
        let recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        recent
            .iter()
            .filter_map(|(path, line)| {
                let file = graph.file_id(path)?;
                let offset = crate::index::commands::offset_of(graph.file(file)?.text(), *line as usize + 1, 1)?;
                Some(RecentEdit { file, offset: offset as usize })
            })
            .collect()
    }

    fn note_failure(&self, error: &LlmError) {
        if self.down.swap(true, Ordering::Relaxed) {
            tracing::debug!("inline completion failed: {error}");
        } else {
            tracing::warn!("inline completion unavailable: {error} (further failures are logged at debug level until it answers)");
        }
    }

    fn note_answer(&self) {
        if self.down.swap(false, Ordering::Relaxed) {
            tracing::info!("inline completion: the model answers again");
        }
    }
}

fn cancelled() -> Error {
    Error { code: ErrorCode::RequestCancelled, message: "superseded by a newer request".into(), data: None }
}

impl Backend {
    /// Remembers an edited line of `uri` for the completion context.
    pub(super) fn note_recent_edit(&self, uri: &Url, line: u32) {
        let Ok(path) = uri.to_file_path() else { return };
        let mut recent = self.state.inline.recent.lock().unwrap_or_else(|e| e.into_inner());
        recent.retain(|(p, l)| !(p == &path && *l == line));
        if recent.len() == RECENT_EDITS {
            recent.pop_front();
        }
        recent.push_back((path, line));
    }

    pub(super) async fn inline_completion(&self, params: InlineCompletionParams) -> Result<InlineCompletionList> {
        let started = Instant::now();
        let settings = self.settings();
        if !settings.completion.enabled {
            return Ok(InlineCompletionList::default());
        }
        if let Some(selected) = &params.context.selected_completion_info {
            // While the user picks from the completion popup, the popup wins.
            tracing::debug!(text = selected.text, range = ?selected.range, "a completion item is selected: no ghost text");
            return Ok(InlineCompletionList::default());
        }
        let uri = &params.text_document.uri;
        let (Some(doc), Ok(path)) = (self.snapshot(uri), uri.to_file_path()) else {
            tracing::debug!(%uri, "inline completion for a document that is not open");
            return Ok(InlineCompletionList::default());
        };
        let encoding = self.encoding();
        let position = TextPosition::new(params.position.line, params.position.character);
        let offset =
            to_byte_offset(&doc.rope, position, encoding).map_err(|e| Error::invalid_params(format!("inline completion at an invalid position: {e}")))?;
        let text = doc.text();
        let shown = self.state.inline.shown.lock().unwrap_or_else(|e| e.into_inner()).as_ref().and_then(|s| s.rest(&path, &text, offset));
        if let Some(rest) = shown {
            tracing::debug!(%uri, "inline completion served from the suggestion shown");
            let range = convert::range(&doc.rope, &rest.replace, encoding);
            return Ok(items(rest, range));
        }
        let (token, _in_flight) = self.state.inline.begin(uri);
        let debounce_started = Instant::now();
        if params.context.trigger_kind == TriggerKind::Automatic {
            tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(settings.completion.debounce_ms)) => {}
                () = token.cancelled() => return Err(cancelled()),
            }
        }
        let debounced = Instant::now();
        // The prompt's context reads edges (callers, members, uses).
        let graph = self.sync_graph_linked(uri).await;
        // The graph holds the text the position was read in, unless the
        // file is outside the workspace or was edited again meanwhile (the
        // editor then asks again).
        let hash = content_hash(&text);
        let Some(file) = graph.file_id(&path).filter(|&f| graph.file(f).is_some_and(|entry| entry.hash == hash)) else {
            return Ok(InlineCompletionList::default());
        };
        let synced = Instant::now();
        let recent = self.state.inline.recent_edits(&graph);
        let prepared = inline::prepare(&graph, file, offset, &settings, &recent, settings.completion.stream).map_err(Error::invalid_params)?;
        let client = self.state.inline.client(&settings, &self.state.llm.session).map_err(Error::invalid_params)?;
        let prepared_at = Instant::now();
        let mut streamed = String::new();
        // A stream that has left the cursor's block is stopped: the rest
        // would be cut by the gate anyway.
        let stop = token.child_token();
        let before = graph.file(file).map(|entry| &entry.text()[..offset]).unwrap_or_default();
        let cursor_line = before[before.rfind('\n').map_or(0, |i| i + 1)..].to_owned();
        // No snapshot is held while the model answers: an edit landing
        // meanwhile would copy the whole graph (tens of ms on a large
        // workspace) for the next request to wait on.
        drop(graph);
        let result = client
            .complete(&prepared.request, &stop, &mut |progress| {
                if let Progress::Text(piece) = progress {
                    streamed.push_str(piece);
                    if inline::block_ended(&cursor_line, &streamed) {
                        stop.cancel();
                    }
                }
            })
            .await;
        let answered_at = Instant::now();
        let answer = match result {
            Ok(done) => done.text,
            Err(LlmError::Cancelled) if !token.is_cancelled() => streamed,
            Err(LlmError::Cancelled) => return Err(cancelled()),
            // A chat answer cut at the output limit: its whole lines may hold.
            Err(LlmError::Truncated { .. }) if !streamed.is_empty() => streamed,
            Err(e) => {
                self.state.inline.note_failure(&e);
                return Ok(InlineCompletionList::default());
            }
        };
        self.state.inline.note_answer();
        let (state, linked) = (self.state.clone(), path.clone());
        let Ok(graph) = tokio::task::spawn_blocking(move || super::indexing::linked_for(&state, Some(&linked))).await else {
            return Ok(InlineCompletionList::default());
        };
        let Some(file) = graph.file_id(&path).filter(|&f| graph.file(f).is_some_and(|entry| entry.hash == hash)) else {
            // Edited (or gone) while the model answered: the editor asks again.
            tracing::debug!(%uri, "the document changed while the model answered");
            return Ok(InlineCompletionList::default());
        };
        // The buffer's tree (of the text the graph holds) makes the gate's
        // parses incremental.
        let suggestion = inline::finish(&graph, file, offset, prepared.shape, &answer, doc.tree());
        let done = Instant::now();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        tracing::debug!(
            sync_ms = ms(synced - debounced),
            prepare_ms = ms(prepared_at - synced),
            model_ms = ms(answered_at - prepared_at),
            gate_ms = ms(done - answered_at),
            server_ms = ms(done - started) - ms(answered_at - prepared_at) - ms(debounced - debounce_started),
            context_files = prepared.context_files,
            shown = suggestion.is_some(),
            "inline completion timings"
        );
        let Some(suggestion) = suggestion else {
            tracing::debug!(%uri, "the model's suggestion did not pass the checks");
            return Ok(InlineCompletionList::default());
        };
        let Some(entry) = graph.file(file) else { return Ok(InlineCompletionList::default()) };
        *self.state.inline.shown.lock().unwrap_or_else(|e| e.into_inner()) = Shown::new(&path, entry.text(), &suggestion);
        let span = Span::new(suggestion.replace.start as u32, suggestion.replace.end as u32);
        let Some(range) = Locator::new(&graph, encoding).range(file, span) else { return Ok(InlineCompletionList::default()) };
        Ok(items(suggestion, range))
    }
}

fn items(suggestion: Suggestion, range: Range) -> InlineCompletionList {
    InlineCompletionList { items: vec![InlineCompletionItem { insert_text: suggestion.text, filter_text: None, range, command: None }] }
}
