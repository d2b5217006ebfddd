//! Queries over the graph: callers, callees, dependents, subclasses, impact.

use std::collections::VecDeque;

use petgraph::visit::{EdgeRef, VisitMap, Visitable};
use rustc_hash::{FxHashMap, FxHashSet};

use super::dispatch::Via;
use super::summary::{Definition, DefinitionId, DefinitionKind, FileSummary, ScopeId};
use super::{EdgeKind, FileId, Graph, Location, SymbolId, SymbolKind};

/// A symbol that calls another, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub symbol: SymbolId,
    pub sites: Vec<Location>,
    /// Whether the calls are bound to the symbol or reach it through an
    /// override (see [`Graph::callers_with_overrides`]).
    pub via: Via,
}

/// How much of the workspace depends on a symbol, transitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Impact {
    pub functions: usize,
    pub files: usize,
    /// How many of the functions depend on it only through the callers of
    /// the methods it overrides (a call on a base-typed receiver that may
    /// hold this class's instance): the share a hover must not present as
    /// certain.
    pub through_overrides: usize,
    /// The walk stopped at [`IMPACT_BUDGET`] dependents: the counts are a
    /// lower bound (the nearest dependents, breadth-first).
    pub truncated: bool,
}

/// How a dependent was reached (see [`Graph::walk_dependents`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reach {
    Bound,
    ThroughOverrides,
}

/// How many dependents an impact walk visits at most. A hub symbol (a base
/// model, a module-level helper everything imports) reaches most of a large
/// workspace through module-level imports; walking all of it on every hover
/// cost tens of milliseconds on Django, this keeps a hover well under a
/// millisecond of graph walking and still counts exactly for all but hubs.
pub const IMPACT_BUDGET: usize = 4096;

/// Edges that mean "depends on" when followed backwards.
const DEPENDENCY: [EdgeKind; 5] = [EdgeKind::Calls, EdgeKind::Runs, EdgeKind::References, EdgeKind::Inherits, EdgeKind::Imports];

impl Graph {
    /// Who calls `id`, each with its call sites, ordered by first site.
    /// The calls of an overloaded function or a property are those of all
    /// its definitions (see [`Graph::family`]).
    pub fn callers(&self, id: SymbolId) -> Vec<Caller> {
        let edges = self
            .family(id)
            .into_iter()
            .flat_map(|member| self.in_edges(member, EdgeKind::Calls).collect::<Vec<_>>())
            .map(|(span, caller)| (caller, self.node(caller).and_then(|n| n.file), span));
        self.grouped(edges)
    }

    /// The definitions that are one function to its users: an overloaded
    /// function's `@overload` signatures and implementation, a property's
    /// getter, setter and deleter (same name, same scope). Uses bind to one
    /// of them (the implementation, the getter), so references and callers
    /// asked from any are those of all. Just `id` otherwise.
    pub fn family(&self, id: SymbolId) -> Vec<SymbolId> {
        let single = vec![id];
        let Some((file, def)) = self.node(id).and_then(|n| Some((n.file?, n.definition?))) else { return single };
        let Some(entry) = self.file(file) else { return single };
        match entry.families.iter().find(|family| family.contains(&def)) {
            Some(family) => family.iter().filter_map(|&i| entry.nodes.get(i as usize).map(|&n| SymbolId(n))).collect(),
            None => single,
        }
    }

    /// The definitions bound under `id`'s name in `id`'s scope, `id`
    /// among them, in source order (an overloaded function's signatures),
    /// read from the summary as [`Graph::container`] is: an edit whose
    /// link waits for a request (deferred.rs) has no `Contains` edges yet.
    pub fn namesakes(&self, id: SymbolId) -> Vec<SymbolId> {
        let Some((file, def)) = self.node(id).and_then(|n| Some((n.file?, n.definition?))) else { return vec![id] };
        let Some(entry) = self.file(file) else { return vec![id] };
        let Some(this) = entry.summary.definitions.get(def as usize) else { return vec![id] };
        let mut found: Vec<(super::Span, SymbolId)> = (entry.summary.definitions.iter().zip(&entry.nodes))
            .filter(|(d, _)| d.scope == this.scope && d.name == this.name)
            .map(|(d, &node)| (d.name_range, SymbolId(node)))
            .collect();
        found.sort();
        found.into_iter().map(|(_, id)| id).collect()
    }

    /// The implementation of an overloaded function when `id` is one of
    /// its `@overload` signatures: what runs when any of them is called,
    /// whose calls are theirs (pyright's call hierarchy answers the same
    /// at a signature). `id` otherwise, and for signatures without one
    /// (a stub's, a protocol's).
    pub fn implementation(&self, id: SymbolId) -> SymbolId {
        let Some((file, def)) = self.node(id).and_then(|n| Some((n.file?, n.definition?))) else { return id };
        let Some(entry) = self.file(file) else { return id };
        let overload = |d: DefinitionId| entry.summary.definitions.get(d as usize).is_some_and(super::resolve::is_overload_definition);
        if !overload(def) {
            return id;
        }
        let family = entry.families.iter().find(|family| family.contains(&def));
        family.and_then(|family| family.iter().rev().find(|&&d| !overload(d))).and_then(|&d| entry.nodes.get(d as usize)).map_or(id, |&n| SymbolId(n))
    }

    /// What `id` calls, each with the call sites (in `id`'s file). The body
    /// of a function includes the functions and classes defined in it: a
    /// closure's calls are written in the function (pyright's outgoing
    /// calls count them the same way), and so does its header. An
    /// `@overload` signature calls what its implementation does.
    pub fn callees(&self, id: SymbolId) -> Vec<Caller> {
        let id = self.implementation(id);
        let Some(node) = self.node(id) else { return Vec::new() };
        let file = node.file;
        let header = if matches!(node.kind, SymbolKind::Function | SymbolKind::Method) { self.header_calls(id) } else { Vec::new() };
        let edges = self.bodies(id).into_iter().flat_map(|body| self.out_edges(body, EdgeKind::Calls).collect::<Vec<_>>());
        self.grouped(edges.chain(header).map(|(span, callee)| (callee, file, span)))
    }

    /// `id` and, for a function, the functions and classes defined in it
    /// (at any depth): the code its outgoing calls are read from.
    pub(super) fn bodies(&self, id: SymbolId) -> Vec<SymbolId> {
        let mut bodies = vec![id];
        if self.node(id).is_some_and(|node| matches!(node.kind, SymbolKind::Function | SymbolKind::Method)) {
            let mut i = 0;
            while let Some(&current) = bodies.get(i) {
                bodies.extend(self.out_edges(current, EdgeKind::Contains).map(|(_, inner)| inner).filter(|&inner| inner != current));
                i += 1;
            }
        }
        bodies
    }

    /// The calls written in a function's decorators, defaults and
    /// annotations (`@app.route("/")`, `x=make()`): they run in the
    /// enclosing scope, which holds their edges, but they are written in the
    /// function's text. Only call expressions: applying a bare decorator
    /// (`@register`) calls it, yet it is no call written there.
    fn header_calls(&self, id: SymbolId) -> Vec<(super::Span, SymbolId)> {
        let (Some(symbol), Some(container)) = (self.symbol(id), self.container(id)) else { return Vec::new() };
        let Some(text) = symbol.file.and_then(|f| self.file(f)).map(|f| f.text()) else { return Vec::new() };
        let called = |span: super::Span| text.get(span.end as usize..).is_some_and(|rest| rest.trim_start().starts_with('('));
        self.out_edges(container, EdgeKind::Calls)
            .filter(|&(span, _)| symbol.range.start <= span.start && span.end <= symbol.range.end && called(span))
            .collect()
    }

    pub(super) fn grouped(&self, edges: impl Iterator<Item = (SymbolId, Option<FileId>, super::Span)>) -> Vec<Caller> {
        let mut groups: FxHashMap<SymbolId, Vec<Location>> = FxHashMap::default();
        for (symbol, file, span) in edges {
            let sites = groups.entry(symbol).or_default();
            sites.extend(file.map(|file| Location { file, span }));
        }
        let mut out: Vec<Caller> = groups
            .into_iter()
            .map(|(symbol, mut sites)| {
                sites.sort();
                sites.dedup();
                Caller { symbol, sites, via: Via::Direct }
            })
            .collect();
        let key = |c: &Caller| (c.sites.first().cloned(), self.node(c.symbol).map(|_| self.qualified_name(c.symbol.0)));
        out.sort_by_cached_key(key);
        out
    }

    /// Symbols that depend on `id` (call, reference, import or inherit from
    /// it), up to `depth` steps away, nearest first, with their distance.
    pub fn dependents(&self, id: SymbolId, depth: usize) -> Vec<(SymbolId, usize)> {
        let mut out = Vec::new();
        self.walk_dependents(id, depth, usize::MAX, |symbol, distance, _| out.push((symbol, distance)));
        out.sort_by_key(|&(_, distance)| distance);
        out
    }

    /// Breadth-first over reversed dependency edges, calling `visit` once
    /// per dependent (one pass over each node's incoming edges; a bitset
    /// for the visited set, since impact walks can cover most of the graph).
    /// Stops after `limit` dependents; returns whether it saw them all.
    ///
    /// The dependents bound to `id` come first, all the way out; then
    /// those reached only through the callers of the methods `id`
    /// overrides, which may run it on its class's instances (unnarrowed:
    /// an upper bound), the calls on `self` in bases that do not define
    /// its name (hooks.rs) and the syntax on `self` there
    /// (self_protocol.rs). Only for `id`: a hierarchy walk per visited
    /// method would cost a hover tens of milliseconds on a hub.
    fn walk_dependents(&self, id: SymbolId, depth: usize, limit: usize, mut visit: impl FnMut(SymbolId, usize, Reach)) -> bool {
        let mut seen = self.graph.visit_map();
        seen.visit(id.0);
        let mut visited = 0;
        let mut queue = VecDeque::from([(id.0, 0)]);
        let mut reach = Reach::Bound;
        loop {
            while let Some((current, distance)) = queue.pop_front() {
                if distance == depth {
                    continue;
                }
                let sources = self
                    .graph
                    .edges_directed(current, petgraph::Direction::Incoming)
                    .filter(|edge| DEPENDENCY.contains(&edge.weight().kind))
                    .map(|edge| edge.source());
                for source in sources {
                    if seen.visit(source) {
                        if visited == limit {
                            return false;
                        }
                        visited += 1;
                        visit(SymbolId(source), distance + 1, reach);
                        queue.push_back((source, distance + 1));
                    }
                }
            }
            if reach == Reach::ThroughOverrides || depth == 0 {
                return true;
            }
            reach = Reach::ThroughOverrides;
            let dispatched = self
                .overridden_by(id)
                .into_iter()
                .flat_map(|(other, _)| self.in_edges(other, EdgeKind::Calls).map(|(_, caller)| caller.0).collect::<Vec<_>>())
                .chain(self.hook_callers(id).into_iter().chain(self.self_protocol_callers(id)).map(|caller| caller.symbol.0));
            for source in dispatched {
                if seen.visit(source) {
                    if visited == limit {
                        return false;
                    }
                    visited += 1;
                    visit(SymbolId(source), 1, reach);
                    queue.push_back((source, 1));
                }
            }
        }
    }

    /// Direct subclasses of a class.
    pub fn subclasses(&self, id: SymbolId) -> Vec<SymbolId> {
        let mut out: Vec<SymbolId> = self.in_edges(id, EdgeKind::Inherits).map(|(_, s)| s).collect();
        // Each location looked up once: a test base has thousands of
        // subclasses, and a comparison sort would ask each many times.
        out.sort_by_cached_key(|&s| self.location(s));
        out.dedup();
        out
    }

    /// Direct bases of a class (workspace or external).
    pub fn bases(&self, id: SymbolId) -> Vec<SymbolId> {
        let mut out: Vec<SymbolId> = self.out_edges(id, EdgeKind::Inherits).map(|(_, s)| s).collect();
        out.dedup();
        out
    }

    /// How many functions and methods, in how many files, depend on `id`
    /// transitively (changing `id` may affect them), counting at most
    /// [`IMPACT_BUDGET`] dependents.
    pub fn impact(&self, id: SymbolId) -> Impact {
        self.impact_within(id, IMPACT_BUDGET)
    }

    /// [`Graph::impact`] with another budget of dependents.
    pub fn impact_within(&self, id: SymbolId, budget: usize) -> Impact {
        let (mut functions, mut through_overrides) = (0, 0);
        let mut files: FxHashSet<FileId> = FxHashSet::default();
        let complete = self.walk_dependents(id, usize::MAX, budget, |symbol, _, reach| {
            if let Some(node) = self.node(symbol)
                && matches!(node.kind, SymbolKind::Function | SymbolKind::Method)
            {
                functions += 1;
                through_overrides += usize::from(reach == Reach::ThroughOverrides);
                files.extend(node.file);
            }
        });
        Impact { functions, files: files.len(), through_overrides, truncated: !complete }
    }
}

/// The families of a file (see [`Graph::family`]): definitions of one
/// name, scope and kind, two or more, one of them an `@overload` or a
/// property accessor. Found once per file version: a completion's context
/// asks for the family of hundreds of symbols.
pub(super) fn families(summary: &FileSummary) -> Vec<Vec<DefinitionId>> {
    let accessor = |x: &Definition| {
        x.decorators.iter().any(|dec| {
            dec == "property"
                || dec.ends_with(".property")
                || dec.strip_prefix(x.name.as_str()).is_some_and(|rest| matches!(rest, ".setter" | ".getter" | ".deleter"))
        })
    };
    let joins = |d: &Definition| super::resolve::is_overload_definition(d) || accessor(d);
    let mut groups: FxHashMap<(&str, ScopeId, DefinitionKind), Vec<DefinitionId>> = FxHashMap::default();
    for (i, d) in summary.definitions.iter().enumerate() {
        if d.kind != DefinitionKind::Variable {
            groups.entry((d.name.as_str(), d.scope, d.kind)).or_default().push(i as DefinitionId);
        }
    }
    let mut families: Vec<Vec<DefinitionId>> =
        groups.into_values().filter(|group| group.len() > 1 && group.iter().any(|&i| joins(&summary.definitions[i as usize]))).collect();
    families.sort();
    families
}
