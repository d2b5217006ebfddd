//! The client against real HTTP servers on 127.0.0.1 that speak each
//! provider's protocol, scripted to succeed, fail, stall and break off.

use std::sync::Arc;
use std::time::{Duration, Instant};

use pyloom_e2e::http::{Reply, ScriptedServer, StreamEnd};
use tokio_util::sync::CancellationToken;

use super::*;

const ALL: [ProviderKind; 3] = [ProviderKind::OpenAi, ProviderKind::Ollama, ProviderKind::Anthropic];

fn settings(kind: ProviderKind, server: &ScriptedServer) -> LlmSettings {
    LlmSettings {
        primary: ProviderSettings {
            provider: kind,
            model: "test-model".to_owned(),
            base_url: Some(server.base_url.clone()),
            api_key_env: Some("TEST_KEY".to_owned()),
        },
        read_timeout_ms: 5_000,
        backoff_base_ms: 1,
        backoff_max_ms: 5,
        cache: CacheSettings { enabled: false, ..CacheSettings::default() },
        ..LlmSettings::default()
    }
}

fn client(settings: LlmSettings) -> LlmClient {
    client_with(settings, Arc::new(Session::default()), None)
}

fn client_with(settings: LlmSettings, session: Arc<Session>, cache: Option<Arc<ResponseCache>>) -> LlmClient {
    LlmClient::with_key_lookup(settings, session, cache, &|name| (name == "TEST_KEY").then(|| "sk-test".to_owned())).unwrap()
}

fn request(stream: bool) -> Request {
    Request { system: "Be brief.".into(), prompt: "Say hello.".into(), stream, ..Request::default() }
}

/// Runs a call and returns its result with everything reported on the way.
async fn run(client: &LlmClient, request: &Request) -> (Result<Completion, LlmError>, Vec<String>) {
    let mut seen = Vec::new();
    let result = client.complete(request, &CancellationToken::new(), &mut |p| seen.push(describe(&p))).await;
    (result, seen)
}

fn describe(p: &Progress<'_>) -> String {
    match p {
        Progress::Text(t) => format!("text {t:?}"),
        Progress::Retrying { retry, .. } => format!("retry {retry}"),
        Progress::FailingOver { .. } => "failover".to_owned(),
    }
}

/// A whole answer "Hello!" with 9 prompt and 2 completion tokens.
fn full_reply(kind: ProviderKind) -> Reply {
    Reply::json(
        200,
        match kind {
            ProviderKind::OpenAi => r#"{"choices":[{"message":{"role":"assistant","content":"Hello!"}}],"usage":{"prompt_tokens":9,"completion_tokens":2}}"#,
            ProviderKind::Ollama => r#"{"message":{"role":"assistant","content":"Hello!"},"done":true,"prompt_eval_count":9,"eval_count":2}"#,
            ProviderKind::Anthropic => r#"{"content":[{"type":"text","text":"Hello!"}],"usage":{"input_tokens":9,"output_tokens":2}}"#,
        },
    )
}

/// The streamed records of "Hel" + "lo!", the last one being the end marker.
fn stream_records(kind: ProviderKind) -> Vec<&'static str> {
    match kind {
        ProviderKind::OpenAi => vec![
            "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}\n\n",
            "data: {\"choices\":[{\"delta\":{\"content\":\"lo!\"}}]}\n\n",
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}\n\n",
            "data: [DONE]\n\n",
        ],
        ProviderKind::Ollama => vec![
            "{\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}\n",
            "{\"message\":{\"role\":\"assistant\",\"content\":\"lo!\"},\"done\":false}\n",
            "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"prompt_eval_count\":9,\"eval_count\":2}\n",
        ],
        ProviderKind::Anthropic => vec![
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}\n\n",
            "event: ping\ndata: {\"type\":\"ping\"}\n\nevent: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"lo!\"}}\n\n",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":2}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
        ],
    }
}

fn stream_reply(kind: ProviderKind, records: &[&str], end: StreamEnd) -> Reply {
    match kind {
        ProviderKind::Ollama => Reply::ndjson(records, end),
        _ => Reply::sse(records, end),
    }
}

#[tokio::test]
async fn each_provider_answers_whole_and_streamed() {
    for kind in ALL {
        let records = stream_records(kind);
        let server = ScriptedServer::start(vec![full_reply(kind), stream_reply(kind, &records, StreamEnd::Complete)]).unwrap();
        let client = client(settings(kind, &server));
        for stream in [false, true] {
            let (result, seen) = run(&client, &request(stream)).await;
            let done = result.unwrap_or_else(|e| panic!("{kind} stream={stream}: {e}"));
            assert_eq!(done.text, "Hello!", "{kind}");
            assert_eq!(done.usage, Usage { prompt_tokens: 9, completion_tokens: 2 }, "{kind} stream={stream}");
            assert!(!done.cached);
            let expected: Vec<String> = if stream { vec!["text \"Hel\"".into(), "text \"lo!\"".into()] } else { vec![] };
            assert_eq!(seen, expected, "{kind}");
        }
        let requests = server.requests();
        let (path, auth) = match kind {
            ProviderKind::OpenAi => ("/chat/completions", ("authorization", Some("Bearer sk-test"))),
            ProviderKind::Ollama => ("/api/chat", ("authorization", None)),
            ProviderKind::Anthropic => ("/v1/messages", ("x-api-key", Some("sk-test"))),
        };
        for (r, stream) in requests.iter().zip([false, true]) {
            assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", path), "{kind}");
            assert_eq!(r.header(auth.0), auth.1, "{kind}");
            let body = r.json();
            assert_eq!(body["model"], "test-model");
            assert_eq!(body["stream"], stream);
            assert!(body.to_string().contains("Say hello.") && body.to_string().contains("Be brief."), "{kind}: {body}");
        }
        let usage = client.session().usage.snapshot();
        let totals = usage.values().next().unwrap();
        assert_eq!((totals.requests, totals.prompt_tokens, totals.completion_tokens), (2, 18, 4));
    }
}

#[tokio::test]
async fn a_429_is_retried_after_the_time_it_asks_for() {
    let kind = ProviderKind::OpenAi;
    let server =
        ScriptedServer::start(vec![Reply::json(429, r#"{"error":{"message":"slow down"}}"#).with_header("Retry-After", "1"), full_reply(kind)]).unwrap();
    let client = client(settings(kind, &server));
    let started = Instant::now();
    let (result, seen) = run(&client, &request(false)).await;
    assert_eq!(result.unwrap().text, "Hello!");
    assert_eq!(seen, ["retry 1"]);
    assert_eq!(server.requests().len(), 2);
    // Backoff alone would have waited at most 5 ms.
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After was honoured");
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_fails_at_once() {
    let kind = ProviderKind::Anthropic;
    let server = ScriptedServer::start(vec![Reply::json(429, r#"{"error":{"message":"quota"}}"#).with_header("Retry-After", "3600")]).unwrap();
    let (result, _) = run(&client(settings(kind, &server)), &request(false)).await;
    match result {
        Err(LlmError::Status { status: 429, retry_after: Some(wait), .. }) => assert_eq!(wait, Duration::from_secs(3600)),
        other => panic!("{other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    for kind in ALL {
        let server = ScriptedServer::start(vec![Reply::json(500, "{}"), Reply::json(503, "{}"), Reply::json(502, "bad gateway")]).unwrap();
        let (result, seen) = run(&client(settings(kind, &server)), &request(true)).await;
        let error = result.unwrap_err();
        assert!(matches!(error, LlmError::Status { status: 502, .. }), "{kind}: {error}");
        assert!(error.to_string().contains("HTTP 502: bad gateway"), "{error}");
        assert_eq!(seen, ["retry 1", "retry 2"]);
        assert_eq!(server.requests().len(), 3);
    }
}

#[tokio::test]
async fn a_client_error_is_not_retried() {
    let server = ScriptedServer::start(vec![Reply::json(400, r#"{"error":"model not found"}"#)]).unwrap();
    let (result, _) = run(&client(settings(ProviderKind::Ollama, &server)), &request(false)).await;
    assert!(matches!(result, Err(LlmError::Status { status: 400, .. })));
    assert_eq!(server.requests().len(), 1);
}

// Multi-threaded: hyper closes the socket in a task of its own, which
// must run while this test blocks waiting for the server to see it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_server_times_out_and_the_connection_is_dropped() {
    for stream in [false, true] {
        let server = ScriptedServer::start(vec![Reply::Stall]).unwrap();
        let mut s = settings(ProviderKind::Ollama, &server);
        s.read_timeout_ms = 200;
        let (result, _) = run(&client(s), &request(stream)).await;
        assert!(matches!(result, Err(LlmError::Timeout { .. })), "{result:?}");
        server.wait_client_closed().unwrap();
    }
}

// Multi-threaded: hyper closes the socket in a task of its own, which
// must run while this test blocks waiting for the server to see it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_that_goes_quiet_times_out_without_a_partial_answer() {
    let kind = ProviderKind::OpenAi;
    let records = stream_records(kind);
    let server = ScriptedServer::start(vec![stream_reply(kind, &records[..1], StreamEnd::Hold)]).unwrap();
    let mut s = settings(kind, &server);
    s.read_timeout_ms = 300;
    let (result, seen) = run(&client(s), &request(true)).await;
    assert!(matches!(result, Err(LlmError::Timeout { .. })), "{result:?}");
    assert_eq!(seen, ["text \"Hel\""]);
    server.wait_client_closed().unwrap();
}

#[tokio::test]
async fn malformed_bodies_are_errors_whole_or_streamed() {
    for kind in ALL {
        let bad_record = match kind {
            ProviderKind::Ollama => "{\"message\": oops\n",
            _ => "data: {\"choices\": oops\n\n",
        };
        let server = ScriptedServer::start(vec![
            Reply::json(200, "<html>proxy login</html>"),
            Reply::json(200, r#"{"unexpected":"shape"}"#),
            stream_reply(kind, &[bad_record], StreamEnd::Complete),
        ])
        .unwrap();
        let client = client(settings(kind, &server));
        for stream in [false, false, true] {
            let (result, _) = run(&client, &request(stream)).await;
            assert!(matches!(result, Err(LlmError::Malformed { .. })), "{kind}: {result:?}");
        }
    }
}

#[tokio::test]
async fn a_stream_cut_halfway_is_an_error_not_a_short_answer() {
    for kind in ALL {
        let records = stream_records(kind);
        let cut = records.len() - 1; // everything but the end marker
        let server =
            ScriptedServer::start(vec![stream_reply(kind, &records[..cut], StreamEnd::Cut), stream_reply(kind, &records[..cut], StreamEnd::Complete)]).unwrap();
        let client = client(settings(kind, &server));
        // Once text reached the caller, the call is neither retried nor
        // failed over: the caller would see the answer twice.
        for _ in 0..2 {
            let (result, seen) = run(&client, &request(true)).await;
            match result {
                Err(LlmError::StreamCut { received, .. }) => assert_eq!(received, 6, "{kind}"),
                other => panic!("{kind}: {other:?}"),
            }
            assert_eq!(seen, ["text \"Hel\"", "text \"lo!\""], "{kind}");
        }
        assert_eq!(server.requests().len(), 2, "{kind}");
    }
}

// Multi-threaded: hyper closes the socket in a task of its own, which
// must run while this test blocks waiting for the server to see it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_mid_stream_closes_the_connection() {
    for kind in ALL {
        let records = stream_records(kind);
        let server = ScriptedServer::start(vec![stream_reply(kind, &records[..2], StreamEnd::Hold)]).unwrap();
        let client = client(settings(kind, &server));
        let cancel = CancellationToken::new();
        let mut texts = 0;
        let trigger = cancel.clone();
        let result = client
            .complete(&request(true), &cancel, &mut |p| {
                if let Progress::Text(_) = p {
                    texts += 1;
                    trigger.cancel();
                }
            })
            .await;
        assert!(matches!(result, Err(LlmError::Cancelled)), "{kind}: {result:?}");
        assert!(texts >= 1);
        server.wait_client_closed().unwrap();
        // A cancelled call says nothing about the endpoint's health.
        assert_eq!(client.session().breaker_states()[0].1, BreakerState::Closed { failures: 0 });
    }
}

#[tokio::test]
async fn an_open_breaker_fails_fast_without_sending() {
    let kind = ProviderKind::Ollama;
    let server = ScriptedServer::start(vec![Reply::json(500, "down"), full_reply(kind)]).unwrap();
    let session = Arc::new(Session::default());
    let mut s = settings(kind, &server);
    (s.max_retries, s.breaker_failures, s.breaker_open_ms) = (0, 1, 3_600_000);
    let open = client_with(s, session.clone(), None);
    assert!(matches!(run(&open, &request(false)).await.0, Err(LlmError::Status { status: 500, .. })));
    assert!(matches!(session.breaker_states()[0].1, BreakerState::Open { .. }));
    let (result, _) = run(&open, &request(false)).await;
    assert!(matches!(result, Err(LlmError::CircuitOpen { .. })), "{result:?}");
    assert_eq!(server.requests().len(), 1, "an open breaker sends nothing");
}

#[tokio::test]
async fn a_failed_half_open_probe_opens_the_breaker_again() {
    let kind = ProviderKind::OpenAi;
    let server = ScriptedServer::start(vec![Reply::json(503, "down"), Reply::json(503, "still down"), full_reply(kind)]).unwrap();
    let session = Arc::new(Session::default());
    let mut s = settings(kind, &server);
    (s.max_retries, s.breaker_failures, s.breaker_open_ms) = (0, 1, 0);
    let client = client_with(s, session.clone(), None);
    assert!(run(&client, &request(false)).await.0.is_err());
    assert!(matches!(session.breaker_states()[0].1, BreakerState::Open { .. }));
    // Probe fails: open again.
    assert!(matches!(run(&client, &request(false)).await.0, Err(LlmError::Status { status: 503, .. })));
    assert!(matches!(session.breaker_states()[0].1, BreakerState::Open { .. }));
    // Probe succeeds: closed.
    assert_eq!(run(&client, &request(false)).await.0.unwrap().text, "Hello!");
    assert_eq!(session.breaker_states()[0].1, BreakerState::Closed { failures: 0 });
}

#[tokio::test]
async fn failover_to_the_secondary_when_the_primary_fails_or_is_open() {
    let primary = ScriptedServer::start(vec![Reply::json(500, "down")]).unwrap();
    let secondary = ScriptedServer::start(vec![full_reply(ProviderKind::Anthropic), full_reply(ProviderKind::Anthropic)]).unwrap();
    let mut s = settings(ProviderKind::Ollama, &primary);
    (s.max_retries, s.breaker_failures, s.breaker_open_ms) = (0, 1, 3_600_000);
    s.secondary = Some(settings(ProviderKind::Anthropic, &secondary).primary);
    let client = client(s);
    for _ in 0..2 {
        let (result, seen) = run(&client, &request(false)).await;
        let done = result.unwrap();
        assert!(done.endpoint.starts_with("anthropic test-model"), "{}", done.endpoint);
        assert_eq!(seen, ["failover"]);
    }
    // The second call did not even try the primary: its breaker was open.
    assert_eq!(primary.requests().len(), 1);
    assert_eq!(secondary.requests().len(), 2);
}

#[tokio::test]
async fn when_both_fail_the_error_names_both() {
    let primary = ScriptedServer::start(vec![Reply::json(500, "primary down")]).unwrap();
    let secondary = ScriptedServer::start(vec![Reply::json(401, "bad key")]).unwrap();
    let mut s = settings(ProviderKind::OpenAi, &primary);
    s.max_retries = 0;
    s.secondary = Some(settings(ProviderKind::OpenAi, &secondary).primary);
    let error = run(&client(s), &request(false)).await.0.unwrap_err();
    assert!(matches!(error, LlmError::BothFailed { .. }));
    let message = error.to_string();
    assert!(message.contains("primary down") && message.contains("bad key"), "{message}");
}

#[tokio::test]
async fn a_repeated_prompt_is_answered_from_the_cache() {
    let kind = ProviderKind::Anthropic;
    let records = stream_records(kind);
    let server = ScriptedServer::start(vec![stream_reply(kind, &records, StreamEnd::Complete)]).unwrap();
    let cache = Arc::new(ResponseCache::in_memory(Duration::from_secs(60), 10).unwrap());
    let mut s = settings(kind, &server);
    s.max_retries = 0;
    let client = client_with(s, Arc::new(Session::default()), Some(cache));
    assert!(!run(&client, &request(true)).await.0.unwrap().cached);
    let (result, seen) = run(&client, &request(true)).await;
    let done = result.unwrap();
    assert!(done.cached);
    assert_eq!((done.text.as_str(), done.usage.completion_tokens), ("Hello!", 2));
    assert_eq!(seen, ["text \"Hello!\""], "a cached answer still reaches a streaming caller");
    // A different prompt is not a hit.
    let other = Request { prompt: "Say bye.".into(), ..request(true) };
    assert!(run(&client, &other).await.0.is_err(), "the script is exhausted: the server was asked");
    assert_eq!(server.requests().len(), 2);
    let totals = client.session().usage.snapshot().into_values().next().unwrap();
    assert_eq!((totals.requests, totals.cache_hits), (1, 1));
}

#[tokio::test]
async fn a_missing_key_is_a_clear_error_and_nothing_is_sent() {
    let server = ScriptedServer::start(vec![]).unwrap();
    let mut s = settings(ProviderKind::Anthropic, &server);
    s.primary.api_key_env = Some("PYLOOM_TEST_UNSET_KEY".into());
    let error = run(&client(s), &request(false)).await.0.unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("the API key for anthropic test-model @ {} is missing: set the environment variable PYLOOM_TEST_UNSET_KEY", server.base_url)
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_connect_error() {
    // Bind then drop: the port is (almost certainly) closed now.
    let addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut s = LlmSettings::default();
    s.primary.base_url = Some(format!("http://{addr}"));
    (s.max_retries, s.backoff_base_ms) = (1, 1);
    s.cache.enabled = false;
    let (result, seen) = run(&client(s), &request(false)).await;
    assert!(matches!(result, Err(LlmError::Connect { .. })), "{result:?}");
    assert_eq!(seen, ["retry 1"]);
}

#[tokio::test]
async fn an_answer_cut_at_the_output_limit_is_reported_as_such_on_every_protocol() {
    let streamed = |kind: ProviderKind| match kind {
        ProviderKind::OpenAi => stream_reply(
            kind,
            &["data: {\"choices\":[{\"delta\":{\"content\":\"```python\\ndef f(\"},\"finish_reason\":\"length\"}]}\n\n", "data: [DONE]\n\n"],
            StreamEnd::Complete,
        ),
        ProviderKind::Ollama => stream_reply(
            kind,
            &[
                "{\"message\":{\"content\":\"```python\\ndef f(\"},\"done\":false}\n",
                "{\"message\":{\"content\":\"\"},\"done\":true,\"done_reason\":\"length\"}\n",
            ],
            StreamEnd::Complete,
        ),
        ProviderKind::Anthropic => stream_reply(
            kind,
            &[
                "data: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"```python\\ndef f(\"}}\n\n",
                "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},\"usage\":{\"output_tokens\":64}}\n\n",
                "data: {\"type\":\"message_stop\"}\n\n",
            ],
            StreamEnd::Complete,
        ),
    };
    let whole = |kind: ProviderKind| {
        Reply::json(
            200,
            match kind {
                ProviderKind::OpenAi => r#"{"choices":[{"message":{"content":"```python\ndef f("},"finish_reason":"length"}]}"#,
                ProviderKind::Ollama => r#"{"message":{"content":"```python\ndef f("},"done":true,"done_reason":"length"}"#,
                ProviderKind::Anthropic => r#"{"content":[{"type":"text","text":"```python\ndef f("}],"stop_reason":"max_tokens"}"#,
            },
        )
    };
    for kind in ALL {
        let server = ScriptedServer::start(vec![whole(kind), streamed(kind)]).unwrap();
        let cache = Arc::new(ResponseCache::in_memory(Duration::from_secs(60), 10).unwrap());
        let mut s = settings(kind, &server);
        s.max_output_tokens = 64;
        let client = client_with(s, Arc::new(Session::default()), Some(cache.clone()));
        for stream in [false, true] {
            let error = run(&client, &request(stream)).await.0.unwrap_err();
            assert!(matches!(error, LlmError::Truncated { limit: 64, .. }), "{kind} stream={stream}: {error:?}");
            assert!(
                error.to_string().ends_with("stopped at the output limit of 64 tokens before the answer was complete; raise `llm.max_output_tokens`"),
                "{error}"
            );
        }
        assert_eq!(server.requests().len(), 2, "{kind}: not retried");
        assert_eq!(cache.entries().unwrap(), 0, "{kind}: a cut answer is not cached");
    }
}

#[tokio::test]
async fn bypassing_the_cache_asks_again_and_read_only_stores_only_what_is_remembered() {
    let kind = ProviderKind::Ollama;
    let server = ScriptedServer::start(vec![full_reply(kind), full_reply(kind), full_reply(kind)]).unwrap();
    let cache = Arc::new(ResponseCache::in_memory(Duration::from_secs(60), 10).unwrap());
    let client = client_with(settings(kind, &server), Arc::new(Session::default()), Some(cache.clone()));
    let read = Request { cache: CacheUse::Read, ..request(false) };
    let first = run(&client, &read).await.0.unwrap();
    assert_eq!(cache.entries().unwrap(), 0, "not stored until accepted");
    assert!(!run(&client, &read).await.0.unwrap().cached);
    client.remember(&first.cache_key, &first);
    assert!(run(&client, &read).await.0.unwrap().cached);
    let bypass = Request { cache: CacheUse::Bypass, ..request(false) };
    assert!(!run(&client, &bypass).await.0.unwrap().cached);
    assert_eq!(server.requests().len(), 3);
}
