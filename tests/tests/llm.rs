//! The LLM client end to end: the `context` and `llm ask` commands and the
//! `pyloom.ask` / `pyloom.status` LSP commands, against scripted providers
//! on 127.0.0.1.

use std::path::PathBuf;
use std::process::{Command, Output};

use expect_test::expect;
use pyloom_e2e::http::{Reply, ScriptedServer, StreamEnd};
use pyloom_e2e::{LspClient, file_uri, fixture, pyloom_bin};
use serde_json::{Value, json};

const OLLAMA_HELLO: [&str; 3] = [
    "{\"message\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"done\":false}\n",
    "{\"message\":{\"role\":\"assistant\",\"content\":\"lo!\"},\"done\":false}\n",
    "{\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"prompt_eval_count\":400,\"eval_count\":2}\n",
];

fn pricing() -> PathBuf {
    fixture("demo").join("shop").join("pricing.py")
}

/// Runs the CLI with a private cache folder and no API keys from the
/// environment of whoever runs the tests.
fn pyloom(args: &[&str], env: &[(&str, &str)]) -> Output {
    pyloom_in(&std::env::current_dir().unwrap(), args, env)
}

/// [`pyloom`] run in the folder `cwd`.
fn pyloom_in(cwd: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let cache = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(pyloom_bin());
    cmd.current_dir(cwd);
    cmd.args(args).env("XDG_CACHE_HOME", cache.path()).env_remove("OPENAI_API_KEY").env_remove("ANTHROPIC_API_KEY");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("pyloom runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// With the standard library's stubs installed, the account on stderr is
/// still all a command prints there: parsing the stubs ahead (and saying
/// so) is the server's business.
#[test]
fn installed_stubs_add_nothing_to_what_a_command_prints() {
    let cache = tempfile::tempdir().unwrap();
    let stdlib = cache.path().join("pyloom/typeshed/stdlib");
    std::fs::create_dir_all(&stdlib).unwrap();
    for module in ["os", "subprocess", "dataclasses", "typing"] {
        std::fs::write(stdlib.join(format!("{module}.pyi")), "def f() -> None: ...\n").unwrap();
    }
    std::fs::write(stdlib.join(".pyloom-complete"), "test stand-ins").unwrap();
    let location = format!("{}:10", pricing().display());
    let cache_home = cache.path().to_str().unwrap();
    let out = pyloom(&["context", &location, "--budget", "1500", "--provider", "openai", "--model", "gpt-4o"], &[("XDG_CACHE_HOME", cache_home)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("context for shop/pricing.py:6 `total`"), "{stderr}");
    assert!(!stderr.contains("stubs"), "{stderr}");
}

#[test]
fn context_prints_exactly_what_would_be_sent_and_an_account() {
    let location = format!("{}:10", pricing().display());
    let out = pyloom(&["context", &location, "--budget", "1500", "--provider", "openai", "--model", "gpt-4o"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    expect![[r#"
        context for shop/pricing.py:6 `total`: 468 tokens of a 1500 budget (o200k_base, 0% margin: 1500 usable)
          level 1: 350 of 600 tokens, 5 included, 0 left out
          level 2: 119 of 700 tokens, 4 included, 0 left out
          reserve: 1032 tokens for instructions and the answer
          secrets masked: 0
    "#]]
    .assert_eq(&text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("## Level 1"), "{stdout}");
    assert!(stdout.contains("### shop/pricing.py:6 `total` (target)"));
    // `item.cost(qty)` on an `Item` may run the subclass's override.
    assert!(stdout.contains("### shop/models.py:29 `DiscountedItem.cost` (via override)"), "{stdout}");
    assert!(stdout.contains("## Level 2"));
}

#[test]
fn llm_ask_streams_the_answer_with_the_context() {
    let server = ScriptedServer::start(vec![Reply::ndjson(&OLLAMA_HELLO, StreamEnd::Complete)]).unwrap();
    let location = format!("{}:10", pricing().display());
    let out = pyloom(&["llm", "ask", &location, "What does it return?", "--base-url", &server.base_url], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "Hello!\n");
    assert!(text(&out.stderr).contains("400 prompt + 2 answer tokens"), "{}", text(&out.stderr));
    let request = server.requests().remove(0);
    assert_eq!(request.path, "/api/chat");
    let body = request.json();
    assert_eq!(body["model"], "qwen2.5-coder:7b");
    let prompt = body["messages"][1]["content"].as_str().unwrap();
    assert!(prompt.contains("### shop/pricing.py:6 `total` (target)"), "{prompt}");
    assert!(prompt.ends_with("## Question about shop/pricing.py:6 `total`\n\nWhat does it return?\n"), "{prompt}");
    let cap = body["options"]["num_predict"].as_u64().unwrap();
    assert!(cap > 0 && cap <= 1024, "the answer is capped by the reserve and the settings: {cap}");
}

#[test]
fn llm_ask_sends_the_key_from_the_named_variable_and_never_prints_it() {
    let server =
        ScriptedServer::start(vec![Reply::sse(&["data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n", "data: [DONE]\n\n"], StreamEnd::Complete)])
            .unwrap();
    let location = format!("{}:10", pricing().display());
    let args = ["llm", "ask", &location, "Why?", "--provider", "openai", "--model", "gpt-4o-mini", "--base-url", &server.base_url];
    let out = pyloom(&args, &[("OPENAI_API_KEY", "sk-e2e-secret-value"), ("PYLOOM_LOG", "trace")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "Hi\n");
    let request = server.requests().remove(0);
    assert_eq!(request.path, "/chat/completions");
    assert_eq!(request.header("authorization"), Some("Bearer sk-e2e-secret-value"));
    assert!(!text(&out.stderr).contains("sk-e2e-secret-value"), "the key is never logged");
}

#[test]
fn llm_ask_reports_a_stream_cut_halfway_as_an_incomplete_answer() {
    let server = ScriptedServer::start(vec![Reply::ndjson(&OLLAMA_HELLO[..1], StreamEnd::Cut)]).unwrap();
    let location = format!("{}:10", pricing().display());
    let out = pyloom(&["llm", "ask", &location, "Why?", "--base-url", &server.base_url], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stdout), "Hel\n");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("the answer above is incomplete") && stderr.contains("broke off"), "{stderr}");
}

#[test]
fn llm_ask_without_an_anthropic_key_names_the_variable() {
    let location = format!("{}:10", pricing().display());
    let out = pyloom(&["llm", "ask", &location, "Why?", "--provider", "anthropic", "--model", "claude-sonnet-4"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("set the environment variable ANTHROPIC_API_KEY"), "{}", text(&out.stderr));
}

fn lsp_with_provider(server: &ScriptedServer) -> LlmSession {
    let root = fixture("demo");
    let options = json!({"llm": {"base_url": server.base_url, "cache": {"enabled": false}, "max_retries": 0}});
    let (client, _) = LspClient::initialized(Some(&root), json!({"window": {"workDoneProgress": true}}), options).unwrap();
    LlmSession { client }
}

struct LlmSession {
    client: LspClient,
}

impl LlmSession {
    fn send_ask(&mut self) -> i64 {
        let args = json!([{
            "textDocument": {"uri": file_uri(&pricing())},
            "position": {"line": 9, "character": 4},
            "question": "What does it return?",
        }]);
        self.client.send_request("workspace/executeCommand", json!({"command": "pyloom.ask", "arguments": args})).unwrap()
    }

    /// The next `$/progress` of `kind` (begin, report, end) of an ask (the
    /// workspace's indexing reports progress of its own meanwhile).
    fn progress(&mut self, kind: &str) -> Value {
        self.client.notification("$/progress", |p| p["value"]["kind"] == kind && p["token"].as_str().is_some_and(|t| t.starts_with("pyloom/work/"))).unwrap()
    }

    fn status(&mut self) -> Value {
        self.client.request("workspace/executeCommand", json!({"command": "pyloom.status"})).unwrap()
    }
}

#[test]
fn ask_streams_progress_and_status_counts_the_tokens() {
    let server = ScriptedServer::start(vec![Reply::ndjson(&OLLAMA_HELLO, StreamEnd::Complete)]).unwrap();
    let mut lsp = lsp_with_provider(&server);
    let id = lsp.send_ask();
    let begin = lsp.progress("begin");
    assert_eq!(begin["value"]["title"], "Asking about shop/pricing.py:6 `total`");
    assert_eq!(begin["value"]["cancellable"], true);
    assert_eq!(lsp.progress("report")["value"]["message"], "Hel");
    assert_eq!(lsp.progress("report")["value"]["message"], "lo!");
    lsp.progress("end");
    let answer = lsp.client.response(id).unwrap();
    assert_eq!(answer["answer"], "Hello!");
    assert_eq!(answer["usage"], json!({"prompt_tokens": 400, "completion_tokens": 2}));
    let status = lsp.status();
    assert_eq!(status["total"]["requests"], 1);
    assert_eq!(status["total"]["prompt_tokens"], 400);
    assert_eq!(status["breakers"][0]["state"], "closed");
    assert!(status["summary"].as_str().unwrap().contains("1 requests, 400 prompt + 2 answer tokens"));
    assert!(lsp.client.shutdown().unwrap().success());
}

#[test]
fn cancel_request_mid_stream_closes_the_provider_connection() {
    let server = ScriptedServer::start(vec![Reply::ndjson(&OLLAMA_HELLO[..1], StreamEnd::Hold)]).unwrap();
    let mut lsp = lsp_with_provider(&server);
    let id = lsp.send_ask();
    assert_eq!(lsp.progress("report")["value"]["message"], "Hel");
    lsp.client.notify("$/cancelRequest", json!({"id": id})).unwrap();
    server.wait_client_closed().unwrap();
    let response = lsp.client.raw_response(&json!(id)).unwrap();
    assert_eq!(response["error"]["code"], -32800, "{response}");
    assert!(lsp.client.shutdown().unwrap().success());
}

#[test]
fn progress_cancel_mid_stream_closes_the_provider_connection() {
    let server = ScriptedServer::start(vec![Reply::ndjson(&OLLAMA_HELLO[..1], StreamEnd::Hold)]).unwrap();
    let mut lsp = lsp_with_provider(&server);
    let id = lsp.send_ask();
    let token = lsp.progress("begin")["token"].clone();
    assert_eq!(lsp.progress("report")["value"]["message"], "Hel");
    lsp.client.notify("window/workDoneProgress/cancel", json!({"token": token})).unwrap();
    server.wait_client_closed().unwrap();
    let response = lsp.client.raw_response(&json!(id)).unwrap();
    assert_eq!(response["error"]["code"], -32800, "{response}");
    lsp.progress("end");
    // A cancelled call is not an outage.
    assert_eq!(lsp.status()["breakers"][0]["state"], "closed");
    assert!(lsp.client.shutdown().unwrap().success());
}

#[test]
fn a_failed_ask_is_an_error_response_and_the_server_keeps_serving() {
    let server = ScriptedServer::start(vec![Reply::json(500, "model crashed")]).unwrap();
    let mut lsp = lsp_with_provider(&server);
    let id = lsp.send_ask();
    let response = lsp.client.raw_response(&json!(id)).unwrap();
    assert_eq!(response["error"]["code"], -32803, "{response}");
    assert!(response["error"]["message"].as_str().unwrap().contains("HTTP 500: model crashed"));
    assert_eq!(lsp.status()["total"]["failures"], 1);
    assert!(lsp.client.shutdown().unwrap().success());
}

/// The first line of `pyloom context`'s account: which file, as the
/// project root sees it, and which definition.
fn context_title(cwd: &std::path::Path, location: &str) -> String {
    let out = pyloom_in(cwd, &["context", location], &[]);
    assert!(out.status.success(), "{location} in {}: {}", cwd.display(), text(&out.stderr));
    text(&out.stderr).lines().next().unwrap_or_default().split(':').take(2).collect::<Vec<_>>().join(":")
}

#[test]
fn the_cli_finds_the_same_project_root_from_any_spelling_of_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("my shop");
    let write = |name: &str, text: &str| {
        std::fs::create_dir_all(root.join(name).parent().unwrap()).unwrap();
        std::fs::write(root.join(name), text).unwrap();
    };
    write("shop/__init__.py", "");
    write("shop/sub/__init__.py", "");
    write("shop/pricing.py", "def unit_price(sku):\n    return 1.0\n");
    write("shop/sub/cart.py", "from shop.pricing import unit_price\n\n\ndef total(items):\n    return sum(unit_price(s) for s in items)\n");
    let absolute = format!("{}:5", root.join("shop/sub/cart.py").display());
    let expected = "context for shop/sub/cart.py:4 `total`";
    // No root marker anywhere: the current folder, or the folder above the packages.
    for (cwd, location) in
        [(root.clone(), "shop/sub/cart.py:5"), (root.clone(), "./shop/sub/cart.py:5"), (root.clone(), absolute.as_str()), (root.join("shop"), "sub/cart.py:5")]
    {
        assert_eq!(context_title(&cwd, location), expected, "{location} from {}", cwd.display());
    }
    // With a marker: the marker's folder, from anywhere.
    write("pyproject.toml", "[project]\nname = \"shop\"\n");
    for (cwd, location) in [(root.clone(), "shop/sub/cart.py:5"), (root.join("shop/sub"), "cart.py:5"), (dir.path().to_owned(), absolute.as_str())] {
        assert_eq!(context_title(&cwd, location), expected, "{location} from {}", cwd.display());
    }
    // The imported module resolves: its function is in the context.
    let out = pyloom_in(&root, &["context", "shop/sub/cart.py:5"], &[]);
    assert!(text(&out.stdout).contains("unit_price"), "{}", text(&out.stdout));
    let missing = pyloom_in(&root, &["context", "shop/nope.py:1"], &[]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("shop/nope.py: No such file or directory"), "{}", text(&missing.stderr));
}
