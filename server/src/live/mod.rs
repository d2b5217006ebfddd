//! The live analysis of a workspace on disk, below the servers that answer
//! from it. `pyloom serve` keeps editors' open buffers over it; `pyloom mcp`
//! answers agents, who write files: each answer here first takes in what
//! changed on disk ([`DiskState`], from the kernel's file events on Linux),
//! and waits for the first index
//! ([`IndexGate`], also what the language server's requests wait on).
//! Nothing here knows a protocol.

mod disk;
#[cfg(target_os = "linux")]
mod events;
mod gate;

use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use disk::DiskState;
pub use gate::{IndexGate, IndexState, NotReady};

use crate::findings::Configs;
use crate::graph::{Graph, SharedGraph};
use crate::settings::Settings;
use crate::snippets::SnippetRunner;

/// A workspace folder indexed once, then kept current with the disk.
pub struct Workspace {
    root: PathBuf,
    settings: Settings,
    configs: Configs,
    graph: SharedGraph,
    gate: IndexGate,
    /// `None` until the first index has been installed.
    disk: Mutex<Option<DiskState>>,
    /// Built on the first test run (loading the interpreter takes a while).
    runner: tokio::sync::Mutex<Option<Arc<SnippetRunner>>>,
}

impl Workspace {
    /// The workspace of `root` with its settings (`pyloom.toml`,
    /// `pyproject.toml`) and lint configuration; nothing indexed yet.
    pub fn open(root: &Path) -> Result<Arc<Workspace>, String> {
        let root = crate::project::canonical(root)?;
        if !root.is_dir() {
            return Err(format!("{} is not a folder", root.display()));
        }
        let (layers, mut warnings) = crate::settings::workspace_layers(&root);
        let mut resolved = crate::settings::resolve(&layers);
        warnings.append(&mut resolved.warnings);
        let (configs, config_warnings) = Configs::new(&root, &resolved.settings.lint);
        for warning in warnings.iter().chain(&config_warnings) {
            tracing::warn!("{warning}");
        }
        Ok(Arc::new(Workspace {
            root,
            settings: resolved.settings,
            configs,
            graph: SharedGraph::default(),
            gate: IndexGate::default(),
            disk: Mutex::new(None),
            runner: tokio::sync::Mutex::new(None),
        }))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn configs(&self) -> &Configs {
        &self.configs
    }

    /// Indexes the workspace on a thread of its own; requests wait for it.
    pub fn start_indexing(self: &Arc<Self>) {
        self.gate.set(IndexState::Indexing { done: 0, total: 0 });
        let this = self.clone();
        let spawned = std::thread::Builder::new().name("pyloom-index".to_owned()).spawn(move || {
            let roots = [this.root.clone()];
            let indexed = DiskState::scan(&roots, &this.settings)
                .and_then(|disk| Ok((disk, crate::index::index_for_server(&roots, &this.settings, &|done, total| this.gate.progress(done, total))?)));
            match indexed {
                Ok((disk, (graph, report))) => {
                    for skipped in &report.skipped {
                        tracing::warn!("{skipped}");
                    }
                    tracing::info!(files = report.files, from_cache = report.from_cache, elapsed_ms = report.elapsed.as_millis() as u64, "workspace indexed");
                    this.graph.replace(graph);
                    *this.disk.lock().unwrap_or_else(|e| e.into_inner()) = Some(disk);
                    this.gate.set(IndexState::Ready);
                }
                Err(error) => {
                    tracing::error!("indexing failed: {error}");
                    this.gate.set(IndexState::Failed(error));
                }
            }
        });
        if let Err(error) = spawned {
            self.gate.set(IndexState::Failed(format!("cannot start indexing: {error}")));
        }
    }

    /// The graph as the disk is now: after the first index (waiting at
    /// most `limit`, telling `progress` how far it is) and with what
    /// changed on disk since the last answer taken in.
    pub async fn current(self: &Arc<Self>, limit: Duration, progress: impl FnMut(usize, usize)) -> Result<Arc<Graph>, NotReady> {
        self.gate.wait(limit, progress).await?;
        let this = self.clone();
        let synced = tokio::task::spawn_blocking(move || this.take_in_disk_changes()).await;
        if let Err(error) = synced {
            tracing::error!("taking in changes on disk failed: {error}");
        }
        Ok(self.graph.snapshot())
    }

    /// Applies what changed on disk to the graph; how many graph files
    /// changed. One caller at a time (the disk state is locked).
    fn take_in_disk_changes(&self) -> usize {
        let mut disk = self.disk.lock().unwrap_or_else(|e| e.into_inner());
        let Some(disk) = disk.as_mut() else { return 0 };
        let roots = [self.root.clone()];
        let started = std::time::Instant::now();
        let changes = disk.changes(&roots, &self.settings);
        tracing::debug!(ms = started.elapsed().as_secs_f64() * 1000.0, changes = changes.len(), "disk looked at");
        if changes.is_empty() {
            return 0;
        }
        let changed = self.graph.update(|graph| crate::index::apply_disk_changes(graph, &roots, &self.settings, &changes));
        tracing::debug!(changes = changes.len(), changed, "changes on disk taken in");
        changed
    }

    /// A path an agent named (relative to the root, or absolute) as an
    /// absolute path inside the workspace; an error for any other. The
    /// file need not exist (a file about to be written), but the nearest
    /// folder that does is resolved through symbolic links, so no link
    /// leads outside.
    pub fn path_inside(&self, given: &str) -> Result<PathBuf, String> {
        let given_path = Path::new(given.trim());
        if given_path.as_os_str().is_empty() {
            return Err("the path is empty".to_owned());
        }
        let joined = if given_path.is_absolute() { given_path.to_owned() } else { self.root.join(given_path) };
        let mut normal = PathBuf::new();
        for component in joined.components() {
            match component {
                Component::ParentDir => {
                    normal.pop();
                }
                Component::CurDir => {}
                other => normal.push(other),
            }
        }
        // The existing part through its links, the rest as written.
        let mut existing = normal.as_path();
        let mut rest = Vec::new();
        let resolved = loop {
            match existing.canonicalize() {
                Ok(real) => break rest.iter().rev().fold(real, |path: PathBuf, part| path.join(part)),
                Err(_) => {
                    rest.extend(existing.file_name());
                    existing = existing.parent().ok_or_else(|| format!("{given}: no such folder"))?;
                }
            }
        };
        if !resolved.starts_with(&self.root) {
            return Err(format!("{given} is outside the workspace {}; only files under it can be read or written", self.root.display()));
        }
        Ok(resolved)
    }

    /// How a workspace path is shown: relative to the root.
    pub fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.root).unwrap_or(path).display().to_string()
    }

    /// The snippet test runner, built on first use with the project's
    /// virtualenv mounted; the sandbox's own error (`pyloom sandbox
    /// install` not run) otherwise.
    pub async fn snippet_runner(&self) -> anyhow::Result<Arc<SnippetRunner>> {
        let mut slot = self.runner.lock().await;
        if let Some(runner) = slot.as_ref() {
            return Ok(runner.clone());
        }
        let (settings, root) = (self.settings.clone(), self.root.clone());
        let runner = tokio::task::spawn_blocking(move || SnippetRunner::for_workspace(&settings, std::slice::from_ref(&root))).await??;
        *slot = Some(runner.clone());
        Ok(runner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_workspace_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        std::fs::create_dir_all(root.join("pkg")).unwrap();
        std::fs::create_dir_all(dir.path().join("secret")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), root.join("link")).unwrap();
        let ws = Workspace::open(&root).unwrap();
        let root = ws.root().to_owned();
        assert_eq!(ws.path_inside("pkg/a.py"), Ok(root.join("pkg/a.py")));
        assert_eq!(ws.path_inside("./pkg/../new/b.py"), Ok(root.join("new/b.py")));
        assert_eq!(ws.path_inside(&root.join("c.py").display().to_string()), Ok(root.join("c.py")));
        for outside in ["../secret/x.py", "/etc/passwd", "link/x.py", "pkg/../../secret/y.py", ""] {
            assert!(ws.path_inside(outside).is_err(), "{outside}");
        }
    }
}
