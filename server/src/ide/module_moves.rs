//! Several modules or packages moved at once (files dragged together in
//! an editor's explorer, one `workspace/willRenameFiles`): each move is
//! made and checked in turn on the workspace as the ones before left it
//! (`app/a.py` importing `app/b.py`, both moved into `app/sub/`: the
//! second move brings `a`'s import back to `from . import b`), and the
//! result is one edit per file against the texts before any of them. One
//! move refused refuses them all. A module and its stub (`util.py` and
//! `util.pyi`, two files to the editor) move as one, as `rename-module`
//! moves them.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use super::edits::{FileEdits, Replacement, apply};
use super::entry_points::ProjectFileEdit;
use super::module_move::{ModuleMove, MoveError, move_module_after};
use crate::actions::edit::minimal_edit;
use crate::graph::explain::display_path;
use crate::graph::{Graph, Span};

/// The moves `from → to`, in order, composed into one (see the module doc).
pub fn move_modules(graph: &Graph, moves: &[(PathBuf, PathBuf)]) -> Result<ModuleMove, MoveError> {
    let moves = with_stubs(graph, moves)?;
    if let [(from, to, stub)] = moves.as_slice() {
        return move_module_after(graph, from, to, &[], stub.as_ref().map(|(stub, stub_to)| (stub.as_path(), stub_to.as_path())));
    }
    for (i, (a, _, _)) in moves.iter().enumerate() {
        if let Some((b, _, _)) = moves.iter().enumerate().find(|(j, (b, _, _))| *j != i && a.starts_with(b)).map(|(_, m)| m) {
            return Err(MoveError::Unsafe(format!("{} is moved both alone and with its folder {}", display_path(graph, a), display_path(graph, b))));
        }
    }
    let mut current = graph.clone();
    // Where each file of `current` was before the moves, and its text now.
    let mut origin: FxHashMap<PathBuf, PathBuf> = FxHashMap::default();
    let mut texts: FxHashMap<PathBuf, String> = FxHashMap::default();
    let mut out =
        ModuleMove { old: String::new(), new: String::new(), edits: Vec::new(), project_files: Vec::new(), created: Vec::new(), warnings: Vec::new() };
    for (from, to, stub) in &moves {
        let gone: Vec<PathBuf> = origin.values().cloned().collect();
        let step = move_module_after(&current, from, to, &gone, stub.as_ref().map(|(stub, stub_to)| (stub.as_path(), stub_to.as_path())))?;
        let mut edited: Vec<(PathBuf, String)> = Vec::new();
        for edit in &step.edits {
            let Some(entry) = current.file(edit.file) else { continue };
            let was = origin.get(&entry.path).cloned().unwrap_or_else(|| entry.path.clone());
            if graph.file_id(&was).is_none() {
                // A file an earlier move created.
                return Err(MoveError::Unsafe(format!(
                    "{} would be created and edited by the same moves; move the files one by one",
                    display_path(graph, &was)
                )));
            }
            let text = apply(entry.text(), &edit.replacements);
            texts.insert(was, text.clone());
            edited.push((entry.path.clone(), text));
        }
        let mut next = current.clone();
        for init in &step.created {
            next.update_file_deferred(init, "");
        }
        let moving: Vec<(PathBuf, PathBuf)> = current
            .files()
            .filter_map(|(_, entry)| {
                let rest = entry.path.strip_prefix(from).ok()?;
                Some((entry.path.clone(), if rest.as_os_str().is_empty() { to.clone() } else { to.join(rest) }))
            })
            .chain(stub.clone())
            .collect();
        for (path, text) in &edited {
            if !moving.iter().any(|(old, _)| old == path) {
                next.update_file_deferred(path, text);
            }
        }
        for (old, new) in moving {
            let text = edited.iter().find(|(path, _)| *path == old).map(|(_, t)| t.clone());
            let Some(text) = text.or_else(|| current.file_id(&old).and_then(|id| current.file(id)).map(|e| e.text().to_string())) else { continue };
            next.remove_file(&old);
            next.update_file_deferred(&new, &text);
            let was = origin.remove(&old).unwrap_or(old);
            origin.insert(new, was);
        }
        next.flush_relinks();
        current = next;
        for file in step.project_files {
            merge(graph, &mut out.project_files, file)?;
        }
        out.warnings.extend(step.warnings);
        for init in step.created {
            if !out.created.contains(&init) {
                out.created.push(init);
            }
        }
        let join = |all: &mut String, one: &str| {
            if !all.is_empty() {
                all.push_str(", ");
            }
            all.push_str(one);
        };
        join(&mut out.old, &step.old);
        join(&mut out.new, &step.new);
    }
    let mut edits: Vec<FileEdits> = texts
        .into_iter()
        .filter_map(|(path, text)| {
            let file = graph.file_id(&path)?;
            let before = graph.file(file)?.text().to_string();
            let edit = minimal_edit(&before, 0..before.len(), &text);
            (before != text).then(|| FileEdits { file, replacements: vec![Replacement { span: span(edit.range), text: edit.new_text }] })
        })
        .collect();
    edits.sort_by_key(|e| e.file);
    out.edits = edits;
    Ok(out)
}

/// A move `from → to`, and its stub's beside it.
type Joined = (PathBuf, PathBuf, Option<(PathBuf, PathBuf)>);

/// The moves with each module's stub (`util.pyi` beside `util.py`,
/// which the editor renames as a file of its own) joined to the module's
/// move, as `rename-module` moves both; refused where only one of them
/// is renamed, or the two to different names: the stub would type a
/// module that is not there, and the module would be typed by nothing.
fn with_stubs(graph: &Graph, moves: &[(PathBuf, PathBuf)]) -> Result<Vec<Joined>, MoveError> {
    let is = |path: &Path, suffix: &str| path.extension().is_some_and(|e| e == suffix);
    let other_half = |path: &Path, suffix: &str| Some(path.with_extension(suffix)).filter(|p| graph.file_id(p).is_some());
    let target = |from: &Path| moves.iter().find(|(f, _)| f == from).map(|(_, to)| to);
    let mut joined = Vec::new();
    for (from, to) in moves {
        let (module, stub) = if is(from, "py") {
            match other_half(from, "pyi") {
                Some(stub) => (from.clone(), stub),
                None => {
                    joined.push((from.clone(), to.clone(), None));
                    continue;
                }
            }
        } else if is(from, "pyi")
            && let Some(module) = other_half(from, "py")
        {
            (module, from.clone())
        } else {
            joined.push((from.clone(), to.clone(), None));
            continue;
        };
        let (Some(module_to), Some(stub_to)) = (target(&module), target(&stub)) else {
            let (moved, left) = if is(from, "py") { (&module, &stub) } else { (&stub, &module) };
            return Err(MoveError::Unsafe(format!(
                "{} is renamed without {}, its {}: the stub would type a module that is not there; rename both together, to the same new name (`pyloom refactor rename-module` renames both)",
                display_path(graph, moved),
                display_path(graph, left),
                if is(from, "py") { "stub" } else { "module" },
            )));
        };
        if *stub_to != module_to.with_extension("pyi") {
            return Err(MoveError::Unsafe(format!(
                "{} and its stub {} are renamed to different names ({} and {}): the stub would type another module; rename both to the same new name",
                display_path(graph, &module),
                display_path(graph, &stub),
                display_path(graph, module_to),
                display_path(graph, stub_to)
            )));
        }
        if is(from, "py") {
            joined.push((module, module_to.clone(), Some((stub, stub_to.clone()))));
        }
    }
    Ok(joined)
}

fn span(range: std::ops::Range<usize>) -> Span {
    Span::new(range.start as u32, range.end as u32)
}

/// `file`'s edits joined to those of the same project file (each move
/// reads it from disk, as it was before the moves).
fn merge(graph: &Graph, files: &mut Vec<ProjectFileEdit>, file: ProjectFileEdit) -> Result<(), MoveError> {
    let Some(same) = files.iter_mut().find(|f| f.path == file.path) else {
        files.push(file);
        return Ok(());
    };
    same.replacements.extend(file.replacements);
    same.replacements.sort_by_key(|r| r.span);
    if same.replacements.windows(2).any(|w| w[1].span.start < w[0].span.end) {
        return Err(MoveError::ProjectFile(format!("{} names two of the moved modules in one value; move them one by one", display_path(graph, &same.path))));
    }
    Ok(())
}

#[cfg(test)]
#[path = "module_moves_tests.rs"]
mod tests;
