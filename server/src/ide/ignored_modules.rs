//! Python files inside the workspace's packages that the graph does not
//! hold (`.gitignore`d generated code such as `_version.py` or
//! `*_pb2.py`, or `index.exclude`d): Python still imports them with their
//! package, so a module rename that would leave their imports naming the
//! old module is refused.

use std::path::{Path, PathBuf};

use crate::graph::Graph;

/// The first Python file beside a workspace module that the graph does
/// not hold and whose text spells `name` as a word (it may import what
/// is renamed); `gone` aside (moved away by the same edit).
pub fn spelling(graph: &Graph, name: &str, gone: &[PathBuf]) -> Option<PathBuf> {
    let mut folders: Vec<&Path> = graph.files().filter(|(_, e)| !graph.is_library_path(&e.path)).filter_map(|(_, e)| e.path.parent()).collect();
    folders.sort();
    folders.dedup();
    folders.into_iter().find_map(|folder| {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(folder).ok()?.filter_map(|e| Some(e.ok()?.path())).collect();
        entries.sort();
        entries.into_iter().find(|path| {
            let python = path.extension().is_some_and(|e| e == "py" || e == "pyi");
            python
                && graph.file_id(path).is_none()
                && !gone.contains(path)
                // Not UTF-8: the command line's check of unread files names it.
                && std::fs::read_to_string(path).is_ok_and(|text| super::mentions::whole_word_ends(&text, name).next().is_some())
        })
    })
}

/// Whether `path` is a Python file or a package folder on disk that the
/// graph does not hold (ignored or excluded), so cannot be moved by it.
pub fn is_ignored(graph: &Graph, path: &Path) -> bool {
    let python = path.extension().is_some_and(|e| e == "py" || e == "pyi") && path.is_file();
    (python || path.join("__init__.py").is_file()) && graph.file_id(path).is_none()
}
