//! `pyloom mcp` end to end: the official MCP Python SDK's client drives
//! every tool over stdio (tests/mcp/client.py); the MCP and the language
//! server share one workspace's summary cache while both write it; and the
//! language server's requests wait for the first index like the MCP tools.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use pyloom_e2e::{LspClient, file_uri, installed_tool, pyloom_bin, repo_root};
use serde_json::{Value, json};

/// Files of the generated workspaces: enough that indexing takes a while
/// (a request can arrive before it is done) and that two indexes write
/// the cache at the same time.
const FILES: usize = 600;

/// A workspace of `FILES` modules, each calling the one before it.
fn generated_workspace(root: &Path) {
    std::fs::create_dir_all(root.join("pkg")).unwrap();
    std::fs::write(root.join("pyproject.toml"), "[project]\nname = 'gen'\n").unwrap();
    std::fs::write(root.join("pkg/__init__.py"), "").unwrap();
    for i in 0..FILES {
        let body = if i == 0 {
            "def f0(x: int) -> int:\n    \"\"\"The first.\"\"\"\n    return x\n".to_owned()
        } else {
            format!("from pkg.m{0} import f{0}\n\n\ndef f{1}(x: int) -> int:\n    return f{0}(x) + {1}\n", i - 1, i)
        };
        std::fs::write(root.join(format!("pkg/m{i}.py")), body).unwrap();
    }
}

#[test]
fn an_agent_drives_every_tool_with_the_mcp_python_sdk() {
    let python = installed_tool("PYLOOM_MCP_PYTHON", "install-mcp-client.sh");
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    std::fs::create_dir_all(&root).unwrap();
    let output = Command::new(python)
        .arg(repo_root().join("tests/mcp/client.py"))
        .arg(pyloom_bin())
        .arg(&root)
        .env_remove("VIRTUAL_ENV")
        .stderr(Stdio::inherit())
        .output()
        .expect("the MCP client runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    assert!(output.status.success(), "the client's checks failed:\n{stdout}");
    let checked: usize = stdout.lines().find_map(|l| l.strip_prefix("checked ")).and_then(|n| n.trim().parse().ok()).unwrap_or(0);
    assert!(checked >= 60, "the client ran its checks ({checked})");
}

/// A bare MCP client over the server's stdio (newline-delimited JSON-RPC).
struct McpProcess {
    child: std::process::Child,
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
    next_id: i64,
}

impl McpProcess {
    fn spawn(root: &Path, env: &[(&str, &str)], log: &Path) -> McpProcess {
        let mut command = Command::new(pyloom_bin());
        command.args(["mcp", "--log-file"]).arg(log).arg(root).stdin(Stdio::piped()).stdout(Stdio::piped()).env("PYLOOM_LOG", "info");
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("pyloom mcp starts");
        let lines = BufReader::new(child.stdout.take().expect("piped")).lines();
        let mut process = McpProcess { child, lines, next_id: 1 };
        let init = process.request("initialize", json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "e2e", "version": "0"}}));
        assert_eq!(init["serverInfo"]["name"], "pyloom", "{init}");
        process.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        process
    }

    fn send(&mut self, message: &Value) {
        let stdin = self.child.stdin.as_mut().expect("piped");
        writeln!(stdin, "{message}").unwrap();
        stdin.flush().unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let line = self.lines.next().expect("the server answers").unwrap();
            let message: Value = serde_json::from_str(&line).unwrap();
            if message["id"] == id {
                return message.get("result").cloned().unwrap_or_else(|| panic!("{method} failed: {message}"));
            }
        }
    }

    fn call(&mut self, tool: &str, arguments: Value) -> Value {
        self.request("tools/call", json!({"name": tool, "arguments": arguments}))
    }
}

impl Drop for McpProcess {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

fn initialize_lsp(client: &mut LspClient, root: &Path) {
    let init = json!({
        "processId": std::process::id(),
        "rootUri": file_uri(root),
        "workspaceFolders": [{"uri": file_uri(root), "name": "root"}],
        "capabilities": {"general": {"positionEncodings": ["utf-8"]}},
    });
    client.request("initialize", init).unwrap();
    client.notify("initialized", json!({})).unwrap();
}

#[test]
fn the_mcp_and_the_language_server_share_the_cache_while_both_write_it() {
    let dir = tempfile::tempdir().unwrap();
    let (root, cache) = (dir.path().join("ws"), dir.path().join("cache"));
    generated_workspace(&root);
    let cache_env = [("PYLOOM_CACHE_DIR", cache.to_str().unwrap())];
    // Both index the same files from an empty cache at once: both write
    // every summary, in transactions that overlap.
    let mut lsp = LspClient::spawn_with_env(&cache_env).unwrap();
    initialize_lsp(&mut lsp, &root);
    let mcp_log = dir.path().join("mcp.log");
    let mut mcp = McpProcess::spawn(&root, &cache_env, &mcp_log);
    let found = mcp.call("find_symbol", json!({"query": "f0", "kind": "function"}));
    assert_eq!(found["structuredContent"]["items"][0]["name"], "pkg.m0.f0", "{found}");
    lsp.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();

    // Both answer from the same analysis: the same references.
    let m0 = file_uri(&root.join("pkg/m0.py"));
    let position = json!({"textDocument": {"uri": m0}, "position": {"line": 0, "character": 4}, "context": {"includeDeclaration": false}});
    let from_lsp = lsp.request("textDocument/references", position).unwrap();
    let mut from_lsp: Vec<(String, u64)> =
        from_lsp.as_array().unwrap().iter().map(|l| (l["uri"].as_str().unwrap().to_owned(), l["range"]["start"]["line"].as_u64().unwrap() + 1)).collect();
    let from_mcp = mcp.call("references", json!({"symbol": "pkg.m0.f0", "limit": 500}));
    let mut from_mcp: Vec<(String, u64)> = from_mcp["structuredContent"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (file_uri(&root.join(r["file"].as_str().unwrap())), r["line"].as_u64().unwrap()))
        .collect();
    from_lsp.sort();
    from_mcp.sort();
    assert_eq!(from_lsp.len(), 2, "the import and the call in m1: {from_lsp:?}");
    assert_eq!(from_mcp, from_lsp);
    drop(mcp);
    let (status, lsp_log) = lsp.shutdown_with_log().unwrap();
    assert!(status.success());
    let mcp_log = std::fs::read_to_string(&mcp_log).unwrap();
    for line in lsp_log.iter().map(String::as_str).chain(mcp_log.lines()) {
        assert!(!line.contains("summary cache"), "no cache write failed or was rebuilt: {line}");
    }

    // The cache is whole: SQLite finds no damage, and a third index reads
    // every file's summary from it.
    let databases: Vec<_> =
        std::fs::read_dir(cache.join("workspaces")).unwrap().flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "sqlite3")).collect();
    assert_eq!(databases.len(), 1, "one cache for the workspace: {databases:?}");
    let integrity = Command::new("python3")
        .args(["-c", "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('pragma integrity_check').fetchone()[0])"])
        .arg(&databases[0])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&integrity.stdout).trim(), "ok");
    let stats = Command::new(pyloom_bin()).arg("graph").arg(&root).envs(cache_env).output().unwrap();
    let stats = String::from_utf8_lossy(&stats.stdout);
    let files = FILES + 1;
    assert!(stats.contains(&format!("files: {files}\n")) && stats.contains(&format!("from_cache: {files}\n")), "{stats}");
}

#[test]
fn language_server_requests_wait_for_the_first_index() {
    let dir = tempfile::tempdir().unwrap();
    let (root, cache) = (dir.path().join("ws"), dir.path().join("cache"));
    generated_workspace(&root);
    let mut lsp = LspClient::spawn_with_env(&[("PYLOOM_CACHE_DIR", cache.to_str().unwrap())]).unwrap();
    initialize_lsp(&mut lsp, &root);
    // Asked at once, before the index of the other files is done: the
    // definition in another file is found, not nothing; workspace symbols
    // are a list of them, not an empty one.
    let last = root.join(format!("pkg/m{}.py", FILES - 1));
    let uri = file_uri(&last);
    lsp.open(&uri, &std::fs::read_to_string(&last).unwrap()).unwrap();
    let definition = lsp.send_request("textDocument/definition", json!({"textDocument": {"uri": uri}, "position": {"line": 4, "character": 12}})).unwrap();
    let symbols = lsp.send_request("workspace/symbol", json!({"query": format!("f{}", FILES - 2)})).unwrap();
    let definition = lsp.response(definition).unwrap();
    assert_eq!(definition["uri"], file_uri(&root.join(format!("pkg/m{}.py", FILES - 2))), "{definition}");
    let symbols = lsp.response(symbols).unwrap();
    assert!(symbols.as_array().is_some_and(|found| !found.is_empty()), "{symbols}");
    lsp.shutdown().unwrap();
}
