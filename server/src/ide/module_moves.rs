//! Several modules or packages moved at once (files dragged together in
//! an editor's explorer, one `workspace/willRenameFiles`): each move is
//! made and checked in turn on the workspace as the ones before left it
//! (`app/a.py` importing `app/b.py`, both moved into `app/sub/`: the
//! second move brings `a`'s import back to `from . import b`), and the
//! result is one edit per file against the texts before any of them. One
//! move refused refuses them all.

use std::path::PathBuf;

use rustc_hash::FxHashMap;

use super::edits::{FileEdits, Replacement, apply};
use super::entry_points::ProjectFileEdit;
use super::module_move::{ModuleMove, MoveError, move_module, move_module_after};
use crate::actions::edit::minimal_edit;
use crate::graph::explain::display_path;
use crate::graph::{Graph, Span};

/// The moves `from → to`, in order, composed into one (see the module doc).
pub fn move_modules(graph: &Graph, moves: &[(PathBuf, PathBuf)]) -> Result<ModuleMove, MoveError> {
    if let [(from, to)] = moves {
        return move_module(graph, from, to);
    }
    for (i, (a, _)) in moves.iter().enumerate() {
        if let Some((b, _)) = moves.iter().enumerate().find(|(j, (b, _))| *j != i && a.starts_with(b)).map(|(_, m)| m) {
            return Err(MoveError::Unsafe(format!("{} is moved both alone and with its folder {}", display_path(graph, a), display_path(graph, b))));
        }
    }
    let mut current = graph.clone();
    // Where each file of `current` was before the moves, and its text now.
    let mut origin: FxHashMap<PathBuf, PathBuf> = FxHashMap::default();
    let mut texts: FxHashMap<PathBuf, String> = FxHashMap::default();
    let mut out =
        ModuleMove { old: String::new(), new: String::new(), edits: Vec::new(), project_files: Vec::new(), created: Vec::new(), warnings: Vec::new() };
    for (from, to) in moves {
        let gone: Vec<PathBuf> = origin.values().cloned().collect();
        let step = move_module_after(&current, from, to, &gone, None)?;
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
            let text = apply(&entry.text, &edit.replacements);
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
            .collect();
        for (path, text) in &edited {
            if !moving.iter().any(|(old, _)| old == path) {
                next.update_file_deferred(path, text);
            }
        }
        for (old, new) in moving {
            let text = edited.iter().find(|(path, _)| *path == old).map(|(_, t)| t.clone());
            let Some(text) = text.or_else(|| current.file_id(&old).and_then(|id| current.file(id)).map(|e| e.text.to_string())) else { continue };
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
            let before = graph.file(file)?.text.to_string();
            let edit = minimal_edit(&before, 0..before.len(), &text);
            (before != text).then(|| FileEdits { file, replacements: vec![Replacement { span: span(edit.range), text: edit.new_text }] })
        })
        .collect();
    edits.sort_by_key(|e| e.file);
    out.edits = edits;
    Ok(out)
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
