//! Findings over stdio: pushed and pulled diagnostics with rule links,
//! tags and fixes in `data`; quick fixes, "suppress with noqa" and
//! `source.fixAll.pyloom`; and `pyloom check` with security categories.

use std::process::Command;

use pyloom_e2e::{LspClient, file_uri, fixture, pyloom_bin};
use serde_json::{Value, json};

fn range(l0: u32, c0: u32, l1: u32, c1: u32) -> Value {
    json!({"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}})
}

fn by_code<'a>(diagnostics: &'a [Value], code: &str) -> &'a Value {
    diagnostics.iter().find(|d| d["code"] == code).unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

fn code_actions(client: &mut LspClient, uri: &str, at: Value, diagnostics: Vec<Value>, only: Option<&str>) -> Vec<Value> {
    let mut context = json!({"diagnostics": diagnostics});
    if let Some(only) = only {
        context["only"] = json!([only]);
    }
    let actions = client.request("textDocument/codeAction", json!({"textDocument": {"uri": uri}, "range": at, "context": context})).unwrap();
    actions.as_array().cloned().unwrap_or_default()
}

/// Applies the edits of a single-file workspace edit to `text` (LSP
/// positions in UTF-16; the fixtures are ASCII).
fn apply(text: &str, edit: &Value, uri: &str) -> String {
    let mut edits = edit["changes"][uri].as_array().cloned().unwrap();
    let offset = |p: &Value| {
        let line = p["line"].as_u64().unwrap() as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        start + p["character"].as_u64().unwrap() as usize
    };
    edits.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    let mut out = text.to_owned();
    for e in edits {
        out.replace_range(offset(&e["range"]["start"])..offset(&e["range"]["end"]), e["newText"].as_str().unwrap());
    }
    out
}

const SOURCE: &str = "import os\nimport yaml\n\nx = yaml.load(open('c.yml'))\n";

#[test]
fn pushed_diagnostics_carry_links_tags_and_their_quick_fixes() {
    let (mut client, result) = LspClient::initialized(None, json!({}), Value::Null).unwrap();
    assert_eq!(
        result["capabilities"]["codeActionProvider"]["codeActionKinds"],
        json!([
            "quickfix",
            "source.fixAll.pyloom",
            "notebook.source.fixAll.pyloom",
            "refactor.rewrite.pyloom",
            "refactor.extract",
            "refactor.extract.function",
            "refactor.move",
            "refactor.inline"
        ])
    );
    assert!(result["capabilities"].get("diagnosticProvider").is_none(), "push-only client");
    let uri = "file:///tmp/findings_push.py";
    client.open(uri, SOURCE).unwrap();
    let diagnostics = client.diagnostics(uri).unwrap();
    let unused = by_code(&diagnostics, "F401");
    assert_eq!(unused["codeDescription"]["href"], "https://docs.astral.sh/ruff/rules/unused-import");
    assert_eq!(unused["tags"], json!([1]), "unnecessary");
    assert_eq!(unused["severity"], 2);
    let yaml = by_code(&diagnostics, "S506");
    assert_eq!(yaml["range"], range(3, 4, 3, 13));

    // The unused import: a preferred safe fix and a noqa suppression.
    let actions = code_actions(&mut client, uri, unused["range"].clone(), vec![unused.clone()], None);
    let titles: Vec<&str> = actions.iter().filter_map(|a| a["title"].as_str()).collect();
    assert_eq!(titles[..2], ["Remove unused import: `os`", "Suppress F401 with `# noqa: F401`"], "{actions:#?}");
    assert_eq!(actions[0]["isPreferred"], true);
    assert_eq!(apply(SOURCE, &actions[0]["edit"], uri), "import yaml\n\nx = yaml.load(open('c.yml'))\n");
    assert_eq!(apply(SOURCE, &actions[1]["edit"], uri), "import os  # noqa: F401\nimport yaml\n\nx = yaml.load(open('c.yml'))\n");

    // The security fix is labelled unsafe and not preferred.
    let actions = code_actions(&mut client, uri, yaml["range"].clone(), vec![yaml.clone()], Some("quickfix"));
    assert_eq!(actions[0]["title"], "Use `yaml.safe_load` (unsafe)");
    assert!(actions[0].get("isPreferred").is_none());
    assert_eq!(apply(SOURCE, &actions[0]["edit"], uri), "import os\nimport yaml\n\nx = yaml.safe_load(open('c.yml'))\n");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn fix_all_applies_safe_fixes_but_keeps_the_import_being_typed() {
    let (mut client, _) = LspClient::initialized(None, json!({}), Value::Null).unwrap();
    let uri = "file:///tmp/findings_fix_all.py";
    let text = "import sys\nimport json\n\n\nprint(json)\n";
    client.open(uri, text).unwrap();
    let everything = range(0, 0, 5, 0);
    let actions = code_actions(&mut client, uri, everything.clone(), vec![], Some("source.fixAll"));
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.pyloom");
    assert_eq!(apply(text, &actions[0]["edit"], uri), "import json\n\nprint(json)\n");

    // The user is typing `import os` on line 2: fix all leaves it alone.
    let typed = "import sys\nimport json\nimport os\n\n\nprint(json)\n";
    let change = json!({"textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": range(2, 0, 2, 0), "text": "import os\n"}]});
    client.notify("textDocument/didChange", change).unwrap();
    let (_, now) = client.view_file(uri).unwrap();
    assert_eq!(now, typed);
    let actions = code_actions(&mut client, uri, everything, vec![], Some("source.fixAll.pyloom"));
    assert_eq!(apply(typed, &actions[0]["edit"], uri), "import json\nimport os\n\nprint(json)\n");

    // A stale diagnostic (from version 1) offers no quick fix.
    let stale = json!({"range": range(0, 7, 0, 10), "code": "F401", "source": "pyloom", "message": "m",
        "data": {"version": 1, "fix": {"title": "t", "applicability": "safe", "edits": []}, "suppress": null}});
    assert!(code_actions(&mut client, uri, range(0, 7, 0, 10), vec![stale], Some("quickfix")).is_empty());
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn fix_all_reaches_ruffs_fixed_point_with_the_cursor_on_an_import_and_after_an_edit_across_lines() {
    let (mut client, _) = LspClient::initialized(None, json!({}), Value::Null).unwrap();
    let uri = "file:///tmp/findings_fix_all_fixed_point.py";
    let text = "import os\nimport sys\nimport json\nrate = 3\nprint(json.dumps({}))\n";
    client.open(uri, text).unwrap();
    // The cursor on `import os`, where an editor puts it in a file just
    // opened: no import is being typed; both go, as `ruff check --fix` has them.
    let actions = code_actions(&mut client, uri, range(0, 0, 0, 0), vec![], Some("source.fixAll"));
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(apply(text, &actions[0]["edit"], uri), "import json\n\nrate = 3\nprint(json.dumps({}))\n");

    // An edit across lines (a fix applied, here an older fix-all's) that
    // ends on `import os`: it typed no line, and fix all offers the rest.
    let edited = "import json\nimport os\n\nrate = 3\nprint(json.dumps({}))\n";
    let change = json!({"textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": range(0, 7, 2, 11), "text": "json\nimport os\n"}]});
    client.notify("textDocument/didChange", change).unwrap();
    assert_eq!(client.view_file(uri).unwrap().1, edited);
    let actions = code_actions(&mut client, uri, range(0, 0, 0, 0), vec![], Some("source.fixAll"));
    assert_eq!(actions.len(), 1, "{actions:#?}");
    assert_eq!(apply(edited, &actions[0]["edit"], uri), "import json\n\nrate = 3\nprint(json.dumps({}))\n");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn clients_that_pull_get_reports_and_nothing_pushed() {
    let capabilities = json!({
        "textDocument": {"diagnostic": {"dynamicRegistration": false}},
        "workspace": {"diagnostics": {"refreshSupport": true}},
    });
    let (mut client, result) = LspClient::initialized(None, capabilities, Value::Null).unwrap();
    assert_eq!(result["capabilities"]["diagnosticProvider"]["identifier"], "pyloom");
    let uri = "file:///tmp/findings_pull.py";
    client.open(uri, SOURCE).unwrap();
    let report = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}})).unwrap();
    assert_eq!(report["kind"], "full");
    let result_id = report["resultId"].as_str().unwrap().to_owned();
    assert!(result_id.starts_with("1-"), "{result_id}");
    let items = report["items"].as_array().unwrap();
    assert!(items.iter().any(|d| d["code"] == "F401") && items.iter().any(|d| d["code"] == "S506"), "{items:#?}");
    let again = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": uri}, "previousResultId": result_id})).unwrap();
    assert_eq!(again["kind"], "unchanged");
    let unknown = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": "file:///tmp/nope.py"}}));
    assert!(unknown.unwrap_err().to_string().contains("not open"));
    // Nothing was pushed: the only publishDiagnostics would be for this uri.
    client.close_stdin();
    assert!(client.notification("textDocument/publishDiagnostics", |_| true).is_err());
}

#[test]
fn clients_that_pull_but_take_no_refresh_get_pushed_diagnostics() {
    // Without refresh support a pulling client would never learn that a
    // snippet run or another file changed a document's diagnostics.
    let capabilities = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    let (mut client, result) = LspClient::initialized(None, capabilities, Value::Null).unwrap();
    assert!(result["capabilities"].get("diagnosticProvider").is_none(), "{result:#}");
    let uri = "file:///tmp/findings_pull_no_refresh.py";
    client.open(uri, SOURCE).unwrap();
    let pushed = client.diagnostics(uri).unwrap();
    assert!(pushed.iter().any(|d| d["code"] == "F401"), "{pushed:#?}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn workspace_ruff_configuration_and_pyloom_settings_apply() {
    let root = fixture("findings");
    let options = json!({"lint": {"ignore": ["S101"]}});
    let (mut client, _) = LspClient::initialized(Some(&root), json!({}), options).unwrap();
    let uri = file_uri(&root.join("app.py"));
    let text = std::fs::read_to_string(root.join("app.py")).unwrap();
    client.open(&uri, &text).unwrap();
    let diagnostics = client.diagnostics(&uri).unwrap();
    let codes: Vec<&str> = diagnostics.iter().filter_map(|d| d["code"].as_str()).collect();
    // ruff.toml selects E741 and F401 and ignores F401 here; the client
    // ignores S101; S comes from pyloom's default extend_select.
    assert!(codes.contains(&"E741") && codes.contains(&"S113") && codes.contains(&"LOOM901"), "{codes:?}");
    assert!(!codes.contains(&"S101") && !codes.contains(&"F401"), "{codes:?}");
    let secret = by_code(&diagnostics, "LOOM901");
    assert!(!secret["message"].as_str().unwrap().contains("IOSFODNN7EXAMPLE"), "masked: {secret}");
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn check_reports_security_with_fixes_in_json() {
    let out = Command::new(pyloom_bin()).args(["check", "--format", "json"]).arg(fixture("findings")).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let timeout = findings.iter().find(|f| f["code"] == "S113").unwrap_or_else(|| panic!("{findings:#?}"));
    assert_eq!(timeout["category"], "security");
    assert_eq!(timeout["fix"]["applicability"], "unsafe");
    assert_eq!(timeout["fix"]["edits"][0]["content"], ", timeout=30");
    let secret = findings.iter().find(|f| f["code"] == "LOOM901").unwrap();
    assert_eq!((secret["category"].as_str(), secret["confidence"].as_str()), (Some("security"), Some("high")));
    let lint = findings.iter().find(|f| f["code"] == "E741").unwrap();
    assert_eq!(lint["category"], "lint");
    assert_eq!(lint["url"], "https://docs.astral.sh/ruff/rules/ambiguous-variable-name");

    // Graph checks: each points at the definition it was checked against.
    let graph: Vec<(&str, &str, i64)> = findings
        .iter()
        .filter(|f| f["category"] == "graph")
        .map(|f| (f["code"].as_str().unwrap(), f["message"].as_str().unwrap(), f["related"][0]["line"].as_i64().unwrap()))
        .collect();
    assert_eq!(
        graph,
        [
            ("LOOM801", "`volume` is not defined in module `shapes.geometry`", 1),
            ("LOOM802", "`area` takes 2 positional arguments but 3 were given", 4),
            ("LOOM803", "`area` has no parameter `colour`", 4),
            ("LOOM804", "module `shapes.geometry` has no attribute `perimeter`", 1),
        ]
    );
    assert!(findings.iter().filter(|f| f["category"] == "graph").all(|f| f["related"][0]["file"].as_str().unwrap().ends_with("geometry.py")));
}

#[test]
fn check_prints_from_its_cache_what_it_prints_without_it() {
    for project in ["demo", "findings"] {
        let cache = tempfile::tempdir().unwrap();
        let check = |extra: &[&str]| {
            let out = Command::new(pyloom_bin())
                .args(["check", "--format", "json"])
                .args(extra)
                .arg(fixture(project))
                .env("PYLOOM_CACHE_DIR", cache.path())
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(1), "{project}: {}", String::from_utf8_lossy(&out.stderr));
            (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
        };
        let cold = check(&["--no-cache"]);
        assert!(!cache.path().join("workspaces").exists(), "--no-cache wrote the check cache");
        let first = check(&[]);
        let databases = cache.path().join("workspaces").read_dir().unwrap().filter(|f| f.as_ref().unwrap().path().extension().is_some_and(|e| e == "sqlite3"));
        assert_eq!(databases.count(), 1, "{project}: no cache written");
        let warm = check(&[]);
        assert_eq!(first, cold, "{project}: the run that filled the cache");
        assert_eq!(warm, cold, "{project}: the run that read it");
        assert!(serde_json::from_str::<Vec<Value>>(&cold.0).unwrap().len() > 3, "{project}: {}", cold.0);
    }
}

#[test]
fn changed_settings_reanalyse_open_documents() {
    let (mut client, _) = LspClient::initialized(None, json!({}), Value::Null).unwrap();
    let uri = "file:///tmp/findings_settings.py";
    client.open(uri, "import os\n").unwrap();
    let before = client.diagnostics(uri).unwrap();
    assert_eq!(by_code(&before, "F401")["code"], "F401");
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"pyloom": {"lint": {"ignore": ["F401"]}}}})).unwrap();
    // A publication of the old settings may still be on its way: wait for
    // the one without F401 (the client's timeout fails the test otherwise).
    let without_f401 = |p: &Value| p["uri"] == uri && p["diagnostics"].as_array().is_some_and(|d| d.iter().all(|d| d["code"] != "F401"));
    client.notification("textDocument/publishDiagnostics", without_f401).unwrap();
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn graph_checks_point_at_definitions_and_follow_their_changes() {
    let root = fixture("findings");
    let (mut client, _) = LspClient::initialized(Some(&root), json!({}), Value::Null).unwrap();
    let report = root.join("shapes/report.py");
    let report_uri = file_uri(&report);
    client.open(&report_uri, &std::fs::read_to_string(&report).unwrap()).unwrap();
    let has_arity = |p: &Value| p["uri"] == report_uri.as_str() && p["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["code"] == "LOOM802"));
    let published = client.notification("textDocument/publishDiagnostics", has_arity).unwrap();
    let diagnostics = published["diagnostics"].as_array().unwrap();
    let arity = by_code(diagnostics, "LOOM802");
    let related = &arity["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], file_uri(&root.join("shapes/geometry.py")));
    assert_eq!(related["location"]["range"]["start"], json!({"line": 3, "character": 4}));

    // `area` grows a third parameter in the open geometry.py: the call in
    // report.py is fine now, without touching report.py.
    let geometry = root.join("shapes/geometry.py");
    let geometry_uri = file_uri(&geometry);
    let text = std::fs::read_to_string(&geometry).unwrap().replace("def area(width, height,", "def area(width, height, depth=1,");
    client.open(&geometry_uri, &text).unwrap();
    let fixed = |p: &Value| {
        p["uri"] == report_uri.as_str()
            && p["diagnostics"].as_array().is_some_and(|d| d.iter().any(|d| d["code"] == "LOOM803") && !d.iter().any(|d| d["code"] == "LOOM802"))
    };
    client.notification("textDocument/publishDiagnostics", fixed).unwrap();
    assert!(client.shutdown().unwrap().success());
}

#[test]
fn check_points_a_flow_finding_at_where_the_data_entered() {
    let dir = std::env::temp_dir().join(format!("pyloom flow {}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = "import sqlite3\n\ndef find(conn, request):\n    name = request.GET['name']\n    q = \"SELECT * FROM person WHERE name = '%s'\" % name\n    conn.execute(q)\n";
    std::fs::write(dir.join("views.py"), source).unwrap();
    let out = Command::new(pyloom_bin()).args(["check", "--format", "json", "views.py"]).current_dir(&dir).output().unwrap();
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let flow = findings.iter().find(|f| f["code"] == "LOOM620").unwrap_or_else(|| panic!("{findings:#?}"));
    assert_eq!((flow["line"].as_i64(), flow["category"].as_str(), flow["confidence"].as_str()), (Some(6), Some("security"), Some("high")));
    assert_eq!((flow["related"][0]["line"].as_i64(), flow["related"][0]["message"].as_str()), (Some(4), Some("`request.GET` enters here")));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_hides_an_s_finding_the_flow_proves_harmless_unless_every_confidence_is_asked() {
    let dir = std::env::temp_dir().join(format!("pyloom confidence {}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = "import os\n\nBACKUP = 'cp orders.db /tmp/orders.bak'\n\ndef backup(name):\n    os.system(BACKUP)\n    os.system('cp ' + name + ' /tmp')\n";
    std::fs::write(dir.join("jobs.py"), source).unwrap();
    let shell_findings = |extra: &[&str]| -> Vec<(i64, String)> {
        let out = Command::new(pyloom_bin()).args(["check", "--format", "json", "jobs.py"]).args(extra).current_dir(&dir).output().unwrap();
        let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        let shell = findings.iter().filter(|f| f["code"] == "S605");
        shell.map(|f| (f["line"].as_i64().unwrap_or_default(), f["confidence"].as_str().unwrap_or_default().to_owned())).collect()
    };
    // The constant command is low; the parameter's reaches the shell.
    assert_eq!(shell_findings(&[]), [(7, "medium".to_owned())]);
    assert_eq!(shell_findings(&["--confidence", "low"]), [(6, "low".to_owned()), (7, "medium".to_owned())]);
    assert_eq!(shell_findings(&["--confidence", "high"]), []);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_says_how_many_findings_the_confidence_setting_hid() {
    let dir = std::env::temp_dir().join(format!("pyloom hidden {}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = "import os\n\ndef backup(name):\n    os.system('cp orders.db /tmp/orders.bak')\n    os.system('rm -f /tmp/old.bak')\n    os.system('cp ' + name + ' /tmp')\n";
    std::fs::write(dir.join("jobs.py"), source).unwrap();
    let run = |extra: &[&str]| {
        let out = Command::new(pyloom_bin()).args(["check", "jobs.py"]).args(extra).current_dir(&dir).output().unwrap();
        (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    // The two constant commands are low, and so are their partial
    // executable paths (S607): hidden, and said to be.
    let (shown, said) = run(&[]);
    assert_eq!(shown.lines().filter(|l| l.contains("S605")).count(), 1, "{shown}");
    assert!(said.ends_with("pyloom: 4 findings below medium confidence hidden (--confidence low shows them)\n"), "{said}");
    let (_, said) = run(&["--confidence", "high"]);
    assert!(said.contains("5 findings below high confidence hidden"), "{said}");
    // Nothing hidden, nothing said; the JSON report stays a list.
    let (shown, said) = run(&["--confidence", "low", "--format", "json"]);
    let findings: Vec<Value> = serde_json::from_str(&shown).unwrap();
    assert_eq!(findings.iter().filter(|f| f["code"] == "S605").count(), 3);
    assert!(!said.contains("hidden"), "{said}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_reports_a_flask_view_returning_html_and_a_plain_http_url_with_their_places() {
    let dir = std::env::temp_dir().join(format!("pyloom flask {}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let source = "import requests\nfrom flask import Flask\n\napp = Flask(__name__)\n\n@app.route('/hello/<name>')\ndef hello(name):\n    api = 'http://api.example.com/greet'\n    requests.get(api, timeout=5)\n    return '<p>Hello %s</p>' % name\n";
    std::fs::write(dir.join("app.py"), source).unwrap();
    let out = Command::new(pyloom_bin()).args(["check", "--format", "json", "app.py"]).current_dir(&dir).output().unwrap();
    let findings: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let found = |code: &str| findings.iter().find(|f| f["code"] == code).cloned().unwrap_or_else(|| panic!("no {code} in {findings:#?}"));
    let (url, html) = (found("LOOM624"), found("LOOM625"));
    assert_eq!((url["line"].as_i64(), url["related"][0]["line"].as_i64()), (Some(9), Some(8)), "{url:#}");
    assert_eq!(url["related"][0]["message"], "the `http://` URL is written here");
    assert_eq!((html["line"].as_i64(), html["related"][0]["line"].as_i64()), (Some(10), Some(7)), "{html:#}");
    assert_eq!(html["related"][0]["message"], "route parameter `name` enters here");
    std::fs::remove_dir_all(&dir).unwrap();
}
