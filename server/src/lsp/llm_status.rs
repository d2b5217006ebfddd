//! `pyloom.status` (via `workspace/executeCommand`): the session's token
//! usage per endpoint and the state of each endpoint's circuit breaker.

use std::sync::Arc;

use serde_json::{Value, json};
use tower_lsp::lsp_types::MessageType;

use super::Backend;
use crate::llm::{BreakerState, Session, UsageTotals};

pub(super) const STATUS_COMMAND: &str = "pyloom.status";

/// What the server keeps for LLM calls across requests.
#[derive(Default)]
pub(super) struct LlmState {
    /// Usage and breakers for the whole session.
    pub session: Arc<Session>,
}

impl Backend {
    pub(super) async fn llm_status(&self) -> Value {
        let settings = self.settings().llm;
        let session = &self.state.llm.session;
        let usage = session.usage.snapshot();
        let mut total = UsageTotals::default();
        for t in usage.values() {
            total.requests += t.requests;
            total.failures += t.failures;
            total.cache_hits += t.cache_hits;
            total.prompt_tokens += t.prompt_tokens;
            total.completion_tokens += t.completion_tokens;
        }
        let breakers: Vec<Value> = session
            .breaker_states()
            .into_iter()
            .map(|(endpoint, state)| {
                let state = match state {
                    BreakerState::Closed { .. } => "closed",
                    BreakerState::Open { .. } => "open",
                    BreakerState::HalfOpen => "half-open",
                };
                json!({"endpoint": endpoint, "state": state})
            })
            .collect();
        let summary = format!(
            "pyloom LLM: {} ({} requests, {} prompt + {} answer tokens, {} cached, {} failed this session)",
            settings.primary.label(),
            total.requests,
            total.prompt_tokens,
            total.completion_tokens,
            total.cache_hits,
            total.failures
        );
        self.client.show_message(MessageType::INFO, &summary).await;
        json!({
            "primary": settings.primary.label(),
            "secondary": settings.secondary.as_ref().map(|s| s.label()),
            "total": total,
            "byEndpoint": usage,
            "breakers": breakers,
            "summary": summary,
        })
    }
}
