//! Imports the graph does not follow through folders without an
//! `__init__.py`: a dotted use through a namespace package
//! (`import ns.sub.util` then `ns.sub.util.f()`, PEP 420) and a sibling
//! imported by its bare name from a folder pytest (or a script) puts on
//! `sys.path` (`from helpers import make` in `tests/` without an
//! `__init__.py`). Refactorings that rename, move or change what such a
//! module holds refuse where one of them names it.

use crate::graph::{Graph, Location};

/// The first import that names `module` (dotted) in a way the graph does
/// not follow, when a package above it is a folder without an
/// `__init__.py`: what it is and where.
pub fn unfollowed_import(graph: &Graph, module: &str) -> Option<(String, Location)> {
    let parts: Vec<&str> = module.split('.').collect();
    let namespace = (1..parts.len()).any(|n| graph.resolve_module(&parts[..n].join(".")).is_none());
    if !namespace {
        return None;
    }
    // `helpers`, `sub.util`: the name as imported from a folder below the root.
    let suffixes: Vec<String> = (1..parts.len()).map(|n| parts[n..].join(".")).collect();
    let under = |name: &str, of: &str| name == of || name.strip_prefix(of).is_some_and(|rest| rest.starts_with('.'));
    for (file, entry) in graph.files() {
        for import in entry.summary.imports.iter().filter(|i| i.level == 0) {
            let Some(name) = import.module.as_deref() else { continue };
            let what = if import.name.is_none() && import.alias.is_none() && under(name, module) {
                format!("`import {name}`, used through the namespace package (a folder without `__init__.py`),")
            } else if suffixes.iter().any(|suffix| under(name, suffix))
                && graph.resolve_module(name).is_none_or(|f| graph.file(f).is_some_and(|e| under(&e.module, module)))
            {
                format!("the import of `{name}` from a folder on `sys.path` (no `__init__.py` above `{module}`),")
            } else {
                continue;
            };
            return Some((what, Location { file, span: import.range }));
        }
    }
    None
}
