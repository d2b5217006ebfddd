//! Putting a file's fresh links into the graph, touching only what changed.
//!
//! The graph's edges sit in singly linked lists (petgraph's `StableGraph`):
//! removing one walks its target's list of incoming edges to unhook it.
//! Workspace hubs and externals (`unittest.TestCase.assertEqual`, a core
//! model) have tens of thousands of incoming edges, so dropping a large
//! test module's edges and adding them back took ~100 ms on Django, under
//! the writer's lock: that was the wait of a request behind a re-link. A
//! re-linked file mostly resolves as before, so its old edges are matched
//! with its new ones by source, target and kind and kept (their site
//! rewritten: an edit shifts the spans after it); only the edges that
//! really went away are removed and only the new ones added.

use std::sync::Arc;

use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap;

use super::link::{EdgeTarget, LinkEdge, Links};
use super::{Edge, EdgeKind, FileEntry, FileId, Graph, Node, Span, SymbolKind};

/// A file's outgoing edges by source, target and kind.
pub(super) type EdgesByKey = FxHashMap<(NodeIndex, NodeIndex, EdgeKind), Vec<EdgeIndex>>;

impl Graph {
    /// Replaces the links of file `id` (its outgoing edges and what its
    /// linking consulted, read and missed) with `links`.
    pub(super) fn apply_links(&mut self, id: FileId, mut links: Links) {
        let Some(entry) = self.files[id.0 as usize].take() else { return };
        self.touch_links();
        self.forget_links(id, &entry);
        let old = self.out_edges_by_key(&entry, |_| true);
        self.replace_edges(old, std::mem::take(&mut links.edges));
        self.register_links(id, &links);
        links.shrink_to_fit();
        // A copy of the entry only when a snapshot still holds it.
        self.files[id.0 as usize] = Some(Arc::new(FileEntry {
            consulted: links.consulted,
            consulted_values: links.consulted_values,
            read_whole: links.read_whole,
            read_names: links.read_names,
            missing: links.missing,
            caller_typed: links.caller_typed,
            caller_names: links.caller_names,
            unresolved: links.unresolved,
            ..Arc::unwrap_or_clone(entry)
        }));
    }

    /// Puts `edges` in place of `old` (by source, target and kind): an
    /// old edge is kept for a new one with the same key, its site
    /// rewritten, and the old edges left over are removed.
    pub(super) fn replace_edges(&mut self, mut old: EdgesByKey, edges: Vec<LinkEdge>) {
        for edge in edges {
            let target = match edge.target {
                EdgeTarget::Node(node) => node,
                EdgeTarget::External(path) => self.external_node(path),
            };
            let weight = Edge { kind: edge.kind, site: edge.site };
            match old.get_mut(&(edge.source, target, edge.kind)).and_then(Vec::pop) {
                Some(kept) => self.graph[kept] = weight,
                None => {
                    self.graph.add_edge(edge.source, target, weight);
                }
            }
        }
        for gone in old.into_values().flatten() {
            self.graph.remove_edge(gone);
        }
    }

    /// Registers what a linking of file `id` consulted and missed.
    pub(super) fn register_links(&mut self, id: FileId, links: &Links) {
        for &consulted in &links.consulted {
            self.dependents.entry(consulted).or_default().insert(id);
        }
        for &key in &links.consulted_values {
            self.value_dependents.entry(key).or_default().insert(id);
        }
        for module in &links.missing {
            self.waiting.entry(module.clone()).or_default().insert(id);
        }
        for name in &links.caller_names {
            self.caller_readers.entry(name.clone()).or_default().insert(id);
        }
    }

    /// The outgoing edges of a file's nodes whose site `keep` takes, by
    /// source, target and kind (several when a name is used several times).
    pub(super) fn out_edges_by_key(&self, entry: &FileEntry, keep: impl Fn(Span) -> bool) -> EdgesByKey {
        let mut edges: EdgesByKey = FxHashMap::default();
        for &node in entry.nodes.iter().chain([&entry.module_node]) {
            for edge in self.graph.edges_directed(node, petgraph::Direction::Outgoing).filter(|e| keep(e.weight().site)) {
                edges.entry((node, edge.target(), edge.weight().kind)).or_default().push(edge.id());
            }
        }
        edges
    }

    /// Removes the registrations of a file's last linking.
    pub(super) fn forget_links(&mut self, id: FileId, entry: &FileEntry) {
        for consulted in &entry.consulted {
            if let Some(set) = self.dependents.get_mut(consulted) {
                set.remove(&id);
            }
        }
        for key in &entry.consulted_values {
            if let Some(set) = self.value_dependents.get_mut(key) {
                set.remove(&id);
                if set.is_empty() {
                    self.value_dependents.remove(key);
                }
            }
        }
        for module in &entry.missing {
            if let Some(set) = self.waiting.get_mut(module) {
                set.remove(&id);
                if set.is_empty() {
                    self.waiting.remove(module);
                }
            }
        }
        for name in &entry.caller_names {
            if let Some(set) = self.caller_readers.get_mut(name) {
                set.remove(&id);
                if set.is_empty() {
                    self.caller_readers.remove(name);
                }
            }
        }
    }

    /// What of putting `links` in place only reads the graph, done on the
    /// thread that resolved them: their targets already in the graph found
    /// by name, and the lists the file keeps moved into blocks of their
    /// length. The links of a batch go in one file after another while
    /// the other threads wait; finding an external by its name there was
    /// most of that wait (10 copies of Django: 0.23 of 0.48 s).
    pub(super) fn ready_links(&self, links: &mut Links) {
        for edge in &mut links.edges {
            if let EdgeTarget::External(name) = &edge.target
                && let Some(&node) = self.externals.get(name.as_str())
            {
                edge.target = EdgeTarget::Node(node);
            }
        }
        links.shrink_to_fit();
    }

    fn external_node(&mut self, path: String) -> NodeIndex {
        if let Some(&node) = self.externals.get(path.as_str()) {
            return node;
        }
        let name: Arc<str> = path.into();
        // The workspace's nodes were reserved exactly: the first external
        // doubled the list, half of it left unused for the graph's life.
        let (count, room) = (self.graph.node_count(), self.graph.capacity().0);
        if count >= room {
            self.graph.reserve_exact_nodes(count / 4 + 1);
        }
        let node = self.graph.add_node(Node { kind: SymbolKind::External, file: None, definition: None });
        self.external_names.insert(node, name.clone());
        self.externals.insert(name, node);
        node
    }
}
