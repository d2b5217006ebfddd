//! The graph checks of calls into typed libraries (the standard library's
//! stubs, `-stubs` packages, `.pyi` files, `py.typed` packages): a module
//! attribute the library does not have (LOOM804), a call with an unknown
//! keyword (LOOM803) or the wrong number of arguments (LOOM802), each with
//! a "did you mean" when a name is close. Untyped libraries are dynamic
//! and stay quiet: a name their source does not bind may still be there
//! at run time.

use std::cell::OnceCell;
use std::sync::{Arc, Mutex};

use ruff_python_ast::name::Name;
use rustc_hash::FxHashMap;

use super::graph_checks::{ARITY, UNKNOWN_ATTRIBUTE, UNKNOWN_KEYWORD, finding, problems};
use super::{Finding, Related};
use crate::graph::summary::{FileSummary, Reference};
use crate::graph::{Graph, LibraryItem, LibrarySymbol, Origin, ParameterKind, Resolved, Signature, Span, SymbolKind};

/// The overloads of an external callee that the call checks can judge,
/// and whether it is called bound (a method: its `self` is not passed);
/// `None` when the checks stay silent on every call of it (one overload is
/// not a plain, typed function with a signature).
type Checkable = Option<Arc<(Vec<Overload>, bool)>>;

/// What the call checks read of one overload: its declaration's name and
/// signature, kept so that a call costs no look-up of its declaration.
#[derive(Debug)]
struct Overload {
    item: LibraryItem,
    name: String,
    signature: Signature,
    /// The signature without its first parameter, as a bound call sees it.
    bound: Signature,
    class_method: bool,
}

/// The callees of external paths, each looked up once for all the files
/// checked against one graph: a tree calls the same library functions
/// (`os.path.join`, `re.compile`) in file after file, and finding what
/// one runs (through the stubs, aliases and overloads) was a quarter of the
/// graph checks' time on Django; reading each overload's declaration per
/// call was most of what was left. Share it between the files of one graph
/// only: it is what that graph says.
///
/// The module attributes the checks looked up are kept the same way, by
/// their path (`os.path.join`): Django reads the same few hundred in
/// thousands of chains, and each look-up read the module's declaration
/// and the attribute's item (16K instructions a chain).
#[derive(Debug, Default)]
pub struct Callees {
    callees: Mutex<FxHashMap<String, Checkable>>,
    attributes: Mutex<FxHashMap<String, Missing>>,
}

/// What the finding about a missing module attribute says and where it
/// points; `None` when the attribute is there or the checks stay silent.
type Missing = Option<(String, Vec<Related>)>;

impl Callees {
    fn of(&self, graph: &Graph, path: &str) -> Checkable {
        if let Some(known) = self.callees.lock().unwrap_or_else(|e| e.into_inner()).get(path) {
            return known.clone();
        }
        // Looked up outside the lock: another file's thread may ask too.
        let checkable = checkable(graph, path);
        self.callees.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_owned(), checkable.clone());
        checkable
    }

    /// [`missing`] of the attribute `path` (`module.attribute`), looked up
    /// once per graph.
    fn missing(&self, graph: &Graph, module: &str, attribute: &str, path: &str) -> Missing {
        if let Some(known) = self.attributes.lock().unwrap_or_else(|e| e.into_inner()).get(path) {
            return known.clone();
        }
        let missing = missing(graph, module, attribute, path);
        self.attributes.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_owned(), missing.clone());
        missing
    }
}

/// The overloads of what a call of `path` runs ([`Graph::external_callee`]),
/// if every one of them can be judged.
fn checkable(graph: &Graph, path: &str) -> Checkable {
    let (functions, bound) = graph.external_callee(path)?;
    let mut overloads = Vec::with_capacity(functions.len());
    for (file, def) in functions {
        let item = LibraryItem { file, definition: Some(def) };
        let symbol = graph.library_declaration(item)?;
        if !symbol.origin.is_typed() || !plain(&symbol) || matches!(symbol.name, "__init__" | "__new__" | "__call__") {
            return None;
        }
        let signature = symbol.signature?;
        let class_method = symbol.decorators.iter().any(|d| d == "classmethod");
        overloads.push(Overload { item, name: symbol.name.to_owned(), signature: signature.clone(), bound: without_first(signature), class_method });
    }
    Some(Arc::new((overloads, bound)))
}

/// The attribute `attribute` of the external `module` (a chain's segment
/// that the workspace left external, whose path is `path`), when a typed
/// library module lacks it.
pub(super) fn attribute(graph: &Graph, callees: &Callees, (module, attribute, path): (&str, &str, &str), span: Span, found: &mut Vec<Finding>) -> bool {
    let Some((message, related)) = callees.missing(graph, module, attribute, path) else { return false };
    found.push(finding(span.range(), UNKNOWN_ATTRIBUTE, message, related));
    true
}

/// What [`attribute`] reports of `path`, the attribute `attribute` of `module`.
fn missing(graph: &Graph, module: &str, attribute: &str, path: &str) -> Missing {
    if !graph.library_origin(module).is_some_and(Origin::is_typed) || (attribute.starts_with("__") && attribute.ends_with("__")) {
        return None;
    }
    let item = graph.library_item(module).filter(|i| i.definition.is_none())?;
    // Whether the attribute is there first: a submodule (`xml.etree` of
    // `xml`) is found without reading its package's stub, which only the
    // finding's message needs.
    if graph.library_item(path).is_some() {
        return None;
    }
    let symbol = graph.library_declaration(item).filter(|s| s.origin.is_typed())?;
    let entry = graph.file(item.file)?;
    // A module that makes names at run time, or re-exports what the
    // library cannot read, may have any name.
    if entry.binds_at_module_level("__getattr__") {
        return None;
    }
    let names: Vec<String> = graph.library_members(module, false).into_iter().map(|m| m.name).collect();
    let message = format!("module `{}` has no attribute `{attribute}`{}", symbol.qualified_name, did_you_mean(attribute, names.iter().map(String::as_str)));
    Some((message, related(&symbol, format!("module `{}`", symbol.qualified_name))))
}

/// A call as the checks read it.
#[derive(Clone)]
pub(super) struct CallSite<'a> {
    pub range: std::ops::Range<usize>,
    pub positional: usize,
    pub keywords: &'a [Name],
    /// The called chain as resolved: whether its callee is looked up on a
    /// class object, where a method's `self` is passed (`Base.method(self,
    /// x)`), is read from it only for a bound callee of a typed library.
    pub resolved: &'a [Option<Resolved>],
}

/// Arity and keyword problems of a call of the external `path`, when a
/// typed library declares what it runs. Constructors are not checked
/// (metaclasses, `__new__`, dataclass transforms and the functional `Enum`
/// API decide what a class accepts). With overloads, only a call that
/// fits none of them is reported, once.
pub(super) fn call(graph: &Graph, callees: &Callees, path: &str, site: CallSite, found: &mut Vec<Finding>) {
    if !graph.library_origin(path).is_some_and(Origin::is_typed) {
        return;
    }
    let Some(checkable) = callees.of(graph, path) else { return };
    let (overloads, bound) = &*checkable;
    let CallSite { range, positional, keywords, resolved } = site;
    let keywords: Vec<&str> = keywords.iter().map(Name::as_str).collect();
    let on_class = OnceCell::new();
    let on_class = || *on_class.get_or_init(|| super::graph_checks::on_class(graph, resolved));
    // A call that fits any overload is fine.
    let mut first: Option<(Vec<(&'static str, String)>, &Overload)> = None;
    for overload in overloads {
        let signature = if *bound && (overload.class_method || !on_class()) { &overload.bound } else { &overload.signature };
        let mut problems = problems(&overload.name, signature, positional, &keywords);
        if problems.is_empty() {
            return;
        }
        for (code, message) in &mut problems {
            if *code == UNKNOWN_KEYWORD
                && let Some(keyword) = keywords.iter().find(|k| message.contains(&format!("`{k}`")))
            {
                let names = signature.parameters.iter().filter(|p| matches!(p.kind, ParameterKind::PositionalOrKeyword | ParameterKind::KeywordOnly));
                message.push_str(&did_you_mean(keyword, names.map(|p| p.name.as_str())));
            }
        }
        first.get_or_insert((problems, overload));
    }
    let Some((mut problems, overload)) = first else { return };
    // Read again only for a finding, to point at it.
    let Some(symbol) = graph.library_declaration(overload.item) else { return };
    if overloads.len() > 1 {
        // One overload's problems would mislead: say none fits.
        let code = problems.first().map_or(ARITY, |(code, _)| *code);
        problems = vec![(code, format!("no overload of `{}` accepts these arguments", symbol.name))];
    }
    for (code, message) in problems {
        let related = related(&symbol, format!("`{}` is defined here", symbol.qualified_name));
        found.push(finding(range.clone(), code, message, related));
    }
}

/// [`call`] of a chain whose first name conditional imports bind to other
/// callees too (`try: from a import f` / `except ImportError: from b
/// import f`): the resolver follows the last binding, but any of them may
/// be the one that runs, so the call is reported only when it fits none
/// (an alternative the checks cannot judge keeps it silent).
pub(super) fn call_of_any(
    graph: &Graph,
    callees: &Callees,
    path: &str,
    summary: &FileSummary,
    reference: &Reference,
    site: CallSite,
    found: &mut Vec<Finding>,
) {
    let mut own = Vec::new();
    call(graph, callees, path, site.clone(), &mut own);
    if own.is_empty() {
        return;
    }
    for other in alternatives(summary, reference).iter().filter(|other| *other != path) {
        let mut theirs = Vec::new();
        call(graph, callees, other, site.clone(), &mut theirs);
        if theirs.is_empty() {
            return;
        }
    }
    found.extend(own);
}

/// The paths `reference` reads through each conditional import that binds
/// its first name (`f.x` after `from a import f` is `a.f.x`).
fn alternatives(summary: &FileSummary, reference: &Reference) -> Vec<String> {
    let chain = reference.chain.as_str();
    let (root, rest) = chain.split_once('.').map_or((chain, ""), |(root, rest)| (root, rest));
    let imports = summary.imports.iter().filter(|i| i.conditional && i.level == 0 && i.bound_name() == Some(root));
    let targets = imports.filter_map(|import| {
        let module = import.module.as_deref()?;
        Some(match (&import.name, &import.alias) {
            (Some(name), _) => format!("{module}.{name}"),
            (None, Some(_)) => module.to_owned(),
            (None, None) => root.to_owned(),
        })
    });
    targets.map(|target| if rest.is_empty() { target } else { format!("{target}.{rest}") }).collect()
}

/// Whether a library function's signature is the one called: decorators
/// other than these may change it.
fn plain(symbol: &LibrarySymbol) -> bool {
    let known = ["overload", "staticmethod", "classmethod", "final", "abstractmethod", "deprecated", "override", "type_check_only"];
    matches!(symbol.kind, SymbolKind::Function | SymbolKind::Method) && symbol.decorators.iter().all(|d| known.contains(&d.rsplit('.').next().unwrap_or(d)))
}

fn without_first(signature: &Signature) -> Signature {
    let mut signature = signature.clone();
    if signature.parameters.first().is_some_and(|p| matches!(p.kind, ParameterKind::PositionalOnly | ParameterKind::PositionalOrKeyword)) {
        signature.parameters.remove(0);
    }
    signature
}

fn related(symbol: &LibrarySymbol, message: String) -> Vec<Related> {
    vec![Related { file: symbol.path.to_owned(), range: symbol.name_range.range(), message }]
}

/// "; did you mean `loads`?" for the closest name within two edits (and
/// less than half the name), else nothing.
pub fn did_you_mean<'a>(wrong: &str, names: impl Iterator<Item = &'a str>) -> String {
    let limit = (wrong.chars().count() / 2).clamp(1, 2);
    let best = names.filter(|n| *n != wrong).map(|n| (strsim::damerau_levenshtein(wrong, n), n)).filter(|(d, _)| *d <= limit).min();
    best.map(|(_, name)| format!("; did you mean `{name}`?")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::findings::graph_checks::{self, CallSites};
    use crate::graph::{FileInput, Library};

    /// A missing attribute of a library module is looked up once for the
    /// files checked against one graph, and reported in each file where
    /// that file calls it; an attribute the module has is remembered as
    /// silent.
    #[test]
    fn a_library_attribute_is_looked_up_once_per_graph_and_reported_where_each_file_reads_it() {
        let stubs = vec![("json/__init__.pyi".to_owned(), "def loads(s: str) -> object: ...\n".to_owned())];
        let library = Arc::new(Library::in_memory(stubs, Vec::new()));
        let files = [("/ws/a.py", "import json\njson.lods('1')\njson.loads('1')\n"), ("/ws/b.py", "import json\n\nx = 1\nprint(json.lods('2'))\n")];
        let inputs = files.iter().map(|(path, text)| FileInput { path: path.into(), text: (*text).into(), summary: None }).collect();
        let graph = Graph::build(vec!["/ws".into()], inputs, Some(library));
        let callees = Callees::default();
        let found: Vec<Vec<(usize, String, String)>> = files
            .iter()
            .map(|(path, text)| {
                let file = graph.file_id(Path::new(path)).expect("indexed");
                let calls = CallSites::collect(crate::findings::parse(Path::new(path), text).syntax());
                let found = graph_checks::check(&graph, &callees, file, &calls);
                found.into_iter().map(|f| (f.range.start, f.code, f.message)).collect()
            })
            .collect();
        let missing = |at| (at, "LOOM804".to_owned(), "module `json` has no attribute `lods`; did you mean `loads`?".to_owned());
        assert_eq!(found, [vec![missing(17)], vec![missing(30)]]);
        let mut looked_up: Vec<(String, bool)> = callees.attributes.lock().unwrap().iter().map(|(path, missing)| (path.clone(), missing.is_some())).collect();
        looked_up.sort();
        assert_eq!(looked_up, [("json.loads".to_owned(), false), ("json.lods".to_owned(), true)]);
    }

    /// The graph findings of `text` (as `/ws/a.py`) against a typed
    /// package `pkg` with a submodule `sub`, and how many library files
    /// the checks read beyond those the graph read.
    fn package_checked(text: &str) -> (Vec<String>, usize) {
        let stubs =
            vec![("pkg/__init__.pyi".to_owned(), "def top() -> None: ...\n".to_owned()), ("pkg/sub.pyi".to_owned(), "def f() -> None: ...\n".to_owned())];
        let library = Arc::new(Library::in_memory(stubs, Vec::new()));
        let inputs = vec![FileInput { path: "/ws/a.py".into(), text: text.into(), summary: None }];
        let graph = Graph::build(vec!["/ws".into()], inputs, Some(library.clone()));
        let read_before = library.parsed();
        let file = graph.file_id(Path::new("/ws/a.py")).expect("indexed");
        let calls = CallSites::collect(crate::findings::parse(Path::new("/ws/a.py"), text).syntax());
        let found = graph_checks::check(&graph, &Callees::default(), file, &calls);
        (found.into_iter().map(|f| f.message).collect(), library.parsed() - read_before)
    }

    /// A call through a submodule reads the submodule's stub, not its
    /// package's: a submodule is found without it, and only the message of
    /// a finding about the package needs its declaration.
    #[test]
    fn a_call_through_a_submodule_does_not_read_the_package_stub() {
        assert_eq!(package_checked("import pkg.sub\npkg.sub.f()\n"), (Vec::new(), 1));
        // The submodule's missing attribute is still reported.
        let missing = "module `pkg.sub` has no attribute `g`; did you mean `f`?".to_owned();
        assert_eq!(package_checked("import pkg.sub\npkg.sub.g()\n"), (vec![missing], 1));
        // And so is the package's, which reads the package's stub.
        let missing = "module `pkg` has no attribute `nothere`".to_owned();
        assert_eq!(package_checked("import pkg\npkg.nothere()\n"), (vec![missing], 1));
    }
}
