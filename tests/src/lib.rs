//! A small LSP client for end-to-end tests: it spawns the built `pyloom`
//! binary, speaks JSON-RPC over its stdio like an editor, answers the
//! server's requests, and waits for notifications with timeouts.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub mod http;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

/// How long to wait for any one answer before failing the test.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The workspace root (the repository), for fixtures.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_owned()
}

/// An editor the tests drive: the path in `env_var` if set, else the path
/// that `scripts/<script>` prints after installing the editor if needed.
pub fn installed_tool(env_var: &str, script: &str) -> PathBuf {
    if let Some(path) = std::env::var_os(env_var) {
        return path.into();
    }
    let output =
        std::process::Command::new("bash").arg(repo_root().join("scripts").join(script)).stderr(std::process::Stdio::inherit()).output().expect("bash runs");
    assert!(output.status.success(), "scripts/{script} failed");
    PathBuf::from(String::from_utf8(output.stdout).expect("a UTF-8 path").trim())
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("fixtures").join(name)
}

/// The `pyloom` binary, built once per test process (a no-op when fresh).
/// It is built exactly as `cargo test --workspace` and the test command
/// build it (whole workspace, all targets), so that cargo's feature
/// unification is the same and no dependency is compiled a second time.
pub fn pyloom_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let status = Command::new(cargo).args(["build", "--quiet", "--workspace", "--all-targets"]).current_dir(repo_root()).status().expect("cargo runs");
        assert!(status.success(), "building pyloom failed");
        let exe = std::env::current_exe().expect("test binary path");
        // target/<profile>/deps/<test> -> target/<profile>/pyloom
        exe.parent().and_then(Path::parent).expect("target dir").join("pyloom")
    })
    .clone()
}

/// `pyloom test ARGS...` run in `dir` (outside any virtualenv): the exit
/// code, stdout and stderr.
pub fn pyloom_test(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(pyloom_bin()).arg("test").args(args).current_dir(dir).env_remove("VIRTUAL_ENV").output().expect("pyloom runs");
    (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// The `file://` URI of an absolute path, percent-encoded the way the
/// server (the `url` crate) writes it back: a clone in a folder with a space
/// must compare equal to what the server sends.
pub fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => uri.push(byte as char),
            _ => uri.push_str(&format!("%{byte:02X}")),
        }
    }
    uri
}

/// A message from the server that the test has not consumed yet.
pub enum Incoming {
    Message(Value),
    Closed,
}

/// The server's log lines as they arrive, and the thread that reads them.
type LogReader = (Arc<Mutex<Vec<String>>>, JoinHandle<()>);

pub struct LspClient {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Incoming>,
    /// Notifications and responses read but not yet asked for.
    backlog: Vec<Value>,
    next_id: i64,
    /// Responses to give to server->client requests, by method.
    pub replies: Vec<(String, Value)>,
    /// Every request the server sent the client, in order (answered).
    pub server_requests: Vec<Value>,
    /// The server's log lines, and the thread that reads them.
    log: Option<LogReader>,
}

impl LspClient {
    /// Spawns `pyloom serve` with extra environment variables.
    pub fn spawn_with_env(env: &[(&str, &str)]) -> Result<Self> {
        Self::spawn_in(None, env)
    }

    /// Spawns `pyloom serve` in working directory `cwd` (else this
    /// process's) with extra environment variables.
    pub fn spawn_in(cwd: Option<&Path>, env: &[(&str, &str)]) -> Result<Self> {
        let mut cmd = Command::new(pyloom_bin());
        if let Some(cwd) = cwd {
            cmd.current_dir(cwd);
        }
        cmd.args(["serve", "--log-level", "debug"]).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).env_remove("PYLOOM_LOG");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().context("spawning pyloom serve")?;
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                match read_message(&mut reader) {
                    Ok(Some(msg)) => {
                        if tx.send(Incoming::Message(msg)).is_err() {
                            return;
                        }
                    }
                    Ok(None) | Err(_) => {
                        let _ = tx.send(Incoming::Closed);
                        return;
                    }
                }
            }
        });
        // Keep the server's log in the test output (shown on failure).
        let lines = Arc::new(Mutex::new(Vec::new()));
        let kept = lines.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[pyloom] {line}");
                kept.lock().unwrap_or_else(|e| e.into_inner()).push(line);
            }
        });
        let stdin = child.stdin.take();
        let log = Some((lines, reader));
        Ok(Self { child, stdin, incoming, backlog: Vec::new(), next_id: 1, replies: Vec::new(), server_requests: Vec::new(), log })
    }

    pub fn spawn() -> Result<Self> {
        Self::spawn_with_env(&[])
    }

    /// Spawns and runs `initialize`/`initialized` with `capabilities` and
    /// `root`; returns the client and the initialize result.
    pub fn initialized(root: Option<&Path>, capabilities: Value, options: Value) -> Result<(Self, Value)> {
        let mut client = Self::spawn()?;
        let result = client.request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": root.map(file_uri),
                "workspaceFolders": root.map(|r| json!([{"uri": file_uri(r), "name": "root"}])),
                "capabilities": capabilities,
                "initializationOptions": options,
            }),
        )?;
        client.notify("initialized", json!({}))?;
        Ok((client, result))
    }

    /// Sends `body` framed with a correct Content-Length (the body itself
    /// may be anything).
    pub fn send_raw(&mut self, body: &[u8]) -> Result<()> {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        self.send_bytes(&frame)
    }

    /// Writes bytes to the server's stdin exactly as given.
    pub fn send_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        let stdin = self.stdin.as_mut().ok_or_else(|| anyhow!("stdin closed"))?;
        stdin.write_all(bytes)?;
        stdin.flush()?;
        Ok(())
    }

    pub fn send(&mut self, message: &Value) -> Result<()> {
        self.send_raw(serde_json::to_string(message)?.as_bytes())
    }

    /// Sends a notification; `Value::Null` params are left out (as for `exit`).
    pub fn notify(&mut self, method: &str, params: Value) -> Result<()> {
        self.send(&message(None, method, params))
    }

    /// Sends a request and returns its id without waiting.
    pub fn send_request(&mut self, method: &str, params: Value) -> Result<i64> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&message(Some(id), method, params))?;
        Ok(id)
    }

    /// Sends a request and waits for its result; a JSON-RPC error is `Err`.
    pub fn request(&mut self, method: &str, params: Value) -> Result<Value> {
        let id = self.send_request(method, params)?;
        self.response(id)
    }

    /// Waits for the response to request `id`.
    pub fn response(&mut self, id: i64) -> Result<Value> {
        let msg = self.wait_for(&format!("response {id}"), |m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())?;
        match msg.get("error") {
            Some(error) => Err(anyhow!("error response: {error}")),
            None => Ok(msg.get("result").cloned().unwrap_or(Value::Null)),
        }
    }

    /// Waits for the raw response message to request `id` (result or error).
    pub fn raw_response(&mut self, id: &Value) -> Result<Value> {
        self.wait_for(&format!("response {id}"), |m| m.get("id") == Some(id) && m.get("method").is_none())
    }

    /// Waits for a notification `method` whose params satisfy `pred`.
    pub fn notification(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Result<Value> {
        let msg = self.wait_for(method, |m| m.get("id").is_none() && m["method"] == method && pred(&m["params"]))?;
        Ok(msg["params"].clone())
    }

    /// The next `textDocument/publishDiagnostics` for `uri`.
    pub fn diagnostics(&mut self, uri: &str) -> Result<Vec<Value>> {
        let params = self.notification("textDocument/publishDiagnostics", |p| p["uri"] == uri)?;
        Ok(params["diagnostics"].as_array().cloned().unwrap_or_default())
    }

    /// Waits for a message matching `pred`, answering server requests and
    /// keeping unrelated messages for later calls.
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&Value) -> bool) -> Result<Value> {
        if let Some(i) = self.backlog.iter().position(&pred) {
            return Ok(self.backlog.remove(i));
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = match self.incoming.recv_timeout(left) {
                Ok(Incoming::Message(msg)) => msg,
                Ok(Incoming::Closed) => bail!("server closed its output while waiting for {what}"),
                Err(RecvTimeoutError::Timeout) => bail!("timed out waiting for {what}"),
                Err(RecvTimeoutError::Disconnected) => bail!("reader gone while waiting for {what}"),
            };
            if msg.get("id").is_some() && msg.get("method").is_some() {
                self.answer_server_request(&msg)?;
                if pred(&msg) {
                    return Ok(msg);
                }
                continue;
            }
            if pred(&msg) {
                return Ok(msg);
            }
            self.backlog.push(msg);
        }
    }

    fn answer_server_request(&mut self, msg: &Value) -> Result<()> {
        let method = msg["method"].as_str().unwrap_or_default();
        let result = self.replies.iter().find(|(m, _)| m == method).map(|(_, v)| v.clone()).unwrap_or(Value::Null);
        self.server_requests.push(msg.clone());
        self.send(&json!({"jsonrpc": "2.0", "id": msg["id"], "result": result}))
    }

    pub fn open(&mut self, uri: &str, text: &str) -> Result<()> {
        self.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}))
    }

    /// The server's copy of an open document: (version, text).
    pub fn view_file(&mut self, uri: &str) -> Result<(i64, String)> {
        let r = self.request("pyloom/viewFile", json!({"textDocument": {"uri": uri}}))?;
        Ok((r["version"].as_i64().unwrap_or(-1), r["text"].as_str().unwrap_or_default().to_owned()))
    }

    /// `shutdown` then `exit`; returns the exit status.
    pub fn shutdown(mut self) -> Result<ExitStatus> {
        self.request("shutdown", Value::Null)?;
        self.notify("exit", Value::Null)?;
        drop(self.stdin.take());
        self.wait_exit()
    }

    /// [`LspClient::shutdown`], and every line the server logged.
    pub fn shutdown_with_log(mut self) -> Result<(ExitStatus, Vec<String>)> {
        let (lines, reader) = self.log.take().context("the log is read once")?;
        let status = self.shutdown()?;
        // The server has exited: its log ends.
        let _ = reader.join();
        let lines = std::mem::take(&mut *lines.lock().unwrap_or_else(|e| e.into_inner()));
        Ok((status, lines))
    }

    pub fn wait_exit(&mut self) -> Result<ExitStatus> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait()? {
                return Ok(status);
            }
            if Instant::now() > deadline {
                bail!("server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn close_stdin(&mut self) {
        drop(self.stdin.take());
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn message(id: Option<i64>, method: &str, params: Value) -> Value {
    let mut msg = json!({"jsonrpc": "2.0", "method": method});
    if let Some(id) = id {
        msg["id"] = json!(id);
    }
    if !params.is_null() {
        msg["params"] = params;
    }
    msg
}

fn read_message(reader: &mut impl BufRead) -> Result<Option<Value>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length: ") {
            length = Some(v.parse::<usize>()?);
        }
    }
    let mut body = vec![0; length.ok_or_else(|| anyhow!("message without Content-Length"))?];
    reader.read_exact(&mut body)?;
    Ok(Some(serde_json::from_slice(&body)?))
}
