//! A scripted HTTP/1.1 server on 127.0.0.1 that stands in for an LLM
//! provider. Each connection takes the next [`Reply`] from the script, so a
//! test says exactly what the "provider" does: answer, fail, stall, cut a
//! stream halfway, or hold it open and report when the client hangs up.
//!
//! It is deliberately tiny (std threads, one request per connection,
//! `Connection: close`) so that every behaviour is visible in the test.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, anyhow};

/// What the server does with one request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete response with a `Content-Length` body.
    Full { status: u16, headers: Vec<(String, String)>, body: String },
    /// A `200` chunked response: each string is written and flushed as one
    /// chunk, then the stream ends as `end` says.
    Stream { content_type: String, chunks: Vec<String>, end: StreamEnd },
    /// Reads the request and never answers; reports when the client leaves.
    Stall,
    /// Holds the request until the test opens `gate`, then answers with `reply`.
    Gated { gate: Gate, reply: Box<Reply> },
}

/// A latch the test opens to release a [`Reply::Gated`] answer: the test
/// decides exactly when the "provider" answers, with no timing involved.
#[derive(Debug, Clone, Default)]
pub struct Gate(Arc<(Mutex<bool>, Condvar)>);

impl Gate {
    pub fn open(&self) {
        *self.0.0.lock().unwrap_or_else(|e| e.into_inner()) = true;
        self.0.1.notify_all();
    }

    fn wait(&self) {
        let mut open = self.0.0.lock().unwrap_or_else(|e| e.into_inner());
        while !*open {
            open = self.0.1.wait(open).unwrap_or_else(|e| e.into_inner());
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamEnd {
    /// The terminating chunk is sent: a well-formed end of body.
    Complete,
    /// The connection is closed without the terminating chunk.
    Cut,
    /// Nothing more is sent; the connection stays open until the client
    /// closes it, which is reported as [`Event::ClientClosed`].
    Hold,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Reply::Full { status, headers: vec![("Content-Type".into(), "application/json".into())], body: body.to_owned() }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    pub fn sse(chunks: &[&str], end: StreamEnd) -> Self {
        Self::stream("text/event-stream", chunks, end)
    }

    pub fn ndjson(chunks: &[&str], end: StreamEnd) -> Self {
        Self::stream("application/x-ndjson", chunks, end)
    }

    fn stream(content_type: &str, chunks: &[&str], end: StreamEnd) -> Self {
        Reply::Stream { content_type: content_type.to_owned(), chunks: chunks.iter().map(|c| (*c).to_owned()).collect(), end }
    }
}

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// Things the server saw, in order.
#[derive(Debug)]
pub enum Event {
    Request(Recorded),
    /// The client closed a connection the server was holding open.
    ClientClosed,
}

pub struct ScriptedServer {
    pub base_url: String,
    script: Arc<Mutex<VecDeque<Reply>>>,
    events: Receiver<Event>,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

/// How long a test waits for the server to see something.
const WAIT: Duration = Duration::from_secs(20);

impl ScriptedServer {
    /// Starts a server that answers with `script`, one reply per request
    /// (a `500` once the script runs out).
    pub fn start(script: Vec<Reply>) -> Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").context("binding 127.0.0.1")?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (tx, events) = channel();
        let (script2, requests2) = (script.clone(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (script, requests, tx) = (script2.clone(), requests2.clone(), tx.clone());
                std::thread::spawn(move || {
                    let _ = serve(stream, &script, &requests, &tx);
                });
            }
        });
        Ok(Self { base_url, script, events, requests })
    }

    /// Adds replies to the end of the script.
    pub fn push(&self, reply: Reply) {
        self.script.lock().unwrap_or_else(|e| e.into_inner()).push_back(reply);
    }

    /// All requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits until a client closes a connection the server was holding.
    pub fn wait_client_closed(&self) -> Result<()> {
        loop {
            match self.events.recv_timeout(WAIT) {
                Ok(Event::ClientClosed) => return Ok(()),
                Ok(Event::Request(_)) => continue,
                Err(e) => return Err(anyhow!("the client never closed the connection: {e}")),
            }
        }
    }

    /// Waits for the next request to arrive.
    pub fn wait_request(&self) -> Result<Recorded> {
        loop {
            match self.events.recv_timeout(WAIT) {
                Ok(Event::Request(r)) => return Ok(r),
                Ok(Event::ClientClosed) => continue,
                Err(e) => return Err(anyhow!("no request arrived: {e}")),
            }
        }
    }
}

fn serve(stream: TcpStream, script: &Mutex<VecDeque<Reply>>, requests: &Mutex<Vec<Recorded>>, events: &Sender<Event>) -> Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let request = read_request(&mut reader)?;
    requests.lock().unwrap_or_else(|e| e.into_inner()).push(request.clone());
    let _ = events.send(Event::Request(request));
    let reply = script.lock().unwrap_or_else(|e| e.into_inner()).pop_front().unwrap_or_else(|| Reply::json(500, r#"{"error":"script exhausted"}"#));
    let answered = respond(stream, &mut reader, reply, events);
    if answered.is_err() {
        // The client hung up before the answer was written.
        let _ = events.send(Event::ClientClosed);
    }
    answered
}

fn respond(mut out: TcpStream, reader: &mut BufReader<TcpStream>, reply: Reply, events: &Sender<Event>) -> Result<()> {
    match reply {
        Reply::Full { status, headers, body } => {
            let mut head = format!("HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n", reason(status), body.len());
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            out.write_all(head.as_bytes())?;
            out.write_all(body.as_bytes())?;
            out.flush()?;
        }
        Reply::Stream { content_type, chunks, end } => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            out.write_all(head.as_bytes())?;
            for chunk in chunks {
                out.write_all(format!("{:x}\r\n{chunk}\r\n", chunk.len()).as_bytes())?;
                out.flush()?;
            }
            match end {
                StreamEnd::Complete => out.write_all(b"0\r\n\r\n")?,
                StreamEnd::Cut => {}
                StreamEnd::Hold => wait_for_close(reader, events),
            }
            out.flush()?;
        }
        Reply::Stall => wait_for_close(reader, events),
        Reply::Gated { gate, reply } => {
            gate.wait();
            return respond(out, reader, *reply, events);
        }
    }
    Ok(())
}

/// Blocks until the peer closes the connection (a read returns 0 or fails).
fn wait_for_close(reader: &mut impl Read, events: &Sender<Event>) {
    let mut buf = [0u8; 256];
    while matches!(reader.read(&mut buf), Ok(n) if n > 0) {}
    let _ = events.send(Event::ClientClosed);
}

fn read_request(reader: &mut impl BufRead) -> Result<Recorded> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let length = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse::<usize>().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Recorded { method, path, headers, body: String::from_utf8_lossy(&body).into_owned() })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
