//! The MCP server: `tools/list` and `tools/call` over the live workspace.
//! A call first waits for the first index (bounded, with progress
//! notifications when the client sent a progress token, cancelled with the
//! request) and takes in what changed on disk; then the tool answers.

use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Duration;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, ListToolsResult, PaginatedRequestParams, ProgressNotificationParam,
    ProgressToken, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};

use super::tools::{self, Call, ToolError};
use crate::context::{NameCounts, TokenCounter};
use crate::graph::Graph;
use crate::live::Workspace;

/// How long a call waits for the first index before it gives up with the
/// progress so far (Django, cold, takes a few seconds).
const INDEX_WAIT: Duration = Duration::from_secs(120);

const INSTRUCTIONS: &str = "pyloom knows this Python workspace as a graph of its symbols, kept current with the files on disk. \
Name symbols by name or qualified name (`symbol`), or by place (`file`, 1-based `line`, optional `column`). \
Use `check` with `content` before writing a file, `impact` before changing a signature, `rename` for renames \
(it returns the edits; `apply: true` writes them), `run_tests` to run doctests and tests in a sandbox. \
Lists are paged: pass `next_cursor` back as `cursor`.";

#[derive(Clone)]
pub struct PyloomServer {
    ws: Arc<Workspace>,
    /// The name counts of the last graph a call was answered on, built
    /// when a tool first needs them: every snapshot between two writes
    /// shares them, and counting Django's 61K symbols took most of a
    /// `context` call. The `Weak` keeps the old graph's allocation, so a
    /// new graph cannot take its address and pass for it.
    names: Arc<Mutex<NamesOf>>,
}

/// A graph, and the name counts of its symbols once a tool needed them.
type NamesOf = (Weak<Graph>, Arc<OnceLock<NameCounts>>);

impl PyloomServer {
    pub fn new(ws: Arc<Workspace>) -> Self {
        Self { ws, names: Arc::default() }
    }

    /// Loads the model's tokenizer and counts the names of the first
    /// index's graph in the background, so that the first `context` call
    /// does neither (150 ms on Django, the only call over 50 ms).
    pub fn warm_up(&self) {
        let server = self.clone();
        tokio::spawn(async move {
            let primary = server.ws.settings().llm.primary.clone();
            let _ = tokio::task::spawn_blocking(move || TokenCounter::for_model(primary.provider, &primary.model, None)).await;
            let Ok(graph) = server.ws.current(INDEX_WAIT, |_, _| {}).await else { return };
            let names = server.names_of(&graph);
            let _ = tokio::task::spawn_blocking(move || {
                names.get_or_init(|| NameCounts::new(&graph));
            })
            .await;
        });
    }

    /// The lazily built name counts of `graph`.
    fn names_of(&self, graph: &Arc<Graph>) -> Arc<OnceLock<NameCounts>> {
        let mut slot = self.names.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !Weak::ptr_eq(&slot.0, &Arc::downgrade(graph)) {
            *slot = (Arc::downgrade(graph), Arc::default());
        }
        slot.1.clone()
    }

    /// The graph as the disk is now, after the first index.
    async fn graph(&self, context: &RequestContext<RoleServer>) -> Result<Arc<Graph>, ToolError> {
        let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
        let waited = self.ws.current(INDEX_WAIT, move |done, total| {
            let _ = sender.send((done, total));
        });
        let token = context.meta.get_progress_token();
        let forward = async {
            while let Some((done, total)) = receiver.recv().await {
                let Some(token) = &token else { continue };
                if let Err(error) = context.peer.notify_progress(index_progress(token.clone(), done, total)).await {
                    tracing::debug!("progress not sent: {error}");
                }
            }
        };
        let (graph, ()) = tokio::join!(waited, forward);
        graph.map_err(|e| ToolError::new(e.to_string()))
    }

    async fn answer(&self, request: CallToolRequestParams, context: &RequestContext<RoleServer>) -> Result<serde_json::Value, ToolError> {
        let graph = self.graph(context).await?;
        let names = self.names_of(&graph);
        let call = Call { ws: self.ws.clone(), graph, names };
        tools::call(&request.name, call, request.arguments.unwrap_or_default()).await
    }
}

impl ServerHandler for PyloomServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("pyloom", env!("CARGO_PKG_VERSION")))
            .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(&self, _request: Option<PaginatedRequestParams>, _context: RequestContext<RoleServer>) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools::list()))
    }

    async fn call_tool(&self, request: CallToolRequestParams, context: RequestContext<RoleServer>) -> Result<CallToolResponse, ErrorData> {
        let name = request.name.clone();
        let started = std::time::Instant::now();
        let answer = tokio::select! {
            answer = self.answer(request, &context) => answer,
            () = context.ct.cancelled() => Err(ToolError::new("cancelled")),
        };
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let result = match answer {
            Ok(value) => {
                tracing::debug!(tool = %name, ms, "answered");
                CallToolResult::structured(value)
            }
            Err(ToolError(reason)) => {
                tracing::info!(tool = %name, ms, "tool error: {reason}");
                CallToolResult::error(vec![ContentBlock::text(reason)])
            }
        };
        Ok(result.into())
    }
}

/// The progress of the first index as a tool call waits for it. The files
/// are counted before any is read: until then there is no total to show.
fn index_progress(token: ProgressToken, done: usize, total: usize) -> ProgressNotificationParam {
    if total == 0 {
        return ProgressNotificationParam::new(token, 0.0).with_message("indexing the workspace: counting files");
    }
    ProgressNotificationParam::new(token, done as f64).with_total(total as f64).with_message(format!("indexing the workspace: {done}/{total} files"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_progress_shows_no_total_before_the_files_are_counted() {
        let token = ProgressToken(rmcp::model::NumberOrString::Number(1));
        let counting = index_progress(token.clone(), 0, 0);
        assert_eq!((counting.total, counting.message.as_deref()), (None, Some("indexing the workspace: counting files")));
        let reading = index_progress(token, 3, 8);
        assert_eq!((reading.progress, reading.total, reading.message.as_deref()), (3.0, Some(8.0), Some("indexing the workspace: 3/8 files")));
    }
}
