//! The LLM client: three chat wire protocols (OpenAI-compatible chat
//! completions, Ollama's native API, Anthropic Messages) and four
//! fill-in-the-middle ones (see `infill`), streamed or not, with retries,
//! a circuit breaker per endpoint, failover to a secondary, a response cache
//! and per-session usage accounting.
//!
//! ```text
//! LlmClient::complete(request, cancel, on_progress)
//!   cache? (unless bypassed) ─ hit ────────────────────────▶ Completion
//!   primary:   breaker ─ attempt ─ retry (429/5xx/connect) ─┐
//!   secondary: (on failure before any text was streamed) ───┴▶ Completion | LlmError
//! ```

mod ask;
mod backoff;
mod breaker;
mod cache;
pub mod cli;
mod client;
mod error;
mod infill;
mod provider;
mod stream;
#[cfg(test)]
mod tests;
mod usage;

pub use crate::settings::llm::{CacheSettings, LlmSettings, ProviderKind, ProviderSettings};
pub use ask::ask_request;
pub use breaker::BreakerState;
pub use cache::ResponseCache;
pub use client::{Attempts, LlmClient, Session};
pub use error::LlmError;
pub use infill::{Infill, InfillProtocol};
pub use usage::{UsageLedger, UsageTotals};

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// What to ask. Generation limits default to the settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Request {
    pub system: String,
    pub prompt: String,
    pub max_output_tokens: Option<u32>,
    pub temperature: Option<f64>,
    /// Stream the answer (each piece goes to `on_progress` as it arrives).
    pub stream: bool,
    pub cache: CacheUse,
    /// Fill in the middle instead of chatting (inline completion).
    pub infill: Option<Infill>,
}

/// How a call uses the response cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum CacheUse {
    /// Served from the cache when there; a fresh answer is stored.
    #[default]
    ReadWrite,
    /// Served from the cache when there; a fresh answer is stored only when
    /// the caller accepts it ([`LlmClient::remember`]): generated code that
    /// fails its checks must not come back next time.
    Read,
    /// Always asks the model (a retry, a regenerate); stores nothing.
    Bypass,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
}

/// A whole answer: only returned once the provider marked it complete.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub text: String,
    pub usage: Usage,
    /// The endpoint that answered, e.g. `ollama qwen2.5-coder:7b @ http://…`.
    pub endpoint: String,
    pub cached: bool,
    /// Where [`LlmClient::remember`] stores this answer.
    pub cache_key: String,
}

/// What happens while a call is under way, for progress reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress<'a> {
    /// The next piece of a streamed answer (a cached answer comes whole).
    Text(&'a str),
    Retrying {
        endpoint: &'a str,
        retry: u32,
        wait: Duration,
        reason: String,
    },
    FailingOver {
        from: &'a str,
        to: &'a str,
        reason: String,
    },
}
