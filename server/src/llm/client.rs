//! One call to a model, end to end: cache, breaker, attempts with retries,
//! failover. The HTTP request lives inside the attempt's future, so a
//! cancellation or a timeout drops it and the connection closes.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sha2::{Digest, Sha256};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::breaker::Breaker;
use super::cache::{CachedAnswer, ResponseCache};
use super::infill::Wire;
use super::provider::{ChunkError, Params};
use super::stream::{NdjsonDecoder, SseDecoder};
use super::usage::UsageLedger;
use super::{BreakerState, CacheUse, Completion, LlmError, Progress, ProviderKind, Request, Usage};
use crate::settings::llm::{LlmSettings, ProviderSettings};

/// State that outlives one client: the session's usage and each endpoint's
/// breaker (settings may change and clients be rebuilt; health persists).
#[derive(Default)]
pub struct Session {
    pub usage: UsageLedger,
    breakers: Mutex<HashMap<String, Breaker>>,
}

impl Session {
    /// Breaker states by endpoint label, for status displays.
    pub fn breaker_states(&self) -> Vec<(String, BreakerState)> {
        let breakers = self.breakers.lock().unwrap_or_else(|e| e.into_inner());
        let mut states: Vec<_> = breakers.iter().map(|(k, b)| (k.clone(), b.state())).collect();
        states.sort_by(|a, b| a.0.cmp(&b.0));
        states
    }

    fn with_breaker<T>(&self, endpoint: &Endpoint, settings: &LlmSettings, f: impl FnOnce(&mut Breaker) -> T) -> T {
        let mut breakers = self.breakers.lock().unwrap_or_else(|e| e.into_inner());
        let breaker =
            breakers.entry(endpoint.label.clone()).or_insert_with(|| Breaker::new(settings.breaker_failures, Duration::from_millis(settings.breaker_open_ms)));
        f(breaker)
    }
}

/// An API key. Its `Debug` never shows it; it is only put in a header.
struct ApiKey(String);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

#[derive(Debug)]
struct Endpoint {
    settings: ProviderSettings,
    label: String,
    api_key: Option<ApiKey>,
}

impl Endpoint {
    fn new(settings: &ProviderSettings, lookup: &dyn Fn(&str) -> Option<String>) -> Self {
        let api_key = settings.api_key_env().and_then(lookup).filter(|key| !key.trim().is_empty()).map(ApiKey);
        Self { label: settings.label(), settings: settings.clone(), api_key }
    }

    fn kind(&self) -> ProviderKind {
        self.settings.provider
    }
}

/// Responses larger than this are treated as malformed rather than buffered.
const MAX_BODY_BYTES: usize = 32 << 20;
/// How much of an error body goes into an error message.
const ERROR_BODY_CHARS: usize = 400;

pub struct LlmClient {
    http: reqwest::Client,
    settings: LlmSettings,
    endpoints: Vec<Endpoint>,
    session: Arc<Session>,
    cache: Option<Arc<ResponseCache>>,
}

impl LlmClient {
    /// A client for `settings`. Keys are read from the named environment
    /// variables now; a missing one fails only the calls that need it.
    pub fn new(settings: LlmSettings, session: Arc<Session>, cache: Option<Arc<ResponseCache>>) -> Result<Self, String> {
        Self::with_key_lookup(settings, session, cache, &|name| std::env::var(name).ok())
    }

    /// Like [`LlmClient::new`], with keys looked up by `lookup` (given the
    /// variable's name) instead of in the process environment.
    pub fn with_key_lookup(
        settings: LlmSettings,
        session: Arc<Session>,
        cache: Option<Arc<ResponseCache>>,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        settings.validate()?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_millis(settings.connect_timeout_ms))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        let endpoints = std::iter::once(&settings.primary).chain(&settings.secondary).map(|p| Endpoint::new(p, lookup)).collect();
        Ok(Self { http, settings, endpoints, session, cache })
    }

    /// Opens the cache the settings ask for; `None` (with a log line) when
    /// it is disabled or cannot be opened: a broken cache must not stop calls.
    pub fn open_cache(settings: &LlmSettings) -> Option<Arc<ResponseCache>> {
        let cache = &settings.cache;
        if !cache.enabled {
            return None;
        }
        let path = cache.resolved_path()?;
        match ResponseCache::open(&path, Duration::from_secs(cache.ttl_secs), cache.max_entries) {
            Ok(c) => Some(Arc::new(c)),
            Err(e) => {
                tracing::warn!(path = %path.display(), "LLM response cache disabled: {e}");
                None
            }
        }
    }

    pub fn session(&self) -> &Arc<Session> {
        &self.session
    }

    /// Asks the primary endpoint, failing over to the secondary when the
    /// primary fails before any text was streamed. Streamed pieces go to
    /// `on_progress` as they arrive; the result is `Ok` only when the
    /// provider marked the answer complete.
    pub async fn complete(
        &self,
        request: &Request,
        cancel: &CancellationToken,
        on_progress: &mut (dyn FnMut(Progress<'_>) + Send),
    ) -> Result<Completion, LlmError> {
        let mut streamed = false;
        let primary = &self.endpoints[0];
        let error = match self.call_endpoint(primary, request, cancel, on_progress, &mut streamed).await {
            Ok(done) => return Ok(done),
            Err(e) => e,
        };
        // A cut answer would be cut at the same limit by the secondary.
        let secondary = match self.endpoints.get(1) {
            Some(s) if !streamed && !matches!(error, LlmError::Cancelled | LlmError::Truncated { .. }) => s,
            _ => return Err(error),
        };
        tracing::warn!(from = %primary.label, to = %secondary.label, "failing over: {error}");
        on_progress(Progress::FailingOver { from: &primary.label, to: &secondary.label, reason: error.to_string() });
        match self.call_endpoint(secondary, request, cancel, on_progress, &mut streamed).await {
            Ok(done) => Ok(done),
            Err(LlmError::Cancelled) => Err(LlmError::Cancelled),
            Err(second) => Err(LlmError::BothFailed { primary: Box::new(error), secondary: Box::new(second) }),
        }
    }

    fn params<'e>(&self, endpoint: &'e Endpoint, request: &Request) -> Params<'e> {
        Params {
            model: &endpoint.settings.model,
            max_output_tokens: request.max_output_tokens.unwrap_or(self.settings.max_output_tokens),
            temperature: request.temperature.unwrap_or(self.settings.temperature),
            stream: request.stream,
        }
    }

    /// The URL and JSON body `request` would go to the primary endpoint
    /// with: exactly what the model gets (headers left out: they hold keys).
    pub fn preview(&self, request: &Request) -> serde_json::Value {
        let endpoint = &self.endpoints[0];
        let call = Wire::of(endpoint.kind(), request).build_call(endpoint.kind(), endpoint.settings.base_url(), None, request, &self.params(endpoint, request));
        serde_json::json!({"url": call.url, "body": call.body})
    }

    async fn call_endpoint(
        &self,
        endpoint: &Endpoint,
        request: &Request,
        cancel: &CancellationToken,
        on_progress: &mut (dyn FnMut(Progress<'_>) + Send),
        streamed: &mut bool,
    ) -> Result<Completion, LlmError> {
        let params = self.params(endpoint, request);
        let key = cache_key(endpoint, request, &params);
        if let Some(answer) = self.cached(&key).filter(|_| request.cache != CacheUse::Bypass) {
            self.session.usage.record_cache_hit(&endpoint.label);
            on_progress(Progress::Text(&answer.text));
            return Ok(Completion { text: answer.text, usage: answer.usage, endpoint: endpoint.label.clone(), cached: true, cache_key: key });
        }
        if endpoint.api_key.is_none() && endpoint.kind().requires_api_key() {
            // Nothing was sent: not a verdict on the endpoint's health.
            let env = endpoint.settings.api_key_env().unwrap_or_default().to_owned();
            self.session.usage.record_failure(&endpoint.label);
            return Err(LlmError::MissingApiKey { endpoint: endpoint.label.clone(), env });
        }
        if let Err(retry_in) = self.session.with_breaker(endpoint, &self.settings, |b| b.admit(Instant::now().into_std())) {
            return Err(LlmError::CircuitOpen { endpoint: endpoint.label.clone(), retry_in });
        }
        let mut retry = 0;
        loop {
            let result = self.attempt(endpoint, request, &params, cancel, on_progress, streamed).await;
            let now = Instant::now().into_std();
            let error = match result {
                Ok((text, usage)) => {
                    self.session.with_breaker(endpoint, &self.settings, |b| b.record_success());
                    self.session.usage.record_answer(&endpoint.label, usage);
                    if request.cache == CacheUse::ReadWrite {
                        self.store(&key, &text, usage);
                    }
                    return Ok(Completion { text, usage, endpoint: endpoint.label.clone(), cached: false, cache_key: key });
                }
                Err(LlmError::Cancelled) => {
                    self.session.with_breaker(endpoint, &self.settings, |b| b.record_abandoned(now));
                    return Err(LlmError::Cancelled);
                }
                Err(e) => e,
            };
            let wait = match &error {
                LlmError::Status { retry_after: Some(wait), .. } => Some(*wait).filter(|w| w.as_millis() <= u128::from(self.settings.max_retry_after_ms)),
                _ => Some(super::backoff::jittered(
                    retry,
                    Duration::from_millis(self.settings.backoff_base_ms),
                    Duration::from_millis(self.settings.backoff_max_ms),
                )),
            };
            match wait {
                Some(wait) if error.is_retryable() && retry < self.settings.max_retries && !*streamed => {
                    retry += 1;
                    tracing::info!(endpoint = %endpoint.label, retry, ?wait, "retrying: {error}");
                    on_progress(Progress::Retrying { endpoint: &endpoint.label, retry, wait, reason: error.to_string() });
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = cancel.cancelled() => {
                            self.session.with_breaker(endpoint, &self.settings, |b| b.record_abandoned(now));
                            return Err(LlmError::Cancelled);
                        }
                    }
                }
                _ => {
                    self.session.usage.record_failure(&endpoint.label);
                    self.session.with_breaker(
                        endpoint,
                        &self.settings,
                        |b| {
                            if error.is_endpoint_failure() { b.record_failure(now) } else { b.record_success() }
                        },
                    );
                    return Err(error);
                }
            }
        }
    }

    /// One HTTP exchange. `streamed` turns true once any text has reached
    /// the caller: from then on a failure cannot be retried or failed over.
    async fn attempt(
        &self,
        endpoint: &Endpoint,
        request: &Request,
        params: &Params<'_>,
        cancel: &CancellationToken,
        on_progress: &mut (dyn FnMut(Progress<'_>) + Send),
        streamed: &mut bool,
    ) -> Result<(String, Usage), LlmError> {
        let wire = Wire::of(endpoint.kind(), request);
        let call = wire.build_call(endpoint.kind(), endpoint.settings.base_url(), endpoint.api_key.as_ref().map(|k| k.0.as_str()), request, params);
        let body = serde_json::to_vec(&call.body)
            .map_err(|e| LlmError::Malformed { endpoint: endpoint.label.clone(), detail: format!("cannot encode the request: {e}") })?;
        let mut builder = self.http.post(&call.url).header(reqwest::header::CONTENT_TYPE, "application/json").body(body);
        for (name, value) in call.headers {
            builder = builder.header(name, value);
        }
        let io = Io {
            endpoint,
            cancel,
            deadline: Instant::now() + Duration::from_millis(self.settings.request_timeout_ms),
            idle: Duration::from_millis(self.settings.read_timeout_ms),
        };
        let mut response = io.wait(builder.send(), "the response").await.map_err(|e| e.into_error(endpoint, false, 0))?;
        let status = response.status();
        if !status.is_success() {
            let retry_after = response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| super::backoff::parse_retry_after(v, std::time::SystemTime::now()));
            let body = read_body(&io, &mut response).await.map_err(|e| e.into_error(endpoint, false, 0))?;
            let body: String = String::from_utf8_lossy(&body).chars().take(ERROR_BODY_CHARS).collect();
            return Err(LlmError::Status { endpoint: endpoint.label.clone(), status: status.as_u16(), body, retry_after });
        }
        let truncated = || LlmError::Truncated { endpoint: endpoint.label.clone(), limit: params.max_output_tokens };
        if !params.stream {
            let body = read_body(&io, &mut response).await.map_err(|e| e.into_error(endpoint, false, 0))?;
            let full = wire.parse_full(&body).map_err(|detail| LlmError::Malformed { endpoint: endpoint.label.clone(), detail })?;
            return if full.truncated { Err(truncated()) } else { Ok((full.text, full.usage)) };
        }
        let mut decoder = Decoder::for_wire(wire);
        let mut text = String::new();
        let mut usage = Usage::default();
        let mut cut_at_limit = false;
        loop {
            let bytes = match io.wait(response.chunk(), "the next part of the stream").await {
                Ok(Some(bytes)) => bytes,
                Ok(None) => break,
                Err(e) => return Err(e.into_error(endpoint, true, text.len())),
            };
            for record in decoder.push(&bytes) {
                let chunk = wire.parse_chunk(&record).map_err(|e| match e {
                    ChunkError::Malformed(detail) => LlmError::Malformed { endpoint: endpoint.label.clone(), detail },
                    ChunkError::Provider(message) => LlmError::Provider { endpoint: endpoint.label.clone(), message },
                })?;
                usage.prompt_tokens = chunk.prompt_tokens.unwrap_or(usage.prompt_tokens);
                usage.completion_tokens = chunk.completion_tokens.unwrap_or(usage.completion_tokens);
                cut_at_limit |= chunk.truncated;
                if let Some(piece) = chunk.text.filter(|t| !t.is_empty()) {
                    *streamed = true;
                    on_progress(Progress::Text(&piece));
                    text.push_str(&piece);
                }
                if chunk.done {
                    // OpenAI sends usage in a record before `[DONE]`; after
                    // the marker nothing more belongs to this answer.
                    return if cut_at_limit { Err(truncated()) } else { Ok((text, usage)) };
                }
            }
        }
        Err(LlmError::StreamCut { endpoint: endpoint.label.clone(), received: text.len() })
    }

    /// Stores an answer its caller accepted (asked with [`CacheUse::Read`])
    /// under `key`: the key of the request it answers (a retry's answer is
    /// the answer to the first request, which the next identical action repeats).
    pub fn remember(&self, key: &str, completion: &Completion) {
        self.store(key, &completion.text, completion.usage);
    }

    fn cached(&self, key: &str) -> Option<CachedAnswer> {
        let cache = self.cache.as_ref()?;
        cache.get(key).unwrap_or_else(|e| {
            tracing::warn!("LLM cache read failed: {e}");
            None
        })
    }

    fn store(&self, key: &str, text: &str, usage: Usage) {
        if let Some(cache) = &self.cache
            && let Err(e) = cache.put(key, &CachedAnswer { text: text.to_owned(), usage })
        {
            tracing::warn!("LLM cache write failed: {e}");
        }
    }
}

/// The answers to one action's attempts. Once one is accepted it is stored
/// under the key of the first request: the next identical action repeats
/// that request, not a retry's.
#[derive(Default)]
pub struct Attempts {
    first_key: Option<String>,
    last: Option<Completion>,
}

impl Attempts {
    /// Keeps `completion` as the latest answer; its text.
    pub fn record(&mut self, completion: Completion) -> String {
        self.first_key.get_or_insert_with(|| completion.cache_key.clone());
        let text = completion.text.clone();
        self.last = Some(completion);
        text
    }

    /// The latest answer passed its checks: cache it.
    pub fn accept(&self, client: &LlmClient) {
        if let (Some(key), Some(completion)) = (&self.first_key, &self.last) {
            client.remember(key, completion);
        }
    }
}

/// Provider, model and a hash of everything that shapes the answer.
fn cache_key(endpoint: &Endpoint, request: &Request, params: &Params) -> String {
    let mut hash = Sha256::new();
    let infill = request.infill.as_ref().map(|i| serde_json::to_string(i).unwrap_or_default()).unwrap_or_default();
    for part in [endpoint.settings.provider.name(), params.model, endpoint.settings.base_url(), &request.system, &request.prompt, &infill] {
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part.as_bytes());
    }
    hash.update(params.max_output_tokens.to_le_bytes());
    hash.update(params.temperature.to_le_bytes());
    let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("{}:{}:{digest}", endpoint.settings.provider, params.model)
}

enum Decoder {
    Sse(SseDecoder),
    Ndjson(NdjsonDecoder),
}

impl Decoder {
    fn for_wire(wire: Wire) -> Self {
        if wire.ndjson() { Decoder::Ndjson(NdjsonDecoder::default()) } else { Decoder::Sse(SseDecoder::default()) }
    }

    /// Complete records: SSE `data` payloads or NDJSON lines.
    fn push(&mut self, bytes: &[u8]) -> Vec<String> {
        match self {
            Decoder::Sse(d) => d.push(bytes).into_iter().map(|e| e.data).collect(),
            Decoder::Ndjson(d) => d.push(bytes),
        }
    }
}

/// Waits on the network under the call's deadline, the idle limit and the
/// caller's cancellation, whichever comes first.
struct Io<'a> {
    endpoint: &'a Endpoint,
    cancel: &'a CancellationToken,
    deadline: Instant,
    idle: Duration,
}

enum IoError {
    Cancelled,
    Timeout(&'static str),
    Http(reqwest::Error),
    TooLarge,
}

impl IoError {
    fn into_error(self, endpoint: &Endpoint, mid_stream: bool, received: usize) -> LlmError {
        let endpoint = endpoint.label.clone();
        match self {
            IoError::Cancelled => LlmError::Cancelled,
            IoError::Timeout(waiting_for) => LlmError::Timeout { endpoint, waiting_for },
            IoError::TooLarge => LlmError::Malformed { endpoint, detail: format!("response larger than {MAX_BODY_BYTES} bytes") },
            IoError::Http(_) if mid_stream => LlmError::StreamCut { endpoint, received },
            IoError::Http(e) => LlmError::Connect { endpoint, message: error_chain(&e) },
        }
    }
}

impl Io<'_> {
    async fn wait<T>(&self, fut: impl Future<Output = reqwest::Result<T>>, waiting_for: &'static str) -> Result<T, IoError> {
        let until = (Instant::now() + self.idle).min(self.deadline);
        tokio::select! {
            biased;
            () = self.cancel.cancelled() => Err(IoError::Cancelled),
            result = tokio::time::timeout_at(until, fut) => match result {
                Err(_) => {
                    tracing::debug!(endpoint = %self.endpoint.label, "timed out waiting for {waiting_for}");
                    Err(IoError::Timeout(waiting_for))
                }
                Ok(Err(e)) => Err(IoError::Http(e)),
                Ok(Ok(value)) => Ok(value),
            },
        }
    }
}

async fn read_body(io: &Io<'_>, response: &mut reqwest::Response) -> Result<Vec<u8>, IoError> {
    let mut body = Vec::new();
    while let Some(bytes) = io.wait(response.chunk(), "the response body").await? {
        if body.len() + bytes.len() > MAX_BODY_BYTES {
            return Err(IoError::TooLarge);
        }
        body.extend_from_slice(&bytes);
    }
    Ok(body)
}

/// reqwest's top-level message is often just "error sending request"; the
/// cause (connection refused, DNS) is what a user needs.
fn error_chain(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
