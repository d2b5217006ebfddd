//! Snippet tests: discover the runnable tests in a file, run the selected
//! ones in the WASI sandbox, and map what comes back to workspace lines.

pub mod cli;
mod discover;
mod report;
mod settings;
mod sources;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use sandbox_wasi::{
    GUEST_SCRATCH, GUEST_SOURCES, Interpreter, Job, Layout, Outcome, Sandbox, SandboxConfig, SourceFile, SourceText, WarmPool,
};
use serde::{Deserialize, Serialize};

pub use discover::{Snippet, SnippetKind, discover, select};
pub use report::format_text;
pub use settings::SandboxSettings;
pub use sources::import_root;

/// Python loaded into every pre-warmed interpreter before it waits for a job.
const RUNNER: &str = include_str!("runner.py");
/// Added to `RUNNER` in interpreters that run pytest tests.
const PYTEST_PRELUDE: &str = include_str!("pytest_prelude.py");
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
    pub fn is_success(self) -> bool {
        matches!(self, Status::Passed | Status::Skipped)
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
}

/// Runs snippet tests; holds the sandbox (compiled interpreter) and its
/// pre-warmed interpreters.
pub struct SnippetRunner {
    sandbox: Arc<Sandbox>,
    /// Doctests, unittest and plain test functions: interpreters with only
    /// what those need imported, ready within half a second of the last run.
    plain: WarmPool,
    /// Any selection with a pytest test: pytest is imported too, which takes
    /// seconds, so these are kept warm only once pytest tests have been run.
    pytest: WarmPool,
}

impl SnippetRunner {
    /// Loads the interpreter named by the settings, or the installed one;
    /// `keep_warm` keeps an interpreter started for the next run (servers):
    /// for doctests, unittest and plain tests from now on, for pytest tests
    /// after the first. Must be called inside a tokio runtime; compiling on
    /// first use takes a while, later starts load the cached module.
    pub fn new(settings: &SandboxSettings, keep_warm: bool) -> Result<Arc<Self>> {
        let layout = Layout::new(sandbox_wasi::cache_root()?);
        let interpreter = match &settings.python_wasm {
            Some(wasm) => Interpreter { wasm: wasm.clone(), stdlib: settings.stdlib.clone(), site_packages: layout.locate().ok().and_then(|i| i.site_packages) },
            None => layout.locate()?,
        };
        let sandbox = Arc::new(Sandbox::new(SandboxConfig { interpreter, module_cache: layout.modules(), limits: settings.limits() })?);
        let plain = WarmPool::new(sandbox.clone(), RUNNER, keep_warm);
        let pytest = WarmPool::new(sandbox.clone(), format!("{RUNNER}\n{PYTEST_PRELUDE}"), keep_warm);
        if keep_warm {
            plain.warm_up();
        }
        Ok(Arc::new(Self { sandbox, plain, pytest }))
    }

    /// Runs the tests `request` selects; an empty list when there are none.
    pub async fn run(&self, request: &TestRequest) -> Result<Vec<TestResult>> {
        let selected = select(&discover(&request.source), request.line);
        if selected.is_empty() {
            return Ok(Vec::new());
        }
        let file = absolute(&request.file)?;
        let root = import_root(&file);
        let module = sources::module_name(&root, &file)
            .with_context(|| format!("{} is not an importable module name", file.display()))?;
        let relative = file.strip_prefix(&root).context("file outside its import root")?.to_path_buf();
        let guest_file = format!("{GUEST_SOURCES}/{}", relative.display());
        let staged = sources::needed_sources(&root, &file, &request.source)
            .into_iter()
            .map(|path| {
                let text = if path == relative { SourceText::Text(request.source.clone()) } else { SourceText::File(root.join(&path)) };
                SourceFile { guest_relative: path, text }
            })
            .collect();
        let spec = serde_json::json!({
            "module": module,
            "file": guest_file,
            "root": GUEST_SOURCES,
            "results": format!("{GUEST_SCRATCH}/{RESULTS_FILE}"),
            "tests": selected.iter().enumerate().map(|(id, snippet)| serde_json::json!({
                "id": id, "name": snippet.name, "kind": snippet.kind,
            })).collect::<Vec<_>>(),
        });
        // A JSON string is also a valid Python string literal.
        let literal = serde_json::to_string(&spec.to_string())?;
        let job = Job {
            script: format!("_pyloom_run(json.loads({literal}))\n"),
            sources: staged,
            collect: vec![PathBuf::from(RESULTS_FILE)],
        };
        let pool = if selected.iter().any(|snippet| snippet.kind == SnippetKind::Pytest) { &self.pytest } else { &self.plain };
        let output = pool.run(job).await?;
        tracing::debug!(
            "snippet run: {} tests, interpreter prewarmed: {}, waited {:?} for its prelude, ran {:?}",
            selected.len(),
            output.prewarmed,
            output.prelude_wait,
            output.duration
        );
        let results = output.collected.first().map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned()).unwrap_or_default();
        Ok(report::assemble(&selected, &file, &root, &results, &output))
    }
}

fn absolute(path: &Path) -> Result<PathBuf> {
    let path = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir()?.join(path) };
    Ok(path.canonicalize().unwrap_or(path))
}

/// The interpreter's installed location, for messages.
pub fn install_location() -> Result<PathBuf> {
    Ok(Layout::new(sandbox_wasi::cache_root()?).wasm())
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
