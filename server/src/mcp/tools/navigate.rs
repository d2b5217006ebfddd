//! The graph's answers: symbols by name, definition, references, callers,
//! callees, impact and the hover explanation.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::target::{Kind, Site, SymbolRef, Target, line_of, nothing_at};
use super::{Call, ToolError, answer};
use crate::graph::{Caller, Graph, Location, Resolved, SymbolId, SymbolKind, Via, explain};
use crate::mcp::paging::{Page, Paged};

#[derive(Debug, Deserialize, JsonSchema)]
pub struct FindSymbolArgs {
    /// A name, a qualified name or its tail (`Cart.total`), or letters of
    /// one in order (`crtot`).
    pub query: String,
    /// Only symbols of this kind.
    pub kind: Option<Kind>,
    #[serde(flatten)]
    pub page: Page,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct TargetArgs {
    #[serde(flatten)]
    pub target: Target,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct PagedTargetArgs {
    #[serde(flatten)]
    pub target: Target,
    #[serde(flatten)]
    pub page: Page,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct ReferencesArgs {
    #[serde(flatten)]
    pub target: Target,
    /// Also list the definition itself, first (default false).
    #[serde(default)]
    pub include_definition: bool,
    #[serde(flatten)]
    pub page: Page,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct ImpactArgs {
    #[serde(flatten)]
    pub target: Target,
    /// How many steps of dependence to follow (default: all).
    pub depth: Option<usize>,
    #[serde(flatten)]
    pub page: Page,
}

/// Fuzzy matches looked at, at most: past these an agent should narrow the query.
const FUZZY_LIMIT: usize = 500;

pub fn find_symbol(call: &Call, args: FindSymbolArgs) -> Result<Value, ToolError> {
    let (ws, graph) = (&call.ws, &*call.graph);
    let query = args.query.trim();
    if query.is_empty() {
        return Err(ToolError::new("`query` is empty"));
    }
    let mut found = graph.symbols_named(query);
    let fuzzy = graph.search_symbols(query, FUZZY_LIMIT);
    let capped = fuzzy.len() >= FUZZY_LIMIT;
    found.extend(fuzzy.into_iter().filter(|id| !found.contains(id)).collect::<Vec<_>>());
    found.retain(|&id| graph.symbol(id).is_some_and(|symbol| args.kind.is_none_or(|kind| Kind::of(symbol.kind) == Some(kind))));
    let mut page = answer(args.page.of_keys(found, |id| SymbolRef::of(ws, graph, id))?)?;
    if capped && let Some(page) = page.as_object_mut() {
        // `total` counts what was looked at, not every match: say so.
        let note = format!("only the {FUZZY_LIMIT} best fuzzy matches were looked at; more match: narrow the query (a dotted name, `kind`)");
        page.insert("truncated".to_owned(), Value::String(note));
    }
    Ok(page)
}

#[derive(Debug, Serialize)]
struct Definition {
    #[serde(flatten)]
    symbol: Option<SymbolRef>,
    /// A parameter or local variable: where it is bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    local: Option<Site>,
    /// Defined outside the workspace: its dotted path.
    #[serde(skip_serializing_if = "Option::is_none")]
    external: Option<String>,
    /// And where the library has it (read only; outside the workspace).
    #[serde(skip_serializing_if = "Option::is_none")]
    library_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    library_line: Option<usize>,
}

pub fn definition(call: &Call, args: TargetArgs) -> Result<Value, ToolError> {
    let (ws, graph) = (&call.ws, &*call.graph);
    let Some(place) = args.target.place(ws, graph)? else {
        let id = args.target.symbol(ws, graph)?;
        return answer(Definition { symbol: SymbolRef::of(ws, graph, id), local: None, external: None, library_file: None, library_line: None });
    };
    let none = Definition { symbol: None, local: None, external: None, library_file: None, library_line: None };
    match graph.definition(place.file, place.offset) {
        Some(Resolved::Symbol(id)) => answer(Definition { symbol: SymbolRef::of(ws, graph, id), ..none }),
        Some(Resolved::Local { file, span }) => answer(Definition { local: Site::at(ws, graph, &Location { file, span }), ..none }),
        Some(Resolved::External(path)) => {
            let library = graph.library_item(&path).and_then(|item| graph.library_symbol(item));
            let (library_file, library_line) = match library {
                Some(symbol) => {
                    let line = graph.library().and_then(|l| l.text(symbol.path)).map(|text| line_of(&text, symbol.name_range.start as usize).0);
                    (Some(symbol.path.display().to_string()), line)
                }
                None => (None, None),
            };
            answer(Definition { external: Some(path), library_file, library_line, ..none })
        }
        None => Err(nothing_at(ws, graph, place)),
    }
}

#[derive(Debug, Serialize)]
struct Reference {
    #[serde(flatten)]
    site: Site,
    /// The symbol whose code holds it.
    #[serde(rename = "in", skip_serializing_if = "Option::is_none")]
    within: Option<String>,
}

pub fn references(call: &Call, args: ReferencesArgs) -> Result<Value, ToolError> {
    let (ws, graph) = (&call.ws, &*call.graph);
    let id = args.target.symbol(ws, graph)?;
    let mut locations = graph.references(id);
    if args.include_definition
        && let Some(definition) = graph.location(id)
    {
        locations.insert(0, definition);
    }
    let page = args.page.of_keys(locations, |location| {
        let within = graph.enclosing_symbol(location.file, location.span.start).and_then(|s| graph.symbol(s)).map(|s| s.qualified_name.to_owned());
        Some(Reference { site: Site::at(ws, graph, &location)?, within })
    })?;
    answer(with_symbol(graph, id, page))
}

#[derive(Debug, Serialize)]
struct CallSite {
    /// The caller (for `callers`) or the callee (for `callees`).
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<Kind>,
    /// "via override" when the call is bound to a method this one
    /// overrides (or, for `callees`, to one this one is an override of).
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'static str>,
    /// Where the call is written.
    #[serde(flatten)]
    site: Site,
}

pub fn callers(call: &Call, args: PagedTargetArgs) -> Result<Value, ToolError> {
    let (ws, graph) = (&call.ws, &*call.graph);
    let id = args.target.symbol(ws, graph)?;
    let mut callers = graph.callers_with_overrides(id);
    // A class is called through its `__init__`: `Cart(...)` is linked there.
    if graph.symbol(id).is_some_and(|s| s.kind == SymbolKind::Class)
        && let Some(init) = graph.members(id).into_iter().find(|&m| graph.container(m) == Some(id) && graph.symbol(m).is_some_and(|s| s.name == "__init__"))
    {
        callers.extend(graph.callers(init));
    }
    answer(with_symbol(graph, id, call_sites(call, callers, &args.page)?))
}

pub fn callees(call: &Call, args: PagedTargetArgs) -> Result<Value, ToolError> {
    let (ws, graph) = (&call.ws, &*call.graph);
    let id = args.target.symbol(ws, graph)?;
    answer(with_symbol(graph, id, call_sites(call, graph.callees_with_overrides(id), &args.page)?))
}

/// The page of call sites, one item per site, in the order the graph
/// gives (by first site).
fn call_sites(call: &Call, calls: Vec<Caller>, page: &Page) -> Result<Paged<CallSite>, ToolError> {
    let (ws, graph) = (&call.ws, &*call.graph);
    let sites: Vec<(SymbolId, Via, Location)> =
        calls.into_iter().flat_map(|Caller { symbol, sites, via }| sites.into_iter().map(move |site| (symbol, via, site))).collect();
    page.of_keys(sites, |(symbol, via, site)| {
        let symbol = graph.symbol(symbol)?;
        Some(CallSite { name: symbol.qualified_name.to_owned(), kind: Kind::of(symbol.kind), via: via.label(), site: Site::at(ws, graph, &site)? })
    })
}

#[derive(Debug, Serialize)]
struct Dependent {
    #[serde(flatten)]
    symbol: SymbolRef,
    /// Steps of dependence from the symbol (1: uses it directly).
    distance: usize,
}

#[derive(Debug, Serialize)]
struct Impact<T> {
    symbol: String,
    /// Functions and methods that depend on it, and the files they are in.
    functions: usize,
    files: usize,
    /// The tests among the dependents (test functions and methods of test
    /// files), nearest first: what to run after changing it. At most
    /// [`TESTS_LISTED`]; `tests_total` counts them all.
    tests: Vec<SymbolRef>,
    tests_total: usize,
    dependents: T,
}

/// Tests an impact answer names: a hub symbol is reached by thousands,
/// which no agent reads one by one (it runs the folder instead).
const TESTS_LISTED: usize = 100;

pub fn impact(call: &Call, args: ImpactArgs) -> Result<Value, ToolError> {
    let (ws, graph) = (&call.ws, &*call.graph);
    let id = args.target.symbol(ws, graph)?;
    let dependents = graph.dependents(id, args.depth.unwrap_or(usize::MAX));
    let functions: Vec<SymbolId> =
        dependents.iter().map(|&(s, _)| s).filter(|&s| graph.symbol(s).is_some_and(|s| matches!(s.kind, SymbolKind::Function | SymbolKind::Method))).collect();
    let mut files: Vec<_> = functions.iter().filter_map(|&s| graph.symbol(s)?.file).collect();
    files.sort();
    files.dedup();
    let tests: Vec<SymbolId> = functions.iter().copied().filter(|&s| is_test(graph, s)).collect();
    let tests_total = tests.len();
    let tests = tests.into_iter().take(TESTS_LISTED).filter_map(|s| SymbolRef::of(ws, graph, s)).collect();
    // Where each dependent is belongs to the key: an edit that moves one
    // reorders the walk without changing the ids.
    let keys: Vec<(SymbolId, usize, Option<Location>)> = dependents.into_iter().map(|(s, distance)| (s, distance, graph.location(s))).collect();
    let page = args.page.of_keys(keys, |(s, distance, _)| Some(Dependent { symbol: SymbolRef::of(ws, graph, s)?, distance }))?;
    let name = graph.symbol(id).map(|s| s.qualified_name.to_owned()).unwrap_or_default();
    answer(Impact { symbol: name, functions: functions.len(), files: files.len(), tests, tests_total, dependents: page })
}

/// A test function or method as pytest collects them: `test*` in a file
/// named `test_*.py` or `*_test.py`, or under a `tests` folder.
fn is_test(graph: &Graph, id: SymbolId) -> bool {
    let Some(symbol) = graph.symbol(id) else { return false };
    if !symbol.name.starts_with("test") {
        return false;
    }
    let Some(path) = symbol.file.and_then(|f| graph.file(f)).map(|f| &f.path) else { return false };
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    file_name.starts_with("test_") || file_name.ends_with("_test.py") || path.components().any(|c| c.as_os_str() == "tests")
}

pub fn explain(call: &Call, args: TargetArgs) -> Result<Value, ToolError> {
    let (ws, graph) = (&call.ws, &*call.graph);
    let place = args.target.resolve_place(ws, graph)?;
    let markdown = crate::ide::hover::hover(graph, place.file, place.offset)
        .ok_or_else(|| ToolError::new("pyloom has nothing to say of the name there (no name, or one it cannot resolve)"))?;
    answer(serde_json::json!({ "text": explain::plain_text(&markdown) }))
}

/// A paged answer about a symbol, named first.
fn with_symbol<T: Serialize>(graph: &Graph, id: SymbolId, page: T) -> Value {
    let mut value = serde_json::to_value(page).unwrap_or_default();
    if let (Value::Object(map), Some(symbol)) = (&mut value, graph.symbol(id)) {
        map.insert("symbol".to_owned(), Value::String(symbol.qualified_name.to_owned()));
    }
    value
}
