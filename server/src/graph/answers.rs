//! What each reference of the file an update linked whole denotes, kept
//! for the requests that follow it (semantic tokens classify every name of
//! the file).
//!
//! After an edit that changes what a file shows, the whole file is linked
//! again: its ~9,000 references (Django's largest modules) resolved into
//! edges. The semantic tokens asked right after resolved them all once
//! more, with a resolver of their own. Both resolve from summaries only,
//! never from edges, so the linking's answers are what a second resolver
//! run through the same steps would find. They are kept for the file's
//! text while no summary changes (re-links of other files do not matter);
//! asked for at another state, the linking is replayed (its edges
//! dropped). A resolver started afresh would not do: inference's memo
//! depends on what was resolved before (a file linked in two halves
//! resolved one of Django's calls otherwise), and the tokens after an edit
//! must be a fresh open's.

use std::sync::Arc;

use super::link::{self, Answers};
use super::{FileId, Graph, library};

/// The answers of one file's linking, at one state of the graph.
#[derive(Debug)]
pub(super) struct ReferenceAnswers {
    file: FileId,
    /// What names resolved to then (see `Graph::resolves`): the importers
    /// the edit left pending re-link after, and change nothing of it.
    resolves: u64,
    /// The file's text hash: an update that only moves code keeps the
    /// revision (carry.rs), and the answers' local spans would be stale.
    hash: u64,
    answers: Arc<Answers>,
}

impl Graph {
    /// Links `file` (an update's, whose links are stale) and keeps what
    /// its references denote for [`Graph::reference_answers`].
    pub(super) fn relink_keeping_answers(&mut self, file: FileId) {
        self.pending.remove(&file);
        self.unlinked.remove(&file);
        let Some(hash) = self.file(file).map(|entry| entry.hash) else { return };
        self.files_linked += 1;
        let (links, answers) = link::link_with_answers(self, file);
        self.apply_links(file, links);
        self.answers = Some(Arc::new(ReferenceAnswers { file, resolves: self.resolves, hash, answers: Arc::new(answers) }));
    }

    /// What each segment of each reference of `file` denotes, in the
    /// summary's order: the last linking's answers when the graph and the
    /// file are as it left them, else the linking replayed. A library
    /// file (opened after go to definition) is never linked: its
    /// references are resolved one by one.
    pub fn reference_answers(&self, file: FileId) -> Arc<Answers> {
        let Some(entry) = self.file(file) else { return Arc::default() };
        if let Some(kept) = self.answers.as_ref().filter(|kept| kept.file == file && kept.resolves == self.resolves && kept.hash == entry.hash) {
            return kept.answers.clone();
        }
        if library::is_library(file) {
            let mut resolver = self.reference_resolver(file);
            return Arc::new(entry.summary.references.iter().map(|reference| resolver.segments(reference)).collect());
        }
        Arc::new(link::link_with_answers(self, file).1)
    }
}
