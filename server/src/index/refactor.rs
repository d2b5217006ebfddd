//! `pyloom refactor …`: refactorings of the workspace from the command
//! line, printed as a unified diff and written with `--apply`.

use std::path::{Path, PathBuf};

use crate::actions::edit::FileChange;
use crate::actions::rename::diff;
use crate::ide::module_move::{self, apply};
use crate::project::{canonical, load_graph, project_root, workspace_settings};

/// `pyloom refactor rename-module FROM TO`: the diff of every importer's
/// edits and the move itself; with `apply`, the edits written and the file
/// or folder moved.
pub fn rename_module(from: &Path, to: &Path, root: Option<&Path>, apply_it: bool) -> Result<String, String> {
    let from = canonical(from)?;
    if to.exists() {
        return Err(format!("{} already exists", to.display()));
    }
    let to = beside_existing(to)?;
    let root = match root {
        Some(root) => canonical(root)?,
        None => project_root(&from),
    };
    let settings = workspace_settings(&root);
    let (graph, _) = load_graph(&root, &settings, false)?;
    let moved = module_move::move_module(&graph, &from, &to).map_err(|e| e.to_string())?;
    let changes: Vec<FileChange> = moved
        .edits
        .iter()
        .filter_map(|edit| {
            let entry = graph.file(edit.file)?;
            Some(FileChange { path: entry.path.clone(), original: entry.text.to_string(), candidate: apply(&entry.text, &edit.replacements) })
        })
        .collect();
    let shown = |p: &Path| p.strip_prefix(&root).unwrap_or(p).display().to_string();
    let mut out = diff(&changes, &root);
    out.push_str(&format!("rename {} → {} (module `{}` → `{}`)\n", shown(&from), shown(&to), moved.old, moved.new));
    if apply_it {
        for change in &changes {
            // The graph read the files from disk just now: one changed since
            // would be overwritten with edits made for its old text.
            let now = std::fs::read_to_string(&change.path).map_err(|e| format!("{}: {e}", change.path.display()))?;
            if now != change.original {
                return Err(format!("{} changed while the move was computed; nothing was written", change.path.display()));
            }
        }
        for change in &changes {
            std::fs::write(&change.path, &change.candidate).map_err(|e| format!("{}: {e}", change.path.display()))?;
        }
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::rename(&from, &to).map_err(|e| format!("moving {} to {}: {e}", from.display(), to.display()))?;
    }
    Ok(out)
}

/// `path` made absolute through its deepest existing ancestor's canonical
/// path (the graph's paths are canonical; `path` itself does not exist yet).
fn beside_existing(path: &Path) -> Result<PathBuf, String> {
    let absolute = std::path::absolute(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        rest.push(existing.file_name().ok_or_else(|| format!("{} has no existing folder", path.display()))?);
        existing = existing.parent().ok_or_else(|| format!("{} has no existing folder", path.display()))?;
    }
    let mut out = canonical(existing)?;
    out.extend(rest.into_iter().rev());
    Ok(out)
}
