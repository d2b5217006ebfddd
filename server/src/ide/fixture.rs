//! Test fixtures: multi-file workspaces written inline (`//- /path` starts
//! a file) with a `$0` cursor marker, as the graph's own tests write them.

use std::path::PathBuf;
use std::sync::Arc;

use crate::graph::{FileId, FileInput, Graph, Library};

pub const ROOT: &str = "/ws";
/// Files under this folder stand in for the standard library's stubs.
const STUBS: &str = "/ws/typeshed/";
/// Files under this folder stand in for the environment's site-packages.
const SITE: &str = "/ws/site-packages/";

/// The graph of the fixture's files, the cursor's file and offset.
pub fn graph(fixture: &str) -> (Graph, FileId, u32) {
    let mut inputs = Vec::new();
    let mut stubs = Vec::new();
    let mut site = Vec::new();
    let mut cursor = None;
    for chunk in fixture.split("//- ").filter(|c| !c.trim().is_empty()) {
        let (path, text) = chunk.split_once('\n').unwrap_or((chunk, ""));
        let path = PathBuf::from(format!("{ROOT}{}", path.trim()));
        let mut text = trim_indent(text);
        if let Some(at) = text.find("$0") {
            cursor = Some((path.clone(), at as u32));
            text = text.replacen("$0", "", 1);
        }
        if let Ok(stub) = path.strip_prefix(STUBS) {
            stubs.push((stub.display().to_string(), text));
        } else if let Ok(installed) = path.strip_prefix(SITE) {
            site.push((installed.display().to_string(), text));
        } else {
            inputs.push(FileInput { path, text: Arc::from(text.as_str()), summary: None });
        }
    }
    let library = (!stubs.is_empty() || !site.is_empty()).then(|| Arc::new(Library::in_memory(stubs, site)));
    let graph = Graph::build(vec![PathBuf::from(ROOT)], inputs, library);
    let (path, offset) = cursor.expect("the fixture has a $0 cursor");
    let file = graph.file_id(&path).expect("the cursor's file is indexed");
    (graph, file, offset)
}

/// The text of `marked` without its `«` and `»` markers, and the
/// selection between them (byte offsets of the text).
pub fn selected(marked: &str) -> (String, std::ops::Range<usize>) {
    let start = marked.find('«').expect("a « marker");
    let text = marked.replacen('«', "", 1);
    let end = text.find('»').expect("a » marker");
    (text.replacen('»', "", 1), start..end)
}

fn trim_indent(text: &str) -> String {
    let indent = text.lines().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    text.lines().map(|l| l.get(indent..).unwrap_or("")).collect::<Vec<_>>().join("\n") + "\n"
}

/// A stand-in for an environment: typeshed's standard-library stubs
/// (`/typeshed/`) and a `site-packages` (`/site-packages/`) with an
/// untyped package and its `dist-info` (requests), a `py.typed` one
/// (typedlib), a stub-only package beside its source (yaml-stubs) and a
/// namespace package (nspkg).
pub const LIBRARY: &str = r#"
//- /typeshed/builtins.pyi
class object: ...
class str:
    def upper(self) -> str: ...
class int: ...
//- /typeshed/json/__init__.pyi
def loads(s: str, *, strict: bool = True) -> object:
    """Deserialize s to a Python object.

    More detail."""
def dumps(obj: object, *, indent: int | None = None) -> str: ...
//- /typeshed/os/__init__.pyi
import sys
from . import path as path
def getcwd() -> str: ...
//- /typeshed/os/path.pyi
import sys
if sys.platform == "win32":
    from ntpath import *
else:
    from posixpath import *
//- /typeshed/posixpath.pyi
def join(a: str, *paths: str) -> str:
    """Join two or more pathname components."""
def exists(path: str) -> bool: ...
//- /typeshed/ntpath.pyi
def join(path: str, *paths: str) -> str: ...
//- /typeshed/pathlib.pyi
class PurePath:
    def __init__(self, *args: str) -> None: ...
    @property
    def name(self) -> str: ...
    def with_suffix(self, suffix: str) -> Path: ...
class Path(PurePath):
    def exists(self) -> bool: ...
    def read_text(self, encoding: str | None = None) -> str: ...
//- /site-packages/requests/__init__.py
"""Requests HTTP library."""
from .api import get, post
from .models import Response
//- /site-packages/requests/api.py
from .models import Response

def get(url, params=None, **kwargs):
    """Sends a GET request.

    :param url: URL for the new Request object.
    """
    return Response()

def post(url, data=None, json=None, **kwargs):
    return Response()
//- /site-packages/requests/models.py
class Response:
    def __init__(self):
        self.status_code = 200

    def json(self, **kwargs):
        """Returns the json-encoded content of a response."""

    @property
    def ok(self):
        return True
//- /site-packages/requests-2.32.3.dist-info/METADATA
Name: requests
//- /site-packages/typedlib/__init__.py
def fetch(url: str, *, timeout: float = 10.0) -> bytes:
    """Fetches a URL."""
    return b""
//- /site-packages/typedlib/py.typed
//- /site-packages/yaml-stubs/__init__.pyi
def safe_load(stream: str) -> object: ...
//- /site-packages/yaml/__init__.py
def safe_load(stream, Loader=None):
    pass
//- /site-packages/nspkg/tools.py
def helper(x):
    return x
"#;
