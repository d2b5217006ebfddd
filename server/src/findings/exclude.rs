//! ruff's `exclude`, `extend-exclude` and `force-exclude`: the files a
//! folder's walk leaves out, as ruff leaves them out.
//!
//! ruff matches each file and folder it walks into, by its absolute path
//! and by its name, against the patterns (`exclude`, else ruff's default
//! list, plus `extend-exclude` and `lint.exclude`), the patterns taken
//! relative to the configuration's folder. A path named on the command
//! line is checked all the same, unless `force-exclude` is set: then it is
//! matched too, with its folders up to the project's.

use std::path::Path;

use globset::GlobSetBuilder;
use ruff_linter::settings::types::{FilePattern, FilePatternSet, GlobPath};

/// ruff's default `exclude` (ruff_workspace's `EXCLUDE`, ruff 0.16).
const DEFAULT: &[&str] = &[
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pypackages__",
    "_build",
    "buck-out",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
];

/// The exclusions of one ruff configuration.
#[derive(Default)]
pub struct Exclusion {
    patterns: FilePatternSet,
    /// `force-exclude`: paths named explicitly are matched too.
    pub force: bool,
}

impl Exclusion {
    /// `exclude` (`None`: ruff's default list) and the extra patterns,
    /// relative to `project_root`; a pattern that is no glob is left out
    /// with a warning.
    pub fn new(exclude: Option<&[String]>, extend: &[String], force: bool, project_root: &Path, warnings: &mut Vec<String>) -> Exclusion {
        let user = |pattern: &String| FilePattern::User(pattern.clone(), GlobPath::normalize(pattern, project_root));
        let base: Vec<FilePattern> = match exclude {
            Some(patterns) => patterns.iter().map(user).collect(),
            None => DEFAULT.iter().map(|p| FilePattern::Builtin(p)).collect(),
        };
        let mut valid = Vec::new();
        for pattern in base.into_iter().chain(extend.iter().map(user)) {
            // Checked one by one: one bad pattern leaves the others working.
            match pattern.clone().add_to(&mut GlobSetBuilder::new()) {
                Ok(()) => valid.push(pattern),
                Err(e) => warnings.push(format!("exclude pattern {pattern} ignored: {e}")),
            }
        }
        let patterns = FilePatternSet::try_from_iter(valid).unwrap_or_default();
        Exclusion { patterns, force }
    }

    /// Whether `path` (a file or folder) matches, by its absolute path or
    /// its name.
    pub fn matches(&self, path: &Path) -> bool {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        self.patterns.is_match(&absolute) || absolute.file_name().is_some_and(|name| self.patterns.is_match(name))
    }
}
