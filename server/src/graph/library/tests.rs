use super::*;
use crate::graph::{FileInput, Graph};
use rustc_hash::FxHashMap;

fn texts(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect()
}

#[test]
fn warming_parses_the_modules_named_their_packages_and_what_they_import_of_their_own() {
    let library = Library::from_texts(texts(&[
        ("builtins.pyi", "class str: ...\n"),
        ("os/__init__.pyi", "from . import path as path\nimport sys\n"),
        ("os/path.pyi", "def join(a: str) -> str: ...\n"),
        ("sys.pyi", "platform: str\n"),
        ("tkinter.pyi", "class Tk: ...\n"),
        ("json/__init__.pyi", "import sys\nfrom .decoder import JSONDecoder as JSONDecoder\n"),
        ("json/decoder.pyi", "class JSONDecoder: ...\n"),
        ("json/tool.pyi", "def main() -> None: ...\n"),
    ]));
    // `os` and `os.path`, and `builtins`; not `sys`, which `os` imports.
    assert_eq!(library.warm(["os.path", "requests"]), 3);
    assert_eq!(library.parsed(), 3, "neither sys nor tkinter is parsed");
    assert_eq!(library.module("os.path").and_then(|id| library.entry(id)).map(|e| e.module.as_str()), Some("os.path"));
    // `json` and the module of its own it imports; not `json.tool`, which it does not.
    assert_eq!(library.warm(["json"]), 3);
    assert_eq!(library.parsed(), 5, "json and json.decoder besides the three");
}

/// A graph with no workspace file over this library.
fn graph(typeshed: &[(&str, &str)], site: &[(&str, &str)]) -> Graph {
    let library = Library::in_memory(texts(typeshed), texts(site));
    let input = FileInput { path: "/ws/app.py".into(), text: Arc::from(""), summary: None };
    Graph::build(vec!["/ws".into()], vec![input], Some(Arc::new(library)))
}

fn defined_in(graph: &Graph, path: &str) -> Option<(String, Origin)> {
    let item = graph.library_item(path)?;
    let symbol = graph.library_symbol(item)?;
    Some((symbol.qualified_name, symbol.origin))
}

#[test]
fn modules_are_found_in_the_interpreters_order() {
    let graph = graph(
        &[("json/__init__.pyi", "def loads(s: str) -> object: ...\n")],
        &[
            // A stub-only package shadows the package it types.
            ("yaml-stubs/__init__.pyi", "def safe_load(stream: str) -> object: ...\n"),
            ("yaml/__init__.py", "def safe_load(stream):\n    pass\n"),
            // A `.pyi` beside its source wins over it.
            ("fast/__init__.py", "def go(x):\n    pass\n"),
            ("fast/__init__.pyi", "def go(x: int) -> int: ...\n"),
            ("typedpkg/__init__.py", "def f(a: int) -> int:\n    return a\n"),
            ("typedpkg/py.typed", ""),
            ("untyped/__init__.py", "def g(a):\n    return a\n"),
            // A namespace package: no `__init__`, its modules are found.
            ("ns/part.py", "def h():\n    pass\n"),
            // A standard-library name typeshed has is never taken from here.
            ("json/__init__.py", "def loads(s):\n    pass\n"),
        ],
    );
    let cases = [
        ("json.loads", ("json.loads", Origin::StdlibStub)),
        ("yaml.safe_load", ("yaml.safe_load", Origin::Stub)),
        ("fast.go", ("fast.go", Origin::Stub)),
        ("typedpkg.f", ("typedpkg.f", Origin::Typed)),
        ("untyped.g", ("untyped.g", Origin::Untyped)),
        ("ns.part.h", ("ns.part.h", Origin::Untyped)),
    ];
    for (path, (qualified, origin)) in cases {
        assert_eq!(defined_in(&graph, path), Some((qualified.to_owned(), origin)), "{path}");
    }
    assert_eq!(defined_in(&graph, "yaml.dump"), None);
    assert_eq!(defined_in(&graph, "missing.thing"), None);
    assert!(graph.library().unwrap().has_module("ns"));
}

#[test]
fn typesheds_third_party_stubs_type_an_untyped_package_and_only_an_installed_one() {
    let graph = graph(
        &[
            ("stubs/types-PyYAML/yaml/__init__.pyi", "from .loader import Loader as Loader\ndef safe_load(stream: str | bytes) -> object: ...\n"),
            ("stubs/types-PyYAML/yaml/loader.pyi", "class Loader:\n    def __init__(self, stream: str) -> None: ...\n"),
            ("stubs/types-PyYAML/METADATA.toml", "version = \"6.0.*\"\n"),
            ("stubs/types-PyYAML/@tests/stubtest_allowlist.txt", ""),
            ("stubs/types-six/six/__init__.pyi", "from six import moves as moves\ndef ensure_str(s: str | bytes) -> str: ...\n"),
            ("stubs/types-six/six/moves/__init__.pyi", "from builtins import range as range\n"),
            ("stubs/types-typed/typedpkg/__init__.pyi", "def f(a: str) -> str: ...\n"),
            ("stubs/attrs/attr/__init__.pyi", "def s(maybe_cls: type) -> type: ...\n"),
        ],
        &[
            ("yaml/__init__.py", "def safe_load(stream):\n    \"\"\"Parse the first YAML document.\"\"\"\n\ndef extra():\n    pass\n"),
            ("yaml/loader.py", "class Loader:\n    pass\n"),
            ("yaml/cyaml.py", "class CLoader:\n    pass\n"),
            ("PyYAML-6.0.2.dist-info/METADATA", "Name: PyYAML\nVersion: 6.0.2\n"),
            ("PyYAML-6.0.2.dist-info/top_level.txt", "yaml\n"),
            // `six` installs one module, whose `moves` it makes at run time.
            ("six.py", "def ensure_str(s):\n    return s\n"),
            // A package that types itself keeps its own types.
            ("typedpkg/__init__.py", "def f(a: int) -> int:\n    return a\n"),
            ("typedpkg/py.typed", ""),
        ],
    );
    let symbol = graph.library_symbol(graph.library_item("yaml.safe_load").unwrap()).unwrap();
    assert_eq!((symbol.origin, symbol.path.extension().unwrap().to_str().unwrap()), (Origin::Stub, "pyi"));
    assert_eq!(crate::graph::explain::signature(symbol.signature.unwrap()), "(stream: str | bytes) -> object");
    // The docstring from the source the stub types; the version from its dist-info.
    assert_eq!(symbol.docstring, Some("Parse the first YAML document."));
    assert_eq!(symbol.distribution.map(|d| (d.name, d.version)), Some(("PyYAML".to_owned(), "6.0.2".to_owned())));
    assert_eq!(defined_in(&graph, "yaml.loader.Loader"), Some(("yaml.loader.Loader".to_owned(), Origin::Stub)));
    // What the stubs leave out is read from the source; what they omit of a module is not there.
    assert_eq!(defined_in(&graph, "yaml.cyaml.CLoader"), Some(("yaml.cyaml.CLoader".to_owned(), Origin::Untyped)));
    assert_eq!(defined_in(&graph, "yaml.extra"), None);
    // A stub package over a module: its submodules are the stubs'.
    assert_eq!(defined_in(&graph, "six.ensure_str"), Some(("six.ensure_str".to_owned(), Origin::Stub)));
    assert!(graph.library().unwrap().has_module("six.moves"));
    assert_eq!(graph.library_item("six.moves").and_then(|i| graph.library_symbol(i)).map(|s| s.kind), Some(crate::graph::SymbolKind::Module));
    // Not installed: not importable, whatever typeshed has.
    assert_eq!(defined_in(&graph, "attr.s"), None);
    assert_eq!(defined_in(&graph, "typedpkg.f"), Some(("typedpkg.f".to_owned(), Origin::Typed)));
}

#[test]
fn a_namespace_packages_parts_have_their_own_distribution_and_py_typed() {
    let graph = graph(
        &[],
        &[
            ("acme/one/__init__.py", "def one_fn(a: int) -> int:\n    return a\n"),
            ("acme/one/py.typed", ""),
            ("acme_one-2.0.dist-info/METADATA", "Name: acme-one\nVersion: 2.0\n"),
            ("acme_one-2.0.dist-info/top_level.txt", "acme\n"),
            ("acme_one-2.0.dist-info/RECORD", "acme/one/__init__.py,,\nacme/one/py.typed,,\n"),
            ("acme/two/__init__.py", "def two_fn(b: int) -> int:\n    return b\n"),
            ("acme/two/py.typed", ""),
            ("acme_two-1.5.dist-info/METADATA", "Name: acme-two\nVersion: 1.5\n"),
            ("acme_two-1.5.dist-info/top_level.txt", "acme\n"),
            ("acme_two-1.5.dist-info/RECORD", "acme/two/__init__.py,,\nacme/two/py.typed,,\n"),
        ],
    );
    for (path, distribution) in [("acme.one.one_fn", "acme-one 2.0"), ("acme.two.two_fn", "acme-two 1.5")] {
        let symbol = graph.library_symbol(graph.library_item(path).unwrap()).unwrap();
        assert_eq!(symbol.origin, Origin::Typed, "{path}");
        assert_eq!(symbol.distribution.map(|d| format!("{} {}", d.name, d.version)).as_deref(), Some(distribution), "{path}");
    }
}

#[test]
fn reexports_star_imports_submodules_and_the_platform_are_followed() {
    let graph = graph(
        &[
            ("os/__init__.pyi", "import sys\nfrom . import path as path\n"),
            ("os/path.pyi", "import sys\nif sys.platform == 'win32':\n    from ntpath import *\nelse:\n    from posixpath import *\n"),
            ("posixpath.pyi", "def join(a: str, *paths: str) -> str: ...\n"),
            ("ntpath.pyi", "def join(path: str, *paths: str) -> str: ...\n"),
        ],
        &[
            ("requests/__init__.py", "from .api import get, post\nfrom . import models\n"),
            ("requests/api.py", "def get(url, params=None, **kwargs):\n    \"\"\"Sends a GET request.\n\n    More.\"\"\"\n"),
            ("requests/models.py", "class Response:\n    def json(self, **kwargs):\n        pass\n\n    @property\n    def ok(self):\n        return True\n"),
        ],
    );
    let expected = if cfg!(windows) { "ntpath.join" } else { "posixpath.join" };
    assert_eq!(defined_in(&graph, "os.path.join").map(|d| d.0), Some(expected.to_owned()));
    assert_eq!(defined_in(&graph, "requests.get").map(|d| d.0), Some("requests.api.get".to_owned()));
    assert_eq!(defined_in(&graph, "requests.models.Response.json").map(|d| d.0), Some("requests.models.Response.json".to_owned()));
    let symbol = graph.library_symbol(graph.library_item("requests.get").unwrap()).unwrap();
    assert_eq!(symbol.kind, crate::graph::SymbolKind::Function);
    assert!(symbol.docstring.unwrap().starts_with("Sends a GET request."));
    assert!(symbol.path.ends_with("requests/api.py"));
    let members: Vec<String> = graph.library_members("requests.models.Response", true).into_iter().map(|m| m.name).collect();
    assert_eq!(members, ["json", "ok"]);
    let members: Vec<String> = graph.library_members("requests", false).into_iter().map(|m| m.name).collect();
    assert_eq!(members, ["get", "post", "models", "api"]);
}

#[test]
fn a_distribution_and_its_version_come_from_its_dist_info() {
    let graph = graph(
        &[],
        &[
            ("requests/__init__.py", "def get(url):\n    pass\n"),
            ("requests-2.32.3.dist-info/METADATA", "Name: requests\n"),
            ("yaml/__init__.py", "def load(s):\n    pass\n"),
            ("PyYAML-6.0.2.dist-info/top_level.txt", "_yaml\nyaml\n"),
        ],
    );
    let distribution = |path: &str| {
        let symbol = graph.library_symbol(graph.library_item(path)?)?;
        symbol.distribution.map(|d| format!("{} {}", d.name, d.version))
    };
    assert_eq!(distribution("requests.get").as_deref(), Some("requests 2.32.3"));
    assert_eq!(distribution("yaml.load").as_deref(), Some("PyYAML 6.0.2"));
}

#[test]
fn star_import_cycles_all_lists_and_bases_known_by_path() {
    let graph = graph(
        &[
            ("builtins.pyi", "class object: ...\nclass dict:\n    def get(self, key: str) -> object: ...\n    def keys(self) -> list[str]: ...\n"),
            ("collections/__init__.pyi", "class OrderedDict(dict[str, int]):\n    def move_to_end(self, key: str) -> None: ...\n"),
        ],
        &[
            ("cyc/__init__.py", "from .a import *\n"),
            ("cyc/a.py", "from .b import *\ndef fa():\n    pass\n"),
            ("cyc/b.py", "from .a import *\ndef fb():\n    pass\n"),
            ("cyc/py.typed", ""),
            ("alllib/__init__.pyi", "from ._core import array\nfrom typing import Literal as L\n__all__ = [\"array\"]\n"),
            ("alllib/_core.pyi", "def array(x: object) -> list[object]: ...\n"),
            ("starlib/__init__.py", "from ._impl import *\n"),
            ("starlib/_impl.py", "import os\n__all__ = [\"pub\"]\ndef pub():\n    pass\ndef helper():\n    pass\n"),
        ],
    );
    let names = |path: &str, instance: bool| -> Vec<String> { graph.library_members(path, instance).into_iter().map(|m| m.name).collect() };
    assert_eq!(names("cyc", false), ["fa", "fb", "a", "b"]);
    assert_eq!(defined_in(&graph, "cyc.nothere"), None);
    assert_eq!(names("alllib", false), ["array"]);
    assert_eq!(defined_in(&graph, "alllib.array").map(|d| d.0), Some("alllib._core.array".to_owned()));
    assert_eq!(names("starlib", false), ["pub"]);
    assert_eq!(defined_in(&graph, "starlib.helper"), None);
    assert_eq!(names("collections.OrderedDict", true), ["move_to_end", "get", "keys"]);
    assert_eq!(defined_in(&graph, "collections.OrderedDict.get").map(|d| d.0), Some("builtins.dict.get".to_owned()));
}

/// A cache in memory, shared by the libraries of two "starts".
#[derive(Debug, Default, Clone)]
struct Memory(Arc<Mutex<FxHashMap<u64, Arc<FileSummary>>>>);

impl SummaryCache for Memory {
    fn load(&self, key: u64) -> Option<Arc<FileSummary>> {
        self.0.lock().unwrap().get(&key).cloned()
    }

    fn save(&self, key: u64, summary: &FileSummary) {
        self.0.lock().unwrap().insert(key, Arc::new(summary.clone()));
    }
}

#[test]
fn a_second_start_parses_no_library_file_it_parsed_before() {
    let cache = Memory::default();
    let start = || {
        let site =
            texts(&[("acme/__init__.py", "from .api import fetch\n__all__ = ['fetch']\n"), ("acme/api.py", "def fetch(url: str) -> bytes:\n    return b''\n")]);
        let library = Library::in_memory(Vec::new(), site).with_cache(Box::new(cache.clone()));
        let input = FileInput { path: "/ws/app.py".into(), text: Arc::from(""), summary: None };
        Graph::build(vec!["/ws".into()], vec![input], Some(Arc::new(library)))
    };
    let first = start();
    assert_eq!(defined_in(&first, "acme.fetch").map(|d| d.0), Some("acme.api.fetch".to_owned()));
    assert_eq!(first.library().unwrap().parses(), 2);
    let second = start();
    assert_eq!(defined_in(&second, "acme.fetch").map(|d| d.0), Some("acme.api.fetch".to_owned()));
    assert_eq!(second.library().unwrap().parses(), 0, "every summary came from the cache");
    let members: Vec<String> = second.library_members("acme", false).into_iter().map(|m| m.name).collect();
    assert_eq!(members, ["fetch", "api"], "`__all__` survives the cache");
}

#[test]
fn what_a_stub_leaves_out_comes_from_the_source_it_types() {
    let graph = graph(
        &[("json/__init__.pyi", "def loads(s: str) -> object: ...\n")],
        &[
            ("json/__init__.py", "def loads(s):\n    \"\"\"Deserialize s.\"\"\"\n"),
            ("yaml-stubs/__init__.pyi", "class Loader:\n    def load(self) -> object: ...\n"),
            ("yaml/__init__.py", "class Loader:\n    def load(self):\n        \"\"\"Loads a document.\"\"\"\n"),
        ],
    );
    let doc = |path: &str| graph.library_symbol(graph.library_item(path).unwrap()).unwrap().docstring.map(str::to_owned);
    assert_eq!(doc("json.loads").as_deref(), Some("Deserialize s."));
    assert_eq!(doc("yaml.Loader.load").as_deref(), Some("Loads a document."));
}
