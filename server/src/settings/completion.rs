//! The `[completion]` settings section: inline (ghost-text) completion. Its
//! endpoint defaults to the `[llm]` one; a small fill-in-the-middle model
//! (`qwen2.5-coder:1.5b` on Ollama) is the recommended choice.

use serde::{Deserialize, Serialize};

use super::llm::{LlmSettings, ProviderKind, ProviderSettings};

/// Who serves completions, and so which wire protocol is spoken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum CompletionProvider {
    /// Ollama's `/api/generate` (with `suffix`, or a raw prompt).
    Ollama,
    /// An OpenAI-compatible `/v1/completions` with `suffix` (llama.cpp
    /// server, vLLM, LM Studio).
    #[serde(rename = "openai")]
    #[value(name = "openai")]
    OpenAi,
    /// llama.cpp's `/infill` (other files go in `input_extra`).
    #[serde(rename = "llamacpp")]
    #[value(name = "llamacpp")]
    LlamaCpp,
    /// Mistral's `/v1/fim/completions` (Codestral).
    Mistral,
    /// Anthropic's Messages API: a chat prompt, no fill-in-the-middle.
    Anthropic,
}

impl CompletionProvider {
    /// The chat protocol spoken to the endpoint (for the chat fallback and
    /// for the client's endpoint); llama.cpp and Mistral are OpenAI-compatible.
    pub fn chat_kind(self) -> ProviderKind {
        match self {
            CompletionProvider::Ollama => ProviderKind::Ollama,
            CompletionProvider::Anthropic => ProviderKind::Anthropic,
            CompletionProvider::OpenAi | CompletionProvider::LlamaCpp | CompletionProvider::Mistral => ProviderKind::OpenAi,
        }
    }

    fn of(kind: ProviderKind) -> Self {
        match kind {
            ProviderKind::Ollama => CompletionProvider::Ollama,
            ProviderKind::OpenAi => CompletionProvider::OpenAi,
            ProviderKind::Anthropic => CompletionProvider::Anthropic,
        }
    }

    fn default_base_url(self) -> Option<&'static str> {
        match self {
            CompletionProvider::LlamaCpp => Some("http://127.0.0.1:8080"),
            CompletionProvider::Mistral => Some("https://api.mistral.ai/v1"),
            _ => None,
        }
    }

    fn default_api_key_env(self) -> Option<&'static str> {
        (self == CompletionProvider::Mistral).then_some("MISTRAL_API_KEY")
    }
}

/// How the prompt is written: the model family's own tokens, or a chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptFormat {
    /// From the model's name; the provider's own template when unknown.
    #[default]
    Auto,
    /// Qwen2.5-Coder: `<|fim_prefix|>`, `<|repo_name|>`, `<|file_sep|>`.
    Qwen,
    /// StarCoder2: `<fim_prefix>`, `<repo_name>`, `<file_sep>`.
    Starcoder,
    /// DeepSeek-Coder: `<｜fim▁begin｜>`.
    Deepseek,
    /// Codestral: `[SUFFIX]…[PREFIX]…`.
    Codestral,
    /// The provider fills the middle with the model's template (`suffix`).
    Native,
    /// A chat prompt, for models without fill-in-the-middle.
    Chat,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CompletionSettings {
    pub enabled: bool,
    /// Defaults to `llm.provider`.
    pub provider: Option<CompletionProvider>,
    /// Defaults to `llm.model`.
    pub model: Option<String>,
    /// Defaults to `llm.base_url` when the provider is the same.
    pub base_url: Option<String>,
    /// Defaults to `llm.api_key_env` when the provider is the same.
    pub api_key_env: Option<String>,
    pub format: PromptFormat,
    /// Stream the answer (a stream cut short by typing frees the model sooner).
    pub stream: bool,
    /// Automatic requests wait this long for typing to pause.
    pub debounce_ms: u64,
    pub max_tokens: u32,
    /// Tokens of other files' context ahead of the prefix.
    pub context_budget: usize,
    /// The longest wait for the model before a suggestion is given up.
    pub timeout_ms: u64,
}

impl Default for CompletionSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            provider: None,
            model: None,
            base_url: None,
            api_key_env: None,
            format: PromptFormat::Auto,
            stream: true,
            debounce_ms: 150,
            max_tokens: 128,
            context_budget: 2000,
            timeout_ms: 10_000,
        }
    }
}

impl CompletionSettings {
    pub fn provider(&self, llm: &LlmSettings) -> CompletionProvider {
        self.provider.unwrap_or(CompletionProvider::of(llm.primary.provider))
    }

    /// The endpoint completions go to: these settings over `llm`'s. The
    /// URL and key variable of `llm` only carry over to the same provider.
    pub fn endpoint(&self, llm: &LlmSettings) -> ProviderSettings {
        let provider = self.provider(llm);
        let same = CompletionProvider::of(llm.primary.provider) == provider;
        let inherit = |mine: &Option<String>, theirs: &Option<String>, own_default: Option<&str>| {
            mine.clone().or_else(|| if same { theirs.clone() } else { None }).or(own_default.map(str::to_owned))
        };
        ProviderSettings {
            provider: provider.chat_kind(),
            model: self.model.clone().unwrap_or_else(|| llm.primary.model.clone()),
            base_url: inherit(&self.base_url, &llm.primary.base_url, provider.default_base_url()),
            api_key_env: inherit(&self.api_key_env, &llm.primary.api_key_env, provider.default_api_key_env()),
        }
    }

    /// The client settings for completion calls: no retries, no secondary
    /// and no cache (the user has typed on by the time either would help),
    /// and a short timeout.
    pub fn client_settings(&self, llm: &LlmSettings) -> LlmSettings {
        let mut settings = llm.clone();
        settings.primary = self.endpoint(llm);
        settings.secondary = None;
        settings.max_retries = 0;
        settings.cache.enabled = false;
        settings.max_output_tokens = self.max_tokens;
        settings.read_timeout_ms = self.timeout_ms;
        settings.request_timeout_ms = self.timeout_ms;
        settings.connect_timeout_ms = settings.connect_timeout_ms.min(self.timeout_ms);
        settings
    }

    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.max_tokens == 0 {
            return Err("completion.max_tokens must be greater than 0".to_owned());
        }
        if self.timeout_ms == 0 {
            return Err("completion.timeout_ms must be greater than 0".to_owned());
        }
        if self.model.as_deref().is_some_and(|m| m.trim().is_empty()) {
            return Err("completion.model must not be empty".to_owned());
        }
        match &self.base_url {
            Some(url) if !(url.starts_with("http://") || url.starts_with("https://")) => {
                Err(format!("completion.base_url `{url}` must start with http:// or https://"))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_defaults_to_llm_and_keeps_urls_with_their_provider() {
        let mut llm = LlmSettings::default();
        llm.primary.base_url = Some("http://gpu:11434".into());
        let own = CompletionSettings { model: Some("qwen2.5-coder:1.5b".into()), ..Default::default() };
        let endpoint = own.endpoint(&llm);
        assert_eq!((endpoint.provider, endpoint.model.as_str(), endpoint.base_url()), (ProviderKind::Ollama, "qwen2.5-coder:1.5b", "http://gpu:11434"));
        let mistral = CompletionSettings { provider: Some(CompletionProvider::Mistral), ..Default::default() };
        let endpoint = mistral.endpoint(&llm);
        assert_eq!((endpoint.base_url(), endpoint.api_key_env()), ("https://api.mistral.ai/v1", Some("MISTRAL_API_KEY")));
        assert_eq!(
            CompletionSettings { provider: Some(CompletionProvider::LlamaCpp), ..Default::default() }.endpoint(&llm).base_url(),
            "http://127.0.0.1:8080"
        );
        assert!(CompletionSettings { max_tokens: 0, ..Default::default() }.validate().is_err());
        assert!(CompletionSettings { base_url: Some("localhost:8080".into()), ..Default::default() }.validate().is_err());
    }
}
