//! `pyloom.ask` (via `workspace/executeCommand`): a question about the code
//! at a position, answered by the configured model with the hierarchical
//! context from the live workspace graph. The answer streams as work-done progress; `$/cancelRequest`
//! (the handler's future is dropped) and a progress cancel both abort the
//! HTTP request (see `progress`).

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::*;

use super::Backend;
use crate::context::TokenCounter;
use crate::llm::{LlmClient, LlmError, Progress, ask_request};
use crate::project::project_root_within;

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
        let root = root.filter(|r| path.starts_with(r)).unwrap_or_else(|| project_root_within(&path, None));
        let primary = &settings.llm.primary;
        let counter = TokenCounter::for_model(primary.provider, &primary.model, settings.context.safety_margin_percent);
        let line = args.position.line as usize + 1;
        self.sync_graph_linked(uri).await;
        let context = self.hierarchical_context(&root, &path, &source, line, &settings).await?;
        let request = ask_request(&context, &args.question, &counter, settings.llm.max_output_tokens).map_err(Error::invalid_params)?;
        let cache = LlmClient::open_cache(&settings.llm);
        let client = LlmClient::new(settings.llm, self.state.llm.session.clone(), cache).map_err(Error::invalid_params)?;

        let work = self.begin_work(None, format!("Asking about {}", context.target)).await;
        let (tx, forwarder) = work.reporter();
        let result = client
            .complete(&request, work.cancelled(), &mut |p| {
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
        work.end(None).await;
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
}
