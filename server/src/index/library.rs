//! The library a workspace's graph resolves external names in: typeshed's
//! standard-library stubs, when `pyloom stubs install` added them, then
//! the search paths of the workspace's Python environment (see
//! [`crate::environment`]), whose own standard library they shadow, and
//! whose untyped packages typeshed's third-party stubs type.

use std::path::PathBuf;
use std::sync::Arc;

use crate::environment::{self, Environment};
use crate::graph::Library;
use crate::settings::Settings;

/// The library of the environment the settings and `folders` name (`None`
/// when there is neither an environment nor typeshed's stubs), and the
/// environment, for the log.
pub fn for_workspace(folders: &[PathBuf], settings: &Settings) -> (Option<Arc<Library>>, Environment) {
    let environment = environment::discover(settings.index.python.as_deref(), settings.index.venv.as_deref(), folders);
    let typeshed = super::typeshed::installed();
    if typeshed.is_none() && environment.search_paths.is_empty() {
        return (None, environment);
    }
    let mut library = Library::new(typeshed, environment.search_paths.clone(), environment.stdlib.clone(), environment.version)
        .with_third_party_stubs(super::typeshed::third_party_installed());
    if settings.index.cache {
        match crate::store::Store::open_for_library() {
            Ok(store) => library = library.with_cache(Box::new(store)),
            Err(e) => tracing::debug!("library summaries not cached: {e}"),
        }
    }
    (Some(Arc::new(library)), environment)
}

/// What the log and `pyloom graph` say of the library: the environment,
/// and whether typeshed's stubs are part of it.
pub fn describe(library: Option<&Library>, environment: &Environment) -> String {
    let stubs = match library {
        Some(library) if library.has_stdlib_stubs() && library.has_third_party_stubs() => "with typeshed's stubs",
        Some(library) if library.has_stdlib_stubs() => "with typeshed's standard-library stubs (`pyloom stubs install` adds its third-party ones)",
        _ => "without typeshed's stubs (`pyloom stubs install` adds them)",
    };
    format!("{environment}; {stubs}")
}

/// Parses, on another thread, the library modules the workspace imports
/// (and the packages above them), so that no request waits for their
/// first parse.
pub fn warm_in_background(library: Arc<Library>, graph: &crate::graph::Graph) {
    let mut modules: Vec<String> = Vec::new();
    for (_, entry) in graph.files() {
        for import in &entry.summary.imports {
            modules.extend(crate::graph::absolute_module(&entry.module, entry.is_package, import.level, import.module.as_deref()));
        }
    }
    modules.sort_unstable();
    modules.dedup();
    modules.retain(|m| graph.resolve_module(m).is_none());
    let _ = std::thread::Builder::new().name("library".to_owned()).spawn(move || {
        let started = std::time::Instant::now();
        let parsed = library.warm(modules.iter().map(String::as_str));
        tracing::info!("library: {parsed} modules parsed ahead in {} ms", started.elapsed().as_millis());
    });
}
