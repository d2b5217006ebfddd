//! A name bound at the top of a package's `__init__.py` that is also the
//! name of one of the package's submodules: once the submodule is imported
//! anywhere (`from pkg.core import X`), the import system sets the
//! package's attribute `core` to the module, over the function or class
//! the `__init__` bound. A move into the `__init__` and a rename there
//! must not make that clash (rename-module and extract refuse it too).

use crate::graph::explain::display_path;
use crate::graph::{FileId, Graph, Resolved};

use super::occurrences::Target;

/// Why `name` cannot be bound at the top of `file` (a package's
/// `__init__.py`): the package's submodule of that name, if it has one.
pub(super) fn shadowed_by_submodule(graph: &Graph, file: FileId, name: &str) -> Option<String> {
    let entry = graph.file(file).filter(|e| e.is_package)?;
    let submodule = format!("{}.{name}", entry.module);
    let folder = entry.path.parent()?;
    let on_disk = [folder.join(format!("{name}.py")), folder.join(name).join("__init__.py")].into_iter().find(|p| p.exists());
    let path = graph.resolve_module(&submodule).and_then(|f| graph.file(f)).map(|e| e.path.clone()).or(on_disk)?;
    Some(format!(
        "`{name}` would be bound in {}, and the package has the submodule `{submodule}` ({}): once that is imported anywhere, `{}.{name}` is the module, not `{name}`",
        display_path(graph, &entry.path),
        display_path(graph, &path),
        entry.module
    ))
}

/// [`shadowed_by_submodule`] for a rename of `target` to `new_name`, when
/// it is a name of a package `__init__`'s top level.
pub(super) fn check_rename(graph: &Graph, target: &Target, new_name: &str) -> Result<(), String> {
    for denoted in &target.denotes {
        let Resolved::Symbol(id) = denoted else { continue };
        let Some(file) = graph.location(*id).map(|l| l.file) else { continue };
        if graph.container(*id).is_some()
            && graph.container(*id) == graph.module_symbol(file)
            && let Some(why) = shadowed_by_submodule(graph, file, new_name)
        {
            return Err(why);
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "package_submodules_tests.rs"]
mod tests;
