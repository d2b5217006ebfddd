//! What a virtualenv's files say without its interpreter: its
//! `site-packages` folders, its `.pth` files, and the editable installs
//! that hook the import system.
//!
//! A `.pth` line naming a folder is on `sys.path` already when the
//! interpreter was asked; only a scanned venv needs [`pth_folders`]. A line
//! starting with `import` runs code instead; the modules it imports are
//! read ([`hooked_roots`]) for two known shapes:
//!
//! - setuptools (PEP 660, `__editable__.<dist>.pth` importing
//!   `__editable___<dist>_finder`): the `MAPPING = {'pkg': '/abs/src/pkg'}`
//!   and `NAMESPACES = {'ns': ['/abs/src/ns']}` literals;
//! - the `editables` library (hatchling, pdm-backend; `_<dist>.pth`
//!   importing `_editable_impl_<dist>`): its `F.map_module('pkg',
//!   '/abs/src/pkg/__init__.py')` calls.
//!
//! Each mapped package or module gives the folder it sits in, so that
//! `pkg` resolves from there. Not handled: a mapping that renames (`'pkg'`
//! to a folder named otherwise, which no folder on a path can express),
//! `editables`' "self-replacing" module (a `pkg.py` in site-packages that
//! loads the real file at import time: the stand-in file is what is found),
//! its sub-package redirection (`__path__ = [...]` in a stand-in
//! `__init__.py`), and other backends' hooks (scikit-build-core,
//! meson-python), which build on import.

use std::path::{Path, PathBuf};

use ruff_python_ast::{Expr, Stmt};

/// `lib/python*/site-packages` (and `lib64`), else `Lib/site-packages`, of
/// a virtualenv or conda folder.
pub(super) fn scan_site_packages(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for lib in [root.join("lib"), root.join("lib64")] {
        let Ok(entries) = std::fs::read_dir(&lib) else { continue };
        let mut sites: Vec<PathBuf> = entries
            .flatten()
            .filter(|entry| entry.file_name().to_string_lossy().starts_with("python"))
            .map(|entry| entry.path().join("site-packages"))
            .filter(|site| site.is_dir())
            .collect();
        sites.sort();
        found.extend(sites);
    }
    let windows = root.join("Lib").join("site-packages");
    if windows.is_dir() {
        found.push(windows);
    }
    // `lib64` is often a link to `lib`.
    let mut seen = Vec::new();
    found.retain(|site| {
        let resolved = super::canonical(site);
        let new = !seen.contains(&resolved);
        seen.push(resolved);
        new
    });
    found
}

/// The virtualenv's Python version: `version_info` or `version` in its
/// `pyvenv.cfg`, else the `lib/pythonX.Y` folder's name.
pub(super) fn venv_version(root: &Path) -> Option<(u32, u32)> {
    let parse = |text: &str| {
        let mut parts = text.trim().split('.');
        let major = parts.next()?.trim().parse().ok()?;
        let minor = parts.next()?.trim().parse().ok()?;
        Some((major, minor))
    };
    if let Ok(config) = std::fs::read_to_string(root.join("pyvenv.cfg")) {
        for line in config.lines() {
            let Some((key, value)) = line.split_once('=') else { continue };
            if matches!(key.trim(), "version_info" | "version")
                && let Some(version) = parse(value)
            {
                return Some(version);
            }
        }
    }
    let entries = std::fs::read_dir(root.join("lib")).ok()?;
    entries.flatten().find_map(|entry| parse(entry.file_name().to_str()?.strip_prefix("python")?))
}

/// The `.pth` files of a site-packages folder, in the order `site` reads
/// them, with their text.
fn pth_files(site: &Path) -> Vec<(PathBuf, String)> {
    let Ok(entries) = std::fs::read_dir(site) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "pth")).collect();
    files.sort();
    files.into_iter().filter_map(|file| Some((file.clone(), std::fs::read_to_string(&file).ok()?))).collect()
}

/// The folders `site`'s `.pth` files add to `sys.path`: each line that is
/// not a comment or an `import`, relative to `site`, when it exists.
pub(super) fn pth_folders(site: &Path) -> Vec<PathBuf> {
    let mut folders = Vec::new();
    for (_, text) in pth_files(site) {
        for line in text.lines() {
            let line = line.trim_end();
            if line.trim().is_empty() || line.starts_with('#') || line.starts_with("import ") || line.starts_with("import\t") {
                continue;
            }
            let folder = site.join(line);
            if folder.is_dir() && !folders.contains(&folder) {
                folders.push(folder);
            }
        }
    }
    folders
}

/// The folders the import hooks of `site`'s `.pth` files make packages
/// importable from (see the module's documentation).
pub(super) fn hooked_roots(site: &Path) -> Vec<PathBuf> {
    let mut roots = Vec::new();
    for (_, text) in pth_files(site) {
        for module in imported_modules(&text) {
            let Ok(source) = std::fs::read_to_string(site.join(format!("{module}.py"))) else { continue };
            for root in roots_in_module(&source) {
                if !roots.contains(&root) {
                    roots.push(root);
                }
            }
        }
    }
    roots
}

/// The top-level modules the `import` lines of a `.pth` file import
/// (`import a, b.c; a.install()` gives `a` and `b`).
fn imported_modules(pth: &str) -> Vec<String> {
    let mut modules = Vec::new();
    for line in pth.lines().filter(|l| l.starts_with("import ") || l.starts_with("import\t")) {
        for statement in line.split(';') {
            let Some(names) = statement.trim().strip_prefix("import") else { continue };
            for name in names.split(',') {
                let name = name.split_whitespace().next().unwrap_or("");
                let top = name.split('.').next().unwrap_or("");
                if !top.is_empty() && top.chars().all(|c| c.is_alphanumeric() || c == '_') && !modules.iter().any(|m| m == top) {
                    modules.push(top.to_owned());
                }
            }
        }
    }
    modules
}

/// The folders a finder module maps packages into: from setuptools'
/// `MAPPING` and `NAMESPACES` literals and `editables`' `map_module` calls.
pub(super) fn roots_in_module(source: &str) -> Vec<PathBuf> {
    let Ok(parsed) = ruff_python_parser::parse_module(source) else { return Vec::new() };
    let mut roots = Vec::new();
    let mut add = |name: &str, target: &str| {
        if let Some(root) = root_of(name, Path::new(target))
            && !roots.contains(&root)
        {
            roots.push(root);
        }
    };
    for statement in parsed.suite() {
        let (target, value) = match statement {
            Stmt::Assign(assign) if assign.targets.len() == 1 => (&assign.targets[0], &*assign.value),
            Stmt::AnnAssign(assign) => match &assign.value {
                Some(value) => (&*assign.target, &**value),
                None => continue,
            },
            Stmt::Expr(expression) => {
                // `F.map_module('pkg', '/abs/src/pkg/__init__.py')`
                if let Expr::Call(call) = &*expression.value
                    && let Expr::Attribute(function) = &*call.func
                    && function.attr.as_str() == "map_module"
                    && let [Expr::StringLiteral(name), Expr::StringLiteral(target)] = &*call.arguments.args
                {
                    add(name.value.to_str(), target.value.to_str());
                }
                continue;
            }
            _ => continue,
        };
        let (Expr::Name(target), Expr::Dict(dict)) = (target, value) else { continue };
        let namespaces = match target.id.as_str() {
            "MAPPING" => false,
            "NAMESPACES" => true,
            _ => continue,
        };
        for item in &dict.items {
            let Some(Expr::StringLiteral(name)) = &item.key else { continue };
            match &item.value {
                Expr::StringLiteral(target) if !namespaces => add(name.value.to_str(), target.value.to_str()),
                Expr::List(list) if namespaces => {
                    for element in &list.elts {
                        if let Expr::StringLiteral(target) = element {
                            add(name.value.to_str(), target.value.to_str());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    roots
}

/// The folder from which `name` (`pkg`, `ns.pkg`) is `target` (its folder,
/// its `__init__.py`, or its module file), if the names agree.
fn root_of(name: &str, target: &Path) -> Option<PathBuf> {
    if !target.is_absolute() {
        return None;
    }
    let mut path = target;
    if path.file_name().is_some_and(|f| f == "__init__.py" || f == "__init__.pyi") {
        path = path.parent()?;
    }
    for part in name.rsplit('.') {
        let file = path.file_name()?.to_str()?;
        let stem = file.strip_suffix(".py").or_else(|| file.strip_suffix(".pyi")).unwrap_or(file);
        if stem != part {
            return None;
        }
        path = path.parent()?;
    }
    Some(path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_setuptools_and_editables_finders() {
        let setuptools = "import sys\nMAPPING: dict[str, str] = {'pkg': '/abs/src/pkg', 'mod': '/abs/other/mod.py', 'renamed': '/abs/x/y', 'a.b': '/abs/deep/a/b'}\nNAMESPACES: dict[str, list[str]] = {'ns': ['/abs/nsroot/ns']}\nPATH_PLACEHOLDER = 'x' + '.__path_hook__'\n";
        assert_eq!(roots_in_module(setuptools), ["/abs/src", "/abs/other", "/abs/deep", "/abs/nsroot"].map(PathBuf::from).to_vec());
        let editables = "from editables.redirector import RedirectingFinder as F\nF.install()\nF.map_module('pkg', '/abs/hatch/pkg/__init__.py')\nF.map_module('single', '/abs/single/single.py')";
        assert_eq!(roots_in_module(editables), ["/abs/hatch", "/abs/single"].map(PathBuf::from).to_vec());
        assert_eq!(roots_in_module("MAPPING = {"), Vec::<PathBuf>::new());
    }

    #[test]
    fn pth_import_lines_name_their_modules() {
        assert_eq!(imported_modules("import __editable___pkg_1_0_finder; __editable___pkg_1_0_finder.install()\n"), ["__editable___pkg_1_0_finder"]);
        assert_eq!(imported_modules("/some/path\nimport _editable_impl_pkg\n# import nothing\n"), ["_editable_impl_pkg"]);
        assert_eq!(imported_modules("import a.b, c\n"), ["a", "c"]);
    }
}
