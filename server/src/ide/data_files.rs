//! The data and config files of the project's folders that a move may
//! leave naming the old place of what moves (pickles, config values): a
//! bounded walk, with the index's skipped folders (caches, builds,
//! environments) and hidden files left out.

use std::path::{Path, PathBuf};

/// At most this many entries are walked per folder (a move waits for it).
const WALKED: usize = 20_000;

/// Which files a walk yields.
pub(super) struct Wanted<'a> {
    /// Their suffixes, lowercase.
    pub suffixes: &'a [&'a str],
    /// Larger files are left out.
    pub largest: u64,
    /// Whether files `.gitignore` leaves out are walked too (pickles
    /// usually are ignored; the index's own walk honours it).
    pub ignored_too: bool,
}

/// The files under `folders` (one inside another is walked with it) that
/// `wanted` describes.
pub(super) fn under<'a>(folders: &[&Path], wanted: &'a Wanted<'a>) -> impl Iterator<Item = PathBuf> + 'a {
    let tops: Vec<PathBuf> = folders.iter().filter(|f| !folders.iter().any(|o| o != *f && f.starts_with(o))).map(|f| f.to_path_buf()).collect();
    tops.into_iter().flat_map(move |folder| {
        let walk = ignore::WalkBuilder::new(folder)
            .standard_filters(!wanted.ignored_too)
            .hidden(true)
            .require_git(false)
            .filter_entry(|entry| !crate::index::skipped_dir(entry))
            .build();
        walk.filter_map(Result::ok).take(WALKED).filter_map(move |entry| {
            let path = entry.path();
            let suffix = path.extension().and_then(|e| e.to_str()).is_some_and(|e| wanted.suffixes.contains(&e.to_ascii_lowercase().as_str()));
            (suffix && entry.metadata().is_ok_and(|m| m.is_file() && m.len() <= wanted.largest)).then(|| entry.into_path())
        })
    })
}
