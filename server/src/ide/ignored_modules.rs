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

/// Whether the move of `from` (a file or a folder) takes a Python file
/// that the workspace's walk does not admit (`admitted`: `.gitignore`,
/// `index.exclude`): one on disk the graph does not hold, or one it holds
/// only because an editor has it open. Such a file is generated or local
/// (hatch-vcs writes `_version.py` again under the name `pyproject.toml`
/// gives it), so `rename-module` and the editor's rename both refuse to
/// point its importers at a new name.
pub fn moves_left_out(graph: &Graph, from: &Path, admitted: &dyn Fn(&Path) -> bool) -> bool {
    let python = |p: &Path| p.extension().is_some_and(|e| e == "py" || e == "pyi");
    let unheld = python(from) && from.is_file() && graph.file_id(from).is_none();
    let held = || graph.files().any(|(_, e)| e.path.starts_with(from) && python(&e.path) && !graph.is_library_path(&e.path) && !admitted(&e.path));
    (unheld && !admitted(from)) || held()
}

/// At most this many ignored files are named.
const NAMED: usize = 5;
/// At most this many entries are walked per root (a move waits for it).
const WALKED: usize = 20_000;

/// The Python files under the workspace's roots that the graph does not
/// hold (a `.gitignore`d `local/` of scripts, an excluded folder), not in
/// a package beside its modules ([`spelling`] refuses those), that spell
/// `module` (its dotted name, or its package's and its last part): they
/// may import it, and a move would leave them stale. The move still goes
/// on (they are not the project's); the user is told which.
pub fn scripts_spelling(graph: &Graph, module: &str) -> Vec<PathBuf> {
    let (parent, leaf) = module.rsplit_once('.').unwrap_or(("", module));
    let word = |text: &str, w: &str| super::mentions::whole_word_ends(text, w).next().is_some();
    let spells = |text: &str| word(text, module) || (!parent.is_empty() && word(text, parent) && word(text, leaf));
    let folders: rustc_hash::FxHashSet<&Path> = graph.files().filter_map(|(_, e)| e.path.parent()).collect();
    let mut found = Vec::new();
    for root in graph.roots() {
        let walk = ignore::WalkBuilder::new(root).standard_filters(false).hidden(true).filter_entry(|entry| !crate::index::skipped_dir(entry)).build();
        for entry in walk.filter_map(Result::ok).take(WALKED) {
            let path = entry.path();
            let python = path.extension().is_some_and(|e| e == "py" || e == "pyi");
            let beside_modules = || path.parent().is_some_and(|folder| folders.contains(folder));
            if !python || graph.file_id(path).is_some() || graph.is_library_path(path) || beside_modules() || found.iter().any(|f| f == path) {
                continue;
            }
            if std::fs::read_to_string(path).is_ok_and(|text| spells(&text)) {
                found.push(path.to_owned());
                if found.len() == NAMED {
                    return found;
                }
            }
        }
    }
    found
}
