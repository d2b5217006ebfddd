//! Third-party code: the active virtualenv's site-packages, where names
//! the graph leaves external (`requests.get`) are looked up on demand.

use std::path::{Path, PathBuf};

use crate::environment;
use crate::graph::{FileSummary, Span};

/// The folders installed packages are imported from, in the order the
/// environment's interpreter searches them: site-packages, `.pth` folders
/// and editable installs' roots, not the standard library. The environment
/// is [`environment::discover`]'s for `configured` (the `index.venv`
/// setting) and the workspace `folders`; what went wrong is logged.
pub fn site_packages(configured: Option<&Path>, folders: &[PathBuf]) -> Vec<PathBuf> {
    let environment = environment::discover(None, configured, folders);
    for warning in &environment.warnings {
        tracing::debug!("environment: {warning}");
    }
    environment.libraries()
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
