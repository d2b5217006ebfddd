//! A module also run as a file (`python tool.py`, see run_as_file.rs)
//! that imports a module beside it by its top-level name (`import
//! helper`): Python finds that module only because it puts the file's own
//! folder first on `sys.path`. Moved to another folder without it, the
//! script fails to import it, though every import of the module still
//! resolves for the graph; `refactor move` refuses the same situation.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use crate::graph::explain::{display_path, place};
use crate::graph::{Graph, Location};

/// Why moving the files `moved` (old path → new path) breaks one of them
/// run as a file, or `None`.
pub(super) fn check(graph: &Graph, moved: &FxHashMap<PathBuf, PathBuf>) -> Option<String> {
    let mut files: Vec<(&PathBuf, &PathBuf)> = moved.iter().collect();
    files.sort();
    for (old, new) in files {
        let (Some(folder), Some(new_folder)) = (old.parent(), new.parent()) else { continue };
        if folder == new_folder {
            continue;
        }
        let id = graph.file_id(old)?;
        let entry = graph.file(id)?;
        let at = |span| place(graph, &Location { file: id, span });
        let run = match super::run_as_file::main_block(entry.text()) {
            Some(main) => format!("`if __name__ == \"__main__\":` at {}", at(main)),
            None => match super::symbol_move_target::unimported_script(graph, id) {
                Some(call) => format!("a script nothing imports, running {}", at(call.span)),
                None => continue,
            },
        };
        let beside = |name: &str| {
            [folder.join(format!("{name}.py")), folder.join(name).join("__init__.py")]
                .into_iter()
                .find(|path| graph.file_id(path).is_some() && !moved.contains_key(path))
        };
        for import in entry.summary.imports.iter().filter(|i| i.level == 0) {
            let top = import.module.as_deref().or(import.name.as_deref()).and_then(|m| m.split('.').next()).unwrap_or_default();
            let Some(sibling) = beside(top) else { continue };
            let shown = |path: &Path| display_path(graph, path);
            return Some(format!(
                "`{}` is also run as a file ({run}) and imports `{top}` ({}) from its own folder, which Python puts first on `sys.path` only when the file runs from there: run as `python {}` it would no longer find {}",
                entry.module,
                at(import.name_range),
                shown(new),
                shown(&sibling),
            ));
        }
    }
    None
}
