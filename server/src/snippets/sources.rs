//! Which workspace files a snippet run may read: the file under test, the
//! workspace modules it imports (transitively), their packages' `__init__.py`
//! and, for pytest, the `conftest.py` files above it. Nothing else of the
//! workspace (no `.env`, no secrets) is mounted into the sandbox.

use std::collections::{HashSet, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};

use ruff_python_ast::{PySourceType, Stmt};

/// Stop following imports past this many files; a snippet needing more is
/// better served by a real test run.
const MAX_FILES: usize = 500;

/// The directory imports are resolved against: the file's project root
/// (see [`crate::project::project_root`]), its `src/` when the file lives
/// there.
pub fn import_root(file: &Path) -> PathBuf {
    let project = crate::project::project_root(file);
    let src = project.join("src");
    if file.starts_with(&src) { src } else { project }
}

/// The dotted module name of `file` under `root` (`pkg/mod.py` → `pkg.mod`).
pub fn module_name(root: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(root).ok()?.with_extension("");
    let mut parts: Vec<&str> = relative.iter().map(|part| part.to_str()).collect::<Option<_>>()?;
    if parts.last() == Some(&"__init__") {
        parts.pop();
    }
    (!parts.is_empty()).then(|| parts.join("."))
}

/// Workspace files (relative to `root`) the run of `file` needs, `file`
/// first. `source` is the buffer text of `file`, which may be unsaved.
pub fn needed_sources(root: &Path, file: &Path, source: &str) -> Vec<PathBuf> {
    let Ok(start) = file.strip_prefix(root) else { return Vec::new() };
    let mut needed = vec![start.to_path_buf()];
    let mut seen: HashSet<PathBuf> = needed.iter().cloned().collect();
    let mut queue = VecDeque::from([(start.to_path_buf(), source.to_owned())]);
    let mut add = |relative: PathBuf, needed: &mut Vec<PathBuf>, queue: &mut VecDeque<(PathBuf, String)>| {
        if needed.len() < MAX_FILES
            && seen.insert(relative.clone())
            && crate::project::really_under(root, &root.join(&relative))
            && let Ok(text) = fs::read_to_string(root.join(&relative))
        {
            needed.push(relative.clone());
            queue.push_back((relative, text));
        }
    };
    for dir in start.ancestors().skip(1) {
        for name in ["__init__.py", "conftest.py"] {
            let candidate = dir.join(name);
            if root.join(&candidate).is_file() {
                add(candidate, &mut needed, &mut queue);
            }
        }
    }
    while let Some((relative, text)) = queue.pop_front() {
        for module in imported_modules(&relative, &text) {
            for candidate in resolve(root, &module) {
                add(candidate, &mut needed, &mut queue);
            }
        }
    }
    needed
}

/// Dotted names `text` imports, relative imports made absolute. For
/// `from a import b` both `a` and `a.b` are listed (`b` may be a module).
/// Imports in doctest examples count too (`>>> from pkg import mod`).
fn imported_modules(relative: &Path, text: &str) -> Vec<String> {
    let mut names = imports_in(relative, text);
    let examples = doctest_code(text);
    if !examples.is_empty() {
        names.extend(imports_in(relative, &examples));
    }
    names
}

/// The code of the doctest examples in `text` (`>>> ` and `... ` lines),
/// one statement per line; continuation lines keep their indentation.
fn doctest_code(text: &str) -> String {
    let mut code = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(statement) = trimmed.strip_prefix(">>> ").or_else(|| trimmed.strip_prefix("... ")) {
            code.push_str(statement);
            code.push('\n');
        }
    }
    code
}

fn imports_in(relative: &Path, text: &str) -> Vec<String> {
    let parsed = ruff_python_parser::parse_unchecked_source(text, PySourceType::Python);
    let module = parsed.syntax();
    let package: Vec<String> = relative.parent().map(|dir| dir.iter().filter_map(|part| part.to_str().map(str::to_owned)).collect()).unwrap_or_default();
    let mut names = Vec::new();
    let visit = |stmts: &[Stmt], names: &mut Vec<String>| {
        for stmt in stmts {
            match stmt {
                Stmt::Import(import) => names.extend(import.names.iter().map(|alias| alias.name.id.to_string())),
                Stmt::ImportFrom(import) => {
                    let level = usize::try_from(import.level).unwrap_or(usize::MAX);
                    let base = if level == 0 {
                        Vec::new()
                    } else if level - 1 <= package.len() {
                        package[..package.len() - (level - 1)].to_vec()
                    } else {
                        continue;
                    };
                    let mut from = base;
                    if let Some(module) = &import.module {
                        from.extend(module.id.as_str().split('.').map(str::to_owned));
                    }
                    if !from.is_empty() {
                        names.push(from.join("."));
                    }
                    for alias in &import.names {
                        names.push(from.iter().cloned().chain([alias.name.id.to_string()]).collect::<Vec<_>>().join("."));
                    }
                }
                _ => {}
            }
        }
    };
    visit(&module.body, &mut names);
    // Imports inside functions and `if TYPE_CHECKING:` blocks count too.
    for stmt in &module.body {
        match stmt {
            Stmt::FunctionDef(function) => visit(&function.body, &mut names),
            Stmt::If(branch) => visit(&branch.body, &mut names),
            Stmt::Try(block) => visit(&block.body, &mut names),
            _ => {}
        }
    }
    names
}

/// Workspace files that importing `module` executes: every package
/// `__init__.py` on the way and the module itself.
fn resolve(root: &Path, module: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dir = PathBuf::new();
    let parts: Vec<&str> = module.split('.').collect();
    for (index, part) in parts.iter().enumerate() {
        let last = index + 1 == parts.len();
        let package = dir.join(part);
        let init = package.join("__init__.py");
        if root.join(&init).is_file() {
            files.push(init);
        } else if last && root.join(package.with_extension("py")).is_file() {
            files.push(package.with_extension("py"));
        } else if !root.join(&package).is_dir() {
            break;
        }
        dir = package;
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_workspace_imports_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "pkg/__init__.py", "from .core import value\n");
        write(root, "pkg/core.py", "import json\nfrom . import util\n");
        write(root, "pkg/util.py", "X = 1\n");
        write(root, "other.py", "SECRET = 1\n");
        write(root, ".env", "API_KEY=sk-1\n");
        write(root, "tests/conftest.py", "");
        write(root, "pkg/docs.py", "");
        let test = "import pkg\nfrom pkg.core import util\n\ndef f():\n    \"\"\"\n    >>> from pkg import docs\n    \"\"\"\n";
        write(root, "tests/test_pkg.py", test);
        let mut found = needed_sources(root, &root.join("tests/test_pkg.py"), test);
        found.sort();
        let names: Vec<String> = found.iter().map(|path| path.display().to_string()).collect();
        assert_eq!(names, ["pkg/__init__.py", "pkg/core.py", "pkg/docs.py", "pkg/util.py", "tests/conftest.py", "tests/test_pkg.py"]);
        assert_eq!(module_name(root, &root.join("tests/test_pkg.py")).as_deref(), Some("tests.test_pkg"));
        assert_eq!(module_name(root, &root.join("pkg/__init__.py")).as_deref(), Some("pkg"));
    }

    #[test]
    fn a_link_out_of_the_workspace_is_not_staged() {
        let dir = tempfile::tempdir().unwrap();
        let (root, outside) = (dir.path().join("ws"), dir.path().join("outside"));
        write(&outside, "secret.py", "SECRET = 1\n");
        write(&root, "pkg/__init__.py", "");
        std::os::unix::fs::symlink(outside.join("secret.py"), root.join("pkg/linked.py")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("pkg/outdir")).unwrap();
        let test = "from pkg.linked import SECRET\nfrom pkg.outdir.secret import SECRET\n";
        write(&root, "test_leak.py", test);
        let found = needed_sources(&root, &root.join("test_leak.py"), test);
        let names: Vec<String> = found.iter().map(|path| path.display().to_string()).collect();
        assert_eq!(names, ["test_leak.py", "pkg/__init__.py"]);
    }

    fn write(root: &Path, relative: &str, text: &str) {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}
