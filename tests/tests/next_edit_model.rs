//! Next edit with the model, over stdio: a `def` given a new parameter
//! without a default, its calls in another file get a diagnostic whose fix
//! asks the configured model (an Ollama-compatible server scripted on
//! 127.0.0.1) for the argument at each call; the proposals are checked at
//! their calls before one `workspace/applyEdit` updates them all, or the
//! error names each call refused and no edit is sent. The same from the
//! command line (`pyloom refactor signature ... --model`), the model named
//! by the workspace's `pyloom.toml`.

use pyloom_e2e::http::{Reply, ScriptedServer};
use pyloom_e2e::{LspClient, file_uri};
use serde_json::{Value, json};

const GEO: &str = "def move(x, y):\n    return (x, y)\n";
const MAIN: &str = "from geo import move\n\nORIGIN = 0\n\n\ndef walk(step):\n    return move(step, 1)\n\n\na = move(1, 2)\n";

fn answer(text: &str) -> Reply {
    let body = json!({"message": {"role": "assistant", "content": text}, "done": true, "prompt_eval_count": 100, "eval_count": 20});
    Reply::json(200, &body.to_string())
}

struct Session {
    client: LspClient,
    geo: String,
    main: String,
    _dir: tempfile::TempDir,
}

impl Session {
    /// The server over `geo.py` and `main.py`, both open, the model at
    /// `base_url`, and `move` given the parameter `z` without a default.
    fn start(base_url: &str) -> (Session, Value) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("geo.py"), GEO).unwrap();
        std::fs::write(root.join("main.py"), MAIN).unwrap();
        let cache = dir.path().join("cache");
        let mut client = LspClient::spawn_in(None, &[("PYLOOM_CACHE_DIR", cache.to_str().unwrap())]).unwrap();
        client.replies.push(("workspace/applyEdit".to_owned(), json!({"applied": true})));
        let uri = file_uri(&root);
        let options = json!({"llm": {"base_url": base_url, "cache": {"enabled": false}, "max_retries": 0}});
        let capabilities = json!({
            "general": {"positionEncodings": ["utf-8"]},
            "window": {"workDoneProgress": true},
            "workspace": {"applyEdit": true, "workspaceEdit": {"documentChanges": true}},
        });
        client
            .request(
                "initialize",
                json!({"processId": std::process::id(), "capabilities": capabilities, "rootUri": uri, "workspaceFolders": [{"uri": uri, "name": "ws"}], "initializationOptions": options}),
            )
            .unwrap();
        client.notify("initialized", json!({})).unwrap();
        client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();
        let (geo, main) = (file_uri(&root.join("geo.py")), file_uri(&root.join("main.py")));
        client.open(&geo, GEO).unwrap();
        client.open(&main, MAIN).unwrap();
        client.diagnostics(&geo).unwrap();
        let text = GEO.replacen("(x, y)", "(x, y, z)", 1);
        client.notify("textDocument/didChange", json!({"textDocument": {"uri": geo, "version": 2}, "contentChanges": [{"text": text}]})).unwrap();
        let published = client
            .notification("textDocument/publishDiagnostics", |p| {
                p["uri"] == geo && p["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["code"] == "LOOM806"))
            })
            .unwrap();
        let diagnostic = published["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "LOOM806").unwrap().clone();
        (Session { client, geo, main, _dir: dir }, diagnostic)
    }

    /// The fix offered for `diagnostic`, run: the command's response (a
    /// JSON-RPC error as `Err`).
    fn run_fix(&mut self, diagnostic: &Value) -> Result<Value, String> {
        let params = json!({"textDocument": {"uri": self.geo}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}});
        let offered = self.client.request("textDocument/codeAction", params).unwrap();
        let fixes: Vec<&Value> = offered.as_array().unwrap().iter().filter(|a| a["title"].as_str().is_some_and(|t| t.starts_with("update "))).collect();
        assert_eq!(fixes.len(), 1, "{offered}");
        assert_eq!(fixes[0]["title"], "update 2 call sites with `z` from the model");
        assert_eq!(fixes[0]["kind"], "quickfix");
        let command = &fixes[0]["command"];
        assert_eq!(command["command"], "pyloom.updateCalls");
        let id = self.client.send_request("workspace/executeCommand", json!({"command": command["command"], "arguments": command["arguments"]})).unwrap();
        let response = self.client.raw_response(&json!(id)).unwrap();
        match response.get("error") {
            Some(error) => Err(error["message"].as_str().unwrap_or_default().to_owned()),
            None => Ok(response["result"].clone()),
        }
    }

    /// `main.py` with the one edit of the applyEdit sent, if any.
    fn edited_main(&self) -> Option<String> {
        let sent = self.client.server_requests.iter().filter(|r| r["method"] == "workspace/applyEdit").next_back()?;
        let changes = sent["params"]["edit"]["documentChanges"].as_array().unwrap();
        let change = changes.iter().find(|c| c["textDocument"]["uri"] == self.main.as_str()).unwrap();
        let edit = &change["edits"][0];
        let offset = |p: &Value| {
            let line = p["line"].as_u64().unwrap() as usize;
            MAIN.split_inclusive('\n').take(line).map(str::len).sum::<usize>() + p["character"].as_u64().unwrap() as usize
        };
        let (start, end) = (offset(&edit["range"]["start"]), offset(&edit["range"]["end"]));
        Some(format!("{}{}{}", &MAIN[..start], edit["newText"].as_str().unwrap(), &MAIN[end..]))
    }
}

const UPDATED: &str = "from geo import move\n\nORIGIN = 0\n\n\ndef walk(step):\n    return move(step, 1, ORIGIN)\n\n\na = move(1, 2, 0)\n";

#[test]
fn the_model_proposes_each_argument_and_the_checked_calls_are_updated_in_one_edit() {
    let model = ScriptedServer::start(vec![answer("1: z = ORIGIN\n2: z = 0\n")]).unwrap();
    let (mut s, diagnostic) = Session::start(&model.base_url);
    let message = diagnostic["message"].as_str().unwrap();
    assert!(message.ends_with("or let the model propose `z` at each of the 2 calls"), "{message}");
    let result = s.run_fix(&diagnostic).unwrap();
    assert_eq!((result["applied"].as_bool(), result["calls"].as_u64()), (Some(true), Some(2)), "{result}");
    assert_eq!(s.edited_main().as_deref(), Some(UPDATED));
    // One request, listing every call with its code and the names there.
    let requests = model.requests();
    assert_eq!(requests.len(), 1);
    let prompt = requests[0].json()["messages"][1]["content"].as_str().unwrap().to_owned();
    assert!(prompt.contains("## Call 1: main.py:7 in `main.walk`\n```python\n"), "{prompt}");
    assert!(prompt.contains(">>>     return move(step, 1)\n"), "{prompt}");
    assert!(prompt.contains("Names defined there: step, move, ORIGIN, walk, a\n"), "{prompt}");
    assert!(prompt.contains("## Call 2: main.py:10\n"), "{prompt}");
    assert!(s.client.shutdown().unwrap().success());
}

#[test]
fn a_fenced_reply_wrapped_in_prose_gives_the_same_edit() {
    let reply = "Sure! The calls need these arguments:\n\n```text\n1: z = ORIGIN\n2: z = 0\n```\n\nLet me know if you need more.";
    let model = ScriptedServer::start(vec![answer(reply)]).unwrap();
    let (mut s, diagnostic) = Session::start(&model.base_url);
    let result = s.run_fix(&diagnostic).unwrap();
    assert_eq!(result["applied"], true, "{result}");
    assert_eq!(s.edited_main().as_deref(), Some(UPDATED));
    assert!(s.client.shutdown().unwrap().success());
}

#[test]
fn an_invented_name_refuses_every_call_and_sends_no_edit() {
    let model = ScriptedServer::start(vec![answer("1: z = origin_point\n2: z = 0\n")]).unwrap();
    let (mut s, diagnostic) = Session::start(&model.base_url);
    let error = s.run_fix(&diagnostic).unwrap_err();
    assert_eq!(
        error,
        "the model's arguments failed their checks; no call was updated:\n- call 1 (main.py:7): `z` = `origin_point`: `origin_point` is not defined at this call"
    );
    assert_eq!(s.edited_main(), None);
    assert!(s.client.shutdown().unwrap().success());
}

#[test]
fn a_call_the_reply_skips_refuses_the_update() {
    let model = ScriptedServer::start(vec![answer("1: z = ORIGIN\n")]).unwrap();
    let (mut s, diagnostic) = Session::start(&model.base_url);
    let error = s.run_fix(&diagnostic).unwrap_err();
    assert_eq!(error, "the model's arguments failed their checks; no call was updated:\n- call 2 (main.py:10): the reply gives no `z`");
    assert_eq!(s.edited_main(), None);
    assert!(s.client.shutdown().unwrap().success());
}

#[test]
fn without_a_model_to_reach_the_fix_says_how_to_configure_one() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (mut s, diagnostic) = Session::start(&format!("http://127.0.0.1:{port}"));
    let error = s.run_fix(&diagnostic).unwrap_err();
    assert!(error.starts_with("no model to ask (cannot reach "), "{error}");
    assert!(error.ends_with("configure one with `llm.provider`, `llm.model` and `llm.base_url`"), "{error}");
    assert_eq!(s.edited_main(), None);
    assert!(s.client.shutdown().unwrap().success());
}

/// `pyloom refactor signature FILE:LINE "(x, y, z)" --model [--apply]` in
/// a workspace whose `pyloom.toml` names the model at `base_url`: the
/// command's output, and the workspace folder.
fn on_the_command_line(base_url: &str, apply: bool) -> (std::process::Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("geo.py"), GEO).unwrap();
    std::fs::write(root.join("main.py"), MAIN).unwrap();
    std::fs::write(root.join("pyloom.toml"), format!("[llm]\nbase_url = \"{base_url}\"\nmax_retries = 0\n\n[llm.cache]\nenabled = false\n")).unwrap();
    let location = format!("{}:1", root.join("geo.py").display());
    let mut arguments = vec!["refactor", "signature", &location, "(x, y, z)", "--model"];
    arguments.extend(apply.then_some("--apply"));
    let output = std::process::Command::new(pyloom_e2e::pyloom_bin())
        .args(&arguments)
        .current_dir(&root)
        .env("PYLOOM_CACHE_DIR", dir.path().join("cache"))
        .output()
        .unwrap();
    (output, dir)
}

#[test]
fn on_the_command_line_the_workspace_model_proposes_the_arguments_and_the_checked_calls_are_written() {
    let model = ScriptedServer::start(vec![answer("1: z = ORIGIN\n2: z = 0\n")]).unwrap();
    let (output, dir) = on_the_command_line(&model.base_url, true);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let root = dir.path().join("ws");
    assert_eq!(std::fs::read_to_string(root.join("main.py")).unwrap(), UPDATED);
    assert_eq!(std::fs::read_to_string(root.join("geo.py")).unwrap(), GEO.replacen("(x, y)", "(x, y, z)", 1));
    assert_eq!(model.requests().len(), 1);
}

#[test]
fn on_the_command_line_a_bad_answer_or_no_model_writes_nothing() {
    let model = ScriptedServer::start(vec![answer("1: z = origin_point\n2: z = 0\n")]).unwrap();
    let (output, dir) = on_the_command_line(&model.base_url, true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Refused (the answer failed its checks): exit 1; no model to ask: 2.
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("- call 1 (main.py:7): `z` = `origin_point`: `origin_point` is not defined at this call"), "{stderr}");
    assert_eq!(std::fs::read_to_string(dir.path().join("ws/main.py")).unwrap(), MAIN);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let (output, dir) = on_the_command_line(&format!("http://127.0.0.1:{port}"), true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no model to ask (cannot reach ") && stderr.contains("nothing was written"), "{stderr}");
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(std::fs::read_to_string(dir.path().join("ws/geo.py")).unwrap(), GEO);
}
