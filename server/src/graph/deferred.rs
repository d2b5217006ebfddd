//! Updates that re-link the edited file at once and leave its dependents
//! for later, in bounded slices.
//!
//! An edit that changes what a file exports must re-link every file whose
//! resolution consulted it: on a large project, hundreds of importers of a
//! core module. Doing that before answering a keystroke's request is the
//! whole tail of its latency. [`Graph::update_file_deferred`] links the
//! edited file only and records the rest as pending; the writer re-links
//! them a slice at a time ([`Graph::relink_pending`]) between requests.
//! Several edits in a row coalesce: a file pending twice is re-linked once.
//!
//! While files are pending, what the graph resolves on demand (definition,
//! hover, completion, the graph checks: [`crate::graph::ReferenceResolver`])
//! is already right: resolution reads summaries, never edges. What reads
//! the edges of the pending files (references, callers, subtypes, the
//! files' unresolved counts) may be stale until [`Graph::flush_relinks`];
//! features that need them flush first.
//!
//! [`Graph::update_file_unlinked`] goes one step further for a buffer being
//! typed in: when the edit is not local to a region (local.rs), the edited
//! file's own whole link is left pending too, for the first request that
//! reads edges ([`Graph::link_file`]); completion and signature help,
//! which resolve from summaries, answer without it. Unlike an importer's,
//! such a file's edges are not merely stale in what they point to: their
//! sites are spans of the text before the edit, and the definitions the
//! edit added have none. So every reader of edges, whichever document it
//! asks about, links those files first (a caller listed at a wrong line,
//! a class's members missing).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ruff_text_size::TextRange;

use super::{FileId, FileSummary, Graph, Region, TextEdit, link};

impl Graph {
    /// Like [`Graph::update_file`], but only `path` itself is re-linked now;
    /// the files that depend on what changed are left pending.
    pub fn update_file_deferred(&mut self, path: &Path, text: &str) -> bool {
        self.update_cells_deferred(path, text, None, true)
    }

    /// [`Graph::update_file_deferred`], but an update that must link
    /// `path` whole leaves that link pending as well (see the module's
    /// documentation): what reads its links links it first.
    pub fn update_file_unlinked(&mut self, path: &Path, text: &str) -> bool {
        self.update_cells_deferred(path, text, None, false)
    }

    /// Whether `file`'s own links wait for a re-link (an update left them,
    /// or it depends on an edited file).
    pub fn links_pending(&self, file: FileId) -> bool {
        self.pending.contains(&file)
    }

    /// Whether a request on `file` that reads edges must link first
    /// ([`Graph::link_file`]): `file`'s links are pending, or an update
    /// left some file's own link pending (see the module's documentation).
    pub fn needs_link(&self, file: Option<FileId>) -> bool {
        !self.unlinked.is_empty() || file.is_some_and(|file| self.pending.contains(&file))
    }

    /// Links every file whose own link an update left pending, then `file`
    /// when its links are pending (an importer's too), keeping what each
    /// of its references denotes for the requests that read them
    /// (answers.rs): the edges a request on `file` reads are then those of
    /// [`Graph::update_file_deferred`]'s graph, or `file`'s own current.
    pub fn link_file(&mut self, file: Option<FileId>) {
        let mut unlinked: Vec<FileId> = std::mem::take(&mut self.unlinked).into_iter().filter(|&f| Some(f) != file).collect();
        unlinked.sort_unstable();
        for other in unlinked {
            self.relink_keeping_answers(other);
        }
        if let Some(file) = file.filter(|file| self.pending.contains(file)) {
            self.relink_keeping_answers(file);
        }
    }

    /// [`Graph::update_file_deferred`] of a notebook's module text whose
    /// code cells are at `cells` (see [`crate::notebook::Notebook::cell_ranges`]):
    /// parsed cell by cell, so a cell that does not parse leaves the others known.
    pub fn update_notebook_deferred(&mut self, path: &Path, text: &str, cells: &[TextRange]) -> bool {
        self.update_cells_deferred(path, text, Some(cells), true)
    }

    fn update_cells_deferred(&mut self, path: &Path, text: &str, cells: Option<&[TextRange]>, link_now: bool) -> bool {
        let started = Instant::now();
        let Some((summary, errors, splice)) = self.summary_for(path, text, cells) else { return false };
        let summarised = started.elapsed();
        let spliced = splice.is_some();
        let updated = self.update_deferred_with_summary(path, Arc::from(text), Arc::new(summary), errors, splice, link_now);
        if let Some((cells, id)) = cells.zip(self.file_id(path)) {
            self.notebook_cells.insert(id, Arc::from(cells));
        }
        // What a keystroke's update spent where (the typing benchmark's
        // tail is the updates that summarise the whole file).
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let pending = self.pending.len();
        // Linked only in part (local.rs), or whole.
        let local = self.local_update().is_some_and(|local| self.file_id(path) == Some(local.file));
        // Its whole link left for what reads it (`update_file_unlinked`).
        let unlinked = self.file_id(path).is_some_and(|id| self.pending.contains(&id));
        tracing::debug!(path = %path.display(), spliced, local, unlinked, errors, pending, summary_ms = ms(summarised), link_ms = ms(started.elapsed() - summarised), "file updated");
        updated
    }

    /// A copy of the graph holding `texts` for their paths, to check those
    /// files before they are written (a proposed edit, a rename's result):
    /// only they are linked, and what depends on them is left pending. The
    /// checks of the files themselves resolve from summaries, never from
    /// the dependents' edges; re-linking the importers of a core module
    /// would be nearly all of the time (seconds on Django).
    pub fn with_texts<'a>(&self, texts: impl IntoIterator<Item = (&'a Path, &'a str)>) -> Graph {
        let mut copy = self.clone();
        for (path, text) in texts {
            copy.update_file_deferred(path, text);
        }
        copy
    }

    fn update_deferred_with_summary(
        &mut self,
        path: &Path,
        text: Arc<str>,
        summary: Arc<FileSummary>,
        errors: u32,
        splice: Option<(Region, TextEdit)>,
        link_now: bool,
    ) -> bool {
        if let Some(callers) = self.file_id(path).and_then(|id| self.update_in_place(id, path, &text, &summary, splice)) {
            self.pending.extend(callers);
            return true;
        }
        let is_new = self.file_id(path).is_none();
        let Some((file, change, callers)) = self.insert_file(path, text, summary) else { return false };
        self.set_syntax_errors(file, errors);
        let mut later = self.relink_set(file, &change, is_new);
        later.extend(callers);
        later.remove(&file);
        self.pending.extend(later);
        if link_now {
            self.relink_keeping_answers(file);
        } else {
            self.pending.insert(file);
            self.unlinked.insert(file);
        }
        true
    }

    /// Files whose links wait for [`Graph::relink_pending`].
    pub fn pending_relinks(&self) -> usize {
        self.pending.len()
    }

    /// Re-links pending files one by one (lowest ids first), at most
    /// `limit` of them, stopping once `budget` is spent (a file whose
    /// inference reads much can take milliseconds); returns how many are
    /// still pending.
    ///
    /// A file's links are computed before any of its old ones change, and
    /// given up when `stop` says so (an update waits): the file stays
    /// pending and the graph as it was. Putting them in place is short
    /// (see apply.rs).
    pub fn relink_pending(&mut self, limit: usize, budget: Duration, stop: &dyn Fn() -> bool) -> usize {
        let started = Instant::now();
        let mut order: Vec<FileId> = self.pending.iter().copied().collect();
        order.sort_unstable();
        for file in order.into_iter().take(limit) {
            let linking = Instant::now();
            if self.file(file).is_none() {
                self.pending.remove(&file);
                self.unlinked.remove(&file);
                continue;
            }
            let Some(links) = link::link_until(self, file, stop) else { break };
            self.pending.remove(&file);
            self.unlinked.remove(&file);
            self.files_linked += 1;
            self.apply_links(file, links);
            let took = linking.elapsed();
            if took >= budget {
                let path = self.file(file).map(|f| f.path.display().to_string()).unwrap_or_default();
                tracing::debug!(path, ms = took.as_secs_f64() * 1000.0, "a slow file to re-link");
            }
            if started.elapsed() >= budget {
                break;
            }
        }
        self.pending.len()
    }

    /// Re-links every pending file: the graph then equals one updated
    /// with [`Graph::update_file`] all along.
    pub fn flush_relinks(&mut self) {
        self.unlinked.clear();
        let all = std::mem::take(&mut self.pending);
        self.relink(all);
    }

    /// How many files were linked since the graph was created (a file
    /// linked twice counts twice).
    pub fn files_linked(&self) -> u64 {
        self.files_linked
    }
}
