//! Editing features over stdio, as editors send them: rename (with
//! prepareRename), module moves (workspace/willRenameFiles), document highlight, type hierarchy, type definition and
//! implementation, inlay hints, folding
//! and selection ranges, plain-text hovers, and the workspace root the
//! server picks when the client names none.

use std::path::Path;

use pyloom_e2e::{LspClient, file_uri};
use serde_json::{Value, json};

const CART: &str = r#"__all__ = ["total", "Cart"]


class Base:
    """A base."""


class Cart(Base):
    def __init__(self, items):
        self.items = items

    def add(self, item, count):
        self.items.append(item)
        return count


def total(cart, shipping=0):
    """Sum of the items."""
    return sum(cart.items) + shipping
"#;

const MAIN: &str = "from shop.cart import Cart, total

cart = Cart([1, 2])
cart.add(3, 1)
print(total(cart, 5))
";

/// A workspace in a folder whose name has a space, without `.git` or
/// `pyproject.toml`.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("my shop");
    std::fs::create_dir_all(root.join("shop")).unwrap();
    std::fs::write(root.join("shop/__init__.py"), "").unwrap();
    std::fs::write(root.join("shop/cart.py"), CART).unwrap();
    std::fs::write(root.join("main.py"), MAIN).unwrap();
    dir
}

fn root(dir: &tempfile::TempDir) -> std::path::PathBuf {
    dir.path().join("my shop")
}

/// Starts the server in `cwd` with these initialize params (a private
/// summary cache), and waits for the index.
fn server(cwd: Option<&Path>, dir: &tempfile::TempDir, initialize: Value) -> LspClient {
    let cache = dir.path().join("cache");
    let mut client = LspClient::spawn_in(cwd, &[("PYLOOM_CACHE_DIR", cache.to_str().unwrap())]).unwrap();
    let mut params = json!({"processId": std::process::id(), "capabilities": {}});
    params.as_object_mut().unwrap().extend(initialize.as_object().unwrap().clone());
    client.request("initialize", params).unwrap();
    client.notify("initialized", json!({})).unwrap();
    client
}

fn indexed(dir: &tempfile::TempDir, extra: Value) -> LspClient {
    let uri = file_uri(&root(dir));
    let mut initialize = json!({"rootUri": uri, "workspaceFolders": [{"uri": uri, "name": "shop"}]});
    initialize.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    let mut client = server(None, dir, initialize);
    wait_indexed(&mut client);
    client
}

fn wait_indexed(client: &mut LspClient) {
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();
}

fn uri(dir: &tempfile::TempDir, path: &str) -> String {
    file_uri(&root(dir).join(path))
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

/// `line:character` of a range's start.
fn start(range: &Value) -> String {
    format!("{}:{}", range["start"]["line"], range["start"]["character"])
}

#[test]
fn rename_edits_every_reference_and_all_entries_across_files() {
    let dir = workspace();
    let mut client = indexed(&dir, json!({}));
    let main = uri(&dir, "main.py");
    let prepared = client.request("textDocument/prepareRename", at(&main, 4, 7)).unwrap();
    assert_eq!(prepared["placeholder"], "total");
    assert_eq!(start(&prepared["range"]), "4:6");

    let mut params = at(&main, 4, 7);
    params["newName"] = json!("grand_total");
    let edit = client.request("textDocument/rename", params).unwrap();
    let changes = edit["changes"].as_object().unwrap();
    let starts = |path: &str| -> Vec<String> {
        // Keyed by the server's URI spelling (`my%20shop`).
        let (_, edits) = changes.iter().find(|(uri, _)| uri.ends_with(&format!("/{path}"))).unwrap();
        let mut s: Vec<String> = edits.as_array().unwrap().iter().map(|e| start(&e["range"])).collect();
        s.sort();
        s
    };
    assert_eq!(changes.len(), 2, "{edit}");
    // `__all__` entry, definition.
    assert_eq!(starts("shop/cart.py"), ["0:12", "16:4"]);
    // Import, call.
    assert_eq!(starts("main.py"), ["0:28", "4:6"]);
    assert!(changes.values().flat_map(|e| e.as_array().unwrap()).all(|e| e["newText"] == "grand_total"));
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn prepare_rename_refuses_in_a_file_with_a_syntax_error_as_rename_does() {
    let dir = workspace();
    std::fs::write(root(&dir).join("broken.py"), "def f(:\n    pass\ntotal = 1\nprint(total)\n").unwrap();
    let mut client = indexed(&dir, json!({}));
    let error = client.request("textDocument/prepareRename", at(&uri(&dir, "broken.py"), 2, 1)).unwrap_err().to_string();
    assert!(error.contains("broken.py:1 has syntax errors; fix them before renaming") && error.contains("-32803"), "{error}");
    // Must not: a file that parses.
    let prepared = client.request("textDocument/prepareRename", at(&uri(&dir, "main.py"), 4, 7)).unwrap();
    assert_eq!(prepared["placeholder"], "total");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn rename_is_refused_with_a_reason_for_builtins_and_bad_names() {
    let dir = workspace();
    let mut client = indexed(&dir, json!({}));
    let main = uri(&dir, "main.py");
    let error = client.request("textDocument/prepareRename", at(&main, 4, 2)).unwrap_err().to_string();
    assert!(error.contains("`print` is a Python builtin") && error.contains("-32803"), "{error}");
    let mut params = at(&main, 2, 1);
    params["newName"] = json!("def");
    let error = client.request("textDocument/rename", params).unwrap_err().to_string();
    assert!(error.contains("`def` is a Python keyword"), "{error}");
    // The files are untouched (the server never writes them).
    assert_eq!(std::fs::read_to_string(root(&dir).join("main.py")).unwrap(), MAIN);
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn document_highlight_tells_writes_from_reads() {
    let dir = workspace();
    let mut client = indexed(&dir, json!({}));
    let main = uri(&dir, "main.py");
    let highlights = client.request("textDocument/documentHighlight", at(&main, 3, 1)).unwrap();
    let found: Vec<String> = highlights.as_array().unwrap().iter().map(|h| format!("{} {}", start(&h["range"]), h["kind"])).collect();
    assert_eq!(found, ["2:0 3", "3:0 2", "4:12 2"]);
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn type_hierarchy_walks_the_inheritance_edges() {
    let dir = workspace();
    let mut client = indexed(&dir, json!({}));
    let cart = uri(&dir, "shop/cart.py");
    let items = client.request("textDocument/prepareTypeHierarchy", at(&cart, 7, 7)).unwrap();
    assert_eq!(items[0]["name"], "Cart");
    let supertypes = client.request("typeHierarchy/supertypes", json!({"item": items[0]})).unwrap();
    assert_eq!(supertypes.as_array().unwrap().iter().map(|i| i["name"].clone()).collect::<Vec<_>>(), ["Base"]);
    let subtypes = client.request("typeHierarchy/subtypes", json!({"item": supertypes[0]})).unwrap();
    assert_eq!(subtypes.as_array().unwrap().iter().map(|i| i["name"].clone()).collect::<Vec<_>>(), ["Cart"]);
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn type_definition_and_implementation_follow_inference_and_inheritance() {
    let dir = workspace();
    let mut client = indexed(&dir, json!({}));
    let (main, cart) = (uri(&dir, "main.py"), uri(&dir, "shop/cart.py"));
    let place = |found: &Value| -> Vec<String> {
        found.as_array().unwrap().iter().map(|l| format!("{} {}", l["uri"].as_str().unwrap().rsplit('/').next().unwrap(), start(&l["range"]))).collect()
    };
    // `cart` in `cart.add(3, 1)` is a `Cart`, from the constructor call.
    let types = client.request("textDocument/typeDefinition", at(&main, 3, 1)).unwrap();
    assert_eq!(place(&types), ["cart.py 7:6"]);
    let implementations = client.request("textDocument/implementation", at(&cart, 3, 7)).unwrap();
    assert_eq!(place(&implementations), ["cart.py 7:6"]);
    // A function has no implementations, a class name no inferred type.
    assert_eq!(client.request("textDocument/implementation", at(&cart, 16, 5)).unwrap(), Value::Null);
    assert_eq!(client.request("textDocument/typeDefinition", at(&cart, 7, 7)).unwrap(), Value::Null);
    assert!(client.shutdown().unwrap().success());
}

fn hints(client: &mut LspClient, uri: &str) -> Vec<String> {
    let range = json!({"start": {"line": 0, "character": 0}, "end": {"line": 5, "character": 0}});
    let hints = client.request("textDocument/inlayHint", json!({"textDocument": {"uri": uri}, "range": range})).unwrap();
    hints
        .as_array()
        .unwrap()
        .iter()
        .map(|h| format!("{} {}", h["label"].as_str().unwrap(), format_args!("{}:{}", h["position"]["line"], h["position"]["character"])))
        .collect()
}

#[test]
fn inlay_hints_name_parameters_and_follow_the_settings() {
    let dir = workspace();
    let mut client = indexed(&dir, json!({}));
    let main = uri(&dir, "main.py");
    client.open(&main, MAIN).unwrap();
    // `cart` passed as `cart` needs no hint.
    assert_eq!(hints(&mut client, &main), ["items= 2:12", "item= 3:9", "count= 3:12", "shipping= 4:18"]);
    assert!(client.shutdown().unwrap().success());

    let mut client = indexed(&dir, json!({"initializationOptions": {"inlay_hints": {"parameter_names": false}}}));
    client.open(&main, MAIN).unwrap();
    assert_eq!(hints(&mut client, &main), Vec::<String>::new());
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn folding_and_selection_ranges_come_from_the_syntax_tree() {
    let dir = workspace();
    let mut client = indexed(&dir, json!({}));
    let cart = uri(&dir, "shop/cart.py");
    client.open(&cart, CART).unwrap();
    let folds = client.request("textDocument/foldingRange", json!({"textDocument": {"uri": cart}})).unwrap();
    let folds: Vec<String> = folds.as_array().unwrap().iter().map(|f| format!("{}-{}", f["startLine"], f["endLine"])).collect();
    assert!(folds.contains(&"7-13".to_owned()) && folds.contains(&"16-18".to_owned()), "{folds:?}");

    let selection =
        client.request("textDocument/selectionRange", json!({"textDocument": {"uri": cart}, "positions": [{"line": 18, "character": 16}]})).unwrap();
    let mut ranges = Vec::new();
    let mut current = &selection[0];
    while !current.is_null() {
        ranges.push(format!("{}-{}:{}", start(&current["range"]), current["range"]["end"]["line"], current["range"]["end"]["character"]));
        current = &current["parent"];
    }
    assert_eq!(ranges[..3], ["18:15-18:19", "18:15-18:25", "18:14-18:26"]);
    assert_eq!(ranges.last().unwrap(), "0:0-19:0");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn hover_is_plain_text_when_the_client_asks_for_it() {
    let dir = workspace();
    // What eglot sends without markdown-mode installed.
    let capabilities = json!({"textDocument": {"hover": {"contentFormat": ["plaintext"]}}});
    let mut client = indexed(&dir, json!({"capabilities": capabilities}));
    let hover = client.request("textDocument/hover", at(&uri(&dir, "main.py"), 4, 7)).unwrap();
    assert_eq!(hover["contents"]["kind"], "plaintext");
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("def total(cart, shipping=0)\n\nSum of the items.\n"), "{text}");
    assert!(!text.contains('`') && !text.contains("**"), "{text}");
    assert!(client.shutdown().unwrap().success());
}

/// Neovim 0.11 in a folder without root markers: `rootUri: null`, no
/// workspace folders. The server indexes its working directory.
#[test]
fn without_a_root_the_working_directory_is_the_workspace() {
    let dir = workspace();
    let mut client = server(Some(&root(&dir)), &dir, json!({"rootUri": null, "workspaceFolders": null}));
    wait_indexed(&mut client);
    let main = uri(&dir, "main.py");
    client.open(&main, MAIN).unwrap();
    let hover = client.request("textDocument/hover", at(&main, 4, 7)).unwrap();
    assert!(hover["contents"]["value"].as_str().unwrap().contains("Sum of the items."), "{hover}");
    assert!(client.shutdown().unwrap().success());
}

/// The working directory does not hold the opened file: its folder becomes
/// the workspace, and hovers answer once it is indexed.
#[test]
fn without_a_root_the_first_file_outside_the_working_directory_brings_its_folder() {
    let dir = workspace();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let mut client = server(Some(&elsewhere), &dir, json!({"rootUri": null}));
    wait_indexed(&mut client); // the (empty) working directory
    let main = uri(&dir, "main.py");
    client.open(&main, MAIN).unwrap();
    wait_indexed(&mut client); // the file's folder
    let hover = client.request("textDocument/hover", at(&main, 4, 7)).unwrap();
    assert!(hover["contents"]["value"].as_str().unwrap().contains("Sum of the items."), "{hover}");
    assert!(client.shutdown().unwrap().success());
}

/// Stand-ins for typeshed's `stdlib`, installed where `pyloom stubs
/// install` puts them (`<cache>/typeshed/stdlib`, marker last).
const STUBS: &[(&str, &str)] = &[
    ("typing.pyi", "class TypeVar:\n    def __init__(self, name: str) -> None: ...\nclass Generic: ...\ndef overload(f): ...\n"),
    (
        "_contextvars.pyi",
        "from typing import Generic, TypeVar, overload\n_T = TypeVar(\"_T\")\n_D = TypeVar(\"_D\")\nclass ContextVar(Generic[_T]):\n    @overload\n    def get(self) -> _T: ...\n    @overload\n    def get(self, default: _D, /) -> _D | _T: ...\n",
    ),
    ("contextvars.pyi", "from _contextvars import ContextVar as ContextVar\n"),
    (
        "weakref.pyi",
        "from typing import Generic, TypeVar\n_T = TypeVar(\"_T\")\nclass ReferenceType(Generic[_T]):\n    def __new__(cls, o: _T, callback=..., /) -> Self: ...\n    def __call__(self) -> _T | None: ...\nref = ReferenceType\n",
    ),
];

/// Flask's shapes: an application reached through a `ContextVar` and
/// through a weak reference to itself.
const APP: &str = r#"import weakref
from contextvars import ContextVar


class App:
    def __init__(self):
        self_ref = weakref.ref(self)
        self.view = lambda: self_ref().send_static_file()

    @property
    def name(self):
        return "app"

    def send_static_file(self):
        return self.name


class AppContext:
    def __init__(self, app: App):
        self.app = app


_cv_app: ContextVar[AppContext] = ContextVar("app_ctx")


def current_name():
    ctx = _cv_app.get(None)
    return ctx.app.name
"#;

/// The edits' starts of a rename of the name at `line:character` in app.py.
fn renamed(client: &mut LspClient, app: &str, line: u32, character: u32) -> Vec<String> {
    let mut params = at(app, line, character);
    params["newName"] = json!("renamed");
    let edit = client.request("textDocument/rename", params).unwrap();
    let changes = edit["changes"].as_object().unwrap();
    assert_eq!(changes.len(), 1, "{edit}");
    let mut starts: Vec<String> = changes.values().flat_map(|e| e.as_array().unwrap().iter().map(|e| start(&e["range"]))).collect();
    starts.sort();
    starts
}

#[test]
fn rename_follows_the_standard_librarys_generics_through_its_stubs() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root(&dir)).unwrap();
    std::fs::write(root(&dir).join("app.py"), APP).unwrap();
    let stdlib = dir.path().join("cache/typeshed/stdlib");
    std::fs::create_dir_all(&stdlib).unwrap();
    for (name, text) in STUBS {
        std::fs::write(stdlib.join(name), text).unwrap();
    }
    std::fs::write(stdlib.join(".pyloom-complete"), "test stand-ins").unwrap();
    let mut client = indexed(&dir, json!({}));
    let app = uri(&dir, "app.py");
    // `ctx.app.name`: `ctx` is the `AppContext` of `ContextVar[AppContext].get`.
    assert_eq!(renamed(&mut client, &app, 10, 9), ["10:8", "14:20", "27:19"]);
    // `self_ref().send_static_file`: `weakref.ref(self)` is a `ref[App]`.
    assert_eq!(renamed(&mut client, &app, 13, 9), ["13:8", "7:39"]);
    // The stubs' own names stay outside the workspace.
    let error = client.request("textDocument/prepareRename", at(&app, 26, 19)).unwrap_err().to_string();
    assert!(error.contains("defined outside the workspace"), "{error}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn without_the_stubs_the_server_says_so_once_and_the_standard_library_stays_opaque() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root(&dir)).unwrap();
    std::fs::write(root(&dir).join("app.py"), APP).unwrap();
    let mut client = indexed(&dir, json!({}));
    let app = uri(&dir, "app.py");
    // `ctx.app.name` cannot be typed without them: the rename is refused
    // rather than leave that read behind.
    let mut params = at(&app, 10, 9);
    params["newName"] = json!("renamed");
    let error = client.request("textDocument/rename", params).unwrap_err().to_string();
    assert!(error.contains("`.name` is used at app.py:28 on a value whose type is unknown"), "{error}");
    let (status, log) = client.shutdown_with_log().unwrap();
    assert!(status.success());
    assert_eq!(log.iter().filter(|l| l.contains("standard-library stubs not installed")).count(), 1, "{log:?}");
}

/// Semantic tokens decoded to `line:character text type [modifiers]`.
fn decoded(data: &Value, legend: &Value, text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let numbers: Vec<u64> = data.as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect();
    let (mut line, mut character) = (0, 0);
    numbers
        .chunks(5)
        .map(|t| {
            line += t[0];
            character = if t[0] == 0 { character + t[1] } else { t[1] };
            let name = &lines[line as usize][character as usize..(character + t[2]) as usize];
            let modifiers: Vec<&str> = (0..5).filter(|bit| t[4] & (1 << bit) != 0).map(|bit| legend["tokenModifiers"][bit].as_str().unwrap()).collect();
            format!("{line}:{character} {name} {} {}", legend["tokenTypes"][t[3] as usize].as_str().unwrap(), modifiers.join(","))
        })
        .collect()
}

#[test]
fn semantic_tokens_full_delta_and_range_come_from_the_resolver() {
    let dir = workspace();
    let cache = dir.path().join("cache");
    let mut client = LspClient::spawn_in(None, &[("PYLOOM_CACHE_DIR", cache.to_str().unwrap())]).unwrap();
    let root_uri = file_uri(&root(&dir));
    let initialized = client.request("initialize", json!({"processId": std::process::id(), "capabilities": {}, "rootUri": root_uri})).unwrap();
    client.notify("initialized", json!({})).unwrap();
    let provider = &initialized["capabilities"]["semanticTokensProvider"];
    assert_eq!(provider["full"]["delta"], true);
    assert_eq!(provider["range"], true);
    let legend = provider["legend"].clone();

    let main = uri(&dir, "main.py");
    client.open(&main, MAIN).unwrap();
    let full = client.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": main}})).unwrap();
    let tokens = decoded(&full["data"], &legend, MAIN);
    for expected in [
        "0:5 shop namespace ",
        "0:22 Cart class ",
        "0:28 total function ",
        "2:0 cart variable declaration",
        "3:5 add method ",
        "4:0 print function defaultLibrary",
        "4:12 cart variable ",
    ] {
        assert!(tokens.iter().any(|t| t == expected), "{expected} not in {tokens:#?}");
    }

    // An edit: the delta against the last answer turns it into the new full one.
    let edited = format!("import os\n{MAIN}");
    client.notify("textDocument/didChange", json!({"textDocument": {"uri": main, "version": 2}, "contentChanges": [{"text": edited}]})).unwrap();
    let delta = client.request("textDocument/semanticTokens/full/delta", json!({"textDocument": {"uri": main}, "previousResultId": full["resultId"]})).unwrap();
    let mut data: Vec<Value> = full["data"].as_array().unwrap().clone();
    let edits = delta["edits"].as_array().expect("a delta, not a full answer");
    assert_eq!(edits.len(), 1);
    let (start, deleted) = (edits[0]["start"].as_u64().unwrap() as usize, edits[0]["deleteCount"].as_u64().unwrap() as usize);
    data.splice(start..start + deleted, edits[0]["data"].as_array().unwrap().iter().cloned());
    let again = client.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": main}})).unwrap();
    assert_eq!(Value::from(data.clone()), again["data"]);
    assert!(decoded(&Value::from(data), &legend, &edited).contains(&"0:7 os namespace defaultLibrary".to_owned()));

    // A stale result id gets the whole array.
    let stale = client.request("textDocument/semanticTokens/full/delta", json!({"textDocument": {"uri": main}, "previousResultId": "nope"})).unwrap();
    assert_eq!(stale["data"], again["data"]);

    // A range: the tokens of the last line only.
    let range = client
        .request(
            "textDocument/semanticTokens/range",
            json!({"textDocument": {"uri": main}, "range": {"start": {"line": 5, "character": 0}, "end": {"line": 6, "character": 0}}}),
        )
        .unwrap();
    let last_line = decoded(&range["data"], &legend, &edited);
    assert_eq!(last_line, ["5:0 print function defaultLibrary", "5:6 total function ", "5:12 cart variable "]);
    // A range that ends past the text: up to its end, not nothing.
    let past = json!({"textDocument": {"uri": main}, "range": {"start": {"line": 5, "character": 0}, "end": {"line": 50, "character": 0}}});
    assert_eq!(client.request("textDocument/semanticTokens/range", past).unwrap()["data"], range["data"]);
    assert!(client.shutdown().unwrap().success());
}

/// The text of `uri` in `dir` after the edit's changes for it.
fn edited(dir: &tempfile::TempDir, edit: &Value, path: &str) -> String {
    let text = std::fs::read_to_string(root(dir).join(path)).unwrap();
    let changes = edit["changes"].as_object().unwrap();
    let Some((_, edits)) = changes.iter().find(|(uri, _)| uri.ends_with(&format!("/{path}"))) else { return text };
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + p["character"].as_u64().unwrap() as usize
    };
    let mut edits: Vec<&Value> = edits.as_array().unwrap().iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    let mut out = text.clone();
    for e in edits {
        out.replace_range(offset(&e["range"]["start"])..offset(&e["range"]["end"]), e["newText"].as_str().unwrap());
    }
    out
}

#[test]
fn a_module_or_package_renamed_in_the_editor_takes_its_importers_with_it() {
    let dir = workspace();
    let mut client = indexed(&dir, json!({}));
    let rename = |old: &str, new: &str| json!({"files": [{"oldUri": uri(&dir, old), "newUri": uri(&dir, new)}]});

    let edit = client.request("workspace/willRenameFiles", rename("shop/cart.py", "shop/basket.py")).unwrap();
    assert_eq!(edit["changes"].as_object().unwrap().len(), 1, "{edit}");
    assert!(edited(&dir, &edit, "main.py").starts_with("from shop.basket import Cart, total\n"), "{edit}");

    let edit = client.request("workspace/willRenameFiles", rename("shop", "store")).unwrap();
    assert!(edited(&dir, &edit, "main.py").starts_with("from store.cart import Cart, total\n"), "{edit}");

    // Not a Python module: no edit, no message.
    assert_eq!(client.request("workspace/willRenameFiles", rename("README.md", "READ.md")).unwrap(), Value::Null);

    // A reference the move cannot follow: no edit, and a warning with the place.
    std::fs::write(root(&dir).join("plugins.py"), "import importlib\nmod = importlib.import_module(f\"shop.{1}\")\n").unwrap();
    let plugins = uri(&dir, "plugins.py");
    client.open(&plugins, "import importlib\nmod = importlib.import_module(f\"shop.{1}\")\n").unwrap();
    let refused = client.request("workspace/willRenameFiles", rename("shop/cart.py", "shop/basket.py")).unwrap();
    assert_eq!(refused, Value::Null);
    let shown = client.notification("window/showMessage", |p| p["type"] == 2).unwrap();
    let message = shown["message"].as_str().unwrap();
    assert!(message.contains("did not update the imports") && message.contains("plugins.py:2"), "{message}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_module_renamed_twice_in_an_editor_without_file_watching_takes_its_importers_both_times() {
    let dir = workspace();
    let mut client = indexed(&dir, json!({}));
    let rename = |old: &str, new: &str| json!({"files": [{"oldUri": uri(&dir, old), "newUri": uri(&dir, new)}]});
    let main = uri(&dir, "main.py");
    client.open(&main, &std::fs::read_to_string(root(&dir).join("main.py")).unwrap()).unwrap();
    // The editor applies the edit to the open importer (saved), moves the
    // file, then tells the server.
    let mut version = 1;
    let mut renamed = |old: &str, new: &str| {
        let edit = client.request("workspace/willRenameFiles", rename(old, new)).unwrap();
        let text = edited(&dir, &edit, "main.py");
        std::fs::write(root(&dir).join("main.py"), &text).unwrap();
        version += 1;
        let change = json!({"textDocument": {"uri": main, "version": version}, "contentChanges": [{"text": text}]});
        client.notify("textDocument/didChange", change).unwrap();
        std::fs::rename(root(&dir).join(old), root(&dir).join(new)).unwrap();
        client.notify("workspace/didRenameFiles", rename(old, new)).unwrap();
        client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.contains("watched file change(s)"))).unwrap();
    };
    renamed("shop/cart.py", "shop/basket.py");
    renamed("shop/basket.py", "shop/trolley.py");
    let main = std::fs::read_to_string(root(&dir).join("main.py")).unwrap();
    assert!(main.starts_with("from shop.trolley import Cart, total\n"), "{main}");
    // A Python file the index does not know: a warning, not a silent null.
    let unknown = client.request("workspace/willRenameFiles", rename("shop/nowhere.py", "shop/else.py")).unwrap();
    assert_eq!(unknown, Value::Null);
    let shown = client.notification("window/showMessage", |p| p["type"] == 2).unwrap();
    assert!(shown["message"].as_str().unwrap().contains("nowhere.py: the file is not in its index"), "{shown}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn a_rename_sent_before_the_index_is_done_waits_for_it() {
    let dir = workspace();
    let uri_root = file_uri(&root(&dir));
    // No wait for the index: the explorer rename comes as the folder opens.
    let mut client = server(None, &dir, json!({"rootUri": uri_root, "workspaceFolders": [{"uri": uri_root, "name": "shop"}]}));
    let rename = json!({"files": [{"oldUri": uri(&dir, "shop/cart.py"), "newUri": uri(&dir, "shop/basket.py")}]});
    let edit = client.request("workspace/willRenameFiles", rename).unwrap();
    assert!(edited(&dir, &edit, "main.py").starts_with("from shop.basket import Cart, total\n"), "{edit}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn inline_variable_and_function_are_offered_at_the_cursor_and_disabled_with_the_reason_where_unsafe() {
    let dir = workspace();
    let text =
        "def total(items, rate):\n    taxed = sum(items) * rate\n    return round(taxed, 2)\n\n\ndef drain(q):\n    item = q.pop()\n    return item, item\n";
    std::fs::write(root(&dir).join("tax.py"), text).unwrap();
    let mut client = indexed(&dir, json!({}));
    let tax = uri(&dir, "tax.py");
    client.open(&tax, text).unwrap();
    let actions = |client: &mut LspClient, uri: &str, (line, character): (u32, u32)| {
        let range = json!({"start": {"line": line, "character": character}, "end": {"line": line, "character": character}});
        let params = json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": [], "only": ["refactor.inline"]}});
        client.request("textDocument/codeAction", params).unwrap().as_array().unwrap().clone()
    };
    // The cursor on the read of `taxed` in `return round(taxed, 2)`.
    let offered = actions(&mut client, &tax, (2, 19));
    assert_eq!(offered.len(), 1, "{offered:#?}");
    assert_eq!(offered[0]["title"], "Inline `taxed` (1 read)");
    assert_eq!(offered[0]["kind"], "refactor.inline");
    assert_eq!(
        edited(&dir, &offered[0]["edit"], "tax.py"),
        text.replace("    taxed = sum(items) * rate\n    return round(taxed, 2)", "    return round(sum(items) * rate, 2)")
    );
    // A call read twice would run twice: offered disabled, with the reason.
    let refused = actions(&mut client, &tax, (6, 5));
    assert_eq!(refused[0]["title"], "Inline `item`");
    assert_eq!(refused[0]["disabled"]["reason"], "`item` is read 2 times: `q.pop()` would run 2 times instead of once");
    assert!(refused[0].get("edit").is_none());
    // A function's name, a parameter, a builtin: nothing to inline.
    for at in [(0, 5), (0, 11), (2, 12)] {
        assert_eq!(actions(&mut client, &tax, at), Vec::<Value>::new(), "{at:?}");
    }
    // A call of a function of another module: its body with the arguments, and the import it no longer needs goes.
    let main = uri(&dir, "main.py");
    client.open(&main, MAIN).unwrap();
    let offered = actions(&mut client, &main, (4, 8));
    assert_eq!(offered[0]["title"], "Inline this call of `total`", "{offered:#?}");
    let inlined = MAIN.replace("import Cart, total", "import Cart").replace("print(total(cart, 5))", "print(sum(cart.items) + 5)");
    assert_eq!(edited(&dir, &offered[0]["edit"], "main.py"), inlined);
    // On the `def`: every call of it, here main.py's; a public function stays.
    let cart = uri(&dir, "shop/cart.py");
    client.open(&cart, CART).unwrap();
    let offered = actions(&mut client, &cart, (16, 5));
    assert_eq!(offered[0]["title"], "Inline every call of `total` (1 in 1 file)", "{offered:#?}");
    assert_eq!(edited(&dir, &offered[0]["edit"], "main.py"), inlined);
    assert_eq!(edited(&dir, &offered[0]["edit"], "shop/cart.py"), CART);
    // A method: which one runs depends on the receiver.
    let refused = actions(&mut client, &main, (3, 6));
    assert_eq!(refused[0]["disabled"]["reason"], "`add` is a method: which one a call runs depends on its receiver's class");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn extract_variable_is_offered_on_a_selected_expression_and_disabled_with_the_reason_where_unsafe() {
    let dir = workspace();
    let mut client = indexed(&dir, json!({}));
    let main = uri(&dir, "main.py");
    client.open(&main, MAIN).unwrap();
    let actions = |client: &mut LspClient, uri: &str, (line, from, to): (u32, u32, u32)| {
        let range = json!({"start": {"line": line, "character": from}, "end": {"line": line, "character": to}});
        let params = json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": [], "only": ["refactor.extract"]}});
        client.request("textDocument/codeAction", params).unwrap().as_array().unwrap().clone()
    };
    // `total(cart, 5)` in `print(total(cart, 5))`; at module level the name is private.
    let offered = actions(&mut client, &main, (4, 6, 20));
    let titles: Vec<&str> = offered.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Extract `total(cart, 5)` into `_total`", "Extract into function `_extracted`"], "{offered:#?}");
    assert_eq!(offered[0]["kind"], "refactor.extract");
    assert_eq!(edited(&dir, &offered[0]["edit"], "main.py"), MAIN.replace("print(total(cart, 5))", "_total = total(cart, 5)\nprint(_total)"));
    // Half an expression: nothing to offer.
    assert_eq!(actions(&mut client, &main, (4, 6, 12)), Vec::<Value>::new());
    // A `while` test would run once instead of at every turn.
    let loop_uri = uri(&dir, "loop.py");
    client.open(&loop_uri, "import random\n\nwhile random.random() < 0.9:\n    pass\n").unwrap();
    let refused = actions(&mut client, &loop_uri, (2, 6, 21));
    assert_eq!(refused[0]["disabled"]["reason"], "it is a `while` test, evaluated at every turn: run before the statement, it could do something else");
    assert!(refused[0].get("edit").is_none());
}

#[test]
fn extract_function_is_offered_on_selected_statements_and_disabled_with_the_reason_where_unsafe() {
    let dir = workspace();
    let mut client = indexed(&dir, json!({}));
    let cart = uri(&dir, "shop/cart.py");
    client.open(&cart, CART).unwrap();
    let actions = |client: &mut LspClient, uri: &str, (from, to): ((u32, u32), (u32, u32))| {
        let range = json!({"start": {"line": from.0, "character": from.1}, "end": {"line": to.0, "character": to.1}});
        let params = json!({"textDocument": {"uri": uri}, "range": range, "context": {"diagnostics": [], "only": ["refactor.extract.function"]}});
        client.request("textDocument/codeAction", params).unwrap().as_array().unwrap().clone()
    };
    // `self.items.append(item)` in the method `add`: a private module function before the class, given `self`.
    let offered = actions(&mut client, &cart, ((12, 8), (12, 31)));
    assert_eq!(offered.len(), 1, "{offered:#?}");
    assert_eq!(offered[0]["title"], "Extract into function `_extracted`");
    assert_eq!(offered[0]["kind"], "refactor.extract.function");
    let function = "def _extracted(self, item):\n    self.items.append(item)\n\n\nclass Cart(Base):";
    let expected = CART.replace("class Cart(Base):", function).replace("        self.items.append(item)\n", "        _extracted(self, item)\n");
    assert_eq!(edited(&dir, &offered[0]["edit"], "shop/cart.py"), expected);
    // With the `return` after it: the new function would return instead of `add`.
    let refused = actions(&mut client, &cart, ((12, 8), (13, 20)));
    assert_eq!(refused[0]["disabled"]["reason"], "it has a `return`: it would return from the new function instead");
    assert!(refused[0].get("edit").is_none());
    // Parts of two statements: nothing to offer.
    assert_eq!(actions(&mut client, &cart, ((12, 10), (13, 12))), Vec::<Value>::new());
    assert!(client.shutdown().unwrap().success());
}

/// `text` with the one text edit of a `documentChanges` entry applied.
fn with_edit(text: &str, edit: &Value) -> String {
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + p["character"].as_u64().unwrap() as usize
    };
    let range = offset(&edit["range"]["start"])..offset(&edit["range"]["end"]);
    let mut out = text.to_owned();
    out.replace_range(range, edit["newText"].as_str().unwrap());
    out
}

#[test]
fn a_symbol_moved_by_code_action_and_command_rewrites_its_module_and_importers_in_one_edit() {
    let dir = workspace();
    std::fs::write(root(&dir).join("shop/checkout.py"), "from shop.cart import Cart\n\n\ndef pay(cart: Cart):\n    return cart\n").unwrap();
    let mut client = indexed(&dir, json!({}));
    let cart = uri(&dir, "shop/cart.py");
    client.open(&cart, CART).unwrap();
    let actions = |client: &mut LspClient, line: u32, character: u32| {
        let range = json!({"start": {"line": line, "character": character}, "end": {"line": line, "character": character}});
        let params = json!({"textDocument": {"uri": cart}, "range": range, "context": {"diagnostics": [], "only": ["refactor.move"]}});
        client.request("textDocument/codeAction", params).unwrap().as_array().unwrap().clone()
    };
    // On `def total`: a new module named after it, and the module beside it that imports from this one.
    let offered = actions(&mut client, 16, 6);
    let titles: Vec<&str> = offered.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Move `total` to new module total.py", "Move `total` to checkout.py"], "{offered:#?}");
    assert!(offered.iter().all(|a| a["kind"] == "refactor.move" && a.get("disabled").is_none()), "{offered:#?}");
    // A method is not a top-level symbol: offered disabled, with the reason.
    let method = actions(&mut client, 11, 9);
    assert_eq!(method[0]["disabled"]["reason"], "`add` is defined inside another definition; only top-level functions and classes move");

    client.replies.push(("workspace/applyEdit".to_owned(), json!({"applied": true})));
    let command = &offered[0]["command"];
    assert_eq!(command["command"], "pyloom.moveSymbol");
    let result = client.request("workspace/executeCommand", json!({"command": "pyloom.moveSymbol", "arguments": command["arguments"]})).unwrap();
    assert_eq!(result, json!({"applied": true, "files": 3}), "{result}");
    let sent = client.server_requests.iter().rfind(|r| r["method"] == "workspace/applyEdit").unwrap()["params"]["edit"].clone();
    let operations = sent["documentChanges"].as_array().unwrap();
    let created = uri(&dir, "shop/total.py");
    assert_eq!(operations[1]["kind"], "create", "{sent:#}");
    assert_eq!(operations[1]["uri"], created.as_str());
    let text_of = |target: &str| operations.iter().find(|o| o["textDocument"]["uri"] == target).map(|o| o["edits"][0].clone()).unwrap();
    assert_eq!(with_edit("", &text_of(&created)), "def total(cart, shipping=0):\n    \"\"\"Sum of the items.\"\"\"\n    return sum(cart.items) + shipping\n");
    let cart_after = with_edit(CART, &text_of(&cart));
    assert!(cart_after.starts_with("__all__ = [\"Cart\"]\n") && !cart_after.contains("def total"), "{cart_after}");
    assert_eq!(
        with_edit(MAIN, &text_of(&uri(&dir, "main.py"))),
        MAIN.replace("from shop.cart import Cart, total\n", "from shop.cart import Cart\nfrom shop.total import total\n")
    );
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn hover_answers_at_a_lines_end_and_not_past_it() {
    let dir = workspace();
    let mut client = indexed(&dir, json!({}));
    let main = uri(&dir, "main.py");
    // Line 0 is `from shop.cart import Cart, total`, 33 characters: a cursor
    // after `total` is on it.
    let hover = client.request("textDocument/hover", at(&main, 0, 33)).unwrap();
    assert!(hover["contents"]["value"].as_str().unwrap().contains("Sum of the items."), "{hover}");
    // Past the line's end (clamped to it by LSP) is whitespace: no hover.
    for character in [34, 80] {
        assert_eq!(client.request("textDocument/hover", at(&main, 0, character)).unwrap(), Value::Null, "at 0:{character}");
    }
    assert!(client.shutdown().unwrap().success());
}
