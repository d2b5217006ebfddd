//! The text files that the project's pytest runs as doctests: those whose
//! name matches a `--doctest-glob` of its configuration's `addopts`
//! (`pyproject.toml`, `pytest.ini`, `.pytest.ini`, `tox.ini`, `setup.cfg`), else
//! pytest's default `test*.txt`. Their `>>>` lines are code the graph
//! does not read: a refactoring that renames what one of them spells
//! refuses, naming the line, as it does for a doctest in a docstring.

use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::graph::Graph;

/// pytest's `--doctest-glob` when none is given.
const DEFAULT_GLOB: &str = "test*.txt";

/// A collected doctest file: its text, and its path as shown in a reason.
pub(super) struct DoctestFile {
    pub shown: String,
    pub text: String,
}

impl DoctestFile {
    /// The doctest code of the file (its `>>> `/`... ` lines, in order).
    pub fn code(&self) -> String {
        super::mentions::doctest_lines(&self.text).flat_map(|line| [line, "\n"]).collect()
    }

    /// The place (`docs/usage.md:4`) of the first doctest line that spells
    /// every one of `words` as a whole word.
    pub fn spelling(&self, words: &[&str]) -> Option<String> {
        self.line_where(|code| words.iter().all(|w| super::mentions::whole_word_ends(code, w).next().is_some()))
    }

    /// The place of the first doctest line that calls `name(…)`, else of
    /// the first that spells it.
    pub fn call(&self, name: &str) -> Option<String> {
        let calls = |code: &str| super::mentions::whole_word_ends(code, name).any(|end| code[end..].trim_start().starts_with('('));
        self.line_where(calls).or_else(|| self.spelling(&[name]))
    }

    fn line_where(&self, code_matches: impl Fn(&str) -> bool) -> Option<String> {
        let line = self.text.lines().position(|line| super::mentions::doctest_lines(line).next().is_some_and(&code_matches))?;
        Some(format!("{}:{}", self.shown, line + 1))
    }
}

/// The doctest files under `graph`'s roots, as the configuration in
/// each root names them.
pub(super) fn collected(graph: &Graph) -> Vec<DoctestFile> {
    let mut out = Vec::new();
    for root in graph.roots() {
        let Some(globs) = globs(root) else { continue };
        let walk = ignore::WalkBuilder::new(root).require_git(false).filter_entry(|entry| !crate::index::skipped_dir(entry)).build();
        for entry in walk.flatten() {
            let path = entry.path();
            let is_file = entry.file_type().is_some_and(|t| t.is_file());
            let relative = path.strip_prefix(root).unwrap_or(path);
            // A Python file is the graph's (`--doctest-modules` is its docstrings').
            if !is_file || path.extension().is_some_and(|e| e == "py" || e == "pyi") || !matches(&globs, relative) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(path) else { continue };
            out.push(DoctestFile { shown: relative.display().to_string(), text });
        }
    }
    out
}

/// The place of the first line of a doctest file of `graph` that spells
/// every one of `words`.
pub(super) fn spelling(graph: &Graph, words: &[&str]) -> Option<String> {
    collected(graph).iter().find_map(|file| file.spelling(words))
}

/// Whether the file at `relative` (to the configuration's folder) matches:
/// a glob without a `/` matches the file's name, as pytest's `fnmatch_ex`.
fn matches(globs: &(GlobSet, GlobSet), relative: &Path) -> bool {
    relative.file_name().is_some_and(|name| globs.0.is_match(name)) || globs.1.is_match(relative)
}

/// The `--doctest-glob` patterns configured in `root` (pytest's default
/// when there are none), split into those matched against a file's name
/// and those against its path.
fn globs(root: &Path) -> Option<(GlobSet, GlobSet)> {
    let mut patterns = Vec::new();
    // `.pytest.ini` is read as `pytest.ini` is (pytest 6.1 on; semver names its globs there).
    let ini = [("pytest.ini", "pytest"), (".pytest.ini", "pytest"), ("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")];
    for (name, section) in ini {
        if let Ok(text) = std::fs::read_to_string(root.join(name)) {
            patterns.extend(doctest_globs(&ini_addopts(&text, section)));
        }
    }
    if let Ok(text) = std::fs::read_to_string(root.join("pyproject.toml")) {
        patterns.extend(doctest_globs(&toml_addopts(&text)));
    }
    if patterns.is_empty() {
        patterns.push(DEFAULT_GLOB.to_owned());
    }
    let (mut names, mut paths) = (GlobSetBuilder::new(), GlobSetBuilder::new());
    for pattern in &patterns {
        let (set, pattern) =
            if pattern.contains('/') { (&mut paths, format!("**/{}", pattern.trim_start_matches("./"))) } else { (&mut names, pattern.clone()) };
        set.add(Glob::new(&pattern).ok()?);
    }
    Some((names.build().ok()?, paths.build().ok()?))
}

/// The patterns of `--doctest-glob=P` and `--doctest-glob P` in `addopts`.
fn doctest_globs(addopts: &str) -> Vec<String> {
    let words: Vec<&str> = addopts.split_whitespace().map(|w| w.trim_matches(['"', '\''])).collect();
    let mut out = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if let Some(pattern) = word.strip_prefix("--doctest-glob=") {
            out.push(pattern.trim_matches(['"', '\'']).to_owned());
        } else if *word == "--doctest-glob"
            && let Some(pattern) = words.get(i + 1)
        {
            out.push((*pattern).to_owned());
        }
    }
    out
}

/// `addopts` of `[tool.pytest.ini_options]` (or pytest 9's `[tool.pytest]`),
/// a string or a list of them.
fn toml_addopts(text: &str) -> String {
    let Ok(table) = text.parse::<toml::Table>() else { return String::new() };
    let pytest = table.get("tool").and_then(|t| t.get("pytest"));
    let mut out = String::new();
    for addopts in [pytest.and_then(|p| p.get("ini_options")).and_then(|o| o.get("addopts")), pytest.and_then(|p| p.get("addopts"))].into_iter().flatten() {
        match addopts {
            toml::Value::String(s) => out.push_str(s),
            toml::Value::Array(items) => items.iter().filter_map(toml::Value::as_str).for_each(|s| out.push_str(&format!(" {s}"))),
            _ => {}
        }
        out.push(' ');
    }
    out
}

/// `addopts` of the INI section `[section]`, with its continuation lines.
fn ini_addopts(text: &str, section: &str) -> String {
    let mut inside = false;
    let mut reading = false;
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            inside = trimmed == format!("[{section}]");
            reading = false;
            continue;
        }
        if !inside || trimmed.starts_with(['#', ';']) {
            continue;
        }
        if reading && line.starts_with([' ', '\t']) && !trimmed.is_empty() {
            out.push(' ');
            out.push_str(trimmed);
            continue;
        }
        reading = false;
        if let Some((key, value)) = trimmed.split_once(['=', ':'])
            && key.trim() == "addopts"
        {
            out.push_str(value.trim());
            reading = true;
        }
    }
    out
}

#[cfg(test)]
#[path = "doctest_files_tests.rs"]
mod tests;
