//! Noticing what changed on disk, before an answer. On Linux the kernel's
//! file events for the indexed folders are read ([`super::events`]): an
//! agent that writes a file and asks at once gets an answer that reflects
//! the write, since the write's event is queued before the question is
//! sent. Elsewhere, and when events were lost, the files and folders are
//! looked at again (modification time and size).
//!
//! File systems stamp modification times with a coarse clock, so a file
//! written twice within one tick may keep its stamp; like git's "racily
//! clean" entries, a file or folder whose stamp is not older than the last
//! look is looked into again (read and hashed by the graph update, which
//! changes nothing when the text is the same).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
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
#[derive(Default)]
pub struct DiskState {
    files: FxHashMap<PathBuf, Stamp>,
    folders: FxHashMap<PathBuf, Stamp>,
    looked_at: Option<SystemTime>,
    /// The folders' file events, once everything was looked at after the
    /// watches were set (a write between the walk and its folder's watch
    /// has no event).
    #[cfg(target_os = "linux")]
    events: Option<super::events::Events>,
    /// The kernel refused to watch (its limit): looked at every time.
    #[cfg(target_os = "linux")]
    unwatchable: bool,
}

impl DiskState {
    /// Looks at what the index of `roots` will read. Taken before the
    /// index reads the files, so that a write during the index is seen by
    /// the next [`DiskState::changes`].
    pub fn scan(roots: &[PathBuf], settings: &Settings) -> Result<DiskState, String> {
        let looked_at = SystemTime::now();
        let (files, folders) = index::discover_with_folders(roots, settings)?;
        let stamp = |paths: Vec<PathBuf>| paths.into_iter().filter_map(|p| Some((Stamp::of(&p)?, p))).map(|(s, p)| (p, s)).collect();
        Ok(DiskState { files: stamp(files), folders: stamp(folders), looked_at: Some(looked_at), ..DiskState::default() })
    }

    /// What changed since the last call: files written, created (in a
    /// folder that [`index::admits`] them) and deleted, folders deleted.
    pub fn changes(&mut self, roots: &[PathBuf], settings: &Settings) -> Vec<DiskChange> {
        #[cfg(target_os = "linux")]
        {
            if let Some(touched) = self.events.as_mut().and_then(super::events::Events::drain) {
                return self.take_in(touched, roots, settings);
            }
            // The first call, or events were lost: watch (again) first,
            // then look at everything; what changes in between is in both.
            if !self.unwatchable {
                self.events = super::events::Events::watch(self.folders.keys().map(PathBuf::as_path));
                self.unwatchable = self.events.is_none();
            }
        }
        self.look_at_everything(roots, settings)
    }

    /// The entries the file events name: Python files written, created or
    /// gone, folders created (taken in whole) or gone.
    #[cfg(target_os = "linux")]
    fn take_in(&mut self, touched: rustc_hash::FxHashSet<(PathBuf, bool)>, roots: &[PathBuf], settings: &Settings) -> Vec<DiskChange> {
        let mut changes = Vec::new();
        let mut touched: Vec<(PathBuf, bool)> = touched.into_iter().collect();
        // Folders first: a file in a new folder comes with it.
        touched.sort_by_key(|(path, is_folder)| (!is_folder, path.clone()));
        for (path, is_folder) in touched {
            if is_folder {
                if path.is_dir() {
                    if !self.folders.contains_key(&path) {
                        self.take_in_folder(&path, roots, settings, &mut changes);
                    }
                } else if self.folders.contains_key(&path) {
                    self.forget_folder(&path);
                    changes.push(DiskChange::Deleted(path));
                }
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("py" | "pyi")) {
                match Stamp::of(&path) {
                    Some(stamp) if self.files.contains_key(&path) || index::admits(roots, settings, &path) => {
                        self.files.insert(path.clone(), stamp);
                        changes.push(DiskChange::Written(path));
                    }
                    Some(_) => {}
                    None => {
                        if self.files.remove(&path).is_some() {
                            changes.push(DiskChange::Deleted(path));
                        }
                    }
                }
            }
        }
        changes
    }

    /// Looks at every file and folder again.
    fn look_at_everything(&mut self, roots: &[PathBuf], settings: &Settings) -> Vec<DiskChange> {
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
        for folder in deleted_folders {
            self.forget_folder(&folder);
            changes.push(DiskChange::Deleted(folder));
        }
        // A large workspace's files are thousands of `stat` calls before
        // each answer: on every core.
        let looked: Vec<(&PathBuf, Option<Stamp>)> = self.files.par_iter().map(|(file, _)| (file, Stamp::of(file))).collect();
        let mut deleted_files = Vec::new();
        let mut restamped = Vec::new();
        for (file, new) in looked {
            match new {
                None => deleted_files.push(file.clone()),
                Some(new) => {
                    let old = &self.files[file];
                    if suspect(old, &new) {
                        changes.push(DiskChange::Written(file.clone()));
                    }
                    if *old != new {
                        restamped.push((file.clone(), new));
                    }
                }
            }
        }
        for (file, stamp) in restamped {
            self.files.insert(file, stamp);
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
                self.take_in_folder(&path, roots, settings, changes);
            }
        }
    }

    /// A new folder: its files and folders (found as the index walks) are
    /// taken in, and watched.
    fn take_in_folder(&mut self, folder: &Path, roots: &[PathBuf], settings: &Settings, changes: &mut Vec<DiskChange>) {
        let Ok((files, folders)) = index::discover_with_folders(&[folder.to_owned()], settings) else { return };
        // Walked from the new folder, the workspace's excludes were not
        // applied (a new `build/` is walked too): `admits` applies them.
        for file in files.into_iter().filter(|f| index::admits(roots, settings, f)) {
            if let Some(stamp) = Stamp::of(&file) {
                self.files.insert(file.clone(), stamp);
                changes.push(DiskChange::Written(file));
            }
        }
        for folder in folders {
            if let Some(stamp) = Stamp::of(&folder) {
                #[cfg(target_os = "linux")]
                if let Some(events) = self.events.as_mut()
                    && !events.add(&folder)
                {
                    (self.events, self.unwatchable) = (None, true);
                }
                self.folders.insert(folder, stamp);
            }
        }
    }

    /// A folder is gone, with everything under it.
    fn forget_folder(&mut self, folder: &Path) {
        self.folders.retain(|f, _| !f.starts_with(folder));
        self.files.retain(|f, _| !f.starts_with(folder));
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
    fn writes_creations_and_deletions_are_noticed_from_file_events() {
        writes_creations_and_deletions_are_noticed(true);
    }

    #[test]
    fn writes_creations_and_deletions_are_noticed_from_modification_times() {
        writes_creations_and_deletions_are_noticed(false);
    }

    fn writes_creations_and_deletions_are_noticed(events: bool) {
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
        #[cfg(target_os = "linux")]
        {
            disk.unwatchable = !events;
        }
        #[cfg(not(target_os = "linux"))]
        let _ = events;
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
        #[cfg(target_os = "linux")]
        assert_eq!(disk.events.is_some(), events, "followed by events, or by looking");
    }
}
