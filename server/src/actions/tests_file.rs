//! Where generated tests go: `tests/test_<module>.py` when the project has a
//! `tests` folder, else `test_<module>.py` beside the module.

use std::path::{Path, PathBuf};

/// The test file for `file`, in the project rooted at `root`.
pub fn test_file_for(root: &Path, file: &Path) -> PathBuf {
    let stem = file.file_stem().map_or_else(|| "module".into(), |s| s.to_string_lossy());
    let name = format!("test_{stem}.py");
    let tests = root.join("tests");
    if tests.is_dir() { tests.join(name) } else { file.with_file_name(name) }
}

/// The dotted name to import `function` of `file` by, e.g. `shop.pricing.total`.
pub fn import_path(root: &Path, file: &Path, function: &str) -> String {
    match crate::graph::module_name(file, &crate::graph::source_roots(root)) {
        Some((module, _)) if !module.is_empty() => format!("{module}.{function}"),
        _ => function.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tests_folder_wins_over_beside_the_module() {
        let dir = tempfile::tempdir().unwrap();
        let module = dir.path().join("shop").join("pricing.py");
        assert_eq!(test_file_for(dir.path(), &module), dir.path().join("shop").join("test_pricing.py"));
        std::fs::create_dir(dir.path().join("tests")).unwrap();
        assert_eq!(test_file_for(dir.path(), &module), dir.path().join("tests").join("test_pricing.py"));
    }
}
