//! The workspace graph over stdio: indexing with progress, hover,
//! definition, references, symbols, call hierarchy, code lens, live
//! buffers; and the `explain` and `graph` commands.

use std::path::Path;
use std::process::Command;

use pyloom_e2e::{LspClient, file_uri, fixture, pyloom_bin};
use serde_json::{Value, json};
use tempfile::TempDir;

/// A cache directory private to one test, removed when dropped.
fn cache_dir(test: &str) -> TempDir {
    tempfile::Builder::new().prefix(&format!("pyloom-e2e-graph-{test}-")).tempdir().unwrap()
}

/// Starts the server on `root` (UTF-8 positions, work-done progress) and
/// waits until the workspace is indexed; the server's cache lives as long
/// as the returned folder.
fn indexed_server(root: &Path, test: &str, progress: bool) -> (LspClient, TempDir) {
    let cache = cache_dir(test);
    let mut client = LspClient::spawn_with_env(&[("PYLOOM_CACHE_DIR", cache.path().to_str().unwrap())]).unwrap();
    let mut capabilities = json!({"general": {"positionEncodings": ["utf-8"]}});
    if progress {
        capabilities["window"] = json!({"workDoneProgress": true});
    }
    client
        .request(
            "initialize",
            json!({
                "processId": std::process::id(),
                "rootUri": file_uri(root),
                "workspaceFolders": [{"uri": file_uri(root), "name": "root"}],
                "capabilities": capabilities,
            }),
        )
        .unwrap();
    client.notify("initialized", json!({})).unwrap();
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();
    (client, cache)
}

fn position(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

fn uri(path: &str) -> String {
    file_uri(&fixture("graph").join(path))
}

/// `file:line:col` (1-based) of an LSP location, relative to the fixture.
fn place(location: &Value) -> String {
    let uri = location["uri"].as_str().unwrap();
    let root = file_uri(&fixture("graph"));
    let start = &location["range"]["start"];
    format!("{}:{}:{}", uri.trim_start_matches(&root).trim_start_matches('/'), start["line"].as_u64().unwrap() + 1, start["character"].as_u64().unwrap() + 1)
}

#[test]
fn indexing_reports_progress_then_hover_explains_the_symbol() {
    let root = fixture("graph");
    let (mut client, _cache) = indexed_server(&root, "progress", true);
    let begin = client.notification("$/progress", |p| p["value"]["kind"] == "begin").unwrap();
    assert_eq!(begin["token"], "pyloom/index");
    let end = client.notification("$/progress", |p| p["value"]["kind"] == "end").unwrap();
    assert_eq!(end["value"]["message"], "5 files indexed");

    // `s.order_total(...)` in app.py: re-exported through shop/__init__.py.
    let hover = client.request("textDocument/hover", position(&uri("app.py"), 6, 15)).unwrap();
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("```python\n@logged\ndef total(items: list[m.Item], shipping: int = 0) -> int\n```"), "{text}");
    assert!(text.contains("Sum of the prices plus shipping."), "{text}");
    assert!(text.contains("Defined at shop/pricing.py:8 in module `shop.pricing`"), "{text}");
    assert!(text.contains("- `app.main` at app.py:7\n- `app.preview` at app.py:11"), "{text}");
    assert!(text.contains("Changing this affects 2 functions in 1 file."), "{text}");
    assert_eq!(hover["range"]["start"], json!({"line": 6, "character": 13}));

    // Hover on an import shows the resolved module.
    let hover = client.request("textDocument/hover", position(&uri("app.py"), 1, 10)).unwrap();
    assert!(hover["contents"]["value"].as_str().unwrap().starts_with("```python\nmodule shop.models\n```"), "{hover}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn definition_and_references_cross_files() {
    let root = fixture("graph");
    let (mut client, _cache) = indexed_server(&root, "navigation", false);
    // `Discounted(` in app.py -> the class in shop/models.py.
    let definition = client.request("textDocument/definition", position(&uri("app.py"), 5, 36)).unwrap();
    assert_eq!(place(&definition), "shop/models.py:15:7");
    // `super().__init__` -> Item.__init__.
    let definition = client.request("textDocument/definition", position(&uri("shop/models.py"), 18, 17)).unwrap();
    assert_eq!(place(&definition), "shop/models.py:7:9");
    // The decorator -> shop/util.py.
    let definition = client.request("textDocument/definition", position(&uri("shop/pricing.py"), 6, 2)).unwrap();
    assert_eq!(place(&definition), "shop/util.py:1:5");

    let references = client
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri("shop/models.py")}, "position": {"line": 3, "character": 7}, "context": {"includeDeclaration": true}}),
        )
        .unwrap();
    let places: Vec<String> = references.as_array().unwrap().iter().map(place).collect();
    // `"Item"` in `__all__` names it too.
    assert_eq!(places, ["shop/models.py:4:7", "app.py:6:17", "shop/__init__.py:3:33", "shop/__init__.py:6:27", "shop/models.py:15:18", "shop/pricing.py:8:25"]);
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn symbols_call_hierarchy_and_code_lens() {
    let root = fixture("graph");
    let (mut client, _cache) = indexed_server(&root, "symbols", false);
    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": uri("shop/models.py")}})).unwrap();
    let outline: Vec<String> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let children: Vec<&str> = s["children"].as_array().map(|c| c.iter().map(|c| c["name"].as_str().unwrap()).collect()).unwrap_or_default();
            format!("{} {} [{}]", s["kind"], s["name"].as_str().unwrap(), children.join(", "))
        })
        .collect();
    assert_eq!(outline, ["5 Item [__init__, name, cents, price]", "5 Discounted [__init__, percent, price]"]);

    let found = client.request("workspace/symbol", json!({"query": "ordtot"})).unwrap();
    assert_eq!(found.as_array().unwrap().len(), 0, "a name is matched, not an alias: {found}");
    let found = client.request("workspace/symbol", json!({"query": "disc"})).unwrap();
    assert_eq!(found[0]["name"], "Discounted");
    assert_eq!(found[0]["containerName"], "shop.models");

    let items = client.request("textDocument/prepareCallHierarchy", position(&uri("shop/models.py"), 6, 9)).unwrap();
    assert_eq!(items[0]["name"], "__init__");
    let incoming = client.request("callHierarchy/incomingCalls", json!({"item": items[0]})).unwrap();
    let callers: Vec<&str> = incoming.as_array().unwrap().iter().map(|c| c["from"]["detail"].as_str().unwrap()).collect();
    assert_eq!(callers, ["app", "shop.models.Discounted"]);
    let items = client.request("textDocument/prepareCallHierarchy", position(&uri("app.py"), 4, 5)).unwrap();
    let outgoing = client.request("callHierarchy/outgoingCalls", json!({"item": items[0]})).unwrap();
    let callees: Vec<&str> = outgoing.as_array().unwrap().iter().map(|c| c["to"]["name"].as_str().unwrap()).collect();
    assert_eq!(callees, ["__init__", "__init__", "total"]);

    let lenses = client.request("textDocument/codeLens", json!({"textDocument": {"uri": uri("shop/pricing.py")}})).unwrap();
    assert_eq!(lenses[0]["command"]["title"], "2 callers");
    assert_eq!(lenses[0]["range"]["start"], json!({"line": 7, "character": 4}));
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn open_buffers_use_their_live_text() {
    let root = fixture("graph");
    let (mut client, _cache) = indexed_server(&root, "live", false);
    let app = uri("app.py");
    let text = std::fs::read_to_string(root.join("app.py")).unwrap() + "\n\ndef extra() -> int:\n    return s.order_total([])\n";
    client.open(&app, &text).unwrap();
    // The new caller exists only in the buffer, not on disk.
    let hover = client.request("textDocument/hover", position(&app, 6, 15)).unwrap();
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.contains("`app.extra` at app.py:15"), "{value}");
    assert!(value.contains("Changing this affects 3 functions in 1 file."), "{value}");
    // An edit that renames the function is seen by the next query.
    let change = json!({"textDocument": {"uri": app, "version": 2}, "contentChanges": [{"range": {"start": {"line": 13, "character": 4}, "end": {"line": 13, "character": 9}}, "text": "bonus"}]});
    client.notify("textDocument/didChange", change).unwrap();
    let hover = client.request("textDocument/hover", position(&app, 6, 15)).unwrap();
    assert!(hover["contents"]["value"].as_str().unwrap().contains("`app.bonus` at app.py:15"), "{hover}");
    // Hover on nothing is null, and a position past the end is not an error.
    assert_eq!(client.request("textDocument/hover", position(&app, 2, 0)).unwrap(), Value::Null);
    assert_eq!(client.request("textDocument/hover", position(&app, 999, 0)).unwrap(), Value::Null);
    assert!(client.shutdown().unwrap().success());
}

/// An edit whose whole link waits for a request that reads edges: a
/// hover on another document lists the edited file's calls where the
/// edited text has them (the edges kept from before were a line off).
#[test]
fn a_hover_elsewhere_reads_an_edited_buffer_linked() {
    let root = fixture("graph");
    let (mut client, _cache) = indexed_server(&root, "unlinked", false);
    let (app, pricing) = (uri("app.py"), uri("shop/pricing.py"));
    client.open(&app, &std::fs::read_to_string(root.join("app.py")).unwrap()).unwrap();
    let callers =
        |client: &mut LspClient| client.request("textDocument/hover", position(&pricing, 7, 4)).unwrap()["contents"]["value"].as_str().unwrap().to_owned();
    let before = callers(&mut client);
    assert!(before.contains("`app.preview` at app.py:11"), "{before}");
    // A module binding added above: the file's interface changed, so its
    // link waits; completion (which reads no edges) applies the edit.
    let change = json!({"textDocument": {"uri": app, "version": 2}, "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "LIMIT = 3\n"}]});
    client.notify("textDocument/didChange", change).unwrap();
    client.request("textDocument/completion", position(&app, 0, 3)).unwrap();
    let after = callers(&mut client);
    assert!(after.contains("`app.preview` at app.py:12"), "{after}");
    assert!(after.contains("`app.main` at app.py:8"), "{after}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn explain_and_graph_commands() {
    let cache = cache_dir("cli");
    let run = |args: &[&str]| {
        let out = Command::new(pyloom_bin()).args(args).env("PYLOOM_CACHE_DIR", cache.path()).env_remove("PYLOOM_LOG").output().unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let app = fixture("graph").join("app.py");
    let (code, stdout, _) = run(&["explain", &format!("{}:2:26", app.display())]);
    assert_eq!(code, Some(0));
    assert!(stdout.starts_with("```python\nclass Discounted(Item)\n```\n\nAn item sold with a percentage off."), "{stdout}");
    // Piped output is Markdown unless text is asked for (a terminal gets text).
    let (code, text, _) = run(&["explain", "--format", "text", &format!("{}:2:26", app.display())]);
    assert_eq!(code, Some(0));
    assert!(text.starts_with("class Discounted(Item)\n\nAn item sold with a percentage off."), "{text}");
    let (code, _, stderr) = run(&["explain", &format!("{}:3:1", app.display())]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("nothing to explain"), "{stderr}");
    let (code, _, stderr) = run(&["explain", "nope.py:1"]);
    assert_eq!(code, Some(2), "{stderr}");

    let graph = fixture("graph");
    let (code, cold, _) = run(&["graph", graph.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert!(cold.contains("files: 5\n") && cold.contains("unresolved_references: 0\n"), "{cold}");
    let (_, warm, _) = run(&["graph", graph.to_str().unwrap()]);
    assert!(warm.contains("from_cache: 5\n"), "a second run reads the cache: {warm}");
    let edges = |out: &str| out.lines().find(|l| l.starts_with("edges:")).map(str::to_owned);
    assert_eq!(edges(&cold), edges(&warm));

    // What each part holds, measured by freeing it: every part of an
    // indexed workspace holds something, and the total is their sum.
    let (code, measured, stderr) = run(&["graph", "--memory", graph.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    let heap: Vec<(&str, f64)> =
        measured.lines().filter_map(|l| l.strip_prefix("heap_kb_")?.split_once(": ")).map(|(part, kb)| (part, kb.parse().unwrap())).collect();
    let names: Vec<&str> = heap.iter().map(|(part, _)| *part).collect();
    let summary = [
        "summary_references",
        "summary_bindings",
        "summary_definitions",
        "summary_definitions_signatures",
        "summary_definitions_docstrings",
        "summary_definitions_values",
        "summary_arguments",
        "summary_scopes_and_implicit_calls",
        "summary_imports_and_the_rest",
    ];
    let expected: Vec<&str> = ["texts"]
        .into_iter()
        .chain(summary)
        .chain(["symbols_and_edges", "file_indexes", "workspace_indexes", "library", "shared_files", "interned_names", "total"])
        .collect();
    assert_eq!(names, expected, "{measured}");
    for part in summary.into_iter().chain(["texts", "symbols_and_edges", "file_indexes", "workspace_indexes", "interned_names"]) {
        assert!(heap.iter().any(|&(p, kb)| p == part && kb > 0.0), "{part} holds nothing: {measured}");
    }
    let sum: f64 = heap[..heap.len() - 1].iter().map(|(_, kb)| kb).sum();
    assert!((sum - heap[heap.len() - 1].1).abs() < 0.5, "{measured}");
    // The same parts in the allocator's blocks: never less than asked,
    // and more in all (a block is of its size class).
    let blocks: Vec<(&str, f64)> =
        measured.lines().filter_map(|l| l.strip_prefix("heap_blocks_kb_")?.split_once(": ")).map(|(part, kb)| (part, kb.parse().unwrap())).collect();
    assert_eq!(blocks.iter().map(|(part, _)| *part).collect::<Vec<_>>(), expected, "{measured}");
    for (&(part, asked), &(_, held)) in heap.iter().zip(&blocks) {
        assert!(held >= asked, "{part}: {measured}");
    }
    assert!(blocks[blocks.len() - 1].1 > heap[heap.len() - 1].1, "{measured}");
    // Indexing's phases in order, each's heap at its end within its peak.
    let phase = |name: &str, what: &str| -> f64 {
        let key = format!("phase_{name}_{what}_kb: ");
        measured.lines().find_map(|l| l.strip_prefix(key.as_str())?.parse().ok()).unwrap_or_else(|| panic!("no {key}: {measured}"))
    };
    let phases = ["walked", "read", "cache_loaded", "summarised", "cache_saved", "environment", "nodes", "linked", "returned"];
    let order: Vec<&str> = measured.lines().filter_map(|l| l.strip_prefix("phase_")?.split_once("_heap_kb:")).map(|(p, _)| p).collect();
    assert_eq!(order, phases, "{measured}");
    for name in phases {
        assert!(phase(name, "heap") <= phase(name, "heap_peak") && phase(name, "rss") <= phase(name, "rss_peak"), "{name}: {measured}");
    }
    assert!(phase("linked", "heap") > phase("read", "heap"), "{measured}");
}

/// A copy of a fixture in a private temporary folder (tests that write),
/// removed when dropped.
fn fixture_copy(name: &str, test: &str) -> TempDir {
    let dir = tempfile::Builder::new().prefix(&format!("pyloom-e2e-graph-ws-{test}-")).tempdir().unwrap();
    let source = fixture(name);
    let mut stack = vec![source.clone()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            let target = dir.path().join(path.strip_prefix(&source).unwrap());
            if path.is_dir() {
                stack.push(path);
            } else {
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::copy(&path, &target).unwrap();
            }
        }
    }
    dir
}

fn hover_text(client: &mut LspClient, uri: &str, line: u32, character: u32) -> String {
    let hover = client.request("textDocument/hover", position(uri, line, character)).unwrap();
    hover["contents"]["value"].as_str().unwrap_or("null").to_owned()
}

#[test]
fn a_broken_buffer_keeps_its_last_good_symbols() {
    let root = fixture("graph");
    let (mut client, _cache) = indexed_server(&root, "broken", false);
    let pricing = uri("shop/pricing.py");
    // Half-typed code above `total`: the parser's recovery would lose it.
    let text = std::fs::read_to_string(root.join("shop/pricing.py")).unwrap().replace("\n\n@logged", "\nvalue = compute(\n\n@logged");
    client.open(&pricing, &text).unwrap();
    // Hover in the broken file itself, on `total` (now on line 9).
    let own = hover_text(&mut client, &pricing, 8, 5);
    assert!(own.starts_with("```python\n@logged\ndef total(items: list[m.Item], shipping: int = 0) -> int\n```"), "{own}");
    assert!(own.contains("Defined at shop/pricing.py:9 in module `shop.pricing`"), "{own}");
    assert!(own.contains("- `app.main` at app.py:7\n- `app.preview` at app.py:11"), "{own}");
    // From another file: the callers still link to it, at its new place.
    let definition = client.request("textDocument/definition", position(&uri("app.py"), 6, 15)).unwrap();
    assert_eq!(place(&definition), "shop/pricing.py:9:5");
    let symbols = client.request("textDocument/documentSymbol", json!({"textDocument": {"uri": pricing}})).unwrap();
    let names: Vec<&str> = symbols.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"total"), "{names:?}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn watched_file_changes_on_disk_update_the_graph() {
    let dir = fixture_copy("graph", "watched");
    let root = dir.path();
    let cache = cache_dir("watched");
    let mut client = LspClient::spawn_with_env(&[("PYLOOM_CACHE_DIR", cache.path().to_str().unwrap())]).unwrap();
    let capabilities = json!({
        "general": {"positionEncodings": ["utf-8"]},
        "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}},
    });
    let folders = json!([{"uri": file_uri(&root), "name": "root"}]);
    let init = json!({"processId": std::process::id(), "rootUri": file_uri(&root), "workspaceFolders": folders, "capabilities": capabilities});
    client.request("initialize", init).unwrap();
    client.notify("initialized", json!({})).unwrap();
    let registration = client.wait_for("registerCapability", |m| m["method"] == "client/registerCapability").unwrap();
    let registration = &registration["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = registration["registerOptions"]["watchers"].as_array().unwrap().iter().map(|w| w["globPattern"].as_str().unwrap()).collect();
    assert_eq!(globs, ["**/*.py", "**/*.pyi"]);
    client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: indexed"))).unwrap();

    let file = |path: &str| file_uri(&root.join(path));
    let changed = |client: &mut LspClient, events: Value| {
        client.notify("workspace/didChangeWatchedFiles", json!({"changes": events})).unwrap();
        let log = client.notification("window/logMessage", |p| p["message"].as_str().is_some_and(|m| m.starts_with("pyloom: applied"))).unwrap();
        log["message"].as_str().unwrap().to_owned()
    };
    let app = file("app.py");
    // A new module on disk calls `total`.
    std::fs::write(root.join("extra.py"), "from shop.pricing import total\n\n\ndef extra():\n    return total([])\n").unwrap();
    let log = changed(&mut client, json!([{"uri": file("extra.py"), "type": 1}]));
    assert_eq!(log, "pyloom: applied 1 watched file change(s), 1 graph file(s) changed");
    let text = hover_text(&mut client, &app, 6, 15);
    assert!(text.contains("- `extra.extra` at extra.py:5"), "{text}");
    assert!(text.contains("Changing this affects 3 functions in 2 files."), "{text}");

    // A changed file moves `total` two lines down.
    let pricing = std::fs::read_to_string(root.join("shop/pricing.py")).unwrap();
    std::fs::write(root.join("shop/pricing.py"), format!("# moved\n# down\n{pricing}")).unwrap();
    changed(&mut client, json!([{"uri": file("shop/pricing.py"), "type": 2}]));
    let definition = client.request("textDocument/definition", position(&app, 6, 15)).unwrap();
    assert_eq!(place(&definition).rsplit_once('/').map_or(String::new(), |(_, p)| p.to_owned()), "pricing.py:10:5");

    // A deleted file leaves the graph; an open buffer wins over the disk.
    std::fs::remove_file(root.join("extra.py")).unwrap();
    client.open(&app, &(std::fs::read_to_string(root.join("app.py")).unwrap() + "\n\ndef later():\n    return s.order_total([])\n")).unwrap();
    let log = changed(&mut client, json!([{"uri": file("extra.py"), "type": 3}, {"uri": app, "type": 2}]));
    assert_eq!(log, "pyloom: applied 1 watched file change(s), 1 graph file(s) changed");
    let text = hover_text(&mut client, &app, 6, 15);
    assert!(!text.contains("extra.extra"), "{text}");
    assert!(text.contains("`app.later` at app.py:15"), "{text}");
    assert!(client.shutdown().unwrap().success());
}

/// A workspace written for one test, in a folder whose name has a space,
/// removed when dropped.
fn workspace(test: &str, files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::Builder::new().prefix(&format!("pyloom-e2e-graph ws-{test}-")).tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn inferred_receivers_feed_call_hierarchy_references_and_hover() {
    let dir = workspace(
        "infer",
        &[
            ("cache.py", "class Cache:\n    def load(self, key):\n        return key\n\n\ndef make() -> Cache:\n    return Cache()\n"),
            (
                "app.py",
                "from cache import Cache, make\n\n\nclass Shop:\n    def __init__(self, cache: Cache):\n        self.cache = cache\n\n    def run(self):\n        self.cache.load(1)\n\n\ndef main():\n    m = Cache()\n    m.load(2)\n    make().load(3)\n    for c in [m]:\n        c.load(4)\n",
            ),
        ],
    );
    let root = dir.path();
    let (mut client, _cache) = indexed_server(&root, "infer", false);
    let cache = file_uri(&root.join("cache.py"));
    let app = file_uri(&root.join("app.py"));
    let items = client.request("textDocument/prepareCallHierarchy", position(&cache, 1, 9)).unwrap();
    assert_eq!(items[0]["name"], "load");
    let incoming = client.request("callHierarchy/incomingCalls", json!({"item": items[0]})).unwrap();
    let mut callers: Vec<String> = incoming
        .as_array()
        .unwrap()
        .iter()
        .map(|c| format!("{} x{}", c["from"]["name"].as_str().unwrap(), c["fromRanges"].as_array().unwrap().len()))
        .collect();
    callers.sort();
    // `c` is an element of the list display `[m]`: a `Cache` too.
    assert_eq!(callers, ["main x3", "run x1"]);
    let references = client
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": cache}, "position": {"line": 1, "character": 9}, "context": {"includeDeclaration": false}}),
        )
        .unwrap();
    assert_eq!(references.as_array().unwrap().len(), 4, "{references}");

    let hover = hover_text(&mut client, &app, 13, 4);
    assert!(hover.starts_with("```python\n(local) m: Cache\n```"), "{hover}");
    assert!(hover.contains("Type `Cache`, from the constructor call at app.py:13."), "{hover}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn calls_of_a_base_method_reach_overrides_via_override() {
    let dir = workspace(
        "override",
        &[(
            "export.py",
            "class Exporter:\n    def run(self, rows):\n        return self.render(rows)\n\n    def render(self, rows):\n        return ''\n\n\nclass Csv(Exporter):\n    def render(self, rows):\n        return ','.join(rows)\n",
        )],
    );
    let root = dir.path();
    let (mut client, _cache) = indexed_server(&root, "override", false);
    let export = file_uri(&root.join("export.py"));
    let items = client.request("textDocument/prepareCallHierarchy", position(&export, 9, 8)).unwrap();
    assert_eq!(items[0]["name"], "render");
    let incoming = client.request("callHierarchy/incomingCalls", json!({"item": items[0]})).unwrap();
    let callers: Vec<String> = incoming.as_array().unwrap().iter().map(|c| format!("{} ({})", c["from"]["name"], c["from"]["detail"])).collect();
    assert_eq!(callers, [r#""run" ("export.Exporter · via override")"#]);
    // From the base: its own `render` and the override it may run.
    let items = client.request("textDocument/prepareCallHierarchy", position(&export, 1, 8)).unwrap();
    let outgoing = client.request("callHierarchy/outgoingCalls", json!({"item": items[0]})).unwrap();
    let callees: Vec<String> = outgoing.as_array().unwrap().iter().map(|c| format!("{} ({})", c["to"]["name"], c["to"]["detail"])).collect();
    assert_eq!(callees, [r#""render" ("export.Exporter")"#, r#""render" ("export.Csv · via override")"#]);
    let hover = hover_text(&mut client, &export, 9, 8);
    assert!(hover.contains("`export.Exporter.run` at export.py:3 (via override)"), "{hover}");
    assert!(hover.contains("Changing this affects 1 function in 1 file, 1 of them only through calls on its base classes, which may run it."), "{hover}");
    assert!(client.shutdown().unwrap().success());
}

/// The calls no name is written for: a protocol method run by syntax
/// (`with`) and a function passed to a parameter that is called. Both are
/// in the call hierarchy and the hover, labelled; the `with` statement is
/// no reference of the protocol method.
#[test]
fn implicit_calls_and_callbacks_are_in_the_call_hierarchy() {
    let text = "class Session:\n    def __enter__(self):\n        return self\n\n    def __exit__(self, *exc):\n        return False\n\n\ndef apply(fn, x):\n    return fn(x)\n\n\ndef double(v):\n    return v * 2\n\n\ndef main():\n    with Session():\n        return apply(double, 1)\n";
    let dir = workspace("implicit", &[("app.py", text)]);
    let root = dir.path();
    let (mut client, _cache) = indexed_server(&root, "implicit", false);
    let app = file_uri(&root.join("app.py"));
    let incoming_of = |client: &mut LspClient, line: u32, character: u32| -> Vec<String> {
        let items = client.request("textDocument/prepareCallHierarchy", position(&app, line, character)).unwrap();
        let incoming = client.request("callHierarchy/incomingCalls", json!({"item": items[0]})).unwrap();
        incoming
            .as_array()
            .unwrap()
            .iter()
            .map(|c| format!("{} ({}) line {}", c["from"]["name"], c["from"]["detail"], c["fromRanges"][0]["start"]["line"].as_u64().unwrap() + 1))
            .collect()
    };
    assert_eq!(incoming_of(&mut client, 1, 8), [r#""main" ("app · implicit call") line 18"#]);
    assert_eq!(incoming_of(&mut client, 12, 4), [r#""apply" ("app · via callback") line 10"#]);
    let items = client.request("textDocument/prepareCallHierarchy", position(&app, 16, 4)).unwrap();
    let outgoing = client.request("callHierarchy/outgoingCalls", json!({"item": items[0]})).unwrap();
    let callees: Vec<String> = outgoing.as_array().unwrap().iter().map(|c| format!("{} ({})", c["to"]["name"], c["to"]["detail"])).collect();
    assert_eq!(
        callees,
        [r#""Session" ("app")"#, r#""apply" ("app")"#, r#""__enter__" ("app.Session · implicit call")"#, r#""__exit__" ("app.Session · implicit call")"#]
    );
    let hover = hover_text(&mut client, &app, 12, 4);
    assert!(hover.contains("`app.apply` at app.py:10 (via callback)"), "{hover}");
    // No name is written at `with Session():`: no reference of `__enter__`.
    let references = client
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": app}, "position": {"line": 1, "character": 8}, "context": {"includeDeclaration": false}}),
        )
        .unwrap();
    assert_eq!(references, json!([]));
    assert!(client.shutdown().unwrap().success());
}

/// An edit that changes what a file exports links that file at once and
/// its importers in the background: the importer's diagnostics are
/// published again, and references (which first re-link what is pending)
/// see its links to the new function.
#[test]
fn a_changed_signature_reaches_the_importers_after_their_relink() {
    let shop_text = "def sum_up(items):\n    return len(items)\n";
    let cart_text = "from shop import total\n\n\ndef checkout(items):\n    return total(items)\n";
    let dir = workspace("relink", &[("shop.py", shop_text), ("cart.py", cart_text)]);
    let root = dir.path();
    let (mut client, _cache) = indexed_server(&root, "relink", false);
    let (shop, cart) = (file_uri(&root.join("shop.py")), file_uri(&root.join("cart.py")));
    client.open(&cart, cart_text).unwrap();
    let before = client.diagnostics(&cart).unwrap();
    assert!(before.iter().any(|d| d["message"].as_str().unwrap().contains("total")), "{before:?}");
    client.open(&shop, shop_text).unwrap();
    // `total` appears, with a parameter the importer does not pass.
    let changed = "def total(items, tax):\n    return len(items) + tax\n";
    let change = json!({"textDocument": {"uri": shop, "version": 2}, "contentChanges": [{"text": changed}]});
    client.notify("textDocument/didChange", change).unwrap();
    let mentions_tax = |p: &Value| p["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["message"].as_str().unwrap().contains("`tax`")));
    let after = client.notification("textDocument/publishDiagnostics", |p| p["uri"] == cart && mentions_tax(p)).unwrap();
    let messages: Vec<&str> = after["diagnostics"].as_array().unwrap().iter().filter_map(|d| d["message"].as_str()).collect();
    assert_eq!(messages, ["`total` is missing required argument `tax`"]);
    let references = client
        .request(
            "textDocument/references",
            json!({"textDocument": {"uri": shop}, "position": {"line": 0, "character": 5}, "context": {"includeDeclaration": false}}),
        )
        .unwrap();
    let mut places: Vec<String> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|l| format!("{}:{}", l["uri"].as_str().unwrap().rsplit('/').next().unwrap(), l["range"]["start"]["line"].as_u64().unwrap() + 1))
        .collect();
    places.sort();
    assert_eq!(places, ["cart.py:1", "cart.py:5"]);
    assert!(client.shutdown().unwrap().success());
}
