//! The stdio framing in front of tower-lsp.
//!
//! tower-lsp stops reading its input for good after one undecodable message
//! (tokio-util's `FramedRead` ends the stream on a decoder error), and keeps
//! waiting for input after `exit` until the client closes the pipe. This
//! layer reads the `Content-Length` frames itself: valid JSON goes on to
//! tower-lsp; anything else is answered with a JSON-RPC parse error and
//! skipped; after `exit` it closes tower-lsp's input so the server stops.
//! Output from tower-lsp and the parse errors are written whole, one frame at
//! a time, so they never interleave on stdout.

use serde::Deserialize;
use serde_json::json;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

/// Bodies larger than this are refused (and skipped) rather than buffered.
const MAX_BODY: usize = 256 << 20;

enum Out {
    Frame(Vec<u8>),
    End,
}

/// Runs `serve` (tower-lsp) between `input` and `output` through the guard.
pub async fn guard<I, O, F, Fut>(input: I, output: O, serve: F)
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite + Unpin + Send + 'static,
    F: FnOnce(tokio::io::DuplexStream, tokio::io::DuplexStream) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (to_server, server_in) = tokio::io::duplex(1 << 16);
    let (server_out, from_server) = tokio::io::duplex(1 << 16);
    let (out_tx, out_rx) = mpsc::unbounded_channel();

    let writer = tokio::spawn(write_frames(output, out_rx));
    tokio::spawn(forward_input(BufReader::new(input), to_server, out_tx.clone()));
    let server_output = {
        let out_tx = out_tx.clone();
        tokio::spawn(async move {
            let mut reader = BufReader::new(from_server);
            while let Ok(Some(Ok(body))) = read_frame(&mut reader).await {
                if out_tx.send(Out::Frame(body)).is_err() {
                    break;
                }
            }
        })
    };
    serve(server_in, server_out).await;
    let _ = server_output.await;
    let _ = out_tx.send(Out::End);
    let _ = writer.await;
}

async fn forward_input<R, W>(mut input: R, mut to_server: W, out: mpsc::UnboundedSender<Out>)
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
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
        }
        let (is_exit, is_initialize) = match serde_json::from_slice::<Peek<'_>>(&body) {
            Ok(peek) => (peek.method == Some("exit"), peek.method == Some("initialize")),
            Err(e) => {
                tracing::error!("malformed JSON from the client: {e}");
                let _ = out.send(Out::Frame(parse_error(&format!("invalid JSON: {e}"))));
                continue;
            }
        };
        let body = if is_initialize { with_lsp_types_names(body) } else { body };
        if write_frame(&mut to_server, &body).await.is_err() {
            break;
        }
        if is_exit {
            break; // dropping `to_server` ends tower-lsp's input
        }
    }
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
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = Some(value.trim().parse().map_err(|_| format!("invalid Content-Length `{}`", value.trim())));
            }
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

    #[test]
    fn initialize_gets_the_diagnostics_capability_under_lsp_types_name_too() {
        let body = br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{"workspace":{"diagnostics":{"refreshSupport":true}}}}}"#;
        let patched: serde_json::Value = serde_json::from_slice(&with_lsp_types_names(body.to_vec())).unwrap();
        assert_eq!(patched["params"]["capabilities"]["workspace"]["diagnostic"], json!({"refreshSupport": true}));
        assert_eq!(patched["params"]["capabilities"]["workspace"]["diagnostics"], json!({"refreshSupport": true}));
        let without = br#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#;
        assert_eq!(with_lsp_types_names(without.to_vec()), without.to_vec());
    }

    #[tokio::test]
    async fn frames_are_read_and_bad_headers_reported() {
        let input = b"Content-Length: 2\r\n\r\n{}Content-Type: x\r\n\r\ncontent-length: 3\r\n\r\n[1]";
        let mut reader = BufReader::new(&input[..]);
        assert_eq!(read_frame(&mut reader).await.unwrap(), Some(Ok(b"{}".to_vec())));
        assert_eq!(
            read_frame(&mut reader).await.unwrap(),
            Some(Err("message without a Content-Length header".to_owned()))
        );
        assert_eq!(read_frame(&mut reader).await.unwrap(), Some(Ok(b"[1]".to_vec())));
        assert_eq!(read_frame(&mut reader).await.unwrap(), None);
    }
}
