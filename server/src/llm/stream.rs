//! Incremental decoders for streamed bodies: Server-Sent Events (OpenAI,
//! Anthropic) and newline-delimited JSON (Ollama). Bytes arrive in arbitrary
//! pieces; a record is only yielded once it is complete.

/// One SSE event: its `event:` name (if any) and its joined `data:` lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub event: Option<String>,
    pub data: String,
}

/// Splits bytes into complete lines, keeping a partial line for later.
#[derive(Default)]
struct Lines {
    pending: Vec<u8>,
}

impl Lines {
    fn push(&mut self, bytes: &[u8], mut on_line: impl FnMut(&str)) {
        self.pending.extend_from_slice(bytes);
        let mut start = 0;
        while let Some(pos) = self.pending[start..].iter().position(|&b| b == b'\n') {
            let line = &self.pending[start..start + pos];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            on_line(&String::from_utf8_lossy(line));
            start += pos + 1;
        }
        self.pending.drain(..start);
    }
}

#[derive(Default)]
pub struct SseDecoder {
    lines: Lines,
    event: Option<String>,
    data: Vec<String>,
}

impl SseDecoder {
    pub fn push(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        let mut out = Vec::new();
        let (event, data) = (&mut self.event, &mut self.data);
        self.lines.push(bytes, |line| {
            if line.is_empty() {
                if !data.is_empty() {
                    out.push(SseEvent { event: event.take(), data: data.join("\n") });
                    data.clear();
                }
                *event = None;
            } else if let Some(value) = field(line, "data") {
                data.push(value.to_owned());
            } else if let Some(value) = field(line, "event") {
                *event = Some(value.to_owned());
            }
            // `id:`, `retry:` and `:` comments (keep-alives) are ignored.
        });
        out
    }
}

fn field<'a>(line: &'a str, name: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(name)?.strip_prefix(':')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

#[derive(Default)]
pub struct NdjsonDecoder {
    lines: Lines,
}

impl NdjsonDecoder {
    pub fn push(&mut self, bytes: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        self.lines.push(bytes, |line| {
            if !line.trim().is_empty() {
                out.push(line.to_owned());
            }
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sse_events_split_across_arbitrary_chunks() {
        let input = "event: message_start\r\ndata: {\"a\":1}\r\n\r\n: keep-alive\n\ndata: one\ndata: two\n\ndata: [DONE]\n\n";
        for split in 0..input.len() {
            let mut decoder = SseDecoder::default();
            let mut events = decoder.push(&input.as_bytes()[..split]);
            events.extend(decoder.push(&input.as_bytes()[split..]));
            assert_eq!(
                events,
                vec![
                    SseEvent { event: Some("message_start".into()), data: "{\"a\":1}".into() },
                    SseEvent { event: None, data: "one\ntwo".into() },
                    SseEvent { event: None, data: "[DONE]".into() },
                ],
                "split at {split}"
            );
        }
    }

    #[test]
    fn ndjson_keeps_a_partial_line_until_it_ends() {
        let mut decoder = NdjsonDecoder::default();
        assert_eq!(decoder.push(b"{\"a\":1}\n{\"b\""), vec!["{\"a\":1}"]);
        assert_eq!(decoder.push(b":2}\n\n"), vec!["{\"b\":2}"]);
    }
}
