//! The library a workspace's graph resolves external names in: typeshed's
//! standard-library stubs, when `pyloom stubs install` added them, then
//! the search paths of the workspace's Python environment.

use std::path::PathBuf;
use std::sync::Arc;

use crate::graph::Library;
use crate::settings::Settings;

/// The library of the environment the settings and `folders` name; `None`
/// when there is neither an environment nor typeshed's stubs.
pub fn for_workspace(folders: &[PathBuf], settings: &Settings) -> Option<Arc<Library>> {
    let typeshed = super::stdlib_stubs::installed();
    let search_paths = super::site_packages::site_packages(settings.index.venv.as_deref(), folders);
    if typeshed.is_none() && search_paths.is_empty() {
        return None;
    }
    let library = Library::new(typeshed, search_paths, Vec::new(), None);
    tracing::debug!("library: {}", library.search_paths().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "));
    Some(Arc::new(library))
}
