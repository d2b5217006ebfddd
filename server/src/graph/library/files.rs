//! Where library files are read from: the disk, or (in tests) a map of
//! paths to texts that stands in for a `site-packages` and typeshed.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;

#[derive(Debug)]
pub(super) enum Files {
    Disk,
    Memory(FxHashMap<PathBuf, Arc<str>>),
}

impl Files {
    pub(super) fn is_file(&self, path: &Path) -> bool {
        match self {
            Files::Disk => path.is_file(),
            Files::Memory(files) => files.contains_key(path),
        }
    }

    pub(super) fn is_dir(&self, path: &Path) -> bool {
        match self {
            Files::Disk => path.is_dir(),
            Files::Memory(files) => files.keys().any(|f| f.starts_with(path) && f != path),
        }
    }

    /// The text of a file, when it is UTF-8 and at most `limit` bytes.
    pub(super) fn read(&self, path: &Path, limit: u64) -> Option<Arc<str>> {
        match self {
            Files::Disk => {
                if std::fs::metadata(path).ok()?.len() > limit {
                    return None;
                }
                std::fs::read_to_string(path).ok().map(Arc::from)
            }
            Files::Memory(files) => files.get(path).cloned(),
        }
    }

    /// The names in a folder, each with whether it is a folder.
    pub(super) fn list(&self, dir: &Path) -> Vec<(String, bool)> {
        match self {
            Files::Disk => std::fs::read_dir(dir)
                .map(|entries| entries.flatten().filter_map(|e| Some((e.file_name().into_string().ok()?, e.file_type().ok()?.is_dir()))).collect())
                .unwrap_or_default(),
            Files::Memory(files) => {
                let mut out: Vec<(String, bool)> = files
                    .keys()
                    .filter_map(|f| {
                        let mut rest = f.strip_prefix(dir).ok()?.iter();
                        let first = rest.next()?.to_str()?.to_owned();
                        Some((first, rest.next().is_some()))
                    })
                    .collect();
                out.sort();
                out.dedup();
                out
            }
        }
    }
}
