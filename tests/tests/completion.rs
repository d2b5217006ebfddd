//! Completion and signature help over stdio, as an editor asks for them:
//! buffers mid-edit (a `$0` marks the cursor), UTF-16 positions, a
//! workspace folder with a space in its name and no project files.

use std::path::Path;

use pyloom_e2e::{LspClient, file_uri};
use serde_json::{Value, json};
use tempfile::TempDir;

/// A workspace written for one test, in a folder whose name has a space,
/// removed when dropped.
fn workspace(test: &str) -> TempDir {
    let root = tempfile::Builder::new().prefix(&format!("pyloom completion {test} ")).tempdir().unwrap();
    let files = [
        ("shop/__init__.py", "\"\"\"The shop.\"\"\"\n\nfrom .models import Item\n"),
        (
            "shop/models.py",
            "class Item:\n    \"\"\"An item with a price in cents.\"\"\"\n\n    def __init__(self, name: str, cents: int, quantity: int = 1) -> None:\n        self.name = name\n\n    def price(self) -> int:\n        return 0\n",
        ),
        ("shop/pricing.py", "def total(items, shipping: int = 0) -> int:\n    \"\"\"Sum plus shipping.\"\"\"\n    return 0\n"),
        ("app.py", "import shop\n"),
    ];
    for (path, text) in files {
        let path = root.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    root
}

/// A server on `root` whose client resolves `properties` of completion items.
fn indexed_server(root: &Path, properties: &[&str]) -> LspClient {
    let cache = root.join(".cache");
    let mut client = LspClient::spawn_with_env(&[("PYLOOM_CACHE_DIR", cache.to_str().unwrap())]).unwrap();
    client
        .request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": file_uri(root),
                "capabilities": {"textDocument": {"completion": {"completionItem": {"resolveSupport": {"properties": properties}}}}},
            }),
        )
        .unwrap();
    client.notify("initialized", json!({})).unwrap();
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();
    client
}

/// Sets the buffer `uri` to `text` without its `$0` marker (opening it at
/// version 1, changing it after) and returns the marker's position.
fn edit(client: &mut LspClient, uri: &str, version: i64, text: &str) -> Value {
    let at = text.find("$0").expect("a $0 marker");
    let before = &text[..at];
    let line = before.matches('\n').count();
    let character: usize = before.rsplit('\n').next().unwrap().encode_utf16().count();
    let text = text.replacen("$0", "", 1);
    if version == 1 {
        client.open(uri, &text).unwrap();
    } else {
        client.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})).unwrap();
    }
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

fn labels(list: &Value) -> Vec<String> {
    list["items"].as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap().to_owned()).collect()
}

fn item<'a>(list: &'a Value, label: &str) -> &'a Value {
    list["items"].as_array().unwrap().iter().find(|i| i["label"] == label).unwrap_or_else(|| panic!("no {label} in {list}"))
}

#[test]
fn completes_members_modules_imports_and_arguments_in_buffers_that_do_not_parse() {
    let dir = workspace("kinds");
    let root = dir.path();
    let mut client = indexed_server(&root, &["documentation"]);
    let uri = file_uri(&root.join("app.py"));

    // `shop.` at the end of a line: a syntax error, members still come.
    let position = edit(&mut client, &uri, 1, "import shop\n\n\ndef f():\n    shop.$0\n    return 1\n");
    let list = client
        .request(
            "textDocument/completion",
            json!({"textDocument": position["textDocument"], "position": position["position"], "context": {"triggerKind": 2, "triggerCharacter": "."}}),
        )
        .unwrap();
    assert_eq!(labels(&list), ["Item", "models", "pricing"]);
    assert_eq!(item(&list, "Item")["kind"], 7, "a class");
    assert_eq!(item(&list, "models")["textEdit"]["range"], json!({"start": {"line": 4, "character": 9}, "end": {"line": 4, "character": 9}}));

    // An instance's members, from the inferred type of `item`.
    // The line parsed a moment before it became `item.` (each request
    // brings the graph up to date with the buffer).
    let clean = edit(&mut client, &uri, 2, "from shop.models import Item\n\n\ndef f():\n    item = Item('pen', 3)\n    $0\n");
    client.request("textDocument/completion", clean).unwrap();
    let position = edit(&mut client, &uri, 3, "from shop.models import Item\n\n\ndef f():\n    item = Item('pen', 3)\n    item.$0\n");
    let members = client.request("textDocument/completion", position).unwrap();
    assert_eq!(labels(&members), ["name", "price", "__init__"]);

    // Resolve adds the signature and docstring.
    let resolved = client.request("completionItem/resolve", item(&list, "Item").clone()).unwrap();
    assert_eq!(resolved["documentation"]["value"], "```python\nclass Item\n```\n\nAn item with a price in cents.");

    // Module names after `import ` (a space triggers), names after `from m import `.
    let position = edit(&mut client, &uri, 4, "import $0\n");
    let list = client
        .request(
            "textDocument/completion",
            json!({"textDocument": position["textDocument"], "position": position["position"], "context": {"triggerKind": 2, "triggerCharacter": " "}}),
        )
        .unwrap();
    // The workspace's modules first, then the environment's (the standard library at least).
    let names = labels(&list);
    assert_eq!(names[..2], ["app", "shop"]);
    assert!(names.iter().any(|n| n == "json") && !names.iter().any(|n| n == "__init__"), "{names:?}");
    let position = edit(&mut client, &uri, 5, "x = $0\n");
    let list = client
        .request(
            "textDocument/completion",
            json!({"textDocument": position["textDocument"], "position": position["position"], "context": {"triggerKind": 2, "triggerCharacter": " "}}),
        )
        .unwrap();
    assert_eq!(labels(&list), Vec::<String>::new(), "a space completes only imports");
    let position = edit(&mut client, &uri, 6, "from shop.pricing import $0\n");
    let list = client.request("textDocument/completion", position).unwrap();
    assert_eq!(labels(&list), ["total"]);

    // Keyword arguments of the constructor, first; `é` counts as one UTF-16 unit.
    let position = edit(&mut client, &uri, 7, "from shop.models import Item\nItem('café', 3, qu$0)\n");
    let list = client.request("textDocument/completion", position).unwrap();
    assert_eq!(labels(&list)[0], "quantity=");
    assert_eq!(item(&list, "quantity=")["textEdit"]["range"]["start"], json!({"line": 1, "character": 16}));
    assert!(client.shutdown().unwrap().success());
}

/// What parses in a broken buffer is known at once: a binding pasted
/// together with the `.` after it, into a file that parsed a moment before,
/// and a function typed while another line has an unclosed bracket.
#[test]
fn names_pasted_with_a_syntax_error_complete_and_hover_at_once() {
    let dir = workspace("pasted");
    let root = dir.path();
    let mut client = indexed_server(&root, &[]);
    let uri = file_uri(&root.join("app.py"));
    edit(
        &mut client,
        &uri,
        1,
        "from shop.models import Item
$0
",
    );
    let position = edit(
        &mut client,
        &uri,
        2,
        "from shop.models import Item
item = Item('pen', 3)
item.$0
",
    );
    let members = client.request("textDocument/completion", position).unwrap();
    assert_eq!(labels(&members), ["name", "price", "__init__"]);

    let position = edit(
        &mut client,
        &uri,
        3,
        "from shop.models import Item
items = [Item('pen', 3),

def cheapest(limit):
    return limit

cheap$0est(2)
",
    );
    let hover = client.request("textDocument/hover", position).unwrap();
    assert!(hover["contents"]["value"].as_str().is_some_and(|h| h.contains("def cheapest(limit)")), "{hover}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn auto_import_adds_the_import_where_isort_wants_it() {
    let dir = workspace("auto import");
    let root = dir.path();
    std::fs::write(root.join("ruff.toml"), "[lint.isort]\nforce-single-line = true\n").unwrap();
    let mut client = indexed_server(&root, &["documentation"]);
    let uri = file_uri(&root.join("app.py"));
    let position = edit(&mut client, &uri, 1, "\"\"\"App.\"\"\"\n\nimport os\n\nfrom shop.models import Item\n\n\ndef f():\n    return to$0\n");
    let list = client.request("textDocument/completion", position).unwrap();
    let total = item(&list, "total");
    assert_eq!(total["detail"], "from shop.pricing import total");
    assert_eq!(
        total["additionalTextEdits"],
        json!([{"range": {"start": {"line": 5, "character": 0}, "end": {"line": 5, "character": 0}}, "newText": "from shop.pricing import total\n"}])
    );
    assert_eq!(list["isIncomplete"], false);

    // An unsorted header: no auto-import (its fix would reorder the user's lines).
    let position = edit(&mut client, &uri, 2, "import sys\nimport os\n\n\ndef f():\n    return to$0\n");
    let list = client.request("textDocument/completion", position).unwrap();
    assert!(!labels(&list).contains(&"total".to_owned()), "{list}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn auto_import_edits_wait_for_resolve_when_the_client_resolves_them() {
    let dir = workspace("lazy import");
    let root = dir.path();
    let mut client = indexed_server(&root, &["documentation", "additionalTextEdits"]);
    let uri = file_uri(&root.join("app.py"));
    let position = edit(&mut client, &uri, 1, "import os\n\n\ndef f():\n    return to$0\n");
    let list = client.request("textDocument/completion", position).unwrap();
    let total = item(&list, "total").clone();
    assert_eq!(total.get("additionalTextEdits"), None);
    let resolved = client.request("completionItem/resolve", total).unwrap();
    assert_eq!(resolved["documentation"]["value"], "```python\ndef total(items, shipping: int = 0) -> int\n```\n\nSum plus shipping.");
    assert_eq!(
        resolved["additionalTextEdits"],
        json!([{"range": {"start": {"line": 2, "character": 0}, "end": {"line": 2, "character": 0}}, "newText": "from shop.pricing import total\n\n"}])
    );
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn signature_help_follows_the_arguments() {
    let dir = workspace("signature");
    let root = dir.path();
    let mut client = indexed_server(&root, &["documentation"]);
    let uri = file_uri(&root.join("app.py"));
    let position = edit(&mut client, &uri, 1, "from shop.models import Item\nItem('pen', $0)\n");
    let help = client.request("textDocument/signatureHelp", position).unwrap();
    let signature = &help["signatures"][0];
    assert_eq!(signature["label"], "Item(name: str, cents: int, quantity: int = 1) -> None");
    assert_eq!(signature["parameters"][1]["label"], json!([16, 26]));
    assert_eq!(help["activeParameter"], 1);

    let position = edit(&mut client, &uri, 2, "from shop.models import Item\nItem('pen', quantity=2$0)\n");
    let help = client.request("textDocument/signatureHelp", position).unwrap();
    assert_eq!(help["activeParameter"], 2);

    let position = edit(&mut client, &uri, 3, "x = [1, $0\n");
    let help = client.request("textDocument/signatureHelp", position).unwrap();
    assert_eq!(help, Value::Null);
    assert!(client.shutdown().unwrap().success());
}
