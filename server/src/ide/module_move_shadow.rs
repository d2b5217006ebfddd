//! A package's own binding of a submodule's name (`def markdown` in
//! `pkg/__init__.py` beside `pkg/markdown.py`), for the module move's
//! edits ([`super::module_move_edits`]). Importing the submodule sets the
//! package's attribute once, when it is first loaded; a binding of the
//! name that `__init__` runs after its own import of the submodule
//! replaces that attribute for good (a later `import pkg.markdown` finds
//! the module in `sys.modules` and sets nothing), so `from pkg import
//! markdown` elsewhere reads the binding, not the module.
//!
//! Anything less certain (the binding first, the submodule imported under
//! a condition or not by `__init__` at all, a `global` rebinding it in a
//! function) is left to the importer's edit and the move's last check:
//! which of the two the name holds then depends on the order things run in.

use crate::graph::summary::{BindingKind, Import};
use crate::graph::{Graph, absolute_module};

/// Whether `package`'s `__init__` binds `leaf` itself, unconditionally,
/// after it imported the submodule `package.leaf`: the name is that
/// binding, whatever imports the submodule later.
pub(super) fn package_binding_wins(graph: &Graph, package: &str, leaf: &str) -> bool {
    let Some(entry) = graph.resolve_module(package).and_then(|file| graph.file(file)).filter(|e| e.is_package) else { return false };
    let summary = &entry.summary;
    let submodule = format!("{package}.{leaf}");
    let loads = |import: &Import| {
        let Some(module) = absolute_module(&entry.module, true, import.level, import.module.as_deref()) else { return false };
        let within = module == submodule || module.starts_with(&format!("{submodule}."));
        within || module == package && import.name.as_deref() == Some(leaf)
    };
    let straight = |import: &&Import| import.scope == 0 && !import.conditional && !import.type_checking;
    let Some(loaded) = summary.imports.iter().filter(straight).filter(|i| loads(i)).map(|i| i.range.start).min() else { return false };
    let text: &str = entry.text();
    // `global markdown` in a function may bind it again at any time.
    let global = text.lines().any(|line| line.trim_start().strip_prefix("global ").is_some_and(|names| names.split(',').any(|n| n.trim() == leaf)));
    if global {
        return false;
    }
    let Some(last) = summary.bindings.iter().filter(|b| b.scope == 0 && b.name == leaf).max_by_key(|b| b.range.start) else { return false };
    // A `def`, `class` or assignment written at column zero runs whenever
    // the module does (an import binding it is the submodule's or another's).
    let line = &text[text[..last.range.start as usize].rfind('\n').map_or(0, |n| n + 1)..];
    let unconditional = ["def ", "async def ", "class "].iter().any(|k| line.starts_with(k))
        || line.strip_prefix(leaf).is_some_and(|rest| rest.trim_start().starts_with(['=', ':']) && !rest.trim_start().starts_with("=="));
    matches!(last.kind, BindingKind::Definition(_)) && unconditional && last.range.start > loaded
}
