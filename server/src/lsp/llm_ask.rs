//! `pyloom.ask` (via `workspace/executeCommand`): a question about the code
//! at a position, answered by the configured model with the hierarchical
//! context. The answer streams as work-done progress; `$/cancelRequest`
//! (the handler's future is dropped) and a progress cancel both abort the
//! HTTP request.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::Deserialize;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::notification::Progress as ProgressNotification;
use tower_lsp::lsp_types::request::WorkDoneProgressCreate;
use tower_lsp::lsp_types::*;

use super::Backend;
use crate::context::{TokenCounter, assemble};
use crate::index::commands::project_root;
use crate::llm::{LlmClient, LlmError, Progress, ask_request};

pub(super) const ASK_COMMAND: &str = "pyloom.ask";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AskArgs {
    text_document: TextDocumentIdentifier,
    position: Position,
    question: String,
}

impl Backend {
    pub(super) async fn llm_ask(&self, arguments: Vec<Value>) -> Result<Value> {
        let args: AskArgs = arguments
            .into_iter()
            .next()
            .and_then(|a| serde_json::from_value(a).ok())
            .ok_or_else(|| Error::invalid_params("pyloom.ask takes {textDocument, position, question}"))?;
        let uri = &args.text_document.uri;
        let path = uri.to_file_path().map_err(|()| Error::invalid_params(format!("{uri} is not a file")))?;
        let source = match self.snapshot(uri) {
            Some(doc) => doc.text(),
            None => std::fs::read_to_string(&path).map_err(|e| Error::invalid_params(format!("cannot read {uri}: {e}")))?,
        };
        let settings = self.settings();
        let root = self.state.roots.read().unwrap_or_else(|e| e.into_inner()).first().cloned();
        let root = root.filter(|r| path.starts_with(r)).unwrap_or_else(|| project_root(&path));
        let primary = &settings.llm.primary;
        let counter = TokenCounter::for_model(primary.provider, &primary.model, settings.context.safety_margin_percent);
        let line = args.position.line as usize + 1;
        let context = assemble(&root, &path, &source, line, settings.context.budget, &settings.context, &counter)
            .map_err(Error::invalid_params)?;
        let request = ask_request(&context, &args.question, &counter, settings.llm.max_output_tokens).map_err(Error::invalid_params)?;
        let cache = LlmClient::open_cache(&settings.llm);
        let client = LlmClient::new(settings.llm, self.state.llm.session.clone(), cache).map_err(Error::invalid_params)?;

        let cancel = CancellationToken::new();
        let progress = self.begin_llm_progress(&context.target, &cancel).await;
        // Progress goes out from a task of its own: the model's callback
        // cannot await, and must not wait on the editor.
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
        let forwarder = progress.clone().map(|token| {
            let lsp = self.client.clone();
            tokio::spawn(async move {
                while let Some(message) = rx.recv().await {
                    let report = WorkDoneProgress::Report(WorkDoneProgressReport { message: Some(message), cancellable: Some(true), percentage: None });
                    lsp.send_notification::<ProgressNotification>(ProgressParams { token: token.clone(), value: ProgressParamsValue::WorkDone(report) }).await;
                }
            })
        });
        let result = client
            .complete(&request, &cancel, &mut |p| {
                let message = match p {
                    Progress::Text(text) => text.to_owned(),
                    Progress::Retrying { reason, retry, .. } => format!("\n[retry {retry}: {reason}]\n"),
                    Progress::FailingOver { to, .. } => format!("\n[failing over to {to}]\n"),
                };
                let _ = tx.send(message);
            })
            .await;
        drop(tx);
        if let Some(forwarder) = forwarder {
            let _ = forwarder.await;
        }
        if let Some(token) = &progress {
            self.end_llm_progress(token).await;
        }
        match result {
            Ok(done) => Ok(json!({
                "answer": done.text,
                "endpoint": done.endpoint,
                "cached": done.cached,
                "usage": done.usage,
                "context": {"target": context.target, "tokens": context.packed.tokens},
            })),
            Err(LlmError::Cancelled) => Err(Error { code: ErrorCode::RequestCancelled, message: "cancelled".into(), data: None }),
            Err(e) => {
                tracing::warn!("pyloom.ask failed: {e}");
                // LSP's RequestFailed: the request was valid, the work failed.
                Err(Error { code: ErrorCode::ServerError(-32803), message: e.to_string().into(), data: None })
            }
        }
    }

    /// Creates and begins a cancellable progress, registered so that
    /// `window/workDoneProgress/cancel` can find it; `None` if the client
    /// declines.
    async fn begin_llm_progress(&self, target: &str, cancel: &CancellationToken) -> Option<NumberOrString> {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let token = NumberOrString::String(format!("pyloom/ask/{}", NEXT.fetch_add(1, Ordering::Relaxed)));
        if let Err(e) = self.client.send_request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams { token: token.clone() }).await {
            tracing::debug!("no work-done progress: {e}");
            return None;
        }
        self.state.llm.cancels.lock().unwrap_or_else(|e| e.into_inner()).insert(token_key(&token), cancel.clone());
        let begin = WorkDoneProgress::Begin(WorkDoneProgressBegin {
            title: format!("Asking about {target}"),
            cancellable: Some(true),
            message: None,
            percentage: None,
        });
        self.client
            .send_notification::<ProgressNotification>(ProgressParams { token: token.clone(), value: ProgressParamsValue::WorkDone(begin) })
            .await;
        Some(token)
    }

    async fn end_llm_progress(&self, token: &NumberOrString) {
        self.state.llm.cancels.lock().unwrap_or_else(|e| e.into_inner()).remove(&token_key(token));
        let end = WorkDoneProgress::End(WorkDoneProgressEnd { message: None });
        self.client
            .send_notification::<ProgressNotification>(ProgressParams { token: token.clone(), value: ProgressParamsValue::WorkDone(end) })
            .await;
    }

    /// The user cancelled the progress `token`: aborts the LLM call it reports on.
    pub(super) fn cancel_llm_progress(&self, token: &NumberOrString) {
        let cancel = self.state.llm.cancels.lock().unwrap_or_else(|e| e.into_inner()).remove(&token_key(token));
        if let Some(cancel) = cancel {
            cancel.cancel();
        }
    }
}

fn token_key(token: &NumberOrString) -> String {
    match token {
        NumberOrString::Number(n) => n.to_string(),
        NumberOrString::String(s) => s.clone(),
    }
}
