//! The `llm` settings section: which provider to talk to and how patiently.
//! API keys are never settings: only the *name* of the environment variable
//! that holds one is.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The wire protocols pyloom speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// Any OpenAI-compatible `/chat/completions` endpoint (OpenAI, vLLM,
    /// llama.cpp server, LM Studio).
    #[serde(rename = "openai")]
    OpenAi,
    /// Ollama's native `/api/chat`.
    Ollama,
    /// Anthropic's Messages API.
    Anthropic,
}

impl ProviderKind {
    pub fn name(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "openai",
            ProviderKind::Ollama => "ollama",
            ProviderKind::Anthropic => "anthropic",
        }
    }

    pub fn default_base_url(self) -> &'static str {
        match self {
            ProviderKind::OpenAi => "https://api.openai.com/v1",
            ProviderKind::Ollama => "http://127.0.0.1:11434",
            ProviderKind::Anthropic => "https://api.anthropic.com",
        }
    }

    /// The environment variable read for the key when none is named.
    pub fn default_api_key_env(self) -> Option<&'static str> {
        match self {
            ProviderKind::OpenAi => Some("OPENAI_API_KEY"),
            ProviderKind::Ollama => None,
            ProviderKind::Anthropic => Some("ANTHROPIC_API_KEY"),
        }
    }

    /// Whether a request without a key is pointless. OpenAI-compatible local
    /// servers (llama.cpp, vLLM, LM Studio) usually accept anonymous calls.
    pub fn requires_api_key(self) -> bool {
        self == ProviderKind::Anthropic
    }
}

impl std::fmt::Display for ProviderKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One endpoint: the primary one is flattened into `[llm]`, the failover one
/// is `[llm.secondary]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProviderSettings {
    pub provider: ProviderKind,
    pub model: String,
    /// Defaults per provider (Ollama: `http://127.0.0.1:11434`).
    pub base_url: Option<String>,
    /// The name of the environment variable holding the API key.
    pub api_key_env: Option<String>,
}

impl Default for ProviderSettings {
    fn default() -> Self {
        // Local by default: nothing leaves the machine unless configured.
        Self { provider: ProviderKind::Ollama, model: "qwen2.5-coder:7b".to_owned(), base_url: None, api_key_env: None }
    }
}

impl ProviderSettings {
    pub fn base_url(&self) -> &str {
        self.base_url.as_deref().unwrap_or(self.provider.default_base_url()).trim_end_matches('/')
    }

    pub fn api_key_env(&self) -> Option<&str> {
        self.api_key_env.as_deref().or(self.provider.default_api_key_env())
    }

    /// `ollama qwen2.5-coder:7b @ http://127.0.0.1:11434`, for messages.
    pub fn label(&self) -> String {
        format!("{} {} @ {}", self.provider, self.model, self.base_url())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LlmSettings {
    #[serde(flatten)]
    pub primary: ProviderSettings,
    /// Tried when the primary fails (after its retries) or its breaker is open.
    pub secondary: Option<ProviderSettings>,
    pub connect_timeout_ms: u64,
    /// The longest wait for the next bytes (headers or a stream chunk).
    pub read_timeout_ms: u64,
    /// The longest a whole request may take, retries not included.
    pub request_timeout_ms: u64,
    pub max_output_tokens: u32,
    pub temperature: f64,
    /// Retries after the first attempt, on 429, 5xx and connection errors.
    pub max_retries: u32,
    pub backoff_base_ms: u64,
    pub backoff_max_ms: u64,
    /// A `Retry-After` longer than this fails the attempt instead of waiting.
    pub max_retry_after_ms: u64,
    /// Consecutive failed calls that open a provider's circuit breaker.
    pub breaker_failures: u32,
    /// How long an open breaker rejects calls before letting one probe through.
    pub breaker_open_ms: u64,
    pub cache: CacheSettings,
}

impl Default for LlmSettings {
    fn default() -> Self {
        Self {
            primary: ProviderSettings::default(),
            secondary: None,
            connect_timeout_ms: 5_000,
            read_timeout_ms: 120_000,
            request_timeout_ms: 600_000,
            max_output_tokens: 1024,
            temperature: 0.2,
            max_retries: 2,
            backoff_base_ms: 500,
            backoff_max_ms: 8_000,
            max_retry_after_ms: 60_000,
            breaker_failures: 3,
            breaker_open_ms: 30_000,
            cache: CacheSettings::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CacheSettings {
    pub enabled: bool,
    /// Defaults to `$XDG_CACHE_HOME/pyloom/llm-cache.sqlite3`.
    pub path: Option<PathBuf>,
    pub ttl_secs: u64,
    pub max_entries: u32,
}

impl Default for CacheSettings {
    fn default() -> Self {
        Self { enabled: true, path: None, ttl_secs: 7 * 24 * 3600, max_entries: 2_000 }
    }
}

impl CacheSettings {
    pub fn resolved_path(&self) -> Option<PathBuf> {
        if let Some(path) = &self.path {
            return Some(path.clone());
        }
        Some(super::user_cache_dir()?.join("pyloom").join("llm-cache.sqlite3"))
    }
}

impl LlmSettings {
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=2.0).contains(&self.temperature) {
            return Err("llm.temperature must be between 0 and 2".to_owned());
        }
        if self.max_output_tokens == 0 {
            return Err("llm.max_output_tokens must be greater than 0".to_owned());
        }
        if self.read_timeout_ms == 0 || self.request_timeout_ms == 0 || self.connect_timeout_ms == 0 {
            return Err("llm timeouts must be greater than 0".to_owned());
        }
        for endpoint in std::iter::once(&self.primary).chain(&self.secondary) {
            if endpoint.model.trim().is_empty() {
                return Err("llm.model must not be empty".to_owned());
            }
            let url = endpoint.base_url();
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(format!("llm.base_url `{url}` must start with http:// or https://"));
            }
        }
        Ok(())
    }
}
