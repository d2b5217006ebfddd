//! Building a graph from many files at once: summaries are extracted in
//! parallel, nodes inserted, then every file is linked in parallel.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::{FileInput, FileSummary, Graph};

pub(super) fn build(roots: Vec<PathBuf>, mut files: Vec<FileInput>) -> Graph {
    let mut graph = Graph::new(roots);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let summaries: Vec<Arc<FileSummary>> = files
        .par_iter()
        .map(|f| f.summary.clone().unwrap_or_else(|| Arc::new(FileSummary::extract(&f.text))))
        .collect();
    for (file, summary) in files.into_iter().zip(summaries) {
        graph.insert_file(&file.path, file.text, summary);
    }
    let all = graph.files().map(|(id, _)| id).collect();
    graph.relink(all);
    graph
}
