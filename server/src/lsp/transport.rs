//! The stdio framing in front of tower-lsp.
//!
//! tower-lsp stops reading its input for good after one undecodable message
//! (tokio-util's `FramedRead` ends the stream on a decoder error), and keeps
//! waiting for input after `exit` until the client closes the pipe. This
//! layer reads the `Content-Length` frames itself: valid JSON goes on to
//! tower-lsp; anything else is answered with a JSON-RPC parse error and
//! skipped; after `exit` it closes tower-lsp's input so the server stops.
//! It is also the one place that sees messages in wire order, so document
//! sync is handed to `observe` here, in that order, before tower-lsp (which
//! runs handlers concurrently) gets the message.
//! Output from tower-lsp and the parse errors are written whole, one frame at
//! a time, so they never interleave on stdout.

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::json;
use std::sync::Arc;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// Bodies larger than this are refused (and skipped) rather than buffered.
const MAX_BODY: usize = 256 << 20;

enum Out {
    Frame(Vec<u8>),
    End,
}

/// What the messages between the client and tower-lsp are made into on
/// the way (the notebook cells' translation).
pub trait Rewrite: Send + Sync + 'static {
    /// What a message from the client becomes (`method` is empty for a
    /// response): messages for tower-lsp, or answers for the client.
    fn incoming(&self, method: &str, body: Vec<u8>) -> Vec<Routed>;
    /// The messages the client gets for one from tower-lsp.
    fn outgoing(&self, body: Vec<u8>) -> Vec<Vec<u8>>;
}

/// Where a rewritten incoming message goes.
pub enum Routed {
    Server(Vec<u8>),
    /// Answered on the way: back to the client.
    Client(Vec<u8>),
}

/// Runs `serve` (tower-lsp) between `input` and `output` through the guard.
/// `observe` gets each document sync notification (method and body) as it
/// is read, before tower-lsp does; `rewrite` sees every message both ways.
pub async fn guard<I, O, S, F, Fut>(input: I, output: O, observe: S, rewrite: Arc<dyn Rewrite>, serve: F)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
    S: Fn(&str, &[u8]) + Send + 'static,
    F: FnOnce(tokio::io::DuplexStream, tokio::io::DuplexStream) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (to_server, server_in) = tokio::io::duplex(1 << 16);
    let (server_out, from_server) = tokio::io::duplex(1 << 16);
    let (out_tx, out_rx) = mpsc::unbounded_channel();

    let writer = tokio::spawn(write_frames(output, out_rx));
    tokio::spawn(forward_input(BufReader::new(input), to_server, out_tx.clone(), observe, rewrite.clone()));
    let server_output = {
        let out_tx = out_tx.clone();
        tokio::spawn(async move {
            let mut reader = BufReader::new(from_server);
            'frames: while let Ok(Some(Ok(body))) = read_frame(&mut reader).await {
                for body in rewrite.outgoing(with_extra_capabilities(body)) {
                    if out_tx.send(Out::Frame(body)).is_err() {
                        break 'frames;
                    }
                }
            }
        })
    };
    serve(server_in, server_out).await;
    let _ = server_output.await;
    let _ = out_tx.send(Out::End);
    let _ = writer.await;
}

/// The notifications that edit documents: applied in wire order.
const SYNC_METHODS: [&str; 3] = ["textDocument/didOpen", "textDocument/didChange", "textDocument/didClose"];

async fn forward_input<R, W, S>(mut input: R, mut to_server: W, out: mpsc::UnboundedSender<Out>, observe: S, rewrite: Arc<dyn Rewrite>)
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
    S: Fn(&str, &[u8]),
{
    loop {
        let body = match read_frame(&mut input).await {
            Ok(Some(Ok(body))) => body,
            Ok(Some(Err(problem))) => {
                tracing::error!("malformed message from the client: {problem}");
                let _ = out.send(Out::Frame(parse_error(&problem)));
                continue;
            }
            Ok(None) => break,
            Err(e) => {
                tracing::error!("reading stdin failed: {e}");
                break;
            }
        };
        #[derive(Deserialize)]
        struct Peek<'a> {
            #[serde(borrow)]
            method: Option<&'a str>,
            /// `Some(None)` for `"params": null` (values are skipped, not built).
            #[serde(default, deserialize_with = "present")]
            params: Option<Option<IgnoredAny>>,
        }
        let (method, null_params) = match serde_json::from_slice::<Peek<'_>>(&body) {
            Ok(peek) => (peek.method.map(str::to_owned), matches!(peek.params, Some(None))),
            Err(e) => {
                tracing::error!("malformed JSON from the client: {e}");
                let _ = out.send(Out::Frame(parse_error(&format!("invalid JSON: {e}"))));
                continue;
            }
        };
        let method = method.as_deref().unwrap_or_default();
        let body = if null_params { without_params(body) } else { body };
        let body = if method == "initialize" { with_lsp_types_names(body) } else { body };
        let is_exit = method == "exit";
        for routed in rewrite.incoming(method, body) {
            let body = match routed {
                Routed::Server(body) => body,
                Routed::Client(answer) => {
                    let _ = out.send(Out::Frame(answer));
                    continue;
                }
            };
            let method = method_of(&body);
            if SYNC_METHODS.contains(&method.as_deref().unwrap_or_default()) {
                observe(method.as_deref().unwrap_or_default(), &body);
            }
            if write_frame(&mut to_server, &body).await.is_err() {
                return;
            }
        }
        if is_exit {
            break; // dropping `to_server` ends tower-lsp's input
        }
    }
}

/// The method of a message (`None` for a response).
fn method_of(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Peek<'a> {
        #[serde(borrow)]
        method: Option<&'a str>,
    }
    serde_json::from_slice::<Peek<'_>>(body).ok()?.method.map(str::to_owned)
}

/// Tells a present `"params": null` from an absent `params`.
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Option<IgnoredAny>>, D::Error> {
    Option::<IgnoredAny>::deserialize(deserializer).map(Some)
}

/// `"params": null` dropped. JSON-RPC allows params to be omitted, not null,
/// but eglot sends `shutdown` and `exit` with null params, and tower-lsp
/// answers a null where it expects none with -32602 before the handler runs
/// (so eglot never sends `exit` and kills the server). Without the key, a
/// method that needs params still gets its invalid-params error.
fn without_params(body: Vec<u8>) -> Vec<u8> {
    let Ok(serde_json::Value::Object(mut message)) = serde_json::from_slice::<serde_json::Value>(&body) else { return body };
    message.remove("params");
    serde_json::to_vec(&message).unwrap_or(body)
}

/// lsp-types 0.94 has no field for some capabilities pyloom serves (see
/// [`super::lifecycle::extra_capabilities`]): the initialize result (the
/// one response with `capabilities`) gets those keys here.
fn with_extra_capabilities(body: Vec<u8>) -> Vec<u8> {
    const KEY: &[u8] = b"\"capabilities\":";
    if !body.windows(KEY.len()).any(|w| w == KEY) {
        return body;
    }
    let Ok(mut message) = serde_json::from_slice::<serde_json::Value>(&body) else { return body };
    let Some(capabilities) = message.pointer_mut("/result/capabilities").and_then(|c| c.as_object_mut()) else { return body };
    for (key, value) in super::lifecycle::extra_capabilities() {
        capabilities.insert(key.to_owned(), value);
    }
    serde_json::to_vec(&message).unwrap_or(body)
}

/// lsp-types 0.94 (tower-lsp 0.20's) reads the client's
/// `workspace.diagnostics` capability under the key `diagnostic`, so the
/// spec's name would be dropped and pull clients never seen to accept
/// refreshes. The initialize request gets the value under both names.
fn with_lsp_types_names(body: Vec<u8>) -> Vec<u8> {
    let Ok(mut message) = serde_json::from_slice::<serde_json::Value>(&body) else { return body };
    let Some(workspace) = message.pointer_mut("/params/capabilities/workspace").and_then(|w| w.as_object_mut()) else {
        return body;
    };
    match workspace.get("diagnostics").cloned() {
        Some(diagnostics) if !workspace.contains_key("diagnostic") => {
            workspace.insert("diagnostic".to_owned(), diagnostics);
            serde_json::to_vec(&message).unwrap_or(body)
        }
        _ => body,
    }
}

async fn write_frames<W: AsyncWrite + Unpin>(mut output: W, mut rx: mpsc::UnboundedReceiver<Out>) {
    let mut broken = false;
    while let Some(Out::Frame(body)) = rx.recv().await {
        // Once stdout is gone, keep draining: tower-lsp panics if its output
        // closes while responses are still pending (transport.rs:120). The
        // server stops when its input ends.
        if broken {
            continue;
        }
        if let Err(e) = write_frame(&mut output, &body).await {
            tracing::error!("writing stdout failed: {e}; discarding further output");
            broken = true;
        }
    }
}

async fn write_frame<W: AsyncWrite + Unpin>(w: &mut W, body: &[u8]) -> std::io::Result<()> {
    w.write_all(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes()).await?;
    w.write_all(body).await?;
    w.flush().await
}

fn parse_error(problem: &str) -> Vec<u8> {
    let response = json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": problem}});
    serde_json::to_vec(&response).expect("a JSON value serializes")
}

/// Reads one frame: `Ok(None)` at end of input, `Ok(Some(Err))` for a frame
/// whose headers are unusable (it has been skipped).
async fn read_frame<R: AsyncBufRead + Unpin>(r: &mut R) -> std::io::Result<Option<Result<Vec<u8>, String>>> {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue; // stray blank lines between frames
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(value.trim().parse().map_err(|_| format!("invalid Content-Length `{}`", value.trim())));
        }
    }
    match length {
        None => Ok(Some(Err("message without a Content-Length header".to_owned()))),
        Some(Err(e)) => Ok(Some(Err(e))),
        Some(Ok(len)) if len > MAX_BODY => {
            tokio::io::copy(&mut r.take(len as u64), &mut tokio::io::sink()).await?;
            Ok(Some(Err(format!("message of {len} bytes is over the {MAX_BODY}-byte limit"))))
        }
        Some(Ok(len)) => {
            let mut body = vec![0; len];
            r.read_exact(&mut body).await?;
            Ok(Some(Ok(body)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Unchanged;

    impl Rewrite for Unchanged {
        fn incoming(&self, _: &str, body: Vec<u8>) -> Vec<Routed> {
            vec![Routed::Server(body)]
        }
        fn outgoing(&self, body: Vec<u8>) -> Vec<Vec<u8>> {
            vec![body]
        }
    }

    #[test]
    fn initialize_gets_the_diagnostics_capability_under_lsp_types_name_too() {
        let body = br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"workspace":{"diagnostics":{"refreshSupport":true}}}}}"#;
        let patched: serde_json::Value = serde_json::from_slice(&with_lsp_types_names(body.to_vec())).unwrap();
        assert_eq!(patched["params"]["capabilities"]["workspace"]["diagnostic"], json!({"refreshSupport": true}));
        assert_eq!(patched["params"]["capabilities"]["workspace"]["diagnostics"], json!({"refreshSupport": true}));
        let without = br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
        assert_eq!(with_lsp_types_names(without.to_vec()), without.to_vec());
    }

    #[test]
    fn the_initialize_result_advertises_type_hierarchy_inline_completion_and_notebooks() {
        let result = br#"{"jsonrpc":"2.0","id":1,"result":{"capabilities":{"hoverProvider":true}}}"#;
        let patched: serde_json::Value = serde_json::from_slice(&with_extra_capabilities(result.to_vec())).unwrap();
        let expected = json!({
            "hoverProvider": true,
            "typeHierarchyProvider": true,
            "inlineCompletionProvider": true,
            "notebookDocumentSync": {"notebookSelector": [{"notebook": "*"}], "save": true},
        });
        assert_eq!(patched["result"]["capabilities"], expected);
        let other = br#"{"jsonrpc":"2.0","id":2,"result":null}"#;
        assert_eq!(with_extra_capabilities(other.to_vec()), other.to_vec());
    }

    #[test]
    fn null_params_are_dropped_and_other_params_kept() {
        let shutdown = br#"{"jsonrpc":"2.0","id":3,"method":"shutdown","params":null}"#;
        let patched: serde_json::Value = serde_json::from_slice(&without_params(shutdown.to_vec())).unwrap();
        assert_eq!(patched, json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown"}));
    }

    #[tokio::test]
    async fn sync_notifications_are_observed_in_wire_order_and_exit_ends_the_input() {
        let mut input = Vec::new();
        for (method, params) in [
            ("textDocument/didOpen", "{}"),
            ("textDocument/hover", "{}"),
            ("textDocument/didChange", "{\"n\":1}"),
            ("textDocument/didChange", "{\"n\":2}"),
            ("exit", "null"),
            ("textDocument/didClose", "{}"),
        ] {
            let body = format!(r#"{{"jsonrpc":"2.0","method":"{method}","params":{params}}}"#);
            input.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).bytes());
        }
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let observe = {
            let seen = seen.clone();
            move |method: &str, body: &[u8]| seen.lock().unwrap().push(format!("{method} {}", String::from_utf8_lossy(body)))
        };
        let (to_server, mut server_in) = tokio::io::duplex(1 << 16);
        let (out, _out_rx) = mpsc::unbounded_channel();
        forward_input(BufReader::new(&input[..]), to_server, out, observe, Arc::new(Unchanged)).await;
        let mut forwarded = String::new();
        server_in.read_to_string(&mut forwarded).await.unwrap();
        assert!(forwarded.ends_with(r#"{"jsonrpc":"2.0","method":"exit"}"#), "{forwarded}");
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 3, "{seen:?}");
        assert!(seen[1].ends_with(r#""params":{"n":1}}"#) && seen[2].ends_with(r#""params":{"n":2}}"#), "{seen:?}");
    }

    #[tokio::test]
    async fn frames_are_read_and_bad_headers_reported() {
        let input = b"Content-Length: 2\r\n\r\n{}Content-Type: x\r\n\r\ncontent-length: 3\r\n\r\n[1]";
        let mut reader = BufReader::new(&input[..]);
        assert_eq!(read_frame(&mut reader).await.unwrap(), Some(Ok(b"{}".to_vec())));
        assert_eq!(read_frame(&mut reader).await.unwrap(), Some(Err("message without a Content-Length header".to_owned())));
        assert_eq!(read_frame(&mut reader).await.unwrap(), Some(Ok(b"[1]".to_vec())));
        assert_eq!(read_frame(&mut reader).await.unwrap(), None);
    }
}
