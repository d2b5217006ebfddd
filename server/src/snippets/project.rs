//! The tests of whole folders: files discovered like pytest does, run in
//! parallel, results in discovery order. Files go in batches, up to one
//! per worker and import root (see `batch`); notebooks each run in a fresh
//! interpreter.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use ruff_text_size::TextRange;

use super::batch::Batched;
use super::{Keywords, Snippet, SnippetKind, SnippetRunner, TestResult, discover, discover_in_cells, select};
use crate::notebook::Notebook;
use crate::settings::Settings;

/// One file's selected tests and the text they were found in.
#[derive(Debug, Clone)]
pub struct FileTests {
    pub file: PathBuf,
    pub source: String,
    pub selected: Vec<Snippet>,
}

/// The tests at `targets` (files, `FILE` with a line, or folders), kept by
/// `keywords` when given. Folders are walked like the index walks them
/// (`.gitignore`, `index.exclude`, no virtualenvs or build outputs); in
/// them pytest's test files (`test_*.py`, `*_test.py`) give all their
/// tests and other modules their doctests (`--doctest-modules`).
/// `conftest.py` and `setup.py` are never collected. Files without a
/// selected test are left out.
///
/// A notebook that is not one (truncated JSON while it is saved, a merge
/// conflict) is an `error` result of its own, as a `.py` file that does
/// not parse is: the other files' tests still run.
pub fn collect(targets: &[(PathBuf, Option<usize>)], settings: &Settings, keywords: Option<&Keywords>) -> Result<(Vec<FileTests>, Vec<TestResult>)> {
    let mut found = Vec::new();
    let mut unreadable = Vec::new();
    let mut notebook_code = |path: &Path| match notebook_code(path) {
        Ok(source) => source,
        Err(error) => {
            unreadable.push(unreadable_notebook(path, format!("{error:#}")));
            None
        }
    };
    for (target, line) in targets {
        if target.is_dir() {
            let (files, notebooks) = crate::index::discover_with_notebooks(std::slice::from_ref(target), settings).map_err(anyhow::Error::msg)?;
            for file in files.into_iter().filter(|file| file.extension().is_some_and(|e| e == "py")) {
                let name = file_name(&file);
                if matches!(name, "conftest.py" | "setup.py") {
                    continue;
                }
                let Ok(source) = std::fs::read_to_string(&file) else {
                    tracing::warn!("skipping {}: not readable as UTF-8", file.display());
                    continue;
                };
                let test_file = name.starts_with("test_") || name.ends_with("_test.py");
                let selected = in_folder(discover(&source), test_file);
                found.push(FileTests { file, source, selected });
            }
            // A notebook in a folder: its doctests, and its test functions
            // when its name says it holds tests.
            for notebook in notebooks {
                let Some((source, cells)) = notebook_code(&notebook) else { continue };
                let name = file_name(&notebook);
                let selected = in_folder(discover_in_cells(&source, &cells), name.starts_with("test_") || name.ends_with("_test.ipynb"));
                found.push(FileTests { file: notebook, source, selected });
            }
        } else if Notebook::is_notebook(target) {
            // The line, of the joined cells, is the one a user named in a
            // cell (`nb.ipynb:cell 4:2`, see `cli::parse_target`).
            let Some((source, cells)) = notebook_code(target) else { continue };
            let selected = select(&discover_in_cells(&source, &cells), *line);
            found.push(FileTests { file: target.clone(), source, selected });
        } else {
            let source = std::fs::read_to_string(target).with_context(|| format!("reading {}", target.display()))?;
            let selected = select(&discover(&source), *line);
            found.push(FileTests { file: target.clone(), source, selected });
        }
    }
    for tests in &mut found {
        if let Some(keywords) = keywords {
            let name = file_name(&tests.file).to_owned();
            tests.selected.retain(|snippet| {
                let names: Vec<&str> = std::iter::once(name.as_str()).chain(snippet.name.split('.')).collect();
                keywords.matches(&names)
            });
        }
    }
    found.retain(|tests| !tests.selected.is_empty());
    Ok((found, unreadable))
}

/// The `error` result of a notebook that could not be read as one.
fn unreadable_notebook(path: &Path, message: String) -> TestResult {
    TestResult {
        name: "<notebook>".to_owned(),
        kind: SnippetKind::Function,
        file: path.to_owned(),
        line: 1,
        status: super::Status::Error,
        duration_ms: 0.0,
        message,
        failure_line: None,
        cell: None,
        failure_cell: None,
    }
}

/// The tests of a file found in a folder, of the snippets `found` in it:
/// its doctests, and the rest too when it is a test file (as pytest
/// collects them).
fn in_folder(found: Vec<Snippet>, test_file: bool) -> Vec<Snippet> {
    found.into_iter().filter(|snippet| test_file || snippet.kind == SnippetKind::Doctest).collect()
}

/// A notebook's Python cells joined and each one's range in them, or
/// `None` for a notebook of another language.
fn notebook_code(path: &Path) -> Result<Option<(String, Vec<TextRange>)>> {
    let notebook = Notebook::read(path).map_err(anyhow::Error::msg)?;
    Ok(notebook.is_python().then(|| (notebook.source().to_owned(), notebook.cell_ranges())))
}

fn file_name(path: &Path) -> &str {
    path.file_name().and_then(|name| name.to_str()).unwrap_or_default()
}

/// What a worker takes from the queue: files (indexes into the run's
/// files) run in one interpreter when there are several.
type Work = Vec<usize>;

/// The run's work: the files grouped by import root, each group split in
/// up to `workers` batches of at least two files (see `balance`), largest
/// first. Notebooks run alone (their cells run as `__main__`), as does
/// every file when `batches` is off.
fn plan(files: &[FileTests], workers: usize, batches: bool) -> Vec<Work> {
    let mut groups: Vec<(PathBuf, Work)> = Vec::new();
    let mut alone = Vec::new();
    for (index, tests) in files.iter().enumerate() {
        let root = (batches && !Notebook::is_notebook(&tests.file)).then(|| super::absolute(&tests.file).ok()).flatten().map(|file| super::import_root(&file));
        match root {
            Some(root) => match groups.iter_mut().find(|(known, _)| *known == root) {
                Some((_, group)) => group.push(index),
                None => groups.push((root, vec![index])),
            },
            None => alone.push(vec![index]),
        }
    }
    let mut work: Vec<Work> = Vec::new();
    for (_, group) in groups {
        let batches = workers.clamp(1, group.len().div_ceil(2).max(1));
        work.extend(balance(files, &group, batches));
    }
    work.sort_by_key(|batch| std::cmp::Reverse(cost(files, batch)));
    work.extend(alone);
    work
}

/// What starting a pytest session costs a batch, in tests: about 0.6 s
/// under wasm, where a test takes a few milliseconds (measured on
/// `bench/sandbox/folder.py`'s folder; see bench/sandbox/README.md).
const SESSION_COST: usize = 100;

fn has_pytest(tests: &FileTests) -> bool {
    tests.selected.iter().any(|snippet| snippet.kind == SnippetKind::Pytest)
}

/// What running `batch` is expected to cost: its tests, and one pytest
/// session when any of its files has pytest tests.
fn cost(files: &[FileTests], batch: &[usize]) -> usize {
    let tests: usize = batch.iter().map(|&index| files[index].selected.len()).sum();
    tests + if batch.iter().any(|&index| has_pytest(&files[index])) { SESSION_COST } else { 0 }
}

/// `group` split in `batches` batches of about the same cost, each in
/// discovery order. The pytest session is what costs most, so the split
/// tried for each number of batches holding pytest files (pytest files
/// spread over those, then the others over all, largest first onto the
/// cheapest batch) is the one whose costliest batch costs least: one
/// worker may run every pytest file while the others run the rest.
fn balance(files: &[FileTests], group: &[usize], batches: usize) -> Vec<Work> {
    let (pytest, others): (Work, Work) = group.iter().partition(|&&index| has_pytest(&files[index]));
    let by_size = |mut indexes: Work| {
        indexes.sort_by_key(|&index| std::cmp::Reverse(files[index].selected.len()));
        indexes
    };
    let (pytest, others) = (by_size(pytest), by_size(others));
    let sessions = if pytest.is_empty() { 0..=0 } else { 1..=batches.min(pytest.len()) };
    let mut best: Option<(usize, Vec<Work>)> = None;
    for sessions in sessions {
        let mut split: Vec<Work> = vec![Vec::new(); batches];
        let mut costs = vec![0; batches];
        let mut in_session = vec![false; batches];
        let placed = pytest.iter().map(|&index| (index, sessions, true)).chain(others.iter().map(|&index| (index, batches, false)));
        for (index, within, pytest) in placed {
            let cheapest = (0..within).min_by_key(|&at| costs[at]).unwrap_or_default();
            let session = if pytest && !in_session[cheapest] { SESSION_COST } else { 0 };
            in_session[cheapest] |= pytest;
            costs[cheapest] += files[index].selected.len() + session;
            split[cheapest].push(index);
        }
        let worst = costs.iter().copied().max().unwrap_or_default();
        if best.as_ref().is_none_or(|(known, _)| worst < *known) {
            best = Some((worst, split));
        }
    }
    let mut split = best.map(|(_, split)| split).unwrap_or_default();
    split.retain(|batch| !batch.is_empty());
    for batch in &mut split {
        batch.sort_unstable();
    }
    split
}

/// Runs every file's tests on `parallel` workers; `progress` hears about
/// each file as it finishes (its index in `files`). The results come back
/// in the order of `files`; a file that could not be run (host-side
/// failure) gets its error.
///
/// A worker runs a batch in one interpreter, then alone, each in a fresh
/// interpreter, its files the batch could not vouch for, then those it had
/// not reached in a new batch (a batch that ends early always leaves one
/// file out of the next: the one it was running); any file that is work of
/// its own runs alone.
pub async fn run_files(
    runner: Arc<SnippetRunner>,
    files: &[FileTests],
    parallel: usize,
    mut progress: impl FnMut(usize, &Result<Vec<TestResult>>),
) -> Vec<Result<Vec<TestResult>>> {
    let shared: Arc<Vec<FileTests>> = Arc::new(files.to_vec());
    let queue = Arc::new(Mutex::new(plan(files, parallel.max(1), runner.batches).into_iter().collect::<VecDeque<Work>>()));
    let (done, mut finished) = tokio::sync::mpsc::unbounded_channel();
    // Dropped (the run cancelled), the set stops every worker.
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..parallel.max(1).min(files.len()) {
        let (runner, files, queue, done) = (runner.clone(), shared.clone(), queue.clone(), done.clone());
        workers.spawn(async move {
            loop {
                let Some(work) = queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop_front() else { break };
                let mut batch = work;
                while !batch.is_empty() {
                    let said = match batch.as_slice() {
                        [_] => vec![Batched::Alone],
                        _ => match runner.run_batch(&batch.iter().map(|&index| &files[index]).collect::<Vec<_>>()).await {
                            Ok(said) => said,
                            Err(error) => {
                                tracing::warn!("a batch could not run, its files run alone: {error:#}");
                                batch.iter().map(|_| Batched::Alone).collect()
                            }
                        },
                    };
                    let mut not_reached = Vec::new();
                    for (&index, said) in batch.iter().zip(said) {
                        let result = match said {
                            Batched::Reported(results) => Ok(results),
                            Batched::Alone => {
                                let tests = &files[index];
                                runner.run_selected(&tests.file, &tests.source, &tests.selected).await
                            }
                            Batched::NotReached => {
                                not_reached.push(index);
                                continue;
                            }
                        };
                        if done.send((index, result)).is_err() {
                            return;
                        }
                    }
                    batch = not_reached;
                }
            }
        });
    }
    drop(done);
    let mut results: Vec<Option<Result<Vec<TestResult>>>> = files.iter().map(|_| None).collect();
    while let Some((index, result)) = finished.recv().await {
        progress(index, &result);
        results[index] = Some(result);
    }
    while let Some(joined) = workers.join_next().await {
        // A panicking run is a host failure of the file it was running.
        if let Err(error) = joined {
            tracing::error!("a snippet run failed: {error}");
        }
    }
    results.into_iter().map(|result| result.unwrap_or_else(|| Err(anyhow::anyhow!("the run of this file failed")))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_collected_like_pytest_with_doctest_modules() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |relative: &str, text: &str| {
            let path = root.join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let doctest = "def f():\n    '''\n    >>> 1\n    1\n    '''\n";
        write("pkg/mod.py", &format!("{doctest}\ndef test_not_collected():\n    pass\n"));
        write("tests/test_a.py", "def test_one():\n    pass\n\ndef test_two():\n    pass\n");
        write("tests/b_test.py", "def test_three():\n    pass\n");
        write("tests/conftest.py", doctest);
        write("setup.py", doctest);
        write("ignored/test_c.py", "def test_four():\n    pass\n");
        write(".gitignore", "ignored/\n");
        write(".venv/pyvenv.cfg", "");
        write(".venv/lib/test_d.py", "def test_five():\n    pass\n");
        let settings = Settings::default();
        let render = |found: Vec<FileTests>| -> Vec<String> {
            found
                .iter()
                .flat_map(|tests| {
                    let file = tests.file.strip_prefix(root).unwrap().display().to_string();
                    tests.selected.iter().map(move |snippet| format!("{file}::{}", snippet.name))
                })
                .collect()
        };
        let all = collect(&[(root.to_path_buf(), None)], &settings, None).unwrap().0;
        assert_eq!(render(all), ["pkg/mod.py::f", "tests/b_test.py::test_three", "tests/test_a.py::test_one", "tests/test_a.py::test_two"]);
        let keywords = Keywords::parse("test_a and not two").unwrap();
        let some = collect(&[(root.to_path_buf(), None)], &settings, Some(&keywords)).unwrap().0;
        assert_eq!(render(some), ["tests/test_a.py::test_one"]);
        let one = collect(&[(root.join("tests/test_a.py"), Some(4))], &settings, None).unwrap().0;
        assert_eq!(render(one), ["tests/test_a.py::test_two"]);
        // A broken notebook is an error of its own; the other files are collected.
        std::fs::write(root.join("tests/test_broken.ipynb"), "{\"cells\": [").unwrap();
        let (rest, broken) = collect(&[(root.to_path_buf(), None)], &settings, None).unwrap();
        assert_eq!(render(rest).len(), 4);
        let broken: Vec<String> = broken
            .iter()
            .map(|r| format!("{} {:?} {}", r.file.strip_prefix(root).unwrap().display(), r.status, r.message.contains("not a Jupyter notebook")))
            .collect();
        assert_eq!(broken, ["tests/test_broken.ipynb Error true"]);
    }

    #[test]
    fn a_line_of_a_notebook_selects_the_test_around_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nb.ipynb");
        let code = |source: &str| serde_json::json!({"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": source});
        let cells = serde_json::json!([code("def test_one():\n    pass"), code("def test_two():\n    pass")]);
        std::fs::write(&path, serde_json::json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}).to_string()).unwrap();
        let names = |line: Option<usize>| -> Vec<String> {
            let found = collect(&[(path.clone(), line)], &Settings::default(), None).unwrap().0;
            found.iter().flat_map(|tests| tests.selected.iter().map(|snippet| snippet.name.clone())).collect()
        };
        // Line 4 of the joined cells is cell 2's second line.
        assert_eq!(names(Some(4)), ["test_two"]);
        // Must not: no line, every test.
        assert_eq!(names(None), ["test_one", "test_two"]);
    }

    /// `layout`'s files (path, source) under `dir`, each folder a project.
    fn files_of(dir: &Path, layout: &[(&str, String)]) -> Vec<FileTests> {
        layout
            .iter()
            .map(|(path, source)| {
                let file = dir.join(path);
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(file.parent().unwrap().join("pyproject.toml"), "").unwrap();
                std::fs::write(&file, source).unwrap();
                FileTests { file, source: source.clone(), selected: discover(source) }
            })
            .collect()
    }

    /// Each piece of work as its files' names (`test_a test_c`).
    fn names(layout: &[(&str, String)], work: Vec<Work>) -> Vec<String> {
        work.iter()
            .map(|batch| batch.iter().map(|&index| layout[index].0.rsplit('/').next().unwrap().trim_end_matches(".py")).collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn files_of_one_import_root_are_batched_per_worker() {
        // Two projects (import roots); every file batches per project, at
        // most one batch per worker and two files each, in discovery order.
        let dir = tempfile::tempdir().unwrap();
        let pytest = "import pytest\n\n\ndef test_p(tmp_path):\n    pass\n".to_owned();
        let plain = "def test_f():\n    pass\n".to_owned();
        let layout = [
            ("one/test_a.py", pytest.clone()),
            ("one/test_b.py", plain.clone()),
            ("one/test_c.py", pytest.clone()),
            ("two/test_d.py", pytest.clone()),
            ("one/test_e.py", pytest.clone()),
            ("two/test_f.py", plain.clone()),
            ("one/test_g.py", pytest.clone()),
            ("one/test_h.py", pytest.clone()),
            ("one/nb.ipynb", plain.clone()),
        ];
        let files = files_of(dir.path(), &layout);
        // Five pytest files of one test: two sessions (three files, and two
        // beside the plain file) cost less than one session of five.
        assert_eq!(names(&layout, plan(&files, 2, true)), ["test_a test_e test_h", "test_b test_c test_g", "test_d test_f", "nb.ipynb"]);
        assert_eq!(names(&layout, plan(&files, 1, true)), ["test_a test_b test_c test_e test_g test_h", "test_d test_f", "nb.ipynb"]);
        // Must not: with isolation asked for, every file is alone.
        assert_eq!(names(&layout, plan(&files, 2, false)).len(), files.len());
    }

    #[test]
    fn one_worker_takes_the_pytest_session_when_the_others_have_as_much_to_do() {
        // Four pytest files and many doctest modules: one session (its
        // files in one batch) and the doctests spread to even the costs,
        // rather than a session on each worker.
        let dir = tempfile::tempdir().unwrap();
        let pytest = |n: usize| format!("import pytest\n\n\n{}", (0..n).map(|i| format!("def test_{i}(tmp_path):\n    pass\n\n\n")).collect::<String>());
        let doctests = |n: usize| (0..n).map(|i| format!("def f{i}():\n    \"\"\"\n    >>> 1\n    1\n    \"\"\"\n\n\n")).collect::<String>();
        let mut layout: Vec<(&str, String)> =
            vec![("p/test_a.py", pytest(5)), ("p/test_b.py", pytest(5)), ("p/test_c.py", pytest(5)), ("p/test_d.py", pytest(5))];
        let modules = ["p/m0.py", "p/m1.py", "p/m2.py", "p/m3.py", "p/m4.py", "p/m5.py", "p/m6.py", "p/m7.py", "p/m8.py", "p/m9.py"];
        layout.extend(modules.iter().map(|path| (*path, doctests(20))));
        let files = files_of(dir.path(), &layout);
        assert_eq!(names(&layout, plan(&files, 2, true)), ["test_a test_b test_c test_d m6 m8", "m0 m1 m2 m3 m4 m5 m7 m9"]);
        // Must stay: when the pytest tests are most of the work, each
        // worker gets a session.
        let heavy: Vec<(&str, String)> = layout[..4].iter().map(|(path, _)| (*path, pytest(40))).chain([layout[4].clone()]).collect();
        let files = files_of(dir.path(), &heavy);
        assert_eq!(names(&heavy, plan(&files, 2, true)), ["test_a test_c m0", "test_b test_d"]);
    }
}
