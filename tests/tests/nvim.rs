//! The Neovim plugin in a real, headless Neovim (installed by
//! `scripts/install-nvim.sh` on first use). Each scenario in
//! `tests/nvim/scenarios/` starts the plugin from the repo with a minimal
//! init, runs its steps against the built server, writes a transcript and
//! quits with `:qa`; here we compare the transcript and check that every
//! server the editor started has exited cleanly.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{OnceLock, mpsc};

use expect_test::{Expect, expect};
use pyloom_e2e::{TIMEOUT, installed_tool, pyloom_bin, repo_root};

/// The `nvim` binary: `PYLOOM_NVIM` if set, else the copy the install
/// script keeps in target/tools (installing it once if needed).
fn nvim() -> PathBuf {
    static NVIM: OnceLock<PathBuf> = OnceLock::new();
    NVIM.get_or_init(|| installed_tool("PYLOOM_NVIM", "install-nvim.sh")).clone()
}

/// Runs one scenario and compares its transcript and the servers' exit
/// codes with `expected`. Neovim's config, data and state live in the
/// scenario's directory; the cache does not, because the server finds the
/// sandbox's interpreter there (`pyloom sandbox install` puts it in the
/// user cache, or under `PYLOOM_CACHE_DIR`).
fn check_scenario(name: &str, expected: Expect) {
    check_scenario_with_env(name, &[], expected);
}

/// [`check_scenario`] with extra environment variables for Neovim (and
/// the servers it starts).
fn check_scenario_with_env(name: &str, env: &[(&str, &str)], expected: Expect) {
    let dir = repo_root().join("target/tmp/nvim").join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("test dir");
    let bin_dir = repo_root().join("tests/nvim/bin");
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()))).expect("PATH joins");
    let output = Command::new(nvim())
        .args(["--headless", "-n", "-i", "NONE", "-u"])
        .arg(repo_root().join("tests/nvim/init.lua"))
        .env("PATH", path)
        .env("PYLOOM_REPO", repo_root())
        .env("PYLOOM_BIN", pyloom_bin())
        .env("PYLOOM_TEST_DIR", &dir)
        .env("PYLOOM_SCENARIO", name)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env_remove("PYLOOM_LOG")
        // No keys of whoever runs the tests reach a server.
        .env_remove("OPENAI_API_KEY")
        .env_remove("ANTHROPIC_API_KEY")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("nvim runs");
    let transcript = fs::read_to_string(dir.join("transcript")).unwrap_or_default();
    assert!(
        output.status.success(),
        "nvim exited with {}\n--- transcript\n{transcript}\n--- stderr\n{}\n--- server log\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
        fs::read_to_string(dir.join("server.log")).unwrap_or_default(),
    );
    let exits = servers_exits(&dir);
    expected.assert_eq(&format!("{transcript}{exits}"));
}

/// Waits until every server started by the scenario has exited (each holds
/// a lock on server.lock while it runs, see tests/nvim/bin/pyloom) and
/// returns their recorded exit lines. A server still running after
/// [`TIMEOUT`] fails the test instead of hanging it.
fn servers_exits(dir: &Path) -> String {
    let lock = fs::OpenOptions::new().create(true).append(true).open(dir.join("server.lock")).expect("lock file");
    let (done, locked) = mpsc::channel();
    std::thread::spawn(move || done.send(lock.lock()));
    match locked.recv_timeout(TIMEOUT) {
        Ok(result) => result.expect("locking server.lock"),
        Err(_) => panic!("a server was still running {TIMEOUT:?} after nvim quit"),
    }
    fs::read_to_string(dir.join("server.exits")).unwrap_or_default()
}

#[test]
fn editor_attaches_syncs_shows_diagnostics_and_runs_commands() {
    check_scenario(
        "editor",
        expect![[r#"
            ok the server attaches to a Python buffer
            ok edits reach the server in order (incremental sync)
            ok a syntax error is shown as a diagnostic and cleared when fixed
            ok opt-in mappings are buffer-local and can be dropped one by one
            ok commands the server does not provide are refused with a clear message
            ok commands send the documented arguments and show results
            ok :PyloomStatus shows the client and server in a floating window
            ok :checkhealth pyloom finds the binary and its version
            ok :checkhealth pyloom reports pyloom.status and probes the provider
            ok the committed help tags are up to date
            ok :help pyloom opens the plugin's help
            ok setup() again replaces the configuration, lists included
            ok :PyloomRestart starts a new server for the same buffer
            server exited with 0
            server exited with 0
        "#]],
    );
}

#[test]
fn neovim_0_10_path_starts_with_vim_lsp_start_and_passes_settings() {
    check_scenario(
        "fallback",
        expect![[r#"
            ok setup attaches to a buffer opened before it, rooted at .git
            ok settings reach the server: files over max_file_bytes are not analysed
            ok a second file in the same root shares the server
            ok :PyloomRestart restarts on this path too
            server exited with 0
            server exited with 0
        "#]],
    );
}

#[test]
fn graph_indexing_progress_hover_and_definition() {
    check_scenario(
        "graph",
        expect![[r#"
            ok indexing is reported through LSP progress until it completes
            ok K shows the graph's explanation of the symbol under the cursor
            ok go to definition jumps across files
            server exited with 0
        "#]],
    );
}

#[test]
fn completion_applies_auto_imports_and_keyword_arguments_and_shows_signature_help() {
    check_scenario(
        "completion",
        expect![[r#"
            ok the buffer attaches and the workspace is indexed
            ok an accepted auto-import item completes the name and adds its import where isort wants it
            ok keyword arguments of the called function are offered in a call
            ok signature help shows the signature with its docstring
            server exited with 0
        "#]],
    );
}

#[test]
fn installed_packages_get_hover_completion_and_signature_help() {
    check_scenario(
        "library",
        expect![[r#"
            ok the buffer attaches and the workspace is indexed
            ok hover on a library function shows its signature, docstring and distribution
            ok completion after a dot offers the library instance's members
            ok signature help in a library call shows the installed signature
            ok :checkhealth pyloom says which Python environment is read
            server exited with 0
        "#]],
    );
}

#[test]
fn lint_quick_fixes_apply_through_the_code_action_menu_and_apply_true() {
    check_scenario(
        "fixes",
        expect![[r#"
            ok unused imports are shown as diagnostics with their rule
            ok code_action() offers the fix, the noqa suppression and fix-all in a menu; the chosen fix applies
            ok the fixed diagnostic disappears and the other one stays
            ok code_action({ filter = preferred, apply = true }) applies the one preferred fix without a menu
            server exited with 0
        "#]],
    );
}

#[test]
fn rename_applies_to_buffers_and_refusals_show_their_reason() {
    check_scenario(
        "rename",
        expect![[r#"
            ok rename applies the edit to the open buffer and the file it loads
            ok a refused rename shows the reason and changes nothing
            server exited with 0
        "#]],
    );
}

#[test]
fn a_def_reordered_by_hand_offers_its_calls_update_and_the_quick_fix_applies() {
    check_scenario(
        "signature",
        expect![[r#"
            ok a reorder typed in the def names the call of the other buffer
            ok the quick fix applied through vim.lsp rewrites the call in the other buffer
            server exited with 0
        "#]],
    );
}

#[test]
fn a_selected_expression_is_extracted_and_an_unsafe_one_offered_disabled() {
    check_scenario(
        "extract",
        expect![[r#"
            ok a selected expression is extracted through vim.lsp's code action
            ok a `while` test is offered disabled, with the reason
            server exited with 0
        "#]],
    );
}

#[test]
fn a_top_level_function_is_moved_to_a_new_module_and_a_method_offered_disabled() {
    check_scenario(
        "move",
        expect![[r#"
            ok a top-level function moves to a new module through vim.lsp's code action and the command
            ok a method is offered disabled, with the reason
            server exited with 0
        "#]],
    );
}

#[test]
fn a_module_renamed_from_neovim_takes_its_importers_along_and_a_refusal_says_why() {
    check_scenario(
        "rename_file",
        expect![[r#"
            ok a module renamed by a relative path takes its importers along
            ok a module moved into a new folder of a regular package creates its __init__.py in the same edit
            ok a module a formatted string may name is renamed with the reason and no edit
            ok a target that exists is refused before anything moves
            server exited with 0
        "#]],
    );
}

#[test]
fn a_variable_and_a_call_at_the_cursor_are_inlined_and_an_unsafe_one_offered_disabled() {
    check_scenario(
        "inline_refactor",
        expect![[r#"
            ok a variable at the cursor is inlined through vim.lsp's code action
            ok a call read twice is offered disabled, with the reason
            ok a call is inlined with the body as the other buffer has it
            server exited with 0
        "#]],
    );
}

/// Needs the sandbox interpreter (`pyloom sandbox install`, which
/// scripts/test-all.sh runs first), like tests/tests/snippets.rs; without
/// it the run fails and the transcript shows the server's instruction.
#[test]
fn pyloom_test_marks_a_passing_and_a_failing_doctest() {
    check_scenario(
        "snippets",
        expect![[r#"
            ok :PyloomTest on a passing doctest reports it passed, with a ✓ sign and no diagnostic
            ok :PyloomTest on a failing doctest marks the failing example with a diagnostic and a ✗ sign
            ok after the fix, :PyloomTest again clears the diagnostic and marks the test passed
            server exited with 0
        "#]],
    );
}

/// What the scripted provider answers: the first rule whose marker the
/// request's last message contains, else the explanation-and-code default.
/// Markers are the user's instructions, which reach the prompt verbatim.
const LLM_ANSWERS: [(&str, &str); 2] =
    [("use a tuple instead", "```python\nreturn sum((a, b))\n```\n"), ("use sum() over a list", "```python\nreturn sum([a, b])\n```\n")];
const LLM_DEFAULT_ANSWER: &str = "`add` returns the sum of its two arguments.\n\n```python\nreturn a + b\n```\n";

/// An OpenAI-compatible provider on 127.0.0.1 for the editor tests: it
/// answers each `POST /chat/completions` whole or streamed (SSE), as the
/// request's `stream` asks, and keeps the requests for the test to check.
struct ScriptedProvider {
    base_url: String,
    requests: std::sync::Arc<std::sync::Mutex<Vec<(String, serde_json::Value)>>>,
}

impl ScriptedProvider {
    fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1");
        let base_url = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let seen = seen.clone();
                std::thread::spawn(move || {
                    if let Err(error) = answer(stream, &seen) {
                        eprintln!("scripted provider: {error}");
                    }
                });
            }
        });
        Self { base_url, requests }
    }

    fn requests(&self) -> Vec<(String, serde_json::Value)> {
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Reads one HTTP/1.1 request and answers it (`Connection: close`).
fn answer(stream: std::net::TcpStream, seen: &std::sync::Mutex<Vec<(String, serde_json::Value)>>) -> std::io::Result<()> {
    use std::io::{BufRead, BufReader, Read, Write};
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or_default().to_owned();
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let request: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    seen.lock().unwrap_or_else(|e| e.into_inner()).push((path.clone(), request.clone()));
    let mut out = stream;
    if !path.ends_with("/chat/completions") {
        return answer_fill_in_the_middle(&mut out, &request);
    }
    let last = request["messages"].as_array().and_then(|m| m.last()).and_then(|m| m["content"].as_str()).unwrap_or_default();
    let text = LLM_ANSWERS.iter().find(|(marker, _)| last.contains(marker)).map_or(LLM_DEFAULT_ANSWER, |(_, text)| text);
    if request["stream"] == true {
        let chunk = serde_json::json!({"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": null}]});
        let usage = serde_json::json!({"choices": [], "usage": {"prompt_tokens": 100, "completion_tokens": 20}});
        let events = format!("data: {chunk}\n\ndata: {usage}\n\ndata: [DONE]\n\n");
        write!(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{events}", events.len())?;
    } else {
        let body = serde_json::json!({
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20},
        })
        .to_string();
        write!(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())?;
    }
    out.flush()
}

/// What the scripted provider fills in the middle with.
const FIM_ANSWER: &str = "total()";

/// An OpenAI-compatible `/completions` answer, whole or streamed.
fn answer_fill_in_the_middle(out: &mut std::net::TcpStream, request: &serde_json::Value) -> std::io::Result<()> {
    use std::io::Write;
    let choice = serde_json::json!({"choices": [{"index": 0, "text": FIM_ANSWER, "finish_reason": "stop"}]});
    let (kind, body) =
        if request["stream"] == true { ("text/event-stream", format!("data: {choice}\n\ndata: [DONE]\n\n")) } else { ("application/json", choice.to_string()) };
    write!(out, "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len())?;
    out.flush()
}

/// Ghost text from `textDocument/inlineCompletion` in the plugin's own
/// extmark UI: shown at the cursor, accepted by word and whole; the model
/// is given the graph's context (the receiver's class) ahead of the prefix.
#[test]
fn inline_completion_shows_ghost_text_and_accepts_it_by_word_and_whole() {
    let provider = ScriptedProvider::start();
    check_scenario_with_env(
        "inline",
        &[("PYLOOM_LLM_URL", &provider.base_url)],
        expect![[r#"
            ok the server offers inline completion and indexes the workspace
            ok a suggestion at the cursor shows as ghost text where it would go
            ok accepting a word inserts it and keeps the rest shown
            ok accepting the rest completes the line and clears the ghost text
            ok moving away dismisses a suggestion
            server exited with 0
        "#]],
    );
    let requests = provider.requests();
    assert!(!requests.is_empty(), "the provider was asked");
    for (path, body) in &requests {
        assert!(path.ends_with("/completions"), "{path}");
        assert_eq!(body["model"], "qwen2.5-coder:1.5b");
    }
    assert!(
        requests.iter().any(|(_, body)| body.to_string().contains("def total(self) -> int")),
        "the receiver's class from the graph is in the prompt: {requests:?}"
    );
}

/// Runs once the LLM code actions (#7) are in: the scripted provider's
/// answers reach the buffer through `workspace/applyEdit`, and the
/// explanation opens in a float.
#[test]
fn llm_actions_edit_the_buffer_and_explain_in_a_float() {
    let provider = ScriptedProvider::start();
    check_scenario_with_env(
        "llm",
        &[("PYLOOM_LLM_URL", &provider.base_url)],
        expect![[r#"
            ok the server provides the LLM commands the plugin calls
            ok :PyloomImplement fills in the stub at the cursor through workspace/applyEdit
            ok :PyloomRefactor asks for the instruction and rewrites the selected lines
            ok :PyloomAdjust asks for the instruction and reworks the last generated edit
            ok :PyloomExplain shows the explanation's markdown in a floating window
            ok :PyloomRefactor "rename it to plus" renames the function and every caller in one annotated edit
            server exited with 0
        "#]],
    );
    let requests = provider.requests();
    assert!(requests.len() >= 4, "one provider request per action at least: {requests:?}");
    for (path, body) in &requests {
        assert_eq!(path, "/chat/completions");
        assert_eq!(body["model"], "scripted");
    }
    assert!(requests.iter().any(|(_, body)| body.to_string().contains("use sum() over a list")), "the refactoring instruction reaches the model");
    assert!(requests.iter().any(|(_, body)| body.to_string().contains("use a tuple instead")), "the adjusting instruction reaches the model");
}

#[test]
fn a_folder_without_root_markers_is_rooted_at_the_files_folder() {
    check_scenario(
        "rootless",
        expect![[r#"
            ok the 0.11 path roots a folder without markers at the file's folder
            ok the server indexes the folder
            ok hover on an imported function shows the graph's explanation
            ok go to definition jumps to the other file of the folder
            server exited with 0
        "#]],
    );
}
