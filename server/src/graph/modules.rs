//! Module names: from file paths under source roots, and of relative imports.

use std::path::{Path, PathBuf};

/// The source roots of a workspace folder: the folder itself, and `src/`
/// when it exists (the "src layout").
pub fn source_roots(folder: &Path) -> Vec<PathBuf> {
    let mut roots = vec![folder.to_owned()];
    let src = folder.join("src");
    if src.is_dir() {
        roots.push(src);
    }
    roots
}

/// The dotted module name of `path` under the deepest root containing it,
/// and whether it is a package (`__init__`). Folders without `__init__.py`
/// still name modules (namespace packages).
pub fn module_name(path: &Path, roots: &[PathBuf]) -> Option<(String, bool)> {
    let root = roots.iter().filter(|r| path.starts_with(r)).max_by_key(|r| r.components().count())?;
    let relative = path.strip_prefix(root).ok()?;
    let mut parts: Vec<&str> = relative.iter().map(|c| c.to_str()).collect::<Option<_>>()?;
    let file = parts.pop()?;
    let stem = match file.strip_suffix(".ipynb") {
        // A notebook is no module anyone imports: its name is one no
        // import statement can spell, so `import analysis` never finds
        // `analysis.ipynb` beside `analysis.py`.
        Some(notebook) => &format!("{notebook}[ipynb]"),
        None => file.strip_suffix(".pyi").or_else(|| file.strip_suffix(".py"))?,
    };
    let is_package = stem == "__init__";
    if !is_package {
        parts.push(stem);
    }
    Some((parts.join("."), is_package))
}

/// The absolute module of `from <dots><module> import ...` written in
/// `current` (a package's `__init__` is its own package). `None` when the
/// dots climb above the top level.
pub fn absolute_module(current: &str, is_package: bool, level: u32, module: Option<&str>) -> Option<String> {
    if level == 0 {
        return module.map(str::to_owned);
    }
    let mut package: Vec<&str> = if current.is_empty() { Vec::new() } else { current.split('.').collect() };
    let climb = if is_package { level - 1 } else { level };
    for _ in 0..climb {
        package.pop()?;
    }
    if let Some(module) = module {
        package.push(module);
    }
    let joined = package.join(".");
    (!joined.is_empty()).then_some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_modules_under_the_deepest_root() {
        let roots = vec![PathBuf::from("/w"), PathBuf::from("/w/src")];
        let name = |p: &str| module_name(Path::new(p), &roots);
        assert_eq!(name("/w/src/pkg/mod.py"), Some(("pkg.mod".to_owned(), false)));
        assert_eq!(name("/w/pkg/__init__.py"), Some(("pkg".to_owned(), true)));
        assert_eq!(name("/w/ns/deep/m.pyi"), Some(("ns.deep.m".to_owned(), false)));
        assert_eq!(name("/elsewhere/m.py"), None);
        assert_eq!(name("/w/pkg/analysis.ipynb"), Some(("pkg.analysis[ipynb]".to_owned(), false)));
    }

    #[test]
    fn resolves_relative_imports() {
        assert_eq!(absolute_module("a.b.c", false, 1, Some("d")), Some("a.b.d".into()));
        assert_eq!(absolute_module("a.b", true, 1, Some("d")), Some("a.b.d".into()));
        assert_eq!(absolute_module("a.b.c", false, 2, None), Some("a".into()));
        assert_eq!(absolute_module("a", false, 2, None), None);
        assert_eq!(absolute_module("x", false, 0, Some("os.path")), Some("os.path".into()));
    }
}
