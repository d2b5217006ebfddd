//! The tests of whole folders: files discovered like pytest does, run in
//! parallel, results in discovery order. Files with pytest tests go in
//! batches, one per worker and import root (see `batch`); the others each
//! run in a fresh interpreter.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use ruff_text_size::TextRange;

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
            // Its cells' tests, all of them: a line of the joined cells
            // is no place a user names.
            let Some((source, cells)) = notebook_code(target) else { continue };
            let selected = discover_in_cells(&source, &cells);
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

/// The run's work, longest first: the files with pytest tests grouped by
/// import root, each group split in up to `workers` batches of at least two
/// files (a pytest session costs about as much as a few files' tests under
/// wasm), then every other file alone, in discovery order. Notebooks run
/// alone, as does every file when `batches` is off.
fn plan(files: &[FileTests], workers: usize, batches: bool) -> Vec<Work> {
    let mut groups: Vec<(PathBuf, Work)> = Vec::new();
    let mut alone = Vec::new();
    for (index, tests) in files.iter().enumerate() {
        let pytest = tests.selected.iter().any(|snippet| snippet.kind == SnippetKind::Pytest);
        let root = (batches && pytest && !Notebook::is_notebook(&tests.file))
            .then(|| super::absolute(&tests.file).ok())
            .flatten()
            .map(|file| super::import_root(&file));
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
        let size = group.len().div_ceil(batches);
        work.extend(group.chunks(size).map(<[usize]>::to_vec));
    }
    work.sort_by_key(|batch| std::cmp::Reverse(batch.len()));
    work.extend(alone);
    work
}

/// Runs every file's tests on `parallel` workers; `progress` hears about
/// each file as it finishes (its index in `files`). The results come back
/// in the order of `files`; a file that could not be run (host-side
/// failure) gets its error.
///
/// A worker runs a batch in one interpreter, then alone each of its files
/// the batch could not vouch for; any other file in a fresh interpreter
/// (instantiating one takes about 2 ms).
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
                let batched = match work.as_slice() {
                    [_] => vec![None],
                    _ => match runner.run_batch(&work.iter().map(|&index| &files[index]).collect::<Vec<_>>()).await {
                        Ok(batched) => batched,
                        Err(error) => {
                            tracing::warn!("a batch could not run, its files run alone: {error:#}");
                            vec![None; work.len()]
                        }
                    },
                };
                for (&index, results) in work.iter().zip(batched) {
                    let result = match results {
                        Some(results) => Ok(results),
                        None => {
                            let tests = &files[index];
                            runner.run_selected(&tests.file, &tests.source, &tests.selected).await
                        }
                    };
                    if done.send((index, result)).is_err() {
                        return;
                    }
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
    fn pytest_files_of_one_import_root_are_batched_per_worker() {
        // Two projects (import roots); pytest files batch per project, at
        // most one batch per worker and two files each; the rest alone.
        let dir = tempfile::tempdir().unwrap();
        let pytest = "import pytest\n\n\ndef test_p(tmp_path):\n    pass\n";
        let plain = "def test_f():\n    pass\n";
        let layout = [
            ("one/test_a.py", pytest),
            ("one/test_b.py", plain),
            ("one/test_c.py", pytest),
            ("two/test_d.py", pytest),
            ("one/test_e.py", pytest),
            ("two/test_f.py", plain),
            ("one/test_g.py", pytest),
            ("one/test_h.py", pytest),
        ];
        let files: Vec<FileTests> = layout
            .iter()
            .map(|(path, source)| {
                let file = dir.path().join(path);
                std::fs::create_dir_all(file.parent().unwrap()).unwrap();
                std::fs::write(file.parent().unwrap().join("pyproject.toml"), "").unwrap();
                std::fs::write(&file, source).unwrap();
                FileTests { file, source: source.to_string(), selected: discover(source) }
            })
            .collect();
        let names = |work: Vec<Work>| -> Vec<String> {
            work.iter().map(|batch| batch.iter().map(|&index| &layout[index].0[4..10]).collect::<Vec<_>>().join(" ")).collect()
        };
        assert_eq!(names(plan(&files, 2, true)), ["test_a test_c test_e", "test_g test_h", "test_d", "test_b", "test_f"]);
        assert_eq!(names(plan(&files, 1, true)), ["test_a test_c test_e test_g test_h", "test_d", "test_b", "test_f"]);
        // Must not: with isolation asked for, every file is alone.
        assert_eq!(names(plan(&files, 2, false)).len(), files.len());
    }
}
