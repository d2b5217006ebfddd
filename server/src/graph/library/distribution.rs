//! Which installed distribution a library file comes from, and its
//! version (`requests 2.32.3`), from the `*.dist-info` folders beside it.

use std::path::Path;

use super::files::Files;
use super::{FileId, Library};

/// An installed distribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    pub name: String,
    pub version: String,
}

/// RECORD files larger than this are not read.
const MAX_RECORD_BYTES: u64 = 8 << 20;

impl Library {
    /// The distribution that installed a library file; `None` for the
    /// standard library and for folders without `dist-info`.
    pub fn distribution_of(&self, id: FileId) -> Option<Distribution> {
        let source = self.source(id)?;
        let index = source.search_path?;
        let root = &self.search_paths[index];
        let top = match source.path.strip_prefix(root) {
            Ok(relative) => {
                let mut parts = relative.iter().filter_map(|p| p.to_str());
                let first = parts.next()?;
                let first = first.strip_suffix(".pyi").or_else(|| first.strip_suffix(".py")).unwrap_or(first);
                // A namespace package is shared by distributions: theirs is
                // the package under it (`acme/two`).
                match parts.next() {
                    Some(second)
                        if !self.files.is_file(&root.join(first).join("__init__.py")) && !self.files.is_file(&root.join(first).join("__init__.pyi")) =>
                    {
                        let second = second.strip_suffix(".pyi").or_else(|| second.strip_suffix(".py")).unwrap_or(second);
                        format!("{first}/{second}")
                    }
                    _ => first.to_owned(),
                }
            }
            // typeshed's stub of a package installed there: the package's.
            Err(_) => source.module.split('.').next()?.to_owned(),
        };
        let key = (index, top);
        let mut known = self.distributions.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = known.get(&key) {
            return found.clone();
        }
        let found = find(&self.files, root, &key.1);
        known.insert(key, found.clone());
        found
    }
}

/// The distribution of the top-level name `top` in `root`: the one named
/// like it (`requests-2.32.3.dist-info`, `types_requests-...` for
/// `requests-stubs`), else the one whose `top_level.txt` or `RECORD`
/// lists it (`PyYAML` installs `yaml`); a namespace package's (`acme/two`),
/// the one whose `RECORD` lists it.
fn find(files: &Files, root: &Path, top: &str) -> Option<Distribution> {
    let infos: Vec<(String, String, String)> = files
        .list(root)
        .into_iter()
        .filter(|(_, is_dir)| *is_dir)
        .filter_map(|(folder, _)| {
            let (name, version) = folder.strip_suffix(".dist-info")?.rsplit_once('-')?;
            Some((folder.clone(), name.to_owned(), version.to_owned()))
        })
        .collect();
    let wanted = normalise(top.strip_suffix("-stubs").unwrap_or(top));
    let named = |(_, name, _): &&(String, String, String)| {
        let name = normalise(name);
        name == wanted || (top.ends_with("-stubs") && name == format!("types_{wanted}"))
    };
    let found = infos.iter().find(named).or_else(|| {
        infos.iter().find(|(folder, _, _)| {
            let info = root.join(folder);
            // `top_level.txt` names a namespace package every distribution
            // under it shares: theirs is told by the files they installed.
            if !top.contains('/')
                && let Some(listed) = files.read(&info.join("top_level.txt"), MAX_RECORD_BYTES)
            {
                return listed.lines().any(|line| line.trim() == top);
            }
            files
                .read(&info.join("RECORD"), MAX_RECORD_BYTES)
                .is_some_and(|record| record.lines().any(|line| line.strip_prefix(top).is_some_and(|rest| rest.starts_with('/') || rest.starts_with(".py,"))))
        })
    })?;
    // The name as its author wrote it (`PyYAML`, `python-dateutil`), not
    // the folder's normalised one.
    let metadata = files.read(&root.join(&found.0).join("METADATA"), MAX_RECORD_BYTES);
    let name = metadata.as_deref().and_then(|m| m.lines().take_while(|l| !l.is_empty()).find_map(|l| l.strip_prefix("Name:"))).map(str::trim);
    Some(Distribution { name: name.unwrap_or(&found.1).to_owned(), version: found.2.clone() })
}

/// A distribution name as `dist-info` folders write it (PEP 503, with `_`).
fn normalise(name: &str) -> String {
    name.to_ascii_lowercase().replace(['-', '.'], "_")
}
