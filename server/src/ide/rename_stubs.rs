//! A stub beside its module (`lib.pyi` beside `lib.py`) declares the
//! module's names for type checkers, which read it instead of the module:
//! a rename must edit the stub's spelling of the name too, or it leaves
//! the stub declaring the old name and the new one undeclared. A stub's
//! declaration is found by its path (`Parser.evaluate`), not by its name
//! alone, which another class's namesake may have.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

use super::edits::FileEdits;
use super::occurrences::Target;
use crate::graph::explain::place;
use crate::graph::{FileId, Graph, Location, Resolved, Span};

/// Refuses when the module or stub beside the renamed definition's file
/// spells its name as a word where `edits` do not edit it.
pub(super) fn check(graph: &Graph, target: &Target, edits: &[FileEdits]) -> Result<(), String> {
    let name = target.name.as_str();
    for denoted in &target.denotes {
        let Resolved::Symbol(id) = denoted else { continue };
        let Some(entry) = graph.symbol(*id).and_then(|s| s.file).and_then(|f| graph.file(f)) else { continue };
        let beside = match entry.path.extension().and_then(|e| e.to_str()) {
            Some("py") => entry.path.with_extension("pyi"),
            Some("pyi") => entry.path.with_extension("py"),
            _ => continue,
        };
        let Some(other) = graph.file_id(&beside) else { continue };
        let Some(other_entry) = graph.file(other) else { continue };
        let edited = edits.iter().find(|e| e.file == other).map(|e| e.replacements.as_slice()).unwrap_or_default();
        let spelled = super::mentions::whole_word_ends(other_entry.text(), name).map(|end| Span::new((end - name.len()) as u32, end as u32));
        let mut unedited = spelled.filter(|span| !edited.iter().any(|r| r.span == *span)).peekable();
        // Named by the other file's declaration of the same path
        // (`Iter.string`) when that is among them, not a namesake's.
        let path = graph.symbol(*id).map(|s| module_path(s.qualified_name, &entry.module)).unwrap_or_default();
        let declared = declaration(other_entry.text(), &path).map(|(span, _)| span);
        let first = unedited.peek().copied();
        if let Some(span) = unedited.find(|span| Some(*span) == declared).or(first) {
            let kind = if beside.extension().is_some_and(|e| e == "pyi") { "stub" } else { "module" };
            return Err(format!(
                "{} spells `{name}` in the {kind} beside {}, where the rename does not edit it: type checkers read a module's names from its stub, and the two would disagree",
                place(graph, &Location { file: other, span }),
                crate::graph::explain::display_path(graph, &entry.path)
            ));
        }
    }
    Ok(())
}

/// The stub beside the module at `path` (`util.pyi` beside `util.py`)
/// when the workspace has one.
pub(super) fn stub_beside(graph: &Graph, path: &std::path::Path) -> Option<FileId> {
    Some(path.with_extension("pyi")).filter(|_| path.extension().is_some_and(|e| e == "py")).and_then(|p| graph.file_id(&p))
}

/// The parts of `qualified` below its module `module` (`["Parser",
/// "evaluate"]` for `lib.Parser.evaluate` in `lib`).
pub(super) fn module_path<'q>(qualified: &'q str, module: &str) -> Vec<&'q str> {
    qualified.strip_prefix(module).and_then(|rest| rest.strip_prefix('.')).unwrap_or(qualified).split('.').collect()
}

/// Where `text` (a module or its stub) declares the definition at `path`
/// (classes, then a function, a class or an assigned name): the name's
/// span, and whether it is a function.
pub(super) fn declaration(text: &str, path: &[&str]) -> Option<(Span, bool)> {
    let parsed = ruff_python_parser::parse_module(text).ok()?;
    let mut body: &[Stmt] = &parsed.syntax().body;
    let (last, classes) = path.split_last()?;
    for class in classes {
        body = flattened(body).into_iter().find_map(|stmt| match stmt {
            Stmt::ClassDef(def) if def.name.as_str() == *class => Some(&def.body[..]),
            _ => None,
        })?;
    }
    flattened(body).into_iter().find_map(|stmt| match stmt {
        Stmt::FunctionDef(def) if def.name.as_str() == *last => Some((Span::from(def.name.range()), true)),
        Stmt::ClassDef(def) if def.name.as_str() == *last => Some((Span::from(def.name.range()), false)),
        Stmt::AnnAssign(assign) => named(&assign.target, last),
        Stmt::Assign(assign) => assign.targets.iter().find_map(|target| named(target, last)),
        _ => None,
    })
}

/// The statements of `body`, with those of its `if` blocks (a stub's
/// `if sys.version_info >= …:` declarations) in their place.
fn flattened(body: &[Stmt]) -> Vec<&Stmt> {
    body.iter()
        .flat_map(|stmt| match stmt {
            Stmt::If(block) => {
                let clauses = block.elif_else_clauses.iter().flat_map(|clause| flattened(&clause.body));
                flattened(&block.body).into_iter().chain(clauses).collect()
            }
            other => vec![other],
        })
        .collect()
}

fn named(target: &Expr, name: &str) -> Option<(Span, bool)> {
    matches!(target, Expr::Name(n) if n.id.as_str() == name).then(|| (Span::from(target.range()), false))
}
