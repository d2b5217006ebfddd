//! Indexing a workspace: find its Python files, read them, take summaries
//! from the cache for the unchanged ones, extract the rest in parallel, and
//! build the graph.

pub mod commands;
pub mod library;
mod priority;
pub mod refactor;
pub mod typeshed;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use ignore::overrides::OverrideBuilder;
use rayon::prelude::*;

use crate::graph::{self, FileInput, FileSummary, Graph};
use crate::settings::Settings;
use crate::store::Store;

/// Folders never indexed: virtualenvs, caches and build outputs. (Any
/// folder holding a `pyvenv.cfg` is a virtualenv too.)
const SKIPPED_DIRS: &[&str] =
    &["__pycache__", "node_modules", "site-packages", "build", "dist", ".tox", ".nox", ".eggs", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".venv", "venv"];

/// Whether a walk skips the folder `entry` (not the walk's own root):
/// caches, builds, installed packages, virtual environments.
pub(crate) fn skipped_dir(entry: &ignore::DirEntry) -> bool {
    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
    is_dir
        && entry.depth() > 0
        && (entry.file_name().to_str().is_some_and(|n| SKIPPED_DIRS.contains(&n) || n.ends_with(".egg-info")) || entry.path().join("pyvenv.cfg").is_file())
}

/// A file read for indexing: its path, text and content hash.
type Source = (PathBuf, Arc<str>, u64);

/// What an index did, for logs and `pyloom graph`.
#[derive(Debug, Clone, Default)]
pub struct IndexReport {
    pub files: usize,
    pub from_cache: usize,
    pub skipped: Vec<String>,
    pub elapsed: Duration,
    /// The Python environment and stubs external names resolve in.
    pub environment: String,
    /// The environment in a few words (see [`crate::environment::Environment::label`]).
    pub environment_label: String,
    /// What finding the environment warned of.
    pub environment_warnings: Vec<String>,
}

/// The `.py`/`.pyi` files under `folders`, honouring `.gitignore` (also
/// outside git repositories), skipping hidden folders, virtualenvs and
/// build outputs, and applying the `index.include`/`index.exclude` globs.
pub fn discover(folders: &[PathBuf], settings: &Settings) -> Result<Vec<PathBuf>, String> {
    Ok(walk(folders, settings)?.files)
}

/// [`discover`], and the folders the walk went through (the ones a new
/// file would be indexed in): a watcher that polls notices new files
/// by these folders' modification times.
pub fn discover_with_folders(folders: &[PathBuf], settings: &Settings) -> Result<(Vec<PathBuf>, Vec<PathBuf>), String> {
    let mut walked = walk(folders, settings)?;
    walked.folders.par_sort_unstable();
    walked.folders.dedup();
    Ok((walked.files, walked.folders))
}

/// [`discover`], and the Jupyter notebooks the same walk found.
pub fn discover_with_notebooks(folders: &[PathBuf], settings: &Settings) -> Result<(Vec<PathBuf>, Vec<PathBuf>), String> {
    let walked = walk(folders, settings)?;
    Ok((walked.files, walked.notebooks))
}

/// What a walk of the workspace found.
struct Walked {
    files: Vec<PathBuf>,
    notebooks: Vec<PathBuf>,
    /// Unsorted, maybe with repeats.
    folders: Vec<PathBuf>,
    /// Python files that are symbolic links (not indexed: a link out of
    /// the workspace is not the workspace's, one within it is the file it
    /// points to).
    links: Vec<PathBuf>,
}

fn walk(folders: &[PathBuf], settings: &Settings) -> Result<Walked, String> {
    let mut files = Vec::new();
    let mut walked = Vec::new();
    let mut links = Vec::new();
    let mut notebooks = Vec::new();
    for folder in folders {
        // Excludes prune whole folders during the walk; includes filter the
        // files found (a folder never matches a file glob like `src/**/*.py`).
        let mut excludes = OverrideBuilder::new(folder);
        for glob in &settings.index.exclude {
            excludes.add(&format!("!{glob}")).map_err(|e| format!("index.exclude `{glob}`: {e}"))?;
        }
        let excludes = excludes.build().map_err(|e| format!("index.exclude: {e}"))?;
        let mut includes = OverrideBuilder::new(folder);
        for glob in &settings.index.include {
            includes.add(glob).map_err(|e| format!("index.include `{glob}`: {e}"))?;
        }
        let includes = includes.build().map_err(|e| format!("index.include: {e}"))?;
        // Walked on every core: a serial walk was a tenth of a warm start.
        let found = std::sync::Mutex::new((&mut files, &mut walked, &mut links, &mut notebooks));
        ignore::WalkBuilder::new(folder).require_git(false).overrides(excludes).filter_entry(|entry| !skipped_dir(entry)).build_parallel().run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(entry) => {
                        let path = entry.path();
                        if entry.file_type().is_some_and(|t| t.is_dir()) {
                            found.lock().unwrap_or_else(|e| e.into_inner()).1.push(entry.into_path());
                        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("py" | "pyi"))
                            && (settings.index.include.is_empty() || includes.matched(path, false).is_whitelist())
                        {
                            let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
                            match entry.file_type() {
                                Some(t) if t.is_file() => found.0.push(entry.into_path()),
                                Some(t) if t.is_symlink() => found.2.push(entry.into_path()),
                                _ => {}
                            }
                        } else if path.extension().is_some_and(|e| e == "ipynb") && entry.file_type().is_some_and(|t| t.is_file()) {
                            found.lock().unwrap_or_else(|e| e.into_inner()).3.push(entry.into_path());
                        }
                    }
                    Err(e) => tracing::warn!("while walking {}: {e}", folder.display()),
                }
                ignore::WalkState::Continue
            })
        });
    }
    // Sorted on every core: comparing paths by their components was a
    // tenth of a second on one thread for 10 copies of Django's files and
    // folders (the folders, which only a watcher reads, are sorted there).
    files.par_sort_unstable();
    files.dedup();
    links.sort_unstable();
    links.dedup();
    notebooks.sort_unstable();
    notebooks.dedup();
    Ok(Walked { files, notebooks, folders: walked, links })
}

/// Whether `path` is a file [`discover`] would index under `folders`:
/// a `.py`/`.pyi` file inside one of them, not under a hidden, skipped,
/// virtualenv, excluded or `.gitignore`d folder, and matching the includes.
/// For files that appear after the index (file watcher events).
pub fn admits(folders: &[PathBuf], settings: &Settings, path: &Path) -> bool {
    if !matches!(path.extension().and_then(|e| e.to_str()), Some("py" | "pyi")) {
        return false;
    }
    folders.iter().any(|folder| admitted_under(folder, settings, path))
}

fn admitted_under(folder: &Path, settings: &Settings, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(folder) else { return false };
    let mut dir = folder.to_owned();
    let mut parents: Vec<PathBuf> = vec![dir.clone()];
    let components: Vec<_> = relative.components().collect();
    for component in &components[..components.len().saturating_sub(1)] {
        let name = component.as_os_str().to_str().unwrap_or("");
        dir.push(name);
        if name.starts_with('.') || SKIPPED_DIRS.contains(&name) || name.ends_with(".egg-info") || dir.join("pyvenv.cfg").is_file() {
            return false;
        }
        parents.push(dir.clone());
    }
    if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
        return false;
    }
    let mut excludes = OverrideBuilder::new(folder);
    for glob in &settings.index.exclude {
        if excludes.add(&format!("!{glob}")).is_err() {
            return false;
        }
    }
    let Ok(excludes) = excludes.build() else { return false };
    if parents.iter().skip(1).any(|d| excludes.matched(d, true).is_ignore()) || excludes.matched(path, false).is_ignore() {
        return false;
    }
    if !settings.index.include.is_empty() {
        let mut includes = OverrideBuilder::new(folder);
        for glob in &settings.index.include {
            if includes.add(glob).is_err() {
                return false;
            }
        }
        if !includes.build().is_ok_and(|i| i.matched(path, false).is_whitelist()) {
            return false;
        }
    }
    // Each `.gitignore` from the folder down applies to what is below it.
    !parents.iter().any(|dir| {
        let file = dir.join(".gitignore");
        if !file.is_file() {
            return false;
        }
        let mut builder = ignore::gitignore::GitignoreBuilder::new(dir);
        builder.add(&file);
        builder.build().is_ok_and(|g| g.matched_path_or_any_parents(path, false).is_ignore())
    })
}

/// A file that changed on disk, as a file watcher reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiskChange {
    /// Created or changed: read it again.
    Written(PathBuf),
    /// A file or a whole folder is gone.
    Deleted(PathBuf),
}

/// Applies changes on disk to the graph of `folders`: written files that
/// [`admits`] are read and updated (or dropped when they became unreadable),
/// deleted files and every graph file under a deleted folder are removed.
/// Returns how many graph files changed.
pub fn apply_disk_changes(graph: &mut Graph, folders: &[PathBuf], settings: &Settings, changes: &[DiskChange]) -> usize {
    let mut changed = 0;
    for change in changes {
        match change {
            DiskChange::Written(path) => {
                let known = graph.file_id(path).is_some();
                // A notebook in the graph is one an editor holds open: its
                // cells, not the JSON saved on disk, are its code.
                if !known && !admits(folders, settings, path) || crate::notebook::Notebook::is_notebook(path) {
                    continue;
                }
                match read_source(path, settings.files.max_file_bytes) {
                    Ok(text) => changed += usize::from(graph.update_file(path, &text)),
                    Err(reason) => {
                        tracing::warn!("{reason}");
                        changed += usize::from(graph.remove_file(path));
                    }
                }
            }
            DiskChange::Deleted(path) => {
                let gone: Vec<PathBuf> = graph.files().map(|(_, f)| f.path.clone()).filter(|p| p == path || p.starts_with(path)).collect();
                for file in gone {
                    changed += usize::from(graph.remove_file(&file));
                }
            }
        }
    }
    changed
}

/// Reads a file for indexing: `None` (with the reason) when it is
/// unreadable, not UTF-8 or larger than `max_bytes`.
pub fn read_source(path: &Path, max_bytes: usize) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    if bytes.len() > max_bytes {
        return Err(format!("{}: larger than files.max_file_bytes, not indexed", path.display()));
    }
    String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8, not indexed", path.display()))
}

/// Indexes `folders`: discovery, reading, cached or fresh summaries, and
/// the graph. `progress(done, total)` is called as files are read and
/// summarised. New summaries are written back to `store`.
pub fn index(
    folders: &[PathBuf],
    settings: &Settings,
    store: Option<&Store>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<(Graph, IndexReport), String> {
    let started = Instant::now();
    crate::phase::start();
    let Walked { files: paths, links, .. } = walk(folders, settings)?;
    crate::phase::end("walked");
    let total = paths.len();
    let done = AtomicUsize::new(0);
    let step = (total / 50).max(1);
    let max_bytes = settings.files.max_file_bytes;
    let read: Vec<Result<Source, String>> = paths
        .into_par_iter()
        .map(|path| {
            let text = read_source(&path, max_bytes)?;
            let hash = graph::content_hash(&text);
            Ok((path, Arc::from(text), hash))
        })
        .collect();
    let mut report = IndexReport::default();
    let mut sources = Vec::with_capacity(read.len());
    for item in read {
        match item {
            Ok(source) => sources.push(source),
            Err(reason) => report.skipped.push(reason),
        }
    }
    crate::phase::end("read");
    let cached = store.map(|s| s.load(sources.iter().map(|(_, _, h)| *h))).unwrap_or_default();
    crate::phase::end("cache_loaded");
    let inputs: Vec<(FileInput, bool)> = sources
        .into_par_iter()
        .map(|(path, text, hash)| {
            let (summary, fresh) = match cached.get(&hash) {
                Some(summary) => (summary.clone(), false),
                None => (Arc::new(FileSummary::extract_file(&path, &text)), true),
            };
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if n.is_multiple_of(step) || n == total {
                progress(n, total);
            }
            (FileInput { path, text, summary: Some(summary) }, fresh)
        })
        .collect();
    crate::phase::end("summarised");
    report.files = inputs.len();
    report.from_cache = inputs.iter().filter(|(_, fresh)| !fresh).count();
    if let Some(store) = store {
        let fresh: Vec<(u64, &FileSummary)> =
            inputs.iter().filter(|(_, fresh)| *fresh).filter_map(|(input, _)| Some((graph::content_hash(&input.text), input.summary.as_deref()?))).collect();
        if let Err(e) = store.save(&fresh) {
            tracing::warn!("summary cache not updated: {e}");
        }
    }
    crate::phase::end("cache_saved");
    let roots = folders.iter().flat_map(|f| graph::source_roots(f)).collect();
    let (library, environment) = library::for_workspace(folders, settings);
    report.environment = library::describe(library.as_deref(), &environment);
    report.environment_label = environment.label();
    report.environment_warnings = environment.warnings;
    crate::phase::end("environment");
    let mut graph = Graph::build(roots, inputs.into_iter().map(|(input, _)| input).collect(), library);
    graph.set_module_links(&links);
    report.elapsed = started.elapsed();
    Ok((graph, report))
}

/// Indexes a long-lived server's workspace (`pyloom serve`, `pyloom mcp`):
/// through the summary cache when `index.cache` is on, and with the stubs
/// its workspace imports parsed in the background afterwards, since the
/// server lives on to need them (a one-shot command exits first and never
/// warms them). Its threads run below the server's priority ([`priority`]).
pub fn index_for_server(folders: &[PathBuf], settings: &Settings, progress: &(dyn Fn(usize, usize) + Sync)) -> Result<(Graph, IndexReport), String> {
    let store =
        settings.index.cache.then(|| Store::open_for_workspace(folders)).and_then(|s| s.map_err(|e| tracing::warn!("summary cache disabled: {e}")).ok());
    typeshed::announce_if_missing();
    let mut indexed = priority::lowered(|| index(folders, settings, store.as_ref(), progress));
    // Messages name paths from the folder the editor opened, as the CLI's
    // from its project root (`src/pkg/m.py`, not the source root's `pkg/m.py`).
    if let (Ok((graph, _)), [folder]) = (&mut indexed, folders) {
        graph.show_paths_from(folder);
    }
    // A server holds what it indexed for its life; a one-shot command
    // exits, and `pyloom check` keeps its freed pages to reuse them.
    crate::memory::return_freed();
    if let Ok((graph, _)) = &indexed
        && let Some(library) = graph.library()
    {
        library::warm_in_background(library, graph);
    }
    indexed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discovery_skips_venvs_gitignored_and_excluded_files() {
        let dir = std::env::temp_dir().join(format!("pyloom-discover-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for file in ["a.py", "pkg/b.pyi", "env/lib/x.py", "venv/y.py", "gen/z.py", "skip/w.py", "build/o.py", "notes.txt"] {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "x = 1\n").unwrap();
        }
        std::fs::write(dir.join("env/pyvenv.cfg"), "home = /usr\n").unwrap();
        std::fs::write(dir.join(".gitignore"), "gen/\n").unwrap();
        let mut settings = Settings::default();
        settings.index.exclude = vec!["skip/**".to_owned()];
        settings.index.include = vec!["**/*.py*".to_owned()];
        let found = discover(std::slice::from_ref(&dir), &settings).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let names: Vec<String> = found.iter().map(|p| p.strip_prefix(&dir).unwrap().display().to_string()).collect();
        assert_eq!(names, ["a.py", "pkg/b.pyi"]);
    }

    #[test]
    fn a_server_names_paths_from_its_folder_not_the_source_root() {
        // Tester 23 case 06: a rename's refusal named `pkg/__init__.py:3` in a `src/` layout.
        let dir = std::env::temp_dir().join(format!("pyloom-shown-from-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src/pkg")).unwrap();
        std::fs::write(dir.join("pyproject.toml"), "[project]\nname = \"pkg\"\n").unwrap();
        std::fs::write(dir.join("src/pkg/__init__.py"), "x = 1\n").unwrap();
        let mut settings = Settings::default();
        settings.index.cache = false;
        let (graph, _) = index_for_server(std::slice::from_ref(&dir), &settings, &|_, _| {}).unwrap();
        let (shown, _) = index(std::slice::from_ref(&dir), &settings, None, &|_, _| {}).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let init = dir.join("src/pkg/__init__.py");
        assert_eq!(crate::graph::explain::display_path(&graph, &init), "src/pkg/__init__.py");
        // Must stay: the source root is a root of the graph (its modules are `pkg.…`).
        assert_eq!(crate::graph::explain::display_path(&shown, &init), "pkg/__init__.py");
    }

    #[test]
    fn links_out_of_the_workspace_are_not_indexed() {
        let dir = std::env::temp_dir().join(format!("pyloom-discover-links-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (root, outside) = (dir.join("ws"), dir.join("outside"));
        std::fs::create_dir_all(root.join("pkg")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.py"), "SECRET = 1\n").unwrap();
        std::fs::write(root.join("pkg/real.py"), "x = 1\n").unwrap();
        std::os::unix::fs::symlink(outside.join("secret.py"), root.join("pkg/linked.py")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("pkg/outdir")).unwrap();
        // A link within the workspace is the file it points to.
        std::os::unix::fs::symlink(root.join("pkg/real.py"), root.join("pkg/alias.py")).unwrap();
        let found = discover(std::slice::from_ref(&root), &Settings::default()).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let names: Vec<String> = found.iter().map(|p| p.strip_prefix(&root).unwrap().display().to_string()).collect();
        assert_eq!(names, ["pkg/real.py"]);
    }

    #[test]
    fn disk_changes_update_add_and_remove_graph_files() {
        let dir = std::env::temp_dir().join(format!("pyloom-disk-changes-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("pkg")).unwrap();
        std::fs::write(dir.join(".gitignore"), "gen/\n").unwrap();
        std::fs::write(dir.join("a.py"), "def f():\n    pass\n").unwrap();
        std::fs::write(dir.join("pkg/b.py"), "from a import f\n").unwrap();
        let settings = Settings::default();
        let folders = vec![dir.clone()];
        let (mut graph, _) = index(&folders, &settings, None, &|_, _| {}).unwrap();
        assert_eq!(graph.stats().files, 2);

        for (file, admitted) in [("c.py", true), ("pkg/d.pyi", true), ("gen/e.py", false), (".hidden/f.py", false), ("venv/g.py", false), ("notes.txt", false)]
        {
            assert_eq!(admits(&folders, &settings, &dir.join(file)), admitted, "{file}");
        }
        assert!(!admits(&folders, &settings, Path::new("/elsewhere/x.py")));

        std::fs::write(dir.join("c.py"), "from a import f\nf()\n").unwrap();
        std::fs::create_dir_all(dir.join("gen")).unwrap();
        std::fs::write(dir.join("gen/e.py"), "x = 1\n").unwrap();
        let changes = [DiskChange::Written(dir.join("c.py")), DiskChange::Written(dir.join("gen/e.py"))];
        assert_eq!(apply_disk_changes(&mut graph, &folders, &settings, &changes), 1);
        let a = graph.file_id(&dir.join("a.py")).unwrap();
        let f = graph.symbol_at(a, 4).unwrap();
        assert_eq!(graph.callers(f).len(), 1, "the new file calls f");

        std::fs::write(dir.join("a.py"), "def f():\n    pass\n\n\ndef g():\n    pass\n").unwrap();
        std::fs::remove_file(dir.join("c.py")).unwrap();
        std::fs::remove_dir_all(dir.join("pkg")).unwrap();
        let changes = [DiskChange::Written(dir.join("a.py")), DiskChange::Deleted(dir.join("c.py")), DiskChange::Deleted(dir.join("pkg"))];
        assert_eq!(apply_disk_changes(&mut graph, &folders, &settings, &changes), 3);
        std::fs::remove_dir_all(&dir).unwrap();
        let names: Vec<&str> = graph.file(a).unwrap().summary.definitions.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["f", "g"]);
        assert_eq!(graph.stats().files, 1);
        assert!(graph.callers(f).is_empty());
    }
    #[test]
    fn an_open_notebooks_cells_are_not_replaced_by_its_json_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let folders = vec![dir.path().to_owned()];
        let settings = Settings::default();
        std::fs::write(dir.path().join("a.py"), "def f():\n    pass\n").unwrap();
        let (mut graph, _) = index(&folders, &settings, None, &|_, _| {}).unwrap();
        let open = dir.path().join("open.ipynb");
        let closed = dir.path().join("closed.ipynb");
        // An editor holds `open.ipynb`: its joined cells are its code.
        graph.update_file(&open, "from a import f\nf()\n");
        let json = r#"{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": ["import a\n", "a.f()"]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
        std::fs::write(&open, json).unwrap();
        std::fs::write(&closed, json).unwrap();
        let changes = [DiskChange::Written(open.clone()), DiskChange::Written(closed.clone())];
        assert_eq!(apply_disk_changes(&mut graph, &folders, &settings, &changes), 0);
        assert_eq!(&**graph.file(graph.file_id(&open).unwrap()).unwrap().text(), "from a import f\nf()\n");
        assert!(graph.file_id(&closed).is_none(), "an unopened notebook stays out of the graph");
        let a = graph.file_id(&dir.path().join("a.py")).unwrap();
        assert_eq!(graph.callers(graph.symbol_at(a, 4).unwrap()).len(), 1, "the cells' call of f is kept");

        // The twin: a module beside them is read again as before.
        std::fs::write(dir.path().join("a.py"), "def f():\n    pass\n\n\ndef g():\n    pass\n").unwrap();
        assert_eq!(apply_disk_changes(&mut graph, &folders, &settings, &[DiskChange::Written(dir.path().join("a.py"))]), 1);
    }
}
