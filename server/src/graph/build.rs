//! Building a graph from many files at once: summaries are extracted in
//! parallel and nodes inserted; [`Graph::build`] then links every file in
//! parallel.

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::{FileInput, FileSummary, Graph, Hashes, Prepared, Stubs};

pub(super) fn nodes(roots: Vec<PathBuf>, mut files: Vec<FileInput>, stubs: Option<Arc<Stubs>>, hashes: Hashes) -> Graph {
    let mut graph = Graph { stubs, ..Graph::new(roots) };
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let roots = graph.roots.clone();
    let prepared: Vec<(Arc<FileSummary>, Option<Prepared>)> = files
        .par_iter()
        .map(|f| {
            let summary = f.summary.clone().unwrap_or_else(|| Arc::new(FileSummary::extract(&f.text)));
            let prepared = Prepared::new(&roots, &f.path, &f.text, &summary, hashes);
            (summary, prepared)
        })
        .collect();
    for (file, (summary, prepared)) in files.into_iter().zip(prepared) {
        if let Some(prepared) = prepared {
            graph.insert_prepared(&file.path, file.text, summary, prepared);
        }
    }
    graph
}
