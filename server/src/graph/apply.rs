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
use rustc_hash::{FxHashMap, FxHashSet};

use super::link::{EdgeTarget, LinkEdge, Links};
use super::{Edge, EdgeKind, FileEntry, FileId, Graph, Node, Span, SymbolKind};

/// A file's outgoing edges by source, target and kind.
pub(super) type EdgesByKey = FxHashMap<(NodeIndex, NodeIndex, EdgeKind), Vec<EdgeIndex>>;

/// The graph's maps of what files' linking consulted and missed, by what
/// they consulted, held apart from it while a first linking registers one
/// batch's files beside resolving the next (which reads none of them).
#[derive(Default)]
pub(super) struct Registrations {
    dependents: FxHashMap<FileId, FxHashSet<FileId>>,
    value_dependents: FxHashMap<(FileId, NodeIndex), FxHashSet<FileId>>,
    waiting: FxHashMap<String, FxHashSet<FileId>>,
    caller_readers: FxHashMap<String, FxHashSet<FileId>>,
}

impl Registrations {
    fn add(&mut self, id: FileId, consulted: &[FileId], consulted_values: &[(FileId, NodeIndex)], missing: &[String], caller_names: &[String]) {
        for &consulted in consulted {
            self.dependents.entry(consulted).or_default().insert(id);
        }
        for &key in consulted_values {
            self.value_dependents.entry(key).or_default().insert(id);
        }
        for module in missing {
            self.waiting.entry(module.clone()).or_default().insert(id);
        }
        for name in caller_names {
            self.caller_readers.entry(name.clone()).or_default().insert(id);
        }
    }
}

impl Graph {
    /// Replaces the links of file `id` (its outgoing edges and what its
    /// linking consulted, read and missed) with `links`.
    pub(super) fn apply_links(&mut self, id: FileId, links: Links) {
        self.put_links(id, links, true);
    }

    /// [`Graph::apply_links`] on a graph's first linking, leaving what the
    /// file consulted to be registered later ([`Graph::register_entries`]):
    /// its last linking registered nothing to forget.
    pub(super) fn apply_first_links(&mut self, id: FileId, links: Links) {
        self.put_links(id, links, false);
    }

    fn put_links(&mut self, id: FileId, mut links: Links, register: bool) {
        let Some(entry) = self.files[id.0 as usize].take() else { return };
        self.touch_links();
        self.forget_links(id, &entry);
        let old = self.out_edges_by_key(&entry, |_| true);
        self.replace_edges(old, std::mem::take(&mut links.edges));
        if register {
            self.register_links(id, &links);
        }
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
        let mut registrations = self.take_registrations();
        registrations.add(id, &links.consulted, &links.consulted_values, &links.missing, &links.caller_names);
        self.put_registrations(registrations);
    }

    /// Registers what the last linking of each of `files` consulted and
    /// missed, as its entry holds it, in `registrations`.
    pub(super) fn register_entries(&self, registrations: &mut Registrations, files: &[FileId]) {
        for (id, entry) in files.iter().filter_map(|&id| Some((id, self.file(id)?))) {
            registrations.add(id, &entry.consulted, &entry.consulted_values, &entry.missing, &entry.caller_names);
        }
    }

    /// The graph's [`Registrations`], left empty until they are put back.
    pub(super) fn take_registrations(&mut self) -> Registrations {
        Registrations {
            dependents: std::mem::take(&mut self.dependents),
            value_dependents: std::mem::take(&mut self.value_dependents),
            waiting: std::mem::take(&mut self.waiting),
            caller_readers: std::mem::take(&mut self.caller_readers),
        }
    }

    pub(super) fn put_registrations(&mut self, registrations: Registrations) {
        let Registrations { dependents, value_dependents, waiting, caller_readers } = registrations;
        (self.dependents, self.value_dependents, self.waiting, self.caller_readers) = (dependents, value_dependents, waiting, caller_readers);
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

    /// Finds the external targets of `links` that are in the graph
    /// already, on the thread that resolved them. The links of a batch go
    /// in one file after another while the other threads wait; finding
    /// an external by its name there was half that wait (10 copies of
    /// Django, release: 0.23 of 0.48 s).
    pub(super) fn find_externals(&self, links: &mut Links) {
        for edge in &mut links.edges {
            if let EdgeTarget::External(name) = &edge.target
                && let Some(&node) = self.externals.get(name.as_str())
            {
                edge.target = EdgeTarget::Node(node);
            }
        }
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
