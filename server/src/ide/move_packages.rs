//! A move must not make a distributed package depend on a folder it did
//! not depend on: a wheel ships a regular top-level package (a folder with
//! `__init__.py`) alone, so code of `pkg` moved into `tests/` and imported
//! from there works in the checkout and fails once installed (tester 27
//! case 1). What the package already imports from is taken to ship with it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::graph::{FileEntry, Graph, absolute_module};

/// The first dependency a move adds between top-level packages: a file it
/// edits (by its path after the move) that belongs to a regular top-level
/// package `P` imports, after the move, a workspace module under another
/// top-level name `T` that no module of `P` imported before (modules named
/// after the move by `renamed`). Said as the reason.
pub(super) fn new_package_dependency<'p>(
    graph: &Graph,
    after: &Graph,
    files: impl IntoIterator<Item = &'p Path>,
    renamed: &dyn Fn(String) -> String,
) -> Option<String> {
    // What each package imported before, found once per package.
    let mut before: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in files {
        let Some(entry) = after.file_id(path).and_then(|id| after.file(id)) else { continue };
        let package = top(&entry.module);
        if !regular_package(after, package) {
            continue;
        }
        let imported_before = before.entry(package.to_owned()).or_insert_with(|| tops_imported_by(graph, package, renamed));
        for imported in imported_tops(after, entry) {
            if imported == package || imported_before.contains(&imported) {
                continue;
            }
            return Some(format!(
                "code of `{package}` ({}) would import `{imported}`; `{package}` imports nothing from `{imported}` today, \
                 so a package built from `{package}` may not ship it",
                entry.module
            ));
        }
    }
    None
}

fn top(module: &str) -> &str {
    module.split('.').next().unwrap_or(module)
}

/// Whether `name` is a top-level folder with `__init__.py` in the workspace.
fn regular_package(graph: &Graph, name: &str) -> bool {
    graph
        .resolve_module(name)
        .and_then(|id| graph.file(id))
        .is_some_and(|e| e.is_package && !graph.is_library_path(&e.path) && e.path.file_name().is_some_and(|n| n == "__init__.py"))
}

/// The top-level folders the modules of `package` (by their names after
/// the move) imported from before the move.
fn tops_imported_by(graph: &Graph, package: &str, renamed: &dyn Fn(String) -> String) -> BTreeSet<String> {
    graph
        .files()
        .filter(|(_, e)| !graph.is_library_path(&e.path) && top(&renamed(e.module.clone())) == package)
        .flat_map(|(_, e)| imported_tops(graph, e))
        .collect()
}

/// The top-level folders of the workspace modules `entry` imports, at any
/// scope: an import inside a function fails as well once installed.
fn imported_tops(graph: &Graph, entry: &FileEntry) -> BTreeSet<String> {
    let workspace = |module: &str| graph.resolve_module(module).and_then(|id| graph.file(id)).filter(|e| !graph.is_library_path(&e.path));
    let mut out = BTreeSet::new();
    for import in &entry.summary.imports {
        let Some(module) = absolute_module(&entry.module, entry.is_package, import.level, import.module.as_deref()) else { continue };
        // `from benchmarks import helpers`: a namespace folder resolves
        // only through its submodule.
        let submodule = import.name.as_deref().filter(|_| !import.star).map(|name| format!("{module}.{name}"));
        let found = submodule.as_deref().and_then(workspace).or_else(|| workspace(&module));
        // A top-level module (`pricing_rules.py`) is not counted: it is no
        // folder a build would leave out as a whole, and the user named it.
        out.extend(found.filter(|e| e.module.contains('.') || e.is_package).map(|e| top(&e.module).to_owned()));
    }
    out
}
