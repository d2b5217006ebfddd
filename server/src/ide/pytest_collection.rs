//! What pytest finds by name rather than by import: in a test module
//! (`test_*.py`, `*_test.py`) the `test…` functions and `Test…` classes
//! and the xunit-style `setup_module`/`teardown_module` functions; in a
//! `conftest.py` its `pytest_…` hooks. Moved to a module pytest does not
//! read that way, such code silently stops running.

use std::path::Path;

/// Whether pytest collects tests from the file at `path` by default.
pub(super) fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name.ends_with(".py") && (name.starts_with("test_") || name.ends_with("_test.py"))
}

/// What pytest does with the module-level `name` (a class when `class`)
/// of the file at `path` by its name alone, if anything.
fn run_by_name(path: &Path, name: &str, class: bool) -> Option<&'static str> {
    const XUNIT: [&str; 8] = ["setup_module", "teardown_module", "setup_function", "teardown_function", "setUpModule", "tearDownModule", "setup", "teardown"];
    let conftest = path.file_name().is_some_and(|n| n == "conftest.py");
    if conftest && name.starts_with("pytest_") {
        return Some("calls it as a hook of `conftest.py`");
    }
    if !is_test_file(path) {
        return None;
    }
    match class {
        true if name.starts_with("Test") => Some("collects it as a test class"),
        false if name.starts_with("test") => Some("collects it as a test"),
        false if XUNIT.contains(&name) => Some("calls it around the module's tests"),
        _ => None,
    }
}

/// Why moving `name` from `old` to `new` would stop pytest from running it
/// (`None`: it runs it the same way there, or not at all).
pub(super) fn lost_by_move(old: &Path, new: &Path, name: &str, class: bool, shown: &dyn Fn(&Path) -> String) -> Option<String> {
    let what = run_by_name(old, name, class)?;
    let kept = run_by_name(new, name, class).is_some() && (what.contains("hook") == new.file_name().is_some_and(|n| n == "conftest.py"));
    (!kept).then(|| format!("`{name}`: pytest {what} in {} by its name; in {} it would not, and it would silently stop running", shown(old), shown(new)))
}

#[cfg(test)]
#[path = "pytest_collection_tests.rs"]
mod tests;
