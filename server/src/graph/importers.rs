//! Who imports a name, and who read their calls of it.
//!
//! An unannotated parameter of a module-level function (or of a class's
//! `__init__`) is typed by what the calls in its file pass, and by what the
//! calls in the files importing the function by name pass (`from .core
//! import cached`, then `cached(LRUCache(...))`; see `infer/callers.rs`).
//! Those files are found through `importers` (a name to the files with a
//! `from m import name`), kept as files are inserted and removed; the
//! callee's file records the names whose callers it read
//! (`caller_readers`). Its links then depend on code of other files that no
//! interface holds, so an update of an importer re-links the readers:
//! - a new, replaced or removed file: the readers of every name it imports
//!   or imported (a call of it may have come, changed or gone);
//! - an edit local to some statements (local.rs): the readers of the names
//!   whose imports the edited statements call, before or after the edit.
//!   Other calls of the file are untouched, and so are the locals they pass
//!   (those of their own functions; module-level values changing take the
//!   whole-file path).

use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashSet;

use super::summary::{FileSummary, Span};
use super::{FileEntry, FileId, Graph};

impl Graph {
    /// The workspace files importing `name` by name, ordered by path (the
    /// graph's order of files must not change what is read first). Kept in
    /// that order as files come and go: a caller lookup reads them often,
    /// and sorting a popular name's thousands of importers at each read
    /// was a tenth of a large workspace's cold index.
    pub(super) fn importers_of(&self, name: &str) -> &[FileId] {
        self.importers.get(name).map_or(&[], Vec::as_slice)
    }

    /// Registers file `id` at `path` (its entry not yet in the graph) as an
    /// importer of the names `summary` imports; gives the files whose
    /// linking read calls of those names.
    pub(super) fn add_importer(&mut self, id: FileId, path: &Path, summary: &FileSummary) -> FxHashSet<FileId> {
        let names = imported_names(summary);
        let entries = &self.files;
        for name in &names {
            let Some(files) = self.importers.get_mut(name.as_str()) else {
                self.importers.insert(name.clone(), vec![id]);
                continue;
            };
            // A graph being built gets its files in the order of their
            // paths: each goes after the last listed (it is not listed: a
            // file is forgotten here before it is replaced). Looking for it
            // in the list first, and finding its place by the paths of
            // entries all over memory, was most of the time a cold index of
            // 10 copies of Django spent inserting its files one by one.
            if files.last().is_some_and(|&last| path_of(entries, last).is_some_and(|p| p < path)) {
                files.push(id);
                continue;
            }
            if files.contains(&id) {
                continue;
            }
            // Every other listed file is in the graph (a file's own entry is
            // out only while it is replaced, after it was forgotten here).
            let at = files.partition_point(|&f| path_of(entries, f).is_none_or(|p| p < path));
            files.insert(at, id);
        }
        self.readers_of(id, names.iter().map(String::as_str))
    }

    /// Forgets file `id` as an importer of the names `summary` imports;
    /// gives the files whose linking read calls of those names.
    pub(super) fn forget_importer(&mut self, id: FileId, summary: &FileSummary) -> FxHashSet<FileId> {
        let names = imported_names(summary);
        for name in &names {
            if let Some(files) = self.importers.get_mut(name) {
                files.retain(|&f| f != id);
                if files.is_empty() {
                    self.importers.remove(name);
                }
            }
        }
        self.readers_of(id, names.iter().map(String::as_str))
    }

    /// The files (but `id`) whose linking read the calls of `names`.
    fn readers_of<'a>(&self, id: FileId, names: impl IntoIterator<Item = &'a str>) -> FxHashSet<FileId> {
        let mut readers = FxHashSet::default();
        if self.caller_readers.is_empty() {
            return readers;
        }
        for name in names {
            readers.extend(self.caller_readers.get(name).into_iter().flatten().copied());
        }
        readers.remove(&id);
        readers
    }

    /// The files (but `id`) whose linking read calls of names that `id`
    /// imports and that `summary` calls inside `region` (`f(...)`, or
    /// `m.f(...)` of a module imported whole).
    pub(super) fn readers_of_calls_in(&self, id: FileId, summary: &FileSummary, region: Span) -> FxHashSet<FileId> {
        if self.caller_readers.is_empty() {
            return FxHashSet::default();
        }
        let called = summary.references.iter().filter(|r| r.call && region.start <= r.start && r.start < region.end);
        let mut names: Vec<String> = Vec::new();
        for reference in called {
            let (first, dotted) = match reference.chain.split_once('.') {
                Some((first, _)) => (first, true),
                None => (reference.chain.as_str(), false),
            };
            if reference.receiver().is_some() || reference.from_super {
                continue;
            }
            for import in &summary.imports {
                match (&import.name, &import.module) {
                    // `f(...)` with `from m import f [as f]`, `core.f(...)`
                    // with `from pkg import core`.
                    (Some(name), _) if import.alias.as_deref().unwrap_or(name) == first => names.push(name.to_string()),
                    // `m.f(...)` with `import m [as m]` (`import a.b` binds `a`).
                    (None, Some(module)) if dotted && import.alias.as_deref().unwrap_or_else(|| module.split('.').next().unwrap_or(module)) == first => {
                        names.push(module_key(module))
                    }
                    _ => {}
                }
            }
        }
        self.readers_of(id, names.iter().map(String::as_str))
    }
}

/// The path of workspace file `id` (importers are workspace files).
fn path_of(entries: &[Option<Arc<FileEntry>>], id: FileId) -> Option<&Path> {
    entries.get(id.0 as usize)?.as_deref().map(|e| e.path.as_path())
}

/// The names a file imports by name (`from m import name [as alias]`),
/// and the modules it imports whole, as [`module_key`]s (`import m`).
fn imported_names(summary: &FileSummary) -> Vec<String> {
    let mut names: Vec<String> = summary
        .imports
        .iter()
        .filter(|i| !i.star)
        .filter_map(|i| match (&i.name, &i.module) {
            (Some(name), _) => Some(name.to_string()),
            (None, Some(module)) => Some(module_key(module)),
            (None, None) => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The key of a module imported whole (`import m`) among the names of
/// `importers` and `caller_readers`: its calls are written `m.f(...)`.
pub(super) fn module_key(module: &str) -> String {
    format!("import {module}")
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::super::tests::build;

    const IMPORTER: &str = "from lib import f\nf(1)\n";

    fn importers(graph: &super::Graph) -> Vec<String> {
        graph.importers_of("f").iter().map(|&f| graph.file(f).unwrap().path.display().to_string()).collect()
    }

    #[test]
    fn importers_are_in_path_order_whatever_order_files_come_in() {
        // A graph being built lists each file after the last one.
        let files: Vec<(PathBuf, String)> = [("/ws/lib.py", "def f(x): pass\n"), ("/ws/b.py", IMPORTER), ("/ws/d.py", IMPORTER)]
            .into_iter()
            .map(|(path, text)| (PathBuf::from(path), text.to_owned()))
            .collect();
        let mut graph = build(&files);
        assert_eq!(importers(&graph), ["/ws/b.py", "/ws/d.py"]);
        // Files added later go where their paths sort, and a file replaced
        // stays listed once.
        for path in ["/ws/c.py", "/ws/a.py", "/ws/e.py", "/ws/c.py"] {
            graph.update_file(Path::new(path), IMPORTER);
        }
        assert_eq!(importers(&graph), ["/ws/a.py", "/ws/b.py", "/ws/c.py", "/ws/d.py", "/ws/e.py"]);
    }
}
