//! The standard library and installed packages over stdio, as an editor
//! sees them: a real virtualenv made by `python3 -m venv`, with a typed
//! package installed in its site-packages (its `py.typed` and
//! `dist-info`), found through `$VIRTUAL_ENV`. Hover, definition,
//! completion after a dot, signature help, and the diagnostics of a call
//! the installed version does not accept.

use std::path::{Path, PathBuf};
use std::process::Command;

use pyloom_e2e::{LspClient, file_uri};
use serde_json::{Value, json};

const API: &str = r#""""The acme client."""


class Client:
    """A connection to acme."""

    def __init__(self, base: str) -> None:
        self.base = base

    def send(self, path: str, *, retries: int = 3) -> bytes:
        """Sends a request."""
        return b""


def fetch(url: str, *, timeout: float = 10.0) -> bytes:
    """Fetches a URL from acme.

    Longer text."""
    return Client(url).send("/")
"#;

const APP: &str = "import os
import acme
from acme.api import Client

data = acme.fetch('u', timout=5)
client = Client('b')
client.send('p')
os.path.join('a', 'b')
acme.fetch('x', )
";

/// A workspace (a folder with a space in its name) and a virtualenv
/// beside it with `acme` 1.2.0 installed.
fn environment() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let venv = dir.path().join("the env");
    let made = Command::new("python3").args(["-m", "venv", "--without-pip"]).arg(&venv).status().expect("python3 runs");
    assert!(made.success(), "python3 -m venv failed");
    let lib = std::fs::read_dir(venv.join("lib")).unwrap().flatten().find(|e| e.file_name().to_string_lossy().starts_with("python")).unwrap();
    let site = lib.path().join("site-packages");
    std::fs::create_dir_all(site.join("acme")).unwrap();
    std::fs::write(site.join("acme/__init__.py"), "from .api import Client, fetch\n").unwrap();
    std::fs::write(site.join("acme/api.py"), API).unwrap();
    std::fs::write(site.join("acme/py.typed"), "").unwrap();
    std::fs::create_dir_all(site.join("acme-1.2.0.dist-info")).unwrap();
    std::fs::write(site.join("acme-1.2.0.dist-info/METADATA"), "Metadata-Version: 2.1\nName: acme\nVersion: 1.2.0\n").unwrap();
    let root = dir.path().join("my app");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("app.py"), APP).unwrap();
    (dir, root, venv)
}

fn server(dir: &Path, root: &Path, venv: &Path) -> LspClient {
    let cache = dir.join("cache");
    let env = [("PYLOOM_CACHE_DIR", cache.to_str().unwrap()), ("VIRTUAL_ENV", venv.to_str().unwrap())];
    let mut client = LspClient::spawn_in(None, &env).unwrap();
    let uri = file_uri(root);
    let params = json!({"processId": std::process::id(), "capabilities": {}, "rootUri": uri, "workspaceFolders": [{"uri": uri, "name": "app"}]});
    client.request("initialize", params).unwrap();
    client.notify("initialized", json!({})).unwrap();
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();
    client
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

#[test]
fn library_code_gets_hover_definition_completion_signature_help_and_checks() {
    let (dir, root, venv) = environment();
    let mut client = server(dir.path(), &root, &venv);
    let app = file_uri(&root.join("app.py"));
    client.open(&app, APP).unwrap();

    // The call the installed version does not accept, with the fix named.
    let diagnostics = client.diagnostics(&app).unwrap();
    let messages: Vec<&str> = diagnostics.iter().filter_map(|d| d["message"].as_str()).collect();
    assert!(messages.contains(&"`fetch` has no parameter `timout`; did you mean `timeout`?"), "{messages:?}");
    assert_eq!(messages.iter().filter(|m| m.contains("LOOM") || m.contains("has no")).count(), 1, "{messages:?}");

    let hover = client.request("textDocument/hover", at(&app, 4, 13)).unwrap();
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("def fetch(url: str, *, timeout: float = 10.0) -> bytes"), "{text}");
    assert!(text.contains("Fetches a URL from acme.") && !text.contains("Longer text."), "{text}");
    assert!(text.contains("From `acme` 1.2.0 (`acme.api`)."), "{text}");

    let definition = client.request("textDocument/definition", at(&app, 4, 13)).unwrap();
    assert!(definition["uri"].as_str().unwrap().ends_with("/site-packages/acme/api.py"), "{definition}");
    assert_eq!(definition["range"]["start"], json!({"line": 14, "character": 4}), "{definition}");

    // The standard library, from typeshed's stubs or the interpreter's own sources.
    let hover = client.request("textDocument/hover", at(&app, 7, 9)).unwrap();
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("def join(") && text.contains("From the standard library (`posixpath`)."), "{text}");

    let completion = client.request("textDocument/completion", at(&app, 6, 7)).unwrap();
    let items = completion.as_array().or_else(|| completion["items"].as_array()).unwrap();
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    assert!(labels.contains(&"send") && labels.contains(&"base"), "{labels:?}");

    let help = client.request("textDocument/signatureHelp", at(&app, 8, 16)).unwrap();
    assert_eq!(help["signatures"][0]["label"], "fetch(url: str, *, timeout: float = 10.0) -> bytes", "{help}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn pyloom_environment_says_which_interpreter_and_folders_it_reads() {
    let (dir, root, venv) = environment();
    let output = std::process::Command::new(pyloom_e2e::pyloom_bin())
        .args(["environment", "."])
        .current_dir(&root)
        .env("VIRTUAL_ENV", &venv)
        .env("PYLOOM_CACHE_DIR", dir.path().join("cache"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("Python 3.") && text.contains("found by $VIRTUAL_ENV"), "{text}");
    assert!(text.lines().any(|l| l.trim().starts_with(venv.to_str().unwrap()) && l.trim().ends_with("site-packages")), "{text}");
}
