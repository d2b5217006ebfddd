//! The keyword arguments a renamed parameter takes along at its calls, and
//! the calls that reach more than the function whose parameter is renamed,
//! so that a keyword renamed at the call would break what else it reaches: a
//! call the graph resolves to several functions (`cls(size=9)` in
//! `make(cls)`, given `A` and `D`), and the wrapper a workspace decorator
//! puts in the function's place (`@inject` returning `def w(width)`),
//! which the function's callers call instead.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;
use rustc_hash::FxHashMap;

use super::mentions::{self, Mention};
use super::parsed_files::ParsedFiles;
use super::rename::RenameError;
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Resolved, Span, SymbolId, SymbolKind};

/// `name=` at the calls the graph resolved to `function`; refused where a
/// call unpacks a mapping into keywords (`f(**options)`), whose keys it
/// cannot see.
pub(super) fn keyword_arguments(graph: &Graph, parsed: &ParsedFiles, name: &str, function: SymbolId) -> Result<Vec<(FileId, Span)>, RenameError> {
    let mut sites: FxHashMap<FileId, Vec<Span>> = FxHashMap::default();
    for caller in graph.callers(function) {
        for site in caller.sites {
            sites.entry(site.file).or_default().push(site.span);
        }
    }
    let shared = shared_sites(graph, function);
    let mut edits = Vec::new();
    for (file, calls) in sites {
        let Some(entry) = graph.file(file) else { continue };
        if let Some(&unpacking) = mentions::unpacking_keywords(parsed, file, entry.text()).iter().find(|callee| calls.contains(callee)) {
            let place = place(graph, &Location { file, span: unpacking });
            return Err(RenameError::UnpackedKeywords { name: name.to_owned(), place });
        }
        for mention in mentions::scan_file(parsed, file, entry.text(), name, &[]) {
            if let Mention::KeywordArgument { span, callee } = mention
                && calls.contains(&callee)
            {
                if let Some(&other) = shared.get(&(file, callee)) {
                    let other = graph.symbol(other).map(|s| s.qualified_name.to_owned()).unwrap_or_default();
                    return Err(RenameError::ReadByName(format!(
                        "the call at {} may call `{other}` as well, whose `{name}` would keep its name",
                        place(graph, &Location { file, span })
                    )));
                }
                edits.push((file, span));
            }
        }
    }
    Ok(edits)
}

/// The call sites of `function` that the graph resolves to another
/// function or class as well, each with one of those.
pub(super) fn shared_sites(graph: &Graph, function: SymbolId) -> FxHashMap<(FileId, Span), SymbolId> {
    let mut same = graph.family(function);
    // A constructor's calls are its class's.
    if graph.symbol(function).is_some_and(|s| s.name == "__init__") {
        same.extend(graph.container(function));
    }
    let mut shared = FxHashMap::default();
    for caller in graph.callers(function) {
        for other in graph.callees(caller.symbol).into_iter().filter(|c| !same.contains(&c.symbol)) {
            let reached = |site: &&crate::graph::Location| caller.sites.iter().any(|s| s.file == site.file && s.span == site.span);
            for site in other.sites.iter().filter(reached) {
                shared.insert((site.file, site.span), other.symbol);
            }
        }
    }
    shared
}

/// Why the parameter `parameter` of `function` cannot take a new name: a
/// workspace function or class decorating it hands it to a wrapper that
/// its callers call instead, which takes parameters of its own (not only
/// `*args, **kwargs`), sets keywords in its `**kwargs` (by a name computed
/// at run time), is not a nested function handed back, or spells
/// `parameter` (passes it by keyword): the callers' keywords reach the
/// wrapper, and the wrapper's reach the function, where rename cannot follow.
pub(super) fn through_decorators(graph: &Graph, parsed: &ParsedFiles, function: SymbolId, parameter: &str) -> Result<(), String> {
    let Some(symbol) = graph.symbol(function) else { return Ok(()) };
    let Some(file) = symbol.file else { return Ok(()) };
    let tree = parsed.get(file);
    let Some(def) = super::signature_guard::find_def(&tree.syntax().body, symbol.name_range.start) else { return Ok(()) };
    for decorator in &def.decorator_list {
        let callee = match &decorator.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        let Some(Resolved::Symbol(id)) = graph.definition(file, callee.end().to_u32()) else { continue };
        let Some(used) = graph.symbol(id) else { continue };
        let workspace = used.file.and_then(|f| graph.file(f)).is_some_and(|e| !graph.is_library_path(&e.path));
        if !workspace || !matches!(used.kind, SymbolKind::Function | SymbolKind::Class) {
            continue;
        }
        if used.kind == SymbolKind::Function && forwards(graph, parsed, id, parameter) {
            continue;
        }
        let at = place(graph, &Location { file, span: Span::from(decorator.range()) });
        return Err(format!(
            "`{}` is decorated at {at} with `{}`, whose wrapper its callers call instead: the wrapper takes parameters of its own, sets keywords of its own, or passes `{parameter}` on, where the rename cannot follow",
            symbol.name, used.name
        ));
    }
    Ok(())
}

/// Whether the decorator `decorator` hands back a transparent forwarder:
/// it and each layer of it (`def retry(n): def deco(fn): …; return deco`)
/// return only their parameters or the functions they define, each of
/// those takes only `*args, **kwargs` or is such a layer, and none of it
/// spells `parameter`.
fn forwards(graph: &Graph, parsed: &ParsedFiles, decorator: SymbolId, parameter: &str) -> bool {
    let Some(symbol) = graph.symbol(decorator) else { return false };
    let Some(entry) = symbol.file.and_then(|f| graph.file(f)) else { return false };
    if entry.text().get(symbol.range.range()).is_none_or(|text| super::mentions::whole_word_ends(text, parameter).next().is_some()) {
        return false;
    }
    let Some(file) = symbol.file else { return false };
    super::signature_guard::find_def(&parsed.get(file).syntax().body, symbol.name_range.start).is_some_and(layer_forwards)
}

fn layer_forwards(def: &StmtFunctionDef) -> bool {
    let mut body = OwnBody::default();
    body.visit_body(&def.body);
    let parameters: Vec<&str> = def.parameters.iter().map(|p| p.name().as_str()).collect();
    let defined: Vec<&str> = body.defs.iter().map(|d| d.name.as_str()).collect();
    let handed_back = body.returns.iter().all(|value| match value {
        None => true,
        Some(Expr::Name(name)) => parameters.contains(&name.id.as_str()) || defined.contains(&name.id.as_str()),
        Some(_) => false,
    });
    handed_back && body.defs.iter().all(|inner| (only_variadic(inner) && !sets_keywords(inner)) || layer_forwards(inner))
}

/// A wrapper that stores into (or takes from) its `**kwargs` before
/// passing them on (`kwargs[flag.lstrip("-")] = value`, a click-style
/// option): a keyword by a name computed at run time reaches the function.
fn sets_keywords(def: &StmtFunctionDef) -> bool {
    let Some(kwargs) = def.parameters.kwarg.as_ref().map(|k| k.name.as_str()) else { return false };
    let mut writes = KeywordWrites { kwargs, found: false };
    writes.visit_body(&def.body);
    writes.found
}

struct KeywordWrites<'n> {
    kwargs: &'n str,
    found: bool,
}

impl<'a> Visitor<'a> for KeywordWrites<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        let is_kwargs = |value: &Expr| matches!(value, Expr::Name(n) if n.id.as_str() == self.kwargs);
        self.found |= match expr {
            Expr::Subscript(subscript) => !subscript.ctx.is_load() && is_kwargs(&subscript.value),
            Expr::Call(call) => matches!(&*call.func, Expr::Attribute(a)
                if matches!(a.attr.as_str(), "update" | "setdefault" | "pop" | "popitem" | "__setitem__") && is_kwargs(&a.value)),
            _ => false,
        };
        visitor::walk_expr(self, expr);
    }
}

/// `def w(*args, **kwargs)`: whatever its callers pass goes on as it came.
fn only_variadic(def: &StmtFunctionDef) -> bool {
    let p = &def.parameters;
    p.posonlyargs.is_empty() && p.args.is_empty() && p.kwonlyargs.is_empty() && (p.vararg.is_some() || p.kwarg.is_some())
}

/// The `return` values and the functions defined in a body, not in the
/// functions, classes and lambdas it defines.
#[derive(Default)]
struct OwnBody<'a> {
    returns: Vec<Option<&'a Expr>>,
    defs: Vec<&'a StmtFunctionDef>,
}

impl<'a> Visitor<'a> for OwnBody<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::FunctionDef(def) => self.defs.push(def),
            Stmt::ClassDef(_) => {}
            Stmt::Return(ret) => self.returns.push(ret.value.as_deref()),
            _ => visitor::walk_stmt(self, stmt),
        }
    }
}
