//! Which rules and files a ruff configuration leaves out, as ruff does.

use std::path::Path;

use ruff_linter::registry::Rule;

use super::config::Config;
use super::exclude::Exclusion;
use crate::settings::LintSettings;

/// The configuration with `select` and no ruff configuration file, and its warnings.
fn selecting(select: &[&str]) -> (Config, Vec<String>) {
    let dir = std::env::temp_dir().join("pyloom-findings-no-config");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let lint = LintSettings { select: Some(select.iter().map(|s| (*s).to_owned()).collect()), ..LintSettings::default() };
    Config::load(&dir, &lint)
}

#[test]
fn all_leaves_out_the_docstring_rules_that_contradict_the_preferred_ones() {
    let (config, warnings) = selecting(&["ALL"]);
    let enabled = |rule| config.linter.rules.enabled(rule);
    assert_eq!(
        [Rule::BlankLineBeforeClass, Rule::IncorrectBlankLineBeforeClass, Rule::MultiLineSummaryFirstLine, Rule::MultiLineSummarySecondLine].map(enabled),
        [true, false, true, false]
    );
    assert!(warnings.iter().any(|w| w.contains("(D203) and `no-blank-line-before-class` (D211) are incompatible")), "{warnings:?}");
    // Selected without its rival, a rule stays.
    let (config, warnings) = selecting(&["D203", "D213"]);
    assert!(config.linter.rules.enabled(Rule::IncorrectBlankLineBeforeClass) && config.linter.rules.enabled(Rule::MultiLineSummarySecondLine));
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn exclude_patterns_match_a_path_from_the_project_or_a_name_anywhere() {
    let root = Path::new("/p");
    let mut warnings = Vec::new();
    let user = Exclusion::new(None, &["*.ipynb".to_owned(), "sub".to_owned(), "docs/build".to_owned()], &[], false, root, &mut warnings);
    let matched = |path: &str| user.matches(Path::new(path));
    assert!(matched("/p/nb.ipynb") && matched("/p/a/deep.ipynb"));
    assert!(matched("/p/sub") && matched("/p/a/sub"), "a bare name matches anywhere");
    assert!(matched("/p/docs/build") && !matched("/p/a/docs/build"), "a path is the project's");
    assert!(matched("/p/venv") && matched("/p/a/node_modules"), "ruff's default list stays under extend-exclude");
    assert!(!matched("/p/subway") && !matched("/p/mod.py") && !matched("/p/venvs"));
    // `exclude` replaces the default list.
    let replaced = Exclusion::new(Some(&["generated".to_owned()]), &[], &[], false, root, &mut warnings);
    assert!(replaced.matches(Path::new("/p/generated")) && !replaced.matches(Path::new("/p/venv")));
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn lint_exclude_matches_files_and_an_open_file_is_matched_with_its_folders() {
    let root = Path::new("/p");
    let mut warnings = Vec::new();
    let strings = |patterns: &[&str]| patterns.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>();
    let exclusion = Exclusion::new(None, &strings(&["gen"]), &strings(&["skip.py", "sub"]), false, root, &mut warnings);
    // `lint.exclude` is no folder to skip in a walk, and matches a file by its name.
    assert!(!exclusion.matches(Path::new("/p/sub")) && !exclusion.matches(Path::new("/p/skip.py")));
    assert!(exclusion.lint_excludes(Path::new("/p/skip.py")) && exclusion.lint_excludes(Path::new("/p/a/skip.py")));
    assert!(!exclusion.lint_excludes(Path::new("/p/sub/a.py")), "ruff matches lint.exclude against the file, not its folders");
    // Open in the editor, as ruff's server: the file or a folder above it, up to the project's.
    let open = |path: &str| exclusion.excludes_open(Path::new(path), root);
    assert!(open("/p/skip.py") && open("/p/gen/a.py") && open("/p/sub/a.py") && open("/p/x/venv/lib.py"));
    assert!(!open("/p/a.py") && !open("/p/subway/a.py") && !open("/p/a/skipped.py"));
    // Above the project's folder, nothing is matched.
    assert!(!exclusion.excludes_open(Path::new("/gen/p2/a.py"), Path::new("/gen/p2")));
    assert!(warnings.is_empty(), "{warnings:?}");
}
