//! The neighbourhood of a target in the workspace graph: two rings of
//! callers, callees, bases, subclasses and the enclosing class, with edges
//! weighted by kind and down-weighted for names defined in many places;
//! and, as signatures only, what the target's module imports from the
//! workspace (the names a stub's body will most likely call).

use std::collections::HashMap;
use std::path::Path;

use super::neighbourhood::{Neighbourhood, Node, Tie, penalised};
use crate::graph::explain::Header;
use crate::graph::{FileId, Graph, ParameterKind, Resolved, Symbol, SymbolId, SymbolKind, Via};

/// How many workspace definitions share each short name. Built once per
/// graph snapshot; it is what makes a call to `save` a weak tie.
pub struct NameCounts(HashMap<String, usize>);

impl NameCounts {
    pub fn new(graph: &Graph) -> Self {
        let mut counts = HashMap::new();
        for id in graph.all_symbols() {
            if let Some(s) = graph.symbol(id).filter(|s| is_definition(s)) {
                *counts.entry(s.name.to_owned()).or_insert(0) += 1;
            }
        }
        Self(counts)
    }

    fn get(&self, name: &str) -> usize {
        self.0.get(name).copied().unwrap_or(1)
    }
}

fn is_definition(s: &Symbol<'_>) -> bool {
    matches!(s.kind, SymbolKind::Class | SymbolKind::Function | SymbolKind::Method) && s.file.is_some()
}

/// A ring may not grow past this: a helper called from hundreds of places
/// would otherwise make ranking cost more than it tells.
const MAX_RING: usize = 200;

/// `None` when the line is at module level (no definition to centre on).
pub(super) fn neighbourhood(graph: &Graph, names: &NameCounts, file: FileId, line: usize, root: &Path) -> Option<Neighbourhood> {
    let text = &graph.file(file)?.text();
    let offset = text.split_inclusive('\n').take(line - 1).map(str::len).sum::<usize>();
    // The first non-blank character of the line: a def's own line belongs to it.
    let indent = text[offset..].chars().take_while(|c| *c == ' ' || *c == '\t').count();
    let target = graph.enclosing_symbol(file, u32::try_from(offset + indent).ok()?)?;
    if !graph.symbol(target).is_some_and(|s| is_definition(&s)) {
        return None;
    }
    let mut ids = vec![target];
    let mut index: HashMap<SymbolId, usize> = HashMap::from([(target, 0)]);
    let mut edges = Vec::new();
    let mut frontier = vec![target];
    // The target's neighbours tied to it only indirectly, and how.
    let mut indirect: HashMap<SymbolId, Option<Via>> = HashMap::new();
    for ring in 0..2 {
        let mut next = Vec::new();
        for &from in &frontier {
            for (to, tie, via) in ties(graph, from, ring == 0).into_iter().take(MAX_RING) {
                let Some(symbol) = graph.symbol(to).filter(|s| is_definition(s)) else { continue };
                if ring == 0 {
                    let known = indirect.entry(to).or_insert(Some(via));
                    if via == Via::Direct {
                        *known = None;
                    }
                }
                let to_index = *index.entry(to).or_insert_with(|| {
                    ids.push(to);
                    next.push(to);
                    ids.len() - 1
                });
                edges.push((index[&from], to_index, penalised(tie, names.get(symbol.name))));
            }
        }
        frontier = next;
    }
    // Imports not already reached: tied to the target alone, so that they
    // rank below its own ring and never displace its neighbours' code.
    let rings = ids.len();
    for (to, tie) in imported(graph, file).into_iter().take(MAX_RING) {
        let Some(symbol) = graph.symbol(to).filter(|s| is_definition(s)) else { continue };
        if to != target && !index.contains_key(&to) {
            index.insert(to, ids.len());
            edges.push((0, ids.len(), penalised(tie, names.get(symbol.name))));
            ids.push(to);
        }
    }
    let mut nodes = ids
        .iter()
        .filter_map(|&id| node(graph, id, file, root).map(|n| Node { via: indirect.get(&id).copied().flatten().and_then(Via::label), ..n }))
        .collect::<Vec<_>>();
    // Every id was checked to be a workspace definition, so none is dropped.
    if nodes.len() != ids.len() {
        return None;
    }
    // The library functions and classes the target calls, as installed:
    // their signatures at level 2, so the model writes against the version
    // it will run with.
    for callee in graph.callees(target) {
        let Some(path) = graph.symbol(callee.symbol).filter(|s| s.kind == SymbolKind::External).map(|s| s.qualified_name.to_owned()) else { continue };
        if let Some(node) = library_node(graph, &path) {
            edges.push((0, nodes.len(), penalised(Tie::Calls, names.get(&node.qualname))));
            nodes.push(node);
        }
    }
    nodes[rings..].iter_mut().for_each(|n| n.signature_only = true);
    Some(Neighbourhood { nodes, edges, target: 0 })
}

/// What `file` imports at module level from the workspace: each imported
/// definition, and the top-level definitions of each imported module.
fn imported(graph: &Graph, file: FileId) -> Vec<(SymbolId, Tie)> {
    let Some(entry) = graph.file(file) else { return Vec::new() };
    let mut out = Vec::new();
    for import in entry.summary.imports.iter().filter(|i| i.scope == 0 && !i.star) {
        // The last segment: `import shop.rates` means `rates`, not `shop`.
        let Some(Resolved::Symbol(id)) = graph.definition(file, import.name_range.end.saturating_sub(1)) else { continue };
        let Some(symbol) = graph.symbol(id) else { continue };
        match (symbol.kind, symbol.file) {
            (SymbolKind::Module, Some(module)) => {
                out.extend(graph.symbols_in_file(module).into_iter().map(|member| (member, Tie::ImportedModule)));
            }
            _ => out.push((id, Tie::Imports)),
        }
    }
    out
}

/// Direct ties of a definition, in both directions, with how a call
/// reaches its callee; with `dispatch`, the overrides its calls may run
/// and the callers of the methods it overrides.
fn ties(graph: &Graph, id: SymbolId, dispatch: bool) -> Vec<(SymbolId, Tie, Via)> {
    let mut out: Vec<(SymbolId, Tie, Via)> = Vec::new();
    // The target's own: the model editing `Base.m` sees the subclasses'
    // `m`, and one editing an override sees the base's callers. Its
    // neighbours' are left out: their ring is shown as signatures only, and
    // a neighbour calling `self.assertEqual` would have every test class's
    // methods searched for overrides, once per neighbour (most of a
    // context's time on Django).
    let (callees, callers) =
        if dispatch { (graph.callees_with_overrides(id), graph.callers_with_overrides(id)) } else { (graph.callees(id), graph.callers(id)) };
    out.extend(callees.into_iter().chain(callers).map(|c| (c.symbol, Tie::Calls, c.via)));
    out.extend(graph.bases(id).into_iter().chain(graph.subclasses(id)).map(|b| (b, Tie::Inherits, Via::Direct)));
    if let Some(owner) = owner(graph, id) {
        out.push((owner, Tie::Member, Via::Direct));
    }
    out
}

/// The class a method belongs to.
fn owner(graph: &Graph, id: SymbolId) -> Option<SymbolId> {
    let symbol = graph.symbol(id)?;
    if symbol.kind != SymbolKind::Method {
        return None;
    }
    let (owner_name, _) = symbol.qualified_name.rsplit_once('.')?;
    let file = symbol.file?;
    let owner = graph.enclosing_symbol(file, symbol.range.start.checked_sub(1).unwrap_or(symbol.range.start))?;
    graph.symbol(owner).filter(|o| o.qualified_name == owner_name).map(|o| o.id)
}

fn node(graph: &Graph, id: SymbolId, target_file: FileId, root: &Path) -> Option<Node> {
    let symbol = graph.symbol(id)?;
    let file_id = symbol.file?;
    let entry = graph.file(file_id)?;
    let (start, end) = (symbol.range.start as usize, symbol.range.end as usize);
    // Whole lines, so that a method keeps its indentation; with the comment
    // that ends the last line (`return x  # why`), which the syntax tree's
    // span stops before.
    let line_start = entry.text()[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = entry.text().get(end..).map_or(end, |rest| end + rest.find('\n').unwrap_or(rest.len()));
    let end = if entry.text().get(end..line_end).is_some_and(|rest| rest.trim_start().starts_with('#')) { line_end } else { end };
    let code = entry.text().get(line_start..end)?;
    let name_offset = symbol.name_range.start as usize;
    let relative = entry.path.strip_prefix(root).unwrap_or(&entry.path);
    let module_prefix = format!("{}.", entry.module);
    Some(Node {
        file: relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"),
        range: line_start..end,
        line: crate::line_ends::line_number(entry.text(), name_offset),
        qualname: symbol.qualified_name.strip_prefix(&module_prefix).unwrap_or(symbol.qualified_name).to_owned(),
        code: code.to_owned(),
        signature: signature(&(&symbol).into()),
        doc: symbol.docstring.and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty())).map(str::to_owned),
        in_target_file: file_id == target_file,
        is_statement: false,
        signature_only: false,
        via: None,
    })
}

/// A library function or class called by the target, as a level-2 node:
/// where it is installed (`requests 2.32.3: requests/api.py`), its
/// signature and first docstring line.
fn library_node(graph: &Graph, path: &str) -> Option<Node> {
    let symbol = graph.library_symbol(graph.library_item(path)?)?;
    if !matches!(symbol.kind, SymbolKind::Function | SymbolKind::Method | SymbolKind::Class) {
        return None;
    }
    let text = graph.library()?.text(symbol.path)?;
    let line = crate::line_ends::line_number(&text, symbol.name_range.start as usize);
    let place = match &symbol.distribution {
        Some(d) => format!("{} {}: {}", d.name, d.version, symbol.module),
        None if symbol.origin.is_stdlib() => format!("stdlib: {}", symbol.module),
        None => symbol.module.to_owned(),
    };
    Some(Node {
        file: place,
        range: 0..0,
        line,
        qualname: symbol.qualified_name.strip_prefix(&format!("{}.", symbol.module)).unwrap_or(&symbol.qualified_name).to_owned(),
        code: String::new(),
        signature: signature(&(&symbol).into()),
        doc: symbol.docstring.and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty())).map(str::to_owned),
        in_target_file: false,
        is_statement: false,
        signature_only: true,
        via: None,
    })
}

/// `def f(a, *, b: int = 1) -> str:` / `class C(Base):`, from the summary.
fn signature(symbol: &Header<'_>) -> String {
    if symbol.kind == SymbolKind::Class {
        return if symbol.bases.is_empty() { format!("class {}:", symbol.name) } else { format!("class {}({}):", symbol.name, symbol.bases.join(", ")) };
    }
    let Some(sig) = symbol.signature else { return format!("def {}(...):", symbol.name) };
    let mut params = Vec::new();
    let mut keyword_only_marked = false;
    for (i, p) in sig.parameters.iter().enumerate() {
        let prefix = match p.kind {
            ParameterKind::VarPositional => "*",
            ParameterKind::VarKeyword => "**",
            ParameterKind::KeywordOnly if !keyword_only_marked => {
                keyword_only_marked = true;
                if !sig.parameters[..i].iter().any(|q| q.kind == ParameterKind::VarPositional) {
                    params.push("*".to_owned());
                }
                ""
            }
            _ => "",
        };
        let mut text = format!("{prefix}{}", p.name);
        if let Some(a) = &p.annotation {
            text.push_str(&format!(": {a}"));
        }
        if let Some(d) = &p.default {
            text.push_str(if p.annotation.is_some() { " = " } else { "=" });
            text.push_str(d);
        }
        params.push(text);
        if p.kind == ParameterKind::PositionalOnly && sig.parameters.get(i + 1).is_none_or(|q| q.kind != ParameterKind::PositionalOnly) {
            params.push("/".to_owned());
        }
    }
    let returns = sig.returns.as_ref().map(|r| format!(" -> {r}")).unwrap_or_default();
    let keyword = if sig.is_async { "async def" } else { "def" };
    format!("{keyword} {}({}){returns}:", symbol.name, params.join(", "))
}
