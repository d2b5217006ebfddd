//! `workspace/willRenameFiles` over stdio for what a plain rename does
//! not cover: a module moved into a new folder of a regular package (the
//! folder's `__init__.py` created in the same edit, when the client can),
//! several files moved at once (one edit, or a refusal said aloud), and
//! a config file naming the module by its dotted path (refused aloud).

use pyloom_e2e::{LspClient, file_uri};
use serde_json::{Value, json};

/// `app/` a regular package with `a.py` importing `b.py`, `main.py` importing `a`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    std::fs::create_dir_all(root.join("app/sub")).unwrap();
    std::fs::write(root.join("app/__init__.py"), "").unwrap();
    std::fs::write(root.join("app/sub/__init__.py"), "").unwrap();
    std::fs::write(root.join("app/a.py"), "from . import b\nfrom .b import VAL\n\n\ndef go():\n    return b.VAL + VAL\n").unwrap();
    std::fs::write(root.join("app/b.py"), "VAL = 1\n").unwrap();
    std::fs::write(root.join("main.py"), "from app.a import go\nprint(go())\n").unwrap();
    dir
}

/// The server on `dir`'s workspace with these client capabilities, indexed.
fn indexed(dir: &tempfile::TempDir, capabilities: Value) -> LspClient {
    let cache = dir.path().join("cache");
    let mut client = LspClient::spawn_in(None, &[("PYLOOM_CACHE_DIR", cache.to_str().unwrap())]).unwrap();
    let root = file_uri(&dir.path().join("ws"));
    let params = json!({"processId": std::process::id(), "capabilities": capabilities, "rootUri": root, "workspaceFolders": [{"uri": root, "name": "ws"}]});
    client.request("initialize", params).unwrap();
    client.notify("initialized", json!({})).unwrap();
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();
    client
}

fn creates_files() -> Value {
    json!({"workspace": {"workspaceEdit": {"documentChanges": true, "resourceOperations": ["create", "rename", "delete"]}}})
}

fn renames(dir: &tempfile::TempDir, pairs: &[(&str, &str)]) -> Value {
    let uri = |path: &str| file_uri(&dir.path().join("ws").join(path));
    json!({"files": pairs.iter().map(|(old, new)| json!({"oldUri": uri(old), "newUri": uri(new)})).collect::<Vec<_>>()})
}

/// The new texts of the edits of the file at `path` in the edit's `changes`.
fn new_texts(edit: &Value, path: &str) -> Vec<String> {
    let changes = edit["changes"].as_object().unwrap_or_else(|| panic!("no changes: {edit}"));
    let (_, edits) = changes.iter().find(|(uri, _)| uri.ends_with(path)).unwrap_or_else(|| panic!("{path} not edited: {edit}"));
    edits.as_array().unwrap().iter().map(|e| e["newText"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn a_module_moved_into_a_new_folder_of_a_regular_package_creates_its_init_in_the_same_edit() {
    let dir = workspace();
    let mut client = indexed(&dir, creates_files());
    let edit = client.request("workspace/willRenameFiles", renames(&dir, &[("app/b.py", "app/deep/b.py")])).unwrap();
    let operations = edit["documentChanges"].as_array().unwrap_or_else(|| panic!("{edit}"));
    assert_eq!(operations[0]["kind"], "create", "{edit}");
    assert!(operations[0]["uri"].as_str().unwrap().ends_with("/ws/app/deep/__init__.py"), "{edit}");
    assert_eq!(operations[0]["options"], json!({"overwrite": false, "ignoreIfExists": false}));
    let edited: Vec<&str> = operations[1..].iter().map(|o| o["textDocument"]["uri"].as_str().unwrap()).collect();
    assert!(edited.len() == 1 && edited[0].ends_with("/ws/app/a.py"), "{edit}");
    let texts: Vec<&str> = operations[1]["edits"].as_array().unwrap().iter().map(|e| e["newText"].as_str().unwrap()).collect();
    assert_eq!(texts, [".deep", ".deep.b"], "{edit}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn without_file_creation_in_the_client_that_move_is_refused_aloud_and_a_namespace_folder_needs_none() {
    let dir = workspace();
    let mut client = indexed(&dir, json!({}));
    let edit = client.request("workspace/willRenameFiles", renames(&dir, &[("app/b.py", "app/deep/b.py")])).unwrap();
    assert_eq!(edit, Value::Null);
    let shown = client.notification("window/showMessage", |p| p["type"] == 2).unwrap();
    let message = shown["message"].as_str().unwrap();
    assert!(message.contains("app/deep/__init__.py created") && message.contains("create it first"), "{message}");
    // Must not: into a folder that exists, a plain edit.
    let edit = client.request("workspace/willRenameFiles", renames(&dir, &[("app/b.py", "app/sub/b.py")])).unwrap();
    assert_eq!(new_texts(&edit, "/ws/app/a.py"), [".sub", ".sub.b"]);
    assert!(client.shutdown().unwrap().success());
    // Must not: beside a namespace package (no `__init__.py` above), nothing to create.
    let dir = workspace();
    std::fs::remove_file(dir.path().join("ws/app/__init__.py")).unwrap();
    let mut client = indexed(&dir, creates_files());
    let edit = client.request("workspace/willRenameFiles", renames(&dir, &[("app/b.py", "app/deep/b.py")])).unwrap();
    assert!(edit["documentChanges"].is_null() && edit["changes"].is_object(), "{edit}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn files_moved_together_are_answered_with_one_edit_or_a_refusal_said_aloud() {
    let dir = workspace();
    let mut client = indexed(&dir, json!({}));
    let both = [("app/a.py", "app/sub/a.py"), ("app/b.py", "app/sub/b.py")];
    let edit = client.request("workspace/willRenameFiles", renames(&dir, &both)).unwrap();
    // `a` still reaches `b` beside it: only `main.py` changes.
    assert_eq!(edit["changes"].as_object().map(|c| c.len()), Some(1), "{edit}");
    assert_eq!(new_texts(&edit, "/ws/main.py"), ["sub."]);
    // One of them refused (it reads a file beside itself): none, and why.
    std::fs::write(dir.path().join("ws/app/b.py"), "import os\n\nVAL = os.path.dirname(__file__)\n").unwrap();
    let b = file_uri(&dir.path().join("ws/app/b.py"));
    client.open(&b, "import os\n\nVAL = os.path.dirname(__file__)\n").unwrap();
    let edit = client.request("workspace/willRenameFiles", renames(&dir, &both)).unwrap();
    assert_eq!(edit, Value::Null);
    let shown = client.notification("window/showMessage", |p| p["type"] == 2).unwrap();
    let message = shown["message"].as_str().unwrap();
    assert!(message.starts_with("pyloom did not update the imports of the 2 moved files: `__file__` at app/b.py:3"), "{message}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn an_ignored_module_open_in_the_editor_is_refused_as_rename_module_refuses_it() {
    // `app/_version.py` is generated (hatch-vcs writes it again under this name) and `.gitignore`d.
    let dir = workspace();
    let ws = dir.path().join("ws");
    std::fs::write(ws.join(".gitignore"), "/app/_version.py\n").unwrap();
    std::fs::write(ws.join("app/_version.py"), "__version__ = \"1.0\"\n").unwrap();
    std::fs::write(ws.join("app/__init__.py"), "from ._version import __version__\n").unwrap();
    let mut client = indexed(&dir, json!({}));
    // Open, it enters the graph; it is still no module of the workspace.
    client.open(&file_uri(&ws.join("app/_version.py")), "__version__ = \"1.0\"\n").unwrap();
    let edit = client.request("workspace/willRenameFiles", renames(&dir, &[("app/_version.py", "app/_ver.py")])).unwrap();
    assert_eq!(edit, Value::Null);
    let shown = client.notification("window/showMessage", |p| p["type"] == 2).unwrap();
    let message = shown["message"].as_str().unwrap();
    assert!(message.ends_with("app/_version.py is left out of the workspace (ignored by .gitignore or excluded by `index.exclude`): pyloom does not index it nor know its importers; move it by hand"), "{message}");
    assert!(client.shutdown().unwrap().success());
    // Must not: the same file not ignored is moved with its importer.
    std::fs::remove_file(ws.join(".gitignore")).unwrap();
    let mut client = indexed(&dir, json!({}));
    client.open(&file_uri(&ws.join("app/_version.py")), "__version__ = \"1.0\"\n").unwrap();
    let edit = client.request("workspace/willRenameFiles", renames(&dir, &[("app/_version.py", "app/_ver.py")])).unwrap();
    assert_eq!(new_texts(&edit, "/ws/app/__init__.py"), ["._ver"]);
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_config_file_naming_the_module_by_its_dotted_path_refuses_the_move_aloud() {
    let dir = workspace();
    let conf = dir.path().join("ws/conf/app.yaml");
    std::fs::create_dir_all(conf.parent().unwrap()).unwrap();
    std::fs::write(&conf, "model:\n  _target_: app.b.VAL\n").unwrap();
    let mut client = indexed(&dir, json!({}));
    let edit = client.request("workspace/willRenameFiles", renames(&dir, &[("app/b.py", "app/c.py")])).unwrap();
    assert_eq!(edit, Value::Null);
    let shown = client.notification("window/showMessage", |p| p["type"] == 2).unwrap();
    let message = shown["message"].as_str().unwrap();
    assert!(message.ends_with("conf/app.yaml:2 names `app.b` in `_target_: app.b.VAL`, a config value no edit of the move follows: after the move that path would no longer import; edit it by hand, then move; the move is refused"), "{message}");
    assert!(client.shutdown().unwrap().success());
    // Must not: the config names another module, and prose names this one.
    std::fs::write(&conf, "model:\n  _target_: app.bb.VAL\n").unwrap();
    std::fs::write(dir.path().join("ws/README.md"), "Set `_target_: app.b.VAL`.\n").unwrap();
    let mut client = indexed(&dir, json!({}));
    let edit = client.request("workspace/willRenameFiles", renames(&dir, &[("app/b.py", "app/c.py")])).unwrap();
    assert!(!new_texts(&edit, "/ws/app/a.py").is_empty(), "{edit}");
    assert!(client.shutdown().unwrap().success());
}
