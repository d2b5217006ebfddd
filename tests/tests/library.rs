//! The standard library and installed packages over stdio, as an editor
//! sees them: a real virtualenv made by `python3 -m venv`, with a typed
//! package installed in its site-packages (its `py.typed` and
//! `dist-info`), found through `$VIRTUAL_ENV`. Hover, definition,
//! completion after a dot, signature help, and the diagnostics of a call
//! the installed version does not accept; a package installed while the
//! server runs.

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
    let site = site_packages(&venv);
    install(&site, "acme", "1.2.0", &[("__init__.py", "from .api import Client, fetch\n"), ("api.py", API), ("py.typed", "")]);
    let root = dir.path().join("my app");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(root.join("app.py"), APP).unwrap();
    (dir, root, venv)
}

/// What pip leaves in `site`: the package's files and its `dist-info`.
fn install(site: &Path, name: &str, version: &str, files: &[(&str, &str)]) {
    for (file, text) in files {
        let path = site.join(name).join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let info = site.join(format!("{name}-{version}.dist-info"));
    std::fs::create_dir_all(&info).unwrap();
    std::fs::write(info.join("METADATA"), format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")).unwrap();
}

fn site_packages(venv: &Path) -> PathBuf {
    let lib = std::fs::read_dir(venv.join("lib")).unwrap().flatten().find(|e| e.file_name().to_string_lossy().starts_with("python")).unwrap();
    lib.path().join("site-packages")
}

fn server(dir: &Path, root: &Path, venv: &Path) -> LspClient {
    server_with(dir, root, venv, json!({}))
}

fn server_with(dir: &Path, root: &Path, venv: &Path, capabilities: Value) -> LspClient {
    let cache = dir.join("cache");
    let env = [("PYLOOM_CACHE_DIR", cache.to_str().unwrap()), ("VIRTUAL_ENV", venv.to_str().unwrap())];
    let mut client = LspClient::spawn_in(None, &env).unwrap();
    let uri = file_uri(root);
    let params = json!({"processId": std::process::id(), "capabilities": capabilities, "rootUri": uri, "workspaceFolders": [{"uri": uri, "name": "app"}]});
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
    // The environment in use, for the VS Code status item.
    let environment = client.notification("pyloom/environment", |_| true).unwrap();
    let label = environment["label"].as_str().unwrap();
    assert!(label.starts_with("Python 3.") && label.ends_with(" (the env)"), "{environment}");
    assert!(environment["description"].as_str().unwrap().contains("found by $VIRTUAL_ENV"), "{environment}");

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

#[test]
fn a_package_installed_while_the_server_runs_is_seen_through_watched_files() {
    let (dir, root, venv) = environment();
    let capabilities = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true, "relativePatternSupport": true}}});
    let mut client = server_with(dir.path(), &root, &venv, capabilities);
    let code = "import shiny\nshiny.polish(1)\n";
    let uses = file_uri(&root.join("uses.py"));
    client.open(&uses, code).unwrap();
    let hover = client.request("textDocument/hover", at(&uses, 1, 8)).unwrap();
    assert!(!hover.to_string().contains("def polish"), "{hover}");

    // The server asked to watch the top of the environment's site-packages.
    let site = site_packages(&venv);
    let is_environment = |m: &Value| m["method"] == "client/registerCapability" && m["params"]["registrations"][0]["id"] == "pyloom/watched-environment";
    let registration = match client.server_requests.iter().find(|m| is_environment(m)) {
        Some(found) => found.clone(),
        None => client.wait_for("the environment's watchers", is_environment).unwrap(),
    };
    let watchers = registration["params"]["registrations"][0]["registerOptions"]["watchers"].as_array().unwrap().clone();
    let site_uri = format!("{}/", file_uri(&site));
    assert!(watchers.iter().any(|w| w["globPattern"]["baseUri"] == site_uri.as_str() && w["globPattern"]["pattern"] == "*"), "{watchers:?}");

    // pip installs `shiny`; the editor tells of the folders it made.
    install_shiny_and_hover(&mut client, &site, &uses, true);
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_package_installed_into_the_workspaces_venv_is_seen_by_a_client_that_watches_no_files() {
    let (dir, root, _) = environment();
    // The common set-up: the virtualenv is the project's `.venv`.
    let venv = root.join(".venv");
    let made = Command::new("python3").args(["-m", "venv", "--without-pip"]).arg(&venv).status().expect("python3 runs");
    assert!(made.success(), "python3 -m venv failed");
    let mut client = server(dir.path(), &root, &venv);
    let uses = file_uri(&root.join("uses.py"));
    client.open(&uses, "import shiny\nshiny.polish(1)\n").unwrap();
    let site = site_packages(&venv);
    install_shiny_and_hover(&mut client, &site, &uses, false);
    // Its file, opened after go to definition, is library code: no
    // workspace module with callers.
    let installed = file_uri(&site.join("shiny/__init__.py"));
    client.open(&installed, &std::fs::read_to_string(site.join("shiny/__init__.py")).unwrap()).unwrap();
    let hover = client.request("textDocument/hover", at(&installed, 0, 5)).unwrap();
    assert!(!hover.to_string().contains("caller") && !hover.to_string().contains(".venv."), "{hover}");
    assert!(client.shutdown().unwrap().success());
}

/// Installs `shiny` into `site` (telling the server when `notify`), waits
/// for the server to load the environment again, and hovers its function.
fn install_shiny_and_hover(client: &mut LspClient, site: &Path, uses: &str, notify: bool) {
    install(site, "shiny", "0.3.1", &[("__init__.py", "def polish(level: int) -> str:\n    \"\"\"Polishes.\"\"\"\n    return ''\n")]);
    if notify {
        let created = |name: &str| json!({"uri": file_uri(&site.join(name)), "type": 1});
        client.notify("workspace/didChangeWatchedFiles", json!({"changes": [created("shiny"), created("shiny-0.3.1.dist-info")]})).unwrap();
    }
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: environment reloaded"))).unwrap();
    let hover = client.request("textDocument/hover", at(uses, 1, 8)).unwrap();
    let text = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(text.contains("def polish(level: int) -> str") && text.contains("From `shiny` 0.3.1"), "{hover}");
}
