//! `pyloom test PATH[:LINE]... [-k EXPRESSION]` and `pyloom sandbox install`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;

use std::time::Instant;

use super::{Keywords, SnippetRunner, collect, counts, format_text, run_files, runner_prelude, summary};
use crate::environment;
use crate::notebook::Notebook;
use crate::settings;

/// Splits `PATH[:LINE]`, or a notebook's `PATH:cell N:LINE` (the place
/// pyloom prints for a notebook's test) into the notebook and the line of
/// its joined cells; a trailing `:N` only counts as a line when the whole
/// string is not itself an existing path. A notebook's bare line is
/// refused: a user reads lines in cells, and its number would silently
/// name another line.
pub fn parse_target(target: &str) -> Result<(PathBuf, Option<usize>)> {
    if Path::new(target).exists() {
        return Ok((PathBuf::from(target), None));
    }
    if let Some((path, cell, line)) = cell_place(target) {
        anyhow::ensure!(Notebook::is_notebook(Path::new(path)), "{target}: `cell N:LINE` names a notebook's cell, and {path} is not a notebook");
        return Ok((PathBuf::from(path), Some(joined_line(path, cell, line)?)));
    }
    if let Some((path, line)) = target.rsplit_once(':')
        && let Ok(line) = line.parse::<usize>()
    {
        anyhow::ensure!(
            !Notebook::is_notebook(Path::new(path)),
            "{target}: a notebook's lines are counted in its cells: name a test's line as \"{path}:cell N:LINE\" (as pyloom prints it), or run all the notebook's tests with {path}"
        );
        return Ok((PathBuf::from(path), Some(line.max(1))));
    }
    Ok((PathBuf::from(target), None))
}

/// `PATH:cell N:LINE` split into its parts.
fn cell_place(target: &str) -> Option<(&str, usize, usize)> {
    let (rest, line) = target.rsplit_once(':')?;
    let (path, cell) = rest.rsplit_once(":cell ")?;
    Some((path, cell.trim().parse().ok()?, line.trim().parse().ok()?))
}

/// The line (from 1) of the joined cells of the notebook at `path` that is
/// line `line` of its cell `cell` (both from 1, markdown cells counted, as
/// pyloom names them).
fn joined_line(path: &str, cell: usize, line: usize) -> Result<usize> {
    let notebook = Notebook::read(Path::new(path)).map_err(anyhow::Error::msg)?;
    let Some((start, lines)) = cell.checked_sub(1).and_then(|at| notebook.cell_lines(at)) else {
        anyhow::bail!("{path} has no Python code cell {cell} (cells are counted from 1, markdown cells included)");
    };
    anyhow::ensure!((1..=lines as usize).contains(&line), "cell {cell} of {path} has no line {line}");
    Ok(start as usize + line)
}

/// Runs the snippet tests at `targets` (files, `FILE:LINE`, folders);
/// exit 0 when all pass, 1 when any does not, 2 when they could not be run.
pub fn test(targets: &[String], keyword: Option<&str>, json: bool) -> ExitCode {
    match run_test(targets, keyword, json) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("pyloom: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// pytest's exit status when no test was collected.
const NO_TESTS_RAN: u8 = 5;

fn run_test(targets: &[String], keyword: Option<&str>, json: bool) -> Result<ExitCode> {
    let started = Instant::now();
    let targets: Vec<(PathBuf, Option<usize>)> = targets.iter().map(|target| parse_target(target)).collect::<Result<_>>()?;
    let keywords = keyword.map(Keywords::parse).transpose()?;
    let root = settings_root(&targets[0].0);
    let (layers, mut warnings) = settings::workspace_layers(&root);
    let resolved = settings::resolve(&layers);
    warnings.extend(resolved.warnings);
    for warning in warnings {
        eprintln!("pyloom: warning: {warning}");
    }
    let settings = resolved.settings;
    let (files, unreadable) = collect(&targets, &settings, keywords.as_ref())?;
    // Paths as the user would type them: relative to where they ran us.
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = |path: &Path| path.strip_prefix(&cwd).unwrap_or(path).to_owned();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let environment = environment::discover(settings.index.python.as_deref(), settings.index.venv.as_deref(), std::slice::from_ref(&root));
    tracing::debug!("environment: {environment}");
    for warning in &environment.warnings {
        tracing::warn!("environment: {warning}");
    }
    let libraries = environment.project_libraries();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(cores.max(2)).enable_all().build()?;
    let outcomes = runtime.block_on(async {
        let runner = SnippetRunner::new(&settings.sandbox, libraries)?;
        let total = files.len();
        let mut done = 0;
        anyhow::Ok(
            run_files(runner, &files, cores, |index, result| {
                done += 1;
                if total > 1 {
                    let counts = match result {
                        Ok(results) => counts(results),
                        Err(error) => format!("could not run: {error:#}"),
                    };
                    eprintln!("pyloom: [{done}/{total}] {}: {counts}", shown(&files[index].file).display());
                }
            })
            .await,
        )
    })?;
    runtime.shutdown_background();
    let mut results = unreadable;
    let mut failed_to_run = Vec::new();
    for (tests, outcome) in files.iter().zip(outcomes) {
        match outcome {
            // A notebook's lines are its cells' lines.
            Ok(file_results) if Notebook::is_notebook(&tests.file) => match Notebook::read(&tests.file) {
                Ok(notebook) => results.extend(file_results.into_iter().map(|result| result.in_cells(&notebook))),
                Err(_) => results.extend(file_results),
            },
            Ok(file_results) => results.extend(file_results),
            Err(error) => failed_to_run.push(format!("{}: {error:#}", shown(&tests.file).display())),
        }
    }
    let line = summary(&results, started.elapsed().as_secs_f64());
    if json {
        crate::stdout::print(&format!("{}\n", serde_json::to_string_pretty(&results)?));
        eprintln!("pyloom: {line}");
    } else {
        for result in &mut results {
            result.file = shown(&result.file);
        }
        crate::stdout::print(&format!("{}{line}\n", format_text(&results)));
    }
    if !failed_to_run.is_empty() {
        anyhow::bail!("could not run the tests of {}", failed_to_run.join("; "));
    }
    Ok(match results.is_empty() {
        true => ExitCode::from(NO_TESTS_RAN),
        false if results.iter().all(|result| result.status.is_success()) => ExitCode::SUCCESS,
        false => ExitCode::FAILURE,
    })
}

/// Where the settings (and the virtualenv) of a run are looked up: the
/// nearest folder around the first target with a project marker, else the
/// target's own folder.
fn settings_root(target: &Path) -> PathBuf {
    let absolute = std::path::absolute(target).unwrap_or_else(|_| target.to_owned());
    let folder = if absolute.is_dir() { absolute.as_path() } else { absolute.parent().unwrap_or(Path::new("/")) };
    let markers = ["pyproject.toml", "pyloom.toml", "setup.py", "setup.cfg", ".git"];
    let project = folder.ancestors().find(|dir| markers.iter().any(|marker| dir.join(marker).exists()));
    project.unwrap_or(folder).to_path_buf()
}

/// Fetches, verifies and caches componentize-py and pytest, builds the
/// interpreter component with the runner, compiles it, and compiles the
/// bytecode of the standard library and pytest once, so the first keystroke
/// pays for none of it.
pub fn install() -> ExitCode {
    match run_install() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("pyloom: sandbox install failed: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run_install() -> Result<()> {
    let layout = sandbox_wasi::Layout::new(sandbox_wasi::cache_root()?);
    layout.install(&runner_prelude(), |message| eprintln!("pyloom: {message}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let runner = runtime.block_on(async { SnippetRunner::new(&Default::default(), Vec::new()) })?;
    let (source, elapsed) = runner.sandbox.module_load();
    eprintln!("pyloom: compiled interpreter {source:?} in {} ms", elapsed.as_millis());
    let started = Instant::now();
    match runtime.block_on(runner.sandbox.precompile()) {
        Ok(()) => eprintln!("pyloom: compiled the bytecode of the standard library and pytest in {} ms", started.elapsed().as_millis()),
        // Tests still run: each job compiles the sources it imports beyond the component's, slowly.
        Err(error) => eprintln!("pyloom: warning: bytecode not compiled (imports beyond the interpreter's own will be slower): {error:#}"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_may_carry_a_line() {
        assert_eq!(parse_target("no/such/file.py:12").unwrap(), (PathBuf::from("no/such/file.py"), Some(12)));
        assert_eq!(parse_target("no/such/file.py").unwrap(), (PathBuf::from("no/such/file.py"), None));
        assert_eq!(parse_target("no/such/file.py:x").unwrap(), (PathBuf::from("no/such/file.py:x"), None));
    }

    #[test]
    fn a_notebooks_test_is_named_by_its_cell_and_line_and_never_by_a_bare_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nb.ipynb");
        let code = |source: &str| serde_json::json!({"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": source});
        let cells =
            serde_json::json!([code("import os"), {"cell_type": "markdown", "metadata": {}, "source": "# Tests"}, code("x = 1\ndef test_x():\n    assert x")]);
        std::fs::write(&path, serde_json::json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}).to_string()).unwrap();
        let shown = path.display();
        // Cell 3's line 2 is line 3 of the joined cells (cell 1, its `\n`).
        assert_eq!(parse_target(&format!("{shown}:cell 3:2")).unwrap(), (path.clone(), Some(3)));
        let refused = |target: String| parse_target(&target).unwrap_err().to_string();
        assert!(refused(format!("{shown}:5")).contains(&format!("name a test's line as \"{shown}:cell N:LINE\"")));
        assert!(refused(format!("{shown}:cell 2:1")).contains("has no Python code cell 2"), "a markdown cell");
        assert!(refused(format!("{shown}:cell 3:9")).contains("cell 3 of"));
        assert!(refused("no/such/file.py:cell 1:1".to_owned()).contains("is not a notebook"));
        // Must not: the notebook alone, all its tests.
        assert_eq!(parse_target(&shown.to_string()).unwrap(), (path, None));
    }
}
