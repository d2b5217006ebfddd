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
/// checks; the same with the editor's linked graph. The first check's
/// findings they make surer follow, as `upgraded`. A place in another file
/// is shown with its name.
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
        let (found, amends) = check.graph_findings(&path, source, &config, (graph, file), &Callees::default(), &outside);
        (found.into_iter().filter(|f| f.category == Category::Security).collect::<Vec<_>>(), amends)
    };
    let (findings, amends) = found(&Graph::build_unlinked(vec![root.to_owned()], inputs(), None));
    assert_eq!(found(&Graph::build(vec![root.to_owned()], inputs(), None)), (findings.clone(), amends.clone()), "linked graph");
    let place = |file: &Path, offset: usize| {
        let (name, text) = files.iter().find(|(p, _)| root.join(p) == file).expect("a file of the test");
        let (line, column) = Locator::new(text).line_column(offset);
        if root.join(name) == path { format!("{line}:{column}") } else { format!("{name}:{line}:{column}") }
    };
    let mut out = render(source, &findings);
    for related in findings.iter().flat_map(|f| &f.related) {
        out.push_str(&format!("  entered {} {}\n", place(&related.file, related.range.start), related.message));
    }
    for (start, code) in &amends.cleared {
        out.push_str(&format!("cleared {} {code}\n", place(&path, *start)));
    }
    for (start, code) in &amends.lowered {
        out.push_str(&format!("lowered {} {code}\n", place(&path, *start)));
    }
    for upgrade in &amends.upgrades {
        out.push_str(&format!("upgraded {} {} to {:?}\n", place(&path, upgrade.start), upgrade.code, upgrade.confidence));
        for related in &upgrade.related {
            out.push_str(&format!("  entered {} {}\n", place(&related.file, related.range.start), related.message));
        }
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
              entered app.py:11:30 `request.args` enters here
              entered 10:21 `request.form` enters here
              entered app.py:16:26 `request.form` enters here
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
              entered app.py:11:18 `request.args` enters here
        "#]],
    );
}

const HELPERS: &str = r#"import subprocess


def shell(cmd):
    return subprocess.check_output(cmd, shell=True)
"#;

#[test]
fn a_sink_reported_for_a_parameter_is_made_surer_by_a_view_elsewhere_that_passes_request_data() {
    let views = r#"from flask import Flask, request

from helpers import shell

app = Flask(__name__)


@app.route("/ls")
def ls():
    return shell("ls " + request.args["d"])
"#;
    check_across(
        &[("views.py", views), ("helpers.py", HELPERS)],
        expect![[r#"
            upgraded 5:12 S602 to High
              entered 4:11 `request.args` enters here
              entered views.py:10:26 `request.args` enters here
        "#]],
    );
}

#[test]
fn a_sink_reported_for_a_parameter_stays_as_sure_when_callers_elsewhere_pass_constants() {
    let views = r#"from flask import Flask, request

from helpers import shell

app = Flask(__name__)


@app.route("/ls")
def ls():
    if request.args.get("long"):
        return shell("ls -l")
    return shell("ls")
"#;
    check_across(&[("views.py", views), ("helpers.py", HELPERS)], expect![[r#""#]]);
}

const UTIL: &str = r#"import html
import os


def clean_name(name):
    return os.path.basename(name)


def joined(base, name):
    return os.path.join(base, name)


def marked(name):
    return html.escape(name)
"#;

#[test]
fn a_helper_of_another_module_that_sanitises_for_the_sink_clears_the_finding() {
    // The path `clean_name` keeps in its folder, as the inline call does;
    // `joined` keeps nothing and `marked` escapes for another sink: those
    // stay. A local function of the same name hides the one elsewhere.
    let views = r#"import os

from flask import Flask, request

from util import clean_name, joined, marked

app = Flask(__name__)
BASE = "/srv/files"


@app.route("/a")
def a():
    return open(os.path.join(BASE, clean_name(request.args["n"]))).read()


@app.route("/b")
def b():
    return open(joined(BASE, request.args["n"])).read()


@app.route("/c")
def c():
    return open(os.path.join(BASE, marked(request.args["n"]))).read()
"#;
    check_across(
        &[("util.py", UTIL), ("views.py", views)],
        expect![[r#"
            cleared 13:12 LOOM626
        "#]],
    );
}

#[test]
fn a_helper_of_another_module_called_through_its_module_clears_the_finding() {
    // `util.clean_name(x)` and `u.clean_name(x)` as `clean_name(x)` is;
    // `u.joined` keeps nothing and `u.marked` escapes for another sink:
    // those stay.
    let views = r#"import os

from flask import Flask, request

import util
import util as u

app = Flask(__name__)
BASE = "/srv/files"


@app.route("/a")
def a():
    return open(os.path.join(BASE, util.clean_name(request.args["n"]))).read()


@app.route("/b")
def b():
    return open(os.path.join(BASE, u.clean_name(request.args["n"]))).read()


@app.route("/c")
def c():
    return open(u.joined(BASE, request.args["n"])).read()


@app.route("/d")
def d():
    return open(os.path.join(BASE, u.marked(request.args["n"]))).read()
"#;
    check_across(
        &[("util.py", UTIL), ("views.py", views)],
        expect![[r#"
            cleared 14:12 LOOM626
            cleared 19:12 LOOM626
        "#]],
    );
}

const QUOTING: &str = r#"import shlex


def quoted(word):
    return shlex.quote(word)
"#;

#[test]
fn ruffs_finding_on_data_a_helper_elsewhere_sanitised_is_lowered_not_dropped() {
    // ruff's S605 stays (`--confidence low` shows what ruff reports), low
    // as the same-file call would be; pyloom's own LOOM626 goes. Twin: the
    // command from the request as it is stays high.
    let views = r#"import os

from flask import Flask, request

import util

app = Flask(__name__)


@app.route("/a")
def a():
    return os.system("ls " + util.quoted(request.args["d"]))


@app.route("/b")
def b():
    return os.system("ls " + request.args["d"])
"#;
    check_across(
        &[("util.py", QUOTING), ("views.py", views)],
        expect![[r#"
        lowered 12:12 S605
    "#]],
    );
}
