//! Room in the edge list for a graph's first linking, made before its edges go in.
//!
//! The edges are one vector (petgraph's `StableGraph`), doubled whenever it
//! fills. On Django's cold index the last doubling went from 262,144 to
//! 524,288 slots of 28 bytes, and the blocks it outgrew (7.3 MB, 3.7 MB, ...)
//! stayed resident once freed: the allocator keeps their pages for what it
//! allocates next, and nothing as large comes. A graph's first linking
//! instead projects the edges still to come (one `Contains` edge for each
//! definition, and for the rest the edges per reference of the batches
//! linked so far), and grows the list once to hold them.
//! Later re-links keep the vector's own growth: most of their edges are
//! kept in place, so their links' count says little of what they add.

use super::{FileId, Graph};

/// What a graph's first linking has linked so far and has left.
pub(super) struct EdgeRoom {
    left: Sizes,
    linked: Sizes,
    edges_linked: usize,
}

/// What files' edges come from.
#[derive(Default, Clone, Copy)]
struct Sizes {
    definitions: usize,
    references: usize,
}

impl EdgeRoom {
    /// Before linking `files`.
    pub(super) fn new(graph: &Graph, files: &[FileId]) -> Self {
        Self { left: sizes(graph, files), linked: Sizes::default(), edges_linked: 0 }
    }

    /// Before the links of `batch`, `edges` edges in all, go in: when the
    /// list has no room for them, room for them, for the projected rest
    /// and its error, and a sixteenth more (for the edges that edits add
    /// later: the list is not copied at the first one).
    pub(super) fn make(&mut self, graph: &mut Graph, batch: &[FileId], edges: usize) {
        let batch = sizes(graph, batch);
        self.left.definitions = self.left.definitions.saturating_sub(batch.definitions);
        self.left.references = self.left.references.saturating_sub(batch.references);
        self.linked.definitions += batch.definitions;
        self.linked.references += batch.references;
        self.edges_linked += edges;
        let used = petgraph::visit::EdgeIndexable::edge_bound(&graph.graph);
        if used + edges <= graph.graph.capacity().1 {
            return;
        }
        let by_reference = self.edges_linked.saturating_sub(self.linked.definitions) as u128;
        let rest = self.left.definitions + (by_reference * self.left.references as u128 / self.linked.references.max(1) as u128) as usize;
        // The first batches may be unlike the rest (Django's first are
        // its locale files, 0.73 edges a reference against 0.96 overall):
        // the less is linked, the more room for the projection's error.
        // Room never written to is never resident.
        let total = self.left.references + self.linked.references;
        let error = (rest as u128 * self.left.references as u128 / (3 * total.max(1)) as u128) as usize;
        let wanted = edges + rest + error + (used + edges + rest) / 16;
        tracing::debug!(used, edges, rest, wanted, definitions = self.linked.definitions, references = self.linked.references, "edge list grown");
        graph.graph.reserve_exact_edges(wanted);
    }
}

/// The definitions and references of `files`.
fn sizes(graph: &Graph, files: &[FileId]) -> Sizes {
    let mut sizes = Sizes::default();
    for entry in files.iter().filter_map(|&f| graph.files.get(f.0 as usize).and_then(Option::as_deref)) {
        sizes.definitions += entry.summary.definitions.len();
        sizes.references += entry.summary.references.len();
    }
    sizes
}
