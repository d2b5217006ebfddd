//! Fixture tests for parameters filled by callers in other modules
//! ([`super::callers_elsewhere`]): a Flask app and an MCP server whose
//! handlers pass the client's data to helpers of another module, each with
//! a twin whose handlers pass constants or a checked value and which stays
//! silent.

use std::path::Path;

use expect_test::{Expect, expect};

use super::tests::{config, render};
use super::*;
use crate::graph::FileInput;
use crate::settings::LintSettings;

/// The security findings of the last of `files` (path under `/ws`, text)
/// that callers in the others make, as `pyloom check` finds them: each file
/// checked, the graph built without edges, the calls placed, then the graph
/// checks; the same with the editor's linked graph.
fn check_across(files: &[(&str, &str)], expect: Expect) {
    let root = Path::new("/ws");
    let config = config(LintSettings::default());
    let checks: Vec<FileCheck> = files
        .iter()
        .map(|(path, text)| {
            let path = root.join(path);
            FileCheck::new(&path, text, &parse(&path, text), &config, NoqaEdits::Skip, &PackageRoots::default())
        })
        .collect();
    let inputs = || files.iter().map(|(path, text)| FileInput { path: root.join(path), text: (*text).into(), summary: None }).collect();
    let (path, source) = files.last().expect("a file to check");
    let path = root.join(path);
    let found = |graph: &Graph| {
        let ids: Vec<(FileId, &FileCheck)> = files.iter().zip(&checks).map(|((p, _), c)| (graph.file_id(&root.join(p)).expect("indexed"), c)).collect();
        let outside = Outside::of(graph, &ids);
        let (file, check) = *ids.last().expect("a file");
        check.graph_findings(&path, source, &config, (graph, file), &Callees::default(), &outside)
    };
    let findings: Vec<Finding> =
        found(&Graph::build_unlinked(vec![root.to_owned()], inputs(), None)).into_iter().filter(|f| f.category == Category::Security).collect();
    let linked: Vec<Finding> = found(&Graph::build(vec![root.to_owned()], inputs(), None)).into_iter().filter(|f| f.category == Category::Security).collect();
    assert_eq!(linked, findings, "linked graph");
    let locator = Locator::new(source);
    let mut out = render(source, &findings);
    for related in findings.iter().flat_map(|f| &f.related) {
        let (line, column) = locator.line_column(related.range.start);
        out.push_str(&format!("  entered {line}:{column} {}\n", related.message));
    }
    expect.assert_eq(&out);
}

const STORAGE: &str = r#"import os
import subprocess


def read_note(name):
    return open(os.path.join("/srv/notes", name)).read()


class Store:
    def write(self, path, text):
        with open(path, "w") as f:
            f.write(text)
        return subprocess.check_output("wc -c " + text, shell=True)
"#;

#[test]
fn a_helper_of_another_module_given_request_data_by_a_view() {
    let app = r#"from flask import Flask, request

import storage
from storage import Store

app = Flask(__name__)


@app.route("/note")
def note():
    return storage.read_note(request.args["name"])


@app.route("/save")
def save():
    return Store().write(request.form["path"], text="report")
"#;
    check_across(
        &[("app.py", app), ("storage.py", STORAGE)],
        expect![[r#"
            6:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
            11:14 LOOM626 Warning File path from `request.form` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 5:15 `request.args` enters here
              entered 10:21 `request.form` enters here
        "#]],
    );
}

#[test]
fn a_helper_of_another_module_given_constants_or_checked_data_stays_silent() {
    let app = r#"import re

from flask import Flask, request

import storage
from storage import Store

app = Flask(__name__)


@app.route("/note")
def note():
    name = request.args["name"]
    if not re.fullmatch(r"[a-z0-9]+", name):
        return "bad", 400
    return storage.read_note(name)


@app.route("/save")
def save():
    return Store().write("/srv/report.txt", text="report")
"#;
    check_across(&[("app.py", app), ("storage.py", STORAGE)], expect![[r#""#]]);
}

#[test]
fn a_query_silenced_with_its_ruff_rule_stays_silenced_for_callers_elsewhere() {
    let app = r#"from flask import Flask, request

import queries

app = Flask(__name__)


@app.route("/find")
def find():
    queries.by_name(request.args["name"])
    queries.read(request.args["path"])
"#;
    let queries = r#"import sqlite3

CONN = sqlite3.connect("app.db")


def by_name(name):
    return CONN.execute("SELECT * FROM t WHERE name = '%s'" % name)  # noqa: S608


def read(path):
    return open(path).read()  # noqa: S608
"#;
    check_across(
        &[("app.py", app), ("queries.py", queries)],
        expect![[r#"
            11:12 LOOM626 Warning File path from `request.args` reaches `open`; it may leave the intended folder (`../`) [confidence High]
              entered 10:10 `request.args` enters here
        "#]],
    );
}
