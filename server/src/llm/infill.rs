//! The fill-in-the-middle protocols (inline completion): Ollama's
//! `/api/generate`, OpenAI-compatible `/completions`, llama.cpp's `/infill`
//! and Mistral's `/fim/completions`; and [`Wire`], which picks between them
//! and the chat protocols of [`super::provider`] for one call.
//!
//! An answer cut at the output limit is still an answer here: a suggestion
//! is limited on purpose, and its caller keeps only what checks out.

use serde::Serialize;
use serde_json::{Value, json};

use super::ProviderKind;
use super::provider::{self, Chunk, ChunkError, Full, HttpCall, Params};
use super::{Request, Usage};

/// Asks for the text between a prefix ([`Request::prompt`]) and a suffix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Infill {
    pub protocol: InfillProtocol,
    /// The text after the hole. `None`: the prompt is already written in
    /// the model's own fill-in-the-middle format and goes out raw.
    pub suffix: Option<String>,
    /// Other files (path, text), for llama.cpp's `input_extra`.
    pub extra: Vec<(String, String)>,
    /// Where the model must stop (its format's separators).
    pub stop: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum InfillProtocol {
    OllamaGenerate,
    OpenAiCompletions,
    LlamaInfill,
    MistralFim,
}

/// The protocol of one call.
#[derive(Debug, Clone, Copy)]
pub(super) enum Wire {
    Chat(ProviderKind),
    Infill(InfillProtocol),
}

impl Wire {
    pub fn of(kind: ProviderKind, request: &Request) -> Wire {
        request.infill.as_ref().map_or(Wire::Chat(kind), |i| Wire::Infill(i.protocol))
    }

    /// Streams come as newline-delimited JSON (else as Server-Sent Events).
    pub fn ndjson(self) -> bool {
        matches!(self, Wire::Chat(ProviderKind::Ollama) | Wire::Infill(InfillProtocol::OllamaGenerate))
    }

    pub fn build_call(self, kind: ProviderKind, base_url: &str, api_key: Option<&str>, request: &Request, p: &Params) -> HttpCall {
        match (self, &request.infill) {
            (Wire::Infill(protocol), Some(infill)) => build_call(protocol, infill, base_url, api_key, &request.prompt, p),
            _ => provider::build_call(kind, base_url, api_key, request, p),
        }
    }

    pub fn parse_full(self, body: &[u8]) -> Result<Full, String> {
        let protocol = match self {
            Wire::Chat(kind) => return provider::parse_full(kind, body),
            Wire::Infill(InfillProtocol::MistralFim) => return provider::parse_full(ProviderKind::OpenAi, body).map(|full| Full { truncated: false, ..full }),
            Wire::Infill(protocol) => protocol,
        };
        let value: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
        if let Some(message) = provider::error_message(&value) {
            return Err(format!("error in a successful response: {message}"));
        }
        let text = value.pointer(text_pointer(protocol, false)).and_then(Value::as_str).ok_or("no answer text where the protocol puts it")?;
        Ok(Full { text: text.to_owned(), usage: usage_of(protocol, &value), truncated: false })
    }

    pub fn parse_chunk(self, data: &str) -> Result<Chunk, ChunkError> {
        let protocol = match self {
            Wire::Chat(kind) => return provider::parse_chunk(kind, data),
            Wire::Infill(InfillProtocol::MistralFim) => return provider::parse_chunk(ProviderKind::OpenAi, data).map(|c| Chunk { truncated: false, ..c }),
            Wire::Infill(protocol) => protocol,
        };
        if protocol == InfillProtocol::OpenAiCompletions && data.trim() == "[DONE]" {
            return Ok(Chunk { done: true, ..Chunk::default() });
        }
        let value: Value = serde_json::from_str(data).map_err(|e| ChunkError::Malformed(format!("stream record is not JSON: {e}")))?;
        if let Some(message) = provider::error_message(&value) {
            return Err(ChunkError::Provider(message));
        }
        let done = match protocol {
            InfillProtocol::OllamaGenerate => {
                value.get("done").and_then(Value::as_bool).ok_or_else(|| ChunkError::Malformed("stream record without `done`".to_owned()))?
            }
            InfillProtocol::LlamaInfill => value.get("stop").and_then(Value::as_bool).unwrap_or(false),
            _ => false,
        };
        let usage = usage_of(protocol, &value);
        let counted = |n: u64| (n > 0).then_some(n);
        Ok(Chunk {
            text: value.pointer(text_pointer(protocol, true)).and_then(Value::as_str).map(str::to_owned),
            prompt_tokens: counted(usage.prompt_tokens),
            completion_tokens: counted(usage.completion_tokens),
            done,
            truncated: false,
        })
    }
}

fn text_pointer(protocol: InfillProtocol, streamed: bool) -> &'static str {
    match protocol {
        InfillProtocol::OllamaGenerate => "/response",
        InfillProtocol::OpenAiCompletions => "/choices/0/text",
        InfillProtocol::LlamaInfill => "/content",
        InfillProtocol::MistralFim if streamed => "/choices/0/delta/content",
        InfillProtocol::MistralFim => "/choices/0/message/content",
    }
}

fn usage_of(protocol: InfillProtocol, value: &Value) -> Usage {
    let n = |ptr: &str| value.pointer(ptr).and_then(Value::as_u64).unwrap_or(0);
    match protocol {
        InfillProtocol::OllamaGenerate => Usage { prompt_tokens: n("/prompt_eval_count"), completion_tokens: n("/eval_count") },
        InfillProtocol::LlamaInfill => Usage { prompt_tokens: n("/tokens_evaluated"), completion_tokens: n("/tokens_predicted") },
        InfillProtocol::OpenAiCompletions | InfillProtocol::MistralFim => {
            Usage { prompt_tokens: n("/usage/prompt_tokens"), completion_tokens: n("/usage/completion_tokens") }
        }
    }
}

fn build_call(protocol: InfillProtocol, infill: &Infill, base_url: &str, api_key: Option<&str>, prompt: &str, p: &Params) -> HttpCall {
    let Params { model, max_output_tokens, temperature, stream } = *p;
    let headers: Vec<(&'static str, String)> = api_key.map(|key| ("authorization", format!("Bearer {key}"))).into_iter().collect();
    let (url, mut body) = match protocol {
        InfillProtocol::OllamaGenerate => {
            let mut options = json!({"temperature": temperature, "num_predict": max_output_tokens});
            if !infill.stop.is_empty() {
                options["stop"] = json!(infill.stop);
            }
            let mut body = json!({"model": model, "prompt": prompt, "stream": stream, "options": options});
            match &infill.suffix {
                Some(suffix) => body["suffix"] = json!(suffix),
                // The model's template would wrap the raw format again.
                None => body["raw"] = json!(true),
            }
            return HttpCall { url: format!("{base_url}/api/generate"), headers, body };
        }
        InfillProtocol::LlamaInfill => {
            let extra: Vec<Value> = infill.extra.iter().map(|(path, text)| json!({"filename": path, "text": text})).collect();
            let body = json!({
                "input_prefix": prompt,
                "input_suffix": infill.suffix.as_deref().unwrap_or_default(),
                "input_extra": extra,
                "prompt": "",
                "n_predict": max_output_tokens,
                "temperature": temperature,
                "stream": stream,
                "cache_prompt": true,
            });
            (format!("{base_url}/infill"), body)
        }
        InfillProtocol::OpenAiCompletions | InfillProtocol::MistralFim => {
            let path = if protocol == InfillProtocol::MistralFim { "fim/completions" } else { "completions" };
            let mut body = json!({"model": model, "prompt": prompt, "max_tokens": max_output_tokens, "temperature": temperature, "stream": stream});
            if let Some(suffix) = &infill.suffix {
                body["suffix"] = json!(suffix);
            }
            (format!("{base_url}/{path}"), body)
        }
    };
    if !infill.stop.is_empty() {
        body["stop"] = json!(infill.stop);
    }
    HttpCall { url, headers, body }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(protocol: InfillProtocol) -> Wire {
        Wire::Infill(protocol)
    }

    #[test]
    fn each_protocol_puts_the_text_and_usage_somewhere_else() {
        let cases = [
            (InfillProtocol::OllamaGenerate, r#"{"response":"hi","done":true,"done_reason":"length","prompt_eval_count":3,"eval_count":1}"#),
            (InfillProtocol::OpenAiCompletions, r#"{"choices":[{"text":"hi","finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#),
            (InfillProtocol::LlamaInfill, r#"{"content":"hi","stop":true,"stop_type":"limit","tokens_evaluated":3,"tokens_predicted":1}"#),
            (
                InfillProtocol::MistralFim,
                r#"{"choices":[{"message":{"content":"hi"},"finish_reason":"length"}],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#,
            ),
        ];
        for (protocol, body) in cases {
            let full = wire(protocol).parse_full(body.as_bytes()).unwrap();
            assert_eq!(full, Full { text: "hi".into(), usage: Usage { prompt_tokens: 3, completion_tokens: 1 }, truncated: false }, "{protocol:?}");
        }
        assert!(wire(InfillProtocol::LlamaInfill).parse_full(br#"{"error":{"message":"no"}}"#).is_err());
    }

    #[test]
    fn stream_records_and_their_ends() {
        let ollama = wire(InfillProtocol::OllamaGenerate).parse_chunk(r#"{"response":"x","done":false}"#).unwrap();
        assert_eq!((ollama.text.as_deref(), ollama.done), (Some("x"), false));
        assert!(wire(InfillProtocol::OllamaGenerate).parse_chunk(r#"{"response":"x"}"#).is_err());
        assert!(wire(InfillProtocol::OpenAiCompletions).parse_chunk("[DONE]").unwrap().done);
        let llama = wire(InfillProtocol::LlamaInfill).parse_chunk(r#"{"content":"","stop":true,"tokens_predicted":4}"#).unwrap();
        assert_eq!((llama.done, llama.completion_tokens), (true, Some(4)));
        let mistral = wire(InfillProtocol::MistralFim).parse_chunk(r#"{"choices":[{"delta":{"content":"y"}}]}"#).unwrap();
        assert_eq!(mistral.text.as_deref(), Some("y"));
    }

    #[test]
    fn raw_prompts_skip_the_template_and_suffixes_go_where_each_protocol_wants_them() {
        let params = Params { model: "m", max_output_tokens: 8, temperature: 0.0, stream: false };
        let raw = Infill { protocol: InfillProtocol::OllamaGenerate, suffix: None, extra: vec![], stop: vec!["<|file_sep|>".into()] };
        let call = build_call(raw.protocol, &raw, "http://h", None, "<|fim_prefix|>a", &params);
        assert_eq!((call.url.as_str(), &call.body["raw"], &call.body["options"]["stop"][0]), ("http://h/api/generate", &json!(true), &json!("<|file_sep|>")));
        let infill = Infill { protocol: InfillProtocol::LlamaInfill, suffix: Some("b".into()), extra: vec![("x.py".into(), "t".into())], stop: vec![] };
        let call = build_call(infill.protocol, &infill, "http://h", Some("k"), "a", &params);
        assert_eq!(call.body["input_extra"], json!([{"filename": "x.py", "text": "t"}]));
        assert_eq!((call.body["input_prefix"].as_str(), call.body["input_suffix"].as_str()), (Some("a"), Some("b")));
        assert_eq!(call.headers, vec![("authorization", "Bearer k".to_owned())]);
        let fim = Infill { protocol: InfillProtocol::MistralFim, ..infill };
        let call = build_call(fim.protocol, &fim, "https://api.mistral.ai/v1", None, "a", &params);
        assert_eq!((call.url.as_str(), call.body["suffix"].as_str()), ("https://api.mistral.ai/v1/fim/completions", Some("b")));
    }
}
