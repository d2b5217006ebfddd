//! Writing a module move to disk, all or nothing: the importers' edits,
//! the new `__init__.py` files and the renames of the module (and its
//! stub). A step that fails puts back what the steps before it did, so a
//! failed `--apply` leaves the tree as it was.

use std::path::{Path, PathBuf};

use crate::actions::edit::FileChange;

/// What the steps done so far changed, to be put back in reverse.
#[derive(Default)]
struct Done {
    folders: Vec<PathBuf>,
    created: Vec<PathBuf>,
    /// Each written file with its text before.
    written: Vec<(PathBuf, String)>,
    renamed: Vec<(PathBuf, PathBuf)>,
}

impl Done {
    /// Puts back every step, newest first; what could not be put back.
    fn undo(self) -> Vec<String> {
        let mut left = Vec::new();
        for (from, to) in self.renamed.iter().rev() {
            std::fs::rename(to, from).unwrap_or_else(|e| left.push(format!("{} (still at {}: {e})", from.display(), to.display())));
        }
        for (path, original) in self.written.iter().rev() {
            std::fs::write(path, original).unwrap_or_else(|e| left.push(format!("{} ({e})", path.display())));
        }
        for path in self.created.iter().rev() {
            std::fs::remove_file(path).unwrap_or_else(|e| left.push(format!("{} ({e})", path.display())));
        }
        for folder in self.folders.iter().rev() {
            std::fs::remove_dir(folder).unwrap_or_else(|e| left.push(format!("{} ({e})", folder.display())));
        }
        left
    }
}

/// Creates `folder` and its missing parents, `done` noting each one made.
fn create_folders(folder: &Path, done: &mut Done) -> Result<(), String> {
    let missing: Vec<&Path> = folder.ancestors().take_while(|f| !f.exists()).collect();
    for folder in missing.into_iter().rev() {
        std::fs::create_dir(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        done.folders.push(folder.to_owned());
    }
    Ok(())
}

fn steps(changes: &[FileChange], folder: Option<&Path>, created: &[PathBuf], renames: &[(&Path, &Path)], done: &mut Done) -> Result<(), String> {
    if let Some(folder) = folder {
        create_folders(folder, done)?;
    }
    for init in created {
        std::fs::write(init, "").map_err(|e| format!("{}: {e}", init.display()))?;
        done.created.push(init.clone());
    }
    for change in changes {
        std::fs::write(&change.path, &change.candidate).map_err(|e| format!("{}: {e}", change.path.display()))?;
        done.written.push((change.path.clone(), change.original.clone()));
    }
    for (from, to) in renames {
        std::fs::rename(from, to).map_err(|e| format!("moving {} to {}: {e}", from.display(), to.display()))?;
        done.renamed.push((from.to_path_buf(), to.to_path_buf()));
    }
    Ok(())
}

/// Creates `folder` (with its parents) and the empty files `created`,
/// writes `changes` and makes `renames`, in that order; on a failure,
/// undoes what was done and says so.
pub(super) fn write_move(changes: &[FileChange], folder: Option<&Path>, created: &[PathBuf], renames: &[(&Path, &Path)]) -> Result<(), String> {
    let mut done = Done::default();
    let Err(error) = steps(changes, folder, created, renames, &mut done) else { return Ok(()) };
    let left = done.undo();
    if left.is_empty() {
        return Err(format!("{error}; what was written before it was put back, nothing is changed"));
    }
    Err(format!("{error}; putting back what was written before it failed for: {}", left.join(", ")))
}

#[cfg(test)]
#[path = "refactor_module_write_tests.rs"]
mod tests;
