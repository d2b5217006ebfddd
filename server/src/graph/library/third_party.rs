//! typeshed's third-party stubs (`stubs/<distribution>/<package>`, what the
//! `types-*` packages hold): an installed package that ships no types of
//! its own (no `py.typed`, no `.pyi`, no `-stubs` package) is read from
//! them, as pyright does; its docstrings still come from its sources (see
//! [`Library::source_module`]) and its distribution from its `dist-info`.
//! A package that is not installed is not found through them: the
//! workspace cannot import it.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::{Found, Library};

#[derive(Debug, Default)]
pub(super) struct ThirdParty {
    root: Option<PathBuf>,
    /// Which distribution's folder types each top-level name, listed once.
    tops: OnceLock<FxHashMap<String, PathBuf>>,
}

impl ThirdParty {
    pub(super) fn new(root: Option<PathBuf>) -> Self {
        Self { root, tops: OnceLock::new() }
    }

    pub(super) fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// Whether `path` is one of these stubs.
    pub(super) fn holds(&self, path: &Path) -> bool {
        self.root.as_deref().is_some_and(|root| path.starts_with(root))
    }
}

impl Library {
    /// The stub of module `name` (`parts`) of an untyped package found in
    /// `sys.path` folder `search_path`, when typeshed has one.
    pub(super) fn third_party_stub(&self, parts: &[&str], name: &str, search_path: usize) -> Option<Found> {
        let folder = self.third_party_folder(parts[0])?;
        match self.probe(folder, Some(search_path), parts, name, false) {
            found @ Found::File(_) => Some(found),
            _ => None,
        }
    }

    /// The distribution folder whose stubs have top-level `name`.
    fn third_party_folder(&self, name: &str) -> Option<&Path> {
        let root = self.third_party.root.as_deref()?;
        let tops = self.third_party.tops.get_or_init(|| {
            let mut tops = FxHashMap::default();
            for (distribution, is_dir) in self.files.list(root) {
                if !is_dir {
                    continue;
                }
                let folder = root.join(&distribution);
                for (entry, is_dir) in self.files.list(&folder) {
                    let top = if is_dir { Some(entry.as_str()) } else { entry.strip_suffix(".pyi") };
                    // `@tests` and other folders that are no module names.
                    if let Some(top) = top.filter(|t| super::is_identifier(t)) {
                        tops.entry(top.to_owned()).or_insert_with(|| folder.clone());
                    }
                }
            }
            tops
        });
        tops.get(name).map(PathBuf::as_path)
    }
}
