//! The project a file belongs to — its root folder, settings and graph —
//! decided one way for every CLI command and the server, so that
//! `shop/cart.py`, `./shop/cart.py` and `/abs/shop/cart.py` are the same
//! file of the same project.

use std::path::{Path, PathBuf};

use crate::graph::Graph;
use crate::index::IndexReport;
use crate::settings::{self, Settings};
use crate::store::Store;

/// Files whose folder is a project root.
pub const ROOT_MARKERS: [&str; 4] = ["pyproject.toml", "setup.py", "setup.cfg", ".git"];

/// `path` made absolute against the current folder and canonical; a clear
/// error when it does not exist.
pub fn canonical(path: &Path) -> Result<PathBuf, String> {
    let shown = if path.as_os_str().is_empty() { Path::new(".") } else { path };
    std::fs::canonicalize(shown).map_err(|e| format!("{}: {e}", shown.display()))
}

/// Whether the file at `path` is really under `root`: through its
/// symbolic links, which a file the workspace seems to hold may escape by
/// (`pkg/linked.py -> /elsewhere/secret.py`). No tool reads such a file as
/// the workspace's.
pub fn really_under(root: &Path, path: &Path) -> bool {
    match (std::fs::canonicalize(root), std::fs::canonicalize(path)) {
        (Ok(root), Ok(path)) => path.starts_with(root),
        _ => false,
    }
}

/// The project folder of `file`: the nearest ancestor holding a root
/// marker; else `fallback` (the CLI's current folder, the server's
/// workspace folder) when `file` is under it and it is not `/`, a folder
/// right under it (`/tmp`) or the home folder; else the file's own folder.
/// Without a marker the folder is moved out of any package it is in, so the
/// package's modules import by their full dotted names, and below any
/// folder whose name no import can spell (`my project`), which cannot be
/// a package.
pub fn project_root_within(file: &Path, fallback: Option<&Path>) -> PathBuf {
    let file = canonical(file).unwrap_or_else(|_| std::path::absolute(file).unwrap_or_else(|_| file.to_owned()));
    let folder = file.parent().unwrap_or(Path::new("/"));
    if let Some(marked) = folder.ancestors().find(|dir| ROOT_MARKERS.iter().any(|m| dir.join(m).exists())) {
        return marked.to_owned();
    }
    // `/`, `/tmp`, the home folder: a place to run from, not a project (every file under it indexed).
    let home = std::env::var_os("HOME").and_then(|h| canonical(Path::new(&h)).ok());
    let broad = |f: &PathBuf| f.components().count() <= 2 || home.as_ref() == Some(f);
    let fallback = fallback.and_then(|f| canonical(f).ok()).filter(|f| file.starts_with(f) && !broad(f));
    let mut root = fallback.unwrap_or_else(|| folder.to_owned());
    // A folder between the root and the file that no import can name (`my
    // project`, `src-old`) is no package: the root is that folder.
    let mut below = root.clone();
    for part in folder.strip_prefix(&root).map(|rest| rest.components().collect::<Vec<_>>()).unwrap_or_default() {
        below.push(part);
        let name = part.as_os_str().to_str().unwrap_or_default();
        if !ruff_python_stdlib::identifiers::is_identifier(name) || ruff_python_stdlib::keyword::is_keyword(name) {
            root = below.clone();
        }
    }
    while root.join("__init__.py").is_file() && root.pop() {}
    root
}

/// [`project_root_within`] the current folder: what every CLI command uses.
pub fn project_root(file: &Path) -> PathBuf {
    project_root_within(file, std::env::current_dir().ok().as_deref())
}

/// A file named on the command line: its canonical path and project root.
pub fn locate(file: &Path) -> Result<(PathBuf, PathBuf), String> {
    let file = canonical(file)?;
    Ok((project_root(&file), file))
}

/// Workspace settings of `root`, warnings printed to stderr.
pub fn workspace_settings(root: &Path) -> Settings {
    let (layers, mut warnings) = settings::workspace_layers(root);
    let resolved = settings::resolve(&layers);
    warnings.extend(resolved.warnings);
    for warning in warnings {
        eprintln!("pyloom: warning: {warning}");
    }
    resolved.settings
}

/// Indexes `root` with the workspace's settings and, unless `no_cache`, the
/// summary cache.
pub fn load_graph(root: &Path, settings: &Settings, no_cache: bool) -> Result<(Graph, IndexReport), String> {
    let store = if settings.index.cache && !no_cache {
        Store::open_for_workspace(&[root.to_owned()]).map_err(|e| eprintln!("pyloom: warning: summary cache disabled: {e}")).ok()
    } else {
        None
    };
    crate::index::index(&[root.to_owned()], settings, store.as_ref(), &|_, _| {})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "").unwrap();
    }

    #[test]
    fn the_nearest_marker_wins_else_the_fallback_else_the_folder_above_the_packages() {
        let dir = tempfile::tempdir().unwrap();
        let base = canonical(dir.path()).unwrap().join("my project");
        let file = base.join("shop/sub/cart.py");
        touch(&file);
        touch(&base.join("shop/__init__.py"));
        touch(&base.join("shop/sub/__init__.py"));
        // No marker: the fallback when the file is under it, out of the packages.
        assert_eq!(project_root_within(&file, Some(&base)), base);
        assert_eq!(project_root_within(&file, Some(&base.join("shop"))), base);
        assert_eq!(project_root_within(&file, None), base);
        // A fallback above a folder no import can name: that folder.
        assert_eq!(project_root_within(&file, Some(&canonical(dir.path()).unwrap())), base);
        // `/` is no project.
        assert_eq!(project_root_within(&file, Some(Path::new("/"))), base);
        // A fallback the file is not under does not count.
        assert_eq!(project_root_within(&file, Some(dir.path().join("elsewhere").as_path())), base);
        touch(&base.join("pyproject.toml"));
        assert_eq!(project_root_within(&file, None), base);
        touch(&base.join("shop/sub/setup.cfg"));
        assert_eq!(project_root_within(&file, Some(&base)), base.join("shop/sub"));
    }
}
