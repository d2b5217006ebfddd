//! The definitions around a target, however they were found (the
//! workspace graph, or the current file and its imports), and how they
//! become level-1 and level-2 context: distance first, then personalised
//! PageRank seeded at the target.

use std::ops::Range;

use super::pack::{CodeItem, OutlineItem};
use super::rank::{distances, personalized_pagerank};
use super::secrets;

#[derive(Debug, Clone)]
pub(super) struct Node {
    /// Path relative to the workspace root, `/`-separated.
    pub file: String,
    /// Bytes of the definition in its file (for nesting).
    pub range: Range<usize>,
    /// 1-based line of the `def`/`class`.
    pub line: usize,
    pub qualname: String,
    pub code: String,
    /// One line: `def f(a, b=1) -> int:`.
    pub signature: String,
    pub doc: Option<String>,
    pub in_target_file: bool,
    /// A module-level statement: only ever a target.
    pub is_statement: bool,
    /// Reached only through what the target's module imports: a
    /// signature at level 2, never code at level 1.
    pub signature_only: bool,
    /// How the target's calls reach it, or it the target's, when only
    /// indirectly (`via override`): the model is told, as the call
    /// hierarchy tells the editor.
    pub via: Option<&'static str>,
}

/// Nodes, weighted undirected edges, and which node is the target.
pub(super) struct Neighbourhood {
    pub nodes: Vec<Node>,
    pub edges: Vec<(usize, usize, f64)>,
    pub target: usize,
}

/// What assembly hands to the packer.
pub(super) struct Items {
    pub target: String,
    pub level1: Vec<CodeItem>,
    pub level2: Vec<OutlineItem>,
    pub secrets_masked: usize,
}

impl Neighbourhood {
    /// Whether `inner`'s code is part of `outer`'s (a method in its class).
    fn nested(&self, inner: usize, outer: usize) -> bool {
        let (i, o) = (&self.nodes[inner], &self.nodes[outer]);
        inner != outer && i.file == o.file && o.range.start <= i.range.start && i.range.end <= o.range.end && o.range.len() > i.range.len()
    }

    pub fn items(&self) -> Items {
        let n = self.nodes.len();
        let target = self.target;
        let rank = personalized_pagerank(n, &self.edges, target);
        let dist = distances(n, &self.edges, target);
        let by_rank = |mut nodes: Vec<usize>| {
            nodes.sort_by(|&a, &b| rank[b].total_cmp(&rank[a]).then(a.cmp(&b)));
            nodes
        };
        let candidates: Vec<usize> = (0..n).filter(|&i| i != target && !self.nested(i, target) && !self.nodes[i].is_statement).collect();
        // Direct neighbours by rank; one whose code overlaps a better-ranked
        // one's (a method of a class already shown) is a signature instead.
        let mut level1: Vec<usize> = Vec::new();
        let mut overlapping = Vec::new();
        let signature_only = |i: usize| self.nodes[i].signature_only;
        for i in by_rank(candidates.iter().copied().filter(|&i| dist[i] == 1 && !self.nested(target, i) && !signature_only(i)).collect()) {
            if level1.iter().any(|&m| self.nested(i, m) || self.nested(m, i)) {
                overlapping.push(i);
            } else {
                level1.push(i);
            }
        }
        // Code already shown in full at level 1 needs no signature at level 2.
        let shown = |i: usize| level1.iter().any(|&m| self.nested(i, m));
        let ring2 = by_rank(
            candidates
                .iter()
                .copied()
                .filter(|&i| !shown(i) && (dist[i] == 2 || self.nested(target, i) || overlapping.contains(&i) || signature_only(i)))
                .collect(),
        );
        // Past the second ring, the rest of the target's own module still
        // says more than nothing; it comes last and is left out first.
        let rest =
            by_rank(candidates.iter().copied().filter(|&i| dist[i] > 2 && !shown(i) && !self.nested(target, i) && self.nodes[i].in_target_file).collect());

        let mut masked = 0;
        let mut mask = |text: &str| {
            let (text, count) = secrets::mask(text);
            masked += count;
            text
        };
        let title = |i: usize| {
            let node = &self.nodes[i];
            format!("{}:{} `{}`{}", node.file, node.line, node.qualname, via(node))
        };
        let level1 = std::iter::once(target)
            .chain(level1)
            .map(|i| {
                let suffix = if i == target { " (target)" } else { "" };
                CodeItem { title: format!("{}{suffix}", title(i)), code: mask(&self.nodes[i].code) }
            })
            .collect();
        let level2 = ring2
            .into_iter()
            .chain(rest)
            .map(|i| {
                let node = &self.nodes[i];
                let doc = node.doc.as_ref().map(|doc| format!(" {doc}")).unwrap_or_default();
                let owner = node.qualname.rsplit_once('.').map(|(owner, _)| format!(" (in `{owner}`)")).unwrap_or_default();
                OutlineItem { line: mask(&format!("- {}:{}{owner} `{}`{}{doc}", node.file, node.line, node.signature, via(node))) }
            })
            .collect();
        Items { target: title(target), level1, level2, secrets_masked: masked }
    }
}

/// ` (via override)` after a node tied to the target only indirectly.
fn via(node: &Node) -> String {
    node.via.map(|label| format!(" ({label})")).unwrap_or_default()
}

/// How strongly an edge ties two definitions, before the penalty for
/// names defined in many places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tie {
    Calls,
    Inherits,
    Uses,
    /// A method and its class.
    Member,
    /// The target's module imports the definition by name.
    Imports,
    /// The target's module imports the definition's whole module.
    ImportedModule,
}

impl Tie {
    pub fn weight(self) -> f64 {
        match self {
            Tie::Calls | Tie::Inherits => 1.0,
            Tie::Uses => 0.6,
            Tie::Member => 0.5,
            Tie::Imports => 0.3,
            Tie::ImportedModule => 0.1,
        }
    }
}

/// The weight of an edge to a name with `definitions` definitions: a call to
/// `save` says little about which of forty `save`s it means.
pub(super) fn penalised(tie: Tie, definitions: usize) -> f64 {
    tie.weight() / definitions.max(1) as f64
}
