//! Queries over the graph: callers, callees, dependents, subclasses, impact.

use std::collections::VecDeque;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{EdgeKind, FileId, Graph, Location, SymbolId, SymbolKind};

/// A symbol that calls another, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub symbol: SymbolId,
    pub sites: Vec<Location>,
}

/// How much of the workspace depends on a symbol, transitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Impact {
    pub functions: usize,
    pub files: usize,
}

/// Edges that mean "depends on" when followed backwards.
const DEPENDENCY: [EdgeKind; 4] = [EdgeKind::Calls, EdgeKind::References, EdgeKind::Inherits, EdgeKind::Imports];

impl Graph {
    /// Who calls `id`, each with its call sites, ordered by first site.
    pub fn callers(&self, id: SymbolId) -> Vec<Caller> {
        let edges = self.in_edges(id, EdgeKind::Calls).map(|(span, caller)| (caller, self.node(caller).and_then(|n| n.file), span));
        self.grouped(edges)
    }

    /// What `id` calls, each with the call sites (in `id`'s file).
    pub fn callees(&self, id: SymbolId) -> Vec<Caller> {
        let file = self.node(id).and_then(|n| n.file);
        self.grouped(self.out_edges(id, EdgeKind::Calls).map(|(span, callee)| (callee, file, span)))
    }

    fn grouped(&self, edges: impl Iterator<Item = (SymbolId, Option<FileId>, super::Span)>) -> Vec<Caller> {
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
                Caller { symbol, sites }
            })
            .collect();
        let key = |c: &Caller| (c.sites.first().cloned(), self.node(c.symbol).map(|n| n.qualified_name.clone()));
        out.sort_by_cached_key(key);
        out
    }

    /// Symbols that depend on `id` (call, reference, import or inherit from
    /// it), up to `depth` steps away, nearest first, with their distance.
    pub fn dependents(&self, id: SymbolId, depth: usize) -> Vec<(SymbolId, usize)> {
        let mut seen: FxHashSet<SymbolId> = FxHashSet::default();
        seen.insert(id);
        let mut queue = VecDeque::from([(id, 0)]);
        let mut out = Vec::new();
        while let Some((current, distance)) = queue.pop_front() {
            if distance == depth {
                continue;
            }
            for kind in DEPENDENCY {
                for (_, source) in self.in_edges(current, kind) {
                    if seen.insert(source) {
                        out.push((source, distance + 1));
                        queue.push_back((source, distance + 1));
                    }
                }
            }
        }
        out
    }

    /// Direct subclasses of a class.
    pub fn subclasses(&self, id: SymbolId) -> Vec<SymbolId> {
        let mut out: Vec<SymbolId> = self.in_edges(id, EdgeKind::Inherits).map(|(_, s)| s).collect();
        out.sort_by_key(|&s| self.location(s));
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
    /// transitively (changing `id` may affect them).
    pub fn impact(&self, id: SymbolId) -> Impact {
        let mut functions = 0;
        let mut files: FxHashSet<FileId> = FxHashSet::default();
        for (symbol, _) in self.dependents(id, usize::MAX) {
            let Some(node) = self.node(symbol) else { continue };
            if matches!(node.kind, SymbolKind::Function | SymbolKind::Method) {
                functions += 1;
                files.extend(node.file);
            }
        }
        Impact { functions, files: files.len() }
    }
}
