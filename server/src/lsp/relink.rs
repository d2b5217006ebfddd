//! Re-linking the files an edit left pending, off the keystroke path.
//!
//! A buffer's text goes into the graph with only its own file re-linked
//! (`Graph::update_file_deferred`): a request on the edited file never waits
//! for the hundreds of importers of a core module. Those are re-linked in
//! the background once typing pauses, a slice at a time so an update or a
//! request waits at most one slice for the graph, and a newer edit takes
//! the work over (what both left pending is re-linked once). Then the open
//! documents' diagnostics (the edited one's too) are published again where
//! they changed.
//!
//! Requests that read other files' links — references, call hierarchy,
//! code lens caller counts, type hierarchy, rename, the LLM actions and
//! their checks — flush what is pending first ([`Backend::flush_relinks`]);
//! what resolves on demand (hover, definition, completion, inline
//! completion, the graph checks) does not need to.
//!
//! An edit that cannot be linked in part leaves the edited file's own
//! whole link pending too (`Graph::update_file_unlinked`). Its edges then
//! hold the sites of the text before the edit, so every request that
//! reads edges, on any document, links such files first (`Links::Own` in
//! locations.rs and `linked_for` in indexing.rs: tokens, inlay hints,
//! highlights, a symbol's hover with its callers, the diagnostics, inline
//! completion's context; a flush links them too). Completion, signature
//! help and a local's hover read summaries alone (`super().`'s bases and
//! the `@overload`s included) and answer without it: while typing, they
//! no longer wait for the whole file's ~9,000 references to be resolved
//! again.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tower_lsp::lsp_types::Url;

use super::Backend;
use crate::graph::Graph;

/// Files re-linked per turn of the writer, at most, and the time after
/// which a turn stops (a file whose inference reads much takes
/// milliseconds; a slice of Django's largest took hundreds).
const SLICE: usize = 16;
const SLICE_BUDGET: Duration = Duration::from_millis(3);
/// How long the background re-link waits for readers to let go of the
/// graph before trying again (it does not copy the graph).
const READERS_WAIT: Duration = Duration::from_millis(2);
/// How long typing must pause before the background re-link starts.
const DELAY: Duration = Duration::from_millis(100);

#[derive(Default)]
pub(super) struct RelinkState {
    /// Bumped by each edit that left files pending: a task whose number is
    /// no longer current leaves the work to the newer one.
    generation: AtomicU64,
    /// Documents whose edits left files pending since the last publish.
    changed: Mutex<HashSet<Url>>,
}

impl Backend {
    /// Files are pending after an edit of `changed`: re-links them once
    /// typing pauses, then publishes the open documents' diagnostics.
    pub(super) fn schedule_relink(&self, changed: Url) {
        let relink = &self.state.relink;
        relink.changed.lock().unwrap_or_else(|e| e.into_inner()).insert(changed);
        let generation = relink.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let this = self.clone();
        tokio::spawn(async move {
            let current = || this.state.relink.generation.load(Ordering::SeqCst) == generation;
            tokio::time::sleep(DELAY).await;
            while current() {
                match this.relink_slice(false).await {
                    Some(Some(0)) | None => break,
                    Some(Some(_)) => {}
                    Some(None) => tokio::time::sleep(READERS_WAIT).await,
                }
            }
            if !current() {
                return; // superseded: the newer task publishes
            }
            let changed: Vec<Url> = this.state.relink.changed.lock().unwrap_or_else(|e| e.into_inner()).drain().collect();
            for uri in changed {
                this.refresh_after_relink(&uri).await;
            }
        });
    }

    /// Whether an edit's dependents still wait to be re-linked.
    pub(super) fn relinks_pending(&self) -> bool {
        self.state.graph.read(Graph::pending_relinks) > 0
    }

    /// Re-links everything pending, slice by slice (updates of the buffers
    /// being typed in go between slices), for requests that read the links
    /// of other files. False when a slice failed (logged).
    pub(super) async fn flush_relinks(&self) -> bool {
        while self.relinks_pending() {
            if self.relink_slice(true).await.is_none() {
                return false;
            }
        }
        true
    }

    /// One slice: how many files are still pending, `Some(None)` when
    /// readers hold the graph and `may_copy` is false, `None` when the
    /// re-link failed.
    async fn relink_slice(&self, may_copy: bool) -> Option<Option<usize>> {
        let state = self.state.clone();
        let done = tokio::task::spawn_blocking(move || {
            if may_copy {
                Some(state.graph.update(|graph| graph.relink_pending(SLICE, SLICE_BUDGET, &|| false)))
            } else {
                state.graph.update_in_place(|graph, stop| graph.relink_pending(SLICE, SLICE_BUDGET, stop))
            }
        });
        done.await.map_err(|e| tracing::error!("re-linking failed: {e}")).ok()
    }
}
