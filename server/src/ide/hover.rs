//! Hover for the names the graph's explanation has no symbol for: the name
//! in a `global`/`nonlocal` statement (the variable it declares, explained
//! where it is bound) and the names the interpreter binds in every module
//! (`__file__`, `__name__`), which no file defines. A notebook's cells run
//! in IPython's `__main__`, which has no file: `__file__` there is unbound.

use crate::graph::{FileId, Graph, Resolved, explain};
use crate::notebook::Notebook;

/// The names the interpreter binds in every module (the others of
/// `dir()` in a fresh module are the builtins), with their types and
/// what they hold.
pub const MODULE_DUNDERS: [(&str, &str, &str); 8] = [
    ("__name__", "str", "The module's name: `\"__main__\"` when it runs as a script or as a notebook's cells."),
    ("__doc__", "str | None", "The module's docstring, `None` without one."),
    ("__file__", "str", "The path of the file the module was loaded from, set by the import system."),
    ("__spec__", "ModuleSpec | None", "How the import system found and loaded the module (`None` for `__main__` run as a script)."),
    ("__loader__", "Loader | None", "The loader that loaded the module."),
    ("__package__", "str | None", "The package the module's relative imports start from."),
    ("__path__", "list[str]", "Where the package's submodules are looked for (packages only)."),
    ("__cached__", "str | None", "The path of the module's compiled bytecode."),
];

/// The hover text for the name at `offset`, or `None` when nothing is there.
pub fn hover(graph: &Graph, file: FileId, offset: u32) -> Option<String> {
    let resolved = graph.definition(file, offset);
    if let Some(text) = module_dunder(graph, file, offset, resolved.as_ref()) {
        return Some(text);
    }
    match resolved {
        Some(_) => explain::hover(graph, file, offset),
        None => explain::hover(graph, file, super::scope_declarations::declared_binding(graph, file, offset)?),
    }
}

/// Whether the hover of the name at `offset` reads the graph's links: a
/// workspace symbol's lists its callers and subclasses, a library name's
/// may; a local's and nothing's (a keyword, a module dunder) do not.
pub fn reads_links(graph: &Graph, file: FileId, offset: u32) -> bool {
    matches!(definition(graph, file, offset), Some(Resolved::Symbol(_) | Resolved::External(_)))
}

/// What the name at `offset` refers to, the name in a `global`/`nonlocal`
/// statement included (the binding it declares).
pub fn definition(graph: &Graph, file: FileId, offset: u32) -> Option<Resolved> {
    graph.definition(file, offset).or_else(|| graph.definition(file, super::scope_declarations::declared_binding(graph, file, offset)?))
}

/// A module dunder's text, when the name at `offset` is one the module
/// does not bind itself (the library's `builtins.__name__` is the
/// `builtins` module's own, not this module's).
fn module_dunder(graph: &Graph, file: FileId, offset: u32, resolved: Option<&Resolved>) -> Option<String> {
    let entry = graph.file(file)?;
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let start = entry.text().get(..offset as usize)?.rfind(|c| !word(c)).map_or(0, |i| i + 1);
    let end = entry.text().get(offset as usize..)?.find(|c| !word(c)).map_or(entry.text().len(), |i| offset as usize + i);
    let name = entry.text().get(start..end)?;
    // A name the code reads, not one spelled in a string or a comment.
    let read = entry.summary.references.iter().flat_map(|r| r.segments().map(|(_, span)| span)).any(|span| span.range() == (start..end));
    if !read {
        return None;
    }
    let (_, kind, what) = MODULE_DUNDERS.iter().find(|(dunder, ..)| *dunder == name)?;
    let unbound = match resolved {
        None => true,
        Some(Resolved::External(path)) => path.strip_prefix("builtins.") == Some(name),
        Some(_) => false,
    };
    if !unbound {
        return None;
    }
    if name == "__file__" && Notebook::is_notebook(&entry.path) {
        return Some(
            "```python\n__file__\n```\n\nNot bound in a notebook: IPython runs its cells in `__main__`, which has no file (reading `__file__` raises `NameError`).\n"
                .to_owned(),
        );
    }
    Some(format!("```python\n{name}: {kind}\n```\n\n{what}\n"))
}

#[cfg(test)]
#[path = "hover_tests.rs"]
mod tests;
