//! The three chat wire protocols: how a [`Request`] becomes an HTTP call and how
//! a response body (whole or streamed) becomes text and token usage.

use serde_json::{Value, json};

use super::ProviderKind;
use super::{Request, Usage};

/// An HTTP POST ready to send. Header values may hold the API key: this
/// type is never logged.
pub(super) struct HttpCall {
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Value,
}

/// The generation parameters after settings defaults are applied.
pub(super) struct Params<'a> {
    pub model: &'a str,
    pub max_output_tokens: u32,
    pub temperature: f64,
    pub stream: bool,
}

pub(super) fn build_call(kind: ProviderKind, base_url: &str, api_key: Option<&str>, request: &Request, p: &Params) -> HttpCall {
    let Params { model, max_output_tokens, temperature, stream } = *p;
    let mut headers = Vec::new();
    match kind {
        ProviderKind::OpenAi => {
            if let Some(key) = api_key {
                headers.push(("authorization", format!("Bearer {key}")));
            }
            let mut body = json!({
                "model": model,
                "messages": chat_messages(request),
                "max_tokens": max_output_tokens,
                "temperature": temperature,
                "stream": stream,
            });
            if stream {
                // Without this, streamed answers carry no token usage.
                body["stream_options"] = json!({"include_usage": true});
            }
            HttpCall { url: format!("{base_url}/chat/completions"), headers, body }
        }
        ProviderKind::Ollama => HttpCall {
            url: format!("{base_url}/api/chat"),
            headers,
            body: json!({
                "model": model,
                "messages": chat_messages(request),
                "stream": stream,
                "options": {"temperature": temperature, "num_predict": max_output_tokens},
            }),
        },
        ProviderKind::Anthropic => {
            if let Some(key) = api_key {
                headers.push(("x-api-key", key.to_owned()));
            }
            headers.push(("anthropic-version", "2023-06-01".to_owned()));
            let mut body = json!({
                "model": model,
                "max_tokens": max_output_tokens,
                "temperature": temperature,
                "messages": [{"role": "user", "content": request.prompt}],
                "stream": stream,
            });
            if !request.system.is_empty() {
                body["system"] = json!(request.system);
            }
            HttpCall { url: format!("{base_url}/v1/messages"), headers, body }
        }
    }
}

fn chat_messages(request: &Request) -> Value {
    let mut messages = Vec::new();
    if !request.system.is_empty() {
        messages.push(json!({"role": "system", "content": request.system}));
    }
    messages.push(json!({"role": "user", "content": request.prompt}));
    Value::Array(messages)
}

/// A complete (non-streamed) answer.
#[derive(Debug, PartialEq)]
pub(super) struct Full {
    pub text: String,
    pub usage: Usage,
    /// The model stopped at the output limit, not at the answer's end.
    pub truncated: bool,
}

/// The answer in a complete response body. Reasoning (OpenAI-compatible
/// servers' `reasoning_content`/`reasoning`, Ollama's `thinking`,
/// Anthropic's `thinking` blocks) is not part of it.
pub(super) fn parse_full(kind: ProviderKind, body: &[u8]) -> Result<Full, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    if let Some(message) = error_message(&value) {
        return Err(format!("error in a successful response: {message}"));
    }
    let str_at = |ptr: &str| value.pointer(ptr).and_then(Value::as_str);
    let text = match kind {
        // A reasoning model cut off while thinking has a null `content`.
        ProviderKind::OpenAi => str_at("/choices/0/message/content").map(str::to_owned).or_else(|| {
            let message = value.pointer("/choices/0/message")?;
            (message.get("content").is_some_and(Value::is_null)).then(String::new)
        }),
        ProviderKind::Ollama => str_at("/message/content").map(str::to_owned),
        ProviderKind::Anthropic => {
            let blocks = value.get("content").and_then(Value::as_array).ok_or("no `content` array")?;
            Some(blocks.iter().filter(|b| b["type"] == "text").filter_map(|b| b["text"].as_str()).collect())
        }
    };
    let text = text.ok_or("no answer text where the protocol puts it")?;
    let truncated = match kind {
        ProviderKind::OpenAi => str_at("/choices/0/finish_reason") == Some("length"),
        ProviderKind::Ollama => str_at("/done_reason") == Some("length"),
        ProviderKind::Anthropic => str_at("/stop_reason") == Some("max_tokens"),
    };
    Ok(Full { text, usage: usage_of(kind, &value), truncated })
}

fn usage_of(kind: ProviderKind, value: &Value) -> Usage {
    let n = |ptr: &str| value.pointer(ptr).and_then(Value::as_u64).unwrap_or(0);
    match kind {
        ProviderKind::OpenAi => Usage { prompt_tokens: n("/usage/prompt_tokens"), completion_tokens: n("/usage/completion_tokens") },
        ProviderKind::Ollama => Usage { prompt_tokens: n("/prompt_eval_count"), completion_tokens: n("/eval_count") },
        ProviderKind::Anthropic => Usage { prompt_tokens: n("/usage/input_tokens"), completion_tokens: n("/usage/output_tokens") },
    }
}

pub(super) fn error_message(value: &Value) -> Option<String> {
    let error = value.get("error")?;
    Some(match error {
        Value::String(s) => s.clone(),
        other => other.get("message").and_then(Value::as_str).map_or_else(|| other.to_string(), str::to_owned),
    })
}

/// What one streamed record contributes.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Chunk {
    pub text: Option<String>,
    pub prompt_tokens: Option<u64>,
    pub completion_tokens: Option<u64>,
    /// The protocol's end-of-answer marker: only after it is a stream whole.
    pub done: bool,
    /// The model stopped at the output limit.
    pub truncated: bool,
}

/// Decodes one streamed record: an SSE event's data (OpenAI, Anthropic) or
/// an NDJSON line (Ollama). `Err` is either malformed data or an error the
/// provider reported mid-stream; both end the call.
pub(super) fn parse_chunk(kind: ProviderKind, data: &str) -> Result<Chunk, ChunkError> {
    if kind == ProviderKind::OpenAi && data.trim() == "[DONE]" {
        return Ok(Chunk { done: true, ..Chunk::default() });
    }
    let value: Value = serde_json::from_str(data).map_err(|e| ChunkError::Malformed(format!("stream record is not JSON: {e}")))?;
    if let Some(message) = error_message(&value) {
        return Err(ChunkError::Provider(message));
    }
    let u = |ptr: &str| value.pointer(ptr).and_then(Value::as_u64);
    let s = |ptr: &str| value.pointer(ptr).and_then(Value::as_str).map(str::to_owned);
    Ok(match kind {
        ProviderKind::OpenAi => Chunk {
            text: s("/choices/0/delta/content"),
            prompt_tokens: u("/usage/prompt_tokens"),
            completion_tokens: u("/usage/completion_tokens"),
            done: false,
            truncated: s("/choices/0/finish_reason").as_deref() == Some("length"),
        },
        ProviderKind::Ollama => {
            if value.get("done").and_then(Value::as_bool).is_none() {
                return Err(ChunkError::Malformed("stream record without `done`".to_owned()));
            }
            Chunk {
                text: s("/message/content"),
                prompt_tokens: u("/prompt_eval_count"),
                completion_tokens: u("/eval_count"),
                done: value["done"] == true,
                truncated: s("/done_reason").as_deref() == Some("length"),
            }
        }
        ProviderKind::Anthropic => match value.get("type").and_then(Value::as_str) {
            Some("message_start") => Chunk { prompt_tokens: u("/message/usage/input_tokens"), ..Chunk::default() },
            Some("content_block_delta") => Chunk { text: s("/delta/text"), ..Chunk::default() },
            Some("message_delta") => {
                Chunk { completion_tokens: u("/usage/output_tokens"), truncated: s("/delta/stop_reason").as_deref() == Some("max_tokens"), ..Chunk::default() }
            }
            Some("message_stop") => Chunk { done: true, ..Chunk::default() },
            Some(_) => Chunk::default(), // ping, content_block_start/stop
            None => return Err(ChunkError::Malformed("stream event without `type`".to_owned())),
        },
    })
}

#[derive(Debug, PartialEq)]
pub(super) enum ChunkError {
    Malformed(String),
    Provider(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_protocol_puts_the_text_and_usage_somewhere_else() {
        let cases = [
            (ProviderKind::OpenAi, r#"{"choices":[{"message":{"content":"hi"}}],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#),
            (ProviderKind::Ollama, r#"{"message":{"content":"hi"},"done":true,"prompt_eval_count":3,"eval_count":1}"#),
            (ProviderKind::Anthropic, r#"{"content":[{"type":"text","text":"h"},{"type":"text","text":"i"}],"usage":{"input_tokens":3,"output_tokens":1}}"#),
        ];
        for (kind, body) in cases {
            let full = parse_full(kind, body.as_bytes()).unwrap();
            assert_eq!(full, Full { text: "hi".to_owned(), usage: Usage { prompt_tokens: 3, completion_tokens: 1 }, truncated: false }, "{kind}");
        }
        assert!(parse_full(ProviderKind::OpenAi, br#"{"choices":[]}"#).is_err());
        assert!(parse_full(ProviderKind::Ollama, b"<html>").is_err());
    }

    #[test]
    fn reasoning_is_not_the_answer_and_the_output_limit_is_read() {
        let cases = [
            (ProviderKind::OpenAi, r#"{"choices":[{"message":{"content":"hi","reasoning_content":"draft"},"finish_reason":"stop"}]}"#, "hi", false),
            (ProviderKind::OpenAi, r#"{"choices":[{"message":{"content":null,"reasoning_content":"long"},"finish_reason":"length"}]}"#, "", true),
            (ProviderKind::Ollama, r#"{"message":{"content":"hi","thinking":"draft"},"done":true,"done_reason":"length"}"#, "hi", true),
            (
                ProviderKind::Anthropic,
                r#"{"content":[{"type":"thinking","thinking":"draft"},{"type":"text","text":"hi"}],"stop_reason":"max_tokens"}"#,
                "hi",
                true,
            ),
            (ProviderKind::Anthropic, r#"{"content":[{"type":"text","text":"hi"}],"stop_reason":"end_turn"}"#, "hi", false),
        ];
        for (kind, body, text, truncated) in cases {
            let full = parse_full(kind, body.as_bytes()).unwrap();
            assert_eq!((full.text.as_str(), full.truncated), (text, truncated), "{body}");
        }
        assert!(parse_chunk(ProviderKind::OpenAi, r#"{"choices":[{"delta":{},"finish_reason":"length"}]}"#).unwrap().truncated);
        let thinking = parse_chunk(ProviderKind::OpenAi, r#"{"choices":[{"delta":{"reasoning_content":"hmm"}}]}"#).unwrap();
        assert_eq!(thinking.text, None);
        assert!(parse_chunk(ProviderKind::Ollama, r#"{"message":{"content":""},"done":true,"done_reason":"length"}"#).unwrap().truncated);
        assert!(parse_chunk(ProviderKind::Anthropic, r#"{"type":"message_delta","delta":{"stop_reason":"max_tokens"}}"#).unwrap().truncated);
        let thinking = parse_chunk(ProviderKind::Anthropic, r#"{"type":"content_block_delta","delta":{"type":"thinking_delta","thinking":"hmm"}}"#).unwrap();
        assert_eq!(thinking.text, None);
    }

    #[test]
    fn stream_records_and_end_markers() {
        assert!(parse_chunk(ProviderKind::OpenAi, "[DONE]").unwrap().done);
        let ollama = parse_chunk(ProviderKind::Ollama, r#"{"message":{"content":"x"},"done":false}"#).unwrap();
        assert_eq!((ollama.text.as_deref(), ollama.done), (Some("x"), false));
        assert!(parse_chunk(ProviderKind::Anthropic, r#"{"type":"message_stop"}"#).unwrap().done);
        assert_eq!(
            parse_chunk(ProviderKind::Anthropic, r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#),
            Err(ChunkError::Provider("Overloaded".to_owned()))
        );
    }
}
