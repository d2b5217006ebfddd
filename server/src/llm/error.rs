//! What can go wrong talking to a model, structured so callers can tell a
//! cancellation from an outage from a bad answer.

use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("the API key for {endpoint} is missing: set the environment variable {env}")]
    MissingApiKey { endpoint: String, env: String },
    #[error("cannot reach {endpoint}: {message}")]
    Connect { endpoint: String, message: String },
    #[error("{endpoint} answered HTTP {status}: {body}")]
    Status { endpoint: String, status: u16, body: String, retry_after: Option<Duration> },
    #[error("{endpoint} timed out waiting for {waiting_for}")]
    Timeout { endpoint: String, waiting_for: &'static str },
    #[error("{endpoint} sent a malformed response: {detail}")]
    Malformed { endpoint: String, detail: String },
    #[error("{endpoint}'s stream broke off before the answer was complete ({received} characters received)")]
    StreamCut { endpoint: String, received: usize },
    #[error("{endpoint} stopped at the output limit of {limit} tokens before the answer was complete; raise `llm.max_output_tokens`")]
    Truncated { endpoint: String, limit: u32 },
    #[error("{endpoint} reported an error: {message}")]
    Provider { endpoint: String, message: String },
    #[error("{endpoint} is failing; its circuit breaker is open for another {}s", retry_in.as_secs().max(1))]
    CircuitOpen { endpoint: String, retry_in: Duration },
    #[error("{primary}; the secondary failed too: {secondary}")]
    BothFailed { primary: Box<LlmError>, secondary: Box<LlmError> },
    #[error("the request was cancelled")]
    Cancelled,
}

impl LlmError {
    /// Worth another attempt at the same endpoint after a pause.
    pub fn is_retryable(&self) -> bool {
        match self {
            LlmError::Status { status, .. } => *status == 429 || *status >= 500,
            LlmError::Connect { .. } => true,
            _ => false,
        }
    }

    /// Counts against the endpoint's health (its circuit breaker). A bad
    /// request (4xx other than 429) is the caller's fault, not an outage.
    pub fn is_endpoint_failure(&self) -> bool {
        match self {
            LlmError::Status { status, .. } => *status == 429 || *status >= 500,
            LlmError::Cancelled | LlmError::CircuitOpen { .. } | LlmError::Truncated { .. } => false,
            _ => true,
        }
    }
}
