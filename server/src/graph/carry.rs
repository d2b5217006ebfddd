//! Early cut-off: an edit that moves a file's code without changing it.
//!
//! Most keystrokes in a large file change nothing other files or the
//! file's own resolution can see: a blank line, indentation inside a
//! bracket, a comment. Their new summary is the old one with its offsets
//! moved past the edit. Such an update keeps the file's nodes and links as
//! they are (edge sites moved with the text) instead of re-linking the
//! whole file, and leaves the graph's revision alone: what was computed
//! from the graph stays valid once its offsets are moved the same way
//! ([`TextEdit`]).

use std::sync::Arc;

use petgraph::visit::EdgeRef;

use super::summary::{Region, TextEdit};
use super::{FileEntry, FileId, FileSummary, Graph, Span};

impl Graph {
    /// Puts `text` and its `summary` in place of file `id`'s when the
    /// summary is the old one moved over the edit; whether it did. Files
    /// with syntax errors are not carried (their summaries are partly
    /// carried over already, see [`FileSummary::recovered`]), nor files
    /// waiting to be re-linked (an update links them: their links are stale).
    /// `splice`, when the summary was spliced over a region after an
    /// edit, lets the comparison look at that region only.
    pub(super) fn carry_over(&mut self, id: FileId, text: &Arc<str>, summary: &Arc<FileSummary>, splice: Option<(Region, TextEdit)>) -> bool {
        let Some(old) = self.file(id) else { return false };
        if self.pending.contains(&id) || old.syntax_errors > 0 || summary.syntax_errors > 0 || old.summary.syntax_errors > 0 {
            return false;
        }
        // Equal after moving: every item the same, each where the edit
        // moved it. An item inside the edited region is clamped to its
        // start, so a changed name or offset there makes them differ.
        let moved = match splice {
            Some((region, edit)) => old.summary.moved_over(summary, region, edit),
            None => old.summary.moved(old.text(), text) == **summary,
        };
        // The entry's `__all__` names stay: the summary records the value
        // bound to `__all__`, so a moved summary lists the same.
        if !moved {
            return false;
        }
        let edit = TextEdit::between(old.text(), text);
        let Some(slot) = self.files.get_mut(id.0 as usize).and_then(Option::as_mut) else { return false };
        let entry = Arc::make_mut(slot);
        entry.held_text = text.clone();
        entry.replace_summary(summary.clone());
        entry.hash = super::content_hash(text);
        entry.caller_typed = super::local::moved_calls(&entry.caller_typed, edit);
        entry.unresolved = super::local::moved_starts(&entry.unresolved, edit);
        let entry = slot.clone();
        self.move_edges(&entry, |_| true, edit);
        true
    }

    /// Moves the sites of the outgoing edges of `entry`'s nodes that
    /// `moves` takes over `edit`.
    pub(super) fn move_edges(&mut self, entry: &FileEntry, moves: impl Fn(Span) -> bool, edit: TextEdit) {
        let nodes = entry.nodes.iter().chain([&entry.module_node]);
        let sites: Vec<_> = nodes.flat_map(|&node| self.graph.edges_directed(node, petgraph::Direction::Outgoing).map(|e| e.id())).collect();
        for edge in sites {
            let site = &mut self.graph[edge].site;
            if moves(*site) {
                *site = edit.map_span(*site);
            }
        }
    }
}
