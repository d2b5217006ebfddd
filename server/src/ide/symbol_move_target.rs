//! Where a symbol move writes: the target's module name (a `.py` file
//! under a source root, each part an identifier), its folder (which must
//! exist), and whether the target's own import-time code would read the
//! name before the moved code, appended at its end, defines it, or is a
//! script nothing imports.

use std::path::{Path, PathBuf};

use ruff_python_stdlib::{identifiers::is_identifier, keyword::is_keyword};

use super::symbol_move::{SymbolMoveError, in_string};
use crate::graph::explain::place;
use crate::graph::summary::ScopeKind;
use crate::graph::{FileId, Graph, Location, Resolved, absolute_module, module_name};

/// Why the module `to` cannot be written on disk: its folder is missing.
/// A new folder is a namespace package or wants an `__init__.py`, the
/// user's decision, not the move's; the edges ask before any edit.
pub fn missing_folder(to: &Path) -> Option<String> {
    let folder = to.parent().filter(|folder| !folder.is_dir())?;
    Some(format!("the folder {} does not exist: create the package first; nothing was written", folder.display()))
}

/// `path` without its `.` and `..` parts.
pub(super) fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The dotted name of the module at `to`, a `.py` file under a root.
pub(super) fn target_module(graph: &Graph, to: &Path) -> Result<String, SymbolMoveError> {
    let shown = || to.display().to_string();
    if graph.is_library_path(to) {
        return Err(SymbolMoveError::OutsideRoots(shown()));
    }
    if to.extension().is_none_or(|e| e != "py") || to.file_name().is_some_and(|n| n == "__init__.py") && graph.file_id(to).is_none() {
        return Err(SymbolMoveError::NotImportable(shown()));
    }
    let (module, _) = module_name(to, graph.roots()).ok_or_else(|| SymbolMoveError::OutsideRoots(shown()))?;
    let importable = !module.is_empty() && module.split('.').all(|part| is_identifier(part) && !is_keyword(part));
    if !importable {
        return Err(SymbolMoveError::NotImportable(module));
    }
    Ok(module)
}

/// The moved code lands at the end of the target: code the target runs
/// when it is imported (module level, class bodies, decorators, defaults)
/// must not read the name before, directly or by calling the target's own
/// functions then.
pub(super) fn read_before_defined(graph: &Graph, target: FileId, name: &str) -> Result<(), SymbolMoveError> {
    let Some(entry) = graph.file(target) else { return Ok(()) };
    let scopes = &entry.summary.scopes;
    let deferred = |mut scope: Option<u32>| {
        while let Some(s) = scope.and_then(|s| scopes.get(s as usize)) {
            if s.kind == ScopeKind::Function && s.definition.is_some() {
                return true;
            }
            scope = s.parent;
        }
        false
    };
    let reads = |r: &&crate::graph::summary::Reference| r.chain.split('.').next() == Some(name) && !in_string(entry.text(), r);
    let at_import = entry.summary.references.iter().filter(|r| !deferred(Some(r.scope)));
    let mut resolver = graph.reference_resolver(target);
    let own_call = |r: &crate::graph::summary::Reference, resolver: &mut crate::graph::ReferenceResolver| {
        r.call && matches!(resolver.segments(r).first(), Some(Some(Resolved::Symbol(id))) if graph.location(*id).is_some_and(|l| l.file == target))
    };
    let read_anywhere = entry.summary.references.iter().any(|r| reads(&r));
    for reference in at_import {
        let direct = reads(&reference);
        if direct || read_anywhere && own_call(reference, &mut resolver) {
            let place = place(graph, &Location { file: target, span: reference.span() });
            return Err(SymbolMoveError::ReadAtImport { name: name.to_owned(), what: reference.chain.to_string(), place });
        }
    }
    Ok(())
}

/// A call statement at the top level of `target` (`print(...)`, `main()`),
/// when no workspace file imports it: a script, whose importers the move
/// would create would run it.
pub(super) fn unimported_script(graph: &Graph, target: FileId) -> Option<Location> {
    let entry = graph.file(target)?;
    let parsed = ruff_python_parser::parse_module(entry.text()).ok()?;
    let call = parsed.syntax().body.iter().find_map(|stmt| match stmt {
        ruff_python_ast::Stmt::Expr(e) if matches!(&*e.value, ruff_python_ast::Expr::Call(_) | ruff_python_ast::Expr::Await(_)) => Some(stmt),
        _ => None,
    })?;
    let module = entry.module.as_str();
    let imported = graph.files().any(|(id, e)| {
        id != target
            && e.summary.imports.iter().any(|i| {
                let Some(from) = absolute_module(&e.module, e.is_package, i.level, i.module.as_deref()) else { return false };
                from == module || i.name.as_deref().is_some_and(|n| format!("{from}.{n}") == module)
            })
    });
    (!imported).then(|| Location { file: target, span: ruff_text_size::Ranged::range(call).into() })
}
