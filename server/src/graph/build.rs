//! Building a graph from many files at once: summaries are extracted and
//! files prepared in parallel, then nodes inserted; [`Graph::build`] then
//! links every file in parallel.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::{FileInput, FileSummary, Graph, Hashes, Library, Prepared};

/// A file made ready for a graph that is built at once: what inserting it
/// computes from its path and summary alone (see
/// [`Graph::prepare_unlinked`]).
pub struct PreparedFile {
    path: PathBuf,
    text: Arc<str>,
    summary: Arc<FileSummary>,
    prepared: Prepared,
}

impl PreparedFile {
    /// `None` when `path` is outside `roots` (the file has no module).
    pub(super) fn new(roots: &[PathBuf], input: FileInput, hashes: Hashes) -> Option<Self> {
        let FileInput { path, text, summary } = input;
        let summary = summary.unwrap_or_else(|| Arc::new(FileSummary::extract_file(&path, &text)));
        let prepared = Prepared::new(roots, &path, &text, &summary, hashes)?;
        Some(Self { path, text, summary, prepared })
    }
}

pub(super) fn nodes(roots: Vec<PathBuf>, files: Vec<FileInput>, library: Option<Arc<Library>>, hashes: Hashes) -> Graph {
    let prepared = files.into_par_iter().filter_map(|f| PreparedFile::new(&roots, f, hashes)).collect();
    insert_all(roots, prepared, library)
}

/// Inserts `files` in the order of their paths (so the graph does not depend
/// on the order they were prepared in).
pub(super) fn insert_all(roots: Vec<PathBuf>, mut files: Vec<PreparedFile>, library: Option<Arc<Library>>) -> Graph {
    let mut graph = Graph { library, ..Graph::new(roots) };
    files.sort_by(|a, b| a.path.cmp(&b.path));
    // Room for every file and node at once: growing the node list copied
    // it again and again on the serial path between a check's two passes.
    let nodes = files.iter().map(|f| f.summary.definitions.len() + 1).sum();
    graph.graph.reserve_nodes(nodes);
    graph.files.reserve(files.len());
    graph.by_path.reserve(files.len());
    graph.modules.reserve(files.len());
    for PreparedFile { path, text, summary, prepared } in files {
        graph.insert_prepared(path, text, summary, prepared);
    }
    graph
}
