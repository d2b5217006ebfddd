//! Snippet tests: discover the runnable tests in a file, run the selected
//! ones in the WASI sandbox, and map what comes back to workspace lines.

mod batch;
pub mod cli;
mod discover;
mod keyword;
mod project;
mod report;
mod rewrite_cache;
mod sources;
mod traceback;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use sandbox_wasi::{GUEST_SCRATCH, GUEST_SOURCES, Job, Layout, Outcome, Sandbox, SandboxConfig, SourceFile, SourceText};
use serde::{Deserialize, Serialize};

use crate::notebook::Notebook;
use crate::notebook::magics::Runs;
pub use crate::settings::SandboxSettings;
pub use discover::{Snippet, SnippetKind, discover, discover_in_cells, select};
pub use keyword::Keywords;
pub use project::{FileTests, collect, run_files};
pub use report::{counts, format_text, summary};
use rewrite_cache::{RewriteCache, Rewritten};
pub use sources::import_root;

/// The runner's Python, built into the sandbox's interpreter component at
/// install (`pyloom sandbox install`): the runner of plain test functions,
/// its parts for doctests, unittest tests and pytest tests (which import
/// doctest, unittest and pytest once, at build time); each job then calls
/// `_pyloom_run(spec)`.
const RUNNER: &str = include_str!("runner.py");
const DOCTEST_PRELUDE: &str = include_str!("runner_doctest.py");
const UNITTEST_PRELUDE: &str = include_str!("runner_unittest.py");
const PYTEST_PRELUDE: &str = include_str!("pytest_prelude.py");
/// IPython's `get_ipython()` for a notebook's code and its cell magics
/// that run Python, run before its tests (see the files).
const IPYTHON_STUB: &str = concat!(include_str!("ipython_stub.py"), include_str!("ipython_cell_magics.py"));
/// Where the runner appends one JSON line per finished test.
const RESULTS_FILE: &str = ".pyloom-results.jsonl";

/// What to run: a file (its buffer text, possibly unsaved) and optionally
/// the 1-based line of the cursor.
#[derive(Debug, Clone)]
pub struct TestRequest {
    pub file: PathBuf,
    pub source: String,
    pub line: Option<usize>,
}

/// How one test ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    Failed,
    Error,
    Skipped,
    Timeout,
    MemoryLimit,
    OutputLimit,
    DiskLimit,
    Crash,
}

impl Status {
    /// Every status, in the order summaries list them.
    pub const ALL: [Status; 9] = [
        Status::Passed,
        Status::Failed,
        Status::Error,
        Status::Skipped,
        Status::Timeout,
        Status::MemoryLimit,
        Status::OutputLimit,
        Status::DiskLimit,
        Status::Crash,
    ];

    pub fn is_success(self) -> bool {
        matches!(self, Status::Passed | Status::Skipped)
    }

    /// The status as JSON names it (`memory_limit`).
    pub fn word(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::Failed => "failed",
            Status::Error => "error",
            Status::Skipped => "skipped",
            Status::Timeout => "timeout",
            Status::MemoryLimit => "memory_limit",
            Status::OutputLimit => "output_limit",
            Status::DiskLimit => "disk_limit",
            Status::Crash => "crash",
        }
    }
}

/// One test's result, in workspace terms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestResult {
    /// Dotted name inside the module; a module's own doctests are `<module>`.
    pub name: String,
    pub kind: SnippetKind,
    pub file: PathBuf,
    /// 1-based line of the test (its `def`, or the docstring's object).
    pub line: usize,
    pub status: Status,
    pub duration_ms: f64,
    /// Assertion with compared values, traceback, or what limit was hit.
    pub message: String,
    /// 1-based line in `file` where it failed, when the failure is in it.
    pub failure_line: Option<usize>,
    /// In a notebook, the cell (from 1, markdown counted) `line` counts in
    /// (see [`TestResult::in_cells`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<usize>,
    /// In a notebook, the cell `failure_line` counts in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_cell: Option<usize>,
}

impl TestResult {
    /// The result with its lines counted in `notebook`'s cells (they are
    /// lines of its joined code until then).
    pub fn in_cells(mut self, notebook: &Notebook) -> TestResult {
        let at = |line: usize| notebook.to_cell(line.saturating_sub(1) as u32).map(|c| (c.cell + 1, c.line as usize + 1));
        self.message = traceback::in_notebook(&self.message, &crate::notebook::module_path(&self.file), &self.file, at);
        if let Some((cell, line)) = at(self.line) {
            (self.cell, self.line) = (Some(cell), line);
        }
        if let Some((cell, line)) = self.failure_line.and_then(at) {
            (self.failure_cell, self.failure_line) = (Some(cell), Some(line));
        }
        self
    }

    /// Where to look: the failure's place, else the test's (`cell N:` in
    /// front in a notebook).
    pub fn place(&self) -> String {
        let (cell, line) = match self.failure_line {
            Some(line) => (self.failure_cell, line),
            None => (self.cell, self.line),
        };
        match cell {
            Some(cell) => format!("cell {cell}:{line}"),
            None => line.to_string(),
        }
    }
}

/// The Python the sandbox's interpreter component is built with (see
/// [`RUNNER`]).
pub fn runner_prelude() -> String {
    [RUNNER, DOCTEST_PRELUDE, UNITTEST_PRELUDE, PYTEST_PRELUDE].join("\n")
}

/// Runs snippet tests; holds the sandbox (the compiled interpreter
/// component, instantiated fresh for every run).
pub struct SnippetRunner {
    sandbox: Arc<Sandbox>,
    /// Folder runs batch their files (see `batch`).
    batches: bool,
    rewrites: RewriteCache,
}

impl SnippetRunner {
    /// Loads the installed interpreter component, which must have been
    /// built with this runner. `libraries` are the project's site-packages
    /// folders (`index.venv`), mounted read-only at their own paths.
    /// Compiling the component on first use takes a while (`pyloom sandbox
    /// install` does it); later starts load the cached one.
    pub fn new(settings: &SandboxSettings, libraries: Vec<PathBuf>) -> Result<Arc<Self>> {
        let cache_root = sandbox_wasi::cache_root()?;
        let layout = Layout::new(&cache_root);
        let interpreter = layout.locate_for(&runner_prelude())?;
        let build_key = interpreter.build_key.clone();
        let config = SandboxConfig { interpreter, module_cache: layout.modules(), limits: settings.limits(), libraries };
        let sandbox = Sandbox::new(config)?;
        let rewrites = RewriteCache::new(cache_root.join("rewritten"), sandbox.interpreter_digest(), &build_key);
        Ok(Arc::new(Self { sandbox: Arc::new(sandbox), batches: !settings.isolate_files, rewrites }))
    }

    /// [`SnippetRunner::new`] for a workspace: its project's environment
    /// (found as the index finds it) has its site-packages mounted.
    /// Blocking (the interpreter is loaded).
    pub fn for_workspace(settings: &crate::settings::Settings, roots: &[PathBuf]) -> Result<Arc<Self>> {
        let environment = crate::environment::discover(settings.index.python.as_deref(), settings.index.venv.as_deref(), roots);
        tracing::info!("environment: {environment}");
        for warning in &environment.warnings {
            tracing::warn!("environment: {warning}");
        }
        Self::new(&settings.sandbox, environment.project_libraries())
    }

    /// Runs the tests `request` selects; an empty list when there are none.
    pub async fn run(&self, request: &TestRequest) -> Result<Vec<TestResult>> {
        let selected = select(&discover(&request.source), request.line);
        self.run_selected(&request.file, &request.source, &selected).await
    }

    /// Runs `selected` (snippets of `source`, the text of `file`) in a
    /// fresh interpreter. A test that hits a limit ends alone: it gets the
    /// limit, and the tests that had not started yet run again in a fresh
    /// interpreter.
    pub async fn run_selected(&self, file: &Path, source: &str, selected: &[Snippet]) -> Result<Vec<TestResult>> {
        if selected.is_empty() {
            return Ok(Vec::new());
        }
        let staged = Staged::new(file, source)?;
        if let Some(why) = &staged.unrunnable {
            return Ok(selected.iter().map(|snippet| staged.result(snippet, Status::Error, 0.0, why.clone(), None)).collect());
        }
        // A test defined in a `%%timeit` or `%%python` cell is none of the
        // notebook's: IPython never binds it there.
        let selected: Vec<Snippet> = selected.iter().filter(|snippet| !staged.apart.iter().any(|lines| lines.contains(&snippet.line))).cloned().collect();
        let selected = selected.as_slice();
        if selected.is_empty() {
            return Ok(Vec::new());
        }
        let mut results: Vec<Option<TestResult>> = vec![None; selected.len()];
        let mut pending: Vec<usize> = (0..selected.len()).collect();
        let rewritten = self.rewritten(&[(&staged, selected.iter().collect())]).await;
        while !pending.is_empty() {
            let round: Vec<&Snippet> = pending.iter().map(|&index| &selected[index]).collect();
            let output = self.sandbox.run(job(&[(&staged, round.clone())], &rewritten)?).await?;
            let session = if round.iter().any(|snippet| snippet.kind == SnippetKind::Pytest) { " in a pytest session" } else { "" };
            tracing::debug!("snippet run: {} tests{session} of {}, ran {:?}, {:?}", round.len(), file.display(), output.duration, output.outcome);
            let text = output.collected.first().map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned()).unwrap_or_default();
            let mut reports = report::parse(&text);
            // Without any sign of progress (the module itself looped, or the
            // interpreter died first) every test gets the run's outcome.
            let progressed = (0..round.len()).any(|id| reports.finished.contains_key(&id) || reports.started.contains(&id));
            let mut next = Vec::new();
            for (id, &index) in pending.iter().enumerate() {
                let snippet = &selected[index];
                results[index] = match reports.finished.remove(&id) {
                    Some(entry) => Some(staged.result(snippet, entry.status, entry.duration_ms, entry.message, entry.line)),
                    None if reports.started.contains(&id) || !progressed => {
                        let (status, message) = unreported(&output.outcome, &output.stderr);
                        let elapsed = if matches!(output.outcome, Outcome::Exited(_)) { 0.0 } else { output.duration.as_secs_f64() * 1000.0 };
                        Some(staged.result(snippet, status, elapsed, message, None))
                    }
                    None => {
                        next.push(index);
                        None
                    }
                };
            }
            pending = next;
        }
        Ok(results.into_iter().flatten().collect())
    }
}

/// One file prepared for runs: its module name and the sources to mount.
struct Staged {
    file: PathBuf,
    root: PathBuf,
    module: String,
    guest_file: String,
    sources: Vec<SourceFile>,
    /// A notebook's cells whose cell magic the runner hands to the
    /// sandbox's `get_ipython().run_cell_magic` (see the runner's
    /// `_cell_magics`), as the spec gives them.
    cell_magics: Vec<serde_json::Value>,
    /// The module lines (from 1) of those cells' bodies whose names are
    /// not the notebook's.
    apart: Vec<std::ops::RangeInclusive<usize>>,
    /// Why a notebook's tests cannot run as IPython runs its cells.
    unrunnable: Option<String>,
}

impl Staged {
    fn new(file: &Path, source: &str) -> Result<Self> {
        let original = source;
        let file = absolute(file)?;
        let root = import_root(&file);
        // A notebook's cells are staged as a module file of their own, each
        // escape replaced (the runner runs them as `__main__`).
        let (module_file, source) = match Notebook::is_notebook(&file) {
            true => (crate::notebook::module_path(&file), crate::notebook::runnable(source)),
            false => (file.clone(), source.to_owned()),
        };
        let source = source.as_str();
        let module = sources::module_name(&root, &module_file).with_context(|| format!("{} is not an importable module name", file.display()))?;
        let relative = module_file.strip_prefix(&root).context("file outside its import root")?.to_path_buf();
        let guest_file = format!("{GUEST_SOURCES}/{}", relative.display());
        let mut sources: Vec<SourceFile> = sources::needed_sources(&root, &module_file, source)
            .into_iter()
            .map(|path| {
                let text = if path == relative { SourceText::Text(source.to_owned()) } else { SourceText::File(root.join(&path)) };
                SourceFile { guest_relative: path, text }
            })
            .collect();
        let (mut cell_magics, mut apart, mut unrunnable) = (Vec::new(), Vec::new(), None);
        if Notebook::is_notebook(&file) {
            for written in written_sources(&file, relative.parent().unwrap_or(Path::new(""))) {
                sources.retain(|known| known.guest_relative != written.guest_relative);
                sources.push(written);
            }
            match Notebook::read(&file).ok().filter(|notebook| notebook.source() == original) {
                Some(notebook) => {
                    unrunnable = notebook.unrunnable();
                    for magic in notebook.cell_magics() {
                        if let Runs::Magic { .. } = magic.runs() {
                            let (line, last) = (magic.line + 1, magic.last + 1);
                            cell_magics.push(serde_json::json!({"magic": magic.name, "args": magic.args, "line": line, "last": last}));
                        }
                        apart.extend(magic.apart_lines());
                    }
                }
                // Where a cell ends is read from the notebook as saved.
                None if original
                    .lines()
                    .any(|line| line.strip_prefix("%%").is_some_and(|called| !matches!(called.split_whitespace().next(), Some("time" | "prun")))) =>
                {
                    unrunnable = Some(format!("{} has unsaved cells with cell magics: save it to run its tests", file.display()));
                }
                None => {}
            }
        }
        Ok(Self { file, root, module, guest_file, sources, cell_magics, apart, unrunnable })
    }

    fn result(&self, snippet: &Snippet, status: Status, duration_ms: f64, message: String, failure_line: Option<usize>) -> TestResult {
        TestResult {
            name: if snippet.name.is_empty() { "<module>".to_owned() } else { snippet.name.clone() },
            kind: snippet.kind,
            file: self.file.clone(),
            line: snippet.line,
            status,
            duration_ms,
            message: traceback::host_paths(&message, GUEST_SOURCES, &self.root),
            failure_line,
            cell: None,
            failure_cell: None,
        }
    }
}

/// What the `%%writefile` cells of the notebook at `file` (as saved) write,
/// as sources beside its module (`folder`, from the import root): its
/// cells run before its tests, as in IPython, which writes them in the
/// kernel's folder, the notebook's. A file outside the import root (an
/// absolute path, `..` past the root) is left out.
fn written_sources(file: &Path, folder: &Path) -> Vec<SourceFile> {
    let Ok(notebook) = Notebook::read(file) else { return Vec::new() };
    let mut out = Vec::new();
    for (target, text) in notebook.written_files() {
        let mut path = folder.to_path_buf();
        let inside = Path::new(&target).components().all(|part| match part {
            std::path::Component::Normal(name) => {
                path.push(name);
                true
            }
            std::path::Component::CurDir => true,
            std::path::Component::ParentDir => path.pop(),
            std::path::Component::RootDir | std::path::Component::Prefix(_) => false,
        });
        if inside && path.file_name().is_some() {
            out.push(SourceFile { guest_relative: path, text: SourceText::Text(text) });
        }
    }
    out
}

/// The job that runs `parts` (files of one import root, each with its
/// tests) in one interpreter, in that order; a test's id is its position
/// across all parts. The sources mounted are those of every part, a file's
/// own text (possibly unsaved) winning over its copy on disk, and the text
/// each module in `rewritten` was rewritten from winning over both.
fn job(parts: &[(&Staged, Vec<&Snippet>)], rewritten: &BTreeMap<String, Rewritten>) -> Result<Job> {
    let mut next_id = 0;
    let files: Vec<serde_json::Value> = parts
        .iter()
        .map(|(staged, tests)| {
            let tests: Vec<serde_json::Value> = tests
                .iter()
                .map(|snippet| {
                    next_id += 1;
                    serde_json::json!({"id": next_id - 1, "name": snippet.name, "kind": snippet.kind})
                })
                .collect();
            // A notebook's cells run as Jupyter runs them (see the runner's `_Notebook`).
            let notebook = Notebook::is_notebook(&staged.file);
            serde_json::json!({"module": staged.module, "file": staged.guest_file, "tests": tests, "notebook": notebook, "cells": staged.cell_magics})
        })
        .collect();
    let code: BTreeMap<&String, String> = rewritten.iter().map(|(path, module)| (path, module.code_hex())).collect();
    let spec = serde_json::json!({"root": GUEST_SOURCES, "results": format!("{GUEST_SCRATCH}/{RESULTS_FILE}"), "files": files, "rewritten": code});
    let mut sources: Vec<SourceFile> = Vec::new();
    for source in parts.iter().flat_map(|(staged, _)| &staged.sources) {
        match sources.iter_mut().find(|known| known.guest_relative == source.guest_relative) {
            Some(known) if matches!(source.text, SourceText::Text(_)) => *known = source.clone(),
            Some(_) => {}
            None => sources.push(source.clone()),
        }
    }
    for module in rewritten.values() {
        let source = module.source();
        match sources.iter_mut().find(|known| known.guest_relative == source.guest_relative) {
            Some(known) => *known = source,
            None => sources.push(source),
        }
    }
    // A JSON string is also a valid Python string literal.
    let literal = serde_json::to_string(&spec.to_string())?;
    let notebook = parts.iter().any(|(staged, _)| Notebook::is_notebook(&staged.file));
    let stub = if notebook { IPYTHON_STUB } else { "" };
    Ok(Job { script: format!("{stub}_pyloom_run(json.loads({literal}))\n"), sources, collect: vec![PathBuf::from(RESULTS_FILE)] })
}

fn absolute(path: &Path) -> Result<PathBuf> {
    let path = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
    Ok(path.canonicalize().unwrap_or(path))
}

/// What a whole run's outcome means for a test that reported nothing.
fn unreported(outcome: &Outcome, stderr: &str) -> (Status, String) {
    match outcome {
        Outcome::Timeout => (Status::Timeout, "timed out".to_owned()),
        Outcome::MemoryLimit => (Status::MemoryLimit, "memory limit reached".to_owned()),
        Outcome::OutputLimit => (Status::OutputLimit, "output limit reached (output truncated)".to_owned()),
        Outcome::DiskLimit => (Status::DiskLimit, "disk quota of the scratch directory reached".to_owned()),
        Outcome::Crash(message) => (Status::Crash, format!("the interpreter crashed: {message}")),
        Outcome::Exited(code) => (Status::Error, format!("the run ended (exit status {code}) before this test reported:\n{}", stderr.trim_end())),
    }
}
