//! Third-party code: the active virtualenv's site-packages, where names
//! the graph leaves external (`requests.get`) are looked up on demand.

use std::path::{Path, PathBuf};

use crate::graph::{FileSummary, Span};

/// The site-packages folders of the virtualenv: `configured` (the
/// `index.venv` setting), else `$VIRTUAL_ENV`, else `.venv` in a folder.
pub fn site_packages(configured: Option<&Path>, folders: &[PathBuf]) -> Vec<PathBuf> {
    let venv = configured
        .map(Path::to_owned)
        .or_else(|| std::env::var_os("VIRTUAL_ENV").map(PathBuf::from))
        .or_else(|| folders.iter().map(|f| f.join(".venv")).find(|v| v.join("pyvenv.cfg").is_file()));
    let Some(venv) = venv else { return Vec::new() };
    let mut found = Vec::new();
    // Unix: lib/pythonX.Y/site-packages; Windows: Lib/site-packages.
    for lib in [venv.join("lib"), venv.join("lib64")] {
        let Ok(entries) = std::fs::read_dir(&lib) else { continue };
        for entry in entries.flatten() {
            let site = entry.path().join("site-packages");
            if entry.file_name().to_string_lossy().starts_with("python") && site.is_dir() {
                found.push(site);
            }
        }
    }
    let windows = venv.join("Lib").join("site-packages");
    if windows.is_dir() {
        found.push(windows);
    }
    found.sort();
    found.dedup();
    found
}

/// Where a dotted path (`pkg.mod.name`) is defined in `sites`: the file of
/// its longest module prefix, and the span of the top-level definition of
/// the rest (empty for the module itself).
pub fn locate(sites: &[PathBuf], dotted: &str) -> Option<(PathBuf, Span)> {
    let parts: Vec<&str> = dotted.split('.').collect();
    for split in (1..=parts.len()).rev() {
        let module = parts[..split].join("/");
        for site in sites {
            let candidates = [
                site.join(format!("{module}.py")),
                site.join(&module).join("__init__.py"),
                site.join(format!("{module}.pyi")),
                site.join(&module).join("__init__.pyi"),
            ];
            let Some(file) = candidates.into_iter().find(|c| c.is_file()) else { continue };
            let rest = &parts[split..];
            if rest.is_empty() {
                return Some((file, Span::default()));
            }
            let text = std::fs::read_to_string(&file).ok()?;
            let summary = FileSummary::extract(&text);
            let def = summary.definitions.iter().find(|d| d.scope == 0 && d.name == rest[0])?;
            return Some((file, def.name_range));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_venv_and_the_definition_of_a_dotted_path() {
        let dir = std::env::temp_dir().join(format!("pyloom-site-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let site = dir.join(".venv/lib/python3.12/site-packages");
        std::fs::create_dir_all(site.join("requests")).unwrap();
        std::fs::write(dir.join(".venv/pyvenv.cfg"), "home = /usr\n").unwrap();
        std::fs::write(site.join("requests/__init__.py"), "from .api import get\n").unwrap();
        std::fs::write(site.join("requests/api.py"), "def get(url):\n    pass\n").unwrap();
        let sites = site_packages(None, std::slice::from_ref(&dir));
        assert_eq!(sites, std::slice::from_ref(&site));
        assert_eq!(locate(&sites, "requests.api.get"), Some((site.join("requests/api.py"), Span::new(4, 7))));
        assert_eq!(locate(&sites, "requests"), Some((site.join("requests/__init__.py"), Span::default())));
        assert_eq!(locate(&sites, "numpy.array"), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
