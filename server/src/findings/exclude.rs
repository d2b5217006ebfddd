//! ruff's `exclude`, `extend-exclude` and `force-exclude`: the files a
//! folder's walk leaves out, as ruff leaves them out.
//!
//! ruff matches each file and folder it walks into, by its absolute path
//! and by its name, against the patterns (`exclude`, else ruff's default
//! list, plus `extend-exclude`), the patterns taken relative to the
//! configuration's folder. `lint.exclude` is matched against the files
//! alone, not the folders above them (ruff 0.16: `lint.exclude = ["sub"]`
//! still lints `sub/a.py`; `"sub/*"` does not). A path named on the command
//! line is checked all the same, unless `force-exclude` is set: then it is
//! matched too, with its folders up to the project's.
//!
//! ruff's server leaves an open file unlinted when it or a folder above it,
//! up to the project's, matches any of the three, `force-exclude` or not
//! ([`Exclusion::excludes_open`]).

use std::borrow::Cow;
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
    /// `lint.exclude`: files left unlinted.
    lint: FilePatternSet,
    /// `force-exclude`: paths named explicitly are matched too.
    pub force: bool,
}

impl Exclusion {
    /// `exclude` (`None`: ruff's default list), `extend-exclude` and
    /// `lint.exclude`, relative to `project_root`; a pattern that is no
    /// glob is left out with a warning.
    pub fn new(exclude: Option<&[String]>, extend: &[String], lint: &[String], force: bool, project_root: &Path, warnings: &mut Vec<String>) -> Exclusion {
        let user = |pattern: &String| FilePattern::User(pattern.clone(), GlobPath::normalize(pattern, project_root));
        let base: Vec<FilePattern> = match exclude {
            Some(patterns) => patterns.iter().map(user).collect(),
            None => DEFAULT.iter().map(|p| FilePattern::Builtin(p)).collect(),
        };
        let patterns = valid(base.into_iter().chain(extend.iter().map(user)), warnings);
        let lint = valid(lint.iter().map(user), warnings);
        Exclusion { patterns, lint, force }
    }

    /// Whether `path` (a file or folder) matches, by its absolute path or
    /// its name.
    pub fn matches(&self, path: &Path) -> bool {
        matched(&self.patterns, path)
    }

    /// Whether the file at `path` is left unlinted by `lint.exclude`, by its
    /// absolute path or its name (its folders are not matched).
    pub fn lint_excludes(&self, path: &Path) -> bool {
        matched(&self.lint, path)
    }

    /// Whether ruff's server leaves the open file at `path` unlinted: it
    /// or a folder above it, up to `project_root`, matches `exclude`,
    /// `extend-exclude` or `lint.exclude`.
    pub fn excludes_open(&self, path: &Path, project_root: &Path) -> bool {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        for at in absolute.ancestors().filter(|a| a.file_name().is_some()) {
            if self.matches(at) || matched(&self.lint, at) {
                return true;
            }
            if at == project_root {
                break;
            }
        }
        false
    }
}

fn matched(patterns: &FilePatternSet, path: &Path) -> bool {
    let absolute = if is_absolute_already(path) { Cow::Borrowed(path) } else { Cow::Owned(std::path::absolute(path).unwrap_or_else(|_| path.to_owned())) };
    patterns.is_match(&absolute) || absolute.file_name().is_some_and(|name| patterns.is_match(name))
}

/// Whether `path` is what [`std::path::absolute`] makes of it: a folder's
/// walk asks about every entry, each absolute already, and making it so
/// again (a new path, component by component) was a third of the walk.
#[cfg(unix)]
fn is_absolute_already(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    // `absolute` drops `.` components and repeated separators only.
    path.is_absolute() && !bytes.windows(2).any(|w| w == b"//") && !bytes.windows(3).any(|w| w == b"/./") && !bytes.ends_with(b"/.")
}

#[cfg(not(unix))]
fn is_absolute_already(_: &Path) -> bool {
    false
}

/// The patterns that are globs; the others are left out with a warning,
/// checked one by one so that one bad pattern leaves the others working.
fn valid(patterns: impl Iterator<Item = FilePattern>, warnings: &mut Vec<String>) -> FilePatternSet {
    let mut valid = Vec::new();
    for pattern in patterns {
        match pattern.clone().add_to(&mut GlobSetBuilder::new()) {
            Ok(()) => valid.push(pattern),
            Err(e) => warnings.push(format!("exclude pattern {pattern} ignored: {e}")),
        }
    }
    FilePatternSet::try_from_iter(valid).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_absolute_already_is_matched_as_it_is_and_any_other_made_absolute_first() {
        let normal = ["/p/venv", "/p/a/b.py", "/p/sub/", "/p/../venv", "/"];
        let not = ["p/venv", "/p/./venv", "/p//venv", "/p/venv/.", "//p/venv"];
        for path in normal {
            assert!(is_absolute_already(Path::new(path)), "{path}");
            assert_eq!(std::path::absolute(path).unwrap().as_os_str(), path, "what `absolute` makes of {path}");
        }
        for path in not {
            assert!(!is_absolute_already(Path::new(path)), "{path}");
        }
        // Either way the same answer.
        let mut warnings = Vec::new();
        let exclusion = Exclusion::new(Some(&["venv".to_owned(), "/p/docs".to_owned()]), &[], &[], false, Path::new("/p"), &mut warnings);
        for path in ["/p/venv", "/p/./venv", "/p//venv", "/p/docs", "/p/./docs", "/p/x/../docs"] {
            assert_eq!(exclusion.matches(Path::new(path)), path != "/p/x/../docs", "{path}");
        }
    }
}
