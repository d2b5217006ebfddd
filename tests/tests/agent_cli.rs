//! A real coding agent uses pyloom's MCP tools: OpenAI's Codex CLI (npm
//! `@openai/codex`, scripts/install-codex.sh), pointed at a scripted model
//! on 127.0.0.1 (the Responses API, streamed), with `pyloom mcp` as its
//! MCP server. The model asks for `find_symbol`; the agent must call it on
//! pyloom and hand pyloom's answer back to the model.

use std::process::{Command, Stdio};

use pyloom_e2e::http::{Reply, ScriptedServer, StreamEnd};
use pyloom_e2e::{installed_tool, pyloom_bin};
use serde_json::{Value, json};

const PRICING: &str = "def apply_discount(price: float, rate: float) -> float:\n    return price * (1 - rate)\n";

/// One streamed model turn that outputs `item`.
fn turn(id: &str, item: Value) -> Reply {
    let events = [
        json!({"type": "response.created", "response": {"id": id}}),
        json!({"type": "response.output_item.done", "item": item}),
        json!({"type": "response.completed", "response": {"id": id, "usage": {"input_tokens": 1, "output_tokens": 1, "total_tokens": 2}}}),
    ];
    let chunks: Vec<String> = events.iter().map(|e| format!("event: {}\ndata: {e}\n\n", e["type"].as_str().unwrap_or_default())).collect();
    Reply::sse(&chunks.iter().map(String::as_str).collect::<Vec<_>>(), StreamEnd::Complete)
}

#[test]
fn codex_calls_pyloom_find_symbol_for_a_scripted_model() {
    let codex = installed_tool("PYLOOM_CODEX", "install-codex.sh");
    let dir = tempfile::tempdir().unwrap();
    let (root, home) = (dir.path().join("ws"), dir.path().join("codex-home"));
    std::fs::create_dir_all(root.join("shop")).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(root.join("shop/__init__.py"), "").unwrap();
    std::fs::write(root.join("shop/pricing.py"), PRICING).unwrap();

    // Codex offers an MCP server's tools to the model in a namespace named for it.
    let call = json!({"type": "function_call", "id": "fc1", "call_id": "call1", "namespace": "mcp__pyloom", "name": "find_symbol",
                      "arguments": json!({"query": "apply_discount"}).to_string()});
    let answer = json!({"type": "message", "role": "assistant", "id": "m1", "content": [{"type": "output_text", "text": "found it"}]});
    let model = ScriptedServer::start(vec![turn("r1", call), turn("r2", answer)]).unwrap();
    let config = format!(
        "model = \"scripted\"\nmodel_provider = \"scripted\"\napproval_policy = \"never\"\nsandbox_mode = \"read-only\"\n\n\
         [model_providers.scripted]\nname = \"scripted\"\nbase_url = \"{}/v1\"\nwire_api = \"responses\"\n\n\
         [mcp_servers.pyloom]\ncommand = {}\nargs = [\"mcp\", {}]\n",
        model.base_url,
        toml_string(&pyloom_bin().display().to_string()),
        toml_string(&root.display().to_string()),
    );
    std::fs::write(home.join("config.toml"), config).unwrap();

    let output = Command::new(codex)
        .args(["exec", "--skip-git-repo-check", "Where is apply_discount defined?"])
        .current_dir(&root)
        .env("CODEX_HOME", &home)
        .env_remove("OPENAI_API_KEY")
        .stdin(Stdio::null())
        .output()
        .expect("codex runs");
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "codex failed:\n{said}");

    let requests = model.requests();
    assert_eq!(requests.len(), 2, "the model was asked twice (the tool call, then with its result):\n{said}");
    let offered = requests[0].json()["tools"].as_array().cloned().unwrap_or_default();
    let pyloom = offered.iter().find(|t| t["name"] == "mcp__pyloom").expect("pyloom's tools are offered to the model");
    let names: Vec<&str> = pyloom["tools"].as_array().into_iter().flatten().filter_map(|t| t["name"].as_str()).collect();
    assert!(names.contains(&"find_symbol") && names.contains(&"check") && names.contains(&"rename"), "{names:?}");
    let input = requests[1].json()["input"].as_array().cloned().unwrap_or_default();
    let result = input.iter().find(|i| i["type"] == "function_call_output" && i["call_id"] == "call1").expect("the tool's result goes back to the model");
    let text = result["output"].to_string();
    assert!(text.contains("shop.pricing.apply_discount") && text.contains("shop/pricing.py"), "pyloom's answer reached the model: {text}");
    assert!(said.contains("found it"), "the agent ends with the model's answer:\n{said}");
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}
