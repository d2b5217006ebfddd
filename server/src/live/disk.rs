//! Noticing what changed on disk without a file watcher: before an answer,
//! the files and folders of the index are looked at again (modification
//! time and size). An agent that writes a file and asks at once gets an
//! answer that reflects the write: there is no event to wait for, and no
//! window in which one is still on its way.
//!
//! File systems stamp modification times with a coarse clock, so a file
//! written twice within one tick may keep its stamp; like git's "racily
//! clean" entries, a file or folder whose stamp is not older than the last
//! look is looked into again (read and hashed by the graph update, which
//! changes nothing when the text is the same).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rustc_hash::FxHashMap;

use crate::index::{self, DiskChange};
use crate::settings::Settings;

/// How far back from the last look a stamp is not trusted to tell a
/// change (coarse file system clocks tick every few milliseconds).
const RACY: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    modified: Option<SystemTime>,
    len: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp { modified: meta.modified().ok(), len: meta.len() })
    }

    /// Whether a change within the same clock tick could hide behind it.
    fn racy(&self, looked_at: SystemTime) -> bool {
        self.modified.is_none_or(|m| m + RACY >= looked_at)
    }
}

/// The indexed files and the folders they are in, as last seen on disk.
#[derive(Debug, Default)]
pub struct DiskState {
    files: FxHashMap<PathBuf, Stamp>,
    folders: FxHashMap<PathBuf, Stamp>,
    looked_at: Option<SystemTime>,
}

impl DiskState {
    /// Looks at what the index of `roots` will read. Taken before the
    /// index reads the files, so that a write during the index is seen by
    /// the next [`DiskState::changes`].
    pub fn scan(roots: &[PathBuf], settings: &Settings) -> Result<DiskState, String> {
        let looked_at = SystemTime::now();
        let (files, folders) = index::discover_with_folders(roots, settings)?;
        let stamp = |paths: Vec<PathBuf>| paths.into_iter().filter_map(|p| Some((Stamp::of(&p)?, p))).map(|(s, p)| (p, s)).collect();
        Ok(DiskState { files: stamp(files), folders: stamp(folders), looked_at: Some(looked_at) })
    }

    /// What changed since the last look: files written, created (in a
    /// folder that [`index::admits`] them) and deleted, folders deleted.
    pub fn changes(&mut self, roots: &[PathBuf], settings: &Settings) -> Vec<DiskChange> {
        let previous = self.looked_at;
        let now = SystemTime::now();
        self.looked_at = Some(now);
        let suspect = |old: &Stamp, new: &Stamp| old != new || previous.is_none_or(|at| new.racy(at));
        let mut changes = Vec::new();
        let mut deleted_folders = Vec::new();
        let mut changed_folders = Vec::new();
        for (folder, stamp) in &mut self.folders {
            match Stamp::of(folder) {
                None => deleted_folders.push(folder.clone()),
                Some(new) => {
                    if suspect(stamp, &new) {
                        changed_folders.push(folder.clone());
                    }
                    *stamp = new;
                }
            }
        }
        for folder in &deleted_folders {
            self.folders.retain(|f, _| !f.starts_with(folder));
            self.files.retain(|f, _| !f.starts_with(folder));
            changes.push(DiskChange::Deleted(folder.clone()));
        }
        let mut deleted_files = Vec::new();
        for (file, stamp) in &mut self.files {
            match Stamp::of(file) {
                None => deleted_files.push(file.clone()),
                Some(new) => {
                    if suspect(stamp, &new) {
                        changes.push(DiskChange::Written(file.clone()));
                    }
                    *stamp = new;
                }
            }
        }
        for file in deleted_files {
            self.files.remove(&file);
            changes.push(DiskChange::Deleted(file));
        }
        for folder in changed_folders {
            self.look_into(&folder, roots, settings, &mut changes);
        }
        changes
    }

    /// A folder's entries changed: new Python files and new folders (with
    /// everything under them) are taken in.
    fn look_into(&mut self, folder: &Path, roots: &[PathBuf], settings: &Settings, changes: &mut Vec<DiskChange>) {
        let Ok(entries) = std::fs::read_dir(folder) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_file() && !self.files.contains_key(&path) && index::admits(roots, settings, &path) {
                if let Some(stamp) = Stamp::of(&path) {
                    self.files.insert(path.clone(), stamp);
                    changes.push(DiskChange::Written(path));
                }
            } else if kind.is_dir() && !self.folders.contains_key(&path) {
                let Ok((files, folders)) = index::discover_with_folders(std::slice::from_ref(&path), settings) else { continue };
                // Walked from the new folder, the workspace's excludes
                // were not applied: `admits` applies them.
                for file in files.into_iter().filter(|f| index::admits(roots, settings, f)) {
                    if let Some(stamp) = Stamp::of(&file) {
                        self.files.insert(file.clone(), stamp);
                        changes.push(DiskChange::Written(file));
                    }
                }
                for folder in folders {
                    if let Some(stamp) = Stamp::of(&folder) {
                        self.folders.insert(folder, stamp);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(changes: &[DiskChange], root: &Path) -> Vec<String> {
        let mut names: Vec<String> = changes
            .iter()
            .map(|c| match c {
                DiskChange::Written(p) => format!("+{}", p.strip_prefix(root).unwrap().display()),
                DiskChange::Deleted(p) => format!("-{}", p.strip_prefix(root).unwrap().display()),
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_creations_and_deletions_are_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let write = |relative: &str, text: &str| {
            let path = root.join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("a.py", "x = 1\n");
        write("pkg/b.py", "y = 2\n");
        write("docs/notes.txt", "");
        write(".gitignore", "gen/\n");
        let roots = vec![root.clone()];
        let settings = Settings::default();
        let mut disk = DiskState::scan(&roots, &settings).unwrap();
        // Everything was just written: racy, so looked at again (the graph
        // update reads them and finds the same text).
        assert_eq!(written(&disk.changes(&roots, &settings), &root), ["+a.py", "+pkg/b.py"]);

        write("a.py", "x = 10\n");
        write("docs/conf.py", "z = 3\n");
        write("pkg/sub/c.py", "w = 4\n");
        write("gen/d.py", "v = 5\n");
        std::fs::remove_file(root.join("pkg/b.py")).unwrap();
        let changes = disk.changes(&roots, &settings);
        let seen = written(&changes, &root);
        for expected in ["+a.py", "+docs/conf.py", "+pkg/sub/c.py", "-pkg/b.py"] {
            assert!(seen.contains(&expected.to_owned()), "{expected} in {seen:?}");
        }
        assert!(!seen.iter().any(|s| s.contains("gen/")), "gitignored: {seen:?}");

        std::fs::remove_dir_all(root.join("pkg")).unwrap();
        let seen = written(&disk.changes(&roots, &settings), &root);
        assert!(seen.contains(&"-pkg".to_owned()), "{seen:?}");
        assert!(!disk.files.keys().any(|f| f.starts_with(root.join("pkg"))));
    }
}
