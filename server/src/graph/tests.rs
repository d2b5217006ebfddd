//! Fixture tests: multi-file workspaces written inline (`//- /path` starts
//! a file) with a `$0` cursor marker, rust-analyzer style.

use std::path::{Path, PathBuf};

use expect_test::{Expect, expect};
use proptest::prelude::*;

use super::*;

pub(in crate::graph) const ROOT: &str = "/ws";

/// A fixture's files (path, text).
pub(crate) type Files = Vec<(PathBuf, String)>;

/// Files of a fixture, and the cursor (file, offset) if marked.
pub(crate) fn parse_fixture(fixture: &str) -> (Files, Option<(PathBuf, u32)>) {
    let mut files = Vec::new();
    let mut cursor = None;
    for chunk in fixture.split("//- ").filter(|c| !c.trim().is_empty()) {
        let (path, text) = chunk.split_once('\n').unwrap_or((chunk, ""));
        let path = PathBuf::from(format!("{ROOT}{}", path.trim()));
        let text = trim_indent(text);
        let text = match text.find("$0") {
            Some(at) => {
                cursor = Some((path.clone(), at as u32));
                text.replacen("$0", "", 1)
            }
            None => text,
        };
        files.push((path, text));
    }
    (files, cursor)
}

fn trim_indent(text: &str) -> String {
    let indent = text.lines().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    text.lines().map(|l| l.get(indent..).unwrap_or("")).collect::<Vec<_>>().join("\n") + "\n"
}

/// Where a fixture's standard-library stubs go (`//- /typeshed/weakref.pyi`):
/// a tiny stand-in for typeshed's `stdlib`, no workspace file.
const STUBS: &str = "/ws/typeshed/";
/// Where a fixture's installed packages go (`//- /site-packages/requests/__init__.py`).
const SITE: &str = "/ws/site-packages/";

pub(crate) fn build(files: &[(PathBuf, String)]) -> Graph {
    let under = |root: &str| -> Vec<(String, String)> {
        files.iter().filter_map(|(path, text)| Some((path.strip_prefix(root).ok()?.display().to_string(), text.clone()))).collect()
    };
    let (stubs, site) = (under(STUBS), under(SITE));
    let library = (!stubs.is_empty() || !site.is_empty()).then(|| Arc::new(Library::in_memory(stubs, site)));
    let sources = files.iter().filter(|(path, _)| !path.starts_with(STUBS) && !path.starts_with(SITE));
    let inputs = sources.map(|(path, text)| FileInput { path: path.clone(), text: Arc::from(text.as_str()), summary: None }).collect();
    Graph::build(vec![PathBuf::from(ROOT)], inputs, library)
}

pub(crate) fn fixture_graph(fixture: &str) -> (Graph, FileId, u32) {
    let (files, cursor) = parse_fixture(fixture);
    let graph = build(&files);
    let (path, offset) = cursor.expect("fixture has a $0 cursor");
    let file = graph.file_id(&path).expect("cursor file indexed");
    (graph, file, offset)
}

/// `path:line:col qualified.name` of a location (1-based).
pub(in crate::graph) fn describe_location(graph: &Graph, location: &Location) -> String {
    let file = graph.file(location.file).expect("file");
    let before = &file.text()[..location.span.start as usize];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    let path = file.path.strip_prefix(ROOT).unwrap_or(&file.path).display();
    format!("{path}:{line}:{col}")
}

pub(in crate::graph) fn describe(graph: &Graph, resolved: &Resolved) -> String {
    match resolved {
        Resolved::Symbol(id) => {
            let symbol = graph.symbol(*id).expect("symbol");
            let at = graph.location(*id).map(|l| describe_location(graph, &l)).unwrap_or_else(|| {
                let file = symbol.file.and_then(|f| graph.file(f)).expect("file");
                file.path.strip_prefix(ROOT).unwrap_or(&file.path).display().to_string()
            });
            format!("{:?} {} at {at}", symbol.kind, symbol.qualified_name)
        }
        Resolved::External(path) => format!("external {path}"),
        Resolved::Local { file, span } => format!("local at {}", describe_location(graph, &Location { file: *file, span: *span })),
    }
}

pub(in crate::graph) fn check_definition(fixture: &str, expect: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let actual = graph.definition(file, offset).map(|r| describe(&graph, &r)).unwrap_or_else(|| "unresolved".to_owned());
    expect.assert_eq(&actual);
}

#[test]
fn definition_through_init_reexport() {
    check_definition(
        r#"
//- /shop/__init__.py
from .models import Product as Product
//- /shop/models.py
class Product:
    pass
//- /app.py
from shop import Product
Prod$0uct()
"#,
        expect!["Class shop.models.Product at shop/models.py:1:7"],
    );
}

#[test]
fn definition_through_relative_import_of_parent_package() {
    check_definition(
        r#"
//- /pkg/util.py
def helper():
    pass
//- /pkg/sub/mod.py
from ..util import helper
def run():
    help$0er()
"#,
        expect!["Function pkg.util.helper at pkg/util.py:1:5"],
    );
}

#[test]
fn definition_through_aliased_module_import() {
    check_definition(
        r#"
//- /pkg/pricing.py
def total(items):
    return 0
//- /app.py
import pkg.pricing as pr
pr.tot$0al([])
"#,
        expect!["Function pkg.pricing.total at pkg/pricing.py:1:5"],
    );
}

#[test]
fn definition_of_dotted_module_segment() {
    check_definition(
        r#"
//- /pkg/__init__.py
//- /pkg/pricing.py
X = 1
//- /app.py
import pkg.pricing
pkg.pri$0cing.X
"#,
        expect!["Module pkg.pricing at pkg/pricing.py:1:1"],
    );
}

#[test]
fn definition_of_method_through_inheritance() {
    check_definition(
        r#"
//- /base.py
class Base:
    def save(self):
        pass
//- /child.py
from base import Base
class Child(Base):
    def run(self):
        self.sa$0ve()
"#,
        expect!["Method base.Base.save at base.py:2:9"],
    );
}

#[test]
fn definition_follows_c3_order() {
    check_definition(
        r#"
//- /m.py
class A:
    def f(self): pass
class B(A): pass
class C(A):
    def f(self): pass
class D(B, C):
    def g(self):
        self.$0f()
"#,
        expect!["Method m.C.f at m.py:5:9"],
    );
}

#[test]
fn definition_through_super() {
    check_definition(
        r#"
//- /m.py
class A:
    def __init__(self): pass
class B(A):
    def __init__(self):
        super().__in$0it__()
"#,
        expect!["Method m.A.__init__ at m.py:2:9"],
    );
}

#[test]
fn definition_of_classmethod_call_through_cls() {
    check_definition(
        r#"
//- /m.py
class A:
    @classmethod
    def make(cls):
        return cls.bu$0ild()
    @staticmethod
    def build():
        pass
"#,
        expect!["Method m.A.build at m.py:6:9"],
    );
}

#[test]
fn definition_of_decorated_function() {
    check_definition(
        r#"
//- /deco.py
def traced(f):
    return f
//- /app.py
from deco import traced
@tra$0ced
def work():
    pass
work()
"#,
        expect!["Function deco.traced at deco.py:1:5"],
    );
}

#[test]
fn definition_of_instance_attribute() {
    check_definition(
        r#"
//- /m.py
class Cart:
    def __init__(self):
        self.items = []
    def count(self):
        return len(self.it$0ems)
"#,
        expect!["Variable m.Cart.items at m.py:3:14"],
    );
}

#[test]
fn definition_through_an_annotated_parameter() {
    check_definition(
        r#"
//- /shop/models.py
class Cart:
    def __init__(self):
        self.items = []
    def total(self):
        return 0
//- /app.py
from typing import Optional
from shop import models
def show(cart: "models.Cart", other: Optional[models.Cart] = None):
    other.it$0ems
    return cart.total()
"#,
        expect!["Variable shop.models.Cart.items at shop/models.py:3:14"],
    );
    check_definition(
        r#"
//- /m.py
class Cart:
    def total(self):
        return 0
def show(cart: Cart | None, n: int):
    n.real
    return cart.tot$0al()
"#,
        expect!["Method m.Cart.total at m.py:2:9"],
    );
    check_definition(
        r#"
//- /m.py
class Cart:
    pass
def show(cart: Cart):
    return ca$0rt
"#,
        expect!["local at m.py:3:10"],
    );
}

#[test]
fn definition_of_local_parameter() {
    check_definition(
        r#"
//- /m.py
def f(value):
    return val$0ue + 1
"#,
        expect!["local at m.py:1:7"],
    );
}

#[test]
fn definition_through_star_import_and_src_layout() {
    check_definition(
        r#"
//- /lib/core.py
def core(): pass
//- /lib/__init__.py
from .core import *
//- /app.py
from lib import core as c
c$0()
"#,
        expect!["Function lib.core.core at lib/core.py:1:5"],
    );
}

#[test]
fn external_and_builtin_names() {
    check_definition("//- /m.py\nimport os.path\nos.path.jo$0in('a')\n", expect!["external os.path.join"]);
    check_definition("//- /m.py\nle$0n([])\n", expect!["external builtins.len"]);
    check_definition("//- /m.py\nnope$0()\n", expect!["unresolved"]);
}

#[test]
fn hover_on_import_resolves_the_module() {
    check_definition(
        r#"
//- /pkg/__init__.py
//- /pkg/models.py
//- /app.py
from pkg.mo$0dels import X
"#,
        expect!["Module pkg.models at pkg/models.py:1:1"],
    );
}

/// `qualified.name at path:line:col, ...` per caller or callee, with how
/// it is reached when not directly (`(via override)`).
pub(in crate::graph) fn describe_calls(graph: &Graph, calls: Vec<crate::graph::Caller>) -> String {
    let mut out = String::new();
    for call in calls {
        let name = graph.symbol(call.symbol).map(|s| s.qualified_name.to_owned()).unwrap_or_default();
        let sites: Vec<String> = call.sites.iter().map(|l| describe_location(graph, l)).collect();
        let via = call.via.label().map(|l| format!(" ({l})")).unwrap_or_default();
        out += &format!("{name} at {}{via}\n", sites.join(", "));
    }
    out
}

/// What the symbol named in the fixture by the cursor calls and who calls
/// it, reached in every way (override dispatch, implicit calls, callbacks);
/// with `impact`, the callers end with how many functions its change
/// affects.
pub(in crate::graph) fn calls_both_ways(fixture: &str, impact: bool) -> (String, String) {
    let (graph, file, offset) = fixture_graph(fixture);
    let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
    let outgoing = describe_calls(&graph, graph.callees_with_overrides(symbol));
    let mut incoming = describe_calls(&graph, graph.callers_with_overrides(symbol));
    if impact {
        let impact = graph.impact(symbol);
        incoming += &format!("impact: {} functions in {} files\n", impact.functions, impact.files);
    }
    (outgoing, incoming)
}

/// Call sites of a symbol named in the fixture by the cursor on its name.
pub(in crate::graph) fn check_callers(fixture: &str, expect: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    let symbol = graph.symbol_at(file, offset).expect("cursor on a definition name");
    let mut out = describe_calls(&graph, graph.callers(symbol));
    let impact = graph.impact(symbol);
    out += &format!("impact: {} functions in {} files\n", impact.functions, impact.files);
    expect.assert_eq(&out);
}

#[test]
fn callers_include_instantiation_and_transitive_impact() {
    check_callers(
        r#"
//- /shop/models.py
class Product:
    def __in$0it__(self, name):
        self.name = name
//- /shop/catalog.py
from shop.models import Product
def load():
    return [Product("a"), Product("b")]
def show():
    return load()
//- /app.py
from shop import catalog
catalog.show()
"#,
        expect![[r#"
            shop.catalog.load at shop/catalog.py:3:13, shop/catalog.py:3:27
            impact: 2 functions in 1 files
        "#]],
    );
}

#[test]
fn impact_walk_stops_at_its_budget_with_the_nearest_dependents() {
    // `base` <- f0 <- f1 <- ... <- f9, one chain of callers.
    let mut text = String::from("def base():\n    pass\n");
    let mut previous = "base".to_owned();
    for i in 0..10 {
        text += &format!("def f{i}():\n    {previous}()\n");
        previous = format!("f{i}");
    }
    let graph = build(&[(PathBuf::from("/ws/chain.py"), text)]);
    let base = graph.symbol_at(graph.file_id(Path::new("/ws/chain.py")).unwrap(), 5).unwrap();
    assert_eq!(graph.impact(base), Impact { functions: 10, files: 1, through_overrides: 0, truncated: false });
    assert_eq!(graph.impact_within(base, 4), Impact { functions: 4, files: 1, through_overrides: 0, truncated: true });
    let nearest: Vec<String> = graph.dependents(base, 3).iter().map(|&(s, d)| format!("{}@{d}", graph.symbol(s).unwrap().name)).collect();
    assert_eq!(nearest, ["f0@1", "f1@2", "f2@3"]);
}

// ---- the incremental graph equals a cold index ----

/// A canonical, index-free rendering of a graph: nodes and edges by name.
pub(crate) fn canonical(graph: &Graph) -> Vec<String> {
    let key = |id: SymbolId| {
        let symbol = graph.symbol(id).expect("node");
        let file = symbol.file.and_then(|f| graph.file(f)).map(|f| f.path.display().to_string()).unwrap_or_default();
        format!("{:?} {} {file} {:?}", symbol.kind, symbol.qualified_name, symbol.name_range)
    };
    let mut out = Vec::new();
    for (_, f) in graph.files() {
        out.push(format!("file {} {} unresolved={}", f.path.display(), f.module, f.unresolved.len()));
    }
    for edge in graph.graph.edge_indices() {
        let (a, b) = graph.graph.edge_endpoints(edge).expect("endpoints");
        let weight = graph.graph[edge];
        out.push(format!("edge {} -{:?}@{:?}-> {}", key(SymbolId(a)), weight.kind, weight.site, key(SymbolId(b))));
    }
    for node in graph.graph.node_indices() {
        if graph.graph[node].kind != SymbolKind::External || graph.graph.neighbors_undirected(node).next().is_some() {
            out.push(format!("node {}", key(SymbolId(node))));
        }
    }
    out.sort();
    out
}

/// Versions each file of a small project can take: classes appear and
/// vanish, bases and imports change, re-exports come and go.
pub(in crate::graph) const VARIANTS: &[(&str, &[&str])] = &[
    ("/ws/pkg/__init__.py", &["", "from .base import Base\n", "from .base import *\nfrom .util import helper as h\n"]),
    (
        "/ws/pkg/base.py",
        &[
            "class Base:\n    def save(self):\n        return helper()\nfrom pkg.util import helper\n",
            "class Base:\n    def save(self):\n        pass\n    def load(self):\n        self.save()\n",
            "def Base():\n    pass\n",
            "",
        ],
    ),
    ("/ws/pkg/util.py", &["def helper():\n    return 1\n", "def helper(x=1):\n    return x\nclass Mixin:\n    def save(self): pass\n", ""]),
    (
        "/ws/app.py",
        &[
            "from pkg import Base\nfrom pkg.util import Mixin\nclass App(Mixin, Base):\n    def run(self):\n        self.save()\n        super().load()\n",
            "import pkg.base as b\nb.Base().save()\nfrom pkg import h\nh()\n",
            "from pkg import *\nBase()\n",
        ],
    ),
    ("/ws/other/mod.py", &["from ..pkg import base\n", "from pkg.base import Base\nclass X(Base):\n    pass\n", "x = 1\n"]),
];

/// Versions of a small project whose edits change types: return
/// annotations, constructor calls, attribute annotations, imports of the
/// classes they name.
pub(in crate::graph) const TYPED_VARIANTS: &[(&str, &[&str])] = &[
    (
        "/ws/models.py",
        &[
            "class Cart:\n    def total(self): pass\ndef make() -> Cart: ...\n",
            "class Cart:\n    def total(self): pass\nclass Bag:\n    def total(self): pass\ndef make() -> Bag: ...\n",
            "def make():\n    return 1\n",
            "class Cart:\n    items: 'Bag'\n    def total(self): pass\nclass Bag:\n    def total(self): pass\ndef make():\n    return Cart()\n",
        ],
    ),
    (
        "/ws/app.py",
        &[
            "from models import make\nx = make()\nx.total()\n",
            "from models import make\nmake().total()\nmake().items.total()\n",
            "import models\ndef f(c: models.Cart):\n    c.items.total()\n    for b in [c]:\n        b.total()\n",
        ],
    ),
    (
        "/ws/svc.py",
        &[
            "from models import Cart\nclass Svc:\n    def __init__(self):\n        self.cart = Cart()\n",
            "from models import Bag as Cart\nclass Svc:\n    def __init__(self):\n        self.cart = Cart()\n",
            "from models import make\nclass Svc:\n    @property\n    def cart(self):\n        return make()\n",
        ],
    ),
    ("/ws/use.py", &["from svc import Svc\nSvc().cart.total()\ns = Svc()\ns.cart.total()\n", "import svc\nsvc.Svc().cart.items.total()\n"]),
];

/// Versions of a small project whose classes gain and lose protocol
/// methods (directly, through a mixin in another file, as a class
/// attribute) while other files apply the protocols to their instances.
pub(in crate::graph) const PROTOCOL_VARIANTS: &[(&str, &[&str])] = &[
    (
        "/ws/mixin.py",
        &[
            "class Mixin:\n    pass\n",
            "class Mixin:\n    def __enter__(self): return self\n    def __exit__(self, *a): pass\n",
            "class Mixin:\n    def __eq__(self, o): return True\n    __hash__ = None\n",
            "class Mixin:\n    def __call__(self, x): return x\n",
        ],
    ),
    (
        "/ws/box.py",
        &[
            "from mixin import Mixin\nclass Box(Mixin):\n    pass\n",
            "class Box:\n    def __len__(self): return 0\n",
            "from mixin import Mixin\nclass Box(Mixin):\n    def __iter__(self): return iter([])\n",
        ],
    ),
    (
        "/ws/use.py",
        &[
            "from box import Box\ndef f(b: Box):\n    with b:\n        pass\n    return b == b\n",
            "from box import Box\nb = Box()\nif b:\n    len(b)\nfor x in b:\n    hash(b)\n",
            "from box import Box\nb = Box()\nb(1)\ndef g(c: Box):\n    return c(2)\n",
        ],
    ),
    ("/ws/other.py", &["class Other:\n    def __enter__(self): return self\n    def __len__(self): return 1\n", "x = 1\n"]),
];

/// A step of [`replay`]: a file, its version (one past the end deletes
/// the file), and how it is written: at once (`None`), or deferred with
/// this many pending files re-linked after it.
pub(in crate::graph) type Step = (usize, usize, Option<usize>);

/// Applies `steps` to a graph one by one, re-links what is still pending,
/// and returns the graph with a cold index of the final files.
pub(in crate::graph) fn replay(variants: &[(&str, &[&str])], steps: Vec<Step>) -> (Vec<String>, Vec<String>) {
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    let mut current: Vec<Option<&str>> = vec![None; variants.len()];
    for (file, choice, deferred) in steps {
        let (path, texts) = variants[file % variants.len()];
        match texts.get(choice) {
            Some(text) => {
                match deferred {
                    None => graph.update_file(Path::new(path), text),
                    Some(slice) => {
                        graph.update_file_deferred(Path::new(path), text);
                        graph.relink_pending(slice, std::time::Duration::MAX, &|| false);
                        true
                    }
                };
                current[file % variants.len()] = Some(text);
            }
            None => {
                graph.remove_file(Path::new(path));
                current[file % variants.len()] = None;
            }
        }
    }
    graph.flush_relinks();
    let files: Vec<(PathBuf, String)> =
        variants.iter().zip(&current).filter_map(|((path, _), text)| Some((PathBuf::from(path), (*text)?.to_owned()))).collect();
    (canonical(&graph), canonical(&build(&files)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// After any sequence of file writes and deletions, the incrementally
    /// updated graph equals a cold index of the final files.
    #[test]
    fn incremental_updates_equal_a_cold_index(steps in prop::collection::vec((0..VARIANTS.len(), 0..5usize), 1..25)) {
        let (incremental, cold) = replay(VARIANTS, steps.into_iter().map(|(f, v)| (f, v, None)).collect());
        prop_assert_eq!(incremental, cold);
    }

    /// The same with edits that change what types are inferred.
    #[test]
    fn incremental_updates_equal_a_cold_index_when_types_change(steps in prop::collection::vec((0..TYPED_VARIANTS.len(), 0..5usize), 1..25)) {
        let (incremental, cold) = replay(TYPED_VARIANTS, steps.into_iter().map(|(f, v)| (f, v, None)).collect());
        prop_assert_eq!(incremental, cold);
    }

    /// The same when protocol methods appear and vanish: implicit calls
    /// whose protocol no class defined were never resolved (see
    /// dunders.rs), and link up when one does.
    #[test]
    fn incremental_updates_equal_a_cold_index_when_protocols_change(steps in prop::collection::vec((0..PROTOCOL_VARIANTS.len(), 0..5usize), 1..25)) {
        let (incremental, cold) = replay(PROTOCOL_VARIANTS, steps.into_iter().map(|(f, v)| (f, v, None)).collect());
        prop_assert_eq!(incremental, cold);
    }
}

#[test]
fn an_edit_inside_a_body_keeps_symbol_identity() {
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(Path::new("/ws/a.py"), "def f():\n    pass\n");
    graph.update_file(Path::new("/ws/b.py"), "from a import f\ndef g():\n    f()\n");
    let f = graph.symbol_at(graph.file_id(Path::new("/ws/a.py")).unwrap(), 4).unwrap();
    graph.update_file(Path::new("/ws/a.py"), "def f():\n    return 42\n");
    assert_eq!(graph.symbol_at(graph.file_id(Path::new("/ws/a.py")).unwrap(), 4), Some(f));
    assert_eq!(graph.callers(f).len(), 1);
}

/// A keystroke that changes only what a function returns re-links the
/// files whose inference read it (and equals a cold index), not every
/// importer of its file.
#[test]
fn a_changed_return_value_relinks_the_files_that_read_it() {
    let models =
        |made: &str| format!("class A:\n    def run(self):\n        pass\nclass B:\n    def run(self):\n        pass\ndef make():\n    return {made}()\n");
    let user = "from models import make\nmake().run()\n";
    let importer = "from models import A\nA\n";
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(Path::new("/ws/models.py"), &models("A"));
    graph.update_file(Path::new("/ws/user.py"), user);
    graph.update_file(Path::new("/ws/importer.py"), importer);
    let (user_id, importer_id) = (graph.file_id(Path::new("/ws/user.py")).unwrap(), graph.file_id(Path::new("/ws/importer.py")).unwrap());
    let models_id = graph.file_id(Path::new("/ws/models.py")).unwrap();
    let readers =
        |graph: &Graph| graph.value_dependents.iter().filter(|((f, _), _)| *f == models_id).flat_map(|(_, s)| s.iter().copied()).collect::<FxHashSet<_>>();
    assert_eq!(readers(&graph), FxHashSet::from_iter([user_id]));
    assert!(graph.dependents[&models_id].contains(&importer_id));

    graph.update_file(Path::new("/ws/models.py"), &models("B"));
    let files = [("/ws/models.py", models("B")), ("/ws/user.py", user.to_owned()), ("/ws/importer.py", importer.to_owned())];
    let files: Vec<(PathBuf, String)> = files.into_iter().map(|(p, t)| (PathBuf::from(p), t)).collect();
    let incremental = canonical(&graph);
    assert_eq!(incremental, canonical(&build(&files)));
    assert!(incremental.iter().any(|e| e.starts_with("edge Module user") && e.contains("-Calls@") && e.contains("models.B.run")), "{incremental:#?}");

    // Removing the file re-links its readers, which forget their reads.
    graph.remove_file(Path::new("/ws/models.py"));
    assert!(readers(&graph).is_empty());
}

#[test]
fn a_name_links_up_when_its_module_appears() {
    let mut graph = Graph::new(vec![PathBuf::from(ROOT)]);
    graph.update_file(Path::new("/ws/b.py"), "from a import f\nf()\n");
    let b = graph.file_id(Path::new("/ws/b.py")).unwrap();
    assert_eq!(graph.definition(b, 17), Some(Resolved::External("a.f".to_owned())));
    graph.update_file(Path::new("/ws/a.py"), "def f():\n    pass\n");
    let f = graph.symbol_at(graph.file_id(Path::new("/ws/a.py")).unwrap(), 4).unwrap();
    assert_eq!(graph.definition(b, 17), Some(Resolved::Symbol(f)));
    assert_eq!(graph.callers(f).len(), 1);
}

pub(in crate::graph) fn check_hover(fixture: &str, expect: Expect) {
    let (graph, file, offset) = fixture_graph(fixture);
    expect.assert_eq(&explain::hover(&graph, file, offset).unwrap_or_else(|| "nothing".to_owned()));
}

#[test]
fn hover_shows_signature_docs_callers_callees_and_impact() {
    check_hover(
        r#"
//- /shop/pricing.py
from shop.models import Item

def total(items: list[Item], *, discount: float = 0.0) -> float:
    """Sum the prices.

    Applies the discount last.
    """
    return apply(sum(i.price for i in items), discount)

def apply(amount, discount):
    return amount * (1 - discount)
//- /shop/models.py
class Item:
    price = 1
//- /app.py
from shop.pricing import total
def checkout(cart):
    return to$0tal(cart)
def preview(cart):
    return total(cart) + total([])
"#,
        expect![[r#"
            ```python
            def total(items: list[Item], *, discount: float = 0.0) -> float
            ```

            Sum the prices.

            Applies the discount last.

            Defined at shop/pricing.py:3 in module `shop.pricing`

            **Callers (3 call sites in 2 symbols):**
            - `app.checkout` at app.py:3
            - `app.preview` at app.py:5

            **Calls:** `shop.pricing.apply`, `builtins.sum`

            Changing this affects 2 functions in 1 file.
        "#]],
    );
}

#[test]
fn hover_on_class_lists_bases_and_subclasses() {
    check_hover(
        r#"
//- /m.py
class Base:
    pass
class Mid(Base):
    pass
class Leaf(Mid):
    pass
//- /app.py
from m import Mid
Mi$0d()
"#,
        expect![[r#"
            ```python
            class Mid(Base)
            ```

            Defined at m.py:3 in module `m`

            **Bases:** `m.Base`

            **Subclasses (1):** `m.Leaf`

            **Callers (1 call site in 1 symbol):**
            - `app` at app.py:2

            Changing this affects 0 functions in 0 files.
        "#]],
    );
}

#[test]
fn an_assignment_reads_the_previous_binding() {
    check_definition("//- /m.py\ndef f(items):\n    items = ite$0ms.split()\n", expect!["local at m.py:1:7"]);
    check_definition("//- /m.py\nx = 1\nx += $0x\n", expect!["Variable m.x at m.py:1:1"]);
}

#[test]
fn hover_outside_the_workspace_shows_what_the_library_declares() {
    let library = crate::ide::fixture::LIBRARY;
    check_hover(
        &format!("{library}//- /app.py\nimport requests\nrequests.ge$0t('u')\n"),
        expect![[r#"
            ```python
            def get(url, params=None, **kwargs)
            ```

            Sends a GET request.

            From `requests` 2.32.3 (`requests.api`).
        "#]],
    );
    check_hover(
        &format!("{library}//- /app.py\nimport json\njson.lo$0ads('1')\n"),
        expect![[r#"
            ```python
            def loads(s: str, *, strict: bool = True) -> object
            ```

            Deserialize s to a Python object.

            From the standard library (`json`).
        "#]],
    );
    check_hover(
        &format!("{library}//- /app.py\nfrom pathlib import Path\np = Path('x')\np.na$0me\n"),
        expect![[r#"
            ```python
            @property
            def name(self) -> str
            ```

            From the standard library (`pathlib`).
        "#]],
    );
    // An unannotated attribute: its inferred type.
    check_hover(
        &format!("{library}//- /app.py\nimport requests\nr = requests.get('u')\nr.status_co$0de\n"),
        expect![[r#"
            ```python
            status_code: int
            ```

            From `requests` 2.32.3 (`requests.models`).
        "#]],
    );
    // Not installed: said so.
    check_hover(
        &format!("{library}//- /app.py\nimport numpy\nnumpy.arr$0ay([])\n"),
        expect![[r#"
            ```python
            numpy.array
            ```

            Outside the workspace."#]],
    );
}
