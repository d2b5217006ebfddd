//! Rename: the exact edits, or the refusal with its reason. The edits are
//! returned for the agent to review; the files are written only when it
//! asks (`apply`), and only when each is still what the edits were made
//! for.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::target::{Target, line_of};
use super::{Call, ToolError, answer};
use crate::graph::{FileId, Graph, content_hash};
use crate::ide::rename;

#[derive(Debug, Deserialize, JsonSchema)]
pub struct RenameArgs {
    #[serde(flatten)]
    pub target: Target,
    /// The new name (an identifier).
    pub new_name: String,
    /// Write the edited files (default false: only return the edits).
    #[serde(default)]
    pub apply: bool,
}

#[derive(Debug, Serialize)]
struct Edit {
    file: String,
    line: usize,
    column: usize,
    end_column: usize,
    old: String,
    new: String,
    /// The line as it would read after the rename.
    after: String,
}

#[derive(Debug, Serialize)]
struct Answer {
    old_name: String,
    new_name: String,
    files: usize,
    edits: Vec<Edit>,
    /// Whether the files were written.
    applied: bool,
}

pub fn rename(call: &Call, args: RenameArgs) -> Result<Value, ToolError> {
    let (ws, graph) = (&call.ws, &*call.graph);
    let place = args.target.resolve_place(ws, graph)?;
    let new_name = args.new_name.trim();
    let files = rename::rename(graph, place.file, place.offset, new_name).map_err(|e| ToolError::new(format!("rename refused: {e}")))?;
    let mut edits = Vec::new();
    // The name as written where it is renamed (when nothing is, the name
    // asked for is the name it has).
    let mut old_name = if files.is_empty() { new_name.to_owned() } else { String::new() };
    for file_edits in &files {
        let entry = graph.file(file_edits.file).ok_or_else(|| ToolError::new("a file left the workspace meanwhile; ask again"))?;
        let renamed = rename::apply(entry.text(), &file_edits.replacements);
        for rename::Replacement { span, text: new } in &file_edits.replacements {
            let (line, column, text) = line_of(entry.text(), span.start as usize);
            let old = entry.text().get(span.start as usize..span.end as usize).unwrap_or_default().to_owned();
            old_name.clone_from(&old);
            // Edits before this one on its line shift it in the new text.
            let after = crate::line_ends::line(&renamed, line - 1).unwrap_or(text).trim().to_owned();
            let end_column = column + old.chars().count();
            edits.push(Edit { file: ws.shown(&entry.path), line, column, end_column, old, new: new.clone(), after });
        }
    }
    if args.apply {
        write(call, graph, &files)?;
    }
    answer(Answer { old_name, new_name: new_name.to_owned(), files: files.len(), edits, applied: args.apply })
}

/// Writes each edited file, once every one has been found unchanged on
/// disk since the graph read it (an edit placed on other text would be
/// wrong): all or none. Each file is looked at again right before it is
/// written, and a change found then (an agent writing meanwhile) puts back
/// the files already written, where nothing else has touched them since.
fn write(call: &Call, graph: &Graph, files: &[rename::FileEdits]) -> Result<(), ToolError> {
    let planned: Vec<Planned> = files.iter().map(|edits| renamed(call, graph, edits.file, &edits.replacements)).collect::<Result<_, _>>()?;
    let mut written: Vec<&Planned> = Vec::new();
    for plan in &planned {
        let unchanged = std::fs::read_to_string(&plan.path).is_ok_and(|now| now == *plan.before);
        let result = if unchanged {
            std::fs::write(&plan.path, &plan.after).map_err(|e| format!("{}: cannot write: {e}", call.ws.shown(&plan.path)))
        } else {
            Err(format!("{} changed on disk while renaming", call.ws.shown(&plan.path)))
        };
        if let Err(error) = result {
            let mut kept = Vec::new();
            for done in written {
                let untouched = std::fs::read_to_string(&done.path).is_ok_and(|now| now == done.after);
                if !(untouched && std::fs::write(&done.path, &*done.before).is_ok()) {
                    kept.push(call.ws.shown(&done.path));
                }
            }
            return Err(ToolError::new(match kept.is_empty() {
                true => format!("{error}; nothing written (the files already renamed were put back), ask again"),
                false => format!("{error}; these files were renamed and changed again since, left as they are: {}", kept.join(", ")),
            }));
        }
        written.push(plan);
    }
    Ok(())
}

/// A file's text as read, and as the rename makes it.
struct Planned {
    path: std::path::PathBuf,
    before: std::sync::Arc<str>,
    after: String,
}

fn renamed(call: &Call, graph: &Graph, file: FileId, replacements: &[rename::Replacement]) -> Result<Planned, ToolError> {
    let entry = graph.file(file).ok_or_else(|| ToolError::new("a file left the workspace meanwhile; ask again"))?;
    // The graph's files are the workspace's; checked again before writing.
    let path = call.ws.path_inside(&entry.path.display().to_string()).map_err(ToolError::new)?;
    let shown = call.ws.shown(&path);
    let on_disk = std::fs::read_to_string(&path).map_err(|e| ToolError::new(format!("{shown}: cannot read: {e}")))?;
    if content_hash(&on_disk) != entry.hash {
        return Err(ToolError::new(format!("{shown} changed on disk while renaming; nothing written, ask again")));
    }
    Ok(Planned { path, before: entry.text().clone(), after: rename::apply(entry.text(), replacements) })
}
