//! Inline (ghost-text) completion end to end: `textDocument/inlineCompletion`
//! over stdio against scripted providers on 127.0.0.1 speaking each
//! fill-in-the-middle protocol, streamed and not, and `pyloom complete`.

use std::path::{Path, PathBuf};
use std::process::Command;

use pyloom_e2e::http::{Reply, ScriptedServer, StreamEnd};
use pyloom_e2e::{LspClient, file_uri, pyloom_bin};
use serde_json::{Value, json};

const PRICING: &str = "def total(items, tax):\n    \"\"\"The price of `items` with `tax`.\"\"\"\n    return sum(items) * tax\n";
const CART: &str = "from shop.pricing import total\n\n\ndef checkout(items):\n    rate = 1.2\n    \n";
/// The cursor: the empty line of `checkout`'s body.
const LINE: u64 = 5;
const COLUMN: u64 = 4;
const PREFIX: &str = "from shop.pricing import total\n\n\ndef checkout(items):\n    rate = 1.2\n    ";
const SUFFIX: &str = "\n";
const GOOD: &str = "return total(items, rate)";

/// A workspace folder (with a space in its name, and no project marker).
fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("my shop");
    std::fs::create_dir_all(root.join("shop")).unwrap();
    std::fs::write(root.join("shop/__init__.py"), "").unwrap();
    std::fs::write(root.join("shop/pricing.py"), PRICING).unwrap();
    std::fs::write(root.join("shop/cart.py"), CART).unwrap();
    (dir, root)
}

/// The server on `root`, indexed, with `cart.py` open; completion settings
/// `completion` (over a fast debounce).
fn server(root: &Path, completion: Value) -> LspClient {
    let mut settings = json!({"debounce_ms": 0});
    for (key, value) in completion.as_object().unwrap() {
        settings[key] = value.clone();
    }
    let options = json!({"completion": settings, "llm": {"cache": {"enabled": false}, "max_retries": 0}});
    let (mut client, init) = LspClient::initialized(Some(root), json!({"window": {"workDoneProgress": true}}), options).unwrap();
    assert_eq!(init["capabilities"]["inlineCompletionProvider"], true, "{init}");
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();
    client.open(&cart_uri(root), CART).unwrap();
    client
}

fn cart_uri(root: &Path) -> String {
    file_uri(&root.join("shop/cart.py"))
}

fn params(root: &Path, line: u64, character: u64, trigger: u8) -> Value {
    json!({
        "textDocument": {"uri": cart_uri(root)},
        "position": {"line": line, "character": character},
        "context": {"triggerKind": trigger},
    })
}

/// The inserted texts of an inline completion answer.
fn texts(answer: &Value) -> Vec<String> {
    answer["items"].as_array().unwrap().iter().map(|i| i["insertText"].as_str().unwrap().to_owned()).collect()
}

fn ask(client: &mut LspClient, root: &Path) -> Value {
    client.request("textDocument/inlineCompletion", params(root, LINE, COLUMN, 1)).unwrap()
}

/// One protocol: the provider setting, its model, the path it is called
/// at, the reply (whole and streamed) and what its request body must hold.
struct Protocol {
    provider: &'static str,
    model: &'static str,
    /// Appended to the scripted server's URL for `base_url`.
    base: &'static str,
    path: &'static str,
    whole: Reply,
    streamed: Reply,
    check: fn(&Value),
}

/// The other file the graph puts ahead of the prefix, as a comment block.
fn assert_commented_context(prompt: &str) {
    assert!(prompt.starts_with("# shop/pricing.py\n# def total(items, tax):"), "{prompt}");
    assert!(prompt.ends_with(&format!("\n\n{PREFIX}")), "{prompt}");
}

fn protocols() -> Vec<Protocol> {
    vec![
        Protocol {
            provider: "ollama",
            model: "qwen2.5-coder:1.5b",
            base: "",
            path: "/api/generate",
            whole: Reply::json(200, &json!({"response": GOOD, "done": true, "prompt_eval_count": 90, "eval_count": 7}).to_string()),
            streamed: Reply::ndjson(
                &[
                    "{\"response\":\"return total(\",\"done\":false}\n",
                    "{\"response\":\"items, rate)\",\"done\":false}\n",
                    "{\"response\":\"\",\"done\":true}\n",
                ],
                StreamEnd::Complete,
            ),
            check: |body| {
                // Qwen2.5-Coder's repository-level format, sent raw.
                assert_eq!(body["raw"], true);
                assert!(body.get("suffix").is_none());
                let prompt = body["prompt"].as_str().unwrap();
                assert!(prompt.starts_with("<|repo_name|>my shop\n<|file_sep|>shop/pricing.py\ndef total(items, tax):"), "{prompt}");
                assert!(prompt.ends_with(&format!("<|file_sep|>shop/cart.py\n<|fim_prefix|>{PREFIX}<|fim_suffix|>{SUFFIX}<|fim_middle|>")), "{prompt}");
                assert_eq!(body["options"]["stop"][0], "<|endoftext|>");
            },
        },
        Protocol {
            provider: "openai",
            model: "local-model",
            base: "/v1",
            path: "/v1/completions",
            whole: Reply::json(200, &json!({"choices": [{"text": GOOD, "finish_reason": "stop"}]}).to_string()),
            streamed: Reply::sse(
                &["data: {\"choices\":[{\"text\":\"return total(items,\"}]}\n\n", "data: {\"choices\":[{\"text\":\" rate)\"}]}\n\n", "data: [DONE]\n\n"],
                StreamEnd::Complete,
            ),
            check: |body| {
                // An unknown model: the server's own template, `suffix` apart.
                assert_commented_context(body["prompt"].as_str().unwrap());
                assert_eq!(body["suffix"], SUFFIX);
            },
        },
        Protocol {
            provider: "llamacpp",
            model: "qwen2.5-coder-1.5b-q8_0.gguf",
            base: "",
            path: "/infill",
            whole: Reply::json(200, &json!({"content": GOOD, "stop": true, "tokens_predicted": 7}).to_string()),
            streamed: Reply::sse(
                &[
                    "data: {\"content\":\"return total(items, \",\"stop\":false}\n\n",
                    "data: {\"content\":\"rate)\",\"stop\":false}\n\n",
                    "data: {\"content\":\"\",\"stop\":true}\n\n",
                ],
                StreamEnd::Complete,
            ),
            check: |body| {
                assert_eq!((body["input_prefix"].as_str(), body["input_suffix"].as_str()), (Some(PREFIX), Some(SUFFIX)));
                assert_eq!(body["input_extra"][0]["filename"], "shop/pricing.py");
                assert!(body["input_extra"][0]["text"].as_str().unwrap().contains("def total(items, tax)"), "{body}");
            },
        },
        Protocol {
            provider: "mistral",
            model: "codestral-latest",
            base: "/v1",
            path: "/v1/fim/completions",
            whole: Reply::json(200, &json!({"choices": [{"message": {"content": GOOD}, "finish_reason": "stop"}]}).to_string()),
            streamed: Reply::sse(
                &["data: {\"choices\":[{\"delta\":{\"content\":\"return total(items, rate)\"}}]}\n\n", "data: [DONE]\n\n"],
                StreamEnd::Complete,
            ),
            check: |body| {
                assert_commented_context(body["prompt"].as_str().unwrap());
                assert_eq!(body["suffix"], SUFFIX);
            },
        },
        Protocol {
            // A chat-only model: the chat prompt, the code taken out of its fence.
            provider: "ollama",
            model: "llama3.2",
            base: "",
            path: "/api/chat",
            whole: Reply::json(200, &json!({"message": {"content": format!("```python\n{GOOD}\n```")}, "done": true}).to_string()),
            streamed: Reply::ndjson(
                &[
                    "{\"message\":{\"content\":\"```python\\nreturn total(items, rate)\"},\"done\":false}\n",
                    "{\"message\":{\"content\":\"\\n```\"},\"done\":true}\n",
                ],
                StreamEnd::Complete,
            ),
            check: |body| {
                let prompt = body["messages"][1]["content"].as_str().unwrap();
                assert!(prompt.contains("File shop/pricing.py:\n```python\ndef total(items, tax):"), "{prompt}");
                assert!(prompt.ends_with(&format!("Complete at <CURSOR> in shop/cart.py:\n```python\n{PREFIX}<CURSOR>{SUFFIX}\n```\n")), "{prompt}");
            },
        },
    ]
}

#[test]
fn each_protocol_whole_and_streamed_gets_the_prompt_and_returns_the_checked_item() {
    let (_dir, root) = workspace();
    for protocol in protocols() {
        for (stream, reply) in [(false, protocol.whole.clone()), (true, protocol.streamed.clone())] {
            let what = format!("{} {} stream={stream}", protocol.provider, protocol.model);
            let provider = ScriptedServer::start(vec![reply]).unwrap();
            let format = if protocol.path == "/api/chat" { "chat" } else { "auto" };
            let settings = json!({
                "provider": protocol.provider,
                "model": protocol.model,
                "base_url": format!("{}{}", provider.base_url, protocol.base),
                "stream": stream,
                "format": format,
            });
            let mut client = server(&root, settings);
            // Automatic triggers wait for the debounce; the answer is the same.
            let answer = client.request("textDocument/inlineCompletion", params(&root, LINE, COLUMN, 2)).unwrap();
            assert_eq!(texts(&answer), [GOOD], "{what}: {answer}");
            let range = json!({"start": {"line": LINE, "character": COLUMN}, "end": {"line": LINE, "character": COLUMN}});
            assert_eq!(answer["items"][0]["range"], range, "{what}");
            let request = provider.requests().remove(0);
            assert_eq!(request.path, protocol.path, "{what}");
            let body = request.json();
            assert_eq!(body["stream"], stream, "{what}");
            (protocol.check)(&body);
            assert!(client.shutdown().unwrap().success());
        }
    }
}

#[test]
fn a_suggestion_with_an_undefined_name_or_a_wrong_arity_is_never_shown() {
    let (_dir, root) = workspace();
    let answers = ["return total(items, discount)", "return total(items)", "return total(items, rate, 0)", "return totl(items, rate)"];
    let replies = answers.iter().map(|a| Reply::json(200, &json!({"response": a, "done": true}).to_string())).collect();
    let provider = ScriptedServer::start(replies).unwrap();
    let mut client = server(&root, json!({"model": "qwen2.5-coder:1.5b", "base_url": provider.base_url, "stream": false}));
    for answer in answers {
        assert_eq!(texts(&ask(&mut client, &root)), Vec::<String>::new(), "{answer}");
    }
    assert_eq!(provider.requests().len(), answers.len());
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn cancel_request_ends_the_request_and_closes_the_provider_connection() {
    let (_dir, root) = workspace();
    let provider = ScriptedServer::start(vec![Reply::Stall]).unwrap();
    let mut client = server(&root, json!({"model": "qwen2.5-coder:1.5b", "base_url": provider.base_url}));
    let id = client.send_request("textDocument/inlineCompletion", params(&root, LINE, COLUMN, 1)).unwrap();
    provider.wait_request().unwrap();
    client.notify("$/cancelRequest", json!({"id": id})).unwrap();
    let response = client.raw_response(&json!(id)).unwrap();
    assert_eq!(response["error"]["code"], -32800, "{response}");
    provider.wait_client_closed().unwrap();
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_newer_request_cancels_the_one_in_flight_and_its_call() {
    let (_dir, root) = workspace();
    let answer = Reply::json(200, &json!({"response": GOOD, "done": true}).to_string());
    let provider = ScriptedServer::start(vec![Reply::Stall, answer]).unwrap();
    let mut client = server(&root, json!({"model": "qwen2.5-coder:1.5b", "base_url": provider.base_url, "stream": false}));
    let first = client.send_request("textDocument/inlineCompletion", params(&root, LINE, COLUMN, 2)).unwrap();
    provider.wait_request().unwrap();
    let second = client.send_request("textDocument/inlineCompletion", params(&root, LINE, COLUMN, 2)).unwrap();
    let superseded = client.raw_response(&json!(first)).unwrap();
    assert_eq!(superseded["error"]["code"], -32800, "{superseded}");
    provider.wait_client_closed().unwrap();
    assert_eq!(texts(&client.response(second).unwrap()), [GOOD]);
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_multi_line_stream_that_leaves_the_block_is_stopped_there() {
    let (_dir, root) = workspace();
    let lines = format!("{}\n", json!({"response": "n = len(items)\n    return total(items, rate)\n\n\ndef other():\n", "done": false}));
    let provider = ScriptedServer::start(vec![Reply::ndjson(&[&lines], StreamEnd::Hold)]).unwrap();
    let mut client = server(&root, json!({"model": "qwen2.5-coder:1.5b", "base_url": provider.base_url}));
    assert_eq!(texts(&ask(&mut client, &root)), [format!("n = len(items)\n    {GOOD}")]);
    provider.wait_client_closed().unwrap();
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn typing_the_suggestion_is_served_from_it_without_a_model_call() {
    let (_dir, root) = workspace();
    let provider = ScriptedServer::start(vec![Reply::json(200, &json!({"response": GOOD, "done": true}).to_string())]).unwrap();
    let mut client = server(&root, json!({"model": "qwen2.5-coder:1.5b", "base_url": provider.base_url, "stream": false}));
    assert_eq!(texts(&ask(&mut client, &root)), [GOOD]);
    let at = json!({"line": LINE, "character": COLUMN});
    client
        .notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": cart_uri(&root), "version": 2}, "contentChanges": [{"range": {"start": at, "end": at}, "text": "ret"}]}),
        )
        .unwrap();
    let answer = client.request("textDocument/inlineCompletion", params(&root, LINE, COLUMN + 3, 2)).unwrap();
    assert_eq!(texts(&answer), ["urn total(items, rate)"]);
    assert_eq!(answer["items"][0]["range"]["start"], json!({"line": LINE, "character": COLUMN + 3}));
    assert_eq!(provider.requests().len(), 1, "no second model call");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_provider_that_is_down_costs_one_log_line() {
    let (_dir, root) = workspace();
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut client = server(&root, json!({"model": "qwen2.5-coder:1.5b", "base_url": format!("http://{closed}")}));
    for _ in 0..5 {
        assert_eq!(texts(&ask(&mut client, &root)), Vec::<String>::new());
    }
    let (status, log) = client.shutdown_with_log().unwrap();
    assert!(status.success());
    let warnings: Vec<&String> = log.iter().filter(|l| l.contains("inline completion unavailable")).collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(!log.iter().any(|l| l.contains("WARN") && l.contains("inline completion") && !l.contains("unavailable")), "{log:#?}");
}

#[test]
fn odd_params_get_an_empty_list_or_a_clear_error() {
    let (_dir, root) = workspace();
    let provider = ScriptedServer::start(vec![]).unwrap();
    let mut client = server(&root, json!({"model": "qwen2.5-coder:1.5b", "base_url": provider.base_url}));
    let unknown = json!({"textDocument": {"uri": file_uri(&root.join("nope.py"))}, "position": {"line": 0, "character": 0}, "context": {"triggerKind": 1}});
    assert_eq!(texts(&client.request("textDocument/inlineCompletion", unknown).unwrap()), Vec::<String>::new());
    for bad in [params(&root, 99, 0, 1), params(&root, LINE, COLUMN, 9)] {
        let id = client.send_request("textDocument/inlineCompletion", bad).unwrap();
        let response = client.raw_response(&json!(id)).unwrap();
        assert_eq!(response["error"]["code"], -32602, "{response}");
    }
    // The server keeps serving.
    assert!(
        client.request("textDocument/hover", json!({"textDocument": {"uri": cart_uri(&root)}, "position": {"line": 0, "character": 27}})).unwrap()["contents"]
            .is_object()
    );
    assert!(provider.requests().is_empty());
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn the_cli_prints_the_prompt_or_the_checked_suggestion_from_any_folder() {
    let (_dir, root) = workspace();
    let streamed = format!("{}\n", json!({"response": GOOD, "done": true}));
    let provider = ScriptedServer::start(vec![Reply::ndjson(&[&streamed], StreamEnd::Complete)]).unwrap();
    let run = |cwd: &Path, position: &str, extra: &[&str]| {
        let mut args = vec!["complete", position, "--model", "qwen2.5-coder:1.5b", "--base-url", &provider.base_url];
        args.extend(extra);
        Command::new(pyloom_bin()).current_dir(cwd).args(args).env("XDG_CACHE_HOME", root.join(".cache")).output().unwrap()
    };
    let out = run(&root.join("shop"), "cart.py:6:5", &["--prompt"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let preview: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(preview["url"], format!("{}/api/generate", provider.base_url));
    let prompt = preview["body"]["prompt"].as_str().unwrap();
    assert!(prompt.ends_with(&format!("<|fim_prefix|>{PREFIX}<|fim_suffix|>{SUFFIX}<|fim_middle|>")), "{prompt}");
    assert!(provider.requests().is_empty(), "--prompt calls no model");
    let out = run(&root, "shop/cart.py:6:5", &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{GOOD}\n"));
    assert_eq!(provider.requests()[0].json()["prompt"].as_str(), Some(prompt));
    let past = run(&root, "shop/cart.py:60:1", &["--prompt"]);
    assert_eq!(past.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&past.stderr).contains("shop/cart.py:60:1 is past the end of the file"), "{}", String::from_utf8_lossy(&past.stderr));
}
